"""Format a :class:`~pipeline.versions.diff.BuildDiff` as text, Markdown or JSON.

All three start with the summary (per dataset: rows added, removed, changed, cells
changed, rows moved), then the details. Text is for a terminal (colour only when asked,
which the CLI does only on a terminal), Markdown for a pull request or release note,
JSON for programs: its shape is documented in docs/maintainers.md and :func:`to_json` keeps it
stable (``format_version`` changes if it ever must).

Moved rows (provenance only) are counted always and listed only with
``include_provenance``: a re-export moves every line, and those lists would bury the
content changes. Renumbered rows have their own section, compact: ``3B.2 → 3B.3`` and
only the cells that changed besides the key.
"""

from __future__ import annotations

import json
import re
from typing import Any

import click

from pipeline.versions.diff import (
    Ambiguous,
    BuildDiff,
    CellChange,
    DatasetDiff,
    Renumbered,
    Row,
    RowChange,
)
from pipeline.versions.word_diff import segments

#: 2: renumbered rows (``renumbered``, ``ambiguous``, ``notes``, ``rows_renumbered``).
FORMAT_VERSION = 2
COUNT_COLUMNS = ("rows_added", "rows_removed", "rows_changed", "cells_changed",
                 "rows_renumbered", "rows_moved")
_HEADINGS = ("added", "removed", "changed", "cells changed", "renumbered", "moved")


def to_json(diff: BuildDiff) -> dict:
    """The diff as JSON-ready data, keys in a fixed order (documented in docs/maintainers.md)."""
    return {
        "format": "crosswalk-diff",
        "format_version": FORMAT_VERSION,
        "old": {"build": diff.old, "version": diff.old_version},
        "new": {"build": diff.new, "version": diff.new_version},
        "identical": diff.identical,
        "bump": diff.bump,
        "package": [_cell(c) for c in diff.package],
        "datasets": [
            {
                "name": d.name,
                "status": d.status,
                "key": d.key,
                "key_source": d.key_source,
                "counts": d.counts,
                "contract": [{"kind": c.kind, "detail": c.detail, "breaking": c.breaking}
                             for c in d.contract],
                "added": [_row(r) for r in d.added],
                "removed": [_row(r) for r in d.removed],
                "changed": [_change(c) for c in d.changed],
                "renumbered": [_renumbered(r) for r in d.renumbered],
                "ambiguous": [_ambiguous(a) for a in d.ambiguous],
                "moved": [_change(c) for c in d.moved],
                "notes": list(d.notes),
            }
            for d in diff.datasets
        ],
    }


def format_json(diff: BuildDiff) -> str:
    return json.dumps(to_json(diff), ensure_ascii=False, indent=2) + "\n"


# --- text ------------------------------------------------------------------------------


def format_text(diff: BuildDiff, *, color: bool = False,
                include_provenance: bool = False) -> str:
    """A terminal report: header, summary table, then every difference."""

    def style(text: str, **kwargs) -> str:
        return click.style(text, **kwargs) if color else text

    lines = [f"old: {diff.old} (version {diff.old_version or '-'})",
             f"new: {diff.new} (version {diff.new_version or '-'})",
             "identical" if diff.identical else f"suggested version bump: {diff.bump}", ""]
    width = max([len(d.name) for d in diff.datasets] + [7])
    lines.append("dataset".ljust(width) + "".join(f"  {h:>7}" for h in
                                                   ("added", "removed", "changed", "cells",
                                                    "renum", "moved")))
    for d in diff.datasets:
        counts = "".join(f"  {d.counts[c]:>7}" for c in COUNT_COLUMNS)
        note = "" if d.status == "changed" else f"  {d.status}"
        lines.append(f"{d.name.ljust(width)}{counts}{note}")
    for change in diff.package:
        lines += ["", f"package: {change.field} {_value(change.old)} → {_value(change.new)}"]
    for d in diff.datasets:
        if d.status != "same":
            lines += ["", *_text_dataset(d, style, include_provenance)]
    return "\n".join(lines) + "\n"


def _text_dataset(d: DatasetDiff, style, include_provenance: bool) -> list[str]:
    key = ", ".join(d.key) if d.key else "whole row"
    lines = [style(f"{d.name} (key: {key})", bold=True)]
    lines += [style(f"  ! {c.detail}" + (" (contract change)" if c.breaking else ""),
                    fg="magenta") for c in d.contract]
    if d.status in ("added", "removed"):
        rows = d.added or d.removed
        return lines + [f"  dataset {d.status} ({len(rows)} rows)"]
    for change in d.changed:
        lines.append(style(f"  ~ {change.label}", fg="yellow"))
        cells = change.cells + (change.provenance if include_provenance else [])
        lines += [f"      {c.field}: {_text_cell(c, style)}" for c in cells]
    for row in d.renumbered:
        lines.append(style(f"  ↷ {row.old_label} → {row.new_label}", fg="cyan")
                     + f"  (similarity {row.similarity:.2f})")
        cells = row.cells + (row.provenance if include_provenance else [])
        lines += [f"      {c.field}: {_text_cell(c, style)}" for c in cells]
    for clash in d.ambiguous:
        lines.append(style(f"  ? {_ambiguity(clash)}", fg="magenta"))
    for sign, rows, colour in (("+", d.added, "green"), ("-", d.removed, "red")):
        for row in rows:
            lines.append(style(f"  {sign} {row.label}", fg=colour))
            lines += [f"      {k}: {_value(v)}" for k, v in row.values.items()]
    lines += [f"  note: {note}" for note in d.notes]
    if d.moved and include_provenance:
        for change in d.moved:
            moves = ", ".join(f"{c.field}: {_value(c.old)} → {_value(c.new)}"
                              for c in change.provenance)
            lines.append(f"  > {change.label}  {moves}")
    elif d.moved:
        lines.append(f"  {len(d.moved)} row(s) moved (provenance only; "
                     "--include-provenance lists them)")
    return lines


def _text_cell(cell: CellChange, style) -> str:
    if cell.inline is None:
        return f"{_value(cell.old)} → {_value(cell.new)}"
    marks = {"=": ("{}", {}), "-": ("[-{}-]", {"fg": "red"}), "+": ("{{+{}+}}", {"fg": "green"})}
    out = []
    for op, text in segments(cell.old, cell.new):
        pattern, colour = marks[op]
        out.append(style(pattern.format(text), **colour) if colour else text)
    return "".join(out)


# --- markdown --------------------------------------------------------------------------


def format_markdown(diff: BuildDiff, *, include_provenance: bool = False,
                    heading: str = "###") -> str:
    """A Markdown report for a pull request or release note (GitHub-flavoured)."""
    lines = [f"{heading} Data changes", "",
             f"{_code(diff.old)} ({diff.old_version or '-'}) → {_code(diff.new)} "
             f"({diff.new_version or '-'}) · "
             + ("no differences" if diff.identical
                else f"suggested version bump: **{diff.bump}**"), ""]
    lines += summary_table(diff)
    if diff.package:
        lines += ["", "Package: " + "; ".join(
            f"{_code(c.field)} {_md_value(c.old)} → {_md_value(c.new)}"
            if c.field in ("version", "created") else f"{_code(c.field)} changed"
            for c in diff.package)]
    for d in diff.datasets:
        if d.status != "same":
            lines += ["", f"{heading}# {_code(d.name)}", "",
                      *_md_dataset(d, include_provenance)]
    # Sections end with a blank line and start with one: keep one.
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).rstrip("\n") + "\n"


def summary_table(diff: BuildDiff) -> list[str]:
    """The summary as a Markdown table of the datasets that differ, and a line naming
    the identical ones."""
    differ = [d for d in diff.datasets if d.status != "same"]
    same = [d.name for d in diff.datasets if d.status == "same"]
    lines = []
    if differ:
        lines += ["| dataset | " + " | ".join(_HEADINGS) + " |",
                  "|---|" + "---:|" * len(_HEADINGS)]
        for d in differ:
            note = "" if d.status == "changed" else f" ({d.status})"
            counts = " | ".join(str(d.counts[c]) for c in COUNT_COLUMNS)
            lines.append(f"| {_code(d.name)}{note} | {counts} |")
    if same:
        lines += [("" if not differ else "\n") + "Identical: " +
                  ", ".join(_code(name) for name in same) + "."]
    return lines


def _md_dataset(d: DatasetDiff, include_provenance: bool) -> list[str]:
    lines = [f"- {c.detail}" + (" (**contract change**)" if c.breaking else "")
             for c in d.contract]
    if d.status in ("added", "removed"):
        return lines + [f"- dataset {d.status} ({len(d.added or d.removed)} rows)"]
    if lines:
        lines.append("")
    key = ", ".join(_code(k) for k in d.key) if d.key else "the whole row"
    for title, items in (("Changed", d.changed), ("Renumbered", d.renumbered),
                         ("Added", d.added), ("Removed", d.removed)):
        if items:
            lines += [f"{title} ({len(items)}; key {key}):", ""]
            lines += [line for item in items for line in _md_item(item, include_provenance)]
            lines.append("")
    if d.ambiguous:
        lines += [f"Ambiguous ({len(d.ambiguous)}; not paired, listed as removed and added):",
                  ""]
        lines += [f"- {md_escape(_ambiguity(clash))}" for clash in d.ambiguous]
        lines.append("")
    lines += [f"Note: {md_escape(note)}" for note in d.notes]
    if d.moved and include_provenance:
        lines += [f"Moved ({len(d.moved)}; provenance only):", ""]
        lines += [f"- {_code(c.label)} — " + "; ".join(_md_cell(p) for p in c.provenance)
                  for c in d.moved]
    elif d.moved:
        lines.append(f"{len(d.moved)} row(s) moved (provenance only).")
    return lines


def _md_item(item: Row | RowChange | Renumbered, include_provenance: bool) -> list[str]:
    if isinstance(item, Row):
        cells = [f"{_code(k)}: {_md_value(v)}" for k, v in item.values.items()
                 if k not in item.key]
    else:
        changes = item.cells + (item.provenance if include_provenance else [])
        cells = [_md_cell(c) for c in changes]
    if isinstance(item, Renumbered):
        label = (f"{_code(item.old_label)} → {_code(item.new_label)} "
                 f"(similarity {item.similarity:.2f})")
        if not cells:
            return [f"- {label}"]
    else:
        label = _code(item.label)
    if len(cells) == 1:
        return [f"- {label} — {cells[0]}"]
    return [f"- {label}", *(f"  - {cell}" for cell in cells)]


def _md_cell(cell: CellChange) -> str:
    if cell.inline is None:
        return f"{_code(cell.field)}: {_md_value(cell.old)} → {_md_value(cell.new)}"
    parts = []
    for op, text in segments(cell.old, cell.new):
        if op == "=":
            parts.append(md_escape(text))
            continue
        lead, core, trail = re.match(r"(\s*)(.*?)(\s*)$", text, re.S).groups()
        mark = "~~" if op == "-" else "**"
        # GFM needs the marks next to non-space characters; a lone space is shown as ␣.
        body = md_escape(core) if core else "␣" * len(text)
        parts.append(f"{lead if core else ''}{mark}{body}{mark}{trail if core else ''}")
    return f"{_code(cell.field)}: " + "".join(parts)


def md_escape(text: str) -> str:
    """Text with Markdown's active characters escaped (also ``|`` for tables).

    >>> md_escape("see *all* [1] | a_b")
    'see \\\\*all\\\\* \\\\[1\\\\] \\\\| a\\\\_b'
    """
    return re.sub(r"([\\`*_~\[\]<>|#])", r"\\\1", text)


def _code(text: str) -> str:
    """An inline code span that survives backticks in the text.

    >>> _code("1A.1/2"), _code("a`b")
    ('`1A.1/2`', '`` a`b ``')
    """
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _md_value(value: Any) -> str:
    return "*null*" if value is None else _code(str(value).replace("\n", " "))


# --- shared ----------------------------------------------------------------------------


def _value(value: Any) -> str:
    """A cell as JSON (strings quoted, null, true), so ``"1"`` and ``1`` differ."""
    return json.dumps(value, ensure_ascii=False)


def _cell(cell: CellChange) -> dict:
    return {"field": cell.field, "old": cell.old, "new": cell.new, "inline": cell.inline}


def _row(row: Row) -> dict:
    return {"key": row.key, "label": row.label, "values": row.values}


def _renumbered(row: Renumbered) -> dict:
    return {"old_key": row.old_key, "new_key": row.new_key, "old_label": row.old_label,
            "new_label": row.new_label, "similarity": row.similarity,
            "cells": [_cell(c) for c in row.cells],
            "provenance": [_cell(c) for c in row.provenance]}


def _ambiguous(clash: Ambiguous) -> dict:
    return {"old_keys": clash.old_keys, "new_keys": clash.new_keys,
            "old_labels": clash.old_labels, "new_labels": clash.new_labels,
            "similarity": clash.similarity}


def _ambiguity(clash: Ambiguous) -> str:
    """``3B.2 ↔ 3B.3 | 3B.4 (similarity 0.90): …`` — rows the diff would not guess."""
    return (f"{' | '.join(clash.old_labels)} ↔ {' | '.join(clash.new_labels)} "
            f"(similarity {clash.similarity:.2f}): equally good partners, not paired; "
            "listed as removed and added")


def _change(change: RowChange) -> dict:
    return {"key": change.key, "label": change.label,
            "cells": [_cell(c) for c in change.cells],
            "provenance": [_cell(c) for c in change.provenance]}
