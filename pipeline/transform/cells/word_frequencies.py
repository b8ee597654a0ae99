"""wordfreq's English Zipf frequencies, read straight from the table wordfreq ships.

``import wordfreq`` costs more than the rest of a text build's normalization (it loads
ftfy, langcodes, regex and its tokenizers), and its ``zipf_frequency`` tokenizes every
word it is asked about. The repairs ask about hundreds of thousands of candidate words,
all of them already lower case (:func:`pipeline.transform.cells.lexicon.normalize`), and
almost all plain ASCII letters, which wordfreq's English tokenizer leaves as they are. For
those, :func:`zipf` reads wordfreq's own ``large_en`` table (the ``best`` English list)
once into a plain dict and does wordfreq's arithmetic; any other word (``naïve``, a digit,
a hyphen) is handed to ``wordfreq.zipf_frequency`` itself, imported only then. The two
give the same number for every word (``tests/transform/test_word_frequencies.py``).
"""

from __future__ import annotations

import importlib.util
import math
import re
import zlib
from functools import cache, lru_cache
from itertools import chain, repeat
from pathlib import Path

#: What wordfreq's English tokenizer returns unchanged as one token: lower-case ASCII
#: letters, with inner apostrophes (``one's``, ``o'clock``).
_PLAIN_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)*")
#: wordfreq's English table: the ``large`` list, which ``wordlist="best"`` picks.
_TABLE = Path("data") / "large_en.msgpack.gz"
#: ``zipf_frequency``'s default ``minimum`` (Zipf 0) as a frequency, as wordfreq computes it.
_MINIMUM_FREQUENCY = 10**0.0 / 1e9


def zipf(word: str) -> float:
    """``wordfreq.zipf_frequency(word, "en")``, for a word already lower case and NFC.

    >>> zipf("the") > 7, zipf("relationship"), zipf("acrossmultiple")
    (True, 5.15, 0.0)
    """
    buckets = _bucket_of_word() if _PLAIN_TOKEN.fullmatch(word) else None
    if buckets is None:
        from wordfreq import zipf_frequency  # an unusual word, or no table to read

        return zipf_frequency(word, "en")
    bucket = buckets.get(word)
    # A word not in the table gets the minimum, unrounded, as in wordfreq.
    frequency = _MINIMUM_FREQUENCY if bucket is None else _frequency_of_bucket(bucket)
    return round(math.log(frequency, 10) + 9, 2)  # noqa: FURB163 (wordfreq's own log)


@lru_cache(maxsize=1)
def _bucket_of_word() -> dict[str, int] | None:
    """Each word of the table with its bucket (its frequency in centibels, negated), or
    None when the installed wordfreq keeps no such table (then wordfreq answers)."""
    spec = importlib.util.find_spec("wordfreq")  # finds the package without running it
    folders = spec.submodule_search_locations if spec is not None else None
    path = Path(folders[0]) / _TABLE if folders else None
    if path is None or not path.is_file():
        return None
    import msgpack  # wordfreq's own dependency

    # A cBpack: a gzipped msgpack list, a header, then one list of words per centibel.
    header, *buckets = msgpack.unpackb(zlib.decompress(path.read_bytes(), zlib.MAX_WBITS | 16),
                                       raw=False)
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        return None
    # Built in C, not word by word; a word listed twice keeps its last (rarer) bucket, as
    # wordfreq's own dict does.
    return dict(zip(chain.from_iterable(buckets),
                    chain.from_iterable(map(repeat, range(len(buckets)), map(len, buckets)))))


@cache
def _frequency_of_bucket(bucket: int) -> float:
    """wordfreq's ``word_frequency`` of a one-token word in ``bucket``, step by step (the
    same float operations give the same float)."""
    frequency = 1.0 / (0.0 + 1.0 / 10 ** (-bucket / 100))  # its sum over tokens, of one
    frequency = max(frequency, _MINIMUM_FREQUENCY)
    # rounded to 3 significant digits
    return round(frequency, math.floor(-math.log(frequency, 10)) + 3)  # noqa: FURB163
