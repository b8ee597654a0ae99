"""The four stages and the build that chains them.

Run one by one (``crosswalk extract|normalize|validate|publish``, as ``make`` does), the
stages hand data to each other through Parquet files under ``<out>/interim/``, so each can
be re-run alone and ``make`` knows what is out of date:

    raw/ ──extract──▶ interim/extract/<source>/<frame>.parquet
         ──normalize─▶ interim/normalize/<table>.parquet
         ──validate──▶ interim/validated/<table>.parquet   (or build/reports/ and exit 1)
         ──publish───▶ <out>/<table>.{csv,json,parquet} + datapackage.json

``crosswalk build`` runs the same four steps (``extract_frames``, ``normalize_tables``,
``validated_tables``, ``publish_validated``) in one process and hands the frames over in
memory, as they would come back from the Parquet files (:func:`_as_read_back`), writing
no interim file.
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
from pipeline.sources import (
    MANIFEST_NAME,
    PDF_FORMATS,
    Source,
    load_manifest,
    verify_sources,
)


@dataclass(frozen=True)
class Paths:
    raw: Path
    out: Path
    #: where the stage commands keep their interim files; ``out`` unless given
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


#: Frames by source id, then by frame name: what extract hands to normalize.
Extracted = dict[str, dict[str, pd.DataFrame]]
#: The rows normalize rejects, with their reasons, in the reports folder.
REJECTED_ROWS = "rejected_rows.csv"


def run_extract(paths: Paths, log: Callable[[str], None] = print) -> list[Path]:
    extracted = extract_frames(paths, log)
    target = paths.stage("extract")
    _reset(target)
    return [_write(frame, target / source_id / f"{name}.parquet")
            for source_id, frames in extracted.items() for name, frame in frames.items()]


def extract_frames(paths: Paths, log: Callable[[str], None] = print,
                   sources: list[Source] | None = None) -> Extracted:
    """Every source's raw frames, each source checked against the manifest first (or
    ``sources``, already checked)."""
    extracted: Extracted = {}
    for source in checked_sources(paths) if sources is None else sources:
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
        extracted[source.id] = frames
        counts = ", ".join(f"{len(f)} {n}" for n, f in frames.items())
        log(f"extract: {source.id}: {counts}")
    return extracted


def run_normalize(paths: Paths, log: Callable[[str], None] = print) -> list[Path]:
    extracted = {}
    for source in load_manifest(paths.raw):
        folder = paths.stage("extract") / source.id
        if not folder.is_dir():
            raise PipelineError(f"no extracted data for {source.id}", path=str(folder),
                                hint="run `crosswalk extract` first")
        extracted[source.id] = {p.stem: pd.read_parquet(p) for p in sorted(folder.glob("*.parquet"))}
    tables = normalize_tables(paths, extracted, log)
    target = paths.stage("normalize")
    _reset(target)
    return [_write(tables[name], target / f"{name}.parquet") for name in TABLES if name in tables]


def normalize_tables(paths: Paths, extracted: Extracted,
                     log: Callable[[str], None] = print) -> dict[str, pd.DataFrame]:
    """The clean tables of every declared dataset (and the account of every source row,
    its rejected rows written to the reports folder)."""
    # Imported here: the lexicon is costly to load and `extract` does not need it.
    from pipeline.transform import transform_sources

    sources = load_manifest(paths.raw)
    tables = transform_sources(sources, extracted, log)
    accounts, rejected = account_rows(sources, extracted, tables)
    for account in accounts:
        log(f"normalize: {account}")
    paths.reports.mkdir(parents=True, exist_ok=True)
    rejected.to_csv(paths.reports / REJECTED_ROWS, index=False, lineterminator="\n")
    issues = tables["quality_issues"]
    log(f"normalize: {len(tables['corrections'])} corrections, {len(issues)} quality issues")
    for issue in issues[issues["kind"] == "stale_spot_fix"].itertuples(index=False):
        log(f"warning: {issue.dataset} {issue.row_key}: {issue.detail}")
    return {name: tables[name] for name in TABLES if name in tables}


def _read_stage(paths: Paths, stage: str) -> dict[str, pd.DataFrame]:
    folder = paths.stage(stage)
    files = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
    if not files:
        previous = {"normalize": "normalize", "validated": "validate"}[stage]
        raise PipelineError(f"no {stage} tables", path=str(folder),
                            hint=f"run `crosswalk {previous}` first")
    return {p.stem: pd.read_parquet(p) for p in files}


def run_validate(paths: Paths, log: Callable[[str], None] = print) -> list[Path]:
    validated = validated_tables(paths, _read_stage(paths, "normalize"), log)
    target = paths.stage("validated")
    _reset(target)
    return [_write(frame, target / f"{name}.parquet") for name, frame in validated.items()]


def validated_tables(paths: Paths, tables: dict[str, pd.DataFrame],
                     log: Callable[[str], None] = print) -> dict[str, pd.DataFrame]:
    """The tables as validated (coerced to the contract's types); on failure every
    failing row is written to the reports folder and :class:`ValidationFailed` raised."""
    from pipeline.validate import (
        ValidationFailed,
        validate_tables,
        write_failure_report,
    )

    try:
        validated = validate_tables(tables)
    except ValidationFailed as failure:
        report = write_failure_report(failure.failure_cases, paths.reports)
        failure.hint = f"every failing row is listed in {report}"
        raise
    log(f"validate: {len(validated)} tables valid "
        f"({', '.join(f'{n} {len(f)}' for n, f in validated.items())})")
    return validated


def run_publish(paths: Paths, log: Callable[[str], None] = print) -> list[Path]:
    """Write the validated tables; the previous files are replaced only once every new
    file is complete (see :mod:`pipeline.load.atomic`)."""
    return publish_validated(paths, _read_stage(paths, "validated"), log)


def publish_validated(paths: Paths, validated: dict[str, pd.DataFrame],
                      log: Callable[[str], None] = print) -> list[Path]:
    """:func:`run_publish` of tables already in memory."""
    from pipeline.load.atomic import replace_published, scratch_folder
    from pipeline.load.profiles import apply_profile
    from pipeline.load.publish import publish_tables

    # The full tables were validated; a profile only leaves cells, columns and datasets
    # out, as the sources' terms in the manifest say.
    sources = load_manifest(paths.raw)
    tables, contract = apply_profile(validated, paths.profile, sources=sources)
    with scratch_folder(paths.out) as staged:
        publish_tables(tables, staged, sources, contract=contract)
        written = replace_published(staged, paths.out)
    log(f"publish: {len(tables)} datasets ({paths.profile}) written to {paths.out}")
    return written


def run_build(paths: Paths, log: Callable[[str], None] = print, reuse: bool = True) -> None:
    """All four stages in one process, the frames handed over in memory: no interim file
    is written, and a failed or interrupted build leaves ``out`` as it was (but for its
    reports), as publish replaces the previous files only once every new one is complete.

    When nothing the validated tables depend on changed since the last build into ``out``
    (:mod:`pipeline.runtime.build_cache`), and ``reuse`` allows it, its validated tables are
    published again and extract, normalize and validate do not run."""
    from pipeline.runtime.build_cache import (
        LogRecorder,
        build_key,
        load_reusable,
        store_reusable,
    )

    # Checked first in either case: a source that changed without its manifest entry
    # stops a build that would reuse earlier results as it stops a full one.
    sources = checked_sources(paths)
    key = build_key(paths.raw / MANIFEST_NAME, paths.engine,
                    uses_pdf=any(s.format in PDF_FORMATS for s in sources))
    cache, rejected = paths.stage("build"), paths.reports / REJECTED_ROWS
    reused = load_reusable(cache, key) if reuse else None
    if reused is not None:
        log(f"build: nothing the tables depend on changed since the last build into "
            f"{paths.out} (sources, manifest, code, libraries: key {key[:12]}), so its "
            "validated tables are published again; its log follows (--no-cache runs "
            "every stage)")
        for line in reused.lines:
            log(line)
        paths.reports.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(reused.rejected, rejected)
        publish_validated(paths, reused.tables, log)
        return
    recorder = LogRecorder(log)
    extracted = {source_id: _handed_over(frames)
                 for source_id, frames in extract_frames(paths, recorder, sources).items()}
    tables = normalize_tables(paths, extracted, recorder)
    validated = _handed_over(validated_tables(paths, _handed_over(tables), recorder))
    publish_validated(paths, validated, log)
    # Kept only once published: a failed build leaves the previous entry, which still
    # matches the previous (untouched) datasets.
    store_reusable(cache, key, validated, recorder.lines, rejected)


def _handed_over(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    # By name, as the next stage reads them from their folder (see _read_stage).
    return {name: _as_read_back(frames[name]) for name in sorted(frames)}


def _reset(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def _as_read_back(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as the next stage would read it back from its Parquet file (column
    types, nulls, a fresh index), without the file: one Arrow conversion each way."""
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=False).to_pandas()


def _write(frame: pd.DataFrame, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(path, index=False)
    return path
