"""Extract the Illinois Model I/ECMHC competencies flyer.

The flyer text has a title and an introduction, then eight headings ``#1: Title.``,
each followed by its description. Flyer furniture is laid out among them (after #2 in
this edition): the publisher's address and e-mail, a ``bit.ly`` link, ``Scan the QR
code`` and a bulleted list of camera instructions.

What belongs to a competency is decided by one rule, not by where the noise happens to
sit: a block (lines up to a blank line) between a heading and the next heading is part
of the description iff it is *prose* (see :func:`prose_problem`). Everything else, and
everything before the first heading, is returned in ``dropped`` with the reason, so a
reviewer can see that nothing of substance was left out.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pipeline.errors import PipelineError
from pipeline.extract.text_source import read_lines
from pipeline.metadata import FLYER_CONTACT

if TYPE_CHECKING:
    from pipeline.sources import Source

COMPETENCY_COLUMNS = ("number", "title", "description", "source_id", "source_line",
                      "description_line")
DROPPED_COLUMNS = ("text", "reason", "source_id", "source_line")
_HEADING = re.compile(r"^#\s*(?P<number>\d{1,2})\s*:\s*(?P<title>\S.*)$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•○]|\d+[.)])\s+")
_MIN_WORDS = 8


def prose_problem(block: str) -> str | None:
    """Why a block of the flyer is not description prose, or None if it is.

    Prose has at least 8 words, ends a sentence (``.``, ``!``, ``?``), is not a list,
    and holds no e-mail address, URL or link: contact blocks and instructions fail.

    >>> prose_problem("Consultants engage families, providers, programs, and systems "
    ...               "in genuine and collaborative relationships.") is None
    True
    >>> prose_problem("Scan the QR code")
    'fewer than 8 words'
    >>> prose_problem("- Open the camera app")
    'a list item'
    >>> prose_problem("Governor's Office of Early Childhood Development GOV.OECD@illinois.gov")
    'an e-mail address or link'
    """
    text = " ".join(block.split())
    if _LIST_ITEM.match(block):
        return "a list item"
    if FLYER_CONTACT.search(text):
        return "an e-mail address or link"
    if len(text.split()) < _MIN_WORDS:
        return f"fewer than {_MIN_WORDS} words"
    if not text.endswith((".", "!", "?", '."', ".”")):
        return "no sentence end"
    return None


def extract(source: Source) -> dict[str, pd.DataFrame]:
    """The raw competencies of the Illinois flyer, and the lines it dropped."""
    return extract_illinois(source.file, source.id)


def extract_illinois(path: Path, source_id: str) -> dict[str, pd.DataFrame]:
    """Raw frames ``competencies`` (one row per heading) and ``dropped`` (the noise).

    ``competencies``: ``number`` and ``title`` as printed (title with its period),
    ``description`` = the heading's prose blocks joined by a space, ``source_line`` of
    the heading and ``description_line`` of its first prose block.
    """
    competencies: list[dict] = []
    dropped: list[dict] = []
    for text, line in _blocks(read_lines(path)):
        heading = _HEADING.match(text)
        if heading:
            competencies.append({"number": heading.group("number"),
                                 "title": heading.group("title").strip(),
                                 "description": "", "source_id": source_id,
                                 "source_line": line, "description_line": None})
            continue
        problem = prose_problem(text) if competencies else "before the first competency"
        if problem:
            dropped.append({"text": text, "reason": problem, "source_id": source_id,
                            "source_line": line})
            continue
        current = competencies[-1]
        current["description"] = " ".join(filter(None, (current["description"], text)))
        current["description_line"] = current["description_line"] or line
    _check(competencies, str(path))
    return {"competencies": pd.DataFrame(competencies, columns=list(COMPETENCY_COLUMNS)),
            "dropped": pd.DataFrame(dropped, columns=list(DROPPED_COLUMNS))}


def _blocks(lines: list[str]):
    """(text, first line) of each run of non-blank lines. A heading is a block of its
    own, and so is each list item, so neither can be glued to a neighbouring paragraph."""
    block: list[str] = []
    start = 0
    for number, raw in enumerate([*lines, ""], start=1):
        line = raw.strip()
        alone = bool(_HEADING.match(line) or _LIST_ITEM.match(line))
        if block and (not line or alone):
            yield "\n".join(block), start
            block = []
        if not line:
            continue
        if _HEADING.match(line):
            yield line, number
            continue
        if not block:
            start = number
        block.append(line)


def _check(competencies: list[dict], path: str) -> None:
    if not competencies:
        raise PipelineError("no competency headings ('#1: Title.') found", path=path)
    for expected, row in enumerate(competencies, start=1):
        if int(row["number"]) != expected:
            raise PipelineError(f"competency #{row['number']} where #{expected} was expected",
                                path=path, line=row["source_line"])
        if not row["description"]:
            raise PipelineError(f"competency #{row['number']} has no description paragraph",
                                path=path, line=row["source_line"],
                                hint="a description is prose: a sentence of 8 words or more")


def check_complete(source: Source, frames: dict[str, pd.DataFrame]) -> None:
    """Where the manifest declares it (``[source.expect]`` ``competencies = 8``), the flyer
    holds that many competencies. Their numbering (#1, #2 … without a gap) and a
    description for each are checked as they are read (:func:`extract_illinois`)."""
    expected = source.expect.get("competencies")
    competencies = frames["competencies"]
    if expected is None or len(competencies) == expected:
        return
    last = competencies.iloc[-1]
    raise PipelineError(
        f"{len(competencies)} competencies (#1 to #{last['number']}), the manifest expects "
        f"{expected}; the last read is #{last['number']} at line {last['source_line']}",
        path=str(source.file), line=int(last["source_line"]),
        hint="fewer: the file may be cut off — restore the document; if the flyer changed, "
        "set `competencies` in the source's [source.expect] in raw/sources.toml")
