"""pair_by_content: rows the key does not match, paired by what they say."""

from __future__ import annotations

from pipeline.versions.pairing import (
    KEY_BONUS,
    RENUMBERED_MIN,
    SAME_KEY_MIN,
    Rows,
    pair_by_content,
    row_similarity,
)

# Real competency texts of category 3B of the 2023 crosswalk (shortened to their first
# sentence) and one of 3A, to show how alike different competencies of one domain are.
T_3B1 = ("Supports staff in understanding the importance of relationship-based practices "
         "in programs serving infants, young children, and families.")
T_3B2 = ("Models reflective practice with staff, using this experience-based learning to "
         "support staff in becoming more self-aware.")
T_3B3 = ("Helps staff consider the perspectives of the infant or young child and the "
         "family, including how cultural background shapes caregiving.")
T_3A1 = ("Builds trusting, collaborative relationships with program leaders, staff, and "
         "families, grounded in respect for their culture, language, and ability.")
NEW = ("Uses data on equity of access to guide program-wide decisions with leaders and "
       "families.")
COLUMNS = ["category_code", "competency_text", "priority"]
PROSE = {"competency_text"}


def competency(text: str, category: str = "3B", priority: str = "Essential") -> dict:
    return {"category_code": category, "competency_text": text, "priority": priority}


def pairs(old: Rows, new: Rows, columns=COLUMNS, prose=PROSE) -> list[tuple[str, str]]:
    result = pair_by_content(old, new, columns, prose)
    return sorted((old.keys[i], new.keys[j]) for i, j, _ in result.pairs)


def test_an_inserted_competency_shifts_the_codes_after_it():
    old = Rows([competency(T_3B1), competency(T_3B2), competency(T_3B3)],
               ["3B.1", "3B.2", "3B.3"])
    new = Rows([competency(T_3B1), competency(NEW), competency(T_3B2), competency(T_3B3)],
               ["3B.1", "3B.2", "3B.3", "3B.4"])
    assert pairs(old, new) == [("3B.1", "3B.1"), ("3B.2", "3B.3"), ("3B.3", "3B.4")]


def test_a_removed_competency_leaves_its_row_unpaired():
    old = Rows([competency(T_3B1), competency(T_3B2), competency(T_3B3)],
               ["3B.1", "3B.2", "3B.3"])
    new = Rows([competency(T_3B1), competency(T_3B3)], ["3B.1", "3B.2"])
    assert pairs(old, new) == [("3B.1", "3B.1"), ("3B.3", "3B.2")]


def test_a_competency_moved_to_another_category_and_reworded_is_still_paired():
    moved = T_3B2.replace("more self-aware", "more self-aware and reflective")
    old = Rows([competency(T_3B2)], ["3B.2"])
    new = Rows([competency(moved, category="3A")], ["3A.4"])
    result = pair_by_content(old, new, COLUMNS, PROSE)
    [(_, _, similarity)] = result.pairs
    assert RENUMBERED_MIN < similarity < 1


def test_a_competency_replaced_under_its_code_is_not_a_rewording():
    """The old 3B.2 removed and an unrelated one added as 3B.2: removed and added, not a
    changed row whose every word differs."""
    assert row_similarity(competency(T_3B2), competency(NEW), COLUMNS, PROSE) < SAME_KEY_MIN
    assert pairs(Rows([competency(T_3B2)], ["3B.2"]), Rows([competency(NEW)], ["3B.2"])) == []


def test_a_reworded_competency_keeps_its_code():
    reworded = T_3B2.replace("Models", "Demonstrates").replace("becoming", "growing")
    old = Rows([competency(T_3B2), competency(T_3B3)], ["3B.2", "3B.3"])
    new = Rows([competency(reworded), competency(T_3B3)], ["3B.2", "3B.3"])
    assert pairs(old, new) == [("3B.2", "3B.2"), ("3B.3", "3B.3")]


def test_different_competencies_of_one_domain_are_not_alike():
    texts = [T_3B1, T_3B2, T_3B3, T_3A1]
    for a in texts:
        for b in texts:
            if a != b:
                score = row_similarity(competency(a), competency(b), COLUMNS, PROSE)
                assert score < RENUMBERED_MIN, (a, b, score)


def test_equally_good_partners_are_listed_not_guessed():
    """Two old rows with the same text, two new ones under other codes: no pairing of
    them is better than another."""
    old = Rows([competency(T_3B2), competency(T_3B2)], ["3B.2", "3B.3"])
    new = Rows([competency(T_3B2), competency(T_3B2)], ["3B.4", "3B.5"])
    result = pair_by_content(old, new, COLUMNS, PROSE)
    assert result.pairs == []
    [clash] = result.ambiguous
    assert clash.old == (0, 1) and clash.new == (0, 1) and clash.similarity == 1.0


def test_of_two_equal_partners_the_one_keeping_the_key_wins():
    old = Rows([competency(T_3B2)], ["3B.2"])
    new = Rows([competency(T_3B2), competency(T_3B2)], ["3B.2", "3B.3"])
    assert pairs(old, new) == [("3B.2", "3B.2")]
    assert KEY_BONUS > 0


def mapping(area: str, alignment: str = "same", text: str = T_3B2) -> dict:
    return {"coe_competency": text, "alignment": alignment, "endorsement_area": area}


MAPPING_COLUMNS = ["coe_competency", "alignment", "endorsement_area"]
MAPPING_PROSE = {"coe_competency", "endorsement_area"}


def test_mapping_rows_pair_only_within_their_competency():
    """The mapping rows of 3B.2 (now 3B.3) pair with the new 3B.3's, never with another
    competency's rows that map to the same area."""
    old = Rows([mapping("Reflection"), mapping("Reflection", text=T_3B3)],
               [("3B.3", 1), ("3B.4", 1)], groups=[("3B.3",), ("removed",)])
    new = Rows([mapping("Reflection"), mapping("Reflection", text=T_3B3)],
               [("3B.3", 1), ("3B.4", 1)], groups=[("3B.3",), ("3B.4",)])
    result = pair_by_content(old, new, MAPPING_COLUMNS, MAPPING_PROSE)
    assert [(i, j) for i, j, _ in result.pairs] == [(0, 0)]


def test_an_inserted_mapping_row_shifts_the_rows_after_it():
    """Within a competency the repeated competency text says nothing: the mapping does."""
    old = Rows([mapping("Reflection/Contemplation"), mapping("Cultural Humility")],
               [("3B.2", 1), ("3B.2", 2)], groups=[("3B.2",)] * 2)
    new = Rows([mapping("Observation & Listening", "partial"),
                mapping("Reflection/Contemplation"), mapping("Cultural Humility")],
               [("3B.2", 1), ("3B.2", 2), ("3B.2", 3)], groups=[("3B.2",)] * 3)
    assert pairs(old, new, MAPPING_COLUMNS, MAPPING_PROSE) == [
        (("3B.2", 1), ("3B.2", 2)), (("3B.2", 2), ("3B.2", 3))]


def test_a_remapped_row_keeps_its_place():
    """Its area changed, nothing else: a changed row, not a shift."""
    old = Rows([mapping("Reflection/Contemplation"), mapping("Cultural Humility")],
               [("3B.2", 1), ("3B.2", 2)], groups=[("3B.2",)] * 2)
    new = Rows([mapping("Reflection/Contemplation"), mapping("Building & Maintaining Relationships")],
               [("3B.2", 1), ("3B.2", 2)], groups=[("3B.2",)] * 2)
    assert pairs(old, new, MAPPING_COLUMNS, MAPPING_PROSE) == [
        (("3B.2", 1), ("3B.2", 1)), (("3B.2", 2), ("3B.2", 2))]


def test_a_row_whose_text_was_withheld_keeps_its_key():
    """A profile that withholds a statement empties the cell: the row is changed, not
    removed and added (only what both rows say is weighed for a row keeping its key)."""
    statement = {"statement": T_3B2, "designations": "A"}
    withheld = {"statement": None, "designations": "A"}
    old = Rows([statement], [("Administration", 1)])
    new = Rows([withheld], [("Administration", 1)])
    assert pairs(old, new, ["statement", "designations"], {"statement"}) == [
        (("Administration", 1), ("Administration", 1))]
