"""How every ``crosswalk`` command reports a failure: one line (the file, the line or page,
what is wrong, what to do), an exit code, and a traceback only with ``--debug``."""

from __future__ import annotations

import contextlib
import errno
import signal
import sys
from collections.abc import Iterator
from functools import wraps

import click

from pipeline.errors import PipelineError


def debug_requested() -> bool:
    context = click.get_current_context(silent=True)
    return bool(context and context.find_root().params.get("debug"))


#: Signals that end a command like Ctrl-C: clean-up runs, then exit 128 + the signal.
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                     if hasattr(signal, name))
#: What the system says, errno → (what it means, what to do): a problem of the machine,
#: not of the program.
ENVIRONMENT_ERRORS = {
    errno.EACCES: ("permission denied", "check the permissions of the folder or file"),
    errno.EPERM: ("operation not permitted", "check the permissions of the folder or file"),
    errno.EROFS: ("read-only file system", "write the build to a writable folder (--out)"),
    errno.ENOSPC: ("no space left on the device", "free some disk space and build again"),
    errno.EDQUOT: ("disk quota exceeded", "free some disk space and build again"),
    errno.EMFILE: ("too many open files", "raise the open-file limit (ulimit -n) and build again"),
    errno.ENFILE: ("too many open files in the system", "close other programs and build again"),
}


class Stopped(KeyboardInterrupt):
    """A stop signal, raised where the program is so that every clean-up runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def stop_signals_interrupt() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP raise :class:`Stopped` (a KeyboardInterrupt) where the
    program is, so every ``finally`` runs (SIGTERM's default would kill the process before
    any did)."""
    def stop(signum, frame):
        raise Stopped(signum)

    previous = {}
    try:
        for signum in STOP_SIGNALS:
            previous[signum] = signal.signal(signum, stop)
    except ValueError:  # not the main thread: signals stay as they are
        pass
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def environment_message(error: OSError) -> str | None:
    """A clear message for an error of the machine (permissions, disk, limits), or None.

    >>> environment_message(PermissionError(13, "Permission denied", "build/x.csv"))
    'build/x.csv: permission denied\\n  → check the permissions of the folder or file'
    """
    known = ENVIRONMENT_ERRORS.get(error.errno)
    if known is None:
        return None
    meaning, hint = known
    where = error.filename or error.filename2
    return f"{where}: {meaning}\n  → {hint}" if where else f"{meaning}\n  → {hint}"


def friendly(command=None, *, exit_code: int | None = None):
    """Decorate a click command: PipelineError → its message and its exit code (or
    ``exit_code`` for every error, as ``crosswalk diff`` keeps 1 for "different");
    Ctrl-C, SIGTERM, SIGHUP → exit 128 + the signal once every clean-up ran; an error of
    the machine (permissions, disk space, open files) → what it is and exit 2; anything
    unforeseen → a message and exit 2."""

    def decorate(function):
        @wraps(function)
        def run(*args, **kwargs):
            try:
                with stop_signals_interrupt():
                    return function(*args, **kwargs)
            except PipelineError as error:
                if debug_requested():
                    raise
                click.echo(f"error: {error}", err=True)
                sys.exit(exit_code or error.exit_code)
            except (click.exceptions.Exit, click.ClickException):
                raise
            except KeyboardInterrupt as stop:
                signum = stop.signum if isinstance(stop, Stopped) else signal.SIGINT
                click.echo("interrupted: the published files were left as they were", err=True)
                sys.exit(128 + signum)
            except OSError as error:
                message = environment_message(error)
                if message is None or debug_requested():
                    if debug_requested():
                        raise
                    click.echo(f"error: unexpected {type(error).__name__}: {error}\n"
                               "  → run again with --debug for the traceback and report it",
                               err=True)
                    sys.exit(2)
                click.echo(f"error: {message}", err=True)
                sys.exit(2)
            except Exception as error:  # a case no rule foresaw: say so, without a traceback
                if debug_requested():
                    raise
                click.echo(f"error: unexpected {type(error).__name__}: {error}\n"
                           "  → run again with --debug for the traceback and report it", err=True)
                sys.exit(2)

        return run

    return decorate(command) if command is not None else decorate
