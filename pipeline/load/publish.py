"""Write the validated tables as CSV, JSON and Parquet, per the data contract.

Every table is written as ``<name>.csv``, ``<name>.json`` and ``<name>.parquet`` under
``out_dir``, then all of them into ``crosswalk.sqlite`` and ``crosswalk.xlsx``
(:mod:`pipeline.load.exports`), then ``datapackage.json`` describes the files. Only call
this with frames that passed :func:`pipeline.validate.validate_tables`.

Determinism: rows are sorted by the table's ``order`` in natural order, ties broken by the
remaining columns, so the output does not depend on the order rows arrived in; nothing
written depends on the clock, the machine or a dict's insertion history. Two runs give
byte-identical CSV and JSON (and Parquet with the same pyarrow version).

CSV: UTF-8 without BOM, ``\\n`` line ends, a header, RFC 4180 minimal quoting (a field is
quoted only if it holds a comma, a double quote, CR or LF; quotes are doubled), empty
field = null, booleans ``true``/``false``. Text cells are defused against CSV injection
(:func:`defuse_csv_cell`) — in the CSV only: JSON and Parquet are not opened by
spreadsheets as formulas, and keep the value as validated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.codes import is_null, natural_sort_key
from pipeline.errors import PipelineError
from pipeline.load.datapackage import datapackage_descriptor, write_datapackage
from pipeline.load.exports import write_exports
from pipeline.metadata import TABLES, Table
from pipeline.metadata.files import defuse_csv_cell
from pipeline.metadata.frames import PANDAS_DTYPES
from pipeline.sources import Source

_NEEDS_QUOTES = re.compile(r'[",\r\n]')
_ARROW_TYPES = {"string": pa.string(), "integer": pa.int64(), "boolean": pa.bool_()}


def csv_field(text: str) -> str:
    """One field, quoted per RFC 4180 only when it must be.

    >>> csv_field("Law, Regulation & Agency Policy")
    '"Law, Regulation & Agency Policy"'
    >>> csv_field('the "consultative stance" and its elements')
    '"the ""consultative stance"" and its elements"'
    >>> csv_field("1A.1")
    '1A.1'
    """
    # The csv module quotes a field with CR only when CR is in the line terminator; with
    # "\\n" as terminator it would leave a bare CR unquoted, which RFC 4180 forbids.
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def sort_rows(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Rows in the table's order (natural, nulls last); the other columns break ties."""
    columns = list(table.order) + [c for c in table.column_names if c not in table.order]
    keys = [
        tuple(natural_sort_key(value) for value in row)
        for row in frame[columns].itertuples(index=False, name=None)
    ]
    order = sorted(range(len(frame)), key=keys.__getitem__)
    return frame.iloc[order].reset_index(drop=True)


def records(frame: pd.DataFrame, table: Table) -> Iterator[list]:
    """Rows as lists of plain Python values typed by metadata (None for null)."""
    casts = [_CASTS[table.field(name).type] for name in table.column_names]
    for row in frame[table.column_names].itertuples(index=False, name=None):
        yield [None if is_null(value) else cast(value) for cast, value in zip(casts, row)]


def to_csv_text(frame: pd.DataFrame, table: Table) -> str:
    """The CSV document of a sorted table."""
    lines = [",".join(csv_field(name) for name in table.column_names)]
    for row in records(frame, table):
        lines.append(",".join(csv_field(_csv_text(value)) for value in row))
    return "\n".join(lines) + "\n"


def to_json_text(frame: pd.DataFrame, table: Table) -> str:
    """The JSON document of a sorted table: an array of row objects, columns in order."""
    rows = [dict(zip(table.column_names, row)) for row in records(frame, table)]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def arrow_table(frame: pd.DataFrame, table: Table) -> pa.Table:
    """An Arrow table with the contract's types; descriptions go into field metadata.

    The pandas metadata pyarrow adds is kept (it has no index: ``preserve_index=False``)
    so that ``pd.read_parquet`` gives back ``string``, ``Int64`` and ``boolean`` columns
    rather than ``float64`` for an integer column with nulls. It names the pandas and
    pyarrow versions, so the bytes are stable for a given environment.
    """
    schema = pa.schema(
        [
            pa.field(
                f.name,
                _ARROW_TYPES[f.type],
                nullable=not f.required,
                metadata={"description": f.description},
            )
            for f in table.fields
        ]
    )
    typed = frame[table.column_names].astype(
        {f.name: PANDAS_DTYPES[f.type] for f in table.fields}
    )
    return pa.Table.from_pandas(typed, schema=schema, preserve_index=False)


def write_parquet(frame: pd.DataFrame, table: Table, path: Path) -> None:
    """One row group, fixed compression, statistics on: same input → same file."""
    pq.write_table(
        arrow_table(frame, table),
        path,
        row_group_size=max(len(frame), 1),
        compression="zstd",
        write_statistics=True,
        use_dictionary=True,
    )


def publish_tables(
    tables: Mapping[str, pd.DataFrame],
    out_dir: Path,
    sources: Sequence[Source],
    *,
    version: str | None = None,
    contract: Mapping[str, Table] = TABLES,
) -> list[Path]:
    """Write every table as CSV, JSON and Parquet, then the SQLite database and the Excel
    workbook of them all, then ``datapackage.json`` (whose
    ``version`` is, by default, the one maintained in ``pipeline/data/release.toml``).

    Tables are written in the order of ``contract`` (the declared tables, by default
    ``metadata.TABLES``), whatever the mapping's order. Returns the paths written, ``datapackage.json`` last.
    """
    unknown = sorted(set(tables) - set(contract))
    if unknown:
        raise PipelineError(f"no contract for table(s) {', '.join(unknown)}",
                            hint="declare them in pipeline/metadata/ (crosswalk.py or guidelines.py)")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    published: list[Table] = []
    rows: dict[str, list[list]] = {}
    for name, table in contract.items():
        if name not in tables:
            continue
        frame = sort_rows(_contract_columns(tables[name], table), table)
        written += _write_table(frame, table, out_dir)
        published.append(table)
        rows[name] = list(records(frame, table))
    # The database and the workbook hold the same rows; datapackage.json lists them with
    # their bytes and sha256, so they come before it.
    descriptor = datapackage_descriptor(out_dir, published, sources, version=version)
    written += write_exports(out_dir, rows, published, descriptor)
    written.append(write_datapackage(out_dir, published, sources, version=version))
    return written


# --- helpers -----------------------------------------------------------------------------


def _write_table(frame: pd.DataFrame, table: Table, out_dir: Path) -> list[Path]:
    csv_path = out_dir / f"{table.name}.csv"
    json_path = out_dir / f"{table.name}.json"
    parquet_path = out_dir / f"{table.name}.parquet"
    # newline="" keeps "\n" as written on every platform; no BOM with "utf-8".
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(to_csv_text(frame, table))
    with json_path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(to_json_text(frame, table))
    write_parquet(frame, table, parquet_path)
    return [csv_path, json_path, parquet_path]


def _contract_columns(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    missing = [c for c in table.column_names if c not in frame.columns]
    extra = [c for c in frame.columns if c not in table.column_names]
    if missing or extra:
        raise PipelineError(
            f"table {table.name!r} does not have the contract's columns "
            f"(missing: {missing or 'none'}, unexpected: {extra or 'none'})",
            hint="publish only frames returned by validate_tables",
        )
    return frame[table.column_names]


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return defuse_csv_cell(str(value))


def _to_int(value: object) -> int:
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"not an integer: {value!r}")
    return int(value)


_CASTS = {"string": str, "integer": _to_int, "boolean": bool}
