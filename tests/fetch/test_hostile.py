"""A hostile server holding or breaking a fetch (issue 10), each against a real server on 127.0.0.1.

The total deadline bounds one `Fetcher.fetch` call from start to end; nothing a server sends (or
fails to send) may hold it longer or make it raise.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import replace

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
