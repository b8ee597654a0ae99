"""A crosswalk PDF about ``factor`` times the size of the bench's 31 pages, still a valid
crosswalk: each category's competencies come ``factor`` times, the copies numbered on
after the originals (``1A.1``–``1A.3``, then ``1A.4``–``1A.6`` …), each with its mapping
rows. The same pages repeated would repeat competency codes, which the reader rightly
refuses; renumbered copies make a document the whole reader (assembly included) reads.

Used by `make bench` (time, pages per second and peak memory of the pdfium engine on ~300
pages: cost should grow with the pages, not faster).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tools/ is no package

from tools.make_fixture_pdfs import Content, render  # noqa: E402

_NUMBER = re.compile(r"^(?P<category>\d[A-Z])\.(?P<n>\d+)$")


def renumbered(content: Content, factor: int) -> Content:
    """``content`` with every category's competencies and mapping rows ``factor`` times,
    copy ``k`` of competency ``n`` of a category of ``m`` numbered ``k·m + n``
    (tests/bench/test_bench.py)."""
    return Content(domains=content.domains, categories=content.categories,
                   competencies=_copies(content.competencies, factor, "category_code"),
                   crosswalk=_copies(content.crosswalk, factor, "coe_category_code"),
                   index=content.index)


def _copies(frame: pd.DataFrame, factor: int, category: str) -> pd.DataFrame:
    parts = []
    for _, rows in frame.groupby(category, sort=False):
        numbers = rows["coe_code"].str.extract(_NUMBER)["n"].astype(int)
        count = numbers.max()
        for copy in range(factor):
            renamed = rows.copy()
            renamed["coe_code"] = (rows["coe_code"].str.extract(_NUMBER)["category"] + "."
                                   + (numbers + copy * count).astype(str))
            parts.append(renamed)
    return pd.concat(parts, ignore_index=True)


def render_large(content: Content, path: Path, factor: int = 10, ruled: bool = True) -> int:
    """Render the renumbered ``content`` to ``path``; its number of pages."""
    return render(renumbered(content, factor), path, ruled)
