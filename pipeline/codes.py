"""CoE competency and category codes as the sources write them, their canonical form, and
the natural order every published table and diff sorts them in.

The table export writes one code many ways: ``1A.1.``, ``2A. 5.``, ``1D.3 Understands``,
``3A.7.Demonstrates``; the reverse table writes ``1C2``. All mean ``<digit><letter>.<n>``.
"""

from __future__ import annotations

import math
import numbers
import re
from functools import lru_cache

import pandas as pd

# A competency code at the start of a skill cell: digit, letter, dot, number, optional dot.
# Spaces may sit anywhere between the parts (``2A. 5.``); the text may follow with or
# without a space (``3A.7.Demonstrates``).
_LEADING_CODE = re.compile(r"^\s*([1-8])\s*([A-H])\s*\.\s*(\d{1,2})(?!\d)\s*\.?\s*")
_CATEGORY = re.compile(r"^\s*([1-8])\s*([A-H])\s*\.?(?=\s|$)\s*")
_COMPACT_CODE = re.compile(r"^([1-8])([A-H])\.?(\d{1,2})$")
_DIGITS = re.compile(r"([0-9]+)")


def split_leading_code(cell: str) -> tuple[str | None, str]:
    """Split a skill cell into its canonical code and the text after it.

    >>> split_leading_code("2A. 5. Understands the impact of systemic racism")
    ('2A.5', 'Understands the impact of systemic racism')
    >>> split_leading_code("3A.7.Demonstrates the ability")
    ('3A.7', 'Demonstrates the ability')
    >>> split_leading_code("1D.3 Understands implicit bias")
    ('1D.3', 'Understands implicit bias')
    >>> split_leading_code("2A.2. See above")
    ('2A.2', 'See above')
    >>> split_leading_code("young child relationships")
    (None, 'young child relationships')
    """
    match = _LEADING_CODE.match(cell)
    if not match:
        return None, cell.strip()
    digit, letter, number = match.groups()
    return f"{digit}{letter}.{int(number)}", cell[match.end():].strip()


def split_leading_category(cell: str) -> tuple[str | None, str]:
    """Split a category cell into its code and title.

    >>> split_leading_category("1A. Distinguishes IECMHC from Other Related Endeavors")
    ('1A', 'Distinguishes IECMHC from Other Related Endeavors')
    >>> split_leading_category("1A.")
    ('1A', '')
    >>> split_leading_category("Promotes Secure and Supportive Relationships")
    (None, 'Promotes Secure and Supportive Relationships')
    """
    match = _CATEGORY.match(cell)
    if not match:
        return None, cell.strip()
    return f"{match.group(1)}{match.group(2)}", cell[match.end():].strip()


def canonical_code(token: str) -> str | None:
    """A compact or dotted code token in canonical form, or None if it is no code.

    >>> canonical_code("1C2")
    '1C.2'
    >>> canonical_code("2A11")
    '2A.11'
    >>> canonical_code("1C.1")
    '1C.1'
    >>> canonical_code("32") is None
    True
    """
    match = _COMPACT_CODE.match(token.strip())
    if not match:
        return None
    digit, letter, number = match.groups()
    return f"{digit}{letter}.{int(number)}"


def category_of(code: str) -> str:
    """The category code of a competency code.

    >>> category_of("2A.11")
    '2A'
    """
    return code.split(".", 1)[0]


def natural_sort_key(value: object) -> tuple:
    """Sort key: digit runs compare as numbers, nulls sort last.

    >>> sorted(["1A.10", "1A.2", "1B.1", "1A.1"], key=natural_sort_key)
    ['1A.1', '1A.2', '1A.10', '1B.1']
    >>> sorted(["2A", "10A", "1H"], key=natural_sort_key)
    ['1H', '2A', '10A']
    >>> sorted([10, None, 2, 1], key=natural_sort_key)
    [1, 2, 10, None]
    >>> sorted(["b", None, "a"], key=natural_sort_key)
    ['a', 'b', None]

    Equal numbers in different spellings still get a fixed order (by the text):

    >>> sorted(["1A.01", "1A.1"], key=natural_sort_key)
    ['1A.01', '1A.1']
    """
    if is_null(value):
        return (1,)
    if isinstance(value, bool) or (hasattr(value, "dtype") and value.dtype == bool):
        return (0, ((0, int(value), ""),), "")
    if isinstance(value, numbers.Integral):
        return (0, ((0, int(value), ""),), "")
    return _text_sort_key(str(value))


@lru_cache(maxsize=1 << 16)
def _text_sort_key(text: str) -> tuple:
    # Cached: a table's codes, domains and repeated cells recur row after row.
    chunks = tuple(
        (0, int(chunk), "") if chunk[0].isascii() and chunk[0].isdigit() else (1, 0, chunk)
        for chunk in _DIGITS.split(text)
        if chunk
    )
    return (0, chunks, text)


def is_null(value: object) -> bool:
    """A null cell: None, ``pd.NA``, ``pd.NaT`` or a float NaN.

    >>> [is_null(v) for v in (None, pd.NA, float("nan"), 0, "")]
    [True, True, True, False, False]
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


# --- Codes as OCR reads them -------------------------------------------------------
# Shared by the OCR page reader (a row's code decides where a row begins, so it is read
# back before the table is put together) and the OCR repairs of the normalize stage.

#: What OCR reads for a digit of a code: the letters and signs it takes for one.
AS_DIGIT = {"l": "1", "I": "1", "|": "1", "i": "1", "!": "1", "]": "1", "j": "1", "L": "1",
            "T": "7", "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8", "O": "0",
            "o": "0", "Q": "0", "D": "0", "g": "9", "q": "9", "G": "6", "b": "6"}
#: What OCR reads for the letter of a code (A–H, upper case).
AS_LETTER = {"¢": "C", "(": "C", "€": "C", "c": "C", "8": "B", "6": "G", "4": "A",
             "a": "A", "b": "B", "d": "D", "e": "E", "f": "F", "h": "H", "0": "D"}
DIGIT_LIKE = "".join(re.escape(c) for c in AS_DIGIT)
LETTER_LIKE = "".join(re.escape(c) for c in AS_LETTER)
#: A token shaped like a code or a category as OCR may read it: ``1A.``, ``1A.12.``,
#: ``1A12`` (compact, the reverse table), with any character possibly misread.
OCR_CODE_LIKE = re.compile(
    rf"(?P<digit>[1-8{DIGIT_LIKE}])(?P<letter>[A-H{LETTER_LIKE}])(?P<stray>[€¢£$&'’`]?)"
    rf"(?P<dot>[.,]?)(?P<number>[0-9{DIGIT_LIKE}]{{1,2}})?(?P<end>[.,;]?)")
OCR_CODE = re.compile(r"[1-8][A-H]\.?(?:\d{1,2})?\.?")

def repair_code(token: str) -> str | None:
    """The code ``token`` reads as, when OCR misread it and exactly one code fits; None
    when it is a code already or no code.

    >>> repair_code("TA."), repair_code("1¢."), repair_code("2A.l"), repair_code("1B.2.")
    ('7A.', '1C.', '2A.1', None)
    >>> repair_code("1C€.4."), repair_code("1E£.1."), repair_code("3B,2."), repair_code("1H1,")
    ('1C.4.', '1E.1.', '3B.2.', None)
    >>> repair_code("7Cl1,"), repair_code("1Cc3")
    ('7C11,', '1C3')
    >>> repair_code("IECMH"), repair_code("Theory"), repair_code("to"), repair_code("Be.")
    (None, None, None, None)
    """
    if OCR_CODE.fullmatch(token):
        return None
    read = token
    doubled = re.match(r".([A-H])([a-h])", token)  # a letter read twice: ``1Cc3``
    if doubled and doubled[2] == doubled[1].lower():
        token = token[:2] + token[3:]
    match = OCR_CODE_LIKE.fullmatch(token)
    if not match:
        return None
    if not match["dot"] and not match["number"]:
        return None  # two characters alone (``to``, ``Be``): a word, not a code
    if not re.search(r"\d", token) and not (match["dot"] and match["letter"] in "ABCDEFGH¢€("):
        return None  # no digit, and no capital before a dot: a word (``Ia``, ``Be.``)
    if match["stray"] and not (match["dot"] or match["number"]):
        return None
    digit = AS_DIGIT.get(match["digit"], match["digit"])
    letter = AS_LETTER.get(match["letter"], match["letter"])
    number = "".join(AS_DIGIT.get(c, c) for c in match["number"] or "")
    # A comma after the number ends an item of a list (``1H1, 2A3``): kept as read.
    dot = "." if match["dot"] else ""
    end = "." if match["end"] and (match["dot"] or match["end"] == ".") else match["end"]
    code = f"{digit}{letter}{dot}{number}{end}"
    return code if OCR_CODE.fullmatch(code.rstrip(",;")) and code != read else None
