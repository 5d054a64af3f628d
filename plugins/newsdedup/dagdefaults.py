"""What the project's DAG files share. Imported at parse time, so it imports nothing heavy."""

from __future__ import annotations

import re
from datetime import timedelta

from airflow.sdk import Asset, CronTriggerTimetable, Param

from newsdedup.terminal import quoted

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
    hint = (f"NEWSDEDUP_SCHEDULE={quoted(value)} is not a schedule: give a whole number of minutes from 1 to "
            f"{MAX_SCHEDULE_MINUTES} (`15`), a cron expression or preset (`*/10 * * * *`, `@hourly`), or `none`")
    if re.fullmatch(r"[+-]?\d+", text, re.ASCII):  # not isdigit(): "²" and "+-5" were int() tracebacks
        if not 1 <= int(text) <= MAX_SCHEDULE_MINUTES:
            raise ValueError(hint)
        return timedelta(minutes=int(text))
    if not (text.startswith("@") or len(text.split()) in (5, 6, 7)):
        raise ValueError(hint)
    if text in ("@once", "@continuous"):  # Airflow's own schedules, not cron presets
        return text
    # Checked as Airflow will: `61 * * * *` or `@hourlyy` removed the DAG with Airflow's words alone
    # ("is not acceptable, out of range", "Exactly 5, 6 or 7 columns"), naming no setting.
    from airflow.sdk.exceptions import AirflowTimetableInvalid

    try:
        CronTriggerTimetable(text, timezone="UTC").validate()
    except (AirflowTimetableInvalid, ValueError) as exc:
        raise ValueError(f"{hint} ({exc})") from None
    return text



MAINTENANCE_CRON = "0 3 * * *"


def maintenance_timetable(value: str | None) -> CronTriggerTimetable:
    """The maintenance DAG's daily timetable (UTC) from NEWSDEDUP_MAINTENANCE_CRON (unset: 03:00).
    Airflow does not validate a timetable inside an AssetOrTimeSchedule: a value that was no cron
    expression ("0 3 * *", an hour of 25, empty) was bagged with no next run, and the daily
    maintenance never ran without a word. A value Airflow cannot use raises ValueError naming it."""
    from airflow.sdk.exceptions import AirflowTimetableInvalid

    text = MAINTENANCE_CRON if value is None else value.strip()
    try:
        timetable = CronTriggerTimetable(text, timezone="UTC")
        timetable.validate()
    except (AirflowTimetableInvalid, ValueError) as exc:
        raise ValueError(f"NEWSDEDUP_MAINTENANCE_CRON={quoted(value)} is not a schedule Airflow can use ({exc}): give a "
                         f"cron expression or preset in UTC (`0 3 * * *`, `@daily`), or unset it for "
                         f"{MAINTENANCE_CRON}") from None
    return timetable
