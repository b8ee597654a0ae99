"""Word-level inline diff of two text cells, as ``git diff --word-diff`` shows it.

A changed text cell of the crosswalk is usually one sentence of a long paragraph with a
word or a full stop different; printing both paragraphs whole hides the change. Here the
texts are cut into words, punctuation and runs of whitespace (so a lost full stop or a
lost space is a change of its own, not a change of the whole word next to it), compared
with :mod:`difflib`, and shown with a few words of context:

>>> inline("the reflective capacities of families adn staff, and others",
...        "the reflective capacities of families and staff, and others", context=1)
'… families [-adn-]{+and+} staff, …'

:func:`segments` gives the same as plain data, for formatters that mark changes their
own way (colour on a terminal, ``~~…~~``/``**…**`` in Markdown).
"""

from __future__ import annotations

import difflib
import re

#: Words (with inner apostrophes and hyphens), single punctuation marks, whitespace runs.
_TOKEN = re.compile(r"\w+(?:['’-]\w+)*|\s+|[^\w\s]")
ELLIPSIS = "…"

#: (op, text): op is "=" (same in both), "-" (only in the old text) or "+" (only in the new).
Segment = tuple[str, str]


def tokens(text: str) -> list[str]:
    """The text cut into words, punctuation marks and whitespace runs (nothing lost).

    >>> tokens("well-being, 1)observation")
    ['well-being', ',', ' ', '1', ')', 'observation']
    """
    return _TOKEN.findall(text)


def segments(old: str, new: str, *, context: int | None = 3) -> list[Segment]:
    """The changes from ``old`` to ``new`` as segments, unchanged stretches cut down to
    ``context`` words on each side of a change (``…`` marks a cut; ``None``: no cuts).

    >>> segments("manages complex group dynamics", "manages complex group dynamics.")
    [('=', '… complex group dynamics'), ('+', '.')]
    >>> segments("1) observation", "1)observation", context=None)
    [('=', '1)'), ('-', ' '), ('=', 'observation')]
    """
    a, b = tokens(old), tokens(new)
    # autojunk off: in a long paragraph "the" and "," are frequent, not junk.
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    result: list[Segment] = []
    codes = matcher.get_opcodes()
    for index, (op, i1, i2, j1, j2) in enumerate(codes):
        if op == "equal":
            text = _trim("".join(a[i1:i2]), context, first=index == 0,
                         last=index == len(codes) - 1)
            if text:
                result.append(("=", text))
            continue
        if i2 > i1:
            result.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            result.append(("+", "".join(b[j1:j2])))
    return result


def inline(old: str, new: str, *, context: int | None = 3) -> str:
    """``old`` → ``new`` in one line: ``[-removed-]{+added+}`` with context around.

    >>> inline("Attends to and manages complex group dynamics",
    ...        "Attends to and manages complex group dynamics.")
    '… complex group dynamics{+.+}'
    >>> inline("Promotes reflective supervision", "Promotes reflective consultation")
    'Promotes reflective [-supervision-]{+consultation+}'
    """
    return render(segments(old, new, context=context))


def render(parts: list[Segment]) -> str:
    """Segments in the ``[-…-]{+…+}`` notation of ``git diff --word-diff=plain``."""
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return "".join(marks[op].format(text) for op, text in parts)


def _trim(text: str, context: int | None, *, first: bool, last: bool) -> str:
    """An unchanged stretch cut to ``context`` words next to the changes it touches."""
    if context is None or (first and last):
        return text
    words = list(re.finditer(r"\S+", text))
    if first:  # only its end touches a change
        keep = words[-context:] if context else []
        if len(keep) == len(words):
            return text
        start = keep[0].start() if keep else len(text)
        return f"{ELLIPSIS} {text[start:].lstrip()}" if keep else f"{ELLIPSIS} "
    if last:  # only its start touches a change
        keep = words[:context] if context else []
        if len(keep) == len(words):
            return text
        end = keep[-1].end() if keep else 0
        return f"{text[:end].rstrip()} {ELLIPSIS}" if keep else f" {ELLIPSIS}"
    if len(words) <= 2 * context:  # between two changes: keep both ends
        return text
    head = text[: words[context - 1].end()] if context else ""
    tail = text[words[-context].start():] if context else ""
    return f"{head} {ELLIPSIS} {tail}"
