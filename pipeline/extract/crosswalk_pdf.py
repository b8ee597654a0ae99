"""Extract the crosswalk tables from the PDF itself.

The PDF reader gives :func:`~pipeline.extract.crosswalk_table.assemble_crosswalk` the same
stream of records the text reader does — prose lines, header rows, table lines, each
with its page — so header layouts, continuation rows and domain headings are found by
the same code and the frames are the same, with ``source_page`` set instead of
``source_line``. What the PDF adds, and this module handles:

- tables come from an engine (pdfplumber or camelot, :mod:`~pipeline.extract.pdf_engines`);
  prose (the domain headings and their paragraphs) is every word outside the tables'
  boxes, read with pdfplumber whichever engine found the tables;
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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import PipelineError
from pipeline.extract.crosswalk_header import is_complete_header
from pipeline.extract.crosswalk_table import Record, TableExtract, assemble_crosswalk
from pipeline.extract.pdf_engines import FoundTable, table_finder
from pipeline.extract.pdf_layout import MAX_HEADER_LINES, group_lines, inside, text_lines
from pipeline.extract.pdf_settings import PdfSettings

if TYPE_CHECKING:
    import pandas as pd

    from pipeline.sources import Source

#: From this many pages on, extraction on a terminal shows a progress bar.
LONG_PDF_PAGES = 10


def extract(source: Source) -> dict[str, pd.DataFrame]:
    """The raw frames of the crosswalk PDF, read with the source's settings."""
    result = extract_crosswalk_pdf(source.file, source.id, source.settings)
    return {"domains": result.domains, "forward": result.forward, "reverse": result.reverse}


def extract_crosswalk_pdf(path: Path, source_id: str,
                          settings: PdfSettings | None = None) -> TableExtract:
    """The crosswalk's raw frames (all strings, ``source_page`` set) from its PDF."""
    import pdfplumber  # imported on use: the text sources never pay for it

    settings = settings or PdfSettings()
    try:
        pdf = pdfplumber.open(path)
    except Exception as error:  # pdfminer raises many types for a damaged file
        raise PipelineError(f"not a readable PDF ({error})", path=str(path),
                            hint="check that the file is the crosswalk PDF, complete") from None
    with pdf:
        if not pdf.pages:
            raise PipelineError("the PDF has no pages", path=str(path))
        try:
            numbers = settings.page_numbers(len(pdf.pages))
        except ValueError as error:
            raise PipelineError(str(error), path=str(path),
                                hint="fix `pages` in the source's [source.settings]") from None
        find_tables = table_finder(path, settings)
        parts = []
        for number in _progress(numbers, path):
            page = pdf.pages[number - 1]
            try:
                parts.append(read_page(page, number, find_tables(page, number)))
            except PipelineError:
                raise
            except Exception as error:  # a damaged page: say which
                raise PipelineError(f"page cannot be read ({type(error).__name__}: {error})",
                                    path=str(path), page=number) from None
            finally:
                page.close()  # pdfplumber caches a page's objects until it is closed
    records = list(merge_table_parts_across_pages(parts))
    result = assemble_crosswalk(records, path, source_id, unit="page")
    result.stats.update(pages=len(numbers), tables=sum(len(p.tables) for p in parts))
    return result


@dataclass(frozen=True)
class PagePart:
    """What one page holds: its prose lines (words outside every table's box) and the
    tables an engine found, each with its top, in the page's reading order."""

    number: int
    prose: list[tuple[float, str]]
    tables: list[FoundTable]


def read_page(page, number: int, tables: Sequence[FoundTable]) -> PagePart:
    """The prose and tables of one pdfplumber page."""
    boxes = [t.bbox for t in tables]
    words = [w for w in page.extract_words() if not any(inside(w, b) for b in boxes)]
    return PagePart(number, [(line.top, line.text) for line in text_lines(words)], list(tables))


def merge_table_parts_across_pages(parts: Iterable[PagePart]) -> Iterator[Record]:
    """One stream of records from the pages' prose and table parts, in reading order, in
    which a table continued over pages is one table.

    How a table part on a page joins the table in progress:

    - a part that repeats the header (in any of the wordings a header may take) opens
      the same layout again, and the header is read as such, not as a row;
    - a part without a header, as wide as the table in progress, goes on with it (a
      page that does not repeat the header);
    - a part without a header and of another width is prose the engine took for a
      table (a paragraph read as a one-column table);
    - rows above a part's first header are prose the engine took in (a domain's
      heading and paragraph); a row cut by the page break continues *below* the header,
      and :func:`~pipeline.extract.crosswalk_table.assemble_crosswalk` appends its cell
      tails to the row above, as for any continuation line.
    """
    width: int | None = None  # fields of the last header seen
    for part in parts:
        items: list[tuple[float, int, list[Record]]] = [
            (top, 0, [Record(part.number, text=text)]) for top, text in part.prose]
        for table in part.tables:
            records, width = _table_part_records(table, part.number, width)
            items.append((table.bbox[1], 1, records))
        for _, _, records in sorted(items, key=lambda item: item[:2]):
            yield from records


def _table_part_records(table: FoundTable, number: int,
                        width: int | None) -> tuple[list[Record], int | None]:
    """The records of one table part and the width of the table in progress after it
    (see :func:`merge_table_parts_across_pages`)."""
    tops = table.tops if table.tops is not None else [0.0] * len(table.rows)
    kept = [(cells, top) for cells, top in zip(map(_cells, table.rows), tops) if any(cells)]
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
        return Record(number, text=" ".join(c for c in cells if c))

    headers = _headers(rows)
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


def _cells(row: Sequence[str | None]) -> list[str]:
    """A row's cells, each cell's lines joined by a space (a wrap point). Runs of spaces
    are the engine's (camelot keeps a line's trailing space), not the document's."""
    return [" ".join((cell or "").split()) for cell in row]


def _headers(rows: list[list[str]]) -> list[tuple[int, int, list[str]]]:
    """(first row, number of rows, joined fields) of each header in a table's rows: a
    header wrapped over lines may come as up to :data:`MAX_HEADER_LINES` partial rows."""
    found = []
    start = 0
    while start < len(rows):
        for count in range(1, min(MAX_HEADER_LINES, len(rows) - start) + 1):
            fields = [" ".join(c for c in column if c)
                      for column in zip(*rows[start:start + count])]
            if is_complete_header(fields):
                found.append((start, count, fields))
                start += count
                break
        else:
            start += 1
    return found


def _progress(numbers: list[int], path: Path):
    """The page numbers, with a progress bar on stderr for a long PDF on a terminal."""
    from tqdm import tqdm

    return tqdm(numbers, desc=f"extract {path.name}", unit="page", leave=False,
                disable=not show_progress(len(numbers)))


def show_progress(pages: int) -> bool:
    """A bar only on a terminal (never in CI logs or a redirected stderr) and only for a
    document long enough to wait for."""
    return (pages >= LONG_PDF_PAGES and sys.stderr is not None and sys.stderr.isatty()
            and not os.environ.get("CI"))
