"""``crosswalk.xlsx``: the datasets as one Excel workbook, for people who open files in a
spreadsheet.

Written with XlsxWriter from the rows :mod:`pipeline.load.publish` has already typed and
sorted, the contract (:mod:`pipeline.metadata`) and the data package descriptor:

* **About**: what the workbook is, the data version, the datasets, the source documents
  with their citations and permission statements, and the licences (all from the
  descriptor, so it says what ``datapackage.json`` says);
* **Data dictionary**: every column of every dataset with its type, whether it is
  required, its allowed values, its key role and its description (from the contract);
* one sheet per dataset, named after it, with **typed cells**: integers are numbers,
  booleans are TRUE/FALSE, a null is an empty cell, text is text — written as a string
  cell, never read as a formula or a number (``1A.1``, ``=SUM(A1)``, ``0012`` stay as
  they are, no leading quote needed); header row frozen, an autofilter, column widths from
  the values, long text wrapped.

Excel holds at most 32,767 characters in a cell: a longer text (none in the real data)
is cut there with a note saying so; the other formats keep it whole.

Deterministic: the document properties are fixed (created = the package's ``created``,
the newest source year, never the clock), and XlsxWriter's in-memory mode stamps every
part of the zip with 1980-01-01, so two builds give identical bytes.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path

import xlsxwriter

from pipeline.errors import PipelineError
from pipeline.load.sheet_rows import FastRowsWorksheet
from pipeline.metadata import Field, Table
from pipeline.metadata.data_dictionary import allowed_values

WORKBOOK_NAME = "crosswalk.xlsx"
ABOUT_SHEET = "About"
DICTIONARY_SHEET = "Data dictionary"
#: The most characters Excel keeps in one cell.
EXCEL_CELL_LIMIT = 32_767
CUT_NOTE = " [… cut: Excel holds 32,767 characters in a cell; the CSV, JSON and Parquet " \
    "files have the whole text]"
#: A column at most this wide (in characters); wider text wraps.
MAX_WIDTH = 60
#: The height of one line of the default font (Calibri 11), and Excel's largest row, in
#: points. Wrapped rows get a height for their lines: Excel would fit them itself, but
#: LibreOffice keeps the default height of a row the file leaves unset.
LINE_HEIGHT = 15
MAX_ROW_HEIGHT = 409
#: When the descriptor has no ``created`` (no source names a year).
FALLBACK_CREATED = datetime(2000, 1, 1, tzinfo=timezone.utc)
_INVALID_SHEET_CHARACTERS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def sheet_name(table_name: str) -> str:
    """The sheet of a dataset: its name, as Excel allows a sheet name (31 characters, none
    of ``[]:*?/\\``).

    >>> sheet_name("coe_competencies")
    'coe_competencies'
    >>> sheet_name("a_dataset_name_longer_than_thirty_one")
    'a_dataset_name_longer_than_thir'
    """
    return table_name.translate(_INVALID_SHEET_CHARACTERS)[:31]


def excel_text(text: str) -> str:
    """Text as a cell can hold it: cut, with a note, past Excel's 32,767 characters.

    >>> excel_text("1A.1")
    '1A.1'
    >>> cut = excel_text("x" * 40_000)
    >>> len(cut) == EXCEL_CELL_LIMIT and cut.endswith("whole text]")
    True
    """
    if len(text) <= EXCEL_CELL_LIMIT:
        return text
    return text[: EXCEL_CELL_LIMIT - len(CUT_NOTE)] + CUT_NOTE


def wrapped_lines(text: str, width: float) -> int:
    """About how many lines ``text`` takes wrapped in a column ``width`` characters wide.

    >>> wrapped_lines("short", 60), wrapped_lines("x" * 130, 60), wrapped_lines("a\\nb", 60)
    (1, 3, 2)
    """
    per_line = max(int(width), 1)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def write_workbook(
    out_dir: Path,
    rows: Mapping[str, Sequence[Sequence[object]]],
    contract: Sequence[Table],
    descriptor: Mapping,
) -> Path:
    """Write ``crosswalk.xlsx`` into ``out_dir`` and return its path.

    ``rows[name]`` are the rows of each table of ``contract`` as plain Python values in
    contract column order, already sorted (:func:`pipeline.load.publish.records`);
    ``descriptor`` is the data package descriptor.
    """
    sheets = [sheet_name(table.name) for table in contract]
    clashes = sorted({s for s in sheets if sheets.count(s) > 1}
                     | ({ABOUT_SHEET, DICTIONARY_SHEET} & set(sheets)))
    if clashes:
        raise PipelineError(f"datasets would share the workbook sheet(s) {', '.join(clashes)}",
                            hint="give the datasets names that differ in their first "
                            "31 characters")
    path = out_dir / WORKBOOK_NAME
    handle, temporary = tempfile.mkstemp(prefix=f".{WORKBOOK_NAME}.", dir=out_dir)
    os.close(handle)
    try:
        os.unlink(temporary)  # made anew, with the usual permissions (not mkstemp's 0600)
        _write(Path(temporary), rows, contract, descriptor)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path


# --- helpers -----------------------------------------------------------------------------


def _write(path: Path, rows: Mapping[str, Sequence[Sequence[object]]],
           contract: Sequence[Table], descriptor: Mapping) -> None:
    # Every string is written with write_string, so the conversions are off anyway; they
    # are off here too so that no later write() could turn text into a formula or number.
    workbook = xlsxwriter.Workbook(str(path), {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    })
    workbook.set_properties({
        "title": descriptor.get("title", ""),
        "subject": "Data version " + str(descriptor.get("version", "")),
        "author": descriptor.get("name", ""),
        "comments": descriptor.get("description", ""),
        "created": _created(descriptor),
    })
    if descriptor.get("version"):
        workbook.set_custom_property("data version", str(descriptor["version"]))
    styles = {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "label": workbook.add_format({"bold": True, "valign": "top"}),
        "text": workbook.add_format({"text_wrap": True, "valign": "top"}),
        "header": workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "bottom": 1,
                                       "valign": "top"}),
        "cell": workbook.add_format({"valign": "top"}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
    }
    _about(_add_sheet(workbook, ABOUT_SHEET), contract, rows, descriptor, styles)
    _dictionary(_add_sheet(workbook, DICTIONARY_SHEET), contract, styles)
    for table in contract:
        _dataset(_add_sheet(workbook, sheet_name(table.name)), table,
                 rows.get(table.name, ()), styles)
    workbook.close()


def _add_sheet(workbook: xlsxwriter.Workbook, name: str) -> FastRowsWorksheet:
    # The same XML as XlsxWriter's own sheets, its rows written faster (sheet_rows.py).
    return workbook.add_worksheet(name, worksheet_class=FastRowsWorksheet)


def _created(descriptor: Mapping) -> datetime:
    created = descriptor.get("created")
    if not created:
        return FALLBACK_CREATED
    return datetime.fromisoformat(str(created).replace("Z", "+00:00"))


def _about(sheet, contract: Sequence[Table], rows: Mapping[str, Sequence],
           descriptor: Mapping, styles: dict) -> None:
    text_width = 110
    sheet.set_column(0, 0, 42, styles["label"])
    sheet.set_column(1, 1, text_width, styles["text"])
    _print_setup(sheet)
    lines: list[tuple[str, str, str]] = [
        ("title", descriptor.get("title", ""), ""),
        ("text", "", descriptor.get("description", "")),
        ("gap", "", ""),
        ("pair", "Data version", str(descriptor.get("version", ""))),
        ("pair", "Created", str(descriptor.get("created", ""))),
        ("pair", "This workbook", "The published datasets, one sheet each, with the data "
         "dictionary. The CSV, JSON and Parquet files, crosswalk.sqlite and datapackage.json "
         "beside it hold the same rows; datapackage.json describes them (types, keys, "
         "bytes, sha256)."),
        ("pair", "Cells", "Typed: whole numbers are numbers, flags are TRUE/FALSE, an empty "
         "cell is null, text is text (never run as a formula). Rows are in key order."),
        ("gap", "", ""),
        ("section", "Datasets", ""),
    ]
    resources = {r.get("name"): r for r in descriptor.get("resources", ())}
    for table in contract:
        description = resources.get(table.name, {}).get("description", table.description)
        count = len(rows.get(table.name, ()))
        lines.append(("pair", sheet_name(table.name),
                      f"{table.title} — {count:,} rows. {description}"))
    lines += [("gap", "", ""), ("section", "Sources", "")]
    for source in descriptor.get("sources", ()):
        parts = [source.get("title", "")]
        if source.get("description"):
            parts.append(f"Citation: {source['description']}")
        if source.get("copyright"):
            parts.append(f"Copyright: {source['copyright']}")
        if source.get("permission"):
            parts.append(f"Permission: {source['permission']}")
        lines.append(("pair", str(source.get("id", "")), "\n".join(parts)))
    lines += [("gap", "", ""), ("section", "Licences", "")]
    for licence in descriptor.get("licenses", ()):
        lines.append(("pair", str(licence.get("name", "")), str(licence.get("title", ""))))
    for row, (kind, label, text) in enumerate(lines):
        if kind == "title":
            sheet.write_string(row, 0, label, styles["title"])
        elif kind == "section":
            sheet.write_string(row, 0, label, styles["title"])
        elif kind in ("pair", "text"):
            if label:
                sheet.write_string(row, 0, label, styles["label"])
            sheet.write_string(row, 1, excel_text(text), styles["text"])
            _fit_height(sheet, row, wrapped_lines(text, text_width))


def _dictionary(sheet, contract: Sequence[Table], styles: dict) -> None:
    header = ("dataset", "column", "type", "required", "allowed values / pattern", "key",
              "description")
    widths = (22, 22, 9, 9, 40, 36, 80)
    for column, (name, width) in enumerate(zip(header, widths)):
        sheet.write_string(0, column, name, styles["header"])
        sheet.set_column(column, column, width, styles["wrap"] if width >= 36
                         else styles["cell"])
    row = 0
    published = {table.name for table in contract}
    for table in contract:
        for field in table.fields:
            row += 1
            cells = (table.name, field.name, field.type, "yes" if field.required else "no",
                     allowed_values(field).replace("`", ""),
                     _key_role(table, field, published), field.description)
            for column, value in enumerate(cells):
                if value:  # nothing to say: an empty cell
                    sheet.write_string(row, column, value)
            _fit_height(sheet, row, max(wrapped_lines(value, width)
                                        for value, width in zip(cells, widths) if width >= 36))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, row, len(header) - 1)
    _print_setup(sheet, header_rows=True)


def _key_role(table: Table, field: Field, published: set[str]) -> str:
    roles = []
    if field.name in table.primary_key:
        roles.append("primary key")
    elif field.name in table.unique:
        roles.append("unique key")
    roles += [f"→ {fk.table}.{fk.reference[fk.fields.index(field.name)]}"
              for fk in table.foreign_keys
              if field.name in fk.fields and fk.table in published]
    return "; ".join(roles)


def _dataset(sheet, table: Table, rows: Sequence[Sequence[object]], styles: dict) -> None:
    types = [f.type for f in table.fields]
    for column, name in enumerate(table.column_names):
        sheet.write_string(0, column, name, styles["header"])
    # Column by column: a column has one type, and repeats its values row after row.
    columns = list(zip(*rows)) if rows else [()] * len(types)
    shown = [_shown(kind, values) for kind, values in zip(types, columns)]
    longest = [max([len(name), *map(len, texts)])
               for name, texts in zip(table.column_names, shown)]
    widths = [min(width, MAX_WIDTH) + 2 for width in longest]
    wrapped = [column for column, width in enumerate(longest) if width > MAX_WIDTH]
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width,
                         styles["wrap"] if column in wrapped else styles["cell"])
    held = [_held(kind, values, texts) for kind, values, texts in zip(types, columns, shown)]
    for row_number, values in enumerate(zip(*held), start=1):
        sheet.write_plain_cells(row_number, values)
        if wrapped:
            _fit_height(sheet, row_number, max(
                wrapped_lines(shown[column][row_number - 1], widths[column] - 2)
                for column in wrapped))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(rows), len(table.fields) - 1)
    # A code such as 0012 is text on purpose: no "number stored as text" warning marks.
    sheet.ignore_errors({"number_stored_as_text": f"A1:XFD{len(rows) + 1}"})
    _print_setup(sheet, header_rows=True)


def _shown(kind: str, values: Sequence[object]) -> list[str]:
    """What each cell of a column shows, to size the column (and, for text, what it
    holds): ``""`` for a null, ``FALSE`` for a flag (the wider of the two), the number,
    the text as a cell holds it."""
    made: dict[tuple[type, object], str] = {}
    return [made[key] if (key := (type(value), value)) in made
            else made.setdefault(key, _cell_text(kind, value)) for value in values]


def _held(kind: str, values: Sequence[object], shown: Sequence[str]) -> list[object]:
    """What each cell of a column holds: a flag TRUE/FALSE, a whole number, text, or
    None for an empty cell (a null)."""
    if kind == "boolean":
        return [None if value is None else bool(value) for value in values]
    if kind == "integer":
        return [None if value is None else int(value) for value in values]
    return [None if value is None else text for value, text in zip(values, shown)]


def _cell_text(kind: str, value: object) -> str:
    """What a cell shows, to size its column (and, for text, what it holds)."""
    if value is None:
        return ""
    if kind == "boolean":
        return "FALSE"
    if kind == "integer":
        return str(int(value))
    return excel_text(str(value))


def _fit_height(sheet, row: int, lines: int) -> None:
    if lines > 1:
        sheet.set_row(row, min(lines * LINE_HEIGHT, MAX_ROW_HEIGHT))


def _print_setup(sheet, header_rows: bool = False) -> None:
    """Printed landscape, one page wide, the header row on every page."""
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    if header_rows:
        sheet.repeat_rows(0)
