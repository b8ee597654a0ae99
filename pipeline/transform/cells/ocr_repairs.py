"""Repairs of what OCR misreads, for the cells of rows read from a scanned page.

An OCR engine reads letters it knows as other letters it knows: where the document's
vocabulary is closed — a competency code, the priority mark, the alignment mark — the
one reading that fits is certain, and is taken (rule ``ocr`` in ``corrections``). Words
of prose go through the shared repairs (the lexicon's ``scanner_confusion`` and the
rest), as any cell does. A word the engine itself doubted and no repair settles is
reported in ``quality_issues`` with its page and box (:func:`doubtful_words`).

- codes: ``TA.`` → ``7A.``, ``1¢.`` → ``1C.``, ``2A.l`` → ``2A.1`` — a token shaped like
  a code whose characters, each read back through the confusions OCR makes
  (:data:`AS_DIGIT`, :data:`AS_LETTER`), give exactly one valid code;
- the priority column: a run of bullets read as letters (``eee``, ``e e e``, ``ooo``)
  → ``•••``; a lone ``x``, ``+`` or ``%`` where only ``*`` is printed → ``*``;
- the alignment marks: a sign alone at the start of an Endorsement cell is ``≠`` before
  ``Unique`` (``#``, ``¥``) and ``≈`` before anything else (``=``: the crosswalk prints no
  ``=`` in its rows).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pandas as pd

from pipeline.codes import (
    AS_DIGIT,
    AS_LETTER,
    DIGIT_LIKE,
    OCR_CODE,
    repair_code,
    split_leading_code,
)
from pipeline.transform.cells.audit import AuditLog, Edit, Provenance
from pipeline.transform.cells.vocabulary import canonical_endorsement_domain

RULE = "ocr"

#: Bullets as OCR reads them: letters and signs of a bullet's round shape.
#: Two to five signs where a mark is printed: the three bullets (a star is one glyph).
_BULLET_LIKE = re.compile(r"(?:[^\s]\s*){2,5}")
#: A single sign where a mark is printed: the star (a bullet run is never read as one).
_STAR_LIKE = re.compile(r"[^\s]")


def repair_leading_code(cell: str, edits: list[Edit] | None = None) -> str:
    """A skill or category cell with its leading code read back (``TA.3. Uses`` →
    ``7A.3. Uses``); a split code (``2A. 5.``) is repaired part by part.

    >>> repair_leading_code("TA.3. Uses reflective practice")
    '7A.3. Uses reflective practice'
    >>> repair_leading_code("1¢. Understands and Engages")
    '1C. Understands and Engages'
    >>> repair_leading_code("2A. l. Understands"), repair_leading_code("Supports the")
    ('2A. 1. Understands', 'Supports the')
    """
    words = cell.split(" ")
    if not words:
        return cell
    repaired = repair_code(words[0])
    if repaired is not None:
        words[0] = repaired
    elif len(words) > 1 and OCR_CODE.fullmatch(words[0]) and words[0].endswith("."):
        number = re.fullmatch(rf"([0-9{DIGIT_LIKE}]{{1,2}})(\.?)", words[1])
        if number and not number[1].isdigit():
            words[1] = "".join(AS_DIGIT.get(c, c) for c in number[1]) + number[2]
    result = " ".join(words)
    if result != cell and edits is not None:
        edits.append(Edit(RULE, cell.split(" ", 1)[0] if repaired else cell[:len(words[0]) + 4],
                          result.split(" ", 1)[0] if repaired else result[:len(words[0]) + 4]))
    return result


def repair_category(cell: str, skill: str, edits: list[Edit] | None = None) -> str:
    """A category cell whose leading code OCR misread, read back from the code of the
    competency on the same row (``ak:`` beside ``1F.3. Carries out`` → ``1F.``): the
    row's skill code names its category, so one reading fits. Only a leading token of
    at most four characters shaped like a code (a dot, colon or semicolon at its end, or
    a digit) is taken for one; a category title is left as read.

    >>> repair_category("ak:", "1F.3. Carries out"), repair_category("LE. Deepens", "1E.1. Acts")
    ('1F.', '1E. Deepens')
    >>> repair_category("1A.", "1A.2. Understands"), repair_category("Deepens", "1E.1. Acts")
    ('1A.', 'Deepens')
    """
    code, _ = split_leading_code(skill)
    if code is None or not cell.strip():
        return cell
    category = code.split(".")[0]
    first, _, rest = cell.strip().partition(" ")
    if first.rstrip(".") == category:
        return cell
    if len(first) > 4 or not re.search(r"[.:;,]$|\d", first):
        return cell
    repaired = f"{category}." + (f" {rest}" if rest else "")
    if edits is not None:
        edits.append(Edit(RULE, first, f"{category}."))
    return repaired


#: Every character OCR may have read for each character of a code: where one reading
#: has several (``Q`` is ``0`` or ``9``), the document's own codes decide.
CODE_READINGS = {
    "digit": {**{c: {d} for c, d in AS_DIGIT.items()}, "Q": {"0", "9"}, "q": {"9"},
              "g": {"9"}, "a": {"8"}, "&": {"8"}, "%": {"8"}, "?": {"7"}, "t": {"1", "7"}},
    "letter": {**{c: {d} for c, d in AS_LETTER.items()}, "£": {"E"}, "&": {"E", "B"},
               "R": {"B"}, "P": {"F", "B"}, "K": {"H"}, "N": {"H"}, "O": {"D", "C"},
               "Q": {"D", "C"}, "G": {"C", "G"}, "E": {"E", "F"}, "F": {"E", "F"}},
}


def read_back_code(token: str, known: set[str]) -> str | None:
    """The one code of ``known`` (compact, ``7A9``) that ``token`` can be read as, each
    of its three or four characters through the confusions OCR makes
    (:data:`CODE_READINGS`); None when none or several fit.

    >>> known = {"7A9", "7A10", "1E2", "1F2"}
    >>> read_back_code("TAQ", known), read_back_code("1£2", known), read_back_code("1P2", known)
    ('7A9', '1E2', '1F2')
    >>> read_back_code("1&2", known | {"1B2"}), read_back_code("Theory", known)
    (None, None)

    A token that is no code by its shape and has one character too many (a speck or a
    letter's piece read as a glyph of its own: ``1¢c2``, ``5SA1``) is read with each
    character left out in turn; a code-shaped token (``7A11``) never is: a code the
    document does not define is reported, not read as another.

    >>> read_back_code("1¢c2", known | {"1C2"}), read_back_code("7SA9", known)
    ('1C2', '7A9')
    >>> read_back_code("7A11", known), read_back_code("1H1x", known)
    (None, None)
    """
    token = token.strip(".,;:")
    found = _readings(token) & known
    if not found and not OCR_CODE.fullmatch(token) and 4 <= len(token) <= 5:
        found = set().union(*(_readings(token[:i] + token[i + 1:])
                              for i in range(len(token)))) & known
    return found.pop() if len(found) == 1 else None


def _readings(token: str) -> set[str]:
    """Every compact code (``7A9``) a three- or four-character token can be read as."""
    if not 3 <= len(token) <= 4:
        return set()

    def options(char: str, kind: str) -> set[str]:
        plain = {char} if (char.isdigit() if kind == "digit" else char in "ABCDEFGH") else set()
        return plain | CODE_READINGS[kind].get(char, set())

    kinds = ("digit", "letter") + ("digit",) * (len(token) - 2)
    readings = {""}
    for char, kind in zip(token, kinds):
        readings = {r + o for r in readings for o in options(char, kind)}
    return readings


def repair_code_list(cell: str, edits: list[Edit] | None = None,
                     known: set[str] | None = None) -> str:
    """A cell listing codes (the reverse table's ``Center of Excellence Competencies``)
    with each misread code read back, and the specks OCR reads between them (``;-``,
    ``,:``) dropped, when every item is then a code. With ``known``, the competency
    codes the document defines (compact: ``7A9``), an item that is not one is read back
    to the one of them it can be (:func:`read_back_code`).

    >>> repair_code_list("1H1, 2Al, TA3"), repair_code_list("LE2;-1F1,:1F3")
    ('1H1, 2A1, 7A3', '1E2, 1F1, 1F3')
    >>> repair_code_list("Unique to Alliance"), repair_code_list("1H1, TAQ", known={"1H1", "7A9"})
    ('Unique to Alliance', '1H1, 7A9')
    """
    items = [item.strip("-:;.,'`") for item in re.split(r"[\s,;]+", cell)]
    items = [item for item in items if item]
    repaired = [repair_code(item) or item for item in items]
    if known:
        repaired = [code if code.replace(".", "") in known
                    else read_back_code(code, known) or read_back_code(item, known) or code
                    for item, code in zip(items, repaired)]
    if not items or not all(OCR_CODE.fullmatch(code) for code in repaired):
        return cell
    result = ", ".join(repaired)
    if result != cell and edits is not None:
        edits.append(Edit(RULE, cell, result))
    return result


_LEVELS = r"(?:IFA|IFS|MHS|MHM)(?:,\s*(?:IFA|IFS|MHS|MHM))*"


def repair_level_tag(cell: str, edits: list[Edit] | None = None) -> str:
    """An Endorsement area's level tag with the dash OCR dropped before its designation
    (``(MHM policy)`` → ``(MHM - policy)``): the tag's form is fixed.

    >>> repair_level_tag("program development (MHM policy)")
    'program development (MHM - policy)'
    >>> repair_level_tag("writing (IFA, IFS, MHS, MHM)")
    'writing (IFA, IFS, MHS, MHM)'
    """
    match = re.search(rf"\(({_LEVELS})\s*[~_—–.]?\s+([a-z]+)\)$", cell)
    if not match:
        return cell
    tag = f"({match[1]} - {match[2]})"
    if edits is not None:
        edits.append(Edit(RULE, match[0], tag))
    return cell[:match.start()] + tag


def repair_priority(cell: str, edits: list[Edit] | None = None) -> str:
    """The priority mark as printed: bullets OCR read as letters, a star read as a sign.

    >>> repair_priority("eee"), repair_priority("e e e"), repair_priority("**e")
    ('•••', '•••', '•••')
    >>> repair_priority("x"), repair_priority("+"), repair_priority("*")
    ('*', '*', '*')
    >>> repair_priority("covered in 1C1"), repair_priority("¢*e«"), repair_priority("3")
    ('covered in 1C1', '•••', '*')
    """
    text = cell.strip()
    repaired = None
    if text in ("*", "•••") or (re.search(r"[A-Za-z]{3,}", text) and len(text.split()) > 1):
        return cell  # a mark as printed, or a note (words: ``covered in 1C1``)
    if _BULLET_LIKE.fullmatch(text) and set(text.replace(" ", "")) != {"•"}:
        repaired = "•••"
    elif _STAR_LIKE.fullmatch(text):
        repaired = "*"
    if repaired is None:
        return cell
    if edits is not None:
        edits.append(Edit(RULE, text, repaired))
    return repaired


def repair_alignment(cell: str, edits: list[Edit] | None = None) -> str:
    """The alignment mark at the start of an Endorsement cell, read back into the two
    marks the rows print: ``≠`` before ``Unique`` (OCR reads it ``#``, ``¥``, ``+``),
    ``≈`` before anything else (OCR reads it ``=``, ``~``).

    >>> repair_alignment("# Unique"), repair_alignment("¥ Unique"), repair_alignment("= Reflection")
    ('≠ Unique', '≠ Unique', '≈ Reflection')
    >>> repair_alignment("Reflection"), repair_alignment("≈ Thinking"), repair_alignment("#1 priority")
    ('Reflection', '≈ Thinking', '#1 priority')
    """
    # Dashes and bullets are layout debris the shared repairs take off, not a mark.
    match = re.match(r"\s*([^\w\s(\"'“‘≈≠\-–—•·])(?=\s|$)", cell)
    if not match:
        return cell
    rest = cell[match.end():].strip()
    mark = "≠" if rest.rstrip(".").lower() == "unique" else "≈"
    if edits is not None:
        edits.append(Edit(RULE, match.group(1), mark))
    return cell[:match.start(1)] + mark + cell[match.end(1):]


#: A run of lower-case letters OCR may have read without its spaces.
_RUN_TOGETHER = re.compile(r"(?<![\w'’-])[a-z]{3,}(?![\w'’-])")
#: A known word rarer than this (Zipf) may be function words run together (``ina``).
_RARE_ZIPF = 3.7
#: log10 of a word's share of English text is its Zipf frequency minus this.
_ZIPF_TO_LOG = 9.0
#: The cost (log10) of reading a token as one word it is an edit away from: a split
#: must beat the nearest word by more than this (``misson`` is ``mission``, not
#: ``miss on``). A nearest word that is a part of the split itself does not count:
#: ``withina`` is ``within a`` (a lost space), not ``within`` with a stray ``a``.
_EDIT_COST = 1.5
#: The most words one run-together token is read as.
_MAX_PARTS = 4


def split_run_together(text: str, edits: list[Edit] | None = None, lexicon=None) -> str:
    """Words OCR read without the spaces between them, split where one reading is clearly
    the likeliest: ``withina`` → ``within a``, ``developmentisatransactional`` →
    ``development is a transactional``, ``ina`` → ``in a``. A token is split only when
    no lexicon knows it (or it is a rare word that is function words run together, far
    likelier read as them: ``ina``, ``ofthe``), it is no curated typo, every part is a known word (a two-letter part one of the
    lexicon's short words, a one-letter part only ``a``), and the split is likelier, as
    a sequence of words by their frequency, than reading the token as the nearest word
    one edit away. (The shared ``split_joined_words`` splits two words at most and never
    a one-letter part: a scan runs more together.)

    >>> split_run_together("works withina program's mission"), split_run_together("engage ina way")
    ("works within a program's mission", 'engage in a way')
    >>> split_run_together("that developmentisatransactional phenomenon")
    'that development is a transactional phenomenon'
    >>> split_run_together("a misson statement; Behaviorr; nonjudgmental; IECMHC")
    'a misson statement; Behaviorr; nonjudgmental; IECMHC'
    >>> split_run_together("its manifes- tations; un-derstands")
    'its manifes- tations; un-derstands'
    """
    from pipeline.transform.cells.lexicon import (
        FUNCTION_WORDS,
        SHORT_WORDS,
        Lexicon,
        edits1,
        normalize,
    )
    from pipeline.transform.cells.spelling import known_typos

    lexicon = lexicon or Lexicon.default()
    typos = known_typos()

    def part_score(part: str) -> float | None:
        if len(part) == 1:
            return lexicon.frequency(part) - _ZIPF_TO_LOG if part == "a" else None
        if len(part) == 2 and part not in SHORT_WORDS:
            return None
        frequency = lexicon.frequency(part)
        return frequency - _ZIPF_TO_LOG if frequency >= 3.0 else None

    def best_split(token: str) -> tuple[float, list[str]] | None:
        # best[i]: the likeliest reading of token[:i] as at most _MAX_PARTS known words
        best: list[dict[int, tuple[float, list[str]]]] = [{0: (0.0, [])}]
        for end in range(1, len(token) + 1):
            found: dict[int, tuple[float, list[str]]] = {}
            for start in range(max(0, end - 30), end):
                score = part_score(token[start:end]) if best[start] else None
                if score is None:
                    continue
                for count, (total, parts) in best[start].items():
                    if count < _MAX_PARTS and (count + 1 not in found
                                               or found[count + 1][0] < total + score):
                        found[count + 1] = (total + score, parts + [token[start:end]])
            best.append(found)
        readings = [r for count, r in best[-1].items() if count > 1]
        return max(readings, key=lambda r: r[0]) if readings else None

    def repair(match: re.Match[str]) -> str:
        token = match.group()
        known = lexicon.is_word(token)
        if (known and lexicon.frequency(token) >= _RARE_ZIPF) or normalize(token) in typos:
            return token
        if re.search(r"-\s*$", text[:match.start()]) or text[match.end():].startswith("-"):
            return token  # a piece of a word wrapped at a hyphen (``man- ifestations``)
        reading = best_split(token)
        if reading is None:
            return token
        # A rare word that is function words run together (``ina``, ``ofthe``) is them,
        # when they are far likelier; any other known word is left alone.
        if known and (not set(reading[1]) <= FUNCTION_WORDS
                      or reading[0] < lexicon.frequency(token) - _ZIPF_TO_LOG + _EDIT_COST):
            return token
        nearest = max((lexicon.frequency(e) for e in edits1(token) if e not in reading[1]),
                      default=0.0)
        if nearest >= 3.0 and reading[0] <= nearest - _ZIPF_TO_LOG - _EDIT_COST:
            return token
        after = " ".join(reading[1])
        if edits is not None:
            edits.append(Edit(RULE, token, after))
        return after

    return _RUN_TOGETHER.sub(repair, text)


#: Letters a scan's blur and JPEG make look alike, as OCR reads them: read → printed.
LOOK_ALIKE = {"a": ("g", "o", "e"), "o": ("a", "e", "c"), "e": ("c", "o"), "c": ("e", "o"),
              "i": ("l", "t"), "l": ("i", "t"), "t": ("l", "f"), "f": ("t",), "n": ("u", "h"),
              "u": ("n",), "h": ("b", "n"), "b": ("h",), "m": ("rn",), "rn": ("m",),
              "d": ("cl",), "cl": ("d",), "w": ("vv",), "vv": ("w",), "q": ("g",), "g": ("q",),
              "y": ("v",), "v": ("y",), "s": ("e",)}
_WORD = re.compile(r"(?<![\w'’-])[A-Za-z]?[a-z]{3,}(?![\w'’-])")


def repair_look_alike(text: str, edits: list[Edit] | None = None, lexicon=None) -> str:
    """A word OCR misread by one letter that looks like another (``knowledae`` →
    ``knowledge``: the ``g`` lost its tail): a token no lexicon knows and English never
    writes (a rare real word is rare, not absent), no curated typo, for which exactly
    one :data:`LOOK_ALIKE` substitution gives a known word.

    >>> repair_look_alike("with knowledae of the"), repair_look_alike("a Behaviorr, misson")
    ('with knowledge of the', 'a Behaviorr, misson')
    """
    from pipeline.transform.cells.lexicon import Lexicon, normalize, unseen
    from pipeline.transform.cells.spelling import known_typos

    lexicon = lexicon or Lexicon.default()
    typos = known_typos()

    def repair(match: re.Match[str]) -> str:
        token = match.group()
        if lexicon.is_word(token) or normalize(token) in typos or not unseen(token):
            return token
        if re.search(r"-\s*$", text[:match.start()]):
            return token  # a piece of a word wrapped at a hyphen
        found = {token[:i] + printed + token[i + len(read):]
                 for i in range(len(token)) for read, choices in LOOK_ALIKE.items()
                 if token.startswith(read, i) for printed in choices}
        found = {word for word in found if lexicon.is_word(word)}
        if len(found) != 1:
            return token
        after = found.pop()
        if edits is not None:
            edits.append(Edit(RULE, token, after))
        return after

    return _WORD.sub(repair, text)


_SPACED_HYPHEN = re.compile(r"(?<=[A-Za-z,]) - (?=[A-Za-z])")


def repair_spaced_dash(text: str, edits: list[Edit] | None = None) -> str:
    """A dash between two words of a title or a competency, spaced on both sides, that
    OCR read as a hyphen (its strokes differ by a few pixels): ``Equity - from`` →
    ``Equity – from``. Typeset prose writes a spaced dash, never a spaced hyphen; the
    one spaced hyphen the crosswalk prints is in a level tag (``(MHM - policy)``), in the
    area columns, which this repair does not touch.

    >>> repair_spaced_dash("Promotes Equity - from the Individual"), repair_spaced_dash("3-5 years")
    ('Promotes Equity – from the Individual', '3-5 years')
    """
    result = _SPACED_HYPHEN.sub(" – ", text)
    if result != text and edits is not None:
        edits.append(Edit(RULE, "-", "–"))
    return result


#: A token of only these is a speck or a stroke OCR read as a sign (the crosswalk's
#: cells print no ``_`` or ``|`` alone).
_SPECK = re.compile(r"(?:(?<=\s)|^)[_|¦]+(?:\s+|$)")
#: A dash right after a word broken at a hyphen (``Develop- — ment``): the blur of the
#: wrap hyphen read twice.
#: Underscores glued to the start or end of a word (``_T/TA``, ``HV—_``): a speck on the
#: line under it.
_GLUED_SPECK = re.compile(r"(?<!\S)_+(?=\w)|(?<=\w)[—–]?_+(?!\S)")
_DASH_AFTER_WRAP = re.compile(r"(?<=\w-) [—–-](?= \w)")


def drop_specks(text: str, edits: list[Edit] | None = None) -> str:
    """A cell without the specks OCR read as signs between its words: a lone ``_``,
    ``__`` or ``|``, underscores glued to a word's ends, and a dash after a wrap hyphen.

    >>> drop_specks("Multidisciplinary Body _ of Knowledge"), drop_specks("Families | and")
    ('Multidisciplinary Body of Knowledge', 'Families and')
    >>> drop_specks("Plan Develop- — ment and"), drop_specks("Equity – from; a_b")
    ('Plan Develop- ment and', 'Equity – from; a_b')
    >>> drop_specks("coaches, _T/TA efforts"), drop_specks("ECE/HV—_ staff")
    ('coaches, T/TA efforts', 'ECE/HV staff')
    """
    result = _DASH_AFTER_WRAP.sub("", _SPECK.sub("", text)).strip()
    result = _GLUED_SPECK.sub("", result)
    if result != text.strip() and edits is not None:
        edits.append(Edit(RULE, text, result))
    return result if result != text.strip() else text


#: Letters OCR reads for a digit inside a number.
_NUMBER_LOOK_ALIKE = {"D": "0", "O": "0", "o": "0", "Q": "0", "l": "1", "I": "1", "S": "5",
                      "B": "8"}
_FOUR_DIGITS_BUT_ONE = re.compile(
    rf"(?<![\w.])(?=(?:[^\W_]*\d){{3}})[\d{''.join(_NUMBER_LOOK_ALIKE)}]{{4}}(?![\w])")


def repair_number(text: str, edits: list[Edit] | None = None,
                  known: set[str] | None = None) -> str:
    """A four-digit number (a year) with one digit OCR read as a letter like it:
    ``2D18`` → ``2018``, unless it is a code the document defines (``known``, compact).

    >>> repair_number("Foundation. 2D18. Tenets"), repair_number("in 2O2O, 1C.1")
    ('Foundation. 2018. Tenets', 'in 2O2O, 1C.1')
    >>> repair_number("see 2D18", known={"2D18"})
    'see 2D18'
    """
    def repair(match: re.Match[str]) -> str:
        token = match.group()
        if known and token in known:
            return token
        after = "".join(_NUMBER_LOOK_ALIKE.get(c, c) for c in token)
        if edits is not None:
            edits.append(Edit(RULE, token, after))
        return after

    return _FOUR_DIGITS_BUT_ONE.sub(repair, text)


def repair_words(text: str, edits: list[Edit] | None = None) -> str:
    """A cell's words: specks dropped, words run together split, one look-alike letter
    read back."""
    return repair_look_alike(split_run_together(drop_specks(text, edits), edits), edits)


def repair_prose(text: str, edits: list[Edit] | None = None) -> str:
    """A category's or a competency's text: its words (:func:`repair_words`), and its
    dashes read back."""
    return repair_spaced_dash(repair_words(text, edits), edits)


#: The repairs of each column of the raw frames (extract's names).
FORWARD_REPAIRS: dict[str, Callable[[str, list[Edit] | None], str]] = {
    "skill": repair_leading_code,
    "priority": repair_priority,
    "endorsement_domain": repair_alignment,
    "area": repair_alignment,
    "demonstrated_by": repair_alignment,
}
REVERSE_REPAIRS: dict[str, Callable[[str, list[Edit] | None], str]] = {
    "coe_codes": repair_code_list,
    "area": repair_level_tag,
}


def repair_cells(rows: Iterable[dict], repairs: dict[str, Callable]
                 ) -> list[tuple[int, str, list[Edit]]]:
    """Repair ``rows`` (dicts of raw cells) in place; (row index, column, edits) of each
    cell changed."""
    changed = []
    for index, row in enumerate(rows):
        for column, repair in repairs.items():
            value = row.get(column)
            if not isinstance(value, str) or not value:
                continue
            edits: list[Edit] = []
            row[column] = repair(value, edits)
            if row[column] != value:
                changed.append((index, column, edits))
    return changed


def doubtful_words(cell: str, low_confidence: Iterable[dict],
                   is_word: Callable[[str], bool]) -> list[dict]:
    """The words of ``low_confidence`` (OCR words read with low confidence on the
    cell's page: ``text``, ``confidence``, box) that stand in ``cell`` as read and that
    no lexicon knows: what OCR doubted and nothing repaired."""
    tokens = set(cell.split())
    found = []
    for word in low_confidence:
        text = word["text"]
        if text not in tokens:
            continue
        plain = re.sub(r"^[^\w]+|[^\w]+$", "", text)
        if plain and (is_word(plain) or OCR_CODE.fullmatch(text)):
            continue
        if not plain and text in {"*", "•••", "≈", "≠"}:
            continue
        found.append(word)
    return found


# --- Rows read by OCR ----------------------------------------------------------------------

#: The published column each repaired raw column feeds (the corrections log's ``field``).
FORWARD_FIELDS = {"category": "coe_category_code", "skill": "coe_code",
                  "priority": "mapping_priority", "endorsement_domain": "alignment",
                  "area": "alignment", "demonstrated_by": "alignment"}
#: The raw forward columns of prose, and the published column each feeds: words run
#: together are split in them (:func:`split_run_together`).
FORWARD_TEXT = {"category": "coe_category", "skill": "coe_competency",
                "endorsement_domain": "endorsement_domain", "area": "endorsement_area",
                "demonstrated_by": "demonstrated_by"}
#: Published text columns in which a doubted word is looked for, by table.
TEXT_COLUMNS = {
    "crosswalk": ("coe_competency", "endorsement_domain", "endorsement_area",
                  "demonstrated_by"),
    "coe_categories": ("category_title",),
    "endorsement_index": ("endorsement_area",),
}
QUALITY_KIND = "ocr_low_confidence"


def ocr_pages(ocr: pd.DataFrame | None) -> set[int]:
    """The pages read by OCR, from the extract's ``ocr`` frame (none without one)."""
    if ocr is None or not len(ocr):
        return set()
    return {int(p) for p in ocr.loc[ocr["kind"] == "page", "source_page"]}


def repair_ocr_rows(forward: pd.DataFrame, reverse: pd.DataFrame, ocr: pd.DataFrame | None,
                    audit: AuditLog) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The raw forward and reverse rows with the cells of rows from the pages read by
    OCR (the extract's ``ocr`` frame) repaired by the rules of this module, each change
    logged (rule ``ocr``) under the key the published row will have — and the codes the
    extract already read back (they decide where a row begins) logged likewise."""
    pages = ocr_pages(ocr)
    if not pages:
        return forward, reverse
    forward_rows = forward.to_dict("records")
    _log_extract_repairs(forward_rows, reverse.to_dict("records"), ocr, audit)
    on_pages = [r for r in forward_rows if _page(r) in pages]
    changed = repair_cells(on_pages, FORWARD_REPAIRS)
    for row in on_pages:
        _unreadable_mark(row, keys_of=forward_rows, audit=audit)
    for index, row in enumerate(on_pages):  # after the skill's code is read back
        edits: list[Edit] = []
        row["category"] = repair_category(row["category"], row["skill"], edits)
        if edits:
            changed.append((index, "category", edits))
    keys = _forward_keys(forward_rows)
    positions = {id(r): i for i, r in enumerate(forward_rows)}
    known = {code.replace(".", "") for code in
             (split_leading_code(str(r["skill"]))[0] for r in forward_rows) if code}
    for index, column, edits in changed:
        row = on_pages[index]
        audit.correct("crosswalk", keys[positions[id(row)]], FORWARD_FIELDS[column], edits,
                      _where(row))

    def text_repair(column: str) -> Callable[[str, list[Edit] | None], str]:
        words = repair_prose if column in ("category", "skill") else repair_words
        return lambda cell, edits: repair_number(words(cell, edits), edits, known)

    prose = {column: text_repair(column) for column in FORWARD_TEXT}
    for index, column, edits in repair_cells(on_pages, prose):
        row = on_pages[index]
        audit.correct("crosswalk", keys[positions[id(row)]], FORWARD_TEXT[column], edits,
                      _where(row))
    reverse_rows = reverse.to_dict("records")
    on_pages = [r for r in reverse_rows if _page(r) in pages]
    repairs = {**REVERSE_REPAIRS,
               "coe_codes": lambda cell, edits: repair_code_list(cell, edits, known)}
    for index, column, edits in repair_cells(on_pages, repairs):
        row = on_pages[index]
        audit.correct("endorsement_index", _reverse_key(row),
                      {"coe_codes": "coe_code", "area": "designation"}[column], edits, _where(row))
    for index, _, edits in repair_cells(on_pages, {"area": repair_words}):
        row = on_pages[index]
        audit.correct("endorsement_index", _reverse_key(row), "endorsement_area", edits,
                      _where(row))
    return (pd.DataFrame(forward_rows, columns=forward.columns).astype(forward.dtypes),
            pd.DataFrame(reverse_rows, columns=reverse.columns).astype(reverse.dtypes))


def _unreadable_mark(row: dict, keys_of: list[dict], audit: AuditLog) -> None:
    """A priority cell OCR read as no mark, no note and nothing a rule reads back
    (``bi``): left empty, and reported with what was read (never a silent null)."""
    from pipeline.transform.cells.vocabulary import parse_priority

    text = str(row.get("priority") or "").strip()
    try:
        parse_priority(text)
        return
    except ValueError:
        pass
    key = _forward_keys(keys_of)[next(i for i, r in enumerate(keys_of) if r is row)]
    audit.issue("ocr_unreadable_mark", "crosswalk", key,
                f"mapping_priority: OCR read the mark as {text!r}, which is neither * nor "
                "••• and no rule reads back; left empty: check it against the document",
                _where(row))
    row["priority"] = ""


def _log_extract_repairs(forward_rows: list[dict], reverse_rows: list[dict],
                         ocr: pd.DataFrame, audit: AuditLog) -> None:
    """A ``corrections`` row for each code the extract read back: on the first row of
    its page whose cell begins with (or, in the reverse table, lists) the code."""
    keys = _forward_keys(forward_rows)
    used: set[tuple[str, int, str]] = set()
    for repair in ocr[ocr["kind"] == "code"].itertuples(index=False):
        page, after = int(repair.source_page), repair.text
        edit = [Edit(RULE, repair.before, after)]
        candidates = [("crosswalk", i, column, FORWARD_FIELDS[column], row)
                      for i, row in enumerate(forward_rows) if _page(row) == page
                      for column in ("skill", "category")
                      if str(row[column]).split(" ", 1)[0] == after]
        candidates += [("endorsement_index", i, "coe_codes", "coe_code", row)
                       for i, row in enumerate(reverse_rows) if _page(row) == page
                       and after in re.split(r"[\s,;]+", str(row["coe_codes"]))]
        for table, index, column, field, row in candidates:
            if (table, index, column) in used:
                continue
            used.add((table, index, column))
            key = keys[index] if table == "crosswalk" else _reverse_key(row)
            audit.correct(table, key, field, edit, _where(row))
            break


def report_doubtful_cells(tables: dict[str, pd.DataFrame], ocr: pd.DataFrame | None,
                          audit: AuditLog, is_word: Callable[[str], bool]) -> None:
    """A ``quality_issues`` row (``ocr_low_confidence``) for each published cell of a
    row read by OCR that holds, as read, a word the OCR engine doubted and no repair
    changed, with its page, confidence and box."""
    if ocr is None or not len(ocr):
        return
    doubted: dict[int, list[dict]] = {}
    for row in ocr[ocr["kind"] == "low_confidence"].itertuples(index=False):
        doubted.setdefault(int(row.source_page), []).append(
            {"text": row.text, "confidence": row.confidence,
             "box": ", ".join(str(getattr(row, k)) for k in ("x0", "top", "x1", "bottom"))})
    for table, columns in TEXT_COLUMNS.items():
        frame = tables.get(table)
        if frame is None or "source_page" not in frame:
            continue
        keys = _keys(frame, table)
        for key, row in zip(keys, frame.to_dict("records")):
            page = _page(row)
            if page not in doubted:
                continue
            for column in columns:
                cell = row.get(column)
                if not isinstance(cell, str):
                    continue
                for word in doubtful_words(cell, doubted[page], is_word):
                    audit.issue(QUALITY_KIND, table, key,
                                f"{column}: OCR read {word['text']!r} with confidence "
                                f"{word['confidence']} % (page {page}, box {word['box']} pt), "
                                "and no repair settles it: check it against the document",
                                _where(row))


def _page(row: dict) -> int | None:
    value = row.get("source_page")
    return None if value is None or pd.isna(value) else int(value)


def _where(row: dict) -> Provenance:
    return Provenance(row["source_id"], None, _page(row))


def _forward_keys(rows: list[dict]) -> list[str]:
    """Each forward row's published key (``1A.1/2``), counted as the mapping rows are."""
    seen: dict[str, int] = {}
    keys = []
    for row in rows:
        code, _ = split_leading_code(row["skill"])
        seen[code] = seen.get(code, 0) + 1
        keys.append(f"{code}/{seen[code]}")
    return keys


def _reverse_key(row: dict) -> str:
    """A reverse row's key in ``endorsement_index`` (domain/area as the index keys it)."""
    from pipeline.transform.endorsement_index import split_area_levels

    domain_cell = row["endorsement_domain"].strip()
    domain = canonical_endorsement_domain(domain_cell) or domain_cell
    return f"{domain}/{split_area_levels(row['area'])[0]}"


def _keys(frame: pd.DataFrame, table: str) -> list[str]:
    from pipeline.metadata import TABLES

    names = TABLES[table].key
    return ["/".join(str(v) for v in values)
            for values in frame[list(names)].itertuples(index=False)]
