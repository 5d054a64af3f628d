"""What an operator types into "Trigger DAG w/ config" or posts to the REST API (session 41, the fifteenth
operators probe): Params of the wrong type, huge values, keys the DAGs take no setting for. All held; this
records it against a real api-server, scheduler and dag-processor (its own stack: the runs it fails would
be the shared stack's latest runs, which other tests read).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from samplesources import dir_sources
from stackenv import INGEST, MAINTENANCE

from newsdedup.localstack import LocalStack

pytestmark = [pytest.mark.airflow, pytest.mark.slow]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    work = tmp_path_factory.mktemp("params-stack")
    env = {"NEWSDEDUP_SOURCES": str(dir_sources(work, "local", pages=3)),
           "NEWSDEDUP_WAREHOUSE": str(work / "w.duckdb"), "NEWSDEDUP_STAGING": str(work / "st"),
           "NEWSDEDUP_SCHEDULE": "none", "NEWSDEDUP_RETENTION_DAYS": "36500", "AIRFLOW__CORE__PARALLELISM": "2"}
    with LocalStack(work / "home", env=env, parallelism=2) as s:
        s.unpause([INGEST, MAINTENANCE])
        yield s


@pytest.mark.parametrize(("dag", "conf", "named"), [
    (INGEST, {"warehouse": 5}, "warehouse: 5 is not of type 'null', 'string'"),
    (INGEST, {"sources_file": ["a.yaml"]}, "sources_file: ['a.yaml'] is not of type"),
    (INGEST, {"staging": {"path": "/srv"}}, "staging: {'path': '/srv'} is not of type"),
    (MAINTENANCE, {"retention_days": "ten"}, "retention_days: 'ten' is not of type 'null', 'number'"),
    (MAINTENANCE, {"retention_days": True}, "retention_days: True is not of type"),
])
def test_held_a_param_of_the_wrong_type_is_refused_before_a_run(stack: LocalStack, dag: str, conf: dict,
                                                                 named: str) -> None:
    r = stack.client.post(f"/api/v2/dags/{dag}/dagRuns", json={"logical_date": None, "conf": conf})
    assert r.status_code == 400 and named in r.json()["detail"], r.text


def _task_errors(stack: LocalStack, dag: str, run_id: str, task: str) -> list[str]:
    out = []
    for f in (stack.home / "logs" / f"dag_id={dag}" / f"run_id={run_id}" / f"task_id={task}").rglob("*.log"):
        for line in f.read_text(errors="replace").splitlines():
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            for e in rec.get("error_detail") or []:
                out.append(f"{e.get('exc_type')}: {e.get('exc_value')}")
    return out


@pytest.mark.parametrize(("dag", "conf", "task", "named"), [
    (INGEST, {"warehouse": "/tmp/" + "x" * 200_000}, "plan", "it is 200,005 bytes long, and a path may be at most"),
    (INGEST, {"source": "nope"}, "plan", "the run's setting 'source' is none this DAG takes (did you mean 'sources_file'"),
    (MAINTENANCE, {"retention_days": 1e308}, "retention", "retention_days must be at most 36500 days"),
    (MAINTENANCE, {"retention_days": -1}, "retention", "retention_days must be positive, got -1"),
])
def test_held_a_value_no_run_can_use_fails_its_first_task_once(stack: LocalStack, dag: str, conf: dict, task: str,
                                                                named: str) -> None:
    """Accepted by the Param's type, refused by the task: it fails at once (no retries), naming the value;
    nothing downstream runs."""
    run_id = stack.trigger(dag, conf=conf)
    assert stack.wait_for_run(dag, run_id, timeout=600) == "failed"
    tis = {t["task_id"]: t for t in stack.task_instances(dag, run_id)}
    assert tis[task]["state"] == "failed" and tis[task]["try_number"] == 1, tis[task]
    assert all(t["state"] in ("upstream_failed", "failed") for t in tis.values()), tis
    errors = _task_errors(stack, dag, run_id, task)
    assert any(named in e and "AirflowFailException" in e for e in errors), errors
