"""Real-word slips the document itself corrects (rule ``consistency``): the proposals on
real fragments — strong, weak, a tie, what is not a slip — and the repair end to end
through :func:`transform_crosswalk_table`, with the other sources as evidence."""

from __future__ import annotations

import gc
from pathlib import Path

import pandas as pd
import pytest

from pipeline.extract.crosswalk_table import extract_crosswalk_table
from pipeline.transform import TransformContext, document_texts
from pipeline.transform.cells.consistency import apply_proposals, propose_readings
from pipeline.transform.cells.lexicon import Lexicon
from pipeline.transform.crosswalk_table import transform_crosswalk_table

LEX = Lexicon.default()

# The Endorsement text of Building & Maintaining Relationships (MHM) as the crosswalk prints
# it in 2E.3 (and 3A.7), 5A.4 and 5D.3 (and 8B.3) (the demonstrated-by cells, cleaned).
SLIP = ("Partnering on projects; and d) Identifying and reaching out to families of cultures "
        "no being served or understood")
WITNESS_5A4 = ("b) Sharing information, and c) Identifying and reaching out to families of "
               "cultures not being served or being underserved")
WITNESS_5D3 = ("c) Partnering on projects, and d) Identifying and reaching out to families of "
               "cultures not being served or underserved")
# 5C.2 and 6C.1 (Intervention/Treatment Planning, Developmental Guidance) and the CT-AIMH
# guidelines, raw/ct-aimh-mentor-competency-guidelines.txt:43.
GOALS_5C2 = ("Helps parents identify goals an activities that encourage interaction and can be "
             "woven into the daily routines of the infant/young child and family")
GOALS_6C1 = ("Helps parents [caregivers] identify goals and activities that encourage "
             "interaction and can be woven into the daily routines of the infant/young child "
             "and family")
CT_AIMH_43 = ("Helps parents identify goals and activities that encourage interaction and that "
              "can be woven into the infant's/very young child's and family's daily routines")
# 3B.2 and 3A.5 print "infants and young" / "infants or young children" in different
# sentences; 5A.4 / 5D.3 above vary "or being underserved" / "or underserved".


def _changes(texts, evidence=None):
    """{text: repaired text} for the texts a strong proposal changes."""
    proposals = propose_readings(texts, evidence, LEX.is_word)
    return {text: apply_proposals(text, proposals) for text in texts
            if apply_proposals(text, proposals) != text}


def test_the_reading_of_two_other_printings_replaces_a_slip():
    assert _changes([SLIP, WITNESS_5A4, WITNESS_5D3]) == {
        SLIP: SLIP.replace("cultures no being", "cultures not being")}


def test_one_printing_in_another_source_is_enough():
    assert _changes([GOALS_5C2], {"ct-aimh-mentor-guidelines": [CT_AIMH_43]}) == {
        GOALS_5C2: GOALS_5C2.replace("goals an activities", "goals and activities")}


def test_the_logged_fragment_is_the_word_with_its_neighbours():
    [proposal] = propose_readings([GOALS_5C2, GOALS_6C1],
                                  {"ct-aimh-mentor-guidelines": [CT_AIMH_43]}, LEX.is_word)
    assert (proposal.before, proposal.after, proposal.support, proposal.against,
            proposal.sources, proposal.strong) == (
        "goals an activities", "goals and activities", 2, 0,
        ("ct-aimh-mentor-guidelines",), True)


def test_a_single_witness_in_the_same_source_is_reported_not_applied():
    proposals = propose_readings([GOALS_5C2, GOALS_6C1], None, LEX.is_word)
    assert [(p.reading, p.proposed, p.weakness) for p in proposals] == [
        ("an", "and", "a single witness in the same source"),
        ("and", "an", "a single witness in the same source"),
    ]
    assert _changes([GOALS_5C2, GOALS_6C1]) == {}


def test_a_tie_changes_nothing():
    other_slip = "to " + SLIP.replace("or understood", "or not understood")
    texts = [SLIP, other_slip, WITNESS_5A4, WITNESS_5D3]
    proposals = propose_readings(texts, None, LEX.is_word)
    assert {p.weakness for p in proposals} == {
        "a tie: 2 printings read each way, this one included"}
    assert _changes(texts) == {}


def test_a_reading_printed_elsewhere_too_is_contested_not_changed():
    other_slip = "to " + SLIP.replace("or understood", "or not understood")
    texts = [SLIP, other_slip, WITNESS_5A4, WITNESS_5D3]
    proposals = propose_readings(texts, {"web": [WITNESS_5D3 + "."]}, LEX.is_word)
    assert {(p.reading, p.weakness) for p in proposals} == {
        ("no", "the current reading is printed in 1 other text(s) too")}
    assert _changes(texts, {"web": [WITNESS_5D3 + "."]}) == {}


def test_copies_of_one_cell_are_one_printing():
    # See above. rows and the Endorsement text repeated for every mapping row: 2E.3 and
    # 3A.7 print the same cell; copies neither outvote nor witness each other.
    assert _changes([SLIP, SLIP, SLIP, WITNESS_5A4]) == {}
    assert _changes([SLIP, SLIP, WITNESS_5A4, WITNESS_5D3, WITNESS_5D3]) == {
        SLIP: SLIP.replace("cultures no being", "cultures not being")}


@pytest.mark.parametrize("texts", [
    pytest.param([WITNESS_5A4, WITNESS_5D3, WITNESS_5D3.replace("c) Partnering", "c) Sharing")],
                 id="a-word-dropped-is-a-variant-not-a-slip"),
    pytest.param([WITNESS_5A4, WITNESS_5A4.replace("and c)", "and d)"),
                  "to " + WITNESS_5A4.replace("and c)", "and d)")],
                 id="single-letters-are-enumerators"),
    pytest.param(["Seeks to understand how infants and young children develop in the context",
                  "Seeks to understand how infants or young children develop in the context",
                  "Seeks to understand how infants or young children develop in the context of"],
                 id="and-or-is-not-one-keystroke"),
    pytest.param([SLIP, WITNESS_5A4.replace("families of cultures", "cultural families"),
                  WITNESS_5D3.replace("being served or", "served or")],
                 id="context-too-short-on-one-side"),
])
def test_no_proposal(texts):
    assert propose_readings(texts, None, LEX.is_word) == []


def test_case_is_kept():
    texts = [SLIP.replace("cultures no being", "cultures No being"), WITNESS_5A4, WITNESS_5D3]
    [proposal] = propose_readings(texts, None, LEX.is_word)
    assert proposal.after == "cultures Not being"


def test_many_distinct_cells_are_indexed_not_compared_pairwise():
    texts = [f"{text} (copy {n})" for n in range(2000)
             for text in (SLIP, WITNESS_5A4, WITNESS_5D3, GOALS_5C2, GOALS_6C1)]
    proposals = propose_readings(texts, None, LEX.is_word)
    # 2000 distinct printings of each cell: every slip is printed elsewhere too.
    assert {(p.reading, p.weakness) for p in proposals} == {
        ("no", "the current reading is printed in 1999 other text(s) too"),
        ("an", "a tie: 2000 printings read each way, this one included"),
        ("and", "a tie: 2000 printings read each way, this one included")}


def test_the_context_holds_every_sources_text_cells():
    frames = {"statements": pd.DataFrame({"statement": [CT_AIMH_43], "source_line": [43]},
                                         dtype=object).astype({"statement": "str"})}
    context = TransformContext(LEX, texts={"ct-aimh-mentor-guidelines": document_texts(frames),
                                           "coe-alliance-crosswalk-2023": [SLIP]})
    assert context.texts_besides("coe-alliance-crosswalk-2023") == {
        "ct-aimh-mentor-guidelines": [CT_AIMH_43]}


HEADER = ("IECMH Consultation Category\tIECMH Consultation Core Skills\tEssential or Important\t"
          "IECMH Endorsement Competency\tKnowledge/ Skill Area\tAs Demonstrated By/ Other Work "
          "Experience (and Interview)")
REVERSE_HEADER = ("Competencies for IMH-E® and ECMH-E® Domain\tCompetencies for IMH-E® and "
                  "ECMH-E® Knowledge or Skill Area\tCenter of Excellence Competecies")

# raw/coe-alliance-crosswalk-2023.txt:266
ROW_2E3 = (
    '2E.\t2E.3. Understands that the quality of relationships among adults (between staff '
    "members and/or between staff members and families) influences infants' and young "
    "children's experiences .\t*\tWorking with Others\tBuilding & Maintaining Relation- "
    'ships (MHM)\tBuilds and maintains effective interpersonal relationships with a broad '
    'range of people including families, colleagues, agency and community '
    'representatives, and/or legislators, as the individual role requires by: a) Being '
    'proactive in establishing connections, b) Sharing information, c) Partnering on '
    'projects; and d) Indentifying and reaching out to families of cultures no being '
    'served or understood'
)
# raw/coe-alliance-crosswalk-2023.txt:367
ROW_5A4 = (
    '5A.\t5A.4. Facilitates understanding, mutual respect, and direct communication '
    'between families and staff and among members of the early childhood community.\t• • '
    '•\tWorking with others\tBuilding & Maintaining Relation- ships (MHM)\tBuilds and '
    'maintains effective interpersonal relationships with a broad range of people '
    'including families, colleagues, agency and community representatives, and/or '
    'legislators, as the individual role requires by: a) Being proactive in establishing '
    'connections, b) Sharing information, and c) Identifying and reaching out to '
    'families of cultures not being served or being underserved'
)
# raw/coe-alliance-crosswalk-2023.txt:383
ROW_5C2 = (
    '5C.\t5C.2. Assists and supports families and staff so that collaboratively developed '
    'plans for infants or young children involve interventions that reflect best '
    'practice (i.e., are developmentally appropriate and, when possible, '
    'evidence-based).\t•••\tDirect Service Skills\tIntervention/ Treatment Planning '
    '(MHS)\tHelps parents identify goals an activities that encourage interaction and can '
    'be woven into the daily routines of the infant/young child and family'
)
# raw/coe-alliance-crosswalk-2023.txt:420
ROW_6C1 = (
    '6C. Supports Families and Staff in Providing or Encouraging Consistent Routines and '
    'Developmentally Appropriate and Culturally Responsive Interactions and '
    'Practices\t6C.1. Supports families and staff in initiating, modifying, and/or '
    'supporting routines to promote safety and consistency in developmentally '
    'appropriate and culturally meaningful ways.\t• • •\tDirect Service Skills\tDevelop- '
    'mental Guid- ance (MHM)\tHelps parents [caregivers] identify goals and activities '
    'that encourage interaction and can be woven into the daily routines of the '
    'infant/young child and family [caregiving setting]'
)


# raw/coe-alliance-crosswalk-2023.txt:497
ROW_8B3 = (
    '8B.\t8B.3. Establishes relationships with professionals in other early childhood and '
    'mental health disciplines, including those providing counseling and treatment '
    'services.\t• • •\tWorking with Others\tBuilding and Maintaining Relation- ships '
    '(MHM)\tBuilds and maintains effective interpersonal relationships with a broad range '
    'of people including families, colleagues, agency and community representatives, '
    'and/or legislators, as the individual role requires by: a) Being proactive in '
    'establishing connections, b) Sharing information, c) Partnering on projects, and d) '
    'Identifying and reaching out to families of cultures not being served or underserved'
)

# 2E.3 again as a "See above." row: its cells are copies and must get the same repair.
SEE_ABOVE_2E3 = ("2E.\t2E.3. See above.\t• • •\tWorking with Others\tBuilding & Maintaining "
                 "Relation- ships (MHM)\tSee above.")

EXPORT = f"""2. Foundational Knowledge

Draws from a broad and diverse knowledge base to understand infants, young children, families, and program or other setting staff.

{HEADER}
{ROW_2E3}
{SEE_ABOVE_2E3}

5. Child- and Family-Focused Consultation

Collaborates with families and/or program or other setting staff to understand and respond effectively.

{HEADER}
{ROW_5A4}
{ROW_5C2}

6. Classroom- and Home- Focused Consultation

Collaborates with caregivers and program staff to promote equitable, warm, and trusting relationships.

{HEADER}
{ROW_6C1}

8. Systems-Wide Orientation

Works within and across systems, integrating mental health concepts and supports into environments where infants and young children are.

{HEADER}
{ROW_8B3}

{REVERSE_HEADER}
Working with Others\tbuilding & maintaining relationships (MHM)\t2E3, 5A4, 8B3
Direct Service Skills\tintervention/treatment planning (MHS)\t5C2
Direct Service Skills\tdevelopmental guidance (MHM)\t6C1
"""
EVIDENCE = {"ct-aimh-mentor-guidelines": [CT_AIMH_43]}


def _transform(tmp_path, evidence=EVIDENCE, spot_fixes=Path("/nonexistent")):
    path = tmp_path / "export.txt"
    path.write_text(EXPORT, encoding="utf-8")
    result = extract_crosswalk_table(path, "coe-alliance-crosswalk-2023")
    frames = {"domains": result.domains, "forward": result.forward, "reverse": result.reverse}
    return transform_crosswalk_table(frames, LEX, path=str(path), spot_fixes=spot_fixes,
                                     evidence=evidence)


def _demonstrated(tables, code, seq=1):
    crosswalk = tables["crosswalk"]
    row = crosswalk[(crosswalk["coe_code"] == code) & (crosswalk["mapping_seq"] == seq)]
    return row["demonstrated_by"].iloc[0]


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    return _transform(tmp_path_factory.mktemp("export"))


def test_the_slips_of_2E3_and_5C2_are_repaired_end_to_end(tables):
    assert _demonstrated(tables, "2E.3").endswith(
        "reaching out to families of cultures not being served or understood")
    assert "identify goals and activities that encourage" in _demonstrated(tables, "5C.2")
    # the witnesses are left as they are
    assert _demonstrated(tables, "5A.4").endswith("not being served or being underserved")
    assert "[caregivers] identify goals and activities" in _demonstrated(tables, "6C.1")


def test_a_see_above_copy_gets_the_same_repair(tables):
    assert _demonstrated(tables, "2E.3", 2) == _demonstrated(tables, "2E.3", 1)


def test_each_repair_is_logged_with_rule_consistency(tables):
    corrections = tables["corrections"]
    logged = corrections[corrections["rule"] == "consistency"]
    assert sorted(zip(logged["row_key"], logged["field"], logged["before"], logged["after"],
                      logged["source_line"])) == [
        ("2E.3/1", "demonstrated_by", "cultures no being", "cultures not being", 6),
        ("2E.3/2", "demonstrated_by", "cultures no being", "cultures not being", 7),
        ("5C.2/1", "demonstrated_by", "goals an activities", "goals and activities", 15),
    ]
    assert not (tables["quality_issues"]["kind"] == "inconsistent_reading").any()


def test_without_the_other_source_5C2_is_a_quality_issue_not_a_change(tmp_path):
    tables = _transform(tmp_path, evidence=None)
    assert "identify goals an activities" in _demonstrated(tables, "5C.2")
    issues = tables["quality_issues"]
    issues = issues[issues["kind"] == "inconsistent_reading"]
    assert list(zip(issues["row_key"], issues["detail"])) == [
        ("5C.2/1", ("demonstrated_by: 'goals an activities' is printed 'goals and activities' "
                    "in 1 other text(s) and as here in 0; not changed: a single witness in "
                    "the same source; a spot fix can settle it")),
        ("6C.1/1", ("demonstrated_by: 'goals and activities' is printed 'goals an activities' "
                    "in 1 other text(s) and as here in 0; not changed: a single witness in "
                    "the same source; a spot fix can settle it")),
    ]
    # the strong repair of 2E.3 does not need the other source
    assert _demonstrated(tables, "2E.3").endswith("cultures not being served or understood")


def test_a_spot_fix_still_applies_and_goes_first(tmp_path):
    fixes = tmp_path / "spot_fixes.csv"
    fixes.write_text(
        "dataset,row_key,column,old_value,new_value,reason\n"
        "crosswalk,5C.2/1,demonstrated_by,goals an activities,goals and activities,"
        "real-word slip\n", encoding="utf-8")
    tables = _transform(tmp_path, spot_fixes=fixes)
    assert "identify goals and activities" in _demonstrated(tables, "5C.2")
    corrections = tables["corrections"]
    fixed = corrections[corrections["row_key"] == "5C.2/1"]
    assert set(fixed["rule"]) >= {"override"} and "consistency" not in set(fixed["rule"])
    assert not (tables["quality_issues"]["kind"] == "stale_spot_fix").any()


@pytest.mark.parametrize("enabled", [pytest.param(True, id="collector-on"),
                                     pytest.param(False, id="collector-off")])
def test_indexing_leaves_the_garbage_collector_as_it_found_it(enabled):
    # The index is built with cyclic collection paused (it holds no cycle); afterwards
    # the collector is on or off as before, even when the indexing fails.
    rows = ["families of cultures no being served or understood",
            "to families of cultures not being served or being underserved",
            "to families of cultures not being served or underserved"]
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        assert len(propose_readings(rows)) == 1
        assert gc.isenabled() is enabled
        with pytest.raises(TypeError):
            propose_readings([*rows, 42])
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
