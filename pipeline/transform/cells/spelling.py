"""Spelling: curated typo corrections, a cautious automatic fix, the unknown-word report.

``pipeline/data/typos.csv`` lists non-words seen in the sources with their correction
(whole word, case-preserving). Real-word slips (``understanding manor``) are not here:
no word list can see them; they are spot fixes.

The automatic correction (rule ``spelling``) fixes an unknown word only when exactly one
known word lies one Damerau–Levenshtein edit away, and that edit is not in the word's
last two letters. Measured before it was enabled:

* on 7,476 simulated one-edit typos of corpus words: 4,444 corrected rightly, 0 wrong;
* on the real typos of the sources (typos.csv switched off): 13 fixed, each exactly as
  curated; the ambiguous ones (``adn``: and/ad/add, ``yound``: young/found/round,
  ``primarly``: primary/primarily) are left to typos.csv;
* on the 93 real words of the sources that wordfreq rates rare, as if the domain list
  lacked them: 1 change (``Erikson`` → ``Erickson``, a name). Without the last-letters
  rule it was 19 (``consults`` → ``consult``, ``elicits`` → ``elicit``, ...). A doubled
  last letter is let through that rule (``dailyy`` → ``daily``): no change among the 380
  rare tokens of the five sources; only about half of simulated doubled last letters
  have one reading (``Otherr``: ``other`` or ``others``), so the rest stay reported.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.data import TYPOS_CSV, read_typo_list
from pipeline.transform.cells.audit import Edit
from pipeline.transform.cells.lexicon import WORD, Lexicon, edits1, normalize

_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_URL_OR_EMAIL_MARK = r"(?:@|://|www\.|\w\.(?:com|org|gov|edu|net|ly)\b)"
_URL_OR_EMAIL = re.compile(rf"\S*{_URL_OR_EMAIL_MARK}\S*")
#: What every URL or e-mail address holds: a text without it has none (and the search
#: for it is linear, while ``_URL_OR_EMAIL`` retries ``\S*`` at every position).
_URL_OR_EMAIL_SIGN = re.compile(_URL_OR_EMAIL_MARK)
#: A word not glued to digits (``1C1``, ``2A``, ``0-3R`` are codes).
_WORD_RE = re.compile(rf"(?<!\w){WORD}(?!\w)")


@lru_cache(maxsize=1)
def load_typos() -> dict[str, str]:
    """typos.csv as ``{wrong (normalized): right}``."""
    return {normalize(wrong): right for wrong, right in read_typo_list(TYPOS_CSV)}


def known_typos() -> frozenset[str]:
    """The curated non-words (normalized), for the schema's "no known typo" check.

    >>> {"adn", "prioities", "yound"} <= known_typos()
    True
    """
    return frozenset(load_typos())


def _match_case(model: str, word: str) -> str:
    if len(model) > 1 and model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


@lru_cache(maxsize=1 << 14)  # the same words recur in every cell
def _ignored(word: str) -> bool:
    """Not a word to check: single letters, acronyms of at most 6 capitals, roman numerals."""
    return (
        len(word) < 2
        or (word.isupper() and len(word) <= 6)
        or bool(_ROMAN.match(word.upper()) and (word.isupper() or word.islower()))
    )


@lru_cache(maxsize=1 << 14)
def _checked_words(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, word) of every word worth checking; URLs and e-mails are skipped.

    Cached: the typo list, the spelling fix and the unknown-word report each read the
    words of the same texts.
    """
    masked = text
    if _URL_OR_EMAIL_SIGN.search(text):
        masked = _URL_OR_EMAIL.sub(lambda m: " " * len(m.group()), text)
    found = []
    for match in _WORD_RE.finditer(masked):
        word = match.group()
        if not _ignored(word):
            found.append((*match.span(), word))
    return tuple(found)


def correct_typos(text: str, edits: list[Edit] | None = None, lexicon: Lexicon | None = None) -> str:
    """Apply typos.csv, whole words only, keeping the case of the first letter.

    >>> correct_typos("multiple factors adn perspectives; Assigns prioities to needs")
    'multiple factors and perspectives; Assigns priorities to needs'
    >>> edits = []
    >>> correct_typos("Center of Excellence Competecies", edits), edits
    ('Center of Excellence Competencies', [Edit(rule='typo', before='Competecies', after='Competencies')])
    """
    typos = load_typos()
    out, last = [], 0
    for start, end, word in _checked_words(text):
        right = typos.get(normalize(word))
        if right is None:
            continue
        after = _match_case(word, right)
        if edits is not None:
            edits.append(Edit("typo", word, after))
        out += [text[last:start], after]
        last = end
    return "".join(out) + text[last:]


def suggest(word: str, lexicon: Lexicon | None = None) -> str | None:
    """The only known word one edit away from an unknown ``word``, else None.

    >>> [suggest(w) for w in ("servcies", "Develoment", "yound", "adn", "consultation")]
    ['services', 'Development', None, None, None]
    >>> suggest("staaff"), suggest("dailyy"), suggest("Behaviorr")
    ('staff', 'daily', None)

    """
    lexicon = lexicon if lexicon is not None else Lexicon.default()
    if lexicon.is_word(word) or not word.isalpha() or any(c.isupper() for c in word[1:]):
        return None  # known, possessive, or an acronym's plural (AIMHs)
    key = normalize(word)
    # A set: two edits can give the same word (``staaff``: drop either ``a``).
    candidates = sorted({e for e in edits1(key) if lexicon.is_word(e)})
    if len(candidates) != 1:
        return None
    # An edit in the last two letters is how a rare inflection differs from a common
    # one (consults/consult, elicits/elicit, clarifies/clarified): never guess there.
    # Measured from the end, so a doubled letter (``staaff``) is not taken for one.
    # A doubled last letter (``dailyy``) is no inflection: no English ending doubles one.
    right = candidates[0]
    shared_tail = 0
    while (shared_tail < min(len(key), len(right))
           and key[-1 - shared_tail] == right[-1 - shared_tail]):
        shared_tail += 1
    if shared_tail < 2 and not (key[-2:-1] == key[-1:] and key[:-1] == right):
        return None
    return _match_case(word, candidates[0])


def correct_spelling(
    text: str, edits: list[Edit] | None = None, lexicon: Lexicon | None = None
) -> str:
    """Fix unknown words that have exactly one known neighbour (rule ``spelling``).

    >>> correct_spelling("expanded servcies, and new services; the assitance of others")
    'expanded services, and new services; the assistance of others'
    """
    lexicon = lexicon if lexicon is not None else Lexicon.default()
    out, last = [], 0
    for start, end, word in _checked_words(text):
        after = suggest(word, lexicon)
        if after is None:
            continue
        if edits is not None:
            edits.append(Edit("spelling", word, after))
        out += [text[last:start], after]
        last = end
    return "".join(out) + text[last:]


def unknown_words(text: str, lexicon: Lexicon | None = None) -> list[str]:
    """Words in neither wordfreq nor the domain list, in order, each once.

    Numbers, codes (``1C1``, ``2A.5``), acronyms of up to six capitals, single letters,
    roman numerals, URLs and e-mail addresses are not words to check.

    >>> unknown_words("Demonstrates theh demenor (see 1C1, 2A.5, DSM-IV, MI-AIMH) bit.ly/IL-IECMHC")
    ['theh', 'demenor']
    """
    lexicon = lexicon if lexicon is not None else Lexicon.default()
    seen: dict[str, None] = {}
    for _, _, word in _checked_words(text):
        if not lexicon.is_word(word):
            seen.setdefault(word)
    return list(seen)
