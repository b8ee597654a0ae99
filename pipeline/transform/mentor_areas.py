"""Knowledge/skill areas printed run together in one cell, split apart.

The CT-AIMH guidelines list their knowledge areas one per line; where the export lost a
line break, two areas share a cell (``pregnancy & early parenthood infant/very young
child development & behavior``). The crosswalk's reverse table names the same
Endorsement areas, so a cell is split where — and only where — both parts are areas the
reverse table knows and the whole is not.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import lru_cache

import pandas as pd

from pipeline.transform.cells.audit import AuditLog, Edit, Provenance
from pipeline.transform.cells.vocabulary import area_key

SIMILAR = 0.85  # area keys this alike name the same area (``infant/very young child …``)
#: Two areas run together are a line or two (the real ones under 100 characters); a
#: longer cell is not tried at every word, which would cost its length squared.
MAX_SPLIT_CHARS = 300


def _known(key: str, known: list[str]) -> bool:
    """Whether ``key`` is alike one of ``known``; difflib's cheap upper bounds of the
    ratio first, so a key of another length is passed over without the full comparison."""
    for matcher in _matchers(tuple(known)):
        # ``real_quick_ratio`` (its bound from the lengths alone) worked out here, as
        # difflib does, so most keys are passed over without a call.
        lengths = len(key) + len(matcher.b)
        if lengths and 2.0 * min(len(key), len(matcher.b)) / lengths < SIMILAR:
            continue
        matcher.set_seq1(key)
        if matcher.quick_ratio() >= SIMILAR and matcher.ratio() >= SIMILAR:
            return True
    return False


@lru_cache(maxsize=8)
def _matchers(known: tuple[str, ...]) -> list[SequenceMatcher]:
    """A matcher for each known key, which indexes its key once: every cell is compared
    with the same keys, split at every word (``set_seq1`` keeps that index)."""
    # Each distinct key once: whether a key is alike one of them is the same question.
    return [SequenceMatcher(None, "", other) for other in dict.fromkeys(known)]


def split_point(area: str, known: list[str]) -> int | None:
    """The word index where ``area`` splits into two known areas, if exactly one does.

    >>> known = ["pregnancy and early parenthood", "infant young child development and behavior"]
    >>> area = "pregnancy & early parenthood infant/very young child development & behavior"
    >>> split_point(area, known)
    4
    >>> split_point("pregnancy & early parenthood", known) is None
    True
    """
    if len(area) > MAX_SPLIT_CHARS or _known(area_key(area), known):
        return None
    words = area.split()
    points = [i for i in range(1, len(words))
              if _known(area_key(" ".join(words[:i])), known)
              and _known(area_key(" ".join(words[i:])), known)]
    return points[0] if len(points) == 1 else None


def split_run_together_areas(areas: pd.DataFrame, known_areas: Iterable[str], dataset: str,
                             audit: AuditLog) -> pd.DataFrame:
    """``areas`` with every cell that holds two known areas split into two rows."""
    known = sorted({area_key(a) for a in known_areas})
    rows = []
    for row in areas.to_dict("records"):
        point = split_point(row["area"], known) if known else None
        if point is None:
            rows.append(row)
            continue
        words = row["area"].split()
        parts = [" ".join(words[:point]), " ".join(words[point:])]
        audit.correct(dataset, f"{row['area_of_expertise']}/{row['area_kind']}/{row['area']}",
                      "area", [Edit("split_cell", row["area"], " | ".join(parts))],
                      Provenance.of(pd.Series(row)))
        rows += [{**row, "area": part} for part in parts]
    return pd.DataFrame(rows, columns=areas.columns).astype(areas.dtypes.to_dict())
