"""Web records → crosswalk rows, and reconciling them with the table rendition."""


import pandas as pd
import pytest

from pipeline.extract.crosswalk_web import extract_crosswalk_web
from pipeline.metadata import CROSSWALK
from pipeline.transform.cells.audit import AuditLog
from pipeline.transform.cells.lexicon import Lexicon
from pipeline.transform.cells.text import clean_text
from pipeline.transform.crosswalk_web import (
    clean_crosswalk_web,
    comparable,
    damage_of,
    reconcile_renditions,
)

# Real records of the domain-4 page (lines 4–13 and 24–33, 105–109 of the file).
PAGE = """Unless otherwise noted, the IECMH competencies refer to Infant Family Specialist and Early Childhood Family Specialist.
4A.1. Understands, can describe, and values the importance and benefits of reflective practice.
Essential or important?: Essential
IECMHC Endorsement Competency: Reflection
Knowledge/Skill Area: Emotional Response
As Demonstrated by/Other Work Experience (and Interview): Uses reflective practice throughout work to understand own emotional response to infant/family work and recognize areas for professional and/or personal development
4A.1. Understands, can describe, and values the importance and benefits of reflective practice.
Essential or important?: Important
IECMHC Endorsement Competency: Direct Service Skills
Knowledge/Skill Area: Reflective Supervision (MHM)
As Demonstrated by/Other Work Experience (and Interview): Promotes reflective supervision
4A.4. Reflects on culture, values, belief, and backgrouds, privilige, biases, assumptions, and experiences.
Essential or important?: Important
IECMHC Endorsement Competency: Unique
Knowledge/Skill Area:
As Demonstrated by/Other Work Experience (and Interview):
4B.8. Reflects with supervisor and colleagues on how to leverage opportunities to be a voice for equity in one’s own organization and the broader community.
Essential or important?: Important
IECMHC Endorsement Competency: Administration (MHM)
Knowledge/Skill Area: Program development (MHM)
As Demonstrated by/Other Work Experience (and Interview): Advocates for funds/programming for effective service delivery to families outside of the dominant culture
"""
TABLE_LINES = {"4A.1/1": 321, "4A.1/2": 322, "4A.4/1": 328, "4B.8/1": 351}


@pytest.fixture
def web(tmp_path) -> pd.DataFrame:
    path = tmp_path / "section-4.txt"
    path.write_text(PAGE, encoding="utf-8")
    return clean_crosswalk_web(extract_crosswalk_web(path, "web-4")["records"], AuditLog())


@pytest.fixture
def table(web) -> pd.DataFrame:
    """The same rows as the table rendition gives them (provenance of the table export);
    mapping rows hold the row's mark as ``priority`` (``mapping_priority`` once published)."""
    columns = [{"mapping_priority": "priority"}.get(c, c) for c in CROSSWALK.column_names]
    rows = web.reindex(columns=columns).copy()
    rows["source_id"] = "table"
    keys = rows["coe_code"] + "/" + rows["mapping_seq"].astype(str)
    rows["source_line"] = keys.map(TABLE_LINES).astype("Int64")
    return rows


def _at(frame, code, seq):
    return frame.index[(frame["coe_code"] == code) & (frame["mapping_seq"] == seq)][0]


def test_web_records_become_crosswalk_rows(web):
    assert list(zip(web["coe_code"], web["mapping_seq"])) == [
        ("4A.1", 1), ("4A.1", 2), ("4A.4", 1), ("4B.8", 1)]
    assert web["priority"].tolist() == ["Essential", "Important", "Important", "Important"]
    assert web["alignment"].tolist() == ["same", "same", "unique", "same"]
    assert web["endorsement_level"].fillna("-").tolist() == ["IFS", "MHM", "-", "MHM"]
    assert web.loc[1, "endorsement_area"] == "Reflective Supervision"
    last = web.iloc[3]
    assert (last["endorsement_domain"], last["endorsement_area"]) == (
        "Administration", "Program development")
    assert (last["coe_domain_number"], last["coe_category_code"]) == (4, "4B")


def test_unique_row_has_null_endorsement_fields(web):
    unique = web.iloc[2]
    assert unique[["endorsement_domain", "endorsement_area", "endorsement_level",
                   "demonstrated_by"]].isna().all()


def test_identical_renditions_agree(web, table):
    audit = AuditLog()
    repaired, agreement = reconcile_renditions(table, web, audit)
    assert audit.issues == [] and audit.corrections == []
    assert agreement == {4: {"compared": 4, "agreeing": 4, "repaired": 0,
                             "table_only": 0, "web_only": 0}}
    pd.testing.assert_frame_equal(repaired, table)


def test_altered_record_gives_exactly_one_mismatch_and_clean_cell_is_kept(web, table):
    index = _at(table, "4A.1", 2)
    table.loc[index, "demonstrated_by"] = "Promotes reflective consultation"
    audit = AuditLog()
    repaired, agreement = reconcile_renditions(table, web, audit, is_word=lambda w: True)
    assert [(i["kind"], i["row_key"], i["detail"]) for i in audit.issues] == [(
        "rendition_mismatch", "4A.1/2",
        "demonstrated_by: table='Promotes reflective consultation' (line 322) "
        "web='Promotes reflective supervision' (line 11)")]
    assert audit.issues[0]["source_id"] == "table" and audit.issues[0]["source_line"] == 322
    assert repaired.loc[index, "demonstrated_by"] == "Promotes reflective consultation"
    assert audit.corrections == []
    assert agreement[4]["agreeing"] == 3


def test_damaged_table_cell_is_replaced_by_clean_web_cell(web, table):
    index = _at(table, "4B.8", 1)
    table.loc[index, "endorsement_domain"] = "Admin tion (M"
    audit = AuditLog()
    known = {"administration", "program", "development"}
    repaired, agreement = reconcile_renditions(table, web, audit, is_word=known.__contains__)
    assert repaired.loc[index, "endorsement_domain"] == "Administration"
    assert [(c["row_key"], c["field"], c["before"], c["after"], c["rule"], c["source_line"])
            for c in audit.corrections] == [
        ("4B.8/1", "endorsement_domain", "Admin tion (M", "Administration", "rendition", 351)]
    assert audit.issues == []
    assert agreement[4] == {"compared": 4, "agreeing": 3, "repaired": 1,
                            "table_only": 0, "web_only": 0}


def test_case_whitespace_and_quote_style_count_as_equal(web, table):
    index = _at(table, "4B.8", 1)
    table.loc[index, "coe_competency"] = table.loc[index, "coe_competency"].replace(
        "one’s", "one's").upper().replace(" ", "  ")
    audit = AuditLog()
    repaired, _ = reconcile_renditions(table, web, audit)
    assert audit.issues == [] and audit.corrections == []
    assert repaired.loc[index, "coe_competency"] == table.loc[index, "coe_competency"]


def test_rows_in_one_rendition_only(web, table):
    other_domain = table.iloc[[0]].assign(coe_code="1A.1", source_line=100)
    table = pd.concat([table.drop(index=_at(table, "4A.4", 1)), other_domain],
                      ignore_index=True)
    table.loc[len(table)] = table.iloc[0].copy()
    table.loc[len(table) - 1, ["coe_code", "source_line"]] = ["4C.9", 400]
    audit = AuditLog()
    _, agreement = reconcile_renditions(table, web, audit)
    assert sorted((i["kind"], i["row_key"], i["detail"]) for i in audit.issues) == [
        ("rendition_missing_row", "4A.4/1", "only in the web rendition (line 12)"),
        ("rendition_missing_row", "4C.9/1", "only in the table rendition (line 400)"),
    ]
    assert agreement[4]["table_only"] == 1 and agreement[4]["web_only"] == 1
    assert 1 not in agreement  # a domain the web pages do not cover is not compared


def test_priority_and_level_disagreements_are_reported_never_repaired(web, table):
    index = _at(table, "4A.1", 2)
    table.loc[index, ["priority", "endorsement_level"]] = ["Essential", "IFS"]
    audit = AuditLog()
    repaired, _ = reconcile_renditions(table, web, audit, is_word=lambda w: True)
    assert sorted(i["detail"].split(":")[0] for i in audit.issues) == [
        "endorsement_level", "priority"]
    assert repaired.loc[index, "priority"] == "Essential"


@pytest.mark.parametrize("table_value, web_value, reason", [
    pytest.param("Admin tion (M", "Administration", "unknown words", id="garbled"),
    pytest.param("Program development", "Program development/management", "truncated",
                 id="truncated"),
    pytest.param("Sees and can explain the picture", "Sees and can explain the big picture",
                 "words dropped", id="words-dropped"),
    pytest.param("Promotes reflective consultation", "Promotes reflective supervision", None,
                 id="clean-different"),
    pytest.param("Reflects", "Reflects with supervisor and colleagues on equity", None,
                 id="too-little-left-to-tell"),
    pytest.param(None, "Promotes reflective supervision", None, id="empty-table-cell"),
])
def test_damage_of(table_value, web_value, reason):
    known = {"administration", "program", "development", "management", "sees", "and", "can",
             "explain", "the", "big", "picture", "promotes", "reflective", "consultation",
             "supervision"}
    assert damage_of(table_value, web_value, is_word=known.__contains__) == reason


def test_comparable_ignores_only_case_space_and_quotes():
    assert comparable("Sees the “big picture”") == comparable(' sees  the "BIG picture" ')
    assert comparable("well-being") != comparable("well–being")


def test_cells_cleaned_from_the_memo_are_cleaned_as_afresh(tmp_path):
    # The two 4A.1 records repeat their competency text: the second is read from the memo
    # the first filled; a lexicon of its own (no memo yet) cleans every cell the same way.
    path = tmp_path / "section-4.txt"
    path.write_text(PAGE, encoding="utf-8")
    records = extract_crosswalk_web(path, "web-4")["records"]
    lexicon = Lexicon.default().with_document([])
    first = clean_crosswalk_web(records, AuditLog(), lexicon=lexicon)
    again = clean_crosswalk_web(records, AuditLog(), lexicon=lexicon)
    fresh = [clean_text(text, [], Lexicon.default().with_document([]))
             for text in records["skill"]]
    pd.testing.assert_frame_equal(first, again)
    assert list(first["coe_competency"]) == fresh
    assert "backgrounds, privilege" in first["coe_competency"].iloc[2]
