"""``crosswalk build`` and the commands of its stages, and the docs.

Each command is a thin call into :mod:`pipeline.stages` (or
:mod:`pipeline.metadata.data_dictionary`); the library prints its progress through the
``log`` function given to it, here lines on stderr. The manifest's commands are in
:mod:`pipeline.cli.sources`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline import stages
from pipeline.cli.errors import friendly
from pipeline.errors import PipelineError
from pipeline.metadata.profiles import DEFAULT_PROFILE, PROFILES

_raw = click.option("--raw", "raw_dir", type=click.Path(file_okay=False, path_type=Path),
                    default=Path("raw"), show_default=True, help="Folder of the sources.")
_out = click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                    default=Path("build"), show_default=True, help="Folder of the build.")
_profile = click.option(
    "--profile", type=click.Choice(PROFILES), default=DEFAULT_PROFILE, show_default=True,
    help="open: every dataset, with the text of sources whose terms (redistribution in "
    "raw/sources.toml) do not allow redistributing it withheld (null); full: everything, "
    "for local use; codes-only: codes, vocabularies, mappings, alignment, priority and "
    "levels but no verbatim text column. A profile other than open goes to its own --out.")
_engine = click.option(
    "--engine", type=click.Choice(["pdfplumber", "camelot", "pdfium"]), default=None,
    help="Table engine for PDF sources, overriding each source's [source.settings] engine.")
#: The committed build folder, which holds the datasets of the default profile.
DEFAULT_OUT = Path("build")
#: ``--out`` of the commands that take a profile: ``build`` for the default profile, a
#: folder of its own (required) for any other.
_profile_out = click.option(
    "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help=f"Folder of the build [default: build; required with a --profile other than "
    f"{DEFAULT_PROFILE}].")
_force = click.option(
    "--force", is_flag=True,
    help=f"With a --profile other than {DEFAULT_PROFILE}, write into build/ all the same "
    f"(replacing the {DEFAULT_PROFILE} datasets committed there).")


def _out_for(profile: str, out_dir: Path | None, force: bool) -> Path:
    """Where a build of ``profile`` goes: never silently into the committed ``build/``,
    which holds the datasets of the default profile (the full text of a source whose
    terms forbid redistribution must not be committed; a partial build would replace
    them while ``make build`` saw nothing to do)."""
    if profile == DEFAULT_PROFILE:
        return DEFAULT_OUT if out_dir is None else out_dir
    if out_dir is None:
        raise PipelineError(f"--profile {profile} is not what build/ publishes: it needs a "
                            f"folder of its own",
                            hint=f"add --out, e.g. --out build-{profile} ({DEFAULT_OUT}/ "
                            f"holds the {DEFAULT_PROFILE} datasets)")
    if out_dir.resolve() == DEFAULT_OUT.resolve() and not force:
        raise PipelineError(f"--profile {profile} would replace the {DEFAULT_PROFILE} "
                            "datasets of build/",
                            path=str(out_dir),
                            hint=f"write it to another folder (e.g. --out build-{profile}), "
                            "or add --force to replace them")
    return out_dir


def _log(message: str) -> None:
    click.echo(message, err=True)


@click.command()
@_raw
@_profile_out
@_profile
@_force
@_engine
@click.option("--no-cache", "no_cache", is_flag=True,
              help="Run every stage, even when nothing the tables depend on (sources, "
              "manifest, code, libraries) changed since the last build into --out, whose "
              "validated tables are otherwise published again.")
@friendly
def build(raw_dir: Path, out_dir: Path | None, profile: str, force: bool,
          engine: str | None, no_cache: bool) -> None:
    """Run extract, normalize, validate and publish."""
    out_dir = _out_for(profile, out_dir, force)
    stages.run_build(stages.Paths(raw_dir, out_dir, profile=profile, engine=engine), _log,
                     reuse=not no_cache)


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
@_profile_out
@_profile
@_force
@friendly
def publish(raw_dir: Path, out_dir: Path | None, profile: str, force: bool) -> None:
    """Write CSV, JSON, Parquet and datapackage.json (from the validated tables in --out)."""
    out_dir = _out_for(profile, out_dir, force)
    stages.run_publish(stages.Paths(raw_dir, out_dir, profile=profile), _log)


@click.command()
@click.option("--file", "doc", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=Path("docs/datasets.md"), show_default=True,
              help="The page whose data-dictionary block is rendered.")
@click.option("--check", is_flag=True, help="Exit 1 if the data dictionary is not current.")
@_raw
@friendly
def docs(doc: Path, check: bool, raw_dir: Path) -> None:
    """Render the data dictionary of docs/datasets.md from the contract (pipeline/metadata),
    with what the default build withholds under the sources' terms (raw/sources.toml)."""
    from pipeline.metadata.data_dictionary import BEGIN, END, with_data_dictionary
    from pipeline.metadata.profiles import documented_contract
    from pipeline.sources import load_manifest

    try:
        text = doc.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PipelineError("not UTF-8 text", path=str(doc),
                            hint="give the Markdown page with the data dictionary, "
                            "e.g. docs/datasets.md") from None
    tables = documented_contract(load_manifest(raw_dir))
    try:
        fresh = with_data_dictionary(text, tables.values())
    except ValueError:  # no markers, or not in order
        raise PipelineError("the page has no data-dictionary block", path=str(doc),
                            hint=f"put the lines {BEGIN} and {END} where it goes, "
                            "or give docs/datasets.md") from None
    if check:
        if fresh != text:
            click.echo(f"{doc}: the data dictionary is stale; run `crosswalk docs`", err=True)
            sys.exit(1)
        return
    doc.write_text(fresh, encoding="utf-8")
    click.echo(f"{doc}: data dictionary written")
