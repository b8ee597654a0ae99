"""The table engines behind the PDF reader: pdfium (default), pdfplumber and camelot.

Each turns one page into :class:`FoundTable` s — a box in pdfplumber coordinates and
rows of cell strings, a cell's lines joined by ``\\n`` — so the reader does not care
which engine ran. Every engine reads a ruled page by its lines and an unruled page by
its text unless the settings pin the method:

=========  ======================================  =======================================
engine     ruled page (grid lines)                  unruled page
=========  ======================================  =======================================
pdfium     cells of the grid the page's path        columns anchored on the header row,
           segments draw, by pdfplumber's           one row per text line
           ``lines`` rules
pdfplumber ``lines`` strategy                       columns anchored on the header row
                                                   (``explicit`` verticals, ``text`` rows)
camelot    ``lattice``                              ``stream`` in the areas and columns the
                                                   headers give (unless options set them)
=========  ======================================  =======================================

On an unruled page every header opens a table with its own columns
(:func:`~pipeline.extract.pdf_layout.table_spans`): a page may end one domain's table and,
below the next domain's heading and paragraph, begin another with other column widths.
The pdfium engine lives in its own module: it reads the pages in a pool of processes,
so the reader hands it the document, not page by page.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.extract.camelot_chunks import (
    DamagedPage,
    PageAhead,
    PagePlan,
    chunk_numbers,
    pages_ahead,
    read_tables,
)
from pipeline.extract.pdf_layout import (
    Columns,
    FoundTable,
    is_ruled,
    table_spans,
    text_lines,
)
from pipeline.extract.pdf_settings import PdfSettings
from pipeline.limits import current_limits

LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
#: camelot's stream default (edge_tol=50) ends a table at the first vertical gap wider
#: than 50 pt; a tall cell beside short ones leaves such gaps, and camelot then dropped
#: the rest of the page (measured on the fixtures: 177 of 466 words of page 2 kept).
STREAM_DEFAULTS = {"edge_tol": 500}
#: Both flavors. pdfminer's vertical-text detection (on in camelot) glued a mark alone on
#: a line (``≈``) to the first letter of the line below into a "vertical" line: ``≈`` was
#: lost and ``Communicating`` read ``ommunicating``; the crosswalk has no vertical text.
#: pdfminer also joins words across a narrow cell gap into one text line (a browser pads
#: cells by ~6 pt), which camelot put whole into one cell (``Planning & Organizing
#: Defines, creates a``); ``split_text`` cuts such a line at the cell boundaries.
BOTH_DEFAULTS = {"layout_kwargs": {"detect_vertical": False}, "split_text": True}


class PdfplumberTables:
    """Tables of a page by pdfplumber; remembers the last unruled table's columns so a
    page that does not repeat the header is still read."""

    def __init__(self, settings: PdfSettings) -> None:
        self.settings = settings
        self.columns: Columns | None = None

    def __call__(self, page, number: int) -> list[FoundTable]:
        if self.settings.table_settings is not None:
            return self._find(page, dict(self.settings.table_settings))
        if is_ruled(page.vertical_edges, page.horizontal_edges):
            # A row cut by the page break is often left open (no line under it, or none
            # above its rest on the next page), and pdfplumber drops an open cell. The
            # ends of the vertical rules close the table.
            verticals = page.vertical_edges
            ends = [min(e["top"] for e in verticals), max(e["bottom"] for e in verticals)]
            return self._find(page, {**LINES, "explicit_horizontal_lines": ends})
        return self._unruled(page)

    @staticmethod
    def _find(page, table_settings: dict) -> list[FoundTable]:
        return [FoundTable(tuple(t.bbox), [[cell or "" for cell in row] for row in t.extract()])
                for t in page.find_tables(table_settings)]

    def _unruled(self, page) -> list[FoundTable]:
        # pdfplumber's own ``text`` strategy finds columns where words happen to align;
        # in wrapped prose cells many do, and it cut cells into a dozen columns. The
        # header row says where the columns are: their left edges become explicit lines.
        spans = table_spans(text_lines(page.extract_words()), self.columns)
        found = []
        for span in spans:
            region = page.crop(span.box, strict=False)
            tables = region.find_tables({
                "vertical_strategy": "explicit",
                "explicit_vertical_lines": [*span.columns.lefts, span.box[2] - 1],
                "horizontal_strategy": "text",
            })
            found += [FoundTable(span.box, [[cell or "" for cell in row] for row in t.extract()],
                                 [row.bbox[1] for row in t.rows])
                      for t in tables[:1]]
        if spans:
            self.columns = spans[-1].columns  # the table that the next page may continue
        return found


class CamelotTables:
    """Tables of a page by camelot, read a chunk of pages per ``read_pdf`` call
    (:mod:`~pipeline.extract.camelot_chunks`): asked for the first page of a chunk, it
    reads the chunk and keeps the other pages' tables until the reader asks for them, in
    page order. Each page keeps its own flavor and, read by stream, the table areas and
    columns its headers give."""

    def __init__(self, path: Path, settings: PdfSettings) -> None:
        self.path = path
        self.settings = settings
        self.columns: Columns | None = None  # as PdfplumberTables.columns
        self._ahead: dict[int, list[FoundTable]] = {}  # pages of the chunk not yet asked for
        #: pages read one by one: the rest of a chunk that failed or in which the PDF
        #: libraries reported damage, so that each page answers for itself
        self._alone: set[int] = set()

    def __call__(self, page, number: int) -> list[FoundTable]:
        if number in self._ahead:
            return self._ahead.pop(number)
        self._ahead.clear()
        numbers = [number] if number in self._alone else chunk_numbers(
            self._numbers(page), number)
        pages = pages_ahead(self.path, page, numbers, self.settings.password,
                            current_limits(), with_lines=self.settings.flavor != "lattice")
        if len(pages) > 1:
            columns = self.columns
            try:
                self._ahead = self._read(pages, withhold_notices=True)
                return self._ahead.pop(number)
            except Exception:
                # A page of the chunk is damaged or camelot failed on one: which is for
                # that page's own read to say. This page alone now, the rest in turn.
                self.columns = columns
                self._alone.update(ahead.number for ahead in pages[1:])
                pages = pages[:1]
        try:
            self._ahead = self._read(pages, withhold_notices=False)
        except DamagedPage:
            # camelot broke on a page the PDF libraries report damaged. The reader heard
            # the same notices and refuses the page for its damage, which is the news.
            self._ahead = {number: []}
        return self._ahead.pop(number)

    def _numbers(self, page) -> list[int]:
        """The pages the reader reads, in order, by the settings (a page handed in
        without its document is read alone)."""
        document = getattr(page, "pdf", None)
        return self.settings.page_numbers(len(document.pages)) if document is not None else []

    def _read(self, pages: list[PageAhead], withhold_notices: bool) -> dict[int, list[FoundTable]]:
        plans = [self._plan(ahead) for ahead in pages]
        common = {flavor: self._options(flavor) for flavor in {plan.flavor for plan in plans}}
        tables = read_tables(self.path, plans, common, self.settings.password,
                             withhold_notices)
        return {plan.page.number: [_found_table(table, plan) for table in tables[plan.page.number]]
                for plan in plans}

    def _plan(self, ahead: PageAhead) -> PagePlan:
        """How camelot reads the page: lattice if it is ruled, else stream (unless the
        settings pin the flavor), stream in the areas and columns the headers give."""
        flavor = self.settings.flavor
        if flavor == "auto":
            flavor = "lattice" if ahead.ruled else "stream"
        if flavor != "stream" or {"table_areas", "columns"} & set(self.settings.camelot_options):
            return PagePlan(ahead, flavor)
        # Left to guess, stream takes a whole page for one table (prose and a second
        # table's header included) and merges columns whose gap is narrow (12 pt in a
        # browser's rendering). As for pdfplumber, the headers say where each table lies
        # and where its columns part; camelot then reads the cells.
        spans = table_spans(ahead.lines, self.columns)
        if not spans:
            return PagePlan(ahead, flavor, skip=True)
        self.columns = spans[-1].columns
        height = ahead.height
        return PagePlan(ahead, flavor, {
            "table_areas": [f"{b[0]},{height - b[1]},{b[2]},{height - b[3]}"
                            for b in (s.box for s in spans)],
            "columns": [",".join(str(x) for x in s.columns.lefts[1:]) for s in spans]})

    def _options(self, flavor: str) -> dict:
        """The options of every page read by ``flavor``: ours, then the settings'."""
        return {**BOTH_DEFAULTS, **(STREAM_DEFAULTS if flavor == "stream" else {}),
                **self.settings.camelot_options}


def _found_table(table, plan: PagePlan) -> FoundTable:
    """A camelot table as the reader takes it: a box in pdfplumber's coordinates (camelot's
    start at the bottom left), and, for a table read line by line, each row's top."""
    height = plan.page.height
    # camelot's row bounds of a table read line by line lie halfway between lines, which
    # hides the spacing that tells rows apart; the text lines' own tops keep it.
    lines = plan.page.lines if plan.flavor != "lattice" else []

    def text_top(upper: float, lower: float) -> float:
        return next((line.top for line in lines
                     if upper <= (line.top + line.bottom) / 2 <= lower), upper)

    (left, _), (_, right) = table.cols[0], table.cols[-1]
    (top, _), (_, bottom) = table.rows[0], table.rows[-1]
    box = (left, height - top, right, height - bottom)
    tops = ([text_top(height - upper, height - lower) for upper, lower in table.rows]
            if lines else None)
    return FoundTable(box, table.df.astype(str).values.tolist(), tops)


def table_finder(path: Path, settings: PdfSettings):
    """The page → tables function of the settings' engine."""
    if settings.engine == "camelot":
        return CamelotTables(path, settings)
    if settings.engine == "pdfium":
        # imported here: the pdfium engine's module builds on this one
        from pipeline.extract.pdfium_engine import PdfiumTables

        return PdfiumTables(settings)
    return PdfplumberTables(settings)
