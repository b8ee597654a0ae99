"""`git:REV` sides: outside a repository, an unknown revision and a revision without a
build are three errors, each named as such."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import PipelineError
from pipeline.versions.builds import open_build

BUILD = Path(__file__).resolve().parents[2] / "build"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C",
                    str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path) -> Path:
    """A repository whose first commit has no build/ and whose second has one, tagged."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "README.md").write_text("# data\n", encoding="utf-8")
    _git(repo, "add", "README.md")
    _git(repo, "commit", "-q", "-m", "start")
    _git(repo, "tag", "before-build")
    shutil.copytree(BUILD, repo / "build", ignore=shutil.ignore_patterns("interim", "reports"))
    _git(repo, "add", "build")
    _git(repo, "commit", "-q", "-m", "build")
    _git(repo, "tag", "data-v1.0.0")
    return repo


def test_a_tagged_build_is_read(repo):
    build = open_build("git:data-v1.0.0", repo=repo)
    assert build.label == "git:data-v1.0.0" and "crosswalk" in build.resources


@pytest.mark.parametrize("spec, words", [
    pytest.param("git:v1.0.0", ["git:v1.0.0: unknown revision 'v1.0.0'", "git tag",
                                "git log"], id="unknown-tag"),
    pytest.param("git:HEAD~5", ["unknown revision 'HEAD~5'"], id="unknown-ancestor"),
    pytest.param("git:before-build", ["revision before-build (",
                                      "has no build/datapackage.json",
                                      "git log --oneline -- build/datapackage.json"],
                 id="revision-without-build"),
])
def test_a_revision_that_cannot_be_read_says_why(repo, spec, words):
    with pytest.raises(PipelineError) as caught:
        open_build(spec, repo=repo)
    for word in words:
        assert word in str(caught.value)


def test_outside_a_repository_says_so(tmp_path):
    with pytest.raises(PipelineError, match="not a git repository"):
        open_build("git:HEAD", repo=tmp_path)


def test_diff_names_an_unknown_revision(repo, monkeypatch):
    """The regression: `crosswalk diff git:v1.0.0 build` said "no build/datapackage.json
    at that revision" for a tag that does not exist."""
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(main, ["diff", "git:v1.0.0", "build"])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {repo}: git:v1.0.0: unknown revision 'v1.0.0'\n")
    assert "no build/datapackage.json" not in result.output
