"""The DuckDB warehouse: migrations, the one-transaction load, the reader snapshot, queries.

DuckDB allows one writing process and a read-only connection blocks the writer, so the main file is
only ever opened by the loader, for the length of its transaction. After each load the loader
publishes a consistent copy (``<name>.snapshot.duckdb``) that every reader opens instead: analysts,
the dashboard and the pipeline's own look-ups. Readers therefore see a state at most one run old and
never block a load.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from newsdedup.config import PROJECT_ROOT, warehouse_path

log = logging.getLogger(__name__)

SQL_DIR = Path(os.environ.get("NEWSDEDUP_SQL_DIR", PROJECT_ROOT / "sql"))
LOCK_RETRY_SECONDS = 60.0


class WarehouseMissing(FileNotFoundError):
    """The warehouse file does not exist yet (no run has loaded anything)."""


def snapshot_path(path: Path) -> Path:
    return path.with_name(path.stem + ".snapshot" + path.suffix)


def raw_dir(path: Path) -> Path:
    """Folder beside the warehouse holding gzip-compressed raw pages."""
    return path.with_name(path.stem + ".raw")


def migration_files() -> list[Path]:
    files = sorted((SQL_DIR / "migrations").glob("*.sql"))
    if not files:
        raise FileNotFoundError(f"no migrations found under {SQL_DIR / 'migrations'}")
    return files


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply pending migrations in order, then (re)create the analysis views. Returns applied names."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version VARCHAR PRIMARY KEY, applied_at TIMESTAMPTZ)"
    )
    con.execute("COMMENT ON TABLE schema_migrations IS 'One row per applied migration file from sql/migrations.'")
    done = {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for f in migration_files():
        if f.stem in done:
            continue
        con.execute(f.read_text(encoding="utf-8"))
        con.execute("INSERT INTO schema_migrations VALUES (?, now())", [f.stem])
        applied.append(f.stem)
    for f in sorted((SQL_DIR / "views").glob("*.sql")):
        con.execute(f.read_text(encoding="utf-8"))
    if applied:
        log.info("warehouse: applied migrations %s", ", ".join(applied))
    return applied


def _connect_with_retry(path: Path, read_only: bool, patience: float) -> duckdb.DuckDBPyConnection:
    # Another writer (a concurrent load, a maintenance task) holds the lock for one short
    # transaction: wait for it instead of failing the task.
    deadline = time.monotonic() + patience
    delay = 0.2
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 5.0)


@contextmanager
def writer(path: str | os.PathLike[str] | None = None, patience: float = LOCK_RETRY_SECONDS
           ) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse read-write (creating and migrating it); publish a snapshot on success."""
    p = warehouse_path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    con = _connect_with_retry(p, read_only=False, patience=patience)
    try:
        migrate(con)
        yield con
        con.execute("CHECKPOINT")
    finally:
        con.close()
    publish_snapshot(p)


def publish_snapshot(path: Path) -> Path:
    """Copy the (checkpointed, closed) warehouse to the snapshot path atomically."""
    snap = snapshot_path(path)
    tmp = snap.with_name(snap.name + f".tmp{os.getpid()}")
    shutil.copyfile(path, tmp)
    # os.replace swaps the name: a reader that has the old snapshot open keeps reading it.
    os.replace(tmp, snap)
    return snap


@contextmanager
def reader(path: str | os.PathLike[str] | None = None) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """Read-only connection to the latest snapshot; None when nothing was loaded yet."""
    p = warehouse_path(path)
    snap = snapshot_path(p)
    if not snap.exists() and p.exists():
        # A warehouse without a snapshot (deleted by hand, or an older layout): publish one,
        # rather than read the writer's file and risk blocking a load.
        with writer(p):
            pass
    if not snap.exists():
        yield None
        return
    con = duckdb.connect(str(snap), read_only=True)
    try:
        yield con
    finally:
        con.close()


def query_rows(path: str | os.PathLike[str] | None, sql: str, params: Sequence[Any] | None = None
               ) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one query on the snapshot; raise WarehouseMissing when there is no warehouse yet."""
    with reader(path) as con:
        if con is None:
            raise WarehouseMissing(
                f"no warehouse at {warehouse_path(path)} yet: run `make demo` or `newsdedup run` first"
            )
        cur = con.execute(sql, params or [])
        columns = [d[0] for d in cur.description] if cur.description else []
        return columns, cur.fetchall()


def interactive_shell(path: str | os.PathLike[str] | None) -> int:
    """A small read-only SQL prompt on the snapshot (the duckdb CLI is not a Python dependency)."""
    from newsdedup.cli import _print_table

    with reader(path) as con:
        if con is None:
            raise WarehouseMissing(f"no warehouse at {warehouse_path(path)} yet: run `make demo` first")
        print("newsdedup sql (read-only snapshot). Views: story_cluster_view, cluster_members, "
              "syndication_by_source, repeated_sentences, boilerplate_by_domain, daily_duplicate_rate, "
              "recent_runs. End with Ctrl-D.")
        import sys

        buf = ""
        while True:
            try:
                line = input("sql> " if not buf else "...> ")
            except EOFError:
                print()
                return 0
            buf += line + "\n"
            if not buf.strip().endswith(";"):
                continue
            try:
                cur = con.execute(buf)
                cols = [d[0] for d in cur.description] if cur.description else []
                _print_table(cols, cur.fetchall(), sys.stdout)
            except duckdb.Error as exc:
                print(f"error: {exc}")
            buf = ""


def known_urls(con: duckdb.DuckDBPyConnection | None, urls: Sequence[str]) -> set[str]:
    """The subset of `urls` already stored as an article's url or canonical URL."""
    if con is None or not urls:
        return set()
    rows = con.execute(
        "SELECT u FROM unnest(?::VARCHAR[]) t(u) WHERE u IN (SELECT url FROM articles) "
        "OR u IN (SELECT canonical_url FROM articles)",
        [list(urls)],
    ).fetchall()
    return {r[0] for r in rows}


def known_article_ids(con: duckdb.DuckDBPyConnection | None, ids: Sequence[str]) -> set[str]:
    if con is None or not ids:
        return set()
    rows = con.execute(
        "SELECT article_id FROM articles WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [list(ids)]
    ).fetchall()
    return {r[0] for r in rows}


def source_states(con: duckdb.DuckDBPyConnection | None) -> dict[str, dict[str, Any]]:
    if con is None:
        return {}
    import json

    rows = con.execute("SELECT name, state FROM sources").fetchall()
    return {name: json.loads(state) if state else {} for name, state in rows}


def recorded_run(con: duckdb.DuckDBPyConnection | None, run_id: str) -> dict[str, Any] | None:
    """The metrics a run recorded when it was loaded ({"sources": [...], "dedup": {...}}), else None.

    A run row is written in the same transaction as the run's data, so its presence means the
    whole run is in the warehouse: a cleared and re-run task re-uses it instead of loading again.
    """
    if con is None:
        return None
    try:
        row = con.execute("SELECT metrics FROM ingest_runs WHERE run_id = ?", [run_id]).fetchone()
    except duckdb.CatalogException:  # a snapshot from before the first migration: nothing recorded
        return None
    if row is None:
        return None
    import json

    return json.loads(row[0]) if row[0] else {"sources": [], "dedup": {}}


def seed_rows(con: duckdb.DuckDBPyConnection | None, since: datetime | None, fingerprint: str
              ) -> list[tuple[Any, ...]]:
    """Stored dedup state inside the window: (id, source, published, content_hash, cluster_id,
    signature, sentence_hashes) for articles deduplicated under the same config fingerprint."""
    if con is None:
        return []
    return con.execute(
        """
        SELECT m.article_id, m.source, m.published_at, m.content_hash, c.cluster_id, m.signature,
               coalesce((SELECT list(s.sentence_hash ORDER BY s.position) FROM article_sentences s
                         WHERE s.article_id = m.article_id), []::VARCHAR[])
        FROM minhash_signatures m JOIN article_clusters c USING (article_id)
        WHERE m.config_fingerprint = ?
          AND (?::TIMESTAMPTZ IS NULL OR m.published_at IS NULL OR m.published_at >= ?::TIMESTAMPTZ)
        ORDER BY m.published_at NULLS LAST, m.article_id
        """,
        [fingerprint, since, since],
    ).fetchall()


def _parquet_list(files: Sequence[Path]) -> str:
    return "[" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "]"


# The tables a run's load adds rows to (their growth is what `load_run` reports).
LOADED_TABLES = ["articles", "article_clusters", "article_sentences", "article_duplicates", "story_clusters",
                 "fetch_log", "raw_pages", "minhash_signatures", "sentences"]


def load_run(con: duckdb.DuckDBPyConnection, run_dir: Path, run_row: dict[str, Any], replace: bool = False
             ) -> dict[str, int]:
    """Load one staged run in one transaction. Idempotent: keys are canonical-URL and content based.

    With `replace` (a reclean) the staged articles' stored records and decisions are replaced.
    Returns the number of rows each table gained.
    """
    tables = LOADED_TABLES
    before = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

    def files(sub: str) -> list[Path]:
        return sorted((run_dir / sub).glob("*.parquet"))

    con.execute("BEGIN TRANSACTION")
    try:
        run_id = run_row["run_id"]
        con.execute("DELETE FROM fetch_log WHERE run_id = ?", [run_id])
        if fl := files("fetch_log"):
            con.execute(f"""
                INSERT INTO fetch_log BY NAME
                SELECT run_id, source, purpose, url, final_url, status, error, detail, bytes, elapsed_ms,
                       attempt, fetched_at FROM read_parquet({_parquet_list(fl)})""")
        sg = files("signatures")
        if art := files("articles"):
            src = f"read_parquet({_parquet_list(art)})"
            if replace:
                for table in ("article_sentences", "minhash_signatures", "article_clusters", "articles"):
                    con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM {src})")
            if sg:  # the content hash is the dedup stage's normalised-text hash: one definition
                src = (f"(SELECT a.* REPLACE (coalesce(s.content_hash, a.content_hash) AS content_hash) "
                       f"FROM {src} a LEFT JOIN read_parquet({_parquet_list(sg)}) s USING (article_id))")
            con.execute(f"""
                INSERT INTO raw_pages BY NAME
                SELECT url_id, url, final_url, content_type, http_status, bytes, sha1, raw_path AS path,
                       fetched_at, run_id
                FROM {src} WHERE raw_path IS NOT NULL
                QUALIFY row_number() OVER (PARTITION BY url_id ORDER BY fetched_at) = 1
                ON CONFLICT DO NOTHING""")
            con.execute(f"""
                INSERT INTO articles BY NAME
                SELECT article_id, url, canonical_url, source, title, authors, published_at, published_text,
                       updated_at, language, text, word_count, content_hash, clean_error, fetched_at, run_id
                FROM {src}
                QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY fetched_at, url) = 1
                ON CONFLICT DO NOTHING""")
        if cl := files("clusters"):
            con.execute(f"""
                INSERT INTO article_clusters BY NAME
                SELECT article_id, cluster_id, decision, matched_article_id, similarity, estimated_similarity,
                       skipped, config_fingerprint, run_id FROM read_parquet({_parquet_list(cl)})
                ON CONFLICT DO NOTHING""")
        if sg:
            con.execute(f"""
                INSERT INTO minhash_signatures BY NAME
                SELECT article_id, source, published_at, content_hash, signature, config_fingerprint
                FROM read_parquet({_parquet_list(sg)}) ON CONFLICT DO NOTHING""")
        if se := files("sentences"):
            src = f"read_parquet({_parquet_list(se)})"
            con.execute(f"""
                INSERT INTO sentences BY NAME
                SELECT sentence_hash, any_value(text ORDER BY article_id, position) AS text,
                       min(article_id) AS first_article_id, any_value(run_id) AS first_seen_run
                FROM {src} GROUP BY sentence_hash ON CONFLICT DO NOTHING""")
            con.execute(f"""
                INSERT INTO article_sentences BY NAME
                SELECT article_id, position, sentence_hash, text, repeated_within, repeated_across, boilerplate
                FROM {src} ON CONFLICT DO NOTHING""")
        if sj := sorted((run_dir / "sources").glob("*.json")):
            import json

            for f in sj:
                s = json.loads(f.read_text(encoding="utf-8"))
                con.execute(
                    """INSERT INTO sources (name, url, kind, state, first_seen_at, last_run_id, last_status,
                                            last_error, updated_at)
                       VALUES (?, ?, ?, ?, now(), ?, ?, ?, now())
                       ON CONFLICT (name) DO UPDATE SET url = excluded.url, kind = excluded.kind,
                           state = excluded.state, last_run_id = excluded.last_run_id,
                           last_status = excluded.last_status, last_error = excluded.last_error,
                           updated_at = excluded.updated_at""",
                    [s["name"], s["url"], s.get("kind"), json.dumps(s.get("state") or {}), run_id,
                     s.get("status"), s.get("error")],
                )
        # Only the clusters this run touched change; a reclean may move any, so it redoes all.
        if replace:
            _recompute_clusters(con, None)
        elif cl:
            _recompute_clusters(con, f"SELECT cluster_id FROM read_parquet({_parquet_list(cl)})")
        cols = list(run_row)
        con.execute(
            f"INSERT OR REPLACE INTO ingest_runs ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [run_row[c] for c in cols],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] - before[t] for t in tables}


def _recompute_clusters(con: duckdb.DuckDBPyConnection, touched: str | None) -> None:
    """Derive story_clusters and article_duplicates from cluster membership, for the clusters that
    `touched` (a query yielding cluster ids) names, or for all when it is None.

    The canonical is the earliest-published member (undated last, ties by article id), so a late
    arrival that was published earlier becomes canonical and the others point to it. Limiting the
    work to the touched clusters keeps a load's cost proportional to the run, not the warehouse.
    """
    if touched is None:
        where = "true"
    else:
        con.execute(f"CREATE OR REPLACE TEMP TABLE touched_clusters AS SELECT DISTINCT cluster_id FROM ({touched})")
        where = "c.cluster_id IN (SELECT cluster_id FROM touched_clusters)"
    con.execute(f"""DELETE FROM article_duplicates WHERE article_id IN
                    (SELECT article_id FROM article_clusters c WHERE {where})""")
    con.execute(f"DELETE FROM story_clusters c WHERE {where}")
    con.execute(f"""
        INSERT INTO story_clusters
        SELECT c.cluster_id,
               arg_min(a.article_id, (a.published_at IS NULL, a.published_at, a.article_id)),
               count(*), count(DISTINCT a.source), min(a.published_at), max(a.published_at)
        FROM article_clusters c JOIN articles a USING (article_id)
        WHERE {where}
        GROUP BY c.cluster_id""")
    con.execute(f"""
        INSERT INTO article_duplicates
        SELECT c.article_id, s.canonical_article_id,
               CASE WHEN a.content_hash = ca.content_hash THEN 'exact' ELSE 'near' END,
               CASE WHEN a.content_hash = ca.content_hash THEN 1.0 ELSE c.similarity END,
               c.matched_article_id, c.config_fingerprint
        FROM article_clusters c
        JOIN story_clusters s USING (cluster_id)
        JOIN articles a ON a.article_id = c.article_id
        JOIN articles ca ON ca.article_id = s.canonical_article_id
        WHERE c.article_id <> s.canonical_article_id AND {where}""")
    if touched is not None:
        con.execute("DROP TABLE touched_clusters")
