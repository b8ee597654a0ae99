"""Schema of ``crosswalk``: one row per mapping row of the CoE ↔ Endorsement table."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from pipeline.metadata import CROSSWALK
from schemas.base import code_prefix_check, row_check, table_model
from schemas.text_rules import has_leading_code, has_numbered_prefix

#: The columns that describe the Endorsement side of a mapping row.
ENDORSEMENT_COLUMNS = (
    "endorsement_domain",
    "endorsement_area",
    "area_id",
    "endorsement_level",
    "demonstrated_by",
)

_SEE_ABOVE = r"^\s*See above\.?\s*$"


class CrosswalkSchema(table_model(CROSSWALK)):
    """Flat, denormalized rows; primary key (coe_code, mapping_seq)."""

    @row_check("alignment", *ENDORSEMENT_COLUMNS)
    def unique_iff_endorsement_null(cls, df: pd.DataFrame) -> pd.Series:
        """alignment is `unique` exactly when endorsement_domain, endorsement_area,
        area_id, endorsement_level and demonstrated_by are all null (a competency unique
        to the CoE maps to no Endorsement area)."""
        unique = (df["alignment"] == "unique").fillna(False).astype(bool)
        all_null = df[list(ENDORSEMENT_COLUMNS)].isna().all(axis="columns")
        any_null = df[list(ENDORSEMENT_COLUMNS)].isna().any(axis="columns")
        return (unique & all_null) | (~unique & ~any_null)

    category_is_code_prefix = code_prefix_check("coe_code", "coe_category_code",
                                                "coe_domain_number")

    @row_check("coe_code", "mapping_seq")
    def mapping_seq_contiguous(cls, df: pd.DataFrame) -> pd.Series:
        """The mapping rows of one competency are numbered 1, 2, ... n without gaps."""
        # Numbers 1..n without gaps: the smallest is 1 and the largest is the count
        # (duplicates are the primary key's business, but also break this).
        group = df.groupby("coe_code", dropna=False)["mapping_seq"]
        size = group.transform("size")
        complete = (group.transform("min") == 1) & (group.transform("max") == size)
        return complete.fillna(False).astype(bool) & df["mapping_seq"].notna()

    @pa.check("coe_competency", "demonstrated_by")
    def see_above_resolved(cls, texts: pd.Series) -> pd.Series:
        """`See above.` is replaced by the text it refers to."""
        return ~texts.str.contains(_SEE_ABOVE, regex=True).fillna(False).astype(bool)

    @pa.check("coe_competency")
    def text_has_no_code(cls, texts: pd.Series) -> pd.Series:
        """The skill text does not start with its code (`1A.1. Demonstrates` → `Demonstrates`)."""
        return ~has_leading_code(texts)

    @pa.check("coe_domain", "coe_category")
    def title_has_no_number(cls, titles: pd.Series) -> pd.Series:
        """Domain and category titles are printed without their number or code."""
        return ~has_numbered_prefix(titles)
