"""The sixteenth attacker probe (session 42): what the web and files send that the fifteen probes before it did
not try or left open: status lines browsers read and h11 did not, WARC records whose HTTP head never ends, huge
response heads, chunk framing, redirect loops spelt otherwise, feeds and canonical links pointing elsewhere.
Each test of a fix failed on the code before it; the `test_held_*` ones record what held. Network tests run
against real servers on 127.0.0.1, file tests on real files."""

from __future__ import annotations

import dataclasses
import gzip
import sys
import zlib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fetch"))
sys.path.insert(0, str(Path(__file__).parent))

from local_server import STORY_TEXTS, TestServer, canned_server, pipeline_run, story_page  # noqa: E402
from test_fifteenth_probe import _record  # noqa: E402
from test_protocol_probe import KeepAlive, ok  # noqa: E402

from newsdedup import warehouse as wh  # noqa: E402
from newsdedup.config import Settings, SourceSpec  # noqa: E402
from newsdedup.fetch import Fetcher  # noqa: E402
from newsdedup.sources import discover  # noqa: E402

SETTINGS = Settings(allow_private_networks=True, connect_timeout=1.0, read_timeout=1.0, total_timeout=5.0,
                    max_bytes=1_000_000, retries=0, backoff_base=0.02, backoff_max=1.0, respect_robots=False)
PAGES = [story_page(f"Story {i}", text) for i, text in enumerate(STORY_TEXTS)]
PAGE = PAGES[0]



def _fetch(answer: bytes):  # noqa: ANN202 - a FetchResult
    with canned_server(answer) as srv, Fetcher(SETTINGS) as f:
        return f.fetch(srv.url("/story"))


# --- 1. status lines: junk before `HTTP/`, lower case, a version without a minor number ----------------------


@pytest.mark.parametrize("answer", [
    b"xx" + ok(PAGE),
    b" " + ok(PAGE),
    b"\0\0\0\0" + ok(PAGE),
    b"x\r\n" + ok(PAGE),
    ok(PAGE).replace(b"HTTP/1.1", b"http/1.1", 1),
    ok(PAGE).replace(b"HTTP/1.1", b"Http/1.1", 1),
    ok(PAGE).replace(b"HTTP/1.1", b"HTTP/1", 1),
    ok(PAGE).replace(b"HTTP/1.1", b"HTTP/2", 1),
    ok(PAGE).replace(b"HTTP/1.1 200", b"HTTP/1.1   200", 1),
    ok(PAGE).replace(b"HTTP/1.1 200", b"HTTP/1.1\t200", 1),
    ok(PAGE).replace(b"200 OK", b"200OK", 1),
], ids=["two-bytes", "a-space", "four-nuls", "a-short-line", "lower-case", "mixed-case", "HTTP/1", "HTTP/2",
        "spaces-before-status", "tab-before-status", "glued-reason"])
def test_a_status_line_browsers_read_loses_no_page(answer: bytes) -> None:
    # Chromium skips up to 4 bytes before `http` in any case (HttpUtil::LocateStartOfStatusLine), Firefox up to
    # 128 KiB before `HTTP/1.` in any case, both read `HTTP/1 200` / `HTTP/2 200` as HTTP/1.0, skip the white
    # space before the status and read a reason glued to it. h11 refused all of them ("illegal status line"):
    # a `connection_error`, retried and lost.
    res = _fetch(answer)
    assert (res.error, res.status, res.body) == (None, 200, PAGE), res.detail


def test_a_lower_case_status_line_keeps_the_connection_and_frames_the_next_response() -> None:
    # Read in one place (`_Stream._heads`), so both h11 parsers see the same head: the page's Content-Length
    # frames it, and the next request on the kept-alive connection gets its own page.
    lower = ok(PAGES[0]).replace(b"HTTP/1.1", b"http/1.1", 1)
    srv = KeepAlive({"/a": lower, "/b": b"  " + ok(PAGES[1]).replace(b"HTTP/1.1", b"hTTp/1.1", 1)})
    with srv, Fetcher(SETTINGS) as f:
        a, b = f.fetch(srv.url("/a")), f.fetch(srv.url("/b"))
    assert (a.error, a.body, b.error, b.body) == (None, PAGES[0], None, PAGES[1]), (a.detail, b.detail)
    assert [n for n, _ in srv.served] == [0, 0]  # one connection, kept


def test_a_lower_case_interim_answer_is_passed_over() -> None:
    res = _fetch(b"http/1.1 100 Continue\r\n\r\n" + ok(PAGE).replace(b"HTTP/1.1", b"http/1.1", 1))
    assert (res.error, res.body) == (None, PAGE), res.detail


@pytest.mark.parametrize("answer", [
    b"garbage\r\n" + ok(PAGE),  # more junk than Chromium skips (it reads it as HTTP/0.9, refused off port 80)
    ok(PAGE).replace(b"HTTP/1.1", b"ICY", 1),  # SHOUTcast: Firefox reads it, Chromium does not
    ok(PAGE).replace(b"HTTP/1.1", b"HTTP", 1),  # no version: Chromium reads it, Firefox does not
    ok(PAGE).replace(b"200 OK", b"2000 OK", 1),  # no 3-digit status
], ids=["a-junk-line", "ICY", "no-version", "four-digit-status"])
def test_held_a_status_line_one_browser_refuses_is_still_refused(answer: bytes) -> None:
    res = _fetch(answer)
    assert (res.error, res.body) == ("connection_error", None), res.detail
    assert "status line" in (res.detail or "")


# --- 2. a WARC record whose HTTP head never ends ------------------------------------------------------------------


def _warc_attempts(path: Path) -> tuple[dict[str, tuple[str | None, str | None]], dict[str, bytes]]:
    with Fetcher(SETTINGS) as f:
        d = discover(SourceSpec("w", str(path), "warc"), SETTINGS, f, None)
    assert d.error is None, d.detail
    return {a.url: (a.error, a.detail) for a in d.attempts}, {e.url: e.body for e in d.entries}


HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
UNENDED = {
    "page-after-head": HEAD + PAGE,  # a tool that wrote the page straight after the header lines
    "page-lines-with-colons": HEAD + b"<html>\r\n<p>Note: one</p>\r\n</html>\r\n",
    "head-only": HEAD,  # cut after the header lines
    "status-line-only": b"HTTP/1.1 200 OK\r\n",
}


@pytest.mark.parametrize("gz", ["member-per-record", "gzipped-whole", "plain"])
def test_a_record_whose_http_head_never_ends_is_malformed_not_an_empty_page(tmp_path: Path, gz: str) -> None:
    # warcio reads the whole block as head and gives an empty payload: it was stored as an empty page, and
    # refused later by the clean step as `empty_document`. Now `malformed_warc` at ingest, saying why; the
    # records around it (one ending on its head's empty line: a 200 of no body) are read as before.
    uris = {name: f"http://news.example/{name}" for name in UNENDED}
    records = [("http://news.example/first", HEAD + b"\r\n" + PAGES[1])]
    records += [(uris[name], block) for name, block in UNENDED.items()]
    records += [("http://news.example/empty", HEAD + b"\r\n"), ("http://news.example/last", HEAD + b"\r\n" + PAGES[2])]
    members = [_record(uri, block) for uri, block in records]
    if gz == "member-per-record":
        path, data = tmp_path / "c.warc.gz", b"".join(members)
    elif gz == "gzipped-whole":
        path, data = tmp_path / "c.warc.gz", gzip.compress(b"".join(gzip.decompress(m) for m in members))
    else:
        path, data = tmp_path / "c.warc", b"".join(gzip.decompress(m) for m in members)
    path.write_bytes(data)
    attempts, bodies = _warc_attempts(path)
    for uri in uris.values():
        error, detail = attempts[uri]
        assert error == "malformed_warc" and "HTTP head never ends" in (detail or ""), (uri, error, detail)
        assert uri not in bodies
    assert bodies["http://news.example/first"] == PAGES[1] and bodies["http://news.example/last"] == PAGES[2]
    assert attempts["http://news.example/empty"] == (None, None) and bodies["http://news.example/empty"] == b""


def test_a_record_whose_head_never_ends_reaches_the_warehouse_as_a_failed_attempt(tmp_path: Path) -> None:
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(_record("http://news.example/bad", HEAD + PAGES[0])
                     + _record("http://news.example/good", HEAD + b"\r\n" + PAGES[1]))
    pipeline_run(tmp_path, [{"name": "arch", "url": str(warc), "kind": "warc"}], "r1")
    db = tmp_path / "w.duckdb"
    log = dict(wh.query_rows(db, "SELECT url, error FROM fetch_log")[1])
    assert log["http://news.example/bad"] == "malformed_warc" and log["http://news.example/good"] is None
    urls = {r[0] for r in wh.query_rows(db, "SELECT url FROM articles")[1]}
    assert urls == {"http://news.example/good"}
    raw = {r[0] for r in wh.query_rows(db, "SELECT url FROM raw_pages")[1]}
    assert "http://news.example/bad" not in raw


# --- 3. response heads too large to read ---------------------------------------------------------------------


def _big_head(lines: bytes) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + lines + b"Content-Length: %d\r\n\r\n" % len(PAGE) + PAGE


@pytest.mark.parametrize("answer", [
    _big_head(b"X-Big: " + b"a" * (2 << 20) + b"\r\n"),
    _big_head(b"".join(b"X-%d: v\r\n" % i for i in range(200_000))),
    b"HTTP/1.1 200 OK\r\n" + b"X-Endless: y\r\n" * 1_000_000,  # a head that goes on (the server never stops)
], ids=["one-2MB-line", "200k-lines", "endless"])
def test_a_response_head_past_the_bound_is_named_and_not_tried_again(answer: bytes) -> None:
    # Bounded at 1 MiB before (held), but failed as h11's "Receive buffer too long": a connection_error,
    # tried again within the fetch and by every run as a network hiccup, of a server that sends it every time.
    requests: list[bytes] = []
    with canned_server(answer, requests) as srv, Fetcher(dataclasses.replace(SETTINGS, retries=2)) as f:
        res = f.fetch(srv.url("/story"))
    assert (res.error, res.body) == ("headers_too_large", None), res.detail
    assert "response head over 1,048,576 bytes" in (res.detail or "")
    assert len(res.attempts) == 1 and requests == [b"GET /story HTTP/1.1"]


def test_a_head_past_the_bound_on_a_kept_alive_connection_is_not_sent_again() -> None:
    srv = KeepAlive({"/a": ok(PAGES[0]), "/b": _big_head(b"X-Big: " + b"a" * (2 << 20) + b"\r\n")})
    with srv, Fetcher(SETTINGS) as f:
        a, b = f.fetch(srv.url("/a")), f.fetch(srv.url("/b"))
    assert (a.error, b.error) == (None, "headers_too_large"), b.detail
    assert [p for _, p in srv.served] == ["/a", "/b"]  # answered: not taken for a connection closed unanswered


@pytest.mark.parametrize("answer", [
    _big_head(b"".join(b"X-%d: v\r\n" % i for i in range(10_000))),
    _big_head(b"X-Big: " + b"a" * 1_000_000 + b"\r\n"),
], ids=["10k-lines", "1MB-line"])
def test_held_a_large_head_under_the_bound_is_read(answer: bytes) -> None:
    res = _fetch(answer)
    assert (res.error, res.body) == (None, PAGE), res.detail


# --- 4. held: chunk framing, lengths, redirect loops spelt otherwise --------------------------------------------


def _chunked(size_line: bytes, trailer: bytes = b"") -> bytes:
    return (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n"
            + size_line + b"\r\n" + PAGE + b"\r\n0\r\n" + trailer + b"\r\n")  # fmt: skip


@pytest.mark.parametrize("answer", [
    _chunked(b"%x;name=value;q=\"quoted\"" % len(PAGE)),  # chunk extensions (RFC 9112 §7.1.1: ignored)
    _chunked(b"0000%x" % len(PAGE)),  # a size with leading zeros
    _chunked(b"%X" % len(PAGE)),  # upper-case hex
    _chunked(b"%x" % len(PAGE), b"X-Checksum: abc\r\nExpires: 0\r\n"),  # trailer fields (dropped)
    ok(PAGE).replace(b"Content-Length: ", b"Content-Length:    00"),  # a length with spaces and leading zeros
    ok(PAGE).replace(b"Content-Length: %d" % len(PAGE), b"Content-Length: %d, %d" % (len(PAGE), len(PAGE))),
], ids=["extensions", "leading-zeros", "upper-hex", "trailers", "spaced-zeros", "same-length-twice"])
def test_held_chunk_framing_and_length_spellings_are_read(answer: bytes) -> None:
    res = _fetch(answer)
    assert (res.error, res.body) == (None, PAGE), res.detail


@pytest.mark.parametrize("value", [b"+%d", b"0x%x", b"%d.0"], ids=["plus", "hex", "decimal"])
def test_held_a_content_length_that_is_no_number_is_a_recorded_error(value: bytes) -> None:
    # RFC 9112 §6.3: an invalid Content-Length is an unrecoverable framing error, the response discarded (Firefox
    # reads `+N` with strtoll, Chromium reads to the close): as a negative or doubled length (the eleventh probe).
    # Named since session 43 (`invalid_content_length`, tests/test_seventeenth_probe.py); a connection_error before.
    res = _fetch(ok(PAGE).replace(b"Content-Length: %d" % len(PAGE), b"Content-Length: " + value % len(PAGE)))
    assert res.error == "invalid_content_length" and "Content-Length" in (res.detail or ""), (res.error, res.detail)


def test_held_a_redirect_back_to_the_url_spelt_otherwise_is_a_loop(server: TestServer) -> None:
    # A fragment is never sent, a host's case and an empty query are the same URL: each is the loop it is.
    server.route("/frag", lambda r: r.send(301, b"", {"Location": "/frag#top"}))
    server.route("/case", lambda r: r.send(301, b"", {"Location": f"http://LOCALHOST:{server.port}/case"}))
    server.route("/query", lambda r: r.send(302, b"", {"Location": "/query?"}))
    with Fetcher(SETTINGS) as f:
        results = {p: f.fetch(server.url(p)) for p in ("/frag", "/case", "/query")}
    for path, res in results.items():
        assert res.error == "redirect_loop" and res.body is None, (path, res.error, res.detail)
    assert server.hits["/frag"] == 1 and server.hits["/query"] == 1 and server.hits["/case"] <= 2


# --- 5. held: feeds and canonical links pointing elsewhere ---------------------------------------------------------


RSS = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>/</link>'
       '<item><title>A</title><link>/news/a.html</link></item>'
       '<item><title>B</title><link>news/b.html</link></item></channel></rss>')
ATOM = ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>X</title>'
        '<link href="/x"/><id>tag:x</id><updated>2024-01-01T00:00:00Z</updated><content type="xhtml">'
        '<div xmlns="http://www.w3.org/1999/xhtml"><p>Hello <a href="http://elsewhere.example/">x</a></p></div>'
        '</content></entry></feed>')


@pytest.mark.parametrize(("kind", "body", "ctype"), [
    ("rss", RSS, "application/rss+xml"),
    ("rss", RSS, "text/html; charset=utf-8"),  # a feed served as a page
    ("atom", ATOM, "application/atom+xml"),  # xhtml content linking elsewhere: not an entry's link
])
def test_held_relative_feed_links_resolve_against_the_feed(server: TestServer, kind: str, body: str,
                                                             ctype: str) -> None:  # fmt: skip
    url = server.static("/feeds/news.xml", body, ctype)
    with Fetcher(SETTINGS) as f:
        d = discover(SourceSpec("f", url, kind), SETTINGS, f, None)
    assert d.error is None, d.detail
    want = [server.url("/news/a.html"), server.url("/feeds/news/b.html")] if kind == "rss" else [server.url("/x")]
    assert [e.url for e in d.entries] == want


def test_held_a_canonical_link_to_another_host_through_base_href_or_a_script_is_not_the_articles_url(
        tmp_path: Path, server: TestServer) -> None:  # fmt: skip
    # `<base href>` naming another host makes a relative canonical link that host's; a `javascript:` canonical
    # is no URL. Neither becomes the stored article's URL or id (urls.trusted_canonical: other_site).
    based = story_page("Story 1", STORY_TEXTS[1], head='<base href="http://evil.example/">'
                       '<link rel="canonical" href="/news/story-1">')  # fmt: skip
    scripted = story_page("Story 2", STORY_TEXTS[2], head='<link rel="canonical" href="javascript:alert(1)">')
    a, b = server.static("/a", based), server.static("/b", scripted)
    listing = "\n".join([a, b])
    feed = server.static("/list.txt", listing, "text/plain")
    pipeline_run(tmp_path, [{"name": "s", "url": feed, "kind": "sitemap"}], "r1")
    stored = {r[0]: r[1:] for r in wh.query_rows(tmp_path / "w.duckdb",
                                                  "SELECT url, canonical_url, article_id FROM articles")[1]}
    assert set(stored) == {a, b}
    for url, (canonical, _article_id) in stored.items():
        assert "evil.example" not in (canonical or "") and "javascript" not in (canonical or ""), (url, canonical)


def test_a_head_past_the_bound_reaches_the_warehouse_as_a_failed_fetch(tmp_path: Path, server: TestServer) -> None:
    big = _big_head(b"X-Big: " + b"a" * (2 << 20) + b"\r\n")
    with canned_server(big) as bad:
        good = server.static("/good", PAGES[1])
        listing = server.static("/list.txt", "\n".join([bad.url("/bad"), good]), "text/plain")
        pipeline_run(tmp_path, [{"name": "s", "url": listing, "kind": "sitemap"}], "r1")
    db = tmp_path / "w.duckdb"
    log = {r[0]: r[1:] for r in wh.query_rows(db, "SELECT url, error, detail FROM fetch_log")[1]}
    assert log[bad.url("/bad")][0] == "headers_too_large" and "1,048,576" in log[bad.url("/bad")][1]
    assert log[good][0] is None
    assert {r[0] for r in wh.query_rows(db, "SELECT url FROM articles")[1]} == {good}


# --- 6. Content-Types that name no type to browsers ----------------------------------------------------------------


@pytest.mark.parametrize("ctype", ["*/*", "unknown/unknown", "application/unknown", "Application/Unknown; charset=utf-8"])
def test_a_content_type_browsers_sniff_past_loses_no_page(server: TestServer, ctype: str) -> None:
    # WHATWG MIME Sniffing ("determining the computed MIME type"), Chromium's `ShouldSniffMimeType`: a supplied
    # type of unknown/unknown, application/unknown or */* is no type, and the bytes decide: the page is shown.
    # It was `unsupported_content_type` ("*/* with html content, not HTML"), the page lost.
    url = server.static("/story", PAGE, ctype)
    with Fetcher(SETTINGS) as f:
        res = f.fetch(url)
    assert (res.error, res.body) == (None, PAGE), res.detail


def test_a_warc_record_of_a_type_browsers_sniff_past_is_its_page(tmp_path: Path) -> None:
    path = tmp_path / "c.warc.gz"
    path.write_bytes(_record("http://news.example/a", b"HTTP/1.1 200 OK\r\nContent-Type: unknown/unknown\r\n\r\n" + PAGE))
    attempts, bodies = _warc_attempts(path)
    assert attempts["http://news.example/a"] == (None, None) and bodies["http://news.example/a"] == PAGE


@pytest.mark.parametrize("ctype", ["application/x-unknown-content-type", "application/foo"])
def test_held_a_type_browsers_do_not_sniff_is_still_no_page(server: TestServer, ctype: str) -> None:
    url = server.static("/story", PAGE, ctype)
    with Fetcher(SETTINGS) as f:
        res = f.fetch(url)
    assert res.error == "unsupported_content_type" and res.body is None, res.detail


def test_held_a_feed_served_as_a_type_browsers_sniff_past_is_read(server: TestServer) -> None:
    url = server.static("/feeds/news.xml", RSS, "*/*")
    with Fetcher(SETTINGS) as f:
        d = discover(SourceSpec("f", url, "rss"), SETTINGS, f, None)
    assert d.error is None and len(d.entries) == 2, d.detail


# --- 7. held: header lines and content codings -------------------------------------------------------------------


def _coded(coding: bytes, body: bytes) -> bytes:
    return (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Encoding: " + coding
            + b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body)  # fmt: skip


def _raw_deflate(data: bytes) -> bytes:
    d = zlib.compressobj(9, zlib.DEFLATED, -15)
    return d.compress(data) + d.flush()


@pytest.mark.parametrize("answer", [
    ok(PAGE, extra=b"X-Folded: a\r\n  b\r\n"),
    ok(PAGE, extra=b": no name\r\n"),
    ok(PAGE, extra="X-Name: caf\u00e9\r\n".encode()),
    ok(PAGE, extra="X-Name: caf\u00e9\r\n".encode("latin-1")),
    ok(PAGE).replace(b"200 OK", "200 \u00d6kay".encode(), 1),
    _coded(b"deflate", zlib.compress(PAGE)),
    _coded(b"deflate", _raw_deflate(PAGE)),  # raw deflate, as IIS sent it (browsers read both)
    _coded(b"gzip", gzip.compress(PAGE) + b"\0\0junk"),
    _coded(b"gzip", gzip.compress(PAGE[:100]) + gzip.compress(PAGE[100:])),
    _coded(b"GZIP", gzip.compress(PAGE)),
], ids=["obs-fold", "empty-name", "utf8-value", "latin1-value", "non-ascii-reason", "deflate-zlib", "deflate-raw",
        "gzip-trailing-junk", "gzip-two-members", "upper-case-coding"])
def test_held_header_lines_and_content_codings_browsers_read(answer: bytes) -> None:
    res = _fetch(answer)
    assert (res.error, res.body) == (None, PAGE), res.detail
