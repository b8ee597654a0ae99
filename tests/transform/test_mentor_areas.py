"""Areas printed run together are split only where both halves are known areas."""

import pandas as pd

from pipeline.transform.cells.audit import AuditLog
from pipeline.transform.mentor_areas import split_run_together_areas

KNOWN = ["pregnancy and early parenthood", "infant/young child development and behavior",
         "cultural competence", "family relationships & dynamics"]


def _areas(*names: str) -> pd.DataFrame:
    return pd.DataFrame({"area_of_expertise": "Theoretical Foundations",
                         "area_kind": "Knowledge Areas", "area": list(names),
                         "source_id": "ct-aimh-mentor-guidelines", "source_line": 29,
                         "source_page": None})


def test_two_known_areas_in_one_cell_become_two_rows_with_a_correction():
    audit = AuditLog()
    result = split_run_together_areas(
        _areas("pregnancy & early parenthood infant/very young child development & behavior",
               "cultural competence"), KNOWN, "mentor_areas", audit)
    assert list(result["area"]) == ["pregnancy & early parenthood",
                                    "infant/very young child development & behavior",
                                    "cultural competence"]
    assert list(result["source_line"]) == [29, 29, 29]
    [correction] = audit.corrections
    assert correction["rule"] == "split_cell" and correction["field"] == "area"


def test_an_area_unknown_to_the_reverse_table_is_kept_whole():
    audit = AuditLog()
    cells = ("mental & behavioral disorders in adults", "adult learning theory & practice")
    result = split_run_together_areas(_areas(*cells), KNOWN, "mentor_areas", audit)
    assert list(result["area"]) == list(cells)
    assert audit.corrections == []
