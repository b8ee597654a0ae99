"""Extract the CT-AIMH Infant Mental Health Mentor (Level IV) competency detail.

The file is a text export of a web page: prose (copyright, title, legend), then a
two-column table written one row per line, the two cells separated by a tab. Each cell
is an HTML fragment:

* left, the area of expertise: ``<p>Theoretical Foundations</p>``, its kind underlined
  (``<u>Knowledge Areas</u>`` or ``<u>Skill Areas</u>``), then one ``<p><i>area</i></p>``
  per knowledge/skill area;
* right, "As demonstrated by": groups, each led by an italic paragraph (the lead-in,
  ``<p><i>Applies to all three designations (A):</i></p>``), then bullets ``•`` and
  sub-bullets ``○`` written as plain text inside never-closed ``<ul>`` tags.

Because the ``<ul>`` tags are never closed, the HTML tree does not show the nesting;
the bullet characters do, so the cells are parsed with BeautifulSoup (lxml) into text
in document order and the text is then split at the bullet characters.

Between rows the page repeats its header (``INFANT MENTAL HEALTH MENTOR`` /
``Competency Detail``, the column titles, with or without ``<u>``) and markdown table
rules (``---<tab>---``): lines without a tab, the header row and the rules are no data.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment

from pipeline.errors import PipelineError
from pipeline.extract.text_source import read_lines
from pipeline.limits import Limits, current_limits
from pipeline.metadata import BULLET, SUB_BULLET

if TYPE_CHECKING:
    from pipeline.sources import Source

HEADER_CELLS = ("Area of Expertise", "As Demonstrated by")
STATEMENT_COLUMNS = ("area_of_expertise", "marker", "statement", "lead_in",
                     "source_id", "source_line")
AREA_COLUMNS = ("area_of_expertise", "area_kind", "area", "source_id", "source_line")
_RULE = re.compile(r"^\s*-+\s*$")
#: An HTML start or end tag (``<p>``, ``</u>``, ``<br/>``), for counting how deep a cell nests.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^<>]*?(/?)>")
#: Elements that have no end tag, so open nothing.
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})


def extract(source: Source) -> dict[str, pd.DataFrame]:
    """The raw statements and areas of the CT-AIMH Mentor guidelines."""
    return extract_ct_aimh_mentor(source.file, source.id, source.limits)


def extract_ct_aimh_mentor(path: Path, source_id: str,
                           limits: Limits | None = None) -> dict[str, pd.DataFrame]:
    """Raw frames ``statements`` and ``areas``, all strings plus ``source_line``.

    ``statements``: one row per bullet (``marker`` ``•``) or sub-bullet (``○``) in
    document order, with the text as printed (HTML removed, a ``(P/RF)`` suffix kept)
    and the ``lead_in`` of its group (``""`` if the group has none). ``areas``: one row
    per knowledge/skill area with the ``area_kind`` heading as printed.

    A cell whose tags nest deeper than ``max_html_depth`` is refused before it is parsed.
    """
    limits = limits or current_limits()
    statements: list[dict] = []
    areas: list[dict] = []
    in_table = False
    for number, line in enumerate(read_lines(path, limits), start=1):
        if "\t" not in line:
            # Prose and page headers. Once the table has begun, markup or a bullet on a
            # line without a tab means a row lost its cell separator: refuse it.
            if in_table and ("<p" in line or BULLET in line):
                raise PipelineError("a table row without its tab between the two cells",
                                    path=str(path), line=number)
            continue
        cells = line.split("\t")
        if len(cells) != 2:
            raise PipelineError(f"a table row with {len(cells)} cells, expected 2",
                                path=str(path), line=number)
        in_table = True
        if all(_RULE.match(c) for c in cells):
            continue
        for cell in cells:
            limits.check("max_html_depth", _tag_depth(cell), "the nesting of HTML tags in a cell",
                         path=path, line=number)
        left, right = (BeautifulSoup(c, "lxml") for c in cells)
        if tuple(" ".join(s.get_text().split()) for s in (left, right)) == HEADER_CELLS:
            continue
        where = {"source_id": source_id, "source_line": number}
        name, kind, listed = _area_cell(left, str(path), number)
        areas += [{"area_of_expertise": name, "area_kind": kind, "area": a, **where}
                  for a in listed]
        statements += [{"area_of_expertise": name, **s, **where}
                       for s in _statement_cell(right, str(path), number)]
    if not statements:
        raise PipelineError("no competency table found (no line with two tab-separated "
                            "HTML cells)", path=str(path))
    return {"statements": pd.DataFrame(statements, columns=list(STATEMENT_COLUMNS)),
            "areas": pd.DataFrame(areas, columns=list(AREA_COLUMNS))}


def _tag_depth(cell: str) -> int:
    """How deep the tags of a cell nest, counted without parsing (linear): an end tag
    closes the latest open one. Never-closed ``<ul>`` tags each count, so this is at
    least the depth the parser builds.

    >>> _tag_depth("<p><i>Theoretical Foundations</i></p><ul><ul>• x<br/>")
    2
    """
    depth = deepest = 0
    for tag in _TAG.finditer(cell):
        closing, name, empty = tag.groups()
        if closing:
            depth = max(depth - 1, 0)
        elif not empty and name.lower() not in _VOID:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _area_cell(cell: BeautifulSoup, path: str, line: int) -> tuple[str, str, list[str]]:
    """(area of expertise, kind heading, listed areas) of a left cell.

    Underlined text is the kind, italic text an area, any other text the name (the last
    row writes the name and the kind in one paragraph, so paragraphs are not relied on).
    """
    name, kinds, listed = [], [], []
    for text in _strings(cell):
        if text.find_parent("u"):
            kinds.append(text.strip())
        elif text.find_parent("i"):
            listed.append(text.strip())
        else:
            name.append(text.strip())
    if not name or len(kinds) != 1 or not listed:
        raise PipelineError(
            "an area-of-expertise cell needs a name, one underlined kind heading and at "
            f"least one italic area; found name={name!r}, kinds={kinds!r}, "
            f"{len(listed)} area(s)", path=path, line=line)
    return " ".join(name), kinds[0], listed


def _statement_cell(cell: BeautifulSoup, path: str, line: int) -> list[dict]:
    """The bullets of a right cell, each with the lead-in of its group."""
    rows: list[dict] = []
    groups: list[tuple[str, list[str]]] = [("", [])]  # (lead-in, text pieces)
    for kind, text in _events(cell):
        if kind == "lead_in":
            groups.append((text, []))
        else:
            groups[-1][1].append(text)
    for lead_in, pieces in groups:
        parts = re.split(f"([{BULLET}{SUB_BULLET}])", "".join(pieces))
        if parts[0].strip():
            raise PipelineError(f"text outside any bullet: {parts[0].strip()[:60]!r}",
                                path=path, line=line)
        if lead_in and len(parts) == 1:
            raise PipelineError(f"the lead-in {lead_in[:60]!r} has no statement under it",
                                path=path, line=line,
                                hint="the row may be cut short: restore the document")
        seen_bullet = False
        for marker, text in zip(parts[1::2], parts[2::2]):
            if marker == SUB_BULLET and not seen_bullet:
                raise PipelineError(f"a sub-bullet before any bullet: {text.strip()[:60]!r}",
                                    path=path, line=line)
            if not text.strip():
                raise PipelineError("an empty bullet", path=path, line=line)
            seen_bullet = True
            rows.append({"marker": marker, "statement": text.strip(), "lead_in": lead_in})
    return rows


def _strings(node: Tag) -> list[NavigableString]:
    return [s for s in node.find_all(string=True)
            if not isinstance(s, Comment) and s.strip()]


def _is_lead_in(tag: Tag) -> bool:
    """A paragraph all of whose text is italic: a group's lead-in, not a statement
    (statements may hold italic titles, e.g. the DSM-IV, but never as a whole ``<p>``)."""
    texts = _strings(tag)
    return tag.name == "p" and bool(texts) and all(s.find_parent("i") for s in texts)


def _events(node: Tag):
    """("lead_in", text) and ("text", text) in document order.

    The walk keeps its own stack rather than recursing, so markup nested deeper than
    Python's recursion limit (10,000 ``<div>`` s) is read like any other."""
    stack = [iter(node.children)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif isinstance(child, Tag):
            if _is_lead_in(child):
                yield "lead_in", child.get_text().strip()
            else:
                stack.append(iter(child.children))
        elif isinstance(child, NavigableString) and not isinstance(child, Comment):
            yield "text", str(child)


def check_complete(source: Source, frames: dict[str, pd.DataFrame]) -> None:
    """Fail, naming the file and line, when the guidelines hold less than the document.

    Always: every row (area of expertise) has "As demonstrated by" statements — a row
    whose right cell is empty would publish its areas and none of its statements. Where
    the manifest declares it (``[source.expect]``): ``areas_of_expertise = 11`` — that many
    areas of expertise, fewer means the file was cut off or lost rows; ``statements = 113``
    — that many bullets and sub-bullets, so a cut inside the last row is seen too.
    """
    path = str(source.file)
    areas, statements = frames["areas"], frames["statements"]
    with_statements = set(statements["source_line"])
    rows = areas.drop_duplicates("source_line")
    for row in rows.itertuples(index=False):
        if row.source_line not in with_statements:
            raise PipelineError(
                f"the row of {row.area_of_expertise!r} has no 'As demonstrated by' statement: "
                "its right cell is empty", path=path, line=int(row.source_line),
                hint="the row lost its statements (a cut or a bad export): restore the document")
    expected = source.expect.get("areas_of_expertise")
    names = list(dict.fromkeys(rows["area_of_expertise"]))
    if expected is not None and len(names) != expected:
        last = rows.iloc[-1] if len(rows) else None
        after = (f"; the last read is {last['area_of_expertise']!r}, line {last['source_line']}"
                 if last is not None else "")
        raise PipelineError(
            f"{len(names)} areas of expertise, the manifest expects {expected}{after}",
            path=path, line=int(last["source_line"]) if last is not None else None,
            hint="fewer: the file may be cut off or have lost rows — restore the document; "
            "if the document changed, set `areas_of_expertise` in the source's "
            "[source.expect] in raw/sources.toml")
    expected = source.expect.get("statements")
    if expected is not None and len(statements) < expected:  # fewer is a loss, more none
        last = statements.iloc[-1]
        raise PipelineError(
            f"{len(statements)} statements, the manifest expects {expected}; the last read is "
            f"{last['statement'][-60:]!r} in {last['area_of_expertise']!r}",
            path=path, line=int(last["source_line"]),
            hint="fewer: the file may be cut off — restore the document; if the document "
            "changed, set `statements` in the source's [source.expect] in raw/sources.toml")
