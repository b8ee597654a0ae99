"""`make bench`: the PDF engines side by side on a 30-page crosswalk.

Renders the whole crosswalk (8 domains, 195 mapping rows, the reverse table) from the
published clean rows into a temporary folder, ruled and unruled, with
tools/make_fixture_pdfs.py; extracts each PDF with every engine (pdfplumber, camelot,
pdfium); then normalizes with the shared transform and compares every published cell with
what was rendered. Prints one table: pages per second of the extraction (median of the
runs in this process; the pdfium engine's pool of processes is started anew each run)
and cell accuracy, per engine; then every cell that differs.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tools/ is no package; run from anywhere

from pipeline.extract.crosswalk_pdf import extract_crosswalk_pdf  # noqa: E402
from pipeline.extract.pdf_settings import PdfSettings  # noqa: E402
from tools.make_fixture_pdfs import expected_tables, load_content, render  # noqa: E402
from tools.pdf_accuracy import compare, normalized_tables  # noqa: E402

ENGINES = ("pdfplumber", "camelot", "pdfium")
RUNS = 3


def measure(pdf: Path, pages: int, expected: dict, engine: str) -> tuple[float, object]:
    settings = PdfSettings(engine=engine)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        extract_crosswalk_pdf(pdf, "bench", settings)
        times.append(time.perf_counter() - start)
    return pages / statistics.median(times), compare(expected, normalized_tables(pdf, settings))


def main() -> None:
    content = load_content((1, 2, 3, 4, 5, 6, 7, 8))
    expected = json.loads(json.dumps(expected_tables(content)))  # as the fixtures store it
    rows, mismatches = [], []
    with tempfile.TemporaryDirectory() as folder:
        for ruled in (True, False):
            kind = "ruled" if ruled else "unruled"
            pdf = Path(folder) / f"crosswalk-{kind}.pdf"
            pages = render(content, pdf, ruled)
            results = {engine: measure(pdf, pages, expected, engine) for engine in ENGINES}
            rows.append((f"{kind} ({pages} pages): pages/s",
                         [f"{speed:.1f}" for speed, _ in results.values()]))
            rows.append((f"{kind}: cell accuracy",
                         [f"{score.accuracy:.2%} ({score.matched:,}/{score.total:,})"
                          for _, score in results.values()]))
            mismatches += [(kind, engine, m) for engine, (_, score) in results.items()
                           for m in score.mismatches]
    first = max(len(name) for name, _ in rows)
    width = max(len(cell) for _, cells in rows for cell in cells)
    print(f"{'PDF engines':<{first}}  " + "  ".join(f"{e:>{width}}" for e in ENGINES))
    for name, cells in rows:
        print(f"{name:<{first}}  " + "  ".join(f"{c:>{width}}" for c in cells))
    for kind, engine, (table, key, column, want, got) in mismatches:
        print(f"  {kind} {engine}: {table} {key} {column}: {want[:60]!r} → {got[:60]!r}")


if __name__ == "__main__":
    main()
