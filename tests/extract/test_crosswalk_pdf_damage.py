"""A damaged page stops the build: the PDF libraries only log it, or say nothing, and go on.

The fixtures are made at run time from tests/fixtures/crosswalk-domain-1-ruled.pdf by
reversing 40 bytes in the middle of page 2's compressed (FlateDecode) content stream.
Where the damage lies decides what pdfminer does: it reads the page up to the damage and
logs ``Data-loss while decompressing corrupted data`` (before issue 11 that PDF built with
exit 0 and 28 of its 31 mapping rows), or it cannot decompress the stream at all and reads
the page as empty without a word.
"""

import logging
import re
from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.extract.crosswalk_pdf import extract_crosswalk_pdf, pdf_layer_notices
from pipeline.extract.pdf_engines import table_finder
from pipeline.extract.pdf_settings import ENGINES, PdfSettings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RULED = FIXTURES / "crosswalk-domain-1-ruled.pdf"
DAMAGED_PAGE = 2
DATA_LOSS = "Data-loss while decompressing corrupted data"


def damage_page(pdf: bytes, page: int, shift: int = 0, size: int = 40) -> bytes:
    """``pdf`` with ``size`` bytes reversed in the middle (moved by ``shift``) of ``page``'s
    FlateDecode content stream (1-based page in document order)."""
    contents = re.findall(rb"/Contents (\d+) 0 R", pdf)
    number = contents[page - 1]
    stream = re.search(rb"\n" + number + rb" 0 obj\s*<<(.*?)>>\s*stream\r?\n", pdf, re.S)
    assert stream and b"/FlateDecode" in stream.group(1), "page content is not Flate-compressed"
    length = int(re.search(rb"/Length (\d+)", stream.group(1)).group(1))
    middle = stream.end() + length // 2 + shift
    damaged = pdf[:middle] + pdf[middle:middle + size][::-1] + pdf[middle + size:]
    assert damaged != pdf
    return damaged


def _pdfminer_reading(pdf: Path) -> tuple[int, list[str]]:
    """(words of the damaged page, pdfminer's warnings while reading it)."""
    import pdfplumber

    with pdfplumber.open(pdf) as document, pdf_layer_notices() as notices:
        words = len(document.pages[DAMAGED_PAGE - 1].extract_words())
    return words, list(notices)


def damaged_pdf(folder: Path, kind: str) -> Path:
    """A copy of the fixture damaged so that pdfminer reports ``kind``: ``data-loss`` (a
    warning, the page read in part) or ``silent`` (no warning, the page read as empty).
    Shifts are tried in turn, so a regenerated fixture still gives both kinds."""
    source = RULED.read_bytes()
    for shift in range(0, 400, 20):
        for sign in (1, -1):
            path = folder / f"crosswalk-damaged-{kind}.pdf"
            path.write_bytes(damage_page(source, DAMAGED_PAGE, sign * shift))
            try:
                words, notices = _pdfminer_reading(path)
            except Exception:  # damaged beyond reading: an error, not what is wanted here
                continue
            if kind == "data-loss" and DATA_LOSS in notices:
                return path
            if kind == "silent" and not notices and words == 0:
                return path
    raise AssertionError(f"no damage of kind {kind} found")


@pytest.fixture
def damaged(tmp_path) -> Path:
    return damaged_pdf(tmp_path, "data-loss")


def test_the_damage_is_what_pdfminer_reports_as_data_loss(damaged, caplog):
    import pdfplumber

    with caplog.at_level(logging.WARNING, logger="pdfminer"), pdfplumber.open(damaged) as pdf:
        pdf.pages[DAMAGED_PAGE - 1].extract_words()
    assert "Data-loss while decompressing corrupted data" in caplog.text


@pytest.mark.parametrize("engine", ENGINES)
def test_a_damaged_page_is_refused_naming_the_file_and_page(damaged, engine):
    with pytest.raises(PipelineError) as caught:
        extract_crosswalk_pdf(damaged, "s", PdfSettings(engine=engine))
    error = caught.value
    assert (error.path, error.page) == (str(damaged), DAMAGED_PAGE)
    assert "Data-loss while decompressing corrupted data" in error.message
    assert f"{damaged} (page {DAMAGED_PAGE}): the PDF library reports damage" in str(error)


@pytest.mark.parametrize("engine", ["pdfplumber", "camelot"])
def test_each_engine_itself_reports_the_damage(damaged, engine):
    """Not only the prose (always read with pdfplumber) sees the damage: the engine that
    reads the tables does too (camelot through pdfminer and playa)."""
    import pdfplumber

    with pdfplumber.open(damaged) as pdf, pdf_layer_notices() as notices:
        table_finder(damaged, PdfSettings(engine=engine))(pdf.pages[DAMAGED_PAGE - 1],
                                                          DAMAGED_PAGE)
    assert notices


def test_an_undamaged_pdf_gives_no_notice_and_the_notices_are_only_collected_while_reading():
    logger = logging.getLogger("pdfminer")
    handlers, level = list(logger.handlers), logger.level
    extract_crosswalk_pdf(RULED, "s")  # would raise on any notice
    with pdf_layer_notices() as notices:
        logging.getLogger("pdfminer.pdftypes").warning("Data-loss while decompressing")
    logging.getLogger("pdfminer.pdftypes").warning("after the block")
    assert notices == ["Data-loss while decompressing"]
    assert (logger.handlers, logger.level) == (handlers, level)


def test_a_silenced_pdfminer_logger_still_reports(damaged):
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with pytest.raises(PipelineError, match="Data-loss"):
            extract_crosswalk_pdf(damaged, "s")
    finally:
        logger.setLevel(level)
    assert logger.level == level


@pytest.mark.parametrize("engine", ENGINES)
def test_a_page_whose_content_cannot_be_decompressed_at_all_is_refused(tmp_path, engine):
    """pdfminer reads such a page as empty and logs nothing: the page's rows were lost."""
    silent = damaged_pdf(tmp_path, "silent")
    with pytest.raises(PipelineError) as caught:
        extract_crosswalk_pdf(silent, "s", PdfSettings(engine=engine))
    assert (caught.value.path, caught.value.page) == (str(silent), DAMAGED_PAGE)
    assert "decodes to nothing: it is corrupted" in caught.value.message


@pytest.mark.parametrize("engine", ENGINES)
def test_the_damaged_variant_is_refused_at_its_damaged_page(engine):
    """tests/fixtures/variants/damaged-stream.pdf (13 pages): page 3's stream is broken
    halfway; no engine reads on past it."""
    damaged = FIXTURES / "variants" / "damaged-stream.pdf"
    with pytest.raises(PipelineError, match="Data-loss while decompressing") as caught:
        extract_crosswalk_pdf(damaged, "s", PdfSettings(engine=engine))
    assert (caught.value.path, caught.value.page) == (str(damaged), 3)
