"""The text rules: what a published free-text cell must look like, and the known typos.

A text rule is a ``Series -> bool Series`` (True = fine; nulls pass) named for what it
means; :func:`schemas.base.table_model` applies each of :data:`TEXT_RULES` to a table's
free-text columns, under the rule's name and with its docstring as the description the
failure report quotes. The ``has_*`` predicates (True = the fault is there) find text
left over from the layout; the table schemas use them in their own checks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from pipeline.data import TYPOS_CSV, read_typo_list

# TYPOS_CSV, the known-typo list (column ``wrong``) kept with the pipeline's data, is read
# each time ``no_known_typos`` runs, so an edit to the list needs no restart; tests point
# this module's TYPOS_CSV at a temporary file.

# A word broken at a line end and joined with a space: `Relation- ship`, `develop- ment`.
# A suspended hyphen before a conjunction is English, not an artifact:
# `infant- or young child- and family-specific`, `Child- and Family-Focused`.
_WRAP_ARTIFACT = re.compile(r"\w- (?!(?:and|or|nor)\b|&)\w")
_RUN_OF_SPACES = re.compile(r"\s{2,}")
# ‘ ’ ‚ ‛ “ ” „ ‟ — the contract keeps straight ASCII quotes and apostrophes only.
_CURLY_QUOTES = re.compile("[\u2018-\u201f]")


# --- text rules: Series -> bool Series (True = fine); nulls pass -----------------------


def _contains(series: pd.Series, pattern: re.Pattern[str]) -> pd.Series:
    """True where ``pattern`` is found in the text; False for a null.

    One ``pattern.search`` per cell, as ``Series.str.contains`` does for these patterns
    (lookarounds, ``\\w`` and ``\\s`` keep pandas off pyarrow's RE2), without its cost per
    call: pandas re-parses the pattern each time to decide that, which costs more than
    the search on a column of a few hundred cells.
    """
    return pd.Series(
        [isinstance(text, str) and pattern.search(text) is not None for text in series.tolist()],
        index=series.index,
        dtype=bool,
    )


def no_wrap_artifacts(series: pd.Series) -> pd.Series:
    """No word broken by a line wrap (``Relation- ship``); ``infant- or`` is fine."""
    return ~_contains(series, _WRAP_ARTIFACT)


def no_double_spaces(series: pd.Series) -> pd.Series:
    """Words are separated by one space: no run of two or more whitespace characters
    (which includes a line break next to a space, or a blank line)."""
    return ~_contains(series, _RUN_OF_SPACES)


def no_edge_spaces(series: pd.Series) -> pd.Series:
    """No whitespace at the start or end of the text."""
    return (series.str.strip() == series).fillna(True).astype(bool)


def no_curly_quotes(series: pd.Series) -> pd.Series:
    """Quotes and apostrophes are straight ASCII (' and ")."""
    return ~_contains(series, _CURLY_QUOTES)


def unicode_nfc(series: pd.Series) -> pd.Series:
    """Text is in Unicode normal form NFC."""
    return pd.Series(
        [not isinstance(text, str) or unicodedata.is_normalized("NFC", text)
         for text in series.tolist()],
        index=series.index,
        dtype=bool,
    )


def no_known_typos(series: pd.Series) -> pd.Series:
    """No word of the known-typo list (``pipeline/data/typos.csv``, column ``wrong``),
    matched as a whole word, case-insensitively."""
    pattern = known_typos_pattern(TYPOS_CSV)
    if pattern is None:
        return pd.Series(True, index=series.index)
    return ~_contains(series, pattern)


TEXT_RULES: tuple[Callable[[pd.Series], pd.Series], ...] = (
    no_wrap_artifacts,
    no_double_spaces,
    no_edge_spaces,
    no_known_typos,
    no_curly_quotes,
    unicode_nfc,
)


def known_typos_pattern(path: Path) -> re.Pattern[str] | None:
    """One regex matching any known typo as a whole word; None for an empty list.

    A missing list is an error, not an empty list: the check would otherwise pass
    without having looked at anything.

    ``(?<!\\w)`` / ``(?!\\w)`` rather than ``\\b`` so that an entry that starts or ends
    with punctuation still matches as a whole.
    """
    words = [wrong for wrong, _ in read_typo_list(path)]
    if not words:
        return None
    # Longest first, so that an entry that extends another is matched whole.
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


# --- leftovers of the layout: Series -> bool Series (True = the fault is there) ---------


_NUMBERED_TITLE = re.compile(r"^\s*[1-8](?:[A-H])?\.")
_LEADING_CODE = re.compile(r"^\s*[1-8][A-H]\.?\s*\d{1,2}\b")
_FOOTNOTE_MARKER = re.compile(r"\[\d+\]")


def has_numbered_prefix(series: pd.Series) -> pd.Series:
    """True where a title still starts with its number (``1. Role``, ``1A. Distinguishes``)."""
    return _contains(series, _NUMBERED_TITLE)


def has_leading_code(series: pd.Series) -> pd.Series:
    """True where a skill text still starts with its code (``1A.1. Demonstrates``)."""
    return _contains(series, _LEADING_CODE)


def has_footnote_marker(series: pd.Series) -> pd.Series:
    """True where a footnote marker like ``[1]`` is left in the text."""
    return _contains(series, _FOOTNOTE_MARKER)
