"""Schema of ``endorsement_area_spellings``: every spelling of an Endorsement area, with
the area it was read as. That the spelling's domain is its area's is a cross-table check
(:data:`pipeline.validate.cross_checks.COPIES`)."""

from __future__ import annotations

from pipeline.metadata import ENDORSEMENT_AREA_SPELLINGS
from schemas.base import table_model


class EndorsementAreaSpellingsSchema(table_model(ENDORSEMENT_AREA_SPELLINGS)):
    """One row per (dataset, domain, spelling); the generated checks (vocabularies, the
    id pattern, the key, text rules) say all there is to say about one row."""
