"""Schema of ``mentor_areas``: knowledge and skill areas of the CT-AIMH Mentor guidelines."""

from __future__ import annotations

from pipeline.metadata import MENTOR_AREAS
from schemas.base import table_model


class MentorAreasSchema(table_model(MENTOR_AREAS)):
    """One row per knowledge or skill area listed under an area of expertise; the
    generated checks (vocabulary of area_kind and area_of_expertise, unique key, text
    rules) say all there is to say."""
