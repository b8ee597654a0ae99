"""The `crosswalk` command as a user runs it (click's CliRunner), end to end."""

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.metadata import TABLES

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "raw"
COMMITTED = ROOT / "build"
PUBLISHED = ("coe_domains", "coe_categories", "coe_competencies", "crosswalk",
             "endorsement_index", "corrections", "quality_issues")


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build")
    result = run("build", "--raw", RAW, "--out", out)
    assert result.exit_code == 0, result.output
    return out


def _read(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)


def test_build_publishes_every_dataset_in_three_formats(built):
    for name in PUBLISHED:
        for suffix in ("csv", "json", "parquet"):
            assert (built / f"{name}.{suffix}").is_file(), f"{name}.{suffix}"
    assert (built / "datapackage.json").is_file()


def test_build_counts_match_the_document(built):
    assert len(_read(built, "coe_domains")) == 8
    assert len(_read(built, "coe_categories")) == 34
    assert len(_read(built, "coe_competencies")) == 147
    assert len(_read(built, "crosswalk")) == 195
    index = _read(built, "endorsement_index")
    assert index.groupby(["endorsement_domain", "endorsement_area"]).ngroups == 62


def test_keys_are_unique_and_in_natural_order(built):
    crosswalk = _read(built, "crosswalk")
    assert not crosswalk.duplicated(["coe_code", "mapping_seq"]).any()
    codes = list(dict.fromkeys(crosswalk["coe_code"]))
    assert codes.index("2A.2") < codes.index("2A.10")
    competencies = _read(built, "coe_competencies")
    assert set(crosswalk["coe_code"]) == set(competencies["coe_code"])


def test_no_unexplained_unknown_words(built):
    issues = _read(built, "quality_issues")
    assert issues[issues["kind"] == "unknown_word"].empty, issues[issues["kind"] == "unknown_word"]


def test_reverse_table_code_that_is_no_competency_is_reported_not_published(built):
    issues = _read(built, "quality_issues")
    unknown = issues[issues["kind"] == "unknown_code"]
    assert unknown["detail"].str.contains("'32'").any()
    index = _read(built, "endorsement_index")
    assert "32" not in set(index["coe_code"])


def test_every_correction_names_its_rule_and_source_line(built):
    corrections = _read(built, "corrections")
    assert len(corrections) > 0
    assert set(corrections["rule"]) <= set(TABLES["corrections"].field("rule").enum)
    assert (corrections["source_line"] != "").all()


def test_second_build_is_byte_identical(built, tmp_path):
    result = run("build", "--raw", RAW, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    for name in PUBLISHED:
        for suffix in ("csv", "json"):
            assert (tmp_path / f"{name}.{suffix}").read_bytes() == (built / f"{name}.{suffix}").read_bytes()
    assert (tmp_path / "datapackage.json").read_bytes() == (built / "datapackage.json").read_bytes()


def test_fresh_build_reproduces_the_committed_build(built):
    for name in PUBLISHED:
        for suffix in ("csv", "json"):
            committed = COMMITTED / f"{name}.{suffix}"
            assert committed.read_bytes() == (built / f"{name}.{suffix}").read_bytes(), (
                f"{committed} is stale: run `make build` and commit build/")
        pd.testing.assert_frame_equal(pd.read_parquet(COMMITTED / f"{name}.parquet"),
                                      pd.read_parquet(built / f"{name}.parquet"))
    assert (COMMITTED / "datapackage.json").read_bytes() == (built / "datapackage.json").read_bytes()


def test_json_and_parquet_carry_real_types(built):
    rows = json.loads((built / "crosswalk.json").read_text(encoding="utf-8"))
    first = rows[0]
    assert first["coe_code"] == "1A.1" and first["mapping_seq"] == 1
    assert isinstance(first["coe_domain_number"], int)
    unique = next(r for r in rows if r["alignment"] == "unique")
    assert unique["endorsement_domain"] is None
    frame = pd.read_parquet(built / "endorsement_index.parquet")
    assert str(frame["unique_to_alliance"].dtype) in {"bool", "boolean"}


def test_sources_command_lists_every_source_as_ok():
    result = run("sources", "--raw", RAW)
    assert result.exit_code == 0
    assert result.output.count("\tok") == 5


def _broken_raw(tmp_path: Path, old: str, new: str) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    source = raw / "coe-alliance-crosswalk-2023.txt"
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new, 1), encoding="utf-8")
    return raw


def test_changed_source_exits_2_and_says_how_to_accept_it(tmp_path):
    raw = _broken_raw(tmp_path, "Eaw, Regulation", "Law, Regulation")
    result = run("build", "--raw", raw, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "coe-alliance-crosswalk-2023.txt" in result.output
    assert "crosswalk sources --update" in result.output
    assert not (tmp_path / "out" / "crosswalk.csv").exists()


def test_invalid_data_exits_1_writes_a_report_and_keeps_the_previous_build(built, tmp_path):
    raw = _broken_raw(tmp_path, "\tSystems Expertise\tService Delivery Systems",
                      "\tGardening\tService Delivery Systems")
    assert run("sources", "--raw", raw, "--update").exit_code == 0
    out = tmp_path / "out"
    shutil.copytree(built, out)
    before = {p.name: p.read_bytes() for p in out.glob("*.*")}
    result = run("build", "--raw", raw, "--out", out)
    assert result.exit_code == 1, result.output
    report = (out / "reports" / "validation_report.txt").read_text(encoding="utf-8")
    assert "Gardening" in report
    assert "coe-alliance-crosswalk-2023" in report
    assert {p.name: p.read_bytes() for p in out.glob("*.*")} == before


# --- build/ holds the default (open) profile: no other replaces it silently -----------------


def test_the_default_build_withholds_what_the_sources_terms_forbid(built):
    """The committed build is the open profile: the CT-AIMH statements (its terms forbid
    any reproduction without consent) are null, their rows, codes and designations kept."""
    mentor = _read(built, "mentor_competencies")
    assert len(mentor) == 113
    assert (mentor["statement"] == "").all() and (mentor["designations"] != "").all()
    assert (_read(built, "crosswalk")["coe_competency"] != "").all()
    package = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    assert ("mentor_competencies", "statement") in {
        (w["resource"], w["column"]) for w in package["x_withheld"]}


@pytest.mark.parametrize("profile", ["full", "codes-only"])
@pytest.mark.parametrize("command", ["build", "publish"])
def test_another_profile_without_out_is_refused(tmp_path, monkeypatch, command, profile):
    """The regression: `crosswalk publish --profile codes-only` wrote into build/,
    replacing the datasets, and `make build` then saw nothing to do; and the full
    profile would commit text whose terms forbid redistributing it."""
    monkeypatch.chdir(tmp_path)
    result = run(command, "--raw", RAW, "--profile", profile)
    assert result.exit_code == 2
    assert result.output.startswith(f"error: --profile {profile} is not what build/ publishes")
    assert f"--out build-{profile}" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("out", ["build", "build/", "./build"])
@pytest.mark.parametrize("profile", ["full", "codes-only"])
def test_another_profile_into_the_build_folder_needs_force(tmp_path, monkeypatch, out, profile):
    monkeypatch.chdir(tmp_path)
    result = run("publish", "--raw", RAW, "--profile", profile, "--out", out)
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {Path(out)}: --profile {profile} would replace "
                                    "the open datasets of build/")
    assert "--force" in result.output
    assert list(tmp_path.iterdir()) == []


def test_force_writes_another_profile_into_the_build_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("build", "--raw", RAW, "--profile", "codes-only", "--out", "build", "--force")
    assert result.exit_code == 0, result.output
    package = json.loads((tmp_path / "build" / "datapackage.json").read_text(encoding="utf-8"))
    assert "endorsement_index" not in [r["name"] for r in package["resources"]]


def test_the_default_profile_needs_no_out_nor_force(tmp_path, monkeypatch):
    """What `make build` runs: `crosswalk publish`, the open profile into build/."""
    monkeypatch.chdir(tmp_path)
    result = run("publish", "--raw", RAW, "--profile", "open")
    assert result.exit_code == 2  # nothing validated yet, but the profile was not refused
    assert "--profile" not in result.output and "no validated tables" in result.output


# --- every command reports through the one error handler ----------------------------------


def _commands(group, prefix=""):
    for name, command in group.commands.items():
        yield f"{prefix}{name}", command
        yield from _commands(command, f"{prefix}{name} ") if hasattr(command, "commands") else ()


def _goes_through_friendly(callback) -> bool:
    """The callback, or one it wraps (click's pass_context), is `friendly`'s wrapper."""
    while callback is not None:
        if Path(callback.__code__.co_filename).name == "errors.py":
            return True
        callback = getattr(callback, "__wrapped__", None)
    return False


def test_every_command_goes_through_the_one_error_handler():
    """`friendly` (pipeline/cli/errors.py) wraps each command: one line naming the file
    and a hint, never a traceback (`crosswalk docs` had none)."""
    unwrapped = sorted(name for name, command in _commands(main)
                       if not _goes_through_friendly(command.callback))
    assert unwrapped == []


def _docs(tmp_path: Path, text: str | bytes) -> Path:
    page = tmp_path / "page.md"
    page.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return page


def test_docs_of_a_page_without_the_data_dictionary_block(tmp_path):
    page = _docs(tmp_path, (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))
    result = CliRunner().invoke(main, ["docs", "--file", str(page)])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {page}: the page has no data-dictionary block\n"
                                    "  → put the lines <!-- data-dictionary:begin")
    assert "Traceback" not in result.output


def test_docs_of_a_page_that_is_not_utf8(tmp_path):
    page = _docs(tmp_path, "Données du dictionnaire\n".encode("cp1252"))
    result = CliRunner().invoke(main, ["docs", "--file", str(page)])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {page}: not UTF-8 text\n")


def test_docs_of_a_missing_page(tmp_path):
    result = CliRunner().invoke(main, ["docs", "--file", str(tmp_path / "nope.md")])
    assert result.exit_code == 2
    assert f"'{tmp_path / 'nope.md'}' does not exist" in result.output
    assert "Traceback" not in result.output


def test_docs_of_a_page_that_cannot_be_written(tmp_path, monkeypatch):
    page = _docs(tmp_path, (ROOT / "docs" / "datasets.md").read_text(encoding="utf-8"))

    def refused(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "write_text", refused)
    result = CliRunner().invoke(main, ["docs", "--file", str(page)])
    assert result.exit_code == 2
    assert result.output == (f"error: {page}: permission denied\n"
                             "  → check the permissions of the folder or file\n")
