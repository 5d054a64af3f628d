"""The fifteenth attacker probe (session 41): what the web and files send that the fourteen probes before it did
not try or left open: the headers of WARC records and the files of `dir` sources, line breaks before a status
line (read in one place), Content-Disposition, and truncated or partial responses. Each test of a fix failed on
the code before it; the `test_held_*` ones record what held. Network tests run against real servers on
127.0.0.1, file tests on real files."""

from __future__ import annotations

import itertools
import socket
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fetch"))

from local_server import STORY_TEXTS, TestServer, canned_server, pipeline_run, story_page  # noqa: E402
from test_protocol_probe import KeepAlive, ok  # noqa: E402

from newsdedup import warehouse as wh  # noqa: E402
from newsdedup.config import Settings, SourceSpec  # noqa: E402
from newsdedup.fetch import Fetcher  # noqa: E402
from newsdedup.sources import discover  # noqa: E402

SETTINGS = Settings(allow_private_networks=True, connect_timeout=1.0, read_timeout=1.0, total_timeout=5.0,
                    max_bytes=1_000_000, retries=0, backoff_base=0.02, backoff_max=1.0, respect_robots=False)
PAGES = [story_page(f"Story {i}", text) for i, text in enumerate(STORY_TEXTS)]
PAGE = PAGES[0]


@pytest.fixture
def server() -> TestServer:
    with TestServer() as srv:
        yield srv


# --- 1. line breaks before a status line: skipped in one place, before every head ------------------------------


@pytest.mark.parametrize("answer", [
    b"HTTP/1.1 100 Continue\r\n\r\n\r\n" + ok(PAGE),
    b"HTTP/1.1 100 Continue\r\n\r\n\n\n" + ok(PAGE),
    b"\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n\r\n\r\n" + ok(PAGE),
], ids=["crlf-after-100", "lf-after-100", "around-103"])
def test_line_breaks_after_an_interim_answer_lose_no_page(answer: bytes) -> None:
    # RFC 9112 §2.2 lets a reader skip empty lines before a message, and the final response after a 100 or 103
    # is one. The skip was written twice (`_Stream._heads` passed them on, `_Framing.received` dropped them
    # before the first status line only): after an interim answer they reached h11, and the page was a
    # `connection_error` ("no response line received").
    with canned_server(answer) as srv, Fetcher(SETTINGS) as f:
        res = f.fetch(srv.url("/story"))
    assert (res.error, res.status, res.body) == (None, 200, PAGE), res.detail


def test_line_breaks_dripped_a_read_each_before_the_status_line_and_after_a_100_lose_no_page() -> None:
    from local_server import RawServer

    def drip(conn: socket.socket) -> None:
        conn.recv(65536)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for piece in [b"\r\n", b"\n", b"HTTP/1.1 100 Continue\r\n\r\n", b"\r\n", b"\r", b"\n", ok(PAGE)]:
            conn.sendall(piece)
            time.sleep(0.05)  # each piece its own read on the client's side
        conn.shutdown(socket.SHUT_WR)

    with RawServer(drip) as srv, Fetcher(SETTINGS) as f:
        res = f.fetch(srv.url("/story"))
    assert (res.error, res.body) == (None, PAGE), res.detail


def test_held_a_kept_alive_connection_closed_after_line_breaks_only_is_no_answer() -> None:
    # A server closing a kept-alive connection as the next request arrives, having sent only a stray line end:
    # no answer began, so the GET goes again on a new connection (`_Framing.answered`), as before the skip moved.
    tries = itertools.count()

    def b(conn: socket.socket) -> None:
        if next(tries) == 0:
            conn.sendall(b"\r\n")
            conn.shutdown(socket.SHUT_WR)
        else:
            conn.sendall(ok(PAGES[1]))

    srv = KeepAlive({"/a": ok(PAGE), "/b": b})
    with srv, Fetcher(SETTINGS) as f:
        first, second = f.fetch(srv.url("/a")), f.fetch(srv.url("/b"))
    assert (first.error, second.error) == (None, None), second.detail
    assert second.body == PAGES[1] and len(second.attempts) == 1
    assert [n for n, _ in srv.served] == [0, 0, 1]


# --- 4. Content-Disposition: a page a browser downloads is no page ---------------------------------------------


@pytest.mark.parametrize("value", [
    'attachment; filename="story.html"',
    "ATTACHMENT",
    'attachment; filename="../../../etc/cron.d/x.html"',
    "download; filename=story.html",  # a type browsers do not know: a download (RFC 6266 §4.2, Chromium, Firefox)
])
def test_a_page_served_as_an_attachment_is_not_stored(server: TestServer, value: str) -> None:
    # Browsers save it as a file and show no page; it was stored as an article (and a path in its filename was
    # carried nowhere: nothing here is written under a name a server gives).
    url = server.static("/story", PAGE, headers={"Content-Disposition": value})
    with Fetcher(SETTINGS) as f:
        res = f.fetch(url)
    assert res.error == "attachment" and res.body is None, (res.error, res.detail)
    assert value[:20] in (res.detail or "")


@pytest.mark.parametrize("value", ["inline", 'inline; filename="story.html"', "filename=story.html", "",
                                   '"attachment"'])  # fmt: skip
def test_held_a_page_served_inline_or_with_no_disposition_type_is_read(server: TestServer, value: str) -> None:
    # `filename=x` alone (broken servers) is inline to Firefox and Chromium; a quoted type is no token: no type.
    url = server.static("/story", PAGE, headers={"Content-Disposition": value})
    with Fetcher(SETTINGS) as f:
        res = f.fetch(url)
    assert (res.error, res.body) == (None, PAGE), res.detail


def test_held_a_feed_served_as_an_attachment_is_read(server: TestServer) -> None:
    # WordPress and feed plugins send feeds with `attachment; filename=feed.xml`; feed readers read them.
    items = "".join(f"<item><title>S{i}</title><link>{server.url(f'/s{i}')}</link></item>" for i in range(2))
    url = server.static("/feed.xml", f"<rss version='2.0'><channel><title>F</title>{items}</channel></rss>",
                        "application/rss+xml", headers={"Content-Disposition": "attachment; filename=feed.xml"})
    with Fetcher(SETTINGS) as f:
        d = discover(SourceSpec("f", url, "rss"), SETTINGS, f, None)
    assert d.error is None and [e.url for e in d.entries] == [server.url("/s0"), server.url("/s1")], d.detail


def test_an_attachment_page_reaches_the_warehouse_as_a_failed_fetch(tmp_path: Path, server: TestServer) -> None:
    server.static("/s0", PAGES[0], headers={"Content-Disposition": "attachment; filename=s0.html"})
    server.static("/s1", PAGES[1])
    items = "".join(f"<item><title>S{i}</title><link>{server.url(f'/s{i}')}</link></item>" for i in range(2))
    feed = server.static("/feed.xml", f"<rss version='2.0'><channel><title>F</title>{items}</channel></rss>",
                         "application/rss+xml")
    pipeline_run(tmp_path, [{"name": "f", "url": feed, "kind": "rss"}], "r1")
    db = tmp_path / "w.duckdb"
    assert [r[0] for r in wh.query_rows(db, "SELECT url FROM articles")[1]] == [server.url("/s1")]
    assert wh.query_rows(db, "SELECT error FROM fetch_log WHERE url LIKE '%/s0'")[1] == [("attachment",)]


# --- 5. partial and short responses: guards --------------------------------------------------------------------


@pytest.mark.parametrize("answer, error", [
    (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 99999\r\n\r\n" + PAGE, "connection_error"),
    (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 10\r\nContent-Length: %d\r\n\r\n" % len(PAGE)
     + PAGE, "connection_error"),
    (b"HTTP/1.1 206 Partial Content\r\nContent-Type: text/html\r\nContent-Range: bytes 0-99/9999\r\n"
     b"Content-Length: 100\r\n\r\n" + PAGE[:100], "http_206"),
], ids=["short-of-content-length", "two-lengths", "206-unasked"])
def test_held_a_half_page_from_the_network_is_never_a_page(answer: bytes, error: str) -> None:
    with canned_server(answer) as srv, Fetcher(SETTINGS) as f:
        res = f.fetch(srv.url("/story"))
    assert res.error == error and res.body is None, (res.error, res.detail)


@pytest.mark.parametrize("location", ["../../../../s1", "/a/%2e%2e/s1", "\t/s1\n", "/a/b/./../../s1"])
def test_held_a_location_with_dot_segments_is_resolved_as_browsers_resolve_it(server: TestServer,
                                                                              location: str) -> None:  # fmt: skip
    server.static("/s1", PAGES[1])
    url = server.route("/x/y/z", lambda r: r.send(302, b"", {"Location": location}))
    with Fetcher(SETTINGS) as f:
        res = f.fetch(url)
    assert (res.error, res.final_url, res.body) == (None, server.url("/s1"), PAGES[1]), res.detail
