# The two commands of the README: `make review` and `make test`.
# Both create .venv on first use and install the project (editable) into it
# with the pinned versions of constraints.txt.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: review test test-install install clean bench

review: $(STAMP)
	$(BIN)/evidence run --out reports

# pytest-xdist: one worker per core, plus one. A third of the suite's time is waiting (the E-utilities
# rate limit on the real clock, notebook kernels, Chromium, child runs), and an extra worker fills it:
# on 2 cores -n 2 took 120-128 s, -n 3 106 s, -n 4 114 s (2026-12-05, same sitting).
# --dist loadfile sends each file to one worker: a notebook's nbval cells run in order in one kernel,
# and a test file's module fixtures (one JupyterLab for the browser test) are made once.
# `make test WORKERS=0` runs serially.
# The install test (a wheel into a fresh venv, minutes) is `make test-install`; .ci/run runs both.
WORKERS ?= $(shell expr $$(nproc) + 1)
test: $(STAMP)
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadfile -m "not install"

test-install: $(STAMP)
	$(BIN)/python -m pytest -m install tests/test_install.py

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt jupyter/overrides.d/evidence.json
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@# JupyterLab settings shipped with the project (no news pop-up); editable installs skip data files
	mkdir -p $(VENV)/share/jupyter/lab/settings/overrides.d
	cp jupyter/overrides.d/evidence.json $(VENV)/share/jupyter/lab/settings/overrides.d/
	@touch $(STAMP)

bench: $(STAMP)
	$(BIN)/python benchmarks/parse.py
	$(BIN)/python benchmarks/meta.py

clean:
	rm -rf $(VENV) reports .pytest_cache .hypothesis
