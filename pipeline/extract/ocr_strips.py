"""An unruled page cut into the strips its white gutters part, for reading column by
column as a ruled page is read cell by cell (:mod:`~pipeline.extract.ocr_cells`).

A table drawn without lines still has its columns: white vertical gutters that run down
all of its lines. Tesseract's one-block mode reads a page as lines across it, and a
cell wrapped onto a short second line beside a one-line cell is read as one line with
it, garbled (``infant/young child development`` → ``Vane child``). A column strip read
alone cannot be.

The gutters are found in the image, before any OCR, so the page still costs one
Tesseract call: the lines of text are the runs of inked pixel rows; consecutive lines
are gathered into a block as long as at least :data:`MIN_GUTTERS` white runs at least
:data:`GUTTER_POINTS` wide cross every one of them between the block's first and last
ink (a line of prose or a heading crosses the gutters and ends the block). Each block
with gutters becomes one row of boxes, one per strip, cut at the middle of each gutter;
:func:`~pipeline.extract.ocr_cells.cell_canvases` then stacks them as it stacks a ruled
table's cells. A cut lies only where every line of the block is white, so it never cuts
a letter: a gutter that is no column boundary (two words of a short block far apart)
only parts words that the layout puts together again by their place on the page.
"""

from __future__ import annotations

import numpy as np

from pipeline.extract.ocr import PageImage
from pipeline.extract.ocr_cells import true_runs

#: A white run at least this wide (points) down every line of a block is a gutter: a
#: column gap (6 pt or more of cell padding, less the blur of a scan), never a space
#: between words (2–3 pt at table sizes) once the block has a few lines.
GUTTER_POINTS = 2.5
#: A table has at least this many column edges besides its left margin.
MIN_GUTTERS = 2
#: Text of this many lines beginning at one x after a gutter marks a column's left edge.
MIN_ALIGNED = 4
#: A column's edge begins at least this many times as many lines as run across it.
CROSSED_RATIO = 2
#: A column is at least this wide (points): words, not one mark.
MIN_COLUMN_POINTS = 15.0
#: How far (points) the left ends of a column's lines may wander in a straightened scan.
ALIGN_JITTER_POINTS = 0.75
#: Inked pixel rows closer than this (points) belong to one line (an ``i``'s dot, a
#: comma's tail), further apart to two.
LINE_JOIN_POINTS = 1.0
#: A band of ink lower than this (points) is a speck, not a line of text.
MIN_LINE_POINTS = 2.0
#: A pixel darker than this is ink.
INK_LEVEL = 128


def text_bands(ink: np.ndarray, pixels_per_point: float) -> list[tuple[int, int]]:
    """The (top, bottom) pixel rows of the page's lines of text, top to bottom.

    >>> ink = np.zeros((40, 10), bool); ink[2:8, 1] = True; ink[9, 2] = True
    >>> ink[20:27, 3] = True; ink[35, 3] = True
    >>> text_bands(ink, 2.0)
    [(2, 10), (20, 27)]
    """
    rows = np.flatnonzero(ink.any(axis=1))
    if rows.size == 0:
        return []
    join = max(round(LINE_JOIN_POINTS * pixels_per_point), 1)
    breaks = np.flatnonzero(np.diff(rows) > join)
    starts = np.concatenate(([rows[0]], rows[breaks + 1]))
    ends = np.concatenate((rows[breaks], [rows[-1]])) + 1
    low = MIN_LINE_POINTS * pixels_per_point
    return [(int(a), int(b)) for a, b in zip(starts, ends) if b - a >= low]


def gutters(white: np.ndarray, width: int) -> list[tuple[int, int]]:
    """The white runs at least ``width`` pixels wide between the first and the last ink
    of a row profile (``white``: True where no line of the block has ink).

    >>> gutters(np.array([1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 1], bool), 3)
    [(2, 5), (8, 12)]
    """
    inked = np.flatnonzero(~white)
    if inked.size < 2:
        return []
    first = int(inked[0])
    return [(a + first, b + first) for a, b in true_runs(white[first:inked[-1] + 1])
            if b - a >= width]


def column_edges(whites: list[np.ndarray], width: int, pixels_per_point: float) -> list[int]:
    """The left edges (pixels) of an unruled table's columns: where the text of at least
    :data:`MIN_ALIGNED` lines begins after a gutter — the text of a column is aligned at
    its left edge, line under line, while words after a space start anywhere.

    >>> line = np.ones(60, bool); line[2:10] = False; line[20:30] = False
    >>> column_edges([line] * 4, 3, 1.0)
    [2, 20]
    """
    starts = np.zeros(len(whites[0]) + 1, np.int32) if whites else np.zeros(1, np.int32)
    for white in whites:
        inked = np.flatnonzero(~white)
        if inked.size:  # a line's first word begins at its column's edge too
            starts[inked[0]] += 1
        for _, end in gutters(white, width):
            starts[end] += 1
    jitter = max(round(ALIGN_JITTER_POINTS * pixels_per_point), 1)
    near = np.convolve(starts, np.ones(2 * jitter + 1, np.int32), mode="same")
    edges: list[int] = []
    for x in np.flatnonzero(near >= MIN_ALIGNED):
        if edges and x - edges[-1] <= 2 * jitter:
            if near[x] > near[edges[-1]]:
                edges[-1] = int(x)
            continue
        edges.append(int(x))
    # An edge is where the first lines' text begins: the leftmost start near the peak.
    edges = [int(x - jitter + np.flatnonzero(starts[x - jitter:x + jitter + 1])[0])
             for x in edges]
    # A column's edge is crossed only by lines outside the table (prose, a heading);
    # a word that a few lines begin with by chance is crossed by most lines around it.
    edges = [edge for edge in edges
             if near[edge + jitter] >= CROSSED_RATIO * sum(
                 not white[max(edge - width, 0):edge].all() for white in whites)]
    # The marks of a column (the priority's bullets ``•••``, spaced apart) begin at one x
    # line under line too: an edge nearer the one left of it than a column is wide is one.
    narrow = MIN_COLUMN_POINTS * pixels_per_point
    kept: list[int] = []
    for edge in edges:
        if not kept or edge - kept[-1] >= narrow:
            kept.append(edge)
    return kept


def strip_grids(clean: np.ndarray, image: PageImage) -> list[list[list[tuple]]]:
    """The tables of an unruled page as rows of column strips, in page points
    (``x0, top, x1, bottom``), the shape :func:`~pipeline.extract.ocr_cells.cell_canvases`
    takes a ruled table's grid in (it cuts each box :data:`INSET_POINTS` inside).

    The columns' left edges are found on the whole page (:func:`column_edges`); a line
    of a table is a line with no ink just left of any edge (a column's padding), a
    line of prose or a heading runs across them; a run of at least two table lines is
    cut into strips just left of each edge.

    >>> page = np.full((60, 100), 255, np.uint8)
    >>> for top in (10, 22, 34, 46):
    ...     page[top:top + 8, 5:25] = 0; page[top:top + 8, 40:60] = 0; page[top:top + 8, 75:95] = 0
    >>> at = PageImage(page, 0.0, 0.0, 1.0, 1.0, True)
    >>> [[tuple(round(v) for v in box) for box in row] for grid in strip_grids(page, at)
    ...  for row in grid]
    [[(3, 8, 40, 56), (38, 8, 75, 56), (73, 8, 97, 56)]]
    """
    from pipeline.extract.ocr_cells import INSET_POINTS

    scale = image.pixels_per_point
    ink = clean < INK_LEVEL
    bands = text_bands(ink, scale)
    if not bands:
        return []
    width = max(round(GUTTER_POINTS * scale), 2)
    whites = [~ink[top:bottom].any(axis=0) for top, bottom in bands]
    edges = column_edges(whites, width, scale)
    if len(edges) < MIN_GUTTERS:
        return []
    padding = max(width // 2, 1)
    inset = INSET_POINTS * scale
    table = [all(white[max(edge - width, 0):edge].all() for edge in edges) for white in whites]
    rows, columns = clean.shape
    grids = []
    index = 0
    while index < len(bands):
        if not table[index]:
            index += 1
            continue
        end = index
        while end < len(bands) and table[end]:
            end += 1
        lines, white = bands[index:end], np.logical_and.reduce(whites[index:end])
        index = end
        if len(lines) < 2:
            continue
        inked = np.flatnonzero(~white)
        left, right = int(inked[0]) - padding, int(inked[-1]) + 1 + padding
        cuts = [left] + [edge - padding for edge in edges if left < edge - padding < right]
        cuts.append(right)
        top, bottom = lines[0][0] - padding, lines[-1][1] + padding
        row = []
        for x0, x1 in zip(cuts, cuts[1:]):
            a = image.to_page(x0 - inset, top - inset)
            b = image.to_page(x1 + inset, bottom + inset)
            row.append((a[0], a[1], b[0], b[1]))
        grids.append([row])
    return grids
