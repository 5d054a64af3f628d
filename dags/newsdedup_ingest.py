"""
### newsdedup ingest

Polls every configured news source (one mapped task per source, labelled with its name; past
Airflow's `[core] max_map_length` sources, one per run of consecutive sources), fetches and
cleans new articles, flags exact and near-duplicate stories and repeated sentences against everything
already in the warehouse, and loads the run into DuckDB in one transaction (through the
`duckdb_writer` pool). Sources come from `config/sources.yaml` unless the run's `sources_file` param or
the `newsdedup_sources_file` Variable says otherwise; both are read at run time.

The schedule is every 30 minutes unless `NEWSDEDUP_SCHEDULE` says otherwise: minutes (`15`), a cron
expression or preset (`*/10 * * * *`, `@hourly`), or `none` for manual and REST-triggered runs only.
"""

from __future__ import annotations

import os
from datetime import datetime

from airflow.sdk import dag, get_current_context, task

from newsdedup.dagdefaults import DEFAULT_ARGS, WAREHOUSE, ingest_schedule, path_params

# Read from the environment at parse time on purpose: no I/O, and a deployment sets it once.
SCHEDULE = ingest_schedule(os.environ.get("NEWSDEDUP_SCHEDULE", "30"))


@dag(
    dag_id="newsdedup_ingest",
    schedule=SCHEDULE,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["newsdedup", "ingest"],
    doc_md=__doc__,
    default_args=DEFAULT_ARGS,
    params={
        **path_params("sources_file", "warehouse", "staging"),
    },
)
def newsdedup_ingest():
    @task
    def plan() -> list[dict]:
        from newsdedup import tasks

        return tasks.plan(get_current_context())

    @task(map_index_template="{{ source_name }}", multiple_outputs=False)
    def ingest_source(job: dict) -> dict:
        from newsdedup import tasks

        return tasks.ingest_source(get_current_context(), job)

    # dedup and load run when every source task is done, even if one failed after its retries:
    # one broken source must not hold back the others' articles (it is recorded as failed).
    @task(multiple_outputs=False, trigger_rule="all_done")
    def dedup(jobs: list[dict]) -> dict:
        from newsdedup import tasks

        return tasks.dedup(jobs)

    @task(pool="duckdb_writer", outlets=[WAREHOUSE], multiple_outputs=False)
    def load(jobs: list[dict], dedup_summary: dict) -> dict:
        from newsdedup import tasks

        return tasks.load(jobs, get_current_context())

    @task(multiple_outputs=False)
    def report(jobs: list[dict], loaded: dict) -> dict:
        from newsdedup import tasks

        return tasks.report(jobs, loaded)

    jobs = plan()
    deduped = dedup(jobs)
    ingest_source.expand(job=jobs) >> deduped
    report(jobs, load(jobs, deduped))


newsdedup_ingest()
