"""The audit trail of normalization: edits made to cells and issues noticed.

Cell normalizers are ``str -> str`` functions that take an optional ``edits`` list and
append one :class:`Edit` per repair they make, so the corrections log can say exactly
which fragment changed and why. The table transforms turn those edits into rows of the
``corrections`` dataset with :class:`AuditLog`, which also collects ``quality_issues``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pipeline.errors import PipelineError
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

    @classmethod
    def of(cls, row) -> Provenance:
        """The provenance of a frame row (a namedtuple from ``itertuples``): a text
        source gives a line, a PDF source a page."""
        return cls(row.source_id, _optional_int(getattr(row, "source_line", None)),
                   _optional_int(getattr(row, "source_page", None)))

    @property
    def columns(self) -> dict:
        return {"source_id": self.source_id, "source_line": self.source_line,
                "source_page": self.source_page}

    def error(self, message: str, path: str, **hints) -> PipelineError:
        """A PipelineError that points at this line or page of ``path``."""
        return PipelineError(message, path=path, line=self.source_line, page=self.source_page,
                             **hints)


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


def _optional_int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)
