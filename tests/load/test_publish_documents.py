"""The row order, the CSV and the JSON documents of publish, made the quick way, are what the plain
definitions give: a sort by the natural key of every column, the rows field by field, and
``json.dumps``."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pipeline.codes import natural_sort_key
from pipeline.load.publish import (
    _csv_text,
    csv_field,
    records,
    sort_rows,
    to_csv_text,
    to_json_text,
)
from pipeline.metadata import CROSSWALK, TABLES
from pipeline.validate import validate_tables


@pytest.fixture
def validated(sample_tables):
    return validate_tables(sample_tables)


def sorted_by_every_column(frame: pd.DataFrame, table) -> pd.DataFrame:
    """The definition: one sort by the natural keys of the order columns, then the rest."""
    columns = list(table.order) + [c for c in table.column_names if c not in table.order]
    keys = [tuple(natural_sort_key(v) for v in row)
            for row in frame[columns].itertuples(index=False, name=None)]
    return frame.iloc[sorted(range(len(frame)), key=keys.__getitem__)].reset_index(drop=True)


def test_rows_tied_on_the_key_are_ordered_by_the_other_columns(validated):
    crosswalk = validated["crosswalk"]
    # Rows sharing (coe_code, mapping_seq) with one another: the other columns decide,
    # in natural order (``Level 10`` after ``Level 2``), nulls last; full ties keep
    # the frame's order.
    tied = crosswalk.iloc[[0, 0, 0, 0, 0]].copy()
    tied["endorsement_area"] = ["Level 10", "Level 2", None, "Level 2", "level 2"]
    rows = pd.concat([crosswalk, tied]).iloc[::-1].reset_index(drop=True)
    pd.testing.assert_frame_equal(sort_rows(rows, CROSSWALK), sorted_by_every_column(rows, CROSSWALK))


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_table_sorts_as_by_every_column(validated, name):
    shuffled = validated[name].sample(frac=1, random_state=7).reset_index(drop=True)
    pd.testing.assert_frame_equal(sort_rows(shuffled, TABLES[name]),
                                  sorted_by_every_column(shuffled, TABLES[name]))


@pytest.mark.parametrize("name", sorted(TABLES))
def test_json_document_is_json_dumps_of_the_rows(validated, name):
    table = TABLES[name]
    frame = sort_rows(validated[name], table)
    objects = [dict(zip(table.column_names, row)) for row in records(frame, table)]
    expected = json.dumps(objects, ensure_ascii=False, indent=2) + "\n"
    assert to_json_text(frame, table) == expected
    assert to_json_text(frame, table, list(records(frame, table))) == expected


def test_json_document_escapes_as_json_dumps(validated):
    crosswalk = validated["crosswalk"].iloc[:1].copy()
    crosswalk["coe_competency"] = ['quotes " and \\ back\nslash, tab\t, é, \u2028 and \x00']
    crosswalk["endorsement_area"] = [None]
    objects = [dict(zip(CROSSWALK.column_names, row)) for row in records(crosswalk, CROSSWALK)]
    assert to_json_text(crosswalk, CROSSWALK) == json.dumps(objects, ensure_ascii=False,
                                                            indent=2) + "\n"


def test_json_document_of_no_rows_is_an_empty_array(validated):
    empty = validated["quality_issues"].iloc[:0]
    assert to_json_text(empty, TABLES["quality_issues"]) == "[]\n" == json.dumps([], indent=2) + "\n"


@pytest.mark.parametrize("name", sorted(TABLES))
def test_csv_document_is_the_rows_field_by_field(validated, name):
    table = TABLES[name]
    frame = sort_rows(validated[name], table)
    lines = [",".join(csv_field(c) for c in table.column_names)]
    lines += [",".join(csv_field(_csv_text(value)) for value in row)
              for row in records(frame, table)]
    assert to_csv_text(frame, table) == "\n".join(lines) + "\n"
