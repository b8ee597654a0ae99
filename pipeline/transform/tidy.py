"""Small tidying of a cell: whitespace and quotes, as the data contract wants them.

Each repair is a ``str -> str`` function that appends one :class:`Edit` per fragment it
changes; the ``lexicon`` argument is accepted, unused, so every step of
:data:`pipeline.transform.text.STEPS` is called the same way.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.transform.audit import Edit
from pipeline.transform.edits import log_edit, sub_logged
from pipeline.transform.lexicon import Lexicon

_SPACES = re.compile(r"\s+")
_SPACE_BEFORE = re.compile(r" +(?=[,;:)\]]|\.(?![.\w]))")
_SPACE_AFTER = re.compile(r"(?<=[(\[]) +")


def tidy_whitespace(
    text: str, edits: list[Edit] | None = None, lexicon: Lexicon | None = None
) -> str:
    """NFC, one space between words, none at the ends, after ``(`` or before ``,;.:)``.

    >>> tidy_whitespace("2A11, 2C1, 2C2 , 32, 3A4")
    '2A11, 2C1, 2C2, 32, 3A4'
    >>> tidy_whitespace("  children's experiences .  Ends\\twith   spaces ")
    "children's experiences. Ends with spaces"
    >>> tidy_whitespace("marked with ellipses (...) ... and ( e.g., ) 2.5")
    'marked with ellipses (...) ... and (e.g.,) 2.5'
    """
    for token in set(text.split()):
        nfc = unicodedata.normalize("NFC", token)
        if nfc != token:
            log_edit(edits, "whitespace", token, nfc)
    text = unicodedata.normalize("NFC", text)
    stripped = text.strip()
    if stripped != text:
        head, tail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        words = stripped.split()
        if head and words:
            log_edit(edits, "whitespace", head + words[0], words[0])
        if tail and words:
            log_edit(edits, "whitespace", words[-1] + tail, words[-1])
    text = sub_logged(_SPACES, " ", stripped, edits, "whitespace")
    text = sub_logged(_SPACE_BEFORE, "", text, edits, "whitespace")
    return sub_logged(_SPACE_AFTER, "", text, edits, "whitespace")


_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def straighten_quotes(
    text: str, edits: list[Edit] | None = None, lexicon: Lexicon | None = None
) -> str:
    """Curly quotes to ASCII (the data contract); dashes are kept.

    >>> straighten_quotes("Sees and can explain the “big picture”; one’s own — not ‘theirs’")
    'Sees and can explain the "big picture"; one\\'s own — not \\'theirs\\''
    """

    def repair(match: re.Match[str]) -> str:
        after = match.group().translate(_QUOTES)
        log_edit(edits, "quotes", match.group(), after)
        return after

    return re.sub(r"\S*[’‘“”]\S*", repair, text)
