"""The pdfium engine: pages read in a pool of processes, tables put together in order.

pdfium (through pypdfium2) reads a page's characters and paths in a few milliseconds,
where pdfminer takes a tenth of a second to parse it; :mod:`~pipeline.extract.pdfium_page`
makes of them the words and ruled tables pdfplumber makes. Pages are independent but for one thing, the columns
an unruled page without a header takes from the page before: so the pages are read —
characters, words, ruled tables — in a pool of processes, each opening the document once,
and the unruled tables are put together in page order as the pages come back
(:func:`read_pages`, :class:`PdfiumTables`). Before pdfium reads a page, its content
streams are measured and decoded by pdfminer (as for the other engines,
:mod:`~pipeline.extract.pdf_checks`): an oversized page is never read, and a damaged one
is reported, not read in part.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from pipeline.errors import PipelineError
from pipeline.extract.part_headers import with_headers_found
from pipeline.extract.pdf_checks import (
    FONT_NOTICES,
    content_check,
    lost_content_streams,
    pdf_layer_notices,
)
from pipeline.extract.pdf_layout import (
    Columns,
    FoundTable,
    Line,
    header_spans,
    span_rows,
    table_spans,
    words_outside,
)
from pipeline.extract.pdfium_page import PageFrame, PdfiumPage, read_page

if TYPE_CHECKING:
    from pipeline.extract.pdf_settings import PdfSettings
    from pipeline.limits import Limits

#: Below this many pages one process reads them all. Measured on a 2-core machine (the
#: first 6 to 31 pages of the bench's crosswalk, read both ways, best of 9): the pool takes
#: some 35 ms to start (forking, each worker opening the document) and reads the pages
#: about 1.5 times as fast, so it pays off from 8 to 12 pages.
MIN_POOL_PAGES = 12
#: Pages a worker reads per task: results come back in page order a chunk at a time, and
#: at most two chunks per worker are in flight, which bounds the memory of a long document.
CHUNK_PAGES = 4


class PdfiumTables:
    """The tables of a page read by :func:`read_pages`: a ruled page's come read (the
    same list); an unruled page's are found here, in page order — those its headers open
    (found where the page was read: :attr:`PdfiumPage.headers`) and, above them, lines
    that fit the columns of the table in progress on the page before.

    Only that continuation depends on the page before. The header search does not, and
    costs about as much as reading the page: it runs in the pool's workers (measured on
    the unruled crosswalk in a fresh process, 0.41 s against 0.49 s with the search
    here), although each worker's header matcher starts with no word remembered."""

    def __init__(self, settings: PdfSettings | None = None) -> None:
        self.settings = settings
        self.columns: Columns | None = None

    def __call__(self, page: PdfiumPage, number: int) -> list[FoundTable]:
        if page.ruled:
            return page.tables
        spans = table_spans(page.lines, self.columns, page.headers)
        if spans:
            self.columns = spans[-1].columns  # the table that the next page may continue
        read = dict(zip(page.headers or (), page.header_tables or ()))
        return [read[span] if span in read else FoundTable(span.box, *span_rows(page.lines, span))
                for span in spans]


# --- Reading pages -----------------------------------------------------------------------

@contextmanager
def read_pages(path: Path, settings: PdfSettings, numbers: Sequence[int], limits: Limits,
               pdf, scanned: Sequence[int] = ()) -> Iterator[Iterator[PdfiumPage]]:
    """The pages ``numbers`` of the PDF read by pdfium, as an iterator in page order.

    ``pdf`` is the document open with pdfplumber: in this process, in page order, each
    page's content streams are measured and decoded by pdfminer before pdfium may read
    it (:func:`_checked`); a page refused so is the last one read. From
    :data:`MIN_POOL_PAGES` pages on, pdfium reads them in a pool of processes as large as
    the machine has CPUs (at most one per page), started here, before the caller shows
    a progress bar; each worker opens the document once and reads chunks of
    :data:`CHUNK_PAGES` pages. Leaving the block stops the workers: at once when it is
    left by an error, in the background once every page is read (:func:`_retire`).

    ``scanned`` are the pages that are only an image: read by OCR
    (:mod:`~pipeline.extract.ocr`), seconds a page, so from two such pages on they are
    read in the pool, a page a task."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(path, password=settings.password or None)
    except Exception as error:
        raise PipelineError(f"not a readable PDF (pdfium: {error})", path=str(path),
                            hint="check that the file is the crosswalk PDF, complete") from None
    if len(document) != len(pdf.pages):
        document.close()
        raise PipelineError(
            f"the PDF libraries disagree on its number of pages (pdfium {len(document)}, "
            f"pdfminer {len(pdf.pages)}): its structure is damaged", path=str(path),
            hint="get an undamaged copy of the PDF, or read it with --engine pdfplumber")
    checked = (_checked(pdf, number, limits) for number in numbers)
    workers = min(os.cpu_count() or 1, len(numbers))
    ocr = _Ocr.of(settings, scanned) if scanned else None
    few = len(scanned) < 2 and len(numbers) < MIN_POOL_PAGES
    if few or workers < 2 or not _can_fork():
        try:
            yield _read_here(document, checked, ocr)
        finally:
            document.close()
        return
    document.close()  # each worker opens its own
    context = multiprocessing.get_context("fork")
    with _frozen_objects():
        pool = context.Pool(workers, initializer=_open_worker,
                            initargs=(path, settings.password, ocr))
    try:
        yield _read_in_pool(pool, checked, 2 * workers, workers, 1 if scanned else CHUNK_PAGES)
    except BaseException:
        pool.terminate()  # stopped at once: the pages being read are not wanted
        raise
    _retire(pool)


def _retire(pool) -> None:
    """Stop a pool whose work is done without waiting for it: its workers are idle, and
    stopping them (a signal each, then their exit) takes 5 to 15 ms, which the caller
    spends assembling the tables instead. Should the process end first, multiprocessing
    stops them on its way out."""
    import threading

    threading.Thread(target=pool.terminate, name="pdfium-pool-retire", daemon=True).start()


@contextmanager
def _frozen_objects() -> Iterator[None]:
    """This process's objects kept out of the collector's sight while workers are forked:
    a forked worker shares this process's memory until it writes to it, and a collection
    in the worker would write to every object it looks at (pandas, numpy and the rest),
    copying most of the memory this process has. (Measured on the unruled crosswalk: the
    workers' time falls by a quarter.) A process that froze its objects before (the CLI,
    after its imports) keeps them frozen; otherwise they are thawed once forked."""
    import gc

    frozen_before = gc.get_freeze_count()
    gc.freeze()
    try:
        yield
    finally:
        if not frozen_before:
            gc.unfreeze()


def _can_fork() -> bool:
    """A pool of forked workers: only where fork exists (a spawned worker would import
    everything again, which costs more than the pages), and not from inside a worker of
    another pool (a daemon process may not start processes)."""
    return ("fork" in multiprocessing.get_all_start_methods()
            and not multiprocessing.current_process().daemon)


class _Checked(NamedTuple):
    """A page checked before it is read: ``page`` holds its size (and notices), ``frame``
    is None when it must not be read (over the page's limit, or damaged)."""

    page: PdfiumPage
    frame: PageFrame | None


def _checked(pdf, number: int, limits: Limits) -> _Checked:
    """The size of a page's content streams decompressed (counted only just past the
    limit: a PDF bomb is never inflated) and pdfminer's notices of damage while decoding
    them, as the other engines check them."""
    page = pdf.pages[number - 1]
    try:
        size, clean = content_check(page, min(limits.max_page_content_bytes,
                                              limits.max_pdf_content_bytes))
        if size > limits.max_page_content_bytes:
            return _Checked(PdfiumPage(number, size), None)
        if not clean:  # pdfminer decodes the streams and says what is wrong
            with pdf_layer_notices() as notices:
                lost = lost_content_streams(page)
            notices = [n for n in notices if not FONT_NOTICES.search(n)] + lost
            if notices:
                return _Checked(PdfiumPage(number, size, notices=tuple(notices)), None)
        return _Checked(PdfiumPage(number, size), PageFrame.of(page))
    except Exception as error:  # a damaged page dictionary
        return _Checked(PdfiumPage(number, 0, error=f"{type(error).__name__}: {error}"), None)
    finally:
        page.close()


class _Ocr(NamedTuple):
    """How a worker reads the scanned pages (``pages``): the OCR settings and the cache."""

    settings: object  # pipeline.extract.ocr.OcrSettings
    cache: object  # pipeline.extract.ocr.OcrCache
    pages: frozenset[int]

    @classmethod
    def of(cls, settings: PdfSettings, scanned: Sequence[int]) -> _Ocr:
        from pipeline.extract.ocr import OcrCache

        return cls(settings.ocr_settings(), OcrCache(), frozenset(scanned))


def _read_one(document, number: int, size: int, frame: PageFrame,
              ocr: _Ocr | None) -> PdfiumPage:
    """A page read by pdfium, or, if it is only an image, by OCR
    (:func:`~pipeline.extract.ocr_page.read_scanned_page`); what stops either is the
    page's ``error``."""
    if ocr is None or number not in ocr.pages:
        return read_page(document, number, size, frame)
    from pipeline.extract.ocr_page import read_scanned_page

    try:
        return read_scanned_page(document, number, size, frame, ocr.settings, ocr.cache)
    except Exception as error:  # a page OCR cannot read: say which
        return PdfiumPage(number, size, error=f"{type(error).__name__}: {error}")


def _read_here(document, checked: Iterator[_Checked], ocr: _Ocr | None) -> Iterator[PdfiumPage]:
    for page, frame in checked:
        if frame is None:
            yield page
            return
        yield _read_one(document, page.number, page.content_bytes, frame, ocr)


def _read_in_pool(pool, checked: Iterator[_Checked], window: int,
                  workers: int, chunk_pages: int = CHUNK_PAGES) -> Iterator[PdfiumPage]:
    """The pages read by the pool, in order: pages are checked here and handed out in
    chunks, at most ``window`` chunks ahead of the one being consumed. Each worker's first
    chunk is a single page, so that the pages start coming back at once (this process
    has work to do with each, finding an unruled page's tables)."""
    pending: deque = deque()  # AsyncResults, or a list of pages already known
    chunk: list[tuple[int, int, PageFrame]] = []
    handed = 0

    def hand_out() -> None:
        nonlocal handed
        if chunk:
            pending.append(pool.apply_async(_read_chunk, (list(chunk),)))
            chunk.clear()
            handed += 1

    def results(item) -> list[PdfiumPage]:
        return item if isinstance(item, list) else item.get()

    for page, frame in checked:
        if frame is None:  # refused: the last page handed back
            hand_out()
            pending.append([page])
            break
        chunk.append((page.number, page.content_bytes, frame))
        if len(chunk) == (1 if handed < workers else chunk_pages):
            hand_out()
        while len(pending) > window:
            yield from results(pending.popleft())
    hand_out()
    while pending:
        yield from results(pending.popleft())


_DOCUMENT = None  # the document a pool worker has open
_OCR: _Ocr | None = None  # how it reads a scanned page


def _open_worker(path: Path, password: str, ocr: _Ocr | None = None) -> None:
    """A pool's initializer: must not raise (the pool would start workers for ever); a
    document that does not open is each page's error."""
    import pypdfium2

    global _DOCUMENT, _OCR
    _OCR = ocr
    try:
        _DOCUMENT = pypdfium2.PdfDocument(path, password=password or None)
    except Exception as error:
        _DOCUMENT = error


def _read_chunk(chunk: Sequence[tuple[int, int, PageFrame]]) -> list[PdfiumPage]:
    if isinstance(_DOCUMENT, Exception):
        return [PdfiumPage(number, size, error=f"pdfium cannot open the document ({_DOCUMENT})")
                for number, size, _ in chunk]
    pages = [_read_one(_DOCUMENT, number, size, frame, _OCR) for number, size, frame in chunk]
    # The header searches cost as much as reading the page, and done here they run on
    # every core: an unruled page comes with its headers found (``_with_headers``), a
    # ruled one with the headers among its tables' rows found, for the merge of the
    # pages; its lines are needed only for a glyph to refuse, and not sent back else.
    return [page if page.error else
            _with_headers(page) if not page.ruled else
            replace(page, tables=list(map(with_headers_found, page.tables)),
                    lines=page.lines if page.unread else [])
            for page in pages]


def _with_headers(page: PdfiumPage) -> PdfiumPage:
    """An unruled page with the tables its headers open, their rows, and the headers
    among those rows.

    What goes back to the reader is only what it still needs, as copying a page's words
    between processes costs about as much as finding its tables: the lines above the
    first header (a table continued from the page before can lie only there:
    :func:`table_spans`) and the words outside the tables found (its prose is among
    them). A page with a glyph to refuse keeps every line, which the report quotes."""
    lines = page.lines
    headers = tuple(header_spans(lines))
    tables = tuple(with_headers_found(FoundTable(span.box, *span_rows(lines, span)))
                   for span in headers)
    if page.unread:
        return replace(page, headers=headers, header_tables=tables)
    above = lines[:headers[0].start] if headers else lines
    return replace(page, headers=headers, header_tables=tables,
                   lines=[Line(line.words) for line in above],  # what was worked out, left
                   outside_header_tables=words_outside(page.words, [t.bbox for t in tables]))
