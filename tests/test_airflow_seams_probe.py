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


# ----------------------------------------------------------------- a plan that fails
def test_a_failed_plan_fails_the_run_at_once_without_retrying_dedup(airflow_db, tmp_path: Path) -> None:
    """dedup runs when every ingest task is done, failed ones too (trigger rule all_done), so it also ran
    when the plan itself had failed (a bad sources file): with no plan to read it failed with
    "TypeError: 'NoneType' object is not iterable", was retried twice with back-off, and the run failed
    only after them (110 s for a run whose plan failed in 4 s), its grid showing dedup failed on its
    third try beside the plan. Now dedup fails at once, without retries, saying the plan failed; load
    and report are upstream_failed, and the run fails."""
    from airflow.dag_processing.dagbag import DagBag

    bad = tmp_path / "sources.yaml"
    bad.write_text("sources: 5\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSDEDUP_SOURCES", str(bad))
        mp.setenv("NEWSDEDUP_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
        mp.setenv("NEWSDEDUP_STAGING", str(tmp_path / "staging"))
        run = DagBag(dag_folder=str(ROOT / "dags")).dags["newsdedup_ingest"].test()
    states = {ti.task_id: (str(ti.state), ti.try_number) for ti in run.get_task_instances()}
    assert str(run.state).endswith("failed"), states
    assert states["plan"] == ("failed", 1) and states["dedup"] == ("failed", 1), states
    assert states["load"][0] == states["report"][0] == "upstream_failed", states


# ----------------------------------------------------------------- a load marked success by hand
def test_report_after_a_load_marked_success_by_hand_says_what_the_warehouse_holds(tmp_path: Path) -> None:
    """An operator who marks the load task success by hand (to unblock a run) leaves report with no
    load result: Airflow hands it None. report failed with "TypeError: 'NoneType' object is not
    subscriptable", retried twice. Now it fails at once when the run is not in the warehouse, saying
    so; once the run is loaded (its load committed before the mark), it reports the recorded run."""
    from airflow.sdk.exceptions import AirflowFailException

    from newsdedup import tasks
    from newsdedup.samplesite import serve, write_sources_file

    work = {"staging": str(tmp_path / "staging"), "warehouse": str(tmp_path / "w.duckdb")}
    with serve(port=0) as site:
        sources = write_sources_file(site.base_url, tmp_path / "sources.yaml")
        jobs = tasks.plan({"run_id": "manual__marked", "params": {"sources_file": str(sources), **work}})
        for job in jobs:
            tasks.ingest_source({}, job)
    tasks.dedup(jobs)
    with pytest.raises(AirflowFailException, match=r"run manual__marked is not in the warehouse"):
        tasks.report(jobs, None)
    loaded = tasks.load(jobs)
    assert loaded["added"]["articles"] > 0
    assert tasks.report(jobs, None) == {"run_id": "manual__marked", "added": dict.fromkeys(loaded["added"], 0)}


# ----------------------------------------------------------------- a dedup marked success by hand
def test_a_load_whose_dedup_never_ran_decides_the_duplicates_itself(tmp_path: Path) -> None:
    """An operator who marks the dedup task success by hand (its shared index down, say, to get the run
    loaded) let the load run on a run with no decisions staged: every article was loaded with no
    story cluster, no MinHash signature and no sentences, so no later article was ever compared with
    them, and the sample site's duplicate pairs were stored as two originals. Now the load decides
    the run's duplicates itself first, as it does when its decisions are stale."""
    from newsdedup import tasks
    from newsdedup import warehouse as wh
    from newsdedup.samplesite import serve, write_sources_file

    def run(name: str, dedup: bool) -> dict[str, int]:
        work = {"staging": str(tmp_path / name / "staging"), "warehouse": str(tmp_path / name / "w.duckdb")}
        jobs = tasks.plan({"run_id": "manual__nodedup", "params": {"sources_file": str(sources), **work}})
        for job in jobs:
            tasks.ingest_source({}, job)
        if dedup:
            tasks.dedup(jobs)
        tasks.load(jobs)
        return {t: wh.query_rows(work["warehouse"], f"SELECT count(*) FROM {t}")[1][0][0]
                for t in ("articles", "article_clusters", "minhash_signatures", "sentences")}

    with serve(port=0) as site:
        sources = write_sources_file(site.base_url, tmp_path / "sources.yaml")
        normal, skipped = run("normal", dedup=True), run("skipped", dedup=False)
    assert normal["articles"] > 0 and normal["article_clusters"] == normal["articles"], normal
    assert skipped == normal


# ----------------------------------------------------------------- a run setting misspelt
def test_a_misspelt_run_setting_fails_the_plan_naming_the_one_it_resembles(airflow_db, tmp_path: Path) -> None:
    """A run triggered with `{"warehous": "/srv/b.duckdb"}` (the REST API or the trigger form's JSON)
    ran against the default warehouse: Airflow keeps conf keys the DAG has no Param for, and nothing
    read this one. The plan now fails at once naming the setting it resembles; a key that resembles
    none (`{"reason": "rerun after outage"}`, a note for people) is logged and the run goes on."""
    from airflow.dag_processing.dagbag import DagBag

    from newsdedup.samplesite import serve, write_sources_file

    other = tmp_path / "other.duckdb"
    with serve(port=0) as site, pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSDEDUP_SOURCES", str(write_sources_file(site.base_url, tmp_path / "sources.yaml")))
        mp.setenv("NEWSDEDUP_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
        mp.setenv("NEWSDEDUP_STAGING", str(tmp_path / "staging"))
        run = DagBag(dag_folder=str(ROOT / "dags")).dags["newsdedup_ingest"].test(
            run_conf={"warehous": str(other), "reason": "rerun after outage"})
    states = {ti.task_id: (str(ti.state), ti.try_number) for ti in run.get_task_instances()}
    assert states["plan"] == ("failed", 1), states
    assert not (tmp_path / "warehouse.duckdb").exists() and not other.exists()


def test_run_settings_are_checked_against_what_the_dag_takes() -> None:
    from airflow.sdk.exceptions import AirflowFailException

    from newsdedup.tasks import check_run_settings

    known = ("sources_file", "warehouse", "staging")
    with pytest.raises(AirflowFailException, match=r"'warehous'.*did you mean 'warehouse'\?"):
        check_run_settings({"warehous": "/srv/b.duckdb"}, known)
    with pytest.raises(AirflowFailException, match=r"'Staging'.*did you mean 'staging'\?"):
        check_run_settings({"Staging": "/srv/st"}, known)
    assert check_run_settings({"reason": "rerun", "warehouse": None}, known) == ["reason"]
    assert check_run_settings({}, known) == [] and check_run_settings(None, known) == []
