"""Repairs of line wraps the PDF layout left in a cell: ``Relation- ship``, ``infant/ young``.

Each repair is a ``str -> str`` function that appends one :class:`Edit` per fragment it
changes. Decisions are never tuned to a line of today's export: they ask the
:class:`Lexicon` (document evidence first, then word lists), so a re-export that wraps
at other places is repaired the same way. The token shapes defined here (a letter, a
hyphenated token, a URL that is never repaired) are shared with
:mod:`pipeline.transform.cells.word_joins`, which repairs words split or glued without a wrap.
"""

from __future__ import annotations

import re

from pipeline.transform.cells.audit import Edit
from pipeline.transform.cells.edits import log_edit
from pipeline.transform.cells.lexicon import Lexicon, normalize

LETTER = r"[^\W\d_]"  # one letter
#: ``and``/``or`` after a hyphen make a suspended hyphen: ``infant- or young child``.
SUSPENDERS = frozenset({"and", "or", "nor", "&"})
#: A chain of letter runs joined by wrap hyphens ("- "), starting at a word start.
_WRAP_CHAIN = re.compile(rf"(?<!{LETTER}){LETTER}+(?:-[ \t]+(?:{LETTER}+|&))+")
_WRAP_LINK = re.compile(r"-[ \t]+")
_MAX_PIECES = 8  # readings of a chain grow as 2**(pieces - 1)
#: A hyphenated token written without spaces: ``Consul-tation``, ``dayto-day``.
HYPHENATED = re.compile(rf"(?<![\w-]){LETTER}+(?:-{LETTER}+)+(?![\w-])")
_URLISH = re.compile(r"@|://|www\.|\w\.(?:com|org|gov|edu|net|ly)\b")
#: A slash the layout spaced: ``infant/ young``.
_SLASH_WRAP = re.compile(r"([\w)'’\]]+)/[ \t]+([\w(\[]+)")


def default_lexicon(lexicon: Lexicon | None) -> Lexicon:
    """``lexicon``, or the default one (word lists, no document evidence) when None."""
    return lexicon if lexicon is not None else Lexicon.default()


def in_url(text: str, start: int) -> bool:
    """Whether position ``start`` lies in a URL or e-mail address (never repaired)."""
    left = text.rfind(" ", 0, start) + 1
    right = text.find(" ", start)
    return bool(_URLISH.search(text[left : right if right >= 0 else len(text)]))


def _segment(pieces: list[str], lexicon: Lexicon) -> str:
    """Rejoin the pieces of a wrap chain (``family- cen- tered``) the best way.

    Every way of joining or hyphenating the links is scored; a chain rarely has more
    than three pieces, so trying all is cheap and, unlike a left-to-right choice, sees
    that ``family- cen- tered`` is ``family-centered``, not ``familycen…``. Lower is
    better, compared in this order:

    1. links that contradict the document: it writes ``well-being`` unbroken, so a
       wrapped ``well- being`` keeps its hyphen; it writes ``interagency``, so joins;
    2. joins onto a capitalized piece: a wrap never capitalizes the inside of a word,
       so ``Self- Awareness`` is two words;
    3. groups that are no known word (``Parent-Infant`` beats ``Parentinfant``);
    4. joins of two acronyms into an unknown one (``MI- AIMH`` stays ``MI-AIMH``);
    5. the number of hyphens: a wrap inside a word is far more common than at a
       compound's hyphen, so ``Relation- ship`` (two words, or one) is ``Relationship``.
    """
    if len(pieces) > _MAX_PIECES:
        return "- ".join(pieces)  # no wrap looks like this; leave it as found
    best_key, best = None, pieces[0]
    for mask in range(1 << (len(pieces) - 1)):
        joins = [bool(mask >> i & 1) for i in range(len(pieces) - 1)]
        groups, conflicts, capital_joins, acronym_joins = [pieces[0]], 0, 0, 0
        starts = [0]
        for i, join in enumerate(joins):
            right = pieces[i + 1]
            if join:
                capital_joins += right[:1].isupper() and not right.isupper()
                acronym_joins += pieces[i].isupper() and right.isupper()
                groups[-1] += right
            else:
                groups.append(right)
                starts.append(i + 1)
        for i, join in enumerate(joins):
            # the link's evidence: the words on either side as this reading groups them
            g = max(k for k, s in enumerate(starts) if s <= i)
            left = "".join(pieces[starts[g] : i + 1])
            end = starts[g + 1] if g + 1 < len(starts) else len(pieces)
            right = "".join(pieces[i + 1 : end]) if join else groups[g + 1]
            closed, hyphened = lexicon.seen(left + right), lexicon.seen(f"{left}-{right}")
            conflicts += (closed > hyphened) != join if closed != hyphened else 0
        unknown = sum(not lexicon.is_word(g) for g in groups)
        acronym_joins = acronym_joins if unknown else 0
        key = (conflicts, capital_joins, unknown, acronym_joins, len(groups))
        if best_key is None or key < best_key:
            best_key, best = key, "-".join(groups)
    return best


def _suspended(left: str, right: str, lexicon: Lexicon) -> bool:
    """``child- and family-specific`` keeps its hyphen and space (unless ``hon- or``)."""
    if right == "&":
        return True
    return normalize(right) in SUSPENDERS and not (
        lexicon.is_word(left + right) or lexicon.seen(left + right)
    )


def dehyphenate(text: str, edits: list[Edit] | None = None, lexicon: Lexicon | None = None) -> str:
    """Undo line-wrap hyphens ``X- Y``: join the halves or keep a compound's hyphen.

    Also joins a hyphen whose wrap space was lost (``Consul-tation``) when the document
    writes the word closed more often than hyphenated, or one half is no word and the
    whole is. Soft hyphens (U+00AD) only ever mark a possible break and are removed.

    >>> dehyphenate("Relation- ship-Fo- cused, Therapeutic Practice (MHS)")
    'Relationship-Focused, Therapeutic Practice (MHS)'
    >>> dehyphenate("Psychother- apeutic & Behavioral Theories of Change")
    'Psychotherapeutic & Behavioral Theories of Change'
    >>> dehyphenate("Law, Regu- lation and Agency Policy")
    'Law, Regulation and Agency Policy'
    >>> dehyphenate("works cooperatively with inter- agency teams")
    'works cooperatively with interagency teams'
    >>> dehyphenate("6. Classroom- and Home- Focused Consultation")
    '6. Classroom- and Home-Focused Consultation'
    >>> dehyphenate("programmatic and/or infant- or young child- and family-specific activities.")
    'programmatic and/or infant- or young child- and family-specific activities.'
    >>> dehyphenate("Parent- Infant/Young Child Relation- ship-Based Therapies")
    'Parent-Infant/Young Child Relationship-Based Therapies'
    >>> dehyphenate("Center of Excellence for Infant and Early Childhood Mental Health Consul-tation website")
    'Center of Excellence for Infant and Early Childhood Mental Health Consultation website'
    >>> edits = []
    >>> dehyphenate("Self- Awareness", edits), edits
    ('Self-Awareness', [Edit(rule='dehyphenate', before='Self- Awareness', after='Self-Awareness')])
    """
    lexicon = default_lexicon(lexicon)
    if "\u00ad" in text:
        fixed = re.sub(r"\u00ad\s*", "", text)
        log_edit(edits, "dehyphenate", text, fixed)
        text = fixed

    if "-" not in text:
        return text  # both repairs below read a hyphen

    def repair_chain(match: re.Match[str]) -> str:
        if in_url(match.string, match.start()):
            return match.group()
        pieces = _WRAP_LINK.split(match.group())
        # Suspended hyphens (``child- and``) cut the chain into independent runs.
        runs = [[pieces[0]]]
        for piece in pieces[1:]:
            if _suspended(runs[-1][-1], piece, lexicon):
                runs.append([piece])
            else:
                runs[-1].append(piece)
        out = "- ".join(_segment(run, lexicon) for run in runs)
        log_edit(edits, "dehyphenate", match.group(), out)
        return out

    text = _WRAP_CHAIN.sub(repair_chain, text)

    def repair_unspaced(match: re.Match[str]) -> str:
        if in_url(match.string, match.start()):
            return match.group()
        pieces = match.group().split("-")
        out, current = pieces[0], pieces[0]
        for piece in pieces[1:]:
            if _join_unspaced(current, piece, lexicon):
                out, current = out + piece, current + piece
            else:
                out, current = f"{out}-{piece}", piece
        log_edit(edits, "dehyphenate", match.group(), out)
        return out

    return HYPHENATED.sub(repair_unspaced, text)


def _join_unspaced(left: str, right: str, lexicon: Lexicon) -> bool:
    """``left-right`` written without a space is a real hyphen unless shown otherwise."""
    closed, hyphened = lexicon.seen(left + right), lexicon.seen(f"{left}-{right}")
    if closed != hyphened:
        return closed > hyphened
    halves_known = lexicon.is_word(left) and lexicon.is_word(right)
    return not halves_known and lexicon.is_word(left + right)


def repair_slash_wraps(
    text: str, edits: list[Edit] | None = None, lexicon: Lexicon | None = None
) -> str:
    """Close the space the layout left after a slash: ``infant/ young child``.

    >>> repair_slash_wraps("Intervention/ Treatment Planning; and/ or other life experience")
    'Intervention/Treatment Planning; and/or other life experience'
    """

    def repair(match: re.Match[str]) -> str:
        after = f"{match.group(1)}/{match.group(2)}"
        log_edit(edits, "slash_wrap", match.group(), after)
        return after

    if "/ " not in text and "/\t" not in text:
        return text  # no slash wrap; the pattern would try every run of letters
    return _SLASH_WRAP.sub(repair, text)
