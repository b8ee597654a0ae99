"""One page read by pdfium: its characters, words and ruling lines in pdfplumber's
coordinates, and a ruled page's tables — what a worker of the pdfium engine
(:mod:`~pipeline.extract.pdfium_engine`) does with a page.

pdfium (through pypdfium2, which pdfplumber already depends on) hands over every
character of a page with its box and every path the page draws, and no more: no words,
no tables. The rest is built with :mod:`~pipeline.extract.pdf_layout`, by pdfplumber's
rules and tolerances. What pdfium reports differently, and how it is made to agree:

- coordinates: pdfium's are the PDF's own (origin at the bottom left, before ``/Rotate``);
  they are turned into pdfplumber's as pdfminer and pdfplumber turn theirs
  (:class:`PageFrame`);
- spaces: besides the document's spaces, pdfium makes up spaces (and line breaks) where
  it sees two pieces of text apart, at spots of its own; a made-up line break is dropped
  (lines are found from the positions, as pdfplumber does), a made-up space kept only
  where it parts two words no gap parts (:func:`_made_up_spaces`) — a renderer that draws
  no space glyphs (Chromium) leaves only those;
- a hyphen at the end of a line comes as U+0002 (pdfium's hyphenation marker): it is
  read back as ``-``;
- ligatures come as their letters (pdfium splits ``ﬁ``; pdfplumber's words expand it);
- a glyph whose font maps it to no character comes as its code: written ``(cid:N)`` as
  pdfminer writes it, so :mod:`~pipeline.extract.glyphs` resolves or refuses it as for the
  other engines. A code WinAnsiEncoding leaves unused pdfium already reads as a bullet;
- ruling lines: pdfium gives path objects; their straight axis-parallel pieces are the
  edges pdfplumber makes of lines, rectangles and curves (:func:`_rules`).
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field
from itertools import repeat
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from pipeline.extract.glyphs import resolve
from pipeline.extract.pdf_layout import (
    CHAR_TOLERANCE,
    Chars,
    FoundTable,
    Line,
    Segment,
    is_ruled,
    prose_lines,
    ruled_tables,
    text_lines,
    words_from_chars,
)

if TYPE_CHECKING:
    from pipeline.extract.ocr import OcrReport
    from pipeline.extract.pdf_layout import Span

#: Path points closer than this (points) on one axis make a horizontal or vertical rule.
AXIS_TOLERANCE = 0.01
#: The characters Python calls spaces (``str.isspace``), as pdfplumber does, by code.
_WHITESPACE = np.array([c for c in range(0x3001) if chr(c).isspace()], np.uint32)
_HYPHEN = re.compile("[\ufffe\x02]")  # pdfium's marks of a line-end hyphen


@dataclass(frozen=True)
class PdfiumPage:
    """One page as read for the reader. ``content_bytes`` is what the page's content
    streams decompress to (counted only just past the limit), ``notices`` pdfminer's
    reports of damage while decoding them, ``error`` what stopped pdfium: a page with any
    of these, or over the limit, is not read.

    What pdfium read: the page's text ``lines`` (of words), the characters whose font
    maps them to no character (``unread``: ``text`` ``(cid:N)``, ``fontname``, ``x0``,
    ``top``), whether it is ``ruled``, and a ruled page's ``tables`` and ``prose`` (an
    unruled page's depend on the page before:
    :class:`~pipeline.extract.pdfium_engine.PdfiumTables`)."""

    number: int
    content_bytes: int
    notices: tuple[str, ...] = ()
    error: str | None = None
    lines: list[Line] = field(default_factory=list)
    unread: list[dict] = field(default_factory=list)
    ruled: bool = False
    tables: list[FoundTable] = field(default_factory=list)
    prose: list[tuple[float, str]] = field(default_factory=list)
    #: a page that is only an image (a scan), read by OCR: what OCR did
    ocr: OcrReport | None = None
    #: an unruled page's tables that open with a header (:func:`header_spans`) and their
    #: rows, found where the page was read, as they do not depend on the page before;
    #: None: not yet
    headers: tuple[Span, ...] | None = None
    header_tables: tuple[FoundTable, ...] | None = None
    #: with those: the words outside the tables the headers open (the prose, and what a
    #: table continued from the page before may hold), where ``lines`` keeps only the
    #: lines above the first header (see ``_with_headers`` in
    #: :mod:`~pipeline.extract.pdfium_engine`); None: every word is in ``lines``
    outside_header_tables: list[dict] | None = None

    @property
    def words(self) -> list[dict]:
        """The words of :attr:`lines`."""
        return [word for line in self.lines for word in line.words]

    @property
    def prose_words(self) -> list[dict]:
        """The words among which the page's prose is: those outside the tables found where
        the page was read (:attr:`outside_header_tables`), or else every word."""
        if self.outside_header_tables is not None:
            return self.outside_header_tables
        return self.words


@dataclass(frozen=True)
class PageFrame:
    """How a point of the PDF's user space lands in pdfplumber's coordinates: pdfminer
    turns the page by its ``/Rotate`` and moves the media box's corner to the origin,
    pdfplumber flips the vertical axis and moves the corner back
    (``x' = a·x + c·y + e``, ``top = b·x + d·y + f``). ``box`` is the page's box in
    pdfplumber coordinates, ``turn`` the linear part of the rotation (pdfminer's)."""

    a: float
    b: float
    c: float
    d: float
    e: float
    f: float
    box: tuple[float, float, float, float]
    turn: tuple[float, float, float, float]

    @classmethod
    def of(cls, page) -> PageFrame:
        """The frame of a pdfplumber page (read from its dictionary, not its content).

        >>> class P:  # a landscape A4 page drawn upright, and the same page turned
        ...     class page_obj: mediabox, rotate = (0, 0, 842, 595), 0
        ...     height, mediabox, bbox = 595, (0, 0, 842, 595), (0, 0, 842, 595)
        >>> PageFrame.of(P()).point(100, 500)
        (100.0, 95.0)
        >>> P.page_obj.mediabox, P.page_obj.rotate = (0, 0, 595, 842), 90  # portrait, turned
        >>> PageFrame.of(P()).point(100, 500)
        (500.0, 100.0)
        """
        x0, y0, x1, y1 = (float(v) for v in page.page_obj.mediabox)
        turn, shift = {90: ((0, -1, 1, 0), (-y0, x1)), 180: ((-1, 0, 0, -1), (x1, y1)),
                       270: ((0, 1, -1, 0), (y1, -x0))}.get(
            page.page_obj.rotate, ((1, 0, 0, 1), (-x0, -y0)))
        ta, tb, tc, td = turn
        left, top = float(page.mediabox[0]), float(page.mediabox[1])
        height = float(page.height)
        return cls(ta, -tb, tc, -td, shift[0] + left, height - shift[1] + top,
                   tuple(float(v) for v in page.bbox), turn)

    def point(self, x: float, y: float) -> tuple[float, float]:
        return (self.a * x + self.c * y + self.e, self.b * x + self.d * y + self.f)

    def boxes(self, rects: np.ndarray) -> tuple[np.ndarray, ...]:
        """pdfplumber's (x0, top, x1, bottom) of boxes given as rows of pdfium's
        (left, top, right, bottom) in user space."""
        left, top, right, bottom = (rects[:, i].astype(np.float64) for i in range(4))
        xa, ta = self.a * left + self.c * bottom + self.e, self.b * left + self.d * bottom + self.f
        xb, tb = self.a * right + self.c * top + self.e, self.b * right + self.d * top + self.f
        return np.minimum(xa, xb), np.minimum(ta, tb), np.maximum(xa, xb), np.maximum(ta, tb)

    def upright(self, a: float, b: float, c: float, d: float) -> bool:
        """Whether text drawn with the matrix (a, b, c, d) stands upright on the turned
        page, by pdfminer's test (``LTChar.upright``)."""
        ta, tb, tc, td = self.turn
        a2, b2 = a * ta + b * tc, a * tb + b * td
        c2, d2 = c * ta + d * tc, c * tb + d * td
        return a2 * d2 > 0 and b2 * c2 <= 0


def read_page(document, number: int, size: int, frame: PageFrame,
              ruled_lines: bool = False) -> PdfiumPage:
    """One page read by pdfium: characters, words and ruling lines, and on a ruled page
    its tables and prose; what stops pdfium is the page's ``error``. (A page that is only
    an image is read by OCR instead: :func:`~pipeline.extract.ocr_page.read_scanned_page`.)

    A ruled page's text lines are left out (its tables and prose come read) unless it
    has a glyph to refuse, whose report quotes them, or ``ruled_lines`` asks for them."""
    import pypdfium2.raw as pdfium

    try:
        page = pdfium.FPDF_LoadPage(document.raw, number - 1)
        if not page:
            raise RuntimeError("pdfium cannot load the page")
        try:
            horizontals, verticals, upright = _rules(page, frame)
            textpage = pdfium.FPDFText_LoadPage(page)
            if not textpage:
                raise RuntimeError("pdfium cannot read the page's text")
            try:
                chars, unread = _chars(textpage, frame, upright)
            finally:
                pdfium.FPDFText_ClosePage(textpage)
        finally:
            pdfium.FPDF_ClosePage(page)
        words = words_from_chars(chars)
        ruled = is_ruled(verticals, horizontals)
        lines = text_lines(words) if not ruled or unread or ruled_lines else []
        tables: list[FoundTable] = []
        prose: list[tuple[float, str]] = []
        if ruled:
            tables = [_ruled_table(chars, grid)
                      for grid in ruled_tables(horizontals, verticals, frame.box)]
            prose = [(line.top, resolve(line.text, {})) for line in prose_lines(words, tables)]
    except Exception as error:  # a page pdfium cannot read: say which
        return PdfiumPage(number, size, error=f"{type(error).__name__}: {error}")
    return PdfiumPage(number, size, lines=lines, unread=unread, ruled=ruled, tables=tables,
                      prose=prose)


def _ruled_table(chars: Chars, grid: list[list[tuple | None]]) -> FoundTable:
    """A ruled table with the text of its cells: the characters whose centre lies in a
    cell (left and top edges included), read as words within the cell, the words joined
    with spaces (pdfplumber's ``Table.extract``)."""
    cells = [cell for row in grid for cell in row if cell is not None]
    xs = sorted({x for c in cells for x in (c[0], c[2])})
    ys = sorted({y for c in cells for y in (c[1], c[3])})
    owner = np.full((len(ys), len(xs)), -1, np.int64)  # the cell covering each band
    for index, (x0, top, x1, bottom) in enumerate(cells):
        owner[ys.index(top):ys.index(bottom), xs.index(x0):xs.index(x1)] = index
    texts = [""] * len(cells)
    if len(chars):
        hx, vy = chars.centres()
        column = np.searchsorted(xs, hx, side="right") - 1
        band = np.searchsorted(ys, vy, side="right") - 1
        inside = (column >= 0) & (column < len(xs) - 1) & (band >= 0) & (band < len(ys) - 1)
        cell = np.where(inside, owner[np.clip(band, 0, len(ys) - 1),
                                      np.clip(column, 0, len(xs) - 1)], -1)
        keep = np.flatnonzero(cell >= 0)
        parts: list[list[str]] = [[] for _ in cells]
        for word in words_from_chars(_subset(chars, keep), cell[keep]):
            parts[word["group"]].append(word["text"])
        texts = [" ".join(part) for part in parts]
    text_of = dict(zip(cells, texts))
    bbox = (min(c[0] for c in cells), min(c[1] for c in cells),
            max(c[2] for c in cells), max(c[3] for c in cells))
    return FoundTable(bbox, [["" if c is None else text_of[c] for c in row] for row in grid])


def _subset(chars: Chars, keep: np.ndarray) -> Chars:
    indexes = keep.tolist()
    return Chars([chars.text[i] for i in indexes], chars.x0[keep], chars.top[keep],
                 chars.x1[keep], chars.bottom[keep], chars.upright[keep], chars.space[keep])


def _chars(textpage, frame: PageFrame, upright: bool) -> tuple[Chars, list[dict]]:
    """The characters of a page, spaces included, and those whose font maps them to no
    character."""
    import pypdfium2.raw as pdfium

    count = pdfium.FPDFText_CountChars(textpage)
    if count <= 0:
        empty = np.zeros(0)
        return Chars([], empty, empty, empty, empty, np.zeros(0, bool), np.zeros(0, bool)), []
    text = _page_text(textpage, count)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    space = np.isin(codes, _WHITESPACE)
    # A line break pdfium made up (between two lines) says nothing the positions do not.
    breaks = np.flatnonzero((codes == 10) | (codes == 13)).tolist()
    made_up = [i for i in breaks if pdfium.FPDFText_IsGenerated(textpage, i)]
    keep = np.ones(count, bool)
    keep[made_up] = False
    kept = np.flatnonzero(keep)
    space = space[kept]
    indexes = kept.tolist()
    calls = _PerCharacter.of(textpage)
    rects = (ctypes.c_float * (4 * count))()  # pdfium's FS_RECTF: left, top, right, bottom
    base = ctypes.addressof(rects)
    list(map(calls.loose_box, repeat(calls.page), indexes, (kept * 16 + base).tolist()))
    x0, top, x1, bottom = frame.boxes(np.frombuffer(rects, np.float32).reshape(count, 4)[kept])
    if upright:
        standing = np.ones(len(indexes), bool)
    else:
        matrix = pdfium.FS_MATRIX()
        standing = np.array([bool(pdfium.FPDFText_GetMatrix(textpage, i, matrix))
                             and frame.upright(matrix.a, matrix.b, matrix.c, matrix.d)
                             for i in indexes], bool)
    drop = _made_up_spaces(space, x0, top, x1, bottom, standing)
    texts = [text[i] for i in indexes]
    letters = np.flatnonzero(~space)
    unmapped = letters[np.fromiter(map(calls.unmapped, repeat(calls.page), kept[letters].tolist()),
                                   bool, len(letters))].tolist()
    unread = []
    for position in unmapped:
        texts[position] = f"(cid:{ord(texts[position])})"
        unread.append({"text": texts[position],
                       "fontname": _font_name(textpage, indexes[position]),
                       "x0": float(x0[position]), "top": float(top[position])})
    marked = set(unmapped)
    for position in np.flatnonzero(np.isin(kept, [m.start() for m in _HYPHEN.finditer(text)])):
        if position not in marked:  # pdfium's marker of a line-end hyphen
            code = pdfium.FPDFText_GetUnicode(textpage, indexes[position])
            texts[position] = "-" if code == 2 else f"(cid:{code})"
    chars = Chars(texts, x0, top, x1, bottom, standing, space)
    return (_subset(chars, np.flatnonzero(~drop)) if drop.any() else chars), unread


class _PerCharacter(NamedTuple):
    """The two pdfium calls made for every character, called with plain addresses:
    pypdfium2's bindings check each argument's pointer type, which for some 3,000
    characters a page costs more than the calls themselves."""

    page: int
    loose_box: object
    unmapped: object

    @classmethod
    def of(cls, textpage) -> _PerCharacter:
        import pypdfium2.raw as pdfium

        def plain(function, *arguments):
            address = ctypes.cast(function, ctypes.c_void_p).value
            return ctypes.CFUNCTYPE(ctypes.c_int, *arguments)(address)

        return cls(ctypes.cast(textpage, ctypes.c_void_p).value,
                   plain(pdfium.FPDFText_GetLooseCharBox, ctypes.c_void_p, ctypes.c_int,
                         ctypes.c_void_p),
                   plain(pdfium.FPDFText_HasUnicodeMapError, ctypes.c_void_p, ctypes.c_int))


def _made_up_spaces(space: np.ndarray, x0: np.ndarray, top: np.ndarray, x1: np.ndarray,
                    bottom: np.ndarray, upright: np.ndarray) -> np.ndarray:
    """The spaces pdfium made up (where it saw two pieces of text apart) that part two
    words no gap parts, given their place between the two, in place; the others, to be
    dropped, as a mask.

    pdfium gives such a space no extent and a spot that need not lie between the words
    (at a ligature's start; after a whole piece of text on a turned page). It matters only
    between two characters on one line whose gap is too narrow to part them by itself (a
    renderer that draws no space glyphs, as Chromium): there it goes half-way across the
    gap; anywhere else it could only part what it should not, and is dropped."""
    drop = space & (x1 - x0 < 1e-3) & (bottom - top < 1e-3)
    made_up = np.flatnonzero(drop[1:-1]) + 1  # the first and last characters part nothing
    if not len(made_up):
        return drop
    drop[made_up] = False
    before, after = made_up - 1, made_up + 1
    upright[made_up] = upright[before]
    # (across, along) the line: upright text's lines run along x, vertical text's along top.
    for which, (start, stop, low, high) in ((upright[made_up], (top, bottom, x0, x1)),
                                            (~upright[made_up], (x0, x1, top, bottom))):
        at, one, other = made_up[which], before[which], after[which]
        forward = low[other] + high[other] >= low[one] + high[one]
        gap = np.where(forward, low[other] - high[one], low[one] - high[other])
        parts = ((np.abs(start[other] - start[one]) <= CHAR_TOLERANCE) & ~space[other]
                 & (upright[other] == upright[one]) & (gap <= CHAR_TOLERANCE))
        low[at] = high[at] = np.where(forward, high[one] + low[other], high[other] + low[one]) / 2
        start[at], stop[at] = start[one], stop[one]
        drop[at[~parts]] = True
    return drop


def _page_text(textpage, count: int) -> str:
    """The page's characters, one per character index."""
    import pypdfium2.raw as pdfium

    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium.FPDFText_GetText(textpage, 0, count, buffer)
    text = bytes(buffer)[:max(written - 1, 0) * 2].decode("utf-16-le", "surrogatepass")
    if len(text) == count:
        return text
    # pdfium leaves control characters out of its text and writes characters beyond
    # U+FFFF as two: ask character by character.
    return "".join(map(chr, map(pdfium.FPDFText_GetUnicode, repeat(textpage, count),
                                range(count))))


def _font_name(textpage, index: int) -> str:
    """The font of a character, by its base font name (subset prefix and all, as
    pdfminer gives it)."""
    import pypdfium2.raw as pdfium

    font = pdfium.FPDFTextObj_GetFont(pdfium.FPDFText_GetTextObject(textpage, index))
    if not font:
        return "?"
    size = pdfium.FPDFFont_GetBaseFontName(font, None, 0)
    buffer = ctypes.create_string_buffer(size)
    pdfium.FPDFFont_GetBaseFontName(font, buffer, size)
    return buffer.value.decode("utf-8", "replace")


def _rules(page, frame: PageFrame) -> tuple[list[Segment], list[Segment], bool]:
    """The horizontal (top, x0, x1) and vertical (x, top, bottom) segments of the paths
    a page fills or strokes, in pdfplumber coordinates — a rectangle gives its four
    sides, a line itself, any path each straight axis-parallel piece, as pdfplumber's
    edges — and whether all its text stands upright."""
    import pypdfium2.raw as pdfium

    horizontals: list[Segment] = []
    verticals: list[Segment] = []
    upright = True
    count = pdfium.FPDFPage_CountObjects(page)
    pending = [(pdfium.FPDFPage_GetObject(page, i), (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
               for i in range(count)]
    matrix = pdfium.FS_MATRIX()
    while pending:
        item, outer = pending.pop()
        kind = pdfium.FPDFPageObj_GetType(item)
        if kind not in (pdfium.FPDF_PAGEOBJ_PATH, pdfium.FPDF_PAGEOBJ_FORM,
                        pdfium.FPDF_PAGEOBJ_TEXT) or not pdfium.FPDFPageObj_GetMatrix(item, matrix):
            continue
        own = _times((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
        if kind == pdfium.FPDF_PAGEOBJ_FORM:
            pending += [(pdfium.FPDFFormObj_GetObject(item, i), own)
                        for i in range(pdfium.FPDFFormObj_CountObjects(item))]
        elif kind == pdfium.FPDF_PAGEOBJ_TEXT:
            upright = upright and frame.upright(*own[:4])
        else:
            for a, b in _path_pieces(item, own, frame):
                if abs(a[0] - b[0]) <= AXIS_TOLERANCE and abs(a[1] - b[1]) > AXIS_TOLERANCE:
                    verticals.append(((a[0] + b[0]) / 2, min(a[1], b[1]), max(a[1], b[1])))
                elif abs(a[1] - b[1]) <= AXIS_TOLERANCE and abs(a[0] - b[0]) > AXIS_TOLERANCE:
                    horizontals.append(((a[1] + b[1]) / 2, min(a[0], b[0]), max(a[0], b[0])))
    return horizontals, verticals, upright


def _path_pieces(item, matrix: tuple[float, ...], frame: PageFrame):
    """The straight pieces (pairs of points, pdfplumber coordinates) of a painted path:
    from each point to the next, a Bézier curve taken from its start to its end point (as
    pdfminer keeps it), a closed subpath back to its start."""
    import pypdfium2.raw as pdfium

    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium.FPDFPath_GetDrawMode(item, fill, stroke) or (not fill.value and not stroke.value):
        return []  # a path neither filled nor stroked is not drawn
    x, y = ctypes.c_float(), ctypes.c_float()
    a, b, c, d, e, f = matrix
    pieces = []
    start = last = None
    curve = 0
    for index in range(pdfium.FPDFPath_CountSegments(item)):
        segment = pdfium.FPDFPath_GetPathSegment(item, index)
        kind = pdfium.FPDFPathSegment_GetType(segment)
        pdfium.FPDFPathSegment_GetPoint(segment, x, y)
        point = frame.point(a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if kind == pdfium.FPDF_SEGMENT_MOVETO:
            start = last = point
            curve = 0
            continue
        if kind == pdfium.FPDF_SEGMENT_BEZIERTO:
            curve += 1
            if curve % 3:
                continue  # a control point
        if last is not None and point != last:
            pieces.append((last, point))
        last = point
        if pdfium.FPDFPathSegment_GetClose(segment) and start is not None and last != start:
            pieces.append((last, start))
            last = start
    return pieces


def _times(first: tuple[float, ...], then: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix applying ``first``, then ``then`` (PDF's row-vector convention)."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = then
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)
