"""The crosswalk transform on real fragments of the text export: every table's cleaning
rule, the audit trail it writes, and the errors a broken export gets."""

from pathlib import Path

import pandas as pd
import pytest

from pipeline.errors import PipelineError
from pipeline.extract.crosswalk_table import extract_crosswalk_table
from pipeline.transform.cells.layout_debris import collapse_doubled, strip_title_debris
from pipeline.transform.crosswalk_rows import split_footnote
from pipeline.transform.crosswalk_table import transform_crosswalk_table
from pipeline.transform.endorsement_index import split_area_levels

HEADER = ("IECMH Consultation Category\tIECMH Consultation Core Skills\tEssential or Important\t"
          "IECMH Endorsement Competency\tKnowledge/ Skill Area\tAs Demonstrated By/ Other Work "
          "Experience (and Interview)")
REVERSE_HEADER = ("Competencies for IMH-E® and ECMH-E® Domain\tCompetencies for IMH-E® and "
                  "ECMH-E® Knowledge or Skill Area\tCenter of Excellence Competecies")

EXPORT_1 = f"""1. Role of the IECMH Consultant

Understands and can convey how IECMHC is a mental health specialization.

{HEADER}
1D. Embraces the Consultative Stance and Reflective Practice\t1D.1. Can articulate the elements of the "consultative stance,"2F[1] and demonstrates the demeanor and skills embodied by this stance. [1] Johnston, K., & Brinamen, C. (2006). Mental Health Consultation in Child Care.\tcovered in 1C1\t≠ Unique\t# Unique\t≠ Unique
1D.\t1D.2. Demonstrates the ability to engage in a flexible and varied "use of self" based on the unique needs of a program.\t*\t— Thinking\tSolving Problems\tGenerates new insights and workable solutions
1D.\t1D.2. See above.\t•••\tReflection\tSelf Awareness\tSeeks a high degree of agreement between self-perceptions and the way others perceive him/her
1D.\t1D.3 Understands implicit bias and its manifestations.\t*\tDirect Service Skills\tParent- Infant/ Young Child Relationship-Based Therapies & Practices (MHS)\tAttends and responds to parental histories of loss
1D.\t1D.3. See above.\t• • •\tTheoretical Foundations\tPsychother- apeutic & Behavioral Theories of Change\tSee above.
1E. Deepens Knowledge and Skills Through Active Participation in Supervision or Consultation\t1E.2. Participates in regular administrative supervision.\t*\tEaw, Regulation & Agency Policy\tGovernment, Law, & Regu- lation\tPersonally works within the requirements of: Federal and state law
1E.\t1E.2. See above.\t•••\t≈ Communicating\tWriting\tWrites clearly, concisely, and with the appro- priate style

{REVERSE_HEADER}
Theoretical Foundations\tcultural competence (IFA, IFS, MHS, MHM)\t1D2, 1E2 , 32
Reflection\tprofessional/personal development (IFA, IFS, MHS, MHM))\t1D3
Research &\tstudy of families (MHM – research/faculty)\t
Eval-uation\t\tUnique to Alliance
"""


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "export.txt"
    path.write_text(EXPORT_1, encoding="utf-8")
    result = extract_crosswalk_table(path, "test-source")
    frames = {"domains": result.domains, "forward": result.forward, "reverse": result.reverse}
    return transform_crosswalk_table(frames, path=str(path), spot_fixes=Path("/nonexistent"))


def _row(frame, **where):
    match = frame
    for column, value in where.items():
        match = match[match[column] == value]
    assert len(match) == 1, where
    return match.iloc[0]


def test_see_above_resolves_to_the_competency_and_demonstrated_text_above(tables):
    second = _row(tables["crosswalk"], coe_code="1D.3", mapping_seq=2)
    assert second["coe_competency"] == "Understands implicit bias and its manifestations."
    assert second["demonstrated_by"] == "Attends and responds to parental histories of loss"
    rules = tables["corrections"].query("row_key == '1D.3/2'")["rule"]
    assert (rules == "see_above").sum() == 2


def test_footnote_moves_out_of_the_skill_text_and_note_replaces_priority(tables):
    competency = _row(tables["coe_competencies"], coe_code="1D.1")
    assert competency["competency_text"] == (
        'Can articulate the elements of the "consultative stance," and demonstrates the '
        "demeanor and skills embodied by this stance.")
    assert competency["footnote"].startswith("Johnston, K., & Brinamen, C. (2006).")
    assert competency["priority"] is None or str(competency["priority"]) == "<NA>"
    assert competency["priority_note"] == "covered in 1C.1"


def test_unique_row_has_no_endorsement_fields(tables):
    row = _row(tables["crosswalk"], coe_code="1D.1", mapping_seq=1)
    assert row["alignment"] == "unique"
    assert all(str(row[c]) == "<NA>" for c in ("endorsement_domain", "endorsement_area",
                                                 "endorsement_level", "demonstrated_by"))


def test_domain_spelling_glyphs_and_levels_become_vocabulary(tables):
    law = _row(tables["crosswalk"], coe_code="1E.2", mapping_seq=1)
    assert law["endorsement_domain"] == "Law, Regulation & Agency Policy"
    assert law["endorsement_area"] == "Government, Law, & Regulation"
    assert law["endorsement_level"] == "IFS"
    thinking = _row(tables["crosswalk"], coe_code="1D.2", mapping_seq=1)
    assert (thinking["endorsement_domain"], thinking["alignment"]) == ("Thinking", "same")
    partial = _row(tables["crosswalk"], coe_code="1E.2", mapping_seq=2)
    assert (partial["endorsement_domain"], partial["alignment"]) == ("Communicating", "partial")
    therapy = _row(tables["crosswalk"], coe_code="1D.3", mapping_seq=1)
    assert therapy["endorsement_level"] == "MHS"
    assert therapy["endorsement_area"] == "Parent-Infant/Young Child Relationship-Based Therapies & Practices"


def test_row_mark_and_competency_priority_are_two_columns(tables):
    """`See above.` rows marked ••• under a competency marked * keep their mark as
    mapping_priority; competency_priority is the competency's, on every row; each row
    where the two differ is a quality issue."""
    crosswalk = tables["crosswalk"]
    pairs = {f"{c}/{s}": (m, p) for c, s, m, p in zip(
        crosswalk["coe_code"], crosswalk["mapping_seq"], crosswalk["mapping_priority"],
        crosswalk["competency_priority"])}
    assert pairs["1D.2/1"] == ("Essential", "Essential")
    assert pairs["1D.2/2"] == ("Important", "Essential")
    assert all(pd.isna(v) for v in pairs["1D.1/1"])  # a note ('covered in 1C1'), no mark
    competencies = tables["coe_competencies"].set_index("coe_code")["priority"]
    assert (crosswalk["competency_priority"].fillna("-")
            == crosswalk["coe_code"].map(competencies).fillna("-")).all()
    issues = tables["quality_issues"]
    disagreements = issues[issues["kind"] == "priority_disagreement"]
    assert sorted(disagreements["row_key"]) == ["1D.2/2", "1D.3/2", "1E.2/2"]
    assert "marked Important (•••) but 1D.2 itself is Essential (*)" in (
        disagreements.set_index("row_key").loc["1D.2/2", "detail"])


def test_every_row_with_an_area_has_its_area_id(tables):
    crosswalk, index = tables["crosswalk"], tables["endorsement_index"]
    assert (crosswalk["area_id"].isna() == (crosswalk["alignment"] == "unique")).all()
    assert index["area_id"].notna().all()
    assert set(crosswalk["area_id"].dropna()) | set(index["area_id"]) == set(
        tables["endorsement_areas"]["area_id"])
    self_awareness = _row(crosswalk, coe_code="1D.2", mapping_seq=2)
    assert self_awareness["area_id"] == "reflection--self-awareness"
    research = _row(index, endorsement_area="study of families")
    assert research["area_id"] == "research-and-evaluation--study-of-families"


def test_code_written_without_final_dot_is_canonical(tables):
    assert "1D.3" in set(tables["coe_competencies"]["coe_code"])


def test_reverse_table_long_format_with_unknown_code_reported(tables):
    index = tables["endorsement_index"]
    cultural = index[index["endorsement_area"] == "cultural competence"]
    assert list(cultural["coe_code"]) == ["1D.2", "1E.2"]
    assert list(cultural["endorsement_levels"].unique()) == ["IFA;IFS;MHS;MHM"]
    research = _row(index, endorsement_area="study of families")
    assert research["endorsement_domain"] == "Research & Evaluation"
    assert bool(research["unique_to_alliance"]) and research["designation"] == "research/faculty"
    issues = tables["quality_issues"]
    assert issues[issues["kind"] == "unknown_code"]["detail"].str.contains("'32'").all()


def test_every_change_is_logged_with_its_source_line(tables):
    corrections = tables["corrections"]
    assert corrections["source_line"].notna().all()
    wrap = corrections[(corrections["row_key"] == "1E.2/2") & (corrections["rule"] == "dehyphenate")]
    assert list(wrap["after"]) == ["appropriate"]


def _transform(tmp_path, text):
    path = tmp_path / "export.txt"
    path.write_text(text, encoding="utf-8")
    result = extract_crosswalk_table(path, "s")
    frames = {"domains": result.domains, "forward": result.forward, "reverse": result.reverse}
    return transform_crosswalk_table(frames, path=str(path))


def test_duplicate_competency_code_is_refused(tmp_path):
    text = EXPORT_1.replace("1D.\t1D.2. See above.", "1D.\t1D.2. Another text entirely.")
    with pytest.raises(PipelineError, match="duplicate competency code 1D.2"):
        _transform(tmp_path, text)


def test_code_under_another_category_is_refused(tmp_path):
    text = EXPORT_1.replace("1E.\t1E.2. See above.", "1D.\t1E.2. See above.")
    with pytest.raises(PipelineError, match="competency 1E.2 sits under category 1D") as caught:
        _transform(tmp_path, text)
    assert caught.value.line == 12


def test_unknown_priority_symbol_is_refused_with_its_line(tmp_path):
    text = EXPORT_1.replace("\t*\t— Thinking", "\t+\t— Thinking")
    with pytest.raises(PipelineError, match="unknown priority mark") as caught:
        _transform(tmp_path, text)
    assert caught.value.line == 7


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("Program Evaluation (MHM) Program Evaluation (MHM)", "Program Evaluation (MHM)"),
        ("Reflection Reflection", "Reflection"),
        ("Working with Others", "Working with Others"),
    ],
)
def test_doubled_cell_collapses(cell, expected):
    assert collapse_doubled(cell) == expected


def test_title_debris_needs_damage_nearby():
    others = ["Works Collaboratively to Understand an Infant's and Young Child's Behavior"]
    damaged = "Supports and Facilitates Referrals, Service Provision, and Community Collaboration g Child's Behavior"
    assert strip_title_debris(damaged, others, lambda w: True) == (
        "Supports and Facilitates Referrals, Service Provision, and Community Collaboration")
    # the same ending with no damage next to it is the title's own
    clean = "Understands an Infant's and Young Child's Behavior"
    assert strip_title_debris(clean, others, lambda w: w != "Understands") == clean


def test_split_footnote_leaves_text_without_markers_alone():
    assert split_footnote("Maintains records [see 1C.3].") == ("Maintains records [see 1C.3].", None)


def test_area_levels_with_stray_parenthesis():
    assert split_area_levels("parallel process (MHS & MHM)") == ("parallel process", ["MHS", "MHM"], None, "")


def _published_cells(path: Path) -> dict[tuple, object]:
    extract = extract_crosswalk_table(path, "coe-alliance-crosswalk-2023")
    frames = {"domains": extract.domains, "forward": extract.forward, "reverse": extract.reverse}
    tables = transform_crosswalk_table(frames, path=str(path))
    cells = {}
    for name in ("coe_domains", "coe_categories", "coe_competencies", "crosswalk",
                 "endorsement_index"):
        frame = tables[name].drop(columns=["source_id", "source_line", "source_page"])
        for position, row in enumerate(frame.astype(object).itertuples(index=False)):
            for column, value in zip(frame.columns, row):
                cells[name, position, column] = None if pd.isna(value) else value
    return cells


def test_a_re_export_with_scanner_damage_publishes_the_same_cells():
    """tests/fixtures/variants/scanner-export.txt is the real export with 106 scanner
    confusions (rn for m, 1 for l, cl for d, c for e, words run together, (l) for (1))."""
    root = Path(__file__).resolve().parents[2]
    clean = _published_cells(root / "raw" / "coe-alliance-crosswalk-2023.txt")
    damaged = _published_cells(root / "tests" / "fixtures" / "variants" / "scanner-export.txt")
    assert damaged.keys() == clean.keys()  # no row lost or added
    wrong = {key: (clean[key], damaged[key]) for key in clean if clean[key] != damaged[key]}
    assert len(wrong) <= 0.001 * len(clean), wrong
