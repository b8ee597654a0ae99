"""The floors the bench compares against, measured in the same run on the same machine:
what no build and no engine can beat, or what a library does when asked directly.

- the import floor: a fresh Python importing exactly pandas, pandera, pyarrow and click
  (the libraries a text build cannot do without);
- the imports of a first build: a fresh Python importing every module a first build
  loaded (recorded from one, :func:`recording_build_command`) and running nothing — the
  least any build that runs every stage of this code costs;
- the pypdfium2 character floor: every character of every page with its box, read with
  pdfium's own calls (the text of a page in one call, then one box call per character,
  through plain ctypes pointers as the engine makes them) — the least a reader of
  positioned characters does;
- pdfplumber's character parsing: ``page.chars`` of every page (pdfminer's layout work,
  which the pdfplumber and camelot engines build on);
- camelot run directly: ``camelot.read_pdf(path, pages="all", flavor=…)``, lattice on the
  ruled document and stream on the unruled one, camelot's defaults and no more.
"""

from __future__ import annotations

import ctypes
import sys
import warnings
from pathlib import Path

IMPORTS = "import pandas, pandera, pyarrow, click"
#: The bench runs in the test environment, where hypothesis (a test-only package, not in
#: requirements.lock) is installed, and pandera imports it at validation when it can —
#: 0.4 s a user's installation never spends. Both sides of the ratio run as without it.
AS_INSTALLED = "import sys; sys.modules['hypothesis'] = None"


def import_floor_command() -> list[str]:
    return [sys.executable, "-c", f"{AS_INSTALLED}; {IMPORTS}"]


def crosswalk_command(*arguments: str, first: str = "") -> list[str]:
    """``crosswalk ARGUMENTS`` in a fresh Python, as a user's installation runs it (with
    the statement ``first`` run before it, if given)."""
    return [sys.executable, "-c", f"{AS_INSTALLED}; {first + '; ' if first else ''}"
            f"sys.argv = {['crosswalk', *arguments]!r}; from pipeline.__main__ import run; run()"]


def recording_build_command(listing: Path | str, *arguments: str) -> list[str]:
    """:func:`crosswalk_command` of ``arguments``, which writes, as it exits, the name of
    every module it loaded to ``listing``: one a line, in the order they were loaded (a
    package before its modules)."""
    record = (f"import atexit; atexit.register(lambda: open({str(listing)!r}, 'w').write("
              "'\\n'.join(n for n, m in list(sys.modules.items()) "
              "if m is not None and n != '__main__')))")
    return crosswalk_command(*arguments, first=record)


def imports_command(listing: Path | str) -> list[str]:
    """A fresh Python importing every module named in ``listing`` (those not loaded yet by
    the ones before), as a user's installation would, and running nothing else."""
    return [sys.executable, "-c",
            f"{AS_INSTALLED}; import importlib; "
            f"[importlib.import_module(n) for n in open({str(listing)!r}).read().split() "
            "if n not in sys.modules]"]


def pdfium_chars(pdf: Path | str) -> int:
    """Read every character of ``pdf`` with its box; how many there were."""
    import pypdfium2
    import pypdfium2.raw as pdfium

    box = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int, *[ctypes.c_void_p] * 4)(
        ctypes.cast(pdfium.FPDFText_GetCharBox, ctypes.c_void_p).value)
    edges = [ctypes.c_double() for _ in range(4)]
    pointers = [ctypes.addressof(edge) for edge in edges]
    total = 0
    document = pypdfium2.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = pdfium.FPDF_LoadPage(document.raw, index)
            textpage = pdfium.FPDFText_LoadPage(page)
            count = pdfium.FPDFText_CountChars(textpage)
            buffer = (ctypes.c_ushort * (count + 1))()
            pdfium.FPDFText_GetText(textpage, 0, count, buffer)
            bytes(buffer).decode("utf-16-le", "surrogatepass")
            address = ctypes.cast(textpage, ctypes.c_void_p).value
            for char in range(count):
                box(address, char, *pointers)
            total += count
            pdfium.FPDFText_ClosePage(textpage)
            pdfium.FPDF_ClosePage(page)
    finally:
        document.close()
    return total


def pdfplumber_chars(pdf: Path | str) -> int:
    """pdfplumber's characters of every page; how many there were."""
    import pdfplumber

    total = 0
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            total += len(page.chars)
            page.close()
    return total


def camelot_direct(pdf: Path | str, flavor: str) -> int:
    """camelot's tables of every page by ``flavor``; how many there were."""
    import camelot

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "No tables found on page-N"
        return len(camelot.read_pdf(str(pdf), pages="all", flavor=flavor, suppress_stdout=True))
