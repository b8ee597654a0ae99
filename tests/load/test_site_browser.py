"""The explorer page in a real browser (issue 17): headless Chromium opens it from disk,
searches, opens a competency with the keyboard, follows a link to an area, and checks
what each view shows against the published rows; at phone width nothing scrolls
sideways; withheld text is shown as withheld, with its reason; a screenshot is kept.

Needs Debian's ``chromium`` and ``chromium-driver`` and selenium (requirements-dev.lock):
without them these tests fail, saying what to install — they are never skipped.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import screenshot_site

from pipeline.load.profiles import apply_profile
from pipeline.load.publish import publish_tables

ROOT = Path(__file__).resolve().parents[2]




@pytest.fixture(scope="module")
def browser():
    reason = screenshot_site.missing_browser()
    if reason:
        pytest.fail(f"the browser test needs headless Chromium: {reason}", pytrace=False)
    with screenshot_site.headless_chromium(1280, 900) as driver:
        yield driver


@pytest.fixture(scope="module")
def published_open(real_tables, real_contract, manifest_sources, tmp_path_factory) -> Path:
    tables, kept = apply_profile(real_tables, "open", real_contract, sources=manifest_sources)
    out = tmp_path_factory.mktemp("open-site")
    publish_tables(tables, out, manifest_sources, contract=kept)
    return out


def by_css(driver, selector):
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, selector)


def fragment(driver) -> str:
    return driver.execute_script("return decodeURIComponent(location.hash.slice(1))")


def view_text(driver) -> str:
    return by_css(driver, "#view")[0].text


def no_console_errors(driver) -> list:
    """Script errors and blocked loads (a Content-Security-Policy violation is one)."""
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def search_index(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """What the page searches for each competency, lowercased (as site.js builds it)."""
    categories = tables["coe_categories"].set_index("category_code")["category_title"]
    domains = tables["coe_domains"].set_index("domain_number")["domain_title"]
    index = {}
    for row in tables["coe_competencies"].itertuples():
        parts = [row.coe_code, row.competency_text, row.footnote, row.priority_note,
                 categories[row.category_code], domains[row.domain_number]]
        mapped = tables["crosswalk"][tables["crosswalk"]["coe_code"] == row.coe_code]
        for m in mapped.itertuples():
            parts += [m.endorsement_domain, m.endorsement_area, m.demonstrated_by]
        index[row.coe_code] = " ".join(str(p) for p in parts if not pd.isna(p)).lower()
    return index


def area_codes(tables, area_id: str) -> tuple[set[str], set[str]]:
    """The competencies the forward and the reverse table map to an area."""
    forward = tables["crosswalk"]
    reverse = tables["endorsement_index"]
    return (set(forward.loc[forward["area_id"] == area_id, "coe_code"]),
            set(reverse.loc[reverse["area_id"] == area_id, "coe_code"].dropna()))


def test_search_open_a_competency_with_the_keyboard_and_follow_it_to_an_area(
        browser, published, real_tables, tmp_path):
    from selenium.webdriver.common.keys import Keys

    browser.get(screenshot_site.page_url(published))
    assert browser.title.startswith("Crosswalk explorer")
    assert by_css(browser, "#view-title")[0].text == "Crosswalk explorer"

    # Search: the competencies listed are those whose text, category, domain or mappings
    # hold "reflective" or its stem "reflect".
    browser.find_element("id", "q").send_keys("reflective")
    listed = [a.get_attribute("href").rsplit("#", 1)[1]
              for a in by_css(browser, ".results ul")[0].find_elements("css selector", "a")]
    expected = [code for code, text in search_index(real_tables).items() if "reflect" in text]
    assert listed == expected and len(listed) > 10
    assert by_css(browser, "#count")[0].text.startswith(f"{len(expected)} competencies")
    assert by_css(browser, ".results mark")[0].text.lower().startswith("reflect")

    # Keyboard: Enter in the search field moves to the first result, Enter opens it.
    browser.find_element("id", "q").send_keys(Keys.ENTER)
    active = browser.switch_to.active_element
    assert active.get_attribute("href").endswith("#" + listed[0])
    active.send_keys(Keys.ENTER)
    code = listed[0]
    assert fragment(browser) == code
    competency = real_tables["coe_competencies"].set_index("coe_code").loc[code]
    shown = view_text(browser)
    assert f"Competency {code}" in shown
    assert competency["competency_text"] in shown
    assert f"line {competency['source_line']} (raw/" in shown
    rows = real_tables["crosswalk"][real_tables["crosswalk"]["coe_code"] == code]
    assert len(by_css(browser, "#view ol.cards > li")) == len(rows)
    assert browser.switch_to.active_element.get_attribute("id") == "view-title"

    # The first result that maps to an area, opened from the results, and its first area.
    crosswalk = real_tables["crosswalk"]
    code = next(c for c in listed if crosswalk.loc[crosswalk["coe_code"] == c, "area_id"].notna().any())
    by_css(browser, f".results a[href='#{code}']")[0].click()
    assert fragment(browser) == code
    rows = crosswalk[crosswalk["coe_code"] == code]
    area_link = by_css(browser, "#view ol.cards a[href*='--']")[0]
    area_id = area_link.get_attribute("href").rsplit("#", 1)[1]
    assert area_id == rows.dropna(subset=["area_id"]).iloc[0]["area_id"]
    area_link.click()
    assert fragment(browser) == area_id
    area = real_tables["endorsement_areas"].set_index("area_id").loc[area_id]
    assert by_css(browser, "#view-title")[0].text == f"Endorsement area: {area['endorsement_area']}"
    forward, reverse = area_codes(real_tables, area_id)
    cards = by_css(browser, "#view ul.cards > li")
    codes = {card.find_element("css selector", "a").text for card in cards}
    assert codes == forward | reverse and code in codes
    assert f"CoE competencies mapped to it ({len(forward | reverse)})" in view_text(browser)

    # The deep link of a competency opens it directly.
    browser.get(screenshot_site.page_url(published, "3B.3"))
    assert by_css(browser, "#view-title")[0].text == "Competency 3B.3"

    report = tmp_path / "reports" / "site.png"
    report.parent.mkdir()
    assert browser.save_screenshot(str(report))
    assert report.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert no_console_errors(browser) == []


def test_an_area_view_marks_where_the_two_tables_disagree(browser, published, real_tables):
    disagreeing = []
    for area_id in real_tables["endorsement_areas"]["area_id"]:
        forward, reverse = area_codes(real_tables, area_id)
        if forward - reverse and reverse - forward:
            disagreeing.append((area_id, forward, reverse))
    assert disagreeing, "the 2023 crosswalk has areas whose two tables disagree"
    area_id, forward, reverse = disagreeing[0]
    browser.get(screenshot_site.page_url(published, area_id))
    marks = {card.find_element("css selector", "a").text:
             card.find_element("css selector", ".badge:last-child").text
             for card in by_css(browser, "#view ul.cards > li")}
    assert {c for c, mark in marks.items() if mark == "forward table only"} == forward - reverse
    assert {c for c, mark in marks.items() if mark == "reverse table only"} == reverse - forward
    assert {c for c, mark in marks.items() if mark == "in both tables"} == forward & reverse


def test_a_filter_narrows_the_competencies(browser, published, real_tables):
    from selenium.webdriver.support.ui import Select

    browser.get(screenshot_site.page_url(published))
    by_css(browser, "#filter-box summary")[0].click()
    Select(browser.find_element("id", "f-alignment")).select_by_value("unique")
    listed = {a.text.split()[0] for a in by_css(browser, ".results a")}
    crosswalk = real_tables["crosswalk"]
    assert listed == set(crosswalk.loc[crosswalk["alignment"] == "unique", "coe_code"])


@pytest.mark.parametrize("view", ["", "3B.3", "reflection--self-awareness", "ct-aimh",
                                  "changes", "about"])
def test_phone_width_has_no_sideways_scroll(browser, published, view):
    browser.set_window_size(390, 844)
    try:
        browser.get(screenshot_site.page_url(published, view))
        assert browser.execute_script("return window.innerWidth") <= 390
        widths = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"#{view} is {widths[0]} px wide at {widths[1]} px"
    finally:
        browser.set_window_size(1280, 900)


def test_withheld_text_is_shown_as_withheld_with_its_reason(browser, published_open):
    browser.get(screenshot_site.page_url(published_open, "ct-aimh"))
    withheld = [e.text for e in by_css(browser, "#view .withheld")]
    # Each of the 113 statements, and the practice mode of those that have one.
    assert len(withheld) >= 113
    assert all(text.startswith("withheld — the terms of ct-aimh-mentor-guidelines do not allow "
                               "redistributing its text") for text in withheld)
    browser.get(screenshot_site.page_url(published_open, "illinois"))
    assert "withheld — the terms of illinois-iecmhc-competencies" in view_text(browser)
    assert no_console_errors(browser) == []
