"""The natural order of codes, numbers and nulls that every published table and diff uses."""

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from pipeline.codes import natural_sort_key


def test_natural_sort_key_orders_codes_numbers_and_nulls():
    codes = ["10A.1", "1A.10", None, "1A.2", "1B.1", "1A.1"]
    assert sorted(codes, key=natural_sort_key) == ["1A.1", "1A.2", "1A.10", "1B.1", "10A.1", None]
    assert sorted([pd.NA, 12, 3], key=natural_sort_key)[:2] == [3, 12]


codes = st.tuples(st.integers(1, 8), st.sampled_from("ABCDEFGH"), st.integers(1, 99))


@given(st.lists(codes, max_size=30))
def test_natural_sort_orders_codes_by_their_parts(parts):
    texts = [f"{d}{letter}.{n}" for d, letter, n in parts]
    assert sorted(texts, key=natural_sort_key) == [
        f"{d}{letter}.{n}" for d, letter, n in sorted(parts)
    ]
