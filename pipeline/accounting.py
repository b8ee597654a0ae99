"""Row accounting: every data row an extractor saw ends up somewhere a user can find it.

Per source, each extracted data row is

* **published** as (part of) a row of a dataset,
* **merged** into the row above it (a continuation line of a wrapped row),
* a **witness** (a second rendition compared with the table, never published on its own), or
* **rejected**, listed in ``build/reports/rejected_rows.csv`` with its reason and location.

If the four do not add up to what was seen, a row was lost silently: the build fails.
Each format's transform module knows where its rows went and says so in its
``account`` function (see :mod:`pipeline.formats`); this module adds them up.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.errors import PipelineError
from pipeline.formats import FORMATS
from pipeline.sources import Source

REJECTED_COLUMNS = ["source_id", "source_line", "source_page", "reason", "text"]


@dataclass(frozen=True)
class Account:
    source_id: str
    seen: int
    published: int
    merged: int = 0
    witness: int = 0
    rejected: int = 0

    @property
    def balanced(self) -> bool:
        return self.seen == self.published + self.merged + self.witness + self.rejected

    def __str__(self) -> str:
        parts = [f"{self.published} published", f"{self.merged} merged",
                 f"{self.witness} compared as witness", f"{self.rejected} rejected"]
        return f"rows: {self.source_id}: {self.seen} seen = " + " + ".join(parts)


def location(frame: pd.DataFrame) -> pd.Series:
    """(line or page) of each row, as comparable strings."""
    line = frame.get("source_line", pd.Series(pd.NA, index=frame.index))
    page = frame.get("source_page", pd.Series(pd.NA, index=frame.index))
    return ("L" + line.astype("string")).fillna("P" + page.astype("string"))


def merged_lines(frame: pd.DataFrame) -> int:
    """How many continuation lines were merged into the rows of ``frame``."""
    lines = frame.get("continuation_lines", pd.Series("", index=frame.index)).fillna("")
    return int(sum(len([n for n in str(v).split(";") if n]) for v in lines))


def rows_of(table: pd.DataFrame | None, source_id: str) -> pd.DataFrame:
    """The rows of a published table that came from one source."""
    if table is None or table.empty:
        return pd.DataFrame(columns=["source_id", "source_line", "source_page"])
    return table[table["source_id"] == source_id]


def account_rows(sources: list[Source], extracted: dict[str, dict[str, pd.DataFrame]],
                 tables: dict[str, pd.DataFrame]) -> tuple[list[Account], pd.DataFrame]:
    """Accounts of every source and all rejected rows; fails if a row is unaccounted for."""
    accounts, rejected = [], []
    for source in sources:
        account, lost = FORMATS[source.format].account(source, extracted[source.id], tables)
        accounts.append(account)
        rejected.append(lost)
    unbalanced = [a for a in accounts if not a.balanced]
    if unbalanced:
        detail = "; ".join(str(a) for a in unbalanced)
        raise PipelineError(f"rows unaccounted for: {detail}", exit_code=1,
                            hint="a row was dropped without a trace: this is a bug, report it")
    frame = (pd.concat(rejected, ignore_index=True) if rejected
             else pd.DataFrame(columns=REJECTED_COLUMNS))
    return accounts, frame.astype({"source_line": "Int64", "source_page": "Int64"})


def no_rejected_rows() -> pd.DataFrame:
    """The rejected rows of a source that rejects none."""
    return pd.DataFrame(columns=REJECTED_COLUMNS)


def rejected_rows(source: Source, rows: pd.DataFrame, reason: str | pd.Series,
                  text: pd.Series) -> pd.DataFrame:
    """Rows of ``source`` that no dataset publishes, in the shape of rejected_rows.csv."""
    return pd.DataFrame({
        "source_id": source.id, "source_line": rows.get("source_line"),
        "source_page": rows.get("source_page"), "reason": reason, "text": text,
    }, columns=REJECTED_COLUMNS)
