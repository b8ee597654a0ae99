"""Controlled vocabularies: priority marks, alignment marks, level tags, Endorsement domains.

The table export spells each of these many ways (``•••`` and ``• • •``; ``≠``, its OCR
misread ``#`` and the word ``Unique``; ``Law, Regulation, and Agency Policy`` and a
truncated ``Admin tion (M``). Each function here maps a raw cell to the contract's value
by a rule that does not depend on where in the document the cell is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType

from pipeline.metadata import ENDORSEMENT_DOMAINS

# --- priority -------------------------------------------------------------------------

_ESSENTIAL = "*"
_IMPORTANT = "•"


def parse_priority(cell: str) -> tuple[str | None, str | None]:
    """(priority, note) of an "Essential or Important" cell.

    >>> parse_priority("*")
    ('Essential', None)
    >>> parse_priority("• • •")
    ('Important', None)
    >>> parse_priority("•••")
    ('Important', None)
    >>> parse_priority("…"), parse_priority("· · ·")
    (('Important', None), ('Important', None))
    >>> parse_priority("covered in 1C1")
    (None, 'covered in 1C.1')
    >>> parse_priority("")
    (None, None)
    >>> parse_priority("?")
    Traceback (most recent call last):
    ...
    ValueError: unknown priority mark '?'
    """
    text = cell.strip()
    if not text:
        return None, None
    marks = text.replace(" ", "")
    if marks and set(marks) <= {_ESSENTIAL}:
        return "Essential", None
    # The document's key calls the Important mark an ellipsis (...): a re-export may print
    # it as bullets, full stops, middle dots or the ellipsis character.
    if marks and set(marks) <= {_IMPORTANT, ".", "…", "·"}:
        return "Important", None
    if re.search(r"[A-Za-z]{2}", text):
        return None, re.sub(r"\b([1-8][A-H])\.?(\d{1,2})\b", r"\1.\2", text)
    raise ValueError(f"unknown priority mark {text!r}")


# --- alignment marks and junk glyphs ---------------------------------------------------

# Glyphs the layout leaves before a domain: alignment marks (≠, its misread #, ≈) and
# box or check-mark debris (X, *, dashes). Each must stand alone as a token.
# The key's marks: = same (boxed green), ≈ partial (boxed yellow; a re-export may give
# ~, ≃ or ≅ for it), ≠ unique (and its OCR misread #).
_LEADING_GLYPHS = re.compile(r"^(?:[≠#≈~≃≅=X*—–•]\s*)+(?=\s|$)|^(?:[≠#≈~≃≅=*—–•]+)")
UNIQUE_MARKS = frozenset("≠#")
PARTIAL_MARKS = frozenset("≈~≃≅")


def strip_glyphs(cell: str) -> tuple[str, str]:
    """(text, glyphs): the layout glyphs at the start of a cell taken off.

    >>> strip_glyphs("≈ Communicating")
    ('Communicating', '≈')
    >>> strip_glyphs("# Unique")
    ('Unique', '#')
    >>> strip_glyphs("X Working with others")
    ('Working with others', 'X')
    >>> strip_glyphs("≈")
    ('', '≈')
    >>> strip_glyphs("Xenial")
    ('Xenial', '')
    """
    match = _LEADING_GLYPHS.match(cell.strip())
    if not match:
        return cell.strip(), ""
    glyphs = match.group(0).replace(" ", "")
    return cell.strip()[match.end():].strip(), glyphs


def unknown_mark(cell: str) -> str | None:
    """A symbol at the start of an Endorsement cell that is no known mark, or None.

    >>> unknown_mark("¤ Reflection")
    '¤'
    >>> unknown_mark("≈ Reflection") is None and unknown_mark("Reflection") is None
    True
    """
    text, _ = strip_glyphs(cell)
    first = text[:1]
    return first if first and not (first.isalnum() or first in "(\"'") else None


def alignment_of(cells: Iterable[str]) -> str:
    """Alignment of a mapping row from its three Endorsement cells (raw).

    >>> alignment_of(["≠ Unique", "# Unique", "≠ Unique"])
    'unique'
    >>> alignment_of(["≈ Reflection", "Curiosity", "Remains open and curious"])
    'partial'
    >>> alignment_of(["Reflection", "Self Awareness", "Seeks a high degree"])
    'same'
    >>> alignment_of(["= Reflection", "Self Awareness", "Seeks"]), alignment_of(["~ Thinking", "x", "y"])
    ('same', 'partial')
    """
    cells = list(cells)
    glyphs = "".join(strip_glyphs(c)[1] for c in cells)
    texts = [strip_glyphs(c)[0] for c in cells]
    if set(glyphs) & UNIQUE_MARKS or any(t.strip().rstrip(".").lower() == "unique" for t in texts):
        return "unique"
    if PARTIAL_MARKS & set("".join(glyphs)):
        return "partial"
    return "same"


# --- endorsement levels ---------------------------------------------------------------

_LEVEL_TAG = re.compile(r"\s*\((?:IFS|MHS|MHM)\)|\s*\(M[HSM]{0,2}\)?\s*$")


def split_level(cell: str) -> tuple[str, str | None]:
    """(text, level) with a ``(MHS)``/``(MHM)`` tag removed; a truncated ``(M`` gives no level.

    >>> split_level("Cultural Humility (MHS)")
    ('Cultural Humility', 'MHS')
    >>> split_level("Program Evaluation (MHM) Program Evaluation (MHM)")
    ('Program Evaluation Program Evaluation', 'MHM')
    >>> split_level("Admin tion (M")
    ('Admin tion', None)
    >>> split_level("Agency Policy")
    ('Agency Policy', None)
    """
    found = re.findall(r"\((IFS|MHS|MHM)\)", cell)
    text = _LEVEL_TAG.sub("", cell).strip()
    return text, (found[0] if found else None)


# --- endorsement domains --------------------------------------------------------------

_STOP = {"and", "with", "of", "the"}


def _tokens(text: str) -> list[str]:
    # NFKC: a PDF may give ligature glyphs (``Reﬂection``) for the letters.
    text = unicodedata.normalize("NFKC", text).lower().replace("&", " and ").replace("(cont.)", " ")
    return [t for t in re.findall(r"[a-z]+", text)]


def _token_match(cell_token: str, canonical_token: str) -> bool:
    """Same word, a truncation of it (``admin``), or one slip away (``eaw``/``law``)."""
    if cell_token == canonical_token:
        return True
    if len(cell_token) >= 4 and canonical_token.startswith(cell_token):
        return True
    if len(cell_token) == len(canonical_token) >= 3:
        return sum(a != b for a, b in zip(cell_token, canonical_token)) == 1
    return min(len(cell_token), len(canonical_token)) >= 5 and _one_insertion(cell_token,
                                                                              canonical_token)


def _one_insertion(a: str, b: str) -> bool:
    """One letter dropped or added (``reflecton``/``reflection``, ``thinkking``)."""
    short, long = sorted((a, b), key=len)
    if len(long) - len(short) != 1:
        return False
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


@lru_cache(maxsize=4096)
def domain_scores(text: str) -> Mapping[str, float]:
    """How well a cell matches each canonical domain: share of the domain's words found,
    plus half the share of the cell's words explained (so extra words cost a little).
    Cached (read-only): a document spells its few domains the same way row after row."""
    cell = [t for t in _tokens(text) if t not in _STOP]
    scores = {}
    for domain in ENDORSEMENT_DOMAINS:
        words = [t for t in _tokens(domain) if t not in _STOP]
        covered = sum(any(_token_match(c, w) for c in cell) for w in words) / len(words)
        explained = sum(any(_token_match(c, w) for w in words) for c in cell) / max(len(cell), 1)
        scores[domain] = covered + 0.5 * explained
    return MappingProxyType(scores)


def canonical_endorsement_domain(
    text: str, area_hint: Iterable[str] = (), *, margin: float = 0.25
) -> str | None:
    """The canonical Endorsement domain a cell means, or None if it cannot be told.

    ``area_hint`` lists the domains the row's knowledge/skill area belongs to elsewhere in
    the document; it decides between candidates that score alike.

    >>> canonical_endorsement_domain("Law, Regulation, and Agency Policy")
    'Law, Regulation & Agency Policy'
    >>> canonical_endorsement_domain("Eaw, Regulation & Agency Policy")
    'Law, Regulation & Agency Policy'
    >>> canonical_endorsement_domain("Admin tion")
    'Administration'
    >>> canonical_endorsement_domain("Workin, Others g with")
    'Working with Others'
    >>> canonical_endorsement_domain("Direct Service")
    'Direct Service Skills'
    >>> canonical_endorsement_domain("Research & Eval-uation (cont.)")
    'Research & Evaluation'
    >>> canonical_endorsement_domain("Direct Leading People")
    'Leading People'
    >>> canonical_endorsement_domain("Leading others", area_hint=["Leading People"])
    'Leading People'
    >>> canonical_endorsement_domain("Reflecton")
    'Reflection'
    >>> canonical_endorsement_domain("Gardening") is None
    True
    """
    scores = domain_scores(text.replace("-", ""))
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    best, best_score = ranked[0]
    if best_score < 0.5:
        return None
    close = [d for d, s in ranked if best_score - s < margin and s >= 0.5]
    if len(close) == 1:
        return best
    hinted = [d for d in close if d in set(area_hint)]
    return hinted[0] if len(hinted) == 1 else None


def area_key(area: str) -> str:
    """A spelling-insensitive key for a knowledge/skill area.

    >>> area_key("Infant/Young Child Development & Behavior (MHS)")
    'infant young child development and behavior'
    """
    text, _ = split_level(area)
    text = re.sub(r"\(.*?\)", " ", text)
    return " ".join(_tokens(text))


def area_domains(pairs: Iterable[tuple[str, str]]) -> Mapping[str, set[str]]:
    """area_key → canonical domains it is listed under, from (domain, area) pairs."""
    found: dict[str, set[str]] = {}
    for domain, area in pairs:
        canonical = canonical_endorsement_domain(domain)
        if canonical:
            found.setdefault(area_key(area), set()).add(canonical)
    return found
