"""camelot driven a chunk of pages at a time: what is known of the pages ahead before
camelot reads them, and the calls that read them.

``camelot.read_pdf`` opens the document with its PDF library (playa) on every call and
resolves its page tree; called once per page, a long document was opened as many times
as it has pages (issue 14: a 310-page PDF took 114 s, 32 s of it system time). One call
reads a chunk of :data:`CHUNK_PAGES` pages — a bounded amount of work and memory per
call — each page with its own options (``per_page``: the table areas and columns its
headers give).

Those options must be known before the call, for the pages ahead too: whether a page is
ruled (lattice or stream) and, for stream, its text lines. They are read with pdfium
(:func:`~pipeline.extract.pdfium_page.read_page`: characters, words and path segments in
a few milliseconds a page, by pdfplumber's rules), not with a full pdfminer parse of each
page, which the reader does anyway, one page at a time, for the prose.

A page ahead is taken into a chunk only when it may be read: its content streams
decompress cleanly and within the limits (:func:`~pipeline.extract.pdf_checks.
content_check`, as the reader checks every page before reading it) and pdfium reads it.
The first page that may not ends the chunk; the reader reaches it in turn, alone, and
refuses it with its own page number. For the same reason the PDF libraries' notices of
damage logged while camelot reads a chunk are held back from the reader (which collects
them for the page it is reading, the chunk's first): a chunk with any, or one camelot
fails on, is read again a page at a time, each page in its own turn.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.extract.pdf_checks import (
    FONT_NOTICES,
    PDF_LOGGERS,
    content_check,
    pdf_layer_notices,
)
from pipeline.extract.pdf_layout import Line, is_ruled, text_lines
from pipeline.limits import Limits

#: Pages per ``read_pdf`` call: the cost of opening the document is paid once per chunk,
#: and the memory of a call is that of a chunk's pages. Measured on a 151-page unruled
#: crosswalk (bench/large_pdf.py, 6×; 2 loaded cores): 25.5 s of CPU in chunks of 8
#: against 29.9 s page by page, the same 1,170 rows, peak 188 against 181 MiB.
CHUNK_PAGES = 8


@dataclass(frozen=True)
class PageAhead:
    """What is known of a page before camelot reads it: its height (camelot's
    coordinates start at the bottom), whether it is ruled, and its text lines (empty
    when they were not needed)."""

    number: int
    height: float
    ruled: bool
    lines: list[Line] = field(default_factory=list)


@dataclass(frozen=True)
class PagePlan:
    """How camelot reads one page: the flavor and the options of that page alone (the
    table areas and columns its headers give); ``skip`` when there is nothing to read (an
    unruled page without a table)."""

    page: PageAhead
    flavor: str
    options: dict[str, Any] = field(default_factory=dict)
    skip: bool = False


def chunk_numbers(numbers: Sequence[int], number: int, size: int | None = None) -> list[int]:
    """The pages of the chunk that begins at page ``number``: it and the pages that follow
    it in ``numbers`` (the pages to read, in reading order), ``size`` at most
    (:data:`CHUNK_PAGES` unless given).

    >>> chunk_numbers([1, 2, 3, 4, 5], 2, size=3)
    [2, 3, 4]
    >>> chunk_numbers([1, 2, 3], 7, size=3)  # a page not in the list is read alone
    [7]
    """
    if number not in numbers:
        return [number]
    size = CHUNK_PAGES if size is None else size
    start = list(numbers).index(number)
    return list(numbers[start:start + size])


def pages_ahead(path: Path, first_page, numbers: Sequence[int], password: str,
                limits: Limits, with_lines: bool) -> list[PageAhead]:
    """What pdfium reads of the pages ``numbers`` (a chunk; ``first_page`` is the
    pdfplumber page of its first, which the reader has already checked). A later page
    whose content is not clean or over the limit, or which pdfium cannot read, ends the
    list before it. Should pdfium fail on the first page, pdfplumber tells (its edges
    and words), so that the page is read as before."""
    import pypdfium2

    pdf = getattr(first_page, "pdf", None)
    cap = min(limits.max_page_content_bytes, limits.max_pdf_content_bytes)
    found: list[PageAhead] = []
    try:
        document = pypdfium2.PdfDocument(path, password=password or None)
    except Exception:
        document = None
    try:
        for index, number in enumerate(numbers):
            page = first_page if index == 0 else pdf.pages[number - 1]
            if index and not _may_read(page, cap):
                break
            read = _read_by_pdfium(document, number, page)
            if read is None:
                if index:
                    break
                found.append(_by_pdfplumber(page, with_lines))
                continue
            found.append(PageAhead(number, float(page.height), read.ruled,
                                   read.lines if with_lines else []))
    finally:
        if document is not None:
            document.close()
    return found


def _read_by_pdfium(document, number: int, page):
    """The page read by pdfium (:func:`~pipeline.extract.pdfium_page.read_page`), or None
    where pdfium cannot read it."""
    from pipeline.extract.pdfium_page import PageFrame, read_page

    if document is None:
        return None
    try:
        read = read_page(document, number, 0, PageFrame.of(page))
    except Exception:  # a damaged page dictionary
        return None
    return None if read.error is not None else read


def _may_read(page, cap: int) -> bool:
    """Whether a page ahead may be read now: its content streams decompress cleanly and
    within ``cap`` bytes (counted only up to just past it)."""
    try:
        size, clean = content_check(page, cap)
    except Exception:  # a damaged page dictionary: the reader says so in turn
        return False
    finally:
        page.close()
    return clean and size <= cap


def _by_pdfplumber(page, with_lines: bool) -> PageAhead:
    return PageAhead(page.page_number, float(page.height),
                     is_ruled(page.vertical_edges, page.horizontal_edges),
                     text_lines(page.extract_words()) if with_lines else [])


def read_tables(path: Path, plans: Sequence[PagePlan], common: dict[str, dict[str, Any]],
                password: str, withhold_notices: bool) -> dict[int, list]:
    """camelot's tables of the planned pages, by page number, in camelot's order on each
    page: one ``read_pdf`` call per flavor (a chunk is mostly of one), with that flavor's
    ``common`` options and each page's own (``per_page``; a ``per_page`` among the
    common options, the settings', is merged over the plan's).

    With ``withhold_notices`` the PDF libraries' notices of damage do not reach whoever
    is collecting them for the page being read (they may come from a page ahead): any
    notice makes this raise :class:`NoticesWhileReading`, and the caller reads the pages
    one by one instead. Should camelot fail where the libraries report damage (other
    than a font's glyph map), :class:`DamagedPage` says so."""
    import camelot  # heavy (OpenCV); only when chosen

    found: dict[int, list] = {plan.page.number: [] for plan in plans}
    wanted = [plan for plan in plans if not plan.skip]
    for flavor in dict.fromkeys(plan.flavor for plan in wanted):
        group = [plan for plan in wanted if plan.flavor == flavor]
        options = dict(common[flavor])
        per_page = {plan.page.number: dict(plan.options) for plan in group if plan.options}
        for number, extra in dict(options.pop("per_page", None) or {}).items():
            per_page.setdefault(int(number), {}).update(extra)
        if password:
            options["password"] = password
        with warnings.catch_warnings(), _notices(withhold_notices) as notices:
            # camelot warns "No tables found on page-N" for a page of prose: not news.
            warnings.simplefilter("ignore")
            try:
                tables = camelot.read_pdf(
                    str(path), pages=",".join(str(plan.page.number) for plan in group),
                    flavor=flavor, suppress_stdout=True,
                    **({"per_page": per_page} if per_page else {}), **options)
            except Exception as error:
                if any(not FONT_NOTICES.search(notice) for notice in notices):
                    raise DamagedPage("; ".join(notices)) from error
                raise
        if withhold_notices and notices:
            raise NoticesWhileReading("; ".join(notices))
        for table in tables:
            found[int(table.page)].append(table)
    return found


class NoticesWhileReading(Exception):
    """The PDF libraries reported damage while camelot read a chunk of pages."""


class DamagedPage(Exception):
    """camelot failed on pages the PDF libraries reported damage in (which is the news:
    camelot's own error comes of it)."""


@contextmanager
def _notices(withheld: bool) -> Iterator[list[str]]:
    """The notices of damage logged while the block runs, kept from any other collector
    (and from the console) when ``withheld``; otherwise seen by whoever collects them too
    (the reader, for the page it reads)."""
    if not withheld:
        with pdf_layer_notices() as notices:
            yield notices
        return
    loggers = [logging.getLogger(name) for name in PDF_LOGGERS]
    saved = [(logger, list(logger.handlers), logger.propagate) for logger in loggers]
    for logger, handlers, _ in saved:
        for handler in handlers:
            logger.removeHandler(handler)
        logger.propagate = False
    try:
        with pdf_layer_notices() as notices:
            yield notices
    finally:
        for logger, handlers, propagate in saved:
            for handler in handlers:
                logger.addHandler(handler)
            logger.propagate = propagate
