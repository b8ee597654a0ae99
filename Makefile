# make build — set up .venv from the pinned lock file, then rebuild what is out of date.
# make test  — the test suite (same set-up); make test-fast leaves out the slow tests.
# make bench — timings.
# Each stage leaves a stamp under build/interim/, so a second `make build` with nothing
# changed does no work.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready
DEV_READY := $(VENV)/.dev-ready
CLI    := $(BIN)/crosswalk
STAMPS := build/interim

RAW            := $(wildcard raw/*)
# What each stage reads, so that `make` re-runs a stage, and those after it, only when
# something it depends on changed: a change to the diff, the changelog or the CLI
# (pipeline/versions/, pipeline/cli/) re-runs nothing.
CORE_CODE      := $(wildcard pipeline/*.py pipeline/sources/*.py pipeline/metadata/*.py \
                    pipeline/data/__init__.py)
EXTRACT_CODE   := $(wildcard pipeline/extract/*.py) $(CORE_CODE)
TRANSFORM_CODE := $(wildcard pipeline/transform/*.py pipeline/transform/cells/*.py \
                    pipeline/data/*.txt pipeline/data/*.csv pipeline/data/*/*.csv)
VALIDATE_CODE  := $(wildcard schemas/*.py pipeline/validate/*.py pipeline/data/typos.csv)
LOAD_CODE      := $(wildcard pipeline/load/*.py pipeline/data/release.toml)

.PHONY: build test test-fast bench setup clean-interim

build: $(READY) build/datapackage.json

setup: $(READY)

$(READY): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# Test-only packages (pytest, hypothesis, the fixture renderers) from their own lock.
$(DEV_READY): $(READY) requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	touch $@

$(STAMPS)/extract.done: $(READY) $(RAW) $(EXTRACT_CODE)
	$(CLI) extract
	touch $@

$(STAMPS)/normalize.done: $(STAMPS)/extract.done $(TRANSFORM_CODE)
	$(CLI) normalize
	touch $@

$(STAMPS)/validate.done: $(STAMPS)/normalize.done $(VALIDATE_CODE)
	$(CLI) validate
	touch $@

# The default profile, open: build/ is committed, so the text of a source whose terms
# (redistribution in raw/sources.toml) forbid redistributing it is withheld there.
build/datapackage.json: $(STAMPS)/validate.done $(LOAD_CODE)
	$(CLI) publish
	touch $@

test: $(DEV_READY)
	$(BIN)/python -m pytest

# The suite without the tests marked slow (fuzzing, the 100x input): for a quick loop.
test-fast: $(DEV_READY)
	$(BIN)/python -m pytest -m "not slow"

bench: $(DEV_READY)
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/bench_pdf.py

clean-interim:
	rm -rf build/interim build/reports
