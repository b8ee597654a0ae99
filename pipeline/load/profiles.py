"""Build profiles on publishing: the full datasets, or the codes only (no copyrighted text).

Which columns and datasets a profile keeps is part of the contract
(:mod:`pipeline.metadata.profiles`); here the validated full tables are cut down to it.
The audit logs keep only rows about what the profile publishes (a correction of a
verbatim cell, or of a dataset left out, would describe data that is not there).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from pipeline.metadata import TABLES, Table
from pipeline.metadata.profiles import contract_for

#: Audit logs: their rows describe cells of the other datasets (``dataset``, ``field``).
AUDIT_TABLES = ("corrections", "quality_issues")


def codes_only(tables: Mapping[str, pd.DataFrame],
               contract: Mapping[str, Table] = TABLES) -> dict[str, pd.DataFrame]:
    """The tables of the codes-only profile: verbatim columns dropped, datasets keyed by
    text left out, audit rows kept only for published cells."""
    return apply_profile(tables, "codes-only", contract)[0]


def apply_profile(
    tables: Mapping[str, pd.DataFrame], profile: str, contract: Mapping[str, Table] = TABLES,
) -> tuple[dict[str, pd.DataFrame], dict[str, Table]]:
    """(tables, contract) to hand to :func:`pipeline.load.publish.publish_tables`."""
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
