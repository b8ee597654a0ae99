"""`crosswalk sources` as a maintainer runs it (click's CliRunner): check, --update, add,
replace and remove, each ending with a manifest the build loads, or exit 2 and one clear
line with nothing written."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.sources import file_sha256, load_manifest, verify_sources

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "raw"
PDF = ROOT / "tests" / "fixtures" / "crosswalk-domain-1-ruled.pdf"
CROSSWALK = "coe-alliance-crosswalk-2023"
ILLINOIS = "illinois-iecmhc-competencies"
ILLINOIS_FILE = "illinois-iecmhc-competencies.txt"
METADATA = ["--title", "Competencies that Guide Infant/Early Childhood Mental Health Consultants",
            "--publisher", "Illinois Governor's Office of Early Childhood Development",
            "--citation", "Illinois Governor's Office of Early Childhood Development (2024).",
            "--permission", "The flyer carries no copyright or permission statement.",
            "--redistribution", "no-statement"]


def run(*args: object, input: str | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


@pytest.fixture
def raw(tmp_path) -> Path:
    target = tmp_path / "raw"
    shutil.copytree(RAW, target)
    return target


def _new_flyer(tmp_path: Path, raw: Path) -> Path:
    """A new edition of the Illinois flyer, outside raw/ (its entry removed first: one
    source per table)."""
    assert run("sources", "remove", ILLINOIS, "--raw", raw).exit_code == 0
    path = tmp_path / "Illinois Flyer 2024.txt"
    text = (raw / ILLINOIS_FILE).read_text(encoding="utf-8")
    path.write_text(text.replace("#8:", "#8: (2024)"), encoding="utf-8")
    return path


def _no_traceback(result) -> None:
    assert "Traceback" not in result.output and "unexpected" not in result.output


def test_sources_lists_every_source_as_ok():
    result = run("sources", "--raw", RAW)
    assert result.exit_code == 0, result.output
    assert result.output.count("\tok") == 5
    line = f"{CROSSWALK}\tcrosswalk-table-text\tcoe-alliance-crosswalk-2023.txt\tok"
    assert line in result.output.splitlines()


@pytest.mark.parametrize("quoting", ["sha256='{pin}'", 'sha256="{pin}"'],
                         ids=["literal-string", "no-spaces"])
def test_update_reports_only_what_it_really_changed(raw, quoting):
    pin = file_sha256(raw / ILLINOIS_FILE)
    manifest = raw / "sources.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        f'sha256 = "{pin}"', quoting.format(pin=pin)), encoding="utf-8")
    (raw / ILLINOIS_FILE).write_text((raw / ILLINOIS_FILE).read_text(encoding="utf-8") + "\n",
                                     encoding="utf-8")
    result = run("sources", "--update", "--raw", raw)
    assert result.exit_code == 0, result.output
    assert f"{ILLINOIS}: sha256 {pin[:12]}… → " in result.output
    assert "1 checksum(s) updated" in result.output
    checked = run("sources", "--raw", raw)
    assert checked.exit_code == 0 and checked.output.count("\tok") == 5


def test_update_with_nothing_changed_says_so(raw):
    result = run("sources", "--raw", raw, "--update")
    assert result.exit_code == 0 and "all checksums current" in result.output


def test_add_with_every_option_writes_an_entry_the_build_loads(raw, tmp_path):
    flyer = _new_flyer(tmp_path, raw)
    result = run("sources", "add", flyer, "--raw", raw, *METADATA, "--year", 2024,
                 "--copyright", "© State of Illinois")
    assert result.exit_code == 0, result.output
    assert f"copied {flyer} → {raw / flyer.name}" in result.output
    assert "added illinois-flyer-2024 (illinois-flyer-text)" in result.output
    source = load_manifest(raw)[-1]
    assert (source.id, source.year, source.copyright) == (
        "illinois-flyer-2024", 2024, "© State of Illinois")
    assert run("sources", "--raw", raw).output.count("\tok") == 5


def test_add_takes_raw_before_the_command_too(raw, tmp_path):
    flyer = _new_flyer(tmp_path, raw)
    result = run("sources", "--raw", raw, "add", flyer, "--id", "illinois-2024", *METADATA)
    assert result.exit_code == 0, result.output
    assert load_manifest(raw)[-1].id == "illinois-2024"


def test_add_without_a_terminal_names_the_missing_options_and_writes_nothing(raw, tmp_path):
    flyer = _new_flyer(tmp_path, raw)
    before = (raw / "sources.toml").read_bytes()
    result = run("sources", "add", flyer, "--raw", raw, "--title", "Competencies")
    assert result.exit_code == 2
    assert "lacks --publisher, --citation, --permission" in result.output
    assert "no terminal" in result.output
    assert (raw / "sources.toml").read_bytes() == before
    assert not (raw / flyer.name).exists()
    _no_traceback(result)


def test_add_on_a_terminal_asks_for_the_missing_metadata(raw, tmp_path, monkeypatch):
    # pipeline.cli.sources, the module (the name in pipeline.cli is the command)
    monkeypatch.setattr(importlib.import_module("pipeline.cli.sources"), "stdin_is_terminal",
                        lambda: True)
    flyer = _new_flyer(tmp_path, raw)
    answers = ("Competencies that Guide I/ECMH Consultants\n"  # title
               "\n"  # a required answer left blank: asked again
               "Illinois GOECD\n"  # publisher
               "Illinois GOECD. Competencies (flyer).\n"  # citation
               "No statement.\n"  # permission
               "maybe\nno-statement\n"  # redistribution: one of its values, asked again
               "\n"  # copyright: optional, none
               "twenty\n2024\n")  # year: a word is asked again
    result = run("sources", "add", flyer, "--raw", raw, input=answers)
    assert result.exit_code == 0, result.output
    source = load_manifest(raw)[-1]
    assert (source.title, source.publisher, source.citation, source.permission) == (
        "Competencies that Guide I/ECMH Consultants", "Illinois GOECD",
        "Illinois GOECD. Competencies (flyer).", "No statement.")
    assert source.copyright == "" and source.year == 2024
    assert source.redistribution == "no-statement"
    assert "is no whole number" in result.output


def test_add_of_a_second_crosswalk_says_to_replace(raw):
    result = run("sources", "add", PDF, "--raw", raw, *METADATA)
    assert result.exit_code == 2
    assert "only one crosswalk source may be listed" in result.output
    assert f"crosswalk sources replace {CROSSWALK} FILE" in result.output
    assert result.output.startswith(f"error: {raw / 'sources.toml'}: [[source]] number 6")
    _no_traceback(result)


def test_add_of_a_file_of_no_known_format_asks_for_format(raw, tmp_path):
    readme = tmp_path / "README.md"
    shutil.copy(ROOT / "README.md", readme)
    result = run("sources", "add", readme, "--raw", raw, *METADATA)
    assert result.exit_code == 2
    assert f"{readme}: cannot tell the format" in result.output
    assert "pass --format" in result.output
    _no_traceback(result)


def test_replace_switches_the_crosswalk_to_its_pdf_and_leaves_the_old_file(raw):
    result = run("sources", "replace", CROSSWALK, PDF, "--raw", raw)
    assert result.exit_code == 0, result.output
    assert (f"replaced {CROSSWALK}: {raw / 'coe-alliance-crosswalk-2023.txt'} "
            f"(crosswalk-table-text) → {raw / PDF.name} (crosswalk-table-pdf)") in result.output
    assert "kept [source.expect] domains, reverse_table, reverse_areas" in result.output
    assert f"git rm {raw / 'coe-alliance-crosswalk-2023.txt'}" in result.output
    assert (raw / "coe-alliance-crosswalk-2023.txt").exists()
    verify_sources(load_manifest(raw))


def test_replace_says_which_expectations_it_dropped(raw):
    listed = raw / "crosswalk-section-4-reflective-practice.txt"
    result = run("sources", "replace", ILLINOIS, listed, "--raw", raw)
    # the file of another source: refused, nothing written
    assert result.exit_code == 2
    assert "is the file of source 'crosswalk-section-4-web'" in result.output
    web = raw.parent / "web.txt"
    web.write_text((raw / "crosswalk-section-4-reflective-practice.txt").read_text("utf-8") + "\n",
                   encoding="utf-8")
    result = run("sources", "replace", ILLINOIS, web, "--raw", raw)
    assert result.exit_code == 0, result.output
    assert ("dropped [source.expect] competencies: crosswalk-web-records does not know them"
            in result.output)


def test_remove_drops_the_entry_and_says_the_file_stays(raw):
    result = run("sources", "remove", ILLINOIS, "--raw", raw)
    assert result.exit_code == 0, result.output
    assert f"removed {ILLINOIS}" in result.output
    assert f"its file {raw / ILLINOIS_FILE} is still there" in result.output
    assert ILLINOIS not in [s.id for s in load_manifest(raw)]
    assert (raw / ILLINOIS_FILE).exists()


def test_remove_of_an_unknown_id_lists_the_ids(raw):
    result = run("sources", "remove", "illinois", "--raw", raw)
    assert result.exit_code == 2
    assert "no source has the id 'illinois'" in result.output and ILLINOIS in result.output


def test_update_goes_without_a_command(raw):
    result = run("sources", "--update", "--raw", raw, "remove", ILLINOIS)
    assert result.exit_code == 2 and "--update goes without a command" in result.output
    assert ILLINOIS in [s.id for s in load_manifest(raw)]


def test_a_bad_year_stops_every_command_with_one_line(raw):
    manifest = raw / "sources.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace(f'id = "{ILLINOIS}"\n',
                                     f'id = "{ILLINOIS}"\nyear = "twenty-three"\n'),
                        encoding="utf-8")
    for command in (["sources"], ["sources", "--update"], ["build"]):
        result = run(*command, "--raw", raw, *(["--out", raw.parent / "out"]
                                               if command == ["build"] else []))
        assert result.exit_code == 2, command
        assert result.output.startswith(
            f"error: {manifest}: [[source]] number 5, source '{ILLINOIS}': year must be a whole "
            "number from 1900 to 2100, not 'twenty-three'\n  → ")
        _no_traceback(result)
