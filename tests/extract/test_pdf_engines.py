"""The camelot engine reads a chunk of pages per camelot call: pages come back in order,
each with its own flavor and areas, the ruling of a page told by pdfium as pdfplumber
tells it, and a chunk with damage or an error read again page by page, so that each page
answers for itself."""

from __future__ import annotations

import logging
import math
from pathlib import Path
from types import SimpleNamespace

import pdfplumber
import pypdfium2
import pytest

from pipeline.extract import camelot_chunks
from pipeline.extract.camelot_chunks import CHUNK_PAGES, pages_ahead
from pipeline.extract.pdf_checks import pdf_layer_notices
from pipeline.extract.pdf_engines import CamelotTables, table_finder
from pipeline.extract.pdf_layout import is_ruled
from pipeline.extract.pdf_settings import PdfSettings
from pipeline.limits import Limits

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RULED = FIXTURES / "crosswalk-domain-1-ruled.pdf"
UNRULED = FIXTURES / "crosswalk-domain-1-unruled.pdf"
READABLE = [*sorted(FIXTURES.glob("*.pdf")),
            *sorted(p for p in (FIXTURES / "variants").glob("*.pdf") if "damaged" not in p.name)]


def _repeated(source: Path, pages: int, target: Path) -> Path:
    """A document of ``pages`` pages: the pages of ``source`` over and over."""
    with pypdfium2.PdfDocument(source) as original, pypdfium2.PdfDocument.new() as document:
        while len(document) < pages:
            take = min(len(original), pages - len(document))
            document.import_pages(original, list(range(take)))
        document.save(target)
    return target


class _FakeCamelot:
    """camelot.read_pdf that records each call's pages and flavor and gives one table a
    page, named after it (or raises / logs a notice on a page given)."""

    def __init__(self, fail_on: int | None = None, notice_on: int | None = None) -> None:
        self.calls: list[tuple[list[int], str]] = []
        self.fail_on, self.notice_on = fail_on, notice_on

    def __call__(self, path, pages, flavor, suppress_stdout, per_page=None, **options):
        numbers = [int(n) for n in pages.split(",")]
        self.calls.append((numbers, flavor))
        if self.notice_on in numbers:
            logging.getLogger("pdfminer.pdftypes").warning("Data-loss while decompressing")
        if self.fail_on in numbers:
            raise ValueError(f"cannot read page {self.fail_on}")
        return [SimpleNamespace(page=n, cols=[(10, 20), (20, 30)], rows=[(500, 490)],
                                df=SimpleNamespace(astype=lambda _, n=n: SimpleNamespace(
                                    values=SimpleNamespace(tolist=lambda: [[f"page {n}"]]))))
                for n in sorted(numbers)]


@pytest.fixture
def fake_camelot(monkeypatch):
    import camelot

    fake = _FakeCamelot()
    monkeypatch.setattr(camelot, "read_pdf", fake)
    return fake


@pytest.fixture(scope="module")
def twenty_pages(tmp_path_factory) -> Path:
    return _repeated(RULED, 20, tmp_path_factory.mktemp("chunks") / "twenty.pdf")


def _read_all(path: Path, settings: PdfSettings) -> list[list]:
    finder = table_finder(path, settings)
    with pdfplumber.open(path) as pdf:
        return [finder(pdf.pages[n - 1], n) for n in settings.page_numbers(len(pdf.pages))]


def test_a_20_page_document_is_read_in_chunks_of_pages_each_page_in_order(
        twenty_pages, fake_camelot):
    tables = _read_all(twenty_pages, PdfSettings(engine="camelot"))
    assert len(fake_camelot.calls) == math.ceil(20 / CHUNK_PAGES) == 3
    assert [numbers for numbers, _ in fake_camelot.calls] == [
        list(range(1, 9)), list(range(9, 17)), list(range(17, 21))]
    assert {flavor for _, flavor in fake_camelot.calls} == {"lattice"}  # a ruled document
    assert [found[0].rows for found in tables] == [[[f"page {n}"]] for n in range(1, 21)]


def test_only_the_pages_asked_for_are_read(twenty_pages, fake_camelot):
    _read_all(twenty_pages, PdfSettings(engine="camelot", pages="3-5,18-end"))
    assert [numbers for numbers, _ in fake_camelot.calls] == [[3, 4, 5, 18, 19, 20]]


def test_each_page_of_a_chunk_keeps_its_own_areas_and_columns(monkeypatch, fake_camelot):
    """The unruled fixture read by stream: every page its own table areas (a page of the
    forward table and one of the reverse table have other columns)."""
    seen = {}
    fake = fake_camelot

    def recording(path, pages, flavor, suppress_stdout, per_page=None, **options):
        seen.update(per_page or {})
        return fake(path, pages, flavor, suppress_stdout, per_page, **options)

    import camelot

    monkeypatch.setattr(camelot, "read_pdf", recording)
    _read_all(UNRULED, PdfSettings(engine="camelot"))
    assert fake.calls == [(list(range(1, 8)), "stream")]
    assert set(seen) == set(range(1, 8))
    columns = {page: options["columns"] for page, options in seen.items()}
    assert columns[1] != columns[7]  # the forward table's six columns, the reverse's three
    assert all(len(options["table_areas"]) == len(options["columns"]) for options in seen.values())


def test_chunks_read_the_same_tables_as_one_page_a_call(monkeypatch):
    settings = PdfSettings(engine="camelot")
    chunked = _read_all(UNRULED, settings)
    monkeypatch.setattr(camelot_chunks, "CHUNK_PAGES", 1)
    one_by_one = _read_all(UNRULED, settings)
    assert chunked == one_by_one
    assert sum(len(found) for found in chunked) >= 7


@pytest.mark.parametrize("pdf", READABLE, ids=lambda p: p.stem)
def test_the_ruling_test_agrees_with_pdfplumbers(pdf):
    with pdfplumber.open(pdf) as document:
        numbers = list(range(1, len(document.pages) + 1))
        ahead = pages_ahead(pdf, document.pages[0], numbers, "", Limits(), with_lines=False)
        by_pdfplumber = [is_ruled(p.vertical_edges, p.horizontal_edges) for p in document.pages]
    assert [page.number for page in ahead] == numbers
    assert [page.ruled for page in ahead] == by_pdfplumber


def test_a_page_ahead_over_the_content_limit_ends_the_chunk(twenty_pages):
    with pdfplumber.open(twenty_pages) as document:
        small = min(len(b"".join(s.get_data() for s in p.page_obj.contents))
                    for p in document.pages[:3])
        ahead = pages_ahead(twenty_pages, document.pages[0], [1, 2, 3], "",
                            Limits(max_page_content_bytes=small - 1), with_lines=False)
    assert [page.number for page in ahead] == [1]  # the reader checked the first itself


def test_damage_reported_while_reading_a_chunk_is_reported_for_its_own_page(
        twenty_pages, monkeypatch):
    import camelot

    fake = _FakeCamelot(notice_on=3)
    monkeypatch.setattr(camelot, "read_pdf", fake)
    finder = CamelotTables(twenty_pages, PdfSettings(engine="camelot"))
    noticed = {}
    with pdfplumber.open(twenty_pages) as pdf:
        for number in (1, 2, 3, 4):
            with pdf_layer_notices() as notices:
                finder(pdf.pages[number - 1], number)
            noticed[number] = list(notices)
    assert noticed == {1: [], 2: [], 3: ["Data-loss while decompressing"], 4: []}
    assert [numbers for numbers, _ in fake.calls] == [list(range(1, 9)), [1], [2], [3], [4]]


def test_a_chunk_camelot_fails_on_is_read_again_page_by_page(twenty_pages, monkeypatch):
    import camelot

    fake = _FakeCamelot(fail_on=2)
    monkeypatch.setattr(camelot, "read_pdf", fake)
    finder = CamelotTables(twenty_pages, PdfSettings(engine="camelot"))
    with pdfplumber.open(twenty_pages) as pdf:
        assert finder(pdf.pages[0], 1)[0].rows == [["page 1"]]
        with pytest.raises(ValueError, match="cannot read page 2"):
            finder(pdf.pages[1], 2)
    assert [numbers for numbers, _ in fake.calls] == [list(range(1, 9)), [1], [2]]
