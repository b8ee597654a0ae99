"""Scanner (OCR) damage: look-alike letters, words run together or split, ``(l)`` for ``(1)``.

Unit tests take real sentences of the crosswalk export and damage them by hand. The
measure damages the real text cells of the export with a seeded generator, one
confusion kind at a time, and cleans them with the lexicon of the *damaged* document
(as the pipeline would read a re-scan), so a damaged form the document writes is no
evidence that it is a word.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.transform.cells.audit import Edit
from pipeline.transform.cells.lexicon import Lexicon, normalize, zipf
from pipeline.transform.cells.scanner import (
    read_through,
    repair_enumeration_digits,
    repair_scanner_confusions,
)
from pipeline.transform.cells.spelling import correct_spelling, known_typos, suggest
from pipeline.transform.cells.text import STEPS, clean_text
from pipeline.transform.cells.word_joins import split_joined_words

RAW = Path(__file__).resolve().parents[3] / "raw"
LEX = Lexicon.default()
SCANNER_STEPS = (repair_enumeration_digits, repair_scanner_confusions)


# --- unit tests on real fragments, damaged by hand ------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param("and systemic racisrn, and how they affect adult behavior", "and systemic racism, and how they affect adult behavior", id="rn-for-m"),
        pytest.param("Govemment, Law, & Regulation", "Government, Law, & Regulation", id="m-for-rn"),
        pytest.param("supervision that inc1udes broad discussion of job-re1ated responsibilities", "supervision that includes broad discussion of job-related responsibilities", id="1-for-l"),
        pytest.param("according to the unique neecls of each", "according to the unique needs of each", id="cl-for-d"),
        pytest.param("Thcoretical Foundations", "Theoretical Foundations", id="c-for-e"),
        pytest.param("with a11 families", "with all families", id="two-ones"),
        pytest.param("Parent- Infant/ Young Child Relation- ship-Basecl Therapies", "Parent-Infant/Young Child Relationship-Based Therapies", id="in-a-wrapped-compound"),
        pytest.param("Demonstrates an understancling of IECMHC as an indirect service", "Demonstrates an understanding of IECMHC as an indirect service", id="among-acronyms"),
    ],
)
def test_scanner_confusions_are_read_back(before: str, after: str) -> None:
    edits: list[Edit] = []
    assert clean_text(before, edits, LEX) == after
    assert "scanner_confusion" in {e.rule for e in edits}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("1A.1. Demonstrates an understanding; covered in 1C1", id="codes"),
        pytest.param("2A11, 2C1, 2C2, 32, 3A4", id="code-list"),
        pytest.param("Infant Mental Health (IMH-E®) and DC:0-3R", id="marks-and-codes"),
        pytest.param("grant number 1H79SM082070-01", id="grant-number"),
        pytest.param("bit.ly/IL-IECMHC", id="url"),
        pytest.param("Johnston, K., & Brinamen, C. (2006)", id="domain-name"),
        pytest.param("Program Evaluation (MHM)", id="acronym"),
    ],
)
def test_scanner_leaves_codes_names_and_words(text: str) -> None:
    assert repair_scanner_confusions(text, lexicon=LEX) == text


@pytest.mark.parametrize(
    ("token", "readings"),
    [
        pytest.param("homc", "home, horne", id="c-for-e-or-rn-for-m"),
        pytest.param("c1early", "clearly, dearly", id="1-for-l-or-cl-for-d"),
        pytest.param("closc", "close, dose", id="c-for-e-or-cl-for-d"),
    ],
)
def test_a_token_with_two_readings_is_left(token: str, readings: str) -> None:
    # Damaged by hand from ``home visiting``, ``clearly``, ``close``: two readings are
    # words, so the token stays (and the unknown-word report shows it).
    assert read_through(token, LEX) is None
    assert repair_scanner_confusions(f"Head Start, {token} visiting", lexicon=LEX) == f"Head Start, {token} visiting"


def test_a_damaged_form_the_document_writes_once_is_no_word() -> None:
    document = LEX.with_document(["Govemment, Law, & Regulation", "state and local government"])
    assert read_through("Govemment", document) == "Government"


def test_a_form_the_document_repeats_more_than_its_reading_is_its_vocabulary() -> None:
    # A name the lexicon does not know, written three times, whose confusion reading
    # (``Dalclen`` → ``Dalden``) the document writes once: left to the unknown-word report.
    document = LEX.with_document(["Dalclen", "Dalclen and Dalclen", "Dalden"])
    assert read_through("Dalclen", document) is None


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param("between (l) families and program staff, (2) program team members", "between (1) families and program staff, (2) program team members", id="parenthesized"),
        pytest.param("including: l)observation of own and 2) effects of treatment", "including: 1) observation of own and 2) effects of treatment", id="glued-to-next-word"),
    ],
)
def test_enumeration_l_is_read_as_1(before: str, after: str) -> None:
    edits: list[Edit] = []
    assert clean_text(before, edits, LEX) == after
    assert "scanner_enumeration" in {e.rule for e in edits}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("(l) alone, no second item", id="no-second-item"),
        pytest.param("a) Identify, b) Develop, c) Formulate, (l) last, 2) x", id="letter-list"),
    ],
)
def test_enumeration_l_without_a_numbered_list_stays(text: str) -> None:
    assert repair_enumeration_digits(text, lexicon=LEX) == text


def test_words_run_together_split_without_a_function_word() -> None:
    # Neither ``across`` nor ``multiple`` is a function word: a token wordfreq never saw
    # whose one convincing split is two common words is two words run together.
    assert split_joined_words("effective referrals acrossmultiple systems", lexicon=LEX) == (
        "effective referrals across multiple systems"
    )


def test_a_glued_token_repeated_by_a_repeated_cell_is_still_split() -> None:
    # ``Working with Others`` is printed in 21 rows; a scan that glues it in three of
    # them still writes ``Working with`` apart far more often.
    document = LEX.with_document(["Workingwith Others"] * 3 + ["Working with Others"] * 18)
    assert split_joined_words("Workingwith Others", lexicon=document) == "Working with Others"
    # A glued form written as often as the words apart is the document's own.
    document = LEX.with_document(["Workingwith Others"] * 3 + ["Working with Others"] * 3)
    assert split_joined_words("Workingwith Others", lexicon=document) == "Workingwith Others"


@pytest.mark.parametrize(
    "word", ["underserved", "interagency", "policymaking", "nonjudgmental", "caregiving", "crosswalk"]
)
def test_rare_real_compounds_are_not_split_even_without_the_domain_list(word: str) -> None:
    # wordfreq has seen them (rarely): they are words, not two words run together.
    assert Lexicon(domain=frozenset()).split(word) is None


def test_a_doubled_last_letter_is_fixed() -> None:
    assert correct_spelling("the infant's dailyy routines", lexicon=LEX) == "the infant's daily routines"
    # Two words one edit away (behavior, behaviors): the layout debris stays for the lead.
    assert suggest("Behaviorr", LEX) is None



def test_a_reading_memoised_by_one_cell_is_the_one_worked_out_for_the_next() -> None:
    # The same damaged words in two cells: the second is repaired from the memo.
    lexicon = LEX.with_document(["racism and families", "families"])
    cells = ["systemic racisrn and fami1ies; Govemment", "racisrn, fami1ies; Govemment, adn"]
    memoised = [repair_scanner_confusions(cell, None, lexicon) for cell in cells]
    tokens = ["racisrn", "fami1ies", "Govemment", "adn", "systemic"]
    fresh = LEX.with_document(["racism and families", "families"])
    assert [read_through(t, fresh, known_typos()) for t in tokens] == [
        "racism", "families", "Government", None, None]
    assert memoised == ["systemic racism and families; Government",
                        "racism, families; Government, adn"]


def test_a_reading_memoised_for_one_document_is_not_used_for_another() -> None:
    # ``Dalclen``, a name no lexicon knows: its own vocabulary where the document repeats
    # it, ``Dalden`` where the document prints that twice.
    repeated = LEX.with_document(["Dalclen", "Dalclen and Dalclen", "Dalden"])
    assert repair_scanner_confusions("with Dalclen", None, repeated) == "with Dalclen"
    misread = LEX.with_document(["Dalclen", "Dalden and Dalden"])
    assert repair_scanner_confusions("with Dalclen", None, misread) == "with Dalden"
    assert repair_scanner_confusions("with Dalclen", None, repeated) == "with Dalclen"

# --- the measure: seeded damage over the real text cells ------------------------------

#: A code or a mark, not text: ``1A.``, ``*``, ``•••``, ``≠ Unique``, ``# Unique``.
_NOT_TEXT = re.compile(r"\s*(?:[1-8][A-H]\.?|[*•\s]*|[≠#≈=—]?\s*Unique(?: to Alliance)?)\s*")
_WORD = re.compile(r"(?<![\w'’-])[A-Za-z]{4,}(?![\w'’]|- )")
_PAIR = re.compile(r"(?<![\w'’-])([A-Za-z]+) ([A-Za-z]+)(?![\w'’-])")


@lru_cache(maxsize=1)
def text_cells() -> tuple[str, ...]:
    """Every text cell of the table lines, as often as the export prints it."""
    cells = []
    for line in (RAW / "coe-alliance-crosswalk-2023.txt").read_text(encoding="utf-8").splitlines():
        if "\t" in line and not line.startswith("IECMH Consultation Category\t"):
            cells += [cell for cell in line.split("\t") if not _NOT_TEXT.fullmatch(cell)]
    return tuple(cells)


def _not_a_word(form: str) -> bool:
    return not form.isalpha() or (zipf(normalize(form)) < 2.5 and not LEX.is_word(form))


def _substitute(seen: str, printed: str) -> Callable[[str, random.Random], str | None]:
    def damage(word: str, rng: random.Random) -> str | None:
        sites = [m.start() for m in re.finditer(f"(?={seen})", word)]
        if not sites:
            return None
        at = rng.choice(sites)
        return word[:at] + printed + word[at + len(seen):]

    return damage


def _double_last(word: str, rng: random.Random) -> str | None:
    return word + word[-1]


def _split(word: str, rng: random.Random) -> str | None:
    at = rng.randrange(2, len(word) - 1)
    left, right = word[:at], word[at:]
    return None if LEX.is_word(left) and LEX.is_word(right) else f"{left} {right}"


WORD_DAMAGE: dict[str, Callable[[str, random.Random], str | None]] = {
    "rn_for_m": _substitute("m", "rn"),
    "m_for_rn": _substitute("rn", "m"),
    "1_for_l": _substitute("l", "1"),
    "cl_for_d": _substitute("d", "cl"),
    "c_for_e": _substitute("e", "c"),
    "doubled_last_letter": _double_last,
    "split": _split,
}
KINDS = (*WORD_DAMAGE, "run_together", "paren_l")


Damage = tuple[str, str, str]  # the damaged cell, the word, its damaged form


def damage_cell(cell: str, kind: str, rng: random.Random) -> Damage | None:
    """``cell`` with one word damaged by ``kind`` (its damaged form no word), or None."""
    if kind == "paren_l":
        sites = list(re.finditer(r"(?<![\w(])\(?1\)", cell))
        if not sites:
            return None
        m = rng.choice(sites)
        damaged = m.group().replace("1", "l")
        return cell[: m.start()] + damaged + cell[m.end():], m.group(), damaged
    if kind == "run_together":
        pairs = [m for m in _PAIR.finditer(cell)
                 if max(len(m.group(1)), len(m.group(2))) >= 4
                 and LEX.is_word(m.group(1)) and LEX.is_word(m.group(2))
                 and not (m.group(1).isupper() or m.group(2).isupper())
                 and _not_a_word(m.group(1) + m.group(2))]
        if not pairs:
            return None
        m = rng.choice(pairs)
        damaged = m.group(1) + m.group(2)
        return cell[: m.start()] + damaged + cell[m.end():], m.group(), damaged
    words = [m for m in _WORD.finditer(cell) if not m.group().isupper() and LEX.is_word(m.group())]
    rng.shuffle(words)
    for m in words:
        damaged = WORD_DAMAGE[kind](m.group(), rng)
        if damaged is not None and (kind == "split" or _not_a_word(damaged)):
            return cell[: m.start()] + damaged + cell[m.end():], m.group(), damaged
    return None


def clean_without_scanner(text: str, lexicon: Lexicon) -> str:
    for step in STEPS:
        if step not in SCANNER_STEPS:
            text = step(text, None, lexicon)
    return text


def measure(seeds: range, rate: float = 0.1) -> dict[str, Counter[str]]:
    """Per kind: how many damaged words came back exactly (``repaired``) and how many not.

    One damaged document per kind and seed: each printed cell is damaged, with
    probability ``rate``, in one word (so cells printed twice differ, as two scans do);
    at 0.1 a document holds ~130 damaged words, as the re-export of the issue did. The
    few numbered lists are damaged in every print.
    """
    cells = text_cells()
    clean_lexicon = LEX.with_document(cells)
    reference = {cell: clean_text(cell, lexicon=clean_lexicon) for cell in set(cells)}
    results: dict[str, Counter[str]] = {kind: Counter() for kind in KINDS}
    for kind in KINDS:
        for seed in seeds:
            rng = random.Random(f"{kind}-{seed}")
            document = [
                (cell, damage_cell(cell, kind, rng) if rng.random() < rate or kind == "paren_l" else None)
                for cell in cells
            ]
            lexicon = LEX.with_document(damage[0] if damage else cell for cell, damage in document)
            cleaned: dict[str, str] = {}
            for cell, damage in document:
                if damage is None:
                    continue
                damaged, word, damaged_word = damage
                if damaged not in cleaned:
                    cleaned[damaged] = clean_text(damaged, lexicon=lexicon)
                if cleaned[damaged] == reference[cell]:
                    results[kind]["repaired"] += 1
                else:
                    results[kind]["survived"] += 1
                    results[kind][f"{word} → {damaged_word}"] += 1
    return results


def report(results: dict[str, Counter[str]]) -> str:
    lines = []
    for kind, counts in results.items():
        lines.append(f"{kind:15} repaired {counts['repaired']:5}  survived {counts['survived']:4}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def measured() -> dict[str, Counter[str]]:
    return measure(range(3))


#: Measured, damaged words that came back exactly / damaged words (3 seeds, as the test
#: runs), before and after this module, the unseen-token split, the pair counts and
#: the doubled-letter rule:
#:
#: ===================  =========  =========
#: kind                 before     after
#: ===================  =========  =========
#: rn_for_m               0 / 143  143 / 143
#: m_for_rn               0 / 8      8 / 8
#: 1_for_l                0 / 212  212 / 212
#: cl_for_d               0 / 129  129 / 129
#: c_for_e              180 / 262  262 / 262
#: split                249 / 249  249 / 249
#: run_together          93 / 214  207 / 214
#: paren_l                0 / 6      6 / 6
#: (held: all above)    522 / 1223 1216 / 1223 (99.4 %)
#: doubled_last_letter    1 / 274  149 / 274
#: ===================  =========  =========
#:
#: With 10 seeds: 3,976 / 4,036 (98.5 %). What survives: glued words whose split is
#: close to another (``infantsand``: ``infants and`` or ``infant sand``; ``andother``:
#: ``and other`` or ``another``), readings that are two words (``casc``: case, ease),
#: and damage inside a wrap (``De- 1ivery``).
HELD = tuple(kind for kind in KINDS if kind != "doubled_last_letter")


def test_scanner_damage_comes_back_exactly(measured: dict[str, Counter[str]]) -> None:
    print("\n" + report(measured))
    repaired = sum(measured[kind]["repaired"] for kind in HELD)
    total = repaired + sum(measured[kind]["survived"] for kind in HELD)
    assert repaired >= 0.95 * total


def test_a_doubled_last_letter_comes_back_when_it_has_one_reading(
    measured: dict[str, Counter[str]]
) -> None:
    # ``dailyy`` has one word one edit away; ``Otherr`` has two (``other``, and
    # ``others`` with an ``r`` typed for an ``s``) and stays, by the one-reading rule,
    # as the layout debris ``Behaviorr`` must. About half come back.
    counts = measured["doubled_last_letter"]
    assert counts["repaired"] >= 0.45 * (counts["repaired"] + counts["survived"])


def test_undamaged_text_is_not_changed_by_the_scanner_repairs() -> None:
    cells = text_cells()
    lexicon = LEX.with_document(cells)
    changed = {
        cell: after
        for cell in set(cells)
        if (after := clean_text(cell, lexicon=lexicon)) != clean_without_scanner(cell, lexicon)
    }
    assert changed == {}


@settings(derandomize=True, deadline=None, max_examples=150)
@given(st.sampled_from(sorted(set(text_cells()))), st.sampled_from(KINDS), st.randoms(use_true_random=False))
def test_cleaning_scanner_damage_twice_is_cleaning_it_once(cell: str, kind: str, rng: random.Random) -> None:
    damage = damage_cell(cell, kind, rng)
    text = damage[0] if damage else cell
    once = clean_text(text, lexicon=LEX)
    assert clean_text(once, lexicon=LEX) == once
