"""Clean the web rendition of the crosswalk and reconcile it with the table rendition.

The web pages (domains 4 and 7) repeat the table's mapping rows as ``key: value``
records. They are not published on their own: they are a second witness. Where both
renditions give a row, every compared field is checked; a disagreement becomes a
``rendition_mismatch`` quality issue, except where the table cell is *visibly damaged*
(see :func:`damage_of`) and the web cell is the clean version of the same text: then
the web cell replaces it and the corrections log says so (rule ``rendition``).

The web rendition has no ``≈`` marks, so it cannot tell a ``partial`` alignment from a
``same`` one; web rows say ``unique`` or ``same`` only, and alignment is not compared.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd

from pipeline.accounting import Account, no_rejected_rows
from pipeline.codes import split_leading_code
from pipeline.errors import PipelineError
from pipeline.metadata import CROSSWALK, ENDORSEMENT_DOMAINS
from pipeline.metadata.frames import PANDAS_DTYPES
from pipeline.transform.cells import vocabulary
from pipeline.transform.cells.audit import AuditLog, Edit, Provenance
from pipeline.transform.cells.lexicon import Lexicon
from pipeline.transform.cells.spelling import known_typos
from pipeline.transform.cells.text import clean_text
from pipeline.transform.rows import itertuples

if TYPE_CHECKING:
    from pipeline.sources import Source
    from pipeline.transform import TransformContext

DATASET = "crosswalk"
#: The name the clean web rows go by between transforms (see TransformContext.earlier).
WITNESS = "crosswalk_web_witness"
# The contract columns the web page lets us derive (it has no domain or category titles).
WEB_COLUMNS = (
    "coe_code", "mapping_seq", "coe_domain_number", "coe_category_code", "coe_competency",
    "priority", "alignment", "endorsement_domain", "endorsement_area", "endorsement_level",
    "demonstrated_by", "source_id", "source_line", "source_page",
)
# The mark printed on the row is ``priority`` in the mapping rows the web rows are compared
# with, ``mapping_priority`` once published (see crosswalk_table.clean_crosswalk).
_PUBLISHED_AS = {"priority": "mapping_priority"}
COMPARED = ("coe_competency", "priority", "endorsement_domain", "endorsement_area",
            "endorsement_level", "demonstrated_by")
# Free-text (or vocabulary) cells that a clean web cell may repair; priority and level are
# single marks, so a disagreement there is reported, never "repaired".
REPAIRABLE = ("coe_competency", "endorsement_domain", "endorsement_area", "demonstrated_by")
VOCABULARIES = {"endorsement_domain": ENDORSEMENT_DOMAINS}
# Which raw line of a web record each compared field comes from (for the issue text).
_FIELD_LINES = {"coe_competency": "source_line", "priority": "priority_line",
                "endorsement_domain": "domain_line", "endorsement_area": "area_line",
                "endorsement_level": "area_line", "demonstrated_by": "demonstrated_line"}
SIMILARITY = 0.6
#: Cells up to this long (both) are compared by difflib's exact ratio, whose cost grows
#: with the product of the lengths; longer ones by their common start and end only
#: (:func:`similarity`). The real cells are under 800 characters.
EXACT_SIMILARITY_CHARS = 1_000
_PRIORITIES = {"essential": "Essential", "important": "Important"}
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "′": "'", "`": "'",
                         "“": '"', "”": '"', "„": '"', "″": '"'})
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*")


def transform(source: Source, frames: dict[str, pd.DataFrame],
              context: TransformContext) -> dict[str, pd.DataFrame]:
    """The web records as clean crosswalk-shaped rows: a witness, never published."""
    return {WITNESS: clean_crosswalk_web(frames["records"], context.audit,
                                         lexicon=context.lexicon, path=str(source.file))}


def account(source: Source, frames: dict[str, pd.DataFrame],
            tables: dict[str, pd.DataFrame]) -> tuple[Account, pd.DataFrame]:
    """Every web record is compared with the table as a witness; none is published."""
    records = len(frames["records"])
    return Account(source.id, seen=records, published=0, witness=records), no_rejected_rows()


def clean_crosswalk_web(records: pd.DataFrame, audit: AuditLog, *,
                        lexicon: Lexicon | None = None,
                        path: str | None = None) -> pd.DataFrame:
    """Web records → crosswalk-shaped rows (``WEB_COLUMNS``, plus ``line_<field>``).

    ``mapping_seq`` is the order of the records with the same code; ``priority`` comes
    from the words Essential/Important; ``Unique`` as the domain makes the row unique
    and its Endorsement fields null; otherwise the level comes from an ``(MHS)``/
    ``(MHM)`` tag on the area (or the domain), no tag meaning IFS.
    """
    lexicon = lexicon if lexicon is not None else Lexicon.default()
    rows = []
    for raw in itertuples(records):
        where = Provenance(raw.source_id, int(raw.source_line))
        code, _ = split_leading_code(raw.coe_code)
        if code is None:
            raise PipelineError(f"{raw.coe_code!r} is no competency code",
                                path=path or raw.source_id, line=where.source_line)
        seq = sum(1 for r in rows if r["coe_code"] == code) + 1
        key = f"{code}/{seq}"
        row = {"coe_code": code, "mapping_seq": seq, "coe_domain_number": int(code[0]),
               "coe_category_code": code[:2],
               "coe_competency": _clean_text(raw.skill, lexicon),
               "priority": _priority(raw.priority_raw, key, audit, where),
               "source_id": raw.source_id, "source_line": where.source_line,
               "source_page": None}
        row.update({f"line_{f}": int(getattr(raw, line)) for f, line in _FIELD_LINES.items()})
        cells = (raw.domain_raw, raw.area_raw, raw.demonstrated_raw)
        if _is_unique(raw.domain_raw):
            if any(c.strip() and not _is_unique(c) for c in cells):
                audit.issue("inconsistent_unique", DATASET, key,
                            f"web: domain is 'Unique' but other cells are not: {cells!r}", where)
            row.update(alignment="unique", endorsement_domain=None, endorsement_area=None,
                       endorsement_level=None, demonstrated_by=None)
        else:
            row.update(_endorsement(raw, key, audit, where, lexicon))
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame = frame.astype({c: PANDAS_DTYPES[CROSSWALK.field(_PUBLISHED_AS.get(c, c)).type]
                          for c in WEB_COLUMNS})
    return frame[[*WEB_COLUMNS, *(f"line_{f}" for f in _FIELD_LINES)]]


def _is_unique(cell: str) -> bool:
    return cell.strip().rstrip(".").lower() == "unique"


def _priority(cell: str, key: str, audit: AuditLog, where: Provenance) -> str | None:
    word = cell.strip().rstrip(".").lower()
    if word and word not in _PRIORITIES:
        audit.issue("unknown_priority", DATASET, key, f"web: priority {cell!r}", where)
    return _PRIORITIES.get(word)


def _clean_text(text: str, lexicon: Lexicon) -> str:
    """The cell through :func:`~pipeline.transform.cells.text.clean_text`.

    The edits are dropped on purpose: web cells are not published, and where one
    replaces a table cell the ``rendition`` edit records table text → clean web text.
    Memoised per lexicon (and typo list): the records of a competency repeat its text.
    """
    cleaned = lexicon.memo((_clean_text, known_typos()))
    try:
        return cleaned[text]
    except KeyError:
        result = cleaned[text] = clean_text(text, [], lexicon)
        return result


def _endorsement(raw, key, audit, where, lexicon) -> dict:
    domain_text, domain_level = vocabulary.split_level(raw.domain_raw)
    area_text, area_level = vocabulary.split_level(raw.area_raw)
    if domain_level and area_level and domain_level != area_level:
        audit.issue("conflicting_level", DATASET, key,
                    f"web: domain tag {domain_level}, area tag {area_level}; the area's is kept",
                    where)
    domain = vocabulary.canonical_endorsement_domain(domain_text)
    if domain is None:
        audit.issue("unknown_endorsement_domain", DATASET, key,
                    f"web: {raw.domain_raw!r} is no Endorsement domain", where)
    return {"alignment": "same", "endorsement_domain": domain,
            "endorsement_area": _clean_text(area_text, lexicon) or None,
            "endorsement_level": area_level or domain_level or "IFS",
            "demonstrated_by": _clean_text(raw.demonstrated_raw, lexicon) or None}


# --- reconciliation -------------------------------------------------------------------

def _normal(value: Any) -> str | None:
    """NFC, straight quotes, single spaces, case-folded; None for null or blank."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = " ".join(unicodedata.normalize("NFC", str(value)).translate(_QUOTES).split())
    return text.casefold() or None


def comparable(value: Any) -> str | None:
    """The form in which two renditions' cells are compared: equal iff these are equal.

    Only differences of case, whitespace and quote style (curly or straight) are
    ignored, after Unicode NFC; null and the empty string are the same. Whitespace is
    ignored entirely, not just collapsed, because the two layouts differ exactly there
    (``1) observation`` / ``1)observation``, ``Personal/ Professional``). Dashes,
    punctuation and spelling still count.

    >>> comparable("  Sees the “Big   Picture” ") == comparable('sees the "big picture"')
    True
    >>> comparable("including: 1) observation") == comparable("including: 1)observation")
    True
    >>> comparable("well-being") == comparable("well–being")
    False
    >>> comparable(None) is None and comparable("  ") is None
    True
    """
    text = _normal(value)
    return None if text is None else text.replace(" ", "")


def damage_of(table: str | None, web: str | None, *,
              is_word: Callable[[str], bool] | None = None,
              vocabulary: tuple[str, ...] | None = None) -> str | None:
    """Why the table cell is visibly damaged relative to the web cell, or None.

    Both cells must be non-empty and similar (:func:`similarity` ≥ 0.6 of their case-folded,
    space-collapsed forms), so a cell that lost most of its text, or says something else, is only
    reported. Then the table cell is damaged if it is

    * ``truncated``: a proper prefix of the web cell;
    * ``words dropped``: its words are a proper subsequence of the web cell's words;
    * ``out of vocabulary``: not a value of the field's vocabulary while the web cell is;
    * ``unknown words``: it has words ``is_word`` rejects while all the web cell's pass.

    A clean cell (none of these) is never overwritten.

    >>> damage_of("Admin tion (M", "Administration", vocabulary=("Administration",))
    'out of vocabulary'
    >>> damage_of("Attends to and manages complex group dynamics",
    ...           "Attends to and manages complex group dynamics.")
    'truncated'
    >>> damage_of("Promotes reflective consultation", "Promotes reflective supervision",
    ...           is_word=lambda w: True) is None
    True
    """
    if comparable(table) == comparable(web):
        return None
    a, b = _normal(table), _normal(web)
    if a is None or b is None:
        return None
    if similarity(a, b) < SIMILARITY:
        return None
    if b.startswith(a):
        return "truncated"
    if _is_subsequence(a.split(), b.split()):
        return "words dropped"
    if vocabulary is not None:
        known = {v.casefold() for v in vocabulary}
        if a not in known and b in known:
            return "out of vocabulary"
    if is_word is not None:
        def known(word: str) -> bool:  # a lexicon may hold only the lower-case form
            return is_word(word) or is_word(word.lower())
        if (any(not known(w) for w in _WORD.findall(table))
                and all(known(w) for w in _WORD.findall(web))):
            return "unknown words"
    return None


def similarity(a: str, b: str) -> float:
    """How alike two texts are, from 0 to 1, in time bounded by their lengths.

    Up to :data:`EXACT_SIMILARITY_CHARS` each, difflib's ratio (twice the characters in
    matching blocks over both lengths). Longer, the same formula counting only the
    common start and end, a lower bound of that ratio found in linear time: a long cell is
    taken for similar only when little in its middle differs, so a repair is never
    made on weaker evidence than for a short cell.

    >>> similarity("attends to group dynamics", "attends to group dynamics.")
    0.9803921568627451
    >>> similarity("ab" * 600, "ab" * 600 + "c") > 0.99
    True
    """
    if max(len(a), len(b)) <= EXACT_SIMILARITY_CHARS:
        return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    start = len(os.path.commonprefix([a, b]))
    end = len(os.path.commonprefix([a[start:][::-1], b[start:][::-1]]))
    total = len(a) + len(b)
    return 2 * (start + end) / total if total else 1.0


def _is_subsequence(short: list[str], long: list[str]) -> bool:
    words = iter(long)
    return len(short) < len(long) and all(any(w == x for x in words) for w in short)


def reconcile_renditions(
    table_rows: pd.DataFrame, web_rows: pd.DataFrame, audit: AuditLog, *,
    is_word: Callable[[str], bool] | None = None,
) -> tuple[pd.DataFrame, dict[int, dict[str, int]]]:
    """(repaired table rows, agreement per CoE domain) of two renditions.

    Rows are matched on (coe_code, mapping_seq), only in the domains the web rendition
    covers. The agreement is plain data: ``{domain: {"compared", "agreeing", "repaired",
    "table_only", "web_only"}}``; ``agreeing`` counts rows whose compared fields all
    agreed before any repair. A repaired cell is logged as a correction, not as an issue;
    every disagreement left is a ``rendition_mismatch`` issue.
    """
    repaired = table_rows.copy()
    domains = sorted({int(c[0]) for c in web_rows["coe_code"]})
    counts = {d: dict.fromkeys(("compared", "agreeing", "repaired", "table_only", "web_only"), 0)
              for d in domains}
    web = {(r.coe_code, int(r.mapping_seq)): r for r in itertuples(web_rows)}
    for index, row in zip(repaired.index, itertuples(table_rows)):
        domain = int(row.coe_code[0])
        if domain not in counts:
            continue
        key = f"{row.coe_code}/{int(row.mapping_seq)}"
        where = Provenance.of(row)
        other = web.pop((row.coe_code, int(row.mapping_seq)), None)
        if other is None:
            counts[domain]["table_only"] += 1
            audit.issue("rendition_missing_row", DATASET, key,
                        f"only in the table rendition ({_at(row, 'source_line')})", where)
            continue
        counts[domain]["compared"] += 1
        disagreeing = fixed = 0
        for field in COMPARED:
            table_value, web_value = getattr(row, field), getattr(other, field)
            if comparable(table_value) == comparable(web_value):
                continue
            disagreeing += 1
            if field in REPAIRABLE and damage_of(table_value, web_value, is_word=is_word,
                                                 vocabulary=VOCABULARIES.get(field)):
                repaired.at[index, field] = web_value
                audit.correct(DATASET, key, field,
                              [Edit("rendition", str(table_value), str(web_value))], where)
                fixed += 1
                continue
            audit.issue("rendition_mismatch", DATASET, key,
                        f"{field}: table={_or_none(table_value)!r} ({_at(row, field)}) "
                        f"web={_or_none(web_value)!r} ({_at(other, field)})", where)
        counts[domain]["agreeing"] += disagreeing == 0
        counts[domain]["repaired"] += fixed > 0
    for (code, seq), other in web.items():
        counts[int(code[0])]["web_only"] += 1
        audit.issue("rendition_missing_row", DATASET, f"{code}/{seq}",
                    f"only in the web rendition ({_at(other, 'source_line')})",
                    Provenance.of(other))
    return repaired, counts


def _or_none(value: Any) -> Any:
    return None if comparable(value) is None else str(value)


def _int(row, column: str) -> int | None:
    value = getattr(row, column, None)
    return None if value is None or pd.isna(value) else int(value)


def _at(row, field: str) -> str:
    """``line N`` (or ``page N``) of a field: its own ``line_<field>`` if the frame has one."""
    line = _int(row, f"line_{field}") or _int(row, "source_line")
    page = _int(row, "source_page")
    return f"line {line}" if line else f"page {page}" if page else "no line"
