"""A data release in one step: ``crosswalk release``.

What a maintainer did by hand (build, diff against the last release, choose the version,
set it in ``release.toml``, build again, write the changelog entry), done in order and
undone on failure:

1. the baseline is the ``build/`` of the last release — the newest ``data-vX.Y.Z`` tag,
   in version order (``data-v1.10.0`` after ``data-v1.9.0``) — or ``git:HEAD`` when no
   release is tagged yet;
2. the current sources are built into a temporary folder and compared with the baseline;
   :attr:`~pipeline.versions.diff.BuildDiff.bump` is the bump the changes need, and no
   change means no release;
3. the bump: the one needed (``auto``), or a higher one asked for; a lower one is refused;
4. ``version`` in ``release.toml`` is set, and ``released`` to the ``date`` (tomlkit: its
   comments stay; no date, no ``released``: nothing here reads the clock), and so are the
   ``version`` and ``date-released`` of ``CITATION.cff``, the sources are
   built again into ``out`` (an atomic swap), and the CHANGELOG entry for the baseline →
   the new build is inserted above the newest one.

A failure or an interrupt at any step leaves ``release.toml``, the changelog and ``out``
as they were. Nothing is committed or tagged: :attr:`Release.commands` are the git
commands to run after a review.
"""

from __future__ import annotations

import os
import shlex
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import tomlkit

from pipeline import data, stages
from pipeline.errors import PipelineError
from pipeline.versions.builds import git, open_build, require_repository
from pipeline.versions.changelog import (
    REASONS,
    ChangelogEntry,
    bump_version,
    changelog_entry,
    insert_entry,
    parse_version,
)
from pipeline.versions.diff import BUMPS, diff_builds

TAG_PREFIX = "data-v"
#: What ``--bump`` takes: ``auto`` (the bump the changes need) or one of the bumps.
BUMP_CHOICES = ("auto", "patch", "minor", "major")
CHANGELOG = Path("CHANGELOG.md")
#: Its version and date-released are the data's (see :func:`with_citation_release`).
CITATION = Path("CITATION.cff")

Log = Callable[[str], None]


@dataclass(frozen=True)
class Release:
    """What :func:`make_release` did (``version`` None: nothing changed, nothing written)."""

    #: the build compared with: ``git:data-vX.Y.Z`` or ``git:HEAD``
    baseline: str
    old_version: str
    #: the bump the changes need, and the one applied (``none`` when nothing changed)
    needed: str
    bump: str
    version: str | None = None
    entry: ChangelogEntry | None = None
    #: the git commands that commit and tag the release
    commands: tuple[str, ...] = ()


def latest_release_tag(repo: Path) -> str | None:
    """The newest ``data-vX.Y.Z`` tag of ``repo`` in version order; None if there is none
    (tags whose rest is no ``X.Y.Z`` are not releases)."""
    listed = git(["tag", "--list", f"{TAG_PREFIX}*"], repo)
    if listed.returncode != 0:
        raise PipelineError(f"git tag: {listed.stderr.decode('utf-8', 'replace').strip()}",
                            path=str(repo))
    versions = {}
    for tag in listed.stdout.decode("utf-8").split():
        try:
            versions[parse_version(tag[len(TAG_PREFIX):])] = tag
        except PipelineError:
            continue
    return versions[max(versions)] if versions else None


def applied_bump(needed: str, asked: str) -> str:
    """The bump a release makes: ``needed`` for ``auto``, else ``asked`` if it is enough.

    >>> applied_bump("minor", "auto"), applied_bump("patch", "major")
    ('minor', 'major')
    """
    if asked == "auto":
        return needed
    if asked not in BUMPS:
        raise PipelineError(f"unknown bump {asked!r}", hint=f"use {', '.join(BUMP_CHOICES)}")
    if BUMPS.index(asked) < BUMPS.index(needed):
        raise PipelineError(f"the changes need a {needed} release ({REASONS[needed]}), more "
                            f"than the {asked} asked for",
                            hint=f"use --bump {needed} (or --bump auto); "
                            "`crosswalk diff` shows the changes")
    return asked


def with_version(toml_text: str, version: str, released: str | None = None) -> str:
    """``release.toml``'s text with ``version`` set, and ``released`` (the release date,
    datapackage.json's ``created``) set to the date given or removed without one (the
    previous release's date would be wrong), its comments and layout kept.

    >>> print(with_version('# The data version.\\nversion = "1.0.0"  # semver\\n', "1.1.0"), end="")
    # The data version.
    version = "1.1.0"  # semver
    >>> print(with_version('version = "1.0.0"\\nreleased = "2026-01-02"\\n', "1.1.0",
    ...                    "2026-12-02"), end="")
    version = "1.1.0"
    released = "2026-12-02"
    """
    document = tomlkit.parse(toml_text)
    document["version"] = version
    if released is not None:
        document["released"] = released
    elif "released" in document:
        del document["released"]
    return tomlkit.dumps(document)


def with_citation_release(cff_text: str, version: str, released: str | None) -> str:
    """``CITATION.cff``'s text with its top-level ``version`` and ``date-released`` set
    as in ``release.toml`` (no date: none), every other line kept.

    >>> print(with_citation_release('title: x\\nversion: "1.0.0"\\ndate-released: "2026-01-02"\\n'
    ...                             'references:\\n  - version: "0.1.0"\\n', "1.1.0", "2026-12-02"),
    ...       end="")
    title: x
    version: "1.1.0"
    date-released: "2026-12-02"
    references:
      - version: "0.1.0"
    """
    lines = [line for line in cff_text.splitlines(keepends=True)
             if not line.startswith("date-released:")]
    at = next(i for i, line in enumerate(lines) if line.startswith("version:"))
    lines[at] = f'version: "{version}"\n'
    if released is not None:
        lines.insert(at + 1, f'date-released: "{released}"\n')
    return "".join(lines)


def make_release(raw: Path = Path("raw"), out: Path = Path("build"), *, bump: str = "auto",
                 date: str | None = None, repo: Path | None = None,
                 release_toml: Path | None = None, changelog: Path = CHANGELOG,
                 citation: Path = CITATION, log: Log = print) -> Release:
    """Release the data built from ``raw`` as the next version (see the module docstring).

    ``repo`` is the git repository of the baseline (default: the current folder);
    ``release_toml`` the version file the build reads (default: ``pipeline/data/release.toml``);
    ``changelog`` the changelog the entry goes into; ``citation`` the CITATION.cff whose
    version and date follow the release, if there is one.
    """
    repo = Path.cwd() if repo is None else repo
    release_toml = data.RELEASE_TOML if release_toml is None else release_toml
    if bump not in BUMP_CHOICES:
        raise PipelineError(f"unknown bump {bump!r}", hint=f"use {', '.join(BUMP_CHOICES)}")
    require_repository(repo)
    tag = latest_release_tag(repo)
    baseline_spec = f"git:{tag}" if tag else "git:HEAD"
    baseline = open_build(baseline_spec, repo=repo)
    old_version = baseline.version or "0.0.0"
    log(f"release: baseline {baseline_spec} (version {old_version}): "
        + ("the newest data-v* tag" if tag else "no data-v* tag yet, so the last commit"))
    with tempfile.TemporaryDirectory(prefix="crosswalk-release-") as work:
        work = Path(work)
        log("release: building the current sources in a temporary folder")
        stages.run_build(stages.Paths(raw, work / "build"), log)
        changes = diff_builds(baseline, open_build(work / "build"))
        if changes.bump == "none":
            log(f"release: no change to the data since {baseline_spec}: nothing to release")
            return Release(baseline_spec, old_version, "none", "none")
        chosen = applied_bump(changes.bump, bump)
        version = bump_version(old_version, chosen)
        log(f"release: the changes need a {changes.bump} release; {chosen}: "
            f"{old_version} → {version}")
        # Refused before anything is written: an entry for that version already there.
        before_changelog = changelog.read_text(encoding="utf-8") if changelog.is_file() else None
        insert_entry(before_changelog, ChangelogEntry(version, chosen, version, version,
                                                      f"## {version}\n"))
        before_toml = release_toml.read_text(encoding="utf-8")
        before_citation = citation.read_text(encoding="utf-8") if citation.is_file() else None
        previous = _copy_published(out, work / "previous")
        written = []
        try:
            _write(release_toml, with_version(before_toml, version, date))
            written.append(release_toml)
            if before_citation is not None:
                _write(citation, with_citation_release(before_citation, version, date))
                written.append(citation)
            log(f"release: {release_toml}: version = \"{version}\"; building into {out}")
            written.append(out)  # from here on out may have changed, even when interrupted
            stages.run_build(stages.Paths(raw, out), log)
            built = open_build(out)
            if built.version != version:
                raise PipelineError(
                    f"the build says version {built.version}, not {version}: it did not read "
                    f"{release_toml}", path=str(out / "datapackage.json"))
            entry = changelog_entry(diff_builds(baseline, built), date=date)
            _write(changelog, insert_entry(before_changelog, entry))
            written.append(changelog)
            # The explorer page's "what changed" is this entry: built again to show it.
            log("release: building again, for the explorer page to show the new entry")
            stages.run_build(stages.Paths(raw, out), log)
        except BaseException:
            try:
                if release_toml in written:
                    _write(release_toml, before_toml)
                if citation in written:
                    _write(citation, before_citation)
                if changelog in written:
                    if before_changelog is None:
                        changelog.unlink(missing_ok=True)
                    else:
                        _write(changelog, before_changelog)
            finally:
                if out in written:
                    _restore_published(previous, out)
            raise
    log(f"release: {changelog}: entry {version} written")
    return Release(baseline_spec, old_version, changes.bump, chosen, version, entry,
                   _git_commands([release_toml, *([citation] if before_citation is not None
                                                   else []), changelog, out], version))


# --- helpers -----------------------------------------------------------------------------


def _git_commands(paths: list[Path], version: str) -> tuple[str, ...]:
    shown = [shlex.quote(_relative(path)) for path in paths]
    return (f"git add {' '.join(shown)}",
            f"git commit -m {shlex.quote(f'Data release {version}')}",
            f"git tag {TAG_PREFIX}{version}")


def _relative(path: Path) -> str:
    """``path`` relative to the current folder when it is inside it (as git add takes it)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _write(path: Path, text: str) -> None:
    """Write ``text`` whole or not at all (a temporary file renamed over ``path``)."""
    temporary = path.with_name(f".{path.name}.release-tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _copy_published(out: Path, backup: Path) -> Path:
    """A copy of the published files of ``out``, in its subfolders too (the explorer
    page), but for the build's own working folders (interim files, reports)."""
    backup.mkdir(parents=True)
    for path in _published_files(out):
        target = backup / path.relative_to(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return backup


def _restore_published(backup: Path, out: Path) -> None:
    """``out``'s published files made the ones copied into ``backup`` again."""
    if not out.is_dir():
        return
    for path in _published_files(out):
        if not (backup / path.relative_to(out)).exists():
            path.unlink()
    for path in sorted(backup.rglob("*")):
        if path.is_file():
            target = out / path.relative_to(backup)
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.release-tmp")
            shutil.copy2(path, temporary)
            os.replace(temporary, target)


#: Folders of a build that hold its working files, not published ones.
_WORKING_FOLDERS = ("interim", "reports")


def _published_files(out: Path) -> list[Path]:
    if not out.is_dir():
        return []
    return sorted(path for path in out.rglob("*") if path.is_file()
                  and path.relative_to(out).parts[0] not in _WORKING_FOLDERS)
