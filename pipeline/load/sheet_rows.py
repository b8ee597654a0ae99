"""The cells of a worksheet written as XlsxWriter writes them, in a fraction of the time.

A workbook sheet's ``<sheetData>`` is most of what writing ``crosswalk.xlsx`` costs:
XlsxWriter assembles each cell's element through several generic calls (attribute lists,
escaping checks, type dispatch by class name) — per cell, some 15,000 times a build.
:class:`FastRowsWorksheet` is an XlsxWriter ``Worksheet`` (pass it as ``worksheet_class``
to ``Workbook.add_worksheet``) whose rows are written by one loop that makes the same
elements, byte for byte, for the cells the workbook holds: shared strings, numbers,
booleans and blanks, with the cell's, the row's or the column's format. Any other cell
(a formula, a rich string, a date…) and any sheet with comments or in constant-memory
mode is left to XlsxWriter's own code, so the output never depends on which path wrote it.

It overrides two private methods of XlsxWriter (``_calculate_spans`` and ``_write_rows``):
``tests/load/test_sheet_rows.py`` compares its sheets with XlsxWriter's own, byte for
byte, so an XlsxWriter release that writes rows differently fails there first.
"""

from __future__ import annotations

from collections.abc import Sequence

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import (
    CellBooleanTuple,
    CellNumberTuple,
    CellStringTuple,
    Worksheet,
)


class FastRowsWorksheet(Worksheet):
    """A worksheet whose rows of plain cells are written by one tight loop."""

    def _plain(self) -> bool:
        # Comments add rows and spans of their own; constant-memory mode writes rows as
        # they come. Both are left to XlsxWriter.
        return not self.comments and not self.constant_memory

    def write_plain_cells(self, row: int, values: Sequence[object]) -> None:
        """Write ``values`` into ``row``, the first in column A, without a format, as
        ``write_boolean`` (a bool), ``write_number`` (an int) or ``write_string`` (a str)
        would; None leaves its cell empty. The same cells, in the same order (a string's
        place in the shared strings is the order of first writing), without the checks
        and dispatch XlsxWriter makes for each cell."""
        used = [column for column, value in enumerate(values[:self.xls_colmax])
                if value is not None]
        if self.constant_memory:  # rows are flushed as they come: XlsxWriter's own way
            for column in used:
                self._write_one(row, column, values[column])
            return
        if not used or not 0 <= row < self.xls_rowmax:
            return  # outside the sheet: XlsxWriter writes nothing either
        # The dimensions each cell's write would have stretched: the row, the first and
        # the last column.
        self._check_dimensions(row, used[0])
        self._check_dimensions(row, used[-1])
        stored = self.table[row]
        shared = self.str_table._get_shared_string_index
        long_text = self.xls_strmax // 2
        for column in used:
            value = values[column]
            kind = type(value)
            if kind is str and len(value) <= long_text:
                stored[column] = CellStringTuple(shared(value), None)
            elif kind is bool:
                stored[column] = CellBooleanTuple(1 if value else 0, None)
            elif kind is int:
                stored[column] = CellNumberTuple(value, None)
            else:  # a long text (XlsxWriter cuts it to Excel's limit), a float…
                self._write_one(row, column, value)

    def _write_one(self, row: int, column: int, value: object) -> None:
        """One cell, by XlsxWriter's own code for its type."""
        if isinstance(value, bool):
            self._write_boolean(row, column, value)
        elif isinstance(value, (int, float)):
            self._write_number(row, column, value)
        elif isinstance(value, str):
            self._write_string(row, column, value)
        else:
            raise TypeError(f"not a plain cell value: {value!r}")

    def _calculate_spans(self) -> None:
        """The ``spans`` of each block of 16 rows: the first and last column used."""
        if not self._plain():
            super()._calculate_spans()
            return
        spans = {}
        for block in range(self.dim_rowmin // 16, self.dim_rowmax // 16 + 1):
            used = [columns for row in range(max(block * 16, self.dim_rowmin),
                                             min(block * 16 + 15, self.dim_rowmax) + 1)
                    if (columns := self.table.get(row))]
            if used:
                spans[block] = f"{min(min(c) for c in used) + 1}:{max(max(c) for c in used) + 1}"
        self.row_spans = spans

    def _write_rows(self) -> None:
        if not self._plain():
            super()._write_rows()
            return
        self._calculate_spans()
        write = self.fh.write
        # A cell without a format of its own takes its row's, else its column's.
        column_styles = {column: f' s="{info.column_format._get_xf_index()}"'
                         for column, info in self.col_info.items()
                         if info.column_format is not None}
        letters = {column: xl_col_to_name(column)
                   for column in range(self.dim_colmin, self.dim_colmax + 1)}
        for row in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = self.table.get(row)
            info = self.row_info.get(row)
            if not cells:
                if info is not None:  # a row with a height or format and no cells
                    self._write_empty_row(row, self.row_spans.get(row // 16), info)
                continue
            self._write_row(row, self.row_spans.get(row // 16), info)
            row_style = f' s="{info.row_format._get_xf_index()}"' \
                if info is not None and info.row_format else None
            for column in sorted(cells):
                cell = cells[column]
                kind = type(cell).__name__
                if kind not in _PLAIN_CELLS:
                    self._write_cell(row, column, cell)
                    continue
                if cell.format:
                    style = f' s="{cell.format._get_xf_index()}"'
                elif row_style is not None:
                    style = row_style
                else:
                    style = column_styles.get(column, "")
                reference = f"{letters[column]}{row + 1}"
                if kind == "String":
                    write(f'<c r="{reference}"{style} t="s"><v>{cell.string}</v></c>')
                elif kind == "Number":
                    write(f'<c r="{reference}"{style}><v>{cell.number:.16G}</v></c>')
                elif kind == "Boolean":
                    write(f'<c r="{reference}"{style} t="b"><v>{cell.boolean}</v></c>')
                else:  # Blank
                    write(f'<c r="{reference}"{style}/>')
            write("</row>")


#: The cell types :class:`FastRowsWorksheet` writes itself (XlsxWriter's cell tuples).
_PLAIN_CELLS = frozenset({"String", "Number", "Boolean", "Blank"})
