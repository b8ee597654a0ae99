"""Manual fixes kept as data: ``pipeline/data/<source>/spot_fixes.csv``.

Each fix names a row by its key, a column, the value it must currently have and the new
value, with the reason. Real-word slips (``understanding manor``) can only be fixed this
way, because no lexicon can tell them from correct text.

A fix that no longer applies — its row is gone, or the cell no longer holds
``old_value`` — is *stale*: the source changed (a corrected or re-exported document) and
the fix must be reviewed. It is never applied blindly and never skipped silently: it is
listed in ``quality_issues`` (kind ``stale_spot_fix``) and the build says so, but the
build goes on, because a source that no longer needs the fix is not a broken source. A
fix that would match several rows is an error: applying it could change the wrong one.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from pipeline.errors import PipelineError
from pipeline.transform.cells.audit import AuditLog, Edit, Provenance

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
        if fix["column"] not in frame.columns:
            raise PipelineError(f"spot fix names unknown column {fix['column']!r}", **where)
        matches = frame.index[row_keys == fix["row_key"]]
        if len(matches) > 1:
            raise PipelineError(
                f"spot fix matches {len(matches)} rows of {dataset} for key {fix['row_key']!r}",
                hint="make the row key unique or remove this fix", **where)
        current = frame.at[matches[0], fix["column"]] if len(matches) else None
        current = "" if current is None or pd.isna(current) else str(current)
        if fix["old_value"] not in current:
            _stale(fix, dataset, frame, matches, audit)
            continue
        index = matches[0]
        frame.at[index, fix["column"]] = current.replace(fix["old_value"], fix["new_value"], 1)
        audit.correct(
            dataset, fix["row_key"], fix["column"],
            [Edit("override", fix["old_value"], fix["new_value"])],
            Provenance.of(frame.loc[index]),
        )
    return frame


def _stale(fix: dict[str, str], dataset: str, frame: pd.DataFrame, matches, audit: AuditLog) -> None:
    what = "no row has this key" if not len(matches) else \
        f"{fix['column']} no longer contains {fix['old_value']!r}"
    if len(matches):
        where = Provenance.of(frame.loc[matches[0]])
    else:  # the row is gone: point at the first row of the same table and source
        where = Provenance.of(next(frame.itertuples(index=False)))
    audit.issue("stale_spot_fix", dataset, fix["row_key"],
                f"spot fix at {fix['file']}:{fix['line']} not applied: {what}; the source "
                "changed, review or remove the fix", where)
