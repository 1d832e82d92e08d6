# auctool: every target sets up (or refreshes) the local virtualenv itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PYTEST_FLAGS ?=

.PHONY: setup test test-all demo bench lint clean sets sets-default sets-national sets-new-york \
	world-national world-regions

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

## the main job on the shipped New York region (real FCC pairs; work mode, so it replays exactly)
demo: $(STAMP)
	$(BIN)/python scripts/demo.py

## benchmarks: tables of figures and ratios against a baseline measured in the same run
bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check auctool tests bench scripts
	$(BIN)/ruff format --check auctool tests bench scripts

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build *.egg-info

## rebuild the bundled instance sets: the small world's (a few minutes) and the national ones
sets: sets-default sets-national sets-new-york

sets-default: $(STAMP)
	rm -rf build/recording instances/sets/train instances/sets/test
	for seed in 1 2 3 4; do \
	  $(BIN)/auctool simulate instances/worlds/default --cutoff 1 --on-timeout freeze --seed $$seed \
	    --record build/recording --quiet || exit 1; \
	done
	$(BIN)/auctool instances split build/recording --train instances/sets/train \
	  --test instances/sets/test --test-seeds 3,4 --drop-solved-by presolve:previous \
	  --drop-solved-by cache --most 150 --seed 1

## the national world: the FCC's real 2013 pairs, the model only for what they lack (~30 s)
world-national: $(STAMP)
	@test -d $(FCC)/satfc2013 || { echo "world-national needs the FCC data (FCC=$(FCC))"; exit 2; }
	$(BIN)/auctool data national instances/worlds/national --fcc $(FCC) --force --quiet
	gzip -9f instances/worlds/national/Interference_Paired.csv

## the national sets: two national auctions with Auction 1001's participants (~20 minutes
## each on 2 cores; seed 1 trains, seed 2 tests), stratified by answer
FCC ?= ../shared/data/fcc
sets-national: $(STAMP)
	@test -f $(FCC)/auction1001/reverse-stations.csv || { echo "sets-national needs the FCC data (FCC=$(FCC))"; exit 2; }
	rm -rf build/national-recording instances/sets/national-train instances/sets/national-test
	for seed in 1 2; do \
	  $(BIN)/auctool simulate instances/worlds/national --clearing-target 84 --cutoff 1 --on-timeout freeze \
	    --seed $$seed --participants $(FCC)/auction1001/reverse-stations.csv \
	    --record build/national-recording --record-sat-share 0.03 --quiet || exit 1; \
	done
	$(BIN)/auctool instances split build/national-recording --train instances/sets/national-train \
	  --test instances/sets/national-test --test-seeds 2 --drop-solved-by presolve:previous \
	  --drop-solved-by cache --most 80 --stratify --seed 1

## a region of the national world on its real pairs: New York's DMA and every station one
## interference hop away, with Auction 1001's participants among them (~10 s)
world-regions: $(STAMP)
	@test -f $(FCC)/auction1001/reverse-stations.csv || { echo "world-regions needs the FCC data (FCC=$(FCC))"; exit 2; }
	$(BIN)/auctool data region instances/worlds/national instances/worlds/new-york --dma "New York" \
	  --links 1 --participants $(FCC)/auction1001/reverse-stations.csv --force --quiet
	gzip -9f instances/worlds/new-york/Interference_Paired.csv

## the New York sets: 8 regional auctions under the FCC's rule at 1 s of work (~2 minutes
## each; seeds 1-6 train, 7-8 test), leaving out what the band's previous packing, the
## cache or the first local search answers (the questions where checkers differ),
## stratified by answer
sets-new-york: $(STAMP)
	rm -rf build/new-york-recording instances/sets/new-york-train instances/sets/new-york-test
	for seed in 1 2 3 4 5 6 7 8; do \
	  $(BIN)/auctool simulate instances/worlds/new-york --cutoff 1 --on-timeout freeze \
	    --budget-mode work --seed $$seed --record build/new-york-recording --quiet > /dev/null || exit 1; \
	done
	$(BIN)/auctool instances split build/new-york-recording --train instances/sets/new-york-train \
	  --test instances/sets/new-york-test --test-seeds 7,8 --drop-solved-by presolve:previous \
	  --drop-solved-by cache --drop-solved-by presolve:local-search --most 150 --stratify --seed 1
