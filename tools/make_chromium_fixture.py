"""Render crosswalk content with headless Chromium: a PDF laid out independently of ours.

tools/make_fixture_pdfs.py draws the fixtures with reportlab, the same layout the PDF
reader was built against. This renders the same clean content as HTML and prints it with
Chromium, which chooses its own column widths (sized to content, per table), fonts,
line spacing, cell padding (narrow: ~6 pt), page breaks and ligatures. A domain's
table ends mid-page and the next domain's heading, paragraph and table (with other
column widths) follow on the same page — the case the reader's per-page table search
(pipeline/extract/pdf_layout.py ``table_spans``) exists for.

Needs ``chromium`` (or ``--chromium PATH``) and build/*.csv; not run in CI — its output
is committed:

    python tools/make_chromium_fixture.py                 # domains 3 and 4, unruled
    python tools/make_chromium_fixture.py --domains 1-8 --ruled --out /tmp/whole

writes ``crosswalk-domains-3-4-chromium-unruled.pdf`` and
``crosswalk-domains-3-4-chromium.expected.json`` (as make_fixture_pdfs.py writes them).
Chromium's output is not byte-identical between versions or runs (it embeds dates and
font subsets): regenerate only when the content or the layout should change.
"""

from __future__ import annotations

import argparse
import html
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_fixture_pdfs import (  # noqa: E402  (a script beside this one, not a package)
    BUILD,
    FIXTURES,
    FORWARD_HEADER,
    REVERSE_HEADER,
    expected_tables,
    forward_cells,
    load_content,
    reverse_cells,
)

CSS = """
@page { size: letter landscape; margin: 0.6in; }
body { font-family: 'DejaVu Serif', serif; font-size: 9.5pt; hyphens: auto; }
table { border-collapse: collapse; width: 100%; %BORDER% }
td, th { vertical-align: top; padding: 3px; text-align: left; %BORDER% }
thead { display: table-header-group; }
tr { break-inside: auto; }
h2 { font-size: 14pt; }
"""
#: Percent of the page width per forward column (the reverse table sizes itself).
WIDTHS = (13, 27, 8, 13, 14, 25)


def page_html(content, ruled: bool) -> str:
    """The document as one HTML page: per domain a heading, its paragraph and its table
    (header repeated on every printed page by ``thead``), then the reverse table."""
    e = html.escape
    css = CSS.replace("%BORDER%", "border:1px solid black;" if ruled else "")
    out = [f"<html lang='en'><head><meta charset='utf-8'><style>{css}</style></head><body>"]
    for d in content.domains.itertuples(index=False):
        out.append(f"<h2>{d.domain_number}. {e(d.domain_title)}</h2><p>{e(d.description)}</p>")
        out.append("<table><colgroup>" + "".join(f"<col style='width:{w}%'>" for w in WIDTHS)
                   + "</colgroup><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in FORWARD_HEADER)
                   + "</tr></thead><tbody>")
        out += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>"
                for row in forward_cells(content, d.domain_number)]
        out.append("</tbody></table>")
    out.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in REVERSE_HEADER)
               + "</tr></thead><tbody>")
    out += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>"
            for row in reverse_cells(content)]
    out.append("</tbody></table></body></html>")
    return "\n".join(out)


def print_pdf(chromium: str, source: Path, pdf: Path) -> None:
    """Chromium's print of ``source`` to ``pdf``: no header or footer, and nothing that
    reaches the network or leaves a profile behind."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={profile}", "--no-pdf-header-footer",
                        f"--print-to-pdf={pdf}", source.resolve().as_uri()],
                       check=True, capture_output=True, timeout=300)


def _domains(text: str) -> tuple[int, ...]:
    """``3,4`` or ``1-8``."""
    if "-" in text:
        first, last = text.split("-")
        return tuple(range(int(first), int(last) + 1))
    return tuple(int(n) for n in text.split(","))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--domains", type=_domains, default=(3, 4), help="e.g. 3,4 or 1-8")
    parser.add_argument("--ruled", action="store_true", help="draw the table grid")
    parser.add_argument("--build", type=Path, default=BUILD, help="folder of the clean CSVs")
    parser.add_argument("--out", type=Path, default=FIXTURES)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    content = load_content(args.domains, args.build)
    span = (f"{args.domains[0]}-{args.domains[-1]}" if len(args.domains) > 1
            else str(args.domains[0]))
    name = f"crosswalk-domains-{span}-chromium"
    pdf = args.out / f"{name}-{'ruled' if args.ruled else 'unruled'}.pdf"
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "crosswalk.html"
        source.write_text(page_html(content, args.ruled), encoding="utf-8")
        print_pdf(args.chromium, source, pdf)
    print(f"{pdf.name}: {pdf.stat().st_size / 1024:.0f} KB")
    expected = args.out / f"{name}.expected.json"
    expected.write_text(json.dumps(expected_tables(content), ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")
    print(expected.name)


if __name__ == "__main__":
    main()
