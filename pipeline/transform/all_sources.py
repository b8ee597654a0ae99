"""Normalize every source of the manifest into the published tables.

Most sources transform alone; the web rendition of the crosswalk is a second witness of
the table export, so it is cleaned first and handed to the table transform to reconcile.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from pipeline.sources import Source
from pipeline.transform.area_split import split_run_together_areas
from pipeline.transform.audit import AuditLog
from pipeline.transform.cells import CellCleaner
from pipeline.transform.crosswalk_table import transform_crosswalk_table
from pipeline.transform.crosswalk_web import clean_crosswalk_web
from pipeline.transform.ct_aimh_mentor import clean_mentor_areas, clean_mentor_competencies
from pipeline.transform.illinois import clean_illinois_competencies
from pipeline.transform.lexicon import Lexicon

Frames = dict[str, pd.DataFrame]


def transform_sources(
    sources: list[Source], extracted: dict[str, Frames], log: Callable[[str], None]
) -> dict[str, pd.DataFrame]:
    """Published tables (plus corrections and quality_issues) from the extracted frames."""
    lexicon = Lexicon.default()
    audit = AuditLog()
    results: dict[str, list[pd.DataFrame]] = {}

    def add(tables: dict[str, pd.DataFrame]) -> None:
        for name, frame in tables.items():
            results.setdefault(name, []).append(frame)

    by_format: dict[str, list[Source]] = {}
    for source in sources:
        by_format.setdefault(source.format, []).append(source)

    web = [clean_crosswalk_web(extracted[s.id]["records"], audit, lexicon=lexicon)
           for s in by_format.get("crosswalk-web-records", [])]
    web_rows = pd.concat(web, ignore_index=True) if web else None
    # The crosswalk's PDF and its text export give the same frames: one transform.
    for source in [*by_format.get("crosswalk-table-text", []),
                   *by_format.get("crosswalk-table-pdf", [])]:
        add(transform_crosswalk_table(extracted[source.id], lexicon, path=str(source.file),
                                      web_rows=web_rows, log=log))
    for source in by_format.get("ct-aimh-mentor-html", []):
        frames = extracted[source.id]
        clean = CellCleaner(audit, lexicon.with_document(_texts(frames)))
        # The reverse table of the crosswalk names the same Endorsement areas: it tells
        # where two areas were printed run together in one cell.
        known = [a for frame in results.get("endorsement_index", [])
                 for a in frame["endorsement_area"].dropna()]
        areas = split_run_together_areas(clean_mentor_areas(frames["areas"], audit, clean=clean),
                                         known, "mentor_areas", audit)
        add({"mentor_competencies": clean_mentor_competencies(frames["statements"], audit, clean=clean),
             "mentor_areas": areas})
    for source in by_format.get("illinois-flyer-text", []):
        frames = extracted[source.id]
        clean = CellCleaner(audit, lexicon.with_document(_texts(frames)))
        add({"illinois_competencies": clean_illinois_competencies(
            frames["competencies"], audit, clean=clean)})
    add({"corrections": audit.corrections_frame(), "quality_issues": audit.issues_frame()})
    return {name: pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
            for name, frames in results.items()}


def _texts(frames: Frames) -> list[str]:
    """Every text cell of a source: the document's own spellings decide its wraps."""
    return [value for frame in frames.values() for column in frame.columns
            if frame[column].dtype == object or str(frame[column].dtype) == "string"
            for value in frame[column].dropna().astype(str)]
