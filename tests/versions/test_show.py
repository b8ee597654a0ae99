"""`crosswalk show`: any published file as sorted text, and as git's textconv driver."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.load.publish import publish_tables
from pipeline.metadata import TABLES
from pipeline.sources import load_manifest
from pipeline.versions.show import show_file

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def build(tmp_path, sample_rows) -> Path:
    """crosswalk and coe_competencies published, plus a crosswalk row 1A.10 (natural order)."""
    rows = {n: [dict(r) for r in sample_rows[n]] for n in ("crosswalk", "coe_competencies")}
    rows["crosswalk"].append({**rows["crosswalk"][0], "coe_code": "1A.10"})
    frames = {n: pd.DataFrame(r, columns=TABLES[n].column_names) for n, r in rows.items()}
    publish_tables(frames, tmp_path, load_manifest(ROOT / "raw"), version="1.0.0")
    return tmp_path


def test_the_three_formats_print_the_same_lines(build):
    shown = {suffix: show_file(build / f"crosswalk.{suffix}") for suffix in ("csv", "json", "parquet")}
    assert shown["csv"] == shown["json"] == shown["parquet"]


def test_one_row_per_line_in_key_order_columns_in_contract_order(build):
    lines = show_file(build / "crosswalk.parquet").splitlines()
    rows = [json.loads(line) for line in lines]
    assert [(r["coe_code"], r["mapping_seq"]) for r in rows] == [
        ("1A.1", 1), ("1A.10", 1), ("1B.2", 1), ("2C.1", 1)]
    assert list(rows[0]) == TABLES["crosswalk"].column_names
    assert rows[0]["source_page"] is None and rows[0]["mapping_seq"] == 1


def test_git_temporary_copy_is_recognised(build, tmp_path):
    copy = tmp_path / "Xy12Zq_crosswalk.parquet"
    shutil.copy(build / "crosswalk.parquet", copy)
    assert show_file(copy) == show_file(build / "crosswalk.csv")


def test_datapackage_prints_with_sorted_keys(build):
    text = show_file(build / "datapackage.json")
    assert json.loads(text)["version"] == "1.0.0"
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def test_show_command(build, tmp_path):
    result = run("show", build / "coe_competencies.parquet")
    assert result.exit_code == 0
    assert [json.loads(line)["coe_code"] for line in result.output.splitlines()] == [
        "1A.1", "1B.2", "2C.1"]
    (tmp_path / "notes.txt").write_text("x")
    assert run("show", tmp_path / "notes.txt").exit_code == 2
    assert run("show", tmp_path / "missing.csv").exit_code == 2


def test_gitattributes_route_build_files_to_the_driver():
    lines = (ROOT / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert "build/*.parquet diff=crosswalk" in lines


def _crosswalk_parquet(rows, out: Path) -> Path:
    frame = pd.DataFrame(rows, columns=TABLES["crosswalk"].column_names)
    publish_tables({"crosswalk": frame}, out, load_manifest(ROOT / "raw"), version="1.0.0")
    return out / "crosswalk.parquet"


def test_git_diff_of_parquet_through_textconv(tmp_path, sample_rows):
    """The README's set-up: git shows a changed Parquet cell as one changed line.
    (git and the installed `crosswalk` command are part of the set-up `make test` makes.)"""
    crosswalk = ROOT / ".venv" / "bin" / "crosswalk"
    assert crosswalk.exists(), "run `make test`, which installs the crosswalk command"
    repo = tmp_path / "repo"
    (repo / "build").mkdir(parents=True)
    rows = [dict(r) for r in sample_rows["crosswalk"]]
    shutil.copy(_crosswalk_parquet(rows, tmp_path / "one"), repo / "build")
    (repo / ".gitattributes").write_text("build/*.parquet diff=crosswalk\n")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org",
           "-c", f"diff.crosswalk.textconv={crosswalk} show", "-C", str(repo)]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "one"], check=True)
    rows[0]["mapping_priority"] = "Important"
    shutil.copy(_crosswalk_parquet(rows, tmp_path / "two"), repo / "build")
    diff = subprocess.run([*git, "diff", "--", "build/crosswalk.parquet"], check=True,
                          capture_output=True, text=True).stdout
    changed = [line for line in diff.splitlines()
               if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert len(changed) == 2
    assert '"mapping_priority": "Essential"' in changed[0]
    assert '"mapping_priority": "Important"' in changed[1]
