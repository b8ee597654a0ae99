"""The pandera schemas: valid rows pass, each named check rejects a real-looking bad row."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.metadata import TABLES
from schemas import SCHEMAS, text_rules
from schemas import failure_cases as failures

TEXT_1B2_TYPO = (
    "Considers the influence of program or other setting and organizational functioning on "
    "early chilhood providers, families, infants, and young children"
)


def test_every_table_has_a_schema():
    assert list(SCHEMAS) == list(TABLES)


def test_sample_rows_cover_every_table(sample_rows):
    """Tests that publish "all tables" publish the samples: they must be every table, in
    contract order, with rows (a new table needs sample rows in tests/conftest.py)."""
    assert list(sample_rows) == list(TABLES)
    assert all(sample_rows[name] for name in TABLES)


@pytest.mark.parametrize("name", list(TABLES))
def test_sample_rows_pass(name, sample_tables):
    validated = SCHEMAS[name].validate(sample_tables[name], lazy=True)
    assert list(validated.columns) == TABLES[name].column_names


@pytest.mark.parametrize("name", list(TABLES))
def test_types_follow_metadata(name, sample_tables):
    validated = SCHEMAS[name].validate(sample_tables[name])
    expected = {"string": "string", "integer": "Int64", "boolean": "boolean"}
    for field in TABLES[name].fields:
        assert str(validated[field.name].dtype) == expected[field.type], field.name
    # A missing text is <NA> like a missing integer, not NaN.
    assert validated["source_page"].isna().all()


def test_all_string_frame_is_coerced(sample_tables):
    """A frame of text cells (integers as digits, as read from a text file) validates."""
    data = sample_tables["crosswalk"].astype(object).map(lambda v: None if pd.isna(v) else str(v))
    validated = SCHEMAS["crosswalk"].validate(data)
    assert validated["mapping_seq"].tolist() == [1, 1, 1]


# Flyer furniture of raw/illinois-iecmhc-competencies.txt (lines 9 and 23-29).
CONTACT = "Governor's Office of Early Childhood Development GOV.OECD@illinois.gov"
LINK = "bit.ly/IL-IECMHC"

BAD_ROWS = [
    # crosswalk
    pytest.param("crosswalk", 0, {"endorsement_domain": "Theoretical Foundations"},
                 "unique_iff_endorsement_null", id="unique-with-endorsement-domain"),
    pytest.param("crosswalk", 1, {"alignment": "unique"},
                 "unique_iff_endorsement_null", id="unique-with-every-endorsement-column"),
    pytest.param("crosswalk", 1, {"demonstrated_by": None},
                 "unique_iff_endorsement_null", id="same-without-demonstrated-by"),
    pytest.param("crosswalk", 1, {"coe_category_code": "1A"},
                 "category_is_code_prefix", id="category-not-code-prefix"),
    pytest.param("crosswalk", 2, {"coe_domain_number": 1},
                 "category_is_code_prefix", id="domain-not-first-digit"),
    pytest.param("crosswalk", 1, {"mapping_seq": 2},
                 "mapping_seq_contiguous", id="mapping-seq-starts-at-2"),
    pytest.param("crosswalk", 1, {"coe_competency": "See above."},
                 "see_above_resolved", id="see-above-left"),
    pytest.param("crosswalk", 1, {"coe_competency": "1B.2. Considers the influence of program"},
                 "text_has_no_code", id="code-left-in-skill-text"),
    pytest.param("crosswalk", 1, {"coe_category": "1B. Exhibits an Ability to Work in Natural Settings"},
                 "title_has_no_number", id="code-left-in-category-title"),
    pytest.param("crosswalk", 2, {"endorsement_area": "Relation- ship-Fo- cused, Therapeutic Practice"},
                 "no_wrap_artifacts", id="wrap-artifact-relation-ship"),
    pytest.param("crosswalk", 2, {"demonstrated_by": "Understands family relationship develop- ment"},
                 "no_wrap_artifacts", id="wrap-artifact-develop-ment"),
    pytest.param("crosswalk", 1, {"endorsement_domain": "Law, Regulation, and Agency Policy"},
                 "isin", id="endorsement-domain-not-canonical"),
    pytest.param("crosswalk", 1, {"endorsement_level": "(MHS)"},
                 "isin", id="level-tag-not-parsed"),
    pytest.param("crosswalk", 1, {"alignment": "≈"}, "isin", id="alignment-symbol"),
    pytest.param("crosswalk", 1, {"coe_code": "1B.2."}, "str_matches", id="code-with-final-dot"),
    # text rules
    pytest.param("coe_competencies", 1, {"competency_text": TEXT_1B2_TYPO},
                 "no_known_typos", id="known-typo"),
    pytest.param("coe_competencies", 1, {"competency_text": TEXT_1B2_TYPO.replace("chilhood", "CHILHOOD")},
                 "no_known_typos", id="known-typo-any-case"),
    pytest.param("coe_competencies", 2, {"competency_text": "Understands and supports  cultural variations"},
                 "no_double_spaces", id="double-space"),
    pytest.param("coe_competencies", 2, {"competency_text": "Understands and supports \ncultural variations"},
                 "no_double_spaces", id="space-then-line-break"),
    # Python's \s: a no-break space is whitespace (pyarrow's RE2 would not see it).
    pytest.param("coe_competencies", 2, {"competency_text": "Understands and supports\u00a0 cultural variations"},
                 "no_double_spaces", id="no-break-space-then-space"),
    pytest.param("coe_competencies", 2, {"competency_text": "Understands and supports cultural variations "},
                 "no_edge_spaces", id="trailing-space"),
    pytest.param("coe_domains", 0, {"description": "\tUnderstands and can convey how IECMHC"},
                 "no_edge_spaces", id="leading-tab"),
    pytest.param("coe_competencies", 0, {"competency_text": "Can articulate the elements of the \u201cconsultative stance,\u201d"},
                 "no_curly_quotes", id="curly-double-quotes"),
    pytest.param("crosswalk", 1, {"demonstrated_by": "respect for each client family\u2019s culture"},
                 "no_curly_quotes", id="curly-apostrophe"),
    pytest.param("coe_domains", 1, {"description": "Draws from diverse cafe\u0301 backgrounds"},
                 "unicode_nfc", id="decomposed-accent"),
    # coe_competencies
    pytest.param("coe_competencies", 1, {"category_code": "1A"},
                 "category_is_code_prefix", id="competency-category-mismatch"),
    pytest.param("coe_competencies", 0, {"competency_text": "Can articulate the elements of the consultative stance [1]"},
                 "no_footnote_marker", id="footnote-marker-left"),
    pytest.param("coe_competencies", 0, {"priority_note": "covered in 1C.1"},
                 "note_instead_of_priority", id="note-and-priority"),
    pytest.param("coe_competencies", 0, {"priority": "*"}, "isin", id="priority-mark-not-mapped"),
    pytest.param("coe_competencies", 0, {"competency_text": ""}, "not_empty", id="empty-required-text"),
    # coe_categories / coe_domains
    pytest.param("coe_categories", 2, {"domain_number": 1}, "domain_is_code_digit",
                 id="category-domain-mismatch"),
    pytest.param("coe_categories", 0, {"category_title": "1A. Distinguishes IECMHC from Other Related Endeavors"},
                 "title_has_no_code", id="category-title-with-code"),
    pytest.param("coe_domains", 0, {"domain_title": "1. Role of the IECMH Consultant"},
                 "title_has_no_number", id="domain-title-with-number"),
    pytest.param("coe_domains", 0, {"domain_number": 9}, "less_than_or_equal_to", id="domain-9"),
    # provenance
    pytest.param("crosswalk", 1, {"source_page": 4}, "provenance_present", id="line-and-page"),
    pytest.param("coe_domains", 1, {"source_line": None}, "provenance_present", id="no-line-no-page"),
    pytest.param("crosswalk", 1, {"source_line": 0}, "greater_than_or_equal_to", id="line-zero"),
    # endorsement_index
    pytest.param("endorsement_index", 0, {"unique_to_alliance": True}, "unique_iff_no_code",
                 id="unique-to-alliance-with-code"),
    pytest.param("endorsement_index", 2, {"unique_to_alliance": False}, "unique_iff_no_code",
                 id="no-code-not-unique"),
    pytest.param("endorsement_index", 0, {"endorsement_levels": "MHS;IFS"},
                 "levels_in_canonical_order", id="levels-out-of-order"),
    pytest.param("endorsement_index", 0, {"endorsement_levels": "IFA, IFS, MHS, MHM"},
                 "str_matches", id="levels-comma-joined"),
    pytest.param("endorsement_index", 2, {"endorsement_levels": "MHS"},
                 "designation_needs_mentor_level", id="designation-without-mhm"),
    pytest.param("endorsement_index", 1, {"endorsement_domain": "Theoretical Foundations (cont.)"},
                 "isin", id="cont-not-dropped"),
    pytest.param("endorsement_index", 1, {"coe_code": "1C2"}, "str_matches", id="code-not-normalised"),
    # crosswalk: an area_id exactly where the row maps to an Endorsement area
    pytest.param("crosswalk", 1, {"area_id": None}, "unique_iff_endorsement_null",
                 id="area-without-area-id"),
    pytest.param("crosswalk", 0, {"area_id": "theoretical-foundations--cultural-humility"},
                 "unique_iff_endorsement_null", id="unique-row-with-area-id"),
    pytest.param("crosswalk", 1, {"area_id": "Theoretical Foundations/Cultural Humility"},
                 "str_matches", id="area-id-not-a-slug"),
    pytest.param("crosswalk", 1, {"competency_priority": "*"}, "isin",
                 id="competency-priority-mark-not-mapped"),
    # endorsement_areas, endorsement_area_spellings
    pytest.param("endorsement_areas", 3, {"area_id": "theoretical-foundations--cultural-humble"},
                 "id_is_slug_of_names", id="area-id-of-another-name"),
    pytest.param("endorsement_areas", 3, {"area_id": "reflection--cultural-humility"},
                 "id_is_slug_of_names", id="area-id-of-another-domain"),
    pytest.param("endorsement_areas", 2, {"endorsement_domain": "Theoretical foundations"},
                 "isin", id="area-domain-not-canonical"),
    pytest.param("endorsement_area_spellings", 0, {"dataset": "reverse_table"}, "isin",
                 id="spelling-dataset-unknown"),
    pytest.param("endorsement_area_spellings", 2, {"rows": 0}, "greater_than_or_equal_to",
                 id="spelling-on-no-row"),
    pytest.param("endorsement_area_spellings", 1, {"area_id": None}, "not_nullable",
                 id="spelling-without-area"),
    # audit tables
    pytest.param("corrections", 0, {"after": "chilhood"}, "changes_something", id="no-op-correction"),
    pytest.param("corrections", 0, {"field": "text"}, "field_is_column", id="field-not-a-column"),
    pytest.param("corrections", 0, {"dataset": "competencies"}, "dataset_is_published",
                 id="correction-dataset-unknown"),
    pytest.param("corrections", 0, {"rule": "magic"}, "isin", id="rule-unknown"),
    pytest.param("quality_issues", 0, {"dataset": "reverse_table"}, "dataset_is_published",
                 id="issue-dataset-unknown"),
    # the guideline tables (CT-AIMH Mentor, Illinois); sample positions in conftest.py
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
    pytest.param("mentor_competencies", 0, {"designation_research_faculty": False},
                 "flags_follow_designations", id="designation-a-not-expanded"),
    pytest.param("mentor_competencies", 1, {"designation_clinical": True},
                 "flags_follow_designations", id="designation-flag-not-named"),
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
    pytest.param("mentor_areas", 1, {"area_id": "theoretical-foundations/cultural-competence"},
                 "str_matches", id="mentor-area-id-not-a-slug"),
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


def test_duplicate_key_reports_both_rows(sample_rows, make_frame, known_typos):
    rows = sample_rows["coe_categories"]
    rows.append(dict(rows[0], source_line=152))
    cases = failures("coe_categories", make_frame("coe_categories", rows))
    unique = cases[cases["check"].str.endswith("uniqueness")]
    assert set(unique["index"]) == {0, 3}
    assert set(unique["failure_case"]) == {"1A"}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("which may include programmatic and/or infant- or young child- and "
                     "family-specific activities", id="suspended-hyphens"),
        pytest.param("Child- and Family-Focused Consultation", id="child-and-family"),
        pytest.param("pre- & post-natal care", id="suspended-hyphen-ampersand"),
        pytest.param("families; staff, and others - including \"home visitors\" - who work",
                     id="spaced-dash-and-straight-quotes"),
        pytest.param("Understands family relationship develop\u00adment", id="soft-hyphen"),
    ],
)
def test_text_rules_accept_real_text(text, with_row, known_typos):
    cases = failures("crosswalk", with_row("crosswalk", 1, demonstrated_by=text))
    assert cases.empty, cases


@pytest.mark.parametrize("rule", text_rules.TEXT_RULES, ids=lambda rule: rule.__name__)
def test_every_text_rule_passes_a_null(rule, known_typos):
    """pandera hands the rules their column nulls included (schemas.base._column_check):
    a null is never a text fault, the cell next to it is still judged."""
    known_typos.write_text("wrong,right\nchilhood,childhood\n", encoding="utf-8")
    faulty = "early chilhood  \u201cRelation- ship\u201d cafe\u0301 "  # every fault at once
    texts = pd.Series([None, faulty], dtype="string")
    assert rule(texts).tolist() == [True, False]


def test_typo_list_is_read_at_validation_time(with_row, known_typos):
    data = with_row("crosswalk", 1, demonstrated_by="Identifies and reaches out to families")
    assert failures("crosswalk", data).empty
    known_typos.write_text("wrong,right\nIdentifies,Indentifies\n", encoding="utf-8")
    assert set(failures("crosswalk", data)["check"]) == {"no_known_typos"}


def test_typo_matches_whole_words_only(with_row, known_typos):
    known_typos.write_text("wrong,right\nno,not\n", encoding="utf-8")
    data = with_row("crosswalk", 1, demonstrated_by="cultures not being served; knowledge")
    assert failures("crosswalk", data).empty


def test_missing_typo_list_fails_loudly(sample_tables, tmp_path, monkeypatch):
    """Without the list the check cannot run: that is a failure, not a silent pass."""
    monkeypatch.setattr(text_rules, "TYPOS_CSV", tmp_path / "absent.csv")
    cases = failures("coe_domains", sample_tables["coe_domains"])
    assert "no_known_typos" in set(cases["check"])


def test_empty_optional_text_is_null(with_row, known_typos):
    """The CSV contract: an empty field is null, so "" and null are one value."""
    data = with_row("crosswalk", 0, demonstrated_by="")
    validated = SCHEMAS["crosswalk"].validate(data)
    assert pd.isna(validated.loc[0, "demonstrated_by"])


def test_audit_tables_keep_source_fragments(with_row, known_typos):
    """`before` quotes the source as printed: typos and wrap artifacts are expected there."""
    data = with_row("corrections", 0, before="Relation- ship-Fo- cused", after="Relationship-Focused",
                    rule="dehyphenate", field="endorsement_area", dataset="crosswalk", row_key="2A.6/1")
    assert failures("corrections", data).empty


def test_strict_and_ordered_columns(sample_tables):
    extra = sample_tables["coe_domains"].assign(page_text="x")
    assert "column_in_schema" in set(failures("coe_domains", extra)["check"])
    swapped = sample_tables["coe_domains"][["domain_title", "domain_number", "description",
                                    "source_id", "source_line", "source_page"]]
    assert "column_ordered" in set(failures("coe_domains", swapped)["check"])


def test_lazy_validation_reports_every_bad_row(sample_rows, make_frame, known_typos):
    rows = sample_rows["crosswalk"]
    rows[0]["endorsement_domain"] = "Theoretical Foundations"  # unique with a domain
    rows[1]["endorsement_area"] = "Relation- ship-Fo- cused, Therapeutic Practice"
    rows[2]["coe_competency"] = rows[2]["coe_competency"].replace("child-rearing", "yound child-rearing")
    cases = failures("crosswalk", make_frame("crosswalk", rows))
    by_check = {check: set(group["index"]) for check, group in cases.groupby("check")}
    assert by_check["unique_iff_endorsement_null"] == {0}
    assert by_check["no_wrap_artifacts"] == {1}
    assert by_check["no_known_typos"] == {2}
