"""The glance that rules lines out of the header search must never rule out a header."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pdfplumber
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipeline.extract import part_headers, pdf_layout
from pipeline.extract.crosswalk_header import (
    FORWARD,
    LOOKALIKE,
    MERGED_LETTERS,
    REVERSE,
    _stands_for,
    label_words,
)
from pipeline.extract.crosswalk_pdf import extract_crosswalk_pdf
from pipeline.extract.header_pieces import _may_be_label_piece, may_be_header_line
from pipeline.extract.pdf_layout import Line, find_header, text_lines
from pipeline.extract.pdf_settings import PdfSettings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
UNRULED = sorted(p for p in [*FIXTURES.glob("*unruled*.pdf"),
                             *(FIXTURES / "variants").glob("*.pdf")]
                 if "damaged" not in p.name and "scanned" not in p.name)
WORDS = sorted({w for column in (*FORWARD, *REVERSE) for w in label_words(column)})
ALIKE = {letter: sorted(pair - {letter})[0] for pair in LOOKALIKE for letter in pair}
LETTERS = "abcdefghijklmnopqrstuvwxyz015"


@st.composite
def printed_label_words(draw) -> tuple[str, str]:
    """A label word and the word as a document may print it: abbreviated or whole, one
    letter added, dropped or changed, look-alike letters swapped, a letter written as
    the pair a scanner reads as it (``rn`` for ``m``) — kept when the matcher reads it
    as the label word."""
    word = draw(st.sampled_from(WORDS))
    printed = word[:draw(st.integers(1, len(word)))]  # an abbreviation, or the word
    at = draw(st.integers(0, len(printed)))
    edit = draw(st.sampled_from(["none", "add", "drop", "change"]))
    letter = draw(st.sampled_from(LETTERS))
    if edit == "add":
        printed = printed[:at] + letter + printed[at:]
    elif edit == "drop" and len(printed) > 1:
        printed = printed[:at] + printed[at + 1:]
    elif edit == "change" and at < len(printed):
        printed = printed[:at] + letter + printed[at + 1:]
    swaps = draw(st.lists(st.booleans(), min_size=len(printed), max_size=len(printed)))
    printed = "".join(ALIKE.get(c, c) if swap else c for c, swap in zip(printed, swaps))
    pair, one = draw(st.sampled_from([("", ""), *MERGED_LETTERS]))
    if one:
        printed = printed.replace(one, pair)
    assume(_stands_for(printed, word))
    return word, printed


def label_pieces() -> st.SearchStrategy[str]:
    """Any run of letters of a printed label word: the piece of it a PDF put in one cell
    or on one line (``Endorse`` + ``ment``, ``Consul-`` + ``tation``)."""
    return printed_label_words().flatmap(lambda pair: st.tuples(
        st.just(pair[1]), st.integers(0, len(pair[1]) - 1)).flatmap(
        lambda printed: st.integers(printed[1] + 1, len(printed[0])).map(
            lambda end: printed[0][printed[1]:end])))


@given(label_pieces())
def test_a_piece_of_a_label_word_as_printed_is_never_ruled_out(piece):
    assert may_be_header_line(piece) and may_be_header_line(piece.upper())


@given(st.text(alphabet=LETTERS, min_size=1, max_size=14), st.sampled_from(WORDS))
def test_whatever_the_matcher_reads_as_a_label_word_passes(written, word):
    if _stands_for(written, word):
        assert _may_be_label_piece(written)


def test_prose_and_table_rows_are_ruled_out_headers_are_not():
    assert not may_be_header_line("1A.1 Understands the theoretical foundations of pregnancy")
    for prose in ("The IECMH consultant understands infant development",
                  "Theoretical Foundations", "Pregnancy and early parenthood"):
        assert not may_be_header_line(prose), prose
    # Short words pass (they may be abbreviations): a line of them is searched as before.
    assert may_be_header_line("Role of the IECMH Consultant")
    for header in ("IECMH Consult. Category (cont.)", "1ECMH Consu1tation Core Skil1s",
                   "IECMH Endorse- ment Competency", "Competencies for IMH-E® and ECMH-E®",
                   "Knowledge/ Skill Area", "As Demonstrated By/ Other Work Experience",
                   "Ess./ Imp.", "E / I", "Continued"):
        assert may_be_header_line(header), header


def _without_the_glance(monkeypatch) -> None:
    monkeypatch.setattr(pdf_layout, "may_be_header_line", lambda text: True)
    monkeypatch.setattr(part_headers, "may_be_header_line", lambda text: True)


@pytest.mark.parametrize("pdf", UNRULED, ids=lambda p: p.stem)
def test_the_header_search_finds_the_same_headers_with_the_glance_as_without(pdf, monkeypatch):
    """On every page of every unruled rendering (reworded, abbreviated, scanned-looking
    headers), from every line on: the same header, or none, either way."""
    with pdfplumber.open(pdf) as document:
        pages = [page.extract_words() for page in document.pages]

    def headers() -> list:
        found = []
        for words in pages:
            lines = text_lines(words)
            found += [find_header(lines[start:]) for start in range(len(lines))]
        return found

    with_glance = headers()
    _without_the_glance(monkeypatch)
    assert headers() == with_glance
    assert any(with_glance)


@pytest.mark.parametrize("pdf", [p for p in UNRULED if "chromium" in p.name
                                 or "reworded" in p.name or "abbreviated" in p.name][:3],
                         ids=lambda p: p.stem)
def test_the_frames_are_the_same_with_the_glance_as_without(pdf, monkeypatch):
    settings = PdfSettings(engine="pdfium")
    with_glance = extract_crosswalk_pdf(pdf, "fixture", settings)
    _without_the_glance(monkeypatch)
    without = extract_crosswalk_pdf(pdf, "fixture", settings)
    for name in ("domains", "forward", "reverse"):
        pd.testing.assert_frame_equal(getattr(with_glance, name), getattr(without, name))


@st.composite
def header_like_lines(draw) -> list[Line]:
    """Lines of words from the labels (pieces, confusions) and of prose, laid out left
    to right with gaps that part cells or not."""
    lines = []
    for row in range(draw(st.integers(1, 6))):
        texts = draw(st.lists(st.one_of(label_pieces(), st.sampled_from(WORDS), st.sampled_from(
            ["1A.", "Understands", "pregnancy", "•", "(cont.)", "and", "Role"])),
            min_size=1, max_size=7))
        words, x = [], 10.0
        for text in texts:
            words.append({"text": text, "x0": x, "x1": x + 5 * len(text),
                          "top": 20.0 * row, "bottom": 20.0 * row + 8})
            x += 5 * len(text) + draw(st.sampled_from([2.0, 30.0]))
        lines.append(Line(tuple(words)))
    return lines


@settings(max_examples=300, deadline=None)
@given(header_like_lines())
def test_on_any_lines_the_glance_changes_no_header_found(lines):
    with_glance = find_header(lines)
    unchecked = [Line(line.words) for line in lines]
    for line in unchecked:
        line.__dict__["may_be_header"] = True  # the cached answer, as if every line passed
    assert find_header(unchecked) == with_glance
