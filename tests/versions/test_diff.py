"""diff_builds: rows matched on their key, changes as plain data, the bump they imply."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from pipeline.errors import PipelineError
from pipeline.load.publish import publish_tables
from pipeline.metadata import CROSSWALK, TABLES
from pipeline.sources import load_manifest
from pipeline.versions.builds import open_build
from pipeline.versions.diff import diff_builds

RAW = Path(__file__).resolve().parents[2] / "raw"
#: 1B.2/1's demonstrated_by in the sample rows (tests/conftest.py), and with a typo.
CLEAN = ("Applies understanding of cultural competence to communicate effectively, "
         "establish positive relationships with families, and demonstrate respect")
TYPO = CLEAN.replace("families, and", "families, adn")


@pytest.fixture(scope="module")
def sources():
    return load_manifest(RAW)


def publish(out: Path, rows: dict[str, list[dict]], sources, contract=TABLES,
            version: str = "1.0.0") -> Path:
    frames = {name: pd.DataFrame(r, columns=contract[name].column_names)
              for name, r in rows.items()}
    publish_tables(frames, out, sources, version=version, contract=contract)
    return out


@pytest.fixture
def pair(tmp_path, sample_rows, sources):
    """``pair(change)``: (old, new) builds of crosswalk, endorsement_index and corrections;
    ``change(rows)`` edits a copy of the rows for the new build."""
    names = ("crosswalk", "endorsement_index", "corrections")

    def make(change=lambda rows: None, contract=TABLES):
        old = {n: [dict(r) for r in sample_rows[n]] for n in names}
        new = {n: [dict(r) for r in sample_rows[n]] for n in names}
        change(new)
        return (publish(tmp_path / "old", old, sources),
                publish(tmp_path / "new", new, sources, contract=contract))

    return make


def test_identical_builds(pair):
    diff = diff_builds(*map(str, pair()))
    assert diff.identical and diff.bump == "none"
    assert [d.status for d in diff.datasets] == ["same"] * 3
    assert diff.package == []


def test_one_field_changed_with_a_word_diff(pair):
    def typo(rows):
        rows["crosswalk"][1]["demonstrated_by"] = rows["crosswalk"][1]["demonstrated_by"]\
            .replace("families, and", "families, adn")

    diff = diff_builds(*pair(typo))
    crosswalk = diff.datasets[0]
    assert crosswalk.counts == {"rows_added": 0, "rows_removed": 0, "rows_changed": 1,
                                "cells_changed": 1, "rows_renumbered": 0,
                                "rows_moved": 0}
    [change] = crosswalk.changed
    assert change.key == {"coe_code": "1B.2", "mapping_seq": 1} and change.label == "1B.2/1"
    [cell] = change.cells
    assert cell.field == "demonstrated_by"
    assert cell.old.startswith(CLEAN) and cell.new.startswith(TYPO)
    assert cell.inline == "… relationships with families, [-and-]{+adn+} demonstrate respect for …"
    assert diff.bump == "patch" and not diff.identical


def test_vocabulary_change_has_no_word_diff(pair):
    diff = diff_builds(*pair(lambda rows: rows["crosswalk"][2].update(alignment="partial")))
    [cell] = diff.datasets[0].changed[0].cells
    assert (cell.field, cell.old, cell.new, cell.inline) == ("alignment", "same", "partial", None)


def test_one_row_added(pair):
    def add(rows):
        rows["crosswalk"].append({**rows["crosswalk"][1], "mapping_seq": 2})

    diff = diff_builds(*pair(add))
    [row] = diff.datasets[0].added
    assert row.label == "1B.2/2" and row.values["mapping_seq"] == 2
    assert diff.datasets[0].removed == [] and diff.bump == "minor"


def test_one_row_removed(pair):
    diff = diff_builds(*pair(lambda rows: rows["crosswalk"].pop(0)))
    assert [r.label for r in diff.datasets[0].removed] == ["1A.1/1"]
    assert diff.datasets[0].removed[0].values["alignment"] == "unique"
    assert diff.bump == "minor"


def test_a_row_whose_key_changed_is_renumbered_not_rewritten(pair):
    """Same content under another key: renumbered (a major bump), not removed and added."""
    diff = diff_builds(*pair(lambda rows: rows["crosswalk"][2].update(mapping_seq=2)))
    crosswalk = diff.datasets[0]
    assert crosswalk.removed == [] and crosswalk.added == [] and crosswalk.changed == []
    [row] = crosswalk.renumbered
    assert (row.old_label, row.new_label, row.similarity) == ("2C.1/1", "2C.1/2", 1.0)
    assert row.old_key == {"coe_code": "2C.1", "mapping_seq": 1} and row.cells == []
    assert diff.bump == "major"


def test_row_order_and_line_moves_are_not_changes(pair):
    def move(rows):
        rows["crosswalk"].reverse()
        for row in rows["crosswalk"]:
            row["source_line"] += 100

    crosswalk = diff_builds(*pair(move)).datasets[0]
    assert crosswalk.changed == [] and len(crosswalk.moved) == 3
    assert crosswalk.moved[0].provenance[0].field == "source_line"
    assert crosswalk.counts["rows_moved"] == 3


def test_changed_row_keeps_its_provenance_apart(pair):
    def both(rows):
        rows["crosswalk"][0].update(mapping_priority="Important", source_line=999)

    [change] = diff_builds(*pair(both)).datasets[0].changed
    assert [c.field for c in change.cells] == ["mapping_priority"]
    assert [(c.field, c.old, c.new) for c in change.provenance] == [("source_line", 147, 999)]


def test_unique_key_with_a_null_matches_rows(pair):
    """endorsement_index has no primary key (coe_code may be null): its unique key is used."""
    diff = diff_builds(*pair(lambda rows: rows["endorsement_index"][2].update(designation="clinical")))
    index = diff.datasets[1]
    assert index.key == ["endorsement_domain", "endorsement_area", "coe_code"]
    assert index.key_source == "unique"
    [change] = index.changed
    assert change.key["coe_code"] is None and change.label == "Administration/program funding/"


def test_audit_log_rows_are_added_or_removed_never_changed(pair):
    def edit(rows):
        rows["corrections"][0]["after"] = "childhood!"

    diff = diff_builds(*pair(edit))
    log = diff.datasets[2]
    assert log.key_source == "none" and log.changed == []
    assert [r.label for r in log.added] == ["coe_competencies/1B.2/competency_text"]
    assert len(log.removed) == 1
    # A new correction comes with a text correction: it is no reason for a minor release.
    assert diff.bump == "patch"


def test_contract_change_is_major(pair, sample_rows):
    contract = {**TABLES, "crosswalk": replace(
        CROSSWALK, fields=tuple(f for f in CROSSWALK.fields if f.name != "demonstrated_by"))}

    def drop(rows):
        for row in rows["crosswalk"]:
            del row["demonstrated_by"]

    diff = diff_builds(*pair(drop, contract=contract))
    crosswalk = diff.datasets[0]
    assert [(c.kind, c.detail, c.breaking) for c in crosswalk.contract] == [
        ("column_removed", "column demonstrated_by removed", True)]
    assert crosswalk.changed == []  # the cells of a dropped column are not "changed"
    assert diff.bump == "major"


def test_primary_key_change_is_major(pair):
    contract = {**TABLES, "crosswalk": replace(CROSSWALK, primary_key=("coe_code",))}
    crosswalk = diff_builds(*pair(contract=contract)).datasets[0]
    assert [c.kind for c in crosswalk.contract] == ["key_changed"]
    assert crosswalk.bump == "major"


def test_datasets_restricts_and_refuses_unknown_names(pair):
    old, new = pair(lambda rows: rows["crosswalk"].pop(0))
    diff = diff_builds(old, new, datasets=["endorsement_index"])
    assert [d.name for d in diff.datasets] == ["endorsement_index"] and diff.identical
    with pytest.raises(PipelineError, match="no dataset nope"):
        diff_builds(old, new, datasets=["nope"])


def test_dataset_only_in_one_build(tmp_path, sample_rows, sources):
    old = publish(tmp_path / "old", {"crosswalk": sample_rows["crosswalk"]}, sources)
    new = publish(tmp_path / "new", {n: sample_rows[n] for n in ("crosswalk", "coe_domains")},
                  sources)
    diff = diff_builds(old, new)
    added = next(d for d in diff.datasets if d.name == "coe_domains")
    assert added.status == "added" and len(added.added) == 2
    assert diff.bump == "major"
    assert diff_builds(new, old).datasets[-1].status == "removed"


def test_csv_is_read_when_the_json_is_missing(pair):
    """A package with its CSVs only gives the same diff (typed, CSV defusing undone)."""
    def edit(rows):
        rows["crosswalk"][0]["coe_competency"] = "=1+1 " + rows["crosswalk"][0]["coe_competency"]

    old, new = pair(edit)
    expected = diff_builds(old, new)
    for path in [*old.glob("*.json"), *new.glob("*.json")]:
        if path.name != "datapackage.json":
            path.unlink()
    assert b"'=1+1" in (new / "crosswalk.csv").read_bytes()
    again = diff_builds(old, new)
    assert again.datasets[0].changed == expected.datasets[0].changed
    assert again.datasets[0].changed[0].cells[0].new.startswith("=1+1 Demonstrates")


def test_a_datapackage_path_is_a_build(pair):
    old, new = pair()
    assert diff_builds(old / "datapackage.json", new).identical


def test_git_revision_reads_the_committed_build(tmp_path, pair, monkeypatch):
    old, new = pair(lambda rows: rows["crosswalk"].pop(0))
    repo = tmp_path / "repo"
    (repo / "build").mkdir(parents=True)
    for path in old.iterdir():
        if path.is_file():  # the datasets (the explorer page's folder is not read)
            (repo / "build" / path.name).write_bytes(path.read_bytes())
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C", str(repo)]
    subprocess.run([*git[:-2], "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "add", "build"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "build"], check=True)
    monkeypatch.chdir(repo)
    diff = diff_builds("git:HEAD", str(new))
    assert diff.old == "git:HEAD" and [r.label for r in diff.datasets[0].removed] == ["1A.1/1"]
    with pytest.raises(PipelineError, match="unknown revision 'no-such-rev'"):
        open_build("git:no-such-rev")
    with pytest.raises(PipelineError, match="give a revision"):
        open_build("git:--output=x")


def test_not_a_build_is_an_error(tmp_path):
    with pytest.raises(PipelineError, match="no datapackage.json"):
        open_build(tmp_path)
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "x"}))
    with pytest.raises(PipelineError, match="not a data package"):
        open_build(tmp_path)


# --- the real case: domains 4 and 7 in the table export and on the web ------------------


@pytest.fixture(scope="module")
def renditions(tmp_path_factory, sources):
    """Domains 4 and 7 published twice, restricted to the columns both renditions have:
    from the table export (transformed without the web witness, i.e. before any repair)
    and from the web pages."""
    from pipeline.extract.crosswalk_table import extract_crosswalk_table
    from pipeline.extract.crosswalk_web import extract_crosswalk_web
    from pipeline.transform.cells.audit import AuditLog
    from pipeline.transform.cells.lexicon import Lexicon
    from pipeline.transform.crosswalk_table import transform_crosswalk_table
    from pipeline.transform.crosswalk_web import WEB_COLUMNS, clean_crosswalk_web

    by_id = {s.id: s for s in sources}
    lexicon = Lexicon.default()
    table_source = by_id["coe-alliance-crosswalk-2023"]
    extracted = extract_crosswalk_table(table_source.file, table_source.id)
    table = transform_crosswalk_table(
        {"domains": extracted.domains, "forward": extracted.forward,
         "reverse": extracted.reverse}, lexicon)["crosswalk"]
    table = table[table["coe_domain_number"].isin([4, 7])]
    web = pd.concat([clean_crosswalk_web(extract_crosswalk_web(by_id[i].file, i)["records"],
                                         AuditLog(), lexicon=lexicon)
                     for i in ("crosswalk-section-4-web", "crosswalk-section-7-web")])
    shared = replace(CROSSWALK, fields=tuple(f for f in CROSSWALK.fields
                                             if f.name in WEB_COLUMNS))
    out = tmp_path_factory.mktemp("renditions")
    for name, frame in (("table", table), ("web", web)):
        publish_tables({"crosswalk": frame[shared.column_names]}, out / name, sources,
                       version="1.0.0", contract={"crosswalk": shared})
    return diff_builds(out / "table", out / "web")


#: Every difference between the two renditions of domains 4 and 7, and why:
#: - alignment: the web pages have no ≈ mark, so a partial alignment reads as same;
#: - 7C.1/1: the table export lost the full stop that ends the skill text (the build
#:   repairs it from the web, rule `rendition`);
#: - provenance: every row comes from another document and line (39 rows differ in
#:   nothing else), so the resource's sources and licences differ too.
#: No quote-style, whitespace, priority, domain, area or level difference: both sides are
#: cleaned by the same rules. (4B.5/1 differed by the space in "1) observation", which the
#: web page had lost, until the transform restored spaces swallowed next to parentheses.)
KNOWN_DIFFERENCES = {
    "4A.6/1": [("alignment", "partial", "same")],
    "4B.2/2": [("alignment", "partial", "same")],
    "4B.4/1": [("alignment", "partial", "same")],
    "4B.7/1": [("alignment", "partial", "same")],
    "7A.11/2": [("alignment", "partial", "same")],
    "7C.1/1": [("coe_competency", "… complex group dynamics{+.+}")],
}


def test_renditions_of_domains_4_and_7_differ_only_as_known(renditions):
    [crosswalk] = renditions.datasets
    assert crosswalk.counts == {"rows_added": 0, "rows_removed": 0, "rows_changed": 6,
                                "cells_changed": 6, "rows_renumbered": 0,
                                "rows_moved": 39}
    found = {
        change.label: [(c.field, c.inline) if c.inline else (c.field, c.old, c.new)
                       for c in change.cells]
        for change in crosswalk.changed
    }
    assert found == KNOWN_DIFFERENCES
    assert [(c.kind, c.breaking) for c in crosswalk.contract] == [
        ("dataset_sources", False), ("dataset_licenses", False)]
    for change in crosswalk.changed + crosswalk.moved:
        assert "source_id" in [p.field for p in change.provenance]
    assert renditions.package == [] and renditions.bump == "patch"


def test_a_correction_follows_its_renumbered_row(pair):
    """The correction logged for 2C.1/1 names 2C.1/2 once that row is renumbered: the same
    correction, not one removed and one added."""
    def renumber(rows):
        rows["crosswalk"][2]["mapping_seq"] = 2
        for correction in rows["corrections"]:
            if correction["row_key"] == "2C.1/1":
                correction["row_key"] = "2C.1/2"

    diff = diff_builds(*pair(renumber))
    crosswalk, _, corrections = diff.datasets
    assert [(r.old_label, r.new_label) for r in crosswalk.renumbered] == [("2C.1/1", "2C.1/2")]
    assert corrections.status == "same" and corrections.added == corrections.removed == []
