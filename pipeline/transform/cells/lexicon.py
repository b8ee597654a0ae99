"""Is this a word? The one question every text repair asks.

A :class:`Lexicon` answers from three sources, in this order of trust:

1. the domain word list (``pipeline/data/domain_words.txt``): field vocabulary that
   wordfreq rates as rare but that is correct (``supervisees``, ``IECMHC``, ...);
2. wordfreq: a word is known when ``zipf_frequency(word, "en") >= KNOWN_ZIPF``;
3. document evidence (optional, :meth:`Lexicon.with_document`): how often a form is
   written *unbroken* in the whole document. It does not make a word known (the
   document has typos); it decides between two known readings, e.g. ``well- being``
   is ``well-being`` because the document writes ``well-being`` and never ``wellbeing``.

Thresholds were measured on the five sources:

* ``KNOWN_ZIPF = 3.0``. Simulated one-edit typos of corpus words pass as "known" 4.9 %
  of the time at 2.0, 2.9 % at 3.0, 2.0 % at 3.5 (the rest are real-word slips no
  threshold can catch), while the corpus word types that fall below the threshold (and
  must go to the domain list) grow from 79 (2.0) to 177 (3.0) to 345 (3.5). 3.0 is the
  knee. Every non-word typo observed in the sources scores below 3.0 (highest:
  ``begining`` 2.58); word fragments left by wraps mostly do too (``tion`` 2.79).
* ``SPLIT_MARGIN = 1.5`` (see :meth:`Lexicon.split`): at 0.5 it split 34 of 6,487
  simulated one-edit typos of corpus words into two words and split 40 of 7,132 glued
  pairs of corpus words at the wrong place; at 1.5 (with :data:`FUNCTION_WORDS`), 3
  typos and no wrong place.

Look-ups are cached per word (:func:`zipf`, and each lexicon's :meth:`Lexicon.frequency`);
a lexicon itself is immutable and passed as a parameter, never held in a module global.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

from pipeline.data import DOMAIN_WORDS_TXT, read_word_list
from pipeline.transform.cells import word_frequencies

KNOWN_ZIPF = 3.0
SPLIT_MARGIN = 1.5

#: Two-letter English words. Other two-letter strings score high in wordfreq only as
#: abbreviations or web noise (``th`` 4.2, ``al`` 5.2, ``de`` 5.2), so a split into
#: a two-letter part is trusted only for these.
SHORT_WORDS = frozenset(
    "am an as at be by do go he if in is it me my no of on or so to up us we".split()
)

#: Closed-class words. PDF text glues a short function word to its neighbour
#: (``toother``, ``dayto``); two content words glued are rare, while a rare real word
#: often looks like two (``under|served``, ``inter|agency``, ``policy|making``). So a
#: split must produce one of these (or cut at a case change: ``AddressingGaps``).
#: Measured: of 93 real corpus words wordfreq rates rare, 20 would be split without
#: this rule and 2 with it (``at|tuned``, ``in|equitable``) — were they missing from
#: the domain list. A token wordfreq has never seen at all (:func:`unseen`) may split
#: without one: rare real compounds are rare, not absent, so of the 194 rare tokens of
#: the five sources (4+ letters, domain list off) only the wrap fragment
#: ``terdisciplinary`` would; of 6,066 simulated one-edit typos of corpus words, 5 split
#: instead of 2; and two content words run together (``acrossmultiple``) come apart.
FUNCTION_WORDS = frozenset(
    """a an and any are as at be been but by can do for from had has have he her his
    if in into is it its may more most nor not of on or our she so than that the their
    them then there these they this to up us was we were what when which who will with
    would you your""".split()
)

#: A word as the repairs see it: letters, with inner apostrophes (``one's``).
WORD = r"[^\W\d_]+(?:['’][^\W\d_]+)*"
_WORD_RE = re.compile(WORD)
_PLAIN_WORD_RE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_LETTERS = r"[^\W\d_]+"
#: A compound written unbroken, ``well-being``, ``day-to-day``.
_COMPOUND_RE = re.compile(rf"{_LETTERS}(?:-{_LETTERS})*")
#: Line-wrap zones (``Relation- ship-Fo- cused``): no evidence can be read from them.
_WRAP_ZONE_RE = re.compile(rf"(?:{_LETTERS}-[ \t]+)+\S*")


@lru_cache(maxsize=1 << 16)  # asked of the same words again and again
def normalize(word: str) -> str:
    """The look-up key of a word: NFC, lower case, straight apostrophe.

    >>> normalize("Consultees’")
    "consultees'"
    """
    return unicodedata.normalize("NFC", word).replace("’", "'").lower()


@lru_cache(maxsize=1 << 16)
def zipf(word: str) -> float:
    """wordfreq's Zipf frequency of a normalized word (cached: the hot path)."""
    return word_frequencies.zipf(word)


@lru_cache(maxsize=1)
def load_domain_words() -> frozenset[str]:
    """The curated domain list, normalized; ``#`` starts a comment."""
    return frozenset(normalize(word) for word in read_word_list(DOMAIN_WORDS_TXT))


def document_counts(texts: Iterable[str]) -> Counter[str]:
    """Count unbroken forms: each word, each hyphenated compound and each adjacent pair,
    and each two words written side by side with one space (``practice and``), so a
    token written glued can be weighed against the same words written apart.

    Text inside a line-wrap zone is skipped: a fragment such as ``Relation-`` is no
    evidence of anything.

    >>> c = document_counts(["Relation- ship-Focused practice", "relationship-focused practice"])
    >>> c["relationship-focused"], c["relationship"], c["relation"], c["focused practice"]
    (1, 1, 0, 1)
    """
    # A document repeats its cells (``See above.`` rows, a 100× input): each distinct
    # text is read once and counted as often as it occurs.
    occurrences = Counter(text for text in texts if isinstance(text, str))  # not None, NaN
    # Plain dicts while counting: a Counter's ``+=`` of a new key goes through its
    # Python ``__missing__``.
    counts: dict[str, int] = {}
    normalized: dict[str, list[str]] = {}  # the same words recur from cell to cell
    for text, times in occurrences.items():
        found: dict[str, int] = {}
        if "- " in text or "-\t" in text:  # what every wrap zone holds
            text = _WRAP_ZONE_RE.sub(" ", text)
        previous_end, previous_last = None, ""
        for match in _COMPOUND_RE.finditer(text):
            form = match.group()
            parts = normalized.get(form)
            if parts is None:
                parts = normalized[form] = normalize(form).split("-")
            for part in parts:
                found[part] = found.get(part, 0) + 1
            if len(parts) > 1:
                pairs = {f"{a}-{b}" for a, b in zip(parts, parts[1:])}
                for pair in pairs | ({"-".join(parts)} if len(parts) > 2 else set()):
                    found[pair] = found.get(pair, 0) + 1
            start = match.start()
            if previous_end is not None and start - previous_end == 1 and text[previous_end] == " ":
                side_by_side = f"{previous_last} {parts[0]}"
                found[side_by_side] = found.get(side_by_side, 0) + 1
            previous_end, previous_last = match.end(), parts[-1]
        for form, count in found.items():
            counts[form] = counts.get(form, 0) + count * times
    return Counter(counts)


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Known words (wordfreq + domain list) plus optional document evidence."""

    domain: frozenset[str]
    document: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    min_zipf: float = KNOWN_ZIPF
    #: :meth:`frequency` of each word asked about: the repairs ask about the same words
    #: (and every spelling one edit away) again and again.
    _frequencies: dict[str, float] = field(default_factory=dict, init=False, repr=False)
    #: :meth:`is_word` of each word asked about (the question asked most, by far).
    _known: dict[str, bool] = field(default_factory=dict, init=False, repr=False)
    #: The repairs' own per-token decisions, which depend only on the token, this
    #: lexicon and fixed data (see :meth:`memo`).
    _memos: dict[object, dict] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> Lexicon:
        """wordfreq and the domain list, no document evidence (cached: immutable)."""
        return cls(domain=load_domain_words())

    def with_document(self, texts: Iterable[str]) -> Lexicon:
        """A copy that also weighs how the given texts write words unbroken."""
        copy = Lexicon(self.domain, MappingProxyType(dict(document_counts(texts))), self.min_zipf)
        # :meth:`frequency` and :meth:`is_word` do not read the document: the copy shares
        # what this lexicon has looked up (each source's lexicon asks of the same words).
        object.__setattr__(copy, "_frequencies", self._frequencies)
        object.__setattr__(copy, "_known", self._known)
        return copy

    def frequency(self, word: str) -> float:
        """Zipf frequency; a domain word counts as just known.

        >>> lex = Lexicon.default()
        >>> lex.frequency("supervisees") == KNOWN_ZIPF, lex.frequency("the") > 7
        (True, True)
        """
        try:
            return self._frequencies[word]
        except KeyError:
            score = self._frequencies[word] = self._frequency(word)
            return score

    def _frequency(self, word: str) -> float:
        key = normalize(word)
        if not _PLAIN_WORD_RE.fullmatch(key):
            # wordfreq would score "child&" or "to-other" as the words inside it.
            return self.min_zipf if key in self.domain else 0.0
        score = zipf(key)
        if score < self.min_zipf and key.endswith("'s"):
            score = zipf(key[:-2])
        if score < self.min_zipf and key in self.domain:
            score = self.min_zipf
        return score

    def is_word(self, word: str) -> bool:
        """Known to wordfreq (Zipf >= ``min_zipf``) or in the domain list.

        >>> lex = Lexicon.default()
        >>> [lex.is_word(w) for w in ("Relationship", "IECMHC", "Hawai’i", "adn", "cused")]
        [True, True, True, False, False]
        """
        try:
            return self._known[word]
        except KeyError:
            known = self._known[word] = self.frequency(word) >= self.min_zipf
            return known

    def memo(self, decision: object) -> dict:
        """A cache of one repair's ``decision`` per token, kept with this lexicon.

        A repair asks the same question of the same token in cell after cell; the answer
        depends on the lexicon, which is immutable, and on what ``decision`` names, so
        ``decision`` must name every other input (e.g. the typo list it was given):
        another typo list gets another cache.

        >>> lex = Lexicon.default().with_document([])
        >>> lex.memo(("split", frozenset({"adn"}))) is lex.memo(("split", frozenset({"adn"})))
        True
        >>> lex.memo(("split", frozenset())) is lex.memo(("split", frozenset({"adn"})))
        False
        """
        try:
            return self._memos[decision]
        except KeyError:
            cache = self._memos[decision] = {}
            return cache

    def seen(self, form: str) -> int:
        """How often the document writes ``form`` unbroken (0 without a document)."""
        return self.document.get(normalize(form), 0)

    def split(self, token: str) -> tuple[str, str] | None:
        """The one convincing way to read ``token`` as two words, or None.

        Each split scores the Zipf frequency of its rarer part (a two-letter part must
        be in :data:`SHORT_WORDS`, a one-letter part is never accepted). The best split
        must be known, contain a :data:`FUNCTION_WORDS` word, cut at a case change or
        split a token wordfreq never saw (``acrossmultiple``), and beat both the
        runner-up split and every spelling one edit away from ``token`` by :data:`SPLIT_MARGIN` (a factor of ~30 in frequency): ``toother``
        is ``to other``, but ``misson`` is a typo of ``mission``, not ``miss on``, and
        ``underserved`` is no ``under served``.

        >>> lex = Lexicon.default()
        >>> lex.split("toother"), lex.split("dayto"), lex.split("AddressingGaps")
        (('to', 'other'), ('day', 'to'), ('Addressing', 'Gaps'))
        >>> [lex.split(w) for w in ("misson", "acrosss", "underserved", "policymaking")]
        [None, None, None, None]
        >>> lex.split("acrossmultiple")
        ('across', 'multiple')
        """
        scored = sorted(
            (
                (min(self._part_score(token[:i]), self._part_score(token[i:])), token[:i], token[i:])
                for i in range(1, len(token))
            ),
            key=lambda s: s[0],
            reverse=True,
        )
        if not scored or scored[0][0] < self.min_zipf:
            return None
        best, left, right = scored[0]
        case_change = left[-1:].islower() and right[:1].isupper()
        if not (case_change or {normalize(left), normalize(right)} & FUNCTION_WORDS
                or unseen(token)):
            return None
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        neighbour = max((self.frequency(e) for e in edits1(normalize(token))), default=0.0)
        if best - max(runner_up, neighbour) < SPLIT_MARGIN:
            return None
        return left, right

    def _part_score(self, part: str) -> float:
        if len(part) < 2 or (len(part) == 2 and normalize(part) not in SHORT_WORDS):
            return 0.0
        return self.frequency(part)


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def unseen(token: str) -> bool:
    """wordfreq has never seen ``token`` at all (Zipf 0), not even as a rare word.

    A rare real compound is rare, not absent (``underserved`` 2.81, ``policymaking``
    2.65, ``nonjudgmental`` 1.9), while two content words run together by a scan
    (``acrossmultiple``) occur nowhere.

    >>> [unseen(w) for w in ("acrossmultiple", "underserved", "nonjudgmental")]
    [True, False, False]
    """
    return zipf(normalize(token)) == 0.0


def edits1(word: str) -> set[str]:
    """All strings one Damerau–Levenshtein edit away (deletion, transposition,
    substitution, insertion) over lower-case letters. No hyphen or space: wordfreq
    would score ``to-other`` as its two words and every token would look like a typo.

    >>> sorted(e for e in edits1("adn") if e in {"and", "ad", "add"})
    ['ad', 'add', 'and']
    """
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    inserts = {a + c + b for a, b in splits for c in _ALPHABET}
    return (deletes | transposes | replaces | inserts) - {word, ""}


def words(text: str) -> list[str]:
    """The words of a text (letters with inner apostrophes).

    >>> words("infant’s day-to-day 1C1")
    ['infant’s', 'day', 'to', 'day']
    """
    return [m.group() for m in _WORD_RE.finditer(text) if not _touches_digit(text, m)]


def _touches_digit(text: str, match: re.Match[str]) -> bool:
    # Letters glued to digits are codes (1C1, 2A, 3R), not words.
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    return before.isdigit() or after.isdigit()
