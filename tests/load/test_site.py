"""The explorer page (issue 17): one self-contained file that embeds every published row,
loads nothing, links every competency and area, shows withheld text as withheld, and is
byte-stable. What the page does in a browser: test_site_browser.py."""

from __future__ import annotations

import hashlib
import json
import re
from base64 import b64encode
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.load.atomic import replace_published
from pipeline.load.exports import EXPORTS_PROPERTY
from pipeline.load.profiles import apply_profile
from pipeline.load.publish import publish_tables
from pipeline.load.site import SITE_NAME, changes_entry, payload_json, write_site
from pipeline.metadata import COE_COMPETENCIES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def published_open(real_tables, real_contract, manifest_sources, tmp_path_factory) -> Path:
    """The real rows cut to the open profile (text of sources whose terms forbid
    redistributing it withheld) and published."""
    tables, kept = apply_profile(real_tables, "open", real_contract, sources=manifest_sources)
    out = tmp_path_factory.mktemp("open")
    publish_tables(tables, out, manifest_sources, contract=kept)
    return out


def page_text(folder: Path) -> str:
    return (folder / SITE_NAME).read_text(encoding="utf-8")


def embedded(page: str) -> dict:
    found = re.findall(r'<script type="application/json" id="data">(.*?)</script>', page, re.DOTALL)
    assert len(found) == 1
    return json.loads(found[0])


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each <style> and <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.texts: dict[str, list[str]] = {"style": [], "script": []}
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in = tag if tag in self.texts and not dict(attrs).get("type") else None

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in:
            self.texts[self._in].append(data)


def parsed(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


def test_the_page_is_written_and_listed_with_its_bytes_and_sha256(published):
    package = json.loads((published / "datapackage.json").read_text(encoding="utf-8"))
    entry = next(e for e in package[EXPORTS_PROPERTY] if e["path"] == "site/index.html")
    data = (published / "site" / "index.html").read_bytes()
    assert (entry["format"], entry["mediatype"]) == ("html", "text/html")
    assert entry["bytes"] == len(data)
    assert entry["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()


def test_the_page_embeds_every_published_row(published):
    payload = embedded(page_text(published))
    package = json.loads((published / "datapackage.json").read_text(encoding="utf-8"))
    names = [resource["name"] for resource in package["resources"]]
    assert list(payload["tables"]) == names
    for name in names:
        rows = json.loads((published / f"{name}.json").read_text(encoding="utf-8"))
        table = payload["tables"][name]
        assert [dict(zip(table["columns"], row)) for row in table["rows"]] == rows, name
    assert payload["package"]["version"] == package["version"]
    assert payload["package"]["sources"] == package["sources"]


def test_two_publishes_give_the_same_page(published, published_again):
    assert (published / SITE_NAME).read_bytes() == (published_again / SITE_NAME).read_bytes()


def test_the_page_loads_nothing_from_anywhere(published):
    page = page_text(published)
    tags = parsed(page)
    names = [tag for tag, _ in tags.tags]
    assert "link" not in names and "img" not in names and "iframe" not in names
    assert [attrs for _, attrs in tags.tags if "src" in attrs] == []
    style, script = "".join(tags.texts["style"]), "".join(tags.texts["script"])
    assert not re.search(r"url\(|@import", style)
    assert not re.search(r"fetch\(|XMLHttpRequest|import\(|\.src\s*=", script)
    # The browser enforces it: nothing may load, only the page's own style and script run.
    policy = next(attrs["content"] for tag, attrs in tags.tags
                  if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy")
    assert policy.startswith("default-src 'none'; ")

    def digest(text: str) -> str:
        return "'sha256-" + b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert f"style-src {digest(style)};" in policy
    assert f"script-src {digest(script)};" in policy
    # External addresses appear only as text (the sources' addresses) or as links to follow.
    assert not re.search(r'(src|action)="https?://', page)


def test_every_competency_and_area_has_a_deep_link(published, real_tables):
    page = page_text(published)
    links = set(re.findall(r'<a href="#([^"]*)"', page))
    codes = set(real_tables["coe_competencies"]["coe_code"])
    areas = set(real_tables["endorsement_areas"]["area_id"])
    assert len(codes) == 147 and len(areas) == 72
    assert codes <= links and areas <= links
    # The page's router opens each of them: a code, a category, an area id.
    script = "".join(parsed(page).texts["script"])
    assert r"var CODE = /^[1-8][A-H]\.\d{1,2}$/;" in script
    assert 'hash.indexOf("--") > 0' in script


def test_withheld_text_is_null_in_the_page_and_its_reason_is_given(published_open):
    payload = embedded(page_text(published_open))
    withheld = payload["package"]["x_withheld"]
    statement = next(w for w in withheld
                     if (w["resource"], w["column"]) == ("mentor_competencies", "statement"))
    assert "do not allow redistributing its text" in statement["reason"]
    mentor = payload["tables"]["mentor_competencies"]
    column = mentor["columns"].index("statement")
    assert len(mentor["rows"]) == 113
    assert {row[column] for row in mentor["rows"]} == {None}


def test_the_full_build_shows_the_text_the_open_build_withholds(published):
    mentor = embedded(page_text(published))["tables"]["mentor_competencies"]
    column = mentor["columns"].index("statement")
    assert all(isinstance(row[column], str) for row in mentor["rows"])


def test_a_codes_only_page_has_the_codes_and_no_text(published_codes_only, real_tables):
    page = page_text(published_codes_only)
    payload = embedded(page)
    assert "competency_text" not in payload["tables"]["coe_competencies"]["columns"]
    assert "endorsement_index" not in payload["tables"]
    first = real_tables["coe_competencies"]["competency_text"].iloc[0]
    assert first[:60] not in page
    assert '<a href="#1A.1">1A.1</a>' in page


def test_no_text_of_the_data_can_end_the_script_element(tmp_path):
    hostile = "</script><script>alert(1)</script><!--"
    row = ["1A.1", "1A", 1, hostile, "Essential", None, None, "src", 1, None]
    page = write_site(tmp_path, {"coe_competencies": [row]}, [COE_COMPETENCIES],
                      {"title": "t", "version": "1.0.0"}, changelog=None).read_text("utf-8")
    assert page.count("</script>") == 2  # the data element's and the script's own
    assert embedded(page)["tables"]["coe_competencies"]["rows"] == [row]
    assert payload_json({"x": hostile}).count("<") == 0


def test_what_changed_is_the_changelog_entry_of_the_version(published):
    payload = embedded(page_text(published))
    version = payload["package"]["version"]
    changes = payload["changes"]
    assert changes["found"] and changes["heading"].split(" ")[0] == version
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    entry = changelog.split(f"## {changes['heading']}\n", 1)[1].split("\n## ", 1)[0]
    table = next(b for b in changes["blocks"] if b["kind"] == "table")
    assert table["header"][:3] == ["dataset", "added", "removed"]
    assert len(table["rows"]) == sum(1 for line in entry.splitlines()
                                     if line.startswith("| `"))
    items = next(b for b in changes["blocks"] if b["kind"] == "list")["items"]
    assert len(items) == sum(1 for line in entry.splitlines() if line.startswith("- "))


def test_a_version_without_a_changelog_entry_says_so():
    changes = changes_entry("# Changelog\n\n## 2.0.0 — 2026-12-02\n\nText.\n", "2.1.0")
    assert changes == {"version": "2.1.0", "found": False, "newest": "2.0.0 — 2026-12-02"}
    assert changes_entry(None, "2.1.0") == {"version": "2.1.0", "found": False, "newest": None}


def test_the_swap_moves_the_page_and_drops_it_when_a_build_has_none(tmp_path):
    out, staged = tmp_path / "out", tmp_path / "staged"
    (staged / "site").mkdir(parents=True)
    (staged / "site" / "index.html").write_text("<p>new</p>", encoding="utf-8")
    listing = {"resources": [], EXPORTS_PROPERTY: [{"path": "site/index.html"}]}
    (staged / "datapackage.json").write_text(json.dumps(listing), encoding="utf-8")
    out.mkdir()
    moved = replace_published(staged, out)
    assert [p.relative_to(out).as_posix() for p in moved] == ["site/index.html",
                                                              "datapackage.json"]
    assert (out / "site" / "index.html").read_text(encoding="utf-8") == "<p>new</p>"
    staged.mkdir(exist_ok=True)
    (staged / "datapackage.json").write_text(json.dumps({"resources": []}), encoding="utf-8")
    replace_published(staged, out)
    assert not (out / "site").exists()
