"""Validate the tables before anything is published.

:func:`validate_tables` runs every table's pandera schema (``schemas/``) with
``lazy=True``, so one run reports *every* failing cell, then the checks that span tables
(foreign keys from metadata, and the denormalized copies in ``crosswalk`` agreeing with
the tables they copy). All failures end up in one frame, one row per failing cell, with
the provenance of the row so a maintainer can open the source at the right line::

    table  row_index  row_key  source_id  source_line  source_page  check  column  value

On failure it raises :class:`ValidationFailed`; the CLI writes the frame with
:func:`write_failure_report` (``failure_cases.csv`` + ``validation_report.txt``) and
exits 1.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from pipeline.errors import PipelineError
from pipeline.metadata import TABLES, Table
from schemas import SCHEMAS
from schemas.base import report_columns

FAILURE_COLUMNS = (
    "table",
    "row_index",
    "row_key",
    "source_id",
    "source_line",
    "source_page",
    "check",
    "column",
    "value",
)
FAILURE_CSV = "failure_cases.csv"
REPORT_TXT = "validation_report.txt"
#: Longest value quoted in the text report (the CSV keeps it whole).
_REPORT_VALUE_WIDTH = 160


class ValidationFailed(PipelineError):
    """Published data would break the contract. ``failure_cases`` lists every failure."""

    def __init__(self, failure_cases: pd.DataFrame) -> None:
        self.failure_cases = failure_cases
        tables = ", ".join(dict.fromkeys(failure_cases["table"]))
        super().__init__(
            f"{len(failure_cases)} validation failure(s) in {tables}",
            hint=f"see {FAILURE_CSV} and {REPORT_TXT} in the reports directory "
            "(build/reports/)",
            exit_code=1,
        )


@dataclass(frozen=True)
class Copy:
    """``table.column`` repeats ``source.source_column`` of the row with the same key.

    Rows whose key has no match are left to the foreign-key check. ``source_filter``
    restricts the source rows, e.g. to the first mapping row of a competency.
    """

    name: str
    description: str
    table: str
    column: str
    key: tuple[str, ...]
    source: str
    source_column: str
    source_key: tuple[str, ...]
    source_filter: tuple[str, object] | None = None


COPIES = (
    Copy(
        "copies_domain_title",
        "crosswalk.coe_domain is the domain_title of its domain in coe_domains.",
        "crosswalk", "coe_domain", ("coe_domain_number",),
        "coe_domains", "domain_title", ("domain_number",),
    ),
    Copy(
        "copies_category_title",
        "crosswalk.coe_category is the category_title of its category in coe_categories.",
        "crosswalk", "coe_category", ("coe_category_code",),
        "coe_categories", "category_title", ("category_code",),
    ),
    Copy(
        "copies_competency_text",
        "crosswalk.coe_competency is the competency_text of its code in coe_competencies.",
        "crosswalk", "coe_competency", ("coe_code",),
        "coe_competencies", "competency_text", ("coe_code",),
    ),
    Copy(
        "priority_of_first_mapping",
        "coe_competencies.priority is the priority of the competency's first mapping row "
        "(mapping_seq 1) in crosswalk.",
        "coe_competencies", "priority", ("coe_code",),
        "crosswalk", "priority", ("coe_code",),
        source_filter=("mapping_seq", 1),
    ),
)


def validate_tables(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Validate every table; return the validated (type-coerced) frames, in input order.

    Cross-table checks run only when both tables are given, so a subset of the tables can
    be validated alone; they also run on a table that failed its own schema (on its
    coerced values), so one run reports every failure.

    Raises :class:`ValidationFailed` listing all failures, or :class:`PipelineError` for
    a table that has no schema (nothing is published unvalidated).
    """
    unknown = sorted(set(tables) - set(SCHEMAS))
    if unknown:
        raise PipelineError(
            f"no schema for table(s) {', '.join(unknown)}",
            hint="add schemas/<table>.py and register it in schemas.SCHEMAS",
        )
    validated: dict[str, pd.DataFrame] = {}
    # The frames the cross-table checks compare: validated, or as far as pandera got
    # (parsed and coerced) for a table that failed, so one run reports everything.
    checked: dict[str, pd.DataFrame] = {}
    failures: list[dict] = []
    for name, model in SCHEMAS.items():
        if name not in tables:
            continue
        # Positions, not the caller's index, identify rows in the report.
        frame = tables[name].reset_index(drop=True)
        try:
            validated[name] = checked[name] = model.validate(frame, lazy=True)
        except pa.errors.SchemaErrors as error:
            failures.extend(
                _schema_failures(TABLES[name], model, frame, error.failure_cases)
            )
            checked[name] = error.data if isinstance(error.data, pd.DataFrame) else frame
    failures.extend(check_references(checked))
    if failures:
        raise ValidationFailed(failure_frame(failures))
    return {name: validated[name] for name in tables}


def check_references(tables: Mapping[str, pd.DataFrame]) -> list[dict]:
    """Foreign keys (from metadata) and denormalized copies, as failure rows.

    A missing column (already reported by the table's schema) skips the check.
    """
    failures: list[dict] = []
    for table in TABLES.values():
        if table.name not in tables:
            continue
        frame = tables[table.name].reset_index(drop=True)
        for fk in table.foreign_keys:
            if fk.table not in tables:
                continue
            parent = tables[fk.table]
            if not (_has_columns(frame, fk.fields) and _has_columns(parent, fk.reference)):
                continue
            known = set(_key_tuples(parent, fk.reference))
            check = f"references_{fk.table}"
            for position, values in enumerate(_key_tuples(frame, fk.fields)):
                if all(v is None for v in values) or values in known:
                    continue
                value = values[0] if len(values) == 1 else _join(values)
                failures.append(
                    _failure(table, frame, position, check, ",".join(fk.fields), value)
                )
    for copy in COPIES:
        if _copy_applies(copy, tables):
            failures.extend(_copy_failures(copy, tables))
    return failures


def failure_frame(failures: Iterable[dict]) -> pd.DataFrame:
    """Failure rows as a frame: deduplicated, in table order, then row, check, column."""
    # object columns: None stays None (pandas would infer `str` and turn it into NaN) and
    # an integer column with nulls stays integer.
    frame = pd.DataFrame(list(failures), columns=list(FAILURE_COLUMNS), dtype=object)
    if frame.empty:
        return frame
    table_rank = {name: rank for rank, name in enumerate(TABLES)}

    def order(row: tuple) -> tuple:
        table, row_index, _, _, _, _, check, column, _ = row
        return (
            table_rank.get(table, len(table_rank)),
            -1 if row_index is None else row_index,
            str(check),
            str(column),
        )

    rows = sorted(dict.fromkeys(frame.itertuples(index=False, name=None)), key=order)
    return pd.DataFrame(rows, columns=list(FAILURE_COLUMNS), dtype=object)


def check_descriptions() -> dict[str, str]:
    """Name → description of every named check, for the report's legend."""
    descriptions: dict[str, str] = {}
    for model in SCHEMAS.values():
        schema = model.to_schema()
        checks = list(schema.checks)
        for column in schema.columns.values():
            checks.extend(column.checks)
        for check in checks:
            if check.description and check.name not in descriptions:
                descriptions[check.name] = " ".join(check.description.split())
    for table in TABLES.values():
        for fk in table.foreign_keys:
            descriptions.setdefault(
                f"references_{fk.table}",
                f"the value exists in {fk.table} ({', '.join(fk.reference)}).",
            )
    for copy in COPIES:
        descriptions[copy.name] = copy.description
    descriptions.setdefault(
        "multiple_fields_uniqueness", "no two rows share the table's key (Config.unique)."
    )
    return descriptions


def write_failure_report(error: ValidationFailed, reports_dir: Path) -> Path:
    """Write ``failure_cases.csv`` and ``validation_report.txt`` under ``reports_dir``;
    return the path of the text report (the CSV is beside it)."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    csv_path = reports_dir / FAILURE_CSV
    txt_path = reports_dir / REPORT_TXT
    error.failure_cases.to_csv(csv_path, index=False, lineterminator="\n", encoding="utf-8")
    txt_path.write_text(render_report(error.failure_cases), encoding="utf-8")
    return txt_path


def render_report(cases: pd.DataFrame) -> str:
    """Every failure, grouped by table, each line naming where to look, then a legend."""
    rows = list(cases.itertuples(index=False))
    tables = list(dict.fromkeys(row.table for row in rows))
    failing_rows = {(row.table, row.row_index) for row in rows if row.row_index is not None}
    lines = [
        f"Validation failed: {len(rows)} failure(s) in {len(failing_rows)} row(s) of "
        f"{len(tables)} table(s).",
        "",
    ]
    for table in tables:
        of_table = [row for row in rows if row.table == table]
        lines.append(f"{table} — {len(of_table)} failure(s)")
        for row in of_table:
            cell = f"{row.column} = " if row.column is not None else ""
            lines.append(
                f"  {_where(row)}  row {_text(row.row_key) or '-'}  {row.check}  "
                f"{cell}{_quote(row.value)}"
            )
        lines.append("")
    descriptions = check_descriptions()
    legend = [f"  {name}: {descriptions[name]}" for name in
              dict.fromkeys(row.check for row in rows) if name in descriptions]
    if legend:
        lines += ["Checks:", *legend, ""]
    return "\n".join(lines)


# --- helpers -----------------------------------------------------------------------------


def _schema_failures(
    table: Table, model: type[pa.DataFrameModel], frame: pd.DataFrame, cases: pd.DataFrame
) -> list[dict]:
    """pandera's failure cases → failure rows.

    pandera reports a failing row-level check on every non-null column of the row; a
    check made with :func:`schemas.base.row_check` is reported instead on the columns it
    names, with their values (nulls included: a missing value is often the fault).
    """
    schema = model.to_schema()
    row_checks = {check.name: report_columns(check) for check in schema.checks}
    failures: list[dict] = []
    for case in cases.itertuples(index=False):
        position = None if _is_null(case.index) else int(case.index)
        columns = row_checks.get(case.check)
        # A table-level failure (an undeclared column, a wrong order) names the schema
        # where a column would be; the failure case then names the column.
        column = None if case.column == schema.name else case.column
        if columns and position is not None:
            for column in columns:
                value = frame.at[position, column] if column in frame.columns else None
                failures.append(_failure(table, frame, position, case.check, column, value))
        else:
            failures.append(
                _failure(table, frame, position, str(case.check), column, case.failure_case)
            )
    return failures


def _copy_applies(copy: Copy, tables: Mapping[str, pd.DataFrame]) -> bool:
    """Both tables are given and have the columns the comparison needs."""
    if copy.table not in tables or copy.source not in tables:
        return False
    source_columns = (*copy.source_key, copy.source_column)
    if copy.source_filter is not None:
        source_columns += (copy.source_filter[0],)
    return _has_columns(tables[copy.table], (*copy.key, copy.column)) and _has_columns(
        tables[copy.source], source_columns
    )


def _copy_failures(copy: Copy, tables: Mapping[str, pd.DataFrame]) -> list[dict]:
    source = tables[copy.source]
    if copy.source_filter is not None:
        column, wanted = copy.source_filter
        source = source[(source[column] == wanted).fillna(False).astype(bool)]
    expected = {
        key: _plain(value)
        for key, value in zip(
            _key_tuples(source, copy.source_key), source[copy.source_column], strict=True
        )
    }
    frame = tables[copy.table].reset_index(drop=True)
    table = TABLES[copy.table]
    failures = []
    for position, (key, value) in enumerate(
        zip(_key_tuples(frame, copy.key), frame[copy.column], strict=True)
    ):
        if key in expected and _plain(value) != expected[key]:
            failures.append(_failure(table, frame, position, copy.name, copy.column, value))
    return failures


def _failure(
    table: Table, frame: pd.DataFrame, position: int | None, check: str, column, value
) -> dict:
    row = {
        "table": table.name,
        "row_index": position,
        "row_key": None,
        "source_id": None,
        "source_line": None,
        "source_page": None,
        "check": check,
        "column": None if _is_null(column) else str(column),
        "value": _plain(value),
    }
    if position is not None and 0 <= position < len(frame):
        for name in ("source_id", "source_line", "source_page"):
            if name in frame.columns:
                row[name] = _plain(frame.at[position, name])
        # Audit tables have no key: their first sort columns name the row well enough.
        label = [c for c in (table.key or table.order[:3]) if c in frame.columns]
        row["row_key"] = _join(_plain(frame.at[position, c]) for c in label) or None
    return row


def _has_columns(frame: pd.DataFrame, columns: Iterable[str]) -> bool:
    return set(columns) <= set(frame.columns)


def _key_tuples(frame: pd.DataFrame, columns: Iterable[str]) -> list[tuple]:
    columns = list(columns)
    return [
        tuple(_plain(value) for value in values)
        for values in frame[columns].itertuples(index=False, name=None)
    ]


def _plain(value):
    """A cell as a plain, hashable Python value: None for any null, int for any integer
    (also a float one, as an integer column holding a null may arrive as float), str for
    anything that is not a scalar (pandera may report a dict)."""
    if _is_null(value):
        return None
    if isinstance(value, (bool, str)):
        return value
    if hasattr(value, "dtype") and value.dtype == bool:  # numpy bool
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return int(value) if float(value).is_integer() else float(value)
    return str(value)


def _is_null(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists, dicts, arrays
        return False


def _join(values: Iterable) -> str:
    return "/".join("" if v is None else str(v) for v in values)


def _text(value) -> str:
    return "" if value is None else str(value)


def _where(row) -> str:
    where = _text(row.source_id) or "(no source)"
    if row.source_line is not None:
        where += f":{row.source_line}"
    if row.source_page is not None:
        where += f" page {row.source_page}"
    return where


def _quote(value) -> str:
    if value is None:
        return "<null>"
    text = repr(value) if isinstance(value, str) else str(value)
    if len(text) > _REPORT_VALUE_WIDTH:
        text = text[: _REPORT_VALUE_WIDTH - 1] + "…"
    return text
