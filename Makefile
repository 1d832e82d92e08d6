# auctool: every target sets up (or refreshes) the local virtualenv itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PYTEST_FLAGS ?=

.PHONY: setup test test-all demo bench lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "auctool needs Python >= 3.11 (set PYTHON=...)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## fast suite (the README's test command; CI runs it)
test: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow" $(PYTEST_FLAGS)

## everything, including slow tests (kill/resume, national scale, cutoff sweeps)
test-all: $(STAMP)
	$(BIN)/python -m pytest -q $(PYTEST_FLAGS)

## the main job on the bundled default instances
demo: $(STAMP)
	$(BIN)/python -m auctool.demo

## benchmarks: tables of figures and ratios against a baseline measured in the same run
bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check auctool tests bench
	$(BIN)/ruff format --check auctool tests bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build *.egg-info
