"""Which lines of a page cannot be part of a table header, told at a glance.

The header search of an unruled page (:func:`~pipeline.extract.pdf_layout.find_header`)
tries every line as the first of a header, and with it up to
:data:`~pipeline.extract.pdf_layout.MAX_HEADER_LINES` lines below: on the crosswalk, as
long as reading the page. Most lines are prose or table rows, and one word in them rules
them out: a header's every word stands for a word of a column's label
(:mod:`~pipeline.extract.crosswalk_header`) — whole, abbreviated, with one scanner
confusion, or as a piece of a word the PDF split (``Endorse`` + ``ment``, ``Consul-`` +
``tation``). :func:`may_be_header_line` says False only of a line with a word that is
none of these, so skipping such lines finds the same headers.

A word is tested as pieces (its runs of letters and digits, as the matcher reads them),
each against every piece of every label word, with look-alike letters made one
(``1``/``l``/``i`` …) and one edit allowed: a piece within one edit of another shares one
of its one-letter deletions with it (the deletion neighbourhood), so an index of those
deletions answers in a few set look-ups. The test lets through more than the matcher
accepts (short words nearly always pass); it never refuses a piece the matcher could read.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from pipeline.extract.crosswalk_header import (
    FORWARD,
    LOOKALIKE,
    MERGED_LETTERS,
    REVERSE,
    label_words,
)

#: The pieces of a word as the matcher reads them (``Ess./`` → ``ess``; ``IMH-E®`` → ``imh``,
#: ``e``): its runs of letters and digits.
_PIECE = re.compile(r"[^\W_]+")
#: The marks of a continued header the matcher drops (``(cont.)``, ``(cont'd)``,
#: ``continued``), as pieces.
_CONTINUED_PIECES = ("cont", "continued", "d")


def _alike_classes() -> dict[str, str]:
    """Each letter of a look-alike pair → the least letter it is alike to (the pairs
    join into classes: ``1``, ``i`` and ``l`` are one)."""
    classes: list[set[str]] = []
    for pair in LOOKALIKE:
        joined = set(pair)
        for group in [c for c in classes if c & joined]:
            joined |= group
            classes.remove(group)
        classes.append(joined)
    return {letter: min(group) for group in classes for letter in group}


#: Each look-alike letter written as the least of its class: alike letters become equal.
_ALIKE_FORM = str.maketrans(_alike_classes())


def may_be_header_line(text: str) -> bool:
    """False when some word of ``text`` can be no part of a header.

    >>> may_be_header_line("IECMH Consult. Category Core Skills Ess./ Imp.")
    True
    >>> may_be_header_line("1ECMH Consu1tation Endorse- ment (cont.)")
    True
    >>> may_be_header_line("1A.1 Understands the theoretical foundations of pregnancy")
    False
    """
    return all(map(_may_be_label_piece, _PIECE.findall(text.lower())))


@lru_cache(maxsize=1 << 14)
def _may_be_label_piece(piece: str) -> bool:
    """Whether ``piece`` may stand for a piece of a label word, up to one edit, with
    look-alike letters alike and a merged letter pair (``rn`` for ``m``) read either way
    — also when the piece ends inside the pair (``Endorser`` + ``nent``)."""
    index = _label_piece_index()
    return any(not _one_deletion(reading.translate(_ALIKE_FORM)).isdisjoint(index)
               for reading in _readings(piece))


def _readings(piece: str) -> set[str]:
    """The piece, with each merged pair read as its letter as the matcher reads a word
    (every ``rn`` as ``m``, or every ``cl`` as ``d`` …), and with a half pair at either
    end read as the letter too.

    >>> sorted(_readings("nent"))
    ['ment', 'nent']
    """
    readings = {piece, *(piece.replace(pair, one) for pair, one in MERGED_LETTERS
                         if pair in piece)}
    for pair, one in MERGED_LETTERS:
        for reading in list(readings):
            if reading.startswith(pair[1]):
                readings.add(one + reading[1:])
            if reading.endswith(pair[0]):
                readings.add(reading[:-1] + one)
            if reading.startswith(pair[1]) and reading.endswith(pair[0]) and len(reading) > 1:
                readings.add(one + reading[1:-1] + one)
    return readings


@cache
def _label_piece_index() -> frozenset[str]:
    """The one-deletion neighbourhood of every piece (any run of letters) of every word
    of the column labels, look-alike letters made one, and of the continued marks."""
    words = {word for column in (*FORWARD, *REVERSE) for word in label_words(column)}
    pieces = {word[start:end] for word in words
              for start in range(len(word)) for end in range(start + 1, len(word) + 1)}
    pieces.update(_CONTINUED_PIECES)
    return frozenset(variant for piece in pieces
                     for variant in _one_deletion(piece.translate(_ALIKE_FORM)))


def _one_deletion(text: str) -> set[str]:
    """``text`` and every string one letter shorter made from it: two strings within one
    edit of each other (and some that are not) share one.

    >>> sorted(_one_deletion("abc"))
    ['ab', 'abc', 'ac', 'bc']
    """
    return {text, *(text[:i] + text[i + 1:] for i in range(len(text)))}
