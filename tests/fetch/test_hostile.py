"""A hostile server holding or breaking a fetch (issue 10), each against a real server on 127.0.0.1.

The total deadline bounds one `Fetcher.fetch` call from start to end; nothing a server sends (or
fails to send) may hold it longer or make it raise.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import replace

import pytest
from local_server import RawServer, Request, TestServer

from newsdedup.config import Settings
from newsdedup.fetch import Fetcher

PAGE = b"<!DOCTYPE html><html><head><title>t</title></head><body><p>Hello</p></body></html>"


def _drip(req: Request, data: bytes, stop: threading.Event, every: float = 0.2) -> None:
    """Send `data` one byte at a time, `every` seconds apart, until done or told to stop."""
    req.handler.close_connection = True
    for i in range(len(data)):
        if stop.wait(every):
            return
        req.write(data[i : i + 1])


def test_dripping_headers_hit_total_timeout(server: TestServer, settings: Settings) -> None:
    # A byte every 0.2 s never trips the 1 s read timeout, and the status line and headers take
    # ~40 s to arrive: only a deadline over the whole request stops this.
    head = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"a" * 120
            + b"\r\nContent-Length: " + str(len(PAGE)).encode() + b"\r\n\r\n")  # fmt: skip
    stop = threading.Event()
    finished = threading.Event()

    def drip(req: Request) -> None:
        _drip(req, head + PAGE, stop)
        finished.set()

    url = server.route("/drip-headers", drip)
    try:
        r = _fetch_in_thread(replace(settings, total_timeout=1.0, read_timeout=1.0, retries=2), url,
                             limit=30.0)  # fmt: skip
        assert r is not None, "fetch still running after 30 s"
        assert not finished.is_set()  # returned while the server was still dripping
        assert r.error == "timeout" and r.body is None and "total" in (r.detail or "")
        assert r.attempts and r.attempts[-1].error == "timeout"
    finally:
        stop.set()


def _fetch_in_thread(settings: Settings, url: str, limit: float, **kw: object):
    """Run a fetch in a thread and return its result, or None if it is still running after `limit`
    seconds (so a regression fails the test instead of hanging the suite)."""
    out: list[object] = []

    def run() -> None:
        with Fetcher(settings) as f:
            out.append(f.fetch(url, **kw))

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(limit)
    return out[0] if out else None


def test_dripping_tls_handshake_hits_total_timeout(settings: Settings) -> None:
    # The server announces a 16,000-byte handshake record and sends it a byte every 0.2 s: the TLS
    # handshake is one call bounded only by the connect timeout (60 s here), not by the total.
    stop = threading.Event()

    def handshake(conn: socket.socket) -> None:
        conn.recv(65536)  # the ClientHello
        record = b"\x16\x03\x03\x3e\x80" + b"\x02" * 16000
        for i in range(len(record)):
            if stop.wait(0.2):
                return
            conn.sendall(record[i : i + 1])

    try:
        with RawServer(handshake) as srv:
            s = replace(settings, total_timeout=1.0, read_timeout=1.0, connect_timeout=60.0, respect_robots=False)
            r = _fetch_in_thread(s, srv.url("/", scheme="https"), limit=20.0)
            assert r is not None, "fetch still running after 20 s"
            assert r.error == "timeout" and "total" in (r.detail or "") and r.body is None
    finally:
        stop.set()


def test_retry_waits_count_against_total_timeout(server: TestServer, settings: Settings) -> None:
    # Retry-After 2 s is within backoff_max, but the fetch has only 1 s in all: it must not sleep
    # past its deadline to try again.
    url = server.static("/busy", b"busy", "text/plain", status=503, headers={"Retry-After": "2"})
    r = _fetch_in_thread(replace(settings, total_timeout=1.0, backoff_max=5.0, retries=3), url, limit=30.0)
    assert r is not None
    assert r.error == "http_503" and len(r.attempts) == 1 == server.hits["/busy"]
    assert "no time left for a retry" in (r.detail or "")


def test_robots_txt_shares_the_page_deadline(server: TestServer, settings: Settings) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Padding: " + b"a" * 200 + b"\r\n\r\n"
    stop = threading.Event()
    server.route("/robots.txt", lambda req: _drip(req, head, stop))
    url = server.static("/page", PAGE)
    try:
        with Fetcher(replace(settings, total_timeout=1.0, retries=0)) as f:
            r = f.fetch(url)
            side = f.drain_side_attempts()
        assert r.error == "timeout" and "robots.txt" in (r.detail or "") and server.hits["/page"] == 0
        assert [a.error for a in side] == ["timeout"]
    finally:
        stop.set()


def test_politeness_waits_do_not_count_against_total_timeout(server: TestServer, settings: Settings) -> None:
    # Crawl-delay 1.5 s spaces the requests to this host; our own waiting is not the server's doing.
    server.static("/robots.txt", "User-agent: *\nCrawl-delay: 1.5\n", "text/plain")
    urls = [server.static(f"/p{i}", PAGE) for i in range(2)]
    with Fetcher(replace(settings, total_timeout=1.0)) as f:
        results = [f.fetch(u) for u in urls]
    assert [r.error for r in results] == [None, None]


def _raw(data: bytes):
    """A route that writes `data` as the whole response, whatever it is, then closes."""

    def handler(req: Request) -> None:
        req.handler.close_connection = True
        req.write(data)

    return handler


def _redirect(location: bytes) -> bytes:
    return b"HTTP/1.1 302 Found\r\nLocation: " + location + b"\r\nContent-Length: 0\r\n\r\n"


def _ok_with(headers: bytes, body: bytes = PAGE) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + headers + b"\r\n" + body


@pytest.mark.parametrize(
    ("response", "error"),
    [
        # Redirects to what is not a web page: never followed, no retry, the Location named.
        (_redirect(b"file:///etc/passwd"), "invalid_url"),
        (_redirect(b"ftp://example.org/feed.xml"), "invalid_url"),
        (_redirect(b"data:text/html,<p>planted</p>"), "invalid_url"),
        (_redirect(b"javascript:alert(1)"), "invalid_url"),
        (_redirect(b"http://[::1"), "invalid_url"),
        (_redirect(b"http://evil host/"), "invalid_url"),
    ],
)
def test_bad_redirect_target_is_refused_once(server: TestServer, settings: Settings, response: bytes,
                                             error: str) -> None:  # fmt: skip
    url = server.route("/moved", _raw(response))
    with Fetcher(settings) as f:
        r = f.fetch(url)
    assert r.error == error and len(r.attempts) == 1 == server.hits["/moved"]
    assert "Location" in (r.detail or "") or "non-http" in (r.detail or "")


@pytest.mark.parametrize(
    ("response", "errors"),
    [
        # A length over the cap is refused before the body is read; absurd ones are named (session 43).
        (_ok_with(b"Content-Length: 10000000000\r\n"), {"too_large"}),
        (_ok_with(b"Content-Length: " + b"9" * 40 + b"\r\n"), {"invalid_content_length"}),
        (_ok_with(b"Content-Length: -1\r\n"), {"invalid_content_length"}),
        (_ok_with(b"Content-Length: 5\r\nContent-Length: 50\r\n"), {"invalid_content_length"}),
        # Retry-After of years (seconds, an HTTP date in 9999, 400 digits): not waited for.
        (b"HTTP/1.1 503 Busy\r\nRetry-After: 315360000\r\nContent-Length: 0\r\n\r\n", {"http_503"}),
        (b"HTTP/1.1 429 Busy\r\nRetry-After: Fri, 31 Dec 9999 23:59:59 GMT\r\nContent-Length: 0\r\n\r\n",
         {"http_429"}),  # fmt: skip
        (b"HTTP/1.1 429 Busy\r\nRetry-After: " + b"9" * 400 + b"\r\nContent-Length: 0\r\n\r\n", {"http_429"}),
        # A Retry-After byte Python calls a digit ("\xb2" is a superscript two in Latin-1).
        (b"HTTP/1.1 429 Busy\r\nRetry-After: \xb2\r\nContent-Length: 0\r\n\r\n", {"http_429"}),
        # 2 MB of headers (named since session 42), a NUL in a header, no status line at all (HTTP/0.9), a status of 999.
        (b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-H%d: %s\r\n" % (i, b"a" * 100) for i in range(20_000)),
         {"headers_too_large"}),  # fmt: skip
        (_ok_with(b"X-Bad: a\x00b\r\nContent-Length: 5\r\n", b"hello"), {"connection_error"}),
        (PAGE, {"connection_error"}),
        (b"HTTP/1.1 999 Whatever\r\nContent-Length: 0\r\n\r\n", {"http_999"}),
        # Thousands of Content-Encoding layers over ten bytes of nothing.
        (_ok_with(b"Content-Encoding: " + b"gzip, " * 5000 + b"gzip\r\nContent-Length: 10\r\n", b"0123456789"),
         {"bad_encoding"}),  # fmt: skip
    ],
)
def test_hostile_response_ends_in_a_recorded_error(server: TestServer, settings: Settings, response: bytes,
                                                   errors: set[str]) -> None:  # fmt: skip
    url = server.route("/hostile", _raw(response))
    r = _fetch_in_thread(replace(settings, backoff_max=1.0), url, limit=30.0)
    assert r is not None and r.error in errors and r.body is None, (r and (r.error, r.detail))
    assert r.attempts and all(a.error for a in r.attempts)
    assert len(r.attempts) <= settings.retries + 1


def test_endless_informational_responses_hit_total_timeout(server: TestServer, settings: Settings) -> None:
    # "103 Early Hints" after "103 Early Hints", fast: every read succeeds, no final response ever.
    stop = threading.Event()

    def hints(req: Request) -> None:
        req.handler.close_connection = True
        while not stop.wait(0.01):
            req.write(b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n")

    url = server.route("/hints", hints)
    try:
        r = _fetch_in_thread(replace(settings, total_timeout=1.0, retries=0), url, limit=30.0)
        assert r is not None, "fetch still running after 30 s"
        assert r.error == "timeout" and "total" in (r.detail or "")
    finally:
        stop.set()


def test_validators_that_cannot_be_sent_back_are_left_out(server: TestServer, settings: Settings) -> None:
    # A feed whose ETag and Last-Modified are not ASCII: the next conditional GET must still work
    # (sending them back failed every later fetch of the feed with an internal error).
    feed = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
    conditional: list[tuple[str | None, str | None]] = []

    def handler(req: Request) -> None:
        conditional.append((req.headers.get("If-None-Match"), req.headers.get("If-Modified-Since")))
        req.handler.close_connection = True
        req.write(b'HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nETag: "caf\xc3\xa9"\r\n'
                  b"Last-Modified: Mon, 06 May 2024 10:00:00 GMT\xff\r\nContent-Length: %d\r\n\r\n" % len(feed)
                  + feed)  # fmt: skip

    url = server.route("/feed.xml", handler)
    with Fetcher(settings) as f:
        first = f.fetch(url, accept="feed")
        second = f.fetch(url, accept="feed", etag=first.etag, last_modified=first.last_modified)
        third = f.fetch(url, accept="feed", etag='"a\nb"', last_modified="\x00")
    assert first.error is None and first.etag and not first.etag.isascii()
    assert second.error is None and second.body == feed
    assert third.error is None and third.body == feed
    assert conditional == [(None, None)] * 3


def test_cookie_that_cannot_be_sent_back_is_not_kept(server: TestServer, settings: Settings) -> None:
    # A Set-Cookie with Latin-1 bytes made every later request to the host fail (internal_error).
    cookies: list[str | None] = []

    def handler(req: Request) -> None:
        cookies.append(req.headers.get("Cookie"))
        req.handler.close_connection = True
        req.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nSet-Cookie: bad=\xff\xfe; Path=/\r\n"
                  b"Set-Cookie: good=1; Path=/\r\nContent-Length: %d\r\n\r\n" % len(PAGE) + PAGE)  # fmt: skip

    url = server.route("/c", handler)
    with Fetcher(settings) as f:
        results = [f.fetch(url) for _ in range(3)]
    assert [r.error for r in results] == [None, None, None]
    assert cookies == [None, "good=1", "good=1"]


def test_cookies_a_server_piles_up_are_capped_per_domain(server: TestServer, settings: Settings) -> None:
    # 200 new cookies on every response: unbounded, the 5th request carried 800 of them (the 60th
    # of a real run 60,000: a 5 MB Cookie header built in the fetcher's CPU time, outside the deadline).
    sent: list[str] = []

    def handler(req: Request) -> None:
        sent.append(req.headers.get("Cookie") or "")
        n = len(sent)
        jar = b"".join(b"Set-Cookie: c%d_%d=%s; Path=/\r\n" % (n, i, b"v" * 20) for i in range(200))
        req.handler.close_connection = True
        req.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + jar
                  + b"Set-Cookie: big=" + b"x" * 5000 + b"; Path=/\r\n"
                  + b"Content-Length: %d\r\n\r\n" % len(PAGE) + PAGE)  # fmt: skip

    url = server.route("/c", handler)
    with Fetcher(settings) as f:
        results = [f.fetch(url) for _ in range(5)]
    assert [r.error for r in results] == [None] * 5
    counts = [len(c.split("; ")) if c else 0 for c in sent]
    assert counts[0] == 0 and 0 < max(counts) <= 50, counts  # RFC 6265 §6.1: 50 a domain
    assert not any("big=" in c for c in sent)  # nor one over 4096 bytes
