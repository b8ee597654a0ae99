"""How large an input may be: the limits every stage checks before the expensive work.

A hostile or broken source (one 5 MB line, a cell of a million characters, HTML nested
ten thousand deep, a small PDF whose content inflates to gigabytes) must fail at once
with the file, the line or page and the limit named, not after minutes of work and
gigabytes of memory. The limits are plain data, a frozen :class:`Limits` with defaults
far above the real sources (the crosswalk's longest line is 1,490 characters, its
longest cell 746), overridable per source in the manifest::

    [[source]]
    id = "coe-alliance-crosswalk-2023-pdf"
    ...
    [source.limits]
    max_pdf_pages = 800                 # any key of Limits; unknown keys are refused

The extract stage makes the source's limits the ones in force while it reads
(:func:`limits_in_force`), so a reader deep down (``read_lines``) checks them without
every caller passing them on; a caller may also pass them explicitly.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError

#: The unit each limit counts, for the messages.
UNITS = {"max_file_bytes": "bytes", "max_line_chars": "characters",
         "max_cell_chars": "characters", "max_html_depth": "levels", "max_pdf_pages": "pages",
         "max_page_content_bytes": "bytes", "max_pdf_content_bytes": "bytes"}


@dataclass(frozen=True)
class Limits:
    """The largest input a source may be; every value a whole number of at least 1.

    >>> Limits(max_line_chars=500).max_line_chars
    500
    >>> Limits(max_pdf_pages=0)
    Traceback (most recent call last):
    ...
    ValueError: max_pdf_pages must be a whole number of at least 1, not 0
    """

    #: size of a source file, checked before it is read
    max_file_bytes: int = 50_000_000
    #: characters in one line of a text source
    max_line_chars: int = 100_000
    #: characters in one extracted cell (a table cell joined over its lines, a value)
    max_cell_chars: int = 20_000
    #: how deep HTML tags in one CT-AIMH cell may nest
    max_html_depth: int = 200
    #: pages of a PDF
    max_pdf_pages: int = 500
    #: bytes one PDF page's content streams decompress to
    max_page_content_bytes: int = 5_000_000
    #: bytes all the PDF's pages read decompress to, together
    max_pdf_content_bytes: int = 200_000_000

    def __post_init__(self) -> None:
        for name in (f.name for f in fields(self)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a whole number of at least 1, not {value!r}")

    def check(self, name: str, value: int, what: str, *, path: str | Path | None,
              line: int | None = None, page: int | None = None,
              at_least: bool = False) -> None:
        """Raise :func:`over_limit` if ``value`` is more than the limit ``name``."""
        if value > getattr(self, name):
            raise over_limit(self, name, value, what, path=path, line=line, page=page,
                             at_least=at_least)


def over_limit(limits: Limits, name: str, value: int, what: str, *,
               path: str | Path | None, line: int | None = None,
               page: int | None = None, at_least: bool = False) -> PipelineError:
    """The input error for ``what`` being ``value`` (``at_least``: that much or more,
    where counting stopped once past the limit), over the limit ``name``."""
    unit = UNITS[name]
    amount = f"{value:,} {unit}{' or more' if at_least else ''}"
    return PipelineError(
        f"{what} is {amount}, over the limit of {getattr(limits, name):,} {unit} ({name})",
        path=None if path is None else str(path), line=line, page=page,
        hint=f"a damaged or hostile file? If the source really is this large, raise {name} "
        "in its [source.limits] table in raw/sources.toml (docs/maintainers.md, Limits)")


_IN_FORCE: ContextVar[Limits] = ContextVar("limits_in_force", default=Limits())


def current_limits() -> Limits:
    """The limits of the source being read (the defaults outside the extract stage)."""
    return _IN_FORCE.get()


@contextmanager
def limits_in_force(limits: Limits) -> Iterator[Limits]:
    """Make ``limits`` the ones :func:`current_limits` gives while the block runs."""
    token = _IN_FORCE.set(limits)
    try:
        yield limits
    finally:
        _IN_FORCE.reset(token)


def check_file_size(path: Path, limits: Limits | None = None) -> None:
    """Refuse a file larger than ``max_file_bytes`` before anything reads it."""
    limits = limits or current_limits()
    limits.check("max_file_bytes", path.stat().st_size, "the file", path=path)


def refuse_long_cells(frames: Mapping[str, Any], path: Path, limits: Limits | None = None) -> None:
    """Refuse an extracted cell longer than ``max_cell_chars``, naming its line or page
    (the frame's ``source_line`` or ``source_page``), before any cell is cleaned."""
    limits = limits or current_limits()
    for name, frame in frames.items():
        for column in frame.columns:
            if frame[column].dtype.kind in "biufcmM":  # numbers and dates hold no text
                continue
            lengths = frame[column].map(lambda v: len(v) if isinstance(v, str) else 0)
            if not len(lengths) or lengths.max() <= limits.max_cell_chars:
                continue
            row = frame.loc[lengths.idxmax()]
            # a value's own line where the frame has one (``demonstrated_raw`` and
            # ``demonstrated_line``), else its row's
            own_line = f"{column.removesuffix('_raw')}_line"
            line = _location(row, own_line if own_line in frame.columns else "source_line")
            page = _location(row, "source_page")
            limits.check("max_cell_chars", int(lengths.max()), f"the cell {name}.{column}",
                         path=path, line=line, page=page)


def _location(row: Any, column: str) -> int | None:
    value = row.get(column)
    try:
        return None if value is None or value != value else int(value)
    except (TypeError, ValueError):
        return None
