"""Operator mistakes and a broken environment, run after run (the fifth probe, a helper session).

Every test runs the real pipeline (`run_pipeline`) against real local files and servers on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from newsdedup import warehouse as wh
from newsdedup.pipeline import run_pipeline
from newsdedup.samplesite import REVISED_OVERLAY, serve

pytestmark = pytest.mark.slow

PARAGRAPH = ("The {n} council met on Tuesday to agree a budget for the coming year after months of talks between "
             "the parties, and the vote passed by a narrow margin late in the evening after a long debate about "
             "road repairs, school buildings and the future of the harbour ferry service that links the island. ")


def _q(path: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    return wh.query_rows(path, sql, params)[1]


def _sources(path: Path, sources: list[dict[str, Any]], **settings: Any) -> Path:
    path.write_text(yaml.safe_dump({"settings": {"allow_private_networks": True, "sitemap_lookback_days": 3650,
                                                 "recheck_hours": [], **settings},
                                    "sources": sources}), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def site() -> Iterator[Any]:
    with serve(port=0) as s:
        yield s


class _StaticSite:
    """Two feeds and their articles, answered with Last-Modified only (no ETag), honouring
    If-Modified-Since, as many static servers and CDNs do."""

    def __init__(self) -> None:
        self.feeds = {"/old.xml": (datetime(2026, 11, 25, tzinfo=UTC), ["/old/a.html", "/old/b.html"]),
                      "/new.xml": (datetime(2026, 11, 20, tzinfo=UTC), ["/new/c.html", "/new/d.html"])}
        self.requests: list[tuple[str, int]] = []
        self.failing: set[str] = set()  # pages answering 503 (a back end down behind a cached feed)
        self.etags = False  # feeds also carry an ETag
        self.on_page: Callable[[], None] | None = None  # called before a page is served
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                status, body, ctype, modified = site._render(self.path)
                etag = f'"{modified.timestamp():.0f}"' if site.etags and modified is not None else None
                since, match = self.headers.get("If-Modified-Since"), self.headers.get("If-None-Match")
                if status == 200 and etag is not None and match is not None:
                    if match == etag:
                        status, body = 304, b""
                elif status == 200 and modified is not None and since and modified <= parsedate_to_datetime(since):
                    status, body = 304, b""
                site.requests.append((self.path, status))
                self.send_response(status)
                if etag is not None:
                    self.send_header("ETag", etag)
                if modified is not None:
                    self.send_header("Last-Modified", format_datetime(modified, usegmt=True))
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()

    def _render(self, path: str) -> tuple[int, bytes, str, datetime | None]:
        if path in self.feeds:
            modified, pages = self.feeds[path]
            items = "".join(f"<item><title>Story {p}</title><link>{self.base_url}{p}</link>"
                            f"<pubDate>{format_datetime(modified)}</pubDate></item>" for p in pages)
            return 200, (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title>'
                         f"<link>{self.base_url}/</link><description>d</description>{items}</channel></rss>"
                         ).encode(), "application/rss+xml; charset=utf-8", modified
        if path.endswith(".html") and self.on_page is not None:
            self.on_page()
        if path in self.failing:
            return 503, b"busy", "text/plain", None
        if path.endswith(".html"):
            text = "".join(f"<p>{PARAGRAPH.format(n=path)}</p>" for _ in range(3))
            return 200, (f"<!DOCTYPE html><html lang='en'><head><title>Story {path}</title></head><body><article>"
                         f"<h1>Story {path}</h1>{text}</article></body></html>").encode(), \
                "text/html; charset=utf-8", datetime(2026, 11, 20, tzinfo=UTC)
        if path == "/robots.txt":
            return 200, b"User-agent: *\nAllow: /\n", "text/plain", None
        return 404, b"not found", "text/plain", None

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


# ------------------------------------------------------------- a source's URL changed between runs
def test_a_source_whose_url_changed_does_not_keep_the_detected_kind_of_its_old_url(site, tmp_path: Path) -> None:
    """The operator points a source (kind left to detection) at another URL. The kind detected for the
    old URL (rss) was kept for the new one (an article page): every later run failed the source with
    unsupported_content_type, though the same entry as a new source works."""
    wpath = tmp_path / "w.duckdb"
    src = tmp_path / "s.yaml"
    _sources(src, [{"name": "gazette", "url": site.url("/regional/rss.xml")}])
    first = run_pipeline(str(src), str(wpath), str(tmp_path / "st"))
    assert first.sources[0]["status"] == "ok" and first.sources[0]["kind"] == "rss"
    page = site.url("/techbiz/articles/telecom-fined-emergency-outage.html")
    _sources(src, [{"name": "gazette", "url": page}])
    second = run_pipeline(str(src), str(wpath), str(tmp_path / "st"))
    s = second.sources[0]
    assert s["status"] == "ok", s
    assert s["kind"] == "page"
    assert _q(wpath, "SELECT url, kind FROM sources WHERE name = 'gazette'") == [(page, "page")]
    assert _q(wpath, "SELECT count(*) FROM articles WHERE url = ?", [page]) == [(1,)]


def test_a_source_whose_url_changed_does_not_send_its_old_urls_validators(tmp_path: Path) -> None:
    """The feed's URL changes to a feed last modified before the old one. The old feed's Last-Modified
    went out as If-Modified-Since to the new URL, which answered 304: the new feed's stories were
    never fetched ("feed not modified") until it changed again."""
    server = _StaticSite()
    try:
        wpath = tmp_path / "w.duckdb"
        src = tmp_path / "s.yaml"
        _sources(src, [{"name": "courier", "url": server.base_url + "/old.xml", "kind": "rss"}])
        first = run_pipeline(str(src), str(wpath), str(tmp_path / "st"))
        assert first.sources[0]["new"] == 2
        _sources(src, [{"name": "courier", "url": server.base_url + "/new.xml", "kind": "rss"}])
        second = run_pipeline(str(src), str(wpath), str(tmp_path / "st"))
        s = second.sources[0]
        assert not s["not_modified"], s
        assert s["entries"] == 2 and s["new"] == 2, s
        assert ("/new.xml", 200) in server.requests
        assert _q(wpath, "SELECT count(*) FROM articles WHERE url LIKE '%/new/%'") == [(2,)]
    finally:
        server.close()


# ------------------------------------------------------------- the raw pages' folder cannot be written
@contextlib.contextmanager
def _immutable(paths: list[Path]) -> Iterator[None]:
    """Make folders take no new file, for root too (`chattr +i`), for real."""
    if os.geteuid() == 0:
        done = []
        try:
            for p in paths:
                if subprocess.run(["chattr", "+i", str(p)], capture_output=True).returncode != 0:
                    pytest.skip("chattr +i is not available here")
                done.append(p)
            yield
        finally:
            for p in done:
                subprocess.run(["chattr", "-i", str(p)], check=True)
    else:
        for p in paths:
            p.chmod(0o555)
        try:
            yield
        finally:
            for p in paths:
                p.chmod(0o755)


def test_pages_whose_raw_copy_cannot_be_written_keep_their_fetch_attempts_and_the_source(site, tmp_path: Path
                                                                                        ) -> None:
    """The raw pages' folder beside the warehouse stops taking files (restored read-only, another user's
    folder, a full disk on its mount). The first page's PermissionError failed the whole source: its
    feed and page fetches were never recorded in fetch_log, nor its state in `sources`."""
    wpath = tmp_path / "w.duckdb"
    src = tmp_path / "s.yaml"
    wire = {"name": "wire", "url": site.url("/wire/rss.xml"), "kind": "rss"}
    _sources(src, [wire])
    run_pipeline(str(src), str(wpath), str(tmp_path / "st"))
    raw = wh.raw_dir(wpath)
    _sources(src, [wire, {"name": "ledger", "url": site.url("/national/atom.xml"), "kind": "atom"}])
    with _immutable([raw, *raw.iterdir()]):
        second = run_pipeline(str(src), str(wpath), str(tmp_path / "st"))
    ledger = next(s for s in second.sources if s["source"] == "ledger")
    assert ledger["status"] == "ok", ledger
    assert ledger["entries"] == 11 and ledger["fetch_failed"] == 11, ledger
    assert ledger["fetch_errors"] == {"raw_page_unwritable": 11}
    assert _q(wpath, "SELECT purpose, count(*) FROM fetch_log WHERE source = 'ledger' AND purpose <> 'robots' "
                     "GROUP BY ALL ORDER BY ALL") == [("feed", 1), ("page", 11)]
    assert _q(wpath, "SELECT last_status FROM sources WHERE name = 'ledger'") == [("ok",)]
    assert _q(wpath, "SELECT count(*) FROM articles WHERE source = 'ledger'") == [(0,)]
    # nothing was stored without its page: the next run fetches them all
    third = run_pipeline(str(src), str(wpath), str(tmp_path / "st"))
    ledger = next(s for s in third.sources if s["source"] == "ledger")
    assert ledger["fetched"] == 11 and ledger["fetch_failed"] == 0, ledger
    assert _q(wpath, "SELECT count(*) FROM articles WHERE source = 'ledger'") == [(11,)]


def test_a_revision_whose_raw_copy_cannot_be_written_fails_that_check_not_the_source(site, tmp_path: Path) -> None:
    """The same for a re-check that finds a revised page: its raw copy's OSError failed the source, with
    the record of its feed, page and re-check fetches."""
    wpath = tmp_path / "w.duckdb"
    src = _sources(tmp_path / "s.yaml", [{"name": "wire", "url": site.url("/wire/rss.xml"), "kind": "rss"}],
                   recheck_hours=[0])
    try:
        run_pipeline(str(src), str(wpath), str(tmp_path / "st"))
        site.set_overlay(REVISED_OVERLAY)
        raw = wh.raw_dir(wpath)
        with _immutable([raw, *raw.iterdir()]):
            second = run_pipeline(str(src), str(wpath), str(tmp_path / "st"))
        rc = second.sources[0]["rechecks"]
        assert second.sources[0]["status"] == "ok", second.sources[0]
        assert rc["checked"] == 11 and rc["revised"] == 0 and rc["headline_changed"] == 0, rc
        assert rc["errors"] == {"raw_page_unwritable": 1}, rc
        assert _q(wpath, "SELECT count(*) FROM fetch_log WHERE purpose = 'recheck' AND run_id = ?",
                  [second.run_id]) == [(11,)]
        third = run_pipeline(str(src), str(wpath), str(tmp_path / "st"))
        assert third.sources[0]["rechecks"]["revised"] == 1, third.sources[0]
    finally:
        site.set_overlay(None)


# ------------------------------------------------------- pages that failed while their feed did not change
def test_a_page_that_failed_is_fetched_by_a_later_run_when_its_feed_answers_304(tmp_path: Path) -> None:
    """A story's page fails (503: the article back end is down while the CDN serves the feed). The feed's
    validators were saved all the same, the next runs got a 304 for it, and the story was not listed, so
    not fetched, until the feed changed: if it never did, or dropped the story in that change, it was
    lost without a word."""
    server = _StaticSite()
    server.etags = True
    try:
        wpath = tmp_path / "w.duckdb"
        src = tmp_path / "s.yaml"
        _sources(src, [{"name": "courier", "url": server.base_url + "/old.xml", "kind": "rss"}],
                 retries=0)
        server.failing = {"/old/b.html"}
        first = run_pipeline(str(src), str(wpath), str(tmp_path / "st"))
        assert first.sources[0]["fetched"] == 1 and first.sources[0]["fetch_errors"] == {"http_503": 1}
        server.failing = set()
        second = run_pipeline(str(src), str(wpath), str(tmp_path / "st"))
        s = second.sources[0]
        assert s["fetched"] == 1 and s["already_known"] == 1, s
        assert _q(wpath, "SELECT count(*) FROM articles WHERE url LIKE '%/old/b.html'") == [(1,)]
        # once every page is in, conditional GET is back: the feed answers 304
        third = run_pipeline(str(src), str(wpath), str(tmp_path / "st"))
        assert third.sources[0]["not_modified"], third.sources[0]
    finally:
        server.close()


def test_files_of_a_folder_whose_raw_copy_cannot_be_written_are_read_again_by_the_next_run(tmp_path: Path
                                                                                          ) -> None:
    """A `dir` source's cursor moved past files whose raw copy could not be written: they were never
    read again unless touched."""
    folder = tmp_path / "drop"
    folder.mkdir()
    for i in range(3):
        (folder / f"story{i}.html").write_text(
            f"<html lang='en'><head><title>Story {i}</title></head><body><article><h1>Story {i}</h1>"
            + "".join(f"<p>{PARAGRAPH.format(n=f'story {i}')}</p>" for _ in range(3))
            + "</article></body></html>", encoding="utf-8")
    wpath = tmp_path / "w.duckdb"
    src = _sources(tmp_path / "s.yaml", [{"name": "drop", "url": str(folder), "kind": "dir", "settle_seconds": 0,
                                          "base_url": "https://drop.example.org/"}])
    raw = wh.raw_dir(wpath)
    raw.mkdir()
    with _immutable([raw]):
        first = run_pipeline(str(src), str(wpath), str(tmp_path / "st"))
    assert first.sources[0]["fetch_errors"] == {"raw_page_unwritable": 3}, first.sources[0]
    second = run_pipeline(str(src), str(wpath), str(tmp_path / "st"))
    assert second.sources[0]["new"] == 3, second.sources[0]
    assert _q(wpath, "SELECT count(*) FROM articles WHERE source = 'drop'") == [(3,)]
    third = run_pipeline(str(src), str(wpath), str(tmp_path / "st"))
    assert third.sources[0]["not_modified"], third.sources[0]


# ------------------------------------------------------------- the staging folder removed mid-run
def test_a_run_whose_staging_folder_is_removed_while_it_runs_stops_with_a_message(tmp_path: Path) -> None:
    """Someone clears the staging area (to free space) while a run fetches: every later stage died with
    a FileNotFoundError traceback for plan.json."""
    server = _StaticSite()
    stage = tmp_path / "staging"
    server.on_page = lambda: shutil.rmtree(stage, ignore_errors=True)
    try:
        src = _sources(tmp_path / "s.yaml", [{"name": "one", "url": server.base_url + "/old.xml", "kind": "rss"},
                                             {"name": "two", "url": server.base_url + "/new.xml", "kind": "rss"}])
        proc = subprocess.run([str(Path(sys.executable).with_name("newsdedup")), "run", "--sources", str(src),
                               "--warehouse", str(tmp_path / "w.duckdb"), "--staging", str(stage)],
                              capture_output=True, text=True, timeout=300)
    finally:
        server.close()
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "lost its plan" in proc.stderr and "removed while the run was in flight" in proc.stderr


# ------------------------------------------------------------- a relative warehouse path
def _drop_folder(folder: Path, n: int, word: str) -> Path:
    folder.mkdir(parents=True)
    for i in range(n):
        (folder / f"{word}{i}.html").write_text(
            f"<html lang='en'><head><title>{word} {i}</title></head><body><article><h1>{word} {i}</h1>"
            + "".join(f"<p>{PARAGRAPH.format(n=f'{word} {i} {j}')}</p>" for j in range(3))
            + "</article></body></html>", encoding="utf-8")
    return folder


def test_a_relative_warehouse_path_names_one_warehouse_for_the_whole_run(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Two projects run with `--warehouse w.duckdb` (relative) and one staging folder ($NEWSDEDUP_STAGING set
    for the machine). The plan recorded the path as given, so the other project's next run, resolving it
    in its own directory, took the first one's failed load for its own and loaded that project's
    articles into its own warehouse (and its maintenance would have removed the other's run folders)."""
    stage = tmp_path / "shared-staging"
    one, two = tmp_path / "one", tmp_path / "two"
    src_one = _sources(tmp_path / "one.yaml", [{"name": "alpha", "url": str(_drop_folder(one / "drop", 2, "alpha")),
                                                "kind": "dir", "settle_seconds": 0, "base_url": "https://alpha.example.org/"}])
    src_two = _sources(tmp_path / "two.yaml", [{"name": "beta", "url": str(_drop_folder(two / "drop", 2, "beta")),
                                                "kind": "dir", "settle_seconds": 0, "base_url": "https://beta.example.org/"}])
    monkeypatch.setenv("NEWSDEDUP_LOCK_PATIENCE", "1")
    monkeypatch.chdir(one)
    with wh.writer("w.duckdb"):
        pass
    sys.path.insert(0, str(Path(__file__).parent))
    from lockholder import holding_the_lock

    with holding_the_lock(one / "w.duckdb"), pytest.raises(wh.WarehouseLocked):
        run_pipeline(str(src_one), "w.duckdb", str(stage))
    monkeypatch.chdir(two)
    run_pipeline(str(src_two), "w.duckdb", str(stage))
    assert _q(two / "w.duckdb", "SELECT DISTINCT source FROM articles") == [("beta",)]
    monkeypatch.chdir(one)
    run_pipeline(str(src_one), "w.duckdb", str(stage))  # adopts its own failed run: nothing fetched twice
    assert _q(one / "w.duckdb", "SELECT source, count(*) FROM articles GROUP BY 1") == [("alpha", 2)]


# ------------------------------------------------------------- a drop folder fed by tar, rsync -a or cp -p
def test_a_file_dropped_with_its_original_older_mtime_is_read(tmp_path: Path) -> None:
    """`tar x`, `rsync -a`, `cp -p` and `unzip` keep a file's modification time: a story extracted into
    a `dir` source after a run, dated before that run's newest file, sorted before the folder's cursor
    and was never read (no warning, no fetch_log row)."""
    folder = _drop_folder(tmp_path / "drop", 2, "first")
    src = _sources(tmp_path / "s.yaml", [{"name": "drop", "url": str(folder), "kind": "dir", "settle_seconds": 0,
                                          "base_url": "https://drop.example.org/"}])
    wpath = tmp_path / "w.duckdb"
    run_pipeline(str(src), str(wpath), str(tmp_path / "st"))
    late = _drop_folder(tmp_path / "archive", 1, "late") / "late0.html"
    os.utime(late, (1_600_000_000, 1_600_000_000))  # written in 2020, as the archive says
    shutil.copy2(late, folder / "late0.html")  # what tar x / rsync -a / cp -p do
    second = run_pipeline(str(src), str(wpath), str(tmp_path / "st"))
    assert second.sources[0]["new"] == 1, second.sources[0]
    assert _q(wpath, "SELECT count(*) FROM articles WHERE url LIKE '%late0.html'") == [(1,)]
    third = run_pipeline(str(src), str(wpath), str(tmp_path / "st"))
    assert third.sources[0]["not_modified"], third.sources[0]


# ------------------------------------------------------------- who may read the snapshot
def test_the_snapshot_keeps_the_permissions_the_operator_gave_it(tmp_path: Path) -> None:
    """The operator shares the readers' snapshot with the analysts (`chgrp analysts`, `chmod 640`). Every
    publish replaced it with a new file made under the loader's umask and primary group: with a service's
    umask 077 the analysts lost access after the next run (each run, for good)."""
    folder = _drop_folder(tmp_path / "drop", 1, "first")
    src = _sources(tmp_path / "s.yaml", [{"name": "drop", "url": str(folder), "kind": "dir", "settle_seconds": 0,
                                          "base_url": "https://drop.example.org/"}])
    wpath = tmp_path / "w.duckdb"
    run_pipeline(str(src), str(wpath), str(tmp_path / "st"))
    snap = wh.snapshot_path(wpath)
    groups = [g for g in os.getgroups() if g != snap.stat().st_gid] if os.geteuid() != 0 else [65534]
    gid = groups[0] if groups else snap.stat().st_gid
    os.chown(snap, -1, gid)
    snap.chmod(0o640)
    _drop_folder(tmp_path / "drop" / "more", 1, "second")
    old = os.umask(0o077)  # a service's umask
    try:
        second = run_pipeline(str(src), str(wpath), str(tmp_path / "st"))
    finally:
        os.umask(old)
    assert second.added["articles"] == 1
    st = snap.stat()
    assert oct(st.st_mode & 0o777) == oct(0o640)
    assert st.st_gid == gid
    assert _q(wpath, "SELECT count(*) FROM articles") == [(2,)]


# ------------------------------------------------------------- a WARC file a crawler is still writing
def _append_warc(path: Path, numbers: range) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("ab") as fh:
        w = WARCWriter(fh, gzip=True)
        for i in numbers:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            body = (f"<html lang='en'><head><title>Crawled {i}</title></head><body><article><h1>Crawled {i}</h1>"
                    + "".join(f"<p>{PARAGRAPH.format(n=f'crawled {i} {j}')}</p>" for j in range(3))
                    + "</article></body></html>").encode()
            w.write_record(w.create_warc_record(f"https://crawl.example.org/{i}.html", "response",
                                                payload=io.BytesIO(body), http_headers=http))


def test_records_a_crawler_appends_to_a_warc_after_a_run_are_read(tmp_path: Path) -> None:
    """`wget --warc-file` writes its WARC as it crawls. A run that read the file to its end marked it
    done for good: records appended later, and the rest of a record caught half-written, were never read
    ("no new WARC records")."""
    warc = tmp_path / "crawl.warc.gz"
    _append_warc(warc, range(2))
    src = _sources(tmp_path / "s.yaml", [{"name": "crawl", "url": str(warc), "kind": "warc"}])
    wpath = tmp_path / "w.duckdb"

    def run() -> dict[str, Any]:
        return run_pipeline(str(src), str(wpath), str(tmp_path / "st")).sources[0]

    assert run()["new"] == 2
    _append_warc(warc, range(2, 4))
    assert run()["new"] == 2
    whole = warc.read_bytes()
    _append_warc(warc, range(4, 6))
    written = warc.read_bytes()
    warc.write_bytes(written[:len(whole) + (len(written) - len(whole)) * 3 // 4])  # caught mid-record
    assert run()["new"] == 1
    warc.write_bytes(written)
    assert run()["new"] == 1
    assert run()["not_modified"]
    assert _q(wpath, "SELECT count(*), count(DISTINCT url) FROM articles") == [(6, 6)]


# ------------------------------------------------------------- readers and a second plan during a long load
LOADING = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("BEGIN")
# a big load's rows: DuckDB writes full row groups to the file before the commit
con.execute("CREATE TABLE loading AS SELECT range AS i, 'row ' || range AS s FROM range(1000000)")
print("loading", flush=True)
sys.stdin.read()
con.execute("ROLLBACK")
"""


def test_sql_and_a_second_plan_read_the_snapshot_while_a_load_writes(tmp_path: Path) -> None:
    """While a long load's transaction was open, DuckDB had written to the main file, so the snapshot
    was taken for stale ("a load committed after it was published": nothing had). `newsdedup sql`
    waited for the writer lock and failed (exit 2) and a second run's plan waited out the lock patience
    and failed, during every long load, though the snapshot was the last load's, as promised."""
    folder = _drop_folder(tmp_path / "drop", 2, "first")
    src = _sources(tmp_path / "s.yaml", [{"name": "drop", "url": str(folder), "kind": "dir", "settle_seconds": 0,
                                          "base_url": "https://drop.example.org/"}])
    wpath = tmp_path / "w.duckdb"
    run_pipeline(str(src), str(wpath), str(tmp_path / "st"))
    env = {**os.environ, "NEWSDEDUP_LOCK_PATIENCE": "1"}
    load = subprocess.Popen([sys.executable, "-c", LOADING, str(wpath)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert load.stdout is not None and load.stdout.readline().strip() == "loading"
        assert wpath.stat().st_mtime_ns > wh.snapshot_path(wpath).stat().st_mtime_ns  # what it looked like
        proc = subprocess.run([str(Path(sys.executable).with_name("newsdedup")), "sql", "--json",
                               "SELECT count(*) AS n FROM articles", "--warehouse", str(wpath)],
                              capture_output=True, text=True, timeout=120, env=env)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == '{"n": 2}'
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("NEWSDEDUP_LOCK_PATIENCE", "1")
            from newsdedup import pipeline

            ref = pipeline.plan("second", sources_file=str(src), staging=str(tmp_path / "st"),
                                warehouse=str(wpath))
            assert [s["name"] for s in ref["sources"]] == ["drop"]
    finally:
        assert load.stdin is not None
        load.stdin.close()
        load.wait(timeout=60)


# ------------------------------------------------------------- a warehouse reached through a symlink
def test_commits_left_in_the_wal_are_seen_through_a_symlinked_warehouse(tmp_path: Path) -> None:
    """`var/warehouse.duckdb` a symlink to a bigger disk. DuckDB keeps the write-ahead log beside the
    file the link names; the snapshot check looked beside the link, so a load killed after its commit
    (its rows in the WAL alone) left a snapshot taken for up to date: no plan or `newsdedup snapshot`
    rebuilt it, and readers and the next run's look-ups missed that load until another one."""
    disk = tmp_path / "disk"
    disk.mkdir()
    with wh.writer(disk / "warehouse.duckdb"):
        pass
    link = tmp_path / "warehouse.duckdb"
    link.symlink_to(disk / "warehouse.duckdb")
    with wh.writer(link):
        pass  # the snapshot beside the link
    killed = ("import duckdb, os, sys\n"
              "con = duckdb.connect(sys.argv[1])\n"
              "con.execute(\"INSERT INTO ingest_runs (run_id, status) VALUES ('killed', 'success')\")\n"
              "os._exit(0)\n")  # killed after the commit, before any checkpoint
    subprocess.run([sys.executable, "-c", killed, str(link)], check=True, timeout=120)
    assert wh.snapshot_problem(link) is not None
    proc = subprocess.run([str(Path(sys.executable).with_name("newsdedup")), "snapshot", "--warehouse", str(link)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "rebuilt" in proc.stdout, proc.stdout + proc.stderr
    assert _q(link, "SELECT count(*) FROM ingest_runs WHERE run_id = 'killed'") == [(1,)]
