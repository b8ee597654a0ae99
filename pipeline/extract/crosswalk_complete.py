"""Completeness of a crosswalk's frames: nothing lost without a word.

Run right after extraction (text export or PDF: the same frames) through
:data:`pipeline.formats.FORMATS`; what a complete document holds may be declared per
source in the manifest's ``[source.expect]`` table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from pipeline.codes import split_leading_code
from pipeline.errors import PipelineError

if TYPE_CHECKING:
    from pipeline.sources import Source


def check_complete(source: Source, frames: dict[str, pd.DataFrame]) -> None:
    """Fail, naming the file, the line (or page) and what is missing, when the frames of
    a crosswalk hold less than the document.

    Always, for any document or excerpt: the domains read are numbered without a gap,
    each with its heading and table rows; the categories of a domain run A, B, C … and
    the competency codes of a category .1, .2, .3 … without a gap (a PDF read with a page
    selection may begin inside a domain or a category). Where the manifest declares it in
    the source's ``[source.expect]``: ``domains = 8`` — domains 1 to 8 are all there;
    ``reverse_table = true`` — the reverse table (Endorsement area → CoE codes) is there;
    ``reverse_areas = 62`` — it has at least that many rows (areas), so a cut at its end
    is seen.
    Nothing here depends on where the document's lines wrap.
    """
    from pipeline.codes import split_leading_category

    path = str(source.file)
    partial = source.settings is not None and source.settings.pages != "all"
    forward = frames["forward"].to_dict("records")
    rows = [(split_leading_code(row["skill"])[0], row) for row in forward]
    headings = {int(d["domain_number"]): d for d in frames["domains"].to_dict("records")}
    first_row = {}  # domain number → its first row
    for code, row in rows:
        first_row.setdefault(int(code[0]), row)
    present = sorted(set(headings) | set(first_row))
    end = _at(forward[-1]) if forward else {}

    def first_of(number: int) -> dict:
        return headings.get(number) or first_row[number]

    expected = source.expect.get("domains")
    if expected is not None:
        missing = [n for n in range(1, expected + 1) if n not in present]
        if missing:
            after = [n for n in present if n > missing[0]]
            raise PipelineError(
                f"{'domain' if len(missing) == 1 else 'domains'} {_listed(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} missing: no heading '{missing[0]}. …' and no "
                f"competency {missing[0]}A.1 …; the manifest expects domains 1 to {expected}, "
                f"found {_listed(present) or 'none'}",
                path=path, **(_at(first_of(after[0])) if after else end),
                hint="the file may be cut short or a page lost: restore the document; if it "
                "really has fewer domains, change `domains` in the source's [source.expect] "
                "in raw/sources.toml")
        extra = [n for n in present if n > expected]
        if extra:
            raise PipelineError(
                f"domain {extra[0]} found, the manifest expects domains 1 to {expected}",
                path=path, **_at(first_of(extra[0])),
                hint="if the document has more domains now, change `domains` in the source's "
                "[source.expect] in raw/sources.toml")
    for before, after in zip(present, present[1:]):
        if after != before + 1:
            raise PipelineError(
                f"domain {before + 1} is missing between domain {before} and domain {after}",
                path=path, **_at(first_of(after)),
                hint="the file may have lost a page or a section: restore the document")
    for number, heading in headings.items():
        if number not in first_row:
            raise PipelineError(
                f"domain {number} ({heading['domain_title']!r}) has a heading but no table rows",
                path=path, **_at(heading),
                hint="the domain's table is missing: the file may be cut short")
    for code, row in rows:
        category = split_leading_category(row["category"])[0]
        if category and category != code[:2]:  # before a gap in either is reported
            raise PipelineError(
                f"competency {code} sits under category {category}", path=path, **_at(row),
                hint="a code that does not match its category: fix the document")
        if row["domain_number"] != code[0]:
            raise PipelineError(
                f"competency {code} sits under the heading of domain {row['domain_number']}: "
                f"the heading '{code[0]}. …' is missing or was not read",
                path=path, **_at(row),
                hint="restore the domain's heading line ('<number>. <title>')")
    check_code_sequence(rows, path, partial)
    reverse, areas = frames["reverse"], source.expect.get("reverse_areas")
    if (source.expect.get("reverse_table") or areas) and reverse.empty:
        where = " ".join(f"{unit} {at}" for unit, at in end.items())
        raise PipelineError(
            "the reverse table (Endorsement domain and area → CoE competencies, header "
            "'Competencies for IMH-E® and ECMH-E® Domain …') is missing: the document ends "
            f"with the forward table (its last row at {where})",
            path=path, **end,
            hint="the file may be cut short: restore the document; if this source really has "
            "no reverse table, set `reverse_table = false` in its [source.expect]")
    # Fewer rows than declared is a loss; more is none (a re-rendering may wrap an area
    # over a page break, which the index then lists twice — the data check's business).
    if areas is not None and len(reverse) < areas:
        last = reverse.iloc[-1].to_dict()
        raise PipelineError(
            f"the reverse table has {len(reverse)} areas, the manifest expects {areas}; the "
            f"last read is {last['area']!r}", path=path, **_at(last),
            hint="fewer: the file may be cut short — restore the document; if the document "
            "changed, set `reverse_areas` in the source's [source.expect] in raw/sources.toml")


def check_code_sequence(rows: list[tuple[str, dict]], path: str, partial: bool = False) -> None:
    """Categories of each domain run A, B, C … and competency codes of each category
    .1, .2 … without a gap; ``rows`` are (canonical code, row with its line or page) in
    document order. A code may repeat (a competency mapped to several Endorsement areas).
    With ``partial`` (an excerpt by pages) the first domain and category read may begin
    later than A and .1."""
    first_of: dict[str, dict] = {}  # category or code → the row where it first appears
    seen: dict[str, list[dict]] = {}  # code → the rows that carry it
    for code, row in rows:
        first_of.setdefault(code[:2], row)
        first_of.setdefault(code, row)
        seen.setdefault(code, []).append(row)
    categories: dict[str, list[str]] = {}
    numbers: dict[str, list[int]] = {}
    for key in first_of:
        if "." in key:
            numbers.setdefault(key[:2], []).append(int(key.split(".")[1]))
        else:
            categories.setdefault(key[0], []).append(key[1])
    start = rows[0][0] if rows and partial else None
    for domain, letters in categories.items():
        ordinals = sorted(ord(letter) for letter in letters)
        begin = ordinals[0] if start and start[0] == domain else ord("A")
        for expected, ordinal in zip(range(begin, begin + len(ordinals)), ordinals):
            if ordinal != expected:
                found = ", ".join(domain + chr(o) for o in ordinals)
                raise PipelineError(
                    f"category {domain}{chr(expected)} is missing: domain {domain} has {found}",
                    path=path, **_at(first_of[domain + chr(ordinal)]),
                    hint="rows of the document were lost: restore it")
    for category, found in numbers.items():
        found = sorted(found)
        begin = found[0] if start and start[:2] == category else 1
        for expected, number in zip(range(begin, begin + len(found)), found):
            if number != expected:
                codes = ", ".join(f"{category}.{n}" for n in found)
                before = (f" (after {category}.{expected - 1} at "
                          f"{_places(seen[f'{category}.{expected - 1}'])})"
                          if f"{category}.{expected - 1}" in seen else "")
                raise PipelineError(
                    f"competency {category}.{expected} is missing{before}: category "
                    f"{category} has {codes}", path=path,
                    **_at(first_of[f"{category}.{number}"]),
                    hint="rows of the document were lost, or a code is misprinted: restore "
                    "the document")


def _at(row: dict) -> dict[str, int]:
    """``{"page": n}`` for a row of a PDF, ``{"line": n}`` for a row of a text file."""
    page = row.get("source_page")
    if page is not None and not pd.isna(page):
        return {"page": int(page)}
    return {"line": int(row["source_line"])}


def _places(rows: list[dict]) -> str:
    """``line 150``, ``lines 150, 153`` or ``pages 2, 3``: where rows are."""
    places = [_at(row) for row in rows]
    unit = next(iter(places[0]))
    numbers = list(dict.fromkeys(str(place[unit]) for place in places))
    return f"{unit}{'s' if len(numbers) > 1 else ''} {', '.join(numbers)}"


def _listed(numbers: list[int]) -> str:
    """``5``, ``5 and 6``, ``1, 2 and 3``."""
    text = [str(n) for n in numbers]
    return text[0] if len(text) == 1 else f"{', '.join(text[:-1])} and {text[-1]}"
