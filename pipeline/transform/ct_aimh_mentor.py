"""Clean the CT-AIMH Mentor competency detail: ``mentor_competencies`` and ``mentor_areas``.

Structure decided here: statement numbering (bullets and sub-bullets together, in
document order, per area of expertise), a sub-bullet's parent, and designations — the
suffix of a statement (``(P/RF)``) if it has one, else the code of its group's lead-in
(``Applies to Clinical (C):``), a sub-bullet inheriting its bullet's, and one boolean per
designation with ``A`` read as all three. Areas of expertise take the crosswalk's
canonical Endorsement domain spelling, and each knowledge/skill area the ``area_id`` of the
crosswalk's Endorsement area it spells, so the datasets join.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from pipeline.accounting import Account, no_rejected_rows, rows_of
from pipeline.errors import PipelineError
from pipeline.metadata import (
    AREA_KINDS,
    DESIGNATIONS,
    ENDORSEMENT_AREA_SPELLINGS,
    ENDORSEMENT_AREAS,
    ENDORSEMENT_DOMAINS,
    MENTOR_AREAS,
    MENTOR_COMPETENCIES,
    MENTOR_DESIGNATIONS,
    SUB_BULLET,
    applies_to,
    designation_column,
)
from pipeline.metadata.frames import typed_frame
from pipeline.transform.cells.audit import AuditLog, Edit, Provenance
from pipeline.transform.cells.cleaner import CellCleaner
from pipeline.transform.cells.lexicon import Lexicon
from pipeline.transform.cells.vocabulary import canonical_endorsement_domain
from pipeline.transform.endorsement_areas import link_mentor_areas
from pipeline.transform.mentor_areas import split_run_together_areas
from pipeline.transform.rows import itertuples

if TYPE_CHECKING:
    from pipeline.sources import Source
    from pipeline.transform import TransformContext

# A CellCleaner-like callable: (text, dataset, row_key, column, where, extra_edits) -> str
Cleaner = Callable[..., str]
_CODES = r"\(\s*([A-Z]{1,2}(?:\s*/\s*[A-Z]{1,2})*)\s*\)"
_SUFFIX = re.compile(rf"\s*{_CODES}\s*$")
_LEAD_IN_CODE = re.compile(rf"{_CODES}\s*:?\s*$")


def transform(source: Source, frames: dict[str, pd.DataFrame],
              context: TransformContext) -> dict[str, pd.DataFrame]:
    """``mentor_competencies`` and ``mentor_areas``; areas printed run together in one
    cell are split where the crosswalk's reverse table, transformed before, names both,
    and each area joins the crosswalk's Endorsement area it spells (its spellings go to
    ``endorsement_area_spellings``)."""
    clean = context.cleaner(frames)
    index = context.earlier("endorsement_index")
    known = [] if index is None else list(index["endorsement_area"].dropna())
    path = str(source.file)
    areas = split_run_together_areas(clean_mentor_areas(frames["areas"], context.audit,
                                                        clean=clean, path=path),
                                     known, MENTOR_AREAS.name, context.audit)
    areas, spellings = link_mentor_areas(areas, context.earlier(ENDORSEMENT_AREAS.name),
                                         context.earlier(ENDORSEMENT_AREA_SPELLINGS.name),
                                         context.audit)
    return {MENTOR_COMPETENCIES.name: clean_mentor_competencies(
                frames["statements"], context.audit, clean=clean, path=path),
            MENTOR_AREAS.name: typed_frame(areas, MENTOR_AREAS),
            ENDORSEMENT_AREA_SPELLINGS.name: spellings}


def account(source: Source, frames: dict[str, pd.DataFrame],
            tables: dict[str, pd.DataFrame]) -> tuple[Account, pd.DataFrame]:
    """Every statement and area is published; a cell split into two areas is one row
    seen, two published."""
    corrections = rows_of(tables.get("corrections"), source.id)
    splits = int((corrections.get("rule", pd.Series(dtype=str)) == "split_cell").sum())
    published = (len(rows_of(tables.get(MENTOR_COMPETENCIES.name), source.id))
                 + len(rows_of(tables.get(MENTOR_AREAS.name), source.id)) - splits)
    return Account(source.id, seen=len(frames["statements"]) + len(frames["areas"]),
                   published=published), no_rejected_rows()


def designation_codes(text: str, pattern: re.Pattern = _SUFFIX) -> tuple[str, str | None]:
    """(text without the codes, ';'-joined codes) of a designation suffix, if it has one.

    >>> designation_codes("Writes articles and books on practice (P/RF)")
    ('Writes articles and books on practice', 'P;RF')
    >>> designation_codes("using diagnostic tools (eg, DC: 0-3R)")
    ('using diagnostic tools (eg, DC: 0-3R)', None)
    >>> designation_codes("Applies to Clinical (C):", _LEAD_IN_CODE)
    ('Applies to Clinical', 'C')
    """
    match = pattern.search(text)
    if not match:
        return text, None
    codes = {c.strip() for c in match.group(1).split("/")}
    if not codes <= set(MENTOR_DESIGNATIONS):
        return text, None
    joined = ";".join(c for c in MENTOR_DESIGNATIONS if c in codes)
    return text[: match.start()].rstrip(), joined


def _area_of_expertise(name: str, where: Provenance, path: str) -> tuple[str, list[Edit]]:
    canonical = canonical_endorsement_domain(name)
    if canonical not in ENDORSEMENT_DOMAINS:
        raise PipelineError(f"area of expertise {name!r} is no Endorsement domain",
                            path=path, line=where.source_line)
    return canonical, [Edit("vocabulary", name, canonical)]


def clean_mentor_competencies(statements: pd.DataFrame, audit: AuditLog, *,
                              clean: Cleaner | None = None,
                              path: str | None = None) -> pd.DataFrame:
    """Raw ``statements`` (extract) → the ``mentor_competencies`` table; ``clean`` is the
    project's cell cleaner unless given."""
    clean = clean or CellCleaner(audit, Lexicon.default())
    # Errors name the file (``path``), or the source id where no file is known.
    rows: list[dict] = []
    seq: dict[str, int] = {}
    parent: dict | None = None
    for raw in itertuples(statements):
        where = Provenance(raw.source_id, int(raw.source_line))
        area, area_edits = _area_of_expertise(raw.area_of_expertise, where,
                                              path or raw.source_id)
        seq[area] = seq.get(area, 0) + 1
        key = f"{area}/{seq[area]}"
        text, designations = designation_codes(raw.statement)
        _, group_codes = designation_codes(raw.lead_in, _LEAD_IN_CODE)
        is_sub = raw.marker == SUB_BULLET
        if is_sub and (parent is None or parent["area_of_expertise"] != area):
            raise PipelineError("a sub-bullet with no bullet before it in its area",
                                path=path or raw.source_id, line=where.source_line)
        designations = designations or (parent["designations"] if is_sub else group_codes)
        if designations is None:
            audit.issue("missing_designation", MENTOR_COMPETENCIES.name, key,
                        "neither the statement nor its group heading names a designation",
                        where)
        audit.correct(MENTOR_COMPETENCIES.name, key, "area_of_expertise", area_edits, where)
        row = {
            "area_of_expertise": area, "statement_seq": seq[area],
            "parent_seq": parent["statement_seq"] if is_sub else None,
            "statement": clean(text, MENTOR_COMPETENCIES.name, key, "statement", where),
            "designations": designations,
            **{designation_column(d): applies_to(designations, d) for d in DESIGNATIONS},
            "practice_mode": (clean(raw.lead_in, MENTOR_COMPETENCIES.name, key,
                                    "practice_mode", where) or None) if raw.lead_in else None,
            "source_id": raw.source_id, "source_line": where.source_line, "source_page": None,
        }
        rows.append(row)
        if not is_sub:
            parent = row
    return typed_frame(pd.DataFrame(rows), MENTOR_COMPETENCIES)


def clean_mentor_areas(areas: pd.DataFrame, audit: AuditLog, *,
                       clean: Cleaner | None = None,
                       path: str | None = None) -> pd.DataFrame:
    """Raw ``areas`` (extract) → the ``mentor_areas`` table; ``clean`` is the project's
    cell cleaner unless given."""
    clean = clean or CellCleaner(audit, Lexicon.default())
    # Errors name the file (``path``), or the source id where no file is known.
    rows = []
    for raw in itertuples(areas):
        where = Provenance(raw.source_id, int(raw.source_line))
        area, area_edits = _area_of_expertise(raw.area_of_expertise, where,
                                              path or raw.source_id)
        kind = " ".join(raw.area_kind.split()).title()
        if kind not in AREA_KINDS:
            raise PipelineError(f"area heading {raw.area_kind!r} is neither "
                                f"{' nor '.join(AREA_KINDS)}", path=path or raw.source_id,
                                line=where.source_line)
        # The row key holds the cleaned area itself, known only after cleaning: entries
        # the cleaner logs under the key as printed are re-keyed afterwards.
        logged = len(audit.corrections), len(audit.issues)
        text = clean(raw.area, MENTOR_AREAS.name, f"{area}/{kind}/{raw.area}", "area", where)
        key = f"{area}/{kind}/{text}"
        for entry in audit.corrections[logged[0]:] + audit.issues[logged[1]:]:
            entry["row_key"] = key
        audit.correct(MENTOR_AREAS.name, key, "area_of_expertise", area_edits, where)
        rows.append({"area_of_expertise": area, "area_kind": kind, "area": text,
                     "source_id": raw.source_id, "source_line": where.source_line,
                     "source_page": None})
    frame = typed_frame(pd.DataFrame(rows), MENTOR_AREAS)
    duplicated = frame.duplicated(list(MENTOR_AREAS.primary_key), keep="first")
    for row in itertuples(frame[duplicated]):
        raise PipelineError(f"area {row.area!r} is listed twice under {row.area_of_expertise}",
                            path=path or row.source_id, line=int(row.source_line))
    return frame
