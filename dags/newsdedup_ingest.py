"""
### newsdedup ingest

Polls every configured news source (one mapped task per source, labelled with its name), fetches and
cleans new articles, flags exact and near-duplicate stories and repeated sentences against everything
already in the warehouse, and loads the run into DuckDB in one transaction (through the
`duckdb_writer` pool). Sources come from `config/sources.yaml` unless the run's `sources_file` param or
the `newsdedup_sources_file` Variable says otherwise; both are read at run time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Asset, Param, dag, get_current_context, task

WAREHOUSE = Asset(name="newsdedup_warehouse", uri="newsdedup://warehouse")


@dag(
    dag_id="newsdedup_ingest",
    schedule=timedelta(minutes=30),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["newsdedup", "ingest"],
    doc_md=__doc__,
    default_args={
        "retries": 2,
        "retry_delay": timedelta(seconds=30),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(minutes=10),
    },
    params={
        "sources_file": Param(None, type=["null", "string"], description="sources YAML path"),
        "warehouse": Param(None, type=["null", "string"], description="DuckDB warehouse path"),
        "staging": Param(None, type=["null", "string"], description="Parquet staging folder"),
    },
)
def newsdedup_ingest():
    @task
    def plan() -> dict:
        from newsdedup import tasks

        return tasks.plan(get_current_context())

    @task(map_index_template="{{ source_name }}")
    def ingest_source(run_dir: str, source: dict) -> dict:
        from newsdedup import tasks

        return tasks.ingest_source(get_current_context(), run_dir, source)

    @task
    def dedup(run_dir: str, summaries: list[dict]) -> dict:
        from newsdedup import tasks

        return tasks.dedup(run_dir)

    @task(pool="duckdb_writer", outlets=[WAREHOUSE])
    def load(run_dir: str, summaries: list[dict], dedup_summary: dict) -> dict:
        from newsdedup import tasks

        return tasks.load(run_dir, summaries)

    @task
    def report(run_dir: str, summaries: list[dict], loaded: dict) -> dict:
        from newsdedup import tasks

        return tasks.report(run_dir, summaries, loaded)

    ref = plan()
    summaries = ingest_source.partial(run_dir=ref["run_dir"]).expand(source=ref["sources"])
    deduped = dedup(ref["run_dir"], summaries)
    loaded = load(ref["run_dir"], summaries, deduped)
    report(ref["run_dir"], summaries, loaded)


newsdedup_ingest()
