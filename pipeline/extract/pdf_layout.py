"""Page geometry for the PDF reader: text lines, prose outside tables, ruled pages, the
columns of a table drawn without lines — and, for the pdfium engine, which has only
characters and path segments, words from characters and cells from ruling lines.

Coordinates are pdfplumber's: points, origin at the top left, ``top`` growing downwards.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from operator import itemgetter

import numpy as np

from pipeline.extract.crosswalk_header import FORWARD, REVERSE, is_complete_header
from pipeline.extract.crosswalk_header import cell_matches as _cell_matches
from pipeline.extract.header_pieces import may_be_header_line

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


#: The header matcher, remembered: the words a page is searched with (``IECMH``,
#: ``Consultation``, ``1A.``) come back on every page, and every line is tried as a start.
cell_matches = lru_cache(maxsize=1 << 15)(_cell_matches)


#: A word the header matcher reads as one word and nothing else (no ``(cont.)``, ``®``
#: or hyphen it would drop or join): when such a word cannot begin a column's name, no
#: text that begins with it can (the matcher reads a cell's words in order).
_PLAIN_WORD = re.compile(r"[^\W_]+[.,;:]?")


def may_begin_header(text: str) -> bool:
    """Whether ``text`` may be the first cell of a header: it names (the start of) the
    first column of the forward or the reverse table. :func:`is_complete_header` asks
    this of a row's first cell before anything else, so a row whose first cell fails
    is no header. Asked here once per text, and first of the text's first word: a page
    tried line by line asks it of thousands of texts, most beginning with a word that
    no header begins with (``1A.``, ``ment,``).

    >>> may_begin_header("IECMH Consult."), may_begin_header("1A. IECMH"), may_begin_header("")
    (True, False, False)
    """
    first = text.split(None, 1)
    if not first:
        return False
    word = first[0]
    if (_PLAIN_WORD.fullmatch(word) and word.rstrip(".,;:").lower() != "continued"
            and not _names_first_column(word)):
        return False
    return _names_first_column(text)


@lru_cache(maxsize=1 << 15)
def _names_first_column(text: str) -> bool:
    return any(cell_matches(text, table[0])[0] for table in (FORWARD, REVERSE))


@dataclass(frozen=True)
class Line:
    """Words that share a baseline, left to right."""

    words: tuple[dict, ...]

    @cached_property
    def top(self) -> float:
        return min(w["top"] for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w["bottom"] for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w["text"] for w in self.words)

    @cached_property
    def phrases(self) -> list[tuple[float, float, str]]:
        """(x0, x1, text) of the runs of words no wider gap than :data:`CELL_GAP` splits."""
        runs: list[list[dict]] = []
        for word in self.words:
            if runs and word["x0"] - runs[-1][-1]["x1"] <= CELL_GAP:
                runs[-1].append(word)
            else:
                runs.append([word])
        return [(r[0]["x0"], r[-1]["x1"], " ".join(w["text"] for w in r)) for r in runs]

    @cached_property
    def may_be_header(self) -> bool:
        """False when a word of the line can be no part of a header
        (:func:`~pipeline.extract.header_pieces.may_be_header_line`)."""
        return may_be_header_line(self.text)

    def crosses(self, boundaries: Sequence[float]) -> bool:
        """Whether a word straddles a column boundary (so the line is no table line)."""
        for word in self.words:  # plain loops: asked of every line of every table
            x0, x1 = word["x0"], word["x1"]
            for boundary in boundaries:
                if x0 < boundary < x1:
                    return True
        return False


def text_lines(words: Iterable[dict]) -> list[Line]:
    """Words grouped into lines by their top, top to bottom.

    >>> w = lambda text, x0, top: {"text": text, "x0": x0, "x1": x0 + 5 * len(text),
    ...                            "top": top, "bottom": top + 8}
    >>> [line.text for line in text_lines([w("b", 40, 10.5), w("a", 0, 10), w("c", 0, 30)])]
    ['a b', 'c']
    """
    lines: list[list[dict]] = []
    for word in sorted(words, key=_TOP_THEN_LEFT):
        if lines and abs(word["top"] - lines[-1][0]["top"]) < LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [Line(tuple(sorted(line, key=_LEFT))) for line in lines]


# The sort keys of a page's words (C-level look-ups: thousands of words a page).
_TOP_THEN_LEFT, _LEFT = itemgetter("top", "x0"), itemgetter("x0")


@dataclass(frozen=True)
class FoundTable:
    """A table of a page, as an engine found it: a box and rows of cell strings (a cell's
    lines joined by ``\\n``). ``tops`` (the top of each row) is given when the engine read
    the table line by line (no ruling lines), so the reader can join lines into rows.
    ``headers`` are the headers among its rows when already found where the page was read
    (:func:`~pipeline.extract.part_headers.with_headers_found`); a copy with other rows
    must not keep them."""

    bbox: Box
    rows: list[list[str]]
    tops: list[float] | None = None
    headers: tuple[tuple[int, int, list[str]], ...] | None = None


def prose_lines(words: Iterable[dict], tables: Iterable[FoundTable]) -> list[Line]:
    """The lines of the words outside every table's box: a page's prose."""
    return text_lines(words_outside(words, [t.bbox for t in tables]))


def words_outside(words: Iterable[dict], boxes: Sequence[Box]) -> list[dict]:
    """The words whose centre lies in none of the boxes, in their order."""
    kept = []
    for word in words:  # :func:`inside` of every box, the word's centre taken once
        x, y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
        # A plain loop: a generator per word (``any``) cost three times the test itself.
        for x0, top, x1, bottom in boxes:
            if x0 <= x <= x1 and top <= y <= bottom:
                break
        else:
            kept.append(word)
    return kept


def inside(word: dict, box: Box) -> bool:
    """Whether the word's centre lies in the box."""
    x, y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def is_ruled(verticals: Sequence, horizontals: Sequence) -> bool:
    """Whether a page with these vertical and horizontal edges draws table lines: a grid
    has several of each (an underline or a rule under a heading is one horizontal edge)."""
    return len(verticals) >= 3 and len(horizontals) >= 3


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

    Every word of the lines joined into a header names (part of) a column, and every
    word of its first line does under either reading: a line with a word that cannot
    (:attr:`Line.may_be_header`) begins no header, and no header joined by gaps reaches
    past it. Skipped so, most lines cost one look at their words.
    """
    for start in range(len(lines)):
        if not lines[start].may_be_header:
            continue
        columns: list[list[float | str]] = []  # [x0, x1, text] per column
        for count in range(1, min(MAX_HEADER_LINES, len(lines) - start) + 1):
            if not lines[start + count - 1].may_be_header:
                break
            for x0, x1, text in lines[start + count - 1].phrases:
                column = next((c for c in columns if x0 < c[1] and x1 > c[0]), None)
                if column is None:
                    columns.append([x0, x1, text])
                else:
                    column[0], column[1] = min(column[0], x0), max(column[1], x1)
                    column[2] = f"{column[2]} {text}"
            columns.sort(key=lambda c: c[0])
            if may_begin_header(str(columns[0][2])) and is_complete_header(
                    str(c[2]) for c in columns):
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
            # Asked in this order, the question about the word alone (remembered) spares
            # most questions about the name begun, which grows with every word.
            if (len(lefts) < len(table) and cell_matches(text, table[len(lefts)])[0]
                    and not (lefts and cell_matches(f"{begun} {text}", table[len(lefts) - 1])[0]
                             and not cell_matches(begun, table[len(lefts) - 1])[1])):
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
            if may_begin_header(cells[0]) and is_complete_header(cells):
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


def table_spans(lines: Sequence[Line], carried: Columns | None,
                headers: Sequence[Span] | None = None) -> list[Span]:
    """Every table of a page, top to bottom.

    A page may hold more than one table: the end of one domain's table, the next
    domain's heading and paragraph, then that domain's table under its own header —
    with its own column widths, as a renderer sizes each table to its content. So every
    header opens a table with the columns it declares, and a table ends at prose (a line
    crossing its columns) or at the next header. Lines above the page's first header
    that fit ``carried`` (the columns of the table in progress on the page before)
    continue that table: a document that does not repeat its header after a page break.
    ``headers`` are the page's :func:`header_spans` if already found (where the page was
    read, in a worker of the pool: they do not depend on the page before).
    """
    headers = header_spans(lines) if headers is None else headers
    first = headers[0].start if headers else len(lines)
    if carried is not None and first > 0 and not lines[0].crosses(carried.lefts[1:]):
        box, end = table_region(lines, 0, carried, first)
        return [Span(box, 0, end, carried), *headers]
    return list(headers)


def header_spans(lines: Sequence[Line]) -> list[Span]:
    """The tables of a page that open with a header, top to bottom: the part of
    :func:`table_spans` that does not depend on the page before."""
    spans: list[Span] = []
    header = find_header(lines)
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


def span_rows(lines: Sequence[Line], span: Span) -> tuple[list[list[str]], list[float]]:
    """The rows of an unruled table, one per text line, and their tops: each word in the
    column whose left edge is the last left of its centre (the pdfplumber engine's
    explicit lines at the same edges part the cells the same way).

    >>> w = lambda text, x0: {"text": text, "x0": x0, "x1": x0 + 10, "top": 0, "bottom": 8}
    >>> span = Span((0, 0, 100, 10), 0, 1, Columns((0.0, 40.0)))
    >>> span_rows([Line((w("1A.", 1), w("Text", 41), w("more", 55)))], span)
    ([['1A.', 'Text more']], [0])
    """
    lefts = span.columns.lefts
    rows, tops = [], []
    for line in lines[span.start:span.end]:
        cells: list[list[str]] = [[] for _ in lefts]
        for word in line.words:
            centre = (word["x0"] + word["x1"]) / 2
            cells[max(bisect_right(lefts, centre) - 1, 0)].append(word["text"])
        rows.append([" ".join(cell) for cell in cells])
        tops.append(line.top)
    return rows, tops


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


# --- Words from characters, cells from ruling lines (the pdfium engine) ------------------
#
# pdfplumber builds words and ruled cells itself; the pdfium engine has only characters with
# their boxes and the page's path segments, and builds both here, by pdfplumber's rules and
# tolerances, so that the two engines read a page into the same words and the same cells.

#: pdfplumber's ``x_tolerance`` / ``y_tolerance``: a gap wider than this between two
#: characters of a line starts a new word; tops further apart than this are other lines.
CHAR_TOLERANCE = 3.0
#: pdfplumber's ``snap``, ``join`` and ``intersection`` tolerances of the ``lines`` strategy.
SNAP_TOLERANCE = 3.0
#: Ruling segments shorter than this are dropped before the grid is built (pdfplumber's
#: ``edge_min_length_prefilter``), and shorter than ``MIN_RULE`` after joining.
MIN_SEGMENT, MIN_RULE = 1.0, 3.0
#: Ligature glyphs and their letters, as pdfplumber expands them in words.
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}


@dataclass(frozen=True)
class Chars:
    """A page's characters, column-wise (numpy arrays, one entry per character, in the
    order the PDF library gives them), in pdfplumber coordinates. ``space`` marks the
    spaces (of any kind), which end words and belong to none."""

    text: list[str]
    x0: np.ndarray
    top: np.ndarray
    x1: np.ndarray
    bottom: np.ndarray
    upright: np.ndarray
    space: np.ndarray

    def __len__(self) -> int:
        return len(self.text)

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        return (self.x0 + self.x1) / 2, (self.top + self.bottom) / 2


def words_from_chars(chars: Chars, groups: np.ndarray | None = None) -> list[dict]:
    """The words of ``chars`` as pdfplumber's ``extract_words()`` gives them (``text``,
    ``x0``, ``x1``, ``top``, ``bottom``; with ``groups``, the ``group`` of its characters).

    pdfplumber's rules: characters are read in runs of the same orientation; a run's
    characters fall into lines whose tops lie within :data:`CHAR_TOLERANCE` of the next
    (vertical text: their left edges), each line is read left to right (top to bottom),
    and a word ends at a space, at a gap wider than :data:`CHAR_TOLERANCE`, or where the
    next character is on another line. ``groups`` (e.g. the cell each character lies in)
    keeps words and lines within their group, as reading each group's characters alone
    would.

    >>> def chars(*specs):  # (text, x0, top)
    ...     a = lambda i: np.array([s[i] for s in specs], dtype=float)
    ...     return Chars([s[0] for s in specs], a(1), a(2), a(1) + 5, a(2) + 8,
    ...                  np.ones(len(specs), bool), np.array([s[0] == " " for s in specs]))
    >>> [w["text"] for w in words_from_chars(chars(
    ...     ("b", 5, 10), ("a", 0, 10.5), ("c", 14, 10), (" ", 19, 10), ("d", 20, 11),
    ...     ("ﬁ", 0, 30)))]
    ['ab', 'c', 'd', 'fi']
    """
    count = len(chars)
    if not count or chars.space.all():
        return []
    grouped = groups is not None
    groups = np.asarray(groups, np.int64) if grouped else np.zeros(count, np.int64)
    # Runs of one orientation are read apart (pdfplumber groups consecutive characters).
    runs = np.concatenate(([0], np.cumsum(chars.upright[1:] != chars.upright[:-1])))
    upright = chars.upright
    line = np.where(upright, chars.top, chars.x0)  # where a character's line is
    along = np.where(upright, chars.x0, chars.top)  # where it lies on its line
    end = np.where(upright, chars.x1, chars.bottom)
    # Lines: chained clusters of ``line`` within a run and group.
    by_line = np.lexsort((line, runs, groups))
    step = np.diff(line[by_line]) > CHAR_TOLERANCE
    apart = (np.diff(groups[by_line]) != 0) | (np.diff(runs[by_line]) != 0)
    cluster = np.empty(count, np.int64)
    cluster[by_line] = np.concatenate(([0], np.cumsum(step | apart)))
    # Reading order: line by line, along each line (pdfplumber sorts vertical text by top,
    # then bottom); ties keep the library's order. A space ends the word before it and
    # begins none.
    order = np.lexsort((np.where(upright, chars.x0, chars.bottom), along, cluster))
    spaced = chars.space[order]
    after_space = np.concatenate(([False], spaced[:-1]))[~spaced]
    order = order[~spaced]
    begins = np.ones(len(order), bool)
    prev, cur = order[:-1], order[1:]
    begins[1:] = ((cluster[cur] != cluster[prev]) | after_space[1:]
                  | (along[cur] < along[prev]) | (along[cur] > end[prev] + CHAR_TOLERANCE)
                  | (np.abs(line[cur] - line[prev]) > CHAR_TOLERANCE))
    starts = np.flatnonzero(begins)
    texts = chars.text
    if not LIGATURES.keys().isdisjoint(texts):
        texts = [LIGATURES.get(t, t) for t in texts]
    in_order = [texts[i] for i in order.tolist()]
    joined = "".join(in_order)
    ends = np.cumsum(np.fromiter(map(len, in_order), np.int64, len(in_order)))
    cuts = [0, *ends[starts[1:] - 1].tolist(), len(joined)]
    words = [{"text": joined[a:b], "x0": x0, "x1": x1, "top": top, "bottom": bottom}
             for a, b, x0, x1, top, bottom in zip(
                 cuts, cuts[1:],
                 np.minimum.reduceat(chars.x0[order], starts).tolist(),
                 np.maximum.reduceat(chars.x1[order], starts).tolist(),
                 np.minimum.reduceat(chars.top[order], starts).tolist(),
                 np.maximum.reduceat(chars.bottom[order], starts).tolist())]
    if grouped:
        for word, group in zip(words, groups[order[starts]].tolist()):
            word["group"] = group
    return words


Segment = tuple[float, float, float]  # a ruling line: (position, start, end)


def ruled_tables(horizontals: Sequence[Segment], verticals: Sequence[Segment],
                 page_box: Box) -> list[list[list[Box | None]]]:
    """The tables a page's ruling lines draw, top to bottom, each as rows of cell boxes
    (``None`` where a cell of the row above or to the left spans the position), by
    pdfplumber's ``lines`` strategy with its default tolerances.

    ``horizontals`` are (top, x0, x1), ``verticals`` (x, top, bottom). As the pdfplumber
    engine does, the table is closed at the ends of the vertical rules: a row cut by the
    page break often has no line under it (or none above its rest on the next page).

    >>> grid = ruled_tables([(10, 0, 100), (30, 0, 100)],
    ...                     [(0, 10, 50), (40, 10, 50), (100, 10, 50)], (0, 0, 612, 792))
    >>> [[cell and cell[:2] for cell in row] for table in grid for row in table]
    [[(0.0, 10.0), (40.0, 10.0)], [(0.0, 30.0), (40.0, 30.0)]]
    """
    ends = (min(v[1] for v in verticals), max(v[2] for v in verticals)) if verticals else ()
    horizontals = [h for h in horizontals if h[2] - h[1] >= MIN_SEGMENT]
    verticals = [v for v in verticals if v[2] - v[1] >= MIN_SEGMENT]
    horizontals += [(end, page_box[0], page_box[2]) for end in ends]
    rules_h = [r for r in _merged(horizontals) if r[2] - r[1] >= MIN_RULE]
    rules_v = [r for r in _merged(verticals) if r[2] - r[1] >= MIN_RULE]
    tolerance = SNAP_TOLERANCE
    meets: dict[tuple[float, float], tuple[set[int], set[int]]] = {}
    for iv, (x, top, bottom) in sorted(enumerate(rules_v), key=lambda e: e[1][:2]):
        for ih, (y, left, right) in sorted(enumerate(rules_h), key=lambda e: e[1][:2]):
            if (top <= y + tolerance and bottom >= y - tolerance
                    and left - tolerance <= x <= right + tolerance):
                point = meets.setdefault((x, y), (set(), set()))
                point[0].add(iv)
                point[1].add(ih)
    return [_rows(cells) for cells in _tables(_cells(meets))]


def _merged(segments: Sequence[Segment]) -> list[Segment]:
    """Segments snapped to the mean position of their cluster (positions within
    :data:`SNAP_TOLERANCE` of the next), then joined along each position where one
    starts within the tolerance of the previous one's end (pdfplumber's merge_edges)."""
    if not segments:
        return []
    ordered = sorted(segments, key=lambda s: s[0])
    clusters: list[list[Segment]] = [[ordered[0]]]
    for segment in ordered[1:]:
        if segment[0] <= clusters[-1][-1][0] + SNAP_TOLERANCE:
            clusters[-1].append(segment)
        else:
            clusters.append([segment])
    joined: list[Segment] = []
    for cluster in clusters:
        at = sum(s[0] for s in cluster) / len(cluster)
        run: list[float] | None = None
        for _, start, end in sorted(cluster, key=lambda s: s[1]):
            if run is not None and start <= run[1] + SNAP_TOLERANCE:
                run[1] = max(run[1], end)
                continue
            if run is not None:
                joined.append((at, run[0], run[1]))
            run = [start, end]
        joined.append((at, run[0], run[1]))
    return joined


def _cells(meets: dict[tuple[float, float], tuple[set[int], set[int]]]) -> list[Box]:
    """The smallest cell whose top-left corner is each intersection (pdfplumber's
    intersections_to_cells): corners joined by a common rule on all four sides."""
    points = sorted(meets)

    def joined(a: tuple[float, float], b: tuple[float, float]) -> bool:
        return bool((a[0] == b[0] and meets[a][0] & meets[b][0])
                    or (a[1] == b[1] and meets[a][1] & meets[b][1]))

    cells = []
    for index, point in enumerate(points):
        rest = points[index + 1:]
        below = [p for p in rest if p[0] == point[0]]
        right = [p for p in rest if p[1] == point[1]]
        cell = next(((point[0], point[1], r[0], b[1]) for b in below if joined(point, b)
                     for r in right if joined(point, r)
                     if (r[0], b[1]) in meets and joined((r[0], b[1]), r)
                     and joined((r[0], b[1]), b)), None)
        if cell is not None:
            cells.append(cell)
    return cells


def _tables(cells: list[Box]) -> list[list[Box]]:
    """Cells grouped into tables by shared corners, top to bottom; a lone cell is no
    table (pdfplumber's cells_to_tables)."""
    def corners(c: Box) -> set[tuple[float, float]]:
        return {(c[0], c[1]), (c[0], c[3]), (c[2], c[1]), (c[2], c[3])}

    remaining = list(cells)
    tables = []
    while remaining:
        table = [remaining.pop(0)]
        points = corners(table[0])
        grew = True
        while grew:
            touching = [cell for cell in remaining if corners(cell) & points]
            for cell in touching:
                remaining.remove(cell)
                points |= corners(cell)
            table += touching
            grew = bool(touching)
        tables.append(table)
    tables = sorted(tables, key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


def _rows(cells: list[Box]) -> list[list[Box | None]]:
    """A table's cells as rows (cells sharing a top), each with a place per column (the
    table's distinct left edges), ``None`` where no cell begins."""
    columns = sorted({c[0] for c in cells})
    rows: dict[float, dict[float, Box]] = {}
    for cell in sorted(cells, key=lambda c: (c[1], c[0])):
        rows.setdefault(cell[1], {})[cell[0]] = cell
    return [[row.get(x) for x in columns] for _, row in sorted(rows.items())]
