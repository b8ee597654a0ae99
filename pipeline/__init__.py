"""Extract the IECMH competency crosswalk and related guidelines into validated datasets.

One subpackage per job — ``extract``, ``transform``, ``validate``, ``load`` (the four
stages), ``versions`` (reading, comparing and describing builds), ``metadata`` (the data
contract), ``cli`` (the ``crosswalk`` command) and ``data`` (the pipeline's own data
files) — and a few modules every stage shares: ``errors``, ``codes``, ``limits`` (the
input limits), ``sources`` (the manifest), ``formats`` (the registry of source formats),
``accounting`` (where every row went), ``stages`` (the stages chained into a build) and
``__main__`` (the command's entry point).
"""
