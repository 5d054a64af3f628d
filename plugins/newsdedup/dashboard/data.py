"""What the dashboard shows, read from the published snapshot with bound parameters only.

Nothing here formats a value into SQL: filters and limits travel as parameters, so a source name
or cluster id from the query string can never change a query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from newsdedup import warehouse as wh
from newsdedup.config import warehouse_path

CLUSTERS_SHOWN = 15
DAYS_SHOWN = 30
RUNS_SHOWN = 10
SENTENCES_SHOWN = 15
BOILERPLATE_PER_SOURCE = 5
# A deployment of thousands of sources drew a bar and five boilerplate rows for each: the page shows the
# sources with the most duplicates (a source picked in the filter is shown whole) and says how many.
SOURCES_SHOWN = 30
# The source filter is a drop-down of every source up to this many; past it, a text field (4,000 sources
# made 168 kB of <option>s on every load of the page, a list nobody can pick from).
SOURCE_OPTIONS_SHOWN = 500
BOILERPLATE_SHOWN = 60
REVISIONS_SHOWN = 10
# A story carried everywhere (or a soft-404 page thousands of URLs serve) is one cluster of thousands:
# it listed every member, a page of megabytes per such cluster. Its first members are shown (the
# canonical first) and the page says how many more there are.
MEMBERS_SHOWN = 50
# A page can hold a paragraph of hundreds of thousands of characters (16 MB pages): each revision's diff
# held all of it (a 400,000-character paragraph appended: 4,400 lines of 90 columns, ten revisions on
# every load of the page). The page shows the start of each diff and says where the rest is.
DIFF_LINES_SHOWN = 120
# An outage (a proxy, DNS: when the page is looked at) fails every source: each of the last runs' failure
# cell and the failing-sources table listed them all, 2.4 MB of page for 5,000 sources. The page shows
# the most frequent failures of each run and the first failing sources, and says how many there are.
FAILURES_PER_RUN_SHOWN = 5
FAILING_SOURCES_SHOWN = 50


@dataclass
class Member:
    source: str
    title: str | None
    url: str
    published_at: datetime | None
    fetched_at: datetime | None
    role: str
    similarity: float | None


@dataclass
class Cluster:
    cluster_id: str
    size: int
    sources: int
    canonical_title: str | None
    canonical_source: str
    first_published_at: datetime | None
    members: list[Member] = field(default_factory=list)


@dataclass
class Revision:
    """A recent revision of an article, with the unified diff against the version before it."""

    article_id: str
    source: str
    revision: int
    fetched_at: datetime
    minutes_after_first_seen: float | None
    old_title: str | None
    new_title: str | None
    title_changed: bool
    words_added: int | None
    words_removed: int | None
    diff: list[str] = field(default_factory=list)


@dataclass
class Dashboard:
    """Everything one page shows; `state` is 'missing', 'no_snapshot', 'unavailable' (`problem` says
    why), 'empty' or 'ok'."""

    warehouse: Path
    state: str
    problem: str | None = None
    source_filter: str | None = None
    sources: list[str] = field(default_factory=list)  # at most SOURCE_OPTIONS_SHOWN + 1 (more: a text field)
    sources_total: int = 0  # sources with cleaned articles; `per_source` shows at most SOURCES_SHOWN of them
    daily: list[tuple[Any, ...]] = field(default_factory=list)       # day, articles, duplicates, rate
    per_source: list[tuple[Any, ...]] = field(default_factory=list)  # source, articles, dups, exact, near, rate
    clusters: list[Cluster] = field(default_factory=list)
    sentences: list[tuple[Any, ...]] = field(default_factory=list)   # text, articles, stories, sources, within, scope
    boilerplate: list[tuple[Any, ...]] = field(default_factory=list)  # source, text, articles, of, share
    runs: list[dict[str, Any]] = field(default_factory=list)
    failures: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)  # run_id -> (source, reason, n)
    # run_id -> (source, reason) pairs and failed fetches in all, of which `failures` shows the most frequent
    failures_total: dict[str, tuple[int, int]] = field(default_factory=dict)
    source_status: list[tuple[Any, ...]] = field(default_factory=list)  # name, status, error, last_run (failing)
    failing_total: int = 0  # sources failing in their last run; `source_status` holds at most FAILING_SOURCES_SHOWN
    revisions: list[Revision] = field(default_factory=list)


def dashboard_warehouse() -> Path:
    """The warehouse the ingest DAG writes: the `newsdedup_warehouse` Variable, else the default."""
    try:
        from airflow.models.variable import Variable

        value = Variable.get("newsdedup_warehouse", default_var=None)
    except Exception:  # no metadata DB in this process (a unit test): use the environment default
        value = None
    if isinstance(value, str):  # as the run reads it (`tasks._setting`): what a paste left around it dropped
        value = value.strip()
    return warehouse_path(value or None)  # else $NEWSDEDUP_WAREHOUSE (stripped), else the default


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    return con.execute(sql, params).fetchall()


def load(path: Path, source: str | None = None) -> Dashboard:
    """Read the dashboard's data from the snapshot of the warehouse at `path`."""
    try:
        wh.main_path(path)  # the Variable naming the readers' snapshot, or a path DuckDB cannot open
        if not wh.snapshot_path(path).exists():
            # Never fall back to the writer's file (or publish a snapshot from it): the dashboard must
            # not take the lock the loader needs.
            return Dashboard(warehouse=path, state="no_snapshot" if path.exists() else "missing",
                             source_filter=source)
        return _load(path, source)
    except wh.WarehouseError as exc:
        # A damaged or locked snapshot, or a reader setting it cannot use: it was shown as "no snapshot
        # published yet" (false, and the reason was lost) or a bare 500. The message says what to do.
        return Dashboard(warehouse=path, state="unavailable", source_filter=source, problem=str(exc))
    except duckdb.Error as exc:  # tables this release does not read: another release's, or not ours
        first = (str(exc).strip().splitlines() or [exc.__class__.__name__])[0]
        return Dashboard(warehouse=path, state="unavailable", source_filter=source, problem=(
            f"the snapshot {wh.snapshot_path(path)} cannot be read by this release of the dashboard ({first}). "
            "Is it a newsdedup warehouse of this release? Run `newsdedup snapshot --warehouse "
            f"{path}` to republish it from the warehouse, or point the newsdedup_warehouse Variable at the "
            "warehouse file."))


def _load(path: Path, source: str | None) -> Dashboard:
    with wh.reader(path) as con:
        if con is None:
            return Dashboard(warehouse=path, state="missing", source_filter=source)
        try:
            articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
            runs = con.execute("SELECT count(*) FROM ingest_runs").fetchone()[0]
        except duckdb.CatalogException:  # created but never migrated
            return Dashboard(warehouse=path, state="empty", source_filter=source)
        d = Dashboard(warehouse=path, state="ok" if articles else "empty", source_filter=source)
        if runs:
            _load_runs(con, d)
        if not articles:
            return d
        d.sources = [r[0] for r in _rows(con, "SELECT DISTINCT source FROM articles ORDER BY source LIMIT ?",
                                         [SOURCE_OPTIONS_SHOWN + 1])]
        d.daily = list(reversed(_rows(con, """
            SELECT day, sum(articles)::BIGINT, sum(duplicates)::BIGINT,
                   round(sum(duplicates) / sum(articles), 3)
            FROM daily_duplicate_rate WHERE ?::VARCHAR IS NULL OR source = ?::VARCHAR
            GROUP BY day ORDER BY day DESC LIMIT ?""", [source, source, DAYS_SHOWN])))
        # Counted where per_source comes from: a source whose every page failed to clean (a site that
        # renders in script) has no figures, and the page said "the 4 of 5 sources" showing them all.
        d.sources_total = con.execute("SELECT count(DISTINCT source) FROM daily_duplicate_rate").fetchone()[0]
        d.per_source = _rows(con, """
            SELECT * FROM (
                SELECT source, sum(articles)::BIGINT AS articles, sum(duplicates)::BIGINT AS duplicates,
                       sum(exact_duplicates)::BIGINT, sum(near_duplicates)::BIGINT,
                       round(sum(duplicates) / sum(articles), 3)
                FROM daily_duplicate_rate WHERE ?::VARCHAR IS NULL OR source = ?::VARCHAR GROUP BY source
                ORDER BY duplicates DESC, articles DESC, source LIMIT ?)
            ORDER BY source""", [source, source, SOURCES_SHOWN])
        _load_clusters(con, d, source)
        _load_revisions(con, d, source)
        d.sentences = _rows(con, """
            SELECT text, articles, stories, sources, max_within, scope FROM repeated_sentences
            WHERE scope <> 'boilerplate' LIMIT ?""", [SENTENCES_SHOWN])
        d.boilerplate = _rows(con, """
            SELECT source, text, articles, source_articles, share FROM boilerplate_by_domain
            WHERE ?::VARCHAR IS NULL OR source = ?::VARCHAR
            QUALIFY row_number() OVER (PARTITION BY source ORDER BY articles DESC, text) <= ?
            ORDER BY articles DESC, source, text LIMIT ?""", [source, source, BOILERPLATE_PER_SOURCE, BOILERPLATE_SHOWN])
        d.boilerplate.sort(key=lambda r: (r[0], -r[2], r[1]))  # grouped by source again
    return d


def _load_clusters(con: duckdb.DuckDBPyConnection, d: Dashboard, source: str | None) -> None:
    heads = _rows(con, """
        SELECT s.cluster_id, s.size, s.sources, ca.title, ca.source, s.first_published_at
        FROM story_clusters s JOIN articles ca ON ca.article_id = s.canonical_article_id
        WHERE s.size > 1 AND (?::VARCHAR IS NULL OR s.cluster_id IN
              (SELECT c.cluster_id FROM article_clusters c JOIN articles a USING (article_id)
               WHERE a.source = ?::VARCHAR))
        ORDER BY s.first_published_at DESC NULLS LAST, s.cluster_id LIMIT ?""", [source, source, CLUSTERS_SHOWN])
    d.clusters = [Cluster(cluster_id=h[0], size=h[1], sources=h[2], canonical_title=h[3], canonical_source=h[4],
                          first_published_at=h[5]) for h in heads]
    if not d.clusters:
        return
    by_id = {c.cluster_id: c for c in d.clusters}
    for row in _rows(con, """
            SELECT m.cluster_id, m.source, m.title, m.url, m.published_at, a.fetched_at, m.role, m.similarity
            FROM cluster_members m JOIN articles a USING (article_id)
            WHERE m.cluster_id IN (SELECT unnest(?::VARCHAR[]))
            QUALIFY row_number() OVER (PARTITION BY m.cluster_id ORDER BY m.role <> 'canonical',
                                       m.published_at NULLS LAST, m.article_id) <= ?
            ORDER BY m.cluster_id, m.role <> 'canonical', m.published_at NULLS LAST, m.article_id""",
            [list(by_id), MEMBERS_SHOWN]):
        by_id[row[0]].members.append(Member(*row[1:]))


def _load_runs(con: duckdb.DuckDBPyConnection, d: Dashboard) -> None:
    cur = con.execute("SELECT * FROM recent_runs LIMIT ?", [RUNS_SHOWN])
    cols = [c[0] for c in cur.description]
    d.runs = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    ids = [r["run_id"] for r in d.runs]
    for run_id, src, reason, n, pairs, fetches in _rows(con, """
            SELECT * FROM (
                SELECT run_id, source, coalesce(error, 'http_' || status::VARCHAR) AS reason, count(*)::BIGINT AS n,
                       count(*) OVER (PARTITION BY run_id), sum(count(*)) OVER (PARTITION BY run_id)::BIGINT
                FROM fetch_log
                WHERE run_id IN (SELECT unnest(?::VARCHAR[])) AND (error IS NOT NULL OR status >= 400)
                GROUP BY run_id, source, reason
                QUALIFY row_number() OVER (PARTITION BY run_id ORDER BY n DESC, source, reason) <= ?)
            ORDER BY run_id, source, reason""", [ids, FAILURES_PER_RUN_SHOWN]):
        d.failures.setdefault(run_id, []).append((src, reason, n))
        d.failures_total[run_id] = (pairs, fetches)
    failing = "coalesce(last_status, '?') NOT IN ('ok', '?')"
    d.failing_total = con.execute(f"SELECT count(*) FROM sources WHERE {failing}").fetchone()[0]
    d.source_status = _rows(con, f"""
        SELECT name, coalesce(last_status, '?'), last_error, last_run_id FROM sources WHERE {failing}
        ORDER BY name LIMIT ?""", [FAILING_SOURCES_SHOWN])


def _load_revisions(con: duckdb.DuckDBPyConnection, d: Dashboard, source: str | None) -> None:
    from newsdedup.revisions import unified_diff

    try:
        rows = _rows(con, """
            SELECT r.article_id, a.source, r.revision, r.fetched_at,
                   round((epoch(r.fetched_at) - epoch(a.fetched_at)) / 60.0, 1), p.title, r.title, r.title_changed,
                   r.words_added, r.words_removed, p.text, r.text, p.fetched_at
            FROM article_revisions r
            JOIN article_revisions p ON p.article_id = r.article_id AND p.revision = r.revision - 1
            JOIN articles a ON a.article_id = r.article_id
            WHERE r.revision > 1 AND (?::VARCHAR IS NULL OR a.source = ?::VARCHAR)
            ORDER BY r.fetched_at DESC, r.article_id LIMIT ?""", [source, source, REVISIONS_SHOWN])
    except duckdb.CatalogException:  # a snapshot from before migration 006
        return
    for (aid, src, rev, at, minutes, old_title, new_title, title_changed, added, removed, old_text, new_text,
         old_at) in rows:
        diff = unified_diff({"revision": rev - 1, "fetched_at": old_at, "title": old_title, "text": old_text},
                            {"revision": rev, "fetched_at": at, "title": new_title, "text": new_text}, width=90)
        if len(diff) > DIFF_LINES_SHOWN:
            diff = [*diff[:DIFF_LINES_SHOWN], f"… {len(diff) - DIFF_LINES_SHOWN:,} more lines: newsdedup diff {aid} "
                                              f"--from {rev - 1} --to {rev}"]
        d.revisions.append(Revision(aid, src, rev, at, minutes, old_title, new_title, bool(title_changed), added,
                                    removed, diff))
