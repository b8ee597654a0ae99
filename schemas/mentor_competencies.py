"""Schema of ``mentor_competencies``: CT-AIMH Infant Mental Health Mentor statements."""

from __future__ import annotations

import pandas as pd

from pipeline.metadata import MENTOR_COMPETENCIES
from schemas.base import row_check, table_model


class MentorCompetenciesSchema(table_model(MENTOR_COMPETENCIES)):
    """One row per "As demonstrated by" statement; sub-bullets point to their bullet."""

    @row_check("area_of_expertise", "statement_seq", "parent_seq")
    def parent_is_an_earlier_bullet(cls, df: pd.DataFrame) -> pd.Series:
        """A sub-bullet's parent_seq names an earlier statement of the same area that is
        itself a bullet (sub-bullets do not nest)."""
        bullets = set(zip(df.loc[df["parent_seq"].isna(), "area_of_expertise"],
                          df.loc[df["parent_seq"].isna(), "statement_seq"]))
        ok = [
            pd.isna(parent) or ((area, parent) in bullets and parent < seq)
            for area, seq, parent in zip(df["area_of_expertise"], df["statement_seq"],
                                         df["parent_seq"])
        ]
        return pd.Series(ok, index=df.index)
