"""`make bench`: one table of what the pipeline costs, every figure as a ratio of a floor
measured in the same run (the machine's load changes from run to run; ratios much less).

Sections, in order (each a function returning rows; a measure that fails is a row that
says ``FAILED: <error>`` and the bench goes on; the exit status is 0 only when every row
was measured):

- text: the cold ``crosswalk build`` (a fresh process) against the import floor — a fresh
  Python importing exactly pandas, pandera, pyarrow and click — medians of
  :data:`TEXT_RUNS` runs taken in turns: rebuilding a folder whose sources did not change
  (the last build's validated tables reused, pipeline/runtime/build_cache.py), the imports
  of a first build alone (every module one loaded, imported in a fresh Python that runs
  nothing: the least a first build can cost) and a first build into a fresh folder (every
  stage runs); then
  builds of an input 10 and 100 times the usual size (bench/large_input.py), each in a
  child process: time, peak memory, and the 100× time as a ratio of the 10× (linear cost:
  about 10×, less the start-up both pay);
- PDF (bench/bench_pdf.py): the engines on the 31-page crosswalk against the pypdfium2
  character floor, pdfplumber's character parsing and camelot run directly; the pdfium
  engine on a ~300-page crosswalk (time, pages per second, peak memory against 1 GiB);
- OCR (bench/bench_ocr.py, when present): its ``ocr_rows(details)`` gives its rows (and
  appends its detail lines), as the others do.

Then the detail lines: mismatching cells, notes, the machine's load while it ran.
"""

from __future__ import annotations

import compileall
import importlib
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.floors import (  # noqa: E402
    IMPORTS,
    crosswalk_command,
    import_floor_command,
    imports_command,
    recording_build_command,
)
from bench.measure import alternating, run_child  # noqa: E402
from bench.report import Row, failed, format_table, ratio, said  # noqa: E402

TEXT_RUNS = 5
#: Sizes of the large text inputs (times the real export's mapping rows).
FACTORS = (10, 100)


def text_rows(details: list[str]) -> list[Row]:
    rows = [Row("text export (raw/)")]
    compile_bytecode()
    with tempfile.TemporaryDirectory() as work:
        runs = iter(range(10 * TEXT_RUNS))
        rebuilt, listing = f"{work}/rebuilt", f"{work}/modules.txt"

        def first_build() -> list[str]:  # a fresh output folder each run: every stage runs
            return crosswalk_command("build", "--out", f"{work}/out-{next(runs)}")

        def rebuild() -> list[str]:  # the same folder: the last build's tables are reused
            return crosswalk_command("build", "--out", rebuilt)

        try:
            # The first build into ``rebuilt`` runs every stage: the modules it loads are
            # those any first build loads.
            run_child(recording_build_command(listing, "build", "--out", rebuilt)).check()
            medians = alternating({"floor": import_floor_command,
                                   "imports": lambda: imports_command(listing),
                                   "first": first_build, "rebuild": rebuild}, TEXT_RUNS)
        except Exception as error:
            return [*rows, Row("cold `crosswalk build` vs import floor", failed=said(error))]
    floor, cold = medians["floor"], medians["first"]
    imports, rebuilt_seconds = medians["imports"], medians["rebuild"]
    rows += [Row("import floor: " + IMPORTS.removeprefix("import "), floor),
             Row("cold `crosswalk build`, sources unchanged", rebuilt_seconds,
                 ratios=f"{ratio(rebuilt_seconds, floor)} import floor"),
             Row("imports of a first build (every module it loads; nothing run)", imports,
                 ratios=f"{ratio(imports, floor)} import floor"),
             Row("cold `crosswalk build`, first (every stage)", cold,
                 ratios=f"{ratio(cold, floor)} import floor, "
                        f"{cold - imports:.2f} s beyond its imports")]
    details.append("  text: \"sources unchanged\" rebuilds into the folder of an earlier build, "
                   "whose validated tables it publishes again (pipeline/runtime/build_cache.py); "
                   "\"first\" builds into an empty folder, so extract, normalize and validate "
                   "run too")
    details.append(f"  text: a first build loads {ratio(imports, floor)} the import floor's "
                   "worth of modules before it runs anything (the floor's four libraries and "
                   "what else it needs: the HTML parser, the workbook writer, its own code); "
                   f"within 1.5× the floor ({1.5 * floor:.2f} s), its four stages would have "
                   f"{1.5 * floor - imports:.2f} s")
    return rows + _large_text_rows(details, cold)


def compile_bytecode() -> None:
    """Compile the pipeline's modules to bytecode first, as installing a wheel does (an
    editable install does not, and PYTHONDONTWRITEBYTECODE may forbid writing it later):
    the libraries of the floor are compiled, so the build's own code is too."""
    for package in ("pipeline", "schemas"):
        if not compileall.compile_dir(ROOT / package, quiet=1):
            raise RuntimeError(f"{package}/ does not compile")


def _large_text_rows(details: list[str], cold: float) -> list[Row]:
    """Builds of inputs :data:`FACTORS` times the usual size, each in a child process."""
    from bench.large_input import make_raw

    rows, seconds = [], {}
    for factor in FACTORS:
        name = f"build of a {factor}× input"
        with tempfile.TemporaryDirectory() as work:
            try:
                raw = make_raw(ROOT / "raw", Path(work) / "raw", factor=factor)
                child = run_child(crosswalk_command("build", "--raw", str(raw),
                                                    "--out", str(Path(work) / "out"))).check()
            except Exception as error:
                rows.append(Row(name, failed=said(error)))
                continue
        seconds[factor] = child.seconds
        against = ""
        small, large = FACTORS
        if factor == large and small in seconds:
            growth = large // small
            against = (f"{ratio(child.seconds, seconds[small])} the {small}× time for "
                       f"{growth}× the rows (linear: ≤ {growth}×)")
            extra = (large - 1) / (small - 1)
            details.append(
                f"  text: beyond the cold build, the {large}× input costs "
                f"{ratio(child.seconds - cold, seconds[small] - cold)} what the {small}× "
                f"costs, for {extra:.0f}× the added rows")
        rows.append(Row(name, child.seconds, peak_mib=child.peak_mib, ratios=against))
    return rows


def pdf_rows(details: list[str]) -> list[Row]:
    from bench.bench_pdf import pdf_rows as rows

    return rows(details)


def ocr_rows(details: list[str]) -> list[Row]:
    """The OCR rows: bench/bench_ocr.py's ``ocr_rows(details)``, which gives its rows as
    the other sections do. Until it has one (it runs on its own: ``python
    bench/bench_ocr.py``) the section is left out with a note."""
    try:
        bench_ocr = importlib.import_module("bench.bench_ocr")
    except ModuleNotFoundError as error:
        if error.name != "bench.bench_ocr":
            raise
        bench_ocr = None
    rows = getattr(bench_ocr, "ocr_rows", None)
    if rows is None:
        details.append("  (OCR: no bench.bench_ocr.ocr_rows(details) yet; section left out — "
                       "`python bench/bench_ocr.py` runs on its own)")
        return []
    return rows(details)


#: The sections of the table, in order: a section that breaks down is a FAILED row.
SECTIONS = (("text", text_rows), ("PDF", pdf_rows), ("OCR", ocr_rows))


def main() -> int:
    details: list[str] = []
    rows: list[Row] = []
    for heading, section in SECTIONS:
        try:
            rows += section(details)
        except Exception as error:  # a section that breaks down is a row, not the end
            rows.append(Row(heading, failed=said(error)))
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    details.append(f"  load average at the end (1, 5, 15 min): {load} on {os.cpu_count()} CPUs")
    print(format_table(rows))
    print("\n".join(details))
    return 1 if failed(rows) else 0


if __name__ == "__main__":
    sys.exit(main())
