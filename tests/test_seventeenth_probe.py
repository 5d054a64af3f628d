"""The seventeenth attacker probe (session 43): what the web and files send that the sixteen probes before it did
not try or left open: Content-Lengths that are no length, WARC records whose status line a browser reads and
warcio did not, and more. Each test of a fix failed on the code before it; the `test_held_*` ones record what
held. Network tests run against real servers on 127.0.0.1, file tests on real files."""

from __future__ import annotations

import dataclasses
import gzip
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fetch"))
sys.path.insert(0, str(Path(__file__).parent))

from local_server import STORY_TEXTS, TestServer, canned_server, pipeline_run, story_page  # noqa: E402
from test_fifteenth_probe import PAGE, PAGES, SETTINGS, _record  # noqa: E402
from test_protocol_probe import KeepAlive, ok  # noqa: E402

from newsdedup import warehouse as wh  # noqa: E402
from newsdedup.config import Settings, SourceSpec  # noqa: E402
from newsdedup.fetch import LATER_ERRORS, Fetcher  # noqa: E402
from newsdedup.sources import discover  # noqa: E402


def _fetch(answer: bytes, settings: Settings = SETTINGS, requests: list[bytes] | None = None):  # noqa: ANN202 - a FetchResult
    with canned_server(answer, requests) as srv, Fetcher(settings) as f:
        return f.fetch(srv.url("/story"))


def _with_length(value: bytes, body: bytes = PAGE) -> bytes:
    return ok(body).replace(b"Content-Length: %d" % len(body), b"Content-Length: " + value)


# --- 1. a Content-Length that is no length ---------------------------------------------------------------------

NO_LENGTHS = {
    "plus": b"+%d" % len(PAGE),  # Firefox reads it by strtoll, Chromium as no length (to the close)
    "hex": b"0x%x" % len(PAGE),
    "decimal": b"%d.0" % len(PAGE),
    "negative": b"-5",
    "empty": b"",
    "23-digits": b"9" * 23,
    "two-in-a-list": b"%d, %d" % (len(PAGE), len(PAGE) + 1),
    "two-lines": b"%d\r\nContent-Length: %d" % (len(PAGE), len(PAGE) + 1),
    "space-inside": b"%d %d" % (len(PAGE), len(PAGE)),
}


@pytest.mark.parametrize("value", NO_LENGTHS.values(), ids=NO_LENGTHS.keys())
def test_a_content_length_that_is_no_length_is_named_and_not_tried_again(value: bytes) -> None:
    # RFC 9112 §6.3: an invalid Content-Length (or two different ones) makes the framing invalid, an unrecoverable
    # error; browsers disagree on what the body is (Chromium reads to the close, Firefox takes strtoll's number).
    # h11 refused it as "bad Content-Length": a `connection_error`, tried again by every attempt and every run
    # of a server that answers alike each time. Now `invalid_content_length` naming the value, one attempt, and
    # (a LATER_ERROR) listed again by the next run, as when it was a connection error.
    requests: list[bytes] = []
    res = _fetch(_with_length(value), dataclasses.replace(SETTINGS, retries=2), requests)
    assert (res.error, res.body) == ("invalid_content_length", None), (res.error, res.detail)
    shown = value.split(b"\r\n")[0].decode()
    assert f"Content-Length {shown!r}"[:40] in (res.detail or "") or "Content-Length '" in (res.detail or "")
    assert "RFC 9112" in (res.detail or "")
    assert len(res.attempts) == 1 and requests == [b"GET /story HTTP/1.1"]
    assert "invalid_content_length" in LATER_ERRORS


def test_a_content_length_that_is_no_length_on_a_kept_alive_connection_is_not_sent_again() -> None:
    srv = KeepAlive({"/a": ok(PAGES[0]), "/b": _with_length(b"+%d" % len(PAGES[1]), PAGES[1]), "/c": ok(PAGES[2])})
    with srv, Fetcher(SETTINGS) as f:
        a, b, c = (f.fetch(srv.url(p)) for p in ("/a", "/b", "/c"))
    assert (a.error, b.error, c.error) == (None, "invalid_content_length", None), b.detail
    assert c.body == PAGES[2]
    assert [p for _, p in srv.served] == ["/a", "/b", "/c"]  # /b answered once: not resent as an unanswered GET


@pytest.mark.parametrize("answer", [
    # A Transfer-Encoding overrides the Content-Length (RFC 9112 §6.3 item 3): the chunks frame the body.
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Length: +5\r\n\r\n"
    + b"%x\r\n" % len(PAGE) + PAGE + b"\r\n0\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: abc\r\nTransfer-Encoding: chunked\r\n\r\n"
    + b"%x\r\n" % len(PAGE) + PAGE + b"\r\n0\r\n\r\n",
    # An interim answer's length frames nothing.
    b"HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\nContent-Length: +0\r\n\r\n" + ok(PAGE),
], ids=["chunked-after", "chunked-before", "103-before"])
def test_a_length_that_frames_nothing_is_passed_over(answer: bytes) -> None:
    # h11 refused these too ("bad Content-Length"): a connection_error of a page every browser shows.
    res = _fetch(answer)
    assert (res.error, res.body) == (None, PAGE), (res.error, res.detail)


def test_a_304_whose_length_is_no_length_is_still_not_modified(server: TestServer) -> None:
    # A 304's Content-Length is the length of the page it stands for; no body follows. Its re-check was a
    # connection_error (and the page's validators kept, but the run's log said the site failed).
    served = {"n": 0}

    def answer() -> bytes:
        served["n"] += 1
        if served["n"] == 1:
            return ok(PAGE, extra=b'ETag: "v1"\r\n')
        return b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\nContent-Length: +393\r\n\r\n'

    with canned_server(answer) as srv, Fetcher(SETTINGS) as f:
        first = f.fetch(srv.url("/story"))
        again = f.fetch(srv.url("/story"), etag=first.etag)
    assert first.error is None and first.etag == '"v1"'
    assert (again.error, again.status, again.not_modified) == (None, 304, True), (again.error, again.detail)


@pytest.mark.parametrize("value", [b"%d" % len(PAGE), b" %d " % len(PAGE), b"%d,%d" % (len(PAGE), len(PAGE)),
                                   b"000%d" % len(PAGE)], ids=["plain", "spaced", "list-of-one", "leading-zeros"])
def test_held_a_valid_length_is_read(value: bytes) -> None:
    res = _fetch(_with_length(value))
    assert (res.error, res.body) == (None, PAGE), (res.error, res.detail)


def test_a_content_length_that_is_no_length_reaches_the_warehouse_as_a_failed_attempt(tmp_path: Path) -> None:
    bad = _with_length(b"+%d" % len(PAGE))
    with canned_server(bad) as srv:
        feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                f'<item><title>A</title><link>{srv.url("/story")}</link></item></channel></rss>')
        with TestServer() as fs:
            url = fs.static("/feed.xml", feed, "application/rss+xml")
            pipeline_run(tmp_path, [{"name": "site", "url": url, "kind": "rss"}], "r1")
    db = tmp_path / "w.duckdb"
    log = wh.query_rows(db, "SELECT url, error, detail FROM fetch_log WHERE url LIKE '%/story'")[1]
    assert [(r[1]) for r in log] == ["invalid_content_length"], log
    assert "'+393'" in log[0][2]
    assert wh.query_rows(db, "SELECT count(*) FROM articles")[1] == [(0,)]


# --- 2. WARC records: the status line and the length, read as our fetch reads them off the network ---------------


HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"


def _robots_obeyed(server: TestServer) -> None:
    """With the robots.txt a test serves disallowing /private/ to us: that page refused unfetched, /public/ stored."""
    server.static("/private/story", PAGE)
    server.static("/public/story", PAGES[1])
    with Fetcher(dataclasses.replace(SETTINGS, respect_robots=True)) as f:
        private, public = f.fetch(server.url("/private/story")), f.fetch(server.url("/public/story"))
    assert (private.error, private.body) == ("robots_disallowed", None), (private.error, private.detail)
    assert (public.error, public.body) == (None, PAGES[1])
    assert server.hits["/private/story"] == 0


def _warc_attempts(path: Path) -> tuple[dict[str, tuple[str | None, str | None]], dict[str, bytes]]:
    with Fetcher(SETTINGS) as f:
        d = discover(SourceSpec("w", str(path), "warc"), SETTINGS, f, None)
    assert d.error is None, d.detail
    return {a.url: (a.error, a.detail) for a in d.attempts}, {e.url: e.body for e in d.entries}


BROWSER_READ_HEADS = {
    "two-bytes": b"xx" + HEAD,
    "a-space": b" " + HEAD,
    "two-nuls": b"\0\0" + HEAD,
    "a-short-line": b"x\r\n" + HEAD,
    "line-breaks": b"\r\n\r\n" + HEAD,
    "glued-reason": HEAD.replace(b"200 OK", b"200OK"),
    "tab-before-status": HEAD.replace(b"1.1 200", b"1.1\t200"),
    "lower-case": HEAD.replace(b"HTTP/1.1", b"http/1.1"),
}


@pytest.mark.parametrize("gz", ["member-per-record", "plain"])
def test_a_records_status_line_is_read_as_the_fetch_reads_it(tmp_path: Path, gz: str) -> None:
    # The network path reads each of these as browsers do (`transport._status_line`, session 42); a crawler
    # archives the bytes the server sent, and warcio's parser read none: the same response was a page fetched
    # and `malformed_warc` ("no HTTP response", its first line shown without the junk) archived.
    uris = {name: f"http://news.example/{name}" for name in BROWSER_READ_HEADS}
    members = [_record(uris[name], head + b"\r\n" + PAGES[i % len(PAGES)])
               for i, (name, head) in enumerate(BROWSER_READ_HEADS.items())]
    members.append(_record("http://news.example/junk-line", b"garbage\r\n" + HEAD + b"\r\n" + PAGE))
    members.append(_record("http://news.example/last", HEAD + b"\r\n" + PAGES[1]))
    path = tmp_path / ("c.warc.gz" if gz == "member-per-record" else "c.warc")
    path.write_bytes(b"".join(members) if gz == "member-per-record" else b"".join(gzip.decompress(m) for m in members))
    attempts, bodies = _warc_attempts(path)
    for i, (name, uri) in enumerate(uris.items()):
        assert attempts[uri] == (None, None), (name, attempts[uri])
        assert bodies[uri] == PAGES[i % len(PAGES)], name
    # More junk than Chromium skips is still no response, as on the network.
    assert attempts["http://news.example/junk-line"][0] == "malformed_warc"
    assert bodies["http://news.example/last"] == PAGES[1]


@pytest.mark.parametrize("value", [b"+%d" % len(PAGE), b"0x10", b"%d.0" % len(PAGE), b"-5",
                                   b"%d, %d" % (len(PAGE), len(PAGE) + 1)],
                         ids=["plus", "hex", "decimal", "negative", "two"])  # fmt: skip
def test_a_records_content_length_that_is_no_length_is_refused_as_on_the_network(tmp_path: Path, value: bytes) -> None:
    # Stored as a page (warcio frames the payload by the WARC's own length) where our fetch of the same response
    # is `invalid_content_length`; a 304 or a chunked record's length frames nothing and is passed over.
    path = tmp_path / "c.warc.gz"
    path.write_bytes(
        _record("http://news.example/bad", HEAD + b"Content-Length: " + value + b"\r\n\r\n" + PAGE)
        + _record("http://news.example/chunked", HEAD + b"Transfer-Encoding: chunked\r\nContent-Length: " + value
                  + b"\r\n\r\n" + b"%x\r\n" % len(PAGES[1]) + PAGES[1] + b"\r\n0\r\n\r\n")
        + _record("http://news.example/good", HEAD + b"Content-Length: %d\r\n\r\n" % len(PAGES[2]) + PAGES[2]))
    attempts, bodies = _warc_attempts(path)
    error, detail = attempts["http://news.example/bad"]
    assert error == "invalid_content_length" and "RFC 9112" in (detail or ""), (error, detail)
    assert "http://news.example/bad" not in bodies
    assert bodies["http://news.example/chunked"] == PAGES[1] and bodies["http://news.example/good"] == PAGES[2]


# --- 3. robots.txt groups that name us with a version -------------------------------------------------------------


@pytest.mark.parametrize("agent", ["newsdedup/2.0", "NewsDedup/1.0 (+https://example.org/bot)", "newsdedup 1.0",
                                   "newsdedup/*"], ids=["version", "full-header", "space-version", "slash-star"])
def test_a_robots_group_naming_us_with_a_version_is_ours(server: TestServer, agent: str) -> None:
    # RFC 9309 §2.2.1 matches a group by product token; Google's parser reads a User-agent value up to its first
    # character other than a letter, `_` or `-`. Protego looked for the whole value in our name: the group was
    # passed over and the one for everyone obeyed, so pages the site disallowed to us were fetched and stored.
    server.static("/robots.txt", f"User-agent: {agent}\nDisallow: /private/\n\nUser-agent: *\nAllow: /\n",
                  "text/plain")
    _robots_obeyed(server)


@pytest.mark.parametrize("agent", ["otherbot/2.0", "Mozilla/5.0 (compatible; newsdedup)", "newsdedupx/1.0"],
                         ids=["another-bot", "a-browser-string", "a-longer-name"])
def test_held_a_robots_group_naming_another_agent_is_not_ours(server: TestServer, agent: str) -> None:
    server.static("/robots.txt", f"User-agent: {agent}\nDisallow: /\n\nUser-agent: *\nDisallow: /private/\n",
                  "text/plain")
    server.static("/story", PAGE)
    server.static("/private/story", PAGES[1])
    with Fetcher(dataclasses.replace(SETTINGS, respect_robots=True)) as f:
        page, private = f.fetch(server.url("/story")), f.fetch(server.url("/private/story"))
    assert (page.error, page.body) == (None, PAGE), (page.error, page.detail)
    assert private.error == "robots_disallowed"


# --- 4. a WARC record whose target's scheme is not lower case ------------------------------------------------------


@pytest.mark.parametrize("target", ["HTTP://news.example/upper", "Https://news.example/mixed"])
def test_a_record_whose_target_scheme_is_upper_case_is_read(tmp_path: Path, target: str) -> None:
    # Schemes are case-insensitive (RFC 3986 §3.1) and our fetch reads `HTTP://` as `http://`. warcio (and
    # `_read_http_head` after it) parsed an HTTP head only under a target starting `http:`/`https:`: the record's
    # block, head and all, was read as the page and refused as "application/http with html content".
    path = tmp_path / "c.warc.gz"
    path.write_bytes(_record(target, HEAD + b"\r\n" + PAGES[1]) + _record("http://news.example/b", HEAD + b"\r\n" + PAGE))
    attempts, bodies = _warc_attempts(path)
    assert attempts[target] == (None, None), attempts[target]
    assert bodies[target.lower()] == PAGES[1] and bodies["http://news.example/b"] == PAGE


# --- 5. chunked bodies whose chunk lines end in LF alone -------------------------------------------------------------


CHUNKED_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n"


def _chunks(body: bytes, eol: bytes = b"\n", size: int = 100, trailer: bytes = b"") -> bytes:
    parts = [b"%x%s%s%s" % (len(body[i : i + size]), eol, body[i : i + size], eol) for i in range(0, len(body), size)]
    return b"".join(parts) + b"0" + eol + trailer + eol


LF_BODIES = {
    "lf-only": _chunks(PAGE),
    "lf-with-extension": _chunks(PAGE).replace(b"64\n", b"64;x=1\n"),
    "lf-trailers": _chunks(PAGE, trailer=b"X-Check: a\nExpires: 0\n"),
    "mixed": _chunks(PAGE, size=50).replace(b"\n", b"\r\n", 3),
    "one-chunk": _chunks(PAGE, size=len(PAGE)),
}


@pytest.mark.parametrize("body", LF_BODIES.values(), ids=LF_BODIES.keys())
def test_chunk_lines_ended_by_lf_alone_lose_no_page(body: bytes) -> None:
    # Chromium (HttpChunkedDecoder::ScanForChunkRemaining: "Eliminate a preceding CR"), Firefox and curl read a
    # chunk line up to its LF; h11 takes CR LF only, and the page was a `connection_error` ("peer unexpectedly
    # closed connection"), retried and lost.
    res = _fetch(CHUNKED_HEAD + body)
    assert (res.error, res.body) == (None, PAGE), (res.error, res.detail)


def test_chunk_lines_ended_by_lf_dripped_a_byte_at_a_time_lose_no_page() -> None:
    import socket
    import time

    from local_server import RawServer

    answer = CHUNKED_HEAD + _chunks(PAGE, size=40)

    def drip(conn: socket.socket) -> None:
        conn.recv(65536)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn.sendall(answer[: len(CHUNKED_HEAD) + 1])
        for i in range(len(CHUNKED_HEAD) + 1, len(answer), 7):  # pieces that cut size lines and line ends
            conn.sendall(answer[i : i + 7])
            time.sleep(0.002)
        conn.shutdown(socket.SHUT_WR)

    with RawServer(drip) as srv, Fetcher(SETTINGS) as f:
        res = f.fetch(srv.url("/story"))
    assert (res.error, res.body) == (None, PAGE), (res.error, res.detail)


def test_an_lf_chunked_body_on_a_kept_alive_connection_frames_the_next_response() -> None:
    srv = KeepAlive({"/a": CHUNKED_HEAD + _chunks(PAGES[0]), "/b": ok(PAGES[1]),
                     "/c": CHUNKED_HEAD + _chunks(PAGES[2], eol=b"\r\n")})
    with srv, Fetcher(SETTINGS) as f:
        a, b, c = (f.fetch(srv.url(p)) for p in ("/a", "/b", "/c"))
    assert (a.error, b.error, c.error) == (None, None, None), (a.detail, b.detail, c.detail)
    assert (a.body, b.body, c.body) == (PAGES[0], PAGES[1], PAGES[2])
    assert [n for n, _ in srv.served] == [0, 0, 0]  # one connection, kept


@pytest.mark.parametrize("body", [
    b"+%x\n" % len(PAGE) + PAGE + b"\n0\n\n",  # Chromium refuses a size that is not hex digits
    b"0x%x\r\n" % len(PAGE) + PAGE + b"\r\n0\r\n\r\n",
    b"%x\n" % len(PAGE) + PAGE + b"junk\n0\n\n",  # data longer than its size
    b"%x\n" % len(PAGE) + PAGE + b"\n",  # cut before the last chunk
], ids=["plus-size", "0x-size", "data-past-its-size", "no-last-chunk"])
def test_held_a_chunked_body_browsers_refuse_is_still_refused(body: bytes) -> None:
    res = _fetch(CHUNKED_HEAD + body)
    assert (res.error, res.body) == ("connection_error", None), (res.error, res.detail)


# --- 6. feed dates whose zone is a name feedparser does not know ---------------------------------------------------


ZONED = {
    "cest": ("Mon, 01 Jan 2024 10:00:00 CEST", "2024-01-01T08:00:00+00:00"),  # PHP's date("... T")
    "aest": ("Mon, 01 Jan 2024 09:30:00 AEST", "2023-12-31T23:30:00+00:00"),  # the day before, in UTC
    "jst": ("Mon, 01 Jan 2024 10:00 JST", "2024-01-01T01:00:00+00:00"),
    "msk": ("Mon, 01 Jan 2024 10:00:00 msk", "2024-01-01T07:00:00+00:00"),
    "acst": ("Mon, 01 Jan 2024 10:00:00 ACST", "2024-01-01T00:30:00+00:00"),
}
HELD_ZONED = {
    "est": ("Mon, 01 Jan 2024 10:00:00 EST", "2024-01-01T15:00:00+00:00"),  # RFC 822's own: feedparser reads it
    "gmt": ("Mon, 01 Jan 2024 10:00:00 GMT", "2024-01-01T10:00:00+00:00"),
    "numeric": ("Mon, 01 Jan 2024 10:00:00 +0200", "2024-01-01T08:00:00+00:00"),
    "ist-ambiguous": ("Mon, 01 Jan 2024 10:00:00 IST", "2024-01-01T10:00:00+00:00"),  # India, Israel or Ireland
    "bst-ambiguous": ("Mon, 01 Jan 2024 10:00:00 BST", "2024-01-01T10:00:00+00:00"),  # RFC 5322 §4.3: UTC
    "unknown": ("Mon, 01 Jan 2024 10:00:00 XYZ", "2024-01-01T10:00:00+00:00"),
    "met": ("Mon, 01 Jan 2024 10:00:00 MEST", "2024-01-01T08:00:00+00:00"),  # one feedparser knows
}


def _dated_feed(dates: dict[str, tuple[str, str]]) -> str:
    items = "".join(f"<item><title>{k}</title><link>https://news.example/{k}</link><pubDate>{d}</pubDate></item>"
                    for k, (d, _) in dates.items())
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'


@pytest.mark.parametrize("dates", [ZONED, HELD_ZONED], ids=["named-zones", "held"])
def test_a_feed_date_in_a_named_zone_is_read_in_that_zone(server: TestServer, dates: dict[str, tuple[str, str]]) -> None:
    # feedparser reads a zone name it does not know as UTC: "10:00:00 CEST" was stored as 10:00 UTC, two hours late
    # (AEST ten, the day itself wrong for a morning story). A name with one offset (the bylines' table,
    # settings.ZONE_ABBREVIATIONS) is read now; RFC 822's names, numeric offsets and ambiguous names as before.
    url = server.static("/feed.xml", _dated_feed(dates), "application/rss+xml")
    with Fetcher(SETTINGS) as f:
        d = discover(SourceSpec("s", url, "rss"), SETTINGS, f, None)
    assert d.error is None, d.detail
    got = {e.url.rsplit("/", 1)[1]: e.published.isoformat() if e.published else e.date_note for e in d.entries}
    assert got == {k: want for k, (_, want) in dates.items()}


# --- 7. WARC records: chunk lines, trailers and interim answers, read as the fetch reads them ------------------------


RECORD_BLOCKS = {
    "lf-chunk-lines": CHUNKED_HEAD + _chunks(PAGE),
    "crlf-trailers": CHUNKED_HEAD + _chunks(PAGE, eol=b"\r\n", trailer=b"X-Checksum: abc\r\nExpires: 0\r\n"),
    "lf-trailers": CHUNKED_HEAD + _chunks(PAGE, trailer=b"X-Checksum: abc\n"),
    "100-first": b"HTTP/1.1 100 Continue\r\n\r\n" + HEAD + b"\r\n" + PAGE,
    "103-first": b"HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n" + HEAD + b"\r\n" + PAGE,
    "two-interim": b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\n\r\n" + CHUNKED_HEAD + _chunks(PAGE),
}


@pytest.mark.parametrize("gz", ["member-per-record", "plain"])
def test_a_records_chunk_lines_trailers_and_interim_answers_lose_no_page(tmp_path: Path, gz: str) -> None:
    # warcio's ChunkedDataReader takes chunk lines ended by CR LF and no trailer; short of that it reads the rest
    # as not chunked: the page was stored with its chunk sizes, its last chunk and its trailers inside (a corrupt
    # page, where our fetch of the same bytes reads the page). An interim answer archived before the response
    # (a crawler recording the connection's bytes keeps a CDN's 103) made the record `http_103`, its page lost.
    uris = {name: f"http://news.example/{name}" for name in RECORD_BLOCKS}
    members = [_record(uris[name], block) for name, block in RECORD_BLOCKS.items()]
    members.append(_record("http://news.example/stored-dechunked", CHUNKED_HEAD + PAGES[1]))  # read as stored
    members.append(_record("http://news.example/only-interim", b"HTTP/1.1 100 Continue\r\n\r\n"))
    path = tmp_path / ("c.warc.gz" if gz == "member-per-record" else "c.warc")
    path.write_bytes(b"".join(members) if gz == "member-per-record" else b"".join(gzip.decompress(m) for m in members))
    attempts, bodies = _warc_attempts(path)
    for name, uri in uris.items():
        assert attempts[uri] == (None, None) and bodies.get(uri) == PAGE, (name, attempts[uri], bodies.get(uri, b"")[-40:])
    assert bodies["http://news.example/stored-dechunked"] == PAGES[1]
    assert attempts["http://news.example/only-interim"][0] == "http_100"


# --- 8. property: chunk lines are ended by CR LF under any split of the bytes, and nothing else changes ---------------


@pytest.mark.parametrize("trailers", [True, False], ids=["trailers-kept", "trailers-dropped"])
def test_chunk_lines_property_any_split(trailers: bool) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from newsdedup.transport import ChunkLines

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(chunks=st.lists(st.binary(min_size=1, max_size=40), max_size=6),
           eols=st.lists(st.sampled_from([b"\r\n", b"\n"]), min_size=20, max_size=20),
           trailer=st.sampled_from([b"", b"X-A: 1", b"X-A: 1|X-B: 2"]), after=st.binary(max_size=8),
           cuts=st.lists(st.integers(min_value=1, max_value=30), min_size=1, max_size=50))  # fmt: skip
    def check(chunks: list[bytes], eols: list[bytes], trailer: bytes, after: bytes, cuts: list[int]) -> None:
        fields = [t for t in trailer.split(b"|") if t]
        eol = iter(eols * 4)
        wire = b"".join(b"%x%s%s%s" % (len(c), next(eol), c, next(eol)) for c in chunks)
        wire += b"0" + next(eol) + b"".join(t + next(eol) for t in fields) + next(eol) + after
        want = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n"
        want += b"".join(t + b"\r\n" for t in fields if trailers) + b"\r\n" + after
        lines, got, i = ChunkLines(trailers=trailers), b"", 0
        for cut in cuts * (len(wire) // len(cuts) + 1):
            if i >= len(wire):
                break
            got += lines.feed(wire[i : i + cut])
            i += cut
        assert got + lines.feed(b"") == want

    check()


# --- 9. a UTF-16 page mostly in CJK text, without a BOM, under a UTF-16 header label --------------------------------


CJK_STORY = ("港口管理局周一表示，新的集装箱码头将于明年春天启用，比原计划晚了两年。"
             "此前该局与建筑公司就疏浚航道的费用发生了争执。航运公司已被告知预计会有延误。"
             "管理局发言人说，码头建成后每年可处理三百万个标准集装箱，并将为当地创造约两千个工作岗位。") * 4
CJK_PAGE = (f"<html lang='zh'><head><title>新码头推迟启用</title></head><body><article><h1>新码头推迟启用</h1>"
            f"<p>{CJK_STORY}</p><p>{CJK_STORY}</p></article></body></html>")


@pytest.mark.parametrize(("codec", "label"), [("utf-16-le", "utf-16le"), ("utf-16-be", "utf-16be"),
                                              ("utf-16-le", "utf-16")], ids=["le", "be", "utf-16-is-le"])
def test_a_utf16_cjk_page_without_a_bom_under_its_header_label_is_read(tmp_path: Path, codec: str, label: str) -> None:
    # Browsers obey a UTF-16 label in the Content-Type header without a BOM (`utf-16` as little-endian). Markup
    # in UTF-16 puts a NUL after each ASCII letter, but a Chinese story's characters hold none: 8 % of its bytes
    # were NULs, under the 25 % `utf16_shape` asks with no label, and the page was "text/html with binary
    # content, not HTML" at the fetch (read as cp1252 mojibake by the decoder).
    body = CJK_PAGE.encode(codec)
    with TestServer() as srv:
        url = srv.static("/story", body, f"text/html; charset={label}")
        pipeline_run(tmp_path, [{"name": "site", "url": url, "kind": "page"}], "r1")
    db = tmp_path / "w.duckdb"
    log = wh.query_rows(db, "SELECT error, detail FROM fetch_log WHERE url LIKE '%/story'")[1]
    assert log == [(None, None)], log
    rows = wh.query_rows(db, "SELECT title, text FROM articles")[1]
    assert len(rows) == 1 and rows[0][0] == "新码头推迟启用" and "集装箱码头" in rows[0][1], rows


@pytest.mark.parametrize(("body", "ctype"), [
    (CJK_PAGE.encode("utf-16-be"), "text/html; charset=utf-16le"),  # the other order than its label
    (CJK_PAGE.encode("utf-16-le"), "text/html"),  # no label: no guess below the 25 % shape
    (story_page("Story", STORY_TEXTS[0]), "text/html; charset=utf-16le"),  # an ASCII page under a wrong label
], ids=["wrong-order", "no-label", "ascii-under-utf16-label"])
def test_held_a_utf16_label_does_not_make_other_bytes_utf16(body: bytes, ctype: str) -> None:
    from newsdedup.charset import decode
    from newsdedup.fetch import acceptable

    if body.isascii():
        assert acceptable("html", ctype, body) is None and decode(body, ctype) == (body.decode(), "utf-8")
    else:
        assert acceptable("html", ctype, body) == "text/html with binary content, not HTML"
