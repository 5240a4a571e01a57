# One command to set up and run, one to set up and test (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# What is installed in .venv: the app alone (make run), or the app and the test tools (make setup).
RUN_STAMP  := $(VENV)/.installed-run
STAMP      := $(VENV)/.installed-test

.PHONY: run run-setup setup system-deps test test-oldest test-slow lint check bench bundle bundle-test constraints clean

run: run-setup
	$(BIN)/explorer

# Only what running the app needs: no test, lint or bundle tools.
run-setup: system-deps $(RUN_STAMP)

setup: system-deps $(STAMP)

system-deps:
	@bash .ci/system-deps.sh

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# An editable install of a package whose data folders are mapped (data/ -> explorer.data) always gets
# setuptools' note "Editable installation ... be careful with folders named like the package":
# informational only, and the one line silenced here.
PIP_INSTALL := PYTHONWARNINGS="ignore:Editable installation" $(BIN)/pip install --quiet
# Every version pinned, for the venvs, the bundle and CI alike (README: Pinned versions).
CONSTRAINTS := .ci/constraints.txt

$(RUN_STAMP): pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(PIP_INSTALL) -c $(CONSTRAINTS) -e .
	@touch $(RUN_STAMP)

# The test extra holds the app too, so a test venv can run it without another install.
$(STAMP): pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(PIP_INSTALL) -c $(CONSTRAINTS) -e '.[test]'
	@touch $(STAMP) $(RUN_STAMP)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

check: run-setup
	$(BIN)/explorer check

# The tests import a few hundred modules in each worker and in every app they start: their bytecode
# (and pytest's rewritten test modules) is kept between runs, in .venv rather than the source tree,
# even where the environment asks Python not to write it (PYTHONDONTWRITEBYTECODE): recompiling
# them cost each worker ~5 s of CPU on every run.
TEST_ENV := QT_QPA_PLATFORM=offscreen PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/$(VENV)/pycache

# Every test but the two slow tiers, on two workers (test-slow: the sizes at the limits and the
# kill loops; bundle-test: the bundle build), after the Qt-free tests on the oldest supported Python.
test: setup lint test-oldest
	$(TEST_ENV) $(BIN)/pytest -n 2 -m "not bundle and not slow"

# Tests marked slow (minutes of CPU between them): the 50 MB inputs at the import limits, the
# hundred kills of a marks writer, the benchmark harness end to end. .ci/run runs them after make test.
test-slow: setup
	$(TEST_ENV) $(BIN)/pytest -n 2 -m "slow and not bundle"

# The Qt-free tests again on the oldest Python supported (pyproject's requires-python): Debian 12's
# own 3.11.2, which has regex bugs later 3.11 releases fixed. pyproject's dependencies and test
# tools but Qt, pytest-qt and the lint tools (the core does not import Qt; lint runs in .venv). pytest-qt's
# settings in pyproject are unknown here, hence no --strict-config (-o addopts=) and that one warning ignored.
OLDEST_PYTHON ?= /usr/bin/python3
OLDEST_VENV   := .venv-oldest
$(OLDEST_VENV)/.installed: pyproject.toml Makefile $(CONSTRAINTS)
	rm -rf $(OLDEST_VENV)
	$(OLDEST_PYTHON) -m venv $(OLDEST_VENV)
	$(OLDEST_VENV)/bin/python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; deps = p['dependencies'] + p['optional-dependencies']['test']; print('\\n'.join(d for d in deps if not d.startswith(('PySide6', 'pytest-qt', 'ruff', 'mypy', 'import-linter', 'types-'))))" > $(OLDEST_VENV)/core-requirements.txt
	$(OLDEST_VENV)/bin/pip install --quiet -c $(CONSTRAINTS) -r $(OLDEST_VENV)/core-requirements.txt
	$(OLDEST_VENV)/bin/pip install --quiet --no-deps -e .
	@touch $@

test-oldest: $(OLDEST_VENV)/.installed
	$(OLDEST_VENV)/bin/python -c 'import sys; print("test-oldest: Python", sys.version.split()[0])'
	$(TEST_ENV) $(OLDEST_VENV)/bin/pytest -q -n 2 -p no:cacheprovider -o addopts='--strict-markers -ra' \
		-W ignore::pytest.PytestConfigWarning tests/core

# -- the packaged app (README: Installing and packaging) -------------------------------------
BUNDLE_VENV  := build/bundle-venv
BUNDLE_STAMP := $(BUNDLE_VENV)/.installed

$(BUNDLE_STAMP): tools/bundle-requirements.txt $(CONSTRAINTS)
	rm -rf $(BUNDLE_VENV)
	$(PYTHON) -m venv $(BUNDLE_VENV)
	$(BUNDLE_VENV)/bin/pip install --quiet -c $(CONSTRAINTS) -r tools/bundle-requirements.txt
	@touch $(BUNDLE_STAMP)

# A one-folder bundle in dist/explorer/, built from a venv holding only the run-time deps.
bundle: system-deps $(BUNDLE_STAMP)
	rm -rf dist/explorer
	$(BUNDLE_VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller explorer.spec
	@du -sb dist/explorer | awk '{ printf "bundle: dist/explorer is %.1f MB (%.1f MiB); target 130 MB\n", $$1 / 1e6, $$1 / 1048576 }'

# Builds the bundle and runs its --self-test offscreen (tests/test_bundle.py, marked slow).
bundle-test: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -m bundle tests/test_bundle.py

# Start-up and scale figures against their floors; writes bench-results/bench.json.
bench: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/bench.py --out bench-results/bench.json
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/bench_essay.py --json bench-results/bench-essay.json
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/bench_book.py --json bench-results/bench-book.json
	$(BIN)/python tools/bench_import.py
	$(BIN)/python tools/bench_search.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/bench_memory.py --json bench-results/bench-memory.json
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/bench_edit.py

# Re-pin .ci/constraints.txt to what the dev venv holds, after upgrading it (README: Pinned versions).
constraints: setup
	$(PIP_INSTALL) -e '.[test,bundle]'
	$(BIN)/python tools/constraints.py

clean:
	rm -rf build dist $(VENV) $(OLDEST_VENV) .pytest_cache .mypy_cache .ruff_cache
