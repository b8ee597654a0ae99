"""datapackage.json: valid Frictionless, offline, and true to the files it describes."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import frictionless
import pytest

from pipeline.errors import PipelineError
from pipeline.load.datapackage import (
    datapackage_descriptor,
    release_date,
    release_version,
    write_datapackage,
)
from pipeline.load.publish import publish_tables
from pipeline.metadata import TABLES
from pipeline.sources import file_sha256, load_manifest
from pipeline.validate import validate_tables

RAW = Path(__file__).resolve().parents[2] / "raw"


@pytest.fixture
def sources():
    return load_manifest(RAW)


@pytest.fixture
def package(sample_tables, tmp_path, sources) -> Path:
    """A published sample build; returns its directory (of its own: tmp_path holds the
    sample typo list too)."""
    publish_tables(validate_tables(sample_tables), tmp_path / "build", sources)
    return tmp_path / "build"


def descriptor(out: Path) -> dict:
    return json.loads((out / "datapackage.json").read_text(encoding="utf-8"))


def test_frictionless_validation_is_clean_and_offline(package, offline, sample_tables):
    report = frictionless.validate(str(package / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note", "rowNumber", "fieldName"])
    assert len(report.tasks) == len(sample_tables) == len(TABLES)


def test_frictionless_notices_a_tampered_file(package, offline):
    """The check above is real: a CSV changed after the package was written fails."""
    path = package / "coe_domains.csv"
    path.write_bytes(path.read_bytes().replace(b"Foundational", b"Fundamental"))
    report = frictionless.validate(str(package / "datapackage.json"))
    assert not report.valid
    assert "hash-count" in {error[0] for error in report.flatten(["type"])}


def test_frictionless_checks_foreign_keys(package, offline):
    path = package / "crosswalk.csv"
    path.write_bytes(path.read_bytes().replace(b"\n2C.1,1,2,", b"\n2C.9,1,2,"))
    # Describe the changed file, so only the broken reference is wrong.
    write_datapackage(package, list(TABLES.values()), load_manifest(RAW))
    report = frictionless.validate(str(package / "datapackage.json"))
    assert {error[0] for error in report.flatten(["type"])} == {"foreign-key"}


def test_bytes_and_sha256_match_the_files(package):
    for resource in descriptor(package)["resources"]:
        data = (package / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()


def test_one_resource_per_table_with_its_schema(package):
    resources = {r["name"]: r for r in descriptor(package)["resources"]}
    assert list(resources) == list(TABLES)
    crosswalk = resources["crosswalk"]
    assert (crosswalk["path"], crosswalk["format"], crosswalk["mediatype"], crosswalk["encoding"]) == (
        "crosswalk.csv", "csv", "text/csv", "utf-8",
    )
    schema = crosswalk["schema"]
    assert schema["primaryKey"] == ["coe_code", "mapping_seq"]
    assert schema["missingValues"] == [""]
    assert {"fields": ["coe_code"], "reference": {"resource": "coe_competencies",
                                                  "fields": ["coe_code"]}} in schema["foreignKeys"]
    fields = {f["name"]: f for f in schema["fields"]}
    assert fields["coe_code"]["constraints"] == {"required": True, "pattern": r"[1-8][A-H]\.\d{1,2}"}
    assert fields["mapping_seq"]["type"] == "integer"
    assert fields["mapping_seq"]["constraints"] == {"required": True, "minimum": 1}
    assert fields["alignment"]["constraints"]["enum"] == ["same", "partial", "unique"]
    assert fields["endorsement_domain"]["constraints"]["required"] is False
    assert fields["coe_competency"]["description"].startswith("The skill text")
    # endorsement_index has a unique key with a nullable column: no primary key.
    assert "primaryKey" not in resources["endorsement_index"]["schema"]


def test_package_metadata_from_the_sources(package, sources):
    data = descriptor(package)
    assert list(data)[:6] == ["profile", "name", "title", "description", "version", "created"]
    assert data["version"] == release_version()  # pipeline/data/release.toml
    for source in sources:
        entry = next(s for s in data["sources"] if s["id"] == source.id)
        assert entry["description"] == source.citation
        assert entry["permission"] == source.permission
        assert entry["redistribution"] == source.redistribution
        assert entry["publisher"] == source.publisher
        assert any(source.permission in item["title"] for item in data["licenses"])


# --- honest metadata (issue 16): every file, every source, the date, the licences ----------


def _listed_files(data: dict) -> list[dict]:
    """Every file the descriptor lists: the CSV resources, their JSON and Parquet
    renditions, and the files made of all datasets."""
    return [*data["resources"], *data.get("x_alternates", []), *data.get("x_files", [])]


def test_every_published_file_is_listed_with_its_bytes_and_sha256(package):
    data = descriptor(package)
    listed = _listed_files(data)
    paths = [entry["path"] for entry in listed]
    assert len(paths) == len(set(paths))
    published = {p.relative_to(package).as_posix() for p in package.rglob("*")
                 if p.is_file()} - {"datapackage.json"}  # site/index.html is in a subfolder
    assert set(paths) == published
    assert {f"{name}{suffix}" for name in TABLES for suffix in (".csv", ".json", ".parquet")} \
        <= published
    for entry in listed:
        data_bytes = (package / entry["path"]).read_bytes()
        assert entry["bytes"] == len(data_bytes), entry["path"]
        assert entry["hash"] == "sha256:" + hashlib.sha256(data_bytes).hexdigest(), entry["path"]
    formats = {(e["path"].rsplit(".", 1)[1], e["format"], e["mediatype"])
               for e in data["x_alternates"]}
    assert formats == {("json", "json", "application/json"),
                       ("parquet", "parquet", "application/vnd.apache.parquet")}
    assert {e["resource"] for e in data["x_alternates"]} == set(TABLES)


def test_sources_have_their_sha256_and_no_path_that_leads_nowhere(package, sources):
    data = descriptor(package)
    root = RAW.parent
    for source in sources:
        entry = next(s for s in data["sources"] if s["id"] == source.id)
        assert entry["hash"] == f"sha256:{source.sha256}"
        assert entry["hash"] == f"sha256:{file_sha256(source.file)}"
        # raw/<file> is relative to the repository root, and says so by its name
        assert entry["repository_path"] == f"raw/{source.path}"
        assert (root / entry["repository_path"]).is_file()
        # a path is the document's address, or absent: never a file beside no build
        assert entry.get("path") == source.url
    for item in [*data["sources"], *_listed_files(data),
                 *(s for r in data["resources"] for s in r.get("sources", ()))]:
        path = item.get("path")
        assert path is None or path.startswith("https://") or (package / path).is_file(), path


def test_a_source_with_an_address_gives_it_as_path_and_url(package, sources):
    from dataclasses import replace

    from pipeline.load.datapackage import source_entry

    entry = source_entry(replace(sources[0], url="https://example.org/crosswalk.pdf"))
    assert entry["path"] == entry["url"] == "https://example.org/crosswalk.pdf"


def test_created_is_the_release_date_declared_in_release_toml(package, tmp_path):
    assert descriptor(package)["created"] == f"{release_date()}T00:00:00Z"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", release_date())
    toml = tmp_path / "release.toml"
    toml.write_text('version = "1.0.0"\n', encoding="utf-8")
    assert release_date(toml) is None  # no date declared: none invented
    toml.write_text('version = "1.0.0"\nreleased = 2026-12-02\n', encoding="utf-8")
    assert release_date(toml) == "2026-12-02"  # a TOML date
    toml.write_text('version = "1.0.0"\nreleased = "2026-13-02"\n', encoding="utf-8")
    with pytest.raises(PipelineError, match="is not a date YYYY-MM-DD"):
        release_date(toml)


def test_no_created_without_a_release_date(sample_tables, tmp_path, sources, monkeypatch):
    import pipeline.load.datapackage

    toml = tmp_path / "release.toml"
    toml.write_text('version = "1.0.0"\n', encoding="utf-8")
    monkeypatch.setattr(pipeline.load.datapackage, "RELEASE_TOML", toml)
    out = tmp_path / "out"
    publish_tables(validate_tables(sample_tables), out, sources)
    assert "created" not in descriptor(out)


def test_the_code_licence_is_not_among_the_data_licences(package, sources):
    data = descriptor(package)
    assert [entry["name"] for entry in data["licenses"]] == [
        f"LicenseRef-{source.id}" for source in sources]
    assert all("MIT" not in entry["name"] for entry in data["licenses"])
    assert data["x_code_license"]["name"] == "MIT"
    assert "x_code_license" in data["description"]
    for resource in data["resources"]:
        assert all(entry["name"] != "MIT" for entry in resource.get("licenses", ()))


def test_resources_name_the_web_rendition_whose_records_repaired_or_confirmed_them(package):
    """The web rendition of domains 4 and 7 is compared with every crosswalk row of its
    domains and replaces a damaged cell (rule rendition): the rows it was compared with
    and the competencies derived from them, and the audit rows about them, name it."""
    resources = {r["name"]: r for r in descriptor(package)["resources"]}
    web = [("crosswalk-section-4-web", "witness"), ("crosswalk-section-7-web", "witness")]
    for name in ("crosswalk", "coe_competencies", "corrections"):
        named = [(s["id"], s["role"]) for s in resources[name]["sources"]]
        assert [n for n in named if n[1] == "witness"] == web, name
        assert {"name": "LicenseRef-crosswalk-section-4-web"} in resources[name]["licenses"]
    assert [s["id"] for s in resources["crosswalk"]["sources"]][0] == \
        "coe-alliance-crosswalk-2023"
    for name in ("coe_domains", "mentor_competencies", "illinois_competencies"):
        assert all(s["role"] == "rows" for s in resources[name]["sources"]), name


def test_written_stably(package, sources, tmp_path):
    text = (package / "datapackage.json").read_text(encoding="utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert '"path": "coe_domains.csv"' in text  # indent 2, keys as given
    again = write_datapackage(package, list(TABLES.values()), sources)
    assert again.read_text(encoding="utf-8") == text


def test_foreign_key_to_a_table_left_out_is_left_out(sample_tables, tmp_path, sources, offline):
    """A package of some tables only still validates."""
    tables = validate_tables({name: sample_tables[name] for name in ("coe_domains", "coe_categories", "crosswalk")})
    publish_tables(tables, tmp_path, sources)
    resources = {r["name"]: r for r in descriptor(tmp_path)["resources"]}
    assert [fk["reference"]["resource"] for fk in resources["crosswalk"]["schema"]["foreignKeys"]] == [
        "coe_categories", "coe_domains",
    ]
    assert frictionless.validate(str(tmp_path / "datapackage.json")).valid


def test_missing_csv_is_an_error(tmp_path, sources):
    with pytest.raises(PipelineError, match="its CSV is missing"):
        write_datapackage(tmp_path, [TABLES["coe_domains"]], sources)


# --- the repository's licence and citation ---------------------------------------------------

ROOT = RAW.parent


def test_the_code_licence_is_mit_with_its_holder():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) 2026 The iecmh-crosswalk contributors\n")
    assert "THE SOFTWARE IS PROVIDED \"AS IS\"" in text
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'license = "MIT"' in pyproject


def test_citation_cff_is_valid_cff_1_2_0_of_this_release(sources):
    yaml = pytest.importorskip("yaml")
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    # the keys CFF 1.2.0 requires, with the types its schema wants
    assert citation["cff-version"] == "1.2.0"
    assert isinstance(citation["message"], str) and citation["message"]
    assert isinstance(citation["title"], str) and citation["title"]
    assert citation["authors"] and all(a.get("name") for a in citation["authors"])
    assert citation["type"] == "dataset"
    # the data version and release date of release.toml, as strings
    assert citation["version"] == release_version()
    assert citation["date-released"] == release_date()
    for reference in citation["references"]:
        assert {"type", "title", "authors"} <= set(reference)
        assert reference["authors"] and all(a.get("name") for a in reference["authors"])
    software = [r for r in citation["references"] if r["type"] == "software"]
    assert [(r["license"], r["version"]) for r in software] == [("MIT", "0.1.0")]
    assert 'version = "0.1.0"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    # every source document, by its title, with its terms and its file
    documents = [r for r in citation["references"] if r["type"] != "software"]
    assert len(documents) == len(sources)
    for source, reference in zip(sources, documents):
        assert " ".join(reference["title"].split()) == source.title
        assert reference.get("year") == source.year
        assert f"(source id {source.id})" in " ".join(reference["notes"].split())
        assert f"redistribution: {source.redistribution}" in reference["notes"]


def test_a_descriptor_made_before_the_exports_lists_them_when_written(sample_tables, tmp_path,
                                                                        sources):
    """publish_tables describes the dataset files once, before the database and workbook
    exist; the package it writes still lists those, exactly as a fresh descriptor does."""
    tables = validate_tables({name: sample_tables[name] for name in ("coe_domains",
                                                                      "coe_categories")})
    publish_tables(tables, tmp_path, sources)
    contract = [TABLES["coe_domains"], TABLES["coe_categories"]]
    written = (tmp_path / "datapackage.json").read_bytes()
    assert b'"path": "crosswalk.xlsx"' in written
    assert write_datapackage(tmp_path, contract, sources).read_bytes() == written
    before_exports = datapackage_descriptor(tmp_path, contract, sources)
    before_exports["x_files"] = [{"path": "a file no longer there"}]  # stale: made again
    again = write_datapackage(tmp_path, contract, sources, described=before_exports)
    assert again.read_bytes() == written
