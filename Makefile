# One command to set up and run, one to set up and test (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run setup system-deps test lint check bench bundle bundle-test clean

run: setup
	$(BIN)/explorer

setup: system-deps $(STAMP)

system-deps:
	@bash .ci/system-deps.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bundle]'
	@touch $(STAMP)

lint: setup
	$(BIN)/ruff check explorer tests tools
	$(BIN)/lint-imports
	$(BIN)/mypy

check: setup
	$(BIN)/explorer check

test: setup lint
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

clean:
	rm -rf build dist $(VENV) .pytest_cache .mypy_cache .ruff_cache
