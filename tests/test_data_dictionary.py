"""The README data dictionary, rendered from metadata."""

from pipeline.data_dictionary import render_data_dictionary
from pipeline.metadata import COE_COMPETENCIES, ENDORSEMENT_INDEX, TABLES


def test_one_section_per_table():
    text = render_data_dictionary(TABLES.values())
    headings = [line for line in text.splitlines() if line.startswith("### ")]
    assert headings == [f"### `{t.name}` — {t.title}" for t in TABLES.values()]


def test_column_rows():
    lines = render_data_dictionary([COE_COMPETENCIES]).splitlines()
    assert "Primary key: `coe_code`." in lines
    assert "Foreign key: `category_code` → `coe_categories` (`category_code`)." in lines
    assert "| `coe_code` | string | yes | `^[1-8][A-H]\\.\\d{1,2}$` | Competency code, e.g. 1A.1. |" in lines
    assert "| `priority` | string | no | `Essential`, `Important` | Essential (marked \\* in the " \
        "source) or Important (marked ••• or • • •); null where the source gives a note " \
        "instead of a mark. |" in lines


def test_pipes_in_patterns_do_not_break_the_table():
    lines = render_data_dictionary([ENDORSEMENT_INDEX]).splitlines()
    row = next(line for line in lines if line.startswith("| `endorsement_levels`"))
    assert row.count(" | ") == 4
    assert "Unique: `endorsement_domain`, `endorsement_area`, `coe_code`" in "\n".join(lines)


def test_readme_data_dictionary_is_current():
    from pathlib import Path

    from pipeline.data_dictionary import with_data_dictionary

    readme = Path("README.md").read_text(encoding="utf-8")
    assert with_data_dictionary(readme, TABLES.values()) == readme, "run `crosswalk docs`"
