"""Small tidying of a cell: whitespace, quotes, ligatures and dashes, as the contract
wants them.

Each repair is a ``str -> str`` function that appends one :class:`Edit` per fragment it
changes; the ``lexicon`` argument is accepted, unused, so every step of
:data:`pipeline.transform.cells.text.STEPS` is called the same way.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.transform.cells.audit import Edit
from pipeline.transform.cells.edits import log_edit, sub_logged
from pipeline.transform.cells.lexicon import Lexicon

_SPACES = re.compile(r"\s+")
#: Whitespace that ``_SPACES`` would change: a run of two, or any but a plain space. A cell
#: without it is spaced as it should be, and the per-space substitution is skipped.
_UNTIDY_SPACE = re.compile(r"\s\s|[^\S ]")
_SPACE_BEFORE = re.compile(r" +(?=[,;:)\]]|\.(?![.\w]))")
_SPACE_AFTER = re.compile(r"(?<=[(\[]) +")
#: What a text must hold for ``_SPACE_BEFORE`` to match.
_SPACE_BEFORE_SIGNS = (" ,", " ;", " :", " )", " ]", " .")


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
    # An NFC text's tokens are NFC too (whitespace composes with nothing): only a text
    # that is not needs the look at each token.
    if not unicodedata.is_normalized("NFC", text):
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
    text = stripped
    if _UNTIDY_SPACE.search(text):
        text = sub_logged(_SPACES, " ", text, edits, "whitespace")
    # Each pattern is tried at every position; a text without its sign has no match.
    if any(sign in text for sign in _SPACE_BEFORE_SIGNS):
        text = sub_logged(_SPACE_BEFORE, "", text, edits, "whitespace")
    if "( " in text or "[ " in text:
        text = sub_logged(_SPACE_AFTER, "", text, edits, "whitespace")
    return text


_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
_CURLY_QUOTE = re.compile(r"[’‘“”]")
#: A token holding a curly quote. ``\S*`` is tried at every position of a text, so the
#: search runs only on a text that holds one (``_CURLY_QUOTE``, a linear search).
_QUOTED_TOKEN = re.compile(r"\S*[’‘“”]\S*")


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

    if not _CURLY_QUOTE.search(text):
        return text
    return _QUOTED_TOKEN.sub(repair, text)


# Typographic ligatures a PDF text layer may hold instead of their letters (``Reﬂective``).
_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
_LIGATURE = re.compile("[" + "".join(_LIGATURES) + "]")
#: A token holding a ligature; searched only in a text that holds one (see ``_QUOTED_TOKEN``).
_LIGATURE_WORD = re.compile("\\S*[" + "".join(_LIGATURES) + "]\\S*")


def expand_ligatures(
    text: str, edits: list[Edit] | None = None, lexicon: Lexicon | None = None
) -> str:
    """Ligature characters back to their letters, so words match the lexicon and search.

    >>> expand_ligatures("Uses Self-Reﬂection; Supports Families and Staﬀ")
    'Uses Self-Reflection; Supports Families and Staff'
    """

    def repair(match: re.Match[str]) -> str:
        after = "".join(_LIGATURES.get(char, char) for char in match.group())
        log_edit(edits, "ligature", match.group(), after)
        return after

    if not _LIGATURE.search(text):
        return text
    return _LIGATURE_WORD.sub(repair, text)


# A dash with a space on one side only: a line break fell next to it and the join added
# the space (``young child —and``). A dash spaced on both sides (``Equity – from``) or on
# neither is as the source wrote it.
_LOPSIDED_DASH = re.compile(r"(?<=\w) ([—–])(?=\w)|(?<=\w)([—–]) (?=\w)")


def join_lopsided_dashes(
    text: str, edits: list[Edit] | None = None, lexicon: Lexicon | None = None
) -> str:
    """Remove the one space a wrap left beside a dash.

    >>> join_lopsided_dashes("the infant or young child —and between that child and his peers— and to")
    'the infant or young child—and between that child and his peers—and to'
    >>> join_lopsided_dashes("Promotes Equity – from the Individual Level; well-being—and")
    'Promotes Equity – from the Individual Level; well-being—and'
    """

    def repair(match: re.Match[str]) -> str:
        dash = match.group(1) or match.group(2)
        log_edit(edits, "whitespace", match.group(), dash)
        return dash

    if "—" not in text and "–" not in text:
        return text
    return _LOPSIDED_DASH.sub(repair, text)
