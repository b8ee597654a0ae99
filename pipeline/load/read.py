"""Read a published dataset back with the contract's types, from any of its files.

A CSV file cannot say that a column is an integer: an always-empty ``source_page`` reads as
text in polars and duckdb and as float in pandas, and ``parent_seq`` (an integer with
nulls) as float in pandas. :func:`read_dataset` gives every format the same answer — the
contract's nullable pandas dtypes (``Int64``, ``boolean``, ``string``), columns in
contract order, rows in the published (key) order — from CSV, JSON, Parquet, the SQLite
database or the Excel workbook::

    from pipeline.load.read import read_dataset
    read_dataset("crosswalk").dtypes["source_page"]        # Int64, from build/crosswalk.parquet
    read_dataset("crosswalk", format="csv")                # the same frame, from the CSV

The column types are those of the build's own ``datapackage.json`` (so a codes-only
build, with fewer columns, reads right too), else the contract's
(:data:`pipeline.metadata.TABLES`). :func:`dataset_dtypes` gives the same types as a
``dtype=`` mapping for ``pandas.read_csv``.

Each format's own conventions are undone: in the CSV an empty field is null, booleans
are ``true``/``false`` and a text cell defused against CSV injection loses its quote
(:func:`pipeline.metadata.files.undefuse_csv_cell`); SQLite stores booleans as 0/1; in
the workbook an empty cell is null.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pandas as pd

from pipeline.codes import is_null
from pipeline.errors import PipelineError
from pipeline.load.sqlite import SQLITE_NAME
from pipeline.load.workbook import WORKBOOK_NAME, sheet_name
from pipeline.metadata import TABLES
from pipeline.metadata.files import DATAPACKAGE_NAME, csv_dict_reader, undefuse_csv_cell
from pipeline.metadata.frames import PANDAS_DTYPES

#: The formats :func:`read_dataset` reads, in the order it looks for one when none is given.
READ_FORMATS = ("parquet", "json", "csv", "sqlite", "xlsx")
#: (column, contract type) pairs
Columns = Sequence[tuple[str, str]]


def read_dataset(name: str, folder: str | Path = "build",
                 format: str | None = None) -> pd.DataFrame:
    """Dataset ``name`` of the build in ``folder``, typed by the contract.

    ``format`` is one of :data:`READ_FORMATS`; None takes the first whose file is there
    (Parquet in a full build). Integers are ``Int64``, booleans ``boolean``, text
    ``string``, nulls ``<NA>`` — the same frame whichever file it comes from.
    """
    folder = Path(folder)
    columns = dataset_columns(name, folder)
    if format is None:
        format = next((f for f in READ_FORMATS if _path(folder, name, f).is_file()), "parquet")
    if format not in _READERS:
        raise PipelineError(f"unknown format {format!r}",
                            hint=f"use one of {', '.join(READ_FORMATS)}")
    path = _path(folder, name, format)
    if not path.is_file():
        raise PipelineError(f"no {format} file for dataset {name!r}", path=str(path),
                            hint="build the datasets first (make build), or give another "
                            "folder or format")
    values = _READERS[format](path, name, columns)
    return typed(values, columns)


def dataset_columns(name: str, folder: str | Path = "build") -> list[tuple[str, str]]:
    """The columns of dataset ``name`` and their contract types (string, integer,
    boolean): from ``folder/datapackage.json`` when it describes the dataset, else from
    the contract.

    >>> dataset_columns("coe_domains", folder="no-such-folder")[:2]
    [('domain_number', 'integer'), ('domain_title', 'string')]
    """
    package = Path(folder) / DATAPACKAGE_NAME
    if package.is_file():
        descriptor = json.loads(package.read_text(encoding="utf-8"))
        for resource in descriptor.get("resources", ()):
            if resource.get("name") == name:
                return [(f["name"], f["type"]) for f in resource["schema"]["fields"]]
    if name in TABLES:
        return [(f.name, f.type) for f in TABLES[name].fields]
    raise PipelineError(f"no dataset {name!r}", path=str(package),
                        hint=f"the datasets are {', '.join(TABLES)}")


def dataset_dtypes(name: str, folder: str | Path = "build") -> dict[str, str]:
    """``{column: pandas dtype}`` of a dataset, for ``pd.read_csv(..., dtype=...)``.

    >>> dataset_dtypes("coe_domains", folder="no-such-folder")["source_page"]
    'Int64'
    """
    return {column: PANDAS_DTYPES[kind] for column, kind in dataset_columns(name, folder)}


def typed(values: dict[str, list], columns: Columns) -> pd.DataFrame:
    """A frame of ``{column: [plain values]}`` with the contract's pandas dtypes.

    >>> frame = typed({"n": [1, None], "flag": [1, 0], "t": ["1A.1", None]},
    ...               [("n", "integer"), ("flag", "boolean"), ("t", "string")])
    >>> [str(t) for t in frame.dtypes], frame["flag"].tolist()
    (['Int64', 'boolean', 'string'], [True, False])
    """
    data = {}
    for column, kind in columns:
        cells = [None if is_null(v) else _CONVERT[kind](v) for v in values[column]]
        data[column] = pd.array(cells, dtype=PANDAS_DTYPES[kind])
    return pd.DataFrame(data, columns=[column for column, _ in columns])


# --- one reader per format: path -> {column: [plain values]} --------------------------------


def _read_csv(path: Path, name: str, columns: Columns) -> dict[str, list]:
    rows = list(csv_dict_reader(path.read_text(encoding="utf-8-sig")))
    values = {}
    for column, kind in columns:
        cells = [row[column] for row in rows]
        if kind == "string":
            values[column] = [undefuse_csv_cell(c) if c else None for c in cells]
        else:
            values[column] = [c or None for c in cells]
    return values


def _read_json(path: Path, name: str, columns: Columns) -> dict[str, list]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return {column: [row.get(column) for row in rows] for column, _ in columns}


def _read_parquet(path: Path, name: str, columns: Columns) -> dict[str, list]:
    frame = pd.read_parquet(path, columns=[column for column, _ in columns])
    return {column: frame[column].tolist() for column, _ in columns}


def _read_sqlite(path: Path, name: str, columns: Columns) -> dict[str, list]:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        select = ", ".join(_quote(column) for column, _ in columns)
        try:
            rows = connection.execute(f"SELECT {select} FROM {_quote(name)} ORDER BY rowid")
        except sqlite3.OperationalError as error:
            raise PipelineError(f"cannot read {name!r} from the database: {error}",
                                path=str(path)) from None
        return _by_column(rows.fetchall(), columns)
    finally:
        connection.close()


def _read_xlsx(path: Path, name: str, columns: Columns) -> dict[str, list]:
    import openpyxl  # pandas' own Excel reader; only this format needs it

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook[sheet_name(name)]
    except KeyError:
        raise PipelineError(f"the workbook has no sheet for {name!r}", path=str(path)) from None
    try:
        rows = sheet.iter_rows(values_only=True)
        header = list(next(rows, ()))
        width = len(header)
        body = [tuple(row) + (None,) * (width - len(row)) for row in rows]
    finally:
        workbook.close()
    positions = {column: header.index(column) for column, _ in columns if column in header}
    missing = [column for column, _ in columns if column not in positions]
    if missing:
        raise PipelineError(f"sheet {sheet_name(name)!r} lacks column(s) {', '.join(missing)}",
                            path=str(path))
    return {column: [row[positions[column]] for row in body] for column, _ in columns}


def _by_column(rows: Iterable[Sequence], columns: Columns) -> dict[str, list]:
    rows = list(rows)
    return {column: [row[i] for row in rows] for i, (column, _) in enumerate(columns)}


def _path(folder: Path, name: str, format: str) -> Path:
    single = {"sqlite": SQLITE_NAME, "xlsx": WORKBOOK_NAME}
    return folder / single[format] if format in single else folder / f"{name}.{format}"


def _integer(value: object) -> int:
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"not an integer: {value!r}")
    return int(value)


def _boolean(value: object) -> bool:
    if isinstance(value, str):
        if value not in ("true", "false"):
            raise ValueError(f"not a boolean: {value!r}")
        return value == "true"
    return bool(value)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_CONVERT: dict[str, Callable[[object], object]] = {
    "string": str, "integer": _integer, "boolean": _boolean,
}
_READERS = {
    "csv": _read_csv,
    "json": _read_json,
    "parquet": _read_parquet,
    "sqlite": _read_sqlite,
    "xlsx": _read_xlsx,
}
