"""Editing the manifest ``raw/sources.toml``: the library under ``crosswalk sources``.

Edits go through tomlkit, so the manifest's comments, key order, quoting and blank lines
survive and the entries not edited stay byte for byte; a manifest with CRLF line ends or
a byte-order mark keeps them. An edited manifest is written only if it loads cleanly
(:func:`pipeline.sources.manifest.parse_manifest`, every check of the build), and then
at once (a temporary file renamed over it), so an edit never leaves a broken manifest.

* :func:`update_checksums` — accept changed files: rewrite (or write) their sha256;
* :func:`add_source` — a new entry for a file, its format detected unless given, its
  sha256 computed, the file copied into raw/ if it is not there;
* :func:`replace_source` — the new edition of a source: same id and description, new
  file, format and checksum;
* :func:`remove_source` — an entry removed; its file stays (git removes it).
"""

from __future__ import annotations

import codecs
import os
import re
import shutil
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import PipelineError
from pipeline.formats import FORMATS
from pipeline.limits import Limits, check_file_size
from pipeline.sources.detect import detect_format
from pipeline.sources.manifest import (
    KEYS,
    MANIFEST_NAME,
    MAX_ID_CHARS,
    METADATA,
    Source,
    file_sha256,
    manifest_path,
    parse_manifest,
    read_manifest_text,
)

if TYPE_CHECKING:
    from tomlkit.items import AoT

# tomlkit is imported where the manifest is edited: every command reads the manifest
# (with tomllib), only `crosswalk sources add|replace|remove` writes it.

#: The metadata an entry must have (``crosswalk sources add`` asks for what is not given).
REQUIRED_METADATA = tuple(key.name for key in KEYS if key.name in METADATA and key.required)


@dataclass(frozen=True)
class Added:
    """A source added: its entry, and where its file was copied (None: already in raw/)."""

    source: Source
    copied_to: Path | None


@dataclass(frozen=True)
class Replaced:
    """A source given a new file: the entry before and after, the copy made, what of the
    entry's tables the new format does not take, and whether the old file is still in raw/."""

    old: Source
    source: Source
    copied_to: Path | None
    dropped_settings: bool
    kept_expect: tuple[str, ...]
    dropped_expect: tuple[str, ...]
    old_file_left: bool


def slug(name: str) -> str:
    """An id made of a file name: lowercase ASCII letters, digits and hyphens.

    >>> slug("Illinois IECMHC Competencies (2024).txt")
    'illinois-iecmhc-competencies-2024'
    >>> slug("coe-alliance-crosswalk-2023.pdf")
    'coe-alliance-crosswalk-2023'
    >>> slug("Compétences_v2.TXT")
    'competences-v2'
    """
    stem = Path(name).stem if Path(name).suffix else name
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:MAX_ID_CHARS].rstrip("-") or "source"


def update_checksums(raw_dir: Path) -> list[tuple[str, str, str]]:
    """Rewrite the sha256 of every source whose file changed (whatever its quoting; one
    missing or malformed is written); return (id, old, new) of each, as the manifest now
    pins it (old is ``""`` where there was none)."""
    manifest = _Manifest.open(raw_dir)
    sources = manifest.sources(pinned=False)
    changed = []
    for index, source in enumerate(sources):
        if not source.file.is_file():
            raise PipelineError(f"source {source.id!r} is missing", path=str(source.file),
                                hint="restore the file, or remove its entry with "
                                f"`crosswalk sources remove {source.id}`")
        check_file_size(source.file, source.limits)
        new = file_sha256(source.file)
        if new != source.sha256:
            manifest.entry(index)["sha256"] = new
            changed.append((source.id, source.sha256, new))
    if not changed:
        return []
    pins = {source.id: source.sha256 for source in manifest.save()}
    stale = [source_id for source_id, _, new in changed if pins[source_id] != new]
    if stale:  # the edit did not take: say so rather than report an update
        raise PipelineError(f"the sha256 of {', '.join(stale)} could not be rewritten",
                            path=str(manifest.path), hint="write it by hand and check again")
    return changed


def add_source(raw_dir: Path, file: Path, *, source_id: str | None = None,
               format: str | None = None,
               metadata: Mapping[str, str | int | None] | None = None) -> Added:
    """Append an entry for ``file`` to the manifest: its format detected unless given,
    its id a slug of the file name unless given, its sha256 computed, the description
    from ``metadata`` (keys of :data:`~pipeline.sources.manifest.METADATA`; None and
    ``""`` are left out). A file outside raw/ is copied into it first."""
    file = _existing(file)
    manifest = _Manifest.open(raw_dir)
    check_file_size(file, Limits())
    format = _known(format) or detect_format(file)
    relative, copy_to = _place(raw_dir, file)
    import tomlkit

    entry = tomlkit.table()
    values = {"id": source_id or slug(Path(relative).name), "path": relative, "format": format,
              **{key: value for key, value in (metadata or {}).items()
                 if value is not None and value != ""},
              "sha256": file_sha256(file)}
    unknown = sorted(set(values) - {key.name for key in KEYS})
    if unknown:
        raise ValueError(f"not keys of a source: {', '.join(unknown)}")
    for key in KEYS:
        if key.name in values:
            entry[key.name] = values[key.name]
    manifest.entries().append(entry)
    sources = manifest.check()
    _save_with_copy(manifest, file, copy_to)
    return Added(sources[-1], copy_to)


def _save_with_copy(manifest: "_Manifest", file: Path, copy_to: Path | None) -> None:
    """Copy the file into raw/, then save the manifest; a failed save takes the copy back,
    so raw/ never holds a file its manifest does not list."""
    _copy(file, copy_to)
    try:
        manifest.save()
    except BaseException:
        _undo_copy(copy_to)
        raise


def replace_source(raw_dir: Path, source_id: str, file: Path, *,
                   format: str | None = None) -> Replaced:
    """Give the source ``source_id`` a new file: same id and description, new path,
    format (detected unless given) and sha256. Its ``[source.settings]`` stay only if the
    new format reads a PDF, its ``[source.expect]`` keys only if the new format knows
    them. The old file is left in raw/."""
    file = _existing(file)
    manifest = _Manifest.open(raw_dir)
    index, old = manifest.find(source_id)
    check_file_size(file, old.limits)
    format = _known(format) or detect_format(file)
    relative, copy_to = _place(raw_dir, file)
    entry = manifest.entry(index)
    entry["path"] = relative
    entry["format"] = format
    entry["sha256"] = file_sha256(file)
    dropped_settings = "settings" in entry and not FORMATS[format].reads_pdf
    if dropped_settings:
        del entry["settings"]
    known = dict(FORMATS[format].expects)
    expect = entry.get("expect")
    dropped: list[str] = []
    if isinstance(expect, Mapping):
        dropped = [key for key in expect if key not in known]
        for key in dropped:
            del expect[key]
        if not expect:
            del entry["expect"]
    sources = manifest.check()
    _save_with_copy(manifest, file, copy_to)
    new = sources[index]
    return Replaced(old, new, copy_to, dropped_settings, tuple(new.expect), tuple(dropped),
                    old_file_left=old.path != new.path and old.file.exists())


def remove_source(raw_dir: Path, source_id: str) -> Source:
    """Remove the entry of ``source_id`` and return it; its file stays in raw/."""
    manifest = _Manifest.open(raw_dir)
    index, source = manifest.find(source_id)
    if len(manifest.entries()) == 1:
        raise PipelineError(f"source {source_id!r} is the only one: a manifest needs at least "
                            "one [[source]]", path=str(manifest.path),
                            hint="add the new source first (`crosswalk sources add FILE`), or "
                            "use `crosswalk sources replace`")
    del manifest.entries()[index]
    manifest.save()
    return source


class _Manifest:
    """The manifest as tomlkit reads it, with what it needs to be written as it was."""

    def __init__(self, raw_dir: Path, raw_bytes: bytes, text: str) -> None:
        self.raw_dir = raw_dir
        self.path = manifest_path(raw_dir)
        self.raw_bytes = raw_bytes
        self.text = text
        self.sources(pinned=False)  # a manifest that does not load is named as the build names it
        import tomlkit
        from tomlkit.exceptions import TOMLKitError

        try:
            self.document = tomlkit.parse(text)
        except (TOMLKitError, ValueError) as error:
            raise PipelineError(f"not valid TOML: {error}", path=str(self.path)) from None
        self._checked: str | None = None

    @classmethod
    def open(cls, raw_dir: Path) -> _Manifest:
        text = read_manifest_text(raw_dir)
        return cls(raw_dir, manifest_path(raw_dir).read_bytes(), text)

    def sources(self, *, pinned: bool = True) -> list[Source]:
        """The sources as the manifest stands, checked (``pinned``: see parse_manifest)."""
        return parse_manifest(self.text, self.raw_dir, pinned=pinned)

    def entries(self) -> AoT:
        from tomlkit.items import AoT

        entries = self.document.get("source")
        if not isinstance(entries, AoT):
            raise PipelineError("the sources are not written as [[source]] tables",
                                path=str(self.path),
                                hint="write each source as a [[source]] table (see docs/sources.md)")
        return entries

    def entry(self, index: int):
        return self.entries()[index]

    def find(self, source_id: str) -> tuple[int, Source]:
        sources = self.sources(pinned=False)
        for index, source in enumerate(sources):
            if source.id == source_id:
                return index, source
        raise PipelineError(f"no source has the id {source_id!r}", path=str(self.path),
                            hint=f"the ids are: {', '.join(s.id for s in sources)}")

    def rendered(self) -> str:
        import tomlkit

        text = tomlkit.dumps(self.document)
        if "\r\n" in self.text:  # what tomlkit adds ends its lines with \n
            text = re.sub(r"(?<!\r)\n", "\r\n", text)
        return text

    def check(self) -> list[Source]:
        """The sources of the edited manifest, loaded as the build will load them."""
        text = self.rendered()
        sources = parse_manifest(text, self.raw_dir)
        self._checked = text
        return sources

    def save(self) -> list[Source]:
        """Write the edited manifest, if it loads cleanly, in one step; its sources."""
        sources = self.check()
        data = self._checked.encode("utf-8")
        if self.raw_bytes.startswith(codecs.BOM_UTF8):
            data = codecs.BOM_UTF8 + data
        scratch = self.path.with_name(f".{MANIFEST_NAME}.{os.getpid()}.tmp")
        try:
            scratch.write_bytes(data)
            os.replace(scratch, self.path)
        finally:
            scratch.unlink(missing_ok=True)
        return sources


def _known(format: str | None) -> str | None:
    if format is not None and format not in FORMATS:
        raise PipelineError(f"unknown format {format!r}",
                            hint=f"use one of: {', '.join(sorted(FORMATS))}")
    return format


def _existing(file: Path) -> Path:
    file = Path(file)
    if not file.is_file():
        raise PipelineError("no such file", path=str(file))
    return file


def _place(raw_dir: Path, file: Path) -> tuple[str, Path | None]:
    """The path ``file`` has under raw/, and where to copy it (None: it is there already,
    or an identical file of its name is)."""
    raw = Path(os.path.abspath(raw_dir))
    here = Path(os.path.abspath(file))
    if here.is_relative_to(raw):
        return here.relative_to(raw).as_posix(), None
    target = raw_dir / file.name
    if target.exists() or target.is_symlink():
        if target.is_file() and file_sha256(target) == file_sha256(file):
            return file.name, None
        raise PipelineError(f"raw/ has a different file of this name: {target}", path=str(file),
                            hint="rename the new file (its name becomes its path under raw/); "
                            "the file in raw/ is not overwritten")
    return file.name, target


def _copy(file: Path, target: Path | None) -> None:
    """Copy ``file`` to ``target``, which must not exist yet (never overwrite raw/); a
    copy cut short is removed."""
    if target is None:
        return
    try:
        copy = target.open("xb")
    except FileExistsError:
        raise PipelineError(f"raw/ has a different file of this name: {target}",
                            path=str(file), hint="rename the new file") from None
    try:
        with file.open("rb") as source, copy:
            shutil.copyfileobj(source, copy)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _undo_copy(target: Path | None) -> None:
    if target is not None:
        target.unlink(missing_ok=True)
