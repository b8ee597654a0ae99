"""The real published rows, re-published into temporary folders, for the tests of the
database, the workbook and the typed reader.

The rows are those of a fresh build of the repository's ``raw/`` with the ``full``
profile (every text column, as a local user builds it; the committed ``build/`` is the
``open`` profile, with some text withheld), read back with the typed reader; the
contract is the one that build's ``datapackage.json`` states. Nothing is written to
``build/``.
"""

from __future__ import annotations

import json
import socket
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from pipeline.load.profiles import apply_profile
from pipeline.load.publish import publish_tables
from pipeline.load.read import read_dataset
from pipeline.metadata import TABLES, Field, ForeignKey, Table
from pipeline.sources import load_manifest
from pipeline.stages import Paths, run_build

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
RAW = ROOT / "raw"


def build_contract(folder: Path = BUILD) -> dict[str, Table]:
    """The tables ``folder/datapackage.json`` describes, as contract tables; what the
    descriptor does not say (verbatim columns, sort order, a unique key) comes from
    ``pipeline/metadata/`` where the columns agree."""
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    contract = {}
    for resource in descriptor["resources"]:
        declared = TABLES.get(resource["name"])
        schema = resource["schema"]
        fields = tuple(_field(f, declared) for f in schema["fields"])
        names = {f.name for f in fields}
        table = Table(
            name=resource["name"],
            title=resource["title"],
            description=resource["description"],
            fields=fields,
            primary_key=tuple(schema.get("primaryKey", ())),
            foreign_keys=tuple(
                ForeignKey(tuple(fk["fields"]), fk["reference"]["resource"],
                           tuple(fk["reference"]["fields"]))
                for fk in schema.get("foreignKeys", ())
            ),
        )
        if declared is not None and set(declared.unique) <= names:
            table = replace(table, unique=declared.unique)
        if declared is not None and set(declared.sort_by) <= names:
            table = replace(table, sort_by=declared.sort_by)
        contract[table.name] = table
    return contract


def _field(descriptor: dict, declared: Table | None) -> Field:
    constraints = descriptor.get("constraints", {})
    verbatim = False
    if declared is not None and descriptor["name"] in declared.column_names:
        verbatim = declared.field(descriptor["name"]).verbatim
    enum = constraints.get("enum")
    return Field(
        descriptor["name"],
        descriptor["type"],
        descriptor.get("description", ""),
        required=constraints.get("required", False),
        enum=tuple(enum) if enum is not None else None,
        minimum=constraints.get("minimum"),
        maximum=constraints.get("maximum"),
        verbatim=verbatim,
    )


@pytest.fixture(scope="session")
def full_build(tmp_path_factory) -> Path:
    """``raw/`` built with the ``full`` profile into a temporary folder, once."""
    out = tmp_path_factory.mktemp("full-build")
    run_build(Paths(RAW, out, profile="full"), lambda line: None)
    return out


@pytest.fixture(scope="session")
def real_contract(full_build) -> dict[str, Table]:
    return build_contract(full_build)


@pytest.fixture(scope="session")
def real_tables(real_contract, full_build) -> dict[str, pd.DataFrame]:
    """Every dataset of the full build, typed (from its Parquet file)."""
    return {name: read_dataset(name, full_build, "parquet") for name in real_contract}


@pytest.fixture(scope="session")
def manifest_sources():
    return load_manifest(RAW)


def _publish(tables, contract, sources, out: Path) -> Path:
    publish_tables(tables, out, sources, contract=contract)
    return out


@pytest.fixture(scope="session")
def published(real_tables, real_contract, manifest_sources, tmp_path_factory) -> Path:
    """The real rows published into a temporary folder (full profile)."""
    return _publish(real_tables, real_contract, manifest_sources, tmp_path_factory.mktemp("published"))


@pytest.fixture(scope="session")
def published_again(real_tables, real_contract, manifest_sources, tmp_path_factory) -> Path:
    """The same rows published a second time, into another folder."""
    return _publish(real_tables, real_contract, manifest_sources, tmp_path_factory.mktemp("again"))


@pytest.fixture(scope="session")
def published_codes_only(real_tables, real_contract, manifest_sources, tmp_path_factory) -> Path:
    """The real rows cut to the codes-only profile and published."""
    tables, kept = apply_profile(real_tables, "codes-only", real_contract)
    return _publish(tables, kept, manifest_sources, tmp_path_factory.mktemp("codes-only"))


@pytest.fixture
def offline(monkeypatch):
    """Any attempt to open a network connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
