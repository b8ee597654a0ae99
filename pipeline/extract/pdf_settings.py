"""Extraction settings of a PDF source: the ``[source.settings]`` table of raw/sources.toml.

Plain data in the manifest, loaded into a frozen :class:`PdfSettings` whose defaults
and checks live in ``__post_init__`` (after pdfplumber's ``TableSettings``), so a
typo in the manifest fails at load time with the manifest and the source named, not
halfway through a long extraction::

    [[source]]
    id = "coe-alliance-crosswalk-2023-pdf"
    format = "crosswalk-table-pdf"
    ...
    [source.settings]
    pages = "3-40"                      # "all" (default), "5", "3-40", "1,3,8-end"
    engine = "pdfium"                   # default; "pdfplumber", "camelot"; `--engine` overrides
    table_settings = { vertical_strategy = "lines", horizontal_strategy = "lines" }
    flavor = "lattice"                  # camelot: auto, lattice, stream, network, hybrid
    camelot_options = { line_scale = 40 }
    ocr = "auto"                        # pages that are only an image (a scan): "auto"
                                        # reads them by OCR (pdfium engine), "off" refuses them
    ocr_dpi = 300                       # a scanned page that must be rendered: at this dpi
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

#: ``pdfium`` (the default) reads characters and ruling lines with pdfium and builds the
#: tables itself as the ``pdfplumber`` engine finds them, many times faster
#: (:mod:`~pipeline.extract.pdfium_engine`).
ENGINES = ("pdfplumber", "camelot", "pdfium")
#: ``auto`` (ours): per page, lattice where the page has ruling lines, else stream.
FLAVORS = ("auto", "lattice", "stream", "network", "hybrid")
#: ``auto``: a page that is only an image is read by OCR (docs/ocr.md); ``off``: refused.
OCR_MODES = ("auto", "off")
_RANGE = re.compile(r"^(\d+)(?:-(\d+|end))?$")


@dataclass(frozen=True)
class PdfSettings:
    """How to read the tables of one PDF.

    ``table_settings`` (pdfplumber) and ``flavor`` (camelot) left at their defaults
    choose per page: a page with ruling lines is read by its lines (pdfplumber
    ``lines``, camelot ``lattice``), a page without by the text (pdfplumber: columns
    anchored on the header row, camelot ``stream``). Given, they apply to every page.
    The pdfium engine always chooses per page, as pdfplumber does by default.

    >>> PdfSettings(pages="3-5").page_numbers(10)
    [3, 4, 5]
    >>> PdfSettings(pages="1,4-end").page_numbers(6)
    [1, 4, 5, 6]
    >>> PdfSettings(engine="tabula")
    Traceback (most recent call last):
    ...
    ValueError: engine must be one of pdfplumber, camelot, pdfium, not 'tabula'
    """

    pages: str = "all"
    engine: str = "pdfium"
    # Mappings are stored read-only and left out of the hash (a dict is unhashable).
    table_settings: Mapping[str, Any] | None = field(default=None, hash=False)
    flavor: str = "auto"
    camelot_options: Mapping[str, Any] = field(default_factory=dict, hash=False)
    #: the password of an encrypted PDF ("" for none, or one that is only owner-protected)
    password: str = field(default="", repr=False)
    ocr: str = "auto"
    ocr_dpi: int = 300

    def __post_init__(self) -> None:
        object.__setattr__(self, "pages", str(self.pages).strip().lower() or "all")
        _page_ranges(self.pages)  # raises on a bad spec
        if self.engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {self.engine!r}")
        if self.flavor not in FLAVORS:
            raise ValueError(f"flavor must be one of {', '.join(FLAVORS)}, not {self.flavor!r}")
        if self.table_settings is not None:
            object.__setattr__(self, "table_settings", _checked_table_settings(self.table_settings))
        if not isinstance(self.camelot_options, Mapping):
            raise ValueError("camelot_options must be a table of read_pdf options")
        if not isinstance(self.password, str):
            raise ValueError("password must be a string")
        if self.ocr not in OCR_MODES:
            raise ValueError(f"ocr must be one of {', '.join(OCR_MODES)}, not {self.ocr!r}")
        self.ocr_settings()  # raises on a bad ocr_dpi
        reserved = {"pages", "flavor", "filepath", "password"} & set(self.camelot_options)
        if reserved:
            raise ValueError(f"camelot_options may not set {', '.join(sorted(reserved))}: "
                             "use the settings of the same name")
        object.__setattr__(self, "camelot_options", MappingProxyType(dict(self.camelot_options)))

    def page_numbers(self, count: int) -> list[int]:
        """The 1-based pages to read of a document with ``count`` pages, in order."""
        numbers: list[int] = []
        for first, last in _page_ranges(self.pages):
            last = count if last is None else last
            if first > count or last > count:
                raise ValueError(f"pages {self.pages!r} asks for page {max(first, last)} "
                                 f"of a document with {count} pages")
            numbers.extend(n for n in range(first, last + 1) if n not in numbers)
        return numbers

    def ocr_settings(self):
        """How scanned pages are read (:class:`~pipeline.extract.ocr.OcrSettings`), or
        None when OCR is off."""
        from pipeline.extract.ocr import OcrSettings

        return None if self.ocr == "off" else OcrSettings(dpi=self.ocr_dpi)

    def with_engine(self, engine: str | None) -> PdfSettings:
        """These settings with another engine (the CLI's ``--engine``); None keeps it."""
        return self if engine is None else replace(self, engine=engine)


def _page_ranges(spec: str) -> list[tuple[int, int | None]]:
    """``"all"`` → [(1, None)]; ``"1,4-end"`` → [(1, 1), (4, None)]; None means the end."""
    if spec == "all":
        return [(1, None)]
    ranges: list[tuple[int, int | None]] = []
    for part in spec.replace(" ", "").split(","):
        match = _RANGE.match(part)
        if not match:
            raise ValueError(f"pages {spec!r}: {part!r} is no page or range "
                             "(write e.g. \"all\", \"5\", \"3-40\" or \"1,4-end\")")
        first = int(match.group(1))
        last = match.group(2)
        last_page = first if last is None else None if last == "end" else int(last)
        if first < 1 or (last_page is not None and last_page < first):
            raise ValueError(f"pages {spec!r}: {part!r} is an empty range (pages count from 1)")
        ranges.append((first, last_page))
    return ranges


def _checked_table_settings(settings: Mapping[str, Any]) -> Mapping[str, Any]:
    if not isinstance(settings, Mapping):
        raise ValueError("table_settings must be a table of pdfplumber table settings")
    # pdfplumber checks the names and values itself; imported here because loading the
    # manifest should not cost a PDF library unless a PDF source has settings.
    from pdfplumber.table import TableSettings

    try:
        TableSettings.resolve(dict(settings))
    except (TypeError, ValueError) as error:
        raise ValueError(f"table_settings: {error}") from None
    return MappingProxyType(dict(settings))


