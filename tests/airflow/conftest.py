"""One running Airflow stack (api-server, scheduler, dag-processor on 127.0.0.1, LocalExecutor,
SQLite) shared by every test in this folder, and the first ingest run through it.

Starting the stack costs most of the time here, so it is session-scoped. The ingest DAG runs
unscheduled (NEWSDEDUP_SCHEDULE=none) so only the runs the tests trigger exist; the maintenance DAG
is unpaused and follows each load (its retention window is set far beyond the sample dates, so its
runs never change the tables the tests compare).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import hostile_site
import pytest
import yaml
from stackenv import INGEST, Env

from newsdedup.localstack import PROJECT_DAGS, LocalStack
from newsdedup.samplesite import serve, write_sources_file


@pytest.fixture(scope="session")
def airflow_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    work = tmp_path_factory.mktemp("airflow-stack")
    hostile_root = hostile_site.build(work / "hostile-site")
    with serve(port=0) as site, serve(root=hostile_root, port=0) as hostile:
        sources = write_sources_file(site.base_url, work / "sources.yaml")
        cfg = yaml.safe_load(sources.read_text())
        cfg["sources"].append({"name": hostile_site.SOURCE, "url": hostile.base_url + "/hostile/rss.xml",
                               "kind": "rss"})
        sources.write_text(yaml.safe_dump(cfg, sort_keys=False))
        env = {
            "NEWSDEDUP_SOURCES": str(sources),
            "NEWSDEDUP_WAREHOUSE": str(work / "warehouse" / "warehouse.duckdb"),
            "NEWSDEDUP_STAGING": str(work / "staging"),
            "NEWSDEDUP_SCHEDULE": "none",
            "NEWSDEDUP_RETENTION_DAYS": "36500",
            "AIRFLOW__CORE__PARALLELISM": "3",
        }
        stack = LocalStack(work / "airflow-home", env=env, parallelism=3)
        stack.start()
        try:
            stack.unpause(PROJECT_DAGS)
            yield Env(stack=stack, warehouse=Path(env["NEWSDEDUP_WAREHOUSE"]), staging=work / "staging",
                      hostile_root=hostile_root)
        finally:
            stack.stop()


@pytest.fixture(scope="session")
def loaded(airflow_env: Env) -> Env:
    """The stack after one ingest run triggered through the REST API has succeeded."""
    if not airflow_env.first_run:
        run_id = airflow_env.stack.trigger(INGEST)
        state = airflow_env.stack.wait_for_run(INGEST, run_id, timeout=600)
        assert state == "success", airflow_env.stack.log_tail("scheduler", 60)
        airflow_env.first_run = run_id
    return airflow_env
