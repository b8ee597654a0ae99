"""The contract of the crosswalk datasets (CoE domains … endorsement_index) and of the
audit tables (corrections, quality_issues)."""

from __future__ import annotations

from pipeline.metadata.areas import AREA_FOREIGN_KEY, area_id_field
from pipeline.metadata.contract import (
    ALIGNMENTS,
    CATEGORY_CODE_PATTERN,
    COE_CODE_PATTERN,
    CORRECTION_RULES,
    DESIGNATIONS,
    ENDORSEMENT_DOMAINS,
    ENDORSEMENT_LEVELS,
    PRIORITIES,
    Field,
    ForeignKey,
    Table,
    provenance_fields,
)

_priority = Field(
    "priority",
    "string",
    "The competency's priority: Essential (marked * in the source) or Important (marked "
    "••• or • • •), as marked on its first mapping row, where the document prints its "
    "text; null where the source gives a note instead of a mark. crosswalk repeats it as "
    "competency_priority.",
    required=False,
    enum=PRIORITIES,
)

COE_DOMAINS = Table(
    name="coe_domains",
    title="CoE IECMH Consultation competency domains",
    description="The 8 domains of the Center of Excellence IECMH Consultation competencies.",
    fields=(
        Field("domain_number", "integer", "Domain number, 1 to 8.", minimum=1, maximum=8),
        Field("domain_title", "string", "Domain title, e.g. 'Role of the IECMH Consultant'."),
        Field(
            "description",
            "string",
            "The domain's introductory paragraph(s), joined across page breaks.",
            verbatim=True,
        ),
        *provenance_fields(),
    ),
    primary_key=("domain_number",),
)

COE_CATEGORIES = Table(
    name="coe_categories",
    title="CoE IECMH Consultation competency categories",
    description="Categories within the domains, e.g. '1A. Distinguishes IECMHC from Other "
    "Related Endeavors'.",
    fields=(
        Field("category_code", "string", "Category code, e.g. 1A.", pattern=CATEGORY_CODE_PATTERN),
        Field("domain_number", "integer", "Domain of the category (first digit of the code).",
              minimum=1, maximum=8),
        Field("category_title", "string", "Category title, cleaned of layout debris.",
              verbatim=True),
        *provenance_fields(),
    ),
    primary_key=("category_code",),
    foreign_keys=(ForeignKey(("domain_number",), "coe_domains", ("domain_number",)),),
)

COE_COMPETENCIES = Table(
    name="coe_competencies",
    title="CoE IECMH Consultation core skills",
    description="One row per CoE core skill (competency), e.g. 1A.1.",
    fields=(
        Field("coe_code", "string", "Competency code, e.g. 1A.1.", pattern=COE_CODE_PATTERN),
        Field("category_code", "string", "Category of the competency.",
              pattern=CATEGORY_CODE_PATTERN),
        Field("domain_number", "integer", "Domain of the competency.", minimum=1, maximum=8),
        Field("competency_text", "string",
              "Full skill text; typos fixed and wrap artifacts repaired.", verbatim=True),
        _priority,
        Field("priority_note", "string",
              "A note the source gives instead of a priority mark, e.g. 'covered in 1C.1'.",
              required=False),
        Field("footnote", "string",
              "Footnote text moved out of the skill text (its marker removed).",
              required=False, verbatim=True),
        *provenance_fields(),
    ),
    primary_key=("coe_code",),
    foreign_keys=(
        ForeignKey(("category_code",), "coe_categories", ("category_code",)),
        ForeignKey(("domain_number",), "coe_domains", ("domain_number",)),
    ),
)

CROSSWALK = Table(
    name="crosswalk",
    title="CoE ↔ Endorsement crosswalk",
    description="One row per mapping row of the CoE ↔ Alliance/MI-AIMH Endorsement "
    "crosswalk table (flat, denormalized).",
    fields=(
        Field("coe_code", "string", "Competency code, e.g. 1A.1.", pattern=COE_CODE_PATTERN),
        Field("mapping_seq", "integer",
              "Order of the mapping rows of one competency in the source, from 1.", minimum=1),
        Field("coe_domain_number", "integer", "CoE domain number.", minimum=1, maximum=8),
        Field("coe_domain", "string", "CoE domain title."),
        Field("coe_category_code", "string", "CoE category code.",
              pattern=CATEGORY_CODE_PATTERN),
        Field("coe_category", "string", "CoE category title.", verbatim=True),
        Field("coe_competency", "string",
              "The skill text; 'See above.' rows carry the resolved text.", verbatim=True),
        Field(
            "mapping_priority",
            "string",
            "The priority mark the document prints on this mapping row: Essential (*) or "
            "Important (••• / • • •); null where it gives a note instead. A 'See above.' "
            "row, which repeats a competency for another Endorsement area, may be marked "
            "••• where the competency's first row is marked *: for the competency's own "
            "priority use competency_priority.",
            required=False,
            enum=PRIORITIES,
        ),
        Field(
            "competency_priority",
            "string",
            "The competency's own priority, as in coe_competencies.priority (the mark on "
            "its first mapping row), the same on every mapping row of the competency. A "
            "row where it differs from mapping_priority is listed in quality_issues (kind "
            "priority_disagreement).",
            required=False,
            enum=PRIORITIES,
        ),
        Field("alignment", "string",
              "same, partial (≈) or unique (≠, its misread #, or 'Unique').",
              enum=ALIGNMENTS),
        Field("endorsement_domain", "string",
              "Canonical Endorsement competency domain; null iff alignment is unique.",
              required=False, enum=ENDORSEMENT_DOMAINS),
        Field("endorsement_area", "string",
              "Endorsement knowledge/skill area as printed, level tag removed; null iff "
              "unique.", required=False, verbatim=True),
        area_id_field("Id of the row's Endorsement area in endorsement_areas, whatever "
                      "the spelling of endorsement_area; null iff unique.", required=False),
        Field("endorsement_level", "string",
              "IFS (no tag), MHS or MHM from the (MHS)/(MHM) tags; null iff unique.",
              required=False, enum=ENDORSEMENT_LEVELS),
        Field("demonstrated_by", "string",
              "'As Demonstrated By / Other Work Experience' text, 'See above.' resolved; "
              "null iff unique.", required=False, verbatim=True),
        *provenance_fields(),
    ),
    primary_key=("coe_code", "mapping_seq"),
    foreign_keys=(
        ForeignKey(("coe_code",), "coe_competencies", ("coe_code",)),
        ForeignKey(("coe_category_code",), "coe_categories", ("category_code",)),
        ForeignKey(("coe_domain_number",), "coe_domains", ("domain_number",)),
        AREA_FOREIGN_KEY,
    ),
)

ENDORSEMENT_INDEX = Table(
    name="endorsement_index",
    title="Endorsement area → CoE competencies (reverse table)",
    description="The crosswalk's reverse table in long format: one row per (Endorsement "
    "area, CoE code); an area marked 'Unique to Alliance' has one row with null coe_code.",
    fields=(
        Field("endorsement_domain", "string", "Canonical Endorsement domain ('(cont.)' dropped).",
              enum=ENDORSEMENT_DOMAINS),
        Field("endorsement_area", "string",
              "Knowledge/skill area as printed, e.g. 'infant/young child development and "
              "behavior'.", verbatim=True),
        area_id_field("Id of the area in endorsement_areas.", required=True),
        Field("endorsement_levels", "string",
              "';'-joined levels from the parentheses, e.g. IFA;IFS;MHS;MHM.",
              pattern=r"^(IFA|IFS|MHS|MHM)(;(IFA|IFS|MHS|MHM))*$"),
        Field("designation", "string",
              "clinical, policy or research/faculty from '(MHM - policy)' etc.",
              required=False, enum=DESIGNATIONS),
        Field("coe_code", "string", "CoE competency code; null for 'Unique to Alliance'.",
              required=False, pattern=COE_CODE_PATTERN),
        Field("unique_to_alliance", "boolean", "True when the area is marked 'Unique to "
              "Alliance'."),
        *provenance_fields(),
    ),
    unique=("endorsement_domain", "endorsement_area", "coe_code"),
    foreign_keys=(ForeignKey(("coe_code",), "coe_competencies", ("coe_code",)),
                  AREA_FOREIGN_KEY),
)

CORRECTIONS = Table(
    name="corrections",
    title="Corrections audit log",
    description="Every change the normalizer made to a published cell: before, after, the "
    "rule that made it and where the cell comes from.",
    fields=(
        Field("dataset", "string", "Published dataset of the changed cell."),
        Field("row_key", "string", "Primary key of the row, '/'-joined (e.g. 1A.1/2)."),
        Field("field", "string", "Column of the changed cell."),
        # before/after quote the source text: verbatim, so the codes-only profile drops them.
        Field("before", "string", "Source fragment before the change.", required=False,
              verbatim=True),
        Field("after", "string", "The fragment after the change.", required=False,
              verbatim=True),
        Field("rule", "string", "The rule that made the change.", enum=CORRECTION_RULES),
        *provenance_fields(),
    ),
    sort_by=("dataset", "row_key", "field", "rule", "before", "after"),
)

QUALITY_ISSUES = Table(
    name="quality_issues",
    title="Quality issues",
    description="What the build noticed but could not or should not fix silently.",
    fields=(
        Field("kind", "string", "Kind of issue, e.g. unknown_word, unknown_code."),
        Field("dataset", "string", "Dataset concerned."),
        Field("row_key", "string", "Primary key of the row concerned, '/'-joined."),
        # The detail quotes the cells concerned (both renditions, the unknown word).
        Field("detail", "string", "What is wrong, in words.", verbatim=True),
        *provenance_fields(),
    ),
    sort_by=("dataset", "row_key", "kind", "detail"),
)
