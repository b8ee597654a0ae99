"""The one table `make bench` prints: a row per measure, its ratios to the floors measured
in the same run, and ``FAILED: <error>`` in the row of a measure that could not be taken
(the bench goes on; its exit status says whether every row was measured)."""

from __future__ import annotations

from dataclasses import dataclass

COLUMNS = ("measure", "time", "pages/s", "peak", "cells equal", "ratios (same run)")


@dataclass(frozen=True)
class Row:
    """One measure: seconds (median of its runs), pages per second, peak memory (MiB) of
    the process that did the work, cell accuracy, and its ratios to floors as text; or
    the error that stopped it (``failed``)."""

    name: str
    seconds: float | None = None
    pages_per_s: float | None = None
    peak_mib: float | None = None
    accuracy: str = ""
    ratios: str = ""
    failed: str | None = None

    def cells(self) -> list[str]:
        if self.failed is not None:
            return [self.name, "", "", "", "", f"FAILED: {self.failed}"]
        return [self.name,
                "" if self.seconds is None else f"{self.seconds:.2f} s",
                "" if self.pages_per_s is None else f"{self.pages_per_s:,.1f}",
                "" if self.peak_mib is None else f"{self.peak_mib:,.0f} MiB",
                self.accuracy, self.ratios]


def ratio(value: float, floor: float) -> str:
    """``value / floor`` written for the table.

    >>> ratio(3.0, 2.0), ratio(150.0, 2.0), ratio(0.5, 2.0)
    ('1.50×', '75×', '0.25×')
    """
    times = value / floor
    return f"{times:.0f}×" if times >= 20 else f"{times:.2f}×"


def format_table(rows: list[Row], title: str = "") -> str:
    """The rows as a plain-text table, columns aligned (numbers to the right); a section
    heading is a row with only a name.

    (tests/bench/test_report.py shows it.)
    """
    lines = [[*COLUMNS]]
    for row in rows:
        cells = row.cells()
        heading = row.failed is None and not any(cells[1:])
        lines.append([cells[0]] + [""] * 5 if heading else ["  " + cells[0], *cells[1:]])
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    right = {1, 2, 3}
    out = [title] if title else []
    for line in lines:
        cells = [cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
                 for i, cell in enumerate(line)]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out)


def failed(rows: list[Row]) -> list[Row]:
    return [row for row in rows if row.failed is not None]


def said(error: Exception) -> str:
    """An error in one line, as a FAILED row shows it."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:200]
