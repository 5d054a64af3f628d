"""Warehouse: migrations are ordered and idempotent, every table is commented, loads are idempotent,
canonicals are the earliest member, and readers use the published snapshot."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from newsdedup import staging
from newsdedup import warehouse as wh

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _article(aid: str, source: str, hours: float, text: str, chash: str) -> dict:
    return {
        "article_id": aid, "url": f"https://{source}.example/{aid}", "canonical_url": f"https://{source}.example/{aid}",
        "source": source, "title": f"title {aid}", "authors": ["A. Writer"], "published_at": T0 + timedelta(hours=hours),
        "published_text": None, "updated_at": None, "language": "en", "text": text, "word_count": len(text.split()),
        "content_hash": chash, "clean_error": None, "fetched_at": T0 + timedelta(days=1), "run_id": "r1",
        "url_id": aid, "final_url": None, "content_type": "text/html", "http_status": 200, "bytes": 10,
        "sha1": "x", "raw_path": f"{aid[:2]}/{aid}.html.gz",
    }


def _stage(run_dir: Path, late_original: bool = False) -> dict:
    arts = [_article("a1", "wire", 0, "story one", "h1"), _article("a2", "paper", 2, "story one copy", "h2"),
            _article("a3", "blog", 3, "story one", "h1"), _article("b1", "paper", 1, "story two", "h3")]
    clusters = [
        {"article_id": "a1", "cluster_id": "a1", "decision": "canonical"},
        {"article_id": "a2", "cluster_id": "a1", "decision": "near", "matched_article_id": "a1", "similarity": 0.8},
        {"article_id": "a3", "cluster_id": "a1", "decision": "exact", "matched_article_id": "a1", "similarity": 1.0},
        {"article_id": "b1", "cluster_id": "b1", "decision": "canonical"},
    ]
    if late_original:  # a copy published earlier than the first one we saw arrives later
        arts.append(_article("a0", "agency", -5, "story one original", "h0"))
        clusters.append({"article_id": "a0", "cluster_id": "a1", "decision": "near", "matched_article_id": "a1",
                         "similarity": 0.9})
    for c in clusters:
        c.setdefault("matched_article_id", None)
        c.setdefault("similarity", None)
        c.update(estimated_similarity=c["similarity"], skipped=None, config_fingerprint="fp", run_id="r1")
    sents = [{"article_id": "a1", "position": i, "sentence_hash": h, "text": t, "repeated_within": w,
              "repeated_across": 0, "boilerplate": False, "run_id": "r1"}
             for i, (h, t, w) in enumerate([("s1", "A quote.", 2), ("s2", "Body.", 1), ("s1", "A quote.", 2)])]
    staging.write_rows(arts, staging.ARTICLE_SCHEMA, run_dir / "articles" / "x.parquet")
    staging.write_rows(clusters, staging.CLUSTER_SCHEMA, run_dir / "clusters" / "dedup.parquet")
    staging.write_rows(sents, staging.SENTENCE_SCHEMA, run_dir / "sentences" / "dedup.parquet")
    staging.write_rows([{"run_id": "r1", "source": "wire", "purpose": "page", "url": "https://wire.example/a1",
                      "final_url": None, "status": 200, "error": None, "detail": None, "bytes": 10,
                      "elapsed_ms": 1.0, "attempt": 1, "fetched_at": T0}],
                    staging.FETCH_LOG_SCHEMA, run_dir / "fetch_log" / "x.parquet")
    return {"run_id": "r1", "status": "success"}


def test_migrate_is_idempotent_and_every_table_commented(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    first = wh.migrate(con)
    assert first and wh.migrate(con) == []
    tables = con.execute("SELECT table_name, comment FROM duckdb_tables()").fetchall()
    assert {"articles", "fetch_log", "article_duplicates", "article_sentences", "story_clusters",
            "ingest_runs", "sources", "raw_pages", "sentences"} <= {t for t, _ in tables}
    assert all(c for _, c in tables), [t for t, c in tables if not c]
    cols = {r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name='articles'").fetchall()}
    assert {"article_id", "url", "canonical_url", "source", "title", "authors", "published_at", "language",
            "text", "content_hash", "run_id"} <= cols


def test_load_is_idempotent_and_canonical_is_earliest(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    run_dir = tmp_path / "run"
    row = _stage(run_dir)
    with wh.writer(path) as con:
        added = wh.load_run(con, run_dir, row)
    assert added["articles"] == 4 and added["fetch_log"] == 1
    with wh.writer(path) as con:
        again = wh.load_run(con, run_dir, row)
    assert again["articles"] == 0 and again["fetch_log"] == 0 and again["article_sentences"] == 0
    _, dups = wh.query_rows(path, "SELECT article_id, duplicate_of, kind FROM article_duplicates ORDER BY 1")
    assert dups == [("a2", "a1", "near"), ("a3", "a1", "exact")]
    _, within = wh.query_rows(path, "SELECT text, times FROM repeated_within_articles")
    assert within == [("A quote.", 2)]


def test_late_earlier_article_becomes_canonical(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with wh.writer(path) as con:
        wh.load_run(con, tmp_path / "run", _stage(tmp_path / "run", late_original=True))
    _, rows = wh.query_rows(path, "SELECT canonical_article_id, size FROM story_clusters WHERE cluster_id='a1'")
    assert rows == [("a0", 4)]
    _, dups = wh.query_rows(path, "SELECT DISTINCT duplicate_of FROM article_duplicates")
    assert dups == [("a0",)]


def test_reader_uses_snapshot_and_does_not_block_the_writer(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with wh.writer(path) as con:
        wh.load_run(con, tmp_path / "run", _stage(tmp_path / "run"))
    assert wh.snapshot_path(path).exists()
    with wh.reader(path) as ro:
        # While a reader holds the snapshot, the writer still gets its lock and publishes a new one.
        with wh.writer(path, patience=2) as con:
            con.execute("DELETE FROM fetch_log")
        assert ro.execute("SELECT count(*) FROM fetch_log").fetchone()[0] == 1
    _, rows = wh.query_rows(path, "SELECT count(*) FROM fetch_log")
    assert rows == [(0,)]


def test_a_kept_snapshot_reader_opens_the_file_once_and_follows_a_publish(tmp_path: Path) -> None:
    """A run's ingest reads the snapshot several times per source; each `reader()` opened it (~30 ms). A
    `Snapshot` keeps one connection while the file stays the same, and reads the new file once a load
    has published one (DuckDB hands a path's next connection the database it still has open there)."""
    path = tmp_path / "w.duckdb"
    with wh.writer(path) as con:
        wh.load_run(con, tmp_path / "run", _stage(tmp_path / "run"))
    with wh.Snapshot(path) as snap:
        for _ in range(3):
            with snap.reading() as con:
                assert con.execute("SELECT count(*) FROM fetch_log").fetchone()[0] == 1
        assert snap.opens == 1
        with wh.writer(path, patience=2) as con:  # the kept connection does not block the writer
            con.execute("DELETE FROM fetch_log")
        with snap.reading() as con:
            assert con.execute("SELECT count(*) FROM fetch_log").fetchone()[0] == 0
        assert snap.opens == 2
    with wh.Snapshot(tmp_path / "none.duckdb") as snap, snap.reading() as con:
        assert con is None  # no warehouse yet: nothing stored


def test_a_kept_snapshot_reader_says_what_to_do_when_the_snapshot_goes_or_breaks(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with wh.writer(path):
        pass
    snap_file = wh.snapshot_path(path)
    with wh.Snapshot(path) as snap:
        with snap.reading() as con:
            con.execute("SELECT count(*) FROM articles").fetchall()
        saved = snap_file.read_bytes()
        snap_file.unlink()
        with pytest.raises(wh.SnapshotUnavailable, match="does not exist.*newsdedup snapshot"), snap.reading():
            pass
        snap_file.write_bytes(b"not a database" * 1000)
        with pytest.raises(wh.SnapshotUnavailable, match="cannot be opened"), snap.reading():
            pass
        assert "found unreadable by a reader" in (wh.snapshot_problem(path) or "")  # for the next plan
        snap_file.write_bytes(saved)
        with snap.reading() as con:  # a snapshot put back is read again
            assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 0


def test_a_kept_snapshot_reader_serves_only_the_thread_that_made_it(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with wh.writer(path):
        pass
    errors: list[BaseException] = []

    def use(snap: wh.Snapshot) -> None:
        try:
            with snap.reading():
                pass
        except RuntimeError as exc:
            errors.append(exc)

    with wh.Snapshot(path) as snap:
        thread = threading.Thread(target=use, args=(snap,))
        thread.start()
        thread.join()
    assert len(errors) == 1 and "thread" in str(errors[0])


def test_query_on_missing_warehouse_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(wh.WarehouseMissing, match="make demo"):
        wh.query_rows(tmp_path / "none.duckdb", "SELECT 1")


def test_a_later_run_recomputes_only_the_clusters_it_touches(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with wh.writer(path) as con:
        wh.load_run(con, tmp_path / "r1", _stage(tmp_path / "r1"))
    run2 = tmp_path / "r2"
    staging.write_rows([_article("a0", "agency", -5, "story one original", "h0")], staging.ARTICLE_SCHEMA,
                    run2 / "articles" / "x.parquet")
    staging.write_rows([{"article_id": "a0", "cluster_id": "a1", "decision": "near", "matched_article_id": "a1",
                      "similarity": 0.9, "estimated_similarity": 0.9, "skipped": None, "config_fingerprint": "fp",
                      "run_id": "r2"}], staging.CLUSTER_SCHEMA, run2 / "clusters" / "dedup.parquet")
    with wh.writer(path) as con:
        wh.load_run(con, run2, {"run_id": "r2", "status": "success"})
    rows = wh.query_rows(path, "SELECT cluster_id, canonical_article_id, size FROM story_clusters ORDER BY 1")[1]
    assert rows == [("a1", "a0", 4), ("b1", "b1", 1)]
    dups = wh.query_rows(path, "SELECT article_id, duplicate_of FROM article_duplicates ORDER BY 1")[1]
    assert dups == [("a1", "a0"), ("a2", "a0"), ("a3", "a0")]


def test_lock_patience_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSDEDUP_LOCK_PATIENCE", raising=False)
    assert wh.lock_patience() == wh.LOCK_RETRY_SECONDS and wh.lock_patience(5) == 5
    monkeypatch.setenv("NEWSDEDUP_LOCK_PATIENCE", "2.5")
    assert wh.lock_patience() == 2.5
    monkeypatch.setenv("NEWSDEDUP_LOCK_PATIENCE", "86400")
    assert wh.lock_patience() == 86400
    # inf and 1e400 (float() reads it as inf) waited for ever on a held lock.
    for bad in ("soon", "-1", "nan", "inf", "1e400", "86401"):
        monkeypatch.setenv("NEWSDEDUP_LOCK_PATIENCE", bad)
        with pytest.raises(wh.WarehouseError, match="NEWSDEDUP_LOCK_PATIENCE"):
            wh.lock_patience()


def test_a_reader_memory_limit_too_small_to_open_anything_is_named_not_called_damage(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # NEWSDEDUP_READER_MEMORY_LIMIT=1KiB (or 0GB): the plan's check of the main file failed with
    # "Out of Memory", and a healthy warehouse was reported damaged ("Restore it from a backup").
    path = tmp_path / "w.duckdb"
    with wh.writer(path) as con:
        wh.load_run(con, tmp_path / "run", _stage(tmp_path / "run"))
    for bad in ("0GB", "1B", "1KiB"):
        monkeypatch.setenv(wh.READER_MEMORY_ENV, bad)
        with pytest.raises(wh.WarehouseError, match=f"too small.*{wh.READER_MEMORY_ENV}") as err:
            wh.ensure_snapshot(path)
        assert not isinstance(err.value, wh.WarehouseCorrupt) and "damaged" not in str(err.value)
    monkeypatch.setenv(wh.READER_MEMORY_ENV, "64MB")
    assert wh.ensure_snapshot(path) == "ok"
