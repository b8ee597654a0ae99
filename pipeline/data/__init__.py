"""The pipeline's own data files, and the one place that knows where they are.

- ``domain_words.txt``: words of the field that no general lexicon knows;
- ``typos.csv``: non-words seen in the sources, with their correction and a reason;
- ``release.toml``: the data version of the next release;
- ``<source format>/spot_fixes.csv``: one-off repairs of single cells, each with a reason.
"""

from __future__ import annotations

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
TYPOS_CSV = DATA_DIR / "typos.csv"
DOMAIN_WORDS_TXT = DATA_DIR / "domain_words.txt"
RELEASE_TOML = DATA_DIR / "release.toml"
CROSSWALK_SPOT_FIXES = DATA_DIR / "crosswalk_table" / "spot_fixes.csv"


def read_typo_list(path: Path = TYPOS_CSV) -> list[tuple[str, str]]:
    """The typo list as ``(wrong, right)`` pairs in file order, blank rows skipped.

    >>> ("adn", "and") in read_typo_list()
    True
    """
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if "wrong" not in (reader.fieldnames or ()):
            raise ValueError(f"{path}: the typo list has no 'wrong' column")
        return [(row["wrong"].strip(), (row.get("right") or "").strip()) for row in reader
                if (row["wrong"] or "").strip()]


def read_word_list(path: Path = DOMAIN_WORDS_TXT) -> list[str]:
    """The words of a word list, one a line; ``#`` starts a comment."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.append(line)
    return words
