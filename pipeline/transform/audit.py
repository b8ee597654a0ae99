"""The audit trail of normalization: edits made to cells and issues noticed.

Cell normalizers are ``str -> str`` functions that take an optional ``edits`` list and
append one :class:`Edit` per repair they make, so the corrections log can say exactly
which fragment changed and why. The table transforms turn those edits into rows of the
``corrections`` dataset with :class:`AuditLog`, which also collects ``quality_issues``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pipeline.metadata import CORRECTIONS, QUALITY_ISSUES


@dataclass(frozen=True)
class Edit:
    """One repair: the fragment ``before`` became ``after`` by ``rule``."""

    rule: str
    before: str
    after: str


@dataclass(frozen=True)
class Provenance:
    source_id: str
    source_line: int | None = None
    source_page: int | None = None


@dataclass
class AuditLog:
    """Collects corrections and quality issues while tables are transformed."""

    corrections: list[dict] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)

    def correct(
        self,
        dataset: str,
        row_key: str,
        column: str,
        edits: list[Edit],
        where: Provenance,
    ) -> None:
        for edit in edits:
            if edit.before == edit.after:
                continue
            self.corrections.append(
                {
                    "dataset": dataset,
                    "row_key": row_key,
                    "field": column,
                    "before": edit.before,
                    "after": edit.after,
                    "rule": edit.rule,
                    "source_id": where.source_id,
                    "source_line": where.source_line,
                    "source_page": where.source_page,
                }
            )

    def issue(self, kind: str, dataset: str, row_key: str, detail: str, where: Provenance) -> None:
        self.issues.append(
            {
                "kind": kind,
                "dataset": dataset,
                "row_key": row_key,
                "detail": detail,
                "source_id": where.source_id,
                "source_line": where.source_line,
                "source_page": where.source_page,
            }
        )

    def corrections_frame(self) -> pd.DataFrame:
        return _frame(self.corrections, CORRECTIONS.column_names)

    def issues_frame(self) -> pd.DataFrame:
        return _frame(self.issues, QUALITY_ISSUES.column_names)


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("source_line", "source_page"):
        frame[column] = frame[column].astype("Int64")
    return frame.drop_duplicates(ignore_index=True)
