"""Repairs of letters a scanner (OCR) misread: ``racisrn``, ``Govemment``, ``inc1ude``.

A PDF made from a scan holds text an OCR engine read from shapes, and it confuses the
shapes that look alike: ``rn`` and ``m`` (``racisrn``, and back: ``Govemment``), ``cl``
for ``d`` (``neecls``), ``c`` for ``e`` (``Thcoretical``), ``1`` for ``l`` (``inc1ude``),
and ``(l)`` for the enumeration ``(1)``. No typo list can hold these (a re-scan misreads
other words) and the one-edit spelling fix cannot see them (``rn`` → ``m`` is two edits,
and a word holding a digit is no word to it), so each confusion is undone in reverse and
the :class:`Lexicon` decides, as for the wraps: a token is repaired only when

* it is no word: not known to the lexicon (wordfreq, the domain list) and not a
  curated typo (the curated fix wins). The document does not make it a word: a scan
  misreads a word once, or in every print of a repeated cell, and either way the
  damaged form is written by the document; and
* exactly one reading — the token with every ``1`` read as ``l`` and at most two other
  confusions undone — is a word: known to the lexicon, or written by the document at
  least twice and more often than the token.

Of the 380 tokens of the five sources that the lexicon does not know (domain list off),
none has such a reading; on the real text cells the repairs change nothing.

Codes never change: only tokens of lower-case letters (the first may be a capital) and
the digit ``1`` are read, so ``1A.1``, ``2A11``, ``1C1``, ``0-3R`` or ``IMH-E®`` are
never touched. Measured by the damage generator of ``tests/transform/cells/test_scanner.py``
over the real text cells of the crosswalk export: see that module for the numbers.

Words run together (``acrossmultiple``) and split (``rela tionship``) are repaired by
:mod:`~pipeline.transform.cells.word_joins`, a doubled letter (``dailyy``) by
:mod:`~pipeline.transform.cells.spelling`; this module runs before them (see
:data:`pipeline.transform.cells.text.STEPS`).
"""

from __future__ import annotations

import re
from itertools import combinations

from pipeline.transform.cells.audit import Edit
from pipeline.transform.cells.edits import log_edit
from pipeline.transform.cells.lexicon import Lexicon, normalize
from pipeline.transform.cells.spelling import known_typos
from pipeline.transform.cells.wraps import default_lexicon, in_url

#: (what the scanner wrote, what was printed), in lower case. ``rn`` and ``m`` are
#: misread either way; ``1`` is always read back as ``l`` (a word holds no digit).
CONFUSIONS: tuple[tuple[str, str], ...] = (("rn", "m"), ("m", "rn"), ("cl", "d"), ("c", "e"))
#: At most this many confusions undone in one token (besides every ``1``): a scan rarely
#: misreads more in one word, and each more multiplies the readings that could be words.
MAX_CONFUSIONS = 2

#: A token: letters and digits, with inner apostrophes; hyphens and slashes separate.
# A word, with inner apostrophes (``one's``) and a possessive one at its end
# (``families'``), which is kept out of the reading.
_TOKEN = re.compile(r"(?<![\w'’])[^\W_]+(?:['’][^\W_]+)*(?=['’]?(?![\w'’]))")
#: A token a confusion may hide in: lower-case letters and ``1`` (the first may be a
#: capital), three characters at least, starting with a letter (``a11``) or, if with a
#: ``1``, holding three letters (``1earning``). ``2A11``, ``1C1``, ``3R``, ``1st``,
#: ``IECMHC`` do not match.
_READABLE = re.compile(r"(?=.{3})(?:[A-Za-z]|1(?=(?:.*[a-z]){3}))[a-z1]*(?:['’][a-z]+)?")


def _readings(token: str) -> set[str]:
    """Every reading of ``token`` with its ``1`` read as ``l`` and up to
    :data:`MAX_CONFUSIONS` other confusions undone (the token itself excluded).

    >>> sorted(_readings("Govemment"))
    ['Govemrnent', 'Government', 'Governrnent']
    """
    base = token.replace("1", "l")
    lower = base.lower()
    sites = [
        (start, start + len(seen), printed)
        for seen, printed in CONFUSIONS
        for start in (m.start() for m in re.finditer(f"(?={re.escape(seen)})", lower))
    ]
    readings = {base} if base != token else set()
    for n in range(1, MAX_CONFUSIONS + 1):
        for chosen in combinations(sites, n):
            if any(a[1] > b[0] for a, b in zip(chosen, chosen[1:])):
                continue  # overlapping sites (``rn`` inside ``rnm``)
            out, last = [], 0
            for start, end, printed in chosen:
                was = base[start:end]
                out += [base[last:start], printed.capitalize() if was[:1].isupper() else printed]
                last = end
            readings.add("".join(out) + base[last:])
    readings.discard(token)
    return readings


def read_through(token: str, lexicon: Lexicon, typos: frozenset[str] = frozenset()) -> str | None:
    """The one word ``token`` can be read as through scanner confusions, or None.

    >>> lex = Lexicon.default()
    >>> [read_through(t, lex) for t in ("inc1ude", "racisrn", "Govemment", "neecls", "Thcoretical")]
    ['include', 'racism', 'Government', 'needs', 'Theoretical']
    >>> [read_through(t, lex) for t in ("include", "1A", "2A11", "1C1", "IECMHC", "tion")]
    [None, None, None, None, None, None]
    """
    if not _READABLE.fullmatch(token) or normalize(token) in typos:
        return None
    if "1" not in token and lexicon.is_word(token):
        return None
    # The confusions are undone on the token as written; ``sorted`` keeps the choice
    # of the capitalized/plain spelling deterministic.
    readings = sorted(_readings(token))
    # A word the lexicon knows beats one the document merely prints: a damaged document
    # may print the same misreading twice (``farnilies`` beside ``fami1ies``).
    known = {normalize(r): r for r in readings if lexicon.is_word(r)} or {
        normalize(r): r for r in readings
        if lexicon.seen(r) >= 2 and lexicon.seen(r) > lexicon.seen(token)
    }
    if len(known) != 1:
        return None
    (reading,) = known.values()
    return reading


def repair_scanner_confusions(
    text: str, edits: list[Edit] | None = None, lexicon: Lexicon | None = None
) -> str:
    """Undo look-alike letters an OCR engine misread (rule ``scanner_confusion``).

    The damage below was put into real cells of the crosswalk export by hand.

    >>> repair_scanner_confusions("Understands implicit bias and its manifestations, and systemic racisrn")
    'Understands implicit bias and its manifestations, and systemic racism'
    >>> repair_scanner_confusions("Eaw, Regulation & Agency Policy; Govemment, Law, & Regu- lation")
    'Eaw, Regulation & Agency Policy; Government, Law, & Regu- lation'
    >>> repair_scanner_confusions("supervision that inc1udes broad discussion of job-re1ated responsibilities")
    'supervision that includes broad discussion of job-related responsibilities'
    >>> repair_scanner_confusions("Recognizes when additional mental health and/or other services are warranted; neecls")
    'Recognizes when additional mental health and/or other services are warranted; needs'
    >>> repair_scanner_confusions("1A.1. Demonstrates; see 1C1, 2A11, 0-3R, IMH-E®; bit.ly/IL-IECMHC")
    '1A.1. Demonstrates; see 1C1, 2A11, 0-3R, IMH-E®; bit.ly/IL-IECMHC'
    """
    lexicon, typos = default_lexicon(lexicon), known_typos()
    # Memoised: every cell asks about the same words; the reading depends only on the
    # token, the lexicon and the typo list.
    readings = lexicon.memo((read_through, typos))

    def repair(match: re.Match[str]) -> str:
        token = match.group()
        try:
            reading = readings[token]
        except KeyError:
            reading = readings[token] = read_through(token, lexicon, typos)
        # The URL test reads the text around, so it comes after the look-up.
        if reading is None or in_url(match.string, match.start()):
            return token
        log_edit(edits, "scanner_confusion", token, reading)
        return reading

    return _TOKEN.sub(repair, text)


#: ``(l)`` or ``l)`` where an enumeration's ``(1)``/``1)`` was printed.
_ENUMERATION_L = re.compile(r"(?<![\w(])(\(?)l\)")
_SECOND_ITEM = re.compile(r"(?<![\w.])\(?2\)")
_LETTER_ITEMS = re.compile(r"(?<![\w.])\(?[a-k]\)")


def repair_enumeration_digits(
    text: str, edits: list[Edit] | None = None, lexicon: Lexicon | None = None
) -> str:
    """Read ``(l)`` back as ``(1)`` in a numbered list (rule ``scanner_enumeration``).

    Only when the cell goes on to a ``(2)``/``2)`` and has no lettered items up to
    ``k)`` (after which ``(l)`` is a letter).

    >>> repair_enumeration_digits("relationships between (l) families and program staff, (2) program team members")
    'relationships between (1) families and program staff, (2) program team members'
    >>> repair_enumeration_digits("including: l) observation of own and 2) effects of treatment")
    'including: 1) observation of own and 2) effects of treatment'
    >>> repair_enumeration_digits("a) Identify, b) Develop, (l) the last; 2) ...")
    'a) Identify, b) Develop, (l) the last; 2) ...'
    """

    def repair(match: re.Match[str]) -> str:
        rest = match.string[match.end():]
        if not _SECOND_ITEM.search(rest) or _LETTER_ITEMS.search(match.string):
            return match.group()
        after = f"{match.group(1)}1)"
        log_edit(edits, "scanner_enumeration", match.group(), after)
        return after

    return _ENUMERATION_L.sub(repair, text)
