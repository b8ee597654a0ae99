"""wordfreq's English frequencies read from its table give what wordfreq itself gives."""

import subprocess
import sys

import pytest
from wordfreq import zipf_frequency

from pipeline.transform.cells import word_frequencies
from pipeline.transform.cells.word_frequencies import zipf


def test_every_bucket_gives_wordfreqs_zipf():
    # The first and last plain word of every frequency bucket, from "the" to the rarest.
    table = word_frequencies._bucket_of_word()
    assert table is not None, "wordfreq's large_en table was not found"
    first_and_last: dict[int, list[str]] = {}
    for word, bucket in table.items():
        if word_frequencies._PLAIN_TOKEN.fullmatch(word):
            first_and_last.setdefault(bucket, [word, word])[1] = word
    words = [word for pair in first_and_last.values() for word in pair]
    assert len(first_and_last) > 500
    assert [zipf(word) for word in words] == [zipf_frequency(word, "en") for word in words]


@pytest.mark.parametrize("word", [
    pytest.param("relationship", id="common"),
    pytest.param("supervisees", id="rare-domain-word"),
    pytest.param("acrossmultiple", id="glued-not-in-table"),
    pytest.param("cused", id="wrap-fragment"),
    pytest.param("one's", id="apostrophe"),
    pytest.param("hawai'i", id="inner-apostrophe"),
    pytest.param("naïve", id="non-ascii-handed-to-wordfreq"),
    pytest.param("inc1ude", id="digit-handed-to-wordfreq"),
    pytest.param("to-other", id="hyphen-handed-to-wordfreq"),
    pytest.param("", id="empty"),
])
def test_words_of_the_sources_score_as_in_wordfreq(word):
    assert zipf(word) == zipf_frequency(word, "en")


def test_plain_words_are_scored_without_importing_wordfreq():
    code = ("import sys\n"
            "from pipeline.transform.cells.lexicon import Lexicon\n"
            "assert Lexicon.default().is_word('Relationship')\n"
            "assert not Lexicon.default().is_word('cused')\n"
            "print('wordfreq' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"
