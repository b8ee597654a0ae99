"""``datapackage.json``: the Frictionless Data Package (v1) describing the published CSVs.

Everything comes from :mod:`pipeline.metadata` (fields, keys), the source manifest
(``sources``, ``licenses``, ``created``), the maintained data version
(``pipeline/data/release.toml``) and the CSV files themselves (``bytes``, ``hash``, and
which sources a dataset's rows come from). Nothing comes from the clock: ``created`` is
the newest source's year, so two builds from the same ``raw/`` write the same bytes.

Each resource repeats the ``sources`` its rows name in ``source_id`` and the
``licenses`` (by name, the full statement is in the package's list) that govern them, so
a team that takes one dataset sees on what terms its text may be reused.

Profiles: the package says ``"profile": "tabular-data-package"`` and each resource
``"profile": "tabular-data-resource"``. frictionless knows those names and validates
them with its built-in checks; it fetches a JSON Schema over the network only for a
profile given as a URL (or a ``$schema`` URL), which this file never contains. So
``frictionless validate build/datapackage.json`` works offline.

Patterns are written the Table Schema way: XML Schema regexes are implicitly anchored,
so the ``^``/``$`` of the metadata patterns are dropped (frictionless adds them back).
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path

from pipeline.data import RELEASE_TOML
from pipeline.errors import PipelineError
from pipeline.metadata import Field, Table
from pipeline.metadata.files import DATAPACKAGE_NAME, csv_dict_reader
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
    "Model for I/ECMHC competencies, with the corrections made to the source text and the quality issues found. Every row names "
    "its source document (source_id) and line or page."
)
CODE_LICENSE = {
    "name": "MIT",
    "path": "https://opensource.org/licenses/MIT",
    "title": "MIT License: applies to the pipeline code that produced these files, not "
    "to the text of the source documents",
}
#: The CSV dialect actually written by :mod:`pipeline.load.publish`.
CSV_DIALECT = {
    "delimiter": ",",
    "doubleQuote": True,
    "header": True,
    "lineTerminator": "\n",
    "quoteChar": '"',
}


def write_datapackage(
    out_dir: Path, tables_meta: Sequence[Table], sources: Sequence[Source], *,
    version: str | None = None,
) -> Path:
    """Write ``out_dir/datapackage.json`` for the ``<table>.csv`` files already there
    (``version`` None: the one in ``pipeline/data/release.toml``)."""
    descriptor = datapackage_descriptor(out_dir, tables_meta, sources, version=version)
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
    descriptor: dict = {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": PACKAGE_TITLE,
        "description": PACKAGE_DESCRIPTION,
        "version": version,
    }
    created = created_from_sources(sources)
    if created:
        descriptor["created"] = created
    descriptor["licenses"] = licenses(sources)
    descriptor["sources"] = [source_entry(source) for source in sources]
    descriptor["resources"] = [
        resource(out_dir, table, names, sources) for table in tables_meta
    ]
    return descriptor


def release_version(path: Path | None = None) -> str:
    """The data version maintained in ``release.toml`` (``version = "1.0.0"``)."""
    path = RELEASE_TOML if path is None else path
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise PipelineError(f"cannot read the data version: {error}", path=str(path),
                            hint='it holds one line: version = "MAJOR.MINOR.PATCH"') from None
    version = data.get("version")
    if not isinstance(version, str) or not _SEMVER.match(version):
        raise PipelineError(f"version {version!r} is not MAJOR.MINOR.PATCH", path=str(path))
    return version


def created_from_sources(sources: Sequence[Source]) -> str | None:
    """The newest source year as an ISO 8601 datetime (not the clock: builds repeat).

    >>> from types import SimpleNamespace as S
    >>> created_from_sources([S(year=2019), S(year=None), S(year=2023)])
    '2023-01-01T00:00:00Z'
    >>> created_from_sources([S(year=None)]) is None
    True
    """
    years = [source.year for source in sources if source.year]
    return f"{max(years):04d}-01-01T00:00:00Z" if years else None


def licenses(sources: Sequence[Source]) -> list[dict]:
    """The code licence, then one entry per source document saying on what terms its
    text may be reused: the data are derived from copyrighted documents and no open
    licence covers them."""
    entries = [dict(CODE_LICENSE)]
    for source in sources:
        statement = " ".join(part for part in (source.copyright, source.permission) if part)
        entries.append(
            {
                "name": f"LicenseRef-{source.id}",
                "title": f"Data derived from a copyrighted document ({source.id}), "
                f"not openly licensed. {statement}",
            }
        )
    return entries


def source_entry(source: Source) -> dict:
    """A Data Package ``sources`` item (``path`` is relative to the repository root)."""
    entry = {
        "title": source.title,
        "path": f"raw/{source.path}",
        "description": source.citation,
        "id": source.id,
        "publisher": source.publisher,
    }
    if source.year:
        entry["year"] = source.year
    if source.copyright:
        entry["copyright"] = source.copyright
    entry["permission"] = source.permission
    return entry


def resource(out_dir: Path, table: Table, package_tables: set[str],
             sources: Sequence[Source] = ()) -> dict:
    """The resource for ``<table>.csv``, with its size and sha256 read from the file, and
    the sources (and their licences) its rows name."""
    path = out_dir / f"{table.name}.csv"
    if not path.is_file():
        raise PipelineError(
            f"cannot describe {table.name!r}: its CSV is missing",
            path=str(path),
            hint="write the tables (publish_tables) before the data package",
        )
    data = path.read_bytes()
    used = source_ids(data)
    named = [source for source in sources if source.id in used]
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
        entry["sources"] = [{"title": s.title, "path": f"raw/{s.path}", "id": s.id}
                            for s in named]
        entry["licenses"] = [{"name": f"LicenseRef-{s.id}"} for s in named]
    return entry


def source_ids(csv_bytes: bytes) -> set[str]:
    """The values of the ``source_id`` column of a published CSV.

    >>> sorted(source_ids(b"a,source_id\\n1,x\\n2,y\\n3,x\\n"))
    ['x', 'y']
    >>> source_ids(b"a\\n1\\n")
    set()
    """
    reader = csv_dict_reader(csv_bytes.decode("utf-8"))
    return {row["source_id"] for row in reader if row.get("source_id")}


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
