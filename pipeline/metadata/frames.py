"""Frames in the contract's shape."""

from __future__ import annotations

import pandas as pd

from pipeline.metadata import TABLES, Table

PANDAS_DTYPES = {"string": "string", "integer": "Int64", "boolean": "boolean"}


def typed_frame(frame: pd.DataFrame, table: str | Table) -> pd.DataFrame:
    """Columns in contract order with the contract's nullable pandas dtypes."""
    meta = TABLES[table] if isinstance(table, str) else table
    frame = frame.reindex(columns=meta.column_names)
    dtypes = {f.name: PANDAS_DTYPES[f.type] for f in meta.fields}
    return frame.astype(dtypes).reset_index(drop=True)
