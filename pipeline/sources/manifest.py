"""The source manifest, ``raw/sources.toml``: what we read, from where, with which parser.

Every ``[[source]]`` entry is checked against one model, :data:`KEYS` (each key, whether
it is required, what its value must be) plus its three tables (``[source.settings]``,
``[source.expect]``, ``[source.limits]``), then the entries against each other: ids and
files are unique and each published table has one primary source (the format registry
says which tables a format is the primary source of, ``SourceFormat.primary_tables``).
Every failure is a :class:`PipelineError` naming the manifest, the entry (its number,
and its id once that is usable) and the key, with a hint.

Every source is pinned by its sha256. A changed file is refused until a maintainer
accepts it deliberately with ``crosswalk sources --update``
(:func:`pipeline.sources.edit.update_checksums`).

Every source also says, in ``redistribution``, what its permission statement allows
(:data:`REDISTRIBUTION`). The key is required, so no source is published on terms nobody
stated; the default build withholds the text of a source whose terms do not allow it
(:mod:`pipeline.metadata.profiles`).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from collections.abc import Callable, Mapping
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
#: An id is a slug: it names folders of the build (``build/interim/extract/<id>/``), so
#: it can hold no ``/``, ``..`` or anything else that would lead out of them.
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")
MAX_ID_CHARS = 100
#: Longer is no file name: most file systems allow 255 bytes a name.
MAX_PATH_CHARS = 255
#: A plausible year of publication.
YEARS = range(1900, 2101)
#: A web address: http or https, a host, no spaces.
URL_PATTERN = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?")


@dataclass(frozen=True)
class Terms:
    """What a value of ``redistribution`` means, and whether the default (open) build may
    publish the source's text verbatim."""

    meaning: str
    publish_text: bool


#: The values of a source's ``redistribution`` key: what its permission statement allows.
REDISTRIBUTION: Mapping[str, Terms] = MappingProxyType({
    "verbatim-with-credit": Terms(
        "the permission statement allows using the text unaltered with credit to its "
        "authors", publish_text=True),
    "consent-required": Terms(
        "the permission statement forbids reproducing or distributing the text without "
        "the copyright holder's written consent", publish_text=False),
    "no-statement": Terms(
        "the document grants no permission: copyright reserves reproducing and "
        "distributing its text to the holder, as for consent-required", publish_text=False),
})


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
    #: what the permission statement allows (a key of :data:`REDISTRIBUTION`); the
    #: manifest must say it, the default here is the safe one
    redistribution: str = "consent-required"
    #: where the document is published, if the document itself says so
    url: str | None = None
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

    @property
    def terms(self) -> Terms:
        return REDISTRIBUTION[self.redistribution]


class Invalid(ValueError):
    """What is wrong with one value (raised by a key's check, named by the loader)."""

    def __init__(self, problem: str, hint: str | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.hint = hint


def _kind(value: object) -> str:
    """What a TOML value is, in words.

    >>> _kind(5), _kind(True), _kind([1]), _kind({"a": 1})
    ('a number (5)', 'true or false', 'a list', 'a table')
    """
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"


def text(name: str, value: object) -> str:
    """Any text (title, publisher, citation, copyright, permission)."""
    if not isinstance(value, str):
        raise Invalid(f"{name} must be text in quotes, not {_kind(value)}")
    return value


def check_id(name: str, value: object) -> str:
    """A slug: lowercase letters, digits and hyphens, starting with a letter or digit.

    >>> check_id("id", "coe-alliance-crosswalk-2023")
    'coe-alliance-crosswalk-2023'
    >>> try:
    ...     check_id("id", "../../escaped")
    ... except Invalid as invalid:
    ...     print(invalid.problem)
    id '../../escaped' is not a slug
    """
    value = text(name, value)
    if len(value) > MAX_ID_CHARS:
        raise Invalid(f"id is {len(value):,} characters long, more than {MAX_ID_CHARS}")
    if not ID_PATTERN.fullmatch(value):
        raise Invalid(f"id {value!r} is not a slug",
                      "an id is lowercase letters, digits and hyphens, starting with a letter "
                      "or digit (it names folders of the build), e.g. coe-alliance-crosswalk-2023")
    return value


def check_path(name: str, value: object) -> str:
    """A file name relative to raw/: plain characters, no ``..``, not absolute."""
    value = text(name, value)
    if len(value) > MAX_PATH_CHARS:
        raise Invalid(f"path is {len(value):,} characters long, more than {MAX_PATH_CHARS}",
                      "name the file under raw/ by a short relative path")
    if "\x00" in value:
        raise Invalid("path holds a NUL byte", "write the file name as it is under raw/")
    odd = next((c for c in value if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp")),
               None)
    if odd is not None:
        raise Invalid(f"path holds a control character (U+{ord(odd):04X})",
                      "write the file name as it is under raw/, on one line")
    if Path(value).is_absolute() or ".." in Path(value).parts:
        raise Invalid(f"path {value!r} must be relative and inside raw/")
    return value


def check_format(name: str, value: object) -> str:
    value = text(name, value)
    if value not in FORMATS:
        raise Invalid(f"unknown format {value!r}", f"use one of: {', '.join(sorted(FORMATS))}")
    return value


def check_year(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in YEARS:
        raise Invalid(f"year must be a whole number from {YEARS[0]} to {YEARS[-1]}, not "
                      f"{value!r}", "write the year of publication without quotes, e.g. 2023")
    return value


def check_url(name: str, value: object) -> str:
    """An http(s) address.

    >>> check_url("url", "https://www.iecmhc.org/")
    'https://www.iecmhc.org/'
    >>> try:
    ...     check_url("url", "ftp://example.org/x.pdf")
    ... except Invalid as invalid:
    ...     print(invalid.problem)
    url 'ftp://example.org/x.pdf' is not an http(s) address
    """
    value = text(name, value)
    if not URL_PATTERN.fullmatch(value):
        raise Invalid(f"url {value!r} is not an http(s) address",
                      "write where the document is published, e.g. https://example.org/doc.pdf,"
                      " or leave url out")
    return value


def check_redistribution(name: str, value: object) -> str:
    """One of :data:`REDISTRIBUTION`, read from the source's permission statement."""
    value = text(name, value)
    if value not in REDISTRIBUTION:
        raise Invalid(f"redistribution {value!r} is not one of {', '.join(REDISTRIBUTION)}",
                      "read the source's permission statement: "
                      + "; ".join(f"{key}: {terms.meaning}"
                                  for key, terms in REDISTRIBUTION.items()))
    return value


def check_sha256(name: str, value: object) -> str:
    value = text(name, value)
    if not re.fullmatch(r"[0-9a-f]{64}", value):
        raise Invalid("sha256 is not 64 hex digits",
                      "let `crosswalk sources --update` write it")
    return value


@dataclass(frozen=True)
class Key:
    """One key of a ``[[source]]`` entry: its check (value → checked value, or
    :class:`Invalid`) and whether an entry must have it (a required text must not be
    empty either)."""

    name: str
    check: Callable[[str, object], Any]
    required: bool = True


#: The model of a ``[[source]]`` entry: its keys in the order the manifest writes them.
KEYS: tuple[Key, ...] = (
    Key("id", check_id),
    Key("path", check_path),
    Key("format", check_format),
    Key("title", text),
    Key("publisher", text),
    Key("year", check_year, required=False),
    Key("citation", text),
    Key("url", check_url, required=False),
    Key("copyright", text, required=False),
    Key("permission", text),
    Key("redistribution", check_redistribution),
    Key("sha256", check_sha256),
)
#: The tables an entry may have besides its keys.
TABLES = ("settings", "expect", "limits")
#: The keys an entry describes its document with (``crosswalk sources add`` asks for them).
METADATA = ("title", "publisher", "citation", "permission", "redistribution", "copyright",
            "year", "url")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_path(raw_dir: Path) -> Path:
    return raw_dir / MANIFEST_NAME


def read_manifest_text(raw_dir: Path) -> str:
    """The manifest's text (a byte-order mark, which an editor may add, left out)."""
    manifest = manifest_path(raw_dir)
    if not manifest.is_file():
        raise PipelineError(
            "the source manifest is missing",
            path=str(manifest),
            hint="create it: one [[source]] table per file under raw/ (see docs/sources.md)",
        )
    try:
        return manifest.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PipelineError("not UTF-8 text", path=str(manifest)) from None


def load_manifest(raw_dir: Path) -> list[Source]:
    """Read and check ``raw_dir/sources.toml``; files are not opened yet."""
    return parse_manifest(read_manifest_text(raw_dir), raw_dir)


def parse_manifest(text: str, raw_dir: Path, *, pinned: bool = True) -> list[Source]:
    """The sources of a manifest's ``text``, every entry and the entries together checked.

    ``pinned=False`` (for ``crosswalk sources --update``, which writes them) lets an entry
    lack its sha256 or have a malformed one; its :attr:`Source.sha256` is then ``""``.
    """
    manifest = manifest_path(raw_dir)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = _toml_error_line(str(error))
        raise PipelineError(f"not valid TOML: {error}", path=str(manifest), line=line) from None
    unknown = sorted(set(data) - {"source"})
    if unknown:
        raise PipelineError(f"unknown top-level key(s): {', '.join(unknown)}", path=str(manifest),
                            hint="each source is a [[source]] table")
    entries = data.get("source")
    if not isinstance(entries, list) or not entries:
        raise PipelineError("no [[source]] entries", path=str(manifest),
                            hint="add one with `crosswalk sources add FILE`")
    sources = [_source_from_entry(entry, number, manifest, raw_dir, pinned)
               for number, entry in enumerate(entries, start=1)]
    _check_together(sources, manifest)
    return sources


def _where(number: int, source_id: str | None = None) -> str:
    return f"[[source]] number {number}" + (f", source {source_id!r}" if source_id else "")


def _source_from_entry(entry: object, number: int, manifest: Path, raw_dir: Path,
                       pinned: bool = True) -> Source:
    where = _where(number)
    if not isinstance(entry, dict):
        raise PipelineError(f"{where} is not a table", path=str(manifest))

    def invalid(problem: Invalid) -> PipelineError:
        return PipelineError(f"{where}: {problem.problem}", path=str(manifest), hint=problem.hint)

    values: dict[str, Any] = {}
    for key in KEYS:
        if key.name not in entry or (key.required and entry[key.name] == ""):
            continue  # missing: named below, with every other key missing
        try:
            values[key.name] = key.check(key.name, entry[key.name])
        except Invalid as problem:
            if key.name == "sha256" and not pinned:
                continue  # --update writes it
            raise invalid(problem) from None
        if key.name == "id":
            where = _where(number, values["id"])
    unknown = sorted(set(entry) - {key.name for key in KEYS} - set(TABLES))
    if unknown:
        raise PipelineError(f"{where}: unknown key(s): {', '.join(unknown)}",
                            path=str(manifest),
                            hint=f"known keys: {', '.join(k.name for k in KEYS)}; tables: "
                            + ", ".join(f"[source.{t}]" for t in TABLES))
    missing = [key.name for key in KEYS if key.required and not _given(values.get(key.name))
               and not (key.name == "sha256" and not pinned)]
    if missing:
        hint = ("let `crosswalk sources --update` write the sha256" if missing == ["sha256"]
                else _REDISTRIBUTION_HINT if missing == ["redistribution"]
                else "`crosswalk sources add FILE` writes a whole entry")
        raise PipelineError(f"{where}: lacks {', '.join(missing)}", path=str(manifest), hint=hint)
    _check_inside(raw_dir, values["path"], where, manifest)
    settings = entry.get("settings")
    if values["format"] in PDF_FORMATS:
        settings = settings_table(PdfSettings, settings, manifest, f"{where}: [source.settings]")
    elif settings is not None:
        raise PipelineError(f"{where}: [source.settings] applies only to PDF formats "
                            f"({', '.join(PDF_FORMATS)})", path=str(manifest))
    expect = _expectations(entry.get("expect", {}), where, values["format"], manifest)
    limits = settings_table(Limits, entry.get("limits"), manifest, f"{where}: [source.limits]")
    values.setdefault("sha256", "")
    return Source(**values, settings=settings, expect=expect, limits=limits, raw_dir=raw_dir)


_REDISTRIBUTION_HINT = ("say what the source's permission statement allows: redistribution = "
                        + " or ".join(f'"{value}"' for value in REDISTRIBUTION))


def _given(value: object) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def _check_together(sources: list[Source], manifest: Path) -> None:
    """Ids and files are unique; each published table has at most one primary source."""
    by_id: dict[str, int] = {}
    by_file: dict[Path, tuple[int, Source]] = {}
    primary: dict[str, tuple[int, Source]] = {}
    for number, source in enumerate(sources, start=1):
        where = _where(number, source.id)
        if source.id in by_id:
            raise PipelineError(f"{where}: duplicate id, [[source]] number {by_id[source.id]} "
                                "has it too", path=str(manifest),
                                hint="give each source its own id")
        by_id[source.id] = number
        resolved = (source.raw_dir / source.path).resolve()
        if resolved in by_file:
            other_number, other = by_file[resolved]
            raise PipelineError(
                f"{where}: path {source.path!r} is the file of source {other.id!r} "
                f"([[source]] number {other_number}) too", path=str(manifest),
                hint=f"list each file once: `crosswalk sources remove {source.id}` removes "
                "this entry")
        by_file[resolved] = (number, source)
        source_format = FORMATS[source.format]
        for table in source_format.primary_tables:
            if table not in primary:
                primary[table] = (number, source)
                continue
            other_number, other = primary[table]
            tables = [t for t in source_format.primary_tables
                      if t in FORMATS[other.format].primary_tables]
            document = source_format.document or "such"
            raise PipelineError(
                f"{where}: sources {other.id!r} ({other.format}) and {source.id!r} "
                f"({source.format}) both give the tables {', '.join(tables)}: only one "
                f"{document} source may be listed", path=str(manifest),
                hint=f"to switch {other.id!r} to another file or format, use `crosswalk "
                f"sources replace {other.id} FILE`; else remove one of the two entries")


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
    """Refuse a path that escapes raw/ (a symlink pointing out) or names the manifest."""
    try:
        resolved = (raw_dir / relative).resolve()
    except (OSError, RuntimeError) as error:  # a symlink loop, a name the system refuses
        raise PipelineError(f"{where}: path {relative!r} cannot be resolved ({error})",
                            path=str(manifest)) from None
    if not resolved.is_relative_to(raw_dir.resolve()):
        raise PipelineError(f"{where}: path {relative!r} resolves outside raw/ ({resolved})",
                            path=str(manifest))
    if resolved == manifest.resolve():
        raise PipelineError(f"{where}: path {relative!r} is the manifest itself, not a source",
                            path=str(manifest))


def verify_sources(sources: list[Source]) -> None:
    """Every file exists, is no larger than its limit and has the sha256 the manifest
    pins (the size is checked first: hashing reads the whole file)."""
    for source in sources:
        if not source.file.is_file():
            raise PipelineError(
                f"source {source.id!r} is missing",
                path=str(source.file),
                hint="restore the file or remove its entry with "
                f"`crosswalk sources remove {source.id}`",
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


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None
