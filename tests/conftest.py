"""Shared fixtures: small, valid tables made of real fragments of the sources.

Rows come from raw/coe-alliance-crosswalk-2023.txt, raw/ct-aimh-mentor-competency-guidelines.txt
and raw/illinois-iecmhc-competencies.txt (lines as given in ``source_line``), cleaned as
the transform would clean them (typos fixed, wrap artifacts repaired, designation
suffixes moved to ``designations``, titles without their closing period). ``ROWS`` has one
entry per published table, in the order of ``pipeline.metadata.TABLES``.

Test modules get them through fixtures only: with ``--import-mode=importlib`` a test
module cannot import this file by name.
"""

from __future__ import annotations

import copy
import os
import resource
import shutil
import signal
import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline.metadata import TABLES
from schemas import text_rules

SOURCE = "coe-alliance-crosswalk-2023"
MENTOR_SOURCE = "ct-aimh-mentor-guidelines"
ILLINOIS_SOURCE = "illinois-iecmhc-competencies"

TEXT_1A1 = (
    "Demonstrates an understanding of IECMHC as an indirect service that helps to build "
    "the reflective capacities and relational health of families; staff, and others who "
    "work in programs or other settings serving infants, young children, and families; "
    "and others who care for or provide services to infants and young children. Grasps "
    "and can convey the difference between IECMHC and modes of intervention that involve "
    "direct mental health treatment for infants, young children and/or families."
)
TEXT_1B2 = (
    "Considers the influence of program or other setting and organizational functioning on "
    "early childhood providers, families, infants, and young children, and service "
    "provision and how this may differ based on race/ethnicity, primary language or "
    "abilities."
)
TEXT_2C1 = (
    "Understands and supports cultural variations in development, child-rearing practices, "
    "and caregiver expectations."
)

# raw/ct-aimh-mentor-competency-guidelines.txt: the italic lead-ins of the groups of line 29
# (Theoretical Foundations) and line 50 (Working With Others).
LEAD_IN_TF_ALL = (
    "May practice each of the following oneself, but more importantly facilitates these "
    "skills in novice practitioners, students, clients, and other colleagues; applies to "
    "all three designations (A):"
)
LEAD_IN_TF_ONESELF = "Typically demonstrates these skills oneself:"
LEAD_IN_ALL = "Applies to all three designations (A):"

ROWS: dict[str, list[dict]] = {
    "coe_domains": [
        {
            "domain_number": 1,
            "domain_title": "Role of the IECMH Consultant",
            "description": "Understands and can convey how IECMHC is a mental health "
            "specialization and service that is distinct from other activities in which "
            "mental health professionals may engage.",
            "source_id": SOURCE,
            "source_line": 138,
            "source_page": None,
        },
        {
            "domain_number": 2,
            "domain_title": "Foundational Knowledge",
            "description": "Draws from a broad and diverse knowledge base to understand "
            "infants, young children, families, and program or other setting staff from "
            "diverse racial/ethnic and language backgrounds, and how they relate to one "
            "another.",
            "source_id": SOURCE,
            "source_line": 195,
            "source_page": None,
        },
    ],
    "coe_categories": [
        {
            "category_code": "1A",
            "domain_number": 1,
            "category_title": "Distinguishes IECMHC from Other Related Endeavors",
            "source_id": SOURCE,
            "source_line": 147,
            "source_page": None,
        },
        {
            "category_code": "1B",
            "domain_number": 1,
            "category_title": "Exhibits an Ability to Work in Natural Settings",
            "source_id": SOURCE,
            "source_line": 150,
            "source_page": None,
        },
        {
            "category_code": "2C",
            "domain_number": 2,
            "category_title": "Understands the Importance and Power of Culture",
            "source_id": SOURCE,
            "source_line": 244,
            "source_page": None,
        },
    ],
    "coe_competencies": [
        {
            "coe_code": "1A.1",
            "category_code": "1A",
            "domain_number": 1,
            "competency_text": TEXT_1A1,
            "priority": "Essential",
            "priority_note": None,
            "footnote": None,
            "source_id": SOURCE,
            "source_line": 147,
            "source_page": None,
        },
        {
            "coe_code": "1B.2",
            "category_code": "1B",
            "domain_number": 1,
            "competency_text": TEXT_1B2,
            "priority": "Essential",
            "priority_note": None,
            "footnote": None,
            "source_id": SOURCE,
            "source_line": 153,
            "source_page": None,
        },
        {
            "coe_code": "2C.1",
            "category_code": "2C",
            "domain_number": 2,
            "competency_text": TEXT_2C1,
            "priority": "Essential",
            "priority_note": None,
            "footnote": None,
            "source_id": SOURCE,
            "source_line": 244,
            "source_page": None,
        },
    ],
    "crosswalk": [
        {
            "coe_code": "1A.1",
            "mapping_seq": 1,
            "coe_domain_number": 1,
            "coe_domain": "Role of the IECMH Consultant",
            "coe_category_code": "1A",
            "coe_category": "Distinguishes IECMHC from Other Related Endeavors",
            "coe_competency": TEXT_1A1,
            "mapping_priority": "Essential",
            "competency_priority": "Essential",
            "alignment": "unique",
            "endorsement_domain": None,
            "endorsement_area": None,
            "area_id": None,
            "endorsement_level": None,
            "demonstrated_by": None,
            "source_id": SOURCE,
            "source_line": 147,
            "source_page": None,
        },
        {
            "coe_code": "1B.2",
            "mapping_seq": 1,
            "coe_domain_number": 1,
            "coe_domain": "Role of the IECMH Consultant",
            "coe_category_code": "1B",
            "coe_category": "Exhibits an Ability to Work in Natural Settings",
            "coe_competency": TEXT_1B2,
            "mapping_priority": "Essential",
            "competency_priority": "Essential",
            "alignment": "same",
            "endorsement_domain": "Theoretical Foundations",
            "endorsement_area": "Cultural Humility",
            "area_id": "theoretical-foundations--cultural-humility",
            "endorsement_level": "IFS",
            "demonstrated_by": "Applies understanding of cultural competence to "
            "communicate effectively, establish positive relationships with families, and "
            "demonstrate respect for the uniqueness of each client family's culture",
            "source_id": SOURCE,
            "source_line": 153,
            "source_page": None,
        },
        {
            "coe_code": "2C.1",
            "mapping_seq": 1,
            "coe_domain_number": 2,
            "coe_domain": "Foundational Knowledge",
            "coe_category_code": "2C",
            "coe_category": "Understands the Importance and Power of Culture",
            "coe_competency": TEXT_2C1,
            "mapping_priority": "Essential",
            "competency_priority": "Essential",
            "alignment": "same",
            "endorsement_domain": "Theoretical Foundations",
            "endorsement_area": "Cultural Humility",
            "area_id": "theoretical-foundations--cultural-humility",
            "endorsement_level": "MHM",
            "demonstrated_by": "Understands family relationship development, with "
            "sensitivity to cultural differences",
            "source_id": SOURCE,
            "source_line": 244,
            "source_page": None,
        },
    ],
    "endorsement_index": [
        {
            "endorsement_domain": "Theoretical Foundations",
            "endorsement_area": "cultural competence",
            "area_id": "theoretical-foundations--cultural-competence",
            "endorsement_levels": "IFA;IFS;MHS;MHM",
            "designation": None,
            "coe_code": "1B.2",
            "unique_to_alliance": False,
            "source_id": SOURCE,
            "source_line": 519,
            "source_page": None,
        },
        {
            "endorsement_domain": "Theoretical Foundations",
            "endorsement_area": "cultural competence",
            "area_id": "theoretical-foundations--cultural-competence",
            "endorsement_levels": "IFA;IFS;MHS;MHM",
            "designation": None,
            "coe_code": "2C.1",
            "unique_to_alliance": False,
            "source_id": SOURCE,
            "source_line": 519,
            "source_page": None,
        },
        {
            "endorsement_domain": "Administration",
            "endorsement_area": "program funding",
            "area_id": "administration--program-funding",
            "endorsement_levels": "MHM",
            "designation": "policy",
            "coe_code": None,
            "unique_to_alliance": True,
            "source_id": SOURCE,
            "source_line": 578,
            "source_page": None,
        },
    ],
    # The areas of the rows above: reverse-table areas (spelled as the reverse table
    # spells them) and `Cultural Humility`, which only the forward table names.
    "endorsement_areas": [
        {
            "area_id": "administration--program-funding",
            "endorsement_domain": "Administration",
            "endorsement_area": "program funding",
            "in_reverse_table": True,
            "source_id": SOURCE,
            "source_line": 578,
            "source_page": None,
        },
        {
            "area_id": "theoretical-foundations--attachment-separation-trauma-and-loss",
            "endorsement_domain": "Theoretical Foundations",
            "endorsement_area": "attachment, separation, trauma & loss",
            "in_reverse_table": True,
            "source_id": SOURCE,
            "source_line": 515,
            "source_page": None,
        },
        {
            "area_id": "theoretical-foundations--cultural-competence",
            "endorsement_domain": "Theoretical Foundations",
            "endorsement_area": "cultural competence",
            "in_reverse_table": True,
            "source_id": SOURCE,
            "source_line": 519,
            "source_page": None,
        },
        {
            "area_id": "theoretical-foundations--cultural-humility",
            "endorsement_domain": "Theoretical Foundations",
            "endorsement_area": "Cultural Humility",
            "in_reverse_table": False,
            "source_id": SOURCE,
            "source_line": 153,
            "source_page": None,
        },
        {
            "area_id": "working-with-others--building-and-maintaining-relationships",
            "endorsement_domain": "Working with Others",
            "endorsement_area": "building & maintaining relationships",
            "in_reverse_table": True,
            "source_id": SOURCE,
            "source_line": 542,
            "source_page": None,
        },
    ],
    # Two spellings of one area in two datasets, as the build lists them.
    "endorsement_area_spellings": [
        {
            "area_id": "theoretical-foundations--attachment-separation-trauma-and-loss",
            "dataset": "endorsement_index",
            "endorsement_domain": "Theoretical Foundations",
            "endorsement_area": "attachment, separation, trauma & loss",
            "rows": 7,
            "source_id": SOURCE,
            "source_line": 515,
            "source_page": None,
        },
        {
            "area_id": "theoretical-foundations--attachment-separation-trauma-and-loss",
            "dataset": "mentor_areas",
            "endorsement_domain": "Theoretical Foundations",
            "endorsement_area": "attachment, separation, trauma, & loss",
            "rows": 1,
            "source_id": MENTOR_SOURCE,
            "source_line": 29,
            "source_page": None,
        },
        {
            "area_id": "theoretical-foundations--cultural-humility",
            "dataset": "crosswalk",
            "endorsement_domain": "Theoretical Foundations",
            "endorsement_area": "Cultural Humility",
            "rows": 10,
            "source_id": SOURCE,
            "source_line": 153,
            "source_page": None,
        },
    ],
    # Theoretical Foundations (line 29): a bullet of the "(A)" group and a "(P/RF)" bullet
    # of the next group. Working With Others (line 50): a bullet with two of its
    # sub-bullets (○), then the next bullet. Numbers as in the build (bullets and
    # sub-bullets counted together).
    "mentor_competencies": [
        {
            "area_of_expertise": "Theoretical Foundations",
            "statement_seq": 11,
            "parent_seq": None,
            "statement": "Understands family relationship development, with sensitivity "
            "to cultural differences",
            "designations": "A",
            "designation_clinical": True,
            "designation_policy": True,
            "designation_research_faculty": True,
            "practice_mode": LEAD_IN_TF_ALL,
            "source_id": MENTOR_SOURCE,
            "source_line": 29,
            "source_page": None,
        },
        {
            "area_of_expertise": "Theoretical Foundations",
            "statement_seq": 13,
            "parent_seq": None,
            "statement": "Writes articles and books on infant mental health principles "
            "and practice",
            "designations": "P;RF",
            "designation_clinical": False,
            "designation_policy": True,
            "designation_research_faculty": True,
            "practice_mode": LEAD_IN_TF_ONESELF,
            "source_id": MENTOR_SOURCE,
            "source_line": 29,
            "source_page": None,
        },
        {
            "area_of_expertise": "Working with Others",
            "statement_seq": 1,
            "parent_seq": None,
            "statement": "Builds and maintains effective interpersonal relationships with a "
            "broad range of people: families, colleagues, agency and community "
            "representatives, and/or legislators, as the individual role requires by:",
            "designations": "A",
            "designation_clinical": True,
            "designation_policy": True,
            "designation_research_faculty": True,
            "practice_mode": LEAD_IN_ALL,
            "source_id": MENTOR_SOURCE,
            "source_line": 50,
            "source_page": None,
        },
        {
            "area_of_expertise": "Working with Others",
            "statement_seq": 2,
            "parent_seq": 1,
            "statement": "Being proactive in establishing connections",
            "designations": "A",
            "designation_clinical": True,
            "designation_policy": True,
            "designation_research_faculty": True,
            "practice_mode": LEAD_IN_ALL,
            "source_id": MENTOR_SOURCE,
            "source_line": 50,
            "source_page": None,
        },
        {
            "area_of_expertise": "Working with Others",
            "statement_seq": 3,
            "parent_seq": 1,
            "statement": "Sharing information",
            "designations": "A",
            "designation_clinical": True,
            "designation_policy": True,
            "designation_research_faculty": True,
            "practice_mode": LEAD_IN_ALL,
            "source_id": MENTOR_SOURCE,
            "source_line": 50,
            "source_page": None,
        },
        {
            "area_of_expertise": "Working with Others",
            "statement_seq": 6,
            "parent_seq": None,
            "statement": "Deals with all people in a tactful and understanding manner",
            "designations": "A",
            "designation_clinical": True,
            "designation_policy": True,
            "designation_research_faculty": True,
            "practice_mode": LEAD_IN_ALL,
            "source_id": MENTOR_SOURCE,
            "source_line": 50,
            "source_page": None,
        },
    ],
    "mentor_areas": [
        {
            "area_of_expertise": "Theoretical Foundations",
            "area_kind": "Knowledge Areas",
            "area": "attachment, separation, trauma, & loss",
            "area_id": "theoretical-foundations--attachment-separation-trauma-and-loss",
            "source_id": MENTOR_SOURCE,
            "source_line": 29,
            "source_page": None,
        },
        {
            "area_of_expertise": "Theoretical Foundations",
            "area_kind": "Knowledge Areas",
            "area": "cultural competence",
            "area_id": "theoretical-foundations--cultural-competence",
            "source_id": MENTOR_SOURCE,
            "source_line": 29,
            "source_page": None,
        },
        {
            "area_of_expertise": "Working with Others",
            "area_kind": "Skill Areas",
            "area": "building & maintaining relationships",
            "area_id": "working-with-others--building-and-maintaining-relationships",
            "source_id": MENTOR_SOURCE,
            "source_line": 50,
            "source_page": None,
        },
    ],
    # Headings "#1: ... ." (line 13) and "#2: ... ." (line 19); #2's description is the one
    # the flyer's contact block, bit.ly link and QR-code instructions follow.
    "illinois_competencies": [
        {
            "number": 1,
            "title": "Knowledge of Infant/Early Childhood Development, Mental Health, and "
            "Early Care and Education",
            "description": "Consultants have foundational knowledge of child development "
            "within the context of family, culture, and communities, combined with a solid "
            "grounding in children's mental health and experience in working with infants, "
            "young children, and their families.",
            "source_id": ILLINOIS_SOURCE,
            "source_line": 13,
            "source_page": None,
        },
        {
            "number": 2,
            "title": "Ability to Build Relationships and Collaboratively Engage with "
            "Families, Providers, Programs, and Systems",
            "description": "Consultants engage families, providers, programs, and systems in "
            "genuine and collaborative relationships. Consultants use an approach that is "
            "culturally sensitive and strengths-based, emphasizing capacity building and "
            "creating partnerships that support the social-emotional health of young "
            "children. In the consultation process, the consultant continually works to "
            "foster a sense of trust and openness among partners.",
            "source_id": ILLINOIS_SOURCE,
            "source_line": 19,
            "source_page": None,
        },
    ],
    "corrections": [
        {
            "dataset": "coe_competencies",
            "row_key": "1B.2",
            "field": "competency_text",
            "before": "chilhood",
            "after": "childhood",
            "rule": "typo",
            "source_id": SOURCE,
            "source_line": 153,
            "source_page": None,
        },
        {
            "dataset": "crosswalk",
            "row_key": "2C.1/1",
            "field": "demonstrated_by",
            "before": "develop- ment",
            "after": "development",
            "rule": "dehyphenate",
            "source_id": SOURCE,
            "source_line": 244,
            "source_page": None,
        },
        {
            "dataset": "mentor_competencies",
            "row_key": "Working with Others/1",
            "field": "area_of_expertise",
            "before": "Working With Others",
            "after": "Working with Others",
            "rule": "vocabulary",
            "source_id": MENTOR_SOURCE,
            "source_line": 50,
            "source_page": None,
        },
    ],
    "quality_issues": [
        {
            "kind": "unknown_code",
            "dataset": "endorsement_index",
            "row_key": "Theoretical Foundations/cultural competence/32",
            "detail": "'32' in the reverse table is not a CoE competency code",
            "source_id": SOURCE,
            "source_line": 519,
            "source_page": None,
        },
    ],
}

#: Known typos of the source, as pipeline/data/typos.csv lists them (column `wrong`).
TYPOS_CSV_TEXT = "wrong,right\nchilhood,childhood\nprimarly,primary\nyound,young\nDeveloment,Development\n"


def frame(name: str, rows: list[dict] | None = None) -> pd.DataFrame:
    """A table of ``rows`` (default: the sample rows) with the contract's columns."""
    return pd.DataFrame(ROWS[name] if rows is None else rows, columns=TABLES[name].column_names)


def _with_row(name: str, position: int, **changes) -> pd.DataFrame:
    rows = copy.deepcopy(ROWS[name])
    rows[position].update(changes)
    return frame(name, rows)


@pytest.fixture
def sample_rows() -> dict[str, list[dict]]:
    """The sample rows as plain dicts (a fresh copy to change)."""
    return copy.deepcopy(ROWS)


@pytest.fixture
def make_frame():
    """``make_frame(name, rows=None)``: a table with the contract's columns."""
    return frame


@pytest.fixture
def with_row():
    """``with_row(name, position, **changes)``: the sample table with one row changed."""
    return _with_row


@pytest.fixture
def known_typos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the typo check at a small typo list (the real one may not exist yet)."""
    path = tmp_path / "typos.csv"
    path.write_text(TYPOS_CSV_TEXT, encoding="utf-8")
    monkeypatch.setattr(text_rules, "TYPOS_CSV", path)
    return path


@pytest.fixture
def sample_tables(known_typos: Path) -> dict[str, pd.DataFrame]:
    """Fresh all-valid tables, one frame per published table."""
    return {name: frame(name) for name in ROWS}


# --- Fuzzing: one check for every mutated input (tests/test_fuzz_*.py) ----------------------

#: Bounds of one fuzzed build: wall time and growth of the peak resident memory.
FUZZ_SECONDS = 60
FUZZ_MEMORY = 3 << 29  # 1.5 GiB
#: What the CLI prints for an exception no rule foresaw (pipeline/cli/errors.py): a bug.
UNFORESEEN = ("Traceback (most recent call last)", "report it")


class FuzzHang(BaseException):
    """A fuzzed command ran past ``FUZZ_SECONDS`` (a BaseException: no handler of the CLI
    turns it into an ordinary error message)."""


def _rss_bytes() -> int:
    """The resident memory of this process now (Linux), or 0 when unknown."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _invoke_bounded(args: list[str]):
    """Run ``crosswalk <args>`` through CliRunner; fail on a hang or a memory blow-up."""
    from click.testing import CliRunner

    from pipeline.cli import main

    def hang(signum, frame):
        raise FuzzHang(f"crosswalk {' '.join(args)} ran longer than {FUZZ_SECONDS} s")

    before_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    before_now = _rss_bytes() or before_peak
    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(FUZZ_SECONDS)
    started = time.monotonic()
    try:
        result = CliRunner().invoke(main, args)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    seconds = time.monotonic() - started
    after_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    # The peak only moves when this command set a new one; it then grew by at most this.
    growth = after_peak - before_now if after_peak > before_peak else 0
    assert seconds < FUZZ_SECONDS, f"took {seconds:.0f} s"
    assert growth < FUZZ_MEMORY, f"peak memory grew by {growth >> 20} MiB"
    return result


def _assert_clean(result, raw: Path) -> None:
    """Exit 0, 1 or 2 with the project's own message: no traceback, nothing unforeseen, and
    an error names its file first (a file under ``raw``, or the report of a validation)."""
    output = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"unhandled {type(result.exception).__name__}\n{output}") \
            from result.exception
    assert result.exit_code in (0, 1, 2), f"exit {result.exit_code}\n{output}"
    for word in UNFORESEEN:
        assert word not in output, output
    if result.exit_code:
        error = next((line for line in output.splitlines() if line.startswith("error: ")), None)
        assert error, f"exit {result.exit_code} without an error line\n{output}"
        if result.exit_code == 2:
            assert error.startswith(f"error: {raw}"), f"the error names no file first\n{output}"
        else:
            assert "validation_report.txt" in output, output


def _published(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


def _fuzz_build(raw: Path, out: Path):
    """``crosswalk sources --update`` then ``crosswalk build`` on ``raw`` into ``out`` (which
    holds a previous build): both end cleanly within the bounds; a failed build leaves the
    published files byte for byte and no scratch folder. Returns the build's result."""
    update = _invoke_bounded(["sources", "--update", "--raw", str(raw)])
    _assert_clean(update, raw)
    before = _published(out)
    result = _invoke_bounded(["build", "--raw", str(raw), "--out", str(out)])
    _assert_clean(result, raw)
    if result.exit_code:
        assert _published(out) == before, "a failed build changed the published files"
    assert not list(out.glob(".build-tmp-*")), "a scratch folder was left behind"
    return result


@pytest.fixture
def fuzz_build():
    """``fuzz_build(raw, out)``: the one check of a fuzzed input (see ``_fuzz_build``)."""
    return _fuzz_build


@pytest.fixture(scope="session")
def previous_published(tmp_path_factory) -> Path:
    """The committed build's published files, to copy into each fuzzed build's ``out``."""
    out = tmp_path_factory.mktemp("previous") / "build"
    shutil.copytree(Path(__file__).resolve().parents[1] / "build", out,
                    ignore=shutil.ignore_patterns("interim", "reports"))
    return out
