"""Typos, the automatic spelling fix, the unknown-word report and the word lists."""

from __future__ import annotations

import csv
import re
from importlib import resources
from pathlib import Path

import pytest

from pipeline.transform.cells.audit import Edit
from pipeline.transform.cells.lexicon import Lexicon, load_domain_words, normalize
from pipeline.transform.cells.spelling import (
    correct_spelling,
    correct_typos,
    known_typos,
    load_typos,
    suggest,
    unknown_words,
)
from pipeline.transform.cells.text import clean_text

LEX = Lexicon.default()
RAW = Path(__file__).resolve().parents[3] / "raw"

#: Words of layout debris, not typos: the lead's later steps remove them by structure,
#: and they must stay non-words so that those steps can see the damage.
#: ``tion``: the 4B.8 domain cell ``Admin tion (M`` (vocabulary step maps it);
#: ``Systemstive``, ``Behaviorr``: tails of other titles printed over the 2E and 5C
#: category titles (``layout_debris.strip_title_debris`` cuts them).
LAYOUT_DEBRIS = {"tion", "Systemstive", "Behaviorr"}


def source_cells() -> list[tuple[str, str]]:
    """(file name, cell) for every text cell of the five sources.

    A stand-in for the extractors: tab-separated fields of the table export (its
    repeated header rows are left out), values of ``key: value`` web records, text
    between the HTML tags and bullets of the CT-AIMH page, lines of the flyer.
    """
    cells = []
    for path in sorted(RAW.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if path.name.startswith("ct-aimh"):
            text = re.sub(r"<[^>]+>|[•○]", "\t", text)
        for line in text.splitlines():
            if line.startswith(("IECMH Consultation Category\t", "Competencies for IMH-E")):
                continue
            if path.name.startswith("crosswalk-section"):
                line = re.sub(r"^[^:]{3,60}\?*: ", "", line)
            cells += [(path.name, cell) for cell in line.split("\t") if cell.strip()]
    return cells


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param("multiple factors adn perspectives", "multiple factors and perspectives", id="lower"),
        pytest.param("Adn then", "And then", id="capitalized"),
        pytest.param("Center of Excellence Competecies", "Center of Excellence Competencies", id="title"),
        pytest.param("SEE ABOVE: ASSIGNS PRIOITIES", "SEE ABOVE: ASSIGNS PRIORITIES", id="upper"),
        pytest.param("infant and yound child outcomes; primarly language", "infant and young child outcomes; primary language", id="ambiguous-curated"),
        pytest.param("Eaw, Regulation & Agency Policy", "Law, Regulation & Agency Policy", id="misread-letter"),
    ],
)
def test_correct_typos_is_whole_word_and_case_preserving(before: str, after: str) -> None:
    assert correct_typos(before) == after


def test_correct_typos_never_touches_part_of_a_word() -> None:
    assert correct_typos("adnexa theology path") == "adnexa theology path"


def test_correct_typos_logs_each_fix() -> None:
    edits: list[Edit] = []
    correct_typos("Assigns prioities to needs adn goals", edits)
    assert edits == [Edit("typo", "prioities", "priorities"), Edit("typo", "adn", "and")]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        pytest.param("servcies", "services", id="transposition"),
        pytest.param("Develoment", "Development", id="deletion-case-kept"),
        pytest.param("assitance", "assistance", id="missing-letter"),
        pytest.param("yound", None, id="ambiguous-young-found-round"),
        pytest.param("adn", None, id="ambiguous-and-add"),
        pytest.param("consults", None, id="rare-inflection-not-guessed"),
        pytest.param("AIMHs", None, id="acronym-plural"),
        pytest.param("tion", None, id="fragment"),
    ],
)
def test_suggest_only_when_one_known_word_is_one_edit_away(word: str, expected: str | None) -> None:
    assert suggest(word, Lexicon(frozenset())) == expected


def test_correct_spelling_logs_its_rule() -> None:
    edits: list[Edit] = []
    assert correct_spelling("expanded servcies", edits) == "expanded services"
    assert edits == [Edit("spelling", "servcies", "services")]


def test_unknown_words_ignores_codes_acronyms_numerals_and_addresses() -> None:
    text = (
        "1C1, 2A.5, 3R, DC: 0-3R, DSM-IV, MHM/ECMHM, I/ECMHC, (IFS/ECFS), IMH-E® Level IV, "
        "a e.g. GOV.OECD@illinois.gov bit.ly/IL-IECMHC https://example.org/xyzzy"
    )
    assert unknown_words(text) == []


def test_unknown_words_reports_each_non_word_once_in_order() -> None:
    assert unknown_words("Demonstrates theh demenor; theh skills; IECMHC supervisees") == ["theh", "demenor"]


def test_typos_csv_is_well_formed() -> None:
    path = resources.files("pipeline").joinpath("data/typos.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    wrongs = [normalize(r["wrong"]) for r in rows]
    assert len(wrongs) == len(set(wrongs)), "duplicate entry"
    assert all(r["reason"].strip() for r in rows)
    for row in rows:
        assert row["wrong"] == row["wrong"].lower(), "write the wrong form in lower case"
        assert all(LEX.is_word(w) for w in row["right"].split()), row
        assert normalize(row["wrong"]) not in load_domain_words(), row


def test_typos_are_non_words() -> None:
    # Known to wordfreq only as noise: 'th' (ordinal suffix) and 'workin' (dialect).
    tolerated = {"th", "workin"}
    assert {w for w in known_typos() if LEX.is_word(w)} == tolerated


def test_known_typos_is_the_csv() -> None:
    assert known_typos() == frozenset(load_typos()) and "adn" in known_typos()


def test_no_unknown_words_in_any_source_cell_after_cleaning() -> None:
    cells = source_cells()
    lexicon = LEX.with_document(cell for _, cell in cells)
    unknown: dict[str, list[str]] = {}
    for name, cell in cells:
        for word in unknown_words(clean_text(cell, lexicon=lexicon), lexicon):
            unknown.setdefault(word, []).append(f"{name}: {cell[:60]}")
    assert {w: where for w, where in unknown.items() if w not in LAYOUT_DEBRIS} == {}
    assert set(unknown) == LAYOUT_DEBRIS  # the debris is there, once each, for the lead
    assert all(len(where) == 1 for where in unknown.values())


def test_no_known_typo_survives_cleaning() -> None:
    typos = known_typos()
    cells = source_cells()
    lexicon = LEX.with_document(cell for _, cell in cells)
    left = {
        word
        for _, cell in cells
        for word in re.findall(r"[^\W\d_]+", clean_text(cell, lexicon=lexicon))
        if word.lower() in typos
    }
    assert left == set()
