"""Normalize: every source's extracted frames → the published tables.

One module per source format (``crosswalk_table``, ``crosswalk_web``, ``ct_aimh_mentor``,
``illinois``), each with one ``transform(source, frames, context)`` function, and one
module per table that needs more than a function (``crosswalk_rows``,
``endorsement_index``, ``endorsement_areas``, ``mentor_areas``). The generic cell repairs,
the audit trail and the spot fixes are in :mod:`pipeline.transform.cells`; a frame's rows
are read through :mod:`pipeline.transform.rows` (``itertuples`` without pandas' cost per value).

Sources are transformed in the order of :data:`pipeline.formats.FORMATS`: a later source
may use what an earlier one produced through the :class:`TransformContext` — the web
rendition's rows are a witness the crosswalk table is reconciled with, the crosswalk's
reverse table tells the CT-AIMH areas where two were printed run together, and its
Endorsement areas (:mod:`pipeline.transform.endorsement_areas`) give each CT-AIMH area
its ``area_id``.
The extracted text of every source is in the context from the start, so a source may be
checked against one transformed after it (the crosswalk's real-word slips against the
CT-AIMH guidelines, :mod:`pipeline.transform.cells.consistency`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from pipeline.errors import about_file
from pipeline.formats import FORMATS
from pipeline.sources import Source
from pipeline.transform.cells.audit import AuditLog
from pipeline.transform.cells.cleaner import CellCleaner
from pipeline.transform.cells.lexicon import Lexicon

Frames = dict[str, pd.DataFrame]


@dataclass
class TransformContext:
    """What every source transform shares: the lexicon, one audit log, the progress log,
    the frames the sources transformed before it (published tables and witnesses), and
    every extracted text cell of every source, by source id (raw text: evidence, not
    output)."""

    lexicon: Lexicon
    audit: AuditLog = field(default_factory=AuditLog)
    log: Callable[[str], None] = lambda message: None
    produced: dict[str, list[pd.DataFrame]] = field(default_factory=dict)
    texts: dict[str, list[str]] = field(default_factory=dict)

    def texts_besides(self, source_id: str) -> dict[str, list[str]]:
        """The extracted text cells of every source but ``source_id``."""
        return {other: texts for other, texts in self.texts.items() if other != source_id}

    def earlier(self, name: str) -> pd.DataFrame | None:
        """Every row of ``name`` that earlier sources produced, or None."""
        frames = self.produced.get(name, [])
        return pd.concat(frames, ignore_index=True) if frames else None

    def cleaner(self, frames: Frames) -> CellCleaner:
        """A cell cleaner whose lexicon knows the source's own spellings."""
        return CellCleaner(self.audit, self.lexicon.with_document(document_texts(frames)))


def transform_sources(sources: list[Source], extracted: dict[str, Frames],
                      log: Callable[[str], None]) -> dict[str, pd.DataFrame]:
    """Every table the sources give (plus corrections and quality_issues, and the
    witnesses, which are not published) from the extracted frames."""
    context = TransformContext(Lexicon.default(), log=log,
                               texts={source.id: document_texts(extracted[source.id])
                                      for source in sources})
    for source_format in FORMATS.values():
        for source in sources:
            if source.format == source_format.name:
                with about_file(source.file):
                    tables = source_format.transform(source, extracted[source.id], context)
                for name, frame in tables.items():
                    context.produced.setdefault(name, []).append(frame)
    for name, frame in (("corrections", context.audit.corrections_frame()),
                        ("quality_issues", context.audit.issues_frame())):
        context.produced.setdefault(name, []).append(frame)
    return {name: pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
            for name, frames in context.produced.items()}


def document_texts(frames: Frames) -> list[str]:
    """Every text cell of a source: the document's own spellings decide its wraps."""
    # A string column holds strings and missing values (NA, None, NaN) only: its strings
    # are its values but the missing ones (``tolist`` is one call, where iterating an
    # Arrow-backed column, or dropping its missing values, costs per value or per column).
    return [value for frame in frames.values() for column in frame.columns
            if pd.api.types.is_string_dtype(frame[column])
            for value in frame[column].tolist() if isinstance(value, str)]
