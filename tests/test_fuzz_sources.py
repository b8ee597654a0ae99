"""Fuzzing real source lines: the pipeline builds or fails with its own error — never an
unhandled exception, never a partial build/."""

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import stages
from pipeline.errors import PipelineError
from pipeline.sources import update_checksums

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
MAIN = "coe-alliance-crosswalk-2023.txt"
LINES = (RAW / MAIN).read_text(encoding="utf-8").split("\n")
FIRST_TABLE_LINE = next(i for i, line in enumerate(LINES) if line.startswith("IECMH Consultation"))

line_index = st.integers(min_value=FIRST_TABLE_LINE, max_value=len(LINES) - 1)
mutation = st.one_of(
    st.tuples(st.just("drop"), line_index),
    st.tuples(st.just("duplicate"), line_index),
    st.tuples(st.just("swap"), line_index, line_index),
    st.tuples(st.just("truncate"), line_index, st.floats(0, 1)),
    st.tuples(st.just("insert"), line_index, st.binary(min_size=1, max_size=12)),
)


def mutate(lines: list[str], change: tuple) -> bytes:
    lines = list(lines)
    kind, index, *rest = change
    if kind == "drop":
        del lines[index]
    elif kind == "duplicate":
        lines.insert(index, lines[index])
    elif kind == "swap":
        other = rest[0]
        lines[index], lines[other] = lines[other], lines[index]
    elif kind == "truncate":
        lines[index] = lines[index][: int(len(lines[index]) * rest[0])]
    data = "\n".join(lines).encode("utf-8")
    if kind == "insert":
        at = len("\n".join(lines[:index]).encode("utf-8"))
        data = data[:at] + rest[0] + data[at:]
    return data


@pytest.mark.slow
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(changes=st.lists(mutation, min_size=1, max_size=3))
def test_mutated_source_builds_or_fails_with_the_projects_error(tmp_path_factory, changes):
    work = tmp_path_factory.mktemp("fuzz")
    raw = work / "raw"
    shutil.copytree(RAW, raw)
    lines = LINES
    data = b""
    for change in changes:
        data = mutate(lines, change)
        lines = data.decode("utf-8", errors="replace").split("\n")
    (raw / MAIN).write_bytes(data)
    update_checksums(raw)
    out = work / "build"
    shutil.copytree(ROOT / "build", out, ignore=shutil.ignore_patterns("interim", "reports"))
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    try:
        stages.run_build(stages.Paths(raw, out), log=lambda message: None)
    except PipelineError as error:
        assert str(error)
        assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert not list(out.glob(".build-tmp-*"))
