"""Reading a text source: decoding with a clear error, lines numbered from 1."""

from __future__ import annotations

import codecs
import logging
import unicodedata
from pathlib import Path

from pipeline.errors import PipelineError

log = logging.getLogger(__name__)


def read_lines(path: Path) -> list[str]:
    """The file's lines without line endings.

    UTF-8 is expected; a UTF-8 or UTF-16 byte-order mark is honoured. Anything else is
    refused with the line of the first undecodable byte, rather than guessed, because a
    wrong guess would silently corrupt the published text. The text is read in Unicode
    normal form NFC.
    """
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
    # The same text in another Unicode form (``≠`` written as ``=`` + U+0338 in NFD) is the
    # same document: every reader sees it composed, as the contract publishes it.
    text = unicodedata.normalize("NFC", text)
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
