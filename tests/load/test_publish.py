"""publish_tables: CSV/JSON/Parquet per the contract, byte-identical on every run."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import PipelineError
from pipeline.load.exports import EXPORTS
from pipeline.load.publish import (
    arrow_schema,
    arrow_table,
    csv_field,
    publish_tables,
    sort_rows,
)
from pipeline.metadata import CROSSWALK, TABLES
from pipeline.sources import load_manifest
from pipeline.validate import validate_tables

RAW = Path(__file__).resolve().parents[2] / "raw"


@pytest.fixture
def sources():
    return load_manifest(RAW)


@pytest.fixture
def validated(sample_tables):
    return validate_tables(sample_tables)


def publish(tables, out: Path, sources) -> dict[str, bytes]:
    """Publish and return every file written, by its path in ``out``."""
    paths = publish_tables(tables, out, sources)
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in paths}


def test_writes_three_formats_and_the_package(validated, tmp_path, sources):
    files = publish(validated, tmp_path, sources)
    expected = {f"{name}.{suffix}" for name in TABLES for suffix in ("csv", "json", "parquet")}
    exports = {name for name, *_ in EXPORTS}  # the database and the workbook: test_exports.py
    assert set(files) == expected | exports | {"datapackage.json"}


def test_republish_is_byte_identical(validated, tmp_path, sources):
    first = publish(validated, tmp_path / "a", sources)
    second = publish(validated, tmp_path / "b", sources)
    assert first == second


def test_output_does_not_depend_on_input_row_order(validated, tmp_path, sources):
    shuffled = {name: frame.iloc[::-1] for name, frame in validated.items()}
    assert publish(validated, tmp_path / "a", sources) == publish(shuffled, tmp_path / "b", sources)


def test_rows_in_natural_code_order(validated):
    crosswalk = validated["crosswalk"]
    extra = crosswalk.iloc[[1, 1, 1]].copy()
    extra["coe_code"] = ["1B.10", "1B.2", "1B.2"]
    extra["mapping_seq"] = pd.array([1, 10, 2], dtype="Int64")
    rows = pd.concat([crosswalk, extra]).iloc[::-1]
    ordered = sort_rows(rows, CROSSWALK)
    assert list(zip(ordered["coe_code"], ordered["mapping_seq"])) == [
        ("1A.1", 1), ("1B.2", 1), ("1B.2", 2), ("1B.2", 10), ("1B.10", 1), ("2C.1", 1),
    ]


def test_csv_conventions(validated, tmp_path, sources):
    publish(validated, tmp_path, sources)
    data = (tmp_path / "crosswalk.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in data and data.endswith(b"\n")
    lines = data.decode("utf-8").split("\n")
    assert lines[0] == ",".join(CROSSWALK.column_names)
    # 1A.1 is unique to the CoE: its Endorsement cells are empty (null), unquoted.
    assert lines[1].startswith("1A.1,1,1,Role of the IECMH Consultant,1A,")
    assert lines[1].endswith(",Essential,Essential,unique,,,,,,coe-alliance-crosswalk-2023,147,")
    # Minimal quoting: only a field with a comma is quoted.
    assert (',Theoretical Foundations,Cultural Humility,theoretical-foundations--cultural-humility,'
            'IFS,"Applies understanding') in lines[2]


def test_csv_reads_back_to_the_same_table(validated, tmp_path, sources):
    publish(validated, tmp_path, sources)
    back = pd.read_csv(tmp_path / "endorsement_index.csv", keep_default_na=False, dtype=str)
    assert back.to_dict("records")[0] == {
        "endorsement_domain": "Administration",
        "endorsement_area": "program funding",
        "area_id": "administration--program-funding",
        "endorsement_levels": "MHM",
        "designation": "policy",
        "coe_code": "",
        "unique_to_alliance": "true",
        "source_id": "coe-alliance-crosswalk-2023",
        "source_line": "578",
        "source_page": "",
    }


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        pytest.param('=HYPERLINK("http://example.com","x")', '"\'=HYPERLINK(""http://example.com"",""x"")"',
                     id="formula"),
        pytest.param("+1 800 555", "'+1 800 555", id="plus"),
        pytest.param("-2+3", "'-2+3", id="minus"),
        pytest.param("@SUM(A1:A2)", "'@SUM(A1:A2)", id="at"),
        pytest.param("\tcmd", "'\tcmd", id="tab"),
        pytest.param("\rcmd", "\"'\rcmd\"", id="carriage-return"),
        pytest.param("Relation- ship", "Relation- ship", id="harmless"),
    ],
)
def test_csv_injection_is_defused(validated, tmp_path, sources, cell, written):
    """A correction quotes the source as printed, so an odd fragment can reach the CSV."""
    corrections = validated["corrections"].copy()
    corrections.loc[0, "before"] = cell
    publish({"corrections": corrections}, tmp_path, sources)
    # read_bytes: read_text would turn the CR into a line feed.
    csv_text = (tmp_path / "corrections.csv").read_bytes().decode("utf-8")
    assert f",{written},childhood,typo," in csv_text
    # JSON and Parquet keep the value as validated: they are not read as formulas.
    rows = json.loads((tmp_path / "corrections.json").read_text(encoding="utf-8"))
    assert cell in [row["before"] for row in rows]


def test_a_cell_longer_than_the_csv_modules_field_limit_is_published(validated, tmp_path,
                                                                       sources):
    """The csv module refuses fields over 128 KiB by default; the contract has no such
    limit, and the package is described from the CSV read back."""
    corrections = validated["corrections"].copy()
    corrections.loc[0, "before"] = "childhood " * 20_000  # 200 KB
    publish({"corrections": corrections}, tmp_path, sources)
    assert "corrections" in (tmp_path / "datapackage.json").read_text(encoding="utf-8")
    assert len((tmp_path / "corrections.csv").read_bytes()) > 200_000


def test_json_types_and_nulls(validated, tmp_path, sources):
    publish(validated, tmp_path, sources)
    text = (tmp_path / "endorsement_index.json").read_text(encoding="utf-8")
    assert text.endswith("}\n]\n")
    rows = json.loads(text)
    assert rows[0] == {
        "endorsement_domain": "Administration",
        "endorsement_area": "program funding",
        "area_id": "administration--program-funding",
        "endorsement_levels": "MHM",
        "designation": "policy",
        "coe_code": None,
        "unique_to_alliance": True,
        "source_id": "coe-alliance-crosswalk-2023",
        "source_line": 578,
        "source_page": None,
    }
    assert list(rows[0]) == TABLES["endorsement_index"].column_names


def test_json_keeps_unicode(validated, tmp_path, sources):
    domains = validated["coe_domains"].copy()
    domains.loc[0, "description"] = "Understands IECMHC – a specialization"
    publish({"coe_domains": domains}, tmp_path, sources)
    assert "IECMHC – a" in (tmp_path / "coe_domains.json").read_text(encoding="utf-8")


def test_parquet_types_round_trip(validated, tmp_path, sources):
    publish(validated, tmp_path, sources)
    path = tmp_path / "endorsement_index.parquet"
    metadata = pq.ParquetFile(path).metadata
    assert metadata.num_row_groups == 1
    schema = pq.read_schema(path)
    assert [str(schema.field(n).type) for n in ("coe_code", "unique_to_alliance", "source_line")] == [
        "string", "bool", "int64",
    ]
    assert schema.field("endorsement_domain").nullable is False
    assert schema.field("coe_code").metadata[b"description"].startswith(b"CoE competency code")

    back = pd.read_parquet(path)
    expected = sort_rows(validated["endorsement_index"], TABLES["endorsement_index"])
    assert back.columns.tolist() == TABLES["endorsement_index"].column_names
    assert {c: str(t) for c, t in back.dtypes.items()} == {
        c: str(t) for c, t in expected.dtypes.items()
    }
    pd.testing.assert_frame_equal(back, expected)


def test_unknown_table_is_refused(validated, tmp_path, sources):
    assert "no_such_table" not in TABLES
    with pytest.raises(PipelineError, match="no contract for table.*no_such_table"):
        publish_tables({**validated, "no_such_table": pd.DataFrame()}, tmp_path / "out", sources)
    assert not (tmp_path / "out").exists()  # refused before anything is written


# --- properties ---------------------------------------------------------------------------

@given(st.text(alphabet=st.characters(blacklist_characters="\x00")))
def test_csv_field_reads_back(text):
    line = csv_field(text) + ",end\n"
    assert next(csv.reader(io.StringIO(line, newline=""))) == [text, "end"]


@pytest.mark.slow
def test_two_builds_publishing_into_one_folder_at_once_leave_one_whole_build(tmp_path):
    """A full and a codes-only build race into the same --out: whichever swaps in last,
    datapackage.json describes exactly the files beside it."""
    import hashlib
    import os
    import subprocess
    import sys

    out = tmp_path / "build"
    crosswalk = Path(sys.executable).parent / "crosswalk"
    env = {**os.environ, "CI": "1"}
    builds = [subprocess.Popen([str(crosswalk), "build", "--raw", str(RAW), "--out", str(out),
                                *profile], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env=env)
              for profile in ([], ["--profile", "codes-only"])]
    for build in builds:
        _, stderr = build.communicate(timeout=300)
        assert build.returncode == 0, stderr.decode()
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"] for r in package["resources"]}
    present = {p.name for p in out.glob("*.csv")}
    assert present == {d for d in described if d.endswith(".csv")}
    for resource in package["resources"]:
        data = (out / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"].endswith(hashlib.sha256(data).hexdigest())
    assert not list(out.glob(".build-tmp-*"))


def test_arrow_table_from_the_rows_is_the_frames_conversion(validated):
    """The Parquet table is made from the rows' Python values: the same columns, types,
    nulls and pandas metadata as converting the typed frame, which it was made from before."""
    from pipeline.metadata.frames import PANDAS_DTYPES

    for name, table in TABLES.items():
        frame = sort_rows(validated[name], table)
        if name == "crosswalk":  # nulls in every nullable column of some row
            frame = pd.concat([frame, frame.iloc[:1].assign(**{
                f.name: pd.NA for f in table.fields if not f.required})], ignore_index=True)
        typed = frame[table.column_names].astype(
            {f.name: PANDAS_DTYPES[f.type] for f in table.fields})
        # As it was made before: the contract's schema, pyarrow adding its pandas metadata.
        schema = pa.schema([pa.field(f.name, field.type, nullable=field.nullable,
                                     metadata=field.metadata)
                            for f, field in zip(table.fields, arrow_schema(frame, table))])
        assert schema.metadata is None
        converted = pa.Table.from_pandas(typed, schema=schema, preserve_index=False)
        made = arrow_table(frame, table)
        assert made.equals(converted, check_metadata=True), name
        assert made.schema.metadata == converted.schema.metadata, name
    empty = validated["coe_domains"].iloc[:0]
    assert arrow_table(empty, TABLES["coe_domains"]).num_rows == 0
