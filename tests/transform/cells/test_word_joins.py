"""Joining words the layout split and splitting words it glued, on real fragments."""

from __future__ import annotations

import pytest

from pipeline.transform.cells.audit import Edit
from pipeline.transform.cells.lexicon import Lexicon
from pipeline.transform.cells.word_joins import (
    _split_of,
    _splittable,
    join_split_words,
    restore_lost_hyphens,
    split_joined_words,
)

LEX = Lexicon.default()


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


# --- the memo of split decisions ----------------------------------------------------------

#: Tokens of the crosswalk export, glued by hand or as printed.
TOKENS = ["toother", "dayto", "AddressingGaps", "acrossmultiple", "misson", "underserved",
          "policymaking", "supervisees", "Relationship", "adn"]


def test_a_memoised_split_is_the_split_worked_out_afresh() -> None:
    typos = frozenset({"adn"})
    lexicon = LEX.with_document(["to other services; day to day"])
    first = [_splittable(token, lexicon, typos) for token in TOKENS]  # worked out, kept
    again = [_splittable(token, lexicon, typos) for token in TOKENS]  # read from the memo
    fresh = [_split_of(token, LEX.with_document(["to other services; day to day"]), typos)
             for token in TOKENS]
    assert first == again == fresh
    assert first[:4] == [("to", "other"), ("day", "to"), ("Addressing", "Gaps"),
                         ("across", "multiple")]


def test_a_split_memoised_for_one_typo_list_is_not_used_for_another() -> None:
    lexicon = LEX.with_document([])
    assert _splittable("toother", lexicon, frozenset()) == ("to", "other")
    # Once a curated typo, never split: another list is another memo.
    assert _splittable("toother", lexicon, frozenset({"toother"})) is None


def test_a_memoised_split_depends_on_the_document() -> None:
    assert _splittable("policyfunding", LEX.with_document([]), frozenset()) == ("policy", "funding")
    repeated = LEX.with_document(["policyfunding and policyfunding"])
    assert _splittable("policyfunding", repeated, frozenset()) is None
