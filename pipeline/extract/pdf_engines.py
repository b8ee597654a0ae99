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

import warnings
from pathlib import Path

from pipeline.extract.pdf_layout import (
    Columns,
    FoundTable,
    is_ruled,
    table_spans,
    text_lines,
)
from pipeline.extract.pdf_settings import PdfSettings

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
    """Tables of a page by camelot. camelot opens the file per call; one call per page
    keeps the progress bar moving and the memory of a long document flat."""

    def __init__(self, path: Path, settings: PdfSettings) -> None:
        self.path = path
        self.settings = settings
        self.columns: Columns | None = None  # as PdfplumberTables.columns

    def __call__(self, page, number: int) -> list[FoundTable]:
        import camelot  # heavy (OpenCV); only when chosen

        flavor = self.settings.flavor
        if flavor == "auto":
            ruled = is_ruled(page.vertical_edges, page.horizontal_edges)
            flavor = "lattice" if ruled else "stream"
        options = {**BOTH_DEFAULTS, **(STREAM_DEFAULTS if flavor == "stream" else {})}
        height = float(page.height)
        # camelot's row bounds of a table read line by line lie halfway between lines,
        # which hides the spacing that tells rows apart; the text lines' own tops keep it.
        lines = text_lines(page.extract_words()) if flavor != "lattice" else []
        if flavor == "stream" and not {"table_areas", "columns"} & set(self.settings.camelot_options):
            # Left to guess, stream takes a whole page for one table (prose and a second
            # table's header included) and merges columns whose gap is narrow (12 pt in
            # a browser's rendering). As for pdfplumber, the headers say where each table
            # lies and where its columns part; camelot then reads the cells.
            spans = table_spans(lines, self.columns)
            if not spans:
                return []
            self.columns = spans[-1].columns
            options.update(
                table_areas=[f"{b[0]},{height - b[1]},{b[2]},{height - b[3]}"
                             for b in (s.box for s in spans)],
                columns=[",".join(str(x) for x in s.columns.lefts[1:]) for s in spans])
        options.update(self.settings.camelot_options)
        with warnings.catch_warnings():
            # camelot warns "No tables found on page-N" for a page of prose: not news.
            warnings.simplefilter("ignore")
            if self.settings.password:
                options["password"] = self.settings.password
            tables = camelot.read_pdf(str(self.path), pages=str(number), flavor=flavor,
                                      suppress_stdout=True, **options)

        def text_top(upper: float, lower: float) -> float:
            return next((line.top for line in lines
                         if upper <= (line.top + line.bottom) / 2 <= lower), upper)

        found = []
        for table in tables:
            # camelot's coordinates start at the bottom left; pdfplumber's at the top left.
            (left, _), (_, right) = table.cols[0], table.cols[-1]
            (top, _), (_, bottom) = table.rows[0], table.rows[-1]
            box = (left, height - top, right, height - bottom)
            tops = ([text_top(height - upper, height - lower) for upper, lower in table.rows]
                    if lines else None)
            found.append(FoundTable(box, table.df.astype(str).values.tolist(), tops))
        return found


def table_finder(path: Path, settings: PdfSettings):
    """The page → tables function of the settings' engine."""
    if settings.engine == "camelot":
        return CamelotTables(path, settings)
    if settings.engine == "pdfium":
        # imported here: the pdfium engine's module builds on this one
        from pipeline.extract.pdfium_engine import PdfiumTables

        return PdfiumTables(settings)
    return PdfplumberTables(settings)
