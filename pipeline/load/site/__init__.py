"""``site/index.html``: the explorer, one self-contained page to browse the published data.

The page is the template ``index.html.tmpl`` with ``site.css`` and ``site.js`` inlined and
the published rows embedded as one JSON document, so it needs no server, no network and
no build step: it opens from ``file://`` and works on any static host. Everything the
page shows comes from what the build publishes:

* every published dataset, as ``{"columns": [...], "rows": [[...], ...]}`` in contract
  column order and the published row order (a dataset or column a profile leaves out is
  simply not there, and the page says so);
* from the data package descriptor: title, version, release date, sources (citation,
  copyright, permission, what it allows), licences, and ``x_withheld`` — the cells the
  open profile left null because a source's terms forbid redistributing its text, which
  the page shows as "withheld — <reason>";
* "what changed": the entry of ``CHANGELOG.md`` for the data version being built.
  ``crosswalk release`` writes that entry from the diff of the new build against the
  previous release (the newest ``data-v*`` tag), so it *is* the diff against the previous
  release, read from a committed file: the build needs neither git nor the network, and
  two builds give the same page. Without such an entry the page says so, and names the
  newest entry it has.

Python only shapes the payload and fills the template (and a static list of links, one
per competency and area, so every deep link ``#3B.3`` exists in the page before any
script runs); the views, search and filters are plain JavaScript in ``site.js``.

Byte-stable: nothing depends on the clock or the machine; the JSON is written with a
fixed key order, and the page's Content-Security-Policy names the sha256 of its own
script and style, so the browser runs nothing else and loads nothing from anywhere.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.metadata import ENDORSEMENT_DOMAINS, Table

SITE_NAME = "site/index.html"
#: The repository's changelog (``crosswalk release`` writes it); absent from an installed
#: package, in which case the page has no "what changed" entry and says so.
CHANGELOG = Path(__file__).resolve().parents[3] / "CHANGELOG.md"
#: The markers of the template, each filled in (all in one pass).
_MARKERS = ("{{TITLE}}", "{{VERSION}}", "{{CSP}}", "{{STYLE}}", "{{CONTENTS}}", "{{DATA}}",
            "{{SCRIPT}}")
#: Package properties the page shows (``resources`` and the file lists are not needed:
#: the rows themselves are embedded).
_PACKAGE_KEYS = ("name", "title", "description", "version", "created", "licenses",
                 "x_code_license", "sources", "x_withheld")


def write_site(out_dir: Path, rows: Mapping[str, Sequence[Sequence[object]]],
               contract: Sequence[Table], descriptor: Mapping, *,
               changelog: Path | None = CHANGELOG) -> Path:
    """Write ``out_dir/site/index.html`` and return its path.

    ``rows[name]``: each table's rows as plain Python values in contract column order,
    sorted (:func:`pipeline.load.publish.records`); ``descriptor``: the data package
    descriptor of the datasets; ``changelog``: the CHANGELOG.md to take "what changed" from.
    """
    changelog_text = changelog.read_text(encoding="utf-8") if changelog is not None \
        and changelog.is_file() else None
    payload = site_payload(rows, contract, descriptor, changelog_text)
    page = render_page(payload, contract, rows)
    path = out_dir / SITE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(page)
    return path


# --- the payload ------------------------------------------------------------------------------


def site_payload(rows: Mapping[str, Sequence[Sequence[object]]], contract: Sequence[Table],
                 descriptor: Mapping, changelog_text: str | None) -> dict:
    """The JSON document the page embeds: the package's description, the published
    datasets as column lists and row arrays, and the changelog entry of this version."""
    version = descriptor.get("version")
    return {
        "package": {key: descriptor[key] for key in _PACKAGE_KEYS if key in descriptor},
        "tables": {table.name: {"title": table.title,
                                "columns": table.column_names,
                                "rows": [list(row) for row in rows.get(table.name, ())]}
                   for table in contract},
        "changes": changes_entry(changelog_text, version),
    }


def changes_entry(changelog_text: str | None, version: str | None) -> dict:
    """The CHANGELOG.md entry of ``version`` as blocks the page renders: paragraphs,
    a table, list items (inline Markdown — code spans, bold — is left to the page).

    >>> entry = changes_entry("# Changelog\\n\\n## 1.1.0 — 2026-12-01\\n\\nCompared with 1.0.0.\\n"
    ...                       "\\n| dataset | added |\\n|---|---:|\\n| `crosswalk` | 3 |\\n\\n"
    ...                       "- `crosswalk`: 3 row(s) changed\\n\\n## 1.0.0\\n\\nFirst.\\n", "1.1.0")
    >>> entry["heading"], [block["kind"] for block in entry["blocks"]]
    ('1.1.0 — 2026-12-01', ['paragraph', 'table', 'list'])
    >>> entry["blocks"][1]["rows"]
    [['`crosswalk`', '3']]
    >>> changes_entry("## 1.0.0\\n\\nFirst.\\n", "1.1.0")["found"]
    False
    """
    entries = _changelog_entries(changelog_text or "")
    found = next((e for e in entries if e[0].split(" ", 1)[0] == version), None)
    result: dict = {"version": version, "found": found is not None,
                    "newest": entries[0][0] if entries else None}
    if found is not None:
        result["heading"] = found[0]
        result["blocks"] = _markdown_blocks(found[1])
    return result


def _changelog_entries(text: str) -> list[tuple[str, str]]:
    """``(heading, body)`` of every ``## `` entry, newest (first) first."""
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    return [(parts[i].strip(), parts[i + 1]) for i in range(1, len(parts) - 1, 2)]


def _markdown_blocks(body: str) -> list[dict]:
    """The blocks of a changelog entry: what ``changelog_entry`` writes (paragraphs, one
    pipe table, ``- `` items); any other line is kept as a paragraph, never dropped."""
    blocks: list[dict] = []
    for chunk in re.split(r"\n\s*\n", body.strip()):
        lines = chunk.splitlines()
        if not lines:
            continue
        if all(line.startswith("|") for line in lines) and len(lines) >= 2:
            cells = [[cell.strip() for cell in line.strip().strip("|").split("|")]
                     for line in lines]
            body_rows = [row for row in cells[1:]
                         if not all(re.fullmatch(r":?-+:?", cell) for cell in row)]
            blocks.append({"kind": "table", "header": cells[0], "rows": body_rows})
        elif all(line.startswith(("- ", "  ")) for line in lines):
            items: list[str] = []
            for line in lines:
                if line.startswith("- "):
                    items.append(line[2:].strip())
                else:  # a wrapped item continues
                    items[-1] += " " + line.strip()
            blocks.append({"kind": "list", "items": items})
        else:
            blocks.append({"kind": "paragraph", "text": " ".join(line.strip() for line in lines)})
    return blocks


def payload_json(payload: Mapping) -> str:
    """The payload as JSON safe inside ``<script type="application/json">``: ``<``, ``>``
    and ``&`` escaped (``\\u003c`` …), so no text of the data can close the element.

    >>> payload_json({"text": "</script><!-- & -->"})
    '{"text":"\\\\u003c/script\\\\u003e\\\\u003c!-- \\\\u0026 --\\\\u003e"}'
    """
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --- the page ---------------------------------------------------------------------------------


def render_page(payload: Mapping, contract: Sequence[Table],
                rows: Mapping[str, Sequence[Sequence[object]]]) -> str:
    """The template with its style, script, contents and data filled in."""
    template, style, script = (_asset(name) for name in ("index.html.tmpl", "site.css",
                                                         "site.js"))
    for name, text, closing in (("site.css", style, "</style"), ("site.js", script, "</script")):
        if closing in text.lower():
            raise PipelineError(f"{name} contains {closing}>, which would end its element early",
                                path=str(Path(__file__).with_name(name)))
    package = payload["package"]
    values = {
        "{{TITLE}}": html.escape(str(package.get("title", "Crosswalk explorer"))),
        "{{VERSION}}": html.escape(str(package.get("version", ""))),
        "{{CSP}}": content_security_policy(style, script),
        "{{STYLE}}": style,
        "{{CONTENTS}}": contents_html(contract, rows),
        "{{DATA}}": payload_json(payload),
        "{{SCRIPT}}": script,
    }
    for marker in _MARKERS:
        if marker not in template:
            raise PipelineError(f"the page template has no {marker}",
                                path=str(Path(__file__).with_name("index.html.tmpl")))
    # One pass, so a marker-like text inside the data or the script is never replaced.
    return re.sub("|".join(re.escape(m) for m in _MARKERS), lambda m: values[m.group(0)],
                  template)


def content_security_policy(style: str, script: str) -> str:
    """Nothing may load from anywhere; only the page's own style and script run.

    >>> content_security_policy("a", "b").startswith("default-src 'none'; ")
    True
    """
    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()
                                              ).decode("ascii") + "'"

    return (f"default-src 'none'; style-src {digest(style)}; script-src {digest(script)}; "
            "img-src data:; base-uri 'none'; form-action 'none'")


def contents_html(contract: Sequence[Table],
                  rows: Mapping[str, Sequence[Sequence[object]]]) -> str:
    """A link to every competency (``#1A.1``) and every Endorsement area (``#<area_id>``),
    grouped by CoE domain and by Endorsement domain: the page's table of contents, and
    every deep link present in the page before its script runs."""
    tables = {table.name: table for table in contract}
    parts = []
    competencies = _column_values(tables, rows, "coe_competencies", ("domain_number", "coe_code"))
    domains = dict(_column_values(tables, rows, "coe_domains", ("domain_number", "domain_title")))
    if competencies:
        parts.append('<h3>CoE competencies</h3>')
        for number in sorted({n for n, _ in competencies}):
            codes = [code for n, code in competencies if n == number]
            parts.append(_link_group(f"{number}. {domains.get(number, '')}".rstrip(". "),
                                     [(code, code) for code in codes]))
    areas = _column_values(tables, rows, "endorsement_areas",
                           ("endorsement_domain", "area_id", "endorsement_area"))
    if areas:
        parts.append('<h3>Endorsement areas</h3>')
        # The canonical order of the Endorsement domains, as the documents list them.
        order = {domain: i for i, domain in enumerate(ENDORSEMENT_DOMAINS)}
        for domain in sorted({d for d, *_ in areas}, key=lambda d: (order.get(d, len(order)), d)):
            links = [(area, name if name is not None else area)
                     for d, area, name in areas if d == domain]
            parts.append(_link_group(domain, links))
    return "\n".join(parts)


def _column_values(tables: Mapping[str, Table], rows: Mapping[str, Sequence[Sequence[object]]],
                   name: str, columns: tuple[str, ...]) -> list[tuple]:
    """The values of ``columns`` in each row of dataset ``name`` ([] when the build does
    not publish them)."""
    table = tables.get(name)
    if table is None or not set(columns) <= set(table.column_names):
        return []
    index = [table.column_names.index(column) for column in columns]
    return [tuple(row[i] for i in index) for row in rows.get(name, ())]


def _link_group(title: str, links: list[tuple[str, str]]) -> str:
    items = "".join(f'<li><a href="#{html.escape(target)}">{html.escape(str(text))}</a></li>'
                    for target, text in links)
    return f'<details><summary>{html.escape(title)}</summary><ul class="toc">{items}</ul></details>'


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
