"""Schema of ``illinois_competencies``: the Illinois Model's 8 core competencies."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from pipeline.metadata import FLYER_CONTACT, ILLINOIS_COMPETENCIES
from schemas.base import table_model
from schemas.text_rules import has_numbered_prefix


class IllinoisCompetenciesSchema(table_model(ILLINOIS_COMPETENCIES)):
    """One row per numbered competency (#1 … #8)."""

    @pa.check("title")
    def illinois_title_has_no_number(cls, titles: pd.Series) -> pd.Series:
        """The title is the heading without its `#1:` number."""
        return ~has_numbered_prefix(titles) & ~titles.str.match(r"^#\d")

    @pa.check("title")
    def title_has_no_trailing_period(cls, titles: pd.Series) -> pd.Series:
        """The heading's final period is not part of the title."""
        return ~titles.str.endswith(".")

    @pa.check("description")
    def description_is_not_flyer_noise(cls, descriptions: pd.Series) -> pd.Series:
        """No contact line, link or QR-code instruction in a description (the same rule
        the extractor uses to leave flyer noise out)."""
        noise = descriptions.map(lambda text: bool(FLYER_CONTACT.search(text)))
        return ~noise & ~descriptions.str.contains("qr code", case=False, regex=False)
