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


# A schedule of more minutes than this overflowed Airflow's date arithmetic (an import error that
# removed the DAG, "OverflowError: date value out of range", naming no setting).
MAX_SCHEDULE_MINUTES = 366 * 24 * 60


def ingest_schedule(value: str) -> timedelta | str | None:
    """The ingest DAG's schedule from NEWSDEDUP_SCHEDULE: minutes (`15`), a cron expression or preset,
    or `none`. A value it cannot be raises ValueError naming the setting: Airflow's own import error
    ("schedule interval must be positive", "Exactly 5, 6 or 7 columns") did not say where it came from."""
    text = value.strip()
    if text.lower() in ("", "none", "manual"):
        return None
    hint = (f"NEWSDEDUP_SCHEDULE={value!r} is not a schedule: give a whole number of minutes from 1 to "
            f"{MAX_SCHEDULE_MINUTES} (`15`), a cron expression or preset (`*/10 * * * *`, `@hourly`), or `none`")
    if text.lstrip("+-").isdigit():
        if not 1 <= int(text) <= MAX_SCHEDULE_MINUTES:
            raise ValueError(hint)
        return timedelta(minutes=int(text))
    if not (text.startswith("@") or len(text.split()) in (5, 6, 7)):
        raise ValueError(hint)
    return text  # a cron expression or preset; Airflow validates it when it parses the DAG

