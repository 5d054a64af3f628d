"""Airflow task bodies: each reads the task context it needs and makes one call into the pipeline.

Kept apart from the DAG file so the DAG only wires tasks (nothing here runs at parse time) and apart
from `pipeline` so the stages stay testable without Airflow. XComs carry only these small dicts.
"""

from __future__ import annotations

import logging
from typing import Any

from newsdedup import pipeline

log = logging.getLogger(__name__)


def _setting(params: dict[str, Any], key: str, variable: str) -> str | None:
    """A run's setting: the DAG run's Param, else the Airflow Variable, else None (the default)."""
    value = params.get(key)
    # `if value:` dropped a Param of 0 for the Variable or the default (retention_days 0 kept 30 days)
    if value is not None and str(value).strip():
        return str(value)
    from airflow.sdk import Variable

    try:
        return Variable.get(variable, default=None)
    except Exception:  # no metadata DB or API reachable (e.g. a unit test): fall back to defaults
        return None


def plan(context: dict[str, Any]) -> list[dict[str, Any]]:
    """Validate the sources file and return one small job per source for the mapped tasks."""
    from airflow.sdk.exceptions import AirflowFailException

    from newsdedup.config import ConfigError
    from newsdedup.staging import StagingPathError
    from newsdedup.warehouse import WarehouseCorrupt, WarehousePathError

    params = context.get("params") or {}
    try:
        ref = pipeline.plan(
            run_id=context["run_id"],
            sources_file=_setting(params, "sources_file", "newsdedup_sources_file"),
            staging=_setting(params, "staging", "newsdedup_staging"),
            warehouse=_setting(params, "warehouse", "newsdedup_warehouse"),
            data_interval=(context.get("data_interval_start"), context.get("data_interval_end")),
        )
    except (ConfigError, WarehouseCorrupt, WarehousePathError, StagingPathError) as exc:
        # a bad sources file, a damaged warehouse, a path that names no warehouse file or a staging
        # folder whose name is not UTF-8 does not mend itself: no retries
        raise AirflowFailException(str(exc)) from exc
    # Names only: a source URL may hold a password, and XComs are stored and shown by Airflow.
    return [{"run_dir": ref["run_dir"], "source": s["name"]} for s in ref["sources"]]


def ingest_source(context: dict[str, Any], job: dict[str, Any]) -> dict[str, Any]:
    from airflow.sdk.exceptions import AirflowFailException

    from newsdedup.config import ConfigError

    name = job["source"] if isinstance(job["source"], str) else job["source"]["name"]
    context["source_name"] = name  # rendered by map_index_template in the grid
    try:
        return pipeline.ingest_source(job["run_dir"], name)
    except ConfigError as exc:
        # A bad source entry does not fix itself: fail now instead of retrying.
        raise AirflowFailException(f"{name}: {exc}") from exc


def _run_dir(jobs: list[dict[str, Any]]) -> str:
    dirs = {j["run_dir"] for j in jobs}
    if len(dirs) != 1:
        raise ValueError(f"expected the jobs of one run, got run folders {sorted(dirs)}")
    return dirs.pop()


# The tasks below take the plan's jobs, not the mapped tasks' results: a source whose task failed
# has no result, and the run must still load (and record that source as failed).
def dedup(jobs: list[dict[str, Any]]) -> dict[str, Any]:
    from newsdedup import lshstore

    with lshstore.airflow_retry_policy():  # a shared index's settings or pin fail at once, Redis down retries
        return pipeline.dedup_stage(_run_dir(list(jobs)))


def load(jobs: list[dict[str, Any]]) -> dict[str, Any]:
    return pipeline.load_stage(_run_dir(list(jobs)))


def report(jobs: list[dict[str, Any]], loaded: dict[str, Any]) -> dict[str, Any]:
    run_dir = _run_dir(list(jobs))
    text = pipeline.report(run_dir, pipeline.run_summaries(run_dir), loaded)
    for line in text.splitlines():
        log.info("%s", line)
    return {"run_id": loaded["run_id"], "added": loaded["added"]}
