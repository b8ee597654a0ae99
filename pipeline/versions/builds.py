"""Read a published build back: from a folder, a ``datapackage.json`` or a git revision.

A build is what :mod:`pipeline.load.publish` wrote: ``datapackage.json`` plus
``<table>.csv``/``.json``/``.parquet``. :func:`open_build` accepts

* a build folder (``build``), or the path of its ``datapackage.json``;
* ``git:REV``: the ``build/`` folder committed at ``REV`` in this repository, read with
  ``git show REV:build/<file>`` (no checkout, the work tree is left alone). A folder
  outside any repository, a revision git does not know and a revision without
  ``build/datapackage.json`` are three different errors.

Rows are read from ``<table>.json`` when it is there — it has real integers, booleans
and nulls, and no CSV-injection quote (see :func:`pipeline.metadata.files.defuse_csv_cell`)
— and otherwise from the CSV the package describes, typed by its Table Schema.

Which columns identify a row (:attr:`Resource.key`): the Table Schema ``primaryKey``;
else the contract's ``unique`` key (a key with a nullable column, which Table Schema v1
cannot state, e.g. ``endorsement_index``); else none — the audit logs (``corrections``,
``quality_issues``) are plain lists of facts, whose rows are identified by their content.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.metadata import TABLES
from pipeline.metadata.files import DATAPACKAGE_NAME, csv_dict_reader, undefuse_csv_cell

GIT_PREFIX = "git:"
BUILD_DIR = "build"
#: Columns that say where a row comes from, not what it says.
PROVENANCE = ("source_id", "source_line", "source_page")


@dataclass(frozen=True)
class Resource:
    """One dataset of a build, as its ``datapackage.json`` describes it."""

    name: str
    fields: tuple[dict, ...]
    key: tuple[str, ...]
    #: where the key comes from: "primaryKey", "unique" (the contract) or "none"
    key_source: str
    descriptor: dict = field(compare=False, repr=False)

    @property
    def columns(self) -> list[str]:
        return [f["name"] for f in self.fields]

    def field(self, name: str) -> dict:
        return next(f for f in self.fields if f["name"] == name)

    def is_free_text(self, name: str) -> bool:
        """A string column without vocabulary or pattern: prose, shown as a word diff."""
        spec = self.field(name)
        constraints = spec.get("constraints", {})
        return (spec.get("type") == "string" and "enum" not in constraints
                and "pattern" not in constraints and name not in PROVENANCE)


@dataclass
class Build:
    """A published build: its descriptor and a way to read its files."""

    label: str
    descriptor: dict
    read_bytes: Callable[[str], bytes | None] = field(repr=False)

    @property
    def version(self) -> str | None:
        return self.descriptor.get("version")

    @cached_property
    def resources(self) -> dict[str, Resource]:
        return {r["name"]: _resource(r) for r in self.descriptor.get("resources", [])}

    def rows(self, name: str) -> list[dict]:
        """Every row of dataset ``name`` as a dict of plain Python values."""
        resource = self.resources[name]
        stem = Path(resource.descriptor["path"]).stem
        data = self.read_bytes(f"{stem}.json")
        if data is not None:
            return json.loads(data.decode("utf-8"))
        data = self.read_bytes(resource.descriptor["path"])
        if data is None:
            raise PipelineError(f"{self.label}: {resource.descriptor['path']} is missing",
                                hint="the build is incomplete: publish it again")
        return csv_rows(data.decode("utf-8"), resource.fields)


def open_build(spec: str | Path, *, repo: Path | None = None) -> Build:
    """The build at ``spec``: a folder, a ``datapackage.json`` or ``git:REV``."""
    text = str(spec)
    if text.startswith(GIT_PREFIX):
        return _git_build(text[len(GIT_PREFIX):], repo or Path.cwd(), text)
    path = Path(spec)
    folder = path if path.is_dir() else path.parent
    package = folder / DATAPACKAGE_NAME if path.is_dir() else path
    if not package.is_file():
        raise PipelineError(f"no {DATAPACKAGE_NAME} here", path=str(package),
                            hint="give a build folder, its datapackage.json, or git:REV")

    def read(name: str) -> bytes | None:
        target = folder / name
        return target.read_bytes() if target.is_file() else None

    return Build(text, _descriptor(package.read_bytes(), str(package)), read)


def csv_rows(text: str, fields: tuple[dict, ...] | list[dict]) -> list[dict]:
    """Rows of a published CSV, typed by its Table Schema fields (empty = null).

    >>> csv_rows('n,ok,t\\n1,true,"a, b"\\n,,\\'=x\\n',
    ...          [{"name": "n", "type": "integer"}, {"name": "ok", "type": "boolean"},
    ...           {"name": "t", "type": "string"}])
    [{'n': 1, 'ok': True, 't': 'a, b'}, {'n': None, 'ok': None, 't': '=x'}]
    """
    types = {f["name"]: f.get("type", "string") for f in fields}
    reader = csv_dict_reader(text)
    return [{name: _typed(value, types.get(name, "string")) for name, value in row.items()}
            for row in reader]


# --- helpers -----------------------------------------------------------------------------


def _typed(value: str | None, kind: str):
    if value is None or value == "":
        return None
    if kind == "integer":
        return int(value)
    if kind == "boolean":
        return value == "true"
    # Undo the CSV-only defusing of a cell a spreadsheet would run as a formula.
    return undefuse_csv_cell(value)


def _resource(descriptor: dict) -> Resource:
    schema = descriptor.get("schema", {})
    fields = tuple(schema.get("fields", []))
    names = {f["name"] for f in fields}
    primary = schema.get("primaryKey")
    if primary:
        key = (primary,) if isinstance(primary, str) else tuple(primary)
        return Resource(descriptor["name"], fields, key, "primaryKey", descriptor)
    table = TABLES.get(descriptor["name"])
    if table is not None and table.unique and set(table.unique) <= names:
        return Resource(descriptor["name"], fields, table.unique, "unique", descriptor)
    return Resource(descriptor["name"], fields, (), "none", descriptor)


def _descriptor(data: bytes, where: str) -> dict:
    try:
        descriptor = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PipelineError(f"not a valid {DATAPACKAGE_NAME}: {error}", path=where) from None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise PipelineError("not a data package (no resources list)", path=where)
    return descriptor


def git(args: list[str], repo: Path) -> subprocess.CompletedProcess:
    """Run ``git args`` in ``repo``, output as bytes, not checked (git missing is an error)."""
    try:
        return subprocess.run(["git", *args], cwd=repo, capture_output=True, check=False)
    except FileNotFoundError:
        raise PipelineError("git is not installed",
                            hint="give a build folder instead of git:REV") from None


def require_repository(repo: Path) -> None:
    """``repo`` is inside a git repository, or a :class:`PipelineError` says it is not."""
    inside = git(["rev-parse", "--git-dir"], repo)
    if inside.returncode == 0:
        return
    said = inside.stderr.decode("utf-8", "replace").strip().splitlines() or ["?"]
    if "not a git repository" in said[0]:
        raise PipelineError("not a git repository", path=str(repo),
                            hint="run crosswalk in a clone of the repository, or give a "
                            "build folder instead of git:REV")
    raise PipelineError(f"git: {said[0]}", path=str(repo))


def resolve_revision(rev: str, repo: Path) -> str | None:
    """The commit ``rev`` names in ``repo`` (a tag, a branch, ``HEAD~1``, a hash), or None."""
    found = git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
                repo)
    return found.stdout.decode("ascii").strip() if found.returncode == 0 else None


def _git_build(rev: str, repo: Path, label: str) -> Build:
    # A revision starting with "-" would be read by git as an option.
    if not rev or rev.startswith("-"):
        raise PipelineError(f"{label!r}: give a revision after 'git:', e.g. git:HEAD~1")
    require_repository(repo)
    commit = resolve_revision(rev, repo)
    if commit is None:
        raise PipelineError(f"{label}: unknown revision {rev!r}",
                            path=str(repo),
                            hint="see the tags with `git tag` and the commits with "
                            "`git log --oneline`")

    def read(name: str) -> bytes | None:
        result = git(["show", f"{commit}:{BUILD_DIR}/{name}"], repo)
        return result.stdout if result.returncode == 0 else None

    data = read(DATAPACKAGE_NAME)
    if data is None:
        raise PipelineError(f"{label}: revision {rev} ({commit[:12]}) has no "
                            f"{BUILD_DIR}/{DATAPACKAGE_NAME}", path=str(repo),
                            hint=f"find the revisions that have one: git log --oneline -- "
                            f"{BUILD_DIR}/{DATAPACKAGE_NAME}")
    return Build(label, _descriptor(data, f"{label}:{BUILD_DIR}/{DATAPACKAGE_NAME}"), read)
