"""Eighth probe (session 33): an attacker's and a broken operator's probe of the warehouse side: the load
and its idempotency when Airflow tasks are cleared out of order, and what a user types into `newsdedup sql`.

Real local servers (127.0.0.1), real DuckDB files, the ingest DAG's task bodies and the installed console
script as subprocesses. Each test failed on the code before its fix.
"""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from newsdedup import warehouse as wh
from newsdedup.urls import url_id

pytestmark = pytest.mark.slow

sys.path.insert(0, str(Path(__file__).parent / "fetch"))
sys.path.insert(0, str(Path(__file__).parent / "revisions"))
from editable_site import EditableSite  # noqa: E402
from local_server import STORY_TEXTS as TEXTS  # noqa: E402
from local_server import TestServer  # noqa: E402
from local_server import stored_articles as _articles  # noqa: E402
from local_server import story_page as _page  # noqa: E402
from revision_runs import CORRECTION, FERRY, LIBRARY, ORCHARD, Runner  # noqa: E402

EXE = str(Path(sys.executable).with_name("newsdedup"))



def _feed(srv: TestServer, path: str, urls: list[str]) -> str:
    items = "".join(f"<item><title>x</title><link>{u}</link></item>" for u in urls)
    return srv.static(
        path,
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>',
        content_type="application/rss+xml",
    )


@pytest.fixture
def srv(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestServer]:
    real = socket.getaddrinfo

    def local(host, port, *args, **kwargs):  # noqa: ANN001, ANN202 - socket.getaddrinfo's signature
        if isinstance(host, str) and host.endswith("example.com"):
            return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", ("127.0.0.1", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local)
    with TestServer() as s:
        yield s


def _plan(tmp_path: Path, sources: list[dict], run_id: str) -> list[dict]:
    from newsdedup import tasks

    cfg = tmp_path / "sources.yaml"
    cfg.write_text(
        yaml.safe_dump(
            {
                "settings": {"allow_private_networks": True, "retries": 0, "recheck_hours": []},
                "sources": sources,
            }
        )
    )
    return tasks.plan(
        {
            "run_id": run_id,
            "params": {
                "sources_file": str(cfg),
                "staging": str(tmp_path / "staging"),
                "warehouse": str(tmp_path / "w.duckdb"),
            },
        }
    )


def test_an_ingest_task_cleared_after_the_dedup_ran_has_its_claims_checked_again(
    srv: TestServer, tmp_path: Path
) -> None:
    """An operator clears one mapped ingest task (only it, not its downstream tasks) after the dedup task
    ran and before the load did (the load failed on a held lock and waits for its retry). The cleared
    task stages its source's batch again, as its ingest sees it: the page whose claim the dedup task's
    run-wide check had undone (another source's page holds a different story under the claimed URL)
    claims the URL again. Expected: the load decides the run again on the batches as they are, so both
    stories are stored, the page counted once. Before: the load took the dedup task's decisions and
    loaded the re-staged page under the claimed id: 2 records of 3, the bakery story lost."""
    from newsdedup import tasks

    w = f"http://www.example.com:{srv.port}"
    claim = f'<link rel="canonical" href="{w}/news/">'
    srv.static("/news/a", _page("Terminal delayed", TEXTS[0], claim))
    srv.static("/news/b", _page("Bakery closes shops", TEXTS[1], claim))
    srv.static("/news/c", _page("Orchestra tour", TEXTS[2]))
    a, b, c = f"{w}/news/a", f"{w}/news/b", f"{w}/news/c"
    jobs = _plan(
        tmp_path,
        [
            {"name": "s1", "url": _feed(srv, "/f1.xml", [a]), "kind": "rss"},
            {"name": "s2", "url": _feed(srv, "/f2.xml", [c]), "kind": "rss"},
            {"name": "s3", "url": _feed(srv, "/f3.xml", [b]), "kind": "rss"},
        ],
        "manual__cleared",
    )
    for job in jobs:
        tasks.ingest_source({}, job)
    tasks.dedup(jobs)
    tasks.ingest_source({}, jobs[2])  # cleared alone: s3 stages its batch again
    loaded = tasks.load(jobs)
    assert loaded["added"]["articles"] == 3
    stored = _articles(tmp_path)
    assert sorted(stored) == [a, b, c]
    assert stored[a][:2] == (url_id(f"{w}/news/"), f"{w}/news/")
    assert stored[b][:2] == (url_id(b), b)
    metrics = json.loads(wh.query_rows(tmp_path / "w.duckdb", "SELECT metrics FROM ingest_runs")[1][0][0])
    assert {s["source"]: s.get("canonical_ignored") or {} for s in metrics["sources"]} == {
        "s1": {},
        "s2": {},
        "s3": {"other_article": 1},
    }


def _sql_peak(warehouse: Path, args: list[str], env: dict[str, str], tmp: Path) -> tuple[int, str, int]:
    """`newsdedup sql ARGS` as a subprocess: (exit status, standard error, peak resident memory in bytes)."""
    import os
    import subprocess

    with (tmp / "stderr").open("wb") as err:
        proc = subprocess.Popen(
            [EXE, "sql", *args, "--warehouse", str(warehouse)],
            stdout=subprocess.DEVNULL,
            stderr=err,
            env={**os.environ, **env},
        )
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own peak, not the largest of all children
        proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, (tmp / "stderr").read_text(), usage.ru_maxrss * 1024


@pytest.mark.parametrize(
    "query",
    [
        "SELECT map_from_entries([(i, i) for i in range(2000000)]) AS m",  # one value: a map of 2 million entries
        "SELECT range(12000000) AS r",  # one value: a list of 12 million numbers
    ],
)
@pytest.mark.parametrize("form", ["table", "json"])
def test_one_huge_value_stays_within_the_readers_memory(
    sample_warehouse: Path, tmp_path: Path, query: str, form: str
) -> None:
    """Rows are fetched in batches, but one value is converted to Python whole, at 20 to 40 times the
    bytes DuckDB holds it in (a Python int and its list slot for each 8-byte number; a dict entry for
    each map entry): one row of one value DuckDB holds within the readers' memory limit took gigabytes
    (a map of 2 million entries under a 256MB limit: 2.9 GB resident; of 50 million under the default
    quarter of the machine's memory, more than the machine has, beside the Airflow components).
    Expected: the command stays within the limit plus the Python allowance (twice the limit, at least
    1 GiB more), failing with a message that names the limit when the result needs more."""
    limit = 256 * 2**20
    args = [query] + (["--json"] if form == "json" else [])
    code, err, peak = _sql_peak(sample_warehouse, args, {"NEWSDEDUP_READER_MEMORY_LIMIT": "256MiB"}, tmp_path)
    assert peak < limit + 2**30 + 256 * 2**20, (code, err, peak)
    assert code == 1, (code, err)
    assert "memory" in err and "NEWSDEDUP_READER_MEMORY_LIMIT" in err and "Traceback" not in err, err


def test_a_run_loaded_while_reclean_works_is_not_undone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`newsdedup reclean` reads every stored raw page from the snapshot, cleans and decides them (minutes
    on a large warehouse, holding no lock), then replaces the stored records. A scheduled run that loads in
    between (a revision of a stored story: a new headline and a correction) was undone: the reclean wrote
    back the records it had read. Expected: what the run loaded is still there after the reclean (the
    article shows revision 2, both revisions kept, the run's new article kept and recleaned)."""
    from newsdedup import pipeline

    with EditableSite() as site:
        runner = Runner(site, tmp_path)
        site.add("/news/ferry.html", "Ferry returns after storm repairs", FERRY)
        site.add("/news/orchard.html", "Quarry orchard's first harvest", ORCHARD)
        runner.run()
        real_dedup = pipeline.dedup_stage
        calls = []

        def dedup_after_a_run(run_dir: str, replacing: list[str] | None = None) -> dict:
            if replacing is not None and not calls:  # the reclean's, once: a scheduled run loads meanwhile
                calls.append(run_dir)
                site.edit(
                    "/news/ferry.html",
                    title="Ferry back in service after three-week storm outage",
                    paragraphs=[*FERRY, CORRECTION],
                )
                site.add("/news/library.html", "Libraries open on Sundays", LIBRARY)
                runner.run()
            return real_dedup(run_dir, replacing)

        monkeypatch.setattr(pipeline, "dedup_stage", dedup_after_a_run)
        pipeline.reclean(str(runner.warehouse), str(tmp_path / "staging"))
        assert calls
        ferry = runner.article_id("/news/ferry.html")
        assert runner.q("SELECT title, revision FROM articles WHERE article_id = ?", [ferry]) == [
            ("Ferry back in service after three-week storm outage", 2)
        ]
        assert runner.q(
            "SELECT revision FROM article_revisions WHERE article_id = ? ORDER BY 1", [ferry]
        ) == [
            (1,),
            (2,),
        ]
        text = runner.q("SELECT text FROM articles WHERE article_id = ?", [ferry])[0][0]
        assert CORRECTION in text
        assert runner.q("SELECT count(*) FROM articles") == [(3,)]
        assert runner.q("SELECT count(*) FROM articles WHERE run_id LIKE 'reclean%'") == [(3,)]


def test_a_page_fetched_again_by_a_retried_ingest_keeps_the_bytes_its_record_was_cleaned_from(
    tmp_path: Path,
) -> None:
    """An ingest task retried or cleared (its worker lost after it staged, an operator's clear) fetches its
    pages again; a page edited in between (a live story) was cleaned from the new bytes, but its raw copy
    kept the first attempt's: a raw page is written only when no file of its name exists. The stored raw
    page then did not hold the stored record (nor did a failed load's raw copies, never loaded, for a later
    run that fetched the page again), and `newsdedup reclean` rebuilt the record from the old bytes: the
    article's text went back. Expected: the raw page referred to is the one the record was cleaned from,
    and a reclean changes no text."""
    from newsdedup import pipeline, tasks

    with EditableSite() as site:
        site.add("/news/ferry.html", "Ferry returns after storm repairs", FERRY)
        jobs = _plan(
            tmp_path, [{"name": "courier", "url": site.url("/feed.xml"), "kind": "rss"}], "manual__retried"
        )
        tasks.ingest_source({}, jobs[0])
        site.edit("/news/ferry.html", paragraphs=[*FERRY, CORRECTION])
        tasks.ingest_source({}, jobs[0])  # the task's retry
        tasks.dedup(jobs)
        tasks.load(jobs)
    w = tmp_path / "w.duckdb"
    ((text, rel),) = wh.query_rows(w, "SELECT a.text, r.path FROM articles a JOIN raw_pages r USING (url)")[1]
    assert CORRECTION in text
    assert CORRECTION.encode() in wh.read_raw_page(w, rel)
    pipeline.reclean(str(w), str(tmp_path / "staging"))
    assert wh.query_rows(w, "SELECT text FROM articles")[1] == [(text,)]


def test_the_sql_command_called_in_process_puts_the_memory_cap_back(sample_warehouse: Path) -> None:
    """`cli.main(["sql", ...])` in a longer-lived process (a notebook, a test session) caps the process's
    data memory only while the command runs."""
    import resource

    from newsdedup import cli

    before = resource.getrlimit(resource.RLIMIT_DATA)
    assert cli.main(["sql", "--warehouse", str(sample_warehouse), "SELECT count(*) FROM articles"]) == 0
    assert cli.main(["sql", "--warehouse", str(sample_warehouse), "SELECT * FROM no_such_table"]) == 1
    assert resource.getrlimit(resource.RLIMIT_DATA) == before


def test_a_retention_run_while_reclean_works_is_not_undone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The maintenance DAG's retention (triggered by every load) deletes the signatures and raw pages of
    articles past the window while an operator's `newsdedup reclean` works on what it read before. The
    reclean then wrote back the raw page rows (naming files retention had removed) and the signatures
    (compared with new articles again, outside the window). Expected: what retention deleted stays deleted,
    and every raw page row names a file that exists."""
    from datetime import timedelta

    from newsdedup import maintenance, pipeline

    with EditableSite() as site:
        runner = Runner(site, tmp_path)
        site.add("/news/ferry.html", "Ferry returns after storm repairs", FERRY)
        site.add("/news/orchard.html", "Quarry orchard's first harvest", ORCHARD)
        runner.run()
    w = tmp_path / "w.duckdb"
    real_dedup = pipeline.dedup_stage
    calls = []

    def dedup_after_retention(run_dir: str, replacing: list[str] | None = None) -> dict:
        if replacing is not None and not calls:  # the maintenance DAG's retention, once, meanwhile
            from datetime import UTC, datetime

            calls.append(maintenance.apply_retention(w, datetime.now(UTC) + timedelta(days=400), 30))
        return real_dedup(run_dir, replacing)

    monkeypatch.setattr(pipeline, "dedup_stage", dedup_after_retention)
    summary = pipeline.reclean(
        str(w), str(tmp_path / "staging")
    )  # started again: no raw page left to reclean
    assert "recleaned 0 stored pages" in summary.text(), summary.text()
    assert calls and calls[0]["signatures_deleted"] == 2 and calls[0]["raw_files_removed"] == 2
    assert runner.q("SELECT count(*) FROM minhash_signatures") == [(0,)]
    paths = [p for (p,) in runner.q("SELECT path FROM raw_pages")]
    assert all((wh.raw_dir(w) / p).exists() for p in paths), paths


def test_a_run_planned_before_a_rename_and_loaded_after_it_writes_under_the_new_name(tmp_path: Path) -> None:
    """Two runs overlap (the DAG beside `newsdedup run`, or a slow run and the next): run A is planned with
    the sources file naming a source `courier`; the operator renames it `calder-courier` (same URL) and run B
    is planned and loaded, moving everything stored under `courier` to the new name; then A loads. Before:
    A wrote `courier` back (its sources row, its new article, its re-checks), beside `calder-courier`: the
    name the file no longer has came back, and the next runs saw one URL under two names. Expected: A's
    rows go under the name the warehouse now has for that URL."""
    from newsdedup import tasks
    from newsdedup.pipeline import run_pipeline

    def sources_file(name: str, path: Path) -> Path:
        doc = {
            "settings": {"allow_private_networks": True, "retries": 0, "recheck_hours": [0]},
            "sources": [{"name": name, "url": site.url("/feed.xml"), "kind": "rss"}],
        }
        path.write_text(yaml.safe_dump(doc))
        return path

    w, staging = tmp_path / "w.duckdb", tmp_path / "staging"
    with EditableSite() as site:
        site.add("/news/ferry.html", "Ferry returns after storm repairs", FERRY)
        run_pipeline(str(sources_file("courier", tmp_path / "old.yaml")), str(w), str(staging), run_id="r0")
        site.add("/news/orchard.html", "Quarry orchard's first harvest", ORCHARD)
        params = {"sources_file": str(tmp_path / "old.yaml"), "staging": str(staging), "warehouse": str(w)}
        jobs = tasks.plan({"run_id": "manual__a", "params": params})
        for job in jobs:
            tasks.ingest_source({}, job)
        tasks.dedup(jobs)
        site.add("/news/library.html", "Libraries open on Sundays", LIBRARY)
        run_pipeline(
            str(sources_file("calder-courier", tmp_path / "new.yaml")), str(w), str(staging), run_id="b"
        )
        tasks.load(jobs)
    q = wh.query_rows
    assert q(w, "SELECT name FROM sources ORDER BY 1")[1] == [("calder-courier",)]
    assert q(w, "SELECT DISTINCT source FROM articles")[1] == [("calder-courier",)]
    assert q(w, "SELECT count(*) FROM articles")[1] == [(3,)]
    assert q(w, "SELECT DISTINCT source FROM article_checks")[1] == [("calder-courier",)]


def test_the_dashboard_shows_a_bounded_part_of_a_huge_revision(tmp_path: Path) -> None:
    """A site appends one paragraph of 400,000 characters to a story (a hostile page, or a live blog's
    runaway block) on each of several re-checks: the dashboard's 'Recently revised' panel held the whole
    of every diff (wrapped at 90 columns: 4,400 lines a revision), megabytes built on every load of the
    page in the api-server. Expected: a bounded part of each diff, saying how to see the rest."""
    from newsdedup.dashboard import data, render

    flood = " ".join(f"word{i % 997}" for i in range(50000))
    with EditableSite() as site:
        runner = Runner(site, tmp_path)
        site.add("/news/ferry.html", "Ferry returns after storm repairs", FERRY)
        runner.run()
        for n in range(3):
            site.edit(
                "/news/ferry.html", paragraphs=[*FERRY, *[f"{flood} edition {k}" for k in range(n + 1)]]
            )
            runner.run()
    ferry = runner.article_id("/news/ferry.html")
    assert runner.q("SELECT max(revision) FROM article_revisions")[0][0] == 4
    d = data.load(runner.warehouse)
    page = render.page(d)
    assert len(d.revisions) == 3
    assert len(page) < 200_000, len(page)
    assert f"newsdedup diff {ferry}" in page


def test_an_older_re_check_loaded_after_a_newer_one_does_not_become_the_latest_version(
    tmp_path: Path,
) -> None:
    """Two runs overlap: run A re-checks a story and finds it edited (a correction appended); before A
    loads, the story is edited again (its headline rewritten) and run B re-checks and loads it. Revision
    numbers are given at load against the stored latest version, so A's older copy became revision 3 and
    the article showed it: the correction without the new headline, as if the page had gone back.
    Expected: the article shows what the page said last (B's copy), and A's older copy is no newer
    revision."""
    from newsdedup import tasks

    with EditableSite() as site:
        runner = Runner(site, tmp_path)
        site.add("/news/ferry.html", "Ferry returns after storm repairs", FERRY)
        runner.run("r0")
        site.edit("/news/ferry.html", paragraphs=[*FERRY, CORRECTION])
        params = {
            "sources_file": str(runner.sources_file()),
            "staging": str(tmp_path / "staging"),
            "warehouse": str(runner.warehouse),
        }
        jobs = tasks.plan({"run_id": "manual__a", "params": params})
        for job in jobs:
            tasks.ingest_source({}, job)
        tasks.dedup(jobs)
        site.edit(
            "/news/ferry.html",
            title="Ferry back in service after three-week storm outage",
            paragraphs=[*FERRY, CORRECTION],
        )
        runner.run("b")
        tasks.load(jobs)
    ferry = runner.article_id("/news/ferry.html")
    assert runner.q("SELECT title, revision FROM articles WHERE article_id = ?", [ferry]) == [
        ("Ferry back in service after three-week storm outage", 2)
    ]
    revs = runner.q("SELECT revision, title FROM article_revisions WHERE article_id = ? ORDER BY 1", [ferry])
    assert revs[-1] == (2, "Ferry back in service after three-week storm outage"), revs


def test_an_older_re_check_loaded_after_a_newer_one_does_not_bring_a_gone_page_back(tmp_path: Path) -> None:
    """Two runs overlapping, as above: run A re-checks a story that still answers; the site then removes it
    and run B's re-check finds it gone (404) and loads first. A's load then marked the article back online
    and put its older check time and outcome over B's. Expected: the article stays gone, its last check
    B's."""
    from newsdedup import tasks

    with EditableSite() as site:
        runner = Runner(site, tmp_path)
        site.add("/news/ferry.html", "Ferry returns after storm repairs", FERRY)
        runner.run("r0")
        params = {
            "sources_file": str(runner.sources_file()),
            "staging": str(tmp_path / "staging"),
            "warehouse": str(runner.warehouse),
        }
        jobs = tasks.plan({"run_id": "manual__a", "params": params})
        for job in jobs:
            tasks.ingest_source({}, job)
        tasks.dedup(jobs)
        site.remove("/news/ferry.html", status=404)
        runner.run("b")
        tasks.load(jobs)
    ferry = runner.article_id("/news/ferry.html")
    assert runner.q("SELECT gone_status FROM articles WHERE article_id = ?", [ferry]) == [(404,)]
    assert runner.q("SELECT last_outcome, last_run_id FROM article_checks WHERE article_id = ?", [ferry]) == [
        ("gone", "b")
    ]
