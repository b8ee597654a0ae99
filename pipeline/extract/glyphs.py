"""Glyphs a PDF maps to no character, resolved from the document's own key or refused.

A PDF may draw a mark through a font with no Unicode map: pdfminer then gives the glyph
as ``(cid:N)``; a font of symbols may give a private-use code point; a broken converter
leaves U+FFFD. Published as is, the priority ``(cid:127)`` would become a note, and an
empty one a silent null. Two ways out, in this order:

1. **The font's own encoding.** A Symbol-font glyph in the private-use area carries the
   Symbol code it was drawn with (U+F0B7 is Symbol's bullet): mapped by that encoding.
2. **The document's key.** The crosswalk says what its marks mean — a legend
   (``* Essential``, ``• • • Important``) and prose (``an approximately equal to sign
   (≈)``). Where the key's mark is itself unreadable, the key still tells what it stands
   for: ``(cid:1) Essential`` makes every ``(cid:1)`` an Essential mark.

Whatever is left unreadable in a table cell or a domain's paragraph stops the build,
naming the file, the page or line, the row and the column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from pipeline.errors import PipelineError

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from pipeline.extract.crosswalk_table import Record

UNREADABLE = re.compile(r"\(cid:\d+\)|[\ufffd\ue000-\uf8ff]")
_MARK = rf"(?:(?:{UNREADABLE.pattern})\s*)+"

#: The Symbol font's codes of the marks the crosswalk uses, as fonts of symbols put them
#: in the private-use area (U+F000 + code).
SYMBOL_FONT_MARKS = {0xF02A: "*", 0xF0B7: "•", 0xF0BC: "…", 0xF0BB: "≈", 0xF0B9: "≠",
                     0xF03D: "="}

# A legend line of the key: the mark, then the priority it stands for.
_LEGEND = re.compile(rf"^\s*(?P<mark>{_MARK})\s*(?:=\s*)?(?P<name>Essential|Important)\b",
                     re.IGNORECASE)
# The key in prose: the mark's name, then the mark in parentheses.
_NAMED = re.compile(rf"(?P<name>not equal to|approximately equal to|equal|asterisk|ellips[ie]s)"
                    rf"\b[^()]{{0,24}}\(\s*(?P<mark>{_MARK})\s*\)", re.IGNORECASE)
_MEANING = {"essential": "*", "asterisk": "*", "important": "•", "ellipses": "•",
            "ellipsis": "•", "not equal to": "≠", "approximately equal to": "≈", "equal": "="}


def winansi_unused_codes() -> frozenset[int]:
    """Codes above 32 that WinAnsiEncoding assigns no glyph. The PDF reference (Appendix
    D, note 6) says of them: "In WinAnsiEncoding, all unused codes greater than 40 map
    to the bullet character" — a font so encoded draws a bullet for them.

    >>> 127 in winansi_unused_codes(), 65 in winansi_unused_codes()
    (True, False)
    """
    from pdfminer.latin_enc import ENCODING

    used = {win for *_, win, _pdf in ENCODING if win is not None}
    return frozenset(code for code in range(33, 256) if code not in used)


def page_font_glyphs(page) -> dict[str, str]:
    """``(cid:N)`` → the character the font's own encoding gives it, for the glyphs of a
    pdfplumber page that pdfminer could not map: a code WinAnsiEncoding leaves unused
    is a bullet. A glyph two fonts of the page would read differently is left out."""
    from pdfminer.pdftypes import resolve1

    unmapped = {(c["fontname"], c["text"]) for c in page.chars if c["text"].startswith("(cid:")}
    if not unmapped:
        return {}
    encodings = {}
    for font in (resolve1(page.page_obj.resources.get("Font")) or {}).values():
        font = resolve1(font)
        encoding = resolve1(font.get("Encoding"))
        if isinstance(encoding, dict):  # Differences on a base: the base decides unused codes
            encoding = resolve1(encoding.get("BaseEncoding"))
        encodings[str(getattr(resolve1(font.get("BaseFont")), "name", ""))] = str(
            getattr(encoding, "name", encoding))
    unused = winansi_unused_codes()
    found: dict[str, str | None] = {}
    for fontname, glyph in unmapped:
        code = int(glyph[5:-1])
        char = "•" if encodings.get(fontname) == "WinAnsiEncoding" and code in unused else None
        found[glyph] = char if found.get(glyph, char) == char else None
    return {glyph: char for glyph, char in found.items() if char is not None}


def learn_key(lines: Iterable[str]) -> dict[str, str]:
    """Unreadable glyph → the mark the document's key says it is.

    >>> learn_key(["(cid:1) Essential", "(cid:2) (cid:2) (cid:2) Important"])
    {'(cid:1)': '*', '(cid:2)': '•'}
    >>> learn_key(["areas marked with an approximately equal to sign ((cid:7)) boxed in yellow"])
    {'(cid:7)': '≈'}
    >>> learn_key(["The Essential competencies are those that most urgently need"])
    {}
    """
    learned: dict[str, str] = {}
    for line in lines:
        if not UNREADABLE.search(line):
            continue
        for match in [_LEGEND.match(line), *_NAMED.finditer(line)]:
            if match is None:
                continue
            meaning = _MEANING[match.group("name").lower()]
            glyphs = UNREADABLE.findall(match.group("mark"))
            if meaning == "•" and len(glyphs) == 1:
                meaning = "…"  # one glyph for the whole ellipsis
            for glyph in glyphs:
                if learned.setdefault(glyph, meaning) != meaning:
                    raise ValueError(f"the document's key gives {glyph} two meanings: "
                                     f"{learned[glyph]!r} and {meaning!r}")
    return learned


def resolve(text: str, learned: dict[str, str]) -> str:
    """``text`` with every glyph the font encoding or the key resolves replaced.

    >>> resolve("\\uf0b7\\uf0b7\\uf0b7", {}), resolve("(cid:1)", {"(cid:1)": "*"})
    ('•••', '*')
    """
    if not UNREADABLE.search(text):
        return text

    def mapped(match: re.Match[str]) -> str:
        glyph = match.group()
        if len(glyph) == 1 and ord(glyph) in SYMBOL_FONT_MARKS:
            return SYMBOL_FONT_MARKS[ord(glyph)]
        return learned.get(glyph, glyph)

    return UNREADABLE.sub(mapped, text)


def resolve_records(records: Iterable[Record], path: Path) -> list[Record]:
    """The records with every glyph resolved that can be (see the module docstring)."""
    records = list(records)
    try:
        learned = learn_key(r.text for r in records if r.fields is None)
    except ValueError as error:
        raise PipelineError(str(error), path=str(path),
                            hint="check the key (legend) of the document") from None
    return [r if not _has_unreadable(r) else
            replace(r, text=resolve(r.text, learned),
                    fields=None if r.fields is None else tuple(resolve(f, learned)
                                                               for f in r.fields))
            for r in records]


def _has_unreadable(record: Record) -> bool:
    return bool(UNREADABLE.search(record.text)
                or (record.fields is not None
                    and any(UNREADABLE.search(f) for f in record.fields)))


def refuse_unreadable(frame: pd.DataFrame, columns: dict[str, str], path: Path, unit: str,
                      row_label: str) -> None:
    """Stop at the first cell of ``columns`` (frame column → the name the document gives
    it) that still holds an unreadable glyph, naming the page or line, row and column."""
    present = [column for column in columns if column in frame.columns]
    # One search over every cell first: almost always nothing is found, and a search per
    # column through pandas costs more than the rest of the assembly.
    if not UNREADABLE.search("\n".join(map(str, frame[present].to_numpy().ravel().tolist()))):
        return
    for column, label in columns.items():
        if column not in present:
            continue
        hit = frame[column].astype(str).str.contains(UNREADABLE, regex=True)
        if not hit.any():
            continue
        row = frame[hit].iloc[0]
        at = row.get("source_page") if unit == "page" else row.get("source_line")
        glyph = UNREADABLE.search(str(row[column])).group()
        raise PipelineError(
            f"row {str(row[row_label]).strip()[:40]!r}, column {label!r}: the glyph {glyph!r} "
            f"maps to no character (a font without a Unicode map)",
            path=str(path), **{unit: None if at is None else int(at)},
            hint="the document's key does not name this mark either; re-export the PDF "
                 "with its text (fonts with a Unicode map), or read the text export")
