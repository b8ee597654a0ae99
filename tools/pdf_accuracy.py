"""How well a crosswalk PDF comes back: extract it, normalize it with the shared transform,
and compare cell by cell with the clean content it was rendered from.

Used by the PDF tests (tests/extract/test_crosswalk_pdf.py) and by `make bench`
(bench/bench_pdf.py). The comparison covers every published column of the five
crosswalk tables except provenance: codes, mapping_seq, alignment, priority, the
Endorsement fields and all text after the shared normalization.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.extract.crosswalk_pdf import extract_crosswalk_pdf, raw_frames
from pipeline.extract.crosswalk_table import TableExtract
from pipeline.extract.pdf_settings import PdfSettings
from pipeline.transform.cells.lexicon import Lexicon
from pipeline.transform.crosswalk_table import transform_crosswalk_table

#: Row keys of each compared table (as in the contract).
KEYS = {
    "coe_domains": ("domain_number",),
    "coe_categories": ("category_code",),
    "coe_competencies": ("coe_code",),
    "crosswalk": ("coe_code", "mapping_seq"),
    "endorsement_index": ("endorsement_domain", "endorsement_area", "coe_code"),
}


@dataclass
class Score:
    """Cells compared and matched; every mismatch with its table, row key and column."""

    matched: int = 0
    total: int = 0
    mismatches: list[tuple[str, str, str, str, str]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.matched / self.total if self.total else 1.0


def normalized_tables(pdf: Path, settings: PdfSettings,
                      lexicon: Lexicon | None = None) -> dict[str, pd.DataFrame]:
    """The published tables of a crosswalk PDF (no spot fixes: they name rows of the
    real document, and a fixture holds only some of them)."""
    return tables_of(extract_crosswalk_pdf(pdf, "fixture", settings), pdf, lexicon)


def tables_of(extract: TableExtract, pdf: Path, lexicon: Lexicon | None = None,
              source_id: str = "fixture") -> dict[str, pd.DataFrame]:
    """The published tables of an extraction of ``pdf`` already made (a timed one) under
    ``source_id``, its OCR frame included, normalized without spot fixes."""
    with tempfile.TemporaryDirectory() as folder:
        return transform_crosswalk_table(raw_frames(extract, source_id), lexicon,
                                         path=str(pdf), spot_fixes=no_spot_fixes(Path(folder)))


def no_spot_fixes(folder: Path) -> Path:
    """An empty spot-fixes file in ``folder``: the project's fixes name rows of the real
    document, which a rendered fixture holds only in part."""
    path = folder / "spot_fixes.csv"
    path.write_text("dataset,row_key,column,old_value,new_value,reason\n", encoding="utf-8")
    return path


def _text(value) -> str:
    """A cell as the clean CSVs write it: null → empty, booleans lower case."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def compare(expected: dict[str, list[dict]], actual: dict[str, pd.DataFrame]) -> Score:
    """Cell accuracy of ``actual`` against ``expected`` (rows as the clean CSVs hold them).
    A missing row counts all its cells as wrong; so does an extra row."""
    score = Score()
    for table, rows in expected.items():
        keys = KEYS[table]
        columns = [c for c in rows[0] if c not in keys] if rows else []
        got = {}
        for row in actual[table].to_dict(orient="records"):
            got[tuple(_text(row[k]) for k in keys)] = row
        for row in rows:
            key = tuple(row[k] for k in keys)
            found = got.pop(key, None)
            for column in columns:
                score.total += 1
                value = None if found is None else _text(found[column])
                if value == row[column]:
                    score.matched += 1
                else:
                    score.mismatches.append((table, "/".join(key), column, row[column],
                                             "<row missing>" if found is None else value))
        for key in got:  # rows that should not be there
            score.total += len(columns)
            score.mismatches.append((table, "/".join(key), "*", "<no such row>", "<extra row>"))
    return score
