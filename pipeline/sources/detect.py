"""Which format a source file is in, told from its content (``crosswalk sources add`` and
``replace`` use it unless ``--format`` is given).

A PDF is known by its signature, ``%PDF-`` within its first 1,024 bytes (where the PDF
reference allows it), and is read by the one format that reads a PDF (the crosswalk's,
``crosswalk-table-pdf``; with several, ``--format`` must say which). The text
formats are told apart by the structures their extractors read, not by titles, so a
new edition or an excerpt is recognised as well as the file in raw/:

* ``crosswalk-table-text``: tab-separated table rows of three cells or more, one cell a
  competency code (``1A.\\t1A.1. Demonstrates …\\t*\\t…``);
* ``ct-aimh-mentor-html``: tab-separated rows whose cells are HTML fragments
  (``<p>Systems Expertise</p> …\\t<p><i>Applies to …</i></p> <ul>``);
* ``crosswalk-web-records``: records, a competency code line without a tab
  (``4A.1. Understands …``) followed by ``key: value`` lines;
* ``illinois-flyer-text``: numbered headings counting up from one (``#1: Knowledge of …``).

A file shows a format when it has at least one of its structures. One format shown: that
is the format. None or several: an error naming the file and asking for ``--format``,
rather than a guess that would only fail later, in the extractor.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.formats import FORMATS
from pipeline.limits import Limits, check_file_size

#: The formats read from a PDF (the registry marks them).
PDF_FORMATS = tuple(name for name, f in FORMATS.items() if f.reads_pdf)
_PDF_SIGNATURE = b"%PDF-"

#: A CoE competency code at the start of a cell or line: ``1A.1``, ``4A. 1.``, ``3A.7.Text``.
_CODE = re.compile(r"^\s*[1-8][A-H]\.\s?\d{1,2}(?!\d)")
#: A code line of a web record: the code, then the skill text.
_CODE_LINE = re.compile(r"^[1-8][A-H]\.\s?\d{1,2}(?!\d)\.?\s*\S")
#: A ``key: value`` line: a short label without a full stop or tab, a colon, the value.
_KEY_LINE = re.compile(r"^[^:.\t]{1,80}:(?:\s|$)")
#: An HTML tag of the kinds a text export of a web page keeps.
_HTML_TAG = re.compile(r"<(?:p|u|i|b|em|strong|ul|ol|li|br|span|div)\b[^<>]*>", re.IGNORECASE)
#: A numbered heading of the flyer: ``#1: Title.``.
_NUMBERED_HEADING = re.compile(r"^#\s*(\d{1,2})\s*:\s*\S")


def _table_rows_with_codes(lines: list[str]) -> int:
    """Tab-separated rows of three cells or more with a competency code in a cell."""
    return sum(1 for line in lines
               if line.count("\t") >= 2 and any(_CODE.match(cell) for cell in line.split("\t")))


def _rows_of_html_cells(lines: list[str]) -> int:
    """Tab-separated rows with HTML markup in their cells."""
    return sum(1 for line in lines if "\t" in line and _HTML_TAG.search(line))


def _code_records(lines: list[str]) -> int:
    """Code lines without a tab whose next non-blank line is a ``key: value`` line."""
    filled = [line for line in lines if line.strip()]
    return sum(1 for line, after in pairwise(filled)
               if "\t" not in line and _CODE_LINE.match(line) and _KEY_LINE.match(after))


def _numbered_headings(lines: list[str]) -> int:
    """Headings ``#1:``, ``#2:`` … counting up from one, in order."""
    count = 0
    for line in lines:
        match = _NUMBERED_HEADING.match(line)
        if match and int(match.group(1)) == count + 1:
            count += 1
    return count


@dataclass(frozen=True)
class Signature:
    """What shows a text format: the structure, in words, and how many a file has."""

    format: str
    structure: str
    count: Callable[[list[str]], int]


#: The text formats and the structure each is told by.
SIGNATURES: tuple[Signature, ...] = (
    Signature("crosswalk-table-text", "tab-separated table rows with competency codes",
              _table_rows_with_codes),
    Signature("ct-aimh-mentor-html", "tab-separated rows of HTML cells", _rows_of_html_cells),
    Signature("crosswalk-web-records", "code lines followed by 'key: value' lines",
              _code_records),
    Signature("illinois-flyer-text", "numbered headings '#1:', '#2:' …", _numbered_headings),
)


def evidence(text: str) -> dict[str, int]:
    """How many of each text format's structures ``text`` has, by format name.

    >>> evidence("4A.1. Understands reflective practice.\\nEssential or important?: Essential")
    {'crosswalk-table-text': 0, 'ct-aimh-mentor-html': 0, 'crosswalk-web-records': 1, \
'illinois-flyer-text': 0}
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return {signature.format: signature.count(lines) for signature in SIGNATURES}


def detect_format(path: Path) -> str:
    """The name of the format (a key of :data:`pipeline.formats.FORMATS`) ``path`` is in.

    Raises :class:`PipelineError` naming the file when it is empty, neither a PDF nor
    text, or shows no text format or several: then ``--format`` must say which.
    """
    path = Path(path)
    check_file_size(path, Limits())
    data = path.read_bytes()
    names = ", ".join(FORMATS)
    if _PDF_SIGNATURE in data[:1024]:
        if len(PDF_FORMATS) == 1:
            return PDF_FORMATS[0]
        raise PipelineError("cannot tell the format: a PDF, and several formats read one",
                            path=str(path), hint=f"pass --format (one of {', '.join(PDF_FORMATS)})")
    if not data.strip():
        raise PipelineError("the file is empty: there is no format to tell", path=str(path),
                            hint="is it the right file?")
    text = _decoded(data)
    if text is None:
        raise PipelineError("neither a PDF nor UTF-8 text: cannot tell its format",
                            path=str(path),
                            hint=f"export the document as UTF-8 text or PDF, or pass --format "
                            f"(one of {names}) if it is one of them")
    found = {name: count for name, count in evidence(text).items() if count}
    if len(found) == 1:
        return next(iter(found))
    if not found:
        structures = "; ".join(f"{s.format}: {s.structure}" for s in SIGNATURES)
        raise PipelineError(
            f"cannot tell the format: the file has none of the structures of the text "
            f"formats ({structures})", path=str(path),
            hint=f"pass --format (one of {names})")
    shown = ", ".join(f"{name} ({count} {_structure(name)})" for name, count in found.items())
    raise PipelineError(f"cannot tell the format: the file looks like several: {shown}",
                        path=str(path), hint=f"pass --format (one of {names})")


def _structure(name: str) -> str:
    return next(s.structure for s in SIGNATURES if s.format == name)


def _decoded(data: bytes) -> str | None:
    """The text of ``data`` as the extractors decode it (UTF-8, or UTF-16 with its
    byte-order mark), or None if it is not text."""
    encoding = "utf-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) \
        else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text
