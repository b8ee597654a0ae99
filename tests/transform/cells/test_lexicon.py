"""The lexicon's look-ups, cached and shared with its document copies, answer as a
lexicon looking them up afresh."""

from __future__ import annotations

from pipeline.transform.cells.lexicon import Lexicon, load_domain_words

#: Words of the crosswalk export, fragments of its wraps and typos of its cells.
WORDS = ["Relationship", "IECMHC", "supervisees", "cused", "adn", "toother", "Hawai’i",
         "policyfunding", "the", "Psychothera"]


def _fresh() -> Lexicon:
    return Lexicon(domain=load_domain_words())


def test_a_document_copy_answers_from_the_shared_cache_as_afresh() -> None:
    parent = _fresh()
    asked_first = [parent.is_word(word) for word in WORDS]  # fills the shared cache
    copy = parent.with_document(["policyfunding and policyfunding", "Relation- ship"])
    assert [copy.is_word(word) for word in WORDS] == asked_first
    assert [copy.frequency(word) for word in WORDS] == [_fresh().frequency(w) for w in WORDS]
    assert asked_first == [_fresh().is_word(word) for word in WORDS]


def test_a_document_makes_no_word_known_through_the_shared_cache() -> None:
    parent = _fresh()
    copy = parent.with_document(["policyfunding and policyfunding"] * 3)
    assert copy.seen("policyfunding") == 6 and parent.seen("policyfunding") == 0
    assert not copy.is_word("policyfunding") and not parent.is_word("policyfunding")


def test_the_repairs_memos_are_not_shared_with_a_document_copy() -> None:
    # A memo holds decisions that read the document (``seen``): each lexicon its own.
    parent = _fresh()
    parent.memo("decision")["policyfunding"] = ("policy", "funding")
    assert parent.with_document([]).memo("decision") == {}
