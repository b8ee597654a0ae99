"""The failure report a maintainer reads when validation fails.

:func:`write_failure_report` writes the failure cases of a
:class:`~pipeline.validate.ValidationFailed` twice under the reports directory: whole, as
``failure_cases.csv``, and as ``validation_report.txt`` (:func:`render_report`), one line
per failure grouped by table, naming the source line or page to open, then a legend of
the checks that failed (:func:`check_descriptions`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.metadata import TABLES
from pipeline.validate.cross_checks import COPIES, PRIORITY_PRESENT
from schemas import SCHEMAS

FAILURE_CSV = "failure_cases.csv"
REPORT_TXT = "validation_report.txt"
#: Longest value quoted in the text report (the CSV keeps it whole).
_REPORT_VALUE_WIDTH = 160


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
    descriptions[PRIORITY_PRESENT[0]] = PRIORITY_PRESENT[1]
    descriptions.setdefault(
        "multiple_fields_uniqueness", "no two rows share the table's key (Config.unique)."
    )
    return descriptions


def write_failure_report(failure_cases: pd.DataFrame, reports_dir: Path) -> Path:
    """Write ``failure_cases.csv`` and ``validation_report.txt`` under ``reports_dir``;
    return the path of the text report (the CSV is beside it)."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    csv_path = reports_dir / FAILURE_CSV
    txt_path = reports_dir / REPORT_TXT
    failure_cases.to_csv(csv_path, index=False, lineterminator="\n", encoding="utf-8")
    txt_path.write_text(render_report(failure_cases), encoding="utf-8")
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
