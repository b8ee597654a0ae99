"""Which pages of a PDF are only an image (a scan): no text layer, or only whitespace in
it, and at least one image drawn. Found before any page is read, with a quick look by
pdfium at each page's objects and, where it draws an image, its characters; no rendering.
Such pages are read by OCR (:mod:`~pipeline.extract.ocr`) or refused, naming them
(:func:`page_list`).
"""

from __future__ import annotations

import ctypes
from functools import cache
from pathlib import Path


def _has_text_layer(page) -> bool:
    """Whether a page's text layer holds anything but whitespace: no text object at all
    answers at once (a scan); otherwise its characters are read."""
    import pypdfium2.raw as pdfium

    if not _has_object_of_type(page, "FPDF_PAGEOBJ_TEXT"):
        return False
    textpage = pdfium.FPDFText_LoadPage(page)
    if not textpage:
        return False
    try:
        return _has_text(textpage)
    finally:
        pdfium.FPDFText_ClosePage(textpage)


def _has_text(textpage) -> bool:
    """Whether a page's text layer holds anything but whitespace (stops at the first
    character that is not: a page with text answers at once)."""
    import pypdfium2.raw as pdfium

    return any(not chr(pdfium.FPDFText_GetUnicode(textpage, i)).isspace()
               for i in range(pdfium.FPDFText_CountChars(textpage)))


def _has_object_of_type(raw_page, kind: str) -> bool:
    """Whether the page draws an object of ``kind`` (``FPDF_PAGEOBJ_IMAGE`` …), asked
    object by object until one is found. The calls go through plain addresses: a ruled
    page draws hundreds of lines, and pypdfium2's check of each argument's type costs
    more than the calls themselves."""
    import pypdfium2.raw as pdfium

    wanted = getattr(pdfium, kind)
    count = pdfium.FPDFPage_CountObjects(raw_page)
    page = ctypes.cast(raw_page, ctypes.c_void_p).value
    get_object, get_type = _object_calls()
    return any(get_type(get_object(page, i)) == wanted for i in range(count))


@cache
def _object_calls():
    """``FPDFPage_GetObject`` and ``FPDFPageObj_GetType`` called with plain addresses."""
    import pypdfium2.raw as pdfium

    def plain(function, result, *arguments):
        address = ctypes.cast(function, ctypes.c_void_p).value
        return ctypes.CFUNCTYPE(result, *arguments)(address)

    return (plain(pdfium.FPDFPage_GetObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int),
            plain(pdfium.FPDFPageObj_GetType, ctypes.c_int, ctypes.c_void_p))


def image_only_pages(path: Path, numbers: list[int], password: str = "") -> list[int]:
    """The pages of ``numbers`` that are only an image (a quick look with pdfium: the
    characters of each page and its objects, no rendering)."""
    import pypdfium2
    import pypdfium2.raw as pdfium

    found = []
    try:
        document = pypdfium2.PdfDocument(path, password=password or None)
    except Exception:  # pdfium cannot tell: the engine reading the PDF says what is wrong
        return found
    try:
        for number in numbers:
            page = pdfium.FPDF_LoadPage(document.raw, number - 1)
            if not page:
                continue
            try:
                if _has_object_of_type(page, "FPDF_PAGEOBJ_IMAGE") and not _has_text_layer(page):
                    found.append(number)
            finally:
                pdfium.FPDF_ClosePage(page)
    finally:
        document.close()
    return found


def page_list(numbers: list[int]) -> str:
    """Pages as a reader writes them: ``1-4, 7``.

    >>> page_list([1, 2, 3, 4, 7]), page_list([5])
    ('1-4, 7', '5')
    """
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)
