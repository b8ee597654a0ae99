"""The cyclic garbage collector is paused for a block and left as it was found
(pipeline/runtime/collector.py)."""

import gc

import pytest

from pipeline.runtime.collector import collector_paused


def test_the_collector_is_paused_for_the_block_and_restored_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():  # a caller that paused it itself keeps it paused
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("a failed write")
    assert gc.isenabled()
