"""Migration 006 on a warehouse written before it: every stored article gets its revision 1, raw pages
are keyed by (page, revision), page-fetched articles become re-checkable; running it again is harmless."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from newsdedup import warehouse as wh


def _old_warehouse(path: Path) -> None:
    """A warehouse as migrations 001-003 left it, with one fetched page and one `dir` file."""
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_migrations (version VARCHAR PRIMARY KEY, applied_at TIMESTAMPTZ)")
    for f in sorted((wh.SQL_DIR / "migrations").glob("00[123]_*.sql")):
        con.execute(f.read_text(encoding="utf-8"))
        con.execute("INSERT INTO schema_migrations VALUES (?, now())", [f.stem])
    con.execute("""INSERT INTO articles (article_id, url, canonical_url, source, title, text, word_count, content_hash,
                                         fetched_at, run_id) VALUES
        ('a1', 'https://news.example/a', 'https://news.example/a', 'feed', 'A', 'Text a.', 2, 'h1',
         TIMESTAMPTZ '2026-11-24 08:00:00+00', 'run1'),
        ('d1', 'file:///data/d.html', 'file:///data/d.html', 'folder', 'D', 'Text d.', 2, 'h2',
         TIMESTAMPTZ '2026-11-24 08:00:00+00', 'run1')""")
    con.execute("""INSERT INTO raw_pages (url_id, url, path, fetched_at, entry_title) VALUES
        ('u1', 'https://news.example/a', 'u1/u1.html.gz', TIMESTAMPTZ '2026-11-24 08:00:00+00', 'Entry A'),
        ('u2', 'file:///data/d.html', 'u2/u2.html.gz', TIMESTAMPTZ '2026-11-24 08:00:00+00', NULL)""")
    con.execute("""INSERT INTO fetch_log (run_id, source, purpose, url, status, attempt, fetched_at) VALUES
        ('run1', 'feed', 'page', 'https://news.example/a', 200, 1, TIMESTAMPTZ '2026-11-24 08:00:00+00'),
        ('run1', 'folder', 'file', 'file:///data/d.html', NULL, 1, TIMESTAMPTZ '2026-11-24 08:00:00+00')""")
    con.close()


def test_migration_006_backfills_revision_1_and_the_recheck_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.duckdb"
    _old_warehouse(path)
    # the release whose last migration was 006 (the run again below is what its migrate does after a crash)
    shutil.copytree(wh.SQL_DIR, tmp_path / "sql", ignore=lambda d, names: [n for n in names if n[:3].isdigit() and n[:3] > "006"])
    monkeypatch.setenv(wh.SQL_DIR_ENV, str(tmp_path / "sql"))
    con = duckdb.connect(str(path))
    assert wh.migrate(con) == ["005_source_endpoints", "006_revisions"]
    assert con.execute("SELECT article_id, revision, title, content_hash, text, words_added, title_changed "
                       "FROM article_revisions ORDER BY 1").fetchall() == [
        ("a1", 1, "A", "h1", "Text a.", None, None), ("d1", 1, "D", "h2", "Text d.", None, None)]
    assert con.execute("SELECT url_id, revision, article_id, entry_title FROM raw_pages ORDER BY 1").fetchall() == [
        ("u1", 1, "a1", "Entry A"), ("u2", 1, "d1", None)]
    keys = con.execute("SELECT constraint_column_names FROM duckdb_constraints() WHERE table_name = 'raw_pages' "
                       "AND constraint_type = 'PRIMARY KEY'").fetchall()
    assert keys == [(["url_id", "revision"],)]
    # only the page fetched over HTTP can be fetched again
    assert con.execute("SELECT article_id, url, url_id, first_seen_at IS NOT NULL, checks, last_checked_at "
                       "FROM article_checks").fetchall() == [("a1", "https://news.example/a", "u1", True, 0, None)]
    assert con.execute("SELECT DISTINCT revision, revised_at, gone_at FROM articles").fetchall() == [(1, None, None)]
    snapshot = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                for t in ("raw_pages", "article_revisions", "article_checks", "articles")}
    # run again after a crash between its COMMIT and the schema_migrations row: nothing changes
    con.execute((wh.SQL_DIR / "migrations" / "006_revisions.sql").read_text(encoding="utf-8"))
    assert {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in snapshot} == snapshot
    assert con.execute("SELECT count(*) FROM headline_changes").fetchone() == (0,)  # the views bind
    monkeypatch.delenv(wh.SQL_DIR_ENV)
    assert wh.migrate(con) == ["007_link_canonical"]  # and the later ones apply on top
    con.close()


def test_a_new_warehouse_has_every_table_and_view_with_comments(tmp_path: Path) -> None:
    with wh.writer(tmp_path / "w.duckdb") as con:
        tables = dict(con.execute("SELECT table_name, comment FROM duckdb_tables()").fetchall())
        views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert all(tables[t] for t in ("article_revisions", "article_checks", "raw_pages"))
    assert {"headline_changes", "revision_history", "daily_revision_rate"} <= views
