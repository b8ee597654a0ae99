"""The fault catalog: broken inputs get a clear message, the right exit code, and the
previous build is left exactly as it was (and no scratch files behind)."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import stages
from pipeline.cli import main
from pipeline.sources import remove_source, update_checksums

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
BUILD = ROOT / "build"
MAIN = "coe-alliance-crosswalk-2023.txt"
HEADER = ("IECMH Consultation Category\tIECMH Consultation Core Skills\tEssential or Important\t"
          "IECMH Endorsement Competency\tKnowledge/ Skill Area\tAs Demonstrated By/ Other Work "
          "Experience (and Interview)")


def _published(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


def _text(raw: Path) -> str:
    return (raw / MAIN).read_text(encoding="utf-8")


def _replace(old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def mutate(raw: Path) -> None:
        text = _text(raw)
        assert old in text, old
        (raw / MAIN).write_text(text.replace(old, new, count), encoding="utf-8")
    return mutate


def _write_bytes(data: bytes) -> Callable[[Path], None]:
    return lambda raw: (raw / MAIN).write_bytes(data)


def _truncate_mid_row(raw: Path) -> None:
    text = _text(raw)
    cut = text.index("1B.\t1B.3. Suggests") + len("1B.\t1B.3. Suggests and/or supports")
    (raw / MAIN).write_text(text[:cut], encoding="utf-8")


def _manifest(old: str, new: str) -> Callable[[Path], None]:
    def mutate(raw: Path) -> None:
        manifest = raw / "sources.toml"
        text = manifest.read_text(encoding="utf-8")
        assert old in text
        manifest.write_text(text.replace(old, new, 1), encoding="utf-8")
    return mutate


def _symlink_outside(raw: Path) -> None:
    outside = raw.parent / "outside.txt"
    outside.write_text("secret")
    (raw / MAIN).unlink()
    (raw / MAIN).symlink_to(outside)


def _reencode(encoding: str) -> Callable[[Path], None]:
    return lambda raw: (raw / MAIN).write_bytes(_text(raw).encode(encoding, errors="replace"))


MENTOR = "ct-aimh-mentor-competency-guidelines.txt"
ILLINOIS = "illinois-iecmhc-competencies.txt"


def _lines(name: str, edit: Callable[[list[str]], list[str]]) -> Callable[[Path], None]:
    """Rewrite the lines of the source file ``name``."""
    def mutate(raw: Path) -> None:
        lines = (raw / name).read_text(encoding="utf-8").split("\n")
        (raw / name).write_text("\n".join(edit(lines)), encoding="utf-8")
    return mutate


def _cut(name: str, keep: Callable[[int], int]) -> Callable[[Path], None]:
    """Cut the source file ``name`` after ``keep(its length)`` characters."""
    def mutate(raw: Path) -> None:
        text = (raw / name).read_text(encoding="utf-8")
        (raw / name).write_text(text[:keep(len(text))], encoding="utf-8")
    return mutate


def _without_line(number: int, starting: str) -> Callable[[list[str]], list[str]]:
    def edit(lines: list[str]) -> list[str]:
        assert lines[number - 1].startswith(starting), lines[number - 1][:40]
        return lines[:number - 1] + lines[number:]
    return edit


def _empty_right_cell(number: int) -> Callable[[list[str]], list[str]]:
    def edit(lines: list[str]) -> list[str]:
        lines[number - 1] = lines[number - 1].split("\t")[0] + "\t"
        return lines
    return edit


def _damaged_pdf_source(engine: str) -> Callable[[Path], None]:
    """Add the domain-1 PDF, one page's compressed content damaged, as a source."""
    def mutate(raw: Path) -> None:
        damage = _test_module(ROOT / "tests" / "extract" / "test_crosswalk_pdf_damage.py")
        pdf = damage.damaged_pdf(raw, "data-loss")
        remove_source(raw, "coe-alliance-crosswalk-2023")
        with (raw / "sources.toml").open("a", encoding="utf-8") as manifest:
            manifest.write(f'\n[[source]]\nid = "crosswalk-pdf"\npath = "{pdf.name}"\n'
                           'format = "crosswalk-table-pdf"\ntitle = "t"\npublisher = "p"\n'
                           'citation = "c"\npermission = "p"\n'
                           f'redistribution = "verbatim-with-credit"\nsha256 = "{"0" * 64}"\n'
                           f'[source.settings]\nengine = "{engine}"\n')
    return mutate


def _limits_case(name: str) -> Callable[[Path], None]:
    """A hostile input of ``tests/test_limits.py`` (its helper ``name``)."""
    def mutate(raw: Path) -> None:
        getattr(_test_module(ROOT / "tests" / "test_limits.py"), name)(raw)
    return mutate


def _pdf_bomb_source(raw: Path) -> None:
    limits = _test_module(ROOT / "tests" / "test_limits.py")
    limits.add_pdf_source(raw, limits.pdf_bomb(raw / "bomb.pdf"))


def _test_module(path: Path):
    """A test module by path (tests run with --import-mode=importlib: not importable by name)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CATALOG = [
    # (mutation of raw/, accept the new checksum?, exit code, words the message must hold)
    pytest.param(lambda raw: (raw / MAIN).unlink(), False, 2, ["is missing", MAIN], id="missing-source"),
    pytest.param(_manifest("[[source]]\nid = \"crosswalk-section-4-web\"", "[[source]\nid = \"x\""),
                 False, 2, ["sources.toml", "not valid TOML"], id="manifest-syntax-error"),
    pytest.param(_manifest('format = "illinois-flyer-text"', 'format = "word-doc"'), False, 2,
                 ["unknown format 'word-doc'"], id="unknown-format"),
    pytest.param(_replace("Eaw, Regulation", "Law, Regulation"), False, 2,
                 ["changed: sha256", "crosswalk sources --update"], id="checksum-mismatch"),
    pytest.param(_manifest(f'path = "{MAIN}"', 'path = "../../etc/passwd"'), False, 2,
                 ["must be relative and inside raw/"], id="path-escapes-raw"),
    pytest.param(_manifest(f'path = "{MAIN}"', 'path = "/etc/passwd"'), False, 2,
                 ["must be relative and inside raw/"], id="absolute-path"),
    pytest.param(_symlink_outside, False, 2, ["resolves outside raw/"], id="symlink-outside-raw"),
    pytest.param(_reencode("cp1252"), True, 2, ["not valid UTF-8", f"{MAIN}:"], id="cp1252"),
    pytest.param(_write_bytes(b""), True, 2, ["the file is empty"], id="empty-file"),
    pytest.param(_write_bytes(bytes(range(256)) * 40), True, 2, ["binary"], id="binary-garbage"),
    pytest.param(_truncate_mid_row, True, 2, ["cut short", f"{MAIN}:"], id="truncated-mid-row"),
    pytest.param(_replace(HEADER, HEADER.replace("Essential or Important", "Priority"), 100), True,
                 2, ["unexpected table header column 3"], id="header-column-renamed"),
    pytest.param(_replace(HEADER, HEADER.replace("Essential or Important\tIECMH Endorsement Competency",
                                                 "IECMH Endorsement Competency\tEssential or Important"), 100),
                 True, 2, ["unexpected table header column 3"], id="header-columns-reordered"),
    pytest.param(_replace(HEADER, HEADER.replace("\tEssential or Important", ""), 100), True, 2,
                 ["unexpected table header column 3"], id="header-column-missing"),
    pytest.param(_replace("\t*\tDirect Service\tSupportive", "\t*\tDirect Service\tSupportive\t\tX\tY"),
                 True, 2, ["cells, its table header has 6"], id="too-many-cells"),
    pytest.param(_replace("\t*\t≠ Unique\t# Unique\t≠ Unique", "\t*\t≠ Unique"), True, 2,
                 ["cut short"], id="too-few-cells"),
    pytest.param(_replace("Well-Being\t8C.1. Promotes", "Well-Being\t8C.1. Promotes", 1), True, 0,
                 [], id="control-unchanged-text-builds"),
    pytest.param(_replace("\t*\tDirect Service\t", "\t+\tDirect Service\t"), True, 2,
                 ["unknown priority mark '+'"], id="unknown-priority-symbol"),
    pytest.param(_replace("\t*\tDirect Service\t", "\t*\t¤ Direct Service\t"), True, 2,
                 ["unknown alignment mark '¤'"], id="unknown-alignment-symbol"),
    # A duplicate leaves a gap, which the completeness check (after extraction) sees first.
    pytest.param(_replace("1B.\t1B.2. Considers", "1B.\t1B.1. Considers"), True, 2,
                 [f"{MAIN}:154: competency 1B.2 is missing (after 1B.1 at lines 150, 153)"],
                 id="duplicate-code"),
    pytest.param(_replace("1B.\t1B.2. Considers", "1B.\t1C.9. Considers"), True, 2,
                 ["competency 1C.9 sits under category 1B"], id="code-does-not-match-category"),
    pytest.param(_replace("\t*\tDirect Service\tSupportive", "\t*\tGardening\tSupportive"), True, 1,
                 ["validation failure", "validation_report.txt"], id="unknown-domain-fails-validation"),
    # Nothing lost without a word (issue 11): less than the document holds stops the build.
    pytest.param(_lines(MAIN, lambda lines: lines[:508]), True, 2,
                 [f"{MAIN}:507: the reverse table", "is missing"], id="export-without-reverse-table"),
    pytest.param(_lines(MAIN, lambda lines: lines[:-1]), True, 2,
                 [f"{MAIN}:581: the reverse table has 61 areas, the manifest expects 62"],
                 id="reverse-table-cut-short"),
    pytest.param(_lines(MAIN, lambda lines: lines[:352] + lines[394:]), True, 2,
                 [f"{MAIN}:362: domain 5 is missing", "the manifest expects domains 1 to 8"],
                 id="crosswalk-missing-a-domain"),
    pytest.param(_lines(MAIN, lambda lines: lines[:477] + lines[507:]), True, 2,
                 [f"{MAIN}:476: domain 8 is missing"], id="crosswalk-missing-its-last-domain"),
    pytest.param(_lines(MAIN, _without_line(153, "1B.\t1B.2. Considers")), True, 2,
                 [f"{MAIN}:153: competency 1B.2 is missing (after 1B.1 at line 150): category 1B "
                  "has 1B.1, 1B.3, 1B.4"],
                 id="gap-in-a-categorys-codes"),
    pytest.param(_cut(MENTOR, lambda size: size // 2), True, 2,
                 [f"{MENTOR}:43: 4 areas of expertise, the manifest expects 11"],
                 id="ct-aimh-cut-off-in-the-middle"),
    pytest.param(_cut(MENTOR, lambda size: size - 300), True, 2,
                 [f"{MENTOR}:84: 111 statements, the manifest expects 113"],
                 id="ct-aimh-cut-off-in-its-last-row"),
    pytest.param(_lines(MENTOR, _empty_right_cell(36)), True, 2,
                 [f"{MENTOR}:36: the row of 'Systems Expertise' has no 'As demonstrated by' "
                  "statement"], id="ct-aimh-row-with-empty-right-cell"),
    pytest.param(_lines(ILLINOIS, lambda lines: lines[:68]), True, 2,
                 [f"{ILLINOIS}:63: 7 competencies (#1 to #7), the manifest expects 8"],
                 id="illinois-with-7-competencies"),
    pytest.param(_damaged_pdf_source("pdfplumber"), True, 2,
                 ["crosswalk-damaged-data-loss.pdf (page 2): the PDF library reports damage",
                  "Data-loss while decompressing corrupted data"], id="damaged-pdf-page-pdfplumber"),
    pytest.param(_damaged_pdf_source("camelot"), True, 2,
                 ["crosswalk-damaged-data-loss.pdf (page 2): the PDF library reports damage",
                  "Data-loss while decompressing corrupted data"], id="damaged-pdf-page-camelot"),
    # Hostile and huge inputs: a limit (pipeline/limits.py) stops them before the work.
    pytest.param(_limits_case("long_web_line"), True, 2,
                 ["crosswalk-section-4-reflective-practice.txt:8: line 8 is 5,000,",
                  "over the limit of 100,000 characters (max_line_chars)"], id="5-MB-line"),
    pytest.param(_limits_case("deeply_nested_cell"), True, 2,
                 [f"{MENTOR}:", "the nesting of HTML tags in a cell is 10,00",
                  "(max_html_depth)"], id="html-nested-10-000-deep"),
    pytest.param(_pdf_bomb_source, True, 2,
                 ["bomb.pdf (page 1): the page's content, decompressed, is 5,000,001 bytes or "
                  "more", "(max_page_content_bytes)"], id="pdf-bomb"),
]


@pytest.fixture(scope="module")
def previous_build(tmp_path_factory) -> Path:
    """A published build to protect: a copy of the committed build/."""
    out = tmp_path_factory.mktemp("previous") / "build"
    shutil.copytree(BUILD, out, ignore=shutil.ignore_patterns("interim", "reports"))
    return out


@pytest.mark.parametrize("mutate, accept, code, words", CATALOG)
def test_broken_input_fails_clearly_and_keeps_the_build(tmp_path, previous_build, mutate, accept,
                                                        code, words):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    mutate(raw)
    if accept:
        update_checksums(raw)
    out = tmp_path / "build"
    shutil.copytree(previous_build, out)
    before = _published(out)
    result = CliRunner().invoke(main, ["build", "--raw", str(raw), "--out", str(out)])
    assert result.exit_code == code, result.output
    for word in words:
        assert word in result.output
    assert "Traceback" not in result.output
    if code:
        assert _published(out) == before
    assert not list(out.glob(".build-tmp-*"))


def test_utf16_with_bom_is_decoded_with_a_notice(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    (raw / MAIN).write_bytes(_text(raw).encode("utf-16"))
    update_checksums(raw)
    result = CliRunner().invoke(main, ["build", "--raw", str(raw), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "notice: " in result.output and "decoded as UTF-16" in result.output
    assert (tmp_path / "out" / "crosswalk.csv").read_bytes() == (BUILD / "crosswalk.csv").read_bytes()


def test_interrupted_build_keeps_the_build_and_leaves_no_scratch(tmp_path, previous_build, monkeypatch):
    out = tmp_path / "build"
    shutil.copytree(previous_build, out)
    before = _published(out)

    def interrupted(paths, tables, log):
        raise KeyboardInterrupt

    monkeypatch.setattr(stages, "validated_tables", interrupted)  # the build's validate step
    result = CliRunner().invoke(main, ["build", "--raw", str(RAW), "--out", str(out)])
    assert result.exit_code == 130
    assert "interrupted" in result.output
    assert _published(out) == before
    assert not list(out.glob(".build-tmp-*"))


def test_failure_while_replacing_files_keeps_the_old_package(tmp_path, previous_build, monkeypatch):
    """A crash in publish (disk full, say) must not leave new files beside an old package."""
    from pipeline.load import publish

    out = tmp_path / "build"
    shutil.copytree(previous_build, out)
    before = _published(out)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(publish, "write_datapackage", disk_full)
    result = CliRunner().invoke(main, ["build", "--raw", str(RAW), "--out", str(out)])
    assert result.exit_code == 2
    assert "no space left on the device" in result.output and "report it" not in result.output
    assert _published(out) == before
    assert not list(out.glob(".build-tmp-*"))


def test_rejected_rows_are_reported_with_reason_and_line(tmp_path):
    result = CliRunner().invoke(main, ["build", "--raw", str(RAW), "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert "rows: coe-alliance-crosswalk-2023: 261 seen = 257 published + 4 merged" in result.output
    rejected = (tmp_path / "reports" / "rejected_rows.csv").read_text(encoding="utf-8")
    assert "illinois-iecmhc-competencies,27,,not a competency: an e-mail address or link,bit.ly/IL-IECMHC" in rejected


@pytest.mark.slow
def test_input_100_times_larger_builds(tmp_path):
    from bench.large_input import make_raw

    raw = make_raw(RAW, tmp_path / "raw", factor=100)
    result = CliRunner().invoke(main, ["build", "--raw", str(raw), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert sum(1 for _ in (tmp_path / "out" / "crosswalk.csv").open(encoding="utf-8")) > 19_000


def test_stale_spot_fix_is_reported_and_the_build_goes_on(tmp_path):
    """A corrected source no longer needs its fix: say so, do not fail, do not apply it."""
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    (raw / MAIN).write_text(_text(raw).replace("understanding manor", "understanding manner"),
                            encoding="utf-8")
    update_checksums(raw)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--raw", str(raw), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "warning: crosswalk 2E.4/1: spot fix at" in result.output
    issues = (out / "quality_issues.csv").read_text(encoding="utf-8")
    assert "stale_spot_fix,crosswalk,2E.4/1" in issues
    assert "understanding manner" in (out / "crosswalk.csv").read_text(encoding="utf-8")
