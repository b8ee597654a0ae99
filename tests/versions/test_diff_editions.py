"""``crosswalk diff`` on a revised edition of the crosswalk says what the edition changed
(issue 13): a competency inserted, removed or moved renumbers those after it, and the diff
reports each shifted competency, and each of its mapping rows, as *renumbered* (old key →
new key), not as a rewrite of its neighbour.

The editions come from tools/make_revised_edition.py: the real
raw/coe-alliance-crosswalk-2023.txt (the base) and revisions of it by declared operations,
each built into a temporary folder. The truth of what changed comes from those operations
and the two builds, independent of how the diff finds it; tools/score_diff.py compares the
diff's claims with it.
"""

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

from pipeline.stages import Paths, run_build
from pipeline.versions.diff import diff_builds
from pipeline.versions.diff_format import to_json

ROOT = Path(__file__).resolve().parents[2]
RAW_EXPORT = ROOT / "raw" / "coe-alliance-crosswalk-2023.txt"


def _tool(name: str):
    """A module of tools/ (not a package; tests run with --import-mode=importlib)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


edition = _tool("make_revised_edition")
scoring = _tool("score_diff")

DATASETS = tuple(edition.KEYS)  # coe_competencies, crosswalk
#: Seeded random editions: (seed, number of operations).
RANDOM_EDITIONS = ((3, 14), (11, 24))
MIN_F1 = 0.98


def _build(raw: Path, out: Path) -> Path:
    run_build(Paths(raw, out), log=lambda message: None)
    return out


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """The build of the real text export alone (a one-entry manifest)."""
    folder = tmp_path_factory.mktemp("base")
    raw = edition.write_raw(folder / "raw", RAW_EXPORT.read_text(encoding="utf-8"),
                            edition.source_entry())
    return _build(raw, folder / "build")


def _compare(base: Path, folder: Path, operations) -> tuple[dict, dict, object]:
    """(the diff's JSON report, the truth, the revision) of the base and its revision."""
    revision = edition.revise(RAW_EXPORT.read_text(encoding="utf-8"), operations)
    raw = edition.write_raw(folder / "raw", revision.text, edition.source_entry())
    build = _build(raw, folder / "build")
    truth = edition.truth(base, build, revision.correspondence())
    report = to_json(diff_builds(str(base), str(build)))
    return json.loads(json.dumps(report)), truth, revision


@pytest.fixture(scope="module")
def default(base, tmp_path_factory):
    return _compare(base, tmp_path_factory.mktemp("default-edition"),
                    edition.DEFAULT_OPERATIONS)


def _explain(report: dict, found: dict) -> str:
    note = ("" if report.get("format_version", 1) >= 2 else
            "\n(the report is format_version 1: it has no renumbered rows, so every shifted "
            "row shows as changed, added or removed)")
    return scoring.format_differences(found) + note


def test_the_report_lists_renumbered_rows(default):
    report, _, _ = default
    assert report["format_version"] == 2, (
        f"the diff report is format_version {report['format_version']}; renumbered rows "
        "come with version 2")
    for dataset in report["datasets"]:
        assert "renumbered" in dataset, f"{dataset['name']} has no 'renumbered' list"


@pytest.mark.parametrize("kind", scoring.KINDS)
@pytest.mark.parametrize("dataset", DATASETS)
def test_the_default_edition_s_claims_are_the_truth(default, dataset, kind):
    report, truth, _ = default
    true = scoring.truth_claims(truth)
    found = scoring.differences(scoring.report_claims(report, DATASETS), true)
    wrong = found.get(dataset, {}).get(kind)
    assert wrong is None, (
        f"{dataset}: the diff's {kind} rows are not those the default edition made "
        f"({len(true[dataset][kind])} in the truth)\n"
        + _explain(report, {dataset: {kind: wrong}}))


@pytest.mark.parametrize("seed, count", RANDOM_EDITIONS,
                         ids=[f"seed{s}-{n}ops" for s, n in RANDOM_EDITIONS])
def test_a_random_edition_is_diffed_with_f1_of_at_least_098(base, tmp_path_factory, seed, count):
    operations = edition.random_operations(RAW_EXPORT.read_text(encoding="utf-8"), seed, count)
    report, truth, _ = _compare(base, tmp_path_factory.mktemp(f"random-{seed}"), operations)
    true = scoring.truth_claims(truth)
    made = scoring.report_claims(report, DATASETS)
    scores = scoring.score(made, true)
    f1 = scores["overall"]["all"].f1
    assert f1 >= MIN_F1, (
        f"seed {seed}: overall F1 {f1:.3f} < {MIN_F1}\n{scoring.format_scores(scores)}\n\n"
        + _explain(report, scoring.differences(made, true)) + "\n\noperations:\n"
        + "\n".join(json.dumps(edition.operation_to_dict(o), ensure_ascii=False)
                    for o in operations))


def _renumbered(report: dict, dataset: str) -> list[dict]:
    entry = next(d for d in report["datasets"] if d["name"] == dataset)
    assert "renumbered" in entry, (
        f"{dataset}: the report (format_version {report.get('format_version')}) has no "
        "renumbered rows")
    return entry["renumbered"]


@pytest.mark.parametrize("dataset", DATASETS)
def test_renumbered_pairs_carry_their_similarity(default, dataset):
    report, truth, _ = default
    pairs = _renumbered(report, dataset)
    assert pairs, (f"{dataset}: no renumbered rows "
                   f"({len(truth[dataset]['renumbered'])} in the truth)")
    wrong = [f"{p.get('old_label')} → {p.get('new_label')}: similarity {p.get('similarity')!r}"
             for p in pairs if not isinstance(p.get("similarity"), (int, float))
             or isinstance(p.get("similarity"), bool) or not 0 <= p["similarity"] <= 1]
    assert not wrong, "renumbered pairs without a similarity in [0, 1]:\n" + "\n".join(wrong)


def test_a_renumbered_and_reworded_competency_shows_its_new_words(default):
    """The default edition rewords the old 3B.3, which its insertion of a new 3B.2 makes
    3B.4: the pair's changed cells show the text before and after."""
    report, truth, _ = default
    moved = {old["coe_code"]: new["coe_code"]
             for old, new in truth["coe_competencies"]["renumbered"]}
    rewords = [o for o in edition.DEFAULT_OPERATIONS
               if isinstance(o, edition.Reword) and o.code in moved]
    assert rewords, "the default edition should reword a competency it renumbers"
    for dataset, column in (("coe_competencies", "competency_text"),
                            ("crosswalk", "coe_competency")):
        pairs = _renumbered(report, dataset)
        for reword in rewords:
            mine = [p for p in pairs if p["old_key"]["coe_code"] == reword.code]
            assert mine, (f"{dataset}: {reword.code} → {moved[reword.code]} is not reported "
                          "renumbered")
            for pair in mine:
                assert pair["new_key"]["coe_code"] == moved[reword.code]
                cells = {c["field"]: c for c in pair.get("cells", [])}
                assert column in cells, (f"{dataset} {pair.get('old_label')} → "
                                         f"{pair.get('new_label')}: no {column} among the "
                                         f"changed cells {sorted(cells)}")
                for old_word, new_word in reword.changes:
                    assert re.search(rf"\b{old_word}\b", cells[column]["old"]), cells[column]
                    assert re.search(rf"\b{new_word}\b", cells[column]["new"]), cells[column]
