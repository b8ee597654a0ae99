"""Load: write the validated tables as CSV, JSON, Parquet and ``datapackage.json``.

``publish`` writes the files, ``datapackage`` describes them, ``profiles`` cuts the
tables down to a build profile, and ``atomic`` swaps a complete build in at once.
"""
