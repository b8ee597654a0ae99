"""The README and docs/ hold true in a fresh clone: every relative link resolves, and the
README's "How it works" tree names the packages and modules the code has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _relative_links(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return [link for link in _LINK.findall(text)
            if not re.match(r"[a-z]+:", link) and not link.startswith("#")]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_relative_link_resolves_inside_the_repository(page):
    broken = []
    for link in _relative_links(page):
        target = (page.parent / link.split("#", 1)[0]).resolve()
        if not target.exists() or not target.is_relative_to(ROOT):
            broken.append(link)
    assert broken == []


def _how_it_works_paths() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How it works", 1)[1].split("\n## ", 1)[0]
    tree = section.split("```", 2)[1]
    return re.findall(r"(?<![\w/.])((?:pipeline|schemas|tests|raw|build|docs)/[\w/.<>]*)", tree)


def test_how_it_works_tree_names_what_the_code_has():
    paths = _how_it_works_paths()
    assert len(paths) >= 10
    missing = []
    for path in paths:
        if path.startswith("build/"):  # made by a build, not in a fresh clone
            continue
        if "<" in path:  # a pattern such as pipeline/extract/<source>.py: its folder exists
            path = path.split("<", 1)[0]
        if not (ROOT / path).exists():
            missing.append(path)
    assert missing == []


def test_how_it_works_tree_names_every_package():
    named = set(_how_it_works_paths())
    packages = sorted(f"pipeline/{p.parent.relative_to(ROOT / 'pipeline')}/"
                      for p in (ROOT / "pipeline").glob("*/__init__.py"))
    assert [p for p in packages if p not in named] == []
