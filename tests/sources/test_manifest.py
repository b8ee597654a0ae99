"""The manifest: checksums pin the sources; every key of an entry is checked and a bad one
named (raw/sources.toml, the entry's number and id, the key); ids, files and the primary
source of each table are unique across entries."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import PipelineError
from pipeline.formats import FORMATS
from pipeline.metadata import TABLES
from pipeline.sources import REDISTRIBUTION, file_sha256, load_manifest, verify_sources
from pipeline.sources.manifest import Invalid, check_id

RAW = Path(__file__).resolve().parents[2] / "raw"
ILLINOIS = "illinois-iecmhc-competencies"
CROSSWALK = "coe-alliance-crosswalk-2023"
PDF = Path(__file__).resolve().parents[1] / "fixtures" / "crosswalk-domain-1-ruled.pdf"


def _refusal(raw: Path) -> str:
    with pytest.raises(PipelineError) as caught:
        load_manifest(raw)
    assert caught.value.path == str(raw / "sources.toml")
    return str(caught.value)


def _append(raw: Path, entry: str) -> None:
    with (raw / "sources.toml").open("a", encoding="utf-8") as manifest:
        manifest.write("\n" + entry)


def _entry(source_id: str, path: str, format: str, sha: str = "0" * 64) -> str:
    return (f'[[source]]\nid = "{source_id}"\npath = "{path}"\nformat = "{format}"\n'
            f'title = "t"\npublisher = "p"\ncitation = "c"\npermission = "p"\n'
            f'redistribution = "verbatim-with-credit"\nsha256 = "{sha}"\n')


# --- the committed manifest and its checksums ---------------------------------------------

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


def test_missing_source_file_is_named_with_how_to_remove_its_entry(raw_copy):
    (raw_copy / "illinois-iecmhc-competencies.txt").unlink()
    with pytest.raises(PipelineError) as caught:
        verify_sources(load_manifest(raw_copy))
    assert "illinois-iecmhc-competencies.txt" in str(caught.value)
    assert "is missing" in str(caught.value)
    assert f"crosswalk sources remove {ILLINOIS}" in str(caught.value)


def test_a_manifest_saved_with_a_byte_order_mark_is_read(raw_copy):
    manifest = raw_copy / "sources.toml"
    manifest.write_bytes(b"\xef\xbb\xbf" + manifest.read_bytes())
    assert [s.id for s in load_manifest(raw_copy)] == [s.id for s in load_manifest(RAW)]


def test_expectations_are_read_from_the_manifest():
    sources = {s.id: s for s in load_manifest(RAW)}
    assert dict(sources[CROSSWALK].expect) == {
        "domains": 8, "reverse_table": True, "reverse_areas": 62}
    assert dict(sources["ct-aimh-mentor-guidelines"].expect) == {
        "areas_of_expertise": 11, "statements": 113}
    assert dict(sources[ILLINOIS].expect) == {"competencies": 8}
    assert dict(sources["crosswalk-section-4-web"].expect) == {}


# --- one entry: every key checked, named with the entry and the key -------------------------

@pytest.mark.parametrize(
    "key, value, words",
    [
        pytest.param("year", '"twenty-three"',
                     "year must be a whole number from 1900 to 2100, not 'twenty-three'",
                     id="year-in-words"),
        pytest.param("year", '"2023"', "year must be a whole number", id="year-in-quotes"),
        pytest.param("year", "1066", "not 1066", id="year-implausibly-early"),
        pytest.param("year", "20230", "not 20230", id="year-implausibly-late"),
        pytest.param("year", "2023.0", "not 2023.0", id="year-a-fraction"),
        pytest.param("year", "true", "not True", id="year-true"),
        pytest.param("path", "5", "path must be text in quotes, not a number (5)",
                     id="path-a-number"),
        pytest.param("path", "true", "path must be text in quotes, not true or false",
                     id="path-a-bool"),
        pytest.param("path", '["a.txt"]', "path must be text in quotes, not a list",
                     id="path-a-list"),
        pytest.param("path", '{ name = "a.txt" }', "path must be text in quotes, not a table",
                     id="path-a-table"),
        pytest.param("path", '"illinois\\u0000.txt"', "path holds a NUL byte", id="path-nul"),
        pytest.param("path", '"illinois\\n.txt"', "path holds a control character (U+000A)",
                     id="path-newline"),
        pytest.param("path", '"illinois\\u001b[31m.txt"',
                     "path holds a control character (U+001B)", id="path-escape-sequence"),
        pytest.param("path", '"' + "a" * 5000 + '.txt"',
                     "path is 5,004 characters long, more than 255", id="path-5000-characters"),
        pytest.param("path", '"../secret.txt"', "must be relative and inside raw/",
                     id="path-dotdot"),
        pytest.param("path", '"/etc/passwd"', "must be relative and inside raw/",
                     id="path-absolute"),
        pytest.param("path", '"sources.toml"', "is the manifest itself", id="path-the-manifest"),
        pytest.param("format", '"word-doc"', "unknown format 'word-doc'", id="unknown-format"),
        pytest.param("format", "[1, 2]", "format must be text in quotes, not a list",
                     id="format-a-list"),
        pytest.param("title", "5", "title must be text in quotes", id="title-a-number"),
        pytest.param("title", '"  "', "lacks title", id="title-blank"),
        pytest.param("sha256", '"abc"', "sha256 is not 64 hex digits", id="sha256-short"),
        pytest.param("redistribution", '"public-domain"',
                     "redistribution 'public-domain' is not one of verbatim-with-credit, "
                     "consent-required, no-statement", id="redistribution-unknown"),
        pytest.param("redistribution", "true", "redistribution must be text in quotes",
                     id="redistribution-a-bool"),
        pytest.param("redistribution", '""', "lacks redistribution", id="redistribution-empty"),
        pytest.param("url", '"www.illinois.gov/flyer.pdf"', "is not an http(s) address",
                     id="url-without-scheme"),
        pytest.param("url", '"ftp://illinois.gov/flyer.pdf"', "is not an http(s) address",
                     id="url-ftp"),
        pytest.param("url", '"https://illinois.gov/a flyer.pdf"', "is not an http(s) address",
                     id="url-with-a-space"),
        pytest.param("url", '"javascript:alert(1)"', "is not an http(s) address",
                     id="url-javascript"),
        pytest.param("raw_dir", '"/tmp"', "unknown key(s): raw_dir",
                     id="raw-dir-is-no-key-of-an-entry"),
        pytest.param("titel", '"t"', "unknown key(s): titel", id="misspelt-key"),
    ],
)
def test_a_bad_value_names_the_manifest_the_entry_and_the_key(raw_copy, set_key, key, value,
                                                              words):
    set_key(raw_copy, ILLINOIS, key, value)
    message = _refusal(raw_copy)
    assert words in message
    assert message.startswith(f"{raw_copy / 'sources.toml'}: [[source]] number 5, "
                              f"source '{ILLINOIS}': ")
    assert "\n" not in message.split("\n  → ")[0]  # one line, then the hint


def test_a_misplaced_year_says_how_to_write_it(raw_copy, set_key):
    set_key(raw_copy, ILLINOIS, "year", '"twenty-three"')
    assert "write the year of publication without quotes, e.g. 2023" in _refusal(raw_copy)


@pytest.mark.parametrize(
    "value, words",
    [
        pytest.param("5", "id must be text in quotes, not a number (5)", id="id-a-number"),
        pytest.param("false", "id must be text in quotes, not true or false", id="id-a-bool"),
        pytest.param('["a"]', "id must be text in quotes, not a list", id="id-a-list"),
        pytest.param('{ a = 1 }', "id must be text in quotes, not a table", id="id-a-table"),
        pytest.param('"../../../../escaped"', "id '../../../../escaped' is not a slug",
                     id="id-escaping-the-build"),
        pytest.param('"Illinois"', "id 'Illinois' is not a slug", id="id-uppercase"),
        pytest.param('"illinois_2024"', "is not a slug", id="id-underscore"),
        pytest.param('"-illinois"', "is not a slug", id="id-leading-hyphen"),
        pytest.param('"illinois 2024"', "is not a slug", id="id-space"),
        pytest.param('""', "lacks id", id="id-empty"),
    ],
)
def test_an_unusable_id_names_the_entry_by_its_number(raw_copy, set_key, value, words):
    set_key(raw_copy, ILLINOIS, "id", value)
    message = _refusal(raw_copy)
    assert message.startswith(f"{raw_copy / 'sources.toml'}: [[source]] number 5: ")
    assert words in message


def test_an_id_that_is_no_slug_is_told_what_a_slug_is(raw_copy, set_key):
    set_key(raw_copy, ILLINOIS, "id", '"../../../../escaped"')
    assert "lowercase letters, digits and hyphens" in _refusal(raw_copy)


@given(st.text(max_size=40))
def test_no_accepted_id_leads_out_of_the_build_folder(text):
    out = Path("/tmp/build").resolve()
    try:
        source_id = check_id("id", text)
    except Invalid:
        return
    for folder in (out / source_id, out / "interim" / "extract" / source_id):
        assert folder.resolve().is_relative_to(out) and folder.resolve() != out


def test_a_missing_sha256_says_update_writes_it(raw_copy):
    manifest = raw_copy / "sources.toml"
    text = manifest.read_text(encoding="utf-8")
    pin = f'sha256 = "{file_sha256(raw_copy / "illinois-iecmhc-competencies.txt")}"\n'
    manifest.write_text(text.replace(pin, ""), encoding="utf-8")
    message = _refusal(raw_copy)
    assert f"source '{ILLINOIS}': lacks sha256" in message
    assert "crosswalk sources --update" in message


# --- what a source's terms allow --------------------------------------------------------------

def test_every_committed_source_says_what_its_terms_allow():
    """Read from each source's own permission statement (raw/sources.toml)."""
    terms = {s.id: s.redistribution for s in load_manifest(RAW)}
    assert terms == {CROSSWALK: "verbatim-with-credit",
                     "crosswalk-section-4-web": "verbatim-with-credit",
                     "crosswalk-section-7-web": "verbatim-with-credit",
                     "ct-aimh-mentor-guidelines": "consent-required",
                     ILLINOIS: "no-statement"}
    assert set(terms.values()) <= set(REDISTRIBUTION)
    assert not REDISTRIBUTION["consent-required"].publish_text
    assert not REDISTRIBUTION["no-statement"].publish_text
    assert REDISTRIBUTION["verbatim-with-credit"].publish_text


def test_a_source_without_its_terms_is_refused_not_published(raw_copy):
    """A missing redistribution must not let a source's text through: it is refused, with
    the values it may take."""
    manifest = raw_copy / "sources.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('redistribution = "no-statement"\n', ""), encoding="utf-8")
    message = _refusal(raw_copy)
    assert f"source '{ILLINOIS}': lacks redistribution" in message
    assert 'redistribution = "verbatim-with-credit" or "consent-required" or "no-statement"' \
        in message


def test_a_url_is_optional_and_read_when_given(raw_copy, set_key):
    assert {s.url for s in load_manifest(raw_copy)} == {None}
    set_key(raw_copy, ILLINOIS, "url", '"https://www.illinois.gov/flyer.pdf?v=2#page=1"')
    source = next(s for s in load_manifest(raw_copy) if s.id == ILLINOIS)
    assert source.url == "https://www.illinois.gov/flyer.pdf?v=2#page=1"


def test_symlink_pointing_outside_raw_is_refused(raw_copy, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("not a source")
    target = raw_copy / "illinois-iecmhc-competencies.txt"
    target.unlink()
    target.symlink_to(outside)
    assert "resolves outside raw/" in _refusal(raw_copy)


def test_toml_syntax_error_is_named_with_its_line(raw_copy):
    manifest = raw_copy / "sources.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('[[source]]\nid = "illinois', '[[source]\nid = "illinois'),
                        encoding="utf-8")
    with pytest.raises(PipelineError, match="not valid TOML") as caught:
        load_manifest(raw_copy)
    assert caught.value.line is not None


def test_an_unknown_top_level_table_is_refused(raw_copy):
    _append(raw_copy, '[[sources]]\nid = "x"\n')
    assert "unknown top-level key(s): sources" in _refusal(raw_copy)


# --- the expectations of an entry -----------------------------------------------------------

@pytest.mark.parametrize(
    "expect, message",
    [
        pytest.param("competences = 8", "[source.expect] has unknown key(s): competences",
                     id="unknown-key"),
        pytest.param('competencies = "8"', "competencies must be a whole number",
                     id="string-count"),
        pytest.param("competencies = 0", "competencies must be a whole number", id="zero"),
        pytest.param("competencies = true", "competencies must be a whole number",
                     id="bool-count"),
        pytest.param("domains = 8", "unknown key(s): domains", id="key-of-another-format"),
    ],
)
def test_bad_expectation_is_refused_naming_the_manifest(raw_copy, expect, message):
    manifest = raw_copy / "sources.toml"
    text = manifest.read_text()
    assert "competencies = 8\n" in text
    manifest.write_text(text.replace("competencies = 8\n", expect + "\n"))
    refused = _refusal(raw_copy)
    assert message in refused and ILLINOIS in refused


def test_reverse_table_expectation_must_be_true_or_false(raw_copy):
    manifest = raw_copy / "sources.toml"
    manifest.write_text(manifest.read_text().replace("reverse_table = true", "reverse_table = 1"))
    assert "reverse_table must be true or false" in _refusal(raw_copy)


# --- the entries together -------------------------------------------------------------------

def test_duplicate_ids_name_both_entries(raw_copy):
    _append(raw_copy, _entry(ILLINOIS, "copy.txt", "illinois-flyer-text"))
    message = _refusal(raw_copy)
    assert f"[[source]] number 6, source '{ILLINOIS}': duplicate id" in message
    assert "[[source]] number 5 has it too" in message


@pytest.mark.parametrize("path", ["illinois-iecmhc-competencies.txt",
                                  "./illinois-iecmhc-competencies.txt",
                                  "sub/../illinois-iecmhc-competencies.txt"],
                         ids=["same-name", "dot-slash", "through-a-folder"])
def test_the_same_file_under_two_ids_is_refused(raw_copy, path):
    # The copy is a witness, so no table has two primary sources: the file is the problem.
    (raw_copy / "sub").mkdir()
    _append(raw_copy, _entry("illinois-again", path, "crosswalk-web-records"))
    message = _refusal(raw_copy)
    if ".." in path:
        assert "must be relative and inside raw/" in message
        return
    assert "[[source]] number 6, source 'illinois-again'" in message
    assert f"is the file of source '{ILLINOIS}' ([[source]] number 5) too" in message


def test_the_same_file_through_a_symlink_inside_raw_is_refused(raw_copy):
    (raw_copy / "alias.txt").symlink_to(raw_copy / "illinois-iecmhc-competencies.txt")
    _append(raw_copy, _entry("illinois-alias", "alias.txt", "crosswalk-web-records"))
    assert f"is the file of source '{ILLINOIS}'" in _refusal(raw_copy)


def test_a_second_crosswalk_source_names_both_and_says_to_replace(raw_copy):
    """The trap: adding the crosswalk PDF beside its text export built every crosswalk row
    twice and failed validation with 674 duplicate keys and no hint why."""
    shutil.copy(PDF, raw_copy / "crosswalk.pdf")
    _append(raw_copy, _entry("crosswalk-pdf", "crosswalk.pdf", "crosswalk-table-pdf",
                             file_sha256(PDF)))
    message = _refusal(raw_copy)
    assert (f"sources '{CROSSWALK}' (crosswalk-table-text) and 'crosswalk-pdf' "
            "(crosswalk-table-pdf) both give the tables") in message
    assert "only one crosswalk source may be listed" in message
    assert f"crosswalk sources replace {CROSSWALK} FILE" in message


def test_two_sources_of_the_mentor_tables_are_refused_too(raw_copy):
    shutil.copy(raw_copy / "ct-aimh-mentor-competency-guidelines.txt", raw_copy / "mentor-2.txt")
    _append(raw_copy, _entry("mentor-2", "mentor-2.txt", "ct-aimh-mentor-html"))
    message = _refusal(raw_copy)
    assert "mentor_competencies, mentor_areas" in message
    assert "only one CT-AIMH mentor guidelines source may be listed" in message


def test_witnesses_may_be_many_beside_the_table_they_witness():
    formats = [s.format for s in load_manifest(RAW)]
    assert formats.count("crosswalk-web-records") == 2
    assert not FORMATS["crosswalk-web-records"].primary_tables


def test_the_primary_tables_of_every_format_are_published_tables():
    for source_format in FORMATS.values():
        assert set(source_format.primary_tables) <= set(TABLES), source_format.name
        assert not source_format.primary_tables or source_format.document
    assert FORMATS["crosswalk-table-text"].primary_tables == \
        FORMATS["crosswalk-table-pdf"].primary_tables
