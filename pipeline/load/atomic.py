"""Replace the published files of a build all at once, or not at all.

Everything is first written into a scratch folder inside the output folder (same file
system, so ``os.replace`` is an atomic rename). Only then are the files moved over the
old ones, with Ctrl-C and SIGTERM held back for the few milliseconds the moves take, so
an interrupted or failed build leaves the previous datasets exactly as they were. The
scratch folder is removed whatever happens.

A published file may sit in a subfolder of the build (``site/index.html``): the swap moves
every file of the scratch folder to the same relative path, creating its folder.
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
    """Paths, relative to ``out`` (``/``-separated), of the files the current
    ``datapackage.json`` describes: the dataset files and the exported files it lists
    under ``x_files``."""
    package = out / "datapackage.json"
    if not package.is_file():
        return set()
    try:
        descriptor = json.loads(package.read_text(encoding="utf-8"))
        resources = descriptor.get("resources", [])
        exported = descriptor.get("x_files", [])
    except (OSError, ValueError, AttributeError):
        return set()
    stems = {Path(r["path"]).stem for r in resources if isinstance(r, dict) and "path" in r}
    files = {f"{stem}{suffix}" for stem in stems for suffix in DATASET_SUFFIXES}
    # Only a plain relative path inside the build: a descriptor never makes us delete
    # anything elsewhere.
    files |= {e["path"] for e in exported if isinstance(e, dict) and isinstance(e.get("path"), str)
              and _inside(e["path"])}
    return files | {"datapackage.json"}


def replace_published(staged: Path, out: Path) -> list[Path]:
    """Move every file of ``staged`` (and of its subfolders) into ``out``; drop the files
    the previous build published and the new one no longer has.

    ``datapackage.json`` moves last, so it never describes files that are not there yet.
    """
    new = sorted((p for p in staged.rglob("*") if p.is_file()),
                 key=lambda p: (p.relative_to(staged).as_posix() == "datapackage.json",
                                p.relative_to(staged).as_posix()))
    moved = []
    with interrupts_held(), _swap_lock(out):
        # Read under the lock: a build swapping in at the same time may change it.
        stale = published_files(out) - {p.relative_to(staged).as_posix() for p in new}
        for path in new:
            target = out / path.relative_to(staged)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
            moved.append(target)
        for name in stale:
            (out / name).unlink(missing_ok=True)
            if "/" in name:  # a folder the build no longer writes into goes too, if empty
                with contextlib.suppress(OSError):
                    (out / name).parent.rmdir()
    return moved


def _inside(path: str) -> bool:
    """A relative path that stays inside the folder it is relative to.

    >>> _inside("site/index.html"), _inside("../x"), _inside("/etc/passwd"), _inside("a/../../b")
    (True, False, False, False)
    """
    parts = Path(path).parts
    return bool(parts) and not Path(path).is_absolute() and ".." not in parts
