"""Validate the tables before anything is published.

:func:`validate_tables` runs every table's pandera schema (``schemas/``) with
``lazy=True``, so one run reports *every* failing cell, then the checks that span tables
(:mod:`pipeline.validate.cross_checks`: foreign keys from metadata, and the denormalized copies in
``crosswalk`` agreeing with the tables they copy). All failures end up in one frame, one
row per failing cell (:mod:`pipeline.validate.failure_cases`), with the provenance of the row so a
maintainer can open the source at the right line::

    table  row_index  row_key  source_id  source_line  source_page  check  column  value

On failure it raises :class:`ValidationFailed`; the CLI writes the frame with
:func:`write_failure_report` (:mod:`pipeline.validate.report`: ``failure_cases.csv`` +
``validation_report.txt``) and exits 1.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import pandera.pandas as pa

from pipeline.errors import PipelineError
from pipeline.metadata import TABLES, Table
from pipeline.validate.cross_checks import check_references
from pipeline.validate.failure_cases import (
    FAILURE_COLUMNS,
    failure_frame,
    failure_row,
    is_null,
)
from pipeline.validate.report import FAILURE_CSV, REPORT_TXT, write_failure_report
from schemas import SCHEMAS
from schemas.base import report_columns

# The public face of validation: stages.py and the tests import these from here.
__all__ = ["FAILURE_COLUMNS", "ValidationFailed", "validate_tables", "write_failure_report"]


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
            # pandera copies the frame it is given once for the table and again for each
            # column unless told it may work in place; one copy here keeps ``frame`` as
            # given, which the failure rows quote.
            validated[name] = checked[name] = model.validate(
                frame.copy(), lazy=True, inplace=True
            )
        except pa.errors.SchemaErrors as error:
            failures.extend(
                _schema_failures(TABLES[name], model, frame, error.failure_cases)
            )
            checked[name] = error.data if isinstance(error.data, pd.DataFrame) else frame
    failures.extend(check_references(checked))
    if failures:
        raise ValidationFailed(failure_frame(failures))
    return {name: validated[name] for name in tables}


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
        position = None if is_null(case.index) else int(case.index)
        columns = row_checks.get(case.check)
        # A table-level failure (an undeclared column, a wrong order) names the schema
        # where a column would be; the failure case then names the column.
        column = None if case.column == schema.name else case.column
        if columns and position is not None:
            for column in columns:
                value = frame.at[position, column] if column in frame.columns else None
                failures.append(failure_row(table, frame, position, case.check, column, value))
        else:
            failures.append(
                failure_row(table, frame, position, str(case.check), column, case.failure_case)
            )
    return failures
