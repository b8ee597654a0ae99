"""crosswalk.xlsx: About and Data dictionary sheets, one typed sheet per dataset, text that
never turns into a formula or a number, the same bytes from build to build."""

from __future__ import annotations

import json
import zipfile

import openpyxl  # in requirements.lock (camelot-py needs it)
import pandas as pd
import pytest

from pipeline.load.publish import publish_tables
from pipeline.load.read import read_dataset
from pipeline.load.workbook import (
    ABOUT_SHEET,
    DICTIONARY_SHEET,
    EXCEL_CELL_LIMIT,
    WORKBOOK_NAME,
    excel_text,
    sheet_name,
)


def load(folder):
    return openpyxl.load_workbook(folder / WORKBOOK_NAME)


def sheet_xml(folder) -> dict[str, str]:
    """The XML parts of the workbook, by name."""
    with zipfile.ZipFile(folder / WORKBOOK_NAME) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def test_two_builds_write_the_same_bytes(published, published_again):
    assert (published / WORKBOOK_NAME).read_bytes() == \
        (published_again / WORKBOOK_NAME).read_bytes()


def test_document_dates_come_from_the_package_not_the_clock(published):
    package = json.loads((published / "datapackage.json").read_text(encoding="utf-8"))
    created = package.get("created", "2000-01-01T00:00:00Z")  # FALLBACK_CREATED
    core = sheet_xml(published)["docProps/core.xml"]
    assert f">{created}</dcterms:created>" in core
    with zipfile.ZipFile(published / WORKBOOK_NAME) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_sheets_are_about_dictionary_then_each_dataset(published, real_contract):
    assert load(published).sheetnames == [ABOUT_SHEET, DICTIONARY_SHEET,
                                          *map(sheet_name, real_contract)]


def test_about_names_the_sources_and_their_licences(published):
    package = json.loads((published / "datapackage.json").read_text(encoding="utf-8"))
    about = [value for row in load(published)[ABOUT_SHEET].iter_rows(values_only=True)
             for value in row if value is not None]
    text = "\n".join(map(str, about))
    assert package["title"] in about
    assert package["version"] in about
    for source in package["sources"]:
        assert source["id"] in about
        assert source["permission"] in text
    for licence in package["licenses"]:
        assert licence["name"] in about


def test_data_dictionary_lists_every_column(published, real_contract):
    rows = list(load(published)[DICTIONARY_SHEET].iter_rows(values_only=True))
    assert rows[0][:4] == ("dataset", "column", "type", "required")
    assert [(r[0], r[1], r[2], r[3], r[6]) for r in rows[1:]] == [
        (name, f.name, f.type, "yes" if f.required else "no", f.description)
        for name, table in real_contract.items() for f in table.fields]
    keys = {(r[0], r[1]): r[5] for r in rows[1:]}
    assert keys[("crosswalk", "coe_code")] == "primary key; → coe_competencies.coe_code"


def test_cells_are_typed(published, real_contract):
    """Integers are numbers, booleans booleans, nulls empty, text text — per the contract."""
    workbook = load(published)
    expected_type = {"string": "s", "integer": "n", "boolean": "b"}
    for name, table in real_contract.items():
        sheet = workbook[sheet_name(name)]
        reference = read_dataset(name, published, "parquet")
        rows = list(sheet.iter_rows(min_row=2))
        assert len(rows) == len(reference), name
        for column, field in enumerate(table.fields):
            values = reference[field.name]
            for cell, value in zip((row[column] for row in rows), values):
                if value is pd.NA:
                    assert cell.value is None, (name, field.name)
                else:
                    assert cell.data_type == expected_type[field.type], (name, field.name)
                    assert cell.value == value, (name, field.name)


def test_no_cell_is_a_formula(published):
    parts = sheet_xml(published)
    worksheets = [text for name, text in parts.items() if name.startswith("xl/worksheets/")]
    assert worksheets and not any("<f>" in text or "<f " in text for text in worksheets)


#: Text a spreadsheet would take for a formula, a number, a boolean or a date.
LOOKALIKES = {
    "formula": '=HYPERLINK("http://example.com","x")',
    "plus": "+1 800 555",
    "minus": "-2+3",
    "at": "@SUM(A1:A2)",
    "code": "1A.1",
    "leading-zeros": "0012",
    "scientific": "1.5E3",
    "boolean-word": "TRUE",
    "date": "2023-01-01",
}


@pytest.fixture(scope="module")
def with_lookalikes(real_tables, real_contract, manifest_sources, tmp_path_factory):
    """The real build with one correction's ``before`` replaced by each lookalike."""
    corrections = real_tables["corrections"].copy()
    for row, text in enumerate(LOOKALIKES.values()):
        corrections.loc[row, "before"] = text
    out = tmp_path_factory.mktemp("lookalikes")
    publish_tables({**real_tables, "corrections": corrections}, out, manifest_sources,
                   contract=real_contract)
    return out


@pytest.mark.parametrize("cell", [pytest.param(text, id=name)
                                  for name, text in LOOKALIKES.items()])
def test_text_that_looks_like_a_formula_or_number_stays_text(with_lookalikes, real_contract,
                                                             cell):
    sheet = load(with_lookalikes)[sheet_name("corrections")]
    column = real_contract["corrections"].column_names.index("before") + 1
    cells = next(sheet.iter_cols(min_col=column, max_col=column, min_row=2))
    found = [c for c in cells if c.value == cell]
    assert found and all(c.data_type == "s" for c in found)
    assert cell in read_dataset("corrections", with_lookalikes, "xlsx")["before"].tolist()
    assert not any("<f>" in xml for name, xml in sheet_xml(with_lookalikes).items()
                   if name.startswith("xl/worksheets/"))


def test_header_is_frozen_and_filtered(published, real_contract):
    workbook = load(published)
    for name, table in real_contract.items():
        sheet = workbook[sheet_name(name)]
        assert sheet.freeze_panes == "A2", name
        last = openpyxl.utils.get_column_letter(len(table.fields))
        rows = len(read_dataset(name, published, "parquet"))
        assert sheet.auto_filter.ref == f"A1:{last}{rows + 1}", name
        assert [c.value for c in sheet[1]] == table.column_names
        assert all(c.font.bold for c in sheet[1])


def test_long_text_is_wrapped_in_a_bounded_column(published):
    sheet = load(published)[sheet_name("coe_competencies")]
    dimension = sheet.column_dimensions["D"]  # competency_text
    assert 20 < dimension.width <= 62 + 1
    assert sheet["D2"].alignment.wrap_text
    assert not sheet["A2"].alignment.wrap_text  # coe_code: short, not wrapped


def test_a_cell_longer_than_excel_allows_is_cut_with_a_note(real_tables, real_contract,
                                                            manifest_sources, tmp_path):
    corrections = real_tables["corrections"].copy()
    corrections.loc[0, "before"] = "childhood " * 4_000  # 40,000 characters
    publish_tables({**real_tables, "corrections": corrections}, tmp_path, manifest_sources,
                   contract=real_contract)
    values = read_dataset("corrections", tmp_path, "xlsx")["before"].dropna().tolist()
    cut = [v for v in values if v.startswith("childhood childhood")]
    assert cut == [excel_text("childhood " * 4_000)]
    assert len(cut[0]) == EXCEL_CELL_LIMIT and "cut" in cut[0]
    assert "childhood " * 4_000 in read_dataset("corrections", tmp_path, "csv")["before"].tolist()


def all_strings(folder) -> set[str]:
    return {value for sheet in load(folder) for row in sheet.iter_rows(values_only=True)
            for value in row if isinstance(value, str)}


def test_codes_only_workbook_has_no_withheld_text(published, published_codes_only):
    texts = read_dataset("coe_competencies", published, "parquet")["competency_text"]
    assert set(texts) <= all_strings(published)
    assert not set(texts) & all_strings(published_codes_only)
    header = [c.value for c in load(published_codes_only)[sheet_name("coe_competencies")][1]]
    assert "competency_text" not in header and "coe_code" in header
