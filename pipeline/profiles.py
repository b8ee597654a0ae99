"""Build profiles: the full datasets, or the codes only (no copyrighted text).

The source documents allow unaltered use with credit, not broad redistribution of their
text (see README, Sources and licences). The *mapping* — codes, vocabularies, alignment,
priority, levels, designations — is what most teams join on, and it is not the
documents' prose. The ``codes-only`` profile keeps it and leaves out every column the
contract marks ``verbatim`` (:attr:`pipeline.metadata.Field.verbatim`), so such a build
can be shared freely.

Three consequences, each a rule rather than a list of names:

* a dataset whose key includes a verbatim column is left out: its rows are identified by
  the copyrighted text (``endorsement_index`` by the area's wording, ``mentor_areas``);
* the audit logs keep only rows about what the profile publishes (a correction of a
  verbatim cell, or of a dataset left out, would describe data that is not there);
* validation: the published frames are projections of validated full tables, so the
  pipeline validates before projecting. To validate a codes-only build on its own,
  :func:`profile_models` gives the schemas without the dropped columns (a row check on a
  dropped column is dropped with it).

>>> sorted(contract_for("codes-only")) == sorted(set(contract_for("full"))
...                                             - {"endorsement_index", "mentor_areas"})
True
>>> "coe_competency" in contract_for("codes-only")["crosswalk"].column_names
False
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import pandas as pd
import pandera.pandas as pa

from pipeline.errors import PipelineError
from pipeline.metadata import TABLES, Table

PROFILES = ("full", "codes-only")
#: Audit logs: their rows describe cells of the other datasets (``dataset``, ``field``).
AUDIT_TABLES = ("corrections", "quality_issues")


def verbatim_columns(table: Table) -> tuple[str, ...]:
    """The columns of ``table`` that hold the source documents' text."""
    return tuple(f.name for f in table.fields if f.verbatim)


def contract_for(profile: str, contract: Mapping[str, Table] = TABLES) -> dict[str, Table]:
    """The tables a build of ``profile`` publishes, each with the columns it keeps.

    A reduced table says so in its description, which ``datapackage.json`` carries.
    """
    if profile not in PROFILES:
        raise PipelineError(f"unknown profile {profile!r}", hint=f"use one of {PROFILES}")
    if profile == "full":
        return dict(contract)
    reduced: dict[str, Table] = {}
    for name, table in contract.items():
        dropped = verbatim_columns(table)
        if not dropped:
            reduced[name] = table
        elif not set(dropped) & set(table.key):
            reduced[name] = replace(
                table,
                fields=tuple(f for f in table.fields if not f.verbatim),
                sort_by=tuple(c for c in table.sort_by if c not in dropped),
                description=f"{table.description} Codes-only profile: the verbatim text "
                f"column(s) {', '.join(dropped)} of the source are left out.",
            )
    return reduced


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


def profile_models(profile: str) -> dict[str, type[pa.DataFrameModel]]:
    """The pandera models of ``profile``: the schemas of :mod:`schemas` without the
    dropped columns and the row checks that read them (keys and other checks kept)."""
    from schemas import SCHEMAS
    from schemas.base import report_columns

    models: dict[str, type[pa.DataFrameModel]] = {}
    for name, table in contract_for(profile).items():
        model = SCHEMAS[name]
        dropped = set(TABLES[name].column_names) - set(table.column_names)
        if not dropped:
            models[name] = model
            continue
        schema = model.to_schema().remove_columns(sorted(dropped))
        schema.checks = [check for check in schema.checks
                         if not set(report_columns(check) or ()) & dropped]
        # A subclass whose schema is the reduced one: DataFrameModel.validate and
        # pipeline.validate both go through to_schema().
        models[name] = type(f"{model.__name__}CodesOnly", (model,),
                            {"to_schema": classmethod(lambda cls, s=schema: s)})
    return models
