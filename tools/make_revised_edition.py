"""Make a revised edition of the crosswalk's text export, and the truth of what it changed.

A revision of a competency framework renumbers: a competency inserted as 3B.2 shifts the
old 3B.2–3B.4 to 3B.3–3B.5, one removed (6A.3) shifts its followers down, one moved to
another category (2C.2) takes a code there (2D.7). A diff that matches rows on their key
sees every shifted row as a rewrite of its neighbour; ``crosswalk diff`` should report
them as *renumbered*. This tool makes the test material for that, independent of how the
diff works:

1. :func:`revise` applies edits, declared as plain data (:data:`DEFAULT_OPERATIONS`, or
   :func:`random_operations` for a seeded random set), to a crosswalk text export and
   returns the revised text and the *correspondence* the edits define: old code → new code
   for every competency, old (code, mapping_seq) → new for every mapping row (``None`` on
   one side for what was removed or added). Every code reference of the document is kept
   consistent: the codes of the rows after an insertion, removal or move, the reverse
   table's CoE code lists (``1C2, 2A2, …``), a ``covered in 1C1`` note, ``See above.``
   cells whose row above changed, a category title whose row left.
2. :func:`truth` compares the two *built* datasets through that correspondence, for
   ``coe_competencies`` (key coe_code) and ``crosswalk`` (key coe_code, mapping_seq):
   ``renumbered`` — corresponding rows whose key differs; ``changed`` — corresponding rows
   with the same key whose content (provenance left out) differs; ``added`` / ``removed`` —
   keys with no counterpart.

Operations are applied in order. Each names the competency (or mapping row) it edits by
its code in the *original* document, wherever earlier operations have moved it; an
insertion or a move says where it goes by its position in the category *at that moment*
(``position=2``: it becomes the category's second competency; ``None``: the last). Targets
are found by parsing the document's structure (table headers, codes, categories), never by
line numbers.

    .venv/bin/python tools/make_revised_edition.py OUT                 # default edition
    .venv/bin/python tools/make_revised_edition.py OUT --random 12 --seed 3
    .venv/bin/python tools/make_revised_edition.py OUT --operations ops.json --no-build

OUT receives ``raw-old/`` and ``raw-new/`` (the document and a one-entry ``sources.toml``
each), ``operations.json``, ``correspondence.json`` and, unless ``--no-build``,
``build-old/``, ``build-new/`` and ``truth.json``. Score a diff report against the truth
with ``tools/score_diff.py``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import sys
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

import tomlkit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from pipeline.codes import category_of, natural_sort_key, split_leading_category
from pipeline.errors import PipelineError
from pipeline.extract.crosswalk_header import (
    FORWARD_COLUMNS,
    GROUP_ROW,
    Layout,
    header_layout,
)
from pipeline.transform.cells.vocabulary import (
    alignment_of,
    canonical_endorsement_domain,
    split_level,
    strip_glyphs,
)
from pipeline.transform.crosswalk_rows import is_see_above

RAW_EXPORT = ROOT / "raw" / "coe-alliance-crosswalk-2023.txt"
MANIFEST = ROOT / "raw" / "sources.toml"
SOURCE_ID = "coe-alliance-crosswalk-2023"
#: The datasets the truth covers, with their keys.
KEYS = {"coe_competencies": ("coe_code",), "crosswalk": ("coe_code", "mapping_seq")}
#: Columns that say where a row comes from, not what it says.
PROVENANCE = ("source_id", "source_line", "source_page")
PRIORITY_MARKS = {"Essential": "*", "Important": "• • •"}
ALIGNMENTS = ("same", "partial", "unique")


# --- operations: plain data --------------------------------------------------------------


@dataclass(frozen=True)
class Mapping:
    """One mapping row to write: the Endorsement domain, area and "demonstrated by" cells
    as the document prints them (``Reflection``, ``Self Awareness (MHM)``), and the
    alignment mark (``partial`` prints ``≈`` before the domain; ``unique`` prints the
    three ``Unique`` cells and ignores the others)."""

    domain: str = ""
    area: str = ""
    demonstrated_by: str = ""
    alignment: str = "same"

    def __post_init__(self) -> None:
        if self.alignment not in ALIGNMENTS:
            raise ValueError(f"alignment must be one of {', '.join(ALIGNMENTS)}: "
                             f"{self.alignment!r}")
        if self.alignment != "unique" and not (self.domain and self.area and self.demonstrated_by):
            raise ValueError("a mapping that is not unique needs domain, area and demonstrated_by")

    def cells(self) -> dict[str, str]:
        if self.alignment == "unique":
            return {"endorsement_domain": "≠ Unique", "area": "# Unique",
                    "demonstrated_by": "≠ Unique"}
        mark = "≈ " if self.alignment == "partial" else ""
        return {"endorsement_domain": mark + self.domain, "area": self.area,
                "demonstrated_by": self.demonstrated_by}


@dataclass(frozen=True)
class InsertCompetency:
    """A new competency in ``category`` at ``position`` (1-based; None: after the last);
    the codes from that position on shift up by one."""

    category: str
    text: str
    position: int | None = None
    priority: str = "Essential"
    mappings: tuple[Mapping, ...] = (Mapping(alignment="unique"),)


@dataclass(frozen=True)
class RemoveCompetency:
    """Competency ``code`` and its mapping rows removed; the codes after it shift down."""

    code: str


@dataclass(frozen=True)
class MoveCompetency:
    """Competency ``code`` (with its mapping rows) moved to ``category`` at ``position``
    (None: after the last); the codes after it in its old category shift down, those from
    ``position`` on in the new one shift up."""

    code: str
    category: str
    position: int | None = None


@dataclass(frozen=True)
class Reword:
    """Words of competency ``code``'s text replaced: each (old, new) pair replaces the
    first whole-word occurrence of ``old``."""

    code: str
    changes: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SetArea:
    """Mapping row ``seq`` of ``code`` mapped to another Endorsement domain and area (its
    alignment mark kept; ``demonstrated_by`` replaced when given)."""

    code: str
    seq: int
    domain: str
    area: str
    demonstrated_by: str | None = None


@dataclass(frozen=True)
class SetAlignment:
    """Mapping row ``seq`` of ``code`` marked ``same`` or ``partial``."""

    code: str
    seq: int
    alignment: str


@dataclass(frozen=True)
class AddMapping:
    """A mapping row added after the last one of ``code``."""

    code: str
    mapping: Mapping


@dataclass(frozen=True)
class RemoveMapping:
    """Mapping row ``seq`` of ``code`` removed (the competency keeps its text and priority
    when the first row goes)."""

    code: str
    seq: int


@dataclass(frozen=True)
class SetPriority:
    """Competency ``code`` made ``Essential`` or ``Important``."""

    code: str
    priority: str


Operation = (InsertCompetency | RemoveCompetency | MoveCompetency | Reword | SetArea
             | SetAlignment | AddMapping | RemoveMapping | SetPriority)
#: Operation kinds by their name in JSON.
OPERATIONS: dict[str, type] = {
    "insert_competency": InsertCompetency, "remove_competency": RemoveCompetency,
    "move_competency": MoveCompetency, "reword": Reword, "set_area": SetArea,
    "set_alignment": SetAlignment, "add_mapping": AddMapping,
    "remove_mapping": RemoveMapping, "set_priority": SetPriority,
}
_KIND_OF = {cls: name for name, cls in OPERATIONS.items()}


def operation_to_dict(op: Operation) -> dict:
    """``{"op": "move_competency", "code": "2C.2", "category": "2D", "position": null}``."""
    return {"op": _KIND_OF[type(op)], **asdict(op)}


def operation_from_dict(data: dict) -> Operation:
    data = dict(data)
    kind = OPERATIONS.get(data.pop("op", None))
    if kind is None:
        raise ValueError(f"unknown operation {data!r}; known: {', '.join(OPERATIONS)}")
    names = {f.name for f in fields(kind)}
    unknown = set(data) - names
    if unknown:
        raise ValueError(f"{_KIND_OF[kind]}: unknown field(s) {', '.join(sorted(unknown))}")
    if "mappings" in data:
        data["mappings"] = tuple(Mapping(**m) for m in data["mappings"])
    if "mapping" in data:
        data["mapping"] = Mapping(**data["mapping"])
    if "changes" in data:
        data["changes"] = tuple(tuple(pair) for pair in data["changes"])
    return kind(**data)


#: The default revised edition: every kind of edit at least once, and the interactions a
#: renumbering diff must get right (a competency reworded *and* renumbered, a category
#: title on a row that leaves, a ``See above.`` row becoming a competency's first row).
DEFAULT_OPERATIONS: tuple[Operation, ...] = (
    # 3B.2–3B.4 become 3B.3–3B.5; the reverse table lists the new 3B.2 under self awareness.
    InsertCompetency(
        "3B", position=2, priority="Essential",
        text="Examines how one's own cultural identity and lived experiences shape "
        "expectations of families and staff, and seeks feedback from colleagues to "
        "recognize blind spots.",
        mappings=(Mapping("Reflection", "Self Awareness",
                          "Regularly examines own thoughts, feelings, strengths, and growth "
                          "areas"),)),
    # Reworded and renumbered: the old 3B.3 is now 3B.4.
    Reword("3B.3", (("capacity", "ability"), ("alert", "attentive"))),
    # 6A.4 becomes 6A.3; both of 6A.3's mapping rows go.
    RemoveCompetency("6A.3"),
    # The last of 2C, appended to 2D: 2D.7.
    MoveCompetency("2C.2", "2D"),
    # From the middle of 5A (5A.3–5A.5 shift down) to 5C's second place (5C.2–5C.3 up).
    MoveCompetency("5A.2", "5C", position=2),
    # A new last competency of domain 8, unique to the CoE.
    InsertCompetency(
        "8D", priority="Important",
        text="Partners with families and community members to review how local policies "
        "affect access to services, and shares what is learned with program leaders.",
        mappings=(Mapping(alignment="unique"),)),
    # Reworded, keeping its code.
    Reword("1F.4", (("Seeks", "Pursues"), ("experiences", "opportunities"))),
    # Remapped: another Endorsement area (the reverse table follows).
    SetArea("8C.2", 1, "Leading People (MHM)", "Advocacy (MHM)"),
    # Remapped: the alignment mark.
    SetAlignment("5B.4", 1, "partial"),
    # A mapping row added.
    AddMapping("2E.2", Mapping("Reflection", "Self Awareness",
                               "Seeks a high degree of congruence between self-perception "
                               "and the way others perceive him/her")),
    # The first mapping row removed: 4B.1/2 becomes 4B.1/1 and carries the category title.
    RemoveMapping("4B.1", 1),
    # Another priority.
    SetPriority("7C.1", "Essential"),
)


# --- the document's structure ------------------------------------------------------------

_PATH = Path("<revised edition>")
# A competency code at the start of a skill cell, each part in its own group so it can be
# rewritten in the spelling it has (``2A. 5.``, ``3A.7.Demonstrates``): the same shape as
# pipeline.codes reads.
_LEADING_CODE = re.compile(r"^\s*([1-8])\s*([A-H])\s*\.\s*(\d{1,2})(?!\d)\s*\.?\s*")
_LEADING_CATEGORY = re.compile(r"^\s*([1-8])\s*([A-H])(?=\s*\.?(?:\s|$))")
# A code in a list or a note: ``1C2``, ``2A11``, ``1C.1``.
_CODE_TOKEN = re.compile(r"(?<![0-9A-Za-z.])([1-8])([A-H])(\.?)(\d{1,2})(?![0-9A-Za-z])")
_UNIQUE_TO_ALLIANCE = re.compile(r"^\s*unique to alliance\.?\s*$", re.IGNORECASE)
# The level tag that closes every area of the reverse table (``… (IFA, IFS, MHS, MHM)``).
_LEVEL_TAG = re.compile(r"\([^()]*\)\s*\)?\s*$")


@dataclass
class Row:
    """A row of one of the two tables: its first line, all its lines (the first and its
    continuation lines), and its cells joined as the extractor joins them."""

    start: int
    lines: list[int]
    cells: dict[str, str]

    @property
    def code(self) -> str:
        """The canonical code of a forward row (``2A.5`` for ``2A. 5.``)."""
        match = _LEADING_CODE.match(self.cells["skill"])
        return f"{match.group(1)}{match.group(2)}.{int(match.group(3))}"

    @property
    def text(self) -> str:
        """The skill cell of a forward row after its code."""
        return self.cells["skill"][_LEADING_CODE.match(self.cells["skill"]).end():].strip()


@dataclass
class Structure:
    """The tables of a crosswalk text export: forward rows and reverse-table rows in
    document order, and the table layout in force at each line."""

    rows: list[Row]
    areas: list[Row]
    layouts: list[Layout | None]

    def competencies(self) -> dict[str, list[Row]]:
        """Code → its mapping rows, in document order."""
        found: dict[str, list[Row]] = {}
        for row in self.rows:
            found.setdefault(row.code, []).append(row)
        return found

    def categories(self) -> dict[str, list[str]]:
        """Category → its competency codes, in document order."""
        found: dict[str, list[str]] = {}
        for code in self.competencies():
            found.setdefault(category_of(code), []).append(code)
        return found


def read_structure(lines: Sequence[str]) -> Structure:
    """The rows of both tables, read as the extractor reads them: a tab-separated line is
    a header (its layout holds until the next one), a row (a forward row starts with a
    competency code, a reverse row with an area not cut off by a page break) or the
    continuation of the row above."""
    rows: list[Row] = []
    areas: list[Row] = []
    layouts: list[Layout | None] = []
    layout: Layout | None = None
    for index, text in enumerate(lines):
        layouts.append(None)
        if "\t" not in text or not text.strip():
            continue
        fields_ = text.split("\t")
        try:
            found = _header(text)
        except PipelineError as error:
            raise ValueError(f"line {index + 1}: {error.message}") from None
        if found is GROUP_ROW:
            continue
        if found is not None:
            layout = found
            continue
        if layout is None:
            continue
        layouts[index] = layout
        cells = layout.split(fields_, _PATH, index + 1)
        forward = layout.columns == FORWARD_COLUMNS
        table = rows if forward else areas
        if _starts_row(cells, forward, table[-1] if table else None):
            table.append(Row(index, [index], cells))
        elif table:
            _absorb(table[-1], cells, index)
    return Structure(rows, areas, layouts)


@lru_cache(maxsize=8192)
def _header(text: str) -> Layout | None:
    """The layout a header line declares, None for any other line (cached: a revision
    reads every line again after each edit)."""
    return header_layout(text.split("\t"), _PATH, 0)


def _starts_row(cells: dict[str, str], forward: bool, above: Row | None) -> bool:
    if forward:
        return _LEADING_CODE.match(cells["skill"]) is not None
    if not cells["area"].strip():
        return False
    return not (above is not None and not cells["endorsement_domain"].strip()
                and not _LEVEL_TAG.search(above.cells["area"]))


def _absorb(row: Row, cells: dict[str, str], index: int) -> None:
    for column, tail in cells.items():
        if tail.strip():
            head = row.cells[column]
            row.cells[column] = f"{head} {tail}" if head.strip() else tail
    row.lines.append(index)


# --- the edition being revised ---------------------------------------------------------


@dataclass(frozen=True)
class Tag:
    """Which row of the original a forward row is: its competency (original code, or
    ``+1``, ``+2`` … for an inserted one) and its slot (original mapping_seq, or ``+1`` …
    for an added row)."""

    competency: str
    slot: int | str


@dataclass
class Edition:
    """The lines of a document being revised, each forward row's first line tagged with
    what it was in the original, and each competency's category."""

    lines: list[str]
    tags: list[Tag | None]
    category: dict[str, str]
    #: original codes of the competencies, in document order
    original: list[str]
    #: tags of the original's mapping rows, in document order
    original_rows: list[Tag]
    inserted: int = 0
    added_rows: int = 0

    @classmethod
    def of(cls, text: str) -> Edition:
        lines = text.split("\n")
        structure = read_structure(lines)
        tags: list[Tag | None] = [None] * len(lines)
        seen: dict[str, int] = {}
        for row in structure.rows:
            seen[row.code] = seen.get(row.code, 0) + 1
            tags[row.start] = Tag(row.code, seen[row.code])
        category = {code: category_of(code) for code in seen}
        return cls(lines, tags, category, list(seen),
                   [tags[row.start] for row in structure.rows])

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def structure(self) -> Structure:
        return read_structure(self.lines)

    def tag(self, row: Row) -> Tag:
        return self.tags[row.start]

    def rows_of(self, structure: Structure) -> dict[str, list[Row]]:
        """Competency (original code or ``+n``) → its rows, in document order."""
        found: dict[str, list[Row]] = {}
        for row in structure.rows:
            found.setdefault(self.tag(row).competency, []).append(row)
        return found

    def order(self, structure: Structure) -> dict[str, list[str]]:
        """Category → its competencies, in document order."""
        found: dict[str, list[str]] = {}
        for competency in self.rows_of(structure):
            found.setdefault(self.category[competency], []).append(competency)
        return found

    def codes(self, structure: Structure) -> dict[str, str]:
        """Competency → the code its place gives it (``3B.2`` for the second of 3B)."""
        return {competency: f"{category}.{number}"
                for category, members in self.order(structure).items()
                for number, competency in enumerate(members, start=1)}

    # -- line edits --

    def delete(self, indexes: Iterable[int]) -> None:
        for index in sorted(set(indexes), reverse=True):
            del self.lines[index]
            del self.tags[index]

    def insert(self, at: int, lines: list[str], tags: list[Tag | None]) -> None:
        self.lines[at:at] = lines
        self.tags[at:at] = tags

    def set_cell(self, structure: Structure, row: Row, column: str, text: str) -> None:
        """Write a whole cell of ``row``: on its first line, the cell's tails on its
        continuation lines emptied."""
        for number, index in enumerate(row.lines):
            layout = structure.layouts[index]
            group = layout.groups[layout.columns.index(column)]
            parts = self.lines[index].split("\t")
            parts += [""] * (layout.width - len(parts))
            for position in group:
                parts[position] = ""
            if number == 0:
                parts[group[0]] = text
            self.lines[index] = "\t".join(parts)
        row.cells[column] = text

    def set_field(self, index: int, position: int, text: str) -> None:
        parts = self.lines[index].split("\t")
        parts[position] = text
        self.lines[index] = "\t".join(parts)


def render(layout: Layout, cells: dict[str, str]) -> str:
    """One table line holding ``cells`` under ``layout`` (a split column's text in its
    first field)."""
    parts = [""] * layout.width
    for column, group in zip(layout.columns, layout.groups):
        parts[group[0]] = cells.get(column, "")
    return "\t".join(parts)


# --- applying the operations ---------------------------------------------------------------


@dataclass
class Revision:
    """A revised document and the correspondence its edits define.

    ``competencies``: [old code or None, new code or None] for every competency of either
    edition; ``mapping_rows``: [[old code, old seq] or None, [new code, new seq] or None]
    for every mapping row."""

    text: str
    operations: tuple[Operation, ...]
    competencies: list[list[str | None]]
    mapping_rows: list[list[list | None]]

    def correspondence(self) -> dict[str, list[list[dict | None]]]:
        """As JSON keys: ``{"coe_competencies": [[{"coe_code": "3B.2"}, {"coe_code":
        "3B.3"}], [{"coe_code": "6A.3"}, null], …], "crosswalk": [[{"coe_code": "3B.2",
        "mapping_seq": 1}, …], …]}``."""
        def key(values, dataset):
            return None if values is None else dict(zip(KEYS[dataset], values))
        return {
            "coe_competencies": [[key(None if o is None else [o], "coe_competencies"),
                                  key(None if n is None else [n], "coe_competencies")]
                                 for o, n in self.competencies],
            "crosswalk": [[key(o, "crosswalk"), key(n, "crosswalk")]
                          for o, n in self.mapping_rows],
        }


def revise(text: str, operations: Sequence[Operation] = DEFAULT_OPERATIONS) -> Revision:
    """Apply ``operations`` in order to a crosswalk text export."""
    edition = Edition.of(text)
    for number, op in enumerate(operations, start=1):
        try:
            _apply(edition, op)
        except (ValueError, KeyError) as error:
            raise ValueError(f"operation {number} ({_KIND_OF[type(op)]}): {error}") from None
    edition.delete(i for i, line in enumerate(edition.lines)
                   if line and not line.strip() and "\t" in line)  # rows emptied by edits
    return _revision(edition, tuple(operations))


def _revision(edition: Edition, operations: tuple[Operation, ...]) -> Revision:
    structure = edition.structure()
    codes = edition.codes(structure)
    competencies = [[old, codes.get(old)] for old in edition.original]
    competencies += [[None, code] for competency, code in codes.items()
                     if competency.startswith("+")]
    new_rows: dict[Tag, list] = {}
    seq: dict[str, int] = {}
    for row in structure.rows:
        seq[row.code] = seq.get(row.code, 0) + 1
        new_rows[edition.tag(row)] = [row.code, seq[row.code]]
    mapping_rows = [[[tag.competency, tag.slot], new_rows.get(tag)]
                    for tag in edition.original_rows]
    original = set(edition.original_rows)
    mapping_rows += [[None, key] for tag, key in new_rows.items() if tag not in original]
    return Revision(edition.text, operations, competencies, mapping_rows)


def _apply(edition: Edition, op: Operation) -> None:
    structure = edition.structure()
    before = {edition.tag(rows[0]).competency: rows[0].code
              for rows in edition.rows_of(structure).values()}
    snapshot = _see_above_snapshot(edition, structure)
    _EDITS[type(op)](edition, op)
    _restore_see_above(edition, snapshot)
    _title_on_first_row(edition)
    _renumber(edition, before)
    if isinstance(op, InsertCompetency):  # the reverse table lists it under its final code
        structure = edition.structure()
        competency = f"+{edition.inserted}"
        for row in edition.rows_of(structure)[competency]:
            if _mapped(row):
                _list_in_reverse_table(edition, structure, row, competency)
                structure = edition.structure()


def _target(edition: Edition, structure: Structure, code: str) -> list[Row]:
    rows = edition.rows_of(structure).get(code)
    if not rows:
        raise ValueError(f"no competency {code} (of the original document) is left")
    return rows


def _target_row(edition: Edition, structure: Structure, code: str, seq: int) -> Row:
    for row in _target(edition, structure, code):
        if edition.tag(row) == Tag(code, seq):
            return row
    raise ValueError(f"no mapping row {code}/{seq} (of the original document) is left")


def _insert_competency(edition: Edition, op: InsertCompetency) -> None:
    if op.priority not in PRIORITY_MARKS:
        raise ValueError(f"priority must be Essential or Important: {op.priority!r}")
    if not op.mappings:
        raise ValueError("a competency needs at least one mapping row")
    structure = edition.structure()
    at, layout = _place(edition, structure, op.category, op.position)
    edition.inserted += 1
    competency = f"+{edition.inserted}"
    edition.category[competency] = op.category
    code = f"{op.category}.{op.position or 1}"  # rewritten by the renumbering
    lines = []
    for number, mapping in enumerate(op.mappings):
        lines.append(render(layout, {
            "category": f"{op.category}.",
            "skill": f"{code}. {op.text}" if number == 0 else f"{code}. See above.",
            "priority": PRIORITY_MARKS[op.priority] if number == 0 else "• • •",
            **mapping.cells(),
        }))
    edition.insert(at, lines, [Tag(competency, n) for n in range(1, len(lines) + 1)])


def _remove_competency(edition: Edition, op: RemoveCompetency) -> None:
    structure = edition.structure()
    rows = _target(edition, structure, op.code)
    _keep_category(edition, structure, op.code)
    _hand_on_title(edition, structure, rows)
    edition.delete(i for row in rows for i in row.lines)
    del edition.category[op.code]


def _move_competency(edition: Edition, op: MoveCompetency) -> None:
    structure = edition.structure()
    rows = _target(edition, structure, op.code)
    if edition.category[op.code] == op.category:
        raise ValueError(f"{op.code} is in {op.category} already")
    if op.category not in edition.order(structure):
        raise ValueError(f"no category {op.category}")
    _keep_category(edition, structure, op.code)
    moving = [(dict(row.cells), edition.tag(row)) for row in rows]
    _hand_on_title(edition, structure, rows)
    edition.delete(i for row in rows for i in row.lines)
    edition.category[op.code] = op.category
    structure = edition.structure()
    at, layout = _place(edition, structure, op.category, op.position)
    lines = [render(layout, {**cells, "category": f"{op.category}."}) for cells, _ in moving]
    edition.insert(at, lines, [tag for _, tag in moving])


def _reword(edition: Edition, op: Reword) -> None:
    structure = edition.structure()
    row = _target(edition, structure, op.code)[0]
    for old, new in op.changes:
        pattern = re.compile(rf"(?<!\w){re.escape(old)}(?!\w)")
        for index in row.lines:
            layout = structure.layouts[index]
            group = layout.groups[layout.columns.index("skill")]
            parts = edition.lines[index].split("\t")
            hit = next((p for p in group if p < len(parts) and pattern.search(
                parts[p][_code_end(parts[p]) if index == row.start else 0:])), None)
            if hit is not None:
                start = _code_end(parts[hit]) if index == row.start else 0
                parts[hit] = parts[hit][:start] + pattern.sub(new, parts[hit][start:], count=1)
                edition.lines[index] = "\t".join(parts)
                break
        else:
            raise ValueError(f"{op.code}: no word {old!r} in its text")


def _code_end(cell: str) -> int:
    match = _LEADING_CODE.match(cell)
    return match.end() if match else 0


def _set_area(edition: Edition, op: SetArea) -> None:
    structure = edition.structure()
    row = _target_row(edition, structure, op.code, op.seq)
    alignment = alignment_of([row.cells[c] for c in ("endorsement_domain", "area",
                                                     "demonstrated_by")])
    if alignment == "unique":
        raise ValueError(f"{op.code}/{op.seq} is unique to the CoE: it maps to no area")
    old = _reverse_row(structure, row.cells)
    mark = "≈ " if alignment == "partial" else ""
    edition.set_cell(structure, row, "endorsement_domain", mark + op.domain)
    edition.set_cell(structure, row, "area", op.area)
    if op.demonstrated_by is not None:
        edition.set_cell(structure, row, "demonstrated_by", op.demonstrated_by)
    structure = edition.structure()
    _unlist_if_unmapped(edition, structure, op.code, old)
    _list_in_reverse_table(edition, structure, _target_row(edition, structure, op.code, op.seq),
                           op.code)


def _set_alignment(edition: Edition, op: SetAlignment) -> None:
    if op.alignment not in ("same", "partial"):
        raise ValueError(f"alignment must be same or partial: {op.alignment!r}")
    structure = edition.structure()
    row = _target_row(edition, structure, op.code, op.seq)
    cells = dict(row.cells)
    if alignment_of([cells["endorsement_domain"], cells["area"],
                     cells["demonstrated_by"]]) == "unique":
        raise ValueError(f"{op.code}/{op.seq} is unique to the CoE")
    domain, area = strip_glyphs(cells["endorsement_domain"])[0], strip_glyphs(cells["area"])[0]
    domain = ("≈ " if op.alignment == "partial" else "") + domain
    if alignment_of([domain, area, cells["demonstrated_by"]]) != op.alignment:
        raise ValueError(f"{op.code}/{op.seq}: a mark outside the domain and area cells "
                         f"keeps it from being {op.alignment}")
    edition.set_cell(structure, row, "endorsement_domain", domain)
    edition.set_cell(structure, row, "area", area)


def _add_mapping(edition: Edition, op: AddMapping) -> None:
    structure = edition.structure()
    rows = _target(edition, structure, op.code)
    last = rows[-1]
    layout = structure.layouts[max(last.lines)]
    edition.added_rows += 1
    tag = Tag(op.code, f"+{edition.added_rows}")
    line = render(layout, {"category": f"{edition.category[op.code]}.",
                           "skill": f"{last.code}. See above.",
                           "priority": last.cells["priority"], **op.mapping.cells()})
    edition.insert(max(last.lines) + 1, [line], [tag])
    structure = edition.structure()
    new = next(row for row in structure.rows if edition.tag(row) == tag)
    if op.mapping.alignment != "unique":
        _list_in_reverse_table(edition, structure, new, op.code)


def _remove_mapping(edition: Edition, op: RemoveMapping) -> None:
    structure = edition.structure()
    rows = _target(edition, structure, op.code)
    row = _target_row(edition, structure, op.code, op.seq)
    if len(rows) < 2:
        raise ValueError(f"{op.code} has one mapping row: remove the competency instead")
    old = _reverse_row(structure, row.cells)
    if row is rows[0]:  # the next row becomes the competency's first: it keeps its priority
        edition.set_cell(structure, rows[1], "priority", row.cells["priority"])
    _hand_on_title(edition, structure, [row])
    edition.delete(row.lines)
    _unlist_if_unmapped(edition, edition.structure(), op.code, old)


def _set_priority(edition: Edition, op: SetPriority) -> None:
    if op.priority not in PRIORITY_MARKS:
        raise ValueError(f"priority must be Essential or Important: {op.priority!r}")
    structure = edition.structure()
    row = _target(edition, structure, op.code)[0]
    edition.set_cell(structure, row, "priority", PRIORITY_MARKS[op.priority])


_EDITS = {InsertCompetency: _insert_competency, RemoveCompetency: _remove_competency,
          MoveCompetency: _move_competency, Reword: _reword, SetArea: _set_area,
          SetAlignment: _set_alignment, AddMapping: _add_mapping,
          RemoveMapping: _remove_mapping, SetPriority: _set_priority}


def _place(edition: Edition, structure: Structure, category: str,
           position: int | None) -> tuple[int, Layout]:
    """Where a competency goes to take ``position`` in ``category`` (before the first line
    of the one there now, or after the last line of the last), and the table layout in
    force there."""
    members = edition.order(structure).get(category)
    if not members:
        raise ValueError(f"no category {category}")
    if position is not None and not 1 <= position <= len(members) + 1:
        raise ValueError(f"position {position} is outside category {category} "
                         f"(1 to {len(members) + 1})")
    rows = edition.rows_of(structure)
    if position is None or position == len(members) + 1:
        last = max(rows[members[-1]][-1].lines)
        return last + 1, structure.layouts[last]
    first = rows[members[position - 1]][0].start
    return first, structure.layouts[first]


def _keep_category(edition: Edition, structure: Structure, competency: str) -> None:
    category = edition.category[competency]
    if edition.order(structure)[category] == [competency]:
        raise ValueError(f"{competency} is the only competency of {category}: the category "
                         "would go and the later ones would need new letters")


def _hand_on_title(edition: Edition, structure: Structure, leaving: list[Row]) -> None:
    """A category's title is printed on one of its rows: when that row leaves, the next
    row of the category (or the first, if none follows) prints it."""
    gone = {row.start for row in leaving}
    for row in leaving:
        if not split_leading_category(row.cells["category"])[1]:
            continue
        category = edition.category[edition.tag(row).competency]
        staying = [r for r in structure.rows if r.start not in gone
                   and edition.category[edition.tag(r).competency] == category]
        if not staying:
            continue
        heir = next((r for r in staying if r.start > row.start), staying[0])
        edition.set_cell(structure, heir, "category", row.cells["category"])


def _title_on_first_row(edition: Edition) -> None:
    """Each category's title printed on its first row (a competency inserted or moved to
    the front of a category takes it over)."""
    structure = edition.structure()
    rows: dict[str, list[Row]] = {}
    for row in structure.rows:
        rows.setdefault(edition.category[edition.tag(row).competency], []).append(row)
    for category, members in rows.items():
        bearer = next((r for r in members
                       if split_leading_category(r.cells["category"])[1]), None)
        if bearer is None or bearer is members[0]:
            continue
        title = bearer.cells["category"]
        edition.set_cell(structure, bearer, "category", f"{category}.")
        edition.set_cell(structure, members[0], "category", title)


def _see_above_snapshot(edition: Edition, structure: Structure) -> dict:
    """What every ``See above.`` stands for now: a row's "demonstrated by" text and the
    row above it, each competency's text."""
    demonstrated, above, text = {}, {}, {}
    resolved, previous = "", None
    for row in structure.rows:
        tag = edition.tag(row)
        cell = row.cells["demonstrated_by"].strip()
        resolved = resolved if is_see_above(cell) else cell
        demonstrated[tag], above[tag], previous = resolved, previous, tag
        if tag.competency not in text and not is_see_above(row.text):
            text[tag.competency] = row.text
    return {"demonstrated": demonstrated, "above": above, "text": text}


def _restore_see_above(edition: Edition, snapshot: dict) -> None:
    """A ``See above.`` whose row above changed gets the text it stood for; a
    competency's first row that says ``See above.`` gets the competency's text."""
    structure = edition.structure()
    previous = None
    for row in structure.rows:
        tag = edition.tag(row)
        if (is_see_above(row.cells["demonstrated_by"].strip())
                and tag in snapshot["above"] and snapshot["above"][tag] != previous):
            edition.set_cell(structure, row, "demonstrated_by", snapshot["demonstrated"][tag])
        previous = tag
    for rows in edition.rows_of(structure).values():
        first = rows[0]
        if is_see_above(first.text):
            cell = first.cells["skill"]
            text = snapshot["text"][edition.tag(first).competency]
            edition.set_cell(structure, first, "skill", cell[:_code_end(cell)] + text)


def _renumber(edition: Edition, before: dict[str, str]) -> None:
    """Every competency gets the code of its place; every reference to a code follows
    (the reverse table's lists, ``covered in`` notes); a reference to a removed
    competency goes."""
    structure = edition.structure()
    codes = edition.codes(structure)
    for row in structure.rows:
        competency = edition.tag(row).competency
        want = codes[competency]
        if row.code != want:
            _rewrite_leading(edition, structure, row, "skill", _LEADING_CODE, want)
        category, _ = split_leading_category(row.cells["category"])
        if category is not None and category != edition.category[competency]:
            _rewrite_leading(edition, structure, row, "category", _LEADING_CATEGORY,
                             edition.category[competency])
    renamed = {old: codes.get(competency) for competency, old in before.items()}
    if all(old == new for old, new in renamed.items()):
        return
    structure = edition.structure()
    for row in structure.rows:
        note = row.cells["priority"]
        if _CODE_TOKEN.search(note) and re.search(r"[A-Za-z]{2}", note):
            if any(renamed.get(code) is None and code in renamed for code in _codes_in(note)):
                edition.set_cell(structure, row, "priority", PRIORITY_MARKS["Important"])
            elif _renamed(note, renamed) != note:
                edition.set_cell(structure, row, "priority", _renamed(note, renamed))
    for area in structure.areas:
        cell = area.cells["coe_codes"]
        items = [item.strip() for item in cell.split(",")]
        if any(renamed.get(_canonical(item)) is None and _canonical(item) in renamed
               for item in items):
            kept = [_renamed(item, renamed) for item in items
                    if not (_canonical(item) in renamed and renamed[_canonical(item)] is None)]
            edition.set_cell(structure, area, "coe_codes",
                             ", ".join(kept) if kept else "Unique to Alliance")
        elif _renamed(cell, renamed) != cell:
            edition.set_cell(structure, area, "coe_codes", _renamed(cell, renamed))


def _rewrite_leading(edition: Edition, structure: Structure, row: Row, column: str,
                     pattern: re.Pattern, code: str) -> None:
    """The code at the start of a cell rewritten in the spelling it has there."""
    layout = structure.layouts[row.start]
    group = layout.groups[layout.columns.index(column)]
    parts = edition.lines[row.start].split("\t")
    position = next(p for p in group if p < len(parts) and parts[p].strip())
    match = pattern.match(parts[position])
    new = [code[0], code[1]] + ([code.split(".")[1]] if pattern is _LEADING_CODE else [])
    text = parts[position]
    for number in reversed(range(1, len(new) + 1)):
        text = text[:match.start(number)] + new[number - 1] + text[match.end(number):]
    edition.set_field(row.start, position, text)


def _codes_in(text: str) -> list[str]:
    return [f"{m.group(1)}{m.group(2)}.{int(m.group(4))}" for m in _CODE_TOKEN.finditer(text)]


def _canonical(item: str) -> str | None:
    match = _CODE_TOKEN.fullmatch(item.strip())
    return f"{match.group(1)}{match.group(2)}.{int(match.group(4))}" if match else None


def _renamed(text: str, renamed: dict[str, str | None]) -> str:
    """Codes in ``text`` renamed, each in its spelling (``1C2`` → ``1C3``, ``1C.2`` →
    ``1C.3``); codes naming no competency stay as they are."""
    def rename(match: re.Match) -> str:
        code = f"{match.group(1)}{match.group(2)}.{int(match.group(4))}"
        new = renamed.get(code)
        if new is None:
            return match.group(0)
        category, number = new.split(".")
        return f"{category}{match.group(3)}{number}"
    return _CODE_TOKEN.sub(rename, text)


# --- the reverse table --------------------------------------------------------------------


def _area_words(cell: str) -> list[str]:
    """The words of an area, its level tags and a line-end hyphenation (``De- velopment``)
    left out: ``['infant', 'young', 'child', 'development', 'and', 'behavior']``."""
    text = re.sub(r"\([^)]*\)?", " ", strip_glyphs(cell)[0]).replace("&", " and ")
    text = re.sub(r"(?<=[a-z])- (?=[a-z])", "", text)
    return re.findall(r"[a-z]+", text.lower())


def _same_area(a: str, b: str) -> bool:
    """Two spellings of one area: the same letters (``Self- Awareness`` / ``self
    awareness``) or the same words in another order (``Personal/ Professional
    Development`` / ``professional/personal development``)."""
    x, y = _area_words(a), _area_words(b)
    return bool(x) and ("".join(x) == "".join(y) or sorted(x) == sorted(y))


def _domain(cell: str) -> str | None:
    return canonical_endorsement_domain(split_level(strip_glyphs(cell)[0])[0])


def _reverse_row(structure: Structure, cells: dict[str, str]) -> Row | None:
    """The reverse-table row of a mapping row's area (its domain decides between areas of
    the same name), or None."""
    found = [a for a in structure.areas if _same_area(a.cells["area"], cells["area"])]
    if len(found) > 1:
        domain = _domain(cells["endorsement_domain"])
        found = [a for a in found if _domain(a.cells["endorsement_domain"]) == domain] or found
    return found[0] if found else None


def _list_in_reverse_table(edition: Edition, structure: Structure, row: Row,
                           competency: str) -> None:
    """The competency's code listed under the area of its mapping row ``row``, in code
    order; an area printing ``Unique to Alliance`` then lists only it."""
    area = _reverse_row(structure, row.cells)
    if area is None:
        raise ValueError(f"no area of the reverse table matches {row.cells['area']!r} "
                         f"({row.cells['endorsement_domain']!r})")
    code = edition.codes(structure)[competency]
    cell = area.cells["coe_codes"]
    if _UNIQUE_TO_ALLIANCE.match(cell) or not cell.strip():
        edition.set_cell(structure, area, "coe_codes", code.replace(".", ""))
        return
    items = [item.strip() for item in cell.split(",")]
    if code in {_canonical(item) for item in items}:
        return
    key = natural_sort_key(code)
    at = next((i for i, item in enumerate(items)
               if _canonical(item) and natural_sort_key(_canonical(item)) > key), len(items))
    items.insert(at, code.replace(".", ""))
    edition.set_cell(structure, area, "coe_codes", ", ".join(items))


def _unlist_if_unmapped(edition: Edition, structure: Structure, competency: str,
                        area: Row | None) -> None:
    """The competency's code taken off the reverse-table row ``area`` (found before the
    edit) when none of its mapping rows maps to that area any more."""
    if area is None:
        return
    area = next((a for a in structure.areas if a.cells["area"] == area.cells["area"]
                 and a.cells["endorsement_domain"] == area.cells["endorsement_domain"]), None)
    if area is None:
        return
    rows = edition.rows_of(structure)[competency]
    if any(_reverse_row(structure, row.cells) is area for row in rows
           if alignment_of([row.cells["endorsement_domain"], row.cells["area"],
                            row.cells["demonstrated_by"]]) != "unique"):
        return
    code = edition.codes(structure)[competency]
    items = [item.strip() for item in area.cells["coe_codes"].split(",")]
    kept = [item for item in items if _canonical(item) != code]
    if kept != items:
        edition.set_cell(structure, area, "coe_codes",
                         ", ".join(kept) if kept else "Unique to Alliance")


# --- random operations -----------------------------------------------------------------

#: Word swaps a reword picks from: common words of the crosswalk and a plain substitute.
SYNONYMS = {
    "Understands": "Recognizes", "Demonstrates": "Shows", "Supports": "Assists",
    "ability": "capacity", "capacity": "ability", "importance": "value",
    "families": "caregivers", "staff": "personnel", "understanding": "knowledge",
    "develop": "build", "effective": "useful", "promote": "foster", "promoting": "fostering",
    "identify": "recognize", "appropriate": "suitable", "programs": "services",
    "helps": "assists", "relationships": "connections", "including": "such as",
    "work": "practice", "knowledge": "understanding", "needs": "concerns",
    "considers": "weighs", "ensure": "make sure", "culturally": "culturally and linguistically",
}
#: Texts a random insertion picks from (written for these tests, not from any document).
NEW_TEXTS = (
    ("Reviews with program leaders how daily routines support the emotional well-being of "
     "infants, young children, and staff."),
    ("Helps staff plan transitions between settings so that infants and young children keep "
     "familiar relationships and routines."),
    ("Encourages programs to gather feedback from families about how consultation services "
     "are experienced and received."),
    ("Shares information with staff about community events and supports that welcome "
     "families of every background."),
    ("Recognizes when stress in the workplace limits the capacity of staff to respond "
     "warmly to infants and young children."),
    ("Works with staff to adapt classroom materials so that every child can take part in "
     "play and learning."),
)


def random_operations(text: str, seed: int, count: int = 12) -> list[Operation]:
    """``count`` edits of ``text`` chosen with ``random.Random(seed)``: every kind once
    (when ``count`` allows), then kinds at random. Each original competency is edited at
    most once; positions are chosen among those valid when the edit is applied."""
    rng = random.Random(seed)
    edition = Edition.of(text)
    structure = edition.structure()
    rows = edition.rows_of(structure)
    members = {c: list(m) for c, m in edition.order(structure).items()}
    donors = [row for row in structure.rows if _mapped(row)
              and _reverse_row(structure, row.cells) is not None]
    used: set[str] = set()
    kinds = list(OPERATIONS)
    rng.shuffle(kinds)
    plan = (kinds + [rng.choice(kinds) for _ in range(max(0, count - len(kinds)))])[:count]
    operations: list[Operation] = []
    for kind in plan:
        for _ in range(50):  # a kind with no fitting target left is skipped
            op = _random_operation(kind, rng, rows, members, donors, used)
            if op is not None:
                operations.append(op)
                break
    return operations


def _mapped(row: Row) -> bool:
    return alignment_of([row.cells["endorsement_domain"], row.cells["area"],
                         row.cells["demonstrated_by"]]) != "unique"


def _random_operation(kind, rng, rows, members, donors, used) -> Operation | None:
    free = [c for c in rows if c not in used]
    code = rng.choice(free)
    category = next(c for c, m in members.items() if code in m)

    def take(op):
        used.add(code)
        return op

    if kind == "insert_competency":
        target = rng.choice(list(members))
        position = rng.randint(1, len(members[target]) + 1)
        members[target].insert(position - 1, f"+{rng.random()}")
        mapping = rng.choice([Mapping(alignment="unique"), _mapping_of(rng.choice(donors))])
        inserted = sum(1 for m in members.values() for c in m if c.startswith("+"))
        text = NEW_TEXTS[(inserted - 1) % len(NEW_TEXTS)]
        if inserted > len(NEW_TEXTS):  # no two new competencies say the same
            text += f" Reviews this with staff every {inserted} weeks."
        return InsertCompetency(target, text, position=position,
                                priority=rng.choice(list(PRIORITY_MARKS)),
                                mappings=(mapping,))
    if kind == "remove_competency":
        if len(members[category]) < 2:
            return None
        members[category].remove(code)
        return take(RemoveCompetency(code))
    if kind == "move_competency":
        targets = [c for c in members if c != category]
        if len(members[category]) < 2:
            return None
        target = rng.choice(targets)
        position = rng.choice([None, rng.randint(1, len(members[target]) + 1)])
        members[category].remove(code)
        members[target].insert(len(members[target]) if position is None else position - 1, code)
        return take(MoveCompetency(code, target, position))
    first = rows[code][0]
    if kind == "reword":
        words = [w for w in SYNONYMS if re.search(rf"(?<!\w){w}(?!\w)", first.text)]
        if not words:
            return None
        picked = rng.sample(words, min(len(words), rng.randint(1, 3)))
        return take(Reword(code, tuple((w, SYNONYMS[w]) for w in picked)))
    if kind == "set_priority":
        if re.search(r"[A-Za-z]{2}", first.cells["priority"]):
            return None  # a note (``covered in 1C1``), no mark
        essential = first.cells["priority"].strip().replace(" ", "") == "*"
        return take(SetPriority(code, "Important" if essential else "Essential"))
    mapped = [(seq, row) for seq, row in enumerate(rows[code], start=1) if _mapped(row)]
    if kind == "set_area":
        if not mapped:
            return None
        seq, row = rng.choice(mapped)
        donor = rng.choice([d for d in donors
                            if not _same_area(d.cells["area"], row.cells["area"])])
        return take(SetArea(code, seq, strip_glyphs(donor.cells["endorsement_domain"])[0],
                            strip_glyphs(donor.cells["area"])[0]))
    if kind == "set_alignment":
        candidates = [(seq, row) for seq, row in mapped if not strip_glyphs(
            row.cells["demonstrated_by"])[1]]
        if not candidates:
            return None
        seq, row = rng.choice(candidates)
        now = alignment_of([row.cells[c]
                            for c in ("endorsement_domain", "area", "demonstrated_by")])
        return take(SetAlignment(code, seq, "same" if now == "partial" else "partial"))
    if kind == "add_mapping":
        if not mapped:
            return None
        return take(AddMapping(code, _mapping_of(rng.choice(donors))))
    if kind == "remove_mapping":
        if len(rows[code]) < 2:
            return None
        return take(RemoveMapping(code, rng.randint(1, len(rows[code]))))
    raise ValueError(f"unknown operation kind {kind!r}")


def _mapping_of(row: Row) -> Mapping:
    """A mapping row like ``row`` (its domain, area and text; same alignment)."""
    return Mapping(strip_glyphs(row.cells["endorsement_domain"])[0],
                   strip_glyphs(row.cells["area"])[0], row.cells["demonstrated_by"].strip()
                   if not is_see_above(row.cells["demonstrated_by"]) else
                   "Supports families and staff in applying what they learn")


# --- sources, builds and the truth ---------------------------------------------------------


def source_entry(manifest: Path = MANIFEST, source_id: str = SOURCE_ID) -> dict[str, Any]:
    """The manifest entry of ``source_id`` without its ``[source.expect]`` table (a
    revised edition has other counts)."""
    data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    for entry in data.get("source", []):
        if entry.get("id") == source_id:
            return {k: v for k, v in entry.items() if k != "expect"}
    raise ValueError(f"no source {source_id!r} in {manifest}")


def write_raw(folder: Path, text: str, entry: dict[str, Any]) -> Path:
    """``folder`` made a raw folder: the document (named as ``entry`` says) and a
    one-entry ``sources.toml`` with its sha256; returns ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    document = folder / entry["path"]
    document.write_text(text, encoding="utf-8")
    table = tomlkit.table()
    table.update({**entry, "sha256": hashlib.sha256(document.read_bytes()).hexdigest()})
    manifest = tomlkit.document()
    manifest.add(tomlkit.comment("Written by tools/make_revised_edition.py."))
    manifest["source"] = tomlkit.aot()
    manifest["source"].append(table)
    (folder / "sources.toml").write_text(tomlkit.dumps(manifest), encoding="utf-8")
    return folder


def build(raw: Path, out: Path) -> Path:
    """``crosswalk build --raw RAW --out OUT``, quietly; returns ``out``."""
    from pipeline.stages import Paths, run_build

    run_build(Paths(raw, out), log=lambda message: None)
    return out


def truth(old_build: Path, new_build: Path,
          correspondence: dict[str, list[list[dict | None]]]) -> dict[str, dict[str, list]]:
    """What changed between two builds, per dataset of :data:`KEYS`, given which row of
    one is which row of the other (:meth:`Revision.correspondence`): ``renumbered``
    (pairs [old key, new key]), ``added``, ``removed``, ``changed`` (keys), each sorted
    in code order."""
    result = {}
    for dataset, key in KEYS.items():
        old_rows = _rows(old_build / f"{dataset}.json", key)
        new_rows = _rows(new_build / f"{dataset}.json", key)
        pairs = []
        for old, new in correspondence[dataset]:
            for value, rows, side in ((old, old_rows, "old"), (new, new_rows, "new")):
                if value is not None and _tuple(value, key) not in rows:
                    raise ValueError(f"{dataset}: the {side} build has no row {value}")
            if old is not None and new is not None:
                pairs.append((_tuple(old, key), _tuple(new, key)))
        paired_old, paired_new = {o for o, _ in pairs}, {n for _, n in pairs}
        result[dataset] = {
            "renumbered": [[_key(o, key), _key(n, key)] for o, n in _ordered(pairs) if o != n],
            "added": [_key(k, key) for k in _ordered(set(new_rows) - paired_new)],
            "removed": [_key(k, key) for k in _ordered(set(old_rows) - paired_old)],
            "changed": [_key(n, key) for o, n in _ordered(pairs)
                        if o == n and _content(old_rows[o]) != _content(new_rows[n])],
        }
    return result


def _rows(path: Path, key: Sequence[str]) -> dict[tuple, dict]:
    return {tuple(row[k] for k in key): row
            for row in json.loads(path.read_text(encoding="utf-8"))}


def _tuple(value: dict, key: Sequence[str]) -> tuple:
    return tuple(value[k] for k in key)


def _key(value: tuple, key: Sequence[str]) -> dict:
    return dict(zip(key, value))


def _ordered(items: Iterable) -> list:
    def sort_key(item):
        flat = item if not isinstance(item[0], tuple) else item[0]
        return tuple(natural_sort_key(v) for v in flat)
    return sorted(items, key=sort_key)


def _content(row: dict) -> dict:
    return {k: v for k, v in row.items() if k not in PROVENANCE}


@dataclass
class EditionFiles:
    """Where :func:`make_edition` put everything."""

    folder: Path
    raw_old: Path
    raw_new: Path
    build_old: Path | None = None
    build_new: Path | None = None
    truth: Path | None = None
    revision: Revision | None = field(default=None, repr=False)


def make_edition(folder: Path, operations: Sequence[Operation] = DEFAULT_OPERATIONS,
                 source: Path = RAW_EXPORT, manifest: Path = MANIFEST,
                 source_id: str = SOURCE_ID, build_them: bool = True) -> EditionFiles:
    """The original and its revision as raw folders, the operations, the correspondence,
    and (``build_them``) both builds and the truth, all under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    original = source.read_text(encoding="utf-8")
    revision = revise(original, operations)
    entry = source_entry(manifest, source_id)
    files = EditionFiles(folder, write_raw(folder / "raw-old", original, entry),
                         write_raw(folder / "raw-new", revision.text, entry), revision=revision)
    _write_json(folder / "operations.json", [operation_to_dict(op) for op in operations])
    _write_json(folder / "correspondence.json", revision.correspondence())
    if build_them:
        for side in ("old", "new"):
            out = folder / f"build-{side}"
            if out.exists():
                shutil.rmtree(out)
            build(folder / f"raw-{side}", out)
        files.build_old, files.build_new = folder / "build-old", folder / "build-new"
        files.truth = folder / "truth.json"
        _write_json(files.truth, truth(files.build_old, files.build_new,
                                       revision.correspondence()))
    return files


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def counts(truth_data: dict[str, dict[str, list]]) -> dict[str, dict[str, int]]:
    """How many claims of each kind the truth holds, per dataset."""
    return {dataset: {kind: len(items) for kind, items in claims.items()}
            for dataset, claims in truth_data.items()}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder for the editions, builds and truth")
    parser.add_argument("--source", type=Path, default=RAW_EXPORT,
                        help="the crosswalk text export to revise (default: %(default)s)")
    parser.add_argument("--manifest", type=Path, default=MANIFEST,
                        help="the manifest holding its [[source]] entry (default: %(default)s)")
    parser.add_argument("--source-id", default=SOURCE_ID)
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--operations", type=Path,
                        help="a JSON list of operations (see operations.json of a run)")
    choice.add_argument("--random", type=int, metavar="N", help="N random operations")
    parser.add_argument("--seed", type=int, default=0, help="seed of --random")
    parser.add_argument("--no-build", action="store_true",
                        help="write the editions and the correspondence only")
    args = parser.parse_args(argv)
    if args.operations:
        operations = [operation_from_dict(d)
                      for d in json.loads(args.operations.read_text(encoding="utf-8"))]
    elif args.random is not None:
        operations = random_operations(args.source.read_text(encoding="utf-8"), args.seed,
                                       args.random)
    else:
        operations = list(DEFAULT_OPERATIONS)
    try:
        files = make_edition(args.out, operations, args.source, args.manifest, args.source_id,
                             build_them=not args.no_build)
    except ValueError as error:
        parser.exit(1, f"error: {error}\n")
    print(f"{len(operations)} operations; revised edition in {files.raw_new}")
    if files.truth:
        data = json.loads(files.truth.read_text(encoding="utf-8"))
        for dataset, kinds in counts(data).items():
            print(f"  {dataset}: " + ", ".join(f"{n} {kind}" for kind, n in kinds.items()))
        print(f"truth: {files.truth}")


if __name__ == "__main__":
    main()
