"""Headers recognised by what their cells mean: reworded, abbreviated, continued, scanned
or two-level headers open the right layout; a header-like row that fits none is reported
with its cells, never read as data."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import PipelineError
from pipeline.extract.crosswalk_header import (
    FORWARD_COLUMNS,
    GROUP_ROW,
    LOOKALIKE,
    REVERSE_COLUMNS,
    header_layout,
    is_complete_header,
    is_group_text,
    within_one_edit,
)
from pipeline.extract.crosswalk_table import extract_crosswalk_table

RAW_EXPORT = Path(__file__).resolve().parents[2] / "raw" / "coe-alliance-crosswalk-2023.txt"
HEADER = ("IECMH Consultation Category\tIECMH Consultation Core Skills\tEssential or Important\t"
          "IECMH Endorsement Competency\tKnowledge/ Skill Area\tAs Demonstrated By/ Other Work "
          "Experience (and Interview)")
# raw/coe-alliance-crosswalk-2023.txt, lines 147-148 (domain 1, category 1A).
ROW_1A1 = ("1A. Distinguishes IECMHC from Other Related Endeavors\t1A.1. Demonstrates an "
           "understanding of IECMHC as an indirect service that helps to build the reflective "
           "capacities and relational health of families.\t*\t≠ Unique\t≠ Unique\t≠ Unique")
ROW_1A2 = ("1A.\t1A.2. Understands and can convey the distinction between the role of the IECMH "
           "consultant and that of other professionals.\t*\t≠ Unique\t≠ Unique\t≠ Unique")


def _layout(row: str):
    return header_layout(row.split("\t"), Path("crosswalk.txt"), 7)


@pytest.mark.parametrize("row", [
    pytest.param(HEADER, id="the-documents-own"),
    pytest.param("IECMH Consult. Category\tIECMH Consult. Core Skills\tEss./ Imp.\tIECMH Endorse. "
                 "Competency\tKnowledge/ Skill Area\tDemonstrated By", id="abbreviated"),
    pytest.param("Category\tCore Skills\tE / I\tEndorsement Competency\tArea\tAs Demonstrated By",
                 id="short"),
    pytest.param("IECMH Consultation Category (cont.)\tIECMH Consultation Core Skills\tEssential "
                 "or Important\tIECMH Endorsement Competency\tKnowledge/ Skill Area\tAs "
                 "Demonstrated By", id="continued"),
    pytest.param("1ECMH Consultation Category\tIECMH Consu1tation Core Ski1ls\tEssentia1 or "
                 "Important\tIECMH Endorsernent Competency\tKnow1edge/ Skill Area\tAs Dernonstrated "
                 "By", id="scanned"),
])
def test_a_forward_header_is_recognised_by_what_its_cells_mean(row):
    layout = _layout(row)
    assert layout.columns == FORWARD_COLUMNS
    assert layout.groups == tuple((i,) for i in range(6))


@pytest.mark.parametrize("row", [
    "Competencies for IMH-E® and ECMH-E® Domain\tCompetencies for IMH-E® and ECMH-E® Knowledge "
    "or Skill Area\tCenter of Excellence Competecies",
    "Endorsement Domain\tKnowledge or Skill Area\tCoE Competencies",
])
def test_a_reverse_header_is_recognised_in_its_wordings(row):
    assert _layout(row).columns == REVERSE_COLUMNS


def test_a_column_name_split_over_two_fields_is_one_column():
    layout = _layout(HEADER.replace("IECMH Endorsement Competency", "IECMH Endorse\tment Competency"))
    assert layout.groups == ((0,), (1,), (2,), (3, 4), (5,), (6,))


def test_a_group_row_over_the_columns_declares_no_layout():
    assert _layout("IECMH Consultation Competencies\t\t\tIECMH Endorsement Competencies\t\t") \
        is GROUP_ROW
    assert is_group_text("IECMH Consultation Competencies IECMH Endorsement Competencies")


@pytest.mark.parametrize("row, column", [
    pytest.param(HEADER.replace("Essential or Important", "Priority"), 3, id="renamed"),
    pytest.param("Category\tCore Skills\tRanking\tEndorsement Competency\tArea\tEvidence", 3,
                 id="two-unknown-names"),
])
def test_a_row_that_looks_like_a_header_but_fits_no_layout_is_reported_with_its_cells(row, column):
    with pytest.raises(PipelineError) as raised:
        _layout(row)
    message = str(raised.value)
    assert message.startswith("crosswalk.txt:7: ") and f"unexpected table header column {column}" in message
    assert "Core Skills" in message  # the cells are quoted


@pytest.mark.parametrize("row", [ROW_1A1, ROW_1A2, "\tand young children.\t\t\t\t",
                                 "Reflection\tContemplation\t4A2, 4B3"])
def test_data_rows_are_no_headers(row):
    assert _layout(row) is None


def test_the_real_export_has_exactly_its_header_lines_as_headers():
    lines = RAW_EXPORT.read_text(encoding="utf-8").splitlines()
    headers = [n for n, line in enumerate(lines, start=1)
               if "\t" in line and _layout(line) is not None]
    exact = [n for n, line in enumerate(lines, start=1)
             if line.startswith(("IECMH Consultation Category\t", "Competencies for IMH-E"))]
    assert headers == exact


def test_a_reworded_repeated_header_is_not_glued_to_the_row_above(tmp_path):
    reworded = ("IECMH Consult. Category\tIECMH Consult. Core Skills\tEss./ Imp.\tIECMH Endorse. "
                "Competency\tKnowledge/ Skill Area\tDemonstrated By")
    path = tmp_path / "export.txt"
    path.write_text("1. Role of the IECMH Consultant\n\nUnderstands and can convey.\n"
                    f"{HEADER}\n{ROW_1A1}\n{reworded}\n{ROW_1A2}\n", encoding="utf-8")
    result = extract_crosswalk_table(path, "crosswalk")
    assert result.stats["header"] == 2
    assert result.forward["priority"].tolist() == ["*", "*"]
    assert result.forward["continuation_lines"].tolist() == ["", ""]


def test_partial_header_rows_are_incomplete_until_every_name_ends():
    assert not is_complete_header(["IECMH Consultation", "IECMH Consultation Core Skills",
                                   "Essential", "IECMH", "Knowledge/ Skill", "As Demonstrated By/ Other"])
    assert is_complete_header(["Category", "Core Skills", "E / I", "Endorsement Competency",
                               "Area", "Demonstrated By"])


def _edit_distance(a: str, b: str) -> int:
    """The full Levenshtein table, look-alike substitutions free: what
    ``within_one_edit`` answers in linear time (its header search's old way)."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i]
        for j, y in enumerate(b, start=1):
            substitution = 0 if x == y or frozenset((x, y)) in LOOKALIKE else 1
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + substitution))
        previous = current
    return previous[-1]


#: Letters of header words and every look-alike a scanner confuses them with.
_LETTERS = st.text(alphabet="1ilo05sceatgrmnd", max_size=9)


@given(_LETTERS, _LETTERS)
def test_within_one_edit_is_a_levenshtein_distance_of_at_most_one(a, b):
    assert within_one_edit(a, b) == (_edit_distance(a, b) <= 1)


@given(_LETTERS, st.integers(0, 8), st.sampled_from("1ilo05sceatgrmnd"))
def test_within_one_edit_of_a_word_and_the_word_one_letter_longer(word, at, letter):
    longer = word[:at] + letter + word[at:]
    assert within_one_edit(word, longer) and within_one_edit(longer, word)
