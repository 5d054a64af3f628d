"""The DuckDB warehouse: migrations, the one-transaction load, the reader snapshot, queries.

DuckDB allows one writing process and a read-only connection blocks the writer, so the main file is
only ever opened by the loader, for the length of its transaction. After each load the loader
publishes a consistent copy (``<name>.snapshot.duckdb``) that every reader opens instead: analysts,
the dashboard and the pipeline's own look-ups. Readers therefore see a state at most one run old and
never block a load.
"""

from __future__ import annotations

import gzip
import json
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


def store_raw_page(warehouse: Path, url_id: str, body: bytes) -> str:
    """Keep a fetched page gzip-compressed beside the warehouse; return its path relative to raw_dir."""
    from newsdedup.staging import atomic_write

    rel = Path(url_id[:2]) / f"{url_id}.html.gz"
    dest = raw_dir(warehouse) / rel
    if not dest.exists():
        data = gzip.compress(body, compresslevel=6)
        atomic_write(dest, lambda tmp: tmp.write_bytes(data))
    return str(rel)


def read_raw_page(warehouse: Path, rel: str) -> bytes:
    """The bytes of a stored raw page (OSError or EOFError when it is gone or damaged)."""
    return gzip.decompress((raw_dir(warehouse) / rel).read_bytes())


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
    return json.loads(row[0]) if row[0] else {"sources": [], "dedup": {}}


class DedupState:
    """The stored dedup state a run needs, read per new batch (`newsdedup.dedup.SeedStore`).

    Instead of seeding every article of the window (its cost grows with the warehouse), the dedup
    stage asks for the articles its new ones can match — a join of their LSH band keys with
    `lsh_bands`, their content hashes, their rarer sentences — and for sentence aggregates over
    the rest. Only articles deduplicated under `fingerprint`, published since `since` (undated
    ones always), count: the window.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, since: datetime | None, fingerprint: str,
                 max_postings: int, exclude: Sequence[str] = ()) -> None:
        self.con, self.since, self.fingerprint, self.max_postings = con, since, fingerprint, max_postings
        self.exclude = list(exclude)
        if self.exclude:  # the stored articles a reclean replaces are compared as their new versions only
            self._WINDOW = self._WINDOW[:-1] + " AND article_id NOT IN (SELECT unnest($exclude::VARCHAR[])))"

    _WINDOW = """(SELECT article_id FROM minhash_signatures
                  WHERE config_fingerprint = $fp
                    AND ($since::TIMESTAMPTZ IS NULL OR published_at IS NULL OR published_at >= $since::TIMESTAMPTZ))"""

    def _params(self) -> dict[str, Any]:
        return {"fp": self.fingerprint, "since": self.since, **({"exclude": self.exclude} if self.exclude else {})}

    @contextmanager
    def _table(self, name: str, **columns: Any) -> Iterator[None]:
        """Expose arrays to SQL as a (temporary, read-only-safe) Arrow view."""
        import pyarrow as pa

        self.con.register(name, pa.table(columns))
        try:
            yield
        finally:
            self.con.unregister(name)

    def sentence_stats(self, hashes: Any, exclude: Sequence[str]) -> Any:
        import numpy as np
        import pyarrow as pa

        from newsdedup.dedup import SentenceStats

        out = SentenceStats()
        if not len(hashes):
            return out
        hexes = pa.array([f"{int(h):016x}" for h in np.asarray(hashes, dtype=np.uint64).tolist()], pa.string())
        with self._table("q_hashes", sentence_hash=hexes), \
                self._table("q_exclude", article_id=pa.array(list(exclude), pa.string())):
            carriers = f"""
                SELECT DISTINCT s.sentence_hash, s.article_id
                FROM article_sentences s JOIN q_hashes USING (sentence_hash)
                WHERE s.article_id IN {self._WINDOW}
                  AND s.article_id NOT IN (SELECT article_id FROM q_exclude)"""
            rows = self.con.execute(f"""
                WITH c AS ({carriers})
                SELECT c.sentence_hash, count(*), count(DISTINCT k.cluster_id), min(k.cluster_id)
                FROM c JOIN article_clusters k USING (article_id) GROUP BY 1""", self._params()).fetchall()
            for h, n, nc, cid in rows:
                out.docs[int(h, 16)] = (n, nc, cid)
            rows = self.con.execute(f"""
                WITH c AS ({carriers})
                SELECT c.sentence_hash, m.source, count(*)
                FROM c JOIN minhash_signatures m USING (article_id) GROUP BY 1, 2""", self._params()).fetchall()
            for h, src, n in rows:
                out.source_docs.setdefault(int(h, 16), {})[src] = n
        return out

    def seed_docs(self, band_keys: Any, sentence_hashes: Any, content_hashes: Sequence[str]) -> list[Any]:
        import numpy as np
        import pyarrow as pa

        from newsdedup.dedup import SeedDoc

        hexes = pa.array([f"{int(h):016x}" for h in np.asarray(sentence_hashes, dtype=np.uint64).tolist()],
                         pa.string())
        with self._table("q_keys", key=pa.array(np.asarray(band_keys, dtype=np.uint64), pa.uint64())), \
                self._table("q_sent", sentence_hash=hexes), \
                self._table("q_chash", content_hash=pa.array(list(content_hashes), pa.string())):
            # Rows loaded before migration 002 have no band keys or shingles: seeded in full (the old way).
            rows = self.con.execute(f"""
                WITH win AS {self._WINDOW},
                rare AS (
                    SELECT s.sentence_hash FROM article_sentences s JOIN q_sent USING (sentence_hash)
                    WHERE s.article_id IN (SELECT article_id FROM win)
                    GROUP BY 1 HAVING count(DISTINCT s.article_id) <= $maxp),
                cand AS (
                    SELECT article_id FROM lsh_bands JOIN q_keys USING (key)
                    UNION SELECT article_id FROM minhash_signatures
                          WHERE content_hash IN (SELECT content_hash FROM q_chash)
                    UNION SELECT s.article_id FROM article_sentences s JOIN rare USING (sentence_hash)
                    UNION SELECT article_id FROM minhash_signatures WHERE sentence_hashes IS NULL)
                SELECT m.article_id, m.source, m.published_at, m.content_hash, c.cluster_id, m.signature,
                       m.sentence_hashes, m.shingles, m.shingle_counts, c.skipped
                FROM minhash_signatures m JOIN article_clusters c USING (article_id)
                WHERE m.article_id IN (SELECT article_id FROM cand) AND m.article_id IN (SELECT article_id FROM win)
                ORDER BY m.published_at NULLS LAST, m.article_id""",
                {**self._params(), "maxp": self.max_postings}).fetchall()
        legacy = [r[0] for r in rows if r[6] is None]
        old_hashes: dict[str, list[str]] = {}
        if legacy:
            old_hashes = dict(self.con.execute(
                """SELECT article_id, list(sentence_hash ORDER BY position) FROM article_sentences
                   WHERE article_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY 1""", [legacy]).fetchall())
        return [SeedDoc(id=r[0], source=r[1], published=r[2], content_hash=r[3], cluster_id=r[4], signature=r[5],
                        sentence_hashes=r[6] if r[6] is not None else old_hashes.get(r[0], []),
                        shingles=r[7], shingle_counts=r[8], skipped=r[9]) for r in rows]

    def cluster_heads(self, cluster_ids: Sequence[str]) -> list[Any]:
        from newsdedup.dedup import SeedCluster

        if not cluster_ids:
            return []
        rows = self.con.execute(f"""
            SELECT c.cluster_id,
                   arg_min(m.article_id, (m.published_at IS NULL, m.published_at, m.article_id)),
                   arg_min(m.published_at, (m.published_at IS NULL, m.published_at, m.article_id))
            FROM article_clusters c JOIN minhash_signatures m USING (article_id)
            WHERE c.cluster_id IN (SELECT unnest($ids::VARCHAR[])) AND m.article_id IN {self._WINDOW}
            GROUP BY 1""", {**self._params(), "ids": list(cluster_ids)}).fetchall()
        return [SeedCluster(cluster_id=c, published=p, canonical_id=a) for c, a, p in rows]


def _parquet_list(files: Sequence[Path]) -> str:
    return "[" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "]"


# The tables a run's load adds rows to (their growth is what `load_run` reports).
LOADED_TABLES = ["articles", "article_clusters", "article_sentences", "article_duplicates", "story_clusters",
                 "fetch_log", "raw_pages", "minhash_signatures", "sentences", "lsh_bands", "source_endpoints"]


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
                for table in ("article_sentences", "lsh_bands", "minhash_signatures", "article_clusters",
                              "articles"):
                    con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM {src})")
            if sg:  # the content hash is the dedup stage's normalised-text hash: one definition
                src = (f"(SELECT a.* REPLACE (coalesce(s.content_hash, a.content_hash) AS content_hash) "
                       f"FROM {src} a LEFT JOIN read_parquet({_parquet_list(sg)}) s USING (article_id))")
            con.execute(f"""
                INSERT INTO raw_pages BY NAME
                SELECT url_id, url, final_url, content_type, http_status, bytes, sha1, raw_path AS path,
                       fetched_at, run_id, entry_title, entry_published_at, entry_date_note
                FROM {src} WHERE raw_path IS NOT NULL
                QUALIFY row_number() OVER (PARTITION BY url_id ORDER BY fetched_at) = 1
                ON CONFLICT DO NOTHING""")
            con.execute(f"""
                INSERT INTO articles BY NAME
                SELECT article_id, url, canonical_url, source, title, authors, published_at, published_text,
                       updated_at, language, text, word_count, content_hash, clean_error, fetched_at, run_id,
                       date_note
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
            if bd := files("bands"):
                # before the signatures: an article whose signature is stored already has its bands
                # (no key on 32 rows per article; the anti-join keeps a re-load idempotent)
                con.execute(f"""
                    INSERT INTO lsh_bands BY NAME
                    SELECT band, key, article_id FROM read_parquet({_parquet_list(bd)})
                    WHERE article_id NOT IN (SELECT article_id FROM minhash_signatures)""")
            staged = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet({_parquet_list(sg)})").fetchall()}
            # the dedup state columns of migration 002, when the staged run has them
            extra = [c for c in ("shingles", "shingle_counts", "sentence_hashes") if c in staged]
            con.execute(f"""
                INSERT INTO minhash_signatures BY NAME
                SELECT article_id, source, published_at, content_hash, signature, config_fingerprint
                       {"".join(", " + c for c in extra)}
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
        if ep := files("endpoints"):
            # What site sources found: upserted from the staged values (never now()), so a re-load
            # writes the same row; first_found_at keeps the earliest time any run recorded.
            con.execute(f"""
                INSERT INTO source_endpoints BY NAME
                SELECT source, url, kind, found_by, first_found_at, last_found_at, last_checked_at, last_status,
                       alive, followed, last_entries, run_id FROM read_parquet({_parquet_list(ep)})
                ON CONFLICT (source, url) DO UPDATE SET
                    kind = excluded.kind, found_by = excluded.found_by,
                    first_found_at = least(source_endpoints.first_found_at, excluded.first_found_at),
                    last_found_at = excluded.last_found_at, last_checked_at = excluded.last_checked_at,
                    last_status = excluded.last_status, alive = excluded.alive, followed = excluded.followed,
                    last_entries = excluded.last_entries, run_id = excluded.run_id""")
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
