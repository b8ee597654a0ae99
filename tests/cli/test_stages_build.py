"""`crosswalk build` hands its frames over in memory: the same files as the four stage
commands that `make` runs one by one through the interim Parquet files, no interim stage
file left, and only the libraries a build of the text sources needs."""

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "raw"


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_build_in_memory_writes_what_the_stage_commands_write(tmp_path):
    built, staged = tmp_path / "built", tmp_path / "staged"
    result = run("build", "--raw", RAW, "--out", built)
    assert result.exit_code == 0, result.output
    for command in ("extract", "normalize", "validate", "publish"):
        result = run(command, "--raw", RAW, "--out", staged)
        assert result.exit_code == 0, result.output
    assert published_files(built) == published_files(staged)


def published_files(folder: Path) -> dict[str, bytes]:
    return {name: data for name, data in files_of(folder).items()
            if not name.startswith("interim/")}


def test_build_writes_no_interim_stage_file_only_its_reusable_results(tmp_path):
    result = run("build", "--raw", RAW, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "interim").iterdir()] == ["build"]  # pipeline.runtime.build_cache
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    assert sorted(p.name for p in (tmp_path / "interim").iterdir() if p.name.startswith(".")) == []


#: Libraries a build of the text sources never needs: PDF readers, the package
#: validator, the manifest editor, wordfreq's tokenizers (its table is read directly).
NOT_FOR_TEXT = ("camelot", "pdfplumber", "pypdfium2", "frictionless", "tomlkit", "wordfreq",
                "ftfy", "langcodes", "cv2", "tqdm")


def test_text_build_imports_no_pdf_reader_nor_package_validator(tmp_path):
    code = ("import json, sys\n"
            "from pipeline.cli import main\n"
            f"main(['build', '--raw', {str(RAW)!r}, '--out', {str(tmp_path / 'out')!r}],"
            " standalone_mode=False)\n"
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    imported = set(json.loads(result.stdout.splitlines()[-1]))
    assert "pipeline" in imported and (tmp_path / "out" / "datapackage.json").is_file()
    assert imported.isdisjoint(NOT_FOR_TEXT), sorted(imported & set(NOT_FOR_TEXT))
