"""The contract of the Endorsement knowledge/skill areas: the one vocabulary through which
``crosswalk``, ``endorsement_index`` and ``mentor_areas`` join.

The three tables spell one area many ways (``Self-Awareness``, ``Self Awareness``,
``self awareness``; ``Government, Law, & Regulation`` and ``government, law &
regulation``). ``endorsement_areas`` holds each area once, under a canonical name and an
``area_id``; each of the three tables carries the ``area_id`` of its row, and
``endorsement_area_spellings`` lists every spelling with the area it was read as. How
spellings are matched and the canonical name chosen is
:mod:`pipeline.transform.endorsement_areas`; what an id looks like is decided here,
because the schema checks it.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.metadata.contract import (
    ENDORSEMENT_DOMAINS,
    Field,
    ForeignKey,
    Table,
    provenance_fields,
)

_SLUG_PART = r"[a-z0-9]+(-[a-z0-9]+)*"
#: ``<domain slug>--<area slug>``, e.g. ``reflection--self-awareness``.
AREA_ID_PATTERN = rf"^{_SLUG_PART}--{_SLUG_PART}$"
#: The datasets whose rows name an Endorsement area, in the order their spellings weigh
#: when the canonical name is chosen (the reverse table first).
AREA_DATASETS = ("endorsement_index", "crosswalk", "mentor_areas")


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens, ``&`` spelled ``and``.

    >>> slug("Law, Regulation & Agency Policy")
    'law-regulation-and-agency-policy'
    >>> slug("infant/young child & family-centered practice")
    'infant-young-child-and-family-centered-practice'
    >>> slug("Self-Awareness") == slug("self awareness") == slug(" Self  Awareness ")
    True
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower().replace("&", " and ")).strip("-")


def area_id(domain: str, area: str) -> str:
    """The id of an Endorsement area: the slugs of its canonical domain and name.

    Stable across editions as long as the canonical name keeps its words: a change of
    case, ``&``/``and``, punctuation or spacing gives the same id.

    >>> area_id("Theoretical Foundations", "family relationships & dynamics")
    'theoretical-foundations--family-relationships-and-dynamics'
    >>> area_id("Reflection", "Self-Awareness") == area_id("Reflection", "self awareness")
    True
    """
    return f"{slug(domain)}--{slug(area)}"


def area_id_field(description: str, *, required: bool) -> Field:
    """The ``area_id`` column of a table whose rows name an Endorsement area."""
    return Field("area_id", "string", description, required=required, pattern=AREA_ID_PATTERN)


#: The foreign key of that column.
AREA_FOREIGN_KEY = ForeignKey(("area_id",), "endorsement_areas", ("area_id",))

ENDORSEMENT_AREAS = Table(
    name="endorsement_areas",
    title="Endorsement knowledge/skill areas",
    description="One row per Endorsement knowledge/skill area named by the crosswalk (its "
    "reverse table, and its forward table where that names an area the reverse table does "
    "not), under one canonical name; crosswalk, endorsement_index and mentor_areas join it "
    "through area_id.",
    fields=(
        Field("area_id", "string",
              "Id of the area: the slugs of its domain and canonical name joined by '--', "
              "e.g. reflection--self-awareness.", pattern=AREA_ID_PATTERN),
        Field("endorsement_domain", "string", "Canonical Endorsement domain of the area.",
              enum=ENDORSEMENT_DOMAINS),
        Field("endorsement_area", "string",
              "Canonical name of the area: its spelling in the reverse table; for an area "
              "only the forward table names, its spelling on most crosswalk rows (a tie: the "
              "one printed first).", verbatim=True),
        Field("in_reverse_table", "boolean",
              "True when the reverse table (endorsement_index) lists the area; false for an "
              "area only the forward table names, which quality_issues also lists (kind "
              "area_not_in_reverse_table)."),
        *provenance_fields(),
    ),
    primary_key=("area_id",),
)

ENDORSEMENT_AREA_SPELLINGS = Table(
    name="endorsement_area_spellings",
    title="Spellings of the Endorsement areas",
    description="Every spelling of an Endorsement area in crosswalk, endorsement_index and "
    "mentor_areas, with the area it was read as: a lookup from a spelling to its area_id.",
    fields=(
        area_id_field("Id of the area the spelling was read as.", required=True),
        Field("dataset", "string", "Dataset whose rows use the spelling.",
              enum=AREA_DATASETS),
        Field("endorsement_domain", "string",
              "The rows' Endorsement domain (mentor_areas: area_of_expertise).",
              enum=ENDORSEMENT_DOMAINS),
        Field("endorsement_area", "string",
              "The area as the dataset publishes it (mentor_areas: area); a repaired wrap "
              "or typo of the source is in corrections.", verbatim=True),
        Field("rows", "integer", "How many rows of the dataset use the spelling.", minimum=1),
        *provenance_fields(),
    ),
    primary_key=("dataset", "endorsement_domain", "endorsement_area"),
    foreign_keys=(AREA_FOREIGN_KEY,),
    sort_by=("area_id", "dataset", "endorsement_area"),
)
