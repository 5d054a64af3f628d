"""Maintenance on a real warehouse (the sample site ingested once): retention outside the window,
idempotent re-runs, Parquet exports of the daily statistics, staging clean-up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newsdedup import maintenance
from newsdedup import warehouse as wh
from newsdedup.pipeline import run_pipeline
from newsdedup.samplesite import serve, write_sources_file
from newsdedup.staging import run_key

REFERENCE = datetime(2026, 12, 10, tzinfo=UTC)  # the sample articles are dated 1-23 November 2026


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("maintenance")
    with serve(port=0) as site:
        sources = write_sources_file(site.base_url, work / "sources.yaml")
        run_pipeline(str(sources), str(work / "w.duckdb"), str(work / "staging"), run_id="maint-run")
    return work / "w.duckdb"


def _q(path: Path, sql: str, params=None):
    return wh.query_rows(path, sql, params)[1]


def test_retention_deletes_only_what_is_outside_the_window(warehouse: Path) -> None:
    cutoff = datetime(2026, 11, 10, tzinfo=UTC)
    old_sigs = _q(warehouse, """SELECT count(*) FROM minhash_signatures m JOIN articles a USING (article_id)
                                WHERE coalesce(m.published_at, a.fetched_at) < ?""", [cutoff])[0][0]
    old_pages = _q(warehouse, """SELECT list(r.path) FROM raw_pages r LEFT JOIN articles a ON a.url = r.url
                                 WHERE coalesce(a.published_at, r.fetched_at) < ?""", [cutoff])[0][0] or []
    pages_before = _q(warehouse, "SELECT count(*) FROM raw_pages")[0][0]
    sigs_before = _q(warehouse, "SELECT count(*) FROM minhash_signatures")[0][0]
    articles_before = _q(warehouse, "SELECT count(*) FROM articles")[0][0]
    assert 0 < old_sigs < sigs_before and 0 < len(old_pages) < pages_before  # the window splits the sample

    result = maintenance.apply_retention(warehouse, REFERENCE, 30)
    assert result["signatures_deleted"] == old_sigs
    assert result["raw_pages_deleted"] == result["raw_files_removed"] == len(old_pages)
    assert _q(warehouse, "SELECT count(*) FROM minhash_signatures")[0][0] == sigs_before - old_sigs
    assert _q(warehouse, "SELECT count(*) FROM raw_pages")[0][0] == pages_before - len(old_pages)
    assert _q(warehouse, "SELECT count(*) FROM articles")[0][0] == articles_before  # analysts keep the articles
    # the evicted articles' LSH band keys go with their signatures
    assert _q(warehouse, "SELECT count(DISTINCT article_id) FROM lsh_bands")[0][0] == sigs_before - old_sigs
    raw = wh.raw_dir(warehouse)
    assert not any((raw / p).exists() for p in old_pages)
    kept = [r[0] for r in _q(warehouse, "SELECT path FROM raw_pages")]
    assert kept and all((raw / p).exists() for p in kept)

    again = maintenance.apply_retention(warehouse, REFERENCE, 30)  # a cleared, re-run maintenance run
    assert again["signatures_deleted"] == again["raw_pages_deleted"] == 0


def test_daily_statistics_are_exported_to_parquet(warehouse: Path, tmp_path: Path) -> None:
    out = maintenance.export_daily_stats(warehouse, tmp_path / "exports")
    by_source = pq.read_table(out["files"]["daily_duplicate_rate_by_source"]["path"])
    daily = pq.read_table(out["files"]["daily_duplicate_rate"]["path"])
    assert by_source.num_rows == _q(warehouse, "SELECT count(*) FROM daily_duplicate_rate")[0][0]
    assert sum(daily.column("articles").to_pylist()) == sum(by_source.column("articles").to_pylist())
    assert {"day", "articles", "duplicates", "duplicate_rate"} <= set(daily.column_names)
    assert not list((tmp_path / "exports").glob("*tmp*"))  # written atomically


def test_old_staging_folders_of_loaded_runs_are_removed(warehouse: Path) -> None:
    staging = warehouse.parent / "staging"
    assert (staging / run_key("maint-run")).is_dir()
    assert maintenance.clean_staging(warehouse, staging, datetime(2026, 1, 1, tzinfo=UTC)) == 0  # too recent
    assert maintenance.clean_staging(warehouse, staging, datetime(2100, 1, 1, tzinfo=UTC)) == 1
    assert not (staging / run_key("maint-run")).exists()


def test_retention_days_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSDEDUP_RETENTION_DAYS", raising=False)
    assert maintenance.retention_days(None) == maintenance.DEFAULT_RETENTION_DAYS
    monkeypatch.setenv("NEWSDEDUP_RETENTION_DAYS", "7")
    assert maintenance.retention_days(None) == 7
    assert maintenance.retention_days("3.5") == 3.5
    with pytest.raises(ValueError, match="positive"):
        maintenance.retention_days(0)
    with pytest.raises(ValueError, match="number of days"):
        maintenance.retention_days("a week")


def test_retention_before_the_first_load_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "none-yet.duckdb"
    assert maintenance.apply_retention(path, REFERENCE, 30)["signatures_deleted"] == 0
    assert not path.exists() and not wh.snapshot_path(path).exists()


def test_a_run_its_loads_triggered_maintains_the_warehouses_their_events_name(warehouse: Path, tmp_path: Path
                                                                              ) -> None:
    """What the task bodies read from an asset-triggered run's context (the scheduler test shows the
    events for real): each warehouse the loads' events name, with its staging folder, once; an event
    naming none (an older release's, one posted by hand) means the run's own settings; a run conf naming
    a warehouse wins over the events. Before, every asset-triggered run maintained the settings' warehouse."""
    from types import SimpleNamespace

    from newsdedup.dagdefaults import WAREHOUSE
    from newsdedup.staging import write_json

    settings_warehouse, other = tmp_path / "settings.duckdb", tmp_path / "other.duckdb"

    def context(*extras: dict, conf: dict | None = None, reference: datetime = REFERENCE) -> dict:
        return {"params": {"warehouse": str(settings_warehouse), "staging": str(tmp_path / "s"), "retention_days": 36_500},
                "data_interval_end": reference, "dag_run": SimpleNamespace(conf=conf or {}),
                "triggering_asset_events": {WAREHOUSE: [SimpleNamespace(extra=e) for e in extras]}}

    loaded = {"warehouse": str(warehouse), "staging": str(tmp_path / "w-staging"), "run_id": "maint-run"}
    out = maintenance.export_task(context(loaded, {**loaded, "run_id": "later"}))  # one warehouse, two loads
    assert set(out["files"]) == {"daily_duplicate_rate", "daily_duplicate_rate_by_source"}
    assert Path(out["files"]["daily_duplicate_rate"]["path"]).parent == maintenance.exports_dir(warehouse)

    both = maintenance.retention_task(context(loaded, {"warehouse": str(other), "staging": str(tmp_path / "o")}, {}))
    assert set(both) == {str(warehouse), str(other), str(settings_warehouse)}
    assert all(r["signatures_deleted"] == 0 for r in both.values())  # nothing is older than 100 years
    assert not other.exists() and not settings_warehouse.exists()  # retention creates no warehouse
    assert maintenance.export_task(context({"warehouse": str(other)})) == {"files": {}}
    assert not maintenance.exports_dir(other).exists()  # nor does the export make a folder beside nothing

    # the staging clean-up looks in the staging folder the event names, for that warehouse's runs
    gone = Path(loaded["staging"]) / "killed-run"
    gone.mkdir(parents=True)
    write_json({"run_id": "killed-run", "warehouse": str(warehouse)}, gone / "plan.json")
    later = datetime.now(UTC) + timedelta(days=30)
    assert maintenance.clean_staging_task(context({**loaded, "warehouse": str(other)}, reference=later)) == 0
    assert maintenance.clean_staging_task(context(loaded, reference=later)) == 1 and not gone.exists()

    named = maintenance.retention_task(context(loaded, conf={"warehouse": str(other)}))
    assert "signatures_deleted" in named  # the conf's warehouse alone, not one per event
