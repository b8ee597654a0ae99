"""Render crosswalk content in ways the pipeline has not seen: fixtures to make it robust.

Each variant is the clean content of some CoE domains (from ``build/*.csv``, as in
``tools/make_fixture_pdfs.py``, whose content and rendering helpers are reused) rendered
with one thing a real document, a re-typeset edition or a damaged copy does differently.
Every PDF comes with ``<variant>.expected.json`` (what was rendered, the same shape as
``tests/fixtures/crosswalk-domain-1.expected.json``); ``tools/pdf_accuracy.py`` scores an
extraction against it.

- ``reworded-headers-{ruled,unruled}.pdf`` — each table's first page has the normal
  header; every continuation page of the forward table repeats an abbreviated or
  reworded one (``Ess./ Imp.``, ``Category | Core Skills | E / I | …``, one with
  ``(cont.)``), cycling through ``CONTINUATION_HEADERS``.
- ``group-header-{ruled,unruled}.pdf`` — a two-level forward header on every page: a group
  row (``IECMH Consultation Competencies`` over the first 3 columns, ``Endorsement
  Competencies`` over the last 3) above the column names.
- ``split-rows-{ruled,unruled}.pdf`` — rows split inside their cells by a page break with
  as little as one line on either side, so a row straddles nearly every page break.
- ``cid-bullets.pdf`` — the priority marks ``*`` and ``•••`` in a font subset whose
  ``/ToUnicode`` map is removed: text extraction gives ``(cid:1)``, ``(cid:2)`` for them.
- ``damaged-stream.pdf`` — the plain ruled rendering with 40 bytes of one page's Flate
  content stream overwritten (``damaged-stream.damage.json`` names the page): pdfminer
  logs ``Data-loss while decompressing corrupted data`` and the page loses rows.
- ``scanner-export.txt`` — ``raw/coe-alliance-crosswalk-2023.txt`` with OCR confusions in
  words of the table cells (``m``→``rn``, ``l``→``1``, ``d``→``cl``, ``e``→``c``, two
  words run together, ``(1)``→``(l)``), every one listed in ``scanner-export.damage.json``.

    .venv/bin/python tools/make_variant_fixtures.py            # tests/fixtures/variants/
    .venv/bin/python tools/make_variant_fixtures.py --score    # and score the pipeline on them

Output is byte-identical between runs (reportlab ``invariant``, seeded RNGs).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import logging
import random
import re
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ROOT / "tests" / "fixtures" / "variants"
RAW_EXPORT = ROOT / "raw" / "coe-alliance-crosswalk-2023.txt"


def _sibling(name: str):
    """A module of tools/ (not a package), loaded once."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while being defined
        spec.loader.exec_module(module)
    return sys.modules[name]


base = _sibling("make_fixture_pdfs")

#: Domains of every PDF variant: 73 mapping rows, 13 pages (11 forward, 2 reverse).
DOMAINS = (1, 2)

#: The forward header's continuation pages, in turn (the first page keeps FORWARD_HEADER).
CONTINUATION_HEADERS = (
    ("IECMH Consult. Category", "IECMH Consult. Core Skills", "Ess./ Imp.",
     "IECMH Endorse. Competency", "Knowledge/ Skill Area", "Demonstrated By"),
    ("Category", "Core Skills", "E / I", "Endorsement Competency", "Area", "As Demonstrated By"),
    ("IECMH Consult. Category (cont.)", "IECMH Consult. Core Skills", "Ess./ Imp.",
     "IECMH Endorse. Competency", "Knowledge/ Skill Area", "Demonstrated By"),
    ("Category", "Core Skills", "E / I", "Endorsement Competency", "Area",
     "As Demonstrated By"),
    ("IECMH Consult. Category", "IECMH Consult. Core Skills", "Ess./ Imp.",
     "IECMH Endorse. Competency", "Knowledge/ Skill Area", "As Demonstrated By"),
)
GROUP_HEADER = ("IECMH Consultation Competencies", "", "",
                "Endorsement Competencies", "", "")

#: reportlab's ``splitInRow``: the least height (pt) of a row part on either side of a
#: page break. The committed fixtures keep 27 (3 lines); one line of 9 pt and the cell
#: padding is 12.
SPLIT_IN_ROW = 27
SPLIT_IN_ROW_TIGHT = 12

#: The font of the priority marks in ``cid-bullets``: Vera Oblique, subset with codes
#: from 1 (``asciiReadable=False``), so that without /ToUnicode no code means a glyph.
MARKS_FONT = "VeraMarks"
MARKS_BASEFONT = b"BitstreamVeraSans-Oblique"

DAMAGE_PAGE = 3
DAMAGE_BYTES = 40
SEED = 20230


# ---------------------------------------------------------------------------- tables

def grid_table(header_rows, rows, widths, head, cell, *, ruled, table_class=None,
               split_in_row=SPLIT_IN_ROW, spans=(), markup=None):
    """make_fixture_pdfs' table, generalized: several header rows (repeated on every
    page), spanned header cells, another Table class, another ``splitInRow``, and
    ``markup(column, escaped_text)`` for a cell's paragraph markup. With one header row
    and the defaults it is the committed fixtures' table exactly."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    markup = markup or (lambda column, text: text)
    data = [[Paragraph(base._escape(text), head) for text in header] for header in header_rows]
    data += [[Paragraph(markup(i, base._escape(text)), cell) for i, text in enumerate(row)]
             for row in rows]
    style = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    style += [("SPAN", start, end) for start, end in spans]
    if ruled:
        style += [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                  ("LINEBELOW", (0, len(header_rows) - 1), (-1, len(header_rows) - 1), 0.5,
                   colors.black)]
    return (table_class or Table)(data, colWidths=widths, repeatRows=len(header_rows),
                                  splitByRow=0, splitInRow=split_in_row, style=TableStyle(style))


def reworded_header_table_class(head):
    """A Table whose continuation parts repeat the next of CONTINUATION_HEADERS."""
    from reportlab.platypus import Paragraph, Table

    class RewordedHeaderTable(Table):
        continuation = 0  # how many pages this part is after the table's first

        def split(self, availWidth, availHeight):
            parts = super().split(availWidth, availHeight)
            if len(parts) == 2:
                tail = parts[1]
                tail.continuation = self.continuation + 1
                words = CONTINUATION_HEADERS[(tail.continuation - 1) % len(CONTINUATION_HEADERS)]
                tail._cellvalues[0] = [Paragraph(base._escape(text), head) for text in words]
                tail._argH[0] = None  # the header row's height from its new words
            return parts

    return RewordedHeaderTable


def _tables(ruled, forward, reverse=None):
    """A ``make_table`` for make_fixture_pdfs.render: ``forward`` builds the forward
    table, ``reverse`` (default: the plain one) the reverse table."""
    def make_table(header, rows, widths, head, cell):
        if header == base.FORWARD_HEADER:
            return forward(header, rows, widths, head, cell)
        if reverse is not None:
            return reverse(header, rows, widths, head, cell)
        return grid_table([header], rows, widths, head, cell, ruled=ruled)
    return make_table


def reworded_headers(ruled):
    def forward(header, rows, widths, head, cell):
        return grid_table([header], rows, widths, head, cell, ruled=ruled,
                          table_class=reworded_header_table_class(head))
    return _tables(ruled, forward)


def group_header(ruled):
    def forward(header, rows, widths, head, cell):
        return grid_table([GROUP_HEADER, header], rows, widths, head, cell, ruled=ruled,
                          spans=[((0, 0), (2, 0)), ((3, 0), (5, 0))])
    return _tables(ruled, forward)


def split_rows(ruled):
    def any_table(header, rows, widths, head, cell):
        return grid_table([header], rows, widths, head, cell, ruled=ruled,
                          split_in_row=SPLIT_IN_ROW_TIGHT)
    return _tables(ruled, any_table, any_table)


def cid_bullets(ruled):
    def marks(column, text):
        if column != 2 or text.strip("*• ") or not text.strip():
            return text
        return f'<font name="{MARKS_FONT}">{text}</font>'

    def forward(header, rows, widths, head, cell):
        return grid_table([header], rows, widths, head, cell, ruled=ruled, markup=marks)
    return _tables(ruled, forward)


def _register_marks_font() -> None:
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    fonts = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont(MARKS_FONT, str(fonts / "VeraIt.ttf"), asciiReadable=False))


def strip_to_unicode(pdf: bytes, basefont: bytes = MARKS_BASEFONT) -> bytes:
    """Blank out the ``/ToUnicode`` entry of the font dictionaries of ``basefont``
    (spaces of the same length: every xref offset stays right)."""
    def blank(match: re.Match) -> bytes:
        return re.sub(rb"/ToUnicode \d+ 0 R", lambda m: b" " * len(m.group(0)), match.group(0))

    pattern = rb"<<(?:(?!>>).)*?/BaseFont /[A-Z]{6}\+" + re.escape(basefont) + rb"(?:(?!>>).)*>>"
    out, count = re.subn(pattern, blank, pdf, flags=re.DOTALL)
    if count == 0 or out == pdf:
        raise SystemExit(f"no /ToUnicode of {basefont.decode()} to strip")
    return out


# ---------------------------------------------------------------------------- damage

def page_content_stream(pdf: bytes, page: int) -> tuple[int, int, int]:
    """(object number, start, end) of the raw bytes of the one content stream of
    1-based ``page``."""
    import io

    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    document = PDFDocument(PDFParser(io.BytesIO(pdf)))
    pdf_page = list(PDFPage.create_pages(document))[page - 1]
    contents = pdf_page.attrs["Contents"]
    number = (contents[0] if isinstance(contents, list) else contents).objid
    start = re.search(rb"(?m)^%d 0 obj\b" % number, pdf).end()
    stream = re.compile(rb"stream\r?\n").search(pdf, start)
    end = pdf.index(b"endstream", stream.end())
    return number, stream.end(), end


def damage_stream(pdf: bytes, page: int, seed: int = SEED) -> tuple[bytes, dict]:
    """Overwrite DAMAGE_BYTES bytes in the middle of ``page``'s Flate stream so that
    zlib fails, pdfminer's lenient decoder gets through to the checksum (it logs
    ``Data-loss while decompressing corrupted data``) and the page loses text.
    Candidates come from a seeded RNG; the first that does that is taken."""
    from pdfminer.pdftypes import decompress_corrupted

    number, start, end = page_content_stream(pdf, page)
    raw = pdf[start:end].rstrip(b"\r\n")
    clean = zlib.decompress(raw)
    shown = len(re.findall(rb"\) ?Tj", clean))
    rng = random.Random(seed)
    for attempt in range(1, 20001):
        offset = rng.randrange(len(raw) * 2 // 5, len(raw) * 3 // 5)
        junk = bytes(rng.randrange(256) for _ in range(DAMAGE_BYTES))
        damaged = raw[:offset] + junk + raw[offset + DAMAGE_BYTES:]
        try:
            zlib.decompress(damaged)
            continue  # still valid (never, in practice)
        except zlib.error:
            pass
        try:
            decoded = decompress_corrupted(damaged)
        except zlib.error:
            continue  # pdfminer would give an empty page without a word
        kept = len(re.findall(rb"\) ?Tj", decoded))
        if kept < shown * 0.8 and kept > shown * 0.2 and b"ET" in decoded[-400:]:
            record = {"page": page, "object": number, "stream_bytes": len(raw),
                      "offset_in_stream": offset, "file_offset": start + offset,
                      "bytes": DAMAGE_BYTES, "seed": seed, "attempt": attempt,
                      "text_shows_before": shown, "text_shows_after": kept}
            return pdf[:start + offset] + junk + pdf[start + offset + DAMAGE_BYTES:], record
    raise SystemExit("no damage found that pdfminer reads past")


def render_binary_streams(content, pdf: Path) -> int:
    """The plain ruled rendering, its page streams Flate only (reportlab's default wraps
    them in ASCII85 too, which real documents rarely do and where a damaged byte would
    hit the ASCII85 decoder first)."""
    from reportlab import rl_config

    saved, rl_config.useA85 = rl_config.useA85, 0
    try:
        return base.render(content, pdf, True)
    finally:
        rl_config.useA85 = saved


@contextlib.contextmanager
def quiet_pdfminer():
    """pdfminer's warnings about the damage we made on purpose, unprinted."""
    logger = logging.getLogger("pdfminer")
    saved, logger.level = logger.level, logging.ERROR
    try:
        yield
    finally:
        logger.setLevel(saved)


def lines_of_page(pdf: Path, page: int) -> list[str]:
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return (document.pages[page - 1].extract_text() or "").splitlines()


# ---------------------------------------------------------------------------- scanner

#: Lines that are a table header: never damaged.
HEADER_STARTS = ("IECMH Consultation Category\t", "Competencies for IMH-E")
SCANNER_RATE = 1 / 60
COMMON = 2.5  # zipf frequency at or above which a damaged form is a real word
_WORD = re.compile(r"[A-Za-z]+")
#: Words the table's structure hangs on, marks rather than text: never damaged.
_PROTECTED = re.compile(r"See above|Unique to Alliance|[#≠≈=]\s*Unique|^\s*Unique\s*$")
_ONE = "(1)"


def _confusions(word: str) -> list[tuple[str, str]]:
    """Every (kind, damaged form) of one word, one letter changed."""
    out = []
    for kind, old, new in (("m->rn", "m", "rn"), ("l->1", "l", "1"), ("d->cl", "d", "cl"),
                           ("e->c", "e", "c")):
        for at in [i for i, ch in enumerate(word) if ch == old]:
            out.append((kind, word[:at] + new + word[at + 1:]))
    return out


def damage_export(text: str, seed: int = SEED) -> tuple[str, list[dict]]:
    """``text`` with scanner confusions in words of its table cells, and the list of them.

    Only lines of a table (tab-separated, not a header), only the text cells (not the
    priority mark, not a cell of a code, not ``See above``, ``≠ Unique`` or ``Unique to
    Alliance``), only words of 4+ letters that are not all capitals (``IECMHC``, ``MHS``);
    ``(1)`` in a cell always becomes ``(l)``. A damaged form is never a common English
    word (wordfreq zipf < 2.5). Each damage names its 1-based ``line``, its tab-separated
    ``column`` and the ``offset`` of the damaged form in the damaged line."""
    from wordfreq import zipf_frequency

    rng = random.Random(seed)
    lines = text.split("\n")
    damages = []
    for number, line in enumerate(lines, start=1):
        if "\t" not in line or line.startswith(HEADER_STARTS):
            continue
        cells, out = line.split("\t"), []
        for column, cell in enumerate(cells):
            if re.search(r"[a-z]{4}|\(1\)", cell) and cell.strip() not in ("*", "•••", "• • •"):
                offset = sum(len(c) + 1 for c in out)
                cell = _damage_cell(cell, number, column, offset, rng, damages, zipf_frequency)
            out.append(cell)
        lines[number - 1] = "\t".join(out)
    return "\n".join(lines), damages


def _damage_cell(cell, line, column, offset, rng, damages, zipf) -> str:
    """``cell`` damaged; each damage appended to ``damages``; ``offset``: the cell's
    position in its damaged line."""
    protected = [m.span() for m in _PROTECTED.finditer(cell)]
    tokens = [t for t in re.finditer(r"\(1\)|[A-Za-z]+", cell)
              if not any(a <= t.start() < b for a, b in protected)]
    pieces, cursor = [], 0
    skip_next = False
    for index, match in enumerate(tokens):
        word, start, end = match.group(0), match.start(), match.end()
        if skip_next:
            skip_next = False
            continue
        follower = tokens[index + 1] if index + 1 < len(tokens) else None
        if word == _ONE:  # "(1)" as a list number: always misread
            kind, form = "(1)->(l)", "(l)"
        else:
            if not _eligible(cell, match) or rng.random() >= SCANNER_RATE:
                continue
            options = [(k, f) for k, f in _confusions(word) if zipf(f, "en") < COMMON]
            if (follower is not None and cell[end:follower.start()] == " "
                    and _eligible(cell, follower)
                    and zipf(word + follower.group(0), "en") < COMMON):
                options.append(("run-together", word + follower.group(0)))
            if not options:
                continue
            kind = rng.choice(sorted({k for k, _ in options}))  # each kind alike
            form = rng.choice([f for k, f in options if k == kind])
        stop = follower.end() if kind == "run-together" else end
        pieces.append(cell[cursor:start])
        damages.append({"line": line, "column": column,
                        "offset": offset + sum(len(p) for p in pieces), "kind": kind,
                        "original": cell[start:stop], "damaged": form})
        pieces.append(form)
        cursor = stop
        skip_next = kind == "run-together"
    pieces.append(cell[cursor:])
    return "".join(pieces)


def _eligible(cell: str, match: re.Match) -> bool:
    word = match.group(0)
    return len(word) >= 4 and word.isalpha() and not word.isupper() and _is_word(cell, match)


def _is_word(cell: str, match: re.Match) -> bool:
    """A word on its own: not part of a code (``1A``), a number or an e-mail/URL."""
    before = cell[match.start() - 1] if match.start() else " "
    after = cell[match.end()] if match.end() < len(cell) else " "
    return not (before.isdigit() or after.isdigit() or before in "@." or after == "@")


def undo_damages(damaged: str, damages: list[dict]) -> str:
    """The original text back from the damaged one and its list (a check of the list)."""
    lines = damaged.split("\n")
    for damage in sorted(damages, key=lambda d: (d["line"], -d["offset"])):
        line, at = lines[damage["line"] - 1], damage["offset"]
        if line[at:at + len(damage["damaged"])] != damage["damaged"]:
            raise ValueError(f"line {damage['line']}: no {damage['damaged']!r} at {at}")
        lines[damage["line"] - 1] = line[:at] + damage["original"] + line[at + len(damage["damaged"]):]
    return "\n".join(lines)


# ---------------------------------------------------------------------------- main

PDF_VARIANTS = {
    "reworded-headers": reworded_headers,
    "group-header": group_header,
    "split-rows": split_rows,
}


def write_expected(content, out: Path, name: str) -> None:
    (out / f"{name}.expected.json").write_text(
        json.dumps(base.expected_tables(content), ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8")


def _report(pdf: Path, pages: int) -> None:
    print(f"{pdf.name}: {pages} pages, {pdf.stat().st_size / 1024:.0f} KB")


def build(out: Path, build_dir: Path, raw_export: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    content = base.load_content(DOMAINS, build_dir)
    for name, make in PDF_VARIANTS.items():
        for ruled in (True, False):
            pdf = out / f"{name}-{'ruled' if ruled else 'unruled'}.pdf"
            _report(pdf, base.render(content, pdf, ruled, make_table=make(ruled)))
        write_expected(content, out, name)

    _register_marks_font()
    pdf = out / "cid-bullets.pdf"
    pages = base.render(content, pdf, True, make_table=cid_bullets(True))
    pdf.write_bytes(strip_to_unicode(pdf.read_bytes()))
    _report(pdf, pages)
    write_expected(content, out, "cid-bullets")

    pdf = out / "damaged-stream.pdf"
    pages = render_binary_streams(content, pdf)
    intact = pdf.read_bytes()
    with quiet_pdfminer():
        damaged, record = damage_stream(intact, DAMAGE_PAGE)
        before = lines_of_page(pdf, DAMAGE_PAGE)
        pdf.write_bytes(damaged)
        after = lines_of_page(pdf, DAMAGE_PAGE)
    record["lines_before"], record["lines_after"] = len(before), len(after)
    kept = set(after)
    record["lost_lines"] = [line for line in before if line not in kept]
    (out / "damaged-stream.damage.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    _report(pdf, pages)
    write_expected(content, out, "damaged-stream")

    text = raw_export.read_text(encoding="utf-8")
    damaged_text, damages = damage_export(text)
    assert undo_damages(damaged_text, damages) == text
    (out / "scanner-export.txt").write_text(damaged_text, encoding="utf-8")
    (out / "scanner-export.damage.json").write_text(
        json.dumps({"source": raw_export.relative_to(ROOT).as_posix(), "seed": SEED,
                    "damages": damages}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"scanner-export.txt: {len(damages)} damaged places")


def score(out: Path) -> None:
    """How the current pipeline fares on each variant, per engine."""
    sys.path.insert(0, str(ROOT))
    accuracy = _sibling("pdf_accuracy")
    from pipeline.extract.pdf_settings import PdfSettings

    for pdf in sorted(out.glob("*.pdf")):
        name = re.sub(r"-(un)?ruled$", "", pdf.stem)
        expected = json.loads((out / f"{name}.expected.json").read_text(encoding="utf-8"))
        for engine in ("pdfplumber", "camelot"):
            try:
                tables = accuracy.normalized_tables(pdf, PdfSettings(engine=engine))
                result = accuracy.compare(expected, tables)
                print(f"{pdf.name} {engine}: {result.matched}/{result.total} cells "
                      f"({result.accuracy:.2%}), {len(result.mismatches)} mismatches")
            except Exception as error:  # noqa: BLE001 - the report is what fails
                print(f"{pdf.name} {engine}: {type(error).__name__}: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, default=base.BUILD, help="folder of the clean CSVs")
    parser.add_argument("--raw-export", type=Path, default=RAW_EXPORT)
    parser.add_argument("--out", type=Path, default=VARIANTS)
    parser.add_argument("--score", action="store_true",
                        help="then extract every PDF with both engines and print its accuracy")
    args = parser.parse_args()
    build(args.out, args.build, args.raw_export)
    if args.score:
        score(args.out)


if __name__ == "__main__":
    main()
