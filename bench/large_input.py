"""Make a crosswalk text export about 100 times the size of the real one.

Every mapping row of the real export is followed by ``factor - 1`` copies written as
``See above.`` rows (the way the document itself repeats a competency for each mapping),
so the result is a valid document with ~100× the rows, not the same rows twice (which
the pipeline rightly refuses as duplicate competency codes).

Used by `make bench` (time and peak memory of a build on it) and by the test that a
large input finishes.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from pipeline.sources import update_checksums

SOURCE = "coe-alliance-crosswalk-2023.txt"
_ROW = re.compile(r"^(?P<cat>[^\t]*)\t(?P<code>[1-8][A-H]\.\s?\d{1,2})[^\t]*\t(?P<rest>[^\t]*\t.*)$")


def enlarge(text: str, factor: int) -> str:
    lines = text.split("\n")
    out = []
    for number, line in enumerate(lines):
        out.append(line)
        match = _ROW.match(line)
        following = lines[number + 1] if number + 1 < len(lines) else ""
        # A row continued on the next line is left alone: its copies would lack the tail.
        continued = following.count("\t") == 5 and not following.split("\t")[1].strip()
        if match and line.count("\t") == 5 and not continued:
            category = match.group("cat").split(".")[0] + "." if match.group("cat") else ""
            copy = f"{category}\t{match.group('code')}. See above.\t{match.group('rest')}"
            out.extend([copy] * (factor - 1))
    return "\n".join(out)


def make_raw(raw: Path, target: Path, factor: int = 100) -> Path:
    """A copy of ``raw`` whose crosswalk export is ``factor`` times larger."""
    shutil.copytree(raw, target)
    path = target / SOURCE
    path.write_text(enlarge(path.read_text(encoding="utf-8"), factor), encoding="utf-8")
    update_checksums(target)
    return target


if __name__ == "__main__":
    make_raw(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 100)
