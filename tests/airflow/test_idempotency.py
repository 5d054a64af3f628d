"""Clearing a loaded run (whole, or one source's task and what follows it) and letting the scheduler
run it again leaves every warehouse table exactly as it was: same rows, same checksums."""

from __future__ import annotations

import pytest
from stackenv import INGEST, Env, checksums

pytestmark = [pytest.mark.airflow, pytest.mark.slow]


def _clear_and_rerun(env: Env, body: dict) -> None:
    cleared = env.stack.api("POST", f"/dags/{INGEST}/clearTaskInstances",
                            json={"dag_run_id": env.first_run, "dry_run": False, "only_failed": False,
                                  "reset_dag_runs": True, **body})
    assert cleared["total_entries"] >= 1
    assert env.stack.wait_for_run(INGEST, env.first_run, timeout=600) == "success"


def _fetch_log(env: Env) -> list[tuple]:
    from newsdedup import warehouse as wh

    return wh.query_rows(env.warehouse, "SELECT * FROM fetch_log WHERE run_id = ? ORDER BY ALL", [env.first_run])[1]


def test_clearing_the_whole_run_changes_nothing(loaded: Env) -> None:
    before, fetch_before = checksums(loaded.warehouse), _fetch_log(loaded)
    assert before["articles"][0] > 0 and fetch_before
    _clear_and_rerun(loaded, {})
    tis = loaded.stack.task_instances(INGEST, loaded.first_run)
    assert all(ti["state"] == "success" and ti["try_number"] >= 2 for ti in tis), \
        [(t["task_id"], t["map_index"], t["state"], t["try_number"]) for t in tis]
    assert checksums(loaded.warehouse) == before
    assert _fetch_log(loaded) == fetch_before


def test_clearing_one_source_task_and_downstream_changes_nothing(loaded: Env) -> None:
    before = checksums(loaded.warehouse)
    _clear_and_rerun(loaded, {"task_ids": [["ingest_source", 1]], "include_downstream": True})
    assert checksums(loaded.warehouse) == before


def test_clearing_only_the_load_changes_nothing(loaded: Env) -> None:
    before = checksums(loaded.warehouse)
    _clear_and_rerun(loaded, {"task_ids": ["load"]})
    assert checksums(loaded.warehouse) == before
