"""The files of a build as the contract lays them out: their names, and the one
spreadsheet-safety convention of the CSV files, written by publishing and undone by every
reader of a build (:mod:`pipeline.versions.builds`)."""

from __future__ import annotations

import csv
import io
import sys

DATAPACKAGE_NAME = "datapackage.json"
#: The formats every dataset is published in, as file suffixes.
DATASET_SUFFIXES = (".csv", ".json", ".parquet")
#: OWASP "CSV Injection": a cell starting with one of these is run as a formula by Excel,
#: LibreOffice or Google Sheets (tab and CR can hide a formula on the next character).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def defuse_csv_cell(text: str) -> str:
    """Neutralise a text cell a spreadsheet would run as a formula (OWASP CSV Injection).

    A cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a single
    quote in front, which spreadsheets show as text. Other cells are unchanged. The
    published data should hold no such cell (text is trimmed, and list bullets such as
    ``- `` are not data), so in practice this is a safety net, applied to the CSV only.

    >>> defuse_csv_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> defuse_csv_cell("@SUM(A1)"), defuse_csv_cell("-1+2"), defuse_csv_cell("\\tx")
    ("'@SUM(A1)", "'-1+2", "'\\tx")
    >>> defuse_csv_cell("Theoretical Foundations")
    'Theoretical Foundations'
    >>> defuse_csv_cell("infant- or young child-specific")
    'infant- or young child-specific'
    >>> defuse_csv_cell("")
    ''
    """
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def undefuse_csv_cell(text: str) -> str:
    """The value a defused CSV cell stands for: :func:`defuse_csv_cell` undone.

    The convention cannot tell a defused ``=1`` from a value that itself is ``'=1``; the
    published text never starts with a quote before a formula sign, so it reads as the
    former.

    >>> undefuse_csv_cell("'=HYPERLINK(1)"), undefuse_csv_cell("'quoted'")
    ('=HYPERLINK(1)', "'quoted'")
    >>> all(undefuse_csv_cell(defuse_csv_cell(t)) == t for t in ("=1", "-a", "a", ""))
    True
    """
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS) else text


def csv_dict_reader(text: str) -> csv.DictReader:
    """Rows of a published CSV as dicts, whatever the length of a cell: the csv module's
    default field limit (128 KiB) is no limit of the contract, so a long cell that passed
    validation must read back.

    >>> next(csv_dict_reader("a\\n" + "x" * 200_000 + "\\n"))["a"] == "x" * 200_000
    True
    """
    csv.field_size_limit(sys.maxsize)
    return csv.DictReader(io.StringIO(text, newline=""))
