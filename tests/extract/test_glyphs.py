"""Glyphs a PDF maps to no character: resolved by the font's encoding or the document's
key, or the build stops naming the page, row and column — never a silent null."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from pipeline.errors import PipelineError
from pipeline.extract.crosswalk_pdf import extract_crosswalk_pdf
from pipeline.extract.crosswalk_table import Record, assemble_crosswalk
from pipeline.extract.glyphs import learn_key, page_font_glyphs, resolve
from pipeline.extract.pdf_settings import ENGINES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HEADER = ("IECMH Consultation Category", "IECMH Consultation Core Skills",
          "Essential or Important", "IECMH Endorsement Competency", "Knowledge/ Skill Area",
          "As Demonstrated By/ Other Work Experience (and Interview)")
ROW_1A1 = ("1A. Distinguishes IECMHC from Other Related Endeavors",
           "1A.1. Demonstrates an understanding of IECMHC as an indirect service", "(cid:1)",
           "≠ Unique", "≠ Unique", "≠ Unique")


def _one_page_pdf(path: Path, text: bytes) -> Path:
    """A PDF whose one line is drawn in Helvetica with WinAnsiEncoding, bytes as given."""
    stream = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_a_code_winansi_leaves_unused_is_read_as_the_bullet_the_pdf_reference_names(tmp_path):
    # Bullets drawn in the body font (code 127): pdfminer gives (cid:127).
    pdf = _one_page_pdf(tmp_path / "bullets.pdf", b"Important \\177\\177\\177")
    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        assert "(cid:127)" in page.extract_text()
        glyphs = page_font_glyphs(page)
    assert glyphs == {"(cid:127)": "•"}
    assert resolve("(cid:127)(cid:127)(cid:127)", glyphs) == "•••"


def test_the_documents_key_names_an_unreadable_mark():
    key = ["(cid:1) Essential", "(cid:2) (cid:2) (cid:2) Important",
           "Those marked with a not equal to sign ((cid:3)) boxed in blue are unique"]
    assert learn_key(key) == {"(cid:1)": "*", "(cid:2)": "•", "(cid:3)": "≠"}


def test_a_key_giving_one_glyph_two_meanings_is_refused():
    with pytest.raises(ValueError, match="two meanings"):
        learn_key(["(cid:1) Essential", "(cid:1) Important"])


def test_marks_resolved_by_the_key_reach_the_rows():
    records = [Record(1, text="(cid:1) Essential"), Record(1, text="1. Role of the IECMH Consultant"),
               Record(1, fields=HEADER), Record(1, fields=ROW_1A1)]
    result = assemble_crosswalk(records, Path("crosswalk.pdf"), "crosswalk", unit="page")
    assert result.forward["priority"].tolist() == ["*"]


def test_an_unreadable_mark_no_key_names_stops_the_build_naming_page_row_and_column():
    records = [Record(1, text="1. Role of the IECMH Consultant"), Record(1, fields=HEADER),
               Record(1, fields=ROW_1A1)]
    with pytest.raises(PipelineError) as raised:
        assemble_crosswalk(records, Path("crosswalk.pdf"), "crosswalk", unit="page")
    message = str(raised.value)
    assert "crosswalk.pdf (page 1)" in message
    assert "1A.1. Demonstrates" in message and "'Essential or Important'" in message
    assert "(cid:1)" in message


def test_a_symbol_font_bullet_in_the_private_use_area_is_a_bullet():
    assert resolve("\uf0b7 \uf0b7 \uf0b7", {}) == "• • •"


def test_unmapped_replacement_character_in_a_text_export_stops_the_build():
    records = [Record(1, text="1. Role of the IECMH Consultant"), Record(2, fields=HEADER),
               Record(3, fields=(*ROW_1A1[:2], "*", "Reflection", "Contempl\ufffdtion", "Text"))]
    with pytest.raises(PipelineError, match=r"crosswalk.txt:3: .*'Knowledge/ Skill Area'"):
        assemble_crosswalk(records, Path("crosswalk.txt"), "crosswalk")


@pytest.mark.parametrize("engine", ENGINES)
def test_priority_marks_in_a_font_without_a_unicode_map_stop_the_build(engine):
    """The fixture draws * and ••• through a font subset whose Unicode map was removed and
    carries no key: nothing can tell what the marks are."""
    from pipeline.extract.pdf_settings import PdfSettings

    with pytest.raises(PipelineError, match=r"cid-bullets.pdf \(page 1\).*Essential or Important"):
        extract_crosswalk_pdf(FIXTURES / "variants" / "cid-bullets.pdf", "fixture",
                              PdfSettings(engine=engine))


def test_the_first_unreadable_cell_is_refused_whatever_column_and_empty_cells_beside():
    import pandas as pd

    from pipeline.extract.glyphs import refuse_unreadable

    frame = pd.DataFrame({"skill": ["1A.1", None, "1A.3"], "area": [None, "Reflection", "x"],
                          "priority": ["E", "I", "(cid:7)"], "source_page": [1, 1, 2]})
    columns = {"area": "Knowledge/ Skill Area", "priority": "Essential or Important"}
    with pytest.raises(PipelineError, match=r"page 2.*'1A.3'.*'Essential or Important'.*cid:7"):
        refuse_unreadable(frame, columns, Path("c.pdf"), "page", "skill")
    refuse_unreadable(frame.iloc[:2], columns, Path("c.pdf"), "page", "skill")  # none: passes
    refuse_unreadable(frame.iloc[:2], {"absent": "Absent"}, Path("c.pdf"), "page", "skill")
