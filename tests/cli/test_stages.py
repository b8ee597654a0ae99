"""The `crosswalk` command as a user runs it (click's CliRunner), end to end."""

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.metadata import TABLES

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "raw"
COMMITTED = ROOT / "build"
PUBLISHED = ("coe_domains", "coe_categories", "coe_competencies", "crosswalk",
             "endorsement_index", "corrections", "quality_issues")


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build")
    result = run("build", "--raw", RAW, "--out", out)
    assert result.exit_code == 0, result.output
    return out


def _read(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)


def test_build_publishes_every_dataset_in_three_formats(built):
    for name in PUBLISHED:
        for suffix in ("csv", "json", "parquet"):
            assert (built / f"{name}.{suffix}").is_file(), f"{name}.{suffix}"
    assert (built / "datapackage.json").is_file()


def test_build_counts_match_the_document(built):
    assert len(_read(built, "coe_domains")) == 8
    assert len(_read(built, "coe_categories")) == 34
    assert len(_read(built, "coe_competencies")) == 147
    assert len(_read(built, "crosswalk")) == 195
    index = _read(built, "endorsement_index")
    assert index.groupby(["endorsement_domain", "endorsement_area"]).ngroups == 62


def test_keys_are_unique_and_in_natural_order(built):
    crosswalk = _read(built, "crosswalk")
    assert not crosswalk.duplicated(["coe_code", "mapping_seq"]).any()
    codes = list(dict.fromkeys(crosswalk["coe_code"]))
    assert codes.index("2A.2") < codes.index("2A.10")
    competencies = _read(built, "coe_competencies")
    assert set(crosswalk["coe_code"]) == set(competencies["coe_code"])


def test_no_unexplained_unknown_words(built):
    issues = _read(built, "quality_issues")
    assert issues[issues["kind"] == "unknown_word"].empty, issues[issues["kind"] == "unknown_word"]


def test_reverse_table_code_that_is_no_competency_is_reported_not_published(built):
    issues = _read(built, "quality_issues")
    unknown = issues[issues["kind"] == "unknown_code"]
    assert unknown["detail"].str.contains("'32'").any()
    index = _read(built, "endorsement_index")
    assert "32" not in set(index["coe_code"])


def test_every_correction_names_its_rule_and_source_line(built):
    corrections = _read(built, "corrections")
    assert len(corrections) > 0
    assert set(corrections["rule"]) <= set(TABLES["corrections"].field("rule").enum)
    assert (corrections["source_line"] != "").all()


def test_second_build_is_byte_identical(built, tmp_path):
    result = run("build", "--raw", RAW, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    for name in PUBLISHED:
        for suffix in ("csv", "json"):
            assert (tmp_path / f"{name}.{suffix}").read_bytes() == (built / f"{name}.{suffix}").read_bytes()
    assert (tmp_path / "datapackage.json").read_bytes() == (built / "datapackage.json").read_bytes()


def test_fresh_build_reproduces_the_committed_build(built):
    for name in PUBLISHED:
        for suffix in ("csv", "json"):
            committed = COMMITTED / f"{name}.{suffix}"
            assert committed.read_bytes() == (built / f"{name}.{suffix}").read_bytes(), (
                f"{committed} is stale: run `make build` and commit build/")
        pd.testing.assert_frame_equal(pd.read_parquet(COMMITTED / f"{name}.parquet"),
                                      pd.read_parquet(built / f"{name}.parquet"))
    assert (COMMITTED / "datapackage.json").read_bytes() == (built / "datapackage.json").read_bytes()


def test_json_and_parquet_carry_real_types(built):
    rows = json.loads((built / "crosswalk.json").read_text(encoding="utf-8"))
    first = rows[0]
    assert first["coe_code"] == "1A.1" and first["mapping_seq"] == 1
    assert isinstance(first["coe_domain_number"], int)
    unique = next(r for r in rows if r["alignment"] == "unique")
    assert unique["endorsement_domain"] is None
    frame = pd.read_parquet(built / "endorsement_index.parquet")
    assert str(frame["unique_to_alliance"].dtype) in {"bool", "boolean"}


def test_sources_command_lists_every_source_as_ok():
    result = run("sources", "--raw", RAW)
    assert result.exit_code == 0
    assert result.output.count("\tok") == 5


def _broken_raw(tmp_path: Path, old: str, new: str) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    source = raw / "coe-alliance-crosswalk-2023.txt"
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new, 1), encoding="utf-8")
    return raw


def test_changed_source_exits_2_and_says_how_to_accept_it(tmp_path):
    raw = _broken_raw(tmp_path, "Eaw, Regulation", "Law, Regulation")
    result = run("build", "--raw", raw, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "coe-alliance-crosswalk-2023.txt" in result.output
    assert "crosswalk sources --update" in result.output
    assert not (tmp_path / "out" / "crosswalk.csv").exists()


def test_invalid_data_exits_1_writes_a_report_and_keeps_the_previous_build(built, tmp_path):
    raw = _broken_raw(tmp_path, "\tSystems Expertise\tService Delivery Systems",
                      "\tGardening\tService Delivery Systems")
    assert run("sources", "--raw", raw, "--update").exit_code == 0
    out = tmp_path / "out"
    shutil.copytree(built, out)
    before = {p.name: p.read_bytes() for p in out.glob("*.*")}
    result = run("build", "--raw", raw, "--out", out)
    assert result.exit_code == 1, result.output
    report = (out / "reports" / "validation_report.txt").read_text(encoding="utf-8")
    assert "Gardening" in report
    assert "coe-alliance-crosswalk-2023" in report
    assert {p.name: p.read_bytes() for p in out.glob("*.*")} == before
