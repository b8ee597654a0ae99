"""The registry of source formats: one record per format, read by every stage."""

from __future__ import annotations

import inspect

import pytest

from pipeline.formats import FORMATS
from pipeline.sources import PDF_FORMATS


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_names_functions_of_one_signature(name):
    source_format = FORMATS[name]
    assert list(inspect.signature(source_format.extract).parameters) == ["source"]
    assert list(inspect.signature(source_format.transform).parameters) == [
        "source", "frames", "context"]
    assert list(inspect.signature(source_format.account).parameters) == [
        "source", "frames", "tables"]
    assert list(inspect.signature(source_format.check_complete).parameters) == [
        "source", "frames"]


def test_the_pdf_formats_are_those_the_registry_marks():
    assert PDF_FORMATS == ("crosswalk-table-pdf",)


def test_a_witness_is_transformed_before_the_table_it_checks():
    order = list(FORMATS)
    assert order.index("crosswalk-web-records") < order.index("crosswalk-table-text")
    assert order.index("crosswalk-web-records") < order.index("crosswalk-table-pdf")
    # The CT-AIMH areas are split with the crosswalk's reverse table.
    assert order.index("crosswalk-table-text") < order.index("ct-aimh-mentor-html")


def test_naming_a_format_loads_none_of_its_modules():
    import subprocess
    import sys

    code = ("import sys, pipeline.formats, pipeline.sources; "
            "print(any(m.startswith(('pipeline.extract.crosswalk_pdf', 'pipeline.transform', "
            "'pdfplumber', 'wordfreq')) for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


def test_every_table_format_checks_its_completeness_only_a_witness_does_not():
    unchecked = [name for name, f in FORMATS.items() if f.complete_module is None]
    assert unchecked == ["crosswalk-web-records"]
