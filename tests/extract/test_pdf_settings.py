"""PDF extraction settings: `[source.settings]` in raw/sources.toml → PdfSettings."""

from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.extract.pdf_settings import PdfSettings
from pipeline.sources import load_manifest

ENTRY = """[[source]]
id = "{id}"
path = "doc.{suffix}"
format = "{format}"
title = "t"
publisher = "p"
citation = "c"
permission = "p"
redistribution = "verbatim-with-credit"
sha256 = "{sha}"
"""


def _manifest(tmp_path: Path, settings: str = "", format: str = "crosswalk-table-pdf") -> Path:
    suffix = "pdf" if format.endswith("pdf") else "txt"
    text = ENTRY.format(id="crosswalk-pdf", suffix=suffix, format=format, sha="0" * 64)
    (tmp_path / "sources.toml").write_text(text + settings, encoding="utf-8")
    return tmp_path


def test_a_pdf_source_without_settings_gets_the_defaults(tmp_path):
    (source,) = load_manifest(_manifest(tmp_path))
    assert source.settings == PdfSettings()
    assert (source.settings.pages, source.settings.engine, source.settings.flavor) == (
        "all", "pdfium", "auto")
    assert source.settings.table_settings is None


def test_settings_are_read_from_the_manifest(tmp_path):
    settings = ('[source.settings]\npages = "3-40"\nengine = "camelot"\nflavor = "stream"\n'
                'table_settings = { vertical_strategy = "text", snap_tolerance = 2 }\n'
                'camelot_options = { edge_tol = 300 }\n')
    (source,) = load_manifest(_manifest(tmp_path, settings))
    assert source.settings.pages == "3-40" and source.settings.engine == "camelot"
    assert dict(source.settings.table_settings) == {"vertical_strategy": "text", "snap_tolerance": 2}
    assert dict(source.settings.camelot_options) == {"edge_tol": 300}
    assert hash(source)  # the source stays hashable though its settings hold tables


def test_settings_are_frozen(tmp_path):
    (source,) = load_manifest(_manifest(tmp_path, '[source.settings]\ntable_settings = {}\n'))
    with pytest.raises(AttributeError):
        source.settings.engine = "camelot"
    with pytest.raises(TypeError):
        source.settings.table_settings["snap_tolerance"] = 1


@pytest.mark.parametrize(
    "settings, message",
    [
        pytest.param('engine = "tabula"', "engine must be one of pdfplumber, camelot",
                     id="unknown-engine"),
        pytest.param('flavor = "grid"', "flavor must be one of", id="unknown-flavor"),
        pytest.param('pages = "3-"', "'3-' is no page or range", id="open-range"),
        pytest.param('pages = "5-2"', "'5-2' is an empty range", id="backwards-range"),
        pytest.param('pages = "0"', "'0' is an empty range", id="page-zero"),
        pytest.param('table_settings = { vertical_strategy = "guess" }',
                     "table_settings: vertical_strategy must be one of", id="bad-strategy"),
        pytest.param('table_settings = { snap_tolerance = -1 }', "cannot be negative",
                     id="negative-tolerance"),
        pytest.param('table_settings = { no_such_setting = 1 }', "table_settings:",
                     id="unknown-table-setting"),
        pytest.param('camelot_options = { pages = "1" }', "camelot_options may not set pages",
                     id="camelot-pages"),
        pytest.param('page = "1"', "unknown key(s): page", id="typo-in-key"),
    ],
)
def test_bad_settings_name_the_manifest_and_the_source(tmp_path, settings, message):
    raw = _manifest(tmp_path, f"[source.settings]\n{settings}\n")
    with pytest.raises(PipelineError) as caught:
        load_manifest(raw)
    assert message in str(caught.value)
    assert "source 'crosswalk-pdf'" in str(caught.value)
    assert caught.value.path == str(raw / "sources.toml")


def test_settings_on_a_text_source_are_refused(tmp_path):
    raw = _manifest(tmp_path, '[source.settings]\nengine = "camelot"\n',
                    format="crosswalk-table-text")
    with pytest.raises(PipelineError, match="applies only to PDF formats"):
        load_manifest(raw)


def test_text_sources_have_no_settings():
    sources = load_manifest(Path(__file__).resolve().parents[2] / "raw")
    assert sources and all(s.settings is None for s in sources)


def test_page_numbers_and_engine_override():
    assert PdfSettings().page_numbers(3) == [1, 2, 3]
    assert PdfSettings(pages="2, 2-3").page_numbers(5) == [2, 3]
    settings = PdfSettings(pages="2-end", engine="pdfplumber")
    assert settings.with_engine("camelot") == PdfSettings(pages="2-end", engine="camelot")
    assert settings.with_engine(None) is settings
