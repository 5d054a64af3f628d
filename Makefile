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

.PHONY: demo test lint venv clean airflow

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
	$(VENV)/bin/pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf var build
