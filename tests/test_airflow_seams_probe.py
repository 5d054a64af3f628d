"""Seams between newsdedup and Airflow 3.3's own limits and behaviours, as an operator meets them.

Real Airflow (DagBag, `dag.test()`), real DuckDB files and the sample site; no mocks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAINTENANCE = ROOT / "dags" / "newsdedup_maintenance.py"


# ----------------------------------------------------------------- NEWSDEDUP_MAINTENANCE_CRON
@pytest.mark.parametrize("value", ["0 3 * *", "", "none", "*/0 * * * *", "0 25 * * *", "60"])
def test_a_maintenance_cron_airflow_cannot_use_names_the_setting(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A NEWSDEDUP_MAINTENANCE_CRON that is no cron expression (a column missing, an hour of 25, empty)
    was bagged without an import error: Airflow does not validate the timetable inside an
    AssetOrTimeSchedule, and the dag-processor stored the DAG with no next run ("Triggered by assets
    or " in its description). The daily maintenance then never ran, and nothing said why. Now the DAG
    file fails to import with an error naming the setting, as a bad NEWSDEDUP_SCHEDULE does."""
    from airflow.dag_processing.dagbag import DagBag

    monkeypatch.setenv("NEWSDEDUP_MAINTENANCE_CRON", value)
    bag = DagBag(dag_folder=str(MAINTENANCE))
    assert "newsdedup_maintenance" not in bag.dags
    (error,) = bag.import_errors.values()
    assert f"NEWSDEDUP_MAINTENANCE_CRON={value!r}" in error and "cron expression" in error, error[-400:]


@pytest.mark.parametrize("value", ["0 4 * * 1-5", "@daily", " 30 2 * * * "])
def test_a_maintenance_cron_airflow_can_use_is_the_daily_schedule(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from airflow.dag_processing.dagbag import DagBag

    monkeypatch.setenv("NEWSDEDUP_MAINTENANCE_CRON", value)
    bag = DagBag(dag_folder=str(MAINTENANCE))
    assert not bag.import_errors, bag.import_errors
    dag = bag.dags["newsdedup_maintenance"]
    assert dag.timetable.timetable.expression.split() == {"@daily": "0 0 * * *"}.get(value, value).split()
