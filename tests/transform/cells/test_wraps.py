"""Wrap repairs on real fragments of the crosswalk export and the other sources."""

from __future__ import annotations

import pytest

from pipeline.transform.cells.audit import Edit
from pipeline.transform.cells.lexicon import Lexicon
from pipeline.transform.cells.wraps import dehyphenate, repair_slash_wraps

LEX = Lexicon.default()


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param("Relation- ship-Fo- cused, Therapeutic Practice", "Relationship-Focused, Therapeutic Practice", id="two-wraps-around-a-real-hyphen"),
        pytest.param("Develop- mental Guid- ance (MHS)", "Developmental Guidance (MHS)", id="halves-that-are-words-still-join"),
        pytest.param("Psychother- apeutic & Behavioral Theories", "Psychotherapeutic & Behavioral Theories", id="fragments"),
        pytest.param("Law, Regu- lation and Agency Policy", "Law, Regulation and Agency Policy", id="law-regulation"),
        pytest.param("Program Evaluation (MHM) Pro- gram Evalua- tion (MHM)", "Program Evaluation (MHM) Program Evaluation (MHM)", id="pro-gram"),
        pytest.param("with the appro- priate style", "with the appropriate style", id="lowercase"),
        pytest.param("conflicts with col- leagues (e.g., interagen- cy, peer-peer", "conflicts with colleagues (e.g., interagency, peer-peer", id="domain-word-join"),
        pytest.param("works cooperatively with inter- agency teams", "works cooperatively with interagency teams", id="inter-agency"),
        pytest.param("Caregivers, IEC- MH Consultants", "Caregivers, IECMH Consultants", id="acronym-known-joined"),
        pytest.param("Reflection	Self- Awareness", "Reflection	Self-Awareness", id="capital-after-wrap-is-compound"),
        pytest.param("Parent- Infant/Young Child Relation- ship-Based Therapies", "Parent-Infant/Young Child Relationship-Based Therapies", id="parent-infant"),
        pytest.param("data to track program- wide disparities", "data to track program-wide disparities", id="unknown-whole-two-words"),
        pytest.param("Self-aware- ness", "Self-awareness", id="wrap-after-real-hyphen"),
        pytest.param("Infant/Young child & Fam- ily-Centered Practices", "Infant/Young child & Family-Centered Practices", id="fam-ily"),
        pytest.param("therapeutic parent-in- fant/young child rela- tionship-based thera- pies", "therapeutic parent-infant/young child relationship-based therapies", id="many-wraps"),
        pytest.param("Health Consul-tation website", "Health Consultation website", id="lost-space-unknown-half"),
        pytest.param("family- cen- tered", "family-centered", id="two-wraps-one-compound"),
        pytest.param("care- giv- ing", "caregiving", id="two-wraps-one-word"),
    ],
)
def test_dehyphenate_repairs_wraps(before: str, after: str) -> None:
    assert dehyphenate(before, lexicon=LEX) == after


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("programmatic and/or infant- or young child- and family-specific activities.", id="suspended-or-and"),
        pytest.param("Gathers family- and infant- or young child-related information", id="suspended-family-and"),
        pytest.param("Infant/young child- & family-centered practice", id="suspended-ampersand"),
        pytest.param("Program Develop-", id="hyphen-at-end-of-cell"),
        pytest.param("racism, classism, sexism, able-ism, homophobia", id="real-hyphen-both-halves-words"),
        pytest.param("the rights of citizen children of non-citizen parents", id="prefix-hyphen"),
        pytest.param("GOV.OECD@illinois.gov bit.ly/IL-IECMHC", id="url-and-email"),
        pytest.param("- Permission is not required", id="bullet-dash"),
        pytest.param("Equity – from the Individual Level", id="en-dash"),
    ],
)
def test_dehyphenate_leaves_real_hyphens_alone(text: str) -> None:
    assert dehyphenate(text, lexicon=LEX) == text


def test_dehyphenate_keeps_the_first_suspended_hyphen_and_repairs_the_next() -> None:
    text = "6. Classroom- and Home- Focused Consultation"
    assert dehyphenate(text, lexicon=LEX) == "6. Classroom- and Home-Focused Consultation"


def test_document_evidence_decides_between_two_known_readings() -> None:
    # wordfreq knows "wellbeing"; the document writes "well-being" unbroken.
    wrapped = "emotional well- being"
    assert dehyphenate(wrapped, lexicon=LEX) == "emotional wellbeing"
    document = LEX.with_document(["supports emotional well-being and relational health"])
    assert dehyphenate(wrapped, lexicon=document) == "emotional well-being"


def test_document_evidence_joins_a_hyphen_whose_wrap_space_was_lost() -> None:
    document = LEX.with_document(["relationship-focused", "the relationship", "Promotes relation-ship-focused service"])
    assert dehyphenate("Promotes relation-ship-focused service", lexicon=document) == "Promotes relationship-focused service"
    assert dehyphenate("Promotes relation-ship-focused service", lexicon=LEX) == "Promotes relation-ship-focused service"


def test_dehyphenate_logs_one_edit_per_chain() -> None:
    edits: list[Edit] = []
    dehyphenate("Relation- ship-Fo- cused", edits, LEX)
    assert edits == [
        Edit("dehyphenate", "Relation- ship", "Relationship"),
        Edit("dehyphenate", "Fo- cused", "Focused"),
    ]


def test_dehyphenate_removes_soft_hyphens() -> None:
    assert dehyphenate("Relation\u00ad ship and consul\u00adtation", lexicon=LEX) == "Relationship and consultation"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param("the infant/ young child and family", "the infant/young child and family", id="infant-young"),
        pytest.param("Intervention/ Treatment Planning (MHS)", "Intervention/Treatment Planning (MHS)", id="title"),
        pytest.param("on-the-job experience, and/ or other", "on-the-job experience, and/or other", id="and-or"),
        pytest.param("(MHM/ ECMHM) competencies", "(MHM/ECMHM) competencies", id="acronyms"),
    ],
)
def test_repair_slash_wraps(before: str, after: str) -> None:
    edits: list[Edit] = []
    assert repair_slash_wraps(before, edits) == after
    assert len(edits) == 1 and edits[0].rule == "slash_wrap"


def test_repair_slash_wraps_leaves_closed_slashes() -> None:
    text = "Same/similar concept; Research/Faculty; T/TA efforts"
    assert repair_slash_wraps(text) == text
