"""What a PDF page's content streams hold, checked before a library reads the page.

pdfminer, which pdfplumber and camelot read with, says that a page was damaged only in a
log record (``Data-loss while decompressing corrupted data``), or says nothing when it
cannot decompress a stream at all; and a small stream may inflate a thousandfold (a PDF
bomb). So every engine's pages are measured (:func:`content_bytes`, only just past the
limit) and their notices collected (:func:`pdf_layer_notices`,
:func:`lost_content_streams`) — for the pdfium engine before pdfium reads the page.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

#: Loggers of the PDF layer: pdfminer (pdfplumber, camelot's text, and these checks for the
#: pdfium engine) and playa (camelot). They say a page was damaged only in a log record, e.g. pdfminer's
#: ``Data-loss while decompressing corrupted data``, and go on with what they could read.
PDF_LOGGERS = ("pdfminer", "playa")
#: Notices about how a font maps its glyphs, which lose no text: a glyph left unmapped
#: comes through as ``(cid:N)`` and is resolved or refused by :mod:`pipeline.extract.glyphs`
#: with its row and column. Every other notice is taken for lost content.
FONT_NOTICES = re.compile(r"cid2unicode|FontBBox|font descriptor|ToUnicode|Encoding has no",
                          re.IGNORECASE)


class _Notices(logging.Handler):
    """Collects the messages of the warnings (and worse) logged to it."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def pdf_layer_notices() -> Iterator[list[str]]:
    """The warnings the PDF libraries log while the block runs (a page is read): each is a
    notice that part of the page was skipped, so the caller stops rather than publish less.
    The loggers are made to emit warnings for the time being, whatever their level."""
    handler = _Notices()
    loggers = [logging.getLogger(name) for name in PDF_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        if logger.getEffectiveLevel() > logging.WARNING:
            logger.setLevel(logging.WARNING)
    try:
        yield handler.messages
    finally:
        for logger, level in zip(loggers, levels):
            logger.removeHandler(handler)
            logger.setLevel(level)


def content_bytes(page, cap: int) -> int:
    """How many bytes the content streams of a pdfplumber page, and the form XObjects it
    draws, decompress to — counted before pdfminer reads the page, and only up to just
    past ``cap``: a stream that inflates a thousandfold (a PDF bomb) is never inflated
    in full."""
    return content_check(page, cap)[0]


def content_check(page, cap: int) -> tuple[int, bool]:
    """:func:`content_bytes`, and whether every stream decoded cleanly: by filters we
    know, without a decompression error, to the end of its data, without a predictor —
    a stream pdfminer would decode without a word (only a stream that is not clean needs
    pdfminer to say what is wrong with it)."""
    from pdfminer.pdftypes import PDFStream, resolve1

    total = 0
    clean = True
    seen: set[int] = set()
    pending = [*page.page_obj.contents, *_forms(page.page_obj.resources)]
    while pending and total <= cap:
        stream = resolve1(pending.pop())
        if not isinstance(stream, PDFStream) or id(stream) in seen:
            continue
        seen.add(id(stream))
        size, whole = _decoded_size(stream, cap - total)
        total += size
        clean = clean and whole
        pending += _forms(stream.get("Resources"))
    return total, clean


def _forms(resources) -> list:
    """The form XObjects (content drawn by reference) of a resource dictionary."""
    from pdfminer.pdftypes import resolve1

    resources = resolve1(resources)
    objects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
    if not isinstance(objects, dict):
        return []
    found = []
    for reference in objects.values():
        xobject = resolve1(reference)
        subtype = resolve1(getattr(xobject, "get", lambda _: None)("Subtype"))
        if getattr(subtype, "name", None) == "Form":
            found.append(xobject)
    return found


def _decoded_size(stream, cap: int) -> tuple[int, bool]:
    """The size of a stream decoded, or a number past ``cap`` as soon as it is passed,
    and whether it decoded cleanly (see :func:`content_check`). Flate (what content
    streams use) is inflated lazily; the text filters (ASCII85, hex, run-length, LZW) by
    pdfminer; anything else counts its encoded bytes (a stream pdfminer cannot decode is
    reported when the page is read)."""
    import zlib

    from pdfminer.ascii85 import asciihexdecode
    from pdfminer.lzw import lzwdecode
    from pdfminer.psparser import LIT
    from pdfminer.runlength import rldecode

    decoders = {"ASCII85Decode": _ascii85decode, "A85": _ascii85decode,
                "ASCIIHexDecode": asciihexdecode, "AHx": asciihexdecode,
                "RunLengthDecode": rldecode, "RL": rldecode, "LZWDecode": lzwdecode,
                "LZW": lzwdecode}
    if stream.data is not None:
        return len(stream.data), True
    data = stream.rawdata or b""
    clean = bool(data)
    if stream.decipher:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    for name, params in stream.get_filters():
        clean = clean and not params  # a predictor: left to pdfminer
        if name in (LIT("FlateDecode"), LIT("Fl")):
            inflate = zlib.decompressobj()
            try:
                data = inflate.decompress(data, cap + 1)
            except zlib.error:
                return len(data), False  # corrupted: reported when the page is read
            clean = clean and inflate.eof
        elif getattr(name, "name", None) in decoders:
            data = decoders[name.name](data)
        else:
            return len(data), False
        if len(data) > cap:
            break
    return len(data), clean and bool(data)


def _ascii85decode(data: bytes) -> bytes:
    """pdfminer's ``ascii85decode``, vectorised: Python's ``base64.a85decode`` (which
    pdfminer calls) loops over every five characters in Python, and a renderer that
    writes its content streams in ASCII85 (ReportLab) made that a tenth of the time the
    pdfium engine takes to read a document. Anything irregular (a character outside
    ASCII85, a ``z`` inside a group, a group over 2³²) goes to pdfminer, which decides.

    >>> from pdfminer.ascii85 import ascii85decode
    >>> data = b"<~9jqo^BlbD-BleB1DJ+*+F(f,q/0JhKF<GL>Cj@.4Gp$d7F!,L7@<6@)/0JDEF<G%<+EV:2F!,\\n" \\
    ...        b"O@z!!!!*~>"
    >>> _ascii85decode(data) == ascii85decode(data)
    True
    """
    import numpy as np
    from pdfminer.ascii85 import ascii85decode

    if b"\x0c" in data:  # whitespace pdfminer strips at the ends only, an error inside
        return ascii85decode(data)
    body = data.translate(None, b" \t\n\r\x0b")
    # pdfminer strips a leading ``<~`` or ``~`` and a trailing ``~>`` or ``~``.
    body = body[2:] if body.startswith(b"<~") else body[1:] if body.startswith(b"~") else body
    body = body[:-2] if body.endswith(b"~>") else body[:-1] if body.endswith(b"~") else body
    digits = np.frombuffer(body, np.uint8)
    zeros = np.flatnonzero(digits == ord("z"))
    # ``z`` stands for a whole group of four zero bytes: only where a group begins.
    if len(body) % 5 == 1 or ((zeros + 4 * np.arange(len(zeros))) % 5).any():
        return ascii85decode(data)
    if len(zeros):
        digits = np.frombuffer(body.replace(b"z", b"!!!!!"), np.uint8)
    pad = -len(digits) % 5
    values = digits.astype(np.int64) - 33
    if len(values) and (values.min() < 0 or values.max() > 84):
        return ascii85decode(data)
    groups = np.concatenate([values, np.full(pad, 84, np.int64)]).reshape(-1, 5)
    words = groups[:, 0]
    for column in range(1, 5):
        words = words * 85 + groups[:, column]
    if len(words) and words.max() > 0xFFFFFFFF:
        return ascii85decode(data)
    decoded = words.astype(">u4").tobytes()
    return decoded[:len(decoded) - pad]


def lost_content_streams(page) -> list[str]:
    """A notice for each content stream of a pdfplumber page that holds bytes but decodes
    to none. pdfminer says nothing when it cannot decompress a stream at all: it reads the
    stream as empty, and the page's text and lines are gone (a stream it can partly
    decompress gets the ``Data-loss`` warning instead)."""
    from pdfminer.pdftypes import PDFStream, resolve1

    lost = []
    for stream in map(resolve1, page.page_obj.contents):
        size = resolve1(stream.get("Length", 0)) if isinstance(stream, PDFStream) else 0
        if size and not stream.get_data():
            lost.append(f"content stream {stream.objid} ({size} bytes) decodes to nothing: "
                        "it is corrupted")
    return lost
