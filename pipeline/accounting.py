"""Row accounting: every data row an extractor saw ends up somewhere a user can find it.

Per source, each extracted data row is

* **published** as (part of) a row of a dataset,
* **merged** into the row above it (a continuation line of a wrapped row),
* a **witness** (a second rendition compared with the table, never published on its own), or
* **rejected**, listed in ``build/reports/rejected_rows.csv`` with its reason and location.

If the four do not add up to what was seen, a row was lost silently: the build fails.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.errors import PipelineError
from pipeline.sources import Source

REJECTED_COLUMNS = ["source_id", "source_line", "source_page", "reason", "text"]
TABLE_FORMATS = ("crosswalk-table-text", "crosswalk-table-pdf")


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


def _location(frame: pd.DataFrame) -> pd.Series:
    """(line or page) of each row, as comparable strings."""
    line = frame.get("source_line", pd.Series(pd.NA, index=frame.index))
    page = frame.get("source_page", pd.Series(pd.NA, index=frame.index))
    return ("L" + line.astype("string")).fillna("P" + page.astype("string"))


def _merged(frame: pd.DataFrame) -> int:
    lines = frame.get("continuation_lines", pd.Series("", index=frame.index)).fillna("")
    return int(sum(len([n for n in str(v).split(";") if n]) for v in lines))


def _of(table: pd.DataFrame | None, source_id: str) -> pd.DataFrame:
    if table is None or table.empty:
        return pd.DataFrame(columns=["source_id", "source_line", "source_page"])
    return table[table["source_id"] == source_id]


def account_source(source: Source, frames: dict[str, pd.DataFrame],
                   tables: dict[str, pd.DataFrame]) -> tuple[Account, pd.DataFrame]:
    """The account of one source and the rows it rejected."""
    rejected = pd.DataFrame(columns=REJECTED_COLUMNS)
    if source.format in TABLE_FORMATS:
        forward, reverse = frames["forward"], frames["reverse"]
        crosswalk = _of(tables.get("crosswalk"), source.id)
        index_rows = set(_location(_of(tables.get("endorsement_index"), source.id)))
        lost = reverse[~_location(reverse).isin(index_rows)]
        rejected = pd.DataFrame({
            "source_id": source.id, "source_line": lost.get("source_line"),
            "source_page": lost.get("source_page"),
            "reason": "reverse-table area with no valid competency code (see quality_issues)",
            "text": lost["endorsement_domain"] + " | " + lost["area"] + " | " + lost["coe_codes"],
        }, columns=REJECTED_COLUMNS)
        account = Account(source.id, seen=len(forward) + len(reverse) + _merged(forward)
                          + _merged(reverse), published=len(crosswalk) + len(reverse) - len(lost),
                          merged=_merged(forward) + _merged(reverse), rejected=len(lost))
    elif source.format == "crosswalk-web-records":
        account = Account(source.id, seen=len(frames["records"]), published=0,
                          witness=len(frames["records"]))
    elif source.format == "ct-aimh-mentor-html":
        # A cell split into two areas is one row seen, two published.
        corrections = _of(tables.get("corrections"), source.id)
        splits = int((corrections.get("rule", pd.Series(dtype=str)) == "split_cell").sum())
        published = (len(_of(tables.get("mentor_competencies"), source.id))
                     + len(_of(tables.get("mentor_areas"), source.id)) - splits)
        account = Account(source.id, seen=len(frames["statements"]) + len(frames["areas"]),
                          published=published)
    elif source.format == "illinois-flyer-text":
        dropped = frames["dropped"]
        rejected = pd.DataFrame({
            "source_id": source.id, "source_line": dropped["source_line"], "source_page": None,
            "reason": "not a competency: " + dropped["reason"], "text": dropped["text"],
        }, columns=REJECTED_COLUMNS)
        account = Account(source.id, seen=len(frames["competencies"]) + len(dropped),
                          published=len(_of(tables.get("illinois_competencies"), source.id)),
                          rejected=len(dropped))
    else:
        raise PipelineError(f"no row accounting for format {source.format!r}")
    return account, rejected


def account_rows(sources: list[Source], extracted: dict[str, dict[str, pd.DataFrame]],
                 tables: dict[str, pd.DataFrame]) -> tuple[list[Account], pd.DataFrame]:
    """Accounts of every source and all rejected rows; fails if a row is unaccounted for."""
    accounts, rejected = [], []
    for source in sources:
        account, lost = account_source(source, extracted[source.id], tables)
        accounts.append(account)
        rejected.append(lost)
    unbalanced = [a for a in accounts if not a.balanced]
    if unbalanced:
        detail = "; ".join(str(a) for a in unbalanced)
        raise PipelineError(f"rows unaccounted for: {detail}", exit_code=1,
                            hint="a row was dropped without a trace: this is a bug, report it")
    frame = pd.concat(rejected, ignore_index=True) if rejected else pd.DataFrame(columns=REJECTED_COLUMNS)
    return accounts, frame.astype({"source_line": "Int64", "source_page": "Int64"})
