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
