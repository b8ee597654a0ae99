"""The failure case: the one row format every validation check reports in.

Both the pandera schemas (:mod:`pipeline.validate`) and the checks that span tables
(:mod:`pipeline.validate.cross_checks`) describe a failing cell as one dict with the columns of
:data:`FAILURE_COLUMNS`, carrying the provenance of its row so a maintainer can open the
source at the right line; :func:`failure_frame` collects them into the frame that
:class:`~pipeline.validate.ValidationFailed` carries and the report is written from.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable

import pandas as pd

from pipeline.metadata import TABLES, Table

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


def failure_row(
    table: Table, frame: pd.DataFrame, position: int | None, check: str, column, value
) -> dict:
    """One failure row: ``check`` failed on ``column`` of row ``position`` of ``frame``."""
    row = {
        "table": table.name,
        "row_index": position,
        "row_key": None,
        "source_id": None,
        "source_line": None,
        "source_page": None,
        "check": check,
        "column": None if is_null(column) else str(column),
        "value": plain(value),
    }
    if position is not None and 0 <= position < len(frame):
        for name in ("source_id", "source_line", "source_page"):
            if name in frame.columns:
                row[name] = plain(frame.at[position, name])
        # Audit tables have no key: their first sort columns name the row well enough.
        label = [c for c in (table.key or table.order[:3]) if c in frame.columns]
        row["row_key"] = join_values(plain(frame.at[position, c]) for c in label) or None
    return row


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


#: Types :func:`plain` returns unchanged (exactly these: a subclass such as numpy's
#: ``str_`` goes the long way).
_ALREADY_PLAIN = frozenset({str, int, bool})


def plain(value):
    """A cell as a plain, hashable Python value: None for any null, int for any integer
    (also a float one, as an integer column holding a null may arrive as float), str for
    anything that is not a scalar (pandera may report a dict)."""
    if type(value) in _ALREADY_PLAIN:  # most cells: skip the null test, the slow part
        return value
    if is_null(value):
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


def is_null(value) -> bool:
    """Whether ``value`` is a null scalar; a list, dict or array never is."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists, dicts, arrays
        return False


def join_values(values: Iterable) -> str:
    """The parts of a composite key as one ``a/b`` label (a null part is empty)."""
    return "/".join("" if v is None else str(v) for v in values)
