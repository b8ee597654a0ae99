"""A scanned page read as the pdfium engine reads a page with text: the OCR engine's
words (:mod:`~pipeline.extract.ocr`) and the ruling lines found in the image
(:mod:`~pipeline.extract.ocr_rules`) made into the same
:class:`~pipeline.extract.pdfium_page.PdfiumPage` — text lines, whether the page is
ruled, a ruled page's tables and prose — so that finding an unruled page's tables,
merging tables across pages, ``See above.``, footnotes and the reverse table work on a
scan exactly as on a PDF with a text layer.
"""

from __future__ import annotations

import re

from pipeline.extract.ocr import (
    OcrCache,
    OcrReport,
    OcrSettings,
    OcrWord,
    PageImage,
    cached_recognize,
    page_image,
    skew_angle,
    straightened,
)
from pipeline.extract.ocr_cells import cell_canvases
from pipeline.extract.ocr_header import repair_header_line
from pipeline.extract.ocr_page_cache import PageReading, cached_reading
from pipeline.extract.ocr_rules import (
    binarized,
    rule_remnants,
    ruling_masks,
    ruling_segments,
    without_rules,
)
from pipeline.extract.ocr_strips import strip_grids
from pipeline.extract.pdf_layout import (
    Box,
    FoundTable,
    header_spans,
    is_ruled,
    prose_lines,
    ruled_tables,
    text_lines,
)
from pipeline.extract.pdfium_page import PageFrame, PdfiumPage

_CATEGORY_WORD = re.compile(r"([1-8])([A-H])\.")
_LETTERLESS_CODE = re.compile(r"([1-8])\.(\d{1,2}\.?)")


def read_scanned_page(document, number: int, size: int, frame: PageFrame,
                      settings: OcrSettings, cache: OcrCache | None) -> PdfiumPage:
    """A page that is only an image, read by OCR into a :class:`PdfiumPage` (with its
    :class:`~pipeline.extract.ocr.OcrReport` as ``ocr``)."""
    image = page_image(document, number, frame, settings)
    reading = cached_reading(image, frame.box, settings, cache,
                             lambda: read_page_image(image, frame.box, settings, cache))
    horizontals, verticals = reading.horizontals, reading.verticals
    words = [page_word(word, image) for word in reading.words]
    remnants = {id(word) for word in rule_remnants(words, horizontals, verticals)}
    words = [word for word in words if id(word) not in remnants]
    header_repairs = repair_header_words(words)
    align_to_columns(words)
    code_repairs = repair_code_words(words)
    ruled = is_ruled(verticals, horizontals)
    tables: list[FoundTable] = []
    prose: list[tuple[float, str]] = []
    if ruled:
        tables = [cell_texts(words, grid) for grid in reading.grids]
        prose = [(line.top, line.text) for line in prose_lines(words, tables)]
    doubtful = tuple({"text": w["text"], "confidence": w["confidence"],
                      "box": tuple(round(w[k], 1) for k in ("x0", "top", "x1", "bottom"))}
                     for w in words if w["confidence"] < settings.min_confidence)
    report = OcrReport(reading.skew, len(words), reading.cached, doubtful, header_repairs,
                       code_repairs)
    return PdfiumPage(number, size, lines=text_lines(words), ruled=ruled, tables=tables,
                      prose=prose, ocr=report)


def read_page_image(image: PageImage, page_box: Box, settings: OcrSettings,
                    cache: OcrCache | None) -> PageReading:
    """A scanned page's image read: straightened, its ruling lines found and painted out,
    read by Tesseract (its words from the cache where it read the same image before)."""
    ink = binarized(image.grey)
    skew = skew_angle(ink)
    grey = straightened(image.grey, skew)
    if grey is not image.grey:
        ink = binarized(grey)
    across, down = ruling_masks(ink, image.pixels_per_point)
    horizontals = ruling_segments(across, True, image.pixels_per_point, image.to_page)
    verticals = ruling_segments(down, False, image.pixels_per_point, image.to_page)
    clean = without_rules(grey, across, down)
    grids = (ruled_tables(horizontals, verticals, page_box)
             if is_ruled(verticals, horizontals) else [])
    # Each cell of a ruled table read alone (ocr_cells), each column strip of an unruled
    # one (ocr_strips): one call per canvas, mostly one.
    pieces = grids or strip_grids(clean, image)
    if pieces:
        read, cached = [], True
        for canvas in cell_canvases(clean, pieces, image):
            found, hit = cached_recognize(canvas.grey, settings, cache)
            read += canvas.to_page_words(found)
            cached = cached and hit
    else:
        read, cached = cached_recognize(clean, settings, cache)
    return PageReading(skew, horizontals, verticals, grids, read, cached)


#: A word whose left edge lies less than this (points) left of a column's left edge,
#: and runs into the column, begins in the column: OCR jitter, not a word across it.
ALIGN_TOLERANCE = 1.5


def align_to_columns(words: list[dict]) -> None:
    """Words that start a hair left of a column's left edge (their header's) moved onto
    it, in place. A PDF's text in a column starts at one x; an OCR box starts where the
    ink starts, a fraction of a point either way (``T`` of ``Thinking`` further left than
    the ``I`` of ``IECMH`` above it), and a word 0.2 pt left of the edge is read as
    crossing the column boundary, which ends an unruled table. Only the columns of the
    page's own headers are used; moving a left edge onto a boundary crosses no other."""
    lines = text_lines(words)
    spans = header_spans(lines)
    for index, span in enumerate(spans):
        last = spans[index + 1].start if index + 1 < len(spans) else len(lines)
        lefts = span.columns.lefts[1:]
        for line in lines[span.start:last]:
            for word in line.words:
                for left in lefts:
                    if left - ALIGN_TOLERANCE <= word["x0"] < left < word["x1"]:
                        word["x0"] = left


def repair_header_words(words: list[dict]) -> int:
    """Header words OCR misread, read back in the lines that are header lines
    (:func:`~pipeline.extract.ocr_header.repair_header_line`), in place; how many."""
    count = 0
    for line in text_lines(words):
        repaired = repair_header_line([word["text"] for word in line.words])
        for word, text in zip(line.words, repaired or ()):
            if word["text"] != text:
                word["text"] = text
                count += 1
    return count


def repair_code_words(words: list[dict]) -> tuple[dict, ...]:
    """Competency and category codes OCR misread (``1C€.4.``, ``TA.``), read back in place
    where exactly one code fits (:func:`~pipeline.codes.repair_code`): a row's code is
    what tells a new row from the continuation of the row above, so it must be right
    before the table is put together. Each repair is returned
    (``before``, ``after``, ``box``) and logged by the normalize stage (rule ``ocr``)."""
    from pipeline.codes import repair_code

    repairs = []

    def repair(word: dict, repaired: str) -> None:
        repairs.append({"before": word["text"], "after": repaired,
                        "box": tuple(round(word[k], 1) for k in ("x0", "top", "x1", "bottom"))})
        word["text"] = repaired

    for word in words:
        repaired = repair_code(word["text"])
        if repaired is not None:
            repair(word, repaired)
    # A code whose letter OCR dropped (``1.2.``) beside its category (``1E.``) on the
    # same line: the category's letter is the only one that fits.
    for line in text_lines(words):
        categories = {}
        for word in line.words:
            category = _CATEGORY_WORD.fullmatch(word["text"])
            if category:
                categories[category[1]] = category[2]
                continue
            lost = _LETTERLESS_CODE.fullmatch(word["text"])
            if lost and lost[1] in categories:
                repair(word, f"{lost[1]}{categories[lost[1]]}.{lost[2]}")
    return tuple(repairs)


def page_word(word: OcrWord, image: PageImage) -> dict:
    """An OCR word as the layout code takes words (pdfplumber's keys, page points): its
    own left and right, its line's top and bottom, and its ``confidence``."""
    x0, top = image.to_page(word.left, word.line_top)
    x1, bottom = image.to_page(word.left + word.width, word.line_top + word.line_height)
    return {"text": word.text, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "confidence": word.confidence}


def cell_texts(words: list[dict], grid: list[list[tuple | None]]) -> FoundTable:
    """A ruled table with the text of its cells: the words whose centre lies in a cell,
    line by line, joined with spaces (as the pdfium engine fills a cell with the words of
    its characters)."""
    cells = [cell for row in grid for cell in row if cell is not None]
    parts: dict[tuple, list[dict]] = {cell: [] for cell in cells}
    for word in words:
        x, y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
        for cell in cells:
            if cell[0] <= x < cell[2] and cell[1] <= y < cell[3]:
                parts[cell].append(word)
                break
    text = {cell: " ".join(line.text for line in text_lines(found))
            for cell, found in parts.items()}
    bbox = (min(c[0] for c in cells), min(c[1] for c in cells),
            max(c[2] for c in cells), max(c[3] for c in cells))
    return FoundTable(bbox, [["" if c is None else text[c] for c in row] for row in grid])
