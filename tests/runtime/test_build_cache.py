"""A build whose inputs did not change publishes the validated tables of the last build
into the same folder again, and runs no other stage; any change to what the tables depend
on, a damaged entry or ``--no-cache`` runs every stage (pipeline/runtime/build_cache.py)."""

import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import stages
from pipeline.cli import main
from pipeline.runtime import build_cache
from pipeline.runtime.build_cache import (
    LIBRARIES,
    build_key,
    load_reusable,
    store_reusable,
)
from pipeline.sources import update_checksums

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "raw"
MAIN = "coe-alliance-crosswalk-2023.txt"
REUSED = "build: nothing the tables depend on changed since the last build"


def build(raw: Path, out: Path, *options: str):
    return CliRunner().invoke(main, ["build", "--raw", str(raw), "--out", str(out), *options])


def published(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.relative_to(out).parts[0] != "interim"}


def stages_that_run(monkeypatch) -> list[str]:
    """The names of the build's stages, as they run."""
    ran: list[str] = []
    for name in ("extract_frames", "normalize_tables", "validated_tables"):
        def counted(*args, _real=getattr(stages, name), _name=name, **kwargs):
            ran.append(_name)
            return _real(*args, **kwargs)
        monkeypatch.setattr(stages, name, counted)
    return ran


@pytest.fixture
def built(tmp_path) -> tuple[Path, Path]:
    """A raw folder of its own, built once into an output folder: the two to change. (Not
    copied from a shared build: the raw folder's place is part of the key.)"""
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(RAW, raw)
    result = build(raw, out)
    assert result.exit_code == 0, result.output
    return raw, out


def test_unchanged_rebuild_runs_no_stage_and_publishes_the_same_files(built, monkeypatch):
    raw, out = built
    before = published(out)
    (out / "crosswalk.csv").unlink()  # what is published is written again, not kept
    ran = stages_that_run(monkeypatch)
    result = build(raw, out)
    assert result.exit_code == 0, result.output
    assert ran == []
    assert REUSED in result.output
    assert "normalize: rows: coe-alliance-crosswalk-2023: 261 seen" in result.output  # replayed
    assert published(out) == before


def test_a_changed_source_runs_every_stage(built, monkeypatch):
    raw, out = built
    text = (raw / MAIN).read_text(encoding="utf-8")
    (raw / MAIN).write_text(text.replace("Reflective Practice", "Reflective  Practice", 1),
                            encoding="utf-8")
    update_checksums(raw)
    ran = stages_that_run(monkeypatch)
    result = build(raw, out)
    assert result.exit_code == 0, result.output
    assert ran == ["extract_frames", "normalize_tables", "validated_tables"]
    assert REUSED not in result.output
    # and the new entry is reused in turn
    ran.clear()
    assert build(raw, out).exit_code == 0 and ran == []


def test_a_source_changed_behind_the_manifest_stops_as_a_full_build_does(built):
    raw, out = built
    with (raw / MAIN).open("a", encoding="utf-8") as handle:
        handle.write("\n")
    result = build(raw, out)
    assert result.exit_code != 0
    assert "changed: sha256 is" in result.output and REUSED not in result.output


def test_no_cache_runs_every_stage(built, monkeypatch):
    raw, out = built
    ran = stages_that_run(monkeypatch)
    result = build(raw, out, "--no-cache")
    assert result.exit_code == 0, result.output
    assert ran == ["extract_frames", "normalize_tables", "validated_tables"]


def test_a_damaged_entry_is_a_miss_and_is_written_again(built, monkeypatch):
    raw, out = built
    entry = out / "interim" / "build"
    (entry / "tables" / "crosswalk.parquet").write_bytes(b"PAR1 cut short")
    ran = stages_that_run(monkeypatch)
    assert build(raw, out).exit_code == 0
    assert ran == ["extract_frames", "normalize_tables", "validated_tables"]
    ran.clear()
    assert build(raw, out).exit_code == 0 and ran == []


def test_a_failed_build_keeps_the_previous_entry(built, monkeypatch):
    raw, out = built
    key = (out / "interim" / "build" / "key").read_text()

    def validation_fails(*args, **kwargs):
        raise stages.PipelineError("a check failed")

    monkeypatch.setattr(stages, "validated_tables", validation_fails)
    assert build(raw, out, "--no-cache").exit_code != 0
    assert (out / "interim" / "build" / "key").read_text() == key


def test_the_key_follows_manifest_engine_code_libraries_and_raw_folder(tmp_path, monkeypatch):
    manifest = tmp_path / "raw" / "sources.toml"
    manifest.parent.mkdir()
    shutil.copyfile(RAW / "sources.toml", manifest)
    base = build_key(manifest, None, uses_pdf=False)
    assert build_key(manifest, None, uses_pdf=False) == base
    assert build_key(manifest, "pdfium", uses_pdf=False) != base

    moved = tmp_path / "elsewhere" / "sources.toml"
    moved.parent.mkdir()
    shutil.copyfile(manifest, moved)
    assert build_key(moved, None, uses_pdf=False) != base  # paths may reach the tables

    manifest.write_text(manifest.read_text() + "\n# a comment\n")
    assert build_key(manifest, None, uses_pdf=False) != base
    manifest.write_bytes((RAW / "sources.toml").read_bytes())

    real_version = build_cache._installed_version
    monkeypatch.setattr(build_cache, "_installed_version",
                        lambda name: "9.9" if name == "pandas" else real_version(name))
    assert build_key(manifest, None, uses_pdf=False) != base
    monkeypatch.undo()



def test_the_key_follows_every_file_of_the_packages_but_bytecode(tmp_path):
    manifest = RAW / "sources.toml"
    package = tmp_path / "pipeline"
    (package / "data").mkdir(parents=True)
    (package / "data" / "typos.csv").write_text("wrong,right\nteh,the\n")
    base = build_key(manifest, None, uses_pdf=False, packages=[package])
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "stages.cpython-311.pyc").write_bytes(b"bytecode")
    assert build_key(manifest, None, uses_pdf=False, packages=[package]) == base
    (package / "data" / "typos.csv").write_text("wrong,right\nteh,the\nadn,and\n")
    assert build_key(manifest, None, uses_pdf=False, packages=[package]) != base


def test_package_files_are_every_file_but_bytecode():
    files = {p.relative_to(ROOT).as_posix() for p in
             build_cache._package_files(ROOT / "pipeline")}
    assert {"pipeline/runtime/build_cache.py", "pipeline/data/release.toml"} <= files
    assert not any("__pycache__" in name or name.endswith(".pyc") for name in files)


def test_libraries_are_the_declared_dependencies():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert set(LIBRARIES) == {*declared, "pdfminer.six"}


def test_an_entry_of_another_key_is_not_read(tmp_path):
    import pandas as pd

    rejected = tmp_path / "rejected_rows.csv"
    rejected.write_text("source,line,reason\n")
    tables = {"coe_domains": pd.DataFrame({"code": ["1"], "name": ["Foundations"]})}
    store_reusable(tmp_path / "entry", "key-1", tables, ["extract: 1 row"], rejected)
    reused = load_reusable(tmp_path / "entry", "key-1")
    assert reused is not None and reused.lines == ["extract: 1 row"]
    pd.testing.assert_frame_equal(reused.tables["coe_domains"], tables["coe_domains"])
    assert load_reusable(tmp_path / "entry", "key-2") is None
    assert load_reusable(tmp_path / "nothing", "key-1") is None
