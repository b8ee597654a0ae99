"""The PDF part of `make bench`: the engines side by side on a 31-page crosswalk, against
floors measured in the same run, and the pdfium engine on a ~300-page one.

Renders the whole crosswalk (8 domains, 195 mapping rows, the reverse table) from the
published clean rows into a temporary folder, ruled and unruled, with
tools/make_fixture_pdfs.py. For each rendering:

- the floors (bench/floors.py): pypdfium2's characters with their boxes, pdfplumber's
  characters, camelot run directly (lattice on the ruled, stream on the unruled);
- each engine (pdfium, pdfplumber, camelot): pages per second of the extraction (median
  of its runs, the first of which also pays for imports; the pdfium engine's pool of
  processes is started anew each run) and cell accuracy (the first run's frames
  normalized by the shared transform and compared with what was rendered), with its
  speed as a ratio of each floor's.

Each floor and each engine runs in a fresh Python of its own
(:func:`~bench.measure.median_in_child`): no measure pays for what an earlier one left
in the process.

Then a crosswalk ~10 times as long (bench/large_pdf.py: every category's competencies
repeated, renumbered, so that it is still a valid crosswalk), read whole by the pdfium
engine in a child process: time, pages per second and the child's peak memory, against
1 GiB.

Run alone (``python bench/bench_pdf.py``) it prints its own part of the table.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tools/ is no package; run from anywhere

from bench.measure import median_in_child, run_child  # noqa: E402
from bench.report import Row, failed, format_table, ratio, said  # noqa: E402

ENGINES = ("pdfium", "pdfplumber", "camelot")
#: Runs per measure: camelot takes some 30 s a run on the ruled document (it renders each
#: page at 300 dpi and looks for lines in the image), so it runs fewer times.
RUNS = {"pdfium": 9, "pdfplumber": 3, "camelot": 2, "pdfium_chars": 9, "pdfplumber_chars": 3,
        "camelot_direct": 1}
#: Copies of each category's competencies in the long document: ~300 pages.
LARGE_FACTOR = 13
GIB = 1024.0  # MiB


def pdf_rows(details: list[str]) -> list[Row]:
    """The table's PDF rows; mismatching cells and notes appended to ``details``."""
    from tools.make_fixture_pdfs import expected_tables, load_content, render

    content = load_content((1, 2, 3, 4, 5, 6, 7, 8))
    expected = json.loads(json.dumps(expected_tables(content)))  # as the fixtures store it
    rows: list[Row] = []
    speeds: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for ruled in (True, False):
            kind = "ruled" if ruled else "unruled"
            pdf = Path(folder) / f"crosswalk-{kind}.pdf"
            pages = render(content, pdf, ruled)
            rows.append(Row(f"{pages}-page crosswalk, {kind}"))
            engines: dict[str, float] = {}
            rows += _document_rows(pdf, pages, ruled, expected, details, engines)
            speeds.update({f"{engine} {kind}": speed for engine, speed in engines.items()})
        rows += _large_rows(content, Path(folder), details, speeds.get("pdfium ruled"))
    return rows


def _document_rows(pdf: Path, pages: int, ruled: bool, expected: dict,
                   details: list[str], engines: dict[str, float]) -> list[Row]:
    """The floors' and engines' rows of one rendering; each engine's pages per second
    put in ``engines``."""
    flavor = "lattice" if ruled else "stream"
    floor_work = {
        "pdfium characters (floor)": ("pdfium_chars", [str(pdf)]),
        "pdfplumber characters (floor)": ("pdfplumber_chars", [str(pdf)]),
        f"camelot {flavor} direct (floor)": ("camelot_direct", [str(pdf), flavor]),
    }
    rows, speeds = [], {}
    for name, (key, arguments) in floor_work.items():
        try:
            seconds, _ = median_in_child(f"bench.floors.{key}", arguments, RUNS[key])
        except Exception as error:  # a floor that fails is a row that says so
            rows.append(Row(name, failed=said(error)))
            continue
        speeds[name] = pages / seconds
        rows.append(Row(name, seconds, pages / seconds))
    for engine in ENGINES:
        name = f"{engine} engine"
        try:
            seconds, score = _engine(pdf, engine, expected)
        except Exception as error:
            rows.append(Row(name, failed=said(error)))
            continue
        speed = engines[engine] = pages / seconds
        against = [f"{ratio(speed, floor)} {floor_name.split(' (')[0]}"
                   for floor_name, floor in speeds.items()]
        rows.append(Row(name, seconds, speed,
                        accuracy=f"{score.accuracy:.2%} ({score.matched:,}/{score.total:,})",
                        ratios=", ".join(against)))
        details += [f"  {'ruled' if ruled else 'unruled'} {engine}: {table} {key} {column}: "
                    f"{want[:60]!r} → {got[:60]!r}"
                    for table, key, column, want, got in score.mismatches]
    if "pdfium" in engines:  # the default engine against the others, engine to engine
        others = [f"{ratio(engines['pdfium'], engines[e])} {e} engine"
                  for e in ENGINES if e != "pdfium" and e in engines]
        rows.append(Row("pdfium engine vs the others", ratios=", ".join(others)))
    return rows


def _engine(pdf: Path, engine: str, expected: dict):
    """(median seconds of the extraction, cell score of the first run's frames), the runs
    in a process of their own."""
    from tools.pdf_accuracy import compare, tables_of

    seconds, extract = median_in_child("bench.bench_pdf.extract_with", [str(pdf), engine],
                                       RUNS[engine])
    return seconds, compare(expected, tables_of(extract, pdf, source_id="bench"))


def extract_with(pdf: str, engine: str):
    """The crosswalk's frames read from ``pdf`` by ``engine``: one run of a measure."""
    from pipeline.extract.crosswalk_pdf import extract_crosswalk_pdf
    from pipeline.extract.pdf_settings import PdfSettings

    return extract_crosswalk_pdf(Path(pdf), "bench", PdfSettings(engine=engine))


#: The child that reads the long document: prints its extraction's seconds and rows.
_READ_LARGE = """
import sys, time
from pathlib import Path
from pipeline.extract.crosswalk_pdf import extract_crosswalk_pdf
from pipeline.extract.pdf_settings import PdfSettings
start = time.perf_counter()
result = extract_crosswalk_pdf(Path(sys.argv[1]), "bench", PdfSettings(engine=sys.argv[2]))
print(time.perf_counter() - start, len(result.forward))
"""


def _large_rows(content, folder: Path, details: list[str],
                short_speed: float | None) -> list[Row]:
    """The long document read by the pdfium engine; ``short_speed`` is the engine's pages
    per second on the 31 ruled pages (linear cost: the same pages per second)."""
    from bench.large_pdf import render_large

    pdf = folder / "crosswalk-large.pdf"
    try:
        pages = render_large(content, pdf, LARGE_FACTOR, ruled=True)
    except Exception as error:
        return [Row("long crosswalk", failed=f"rendering: {said(error)}")]
    heading = Row(f"{pages}-page crosswalk, ruled ({LARGE_FACTOR}× the competencies)")
    try:
        child = run_child([sys.executable, "-c", _READ_LARGE, str(pdf), "pdfium"]).check()
        seconds, mapping_rows = child.stdout.split()
    except Exception as error:
        return [heading, Row("pdfium engine, whole document", failed=said(error))]
    seconds = float(seconds)
    details.append(f"  {pages}-page crosswalk: {int(mapping_rows):,} mapping rows read; the child "
                   f"process took {child.seconds:.1f} s in all (start and imports included)")
    against = [f"peak {child.peak_mib / GIB:.2f}× of 1 GiB"]
    if short_speed:
        against.append(f"{ratio(pages / seconds, short_speed)} the 31-page pages/s")
    return [heading, Row("pdfium engine, whole document", seconds, pages / seconds,
                         child.peak_mib, ratios=", ".join(against))]


def main() -> int:
    details: list[str] = []
    rows = pdf_rows(details)
    print(format_table(rows))
    print("\n".join(details))
    return 1 if failed(rows) else 0


if __name__ == "__main__":
    sys.exit(main())
