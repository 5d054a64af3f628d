"""Feeds behind HTTP Basic auth (issue 10): credentials in a source URL are sent as an Authorization
header to that origin only, and never stored or logged. Real servers on 127.0.0.1 that demand them."""

from __future__ import annotations

import base64
import json
import logging
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from local_server import Request, TestServer

from newsdedup import tasks
from newsdedup import warehouse as wh
from newsdedup.config import Settings
from newsdedup.fetch import Fetcher
from newsdedup.pipeline import run_pipeline

USER, PASSWORD = "alice", "s3cr3t/p@ss:w0rd"
TOKEN = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
# Every spelling of the password that could leak: as typed, percent-encoded, inside the header.
SECRETS = (PASSWORD, quote(PASSWORD, safe=""), TOKEN)

ARTICLE = """<html lang="en"><head><title>{t}</title></head><body><article><h1>{t}</h1>
<p>The members-only bulletin reports that the harbour authority approved a second container terminal
on Monday after a two-year review of its effect on shipping lanes and the estuary's bird colonies.</p>
<p>Fishermen's groups said the decision ignored their concerns about silt, while the port's chief
executive promised a monitoring programme paid for by the operators of the new terminal.</p>
<p>{t}: construction is expected to begin next spring and to take about three years.</p>
</article></body></html>"""


def _private_site(srv: TestServer, seen: list[tuple[str, str | None]]) -> None:
    """Every path of `srv` answers 401 unless the request carries alice's Basic credentials."""

    def guarded(body: bytes, ctype: str):
        def handler(req: Request) -> None:
            auth = req.headers.get("Authorization")
            seen.append((req.path, auth))
            if auth != f"Basic {TOKEN}":
                req.send(401, b"members only", {"WWW-Authenticate": 'Basic realm="members"'}, "text/plain")
            else:
                req.send(200, body, content_type=ctype)
        return handler

    items = "".join(f"<item><title>Story {i}</title><link>{srv.url(f'/story/{i}')}</link></item>" for i in (1, 2))
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Members</title>{items}</channel></rss>'
    srv.route("/feed.xml", guarded(feed.encode(), "application/rss+xml"))
    srv.route("/robots.txt", guarded(b"User-agent: *\nDisallow:\n", "text/plain"))
    for i in (1, 2):
        srv.route(f"/story/{i}", guarded(ARTICLE.format(t=f"Harbour terminal {i}").encode(), "text/html"))


def _with_credentials(url: str) -> str:
    return url.replace("http://", f"http://{USER}:{quote(PASSWORD, safe='')}@", 1)


def test_feed_behind_basic_auth_loads_and_the_password_is_stored_nowhere(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:  # fmt: skip
    caplog.set_level(logging.DEBUG)  # every logger, httpx and httpcore included
    seen: list[tuple[str, str | None]] = []
    with TestServer() as srv:
        _private_site(srv, seen)
        cfg = tmp_path / "sources.yaml"
        cfg.write_text(yaml.safe_dump({
            "settings": {"allow_private_networks": True, "retries": 0},
            "sources": [{"name": "members", "url": _with_credentials(srv.url("/feed.xml")), "kind": "rss"}],
        }))  # fmt: skip
        warehouse = tmp_path / "w.duckdb"
        summary = run_pipeline(sources_file=str(cfg), warehouse=str(warehouse), staging=str(tmp_path / "st"))

    # The feed, its pages and robots.txt were all asked for with the header, and all answered.
    assert sorted(p for p, _ in seen) == ["/feed.xml", "/robots.txt", "/story/1", "/story/2"]
    assert all(auth == f"Basic {TOKEN}" for _, auth in seen)
    titles = sorted(r[0] for r in wh.query_rows(warehouse, "SELECT title FROM articles")[1])
    assert titles == ["Harbour terminal 1", "Harbour terminal 2"]
    assert wh.query_rows(warehouse, "SELECT url FROM sources")[1] == [(srv.url("/feed.xml"),)]
    assert wh.query_rows(warehouse, "SELECT count(*) FROM fetch_log WHERE error IS NOT NULL")[1] == [(0,)]

    # Nothing stored or said anywhere holds the password: every row of every table, the run's log
    # records (with their arguments), its summary.
    tables = [r[0] for r in wh.query_rows(warehouse, "SELECT table_name FROM information_schema.tables")[1]]
    assert {"sources", "fetch_log", "articles", "raw_pages"} <= set(tables)
    for table in tables:
        for row in wh.query_rows(warehouse, f'SELECT * FROM "{table}"')[1]:
            text = repr(row)
            assert not any(s in text for s in SECRETS), (table, row)
            assert f"{USER}:" not in text, (table, row)
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert "members" in logged and not any(s in logged for s in SECRETS)
    said = summary.text() + json.dumps(summary.to_dict(), default=str)
    assert not any(s in said for s in SECRETS)


def test_airflow_jobs_carry_source_names_not_urls(tmp_path: Path) -> None:
    # XComs are stored in Airflow's database and shown in its UI: the plan passes names only.
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(yaml.safe_dump({"sources": [
        {"name": "members", "url": f"https://{USER}:{quote(PASSWORD, safe='')}@news.example/feed.xml"}]}))
    params = {"sources_file": str(cfg), "staging": str(tmp_path / "st"), "warehouse": str(tmp_path / "w.duckdb")}
    jobs = tasks.plan({"run_id": "manual__creds", "params": params})
    assert [j["source"] for j in jobs] == ["members"]
    assert not any(s in json.dumps(jobs) for s in SECRETS)


def test_credentials_go_to_their_origin_only(settings: Settings) -> None:
    seen_a: list[tuple[str, str | None]] = []
    seen_b: list[tuple[str, str | None]] = []

    def record(seen: list[tuple[str, str | None]], then):
        def handler(req: Request) -> None:
            seen.append((req.path, req.headers.get("Authorization")))
            then(req)
        return handler

    page = ARTICLE.format(t="x").encode()
    with TestServer() as a, TestServer() as b:
        b_page = b.url("/page")
        a.route("/robots.txt", record(seen_a, lambda r: r.send(404, b"", content_type="text/plain")))
        a.route("/same", record(seen_a, lambda r: r.send(302, b"", {"Location": "/page"})))
        a.route("/page", record(seen_a, lambda r: r.send(200, page)))
        a.route("/away", record(seen_a, lambda r: r.send(302, b"", {"Location": b_page})))
        # A server that hands out credentials for another host gets them ignored, not used or logged.
        a.route("/planted", record(seen_a, lambda r: r.send(
            302, b"", {"Location": b_page.replace("http://", "http://mallory:hunter2@")})))
        b.route("/robots.txt", record(seen_b, lambda r: r.send(404, b"", content_type="text/plain")))
        b.route("/page", record(seen_b, lambda r: r.send(200, page)))
        with Fetcher(settings) as f:
            same = f.fetch(_with_credentials(a.url("/same")))
            away = f.fetch(_with_credentials(a.url("/away")))
            planted = f.fetch(a.url("/planted"))
            side = f.drain_side_attempts()

    assert same.error is None and same.final_url == a.url("/page")
    assert away.error is None and away.final_url == b_page
    assert planted.error is None and planted.final_url == b_page
    # Same origin (the redirect target, robots.txt): with the header. The other host: never.
    assert {p: auth for p, auth in seen_a} == {p: f"Basic {TOKEN}" for p in
                                               ("/robots.txt", "/same", "/page", "/away", "/planted")}  # fmt: skip
    assert [p for p, _ in seen_b] == ["/robots.txt", "/page", "/page"] and all(auth is None for _, auth in seen_b)
    recorded = [same.url, away.url, *(x.url for r in (same, away, planted) for x in r.attempts),
                *(x.final_url or "" for r in (same, away, planted) for x in r.attempts), *(x.url for x in side)]
    assert same.url == a.url("/same")
    assert not any(s in u or "mallory" in u or "hunter2" in u for u in recorded for s in SECRETS)
