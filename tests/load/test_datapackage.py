"""datapackage.json: valid Frictionless, offline, and true to the files it describes."""

from __future__ import annotations

import hashlib
import json
import socket
from pathlib import Path

import frictionless
import pytest

from pipeline.load.datapackage import release_version, write_datapackage
from pipeline.load.publish import publish_tables
from pipeline.metadata import TABLES
from pipeline.sources import load_manifest
from pipeline.validate import validate_tables

RAW = Path(__file__).resolve().parents[2] / "raw"


@pytest.fixture
def sources():
    return load_manifest(RAW)


@pytest.fixture
def package(sample_tables, tmp_path, sources) -> Path:
    """A published sample build; returns its directory."""
    publish_tables(validate_tables(sample_tables), tmp_path, sources)
    return tmp_path


@pytest.fixture
def offline(monkeypatch):
    """Any attempt to open a network connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


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
    assert data["created"] == "2023-01-01T00:00:00Z"  # the newest source year, not the clock
    assert data["licenses"][0]["name"] == "MIT"
    for source in sources:
        entry = next(s for s in data["sources"] if s["id"] == source.id)
        assert entry["path"] == f"raw/{source.path}"
        assert entry["description"] == source.citation
        assert entry["permission"] == source.permission
        assert entry["publisher"] == source.publisher
        assert any(source.permission in item["title"] for item in data["licenses"])


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
    from pipeline.errors import PipelineError

    with pytest.raises(PipelineError, match="its CSV is missing"):
        write_datapackage(tmp_path, [TABLES["coe_domains"]], sources)
