"""The data dictionary of docs/datasets.md, rendered from metadata."""

from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.metadata import COE_COMPETENCIES, ENDORSEMENT_INDEX, TABLES
from pipeline.metadata.data_dictionary import BEGIN, END, render_data_dictionary

ROOT = Path(__file__).resolve().parents[2]


def test_one_section_per_table():
    text = render_data_dictionary(TABLES.values())
    headings = [line for line in text.splitlines() if line.startswith("### ")]
    assert headings == [f"### `{t.name}` — {t.title}" for t in TABLES.values()]


def test_column_rows():
    lines = render_data_dictionary([COE_COMPETENCIES]).splitlines()
    assert "Primary key: `coe_code`." in lines
    assert "Foreign key: `category_code` → `coe_categories` (`category_code`)." in lines
    assert "| `coe_code` | string | yes | `^[1-8][A-H]\\.\\d{1,2}$` | Competency code, e.g. 1A.1. |" in lines
    assert "| `priority` | string | no | `Essential`, `Important` | The competency's priority: " \
        "Essential (marked \\* in the source) or Important (marked ••• or • • •), as marked " \
        "on its first mapping row, where the document prints its text; null where the " \
        "source gives a note instead of a mark. crosswalk repeats it as " \
        "competency\\_priority. |" in lines


def test_pipes_in_patterns_do_not_break_the_table():
    lines = render_data_dictionary([ENDORSEMENT_INDEX]).splitlines()
    row = next(line for line in lines if line.startswith("| `endorsement_levels`"))
    assert row.count(" | ") == 4
    assert "Unique: `endorsement_domain`, `endorsement_area`, `coe_code`" in "\n".join(lines)


def test_the_contract_page_data_dictionary_is_current():
    from pipeline.metadata.data_dictionary import with_data_dictionary
    from pipeline.metadata.profiles import documented_contract
    from pipeline.sources import load_manifest

    page = (ROOT / "docs" / "datasets.md").read_text(encoding="utf-8")
    # the contract, with what the default build withholds under the sources' terms
    tables = documented_contract(load_manifest(ROOT / "raw"))
    assert with_data_dictionary(page, tables.values()) == page, "run `crosswalk docs`"


def test_docs_command_checks_and_renders_a_page(tmp_path):
    page = tmp_path / "datasets.md"
    page.write_text(f"# Contract\n\n{BEGIN}\nold\n{END}\n", encoding="utf-8")
    stale = CliRunner().invoke(main, ["docs", "--file", str(page), "--check"])
    assert stale.exit_code == 1 and "stale" in stale.output
    written = CliRunner().invoke(main, ["docs", "--file", str(page)])
    assert written.exit_code == 0
    assert CliRunner().invoke(main, ["docs", "--file", str(page), "--check"]).exit_code == 0
    assert "### `crosswalk` — " in page.read_text(encoding="utf-8")
