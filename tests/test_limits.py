"""Hostile and huge inputs: every limit of :mod:`pipeline.limits` stops the build at once,
with the file, the line or page and the limit named, exit code 2, the previous build
untouched — and a source just under a limit is still read in bounded time."""

import shutil
import time
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import PipelineError
from pipeline.limits import Limits
from pipeline.sources import (
    load_manifest,
    remove_source,
    settings_table,
    update_checksums,
)

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
BUILD = ROOT / "build"
MAIN = "coe-alliance-crosswalk-2023.txt"
WEB = "crosswalk-section-4-reflective-practice.txt"
MENTOR = "ct-aimh-mentor-competency-guidelines.txt"
DOMAIN_1_PDF = ROOT / "tests" / "fixtures" / "crosswalk-domain-1-ruled.pdf"
#: A limit must stop the build this fast (the first source is read in full before).
SECONDS = 5


def pdf_bomb(path: Path, inflated: int = 20_000_000) -> Path:
    """A one-page PDF of some 20 KB whose one Flate content stream inflates to
    ``inflated`` bytes of valid drawing operators, written by hand."""
    content = zlib.compress(b"0 0 m\n" * (inflated // 6), 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content
        + b"\nendstream",
    ]
    data = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(bytes(data))
    return path


def add_pdf_source(raw: Path, pdf: Path, limits: str = "") -> None:
    """Add ``pdf`` (already under ``raw``) to the manifest as the crosswalk source, in place
    of the text export (a manifest lists one crosswalk)."""
    remove_source(raw, "coe-alliance-crosswalk-2023")
    with (raw / "sources.toml").open("a", encoding="utf-8") as manifest:
        manifest.write(f'\n[[source]]\nid = "crosswalk-pdf"\npath = "{pdf.name}"\n'
                       'format = "crosswalk-table-pdf"\ntitle = "t"\npublisher = "p"\n'
                       'citation = "c"\npermission = "p"\n'
                       f'redistribution = "verbatim-with-credit"\nsha256 = "{"0" * 64}"\n'
                       + (f"[source.limits]\n{limits}\n" if limits else ""))


def set_limits(raw: Path, source_id: str, limits: str) -> None:
    """Give the source ``source_id`` a ``[source.limits]`` table."""
    manifest = raw / "sources.toml"
    text = manifest.read_text(encoding="utf-8")
    start = text.index(f'id = "{source_id}"')
    end = text.find("[[source]]", start)
    end = len(text) if end < 0 else end
    block = text[start:end].rstrip("\n") + f"\n\n[source.limits]\n{limits}\n\n"
    manifest.write_text(text[:start] + block + text[end:], encoding="utf-8")


def long_web_line(raw: Path, characters: int = 5_000_000) -> None:
    """One 'As Demonstrated by' value of the web rendition made ``characters`` long."""
    path = raw / WEB
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith("As Demonstrated by"))
    filler = "reflective supervision practice "
    lines[number] += " " + (filler * (characters // len(filler) + 1))[:characters]
    path.write_text("\n".join(lines), encoding="utf-8")


def deeply_nested_cell(raw: Path, depth: int = 10_000) -> None:
    """The right cell of the CT-AIMH guidelines' first row wrapped in ``depth`` <b> tags."""
    path = raw / MENTOR
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if "\t" in line and "<p" in line
                  and "Area of Expertise" not in line)
    left, right = lines[number].split("\t")
    lines[number] = f"{left}\t{'<b>' * depth}{right}{'</b>' * depth}"
    path.write_text("\n".join(lines), encoding="utf-8")


# --- the settings ----------------------------------------------------------------------

def test_defaults_are_far_above_the_real_sources():
    limits = Limits()
    for path in RAW.glob("*.txt"):
        assert path.stat().st_size * 100 < limits.max_file_bytes
        longest = max(map(len, path.read_text(encoding="utf-8").split("\n")))
        assert longest * 20 < limits.max_line_chars, path.name


@pytest.mark.parametrize("value", [0, -5, 1.5, "100", True, None])
def test_a_limit_must_be_a_whole_number_of_at_least_one(value):
    with pytest.raises(ValueError, match="max_cell_chars must be a whole number of at least 1"):
        Limits(max_cell_chars=value)


def test_limits_are_frozen():
    with pytest.raises(AttributeError):
        Limits().max_line_chars = 5  # type: ignore[misc]


def test_the_manifest_overrides_a_sources_limits(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    set_limits(raw, "crosswalk-section-4-web", "max_line_chars = 600\nmax_pdf_pages = 3")
    sources = {s.id: s for s in load_manifest(raw)}
    assert sources["crosswalk-section-4-web"].limits == Limits(max_line_chars=600,
                                                                max_pdf_pages=3)
    assert sources["coe-alliance-crosswalk-2023"].limits == Limits()


@pytest.mark.parametrize("table, words", [
    ("max_lines = 5", "[source.limits] has unknown key(s): max_lines"),
    ("max_line_chars = 0", "max_line_chars must be a whole number of at least 1, not 0"),
    ('max_line_chars = "many"', "max_line_chars must be a whole number"),
], ids=["unknown-key", "zero", "not-a-number"])
def test_a_bad_limits_table_is_refused_naming_the_manifest(tmp_path, table, words):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    set_limits(raw, "crosswalk-section-4-web", table)
    with pytest.raises(PipelineError) as failure:
        load_manifest(raw)
    assert words in str(failure.value) and "sources.toml" in str(failure.value)
    assert "crosswalk-section-4-web" in str(failure.value)


def test_limits_table_must_be_a_table(tmp_path):
    with pytest.raises(PipelineError, match=r"\[source.limits\] must be a table"):
        settings_table(Limits, 5, tmp_path / "sources.toml", "source 'x': [source.limits]")


# --- each limit through the command line -------------------------------------------------

def _big_file(raw: Path) -> None:
    """The crosswalk export padded to 60 MB (sparse: the size is set, not written)."""
    with (raw / MAIN).open("r+b") as handle:
        handle.truncate(60_000_000)


def _long_cell(raw: Path) -> None:
    long_web_line(raw, 30_000)  # a 30,000-character value: under the line limit


def _pdf_bomb(raw: Path) -> None:
    add_pdf_source(raw, pdf_bomb(raw / "bomb.pdf"))


def _too_many_pages(raw: Path) -> None:
    shutil.copy(DOMAIN_1_PDF, raw / "domain-1.pdf")
    add_pdf_source(raw, raw / "domain-1.pdf", "max_pdf_pages = 2")


def _pdf_content_over_total(raw: Path) -> None:
    shutil.copy(DOMAIN_1_PDF, raw / "domain-1.pdf")
    add_pdf_source(raw, raw / "domain-1.pdf", "max_pdf_content_bytes = 30_000")


LIMITS = [
    # (mutation of raw/, accept the new checksums?, words the message must hold)
    pytest.param(_big_file, False,
                 [f"{MAIN}: the file is 60,000,000 bytes, over the limit of 50,000,000 bytes "
                  "(max_file_bytes)"], id="60-MB-file"),
    pytest.param(long_web_line, True,
                 [f"{WEB}:8: line 8 is 5,000,", "over the limit of 100,000 characters "
                  "(max_line_chars)", "[source.limits]"], id="5-MB-line-in-web-rendition"),
    pytest.param(_long_cell, True,
                 [f"{WEB}:8: the cell records.demonstrated_raw is 30,", "over the limit of "
                  "20,000 characters (max_cell_chars)"], id="30-000-character-cell"),
    pytest.param(deeply_nested_cell, True,
                 [f"{MENTOR}:", "the nesting of HTML tags in a cell is 10,00",
                  "over the limit of 200 levels (max_html_depth)"], id="html-nested-10-000-deep"),
    pytest.param(_pdf_bomb, True,
                 ["bomb.pdf (page 1): the page's content, decompressed, is 5,000,001 bytes or "
                  "more, over the limit of 5,000,000 bytes (max_page_content_bytes)"],
                 id="pdf-bomb"),
    pytest.param(_too_many_pages, True,
                 ["domain-1.pdf: the PDF is ", "pages, over the limit of 2 pages "
                  "(max_pdf_pages)"], id="pdf-pages-over-a-lowered-limit"),
    pytest.param(_pdf_content_over_total, True,
                 ["domain-1.pdf (page 4): the content of the pages read up to this one, "
                  "decompressed, is", "over the limit of 30,000 bytes (max_pdf_content_bytes)"],
                 id="pdf-content-over-a-lowered-total"),
]


@pytest.fixture(scope="module")
def previous_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("previous") / "build"
    shutil.copytree(BUILD, out, ignore=shutil.ignore_patterns("interim", "reports"))
    return out


def _published(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


@pytest.mark.parametrize("mutate, accept, words", LIMITS)
def test_an_input_over_a_limit_fails_fast_and_keeps_the_build(tmp_path, previous_build, mutate,
                                                              accept, words):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    mutate(raw)
    if accept:
        update_checksums(raw)
    out = tmp_path / "build"
    shutil.copytree(previous_build, out)
    before = _published(out)
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["build", "--raw", str(raw), "--out", str(out)])
    elapsed = time.perf_counter() - started
    assert result.exit_code == 2, result.output
    for word in words:
        assert word in result.output
    assert "Traceback" not in result.output
    assert elapsed < SECONDS, f"{elapsed:.1f} s"
    assert _published(out) == before
    assert not list(out.glob(".build-tmp-*"))


def test_a_5_mb_line_is_refused_in_well_under_a_second(tmp_path):
    from pipeline.extract.text_source import read_lines

    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    long_web_line(raw)
    started = time.perf_counter()
    with pytest.raises(PipelineError, match=r"line 8 is 5,000,\d+ characters"):
        read_lines(raw / WEB)
    assert time.perf_counter() - started < 0.5


def test_a_cell_just_under_its_limit_is_built_in_bounded_time(tmp_path):
    """19,000 characters in one web value: extracted, cleaned, compared with the table
    and published about as fast as the real sources (difflib's ratio on it took minutes)."""
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    long_web_line(raw, 19_000)
    update_checksums(raw)
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["build", "--raw", str(raw), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert time.perf_counter() - started < 30


def test_similarity_of_long_cells_is_linear():
    from pipeline.transform.crosswalk_web import SIMILARITY, similarity

    a = "ab" * 10_000
    started = time.perf_counter()
    assert similarity(a, a + "c") > SIMILARITY
    assert similarity(a, "ba" * 10_000) < SIMILARITY  # nothing shared at start or end
    assert time.perf_counter() - started < 0.1
