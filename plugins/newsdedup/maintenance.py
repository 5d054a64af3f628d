"""Warehouse maintenance: retention outside the dedup window, CHECKPOINT, daily statistics to Parquet.

Run by the `newsdedup_maintenance` DAG after every load (it is scheduled on the warehouse Asset) and
daily. Everything is keyed on the run's reference time (its data interval end or run-after time),
never on `now()`, so a cleared and re-run maintenance run deletes exactly the same rows.

- Retention: MinHash signatures and raw pages of articles published (or, when undated, fetched)
  before `reference - retention_days` are deleted (and, with the shared LSH index in Redis, their
  ids and those of runs that never loaded, by the next task: `sweep_task`, `newsdedup.lshstore.sweep`).
  Articles, clusters and sentences stay: analysts query them; only the bulky state that incremental dedup and `reclean` need is bounded. An
  article outside the window is no longer compared against new ones, which is what the dedup
  window already means (`DedupConfig.window_days`).
- CHECKPOINT: folds the WAL into the file so the published snapshot is compact (and folds in what a
  load committed but could not checkpoint, on a full disk).
- Exports: the `daily_duplicate_rate` view and per-day totals, as Parquet beside the warehouse, for
  tools that would rather not open DuckDB.
- Staging: removes run folders nothing needs any more; keeps those of runs whose load failed until
  a later run adopts them (`PENDING_KEEP` at most).
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
import sys
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from newsdedup import warehouse as wh
from newsdedup.config import engine_path, staging_dir, warehouse_path
from newsdedup.staging import atomic_write
from newsdedup.terminal import quoted

log = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 30.0
MAX_RETENTION_DAYS = 36_500
# Staging folders are only needed while a run is in flight (and to debug a recent one).
STAGING_KEEP = timedelta(days=2)
# A run whose load failed keeps its batches for the next run to adopt (the very next run does, so
# this only matters while no run plans, e.g. the DAG is paused); then its fetched work is given up.
PENDING_KEEP = timedelta(days=14)


def exports_dir(warehouse: Path) -> Path:
    """Folder beside the warehouse holding the Parquet exports."""
    return warehouse.with_name(warehouse.stem + ".exports")


def retention_days(value: str | float | None) -> float:
    """The retention window in days: the given value, else $NEWSDEDUP_RETENTION_DAYS, else 30."""
    raw = value if value not in (None, "") else os.environ.get("NEWSDEDUP_RETENTION_DAYS")
    if raw in (None, ""):
        return DEFAULT_RETENTION_DAYS
    shown = quoted(raw) if isinstance(raw, str) else repr(raw)  # a Param's number or bool as before
    try:
        days = float(raw)
    except ValueError:
        raise ValueError(f"retention_days must be a number of days, got {shown}") from None
    # `nan <= 0` is false: NaN passed and failed later as "cannot convert float NaN to integer"
    if not math.isfinite(days):
        raise ValueError(f"retention_days must be a finite number of days, got {shown}")
    if days <= 0:
        raise ValueError(f"retention_days must be positive, got {days:g}")
    # A cutoff a million days back is before year 1: an OverflowError, retried twice
    if days > MAX_RETENTION_DAYS:
        raise ValueError(f"retention_days must be at most {MAX_RETENTION_DAYS} days (100 years), got {days:g}; "
                         f"{MAX_RETENTION_DAYS} keeps every signature and raw page")
    return days


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _pending_file(path: Path) -> Path:
    """The list of raw files a retention committed to removing, until they are removed."""
    return path.with_name(path.name + ".retention-pending.json")


def _read_pending(pending: Path) -> list[str]:
    try:
        got = json.loads(pending.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:  # a damaged list: what it named stays on disk, said once
        log.warning("retention: unreadable list of files to remove %s (%s); ignored", pending, exc)
        return []
    return [p for p in got if isinstance(p, str)] if isinstance(got, list) else []


def _inside(root: Path, rel: str) -> bool:
    """Whether a listed name is a file under the raw folder (the list is a file anyone may edit)."""
    try:
        return (root / rel).resolve().is_relative_to(root.resolve())
    except (OSError, ValueError):
        return False


def apply_retention(warehouse: str | os.PathLike[str] | None, reference: datetime, days: float
                    ) -> dict[str, Any]:
    """Delete signatures and raw pages outside the window in one transaction, CHECKPOINT, then
    remove the deleted pages' files. Returns what was deleted."""
    path = warehouse_path(warehouse)
    cutoff = _utc(reference) - timedelta(days=days)
    if not path.exists():  # the daily run may come before the first load: do not create an empty warehouse
        log.info("retention: no warehouse at %s yet; nothing to do", path)
        return {"cutoff": cutoff.isoformat(), "retention_days": days, "signatures_deleted": 0,
                "raw_pages_deleted": 0, "raw_files_removed": 0, "raw_files_left": 0}
    checkpoint_error = None
    raw_root = wh.raw_dir(path)
    pending = _pending_file(path)
    leftover = _read_pending(pending)
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
            # The files to remove are listed before the commit: a retention stopped between its
            # commit and its deletions (a SIGTERM, a killed worker) left them on disk for ever, as
            # no row refers to them any more. The next retention removes what is listed.
            doomed = sorted({*leftover, *(rel for (rel,) in pages)})
            if doomed:
                atomic_write(pending, lambda tmp: tmp.write_text(json.dumps(doomed), encoding="utf-8"))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        try:
            con.execute("FORCE CHECKPOINT")
        except duckdb.Error as exc:  # e.g. a full disk; the deletions committed all the same
            checkpoint_error = str(exc).strip().splitlines()[0]
        # A listed page fetched again since (same address, same file name) is kept: a row refers to it.
        wanted = {r for (r,) in con.execute("SELECT path FROM raw_pages WHERE list_contains(?, path)",
                                            [doomed]).fetchall()} if doomed else set()  # fmt: skip
    # Files go only after the commit: a failed transaction must not leave rows without their page.
    # A file that is already gone (an earlier attempt removed it) is fine.
    removed = 0
    stuck: list[tuple[str, OSError]] = []
    for rel in doomed:
        if rel in wanted or not _inside(raw_root, rel):
            continue
        try:
            (raw_root / rel).unlink()
            removed += 1
        except FileNotFoundError:
            pass
        except OSError as exc:
            # A folder this user may not write (another user's run stored the page): a PermissionError
            # traceback after the commit, the files after it left, and again at every retention.
            stuck.append((rel, exc))
    if stuck:
        atomic_write(pending, lambda tmp: tmp.write_text(json.dumps([rel for rel, _ in stuck]), encoding="utf-8"))
        rel, exc = stuck[0]
        log.warning("retention: %d raw files could not be removed (%s: %s%s); listed in %s for the next retention "
                    "to remove: give this user (uid %d) write access to their folders", len(stuck), raw_root / rel,
                    exc.strerror or exc, ", ..." if len(stuck) > 1 else "", pending, os.getuid())
    else:
        pending.unlink(missing_ok=True)
    result = {"cutoff": cutoff.isoformat(), "retention_days": days, "signatures_deleted": len(signatures),
              "raw_pages_deleted": len(pages), "raw_files_removed": removed, "raw_files_left": len(stuck)}
    log.info("retention: kept the last %g days (cutoff %s): deleted %d signatures and %d raw pages "
             "(%d files removed)", days, cutoff.isoformat(), len(signatures), len(pages), removed)
    if checkpoint_error is not None:
        # Fail the task (it retries) so that a full disk is seen; the retry deletes nothing more.
        raise wh.WarehouseError(f"retention committed, but CHECKPOINT of {path} failed ({checkpoint_error}): "
                                "free some disk space; the task's retry or the next maintenance run checkpoints")
    log.info("retention: checkpointed %s", path)
    return result


def _last_activity(folder: Path) -> datetime:
    """When anything in a run folder was last written."""
    newest = folder.stat().st_mtime
    for p in folder.rglob("*"):
        with suppress(FileNotFoundError):  # removed while we look
            newest = max(newest, p.stat().st_mtime)
    return datetime.fromtimestamp(newest, UTC)


def _rmtree(folder: Path) -> list[str]:
    """Remove `folder` as far as this user may; what could not be removed, one line each."""
    failures: list[str] = []

    def note(path: str, exc: BaseException) -> None:
        failures.append(f"{path}: {getattr(exc, 'strerror', None) or exc}")

    if sys.version_info >= (3, 12):
        shutil.rmtree(folder, onexc=lambda _f, path, exc: note(path, exc))
    else:  # onexc is 3.12's; onerror is deprecated there
        shutil.rmtree(folder, onerror=lambda _f, path, info: note(path, info[1]))
    return failures


def clean_staging(warehouse: str | os.PathLike[str] | None, staging: str | os.PathLike[str] | None,
                  reference: datetime) -> int:
    """Remove the staging folders of this warehouse's runs that nothing needs any more.

    - a loaded run's folder, once it finished before `reference - STAGING_KEEP`;
    - a run that never loaded (killed, or its batches adopted by a later run), once nothing was
      written to it since `reference - STAGING_KEEP`;
    - a run whose load failed and that no run adopted yet, only after `PENDING_KEEP`: the next
      run loads its batches without fetching them again.
    Only folders holding a run's plan (written by `pipeline.plan`) are touched.
    """
    from newsdedup.staging import ADOPTED, LOAD_FAILED, StagingError, read_plan

    root = staging_dir(staging)
    if not root.is_dir():
        return 0
    path = warehouse_path(warehouse)
    ref = _utc(reference)
    finished: dict[str, datetime] = {}
    with wh.reader(path) as con:
        if con is not None:
            finished = {r: _utc(f) for r, f in con.execute(
                "SELECT run_id, finished_at FROM ingest_runs WHERE finished_at IS NOT NULL").fetchall()}
    removed = given_up = kept = 0
    # Not a link (to a run folder kept elsewhere): rmtree refuses one, and its ignored error was counted
    # and logged as a folder removed
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink()):
        try:
            meta = read_plan(folder)
        except (OSError, ValueError, StagingError):
            continue  # not a run folder (or not readable): not ours to remove
        if Path(meta.get("warehouse", "")).resolve() != path.resolve():
            continue  # another warehouse's run: its own maintenance decides
        run_id = meta.get("run_id")
        pending = (folder / LOAD_FAILED).exists() and not (folder / ADOPTED).exists()
        if run_id in finished:
            drop = finished[run_id] < ref - STAGING_KEEP
        else:
            drop = _last_activity(folder) < ref - (PENDING_KEEP if pending else STAGING_KEEP)
        if not drop:
            if pending and run_id not in finished:
                log.info("staging: keeping %s: its load failed, the next run loads its batches", folder)
            continue
        if pending and run_id not in finished:
            log.warning("staging: removing %s: its load failed and no run adopted it within %s; its pages "
                        "will be fetched again", folder, PENDING_KEEP)
        failures = _rmtree(folder)
        if folder.exists():
            # Another user's run folder (a manual `sudo newsdedup run`): rmtree's errors were ignored and the
            # folder counted and logged as removed, every day, while it stayed and the disk filled.
            kept += 1
            log.warning("staging: cannot remove %s (%s%s); this user (uid %d) may not: remove it as its owner",
                        folder, failures[0] if failures else "it is still there",
                        f", and {len(failures) - 1} more" if len(failures) > 1 else "", os.getuid())
            continue
        removed += 1
        given_up += pending and run_id not in finished
    if removed:
        log.info("staging: removed %d run folders (%d never loaded)", removed, given_up)
    if kept:
        log.warning("staging: %d run folders due for removal could not be removed (see above)", kept)
    return removed


def export_daily_stats(warehouse: str | os.PathLike[str] | None, out_dir: str | os.PathLike[str] | None = None
                       ) -> dict[str, Any]:
    """Export the daily duplicate rate (per day and source, and per day) from the snapshot to Parquet.

    Reads the published snapshot, so the export never holds the writer's lock. The reader is
    sandboxed (it cannot write files), so the rows are fetched and written here with pyarrow.
    """
    import pyarrow.parquet as pq

    from newsdedup.staging import atomic_write

    path = warehouse_path(warehouse)
    out = Path(out_dir) if out_dir else exports_dir(path)
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
        out.mkdir(parents=True, exist_ok=True)  # not before: a path naming no warehouse gets no folder
        for name, sql in queries.items():
            table = con.sql(sql).to_arrow_table()
            dest = out / f"{name}.parquet"
            # readers of the export never see a half-written file
            atomic_write(dest, lambda tmp, t=table: pq.write_table(t, engine_path(tmp), compression="zstd"))
            written[name] = {"path": str(dest), "rows": table.num_rows}
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
    from airflow.sdk.exceptions import AirflowFailException

    from newsdedup.tasks import _setting, check_run_settings, run_conf

    params = context.get("params") or {}
    check_run_settings(run_conf(context), ("warehouse", "staging", "retention_days"))
    try:
        days = retention_days(_setting(params, "retention_days", "newsdedup_retention_days"))
    except ValueError as exc:  # a setting does not mend itself: no retries
        raise AirflowFailException(str(exc)) from None
    return {
        "warehouse": _setting(params, "warehouse", "newsdedup_warehouse"),
        "staging": _setting(params, "staging", "newsdedup_staging"),
        "retention_days": days,
    }


def sweep_shared_index(warehouse: str | os.PathLike[str] | None, environ: dict[str, str] | None = None
                       ) -> dict[str, Any] | None:
    """Remove from the shared LSH index (when `NEWSDEDUP_LSH_REDIS_URL` is set) the ids the warehouse
    no longer holds a signature for; None when there is no shared index."""
    from newsdedup import lshstore

    settings = lshstore.RedisLSHSettings.from_env(environ)
    if settings is None:
        return None
    result = lshstore.sweep(settings, warehouse)
    log.info("lsh sweep: %s", result)
    return {**result.as_dict(), "summary": str(result)}


def _load_events(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The extras of the warehouse Asset events that triggered this run (none for a daily or manual run)."""
    from newsdedup.dagdefaults import WAREHOUSE

    accessor = context.get("triggering_asset_events")
    if not accessor:
        return []
    try:
        events = accessor[WAREHOUSE]
    except KeyError:
        return []
    return [e.extra if isinstance(getattr(e, "extra", None), dict) else {} for e in events]


def _targets(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The warehouses this run maintains, each with its staging folder and the retention setting.

    A run the loads triggered maintains the warehouses those loads wrote, as their Asset events name
    them (`tasks.announce_load`): after a run triggered with `{"warehouse": "/srv/b.duckdb"}`,
    retention, the exports and the staging clean-up ran on the default warehouse, and b's never. A
    daily run, a run triggered by hand and an event naming no warehouse (an older release's, or one
    posted by hand) maintain the warehouse of the run's settings; a run conf naming a warehouse or
    staging folder wins over the events.
    """
    from newsdedup.tasks import run_conf

    settings = _settings(context)
    conf = run_conf(context) or {}
    if any(conf.get(k) is not None and str(conf[k]).strip() for k in ("warehouse", "staging")):
        return [settings]
    targets: dict[tuple[str, str], dict[str, Any]] = {}
    for extra in _load_events(context) or [{}]:
        named, staging = extra.get("warehouse"), extra.get("staging")
        target = settings
        if isinstance(named, str) and os.path.isabs(named):
            target = {**settings, "warehouse": named,
                      "staging": staging if isinstance(staging, str) and os.path.isabs(staging) else settings["staging"]}
        key = (str(warehouse_path(target["warehouse"]).resolve()), str(staging_dir(target["staging"]).resolve()))
        targets.setdefault(key, target)
    if len(targets) > 1:
        log.info("maintenance: %d warehouses were loaded since the last maintenance run: %s", len(targets),
                 ", ".join(w for w, _ in targets))
    return list(targets.values())


def _each(context: dict[str, Any], step: Callable[[dict[str, Any]], Any]) -> Any:
    """`step(target)` for every warehouse this run maintains: its result, or one per warehouse by path
    when there are several. A warehouse that fails does not stop the others; the task then fails."""
    targets = _targets(context)
    if len(targets) == 1:
        return step(targets[0])
    results: dict[str, Any] = {}
    failed: list[tuple[str, Exception]] = []
    for target in targets:
        path = str(warehouse_path(target["warehouse"]))
        try:
            results[path] = step(target)
        except Exception as exc:  # the others still get their maintenance; re-raised below
            log.error("maintenance of %s failed: %s", path, exc)
            failed.append((path, exc))
    if failed:
        log.error("maintenance failed on %d of %d warehouses: %s", len(failed), len(targets),
                  ", ".join(p for p, _ in failed))
        raise failed[0][1]
    return results


def retention_task(context: dict[str, Any]) -> dict[str, Any]:
    reference = _reference(context)
    return _each(context, lambda t: apply_retention(t["warehouse"], reference, t["retention_days"]))


def sweep_task(context: dict[str, Any]) -> dict[str, Any]:
    """The shared LSH index swept after retention, as its own task: it holds no `duckdb_writer` slot
    (it reads the snapshot retention published), and a Redis outage holds back neither retention nor
    the export and the staging clean-up. The index is the deployment's: it is swept against the
    warehouse of the run's settings only (swept against another warehouse, it would drop the ids of
    every article of the deployment's own)."""
    from newsdedup import lshstore

    with lshstore.airflow_retry_policy():  # settings, another pinned config, no warehouse: fail at once
        swept = sweep_shared_index(_settings(context)["warehouse"])
    return swept if swept is not None else {"skipped": f"{lshstore.ENV_URL} is not set: no shared LSH index"}


def export_task(context: dict[str, Any]) -> dict[str, Any]:
    return _each(context, lambda t: export_daily_stats(t["warehouse"]))


def clean_staging_task(context: dict[str, Any]) -> int | dict[str, int]:
    reference = _reference(context)
    return _each(context, lambda t: clean_staging(t["warehouse"], t["staging"], reference))
