"""Cell tidying: whitespace and quotes, on real fragments."""

from __future__ import annotations

import pytest

from pipeline.transform.cells.audit import Edit
from pipeline.transform.cells.tidy import straighten_quotes, tidy_whitespace


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
