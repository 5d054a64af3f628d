"""The real scheduler runs the ingest DAG: per-source mapped tasks labelled by source, the load in the
`duckdb_writer` pool, the warehouse Asset event, and the maintenance DAG it schedules."""

from __future__ import annotations

import time

import pytest
from stackenv import INGEST, MAINTENANCE, Env

from newsdedup import warehouse as wh

pytestmark = [pytest.mark.airflow, pytest.mark.slow]


def test_run_has_one_labelled_task_per_source(loaded: Env) -> None:
    tis = loaded.stack.task_instances(INGEST, loaded.first_run)
    assert all(ti["state"] == "success" for ti in tis), [(t["task_id"], t["state"]) for t in tis]
    mapped = sorted((ti["map_index"], ti["rendered_map_index"]) for ti in tis if ti["task_id"] == "ingest_source")
    # The grid shows the source's name, not its index.
    assert sorted(label for _, label in mapped) == sorted(loaded.sources)
    assert [i for i, _ in mapped] == list(range(len(loaded.sources)))
    assert {"plan", "dedup", "load", "report"} <= {ti["task_id"] for ti in tis}


def test_load_ran_in_the_writer_pool(loaded: Env) -> None:
    (load,) = [ti for ti in loaded.stack.task_instances(INGEST, loaded.first_run) if ti["task_id"] == "load"]
    assert load["pool"] == "duckdb_writer"
    pool = loaded.stack.api("GET", "/pools/duckdb_writer")
    assert pool["slots"] == 1  # created by the project's set-up (LocalStack.start), not by hand


def test_load_emitted_the_warehouse_asset_event(loaded: Env) -> None:
    assets = loaded.stack.api("GET", "/assets", params={"name_pattern": "newsdedup_warehouse"})["assets"]
    (asset,) = [a for a in assets if a["name"] == "newsdedup_warehouse"]
    assert asset["uri"].rstrip("/") == "newsdedup://warehouse", asset
    events = loaded.stack.api("GET", "/assets/events", params={"asset_id": asset["id"], "limit": 100})[
        "asset_events"]
    mine = [e for e in events if e["source_run_id"] == loaded.first_run]
    assert mine and mine[0]["source_dag_id"] == INGEST and mine[0]["source_task_id"] == "load"


def test_maintenance_follows_the_asset_and_succeeds(loaded: Env) -> None:
    # The maintenance DAG is scheduled on the asset: the load's event creates an asset-triggered run.
    deadline = time.monotonic() + 300
    while True:
        runs = loaded.stack.api("GET", f"/dags/{MAINTENANCE}/dagRuns",
                                params={"run_type": "asset_triggered", "limit": 50})["dag_runs"]
        done = [r for r in runs if r["state"] == "success"]
        if done or time.monotonic() > deadline:
            break
        time.sleep(2)
    assert done, f"no successful asset-triggered maintenance run: {[(r['dag_run_id'], r['state']) for r in runs]}"
    tis = {ti["task_id"]: ti for ti in loaded.stack.task_instances(MAINTENANCE, done[0]["dag_run_id"])}
    assert tis["retention"]["pool"] == "duckdb_writer"
    # the shared LSH index's sweep: its own task, holding no writer slot (no Redis here: it says so)
    assert tis["sweep_lsh_index"]["state"] == "success" and tis["sweep_lsh_index"]["pool"] != "duckdb_writer"
    exports = loaded.warehouse.with_name(loaded.warehouse.stem + ".exports")
    assert (exports / "daily_duplicate_rate.parquet").exists()
    assert (exports / "daily_duplicate_rate_by_source.parquet").exists()


def test_task_logs_say_what_happened(loaded: Env) -> None:
    tis = loaded.stack.task_instances(INGEST, loaded.first_run)
    (report,) = [ti for ti in tis if ti["task_id"] == "report"]
    log = loaded.stack.client.get(
        f"/api/v2/dags/{INGEST}/dagRuns/{loaded.first_run}/taskInstances/report/logs/{report['try_number']}",
        headers={"Accept": "application/x-ndjson"}).text
    # e.g. "hostile-herald: 2 entries, 2 new, 1 near-duplicate of earlier stories"
    assert "hostile-herald: 2 entries, 2 new, 1 near-duplicate of earlier stories" in log, log[-3000:]
    # the first run's two hostile-herald stories are in the warehouse (the lock test may add a third)
    rows = wh.query_rows(loaded.warehouse, "SELECT count(*) FROM articles WHERE source = ? AND run_id = ?",
                         ["hostile-herald", loaded.first_run])[1]
    assert rows == [(2,)]


def test_maintenance_after_a_run_on_another_warehouse_maintains_that_warehouse(
        loaded: Env, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A run triggered with `{"warehouse": ...}` loads another file; the maintenance run its Asset event
    schedules did retention, the exports and the staging clean-up on the default warehouse, and that
    file's never (its signatures and staging folders grew without end)."""
    other = tmp_path_factory.mktemp("other-warehouse")
    warehouse, staging = other / "b.duckdb", other / "staging"
    run_id = loaded.stack.trigger(INGEST, conf={"warehouse": str(warehouse), "staging": str(staging)})
    assert loaded.stack.wait_for_run(INGEST, run_id, timeout=600) == "success"
    (asset,) = [a for a in loaded.stack.api("GET", "/assets", params={"name_pattern": "newsdedup_warehouse"})["assets"]
                if a["name"] == "newsdedup_warehouse"]

    def event() -> dict:
        events = loaded.stack.api("GET", "/assets/events", params={"asset_id": asset["id"], "limit": 100})[
            "asset_events"]
        (mine,) = [e for e in events if e["source_run_id"] == run_id]
        return mine

    # the load's event names what it loaded
    assert event()["extra"] == {"warehouse": str(warehouse), "staging": str(staging), "run_id": run_id}, event()
    deadline = time.monotonic() + 300
    while not (created := [r for r in event()["created_dagruns"] if r["dag_id"] == MAINTENANCE]):
        assert time.monotonic() < deadline, f"no maintenance run followed the load: {loaded.stack.log_tail('scheduler', 40)}"
        time.sleep(2)
    assert loaded.stack.wait_for_run(MAINTENANCE, created[0]["run_id"], timeout=300) == "success"
    exports = warehouse.with_name("b.exports")
    assert (exports / "daily_duplicate_rate.parquet").exists()
    assert (exports / "daily_duplicate_rate_by_source.parquet").exists()
