"""What changed between two published builds, as plain data.

:func:`diff_builds` compares two builds (see :func:`pipeline.versions.builds.open_build`) dataset
by dataset and returns a :class:`BuildDiff` of plain dataclasses; formatting it (text,
Markdown, JSON) is :mod:`pipeline.versions.diff_format`'s job, as ``csv-diff`` separates
``compare`` from ``human_text``.

Rows are matched on their key (``primaryKey``, or the contract's ``unique`` key), never
on their line: a row whose key and content are in both builds is the same row. The rows
left over are paired by content (:mod:`pipeline.versions.pairing`): a revised framework
inserts, removes and moves competencies, and every competency after the change takes a
new code. A pair keeping its key is *changed* (each changed field old → new, a word diff
for prose); a pair whose key changed is *renumbered* (``3B.2 → 3B.3``, with its changed
cells), and the rows that reference it by key (its mapping rows in ``crosswalk``, its
``endorsement_index`` rows) follow it: they pair only with rows of its new code. What
stays unpaired is *added* (new build only) or *removed* (old only). Two candidates of
the same best score are listed as *ambiguous*, not guessed, and stay added and removed.

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
from pipeline.versions.pairing import Rows, pair_by_content
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
class Renumbered:
    """A row whose key changed (``3B.2 → 3B.3``): paired by content, with the cells that
    changed besides its key, and how alike the two rows are (0–1)."""

    old_key: dict[str, Any]
    new_key: dict[str, Any]
    old_label: str
    new_label: str
    similarity: float
    cells: list[CellChange] = field(default_factory=list)
    provenance: list[CellChange] = field(default_factory=list)


@dataclass
class Ambiguous:
    """Old and new rows with more than one partner of the same best score: not paired
    (they stay removed and added), listed for a person to decide."""

    old_keys: list[dict[str, Any]]
    new_keys: list[dict[str, Any]]
    old_labels: list[str]
    new_labels: list[str]
    similarity: float


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
    renumbered: list[Renumbered] = field(default_factory=list)
    ambiguous: list[Ambiguous] = field(default_factory=list)
    #: what a reader should know about how rows were paired (e.g. a group too large)
    notes: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows_added": len(self.added),
            "rows_removed": len(self.removed),
            "rows_changed": len(self.changed),
            "cells_changed": sum(len(change.cells) for change in self.changed),
            "rows_renumbered": len(self.renumbered),
            "rows_moved": len(self.moved),
        }

    @property
    def differs(self) -> bool:
        return bool(self.contract or self.added or self.removed or self.changed
                    or self.moved or self.renumbered)

    @property
    def bump(self) -> str:
        if any(change.breaking for change in self.contract):
            return "major"
        # A renumbered row moved its key: every reader joining on it breaks.
        if self.renumbered and self.key_source != "none":
            return "major"
        # Rows of an audit log come and go with every text correction: only rows of a
        # keyed dataset make a minor release. New allowed values are new data a reader may
        # meet: minor too.
        if (self.added or self.removed) and self.key_source != "none":
            return "minor"
        if any(change.kind == "field_enum_widened" for change in self.contract):
            return "minor"
        if self.differs:
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
        """The version bump the differences imply: major (contract, renumbered keys),
        minor (rows added or removed), patch (cell changes, moved rows, metadata) or
        none."""
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
    pairings: dict[str, dict[tuple, tuple]] = {}
    found: dict[str, DatasetDiff] = {}
    # Audit logs last: they name rows of the keyed datasets, which may have been renumbered.
    for name in sorted(_parents_first(names, old, new), key=lambda n: not _keyed(n, old, new)):
        found[name] = _dataset_diff(name, old, new, pairings)
    return BuildDiff(
        old=old.label, new=new.label, old_version=old.version, new_version=new.version,
        package=_package_changes(old.descriptor, new.descriptor),
        datasets=[found[name] for name in names],
    )


def _parents_first(names: list[str], old: Build, new: Build) -> list[str]:
    """``names`` and the datasets their keys reference, each after those it references
    (a crosswalk row follows its competency, so competencies are paired first)."""
    ordered: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in ordered or name in path:
            return
        for parent in _key_parents(name, old, new):
            visit(parent, (*path, name))
        ordered.append(name)

    for name in names:
        visit(name, ())
    return ordered


def _keyed(name: str, old: Build, new: Build) -> bool:
    resource = new.resources.get(name) or old.resources.get(name)
    return bool(resource.key)


def _key_parents(name: str, old: Build, new: Build) -> list[str]:
    resource = new.resources.get(name) or old.resources.get(name)
    return [reference for _, reference, _ in _key_references(resource, old, new)]


def _key_references(resource: Resource | None, old: Build, new: Build
                    ) -> list[tuple[tuple[str, ...], str, tuple[str, ...]]]:
    """Foreign keys made of key columns: (columns, referenced dataset, its columns)."""
    if resource is None or not resource.key:
        return []
    found = []
    for foreign in resource.descriptor.get("schema", {}).get("foreignKeys", []) or []:
        columns = _names(foreign.get("fields"))
        reference = foreign.get("reference", {}) or {}
        parent, parent_columns = reference.get("resource"), _names(reference.get("fields"))
        target = new.resources.get(parent) or old.resources.get(parent)
        if (columns and set(columns) <= set(resource.key) and target is not None
                and parent != resource.name and len(columns) == len(parent_columns)
                and set(parent_columns) == set(target.key)):
            found.append((columns, parent, parent_columns))
    return found


def _names(fields: Any) -> tuple[str, ...]:
    if isinstance(fields, str):
        return (fields,)
    return tuple(fields) if isinstance(fields, list) else ()


# --- one dataset -------------------------------------------------------------------------


def _dataset_diff(name: str, old: Build, new: Build,
                  pairings: dict[str, dict[tuple, tuple]]) -> DatasetDiff:
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
    diff = DatasetDiff(name, "same", list(key), key_source, contract=_contract(before, after))
    if key:
        _keyed_rows(diff, old, new, pairings)
    else:
        _keyless_rows(diff, old, new, pairings)
    if diff.differs:
        diff.status = "changed"
    return diff


def _keyless_rows(diff: DatasetDiff, old: Build, new: Build,
                  pairings: dict[str, dict[tuple, tuple]]) -> None:
    """A list of facts (an audit log): a row is what it says, so it is added, removed or
    moved (provenance only), never changed. An audit row naming a renumbered row
    (``dataset``, ``row_key`` ``3B.2/1``) is read as naming its new key: a correction that
    followed its row is the same correction."""
    before, after = old.resources[diff.name], new.resources[diff.name]
    common = [c for c in after.columns if c in before.columns]
    identity = [c for c in common if c not in PROVENANCE]
    renamed = _renumbered_labels(pairings) if {"dataset", "row_key"} <= set(common) else {}
    old_rows = _index([_renamed_row(r, renamed) for r in old.rows(diff.name)], identity)
    new_rows = _index(new.rows(diff.name), identity)
    for ident in _sorted_keys(set(old_rows) | set(new_rows)):
        if ident not in old_rows:
            diff.added.append(_row(new_rows[ident], (), after.columns))
        elif ident not in new_rows:
            diff.removed.append(_row(old_rows[ident], (), before.columns))
        else:
            change = _row_change(old_rows[ident], new_rows[ident], (), common, after)
            if change.provenance:
                diff.moved.append(change)


def _keyed_rows(diff: DatasetDiff, old: Build, new: Build,
                pairings: dict[str, dict[tuple, tuple]]) -> None:
    """Rows with a key: the same key and content first, then pairs by content; record the
    pairing (old key → new key) for the datasets that reference this one."""
    name, key = diff.name, diff.key
    before, after = old.resources[name], new.resources[name]
    common = [c for c in after.columns if c in before.columns]
    content = [c for c in common if c not in key and c not in PROVENANCE]
    old_rows, new_rows = old.rows(name), new.rows(name)
    follow = _follow_parents(after, key, old, new, pairings)
    old_keys = [follow(values)[0] for values in old_rows]
    old_groups = [follow(values)[1] for values in old_rows]
    new_keys = [_key_tuple(values, key) for values in new_rows]
    references = _key_references(after, old, new)
    new_groups = [tuple(values.get(c) for cols, _, _ in references for c in cols)
                  for values in new_rows]

    pairs: list[tuple[int, int, float]] = []
    waiting: dict[tuple, list[int]] = {}
    for j, k in enumerate(new_keys):
        waiting.setdefault(k, []).append(j)
    for i, values in enumerate(old_rows):
        for j in waiting.get(old_keys[i], []):
            if all(_same(values.get(c), new_rows[j].get(c)) for c in content):
                pairs.append((i, j, 1.0))
                waiting[old_keys[i]].remove(j)
                break
    done_old = {i for i, _, _ in pairs}
    done_new = {j for _, j, _ in pairs}
    rest_old = [i for i in range(len(old_rows)) if i not in done_old]
    rest_new = [j for j in range(len(new_rows)) if j not in done_new]
    prose = {c for c in content if after.is_free_text(c)}
    pairing = pair_by_content(
        Rows([old_rows[i] for i in rest_old], [old_keys[i] for i in rest_old],
             [old_groups[i] for i in rest_old] if references else None),
        Rows([new_rows[j] for j in rest_new], [new_keys[j] for j in rest_new],
             [new_groups[j] for j in rest_new] if references else None),
        content, prose, corpus=[*old_rows, *new_rows])
    pairs += [(rest_old[i], rest_new[j], similarity) for i, j, similarity in pairing.pairs]
    if pairing.skipped_groups:
        diff.notes.append(f"{pairing.skipped_groups} group(s) too large to pair by content: "
                          "only rows keeping their key were paired there")

    original = [_key_tuple(values, key) for values in old_rows]
    pairings[name] = {original[i]: new_keys[j] for i, j, _ in pairs}
    for i, j, similarity in pairs:
        a, b = old_rows[i], new_rows[j]
        change = _row_change(a, b, key, common, after)
        if original[i] == new_keys[j]:
            if change.cells:
                diff.changed.append(change)
            elif change.provenance:
                diff.moved.append(change)
            continue
        diff.renumbered.append(Renumbered(
            _key(a, key), _key(b, key), _label(a, key, before.columns),
            _label(b, key, after.columns), round(similarity, 3), change.cells,
            change.provenance))
    paired_old = {i for i, _, _ in pairs}
    paired_new = {j for _, j, _ in pairs}
    diff.added = [_row(new_rows[j], key, after.columns) for j in
                  _by_key([j for j in range(len(new_rows)) if j not in paired_new], new_keys)]
    diff.removed = [_row(old_rows[i], key, before.columns) for i in
                    _by_key([i for i in range(len(old_rows)) if i not in paired_old], original)]
    order = {k: n for n, k in enumerate(_sorted_keys(set(new_keys)))}
    diff.changed.sort(key=lambda c: order[_key_tuple(c.key, key)])
    diff.moved.sort(key=lambda c: order[_key_tuple(c.key, key)])
    old_order = {k: n for n, k in enumerate(_sorted_keys(set(original)))}
    diff.renumbered.sort(key=lambda r: old_order[_key_tuple(r.old_key, key)])
    for clash in pairing.ambiguous:
        olds = [old_rows[rest_old[i]] for i in clash.old]
        news = [new_rows[rest_new[j]] for j in clash.new]
        diff.ambiguous.append(Ambiguous(
            [_key(v, key) for v in olds], [_key(v, key) for v in news],
            [_label(v, key, before.columns) for v in olds],
            [_label(v, key, after.columns) for v in news], round(clash.similarity, 3)))


def _renumbered_labels(pairings: dict[str, dict[tuple, tuple]]) -> dict[tuple, str]:
    """(dataset, old row label) → new row label, for every renumbered row."""
    def label(values: tuple) -> str:
        return "/".join("" if v is None else str(v) for v in values)

    return {(name, label(before)): label(after) for name, mapping in pairings.items()
            for before, after in mapping.items() if before != after}


def _renamed_row(values: dict, renamed: dict[tuple, str]) -> dict:
    label = renamed.get((values.get("dataset"), values.get("row_key")))
    return values if label is None else {**values, "row_key": label}


def _follow_parents(resource: Resource, key: Sequence[str], old: Build, new: Build,
                    pairings: dict[str, dict[tuple, tuple]]):
    """A function giving an old row its key with renumbered parents followed (a mapping
    row of 3B.2 becomes one of 3B.3 when its competency did) and its group: the new key
    of its parent, or a mark no new row has when the parent was removed."""
    references = _key_references(resource, old, new)

    def follow(values: dict) -> tuple[tuple, tuple]:
        current = dict(values)
        group: list = []
        for columns, parent, parent_columns in references:
            value = tuple(values.get(c) for c in columns)
            mapping = pairings.get(parent, {})
            # The parent's pairing is keyed in the parent's own column order.
            order = [columns[parent_columns.index(p)] for p in _parent_key(parent, old, new)]
            parent_key = tuple(values.get(c) for c in order)
            if None in value:
                group += value
            elif parent_key in mapping:
                moved = dict(zip(order, mapping[parent_key], strict=True))
                current.update(moved)
                group += [moved[c] for c in columns]
            else:
                group += [("removed", v) for v in value]
        return _key_tuple(current, key), tuple(group)

    return follow


def _parent_key(parent: str, old: Build, new: Build) -> tuple[str, ...]:
    resource = new.resources.get(parent) or old.resources.get(parent)
    return resource.key


def _key_tuple(values: dict, key: Sequence[str]) -> tuple:
    return tuple(values.get(c) for c in key)


def _same(a: Any, b: Any) -> bool:
    return a == b and type(a) is type(b)


def _by_key(indices: list[int], keys: list[tuple]) -> list[int]:
    return sorted(indices, key=lambda n: tuple(natural_sort_key(v) for v in keys[n]))


def _row_change(old: dict, new: dict, key: Sequence[str], columns: Sequence[str],
                resource: Resource) -> RowChange:
    change = RowChange(_key(new, key), _label(new, key, resource.columns))
    for column in columns:
        a, b = old.get(column), new.get(column)
        if column in key or _same(a, b):
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


#: Package properties compared elsewhere or that follow from the rows: the resources, and
#: the sizes and sha256 of the files made of them (JSON, Parquet, database, workbook).
_PACKAGE_DATA_DERIVED = ("resources", "x_alternates", "x_files")


def _package_changes(old: dict, new: dict) -> list[CellChange]:
    keys = list(new) + [k for k in old if k not in new]
    return [CellChange(k, old.get(k), new.get(k)) for k in keys
            if k not in _PACKAGE_DATA_DERIVED and old.get(k) != new.get(k)]


def _short(value: Any) -> str:
    return "none" if value is None else str(value)
