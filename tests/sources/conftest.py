"""Fixtures of the manifest tests: a copy of raw/ to edit, and a way to change one key of
one entry as a maintainer would in an editor."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

RAW = Path(__file__).resolve().parents[2] / "raw"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def raw_copy(tmp_path) -> Path:
    """A copy of raw/ (manifest and files) under tmp_path."""
    target = tmp_path / "raw"
    shutil.copytree(RAW, target)
    return target


def _set_key(raw: Path, source_id: str, key: str, toml_value: str) -> None:
    """Write ``key = toml_value`` in the entry of ``source_id`` (replacing the key's line,
    or as the line after ``id``), leaving every other line as it was."""
    manifest = raw / "sources.toml"
    text = manifest.read_text(encoding="utf-8")
    start = text.index(f'id = "{source_id}"\n')
    end = min(i for i in (text.find("\n[", start), len(text)) if i >= 0)
    block = text[start:end]
    line = f"{key} = {toml_value}"
    pattern = re.compile(rf"^{re.escape(key)} = .*$", re.MULTILINE)
    if pattern.search(block):
        block = pattern.sub(lambda _: line, block, count=1)
    else:
        first = block.index("\n") + 1
        block = block[:first] + line + "\n" + block[first:]
    manifest.write_text(text[:start] + block + text[end:], encoding="utf-8")


@pytest.fixture
def set_key():
    """``set_key(raw, source_id, key, toml_value)``: edit one key of one entry by hand."""
    return _set_key
