"""The building blocks of the data contract: fields, tables, vocabularies.

Every published table, its columns, types, vocabularies and keys live here. The pandera
schemas (``schemas/``), the Frictionless ``datapackage.json`` and the README data
dictionary are all generated from these declarations, so they cannot drift apart.
The contract in prose, with the generated data dictionary, is ``docs/datasets.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PRIORITIES = ("Essential", "Important")
ALIGNMENTS = ("same", "partial", "unique")
ENDORSEMENT_LEVELS = ("IFS", "MHS", "MHM")
INDEX_LEVELS = ("IFA", "IFS", "MHS", "MHM")
DESIGNATIONS = ("clinical", "policy", "research/faculty")
ENDORSEMENT_DOMAINS = (
    "Theoretical Foundations",
    "Law, Regulation & Agency Policy",
    "Systems Expertise",
    "Direct Service Skills",
    "Working with Others",
    "Leading People",
    "Communicating",
    "Thinking",
    "Reflection",
    "Administration",
    "Research & Evaluation",
)
CORRECTION_RULES = (
    "dehyphenate",
    "join_split_word",
    "split_joined_words",
    "restore_lost_hyphen",
    "slash_wrap",
    "typo",
    "spelling",
    "whitespace",
    "quotes",
    "vocabulary",
    "code",
    "see_above",
    "footnote",
    "layout_debris",
    "continuation",
    "override",
    "rendition",
    "split_cell",
    "ligature",
    "scanner_confusion",
    "scanner_enumeration",
    "consistency",
    "area_spelling",
    "ocr",
)

COE_CODE_PATTERN = r"^[1-8][A-H]\.\d{1,2}$"
CATEGORY_CODE_PATTERN = r"^[1-8][A-H]$"


@dataclass(frozen=True)
class Field:
    """One column of a published table."""

    name: str
    type: str  # Frictionless type: string, integer, boolean
    description: str
    required: bool = True
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    #: a copyrighted verbatim text column (left out by the codes-only profile)
    verbatim: bool = False


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    table: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """One published dataset."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    #: columns whose combination is unique but may hold nulls (no Frictionless primary key)
    unique: tuple[str, ...] = ()
    #: sort order of the published rows (natural order for codes)
    sort_by: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def key(self) -> tuple[str, ...]:
        return self.primary_key or self.unique

    @property
    def order(self) -> tuple[str, ...]:
        return self.sort_by or self.key


def provenance_fields() -> tuple[Field, ...]:
    return (
        Field("source_id", "string", "Id of the source document in raw/sources.toml."),
        Field(
            "source_line",
            "integer",
            "1-based line of the row in a text source; null for a PDF source.",
            required=False,
            minimum=1,
        ),
        Field(
            "source_page",
            "integer",
            "1-based page of the row in a PDF source; null for a text source.",
            required=False,
            minimum=1,
        ),
    )
