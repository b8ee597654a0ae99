"""crosswalk.sqlite: the contract's tables, keys and indexes, full-text search, views and
column descriptions, byte-identical from build to build — on the real published rows."""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing

import pytest

from pipeline.codes import natural_sort_key
from pipeline.load import sqlite
from pipeline.load.publish import publish_tables
from pipeline.load.read import read_dataset
from pipeline.load.sqlite import (
    DATABASE,
    DATASETTE_METADATA_NAME,
    SQLITE_NAME,
    VIEWS,
    fts_columns,
    views_for,
)


def connect(folder) -> sqlite3.Connection:
    return sqlite3.connect(f"{(folder / SQLITE_NAME).resolve().as_uri()}?mode=ro", uri=True)


def query(folder, sql: str, *parameters) -> list[tuple]:
    with closing(connect(folder)) as connection:
        return connection.execute(sql, parameters).fetchall()


def test_two_builds_write_the_same_bytes(published, published_again):
    for name in (SQLITE_NAME, DATASETTE_METADATA_NAME):
        assert (published / name).read_bytes() == (published_again / name).read_bytes()


def test_no_temporary_file_is_left_beside_it(published):
    assert sorted(p.name for p in published.iterdir() if p.name.startswith(".")) == []


def test_every_dataset_is_a_table_with_the_contracts_columns(published, real_contract):
    sqlite_types = {"string": "TEXT", "integer": "INTEGER", "boolean": "INTEGER"}
    for name, table in real_contract.items():
        columns = query(published, f'PRAGMA table_info("{name}")')
        assert [(c[1], c[2], bool(c[3])) for c in columns] == [
            (f.name, sqlite_types[f.type], f.required) for f in table.fields], name
        primary_key = [c[1] for c in sorted(columns, key=lambda c: c[5]) if c[5]]
        assert primary_key == list(table.primary_key), name


def test_rows_are_the_published_rows_in_key_order(published, real_contract):
    for name in real_contract:
        rows = query(published, f'SELECT count(*) FROM "{name}"')[0][0]
        assert rows == len(read_dataset(name, published, "parquet"))
    codes = [row[0] for row in query(published, "SELECT coe_code FROM coe_competencies "
                                                "ORDER BY rowid")]
    assert codes == sorted(codes, key=natural_sort_key)


def test_foreign_keys_are_declared_and_hold(published, real_contract):
    for name, table in real_contract.items():
        declared = {(row[3], row[2], row[4])
                    for row in query(published, f'PRAGMA foreign_key_list("{name}")')}
        expected = {(column, fk.table, reference)
                    for fk in table.foreign_keys if fk.table in real_contract
                    for column, reference in zip(fk.fields, fk.reference)}
        assert declared == expected, name
    assert query(published, "PRAGMA foreign_key_check") == []
    assert query(published, "PRAGMA integrity_check") == [("ok",)]


def test_a_broken_reference_is_found_by_foreign_key_check(real_tables, real_contract,
                                                          manifest_sources, tmp_path):
    """The check above is real: a mapping row of an unknown competency is reported."""
    crosswalk = real_tables["crosswalk"].copy()
    crosswalk.loc[0, "coe_code"] = "8H.99"
    publish_tables({**real_tables, "crosswalk": crosswalk}, tmp_path, manifest_sources,
                   contract=real_contract)
    broken = query(tmp_path, "PRAGMA foreign_key_check")
    assert ("crosswalk", "coe_competencies") in {(row[0], row[2]) for row in broken}


def test_foreign_key_columns_are_indexed(published, real_contract):
    for name, table in real_contract.items():
        indexed = []
        for index in query(published, f'PRAGMA index_list("{name}")'):
            indexed.append(tuple(row[2] for row in query(
                published, f'PRAGMA index_info("{index[1]}")')))
        for fk in table.foreign_keys:
            if fk.table in real_contract:
                assert any(columns[:len(fk.fields)] == fk.fields for columns in indexed), \
                    f"{name}.{fk.fields} has no index"


def test_full_text_search_finds_reflective_competencies(published):
    found = query(published,
                  "SELECT c.coe_code, c.competency_text FROM coe_competencies_fts "
                  "JOIN coe_competencies AS c ON c.rowid = coe_competencies_fts.rowid "
                  "WHERE coe_competencies_fts MATCH ? ORDER BY rank", "reflective")
    assert len(found) >= 5
    assert all("reflect" in text.lower() for _, text in found)
    assert any(code.startswith("4A.") for code, _ in found)  # Reflective Practice


def test_every_text_column_is_searchable(published, real_contract):
    for name, table in real_contract.items():
        columns = fts_columns(table)
        exists = query(published, "SELECT count(*) FROM sqlite_master WHERE name = ?",
                       f"{name}_fts")[0][0]
        assert exists == bool(columns), name
        if columns:
            indexed = [row[1] for row in query(published, f'PRAGMA table_info("{name}_fts")')]
            assert indexed == list(columns), name
    for name, column in (("crosswalk", "demonstrated_by"), ("mentor_competencies", "statement"),
                         ("illinois_competencies", "description")):
        assert column in fts_columns(real_contract[name])


def test_every_text_is_found_by_its_words(published, real_contract):
    """Each indexed text is found by a search for its longest word (a text a profile
    withholds is null, and not indexed)."""
    for name, table in real_contract.items():
        for column in fts_columns(table):
            texts = query(published, f'SELECT rowid, "{column}" FROM "{name}" '
                                      f'WHERE "{column}" IS NOT NULL LIMIT 20')
            for rowid, text in texts:
                word = max(re.findall(r"[^\W_]+", text), key=len)  # a token, as FTS5 cuts
                found = query(published, f'SELECT rowid FROM "{name}_fts" '
                                         f'WHERE "{name}_fts" MATCH ?', f'"{column}" : "{word}"')
                assert (rowid,) in found, (name, column, word)


def test_views_return_rows(published, real_contract):
    made = {view.name for view, _ in views_for(real_contract)}
    assert made == {view.name for view in VIEWS}
    for name in made:
        assert query(published, f'SELECT count(*) FROM "{name}"')[0][0] > 0, name


def test_competency_mappings_has_every_mapping_row(published):
    rows = query(published, "SELECT coe_code, mapping_seq FROM competency_mappings")
    assert rows == query(published, "SELECT coe_code, mapping_seq FROM crosswalk ORDER BY rowid")


def test_endorsement_areas_list_their_competencies_in_code_order(published):
    rows = query(published, "SELECT competencies, coe_codes FROM endorsement_area_competencies")
    for count, codes in rows:
        codes = codes.split(",") if codes else []
        assert len(codes) == count
        assert codes == sorted(codes, key=natural_sort_key)
    assert sum(count for count, _ in rows) >= query(
        published, "SELECT count(DISTINCT coe_code) FROM crosswalk "
        "WHERE endorsement_area IS NOT NULL")[0][0]


def test_column_descriptions_are_stored(published, real_contract):
    stored = query(published, "SELECT table_name, column_name, type, required, description "
                              "FROM _columns ORDER BY table_name, position")
    expected = [(name, f.name, f.type, int(f.required), f.description)
                for name in sorted(real_contract) for f in real_contract[name].fields]
    assert stored == expected
    tables = query(published, "SELECT table_name, title, rows FROM _tables ORDER BY rowid")
    assert [(n, t) for n, t, _ in tables] == [(n, t.title) for n, t in real_contract.items()]
    sources = {row[0] for row in query(published, "SELECT id FROM _sources")}
    assert "coe-alliance-crosswalk-2023" in sources


def test_datasette_metadata_describes_every_column(published, real_contract):
    metadata = json.loads((published / DATASETTE_METADATA_NAME).read_text(encoding="utf-8"))
    tables = metadata["databases"][DATABASE]["tables"]
    for name, table in real_contract.items():
        assert tables[name]["title"] == table.title
        assert tables[name]["columns"] == {f.name: f.description for f in table.fields}
    package = json.loads((published / "datapackage.json").read_text(encoding="utf-8"))
    assert metadata["title"] == package["title"]
    assert all(licence["name"] in metadata["license"] for licence in package["licenses"])


def test_codes_only_database_has_no_withheld_text(published, published_codes_only):
    text = query(published, "SELECT competency_text FROM coe_competencies LIMIT 1")[0][0]
    data = (published_codes_only / SQLITE_NAME).read_bytes()
    assert text.encode("utf-8") not in data
    assert text.encode("utf-8") in (published / SQLITE_NAME).read_bytes()
    columns = [row[1] for row in query(published_codes_only,
                                       'PRAGMA table_info("coe_competencies")')]
    assert "competency_text" not in columns and "coe_code" in columns
    assert query(published_codes_only,
                 "SELECT name FROM sqlite_master WHERE name LIKE '%_fts'") == []
    assert query(published_codes_only, "PRAGMA foreign_key_check") == []
    assert query(published_codes_only, "SELECT count(*) FROM competency_mappings")[0][0] > 0


@pytest.mark.parametrize("name", ["endorsement_index", "mentor_areas"])
def test_codes_only_database_leaves_out_datasets_keyed_by_text(published_codes_only, name):
    assert query(published_codes_only, "SELECT name FROM sqlite_master WHERE name = ?",
                 name) == []


def test_the_schema_is_spelled_as_sqlite_utils_spelled_it(published):
    """The database was written with sqlite-utils before; its spelling of each statement
    is what SQLite stores, so keeping it keeps the file's bytes."""
    (schema,) = query(published, "SELECT sql FROM sqlite_master WHERE name = 'coe_categories'")
    assert schema == (
        'CREATE TABLE "coe_categories" (\n'
        '   "category_code" TEXT PRIMARY KEY NOT NULL,\n'
        '   "domain_number" INTEGER NOT NULL REFERENCES "coe_domains"("domain_number"),\n'
        '   "category_title" TEXT NOT NULL,\n'
        '   "source_id" TEXT NOT NULL,\n'
        '   "source_line" INTEGER,\n'
        '   "source_page" INTEGER\n)',)
    (schema,) = query(published, "SELECT sql FROM sqlite_master WHERE name = 'crosswalk_fts'")
    assert schema[0].startswith('CREATE VIRTUAL TABLE "crosswalk_fts" USING FTS5 (\n    '
                                '"coe_category", "coe_competency", ')
    assert schema[0].endswith(",\n    tokenize='porter',\n    content=\"crosswalk\"\n)")
    assert query(published, "SELECT sql FROM sqlite_master WHERE name = "
                            "'idx_endorsement_index_key'") == [(
        'CREATE UNIQUE INDEX "idx_endorsement_index_key"\n'
        '    ON "endorsement_index" ("endorsement_domain", "endorsement_area", "coe_code")',)]


def test_a_key_and_a_foreign_key_of_several_columns_are_table_constraints():
    sql = sqlite._table_sql("mapping_notes", [("coe_code", "TEXT"), ("mapping_seq", "INTEGER"),
                                              ("note", "TEXT")],
                            primary_key=("coe_code", "mapping_seq", "note"),
                            not_null={"coe_code", "mapping_seq"},
                            foreign_keys=[(("coe_code", "mapping_seq"), "crosswalk",
                                           ("coe_code", "mapping_seq"))])
    assert sql == ('CREATE TABLE "mapping_notes" (\n'
                   '   "coe_code" TEXT NOT NULL,\n'
                   '   "mapping_seq" INTEGER NOT NULL,\n'
                   '   "note" TEXT,\n'
                   '   FOREIGN KEY ("coe_code", "mapping_seq") REFERENCES "crosswalk"'
                   '("coe_code", "mapping_seq"),\n'
                   '   PRIMARY KEY ("coe_code", "mapping_seq", "note")\n)')
    with closing(sqlite3.connect(":memory:")) as connection:
        connection.execute('CREATE TABLE "crosswalk" ("coe_code" TEXT, "mapping_seq" INTEGER, '
                           'PRIMARY KEY ("coe_code", "mapping_seq"))')
        connection.execute(sql)  # SQLite reads it
        assert [row[3:5] for row in connection.execute(
            "PRAGMA foreign_key_list(mapping_notes)")] == [("coe_code", "coe_code"),
                                                          ("mapping_seq", "mapping_seq")]


def test_rows_go_in_a_transaction_per_batch_of_999_values(tmp_path):
    """As sqlite-utils committed them: the file header counts the transactions."""
    path = tmp_path / "batches.sqlite"
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute('CREATE TABLE "t" ("a" TEXT, "b" INTEGER, "c" INTEGER)')
        before = _change_counter(path)
        rows = [(f"row {n}", n, n % 2) for n in range(700)]  # 333 rows of 3 values a batch
        sqlite._insert(connection, "t", ("a", "b", "c"), rows)
        assert _change_counter(path) - before == 3
        assert connection.execute('SELECT a, b, c FROM "t" ORDER BY rowid').fetchall() == rows
        sqlite._insert(connection, "t", ("a", "b", "c"), rows[:150], batch_rows=100)
        assert _change_counter(path) - before == 5


def _change_counter(path) -> int:
    """The file change counter of a database's header (offset 24, big-endian)."""
    return int.from_bytes(path.read_bytes()[24:28], "big")
