"""How a cell repair records what it changed: one :class:`Edit` per changed fragment.

Shared by the ``str -> str`` repairs (:mod:`pipeline.transform.cells.wraps`,
:mod:`~pipeline.transform.cells.word_joins`, :mod:`~pipeline.transform.cells.tidy`,
:mod:`~pipeline.transform.cells.spacing`), so every one logs the same way: nothing when the
caller passed no ``edits`` list or the fragment did not change.
"""

from __future__ import annotations

import re

from pipeline.transform.cells.audit import Edit


def log_edit(edits: list[Edit] | None, rule: str, before: str, after: str) -> None:
    """Append ``Edit(rule, before, after)`` to ``edits``, if given and something changed.

    >>> edits = []
    >>> log_edit(edits, "quotes", "one’s", "one's")
    >>> log_edit(edits, "quotes", "a", "a")
    >>> edits
    [Edit(rule='quotes', before='one’s', after="one's")]
    """
    if edits is not None and before != after:
        edits.append(Edit(rule, before, after))


def _around(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``start:end`` to whole neighbouring tokens, for a readable edit."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def sub_logged(pattern: re.Pattern[str], repl: str, text: str, edits, rule: str) -> str:
    """``pattern.sub(repl, text)``, logging each change with its neighbouring tokens."""

    def repair(match: re.Match[str]) -> str:
        if match.group() != repl and edits is not None:
            start, end = _around(text, match.start(), match.end())
            before = text[start:end]
            after = text[start : match.start()] + repl + text[match.end() : end]
            log_edit(edits, rule, before, after)
        return repl

    return pattern.sub(repair, text)
