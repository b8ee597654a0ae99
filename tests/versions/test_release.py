"""`crosswalk release`: the last release is the baseline, the changes decide the version,
and a failure anywhere leaves release.toml, CHANGELOG.md and build/ as they were.

Each test works in a git repository of its own (raw/ and the changelog copied from this
one, build/ built from raw/ once per module, release.toml in the repository's folder and
put where the build reads it), never in this repository's files.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import pipeline.data
import pipeline.load.datapackage
from pipeline import stages
from pipeline.cli import main
from pipeline.errors import PipelineError
from pipeline.versions import release as release_module
from pipeline.versions.release import latest_release_tag, make_release

ROOT = Path(__file__).resolve().parents[2]
#: The committed version file and changelog, copied, never written.
RELEASE_TOML = ROOT / "pipeline" / "data" / "release.toml"
CHANGELOG = ROOT / "CHANGELOG.md"
#: crosswalk 7C.1/1 (raw/coe-alliance-crosswalk-2023.txt, line 469), and with the typo an
#: older release had: the current sources then correct a text (a patch).
FIXED = "Attends to and manages complex group dynamics"
TYPO = "Attends to and manages complex group dynamcis"


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C",
                           str(repo), *args], check=True, capture_output=True, text=True)
    return done.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The published files of a build of raw/ (with the committed release.toml)."""
    out = tmp_path_factory.mktemp("built") / "build"
    stages.run_build(stages.Paths(ROOT / "raw", out), lambda line: None)
    shutil.rmtree(out / "reports", ignore_errors=True)
    return out


@pytest.fixture
def repo(tmp_path, built, monkeypatch) -> Path:
    """A repository with raw/, build/, CHANGELOG.md and release.toml, committed; the
    build and `crosswalk release` read and write its release.toml; cwd is its folder."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "raw", repo / "raw")
    shutil.copytree(built, repo / "build")
    shutil.copyfile(CHANGELOG, repo / "CHANGELOG.md")
    shutil.copyfile(RELEASE_TOML, repo / "release.toml")
    _git(repo.parent, "init", "-q", str(repo))
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "data")
    monkeypatch.setattr(pipeline.data, "RELEASE_TOML", repo / "release.toml")
    monkeypatch.setattr(pipeline.load.datapackage, "RELEASE_TOML", repo / "release.toml")
    monkeypatch.chdir(repo)
    return repo


def _version(repo: Path) -> str:
    return json.loads((repo / "build" / "datapackage.json").read_text())["version"]


def _release(repo: Path, change=None, tag: bool = True) -> str:
    """Commit build/ as the last release (changed by ``change(rows)`` on its crosswalk
    rows first) and tag it; return its version."""
    if change is not None:
        path = repo / "build" / "crosswalk.json"
        rows = json.loads(path.read_text(encoding="utf-8"))
        change(rows)
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
        _git(repo, "commit", "-q", "-am", "the release")
    version = _version(repo)
    if tag:
        _git(repo, "tag", f"data-v{version}")
    return version


def _with_typo(rows: list[dict]) -> None:
    [row] = [r for r in rows if FIXED in (r["coe_competency"] or "")]
    row["coe_competency"] = row["coe_competency"].replace(FIXED, TYPO)


def _without_last_row(rows: list[dict]) -> None:
    rows.pop()


def _files(repo: Path) -> dict[str, bytes]:
    files = {"release.toml": (repo / "release.toml").read_bytes(),
             "CHANGELOG.md": (repo / "CHANGELOG.md").read_bytes()}
    build = repo / "build"
    files.update({f"build/{p.relative_to(build)}": p.read_bytes() for p in build.rglob("*")
                  if p.is_file() and p.relative_to(build).parts[0] not in ("interim", "reports")})
    return files


def _bumped(version: str, part: int) -> str:
    numbers = [int(n) for n in version.split(".")]
    numbers[part] += 1
    return ".".join(str(n) if i <= part else "0" for i, n in enumerate(numbers))


def run(*args: str):
    return CliRunner().invoke(main, ["release", *args])


def test_nothing_changed_since_the_last_release_writes_nothing(repo):
    version = _release(repo)
    before = _files(repo)
    result = run()
    assert result.exit_code == 0, result.output
    assert (f"no change to the data since git:data-v{version} ({version}): nothing to release"
            in result.stdout)
    assert f"release: baseline git:data-v{version} (version {version}): the newest data-v* tag" \
        in result.stderr
    assert _files(repo) == before


@pytest.mark.parametrize("bump, part", [
    pytest.param("auto", 2, id="auto-is-patch"),
    pytest.param("major", 0, id="higher-than-needed"),
])
def test_a_text_correction_is_released(repo, bump, part):
    old = _release(repo, _with_typo)
    toml_before = (repo / "release.toml").read_text(encoding="utf-8")
    changelog_before = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    new = _bumped(old, part)
    result = run("--bump", bump, "--date", "2026-12-02")
    assert result.exit_code == 0, result.output
    # release.toml: the version and release date lines only, every comment kept
    released = re.search(r'^released = "(.*)"$', toml_before, re.MULTILINE).group(1)
    assert (repo / "release.toml").read_text(encoding="utf-8") == toml_before.replace(
        f'version = "{old}"', f'version = "{new}"').replace(
        f'released = "{released}"', 'released = "2026-12-02"')
    assert json.loads((repo / "build" / "datapackage.json").read_text(encoding="utf-8"))[
        "created"] == "2026-12-02T00:00:00Z"
    # build/ rebuilt with it
    assert _version(repo) == new
    # the changelog entry above the newest one
    changelog = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    entry = f"## {new} — 2026-12-02\n\nCompared with {old} (`git:data-v{old}` → `build`): **patch**"
    assert changelog.startswith(changelog_before.split("## ")[0] + entry)
    assert "- `crosswalk`: 1 row(s) changed: `7C.1/1` (coe_competency)" in changelog
    assert changelog.endswith(changelog_before[changelog_before.index("## "):])
    applied = "patch" if bump == "auto" else bump
    assert result.stdout.splitlines() == [
        f"data {old} → {new} ({applied}; the changes need patch), compared with git:data-v{old}",
        "review the changes, then commit and tag the release:",
        (f"  git add release.toml CHANGELOG.md build && git commit -m 'Data release {new}' "
         f"&& git tag data-v{new}")]


def test_a_lower_bump_than_the_changes_need_is_refused(repo):
    _release(repo, _without_last_row)  # the current build has one row more: minor
    before = _files(repo)
    result = run("--bump", "patch")
    assert result.exit_code == 2
    assert "error: the changes need a minor release (rows added or removed" in result.output
    assert "--bump minor" in result.output
    assert _files(repo) == before


def test_without_a_release_tag_the_last_commit_is_the_baseline(repo):
    version = _release(repo, tag=False)
    result = run()
    assert result.exit_code == 0, result.output
    assert (f"release: baseline git:HEAD (version {version}): no data-v* tag yet, so the last "
            "commit") in result.stderr


def test_the_newest_release_tag_is_found_in_version_order(repo):
    assert latest_release_tag(repo) is None
    for tag in ("data-v1.9.0", "data-v1.10.0", "data-v1.2.0", "data-vnext", "v9.0.0"):
        _git(repo, "tag", tag)
    assert latest_release_tag(repo) == "data-v1.10.0"


def test_outside_a_repository_there_is_no_baseline(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run()
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {tmp_path}: not a git repository")


@pytest.mark.parametrize("failure", [
    pytest.param("rebuild", id="the-rebuild-fails"),
    pytest.param("interrupt", id="the-rebuild-is-interrupted"),
    pytest.param("changelog", id="the-changelog-entry-fails-after-the-rebuild"),
    pytest.param("after-entry", id="the-build-showing-the-entry-fails"),
])
def test_a_failure_leaves_release_toml_changelog_and_build_as_they_were(repo, monkeypatch,
                                                                        failure):
    _release(repo, _with_typo)
    before = _files(repo)
    builds = []
    real_build = stages.run_build

    def run_build(paths, log):
        builds.append(paths.out)
        failing = {"rebuild": 2, "interrupt": 2, "after-entry": 3}.get(failure)
        if len(builds) == failing:
            # the new version is in release.toml by now, and is undone after this
            assert b'version = "' in (repo / "release.toml").read_bytes()
            assert (repo / "release.toml").read_bytes() != before["release.toml"]
            raise KeyboardInterrupt if failure == "interrupt" else PipelineError("disk gone")
        real_build(paths, log)

    def entry_fails(*args, **kwargs):
        assert _version(repo) != json.loads(before["build/datapackage.json"])["version"]
        raise PipelineError("cannot write the entry")

    monkeypatch.setattr(stages, "run_build", run_build)
    if failure == "changelog":
        monkeypatch.setattr(release_module, "changelog_entry", entry_fails)
    with pytest.raises(KeyboardInterrupt if failure == "interrupt" else PipelineError):
        make_release(log=lambda line: None)
    assert builds[1] == Path("build")
    assert _files(repo) == before


def test_an_entry_already_in_the_changelog_is_refused_before_anything_is_written(repo):
    old = _release(repo, _with_typo)
    changelog = repo / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    changelog.write_text(text.replace(f"## {old}", f"## {_bumped(old, 2)}\n\nHand-written.\n\n"
                                      f"## {old}", 1), encoding="utf-8")
    before = _files(repo)
    result = run()
    assert result.exit_code == 2
    assert f"the changelog already has an entry for {_bumped(old, 2)}" in result.output
    assert _files(repo) == before


def test_a_release_sets_the_version_and_date_of_citation_cff(repo):
    """CITATION.cff cites the data version: a release moves it with release.toml."""
    shutil.copyfile(ROOT / "CITATION.cff", repo / "CITATION.cff")
    old = _release(repo, _with_typo)
    before = (repo / "CITATION.cff").read_text(encoding="utf-8")
    new = _bumped(old, 2)
    result = run("--date", "2026-12-03")
    assert result.exit_code == 0, result.output
    after = (repo / "CITATION.cff").read_text(encoding="utf-8")
    released = re.search(r'^date-released: "(.*)"$', before, re.MULTILINE).group(1)
    assert after == before.replace(f'version: "{old}"', f'version: "{new}"').replace(
        f'date-released: "{released}"', 'date-released: "2026-12-03"')
    assert "git add release.toml CITATION.cff CHANGELOG.md build" in result.stdout


def test_a_failed_release_leaves_citation_cff_as_it_was(repo, monkeypatch):
    shutil.copyfile(ROOT / "CITATION.cff", repo / "CITATION.cff")
    _release(repo, _with_typo)
    before = (repo / "CITATION.cff").read_bytes()

    def entry_fails(*args, **kwargs):
        assert (repo / "CITATION.cff").read_bytes() != before  # written by now
        raise PipelineError("cannot write the entry")

    monkeypatch.setattr(release_module, "changelog_entry", entry_fails)
    with pytest.raises(PipelineError):
        make_release(date="2026-12-03", log=lambda line: None)
    assert (repo / "CITATION.cff").read_bytes() == before
