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
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

check: setup
	$(BIN)/explorer check

test: setup lint
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

# -- the packaged app (README: Installing and packaging) -------------------------------------
BUNDLE_VENV  := build/bundle-venv
BUNDLE_STAMP := $(BUNDLE_VENV)/.installed

$(BUNDLE_STAMP): tools/bundle-requirements.txt
	rm -rf $(BUNDLE_VENV)
	$(PYTHON) -m venv $(BUNDLE_VENV)
	$(BUNDLE_VENV)/bin/pip install --quiet -r tools/bundle-requirements.txt
	@touch $(BUNDLE_STAMP)

# A one-folder bundle in dist/explorer/, built from a venv holding only the run-time deps.
bundle: system-deps $(BUNDLE_STAMP)
	rm -rf dist/explorer
	$(BUNDLE_VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller explorer.spec
	@du -sb dist/explorer | awk '{ printf "bundle: dist/explorer is %.1f MB (%.1f MiB); target 130 MB\n", $$1 / 1e6, $$1 / 1048576 }'

# Builds the bundle and runs its --self-test offscreen (tests/test_bundle.py, marked slow).
bundle-test: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -m slow tests/test_bundle.py

# Start-up and scale figures against their floors; writes bench-results/bench.json.
bench: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/bench.py --out bench-results/bench.json
	$(BIN)/python tools/bench_import.py

clean:
	rm -rf build dist $(VENV) .pytest_cache .mypy_cache .ruff_cache
