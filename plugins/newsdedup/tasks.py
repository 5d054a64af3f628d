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
    if value:
        return str(value)
    from airflow.sdk import Variable

    try:
        return Variable.get(variable, default=None)
    except Exception:  # no metadata DB or API reachable (e.g. a unit test): fall back to defaults
        return None


def plan(context: dict[str, Any]) -> list[dict[str, Any]]:
    """Validate the sources file and return one small job per source for the mapped tasks."""
    params = context.get("params") or {}
    ref = pipeline.plan(
        run_id=context["run_id"],
        sources_file=_setting(params, "sources_file", "newsdedup_sources_file"),
        staging=_setting(params, "staging", "newsdedup_staging"),
        warehouse=_setting(params, "warehouse", "newsdedup_warehouse"),
        data_interval=(context.get("data_interval_start"), context.get("data_interval_end")),
    )
    return [{"run_dir": ref["run_dir"], "source": s} for s in ref["sources"]]


def ingest_source(context: dict[str, Any], job: dict[str, Any]) -> dict[str, Any]:
    context["source_name"] = job["source"]["name"]  # rendered by map_index_template in the grid
    return pipeline.ingest_source(job["run_dir"], job["source"])


def _run_dir(summaries: list[dict[str, Any]]) -> str:
    dirs = {s["run_dir"] for s in summaries}
    if len(dirs) != 1:
        raise ValueError(f"expected the summaries of one run, got run folders {sorted(dirs)}")
    return dirs.pop()


def dedup(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    return pipeline.dedup_stage(_run_dir(list(summaries)))


def load(summaries: list[dict[str, Any]], dedup_summary: dict[str, Any]) -> dict[str, Any]:
    summaries = list(summaries)
    return pipeline.load_stage(_run_dir(summaries), summaries)


def report(summaries: list[dict[str, Any]], loaded: dict[str, Any]) -> dict[str, Any]:
    summaries = list(summaries)
    text = pipeline.report(_run_dir(summaries), summaries, loaded)
    for line in text.splitlines():
        log.info("%s", line)
    return {"run_id": loaded["run_id"], "added": loaded["added"]}
