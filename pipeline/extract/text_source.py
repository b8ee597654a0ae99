"""Reading a text source: decoding with a clear error, lines numbered from 1."""

from __future__ import annotations

import codecs
import logging
import unicodedata
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.limits import Limits, check_file_size, current_limits, over_limit

log = logging.getLogger(__name__)


def read_lines(path: Path, limits: Limits | None = None) -> list[str]:
    """The file's lines without line endings.

    UTF-8 is expected; a UTF-8 or UTF-16 byte-order mark is honoured. Anything else is
    refused with the line of the first undecodable byte, rather than guessed, because a
    wrong guess would silently corrupt the published text. The text is read in Unicode
    normal form NFC.

    A file larger than ``max_file_bytes`` is refused before it is read, a line longer
    than ``max_line_chars`` before the text is normalized and split (``limits``: those of
    the source being read, :func:`~pipeline.limits.current_limits`, unless given).
    """
    limits = limits or current_limits()
    check_file_size(path, limits)
    data = path.read_bytes()
    if not data.strip():
        raise PipelineError("the file is empty", path=str(path),
                            hint="restore the source document")
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise PipelineError("the file is binary, not text", path=str(path))
    encoding = "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
        # A byte-order mark names the encoding unambiguously, so decoding is safe.
        log.warning("%s: decoded as UTF-16 (byte-order mark); the published text is UTF-8", path)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PipelineError(
            f"not valid {encoding.split('-sig')[0].upper()} text (byte 0x{data[error.start]:02x})",
            path=str(path),
            line=line,
            hint="re-export the document as UTF-8",
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _refuse_long_line(text, path, limits)
    # The same text in another Unicode form (``≠`` written as ``=`` + U+0338 in NFD) is the
    # same document: every reader sees it composed, as the contract publishes it.
    text = unicodedata.normalize("NFC", text)
    return text.split("\n")


def _refuse_long_line(text: str, path: Path, limits: Limits) -> None:
    """The first line longer than ``max_line_chars``, refused with its number; linear:
    only the line breaks are searched, no line is copied."""
    start = 0
    number = 1
    while True:
        end = text.find("\n", start)
        stop = len(text) if end < 0 else end
        if stop - start > limits.max_line_chars:
            raise over_limit(limits, "max_line_chars", stop - start, f"line {number}",
                             path=path, line=number)
        if end < 0:
            return
        start, number = end + 1, number + 1
