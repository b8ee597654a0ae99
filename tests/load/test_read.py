"""read_dataset: the contract's types from CSV, JSON, Parquet, SQLite and XLSX alike, and
the recipes for pandas, polars and duckdb of the README's "Use the data" and of
docs/use-the-data.md, on the real published rows."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pytest

from pipeline.errors import PipelineError
from pipeline.load.publish import publish_tables
from pipeline.load.read import (
    READ_FORMATS,
    dataset_columns,
    dataset_dtypes,
    read_dataset,
)

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
USE_THE_DATA = ROOT / "docs" / "use-the-data.md"


def plain_rows(frame: pd.DataFrame) -> list[list]:
    """Rows as plain Python values, None for a null."""
    return [[None if value is pd.NA else value for value in row]
            for row in frame.to_dict("split")["data"]]


@pytest.mark.parametrize("file_format", [f for f in READ_FORMATS if f != "parquet"])
def test_every_dataset_reads_the_same_from_every_format(published, real_contract, file_format):
    for name in real_contract:
        reference = read_dataset(name, published, "parquet")
        frame = read_dataset(name, published, file_format)
        pd.testing.assert_frame_equal(frame, reference, obj=f"{name} from {file_format}")


def test_the_reference_is_the_published_rows(published, real_contract, real_tables):
    """The Parquet file read back is what was published: typed, in key order."""
    for name in real_contract:
        pd.testing.assert_frame_equal(read_dataset(name, published, "parquet"),
                                      real_tables[name], obj=name)


def test_columns_have_the_contracts_types(published, real_contract):
    pandas_types = {"string": "string", "integer": "Int64", "boolean": "boolean"}
    for name, table in real_contract.items():
        frame = read_dataset(name, published, "csv")
        assert list(frame.columns) == table.column_names
        assert {c: str(t) for c, t in frame.dtypes.items()} == {
            f.name: pandas_types[f.type] for f in table.fields}


@pytest.mark.parametrize("file_format", READ_FORMATS)
def test_an_always_empty_integer_column_reads_as_integers(published, file_format):
    """The complaint of issue 16: source_page, empty in every row of a text source, read
    as text (polars, duckdb) or float (pandas); parent_seq, with nulls, as float."""
    domains = read_dataset("coe_domains", published, file_format)
    assert str(domains["source_page"].dtype) == "Int64"
    assert domains["source_page"].isna().all()
    mentor = read_dataset("mentor_competencies", published, file_format)
    assert str(mentor["parent_seq"].dtype) == "Int64"
    assert mentor["parent_seq"].isna().any() and mentor["parent_seq"].notna().any()


def test_without_a_format_the_parquet_file_is_read(published):
    pd.testing.assert_frame_equal(read_dataset("crosswalk", published),
                                  read_dataset("crosswalk", published, "parquet"))


def test_a_defused_csv_cell_reads_back_as_published(real_tables, real_contract,
                                                     manifest_sources, tmp_path):
    corrections = real_tables["corrections"].copy()
    corrections.loc[0, "before"] = "=1+2"
    publish_tables({**real_tables, "corrections": corrections}, tmp_path, manifest_sources,
                   contract=real_contract)
    assert "'=1+2" in (tmp_path / "corrections.csv").read_text(encoding="utf-8")
    for file_format in READ_FORMATS:
        assert "=1+2" in read_dataset("corrections", tmp_path, file_format)["before"].tolist()


def test_a_codes_only_build_reads_with_its_own_columns(published_codes_only):
    for file_format in READ_FORMATS:
        frame = read_dataset("crosswalk", published_codes_only, file_format)
        assert list(frame.columns) == [c for c, _ in dataset_columns("crosswalk",
                                                                     published_codes_only)]
        assert "coe_competency" not in frame.columns


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        pytest.param({"format": "ods"}, "unknown format 'ods'", id="unknown-format"),
        pytest.param({"name": "no_such_dataset"}, "no dataset 'no_such_dataset'",
                     id="unknown-dataset"),
        pytest.param({"folder": "missing"}, "no parquet file for dataset 'crosswalk'",
                     id="missing-file"),
    ],
)
def test_what_cannot_be_read_is_an_error(published, tmp_path, arguments, message):
    arguments = {"name": "crosswalk", "folder": published, **arguments}
    if arguments["folder"] == "missing":
        arguments["folder"] = tmp_path
    with pytest.raises(PipelineError, match=re.escape(message)):
        read_dataset(**arguments)


# --- the recipes of the README and docs/use-the-data.md --------------------------------------


def _readme_use_the_data() -> str:
    readme = README.read_text(encoding="utf-8")
    return readme.split("\n## Use the data\n", 1)[1].split("\n## ", 1)[0]


def _use_the_data() -> str:
    """The README's "Use the data" section, then docs/use-the-data.md (the details)."""
    return _readme_use_the_data() + "\n" + USE_THE_DATA.read_text(encoding="utf-8")


def _python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


@pytest.fixture
def in_a_clone(published, tmp_path, monkeypatch) -> Path:
    """A folder whose build/ is the published build, as the working directory."""
    (tmp_path / "build").symlink_to(published, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def recipes(in_a_clone) -> dict:
    """The names the Python blocks of docs/use-the-data.md define, run as a reader would
    (the README's own examples are run by the next test)."""
    namespace: dict = {}
    for block in _python_blocks(USE_THE_DATA.read_text(encoding="utf-8")):
        exec(compile(block, str(USE_THE_DATA), "exec"), namespace)
    return namespace


def test_readme_examples_print_the_analyst_answers(in_a_clone, capsys):
    """The README's own pandas and duckdb examples, alone, as pasted: 10 essential
    competencies map to Reflection, 101 statements apply to research/faculty (the numbers
    of tests/test_analyst_questions.py)."""
    blocks = _python_blocks(_readme_use_the_data())
    assert len(blocks) >= 2
    for block in blocks:
        exec(compile(block, str(README), "exec"), {})
    printed = capsys.readouterr().out
    assert "10 101" in printed.splitlines()
    assert re.search(r"│\s+10\s+│", printed)  # duckdb's COUNT over the Parquet file


def test_readme_reads_with_read_dataset(recipes, published):
    pd.testing.assert_frame_equal(recipes["crosswalk"], read_dataset("crosswalk", published))
    assert str(recipes["mentor"]["parent_seq"].dtype) == "Int64"


def test_readme_pandas_recipe_types_every_csv(recipes, published, real_contract):
    for name in real_contract:
        frame = recipes["read_pandas"](name)
        pd.testing.assert_frame_equal(frame, read_dataset(name, published), obj=name)
        manual = pd.read_csv(published / f"{name}.csv", dtype=dataset_dtypes(name, published),
                             keep_default_na=False, na_values=[""])
        pd.testing.assert_frame_equal(manual, frame, obj=name)


def test_readme_polars_recipe_types_every_csv(recipes, published, real_contract):
    types = {"string": pl.String, "integer": pl.Int64, "boolean": pl.Boolean}
    for name, table in real_contract.items():
        frame = recipes["read_polars"](name)
        assert frame.schema == pl.Schema({f.name: types[f.type] for f in table.fields}), name
        assert [list(row) for row in frame.rows()] == plain_rows(read_dataset(name, published))
        assert frame.equals(pl.read_parquet(published / f"{name}.parquet")), name


def test_readme_duckdb_recipe_types_every_csv(recipes, published, real_contract):
    types = {"string": "VARCHAR", "integer": "BIGINT", "boolean": "BOOLEAN"}
    for name, table in real_contract.items():
        relation = recipes["read_duckdb"](name)
        assert relation.columns == table.column_names
        assert [str(t) for t in relation.types] == [types[f.type] for f in table.fields], name
        assert [list(row) for row in relation.fetchall()] == plain_rows(
            read_dataset(name, published))


def test_readme_duckdb_sql_names_the_integer_columns(in_a_clone, published):
    sql = re.search(r"`(SELECT \* FROM read_csv\(.*?\))`", _use_the_data(), flags=re.S)[1]
    relation = duckdb.sql(sql)
    assert [str(t) for t in relation.types] == [
        "BIGINT", "VARCHAR", "VARCHAR", "VARCHAR", "BIGINT", "BIGINT"]
    assert [list(row) for row in relation.fetchall()] == plain_rows(
        read_dataset("coe_domains", published))


def test_naive_readers_lose_the_types(published):
    """Why the recipes exist: without them the empty integer column is not an integer."""
    assert str(pd.read_csv(published / "coe_domains.csv")["source_page"].dtype) == "float64"
    assert pl.read_csv(published / "coe_domains.csv").schema["source_page"] == pl.String
