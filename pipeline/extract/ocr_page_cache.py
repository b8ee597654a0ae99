"""A scanned page's whole reading kept in the OCR cache, so that a page read before costs
no more than decoding its image.

The OCR cache (:class:`~pipeline.extract.ocr.OcrCache`) keeps what Tesseract read, by
the image Tesseract was given. That image is the end of the page's image work —
straightened, ruling lines found and painted out, cells cut and stacked — which took most
of the time of a page read from that cache (0.2–0.4 s of 0.3–0.5 s). So the reading of
the whole page is kept as well (:class:`PageReading`: the skew, the ruling lines, the
grids, the words in the page's pixels), by the page's image as decoded, and with it a
fingerprint of the code that made it: every module of :mod:`pipeline.extract` and the
versions of OpenCV and NumPy. A change to any of them makes every page entry a miss;
the page is then worked again and Tesseract's words come from the image entries, which a
change of code leaves valid as long as the images it makes are the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from pipeline.extract.ocr import (
    OcrCache,
    OcrSettings,
    OcrWord,
    PageImage,
    tesseract_version,
    word_rows,
    words_of,
)
from pipeline.extract.pdf_layout import Box, Segment

#: A ruled page's tables: rows of cell boxes (None where a spanning cell covers one).
Grids = list[list[list[Box | None]]]


@dataclass(frozen=True)
class PageReading:
    """What a scanned page's image work and Tesseract give: the skew turned back
    (degrees), the ruling lines (page points), the ruled tables' grids, the words at
    their place in the page's image, and whether Tesseract's words came from the cache."""

    skew: float
    horizontals: list[Segment]
    verticals: list[Segment]
    grids: Grids
    words: list[OcrWord]
    cached: bool


def cached_reading(image: PageImage, page_box: Box, settings: OcrSettings,
                   cache: OcrCache | None, read: Callable[[], PageReading]) -> PageReading:
    """The reading of the page (``page_box``: its box in points) from the cache, else
    ``read()`` (then stored)."""
    if cache is None:
        return read()
    key = page_key(image, page_box, settings, tesseract_version() or "?")
    entry = cache.load(key)
    if entry is not None:
        try:
            return _reading_of(entry)
        except (ValueError, KeyError, TypeError, IndexError):
            pass  # damaged: read the page again, and store it anew
    reading = read()
    cache.store(key, _entry_of(reading))
    return reading


def page_key(image: PageImage, page_box: Box, settings: OcrSettings, version: str) -> str:
    """The cache key of a page's reading: its decoded image, where it lies on the page,
    the page's box, the settings, Tesseract's version and the code's fingerprint."""
    return OcrCache.key(image.grey, settings, version, "page", code_fingerprint(),
                        [image.left, image.top, image.step_x, image.step_y, image.native],
                        list(page_box))


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha256 of every module of :mod:`pipeline.extract` (name and bytes) and of the
    versions of OpenCV and NumPy: what a page's image work depends on."""
    import cv2

    digest = hashlib.sha256(f"{cv2.__version__} {np.__version__}".encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes() + b"\0")
    return digest.hexdigest()


def _entry_of(reading: PageReading) -> dict:
    return {"skew": reading.skew, "horizontals": reading.horizontals,
            "verticals": reading.verticals, "grids": reading.grids,
            "words": word_rows(reading.words)}


def _reading_of(entry: dict) -> PageReading:
    """:func:`_entry_of` read back, with the types the page's own reading has (tuples,
    floats); ValueError, KeyError, TypeError or IndexError if damaged."""
    def segments(rows) -> list[Segment]:
        return [(float(a), float(b), float(c)) for a, b, c in rows]

    grids = [[[None if box is None else tuple(float(edge) for edge in box) for box in row]
              for row in grid] for grid in entry["grids"]]
    if any(box is not None and len(box) != 4 for grid in grids for row in grid for box in row):
        raise ValueError("a cell box without four edges")
    return PageReading(float(entry["skew"]), segments(entry["horizontals"]),
                       segments(entry["verticals"]), grids, words_of(entry["words"]), True)
