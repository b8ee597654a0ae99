"""Forward-table rows → clean mapping rows (one per row of the crosswalk table).

Everything a mapping row needs is decided here, row by row, in source order: the code,
``See above.`` resolved against the rows already seen, the priority, the alignment, the
canonical Endorsement domain, the level tag and the footnote. The table functions in
``crosswalk_table.py`` only select and join columns of the result.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

import pandas as pd

from pipeline.codes import category_of, split_leading_category, split_leading_code
from pipeline.transform.cells.audit import Edit, Provenance
from pipeline.transform.cells.cleaner import CellCleaner
from pipeline.transform.cells.layout_debris import collapse_doubled
from pipeline.transform.cells.vocabulary import (
    alignment_of,
    area_key,
    canonical_endorsement_domain,
    parse_priority,
    split_level,
    strip_glyphs,
    unknown_mark,
)
from pipeline.transform.rows import itertuples

DATASET = "crosswalk"
# An inline footnote: a marker ``[1]`` (the PDF sometimes glues a stray code such as
# ``2F`` to it) and, later in the same cell, ``[1] <the footnote text>``.
_FOOTNOTE_MARK = r"(?:[0-9][A-Z])?\[{n}\]"


@lru_cache(maxsize=4096)
def is_see_above(cell: str) -> bool:
    """Whether a cell says "See above." — also when a typo or a wrap hit the two words.

    Cached: a long document repeats its few spellings of it on row after row.

    >>> [is_see_above(c) for c in ("See above.", "See above", "see abve.", "See a- bove.")]
    [True, True, True, True]
    >>> [is_see_above(c) for c in ("See below.", "Seeks a high degree", "")]
    [False, False, False]
    """
    words = re.sub(r"[^a-z ]", "", cell.lower().replace("- ", "")).split()
    if len(words) != 2 or words[0] != "see":
        return False
    return SequenceMatcher(None, words[1], "above").ratio() >= 0.8


def split_footnote(text: str, edits: list[Edit] | None = None) -> tuple[str, str | None]:
    """(text, footnote): a footnote printed inside the cell moved out of it.

    >>> split_footnote('the "consultative stance,"2F[1] and demonstrates the demeanor. '
    ...                '[1] Johnston, K., & Brinamen, C. (2006). Mental Health Consultation.')
    ('the "consultative stance," and demonstrates the demeanor.', 'Johnston, K., & Brinamen, C. (2006). Mental Health Consultation.')
    >>> split_footnote("no footnote [here]")
    ('no footnote [here]', None)
    """
    for number in re.findall(r"\[(\d+)\]", text):
        marks = list(re.finditer(_FOOTNOTE_MARK.format(n=number), text))
        if len(marks) < 2:
            continue
        body_start = marks[-1]
        footnote = text[body_start.end():].strip()
        body = text[: body_start.start()]
        body = body[: marks[0].start()] + body[marks[0].end():]
        body = re.sub(r"\s{2,}", " ", body).strip()
        if edits is not None:
            edits.append(Edit("footnote", text[marks[0].start():marks[0].end()] + " … "
                              + text[body_start.start():], ""))
        return body, footnote or None
    return text, None


def clean_mapping_rows(
    forward: pd.DataFrame,
    clean: CellCleaner,
    area_hints: dict[str, set[str]],
    path: str,
) -> pd.DataFrame:
    """One clean mapping row per forward-table row, in source order."""
    rows: list[dict] = []
    seen: dict[str, int] = {}
    first_of_code: dict[str, dict] = {}
    for raw in itertuples(forward):
        where = Provenance.of(raw)
        code, skill = split_leading_code(raw.skill)
        if code is None:
            raise where.error("row has no competency code", path)
        seq = seen[code] = seen.get(code, 0) + 1
        key = f"{code}/{seq}"
        raw_code = raw.skill.strip()[: len(raw.skill.strip()) - len(skill)].strip()
        if raw_code.rstrip(".") != code:
            clean.log("coe_competencies", code, "coe_code", [Edit("code", raw_code, code)], where)

        category_code, _ = split_leading_category(raw.category)
        if category_code and category_code != category_of(code):
            raise where.error(
                f"competency {code} sits under category {category_code}", path,
                hint="a code that does not match its category: fix the document or add a spot fix",
            )

        row = {"coe_code": code, "mapping_seq": seq, "coe_category_code": category_of(code),
               **where.columns}
        row.update(_competency_cells(raw, skill, code, key, first_of_code, clean, path, where))
        row.update(_endorsement_cells(raw, key, rows, clean, area_hints, path, where))
        rows.append(row)
        first_of_code.setdefault(code, row)
    frame = pd.DataFrame(rows)
    return frame.astype({"source_line": "Int64", "source_page": "Int64", "mapping_seq": "Int64"})


def _competency_cells(raw, skill, code, key, first_of_code, clean, path, where) -> dict:
    try:
        priority, note = parse_priority(raw.priority)
    except ValueError as error:
        raise where.error(f"{error} in the 'Essential or Important' column", path,
                          hint="expected *, ••• or • • •, or a note such as 'covered in 1C1'") from None
    if note and note != raw.priority.strip():
        clean.log("coe_competencies", code, "priority_note",
                  [Edit("code", raw.priority.strip(), note)], where)
    if is_see_above(skill):
        first = first_of_code.get(code)
        if first is None:
            raise where.error(f"{code} says 'See above.' but no row above has its text", path)
        clean.log(DATASET, key, "coe_competency",
                  [Edit("see_above", skill, first["coe_competency"])], where)
        return {"coe_competency": first["coe_competency"], "priority": priority,
                "priority_note": note, "footnote": first["footnote"]}
    if code in first_of_code and first_of_code[code]["raw_skill"] != skill:
        first = first_of_code[code]
        place = f"page {first['source_page']}" if first["source_page"] else f"line {first['source_line']}"
        raise where.error(f"duplicate competency code {code}: {place} has other text", path)
    edits: list[Edit] = []
    body, footnote = split_footnote(skill, edits)
    text = clean(body, "coe_competencies", code, "competency_text", where, edits)
    if footnote:
        footnote = clean(footnote, "coe_competencies", code, "footnote", where)
    return {"coe_competency": text, "priority": priority, "priority_note": note,
            "footnote": footnote, "raw_skill": skill}


def _endorsement_cells(raw, key, rows, clean, area_hints, path, where) -> dict:
    cells = (raw.endorsement_domain, raw.area, raw.demonstrated_by)
    for column, cell in (("IECMH Endorsement Competency", raw.endorsement_domain),
                         ("Knowledge/ Skill Area", raw.area)):
        mark = unknown_mark(cell)
        if mark:
            raise where.error(f"unknown alignment mark {mark!r} in the {column!r} column", path,
                              hint="expected ≈ (partial), ≠ or # (unique), or no mark (same)")
    alignment = alignment_of(cells)
    empty = {"alignment": alignment, "endorsement_domain": None, "endorsement_area": None,
             "endorsement_level": None, "demonstrated_by": None}
    if alignment == "unique":
        return empty

    domain_text, glyphs = strip_glyphs(raw.endorsement_domain)
    area_text, _ = strip_glyphs(raw.area)
    domain_edits = [Edit("vocabulary", glyphs, "")] if glyphs else []
    # The domain cell is published as a vocabulary value, so its damaged words
    # (``Eaw``, ``Admin tion``) are not reported: the vocabulary step replaces them.
    domain_text, domain_level = split_level(clean(domain_text, DATASET, key, "endorsement_domain",
                                                  where, domain_edits, check_words=False))
    area_edits: list[Edit] = []
    area_text = collapse_doubled(clean(area_text, DATASET, key, "endorsement_area", where,
                                       check_words=False), area_edits)
    area_text, area_level = split_level(area_text)
    clean.check_words(area_text, DATASET, key, "endorsement_area", where)
    domain = canonical_endorsement_domain(domain_text, area_hints.get(area_key(area_text), ()))
    if domain is None:
        domain = domain_text  # fails validation (vocabulary check) with this row's line
    elif domain != domain_text:
        clean.log(DATASET, key, "endorsement_domain", [Edit("vocabulary", domain_text, domain)], where)
    if area_level:
        area_edits.append(Edit("vocabulary", f"({area_level})", ""))
    clean.log(DATASET, key, "endorsement_area", area_edits, where)

    demonstrated = raw.demonstrated_by.strip()
    if is_see_above(demonstrated):
        above = rows[-1] if rows else None
        if above is None or above["demonstrated_by"] is None:
            raise where.error("'See above.' in the demonstrated-by column has no text above it",
                              path)
        clean.log(DATASET, key, "demonstrated_by",
                  [Edit("see_above", demonstrated, above["demonstrated_by"])], where)
        demonstrated = above["demonstrated_by"]
    else:
        demonstrated = clean(demonstrated, DATASET, key, "demonstrated_by", where) or None
    return {**empty, "endorsement_domain": domain, "endorsement_area": area_text or None,
            "endorsement_level": area_level or domain_level or "IFS",
            "demonstrated_by": demonstrated}
