"""The source manifest, ``raw/sources.toml``: what we read, from where, with which parser.

Every source is pinned by its sha256. A changed file is refused until a maintainer
accepts it deliberately with ``crosswalk sources --update`` (which rewrites only the
``sha256`` lines, keeping the manifest's comments).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from pipeline.errors import PipelineError
from pipeline.extract.pdf_settings import PdfSettings
from pipeline.formats import FORMATS
from pipeline.limits import Limits, check_file_size

T = TypeVar("T")

MANIFEST_NAME = "sources.toml"
#: Formats read from a PDF; only these take a ``[source.settings]`` table.
PDF_FORMATS = tuple(name for name, f in FORMATS.items() if f.reads_pdf)
_REQUIRED = ("id", "path", "format", "title", "publisher", "citation", "permission", "sha256")


@dataclass(frozen=True)
class Source:
    id: str
    path: str
    format: str
    title: str
    publisher: str
    citation: str
    permission: str
    sha256: str
    copyright: str = ""
    year: int | None = None
    #: extraction settings of a PDF source (``[source.settings]``); None for text sources
    settings: PdfSettings | None = None
    #: what a complete document holds (``[source.expect]``, e.g. ``domains = 8``), checked
    #: by the format's ``check_complete``; empty for an excerpt, which declares nothing
    expect: Mapping[str, int | bool] = field(default_factory=dict, hash=False)
    #: how large the file, its lines, cells, HTML nesting and PDF pages may be
    #: (``[source.limits]``, see :mod:`pipeline.limits`); the defaults unless overridden
    limits: Limits = field(default_factory=Limits)
    raw_dir: Path = Path("raw")

    @property
    def file(self) -> Path:
        return self.raw_dir / self.path


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def load_manifest(raw_dir: Path) -> list[Source]:
    """Read and check ``raw_dir/sources.toml``; files are not opened yet."""
    manifest = raw_dir / MANIFEST_NAME
    if not manifest.is_file():
        raise PipelineError(
            "the source manifest is missing",
            path=str(manifest),
            hint="create it: one [[source]] table per file under raw/ (see README, Sources)",
        )
    try:
        # utf-8-sig: an editor may have saved the manifest with a byte-order mark.
        data = tomllib.loads(manifest.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as error:
        line = _toml_error_line(str(error))
        raise PipelineError(f"not valid TOML: {error}", path=str(manifest), line=line) from None
    except UnicodeDecodeError:
        raise PipelineError("not UTF-8 text", path=str(manifest)) from None
    entries = data.get("source")
    if not isinstance(entries, list) or not entries:
        raise PipelineError("no [[source]] entries", path=str(manifest))
    sources: list[Source] = []
    for number, entry in enumerate(entries, start=1):
        sources.append(_source_from_entry(entry, number, manifest, raw_dir))
    ids = [s.id for s in sources]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise PipelineError(f"duplicate source id(s): {', '.join(duplicates)}", path=str(manifest))
    return sources


def _source_from_entry(entry: dict, number: int, manifest: Path, raw_dir: Path) -> Source:
    where = f"[[source]] number {number}"
    if not isinstance(entry, dict):
        raise PipelineError(f"{where} is not a table", path=str(manifest))
    texts = [key for key in (*_REQUIRED, "copyright") if not isinstance(entry.get(key, ""), str)]
    if texts or not isinstance(entry.get("year", 0), int) or isinstance(entry.get("year"), bool):
        wrong = ", ".join(texts) if texts else "year"
        raise PipelineError(f"{where}: {wrong} must be " + ("text in quotes" if texts else
                            "a whole number"), path=str(manifest))
    missing = [key for key in _REQUIRED if not entry.get(key)]
    if missing:
        raise PipelineError(f"{where} lacks {', '.join(missing)}", path=str(manifest))
    unknown = set(entry) - set(Source.__dataclass_fields__) - {"raw_dir"}
    if unknown:
        raise PipelineError(f"{where} has unknown key(s): {', '.join(sorted(unknown))}",
                            path=str(manifest))
    if entry["format"] not in FORMATS:
        raise PipelineError(
            f"{where} ({entry['id']}): unknown format {entry['format']!r}",
            path=str(manifest),
            hint=f"use one of: {', '.join(sorted(FORMATS))}",
        )
    if not re.fullmatch(r"[0-9a-f]{64}", str(entry["sha256"])):
        raise PipelineError(f"{where} ({entry['id']}): sha256 is not 64 hex digits",
                            path=str(manifest))
    _check_inside(raw_dir, entry["path"], where, manifest)
    entry = dict(entry)
    settings = entry.pop("settings", None)
    if entry["format"] in PDF_FORMATS:
        settings = settings_table(PdfSettings, settings, manifest,
                                  f"source {entry['id']!r}: [source.settings]")
    elif settings is not None:
        raise PipelineError(f"{where} ({entry['id']}): [source.settings] applies only to "
                            f"PDF formats ({', '.join(PDF_FORMATS)})", path=str(manifest))
    expect = _expectations(entry.pop("expect", {}), f"{where} ({entry['id']})", entry["format"],
                           manifest)
    limits = settings_table(Limits, entry.pop("limits", None), manifest,
                            f"source {entry['id']!r}: [source.limits]")
    return Source(**entry, settings=settings, expect=expect, limits=limits, raw_dir=raw_dir)


def settings_table(cls: type[T], table: Any, manifest: Path, where: str) -> T:
    """A frozen settings dataclass (:class:`PdfSettings`, :class:`Limits`) from a source's
    table in the manifest: None gives the defaults; anything but a table, an unknown key
    or a value the dataclass refuses is an error naming the manifest and the table."""
    if table is None:
        return cls()
    if not isinstance(table, Mapping):
        raise PipelineError(f"{where} must be a table", path=str(manifest))
    known = [f.name for f in fields(cls)]
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise PipelineError(f"{where} has unknown key(s): {', '.join(unknown)}",
                            path=str(manifest), hint=f"known keys: {', '.join(sorted(known))}")
    try:
        return cls(**table)
    except (TypeError, ValueError) as error:
        raise PipelineError(f"{where}: {error}", path=str(manifest)) from None


def _expectations(table: object, where: str, format_name: str,
                  manifest: Path) -> Mapping[str, int | bool]:
    """The ``[source.expect]`` table, checked against the keys and types its format knows."""
    known = dict(FORMATS[format_name].expects)
    allowed = ", ".join(known) or "none"
    if not isinstance(table, dict):
        raise PipelineError(f"{where}: [source.expect] must be a table", path=str(manifest))
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise PipelineError(f"{where}: [source.expect] has unknown key(s): {', '.join(unknown)}",
                            path=str(manifest), hint=f"format {format_name} knows: {allowed}")
    for key, value in table.items():
        if known[key] is bool and not isinstance(value, bool):
            raise PipelineError(f"{where}: [source.expect] {key} must be true or false, "
                                f"not {value!r}", path=str(manifest))
        if known[key] is int and (isinstance(value, bool) or not isinstance(value, int)
                                  or value < 1):
            raise PipelineError(f"{where}: [source.expect] {key} must be a whole number of "
                                f"at least 1, not {value!r}", path=str(manifest))
    return MappingProxyType(dict(table))


def _check_inside(raw_dir: Path, relative: str, where: str, manifest: Path) -> None:
    """Refuse a path that escapes raw/ (``../``, absolute, or a symlink pointing out)."""
    if Path(relative).is_absolute() or ".." in Path(relative).parts:
        raise PipelineError(f"{where}: path {relative!r} must be relative and inside raw/",
                            path=str(manifest))
    resolved = (raw_dir / relative).resolve()
    if not resolved.is_relative_to(raw_dir.resolve()):
        raise PipelineError(f"{where}: path {relative!r} resolves outside raw/ ({resolved})",
                            path=str(manifest))


def verify_sources(sources: list[Source]) -> None:
    """Every file exists, is no larger than its limit and has the sha256 the manifest
    pins (the size is checked first: hashing reads the whole file)."""
    for source in sources:
        if not source.file.is_file():
            raise PipelineError(
                f"source {source.id!r} is missing",
                path=str(source.file),
                hint="restore the file or remove its entry from raw/sources.toml",
            )
        check_file_size(source.file, source.limits)
        actual = file_sha256(source.file)
        if actual != source.sha256:
            raise PipelineError(
                f"source {source.id!r} changed: sha256 is {actual}, the manifest pins "
                f"{source.sha256}",
                path=str(source.file),
                hint="if the new file is intended, accept it with `crosswalk sources --update` "
                "and commit raw/sources.toml",
            )


def update_checksums(raw_dir: Path) -> list[tuple[str, str, str]]:
    """Rewrite the sha256 of every source whose file changed; return (id, old, new)."""
    manifest = raw_dir / MANIFEST_NAME
    sources = load_manifest(raw_dir)
    text = manifest.read_text(encoding="utf-8")
    changed = []
    for source in sources:
        if not source.file.is_file():
            raise PipelineError(f"source {source.id!r} is missing", path=str(source.file))
        new = file_sha256(source.file)
        if new != source.sha256:
            text = text.replace(f'sha256 = "{source.sha256}"', f'sha256 = "{new}"', 1)
            changed.append((source.id, source.sha256, new))
    if changed:
        manifest.write_text(text, encoding="utf-8")
    return changed


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None
