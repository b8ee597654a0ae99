"""The crosswalk's table headers: which table a header row opens and how its columns lie.

Both readers of the crosswalk (text export and PDF) meet the same two headers, repeated
after every page break: the forward table's 6 columns and the reverse table's 3. A
header may come split (a column in two fields) or, read line by line from a PDF, in
several partial rows; these functions say which fields make each logical column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PipelineError

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
    # A header word hyphenated at a line end in a PDF cell (``Consul- tation``) is joined.
    text = re.sub(r"(?<=[a-z])- (?=[a-z])", "", text.replace("®", "").lower())
    return re.sub(r"\s+", " ", text).strip()


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
        if groups and _continues_name(fields, groups[-1], text, names[expected - 1], match):
            groups[-1].append(index)  # the PDF split one name over two fields
            continue
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


def _continues_name(fields: list[str], group: list[int], text: str, name: str, match) -> bool:
    """Whether ``text`` is the rest of the column name its left neighbours began, split
    inside a word (``IECMH Endorse`` + ``ment Competency``) or between words.

    >>> from pipeline.extract.crosswalk_header import FORWARD_HEADER as H
    >>> _continues_name(["IECMH Endorse"], [0], "ment Competency", H[3], _words_are_prefixes)
    True
    >>> _continues_name(["IECMH Endorsement Competency"], [0], "Knowledge/", H[3], _words_are_prefixes)
    False
    """
    begun = " ".join(fields[i].strip() for i in group if fields[i].strip())
    if _norm(begun) == _norm(name):
        return False
    return any(match(joined, name) and len(_norm(joined)) > len(_norm(begun))
               for joined in (f"{begun}{text.strip()}", f"{begun} {text.strip()}"))


def _reverse_field_matches(text: str, name: str) -> bool:
    key = _REVERSE_KEYS[REVERSE_HEADER.index(name)]
    return _norm(text).endswith(key) or key in _norm(text)


def is_complete_header(fields: Iterable[str]) -> bool:
    """Whether ``fields`` hold a whole header row, every column name to its last word.

    A PDF table read line by line gives a wrapped header as several partial rows
    (``Essential`` / ``or`` / ``Important``); their column-wise join is the header once
    this holds — a partial one would leave the names' tails to pass for a data row.

    >>> is_complete_header(["IECMH Consultation Category", "IECMH Consultation Core Skills",
    ...     "Essential or", "IECMH Endorsement", "Knowledge/ Skill", "As Demonstrated By/"])
    False
    >>> is_complete_header(["IECMH Consultation Category", "IECMH Consultation Core Skills",
    ...     "Essential or Important", "IECMH Endorsement Competency", "Knowledge/ Skill Area",
    ...     "As Demonstrated By/ Other Work Experience (and Interview)"])
    True
    """
    fields = list(fields)
    try:
        layout = header_layout(fields, Path(), 0)
    except PipelineError:
        return False
    if layout is None:
        return False
    names = FORWARD_HEADER if layout.columns == FORWARD_COLUMNS else REVERSE_HEADER
    return all(len(_norm(" ".join(fields[i] for i in group)).split()) >= len(_norm(name).split())
               for group, name in zip(layout.groups, names))
