"""Build profiles on publishing: the open datasets (the default), everything, or the codes
only.

Which columns, cells and datasets a profile keeps is part of the contract
(:mod:`pipeline.metadata.profiles`); here the validated full tables are cut down to it.

* open: the cells the sources' terms withhold are set to null, in the rows they are
  withheld from; no row is dropped, and rows keep the order of the full table's key;
* codes-only: verbatim columns and datasets keyed by text are left out; the audit logs
  keep only rows about what the profile publishes (a correction of a verbatim cell, or of
  a dataset left out, would describe data that is not there).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from pipeline.codes import is_null
from pipeline.load.publish import sort_rows
from pipeline.metadata import TABLES, Table
from pipeline.metadata.profiles import ProfiledTable, Withheld, contract_for
from pipeline.runtime.collector import collector_paused
from pipeline.sources import Source

#: Audit logs: their rows describe cells of the other datasets (``dataset``, ``field``).
AUDIT_TABLES = ("corrections", "quality_issues")


def codes_only(tables: Mapping[str, pd.DataFrame],
               contract: Mapping[str, Table] = TABLES) -> dict[str, pd.DataFrame]:
    """The tables of the codes-only profile: verbatim columns dropped, datasets keyed by
    text left out, audit rows kept only for published cells."""
    return apply_profile(tables, "codes-only", contract)[0]


def apply_profile(
    tables: Mapping[str, pd.DataFrame], profile: str, contract: Mapping[str, Table] = TABLES,
    sources: Sequence[Source] | None = None,
) -> tuple[dict[str, pd.DataFrame], dict[str, Table]]:
    """(tables, contract) to hand to :func:`pipeline.load.publish.publish_tables`
    (``sources``, the manifest's entries, say what the open profile withholds)."""
    if profile == "open":
        with collector_paused():  # see pipeline.runtime.collector: no cycles made, many objects
            return open_tables(tables, sources, contract)
    kept = contract_for(profile, contract)
    if profile == "full":
        return dict(tables), kept
    result = {name: frame[kept[name].column_names].reset_index(drop=True)
              for name, frame in tables.items() if name in kept}
    published = {name: set(table.column_names) for name, table in kept.items()
                 if name not in AUDIT_TABLES}
    for name in AUDIT_TABLES:
        if name not in result:
            continue
        frame = result[name]
        fields = frame["field"] if "field" in frame.columns else [None] * len(frame)
        about = [dataset in published and (field is None or field in published[dataset])
                 for dataset, field in zip(frame["dataset"], fields)]
        result[name] = frame[about].reset_index(drop=True)
    return result, kept


def open_tables(tables: Mapping[str, pd.DataFrame], sources: Sequence[Source] | None,
                contract: Mapping[str, Table] = TABLES,
                ) -> tuple[dict[str, pd.DataFrame], dict[str, Table]]:
    """The tables of the open profile: every row, the withheld cells null."""

    def present(entry: Withheld) -> bool:
        frame = tables.get(entry.resource)
        return frame is not None and any(withheld_mask(frame, entry))

    kept = contract_for("open", contract, sources, present)
    result = {}
    for name, frame in tables.items():
        table = kept.get(name)
        if not isinstance(table, ProfiledTable):
            result[name] = frame
            continue
        # The order of the full key, which a key over withheld text cannot give any more.
        frame = sort_rows(frame, contract[name]).astype({w.column: "string"
                                                          for w in table.withheld})
        for entry in table.withheld:
            frame.loc[withheld_mask(frame, entry), entry.column] = pd.NA
        result[name] = frame
    return result, kept


def withheld_rows(frame: pd.DataFrame, entry: Withheld) -> pd.Series:
    """The rows of ``frame`` whose cell in ``entry.column`` the entry withholds."""
    return pd.Series(withheld_mask(frame, entry), index=frame.index, dtype=bool)


def withheld_mask(frame: pd.DataFrame, entry: Withheld) -> list[bool]:
    """:func:`withheld_rows` as a list: a row matches when each of ``entry.rows``'
    columns holds its value, compared as text (a null cell matches nothing)."""
    # With plain Python values: a pandas comparison per column costs more than the
    # few hundred rows it compares.
    rows = [True] * len(frame)
    for column, value in entry.rows.items():
        rows = [row and not is_null(cell) and _as_text(cell) == value
                for row, cell in zip(rows, frame[column].tolist())]
    return rows


def _as_text(cell: object) -> str:
    """A cell as pandas' ``string`` dtype writes it (``True``, ``12``, the text)."""
    return cell if isinstance(cell, str) else str(cell)
