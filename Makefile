# make build — set up .venv from the pinned lock file, then rebuild what is out of date.
# make test  — the test suite (same set-up); make test-fast leaves out the slow tests.
# make bench — timings.
# make system-packages — the Debian packages the OCR route and the browser test need
#   (tesseract-ocr, chromium): installed with apt-get when missing; make test runs it.
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
                    pipeline/runtime/*.py \
                    pipeline/data/__init__.py)
EXTRACT_CODE   := $(wildcard pipeline/extract/*.py) $(CORE_CODE)
TRANSFORM_CODE := $(wildcard pipeline/transform/*.py pipeline/transform/cells/*.py \
                    pipeline/data/*.txt pipeline/data/*.csv pipeline/data/*/*.csv)
VALIDATE_CODE  := $(wildcard schemas/*.py pipeline/validate/*.py pipeline/data/typos.csv)
LOAD_CODE      := $(wildcard pipeline/load/*.py pipeline/load/site/* \
                    pipeline/data/release.toml) CHANGELOG.md

.PHONY: build test test-fast bench setup system-packages clean-interim

# Debian packages, not Python ones: Tesseract reads scanned PDFs (docs/ocr.md), Chromium
# and its driver run the explorer page's browser test. A build of the text sources or of a
# PDF with a text layer needs none of them.
SYSTEM_PACKAGES := tesseract-ocr tesseract-ocr-eng chromium chromium-driver
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

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

system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    echo "installing" $$missing; \
	    $(SUDO) apt-get update -q && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi

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

# On every core (pytest-xdist): each worker builds its own session fixtures.
test: $(DEV_READY) system-packages
	$(BIN)/python -m pytest -n auto

# The suite without the tests marked slow (fuzzing, the 100x input): for a quick loop.
test-fast: $(DEV_READY) system-packages
	$(BIN)/python -m pytest -n auto -m "not slow"

# One table: the text build, the PDF engines and OCR, each against floors measured in the
# same run (docs/how-it-works.md#benchmark).
bench: $(DEV_READY)
	$(BIN)/python bench/bench.py

clean-interim:
	rm -rf build/interim build/reports
