"""Vocabularies: every spelling of a mark, level or Endorsement domain in the source maps to
the contract's value, by rule rather than by position."""

import pytest

from pipeline.transform.cells.vocabulary import (
    alignment_of,
    area_domains,
    canonical_endorsement_domain,
    parse_priority,
    split_level,
    strip_glyphs,
)


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("Law, Regulation, and Agency Policy", "Law, Regulation & Agency Policy"),
        ("Law, Regulation & Policy", "Law, Regulation & Agency Policy"),
        ("Law, Regulation & Agency", "Law, Regulation & Agency Policy"),
        ("Eaw, Regulation & Agency Policy", "Law, Regulation & Agency Policy"),
        ("Law, Regula- tion & Agency Policy", "Law, Regulation & Agency Policy"),
        ("Working with others", "Working with Others"),
        ("Workin, Others g with", "Working with Others"),
        ("Direct Service skills", "Direct Service Skills"),
        ("Direct Service", "Direct Service Skills"),
        ("Admin tion", "Administration"),
        ("Administra- tion", "Administration"),
        ("Research & Eval-uation", "Research & Evaluation"),
        ("Theoretical Foundations (cont.)", "Theoretical Foundations"),
        ("Systems Expertise", "Systems Expertise"),
        ("Communicating", "Communicating"),
    ],
)
def test_source_spellings_map_to_one_canonical_domain(cell, expected):
    assert canonical_endorsement_domain(cell) == expected


def test_area_listed_under_a_domain_elsewhere_decides_an_ambiguous_cell():
    hints = area_domains([("Leading People", "developing talent (MHM)")])
    assert canonical_endorsement_domain("Leading others", hints["developing talent"]) == "Leading People"
    assert canonical_endorsement_domain("Leading others") is None


def test_unknown_domain_is_not_guessed():
    assert canonical_endorsement_domain("Gardening & Landscaping") is None


@pytest.mark.parametrize(
    "cells, expected",
    [
        pytest.param(["≠ Unique", "# Unique", "≠ Unique"], "unique", id="not-equal-and-misread-hash"),
        pytest.param(["# Unique", "# Unique", "# Unique"], "unique", id="hash-only"),
        pytest.param(["Unique", "Unique", "Unique"], "unique", id="word-only"),
        pytest.param(["≈ Communicating", "Writing", "Writes clearly"], "partial", id="approx"),
        pytest.param(["≈ Workin, Others g with", "Building", "Builds"], "partial", id="approx-split"),
        pytest.param(["X Working with others", "Building", "Builds"], "same", id="junk-x"),
        pytest.param(["— Thinking", "Solving Problems", "Generates"], "same", id="junk-dash"),
        pytest.param(["* Thinking", "Analyzing Information", "Sees"], "same", id="junk-star"),
    ],
)
def test_alignment_from_marks(cells, expected):
    assert alignment_of(cells) == expected


@pytest.mark.parametrize(
    "cell, priority, note",
    [("*", "Essential", None), ("•••", "Important", None), ("• • •", "Important", None),
     ("covered in 1C1", None, "covered in 1C.1")],
)
def test_priority_marks_and_notes(cell, priority, note):
    assert parse_priority(cell) == (priority, note)


def test_unknown_priority_symbol_is_an_error():
    with pytest.raises(ValueError, match="unknown priority mark '\\+'"):
        parse_priority("+")


def test_glyphs_are_taken_off_but_words_starting_with_x_stay():
    assert strip_glyphs("X Working with others") == ("Working with others", "X")
    assert strip_glyphs("Xenophobia") == ("Xenophobia", "")


@pytest.mark.parametrize(
    "cell, text, level",
    [("Reflective Supervision (MHM)", "Reflective Supervision", "MHM"),
     ("Supportive Counseling (MHS)", "Supportive Counseling", "MHS"),
     ("Self Awareness", "Self Awareness", None),
     ("Admin tion (M", "Admin tion", None)],
)
def test_level_tags(cell, text, level):
    assert split_level(cell) == (text, level)
