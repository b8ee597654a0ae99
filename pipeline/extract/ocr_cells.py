"""A ruled page read cell by cell, in one OCR call: every cell of its tables cut out and
stacked under the rest of the page, with blank paper between them.

Tesseract reads a page as lines that run across it (``--psm 6``, one block). In a ruled
table that is wrong where the cells of a row wrap differently: a cell wrapped onto a
short second line beside a one-line cell is read as one line with it, and the letters
of the two are garbled (``infant/young child development`` read ``Vane child``). A cell
alone cannot be read with its neighbour. Calling Tesseract once per cell would cost a
process a cell (about 0.1 s, 30–60 cells a page); instead the cells are laid out one
under another in a single image (:class:`CellCanvas`), read in one call, and every word
is moved back to where it stands on the page. The page outside the tables (headings,
prose, footnotes) is the top of the same image, with the tables blanked out. An unruled
page's column strips (:mod:`~pipeline.extract.ocr_strips`) are stacked the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from pipeline.extract.ocr import OcrWord, PageImage

#: Blank paper between two stacked cells, and left of each (points): more than a line's
#: spacing, so Tesseract never reads two cells as one line or one paragraph.
GAP_POINTS = 14.0
#: A cell is cut this far (points) inside its ruling lines: the lines are painted out,
#: but their blurred edges leave specks a cell's text does not need.
INSET_POINTS = 1.0
#: A cell with less ink than this (square points) is empty, paper and specks: it is
#: not stacked. (A lone 8-pt ``*`` is about 4 square points of ink, a period 0.6.)
MIN_INK_POINTS = 0.5
#: A blob of ink smaller than this (square points) is a speck, not part of a mark.
MIN_BLOB_POINTS = 0.3
#: A mark's blob (a bullet, a star) is at most this wide and high (points).
MAX_MARK_POINTS = 5.0
#: Tesseract refuses images taller than 32,767 pixels: a page whose cells stack higher
#: is read in more than one canvas.
MAX_HEIGHT = 30000
#: Dark, for counting a cell's ink.
INK_LEVEL = 128


@dataclass(frozen=True)
class Band:
    """Where a stacked piece lies in the canvas (``top``, ``bottom``) and how far its
    words move back onto the page (pixels): page = canvas + (``dx``, ``dy``)."""

    top: int
    bottom: int
    dx: int
    dy: int
    #: a cell (else the page around the tables)
    cell: bool = True


@dataclass(frozen=True, eq=False)
class CellCanvas:
    """The image Tesseract reads for a ruled page, and the bands it is made of."""

    grey: np.ndarray
    bands: tuple[Band, ...]
    pixels_per_point: float = 300 / 72

    def to_page_words(self, words: list[OcrWord]) -> list[OcrWord]:
        """The words read in the canvas, at their place on the page (a word's band is
        the one its centre lies in; a word in the blank between bands is dropped); a
        word that is one mark (:meth:`one_mark`) as one glyph; and the marks Tesseract
        left unread in a cell or strip (:meth:`unread_marks`)."""
        placed = []
        read: dict[int, list[OcrWord]] = {}
        tops = [band.top for band in self.bands]
        for word in words:
            centre = word.top + word.height / 2
            index = int(np.searchsorted(tops, centre, side="right")) - 1
            if index < 0 or centre >= self.bands[index].bottom:
                continue
            read.setdefault(index, []).append(word)
        for index, found in read.items():
            band = self.bands[index]
            for word in found:
                text = self.one_mark(word, found) if band.cell else word.text
                placed.append(OcrWord(text, word.left + band.dx, word.top + band.dy,
                                      word.width, word.height, word.confidence,
                                      word.line_top + band.dy, word.line_height))
        for index, band in enumerate(self.bands):
            if band.cell:
                placed += self.unread_marks(band, read.get(index, []))
        return placed

    @cached_property
    def _blobs(self) -> np.ndarray:
        """The canvas's blobs of ink (left, top, width, height, area in pixels), specks
        left out.

        Labelled slab by slab: a run of rows with ink, cut to its inked columns. No blob
        crosses a row without ink, and a canvas is mostly blank paper (page-wide, its
        cells stacked at its left edge): labelling it whole took some 0.25 s a page,
        most of the time a page read from the cache takes."""
        import cv2

        found = [np.empty((0, 5), np.int32)]
        for top, bottom in true_runs(self.grey.min(axis=1) < INK_LEVEL):
            inked = np.flatnonzero(self.grey[top:bottom].min(axis=0) < INK_LEVEL)
            left, right = int(inked[0]), int(inked[-1]) + 1
            # 1 where darker than INK_LEVEL, else 0: what labelling counts as ink
            _, ink = cv2.threshold(self.grey[top:bottom, left:right], INK_LEVEL - 1, 1,
                                   cv2.THRESH_BINARY_INV)
            count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
            found.append(stats[1:count] + np.array([left, top, 0, 0, 0], np.int32))
        stats = np.concatenate(found)
        stats = stats[stats[:, 4] >= MIN_BLOB_POINTS * self.pixels_per_point ** 2]
        # By the height of their centre (twice it, a whole number), then from the left:
        # the blobs of a band, or of a word's box, are then one slice (_blobs_in).
        return stats[np.lexsort((stats[:, 0], 2 * stats[:, 1] + stats[:, 3]))]

    @cached_property
    def _doubled_middles(self) -> np.ndarray:
        return 2 * self._blobs[:, 1] + self._blobs[:, 3]

    def _blobs_in(self, left: int, top: int, right: int, bottom: int) -> np.ndarray:
        """The blobs whose centre lies in the box."""
        start, end = np.searchsorted(self._doubled_middles, (2 * top, 2 * bottom))
        blobs = self._blobs[start:end]
        x = blobs[:, 0] + blobs[:, 2] / 2
        return blobs[(x >= left) & (x < right)]

    def _is_mark(self, blob) -> bool:
        largest = MAX_MARK_POINTS * self.pixels_per_point
        return blob[2] <= largest and blob[3] <= largest

    def one_mark(self, word: OcrWord, line: list[OcrWord]) -> str:
        """A word read as two or more glyphs (``ss``, ``*:``) over a single small blob of
        ink, alone on its line in its cell or strip, is one mark: one glyph (the ``*``
        among those read, else the first). Counting ink tells a star (one blob) from a
        run of bullets (three), which glyphs read do not."""
        glyphs = word.text.replace(" ", "")
        if len(glyphs) < 2 or len(glyphs) > 5 or any(
                other is not word and other.top < word.top + word.height
                and word.top < other.top + other.height for other in line):
            return word.text
        blobs = self._blobs_in(word.left, word.top, word.left + word.width,
                               word.top + word.height)
        if len(blobs) != 1 or not self._is_mark(blobs[0]):
            return word.text
        return "*" if "*" in glyphs else glyphs[0]

    def unread_marks(self, band: Band, read: list[OcrWord] = ()) -> list[OcrWord]:
        """Marks Tesseract left unread in a cell or strip: on a line of the band where it
        read nothing, a few small blobs in a row (the priority column's bullets, which
        Tesseract takes for specks when they stand alone) give one word of one ``•`` per
        blob, with confidence 0, for the repairs to read (``•••``) or report. Larger
        ink is left unread (it is no mark)."""
        blobs = self._blobs_in(0, band.top, self.grey.shape[1], band.bottom)
        largest = MAX_MARK_POINTS * self.pixels_per_point
        # Blobs on one line: each joins the row whose first blob's middle it overlaps.
        rows: list[list] = []
        for blob in sorted(blobs.tolist(), key=lambda b: b[1]):
            middle = blob[1] + blob[3] / 2
            row = next((r for r in rows if r[0][1] <= middle <= r[0][1] + largest), None)
            if row is None:
                rows.append([blob])
            else:
                row.append(blob)
        marks = []
        for row in rows:
            top = min(b[1] for b in row)
            bottom = max(b[1] + b[3] for b in row)
            if not 1 <= len(row) <= 5 or not all(self._is_mark(b) for b in row) \
                    or bottom - top > largest or any(
                        word.top < bottom and top < word.top + word.height for word in read):
                continue
            left = min(b[0] for b in row)
            right = max(b[0] + b[2] for b in row)
            marks.append(OcrWord("•" * len(row), left + band.dx, top + band.dy,
                                 right - left, bottom - top, 0.0, top + band.dy,
                                 bottom - top))
        return marks


def true_runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of true values of a row of flags, end exclusive.

    >>> true_runs(np.array([0, 1, 1, 0, 0, 1], bool))
    [(1, 3), (5, 6)]
    """
    edges = np.flatnonzero(np.diff(np.concatenate(([0], flags.astype(np.int8), [0]))))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist()))


def cell_canvases(clean: np.ndarray, grids: list, image: PageImage) -> list[CellCanvas]:
    """The canvases of a ruled page (``clean``: the straightened page without its ruling
    lines; ``grids``: its tables' rows of cell boxes in page points, as
    :func:`~pipeline.extract.pdf_layout.ruled_tables` gives them): one, unless the cells
    would stack higher than Tesseract reads (:data:`MAX_HEIGHT`); then the rest go on
    another, read by another call.

    >>> page = np.full((100, 200), 255, np.uint8)
    >>> page[10:20, 10:50] = 0; page[60:70, 20:40] = 0; page[60:70, 120:160] = 0
    >>> at = PageImage(page, 0.0, 0.0, 1.0, 1.0, True)
    >>> (canvas,) = cell_canvases(page, [[[(0, 50, 100, 80), (100, 50, 200, 80)]]], at)
    >>> [(b.top, b.bottom, b.dx, b.dy) for b in canvas.bands]
    [(0, 100, 0, 0), (114, 142, -13, -63), (156, 184, 87, -105)]
    >>> int(canvas.grey[60 + 63, 20 + 13]), int(canvas.grey[60, 30]), int(canvas.grey[15, 20])
    (0, 255, 0)
    """
    scale = image.pixels_per_point
    gap = max(round(GAP_POINTS * scale), 8)
    inset = max(round(INSET_POINTS * scale), 1)
    rows, columns = clean.shape
    rest = clean.copy()
    pieces: list[tuple[np.ndarray, int, int]] = []  # (pixels, page x, page y)
    for grid in grids:
        boxes = [cell for row in grid for cell in row if cell is not None]
        x0, y0 = _pixel(image, min(b[0] for b in boxes), min(b[1] for b in boxes))
        x1, y1 = _pixel(image, max(b[2] for b in boxes), max(b[3] for b in boxes))
        rest[max(y0, 0):max(y1, 0), max(x0, 0):max(x1, 0)] = 255
        for box in boxes:
            left, top = _pixel(image, box[0], box[1])
            right, bottom = _pixel(image, box[2], box[3])
            left, top = max(left + inset, 0), max(top + inset, 0)
            right, bottom = min(right - inset, columns), min(bottom - inset, rows)
            if right - left < 2 or bottom - top < 2:
                continue
            cell = clean[top:bottom, left:right]
            if np.count_nonzero(cell < INK_LEVEL) < MIN_INK_POINTS * scale * scale:
                continue
            pieces.append((cell, left, top))
    # (pixels, where on the page: x, y, where in the canvas: x, whether a cell)
    stack = [(rest, 0, 0, 0, False)] + [(piece, left, top, gap, True)
                                        for piece, left, top in pieces]
    canvases, current, height = [], [], 0
    for item in stack:
        if current and height + item[0].shape[0] + gap > MAX_HEIGHT:
            canvases.append(_stacked(current, gap, columns, scale))
            current, height = [], 0
        current.append(item)
        height += item[0].shape[0] + gap
    return canvases + [_stacked(current, gap, columns, scale)]


def _stacked(items: list, gap: int, columns: int, scale: float) -> CellCanvas:
    """One canvas of ``items`` stacked top to bottom, ``gap`` pixels apart."""
    canvas = np.full((sum(item[0].shape[0] + gap for item in items), columns), 255, np.uint8)
    bands = []
    y = 0
    for piece, left, top, x, cell in items:
        high, wide = piece.shape
        wide = min(wide, columns - x)
        canvas[y:y + high, x:x + wide] = piece[:, :wide]
        bands.append(Band(y, y + high, left - x, top - y, cell))
        y += high + gap
    return CellCanvas(canvas, tuple(bands), scale)


def _pixel(image: PageImage, x: float, top: float) -> tuple[int, int]:
    """The pixel of a page point (the inverse of :meth:`PageImage.to_page`)."""
    return (round((x - image.left) / image.step_x), round((top - image.top) / image.step_y))
