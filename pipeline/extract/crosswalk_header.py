"""The crosswalk's table headers: which table a header row opens and how its columns lie.

Both readers of the crosswalk (text export and PDF) meet the same two tables, each under
a header repeated after every page break: the forward table's 6 columns and the reverse
table's 3. A header is recognised by what its cells *mean*, not by their exact words: a
re-rendered or next edition of the document may repeat an abbreviated header on its
continuation pages (``IECMH Consult. Category`` … ``Ess./ Imp.``, or ``Core Skills`` …
``E / I``), add ``(cont.)``, or come through a scanner (``1ECMH``). Each column has the
labels a document may give it (:data:`FORWARD`, :data:`REVERSE`); a header cell matches a
label when its words are, in order, the label's words or their abbreviations (a prefix:
``Consult.``, ``E``), words of the label may be left out (``Core Skills``), and a word may
carry one scanner confusion (``1ECMH``, ``Competecies``). A header may come split (a column
in two fields) or, read line by line from a PDF, in several partial rows; these functions
say which fields make each logical column. A group row over the columns of a two-level
header (``IECMH Consultation Competencies`` over the first three) is recognised too.

A row that looks like a header — most of its cells name columns — but fits no layout is
reported with its cells, never read as data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from pipeline.errors import PipelineError


@dataclass(frozen=True)
class Column:
    """One logical column of a table and the labels its header cell may carry; the
    first label is the crosswalk's own wording."""

    name: str
    labels: tuple[str, ...]


FORWARD = (
    Column("category", ("IECMH Consultation Category",)),
    Column("skill", ("IECMH Consultation Core Skills", "IECMH Consultation Competency")),
    Column("priority", ("Essential or Important", "Essential / Important")),
    Column("endorsement_domain", ("IECMH Endorsement Competency", "Endorsement Domain")),
    Column("area", ("Knowledge/ Skill Area", "Knowledge or Skill Area")),
    Column("demonstrated_by", ("As Demonstrated By/ Other Work Experience (and Interview)",
                               "As Demonstrated By")),
)
REVERSE = (
    Column("endorsement_domain", ("Competencies for IMH-E® and ECMH-E® Domain",
                                  "Endorsement Domain")),
    Column("area", ("Competencies for IMH-E® and ECMH-E® Knowledge or Skill Area",
                    "Endorsement Knowledge or Skill Area")),
    Column("coe_codes", ("Center of Excellence Competencies", "CoE Competencies",
                         "IECMH Consultation Competencies")),
)
#: The cells of a group row over the columns of a two-level header.
GROUP_LABELS = ("IECMH Consultation Competencies", "Center of Excellence Competencies",
                "IECMH Endorsement Competencies", "Alliance Endorsement Competencies")

FORWARD_COLUMNS = tuple(c.name for c in FORWARD)
FORWARD_HEADER = tuple(c.labels[0] for c in FORWARD)
REVERSE_COLUMNS = tuple(c.name for c in REVERSE)
REVERSE_HEADER = tuple(c.labels[0] for c in REVERSE)
#: From this share of a row's cells naming a column on, the row is taken for a header.
HEADER_LIKE_SHARE = 0.6


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


#: What a group row of a two-level header declares: no columns of its own.
GROUP_ROW = Layout((), ())


# --- matching a cell against a column's labels ---------------------------------------

#: Marks of a continued table, which say nothing about the column.
_CONTINUED = re.compile(r"\(\s*cont(?:inued|'d|\.)?\s*\)|\bcontinued\b", re.IGNORECASE)
#: Pairs a scanner confuses, as one edit that costs nothing.
LOOKALIKE = {frozenset(p) for p in (("1", "i"), ("1", "l"), ("l", "i"), ("0", "o"),
                                     ("5", "s"), ("c", "e"))}


class _Token(NamedTuple):
    text: str
    #: written with a full stop after it (``Consult.``): an abbreviation that may end a cell
    abbreviated: bool


@lru_cache(maxsize=1024)
def _tokens(text: str) -> tuple[_Token, ...]:
    """The words of a header cell, lower case, without ``®`` and ``(cont.)``; a word
    hyphenated at a line end in a PDF cell (``Consul- tation``) is joined.

    >>> [t.text for t in _tokens("Knowledge/ Skill Area (cont.)")]
    ['knowledge', 'skill', 'area']
    >>> [(t.text, t.abbreviated) for t in _tokens("Ess./ Imp.")]
    [('ess', True), ('imp', True)]
    """
    text = _CONTINUED.sub(" ", text.replace("®", ""))
    text = re.sub(r"(?<=[a-z])- (?=[a-z])", "", text)
    return tuple(_Token(m.group(1).lower(), bool(m.group(2)))
                 for m in re.finditer(r"([^\W_]+)(\.)?", text))


def label_words(column: Column) -> set[str]:
    """The words of a column's labels, as the matcher reads them (lower case, without
    ``®``).

    >>> sorted(label_words(FORWARD[2]))
    ['essential', 'important', 'or']
    """
    return {token.text for label in column.labels for token in _tokens(label)}


#: Letter pairs a scanner reads as one letter.
MERGED_LETTERS = (("rn", "m"), ("cl", "d"), ("vv", "w"))


@lru_cache(maxsize=8192)
def _same_word(written: str, word: str) -> bool:
    """``written`` is ``word``, up to one scanner confusion in a longer word
    (``Consu1tation``, ``Endorsernent``)."""
    if written == word:
        return True
    if min(len(written), len(word)) < 4 or len(written) < len(word) - 1:
        return False  # too short to be told apart, or shorter than any reading may be
    merged = [(a, b) for a, b in MERGED_LETTERS if a in written]
    if not merged:  # the usual case: the word as written is its one reading
        return within_one_edit(written, word)
    readings = {written, *(written.replace(a, b) for a, b in merged)}
    return any(within_one_edit(r, word) for r in readings)


#: :data:`LOOKALIKE` as ordered pairs, both ways round.
_LOOKALIKE_PAIRS = frozenset(pair for p in LOOKALIKE for pair in (tuple(p), tuple(p)[::-1]))


def _alike(x: str, y: str) -> bool:
    return x == y or (x, y) in _LOOKALIKE_PAIRS


def within_one_edit(a: str, b: str) -> bool:
    """Whether the Levenshtein distance of ``a`` and ``b`` is at most 1, look-alike
    substitutions (``1``/``l``) free: in linear time, as the header search asks it of
    thousands of pairs (a full distance table cost a third of reading an unruled page).

    Same length: at most one position differs other than by a look-alike (any alignment
    but the diagonal needs an insertion and a deletion). Lengths one apart: one letter of
    the longer left out, and the rest alike — the letters before the first unlike pair
    of the fronts can be kept as they are, those after the last unlike pair of the ends
    shifted by one, so some letter can go iff the two stretches meet.

    >>> within_one_edit("consu1tation", "consultation"), within_one_edit("endorsment", "endorsement")
    (True, True)
    >>> within_one_edit("ategory", "category"), within_one_edit("categroy", "category")
    (True, False)
    """
    if a == b:
        return True
    if len(a) == len(b):
        unlike = 0
        for x, y in zip(a, b, strict=True):
            if x != y and (x, y) not in _LOOKALIKE_PAIRS:
                unlike += 1
                if unlike > 1:
                    return False
        return True
    if abs(len(a) - len(b)) != 1:
        return False
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    front = 0  # the first i where longer[i] and shorter[i] are unlike
    while front < len(shorter) and _alike(longer[front], shorter[front]):
        front += 1
    back = len(shorter)  # the least k with longer[i + 1] alike shorter[i] for all i >= k
    while back > 0 and _alike(longer[back], shorter[back - 1]):
        back -= 1
    return back <= front


def _token_matches(written: _Token, word: str) -> bool:
    """A word of a cell stands for a word of a label: the word itself, or its beginning
    (an abbreviation: ``Consult``, ``Ess``, ``E``), each with one scanner confusion
    allowed in a longer word.

    >>> _token_matches(_Token("1ecmh", False), "iecmh"), _token_matches(_Token("e", False), "essential")
    (True, True)
    >>> _token_matches(_Token("area", False), "category")
    False
    """
    return _stands_for(written.text, word)


@lru_cache(maxsize=1 << 14)
def _stands_for(text: str, word: str) -> bool:
    """:func:`_token_matches` of a word as written, remembered: a document's few hundred
    distinct words meet the labels' few dozen words in thousands of cells."""
    if _same_word(text, word) or word.startswith(text):
        return True
    return len(text) >= 4 and len(text) < len(word) and _same_word(text, word[: len(text)])


@lru_cache(maxsize=4096)
def _label_match(cell: tuple[_Token, ...], label: str) -> tuple[bool, bool]:
    """(matches, complete): whether the cell's words stand, in order, for words of
    ``label`` (words of the label may be left out), and whether it is the whole label —
    its last word is the label's last word, or a word written as an abbreviation.

    >>> _label_match(_tokens("Ess./ Imp."), "Essential or Important")
    (True, True)
    >>> _label_match(_tokens("Essential or"), "Essential or Important")
    (True, False)
    >>> _label_match(_tokens("Area"), "Essential or Important")
    (False, False)
    """
    words = [t.text for t in _tokens(label)]
    if not cell or len(cell) > len(words):  # each word of the cell stands for one of the label
        return False, False
    # ends[i]: the label positions the cell's first i+1 words can end at, in order.
    ends = {-1}
    for token in cell:
        ends = {j for start in ends for j in range(start + 1, len(words))
                if _token_matches(token, words[j])}
        if not ends:
            return False, False
    complete = len(words) - 1 in ends or cell[-1].abbreviated
    return True, complete


def cell_matches(text: str, column: Column) -> tuple[bool, bool]:
    """(matches, complete) of a header cell against any label of ``column``.

    >>> cell_matches("IECMH Consult. Category", FORWARD[0])
    (True, True)
    >>> cell_matches("E / I", FORWARD[2])
    (True, True)
    >>> cell_matches("Demonstrated By", FORWARD[5])
    (True, True)
    >>> cell_matches("As Demonstrated By/ Other", FORWARD[5])
    (True, False)
    """
    if len(text) > _LONGEST_CELL:  # prose, not a header cell: no need to read it
        return False, False
    tokens = _tokens(text)
    results = [_label_match(tokens, label) for label in column.labels]
    return any(m for m, _ in results), any(c for _, c in results)


#: No header cell is longer than this: twice the longest label (room for a split name,
#: ``(cont.)`` and the spaces a layout adds).
_LONGEST_CELL = 2 * max(len(label) for column in (*FORWARD, *REVERSE)
                        for label in column.labels)


# --- the layout of a header row --------------------------------------------------------


def _assign(fields: Sequence[str], columns: Sequence[Column]) -> tuple[list[list[int]], int]:
    """Fields → the columns they name, in order: (the groups found, the index of the
    first field that fits no column, or -1 when all fit).

    An empty field belongs to the column before it (the PDF split that column), and so
    does a field that continues that column's name (``IECMH Endorse`` + ``ment
    Competency``, ``Essential or`` + ``Important``) while the name is not complete.
    """
    groups: list[list[int]] = []
    for index, text in enumerate(fields):
        if not text.strip():
            if not groups:
                return groups, index
            groups[-1].append(index)
            continue
        if groups:
            column = columns[len(groups) - 1]
            begun = " ".join(fields[i].strip() for i in groups[-1] if fields[i].strip())
            if not cell_matches(begun, column)[1] and any(
                    cell_matches(joined, column)[0]
                    for joined in (f"{begun}{text.strip()}", f"{begun} {text.strip()}")):
                groups[-1].append(index)
                continue
        if len(groups) >= len(columns) or not cell_matches(text, columns[len(groups)])[0]:
            return groups, index
        groups.append([index])
    return groups, -1


def _complete(fields: Sequence[str], groups: list[list[int]], columns: Sequence[Column]) -> bool:
    return len(groups) == len(columns) and all(
        _column_complete(fields, group, column) for group, column in zip(groups, columns))


def _column_complete(fields: Sequence[str], group: list[int], column: Column) -> bool:
    joined = " ".join(fields[i].strip() for i in group if fields[i].strip())
    glued = "".join(fields[i].strip() for i in group if fields[i].strip())
    return cell_matches(joined, column)[1] or cell_matches(glued, column)[1]


def is_group_row(fields: Iterable[str]) -> bool:
    """A group row of a two-level header: every non-empty cell is a group label, and
    there are at least two.

    >>> is_group_row(["IECMH Consultation Competencies", "", "", "IECMH Endorsement Competencies"])
    True
    >>> is_group_row(["IECMH Consultation Category", "IECMH Consultation Core Skills"])
    False
    """
    cells = [f for f in fields if f.strip()]
    groups = Column("group", GROUP_LABELS)
    return len(cells) >= 2 and all(cell_matches(cell, groups)[1] and _names_no_column(cell)
                                   for cell in cells)


def is_group_text(text: str) -> bool:
    """A line of prose that is a two-level header's group row: two or more group labels
    one after the other (a reader that saw no cells in it).

    >>> is_group_text("IECMH Consultation Competencies IECMH Endorsement Competencies")
    True
    >>> is_group_text("IECMH consultants see themselves and others.")
    False
    """
    tokens = _tokens(text)
    if not tokens or len(tokens) > 16 or not any(
            _token_matches(tokens[-1], label.split()[-1].lower()) for label in GROUP_LABELS):
        return False
    # reach[i]: how many labels the first i words split into (0: not reached).
    reach = [0] * (len(tokens) + 1)
    reach[0] = 1
    for start in range(len(tokens)):
        if not reach[start]:
            continue
        for end in range(start + 1, len(tokens) + 1):
            if any(_label_match(tokens[start:end], label) == (True, True)
                   for label in GROUP_LABELS):
                reach[end] = max(reach[end], reach[start] + 1)
    return reach[-1] >= 3  # the start counts one: two labels or more


def _names_no_column(cell: str) -> bool:
    """A group label is no column's label in full (``IECMH Consultation Competencies``
    is also a reverse-table column's name; in a group row it stands over columns)."""
    return not any(cell_matches(cell, column)[1] for column in FORWARD)


#: A competency or category code (``1A.``, ``2A. 5.``, ``1C2``): a header holds none.
_CODE = re.compile(r"(?:^|[\s,])[1-8]\s*[A-H](?:\s*\.|\d|\b)")


def _header_like(fields: Sequence[str]) -> bool:
    cells = [f for f in fields if f.strip()]
    if len(cells) < 2 or any(_CODE.search(cell) for cell in cells):
        return False
    named = sum(1 for cell in cells
                if any(cell_matches(cell, c)[1] for c in (*FORWARD, *REVERSE)))
    return named >= 2 and named >= HEADER_LIKE_SHARE * len(cells)


def header_layout(fields: list[str], path: Path, line: int) -> Layout | None:
    """The layout a header line declares, or None if the line is no header.

    A group row over the columns (a two-level header) declares no layout of its own and
    gives :data:`GROUP_ROW`. A row that looks like a header but fits neither table is an
    error naming its first cell that fits no column.
    """
    if not fields or not any(f.strip() for f in fields):
        return None
    attempts = []
    for columns, names in ((FORWARD, FORWARD_COLUMNS), (REVERSE, REVERSE_COLUMNS)):
        groups, stop = _assign(fields, columns)
        if stop == -1 and _complete(fields, groups, columns):
            return Layout(names, tuple(tuple(g) for g in groups))
        attempts.append((len(groups), stop, columns, groups))
    if is_group_row(fields):
        return GROUP_ROW
    if not _header_like(fields):
        return None
    found, stop, columns, groups = max(attempts, key=lambda a: a[0])
    if stop == -1:
        missing = [c.labels[0] for c in columns[len(groups):]]
        raise PipelineError(
            f"table header has {len(groups)} of the {len(columns)} columns"
            + (f" (missing {', '.join(missing)!r})" if missing else " (a column name is cut short)")
            + f": {_quoted(fields)}", path=str(path), line=line,
            hint="the document's table layout changed; the parser needs updating")
    wanted = columns[found].labels[0] if found < len(columns) else "no further column"
    raise PipelineError(
        f"unexpected table header column {stop + 1}: {fields[stop].strip()!r} "
        f"(expected {wanted!r}); the row looks like a header but fits no known layout: "
        f"{_quoted(fields)}", path=str(path), line=line,
        hint="if the document renamed a column, add its wording to the column's labels in "
             "pipeline/extract/crosswalk_header.py")


def _quoted(fields: Sequence[str]) -> str:
    return " | ".join(f.strip() for f in fields)


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
    >>> is_complete_header(["IECMH Consult. Category", "Core Skills", "Ess./ Imp.",
    ...     "IECMH Endorse. Competency", "Knowledge/ Skill Area", "Demonstrated By"])
    True
    """
    fields = list(fields)
    for columns in (FORWARD, REVERSE):
        groups, stop = _assign(fields, columns)
        if stop == -1 and _complete(fields, groups, columns):
            return True
    return False
