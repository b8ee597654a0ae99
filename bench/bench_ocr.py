"""`make bench`: the crosswalk read back from a scan, by OCR — seconds per page and cell
accuracy.

Renders the whole crosswalk (31 pages, ruled) from the published clean rows
(tools/make_fixture_pdfs.py), scans it as an office scanner would (tools/make_scanned_pdf.py:
200 dpi, up to 0.6° of skew, blur, noise, JPEG quality 60, no text layer), then builds its
tables with the pdfium engine and OCR, and compares every published cell with what was
rendered (tools/pdf_accuracy.py). The OCR cache is a fresh temporary folder, so every page
is read by Tesseract: the first timing is a cold run; a second, from the cache, follows.

    python bench/bench_ocr.py [--unruled] [--dpi 200] [--seed 1] [--show 40]

`make bench` (bench/bench.py) takes its section from :func:`ocr_rows`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tools/ is no package; run from anywhere

from pipeline.extract.crosswalk_pdf import extract_crosswalk_pdf  # noqa: E402
from pipeline.extract.ocr import tesseract_version  # noqa: E402
from pipeline.extract.pdf_settings import PdfSettings  # noqa: E402
from tools.make_fixture_pdfs import expected_tables, load_content, render  # noqa: E402
from tools.make_scanned_pdf import ScanDamage, scan  # noqa: E402
from tools.pdf_accuracy import compare, tables_of  # noqa: E402


def build_tables(pdf: Path) -> tuple[float, dict]:
    """Seconds to extract (OCR included) and the published tables of a scanned PDF."""
    start = time.perf_counter()
    result = extract_crosswalk_pdf(pdf, "bench", PdfSettings())
    seconds = time.perf_counter() - start
    return seconds, tables_of(result, pdf, source_id="bench")


class Measured:
    """One scan measured: pages, cold and cached seconds, the score and the tables."""

    def __init__(self, pages: int, cold: float, warm: float, score, tables: dict) -> None:
        self.pages, self.cold, self.warm, self.score, self.tables = pages, cold, warm, score, tables

    @property
    def rows_off(self) -> tuple[int, int]:
        """Cells of missing rows, and extra rows."""
        mismatches = self.score.mismatches
        return (sum(1 for m in mismatches if m[4] == "<row missing>"),
                sum(1 for m in mismatches if m[4] == "<extra row>"))


def measure(unruled: bool = False, dpi: int = 200, seed: int = 1) -> Measured:
    """Render, scan, build twice (cold, then from the cache) and score the crosswalk."""
    if tesseract_version() is None:
        raise RuntimeError("Tesseract is not installed; run `make system-packages`")
    content = load_content((1, 2, 3, 4, 5, 6, 7, 8))
    expected = json.loads(json.dumps(expected_tables(content)))  # as the fixtures store it
    before = os.environ.get("CROSSWALK_OCR_CACHE")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        os.environ["CROSSWALK_OCR_CACHE"] = str(folder / "cache")  # cold: an empty cache
        try:
            clean = folder / "crosswalk.pdf"
            pages = render(content, clean, not unruled)
            scanned = folder / "crosswalk-scanned.pdf"
            scan(clean, scanned, ScanDamage(dpi=dpi, seed=seed))
            cold, tables = build_tables(scanned)
            warm, _ = build_tables(scanned)
        finally:
            if before is None:
                os.environ.pop("CROSSWALK_OCR_CACHE", None)
            else:
                os.environ["CROSSWALK_OCR_CACHE"] = before
    return Measured(pages, cold, warm, compare(expected, tables), tables)


def ocr_rows(details: list[str]) -> list:
    """The OCR section of `make bench` (bench/bench.py): the 31-page ruled crosswalk
    scanned at 200 dpi, cold and from the cache, with its cell accuracy."""
    from bench.report import Row, said

    name = "OCR: 31-page ruled crosswalk scanned at 200 dpi"
    try:
        result = measure()
    except Exception as error:
        return [Row(name, failed=said(error))]
    score = result.score
    missing, extra = result.rows_off
    accuracy = f"{score.accuracy:.2%} ({score.matched:,}/{score.total:,})"
    details.append(f"  OCR: cells of missing rows {missing}, extra rows {extra}; "
                   f"{os.cpu_count()} CPUs, Tesseract {tesseract_version()}")
    details += [f"  OCR: {t} {k} {c}: {w[:50]!r} → {g[:50]!r}"
                for t, k, c, w, g in score.mismatches[:20]]
    return [Row(f"{name} (cold)", result.cold, result.pages / result.cold, accuracy=accuracy,
                ratios=f"{result.cold / result.pages:.2f} s/page (goal ≤ 3)"),
            Row(f"{name} (from the cache)", result.warm, result.pages / result.warm,
                ratios=f"{result.warm / result.pages:.2f} s/page")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--unruled", action="store_true", help="a table drawn without lines")
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=40, help="mismatches to print")
    args = parser.parse_args()
    try:
        result = measure(args.unruled, args.dpi, args.seed)
    except RuntimeError as error:
        sys.exit(f"bench_ocr: {error}")
    score, pages = result.score, result.pages
    missing, extra = result.rows_off
    corrections, issues = result.tables["corrections"], result.tables["quality_issues"]
    kind = "unruled" if args.unruled else "ruled"
    print(f"OCR of a {pages}-page {kind} crosswalk scanned at {args.dpi} dpi "
          f"(Tesseract {tesseract_version()}, {os.cpu_count()} CPUs)")
    print(f"  cold: {result.cold:.1f} s, {result.cold / pages:.2f} s/page; from the cache: "
          f"{result.warm / pages:.2f} s/page")
    print(f"  cell accuracy: {score.accuracy:.2%} ({score.matched:,}/{score.total:,}); "
          f"cells of missing rows {missing}, extra rows {extra}")
    print(f"  OCR repairs logged: {(corrections['rule'] == 'ocr').sum()}; quality issues: "
          f"{issues['kind'].value_counts().to_dict()}")
    for table, key, column, want, got in score.mismatches[:args.show]:
        print(f"    {table} {key} {column}: {want[:60]!r} → {got[:60]!r}")


if __name__ == "__main__":
    main()
