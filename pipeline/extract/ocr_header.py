"""The words of a repeated table header as OCR misreads them, read back before the header
matcher sees them.

The header matcher (:mod:`~pipeline.extract.crosswalk_header`) forgives one scanner
confusion per word (``1ECMH``), not the others OCR makes: a letter read as two
(``I!ECMH``), a slash read as a quote (``Knowledge’``). A scanned page repeats the header
on every page, so one such misreading stops the build. Header words are no data — they
are never published — but the same misreading in a data cell is data, and must reach the
transform as read: so only a line that is a header line is repaired, one whose words are
(nearly all) the headers' own words (:data:`HEADER_SHARE`); in it, a word one edit away
from a header word (two for a long word) becomes that word.
"""

from __future__ import annotations

from functools import lru_cache

from pipeline.extract.crosswalk_header import FORWARD, GROUP_LABELS, REVERSE

#: A line is a header line when at least this share of its words are header words, read
#: exactly or nearly, and at least :data:`MIN_HEADER_WORDS` of them.
HEADER_SHARE = 0.75
MIN_HEADER_WORDS = 2


@lru_cache(maxsize=1)
def header_words() -> frozenset[str]:
    """Every word of every label of the two tables' headers and group rows."""
    labels = [label for table in (FORWARD, REVERSE) for column in table
              for label in column.labels] + list(GROUP_LABELS)
    return frozenset(word for label in labels for word in label.split())


@lru_cache(maxsize=8192)  # a page's words recur page after page; each costs ~100 distances
def nearest_header_word(word: str) -> str | None:
    """The header word ``word`` is a misreading of (itself if exact), or None.

    >>> nearest_header_word("I!ECMH"), nearest_header_word("Knowledge’")
    ('IECMH', 'Knowledge/')
    >>> nearest_header_word("Consultation"), nearest_header_word("the")
    ('Consultation', None)
    """
    words = header_words()
    if word in words:
        return word
    if len(word) < 4:
        return None
    allowed = 2 if len(word) >= 9 else 1
    # Nearest first; of two as near, the one as long (OCR more often reads a character
    # as another than adds or drops one: ``Knowledge’`` is ``Knowledge/``). Distances
    # beyond ``allowed`` are all one (allowed + 1): no such word is taken, nor is one
    # within ``allowed`` rivalled by it.
    best = sorted(((_distance(word, w, allowed), abs(len(w) - len(word))), w) for w in words
                  if abs(len(w) - len(word)) <= allowed)
    if best and best[0][0][0] <= allowed and (len(best) == 1 or best[1][0] > best[0][0]):
        return best[0][1]
    return None


def repair_header_line(texts: list[str]) -> list[str] | None:
    """The words of a line with header words read back, when it is a header line;
    None when it is not (or nothing needs repair).

    >>> repair_header_line(["IECMH", "Consultation", "Category", "I!ECMH", "Consultation",
    ...                     "Core", "Skills", "Essential"])[3]
    'IECMH'
    >>> repair_header_line(["Supports", "the", "I!ECMH", "consultant"]) is None
    True
    """
    nearest = [nearest_header_word(text) for text in texts]
    known = sum(n is not None for n in nearest)
    if known < MIN_HEADER_WORDS or known < HEADER_SHARE * len(texts):
        return None
    repaired = [n or t for n, t in zip(nearest, texts)]
    return repaired if repaired != texts else None


def _distance(a: str, b: str, cap: int) -> int:
    """Levenshtein distance of two short words, or ``cap + 1`` as soon as it must be more
    than ``cap`` (the least value of a row never falls in the rows below it).

    >>> _distance("I!ECMH", "IECMH", 1), _distance("Knowledge", "Category", 2)
    (1, 3)
    """
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        if min(current) > cap:
            return cap + 1
        previous = current
    return min(previous[-1], cap + 1)
