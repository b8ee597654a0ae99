"""Python's cyclic garbage collector, held off where a stage makes many objects and no
reference cycles.

Each collection that a burst of allocations sets off walks every object the program
keeps (the tables of the earlier stages, the libraries' own), some 0.05–0.1 s a full
pass. Where a stage builds tens of thousands of rows, cells, strings or index entries,
none in a cycle, reference counting frees them all the same, and the collections only
cost time: the slip index of the cell repairs
(:mod:`pipeline.transform.cells.consistency`) and publishing (:mod:`pipeline.load`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector held off for the block, then as it was before (a caller that
    paused it itself keeps it paused), also when the block fails."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
