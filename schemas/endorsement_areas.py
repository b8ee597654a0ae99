"""Schema of ``endorsement_areas``: one row per Endorsement knowledge/skill area."""

from __future__ import annotations

import pandas as pd

from pipeline.metadata import ENDORSEMENT_AREAS, area_id
from schemas.base import row_check, table_model


class EndorsementAreasSchema(table_model(ENDORSEMENT_AREAS)):
    """One row per area, keyed by ``area_id``."""

    @row_check("area_id", "endorsement_domain", "endorsement_area")
    def id_is_slug_of_names(cls, df: pd.DataFrame) -> pd.Series:
        """area_id is the slug of the domain and the canonical name
        (`Reflection` + `self awareness` → `reflection--self-awareness`), so an id says
        which area it is and stays the same while the name keeps its words."""
        return pd.Series(
            [isinstance(domain, str) and isinstance(area, str)
             and identifier == area_id(domain, area)
             for identifier, domain, area in zip(df["area_id"], df["endorsement_domain"],
                                                 df["endorsement_area"])],
            index=df.index, dtype=bool,
        )
