"""Airflow task bodies: each reads the task context it needs and makes one call into the pipeline.

Kept apart from the DAG file so the DAG only wires tasks (nothing here runs at parse time) and apart
from `pipeline` so the stages stay testable without Airflow. XComs carry only these small dicts.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from newsdedup import pipeline

log = logging.getLogger(__name__)


def _setting(params: dict[str, Any], key: str, variable: str) -> str | None:
    """A run's setting: the DAG run's Param, else the Airflow Variable, else None (the default)."""
    value = params.get(key)
    # `if value:` dropped a Param of 0 for the Variable or the default (retention_days 0 kept 30 days).
    # Stripped: the trigger form and the Variables page keep what was pasted, and `/srv/w.duckdb\n` was a
    # new, empty warehouse named with the line end that the run loaded into and nobody read.
    if value is not None and str(value).strip():
        return str(value).strip()
    from airflow.sdk import Variable

    try:
        found = Variable.get(variable, default=None)
    except Exception:  # no metadata DB or API reachable (e.g. a unit test): fall back to defaults
        return None
    return (found.strip() or None) if isinstance(found, str) else found


INGEST_SETTINGS = ("sources_file", "warehouse", "staging")  # the ingest DAG's Params


def run_conf(context: dict[str, Any]) -> dict[str, Any] | None:
    """The run's `dag_run.conf` (what the REST API or the trigger form's JSON gave), if any."""
    conf = getattr(context.get("dag_run"), "conf", None)
    return conf if isinstance(conf, dict) else None


def check_run_settings(conf: dict[str, Any] | None, known: tuple[str, ...]) -> list[str]:
    """The keys of a run's conf that the DAG takes no setting for (logged), after failing at once on one
    that resembles a setting it takes: Airflow keeps conf keys a DAG has no Param for, and a run
    triggered with `{"warehous": "/srv/b.duckdb"}` ran against the default warehouse."""
    import difflib

    from airflow.sdk.exceptions import AirflowFailException

    unknown = sorted(k for k in (conf or {}) if k not in known)
    for key in unknown:
        near = difflib.get_close_matches(key, known, n=1) or difflib.get_close_matches(key.lower(), known, n=1)
        if near:
            raise AirflowFailException(f"the run's setting {key!r} is none this DAG takes (did you mean {near[0]!r}?); "
                                       f"it takes {', '.join(known)}. Nothing was read or written: trigger the run "
                                       "again with the setting's right name")
    if unknown:
        log.warning("the run's conf has keys this DAG takes no setting for, ignored: %s (it takes %s)",
                    ", ".join(map(repr, unknown)), ", ".join(known))
    return unknown


def plan(context: dict[str, Any]) -> list[dict[str, Any]]:
    """Validate the sources file and return one small job per source for the mapped tasks (per run of
    sources when they are more than Airflow maps tasks for: `shares`)."""
    from airflow.sdk.exceptions import AirflowFailException

    from newsdedup.config import ConfigError
    from newsdedup.staging import StagingPathError
    from newsdedup.warehouse import (
        WarehouseAccessError,
        WarehouseCorrupt,
        WarehousePathError,
        WarehouseSettingError,
    )

    params = context.get("params") or {}
    check_run_settings(run_conf(context), INGEST_SETTINGS)
    try:
        ref = pipeline.plan(
            run_id=context["run_id"],
            sources_file=_setting(params, "sources_file", "newsdedup_sources_file"),
            staging=_setting(params, "staging", "newsdedup_staging"),
            warehouse=_setting(params, "warehouse", "newsdedup_warehouse"),
            data_interval=(context.get("data_interval_start"), context.get("data_interval_end")),
        )
    except (ConfigError, WarehouseCorrupt, WarehouseAccessError, WarehousePathError, StagingPathError,
            WarehouseSettingError) as exc:
        # a bad sources file, a damaged warehouse, one this user may not read or write, a path that names no
        # warehouse file, a staging folder whose name is not UTF-8 or a setting of junk in the environment
        # (the lock's patience was retried twice) does not mend itself: no retries
        raise AirflowFailException(str(exc)) from exc
    except RuntimeError as exc:
        # the shared LSH index's settings written wrong (lshstore is imported by then: the plan checked them)
        from newsdedup.lshstore import no_retry_mends

        if no_retry_mends(exc):
            raise AirflowFailException(str(exc)) from exc
        raise
    # Names only: a source URL may hold a password, and XComs are stored and shown by Airflow.
    names = [s["name"] for s in ref["sources"]]
    return [{"run_dir": ref["run_dir"], "source": share[0]} if len(share) == 1 else
            {"run_dir": ref["run_dir"], "source": share[0], "sources": share}
            for share in shares(names, _max_map_length())]


def _max_map_length() -> int:
    """How many tasks Airflow maps from one list at most (`[core] max_map_length`, 1,024 by default)."""
    from airflow.sdk import conf

    return max(1, conf.getint("core", "max_map_length", fallback=1024))


def shares(names: list[str], limit: int) -> list[list[str]]:
    """The sources in at most `limit` runs of consecutive names, as even as can be: one each while
    they are no more than `limit`. A plan of more mapped tasks than Airflow maps failed the plan task
    ("unmappable return value length"), and with it the whole run."""
    per = -(-len(names) // max(1, limit)) or 1
    return [names[i:i + per] for i in range(0, len(names), per)]


def ingest_source(context: dict[str, Any], job: dict[str, Any]) -> dict[str, Any]:
    from airflow.sdk.exceptions import AirflowFailException

    from newsdedup.config import ConfigError

    names = job.get("sources") or [job["source"] if isinstance(job["source"], str) else job["source"]["name"]]
    if len(names) > 1:
        context["source_name"] = f"{names[0]} … {names[-1]} ({len(names)} sources)"
        return _ingest_share(job["run_dir"], names)
    context["source_name"] = names[0]  # rendered by map_index_template in the grid
    try:
        return pipeline.ingest_source(job["run_dir"], names[0])
    except ConfigError as exc:
        # A bad source entry does not fix itself: fail now instead of retrying.
        raise AirflowFailException(f"{names[0]}: {exc}") from exc


def _ingest_share(run_dir: str, names: list[str]) -> dict[str, Any]:
    """Several sources in one mapped task (more sources than Airflow maps tasks for), one after the
    other through one snapshot reader, as `newsdedup run` reads them: a source that fails does not stop
    the others. The task then fails, naming each: retried, it reads only the sources that have
    staged nothing yet; a bad source entry (ConfigError) fails it without retries."""
    from airflow.sdk.exceptions import AirflowFailException

    from newsdedup.config import ConfigError

    outcomes = pipeline.ingest_sources(run_dir, names, reuse_staged=True)
    summaries = [o for o in outcomes if isinstance(o, dict)]
    failed = {name: o for name, o in zip(names, outcomes, strict=True) if isinstance(o, Exception)}
    if failed:
        what = "; ".join(f"{name}: {exc.__class__.__name__}: {exc}" for name, exc in failed.items())
        message = f"{len(failed)} of {len(names)} sources failed ({what})"
        if all(isinstance(exc, ConfigError) for exc in failed.values()):
            raise AirflowFailException(message)
        raise RuntimeError(message)
    return {"run_dir": run_dir, "sources": summaries}


def _run_dir(jobs: list[dict[str, Any]]) -> str:
    dirs = {j["run_dir"] for j in jobs}
    if len(dirs) != 1:
        raise ValueError(f"expected the jobs of one run, got run folders {sorted(dirs)}")
    return dirs.pop()


# The tasks below take the plan's jobs, not the mapped tasks' results: a source whose task failed
# has no result, and the run must still load (and record that source as failed).
def dedup(jobs: list[dict[str, Any]] | None) -> dict[str, Any]:
    from airflow.sdk.exceptions import AirflowFailException

    from newsdedup import lshstore

    if jobs is None:
        # dedup runs when every ingest task is done (all_done), so also after a failed plan, whose jobs
        # Airflow then hands over as None: that failed with a TypeError, retried twice with back-off.
        raise AirflowFailException("the plan task failed (see its log): nothing was planned, nothing to "
                                   "deduplicate or load")
    with lshstore.airflow_retry_policy():  # a shared index's settings or pin fail at once, Redis down retries
        return pipeline.dedup_stage(_run_dir(list(jobs)))


def load(jobs: list[dict[str, Any]], context: dict[str, Any] | None = None) -> dict[str, Any]:
    """Load the run; the warehouse Asset's event then names the warehouse and staging folder loaded."""
    run_dir = _run_dir(list(jobs))
    result = pipeline.load_stage(run_dir)
    if context is not None:
        announce_load(context, result, run_dir)
    return result


def announce_load(context: dict[str, Any], result: dict[str, Any], run_dir: str) -> None:
    """Put the warehouse and staging folder this run loaded in the extra of its warehouse Asset event.

    The maintenance DAG it schedules read the warehouse from its own settings: a run triggered with
    `{"warehouse": "/srv/b.duckdb"}` had retention, the exports and the staging clean-up run on the
    default warehouse, never on b (whose signatures and staging folders then grew without end).
    """
    from newsdedup.dagdefaults import WAREHOUSE

    events = context.get("outlet_events")
    if events is None:
        return
    events[WAREHOUSE].extra = {"warehouse": str(Path(result["warehouse"]).absolute()),
                               "staging": str(Path(run_dir).parent.absolute()), "run_id": result["run_id"]}


def report(jobs: list[dict[str, Any]], loaded: dict[str, Any] | None) -> dict[str, Any]:
    run_dir = _run_dir(list(jobs))
    if loaded is None:
        loaded = _recorded_load(run_dir)
    text = pipeline.report(run_dir, pipeline.run_summaries(run_dir), loaded)
    for line in text.splitlines():
        log.info("%s", line)
    return {"run_id": loaded["run_id"], "added": loaded["added"]}


def _recorded_load(run_dir: str) -> dict[str, Any]:
    """What report reads when the load task left no result (Airflow hands it None: the load was marked
    success by hand): the run as the warehouse recorded it, else a failure without retries saying so.
    It failed with "TypeError: 'NoneType' object is not subscriptable", retried twice."""
    from airflow.sdk.exceptions import AirflowFailException

    from newsdedup import warehouse as wh
    from newsdedup.staging import read_plan

    meta = read_plan(run_dir)
    with wh.reader(meta["warehouse"]) as con:
        recorded = wh.recorded_run(con, meta["run_id"])
    if recorded is None:
        raise AirflowFailException(
            f"the load task left no result (marked success by hand?): run {meta['run_id']} is not in the warehouse "
            f"{meta['warehouse']}. Its staged batches stay in {run_dir}: clear the load task to load them")
    log.warning("the load task left no result (marked success by hand?); run %s is in the warehouse: its recorded "
                "result follows", meta["run_id"])
    return {"run_id": meta["run_id"], "added": dict.fromkeys(wh.LOADED_TABLES, 0), "warehouse": meta["warehouse"],
            "already_loaded": True}
