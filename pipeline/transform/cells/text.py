"""``clean_text``: every cell-level text repair, in the one order that works."""

from __future__ import annotations

from collections.abc import Callable

from pipeline.transform.cells.audit import Edit
from pipeline.transform.cells.lexicon import Lexicon
from pipeline.transform.cells.scanner import repair_enumeration_digits, repair_scanner_confusions
from pipeline.transform.cells.spacing import restore_missing_spaces
from pipeline.transform.cells.spelling import correct_spelling, correct_typos
from pipeline.transform.cells.tidy import (
    expand_ligatures,
    join_lopsided_dashes,
    straighten_quotes,
    tidy_whitespace,
)
from pipeline.transform.cells.word_joins import (
    join_split_words,
    restore_lost_hyphens,
    split_joined_words,
)
from pipeline.transform.cells.wraps import dehyphenate, repair_slash_wraps

Repair = Callable[..., str]

#: Why this order: ligatures, quotes and spaces first, so every later pattern sees one plain space
#: and straight apostrophes; then spaces the layout swallowed next to punctuation; slash
#: wraps before hyphens (``Parent- Infant/ Young``);
#: hyphen wraps before the split/join of words, which must see whole words; joins
#: before splits, so a fragment is never split before it was re-joined; lost hyphens
#: before glued words (``dayto-day`` is a compound part, not a glued token); scanner
#: confusions (``Govemment``, ``inc1ude``, ``(l)``) once wraps and split words are whole
#: (``Govem- ment``), but before glued words are split, as a misread word can look like
#: two (``Cornpassion`` would become ``Corn passion``), and before the one-edit spelling
#: fix, so that it only sees what no scanner confusion explains; typos after all of
#: that, when words are whole; the automatic spelling fix last, so a curated correction
#: always wins (the scanner repair leaves curated typos alone); a final tidy for spaces
#: the repairs left behind.
STEPS: tuple[Repair, ...] = (
    expand_ligatures,
    straighten_quotes,
    tidy_whitespace,
    join_lopsided_dashes,
    restore_missing_spaces,
    repair_slash_wraps,
    dehyphenate,
    join_split_words,
    restore_lost_hyphens,
    repair_enumeration_digits,
    repair_scanner_confusions,
    split_joined_words,
    correct_typos,
    correct_spelling,
    tidy_whitespace,
)


def clean_text(text: str, edits: list[Edit] | None = None, lexicon: Lexicon | None = None) -> str:
    """Repair one cell. Idempotent: cleaning clean text changes nothing.

    >>> clean_text("Supports parent-in- fant/ young child rela- tionship-based thera- pies")
    'Supports parent-infant/young child relationship-based therapies'
    >>> clean_text("Works collaboratively with and makes referral toother service agencies")
    'Works collaboratively with and makes referral to other service agencies'
    >>> clean_text("Sees and can explain the interactions of multiple factors adn perspectives")
    'Sees and can explain the interactions of multiple factors and perspectives'
    >>> clean_text("Keeps up-todate on current and future trends in infant/ young child development")
    'Keeps up-to-date on current and future trends in infant/young child development'
    >>> clean_text("Reflects on how one’s cultural identities ( e.g., gender, race )  might influence")
    "Reflects on how one's cultural identities (e.g., gender, race) might influence"
    """
    lexicon = lexicon if lexicon is not None else Lexicon.default()
    for step in STEPS:
        text = step(text, edits, lexicon)
    return text
