"""How every command ends when something outside the data goes wrong: a stop signal
(SIGINT, SIGTERM, SIGHUP) cleans up and exits 128 + n; an error of the machine
(permissions, a read-only or full disk, too many open files) says so, exit 2, without a
"report it"."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pipeline.cli.errors import friendly

ROOT = Path(__file__).resolve().parents[2]


def _wait_until_stop_signals_are_caught(pid: int, timeout: float = 60) -> None:
    """Wait until the program catches every stop signal (its entry point's first act), read
    from the kernel's mask of caught signals: a signal sent before that would end Python
    itself, not the program, however fast or loaded the machine."""
    wanted = sum(1 << (s - 1) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = Path(f"/proc/{pid}/status").read_text()
        caught = int(next(line.split()[1] for line in status.splitlines()
                          if line.startswith("SigCgt:")), 16)
        if caught & wanted == wanted:
            return
        time.sleep(0.002)
    raise AssertionError("the program never caught the stop signals")


def _command_raising(error: BaseException):
    @click.command()
    @friendly
    def command() -> None:
        raise error

    return command


@pytest.mark.parametrize("error, words", [
    pytest.param(PermissionError(errno.EACCES, "Permission denied", "/srv/build/crosswalk.csv"),
                 ["/srv/build/crosswalk.csv: permission denied", "permissions"], id="permission"),
    pytest.param(OSError(errno.EROFS, "Read-only file system", "/mnt/ro/build"),
                 ["/mnt/ro/build: read-only file system", "--out"], id="read-only"),
    pytest.param(OSError(errno.ENOSPC, "No space left on device", "build/.build-tmp-1/x"),
                 ["no space left on the device", "free some disk space"], id="disk-full"),
    pytest.param(OSError(errno.EMFILE, "Too many open files"),
                 ["too many open files", "ulimit"], id="open-files"),
])
def test_an_error_of_the_machine_is_named_as_such(error, words):
    result = CliRunner().invoke(_command_raising(error))
    assert result.exit_code == 2
    for word in words:
        assert word in result.output
    assert "report it" not in result.output and "unexpected" not in result.output


def test_an_unforeseen_os_error_is_still_reported_as_a_bug():
    result = CliRunner().invoke(_command_raising(OSError(errno.EBADF, "Bad file descriptor")))
    assert result.exit_code == 2 and "report it" in result.output


def _published(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT],
                         ids=["SIGTERM", "SIGHUP", "SIGINT"])
@pytest.mark.parametrize("moment", [None, "extract:", "normalize: rows", "validate:"],
                         ids=["starting", "extracting", "normalizing", "validated"])
def test_a_stop_signal_mid_build_cleans_up_and_leaves_the_build_as_it_was(tmp_path, signum,
                                                                          moment):
    """The signal goes at a moment of the build, told by the build's own progress lines
    (``None``: while the program is still starting), so the test does not depend on how
    fast the machine is."""
    out = tmp_path / "build"
    shutil.copytree(ROOT / "build", out, ignore=shutil.ignore_patterns("interim", "reports"))
    before = _published(out)
    crosswalk = Path(sys.executable).parent / "crosswalk"
    process = subprocess.Popen([str(crosswalk), "build", "--raw", str(ROOT / "raw"), "--out",
                                str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "CI": "1"}, text=True)
    seen = []
    if moment is None:
        _wait_until_stop_signals_are_caught(process.pid)
    else:
        for line in process.stderr:
            seen.append(line)
            if line.startswith(moment):
                break
    process.send_signal(signum)
    _, rest = process.communicate(timeout=120)
    stderr = "".join(seen) + rest
    assert process.returncode == 128 + signum, stderr
    assert "Traceback" not in stderr
    assert [p.name for p in out.iterdir() if p.name.startswith(".build-tmp-")] == []
    assert _published(out) == before
