"""Extract the crosswalk tables from the PDF itself.

The PDF reader gives :func:`~pipeline.extract.crosswalk_table.assemble_crosswalk` the same
stream of records the text reader does — prose lines, header rows, table lines, each
with its page — so header layouts, continuation rows and domain headings are found by
the same code and the frames are the same, with ``source_page`` set instead of
``source_line``. What the PDF adds, and this module handles:

- tables come from an engine (pdfium, pdfplumber or camelot,
  :mod:`~pipeline.extract.pdf_engines`); prose (the domain headings and their paragraphs)
  is every word outside the tables' boxes, read with pdfplumber — or, with the pdfium
  engine, from pdfium's characters, made into the words pdfplumber makes;
- a cell's lines are joined with a space: a line break is a wrap point, so
  ``Relation-`` + ``ship`` becomes ``Relation- ship`` for the shared normalizer to
  repair (``child-`` + ``and`` stays ``child- and``);
- a header that arrives as several partial rows (a table read line by line) is joined
  into one; rows an engine put above the header (camelot swallowing the paragraph) are
  prose;
- a table continued on the next page is one table
  (:func:`merge_table_parts_across_pages`): the header repeated there opens the same
  layout, and the row cut by the page break continues the row above.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import PipelineError
from pipeline.extract.crosswalk_header import (
    FORWARD_HEADER,
    REVERSE_HEADER,
    is_group_row,
)
from pipeline.extract.crosswalk_table import Record, TableExtract, assemble_crosswalk
from pipeline.extract.glyphs import page_font_glyphs, resolve
from pipeline.extract.part_headers import headers_of, row_cells
from pipeline.extract.pdf_checks import (
    FONT_NOTICES,
    content_bytes,
    lost_content_streams,
    pdf_layer_notices,
)
from pipeline.extract.pdf_engines import FoundTable, table_finder
from pipeline.extract.pdf_layout import (
    find_header,
    group_lines,
    prose_lines,
    text_lines,
)
from pipeline.extract.pdf_settings import PdfSettings
from pipeline.limits import Limits, check_file_size, current_limits

if TYPE_CHECKING:
    import pandas as pd

    from pipeline.sources import Source

#: From this many pages on, extraction on a terminal shows a progress bar.
LONG_PDF_PAGES = 10


def extract(source: Source) -> dict[str, pd.DataFrame]:
    """The raw frames of the crosswalk PDF, read with the source's settings; with an
    ``ocr`` frame when pages were read by OCR (which pages, and the words read with low
    confidence: :func:`~pipeline.extract.ocr.ocr_frame`)."""
    result = extract_crosswalk_pdf(source.file, source.id, source.settings, source.limits)
    return raw_frames(result, source.id)


def raw_frames(result: TableExtract, source_id: str) -> dict[str, pd.DataFrame]:
    """The frames the normalize stage reads from an extraction of the crosswalk PDF."""
    frames = {"domains": result.domains, "forward": result.forward, "reverse": result.reverse}
    if result.stats.get("ocr_pages"):
        from pipeline.extract.ocr import ocr_frame

        frames["ocr"] = ocr_frame(source_id, result.stats["ocr_reports"])
    return frames


def extract_crosswalk_pdf(path: Path, source_id: str, settings: PdfSettings | None = None,
                          limits: Limits | None = None) -> TableExtract:
    """The crosswalk's raw frames (all strings, ``source_page`` set) from its PDF.

    Refused before the work: a file over ``max_file_bytes``, more pages than
    ``max_pdf_pages``, a page whose content decompresses to more than
    ``max_page_content_bytes`` (measured before the page is read), and pages that
    together decompress to more than ``max_pdf_content_bytes``."""
    import pdfplumber  # imported on use: the text sources never pay for it

    settings = settings or PdfSettings()
    limits = limits or current_limits()
    check_file_size(path, limits)
    try:
        pdf = pdfplumber.open(path, password=settings.password)
    except Exception as error:  # pdfminer raises many types for a damaged file
        if _needs_password(error):
            raise PipelineError(
                "the PDF is encrypted and " + ("the password given does not open it"
                                               if settings.password else "needs a password"),
                path=str(path), hint='give it in the source\'s [source.settings] as '
                'password = "…", or get an unprotected copy of the PDF') from None
        raise PipelineError(f"not a readable PDF ({error})", path=str(path),
                            hint="check that the file is the crosswalk PDF, complete") from None
    with pdf:
        if not pdf.pages:
            raise PipelineError("the PDF has no pages", path=str(path))
        limits.check("max_pdf_pages", len(pdf.pages), "the PDF", path=path)
        try:
            numbers = settings.page_numbers(len(pdf.pages))
        except ValueError as error:
            raise PipelineError(str(error), path=str(path),
                                hint="fix `pages` in the source's [source.settings]") from None
        scanned = _scanned_pages(path, settings, numbers)
        find_tables = table_finder(path, settings)
        read = _read_with_pdfium if settings.engine == "pdfium" else _read_with_pdfminer
        parts: list[PagePart] = []
        # Merged as the pages come: with the pdfium engine, while later pages are read.
        # Closed however it ends, so that a pool of workers stops at once.
        with closing(read(pdf, path, settings, numbers, limits, find_tables,
                          scanned)) as pages:
            records = list(merge_table_parts_across_pages(_kept(pages, parts)))
    try:
        result = assemble_crosswalk(records, path, source_id, unit="page", limits=limits)
    except PipelineError as error:
        if scanned:  # what was read came from images: say so
            from pipeline.extract.image_pages import page_list

            error.message += (f" (pages {page_list(scanned)} have no text layer and were "
                              "read by OCR; see docs/ocr.md)")
        raise
    reports = {p.number: p.ocr for p in parts if p.ocr is not None}
    result.stats.update(pages=len(numbers), tables=sum(len(p.tables) for p in parts),
                        ocr_pages=sorted(reports), ocr_reports=reports)
    return result


def _scanned_pages(path: Path, settings: PdfSettings, numbers: list[int]) -> list[int]:
    """The pages that are only an image (a scan, no text layer), checked before any is
    read: refused, naming them, unless the pdfium engine can read them by OCR here."""
    from pipeline.extract.image_pages import image_only_pages, page_list

    scanned = image_only_pages(path, numbers, settings.password)
    if not scanned:
        return scanned
    from pipeline.extract.ocr import INSTALL_HINT, ocr_missing_reason
    what = (f"page{'s' if len(scanned) > 1 else ''} {page_list(scanned)} of {len(numbers)} "
            f"{'are' if len(scanned) > 1 else 'is'} only an image (a scan, no text layer)")
    if settings.engine != "pdfium":
        raise PipelineError(
            f"{what}: the {settings.engine} engine reads only a PDF's text layer, so OCR "
            "is needed", path=str(path),
            hint="read it with the pdfium engine (the default: drop `engine` from the "
            "source's settings, or --engine pdfium), which reads scanned pages by OCR")
    if settings.ocr == "off":
        raise PipelineError(f"{what}, and OCR is off in the source's settings",
                            path=str(path), hint='set ocr = "auto" in [source.settings] '
                            "to read scanned pages by OCR (docs/ocr.md)")
    missing = ocr_missing_reason()
    if missing:
        raise PipelineError(f"{what}: OCR is needed, and {missing}", path=str(path),
                            hint=f"{INSTALL_HINT}; see docs/ocr.md")
    return scanned


def _kept(parts: Iterable[PagePart], kept: list[PagePart]) -> Iterator[PagePart]:
    for part in parts:
        kept.append(part)
        yield part


def _read_with_pdfminer(pdf, path: Path, settings: PdfSettings, numbers: list[int],
                        limits: Limits, find_tables, scanned: Sequence[int] = ()
                        ) -> Iterator[PagePart]:
    """The pages read one by one with pdfplumber (pdfminer), tables by the engine."""
    inflated = 0  # bytes the pages read so far decompress to
    for number in _progress(numbers, path):
        page = pdf.pages[number - 1]
        try:
            with _reading(path, number):
                inflated += _checked_content_bytes(page, number, path, limits, inflated)
                with pdf_layer_notices() as notices:
                    part = read_page(page, number, find_tables(page, number))
                notices = [n for n in notices if not FONT_NOTICES.search(n)]
                _refuse_damage(notices + lost_content_streams(page), path, number)
            yield part
        finally:
            page.close()  # pdfplumber caches a page's objects until it is closed


def _read_with_pdfium(pdf, path: Path, settings: PdfSettings, numbers: list[int],
                      limits: Limits, find_tables, scanned: Sequence[int] = ()
                      ) -> Iterator[PagePart]:
    """The pages read by pdfium, in a pool of processes for a long document
    (:func:`~pipeline.extract.pdfium_engine.read_pages`), checked and put together here
    in page order: the same limits, damage and glyph checks as for the other engines.
    ``scanned`` pages are read by OCR."""
    from pipeline.extract.pdfium_engine import read_pages

    inflated = 0
    with read_pages(path, settings, numbers, limits, pdf, scanned) as pages:
        for number, page in zip(_progress(numbers, path, bool(scanned)), pages):
            with _reading(path, number):
                _check_content_bytes(page.content_bytes, number, path, limits, inflated)
                inflated += page.content_bytes
                _refuse_damage(list(page.notices), path, number)
                if page.error is not None:
                    raise PipelineError(f"page cannot be read ({page.error})", path=str(path),
                                        page=number)
                tables = find_tables(page, number)
                if tables is page.tables and not page.unread:  # the prose read with them
                    part = PagePart(number, page.prose, list(tables))
                else:
                    part = page_part(number, page.prose_words, page.unread, {}, tables)
            yield replace(part, ocr=page.ocr) if page.ocr is not None else part


@contextmanager
def _reading(path: Path, number: int) -> Iterator[None]:
    """Errors while reading page ``number``: ours get the file named, anything else (a
    damaged page) becomes one, naming the file and the page."""
    try:
        yield
    except PipelineError as error:
        error.path = error.path or str(path)  # a page's own check knows no file
        raise
    except Exception as error:
        raise PipelineError(f"page cannot be read ({type(error).__name__}: {error})",
                            path=str(path), page=number) from None


def _refuse_damage(notices: list[str], path: Path, number: int) -> None:
    if notices:
        raise PipelineError(
            f"the PDF library reports damage while reading this page: "
            f"{'; '.join(n[:160] for n in dict.fromkeys(notices))}",
            path=str(path), page=number,
            hint="part of the page would be lost; get an undamaged copy of the PDF")


def _needs_password(error: BaseException) -> bool:
    """Whether opening failed for want of a (right) password: pdfplumber wraps
    pdfminer's PDFPasswordIncorrect / PDFEncryptionError."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    causes = {error, *getattr(error, "args", ())}
    return any(isinstance(c, (PDFPasswordIncorrect, PDFEncryptionError)) for c in causes)


def _checked_content_bytes(page, number: int, path: Path, limits: Limits,
                           inflated: int) -> int:
    """The bytes the page's content decompresses to, refused over the page's limit or
    when the pages before (``inflated``) and this one pass the document's."""
    room = limits.max_pdf_content_bytes - inflated
    size = content_bytes(page, min(limits.max_page_content_bytes, room))
    _check_content_bytes(size, number, path, limits, inflated)
    return size


def _check_content_bytes(size: int, number: int, path: Path, limits: Limits,
                         inflated: int) -> None:
    """Refuse a page whose content decompresses to ``size`` bytes (or more: counting stops
    past the limit) over the page's limit, or over the document's with ``inflated``."""
    what = "the page's content, decompressed,"
    limits.check("max_page_content_bytes", size, what, path=path, page=number, at_least=True)
    limits.check("max_pdf_content_bytes", inflated + size,
                 "the content of the pages read up to this one, decompressed,",
                 path=path, page=number, at_least=True)


@dataclass(frozen=True)
class PagePart:
    """What one page holds: its prose lines (words outside every table's box) and the
    tables an engine found, each with its top, in the page's reading order."""

    number: int
    prose: list[tuple[float, str]]
    tables: list[FoundTable]
    #: what OCR did, on a page that is only an image (:class:`~pipeline.extract.ocr.OcrReport`)
    ocr: object = None


def read_page(page, number: int, tables: Sequence[FoundTable]) -> PagePart:
    """The prose and tables of one pdfplumber page; a glyph pdfminer could not map is
    read by its font's own encoding where that tells (:func:`~pipeline.extract.glyphs.
    page_font_glyphs`)."""
    return page_part(number, page.extract_words(), page.chars, page_font_glyphs(page), tables)


def page_part(number: int, words: Sequence[dict], chars: Sequence[dict], glyphs: dict[str, str],
              tables: Sequence[FoundTable]) -> PagePart:
    """The prose (``words`` outside every table's box, as lines) and ``tables`` of a page,
    glyphs resolved by ``glyphs`` (``(cid:N)`` → character). ``chars`` need only hold the
    page's unmapped glyphs, ``(cid:N)``, with their ``fontname``, ``x0`` and ``top``."""
    prose = [(line.top, resolve(line.text, glyphs)) for line in prose_lines(words, tables)]
    if glyphs:
        tables = [replace(t, rows=[[resolve(c or "", glyphs) for c in row] for row in t.rows],
                          headers=None)
                  for t in tables]
    _refuse_dropped_glyphs(number, words, chars, glyphs, tables, prose)
    return PagePart(number, prose, list(tables))


def _refuse_dropped_glyphs(number: int, words: Sequence[dict], chars: Sequence[dict],
                           glyphs: dict[str, str], tables: Sequence[FoundTable],
                           prose: list[tuple[float, str]]) -> None:
    """An unmapped glyph the table engine left out of its cells (camelot drops them) would
    be a silent gap: stop, naming the page and the line it is on."""
    unread = [c for c in chars if c["text"].startswith("(cid:") and c["text"] not in glyphs]
    if not unread:
        return
    texts = [cell or "" for t in tables for row in t.rows for cell in row]
    texts += [text for _, text in prose]
    if any(unread[0]["text"] in text for text in texts):
        return  # kept in the text: refused later with its row and column
    char = unread[0]
    line = sorted((w for w in words if abs(w["top"] - char["top"]) < 3), key=lambda w: w["x0"])
    begins = " ".join(w["text"] for w in line[:4])
    header = find_header(text_lines(words))
    column = ""
    if header is not None:  # the column whose header cell begins left of the glyph
        lefts = header[2].lefts
        index = max((i for i, left in enumerate(lefts) if char["x0"] >= left), default=0)
        names = FORWARD_HEADER if len(lefts) == len(FORWARD_HEADER) else REVERSE_HEADER
        column = f", column {names[index]!r}" if index < len(names) else ""
    raise PipelineError(
        f"the glyph {char['text']} (font {char['fontname']}) in the row beginning "
        f"{begins!r}{column} maps to no character, and the table engine left it out",
        page=number, hint="the font of this mark has no Unicode map; re-export the PDF with "
        "its text (fonts with a Unicode map), or read the text export")


def merge_table_parts_across_pages(parts: Iterable[PagePart]) -> Iterator[Record]:
    """One stream of records from the pages' prose and table parts, in reading order, in
    which a table continued over pages is one table.

    How a table part on a page joins the table in progress:

    - a part that repeats the header (in any of the wordings a header may take) opens
      the same layout again, and the header is read as such, not as a row;
    - a part without a header, as wide as the table in progress, goes on with it (a
      page that does not repeat the header);
    - a part without a header and of another width is prose the engine took for a
      table (a paragraph read as a one-column table), and so is a part without a header
      that lies above a repeated header on its page (a domain heading that an engine read
      as a table row): the table in progress goes on below its repeated header;
    - rows above a part's first header are prose the engine took in (a domain's
      heading and paragraph); a row cut by the page break continues *below* the header,
      and :func:`~pipeline.extract.crosswalk_table.assemble_crosswalk` appends its cell
      tails to the row above, as for any continuation line.
    """
    width: int | None = None  # fields of the last header seen
    for part in parts:
        items: list[tuple[float, int, list[Record]]] = [
            (top, 0, [Record(part.number, text=text)]) for top, text in part.prose]
        # Each part's headers are looked for once: the search is most of the merge's work.
        found = [(table, headers_of(table)) for table in part.tables]
        first_header = min((t.bbox[1] for t, headers in found if headers), default=None)
        for table, headers in found:
            above_header = first_header is not None and table.bbox[1] < first_header
            records, width = _table_part_records(table, part.number,
                                                 None if above_header else width, headers)
            items.append((table.bbox[1], 1, records))
        for _, _, records in sorted(items, key=lambda item: item[:2]):
            yield from records


def _table_part_records(table: FoundTable, number: int, width: int | None,
                        headers: list[tuple[int, int, list[str]]],
                        ) -> tuple[list[Record], int | None]:
    """The records of one table part and the width of the table in progress after it
    (see :func:`merge_table_parts_across_pages`); ``headers`` are the part's headers
    (:func:`~pipeline.extract.part_headers.part_headers` of its non-empty rows)."""
    tops = table.tops if table.tops is not None else [0.0] * len(table.rows)
    kept = [(cells, top) for cells, top in zip(map(row_cells, table.rows), tops) if any(cells)]
    rows = [cells for cells, _ in kept]
    tops = [top for _, top in kept]

    def lines(first: int, last: int) -> Iterator[Record]:
        """Table lines ``first`` to ``last``, joined into rows where the table was read
        line by line."""
        groups = (group_lines(tops[first:last]) if table.tops is not None
                  else [[i] for i in range(last - first)])
        for group in groups:
            joined = [" ".join(c for c in column if c)
                      for column in zip(*(rows[first + i] for i in group))]
            yield Record(number, fields=tuple(joined))

    def prose(cells: list[str]) -> Record:
        if is_group_row(cells):  # a two-level header's group row: header, not prose
            return Record(number, fields=tuple(cells))
        return Record(number, text=" ".join(c for c in cells if c))

    if not headers:
        if width is not None and rows and len(rows[0]) == width:
            return list(lines(0, len(rows))), width
        return [prose(cells) for cells in rows], width
    index = headers[0][0]
    records = [prose(cells) for cells in rows[:index]]
    for start, count, fields in headers:
        records.extend(lines(index, start))
        records.append(Record(number, fields=tuple(fields)))
        width, index = len(fields), start + count
    records.extend(lines(index, len(rows)))
    return records, width


def _progress(numbers: list[int], path: Path, ocr: bool = False):
    """The page numbers, with a progress bar on stderr for a long PDF on a terminal (or
    any PDF with pages to OCR: seconds a page)."""
    from tqdm import tqdm

    return tqdm(numbers, desc=f"{'OCR' if ocr else 'extract'} {path.name}", unit="page",
                leave=False, disable=not show_progress(len(numbers), ocr))


def show_progress(pages: int, ocr: bool = False) -> bool:
    """A bar only on a terminal (never in CI logs or a redirected stderr) and only for a
    document long enough to wait for."""
    return ((pages >= LONG_PDF_PAGES or (ocr and pages > 1)) and sys.stderr is not None
            and sys.stderr.isatty() and not os.environ.get("CI"))
