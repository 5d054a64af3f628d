"""A probe of the fetcher at the HTTP protocol level: raw-socket servers on 127.0.0.1 that break
HTTP/1.1 framing on a kept-alive connection. Each test failed on the code before its fix."""

from __future__ import annotations

import itertools
import socket
import struct
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from local_server import ARTICLE, RawServer

from newsdedup import warehouse as wh
from newsdedup.config import Settings
from newsdedup.fetch import Fetcher
from newsdedup.pipeline import run_pipeline

EVIL = b"<html><head><title>Planted</title></head><body><p>evil</p></body></html>"
CHUNKED = b"<html><head><title>Chunked</title></head><body><p>sent in chunks</p></body></html>"
# A whole response, well formed, that no request asked for.
FAKE = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s" % (len(EVIL), EVIL)


def ok(body: bytes, content_type: bytes = b"text/html; charset=utf-8", extra: bytes = b"") -> bytes:
    return (b"HTTP/1.1 200 OK\r\nContent-Type: " + content_type + b"\r\nContent-Length: %d\r\n" % len(body)
            + extra + b"\r\n" + body)  # fmt: skip


def _requests(conn: socket.socket) -> Iterator[str]:
    """The paths of the requests a client sends on one connection, one at a time."""
    buf = b""
    while True:
        while b"\r\n\r\n" not in buf:
            data = conn.recv(65536)
            if not data:
                return
            buf += data
        head, buf = buf.split(b"\r\n\r\n", 1)
        yield head.split(b" ", 2)[1].decode("latin-1")


class KeepAlive(RawServer):
    """Answers each request on a connection with `responses[path]` (bytes or a function of the
    connection that writes what it likes), keeping the connection open; logs the paths it served."""

    def __init__(self, responses: dict[str, bytes | Callable[[socket.socket], None]]) -> None:
        self.responses = responses
        self.served: list[tuple[int, str]] = []  # (connection number, path)
        self._numbers = itertools.count()
        super().__init__(self._serve_connection)

    def _serve_connection(self, conn: socket.socket) -> None:
        number = next(self._numbers)
        for path in _requests(conn):
            self.served.append((number, path))
            answer = self.responses.get(path, b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            if callable(answer):
                answer(conn)
                return
            conn.sendall(answer)


def _page_a_then_b(srv: KeepAlive, settings: Settings) -> tuple[list, list]:
    with Fetcher(replace(settings, respect_robots=False, retries=1)) as f:
        results = [f.fetch(srv.url("/a")), f.fetch(srv.url("/b"))]
    return results, [a for r in results for a in r.attempts]


@pytest.mark.parametrize(
    "junk",
    [
        FAKE,  # a whole response nobody asked for: page B would get it as its body
        FAKE + FAKE,
        FAKE[:30],  # the start of one: page B's real response would be read as the rest of it
        b"</html>\n" * 3,  # a Content-Length counted in characters, not bytes: the tail of page A
    ],
    ids=["whole-response", "two-responses", "half-status-line", "page-tail"],
)
def test_bytes_past_content_length_are_not_the_next_response(settings: Settings, junk: bytes) -> None:
    page_a, page_b = ARTICLE.format(t="Alpha").encode(), ARTICLE.format(t="Beta").encode()
    with KeepAlive({"/a": ok(page_a) + junk, "/b": ok(page_b)}) as srv:
        (a, b), attempts = _page_a_then_b(srv, settings)
    assert a.error is None and a.body == page_a
    # Page B is its own body, fetched in one attempt, never the bytes that trailed page A.
    assert b.error is None and b.body == page_b, (b.error, b.detail, b.body)
    assert len(b.attempts) == 1 and b.attempts[0].error is None
    assert [x.url for x in attempts] == [srv.url("/a"), srv.url("/b")]
    # The trailing bytes are named on page A's attempt; page A's connection was not used again.
    assert "past the end" in (a.attempts[0].detail or "")
    assert [p for _, p in srv.served] == ["/a", "/b"] and srv.served[0][0] != srv.served[1][0]


@pytest.mark.parametrize("tail", [b"", b"\r\n", b"\r\n\r\n"], ids=["nothing", "crlf", "two-crlf"])
def test_a_keep_alive_connection_is_still_reused(settings: Settings, tail: bytes) -> None:
    # Stray line ends after a body (RFC 9112 §2.2 lets a reader skip them) cost no connection.
    page_a, page_b = ARTICLE.format(t="Alpha").encode(), ARTICLE.format(t="Beta").encode()
    with KeepAlive({"/a": ok(page_a) + tail, "/b": ok(page_b)}) as srv:
        (a, b), attempts = _page_a_then_b(srv, settings)
    assert (a.body, b.body) == (page_a, page_b) and all(x.detail is None for x in attempts)
    assert srv.connections == 1


def test_bytes_past_content_length_misattribute_nothing_in_the_warehouse(tmp_path: Path) -> None:
    pages = {p: ARTICLE.format(t=t).encode() for p, t in (("/a", "Alpha"), ("/b", "Beta"), ("/c", "Gamma"))}
    with KeepAlive({}) as srv:
        items = "".join(f"<item><title>{p}</title><link>{srv.url(p)}</link></item>" for p in pages)
        feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
        srv.responses.update({
            "/robots.txt": ok(b"User-agent: *\nAllow: /\n", b"text/plain") + FAKE,
            "/feed.xml": ok(feed.encode(), b"application/rss+xml") + FAKE,
            "/a": ok(pages["/a"]) + FAKE, "/b": ok(pages["/b"]) + FAKE, "/c": ok(pages["/c"]),
        })  # fmt: skip
        cfg = tmp_path / "sources.yaml"
        cfg.write_text(yaml.safe_dump({
            "settings": {"allow_private_networks": True, "concurrency": 1, "per_host_concurrency": 1,
                         "retries": 0},
            "sources": [{"name": "trailing", "url": srv.url("/feed.xml"), "kind": "rss"}],
        }))  # fmt: skip
        warehouse = tmp_path / "w.duckdb"
        summary = run_pipeline(sources_file=str(cfg), warehouse=str(warehouse), staging=str(tmp_path / "st"))
    assert summary.sources[0]["status"] == "ok"
    rows = wh.query_rows(warehouse, "SELECT url, title FROM articles ORDER BY url")[1]
    assert [(u.rsplit("/", 1)[-1], t) for u, t in rows] == [("a", "Alpha"), ("b", "Beta"), ("c", "Gamma")]
    log = wh.query_rows(warehouse, "SELECT url, error, detail FROM fetch_log WHERE purpose = 'page' ORDER BY url")[1]
    assert [(u.rsplit("/", 1)[-1], e) for u, e, _ in log] == [("a", None), ("b", None), ("c", None)]
    assert [bool(d and "past the end" in d) for _, _, d in log] == [True, True, False]


@pytest.mark.parametrize("how", ["close", "reset"])
def test_a_kept_alive_connection_the_server_drops_costs_no_page(settings: Settings, how: str) -> None:
    # A server that ends each connection when the next request arrives on it, without an answer (a
    # keep-alive timeout racing our request, a request limit it does not announce): GET is idempotent
    # and nothing came back, so the request goes again on a new connection (RFC 9112 §9.3.1). Each
    # such page failed with connection_error; with retries: 0 it was lost.
    page = ARTICLE.format(t="Beta").encode()

    def one_request_per_connection(conn: socket.socket) -> None:
        for i, _ in enumerate(_requests(conn)):
            if i == 1:
                if how == "reset":
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            conn.sendall(ok(page))

    with RawServer(one_request_per_connection) as srv, Fetcher(replace(settings, retries=0)) as f:
        results = [f.fetch(srv.url(f"/{i}")) for i in range(4)]
    assert [(r.error, r.body == page, len(r.attempts)) for r in results] == [(None, True, 1)] * 4
    # the attempt says so: an operator sees a server that closes kept-alive connections under requests
    assert [r.attempts[0].detail for r in results][1:] == [
        "sent again on a new connection: 1 kept-alive connection closed by the server before any answer"] * 3


def test_a_fresh_connection_the_server_drops_is_still_an_error(settings: Settings) -> None:
    # Only a reused connection is tried again: a new one that gets no answer is the server's answer.
    with RawServer(lambda conn: next(_requests(conn), None)) as srv, Fetcher(replace(settings, retries=0)) as f:
        r = f.fetch(srv.url("/a"))
    assert r.error == "connection_error" and "without sending a response" in (r.detail or "")
    assert srv.connections == 1


@pytest.mark.parametrize(
    "answer",
    [
        b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\nContent-Length: 23\r\n\r\n<html>unchanged</html>\n',
        b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\n\r\n' + FAKE,
    ],
    ids=["304-with-its-length", "304-then-a-response"],
)
def test_a_body_after_a_304_is_not_the_next_response(settings: Settings, answer: bytes) -> None:
    # A 304 has no body whatever its headers say (RFC 9110 §15.4.5): what follows it was read as the
    # next response on the connection (an error and a retry, or a planted page).
    page = ARTICLE.format(t="Beta").encode()
    with KeepAlive({"/a": answer, "/b": ok(page)}) as srv, Fetcher(replace(settings, respect_robots=False)) as f:
        a, b = f.fetch(srv.url("/a"), etag='"v1"'), f.fetch(srv.url("/b"))
    assert a.not_modified and a.error is None and "past the end" in (a.attempts[0].detail or "")
    assert (b.error, b.body == page, len(b.attempts)) == (None, True, 1)


@pytest.mark.parametrize("status", [204, 205])
def test_no_content_is_named_as_such(settings: Settings, status: int) -> None:
    # A 204 was "unsupported_content_type: no content type with text content, not HTML".
    answer = b"HTTP/1.1 %d No Content\r\nContent-Type: text/html\r\nContent-Length: 0\r\n\r\n" % status
    with KeepAlive({"/a": answer}) as srv, Fetcher(replace(settings, respect_robots=False)) as f:
        r = f.fetch(srv.url("/a"))
    assert (r.error, r.status, r.body, len(r.attempts)) == (f"http_{status}", status, None, 1), r.detail
    assert "no content" in (r.detail or "").lower()


@pytest.mark.parametrize(
    ("headers", "kept", "charset"),
    [
        # Sent twice (a framework's header and the server's): the page was unsupported_content_type.
        (b"Content-Type: text/html\r\nContent-Type: text/html\r\n", True, None),
        (b"Content-Type: text/html, text/html; charset=ISO-8859-1\r\n", True, "ISO-8859-1"),
        (b"Content-Type: text/html; charset=ISO-8859-1\r\nContent-Type: text/html\r\n", True, "ISO-8859-1"),
        (b"Content-Type: image/png\r\nContent-Type: text/html\r\n", True, None),
        # The last type named is the type (WHATWG Fetch, "extract a MIME type"), as browsers read it.
        (b"Content-Type: text/html\r\nContent-Type: image/png\r\n", False, None),
        (b"Content-Type: text/html, nonsense\r\n", True, None),
    ],
)
def test_a_content_type_sent_twice_is_read_as_browsers_read_it(settings: Settings, headers: bytes, kept: bool,
                                                               charset: str | None) -> None:  # fmt: skip
    page = ARTICLE.format(t="Café").encode("latin-1")
    answer = b"HTTP/1.1 200 OK\r\n" + headers + b"Content-Length: %d\r\n\r\n" % len(page) + page
    with KeepAlive({"/a": answer}) as srv, Fetcher(replace(settings, respect_robots=False)) as f:
        r = f.fetch(srv.url("/a"))
    assert len(r.attempts) == 1
    if not kept:
        assert r.error == "unsupported_content_type" and "image/png" in (r.detail or "")
        return
    assert r.error is None and r.body == page, (r.error, r.detail)
    assert r.content_type is not None and "," not in r.content_type
    if charset:
        assert r.encoding == "cp1252" and "Café" in r.text()


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (b"HTTP/1.1 204 No Content\r\nContent-Length: %d\r\n\r\n%s" % (len(EVIL), EVIL), "http_204"),
        (b"HTTP/1.1 204 No Content\r\n\r\n" + FAKE, "http_204"),
        (ok(b"") + EVIL, None),  # an empty page is kept as it came (the clean step names it)
        (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n%s"
         % (len(CHUNKED), CHUNKED, FAKE), None),  # fmt: skip
    ],
    ids=["204-with-a-length", "204-then-a-response", "empty-page-then-bytes", "after-the-last-chunk"],
)
def test_bytes_where_no_body_belongs_are_not_the_next_response(settings: Settings, answer: bytes,
                                                                error: str | None) -> None:  # fmt: skip
    page = ARTICLE.format(t="Beta").encode()
    with KeepAlive({"/a": answer, "/b": ok(page)}) as srv, Fetcher(replace(settings, respect_robots=False)) as f:
        a, b = f.fetch(srv.url("/a")), f.fetch(srv.url("/b"))
    assert a.error == error and len(a.attempts) == 1, (a.error, a.detail)
    assert a.body != EVIL
    if error is None:
        assert "past the end" in (a.attempts[0].detail or "")
    assert (b.error, b.body == page, len(b.attempts)) == (None, True, 1), (b.error, b.detail, b.body)


def moved(location: bytes) -> bytes:
    return b"HTTP/1.1 301 Moved Permanently\r\nLocation: " + location + b"\r\nContent-Length: 0\r\n\r\n"


@pytest.mark.parametrize(("location", "requested"), [
    (b"/caf\xe9.html", "/caf%E9.html"),  # one raw Latin-1 byte: was requested as UTF-8, /caf%C3%A9.html
    (b"/caf\xc3\xa9.html", "/caf%C3%A9.html"),  # UTF-8 bytes: the same either way
    (b"/caf%E9.html", "/caf%E9.html"),  # already escaped: kept
    (b"/men\xfc/caf\xe9.html?q=\xe9t\xe9", "/men%FC/caf%E9.html?q=%E9t%E9"),
], ids=["latin-1", "utf-8", "escaped", "latin-1-path-and-query"])
def test_a_location_of_raw_bytes_is_requested_as_browsers_request_it(settings: Settings, location: bytes,
                                                                    requested: str) -> None:
    """Browsers percent-encode the bytes of a Location header past ASCII as they are; the fetcher
    read one that is not UTF-8 as Latin-1 text and requested that text's UTF-8 (/caf%C3%A9.html: a 404)."""
    page = ARTICLE.format(t="Cafe").encode()
    with (KeepAlive({"/old": moved(location), requested: ok(page)}) as srv,
          Fetcher(replace(settings, respect_robots=False, retries=0)) as f):
        res = f.fetch(srv.url("/old"))
    assert [p for _, p in srv.served] == ["/old", requested]
    assert (res.error, res.body, res.final_url) == (None, page, srv.url(requested))


def test_a_latin1_location_through_the_pipeline_keeps_every_attempt(tmp_path: Path) -> None:
    """Through `run_pipeline`: the story behind a Latin-1 Location is stored (its raw page from the URL
    a browser requests), and every attempt of the run is a fetch_log row (the feed, the page, and a page whose
    Location is no URL at all, which fails as invalid_url without losing its row)."""
    page = ARTICLE.format(t="Cafe").encode()
    with KeepAlive({}) as srv:
        items = "".join(f"<item><title>{p}</title><link>{srv.url(p)}</link></item>" for p in ("/old", "/bad"))
        feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
        srv.responses.update({
            "/feed.xml": ok(feed.encode(), b"application/rss+xml"),
            "/old": moved(b"/caf\xe9.html"), "/caf%E9.html": ok(page),
            "/bad": moved(b"http://[\xe9/"),
        })  # fmt: skip
        cfg = tmp_path / "sources.yaml"
        cfg.write_text(yaml.safe_dump({
            "settings": {"allow_private_networks": True, "retries": 0, "respect_robots": False},
            "sources": [{"name": "cafe", "url": srv.url("/feed.xml"), "kind": "rss"}],
        }))  # fmt: skip
        warehouse = tmp_path / "w.duckdb"
        summary = run_pipeline(sources_file=str(cfg), warehouse=str(warehouse), staging=str(tmp_path / "st"))
    assert summary.sources[0]["status"] == "ok"
    assert wh.query_rows(warehouse, "SELECT a.url, p.final_url, a.title FROM articles a JOIN raw_pages p "
                                    "USING (article_id)")[1] == [(srv.url("/old"), srv.url("/caf%E9.html"), "Cafe")]
    log = wh.query_rows(warehouse, "SELECT purpose, url, final_url, status, error FROM fetch_log "
                                   "ORDER BY purpose, url")[1]
    assert [(p, u.removeprefix(srv.url("")), (f or "").removeprefix(srv.url("")), s, e) for p, u, f, s, e in log] == [
        ("feed", "/feed.xml", "/feed.xml", 200, None),
        ("page", "/bad", "", None, "invalid_url"),
        ("page", "/old", "/caf%E9.html", 200, None)]
    (detail,), = wh.query_rows(warehouse, "SELECT detail FROM fetch_log WHERE error = 'invalid_url'")[1]
    assert detail.startswith("bad redirect Location 'http://[%E9/'"), detail
