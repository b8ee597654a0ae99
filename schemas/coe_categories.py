"""Schema of ``coe_categories``, e.g. ``1A. Distinguishes IECMHC from Other Related Endeavors``."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from pipeline.metadata import COE_CATEGORIES
from schemas.base import first_digit, row_check, same, table_model
from schemas.text_rules import has_numbered_prefix


class CoeCategoriesSchema(table_model(COE_CATEGORIES)):
    """One row per category of a domain."""

    @row_check("category_code", "domain_number")
    def domain_is_code_digit(cls, df: pd.DataFrame) -> pd.Series:
        """domain_number is the first digit of category_code (1A → 1)."""
        return same(df["domain_number"], first_digit(df["category_code"]))

    @pa.check("category_title")
    def title_has_no_code(cls, titles: pd.Series) -> pd.Series:
        """The title is printed without its code (`1A. Distinguishes ...` → `Distinguishes ...`)."""
        return ~has_numbered_prefix(titles)
