"""Schema of ``coe_competencies``: one row per CoE core skill, e.g. ``1A.1``."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from pipeline.metadata import COE_COMPETENCIES
from schemas.base import code_prefix_check, row_check, table_model
from schemas.text_rules import has_footnote_marker, has_leading_code


class CoeCompetenciesSchema(table_model(COE_COMPETENCIES)):
    """One row per competency; its priority is that of its first mapping row."""

    category_is_code_prefix = code_prefix_check("coe_code", "category_code", "domain_number")

    @row_check("coe_code", "priority", "priority_note")
    def note_instead_of_priority(cls, df: pd.DataFrame) -> pd.Series:
        """A priority note stands for a missing mark: exactly one of priority and
        priority_note (a mark that could not be read must never become a silent null)."""
        return df["priority"].notna() ^ df["priority_note"].notna()

    @pa.check("competency_text")
    def text_has_no_code(cls, texts: pd.Series) -> pd.Series:
        """The skill text does not start with its code (`1A.1. Demonstrates` → `Demonstrates`)."""
        return ~has_leading_code(texts)

    @pa.check("competency_text")
    def no_footnote_marker(cls, texts: pd.Series) -> pd.Series:
        """Footnote markers such as `[1]` are moved out of the skill text."""
        return ~has_footnote_marker(texts)
