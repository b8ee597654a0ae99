"""The schemas of the guideline tables (CT-AIMH Mentor, Illinois): each named check rejects
a real-looking bad row, and only that row, for that reason.

The sample rows (tests/conftest.py) are, by position:

- ``mentor_competencies``: 0 Theoretical Foundations/11 (A), 1 Theoretical Foundations/13
  (P;RF), 2 Working with Others/1 (a bullet), 3 and 4 Working with Others/2 and /3 (its
  sub-bullets, parent_seq 1), 5 Working with Others/6 (the next bullet);
- ``mentor_areas``: 0 and 1 Theoretical Foundations knowledge areas, 2 a Working with
  Others skill area;
- ``illinois_competencies``: 0 #1, 1 #2.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

from schemas import SCHEMAS

# Flyer furniture of raw/illinois-iecmhc-competencies.txt (lines 9 and 23-29).
CONTACT = "Governor's Office of Early Childhood Development GOV.OECD@illinois.gov"
LINK = "bit.ly/IL-IECMHC"


def failures(name: str, data: pd.DataFrame) -> pd.DataFrame:
    """pandera's failure cases for ``data`` (an empty frame when it is valid)."""
    try:
        SCHEMAS[name].validate(data, lazy=True)
    except pa.errors.SchemaErrors as error:
        return error.failure_cases
    return pd.DataFrame(columns=["check", "column", "index", "failure_case"])


BAD_ROWS = [
    # mentor_competencies: a sub-bullet points to an earlier bullet of its own area
    pytest.param("mentor_competencies", 3, {"parent_seq": 4},
                 "parent_is_the_bullet_above", id="parent-missing"),
    pytest.param("mentor_competencies", 3, {"parent_seq": 6},
                 "parent_is_the_bullet_above", id="parent-is-a-later-bullet"),
    pytest.param("mentor_competencies", 3, {"parent_seq": 2},
                 "parent_is_the_bullet_above", id="parent-is-itself"),
    pytest.param("mentor_competencies", 4, {"parent_seq": 2},
                 "parent_is_the_bullet_above", id="parent-is-a-sub-bullet"),
    pytest.param("mentor_competencies", 1, {"parent_seq": 1},
                 "parent_is_the_bullet_above", id="parent-in-another-area"),
    # mentor_competencies: columns
    pytest.param("mentor_competencies", 1, {"designations": "P/RF"},
                 "str_matches", id="designation-suffix-not-parsed"),
    pytest.param("mentor_competencies", 1, {"designations": "P;R"},
                 "str_matches", id="designation-unknown"),
    pytest.param("mentor_competencies", 5, {"area_of_expertise": "Working With Others"},
                 "isin", id="mentor-area-of-expertise-not-canonical"),
    pytest.param("mentor_competencies", 0, {"statement_seq": 0},
                 "greater_than_or_equal_to", id="statement-seq-zero"),
    pytest.param("mentor_competencies", 3, {"statement": ""},
                 "not_empty", id="empty-statement"),
    pytest.param("mentor_competencies", 0,
                 {"statement": "Understands family relationship develop- ment, with "
                  "sensitivity to cultural differences"},
                 "no_wrap_artifacts", id="statement-wrap-artifact"),
    pytest.param("mentor_competencies", 2, {"practice_mode": "Applies to all three designations (A): "},
                 "no_edge_spaces", id="practice-mode-trailing-space"),
    # mentor_areas
    pytest.param("mentor_areas", 2, {"area_kind": "Skill areas"}, "isin",
                 id="area-kind-not-as-headed"),
    pytest.param("mentor_areas", 0, {"area_of_expertise": "Law, Regulation, & Agency Policy"},
                 "isin", id="areas-area-of-expertise-as-printed"),
    pytest.param("mentor_areas", 1, {"area": "cultural compe- tence"}, "no_wrap_artifacts",
                 id="area-wrap-artifact"),
    # illinois_competencies
    pytest.param("illinois_competencies", 1,
                 {"description": "Consultants engage families, providers, programs, and "
                  f"systems in genuine and collaborative relationships. {LINK}"},
                 "description_is_not_flyer_noise", id="description-with-bitly-link"),
    pytest.param("illinois_competencies", 1,
                 {"description": "Consultants engage families, providers, programs, and "
                  f"systems in genuine and collaborative relationships. {CONTACT}"},
                 "description_is_not_flyer_noise", id="description-with-e-mail"),
    pytest.param("illinois_competencies", 1,
                 {"description": "Consultants engage families, providers, programs, and "
                  "systems in genuine and collaborative relationships. Scan the QR code"},
                 "description_is_not_flyer_noise", id="description-with-qr-instruction"),
    pytest.param("illinois_competencies", 0,
                 {"description": "Consultants have foundational knowledge of child "
                  "development. [Click here](#) to view the crosswalk."},
                 "description_is_not_flyer_noise", id="description-with-markdown-link"),
    pytest.param("illinois_competencies", 0,
                 {"title": "Knowledge of Infant/Early Childhood Development, Mental Health, "
                  "and Early Care and Education."},
                 "title_has_no_trailing_period", id="title-with-trailing-period"),
    pytest.param("illinois_competencies", 1,
                 {"title": "#2: Ability to Build Relationships and Collaboratively Engage "
                  "with Families, Providers, Programs, and Systems"},
                 "illinois_title_has_no_number", id="title-with-number"),
    pytest.param("illinois_competencies", 1, {"number": 9}, "less_than_or_equal_to",
                 id="competency-9"),
    pytest.param("illinois_competencies", 0, {"source_line": None}, "provenance_present",
                 id="illinois-no-line-no-page"),
]


@pytest.mark.parametrize(("name", "position", "changes", "check"), BAD_ROWS)
def test_named_check_rejects_bad_row(name, position, changes, check, with_row, known_typos):
    cases = failures(name, with_row(name, position, **changes))
    failed = cases[cases["check"].astype(str).str.startswith(check)]
    assert not failed.empty, cases
    assert set(failed["index"].dropna()) == {position}
    # Only this check fails: the bad row breaks one rule, not several by accident.
    assert set(cases["check"].astype(str).str.split("(").str[0]) == {check}, cases


@pytest.mark.parametrize("name", ["mentor_competencies", "mentor_areas", "illinois_competencies"])
def test_sample_rows_are_valid(name, sample_tables):
    """The baseline of the bad-row tests above: unchanged, every sample row passes."""
    assert failures(name, sample_tables[name]).empty


def test_bullets_and_sub_bullets_in_any_row_order(sample_rows, make_frame, known_typos):
    """"Earlier" is about statement_seq, not where the row sits in the frame."""
    rows = sample_rows["mentor_competencies"][::-1]
    assert failures("mentor_competencies", make_frame("mentor_competencies", rows)).empty


def test_duplicate_statement_seq_reports_both_rows(sample_rows, make_frame, known_typos):
    rows = sample_rows["mentor_competencies"]
    rows.append(dict(rows[3], statement="Sharing information"))  # a second Working with Others/2
    cases = failures("mentor_competencies", make_frame("mentor_competencies", rows))
    unique = cases[cases["check"].astype(str).str.endswith("uniqueness")]
    assert set(unique["index"]) == {3, len(rows) - 1}


def test_same_area_under_both_kinds_is_two_rows(sample_rows, make_frame, known_typos):
    """The key of mentor_areas includes the kind: a name may head both lists."""
    rows = sample_rows["mentor_areas"]
    rows.append(dict(rows[1], area_kind="Skill Areas"))
    assert failures("mentor_areas", make_frame("mentor_areas", rows)).empty
    rows.append(dict(rows[1]))
    cases = failures("mentor_areas", make_frame("mentor_areas", rows))
    assert set(cases["check"].astype(str)) == {"multiple_fields_uniqueness"}
