"""The content checks made before a page is read: the vectorised ASCII85 decoder agrees
with pdfminer's on every input, decodable or not (pdfminer decides what is an error)."""

from __future__ import annotations

import base64

from hypothesis import given
from hypothesis import strategies as st
from pdfminer.ascii85 import ascii85decode

from pipeline.extract.pdf_checks import _ascii85decode


def _outcome(decode, data: bytes):
    try:
        return decode(data)
    except Exception as error:  # the same kind of error counts as the same outcome
        return type(error)


@given(st.binary(max_size=300), st.sampled_from([0, 7, 75]), st.booleans(),
       st.sampled_from([b"", b" ", b"\n", b"~"]),
       st.sampled_from([b"", b" ", b"\n", b"~", b"~ >", b"~>\n"]))
def test_ascii85_streams_decode_as_pdfminer_decodes_them(data, wrap, adobe, before, after):
    # Runs of zero bytes become ``z`` groups, which the decoder must place exactly.
    stream = before + base64.a85encode(data + bytes(8), wrapcol=wrap, adobe=adobe) + after
    assert _outcome(_ascii85decode, stream) == _outcome(ascii85decode, stream)


@given(st.binary(max_size=60))
def test_arbitrary_bytes_decode_or_fail_as_pdfminer_decides(stream):
    assert _outcome(_ascii85decode, stream) == _outcome(ascii85decode, stream)


def test_a_z_inside_a_group_is_left_to_pdfminer_to_refuse():
    assert _outcome(_ascii85decode, b"!!z!!!") is ValueError
