"""Repairs of damage done by the PDF layout: line-wrap hyphens, split and glued words.

Each repair is a ``str -> str`` function that appends one :class:`Edit` per fragment it
changes. Decisions are never tuned to a line of today's export: they ask the
:class:`Lexicon` (document evidence first, then word lists), so a re-export that wraps
at other places is repaired the same way.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.transform.audit import Edit
from pipeline.transform.lexicon import Lexicon, normalize
from pipeline.transform.spelling import known_typos

_L = r"[^\W\d_]"  # one letter
#: ``and``/``or`` after a hyphen make a suspended hyphen: ``infant- or young child``.
SUSPENDERS = frozenset({"and", "or", "nor", "&"})
#: A chain of letter runs joined by wrap hyphens ("- "), starting at a word start.
_WRAP_CHAIN = re.compile(rf"(?<!{_L}){_L}+(?:-[ \t]+(?:{_L}+|&))+")
_WRAP_LINK = re.compile(r"-[ \t]+")
_MAX_PIECES = 8  # readings of a chain grow as 2**(pieces - 1)
#: A hyphenated token written without spaces: ``Consul-tation``, ``dayto-day``.
_HYPHENATED = re.compile(rf"(?<![\w-]){_L}+(?:-{_L}+)+(?![\w-])")
_URLISH = re.compile(r"@|://|www\.|\w\.(?:com|org|gov|edu|net|ly)\b")


def _default(lexicon: Lexicon | None) -> Lexicon:
    return lexicon if lexicon is not None else Lexicon.default()


def _log(edits: list[Edit] | None, rule: str, before: str, after: str) -> None:
    if edits is not None and before != after:
        edits.append(Edit(rule, before, after))


def _in_url(text: str, start: int) -> bool:
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
    lexicon = _default(lexicon)
    if "\u00ad" in text:
        fixed = re.sub(r"\u00ad\s*", "", text)
        _log(edits, "dehyphenate", text, fixed)
        text = fixed

    def repair_chain(match: re.Match[str]) -> str:
        if _in_url(match.string, match.start()):
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
        _log(edits, "dehyphenate", match.group(), out)
        return out

    text = _WRAP_CHAIN.sub(repair_chain, text)

    def repair_unspaced(match: re.Match[str]) -> str:
        if _in_url(match.string, match.start()):
            return match.group()
        pieces = match.group().split("-")
        out, current = pieces[0], pieces[0]
        for piece in pieces[1:]:
            if _join_unspaced(current, piece, lexicon):
                out, current = out + piece, current + piece
            else:
                out, current = f"{out}-{piece}", piece
        _log(edits, "dehyphenate", match.group(), out)
        return out

    return _HYPHENATED.sub(repair_unspaced, text)


def _join_unspaced(left: str, right: str, lexicon: Lexicon) -> bool:
    """``left-right`` written without a space is a real hyphen unless shown otherwise."""
    closed, hyphened = lexicon.seen(left + right), lexicon.seen(f"{left}-{right}")
    if closed != hyphened:
        return closed > hyphened
    halves_known = lexicon.is_word(left) and lexicon.is_word(right)
    return not halves_known and lexicon.is_word(left + right)


_SPLIT_PAIR = re.compile(rf"(?<![\w'’-])({_L}+) ({_L}+)(?![\w'’-])")


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
    lexicon = _default(lexicon)
    pos = 0
    while match := _SPLIT_PAIR.search(text, pos):
        left, right = match.groups()
        joined = left + right
        if (
            not (left.isupper() or right.isupper())
            and not (lexicon.is_word(left) and lexicon.is_word(right))
            and lexicon.is_word(joined)
        ):
            _log(edits, "join_split_word", match.group(), joined)
            # The joined word may pair with the next token: search again from it.
            text = text[: match.start()] + joined + text[match.end() :]
            pos = match.start()
        else:
            pos = match.start(2)
    return text


def _splittable(token: str, lexicon: Lexicon, typos: frozenset[str]) -> tuple[str, str] | None:
    # A token the document repeats is its vocabulary (or a habitual typo, for the
    # unknown-word report), not a one-off accident of the layout.
    if lexicon.is_word(token) or normalize(token) in typos or lexicon.seen(token) > 1:
        return None
    return lexicon.split(token)


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
    lexicon, typos = _default(lexicon), known_typos()

    def repair(match: re.Match[str]) -> str:
        token = match.group()
        parts = None if _in_url(match.string, match.start()) else _splittable(token, lexicon, typos)
        if parts is None:
            return token
        after = " ".join(parts)
        _log(edits, "split_joined_words", token, after)
        return after

    return re.sub(rf"(?<![\w'’-]){_L}+(?![\w'’-])", repair, text)


def restore_lost_hyphens(
    text: str, edits: list[Edit] | None = None, lexicon: Lexicon | None = None
) -> str:
    """Put back a hyphen lost inside a compound: ``dayto-day`` → ``day-to-day``.

    >>> restore_lost_hyphens("in dayto-day interactions; Keeps up-todate on current")
    'in day-to-day interactions; Keeps up-to-date on current'
    >>> restore_lost_hyphens("racism, classism, sexism, able-ism, homophobia")
    'racism, classism, sexism, able-ism, homophobia'
    """
    lexicon, typos = _default(lexicon), known_typos()

    def repair(match: re.Match[str]) -> str:
        if _in_url(match.string, match.start()):
            return match.group()
        parts = []
        for part in match.group().split("-"):
            split = _splittable(part, lexicon, typos)
            parts.extend(split if split else [part])
        after = "-".join(parts)
        _log(edits, "restore_lost_hyphen", match.group(), after)
        return after

    return _HYPHENATED.sub(repair, text)


def repair_slash_wraps(
    text: str, edits: list[Edit] | None = None, lexicon: Lexicon | None = None
) -> str:
    """Close the space the layout left after a slash: ``infant/ young child``.

    >>> repair_slash_wraps("Intervention/ Treatment Planning; and/ or other life experience")
    'Intervention/Treatment Planning; and/or other life experience'
    """

    def repair(match: re.Match[str]) -> str:
        after = f"{match.group(1)}/{match.group(2)}"
        _log(edits, "slash_wrap", match.group(), after)
        return after

    return re.sub(r"([\w)'’\]]+)/[ \t]+([\w(\[]+)", repair, text)


_SPACES = re.compile(r"\s+")
_SPACE_BEFORE = re.compile(r" +(?=[,;:)\]]|\.(?![.\w]))")
_SPACE_AFTER = re.compile(r"(?<=[(\[]) +")


def _around(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``start:end`` to whole neighbouring tokens, for a readable edit."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def _sub_logged(pattern: re.Pattern[str], repl: str, text: str, edits, rule: str) -> str:
    """``pattern.sub(repl, text)``, logging each change with its neighbouring tokens."""

    def repair(match: re.Match[str]) -> str:
        if match.group() != repl and edits is not None:
            start, end = _around(text, match.start(), match.end())
            before = text[start:end]
            after = text[start : match.start()] + repl + text[match.end() : end]
            _log(edits, rule, before, after)
        return repl

    return pattern.sub(repair, text)


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
    for token in set(text.split()):
        nfc = unicodedata.normalize("NFC", token)
        if nfc != token:
            _log(edits, "whitespace", token, nfc)
    text = unicodedata.normalize("NFC", text)
    stripped = text.strip()
    if stripped != text:
        head, tail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        words = stripped.split()
        if head and words:
            _log(edits, "whitespace", head + words[0], words[0])
        if tail and words:
            _log(edits, "whitespace", words[-1] + tail, words[-1])
    text = _sub_logged(_SPACES, " ", stripped, edits, "whitespace")
    text = _sub_logged(_SPACE_BEFORE, "", text, edits, "whitespace")
    return _sub_logged(_SPACE_AFTER, "", text, edits, "whitespace")


_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def straighten_quotes(
    text: str, edits: list[Edit] | None = None, lexicon: Lexicon | None = None
) -> str:
    """Curly quotes to ASCII (the data contract); dashes are kept.

    >>> straighten_quotes("Sees and can explain the “big picture”; one’s own — not ‘theirs’")
    'Sees and can explain the "big picture"; one\\'s own — not \\'theirs\\''
    """

    def repair(match: re.Match[str]) -> str:
        after = match.group().translate(_QUOTES)
        _log(edits, "quotes", match.group(), after)
        return after

    return re.sub(r"\S*[’‘“”]\S*", repair, text)
