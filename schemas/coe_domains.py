"""Schema of ``coe_domains``: the 8 domains of the CoE consultation competencies."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from pipeline.metadata import COE_DOMAINS
from schemas.base import table_model
from schemas.text_rules import has_numbered_prefix


class CoeDomainsSchema(table_model(COE_DOMAINS)):
    """One row per domain, e.g. 1 `Role of the IECMH Consultant`."""

    @pa.check("domain_title")
    def title_has_no_number(cls, titles: pd.Series) -> pd.Series:
        """The title is the heading without its number (`1. Role of ...` → `Role of ...`)."""
        return ~has_numbered_prefix(titles)
