"""Clean the CT-AIMH Mentor competency detail: ``mentor_competencies`` and ``mentor_areas``.

Structure decided here: statement numbering (bullets and sub-bullets together, in
document order, per area of expertise), a sub-bullet's parent, and designations — the
suffix of a statement (``(P/RF)``) if it has one, else the code of its group's lead-in
(``Applies to Clinical (C):``), a sub-bullet inheriting its bullet's. Areas of expertise
take the crosswalk's canonical Endorsement domain spelling so the datasets join.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from pipeline.errors import PipelineError
from pipeline.frames import typed_frame
from pipeline.extract.ct_aimh_mentor import SUB_BULLET
from pipeline.metadata import ENDORSEMENT_DOMAINS
from pipeline.metadata import (
    AREA_KINDS,
    MENTOR_AREAS,
    MENTOR_COMPETENCIES,
    MENTOR_DESIGNATIONS,
)
from pipeline.transform.audit import AuditLog, Edit, Provenance

# A CellCleaner-like callable: (text, dataset, row_key, column, where, extra_edits) -> str
Cleaner = Callable[..., str]
_CODES = r"\(\s*([A-Z]{1,2}(?:\s*/\s*[A-Z]{1,2})*)\s*\)"
_SUFFIX = re.compile(rf"\s*{_CODES}\s*$")
_LEAD_IN_CODE = re.compile(rf"{_CODES}\s*:?\s*$")


def _default_cleaner(audit: AuditLog) -> Cleaner:
    """The project's CellCleaner once its text modules exist; whitespace-only until then."""
    try:
        from pipeline.transform.cells import CellCleaner
        from pipeline.transform.lexicon import Lexicon
    except ImportError:
        return lambda text, *args, **kwargs: " ".join(text.split())
    return CellCleaner(audit, Lexicon.default())


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
    # Imported late: the vocabulary module is written in parallel.
    from pipeline.transform.vocabulary import canonical_endorsement_domain

    canonical = canonical_endorsement_domain(name)
    if canonical not in ENDORSEMENT_DOMAINS:
        raise PipelineError(f"area of expertise {name!r} is no Endorsement domain",
                            path=path, line=where.source_line)
    return canonical, [Edit("vocabulary", name, canonical)]


def clean_mentor_competencies(statements: pd.DataFrame, audit: AuditLog, *,
                              clean: Cleaner | None = None) -> pd.DataFrame:
    """Raw ``statements`` (extract) → the ``mentor_competencies`` table."""
    clean = clean or _default_cleaner(audit)
    rows: list[dict] = []
    seq: dict[str, int] = {}
    parent: dict | None = None
    for raw in statements.itertuples(index=False):
        where = Provenance(raw.source_id, int(raw.source_line))
        area, area_edits = _area_of_expertise(raw.area_of_expertise, where, raw.source_id)
        seq[area] = seq.get(area, 0) + 1
        key = f"{area}/{seq[area]}"
        text, designations = designation_codes(raw.statement)
        _, group_codes = designation_codes(raw.lead_in, _LEAD_IN_CODE)
        is_sub = raw.marker == SUB_BULLET
        if is_sub and (parent is None or parent["area_of_expertise"] != area):
            raise PipelineError("a sub-bullet with no bullet before it in its area",
                                path=raw.source_id, line=where.source_line)
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
            "practice_mode": (clean(raw.lead_in, MENTOR_COMPETENCIES.name, key,
                                    "practice_mode", where) or None) if raw.lead_in else None,
            "source_id": raw.source_id, "source_line": where.source_line, "source_page": None,
        }
        rows.append(row)
        if not is_sub:
            parent = row
    return typed_frame(pd.DataFrame(rows), MENTOR_COMPETENCIES)


def clean_mentor_areas(areas: pd.DataFrame, audit: AuditLog, *,
                       clean: Cleaner | None = None) -> pd.DataFrame:
    """Raw ``areas`` (extract) → the ``mentor_areas`` table."""
    clean = clean or _default_cleaner(audit)
    rows = []
    for raw in areas.itertuples(index=False):
        where = Provenance(raw.source_id, int(raw.source_line))
        area, area_edits = _area_of_expertise(raw.area_of_expertise, where, raw.source_id)
        kind = " ".join(raw.area_kind.split()).title()
        if kind not in AREA_KINDS:
            raise PipelineError(f"area heading {raw.area_kind!r} is neither "
                                f"{' nor '.join(AREA_KINDS)}", path=raw.source_id,
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
    for row in frame[duplicated].itertuples(index=False):
        raise PipelineError(f"area {row.area!r} is listed twice under {row.area_of_expertise}",
                            path=row.source_id, line=int(row.source_line))
    return frame
