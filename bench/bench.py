"""`make bench`: how long a cold build takes against the floor of importing its libraries.

Prints, as a small table:
- the cold `crosswalk build` time (fresh output folder, so every stage runs);
- the time to import the libraries the build uses (the floor no build can beat);
- their ratio;
- the no-op `make build` time (nothing changed, so make should do no work);
- the time and peak memory of a build of an input 100 times the usual size.
Each timing is the median of a few runs, taken in subprocesses as a user would run them.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
IMPORTS = "import pandas, pandera.pandas, pyarrow.parquet, click, wordfreq, frictionless"


def timed(command: list[str], runs: int, cwd: Path = ROOT) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def large_build() -> tuple[float, float]:
    """(seconds, peak MiB) of one build of a 100× input, in a child process."""
    sys.path.insert(0, str(ROOT))
    from bench.large_input import make_raw

    with tempfile.TemporaryDirectory() as work:
        raw = make_raw(ROOT / "raw", Path(work) / "raw", factor=100)
        start = time.perf_counter()
        subprocess.run([str(BIN / "crosswalk"), "build", "--raw", str(raw), "--out",
                        str(Path(work) / "out")], check=True, capture_output=True)
        seconds = time.perf_counter() - start
    # ru_maxrss of the largest child so far (KiB on Linux): the builds are the only children
    # that load the data, so this is the large build's peak.
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as out:
        build = timed([str(BIN / "crosswalk"), "build", "--out", out], runs=3)
    floor = timed([sys.executable, "-c", IMPORTS], runs=5)
    subprocess.run(["make", "build"], cwd=ROOT, check=True, capture_output=True)
    noop = timed(["make", "build"], runs=5)
    large_seconds, large_peak = large_build()
    rows = [
        ("cold `crosswalk build`", f"{build:.2f} s"),
        ("import floor (libraries only)", f"{floor:.2f} s"),
        ("ratio build / floor", f"{build / floor:.1f}×"),
        ("no-op `make build`", f"{noop:.3f} s"),
        ("build of a 100× input (19,203 rows)", f"{large_seconds:.1f} s"),
        ("peak memory of that build", f"{large_peak:.0f} MiB"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value:>10}")


if __name__ == "__main__":
    main()
