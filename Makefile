# Telusur — `make run` serves the sample archive; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INDEX_DIR ?= index_data
SAMPLE := sample_archive/nasional.jsonl sample_archive/daerah.csv sample_archive/kliping \
	sample_archive/halaman sample_archive/web/arsip-2025-11.warc.gz
# The sample's fictional outlets, so their pages' URLs and datelines name them.
SAMPLE_OUTLETS := TELUSUR_OUTLETS_FILE=sample_archive/outlets.json
export TELUSUR_INDEX_DIR ?= $(INDEX_DIR)

.PHONY: install run index rebuild test lint bench browser

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Build the index from the sample archive only when there is none yet. An index an older
# Telusur built gets its open-time files written again (else each worker derives its own copy).
index: install
	@if [ -e "$(INDEX_DIR)/current" ]; then echo "Index present in $(INDEX_DIR)/ (make rebuild to rebuild it)"; \
	$(BIN)/telusur optimize --upgrade-only; \
	else $(SAMPLE_OUTLETS) $(BIN)/telusur rebuild-index $(SAMPLE); fi

rebuild: install
	$(SAMPLE_OUTLETS) $(BIN)/telusur rebuild-index $(SAMPLE)

run: index
	@echo "Telusur on http://127.0.0.1:8000"
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy index_format indexer search webui wsgi.py
	$(BIN)/lint-imports

# The browser tests drive Debian's chromium (never `playwright install`: no browser downloads).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@command -v chromium >/dev/null || ($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium)

# The README's screenshots (docs/screenshots/), desktop and phone, from the browser tests' set-up.
.PHONY: screenshots
screenshots: install browser
	$(BIN)/python -m tests.browser.screenshots

test: install lint browser
	$(BIN)/pytest -q

# The entity tagger (indexer/ner/README.md): rebuild clusters and model from ../shared/data.
.PHONY: train-ner eval-ner
train-ner: install
	$(BIN)/python -m indexer.ner.clusters
	$(BIN)/python -m indexer.ner.train

eval-ner: install
	$(BIN)/python -m indexer.ner.evaluate

# Benchmarks (bench/): rebuild, search latency, HTTP through gunicorn+wrk, 22k and 220k, against
# the straightforward baseline. Data goes to /tmp/telusur-bench; results to bench/results/.
.PHONY: bench bench-quick bench-tools
# wrk drives the HTTP part, from Debian's package.
bench-tools:
	@command -v wrk >/dev/null || ($(SUDO) apt-get update && $(SUDO) apt-get install -y wrk)

bench: install bench-tools
	$(BIN)/python -m bench.run

bench-quick: install bench-tools
	$(BIN)/python -m bench.run --quick

# Telusur's SearchService beside tantivy-py, SQLite FTS5 and Xapian (bench/peers/): the same tokens
# and query trees, workloads A (top 10 + total) and B (a results page), agreement checks; 22k by
# default, PEERS_ARGS="--archive A.jsonl.gz --sample N" for another archive. tantivy comes from the
# `bench` extra, Xapian from Debian's python3-xapian; either is skipped with a message if missing.
.PHONY: bench-peers
$(VENV)/.bench-installed: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[dev,bench]' && touch $@ || echo "tantivy unavailable: skipped"

bench-peers: install $(VENV)/.bench-installed
	@/usr/bin/python3 -c 'import xapian' 2>/dev/null || ($(SUDO) apt-get update && $(SUDO) apt-get install -y python3-xapian) || echo "python3-xapian unavailable: Xapian skipped"
	$(BIN)/python -m bench.peers $(PEERS_ARGS)

# Issue #23's scales (bench/scale.py): 22k, 220k of the realistic archive (bench/gen_realistic.py)
# and the 10x copy; 2.2M runs in parts: python -m bench.scale --scale 2.2M --part build|search|...
.PHONY: bench-scale
bench-scale: install bench-tools
	$(BIN)/python -m bench.scale --scale 22k --scale 220k --scale copy-220k

# Ranking quality on FacQA (../shared/data/facqa-train.csv): MRR@10 and Recall@10 through
# SearchService, against plain BM25 + Sastrawi with OR semantics. Skips when the file is absent.
.PHONY: eval-search
eval-search: install
	$(BIN)/python -m bench.eval_search

# Date inference on CLICK-ID with its metadata hidden, with and without the URL: coverage,
# wrong-year rate, share within ±1/±2 days (bench/eval_dates.py). Skips when the file is absent.
.PHONY: eval-dates
eval-dates: install
	$(BIN)/python -m bench.eval_dates
# Entity facet precision on hand labels (bench/facet_labels.tsv): the top 30 values of each entity
# facet for the 20 queries of bench/facet_queries.json on CLICK-ID + seeds. Skips without ../shared.
.PHONY: eval-facets
eval-facets: install
	$(BIN)/python -m bench.eval_facets
# Syndication stories on CLICK-ID (bench/syndication.py): story sizes, precision on hand labels
# (bench/syndication_labels.tsv), the rebuild cost with and without stories, search latency with
# collapse=story and without. Skips without ../shared.
.PHONY: eval-syndication
eval-syndication: install
	$(BIN)/python -m bench.syndication
