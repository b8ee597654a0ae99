"""Render clean crosswalk content into realistic PDFs: the test fixtures and the bench input.

The content comes from the pipeline's own published clean data (``build/*.csv``), so a
test can extract a PDF, normalize it with the shared transform and assert that the rows
come back equal to what was rendered. The rendering does what the real document's layout
does to the text:

- landscape pages, six narrow columns, so cells wrap over many lines;
- long words hyphenated at line ends (reportlab's hyphenation, driven by pyphen), and
  compounds broken at their own hyphen (``Relationship-`` / ``Focused``);
- the header row repeated on every page, rows split by a page break (``splitInRow``);
- ruled (a grid) or unruled (no line at all) tables;
- per domain a heading (``1. Role of the IECMH Consultant``) and its paragraph, and at
  the end the 3-column reverse table (Endorsement area → CoE codes).

The raw cells are written the way the document writes them: ``1A.`` under a category
already named, ``1A.1. See above.`` for a competency's further mapping rows, ``*`` /
``•••`` priorities, ``≈`` / ``≠ Unique`` alignment marks, ``(MHS)``/``(MHM)`` level tags,
``(IFA, IFS, MHS, MHM)`` and ``(MHM - policy)`` in the reverse table.

    python tools/make_fixture_pdfs.py            # the committed fixtures in tests/fixtures/

Output is byte-identical between runs (reportlab ``invariant``), so regenerating a
fixture from unchanged data changes nothing in git.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
FIXTURES = ROOT / "tests" / "fixtures"

FORWARD_HEADER = ("IECMH Consultation Category", "IECMH Consultation Core Skills",
                  "Essential or Important", "IECMH Endorsement Competency",
                  "Knowledge/ Skill Area",
                  "As Demonstrated By/ Other Work Experience (and Interview)")
REVERSE_HEADER = ("Competencies for IMH-E® and ECMH-E® Domain",
                  "Competencies for IMH-E® and ECMH-E® Knowledge or Skill Area",
                  "Center of Excellence Competencies")
# Points; 720 pt of a landscape letter page between 36 pt margins. The skill and
# demonstrated-by columns get the room, the others stay narrow as in the document.
FORWARD_WIDTHS = (96, 190, 60, 92, 104, 178)
REVERSE_WIDTHS = (150, 260, 200)

#: The committed fixtures: name → domains; each is rendered ruled and unruled
#: (``<name>-ruled.pdf``, ``<name>-unruled.pdf``) and its content written once
#: (``<name>.expected.json``). Domain 1 has every kind of cell: unique rows,
#: ``See above.`` rows, a priority note instead of a mark, a footnote.
COMMITTED = {"crosswalk-domain-1": (1,)}


@dataclass(frozen=True)
class Content:
    """The clean rows of some CoE domains, as published (provenance columns dropped)."""

    domains: pd.DataFrame
    categories: pd.DataFrame
    competencies: pd.DataFrame
    crosswalk: pd.DataFrame
    index: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"coe_domains": self.domains, "coe_categories": self.categories,
                "coe_competencies": self.competencies, "crosswalk": self.crosswalk,
                "endorsement_index": self.index}


def load_content(domains: tuple[int, ...], build: Path = BUILD) -> Content:
    """The published rows of ``domains``; the reverse table keeps only their codes (an
    area left with none of them is dropped, ``Unique to Alliance`` areas are kept)."""
    def read(name: str) -> pd.DataFrame:
        frame = pd.read_csv(build / f"{name}.csv", dtype=str, keep_default_na=False)
        return frame.drop(columns=["source_id", "source_line", "source_page"])

    wanted = {str(d) for d in domains}
    crosswalk = read("crosswalk")
    crosswalk = crosswalk[crosswalk["coe_domain_number"].isin(wanted)]
    index = read("endorsement_index")
    index = index[index["coe_code"].str[:1].isin(wanted) | (index["unique_to_alliance"] == "true")]
    competencies = read("coe_competencies")
    return Content(
        domains=read("coe_domains").query("domain_number in @wanted"),
        categories=read("coe_categories").query("domain_number in @wanted"),
        competencies=competencies[competencies["domain_number"].isin(wanted)],
        crosswalk=crosswalk, index=index,
    )


def forward_cells(content: Content, domain: str) -> list[list[str]]:
    """The forward table's raw cells of one domain, one list per mapping row."""
    competencies = content.competencies.set_index("coe_code")
    titles = dict(zip(content.categories["category_code"], content.categories["category_title"]))
    rows, named, previous = [], set(), None
    crosswalk = content.crosswalk[content.crosswalk["coe_domain_number"] == domain]
    for row in crosswalk.itertuples(index=False):
        category = row.coe_category_code
        category_cell = f"{category}." if category in named else f"{category}. {titles[category]}"
        named.add(category)
        competency = competencies.loc[row.coe_code]
        if row.mapping_seq == "1":
            skill = f"{row.coe_code}. {row.coe_competency}"
            if competency["footnote"]:
                skill += f"[1] [1] {competency['footnote']}"
        else:
            skill = f"{row.coe_code}. See above."
        priority = {"Essential": "*", "Important": "•••"}.get(row.mapping_priority,
                                                             competency["priority_note"])
        if row.alignment == "unique":
            cells = ["≠ Unique"] * 3
        else:
            mark = "≈ " if row.alignment == "partial" else ""
            tag = "" if row.endorsement_level == "IFS" else f" ({row.endorsement_level})"
            said = row.demonstrated_by
            cells = [mark + row.endorsement_domain, row.endorsement_area + tag,
                     "See above." if previous == said else said]
        previous = None if row.alignment == "unique" else row.demonstrated_by
        rows.append([category_cell, skill, priority, *cells])
    return rows


def reverse_cells(content: Content) -> list[list[str]]:
    """The reverse table's raw cells: one row per area, its codes written ``1C2``."""
    rows = []
    keys = ["endorsement_domain", "endorsement_area", "endorsement_levels", "designation"]
    for (domain, area, levels, designation), group in content.index.groupby(keys, sort=False):
        tag = ", ".join(levels.split(";"))
        if designation:
            tag += f" - {designation}"
        codes = ("Unique to Alliance" if group["unique_to_alliance"].eq("true").all()
                 else ", ".join(code.replace(".", "") for code in group["coe_code"]))
        rows.append([domain, f"{area} ({tag})", codes])
    return rows


def render(content: Content, path: Path, ruled: bool, make_table=None) -> int:
    """Write the PDF; return its number of pages.

    ``make_table(header, rows, widths, head, cell)``, if given, builds each table instead
    of the default grid (``head`` and ``cell`` are the paragraph styles): the variant
    renderings of ``tools/make_variant_fixtures.py`` use it.
    """
    # reportlab is a dev dependency: imported here so the content helpers work without it.
    import reportlab
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import landscape, letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import (
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    # Vera (shipped with reportlab) has ≈, ≠ and •, which the standard PDF fonts lack.
    fonts = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont("Vera", str(fonts / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont("VeraBd", str(fonts / "VeraBd.ttf")))
    body = ParagraphStyle("body", fontName="Vera", fontSize=10, leading=13,
                          hyphenationLang=_hyphenator(), embeddedHyphenation=1, uriWasteReduce=0.3)
    cell = ParagraphStyle("cell", parent=body, fontSize=7.5, leading=9)
    head = ParagraphStyle("head", parent=cell, fontName="VeraBd", hyphenationLang="")
    heading = ParagraphStyle("heading", parent=body, fontName="VeraBd", fontSize=13, leading=18,
                             spaceAfter=6, hyphenationLang="")

    def table(header, rows, widths):
        data = [[Paragraph(_escape(text), head) for text in header]]
        data += [[Paragraph(_escape(text), cell) for text in row] for row in rows]
        style = [("VALIGN", (0, 0), (-1, -1), "TOP")]
        if ruled:
            # The explicit line under the header: reportlab's GRID leaves it out above a
            # row continued from the previous page, which no real document does.
            style += [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                      ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black)]
        # Rows are split at the page break rather than moved whole to the next page, as
        # the real document does (at least 3 lines of a row stay on either side).
        return Table(data, colWidths=widths, repeatRows=1, splitByRow=0, splitInRow=27,
                     style=TableStyle(style))

    if make_table is not None:
        def table(header, rows, widths):
            return make_table(header, rows, widths, head, cell)

    story = []
    for domain in content.domains.itertuples(index=False):
        rows = forward_cells(content, domain.domain_number)
        story += [Paragraph(f"{domain.domain_number}. {_escape(domain.domain_title)}", heading),
                  Paragraph(_escape(domain.description), body), Spacer(1, 10),
                  table(FORWARD_HEADER, rows, FORWARD_WIDTHS), PageBreak()]
    story += [Paragraph("Endorsement Competencies and the CoE Competencies They Cover", heading),
              table(REVERSE_HEADER, reverse_cells(content), REVERSE_WIDTHS)]
    document = SimpleDocTemplate(str(path), pagesize=landscape(letter), leftMargin=36,
                                 rightMargin=36, topMargin=36, bottomMargin=36, invariant=1,
                                 title="Crosswalk (generated test fixture)")
    document.build(story)
    return document.page


def _hyphenator():
    """pyphen's hyphenation points for reportlab, and a compound's own hyphens.

    pyphen offers ``Self`` + ``-Awareness`` for ``Self-Awareness``, and reportlab adds a
    hyphen to the head: ``Self-`` / ``-Awareness``, which no typesetter prints; and it
    offers no break at the hyphen of ``Relationship-Building``, so reportlab cut that
    word at any letter (``R`` / ``elationship-Building``).
    """
    import pyphen

    dictionary = pyphen.Pyphen(lang="en_US")

    def pairs(word: str) -> list[tuple[str, str]]:
        found = dict((head + "-", tail[1:]) if tail.startswith("-") else (head, tail)
                     for head, tail in dictionary.iterate(word))
        for index in range(1, len(word) - 1):
            if word[index] == "-":
                found.setdefault(word[: index + 1], word[index + 1:])
        # reportlab takes the first pair whose head fits: longest first.
        return sorted(found.items(), key=lambda pair: -len(pair[0]))

    return pairs


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def expected_tables(content: Content) -> dict[str, list[dict]]:
    """The rendered content as JSON-ready rows (what a correct extraction gives back)."""
    return {name: frame.to_dict(orient="records") for name, frame in content.tables().items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, default=BUILD, help="folder of the clean CSVs")
    parser.add_argument("--out", type=Path, default=FIXTURES)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, domains in COMMITTED.items():
        content = load_content(domains, args.build)
        for ruled in (True, False):
            pdf = args.out / f"{name}-{'ruled' if ruled else 'unruled'}.pdf"
            pages = render(content, pdf, ruled)
            print(f"{pdf.name}: {pages} pages, {pdf.stat().st_size / 1024:.0f} KB")
        expected = args.out / f"{name}.expected.json"
        expected.write_text(json.dumps(expected_tables(content), ensure_ascii=False, indent=1)
                            + "\n", encoding="utf-8")
        print(expected.name)


if __name__ == "__main__":
    main()
