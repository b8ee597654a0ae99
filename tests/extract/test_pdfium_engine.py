"""The pdfium engine reads a page as pdfplumber does — the same words, the same frames —
from pdfium's characters and paths, in a pool of processes, after the same checks."""

from __future__ import annotations

import importlib.util
import multiprocessing
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import pdfplumber
import pypdfium2
import pytest

from pipeline.errors import PipelineError
from pipeline.extract import pdfium_engine, pdfium_page
from pipeline.extract.crosswalk_pdf import extract_crosswalk_pdf
from pipeline.extract.part_headers import part_headers, part_rows, with_headers_found
from pipeline.extract.pdf_layout import (
    FoundTable,
    header_spans,
    inside,
    span_rows,
    text_lines,
)
from pipeline.extract.pdf_settings import PdfSettings
from pipeline.limits import Limits

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RULED = FIXTURES / "crosswalk-domain-1-ruled.pdf"
CHROMIUM = FIXTURES / "crosswalk-domains-3-4-chromium-unruled.pdf"
#: Every rendering of the fixtures but the damaged one (whose damaged page neither
#: library reads, and which is refused: test_crosswalk_pdf_damage.py).
READABLE = [*sorted(FIXTURES.glob("*.pdf")),
            *sorted(p for p in (FIXTURES / "variants").glob("*.pdf") if "damaged" not in p.name)]
#: How far pdfium's boxes lie from pdfminer's (points): a glyph's width may differ by a
#: fraction of a point between the font's tables, and a glyph overhanging its advance
#: (Chromium's serif ``j``) by 1.2 points; pdfium sets a box's height by the font's ascent
#: and descent, pdfminer by its size (2 points apart for Chromium's fonts).
ACROSS, ALONG = 1.5, 2.5


def _pdfium_pages(pdf_path: Path) -> list[pdfium_page.PdfiumPage]:
    with pdfplumber.open(pdf_path) as pdf, pypdfium2.PdfDocument(pdf_path) as document:
        pages = []
        for number in range(1, len(pdf.pages) + 1):
            checked = pdfium_engine._checked(pdf, number, Limits())
            pages.append(pdfium_page.read_page(document, number, checked.page.content_bytes,
                                               checked.frame, ruled_lines=True))
    return pages


def _same_words(ours: list[dict], theirs: list[dict]) -> None:
    """The same words, each at the place pdfplumber gives it (within the tolerances; for
    text on its side, the other way round)."""
    assert Counter(w["text"] for w in ours) == Counter(w["text"] for w in theirs)
    def near(ours: dict, word: dict, across: float, along: float) -> bool:
        return (abs(ours["x0"] - word["x0"]) <= across and abs(ours["x1"] - word["x1"]) <= across
                and abs(ours["top"] - word["top"]) <= along)

    for word in theirs:
        assert any(near(w, word, ACROSS, ALONG) or near(w, word, ALONG, ACROSS)
                   for w in ours if w["text"] == word["text"]), word


@pytest.mark.parametrize("pdf", READABLE, ids=lambda p: p.stem)
def test_words_are_pdfplumbers_words_line_for_line(pdf):
    """Line-end hyphens (pdfium's U+0002), spaces pdfium makes up (Chromium draws none),
    ligatures it splits, glyphs without a Unicode map: the same words as pdfplumber's."""
    with pdfplumber.open(pdf) as document:
        theirs = [page.extract_words() for page in document.pages]
    for page, words in zip(_pdfium_pages(pdf), theirs):
        assert page.error is None
        assert [line.text for line in page.lines] == [line.text for line in text_lines(words)]
        _same_words(page.words, words)


def test_a_ruled_page_comes_with_its_tables_and_prose_but_no_lines_unless_asked():
    """Nothing reads a ruled page's lines but a glyph's refusal: they are not made."""
    with pdfplumber.open(RULED) as pdf, pypdfium2.PdfDocument(RULED) as document:
        checked = pdfium_engine._checked(pdf, 1, Limits())
        read = [pdfium_page.read_page(document, 1, checked.page.content_bytes, checked.frame,
                                      ruled_lines=asked) for asked in (False, True)]
    without, with_lines = read
    assert without.ruled and without.tables and not without.unread
    assert without.lines == [] and with_lines.lines
    assert (without.tables, without.prose) == (with_lines.tables, with_lines.prose)


@pytest.mark.parametrize("pdf", [p for p in READABLE if "cid-bullets" not in p.name],
                         ids=lambda p: p.stem)
def test_the_frames_are_the_pdfplumber_engines(pdf):
    """The reader gets the same prose and cells from both engines, down to the pages."""
    ours = extract_crosswalk_pdf(pdf, "fixture", PdfSettings(engine="pdfium"))
    theirs = extract_crosswalk_pdf(pdf, "fixture", PdfSettings(engine="pdfplumber"))
    for name in ("domains", "forward", "reverse"):
        pd.testing.assert_frame_equal(getattr(ours, name), getattr(theirs, name))


def test_a_line_end_hyphen_and_the_spaces_chromium_never_drew_part_words_as_printed():
    ruled = [w["text"] for w in _pdfium_pages(RULED)[0].words]
    assert "estab-" in ruled  # pdfium gives the line-end hyphen as U+0002
    chromium = Counter(w["text"] for page in _pdfium_pages(CHROMIUM) for w in page.words)
    # pdfium reports these spaces as made up; after a ligature ("staff") at the
    # ligature's start
    assert chromium["of"] and chromium["how"] and not chromium["ofhow"]
    assert chromium["staff"] and chromium["member,"] and not chromium["ffmember,"]


@pytest.mark.parametrize("rotation, margin", [(90, 0), (180, 0), (270, 0), (0, 40), (90, 25)])
def test_a_turned_or_widened_page_reads_as_pdfplumber_reads_it(tmp_path, rotation, margin):
    """pdfium's coordinates are the PDF's own; pdfplumber's turn with ``/Rotate`` and
    start at the media box's corner. Turned a quarter, the text stands on its side and is
    read top to bottom, as pdfplumber reads it; half a turn, right to left."""
    turned = tmp_path / "turned.pdf"
    with pypdfium2.PdfDocument(RULED) as document:
        page = document[1]
        page.set_rotation(rotation)
        left, bottom, right, top = page.get_mediabox()
        page.set_mediabox(left - margin, bottom - margin, right + margin, top + margin)
        document.save(turned)
    with pdfplumber.open(turned) as document:
        theirs = document.pages[1].extract_words()
    page = _pdfium_pages(turned)[1]
    assert page.ruled and page.error is None
    _same_words(page.words, theirs)


def _drawn(path: Path, draw) -> Path:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=(612, 792), invariant=1)
    pdf.setFont("Helvetica", 10)
    draw(pdf)
    pdf.save()
    return path


def test_text_turned_by_its_matrices_reads_as_pdfplumber_reads_it(tmp_path):
    def draw(pdf):
        pdf.drawString(72, 700, "Upright words on a line.")
        for x, y, angle, text in ((300, 300, 90, "Sideways through the CTM"),
                                  (400, 200, 180, "Upside down words")):
            pdf.saveState()
            pdf.translate(x, y)
            pdf.rotate(angle)
            pdf.drawString(0, 0, text)
            pdf.restoreState()
        line = pdf.beginText()
        line.setTextTransform(0, 1, -1, 0, 200, 100)  # the text matrix turns it
        line.textLine("Text matrix turned")
        pdf.drawText(line)

    pdf = _drawn(tmp_path / "turned-text.pdf", draw)
    with pdfplumber.open(pdf) as document:
        theirs = document.pages[0].extract_words()
    (page,) = _pdfium_pages(pdf)
    _same_words(page.words, theirs)


def test_a_grid_drawn_in_a_form_xobject_gives_pdfplumbers_cells(tmp_path):
    from pipeline.extract.part_headers import row_cells as _cells
    from pipeline.extract.pdf_engines import PdfplumberTables

    def draw(pdf):
        pdf.beginForm("grid")
        for x in (50, 200, 350, 500):
            pdf.line(x, 500, x, 700)
        for y in (500, 550, 600, 650, 700):
            pdf.line(50, y, 500, y)
        pdf.drawString(55, 685, "Cell one")
        pdf.drawString(205, 685, "Cell two")
        pdf.drawString(355, 635, "Cell three")
        pdf.endForm()
        pdf.translate(10, -20)
        pdf.doForm("grid")

    pdf = _drawn(tmp_path / "form.pdf", draw)
    with pdfplumber.open(pdf) as document:
        theirs = PdfplumberTables(PdfSettings(engine="pdfplumber"))(document.pages[0], 1)
    (page,) = _pdfium_pages(pdf)
    assert page.ruled
    assert [[_cells(row) for row in t.rows] for t in page.tables] == \
        [[_cells(row) for row in t.rows] for t in theirs]
    assert [t.bbox for t in page.tables] == [t.bbox for t in theirs] == [(60, 112, 510, 312)]


def test_a_glyph_without_a_unicode_map_reads_as_pdfminer_writes_it():
    """pdfium names the font without its subset tag (``AAAAAA+``)."""
    pdf = FIXTURES / "variants" / "cid-bullets.pdf"
    with pdfplumber.open(pdf) as document:
        theirs = [sorted((c["text"], c["fontname"].split("+")[-1]) for c in page.chars
                         if c["text"].startswith("(cid:")) for page in document.pages]
    ours = [sorted((c["text"], c["fontname"]) for c in page.unread) for page in _pdfium_pages(pdf)]
    assert ours == theirs and any(ours)


# --- the pool -------------------------------------------------------------------------------

class _Contexts:
    """multiprocessing.get_context, recording the pools asked for."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.real = multiprocessing.get_context

    def __call__(self, method=None):
        self.asked.append(method)
        return self.real(method)


def test_the_pool_reads_the_pages_in_order_as_one_process_does(monkeypatch):
    contexts = _Contexts()
    monkeypatch.setattr(pdfium_engine.multiprocessing, "get_context", contexts)
    alone = extract_crosswalk_pdf(RULED, "fixture", PdfSettings(engine="pdfium", pages="1-3"))
    assert contexts.asked == []  # a handful of pages: no pool
    monkeypatch.setattr(pdfium_engine, "MIN_POOL_PAGES", 2)
    monkeypatch.setattr(pdfium_engine, "CHUNK_PAGES", 1)  # more chunks than the window
    pooled = extract_crosswalk_pdf(RULED, "fixture", PdfSettings(engine="pdfium", pages="1-3"))
    assert contexts.asked == ["fork"]
    for name in ("domains", "forward", "reverse"):
        pd.testing.assert_frame_equal(getattr(pooled, name), getattr(alone, name))


def _read_as_a_worker(pdf: Path) -> tuple[list, list]:
    """Every page of ``pdf`` as a pool's worker hands it back, and as read in one process."""
    pdfium_engine._open_worker(pdf, "")
    try:
        with pdfplumber.open(pdf) as document:
            chunk = [(number, checked.page.content_bytes, checked.frame)
                     for number in range(1, len(document.pages) + 1)
                     for checked in [pdfium_engine._checked(document, number, Limits())]]
        pages = pdfium_engine._read_chunk(chunk)
        whole = [pdfium_page.read_page(pdfium_engine._DOCUMENT, number, size, frame)
                 for number, size, frame in chunk]
    finally:
        pdfium_engine._DOCUMENT = None
    return pages, whole


def test_a_ruled_page_read_in_the_pool_comes_with_its_tables_headers_found():
    pages, whole = _read_as_a_worker(RULED)
    tables = [table for page in pages for table in page.tables]
    assert tables and all(page.ruled for page in pages)
    assert all(table.headers == tuple(part_headers(part_rows(table))) for table in tables)
    assert sum(len(table.headers) for table in tables) >= len(pages)  # repeated on each page
    assert [t.rows for p in pages for t in p.tables] == [t.rows for p in whole for t in p.tables]
    assert all(page.lines == [] for page in pages)  # no glyph to refuse: not sent back


def test_unruled_pages_read_in_the_pool_come_with_their_headers_found(monkeypatch):
    """The header search of an unruled page, and the rows of the tables its headers open,
    run where the page is read (they do not depend on the page before): the same headers
    and rows, and the same frames, as in one process."""
    pages, whole = _read_as_a_worker(CHROMIUM)
    assert all(not page.ruled for page in pages)
    assert [page.headers for page in pages] == [tuple(header_spans(p.lines)) for p in whole]
    assert [page.header_tables for page in pages] == [
        tuple(with_headers_found(FoundTable(span.box, *span_rows(p.lines, span)))
              for span in header_spans(p.lines))
        for p in whole]
    assert all(table.headers == tuple(part_headers(part_rows(table)))
               for page in pages for table in page.header_tables)
    # Back come the lines above the first header, and the words outside its tables.
    for page, read in zip(pages, whole, strict=True):
        first = page.headers[0].start if page.headers else len(read.lines)
        assert [line.words for line in page.lines] == [line.words for line in read.lines[:first]]
        boxes = [table.bbox for table in page.header_tables]
        assert page.prose_words == [w for w in read.words
                                    if not any(inside(w, box) for box in boxes)]
        assert len(page.prose_words) < len(read.words) or not boxes
    assert sum(len(page.headers) for page in pages) >= 2  # domains 3 and 4 open tables
    alone = extract_crosswalk_pdf(CHROMIUM, "fixture", PdfSettings(engine="pdfium"))
    monkeypatch.setattr(pdfium_engine, "MIN_POOL_PAGES", 2)
    pooled = extract_crosswalk_pdf(CHROMIUM, "fixture", PdfSettings(engine="pdfium"))
    for name in ("domains", "forward", "reverse"):
        pd.testing.assert_frame_equal(getattr(pooled, name), getattr(alone, name))


def test_the_pool_stops_at_a_refused_page_and_names_it(monkeypatch, tmp_path):
    """Pages are checked in order before they are handed out; the refused one ends the
    reading and the error names it, as reading page by page would."""
    monkeypatch.setattr(pdfium_engine, "MIN_POOL_PAGES", 2)
    monkeypatch.setattr(pdfium_engine, "CHUNK_PAGES", 2)
    damaged = _damage_module().damaged_pdf(tmp_path, "data-loss")
    with pytest.raises(PipelineError, match="Data-loss") as caught:
        extract_crosswalk_pdf(damaged, "s", PdfSettings(engine="pdfium"))
    assert caught.value.page == _damage_module().DAMAGED_PAGE


# --- checks before pdfium reads a page ---------------------------------------------------------

def _damage_module():
    name = "test_crosswalk_pdf_damage"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_pdfminer_reports_the_damage_before_pdfium_reads_the_page(tmp_path):
    """pdfium reads a damaged stream as far as it can and says nothing: the page's streams
    are decoded by pdfminer first, and a page it reports damaged is not read."""
    damage = _damage_module()
    damaged = damage.damaged_pdf(tmp_path, "data-loss")
    with pdfplumber.open(damaged) as pdf:
        checked = pdfium_engine._checked(pdf, damage.DAMAGED_PAGE, Limits())
        undamaged = pdfium_engine._checked(pdf, 1, Limits())
    assert checked.frame is None
    assert any("Data-loss while decompressing corrupted data" in n for n in checked.page.notices)
    assert undamaged.frame is not None and undamaged.page.notices == ()


def test_a_page_over_the_content_limit_is_never_read_by_pdfium(monkeypatch):
    read = []
    monkeypatch.setattr(pdfium_engine, "MIN_POOL_PAGES", 1000)
    monkeypatch.setattr(pdfium_engine, "read_page",
                        lambda document, number, *rest: read.append(number))
    with pytest.raises(PipelineError, match="max_page_content_bytes") as caught:
        extract_crosswalk_pdf(RULED, "s", PdfSettings(engine="pdfium"),
                              Limits(max_page_content_bytes=1_000))
    assert caught.value.page == 1 and read == []


def test_a_document_whose_page_count_the_libraries_dispute_is_refused(monkeypatch):
    monkeypatch.setattr(pypdfium2.PdfDocument, "__len__", lambda self: 3)
    with pytest.raises(PipelineError, match=r"disagree on its number of pages \(pdfium 3, "
                                            r"pdfminer 7\)"):
        extract_crosswalk_pdf(RULED, "s", PdfSettings(engine="pdfium"))


def test_the_pool_is_forked_with_this_processs_objects_frozen_and_thawed_after(monkeypatch):
    """Forked with the collector kept off the objects a worker shares (so that a
    collection there copies no memory), and this process's collector as it was after."""
    import gc

    frozen_at_fork = []
    real_pool = multiprocessing.get_context("fork").Pool

    class Context:
        def Pool(self, *arguments, **options):  # noqa: N802 (multiprocessing's name)
            frozen_at_fork.append(gc.get_freeze_count())
            return real_pool(*arguments, **options)

    monkeypatch.setattr(pdfium_engine.multiprocessing, "get_context", lambda method: Context())
    monkeypatch.setattr(pdfium_engine, "MIN_POOL_PAGES", 2)
    settings = PdfSettings(engine="pdfium", pages="1-3")
    gc.unfreeze()
    extract_crosswalk_pdf(RULED, "fixture", settings)
    assert frozen_at_fork[-1] > 0 and gc.get_freeze_count() == 0
    gc.freeze()  # as the CLI does after its imports: left so
    try:
        extract_crosswalk_pdf(RULED, "fixture", settings)
        assert len(frozen_at_fork) == 2 and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_the_pools_workers_stop_once_every_page_is_read(monkeypatch):
    """Stopped in the background after the last page (the caller assembles the tables
    meanwhile), and gone soon after; none is left behind."""
    import threading
    import time

    monkeypatch.setattr(pdfium_engine, "MIN_POOL_PAGES", 2)
    before = {p.pid for p in multiprocessing.active_children()}
    extract_crosswalk_pdf(RULED, "fixture", PdfSettings(engine="pdfium", pages="1-3"))
    for thread in threading.enumerate():
        if thread.name == "pdfium-pool-retire":
            thread.join(timeout=30)
    deadline = time.monotonic() + 30
    while ({p.pid for p in multiprocessing.active_children()} - before
           and time.monotonic() < deadline):
        time.sleep(0.05)
    assert not {p.pid for p in multiprocessing.active_children()} - before
