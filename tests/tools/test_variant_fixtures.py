"""The variant fixtures of tests/fixtures/variants/ really have the property they are for.

They are rendered by tools/make_variant_fixtures.py (renderings the pipeline has not
seen, to make the extractor robust to them); these tests check the files themselves,
not the pipeline: pdfplumber/pdfminer and the damage records only.
"""

import json
import logging
import re
from pathlib import Path

import make_variant_fixtures as variants
import pdfplumber
import pytest

ROOT = Path(__file__).resolve().parents[2]
VARIANTS = ROOT / "tests" / "fixtures" / "variants"
CODE = re.compile(r"^\d[A-H]\.\d+")




def _page_text(pdf: Path, page: int) -> str:
    with pdfplumber.open(pdf) as document:
        return document.pages[page - 1].extract_text() or ""


def _header_words(pdf: Path, page: int) -> str:
    """The words of the table's header: the top band of a continuation page."""
    with pdfplumber.open(pdf) as document:
        page_ = document.pages[page - 1]
        table = page_.find_tables()[0] if page_.find_tables() else None
        top = table.rows[0].bbox[3] if table else page_.height
        return " ".join(w["text"] for w in page_.extract_words() if w["bottom"] <= top + 1)


PDFS = [
    "reworded-headers-ruled", "reworded-headers-unruled", "group-header-ruled",
    "group-header-unruled", "split-rows-ruled", "split-rows-unruled", "cid-bullets",
    "damaged-stream",
]


@pytest.mark.parametrize("name", PDFS)
def test_every_pdf_is_small_and_has_its_expected_content(name):
    pdf = VARIANTS / f"{name}.pdf"
    assert pdf.stat().st_size < 200_000
    expected = json.loads((VARIANTS / f"{re.sub(r'-(un)?ruled$', '', name)}.expected.json")
                          .read_text(encoding="utf-8"))
    assert set(expected) == {"coe_domains", "coe_categories", "coe_competencies", "crosswalk",
                             "endorsement_index"}
    assert {row["coe_domain_number"] for row in expected["crosswalk"]} == {"1", "2"}
    with pdfplumber.open(pdf) as document:
        assert len(document.pages) >= 12  # domains 1 and 2 span several pages


@pytest.mark.parametrize("ruling", ["ruled", "unruled"])
def test_reworded_headers_on_continuation_pages(ruling):
    pdf = VARIANTS / f"reworded-headers-{ruling}.pdf"
    full = "IECMH Consultation Category"
    assert full in _page_text(pdf, 1).replace("\n", " ") or "IECMH Consultation" in _page_text(pdf, 1)
    page2, page3, page4 = (_page_text(pdf, n) for n in (2, 3, 4))
    # Page 2: the abbreviated header, and not the normal one.
    assert "IECMH Consult. Core Skills Ess./ Imp." in page2
    assert "Demonstrated By" in page2 and "Other Work Experience" not in page2
    assert "Essential" not in page2.split("\n", 2)[0]
    # Page 3: another wording; page 4: "(cont.)" after the category.
    assert page3.startswith("Category Core Skills E / I Endorsement Area As Demonstrated By")
    assert "Category (cont.)" in page4.split("\n")[1]
    # The second domain's table opens with the normal header again (page 6).
    assert "Essential IECMH Knowledge/ Skill As Demonstrated By/ Other Work" in _page_text(pdf, 6)


@pytest.mark.parametrize("ruling", ["ruled", "unruled"])
def test_group_header_above_the_column_names_on_every_page(ruling):
    pdf = VARIANTS / f"group-header-{ruling}.pdf"
    with pdfplumber.open(pdf) as document:
        forward_pages = [n for n, page in enumerate(document.pages, 1)
                         if "Core Skills" in (page.extract_text() or "")]
        assert len(forward_pages) == 11
        for number in forward_pages:
            lines = document.pages[number - 1].extract_text().split("\n")
            group = next(i for i, line in enumerate(lines)
                         if line == "IECMH Consultation Competencies Endorsement Competencies")
            assert lines[group + 1].startswith("IECMH Consultation IECMH Consultation Core Skills")


def test_group_header_cells_span_three_columns():
    with pdfplumber.open(VARIANTS / "group-header-ruled.pdf") as document:
        table = document.pages[1].find_tables()[0]
        group, names = table.rows[0].cells, table.rows[1].cells
        assert len(names) == 6 and sum(cell is not None for cell in names) == 6
        # pdfplumber gives a spanned cell once, then None for the columns it covers.
        assert [cell is not None for cell in group] == [True, False, False, True, False, False]


def _straddling(pdf: Path) -> list[int]:
    """Pages whose forward table starts with the rest of a row from the page before."""
    pages = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, 1):
            for table in page.extract_tables():
                forward = len(table) > 1 and len(table[0]) == 6 and "Core Skills" in (
                    table[0][1] or "")
                if forward and not CODE.match((table[1][1] or "").strip()):
                    pages.append(number)
    return pages


def test_split_rows_straddle_most_page_breaks():
    pages = _straddling(VARIANTS / "split-rows-ruled.pdf")
    # 9 continuation pages of the forward tables (pages 1 and 6 open a table); on 2 of
    # them the page ended less than a line below a row, so no row could be split.
    assert pages == [3, 4, 5, 7, 9, 10, 11]


def test_split_rows_leave_parts_of_a_single_line():
    """splitInRow 12: a part of one line on either side of a break (the committed
    fixtures keep at least 3)."""
    with pdfplumber.open(VARIANTS / "split-rows-ruled.pdf") as document:
        heights = []
        for number in _straddling(VARIANTS / "split-rows-ruled.pdf"):
            table = document.pages[number - 1].find_tables()[0]
            heights.append(table.rows[1].bbox[3] - table.rows[1].bbox[1])
            previous = document.pages[number - 2].find_tables()[0]
            heights.append(previous.rows[-1].bbox[3] - previous.rows[-1].bbox[1])
    assert min(heights) < 27


def test_split_rows_unruled_is_the_same_layout_without_lines():
    with pdfplumber.open(VARIANTS / "split-rows-unruled.pdf") as unruled, \
            pdfplumber.open(VARIANTS / "split-rows-ruled.pdf") as ruled:
        assert not any(page.lines or page.rects for page in unruled.pages)
        assert ([page.extract_text() for page in unruled.pages]
                == [page.extract_text() for page in ruled.pages])


def test_cid_bullets_come_out_as_cid_codes_and_the_rest_as_text():
    with pdfplumber.open(VARIANTS / "cid-bullets.pdf") as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages[:11])
    assert "•" not in text
    marks = re.findall(r"\(cid:\d+\)", text)
    assert set(marks) == {"(cid:1)", "(cid:2)"}
    # One code per mark: ``*`` is (cid:1), ``•••`` is (cid:2)(cid:2)(cid:2).
    assert "(cid:2)(cid:2)(cid:2)" in text and re.search(r"\(cid:1\)(?!\(cid)", text)
    expected = json.loads((VARIANTS / "cid-bullets.expected.json").read_text(encoding="utf-8"))
    marked = sum(row["mapping_priority"] in ("Essential", "Important")
                 for row in expected["crosswalk"])
    assert text.count("(cid:1)") + text.count("(cid:2)(cid:2)(cid:2)") == marked
    # Everything else is plain text: no other cid, the words and ≈ / ≠ as they are.
    assert "Role of the IECMH Consultant" in text and "≠ Unique" in text
    assert "IECMH Consultation IECMH Consultation Core Skills" in text


def test_cid_bullets_font_has_no_to_unicode():
    data = (VARIANTS / "cid-bullets.pdf").read_bytes()
    fonts = re.findall(rb"<<(?:(?!>>).)*?/BaseFont /[A-Z]{6}\+([\w-]+)(?:(?!>>).)*>>", data, re.DOTALL)
    assert b"BitstreamVeraSans-Oblique" in fonts
    for match in re.finditer(rb"<<(?:(?!>>).)*?/BaseFont /[A-Z]{6}\+([\w-]+)(?:(?!>>).)*>>",
                             data, re.DOTALL):
        has_map = b"/ToUnicode" in match.group(0)
        assert has_map == (match.group(1) != b"BitstreamVeraSans-Oblique")


@pytest.fixture(scope="module")
def damage() -> dict:
    return json.loads((VARIANTS / "damaged-stream.damage.json").read_text(encoding="utf-8"))


def test_damaged_stream_logs_data_loss_on_the_recorded_page_only(damage, caplog):
    with caplog.at_level(logging.WARNING, logger="pdfminer"), \
            pdfplumber.open(VARIANTS / "damaged-stream.pdf") as document:
        lost_on = []
        for number, page in enumerate(document.pages, 1):
            caplog.clear()
            page.extract_text()
            if any("Data-loss while decompressing corrupted data" in r.getMessage()
                   for r in caplog.records):
                lost_on.append(number)
    assert lost_on == [damage["page"]] == [3]


def test_damaged_stream_page_loses_rows_but_the_file_opens(damage):
    pdf = VARIANTS / "damaged-stream.pdf"
    with pdfplumber.open(pdf) as document:
        assert len(document.pages) == 13
        assert "4A.1" not in (document.pages[2].extract_text() or "")  # sanity: domain 1
    text = _page_text(pdf, damage["page"])
    assert damage["lost_lines"] and not any(line in text.split("\n")
                                            for line in damage["lost_lines"])
    assert damage["bytes"] == 40
    # The rows on the page before the damage are there.
    assert "1C. 1C.1. See above." in text or "1C." in text


def test_only_the_recorded_pages_stream_is_corrupt(damage):
    """Every page's Flate stream decompresses but the damaged one, which is broken
    inside the recorded 40 bytes (zlib reads up to them, not past them)."""
    import zlib

    data = (VARIANTS / "damaged-stream.pdf").read_bytes()
    for page in range(1, 14):
        number, start, end = variants.page_content_stream(data, page)
        raw = data[start:end].rstrip(b"\r\n")
        if page != damage["page"]:
            zlib.decompress(raw)
            continue
        assert (number, start + damage["offset_in_stream"]) == (damage["object"],
                                                                damage["file_offset"])
        with pytest.raises(zlib.error):
            zlib.decompress(raw)
        # The bytes before the damage are a valid prefix of a deflate stream.
        zlib.decompressobj().decompress(raw[:damage["offset_in_stream"]])


@pytest.fixture(scope="module")
def scanner() -> tuple[str, str, list[dict]]:
    original = (ROOT / "raw" / "coe-alliance-crosswalk-2023.txt").read_text(encoding="utf-8")
    damaged = (VARIANTS / "scanner-export.txt").read_text(encoding="utf-8")
    record = json.loads((VARIANTS / "scanner-export.damage.json").read_text(encoding="utf-8"))
    return original, damaged, record["damages"]


def test_scanner_export_differs_exactly_at_the_recorded_places(scanner):
    original, damaged, damages = scanner
    assert variants.undo_damages(damaged, damages) == original
    old_lines, new_lines = original.split("\n"), damaged.split("\n")
    assert len(old_lines) == len(new_lines)
    changed = {n for n, (a, b) in enumerate(zip(old_lines, new_lines), 1) if a != b}
    assert changed == {d["line"] for d in damages}
    for d in damages:
        line = new_lines[d["line"] - 1]
        assert line[d["offset"]:d["offset"] + len(d["damaged"])] == d["damaged"]
        assert d["column"] == line[:d["offset"]].count("\t")


def test_scanner_damage_kinds_and_rate(scanner):
    original, _, damages = scanner
    kinds = {d["kind"] for d in damages}
    assert kinds == {"m->rn", "l->1", "d->cl", "e->c", "run-together", "(1)->(l)"}
    table_words = sum(len(re.findall(r"[A-Za-z]{4,}", line))
                      for line in original.split("\n") if "\t" in line)
    assert 1 / 90 < len(damages) / table_words < 1 / 40  # about 1 word in 60


def test_scanner_damage_spares_headers_codes_and_marks(scanner):
    from wordfreq import zipf_frequency

    original, damaged, damages = scanner
    lines = original.split("\n")
    for d in damages:
        line = lines[d["line"] - 1]
        assert "\t" in line and not line.startswith(variants.HEADER_STARTS)
        assert d["column"] != 2 or line.split("\t")[2].strip() not in ("*", "•••", "• • •")
        if d["kind"] == "(1)->(l)":
            continue
        words = d["original"].split(" ")
        assert all(len(w) >= 4 and w.isalpha() for w in words)
        assert zipf_frequency(d["damaged"], "en") < 2.5, d
        assert "See above" not in d["original"] and "Unique" not in d["original"]
    # Headers, codes and marks are untouched.
    for old, new in zip(lines, damaged.split("\n")):
        if old.startswith(variants.HEADER_STARTS):
            assert old == new
        if "\t" in old:
            assert re.findall(r"\d[A-H]\.\s?\d*\.?", old) == re.findall(r"\d[A-H]\.\s?\d*\.?", new)
            assert [c.strip() for c in old.split("\t")[2:3]] == [
                c.strip() for c in new.split("\t")[2:3]] or "(1)" in old
