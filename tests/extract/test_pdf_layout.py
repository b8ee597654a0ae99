"""Page geometry: words from characters and cells from ruling lines (the pdfium engine's
table assembly, by pdfplumber's rules), and the header search every engine shares."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pdfplumber
import pytest

from pipeline.extract import pdf_layout
from pipeline.extract.crosswalk_header import FORWARD, REVERSE, cell_matches
from pipeline.extract.pdf_layout import (
    Chars,
    header_spans,
    ruled_tables,
    table_spans,
    text_lines,
    words_from_chars,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAGE = (0.0, 0.0, 842.0, 595.0)


def _chars(*specs: tuple[str, float, float], upright: bool = True) -> Chars:
    """Characters 5 pt wide, 8 pt high: (text, x0, top); a space is text " "."""
    x0 = np.array([s[1] for s in specs], float)
    top = np.array([s[2] for s in specs], float)
    return Chars([s[0] for s in specs], x0, top, x0 + 5, top + 8,
                 np.full(len(specs), upright), np.array([s[0].isspace() for s in specs]))


def _texts(chars: Chars, groups=None) -> list[str]:
    return [w["text"] for w in words_from_chars(chars, groups)]


@pytest.mark.parametrize("specs, words", [
    pytest.param([("a", 0, 10), ("b", 5, 10), ("c", 13, 10)], ["abc"], id="gap-of-3-joins"),
    pytest.param([("a", 0, 10), ("b", 5, 10), ("c", 13.5, 10)], ["ab", "c"], id="gap-over-3-parts"),
    pytest.param([("a", 0, 10), (" ", 5, 10), ("b", 5.5, 10)], ["a", "b"], id="space-parts"),
    pytest.param([("b", 5, 12), ("a", 0, 10)], ["ab"], id="read-left-to-right-on-a-line"),
    pytest.param([("a", 0, 10), ("b", 5, 14)], ["a", "b"], id="tops-4-apart-are-two-lines"),
    pytest.param([("ﬂ", 0, 10), ("y", 5, 10)], ["fly"], id="ligature-spelled-out"),
    pytest.param([("(cid:1)", 0, 10), ("a", 5, 10)], ["(cid:1)a"], id="unmapped-glyph-kept"),
])
def test_words_from_characters_by_pdfplumbers_rules(specs, words):
    assert _texts(_chars(*specs)) == words


def test_text_standing_on_its_side_is_read_top_to_bottom():
    chars = _chars(("a", 0, 0), ("c", 0, 16), ("b", 0, 8), ("d", 20, 0), upright=False)
    assert _texts(chars) == ["abc", "d"]


def test_groups_keep_words_and_lines_apart():
    """Two cells side by side: their characters would make one word, read as one page."""
    chars = _chars(("a", 0, 10), ("b", 5, 10), ("c", 10, 11))
    assert _texts(chars) == ["abc"]
    assert _texts(chars, np.array([0, 0, 1])) == ["ab", "c"]


def test_a_grid_gives_rows_of_cells_with_none_under_a_spanning_cell():
    # Three columns; the first row's first cell spans two columns.
    horizontals = [(10, 0, 300), (30, 0, 300), (50, 0, 300)]
    verticals = [(0, 10, 50), (100, 30, 50), (200, 10, 50), (300, 10, 50)]
    (table,) = ruled_tables(horizontals, verticals, PAGE)
    assert table == [[(0, 10, 200, 30), None, (200, 10, 300, 30)],
                     [(0, 30, 100, 50), (100, 30, 200, 50), (200, 30, 300, 50)]]


def test_a_row_left_open_at_the_page_break_is_closed_at_the_end_of_the_verticals():
    (table,) = ruled_tables([(10, 0, 300)], [(0, 10, 40), (300, 10, 40), (150, 10, 40)], PAGE)
    assert [cell[3] for cell in table[-1]] == [40, 40]


def test_rules_a_hair_apart_are_one_and_pieces_of_a_rule_are_joined():
    """The top rule drawn in two pieces, the second 0.8 pt lower and 1 pt on: one rule."""
    horizontals = [(10, 0, 140), (10.8, 141, 300), (30, 0, 300)]
    verticals = [(0, 10, 30), (150, 10, 30), (300, 10, 30)]
    (table,) = ruled_tables(horizontals, verticals, PAGE)
    (row,) = table
    assert [(cell[0], cell[2]) for cell in row] == [(0, 150), (150, 300)]
    assert 10 < row[0][1] < 10.8 and row[0][3] == 30


def test_a_lone_cell_is_no_table():
    assert ruled_tables([(10, 0, 100), (30, 0, 100)], [(0, 10, 30), (100, 10, 30)], PAGE) == []


def _page_texts(pdf: Path) -> set[str]:
    """Texts the header search asks about: every line, phrase and tail of a line."""
    texts: set[str] = set()
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            for line in text_lines(page.extract_words()):
                words = [w["text"] for w in line.words]
                texts.update(" ".join(words[i:j]) for i in range(len(words))
                             for j in range(i + 1, min(len(words), i + 6) + 1))
                texts.update(text for _, _, text in line.phrases)
    return texts


@pytest.mark.parametrize("pdf", [FIXTURES / "crosswalk-domains-3-4-chromium-unruled.pdf",
                                 FIXTURES / "variants" / "reworded-headers-unruled.pdf"],
                         ids=lambda p: p.stem)
def test_the_first_word_shortcut_agrees_with_the_header_matcher(pdf):
    """may_begin_header answers from a text's first word when that word alone cannot
    begin a header; a change to how crosswalk_header reads words must not make it lie."""
    texts = _page_texts(pdf) | {"(cont.) IECMH Consultation Category", "Continued Category",
                                "® IECMH", "1EC- MH Consultation", "— IECMH Consultation"}
    for text in texts:
        names = any(cell_matches(text, table[0])[0] for table in (FORWARD, REVERSE))
        assert pdf_layout.may_begin_header(text) == (bool(text.strip()) and names), text


def test_lines_above_the_first_header_continue_the_table_of_the_page_before():
    with pdfplumber.open(FIXTURES / "crosswalk-domain-1-unruled.pdf") as document:
        lines = text_lines(document.pages[1].extract_words())
    headers = header_spans(lines)
    assert headers and table_spans(lines, None) == headers
    # Without its repeated header, the page's first lines continue the columns carried.
    tail = lines[headers[0].start + 4:]
    (continued, *_) = table_spans(tail, headers[0].columns)
    assert continued.start == 0 and continued.columns == headers[0].columns
    assert table_spans(tail, None) == []  # with no columns carried, no table
