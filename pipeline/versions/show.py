"""Any published file as stable, sorted text: one row per line, for eyes and for git.

``crosswalk show build/crosswalk.parquet`` prints each row as one line of JSON (columns
in the contract's order, rows in key order, natural: ``1A.2`` before ``1A.10``). The same
rows as CSV, JSON or Parquet print the same lines, so git can diff a Parquet file as
text when this is its ``textconv`` driver (docs/maintainers.md, "Diffs of build/ in git")::

    # .gitattributes:  build/*.parquet diff=crosswalk
    git config diff.crosswalk.textconv ".venv/bin/crosswalk show"

A JSON object that is not a table (``datapackage.json``) prints as JSON with sorted keys.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.codes import natural_sort_key
from pipeline.errors import PipelineError
from pipeline.metadata import TABLES, Table
from pipeline.metadata.files import DATASET_SUFFIXES
from pipeline.versions.builds import csv_rows


def table_for(path: Path) -> Table | None:
    """The contract table a file holds, from its name: ``crosswalk.csv``, or a temporary
    copy git makes for ``textconv`` (a random prefix, ``a1B2c3_crosswalk.parquet``).

    >>> table_for(Path("/tmp/a1B2c3_crosswalk.parquet")).name
    'crosswalk'
    >>> table_for(Path("notes.csv")) is None
    True
    """
    stem = path.name.rsplit(".", 1)[0]
    candidates = [t for n, t in TABLES.items() if stem == n or stem.endswith(f"_{n}")]
    # The longest name wins, should one table's name ever end another's.
    return max(candidates, key=lambda t: len(t.name)) if candidates else None


def show_file(path: Path) -> str:
    """The text of ``path`` (CSV, JSON or Parquet), one row per line, sorted."""
    suffix = path.suffix.lower()
    if suffix not in DATASET_SUFFIXES:
        raise PipelineError(f"cannot show a {suffix or 'suffix-less'} file", path=str(path),
                            hint=f"give a published {', '.join(DATASET_SUFFIXES)} file")
    if not path.is_file():
        raise PipelineError("no such file", path=str(path))
    table = table_for(path)
    if suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, list):
            return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        rows = data
    elif suffix == ".csv":
        text = path.read_text(encoding="utf-8")
        fields = [{"name": f.name, "type": f.type} for f in table.fields] if table else []
        rows = csv_rows(text, fields)
    else:
        import pyarrow.parquet as pq  # only for Parquet: a costly import

        rows = pq.read_table(path).to_pylist()
    return show_rows(rows, table)


def show_rows(rows: list[dict], table: Table | None = None) -> str:
    """Rows as JSON lines: columns in the table's order (else as found), sorted by the
    table's order (key), the other columns breaking ties.

    >>> print(show_rows([{"n": "1A.10", "x": None}, {"n": "1A.2", "x": 1}]), end="")
    {"n": "1A.2", "x": 1}
    {"n": "1A.10", "x": null}
    """
    if not rows:
        return ""
    found = list(dict.fromkeys(column for row in rows for column in row))
    columns = found
    order: list[str] = []
    if table is not None:
        columns = [c for c in table.column_names if c in found] + \
            [c for c in found if c not in table.column_names]
        order = [c for c in table.order if c in found]
    order += [c for c in columns if c not in order]
    ordered = sorted(rows, key=lambda r: tuple(natural_sort_key(r.get(c)) for c in order))
    return "".join(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n"
                   for row in ordered)
