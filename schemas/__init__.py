"""pandera schemas of the published tables, one module per table.

The columns come from :mod:`pipeline.metadata` (see :mod:`schemas.base`); each module
adds the checks that say what its rows mean. ``SCHEMAS`` maps table name → model.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from schemas.coe_categories import CoeCategoriesSchema
from schemas.coe_competencies import CoeCompetenciesSchema
from schemas.coe_domains import CoeDomainsSchema
from schemas.corrections import CorrectionsSchema
from schemas.crosswalk import CrosswalkSchema
from schemas.endorsement_area_spellings import EndorsementAreaSpellingsSchema
from schemas.endorsement_areas import EndorsementAreasSchema
from schemas.endorsement_index import EndorsementIndexSchema
from schemas.illinois_competencies import IllinoisCompetenciesSchema
from schemas.mentor_areas import MentorAreasSchema
from schemas.mentor_competencies import MentorCompetenciesSchema
from schemas.quality_issues import QualityIssuesSchema

SCHEMAS: dict[str, type[pa.DataFrameModel]] = {
    "coe_domains": CoeDomainsSchema,
    "coe_categories": CoeCategoriesSchema,
    "coe_competencies": CoeCompetenciesSchema,
    "crosswalk": CrosswalkSchema,
    "endorsement_index": EndorsementIndexSchema,
    "endorsement_areas": EndorsementAreasSchema,
    "endorsement_area_spellings": EndorsementAreaSpellingsSchema,
    "mentor_competencies": MentorCompetenciesSchema,
    "mentor_areas": MentorAreasSchema,
    "illinois_competencies": IllinoisCompetenciesSchema,
    "corrections": CorrectionsSchema,
    "quality_issues": QualityIssuesSchema,
}



def failure_cases(name: str, data: pd.DataFrame) -> pd.DataFrame:
    """pandera's failure cases of ``data`` against table ``name``'s schema, all at once
    (lazy); an empty frame when it is valid."""
    try:
        SCHEMAS[name].validate(data, lazy=True)
    except pa.errors.SchemaErrors as error:
        return error.failure_cases
    return pd.DataFrame(columns=["check", "column", "index", "failure_case"])


__all__ = ["SCHEMAS", "failure_cases"]
