# Lắng Nghe — two entry points for a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test venv system-deps bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Reinstall only when the package metadata changes.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

# Debian packages (chromium for browser tests and screenshots, fonts, poppler); skips what is installed.
system-deps:
	bash scripts/install-system-deps.sh

demo: venv
	$(BIN)/langnghe demo

test: venv system-deps
	$(BIN)/python -m pytest -q

bench: venv
	$(BIN)/python bench/collect.py

clean:
	rm -rf $(VENV) var build *.egg-info
