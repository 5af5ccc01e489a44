# Lắng Nghe — two entry points for a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Python keeps compiled modules (__pycache__/, ignored by git) even where the shell sets PYTHONDONTWRITEBYTECODE (this
# machine does): without them every process compiles every module of ours again, ~0.15 s of CPU per CLI process,
# and the suite starts hundreds (tests/langnghe: 108 → 86 s of CPU, round 25). An empty value is "not set".
export PYTHONDONTWRITEBYTECODE =

.PHONY: demo test venv system-deps bench clean

# Checked before .venv is made: a venv made without ensurepip leaves .venv/bin/python behind, and every later
# `make` then skips this step and fails on a missing .venv/bin/pip.
$(BIN)/python:
	@$(PY) -c 'import sys, ensurepip; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || { \
	  echo "Cần Python 3.11 có mô-đun venv: trên Debian 12 'sudo apt-get install python3-venv';"; \
	  echo "Python khác tên thì chỉ rõ, ví dụ 'make demo PY=python3.11'."; exit 1; }
	$(PY) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }
	$(BIN)/pip install -q --upgrade pip

# Reinstall only when the package metadata changes. --no-compile: pip would compile all ~11,600 modules of the
# installed packages (~40 s of CPU, most never imported); Python compiles what is imported, once, and keeps it
# (see PYTHONDONTWRITEBYTECODE above). Round 26: a fresh install 66 → 24 s of CPU; the first import of the stack
# then pays ~6 s once.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q --no-compile -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

# Debian packages (chromium for browser tests and screenshots, fonts, poppler); skips what is installed.
system-deps:
	bash scripts/install-system-deps.sh

demo: venv
	$(BIN)/langnghe demo

# Tests' temporary folders in memory when /dev/shm has 4 GB free (else pytest's default under /tmp): closing a DuckDB
# file costs its checkpoint and disk syncs, 25–49 ms on disk against 8 ms in memory, and the suite closes thousands
# (round 26). `tmp_path_retention_policy=failed` removes a passing test's folder at its end, so memory stays bounded;
# a failing test's folder is kept to look at.
TMPROOT := $(shell df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 && $$4 > 4194304 {print "/dev/shm"}')

# -n auto: one worker per core (pytest-xdist); every test owns its files and ports, so the order does not matter
test: system-deps venv
	$(if $(TMPROOT),PYTEST_DEBUG_TEMPROOT=$(TMPROOT) )$(BIN)/python -m pytest -q -n auto -o tmp_path_retention_policy=failed

bench: venv
	$(BIN)/python bench/collect.py

clean:
	rm -rf $(VENV) var build *.egg-info
