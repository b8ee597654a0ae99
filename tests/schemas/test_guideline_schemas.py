"""The schemas of the guideline tables (CT-AIMH Mentor, Illinois) beyond the one-bad-row
cases (those are in test_schemas.py with the others): row order and keys.

The sample rows (tests/conftest.py) are, by position:

- ``mentor_competencies``: 0 Theoretical Foundations/11 (A), 1 Theoretical Foundations/13
  (P;RF), 2 Working with Others/1 (a bullet), 3 and 4 Working with Others/2 and /3 (its
  sub-bullets, parent_seq 1), 5 Working with Others/6 (the next bullet);
- ``mentor_areas``: 0 and 1 Theoretical Foundations knowledge areas, 2 a Working with
  Others skill area;
- ``illinois_competencies``: 0 #1, 1 #2.
"""

from __future__ import annotations

from schemas import failure_cases as failures


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
