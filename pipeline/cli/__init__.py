"""The ``crosswalk`` command: a thin click group over the library.

Each command is a plain function in :mod:`pipeline.cli.stages` (``def build``, ``def
extract``, …) or :mod:`pipeline.cli.versions` (``def diff``, ``def changelog``, ``def
show``) that parses its arguments, calls one library function and prints. This module
only gathers them into one group.

Exit codes: 0 success, 1 validation failed (``diff``: different), 2 bad input or usage.
"""

from __future__ import annotations

import logging

import click

from pipeline.cli.stages import build, docs, extract, normalize, publish, sources, validate
from pipeline.cli.versions import changelog, diff, show


@click.group()
@click.option("--debug", is_flag=True, help="Show Python tracebacks.")
def main(debug: bool) -> None:
    """Extract the IECMH competency crosswalk into validated open datasets."""
    # Notices of the library (e.g. a source decoded from UTF-16) go to stderr as plain lines.
    logging.basicConfig(level=logging.INFO, format="notice: %(message)s", force=True)


for _command in (build, extract, normalize, validate, publish, sources, docs,
                 diff, changelog, show):
    main.add_command(_command)
