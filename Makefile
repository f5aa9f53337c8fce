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

# The example method plugin is installed as its users install it (a wheel built from its folder), again
# whenever it changes, so `make test` always tests the copy in the checkout.
EXAMPLE := examples/workbench-rta
EXAMPLE_STAMP := $(VENV)/.example-installed

$(EXAMPLE_STAMP): $(STAMP) $(EXAMPLE)/pyproject.toml $(shell find $(EXAMPLE)/workbench_rta -name '*.py')
	$(BIN)/python -m pip install --quiet --force-reinstall --no-deps ./$(EXAMPLE)
	touch $(EXAMPLE_STAMP)

setup: $(STAMP) $(EXAMPLE_STAMP)

# The import contracts ([tool.importlinter] in pyproject.toml, docs/architecture-imports.md) are lint too.
lint: $(STAMP)
	$(BIN)/ruff check workbench plugins tests bench examples docs
	$(BIN)/lint-imports --no-cache --no-logo pyproject.toml

typecheck: $(STAMP)
	$(BIN)/mypy
	cd $(EXAMPLE) && $(CURDIR)/$(BIN)/mypy

# One worker per core; a test module stays on one worker, so its module-scoped fixtures are built once.
test: lint typecheck $(EXAMPLE_STAMP)
	$(BIN)/python -m pytest -n auto --dist loadfile

demo: $(STAMP)
	test -d demo-projects/gt-demo || $(BIN)/workbench demo demo-projects
	$(BIN)/workbench open demo-projects/gt-demo demo-projects/ipa-demo

bench: $(STAMP)
	$(BIN)/python bench/store.py
	$(BIN)/python bench/interop.py
	$(BIN)/python bench/keystrokes.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/matrix.py
	$(BIN)/python bench/add.py

bench-small: $(STAMP)
	$(BIN)/python bench/store.py --size small

clean:
	rm -rf $(VENV) demo-projects .mypy_cache .ruff_cache

.PHONY: bench-tui
bench-tui: $(STAMP)
	$(BIN)/python bench/tui.py
