"""The four stages and the build that chains them.

Stages hand data to each other only through Parquet files under ``<out>/interim/``, so
each can be re-run alone and ``make`` knows what is out of date:

    raw/ ──extract──▶ interim/extract/<source>/<frame>.parquet
         ──normalize─▶ interim/normalize/<table>.parquet
         ──validate──▶ interim/validated/<table>.parquet   (or build/reports/ and exit 1)
         ──publish───▶ <out>/<table>.{csv,json,parquet} + datapackage.json
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from pipeline.accounting import account_rows
from pipeline.errors import PipelineError, about_file
from pipeline.formats import FORMATS
from pipeline.limits import limits_in_force, refuse_long_cells
from pipeline.metadata import TABLES
from pipeline.metadata.profiles import DEFAULT_PROFILE
from pipeline.sources import Source, load_manifest, verify_sources


@dataclass(frozen=True)
class Paths:
    raw: Path
    out: Path
    #: where the stages keep their interim files; ``out`` unless a build works in scratch
    work: Path | None = None
    #: PDF table engine overriding the manifest's (``--engine``); None keeps the manifest's
    engine: str | None = None
    #: what publish writes: ``open`` (the text of sources whose terms forbid it withheld),
    #: ``full`` or ``codes-only`` (no verbatim text); see pipeline.metadata.profiles
    profile: str = DEFAULT_PROFILE

    @property
    def interim(self) -> Path:
        return (self.work or self.out) / "interim"

    @property
    def reports(self) -> Path:
        return self.out / "reports"

    def stage(self, name: str) -> Path:
        return self.interim / name


def checked_sources(paths: Paths) -> list[Source]:
    sources = load_manifest(paths.raw)
    verify_sources(sources)
    return sources


def run_extract(paths: Paths, log: Callable[[str], None] = print) -> list[Path]:
    sources = checked_sources(paths)
    target = paths.stage("extract")
    _reset(target)
    written = []
    for source in sources:
        if paths.engine and source.settings is not None:  # --engine beats the manifest
            source = replace(source, settings=source.settings.with_engine(paths.engine))
        source_format = FORMATS[source.format]
        with about_file(source.file):
            # The source's limits hold for every reader beneath (see pipeline.limits),
            # and no cell longer than its limit reaches the checks and repairs after this.
            with limits_in_force(source.limits):
                frames = source_format.extract(source)
            refuse_long_cells(frames, source.file, source.limits)
            # Nothing lost without a word: less than the document should hold stops here.
            source_format.check_complete(source, frames)
        for name, frame in frames.items():
            written.append(_write(frame, target / source.id / f"{name}.parquet"))
        counts = ", ".join(f"{len(f)} {n}" for n, f in frames.items())
        log(f"extract: {source.id}: {counts}")
    return written


def run_normalize(paths: Paths, log: Callable[[str], None] = print) -> list[Path]:
    # Imported here: the lexicon is costly to load and `extract` does not need it.
    from pipeline.transform import transform_sources

    sources = load_manifest(paths.raw)
    extracted = {}
    for source in sources:
        folder = paths.stage("extract") / source.id
        if not folder.is_dir():
            raise PipelineError(f"no extracted data for {source.id}", path=str(folder),
                                hint="run `crosswalk extract` first")
        extracted[source.id] = {p.stem: pd.read_parquet(p) for p in sorted(folder.glob("*.parquet"))}
    tables = transform_sources(sources, extracted, log)
    accounts, rejected = account_rows(sources, extracted, tables)
    for account in accounts:
        log(f"normalize: {account}")
    paths.reports.mkdir(parents=True, exist_ok=True)
    rejected.to_csv(paths.reports / "rejected_rows.csv", index=False, lineterminator="\n")
    target = paths.stage("normalize")
    _reset(target)
    written = [_write(tables[name], target / f"{name}.parquet") for name in TABLES if name in tables]
    issues = tables["quality_issues"]
    log(f"normalize: {len(tables['corrections'])} corrections, {len(issues)} quality issues")
    for issue in issues[issues["kind"] == "stale_spot_fix"].itertuples(index=False):
        log(f"warning: {issue.dataset} {issue.row_key}: {issue.detail}")
    return written


def _read_stage(paths: Paths, stage: str) -> dict[str, pd.DataFrame]:
    folder = paths.stage(stage)
    files = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
    if not files:
        previous = {"normalize": "normalize", "validated": "validate"}[stage]
        raise PipelineError(f"no {stage} tables", path=str(folder),
                            hint=f"run `crosswalk {previous}` first")
    return {p.stem: pd.read_parquet(p) for p in files}


def run_validate(paths: Paths, log: Callable[[str], None] = print) -> list[Path]:
    from pipeline.validate import (
        ValidationFailed,
        validate_tables,
        write_failure_report,
    )

    tables = _read_stage(paths, "normalize")
    try:
        validated = validate_tables(tables)
    except ValidationFailed as failure:
        report = write_failure_report(failure.failure_cases, paths.reports)
        failure.hint = f"every failing row is listed in {report}"
        raise
    target = paths.stage("validated")
    _reset(target)
    log(f"validate: {len(validated)} tables valid "
        f"({', '.join(f'{n} {len(f)}' for n, f in validated.items())})")
    return [_write(frame, target / f"{name}.parquet") for name, frame in validated.items()]


def run_publish(paths: Paths, log: Callable[[str], None] = print) -> list[Path]:
    """Write the validated tables; the previous files are replaced only once every new
    file is complete (see :mod:`pipeline.load.atomic`)."""
    from pipeline.load.atomic import replace_published, scratch_folder
    from pipeline.load.profiles import apply_profile
    from pipeline.load.publish import publish_tables

    # The full tables were validated; a profile only leaves cells, columns and datasets
    # out, as the sources' terms in the manifest say.
    sources = load_manifest(paths.raw)
    tables, contract = apply_profile(_read_stage(paths, "validated"), paths.profile,
                                     sources=sources)
    with scratch_folder(paths.out) as staged:
        publish_tables(tables, staged, sources, contract=contract)
        written = replace_published(staged, paths.out)
    log(f"publish: {len(tables)} datasets ({paths.profile}) written to {paths.out}")
    return written


def run_build(paths: Paths, log: Callable[[str], None] = print) -> None:
    """All four stages, their interim files in a scratch folder that is removed at the
    end: a failed or interrupted build leaves ``out`` as it was (but for its reports)."""
    from pipeline.load.atomic import scratch_folder

    with scratch_folder(paths.out) as scratch:
        work = replace(paths, work=scratch)
        for stage in (run_extract, run_normalize, run_validate, run_publish):
            stage(work, log)


def _reset(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def _write(frame: pd.DataFrame, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(path, index=False)
    return path
