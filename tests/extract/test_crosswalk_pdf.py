"""The crosswalk read from PDFs: generated fixtures, every engine, ruled and unruled.

tests/fixtures/crosswalk-domain-1-{ruled,unruled}.pdf are rendered by
tools/make_fixture_pdfs.py from the published clean rows of domain 1 (and the reverse
table's areas that name its codes), with cells wrapped over many lines, words
hyphenated at line ends, the header repeated on every page and rows split by page
breaks. crosswalk-domain-1.expected.json is what was rendered: extraction followed by
the shared normalization must give it back cell for cell.

Measured (and asserted below): 608 of 608 cells equal (100.00 %) for each of the six
(engine, ruling) pairs, after 108 line-end hyphenations were repaired by the shared
normalizer. On the whole 31-page document (`make bench`) all six pairs give back all
3,672 cells. (Before build/ was republished with pipeline/transform/cells/spacing.py, 5 cells
differed in every pair: ``collaborates(or`` and ``(e.g.,instructional`` were kept in the
committed CSVs but repaired on the PDF path — the CSVs were stale, not the extraction.)
"""

import functools
import io
import json
import sys
from pathlib import Path

import pandas as pd
import pdf_accuracy as accuracy
import pytest
from click.testing import CliRunner

from pipeline import stages
from pipeline.cli import main
from pipeline.errors import PipelineError
from pipeline.extract import crosswalk_pdf
from pipeline.extract.crosswalk_pdf import extract_crosswalk_pdf, show_progress
from pipeline.extract.crosswalk_table import extract_crosswalk_table
from pipeline.extract.pdf_settings import ENGINES, PdfSettings
from pipeline.sources import file_sha256

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
RULED = FIXTURES / "crosswalk-domain-1-ruled.pdf"
UNRULED = FIXTURES / "crosswalk-domain-1-unruled.pdf"
EXPECTED = json.loads((FIXTURES / "crosswalk-domain-1.expected.json").read_text(encoding="utf-8"))




@pytest.mark.parametrize("pdf", [RULED, UNRULED], ids=["ruled", "unruled"])
@pytest.mark.parametrize("engine", ENGINES)
def test_normalized_rows_equal_the_clean_input(pdf, engine):
    tables = accuracy.normalized_tables(pdf, PdfSettings(engine=engine))
    score = accuracy.compare(EXPECTED, tables)
    assert score.total == 608
    assert score.mismatches == [], f"{score.matched}/{score.total} cells equal"
    # Equal because the wraps were repaired, not because there were none.
    assert (tables["corrections"]["rule"] == "dehyphenate").sum() >= 100


@pytest.fixture(scope="module")
def ruled() -> object:
    return extract_crosswalk_pdf(RULED, "fixture")


def test_frames_are_the_text_exports_with_pages_instead_of_lines(ruled, tmp_path):
    text = tmp_path / "export.txt"
    text.write_text("1. Role\n\nIECMH Consultation Category\tIECMH Consultation Core Skills\t"
                    "Essential or Important\tIECMH Endorsement Competency\tKnowledge/ Skill Area"
                    "\tAs Demonstrated By/ Other Work Experience (and Interview)\n"
                    "1A.\t1A.1. Text\t*\tA\tB\tC\n", encoding="utf-8")
    from_text = extract_crosswalk_table(text, "t")
    for name in ("domains", "forward", "reverse"):
        pdf_frame, text_frame = getattr(ruled, name), getattr(from_text, name)
        assert list(pdf_frame.columns) == [*text_frame.columns, "source_page"]
        assert pdf_frame["source_line"].isna().all()
        assert (pdf_frame["source_page"] >= 1).all()
        assert all(pd.api.types.is_string_dtype(pdf_frame[c]) or pdf_frame[c].dtype == object
                   for c in text_frame.columns if c != "source_line")


def test_domain_heading_and_paragraph_come_from_outside_the_tables(ruled):
    domain = ruled.domains.iloc[0]
    assert (domain["domain_number"], domain["domain_title"]) == ("1", "Role of the IECMH Consultant")
    assert domain["description"].startswith("Understands and can convey how IECMHC is a mental")
    assert "IECMH Consultation Category" not in domain["description"]
    assert domain["source_page"] == 1


def test_header_on_every_page_is_dropped_and_rows_cut_by_page_breaks_are_joined(ruled):
    assert ruled.stats["pages"] == 7
    assert ruled.stats["header"] == 7  # five pages of the forward table, two of the reverse
    forward = ruled.forward
    assert len(forward) == 31 and not forward["skill"].str.contains("IECMH Consultation").any()
    continued = forward[forward["continuation_lines"] != ""]
    assert len(continued), "the fixture should split at least one row at a page break"
    for row in continued.itertuples():
        assert {int(p) for p in row.continuation_lines.split(";")} == {row.source_page + 1}


def test_line_breaks_in_a_cell_are_wrap_points(ruled):
    skills = " ".join(ruled.forward["skill"])
    assert "\n" not in skills
    assert "distinc- tion" in skills  # a hyphenated line end, left for the normalizer
    assert "child- and family-specific" in skills  # a suspended hyphen, kept as printed


def test_reverse_table_at_the_end_keeps_its_three_columns(ruled):
    reverse = ruled.reverse
    assert len(reverse) == 31
    assert set(reverse["source_page"]) == {6, 7}  # continued on the last page: one table
    agency = reverse[reverse["area"].str.startswith("agency policy")].iloc[0]
    assert (agency["endorsement_domain"], agency["coe_codes"]) == (
        "Law, Regulation & Agency Policy", "1C3")


def test_pages_setting_reads_only_those_pages():
    result = extract_crosswalk_pdf(RULED, "fixture", PdfSettings(pages="1-2"))
    assert result.stats["pages"] == 2
    assert result.forward["source_page"].max() == 2 and result.reverse.empty


def _pdf(*page_texts: str) -> bytes:
    """A minimal valid PDF, one page per text (Helvetica, one line each)."""
    pages = list(page_texts)
    objects = ["<< /Type /Catalog /Pages 2 0 R >>",
               "<< /Type /Pages /Kids [%s] /Count %d >>" % (
                   " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages))), len(pages)),
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, text in enumerate(pages):
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET"
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>")
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "content, message",
    [
        pytest.param(_pdf("Just prose, no table."), "no crosswalk table rows found", id="no-table"),
        pytest.param(_pdf(), "the PDF has no pages", id="zero-pages"),
        pytest.param(b"\x89PNG\r\n\x1a\n garbage, not a PDF", "not a readable PDF", id="garbage"),
        pytest.param(b"", "not a readable PDF", id="empty-file"),
    ],
)
def test_unreadable_pdf_is_refused_naming_the_file(tmp_path, content, message, engine):
    path = tmp_path / "crosswalk.pdf"
    path.write_bytes(content)
    with pytest.raises(PipelineError) as caught:
        extract_crosswalk_pdf(path, "s", PdfSettings(engine=engine))
    assert message in str(caught.value)
    assert caught.value.path == str(path)


def test_pages_beyond_the_document_are_refused_naming_the_file():
    with pytest.raises(PipelineError, match="asks for page 9 of a document with 7 pages") as caught:
        extract_crosswalk_pdf(RULED, "s", PdfSettings(pages="3-9"))
    assert caught.value.path == str(RULED)


def _raw_with(tmp_path: Path, pdf: Path, settings: str = "") -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / pdf.name).write_bytes(pdf.read_bytes())
    (raw / "sources.toml").write_text(
        f'[[source]]\nid = "crosswalk-pdf"\npath = "{pdf.name}"\nformat = "crosswalk-table-pdf"\n'
        f'title = "t"\npublisher = "p"\ncitation = "c"\npermission = "p"\n'
        'redistribution = "verbatim-with-credit"\n'
        f'sha256 = "{file_sha256(pdf)}"\n{settings}', encoding="utf-8")
    return raw


@pytest.mark.parametrize("engine", ENGINES)
def test_cli_extract_reads_a_pdf_source_with_any_engine(tmp_path, engine):
    raw = _raw_with(tmp_path, UNRULED, '[source.settings]\nengine = "pdfplumber"\n')
    result = CliRunner().invoke(main, ["extract", "--raw", str(raw), "--out", str(tmp_path / "out"),
                                       "--engine", engine])
    assert result.exit_code == 0, result.output
    assert "31 forward, 31 reverse" in result.output
    forward = pd.read_parquet(tmp_path / "out" / "interim" / "extract" / "crosswalk-pdf"
                              / "forward.parquet")
    assert forward["source_line"].isna().all() and forward["source_page"].notna().all()


def test_engine_option_overrides_the_manifest(tmp_path, monkeypatch):
    raw = _raw_with(tmp_path, RULED, '[source.settings]\nengine = "pdfplumber"\npages = "1-2"\n')
    seen = []
    from pipeline.extract import crosswalk_pdf

    monkeypatch.setattr(crosswalk_pdf, "extract", lambda source: seen.append(source.settings) or {})
    from pipeline.extract import crosswalk_complete  # no frames, nothing to check

    monkeypatch.setattr(crosswalk_complete, "check_complete", lambda source, frames: None)
    stages.run_extract(stages.Paths(raw, tmp_path / "out", engine="camelot"), log=lambda m: None)
    stages.run_extract(stages.Paths(raw, tmp_path / "out"), log=lambda m: None)
    assert [(s.engine, s.pages) for s in seen] == [("camelot", "1-2"), ("pdfplumber", "1-2")]


def test_a_pdf_source_goes_through_every_stage_with_its_pages(tmp_path, monkeypatch):
    from pipeline.transform import crosswalk_table

    # The spot fixes name rows of the real document; the fixture is one domain of it.
    monkeypatch.setattr(crosswalk_table, "transform_crosswalk_table", functools.partial(
        crosswalk_table.transform_crosswalk_table,
        spot_fixes=accuracy.no_spot_fixes(tmp_path)))
    raw, out = _raw_with(tmp_path, RULED), tmp_path / "out"
    messages: list[str] = []
    stages.run_build(stages.Paths(raw, out), log=messages.append)
    assert any("rows: crosswalk-pdf: 65 seen = 62 published + 3 merged" in m for m in messages)
    crosswalk = pd.read_csv(out / "crosswalk.csv", dtype=str, keep_default_na=False)
    assert len(crosswalk) == 31
    assert (crosswalk["source_line"] == "").all() and (crosswalk["source_page"] != "").all()


def test_cli_reports_a_damaged_pdf_without_a_traceback(tmp_path):
    bad = tmp_path / "crosswalk.pdf"
    bad.write_bytes(b"%PDF-1.4\n garbage")
    raw = _raw_with(tmp_path, bad)
    result = CliRunner().invoke(main, ["extract", "--raw", str(raw), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "crosswalk.pdf: not a readable PDF" in result.output
    assert "Traceback" not in result.output


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    "tty, ci, pages, shown",
    [
        pytest.param(True, None, 30, True, id="long-pdf-on-a-terminal"),
        pytest.param(True, "true", 30, False, id="ci"),
        pytest.param(False, None, 30, False, id="redirected-stderr"),
        pytest.param(True, None, 3, False, id="short-pdf"),
    ],
)
def test_progress_bar_only_on_a_terminal_outside_ci(monkeypatch, tty, ci, pages, shown):
    monkeypatch.setattr(sys, "stderr", _Terminal() if tty else io.StringIO())
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    assert show_progress(pages) is shown
    assert crosswalk_pdf.LONG_PDF_PAGES == 10


# An independent rendering: Chromium's print of the HTML of domains 3 and 4 (unruled;
# tools/make_chromium_fixture.py, needs chromium, not run in CI). Its own column widths
# per table, narrow cell padding, ligatures, and domain 4's heading, paragraph and table
# (other column widths) start mid-page 9 under the end of domain 3's table.
CHROMIUM = FIXTURES / "crosswalk-domains-3-4-chromium-unruled.pdf"
CHROMIUM_EXPECTED = json.loads(
    (FIXTURES / "crosswalk-domains-3-4-chromium.expected.json").read_text(encoding="utf-8"))


def test_independent_rendering_with_two_tables_on_a_page_comes_back_with_pdfplumber():
    tables = accuracy.normalized_tables(CHROMIUM, PdfSettings(engine="pdfplumber"))
    score = accuracy.compare(CHROMIUM_EXPECTED, tables)
    assert score.total == 800
    # Measured: 800 of 800 cells (100.00 %). pdfplumber's words keep no ligature glyphs.
    assert score.accuracy >= 0.99, score.mismatches[:5]


def test_independent_rendering_comes_back_with_camelot_ligatures_and_all():
    tables = accuracy.normalized_tables(CHROMIUM, PdfSettings(engine="camelot"))
    score = accuracy.compare(CHROMIUM_EXPECTED, tables)
    # Measured: 800 of 800 cells (100.00 %). camelot gives the font's ligature glyphs
    # (``Reﬂection``); the shared normalizer expands them (rule ``ligature``).
    assert score.total == 800
    assert score.accuracy >= 0.99, score.mismatches[:5]


def test_independent_rendering_comes_back_with_pdfium_cell_for_cell():
    """Chromium draws no space glyphs that pdfium keeps: pdfium reports the spaces as
    its own, made up, and puts one after a ligature at the ligature's start; the engine
    places them between the words (tests/extract/test_pdfium_engine.py)."""
    tables = accuracy.normalized_tables(CHROMIUM, PdfSettings(engine="pdfium"))
    score = accuracy.compare(CHROMIUM_EXPECTED, tables)
    assert score.total == 800
    assert score.mismatches == [], f"{score.matched}/{score.total} cells equal"


# --- merging table parts across pages ---------------------------------------------------

HEADER_ROW = ["IECMH Consultation Category", "IECMH Consultation Core Skills",
              "Essential or Important", "IECMH Endorsement Competency", "Knowledge/ Skill Area",
              "As Demonstrated By/ Other Work Experience (and Interview)"]
ROW_3C3 = ["3C.", "3C.3. See above.", "•••", "Working with Others", "Building and Maintain-",
           "Builds and maintains effective"]


def _merged(*pages):
    from pipeline.extract.crosswalk_pdf import PagePart, merge_table_parts_across_pages
    from pipeline.extract.pdf_engines import FoundTable

    parts = [PagePart(number, [], [FoundTable((42.0, top, 750.0, top + 100), rows)
                                   for top, rows in tables])
             for number, tables in enumerate(pages, start=1)]
    return list(merge_table_parts_across_pages(parts))


def test_a_page_without_the_header_continues_the_table_in_progress():
    records = _merged([(50.0, [HEADER_ROW, ROW_3C3])],
                      [(40.0, [["", "", "", "", "ing Relationships (MHM)", "colleagues"]])])
    assert records[-1].fields == ("", "", "", "", "ing Relationships (MHM)", "colleagues")


def test_a_heading_an_engine_read_as_a_table_row_above_the_repeated_header_is_prose():
    # camelot (stream) read page 15's domain heading as a one-row table of the table's
    # width; above the repeated header it is prose, not the tail of 3C.3 on page 14.
    records = _merged([(50.0, [HEADER_ROW, ROW_3C3])],
                      [(45.0, [["4. Reflective", "Practice", "", "", "", ""]]),
                       (170.0, [HEADER_ROW, ["4A. Uses Self-Reflection", "4A.1. Understands",
                                             "*", "Reflection", "Emotional Response",
                                             "Uses reflective practice"]])])
    page_2 = [r for r in records if r.at == 2]
    assert page_2[0].fields is None and page_2[0].text == "4. Reflective Practice"
    assert page_2[1].fields == tuple(HEADER_ROW)


def _encrypted(path: Path, user: str) -> Path:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), invariant=1,
                        encrypt=pdfencrypt.StandardEncryption(user, ownerPassword="owner"))
    pdf.drawString(72, 720, "1. Role of the IECMH Consultant")
    pdf.save()
    return path


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("password, message", [
    pytest.param("", "the PDF is encrypted and needs a password", id="none-given"),
    pytest.param("wrong", "the password given does not open it", id="wrong"),
])
def test_an_encrypted_pdf_is_named_as_such(tmp_path, password, message, engine):
    pdf = _encrypted(tmp_path / "locked.pdf", user="secret")
    with pytest.raises(PipelineError, match=message) as raised:
        extract_crosswalk_pdf(pdf, "fixture", PdfSettings(password=password, engine=engine))
    assert "locked.pdf" in str(raised.value) and "password" in raised.value.hint


@pytest.mark.parametrize("engine", ENGINES)
def test_the_manifests_password_opens_an_encrypted_pdf(tmp_path, engine):
    pdf = _encrypted(tmp_path / "locked.pdf", user="secret")
    # It opens; this one-line page holds no table, which is the next thing said.
    with pytest.raises(PipelineError, match="no crosswalk table rows found"):
        extract_crosswalk_pdf(pdf, "fixture", PdfSettings(password="secret", engine=engine))
