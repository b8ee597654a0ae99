"""The header words of a scanned page read back (pipeline/extract/ocr_header.py): the
distance it ranks words by stops counting once a word is out of reach, and the word it
picks is the one a full Levenshtein distance picks."""

from unittest.mock import patch

from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract import ocr_header
from pipeline.extract.ocr_header import _distance, header_words, nearest_header_word


def _levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


_LETTERS = st.text("IECMHKnowledgeCategoryorsil!/’.-", max_size=14)


@given(_LETTERS, _LETTERS, st.integers(0, 3))
def test_the_distance_is_levenshtein_up_to_its_cap(a, b, cap):
    assert _distance(a, b, cap) == min(_levenshtein(a, b), cap + 1)


@given(st.sampled_from(sorted(header_words())), st.lists(
    st.tuples(st.sampled_from("sid"), st.integers(0, 20), st.sampled_from("aeilo!/’I1l")),
    max_size=3))
def test_a_misread_header_word_is_read_back_as_a_full_distance_reads_it(word, edits):
    # A header word as OCR might misread it: letters swapped, added or dropped.
    letters = list(word)
    for kind, at, letter in edits:
        at = min(at, len(letters))
        if kind == "s" and letters:
            letters[min(at, len(letters) - 1)] = letter
        elif kind == "i":
            letters.insert(at, letter)
        elif letters:
            del letters[min(at, len(letters) - 1)]
    misread = "".join(letters)
    ocr_header.nearest_header_word.cache_clear()
    read_back = nearest_header_word(misread)
    ocr_header.nearest_header_word.cache_clear()
    with patch.object(ocr_header, "_distance", lambda a, b, cap: _levenshtein(a, b)):
        assert nearest_header_word(misread) == read_back  # as the full distance reads it
    ocr_header.nearest_header_word.cache_clear()


def test_a_misread_word_is_read_back_to_the_nearest_header_word():
    assert nearest_header_word("Categorv") == "Category"
    assert nearest_header_word("Consultaton") == "Consultation"
    assert nearest_header_word("the") is None
