"""The load when the world around it goes wrong (issue 10, weak spots):

- another process holds the writer lock past the load's patience: the error names the holder (PID
  and command line), the run's staged batches stay, and Airflow's retry of the load task, or the
  next run, loads them without fetching them again; the next run decides them together with its
  own articles, so no stale decision is loaded;
- a kill right after the load's COMMIT leaves the run's counts in place (they commit with the data);
- a garbled staged Parquet batch is named in the error, with its run.

A real local site, real DuckDB files, a real second process holding the lock.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from lockholder import holding_the_lock
from terminal import as_at_a_terminal

from newsdedup import pipeline, staging
from newsdedup import warehouse as wh
from newsdedup.samplesite import SampleSite, serve, write_sources_file

pytestmark = pytest.mark.slow

EXE = str(Path(sys.executable).with_name("newsdedup"))
ARTICLES = 44  # the sample site's articles


@pytest.fixture(scope="module")
def site() -> Iterator[SampleSite]:
    with serve(port=0) as s:
        yield s


def _decisions(w: Path) -> dict[str, list[tuple]]:
    return {
        "clusters": wh.query_rows(w, "SELECT cluster_id, canonical_article_id, size FROM story_clusters ORDER BY 1")[1],
        "duplicates": wh.query_rows(w, "SELECT article_id, duplicate_of, kind FROM article_duplicates ORDER BY 1")[1],
        "sentences": wh.query_rows(w, """SELECT article_id, position, repeated_within, repeated_across, boilerplate
                                         FROM article_sentences ORDER BY 1, 2""")[1],
    }


@pytest.fixture(scope="module")
def reference(site: SampleSite, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple]]:
    """What one undisturbed run of the sample site decides."""
    work = tmp_path_factory.mktemp("reference")
    sources = write_sources_file(site.base_url, work / "sources.yaml")
    pipeline.run_pipeline(str(sources), str(work / "w.duckdb"), str(work / "staging"), run_id="reference")
    return _decisions(work / "w.duckdb")


@pytest.fixture
def work(site: SampleSite, tmp_path: Path) -> Path:
    write_sources_file(site.base_url, tmp_path / "sources.yaml")
    with wh.writer(tmp_path / "w.duckdb"):  # an empty warehouse: a main file someone can hold
        pass
    return tmp_path


def _pages(site: SampleSite, since: int) -> Counter[str]:
    """How often each article page was requested since request number `since`."""
    return Counter(path for method, path, _ in site.requests[since:] if method == "GET" and path.endswith(".html"))


def _run(work: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, "run", "--sources", str(work / "sources.yaml"), "--warehouse", str(work / "w.duckdb"),
                           "--staging", str(work / "staging")], capture_output=True, text=True, timeout=600,
                          env={**os.environ, **env})


def _run_that_meets_a_held_lock(work: Path) -> Path:
    with holding_the_lock(work / "w.duckdb", label="forgotten-session") as holder:
        proc = _run(work, NEWSDEDUP_LOCK_PATIENCE="1")
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    (run_dir,) = list((work / "staging").iterdir())
    message = proc.stderr
    assert f"PID {holder.pid}" in message and "forgotten-session" in message, message
    assert str(run_dir) in message and "without fetching again" in message
    assert len(list((run_dir / "articles").glob("*.parquet"))) == 4  # the fetched work is kept
    return run_dir


def _runs(w: Path) -> list[tuple]:
    return wh.query_rows(w, "SELECT run_id, status, articles_new, metrics FROM ingest_runs ORDER BY started_at")[1]


def test_the_load_retry_loads_the_kept_batches(work: Path, site: SampleSite, reference: dict) -> None:
    since = len(site.requests)
    run_dir = _run_that_meets_a_held_lock(work)
    fetched = _pages(site, since)
    assert len(fetched) == ARTICLES and set(fetched.values()) == {1}
    result = pipeline.load_stage(str(run_dir))  # what Airflow's retry of the load task runs
    assert result["added"]["articles"] == ARTICLES
    assert _pages(site, since) == fetched  # nothing fetched again
    assert _decisions(work / "w.duckdb") == reference
    ((run_id, status, articles_new, _),) = _runs(work / "w.duckdb")
    assert status == "success" and articles_new == ARTICLES


def test_the_next_run_loads_an_unloaded_run_without_fetching_it_again(work: Path, site: SampleSite,
                                                                      reference: dict) -> None:
    w = work / "w.duckdb"
    since = len(site.requests)
    first = _run_that_meets_a_held_lock(work)
    proc = _run(work)
    assert proc.returncode == 0, proc.stderr
    assert f"also loaded {ARTICLES} articles" in proc.stdout and "none fetched again" in proc.stdout
    pages = _pages(site, since)
    assert len(pages) == ARTICLES and set(pages.values()) == {1}  # each page fetched once, by the first run
    # the second run decided the first run's articles with its own, against the warehouse as it is now
    assert _decisions(w) == reference
    (first_id, first_status, first_new, first_metrics), (second_id, status, articles_new, _) = _runs(w)
    assert first_status == "adopted" and first_new == 0
    assert json.loads(first_metrics)["adopted_by"] == second_id
    assert status == "success" and articles_new == ARTICLES
    assert (first / staging.ADOPTED).exists()
    # a late retry of the first run's load (a cleared task) changes nothing
    assert pipeline.load_stage(str(first))["already_loaded"]
    assert len(_runs(w)) == 2 and _decisions(w) == reference


def test_a_load_stopped_with_ctrl_c_is_adopted_by_the_next_run(work: Path, site: SampleSite) -> None:
    # Ctrl-C (or a SIGTERM turned into an exception) while the load waits for the lock: the marker
    # that tells the next run to adopt the batches was written only for an Exception, and a
    # KeyboardInterrupt is not one, so the next run fetched all 44 pages again.
    since = len(site.requests)
    with holding_the_lock(work / "w.duckdb", label="long-query"):
        proc = subprocess.Popen([EXE, "run", "--sources", str(work / "sources.yaml"), "--warehouse",
                                 str(work / "w.duckdb"), "--staging", str(work / "staging")],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "NEWSDEDUP_LOCK_PATIENCE": "300"},
                                preexec_fn=as_at_a_terminal)  # fmt: skip
        try:
            deadline = time.monotonic() + 300
            while not list((work / "staging").glob("*/dedup.json")) and time.monotonic() < deadline:
                time.sleep(0.1)  # fetched and deduplicated: the load is next, waiting for the lock
            time.sleep(1.0)
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=120)
        finally:
            proc.kill()
    assert proc.returncode == 130, err
    fetched = _pages(site, since)
    assert len(fetched) == ARTICLES
    again = _run(work)
    assert again.returncode == 0, again.stderr
    assert f"also loaded {ARTICLES} articles" in again.stdout and "none fetched again" in again.stdout
    assert _pages(site, since) == fetched  # nothing fetched twice
    assert wh.query_rows(work / "w.duckdb", "SELECT count(*) FROM articles")[1] == [(ARTICLES,)]


def test_a_re_planned_run_gives_back_and_takes_again_what_it_adopted(work: Path) -> None:
    first = _run_that_meets_a_held_lock(work)
    batches = sorted(p.name for p in (first / "articles").glob("*.parquet"))
    args = {"sources_file": str(work / "sources.yaml"), "staging": str(work / "staging"),
            "warehouse": str(work / "w.duckdb")}
    for _ in range(2):  # a cleared and re-run plan task starts from a clean folder, adopting again
        ref = pipeline.plan("second", **args)
        adopted = sorted(p.name for p in (Path(ref["run_dir"]) / "articles").glob("*.parquet"))
        assert len(adopted) == len(batches) and all(a.endswith(b) for a, b in zip(adopted, batches, strict=True))
        assert not list((first / "articles").glob("*.parquet"))


def test_a_kill_right_after_the_commit_leaves_the_run_counted(work: Path) -> None:
    w = work / "w.duckdb"
    ref = pipeline.plan("killed", sources_file=str(work / "sources.yaml"), staging=str(work / "staging"),
                        warehouse=str(w))
    for src in ref["sources"]:
        pipeline.ingest_source(ref["run_dir"], src)
    pipeline.dedup_stage(ref["run_dir"])
    script = textwrap.dedent("""
        import os, signal, sys
        from pathlib import Path
        from newsdedup import warehouse as wh
        with wh.writer(sys.argv[1]) as con:
            wh.load_run(con, Path(sys.argv[2]), {"run_id": "killed", "status": "success"})
            os.kill(os.getpid(), signal.SIGKILL)  # right after the COMMIT: nothing else runs
    """)
    proc = subprocess.run([sys.executable, "-c", script, str(w), ref["run_dir"]], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    con = duckdb.connect(str(w), read_only=True)
    try:
        assert con.execute("SELECT articles_new FROM ingest_runs WHERE run_id = 'killed'").fetchall() == [(ARTICLES,)]
    finally:
        con.close()


def _garble(path: Path) -> None:
    data = path.read_bytes()
    cut = len(data) // 3
    path.write_bytes(data[:cut] + bytes(64) + data[cut + 64:])  # a damaged block: same size, footer intact


@pytest.mark.parametrize("stage", ["dedup", "load"])
def test_a_garbled_staged_batch_is_named_with_its_run(work: Path, stage: str) -> None:
    w = work / "w.duckdb"
    ref = pipeline.plan("garbled-run", sources_file=str(work / "sources.yaml"), staging=str(work / "staging"),
                        warehouse=str(w))
    for src in ref["sources"]:
        pipeline.ingest_source(ref["run_dir"], src)
    run_dir = Path(ref["run_dir"])
    if stage == "dedup":
        bad = sorted((run_dir / "articles").glob("*.parquet"))[0]
        _garble(bad)
        with pytest.raises(staging.StagingError) as err:
            pipeline.dedup_stage(ref["run_dir"])
    else:
        pipeline.dedup_stage(ref["run_dir"])
        bad = run_dir / "sentences" / "dedup.parquet"
        _garble(bad)
        with pytest.raises(staging.StagingError) as err:
            pipeline.load_stage(ref["run_dir"])
        assert _runs(w) == []  # nothing loaded
    assert str(bad) in str(err.value) and "garbled-run" in str(err.value)


def test_two_runs_deduplicated_before_either_loads_find_each_others_copies(work: Path, reference: dict) -> None:
    """Two runs on one warehouse at once (`newsdedup run` beside the DAG, two deployments on one file)
    each decided against the warehouse before the other loaded: the syndicated story's copies that
    the two fetched were each stored as a canonical, and 2 of the sample site's 4 duplicates were
    missed. The second load sees that runs were loaded after its decisions and decides again."""
    import yaml

    doc = yaml.safe_load((work / "sources.yaml").read_text())
    runs = []
    for i, part in enumerate((doc["sources"][:2], doc["sources"][2:])):
        sources = work / f"part{i}.yaml"
        sources.write_text(yaml.safe_dump({**doc, "sources": part}))
        ref = pipeline.plan(f"part{i}", sources_file=str(sources), staging=str(work / "staging"),
                            warehouse=str(work / "w.duckdb"))
        for src in ref["sources"]:
            pipeline.ingest_source(ref["run_dir"], src["name"])
        pipeline.dedup_stage(ref["run_dir"])
        runs.append(ref["run_dir"])
    for run_dir in runs:
        pipeline.load_stage(run_dir)
    got = _decisions(work / "w.duckdb")
    assert got["duplicates"] == reference["duplicates"] and len(got["duplicates"]) == 4
    assert sorted(c[1:] for c in got["clusters"]) == sorted(c[1:] for c in reference["clusters"])
    first, second = (json.loads(r[3])["dedup"] for r in _runs(work / "w.duckdb"))
    assert first["decided_against"][0] == 0 and second["decided_against"][0] == 1  # decided again
    assert sum(d["near"] + d["exact"] for d in (first, second)) == 4
