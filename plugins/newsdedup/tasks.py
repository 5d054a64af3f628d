"""Airflow task bodies: each reads the task context it needs and makes one call into the pipeline.

Kept apart from the DAG file so the DAG only wires tasks (nothing here runs at parse time) and apart
from `pipeline` so the stages stay testable without Airflow.
"""

from __future__ import annotations

import logging
from typing import Any

from newsdedup import pipeline

log = logging.getLogger(__name__)

WAREHOUSE_ASSET_URI = "newsdedup://warehouse"


def _setting(params: dict[str, Any], key: str, variable: str) -> str | None:
    """A run's setting: the DAG run's Param, else the Airflow Variable, else None (the default)."""
    value = params.get(key)
    if value:
        return str(value)
    from airflow.sdk import Variable

    try:
        return Variable.get(variable, default=None)
    except Exception:  # no metadata DB reachable (e.g. a unit test): fall back to defaults
        return None


def plan(context: dict[str, Any]) -> dict[str, Any]:
    params = context.get("params") or {}
    return pipeline.plan(
        run_id=context["run_id"],
        sources_file=_setting(params, "sources_file", "newsdedup_sources_file"),
        staging=_setting(params, "staging", "newsdedup_staging"),
        warehouse=_setting(params, "warehouse", "newsdedup_warehouse"),
        data_interval=(context.get("data_interval_start"), context.get("data_interval_end")),
    )


def ingest_source(context: dict[str, Any], run_dir: str, source: dict[str, Any]) -> dict[str, Any]:
    context["source_name"] = source["name"]  # rendered by map_index_template: the grid shows the name
    return pipeline.ingest_source(run_dir, source)


def dedup(run_dir: str) -> dict[str, Any]:
    return pipeline.dedup_stage(run_dir)


def load(run_dir: str, summaries: list[dict[str, Any]]) -> dict[str, Any]:
    return pipeline.load_stage(run_dir, list(summaries))


def report(run_dir: str, summaries: list[dict[str, Any]], loaded: dict[str, Any]) -> dict[str, Any]:
    text = pipeline.report(run_dir, list(summaries), loaded)
    for line in text.splitlines():
        log.info("%s", line)
    return {"run_id": loaded["run_id"], "added": loaded["added"]}
