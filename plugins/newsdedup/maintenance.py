"""Warehouse maintenance: retention outside the dedup window, CHECKPOINT, daily statistics to Parquet.

Run by the `newsdedup_maintenance` DAG after every load (it is scheduled on the warehouse Asset) and
daily. Everything is keyed on the run's reference time (its data interval end or run-after time),
never on `now()`, so a cleared and re-run maintenance run deletes exactly the same rows.

- Retention: MinHash signatures and raw pages of articles published (or, when undated, fetched)
  before `reference - retention_days` are deleted. Articles, clusters and sentences stay: analysts
  query them; only the bulky state that incremental dedup and `reclean` need is bounded. An
  article outside the window is no longer compared against new ones, which is what the dedup
  window already means (`DedupConfig.window_days`).
- CHECKPOINT: folds the WAL into the file so the published snapshot is compact.
- Exports: the `daily_duplicate_rate` view and per-day totals, as Parquet beside the warehouse, for
  tools that would rather not open DuckDB.
"""

from __future__ import annotations

import logging
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from newsdedup import warehouse as wh
from newsdedup.config import staging_dir, warehouse_path

log = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 30.0
# Staging folders are only needed while a run is in flight (and to debug a recent one).
STAGING_KEEP = timedelta(days=2)


def exports_dir(warehouse: Path) -> Path:
    """Folder beside the warehouse holding the Parquet exports."""
    return warehouse.with_name(warehouse.stem + ".exports")


def retention_days(value: str | float | None) -> float:
    """The retention window in days: the given value, else $NEWSDEDUP_RETENTION_DAYS, else 30."""
    raw = value if value not in (None, "") else os.environ.get("NEWSDEDUP_RETENTION_DAYS")
    if raw in (None, ""):
        return DEFAULT_RETENTION_DAYS
    try:
        days = float(raw)
    except ValueError:
        raise ValueError(f"retention_days must be a number of days, got {raw!r}") from None
    if days <= 0:
        raise ValueError(f"retention_days must be positive, got {days}")
    return days


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def apply_retention(warehouse: str | os.PathLike[str] | None, reference: datetime, days: float
                    ) -> dict[str, Any]:
    """Delete signatures and raw pages outside the window in one transaction, CHECKPOINT, then
    remove the deleted pages' files. Returns what was deleted."""
    path = warehouse_path(warehouse)
    cutoff = _utc(reference) - timedelta(days=days)
    if not path.exists():  # the daily run may come before the first load: do not create an empty warehouse
        log.info("retention: no warehouse at %s yet; nothing to do", path)
        return {"cutoff": cutoff.isoformat(), "retention_days": days, "signatures_deleted": 0,
                "raw_pages_deleted": 0, "raw_files_removed": 0}
    with wh.writer(path) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            signatures = con.execute(
                """DELETE FROM minhash_signatures WHERE article_id IN (
                       SELECT m.article_id FROM minhash_signatures m LEFT JOIN articles a USING (article_id)
                       WHERE coalesce(m.published_at, a.fetched_at) < ?::TIMESTAMPTZ)
                   RETURNING article_id""",
                [cutoff],
            ).fetchall()
            # The band keys of evicted signatures would only cost space: LSH candidates are joined
            # through minhash_signatures, so they can never match again.
            con.execute("DELETE FROM lsh_bands WHERE article_id NOT IN (SELECT article_id FROM minhash_signatures)")
            pages = con.execute(
                """DELETE FROM raw_pages WHERE url_id IN (
                       SELECT r.url_id FROM raw_pages r LEFT JOIN articles a ON a.url = r.url
                       WHERE coalesce(a.published_at, r.fetched_at) < ?::TIMESTAMPTZ)
                   RETURNING path""",
                [cutoff],
            ).fetchall()
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("FORCE CHECKPOINT")
    # Files go only after the commit: a failed transaction must not leave rows without their page.
    # A file that is already gone (an earlier attempt removed it) is fine.
    raw_root = wh.raw_dir(path)
    removed = 0
    for (rel,) in pages:
        try:
            (raw_root / rel).unlink()
            removed += 1
        except FileNotFoundError:
            pass
    result = {"cutoff": cutoff.isoformat(), "retention_days": days, "signatures_deleted": len(signatures),
              "raw_pages_deleted": len(pages), "raw_files_removed": removed}
    log.info("retention: kept the last %g days (cutoff %s): deleted %d signatures and %d raw pages "
             "(%d files removed); checkpointed %s", days, cutoff.isoformat(), len(signatures), len(pages),
             removed, path)
    return result


def clean_staging(warehouse: str | os.PathLike[str] | None, staging: str | os.PathLike[str] | None,
                  reference: datetime) -> int:
    """Remove staging folders of runs that are loaded and finished before `reference - STAGING_KEEP`."""
    from newsdedup.staging import run_key

    root = staging_dir(staging)
    if not root.is_dir():
        return 0
    with wh.reader(warehouse) as con:
        if con is None:
            return 0
        done = con.execute("SELECT run_id FROM ingest_runs WHERE finished_at < ?::TIMESTAMPTZ",
                           [_utc(reference) - STAGING_KEEP]).fetchall()
    removed = 0
    for (run_id,) in done:
        folder = root / run_key(run_id)
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    if removed:
        log.info("staging: removed %d folders of loaded runs older than %s", removed, STAGING_KEEP)
    return removed


def export_daily_stats(warehouse: str | os.PathLike[str] | None, out_dir: str | os.PathLike[str] | None = None
                       ) -> dict[str, Any]:
    """Export the daily duplicate rate (per day and source, and per day) from the snapshot to Parquet.

    Reads the published snapshot, so the export never holds the writer's lock.
    """
    path = warehouse_path(warehouse)
    out = Path(out_dir) if out_dir else exports_dir(path)
    out.mkdir(parents=True, exist_ok=True)
    queries = {
        "daily_duplicate_rate_by_source": "SELECT * FROM daily_duplicate_rate ORDER BY day, source",
        "daily_duplicate_rate": """
            SELECT day, sum(articles) AS articles, sum(duplicates) AS duplicates,
                   sum(exact_duplicates) AS exact_duplicates, sum(near_duplicates) AS near_duplicates,
                   round(sum(duplicates) / sum(articles), 3) AS duplicate_rate, count(*) AS sources
            FROM daily_duplicate_rate GROUP BY day ORDER BY day""",
    }
    written: dict[str, Any] = {}
    with wh.reader(path) as con:
        if con is None:
            log.info("export: no warehouse at %s yet; nothing to export", path)
            return {"files": {}}
        for name, sql in queries.items():
            dest = out / f"{name}.parquet"
            tmp = out / f".{name}.parquet.tmp{os.getpid()}"
            # The target is a path we built, not user input; COPY cannot take it as a parameter.
            target = str(tmp).replace("'", "''")
            con.execute(f"COPY ({sql}) TO '{target}' (FORMAT parquet, COMPRESSION zstd)")
            os.replace(tmp, dest)  # readers of the export never see a half-written file
            rows = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
            written[name] = {"path": str(dest), "rows": rows}
    log.info("export: %s", ", ".join(f"{n} ({v['rows']} rows) -> {v['path']}" for n, v in written.items()))
    return {"files": written}


# ------------------------------------------------------------------------- Airflow task bodies
def _reference(context: dict[str, Any]) -> datetime:
    """The run's time: its data interval end (daily runs) or run-after time (asset-triggered runs)."""
    ref = context.get("data_interval_end")
    if ref is None:
        dag_run = context.get("dag_run")
        ref = getattr(dag_run, "run_after", None) or getattr(dag_run, "logical_date", None)
    if ref is None:
        raise ValueError("the maintenance run has neither a data interval end nor a run-after time")
    return _utc(ref)


def _settings(context: dict[str, Any]) -> dict[str, Any]:
    from newsdedup.tasks import _setting

    params = context.get("params") or {}
    return {
        "warehouse": _setting(params, "warehouse", "newsdedup_warehouse"),
        "staging": _setting(params, "staging", "newsdedup_staging"),
        "retention_days": retention_days(_setting(params, "retention_days", "newsdedup_retention_days")),
    }


def retention_task(context: dict[str, Any]) -> dict[str, Any]:
    s = _settings(context)
    return apply_retention(s["warehouse"], _reference(context), s["retention_days"])


def export_task(context: dict[str, Any]) -> dict[str, Any]:
    return export_daily_stats(_settings(context)["warehouse"])


def clean_staging_task(context: dict[str, Any]) -> int:
    s = _settings(context)
    return clean_staging(s["warehouse"], s["staging"], _reference(context))
