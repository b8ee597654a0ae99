"""Scanned PDFs: the crosswalk read by OCR from page images.

The fixture is made at test time (tools/make_scanned_pdf.py, fixed seed): the committed
domain-1 crosswalk PDF, ruled, rendered at 200 dpi, turned by up to 0.6°, blurred,
speckled and saved as JPEG images without a text layer — and one cell smudged. It is
read with Tesseract (``make system-packages``): these tests fail, never skip, without it.
"""

from __future__ import annotations

import functools
import json
from dataclasses import replace
from pathlib import Path

import make_scanned_pdf
import pandas as pd
import pdf_accuracy
import pytest

from pipeline import stages
from pipeline.errors import PipelineError
from pipeline.extract import ocr
from pipeline.extract.crosswalk_pdf import extract_crosswalk_pdf
from pipeline.extract.image_pages import image_only_pages
from pipeline.extract.pdf_settings import PdfSettings
from pipeline.sources import file_sha256

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
RULED = FIXTURES / "crosswalk-domain-1-ruled.pdf"
EXPECTED = json.loads((FIXTURES / "crosswalk-domain-1.expected.json").read_text(encoding="utf-8"))
#: A word of a demonstrated-by cell of page 2 (points): blotted, so OCR doubts it.
SMUDGE = (2, (615.0, 88.0, 670.0, 97.0))  # "communicate"


@pytest.fixture(scope="session")
def scanned(tmp_path_factory) -> Path:
    """The domain-1 crosswalk as an office scanner makes it: image-only pages."""
    path = tmp_path_factory.mktemp("scan") / "crosswalk-domain-1-scanned.pdf"
    damage = make_scanned_pdf.ScanDamage(dpi=200, skew=0.6, blur=0.6, noise=8, jpeg=60, seed=7)
    make_scanned_pdf.scan(RULED, path, damage, smudges={SMUDGE[0]: [SMUDGE[1]]})
    return path


@pytest.fixture(scope="session")
def cache_folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("ocr-cache")


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch, cache_folder):
    monkeypatch.setenv("CROSSWALK_OCR_CACHE", str(cache_folder))


@pytest.fixture(scope="session")
def tables(scanned, cache_folder) -> dict[str, pd.DataFrame]:
    """The published tables of the scanned PDF (extract with its ocr frame, normalize)."""
    import os

    from pipeline.extract import crosswalk_pdf
    from pipeline.sources import Source
    from pipeline.transform.crosswalk_table import transform_crosswalk_table

    before = os.environ.get("CROSSWALK_OCR_CACHE")
    os.environ["CROSSWALK_OCR_CACHE"] = str(cache_folder)  # session-wide: no monkeypatch
    source = Source(id="scan", path=scanned.name, format="crosswalk-table-pdf", title="t",
                    publisher="p", citation="c", permission="p",
                    redistribution="verbatim-with-credit", sha256="0" * 64,
                    raw_dir=scanned.parent, settings=PdfSettings())
    try:
        frames = crosswalk_pdf.extract(source)
    finally:
        if before is None:
            del os.environ["CROSSWALK_OCR_CACHE"]
        else:
            os.environ["CROSSWALK_OCR_CACHE"] = before
    no_fixes = pdf_accuracy.no_spot_fixes(scanned.parent)
    return {**transform_crosswalk_table(frames, path=str(scanned), spot_fixes=no_fixes),
            "ocr": frames["ocr"]}


def test_tesseract_is_installed_as_the_readme_says():
    assert ocr.tesseract_version() is not None, f"OCR tests need Tesseract: {ocr.INSTALL_HINT}"
    assert ocr.tesseract_version().startswith("5.")


def test_image_only_pages_are_detected(scanned):
    assert image_only_pages(scanned, [1, 2, 3]) == [1, 2, 3]
    assert image_only_pages(RULED, [1, 2, 3]) == []


def test_scanned_crosswalk_comes_back_cell_by_cell(tables):
    score = pdf_accuracy.compare(EXPECTED, tables)
    missing = [m for m in score.mismatches if m[4] in ("<row missing>", "<extra row>")]
    assert not missing, missing[:5]
    assert score.accuracy >= 0.98, score.mismatches[:10]


def test_every_row_read_by_ocr_names_its_page(tables):
    pages = set(tables["ocr"].loc[tables["ocr"]["kind"] == "page", "source_page"].astype(int))
    assert pages == set(range(1, 8))
    for name in ("crosswalk", "coe_competencies", "endorsement_index"):
        assert tables[name]["source_page"].notna().all()
        assert set(tables[name]["source_page"].astype(int)) <= pages


def test_ocr_repairs_are_logged_with_their_own_rule_and_page(tables):
    corrections = tables["corrections"]
    repaired = corrections[corrections["rule"] == "ocr"]
    assert len(repaired), "the scan should need at least one OCR repair (≠ read as #)"
    assert repaired["source_page"].notna().all()
    assert {"#"} <= set(repaired["before"])  # the unique mark, ≠, read as #


def test_smudged_cell_is_a_quality_issue_with_page_and_box(tables):
    issues = tables["quality_issues"]
    doubted = issues[issues["kind"] == "ocr_low_confidence"]
    assert len(doubted), issues["kind"].value_counts().to_dict()
    assert (doubted["source_page"] == SMUDGE[0]).any()
    assert doubted["detail"].str.contains(r"box [\d.]+, [\d.]+, [\d.]+, [\d.]+ pt").all()


def test_second_run_reads_every_page_from_the_cache(scanned, tables, monkeypatch):
    def no_ocr(*args, **kwargs):
        raise AssertionError("OCR ran although the cache holds the page")

    monkeypatch.setattr(ocr, "recognize", no_ocr)
    monkeypatch.setattr(ocr.cached_recognize, "__defaults__", (no_ocr,))
    result = extract_crosswalk_pdf(scanned, "scan", PdfSettings(pages="1-2"))
    assert result.stats["ocr_pages"] == [1, 2]
    assert all(report.cached for report in result.stats["ocr_reports"].values())


def test_a_page_read_before_comes_back_whole_without_its_image_work(scanned, tables,
                                                                  monkeypatch):
    from pipeline.extract import ocr_page

    first = extract_crosswalk_pdf(scanned, "scan", PdfSettings(pages="1-2"))

    def no_image_work(*args, **kwargs):
        raise AssertionError("the page's image was worked again although the cache holds it")

    monkeypatch.setattr(ocr_page, "read_page_image", no_image_work)
    again = extract_crosswalk_pdf(scanned, "scan", PdfSettings(pages="1-2"))
    for name in ("forward", "reverse"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(again, name))
    assert again.stats["ocr_reports"] == first.stats["ocr_reports"]


def test_after_a_change_of_code_a_page_is_worked_again_but_not_read_again(scanned, tables,
                                                                          monkeypatch):
    # The page's entry is of other code; the images Tesseract read are the same, so
    # their words still come from the cache.
    from pipeline.extract import ocr_page, ocr_page_cache, pdfium_engine

    def no_ocr(*args, **kwargs):
        raise AssertionError("OCR ran although the cache holds the image")

    worked = []
    work = ocr_page.read_page_image
    monkeypatch.setattr(ocr_page, "read_page_image", lambda *a: worked.append(1) or work(*a))
    monkeypatch.setattr(ocr_page_cache, "code_fingerprint", lambda: "other code")
    monkeypatch.setattr(ocr.cached_recognize, "__defaults__", (no_ocr,))
    monkeypatch.setattr(pdfium_engine, "_can_fork", lambda: False)  # counted in this process
    result = extract_crosswalk_pdf(scanned, "scan", PdfSettings(pages="1"))
    assert worked == [1]
    assert result.stats["ocr_reports"][1].cached


def test_a_page_reading_comes_back_from_the_cache_as_it_was_read(tmp_path):
    import numpy as np

    from pipeline.extract.ocr_page import PageImage
    from pipeline.extract.ocr_page_cache import PageReading, cached_reading, page_key

    cache, settings = ocr.OcrCache(tmp_path), ocr.OcrSettings()
    image = PageImage(np.full((20, 30), 250, np.uint8), 12.0, 30.5, 0.24, 0.24, True)
    box = (0.0, 0.0, 612.0, 792.0)
    reading = PageReading(-0.14, [(70.25, 36.0, 575.5)], [(36.0, 70.25, 700.0)],
                          [[[(36.0, 70.25, 300.0, 90.5), None]]],
                          [ocr.OcrWord("1A.1.", 10, 20, 30, 12, 91.5, 19, 14)], False)
    reads = []

    def read() -> PageReading:
        reads.append(1)
        return reading

    assert cached_reading(image, box, settings, cache, read) == reading
    # Read back with the types it had (tuples, floats), and only then called cached.
    assert cached_reading(image, box, settings, cache, read) == replace(reading, cached=True)
    assert len(reads) == 1
    # Another page box is another page; a damaged entry is read again and rewritten.
    cached_reading(image, (0.0, 0.0, 792.0, 612.0), settings, cache, read)
    assert len(reads) == 2
    version = ocr.tesseract_version() or "?"
    cache.path(page_key(image, box, settings, version)).write_text(
        '{"format": 1, "key": "', encoding="utf-8")
    assert cached_reading(image, box, settings, cache, read) == reading
    assert cached_reading(image, box, settings, cache, read).cached and len(reads) == 3


def test_damaged_cache_entry_is_read_again_and_rewritten(tmp_path):
    cache = ocr.OcrCache(tmp_path)
    words = [ocr.OcrWord("1A.1.", 10, 20, 30, 12, 91.0, 19, 14)]
    cache.put("ab" * 32, words)
    assert cache.get("ab" * 32) == words
    cache.path("ab" * 32).write_text('{"format": 1, "key": "abab', encoding="utf-8")
    assert cache.get("ab" * 32) is None
    calls = []
    grey = __import__("numpy").full((4, 4), 255, "uint8")

    def engine(image, settings):
        calls.append(1)
        return words

    assert ocr.cached_recognize(grey, ocr.OcrSettings(), cache, engine) == (words, False)
    assert ocr.cached_recognize(grey, ocr.OcrSettings(), cache, engine) == (words, True)
    assert calls == [1]


def test_missing_tesseract_names_the_scanned_pages_and_the_install_step(scanned, monkeypatch):
    monkeypatch.setattr(ocr, "ocr_missing_reason",
                        lambda: "Tesseract (the OCR engine) is not installed")
    with pytest.raises(PipelineError) as raised:
        extract_crosswalk_pdf(scanned, "scan", PdfSettings(pages="1-3"))
    message = str(raised.value)
    assert "pages 1-3 of 3 are only an image (a scan, no text layer)" in message
    assert "OCR is needed" in message and "make system-packages" in message


@pytest.mark.parametrize("engine", ["pdfplumber", "camelot"])
def test_text_layer_engines_refuse_scanned_pages_naming_them(scanned, engine):
    with pytest.raises(PipelineError, match=r"pages 1-2 of 2 are only an image.*"
                                            rf"the {engine} engine reads only"):
        extract_crosswalk_pdf(scanned, "scan", PdfSettings(pages="1-2", engine=engine))


def test_ocr_off_refuses_scanned_pages(scanned):
    with pytest.raises(PipelineError, match="page 1 of 1 is only an image.*OCR is off"):
        extract_crosswalk_pdf(scanned, "scan", PdfSettings(pages="1", ocr="off"))


def test_crosswalk_build_on_a_scanned_source_publishes_valid_datasets(scanned, tables,
                                                                      tmp_path, monkeypatch):
    from pipeline.transform import crosswalk_table

    monkeypatch.setattr(crosswalk_table, "transform_crosswalk_table", functools.partial(
        crosswalk_table.transform_crosswalk_table,
        spot_fixes=pdf_accuracy.no_spot_fixes(tmp_path)))
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / scanned.name).write_bytes(scanned.read_bytes())
    (raw / "sources.toml").write_text(
        f'[[source]]\nid = "crosswalk-scan"\npath = "{scanned.name}"\n'
        'format = "crosswalk-table-pdf"\ntitle = "t"\npublisher = "p"\ncitation = "c"\n'
        'permission = "p"\nredistribution = "verbatim-with-credit"\n'
        f'sha256 = "{file_sha256(scanned)}"\n', encoding="utf-8")
    out = tmp_path / "out"
    stages.run_build(stages.Paths(raw, out), log=lambda message: None)
    crosswalk = pd.read_csv(out / "crosswalk.csv", dtype=str, keep_default_na=False)
    assert len(crosswalk) == len(EXPECTED["crosswalk"])
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["sources"][0]["x_ocr_pages"] == list(range(1, 8))


# --- A ruled page read cell by cell (pipeline/extract/ocr_cells.py) -----------------------

def _page_of_cells():
    """A white 300-dpi page (pixels = points × 300/72) with a two-cell row: ink in each."""
    import numpy as np

    from pipeline.extract.ocr_page import PageImage

    scale = 300 / 72
    grey = np.full((round(200 * scale), round(400 * scale)), 255, np.uint8)
    image = PageImage(grey, 0.0, 0.0, 1 / scale, 1 / scale, True)
    return grey, image, scale


def test_cells_of_a_ruled_row_are_stacked_apart_and_their_words_go_back_in_place():
    from pipeline.extract.ocr_cells import cell_canvases

    grey, image, scale = _page_of_cells()
    grey[round(60 * scale):round(68 * scale), round(20 * scale):round(90 * scale)] = 0
    grey[round(60 * scale):round(68 * scale), round(220 * scale):round(300 * scale)] = 0
    grey[round(72 * scale):round(80 * scale), round(220 * scale):round(260 * scale)] = 0
    (canvas,) = cell_canvases(grey, [[[(10, 50, 200, 100), (200, 50, 390, 100)]]], image)
    first, second = canvas.bands[1:]
    assert first.top >= grey.shape[0] and second.top > first.bottom  # each cell alone
    assert (canvas.grey[:grey.shape[0]] == 255).all()  # the table blanked in the page
    # A word read in the second cell's band lands where the ink is on the page.
    word = ocr.OcrWord("wrapped", 80, second.top + 40, 100, 30, 95.0, second.top + 38, 34)
    (placed,) = canvas.to_page_words([word])
    x0, top = image.to_page(placed.left, placed.top)
    assert 200 < x0 < 300 and 50 < top < 100


def test_marks_tesseract_leaves_unread_in_a_cell_alone_come_back_as_bullets():
    from pipeline.extract.ocr_cells import cell_canvases

    grey, image, scale = _page_of_cells()
    for x in (30, 36, 42):  # three 2.5-pt bullets: the priority column's •••
        grey[round(70 * scale):round(72.5 * scale), round(x * scale):round((x + 2.5) * scale)] = 0
    grey[round(60 * scale):round(90 * scale), round(220 * scale):round(300 * scale)] = 0  # a blot
    (canvas,) = cell_canvases(grey, [[[(10, 50, 200, 100), (200, 50, 390, 100)]]], image)
    marks = canvas.to_page_words([])  # Tesseract read nothing in either cell
    assert [(m.text, m.confidence) for m in marks] == [("•••", 0.0)]
    x0, top = image.to_page(marks[0].left, marks[0].top)
    assert abs(x0 - 30) < 1 and abs(top - 70) < 1


def test_cells_stacking_higher_than_tesseract_reads_go_on_another_canvas(monkeypatch):
    from pipeline.extract import ocr_cells

    grey, image, scale = _page_of_cells()
    grey[round(60 * scale):round(68 * scale), round(20 * scale):round(90 * scale)] = 0
    grey[round(60 * scale):round(68 * scale), round(220 * scale):round(300 * scale)] = 0
    monkeypatch.setattr(ocr_cells, "MAX_HEIGHT", grey.shape[0] + 400)
    canvases = ocr_cells.cell_canvases(grey, [[[(10, 50, 200, 100), (200, 50, 390, 100)]]],
                                       image)
    assert [[band.cell for band in c.bands] for c in canvases] == [[False, True], [True]]
    assert all(c.grey.shape[0] <= grey.shape[0] + 400 for c in canvases)
    band = canvases[1].bands[0]
    word = ocr.OcrWord("alone", 80, band.top + 10, 60, 30, 95.0, band.top + 8, 34)
    (placed,) = canvases[1].to_page_words([word])
    x0, top = image.to_page(placed.left, placed.top)
    assert 200 < x0 < 300 and 50 < top < 100


def test_a_star_read_as_two_glyphs_is_one_mark_and_bullets_stay_three():
    from pipeline.extract.ocr_cells import cell_canvases

    grey, image, scale = _page_of_cells()
    grey[round(70 * scale):round(73 * scale), round(30 * scale):round(33 * scale)] = 0  # *
    for x in (230, 236, 242):  # •••
        grey[round(70 * scale):round(72.5 * scale), round(x * scale):round((x + 2.5) * scale)] = 0
    (canvas,) = cell_canvases(grey, [[[(10, 50, 200, 100), (200, 50, 390, 100)]]], image)
    star, bullets = canvas.bands[1:]

    def read(text, band, x):  # a word over the mark, in the canvas
        return ocr.OcrWord(text, round(x * scale) - band.dx - 2, round(70 * scale) - band.dy - 2,
                           round(16 * scale), round(3 * scale) + 4, 40.0,
                           round(70 * scale) - band.dy - 2, round(3 * scale) + 4)

    placed = canvas.to_page_words([read("ss", star, 30), read("eee", bullets, 230)])
    # One blob of ink is one mark, one glyph (which the priority repair reads as *).
    assert [word.text for word in placed] == ["s", "eee"]



@pytest.mark.parametrize("seed", range(6))
def test_blobs_found_slab_by_slab_are_those_of_the_whole_canvas(seed):
    # Labelled a run of inked rows at a time (the speed of a page read from the cache),
    # the blobs are those labelling the whole canvas at once finds: strokes touching
    # only at a corner (8-connected), specks, ink at the canvas's edges, grey just
    # either side of the ink level; and those whose centre lies in a box are the same.
    import cv2
    import numpy as np

    from pipeline.extract.ocr_cells import INK_LEVEL, MIN_BLOB_POINTS, Band, CellCanvas

    rng = np.random.default_rng(seed)
    grey = np.full((400, 300), 255, np.uint8)
    for _ in range(40):
        top, left = rng.integers(0, 400), rng.integers(0, 300)
        grey[top:top + rng.integers(1, 12), left:left + rng.integers(1, 40)] = rng.choice(
            [0, INK_LEVEL - 1, INK_LEVEL, 200])
    for step in range(15):  # a diagonal stroke: pixels meeting at corners only
        grey[200 + step, 100 + step] = 0
    grey[0, 0] = grey[-1, -1] = 0
    canvas = CellCanvas(grey, (Band(0, 400, 0, 0),), pixels_per_point=2.0)

    count, _, stats, _ = cv2.connectedComponentsWithStats(
        (grey < INK_LEVEL).astype(np.uint8), connectivity=8)
    whole = stats[1:count]
    whole = whole[whole[:, 4] >= MIN_BLOB_POINTS * 2.0 ** 2]
    assert sorted(map(tuple, canvas._blobs.tolist())) == sorted(map(tuple, whole.tolist()))
    for left, top, right, bottom in [(0, 0, 300, 400), (50, 120, 200, 260), (0, 199, 300, 201)]:
        x, y = whole[:, 0] + whole[:, 2] / 2, whole[:, 1] + whole[:, 3] / 2
        inside = whole[(x >= left) & (x < right) & (y >= top) & (y < bottom)]
        assert (sorted(map(tuple, canvas._blobs_in(left, top, right, bottom).tolist()))
                == sorted(map(tuple, inside.tolist())))


# --- An unruled page read column by column (pipeline/extract/ocr_strips.py) ---------------

def _unruled_page():
    """A 300-dpi page with a line of prose across it over a three-column table without
    lines: the first column's cells one line, the second's wrapped onto a short second
    line (the layout one-block OCR garbles), the third a priority column of bullets."""
    grey, image, scale = _page_of_cells()

    def ink(top, left, right):
        grey[round(top * scale):round((top + 6) * scale), round(left * scale):round(right * scale)] = 0

    ink(20, 10, 380)  # prose, across every column
    for row in range(4):
        top = 50 + 30 * row
        ink(top, 10, 60)  # the code
        ink(top, 120, 250), ink(top + 9, 120, 160)  # a cell wrapped onto a short line
        for x in (300, 306, 312):  # •••
            grey[round(top * scale):round((top + 2.5) * scale),
                 round(x * scale):round((x + 2.5) * scale)] = 0
    return grey, image, scale


def test_an_unruled_table_is_cut_into_column_strips_at_its_gutters():
    from pipeline.extract.ocr_strips import strip_grids

    grey, image, scale = _unruled_page()
    (grid,) = strip_grids(grey, image)
    (row,) = grid
    assert len(row) == 3  # the prose line above is no part of it
    (first, second, third) = row
    # Cut in the gutters (each box reaches the cell inset past the cut, which
    # cell_canvases takes off again).
    assert 60 < second[0] < first[2] < 120 and 250 < third[0] < second[2] < 300
    assert 30 < first[1] < 50 and 149 < first[3] < 160  # from the table's first line to its last


def test_an_unruled_table_is_read_strip_by_strip_in_one_canvas_with_its_bullets():
    from pipeline.extract.ocr_cells import cell_canvases
    from pipeline.extract.ocr_strips import strip_grids

    grey, image, scale = _unruled_page()
    (canvas,) = cell_canvases(grey, strip_grids(grey, image), image)
    assert [band.cell for band in canvas.bands] == [False, True, True, True]
    rest, codes, texts, marks = canvas.bands
    assert codes.top > rest.bottom and texts.top > codes.bottom and marks.top > texts.bottom
    assert (canvas.grey[round(50 * scale):round(160 * scale)] == 255).all()  # table blanked
    # Tesseract reads no bullet in a column of them: each line's run comes back as •••.
    placed = canvas.to_page_words([])
    assert [word.text for word in placed] == ["•••"] * 4
    tops = [image.to_page(word.left, word.top)[1] for word in placed]
    assert [round(top) for top in tops] == [50, 80, 110, 140]
