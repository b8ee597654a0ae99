"""The data contract of the guideline datasets: CT-AIMH Mentor and Illinois competencies.

Declared with the same :class:`~pipeline.metadata.contract.Table`/:class:`~pipeline.metadata.contract.Field`
dataclasses as the crosswalk tables, so schemas, ``datapackage.json`` and the README data
dictionary come from here too. The contract in prose is ``docs/datasets.md``.
"""

from __future__ import annotations

import re

from pipeline.metadata.areas import AREA_FOREIGN_KEY, area_id_field
from pipeline.metadata.contract import (
    DESIGNATIONS,
    ENDORSEMENT_DOMAINS,
    Field,
    Table,
    provenance_fields,
)

#: CT-AIMH designation codes, in the order the legend lists them: A = all designations,
#: C = Clinical, P = Policy, RF = Research/Faculty.
MENTOR_DESIGNATIONS = ("A", "C", "P", "RF")
#: The code that stands for every designation ("Applies to all three designations (A)").
ALL_DESIGNATIONS = "A"
#: The designation each other code names, in the vocabulary of
#: ``endorsement_index.designation``.
DESIGNATION_OF_CODE = dict(zip(MENTOR_DESIGNATIONS[1:], DESIGNATIONS, strict=True))


def designation_column(designation: str) -> str:
    """The boolean column of ``mentor_competencies`` that says a statement applies to
    ``designation``.

    >>> [designation_column(d) for d in DESIGNATIONS]
    ['designation_clinical', 'designation_policy', 'designation_research_faculty']
    """
    return "designation_" + re.sub(r"\W+", "_", designation)


def applies_to(codes: str | None, designation: str) -> bool:
    """Whether a statement with ``codes`` (``designations``, e.g. ``P;RF``) applies to
    ``designation``: it names its code, or ``A`` (all three).

    >>> [applies_to("A", d) for d in DESIGNATIONS]
    [True, True, True]
    >>> [applies_to("P;RF", d) for d in DESIGNATIONS]
    [False, True, True]
    >>> applies_to(None, "clinical")
    False
    """
    named = set(codes.split(";")) if isinstance(codes, str) else set()
    return ALL_DESIGNATIONS in named or any(DESIGNATION_OF_CODE.get(code) == designation
                                            for code in named)


AREA_KINDS = ("Knowledge Areas", "Skill Areas")
#: The list marks of the CT-AIMH statements: a bullet, and a sub-bullet that belongs to
#: the bullet above it (its parent_seq).
BULLET, SUB_BULLET = "•", "○"
#: Contact details and links on the Illinois flyer: noise, never part of a competency.
FLYER_CONTACT = re.compile(r"\S+@\S+\.\w+|https?://|www\.|\bbit\.ly/|\]\(")

_area_of_expertise = Field(
    "area_of_expertise",
    "string",
    "Area of expertise (an Endorsement competency domain), in the canonical spelling of "
    "the crosswalk's endorsement_domain, e.g. 'Theoretical Foundations'.",
    enum=ENDORSEMENT_DOMAINS,
)

MENTOR_COMPETENCIES = Table(
    name="mentor_competencies",
    title="CT-AIMH Infant Mental Health Mentor (Level IV) competencies",
    description="One row per 'As demonstrated by' statement of the CT-AIMH Competency "
    "Guidelines for the Infant Mental Health Mentor (Level IV); sub-bullets are rows of "
    "their own that point to their bullet with parent_seq.",
    fields=(
        _area_of_expertise,
        Field("statement_seq", "integer",
              "Order of the statement within its area of expertise, from 1 (bullets and "
              "sub-bullets numbered together in document order).", minimum=1),
        Field("parent_seq", "integer",
              "For a sub-bullet (○), the statement_seq of its bullet; null for a bullet.",
              required=False, minimum=1),
        Field("statement", "string",
              "The statement, HTML removed; a designation suffix such as '(P/RF)' is moved "
              "to designations.", verbatim=True),
        Field("designations", "string",
              "';'-joined designation codes (A = all, C = Clinical, P = Policy, RF = "
              "Research/Faculty), from the statement's suffix or else its group heading; "
              "as printed: A is not expanded (the designation_* columns are).",
              pattern=r"^(A|C|P|RF)(;(A|C|P|RF))*$"),
        *(Field(designation_column(designation), "boolean",
                f"True when the statement applies to the {designation} designation: "
                f"designations names {code} or A (all three designations).")
          for code, designation in DESIGNATION_OF_CODE.items()),
        Field("practice_mode", "string",
              "The italic lead-in of the statement's group, e.g. 'Applies to all three "
              "designations (A):'.", required=False, verbatim=True),
        *provenance_fields(),
    ),
    primary_key=("area_of_expertise", "statement_seq"),
)

MENTOR_AREAS = Table(
    name="mentor_areas",
    title="CT-AIMH Infant Mental Health Mentor knowledge and skill areas",
    description="One row per knowledge or skill area listed under an area of expertise "
    "of the CT-AIMH Mentor (Level IV) Competency Guidelines.",
    fields=(
        _area_of_expertise,
        Field("area_kind", "string", "Knowledge Areas or Skill Areas, as headed in the "
              "source.", enum=AREA_KINDS),
        Field("area", "string", "The knowledge or skill area, e.g. 'cultural competence'.",
              verbatim=True),
        area_id_field("Id of the Endorsement area in endorsement_areas whose spelling, "
                      "under the same domain, matches area; null where none does (listed "
                      "in quality_issues, kind unmatched_area).", required=False),
        *provenance_fields(),
    ),
    primary_key=("area_of_expertise", "area_kind", "area"),
    foreign_keys=(AREA_FOREIGN_KEY,),
)

ILLINOIS_COMPETENCIES = Table(
    name="illinois_competencies",
    title="Illinois Model for I/ECMHC core competencies",
    description="The 8 core competencies that guide Infant/Early Childhood Mental Health "
    "Consultants in the Illinois Model (flyer text; contact and QR-code noise left out).",
    fields=(
        Field("number", "integer", "Competency number, 1 to 8.", minimum=1, maximum=8),
        Field("title", "string", "Competency title, without its trailing period.",
              verbatim=True),
        Field("description", "string",
              "The competency's description paragraph(s), joined with single spaces.",
              verbatim=True),
        *provenance_fields(),
    ),
    primary_key=("number",),
)
