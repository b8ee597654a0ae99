"""CHANGELOG entries of the data, written from a :class:`~pipeline.versions.diff.BuildDiff`.

The data version (``pipeline/data/release.toml``, written to ``datapackage.json``) is
semantic: **major** — a contract change (datasets, columns, types, vocabularies, keys)
or rows renumbered (their keys moved);
**minor** — rows added or removed, or allowed values added; **patch** — text corrections
only. The diff knows which it is (:attr:`~pipeline.versions.diff.BuildDiff.bump`), so the entry suggests the version; the
maintainer sets it in ``release.toml`` (a build is reproducible only from what is
committed, so nothing here writes the version on its own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.errors import PipelineError
from pipeline.versions.diff import BuildDiff, DatasetDiff
from pipeline.versions.diff_format import summary_table

CHANGELOG_HEADER = """# Changelog of the published data

Versions of the datasets in `build/` (the `version` of `build/datapackage.json`, maintained
in `pipeline/data/release.toml`), newest first. Semantic versioning of the *data*:
**major** — a contract change (a dataset, column, type, vocabulary or key added, removed or
changed) or rows renumbered (their keys moved); **minor** — rows added or removed, or allowed values added; **patch** — text
corrections only. Entries are written with `crosswalk changelog OLD NEW` (see docs/maintainers.md).
"""
REASONS = {
    "major": "contract change, or rows renumbered",
    "minor": "rows added or removed, or allowed values added",
    "patch": "text corrections only",
    "none": "no change to the data",
}
_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


def parse_version(version: str) -> tuple[int, int, int]:
    """``"1.2.3"`` → ``(1, 2, 3)``; anything else is an error.

    >>> parse_version("1.10.0") > parse_version("1.9.4")
    True
    """
    match = _VERSION.match(version or "")
    if not match:
        raise PipelineError(f"version {version!r} is not MAJOR.MINOR.PATCH")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def bump_version(version: str, bump: str) -> str:
    """The version after a bump of kind ``bump``.

    >>> [bump_version("1.4.2", b) for b in ("major", "minor", "patch", "none")]
    ['2.0.0', '1.5.0', '1.4.3', '1.4.2']
    """
    major, minor, patch = parse_version(version)
    return {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0",
            "patch": f"{major}.{minor}.{patch + 1}", "none": version}[bump]


@dataclass(frozen=True)
class ChangelogEntry:
    #: the version the entry is for: the new build's if it is bumped enough, else suggested
    version: str
    bump: str
    #: the old version with the bump applied
    suggested: str
    #: the version the new build declares (its datapackage.json)
    declared: str | None
    text: str

    @property
    def release_needs_update(self) -> bool:
        """The new build does not declare the version this entry is for."""
        return self.declared != self.version


def changelog_entry(diff: BuildDiff, *, date: str | None = None,
                    max_keys: int = 12) -> ChangelogEntry:
    """A Markdown entry (``## version``) summarising ``diff`` for CHANGELOG.md."""
    old = diff.old_version or "0.0.0"
    suggested = bump_version(old, diff.bump)
    declared = diff.new_version
    version = suggested
    if declared and _VERSION.match(declared) and parse_version(declared) >= parse_version(suggested):
        version = declared
    heading = f"## {version}" + (f" — {date}" if date else "")
    lines = [heading, "",
             f"Compared with {old} (`{diff.old}` → `{diff.new}`): **{diff.bump}** "
             f"({REASONS[diff.bump]}).", ""]
    lines += summary_table(diff)
    notes = [f"- `{d.name}`: {note}" for d in diff.datasets if d.status != "same"
             for note in _dataset_notes(d, max_keys)]
    notes += [f"- Package: `{c.field}` changed" for c in diff.package if c.field != "version"]
    if notes:
        lines += ["", *notes]
    return ChangelogEntry(version, diff.bump, suggested, declared, "\n".join(lines) + "\n")


def insert_entry(changelog: str | None, entry: ChangelogEntry) -> str:
    """``changelog`` with ``entry`` above the newest entry (a new file gets the header).

    >>> e = ChangelogEntry("1.1.0", "minor", "1.1.0", "1.1.0", "## 1.1.0\\n\\nRows.\\n")
    >>> print(insert_entry("# Changelog\\n\\n## 1.0.0\\n\\nFirst.\\n", e), end="")
    # Changelog
    <BLANKLINE>
    ## 1.1.0
    <BLANKLINE>
    Rows.
    <BLANKLINE>
    ## 1.0.0
    <BLANKLINE>
    First.
    """
    text = changelog if changelog and changelog.strip() else CHANGELOG_HEADER
    if re.search(rf"^## {re.escape(entry.version)}(\s|$)", text, re.M):
        raise PipelineError(f"the changelog already has an entry for {entry.version}",
                            hint="edit that entry by hand, or bump the version first")
    first = re.search(r"^## ", text, re.M)
    if first is None:
        return text.rstrip("\n") + "\n\n" + entry.text
    return text[: first.start()] + entry.text + "\n" + text[first.start():]


def _dataset_notes(d: DatasetDiff, max_keys: int) -> list[str]:
    notes = [change.detail + (" (contract change)" if change.breaking else "")
             for change in d.contract]
    if d.status in ("added", "removed"):
        return notes
    if d.added:
        notes.append(f"{len(d.added)} row(s) added: "
                     f"{_first([f'`{r.label}`' for r in d.added], max_keys)}")
    if d.removed:
        notes.append(f"{len(d.removed)} row(s) removed: "
                     f"{_first([f'`{r.label}`' for r in d.removed], max_keys)}")
    if d.renumbered:
        items = [f"`{r.old_label}` → `{r.new_label}`" for r in d.renumbered]
        notes.append(f"{len(d.renumbered)} row(s) renumbered (their keys moved): "
                     f"{_first(items, max_keys)}")
    if d.changed:
        items = [f"`{c.label}` ({', '.join(cell.field for cell in c.cells)})"
                 for c in d.changed]
        notes.append(f"{len(d.changed)} row(s) changed: {_first(items, max_keys)}")
    if d.moved:
        notes.append(f"{len(d.moved)} row(s) moved (provenance only)")
    return notes


def _first(items: list[str], limit: int) -> str:
    """The first ``limit`` items, and how many more there are.

    >>> _first(["`1A.1/1`", "`1A.2/1`", "`1A.3/1`"], 2)
    '`1A.1/1`, `1A.2/1` and 1 more'
    """
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")
