"""The manifest: checksums pin the sources; paths stay inside raw/; bad entries are named."""

import shutil
from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.sources import file_sha256, load_manifest, update_checksums, verify_sources

RAW = Path(__file__).resolve().parents[1] / "raw"


@pytest.fixture
def raw_copy(tmp_path) -> Path:
    target = tmp_path / "raw"
    shutil.copytree(RAW, target)
    return target


def test_committed_manifest_matches_every_source_byte_for_byte():
    sources = load_manifest(RAW)
    verify_sources(sources)
    assert {s.path for s in sources} == {p.name for p in RAW.iterdir() if p.name != "sources.toml"}


def test_changed_source_is_refused_with_how_to_accept_it(raw_copy):
    path = raw_copy / "illinois-iecmhc-competencies.txt"
    path.write_text(path.read_text() + "\nA new line.\n")
    with pytest.raises(PipelineError) as caught:
        verify_sources(load_manifest(raw_copy))
    assert "changed: sha256 is" in str(caught.value)
    assert "crosswalk sources --update" in str(caught.value)


def test_update_rewrites_only_the_changed_checksum_and_keeps_comments(raw_copy):
    path = raw_copy / "illinois-iecmhc-competencies.txt"
    path.write_text(path.read_text() + "\nA new line.\n")
    changed = update_checksums(raw_copy)
    assert [c[0] for c in changed] == ["illinois-iecmhc-competencies"]
    assert changed[0][2] == file_sha256(path)
    verify_sources(load_manifest(raw_copy))
    assert (raw_copy / "sources.toml").read_text().startswith("# Source documents")


@pytest.mark.parametrize(
    "edit, message",
    [
        pytest.param(('path = "illinois-iecmhc-competencies.txt"', 'path = "../secret.txt"'),
                     "must be relative and inside raw/", id="dotdot-path"),
        pytest.param(('path = "illinois-iecmhc-competencies.txt"', 'path = "/etc/passwd"'),
                     "must be relative and inside raw/", id="absolute-path"),
        pytest.param(('format = "illinois-flyer-text"', 'format = "word-doc"'),
                     "unknown format 'word-doc'", id="unknown-format"),
        pytest.param(('[[source]]\nid = "illinois', '[[source]\nid = "illinois'),
                     "not valid TOML", id="toml-syntax-error"),
    ],
)
def test_bad_manifest_entry_is_named(raw_copy, edit, message):
    manifest = raw_copy / "sources.toml"
    manifest.write_text(manifest.read_text().replace(*edit))
    with pytest.raises(PipelineError) as caught:
        load_manifest(raw_copy)
    assert message in str(caught.value)
    assert "sources.toml" in str(caught.value)


def test_symlink_pointing_outside_raw_is_refused(raw_copy, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("not a source")
    target = raw_copy / "illinois-iecmhc-competencies.txt"
    target.unlink()
    target.symlink_to(outside)
    with pytest.raises(PipelineError, match="resolves outside raw/"):
        load_manifest(raw_copy)


def test_missing_source_file_is_named(raw_copy):
    (raw_copy / "illinois-iecmhc-competencies.txt").unlink()
    with pytest.raises(PipelineError) as caught:
        verify_sources(load_manifest(raw_copy))
    assert "illinois-iecmhc-competencies.txt" in str(caught.value)
    assert "is missing" in str(caught.value)


def test_expectations_are_read_from_the_manifest():
    sources = {s.id: s for s in load_manifest(RAW)}
    assert dict(sources["coe-alliance-crosswalk-2023"].expect) == {
        "domains": 8, "reverse_table": True, "reverse_areas": 62}
    assert dict(sources["ct-aimh-mentor-guidelines"].expect) == {
        "areas_of_expertise": 11, "statements": 113}
    assert dict(sources["illinois-iecmhc-competencies"].expect) == {"competencies": 8}
    assert dict(sources["crosswalk-section-4-web"].expect) == {}


@pytest.mark.parametrize(
    "expect, message",
    [
        pytest.param("competences = 8", "[source.expect] has unknown key(s): competences",
                     id="unknown-key"),
        pytest.param('competencies = "8"', "competencies must be a whole number", id="string-count"),
        pytest.param("competencies = 0", "competencies must be a whole number", id="zero"),
        pytest.param("competencies = true", "competencies must be a whole number", id="bool-count"),
        pytest.param("domains = 8", "unknown key(s): domains", id="key-of-another-format"),
    ],
)
def test_bad_expectation_is_refused_naming_the_manifest(raw_copy, expect, message):
    manifest = raw_copy / "sources.toml"
    text = manifest.read_text()
    assert "competencies = 8\n" in text
    manifest.write_text(text.replace("competencies = 8\n", expect + "\n"))
    with pytest.raises(PipelineError) as caught:
        load_manifest(raw_copy)
    assert message in str(caught.value)
    assert "sources.toml" in str(caught.value) and "illinois-iecmhc-competencies" in str(caught.value)


def test_reverse_table_expectation_must_be_true_or_false(raw_copy):
    manifest = raw_copy / "sources.toml"
    manifest.write_text(manifest.read_text().replace("reverse_table = true", "reverse_table = 1"))
    with pytest.raises(PipelineError, match="reverse_table must be true or false"):
        load_manifest(raw_copy)


def test_a_manifest_saved_with_a_byte_order_mark_is_read(tmp_path):
    import shutil

    from pipeline.sources import load_manifest

    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    manifest = raw / "sources.toml"
    manifest.write_bytes(b"\xef\xbb\xbf" + manifest.read_bytes())
    assert [s.id for s in load_manifest(raw)] == [s.id for s in load_manifest(RAW)]
