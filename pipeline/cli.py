"""The ``crosswalk`` command: a thin click layer over :mod:`pipeline.stages`.

Exit codes: 0 success, 1 validation failed, 2 bad input or usage.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from pipeline import stages
from pipeline.cli_errors import friendly
from pipeline.sources import update_checksums

_raw = click.option("--raw", "raw_dir", type=click.Path(file_okay=False, path_type=Path),
                    default=Path("raw"), show_default=True, help="Folder of the sources.")
_out = click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                    default=Path("build"), show_default=True, help="Folder of the build.")


def _log(message: str) -> None:
    click.echo(message, err=True)


@click.group()
@click.option("--debug", is_flag=True, help="Show Python tracebacks.")
def main(debug: bool) -> None:
    """Extract the IECMH competency crosswalk into validated open datasets."""
    # Notices of the library (e.g. a source decoded from UTF-16) go to stderr as plain lines.
    logging.basicConfig(level=logging.INFO, format="notice: %(message)s", force=True)


@main.command()
@_raw
@click.option("--update", is_flag=True, help="Accept changed files: rewrite their sha256.")
@friendly
def sources(raw_dir: Path, update: bool) -> None:
    """Check every source against raw/sources.toml (or accept changes with --update)."""
    if update:
        changed = update_checksums(raw_dir)
        for source_id, old, new in changed:
            click.echo(f"{source_id}: sha256 {old[:12]}… → {new[:12]}…")
        click.echo(f"{len(changed)} checksum(s) updated" if changed else "all checksums current")
        return
    found = stages.checked_sources(stages.Paths(raw_dir, Path("build")))
    for source in found:
        click.echo(f"{source.id}\t{source.format}\t{source.path}\tok")


_profile = click.option(
    "--profile", type=click.Choice(["full", "codes-only"]), default="full", show_default=True,
    help="codes-only: publish codes, vocabularies, mappings, alignment, priority and levels "
    "but none of the copyrighted verbatim text columns (publish it to its own --out).")


_engine = click.option(
    "--engine", type=click.Choice(["pdfplumber", "camelot"]), default=None,
    help="Table engine for PDF sources, overriding each source's [source.settings] engine.")


def _stage_command(name: str, function, doc: str, publishes: bool = False,
                   extracts: bool = False):
    def command(raw_dir: Path, out_dir: Path, profile: str = "full",
                engine: str | None = None) -> None:
        function(stages.Paths(raw_dir, out_dir, profile=profile, engine=engine), _log)

    command = friendly(command)
    if publishes:
        command = _profile(command)
    if extracts:
        command = _engine(command)
    return main.command(name=name, help=doc)(_raw(_out(command)))


@main.command()
@click.option("--readme", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=Path("README.md"), show_default=True)
@click.option("--check", is_flag=True, help="Exit 1 if the README is not current.")
def docs(readme: Path, check: bool) -> None:
    """Render the README's data dictionary from the contract (pipeline/metadata)."""
    from pipeline.data_dictionary import with_data_dictionary
    from pipeline.metadata import TABLES

    text = readme.read_text(encoding="utf-8")
    fresh = with_data_dictionary(text, TABLES.values())
    if check:
        if fresh != text:
            click.echo(f"{readme}: the data dictionary is stale; run `crosswalk docs`", err=True)
            sys.exit(1)
        return
    readme.write_text(fresh, encoding="utf-8")
    click.echo(f"{readme}: data dictionary written")


_stage_command("extract", stages.run_extract, "Extract raw tables from every source.",
               extracts=True)
_stage_command("normalize", stages.run_normalize, "Clean the extracted tables.")
_stage_command("validate", stages.run_validate,
               "Validate the clean tables; on failure write build/reports/ and exit 1.")
_stage_command("publish", stages.run_publish, "Write CSV, JSON, Parquet and datapackage.json.",
               publishes=True)
_stage_command("build", stages.run_build, "Run extract, normalize, validate and publish.",
               publishes=True, extracts=True)

# Versions of the published data (diff, changelog, show) are defined in their own module,
# which cannot import `main` from here without a circular import.
from pipeline.cli_versions import changelog_command, diff_command, show_command  # noqa: E402

main.add_command(diff_command)
main.add_command(changelog_command)
main.add_command(show_command)
