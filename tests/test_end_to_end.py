"""End to end: the ingest DAG against the bundled sample site served on 127.0.0.1, then the warehouse."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from newsdedup import warehouse as wh
from newsdedup.samplesite import SAMPLE_SOURCES, serve, write_sources_file

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
TRUTH = json.loads((ROOT / "samples" / "truth.json").read_text())
TABLES = ["articles", "article_clusters", "story_clusters", "article_duplicates", "article_sentences",
          "sentences", "minhash_signatures", "raw_pages"]


@pytest.fixture(scope="module")
def site():
    with serve(port=0) as s:
        yield s


@pytest.fixture(scope="module")
def dag_run(site, airflow_db, tmp_path_factory):
    """Run the ingest DAG twice with `dag.test()`; return the warehouse and row counts after each run."""
    work = tmp_path_factory.mktemp("e2e")
    sources = work / "sources.yaml"
    write_sources_file(site.base_url, sources)
    first, counts1 = _dag_test(sources, work), _counts(work / "warehouse.duckdb")
    second, counts2 = _dag_test(sources, work), _counts(work / "warehouse.duckdb")
    return {"warehouse": work / "warehouse.duckdb", "runs": (first, second), "counts": (counts1, counts2),
            "base": site.base_url}


def _dag_test(sources: Path, work: Path):
    """One `dag.test()` run of the ingest DAG with its sources, warehouse and staging under `work`."""
    from airflow.dag_processing.dagbag import DagBag

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSDEDUP_SOURCES", str(sources))
        mp.setenv("NEWSDEDUP_WAREHOUSE", str(work / "warehouse.duckdb"))
        mp.setenv("NEWSDEDUP_STAGING", str(work / "staging"))
        return DagBag(dag_folder=str(ROOT / "dags")).dags["newsdedup_ingest"].test()


def _counts(path: Path) -> dict[str, int]:
    return {t: wh.query_rows(path, f"SELECT count(*) FROM {t}")[1][0][0] for t in TABLES}


def _q(path: Path, sql: str, params=None):
    return wh.query_rows(path, sql, params)[1]


def _cols(path: Path, sql: str) -> list[str]:
    return wh.query_rows(path, sql)[0]


def _url(base: str, path: str) -> str:
    return base.rstrip("/") + "/" + path.lstrip("/")


def _article_id(path: Path, base: str, page: str) -> str:
    rows = _q(path, "SELECT article_id FROM articles WHERE url = ? OR canonical_url = ?",
              [_url(base, page), _url(base, page)])
    assert rows, f"{page} was not ingested"
    return rows[0][0]


def test_dag_runs_succeed(dag_run) -> None:
    first, second = dag_run["runs"]
    assert str(first.state) in ("success", "DagRunState.SUCCESS")
    assert str(second.state) in ("success", "DagRunState.SUCCESS")


def test_every_sample_article_is_ingested_and_clean(dag_run) -> None:
    path, base = dag_run["warehouse"], dag_run["base"]
    rows = _q(path, "SELECT count(*), count(*) FILTER (WHERE clean_error IS NULL AND length(text) > 0) FROM articles")
    assert rows[0][0] == len(TRUTH["articles"]) and rows[0][1] == len(TRUTH["articles"])
    texts = {u: t for u, t in _q(path, "SELECT url, text FROM articles")}
    for art in TRUTH["articles"]:
        text = texts[_url(base, art["path"])]
        for phrase in art.get("must_contain", []):
            assert phrase in text, (art["path"], phrase)
        for phrase in TRUTH["boilerplate_phrases"]:
            assert phrase not in text, (art["path"], phrase)


def test_syndicated_story_is_one_cluster_with_earliest_canonical(dag_run) -> None:
    path, base = dag_run["warehouse"], dag_run["base"]
    synd = TRUTH["syndicated"]
    original = _article_id(path, base, synd["original"])
    copies = [_article_id(path, base, p) for p in synd["copies"]]
    clusters = {r[0] for r in _q(path, "SELECT cluster_id FROM article_clusters WHERE article_id IN "
                                       "(SELECT unnest(?::VARCHAR[]))", [[original, *copies]])}
    assert len(clusters) == 1
    (cluster,) = clusters
    assert _q(path, "SELECT canonical_article_id, size FROM story_clusters WHERE cluster_id = ?", [cluster]) == [
        (original, len(copies) + 1)]
    dup_of = {r[0]: r[1] for r in _q(path, "SELECT article_id, duplicate_of FROM article_duplicates")}
    assert all(dup_of[c] == original for c in copies)
    view = _q(path, "SELECT canonical_url, size FROM story_cluster_view WHERE cluster_id = ?", [cluster])
    assert view == [(_url(base, synd["original"]), len(copies) + 1)]


def test_exact_copy_is_marked_exact(dag_run) -> None:
    path, base = dag_run["warehouse"], dag_run["base"]
    ex = TRUTH["exact_copy"]
    original, copy = _article_id(path, base, ex["original"]), _article_id(path, base, ex["copy"])
    assert _q(path, "SELECT duplicate_of, kind FROM article_duplicates WHERE article_id = ?", [copy]) == [
        (original, "exact")]


def test_unrelated_and_same_topic_stories_are_not_merged(dag_run) -> None:
    path, base = dag_run["warehouse"], dag_run["base"]
    a, b = (_article_id(path, base, p) for p in TRUTH["same_topic_distinct"])
    ca = _q(path, "SELECT cluster_id FROM article_clusters WHERE article_id = ?", [a])
    cb = _q(path, "SELECT cluster_id FROM article_clusters WHERE article_id = ?", [b])
    assert ca != cb
    expected_dups = len(TRUTH["syndicated"]["copies"]) + 1
    assert _q(path, "SELECT count(*) FROM article_duplicates") == [(expected_dups,)]


def test_repeated_quote_is_flagged_within_its_article(dag_run) -> None:
    path, base = dag_run["warehouse"], dag_run["base"]
    rq = TRUTH["repeated_quote"]
    aid = _article_id(path, base, rq["path"])
    rows = _q(path, "SELECT text, repeated_within FROM article_sentences WHERE article_id = ? AND repeated_within > 1",
              [aid])
    assert rows, "no sentence flagged as repeated within the article"
    words = rq["quote"].split()
    assert any(" ".join(words[:6]) in t for t, _ in rows), rows


def test_shared_quote_is_flagged_across_articles(dag_run) -> None:
    path, base = dag_run["warehouse"], dag_run["base"]
    sq = TRUTH["shared_quote"]
    ids = [_article_id(path, base, p) for p in sq["paths"]]
    words = " ".join(sq["quote"].split()[:6])
    rows = _q(path, "SELECT stories FROM repeated_sentences WHERE text LIKE '%' || ? || '%'", [words])
    assert rows and rows[0][0] >= 2
    flagged = _q(path, "SELECT DISTINCT article_id FROM article_sentences WHERE repeated_across > 0 "
                       "AND text LIKE '%' || ? || '%'", [words])
    assert {r[0] for r in flagged} & set(ids)


def test_second_run_adds_no_article_rows(dag_run) -> None:
    first, second = dag_run["counts"]
    assert first == second
    runs = _q(dag_run["warehouse"], "SELECT articles_new FROM ingest_runs ORDER BY finished_at")
    assert [r[0] for r in runs] == [len(TRUTH["articles"]), 0]
    # every fetch attempt of both runs is logged
    assert _q(dag_run["warehouse"], "SELECT count(DISTINCT run_id) FROM fetch_log") == [(2,)]


def test_cli_run_and_sql_json(site, tmp_path: Path) -> None:
    sources = tmp_path / "sources.yaml"
    write_sources_file(site.base_url, sources)
    exe = str(Path(sys.executable).with_name("newsdedup"))
    wh_path = str(tmp_path / "w.duckdb")
    run = subprocess.run([exe, "run", "--sources", str(sources), "--warehouse", wh_path,
                          "--staging", str(tmp_path / "staging")], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert f"new articles {len(TRUTH['articles'])}" in run.stdout
    again = subprocess.run([exe, "run", "--sources", str(sources), "--warehouse", wh_path,
                            "--staging", str(tmp_path / "staging")], capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "nothing new" in again.stdout
    out = subprocess.run([exe, "sql", "select cluster_id, size from story_cluster_view", "--warehouse", wh_path,
                          "--json"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert max(r["size"] for r in rows) == len(TRUTH["syndicated"]["copies"]) + 1
    # what an analyst sees: the syndicated story with every member's headline
    table = subprocess.run([exe, "sql", "select * from story_cluster_view", "--warehouse", wh_path],
                           capture_output=True, text=True, timeout=120)
    assert table.returncode == 0, table.stderr
    titles = {a["path"]: a["title"] for a in TRUTH["articles"]}
    synd = TRUTH["syndicated"]
    for page in [synd["original"], *synd["copies"]]:
        assert json.dumps(titles[page], ensure_ascii=False) in table.stdout, page
    # One record path: reclean rebuilds every record from the stored inputs exactly as the run built it.
    records = ("SELECT a.*, c.cluster_id, c.decision, c.matched_article_id FROM articles a "
               "JOIN article_clusters c USING (article_id) ORDER BY article_id")
    before = _q(Path(wh_path), records)
    redo = subprocess.run([exe, "reclean", "--warehouse", wh_path], capture_output=True, text=True, timeout=300)
    assert redo.returncode == 0, redo.stderr[-3000:]
    assert f"recleaned {len(TRUTH['articles'])} stored pages" in redo.stdout
    after = _q(Path(wh_path), records)
    strip = [i for i, c in enumerate(_cols(Path(wh_path), records)) if c != "run_id"]
    assert [[r[i] for i in strip] for r in after] == [[r[i] for i in strip] for r in before]
    # the near-duplicates are counted under the real sources (not one "reclean" pseudo-source)
    feed_of = {o["key"]: o["feed"] for o in TRUTH["outlets"]}
    source_of = {feed: name for name, feed, _ in SAMPLE_SOURCES}
    copied_by = {source_of[feed_of[a["outlet"]]] for a in TRUTH["articles"] if a["path"] in synd["copies"]}
    lines = {line.split(":")[0].strip(): line for line in redo.stdout.splitlines() if line.startswith("  ")}
    assert len(copied_by) == 3 and all("1 near-duplicate of earlier stories" in lines[n] for n in copied_by), redo.stdout


def test_cli_run_with_bad_sources_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources:\n  - name: x\n    url: http://127.0.0.1:1/feed\n    kind: nonsense\n")
    exe = str(Path(sys.executable).with_name("newsdedup"))
    out = subprocess.run([exe, "run", "--sources", str(bad), "--warehouse", str(tmp_path / "w.duckdb")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2
    assert "sources[0].kind: must be one of rss, atom, jsonfeed, sitemap, page, site, warc, dir, not 'nonsense'" in out.stderr


def _sources_and_one_failing(site, folder: Path) -> tuple[Path, dict]:
    """The sample site's sources file with one more source that fails (nothing listens at its address)."""
    import yaml

    sources = folder / "sources.yaml"
    write_sources_file(site.base_url, sources)
    doc = yaml.safe_load(sources.read_text())
    # A port nothing listens on (bound, then closed). Not port 1: a port browsers refuse (the Fetch
    # standard's bad ports) is refused unsent as invalid_url, and this test is about a refused connection.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    doc["sources"].append({"name": "misconfigured", "url": f"http://127.0.0.1:{port}/feed.xml", "kind": "rss"})
    sources.write_text(yaml.safe_dump(doc))
    return sources, doc


def test_a_failing_source_task_does_not_block_the_run(site, airflow_db, tmp_path: Path) -> None:
    """A source that fails (here nothing listens at its address) is recorded as failed; the other
    sources' articles are still deduplicated and loaded. (A bad entry never gets this far: the plan
    task refuses the whole file, tests/test_config.py.)"""
    sources, doc = _sources_and_one_failing(site, tmp_path)
    run = _dag_test(sources, tmp_path)
    states = {(ti.task_id, ti.rendered_map_index or ti.map_index): str(ti.state) for ti in run.get_task_instances()}
    assert ("ingest_source", "misconfigured") in states
    assert states[("load", -1)].endswith("success") and states[("report", -1)].endswith("success")
    path = tmp_path / "warehouse.duckdb"
    assert _q(path, "SELECT status, sources, sources_failed, articles_new FROM ingest_runs") == [
        ("partial", len(doc["sources"]), 1, len(TRUTH["articles"]))]
    metrics = json.loads(_q(path, "SELECT metrics FROM ingest_runs")[0][0])
    failed = [s for s in metrics["sources"] if s["status"] != "ok"]
    assert [s["source"] for s in failed] == ["misconfigured"]


def test_more_sources_than_airflow_maps_tasks_for_are_all_ingested(site, airflow_db, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Airflow maps at most `[core] max_map_length` tasks from one list (1,024 by default): a sources
    file of more sources failed the plan task ("unmappable return value length") and so the whole run,
    every source unread. The plan now gives each mapped task a share of the sources when they are more
    than the limit (here 3, for the sample site's 4 sources and one that fails): every source is read,
    the one that fails is recorded as failed, the others' articles are loaded."""
    monkeypatch.setenv("AIRFLOW__CORE__MAX_MAP_LENGTH", "3")
    sources, doc = _sources_and_one_failing(site, tmp_path)
    run = _dag_test(sources, tmp_path)
    states = {(ti.task_id, ti.map_index): str(ti.state) for ti in run.get_task_instances()}
    assert states[("plan", -1)].endswith("success"), states
    assert len([k for k in states if k[0] == "ingest_source"]) == 3
    assert states[("load", -1)].endswith("success") and states[("report", -1)].endswith("success")
    path = tmp_path / "warehouse.duckdb"
    assert _q(path, "SELECT status, sources, sources_failed, articles_new FROM ingest_runs") == [
        ("partial", len(doc["sources"]), 1, len(TRUTH["articles"]))]
    metrics = json.loads(_q(path, "SELECT metrics FROM ingest_runs")[0][0])
    assert sorted(s["source"] for s in metrics["sources"]) == sorted(s["name"] for s in doc["sources"])
    assert [s["source"] for s in metrics["sources"] if s["status"] != "ok"] == ["misconfigured"]


def test_a_share_of_sources_reads_each_once_and_names_the_ones_that_failed(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """One mapped task holding several sources (more sources than Airflow maps tasks for) reads each
    in turn: one that fails does not stop the others, the task then fails naming it, and a retry of
    the task reads only what staged nothing (the site is down by then: the staged sources' results
    stand)."""
    import yaml
    from airflow.sdk.exceptions import AirflowFailException

    from newsdedup import pipeline, tasks

    monkeypatch.setenv("AIRFLOW__CORE__MAX_MAP_LENGTH", "2")
    with serve(port=0) as site:
        sources = write_sources_file(site.base_url, tmp_path / "sources.yaml")
        jobs = tasks.plan({"run_id": "manual__share", "params": {
            "sources_file": str(sources), "staging": str(tmp_path / "staging"), "warehouse": str(tmp_path / "w.duckdb")}})
        everyone = [s["name"] for s in yaml.safe_load(sources.read_text())["sources"]]
        assert [j["sources"] for j in jobs] == [everyone[:2], everyone[2:]] and len(everyone) == 4
        run_dir, names = jobs[0]["run_dir"], everyone[:2]
        with pytest.raises(AirflowFailException, match=r"1 of 3 sources failed \(no-such-source: ConfigError"):
            tasks.ingest_source({}, {"run_dir": run_dir, "source": names[0],
                                     "sources": [names[0], "no-such-source", names[1]]})
        first = [pipeline.staged_summary(run_dir, n) for n in names]
    assert all(s is not None and s["status"] == "ok" and s["articles"] > 0 for s in first)
    context: dict = {}
    again = tasks.ingest_source(context, {"run_dir": run_dir, "source": names[0], "sources": names})
    assert again["sources"] == first
    assert context["source_name"] == f"{names[0]} … {names[1]} (2 sources)"
    assert [tasks.shares(list("abcde"), n) for n in (1, 2, 3, 5, 9)] == [
        [list("abcde")], [list("abc"), list("de")], [list("ab"), list("cd"), ["e"]], [[c] for c in "abcde"],
        [[c] for c in "abcde"]]
    assert tasks.shares([], 3) == []
