"""CT-AIMH Mentor competency detail: HTML cells, bullets and sub-bullets, designations."""

from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.extract.ct_aimh_mentor import extract_ct_aimh_mentor
from pipeline.transform.cells.audit import AuditLog
from pipeline.transform.ct_aimh_mentor import clean_mentor_areas, clean_mentor_competencies

RAW = Path(__file__).resolve().parents[2] / "raw" / "ct-aimh-mentor-competency-guidelines.txt"

PAGE_HEADER = ["INFANT MENTAL HEALTH MENTOR", "", "Competency Detail", "",
               "<u>Area of Expertise</u>\t<u>As Demonstrated by</u>"]
# Line 51 of the file: a bullet with three sub-bullets.
LEADING_PEOPLE = (
    '<p style="text-align: center;">Leading People</p> <p style="text-align: center;"><u>Skill '
    'Areas</u></p> <p style="text-align: center;"><i>motivating</i></p> <p style="text-align: '
    'center;"><i>advocacy</i></p> <p style="text-align: center;"><i>developing talent</i></p>\t'
    '<p><i>Applies to all three designations (A):</i></p> <ul style="list-style-type: none"> • '
    'Models personal commitment and empathy in promotion of all aspects of the practice of infant '
    "mental health • Uses influencing and persuading skills, backed by own and others' expert "
    "knowledge, to promote effective infant mental health principles, practice, and programs • "
    "Coaches novice practitioners, students, colleagues, reporting employees, clients in a range "
    'of skills to help them become: <ul style="list-style-type: none"> ○ Highly effective infant '
    "mental health practitioners/professionals ○ Positively contributing human beings ○ "
    "Culturally sensitive individuals")
# From line 29: a second group whose lead-in names no designation; bullets carry suffixes.
THEORY = (
    '<p style="text-align: center;">Theoretical Foundations</p> <p style="text-align: center;">'
    '<u>Knowledge Areas</u></p> <p style="text-align: center;"><i>cultural competence</i></p>\t'
    "<p><i>May practice each of the following oneself, but more importantly facilitates these "
    "skills in novice practitioners, students, clients, and other colleagues; applies to all three "
    'designations (A):</i></p> <ul style="list-style-type: none"> • Understands family '
    "relationship development, with sensitivity to cultural differences <p><i>Typically "
    'demonstrates these skills oneself:</i></p> <ul style="list-style-type: none"> • Writes '
    "articles and books on infant mental health principles and practice (P/RF) • Develops or "
    "impacts policy and practice intended to increase the extent or effectiveness of infant "
    "mental health interventions (P)")


def _extract(tmp_path: Path, lines: list[str]):
    path = tmp_path / "mentor.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return extract_ct_aimh_mentor(path, "mentor")


def test_bullet_with_sub_bullets(tmp_path):
    raw = _extract(tmp_path, [*PAGE_HEADER, LEADING_PEOPLE, "---\t---"])
    statements = raw["statements"]
    assert statements["marker"].tolist() == ["•", "•", "•", "○", "○", "○"]
    assert statements["statement"].iloc[2] == (
        "Coaches novice practitioners, students, colleagues, reporting employees, clients in a "
        "range of skills to help them become:")
    assert statements["statement"].iloc[3] == (
        "Highly effective infant mental health practitioners/professionals")
    assert set(statements["source_line"]) == {6}

    table = clean_mentor_competencies(statements, AuditLog())
    assert table["statement_seq"].tolist() == [1, 2, 3, 4, 5, 6]
    assert table["parent_seq"].fillna(0).tolist() == [0, 0, 0, 3, 3, 3]
    assert set(table["area_of_expertise"]) == {"Leading People"}


def test_lead_in_with_designation_code(tmp_path):
    raw = _extract(tmp_path, [*PAGE_HEADER, LEADING_PEOPLE])
    assert set(raw["statements"]["lead_in"]) == {"Applies to all three designations (A):"}
    table = clean_mentor_competencies(raw["statements"], AuditLog())
    assert set(table["designations"]) == {"A"}
    assert set(table["practice_mode"]) == {"Applies to all three designations (A):"}


def test_statement_suffix_overrides_group_and_is_moved_out(tmp_path):
    raw = _extract(tmp_path, [*PAGE_HEADER, THEORY])
    table = clean_mentor_competencies(raw["statements"], AuditLog())
    assert table["designations"].tolist() == ["A", "P;RF", "P"]
    # A is all three designations; the codes are kept as printed beside the flags.
    assert table[["designation_clinical", "designation_policy",
                  "designation_research_faculty"]].values.tolist() == [
        [True, True, True], [False, True, True], [False, True, False]]
    assert table["statement"].iloc[1] == (
        "Writes articles and books on infant mental health principles and practice")
    assert table["practice_mode"].iloc[1] == "Typically demonstrates these skills oneself:"


def test_area_cell_gives_kind_and_areas(tmp_path):
    raw = _extract(tmp_path, [*PAGE_HEADER, LEADING_PEOPLE])
    areas = clean_mentor_areas(raw["areas"], AuditLog())
    assert areas[["area_kind", "area"]].values.tolist() == [
        ["Skill Areas", "motivating"], ["Skill Areas", "advocacy"],
        ["Skill Areas", "developing talent"]]


def test_real_file_has_eleven_areas_of_expertise():
    raw = extract_ct_aimh_mentor(RAW, "ct-aimh-mentor-guidelines")
    audit = AuditLog()
    table = clean_mentor_competencies(raw["statements"], audit)
    areas = clean_mentor_areas(raw["areas"], audit)
    assert table["area_of_expertise"].unique().tolist() == [
        "Theoretical Foundations", "Law, Regulation & Agency Policy", "Systems Expertise",
        "Direct Service Skills", "Working with Others", "Leading People", "Communicating",
        "Thinking", "Reflection", "Administration", "Research & Evaluation"]
    assert len(table) == 113 and table["parent_seq"].notna().sum() == 18
    assert len(areas) == 60 and areas["area_of_expertise"].nunique() == 11
    page_furniture = "INFANT MENTAL HEALTH MENTOR|Competency Detail|<"
    assert not table["statement"].str.contains(page_furniture).any()
    # the DSM-IV title is italic inside a statement, not a lead-in
    assert table["statement"].str.contains("Diagnostic & Statistical Manual").sum() == 1
    assert table["designations"].notna().all()


@pytest.mark.parametrize("line, message", [
    pytest.param(LEADING_PEOPLE + "\textra", "3 cells", id="three-cells"),
    pytest.param(LEADING_PEOPLE.replace("\t", " "), "without its tab", id="lost-tab"),
    pytest.param(LEADING_PEOPLE.replace("<u>Skill Areas</u>", "Skill Areas"),
                 "one underlined kind heading", id="no-kind-heading"),
    pytest.param(LEADING_PEOPLE.replace("• Models", "○ Models"), "sub-bullet before any bullet",
                 id="sub-bullet-first"),
])
def test_malformed_row_names_file_and_line(tmp_path, line, message):
    with pytest.raises(PipelineError) as raised:
        _extract(tmp_path, [*PAGE_HEADER, line])
    assert raised.value.line == 6
    assert raised.value.path.endswith("mentor.txt")
    assert message in raised.value.message


# --- Completeness (issue 11) ---------------------------------------------------------------

def _check(path: Path, **expect) -> None:
    from types import MappingProxyType

    from pipeline.extract.ct_aimh_mentor import check_complete
    from pipeline.sources import Source

    source = Source(id="m", path=path.name, format="ct-aimh-mentor-html", title="t",
                    publisher="p", citation="c", permission="p", sha256="0" * 64,
                    raw_dir=path.parent, expect=MappingProxyType(expect))
    check_complete(source, extract_ct_aimh_mentor(path, "m"))


def test_the_real_guidelines_are_complete():
    _check(RAW, areas_of_expertise=11, statements=113)


def test_a_row_whose_right_cell_is_empty_is_refused(tmp_path):
    path = tmp_path / "mentor.txt"
    path.write_text("\n".join([*PAGE_HEADER, LEADING_PEOPLE, THEORY.split("\t")[0] + "\t"]),
                    encoding="utf-8")
    with pytest.raises(PipelineError) as caught:
        _check(path)
    assert (f"{path}:7: the row of 'Theoretical Foundations' has no 'As demonstrated by' "
            "statement: its right cell is empty") in str(caught.value)


@pytest.mark.parametrize(
    "expect, message",
    [
        pytest.param({"areas_of_expertise": 3}, ":6: 1 areas of expertise, the manifest expects 3",
                     id="areas"),
        pytest.param({"statements": 7}, ":6: 6 statements, the manifest expects 7", id="statements"),
    ],
)
def test_fewer_than_the_manifest_expects_is_refused(tmp_path, expect, message):
    path = tmp_path / "mentor.txt"
    path.write_text("\n".join([*PAGE_HEADER, LEADING_PEOPLE]), encoding="utf-8")
    with pytest.raises(PipelineError) as caught:
        _check(path, **expect)
    assert f"{path}{message}" in str(caught.value)


def test_a_lead_in_without_statements_is_refused(tmp_path):
    cut = LEADING_PEOPLE[:LEADING_PEOPLE.index("<ul")]
    with pytest.raises(PipelineError, match="has no statement under it") as caught:
        _extract(tmp_path, [cut])
    assert caught.value.line == 1


def test_an_error_of_the_transform_names_the_file_not_the_source_id(tmp_path):
    raw = _extract(tmp_path, [*PAGE_HEADER, LEADING_PEOPLE, "---\t---"])
    areas = raw["areas"].copy()
    areas.loc[0, "area_kind"] = "Other Areas"
    path = str(tmp_path / "mentor.html")
    with pytest.raises(PipelineError) as raised:
        clean_mentor_areas(areas, AuditLog(), path=path)
    assert str(raised.value).startswith(f"{path}:")


def test_markup_nested_deeper_than_the_recursion_limit_is_read(tmp_path):
    """Where a source raises its limits (the defaults refuse this: tests/test_limits.py)."""
    from pipeline.limits import Limits, limits_in_force

    left, right = LEADING_PEOPLE.split("\t")
    deep = "<div>" * 10_000 + right + "</div>" * 10_000
    with limits_in_force(Limits(max_line_chars=200_000, max_html_depth=20_000)):
        raw = _extract(tmp_path, [*PAGE_HEADER, f"{left}\t{deep}", "---\t---"])
    shallow = _extract(tmp_path, [*PAGE_HEADER, LEADING_PEOPLE, "---\t---"])
    assert raw["statements"]["statement"].tolist() == shallow["statements"]["statement"].tolist()
