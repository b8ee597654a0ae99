"""The exported files (database, its datasette metadata, workbook) are listed in
datapackage.json under x_files, true to the files, and the package stays valid."""

from __future__ import annotations

import hashlib
import inspect
import json
import sqlite3
from contextlib import closing

import frictionless
import openpyxl
import pandas as pd
import pytest

from pipeline.load.exports import EXPORTS, EXPORTS_PROPERTY, exports_entry
from pipeline.load.profiles import apply_profile
from pipeline.load.publish import publish_tables
from pipeline.load.sqlite import SQLITE_NAME
from pipeline.load.workbook import WORKBOOK_NAME
from pipeline.metadata.profiles import PROFILES


def package(folder) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("build", ["published", "published_codes_only"])
def test_every_export_is_listed_with_its_bytes_and_sha256(build, request):
    folder = request.getfixturevalue(build)
    listed = package(folder)[EXPORTS_PROPERTY]
    assert [entry["path"] for entry in listed] == [name for name, *_ in EXPORTS]
    for entry in listed:
        data = (folder / entry["path"]).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert entry["format"] and entry["mediatype"] and entry["description"]


def test_exports_are_not_resources(published, real_contract):
    assert [r["name"] for r in package(published)["resources"]] == list(real_contract)


@pytest.mark.parametrize("build", ["published", "published_codes_only"])
def test_package_stays_valid_frictionless(build, request, offline):
    folder = request.getfixturevalue(build)
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])


def test_a_folder_without_exports_lists_none(tmp_path):
    assert exports_entry(tmp_path) == {}


def database_texts(folder) -> set[str]:
    """Every text cell of every table of the database (not the FTS index's own tables)."""
    with closing(sqlite3.connect(folder / SQLITE_NAME)) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%_fts%'")]
        return {value for table in tables
                for row in connection.execute(f'SELECT * FROM "{table}"')
                for value in row if isinstance(value, str)}


def workbook_texts(folder) -> set[str]:
    return {value for sheet in openpyxl.load_workbook(folder / WORKBOOK_NAME)
            for row in sheet.iter_rows(values_only=True) for value in row
            if isinstance(value, str)}


def texts(tables: dict[str, pd.DataFrame], columns=None) -> set[str]:
    return {value for name, frame in tables.items()
            for column in (columns(name) if columns else frame.columns)
            for value in frame[column].dropna() if isinstance(value, str)}


@pytest.mark.parametrize("profile", [p for p in PROFILES if p != "full"])
def test_a_partial_profile_exports_none_of_the_text_it_withholds(
        profile, real_tables, real_contract, manifest_sources, tmp_path):
    """The database and the workbook are made from the profile's own cut tables."""
    extra = ({"sources": manifest_sources}
             if "sources" in inspect.signature(apply_profile).parameters else {})
    tables, kept = apply_profile(real_tables, profile, real_contract, **extra)
    publish_tables(tables, tmp_path, manifest_sources, contract=kept)
    verbatim = texts(real_tables, lambda name: [f.name for f in real_contract[name].fields
                                                if f.verbatim])
    withheld = verbatim - texts(tables)
    assert withheld, f"the {profile} profile withholds nothing of the real data"
    assert not withheld & database_texts(tmp_path)
    assert not withheld & workbook_texts(tmp_path)
