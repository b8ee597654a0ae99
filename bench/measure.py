"""How the bench times things: a command in a child process of its own, with its wall
time and peak memory; a function as the median of its runs, in a child process too.

The peak of a child is ``ru_maxrss`` from ``wait4`` on that child alone: the largest
resident set of it and of the processes it waited for (a pool's workers), not their sum.
``getrusage(RUSAGE_CHILDREN)`` would give the largest of every child so far, so a small
build measured after a large one would report the large one's peak. And Linux counts in a
process's peak the high-water mark of the process it was forked from, as it stood at
``exec``: a child of this process, grown large by the PDF measures, would report this
process's size. So each command is started and measured by a small launcher (a fresh
Python of a few MiB, :data:`_LAUNCHER`), which reports the command's time and peak.
"""

from __future__ import annotations

import json
import pickle
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Child:
    """A finished child process: wall seconds, peak resident memory (MiB), exit status,
    what it printed."""

    seconds: float
    peak_mib: float
    returncode: int
    stdout: str
    stderr: str

    def check(self) -> Child:
        """This child, or the error it ended with (its last line of stderr)."""
        if self.returncode != 0:
            last = (self.stderr.strip().splitlines() or [f"exit status {self.returncode}"])[-1]
            raise RuntimeError(last)
        return self


#: Runs ``argv[2:]``, then writes its wall seconds and ``ru_maxrss`` (KiB) to ``argv[1]``
#: and exits with its status.
_LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
process = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(process.pid, 0)
seconds = time.perf_counter() - start
with open(sys.argv[1], "w") as report:
    report.write(f"{seconds} {usage.ru_maxrss}")
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def run_child(command: Sequence[str], cwd: Path = ROOT) -> Child:
    """Run ``command`` as a child of its own and measure it (output to files: a full pipe
    would block the child)."""
    with tempfile.TemporaryDirectory() as folder:
        report, out, err = (Path(folder) / name for name in ("report", "out", "err"))
        with out.open("wb") as stdout, err.open("wb") as stderr:
            returncode = subprocess.run([sys.executable, "-c", _LAUNCHER, str(report),
                                         *command], cwd=cwd, stdout=stdout,
                                        stderr=stderr).returncode
        seconds, peak = report.read_text().split()
        return Child(float(seconds), int(peak) / 1024, returncode,
                     out.read_text("utf-8", "replace"), err.read_text("utf-8", "replace"))


def alternating(commands: dict[str, Callable[[], Sequence[str]]], runs: int) -> dict[str, float]:
    """The median wall time of each command over ``runs`` runs, the commands taking turns
    (so that a change in the machine's load falls on all of them alike); each command is
    made anew for each run (a fresh output folder)."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(run_child(command()).check().seconds)
    return {name: statistics.median(values) for name, values in times.items()}


#: Calls ``argv[2]`` (``module.function``) with the JSON arguments ``argv[3]``, ``argv[4]``
#: times, and pickles (the seconds of each call, what the first returned) to ``argv[5]``.
_RUNS_IN_CHILD = """
import importlib, json, pickle, sys, time
sys.path.insert(0, sys.argv[1])
module, name = sys.argv[2].rsplit(".", 1)
work = getattr(importlib.import_module(module), name)
arguments = json.loads(sys.argv[3])
times, first = [], None
for index in range(int(sys.argv[4])):
    start = time.perf_counter()
    result = work(*arguments)
    times.append(time.perf_counter() - start)
    if index == 0:
        first = result
with open(sys.argv[5], "wb") as out:
    pickle.dump((times, first), out)
"""


def median_in_child(function: str, arguments: Sequence[object], runs: int
                    ) -> tuple[float, object]:
    """The median time of ``runs`` calls of ``function`` (``"module.name"``, called with
    the JSON-able ``arguments``) and what the first returned (the first call also pays for
    imports and warm caches: the median does not see it unless most runs are as slow).
    The runs are in a fresh Python of their own: what an earlier measure left in this
    process weighs on none. (It did: after camelot had rendered the pages, this
    process was 350 MiB, and forking the pdfium engine's pool from it cost a fifth of the
    engine's speed on 31 pages.)"""
    with tempfile.TemporaryDirectory() as folder:
        result = Path(folder) / "result.pickle"
        run_child([sys.executable, "-c", _RUNS_IN_CHILD, str(ROOT), function,
                   json.dumps(list(arguments)), str(runs), str(result)]).check()
        times, first = pickle.loads(result.read_bytes())
    return statistics.median(times), first
