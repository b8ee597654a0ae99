"""`crosswalk diff` as a user runs it: three formats, exit 0 / 1 / 2, no colour in pipes."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.load.publish import publish_tables
from pipeline.metadata import TABLES
from pipeline.sources import load_manifest
from pipeline.versions.diff import diff_builds
from pipeline.versions.diff_format import format_text

RAW = Path(__file__).resolve().parents[2] / "raw"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _publish(out: Path, rows: dict[str, list[dict]]) -> Path:
    frames = {n: pd.DataFrame(r, columns=TABLES[n].column_names) for n, r in rows.items()}
    publish_tables(frames, out, load_manifest(RAW), version="1.0.0")
    return out


@pytest.fixture
def old_same_new(tmp_path, sample_rows):
    names = ("coe_domains", "crosswalk")
    base = {n: sample_rows[n] for n in names}
    old = _publish(tmp_path / "old", base)
    same = _publish(tmp_path / "same", base)
    changed = {n: [dict(r) for r in base[n]] for n in names}
    crosswalk = changed["crosswalk"]
    crosswalk[0]["mapping_priority"] = "Important"
    crosswalk[2]["demonstrated_by"] = crosswalk[2]["demonstrated_by"].replace(
        "relationship", "relationhsip", 1)
    crosswalk[1]["source_line"] = 160
    crosswalk.append({**crosswalk[1], "mapping_seq": 2, "source_line": 161})
    new = _publish(tmp_path / "new", changed)
    return old, same, new


def test_identical_builds_exit_0(old_same_new):
    old, same, _ = old_same_new
    result = run("diff", old, same)
    assert result.exit_code == 0, result.output
    assert "identical" in result.output


def test_text_report_summary_first_then_rows_exit_1(old_same_new):
    old, _, new = old_same_new
    result = run("diff", old, new)
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[2] == "suggested version bump: minor"
    assert lines[4].split() == ["dataset", "added", "removed", "changed", "cells", "renum",
                                "moved"]
    assert lines[5].split() == ["coe_domains", "0", "0", "0", "0", "0", "0", "same"]
    assert lines[6].split() == ["crosswalk", "1", "0", "2", "2", "0", "1"]
    text = result.output
    assert '  ~ 1A.1/1\n      mapping_priority: "Essential" → "Important"' in text
    assert "[-relationship-]{+relationhsip+}" in text
    assert "  + 1B.2/2\n      coe_code: \"1B.2\"\n      mapping_seq: 2\n" in text
    assert "1 row(s) moved (provenance only; --include-provenance lists them)" in text
    assert "\x1b[" not in text  # no colour in a pipe


def test_include_provenance_lists_moved_rows(old_same_new):
    old, _, new = old_same_new
    result = run("diff", old, new, "--include-provenance")
    assert "  > 1B.2/1  source_line: 153 → 160" in result.output


def test_markdown_report(old_same_new):
    old, _, new = old_same_new
    result = run("diff", old, new, "--format", "markdown")
    assert result.exit_code == 1
    text = result.output
    assert text.startswith("### Data changes\n")
    assert "suggested version bump: **minor**" in text
    assert ("| dataset | added | removed | changed | cells changed | renumbered | moved |\n"
            "|---|---:|---:|---:|---:|---:|---:|\n"
            "| `crosswalk` | 1 | 0 | 2 | 2 | 0 | 1 |\n\nIdentical: `coe_domains`.") in text
    assert "- `1A.1/1` — `mapping_priority`: `Essential` → `Important`" in text
    assert "~~relationship~~**relationhsip**" in text
    assert "Added (1; key `coe_code`, `mapping_seq`):" in text
    assert "1 row(s) moved (provenance only)." in text


def test_json_report_is_stable_and_documented(old_same_new):
    old, _, new = old_same_new
    result = run("diff", old, new, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert list(data) == ["format", "format_version", "old", "new", "identical", "bump",
                          "package", "datasets"]
    assert data["format"] == "crosswalk-diff" and data["format_version"] == 2
    assert data["old"] == {"build": str(old), "version": "1.0.0"}
    crosswalk = data["datasets"][1]
    assert list(crosswalk) == ["name", "status", "key", "key_source", "counts", "contract",
                               "added", "removed", "changed", "renumbered", "ambiguous",
                               "moved", "notes"]
    assert crosswalk["counts"] == {"rows_added": 1, "rows_removed": 0, "rows_changed": 2,
                                   "cells_changed": 2, "rows_renumbered": 0, "rows_moved": 1}
    assert crosswalk["changed"][0] == {
        "key": {"coe_code": "1A.1", "mapping_seq": 1}, "label": "1A.1/1",
        "cells": [{"field": "mapping_priority", "old": "Essential", "new": "Important",
                   "inline": None}],
        "provenance": []}
    assert crosswalk["added"][0]["values"]["mapping_seq"] == 2
    assert crosswalk["moved"][0]["provenance"] == [
        {"field": "source_line", "old": 153, "new": 160, "inline": None}]
    assert run("diff", old, new, "--format", "json").output == result.output


def test_dataset_option_restricts(old_same_new):
    old, _, new = old_same_new
    result = run("diff", old, new, "--dataset", "coe_domains", "--format", "json")
    assert result.exit_code == 0
    assert [d["name"] for d in json.loads(result.output)["datasets"]] == ["coe_domains"]


@pytest.mark.parametrize("args, message", [
    pytest.param(["diff", "nowhere", "{new}"], "error: nowhere: no such file or folder",
                 id="missing-build"),
    pytest.param(["diff", "{old}/crosswalk.csv", "{new}"], "--source-format (one of ",
                 id="published-csv-is-no-source"),
    pytest.param(["diff", "{old}", "{new}", "--dataset", "nope"], "no dataset nope",
                 id="unknown-dataset"),
    pytest.param(["diff", "{old}", "{new}", "--format", "html"], "Invalid value",
                 id="unknown-format"),
    pytest.param(["diff", "{old}"], "Missing argument", id="one-build"),
])
def test_errors_exit_2(old_same_new, args, message):
    old, _, new = old_same_new
    result = run(*[a.format(old=old, new=new) for a in args])
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_colour_only_when_asked(old_same_new):
    """The CLI asks for colour only on a terminal; the formatter then styles the marks."""
    old, _, new = old_same_new
    diff = diff_builds(old, new)
    coloured = format_text(diff, color=True)
    assert "\x1b[31m[-relationship-]" in coloured and "\x1b[32m{+relationhsip+}" in coloured
    assert "\x1b[" not in format_text(diff)


def test_version_names_the_code_and_the_data(tmp_path, monkeypatch):
    import importlib.metadata

    import pipeline.load.datapackage

    release = tmp_path / "release.toml"
    release.write_text('# the data version\nversion = "9.8.7"\n', encoding="utf-8")
    monkeypatch.setattr(pipeline.load.datapackage, "RELEASE_TOML", release)
    result = run("--version")
    assert result.exit_code == 0, result.output
    code = importlib.metadata.version("iecmh-crosswalk")
    assert result.output == f"crosswalk {code} (data 9.8.7)\n"


def test_version_with_a_broken_release_file(tmp_path, monkeypatch):
    import pipeline.load.datapackage

    release = tmp_path / "release.toml"
    release.write_text('version = "next"\n', encoding="utf-8")
    monkeypatch.setattr(pipeline.load.datapackage, "RELEASE_TOML", release)
    result = run("--version")
    assert result.exit_code == 2
    assert result.output == f"error: {release}: version 'next' is not MAJOR.MINOR.PATCH\n"
