"""`make bench`: how long a cold build takes against the floor of importing its libraries.

Prints, as a small table:
- the cold `crosswalk build` time (fresh output folder, so every stage runs);
- the time to import the libraries the build uses (the floor no build can beat);
- their ratio;
- the no-op `make build` time (nothing changed, so make should do no work).
Each timing is the median of a few runs, taken in subprocesses as a user would run them.
"""

from __future__ import annotations

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


def main() -> None:
    with tempfile.TemporaryDirectory() as out:
        build = timed([str(BIN / "crosswalk"), "build", "--out", out], runs=3)
    floor = timed([sys.executable, "-c", IMPORTS], runs=5)
    subprocess.run(["make", "build"], cwd=ROOT, check=True, capture_output=True)
    noop = timed(["make", "build"], runs=5)
    rows = [
        ("cold `crosswalk build`", f"{build:.2f} s"),
        ("import floor (libraries only)", f"{floor:.2f} s"),
        ("ratio build / floor", f"{build / floor:.1f}×"),
        ("no-op `make build`", f"{noop:.3f} s"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value:>10}")


if __name__ == "__main__":
    main()
