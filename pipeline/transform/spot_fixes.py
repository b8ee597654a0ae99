"""Manual fixes kept as data: ``pipeline/data/<source>/spot_fixes.csv``.

Each fix names a row by its key, a column, the value it must currently have and the new
value, with the reason. A fix that matches no row, or a row whose value is no longer
``old_value``, fails the build: the source changed and the fix must be reviewed, not
silently skipped. Real-word slips (``understanding manor``) can only be fixed this way,
because no lexicon can tell them from correct text.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from pipeline.errors import PipelineError
from pipeline.transform.audit import AuditLog, Edit, Provenance

COLUMNS = ("dataset", "row_key", "column", "old_value", "new_value", "reason")


def load_spot_fixes(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise PipelineError(f"spot-fix file must have the columns {', '.join(COLUMNS)}",
                                path=str(path), line=1)
        fixes = []
        for line, row in enumerate(reader, start=2):
            if not all(row[c] for c in ("dataset", "row_key", "column", "old_value", "reason")):
                raise PipelineError("spot fix lacks a dataset, row_key, column, old_value or "
                                    "reason", path=str(path), line=line)
            fixes.append({**row, "line": str(line), "file": str(path)})
        return fixes


def apply_spot_fixes(
    frame: pd.DataFrame,
    dataset: str,
    row_keys: pd.Series,
    fixes: list[dict[str, str]],
    audit: AuditLog,
) -> pd.DataFrame:
    """Apply the fixes of ``dataset``; ``row_keys`` gives each row's key string.

    A fix whose ``old_value`` is a fragment of the cell replaces that fragment (so a long
    text cell need not be copied whole into the fixes file).
    """
    frame = frame.copy()
    for fix in (f for f in fixes if f["dataset"] == dataset):
        where = dict(path=fix["file"], line=int(fix["line"]))
        matches = frame.index[row_keys == fix["row_key"]]
        if len(matches) != 1:
            raise PipelineError(
                f"spot fix matches {len(matches)} rows of {dataset} for key {fix['row_key']!r}",
                hint="the source changed: review or remove this fix", **where)
        if fix["column"] not in frame.columns:
            raise PipelineError(f"spot fix names unknown column {fix['column']!r}", **where)
        index = matches[0]
        current = frame.at[index, fix["column"]]
        current = "" if pd.isna(current) else str(current)
        if fix["old_value"] not in current:
            raise PipelineError(
                f"spot fix is stale: {dataset} {fix['row_key']} {fix['column']} no longer "
                f"contains {fix['old_value']!r}",
                hint="the source changed: review or remove this fix", **where)
        frame.at[index, fix["column"]] = current.replace(fix["old_value"], fix["new_value"], 1)
        audit.correct(
            dataset, fix["row_key"], fix["column"],
            [Edit("override", fix["old_value"], fix["new_value"])],
            Provenance(str(frame.at[index, "source_id"]), _int(frame.at[index, "source_line"]),
                       _int(frame.at[index, "source_page"]) if "source_page" in frame else None),
        )
    return frame


def _int(value) -> int | None:
    return None if pd.isna(value) else int(value)
