"""``datapackage.json``: the Frictionless Data Package (v1) describing the published files.

Everything comes from :mod:`pipeline.metadata` (fields, keys, what a profile withheld),
the source manifest (``sources``, ``licenses``), the maintained data version and release
date (``pipeline/data/release.toml``) and the files themselves (``bytes``, ``hash``, and
which sources a dataset's rows come from). Nothing comes from the clock: ``created`` is
the release date declared in ``release.toml`` (left out when none is declared), so two
builds from the same ``raw/`` write the same bytes.

What it says, and where:

* every published file with its size and sha256: each dataset's CSV is a resource
  (``bytes``, ``hash``); its JSON and Parquet renditions are listed in the package's
  ``x_alternates`` (``resource``, ``path``, ``format``, ``mediatype``, ``bytes``,
  ``hash``), and the files made from all datasets (the SQLite database, the workbook:
  :mod:`pipeline.load.exports`) in its ``x_files`` (the same keys, and a description);
* ``sources``: every document with its citation, publisher, copyright, permission
  statement, what that statement allows (``redistribution``), its sha256 (``hash``), the
  path of the file in the repository (``repository_path``: ``raw/<file>``, relative to
  the repository root, not to this file) and, where the manifest knows it, its address
  (``path`` and ``url``). No ``path`` leads nowhere beside a build folder;
* ``licenses``: the terms of the data, one ``LicenseRef-<id>`` per document (no open
  licence covers them). The code's MIT licence is not among them: ``x_code_license``;
* each resource names the ``sources`` its values come from — those its rows name in
  ``source_id`` (role ``rows``) and the witnesses whose records were compared with its
  rows and may have replaced damaged cells (role ``witness``, e.g. the web rendition of
  the crosswalk; :attr:`pipeline.formats.SourceFormat.witness_of`) — and the
  ``licenses`` that govern them, so a team that takes one dataset sees on what terms its
  text may be reused;
* ``x_withheld``: the cells the build's profile left null because a source's terms do
  not allow redistributing its text, ``{resource, column, source_id, redistribution,
  rows, reason}`` each (empty for the full profile); each such resource and column says
  so in its description too.

Profiles: the package says ``"profile": "tabular-data-package"`` and each resource
``"profile": "tabular-data-resource"``. frictionless knows those names and validates
them with its built-in checks; it fetches a JSON Schema over the network only for a
profile given as a URL (or a ``$schema`` URL), which this file never contains. So
``frictionless validate build/datapackage.json`` works offline.

Patterns are written the Table Schema way: XML Schema regexes are implicitly anchored,
so the ``^``/``$`` of the metadata patterns are dropped (frictionless adds them back).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import tomllib
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from pipeline.data import RELEASE_TOML
from pipeline.errors import PipelineError
from pipeline.formats import FORMATS
from pipeline.load.exports import EXPORTS_PROPERTY, exports_entry
from pipeline.metadata import Field, Table
from pipeline.metadata.files import DATAPACKAGE_NAME, csv_dict_reader
from pipeline.metadata.profiles import AUDIT_DATASET
from pipeline.sources import Source

#: The maintained data version: major = contract change, minor = rows added or removed,
#: patch = text corrections only (see CHANGELOG.md and `crosswalk changelog`).
_SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
PACKAGE_NAME = "iecmh-crosswalk"
PACKAGE_TITLE = "IECMH competency crosswalk: CoE IECMH Consultation competencies and the " \
    "Endorsement competencies, as open tables"
PACKAGE_DESCRIPTION = (
    "Tables extracted from the crosswalk between the Competency Guidelines for "
    "Endorsement and the Center of Excellence IECMH Consultation competencies, and from "
    "the related CT-AIMH Infant Mental Health Mentor (Level IV) guidelines and the Illinois "
    "Model for I/ECMHC competencies, with the corrections made to the source text and the "
    "quality issues found. Every row names its source document (source_id) and line or "
    "page. The data carry the terms of the documents they come from (licenses, one per "
    "document); the MIT licence of the code that made them (x_code_license) does not "
    "cover them."
)
WITHHELD_DESCRIPTION = (
    " Text of the documents whose terms do not allow redistributing it is withheld: those "
    "cells are null, the rows, codes and pointers to the source are kept (x_withheld "
    "lists them; a build with --profile full has them)."
)
CODE_LICENSE = {
    "name": "MIT",
    "path": "https://opensource.org/licenses/MIT",
    "title": "MIT License: applies to the pipeline code that produced these files (LICENSE "
    "in the repository), not to the data or the text of the source documents",
}
#: The CSV dialect actually written by :mod:`pipeline.load.publish`.
CSV_DIALECT = {
    "delimiter": ",",
    "doubleQuote": True,
    "header": True,
    "lineTerminator": "\n",
    "quoteChar": '"',
}
#: The other renditions of each dataset's CSV: (suffix, format, media type).
ALTERNATES = (
    (".json", "json", "application/json"),
    (".parquet", "parquet", "application/vnd.apache.parquet"),
)


def write_datapackage(
    out_dir: Path, tables_meta: Sequence[Table], sources: Sequence[Source], *,
    version: str | None = None, described: Mapping | None = None,
) -> Path:
    """Write ``out_dir/datapackage.json`` for the ``<table>.csv`` files already there
    (``version`` None: the one in ``pipeline/data/release.toml``).

    ``described``: the descriptor :func:`datapackage_descriptor` made of the same tables
    and sources after their files were written; only its list of the exported files
    (``x_files``) is made again, as the files made from all datasets may have been
    written since, so that no dataset file is read and hashed twice."""
    if described is None:
        descriptor = datapackage_descriptor(out_dir, tables_meta, sources, version=version)
    else:
        descriptor = {key: value for key, value in described.items()
                      if key != EXPORTS_PROPERTY}
        descriptor.update(exports_entry(out_dir))
    path = out_dir / DATAPACKAGE_NAME
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n")
    return path


def datapackage_descriptor(
    out_dir: Path, tables_meta: Sequence[Table], sources: Sequence[Source], *,
    version: str | None = None,
) -> dict:
    """The descriptor as a dict, keys in a fixed order."""
    names = {table.name for table in tables_meta}
    version = release_version() if version is None else version
    withheld = [entry.as_dict() for table in tables_meta
                for entry in getattr(table, "withheld", ())]
    descriptor: dict = {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": PACKAGE_TITLE,
        "description": PACKAGE_DESCRIPTION + (WITHHELD_DESCRIPTION if withheld else ""),
        "version": version,
    }
    released = release_date()
    if released:
        descriptor["created"] = f"{released}T00:00:00Z"
    descriptor["licenses"] = licenses(sources)
    descriptor["x_code_license"] = dict(CODE_LICENSE)
    descriptor["sources"] = [source_entry(source) for source in sources]
    descriptor["x_withheld"] = withheld
    descriptor["resources"] = [
        resource(out_dir, table, names, sources) for table in tables_meta
    ]
    descriptor["x_alternates"] = [entry for table in tables_meta
                                  for entry in alternates(out_dir, table)]
    descriptor.update(exports_entry(out_dir))  # crosswalk.sqlite, .xlsx: x_files
    return descriptor


def _release_data(path: Path | None) -> tuple[Path, dict]:
    path = RELEASE_TOML if path is None else path
    try:
        return path, tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise PipelineError(f"cannot read the data version: {error}", path=str(path),
                            hint='it holds version = "MAJOR.MINOR.PATCH" and released = '
                            '"YYYY-MM-DD"') from None


def release_version(path: Path | None = None) -> str:
    """The data version maintained in ``release.toml`` (``version = "1.0.0"``)."""
    path, data = _release_data(path)
    version = data.get("version")
    if not isinstance(version, str) or not _SEMVER.match(version):
        raise PipelineError(f"version {version!r} is not MAJOR.MINOR.PATCH", path=str(path))
    return version


def release_date(path: Path | None = None) -> str | None:
    """The date the data version was released (``released = "2026-12-01"`` in
    ``release.toml``), or None when none is declared; ``crosswalk release --date`` sets it."""
    path, data = _release_data(path)
    released = data.get("released")
    if released is None:
        return None
    if isinstance(released, datetime.date) and not isinstance(released, datetime.datetime):
        return released.isoformat()  # a TOML date written without quotes
    try:
        if isinstance(released, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", released):
            return datetime.date.fromisoformat(released).isoformat()
    except ValueError:
        pass
    raise PipelineError(f"released {released!r} is not a date YYYY-MM-DD", path=str(path),
                        hint='write the release date, e.g. released = "2026-12-01"')


def licenses(sources: Sequence[Source]) -> list[dict]:
    """One entry per source document saying on what terms its text may be reused: the
    data are derived from copyrighted documents and no open licence covers them (the
    code's licence is :data:`CODE_LICENSE`, not one of these)."""
    entries = []
    for source in sources:
        statement = " ".join(part for part in (source.copyright, source.permission) if part)
        entries.append(
            {
                "name": license_name(source),
                "title": f"Data derived from a copyrighted document ({source.id}), "
                f"not openly licensed. {statement}",
            }
        )
    return entries


def license_name(source: Source) -> str:
    return f"LicenseRef-{source.id}"


def source_entry(source: Source) -> dict:
    """A Data Package ``sources`` item. ``path`` only when the document's address is
    known; the file in the repository is ``repository_path`` (relative to the repository
    root: a build folder may be anywhere)."""
    entry = {"title": source.title}
    if source.url:
        entry["path"] = source.url
    entry.update({
        "description": source.citation,
        "id": source.id,
        "publisher": source.publisher,
    })
    if source.year:
        entry["year"] = source.year
    if source.copyright:
        entry["copyright"] = source.copyright
    entry["permission"] = source.permission
    entry["redistribution"] = source.redistribution
    if source.url:
        entry["url"] = source.url
    entry["repository_path"] = f"raw/{source.path}"
    entry["hash"] = f"sha256:{source.sha256}"
    scanned = ocr_pages_of(source)
    if scanned:
        entry["x_ocr_pages"] = scanned
    return entry


def ocr_pages_of(source: Source) -> list[int]:
    """The pages of a PDF source that are only an image, which the build read by OCR
    (docs/ocr.md); none for a text source or a PDF with a text layer throughout."""
    if source.settings is None or not source.file.is_file():
        return []
    return list(_scanned_pages(source.file, source.sha256, source.settings))


@lru_cache(maxsize=16)
def _scanned_pages(path: Path, sha256: str, settings) -> tuple[int, ...]:
    """Remembered by the file's hash: the descriptor is made twice per build."""
    import pypdfium2

    from pipeline.extract import scanned_pages

    try:
        document = pypdfium2.PdfDocument(path, password=settings.password or None)
        count = len(document)
        document.close()
        return tuple(scanned_pages(path, settings.page_numbers(count), settings.password))
    except Exception:  # not readable here: the extract stage has said why
        return ()


def file_entry(path: Path, file_format: str, mediatype: str) -> dict:
    """A published file beside ``datapackage.json``: its name, format, media type, size
    and sha256, read from the file."""
    data = path.read_bytes()
    return {"path": path.name, "format": file_format, "mediatype": mediatype,
            "bytes": len(data), "hash": f"sha256:{hashlib.sha256(data).hexdigest()}"}


def alternates(out_dir: Path, table: Table) -> list[dict]:
    """The JSON and Parquet files of ``table`` (those written), each with the resource
    whose rows it holds. They are listed on the package, not on the resource: a resource's
    own properties are its contract (``crosswalk diff`` reads a change there as one)."""
    return [{"resource": table.name, **file_entry(path, file_format, mediatype)}
            for suffix, file_format, mediatype in ALTERNATES
            if (path := out_dir / f"{table.name}{suffix}").is_file()]


def resource(out_dir: Path, table: Table, package_tables: set[str],
             sources: Sequence[Source] = ()) -> dict:
    """The resource for ``<table>.csv``, with its size and sha256 read from the file, and
    the sources (and their licences) of its values."""
    path = out_dir / f"{table.name}.csv"
    if not path.is_file():
        raise PipelineError(
            f"cannot describe {table.name!r}: its CSV is missing",
            path=str(path),
            hint="write the tables (publish_tables) before the data package",
        )
    data = path.read_bytes()
    named = sources_of_values(table.name, data, sources)
    entry = {
        "name": table.name,
        "path": path.name,
        "profile": "tabular-data-resource",
        "title": table.title,
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
        "dialect": dict(CSV_DIALECT),
        "schema": table_schema(table, package_tables),
    }
    if named:
        entry["sources"] = [{"title": s.title, "id": s.id, "role": role}
                            for s, role in named]
        entry["licenses"] = [{"name": license_name(s)} for s, _ in named]
    return entry


def sources_of_values(table: str, csv_bytes: bytes,
                      sources: Sequence[Source]) -> list[tuple[Source, str]]:
    """The sources the values of ``table`` come from, in manifest order, each with its
    role: ``rows`` (named in ``source_id``) or ``witness`` (its records were compared
    with the rows of a table it witnesses, and may have replaced damaged cells). An audit
    log's rows about a witnessed dataset name the witness too (a repair quotes it)."""
    reader = csv_dict_reader(csv_bytes.decode("utf-8"))
    used: set[str] = set()
    about: set[str] = {table}
    for row in reader:
        if row.get("source_id"):
            used.add(row["source_id"])
        if row.get(AUDIT_DATASET):
            about.add(row[AUDIT_DATASET])
    primaries = {s.format for s in sources if s.id in used}
    named = []
    for source in sources:
        witnessed = set(FORMATS[source.format].witness_of) & about
        if source.id in used:
            named.append((source, "rows"))
        elif witnessed and (table not in witnessed or any(
                table in FORMATS[p].primary_tables for p in primaries)):
            named.append((source, "witness"))
    return named


def table_schema(table: Table, package_tables: set[str]) -> dict:
    """The Table Schema of a table. Foreign keys to a table left out of the package are
    left out too (frictionless would fail on a reference to a missing resource)."""
    schema: dict = {"fields": [field_descriptor(field) for field in table.fields]}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    foreign_keys = [
        {
            "fields": list(fk.fields),
            "reference": {"resource": fk.table, "fields": list(fk.reference)},
        }
        for fk in table.foreign_keys
        if fk.table in package_tables
    ]
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    schema["missingValues"] = [""]
    return schema


def field_descriptor(field: Field) -> dict:
    """One Table Schema field; booleans are written ``true``/``false`` (the defaults)."""
    constraints: dict = {"required": field.required}
    if field.enum is not None:
        constraints["enum"] = list(field.enum)
    if field.pattern is not None:
        constraints["pattern"] = table_schema_pattern(field.pattern)
    if field.minimum is not None:
        constraints["minimum"] = field.minimum
    if field.maximum is not None:
        constraints["maximum"] = field.maximum
    return {
        "name": field.name,
        "type": field.type,
        "description": field.description,
        "constraints": constraints,
    }


def table_schema_pattern(pattern: str) -> str:
    """A Python regex anchored with ``^``/``$`` as an (implicitly anchored) Table Schema
    pattern.

    >>> table_schema_pattern(r"^[1-8][A-H]\\.\\d{1,2}$")
    '[1-8][A-H]\\\\.\\\\d{1,2}'
    >>> table_schema_pattern("(IFA|IFS)(;(IFA|IFS))*")
    '(IFA|IFS)(;(IFA|IFS))*'
    """
    if pattern.startswith("^"):
        pattern = pattern[1:]
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1]
    return pattern
