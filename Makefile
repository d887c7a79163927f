# onatool: every set-up step lives here, so the README's two commands work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8501

.PHONY: setup browser app demo test test-fast lint bench bench-quick clean webmap

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[app,dev]"
	touch $(STAMP)

setup: $(STAMP)

# Debian's Chromium for the end-to-end tests (never a downloaded browser build).
browser:
	@{ command -v chromium && command -v pdftoppm; } >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core poppler-utils >/dev/null; }

# The main job: the app, opened on the bundled sample ICS partnership.
app: setup
	$(BIN)/onatool ui --port $(PORT)

demo: setup
	$(BIN)/onatool demo

# The whole test suite, browser tests included. It fails if any process it started (an app
# server, a browser, an orphan of either) is still running at the end: see conftest.py.
test: setup browser
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not browser and not slow"

lint: setup
	$(BIN)/ruff check onatool tests app.py
	$(BIN)/mypy

# Every benchmark, then one table of the issue-15 targets (met / not met, with the load average).
bench: setup
	$(BIN)/python benchmarks/run_all.py

bench-quick: setup
	$(BIN)/python benchmarks/run_all.py --quick

# Rebuild the WebGL map bundle (onatool/viz/assets/webmap/webmap.js) from frontend/map.
# Not needed to run the app: the built bundle is committed. Needs Node 20 and npm.
webmap:
	cd frontend/map && npm ci --no-audit --no-fund && node build.mjs

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache .mypy_cache test-artifacts
