"""The text export's structure: rows, continuations, split headers, domains, reverse table."""

from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.extract.crosswalk_table import extract_crosswalk_table

RAW_EXPORT = Path(__file__).resolve().parents[2] / "raw" / "coe-alliance-crosswalk-2023.txt"
HEADER = ("IECMH Consultation Category\tIECMH Consultation Core Skills\tEssential or Important\t"
          "IECMH Endorsement Competency\tKnowledge/ Skill Area\tAs Demonstrated By/ Other Work "
          "Experience (and Interview)")
SPLIT_HEADER = ("IECMH Consultation Category\tIECMH Consultation Core Skills\tEssential or "
                "Important\tIECMH Endorse Compet\t\tKnowledge/ Skill Area\tAs Demonstrated By/ "
                "Other Work Experience (and Interview)")
REVERSE_HEADER = ("Competencies for IMH-E® and ECMH-E® Domain\tCompetencies for IMH-E® and "
                  "ECMH-E® Knowledge or Skill Area\tCenter of Excellence Competecies")

DOMAIN_3 = """3. Equity and Inclusion

Understands broad and local historical and systemic dynamics. Additionally, understands how adult- infant/

young child interactions shape the quality of relationships.



"""

ROWS_3B = [
    "3B. Demonstrates Self-Awareness\t3B.3. Demonstrates the capacity to address such biases."
    "\t• • •\tReflection\tCuriosity\tRemains open and curious",
    "3B.\t3B.3. See above.\t• • •\t≈\tCuriosity\tRemains open and curious",
    "\t\t\tReflection\t\t",
    "3C. Promotes Cultural Responsiveness in Practices, Policies, and\t3C.1. Supports staff in "
    "speaking with families.\t•••\tLeading\tDevelop- ing Talent (MHM)\tCoaches novice "
    "practitioners in a range of skills to help",
    "Procedures\t\t\tPeople (MHM)\t\tthem become culturally sensitive individuals",
]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "export.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _extract(tmp_path, text):
    return extract_crosswalk_table(_write(tmp_path, text), "test-source")


def test_continuation_line_carries_cell_tails_into_row_above(tmp_path):
    result = _extract(tmp_path, DOMAIN_3 + HEADER + "\n" + "\n".join(ROWS_3B) + "\n")
    forward = result.forward
    assert len(forward) == 3
    see_above = forward.iloc[1]
    assert see_above["endorsement_domain"] == "≈ Reflection"
    assert see_above["continuation_lines"] == "12"
    leading = forward.iloc[2]
    assert leading["category"] == "3C. Promotes Cultural Responsiveness in Practices, Policies, and Procedures"
    assert leading["endorsement_domain"] == "Leading People (MHM)"
    assert leading["demonstrated_by"].endswith("to help them become culturally sensitive individuals")
    assert result.stats["continuations"] == 2


def test_domain_paragraph_is_joined_across_page_break(tmp_path):
    result = _extract(tmp_path, DOMAIN_3 + HEADER + "\n" + ROWS_3B[0] + "\n")
    domain = result.domains.iloc[0]
    assert domain["domain_number"] == "3"
    assert domain["domain_title"] == "Equity and Inclusion"
    assert domain["description"].endswith("how adult- infant/ young child interactions shape the "
                                          "quality of relationships.")
    assert domain["description_lines"] == "3;5"


def test_header_repeated_after_page_break_is_not_a_row(tmp_path):
    text = DOMAIN_3 + HEADER + "\n" + ROWS_3B[0] + "\n\n" + HEADER + "\n" + ROWS_3B[1] + "\n"
    result = _extract(tmp_path, text)
    assert len(result.forward) == 2
    assert result.stats["header"] == 2


def test_split_header_column_merges_the_shifted_cells_under_it(tmp_path):
    row = ("5D.\t5D.3. Establishes and maintains positive relationships.\t•••\t≈ Workin, Others\t"
           "g with\tBuilding & Maintaining Relation- ships (MHM)\tBuilds and maintains effective "
           "interpersonal relationships")
    text = "5. Child- and Family-Focused Consultation\n\n" + SPLIT_HEADER + "\n" + row + "\n"
    forward = _extract(tmp_path, text).forward
    assert forward.iloc[0]["endorsement_domain"] == "≈ Workin, Others g with"
    assert forward.iloc[0]["area"] == "Building & Maintaining Relation- ships (MHM)"


def test_category_cell_without_code_starts_a_row(tmp_path):
    row = ("Promotes Secure and Supportive Relationships Between Infants and Young Children\t"
           "6A.1. Helps families and staff deepen their understanding.\t*\tDirect Service Skills\t"
           "Develop- mental Guid- ance (MHS)\tUses multiple strategies")
    text = "6. Classroom- and Home- Focused Consultation\n\n" + HEADER + "\n" + row + "\n"
    forward = _extract(tmp_path, text).forward
    assert len(forward) == 1
    assert forward.iloc[0]["category"].startswith("Promotes Secure")


def test_reverse_area_cut_by_a_page_break_continues_below_the_repeated_header(tmp_path):
    """The area's tail on the next page has no domain cell and the area above has no level
    tag yet: it is that area's tail, not an area of its own."""
    text = (DOMAIN_3 + HEADER + "\n" + ROWS_3B[0] + "\n\n" + REVERSE_HEADER + "\n"
            "Theoretical Foundations\tinfant/young child development and\t1C2, 2A2\n"
            "\n" + REVERSE_HEADER + "\n"
            "\tbehavior (IFA, IFS, MHS, MHM)\t2B1\n"
            "Theoretical Foundations\tcultural competence (IFA, IFS, MHS, MHM)\t1B2\n")
    reverse = _extract(tmp_path, text).reverse
    assert list(reverse["area"]) == [
        "infant/young child development and behavior (IFA, IFS, MHS, MHM)",
        "cultural competence (IFA, IFS, MHS, MHM)"]
    assert reverse.iloc[0]["coe_codes"] == "1C2, 2A2 2B1"
    assert reverse.iloc[0]["continuation_lines"] == "16"


def test_reverse_table_area_split_over_two_lines(tmp_path):
    text = (DOMAIN_3 + HEADER + "\n" + ROWS_3B[0] + "\n\n" + REVERSE_HEADER + "\n"
            "Theoretical Foundations (cont.)\tstatistics (MHM)\tUnique to Alliance\n"
            "Research &\tstudy of infant relationships & attachment (MHM – research/faculty)\t\n"
            "Eval-uation\t\tUnique to Alliance\n")
    reverse = _extract(tmp_path, text).reverse
    assert list(reverse["endorsement_domain"]) == ["Theoretical Foundations (cont.)",
                                                   "Research & Eval-uation"]
    assert reverse.iloc[1]["coe_codes"] == "Unique to Alliance"
    assert reverse.iloc[1]["source_line"] == 14


@pytest.mark.parametrize(
    "text, message, line",
    [
        pytest.param("1. Role\n\n1A.\t1A.1. Text\t*\tA\tB\tC\n", "before any table header", 3,
                     id="row-before-header"),
        pytest.param("1. Role\n\n" + HEADER + "\n1A.\t1A.1. Text\t*\tA\tB\tC\tD\tE\n",
                     "row has 8 cells, its table header has 6", 4, id="too-many-cells"),
        pytest.param("1. Role\n\n" + HEADER.replace("Essential or Important", "Priority") + "\n",
                     "unexpected table header column 3", 3, id="renamed-header-column"),
        pytest.param("1. Role\n\n" + HEADER + "\n\tand young children.\t\t\t\t\n",
                     "continuation line with no row above", 4, id="orphan-continuation"),
        pytest.param("Just prose.\n", "no crosswalk table rows found", None, id="no-table"),
    ],
)
def test_malformed_export_is_refused_with_its_line(tmp_path, text, message, line):
    with pytest.raises(PipelineError) as caught:
        _extract(tmp_path, text)
    assert message in str(caught.value)
    assert caught.value.line == line
    assert caught.value.path.endswith("export.txt")


def test_real_export_has_every_row_of_the_contract():
    result = extract_crosswalk_table(RAW_EXPORT,
                                     "coe-alliance-crosswalk-2023")
    assert len(result.domains) == 8
    assert len(result.forward) == 195
    assert len(result.reverse) == 62


def test_header_name_split_inside_a_word_over_two_fields(tmp_path):
    """A re-export may split a column name anywhere, not only into a name and an empty
    field: ``IECMH Endorse`` + ``ment Competency`` is one column, as are its cells."""
    header = SPLIT_HEADER.replace("IECMH Endorse Compet\t", "IECMH Endorse\tment Competency")
    row = ("5D.\t5D.3. Establishes and maintains positive relationships.\t•••\t≈ Workin\t"
           "g with Others\tBuilding & Maintaining Relationships (MHM)\tBuilds relationships")
    text = "5. Child- and Family-Focused Consultation\n\n" + header + "\n" + row + "\n"
    forward = _extract(tmp_path, text).forward
    assert forward.iloc[0]["endorsement_domain"] == "≈ Workin g with Others"
    assert forward.iloc[0]["area"] == "Building & Maintaining Relationships (MHM)"


# --- Completeness (issue 11): check_complete ---------------------------------------------

def _source(path: Path, **expect):
    from types import MappingProxyType

    from pipeline.sources import Source

    return Source(id="s", path=path.name, format="crosswalk-table-text", title="t", publisher="p",
                  citation="c", permission="p", sha256="0" * 64, raw_dir=path.parent,
                  expect=MappingProxyType(expect))


def _check(path: Path, **expect) -> None:
    from pipeline.extract.crosswalk_complete import check_complete

    result = extract_crosswalk_table(path, "s")
    check_complete(_source(path, **expect), {"domains": result.domains, "forward": result.forward,
                                              "reverse": result.reverse})


ROW = "{cat}\t{code}. Text of the skill.\t*\tDirect Service Skills\tarea\tdemonstrated"


def _export(tmp_path, *domains: tuple[int, list[str]], reverse: bool = True) -> Path:
    text = ""
    for number, codes in domains:
        text += f"{number}. Domain {number}\n\nIts paragraph.\n\n{HEADER}\n"
        text += "".join(ROW.format(cat=c[:2] + ".", code=c) + "\n" for c in codes)
    if reverse:
        text += f"\n{REVERSE_HEADER}\nTheoretical Foundations\tpregnancy\t1A1\n"
    return _write(tmp_path, text)


def test_the_real_export_is_complete():
    _check(RAW_EXPORT, domains=8, reverse_table=True, reverse_areas=62)


def test_an_excerpt_without_expectations_is_complete_if_it_has_no_gap(tmp_path):
    _check(_export(tmp_path, (3, ["3A.1", "3A.2", "3A.2", "3B.1"]), reverse=False))


@pytest.mark.parametrize(
    "domains, expect, message",
    [
        pytest.param([(1, ["1A.1", "1A.3"])], {}, ":7: competency 1A.2 is missing (after 1A.1 at "
                     "line 6): category 1A has 1A.1, 1A.3", id="gap-in-codes"),
        pytest.param([(1, ["1A.2"])], {}, ":6: competency 1A.1 is missing", id="first-code-missing"),
        pytest.param([(1, ["1A.1", "1C.1"])], {}, ":7: category 1B is missing: domain 1 has 1A, 1C",
                     id="gap-in-categories"),
        pytest.param([(1, ["1A.1"]), (2, ["2A.1"])], {"domains": 3},
                     ":12: domain 3 is missing: no heading '3. …'", id="last-domain-missing"),
        pytest.param([(1, ["1A.1", "2A.1"])], {}, ":7: competency 2A.1 sits under the heading of "
                     "domain 1", id="heading-missing"),
        pytest.param([(1, ["1A.1"])], {"reverse_areas": 2},
                     ":9: the reverse table has 1 areas, the manifest expects 2", id="reverse-short"),
    ],
)
def test_incomplete_crosswalk_is_refused_naming_file_line_and_what_is_missing(
        tmp_path, domains, expect, message):
    path = _export(tmp_path, *domains)
    with pytest.raises(PipelineError) as caught:
        _check(path, **expect)
    assert f"{path}{message}" in str(caught.value)


def test_missing_reverse_table_is_named_as_such(tmp_path):
    path = _export(tmp_path, (1, ["1A.1"]), reverse=False)
    with pytest.raises(PipelineError, match=r":6: the reverse table .* is missing"):
        _check(path, reverse_table=True)


def test_a_document_rewrapped_elsewhere_is_still_complete(tmp_path):
    """Completeness counts codes and areas, never lines: rows continued on other lines pass."""
    text = RAW_EXPORT.read_text(encoding="utf-8").replace(
        "1B.\t1B.2. Considers the influence of program",
        "1B.\t1B.2. Considers the influence\t\t\t\t\n\tof program", 1)
    path = _write(tmp_path, text)
    _check(path, domains=8, reverse_table=True, reverse_areas=62)


def test_a_decomposed_unicode_export_reads_as_the_composed_one(tmp_path):
    """The same text in NFD (≠ as = + U+0338) is the same document."""
    import unicodedata

    composed = RAW_EXPORT.read_text(encoding="utf-8")
    decomposed = tmp_path / "nfd.txt"
    decomposed.write_text(unicodedata.normalize("NFD", composed), encoding="utf-8")
    assert "=\u0338" in decomposed.read_text(encoding="utf-8")
    ours = extract_crosswalk_table(decomposed, "x")
    theirs = extract_crosswalk_table(RAW_EXPORT, "x")
    assert ours.forward.equals(theirs.forward) and ours.reverse.equals(theirs.reverse)
