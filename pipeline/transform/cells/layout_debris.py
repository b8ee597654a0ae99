"""Repairs for cells that the PDF layout polluted with text from elsewhere.

Two kinds of damage occur in narrow table cells:

* text of a neighbouring cell printed over the end of a category title
  (``…Caregivers, IECMH Consultants, and Systemstive Practice``: ``tive Practice`` is the
  tail of the title above, ``…the Nature of Reflective Practice``);
* a cell printed twice, once as wrapped (``Program Evaluation (MHM) Pro- gram Evalua- tion
  (MHM)``).

Both are detected from the document itself (the other titles, the repeated text), never
from a list of known bad cells.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from difflib import SequenceMatcher

from pipeline.transform.cells.audit import Edit

_MIN_DEBRIS = 8  # characters; shorter shared tails are ordinary words
_DANGLING = {"on", "of", "and", "or", "in", "the", "to", "for", "a", "an", "with"}
#: A category title is a line or two (the longest real one has 160 characters); a longer
#: cell is no title to compare, and comparing it with difflib would cost the product of
#: the lengths.
MAX_TITLE_CHARS = 500


def strip_title_debris(
    title: str,
    other_titles: Iterable[str],
    is_word: Callable[[str], bool],
    edits: list[Edit] | None = None,
) -> str:
    """Cut tails that belong to other titles off a damaged title.

    A title counts as damaged only if it shows a non-word (``Systemstive``,
    ``Behaviorr``) or a stray one-letter fragment (``g Child's``): two clean titles may
    share an ending (``…Young Children and Families``) without either being debris.

    >>> others = ["Understands the Importance of Self-Awareness and the Nature of "
    ...           "Reflective Practice",
    ...           "Works Collaboratively to Understand an Infant's and Young Child's Behavior",
    ...           "Promotes Secure and Supportive Relationships Between Infants and Young "
    ...           "Children and Adults that Respect the Cultures, Languages, and Abilities "
    ...           "of Each Family"]
    >>> known = lambda w: w.lower() not in {"systemstive", "behaviorr"}
    >>> strip_title_debris("Understands the Functioning of and Relationships Between "
    ...     "Families, Caregivers, IECMH Consultants, and Systemstive Practice", others, known)
    'Understands the Functioning of and Relationships Between Families, Caregivers, IECMH Consultants, and Systems'
    >>> strip_title_debris("Supports and Facilitates Plan Development and Implementation on "
    ...     "Child's Behaviorr", others, known)
    'Supports and Facilitates Plan Development and Implementation'
    >>> strip_title_debris("Fosters a Deepened Understanding of Mental Health Issues and "
    ...     "Related Interventions (Child's Behavior) s of Each Family", others, known)
    'Fosters a Deepened Understanding of Mental Health Issues and Related Interventions'
    >>> strip_title_debris("Bridges Services to Promote Cohesion for Infants, Young Children "
    ...     "and Families", ["Supports the Mental Health of Infants and Young Children and "
    ...     "Families"], known)
    'Bridges Services to Promote Cohesion for Infants, Young Children and Families'
    """
    others = [o for o in other_titles if o and o != title and len(o) <= MAX_TITLE_CHARS]
    if len(title) > MAX_TITLE_CHARS or not _looks_damaged(title, is_word):
        return title
    original = current = title
    while True:
        cut = _debris_start(current, others, is_word)
        if cut is None:
            break
        current = _trim_dangling(current[:cut])
    if current != original and edits is not None:
        edits.append(Edit("layout_debris", original[len(current):].strip() or original, ""))
    return current


def _looks_damaged(title: str, is_word: Callable[[str], bool]) -> bool:
    words = re.findall(r"[A-Za-z']+", title)
    stray = [w for w in words if len(w) == 1 and w not in {"a", "A", "I"}]
    return bool(stray) or any(not is_word(w.strip("'")) for w in words if len(w) > 1)


def _debris_start(title: str, others: list[str], is_word: Callable[[str], bool]) -> int | None:
    """Where the longest tail of ``title`` copied from the end of another title starts.

    The copy must sit where the layout visibly damaged the title: the word it cuts
    through is no word (``Systems|tive``, ``Behavior|r``), a stray letter stands next to
    it (``g Child's``, ``s of Each``), or it opens a bracket. A title may share a clean
    ending with another one without losing it.
    """
    best: int | None = None
    title_ends = _title_ends(title)
    for other in others:
        if not _may_share_tail(title, title_ends, other):
            continue  # no block can qualify: spare the quadratic matcher
        matcher = SequenceMatcher(None, title, other, autojunk=False)
        for a, b, size in matcher.get_matching_blocks():
            # The shared run must reach (almost) the end of both strings: debris is the
            # end of the other title, printed at the end of this one.
            if size < _MIN_DEBRIS or a == 0:
                continue
            title_rest = title[a + size:]
            other_rest = other[b + size:]
            if len(re.sub(r"[\W_]", "", title_rest)) > 1 or other_rest.strip(" .)"):
                continue
            if _damaged_at(title, a, a + size, is_word) and (best is None or a < best):
                best = a
    return best


def _title_ends(title: str) -> list[int]:
    """Where a shared run may end in ``title``: what follows has at most one letter or
    digit (the test on ``title_rest`` in :func:`_debris_start`)."""
    ends, alnum = [], 0
    for end in range(len(title), _MIN_DEBRIS - 1, -1):
        if end < len(title):
            alnum += len(re.sub(r"[\W_]", "", title[end]))
        if alnum > 1:
            break
        ends.append(end)
    return ends


def _may_share_tail(title: str, title_ends: list[int], other: str) -> bool:
    """Whether a run of :data:`_MIN_DEBRIS` characters ends at one of ``title_ends`` and
    where only `` .)`` follows in ``other``: the blocks :func:`_debris_start` keeps all
    do, so an ``other`` without one is skipped exactly, in linear time."""
    tails = set()
    for end in range(len(other), _MIN_DEBRIS - 1, -1):
        if end < len(other) and other[end] not in " .)":
            break
        tails.add(other[end - _MIN_DEBRIS:end])
    return any(title[end - _MIN_DEBRIS:end] in tails for end in title_ends)


def _damaged_at(title: str, start: int, end: int, is_word: Callable[[str], bool]) -> bool:
    before, block, after = title[:start], title[start:end], title[end:]
    straddling = re.search(r"[A-Za-z']*$", before).group(0) + re.match(r"[A-Za-z']*", block).group(0)
    if before and before[-1].isalpha() and block[0].isalpha() and not is_word(straddling):
        return True
    last = re.search(r"[A-Za-z']*$", title[:end]).group(0) + re.match(r"[A-Za-z']*", after).group(0)
    if after.strip(" .)") and not is_word(last):
        return True
    # a one-letter token of the title just before the copy or where it starts
    tokens_before = before.split()
    first_token = (straddling if before[-1:].isalpha() else block.split()[0]) if block.split() else ""
    near = [tokens_before[-1] if tokens_before and before[-1:].isspace() else "", first_token]
    if any(len(tok) == 1 and tok.isalpha() and tok not in "aAI" for tok in near):
        return True
    return before.rstrip().endswith("(")


def _trim_dangling(text: str) -> str:
    """Drop what a cut leaves hanging: open brackets, commas, one-letter fragments and
    function words (``…Implementation on``)."""
    while True:
        trimmed = text.rstrip(" ,;:(-")
        words = trimmed.split()
        if words and (words[-1].lower() in _DANGLING or (len(words[-1]) == 1 and words[-1] not in "aAI")):
            trimmed = " ".join(words[:-1])
        if trimmed == text:
            return text
        text = trimmed


def collapse_doubled(text: str, edits: list[Edit] | None = None) -> str:
    """A cell printed twice becomes one copy.

    >>> collapse_doubled("Program Evaluation (MHM) Program Evaluation (MHM)")
    'Program Evaluation (MHM)'
    >>> collapse_doubled("Supporting Others/Mentoring (MHS)")
    'Supporting Others/Mentoring (MHS)'
    """
    words = text.split()
    half = len(words) // 2
    if len(words) >= 2 and len(words) % 2 == 0 and words[:half] == words[half:]:
        single = " ".join(words[:half])
        if edits is not None:
            edits.append(Edit("layout_debris", text, single))
        return single
    return text
