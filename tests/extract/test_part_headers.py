"""The headers inside an engine's table part, found where the page is read or at the merge."""

from __future__ import annotations

from pipeline.extract.crosswalk_pdf import page_part
from pipeline.extract.part_headers import (
    headers_of,
    part_headers,
    part_rows,
    row_cells,
    with_headers_found,
)
from pipeline.extract.pdf_layout import FoundTable

#: The forward table's header as an unruled page gives it, one row per text line.
WRAPPED_HEADER = [
    ["IECMH", "IECMH", "Essential", "IECMH", "Knowledge/", "As Demonstrated By/"],
    ["Consultation", "Consultation", "or", "Endorsement", "Skill Area", "Other Work"],
    ["Category", "Core Skills", "Important", "Competency", "", "Experience (and"],
    ["", "", "", "", "", "Interview)"],
]
ROW = ["1A. Infant/Early", "1A.1 Understands", "E", "Theoretical", "Pregnancy", "Coursework"]


def test_a_header_wrapped_over_lines_is_found_as_one_header_of_its_lines():
    (start, count, fields), = part_headers([*WRAPPED_HEADER, ROW])
    assert (start, count) == (0, 4)
    assert fields[0] == "IECMH Consultation Category"
    assert fields[5] == "As Demonstrated By/ Other Work Experience (and Interview)"


def test_a_repeated_header_below_rows_is_found_where_it_is():
    found = part_headers([ROW, *WRAPPED_HEADER, ROW])
    assert [(start, count) for start, count, _ in found] == [(1, 4)]


def test_rows_without_a_header_have_none():
    assert part_headers([ROW, ROW]) == []


def test_a_cells_lines_are_joined_and_empty_rows_left_out():
    assert row_cells(["Relation-\nship ", None]) == ["Relation- ship", ""]
    table = FoundTable((0, 0, 1, 1), [["", None], ROW[:2]])
    assert part_rows(table) == [ROW[:2]]


def test_headers_found_beforehand_are_the_ones_the_merge_would_find():
    table = FoundTable((0, 0, 1, 1), [*WRAPPED_HEADER, ROW])
    assert headers_of(table) == part_headers(part_rows(table))
    assert headers_of(with_headers_found(table)) == headers_of(table)


def test_headers_found_beforehand_are_taken_as_given():
    table = FoundTable((0, 0, 1, 1), [ROW], headers=((0, 1, ["given"]),))
    assert headers_of(table) == [(0, 1, ["given"])]


def test_a_table_whose_glyphs_are_resolved_drops_the_headers_found_before():
    unresolved = [[cell.replace("C", "(cid:3)") for cell in row] for row in WRAPPED_HEADER]
    table = with_headers_found(FoundTable((0, 0, 600, 800), [*unresolved, ROW]))
    assert table.headers == ()  # ``(cid:3)ategory`` names no column
    part = page_part(1, [], [], {"(cid:3)": "C"}, [table])
    assert part.tables[0].headers is None
    assert [count for _, count, _ in headers_of(part.tables[0])] == [4]

