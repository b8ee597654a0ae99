"""Clean the Illinois Model competencies: ``illinois_competencies``.

The extractor has already kept only heading and prose (see
:func:`pipeline.extract.illinois.prose_problem`); here the number becomes an integer,
the title loses its closing period and both texts go through the project's cell cleaner.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from pipeline.frames import typed_frame
from pipeline.metadata import ILLINOIS_COMPETENCIES
from pipeline.transform.audit import AuditLog, Provenance

# A CellCleaner-like callable: (text, dataset, row_key, column, where, extra_edits) -> str
Cleaner = Callable[..., str]
DATASET = ILLINOIS_COMPETENCIES.name


def _default_cleaner(audit: AuditLog) -> Cleaner:
    """The project's CellCleaner once its text modules exist; whitespace-only until then."""
    try:
        from pipeline.transform.cells import CellCleaner
        from pipeline.transform.lexicon import Lexicon
    except ImportError:
        return lambda text, *args, **kwargs: " ".join(text.split())
    return CellCleaner(audit, Lexicon.default())


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
    """Raw ``competencies`` (extract) → the ``illinois_competencies`` table."""
    clean = clean or _default_cleaner(audit)
    rows = []
    for raw in competencies.itertuples(index=False):
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
