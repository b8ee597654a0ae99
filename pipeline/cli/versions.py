"""``crosswalk diff``, ``crosswalk changelog`` and ``crosswalk show``: versions of the data.

Thin commands over :mod:`pipeline.versions` (the diff, its formats, the changelog and
``show``), gathered into the ``crosswalk`` group by :mod:`pipeline.cli`. Libraries are
imported inside the commands, so ``crosswalk --help`` stays fast.

Exit codes follow ``diff``: 0 identical, 1 different, 2 error (bad input or usage).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from pipeline.cli.errors import friendly

BUILD_HELP = "a build folder, its datapackage.json, or git:REV (that revision's build/)"


def _color() -> bool:
    """Colour on a terminal only: never in a pipe or a file, never in CI (some CI runners
    give the job a terminal; they set CI), never with NO_COLOR (no-color.org)."""
    return sys.stdout.isatty() and not {"NO_COLOR", "CI"} & set(os.environ)


_datasets = click.option("--dataset", "datasets", multiple=True, metavar="NAME",
                         help="Compare only this dataset (repeatable).")


@click.command(name="diff")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json"]),
              default="text", show_default=True, help="Report format.")
@_datasets
@click.option("--include-provenance", is_flag=True,
              help="List rows that only moved (source line/page/id) and provenance changes.")
@friendly(exit_code=2)
def diff(old: str, new: str, output_format: str, datasets: tuple[str, ...],
                 include_provenance: bool) -> None:
    """Compare two builds dataset by dataset, rows matched on their key.

    OLD and NEW are each a build folder, its datapackage.json, or git:REV (the build/
    committed at REV, read with git show). Prints a summary, then every added, removed
    and changed row (changed fields old → new, a word diff for text). Rows whose only
    change is their source line or page count as moved.

    Exit status: 0 identical, 1 different, 2 error.
    """
    from pipeline.versions.diff import diff_builds
    from pipeline.versions.diff_format import format_json, format_markdown, format_text

    result = diff_builds(old, new, datasets or None)
    if output_format == "json":
        report = format_json(result)
    elif output_format == "markdown":
        report = format_markdown(result, include_provenance=include_provenance)
    else:
        report = format_text(result, color=_color(), include_provenance=include_provenance)
    click.echo(report, nl=False, color=_color())
    sys.exit(0 if result.identical else 1)


@click.command(name="changelog")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Insert the entry into this file (e.g. CHANGELOG.md) above the newest one.")
@click.option("--date", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Date for the entry's heading (none by default: no clock in the data).")
@_datasets
@friendly(exit_code=2)
def changelog(old: str, new: str, output: Path | None, date, datasets) -> None:
    """Write a CHANGELOG entry (Markdown) for the changes from OLD to NEW.

    The entry suggests the version bump the changes need: major for a contract change,
    minor for rows added or removed, patch for text corrections only. OLD and NEW as for
    `crosswalk diff`. Without --output the entry is printed.
    """
    from pipeline.versions.changelog import changelog_entry, insert_entry
    from pipeline.versions.diff import diff_builds

    result = diff_builds(old, new, datasets or None)
    if result.bump == "none":
        click.echo("no change to the data: no changelog entry", err=True)
        return
    entry = changelog_entry(result, date=date.strftime("%Y-%m-%d") if date else None)
    if output is None:
        click.echo(entry.text, nl=False)
    else:
        current = output.read_text(encoding="utf-8") if output.is_file() else None
        output.write_text(insert_entry(current, entry), encoding="utf-8")
        click.echo(f"{output}: entry {entry.version} written ({entry.bump})", err=True)
    if entry.release_needs_update:
        click.echo(f'note: the new build says version {entry.declared or "-"}; set version = '
                   f'"{entry.version}" in pipeline/data/release.toml and rebuild', err=True)


@click.command(name="show")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@friendly(exit_code=2)
def show(file: Path) -> None:
    """Print a published CSV, JSON or Parquet file as sorted text, one row per line.

    Rows are JSON objects in key order, so the three formats print the same lines. As a
    git textconv driver it makes `git diff` of build/*.parquet readable (see README).
    """
    from pipeline.versions.show import show_file

    click.echo(show_file(file), nl=False)
