"""The ``crosswalk`` command: a thin click group over the library.

Each command is a plain function in :mod:`pipeline.cli.stages` (``def build``, ``def
extract``, …) or :mod:`pipeline.cli.versions` (``def diff``, ``def changelog``, ``def
release``, ``def show``) that parses its arguments, calls one library function and
prints, every one wrapped by :func:`pipeline.cli.errors.friendly`. This module only
gathers them into one group.

Exit codes: 0 success, 1 validation failed (``diff``: different), 2 bad input or usage.
"""

from __future__ import annotations

import logging

import click

from pipeline.cli.sources import sources
from pipeline.cli.stages import build, docs, extract, normalize, publish, validate
from pipeline.cli.versions import changelog, diff, print_version, release, show


@click.group()
@click.option("--debug", is_flag=True, help="Show Python tracebacks.")
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=print_version, help="Show the code and data versions and exit.")
def main(debug: bool) -> None:
    """Extract the IECMH competency crosswalk into validated open datasets."""
    # Notices of the library (e.g. a source decoded from UTF-16) go to stderr as plain lines;
    # the traceback a PDF library logs with its notice only with --debug.
    handler = logging.StreamHandler()
    handler.setFormatter((logging.Formatter if debug else _Notice)("notice: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)


class _Notice(logging.Formatter):
    """A notice on one line, without the traceback a library may attach to it."""

    def formatException(self, exc_info) -> str:
        return ""

    def formatStack(self, stack_info: str) -> str:
        return ""


for _command in (build, extract, normalize, validate, publish, sources, docs,
                 diff, changelog, release, show):
    main.add_command(_command)
