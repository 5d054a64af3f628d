"""The staging area between tasks: one folder per run holding Parquet batches and small JSON files.

Every file is written atomically (a temporary name, then a rename), so a retried or killed task never
leaves a half-written batch that a later stage would read.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

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
])
CLUSTER_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("cluster_id", pa.string()), ("decision", pa.string()),
    ("matched_article_id", pa.string()), ("similarity", pa.float64()), ("estimated_similarity", pa.float64()),
    ("skipped", pa.string()), ("config_fingerprint", pa.string()), ("run_id", pa.string()),
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
    """A folder name for a run id (Airflow run ids hold ':' and '+')."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", run_id)[:200]


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
    return atomic_write(path, lambda tmp: pq.write_table(table, tmp, compression="zstd"))


def write_rows(rows: list[dict[str, Any]], schema: pa.Schema, path: Path) -> Path:
    """`write_table` for a list of row dicts."""
    return write_table(pa.Table.from_pylist(rows, schema=schema), path)


def write_json(data: dict[str, Any], path: Path) -> Path:
    text = json.dumps(data, indent=1, default=str)
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def read_rows(folder: Path) -> list[dict[str, Any]]:
    """Every row of every Parquet batch in `folder`, in file-name order."""
    return [row for f in sorted(folder.glob("*.parquet")) for row in pq.read_table(f).to_pylist()]


def read_plan(run_dir: str | Path) -> dict[str, Any]:
    """The run's plan (run id, warehouse, settings, sources), written by the plan stage."""
    return read_json(Path(run_dir) / "plan.json")
