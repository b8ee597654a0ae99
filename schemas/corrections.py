"""Schema of ``corrections``: the audit log of every change made to a published cell.

The text rules do not apply here: ``before`` is the source fragment *as printed* (with its
wrap artifacts and typos — that is the point of the log) and ``after`` may be a fragment
with an edge space.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from pipeline.metadata import CORRECTIONS, TABLES
from schemas.base import dataset_is_published, row_check, same, table_model


class CorrectionsSchema(table_model(CORRECTIONS, text_columns=())):
    """One row per repair: before → after by rule, with the cell's provenance."""

    @pa.check("dataset")
    def dataset_is_published(cls, datasets: pd.Series) -> pd.Series:
        """The dataset is one of the published tables."""
        return dataset_is_published(datasets)

    @row_check("dataset", "field")
    def field_is_column(cls, df: pd.DataFrame) -> pd.Series:
        """field is a column of the dataset named."""
        return pd.Series(
            [
                dataset not in TABLES or field in TABLES[dataset].column_names
                for dataset, field in zip(df["dataset"], df["field"])
            ],
            index=df.index,
        )

    @row_check("row_key", "field", "before", "after")
    def changes_something(cls, df: pd.DataFrame) -> pd.Series:
        """before and after differ (a no-op is not a correction)."""
        return ~same(df["before"], df["after"])
