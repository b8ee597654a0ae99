"""Replace the published files of a build all at once, or not at all.

Everything is first written into a scratch folder inside the output folder (same file
system, so ``os.replace`` is an atomic rename). Only then are the files moved over the
old ones, with Ctrl-C and SIGTERM held back for the few milliseconds the moves take, so
an interrupted or failed build leaves the previous datasets exactly as they were. The
scratch folder is removed whatever happens.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pipeline.metadata.files import DATASET_SUFFIXES

SCRATCH_PREFIX = ".build-tmp-"


@contextlib.contextmanager
def scratch_folder(out: Path) -> Iterator[Path]:
    """A fresh folder inside ``out`` that is deleted on exit, success or not."""
    out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=out))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP back (they are delivered on exit) around a short
    critical step."""
    signals = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    except (AttributeError, ValueError):  # not the main thread, or no pthreads
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextlib.contextmanager
def _swap_lock(out: Path) -> Iterator[None]:
    """One swap at a time in ``out``: two builds publishing into the same folder at once
    each replace the whole set, never half of it. The lock is taken on the folder itself
    (flock on its descriptor), so no lock file is left beside the data."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    descriptor = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def published_files(out: Path) -> set[str]:
    """Names of the dataset files the current ``datapackage.json`` describes."""
    package = out / "datapackage.json"
    if not package.is_file():
        return set()
    try:
        resources = json.loads(package.read_text(encoding="utf-8")).get("resources", [])
    except (OSError, ValueError):
        return set()
    stems = {Path(r["path"]).stem for r in resources if isinstance(r, dict) and "path" in r}
    return {f"{stem}{suffix}" for stem in stems for suffix in DATASET_SUFFIXES} | {"datapackage.json"}


def replace_published(staged: Path, out: Path) -> list[Path]:
    """Move every file of ``staged`` into ``out``; drop datasets the new build no longer has.

    ``datapackage.json`` moves last, so it never describes files that are not there yet.
    """
    new = sorted(p for p in staged.iterdir() if p.is_file())
    new.sort(key=lambda p: p.name == "datapackage.json")
    moved = []
    with interrupts_held(), _swap_lock(out):
        # Read under the lock: a build swapping in at the same time may change it.
        stale = published_files(out) - {p.name for p in new}
        for path in new:
            target = out / path.name
            os.replace(path, target)
            moved.append(target)
        for name in stale:
            (out / name).unlink(missing_ok=True)
    return moved
