"""Page geometry for the PDF reader: text lines, prose outside tables, ruled pages, and
the columns of a table drawn without lines.

Coordinates are pdfplumber's: points, origin at the top left, ``top`` growing downwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.extract.crosswalk_header import FORWARD, REVERSE, cell_matches, is_complete_header

Box = tuple[float, float, float, float]  # x0, top, x1, bottom

#: Words whose tops differ by less than this share a line (points). Half a line of the
#: smallest text in tables (7–8 pt), so two lines never merge.
LINE_TOLERANCE = 3.0
#: A horizontal gap wider than this separates two cells of one line (points). A space is
#: ~0.3 em (2–3 pt at table sizes); cell padding leaves 6 pt or more between columns.
CELL_GAP = 5.0
#: Header rows wrap over at most this many lines.
MAX_HEADER_LINES = 5
#: In a table read line by line, a step between lines larger than this many times the
#: tightest step (the cells' line spacing) is the gap between two rows: cell padding
#: adds 4–6 pt to a 9–10 pt line spacing in the crosswalk's layout.
ROW_GAP = 1.15


@dataclass(frozen=True)
class Line:
    """Words that share a baseline, left to right."""

    words: tuple[dict, ...]

    @property
    def top(self) -> float:
        return min(w["top"] for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w["bottom"] for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w["text"] for w in self.words)

    def phrases(self) -> list[tuple[float, float, str]]:
        """(x0, x1, text) of the runs of words no wider gap than :data:`CELL_GAP` splits."""
        runs: list[list[dict]] = []
        for word in self.words:
            if runs and word["x0"] - runs[-1][-1]["x1"] <= CELL_GAP:
                runs[-1].append(word)
            else:
                runs.append([word])
        return [(r[0]["x0"], r[-1]["x1"], " ".join(w["text"] for w in r)) for r in runs]

    def crosses(self, boundaries: Sequence[float]) -> bool:
        """Whether a word straddles a column boundary (so the line is no table line)."""
        return any(w["x0"] < b < w["x1"] for w in self.words for b in boundaries)


def text_lines(words: Iterable[dict]) -> list[Line]:
    """Words grouped into lines by their top, top to bottom.

    >>> w = lambda text, x0, top: {"text": text, "x0": x0, "x1": x0 + 5 * len(text),
    ...                            "top": top, "bottom": top + 8}
    >>> [line.text for line in text_lines([w("b", 40, 10.5), w("a", 0, 10), w("c", 0, 30)])]
    ['a b', 'c']
    """
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(word["top"] - lines[-1][0]["top"]) < LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [Line(tuple(sorted(line, key=lambda w: w["x0"]))) for line in lines]


def inside(word: dict, box: Box) -> bool:
    """Whether the word's centre lies in the box."""
    x, y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def is_ruled(page) -> bool:
    """Whether the page draws table lines: a grid has several vertical and horizontal
    edges (an underline or a rule under a heading is one horizontal edge)."""
    return len(page.vertical_edges) >= 3 and len(page.horizontal_edges) >= 3


@dataclass(frozen=True)
class Columns:
    """Where the cells of an unruled table lie: the left edge of each column (text is
    left-aligned under the header, as in the crosswalk)."""

    lefts: tuple[float, ...]


def find_header(lines: Sequence[Line]) -> tuple[int, int, Columns] | None:
    """(first line, number of lines, columns) of the first complete header on a page.

    The header's cells are told apart by the gaps between them; the phrases of its
    lines that overlap horizontally belong to one column. A candidate counts only when
    the column-wise join names every column in full (:func:`is_complete_header`), so
    prose never passes for a header.
    """
    for start in range(len(lines)):
        columns: list[list[float | str]] = []  # [x0, x1, text] per column
        for count in range(1, min(MAX_HEADER_LINES, len(lines) - start) + 1):
            for x0, x1, text in lines[start + count - 1].phrases():
                column = next((c for c in columns if x0 < c[1] and x1 > c[0]), None)
                if column is None:
                    columns.append([x0, x1, text])
                else:
                    column[0], column[1] = min(column[0], x0), max(column[1], x1)
                    column[2] = f"{column[2]} {text}"
            columns.sort(key=lambda c: c[0])
            if is_complete_header(str(c[2]) for c in columns):
                return start, count, Columns(tuple(float(c[0]) - 1 for c in columns))
        anchored = _anchored_header(lines, start)
        if anchored is not None:
            return anchored
    return None


def _anchored_header(lines: Sequence[Line], start: int) -> tuple[int, int, Columns] | None:
    """A header found by where its column names begin, for tables whose cells sit too
    close for :data:`CELL_GAP` to part them (a renderer with little cell padding).

    Reading the header's first line word by word, a word that cannot go on with the
    column name begun but can begin the next column's name (``IECMH``, ``Essential``,
    ``Ess./``, ``Knowledge/`` …) starts that column; where those words start are the
    columns' left edges, and the words of the following lines fall into the columns by
    those edges. As above, only a header named in full counts.
    """
    for table in (FORWARD, REVERSE):
        words = lines[start].words
        if not words or not cell_matches(words[0]["text"], table[0])[0]:
            continue  # a header's first word begins its first column's name
        lefts: list[float] = []
        begun = ""
        for word in words:
            text = word["text"]
            goes_on = bool(lefts) and cell_matches(f"{begun} {text}", table[len(lefts) - 1])[0]
            if len(lefts) < len(table) and not (goes_on and not cell_matches(
                    begun, table[len(lefts) - 1])[1]) and cell_matches(text, table[len(lefts)])[0]:
                lefts.append(word["x0"])
                begun = text
            elif lefts:
                begun = f"{begun} {text}"
        if len(lefts) < len(table):
            continue
        cells = [""] * len(lefts)
        for count in range(1, min(MAX_HEADER_LINES, len(lines) - start) + 1):
            for word in lines[start + count - 1].words:
                column = max((i for i, left in enumerate(lefts) if word["x0"] >= left - 1),
                             default=None)
                if column is None:
                    break
                cells[column] = f"{cells[column]} {word['text']}".strip()
            if is_complete_header(cells):
                return start, count, Columns(tuple(left - 1 for left in lefts))
    return None


def table_region(lines: Sequence[Line], start: int, columns: Columns,
                 stop: int | None = None) -> tuple[Box, int]:
    """The box of the table whose first line is ``lines[start]``, and the index after
    its last line: it ends before the first line that crosses a column boundary (prose,
    a heading), at ``stop`` (the next table's header) or at the end of the page."""
    stop = len(lines) if stop is None else stop
    end = start
    while end < stop and not lines[end].crosses(columns.lefts[1:]):
        end += 1
    region = lines[start:end] or lines[start:start + 1]
    right = max(line.words[-1]["x1"] for line in region)
    # Two points of margin on the right: the table's right line goes 1 pt right of its
    # text, inside the box and near enough the rows' ends to meet them.
    return (columns.lefts[0] - 1, region[0].top - 1, right + 2, region[-1].bottom + 1), end


@dataclass(frozen=True)
class Span:
    """One table of a page: its box, its lines ``start``–``end`` and its columns."""

    box: Box
    start: int
    end: int
    columns: Columns


def table_spans(lines: Sequence[Line], carried: Columns | None) -> list[Span]:
    """Every table of a page, top to bottom.

    A page may hold more than one table: the end of one domain's table, the next
    domain's heading and paragraph, then that domain's table under its own header —
    with its own column widths, as a renderer sizes each table to its content. So every
    header opens a table with the columns it declares, and a table ends at prose (a line
    crossing its columns) or at the next header. Lines above the page's first header
    that fit ``carried`` (the columns of the table in progress on the page before)
    continue that table: a document that does not repeat its header after a page break.
    """
    spans: list[Span] = []
    header = find_header(lines)
    first = header[0] if header is not None else len(lines)
    if carried is not None and first > 0 and not lines[0].crosses(carried.lefts[1:]):
        box, end = table_region(lines, 0, carried, first)
        spans.append(Span(box, 0, end, carried))
    while header is not None:
        start, count, columns = header
        following = find_header(lines[start + count:])
        if following is not None:
            following = (start + count + following[0], *following[1:])
        box, end = table_region(lines, start, columns,
                                following[0] if following is not None else None)
        spans.append(Span(box, start, end, columns))
        header = following
    return spans


def group_lines(tops: Sequence[float]) -> list[list[int]]:
    """The lines of each row of a table read line by line, as indexes, from the tops of
    the lines: lines of one cell follow at the line spacing, rows are further apart.

    With a single spacing (every row one line, or one row) rows and lines cannot be told
    apart, and each line stays a row of its own (the assembler joins continuations).

    >>> group_lines([100, 109, 118, 133, 148, 157])
    [[0, 1, 2], [3], [4, 5]]
    >>> group_lines([100, 115, 130])
    [[0], [1], [2]]
    """
    steps = [b - a for a, b in zip(tops, tops[1:])]
    pitch = min(steps, default=0)
    if pitch <= 0 or max(steps) <= pitch * ROW_GAP:
        return [[i] for i in range(len(tops))]
    groups = [[0]]
    for index, step in enumerate(steps, start=1):
        if step > pitch * ROW_GAP:
            groups.append([index])
        else:
            groups[-1].append(index)
    return groups
