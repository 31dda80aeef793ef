# plangraph task runner. Every target sets up what it needs on a fresh machine.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --warn-undefined-variables --no-builtin-rules
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
JS := src/plangraph/report/assets src/plangraph/serve/static
SIZE ?= 10

.PHONY: help run test lint lint-js bench bench-endpoint clean system-deps eval-import

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# eslint and its config from package-lock.json (npm ci), into node_modules/ (git-ignored)
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "make lint needs Node.js 20.19+ and npm (for eslint):" \
		"install them (Debian/Ubuntu: apt-get install nodejs npm, if the release's Node.js is" \
		"20.19 or newer), then run make lint again" >&2; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

system-deps: ## Install system packages the project needs (Java for HermiT)
	@./scripts/system-deps.sh

run: $(STAMP) system-deps ## Build, validate and summarise the bundled plans
	$(BIN)/plangraph build
	$(BIN)/plangraph validate
	$(BIN)/plangraph report

test: $(STAMP) system-deps ## Run the test suite
	$(BIN)/pytest

lint: $(STAMP) lint-js ## ruff, mypy (strict), import-linter (the layers of docs/architecture.md), eslint
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

lint-js: $(NODE_STAMP) ## eslint on the JavaScript of the report, the maps and the query page
	npx --no-install eslint $(JS)

bench: $(STAMP) system-deps ## Benchmarks (SIZE=10 by default); results in benchmarks/RESULTS.md
	$(BIN)/python benchmarks/run.py --size $(SIZE)

eval-import: $(STAMP) ## Import each bundled source (and PDF/Word renderings), compare with the curated plans
	$(BIN)/python -m plangraph.pipeline.importer.evalrun

bench-endpoint: $(STAMP) ## plangraph serve vs oxigraph serve, same data and queries; in benchmarks/RESULTS.md
	./benchmarks/endpoint-deps.sh
	$(BIN)/python benchmarks/bench_endpoint.py

clean: ## Remove build output (keeps the environment)
	rm -rf build
