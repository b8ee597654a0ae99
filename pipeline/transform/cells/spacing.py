"""Spaces the layout swallowed: ``collaborates(or helps``, ``(e.g.,instructional``.

A PDF-to-text export drops a space where a line ended right before or after punctuation.
Only the unambiguous cases are repaired: a comma glued to the next word, an opening
parenthesis glued to the word before it (but not a plural suffix such as ``parent(s)``),
and a closing parenthesis glued to the next word (but not ``(s)he``).
"""

from __future__ import annotations

import re

from pipeline.transform.cells.audit import Edit
from pipeline.transform.cells.edits import sub_logged
from pipeline.transform.cells.lexicon import Lexicon

_COMMA_GLUED = re.compile(r"(?<=[A-Za-z.]),(?=[A-Za-z])")
_OPEN_GLUED = re.compile(r"(?<=[a-z]{2})\((?=[a-z]{2,}\s|[a-z]\.[a-z]\.)")
_CLOSE_GLUED = re.compile(r"(?<!\([a-z])(?<!\([a-z]{2})(?<!\([a-z]{3})\)(?=[a-z]{2})")


def restore_missing_spaces(
    text: str, edits: list[Edit] | None = None, lexicon: Lexicon | None = None
) -> str:
    """Put back a space lost next to punctuation.

    >>> restore_missing_spaces("and collaborates(or helps program staff to collaborate)")
    'and collaborates (or helps program staff to collaborate)'
    >>> restore_missing_spaces("program resources (e.g.,instructional coaches")
    'program resources (e.g., instructional coaches'
    >>> restore_missing_spaces("life circumstances(e.g., poverty)")
    'life circumstances (e.g., poverty)'
    >>> restore_missing_spaces("to 1)observation and 2) listening")
    'to 1) observation and 2) listening'
    >>> restore_missing_spaces("the parent(s) and child(ren); (s)he said; 1,000 families")
    'the parent(s) and child(ren); (s)he said; 1,000 families'
    """
    # Each pattern is tried at every position: only a text holding its sign is searched.
    if "," in text:
        text = sub_logged(_COMMA_GLUED, ", ", text, edits, "whitespace")
    if "(" in text:
        text = sub_logged(_OPEN_GLUED, " (", text, edits, "whitespace")
    if ")" in text:
        text = sub_logged(_CLOSE_GLUED, ") ", text, edits, "whitespace")
    return text
