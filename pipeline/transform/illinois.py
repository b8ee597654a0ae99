"""Clean the Illinois Model competencies: ``illinois_competencies``.

The extractor has already kept only heading and prose (see
:func:`pipeline.extract.illinois.prose_problem`); here the number becomes an integer,
the title loses its closing period and both texts go through the project's cell cleaner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from pipeline.accounting import Account, rejected_rows, rows_of
from pipeline.metadata import ILLINOIS_COMPETENCIES
from pipeline.metadata.frames import typed_frame
from pipeline.transform.cells.audit import AuditLog, Provenance
from pipeline.transform.cells.cleaner import CellCleaner
from pipeline.transform.cells.lexicon import Lexicon
from pipeline.transform.rows import itertuples

if TYPE_CHECKING:
    from pipeline.sources import Source
    from pipeline.transform import TransformContext

# A CellCleaner-like callable: (text, dataset, row_key, column, where, extra_edits) -> str
Cleaner = Callable[..., str]
DATASET = ILLINOIS_COMPETENCIES.name


def transform(source: Source, frames: dict[str, pd.DataFrame],
              context: TransformContext) -> dict[str, pd.DataFrame]:
    """``illinois_competencies``."""
    return {DATASET: clean_illinois_competencies(frames["competencies"], context.audit,
                                                 clean=context.cleaner(frames))}


def account(source: Source, frames: dict[str, pd.DataFrame],
            tables: dict[str, pd.DataFrame]) -> tuple[Account, pd.DataFrame]:
    """Every competency is published; the flyer's other lines are rejected with the
    reason the extractor gave."""
    dropped = frames["dropped"]
    rejected = rejected_rows(source, dropped, "not a competency: " + dropped["reason"],
                             dropped["text"])
    return Account(source.id, seen=len(frames["competencies"]) + len(dropped),
                   published=len(rows_of(tables.get(DATASET), source.id)),
                   rejected=len(dropped)), rejected


def strip_title_period(title: str) -> str:
    """A heading's closing period is punctuation of the flyer, not part of the title.

    >>> strip_title_period("Commitment to Ethical Behavior and Reflective Practice. ")
    'Commitment to Ethical Behavior and Reflective Practice'
    >>> strip_title_period("Ability to Gather Information")
    'Ability to Gather Information'
    """
    title = title.strip()
    return title[:-1].rstrip() if title.endswith(".") else title


def clean_illinois_competencies(competencies: pd.DataFrame, audit: AuditLog, *,
                                clean: Cleaner | None = None) -> pd.DataFrame:
    """Raw ``competencies`` (extract) → the ``illinois_competencies`` table; ``clean`` is
    the project's cell cleaner unless given."""
    clean = clean or CellCleaner(audit, Lexicon.default())
    rows = []
    for raw in itertuples(competencies):
        number = int(raw.number)
        heading = Provenance(raw.source_id, int(raw.source_line))
        body = Provenance(raw.source_id, int(raw.description_line))
        rows.append({
            "number": number,
            "title": clean(strip_title_period(raw.title), DATASET, str(number), "title",
                           heading),
            "description": clean(raw.description, DATASET, str(number), "description", body),
            "source_id": raw.source_id, "source_line": heading.source_line,
            "source_page": None,
        })
    return typed_frame(pd.DataFrame(rows), ILLINOIS_COMPETENCIES)
