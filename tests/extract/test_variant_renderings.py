"""Renderings the pipeline was not tuned on (tests/fixtures/variants/, made by
tools/make_variant_fixtures.py) come back cell for cell, with every engine: reworded and
abbreviated repeated headers, a two-level header, rows split inside their cells."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from pipeline.extract.pdf_settings import ENGINES, PdfSettings

ROOT = Path(__file__).resolve().parents[2]
VARIANTS = ROOT / "tests" / "fixtures" / "variants"


def _accuracy():
    if "pdf_accuracy" not in sys.modules:
        spec = importlib.util.spec_from_file_location("pdf_accuracy", ROOT / "tools" / "pdf_accuracy.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["pdf_accuracy"] = module
        spec.loader.exec_module(module)
    return sys.modules["pdf_accuracy"]


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("ruling", ["ruled", "unruled"])
@pytest.mark.parametrize("variant", ["reworded-headers", "group-header", "split-rows"])
def test_a_variant_rendering_comes_back_cell_for_cell(variant, ruling, engine):
    accuracy = _accuracy()
    expected = json.loads((VARIANTS / f"{variant}.expected.json").read_text(encoding="utf-8"))
    tables = accuracy.normalized_tables(VARIANTS / f"{variant}-{ruling}.pdf",
                                        PdfSettings(engine=engine))
    score = accuracy.compare(expected, tables)
    assert score.total == 1373
    assert score.mismatches == [], f"{score.matched}/{score.total} cells equal"
