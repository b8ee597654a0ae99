"""Screenshot the explorer page of a build, for review (``docs/explorer.png``).

    .venv/bin/python tools/screenshot_site.py BUILD_DIR OUT.png [--view 3B.3] [--width 1280]

Opens ``BUILD_DIR/site/index.html`` from disk in headless Chromium (Debian's ``chromium``
and ``chromium-driver``, through selenium), searches for ``reflective``, opens the view
``--view`` (a competency by default) and saves a screenshot of the window. The browser
test (``tests/load/test_site_browser.py``) drives the page with :func:`headless_chromium`
from here, so both start Chromium the same way.

Offline by construction: the page loads nothing, and Chromium is started without its
background networking, component updates, sync or QUIC.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
#: What to run when the browser or its driver is missing.
INSTALL_HINT = ("install Debian's chromium and chromium-driver (and selenium from "
                "requirements-dev.lock): run `make system-packages`")
#: Flags that work headless as root, in a container, with no network wanted.
CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                  "--force-device-scale-factor=1")


def missing_browser() -> str | None:
    """Why the browser cannot be started, or None when it can."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.is_file()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package")
    return f"missing {', '.join(missing)}: {INSTALL_HINT}" if missing else None


@contextlib.contextmanager
def headless_chromium(width: int = 1280, height: int = 900) -> Iterator[object]:
    """A selenium WebDriver of headless Chromium with a fresh profile, quit on exit."""
    reason = missing_browser()
    if reason:
        raise RuntimeError(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="crosswalk-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, f"--window-size={width},{height}", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    # The console, so a caller can see a script error or a blocked load.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def page_url(build: Path, fragment: str = "") -> str:
    """The ``file://`` address of a build's page, with an optional ``#fragment``."""
    page = (build / "site" / "index.html").resolve()
    if not page.is_file():
        raise FileNotFoundError(f"{page}: no explorer page; build first "
                                "(.venv/bin/crosswalk build --out DIR)")
    return page.as_uri() + (f"#{fragment}" if fragment else "")


def screenshot(build: Path, out: Path, *, view: str = "3B.3", query: str = "reflective",
               width: int = 1280, height: int = 900) -> Path:
    """Save a screenshot of the page with ``query`` searched and ``view`` open."""
    from selenium.webdriver.common.by import By

    with headless_chromium(width, height) as driver:
        driver.get(page_url(build))
        driver.find_element(By.ID, "q").send_keys(query)
        driver.get(page_url(build, view))
        out.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(out))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", type=Path, help="a build folder (holds site/index.html)")
    parser.add_argument("out", type=Path, help="the PNG file to write")
    parser.add_argument("--view", default="3B.3", help="the view to open (default: 3B.3)")
    parser.add_argument("--query", default="reflective", help="the search to type first")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args(argv)
    try:
        path = screenshot(args.build, args.out, view=args.view, query=args.query,
                          width=args.width, height=args.height)
    except (RuntimeError, FileNotFoundError) as error:
        print(f"screenshot_site: {error}", file=sys.stderr)
        return 2
    print(f"screenshot_site: wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
