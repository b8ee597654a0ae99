"""Ruling lines of a scanned page, found in its image: the segments a ruled table draws,
as the pdfium engine gets them from a PDF's paths, and the image without them for the
OCR engine (a table's grid lines read as ``|``, ``_`` or ``l`` glued to the words).

A ruling line is a run of dark pixels far longer than any stroke of a letter: opening
the binarized image with a long thin structuring element (OpenCV morphology) keeps
exactly those runs, horizontal with a ``1 × n`` element, vertical with ``n × 1``. Each
connected run becomes one :data:`~pipeline.extract.pdf_layout.Segment` at its centre
line, in page points; the grid is then built from the segments by the same code as for
a PDF's paths (:func:`~pipeline.extract.pdf_layout.ruled_tables`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from pipeline.extract.pdf_layout import Segment

#: A dark run at least this long (points) is a ruling line: longer than any letter's
#: stroke (a 12-pt ``—`` is 12 pt) and shorter than the narrowest cell or row of a table
#: (the crosswalk's narrowest column is 60 pt, its shortest row about 20 pt).
MIN_RULE_POINTS = 16.0
#: A ruling line is thinner than this (points): thicker dark areas are pictures or blots.
MAX_RULE_THICKNESS = 4.0


def binarized(grey: np.ndarray) -> np.ndarray:
    """Ink as 255, paper as 0 (Otsu's threshold: a scan's paper is never pure white)."""
    import cv2

    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def ruling_masks(ink: np.ndarray, pixels_per_point: float) -> tuple[np.ndarray, np.ndarray]:
    """The pixels of the horizontal and of the vertical ruling lines of a binarized page:
    unbroken runs of ink at least :data:`MIN_RULE_POINTS` long. (No closing first: it
    would bridge the letters of a bold heading into one long run and erase them.)"""
    import cv2

    length = max(round(MIN_RULE_POINTS * pixels_per_point), 8)
    across = cv2.morphologyEx(ink, cv2.MORPH_OPEN,
                              cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    down = cv2.morphologyEx(ink, cv2.MORPH_OPEN,
                            cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    return across, down


def ruling_segments(mask: np.ndarray, horizontal: bool, pixels_per_point: float,
                    to_page: Callable[[float, float], tuple[float, float]]
                    ) -> list[Segment]:
    """One segment per connected run of ``mask``: (top, x0, x1) for a horizontal line,
    (x, top, bottom) for a vertical one, in page points (``to_page`` turns a pixel's
    (x, y) into (x, top))."""
    import cv2

    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    thickest = MAX_RULE_THICKNESS * pixels_per_point
    segments: list[Segment] = []
    for left, top, width, height, _ in stats[1:count].tolist():
        if horizontal and height <= thickest:
            x0, y = to_page(left, top + height / 2)
            x1, _ = to_page(left + width, top + height / 2)
            segments.append((y, x0, x1))
        elif not horizontal and width <= thickest:
            x, y0 = to_page(left + width / 2, top)
            _, y1 = to_page(left + width / 2, top + height)
            segments.append((x, y0, y1))
    return segments


def without_rules(grey: np.ndarray, across: np.ndarray, down: np.ndarray) -> np.ndarray:
    """The page with its ruling lines painted over in the paper's colour (the lines
    widened by a pixel each way, as their blurred edges are ink too)."""
    import cv2

    lines = cv2.dilate(cv2.bitwise_or(across, down), np.ones((3, 3), np.uint8))
    clean = grey.copy()
    clean[lines > 0] = 255
    return clean


#: What an OCR engine reads a remnant of a ruling line as.
RULE_GLYPHS = frozenset("|¦[]!lI1/\\_—–-")


def rule_remnants(words: list[dict], horizontals: list[Segment], verticals: list[Segment],
                  tolerance: float = 2.0) -> list[dict]:
    """The words that are only a piece of a ruling line read as text (``|`` beside a
    column's rule, ``_`` on a row's): made only of :data:`RULE_GLYPHS` and touching a
    rule (within ``tolerance`` points) along their length."""
    found = []
    for word in words:
        if not word["text"] or not set(word["text"]) <= RULE_GLYPHS:
            continue
        x0, x1, top, bottom = word["x0"], word["x1"], word["top"], word["bottom"]
        if any(x0 - tolerance <= x <= x1 + tolerance and a <= bottom and b >= top
               for x, a, b in verticals) or any(
               top - tolerance <= y <= bottom + tolerance and a <= x1 and b >= x0
               for y, a, b in horizontals):
            found.append(word)
    return found
