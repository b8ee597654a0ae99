"""Reuse the validated tables of the last build when nothing they depend on has changed.

Extract, normalize and validate are most of what ``crosswalk build`` costs, and their
result is a function of a few inputs only. Their digest is the build's *key*:

* the manifest (``raw/sources.toml``, which pins every source file's sha256 — the files
  themselves are verified against it before anything is reused, exactly as a full build
  verifies them) and the folder it was read from;
* every file of the ``pipeline`` and ``schemas`` packages (code, vocabularies, fixes);
* the Python version and the version of every library the build runs on
  (:data:`LIBRARIES`), and for PDF sources the Tesseract program (a scanned page's text
  is what it reads);
* the ``--engine`` override.

The publish profile is not part of it: a profile only leaves out cells, columns and
datasets of the validated tables.

After a build has published, its validated tables (as Parquet), its rejected rows and its
log lines are kept in ``<out>/interim/build/`` under that key. The next build whose key is
the same publishes those tables again, replays the lines, and runs no other stage. The
entry is written to a temporary folder and renamed into place, its key file last, so an
interrupted write is a miss, never half a result; an entry that cannot be read is a miss.
``crosswalk build --no-cache`` runs every stage regardless.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata, util
from pathlib import Path

import pandas as pd

#: Changes when what an entry holds changes, so an older entry is a miss.
CACHE_FORMAT = 1
#: The distributions whose version can change a build's tables: the runtime dependencies
#: of pyproject.toml (a test keeps the two lists equal) and pdfminer.six, which pdfplumber
#: and camelot parse with.
LIBRARIES = (
    "pdfplumber", "camelot-py", "pandas", "pandera", "pyarrow", "click", "wordfreq",
    "frictionless", "tqdm", "beautifulsoup4", "lxml", "tomlkit", "pypdfium2", "numpy",
    "xlsxwriter", "openpyxl", "msgpack", "pytesseract",
    "opencv-python-headless", "pillow", "pdfminer.six",
)
#: What an entry is made of, inside ``<out>/interim/build/``.
KEY_FILE, LOG_FILE, REJECTED_FILE, TABLES_FOLDER = "key", "log.json", "rejected_rows.csv", "tables"


@dataclass(frozen=True)
class Reused:
    """The results of an earlier build with the same key."""

    tables: dict[str, pd.DataFrame]
    #: the lines the earlier build logged while extracting, normalizing and validating
    lines: list[str]
    #: its ``rejected_rows.csv``
    rejected: Path


def _package_folder(name: str) -> Path:
    """Where the package ``name`` is, without importing it (importing ``schemas`` would
    import pandera, which a build that reuses its tables does not need)."""
    spec = util.find_spec(name)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(name)
    return Path(spec.origin).parent


#: The folders whose every file is part of the key: the code, vocabularies and fixes.
PACKAGES = (_package_folder("pipeline"), _package_folder("schemas"))


def build_key(manifest: Path, engine: str | None, uses_pdf: bool,
              packages: Iterable[Path] = PACKAGES) -> str:
    """The digest of everything the validated tables of a build depend on."""
    digest = hashlib.sha256()

    def add(label: str, value: str | bytes) -> None:
        data = value.encode() if isinstance(value, str) else value
        digest.update(f"{label}\0{len(data)}\0".encode())
        digest.update(data)

    add("format", str(CACHE_FORMAT))
    add("manifest", manifest.read_bytes())
    add("raw folder", str(manifest.parent.resolve()))
    add("engine", engine or "")
    add("python", platform.python_version())
    for name in LIBRARIES:
        add(name, _installed_version(name))
    for folder in packages:
        for path in _package_files(folder):
            add(f"{folder.name}/{path.relative_to(folder).as_posix()}", path.read_bytes())
    if uses_pdf:
        add("tesseract", _program_identity("tesseract"))
    return digest.hexdigest()


def _installed_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def _package_files(folder: Path) -> list[Path]:
    """Every file of a package folder but compiled bytecode, in a fixed order."""
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")


def _program_identity(name: str) -> str:
    """Where the program is and its size and time stamp (its version, without running it)."""
    found = shutil.which(name)
    if found is None:
        return "absent"
    status = Path(found).resolve().stat()
    return f"{Path(found).resolve()} {status.st_size} {status.st_mtime_ns}"


def load_reusable(folder: Path, key: str) -> Reused | None:
    """The entry in ``folder`` if it was stored under ``key`` and reads back whole."""
    try:
        if (folder / KEY_FILE).read_text(encoding="utf-8") != key:
            return None
        stored = json.loads((folder / LOG_FILE).read_text(encoding="utf-8"))
        tables = {name: pd.read_parquet(folder / TABLES_FOLDER / f"{name}.parquet")
                  for name in stored["tables"]}
        rejected = folder / REJECTED_FILE
        if not rejected.is_file():
            return None
        return Reused(tables, [str(line) for line in stored["lines"]], rejected)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or damaged: the stages run


def store_reusable(folder: Path, key: str, tables: dict[str, pd.DataFrame],
                   lines: Iterable[str], rejected: Path) -> None:
    """Keep ``tables`` (as the stages hand them over), the log ``lines`` and the rejected
    rows under ``key``, replacing the previous entry. A cache that cannot be written only
    costs time: nothing is raised."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=".build-cache-", dir=folder.parent))
    try:
        (staged / TABLES_FOLDER).mkdir()
        for name, frame in tables.items():
            frame.to_parquet(staged / TABLES_FOLDER / f"{name}.parquet", index=False)
        shutil.copyfile(rejected, staged / REJECTED_FILE)
        (staged / LOG_FILE).write_text(json.dumps({"tables": sorted(tables),
                                                   "lines": list(lines)}), encoding="utf-8")
        (staged / KEY_FILE).write_text(key, encoding="utf-8")  # last: an entry is whole
        _swap_in(staged, folder)
    except OSError:
        pass
    finally:
        shutil.rmtree(staged, ignore_errors=True)


def _swap_in(staged: Path, folder: Path) -> None:
    """Put ``staged`` where ``folder`` is; the old entry is first moved aside, so a reader
    sees the old entry, none, or the new one."""
    if folder.exists():
        retired = Path(tempfile.mkdtemp(prefix=".build-cache-old-", dir=folder.parent))
        os.replace(folder, retired / "entry")
        shutil.rmtree(retired, ignore_errors=True)
    os.replace(staged, folder)


class LogRecorder:
    """A ``log`` function that also keeps every line it passes on."""

    def __init__(self, log: Callable[[str], None]) -> None:
        self.log = log
        self.lines: list[str] = []

    def __call__(self, line: str) -> None:
        self.lines.append(line)
        self.log(line)
