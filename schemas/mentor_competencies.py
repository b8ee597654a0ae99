"""Schema of ``mentor_competencies``: CT-AIMH Infant Mental Health Mentor statements."""

from __future__ import annotations

import pandas as pd

from pipeline.metadata import (
    DESIGNATIONS,
    MENTOR_COMPETENCIES,
    applies_to,
    designation_column,
)
from schemas.base import row_check, table_model

_FLAGS = tuple(designation_column(d) for d in DESIGNATIONS)


class MentorCompetenciesSchema(table_model(MENTOR_COMPETENCIES)):
    """One row per "As demonstrated by" statement; sub-bullets point to their bullet."""

    @row_check("area_of_expertise", "statement_seq", "parent_seq")
    def parent_is_the_bullet_above(cls, df: pd.DataFrame) -> pd.Series:
        """A sub-bullet's parent_seq names the nearest bullet above it in the same area
        (sub-bullets do not nest, and do not skip a bullet)."""
        ordered = df.sort_values(["area_of_expertise", "statement_seq"])
        nearest: dict = {}
        ok = pd.Series(True, index=df.index)
        for index, area, seq, parent in zip(ordered.index, ordered["area_of_expertise"],
                                            ordered["statement_seq"], ordered["parent_seq"]):
            if pd.isna(parent):
                nearest[area] = seq
            else:
                ok[index] = nearest.get(area) == parent and parent < seq
        return ok

    @row_check("designations", *_FLAGS)
    def flags_follow_designations(cls, df: pd.DataFrame) -> pd.Series:
        """Each designation_* column is true exactly when designations names its code or
        A (all three designations): `A` → all three true, `P;RF` → policy and
        research/faculty. A designations string its pattern refuses is left to it."""
        pattern = MENTOR_COMPETENCIES.field("designations").pattern
        parsed = df["designations"].astype("string").str.fullmatch(pattern)
        agree = pd.Series(True, index=df.index)
        for designation, column in zip(DESIGNATIONS, _FLAGS, strict=True):
            expected = df["designations"].map(lambda codes, d=designation: applies_to(codes, d))
            agree &= (df[column] == expected).fillna(False).astype(bool)
        return ~parsed.fillna(False).astype(bool) | agree
