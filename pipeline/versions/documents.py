"""Either side of ``crosswalk diff``: a build, or documents built for the comparison.

A side is what :func:`pipeline.versions.builds.open_build` reads (a build folder, its
``datapackage.json``, ``git:REV``), or

* a raw folder — a folder with a ``sources.toml`` — built as ``crosswalk build`` would;
* one source file (a PDF, a text export): copied into a raw folder of its own with a
  one-entry ``sources.toml`` (format detected from the file, or given; placeholder
  metadata; its sha256; no ``[source.expect]``, so only the checks every document gets),
  then built.

So a maintainer sees what a new edition changes before it goes into ``raw/``:
``crosswalk diff raw/coe-alliance-crosswalk-2023.txt new-edition.txt``. Every build goes
into the ``workdir`` the caller gives (and removes); the :class:`~pipeline.versions.builds.Build`
returned reads its files from there, so use it before the folder goes. Every source file
gets the same source id, file name and metadata, so two builds differ only in what the
documents say (and, as moved rows, where they say it).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import tomlkit

from pipeline import stages
from pipeline.errors import PipelineError
from pipeline.formats import FORMATS
from pipeline.metadata.files import DATAPACKAGE_NAME
from pipeline.metadata.profiles import DEFAULT_PROFILE
from pipeline.sources import MANIFEST_NAME, detect_format, file_sha256
from pipeline.versions.builds import GIT_PREFIX, Build, open_build

#: The source id of a document side (the same on both sides: no row moves for its name).
DOCUMENT_ID = "document"
#: The metadata a manifest requires, the same for every document compared: the two
#: builds differ in what the documents say, not in what they are called.
PLACEHOLDERS = {
    "title": "a document compared by crosswalk diff",
    "publisher": "unknown",
    "citation": "unknown: a temporary build for crosswalk diff",
    "permission": "unknown: a temporary build for crosswalk diff, not for publication",
    # Unknown terms are the safe ones; the build is compared whole (profile full), never
    # published.
    "redistribution": "no-statement",
}
SIDES_HINT = ("give a build folder, its datapackage.json, git:REV, a raw folder (with "
              "sources.toml) or a source file")

Log = Callable[[str], None]


def side_kind(spec: str | Path) -> str:
    """What ``spec`` names: ``"build"`` (a build folder, a ``.json`` file or ``git:REV``),
    ``"raw"`` (a folder with a ``sources.toml``) or ``"document"`` (any other file).

    >>> side_kind("git:HEAD~1")
    'build'
    """
    text = str(spec)
    if text.startswith(GIT_PREFIX):
        return "build"
    path = Path(text)
    if path.is_dir():
        if not (path / DATAPACKAGE_NAME).is_file() and (path / MANIFEST_NAME).is_file():
            return "raw"
        return "build"
    if not path.exists():
        raise PipelineError("no such file or folder", path=text, hint=SIDES_HINT)
    return "build" if path.suffix.lower() == ".json" else "document"


def open_sides(old: str | Path, new: str | Path, workdir: Path, log: Log, *,
               source_format: str | None = None) -> tuple[Build, Build]:
    """Both sides of a comparison, building what is not a build yet (see :func:`open_side`).

    Two source files must be of one format: a PDF is compared with a PDF of the same kind,
    a text export with a text export. Checked before anything is built.
    """
    kinds = [side_kind(old), side_kind(new)]
    formats: list[str | None] = [None, None]
    for number, (spec, kind) in enumerate(zip((old, new), kinds)):
        if kind == "document":
            formats[number] = source_format or _detected(Path(spec))
    if kinds == ["document", "document"] and formats[0] != formats[1]:
        raise PipelineError(
            f"{old} is a {formats[0]} source and {new} a {formats[1]} source: a diff of "
            "two documents needs two of the same kind",
            hint="compare two editions of one document (or give --source-format if the "
            "detection is wrong)")
    return (open_side(old, workdir / "old", log, source_format=formats[0]),
            open_side(new, workdir / "new", log, source_format=formats[1]))


def open_side(spec: str | Path, workdir: Path, log: Log, *,
              source_format: str | None = None) -> Build:
    """The build ``spec`` names; a raw folder or a source file is first built into
    ``workdir`` (a folder of its own, which the caller removes). The build keeps ``spec``
    as its label. ``source_format`` bypasses the detection of a source file's format."""
    kind = side_kind(spec)
    if kind == "build":
        return open_build(spec)
    label = str(spec)
    raw = Path(spec)
    if kind == "document":
        source_format = source_format or _detected(raw)
        raw = document_raw(raw, workdir / "raw", source_format)
        log(f"diff: {label}: a {source_format} document, built in a temporary folder")
    else:
        log(f"diff: {label}: a raw folder, built in a temporary folder")
    out = workdir / "build"
    # A raw folder is built as `crosswalk build` would (to compare with build/); a lone
    # document, with placeholder terms, whole: its text is what the comparison is about.
    profile = "full" if kind == "document" else DEFAULT_PROFILE
    try:
        stages.run_build(stages.Paths(raw, out, profile=profile),
                         lambda line: log(f"diff: {label}: {line}"))
    except PipelineError as error:
        copy = raw / document_name(Path(spec)) if kind == "document" else None
        raise _named_for_the_user(error, label, copy) from None
    return replace(open_build(out), label=label)


def _named_for_the_user(error: PipelineError, label: str, copy: Path | None) -> PipelineError:
    """``error`` naming the file the user gave, not its temporary copy; a validation
    failure says where to read its report (the temporary folder goes with the diff)."""
    if copy is not None:
        error.path = error.path and error.path.replace(str(copy), label)
        error.message = error.message.replace(str(copy), label)
    if error.exit_code == 1:
        raw = "a raw folder of its own (the file and a sources.toml)" if copy else label
        error.hint = (f"{label} does not pass validation; build {raw} with `crosswalk build "
                      "--raw RAW --out OUT` to read the failing rows in OUT/reports/")
    return error


def document_raw(file: Path, folder: Path, source_format: str) -> Path:
    """``folder`` made a raw folder holding a copy of ``file`` and a one-entry
    ``sources.toml`` that reads it with ``source_format``; returns ``folder``."""
    folder.mkdir(parents=True, exist_ok=False)
    copy = folder / document_name(file)
    shutil.copyfile(file, copy)
    entry = tomlkit.table()
    entry.update({**PLACEHOLDERS, "id": DOCUMENT_ID, "path": copy.name,
                  "format": source_format, "sha256": file_sha256(copy)})
    manifest = tomlkit.document()
    manifest.add(tomlkit.comment(f"Written by crosswalk diff for {file}; removed after it."))
    manifest["source"] = tomlkit.aot()
    manifest["source"].append(entry)
    (folder / MANIFEST_NAME).write_text(tomlkit.dumps(manifest), encoding="utf-8")
    return folder


def document_name(file: Path) -> str:
    """The name of a source file's copy: the same for both sides, its kind kept.

    >>> document_name(Path("editions/Crosswalk 2025.PDF"))
    'document.pdf'
    """
    return DOCUMENT_ID + file.suffix.lower()


def _detected(file: Path) -> str:
    """The format of ``file`` (:func:`pipeline.sources.detect_format`); when it cannot be
    told, the hint names the diff's option."""
    try:
        return detect_format(file)
    except PipelineError as error:
        if error.hint and "--format" in error.hint:  # `crosswalk sources add`'s option
            error.hint = f"give --source-format (one of {', '.join(FORMATS)})"
        raise
