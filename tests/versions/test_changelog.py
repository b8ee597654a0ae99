"""Data versions: release.toml → datapackage.json, and `crosswalk changelog` entries."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import PipelineError
from pipeline.load import datapackage
from pipeline.load.datapackage import release_date, release_version
from pipeline.load.publish import publish_tables
from pipeline.metadata import CROSSWALK, TABLES
from pipeline.sources import load_manifest
from pipeline.versions.changelog import (
    CHANGELOG_HEADER,
    bump_version,
    changelog_entry,
    insert_entry,
)
from pipeline.versions.diff import diff_builds

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _publish(out: Path, rows, version=None, contract=TABLES) -> Path:
    frames = {n: pd.DataFrame(r, columns=contract[n].column_names) for n, r in rows.items()}
    publish_tables(frames, out, load_manifest(ROOT / "raw"), version=version, contract=contract)
    return out


@pytest.fixture
def builds(tmp_path, sample_rows):
    """``builds(change, version)``: an old build (1.0.0) and a new one with ``change``."""
    def make(change=lambda rows: None, version="1.0.0", contract=TABLES):
        rows = {"crosswalk": sample_rows["crosswalk"]}
        old = _publish(tmp_path / "old", rows, "1.0.0")
        new_rows = {"crosswalk": [dict(r) for r in rows["crosswalk"]]}
        change(new_rows)
        return old, _publish(tmp_path / "new", new_rows, version, contract)
    return make


def _typo(rows):
    rows["crosswalk"][1]["demonstrated_by"] += " adn more"


def _added(rows):
    rows["crosswalk"].append({**rows["crosswalk"][1], "mapping_seq": 2})


def _column_dropped(rows):
    for row in rows["crosswalk"]:
        del row["demonstrated_by"]


NO_DEMONSTRATED_BY = {"crosswalk": replace(
    CROSSWALK, fields=tuple(f for f in CROSSWALK.fields if f.name != "demonstrated_by"))}


# --- the maintained version ------------------------------------------------------------


def test_release_toml_is_the_version_of_a_build(tmp_path, sample_rows):
    out = _publish(tmp_path, {"crosswalk": sample_rows["crosswalk"]})
    data = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert data["version"] == release_version()
    # the release date declared in release.toml, not the clock
    assert data["created"] == f"{release_date()}T00:00:00Z"


def test_release_version_must_be_semantic(tmp_path, monkeypatch):
    path = tmp_path / "release.toml"
    path.write_text('version = "2.1.0"\n', encoding="utf-8")
    monkeypatch.setattr(datapackage, "RELEASE_TOML", path)
    assert release_version() == "2.1.0"
    path.write_text('version = "v2"\n', encoding="utf-8")
    with pytest.raises(PipelineError, match="not MAJOR.MINOR.PATCH"):
        release_version()


def test_repository_changelog_has_the_current_version():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith(CHANGELOG_HEADER)
    # The newest entry's heading: the version, and the date when one was given.
    assert re.search(rf"\n## {re.escape(release_version())}( — \d{{4}}-\d\d-\d\d)?\n", text)


# --- the bump a change implies ---------------------------------------------------------


@pytest.mark.parametrize("change, contract, bump, version", [
    pytest.param(_typo, TABLES, "patch", "1.0.1", id="text-correction"),
    pytest.param(_added, TABLES, "minor", "1.1.0", id="row-added"),
    pytest.param(_column_dropped, NO_DEMONSTRATED_BY, "major", "2.0.0", id="column-removed"),
])
def test_entry_suggests_the_bump(builds, change, contract, bump, version):
    entry = changelog_entry(diff_builds(*builds(change, contract=contract)))
    assert (entry.bump, entry.suggested, entry.version) == (bump, version, version)
    assert entry.text.startswith(f"## {version}\n\nCompared with 1.0.0 (")
    assert entry.release_needs_update  # the new build still says 1.0.0


def test_entry_takes_the_declared_version_when_it_is_enough(builds):
    entry = changelog_entry(diff_builds(*builds(_added, version="1.1.0")))
    assert entry.version == "1.1.0" and not entry.release_needs_update
    entry = changelog_entry(diff_builds(*builds(_added, version="1.0.1")))
    assert entry.version == "1.1.0" and entry.release_needs_update  # a patch is too little


def test_entry_lists_what_changed(builds):
    entry = changelog_entry(diff_builds(*builds(_added)), date="2026-05-01")
    assert entry.text.splitlines()[0] == "## 1.1.0 — 2026-05-01"
    assert "| `crosswalk` | 1 | 0 | 0 | 0 | 0 |" in entry.text
    assert "- `crosswalk`: 1 row(s) added: `1B.2/2`" in entry.text


def test_bump_version():
    assert bump_version("0.9.9", "minor") == "0.10.0"
    with pytest.raises(PipelineError):
        bump_version("1.0", "patch")


def test_insert_keeps_older_entries_below(builds):
    entry = changelog_entry(diff_builds(*builds(_typo)))
    text = insert_entry(CHANGELOG_HEADER + "\n## 1.0.0\n\nFirst.\n", entry)
    assert text.index("## 1.0.1") < text.index("## 1.0.0")
    with pytest.raises(PipelineError, match="already has an entry for 1.0.1"):
        insert_entry(text, entry)


# --- the command -------------------------------------------------------------------------


def test_changelog_command_writes_the_file(builds, tmp_path):
    old, new = builds(_added)
    output = tmp_path / "CHANGELOG.md"
    result = run("changelog", old, new, "--output", output)
    assert result.exit_code == 0, result.output
    text = output.read_text(encoding="utf-8")
    assert text.startswith(CHANGELOG_HEADER) and "\n## 1.1.0\n" in text
    assert 'set version = "1.1.0" in pipeline/data/release.toml' in result.output
    again = run("changelog", old, new, "--output", output)
    assert again.exit_code == 2 and "already has an entry" in again.output


def test_changelog_command_prints_without_output(builds):
    old, new = builds(_typo)
    result = run("changelog", old, new, "--date", "2026-05-01")
    assert result.exit_code == 0
    assert result.output.startswith("## 1.0.1 — 2026-05-01\n")


def test_no_entry_without_a_data_change(builds, tmp_path):
    old, new = builds()
    result = run("changelog", old, new, "--output", tmp_path / "CHANGELOG.md")
    assert result.exit_code == 0 and "no changelog entry" in result.output
    assert not (tmp_path / "CHANGELOG.md").exists()


def test_changelog_bad_date_is_a_usage_error(builds):
    old, new = builds(_typo)
    assert run("changelog", old, new, "--date", "May 1").exit_code == 2
