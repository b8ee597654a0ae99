"""The pandera models of a build profile, to validate a codes-only build on its own."""

from __future__ import annotations

import pandera.pandas as pa

from pipeline.metadata import TABLES
from pipeline.metadata.profiles import contract_for
from schemas import SCHEMAS
from schemas.base import report_columns


def profile_models(profile: str) -> dict[str, type[pa.DataFrameModel]]:
    """The pandera models of ``profile``: the schemas of :mod:`schemas` without the
    dropped columns and the row checks that read them (keys and other checks kept)."""
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
