# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup test lint typecheck demo bench bench-small clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check workbench plugins tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/python -m pytest

demo: $(STAMP)
	test -d demo-projects/gt-demo || $(BIN)/workbench demo demo-projects
	$(BIN)/workbench open demo-projects/gt-demo demo-projects/ipa-demo

bench: $(STAMP)
	$(BIN)/python bench/store.py
	$(BIN)/python bench/interop.py

bench-small: $(STAMP)
	$(BIN)/python bench/store.py --size small

clean:
	rm -rf $(VENV) demo-projects .mypy_cache .ruff_cache

.PHONY: bench-tui
bench-tui: $(STAMP)
	$(BIN)/python bench/tui.py
