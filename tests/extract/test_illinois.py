"""Illinois Model flyer: eight competencies, flyer noise left out by the prose rule."""

from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.extract.illinois import extract_illinois
from pipeline.transform.cells.audit import AuditLog
from pipeline.transform.illinois import clean_illinois_competencies

RAW = Path(__file__).resolve().parents[2] / "raw" / "illinois-iecmhc-competencies.txt"

# Lines 19–39 of the flyer: competency #2, the contact/QR block, competency #3.
FRAGMENT = """#2: Ability to Build Relationships and Collaboratively Engage with Families, Providers, Programs, and Systems.

Consultants engage families, providers, programs, and systems in genuine and collaborative relationships. Consultants use an approach that is culturally sensitive and strengths-based, emphasizing capacity building and creating partnerships that support the social-emotional health of young children. In the consultation process, the consultant continually works to foster a sense of trust and openness among partners.

Governor's Office of Early
Childhood Development
GOV.OECD@illinois.gov

bit.ly/IL-IECMHC

Scan the QR code

- Open the camera app
- Focus the camera on the QR code by gently tapping the code
- Follow the instructions on the screen to complete the action



#3: Ability to Work Effectively Throughout Diverse Cultures and Communities.

Cultural beliefs can impact the way families and communities approach the sensitive topics of children's mental health and social-emotional skills, and are integral to the formation of trusting, collaborative partnerships.
"""
NOISE = ("QR", "camera", "@", "bit.ly", "Governor's Office", "Click here", "](")


def _write(tmp_path, text):
    path = tmp_path / "flyer.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_real_flyer_has_eight_competencies_without_noise():
    raw = extract_illinois(RAW, "illinois-iecmhc-competencies")
    table = clean_illinois_competencies(raw["competencies"], AuditLog())
    assert table["number"].tolist() == list(range(1, 9))
    assert table["title"].iloc[7] == "Commitment to Ethical Behavior and Reflective Practice"
    assert not table["title"].str.endswith(".").any()
    for noise in NOISE:
        assert not table["description"].str.contains(noise, regex=False).any(), noise
    assert table["description"].iloc[1].endswith("a sense of trust and openness among partners.")
    assert table["source_line"].tolist() == [13, 19, 39, 45, 51, 57, 63, 69]


def test_noise_between_competencies_is_dropped_with_reasons(tmp_path):
    raw = extract_illinois(_write(tmp_path, "#1: Knowledge.\n\n" + "One two three four five six "
                                  "seven eight.\n\n" + FRAGMENT), "flyer")
    competencies = raw["competencies"]
    assert competencies["number"].tolist() == ["1", "2", "3"]
    assert competencies["description"].iloc[1].startswith("Consultants engage families")
    assert competencies["description"].iloc[1].endswith("among partners.")
    assert competencies["description_line"].tolist() == [3, 7, 25]
    dropped = raw["dropped"]
    assert dropped["reason"].tolist() == [
        "an e-mail address or link", "an e-mail address or link", "fewer than 8 words",
        "a list item", "a list item", "a list item"]
    assert dropped["source_line"].tolist() == [9, 13, 15, 17, 18, 19]


@pytest.mark.parametrize("text, line, message", [
    pytest.param(FRAGMENT, 1, "#2 where #1 was expected", id="numbering-gap"),
    pytest.param("#1: Knowledge.\n\nScan the QR code\n", 1, "no description", id="no-prose"),
])
def test_malformed_flyer(tmp_path, text, line, message):
    with pytest.raises(PipelineError) as raised:
        extract_illinois(_write(tmp_path, text), "flyer")
    assert raised.value.line == line and message in raised.value.message


def _check(path: Path, **expect) -> None:
    from types import MappingProxyType

    from pipeline.extract.illinois import check_complete
    from pipeline.sources import Source

    source = Source(id="i", path=path.name, format="illinois-flyer-text", title="t",
                    publisher="p", citation="c", permission="p", sha256="0" * 64,
                    raw_dir=path.parent, expect=MappingProxyType(expect))
    check_complete(source, extract_illinois(path, "i"))


def test_the_real_flyer_is_complete():
    _check(RAW, competencies=8)


def test_a_flyer_with_7_competencies_where_8_are_expected_is_refused(tmp_path):
    path = tmp_path / "flyer.txt"
    lines = RAW.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(lines[:68]), encoding="utf-8")
    _check(path)  # nothing declared: an excerpt
    with pytest.raises(PipelineError) as caught:
        _check(path, competencies=8)
    assert f"{path}:63: 7 competencies (#1 to #7), the manifest expects 8" in str(caught.value)
