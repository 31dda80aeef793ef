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
SIZE ?= 10

.PHONY: help run test lint bench bench-endpoint clean system-deps

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

system-deps: ## Install system packages the project needs (Java for HermiT)
	@./scripts/system-deps.sh

run: $(STAMP) system-deps ## Build, validate and summarise the bundled plans
	$(BIN)/plangraph build
	$(BIN)/plangraph validate
	$(BIN)/plangraph report

test: $(STAMP) system-deps ## Run the test suite
	$(BIN)/pytest

lint: $(STAMP) ## ruff, mypy (strict) and import-linter (the layers of docs/architecture.md)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP) system-deps ## Benchmarks (SIZE=10 by default); results in benchmarks/RESULTS.md
	$(BIN)/python benchmarks/run.py --size $(SIZE)

bench-endpoint: $(STAMP) ## plangraph serve vs oxigraph serve, same data and queries; in benchmarks/RESULTS.md
	./benchmarks/endpoint-deps.sh
	$(BIN)/python benchmarks/bench_endpoint.py

clean: ## Remove build output (keeps the environment)
	rm -rf build
