"""Pair the rows two builds do not match by key, by what they say.

A revised framework renumbers: a competency inserted as 3B.2 shifts the old 3B.2–3B.4 to
3B.3–3B.5, one removed shifts its followers down, one moved to another category takes a
code there. Matched by key alone, every shifted row reads as a rewrite of its neighbour.
So the diff (:mod:`pipeline.versions.diff`) sets aside the rows whose key and content
both match, and hands the rest to :func:`pair_by_content`, which pairs an old row with the
new row that says the same thing, whatever its key.

How alike two rows are (:func:`row_similarity`) is a weighted mean over their content
columns: a prose column counts as many times as it has words, and scores the Dice
coefficient of its word multisets weighted by inverse document frequency (so "the" and
"and", shared by every competency, say little; "ethnicity" says much); any other column
counts once and scores 1 when equal. A competency moved to another category keeps a
score near 1 (only its category differs); two different competencies of one category
score about 0.25 on the 2023 crosswalk, 0.5 at most.

Pairs are taken greedily, best score first (a pair keeping its key earns a small bonus,
so that of two equally good partners the one with the same key wins). Two candidates
with the same best score are not guessed: they are returned as :class:`Ambiguity` and
stay unpaired. Rows may be grouped (the mapping rows of one competency): only rows of
the same group pair, and within a group the columns all its rows share (the competency
text repeated on each mapping row) are left out of the score, so the mapping itself
decides.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

#: A row keeping its key (after renumbered parents are followed) pairs at this score or
#: above; below, the row was replaced, not reworded: one removed, one added. Within a
#: group (the mapping rows of one competency, already paired) a row keeping its key
#: always pairs: the same slot of the same competency, remapped.
SAME_KEY_MIN = 0.4
#: A row changing its key pairs at this score or above (two different competencies of
#: one category score 0.5 at most on the 2023 crosswalk, most below 0.3).
RENUMBERED_MIN = 0.55
#: Added to the score of a pair that keeps its key: ties go to the key.
KEY_BONUS = 0.1
#: Scores closer than this are equal.
EPSILON = 1e-9
#: Above this many candidate pairs in one group, only rows keeping their key pair (the
#: comparison is quadratic; two builds of one framework are far below it).
MAX_PAIRS = 4_000_000

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Ambiguity:
    """Rows with more than one partner of the same best score: listed, not paired."""

    old: tuple[int, ...]
    new: tuple[int, ...]
    similarity: float


@dataclass
class Pairing:
    #: (old index, new index, similarity), best first
    pairs: list[tuple[int, int, float]] = field(default_factory=list)
    ambiguous: list[Ambiguity] = field(default_factory=list)
    #: groups too large to compare row by row (only same-key pairs were made there)
    skipped_groups: int = 0


@dataclass(frozen=True)
class Rows:
    """One side of the comparison: rows, their keys (old keys with renumbered parents
    followed) and their groups (None: one group)."""

    rows: Sequence[dict]
    keys: Sequence[Hashable]
    groups: Sequence[Hashable] | None = None

    def group_of(self, index: int) -> Hashable:
        return None if self.groups is None else self.groups[index]


def pair_by_content(old: Rows, new: Rows, columns: Sequence[str],
                    prose: frozenset[str] | set[str],
                    corpus: Sequence[dict] | None = None) -> Pairing:
    """Pair rows of ``old`` with rows of ``new`` by content (see the module docstring).

    ``columns`` are the content columns compared (not the key, not the provenance);
    ``prose`` those of them compared word by word; ``corpus`` the rows whose words set
    how telling a word is (every row of the dataset in both builds; default: the rows
    compared).

    >>> old = Rows([{"t": "observes the infant closely"}, {"t": "supports staff wellness"}],
    ...            keys=["3B.2", "3B.3"])
    >>> new = Rows([{"t": "a new competency on equity"}, {"t": "observes the infant closely"},
    ...             {"t": "supports the wellness of staff"}], keys=["3B.2", "3B.3", "3B.4"])
    >>> [(o, n) for o, n, _ in pair_by_content(old, new, ["t"], {"t"}).pairs]
    [(0, 1), (1, 2)]
    """
    idf = _idf(corpus if corpus is not None else [*old.rows, *new.rows], prose)
    by_group: dict[Hashable, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i in range(len(old.rows)):
        by_group[old.group_of(i)][0].append(i)
    for j in range(len(new.rows)):
        by_group[new.group_of(j)][1].append(j)
    result = Pairing()
    for group, (olds, news) in by_group.items():
        if not olds or not news:
            continue
        compared = columns
        if group is not None:
            compared = _varying_columns(columns, [old.rows[i] for i in olds],
                                        [new.rows[j] for j in news])
        scored = _candidates(old, new, olds, news, compared, prose, idf, result,
                             same_key_min=SAME_KEY_MIN if group is None else 0.0)
        _take_greedily(scored, result)
    result.pairs.sort(key=lambda pair: (-pair[2], pair[0], pair[1]))
    return result


def row_similarity(a: dict, b: dict, columns: Sequence[str], prose: frozenset[str] | set[str],
                   idf: dict[str, dict[str, float]] | None = None,
                   one_sided: bool = True) -> float:
    """How alike two rows are, from 0 to 1 (1: equal in every compared column).

    ``one_sided=False`` leaves out the columns empty in one row only (what the two rows
    both say is compared; 1.0 when they share nothing to compare).

    >>> row_similarity({"t": "Reflects on practice", "p": "Essential"},
    ...                {"t": "Reflects on own practice", "p": "Essential"}, ["t", "p"], {"t"})
    0.698326
    >>> row_similarity({"t": None, "p": None}, {"t": None, "p": None}, ["t", "p"], {"t"})
    1.0
    >>> row_similarity({"t": "Reflects", "p": "A"}, {"t": None, "p": "A"}, ["t", "p"], {"t"},
    ...                one_sided=False)
    1.0
    """
    idf = idf if idf is not None else _idf([a, b], prose)
    total = weight = 0.0
    for column in columns:
        x, y = a.get(column), b.get(column)
        if (x is None and y is None) or (not one_sided and (x is None or y is None)):
            continue
        if column in prose and isinstance(x, str) and isinstance(y, str):
            wx, wy = _words(x), _words(y)
            w = max(1.0, (sum(wx.values()) + sum(wy.values())) / 2)
            total += w * _weighted_dice(wx, wy, idf.get(column, {}))
            weight += w
        else:
            total += 1.0 if x == y and type(x) is type(y) else 0.0
            weight += 1.0
    return round(total / weight, 6) if weight else 1.0


# --- helpers -----------------------------------------------------------------------------


def _candidates(old: Rows, new: Rows, olds: list[int], news: list[int],
                columns: Sequence[str], prose, idf, result: Pairing, same_key_min: float
                ) -> list[tuple[float, int, int, float]]:
    """Eligible pairs of one group as (score, old, new, similarity)."""
    scored = []
    compare_all = len(olds) * len(news) <= MAX_PAIRS
    if not compare_all:
        result.skipped_groups += 1
    new_by_key: dict[Hashable, list[int]] = defaultdict(list)
    for j in news:
        new_by_key[new.keys[j]].append(j)
    for i in olds:
        partners = news if compare_all else new_by_key.get(old.keys[i], [])
        for j in partners:
            same_key = old.keys[i] == new.keys[j]
            # A row keeping its key is refused only for what both rows say: a cell emptied
            # (text withheld by a profile, a footnote dropped) is a change, not a sign
            # that another row took the slot.
            similarity = row_similarity(old.rows[i], new.rows[j], columns, prose, idf,
                                        one_sided=not same_key)
            if similarity >= (same_key_min if same_key else RENUMBERED_MIN):
                scored.append((similarity + (KEY_BONUS if same_key else 0.0), i, j,
                               similarity))
    scored.sort(key=lambda c: (-c[0], c[1], c[2]))
    return scored


def _take_greedily(scored: list[tuple[float, int, int, float]], result: Pairing) -> None:
    """Best score first; a row with two free partners of the same score is ambiguous."""
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    start = 0
    while start < len(scored):
        end = start
        while end < len(scored) and scored[start][0] - scored[end][0] <= EPSILON:
            end += 1
        tier = [c for c in scored[start:end] if c[1] not in taken_old and c[2] not in taken_new]
        olds = Counter(c[1] for c in tier)
        news = Counter(c[2] for c in tier)
        clashing = [c for c in tier if olds[c[1]] > 1 or news[c[2]] > 1]
        for score, i, j, similarity in tier:
            if olds[i] == 1 and news[j] == 1:
                result.pairs.append((i, j, similarity))
                taken_old.add(i)
                taken_new.add(j)
        for component in _components(clashing):
            result.ambiguous.append(Ambiguity(
                tuple(sorted({c[1] for c in component})),
                tuple(sorted({c[2] for c in component})), component[0][3]))
            taken_old.update(c[1] for c in component)
            taken_new.update(c[2] for c in component)
        start = end


def _components(pairs: list[tuple[float, int, int, float]]) -> list[list]:
    """Clashing pairs joined into groups that share an old or a new row."""
    groups: list[list] = []
    for pair in pairs:
        linked = [g for g in groups if any(p[1] == pair[1] or p[2] == pair[2] for p in g)]
        merged = [pair] + [p for g in linked for p in g]
        groups = [g for g in groups if g not in linked] + [merged]
    return [sorted(g, key=lambda p: (p[1], p[2])) for g in groups]


def _varying_columns(columns: Sequence[str], olds: list[dict], news: list[dict]) -> list[str]:
    """The columns that tell rows of a group apart: those not shared by all its old rows
    and by all its new rows (the parent's text repeated on each of its mapping rows).
    A group of one row on each side keeps every column."""
    if len(olds) < 2 and len(news) < 2:
        return list(columns)
    varying = [c for c in columns
               if len({repr(r.get(c)) for r in olds}) > 1
               or len({repr(r.get(c)) for r in news}) > 1]
    return varying or list(columns)


def _words(text: str) -> Counter:
    return Counter(word.lower() for word in _WORD.findall(text))


def _idf(rows: Sequence[dict], prose) -> dict[str, dict[str, float]]:
    """Inverse document frequency of each word, per prose column, over ``rows``."""
    idf: dict[str, dict[str, float]] = {}
    for column in prose:
        documents = [set(_words(v)) for r in rows if isinstance(v := r.get(column), str)]
        frequency = Counter(word for words in documents for word in words)
        n = len(documents)
        idf[column] = {w: math.log((n + 1) / (count + 0.5)) for w, count in frequency.items()}
    return idf


def _weighted_dice(a: Counter, b: Counter, idf: dict[str, float]) -> float:
    if not a and not b:
        return 1.0
    default = max(idf.values(), default=1.0)

    def mass(words: Counter) -> float:
        return sum(count * idf.get(w, default) for w, count in words.items())

    shared = sum(min(a[w], b[w]) * idf.get(w, default) for w in a.keys() & b.keys())
    total = mass(a) + mass(b)
    return 2 * shared / total if total else 1.0
