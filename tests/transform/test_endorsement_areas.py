"""Endorsement areas: spellings matched by rule, the canonical name, the area_id of every
row, and every merge and every unmatched area accounted for. Spellings are real, from
raw/coe-alliance-crosswalk-2023.txt (forward table: ``crosswalk``, reverse table:
``endorsement_index``) and raw/ct-aimh-mentor-competency-guidelines.txt (``mentor_areas``),
as the build publishes them (lines as in ``source_line``)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.metadata import area_id
from pipeline.transform.cells.audit import AuditLog, Provenance
from pipeline.transform.endorsement_areas import (
    CONNECTIVES,
    _crosswalk_key,
    _index_key,
    _Rows,
    clean_endorsement_areas,
    group_spellings,
    link_mentor_areas,
    singular,
    spelling_keys,
    spellings_of,
)

CROSSWALK_SOURCE = "coe-alliance-crosswalk-2023"
MENTOR_SOURCE = "ct-aimh-mentor-guidelines"

# (coe_code, mapping_seq, endorsement_domain, endorsement_area, source_line) of the forward
# table; a None area is a `unique` row.
FORWARD = [
    ("1A.1", 1, None, None, 147),
    ("1B.2", 1, "Theoretical Foundations", "Cultural Humility", 153),
    ("1D.2", 2, "Reflection", "Self Awareness", 171),
    ("1E.1", 2, "Reflection", "Self Awareness", 180),
    ("1E.2", 1, "Law, Regulation & Agency Policy", "Government, Law, & Regulation", 181),
    ("1F.1", 1, "Law, Regulation & Agency Policy", "Government, Law, & Regulation", 183),
    ("1F.3", 1, "Law, Regulation & Agency Policy", "Government, Law & Regulation", 187),
    ("1F.4", 1, "Reflection", "Personal/Professional Development", 188),
    ("2A.2", 2, "Theoretical Foundations", "Cultural Humility", 206),
    ("2A.2", 3, "Theoretical Foundations", "Attachment, Separation, Trauma, Grief, & Loss", 207),
    ("2A.4", 1, "Theoretical Foundations", "Attachment, Separation, Trauma, Grief, & Loss", 212),
    ("2B.6", 2, "Theoretical Foundations", "Attachment, Separation, Trauma, Grief & Loss", 239),
    ("3B.2", 1, "Reflection", "Self-Awareness", 294),
    ("3B.4", 1, "Reflection", "Maintaining perspective", 298),
    ("4A.2", 2, "Reflection", "Self-awareness", 324),
    ("4A.6", 1, "Thinking", "Maintaining Perspective", 330),
    ("8A.3", 1, "Law, Regulation & Agency Policy", "Government, Law, and Regulation", 487),
    ("8B.5", 1, "Reflection", "Professional/Personal Development", 501),
]
# (endorsement_domain, endorsement_area, coe_code, source_line) of the reverse table.
REVERSE = [
    ("Law, Regulation & Agency Policy", "government, law & regulation", "1E.2", 525),
    ("Law, Regulation & Agency Policy", "government, law & regulation", "8A.2", 525),
    ("Reflection", "professional/personal development", "8B.5", 567),
    ("Reflection", "self awareness", "1D.2", 565),
    ("Reflection", "self awareness", "3B.2", 565),
    ("Theoretical Foundations", "attachment, separation, trauma & loss", "2A.2", 515),
    ("Theoretical Foundations", "cultural competence", "1B.2", 519),
    ("Thinking", "maintaining perspective", "4A.6", 562),
]
# (area_of_expertise, area_kind, area, source_line) of the CT-AIMH guidelines.
MENTOR = [
    ("Law, Regulation & Agency Policy", "Knowledge Areas", "government, law, & regulation", 35),
    ("Reflection", "Skill Areas", "self awareness", 71),
    ("Theoretical Foundations", "Knowledge Areas", "attachment, separation, trauma, & loss", 29),
    ("Theoretical Foundations", "Knowledge Areas", "cultural competence", 29),
    ("Theoretical Foundations", "Knowledge Areas",
     "infant/very young child development & behavior", 29),
]


def forward(rows=FORWARD) -> pd.DataFrame:
    return pd.DataFrame(
        [{"coe_code": code, "mapping_seq": seq, "endorsement_domain": domain,
          "endorsement_area": area, "source_id": CROSSWALK_SOURCE, "source_line": line,
          "source_page": None} for code, seq, domain, area, line in rows]
    ).astype({"mapping_seq": "Int64", "source_line": "Int64", "source_page": "Int64"})


def reverse(rows=REVERSE) -> pd.DataFrame:
    return pd.DataFrame(
        [{"endorsement_domain": domain, "endorsement_area": area, "coe_code": code,
          "source_id": CROSSWALK_SOURCE, "source_line": line, "source_page": None}
         for domain, area, code, line in rows],
        columns=["endorsement_domain", "endorsement_area", "coe_code", "source_id",
                 "source_line", "source_page"],
    ).astype({"source_line": "Int64", "source_page": "Int64"})


def mentor(rows=MENTOR) -> pd.DataFrame:
    return pd.DataFrame(
        [{"area_of_expertise": domain, "area_kind": kind, "area": area,
          "source_id": MENTOR_SOURCE, "source_line": line, "source_page": None}
         for domain, kind, area, line in rows]
    ).astype({"source_line": "Int64", "source_page": "Int64"})


@pytest.fixture(scope="module")
def result():
    audit = AuditLog()
    return clean_endorsement_areas(forward(), reverse(), audit), audit


# --- matching spellings ------------------------------------------------------------------


@pytest.mark.parametrize(("one", "other"), [
    pytest.param("Self-Awareness", "self awareness", id="hyphen-and-case"),
    pytest.param("Self-awareness", "Self Awareness", id="hyphen-or-space"),
    pytest.param("Government, Law, & Regulation", "government, law & regulation",
                 id="serial-comma"),
    pytest.param("Government, Law, and Regulation", "government, law & regulation",
                 id="and-or-ampersand"),
    pytest.param("Personal/Professional Development", "professional/personal development",
                 id="word-order"),
    pytest.param("Infant Young Child Development/Behavior",
                 "infant/young child development and behavior", id="slash-for-and"),
    pytest.param("Infant/Young child & Family-Centered Practices",
                 "infant/young child & family-centered practice", id="plural"),
    pytest.param("psychotherapeutic & behavioral theories of changes",
                 "psychotherapeutic & behavioral theories of change", id="plural-mentor"),
    pytest.param("mental & behavioral disorders in adults",
                 "mental & behavioral disorders-adults", id="hyphen-for-in"),
    pytest.param("Infant/young child- & family-centered practice",
                 "infant/young child & family-centered practice", id="suspended-hyphen"),
    pytest.param("Observation and Listening", "observation & listening", id="and"),
])
def test_spellings_of_one_area_share_a_key(one, other):
    assert set(spelling_keys(one)) & set(spelling_keys(other))


@pytest.mark.parametrize(("one", "other"), [
    pytest.param("Cultural Humility", "cultural competence", id="another-word"),
    pytest.param("Reflective Supervision", "reflective clinical supervision",
                 id="a-word-more"),
    pytest.param("Program development/management", "program development", id="two-areas"),
    pytest.param("Listening/Speaking", "listening", id="two-areas-in-one"),
    pytest.param("Attachment, Separation, Trauma, Grief & Loss",
                 "attachment, separation, trauma & loss", id="grief-added"),
    pytest.param("infant/very young child development & behavior",
                 "infant/young child development and behavior", id="very-added"),
    pytest.param("Relationship-Focused, Therapeutic Practice",
                 "relationship-based, therapeutic practice", id="focused-or-based"),
])
def test_other_words_are_other_areas(one, other):
    """The rule never guesses past spelling: these are reported, not merged."""
    assert not set(spelling_keys(one)) & set(spelling_keys(other))


def test_self_awareness_however_hyphenated():
    keys = {spelling_keys(s)[0] for s in ("Self-Awareness", "Self awareness", "Selfawareness",
                                           "self- awareness")}
    assert keys == {"selfawareness"}


def test_spellings_group_per_domain():
    """`Maintaining perspective` under Reflection is not the Thinking area of that name."""
    spellings = spellings_of(forward(), "crosswalk", "endorsement_domain", "endorsement_area",
                             lambda row: "")
    families = {(f[0].domain, f[0].area): [s.area for s in f] for f in group_spellings(spellings)}
    assert families[("Reflection", "Self Awareness")] == [
        "Self Awareness", "Self-Awareness", "Self-awareness"]
    assert families[("Reflection", "Maintaining perspective")] == ["Maintaining perspective"]
    assert families[("Thinking", "Maintaining Perspective")] == ["Maintaining Perspective"]


# --- the crosswalk's areas ---------------------------------------------------------------


def test_reverse_table_spelling_is_the_canonical_name(result):
    tables, _ = result
    areas = tables.endorsement_areas.set_index("area_id")
    assert areas.loc["reflection--self-awareness", "endorsement_area"] == "self awareness"
    assert areas.loc["reflection--professional-personal-development",
                     "endorsement_area"] == "professional/personal development"
    assert areas.loc["law-regulation-and-agency-policy--government-law-and-regulation",
                     "endorsement_area"] == "government, law & regulation"
    assert areas.loc["reflection--self-awareness", "source_line"] == 565


def test_forward_only_area_takes_its_most_frequent_spelling(result):
    tables, _ = result
    areas = tables.endorsement_areas.set_index("area_id")
    grief = areas.loc["theoretical-foundations--attachment-separation-trauma-grief-and-loss"]
    assert grief["endorsement_area"] == "Attachment, Separation, Trauma, Grief, & Loss"  # 2 of 3
    assert not grief["in_reverse_table"]
    assert grief["source_line"] == 207


def test_a_tie_goes_to_the_spelling_printed_first():
    rows = [("2B.6", 2, "Theoretical Foundations", "Attachment, Separation, Trauma, Grief & Loss",
             239),
            ("2A.2", 3, "Theoretical Foundations",
             "Attachment, Separation, Trauma, Grief, & Loss", 207)]
    tables = clean_endorsement_areas(forward(rows), reverse([]), AuditLog())
    assert tables.endorsement_areas["endorsement_area"].tolist() == [
        "Attachment, Separation, Trauma, Grief & Loss"]


def test_every_mapping_row_with_an_area_gets_its_area_id(result):
    tables, _ = result
    crosswalk = tables.crosswalk.set_index(["coe_code", "mapping_seq"])["area_id"]
    assert pd.isna(crosswalk[("1A.1", 1)])  # unique: no Endorsement area
    assert {crosswalk[(code, seq)] for code, seq in
            (("1D.2", 2), ("1E.1", 2), ("3B.2", 1), ("4A.2", 2))} == {"reflection--self-awareness"}
    assert crosswalk[("1F.4", 1)] == crosswalk[("8B.5", 1)] == (
        "reflection--professional-personal-development")
    assert crosswalk[("3B.4", 1)] == "reflection--maintaining-perspective"
    assert crosswalk[("4A.6", 1)] == "thinking--maintaining-perspective"
    known = set(tables.endorsement_areas["area_id"])
    assert set(tables.crosswalk["area_id"].dropna()) <= known
    assert set(tables.endorsement_index["area_id"]) <= known
    assert tables.endorsement_index["area_id"].notna().all()


def test_published_area_cells_keep_their_spelling(result):
    tables, _ = result
    assert tables.crosswalk["endorsement_area"].tolist() == forward()["endorsement_area"].tolist()


def test_every_merge_of_two_spellings_is_logged(result):
    tables, audit = result
    merges = pd.DataFrame(audit.corrections)
    assert set(merges["rule"]) == {"area_spelling"} and set(merges["field"]) == {"area_id"}
    by_row = dict(zip(merges["row_key"], zip(merges["before"], merges["after"])))
    assert by_row["3B.2/1"] == ("Self-Awareness", "self awareness")
    assert by_row["1D.2/2"] == ("Self Awareness", "self awareness")  # case counts too
    assert by_row["8A.3/1"] == ("Government, Law, and Regulation", "government, law & regulation")
    assert by_row["2B.6/2"] == ("Attachment, Separation, Trauma, Grief & Loss",
                                "Attachment, Separation, Trauma, Grief, & Loss")
    # A row spelled as the canonical name merges nothing.
    assert "2A.2/3" not in by_row and "1B.2/1" not in by_row
    crosswalk = tables.crosswalk.dropna(subset=["endorsement_area"])
    names = crosswalk["area_id"].map(
        tables.endorsement_areas.set_index("area_id")["endorsement_area"])
    assert len(merges) == (crosswalk["endorsement_area"] != names).sum() == 12


def test_an_area_the_reverse_table_lacks_is_published_and_reported(result):
    tables, audit = result
    areas = tables.endorsement_areas.set_index("area_id")
    assert not areas.loc["theoretical-foundations--cultural-humility", "in_reverse_table"]
    issues = {i["row_key"]: i for i in audit.issues}
    assert set(issues) == {
        "theoretical-foundations--cultural-humility",
        "theoretical-foundations--attachment-separation-trauma-grief-and-loss",
        "reflection--maintaining-perspective",
    }
    assert {i["kind"] for i in issues.values()} == {"area_not_in_reverse_table"}
    assert {i["dataset"] for i in issues.values()} == {"endorsement_areas"}
    humility = issues["theoretical-foundations--cultural-humility"]
    assert "nearest there: 'cultural competence'" in humility["detail"]
    assert humility["source_line"] == 153
    perspective = issues["reflection--maintaining-perspective"]
    assert "lists the name under Thinking" in perspective["detail"]


def test_spellings_table_lists_each_spelling_once_with_its_row_count(result):
    tables, _ = result
    spellings = tables.endorsement_area_spellings
    self_awareness = spellings[spellings["area_id"] == "reflection--self-awareness"]
    assert sorted(zip(self_awareness["dataset"], self_awareness["endorsement_area"],
                      self_awareness["rows"])) == [
        ("crosswalk", "Self Awareness", 2), ("crosswalk", "Self-Awareness", 1),
        ("crosswalk", "Self-awareness", 1), ("endorsement_index", "self awareness", 2)]
    assert not spellings.duplicated(["dataset", "endorsement_domain", "endorsement_area"]).any()


# --- the CT-AIMH areas -------------------------------------------------------------------


def test_mentor_areas_join_the_crosswalks_areas_and_make_none(result):
    tables, _ = result
    audit = AuditLog()
    linked, spellings = link_mentor_areas(mentor(), tables.endorsement_areas,
                                          tables.endorsement_area_spellings, audit)
    assert linked["area_id"].fillna("-").tolist() == [
        "law-regulation-and-agency-policy--government-law-and-regulation",
        "reflection--self-awareness",
        "theoretical-foundations--attachment-separation-trauma-and-loss",
        "theoretical-foundations--cultural-competence",
        "-",
    ]
    [issue] = audit.issues
    assert issue["kind"] == "unmatched_area" and issue["dataset"] == "mentor_areas"
    assert issue["row_key"] == ("Theoretical Foundations/Knowledge Areas/"
                                "infant/very young child development & behavior")
    assert "area_id left null" in issue["detail"]
    merged = {(c["before"], c["after"]) for c in audit.corrections}
    assert merged == {("government, law, & regulation", "government, law & regulation"),
                      ("attachment, separation, trauma, & loss",
                       "attachment, separation, trauma & loss")}
    assert set(spellings["dataset"]) == {"mentor_areas"} and len(spellings) == 4


def test_without_the_crosswalk_mentor_areas_have_no_area_id():
    audit = AuditLog()
    linked, spellings = link_mentor_areas(mentor(), None, None, audit)
    assert linked["area_id"].isna().all() and spellings.empty and audit.issues == []


# --- re-spelled areas keep their ids (property) --------------------------------------------

_WORD = re.compile(r"[A-Za-z]+")


def _plural_toggled(word: str) -> str:
    """The word made plural, or singular if it is a regular plural."""
    if singular(word.lower()) != word.lower():
        return word[: len(singular(word.lower()))]
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1].lower() not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


@st.composite
def respelled(draw, area: str, *, joins: bool = True, plurals: bool = True) -> str:
    """``area`` spelled another way: each word's case, a word's number, `&` or `and`, and
    what stands between two words (space, hyphen, slash, comma, or nothing)."""
    parts = re.split(r"(\W+)", area)
    # A word made plural is not run together with the next: ``personalsdevelopment`` is
    # no spelling anyone prints.
    plural = [plurals and bool(_WORD.fullmatch(p)) and p.lower() not in CONNECTIVES
              and len(p) >= 3 and draw(st.booleans()) for p in parts]
    out = []
    for i, part in enumerate(parts):
        if _WORD.fullmatch(part):
            word = part
            if word.lower() == "and":
                word = draw(st.sampled_from(["and", "And", "&"]))
            elif word.lower() not in CONNECTIVES:
                word = _plural_toggled(word) if plural[i] else word
                word = draw(st.sampled_from([word, word.lower(), word.upper(), word.title()]))
            out.append(word)
        elif part.strip() == "&":
            out.append(draw(st.sampled_from([" & ", " and ", " And "])))
        elif part:
            neighbours = {p.lower() for p in parts[max(i - 1, 0):i + 2:2]}
            choices = [part, " ", "-", " - ", "/", ", ", "  "]
            if joins and not neighbours & CONNECTIVES and not any(plural[max(i - 1, 0):i + 2]):
                choices.append("")
            out.append(draw(st.sampled_from(choices)))
    return "".join(out)


@pytest.fixture(scope="module")
def ids_as_printed(result):
    tables, _ = result
    return tables.crosswalk["area_id"].tolist()


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_respelled_forward_and_mentor_areas_keep_their_area_ids(data, result, ids_as_printed):
    """However the forward table and the CT-AIMH guidelines spell an area the reverse
    table names — case, `&`/`and`, hyphens, joined words, plurals — it gets the same
    area_id."""
    tables, _ = result
    canonical = dict(zip(tables.endorsement_areas["area_id"],
                         tables.endorsement_areas["endorsement_area"]))
    in_reverse = dict(zip(tables.endorsement_areas["area_id"],
                          tables.endorsement_areas["in_reverse_table"]))
    rows = []
    for (code, seq, domain, area, line), identifier in zip(FORWARD, ids_as_printed):
        if area is not None and in_reverse[identifier]:
            area = data.draw(respelled(canonical[identifier]), label=f"{code}/{seq}")
        rows.append((code, seq, domain, area, line))
    again = clean_endorsement_areas(forward(rows), reverse(), AuditLog())
    assert again.crosswalk["area_id"].tolist() == ids_as_printed
    mentor_rows = [(d, k, data.draw(respelled(a), label=a), line) for d, k, a, line in MENTOR[:4]]
    linked, _ = link_mentor_areas(mentor(mentor_rows), again.endorsement_areas,
                                  again.endorsement_area_spellings, AuditLog())
    assert linked["area_id"].tolist() == [
        "law-regulation-and-agency-policy--government-law-and-regulation",
        "reflection--self-awareness",
        "theoretical-foundations--attachment-separation-trauma-and-loss",
        "theoretical-foundations--cultural-competence",
    ]


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_respelled_reverse_table_keeps_the_area_ids(data, result):
    """A new edition that changes only case, `&`/`and`, punctuation or spacing of the
    reverse table's names keeps every area_id (the id is the slug of the name)."""
    tables, _ = result
    rows = [(domain, data.draw(respelled(area, joins=False, plurals=False), label=area), code,
             line) for domain, area, code, line in REVERSE]
    again = clean_endorsement_areas(forward(), reverse(rows), AuditLog())
    assert sorted(again.endorsement_areas["area_id"]) == sorted(
        tables.endorsement_areas["area_id"])
    assert again.crosswalk["area_id"].fillna("").tolist() == tables.crosswalk[
        "area_id"].fillna("").tolist()


def test_area_id_is_the_slug_of_domain_and_canonical_name():
    assert area_id("Theoretical Foundations", "family relationships & dynamics") == (
        "theoretical-foundations--family-relationships-and-dynamics")
    assert area_id("Research & Evaluation", "study of infant relationships & attachment") == (
        "research-and-evaluation--study-of-infant-relationships-and-attachment")


def test_a_row_read_column_by_column_gives_the_keys_and_provenance_of_iterrows():
    # Real rows of the crosswalk (a mapping row, a unique one without an area), with the
    # types a transformed table has: text, Int64, and missing values of each.
    frame = pd.DataFrame({
        "coe_code": ["1A.1", "4A.4"], "mapping_seq": [2, None],
        "endorsement_domain": ["Reflection", None], "endorsement_area": ["Curiosity", None],
        "source_id": ["coe-alliance-crosswalk-2023"] * 2, "source_line": [148, None],
        "source_page": [None, 12],
    }).astype({"coe_code": "str", "mapping_seq": "Int64", "endorsement_domain": "str",
               "endorsement_area": "str", "source_id": "str", "source_line": "Int64",
               "source_page": "Int64"})
    rows = _Rows(frame)
    for position, (_, series) in enumerate(frame.iterrows()):
        row = rows[position]
        assert _crosswalk_key(row) == _crosswalk_key(series)
        assert _index_key(row) == _index_key(series)
        assert Provenance.of(row) == Provenance.of(series)
    assert _crosswalk_key(rows[0]) == "1A.1/2" and _crosswalk_key(rows[1]) == "4A.4/<NA>"
