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
* the audit logs keep only rows about what the profile publishes
  (:func:`pipeline.load.profiles.apply_profile`);
* validation: the published frames are projections of validated full tables, so the
  pipeline validates before projecting. To validate a codes-only build on its own,
  :func:`pipeline.validate.profiles.profile_models` gives the schemas without the dropped
  columns (a row check on a dropped column is dropped with it).

>>> sorted(contract_for("codes-only")) == sorted(set(contract_for("full"))
...                                             - {"endorsement_index", "mentor_areas"})
True
>>> "coe_competency" in contract_for("codes-only")["crosswalk"].column_names
False
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from pipeline.errors import PipelineError
from pipeline.metadata import TABLES, Table

PROFILES = ("full", "codes-only")


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
