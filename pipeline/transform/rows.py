"""A frame's rows as named tuples, without pandas' cost per value.

``DataFrame.itertuples`` iterates each column, and iterating a text column (pandas'
string dtype, stored by Arrow) converts its values one call at a time, about 1 µs each:
most of what a loop over the rows of a long table costs. :func:`itertuples` gives the
same tuples, with the same values, taking a text column's values in one call.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator
from itertools import repeat

import pandas as pd


def column_values(column: pd.Series) -> list:
    """The values of ``column``, as iterating it gives them.

    A text column gives them in one call (``tolist``: the same strings, and the same
    missing value); any other is iterated, as ``tolist`` would turn an ``Int64``
    column's numpy integers into Python ones.

    >>> column_values(pd.Series(["1A.1", None], dtype="string"))
    ['1A.1', <NA>]
    >>> [type(value).__name__ for value in column_values(pd.Series([147], dtype="Int64"))]
    ['int64']
    """
    if isinstance(column.dtype, pd.StringDtype):
        return column.tolist()
    return list(column)


def itertuples(frame: pd.DataFrame) -> Iterator[tuple]:
    """``frame.itertuples(index=False)``: the same named tuples, field for field.

    >>> frame = pd.DataFrame({"coe_code": ["1A.1"], "source_line": [147]}).astype(
    ...     {"coe_code": "string", "source_line": "Int64"})
    >>> list(itertuples(frame)) == list(frame.itertuples(index=False))
    True
    >>> next(itertuples(frame))
    Pandas(coe_code='1A.1', source_line=np.int64(147))
    """
    # By position, as pandas does: column names may repeat.
    columns = [column_values(frame.iloc[:, k]) for k in range(len(frame.columns))]
    row = namedtuple("Pandas", list(frame.columns), rename=True)  # noqa: PYI024 (pandas' own)
    rows = zip(*columns, strict=True) if columns else repeat((), len(frame))
    return map(row._make, rows)
