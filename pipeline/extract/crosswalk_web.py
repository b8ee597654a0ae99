"""Extract the web rendition of the crosswalk (one page per CoE domain, e.g. 4 and 7).

The page is plain text, one logical line per physical line:

* the domain's paragraph(s);
* a note, ``Unless otherwise noted, the IECMH competencies refer to ...``, repeated
  before every category's records (it explains the level tags, it is no data);
* records, one per mapping row of the crosswalk table: a code line
  ``4A.1. <skill text>`` followed by exactly four ``key: value`` lines in a fixed
  order. A value may be empty (``Knowledge/Skill Area:`` with nothing after it, 4A.4).

The page has no category headings, so category titles cannot be taken from it; blank
lines are tolerated anywhere. Anything else is refused with the file and line rather
than guessed, because a silently skipped line would be a silently lost mapping row.

Like every extractor this only finds structure: values are kept exactly as printed
(the code too, ``4A.1.``); the transform normalizes them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pipeline.errors import PipelineError
from pipeline.extract.text_source import read_lines

if TYPE_CHECKING:
    from pipeline.sources import Source

# (label as printed, raw column, line column), in the order every record gives them.
KEYS: tuple[tuple[str, str, str], ...] = (
    ("Essential or important?", "priority_raw", "priority_line"),
    ("IECMHC Endorsement Competency", "domain_raw", "domain_line"),
    ("Knowledge/Skill Area", "area_raw", "area_line"),
    ("As Demonstrated by/Other Work Experience (and Interview)", "demonstrated_raw",
     "demonstrated_line"),
)
_LABELS = {label: index for index, (label, _, _) in enumerate(KEYS)}
NOTE_PREFIX = "Unless otherwise noted"

RECORD_COLUMNS = (
    "coe_code", "skill", *(raw for _, raw, _ in KEYS),
    "source_id", "source_line", *(line for _, _, line in KEYS),
)
PARAGRAPH_COLUMNS = ("paragraph_seq", "text", "source_id", "source_line")

# A code line: ``4A.1. text``; tolerant of ``4A. 1.`` and ``4A.1.Text`` as the table is.
_CODE_LINE = re.compile(r"^(?P<code>[1-8][A-H]\.\s?\d{1,2}(?!\d)\.?)\s*(?P<skill>.*)$")
# Something shaped like a key line: a short label without a full stop, then a colon.
_KEY_LINE = re.compile(r"^(?P<label>[^:.]{1,80}):(?:\s+(?P<value>.*))?$")


def extract(source: Source) -> dict[str, pd.DataFrame]:
    """The raw records of a web rendition of the crosswalk."""
    return extract_crosswalk_web(source.file, source.id)


def extract_crosswalk_web(path: Path, source_id: str) -> dict[str, pd.DataFrame]:
    """Raw frames of one web page: ``records`` and ``domain_paragraphs``.

    ``records`` has one row per record: ``coe_code`` as printed, ``skill``, the four raw
    values (``priority_raw``, ``domain_raw``, ``area_raw``, ``demonstrated_raw``; ``""``
    where the page leaves a value empty), ``source_line`` of the code line and the line
    of each key (``priority_line`` ...). ``domain_paragraphs`` holds the paragraphs
    before the first record. All values are strings; line numbers are 1-based ints.
    """
    parser = _Parser(str(path), source_id)
    for number, line in enumerate(read_lines(path), start=1):
        parser.feed(line, number)
    parser.finish()
    return {
        "records": pd.DataFrame(parser.records, columns=list(RECORD_COLUMNS)),
        "domain_paragraphs": pd.DataFrame(parser.paragraphs, columns=list(PARAGRAPH_COLUMNS)),
    }


class _Parser:
    """A line-at-a-time state machine: prose → (note | record)*."""

    def __init__(self, path: str, source_id: str) -> None:
        self.path = path
        self.source_id = source_id
        self.records: list[dict] = []
        self.paragraphs: list[dict] = []
        self.current: dict | None = None  # the record being read
        self.expected = 0  # index in KEYS of the next key the current record needs
        self.in_records = False  # once the first note or code line is seen, no more prose
        self.last_line = 0

    def fail(self, message: str, line: int) -> None:
        raise PipelineError(message, path=self.path, line=line,
                            hint="each record is a code line (e.g. '4A.1. ...') followed by "
                            "the keys " + ", ".join(f"'{k}:'" for k, _, _ in KEYS))

    def feed(self, text: str, number: int) -> None:
        stripped = text.strip()
        self.last_line = number if stripped else self.last_line
        if not stripped:
            return
        if stripped.startswith(NOTE_PREFIX):
            self.close(number)
            self.in_records = True
            return
        code = _CODE_LINE.match(stripped)
        if code:
            self.close(number)
            if not code.group("skill").strip():
                self.fail(f"record {code.group('code')} has no skill text", number)
            self.in_records = True
            self.current = {"coe_code": code.group("code").strip(),
                            "skill": code.group("skill").strip(),
                            "source_id": self.source_id, "source_line": number}
            self.expected = 0
            return
        key = _KEY_LINE.match(stripped)
        if key and key.group("label").strip() in _LABELS:
            self.key(key.group("label").strip(), key.group("value") or "", number)
        elif not self.in_records:
            self.paragraphs.append({"paragraph_seq": len(self.paragraphs) + 1,
                                    "text": stripped, "source_id": self.source_id,
                                    "source_line": number})
        elif key:
            self.fail(f"unknown key {key.group('label').strip()!r}", number)
        else:
            self.fail(f"unexpected line {stripped[:60]!r}: not a code line, a key line "
                      "or the 'Unless otherwise noted' note", number)

    def key(self, label: str, value: str, number: int) -> None:
        index = _LABELS[label]
        if self.current is None:
            self.fail(f"key {label!r} belongs to no record (no code line before it)", number)
        if self.expected == len(KEYS):
            self.fail(f"key {label!r} after record {self.current['coe_code']} (line "
                      f"{self.current['source_line']}) is complete: a record without its "
                      "code line?", number)
        if index != self.expected:
            self.fail(f"key {label!r} out of order in record {self.current['coe_code']} "
                      f"(line {self.current['source_line']}): expected "
                      f"{KEYS[self.expected][0]!r}", number)
        _, raw, line = KEYS[index]
        self.current[raw] = value.strip()
        self.current[line] = number
        self.expected += 1

    def close(self, number: int) -> None:
        """End the current record at ``number`` (where the next thing starts)."""
        if self.current is None:
            return
        if self.expected < len(KEYS):
            self.fail(f"record {self.current['coe_code']} (line "
                      f"{self.current['source_line']}) lacks the key "
                      f"{KEYS[self.expected][0]!r}", number)
        self.records.append(self.current)
        self.current = None

    def finish(self) -> None:
        self.close(number=self.last_line)
        if not self.records:
            raise PipelineError("no records found (no line like '4A.1. ...')", path=self.path)
