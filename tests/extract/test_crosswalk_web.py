"""The web rendition's records: structure, empty values, and refusing malformed pages."""

from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.extract.crosswalk_web import extract_crosswalk_web

RAW = Path(__file__).resolve().parents[2] / "raw"

PARAGRAPH = ("Promotes reflective practice with consultees, using this experience-based learning "
             "to support consultees’ professional growth and development.")
NOTE = ("Unless otherwise noted, the IECMH competencies refer to Infant Family Specialist and "
        "Early Childhood Family Specialist. If an “MHS” is noted, this competency is related to "
        "Infant Mental Health Specialist and Early Childhood Mental Health Specialist. “MHM” "
        "refers to Infant Mental Health Mentor and Early Childhood Mental Health Mentor.")
RECORD_4A3 = [
    "4A.3. Reflects on biases and can recognize when biases may negatively impact effective "
    "consultation. Works to explore personal implicit biases, and takes steps to make objective "
    "decisions.",
    "Essential or important?: Important",
    "IECMHC Endorsement Competency: Unique",
    "Knowledge/Skill Area: Unique",
    "As Demonstrated by/Other Work Experience (and Interview): Unique",
]
RECORD_4A4 = [
    "4A.4. Reflects on culture, values, belief, and backgrouds, privilige, biases, assumptions, "
    "and experiences including the impact of experience with racism, classism, sexism, able-ism, "
    "homophobia, xenophobia, and/or other systems of oppression in order to provide "
    "diversity-informed and culturally attuned services.",
    "Essential or important?: Important",
    "IECMHC Endorsement Competency: Unique",
    "Knowledge/Skill Area:",
    "As Demonstrated by/Other Work Experience (and Interview):",
]
RECORD_4B8 = [
    "4B.8. Reflects with supervisor and colleagues on how to leverage opportunities to be a "
    "voice for equity in one’s own organization and the broader community.",
    "Essential or important?: Important",
    "IECMHC Endorsement Competency: Administration (MHM)",
    "Knowledge/Skill Area: Program development (MHM)",
    "As Demonstrated by/Other Work Experience (and Interview): Advocates for funds/programming "
    "for effective service delivery to families outside of the dominant culture",
]
# line 1 paragraph, 2 note, 3–7 4A.3, 8–12 4A.4, 13 note, 14–18 4B.8
PAGE = [PARAGRAPH, NOTE, *RECORD_4A3, *RECORD_4A4, NOTE, *RECORD_4B8]


def _extract(tmp_path: Path, lines: list[str]):
    path = tmp_path / "section.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return extract_crosswalk_web(path, "test-web")


def test_record_with_empty_fields_keeps_them_empty(tmp_path):
    records = _extract(tmp_path, PAGE)["records"]
    row = records.set_index("coe_code").loc["4A.4."]
    assert row["priority_raw"] == "Important"
    assert row["domain_raw"] == "Unique"
    assert row["area_raw"] == ""
    assert row["demonstrated_raw"] == ""
    assert (row["source_line"], row["area_line"], row["demonstrated_line"]) == (8, 11, 12)


def test_values_are_kept_as_printed(tmp_path):
    records = _extract(tmp_path, PAGE)["records"]
    assert records["coe_code"].tolist() == ["4A.3.", "4A.4.", "4B.8."]
    last = records.iloc[-1]
    assert last["domain_raw"] == "Administration (MHM)"
    assert last["area_raw"] == "Program development (MHM)"
    assert last["skill"].startswith("Reflects with supervisor") and last["source_line"] == 14
    assert last["source_id"] == "test-web"


def test_paragraphs_before_the_first_note_are_domain_paragraphs(tmp_path):
    paragraphs = _extract(tmp_path, PAGE)["domain_paragraphs"]
    assert paragraphs.to_dict("records") == [
        {"paragraph_seq": 1, "text": PARAGRAPH, "source_id": "test-web", "source_line": 1}]


def test_blank_lines_are_tolerated(tmp_path):
    records = _extract(tmp_path, [PARAGRAPH, "", NOTE, "", *RECORD_4A3, ""])["records"]
    assert records["demonstrated_line"].tolist() == [9]


@pytest.mark.parametrize("name, expected_rows", [
    ("crosswalk-section-4-reflective-practice.txt", 21),
    ("crosswalk-section-7-programmatic-consultation.txt", 24),
])
def test_real_pages(name, expected_rows):
    result = extract_crosswalk_web(RAW / name, "web")
    assert len(result["records"]) == expected_rows
    assert len(result["domain_paragraphs"]) == 2


def _swap(lines, i, j):
    lines = list(lines)
    lines[i], lines[j] = lines[j], lines[i]
    return lines


@pytest.mark.parametrize("lines, line, message", [
    pytest.param(_swap(PAGE, 4, 5), 5, "out of order", id="key-out-of-order"),
    pytest.param(PAGE[:5] + ["Endorsement Level: MHM"] + PAGE[5:], 6,
                 "unknown key 'Endorsement Level'", id="unknown-key"),
    pytest.param(PAGE[:7] + PAGE[8:], 8, "without its code line", id="record-without-code"),
    pytest.param([PARAGRAPH, *RECORD_4A3[1:]], 2, "belongs to no record",
                 id="keys-before-any-code"),
    pytest.param(PAGE[:5] + PAGE[6:], 6, "expected 'Knowledge/Skill Area'",
                 id="missing-middle-key"),
    pytest.param(PAGE[:6] + PAGE[7:], 7, "lacks the key 'As Demonstrated by",
                 id="missing-last-key"),
    pytest.param(PAGE[:7] + ["4B. Assists Others in Reflecting"] + PAGE[7:], 8,
                 "unexpected line", id="stray-text"),
    pytest.param(PAGE[:-1], 17, "lacks the key 'As Demonstrated by", id="truncated-last-record"),
])
def test_malformed_page_names_file_and_line(tmp_path, lines, line, message):
    with pytest.raises(PipelineError) as raised:
        _extract(tmp_path, lines)
    assert raised.value.line == line
    assert raised.value.path.endswith("section.txt")
    assert message in raised.value.message
