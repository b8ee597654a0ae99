"""OCR of a scanned page: the words of a page that is only an image, with their boxes in
pdfplumber's coordinates and the OCR engine's confidence, for the pdfium engine's layout.

A page is *image-only* when its text layer holds nothing but whitespace and it draws at
least one image (:func:`~pipeline.extract.image_pages.image_only_pages`): an office
scanner's PDF. Such a page is read so:

1. its image: the one image that covers the page, decoded at its own resolution (no
   resampling of the scanner's pixels), or else the page rendered by pdfium at
   ``dpi`` (:func:`page_image`);
2. straightened: the skew of a hand-fed page is measured on the text's lines
   (projection profile, :func:`skew_angle`) and turned back;
3. ruling lines found in the image (:mod:`~pipeline.extract.ocr_rules`) and painted
   over, so the OCR engine does not read them as ``|`` or ``_``;
4. read by Tesseract 5 (``tesseract-ocr`` from Debian, driven by pytesseract, one thread
   per process: pages are read in a pool of processes), each word with its box and
   confidence (:func:`recognize`), cached by the image's hash (:class:`OcrCache`); a
   ruled page's cells each read alone, stacked in one image
   (:mod:`~pipeline.extract.ocr_cells`).

The words then go through the layout code the PDF's own text goes through, by
:func:`~pipeline.extract.pdfium_page.read_scanned_page`. pytesseract is imported only
when a page needs OCR: text sources and PDFs with a text layer never need Tesseract.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

#: The engine's name in messages, and the hint when it is missing.
INSTALL_HINT = "run `make system-packages` (installs tesseract-ocr and tesseract-ocr-eng)"
#: The cache's format: a change to what is stored makes every older entry a miss.
CACHE_FORMAT = 1
#: An image that covers at least this share of the page (each way) is the page's scan.
COVERS = 0.95
#: Below this resolution a page's own image is too coarse to read as it is: rendered.
MIN_NATIVE_DPI = 150
#: Skew measured up to this many degrees each way (a hand-fed page is rarely off by 2°).
MAX_SKEW = 3.0


@dataclass(frozen=True)
class OcrSettings:
    """How scanned pages are read. ``dpi`` is the resolution the OCR engine reads a page
    at: a page that is not one image covering the page is rendered at it, a coarser scan
    is enlarged to it (Tesseract reads 8-pt text at 200 dpi with small marks lost: ``*``,
    the period of ``1B.``). ``psm`` is Tesseract's page segmentation mode (6, one block of
    text: every word with its box, small marks kept; the layout code finds the columns);
    a word read with a confidence below ``min_confidence`` (0–100) is reported.

    >>> OcrSettings(dpi=50)
    Traceback (most recent call last):
    ...
    ValueError: ocr_dpi must be between 100 and 600, not 50
    """

    dpi: int = 300
    language: str = "eng"
    psm: int = 6
    min_confidence: float = 60.0

    def __post_init__(self) -> None:
        if not isinstance(self.dpi, int) or not 100 <= self.dpi <= 600:
            raise ValueError(f"ocr_dpi must be between 100 and 600, not {self.dpi!r}")
        if self.psm not in (3, 4, 6, 11, 12):
            raise ValueError(f"ocr psm must be 3, 4, 6, 11 or 12, not {self.psm!r}")

    @property
    def config(self) -> str:
        # --oem 1: the LSTM recognizer; interword spaces are not kept (the layout code
        # measures gaps itself).
        return f"--oem 1 --psm {self.psm}"


@dataclass(frozen=True)
class PageImage:
    """A page's image, grey (0 black … 255 white), and where its pixels lie on the page:
    pixel (x, y) is at page point (``left + x · step_x``, ``top + y · step_y``) in
    pdfplumber's coordinates. ``native`` when it is the PDF's own image, not rendered."""

    grey: np.ndarray
    left: float
    top: float
    step_x: float
    step_y: float
    native: bool

    @property
    def pixels_per_point(self) -> float:
        return 1 / self.step_x

    def to_page(self, x: float, y: float) -> tuple[float, float]:
        return self.left + x * self.step_x, self.top + y * self.step_y


@dataclass(frozen=True)
class OcrWord:
    """A word as the OCR engine read it: its text, box in pixels and confidence (0–100),
    and the top and height of the line it is on (a word's own box starts at its tallest
    letter: ``or`` starts lower than ``Essential`` beside it, and the line box keeps the
    two on one line, as a PDF's font boxes do)."""

    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float
    line_top: int
    line_height: int


@dataclass(frozen=True)
class OcrReport:
    """What OCR did on one page: the skew it turned back (degrees), how many words it
    read, whether the words came from the cache, the words read with low confidence
    (``text``, ``confidence``, ``box`` in page points) and how many words of repeated
    table headers were read back (never published: :mod:`~pipeline.extract.ocr_header`)."""

    skew: float
    words: int
    cached: bool
    low_confidence: tuple[dict, ...] = field(default_factory=tuple)
    header_repairs: int = 0
    #: codes read back (``before``, ``after``, ``box``), logged in ``corrections`` later
    code_repairs: tuple[dict, ...] = field(default_factory=tuple)


# --- The engine ----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def tesseract_version() -> str | None:
    """Tesseract's version, or None when it is not installed (or pytesseract is not)."""
    try:
        import pytesseract
    except ImportError:
        return None
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        return None
    try:
        return str(pytesseract.get_tesseract_version())
    except Exception:  # found but does not run
        return None


def ocr_missing_reason() -> str | None:
    """Why OCR cannot run here, or None when it can."""
    try:
        import pytesseract  # noqa: F401
    except ImportError:
        return "the Python package pytesseract is not installed"
    if tesseract_version() is None:
        return "Tesseract (the OCR engine) is not installed"
    return None


def recognize(grey: np.ndarray, settings: OcrSettings) -> list[OcrWord]:
    """The words Tesseract reads in a grey image, with boxes (pixels) and confidence."""
    import pytesseract
    from PIL import Image

    # One thread per Tesseract: the pages are read in a pool of processes, and
    # Tesseract's own threads would only fight the pool for the cores.
    os.environ["OMP_THREAD_LIMIT"] = "1"
    data = pytesseract.image_to_data(Image.fromarray(grey, "L"), lang=settings.language,
                                     config=settings.config,
                                     output_type=pytesseract.Output.DICT)
    rows = list(zip(data["level"], data["block_num"], data["par_num"], data["line_num"],
                    data["left"], data["top"], data["width"], data["height"], data["conf"],
                    data["text"]))
    lines = {(block, paragraph, line): (int(top), int(height))
             for level, block, paragraph, line, _, top, _, height, _, _ in rows if int(level) == 4}
    words = []
    for level, block, paragraph, line, left, top, width, height, confidence, text in rows:
        text = str(text).strip()
        if int(level) == 5 and text:
            line_top, line_height = lines.get((block, paragraph, line), (int(top), int(height)))
            words.append(OcrWord(text, int(left), int(top), int(width), int(height),
                                 float(confidence), line_top, line_height))
    return words


# --- The page image ----------------------------------------------------------------------

def page_image(document, number: int, frame, settings: OcrSettings) -> PageImage:
    """The page's one covering image at its own resolution, or the page rendered at
    ``settings.dpi`` (``frame``: the page's :class:`~pipeline.extract.pdfium_page.PageFrame`)."""
    page = document[number - 1]
    try:
        native = _native_image(page, frame, settings.dpi)
        if native is not None:
            return native
        scale = settings.dpi / 72
        bitmap = page.render(scale=scale, grayscale=True)
        grey = np.asarray(bitmap.to_pil().convert("L"))
        return PageImage(grey, frame.box[0], frame.box[1], 1 / scale, 1 / scale, False)
    finally:
        page.close()


def _native_image(page, frame, dpi: int) -> PageImage | None:
    """The page's image as stored (enlarged to ``dpi`` if coarser), when it is the only
    image, covers the page, stands upright and is fine enough; None otherwise (the page
    is rendered)."""
    import pypdfium2.raw as pdfium

    if page.get_rotation() != 0 or frame.turn != (1, 0, 0, 1):
        return None
    images = list(page.get_objects(filter=[pdfium.FPDF_PAGEOBJ_IMAGE]))
    if len(images) != 1:
        return None
    image = images[0]
    matrix = image.get_matrix()
    if abs(matrix.b) > 1e-6 or abs(matrix.c) > 1e-6 or matrix.a <= 0 or matrix.d <= 0:
        return None  # turned or mirrored: let pdfium draw it
    left, bottom, right, top = image.get_bounds()
    width, height = page.get_size()
    if (right - left) < COVERS * width or (top - bottom) < COVERS * height:
        return None
    try:
        grey = np.asarray(image.get_bitmap(render=False).to_pil().convert("L"))
    except Exception:  # a filter pdfium decodes only while drawing
        return None
    rows, columns = grey.shape
    resolution = columns / ((right - left) / 72)
    if resolution < MIN_NATIVE_DPI:
        return None
    if resolution < 0.9 * dpi:  # enlarged to the resolution Tesseract reads best
        import cv2

        grey = cv2.resize(grey, None, fx=dpi / resolution, fy=dpi / resolution,
                          interpolation=cv2.INTER_CUBIC)
        rows, columns = grey.shape
    x0, y0 = frame.point(left, top)
    return PageImage(np.ascontiguousarray(grey), x0, y0, (right - left) / columns,
                     (top - bottom) / rows, True)


def skew_angle(ink: np.ndarray) -> float:
    """The angle (degrees, counter-clockwise) by which the page's lines are turned: the
    angle that, turned back, makes the rows of ink sharpest (projection profile: the
    sum of squared differences between neighbouring rows' ink), searched in steps of
    0.2° and then 0.02°, on the page at half size."""
    import cv2

    small = cv2.resize(ink, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    rows, columns = small.shape
    centre = (columns / 2, rows / 2)

    def sharpness(angle: float) -> float:
        turn = cv2.getRotationMatrix2D(centre, angle, 1.0)
        turned = cv2.warpAffine(small, turn, (columns, rows), flags=cv2.INTER_NEAREST)
        profile = turned.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(profile)).sum())

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.2), key=sharpness)
    best = max(np.arange(best - 0.2, best + 0.2 + 1e-9, 0.02), key=sharpness)
    return -float(round(best, 2))


def straightened(grey: np.ndarray, angle: float) -> np.ndarray:
    """The page turned back by ``angle`` degrees about its centre (paper-white corners)."""
    import cv2

    if abs(angle) < 0.01:
        return grey
    rows, columns = grey.shape
    turn = cv2.getRotationMatrix2D((columns / 2, rows / 2), -angle, 1.0)
    return cv2.warpAffine(grey, turn, (columns, rows), flags=cv2.INTER_CUBIC,
                          borderValue=255)


# --- The cache -----------------------------------------------------------------------------

def default_cache_folder() -> Path:
    """``$CROSSWALK_OCR_CACHE``, else ``~/.cache/crosswalk/ocr`` (never inside ``build/``,
    which a build swaps whole)."""
    configured = os.environ.get("CROSSWALK_OCR_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "crosswalk" / "ocr"


class OcrCache:
    """OCR results by the page image's sha256, Tesseract's version and the settings: a
    page read once is not read again. Entries are JSON, written atomically (a temporary
    file renamed), and checked when read: a damaged entry is a miss and is rewritten.
    (A whole page's reading is kept here too: :mod:`~pipeline.extract.ocr_page_cache`.)"""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or default_cache_folder()

    @staticmethod
    def key(grey: np.ndarray, settings: OcrSettings, version: str, *context) -> str:
        """The key of what was made of the image ``grey`` with these settings and this
        Tesseract; ``context`` (JSON-able) is whatever else it depends on."""
        digest = hashlib.sha256()
        digest.update(json.dumps([CACHE_FORMAT, version, asdict(settings), grey.shape,
                                  *context]).encode())
        digest.update(np.ascontiguousarray(grey))  # its bytes, read in place (no copy)
        return digest.hexdigest()

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> list[OcrWord] | None:
        entry = self.load(key)
        try:
            return None if entry is None else words_of(entry["words"])
        except (ValueError, KeyError, TypeError, IndexError):
            return None  # damaged: read the page again

    def put(self, key: str, words: list[OcrWord]) -> None:
        self.store(key, {"words": word_rows(words)})

    def load(self, key: str) -> dict | None:
        """The entry stored under ``key``, or None when there is none, or it is damaged
        or of another format."""
        try:
            entry = json.loads(self.path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # missing or damaged: read the page again
        if not isinstance(entry, dict) or entry.get("key") != key \
                or entry.get("format") != CACHE_FORMAT:
            return None
        return entry

    def store(self, key: str, content: dict) -> None:
        """``content`` (JSON-able) stored under ``key``, whole or not at all."""
        path = self.path(key)
        entry = {"format": CACHE_FORMAT, "key": key, **content}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(entry, out, ensure_ascii=False)
            os.replace(temporary, path)
        except OSError:
            pass  # a cache that cannot be written only costs time


def word_rows(words: list[OcrWord]) -> list[list]:
    """Words as the cache stores them, a list each."""
    return [[w.text, w.left, w.top, w.width, w.height, w.confidence, w.line_top,
             w.line_height] for w in words]


def words_of(rows: list[list]) -> list[OcrWord]:
    """:func:`word_rows` read back (ValueError, TypeError or IndexError if damaged)."""
    return [OcrWord(str(w[0]), *map(int, w[1:5]), float(w[5]), int(w[6]), int(w[7]))
            for w in rows]


def cached_recognize(grey: np.ndarray, settings: OcrSettings,
                     cache: OcrCache | None,
                     engine: Callable[[np.ndarray, OcrSettings], list[OcrWord]] = recognize
                     ) -> tuple[list[OcrWord], bool]:
    """The words of the image, from the cache when it holds them; whether they did."""
    if cache is None:
        return engine(grey, settings), False
    key = OcrCache.key(grey, settings, tesseract_version() or "?")
    words = cache.get(key)
    if words is not None:
        return words, True
    words = engine(grey, settings)
    cache.put(key, words)
    return words, False


# --- What OCR did, for the later stages ----------------------------------------------------

#: The columns of the extract's ``ocr`` frame (all strings, as every raw frame).
OCR_FRAME_COLUMNS = ("source_id", "source_page", "kind", "text", "before", "confidence",
                     "x0", "top", "x1", "bottom")


def ocr_frame(source_id: str, reports: dict[int, OcrReport]):
    """One row per page read by OCR (``kind`` ``page``, ``text`` the skew turned back),
    one per word read with low confidence (``low_confidence``, with its confidence and
    box in points) and one per code read back (``code``: ``before`` → ``text``): how the
    normalize stage knows which rows came from OCR, which cells to doubt and which
    repairs to log."""
    import pandas as pd

    rows = []
    for number, report in sorted(reports.items()):
        page = str(number)
        rows.append((source_id, page, "page", f"{report.skew:.2f}", "", "", "", "", "", ""))
        for word in report.low_confidence:
            rows.append((source_id, page, "low_confidence", word["text"], "",
                         f"{word['confidence']:.0f}", *(f"{v:.1f}" for v in word["box"])))
        for repair in report.code_repairs:
            rows.append((source_id, page, "code", repair["after"], repair["before"], "",
                         *(f"{v:.1f}" for v in repair["box"])))
    return pd.DataFrame(rows, columns=list(OCR_FRAME_COLUMNS), dtype="string")
