"""How a build runs, apart from what its stages do: what it may reuse from the last build
and how it spends its time.

* :mod:`pipeline.runtime.build_cache` — a ``crosswalk build`` whose sources, manifest,
  code and libraries did not change publishes the last build's validated tables again;
* :mod:`pipeline.runtime.collector` — the garbage collector held off where a stage makes
  many objects and no reference cycles.
"""
