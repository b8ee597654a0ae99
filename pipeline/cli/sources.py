"""``crosswalk sources``: check the sources against raw/sources.toml, accept changed files,
and add, replace or remove a source without editing the manifest by hand.

Each command is a thin call into :mod:`pipeline.sources`; the edits keep the manifest's
comments and are written only if the edited manifest loads cleanly.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline import stages
from pipeline.cli.errors import friendly
from pipeline.errors import PipelineError
from pipeline.formats import FORMATS
from pipeline.sources import (
    MANIFEST_NAME,
    REDISTRIBUTION,
    REQUIRED_METADATA,
    add_source,
    remove_source,
    replace_source,
    update_checksums,
)

_RAW_HELP = "Folder of the sources."
_file = click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
_format = click.option("--format", "format_name", type=click.Choice(list(FORMATS)),
                       default=None, help="The source's format (default: told from the file).")


def _raw_here(function):
    """``--raw`` on a subcommand too (``crosswalk sources add FILE --raw DIR``); unset, the
    group's ``--raw`` holds."""
    return click.option("--raw", "raw_dir", type=click.Path(file_okay=False, path_type=Path),
                        default=None, help=f"{_RAW_HELP}  [default: raw]")(function)


def _raw_of(raw_dir: Path | None) -> Path:
    if raw_dir is not None:
        return raw_dir
    return click.get_current_context().parent.params["raw_dir"]


def stdin_is_terminal() -> bool:
    """Whether missing metadata can be asked for (tests replace this)."""
    return sys.stdin.isatty()


@click.group(invoke_without_command=True,
             short_help="Check the sources; add, replace or remove one.")
@click.option("--raw", "raw_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("raw"), show_default=True, help=_RAW_HELP)
@click.option("--update", is_flag=True,
              help="Accept changed files: rewrite their sha256 in raw/sources.toml.")
@click.pass_context
@friendly
def sources(context: click.Context, raw_dir: Path, update: bool) -> None:
    """Check every source against raw/sources.toml (or accept changes with --update).

    With a command: add, replace or remove a source."""
    if context.invoked_subcommand is not None:
        if update:
            raise click.UsageError("--update goes without a command: "
                                   "`crosswalk sources --update`")
        return
    if update:
        changed = update_checksums(raw_dir)
        for source_id, old, new in changed:
            before = f"{old[:12]}…" if old else "(none)"
            click.echo(f"{source_id}: sha256 {before} → {new[:12]}…")
        click.echo(f"{len(changed)} checksum(s) updated in {raw_dir / MANIFEST_NAME}" if changed
                   else "all checksums current")
        return
    for source in stages.checked_sources(stages.Paths(raw_dir, Path("build"))):
        click.echo(f"{source.id}\t{source.format}\t{source.path}\tok")


@sources.command(short_help="Add FILE as a new source.")
@_file
@click.option("--id", "source_id", default=None,
              help="The source's id, a slug (default: made of the file name).")
@_format
@click.option("--title", default=None, help="The document's title.")
@click.option("--publisher", default=None, help="Who published it.")
@click.option("--citation", default=None, help="How to cite it.")
@click.option("--permission", default=None, help="Its permission statement, as printed.")
@click.option("--redistribution", type=click.Choice(list(REDISTRIBUTION)), default=None,
              help="What the permission statement allows: "
              + "; ".join(f"{key}: {terms.meaning}" for key, terms in REDISTRIBUTION.items())
              + ". The default build withholds the text of a source that may not be "
              "redistributed.")
@click.option("--copyright", "copyright_", default=None, help="Its copyright line (optional).")
@click.option("--year", default=None, type=int, help="Year of publication (optional).")
@click.option("--url", default=None,
              help="Where the document is published, if it says so itself (optional).")
@_raw_here
@friendly
def add(file: Path, source_id: str | None, format_name: str | None, title: str | None,
        publisher: str | None, citation: str | None, permission: str | None,
        redistribution: str | None, copyright_: str | None, year: int | None,
        url: str | None, raw_dir: Path | None) -> None:
    """Add FILE as a source: copied into raw/, its format told from its content unless
    --format is given, its sha256 computed. Missing --title, --publisher, --citation,
    --permission or --redistribution are asked for on a terminal."""
    raw_dir = _raw_of(raw_dir)
    metadata = {"title": title, "publisher": publisher, "citation": citation,
                "permission": permission, "redistribution": redistribution,
                "copyright": copyright_, "year": year, "url": url}
    metadata = _complete(metadata, file)
    added = add_source(raw_dir, file, source_id=source_id, format=format_name,
                       metadata=metadata)
    if added.copied_to is not None:
        click.echo(f"copied {file} → {added.copied_to}")
    source = added.source
    click.echo(f"added {source.id} ({source.format}): {source.file}, sha256 "
               f"{source.sha256[:12]}…")
    click.echo(f"commit {raw_dir / MANIFEST_NAME} and {source.file}")


@sources.command(short_help="Give the source ID a new file: a new edition.")
@click.argument("source_id", metavar="ID")
@_file
@_format
@_raw_here
@friendly
def replace(source_id: str, file: Path, format_name: str | None, raw_dir: Path | None) -> None:
    """Make FILE the new edition of the source ID: same id and description, new path,
    format and sha256 (switching, say, the crosswalk from its text export to its PDF)."""
    raw_dir = _raw_of(raw_dir)
    replaced = replace_source(raw_dir, source_id, file, format=format_name)
    if replaced.copied_to is not None:
        click.echo(f"copied {file} → {replaced.copied_to}")
    old, new = replaced.old, replaced.source
    click.echo(f"replaced {new.id}: {old.file} ({old.format}) → {new.file} ({new.format}), "
               f"sha256 {new.sha256[:12]}…")
    if replaced.dropped_settings:
        click.echo(f"dropped [source.settings]: {new.format} reads no PDF")
    if replaced.dropped_expect:
        click.echo(f"dropped [source.expect] {', '.join(replaced.dropped_expect)}: "
                   f"{new.format} does not know them")
    if replaced.kept_expect:
        click.echo(f"kept [source.expect] {', '.join(replaced.kept_expect)}: check them "
                   "against the new edition")
    if replaced.old_file_left:
        click.echo(f"the old file {old.file} is still there: remove it with `git rm {old.file}`")


@sources.command(short_help="Remove the source ID (its file stays).")
@click.argument("source_id", metavar="ID")
@_raw_here
@friendly
def remove(source_id: str, raw_dir: Path | None) -> None:
    """Remove the source ID from raw/sources.toml (its file stays in raw/)."""
    raw_dir = _raw_of(raw_dir)
    source = remove_source(raw_dir, source_id)
    click.echo(f"removed {source.id} from {raw_dir / MANIFEST_NAME}")
    if source.file.exists():
        click.echo(f"its file {source.file} is still there: remove it with `git rm {source.file}` "
                   "if nothing else needs it")


def _complete(metadata: dict, file: Path) -> dict:
    """The metadata with what is missing asked for on a terminal; without one, missing
    required metadata is an error naming the options."""
    missing = [key for key in REQUIRED_METADATA if not (metadata.get(key) or "").strip()]
    if not stdin_is_terminal():
        if missing:
            options = ", ".join(f"--{key}" for key in missing)
            raise PipelineError(
                f"the new source lacks {options}, and there is no terminal to ask on",
                path=str(file), hint=f"pass {options} (see `crosswalk sources add --help`)")
        return metadata
    for key in missing:
        if key == "redistribution":
            metadata[key] = click.prompt("Redistribution (what the permission statement "
                                         "allows)", type=click.Choice(list(REDISTRIBUTION)))
            continue
        metadata[key] = click.prompt(key.capitalize(), value_proc=_required_text)
    if metadata.get("copyright") is None:
        metadata["copyright"] = click.prompt("Copyright (optional)", default="",
                                             show_default=False) or None
    if metadata.get("year") is None:
        metadata["year"] = click.prompt("Year (optional)", default="", show_default=False,
                                        value_proc=_optional_year)
    return metadata


def _required_text(value: str) -> str:
    if not value.strip():
        raise click.BadParameter("this one is required")
    return value.strip()


def _optional_year(value: str) -> int | None:
    if not value.strip():
        return None
    try:
        return int(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is no whole number, e.g. 2023") from None
