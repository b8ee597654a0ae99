"""Schema of ``quality_issues``: what the build noticed but did not fix silently.

The text rules do not apply: ``detail`` quotes the offending source text on purpose
(an unknown word, a wrap artifact that could not be repaired).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from pipeline.metadata import QUALITY_ISSUES
from schemas.base import dataset_is_published, table_model


class QualityIssuesSchema(table_model(QUALITY_ISSUES, text_columns=())):
    """One row per issue, with the provenance of the row concerned."""

    @pa.check("dataset")
    def dataset_is_published(cls, datasets: pd.Series) -> pd.Series:
        """The dataset is one of the published tables."""
        return dataset_is_published(datasets)
