"""Three questions an analyst asked of the published data (issue 16), answered from a real
build as an analyst reads it: the CSV files, loaded into SQLite.

Each once had two answers depending on how it was asked: "essential" meant the mark of a
mapping row or of the competency; designation ``A`` hid the statements that apply to all
three designations; and an Endorsement area spelled three ways joined nothing. The
columns now say which is which, and the answers are one.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from pipeline import stages
from pipeline.metadata import TABLES

RAW = Path(__file__).resolve().parents[1] / "raw"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> sqlite3.Connection:
    """Every published CSV of a fresh build of raw/ (the default profile), one table each."""
    out = tmp_path_factory.mktemp("analyst") / "build"
    stages.run_build(stages.Paths(RAW, out), log=lambda message: None)
    connection = sqlite3.connect(":memory:")
    for name in TABLES:
        path = out / f"{name}.csv"
        if path.exists():
            frame = pd.read_csv(path, dtype=str, keep_default_na=False).replace("", None)
            frame = frame.replace({"true": 1, "false": 0})
            frame.to_sql(name, connection, index=False)
    return connection


def one(db: sqlite3.Connection, query: str):
    [(value,)] = db.execute(query).fetchall()
    return value


def test_essential_competencies_that_map_to_reflection(db):
    """"Essential" is the competency's own priority: `competency_priority`, the same as
    `coe_competencies.priority`. The mark of a mapping row is another question, named
    `mapping_priority`; the rows where the two differ are all in quality_issues."""
    essential = one(db, """
        SELECT COUNT(DISTINCT coe_code) FROM crosswalk
        WHERE competency_priority = 'Essential' AND endorsement_domain = 'Reflection'""")
    through_competencies = one(db, """
        SELECT COUNT(DISTINCT c.coe_code) FROM crosswalk AS c
        JOIN coe_competencies AS k ON k.coe_code = c.coe_code
        WHERE k.priority = 'Essential' AND c.endorsement_domain = 'Reflection'""")
    assert essential == through_competencies == 10
    marked_rows = one(db, """
        SELECT COUNT(DISTINCT coe_code) FROM crosswalk
        WHERE mapping_priority = 'Essential' AND endorsement_domain = 'Reflection'""")
    assert marked_rows == 8
    # Between the answers: the Reflection rows marked ••• ('See above.')
    # under an Essential competency, each a priority_disagreement issue.
    differing = db.execute("""
        SELECT coe_code || '/' || mapping_seq FROM crosswalk
        WHERE endorsement_domain = 'Reflection' AND mapping_priority <> competency_priority
        ORDER BY 1""").fetchall()
    reported = db.execute("""
        SELECT row_key FROM quality_issues WHERE kind = 'priority_disagreement'
        AND row_key IN (SELECT coe_code || '/' || mapping_seq FROM crosswalk
                        WHERE endorsement_domain = 'Reflection') ORDER BY 1""").fetchall()
    assert differing == reported and len(differing) == 4
    assert one(db, "SELECT COUNT(*) FROM quality_issues WHERE kind = 'priority_disagreement'") \
        == one(db, "SELECT COUNT(*) FROM crosswalk WHERE mapping_priority <> competency_priority") \
        == 25


def test_statements_for_the_research_faculty_designation(db):
    """`A` means all three designations: the boolean counts them, a LIKE on the code
    string does not."""
    flagged = one(db, "SELECT COUNT(*) FROM mentor_competencies "
                      "WHERE designation_research_faculty")
    assert flagged == 101
    assert one(db, "SELECT COUNT(*) FROM mentor_competencies WHERE designations LIKE '%RF%'") \
        == 10
    assert flagged == one(db, """SELECT COUNT(*) FROM mentor_competencies
                                 WHERE designations LIKE '%RF%' OR designations LIKE '%A%'""")
    assert one(db, "SELECT COUNT(*) FROM mentor_competencies WHERE designation_clinical "
                   "AND designation_policy AND designation_research_faculty") == one(
        db, "SELECT COUNT(*) FROM mentor_competencies WHERE designations = 'A'") == 91


def test_every_area_joins_through_area_id(db):
    """Zero orphans: every mapping row with an Endorsement area, every reverse-table row
    and every CT-AIMH area that matches one joins endorsement_areas; the one CT-AIMH area
    that matches none, and every area the reverse table lacks, is a quality issue."""
    assert one(db, "SELECT COUNT(*) FROM endorsement_areas") == 72
    assert one(db, "SELECT COUNT(*) FROM endorsement_areas WHERE in_reverse_table") == 62
    assert one(db, """SELECT COUNT(*) FROM crosswalk
                      WHERE endorsement_area IS NOT NULL""") == 172
    orphans = {
        "crosswalk": """SELECT COUNT(*) FROM crosswalk AS c
            LEFT JOIN endorsement_areas AS a ON a.area_id = c.area_id
            WHERE c.endorsement_area IS NOT NULL AND a.area_id IS NULL""",
        "endorsement_index": """SELECT COUNT(*) FROM endorsement_index AS i
            LEFT JOIN endorsement_areas AS a ON a.area_id = i.area_id WHERE a.area_id IS NULL""",
        "mentor_areas": """SELECT COUNT(*) FROM mentor_areas AS m
            LEFT JOIN endorsement_areas AS a ON a.area_id = m.area_id
            WHERE m.area_id IS NOT NULL AND a.area_id IS NULL""",
    }
    assert {name: one(db, query) for name, query in orphans.items()} == dict.fromkeys(orphans, 0)
    # Unique rows, and only they, have no area.
    assert one(db, "SELECT COUNT(*) FROM crosswalk WHERE area_id IS NULL") == one(
        db, "SELECT COUNT(*) FROM crosswalk WHERE alignment = 'unique'")
    # The forward and the reverse table join: every mapping row of an area the reverse
    # table lists finds the area's reverse-table rows.
    joined = one(db, """SELECT COUNT(*) FROM crosswalk AS c
        JOIN endorsement_areas AS a ON a.area_id = c.area_id AND a.in_reverse_table
        WHERE EXISTS (SELECT 1 FROM endorsement_index AS i WHERE i.area_id = c.area_id)""")
    in_reverse = one(db, """SELECT COUNT(*) FROM crosswalk AS c
        JOIN endorsement_areas AS a ON a.area_id = c.area_id WHERE a.in_reverse_table""")
    assert joined == in_reverse == 139
    assert one(db, "SELECT COUNT(*) FROM mentor_areas WHERE area_id IS NOT NULL") == 60
    assert one(db, "SELECT COUNT(*) FROM quality_issues WHERE kind = 'unmatched_area'") == 1
    assert one(db, """SELECT COUNT(*) FROM quality_issues
                      WHERE kind = 'area_not_in_reverse_table'""") == one(
        db, "SELECT COUNT(*) FROM endorsement_areas WHERE NOT in_reverse_table") == 10


def test_an_area_is_found_by_any_of_its_spellings(db):
    """`Self Awareness`, `Self-Awareness`, `Self-awareness` (forward table) and `self
    awareness` (reverse table) are one area."""
    spellings = db.execute("""
        SELECT dataset, endorsement_area, rows FROM endorsement_area_spellings
        WHERE area_id = 'reflection--self-awareness' AND dataset <> 'mentor_areas'
        ORDER BY dataset, endorsement_area""").fetchall()
    assert spellings == [("crosswalk", "Self Awareness", "4"), ("crosswalk", "Self-Awareness", "1"),
                         ("crosswalk", "Self-awareness", "1"),
                         ("endorsement_index", "self awareness", "6")]
    assert one(db, """SELECT COUNT(*) FROM corrections WHERE rule = 'area_spelling'
                      AND dataset = 'crosswalk' AND after = 'self awareness'""") == 6
