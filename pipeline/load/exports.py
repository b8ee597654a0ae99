"""The files made from the published datasets for other tools and for people: the SQLite
database (with its datasette metadata), the Excel workbook and the explorer page
(``site/index.html``, :mod:`pipeline.load.site`).

:func:`write_exports` writes them after the CSV, JSON and Parquet files and before
``datapackage.json``, which lists them with :func:`exports_entry` — not as resources (a
Frictionless resource is one table, and ``frictionless validate`` would try to read
these files as tables), but under the package's own property ``x_files``: path, format,
media type, bytes, sha256 and what the file is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path

from pipeline.load.site import SITE_NAME, write_site
from pipeline.load.sqlite import DATASETTE_METADATA_NAME, SQLITE_NAME, write_sqlite
from pipeline.load.workbook import WORKBOOK_NAME, write_workbook
from pipeline.metadata import Table

#: The top-level ``datapackage.json`` property that lists the exported files.
EXPORTS_PROPERTY = "x_files"
#: (path in the build folder, format, media type, description), in the order they are
#: listed. A path may be in a subfolder (``site/index.html``): the atomic swap moves
#: subfolders too (:mod:`pipeline.load.atomic`).
EXPORTS = (
    (SQLITE_NAME, "sqlite", "application/vnd.sqlite3",
     ("Every dataset as a table of one SQLite database: the contract's column types, "
      "primary and foreign keys, indexes, full-text search (FTS5) on the text columns, "
      "column descriptions (_columns), sources (_sources) and views. Open it with "
      "`sqlite3`, or `datasette crosswalk.sqlite -m crosswalk.metadata.json`.")),
    (DATASETTE_METADATA_NAME, "json", "application/json",
     "datasette metadata for crosswalk.sqlite: titles, descriptions, column descriptions."),
    (WORKBOOK_NAME, "xlsx",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     ("Every dataset as a sheet of one Excel workbook with typed cells, after an About "
      "sheet (sources and licences) and a Data dictionary sheet.")),
    (SITE_NAME, "html", "text/html",
     ("The explorer: one self-contained web page (style, script and every dataset "
      "inlined; no network) to search and browse the competencies, their mappings, the "
      "Endorsement areas, the CT-AIMH and Illinois competencies, what changed in this "
      "version, and the sources and their terms. Open it in a browser from disk, or copy "
      "it to any static host.")),
)


def write_exports(
    out_dir: Path,
    rows: Mapping[str, Sequence[Sequence[object]]],
    contract: Sequence[Table],
    descriptor: Mapping,
) -> list[Path]:
    """Write the database, its datasette metadata, the workbook and the explorer page;
    return their paths.

    ``rows[name]``: each table's rows as plain Python values in contract column order,
    sorted (:func:`pipeline.load.publish.records`); ``descriptor``: the data package
    descriptor of the datasets (title, version, created, sources, licences).
    """
    return [*write_sqlite(out_dir, rows, contract, descriptor),
            write_workbook(out_dir, rows, contract, descriptor),
            write_site(out_dir, rows, contract, descriptor)]


def exports_entry(out_dir: Path) -> dict:
    """``{"x_files": [...]}`` for the exported files in ``out_dir`` (``{}`` when there
    are none), each with its size and sha256 read from the file."""
    entries = []
    for name, file_format, mediatype, description in EXPORTS:
        path = out_dir / name
        if not path.is_file():
            continue
        data = path.read_bytes()
        entries.append({
            "path": name,
            "format": file_format,
            "mediatype": mediatype,
            "bytes": len(data),
            "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
            "description": description,
        })
    return {EXPORTS_PROPERTY: entries} if entries else {}
