"""Wrap repairs on real fragments of the crosswalk export and the other sources."""

from __future__ import annotations

import pytest

from pipeline.transform.audit import Edit
from pipeline.transform.lexicon import Lexicon
from pipeline.transform.tidy import straighten_quotes, tidy_whitespace
from pipeline.transform.word_joins import (
    join_split_words,
    restore_lost_hyphens,
    split_joined_words,
)
from pipeline.transform.wraps import dehyphenate, repair_slash_wraps

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
        pytest.param("Psychothera peutic and Behavioral Theories of Change (MHS)", "Psychotherapeutic and Behavioral Theories of Change (MHS)", id="psychothera-peutic"),
        pytest.param("the Consul tation website", "the Consultation website", id="consul-tation"),
    ],
)
def test_join_split_words(before: str, after: str) -> None:
    assert join_split_words(before, lexicon=LEX) == after


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Demonstrates theh demenor and skills", id="two-typos-are-no-split-word"),
        pytest.param("in a tactful and understanding manor", id="two-words"),
        pytest.param("Admin tion (M", id="join-is-no-word"),
        pytest.param("IEC MH consultants", id="acronyms"),
    ],
)
def test_join_split_words_leaves_other_pairs(text: str) -> None:
    assert join_split_words(text, lexicon=LEX) == text


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param("makes referral toother service agencies", "makes referral to other service agencies", id="toother"),
        pytest.param("AddressingGaps", "Addressing Gaps", id="camel-case"),
    ],
)
def test_split_joined_words(before: str, after: str) -> None:
    edits: list[Edit] = []
    assert split_joined_words(before, edits, LEX) == after
    assert [e.rule for e in edits] == ["split_joined_words"]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Indentifying and reaching out", id="curated-typo-is-not-split"),
        pytest.param("each infant's Behaviorr", id="doubled-letter"),
        pytest.param("misson and strenghts", id="typos-one-edit-from-a-word"),
        pytest.param("underserved communities", id="prefix-word"),
        pytest.param("nonjudgmental inquiry", id="domain-word"),
        pytest.param("supervisees", id="domain-plural"),
        pytest.param("bit.ly/ILIECMHC", id="url"),
    ],
)
def test_split_joined_words_is_strict(text: str) -> None:
    assert split_joined_words(text, lexicon=LEX) == text


def test_split_joined_words_leaves_a_token_the_document_repeats() -> None:
    document = LEX.with_document(["policyfunding and policyfunding"])
    assert split_joined_words("policyfunding", lexicon=document) == "policyfunding"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param("in dayto-day interactions", "in day-to-day interactions", id="dayto-day"),
        pytest.param("Keeps up-todate on current", "Keeps up-to-date on current", id="up-todate"),
    ],
)
def test_restore_lost_hyphens(before: str, after: str) -> None:
    assert restore_lost_hyphens(before, lexicon=LEX) == after


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("racial-equity-related issues", id="all-parts-words"),
        pytest.param("IMH-E® or ECMH-E®", id="codes"),
        pytest.param("Self-aware- ness", id="wrap-is-not-this-rule"),
    ],
)
def test_restore_lost_hyphens_leaves_real_compounds(text: str) -> None:
    assert restore_lost_hyphens(text, lexicon=LEX) == text


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


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param("1B2, 1C2, 2A2, 2A11, 2C1, 2C2 , 32, 3A4", "1B2, 1C2, 2A2, 2A11, 2C1, 2C2, 32, 3A4", id="space-before-comma"),
        pytest.param("influences infants' and young children's experiences .", "influences infants' and young children's experiences.", id="space-before-period"),
        pytest.param("  Uses   toys,\tbooks ", "Uses toys, books", id="runs-and-ends"),
        pytest.param("( e.g., gender, race )", "(e.g., gender, race)", id="inside-parentheses"),
        pytest.param("marked with ellipses (...) and ...", "marked with ellipses (...) and ...", id="ellipsis-kept"),
        pytest.param("Cafe\u0301", "Café", id="nfc"),
    ],
)
def test_tidy_whitespace(before: str, after: str) -> None:
    assert tidy_whitespace(before) == after


def test_tidy_whitespace_logs_the_fragment() -> None:
    edits: list[Edit] = []
    tidy_whitespace("2C1, 2C2 , 32", edits)
    assert edits == [Edit("whitespace", "2C2 ,", "2C2,")]


def test_straighten_quotes_keeps_dashes() -> None:
    edits: list[Edit] = []
    text = "one’s own organization; the “big picture”—along with ‘theirs’ – and"
    assert straighten_quotes(text, edits) == "one's own organization; the \"big picture\"—along with 'theirs' – and"
    assert [e.before for e in edits] == ["one’s", "“big", "picture”—along", "‘theirs’"]
