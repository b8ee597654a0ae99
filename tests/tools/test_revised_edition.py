"""tools/make_revised_edition.py makes a revised crosswalk that builds, with codes that stay
consistent, and a truth that says what its operations did; tools/score_diff.py scores a
diff report against that truth.

The fragments are lines of raw/coe-alliance-crosswalk-2023.txt (cells shortened); the
default edition is made from the whole file and built once for the module.
"""

import json
import re
from collections import Counter
from pathlib import Path

import make_revised_edition as edition
import pytest
import score_diff as scoring

from pipeline.codes import split_leading_code
from pipeline.extract.crosswalk_table import extract_crosswalk_table

ROOT = Path(__file__).resolve().parents[2]
RAW_EXPORT = ROOT / "raw" / "coe-alliance-crosswalk-2023.txt"


op = edition  # the operation classes, read as op.InsertCompetency(...)


def _line(*cells: str) -> str:
    return "\t".join(cells)


HEADER = _line("IECMH Consultation Category", "IECMH Consultation Core Skills",
               "Essential or Important", "IECMH Endorsement Competency", "Knowledge/ Skill Area",
               "As Demonstrated By/ Other Work Experience (and Interview)")
# raw line 392: the header that splits "IECMH Endorsement Competency" in two fields.
SPLIT_HEADER = _line("IECMH Consultation Category", "IECMH Consultation Core Skills",
                     "Essential or Important", "IECMH Endorse Compet", "",
                     "Knowledge/ Skill Area",
                     "As Demonstrated By/ Other Work Experience (and Interview)")
REVERSE_HEADER = _line("Competencies for IMH-E® and ECMH-E® Domain",
                       "Competencies for IMH-E® and ECMH-E® Knowledge or Skill Area",
                       "Center of Excellence Competecies")

# Lines 156-177 and 509-565 of the text export, cells shortened.
FRAGMENT = [
    "1. Role of the IECMH Consultant",
    "",
    HEADER,
    _line("1C. Understands and Engages in the Consultative Process",
          "1C.1. Demonstrates an organized approach to the stages of the consultative process.",
          "*", "Thinking", "Planning & Organizing", "Defines, creates a sequence for, and "
          "prioritizes tasks"),
    _line("1C.", "1C.1. See above.", "•••", "Direct Service skills",
          "Intervention/ Treatment Planning (MHS)", "Interprets and synthesizes information"),
    _line("1C.", "1C.2. Maintains accurate and timely records.", "*",
          "Law, Regulation, and Agency Policy", "Agency Policy",
          "Personally works within the requirements of: Federal and state law"),
    _line("1D. Embraces the Consultative Stance and Reflective Practice",
          '1D.1. Can articulate the elements of the "consultative stance."', "covered in 1C1",
          "≠ Unique", "# Unique", "≠ Unique"),
    _line("1D.", '1D.2. Demonstrates the ability to engage in a flexible "use of self."', "*",
          "— Thinking", "Solving Problems", "Generates new insights and workable solutions"),
    _line("1D.", "1D.2. See above.", "•••", "Reflection", "Self Awareness",
          "Seeks a high degree of agreement between self-perceptions and the way others "
          "perceive him/her"),
    _line("1D.", "1D.3 Understands implicit bias and its manifestations.", "*",
          "Direct Service Skills", "Parent- Infant/ Young Child Relation- ship-Based Therapies",
          "Attends and responds to parental histories of loss"),
    _line("1D.", "1D.3. See above.", "• • •", "Theoretical Foundations",
          "Psychother- apeutic & Behavioral Theories of Change", "See above."),
    _line("1D.", "1D.4. Recognizes and maintains appropriate professional boundaries.", "*",
          "Law, Regu- lation and Agency Policy", "Ethical Practice",
          "Maintains appropriate personal boundaries"),
    "",
    REVERSE_HEADER,
    _line("Theoretical Foundations",
          "psychotherapeutic & behavioral theories of change (MHS & MHM)", "1D3"),
    _line("Law, Regulation & Policy", "agency policy (IFA, IFS, MHS, MHM)", "1C2"),
    _line("Direct Service Skills (cont.)", "intervention/treatment planning (MHS & MHM)",
          "1C1, 5B1"),
    _line("Thinking", "solving problems (IFA, IFS, MHS, MHM)", "1D2, 6A4, 7A11"),
    _line("Thinking", "planning & organizing (IFA, IFS, MHS, MHM)", "1C1"),
    _line("Reflection", "self awareness (IFA, IFS, MHS, MHM)", "1D2, 1E1"),
    _line("Reflection", "curiosity (IFA, IFS, MHS, MHM)", "2D4, 3B3, 4B3"),
]
TEXT = "\n".join(FRAGMENT)
NEW_TEXT = "Builds trust with staff before offering suggestions."


def _changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """(lines only in before, lines only in after), in order."""
    old, new = before.split("\n"), after.split("\n")
    return [x for x in old if x not in new], [x for x in new if x not in old]


# --- the edits, on a fragment: exact lines ------------------------------------------------


def test_insert_shifts_the_codes_after_it_in_their_spelling_and_every_reference():
    revision = edition.revise(TEXT, [op.InsertCompetency(
        "1D", NEW_TEXT, position=2, priority="Important",
        mappings=(op.Mapping("Reflection", "Curiosity", "Remains open and curious"),))])
    gone, new = _changed_lines(TEXT, revision.text)
    assert new == [
        _line("1D.", f"1D.2. {NEW_TEXT}", "• • •", "Reflection", "Curiosity",
              "Remains open and curious"),
        _line("1D.", '1D.3. Demonstrates the ability to engage in a flexible "use of self."',
              "*", "— Thinking", "Solving Problems", "Generates new insights and workable "
              "solutions"),
        FRAGMENT[8].replace("1D.2.", "1D.3."),
        FRAGMENT[9].replace("1D.3 ", "1D.4 "),  # no full stop after the code, as printed
        FRAGMENT[10].replace("1D.3.", "1D.4."),  # its "See above." still has 1D.4 above it
        FRAGMENT[11].replace("1D.4.", "1D.5."),
        _line("Theoretical Foundations",
              "psychotherapeutic & behavioral theories of change (MHS & MHM)", "1D4"),
        # codes naming no competency of the fragment (6A4, 7A11) stay as they are
        _line("Thinking", "solving problems (IFA, IFS, MHS, MHM)", "1D3, 6A4, 7A11"),
        _line("Reflection", "self awareness (IFA, IFS, MHS, MHM)", "1D3, 1E1"),
        _line("Reflection", "curiosity (IFA, IFS, MHS, MHM)", "1D2, 2D4, 3B3, 4B3"),
    ]
    assert len(gone) == len(new) - 1
    assert revision.competencies[-1] == [None, "1D.2"]
    assert ["1D.2", "1D.3"] in revision.competencies
    assert [["1D.3", 2], ["1D.4", 2]] in revision.mapping_rows


def test_remove_shifts_down_and_drops_the_code_from_the_reverse_table():
    revision = edition.revise(TEXT, [op.RemoveCompetency("1D.3")])
    gone, new = _changed_lines(TEXT, revision.text)
    assert gone == [FRAGMENT[9], FRAGMENT[10], FRAGMENT[11], FRAGMENT[14]]
    assert new == [FRAGMENT[11].replace("1D.4.", "1D.3."),
                   _line("Theoretical Foundations",
                         "psychotherapeutic & behavioral theories of change (MHS & MHM)",
                         "Unique to Alliance")]
    assert ["1D.3", None] in revision.competencies and ["1D.4", "1D.3"] in revision.competencies
    assert [["1D.3", 2], None] in revision.mapping_rows


def test_removing_a_category_s_first_competency_hands_on_its_title_and_its_note():
    revision = edition.revise(TEXT, [op.RemoveCompetency("1C.1")])
    _, new = _changed_lines(TEXT, revision.text)
    assert new == [
        _line("1C. Understands and Engages in the Consultative Process",
              "1C.1. Maintains accurate and timely records.", "*",
              "Law, Regulation, and Agency Policy", "Agency Policy",
              "Personally works within the requirements of: Federal and state law"),
        # "covered in" a competency that is gone: the mark of an Important one
        FRAGMENT[6].replace("covered in 1C1", "• • •"),
        _line("Law, Regulation & Policy", "agency policy (IFA, IFS, MHS, MHM)", "1C1"),
        _line("Direct Service Skills (cont.)", "intervention/treatment planning (MHS & MHM)",
              "5B1"),
        _line("Thinking", "planning & organizing (IFA, IFS, MHS, MHM)", "Unique to Alliance"),
    ]


def test_moving_to_the_front_of_a_category_takes_its_title_and_renames_the_note():
    revision = edition.revise(TEXT, [op.MoveCompetency("1D.4", "1C", position=1)])
    lines = revision.text.split("\n")
    assert lines[3:6] == [
        _line("1C. Understands and Engages in the Consultative Process",
              "1C.1. Recognizes and maintains appropriate professional boundaries.", "*",
              "Law, Regu- lation and Agency Policy", "Ethical Practice",
              "Maintains appropriate personal boundaries"),
        FRAGMENT[3].replace("1C. Understands and Engages in the Consultative Process", "1C.")
        .replace("1C.1.", "1C.2."),
        FRAGMENT[4].replace("1C.1.", "1C.2."),
    ]
    assert FRAGMENT[6].replace("covered in 1C1", "covered in 1C2") in lines
    assert ["1D.4", "1C.1"] in revision.competencies and ["1C.1", "1C.2"] in revision.competencies


def test_removing_a_first_mapping_row_gives_the_next_its_text_priority_and_see_above():
    revision = edition.revise(TEXT, [op.RemoveMapping("1D.3", 1)])
    gone, new = _changed_lines(TEXT, revision.text)
    assert gone == [FRAGMENT[9], FRAGMENT[10]]
    assert new == [_line("1D.", "1D.3. Understands implicit bias and its manifestations.", "*",
                         "Theoretical Foundations",
                         "Psychother- apeutic & Behavioral Theories of Change",
                         "Attends and responds to parental histories of loss")]
    assert [["1D.3", 1], None] in revision.mapping_rows
    assert [["1D.3", 2], ["1D.3", 1]] in revision.mapping_rows


def test_remapping_moves_the_code_between_areas_of_the_reverse_table():
    revision = edition.revise(TEXT, [op.SetArea("1C.2", 1, "Thinking", "Planning & Organizing"),
                                     op.AddMapping("1D.4", op.Mapping(
                                         "Reflection", "Curiosity", "Remains open and curious",
                                         alignment="partial")),
                                     op.SetAlignment("1D.2", 2, "partial")])
    _, new = _changed_lines(TEXT, revision.text)
    assert new == [
        _line("1C.", "1C.2. Maintains accurate and timely records.", "*", "Thinking",
              "Planning & Organizing",
              "Personally works within the requirements of: Federal and state law"),
        _line("1D.", "1D.2. See above.", "•••", "≈ Reflection", "Self Awareness",
              "Seeks a high degree of agreement between self-perceptions and the way others "
              "perceive him/her"),
        _line("1D.", "1D.4. See above.", "*", "≈ Reflection", "Curiosity",
              "Remains open and curious"),
        _line("Law, Regulation & Policy", "agency policy (IFA, IFS, MHS, MHM)",
              "Unique to Alliance"),
        _line("Thinking", "planning & organizing (IFA, IFS, MHS, MHM)", "1C1, 1C2"),
        _line("Reflection", "curiosity (IFA, IFS, MHS, MHM)", "1D4, 2D4, 3B3, 4B3"),
    ]
    assert [None, ["1D.4", 2]] in revision.mapping_rows


def test_reword_and_priority_edit_the_competency_s_first_row_only():
    revision = edition.revise(TEXT, [op.Reword("1D.3", (("implicit", "unconscious"),)),
                                     op.SetPriority("1C.2", "Important")])
    _, new = _changed_lines(TEXT, revision.text)
    assert new == [FRAGMENT[5].replace("\t*\t", "\t• • •\t"),
                   FRAGMENT[9].replace("implicit", "unconscious")]


def test_an_insertion_under_a_split_header_fills_that_header_s_fields(tmp_path):
    # Lines 353, 386-393 of the text export, cells shortened.
    text = "\n".join([
        "5. Child- and Family-Focused Consultation", "", HEADER,
        _line("5D. Supports and Facilitates Referrals", "5D.1. Partners with staff and families.",
              "*", "Theoretical Foundations", "Disorders of Infancy/Early Childhood",
              "Recognizes risks and disorders of infancy/early childhood"),
        "", SPLIT_HEADER,
        _line("5D.", "5D.2. Establishes and maintains positive relationships.", "•••",
              "≈ Workin, Others", "g with", "Building & Maintaining Relation- ships (MHM)",
              "Builds and maintains effective interpersonal relationships"),
    ])
    revision = edition.revise(text, [op.InsertCompetency(
        "5D", NEW_TEXT, mappings=(op.Mapping(alignment="unique"),))])
    assert revision.text.split("\n")[-1] == _line(
        "5D.", f"5D.3. {NEW_TEXT}", "*", "≠ Unique", "", "# Unique", "≠ Unique")
    document = tmp_path / "crosswalk.txt"
    document.write_text(revision.text, encoding="utf-8")
    forward = extract_crosswalk_table(document, "fragment").forward
    assert forward.iloc[-1][["skill", "endorsement_domain", "area"]].tolist() == [
        f"5D.3. {NEW_TEXT}", "≠ Unique", "# Unique"]


@pytest.mark.parametrize("operations, message", [
    pytest.param([op.RemoveCompetency("1G.1")], "only competency of 1G", id="empty-category"),
    pytest.param([op.MoveCompetency("1H.1", "1A")], "only competency of 1H",
                 id="move-empties-category"),
    pytest.param([op.MoveCompetency("1A.1", "1A")], "in 1A already", id="move-in-place"),
    pytest.param([op.RemoveCompetency("1A.2"), op.Reword("1A.2", (("Understands", "Knows"),))],
                 "operation 2 (reword): no competency 1A.2", id="edit-after-removal"),
    pytest.param([op.Reword("1A.1", (("zebra", "horse"),))], "no word 'zebra'",
                 id="reword-missing-word"),
    pytest.param([op.InsertCompetency("1A", NEW_TEXT, position=5)], "position 5 is outside",
                 id="position-out-of-range"),
    pytest.param([op.InsertCompetency("1I", NEW_TEXT)], "no category 1I", id="no-category"),
    pytest.param([op.RemoveMapping("1A.1", 1)], "has one mapping row", id="last-mapping-row"),
    pytest.param([op.SetAlignment("1A.1", 1, "partial")], "unique to the CoE",
                 id="alignment-of-unique-row"),
    pytest.param([op.SetArea("1B.1", 1, "Thinking", "Juggling")], "no area of the reverse table",
                 id="area-not-in-reverse-table"),
])
def test_operations_that_cannot_apply_are_refused(operations, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        edition.revise(RAW_EXPORT.read_text(encoding="utf-8"), operations)


def test_operations_round_trip_through_json():
    data = json.loads(json.dumps([edition.operation_to_dict(o)
                                  for o in edition.DEFAULT_OPERATIONS]))
    assert tuple(edition.operation_from_dict(d) for d in data) == edition.DEFAULT_OPERATIONS
    with pytest.raises(ValueError, match="unknown operation"):
        edition.operation_from_dict({"op": "shuffle"})


def test_random_operations_are_seeded_and_cover_every_kind():
    text = RAW_EXPORT.read_text(encoding="utf-8")
    first = edition.random_operations(text, seed=7, count=12)
    assert first == edition.random_operations(text, seed=7, count=12)
    assert first != edition.random_operations(text, seed=8, count=12)
    assert {edition.operation_to_dict(o)["op"] for o in first} == set(edition.OPERATIONS)
    for seed in range(6):  # every random edition applies
        edition.revise(text, edition.random_operations(text, seed=seed, count=20))


def test_the_cli_writes_both_editions_and_the_correspondence(tmp_path, capsys):
    edition.main([str(tmp_path), "--no-build"])
    assert "12 operations" in capsys.readouterr().out
    for side in ("raw-old", "raw-new"):
        manifest = (tmp_path / side / "sources.toml").read_text(encoding="utf-8")
        assert "[source.expect]" not in manifest
        assert 'id = "coe-alliance-crosswalk-2023"' in manifest
    assert (tmp_path / "raw-old" / RAW_EXPORT.name).read_bytes() == RAW_EXPORT.read_bytes()
    assert len(json.loads((tmp_path / "operations.json").read_text())) == 12
    assert set(json.loads((tmp_path / "correspondence.json").read_text())) == {
        "coe_competencies", "crosswalk"}


# --- the default edition, built ----------------------------------------------------------


@pytest.fixture(scope="module")
def default_edition(tmp_path_factory):
    return edition.make_edition(tmp_path_factory.mktemp("default-edition"))


def _json(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def _model(categories: dict[str, list[str]], slots: dict[str, list], operations):
    """What the operations do to the codes, on lists: competencies by category, mapping
    rows by competency. Returns (competency pairs, mapping-row pairs, changed keys)."""
    categories = {c: list(m) for c, m in categories.items()}
    slots = {c: list(s) for c, s in slots.items()}
    inserted = added = 0
    dropped = set()  # mapping rows removed
    touched: dict[str, set] = {"coe_competencies": set(), "crosswalk": set()}
    for o in operations:
        if isinstance(o, op.InsertCompetency):
            inserted += 1
            members = categories[o.category]
            members.insert(len(members) if o.position is None else o.position - 1, f"+{inserted}")
            slots[f"+{inserted}"] = list(range(1, len(o.mappings) + 1))
        elif isinstance(o, op.RemoveCompetency | op.MoveCompetency):
            next(m for m in categories.values() if o.code in m).remove(o.code)
            if isinstance(o, op.MoveCompetency):
                members = categories[o.category]
                members.insert(len(members) if o.position is None else o.position - 1, o.code)
        elif isinstance(o, op.AddMapping):
            added += 1
            slots[o.code].append(f"+{added}")
        elif isinstance(o, op.RemoveMapping):
            slots[o.code].remove(o.seq)
            dropped.add((o.code, o.seq))
        elif isinstance(o, op.Reword):
            touched["coe_competencies"].add(o.code)
            touched["crosswalk"] |= {(o.code, s) for s in slots[o.code] if isinstance(s, int)}
        elif isinstance(o, op.SetPriority):
            touched["coe_competencies"].add(o.code)
            touched["crosswalk"].add((o.code, slots[o.code][0]))
        else:  # SetArea, SetAlignment
            touched["crosswalk"].add((o.code, o.seq))
    code = {c: f"{cat}.{n}" for cat, members in categories.items()
            for n, c in enumerate(members, start=1)}
    row = {(c, s): (code[c], n) for c, ss in slots.items() if c in code
           for n, s in enumerate(ss, start=1)}
    competencies = {(c if not c.startswith("+") else None, code.get(c))
                    for c in [*slots]} | {(None, code[c]) for c in code if c.startswith("+")}
    competencies = {(o, n) for o, n in competencies if o is not None or n is not None}
    rows = {((c, s) if not (c.startswith("+") or str(s).startswith("+")) else None,
             row.get((c, s))) for c, ss in slots.items() for s in ss}
    rows |= {(key, None) for key in dropped}
    changed = {"coe_competencies": {c for c in touched["coe_competencies"] if code.get(c) == c},
               "crosswalk": {k for k in touched["crosswalk"] if row.get(k) == k}}
    return competencies, rows, changed


def _original(build: Path) -> tuple[dict[str, list[str]], dict[str, list[int]]]:
    """Competencies by category and mapping_seqs by competency, from a built dataset."""
    categories: dict[str, list[str]] = {}
    for row in _json(build / "coe_competencies.json"):
        categories.setdefault(row["category_code"], []).append(row["coe_code"])
    slots: dict[str, list[int]] = {}
    for row in _json(build / "crosswalk.json"):
        slots.setdefault(row["coe_code"], []).append(row["mapping_seq"])
    return categories, slots


@pytest.mark.parametrize("seed", [0, 5, 9])
def test_a_random_edition_corresponds_as_its_operations_say(seed):
    """The correspondence of a random edition is what the operations do on lists, the
    original's codes read by the pipeline's own extractor."""
    forward = extract_crosswalk_table(RAW_EXPORT, "crosswalk").forward
    categories: dict[str, list[str]] = {}
    slots: dict[str, list[int]] = {}
    for skill in forward["skill"]:
        code = split_leading_code(skill)[0]
        slots.setdefault(code, []).append(len(slots.get(code, [])) + 1)
        if code not in categories.setdefault(code[:2], []):
            categories[code[:2]].append(code)
    text = RAW_EXPORT.read_text(encoding="utf-8")
    operations = edition.random_operations(text, seed=seed, count=20)
    revision = edition.revise(text, operations)
    competencies, rows, _ = _model(categories, slots, operations)
    assert {tuple(pair) for pair in revision.competencies} == competencies
    assert {tuple(None if k is None else tuple(k) for k in pair)
            for pair in revision.mapping_rows} == rows


def test_the_default_edition_builds_with_gapless_codes(default_edition):
    built = _json(default_edition.build_new / "coe_competencies.json")
    numbers: dict[str, list[int]] = {}
    for row in built:
        numbers.setdefault(row["category_code"], []).append(int(row["coe_code"].split(".")[1]))
    assert {c: sorted(n) for c, n in numbers.items()} == {
        c: list(range(1, len(n) + 1)) for c, n in numbers.items()}
    seqs = Counter(row["coe_code"] for row in _json(default_edition.build_new / "crosswalk.json"))
    by_code = {(r["coe_code"], r["mapping_seq"])
               for r in _json(default_edition.build_new / "crosswalk.json")}
    assert all((code, n) in by_code for code, count in seqs.items()
               for n in range(1, count + 1))


def test_the_correspondence_is_what_the_operations_do_to_the_codes(default_edition):
    categories, slots = _original(default_edition.build_old)
    competencies, rows, _ = _model(categories, slots, edition.DEFAULT_OPERATIONS)
    revision = default_edition.revision
    assert {tuple(pair) for pair in revision.competencies} == competencies
    assert {tuple(None if k is None else tuple(k) for k in pair)
            for pair in revision.mapping_rows} == rows


def test_the_truth_holds_what_the_operations_did(default_edition):
    categories, slots = _original(default_edition.build_old)
    competencies, rows, changed = _model(categories, slots, edition.DEFAULT_OPERATIONS)
    truth = _json(default_edition.truth)

    def keys(items):
        return {tuple(k.values()) if len(k) > 1 else k["coe_code"] for k in items}

    for dataset, pairs in (("coe_competencies", competencies), ("crosswalk", rows)):
        assert {(keys([o]).pop(), keys([n]).pop())
                for o, n in truth[dataset]["renumbered"]} == {
            (o, n) for o, n in pairs if o is not None and n is not None and o != n}
        assert keys(truth[dataset]["added"]) == {n for o, n in pairs if o is None}
        assert keys(truth[dataset]["removed"]) == {o for o, n in pairs if n is None}
        assert keys(truth[dataset]["changed"]) == changed[dataset]
    assert edition.counts(truth) == {
        "coe_competencies": {"renumbered": 11, "added": 2, "removed": 1, "changed": 2},
        "crosswalk": {"renumbered": 17, "added": 3, "removed": 3, "changed": 4}}


def _reverse_codes(text: str) -> list[tuple[str, set[tuple[str, str]]]]:
    """("domain: area", its codes as (category, number)) for each reverse-table row."""
    areas = edition.read_structure(text.split("\n")).areas
    return [(f"{a.cells['endorsement_domain'].replace(' (cont.)', '')}: "
             + a.cells["area"].split(" (")[0],
             set(re.findall(r"\b([1-8][A-H])\.?(\d{1,2})\b", a.cells["coe_codes"])))
            for a in areas]


def test_the_reverse_table_follows_the_renumbering_and_the_remapping(default_edition):
    old = _reverse_codes(RAW_EXPORT.read_text(encoding="utf-8"))
    new = _reverse_codes(default_edition.revision.text)
    assert [area for area, _ in old] == [area for area, _ in new]
    renamed = {tuple(o.split(".")): tuple(n.split(".")) if n else None
               for o, n in default_edition.revision.competencies if o}
    found: dict[str, dict[str, set[str]]] = {}
    for (area, before), (_, after) in zip(old, new):
        # every code renamed as its competency was; a removed one's code gone
        expected = {renamed.get(code, code) for code in before} - {None}
        for side, codes in (("added", after - expected), ("dropped", expected - after)):
            if codes:
                found.setdefault(area, {})[side] = {".".join(c) for c in codes}
    # Beyond that, only the areas the default operations map to or away from.
    assert found == {
        "Reflection: self awareness": {"added": {"3B.2", "2E.2"}},  # inserted; mapping added
        "Direct Service Skills: advocacy": {"dropped": {"8C.2"}},  # remapped from …
        "Leading People: advocacy": {"added": {"8C.2"}},  # … to
        "Reflection: professional/personal development": {"dropped": {"4B.1"}},  # row removed
    }


def test_the_pipeline_s_cross_check_sees_the_same_consistency(default_edition):
    """The build's own check of the two tables against each other finds as many
    disagreements in the revised edition as in the original, and no unknown code."""
    def kinds(build):
        return Counter(q["kind"] for q in _json(build / "quality_issues.json")
                       if q["kind"] in ("missing_in_reverse_table", "missing_in_forward_table",
                                        "unknown_code", "no_codes", "duplicate_code"))
    assert kinds(default_edition.build_new) == kinds(default_edition.build_old)


# --- the scorer --------------------------------------------------------------------------

TRUTH = {"coe_competencies": {
    "renumbered": [[{"coe_code": "3B.2"}, {"coe_code": "3B.3"}],
                   [{"coe_code": "3B.3"}, {"coe_code": "3B.4"}]],
    "added": [{"coe_code": "3B.2"}], "removed": [], "changed": [{"coe_code": "1F.4"}]}}


def _report(version: int, **claims) -> dict:
    return {"format": "crosswalk-diff", "format_version": version,
            "datasets": [{"name": "coe_competencies", **claims}]}


def test_the_scorer_counts_claims_per_kind_and_overall():
    report = _report(2, renumbered=[{"old_key": {"coe_code": "3B.2"},
                                     "new_key": {"coe_code": "3B.3"}, "similarity": 0.9}],
                     added=[{"key": {"coe_code": "3B.2"}}, {"key": {"coe_code": "3B.5"}}],
                     removed=[], changed=[{"key": {"coe_code": "1F.4"}}])
    truth = scoring.truth_claims(TRUTH)
    scores = scoring.score(scoring.report_claims(report, list(truth)), truth)
    got = {kind: (s.truth, s.claimed, s.correct) for kind, s in scores["overall"].items()}
    assert got == {"renumbered": (2, 1, 1), "added": (1, 2, 1), "removed": (0, 0, 0),
                   "changed": (1, 1, 1), "all": (4, 4, 3)}
    assert scores["overall"]["all"].f1 == pytest.approx(0.75)
    assert scores["overall"]["removed"].f1 == 1.0  # nothing to claim, nothing claimed
    assert scoring.differences(scoring.report_claims(report, list(truth)), truth) == {
        "coe_competencies": {
            "renumbered": {"missing": ["renumbered 3B.3 → 3B.4"], "extra": []},
            "added": {"missing": [], "extra": ["added 3B.5"]}}}


def test_a_version_1_report_scores_as_claiming_no_renumbering():
    report = _report(1, added=[{"key": {"coe_code": "3B.4"}}], removed=[],
                     changed=[{"key": {"coe_code": "3B.2"}}, {"key": {"coe_code": "3B.3"}},
                              {"key": {"coe_code": "1F.4"}}])
    truth = scoring.truth_claims(TRUTH)
    scores = scoring.score(scoring.report_claims(report, list(truth)), truth)
    assert scores["coe_competencies"]["renumbered"].recall == 0.0
    assert (scores["overall"]["all"].precision, scores["overall"]["all"].recall) == (0.25, 0.25)


def test_the_scorer_cli_prints_a_table(tmp_path, capsys):
    (tmp_path / "truth.json").write_text(json.dumps(TRUTH))
    (tmp_path / "report.json").write_text(json.dumps(_report(1)))
    scoring.main([str(tmp_path / "report.json"), str(tmp_path / "truth.json"), "--details"])
    out = capsys.readouterr().out
    assert ["overall", "all", "4", "0", "0", "1.000", "0.000", "0.000"] in [
        line.split() for line in out.splitlines()]
    assert "missing (in the truth, not in the report): renumbered 3B.2 → 3B.3" in out
