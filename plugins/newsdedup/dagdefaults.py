"""What the project's DAG files share. Imported at parse time, so it imports nothing heavy."""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import Asset, Param

# The ingest DAG's load task emits it; the maintenance DAG is scheduled on it.
WAREHOUSE = Asset(name="newsdedup_warehouse", uri="newsdedup://warehouse")

DEFAULT_ARGS = {
    "retries": 2,
    "retry_delay": timedelta(seconds=30),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=10),
}


def path_params(*names: str) -> dict[str, Param]:
    """Run Params that override where the run reads and writes (None: the Variable or the default)."""
    described = {"sources_file": "sources YAML path", "warehouse": "DuckDB warehouse path",
                 "staging": "Parquet staging folder"}
    return {n: Param(None, type=["null", "string"], description=described[n]) for n in names}
