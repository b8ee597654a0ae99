"""Editing the manifest: ``--update`` rewrites a checksum however it is quoted and says
truly what it changed; add, replace and remove keep the comments and the other entries
byte for byte, and never write a manifest that does not load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.sources import (
    add_source,
    file_sha256,
    load_manifest,
    remove_source,
    replace_source,
    update_checksums,
    verify_sources,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PDF = FIXTURES / "crosswalk-domain-1-ruled.pdf"
ILLINOIS = "illinois-iecmhc-competencies"
ILLINOIS_FILE = "illinois-iecmhc-competencies.txt"
CROSSWALK = "coe-alliance-crosswalk-2023"
HEADER = "# Source documents of the pipeline."
METADATA = {"title": "Competencies that Guide Infant/Early Childhood Mental Health Consultants",
            "publisher": "Illinois Governor's Office of Early Childhood Development",
            "citation": "Illinois Governor's Office of Early Childhood Development. Competencies "
                        "that Guide Infant/Early Childhood Mental Health Consultants (flyer).",
            "permission": "The flyer carries no copyright or permission statement.",
            "redistribution": "no-statement",
            "year": 2024}


def _pin(raw: Path, name: str = ILLINOIS_FILE) -> str:
    return file_sha256(raw / name)


def _manifest(raw: Path) -> str:
    return (raw / "sources.toml").read_text(encoding="utf-8")


def _entries(raw: Path) -> str:
    """The manifest without its comment header."""
    text = _manifest(raw)
    return text[text.index("[[source]]"):]


def _change(raw: Path, name: str = ILLINOIS_FILE) -> str:
    """Append a line to a source (a deliberate change to accept); its new sha256."""
    path = raw / name
    path.write_text(path.read_text(encoding="utf-8") + "\nA new line.\n", encoding="utf-8")
    return file_sha256(path)


def _new_edition(tmp_path: Path, raw: Path, name: str = "illinois-2024.txt") -> Path:
    """The Illinois flyer with its last competency's text changed, outside raw/."""
    path = tmp_path / "downloads" / name
    path.parent.mkdir(exist_ok=True)
    text = (raw / ILLINOIS_FILE).read_text(encoding="utf-8")
    path.write_text(text.replace("#8:", "#8: (2024 edition)"), encoding="utf-8")
    return path


# --- crosswalk sources --update -------------------------------------------------------------

@pytest.mark.parametrize("written", [
    pytest.param('sha256 = "{pin}"', id="basic-string"),
    pytest.param('sha256="{pin}"', id="no-spaces"),
    pytest.param("sha256 = '{pin}'", id="literal-string"),
    pytest.param("sha256='{pin}'", id="literal-string-no-spaces"),
    pytest.param('sha256   =   "{pin}"', id="wide-spaces"),
])
def test_update_rewrites_a_checksum_however_it_is_quoted(raw_copy, written):
    """The trap: it replaced the exact text ``sha256 = "…"``, so another quoting was left
    as it was while the command reported ``1 checksum(s) updated``."""
    old = _pin(raw_copy)
    manifest = raw_copy / "sources.toml"
    text = _manifest(raw_copy)
    manifest.write_text(text.replace(f'sha256 = "{old}"', written.format(pin=old)),
                        encoding="utf-8")
    new = _change(raw_copy)
    assert update_checksums(raw_copy) == [(ILLINOIS, old, new)]
    verify_sources(load_manifest(raw_copy))
    assert {s.id: s.sha256 for s in load_manifest(raw_copy)}[ILLINOIS] == new


def test_update_keeps_comments_and_every_other_line_byte_for_byte(raw_copy):
    old, before = _pin(raw_copy), _manifest(raw_copy)
    manifest = raw_copy / "sources.toml"
    manifest.write_text(before.replace(f'sha256 = "{old}"', f'sha256 = "{old}"  # pinned 2024'),
                        encoding="utf-8")
    new = _change(raw_copy)
    update_checksums(raw_copy)
    after = _manifest(raw_copy)
    assert after.startswith(HEADER)
    assert after == before.replace(f'sha256 = "{old}"', f'sha256 = "{new}"  # pinned 2024')


def test_update_writes_a_missing_checksum_instead_of_refusing(raw_copy):
    """The trap: a new entry needed a sha256 that --update refused to fill in
    (``lacks sha256``), so one typed 64 zeros."""
    old = _pin(raw_copy)
    manifest = raw_copy / "sources.toml"
    manifest.write_text(_manifest(raw_copy).replace(f'sha256 = "{old}"\n', ""), encoding="utf-8")
    assert update_checksums(raw_copy) == [(ILLINOIS, "", old)]
    verify_sources(load_manifest(raw_copy))


@pytest.mark.parametrize("placeholder", ['"' + "0" * 64 + '"', '"TODO"', "0"],
                         ids=["64-zeros", "a-word", "a-number"])
def test_update_replaces_a_placeholder_checksum(raw_copy, set_key, placeholder):
    set_key(raw_copy, ILLINOIS, "sha256", placeholder)
    (change,) = update_checksums(raw_copy)
    assert change[0] == ILLINOIS and change[2] == _pin(raw_copy)
    verify_sources(load_manifest(raw_copy))


def test_update_with_nothing_changed_changes_nothing(raw_copy):
    before = (raw_copy / "sources.toml").read_bytes()
    assert update_checksums(raw_copy) == []
    assert (raw_copy / "sources.toml").read_bytes() == before


def test_update_keeps_crlf_line_ends_and_a_byte_order_mark(raw_copy):
    manifest = raw_copy / "sources.toml"
    crlf = _manifest(raw_copy).replace("\n", "\r\n")
    manifest.write_bytes(b"\xef\xbb\xbf" + crlf.encode("utf-8"))
    old = _pin(raw_copy)
    new = _change(raw_copy)
    update_checksums(raw_copy)
    assert manifest.read_bytes() == b"\xef\xbb\xbf" + crlf.replace(old, new).encode("utf-8")


def test_update_of_a_missing_file_names_it(raw_copy):
    (raw_copy / ILLINOIS_FILE).unlink()
    with pytest.raises(PipelineError, match="is missing") as caught:
        update_checksums(raw_copy)
    assert caught.value.path == str(raw_copy / ILLINOIS_FILE)


# --- add ------------------------------------------------------------------------------------

def test_add_appends_an_entry_that_loads_and_copies_the_file_into_raw(raw_copy, tmp_path):
    before = _manifest(raw_copy)
    remove_source(raw_copy, ILLINOIS)  # one source per table: the new edition replaces it
    kept = _manifest(raw_copy)
    edition = _new_edition(tmp_path, raw_copy)
    added = add_source(raw_copy, edition, metadata=METADATA)
    assert added.copied_to == raw_copy / "illinois-2024.txt"
    assert (raw_copy / "illinois-2024.txt").read_bytes() == edition.read_bytes()
    source = added.source
    assert (source.id, source.path, source.format) == (
        "illinois-2024", "illinois-2024.txt", "illinois-flyer-text")
    assert source.sha256 == file_sha256(edition) and source.year == 2024
    assert source.title == METADATA["title"] and source.copyright == ""
    sources = load_manifest(raw_copy)
    verify_sources(sources)
    assert sources[-1] == source
    after = _manifest(raw_copy)
    assert before.startswith(HEADER) and after.startswith(HEADER)
    # the entries before stay byte for byte, the new one follows after one blank line
    assert after == kept.rstrip("\n") + "\n\n" + (
        '[[source]]\nid = "illinois-2024"\npath = "illinois-2024.txt"\n'
        'format = "illinois-flyer-text"\n'
        f'title = "{METADATA["title"]}"\npublisher = "{METADATA["publisher"]}"\nyear = 2024\n'
        f'citation = "{METADATA["citation"]}"\npermission = "{METADATA["permission"]}"\n'
        'redistribution = "no-statement"\n'
        f'sha256 = "{file_sha256(edition)}"\n')


def test_add_takes_a_file_already_in_raw_without_copying(raw_copy):
    remove_source(raw_copy, ILLINOIS)
    added = add_source(raw_copy, raw_copy / ILLINOIS_FILE, source_id="illinois",
                       metadata=METADATA)
    assert added.copied_to is None and added.source.path == ILLINOIS_FILE
    verify_sources(load_manifest(raw_copy))


def test_add_takes_the_format_given_over_the_one_detected(raw_copy, tmp_path):
    web = tmp_path / "section-4-copy.txt"
    shutil.copy(raw_copy / "crosswalk-section-4-reflective-practice.txt", web)
    web.write_text(web.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    added = add_source(raw_copy, web, format="crosswalk-web-records", metadata=METADATA)
    assert added.source.format == "crosswalk-web-records"


def test_add_refuses_to_overwrite_a_different_file_in_raw(raw_copy, tmp_path):
    before = _manifest(raw_copy)
    edition = _new_edition(tmp_path, raw_copy, name=ILLINOIS_FILE)
    with pytest.raises(PipelineError, match="raw/ has a different file of this name") as caught:
        add_source(raw_copy, edition, source_id="illinois-2024", metadata=METADATA)
    assert "rename the new file" in str(caught.value)
    assert (raw_copy / ILLINOIS_FILE).read_bytes() != edition.read_bytes()
    assert _manifest(raw_copy) == before


def test_add_refuses_a_second_crosswalk_and_leaves_raw_as_it_was(raw_copy):
    before = sorted(p.name for p in raw_copy.iterdir())
    manifest = _manifest(raw_copy)
    with pytest.raises(PipelineError, match="only one crosswalk source may be listed") as caught:
        add_source(raw_copy, PDF, metadata=METADATA)
    assert f"crosswalk sources replace {CROSSWALK} FILE" in str(caught.value)
    assert sorted(p.name for p in raw_copy.iterdir()) == before
    assert _manifest(raw_copy) == manifest


@pytest.mark.parametrize("source_id, metadata, words", [
    pytest.param("../../escaped", METADATA, "id '../../escaped' is not a slug", id="bad-id"),
    pytest.param(CROSSWALK, METADATA, "duplicate id", id="taken-id"),
    pytest.param("illinois-2024", {**METADATA, "year": 23}, "year must be a whole number",
                 id="implausible-year"),
    pytest.param("illinois-2024", {**METADATA, "title": ""}, "lacks title", id="no-title"),
])
def test_add_writes_nothing_when_the_new_entry_would_not_load(raw_copy, tmp_path, source_id,
                                                              metadata, words):
    remove_source(raw_copy, ILLINOIS)
    before = _manifest(raw_copy)
    edition = _new_edition(tmp_path, raw_copy)
    with pytest.raises(PipelineError, match="sources.toml") as caught:
        add_source(raw_copy, edition, source_id=source_id, metadata=metadata)
    assert words in str(caught.value)
    assert _manifest(raw_copy) == before
    assert not (raw_copy / "illinois-2024.txt").exists()


def test_add_of_a_file_of_no_known_format_asks_for_format(raw_copy, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Meeting notes.\nNothing here is a competency.\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="pass --format"):
        add_source(raw_copy, notes, metadata=METADATA)


# --- replace --------------------------------------------------------------------------------

def test_replace_switches_the_crosswalk_from_its_text_export_to_its_pdf(raw_copy):
    before = {s.id: s for s in load_manifest(raw_copy)}[CROSSWALK]
    replaced = replace_source(raw_copy, CROSSWALK, PDF)
    new = replaced.source
    assert (new.id, new.title, new.citation, new.permission, new.year) == (
        before.id, before.title, before.citation, before.permission, before.year)
    assert (new.path, new.format, new.sha256) == (
        PDF.name, "crosswalk-table-pdf", file_sha256(PDF))
    assert replaced.copied_to == raw_copy / PDF.name
    assert dict(new.expect) == dict(before.expect) and replaced.dropped_expect == ()
    assert replaced.old_file_left and (raw_copy / before.path).exists()
    sources = load_manifest(raw_copy)
    verify_sources(sources)
    assert sources[0] == new
    assert _manifest(raw_copy).startswith(HEADER)


def test_replace_changes_only_the_path_format_and_checksum_lines(raw_copy):
    before = _manifest(raw_copy)
    old = _pin(raw_copy, "coe-alliance-crosswalk-2023.txt")
    replace_source(raw_copy, CROSSWALK, PDF)
    assert _manifest(raw_copy) == (
        before.replace('path = "coe-alliance-crosswalk-2023.txt"', f'path = "{PDF.name}"')
        .replace('format = "crosswalk-table-text"', 'format = "crosswalk-table-pdf"')
        .replace(f'sha256 = "{old}"', f'sha256 = "{file_sha256(PDF)}"'))


def test_replace_drops_pdf_settings_for_a_text_format_and_says_so(raw_copy):
    replace_source(raw_copy, CROSSWALK, PDF)
    manifest = raw_copy / "sources.toml"
    text = _manifest(raw_copy)
    manifest.write_text(text.replace("\n[source.expect]\ndomains = 8",
                                     '\n[source.settings]\nengine = "camelot"\n\n'
                                     "[source.expect]\ndomains = 8", 1), encoding="utf-8")
    assert load_manifest(raw_copy)[0].settings.engine == "camelot"
    replaced = replace_source(raw_copy, CROSSWALK, raw_copy / "coe-alliance-crosswalk-2023.txt")
    assert replaced.dropped_settings and replaced.source.settings is None
    assert "[source.settings]" not in _entries(raw_copy)
    assert replaced.copied_to is None and replaced.old_file_left


def test_replace_keeps_pdf_settings_for_a_pdf(raw_copy, tmp_path):
    replace_source(raw_copy, CROSSWALK, PDF)
    manifest = raw_copy / "sources.toml"
    manifest.write_text(_manifest(raw_copy).replace(
        "\n[source.expect]\ndomains = 8", '\n[source.settings]\npages = "1-3"\n\n'
        "[source.expect]\ndomains = 8", 1), encoding="utf-8")
    unruled = FIXTURES / "crosswalk-domain-1-unruled.pdf"
    replaced = replace_source(raw_copy, CROSSWALK, unruled)
    assert not replaced.dropped_settings and replaced.source.settings.pages == "1-3"


def test_replace_drops_the_expectations_the_new_format_does_not_know(raw_copy):
    """The Illinois entry given a web rendition: its ``competencies = 8`` means nothing there."""
    web = raw_copy.parent / "web.txt"
    shutil.copy(raw_copy / "crosswalk-section-4-reflective-practice.txt", web)
    web.write_text(web.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    replaced = replace_source(raw_copy, ILLINOIS, web)
    assert replaced.source.format == "crosswalk-web-records"
    assert replaced.dropped_expect == ("competencies",) and replaced.kept_expect == ()
    assert dict(replaced.source.expect) == {}
    assert "competencies = 8" not in _entries(raw_copy)
    load_manifest(raw_copy)


def test_replace_of_an_unknown_id_lists_the_ids(raw_copy):
    with pytest.raises(PipelineError, match="no source has the id 'illinois'") as caught:
        replace_source(raw_copy, "illinois", PDF)
    assert ILLINOIS in str(caught.value)


# --- remove ---------------------------------------------------------------------------------

def test_remove_drops_the_entry_and_leaves_the_file(raw_copy):
    removed = remove_source(raw_copy, ILLINOIS)
    assert removed.id == ILLINOIS
    assert (raw_copy / ILLINOIS_FILE).exists()
    sources = load_manifest(raw_copy)
    assert ILLINOIS not in [s.id for s in sources] and len(sources) == 4
    assert _manifest(raw_copy).startswith(HEADER)


def test_remove_then_add_gives_back_an_equal_entry(raw_copy):
    before = {s.id: s for s in load_manifest(raw_copy)}[ILLINOIS]
    remove_source(raw_copy, ILLINOIS)
    metadata = {key: getattr(before, key) for key in ("title", "publisher", "citation",
                                                      "permission", "redistribution",
                                                      "copyright", "year")}
    added = add_source(raw_copy, raw_copy / ILLINOIS_FILE, source_id=ILLINOIS,
                       metadata=metadata)
    assert added.source.id == before.id and added.source.sha256 == before.sha256
    assert load_manifest(raw_copy)[-1].title == before.title


def test_the_last_source_cannot_be_removed(raw_copy):
    for source in load_manifest(raw_copy)[:-1]:
        remove_source(raw_copy, source.id)
    with pytest.raises(PipelineError, match="is the only one"):
        remove_source(raw_copy, ILLINOIS)
    assert [s.id for s in load_manifest(raw_copy)] == [ILLINOIS]
