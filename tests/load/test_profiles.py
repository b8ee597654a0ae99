"""The profiles: open (the default: the text of sources whose terms forbid it withheld),
full, codes-only (no copyrighted text), and the licences a build carries."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import frictionless
import pandas as pd
import pandera.pandas as pa
import pytest

from pipeline.errors import PipelineError
from pipeline.formats import FORMATS
from pipeline.load.profiles import (
    apply_profile,
    codes_only,
    withheld_mask,
    withheld_rows,
)
from pipeline.load.publish import publish_tables, sort_rows
from pipeline.metadata import TABLES
from pipeline.metadata.profiles import (
    DEFAULT_PROFILE,
    PROFILES,
    ProfiledTable,
    Withheld,
    contract_for,
    documented_contract,
    verbatim_columns,
)
from pipeline.sources import load_manifest
from pipeline.validate import validate_tables
from pipeline.validate.profiles import profile_models

RAW = Path(__file__).resolve().parents[2] / "raw"
#: What a team needs to use the mapping, and may share: none of it is source prose.
MAPPING_COLUMNS = ("coe_code", "mapping_seq", "coe_domain_number", "coe_category_code",
                   "mapping_priority", "alignment", "endorsement_domain", "endorsement_level")


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
    keyed_by_text = {name for name, table in TABLES.items()
                     if set(verbatim_columns(table)) & set(table.key)}
    assert {"endorsement_index", "mentor_areas"} <= keyed_by_text
    assert set(TABLES) - set(contract) == keyed_by_text
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
    # The datasets' files: the files of all datasets (datapackage.json, the database, the
    # workbook) carry the descriptions, which quote one title as an example.
    datasets = {p.stem for p in codes_build.glob("*.csv")}
    for path in (p for p in codes_build.iterdir()
                 if p.stem in datasets and p.suffix in (".csv", ".json", ".parquet")):
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
    # the audit rows about the crosswalk name the web rendition it was reconciled with
    assert [(s["id"], s["role"]) for s in resources["corrections"]["sources"]] == [
        ("coe-alliance-crosswalk-2023", "rows"), ("crosswalk-section-4-web", "witness"),
        ("crosswalk-section-7-web", "witness"), ("ct-aimh-mentor-guidelines", "rows")]
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


# --- the open profile: each source's terms, as data (issue 16) -----------------------------

def _raw_with_terms(tmp_path: Path, terms: dict[str, str]) -> Path:
    """A copy of raw/ whose manifest gives the sources ``terms`` (id → redistribution)."""
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    manifest = raw / "sources.toml"
    blocks = manifest.read_text(encoding="utf-8").split("[[source]]\n")
    for number, block in enumerate(blocks):
        source_id = re.search(r'^id = "([^"]+)"$', block, re.MULTILINE)
        if source_id and source_id.group(1) in terms:
            blocks[number] = re.sub(r'^redistribution = ".*"$',
                                    f'redistribution = "{terms[source_id.group(1)]}"', block,
                                    count=1, flags=re.MULTILINE)
    manifest.write_text("[[source]]\n".join(blocks), encoding="utf-8")
    return raw


def _expected_nulls(name: str, frame: pd.DataFrame, sources) -> pd.DataFrame:
    """Which cells the open profile must leave null, told from the data and the terms
    alone: a verbatim cell of a row whose source may not be redistributed (every row of
    a table such a source witnesses), and an audit row's row_key when the key of the
    dataset it names holds such a cell."""
    closed = {s.id for s in sources if not s.terms.publish_text}
    witnessed = {t for s in sources if s.id in closed for t in FORMATS[s.format].witness_of}
    keyed_by_text = {n for n, t in TABLES.items() if set(verbatim_columns(t)) & set(t.key)}
    rows = frame["source_id"].isin(closed) | (name in witnessed)
    nulls = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    for column in verbatim_columns(TABLES[name]):
        nulls[column] = rows
    if {"dataset", "row_key"} <= set(frame.columns):
        nulls["row_key"] = frame["source_id"].isin(closed) & frame["dataset"].isin(keyed_by_text)
    return nulls


def _check_open(validated, sources) -> dict[str, pd.DataFrame]:
    tables, contract = apply_profile(validated, "open", sources=sources)
    assert set(tables) == set(validated) == set(contract)
    for name, full in validated.items():
        published = tables[name]
        assert len(published) == len(full), f"{name}: rows dropped"
        assert list(published.columns) == list(full.columns)
        # A table with withheld cells is published in the order of its full key.
        full = sort_rows(full, TABLES[name]) if isinstance(contract[name], ProfiledTable) \
            else full
        full, published = full.reset_index(drop=True), published.reset_index(drop=True)
        nulls = _expected_nulls(name, full, sources)
        for column in full.columns:
            for row in range(len(full)):
                value, before = published.at[row, column], full.at[row, column]
                if nulls.at[row, column]:
                    assert pd.isna(value), f"{name}.{column} row {row}: not withheld"
                else:
                    assert value is before or value == before or (
                        pd.isna(value) and pd.isna(before)), f"{name}.{column} row {row}"
    return tables


def test_the_default_profile_is_open():
    from pipeline.stages import Paths

    assert DEFAULT_PROFILE == "open" == PROFILES[0]
    assert Paths(RAW, Path("build")).profile == "open"


def test_open_withholds_exactly_the_text_of_sources_whose_terms_forbid_it(validated):
    sources = load_manifest(RAW)
    assert {s.id for s in sources if not s.terms.publish_text} == {
        "ct-aimh-mentor-guidelines", "illinois-iecmhc-competencies"}
    tables = _check_open(validated, sources)
    mentor = tables["mentor_competencies"]
    assert mentor["statement"].isna().all() and mentor["designations"].notna().all()
    assert tables["illinois_competencies"]["title"].isna().all()
    assert tables["illinois_competencies"]["number"].tolist() == [1, 2]
    assert tables["crosswalk"]["coe_competency"].notna().all()
    corrections = tables["corrections"].set_index("dataset")
    assert pd.isna(corrections.loc["mentor_competencies", "before"])
    assert corrections.loc["mentor_competencies", "row_key"] == "Working with Others/1"
    assert corrections.loc["crosswalk", "after"] == "development"


@pytest.mark.parametrize("terms", [
    pytest.param({"ct-aimh-mentor-guidelines": "verbatim-with-credit",
                  "coe-alliance-crosswalk-2023": "consent-required"}, id="swapped"),
    pytest.param({"illinois-iecmhc-competencies": "verbatim-with-credit"}, id="one-more-open"),
    pytest.param({"crosswalk-section-7-web": "consent-required"}, id="a-witness-closed"),
])
def test_what_is_withheld_follows_the_terms_in_the_manifest(validated, tmp_path, terms):
    sources = load_manifest(_raw_with_terms(tmp_path, terms))
    assert {s.id: s.redistribution for s in sources if s.id in terms} == terms
    tables = _check_open(validated, sources)
    if "coe-alliance-crosswalk-2023" in terms:
        assert tables["mentor_competencies"]["statement"].notna().all()
        assert tables["crosswalk"]["coe_competency"].isna().all()
        assert tables["crosswalk"]["coe_code"].notna().all()
    if "crosswalk-section-7-web" in terms:  # its cells may be in any crosswalk row
        assert tables["crosswalk"]["demonstrated_by"].isna().all()
        assert tables["coe_domains"]["domain_title"].notna().all()


def test_full_keeps_every_text(validated):
    tables, contract = apply_profile(validated, "full", sources=load_manifest(RAW))
    assert contract == dict(TABLES)
    for name, frame in validated.items():
        pd.testing.assert_frame_equal(tables[name], frame)


def test_open_contract_frees_what_it_withholds_and_says_so():
    contract = contract_for("open", sources=load_manifest(RAW))
    mentor = contract["mentor_competencies"]
    assert mentor.field("statement").required is False
    assert "Withheld (null) in the default open build in the rows of ct-aimh-mentor-guidelines " \
        "(consent-required)" in mentor.field("statement").description
    assert "Open profile" in mentor.description and mentor.primary_key == TABLES[
        "mentor_competencies"].primary_key
    # mentor_areas is keyed by its text: no key left, rows in the full key's order
    areas = contract["mentor_areas"]
    assert areas.primary_key == () and areas.sort_by == TABLES["mentor_areas"].key
    assert "no primary key" in areas.description
    assert contract["crosswalk"] == TABLES["crosswalk"]  # nothing of it withheld
    with pytest.raises(PipelineError, match="needs the manifest's sources"):
        contract_for("open")


def test_open_build_lists_what_it_withheld_and_validates(validated, tmp_path):
    sources = load_manifest(RAW)
    tables, contract = apply_profile(validated, "open", sources=sources)
    publish_tables(tables, tmp_path / "open", sources, contract=contract)
    package = json.loads((tmp_path / "open" / "datapackage.json").read_text(encoding="utf-8"))
    withheld = {(w["resource"], w["column"], w["source_id"]) for w in package["x_withheld"]}
    nulled = set()
    for name, frame in validated.items():
        nulls = _expected_nulls(name, frame, sources)
        for column in nulls.columns:
            for source_id in frame.loc[nulls[column], "source_id"]:
                nulled.add((name, column, source_id))
    assert withheld == nulled
    assert ("mentor_competencies", "statement", "ct-aimh-mentor-guidelines") in withheld
    for entry in package["x_withheld"]:
        assert entry["redistribution"] in ("consent-required", "no-statement")
        assert entry["rows"]["source_id"] == entry["source_id"]
        assert entry["source_id"] in entry["reason"]
    resources = {r["name"]: r for r in package["resources"]}
    statement = next(f for f in resources["mentor_competencies"]["schema"]["fields"]
                     if f["name"] == "statement")
    assert statement["constraints"]["required"] is False
    assert "Withheld (null)" in statement["description"]
    assert "withheld" in resources["mentor_competencies"]["description"]
    assert "primaryKey" not in resources["mentor_areas"]["schema"]
    assert "x_withheld" in package["description"]
    report = frictionless.validate(str(tmp_path / "open" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note", "fieldName"])


def test_a_full_build_withholds_nothing(validated, tmp_path):
    publish_tables(validated, tmp_path, load_manifest(RAW), version="1.0.0")
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert package["x_withheld"] == []
    assert "withheld" not in package["description"]


def test_build_follows_the_terms_of_a_changed_manifest(tmp_path):
    """`crosswalk build` as a user runs it, on a raw/ whose CT-AIMH entry says its text
    may be redistributed: its statements are published, the Illinois flyer's still not."""
    from click.testing import CliRunner

    from pipeline.cli import main

    raw = _raw_with_terms(tmp_path, {"ct-aimh-mentor-guidelines": "verbatim-with-credit"})
    out = tmp_path / "open"
    result = CliRunner().invoke(main, ["build", "--raw", str(raw), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "(open)" in result.output
    mentor = pd.read_csv(out / "mentor_competencies.csv", dtype=str, keep_default_na=False)
    illinois = pd.read_csv(out / "illinois_competencies.csv", dtype=str, keep_default_na=False)
    assert len(mentor) == 113 and (mentor["statement"] != "").all()
    assert len(illinois) == 8 and (illinois["title"] == "").all()
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert {w["source_id"] for w in package["x_withheld"]} == {"illinois-iecmhc-competencies"}


def test_the_data_dictionary_says_what_the_default_build_withholds():
    documented = documented_contract(load_manifest(RAW))
    statement = documented["mentor_competencies"].field("statement")
    assert statement.required is True  # the contract's column, as the full profile has it
    assert "Withheld (null) in the default open build" in statement.description
    page = (RAW.parent / "docs" / "datasets.md").read_text(encoding="utf-8")
    assert statement.description.replace("_", "\\_") in page


def test_withheld_rows_compare_cells_as_text_as_pandas_does(validated):
    """The rows an entry withholds, found in plain Python, are those the comparison of
    pandas' ``string`` columns finds: integers and flags as text, a null matching nothing."""
    frame = validated["mentor_competencies"].copy()
    frame.loc[frame.index[:3], "source_line"] = pd.NA
    frame.loc[frame.index[3:5], "source_id"] = pd.NA
    entries = [
        Withheld("mentor_competencies", "statement", "ct-aimh-mentor-guidelines", "none",
                 "terms", rows)
        for rows in ({"source_id": "ct-aimh-mentor-guidelines"},
                     {"source_id": "ct-aimh-mentor-guidelines",
                      "source_line": str(frame["source_line"].dropna().iloc[0])},
                     {"designation_policy": "True"}, {"designation_policy": "true"},
                     {"parent_seq": "1"}, {})]
    for entry in entries:
        expected = pd.Series(True, index=frame.index)
        for column, value in entry.rows.items():
            expected &= frame[column].astype("string").eq(value).fillna(False)
        assert withheld_rows(frame, entry).tolist() == expected.tolist(), entry.rows
        assert withheld_mask(frame, entry) == expected.tolist(), entry.rows
    assert 0 < sum(withheld_mask(frame, entries[1])) < sum(withheld_mask(frame, entries[0]))
    assert sum(withheld_mask(frame, entries[0])) == len(frame) - 2
    assert not any(withheld_mask(frame, entries[3]))  # "true" is not how pandas writes True
