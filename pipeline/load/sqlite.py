"""``crosswalk.sqlite``: every published dataset as a table of one SQLite database.

Written with Python's ``sqlite3`` from the rows :mod:`pipeline.load.publish` has already
typed and sorted, and from the contract (:mod:`pipeline.metadata`), so a table or a column added
there appears here without a change to this module:

* one table per dataset, its columns typed ``TEXT`` or ``INTEGER`` (a boolean is an
  ``INTEGER`` 0 or 1, as SQLite has no boolean), ``NOT NULL`` where the contract requires a
  value, the primary key and the foreign keys of the contract (a foreign key to a dataset
  the build leaves out, or to columns that are no longer its key, is left out);
* an index on every foreign-key column (unless a key's own index starts with it) and a
  unique index on a key that may hold nulls (``endorsement_index``);
* full-text search (FTS5, Porter stemming: ``reflective`` finds ``reflection`` too) on the
  free text of each dataset, ``<table>_fts`` — the columns the contract marks ``verbatim``
  (:func:`fts_columns`), so a codes-only build has none;
* ``_tables``, ``_columns`` (every column's type and description) and ``_sources`` (each
  document's citation, copyright and permission), so the contract travels with the data;
* views that join the datasets the way they are used (:data:`VIEWS`:
  ``competency_mappings``, ``endorsement_area_competencies``,
  ``endorsement_index_competencies``), each created only when the columns it needs are
  published.

``crosswalk.metadata.json`` beside it gives datasette (``datasette crosswalk.sqlite -m
crosswalk.metadata.json``) the titles, descriptions and column descriptions.

Byte-stable: rows go in in key order, nothing depends on the clock, and the file is
written to a temporary name, ``VACUUM``-ed (which rewrites every page in a fixed order)
and then moved into place, so two builds give identical bytes — for a given SQLite library,
whose version the file header records. The statements are those sqlite-utils (which wrote
the database before) ran, spelled and committed as it did them, so the file is the one
it wrote, byte for byte; sqlite-utils itself is not needed (nor its import time).
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.metadata import ForeignKey, Table

SQLITE_NAME = "crosswalk.sqlite"
DATASETTE_METADATA_NAME = "crosswalk.metadata.json"
#: The database's name in datasette: the file name without its suffix.
DATABASE = Path(SQLITE_NAME).stem
_SQLITE_TYPES = {"string": "TEXT", "integer": "INTEGER", "boolean": "INTEGER"}
#: Porter stemming over the default unicode61 tokenizer (case and diacritics folded).
FTS_TOKENIZE = "porter"
#: Page size fixed, so the file does not follow a library's default.
_PAGE_SIZE = 4096
#: Rows go in by batches, a transaction each (see _fill): at most 999 values, and 1,000
#: rows of a dataset or 100 of the tables that describe them.
_BATCH_VALUES = 999
_DATASET_BATCH = 1000
_DESCRIPTION_BATCH = 100


def fts_columns(table: Table) -> tuple[str, ...]:
    """The free-text columns of ``table`` that get a full-text index: the columns the
    contract marks ``verbatim`` (the documents' own text), in contract order.

    >>> from pipeline.metadata import CROSSWALK, COE_DOMAINS
    >>> fts_columns(CROSSWALK)
    ('coe_category', 'coe_competency', 'endorsement_area', 'demonstrated_by')
    >>> fts_columns(COE_DOMAINS)
    ('description',)
    """
    return tuple(f.name for f in table.fields if f.verbatim)


@dataclass(frozen=True)
class View:
    """A view over published tables, created when the columns it needs are published.

    ``select`` items are ``alias.column`` (optionally ``… AS name``) or expressions; an
    ``alias.column`` item whose column the build does not publish is left out of the
    select list, so a codes-only build gets the view without its text columns. ``needs``
    lists the ``alias.column`` items without which the view means nothing (join keys,
    grouping columns).
    """

    name: str
    description: str
    tables: Mapping[str, str]  # alias -> table
    needs: tuple[str, ...]
    select: tuple[str, ...]
    body: str  # FROM … [WHERE …] [GROUP BY …] ORDER BY …


VIEWS = (
    View(
        "competency_mappings",
        "Each CoE competency with all its mapping rows in the crosswalk (one row per "
        "mapping row; a competency unique to the CoE has its one row with "
        "alignment 'unique' and no Endorsement area), in code order.",
        {"c": "coe_competencies", "x": "crosswalk"},
        needs=("c.coe_code", "x.coe_code", "x.mapping_seq"),
        select=("c.coe_code", "c.domain_number", "x.coe_domain", "c.category_code",
                "x.coe_category", "c.competency_text", "c.priority AS competency_priority",
                "c.priority_note", "x.mapping_seq", "x.mapping_priority",
                "x.alignment", "x.endorsement_domain", "x.endorsement_area", "x.area_id",
                "x.endorsement_level", "x.demonstrated_by"),
        body="FROM coe_competencies AS c LEFT JOIN crosswalk AS x ON x.coe_code = c.coe_code "
        "ORDER BY c.rowid, x.mapping_seq",
    ),
    # Two ways to one view: through endorsement_areas (each area once, whatever its
    # spelling) where the build has it, else by the crosswalk's own spelling of the area.
    View(
        "endorsement_area_competencies",
        "Each Endorsement area, with the CoE competencies the crosswalk maps to it: their "
        "number, their codes (in code order) and the Endorsement levels named.",
        {"a": "endorsement_areas", "x": "crosswalk"},
        needs=("a.area_id", "x.area_id", "x.coe_code", "x.endorsement_level"),
        select=("a.area_id", "a.endorsement_domain", "a.endorsement_area",
                "group_concat(DISTINCT x.endorsement_level) AS endorsement_levels",
                "count(DISTINCT x.coe_code) AS competencies",
                # Code order is the crosswalk's row order (rows go in in key order); a
                # DISTINCT inside group_concat keeps no order once the planner indexes
                # the join, so the codes are listed by a subquery that orders them.
                "(SELECT group_concat(coe_code) FROM (SELECT coe_code FROM crosswalk "
                "WHERE area_id = a.area_id GROUP BY coe_code ORDER BY min(rowid))) "
                "AS coe_codes"),
        body="FROM endorsement_areas AS a LEFT JOIN crosswalk AS x ON x.area_id = a.area_id "
        "GROUP BY a.area_id ORDER BY min(a.rowid)",
    ),
    View(
        "endorsement_area_competencies",
        "Each Endorsement domain and area the crosswalk maps to, with the CoE competencies "
        "that map to it: their number, their codes (in code order) and the Endorsement "
        "levels named.",
        {"x": "crosswalk"},
        needs=("x.endorsement_domain", "x.endorsement_area", "x.endorsement_level",
               "x.coe_code"),
        select=("x.endorsement_domain", "x.endorsement_area",
                "group_concat(DISTINCT x.endorsement_level) AS endorsement_levels",
                "count(DISTINCT x.coe_code) AS competencies",
                "(SELECT group_concat(coe_code) FROM (SELECT coe_code FROM crosswalk "
                "WHERE endorsement_domain = x.endorsement_domain AND endorsement_area = "
                "x.endorsement_area GROUP BY coe_code ORDER BY min(rowid))) AS coe_codes"),
        body="FROM crosswalk AS x WHERE x.endorsement_area IS NOT NULL "
        "GROUP BY x.endorsement_domain, x.endorsement_area "
        "ORDER BY x.endorsement_domain, x.endorsement_area",
    ),
    View(
        "endorsement_index_competencies",
        "The reverse table (endorsement_index) with the text of each CoE competency it "
        "names, in the order of the reverse table.",
        {"i": "endorsement_index", "c": "coe_competencies"},
        needs=("i.coe_code", "c.coe_code"),
        select=("i.endorsement_domain", "i.endorsement_area", "i.area_id",
                "i.endorsement_levels", "i.designation", "i.unique_to_alliance", "i.coe_code",
                "c.competency_text", "c.priority"),
        body="FROM endorsement_index AS i LEFT JOIN coe_competencies AS c "
        "ON c.coe_code = i.coe_code ORDER BY i.rowid",
    ),
)


def write_sqlite(
    out_dir: Path,
    rows: Mapping[str, Sequence[Sequence[object]]],
    contract: Sequence[Table],
    descriptor: Mapping,
) -> list[Path]:
    """Write ``crosswalk.sqlite`` and ``crosswalk.metadata.json`` into ``out_dir``.

    ``rows[name]`` are the rows of each table of ``contract`` as plain Python values in
    contract column order, already sorted (:func:`pipeline.load.publish.records`);
    ``descriptor`` is the data package descriptor (title, sources, licences). Returns the
    two paths written.
    """
    path = out_dir / SQLITE_NAME
    handle, temporary = tempfile.mkstemp(prefix=f".{SQLITE_NAME}.", dir=out_dir)
    os.close(handle)
    try:
        os.unlink(temporary)  # sqlite makes the file itself (page size first)
        _fill(Path(temporary), rows, contract, descriptor)
        os.replace(temporary, path)
    finally:
        for leftover in (temporary, f"{temporary}-journal"):
            if os.path.exists(leftover):
                os.unlink(leftover)
    metadata = out_dir / DATASETTE_METADATA_NAME
    with metadata.open("w", encoding="utf-8", newline="") as out:
        out.write(json.dumps(datasette_metadata(contract, descriptor), ensure_ascii=False,
                             indent=2) + "\n")
    return [path, metadata]


def datasette_metadata(contract: Sequence[Table], descriptor: Mapping) -> dict:
    """datasette's metadata for the database: package title and description, the
    licence note, and per table and view its title, description and column descriptions."""
    tables: dict[str, dict] = {}
    for table in contract:
        tables[table.name] = {
            "title": table.title,
            "description": table.description,
            "columns": {f.name: f.description for f in table.fields},
        }
    for view, _ in views_for({t.name: t for t in contract}):
        tables[view.name] = {"description": view.description}
    tables["_tables"] = {"description": "The published datasets: title, description, key."}
    tables["_columns"] = {"description": "Every column of every dataset: its contract type "
                          "(string, integer, boolean), whether it is required, its "
                          "description."}
    tables["_sources"] = {"description": "The source documents: citation, copyright and "
                          "the permission under which their text may be reused."}
    return {
        "title": descriptor.get("title", ""),
        "description": descriptor.get("description", ""),
        "license": _licence_note(descriptor),
        "databases": {DATABASE: {"tables": tables}},
    }


# --- helpers -----------------------------------------------------------------------------


def _fill(path: Path, rows: Mapping[str, Sequence[Sequence[object]]],
          contract: Sequence[Table], descriptor: Mapping) -> None:
    # Autocommit: each statement is its own transaction, rows go in by batches (see
    # _insert). That is how sqlite-utils, which wrote this database before, committed, and
    # the file header counts the transactions: the bytes stay the same as it wrote them.
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute(f"PRAGMA page_size = {_PAGE_SIZE}")
        # A temporary file, moved into place only when complete: no journal needed.
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        # VACUUM rebuilds the database in a temporary one: in memory, not in a file.
        connection.execute("PRAGMA temp_store = MEMORY")
        published = {table.name: table for table in contract}
        for table in _parents_first(contract):
            connection.execute(_create_table_sql(table, published))
            _insert(connection, table.name, table.column_names, rows.get(table.name, ()))
            for sql in _index_sql(table, published):
                connection.execute(sql)
        _contract_tables(connection, contract, rows)
        _sources_table(connection, descriptor)
        for view, sql in views_for(published):
            connection.execute(f"CREATE VIEW {_quote(view.name)} AS {sql}")
        for table in contract:
            for sql in _fts_sql(table):
                connection.execute(sql)
        connection.execute("VACUUM")
    finally:
        connection.close()


def _parents_first(contract: Sequence[Table]) -> list[Table]:
    """The tables in contract order, a table after those its foreign keys reference."""
    names = {table.name for table in contract}
    done: list[Table] = []
    waiting = list(contract)
    while waiting:
        ready = [t for t in waiting
                 if all(fk.table in {d.name for d in done} or fk.table == t.name
                        or fk.table not in names for fk in t.foreign_keys)]
        if not ready:  # a circle of references: keep the contract's order
            ready = waiting[:1]
        done.append(ready[0])
        waiting.remove(ready[0])
    return done


def _create_table_sql(table: Table, published: Mapping[str, Table]) -> str:
    """The table's ``CREATE TABLE``, spelled as sqlite-utils (which wrote the database
    before) spells it, so the schema SQLite stores, and so the file, stay the same."""
    return _table_sql(
        table.name,
        [(f.name, _SQLITE_TYPES[f.type]) for f in table.fields],
        primary_key=table.primary_key,
        not_null={f.name for f in table.fields if f.required},
        foreign_keys=[(fk.fields, fk.table, fk.reference)
                      for fk in table.foreign_keys if _referable(fk, published)],
    )


def _table_sql(name: str, columns: Sequence[tuple[str, str]], *,
               primary_key: Sequence[str] = (), not_null: set[str] | frozenset = frozenset(),
               foreign_keys: Sequence[tuple[tuple[str, ...], str, tuple[str, ...]]] = (),
               ) -> str:
    """``CREATE TABLE``: one line per column (``PRIMARY KEY`` inline on a one-column key,
    then ``NOT NULL``, then the ``REFERENCES`` of a one-column foreign key), then a
    many-column foreign key's ``FOREIGN KEY`` line, then a many-column key's ``PRIMARY
    KEY``."""
    single = {columns: (table, reference) for columns, table, reference in foreign_keys
              if len(columns) == 1}
    lines = []
    for column, sqlite_type in columns:
        extras = []
        if tuple(primary_key) == (column,):
            extras.append("PRIMARY KEY")
        if column in not_null:
            extras.append("NOT NULL")
        if (column,) in single:
            table, reference = single[(column,)]
            extras.append(f"REFERENCES {_quote(table)}({_quote(reference[0])})")
        lines.append(f"   {_quote(column)} {sqlite_type}"
                     + (" " + " ".join(extras) if extras else ""))
    lines += [f"   FOREIGN KEY ({_quoted(columns)}) REFERENCES {_quote(table)}"
              f"({_quoted(reference)})"
              for columns, table, reference in foreign_keys if len(columns) > 1]
    key = f",\n   PRIMARY KEY ({_quoted(primary_key)})" if len(primary_key) > 1 else ""
    return f"CREATE TABLE {_quote(name)} (\n" + ",\n".join(lines) + key + "\n)"


def _insert(connection: sqlite3.Connection, name: str, columns: Sequence[str],
            rows: Sequence[Sequence[object]], batch_rows: int = _DATASET_BATCH) -> None:
    """The rows, in their order (rowid order is key order), a transaction per batch of
    at most ``batch_rows`` rows and 999 values (sqlite-utils' batches: see _fill)."""
    sql = (f"INSERT INTO {_quote(name)} ({_quoted(columns)}) "
           f"VALUES ({', '.join('?' * len(columns))})")
    batch = max(1, min(batch_rows, _BATCH_VALUES // max(len(columns), 1)))
    for start in range(0, len(rows), batch):
        connection.execute("BEGIN")
        connection.executemany(sql, rows[start:start + batch])
        connection.execute("COMMIT")


def _referable(fk: ForeignKey, published: Mapping[str, Table]) -> bool:
    """A foreign key SQLite can check: its table is published and the columns it refers to
    are that table's key (SQLite refuses a reference to anything else as a "foreign key
    mismatch"; a profile that withholds a key column leaves the table without one)."""
    parent = published.get(fk.table)
    return parent is not None and fk.reference in (parent.primary_key, parent.unique)


def _index_sql(table: Table, published: Mapping[str, Table]) -> list[str]:
    """Foreign-key columns indexed; a key that may hold nulls as a unique index."""
    indexes = []
    if table.unique and not table.primary_key:
        indexes.append(_create_index_sql(table.name, f"idx_{table.name}_key", table.unique,
                                         unique=True))
    # A key's own index serves the columns it starts with.
    seen = {table.key[:n] for n in range(1, len(table.key) + 1)}
    for fk in table.foreign_keys:
        if _referable(fk, published) and fk.fields not in seen:
            seen.add(fk.fields)
            indexes.append(_create_index_sql(
                table.name, f"idx_{table.name}_{'_'.join(fk.fields)}", fk.fields))
    return indexes


def _create_index_sql(table: str, name: str, columns: Sequence[str],
                      unique: bool = False) -> str:
    return (f"CREATE {'UNIQUE ' if unique else ''}INDEX {_quote(name)}\n"
            f"    ON {_quote(table)} ({_quoted(columns)})")


def _fts_sql(table: Table) -> list[str]:
    """The full-text index of ``table``'s :func:`fts_columns` (none without them): an
    external-content FTS5 table, filled from the table and optimised to one segment."""
    columns = fts_columns(table)
    if not columns:
        return []
    fts = _quote(f"{table.name}_fts")
    tokenize = "'" + FTS_TOKENIZE.replace("'", "''") + "'"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING FTS5 (\n    {_quoted(columns)},\n"
        f"    tokenize={tokenize},\n    content={_quote(table.name)}\n)",
        f"INSERT INTO {fts} (rowid, {_quoted(columns)})\n"
        f"    SELECT rowid, {_quoted(columns)} FROM {_quote(table.name)}",
        f"INSERT INTO {fts}({fts}) VALUES ('optimize')",
    ]


def _contract_tables(connection: sqlite3.Connection, contract: Sequence[Table],
                     rows: Mapping[str, Sequence[Sequence[object]]]) -> None:
    tables = ("table_name", "title", "description", "key", "rows", "full_text_search")
    connection.execute(_table_sql(
        "_tables", [(c, "INTEGER" if c == "rows" else "TEXT") for c in tables],
        primary_key=("table_name",), not_null={"title", "description", "rows"}))
    _insert(connection, "_tables", tables, batch_rows=_DESCRIPTION_BATCH, rows=[
        (table.name, table.title, table.description, ", ".join(table.key) or None,
         len(rows.get(table.name, ())),
         f"{table.name}_fts" if fts_columns(table) else None)
        for table in contract
    ])
    columns = ("table_name", "column_name", "position", "type", "sqlite_type", "required",
               "description")
    connection.execute(_table_sql(
        "_columns",
        [(c, "INTEGER" if c in ("position", "required") else "TEXT") for c in columns],
        primary_key=("table_name", "column_name"),
        not_null={"position", "type", "sqlite_type", "required", "description"},
        foreign_keys=[(("table_name",), "_tables", ("table_name",))]))
    _insert(connection, "_columns", columns, batch_rows=_DESCRIPTION_BATCH, rows=[
        (table.name, f.name, position, f.type, _SQLITE_TYPES[f.type], int(f.required),
         f.description)
        for table in contract
        for position, f in enumerate(table.fields, start=1)
    ])


def _sources_table(connection: sqlite3.Connection, descriptor: Mapping) -> None:
    columns = ("id", "title", "publisher", "year", "description", "copyright", "permission",
               "path")
    connection.execute(_table_sql(
        "_sources", [(c, "INTEGER" if c == "year" else "TEXT") for c in columns],
        primary_key=("id",)))
    _insert(connection, "_sources", columns, batch_rows=_DESCRIPTION_BATCH,
            rows=[tuple(source.get(c) for c in columns)
                  for source in descriptor.get("sources", ())])


def views_for(published: Mapping[str, Table]) -> list[tuple[View, str]]:
    """The views a build with the ``published`` tables gets, with their SELECT: for each
    name, the first of :data:`VIEWS` that can be made."""
    made: dict[str, tuple[View, str]] = {}
    for view in VIEWS:
        sql = _view_sql(view, published)
        if sql is not None and view.name not in made:
            made[view.name] = (view, sql)
    return list(made.values())


def _view_sql(view: View, published: Mapping[str, Table]) -> str | None:
    """The view's SELECT for the published columns, or None when it cannot be made."""
    if any(table not in published for table in view.tables.values()):
        return None

    def present(item: str) -> bool:
        reference = item.split(" AS ", 1)[0]
        alias, dot, column = reference.partition(".")
        if not dot or alias not in view.tables or not column.isidentifier():
            return True  # an expression: its needs are declared in ``needs``
        return column in published[view.tables[alias]].column_names

    if not all(present(item) for item in view.needs):
        return None
    return f"SELECT {', '.join(i for i in view.select if present(i))} {view.body}"


def _licence_note(descriptor: Mapping) -> str:
    names = [entry.get("name", "") for entry in descriptor.get("licenses", ())]
    return ("; ".join(n for n in names if n) + " (see the _sources table and "
            "datapackage.json: the text of the datasets carries the rights of its source "
            "documents)")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quoted(names: Iterable[str]) -> str:
    """``"a", "b"``: names quoted and listed."""
    return ", ".join(_quote(name) for name in names)
