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
from collections.abc import Callable, Iterator, Mapping, Sequence
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
from pipeline.runtime.collector import collector_paused
from pipeline.sources import Source

_NEEDS_QUOTES = re.compile(r'[",\r\n]')
_ARROW_TYPES = {"string": pa.string(), "integer": pa.int64(), "boolean": pa.bool_()}
#: pyarrow's name in the pandas metadata for each type of the contract.
_PANDAS_LOGICAL_TYPES = {"string": "unicode", "integer": "int64", "boolean": "bool"}


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
    """Rows in the table's order (natural, nulls last); the other columns break ties.

    The same order as sorting by the natural keys of every column of a row, but a column
    after the table's ``order`` is read only for the rows still tied (a key usually
    decides alone), and each distinct value's key is made once.
    """
    columns = list(table.order) + [c for c in table.column_names if c not in table.order]
    rows = list(range(len(frame)))
    order_keys = list(zip(*(_natural_keys(frame[c]) for c in table.order))) \
        if table.order else [()] * len(frame)
    rows.sort(key=order_keys.__getitem__)
    tie_columns = columns[len(table.order):]
    if tie_columns:
        rows = _break_ties(frame, rows, order_keys, tie_columns)
    return frame.iloc[rows].reset_index(drop=True)


def _break_ties(frame: pd.DataFrame, rows: list[int], order_keys: list[tuple],
                tie_columns: list[str]) -> list[int]:
    """``rows`` (sorted by ``order_keys``) with each run of equal keys sorted by the
    natural keys of ``tie_columns``; a sort is stable, so rows tied on every column keep
    the frame's order, as they did in one sort by every column."""
    tie_keys: list[tuple] | None = None
    start = 0
    while start < len(rows):
        end = start + 1
        while end < len(rows) and order_keys[rows[end]] == order_keys[rows[start]]:
            end += 1
        if end - start > 1:
            if tie_keys is None:  # made only when some rows tie
                tie_keys = list(zip(*(_natural_keys(frame[c]) for c in tie_columns)))
            rows[start:end] = sorted(rows[start:end], key=tie_keys.__getitem__)
        start = end
    return rows


def _natural_keys(column: pd.Series) -> list[tuple]:
    """:func:`natural_sort_key` of each value, made once per distinct value."""
    made: dict[tuple[type, object], tuple] = {}
    keys = []
    for value in column.tolist():
        try:
            keys.append(made[type(value), value])
        except KeyError:  # a new value
            keys.append(made.setdefault((type(value), value), natural_sort_key(value)))
        except TypeError:  # unhashable: no cell of a published table is
            keys.append(natural_sort_key(value))
    return keys


def records(frame: pd.DataFrame, table: Table) -> Iterator[list]:
    """Rows as lists of plain Python values typed by metadata (None for null)."""
    # Column by column: a whole column to Python at once is far quicker than row tuples,
    # and a column's values have one type to check.
    columns = [_typed_values(frame[name].tolist(), table.field(name).type)
               for name in table.column_names]
    for row in zip(*columns):
        yield list(row)


def _typed_values(values: list, kind: str) -> list:
    """A column's values as the contract's Python type (None for null); a value of that
    type already is kept as it is."""
    cast = _CASTS[kind]
    python_type = _PYTHON_TYPES[kind]
    return [value if type(value) is python_type else None if is_null(value) else cast(value)
            for value in values]


def to_csv_text(frame: pd.DataFrame, table: Table, rows: Sequence[Sequence] | None = None) -> str:
    """The CSV document of a sorted table (``rows``: its :func:`records`, if made)."""
    rows = list(records(frame, table)) if rows is None else rows
    header = ",".join(csv_field(name) for name in table.column_names)
    fields = _encoded_columns(rows, len(table.column_names),
                              lambda value: csv_field(_csv_text(value)))
    return "\n".join([header, *map(",".join, zip(*fields))]) + "\n"


def to_json_text(frame: pd.DataFrame, table: Table, rows: Sequence[Sequence] | None = None) -> str:
    """The JSON document of a sorted table: an array of row objects, columns in order
    (``rows``: its :func:`records`, if made)."""
    rows = list(records(frame, table)) if rows is None else rows
    if not rows:
        return "[]\n"
    # What ``json.dumps(objects, ensure_ascii=False, indent=2)`` writes, made with the C
    # encoder of each value: with ``indent`` set, json runs its encoder in pure Python.
    keys = ["    " + _json_value(name) + ": " for name in table.column_names]
    members = [[key + value for value in values] for key, values in
               zip(keys, _encoded_columns(rows, len(keys), _json_value))]
    objects = ("  {\n" + ",\n".join(row) + "\n  }" for row in zip(*members))
    return "[\n" + ",\n".join(objects) + "\n]\n"


def _encoded_columns(rows: Sequence[Sequence], width: int,
                     encode: Callable[[object], str]) -> list[list[str]]:
    """Each column of ``rows`` encoded, each distinct value of a column once (a long
    table repeats its domains, areas and sources on row after row)."""
    columns = list(zip(*rows)) if rows else [()] * width
    encoded = []
    for values in columns:
        made: dict[tuple[type, object], str] = {}
        encoded.append([made[key] if (key := (type(value), value)) in made
                        else made.setdefault(key, encode(value)) for value in values])
    return encoded


_json_value = json.JSONEncoder(ensure_ascii=False).encode


def arrow_table(frame: pd.DataFrame, table: Table,
                rows: Sequence[Sequence] | None = None) -> pa.Table:
    """An Arrow table with the contract's types; descriptions go into field metadata
    (``rows``: the frame's :func:`records`, if made).

    The pandas metadata pyarrow adds is kept (it has no index: ``preserve_index=False``)
    so that ``pd.read_parquet`` gives back ``string``, ``Int64`` and ``boolean`` columns
    rather than ``float64`` for an integer column with nulls. It names the pandas and
    pyarrow versions, so the bytes are stable for a given environment.
    """
    rows = list(records(frame, table)) if rows is None else rows
    schema = arrow_schema(frame, table)
    columns = list(zip(*rows)) if rows else [()] * len(table.fields)
    # Each column from its Python values: the same arrays as converting the typed frame,
    # without a pandas copy and conversion per table.
    return pa.Table.from_arrays([pa.array(values, type=field.type)
                                 for values, field in zip(columns, schema)], schema=schema)


def arrow_schema(frame: pd.DataFrame, table: Table) -> pa.Schema:
    """The contract's Arrow schema, with the pandas metadata ``pa.Table.from_pandas``
    gives the typed frame.

    That metadata says the columns' pandas types, not their values: it is written here as
    pyarrow writes it (``pyarrow.pandas_compat.construct_metadata``, for a frame without
    an index and with ``string``, ``Int64`` and ``boolean`` columns) rather than by
    converting a frame, which costs as much as converting the rows.
    ``tests/load/test_publish.py`` compares the two for every table."""
    columns = [{"name": f.name, "field_name": f.name,
                "pandas_type": _PANDAS_LOGICAL_TYPES[f.type],
                "numpy_type": str(pd.api.types.pandas_dtype(PANDAS_DTYPES[f.type])),
                "metadata": None}
               for f in table.fields]
    try:
        attributes = json.loads(json.dumps(frame.attrs))
    except (TypeError, ValueError):  # pyarrow leaves out attributes it cannot write
        attributes = {}
    pandas_metadata = json.dumps({
        "index_columns": [], "column_indexes": [], "columns": columns,
        "attributes": attributes,
        "creator": {"library": "pyarrow", "version": pa.__version__},
        "pandas_version": pd.__version__,
    })
    return pa.schema(
        [
            pa.field(
                f.name,
                _ARROW_TYPES[f.type],
                nullable=not f.required,
                metadata={"description": f.description},
            )
            for f in table.fields
        ],
        metadata={b"pandas": pandas_metadata.encode("utf-8")},
    )


def write_parquet(frame: pd.DataFrame, table: Table, path: Path,
                  rows: Sequence[Sequence] | None = None) -> None:
    """One row group, fixed compression, statistics on: same input → same file
    (``rows``: the frame's :func:`records`, if made)."""
    pq.write_table(
        arrow_table(frame, table, rows),
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
    with collector_paused():
        return _publish(tables, out_dir, sources, version, contract)


def _publish(tables: Mapping[str, pd.DataFrame], out_dir: Path, sources: Sequence[Source],
             version: str | None, contract: Mapping[str, Table]) -> list[Path]:
    written: list[Path] = []
    published: list[Table] = []
    rows: dict[str, list[list]] = {}
    for name, table in contract.items():
        if name not in tables:
            continue
        frame = sort_rows(_contract_columns(tables[name], table), table)
        rows[name] = list(records(frame, table))  # once, for every file of the table
        written += _write_table(frame, table, out_dir, rows[name])
        published.append(table)
    # The database and the workbook hold the same rows; datapackage.json lists them with
    # their bytes and sha256, so they come before it.
    descriptor = datapackage_descriptor(out_dir, published, sources, version=version)
    written += write_exports(out_dir, rows, published, descriptor)
    written.append(write_datapackage(out_dir, published, sources, version=version,
                                     described=descriptor))
    return written


# --- helpers -----------------------------------------------------------------------------


def _write_table(frame: pd.DataFrame, table: Table, out_dir: Path,
                 rows: Sequence[Sequence]) -> list[Path]:
    csv_path = out_dir / f"{table.name}.csv"
    json_path = out_dir / f"{table.name}.json"
    parquet_path = out_dir / f"{table.name}.parquet"
    # newline="" keeps "\n" as written on every platform; no BOM with "utf-8".
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(to_csv_text(frame, table, rows))
    with json_path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(to_json_text(frame, table, rows))
    write_parquet(frame, table, parquet_path, rows)
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
_PYTHON_TYPES = {"string": str, "integer": int, "boolean": bool}
