"""The CSV convention against spreadsheet formulas: defused on publishing, undone on reading."""

from hypothesis import given
from hypothesis import strategies as st

from pipeline.metadata.files import defuse_csv_cell, undefuse_csv_cell


def test_defuse_csv_cell_leaves_text_alone():
    assert defuse_csv_cell("Law, Regulation & Agency Policy") == "Law, Regulation & Agency Policy"
    assert defuse_csv_cell("'quoted'") == "'quoted'"


@given(st.text())
def test_defuse_is_idempotent_and_keeps_the_text(text):
    defused = defuse_csv_cell(text)
    assert defuse_csv_cell(defused) == defused
    assert defused.endswith(text)
    assert not defused.startswith(("=", "+", "-", "@", "\t", "\r"))


@given(st.text().filter(lambda text: not text.startswith("'")))
def test_undefuse_gives_back_what_was_defused(text):
    assert undefuse_csv_cell(defuse_csv_cell(text)) == text
