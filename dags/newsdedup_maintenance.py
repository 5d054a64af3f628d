"""
### newsdedup maintenance

Runs after every load of the warehouse (scheduled on the `newsdedup_warehouse` Asset that the ingest
DAG's load task emits) and daily at 03:00 UTC (`NEWSDEDUP_MAINTENANCE_CRON` overrides the cron):

1. **retention** (through the `duckdb_writer` pool): deletes MinHash signatures and raw pages of
   articles outside the retention window (`retention_days` param, `newsdedup_retention_days`
   Variable, `NEWSDEDUP_RETENTION_DAYS`, default 30 days before the run's time), then CHECKPOINTs;
2. **sweep_lsh_index** (after retention, beside the export; with `NEWSDEDUP_LSH_REDIS_URL` set):
   removes from the shared LSH index in Redis the ids the warehouse holds no signature for
   (`python -m newsdedup.lshstore sweep` does it by hand); without it, says so and does nothing.
3. **export_daily_stats**: writes the daily duplicate rate (per day, and per day and source) to
   Parquet beside the warehouse (`<warehouse>.exports/`), read from the published snapshot.
4. **clean_staging**: removes staging folders nothing needs (loaded runs' after two days; a run
   whose load failed is kept for the next run to adopt, 14 days at most).
"""

from __future__ import annotations

import os
from datetime import datetime

from airflow.sdk import AssetOrTimeSchedule, Param, dag, get_current_context, task

from newsdedup.dagdefaults import DEFAULT_ARGS, WAREHOUSE, maintenance_timetable, path_params

# WAREHOUSE is the Asset the ingest DAG's load task emits. This DAG must never list it as an
# outlet: that would schedule itself after every run of itself.
# Validated here: Airflow does not check a cron inside an AssetOrTimeSchedule (a bad one never ran).
DAILY = maintenance_timetable(os.environ.get("NEWSDEDUP_MAINTENANCE_CRON"))


@dag(
    dag_id="newsdedup_maintenance",
    schedule=AssetOrTimeSchedule(timetable=DAILY, assets=[WAREHOUSE]),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["newsdedup", "maintenance"],
    doc_md=__doc__,
    default_args=DEFAULT_ARGS,
    params={
        **path_params("warehouse", "staging"),
        "retention_days": Param(None, type=["null", "number"], description="days of signatures and raw pages kept"),
    },
)
def newsdedup_maintenance():
    @task(pool="duckdb_writer")
    def retention() -> dict:
        from newsdedup import maintenance

        return maintenance.retention_task(get_current_context())

    @task
    def sweep_lsh_index() -> dict:
        from newsdedup import maintenance

        return maintenance.sweep_task(get_current_context())

    @task
    def export_daily_stats() -> dict:
        from newsdedup import maintenance

        return maintenance.export_task(get_current_context())

    @task
    def clean_staging() -> int:
        from newsdedup import maintenance

        return maintenance.clean_staging_task(get_current_context())

    kept = retention()
    kept >> export_daily_stats() >> clean_staging()
    kept >> sweep_lsh_index()


newsdedup_maintenance()
