"""Schema of ``endorsement_index``: the reverse table (Endorsement area → CoE codes)."""

from __future__ import annotations

import pandas as pd

from pipeline.metadata import ENDORSEMENT_INDEX, INDEX_LEVELS
from schemas.base import row_check, table_model

_LEVEL_RANK = {level: rank for rank, level in enumerate(INDEX_LEVELS)}


def _levels_ordered(levels: object) -> bool:
    if pd.isna(levels):
        return True
    ranks = [_LEVEL_RANK.get(level, -1) for level in str(levels).split(";")]
    return all(a < b for a, b in zip(ranks, ranks[1:]))


class EndorsementIndexSchema(table_model(ENDORSEMENT_INDEX)):
    """One row per (area, CoE code); `Unique to Alliance` areas have one row, no code."""

    @row_check("endorsement_area", "coe_code", "unique_to_alliance")
    def unique_iff_no_code(cls, df: pd.DataFrame) -> pd.Series:
        """unique_to_alliance is true exactly when coe_code is null."""
        return (df["unique_to_alliance"] == df["coe_code"].isna()).fillna(False).astype(bool)

    @row_check("endorsement_area", "endorsement_levels")
    def levels_in_canonical_order(cls, df: pd.DataFrame) -> pd.Series:
        """endorsement_levels lists each level once, in the order IFA;IFS;MHS;MHM."""
        return df["endorsement_levels"].map(_levels_ordered).astype(bool)

    @row_check("endorsement_area", "endorsement_levels", "designation")
    def designation_needs_mentor_level(cls, df: pd.DataFrame) -> pd.Series:
        """A designation (clinical, policy, research/faculty) qualifies the Mentor level:
        it comes only with MHM (`(MHM - policy)`)."""
        has_mentor = df["endorsement_levels"].str.split(";").map(
            lambda levels: isinstance(levels, list) and "MHM" in levels
        )
        return (df["designation"].isna() | has_mentor).astype(bool)
