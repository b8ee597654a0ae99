"""What changed between two published builds, as plain data.

:func:`diff_builds` compares two builds (see :func:`pipeline.versions.builds.open_build`) dataset
by dataset and returns a :class:`BuildDiff` of plain dataclasses; formatting it (text,
Markdown, JSON) is :mod:`pipeline.versions.diff_format`'s job, as ``csv-diff`` separates
``compare`` from ``human_text``.

Rows are matched on their key (``primaryKey``, or the contract's ``unique`` key), never
on their line: a row whose key is in the new build only is *added*, in the old only
*removed*, in both with a different value *changed* (each changed field old → new, a
word diff for prose). A row whose key value changes (a code renumbered) is one row
removed and one added: the key is what the row *is*.

Provenance (``source_id``, ``source_line``, ``source_page``) is compared but kept apart:
a row whose content is equal and only its provenance differs is *moved*, not changed.
A re-export of a source shifts every line number; a maintainer reviewing a release wants
to see the content changes, and still to know how many rows moved.

Datasets without a key (the audit logs ``corrections`` and ``quality_issues``) are lists
of facts: a row is identified by everything except its provenance, so it is added,
removed or moved, never changed.

The contract (columns, types, constraints, keys) is compared from the two
``datapackage.json``; any difference there is a contract change. :attr:`BuildDiff.bump`
turns all this into the data version bump it implies (major / minor / patch / none).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.codes import natural_sort_key
from pipeline.errors import PipelineError
from pipeline.versions.builds import PROVENANCE, Build, Resource, open_build
from pipeline.versions.word_diff import inline

BUMPS = ("none", "patch", "minor", "major")


@dataclass
class CellChange:
    field: str
    old: Any
    new: Any
    #: the word-level diff ``… [-adn-]{+and+} …`` of a prose field, else None
    inline: str | None = None


@dataclass
class Row:
    """An added or removed row: its key, a short label (``4A.1/2``) and its values."""

    key: dict[str, Any]
    label: str
    values: dict[str, Any]


@dataclass
class RowChange:
    """A row in both builds: its changed content cells and its changed provenance."""

    key: dict[str, Any]
    label: str
    cells: list[CellChange] = field(default_factory=list)
    provenance: list[CellChange] = field(default_factory=list)


@dataclass
class ContractChange:
    """A difference of the Table Schemas. ``breaking``: a contract change (major)."""

    kind: str
    detail: str
    breaking: bool = True


@dataclass
class DatasetDiff:
    name: str
    #: "same", "changed", "added" (only in the new build) or "removed" (only in the old)
    status: str
    key: list[str]
    #: "primaryKey", "unique" (the contract's key with a nullable column) or "none"
    key_source: str
    contract: list[ContractChange] = field(default_factory=list)
    added: list[Row] = field(default_factory=list)
    removed: list[Row] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    moved: list[RowChange] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows_added": len(self.added),
            "rows_removed": len(self.removed),
            "rows_changed": len(self.changed),
            "cells_changed": sum(len(change.cells) for change in self.changed),
            "rows_moved": len(self.moved),
        }

    @property
    def bump(self) -> str:
        if any(change.breaking for change in self.contract):
            return "major"
        # Rows of an audit log come and go with every text correction: only rows of a
        # keyed dataset make a minor release. New allowed values are new data a reader may
        # meet: minor too.
        if (self.added or self.removed) and self.key_source != "none":
            return "minor"
        if any(change.kind == "field_enum_widened" for change in self.contract):
            return "minor"
        if self.contract or self.added or self.removed or self.changed or self.moved:
            return "patch"
        return "none"


@dataclass
class BuildDiff:
    old: str
    new: str
    old_version: str | None
    new_version: str | None
    #: top-level ``datapackage.json`` properties that differ (version, sources, ...)
    package: list[CellChange]
    datasets: list[DatasetDiff]

    @property
    def identical(self) -> bool:
        return not self.package and all(d.status == "same" for d in self.datasets)

    @property
    def bump(self) -> str:
        """The version bump the differences imply: major (contract), minor (rows added
        or removed), patch (cell changes, moved rows, metadata) or none."""
        levels = [d.bump for d in self.datasets]
        levels += ["patch" for change in self.package if change.field != "version"]
        return max(levels, key=BUMPS.index, default="none")


def diff_builds(old: Build | str, new: Build | str,
                datasets: Iterable[str] | None = None) -> BuildDiff:
    """Compare two builds (or their specs: folder, ``datapackage.json``, ``git:REV``).

    ``datasets`` restricts the comparison to those names; a name in neither build is an
    error. Datasets come in the new build's order, then those only in the old build.
    """
    old = old if isinstance(old, Build) else open_build(old)
    new = new if isinstance(new, Build) else open_build(new)
    old_resources, new_resources = old.resources, new.resources
    names = list(new_resources) + [n for n in old_resources if n not in new_resources]
    if datasets is not None:
        wanted = list(dict.fromkeys(datasets))
        unknown = [n for n in wanted if n not in names]
        if unknown:
            raise PipelineError(f"no dataset {', '.join(unknown)} in either build",
                                hint=f"datasets: {', '.join(names)}")
        names = [n for n in names if n in wanted]
    return BuildDiff(
        old=old.label, new=new.label, old_version=old.version, new_version=new.version,
        package=_package_changes(old.descriptor, new.descriptor),
        datasets=[_dataset_diff(name, old, new) for name in names],
    )


# --- one dataset -------------------------------------------------------------------------


def _dataset_diff(name: str, old: Build, new: Build) -> DatasetDiff:
    before, after = old.resources.get(name), new.resources.get(name)
    if before is None or after is None:
        present = after or before
        rows = [_row(values, present.key, present.columns) for values in
                _sorted(new.rows(name) if after else old.rows(name), present.key)]
        status = "added" if after else "removed"
        return DatasetDiff(name, status, list(present.key), present.key_source,
                           contract=[ContractChange(f"dataset_{status}",
                                                    f"dataset {name} {status}")],
                           added=rows if after else [], removed=[] if after else rows)
    key, key_source = _shared_key(before, after)
    common = [c for c in after.columns if c in before.columns]
    identity = list(key) or [c for c in common if c not in PROVENANCE]
    old_rows, new_rows = _index(old.rows(name), identity), _index(new.rows(name), identity)
    diff = DatasetDiff(name, "same", list(key), key_source, contract=_contract(before, after))
    for ident in _sorted_keys(set(old_rows) | set(new_rows)):
        if ident not in old_rows:
            diff.added.append(_row(new_rows[ident], key, after.columns))
        elif ident not in new_rows:
            diff.removed.append(_row(old_rows[ident], key, before.columns))
        else:
            change = _row_change(old_rows[ident], new_rows[ident], key, common, after)
            if change.cells:
                diff.changed.append(change)
            elif change.provenance:
                diff.moved.append(change)
    if diff.contract or diff.added or diff.removed or diff.changed or diff.moved:
        diff.status = "changed"
    return diff


def _row_change(old: dict, new: dict, key: Sequence[str], columns: Sequence[str],
                resource: Resource) -> RowChange:
    change = RowChange(_key(new, key), _label(new, key, resource.columns))
    for column in columns:
        a, b = old.get(column), new.get(column)
        if column in key or (a == b and type(a) is type(b)):
            continue
        prose = isinstance(a, str) and isinstance(b, str) and resource.is_free_text(column)
        cell = CellChange(column, a, b, inline(a, b) if prose else None)
        (change.provenance if column in PROVENANCE else change.cells).append(cell)
    return change


def _shared_key(before: Resource, after: Resource) -> tuple[tuple[str, ...], str]:
    """The new key if the old rows have its columns, else the old key, else none."""
    for resource, other in ((after, before), (before, after)):
        if resource.key and set(resource.key) <= set(other.columns):
            return resource.key, resource.key_source
    return (), "none"


def _index(rows: list[dict], identity: Sequence[str]) -> dict[tuple, dict]:
    """Rows by identity; a repeated identity gets its occurrence number appended (a
    valid build repeats none, but an audit log may list one fact twice)."""
    index: dict[tuple, dict] = {}
    seen: dict[tuple, int] = {}
    for values in rows:
        ident = tuple(values.get(c) for c in identity)
        seen[ident] = seen.get(ident, 0) + 1
        index[ident + (seen[ident],)] = values
    return index


def _sorted_keys(keys: Iterable[tuple]) -> list[tuple]:
    return sorted(keys, key=lambda k: tuple(natural_sort_key(v) for v in k))


def _sorted(rows: list[dict], key: Sequence[str]) -> list[dict]:
    columns = (list(key) or list(rows[0])) if rows else []
    return sorted(rows, key=lambda r: tuple(natural_sort_key(r.get(c)) for c in columns))


def _row(values: dict, key: Sequence[str], columns: Sequence[str]) -> Row:
    return Row(_key(values, key), _label(values, key, columns), dict(values))


def _key(values: dict, key: Sequence[str]) -> dict[str, Any]:
    return {column: values.get(column) for column in key}


def _label(values: dict, key: Sequence[str], columns: Sequence[str]) -> str:
    """``1A.1/2``, as the corrections log names rows; a keyless row by its first three
    columns (``crosswalk/1A.1/2/coe_competency`` for a correction)."""
    shown = list(key) or [c for c in columns if c not in PROVENANCE][:3]
    return "/".join("" if values.get(c) is None else str(values.get(c)) for c in shown)


# --- contract and package ----------------------------------------------------------------

_FIELD_PARTS = ("type", "format", "constraints")
#: Resource properties that follow from the rows (compared row by row) or the schema.
_DATA_DERIVED = ("name", "bytes", "hash", "schema")
#: Resource properties that describe rather than define the data.
_RESOURCE_METADATA = ("title", "description", "sources", "licenses")


def _contract(before: Resource, after: Resource) -> list[ContractChange]:
    changes = [ContractChange("column_added", f"column {c} added")
               for c in after.columns if c not in before.columns]
    changes += [ContractChange("column_removed", f"column {c} removed")
                for c in before.columns if c not in after.columns]
    common = [c for c in before.columns if c in after.columns]
    if common != [c for c in after.columns if c in before.columns]:
        changes.append(ContractChange("columns_reordered", "columns in a different order"))
    for column in common:
        a, b = before.field(column), after.field(column)
        for part in _FIELD_PARTS:
            if part == "constraints" and _enum_widened(a.get(part), b.get(part)):
                added = [v for v in b["constraints"]["enum"] if v not in a["constraints"]["enum"]]
                changes.append(ContractChange(
                    "field_enum_widened", f"{column}: allowed values added: "
                    f"{', '.join(map(str, added))}", breaking=False))
            elif a.get(part) != b.get(part):
                changes.append(ContractChange(
                    f"field_{part}", f"{column}: {part} {_short(a.get(part))} → "
                    f"{_short(b.get(part))}"))
        if a.get("description") != b.get("description"):
            changes.append(ContractChange("field_description",
                                          f"{column}: description reworded", breaking=False))
    if before.key != after.key:
        changes.append(ContractChange(
            "key_changed", f"key ({', '.join(before.key) or 'none'}) → "
            f"({', '.join(after.key) or 'none'})"))
    a_schema, b_schema = before.descriptor.get("schema", {}), after.descriptor.get("schema", {})
    if a_schema.get("foreignKeys") != b_schema.get("foreignKeys"):
        changes.append(ContractChange("foreign_keys", "foreign keys changed"))
    a_res, b_res = before.descriptor, after.descriptor
    for part in [*b_res, *(k for k in a_res if k not in b_res)]:
        if part not in _DATA_DERIVED and a_res.get(part) != b_res.get(part):
            # Words and attribution do not break a reader; path, format, dialect do.
            breaking = part not in _RESOURCE_METADATA
            changes.append(ContractChange(f"dataset_{part}", f"dataset {part} changed",
                                          breaking=breaking))
    return changes


def _enum_widened(before: dict | None, after: dict | None) -> bool:
    """The constraints differ only in allowed values added (none removed): every value a
    reader knew is still valid, so no reader breaks.

    >>> _enum_widened({"enum": ["a"], "required": True}, {"enum": ["a", "b"], "required": True})
    True
    >>> _enum_widened({"enum": ["a", "b"]}, {"enum": ["a"]})
    False
    """
    if not before or not after or before == after:
        return False
    old, new = before.get("enum"), after.get("enum")
    rest = {k: v for k, v in before.items() if k != "enum"}
    return (old is not None and new is not None and set(old) < set(new)
            and rest == {k: v for k, v in after.items() if k != "enum"})


def _package_changes(old: dict, new: dict) -> list[CellChange]:
    keys = list(new) + [k for k in old if k not in new]
    return [CellChange(k, old.get(k), new.get(k)) for k in keys
            if k != "resources" and old.get(k) != new.get(k)]


def _short(value: Any) -> str:
    return "none" if value is None else str(value)
