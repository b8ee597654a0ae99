"""The Endorsement knowledge/skill areas: one area per family of spellings, its canonical
name and ``area_id``, and the ``area_id`` of every row that names an area.

The crosswalk's two tables and the CT-AIMH guidelines spell one area many ways:
``Self Awareness``, ``Self-Awareness``, ``Self-awareness`` (forward table),
``self awareness`` (reverse table); ``Government, Law, & Regulation`` and ``government,
law & regulation``; ``Personal/Professional Development`` and
``professional/personal development``. Spellings are matched by a rule, never by a list
of today's spellings (:func:`spelling_keys`): case, ``&``/``and``, punctuation, spacing,
hyphenation (``Self-Awareness``/``Self awareness``/``Selfawareness``), singular/plural,
the small words a slash or hyphen stands for (``Development/Behavior`` = ``development and
behavior``, ``disorders-adults`` = ``disorders in adults``) and the order of the words
(``Personal/Professional`` = ``professional/personal``) do not count. Two spellings under
the same Endorsement domain name one area when they share a key.

Which areas there are is the crosswalk's word: every area of its reverse table, and every
area its forward table names that the reverse table does not (an ``area_not_in_reverse_table``
quality issue, never a silent new area). The canonical name is the reverse table's
spelling; for an area only the forward table names, its spelling on most rows, a tie
going to the one printed first. The CT-AIMH areas (``mentor_areas``, transformed after
the crosswalk) join these areas and make none: one that matches no area keeps a null
``area_id`` and is an ``unmatched_area`` quality issue.

A row whose spelling is not the canonical name is a merge of two spellings: it is logged
in ``corrections`` (rule ``area_spelling``, field ``area_id``, before = the spelling,
after = the canonical name). The published area cells keep their spelling as printed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import NamedTuple

import pandas as pd

from pipeline.metadata import (
    AREA_DATASETS,
    CROSSWALK,
    ENDORSEMENT_AREA_SPELLINGS,
    ENDORSEMENT_AREAS,
    ENDORSEMENT_INDEX,
    MENTOR_AREAS,
    area_id,
)
from pipeline.metadata.frames import typed_frame
from pipeline.transform.cells.audit import AuditLog, Edit, Provenance
from pipeline.transform.rows import column_values

#: Small words a slash, a hyphen or a comma stands for in an area's name.
CONNECTIVES = frozenset({"a", "an", "and", "in", "of", "the"})
#: Names at least this alike (difflib ratio of their words) are offered as the nearest
#: area in a quality issue's detail; they are never merged.
NEAREST = 0.6

REVERSE, FORWARD, MENTOR = AREA_DATASETS[0], AREA_DATASETS[1], AREA_DATASETS[2]


# --- matching spellings ------------------------------------------------------------------


def singular(word: str) -> str:
    """A word's singular by the regular English endings (a key, not a dictionary form).

    >>> [singular(w) for w in ("practices", "theories", "processes", "changes", "dynamics")]
    ['practice', 'theory', 'process', 'change', 'dynamic']
    >>> [singular(w) for w in ("loss", "analysis", "status", "as", "listening")]
    ['loss', 'analysis', 'status', 'as', 'listening']
    """
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def area_words(area: str) -> list[str]:
    """The words of an area's name that tell it apart: ASCII lower case, ``&`` read as
    ``and``, punctuation and connecting words dropped, each word singular.

    >>> area_words("Infant/Young child & Family-Centered Practices")
    ['infant', 'young', 'child', 'family', 'centered', 'practice']
    >>> area_words("mental & behavioral disorders-adults")
    ['mental', 'behavioral', 'disorder', 'adult']
    """
    text = unicodedata.normalize("NFKD", area).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", text.replace("&", " and "))
    return [singular(word) for word in words if word not in CONNECTIVES]


def spelling_keys(area: str) -> tuple[str, str]:
    """Two keys of a spelling; two spellings that share either name the same area.

    The first is the words run together, so a hyphen, a space or nothing between two
    parts of a word is the same; the second is the words in alphabetical order, so
    ``Personal/Professional`` and ``professional/personal`` are the same.

    >>> spelling_keys("Self-Awareness")[0] == spelling_keys("Selfawareness")[0]
    True
    >>> spelling_keys("Personal/Professional Development")[1] == \\
    ...     spelling_keys("professional/personal development")[1]
    True
    >>> len({spelling_keys(s) for s in ("Government, Law, & Regulation",
    ...     "Government, Law, and Regulation", "government, law & regulation")})
    1
    """
    words = area_words(area)
    return "".join(words), " ".join(sorted(words))


@dataclass(frozen=True)
class Spelling:
    """One spelling of an area in one dataset: how many rows use it and the first one."""

    dataset: str
    domain: str
    area: str
    rows: int
    #: key of the first row using it, as the audit log writes it, and its provenance
    first_key: str
    first: Provenance
    #: order of its first row within the dataset
    position: int

    @property
    def keys(self) -> list[tuple[str, str]]:
        """(domain, key) pairs: an area belongs to one Endorsement domain."""
        return [(self.domain, key) for key in spelling_keys(self.area)]


def spellings_of(frame: pd.DataFrame, dataset: str, domain: str, area: str,
                 row_key: Callable[[pd.Series], str]) -> list[Spelling]:
    """The distinct (domain, area) spellings of ``frame`` in the order first printed; rows
    without an area (a ``unique`` mapping row) name none."""
    named = frame[frame[area].notna()]
    found: dict[tuple[str, str], Spelling] = {}
    # Column by column; a whole row is made only for a spelling's first row (a row each
    # would cost more than the rest on a long document).
    rows = _Rows(named)
    for position, spelling_values in enumerate(zip(column_values(named[domain]),
                                                    column_values(named[area]))):
        spelling = (str(spelling_values[0]), str(spelling_values[1]))
        seen = found.get(spelling)
        if seen is None:
            row = rows[position]
            found[spelling] = Spelling(dataset, *spelling, 1, row_key(row),
                                       Provenance.of(row), position)
        else:
            found[spelling] = Spelling(dataset, *spelling, seen.rows + 1, seen.first_key,
                                       seen.first, seen.position)
    return list(found.values())


def group_spellings(spellings: Iterable[Spelling]) -> list[list[Spelling]]:
    """The spellings in families, two of them in one family when they share a key (and so
    on, transitively), each family in the order given, families by their first member."""
    spellings = list(spellings)
    parent = list(range(len(spellings)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[str, str], int] = {}
    for i, spelling in enumerate(spellings):
        for key in spelling.keys:
            if key in owner:
                a, b = sorted((root(owner[key]), root(i)))
                parent[b] = a
            else:
                owner[key] = i
    families: dict[int, list[Spelling]] = {}
    for i, spelling in enumerate(spellings):
        families.setdefault(root(i), []).append(spelling)
    return [families[i] for i in sorted(families)]


def canonical_spelling(family: list[Spelling]) -> Spelling:
    """The reverse table's spelling (on most of its rows), else the spelling on most rows,
    a tie going to the one printed first."""
    return min(family, key=lambda s: (AREA_DATASETS.index(s.dataset), -s.rows, s.position))


def nearest_name(area: str, names: Iterable[str]) -> str | None:
    """The name most alike ``area`` (by its words), if any is alike enough to suggest.

    >>> nearest_name("Reflective Supervision", ["reflective clinical supervision", "safety"])
    'reflective clinical supervision'
    >>> nearest_name("Cultural Humility", ["safety"]) is None
    True
    """
    words = " ".join(area_words(area))
    scored = [(SequenceMatcher(None, words, " ".join(area_words(name))).ratio(), name)
              for name in names]
    best = max(scored, default=(0.0, None), key=lambda pair: pair[0])
    return best[1] if best[0] >= NEAREST else None


# --- the crosswalk's areas ---------------------------------------------------------------


class AreaTables(NamedTuple):
    """The crosswalk's tables with their ``area_id``, and the two area tables."""

    crosswalk: pd.DataFrame
    endorsement_index: pd.DataFrame
    endorsement_areas: pd.DataFrame
    endorsement_area_spellings: pd.DataFrame


def _crosswalk_key(row: pd.Series) -> str:
    return f"{row['coe_code']}/{row['mapping_seq']}"


def _index_key(row: pd.Series) -> str:
    # As the reverse table's other corrections are keyed: one key per printed area.
    return f"{row['endorsement_domain']}/{row['endorsement_area']}"


def _mentor_key(row: pd.Series) -> str:
    return f"{row['area_of_expertise']}/{row['area_kind']}/{row['area']}"


def clean_endorsement_areas(crosswalk: pd.DataFrame, index: pd.DataFrame,
                            audit: AuditLog) -> AreaTables:
    """The areas the crosswalk names, and ``crosswalk`` and ``endorsement_index`` with the
    ``area_id`` of each row; merges logged, areas the reverse table lacks reported."""
    spellings = [*spellings_of(index, REVERSE, "endorsement_domain", "endorsement_area",
                               _index_key),
                 *spellings_of(crosswalk, FORWARD, "endorsement_domain", "endorsement_area",
                               _crosswalk_key)]
    families = group_spellings(spellings)
    reverse_names = [(s.domain, s.area) for s in spellings if s.dataset == REVERSE]
    areas, listed, canonical = [], [], {}
    for family in families:
        name = canonical_spelling(family)
        identifier = area_id(name.domain, name.area)
        in_reverse = name.dataset == REVERSE
        areas.append({"area_id": identifier, "endorsement_domain": name.domain,
                      "endorsement_area": name.area, "in_reverse_table": in_reverse,
                      **name.first.columns})
        for spelling in family:
            canonical[(spelling.dataset, spelling.domain, spelling.area)] = (identifier,
                                                                             name.area)
            listed.append(_spelling_row(identifier, spelling))
        if not in_reverse:
            audit.issue("area_not_in_reverse_table", ENDORSEMENT_AREAS.name, identifier,
                        _not_in_reverse_detail(family, name, reverse_names), name.first)
    return AreaTables(
        crosswalk=_with_area_ids(crosswalk, CROSSWALK.name, "endorsement_domain",
                                 "endorsement_area", _crosswalk_key, canonical, audit),
        endorsement_index=_with_area_ids(index, ENDORSEMENT_INDEX.name, "endorsement_domain",
                                         "endorsement_area", _index_key, canonical, audit),
        endorsement_areas=typed_frame(pd.DataFrame(areas, columns=ENDORSEMENT_AREAS.column_names),
                                      ENDORSEMENT_AREAS),
        endorsement_area_spellings=spellings_frame(listed),
    )


def _not_in_reverse_detail(family: list[Spelling], name: Spelling,
                           reverse_names: list[tuple[str, str]]) -> str:
    rows = sum(s.rows for s in family)
    spelled = ", ".join(repr(s.area) for s in family)
    keys = set(spelling_keys(name.area))
    elsewhere = sorted({domain for domain, area in reverse_names
                        if domain != name.domain and set(spelling_keys(area)) & keys})
    nearest = nearest_name(name.area, [a for d, a in reverse_names if d == name.domain])
    detail = (f"the forward table names {spelled} under {name.domain} ({rows} row(s), first "
              f"{name.first_key}) but the reverse table lists no such area there")
    if elsewhere:
        detail += f"; it lists the name under {', '.join(elsewhere)}"
    if nearest:
        detail += f"; nearest there: {nearest!r}"
    return detail + "; published as an area of its own (in_reverse_table false)"


def _with_area_ids(frame: pd.DataFrame, dataset: str, domain: str, area: str,
                   row_key: Callable[[pd.Series], str],
                   canonical: dict[tuple[str, str, str], tuple[str, str]],
                   audit: AuditLog) -> pd.DataFrame:
    """``frame`` with the ``area_id`` of each row that names an area; a spelling other
    than the canonical name is logged (rule ``area_spelling``)."""
    ids = []
    rows = _Rows(frame)
    for position, (row_domain, row_area) in enumerate(zip(column_values(frame[domain]),
                                                          column_values(frame[area]))):
        found = (None if pd.isna(row_area)
                 else canonical.get((dataset, str(row_domain), str(row_area))))
        ids.append(found[0] if found else None)
        if found and found[1] != row_area:
            row = rows[position]  # only a row to log makes its Series
            audit.correct(dataset, row_key(row), "area_id",
                          [Edit("area_spelling", str(row_area), found[1])], Provenance.of(row))
    return frame.assign(area_id=pd.array(ids, dtype="string"))


class _Rows:
    """Rows of ``frame`` by position, each made only when asked for (the frame's values
    are gathered once, at the first), as a :class:`_Row`: a Series per row would cost
    more than the rest of the areas' work."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self._columns: list[list] | None = None

    def __getitem__(self, position: int) -> _Row:
        if self._columns is None:
            # Column by column (``frame.values`` would convert every value of every text
            # column one call at a time); the row keys and provenance read the same text
            # and the same numbers either way.
            self._columns = [column_values(self.frame.iloc[:, k])
                             for k in range(len(self.frame.columns))]
        return _Row(dict(zip(self.frame.columns, (column[position] for column in self._columns))))


class _Row:
    """One row's values by column, read as ``row["name"]`` or ``row.name``: all a row key
    and :meth:`Provenance.of` read of a row (the values those of ``frame.iterrows()``)."""

    __slots__ = ("_cells",)

    def __init__(self, cells: dict) -> None:
        self._cells = cells

    def __getitem__(self, column: str):
        return self._cells[column]

    def __getattr__(self, column: str):
        try:
            return self._cells[column]
        except KeyError:
            raise AttributeError(column) from None


def _spelling_row(identifier: str, spelling: Spelling) -> dict:
    return {"area_id": identifier, "dataset": spelling.dataset,
            "endorsement_domain": spelling.domain, "endorsement_area": spelling.area,
            "rows": spelling.rows, **spelling.first.columns}


def spellings_frame(rows: list[dict]) -> pd.DataFrame:
    return typed_frame(pd.DataFrame(rows, columns=ENDORSEMENT_AREA_SPELLINGS.column_names),
                       ENDORSEMENT_AREA_SPELLINGS)


# --- the CT-AIMH areas -------------------------------------------------------------------


def link_mentor_areas(mentor_areas: pd.DataFrame, areas: pd.DataFrame | None,
                      spellings: pd.DataFrame | None,
                      audit: AuditLog) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(``mentor_areas`` with the ``area_id`` of each row, their spellings).

    A CT-AIMH area joins the crosswalk's area that any of its spellings matches under the
    same domain; one that matches none (or more than one) keeps a null ``area_id`` and is
    an ``unmatched_area`` quality issue. Without the crosswalk in the build there is no
    area to join: every ``area_id`` is null.
    """
    if areas is None or spellings is None or areas.empty:
        return mentor_areas.assign(area_id=pd.array([None] * len(mentor_areas),
                                                    dtype="string")), spellings_frame([])
    known: dict[tuple[str, str], set[str]] = {}
    names = dict(zip(areas["area_id"], areas["endorsement_area"]))
    for identifier, domain, area in zip(spellings["area_id"], spellings["endorsement_domain"],
                                        spellings["endorsement_area"]):
        for key in spelling_keys(area):
            known.setdefault((domain, key), set()).add(identifier)
    canonical: dict[tuple[str, str, str], tuple[str, str]] = {}
    listed = []
    for spelling in spellings_of(mentor_areas, MENTOR, "area_of_expertise", "area",
                                 _mentor_key):
        matches = set().union(*(known.get(key, set()) for key in spelling.keys))
        if len(matches) == 1:
            identifier = matches.pop()
            canonical[(MENTOR, spelling.domain, spelling.area)] = (identifier, names[identifier])
            listed.append(_spelling_row(identifier, spelling))
            continue
        audit.issue("unmatched_area", MENTOR_AREAS.name, spelling.first_key,
                    _unmatched_detail(spelling, sorted(matches), areas), spelling.first)
    linked = _with_area_ids(mentor_areas, MENTOR_AREAS.name, "area_of_expertise", "area",
                            _mentor_key, canonical, audit)
    return linked, spellings_frame(listed)


def _unmatched_detail(spelling: Spelling, matches: list[str], areas: pd.DataFrame) -> str:
    where = f"{spelling.area!r} under {spelling.domain}"
    if matches:
        return (f"{where} matches more than one Endorsement area ({', '.join(matches)}); "
                "area_id left null")
    same_domain = areas.loc[areas["endorsement_domain"] == spelling.domain, "endorsement_area"]
    nearest = nearest_name(spelling.area, same_domain)
    hint = f"; nearest: {nearest!r}" if nearest else ""
    return f"{where} matches no Endorsement area of the crosswalk{hint}; area_id left null"
