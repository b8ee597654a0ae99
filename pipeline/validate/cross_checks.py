"""The validation checks that span tables, which no single table's schema can make.

Two kinds: the foreign keys declared in :mod:`pipeline.metadata` (a value exists in the
table it references; a null ``area_id`` references nothing), and the denormalized copies
listed in :data:`COPIES` (a column that repeats another table's column, e.g.
``crosswalk.coe_domain`` or the domain of an ``area_id``, agrees with it). Both
report in the row format of :mod:`pipeline.validate.failure_cases`;
:func:`pipeline.validate.validate_tables` runs them after the schemas.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from pipeline.metadata import TABLES
from pipeline.validate.failure_cases import failure_row, is_null, join_values, plain


@dataclass(frozen=True)
class Copy:
    """``table.column`` repeats ``source.source_column`` of the row with the same key.

    Rows whose key has no match are left to the foreign-key check. ``source_filter``
    restricts the source rows, e.g. to the first mapping row of a competency.
    """

    name: str
    description: str
    table: str
    column: str
    key: tuple[str, ...]
    source: str
    source_column: str
    source_key: tuple[str, ...]
    source_filter: tuple[str, object] | None = None


COPIES = (
    Copy(
        "copies_domain_title",
        "crosswalk.coe_domain is the domain_title of its domain in coe_domains.",
        "crosswalk", "coe_domain", ("coe_domain_number",),
        "coe_domains", "domain_title", ("domain_number",),
    ),
    Copy(
        "copies_category_title",
        "crosswalk.coe_category is the category_title of its category in coe_categories.",
        "crosswalk", "coe_category", ("coe_category_code",),
        "coe_categories", "category_title", ("category_code",),
    ),
    Copy(
        "copies_competency_text",
        "crosswalk.coe_competency is the competency_text of its code in coe_competencies.",
        "crosswalk", "coe_competency", ("coe_code",),
        "coe_competencies", "competency_text", ("coe_code",),
    ),
    Copy(
        "priority_of_first_mapping",
        "coe_competencies.priority is the mark of the competency's first mapping row "
        "(mapping_priority of mapping_seq 1) in crosswalk.",
        "coe_competencies", "priority", ("coe_code",),
        "crosswalk", "mapping_priority", ("coe_code",),
        source_filter=("mapping_seq", 1),
    ),
    Copy(
        "copies_competency_priority",
        "crosswalk.competency_priority is the priority of its competency in coe_competencies.",
        "crosswalk", "competency_priority", ("coe_code",),
        "coe_competencies", "priority", ("coe_code",),
    ),
    *(
        Copy(
            "domain_of_area",
            "The domain of a row with an area_id (endorsement_domain; area_of_expertise in "
            "mentor_areas) is the endorsement_domain of that area in endorsement_areas: an "
            "area belongs to one domain.",
            table, column, ("area_id",),
            "endorsement_areas", "endorsement_domain", ("area_id",),
        )
        for table, column in (("crosswalk", "endorsement_domain"),
                              ("endorsement_index", "endorsement_domain"),
                              ("endorsement_area_spellings", "endorsement_domain"),
                              ("mentor_areas", "area_of_expertise"))
    ),
)


def check_references(tables: Mapping[str, pd.DataFrame]) -> list[dict]:
    """Foreign keys (from metadata) and denormalized copies, as failure rows.

    A missing column (already reported by the table's schema) skips the check.
    """
    failures: list[dict] = []
    for table in TABLES.values():
        if table.name not in tables:
            continue
        frame = tables[table.name].reset_index(drop=True)
        for fk in table.foreign_keys:
            if fk.table not in tables:
                continue
            parent = tables[fk.table]
            if not (_has_columns(frame, fk.fields) and _has_columns(parent, fk.reference)):
                continue
            known = set(_key_tuples(parent, fk.reference))
            check = f"references_{fk.table}"
            for position, values in enumerate(_key_tuples(frame, fk.fields)):
                if all(v is None for v in values) or values in known:
                    continue
                value = values[0] if len(values) == 1 else join_values(values)
                failures.append(
                    failure_row(table, frame, position, check, ",".join(fk.fields), value)
                )
    for copy in COPIES:
        if _copy_applies(copy, tables):
            failures.extend(_copy_failures(copy, tables))
    failures.extend(_unmarked_priorities(tables))
    return failures


#: Name and description of the check that no mapping row's priority went missing.
PRIORITY_PRESENT = (
    "priority_present",
    "every crosswalk row has a mapping_priority, unless its competency's priority_note in "
    "coe_competencies says why not (an unreadable mark must never become a silent null).",
)


def _unmarked_priorities(tables: Mapping[str, pd.DataFrame]) -> list[dict]:
    """Crosswalk rows without a priority whose competency gives no note instead."""
    if "crosswalk" not in tables or "coe_competencies" not in tables:
        return []
    crosswalk = tables["crosswalk"].reset_index(drop=True)
    competencies = tables["coe_competencies"]
    if not (_has_columns(crosswalk, ("coe_code", "mapping_priority"))
            and _has_columns(competencies, ("coe_code", "priority_note"))):
        return []
    noted = set(competencies.loc[competencies["priority_note"].notna(), "coe_code"])
    return [failure_row(TABLES["crosswalk"], crosswalk, position, PRIORITY_PRESENT[0],
                        "mapping_priority", None)
            for position, (code, priority) in enumerate(
                zip(crosswalk["coe_code"], crosswalk["mapping_priority"], strict=True))
            if is_null(priority) and code not in noted]


# --- helpers -----------------------------------------------------------------------------


def _copy_applies(copy: Copy, tables: Mapping[str, pd.DataFrame]) -> bool:
    """Both tables are given and have the columns the comparison needs."""
    if copy.table not in tables or copy.source not in tables:
        return False
    source_columns = (*copy.source_key, copy.source_column)
    if copy.source_filter is not None:
        source_columns += (copy.source_filter[0],)
    return _has_columns(tables[copy.table], (*copy.key, copy.column)) and _has_columns(
        tables[copy.source], source_columns
    )


def _copy_failures(copy: Copy, tables: Mapping[str, pd.DataFrame]) -> list[dict]:
    source = tables[copy.source]
    if copy.source_filter is not None:
        column, wanted = copy.source_filter
        source = source[(source[column] == wanted).fillna(False).astype(bool)]
    expected = {
        key: plain(value)
        for key, value in zip(
            _key_tuples(source, copy.source_key), source[copy.source_column], strict=True
        )
    }
    frame = tables[copy.table].reset_index(drop=True)
    table = TABLES[copy.table]
    failures = []
    for position, (key, value) in enumerate(
        zip(_key_tuples(frame, copy.key), frame[copy.column], strict=True)
    ):
        if key in expected and plain(value) != expected[key]:
            failures.append(failure_row(table, frame, position, copy.name, copy.column, value))
    return failures


def _has_columns(frame: pd.DataFrame, columns: Iterable[str]) -> bool:
    return set(columns) <= set(frame.columns)


def _key_tuples(frame: pd.DataFrame, columns: Iterable[str]) -> list[tuple]:
    """The row-by-row tuples of ``columns``' plain values (see :func:`plain`).

    Read column by column (``tolist``), not row by row (``itertuples``): the same values,
    at a fraction of the cost of building a row from each column's array.
    """
    values = [[plain(value) for value in frame[column].tolist()] for column in columns]
    return list(zip(*values, strict=True))
