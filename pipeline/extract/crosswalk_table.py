"""Extract the crosswalk tables from the tab-separated text export of the PDF.

The export is what a PDF-to-text tool makes of the document: prose, then per domain a
heading (``1. Role of the IECMH Consultant``), its paragraph(s), and the forward table
(6 columns) whose header row repeats after every page break; at the end the reverse
table (3 columns). Physical lines are not rows: a row broken by the layout continues on
a line that carries only the tails of some cells, and a header may split one column in
two (``IECMH Endorse Compet`` + empty), shifting the cells under it.

This module only finds structure. It returns all-string frames with provenance and
cleans nothing: cells are joined exactly as printed, so every later repair is logged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.codes import split_leading_code
from pipeline.errors import PipelineError
from pipeline.extract.text_source import read_lines

FORWARD_COLUMNS = ("category", "skill", "priority", "endorsement_domain", "area", "demonstrated_by")
FORWARD_HEADER = (
    "IECMH Consultation Category",
    "IECMH Consultation Core Skills",
    "Essential or Important",
    "IECMH Endorsement Competency",
    "Knowledge/ Skill Area",
    "As Demonstrated By/ Other Work Experience (and Interview)",
)
REVERSE_COLUMNS = ("endorsement_domain", "area", "coe_codes")
REVERSE_HEADER = (
    "Competencies for IMH-E® and ECMH-E® Domain",
    "Competencies for IMH-E® and ECMH-E® Knowledge or Skill Area",
    "Center of Excellence Competecies",
)
# The words that tell the reverse header's columns apart (its first two start alike).
_REVERSE_KEYS = ("domain", "knowledge or skill area", "center of excellence")

_DOMAIN_HEADING = re.compile(r"^\s*([1-8])\.\s+(\S.{0,118})$")


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
class Layout:
    """Which physical fields of a table line make up each logical column."""

    columns: tuple[str, ...]
    groups: tuple[tuple[int, ...], ...]  # per logical column, the field indexes

    @property
    def width(self) -> int:
        return sum(len(g) for g in self.groups)

    def split(self, fields: list[str], path: Path, line: int) -> dict[str, str]:
        if len(fields) > self.width:
            if any(f.strip() for f in fields[self.width:]):
                raise PipelineError(
                    f"row has {len(fields)} cells, its table header has {self.width}",
                    path=str(path), line=line,
                    hint="check the row for a stray tab or a header that lost a column",
                )
            fields = fields[: self.width]
        fields = fields + [""] * (self.width - len(fields))
        return {
            column: " ".join(fields[i] for i in group if fields[i].strip())
            for column, group in zip(self.columns, self.groups)
        }


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("®", "")).strip().lower()


def _words_are_prefixes(fragment: str, name: str) -> bool:
    """``IECMH Endorse Compet`` abbreviates ``IECMH Endorsement Competency``."""
    short, full = _norm(fragment).split(), _norm(name).split()
    return 0 < len(short) <= len(full) and all(f.startswith(s) for s, f in zip(short, full))


def header_layout(fields: list[str], path: Path, line: int) -> Layout | None:
    """The layout a header line declares, or None if the line is no header.

    An empty header field belongs to the column before it: the PDF split that column.
    """
    if not fields or not fields[0].strip():
        return None
    first = _norm(fields[0])
    if first.startswith("iecmh consultation cat"):
        names, columns = FORWARD_HEADER, FORWARD_COLUMNS
        match = _words_are_prefixes
    elif first.startswith("competencies for") and any("center of excellence" in _norm(f) for f in fields):
        names, columns = REVERSE_HEADER, REVERSE_COLUMNS
        match = _reverse_field_matches
    else:
        return None
    groups: list[list[int]] = []
    for index, text in enumerate(fields):
        if not text.strip():
            if not groups:
                raise PipelineError("table header starts with an empty column",
                                    path=str(path), line=line)
            groups[-1].append(index)
            continue
        expected = len(groups)
        if expected >= len(names) or not match(text, names[expected]):
            wanted = names[expected] if expected < len(names) else "no further column"
            raise PipelineError(
                f"unexpected table header column {index + 1}: {text.strip()!r} (expected {wanted!r})",
                path=str(path), line=line,
                hint="the document's table layout changed; the parser needs updating",
            )
        groups.append([index])
    if len(groups) != len(names):
        raise PipelineError(
            f"table header has {len(groups)} of the {len(names)} columns "
            f"(missing {', '.join(names[len(groups):])!r})",
            path=str(path), line=line,
        )
    return Layout(columns, tuple(tuple(g) for g in groups))


def _reverse_field_matches(text: str, name: str) -> bool:
    key = _REVERSE_KEYS[REVERSE_HEADER.index(name)]
    return _norm(text).endswith(key) or key in _norm(text)


@dataclass
class TableExtract:
    """The raw frames of one text export and the counts of what was read."""

    domains: pd.DataFrame
    forward: pd.DataFrame
    reverse: pd.DataFrame
    stats: dict[str, int]


def extract_crosswalk_table(path: Path, source_id: str) -> TableExtract:
    lines = read_lines(path)
    domains: list[_Domain] = []
    forward: list[_Row] = []
    reverse: list[_Row] = []
    stats = dict.fromkeys(("lines", "blank", "header", "rows", "continuations", "prose"), 0)
    stats["lines"] = len(lines)
    layout: Layout | None = None
    in_domain_intro = False

    for number, text in enumerate(lines, start=1):
        if not text.strip():
            stats["blank"] += 1
            continue
        if "\t" not in text:
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
        fields = text.split("\t")
        new_layout = header_layout(fields, path, number)
        if new_layout is not None:
            layout, in_domain_intro = new_layout, False
            stats["header"] += 1
            continue
        if layout is None:
            raise PipelineError(
                "table row before any table header",
                path=str(path), line=number,
                hint="the header row ('IECMH Consultation Category …') is missing or renamed",
            )
        cells = layout.split(fields, path, number)
        rows = forward if layout.columns == FORWARD_COLUMNS else reverse
        if _starts_row(cells, layout):
            if len(fields) < layout.width:
                # A continuation line may carry only the first few cells, but a row
                # that starts with a code and lacks cells was cut short.
                raise PipelineError(
                    f"row has {len(fields)} cells, its table header has {layout.width}: "
                    "the row is cut short", path=str(path), line=number,
                    hint="the file may be truncated; re-export the document")
            if layout.columns == FORWARD_COLUMNS and not domains:
                raise PipelineError("table row before the first domain heading",
                                    path=str(path), line=number)
            domain = str(domains[-1].number) if layout.columns == FORWARD_COLUMNS else ""
            rows.append(_Row({"domain_number": domain, **cells}, number))
            stats["rows"] += 1
        elif rows:
            rows[-1].absorb(cells, number)
            stats["continuations"] += 1
        else:
            raise PipelineError(
                "continuation line with no row above it to continue",
                path=str(path), line=number,
            )

    if not forward:
        raise PipelineError("no crosswalk table rows found", path=str(path),
                            hint="is this the crosswalk's text export?")
    return TableExtract(
        domains=_domains_frame(domains, source_id),
        forward=_rows_frame(forward, ("domain_number", *FORWARD_COLUMNS), source_id),
        reverse=_rows_frame(reverse, REVERSE_COLUMNS, source_id),
        stats=stats,
    )


def _starts_row(cells: dict[str, str], layout: Layout) -> bool:
    """A forward row starts with a competency code in the skill cell; a reverse row has
    an area. Anything else carries the tails of the row above."""
    if layout.columns == FORWARD_COLUMNS:
        return split_leading_code(cells["skill"])[0] is not None
    return bool(cells["area"].strip())


def _domains_frame(domains: list[_Domain], source_id: str) -> pd.DataFrame:
    return pd.DataFrame(
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
    ).astype({"source_line": "Int64"})


def _rows_frame(rows: list[_Row], columns: tuple[str, ...], source_id: str) -> pd.DataFrame:
    return pd.DataFrame(
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
    ).astype({"source_line": "Int64"})
