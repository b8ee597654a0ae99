"""validate_tables: every failure reported at once, with where to look in the source."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.errors import PipelineError
from pipeline.validate import (
    FAILURE_COLUMNS,
    ValidationFailed,
    validate_tables,
    write_failure_report,
)
from schemas import SCHEMAS

SOURCE = "coe-alliance-crosswalk-2023"


def failure_cases(tables) -> pd.DataFrame:
    with pytest.raises(ValidationFailed) as raised:
        validate_tables(tables)
    assert raised.value.exit_code == 1
    return raised.value.failure_cases


def test_valid_tables_come_back_typed_in_input_order(sample_tables):
    order = ["crosswalk", "coe_domains", "quality_issues"]
    validated = validate_tables({name: sample_tables[name] for name in order})
    assert list(validated) == order
    assert str(validated["crosswalk"]["mapping_seq"].dtype) == "Int64"
    assert str(validated["crosswalk"]["coe_code"].dtype) == "string"


def test_all_tables_pass(sample_tables):
    assert set(validate_tables(sample_tables)) == set(sample_tables)


def test_failure_names_source_line_check_column_and_value(sample_tables):
    crosswalk = sample_tables["crosswalk"]
    crosswalk.loc[0, "endorsement_domain"] = "Theoretical Foundations"  # 1A.1 is unique
    cases = failure_cases(sample_tables)
    assert list(cases.columns) == list(FAILURE_COLUMNS)
    row = cases[cases["column"] == "endorsement_domain"].iloc[0].to_dict()
    assert row == {
        "table": "crosswalk",
        "row_index": 0,
        "row_key": "1A.1/1",
        "source_id": SOURCE,
        "source_line": 147,
        "source_page": None,
        "check": "unique_iff_endorsement_null",
        "column": "endorsement_domain",
        "value": "Theoretical Foundations",
    }
    # A row-level check is reported on the columns it names, nulls included.
    assert cases["column"].tolist() == [
        "alignment", "area_id", "demonstrated_by", "endorsement_area", "endorsement_domain",
        "endorsement_level",
    ]
    assert cases.set_index("column").loc["endorsement_area", "value"] is None


def test_failure_quotes_the_cell_as_given_not_as_parsed(sample_tables):
    """pandera parses an empty optional text to null before its checks; the report
    quotes what the table held, so the empty string that broke the row is visible."""
    crosswalk = sample_tables["crosswalk"]
    assert crosswalk.loc[1, "alignment"] != "unique"
    crosswalk.loc[1, "demonstrated_by"] = ""
    cases = failure_cases(sample_tables)
    row = cases[(cases["row_index"] == 1) & (cases["column"] == "demonstrated_by")]
    assert row[["check", "value"]].values.tolist() == [["unique_iff_endorsement_null", ""]]
    assert crosswalk.loc[1, "demonstrated_by"] == ""  # the caller's frame is left as it was


def test_every_failing_row_is_reported(sample_tables):
    competencies = sample_tables["coe_competencies"]
    competencies.loc[1, "competency_text"] = "Considers ... on early chilhood providers"
    competencies.loc[2, "competency_text"] = "Understands and supports  cultural variations"
    sample_tables["endorsement_index"].loc[0, "endorsement_levels"] = "MHS;IFS"
    cases = failure_cases(sample_tables)
    assert cases[["table", "source_line", "check"]].values.tolist() == [
        ["coe_competencies", 153, "no_known_typos"],
        ["coe_competencies", 244, "no_double_spaces"],
        # ... and the crosswalk no longer repeats the competencies' text:
        ["crosswalk", 153, "copies_competency_text"],
        ["crosswalk", 244, "copies_competency_text"],
        ["endorsement_index", 519, "levels_in_canonical_order"],
        ["endorsement_index", 519, "levels_in_canonical_order"],
    ]


def test_foreign_key_to_missing_competency(sample_tables):
    crosswalk = sample_tables["crosswalk"]
    crosswalk.loc[2, ["coe_code", "source_line"]] = ["2C.9", 250]
    cases = failure_cases(sample_tables)
    assert cases[["table", "row_key", "source_line", "check", "column", "value"]].values.tolist() == [
        ["crosswalk", "2C.9/1", 250, "references_coe_competencies", "coe_code", "2C.9"],
    ]


def test_null_foreign_key_is_not_checked(sample_tables):
    """An area unique to the Alliance has no CoE code: nothing to reference."""
    validate_tables(sample_tables)
    assert sample_tables["endorsement_index"]["coe_code"].isna().any()


def test_denormalized_copy_must_match(sample_tables):
    sample_tables["crosswalk"].loc[2, "coe_domain"] = "Foundational Knowledge and Theories"
    sample_tables["coe_competencies"].loc[0, "priority"] = "Important"
    cases = failure_cases(sample_tables)
    assert cases[["table", "row_key", "check", "value"]].values.tolist() == [
        ["coe_competencies", "1A.1", "priority_of_first_mapping", "Important"],
        # ... and the crosswalk no longer repeats the competency's own priority:
        ["crosswalk", "1A.1/1", "copies_competency_priority", "Essential"],
        ["crosswalk", "2C.1/1", "copies_domain_title", "Foundational Knowledge and Theories"],
    ]


def test_competency_priority_repeats_the_competency_not_the_row(sample_tables):
    """A `See above.` row may be marked ••• under an Essential competency: its
    mapping_priority says so, its competency_priority may not."""
    crosswalk = sample_tables["crosswalk"]
    see_above = crosswalk.iloc[[1]].assign(mapping_seq=2, mapping_priority="Important",
                                           source_line=155)
    sample_tables["crosswalk"] = pd.concat([crosswalk, see_above], ignore_index=True)
    validate_tables(sample_tables)
    sample_tables["crosswalk"].loc[3, "competency_priority"] = "Important"
    cases = failure_cases(sample_tables)
    assert cases[["table", "row_key", "check", "value"]].values.tolist() == [
        ["crosswalk", "1B.2/2", "copies_competency_priority", "Important"],
    ]


def test_area_id_must_name_an_area_of_its_domain(sample_tables):
    sample_tables["crosswalk"].loc[1, "area_id"] = "theoretical-foundations--cultural-humbleness"
    sample_tables["mentor_areas"].loc[2, "area_of_expertise"] = "Leading People"
    sample_tables["endorsement_area_spellings"].loc[2, "endorsement_domain"] = "Reflection"
    cases = failure_cases(sample_tables)
    assert cases[["table", "row_key", "check", "column", "value"]].values.tolist() == [
        ["crosswalk", "1B.2/1", "references_endorsement_areas", "area_id",
         "theoretical-foundations--cultural-humbleness"],
        ["endorsement_area_spellings", "crosswalk/Reflection/Cultural Humility",
         "domain_of_area", "endorsement_domain", "Reflection"],
        ["mentor_areas", "Leading People/Skill Areas/building & maintaining relationships",
         "domain_of_area", "area_of_expertise", "Leading People"],
    ]


def test_a_mentor_area_without_an_endorsement_area_is_valid(sample_tables):
    """A CT-AIMH area that matches no area of the crosswalk keeps a null area_id (and is
    a quality issue), never a made-up one."""
    sample_tables["mentor_areas"].loc[0, "area_id"] = None
    validate_tables(sample_tables)


def test_a_mapping_row_without_a_priority_or_a_note_fails(sample_tables):
    """An unreadable priority mark must never pass as a null: a row's priority may be
    missing only where its competency gives a note instead."""
    sample_tables["crosswalk"].loc[0, ["mapping_priority", "competency_priority"]] = None
    sample_tables["coe_competencies"].loc[0, "priority"] = None
    cases = failure_cases(sample_tables)
    assert cases[["table", "row_key", "check", "column"]].values.tolist() == [
        ["coe_competencies", "1A.1", "note_instead_of_priority", "coe_code"],
        ["coe_competencies", "1A.1", "note_instead_of_priority", "priority"],
        ["coe_competencies", "1A.1", "note_instead_of_priority", "priority_note"],
        ["crosswalk", "1A.1/1", "priority_present", "mapping_priority"],
    ]


def test_one_run_reports_schema_and_cross_table_failures(sample_tables):
    """A table that fails its own schema is still compared with the others."""
    sample_tables["coe_competencies"].loc[0, "domain_number"] = 3
    sample_tables["crosswalk"].loc[2, ["coe_code", "source_line"]] = ["2C.9", 250]
    cases = failure_cases(sample_tables)
    assert cases[["table", "row_key", "check", "column", "value"]].values.tolist() == [
        ["coe_competencies", "1A.1", "category_is_code_prefix", "category_code", "1A"],
        ["coe_competencies", "1A.1", "category_is_code_prefix", "coe_code", "1A.1"],
        ["coe_competencies", "1A.1", "category_is_code_prefix", "domain_number", 3],
        ["coe_competencies", "1A.1", "references_coe_domains", "domain_number", 3],
        ["crosswalk", "2C.9/1", "references_coe_competencies", "coe_code", "2C.9"],
    ]


def test_undeclared_column_is_named(sample_tables):
    sample_tables["coe_domains"]["page_text"] = "x"
    cases = failure_cases(sample_tables)
    assert cases[["table", "row_index", "check", "column", "value"]].values.tolist() == [
        ["coe_domains", None, "column_in_schema", None, "page_text"],
    ]


def test_table_without_schema_is_refused(sample_tables):
    """Nothing is published unvalidated: a table no schema covers stops the run (exit 2),
    before any table is validated, even alongside valid ones."""
    assert "no_such_table" not in SCHEMAS
    with pytest.raises(PipelineError) as raised:
        validate_tables({**sample_tables, "no_such_table": pd.DataFrame()})
    assert not isinstance(raised.value, ValidationFailed)
    assert raised.value.exit_code == 2
    assert "no schema for table(s) no_such_table" in str(raised.value)


def test_report_lists_every_failure(sample_tables, tmp_path):
    crosswalk = sample_tables["crosswalk"]
    crosswalk.loc[1, "endorsement_area"] = "Relation- ship-Fo- cused, Therapeutic Practice"
    crosswalk.loc[2, "demonstrated_by"] = "Understands family relationship develop- ment"
    with pytest.raises(ValidationFailed) as raised:
        validate_tables(sample_tables)
    txt_path = write_failure_report(raised.value.failure_cases, tmp_path / "reports")
    csv_path = txt_path.with_name("failure_cases.csv")

    written = pd.read_csv(csv_path, keep_default_na=False)
    assert len(written) == 2
    report = txt_path.read_text(encoding="utf-8")
    assert report.startswith("Validation failed: 2 failure(s) in 2 row(s) of 1 table(s).")
    assert f"{SOURCE}:153  row 1B.2/1  no_wrap_artifacts  endorsement_area = " \
        "'Relation- ship-Fo- cused, Therapeutic Practice'" in report
    assert f"{SOURCE}:244  row 2C.1/1  no_wrap_artifacts  demonstrated_by = " in report
    assert "  no_wrap_artifacts: No word broken by a line wrap" in report


def test_message_points_to_the_report(sample_tables):
    sample_tables["coe_domains"].loc[0, "description"] = "Understands and can convey  how"
    with pytest.raises(ValidationFailed) as raised:
        validate_tables(sample_tables)
    assert "1 validation failure(s) in coe_domains" in str(raised.value)
    assert "validation_report.txt" in str(raised.value)
