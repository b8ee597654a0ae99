"""The codes-only profile (no copyrighted text) and the licences a build carries."""

from __future__ import annotations

import json
from pathlib import Path

import frictionless
import pandas as pd
import pandera.pandas as pa
import pytest

from pipeline.errors import PipelineError
from pipeline.load.profiles import codes_only
from pipeline.load.publish import publish_tables
from pipeline.metadata import TABLES
from pipeline.metadata.profiles import contract_for, verbatim_columns
from pipeline.sources import load_manifest
from pipeline.validate import validate_tables
from pipeline.validate.profiles import profile_models

RAW = Path(__file__).resolve().parents[2] / "raw"
#: What a team needs to use the mapping, and may share: none of it is source prose.
MAPPING_COLUMNS = ("coe_code", "mapping_seq", "coe_domain_number", "coe_category_code",
                   "priority", "alignment", "endorsement_domain", "endorsement_level")


@pytest.fixture
def validated(sample_tables):
    return validate_tables(sample_tables)


@pytest.fixture
def codes_build(validated, tmp_path) -> Path:
    publish_tables(codes_only(validated), tmp_path, load_manifest(RAW), version="1.0.0",
                   contract=contract_for("codes-only"))
    return tmp_path


def test_codes_only_contract_has_no_verbatim_column():
    contract = contract_for("codes-only")
    assert all(not verbatim_columns(table) for table in contract.values())
    # Rows identified by the source's wording cannot be published without it.
    assert set(TABLES) - set(contract) == {"endorsement_index", "mentor_areas"}
    assert set(MAPPING_COLUMNS) <= set(contract["crosswalk"].column_names)
    assert contract["crosswalk"].primary_key == ("coe_code", "mapping_seq")
    assert "Codes-only profile" in contract["crosswalk"].description
    assert contract_for("full") == dict(TABLES)
    with pytest.raises(PipelineError, match="unknown profile"):
        contract_for("text-only")


def test_codes_only_drops_text_and_the_audit_rows_about_it(validated):
    tables = codes_only(validated)
    for name, frame in tables.items():
        assert list(frame.columns) == contract_for("codes-only")[name].column_names
    # Corrections of verbatim cells (1B.2 competency_text, 2C.1/1 demonstrated_by) go,
    # the vocabulary fix of a published column stays; the issue about endorsement_index
    # (not in the profile) goes.
    assert tables["corrections"][["dataset", "field"]].values.tolist() == [
        ["mentor_competencies", "area_of_expertise"]]
    assert tables["quality_issues"].empty
    assert tables["crosswalk"]["alignment"].tolist() == ["unique", "same", "same"]


def test_codes_only_build_contains_none_of_the_text(codes_build, sample_rows):
    # The prose of the datasets (the audit logs quote fragments of it, and vocabulary
    # values such as "Working with Others" that are rightly published).
    texts = {row[column] for name, table in TABLES.items() for column in verbatim_columns(table)
             for row in sample_rows[name]
             if name not in ("corrections", "quality_issues") and row[column]}
    assert len(texts) > 15
    # datapackage.json is left out: its descriptions quote one title as an example.
    for path in (p for p in codes_build.iterdir() if p.name != "datapackage.json"):
        data = path.read_bytes().decode("utf-8", errors="replace") if path.suffix != ".parquet" \
            else pd.read_parquet(path).to_json()
        leaked = [text for text in texts if text in data]
        assert not leaked, f"{path.name} carries source text: {leaked[:1]}"
    header = (codes_build / "crosswalk.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",")[:4] == ["coe_code", "mapping_seq", "coe_domain_number", "coe_domain"]


def test_codes_only_build_is_a_valid_data_package(codes_build):
    report = frictionless.validate(str(codes_build / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note", "fieldName"])


def test_profile_models_validate_a_codes_only_build(validated):
    models = profile_models("codes-only")
    assert set(models) == set(contract_for("codes-only"))
    for name, frame in codes_only(validated).items():
        models[name].validate(frame, lazy=True)
    # Still strict: a verbatim column in a codes-only table is refused.
    with pytest.raises(pa.errors.SchemaErrors):
        models["crosswalk"].validate(validated["crosswalk"], lazy=True)
    # And the checks on the columns kept still run (mapping_seq from 1 without gaps).
    broken = codes_only(validated)["crosswalk"].assign(mapping_seq=[1, 1, 3])
    with pytest.raises(pa.errors.SchemaErrors, match="mapping_seq_contiguous"):
        models["crosswalk"].validate(broken, lazy=True)


def test_each_dataset_names_its_sources_and_their_licences(validated, tmp_path):
    publish_tables(validated, tmp_path, load_manifest(RAW), version="1.0.0")
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    mentor = resources["mentor_competencies"]
    assert [s["id"] for s in mentor["sources"]] == ["ct-aimh-mentor-guidelines"]
    assert mentor["licenses"] == [{"name": "LicenseRef-ct-aimh-mentor-guidelines"}]
    assert [s["id"] for s in resources["corrections"]["sources"]] == [
        "coe-alliance-crosswalk-2023", "ct-aimh-mentor-guidelines"]
    names = {entry["name"] for entry in package["licenses"]}
    for resource in resources.values():
        assert {entry["name"] for entry in resource["licenses"]} <= names
    citations = {s["id"]: s["description"] for s in package["sources"]}
    assert citations["coe-alliance-crosswalk-2023"].startswith("Center of Excellence")
    assert frictionless.validate(str(tmp_path / "datapackage.json")).valid


def test_build_with_codes_only_profile_publishes_no_verbatim_column(tmp_path):
    """`crosswalk build --profile codes-only`, as a user runs it."""
    import json

    from click.testing import CliRunner

    from pipeline.cli import main
    from pipeline.metadata import TABLES

    out = tmp_path / "codes"
    result = CliRunner().invoke(main, ["build", "--raw", str(RAW), "--profile", "codes-only", "--out", str(out)])
    assert result.exit_code == 0, result.output
    verbatim = {f.name for t in TABLES.values() for f in t.fields if f.verbatim}
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        header = (out / resource["path"]).read_text(encoding="utf-8").split("\n", 1)[0].split(",")
        assert not verbatim & set(header), resource["name"]
        assert not verbatim & {f["name"] for f in resource["schema"]["fields"]}
    assert "coe_code" in (out / "crosswalk.csv").read_text(encoding="utf-8").split("\n", 1)[0]
