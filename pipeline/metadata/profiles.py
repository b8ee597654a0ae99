"""Build profiles: what of the datasets a build publishes.

* ``open`` (the default, what ``make build`` commits to ``build/``): every dataset and
  every row, but the text of a source whose terms do not allow redistribution is withheld.
  Each source says in the manifest what its permission statement allows
  (``redistribution``, :data:`pipeline.sources.REDISTRIBUTION`); for a source that does
  not allow it, the columns the contract marks ``verbatim``
  (:attr:`pipeline.metadata.Field.verbatim`) are null in that source's rows. The
  structure, codes, vocabularies, designations and the pointer to the source
  (``source_id``, ``source_line``/``source_page``) stay. Nothing here names a source:
  change its terms in the manifest and the withheld cells follow.
* ``full``: everything, for local use, into a folder of its own (``--out``).
* ``codes-only``: no document text at all — the mapping (codes, vocabularies, alignment,
  priority, levels, designations) is not the documents' prose, so such a build can be
  shared freely.

Rules rather than lists of names:

* the sources a table may hold values of are the sources whose format is its primary
  source or its witness (:class:`pipeline.formats.SourceFormat`); a table no format is
  the primary source of (the audit logs) may hold rows of every source;
* open: a withheld cell is null, never a row dropped; a withheld column is no longer
  required, a key that holds one is no key any more (its rows keep the full key's
  order), and an audit log's ``row_key`` is withheld in the rows about such a dataset
  (it quotes the key). A witness whose terms do not allow redistribution withholds the
  verbatim columns of every row of the tables it may repair;
* codes-only: a dataset whose key includes a verbatim column is left out (its rows are
  identified by the copyrighted text: ``endorsement_index``, ``mentor_areas``), and the
  audit logs keep only rows about what the profile publishes
  (:func:`pipeline.load.profiles.apply_profile`);
* validation: the published frames are projections of validated full tables, so the
  pipeline validates before projecting. To validate a codes-only build on its own,
  :func:`pipeline.validate.profiles.profile_models` gives the schemas without the dropped
  columns (a row check on a dropped column is dropped with it).

A reduced table says so in its description (``datapackage.json`` carries it), and a table
of the open profile lists what it withholds (:attr:`ProfiledTable.withheld`), which
``datapackage.json`` gives as ``x_withheld`` and ``crosswalk docs`` writes into the data
dictionary (:func:`documented_contract`).

>>> left_out = set(contract_for("full")) - set(contract_for("codes-only"))
>>> {"endorsement_index", "mentor_areas"} <= left_out
True
>>> "coe_competency" in contract_for("codes-only")["crosswalk"].column_names
False
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from pipeline.errors import PipelineError
from pipeline.formats import FORMATS
from pipeline.metadata import TABLES, Field, Table

if TYPE_CHECKING:
    from pipeline.sources import Source

PROFILES = ("open", "full", "codes-only")
#: What ``crosswalk build`` and ``make build`` publish, into the committed ``build/``.
DEFAULT_PROFILE = "open"
#: The columns of an audit log that name the row a log row is about.
AUDIT_DATASET, AUDIT_ROW_KEY = "dataset", "row_key"


@dataclass(frozen=True)
class Withheld:
    """Cells a build left null: ``column`` of ``resource`` in the rows that match
    ``rows`` (column → value; empty: every row), because the terms of ``source_id``
    (its ``redistribution``) do not allow redistributing its text."""

    resource: str
    column: str
    source_id: str
    redistribution: str
    reason: str
    rows: Mapping[str, str] = field(default_factory=dict, hash=False)

    def as_dict(self) -> dict:
        return {"resource": self.resource, "column": self.column,
                "source_id": self.source_id, "redistribution": self.redistribution,
                "rows": dict(self.rows), "reason": self.reason}


@dataclass(frozen=True)
class ProfiledTable(Table):
    """A table as a profile publishes it: the contract's table with what it withholds."""

    withheld: tuple[Withheld, ...] = ()


def verbatim_columns(table: Table) -> tuple[str, ...]:
    """The columns of ``table`` that hold the source documents' text."""
    return tuple(f.name for f in table.fields if f.verbatim)


def contract_for(profile: str, contract: Mapping[str, Table] = TABLES,
                 sources: Sequence[Source] | None = None,
                 present: Callable[[Withheld], bool] | None = None) -> dict[str, Table]:
    """The tables a build of ``profile`` publishes, each with the columns it keeps
    (``open`` follows the terms of ``sources``, the manifest's entries; ``present``: see
    :func:`withheld_cells`).

    A reduced table says so in its description, which ``datapackage.json`` carries.
    """
    if profile not in PROFILES:
        raise PipelineError(f"unknown profile {profile!r}", hint=f"use one of {PROFILES}")
    if profile == "full":
        return dict(contract)
    if profile == "open":
        if sources is None:
            raise PipelineError("the open profile follows the sources' terms: it needs the "
                                "manifest's sources")
        return open_contract(contract, sources, present)
    reduced: dict[str, Table] = {}
    for name, table in contract.items():
        dropped = verbatim_columns(table)
        if not dropped:
            reduced[name] = table
        elif not set(dropped) & set(table.key):
            reduced[name] = replace(
                table,
                fields=tuple(f for f in table.fields if not f.verbatim),
                sort_by=tuple(c for c in table.sort_by if c not in dropped),
                description=f"{table.description} Codes-only profile: the verbatim text "
                f"column(s) {', '.join(dropped)} of the source are left out.",
            )
    return reduced


# --- the open profile ----------------------------------------------------------------------


def sources_of(table: str, sources: Iterable[Source]) -> list[Source]:
    """The sources whose values ``table`` may hold: its primary source and witnesses, or
    every source for a table no format is the primary source of (an audit log)."""
    sources = list(sources)
    if not any(table in f.primary_tables for f in FORMATS.values()):
        return sources
    return [s for s in sources
            if table in FORMATS[s.format].primary_tables + FORMATS[s.format].witness_of]


def withheld_cells(contract: Mapping[str, Table], sources: Sequence[Source],
                   present: Callable[[Withheld], bool] | None = None,
                   ) -> dict[str, tuple[Withheld, ...]]:
    """What the open profile withholds from each table (tables with nothing withheld are
    left out): the verbatim columns in the rows of each source whose terms do not allow
    redistribution, and the ``row_key`` of audit rows about a dataset whose key holds one.
    ``present`` (given the published frames) keeps only what some row really has: a table
    may hold rows of every source (an audit log), a build has some of them."""
    withheld: dict[str, list[Withheld]] = {}
    for name, table in contract.items():
        for source in sources_of(name, sources):
            if source.terms.publish_text:
                continue
            witness = name in FORMATS[source.format].witness_of
            rows = {} if witness else {"source_id": source.id}
            withheld.setdefault(name, []).extend(
                _withheld(name, column, source, _reason(source), rows)
                for column in verbatim_columns(table))
    # An audit row names its row by the key: where the key holds withheld text, so does it.
    quoted_keys = []
    for dataset, entries in withheld.items():
        for source in (s for s in sources if any(e.source_id == s.id for e in entries)):
            columns = [c for c in contract[dataset].key
                       if any(e.column == c and e.source_id == source.id for e in entries)]
            if columns:
                quoted_keys.append((dataset, source, columns))
    for name, table in contract.items():
        if not {AUDIT_DATASET, AUDIT_ROW_KEY} <= set(table.column_names):
            continue
        for dataset, source, columns in quoted_keys:
            withheld.setdefault(name, []).append(_withheld(
                name, AUDIT_ROW_KEY, source,
                f"{_reason(source)}; the key of a {dataset} row holds its {', '.join(columns)}",
                {"source_id": source.id, AUDIT_DATASET: dataset}))
    return {name: kept for name, entries in withheld.items()
            if (kept := tuple(e for e in entries if present is None or present(e)))}


def _withheld(resource: str, column: str, source: Source, reason: str,
              rows: Mapping[str, str]) -> Withheld:
    return Withheld(resource, column, source.id, source.redistribution, reason, rows)


def open_contract(contract: Mapping[str, Table], sources: Sequence[Source],
                  present: Callable[[Withheld], bool] | None = None) -> dict[str, Table]:
    """The tables of the open profile: the contract's, with every withheld column no
    longer required and said to be withheld, and no key or foreign key over one
    (``present``: see :func:`withheld_cells`)."""
    withheld = withheld_cells(contract, sources, present)
    result: dict[str, Table] = {}
    for name, table in contract.items():
        if name not in withheld:
            result[name] = table
            continue
        columns = {w.column for w in withheld[name]}
        fields = tuple(replace(f, required=False,
                               description=f"{f.description} {_field_note(withheld[name], f)}")
                       if f.name in columns else f for f in table.fields)
        keyless = bool(set(table.key) & columns)
        result[name] = ProfiledTable(
            name=table.name, title=table.title,
            description=f"{table.description} {_table_note(withheld[name], keyless)}",
            fields=fields,
            primary_key=() if keyless else table.primary_key,
            foreign_keys=table.foreign_keys,
            unique=() if keyless else table.unique,
            sort_by=table.order if keyless else table.sort_by,
            withheld=withheld[name])
    return {name: replace(table, foreign_keys=tuple(
        fk for fk in table.foreign_keys
        if not set(fk.fields) & _withheld_columns(withheld, name)
        and not set(fk.reference) & _withheld_columns(withheld, fk.table)))
        for name, table in result.items()}


def documented_contract(sources: Sequence[Source],
                        contract: Mapping[str, Table] = TABLES) -> dict[str, Table]:
    """The contract as the data dictionary shows it: the full tables (every column as
    the full profile has it), each saying what the default open build withholds."""
    withheld = withheld_cells(contract, sources)
    documented = {}
    for name, table in contract.items():
        if name not in withheld:
            documented[name] = table
            continue
        columns = {w.column for w in withheld[name]}
        keyless = bool(set(table.key) & columns)
        documented[name] = replace(
            table,
            description=f"{table.description} {_table_note(withheld[name], keyless)}",
            fields=tuple(replace(f, description=f"{f.description} "
                                 f"{_field_note(withheld[name], f)}")
                         if f.name in columns else f for f in table.fields))
    return documented


def _withheld_columns(withheld: Mapping[str, tuple[Withheld, ...]], table: str) -> set[str]:
    return {w.column for w in withheld.get(table, ())}


def _reason(source: Source) -> str:
    return (f"the terms of {source.id} do not allow redistributing its text "
            f"(redistribution = {source.redistribution}: {source.terms.meaning})")


def _rows(entry: Withheld) -> str:
    if not entry.rows:
        return f"every row (its cells may come from {entry.source_id})"
    about = entry.rows.get(AUDIT_DATASET)
    return f"the rows of {entry.source_id}" + (f" about {about}" if about else "")


def _field_note(entries: Sequence[Withheld], field_: Field) -> str:
    """What the open profile does to one column.

    >>> entry = Withheld("t", "statement", "ct", "consent-required", "…", {"source_id": "ct"})
    >>> print(_field_note([entry], Field("statement", "string", "")).replace("; ", ";\\n"))
    Withheld (null) in the default open build in the rows of ct (consent-required);
    the full profile keeps it.
    """
    mine = [e for e in entries if e.column == field_.name]
    return ("Withheld (null) in the default open build in "
            + "; ".join(f"{_rows(e)} ({e.redistribution})" for e in mine)
            + "; the full profile keeps it.")


def _table_note(entries: Sequence[Withheld], keyless: bool) -> str:
    by_source: dict[tuple[str, str], list[str]] = {}
    for entry in entries:
        by_source.setdefault((entry.source_id, entry.redistribution), []).append(entry.column)
    parts = [f"{', '.join(dict.fromkeys(columns))} in the rows of {source_id} "
             f"({redistribution})" for (source_id, redistribution), columns in by_source.items()]
    note = ("Open profile (the default build): a source's text is withheld where its terms "
            f"do not allow redistribution — null: {'; '.join(parts)}. Rows, codes and the "
            "pointer to the source (source_id, source_line, source_page) are kept; "
            "datapackage.json lists the withheld cells in x_withheld.")
    if keyless:
        note += " The key holds withheld text, so the published table has no primary key."
    return note
