"""Every DAG file imports cleanly, does no I/O or heavy imports at parse time, and sets tags and retries."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DAG_FILES = sorted((ROOT / "dags").glob("*.py"))
HEAVY = ["duckdb", "datasketch", "bs4", "lxml", "feedparser", "pyarrow", "newsdedup.pipeline"]  # httpx is left out: Airflow itself imports it


def test_there_are_dag_files() -> None:
    assert DAG_FILES, "no DAG files under dags/"


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(ROOT / "dags"))


def test_dags_import_without_errors(dagbag) -> None:
    assert dagbag.import_errors == {}
    assert "newsdedup_ingest" in dagbag.dags


def test_dags_have_tags_retries_and_docs(dagbag) -> None:
    for dag_id, dag in dagbag.dags.items():
        assert dag.tags, f"{dag_id} has no tags"
        assert dag.doc_md, f"{dag_id} has no doc_md"
        for t in dag.tasks:
            assert t.retries >= 1, f"{dag_id}.{t.task_id} has no retries"


def test_ingest_dag_shape(dagbag) -> None:
    dag = dagbag.dags["newsdedup_ingest"]
    assert dag.max_active_runs == 1
    assert dag.catchup is False
    ids = {t.task_id for t in dag.tasks}
    assert {"plan", "ingest_source", "dedup", "load", "report"} <= ids
    load = dag.get_task("load")
    assert load.pool == "duckdb_writer"
    assert any(getattr(o, "name", "") == "newsdedup_warehouse" for o in load.outlets)
    assert dag.get_task("ingest_source").map_index_template


@pytest.mark.parametrize("dag_file", DAG_FILES, ids=lambda p: p.name)
def test_no_io_or_heavy_imports_at_parse_time(dag_file: Path, tmp_path: Path) -> None:
    # Parse the file in a fresh interpreter pointed at paths that must not be created or read.
    env = dict(os.environ)
    env["NEWSDEDUP_WAREHOUSE"] = str(tmp_path / "wh" / "warehouse.duckdb")
    env["NEWSDEDUP_STAGING"] = str(tmp_path / "staging")
    env["NEWSDEDUP_SOURCES"] = str(tmp_path / "missing-sources.yaml")
    code = (
        "import runpy, sys, json; runpy.run_path(sys.argv[1]); "
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(dag_file)], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
    assert not (tmp_path / "wh").exists()
    assert not (tmp_path / "staging").exists()
