"""Repairs of words the PDF layout split or glued without a wrap hyphen.

``Psychothera peutic`` (split), ``toother`` (glued), ``dayto-day`` (a compound that lost
a hyphen). Like :mod:`pipeline.transform.cells.wraps`, each repair is a ``str -> str`` function
that appends one :class:`Edit` per fragment it changes and decides by the
:class:`Lexicon`, never by a line of today's export. They run after the hyphen wraps are
repaired, as they must see whole words (see :data:`pipeline.transform.cells.text.STEPS`).
"""

from __future__ import annotations

import re

from pipeline.transform.cells.audit import Edit
from pipeline.transform.cells.edits import log_edit
from pipeline.transform.cells.lexicon import FUNCTION_WORDS, Lexicon, normalize
from pipeline.transform.cells.spelling import known_typos
from pipeline.transform.cells.wraps import HYPHENATED, LETTER, default_lexicon, in_url

_SPLIT_PAIR = re.compile(rf"(?<![\w'’-])({LETTER}+) ({LETTER}+)(?![\w'’-])")
#: A whole token of letters, as :func:`split_joined_words` reads them.
_LETTER_TOKEN = re.compile(rf"(?<![\w'’-]){LETTER}+(?![\w'’-])")


def join_split_words(
    text: str, edits: list[Edit] | None = None, lexicon: Lexicon | None = None
) -> str:
    """Join a word the layout split without a hyphen: ``Psychothera peutic``.

    Only when the two tokens are not both words, the join is a word, and neither token
    is an acronym (``IEC MH`` stays: spaced acronyms are a matter for the vocabulary).

    >>> join_split_words("Psychothera peutic and Behavioral Theories of Change (MHS)")
    'Psychotherapeutic and Behavioral Theories of Change (MHS)'
    >>> join_split_words("Demonstrates theh demenor and skills")
    'Demonstrates theh demenor and skills'
    """
    lexicon = default_lexicon(lexicon)
    # Memoised: the same pairs of words recur from cell to cell.
    joins = lexicon.memo(join_split_words)
    pos = 0
    while match := _SPLIT_PAIR.search(text, pos):
        pair = match.groups()
        try:
            join = joins[pair]
        except KeyError:
            join = joins[pair] = _joins(*pair, lexicon)
        if join:
            left, right = pair
            joined = left + right
            log_edit(edits, "join_split_word", match.group(), joined)
            # The joined word may pair with the next token: search again from it.
            text = text[: match.start()] + joined + text[match.end() :]
            pos = match.start()
        else:
            pos = match.start(2)
    return text


def _joins(left: str, right: str, lexicon: Lexicon) -> bool:
    """Whether ``left right`` is one word the layout split (see :func:`join_split_words`)."""
    return (
        not (left.isupper() or right.isupper())
        and not (lexicon.is_word(left) and lexicon.is_word(right))
        and lexicon.is_word(left + right)
    )


def _splittable(token: str, lexicon: Lexicon, typos: frozenset[str]) -> tuple[str, str] | None:
    """The two words ``token`` is, when it is two words glued; memoised per lexicon and
    typo list, as every cell asks about the same tokens."""
    splits = lexicon.memo((_splittable, typos))
    try:
        return splits[token]
    except KeyError:
        parts = splits[token] = _split_of(token, lexicon, typos)
        return parts


def _split_of(token: str, lexicon: Lexicon, typos: frozenset[str]) -> tuple[str, str] | None:
    if lexicon.is_word(token) or normalize(token) in typos:
        return None
    parts = lexicon.split(token)
    # A token the document repeats, and writes glued at least as often as apart, is its
    # vocabulary (or a habitual typo, for the unknown-word report), not an accident of
    # the layout; a cell printed several times repeats its accidents, though, so a token
    # the document writes apart more often is split however often it is repeated.
    written = lexicon.seen(token)
    if parts and written > 1 and written >= lexicon.seen(" ".join(parts)):
        return None
    return parts


def split_joined_words(
    text: str, edits: list[Edit] | None = None, lexicon: Lexicon | None = None
) -> str:
    """Split an unknown token that is two glued words: ``toother`` → ``to other``.

    Strict (see :meth:`Lexicon.split`); a curated typo is never split.

    >>> split_joined_words("makes referral toother service agencies")
    'makes referral to other service agencies'
    >>> split_joined_words("AddressingGaps")
    'Addressing Gaps'
    >>> split_joined_words("Indentifying and reaching out; Behaviorr")
    'Indentifying and reaching out; Behaviorr'
    """
    lexicon, typos = default_lexicon(lexicon), known_typos()

    def repair(match: re.Match[str]) -> str:
        token = match.group()
        # Whether it is a word first: a look-up, while the URL test reads the text around.
        parts = _splittable(token, lexicon, typos)
        if parts is None or in_url(match.string, match.start()):
            return token
        after = " ".join(parts)
        log_edit(edits, "split_joined_words", token, after)
        return after

    return _LETTER_TOKEN.sub(repair, text)


def restore_lost_hyphens(
    text: str, edits: list[Edit] | None = None, lexicon: Lexicon | None = None
) -> str:
    """Put back a hyphen lost inside a compound: ``dayto-day`` → ``day-to-day``.

    >>> restore_lost_hyphens("in dayto-day interactions; Keeps up-todate on current")
    'in day-to-day interactions; Keeps up-to-date on current'
    >>> restore_lost_hyphens("racism, classism, sexism, able-ism, homophobia")
    'racism, classism, sexism, able-ism, homophobia'

    Two words run together in front of a compound are two words, not a longer compound
    (rule ``split_joined_words``): where the document prints the compound, or where the
    compound's own part is no function word (a lost hyphen joins ``day`` and ``to``, a
    lost space ``about`` and ``trauma``):

    >>> document = Lexicon.default().with_document(["parent-infant work"])
    >>> restore_lost_hyphens("Supportsparent-infant, abouttrauma-informed, dayto-day", None, document)
    'Supports parent-infant, about trauma-informed, day-to-day'
    """
    lexicon, typos = default_lexicon(lexicon), known_typos()

    def repair(match: re.Match[str]) -> str:
        if in_url(match.string, match.start()):
            return match.group()
        first, *rest = match.group().split("-")
        head = _splittable(first, lexicon, typos)
        if head is not None:
            tail = "-".join([head[1], *rest])
            glued = normalize(head[1]) not in FUNCTION_WORDS
            if (lexicon.seen(tail) or glued) and not lexicon.seen("-".join([*head, *rest])):
                after = f"{head[0]} {tail}"
                log_edit(edits, "split_joined_words", match.group(), after)
                return after
        parts = []
        for part in match.group().split("-"):
            split = _splittable(part, lexicon, typos)
            parts.extend(split if split else [part])
        after = "-".join(parts)
        log_edit(edits, "restore_lost_hyphen", match.group(), after)
        return after

    return HYPHENATED.sub(repair, text)
