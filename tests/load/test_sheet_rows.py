"""FastRowsWorksheet writes the sheets XlsxWriter's own Worksheet writes, byte for byte:
for the real workbook and for every kind of cell, format and row it may meet."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime

import pytest
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from pipeline.load import workbook
from pipeline.load.publish import records, sort_rows
from pipeline.load.sheet_rows import FastRowsWorksheet
from pipeline.load.workbook import WORKBOOK_NAME, write_workbook


class StockWorksheet(Worksheet):
    """XlsxWriter's own worksheet, its plain cells written one by one by its public
    methods: what FastRowsWorksheet must write."""

    def write_plain_cells(self, row, values):
        for column, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, bool):
                self.write_boolean(row, column, value)
            elif isinstance(value, (int, float)):
                self.write_number(row, column, value)
            else:
                self.write_string(row, column, value)


def parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_real_workbook_is_the_one_xlsxwriter_writes(published, real_tables, real_contract,
                                                        tmp_path, monkeypatch):
    rows = {name: list(records(sort_rows(real_tables[name], table), table))
            for name, table in real_contract.items()}
    descriptor = json.loads((published / "datapackage.json").read_text(encoding="utf-8"))
    contract = list(real_contract.values())
    (tmp_path / "fast").mkdir()
    (tmp_path / "stock").mkdir()
    write_workbook(tmp_path / "fast", rows, contract, descriptor)
    monkeypatch.setattr(workbook, "FastRowsWorksheet", StockWorksheet)
    write_workbook(tmp_path / "stock", rows, contract, descriptor)
    fast = (tmp_path / "fast" / WORKBOOK_NAME).read_bytes()
    assert fast == (tmp_path / "stock" / WORKBOOK_NAME).read_bytes()
    assert fast == (published / WORKBOOK_NAME).read_bytes()


def every_kind_of_cell(book: xlsxwriter.Workbook, worksheet_class) -> None:
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("cells", worksheet_class=worksheet_class)
    sheet.set_column(1, 1, 30, wrap)  # cells without a format take the column's
    sheet.set_column(3, 3, 12)  # a column with a width and no format
    sheet.set_row(2, 30, bold)  # a row format: it comes before the column's
    sheet.set_row(40, 45)  # a height and no cells: an empty row element
    sheet.write_string(0, 0, "Law, Regulation & Agency Policy", bold)
    sheet.write_string(0, 1, 'the "consultative stance" <and> its elements')
    sheet.write_string(1, 1, "Law, Regulation & Agency Policy")  # a string shared twice
    sheet.write_number(1, 2, 3.5)
    sheet.write_number(1, 3, 12)
    sheet.write_number(1, 4, 1e20)
    sheet.write_boolean(2, 1, True)
    sheet.write_boolean(2, 2, False)
    sheet.write_string(2, 3, "in a formatted row")
    sheet.write_blank(3, 1, None, bold)
    sheet.write_formula(4, 0, "=1+1", None, 2)
    sheet.write_array_formula(4, 2, 4, 2, "{=SUM(B2:C2)}")
    sheet.write_rich_string(5, 0, bold, "bold", " and plain")
    sheet.write_datetime(6, 0, datetime(2023, 5, 1), date)
    sheet.write_string(17, 7, "a second block of 16 rows, wider")
    sheet.write_string(300, 0, "far below")
    sheet.write_plain_cells(8, ["Law, Regulation & Agency Policy", True, False, 12, 2.5,
                                "x" * 20_000,  # long: kept whole
                                "y" * 40_000,  # cut at Excel's limit
                                "1A.1", None, "=SUM(A1)", "0012"])
    sheet.write_plain_cells(9, [None, None, "a row", None, None, None, None, None, None,
                                None, None, "wider than the others"])
    sheet.write_plain_cells(10, [None] * 16_384 + ["past the last column"])
    sheet.write_plain_cells(1_048_576, ["past the last row"])
    sheet.write_plain_cells(11, [])
    sheet.freeze_panes(1, 0)
    commented = book.add_worksheet("commented", worksheet_class=worksheet_class)
    commented.write_string(0, 0, "a cell")
    commented.write_comment(3, 2, "a comment: XlsxWriter writes this sheet's rows")


@pytest.mark.parametrize("constant_memory", [False, True])
def test_every_kind_of_cell_is_written_as_xlsxwriter_writes_it(tmp_path, constant_memory):
    written = {}
    for name, worksheet_class in (("fast", FastRowsWorksheet), ("stock", StockWorksheet)):
        path = tmp_path / f"{name}.xlsx"
        # XlsxWriter keeps rows in memory when asked to work in memory: not both.
        book = xlsxwriter.Workbook(str(path), {"in_memory": not constant_memory,
                                               "constant_memory": constant_memory})
        book.set_properties({"created": datetime(2023, 1, 1)})
        every_kind_of_cell(book, worksheet_class)
        book.close()
        written[name] = parts(path)
    assert written["fast"] == written["stock"]
    if constant_memory:  # rows written as they come, by XlsxWriter: nothing more to see
        return
    sheet = written["fast"]["xl/worksheets/sheet1.xml"].decode("utf-8")
    assert '<dimension ref="A1:L301"/>' in sheet  # stretched by the plain cells too
    assert '<row r="18" spans="8:8">' in sheet  # each block of 16 rows has its own span
    assert '<row r="41" ht="45" customHeight="1"/>' in sheet  # a height, no cells
    # The row's format (bold, 2) comes before the column's (wrap, 1); a plain cell of
    # column B takes the column's.
    assert '<c r="B3" s="2" t="b"><v>1</v></c>' in sheet
    assert '<c r="B2" s="1" t="s"><v>0</v></c>' in sheet
