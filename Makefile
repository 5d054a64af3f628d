# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

export AIRFLOW_HOME := $(CURDIR)/var/airflow
export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
export AIRFLOW__CORE__PLUGINS_FOLDER := $(CURDIR)/plugins
export AIRFLOW__CORE__LOAD_EXAMPLES := False
export AIRFLOW__CORE__UNIT_TEST_MODE := False

# The unit tests (everything but the Airflow stack) also run under these Pythons when the machine
# has them (python3.X on PATH, else `pyenv prefix 3.X`), each in its own .venv-3.X; absent ones are
# skipped with a line saying so. `make test EXTRA_PYTHONS=` runs only the main interpreter.
EXTRA_PYTHONS ?= 3.12 3.13
UNIT_TESTS := --ignore=tests/airflow --ignore=tests/scale
# The extra Pythons skip the tests marked slow (whole pipeline runs and `newsdedup` subprocesses: what
# they check is the process and the OS, the main run checks it); `make test EXTRA_MARKS=` runs them too.
EXTRA_MARKS ?= not slow
# pytest-xdist: one worker a core (at most 4); tests/conftest.py keeps a module's tests, and every test
# that starts Airflow, in one worker. `make test WORKERS=` runs in one process.
WORKERS ?= -n auto --maxprocesses 4 --dist loadgroup

.PHONY: demo test test-pythons lint venv clean airflow

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@test -x $(VENV)/bin/uv || $(PY) -m pip install -q --disable-pip-version-check uv
	$(VENV)/bin/uv pip install --python $(PY) -q -e '.[dev,bench,scale]'
	@touch $(STAMP)

demo: $(STAMP)
	$(PY) -m newsdedup.demo

# A local Airflow for operators: api-server, scheduler and dag-processor on 127.0.0.1, the sample site
# served, the project's DAGs unpaused, the duckdb_writer pool created. UI on http://127.0.0.1:8080
# (login admin / admin); Ctrl-C stops everything. See README "Running Airflow locally".
airflow: $(STAMP)
	$(PY) -m newsdedup.localstack

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -q $(WORKERS)
	@$(MAKE) --no-print-directory test-pythons

# One venv per extra Python, made with the main venv's uv (no interpreter downloads: only what the
# machine has), re-installed when pyproject.toml changes.
test-pythons: $(STAMP)
	@set -e; failed=""; for v in $(EXTRA_PYTHONS); do \
	  py=""; \
	  if command -v python$$v >/dev/null 2>&1; then py=$$(python$$v -c 'import sys; print(sys.executable)' 2>/dev/null || true); fi; \
	  if [ -z "$$py" ] && command -v pyenv >/dev/null 2>&1; then \
	    prefix=$$(pyenv prefix $$v 2>/dev/null || true); \
	    if [ -n "$$prefix" ] && [ -x "$$prefix/bin/python$$v" ]; then py="$$prefix/bin/python$$v"; fi; \
	  fi; \
	  if [ -z "$$py" ]; then echo "make test: no Python $$v here (python$$v, pyenv): its unit-test run is skipped"; continue; fi; \
	  venv=.venv-$$v; \
	  if [ ! -x $$venv/bin/python ] || [ pyproject.toml -nt $$venv/.installed-stamp ]; then \
	    echo "make test: setting up $$venv with $$py"; \
	    UV_PYTHON_DOWNLOADS=never $(VENV)/bin/uv venv -q --allow-existing --python "$$py" $$venv; \
	    $(VENV)/bin/uv pip install -q --python $$venv/bin/python -e '.[dev]'; \
	    touch $$venv/.installed-stamp; \
	  fi; \
	  echo "make test: unit tests under $$($$venv/bin/python -V)"; \
	  $$venv/bin/pytest -q $(WORKERS) $(UNIT_TESTS) $(if $(EXTRA_MARKS),-m "$(EXTRA_MARKS)") || failed="$$failed $$v"; \
	done; \
	if [ -n "$$failed" ]; then echo "make test: unit tests failed under Python$$failed"; exit 1; fi

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf var build .venv-3.*
