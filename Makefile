# make build — set up .venv from the pinned lock file, then rebuild what is out of date.
# make test  — the test suite (same set-up).  make bench — timings.
# Each stage leaves a stamp under build/interim/, so a second `make build` with nothing
# changed does no work.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready
CLI    := $(BIN)/crosswalk
STAMPS := build/interim

RAW            := $(wildcard raw/*)
CORE_CODE      := $(wildcard pipeline/*.py pipeline/metadata/*.py pipeline/data/*)
EXTRACT_CODE   := $(wildcard pipeline/extract/*.py) $(CORE_CODE)
TRANSFORM_CODE := $(wildcard pipeline/transform/*.py pipeline/data/* pipeline/data/*/*)
SCHEMA_CODE    := $(wildcard schemas/*.py)
LOAD_CODE      := $(wildcard pipeline/load/*.py)

.PHONY: build test bench setup clean-interim

build: $(READY) build/datapackage.json

setup: $(READY)

$(READY): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(STAMPS)/extract.done: $(READY) $(RAW) $(EXTRACT_CODE)
	$(CLI) extract
	touch $@

$(STAMPS)/normalize.done: $(STAMPS)/extract.done $(TRANSFORM_CODE)
	$(CLI) normalize
	touch $@

$(STAMPS)/validate.done: $(STAMPS)/normalize.done $(SCHEMA_CODE) pipeline/validate.py
	$(CLI) validate
	touch $@

build/datapackage.json: $(STAMPS)/validate.done $(LOAD_CODE)
	$(CLI) publish
	touch $@

test: $(READY)
	$(BIN)/python -m pytest

bench: $(READY)
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/bench_pdf.py

clean-interim:
	rm -rf build/interim build/reports
