"""The pandera schema of a published table, built from its declaration in ``pipeline/metadata/``.

Why classes are generated: the columns, types, vocabularies and keys are declared once,
in :mod:`pipeline.metadata`. Writing them again as ``DataFrameModel`` annotations would
let the two drift apart. :func:`table_model` turns a :class:`~pipeline.metadata.Table`
into an abstract ``DataFrameModel`` subclass (pandera builds a model from
``__annotations__`` plus ``pa.Field`` attributes, so ``type()`` is all it takes), and each
``schemas/<table>.py`` subclasses it with the checks that say what the rows *mean*::

    class CrosswalkSchema(table_model(CROSSWALK)):
        @row_check("alignment", "endorsement_domain")
        def unique_iff_endorsement_null(cls, df): ...

What the generated model checks, per column (all from metadata):

- type: ``string`` → pandas ``string``, ``integer`` → ``Int64``, ``boolean`` →
  ``boolean`` (nullable extension dtypes: a missing value is ``<NA>``, never ``NaN``;
  see :class:`NAString` for why strings need a small pandera dtype of their own);
  ``coerce=True`` so an all-string frame read back from CSV validates too;
- ``required`` → not nullable; ``enum`` → ``isin``; ``pattern`` → ``str_matches``;
  ``minimum``/``maximum`` → ``ge``/``le``;
- the table: ``strict`` (no undeclared column), ``ordered`` (declared column order),
  ``unique`` = the primary key, or ``Table.unique`` when the key may hold nulls.

And on every table:

- ``empty_as_null`` (parser): the contract says an empty CSV field *is* null, so an
  empty string in a nullable text column is stored as null; every format then agrees;
- ``not_empty``: a required text cell is not the empty string;
- ``provenance_present``: exactly one of ``source_line`` / ``source_page`` is set;
- the text rules of :data:`schemas.text_rules.TEXT_RULES` on the table's free-text
  columns (by default the string columns without a vocabulary or pattern, see
  :func:`free_text_columns`).

Failures of a row-level check are reported on the columns the check names: pandera
lists every column of a failing row, so :func:`row_check` records the relevant ones in
the check's ``statistics`` and :mod:`pipeline.validate` keeps only those.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd
import pandera.pandas as pa
from pandera import dtypes
from pandera.engines import pandas_engine
from pandera.typing import Series

from pipeline.metadata import TABLES, Field, Table
from schemas.text_rules import TEXT_RULES


@dtypes.immutable
class NAString(pandas_engine.DataType):
    """pandas' ``string`` dtype, whose missing value is ``pd.NA`` like ``Int64``/``boolean``.

    Why not ``pd.StringDtype`` in the annotation: on pandas 3 pandera resolves it to the
    NaN-backed ``str`` dtype (``StringDtype(na_value=nan)``), and its dtype check cannot
    tell the two apart (both resolve to the same pandera type), so this one compares the
    column's actual dtype.
    """

    type = pd.StringDtype("pyarrow")

    def coerce(self, data_container):
        return data_container.astype(self.type)

    def check(self, pandera_dtype, data_container=None):
        if isinstance(pandera_dtype, NAString):
            return True
        if data_container is not None:
            return data_container.dtype == self.type
        return False

    def __str__(self) -> str:
        return "string"


_DTYPES: dict[str, type] = {
    "string": NAString,
    "integer": pd.Int64Dtype,
    "boolean": pd.BooleanDtype,
}


# --- row-level checks --------------------------------------------------------------------


def row_check(*columns: str, **check_kwargs) -> Callable:
    """``pa.dataframe_check`` whose failures are reported on ``columns``.

    The check function gets the whole frame and returns one boolean per row. The
    columns are kept in the check's ``statistics`` (pandera passes ``statistics`` to the
    Check, not to the function), where :mod:`pipeline.validate` finds them.
    """
    return pa.dataframe_check(statistics={"columns": columns}, **check_kwargs)


def report_columns(check: pa.Check) -> tuple[str, ...] | None:
    """The columns a row-level check reports on (None: not declared)."""
    statistics = getattr(check, "statistics", None) or {}
    columns = statistics.get("columns")
    return tuple(columns) if columns else None


def code_prefix(codes: pd.Series) -> pd.Series:
    """The category part of a competency code: ``1A.10`` → ``1A``."""
    return codes.str.split(".", n=1).str[0]


def code_prefix_check(code: str, category: str, domain: str) -> classmethod:
    """The row check ``category_is_code_prefix`` of a table holding a competency code and
    its category and domain: ``category`` is the prefix of ``code`` and ``domain`` its
    first digit. Use it as a class attribute of the table's schema."""

    def category_is_code_prefix(cls, df: pd.DataFrame) -> pd.Series:
        return same(df[category], code_prefix(df[code])) & same(
            df[domain], first_digit(df[code])
        )

    category_is_code_prefix.__doc__ = (
        f"{category} is the prefix of {code} (1A.1 → 1A) and {domain} its first digit (→ 1)."
    )
    return row_check(code, category, domain)(category_is_code_prefix)


def first_digit(codes: pd.Series) -> pd.Series:
    """The domain number of a category or competency code: ``1A.10`` → 1."""
    return pd.to_numeric(codes.str[0], errors="coerce").astype("Int64")


def same(left: pd.Series, right: pd.Series) -> pd.Series:
    """Element-wise equality where two nulls are equal and null ≠ a value."""
    both_null = left.isna() & right.isna()
    equal = (left == right).fillna(False).astype(bool)
    return both_null | equal


def dataset_is_published(series: pd.Series) -> pd.Series:
    """The dataset named is one of the published tables."""
    return series.isin(list(TABLES)).fillna(True).astype(bool)


# --- building the model from metadata ---------------------------------------------------


def free_text_columns(table: Table) -> tuple[str, ...]:
    """String columns without a vocabulary or pattern: prose the text rules apply to.

    ``source_id`` is an identifier from the manifest, not prose.
    """
    return tuple(
        f.name
        for f in table.fields
        if f.type == "string" and f.enum is None and f.pattern is None and f.name != "source_id"
    )


def _pandera_field(field: Field) -> tuple[object, pa.Field]:
    try:
        dtype = _DTYPES[field.type]
    except KeyError:
        raise ValueError(f"{field.name}: no pandas dtype for type {field.type!r}") from None
    checks: dict[str, object] = {}
    if field.enum is not None:
        checks["isin"] = list(field.enum)
    if field.pattern is not None:
        checks["str_matches"] = field.pattern
    if field.minimum is not None:
        checks["ge"] = field.minimum
    if field.maximum is not None:
        checks["le"] = field.maximum
    annotation = Series[dtype]
    return annotation, pa.Field(
        nullable=not field.required, description=field.description, **checks
    )


def _column_check(rule: Callable[[pd.Series], pd.Series], columns: Iterable[str]) -> classmethod:
    """A pandera column check named and described after ``rule``."""

    def check(cls, series: pd.Series) -> pd.Series:
        return rule(series)

    # The name is also the function's: pandera pops ``name`` from the check's kwargs when
    # it first builds a schema and falls back to the function name after that.
    check.__name__ = check.__qualname__ = rule.__name__
    # ignore_na=False: a rule passes nulls itself (see schemas.text_rules), so pandera
    # need not look for nulls and drop them before each of the rules; a null never fails,
    # so the failure cases are the same.
    return pa.check(*columns, name=rule.__name__, description=rule.__doc__,
                    ignore_na=False)(check)


def empty_as_null(cls, series: pd.Series) -> pd.Series:
    """An empty text cell is null (the CSV contract: empty field = null)."""
    return series.mask(series == "")


def not_empty(series: pd.Series) -> pd.Series:
    """A required text cell is not the empty string (an empty CSV field reads as null)."""
    # One comparison per cell in Python: cheaper than pandas' three vectorised steps
    # (compare, fill the nulls, cast) on a column of a few hundred cells.
    return pd.Series([not isinstance(text, str) or text != "" for text in series.tolist()],
                     index=series.index, dtype=bool)


def provenance_present(cls, df: pd.DataFrame) -> pd.Series:
    """Exactly one of source_line / source_page is set."""
    return df["source_line"].notna() ^ df["source_page"].notna()


def table_model(
    table: Table, *, text_columns: Iterable[str] | None = None
) -> type[pa.DataFrameModel]:
    """An abstract ``DataFrameModel`` for ``table``, to be subclassed by its schema module.

    ``text_columns`` overrides which columns the text rules apply to (default:
    :func:`free_text_columns`); the audit tables quote source fragments and opt out.
    """
    text_columns = tuple(free_text_columns(table) if text_columns is None else text_columns)
    namespace: dict[str, object] = {"__annotations__": {}, "__module__": __name__}
    for field in table.fields:
        annotation, pandera_field = _pandera_field(field)
        namespace["__annotations__"][field.name] = annotation
        namespace[field.name] = pandera_field

    namespace["Config"] = type(
        "Config",
        (),
        {
            "strict": True,
            "coerce": True,
            "ordered": True,
            "unique": list(table.key) or None,
            "title": table.title,
            "description": table.description,
        },
    )

    strings = [f.name for f in table.fields if f.type == "string"]
    nullable_strings = [f.name for f in table.fields if f.type == "string" and not f.required]
    required_strings = [f.name for f in table.fields if f.type == "string" and f.required]
    if nullable_strings:
        namespace["empty_as_null"] = pa.parser(*nullable_strings)(empty_as_null)
    if required_strings:
        namespace["not_empty"] = _column_check(not_empty, required_strings)
    if text_columns:
        unknown = set(text_columns) - set(strings)
        if unknown:
            raise ValueError(f"{table.name}: text rules on non-text column(s) {sorted(unknown)}")
        for rule in TEXT_RULES:
            namespace[rule.__name__] = _column_check(rule, text_columns)
    if {"source_line", "source_page"} <= set(table.column_names):
        namespace["provenance_present"] = row_check(
            "source_id",
            "source_line",
            "source_page",
        )(provenance_present)

    name = "".join(part.title() for part in table.name.split("_")) + "Columns"
    return type(name, (pa.DataFrameModel,), namespace)
