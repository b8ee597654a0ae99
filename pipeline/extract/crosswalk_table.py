"""Extract the crosswalk tables from the tab-separated text export of the PDF.

The export is what a PDF-to-text tool makes of the document: prose, then per domain a
heading (``1. Role of the IECMH Consultant``), its paragraph(s), and the forward table
(6 columns) whose header row repeats after every page break; at the end the reverse
table (3 columns). Physical lines are not rows: a row broken by the layout continues on
a line that carries only the tails of some cells, and a header may split one column in
two (``IECMH Endorse Compet`` + empty), shifting the cells under it.

Reading and assembling are separate: a reader turns the document into a stream of
:class:`Record` s (a line of prose, or the cells of a table line, with its line or page),
and :func:`assemble_crosswalk` finds the structure in that stream — header layouts, new
rows and continuations, domain headings and their paragraphs. The text export's reader
is here; the PDF's is :mod:`pipeline.extract.crosswalk_pdf`. Both give the same frames.

This module only finds structure. It returns all-string frames with provenance and
cleans nothing: cells are joined exactly as printed, so every later repair is logged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd

from pipeline.codes import split_leading_code
from pipeline.errors import PipelineError
from pipeline.extract.crosswalk_header import (
    FORWARD_COLUMNS,
    FORWARD_HEADER,
    GROUP_ROW,
    REVERSE_COLUMNS,
    REVERSE_HEADER,
    Layout,
    header_layout,
    is_group_text,
)
from pipeline.extract.glyphs import refuse_unreadable, resolve_records
from pipeline.extract.text_source import read_lines
from pipeline.limits import Limits, current_limits, over_limit

if TYPE_CHECKING:
    from pipeline.sources import Source

_DOMAIN_HEADING = re.compile(r"^\s*([1-8])\.\s+(\S.{0,118})$")

#: What a record's location counts: lines of a text source or pages of a PDF.
Unit = Literal["line", "page"]


@dataclass(frozen=True)
class Record:
    """One line as a reader sees it: the cells of a table line (``fields``), or a line
    of prose (``fields`` is None, ``text`` the line); ``at`` is its line or page."""

    at: int
    text: str = ""
    fields: tuple[str, ...] | None = None


@dataclass
class _Row:
    cells: dict[str, str]
    line: int
    continuation_lines: list[int] = field(default_factory=list)

    def absorb(self, cells: dict[str, str], line: int) -> None:
        """Append the cell tails of a continuation line to this row."""
        for column, tail in cells.items():
            if tail.strip():
                head = self.cells[column]
                self.cells[column] = f"{head} {tail}" if head.strip() else tail
        self.continuation_lines.append(line)


@dataclass
class _Domain:
    number: int
    title: str
    line: int
    paragraph_lines: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class TableExtract:
    """The raw frames of one crosswalk document and the counts of what was read."""

    domains: pd.DataFrame
    forward: pd.DataFrame
    reverse: pd.DataFrame
    stats: dict[str, int]


def extract(source: Source) -> dict[str, pd.DataFrame]:
    """The raw frames of a crosswalk text export: domains, forward and reverse rows."""
    result = extract_crosswalk_table(source.file, source.id, source.limits)
    return {"domains": result.domains, "forward": result.forward, "reverse": result.reverse}


def extract_crosswalk_table(path: Path, source_id: str,
                            limits: Limits | None = None) -> TableExtract:
    lines = read_lines(path, limits)
    result = assemble_crosswalk(_text_records(lines), path, source_id, limits=limits)
    result.stats.update(lines=len(lines), blank=sum(1 for text in lines if not text.strip()))
    return result


def _text_records(lines: list[str]) -> Iterator[Record]:
    """A line with a tab is a table line (its fields), any other non-blank line prose."""
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        if "\t" not in text:
            yield Record(number, text=text)
        else:
            yield Record(number, text=text, fields=tuple(text.split("\t")))


def assemble_crosswalk(records: Iterable[Record], path: Path, source_id: str,
                       unit: Unit = "line", limits: Limits | None = None) -> TableExtract:
    """The domains, forward and reverse frames from a reader's records, in order.

    Glyphs the document maps to no character are resolved first where the font or the
    document's key tells what they are, and refused where still unreadable
    (:mod:`pipeline.extract.glyphs`). A cell that grows over ``max_cell_chars`` with its
    continuation lines is refused at the line (page) that made it too long."""
    limits = limits or current_limits()
    records = resolve_records(records, path)
    domains: list[_Domain] = []
    forward: list[_Row] = []
    reverse: list[_Row] = []
    stats = dict.fromkeys(("header", "rows", "continuations", "prose"), 0)
    layout: Layout | None = None
    in_domain_intro = False

    def error(message: str, at: int | None, **hints) -> PipelineError:
        return PipelineError(message, path=str(path), **{unit: at}, **hints)

    for record in records:
        number, text = record.at, record.text
        if record.fields is None:
            if is_group_text(text):  # a two-level header's group row, read as prose
                stats["header"] += 1
                continue
            heading = _DOMAIN_HEADING.match(text)
            # Domains are numbered in order; the first may be any number (a document
            # excerpt), each later one must follow it, so a numbered list in prose is no
            # heading once the domains have begun.
            if heading and (not domains or int(heading.group(1)) == domains[-1].number + 1):
                domains.append(_Domain(int(heading.group(1)), heading.group(2).strip(), number))
                in_domain_intro, layout = True, None
            elif in_domain_intro:
                domains[-1].paragraph_lines.append((number, text.strip()))
            stats["prose"] += 1
            continue
        fields = list(record.fields)
        # header_layout reports a bad header by line; a PDF's location is its page.
        try:
            new_layout = header_layout(fields, path, number)
        except PipelineError as bad:
            raise error(bad.message, number, hint=bad.hint) from None
        if new_layout is GROUP_ROW:  # the group row of a two-level header
            stats["header"] += 1
            continue
        if new_layout is not None:
            layout, in_domain_intro = new_layout, False
            stats["header"] += 1
            continue
        if layout is None:
            raise error(
                "table row before any table header", number,
                hint="the header row ('IECMH Consultation Category …') is missing or renamed",
            )
        try:
            cells = layout.split(fields, path, number)
        except PipelineError as bad:
            raise error(bad.message, number, hint=bad.hint) from None
        rows = forward if layout.columns == FORWARD_COLUMNS else reverse
        if _starts_row(cells, layout, rows[-1] if rows else None):
            if len(fields) < layout.width:
                # A continuation line may carry only the first few cells, but a row
                # that starts with a code and lacks cells was cut short.
                raise error(
                    f"row has {len(fields)} cells, its table header has {layout.width}: "
                    "the row is cut short", number,
                    hint="the file may be truncated; re-export the document")
            if layout.columns == FORWARD_COLUMNS and not domains:
                raise error("table row before the first domain heading", number)
            domain = str(domains[-1].number) if layout.columns == FORWARD_COLUMNS else ""
            rows.append(_Row({"domain_number": domain, **cells}, number))
            stats["rows"] += 1
        elif rows:
            rows[-1].absorb(cells, number)
            stats["continuations"] += 1
            longest = max(rows[-1].cells, key=lambda column: len(rows[-1].cells[column]))
            if len(rows[-1].cells[longest]) > limits.max_cell_chars:
                raise over_limit(limits, "max_cell_chars", len(rows[-1].cells[longest]),
                                 f"the {longest} cell of the row at {unit} {rows[-1].line}",
                                 path=path, **{unit: number})
        else:
            raise error("continuation line with no row above it to continue", number)

    if not forward:
        raise error("no crosswalk table rows found", None,
                    hint="is this the crosswalk (its text export or its PDF)?")
    result = TableExtract(
        domains=_domains_frame(domains, source_id, unit),
        forward=_rows_frame(forward, ("domain_number", *FORWARD_COLUMNS), source_id, unit),
        reverse=_rows_frame(reverse, REVERSE_COLUMNS, source_id, unit),
        stats=stats,
    )
    refuse_unreadable(result.domains, {"domain_title": "domain heading",
                                       "description": "domain paragraph"},
                      path, unit, "domain_number")
    refuse_unreadable(result.forward, dict(zip(FORWARD_COLUMNS, FORWARD_HEADER)), path, unit,
                      "skill")
    refuse_unreadable(result.reverse, dict(zip(REVERSE_COLUMNS, REVERSE_HEADER)), path, unit,
                      "area")
    return result


#: The level tag that closes a reverse-table area: ``… behavior (IFA, IFS, MHS, MHM)``.
_LEVEL_TAG = re.compile(r"\([^()]*\)\s*\)?\s*$")


def _starts_row(cells: dict[str, str], layout: Layout, above: _Row | None = None) -> bool:
    """A forward row starts with a competency code in the skill cell; a reverse row has
    an area — unless its domain cell is empty and the area above still lacks the level
    tag that closes every area: then the line is that area's tail, cut off by a page
    break (``infant/young child development and`` | ``behavior (IFA, IFS, MHS, MHM)``).
    Anything else carries the tails of the row above.

    >>> from pipeline.extract.crosswalk_header import REVERSE_COLUMNS, Layout
    >>> reverse = Layout(REVERSE_COLUMNS, ((0,), (1,), (2,)))
    >>> above = _Row({"endorsement_domain": "Theoretical Foundations",
    ...               "area": "infant/young child development and", "coe_codes": "1C2"}, 3)
    >>> tail = {"endorsement_domain": "", "area": "behavior (IFA, IFS, MHS, MHM)", "coe_codes": ""}
    >>> _starts_row(tail, reverse, above), _starts_row(tail, reverse, None)
    (False, True)
    """
    if layout.columns == FORWARD_COLUMNS:
        return split_leading_code(cells["skill"])[0] is not None
    if not cells["area"].strip():
        return False
    cut_off = (above is not None and not cells["endorsement_domain"].strip()
               and not _LEVEL_TAG.search(above.cells["area"]))
    return not cut_off


def _domains_frame(domains: list[_Domain], source_id: str, unit: Unit) -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            {
                "domain_number": str(d.number),
                "domain_title": d.title,
                "description": " ".join(text for _, text in d.paragraph_lines),
                "description_lines": ";".join(str(n) for n, _ in d.paragraph_lines),
                "source_id": source_id,
                "source_line": d.line,
            }
            for d in domains
        ],
        columns=["domain_number", "domain_title", "description", "description_lines",
                 "source_id", "source_line"],
    )
    return _provenance(frame, unit)


def _rows_frame(rows: list[_Row], columns: tuple[str, ...], source_id: str,
                unit: Unit) -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            {
                **{c: row.cells[c] for c in columns},
                "continuation_lines": ";".join(str(n) for n in row.continuation_lines),
                "source_id": source_id,
                "source_line": row.line,
            }
            for row in rows
        ],
        columns=[*columns, "continuation_lines", "source_id", "source_line"],
    )
    return _provenance(frame, unit)


def _provenance(frame: pd.DataFrame, unit: Unit) -> pd.DataFrame:
    """The location column as the unit says: a PDF's rows carry ``source_page`` and a null
    ``source_line`` (``description_lines`` and ``continuation_lines`` then list pages)."""
    if unit == "page":
        frame = frame.assign(source_page=frame["source_line"], source_line=None)
        return frame.astype({"source_line": "Int64", "source_page": "Int64"})
    return frame.astype({"source_line": "Int64"})
