"""Format detection: every real source and PDF fixture is told by its content (a copy
under another name, so the file name tells nothing), excerpts too; a file no format fits,
or several do, is refused with its name and a request for --format."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.formats import FORMATS
from pipeline.sources import PDF_FORMATS, detect_format, load_manifest
from pipeline.sources.detect import SIGNATURES

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "raw"
FIXTURES = ROOT / "tests" / "fixtures"
SOURCES = {source.path: source.format for source in load_manifest(RAW)}


def _copy(tmp_path: Path, source: Path) -> Path:
    target = tmp_path / "document"  # no suffix: only the content can tell
    shutil.copy(source, target)
    return target


def _excerpt(tmp_path: Path, name: str, first: int, last: int) -> Path:
    """Lines ``first`` to ``last`` (1-based, inclusive) of the real source ``name``."""
    lines = (RAW / name).read_text(encoding="utf-8").split("\n")
    target = tmp_path / "excerpt.txt"
    target.write_text("\n".join(lines[first - 1:last]) + "\n", encoding="utf-8")
    return target


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_real_source_is_told_by_its_content(tmp_path, name):
    assert detect_format(_copy(tmp_path, RAW / name)) == SOURCES[name]


@pytest.mark.parametrize("pdf", sorted(FIXTURES.rglob("*.pdf")), ids=lambda p: p.name)
def test_every_pdf_fixture_is_the_crosswalk_pdf(tmp_path, pdf):
    assert detect_format(_copy(tmp_path, pdf)) == "crosswalk-table-pdf"


def test_a_scanner_export_of_the_crosswalk_is_the_text_export():
    assert detect_format(FIXTURES / "variants" / "scanner-export.txt") == "crosswalk-table-text"


@pytest.mark.parametrize("name, first, last, expected", [
    # the forward table's header and its first two rows (1A.1, 1A.2)
    pytest.param("coe-alliance-crosswalk-2023.txt", 146, 148, "crosswalk-table-text",
                 id="crosswalk-three-rows"),
    # the record of 4A.1 and its four key lines
    pytest.param("crosswalk-section-4-reflective-practice.txt", 4, 8, "crosswalk-web-records",
                 id="web-one-record"),
    # the row of Systems Expertise, its HTML cells separated by a tab
    pytest.param("ct-aimh-mentor-competency-guidelines.txt", 34, 36, "ct-aimh-mentor-html",
                 id="ct-aimh-one-row"),
    # competency #1, its heading and its paragraph
    pytest.param("illinois-iecmhc-competencies.txt", 13, 15, "illinois-flyer-text",
                 id="illinois-one-competency"),
])
def test_an_excerpt_of_a_source_is_told_by_its_structure(tmp_path, name, first, last, expected):
    assert detect_format(_excerpt(tmp_path, name, first, last)) == expected


def test_a_pdf_signature_after_leading_bytes_is_still_a_pdf(tmp_path):
    path = tmp_path / "document"
    path.write_bytes(b"\r\n" + (FIXTURES / "crosswalk-domain-1-ruled.pdf").read_bytes())
    assert detect_format(path) == "crosswalk-table-pdf"


def test_a_utf16_export_is_told_like_its_utf8_original(tmp_path):
    path = tmp_path / "document"
    text = (RAW / "illinois-iecmhc-competencies.txt").read_text(encoding="utf-8")
    path.write_bytes(text.encode("utf-16"))
    assert detect_format(path) == "illinois-flyer-text"


@pytest.mark.parametrize("content, words, asks_format", [
    pytest.param((ROOT / "README.md").read_bytes(), "none of the structures of the text formats",
                 True, id="a-readme"),
    pytest.param(b"Meeting notes.\n\nNothing here is a competency.\n",
                 "none of the structures of the text formats", True, id="prose"),
    pytest.param(b"", "the file is empty", False, id="empty"),
    pytest.param(b" \n\n", "the file is empty", False, id="blank"),
    pytest.param(bytes(range(256)) * 8, "neither a PDF nor UTF-8 text", True, id="binary"),
    pytest.param(b"\x89PNG\r\n\x1a\n" + bytes(64), "neither a PDF nor UTF-8 text", True, id="png"),
    pytest.param("Résumé".encode("cp1252"), "neither a PDF nor UTF-8 text", True, id="cp1252"),
])
def test_a_file_of_no_known_format_is_refused_naming_it(tmp_path, content, words, asks_format):
    path = tmp_path / "unknown.bin"
    path.write_bytes(content)
    with pytest.raises(PipelineError) as caught:
        detect_format(path)
    assert caught.value.path == str(path)
    assert words in str(caught.value)
    assert ("--format" in str(caught.value)) == asks_format


def test_a_file_with_the_structures_of_two_formats_is_refused_naming_both(tmp_path):
    flyer = _excerpt(tmp_path, "illinois-iecmhc-competencies.txt", 13, 15).read_text("utf-8")
    web = _excerpt(tmp_path, "crosswalk-section-4-reflective-practice.txt", 4, 8)
    web = web.read_text("utf-8")
    path = tmp_path / "mixed.txt"
    path.write_text(flyer + "\n" + web, encoding="utf-8")
    with pytest.raises(PipelineError, match="looks like several") as caught:
        detect_format(path)
    assert "crosswalk-web-records (1 " in str(caught.value)
    assert "illinois-flyer-text (1 " in str(caught.value)
    assert "pass --format" in str(caught.value)


def test_every_format_can_be_detected():
    text_formats = {signature.format for signature in SIGNATURES}
    assert text_formats | set(PDF_FORMATS) == set(FORMATS)
    assert not text_formats & set(PDF_FORMATS)
