"""How every ``crosswalk`` command reports a failure: one line (the file, the line or page,
what is wrong, what to do), an exit code, and a traceback only with ``--debug``."""

from __future__ import annotations

import sys
from functools import wraps

import click

from pipeline.errors import PipelineError


def debug_requested() -> bool:
    context = click.get_current_context(silent=True)
    return bool(context and context.find_root().params.get("debug"))


def friendly(command=None, *, exit_code: int | None = None):
    """Decorate a click command: PipelineError → its message and its exit code (or
    ``exit_code`` for every error, as ``crosswalk diff`` keeps 1 for "different");
    Ctrl-C → exit 130; anything unforeseen → a message and exit 2."""

    def decorate(function):
        @wraps(function)
        def run(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except PipelineError as error:
                if debug_requested():
                    raise
                click.echo(f"error: {error}", err=True)
                sys.exit(exit_code or error.exit_code)
            except (click.exceptions.Exit, click.ClickException):
                raise
            except KeyboardInterrupt:
                click.echo("interrupted: the published files were left as they were", err=True)
                sys.exit(130)
            except Exception as error:  # a case no rule foresaw: say so, without a traceback
                if debug_requested():
                    raise
                click.echo(f"error: unexpected {type(error).__name__}: {error}\n"
                           "  → run again with --debug for the traceback and report it", err=True)
                sys.exit(2)

        return run

    return decorate(command) if command is not None else decorate
