"""The headers inside a table part: which of an engine's rows are a (wrapped) header.

A table an engine found on a page may open with the header, repeat it, or hold none
(a page that does not repeat it); a header read line by line comes as several partial
rows. :func:`part_headers` finds them in the part's non-empty rows. It is most of the
work of merging pages (:func:`~pipeline.extract.crosswalk_pdf.merge_table_parts_across_pages`),
so the pdfium engine runs it where it reads the page, in a worker of its pool, and hands
the answer over with the table (:attr:`FoundTable.headers`); :func:`headers_of` takes it
from there or finds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from pipeline.extract.crosswalk_header import is_complete_header
from pipeline.extract.header_pieces import may_be_header_line
from pipeline.extract.pdf_layout import MAX_HEADER_LINES, FoundTable, may_begin_header

#: (first row, number of rows, joined fields) of one header among a part's rows.
Header = tuple[int, int, list[str]]


def row_cells(row: Sequence[str | None]) -> list[str]:
    """A row's cells, each cell's lines joined by a space (a wrap point). Runs of spaces
    are the engine's (camelot keeps a line's trailing space), not the document's.

    >>> row_cells(["Relation-\\nship ", None])
    ['Relation- ship', '']
    """
    return [" ".join((cell or "").split()) for cell in row]


def part_rows(table: FoundTable) -> list[list[str]]:
    """A table part's non-empty rows, each cell's lines joined."""
    return [cells for cells in map(row_cells, table.rows) if any(cells)]


def part_headers(rows: list[list[str]]) -> list[Header]:
    """Each header in a table's rows: a header wrapped over lines may come as up to
    :data:`MAX_HEADER_LINES` partial rows.

    >>> part_headers([["Endorsement Domain", "Endorsement Knowledge or Skill Area",
    ...                "CoE Competencies"], ["Theoretical", "Attachment", "1A.1"]])
    [(0, 1, ['Endorsement Domain', 'Endorsement Knowledge or Skill Area', 'CoE Competencies'])]
    """
    # A row with a word no header has is in none (see pipeline.extract.header_pieces).
    possible = [may_be_header_line(" ".join(row)) for row in rows]
    found = []
    start = 0
    while start < len(rows):
        header = _header_at(rows, start, possible)
        if header is None:
            start += 1
        else:
            found.append(header)
            start += header[1]
    return found


def _header_at(rows: list[list[str]], start: int, possible: list[bool]) -> Header | None:
    """The header whose first row is ``rows[start]``, if any: the fewest rows that make
    one, none of them a row no header is in."""
    for count in range(1, min(MAX_HEADER_LINES, len(rows) - start) + 1):
        if not possible[start + count - 1]:
            return None
        part = rows[start:start + count]
        if not may_begin_header(" ".join(row[0] for row in part if row[0])):
            continue  # no header begins so (is_complete_header asks this first)
        fields = [" ".join(c for c in column if c) for column in zip(*part)]
        if is_complete_header(fields):
            return start, count, fields
    return None


def headers_of(table: FoundTable) -> list[Header]:
    """The table's headers, as found where it was read or found now."""
    return list(table.headers) if table.headers is not None else part_headers(part_rows(table))


def with_headers_found(table: FoundTable) -> FoundTable:
    """The table with its headers found (in a pool's worker: see the module's note)."""
    return replace(table, headers=tuple(part_headers(part_rows(table))))
