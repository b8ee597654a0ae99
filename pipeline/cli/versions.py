"""``crosswalk diff``, ``changelog``, ``release``, ``show`` and ``--version``: versions of
the data.

Thin commands over :mod:`pipeline.versions` (the diff and the documents it builds, its
formats, the changelog, the release and ``show``), gathered into the ``crosswalk`` group
by :mod:`pipeline.cli`. Libraries are imported inside the commands, so ``crosswalk
--help`` stays fast.

Exit codes follow ``diff``: 0 identical, 1 different, 2 error (bad input or usage).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from pipeline.cli.errors import friendly
from pipeline.formats import FORMATS

BUILD_HELP = "a build folder, its datapackage.json, or git:REV (that revision's build/)"


#: The distribution that installs the ``pipeline`` package (pyproject.toml's name).
DISTRIBUTION = "iecmh-crosswalk"


def _log(message: str) -> None:
    click.echo(message, err=True)


def print_version(context: click.Context, parameter: click.Parameter, value: bool) -> None:
    """``crosswalk --version``: the code's version (the installed distribution) and the
    data's (``pipeline/data/release.toml``), e.g. ``crosswalk 0.1.0 (data 1.1.0)``."""
    if not value or context.resilient_parsing:
        return
    from importlib.metadata import PackageNotFoundError, version

    from pipeline.errors import PipelineError
    from pipeline.load.datapackage import release_version

    try:
        code = version(DISTRIBUTION)
    except PackageNotFoundError:  # run from a checkout that was never installed
        code = "unknown (not installed)"
    try:
        data = release_version()
    except PipelineError as error:
        click.echo(f"error: {error}", err=True)
        context.exit(2)
    click.echo(f"crosswalk {code} (data {data})")
    context.exit(0)


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
@click.option("--source-format", type=click.Choice(sorted(FORMATS)), default=None,
              help="The format of OLD and NEW when they are source files (default: detected).")
@friendly(exit_code=2)
def diff(old: str, new: str, output_format: str, datasets: tuple[str, ...],
         include_provenance: bool, source_format: str | None) -> None:
    """Compare two builds dataset by dataset: rows by key, renumbered rows by content.

    OLD and NEW are each a build folder, its datapackage.json, or git:REV (the build/
    committed at REV, read with git show) — or documents, built first in a temporary
    folder: a raw folder (with a sources.toml), or a source file such as a PDF or a text
    export (two files must be of the same kind). Prints a summary, then every added,
    removed, changed and renumbered row (3B.2 → 3B.3: a competency that took a new code,
    its mapping rows with it; changed fields old → new, a word diff for text). Rows whose
    only change is their source line or page count as moved.

    Exit status: 0 identical, 1 different, 2 error.
    """
    from pipeline.versions.diff import diff_builds
    from pipeline.versions.diff_format import format_json, format_markdown, format_text
    from pipeline.versions.documents import open_sides

    # The builds of documents read their files from here until the diff is made.
    with tempfile.TemporaryDirectory(prefix="crosswalk-diff-") as work:
        sides = open_sides(old, new, Path(work), _log, source_format=source_format)
        result = diff_builds(*sides, datasets or None)
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
    minor for rows added or removed, patch for text corrections only. OLD and NEW are
    builds, as for `crosswalk diff` (a build folder, its datapackage.json or git:REV).
    Without --output the entry is printed.
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
    git textconv driver it makes `git diff` of build/*.parquet readable (see docs/maintainers.md).
    """
    from pipeline.versions.show import show_file

    click.echo(show_file(file), nl=False)


@click.command(name="release")
@click.option("--bump", type=click.Choice(["auto", "patch", "minor", "major"]), default="auto",
              show_default=True,
              help="auto: the bump the changes need; a lower one is refused, a higher one taken.")
@click.option("--date", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Date for the changelog entry's heading (none by default).")
@click.option("--raw", "raw_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("raw"), show_default=True, help="Folder of the sources.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("build"), show_default=True, help="Folder of the build.")
@friendly
def release(bump: str, date, raw_dir: Path, out_dir: Path) -> None:
    """Release the current data as the next version, from the changes since the last one.

    Compares a build of the sources with the build/ of the newest data-vX.Y.Z tag (or of
    HEAD when none is tagged), sets the version the changes need in
    pipeline/data/release.toml, rebuilds --out and writes the CHANGELOG.md entry, then
    prints the git commands that commit and tag the release. Nothing changed: nothing
    written. A failure leaves release.toml, CHANGELOG.md and the build as they were.
    """
    from pipeline.versions.release import make_release

    done = make_release(raw_dir, out_dir, bump=bump,
                        date=date.strftime("%Y-%m-%d") if date else None, log=_log)
    if done.version is None:
        click.echo(f"no change to the data since {done.baseline} ({done.old_version}): "
                   "nothing to release")
        return
    click.echo(f"data {done.old_version} → {done.version} ({done.bump}; the changes need "
               f"{done.needed}), compared with {done.baseline}")
    click.echo("review the changes, then commit and tag the release:")
    click.echo("  " + " && ".join(done.commands))
