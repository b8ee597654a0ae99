"""`crosswalk diff` of documents: two raw folders or two source files, each built in a
temporary folder first, so a new edition can be reviewed before it goes into raw/."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import tomlkit
from click.testing import CliRunner

from pipeline import stages
from pipeline.cli import main
from pipeline.sources import file_sha256, load_manifest
from pipeline.versions.documents import DOCUMENT_ID, document_raw, side_kind

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "raw"
CROSSWALK = RAW / "coe-alliance-crosswalk-2023.txt"
ILLINOIS = RAW / "illinois-iecmhc-competencies.txt"
PDF = ROOT / "tests" / "fixtures" / "crosswalk-domain-1-ruled.pdf"
#: raw/coe-alliance-crosswalk-2023.txt, line 469 (7C.1), and as a new edition words it.
OLD_7C1 = "Attends to and manages complex group dynamics"
NEW_7C1 = "Attends to and manages complex group and team dynamics"
TEXT = ["--source-format", "crosswalk-table-text"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def temp_root(tmp_path, monkeypatch) -> Path:
    """The folder the diff's temporary folders go in, to see that they are removed."""
    root = tmp_path / "temp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def _edition(folder: Path, old: str = OLD_7C1, new: str = NEW_7C1) -> Path:
    """A copy of the crosswalk text export with ``old`` reworded as ``new``."""
    folder.mkdir(parents=True, exist_ok=True)
    text = CROSSWALK.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = folder / CROSSWALK.name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _raw_folder(folder: Path, source: Path) -> Path:
    """A raw folder holding ``source`` and raw/sources.toml's crosswalk entry, without
    [source.expect] (an excerpt's manifest), its sha256 made current."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, folder / CROSSWALK.name)
    manifest = tomlkit.parse((RAW / "sources.toml").read_text(encoding="utf-8"))
    entry = next(e for e in manifest["source"] if e["path"] == CROSSWALK.name)
    entry.pop("expect", None)
    entry["sha256"] = file_sha256(folder / CROSSWALK.name)
    document = tomlkit.document()
    document["source"] = tomlkit.aot()
    document["source"].append(entry)
    (folder / "sources.toml").write_text(tomlkit.dumps(document), encoding="utf-8")
    return folder


def test_two_text_exports_show_what_the_new_edition_changes(tmp_path, temp_root):
    old = shutil.copyfile(CROSSWALK, tmp_path / "crosswalk-2023.txt")
    new = _edition(tmp_path / "edition-2025")
    result = run("diff", old, new, *TEXT)
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith(f"old: {old} (version ")
    assert "suggested version bump: patch" in result.stdout
    assert ("  ~ 7C.1/1\n      coe_competency: … manages complex group {+and team +}dynamics"
            in result.stdout)
    # The same source id and metadata on both sides: only the wording differs.
    assert "moved" not in result.stdout.split("\n\n", 2)[2]
    # ... and the sha256 of the two files, which datapackage.json gives with its sources
    package = [line for line in result.stdout.splitlines() if line.startswith("package:")]
    assert [line.split(" ", 2)[1] for line in package] == ["sources"]
    old_sources, new_sources = (json.loads(side) for side in
                                package[0].split(" ", 2)[2].split(" → "))
    assert [{**s, "hash": None} for s in old_sources] == [{**s, "hash": None}
                                                          for s in new_sources]
    assert f"diff: {old}: a crosswalk-table-text document, built in a temporary folder" \
        in result.stderr
    # a lone document is built whole (its terms are placeholders: nothing is published)
    assert re.search(rf"diff: {re.escape(str(new))}: publish: \d+ datasets \(full\)",
                     result.stderr)
    assert list(temp_root.iterdir()) == []


def test_two_raw_folders_are_built_and_compared(tmp_path, temp_root):
    old = _raw_folder(tmp_path / "raw-2023", CROSSWALK)
    new = _raw_folder(tmp_path / "raw-2025", _edition(tmp_path / "edition"))
    result = run("diff", old, new, "--format", "json")
    assert result.exit_code == 1, result.output
    assert '"new": {\n    "build": "' + str(new) in result.stdout
    assert f"diff: {old}: a raw folder, built in a temporary folder" in result.stderr
    assert list(temp_root.iterdir()) == []


def test_files_of_two_different_formats_are_refused_before_any_build(tmp_path, temp_root):
    """Relies on pipeline.sources.detect_format: a text export, a flyer and a PDF."""
    result = run("diff", CROSSWALK, ILLINOIS)
    assert result.exit_code == 2, result.output
    assert (f"error: {CROSSWALK} is a crosswalk-table-text source and {ILLINOIS} a "
            "illinois-flyer-text source") in result.output
    assert "diff: " not in result.output  # nothing was built
    result = run("diff", PDF, CROSSWALK)
    assert result.exit_code == 2 and "crosswalk-table-pdf source" in result.output
    assert list(temp_root.iterdir()) == []


def test_an_error_in_a_document_names_the_file_given_not_its_copy(tmp_path, temp_root):
    # Competency 1B.2 (line 153) left out: the completeness check stops the build.
    lines = CROSSWALK.read_text(encoding="utf-8").split("\n")
    assert lines[152].startswith("1B.\t1B.2. Considers")
    cut = tmp_path / "cut.txt"
    cut.write_text("\n".join(lines[:152] + lines[153:]), encoding="utf-8")
    result = run("diff", cut, CROSSWALK, *TEXT)
    assert result.exit_code == 2, result.output
    assert f"error: {cut}:" in result.output and "1B.2 is missing" in result.output
    assert "document.txt" not in result.output
    assert list(temp_root.iterdir()) == []


def test_an_interrupted_build_leaves_no_temporary_folder(tmp_path, temp_root, monkeypatch):
    def interrupted(paths, log):
        assert (paths.raw / "sources.toml").is_file()
        raise KeyboardInterrupt

    monkeypatch.setattr(stages, "run_build", interrupted)
    result = run("diff", CROSSWALK, _edition(tmp_path), *TEXT)
    assert result.exit_code == 130, result.output
    assert list(temp_root.iterdir()) == []


def test_a_missing_side_is_named():
    result = run("diff", "nowhere.pdf", CROSSWALK, *TEXT)
    assert result.exit_code == 2
    assert "error: nowhere.pdf: no such file or folder" in result.output
    assert "a raw folder (with sources.toml) or a source file" in result.output


@pytest.mark.parametrize("spec, kind", [
    pytest.param("git:HEAD~1", "build", id="git"),
    pytest.param(ROOT / "build", "build", id="build-folder"),
    pytest.param(ROOT / "build" / "datapackage.json", "build", id="datapackage"),
    pytest.param(RAW, "raw", id="raw-folder"),
    pytest.param(CROSSWALK, "document", id="text-export"),
    pytest.param(PDF, "document", id="pdf"),
])
def test_what_a_side_is(spec, kind):
    assert side_kind(spec) == kind


def test_a_document_gets_a_manifest_the_build_accepts(tmp_path):
    raw = document_raw(CROSSWALK, tmp_path / "raw", "crosswalk-table-text")
    [source] = load_manifest(raw)
    assert (source.id, source.path, source.format) == (DOCUMENT_ID, "document.txt",
                                                       "crosswalk-table-text")
    assert source.sha256 == file_sha256(CROSSWALK) and dict(source.expect) == {}
    assert (raw / "document.txt").read_bytes() == CROSSWALK.read_bytes()
