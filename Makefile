# Quick start: `make run` opens the reader on the bundled corpus; `make test` runs the suite.
# Both work on a fresh machine with only python3, pip and make.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BRIEFING := $(VENV)/bin/briefing

.PHONY: run test install install-test system-deps bench lint clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# tmux drives the end-to-end tests. Installed with apt-get when we are root.
system-deps:
	@command -v tmux >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing tmux (apt-get)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null; \
	  else \
	    echo "tmux is required for the end-to-end tests: install it (e.g. sudo apt-get install tmux)" >&2; exit 1; \
	  fi; }

run: install
	@$(BRIEFING) index status >/dev/null 2>&1 || $(BRIEFING) index rebuild
	$(BRIEFING)

test: install-test system-deps
	$(PY) -m pytest

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
