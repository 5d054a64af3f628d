"""The staging area between tasks: one folder per run holding Parquet batches and small JSON files.

Every file is written atomically (a temporary name, then a rename), so a retried or killed task never
leaves a half-written batch that a later stage would read. A batch damaged afterwards (a failing
disk) is reported with its file and run (`StagingError`).

Two marker files tell later runs and maintenance what became of a run whose load did not happen:
`LOAD_FAILED` (its load failed; the next run adopts its batches) and `ADOPTED` (a later run took
them over).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newsdedup.config import engine_path

log = logging.getLogger(__name__)

LOAD_FAILED = "load_failed.json"
ADOPTED = "adopted.json"
# Batches a run adopted from an earlier run are renamed with this prefix and the earlier run's key.
ADOPTED_PREFIX = "~adopted~"

TS = pa.timestamp("us", tz="UTC")
FETCH_LOG_SCHEMA = pa.schema([
    ("run_id", pa.string()), ("source", pa.string()), ("purpose", pa.string()), ("url", pa.string()),
    ("final_url", pa.string()), ("status", pa.int32()), ("error", pa.string()), ("detail", pa.string()),
    ("bytes", pa.int64()), ("elapsed_ms", pa.float64()), ("attempt", pa.int32()), ("fetched_at", TS),
])
ARTICLE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("url", pa.string()), ("canonical_url", pa.string()), ("source", pa.string()),
    ("title", pa.string()), ("authors", pa.list_(pa.string())), ("published_at", TS),
    ("published_text", pa.string()), ("updated_at", TS), ("language", pa.string()), ("text", pa.string()),
    ("word_count", pa.int32()), ("content_hash", pa.string()), ("clean_error", pa.string()),
    ("fetched_at", TS), ("run_id", pa.string()), ("url_id", pa.string()), ("final_url", pa.string()),
    ("content_type", pa.string()), ("http_status", pa.int32()), ("bytes", pa.int64()), ("sha1", pa.string()),
    ("raw_path", pa.string()),
    # migration 003: the entry's metadata kept beside the raw page, and why a date was ignored
    ("entry_title", pa.string()), ("entry_published_at", TS), ("entry_date_note", pa.string()),
    ("date_note", pa.string()),
    # migration 006: the validators of the response (a re-check's conditional GET), and whether the
    # page was fetched over HTTP (only those are re-checked)
    ("etag", pa.string()), ("last_modified", pa.string()), ("recheckable", pa.bool_()),
    # migration 007: the canonical URL an HTTP Link header named (the page's claim when its markup has none)
    ("link_canonical", pa.string()),
])
# A re-fetched version of a stored article whose cleaned title or text changed (staged in `revisions/`):
# the article row as built, and what it was compared with.
REVISION_SCHEMA = pa.schema([*ARTICLE_SCHEMA, ("text_changed", pa.bool_()), ("title_changed", pa.bool_()),
                             ("prev_revision", pa.int32()), ("prev_title", pa.string()),
                             ("prev_content_hash", pa.string())])
# A reclean's rebuilt version of a stored revision (staged in `revisions_rebuilt/`).
REBUILT_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("revision", pa.int32()), ("title", pa.string()), ("text", pa.string()),
    ("content_hash", pa.string()), ("word_count", pa.int32()), ("clean_error", pa.string()),
])
# One row per re-check (staged in `checks/`): what it found.
CHECK_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("source", pa.string()), ("url", pa.string()), ("checked_at", TS),
    ("outcome", pa.string()), ("status", pa.int32()), ("error", pa.string()), ("etag", pa.string()),
    ("last_modified", pa.string()), ("run_id", pa.string()),
])
CLUSTER_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("cluster_id", pa.string()), ("decision", pa.string()),
    ("matched_article_id", pa.string()), ("similarity", pa.float64()), ("estimated_similarity", pa.float64()),
    ("skipped", pa.string()), ("config_fingerprint", pa.string()), ("run_id", pa.string()),
    # migration 006: a decision made on a revision, and what it did to the article's cluster
    ("revision", pa.int32()), ("previous_cluster_id", pa.string()), ("note", pa.string()),
])
SIGNATURE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("source", pa.string()), ("published_at", TS), ("content_hash", pa.string()),
    ("signature", pa.binary()), ("config_fingerprint", pa.string()),
    # the dedup state of migration 002 (exact verification and sentence index for later runs)
    ("shingles", pa.binary()), ("shingle_counts", pa.list_(pa.int32())), ("sentence_hashes", pa.list_(pa.uint64())),
])
BANDS_SCHEMA = pa.schema([("band", pa.int32()), ("key", pa.uint64()), ("article_id", pa.string())])
SENTENCE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("position", pa.int32()), ("sentence_hash", pa.string()), ("text", pa.string()),
    ("repeated_within", pa.int32()), ("repeated_across", pa.int32()), ("boilerplate", pa.bool_()),
    ("run_id", pa.string()),
])

# migration 005: the feeds and sitemaps a site source found (newsdedup.discovery.endpoint_rows)
ENDPOINT_SCHEMA = pa.schema([
    ("source", pa.string()), ("url", pa.string()), ("kind", pa.string()), ("found_by", pa.string()),
    ("first_found_at", TS), ("last_found_at", TS), ("last_checked_at", TS), ("last_status", pa.string()),
    ("alive", pa.bool_()), ("followed", pa.bool_()), ("last_entries", pa.int32()), ("run_id", pa.string()),
])


def run_key(run_id: str) -> str:
    """A folder name for a run id (Airflow run ids hold ':' and '+'), one per run id.

    An id the folder name cannot spell as it is gets a hash of itself: `nightly:fix` and `nightly+fix`
    (both allowed by Airflow's run id pattern) shared the folder `nightly_fix`, and the second run's
    plan removed the first one's batches, kept there for adoption after its load failed."""
    key = re.sub(r"[^A-Za-z0-9_.-]+", "_", run_id)
    if key == run_id and len(key) <= 200:
        return key
    return f"{key[:183]}-{hashlib.sha1(run_id.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}"


def remove_orphan_copies(target: Path, what: str) -> list[Path]:
    """Remove the half-written files (`<target>.tmp<PID>`, the names `atomic_write` and its kin write
    under) of processes that are gone; return them. `what` names such a file in the warning.

    A process killed mid-write (SIGKILL: the OOM killer, a task's timeout, `kill -9` of a long
    `newsdedup dedup -o OUT`) never reached its `finally`: its file stayed beside the target for good, one
    more at each such kill (a snapshot publish's: a copy of the whole warehouse). A file of a process still
    running (another writer of the same target) is left to it."""
    prefix = target.name + ".tmp"
    try:
        names = [e.name for e in os.scandir(target.parent) if e.name.startswith(prefix)]
    except OSError:
        return []
    removed = []
    for name in names:
        pid = name[len(prefix):]
        if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
            continue
        path = target.parent / name
        try:
            size = path.stat().st_size
            path.unlink()
        except OSError:
            continue
        removed.append(path)
        log.warning("removed %s (%s bytes), %s whose process (PID %s) ended before it finished (killed)",
                    path, f"{size:,}", what, pid)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # another user's process (or no PID at all): leave its file alone
    return True


def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Call `write` on a temporary name beside `path`, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_table(table: pa.Table, path: Path) -> Path:
    """Write a Parquet batch atomically."""
    return atomic_write(path, lambda tmp: pq.write_table(table, engine_path(tmp), compression="zstd"))


def write_rows(rows: list[dict[str, Any]], schema: pa.Schema, path: Path) -> Path:
    """`write_table` for a list of row dicts."""
    return write_table(pa.Table.from_pylist(rows, schema=schema), path)


def write_json(data: dict[str, Any], path: Path) -> Path:
    text = json.dumps(data, indent=1, default=str)
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


class StagingError(RuntimeError):
    """A staged batch cannot be read; the message names the file and its run."""


class StagingPathError(StagingError):
    """The staging folder's name cannot hold Parquet batches (not UTF-8): no retry mends it."""


def _run_of(path: Path) -> str:
    """The run a staged file belongs to, for messages: its id from plan.json, else its folder."""
    for folder in path.parents:
        if (folder / "plan.json").is_file():
            try:
                return f"run {read_plan(folder)['run_id']} ({folder})"
            except (OSError, ValueError, KeyError, StagingError):
                return f"run folder {folder}"
    return f"folder {path.parent}"


def batch_error(path: Path, exc: BaseException) -> StagingError:
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    return StagingError(
        f"staged batch {path} of {_run_of(path)} is unreadable ({reason}). "
        "It was damaged after it was written (a full or failing disk?). Clear the run to fetch it "
        "again, or delete the file to load the run without it.")


def read_batch(path: Path) -> pa.Table:
    """One staged Parquet batch, whole; StagingError naming it and its run when it is damaged."""
    try:
        return pq.read_table(engine_path(path))
    except (pa.ArrowException, OSError) as exc:
        raise batch_error(path, exc) from exc


def read_rows(folder: Path) -> list[dict[str, Any]]:
    """Every row of every Parquet batch in `folder`, in file-name order."""
    return [row for f in sorted(folder.glob("*.parquet")) for row in read_batch(f).to_pylist()]


def count_rows(files: list[Path]) -> int:
    """Rows in the staged batches (from their footers)."""
    total = 0
    for f in files:
        try:
            total += pq.read_metadata(engine_path(f)).num_rows
        except (pa.ArrowException, OSError) as exc:
            raise batch_error(f, exc) from exc
    return total


def unreadable_batch_error(run_dir: Path) -> StagingError | None:
    """The first staged batch of the run that cannot be read whole, as an error (None: all read)."""
    for f in sorted(Path(run_dir).glob("*/*.parquet")):
        try:
            read_batch(f)
        except StagingError as exc:
            return exc
    return None


def read_plan(run_dir: str | Path) -> dict[str, Any]:
    """The run's plan (run id, warehouse, settings, sources), written by the plan stage.

    StagingError when it is gone: the run's folder was removed while the run was in flight (someone
    cleared the staging area to free space). Every later stage of the run was a FileNotFoundError
    traceback.
    """
    path = Path(run_dir) / "plan.json"
    try:
        return read_json(path)
    except FileNotFoundError:
        raise StagingError(
            f"the run's staging folder {run_dir} lost its plan ({path.name} is gone): it was removed while the run "
            "was in flight. What the run had fetched and staged is lost and nothing of it is loaded; the next run "
            "fetches those pages again. Do not clean the staging folder by hand while runs are going: maintenance "
            "removes what no run needs any more.") from None
