"""Make a scanned copy of a PDF: every page an image, no text layer — what an office
scanner makes of a printed copy.

Each page is rendered with pypdfium2 at ``--dpi``, turned grey, then damaged as a scan
is: turned by up to ``--skew`` degrees (each page its own angle), blurred, speckled
with noise, and compressed as a JPEG of quality ``--jpeg``. The JPEG is written into
a new page of the same size as the only thing on it, at its native resolution. The
damage is drawn from ``--seed``: the same arguments make the same file.

    python tools/make_scanned_pdf.py IN.pdf OUT.pdf --dpi 200 --skew 0.6 --noise 8 \\
        --blur 0.6 --jpeg 60 --seed 1 [--pages 1-4] [--smudge PAGE:X0,TOP,X1,BOTTOM]

``--smudge`` covers a box (PDF points, pdfplumber's frame: origin top left) of one page
with a grey blot, to make a cell the OCR reads badly (the tests' low-confidence cell).
"""

from __future__ import annotations

import argparse
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class ScanDamage:
    """What the scanner does to each page."""

    dpi: int = 200
    skew: float = 0.6  # degrees, the largest turn; each page draws its own
    blur: float = 0.6  # Gaussian sigma, pixels
    noise: float = 8.0  # standard deviation of the grey noise, of 255
    jpeg: int = 60  # JPEG quality
    seed: int = 1


def scan(source: Path, target: Path, damage: ScanDamage = ScanDamage(),
         pages: list[int] | None = None,
         smudges: dict[int, list[tuple[float, float, float, float]]] | None = None) -> int:
    """Write ``target``, the scanned copy of ``source`` (its ``pages``, 1-based, or all);
    the number of pages written."""
    import pypdfium2

    smudges = smudges or {}
    rng = np.random.default_rng(damage.seed)
    document = pypdfium2.PdfDocument(source)
    scanned = pypdfium2.PdfDocument.new()
    numbers = pages or list(range(1, len(document) + 1))
    try:
        for number in numbers:
            page = document[number - 1]
            width, height = page.get_size()
            image = page.render(scale=damage.dpi / 72, grayscale=True).to_pil().convert("L")
            page.close()
            pixels = np.asarray(image, dtype=np.float32)
            for box in smudges.get(number, []):
                pixels = _smudge(pixels, box, damage.dpi / 72, rng)
            jpeg = _damaged_jpeg(pixels, damage, rng)
            _add_image_page(scanned, jpeg, width, height)
        scanned.save(target)
    finally:
        scanned.close()
        document.close()
    return len(numbers)


def _damaged_jpeg(pixels: np.ndarray, damage: ScanDamage, rng: np.random.Generator) -> bytes:
    import cv2
    from PIL import Image

    angle = float(rng.uniform(-damage.skew, damage.skew))
    rows, columns = pixels.shape
    turn = cv2.getRotationMatrix2D((columns / 2, rows / 2), angle, 1.0)
    pixels = cv2.warpAffine(pixels, turn, (columns, rows), flags=cv2.INTER_LINEAR,
                            borderValue=255.0)
    if damage.blur > 0:
        pixels = cv2.GaussianBlur(pixels, (0, 0), damage.blur)
    pixels = pixels + rng.normal(0, damage.noise, pixels.shape).astype(np.float32)
    grey = np.clip(pixels, 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(grey, "L").save(buffer, "JPEG", quality=damage.jpeg,
                                    dpi=(damage.dpi, damage.dpi))
    return buffer.getvalue()


def _smudge(pixels: np.ndarray, box: tuple[float, float, float, float], scale: float,
            rng: np.random.Generator) -> np.ndarray:
    """A grey blot over ``box`` (points): the paper greyed and speckled, the ink faded —
    the text under it still there, hard to read."""
    x0, top, x1, bottom = (round(v * scale) for v in box)
    region = pixels[top:bottom, x0:x1]
    blot = rng.uniform(150, 235, region.shape).astype(np.float32)
    pixels = pixels.copy()
    pixels[top:bottom, x0:x1] = np.minimum(region + 100, blot)
    return pixels


def _add_image_page(document, jpeg: bytes, width: float, height: float) -> None:
    """A page ``width`` × ``height`` points holding only the JPEG, stretched over it."""
    import pypdfium2

    page = document.new_page(width, height)
    image = pypdfium2.PdfImage.new(document)
    image.load_jpeg(io.BytesIO(jpeg), inline=False)
    image.set_matrix(pypdfium2.PdfMatrix().scale(width, height))
    page.insert_obj(image)
    page.gen_content()
    page.close()


def _pages(spec: str | None) -> list[int] | None:
    if not spec:
        return None
    numbers: list[int] = []
    for part in spec.split(","):
        first, _, last = part.partition("-")
        numbers.extend(range(int(first), int(last or first) + 1))
    return numbers


def _smudge_arg(spec: str) -> tuple[int, tuple[float, float, float, float]]:
    page, _, box = spec.partition(":")
    x0, top, x1, bottom = (float(v) for v in box.split(","))
    return int(page), (x0, top, x1, bottom)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--skew", type=float, default=0.6)
    parser.add_argument("--blur", type=float, default=0.6)
    parser.add_argument("--noise", type=float, default=8.0)
    parser.add_argument("--jpeg", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pages", help="e.g. 1-4 or 1,3 (default: all)")
    parser.add_argument("--smudge", action="append", type=_smudge_arg, default=[],
                        help="PAGE:X0,TOP,X1,BOTTOM in points; may repeat")
    args = parser.parse_args()
    smudges: dict[int, list] = {}
    for page, box in args.smudge:
        smudges.setdefault(page, []).append(box)
    damage = ScanDamage(args.dpi, args.skew, args.blur, args.noise, args.jpeg, args.seed)
    count = scan(args.source, args.target, damage, _pages(args.pages), smudges)
    print(f"{args.target}: {count} scanned pages at {args.dpi} dpi")


if __name__ == "__main__":
    main()
