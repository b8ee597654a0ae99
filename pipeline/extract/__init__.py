"""Extract: each source file → raw, all-string frames with provenance; nothing is cleaned.

One module per source format, each with an ``extract(source)`` function named in
:data:`pipeline.formats.FORMATS`; the PDF reader's parts (settings, engines, layout)
and the crosswalk header's rules are modules of their own.
"""

from __future__ import annotations

from pathlib import Path


def scanned_pages(path: Path, numbers: list[int], password: str = "") -> list[int]:
    """The pages of a PDF among ``numbers`` that are only an image (a scan, no text
    layer), which the pdfium engine reads by OCR: what other stages may ask of a PDF
    (:func:`pipeline.extract.image_pages.image_only_pages`, imported only when asked)."""
    from pipeline.extract.image_pages import image_only_pages

    return image_only_pages(path, numbers, password)
