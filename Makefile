# Quick start: `make run` opens the reader on the bundled corpus; `make test` runs the suite.
# Both work on a fresh machine with only python3, pip and make.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BRIEFING := $(VENV)/bin/briefing

.PHONY: run test test-fast lint install install-test system-deps bench bench-scale bench-quick screenshot clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[test,bench,cluster]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# tmux drives the end-to-end tests; ripgrep is the benchmark's baseline; Chromium
# and the fonts (Arabic, Chinese) render the HTML export in a test.
# Installed with apt-get when we are root.
SYSTEM_PACKAGES := tmux ripgrep chromium fonts-noto-core fonts-wqy-zenhei fonts-dejavu-core
system-deps:
	@command -v tmux >/dev/null 2>&1 && command -v rg >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1 \
	  && fc-list 2>/dev/null | grep -q NotoSansArabic && fc-list 2>/dev/null | grep -qi wqy || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing $(SYSTEM_PACKAGES) (apt-get)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else \
	    echo "the tests need: $(SYSTEM_PACKAGES) (e.g. sudo apt-get install $(SYSTEM_PACKAGES))" >&2; exit 1; \
	  fi; }

run: install
	@$(BRIEFING) index status >/dev/null 2>&1 || $(BRIEFING) index rebuild
	$(BRIEFING)

# The whole suite, in parallel (pytest-xdist, one worker per core), after
# the linters: ruff, mypy on corpus/, index/, tui/ and bench/, and import-linter's contracts.
test: install-test system-deps lint
	$(PY) -m pytest -n auto --dist loadgroup

# Everything but the tests marked slow (kill tests, large generated corpora).
test-fast: install-test
	$(PY) -m pytest -n auto --dist loadgroup -m "not slow"

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# The benchmark: 1,000, 10,000 and 100,000 generated articles (long: the largest
# size takes hours on 2 cores). Results: stdout table + bench/results/latest.json.
bench: install-test system-deps
	$(PY) -m bench.run --sizes 1000,10000,100000
	$(PY) -m bench.charts bench/results/latest.json bench/results/charts

# Growth with size: 10,000, 100,000 and 300,000 articles (outside make bench:
# the largest size takes close to two hours on 2 cores; the FTS5 baseline is built
# up to 100,000). Results: bench/results/scale.json, written after each size.
bench-scale: install-test system-deps
	$(PY) -m bench.run --sizes 10000,100000,300000 --out bench/results/scale.json
	$(PY) -m bench.charts bench/results/scale.json bench/results/charts-scale

# 1,000 articles, under a minute.
bench-quick: install-test system-deps
	$(PY) -m bench.run --sizes 1000 --out bench/results/quick.json
	$(PY) -m bench.charts bench/results/quick.json bench/results/charts-quick

# The picture at the top of the README, drawn by the reader itself (Textual's SVG).
screenshot: install
	$(PY) -m tui.screenshot docs/reader.svg

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
