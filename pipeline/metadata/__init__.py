"""The data contract, declared once.

Every published table, its columns, types, vocabularies and keys live in this package:
``contract`` (the building blocks), ``crosswalk`` (the crosswalk and audit tables),
``areas`` (the Endorsement areas through which crosswalk, reverse table and CT-AIMH areas
join) and ``guidelines`` (the CT-AIMH Mentor and Illinois tables). The pandera schemas
(``schemas/``), ``datapackage.json`` and the data dictionary in ``docs/datasets.md`` are
generated from these declarations, so they cannot drift apart.
"""

from pipeline.metadata.areas import (
    AREA_DATASETS,
    AREA_ID_PATTERN,
    ENDORSEMENT_AREA_SPELLINGS,
    ENDORSEMENT_AREAS,
    area_id,
)
from pipeline.metadata.contract import (
    ALIGNMENTS,
    CATEGORY_CODE_PATTERN,
    COE_CODE_PATTERN,
    CORRECTION_RULES,
    DESIGNATIONS,
    ENDORSEMENT_DOMAINS,
    ENDORSEMENT_LEVELS,
    INDEX_LEVELS,
    PRIORITIES,
    Field,
    ForeignKey,
    Table,
    provenance_fields,
)
from pipeline.metadata.crosswalk import (
    COE_CATEGORIES,
    COE_COMPETENCIES,
    COE_DOMAINS,
    CORRECTIONS,
    CROSSWALK,
    ENDORSEMENT_INDEX,
    QUALITY_ISSUES,
)
from pipeline.metadata.guidelines import (
    ALL_DESIGNATIONS,
    AREA_KINDS,
    BULLET,
    DESIGNATION_OF_CODE,
    FLYER_CONTACT,
    ILLINOIS_COMPETENCIES,
    MENTOR_AREAS,
    MENTOR_COMPETENCIES,
    MENTOR_DESIGNATIONS,
    SUB_BULLET,
    applies_to,
    designation_column,
)

#: Every published table, in publishing order.
TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        COE_DOMAINS,
        COE_CATEGORIES,
        COE_COMPETENCIES,
        CROSSWALK,
        ENDORSEMENT_INDEX,
        ENDORSEMENT_AREAS,
        ENDORSEMENT_AREA_SPELLINGS,
        MENTOR_COMPETENCIES,
        MENTOR_AREAS,
        ILLINOIS_COMPETENCIES,
        CORRECTIONS,
        QUALITY_ISSUES,
    )
}
