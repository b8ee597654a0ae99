"""``crosswalk build`` and the commands of its stages, the manifest and the docs.

Each command is a thin call into :mod:`pipeline.stages` (or :mod:`pipeline.sources`,
:mod:`pipeline.metadata.data_dictionary`); the library prints its progress through the
``log`` function given to it, here lines on stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline import stages
from pipeline.cli.errors import friendly
from pipeline.metadata.profiles import PROFILES
from pipeline.sources import update_checksums

_raw = click.option("--raw", "raw_dir", type=click.Path(file_okay=False, path_type=Path),
                    default=Path("raw"), show_default=True, help="Folder of the sources.")
_out = click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                    default=Path("build"), show_default=True, help="Folder of the build.")
_profile = click.option(
    "--profile", type=click.Choice(PROFILES), default="full", show_default=True,
    help="codes-only: publish codes, vocabularies, mappings, alignment, priority and levels "
    "but none of the copyrighted verbatim text columns (publish it to its own --out).")
_engine = click.option(
    "--engine", type=click.Choice(["pdfplumber", "camelot"]), default=None,
    help="Table engine for PDF sources, overriding each source's [source.settings] engine.")


def _log(message: str) -> None:
    click.echo(message, err=True)


@click.command()
@_raw
@_out
@_profile
@_engine
@friendly
def build(raw_dir: Path, out_dir: Path, profile: str, engine: str | None) -> None:
    """Run extract, normalize, validate and publish."""
    stages.run_build(stages.Paths(raw_dir, out_dir, profile=profile, engine=engine), _log)


@click.command()
@_raw
@_out
@_engine
@friendly
def extract(raw_dir: Path, out_dir: Path, engine: str | None) -> None:
    """Extract raw tables from every source."""
    stages.run_extract(stages.Paths(raw_dir, out_dir, engine=engine), _log)


@click.command()
@_raw
@_out
@friendly
def normalize(raw_dir: Path, out_dir: Path) -> None:
    """Clean the extracted tables."""
    stages.run_normalize(stages.Paths(raw_dir, out_dir), _log)


@click.command()
@_raw
@_out
@friendly
def validate(raw_dir: Path, out_dir: Path) -> None:
    """Validate the clean tables; on failure write build/reports/ and exit 1."""
    stages.run_validate(stages.Paths(raw_dir, out_dir), _log)


@click.command()
@_raw
@_out
@_profile
@friendly
def publish(raw_dir: Path, out_dir: Path, profile: str) -> None:
    """Write CSV, JSON, Parquet and datapackage.json."""
    stages.run_publish(stages.Paths(raw_dir, out_dir, profile=profile), _log)


@click.command()
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


@click.command()
@click.option("--file", "doc", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=Path("docs/datasets.md"), show_default=True,
              help="The page whose data-dictionary block is rendered.")
@click.option("--check", is_flag=True, help="Exit 1 if the data dictionary is not current.")
def docs(doc: Path, check: bool) -> None:
    """Render the data dictionary of docs/datasets.md from the contract (pipeline/metadata)."""
    from pipeline.metadata import TABLES
    from pipeline.metadata.data_dictionary import with_data_dictionary

    text = doc.read_text(encoding="utf-8")
    fresh = with_data_dictionary(text, TABLES.values())
    if check:
        if fresh != text:
            click.echo(f"{doc}: the data dictionary is stale; run `crosswalk docs`", err=True)
            sys.exit(1)
        return
    doc.write_text(fresh, encoding="utf-8")
    click.echo(f"{doc}: data dictionary written")
