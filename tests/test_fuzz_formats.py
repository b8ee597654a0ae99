"""Fuzzing every source format through the real CLI (issue "Hostile and huge inputs", item 7).

Each example mutates one real input — the web records, the CT-AIMH HTML, the Illinois
flyer, the manifest raw/sources.toml, or the bytes of a crosswalk PDF — then runs
``crosswalk sources --update`` and ``crosswalk build`` into a folder holding a previous
build. The one check (``fuzz_build`` in conftest.py): exit 0, 1 or 2; no traceback and no
"unexpected …, report it"; an error names its file first; each command under 60 s and
1.5 GiB of peak memory growth; a failed build leaves the published files byte for byte and
no ``.build-tmp-*`` folder.

Mutations are the damage real files suffer: lines dropped, doubled, swapped or cut; a file
cut in the middle (even inside a UTF-8 character); random bytes, a BOM, NUL or control
characters inside a line; a tab removed or doubled; HTML tags broken, unclosed or doubled;
numbers and codes changed; a manifest naming a missing file, an unknown format or a value
of the wrong type; PDF bytes flipped, cut, doubled or deleted inside and outside its
streams. Hypothesis is derandomized, so CI runs the same examples every time; the bugs the
search found are kept as named regressions below, whatever the search does next.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
PDF = ROOT / "tests" / "fixtures" / "crosswalk-domain-1-ruled.pdf"
WEB = "crosswalk-section-4-reflective-practice.txt"
MENTOR = "ct-aimh-mentor-competency-guidelines.txt"
ILLINOIS = "illinois-iecmhc-competencies.txt"
MANIFEST = "sources.toml"


def fuzz_settings(examples: int):
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])


# --- Mutations of a text file (bytes in, bytes out) -----------------------------------------

#: Characters a file picks up on its way: BOM, NUL, controls, odd line and space marks.
STRAY = ["\ufeff", "\x00", "\x01", "\x0b", "\x0c", "\x1b", "\x7f", "\r", "\x85", "\u2028",
         "\u200b", "\u00a0", "\ufffd", "\udcff"]
TAG = re.compile(rb"</?[A-Za-z][^<>]*>")
NUMBER = re.compile(rb"\d+")


def _at(items: list, index: int) -> int:
    return index % len(items) if items else 0


def _line_change(lines: list[bytes], change: tuple) -> list[bytes]:
    kind, index, *rest = change
    lines = list(lines)
    # A line with something on it (blank lines are many and would make most changes no-ops).
    filled = [n for n, line in enumerate(lines) if line.strip()] or [0]
    i = filled[_at(filled, index)]
    line = lines[i]
    cut = int(len(line) * rest[0]) if rest and isinstance(rest[0], float) else 0
    if kind == "drop":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, line)
    elif kind == "repeat":
        lines[i:i + 1] = [line] * rest[0]
    elif kind == "swap":
        j = _at(lines, rest[0])
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "truncate":
        lines[i] = line[:cut]
    elif kind == "bytes":
        lines[i] = line[:cut] + rest[1] + line[cut:]
    elif kind == "stray":
        lines[i] = line[:cut] + rest[1].encode("utf-8", "surrogatepass") + line[cut:]
    elif kind == "tab":
        if b"\t" in line:
            lines[i] = line.replace(b"\t", b"" if rest[0] == "remove" else b"\t\t", 1)
    elif kind == "colon":
        if b": " in line:
            lines[i] = line.replace(b": ", b"" if rest[0] == "remove" else b": : ", 1)
    elif kind == "number":
        numbers = list(NUMBER.finditer(line))
        if numbers:
            found = numbers[_at(numbers, rest[0])]
            lines[i] = line[:found.start()] + str(rest[1]).encode() + line[found.end():]
    elif kind == "tag":
        tags = list(TAG.finditer(line))
        if tags:
            found = tags[_at(tags, rest[0])]
            tag, how = found.group(), rest[1]
            new = {"delete": b"", "double": tag + tag, "unclose": tag[:-1],
                   "unopen": tag[1:], "open-closing": tag.replace(b"</", b"<", 1),
                   "close-opening": b"</" + tag[1:] if not tag.startswith(b"</") else tag,
                   "nest": tag + b"<div><p><i>"}[how]
            lines[i] = line[:found.start()] + new + line[found.end():]
    return lines


def mutate_text(data: bytes, changes: list[tuple]) -> bytes:
    for change in changes:
        if change[0] == "cut":
            data = data[:int(len(data) * change[1])]
        else:
            data = b"\n".join(_line_change(data.split(b"\n"), change))
    return data


def _text_mutation(extra: list[st.SearchStrategy]) -> st.SearchStrategy:
    line = st.integers(min_value=0, max_value=10_000)
    where = st.floats(0, 1)
    return st.one_of(
        st.tuples(st.just("drop"), line),
        st.tuples(st.just("duplicate"), line),
        st.tuples(st.just("repeat"), line, st.sampled_from([2, 50, 500])),
        st.tuples(st.just("swap"), line, line),
        st.tuples(st.just("truncate"), line, where),
        st.tuples(st.just("bytes"), line, where, st.binary(min_size=1, max_size=12)),
        st.tuples(st.just("stray"), line, where, st.sampled_from(STRAY)),
        st.tuples(st.just("cut"), where),
        st.tuples(st.just("number"), line, st.integers(0, 20),
                  st.sampled_from([0, 1, 3, 9, 10, 99, 4294967296, -1])),
        *extra,
    )


TAB = st.tuples(st.just("tab"), st.integers(0, 10_000), st.sampled_from(["remove", "double"]))
COLON = st.tuples(st.just("colon"), st.integers(0, 10_000), st.sampled_from(["remove", "double"]))
HTML_TAG = st.tuples(st.just("tag"), st.integers(0, 10_000), st.integers(0, 400),
                     st.sampled_from(["delete", "double", "unclose", "unopen", "open-closing",
                                      "close-opening", "nest"]))
TEXT_MUTATIONS = {
    WEB: _text_mutation([COLON]),
    MENTOR: _text_mutation([TAB, HTML_TAG, HTML_TAG]),
    ILLINOIS: _text_mutation([COLON]),
}


def _workspace(tmp_path_factory, previous_published: Path) -> tuple[Path, Path]:
    work = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(RAW, work / "raw")
    shutil.copytree(previous_published, work / "build")
    return work / "raw", work / "build"


def _exit(result) -> str:
    """The example's outcome, for ``--hypothesis-show-statistics``."""
    return f"exit {result.exit_code}"


def _fuzz_text_source(tmp_path_factory, previous_published, fuzz_build, name, changes):
    raw, out = _workspace(tmp_path_factory, previous_published)
    (raw / name).write_bytes(mutate_text((RAW / name).read_bytes(), changes))
    return fuzz_build(raw, out)


@pytest.mark.slow
@fuzz_settings(12)
@given(changes=st.lists(TEXT_MUTATIONS[WEB], min_size=1, max_size=3))
def test_fuzzed_web_records(tmp_path_factory, previous_published, fuzz_build, changes):
    event(_exit(_fuzz_text_source(tmp_path_factory, previous_published, fuzz_build, WEB,
                                  changes)))


@pytest.mark.slow
@fuzz_settings(12)
@given(changes=st.lists(TEXT_MUTATIONS[MENTOR], min_size=1, max_size=3))
def test_fuzzed_ct_aimh_html(tmp_path_factory, previous_published, fuzz_build, changes):
    event(_exit(_fuzz_text_source(tmp_path_factory, previous_published, fuzz_build, MENTOR,
                                  changes)))


@pytest.mark.slow
@fuzz_settings(12)
@given(changes=st.lists(TEXT_MUTATIONS[ILLINOIS], min_size=1, max_size=3))
def test_fuzzed_illinois_flyer(tmp_path_factory, previous_published, fuzz_build, changes):
    event(_exit(_fuzz_text_source(tmp_path_factory, previous_published, fuzz_build, ILLINOIS,
                                  changes)))


# --- The manifest ---------------------------------------------------------------------------

MANIFEST_KEYS = ["id", "path", "format", "title", "publisher", "year", "citation", "copyright",
                 "permission", "redistribution", "url", "sha256", "settings", "expect",
                 "limits", "domains", "reverse_table", "reverse_areas", "areas_of_expertise",
                 "statements", "competencies"]
#: TOML values of every type, for a key that wants another.
TOML_VALUES = ['5', '-1', '0', '3.5', 'true', '"x"', '""', '"../x"', '[1, 2]', '[]',
               '{ a = 1 }', '1979-05-27', '"nope.txt"', '"word-doc"', '9999999999999999999']
HEADERS = [b"[[source]]", b"[source]", b"[[sources]]", b"[source.expect]", b"[[source.expect]]",
           b"[source.settings]", b"[source.expects]", b"[source.settings.x]"]


def _source_spans(lines: list[bytes]) -> list[tuple[int, int]]:
    starts = [i for i, line in enumerate(lines) if line.strip() == b"[[source]]"]
    return [(start, end) for start, end in zip(starts, starts[1:] + [len(lines)])]


def mutate_manifest(data: bytes, changes: list[tuple]) -> bytes:
    for change in changes:
        kind, *rest = change
        lines = data.split(b"\n")
        spans = _source_spans(lines)
        if kind in ("set", "drop-key") and spans:
            start, end = spans[_at(spans, rest[0])]
            key = rest[1].encode()
            found = next((i for i in range(start, end)
                          if re.match(rb"\s*" + key + rb"\s*=", lines[i])), None)
            if kind == "drop-key":
                if found is not None:
                    del lines[found]
            else:
                line = key + b" = " + rest[2].encode()
                if found is None:
                    lines.insert(start + 1, line)
                else:
                    lines[found] = line
        elif kind == "header":
            headers = [i for i, line in enumerate(lines) if line.strip().startswith(b"[")]
            if headers:
                lines[headers[_at(headers, rest[0])]] = rest[1]
        elif kind == "cut":
            data = data[:int(len(data) * rest[0])]
            continue
        else:
            lines = _line_change(lines, change)
        data = b"\n".join(lines)
    return data


MANIFEST_MUTATION = st.one_of(
    st.tuples(st.just("set"), st.integers(0, 20), st.sampled_from(MANIFEST_KEYS),
              st.sampled_from(TOML_VALUES)),
    st.tuples(st.just("drop-key"), st.integers(0, 20), st.sampled_from(MANIFEST_KEYS)),
    st.tuples(st.just("header"), st.integers(0, 20), st.sampled_from(HEADERS)),
    _text_mutation([]),
)


@pytest.mark.slow
@fuzz_settings(20)
@given(changes=st.lists(MANIFEST_MUTATION, min_size=1, max_size=2))
def test_fuzzed_manifest(tmp_path_factory, previous_published, fuzz_build, changes):
    raw, out = _workspace(tmp_path_factory, previous_published)
    (raw / MANIFEST).write_bytes(mutate_manifest((RAW / MANIFEST).read_bytes(), changes))
    event(_exit(fuzz_build(raw, out)))


# --- PDF bytes ------------------------------------------------------------------------------

PDF_NAME = "crosswalk-domain-1-ruled.pdf"
PDF_MANIFEST = (f'[[source]]\nid = "crosswalk-pdf"\npath = "{PDF_NAME}"\n'
                'format = "crosswalk-table-pdf"\ntitle = "t"\npublisher = "p"\ncitation = "c"\n'
                'permission = "p"\nredistribution = "verbatim-with-credit"\n'
                f'sha256 = "{"0" * 64}"\n')
STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)


def _position(data: bytes, inside: bool, where: float) -> int:
    """A byte offset inside one of the streams of ``data`` (or outside every one)."""
    streams = [m.span(1) for m in STREAM.finditer(data)]
    if inside:
        spans = streams or [(0, len(data))]
    else:
        ends = [0] + [end for _, end in streams]
        starts = [start for start, _ in streams] + [len(data)]
        spans = [(a, b) for a, b in zip(ends, starts) if b > a] or [(0, len(data))]
    total = sum(b - a for a, b in spans)
    offset = int(total * where)
    for a, b in spans:
        if offset < b - a:
            return a + offset
        offset -= b - a
    return len(data)


def mutate_pdf(data: bytes, changes: list[tuple]) -> bytes:
    for kind, inside, where, *rest in changes:
        at = _position(data, inside, where)
        if kind == "flip":
            if at < len(data):
                data = data[:at] + bytes([data[at] ^ (1 << rest[0])]) + data[at + 1:]
        elif kind == "truncate":
            data = data[:at]
        elif kind == "duplicate":
            data = data[:at + rest[0]] + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + rest[0]:]
        elif kind == "insert":
            data = data[:at] + rest[0] + data[at:]
    return data


_inside, _where = st.booleans(), st.floats(0, 1)
PDF_MUTATION = st.one_of(
    st.tuples(st.just("flip"), _inside, _where, st.integers(0, 7)),
    st.tuples(st.just("truncate"), _inside, _where),
    st.tuples(st.just("duplicate"), _inside, _where, st.integers(1, 4096)),
    st.tuples(st.just("delete"), _inside, _where, st.integers(1, 4096)),
    st.tuples(st.just("insert"), _inside, _where, st.binary(min_size=1, max_size=16)),
)


def _fuzz_pdf(tmp_path_factory, previous_published, fuzz_build, changes, engine="pdfplumber"):
    raw, out = _workspace(tmp_path_factory, previous_published)
    for path in raw.iterdir():
        path.unlink()
    (raw / PDF_NAME).write_bytes(mutate_pdf(PDF.read_bytes(), changes))
    (raw / MANIFEST).write_text(PDF_MANIFEST + f'[source.settings]\nengine = "{engine}"\n',
                                encoding="utf-8")
    return fuzz_build(raw, out)


@pytest.mark.slow
@fuzz_settings(20)
@given(changes=st.lists(PDF_MUTATION, min_size=1, max_size=3),
       engine=st.sampled_from(["pdfplumber", "camelot"]))
def test_fuzzed_pdf_bytes(tmp_path_factory, previous_published, fuzz_build, changes, engine):
    event(_exit(_fuzz_pdf(tmp_path_factory, previous_published, fuzz_build, changes, engine)))


# --- What the search found: named regressions -----------------------------------------------

REGRESSIONS = [
    # (the file mutated — for the PDF, its engine — and the mutations, as the search drew them)
    # A manifest value of the wrong type reached code that wanted text: "unexpected TypeError:
    # unsupported operand type(s) for /: 'PosixPath' and 'int'" (pipeline/sources.py).
    pytest.param(MANIFEST, [("set", 0, "id", "5")], id="manifest-id-is-a-number"),
    pytest.param(MANIFEST, [("set", 1, "path", "5")], id="manifest-path-is-a-number"),
    pytest.param(MANIFEST, [("set", 2, "format", "[1, 2]")], id="manifest-format-is-a-list"),
    pytest.param(MANIFEST, [("set", 3, "year", '"2023"')], id="manifest-year-is-text"),
    # camelot's PDF library logs a damaged font with its traceback; the notice printed it
    # (pipeline/cli/__init__.py). The build itself failed rightly, naming file and page.
    pytest.param("camelot", [("insert", False, 0.4380692401218337, b"\x93")],
                 id="pdf-damaged-font-widths-notice-without-traceback"),
]


@pytest.mark.parametrize("name, changes", REGRESSIONS)
def test_fuzz_regression(tmp_path_factory, previous_published, fuzz_build, name, changes):
    if name == MANIFEST:
        raw, out = _workspace(tmp_path_factory, previous_published)
        (raw / MANIFEST).write_bytes(mutate_manifest((RAW / MANIFEST).read_bytes(), changes))
        result = fuzz_build(raw, out)
        assert result.exit_code == 2 and f"{raw / MANIFEST}: [[source]] number" in result.output
    elif name in ("pdfplumber", "camelot"):
        _fuzz_pdf(tmp_path_factory, previous_published, fuzz_build, changes, engine=name)
    else:
        _fuzz_text_source(tmp_path_factory, previous_published, fuzz_build, name, changes)
