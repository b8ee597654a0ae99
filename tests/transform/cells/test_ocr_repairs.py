"""OCR repairs: codes, priority and alignment marks read back where one reading fits,
each logged with rule ``ocr``; doubted words nothing settles reported with page and box.
Inputs are what Tesseract 5 read from 200-dpi scans of the crosswalk."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.transform.cells.audit import AuditLog, Edit
from pipeline.transform.cells.ocr_repairs import (
    doubtful_words,
    drop_specks,
    read_back_code,
    repair_alignment,
    repair_category,
    repair_code,
    repair_code_list,
    repair_leading_code,
    repair_level_tag,
    repair_look_alike,
    repair_ocr_rows,
    repair_priority,
    repair_spaced_dash,
    report_doubtful_cells,
    split_run_together,
)


@pytest.mark.parametrize("token, code", [
    pytest.param("TA.", "7A.", id="T-for-7"),
    pytest.param("1¢.", "1C.", id="cent-for-C"),
    pytest.param("1c.", "1C.", id="lower-c"),
    pytest.param("2A.l", "2A.1", id="l-for-1"),
    pytest.param("BA.", "8A.", id="B-for-8"),
    pytest.param("1C€.4.", "1C.4.", id="stray-glyph"),
    pytest.param("3B,2.", "3B.2.", id="comma-for-dot"),
    pytest.param("7Cl1,", "7C11,", id="list-item-keeps-its-comma"),
])
def test_misread_code_is_read_back(token, code):
    assert repair_code(token) == code


@pytest.mark.parametrize("token", ["1A.1.", "1H1,", "IECMH", "to", "Be.", "Theory", "lb", "1A"])
def test_codes_and_words_are_left_as_read(token):
    assert repair_code(token) is None


def test_leading_code_of_a_skill_cell_is_logged():
    edits: list[Edit] = []
    assert repair_leading_code("TA.3. Uses reflective practice", edits) == \
        "7A.3. Uses reflective practice"
    assert edits == [Edit("ocr", "TA.3.", "7A.3.")]


def test_category_code_is_read_from_the_competency_on_its_row():
    edits: list[Edit] = []
    assert repair_category("ak:", "1F.3. Carries out the mandate", edits) == "1F."
    assert edits == [Edit("ocr", "ak:", "1F.")]
    assert repair_category("Deepens Knowledge", "1E.1. Actively participates") == \
        "Deepens Knowledge"


@pytest.mark.parametrize("cell, mark", [
    ("eee", "•••"), ("e e e", "•••"), ("ove", "•••"), ("**e", "•••"), ("¢*e«", "•••"),
    ("x", "*"), ("+", "*"), ("a", "*"), ("*", "*"), ("•••", "•••"),
    ("covered in 1C1", "covered in 1C1"),
])
def test_priority_marks_are_read_by_how_many_glyphs_were_read(cell, mark):
    assert repair_priority(cell) == mark


def test_alignment_marks_only_at_the_start_of_the_cell():
    assert repair_alignment("# Unique") == "≠ Unique"
    assert repair_alignment("= Communicating") == "≈ Communicating"
    assert repair_alignment("Writing = speaking") == "Writing = speaking"


def test_code_list_drops_specks_between_codes_only_when_all_are_codes():
    assert repair_code_list("LE2;-1F1,:1F3") == "1E2, 1F1, 1F3"
    assert repair_code_list("Unique to Alliance") == "Unique to Alliance"
    assert repair_code_list("1H1, 2A1") == "1H1, 2A1"


def test_level_tag_gets_back_its_dash():
    assert repair_level_tag("program funding (MHM policy)") == "program funding (MHM - policy)"


@pytest.mark.parametrize("read, printed", [
    pytest.param("works withina program's mission", "works within a program's mission",
                 id="a-glued-to-a-word"),
    pytest.param("that developmentisatransactional phenomenon",
                 "that development is a transactional phenomenon", id="four-words"),
])
def test_words_run_together_are_split_and_logged(read, printed):
    edits: list[Edit] = []
    assert split_run_together(read, edits) == printed
    assert [e.rule for e in edits] == ["ocr"]


@pytest.mark.parametrize("cell", [
    pytest.param("a misson statement", id="a-typo-one-edit-from-a-word-is-no-split"),
    pytest.param("its manifes- tations", id="a-piece-of-a-hyphen-wrap"),
    pytest.param("un-derstands the IECMHC and nonjudgmental", id="known-or-hyphenated"),
])
def test_typos_wrap_pieces_and_known_words_are_not_split(cell):
    assert split_run_together(cell) == cell


def test_one_look_alike_letter_is_read_back_only_to_a_single_known_word():
    edits: list[Edit] = []
    assert repair_look_alike("with knowledae of the", edits) == "with knowledge of the"
    assert edits == [Edit("ocr", "knowledae", "knowledge")]
    assert repair_look_alike("Behaviorr and misson") == "Behaviorr and misson"


def test_spaced_hyphen_in_a_title_is_a_dash_and_number_ranges_are_left():
    assert repair_spaced_dash("Promotes Equity - from the Individual") == \
        "Promotes Equity – from the Individual"
    assert repair_spaced_dash("ages 3-5, re-read") == "ages 3-5, re-read"


def test_specks_read_as_signs_between_words_are_dropped():
    assert drop_specks("Body _ of Knowledge | that") == "Body of Knowledge that"
    assert drop_specks("ECE/HV—_ staff, _T/TA efforts") == "ECE/HV staff, T/TA efforts"
    assert drop_specks("Plan Develop- — ment") == "Plan Develop- ment"
    assert drop_specks("Equity – from") == "Equity – from"


def test_code_no_rule_reads_back_is_read_as_the_one_defined_code_it_can_be():
    known = {"7A9", "7A10", "1E2", "1F1", "1F3", "8A2"}
    assert read_back_code("TAQ", known) == "7A9"  # Q: 0 or 9, and only 7A9 is defined
    assert read_back_code("1&2", known | {"1B2"}) is None  # 1E2 or 1B2: left as read
    edits: list[Edit] = []
    assert repair_code_list("1£2, 1F1, 1F3, 8A2", edits, known) == "1E2, 1F1, 1F3, 8A2"
    assert edits == [Edit("ocr", "1£2, 1F1, 1F3, 8A2", "1E2, 1F1, 1F3, 8A2")]


def test_code_read_with_one_glyph_too_many_is_read_back_only_when_no_code_by_shape():
    known = {"1C3", "5A1", "7A1", "7A10"}
    # a speck or a piece of a letter read as a glyph of its own (reverse-table cells)
    assert read_back_code("1¢c3", known) == "1C3"
    assert read_back_code("5SA1", known) == "5A1"
    # a code by its shape that the document does not define is not read as another
    assert read_back_code("7A11", known) is None
    edits: list[Edit] = []
    assert repair_code_list("1¢c3, 5SA1", edits, known) == "1C3, 5A1"
    assert [edit.rule for edit in edits] == ["ocr"]


def test_reverse_codes_are_read_back_to_the_codes_of_the_forward_table():
    audit = AuditLog()
    reverse = _reverse().assign(coe_codes="1H1, TAQ")
    forward = pd.concat([_forward(skill="1H.1. Deepens"), _forward(skill="7A.9. Uses")],
                        ignore_index=True)
    _, reverse = repair_ocr_rows(forward, reverse, _ocr(), audit)
    assert reverse.loc[0, "coe_codes"] == "1H1, 7A9"
    assert ("endorsement_index", "coe_code", "1H1, TAQ", "1H1, 7A9") in {
        (c["dataset"], c["field"], c["before"], c["after"]) for c in audit.corrections}


def test_prose_of_ocr_rows_is_repaired_and_logged_under_its_published_column():
    audit = AuditLog()
    forward, _ = repair_ocr_rows(
        _forward(category="1H. Promotes Equity - from the Individual",
                 skill="1H.1. Works withina program", demonstrated_by="Body _ of work"),
        _reverse(), _ocr(), audit)
    assert forward.loc[0, "category"] == "1H. Promotes Equity – from the Individual"
    assert forward.loc[0, "skill"] == "1H.1. Works within a program"
    assert forward.loc[0, "demonstrated_by"] == "Body of work"
    logged = {(c["field"], c["before"], c["after"]) for c in audit.corrections}
    assert {("coe_category", "-", "–"), ("coe_competency", "withina", "within a"),
            ("demonstrated_by", "Body _ of work", "Body of work")} <= logged


def _forward(**cells) -> pd.DataFrame:
    row = {"domain_number": "1", "category": "1A.", "skill": "1A.2. Understands",
           "priority": "*", "endorsement_domain": "Reflection", "area": "Curiosity",
           "demonstrated_by": "Remains open", "continuation_lines": "", "source_id": "scan",
           "source_line": pd.NA, "source_page": 1}
    row.update(cells)
    return pd.DataFrame([row]).astype({"source_line": "Int64", "source_page": "Int64"})


def _reverse() -> pd.DataFrame:
    return pd.DataFrame([{"endorsement_domain": "Administration",
                          "area": "program funding (MHM policy)", "coe_codes": "1H1",
                          "continuation_lines": "", "source_id": "scan", "source_line": pd.NA,
                          "source_page": 2}]).astype({"source_line": "Int64",
                                                      "source_page": "Int64"})


def _ocr(*rows) -> pd.DataFrame:
    columns = ["source_id", "source_page", "kind", "text", "before", "confidence",
               "x0", "top", "x1", "bottom"]
    return pd.DataFrame([("scan", "1", "page", "0.20", "", "", "", "", "", ""),
                         ("scan", "2", "page", "-0.10", "", "", "", "", "", ""), *rows],
                        columns=columns, dtype="string")


def test_rows_from_ocr_pages_are_repaired_and_logged_under_their_published_key():
    audit = AuditLog()
    forward, reverse = repair_ocr_rows(_forward(priority="eee", endorsement_domain="= Reflection"),
                                       _reverse(), _ocr(), audit)
    assert forward.loc[0, "priority"] == "•••"
    assert forward.loc[0, "endorsement_domain"] == "≈ Reflection"
    assert reverse.loc[0, "area"] == "program funding (MHM - policy)"
    logged = {(c["dataset"], c["row_key"], c["field"], c["before"], c["after"], c["rule"],
               c["source_page"]) for c in audit.corrections}
    assert logged == {
        ("crosswalk", "1A.2/1", "mapping_priority", "eee", "•••", "ocr", 1),
        ("crosswalk", "1A.2/1", "alignment", "=", "≈", "ocr", 1),
        ("endorsement_index", "Administration/program funding", "designation",
         "(MHM policy)", "(MHM - policy)", "ocr", 2),
    }


def test_rows_of_pages_with_a_text_layer_are_left_alone():
    audit = AuditLog()
    forward, _ = repair_ocr_rows(_forward(priority="eee"), _reverse(), None, audit)
    assert forward.loc[0, "priority"] == "eee" and audit.corrections == []


def test_code_read_back_by_the_extract_is_logged_on_its_row():
    audit = AuditLog()
    repair_ocr_rows(_forward(skill="1A.2. Understands"), _reverse(),
                    _ocr(("scan", "1", "code", "1A.2.", "1A€.2.", "", "40", "60", "60", "68")),
                    audit)
    assert [(c["row_key"], c["field"], c["before"], c["after"]) for c in audit.corrections
            if c["dataset"] == "crosswalk"] == [("1A.2/1", "coe_code", "1A€.2.", "1A.2.")]


def test_unreadable_priority_mark_is_left_empty_and_reported():
    audit = AuditLog()
    forward, _ = repair_ocr_rows(_forward(priority="b i 3 9 ? x"), _reverse(), _ocr(), audit)
    assert forward.loc[0, "priority"] == ""
    assert [(i["kind"], i["row_key"], i["source_page"]) for i in audit.issues] == \
        [("ocr_unreadable_mark", "1A.2/1", 1)]


def test_doubted_word_nothing_repaired_is_a_quality_issue_with_page_and_box():
    audit = AuditLog()
    crosswalk = pd.DataFrame([{"coe_code": "1B.2", "mapping_seq": 1,
                               "coe_competency": "Considers the influence",
                               "endorsement_domain": "Reflection", "endorsement_area": "x",
                               "demonstrated_by": "cultural competence to €ohiMUhMAte",
                               "source_id": "scan", "source_line": pd.NA, "source_page": 1}])
    doubted = ("scan", "1", "low_confidence", "€ohiMUhMAte", "", "0",
               "616.3", "87.8", "669.4", "97.4")
    known = ("scan", "1", "low_confidence", "influence", "", "41", "100", "80", "130", "88")
    report_doubtful_cells({"crosswalk": crosswalk}, _ocr(doubted, known), audit,
                          is_word=lambda word: word.lower() in {"influence", "considers"})
    assert [(i["kind"], i["row_key"], i["source_page"]) for i in audit.issues] == \
        [("ocr_low_confidence", "1B.2/1", 1)]
    assert "box 616.3, 87.8, 669.4, 97.4 pt" in audit.issues[0]["detail"]


def test_doubted_mark_or_known_word_is_no_issue():
    low = [{"text": "*", "confidence": "30"}, {"text": "the", "confidence": "40"}]
    assert doubtful_words("* the", low, is_word=lambda w: w == "the") == []
