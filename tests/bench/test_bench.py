"""`make bench` runs to the end: a section that breaks down is a FAILED row and the others
still run; the exit status is 0 only when every row was measured. A child's peak memory is
its own, not the largest of every child so far. The long PDF's copies are renumbered.
The imports of a first build are the modules one loaded, imported without running it."""

import os
import sys

import pandas as pd

from bench import bench
from bench.floors import imports_command, recording_build_command
from bench.large_pdf import _copies
from bench.measure import median_in_child, run_child
from bench.report import Row


def test_a_failing_section_is_a_failed_row_and_the_next_section_still_runs(monkeypatch, capsys):
    def broken(details):
        raise RuntimeError("duplicate competency code 3C.3: page 14 has other text")

    monkeypatch.setattr(bench, "SECTIONS", (
        ("PDF", broken), ("text", lambda details: [Row("cold build", 2.0)])))
    assert bench.main() == 1
    out = capsys.readouterr().out
    assert "FAILED: duplicate competency code 3C.3: page 14 has other text" in out
    assert "cold build" in out


def test_the_exit_status_is_0_when_every_row_was_measured(monkeypatch, capsys):
    monkeypatch.setattr(bench, "SECTIONS", (("text", lambda details: [Row("cold build", 2.0)]),))
    assert bench.main() == 0


def test_a_small_child_measured_after_a_large_one_reports_its_own_peak():
    large = run_child([sys.executable, "-c", "b = bytearray(300 * 2**20); b[::4096] = b'x' * len(b[::4096])"])
    small = run_child([sys.executable, "-c", "pass"])
    assert large.returncode == small.returncode == 0
    assert large.peak_mib > 300 > small.peak_mib


def test_a_child_of_a_large_bench_process_reports_its_own_peak():
    # Linux counts the parent's size at exec in a forked child's peak: the launcher keeps
    # a large bench process (the PDF measures) out of its children's figures.
    large = bytearray(400 * 2**20)
    large[::4096] = b"x" * len(large[::4096])
    small = run_child([sys.executable, "-c", "pass"])
    assert small.returncode == 0 and small.peak_mib < 200
    del large


def test_a_child_that_fails_says_its_last_line_of_stderr():
    child = run_child([sys.executable, "-c", "raise SystemExit('no such source')"])
    try:
        child.check()
    except RuntimeError as error:
        assert str(error) == "no such source"
    else:
        raise AssertionError("check() let a failed child pass")


def test_copies_of_a_category_are_numbered_on_after_its_competencies():
    # 3C.2 has two mapping rows: each copy of it keeps both, under one new code.
    rows = pd.DataFrame({"coe_code": ["3C.1", "3C.2", "3C.2", "4A.1"],
                         "coe_category_code": ["3C", "3C", "3C", "4A"],
                         "mapping_seq": ["1", "1", "2", "1"]})
    copies = _copies(rows, 3, "coe_category_code")
    assert list(copies["coe_code"]) == ["3C.1", "3C.2", "3C.2", "3C.3", "3C.4", "3C.4",
                                        "3C.5", "3C.6", "3C.6", "4A.1", "4A.2", "4A.3"]
    assert list(copies["mapping_seq"]) == ["1", "1", "2"] * 3 + ["1"] * 3


def test_a_function_is_timed_in_a_python_of_its_own():
    seconds, first = median_in_child("os.getpid", [], 3)
    assert first != os.getpid() and 0 <= seconds < 5


def test_the_imports_of_a_first_build_are_what_one_loaded_imported_without_building(tmp_path):
    listing = tmp_path / "modules.txt"
    run_child(recording_build_command(listing, "build", "--out", str(tmp_path / "built"))).check()
    names = listing.read_text().split()
    assert {"pandas", "pandera", "pipeline.stages", "pipeline.load.publish"} <= set(names)
    assert "__main__" not in names and "hypothesis" not in names  # as a user's installation
    assert names.index("pipeline") < names.index("pipeline.stages")
    assert (tmp_path / "built" / "datapackage.json").is_file()

    (tmp_path / "built").rename(tmp_path / "earlier")
    run_child(imports_command(listing)).check()
    assert not (tmp_path / "built").exists()  # imported, nothing run
