"""The fifteenth attacker probe (session 41): what the web and files send that the fourteen probes before it did
not try or left open: the headers of WARC records and the files of `dir` sources, line breaks before a status
line (read in one place), Content-Disposition, and truncated or partial responses. Each test of a fix failed on
the code before it; the `test_held_*` ones record what held. Network tests run against real servers on
127.0.0.1, file tests on real files."""

from __future__ import annotations

import codecs
import dataclasses
import gzip
import itertools
import logging
import os
import socket
import sys
import time
import zlib
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


# --- 2. WARC records: their headers read as a fetched response's, half pages and non-HTTP blocks refused -------


def _block(head: bytes, body: bytes) -> bytes:
    return head.replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n") + b"\r\n" + body


def _record(uri: str, block: bytes, *, rtype: str = "response", ctype: str = "application/http; msgtype=response",
            extra: str = "") -> bytes:  # fmt: skip
    """One WARC record written byte by byte (warcio's writer parses and rewrites the HTTP head it is given)."""
    head = (f"WARC/1.0\r\nWARC-Type: {rtype}\r\nWARC-Record-ID: <urn:uuid:{abs(hash((uri, block)))}>\r\n"
            f"WARC-Date: 2024-05-01T10:00:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: {ctype}\r\n{extra}"
            f"Content-Length: {len(block)}\r\n\r\n").encode("latin-1")  # fmt: skip
    return gzip.compress(head + block + b"\r\n\r\n")


def _warc_discover(path: Path) -> tuple[dict[str, tuple[str | None, str | None, int | None]], dict[str, object]]:
    with Fetcher(SETTINGS) as f:
        d = discover(SourceSpec("w", str(path), "warc"), SETTINGS, f, None)
    assert d.error is None, d.detail
    return {a.url: (a.error, a.detail, a.status) for a in d.attempts}, {e.url: e for e in d.entries}


OK_HEAD = b"HTTP/1.1 200 OK\nContent-Type: text/html; charset=utf-8\n"


def test_a_records_content_type_is_read_as_a_fetched_responses(tmp_path: Path) -> None:
    # Our fetch reads a Content-Type sent twice as browsers do (the last type wins: `content_type_of`) and stores
    # none with control characters (`without_controls`). A WARC record's took the first line, and kept a C1
    # control (U+009B, a terminal's CSI; a Latin-1 byte of the archived head) in raw_pages as archived.
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(
        _record("https://wire.example/twice", _block(b"HTTP/1.1 200 OK\nContent-Type: text/html; charset=koi8-r\n"
                                                     b"Content-Type: text/html; charset=utf-8\n", PAGES[0]))
        + _record("https://wire.example/csi", _block(b"HTTP/1.1 200 OK\nContent-Type: text/html; charset=\x9b2J\n",
                                                     PAGES[1]))
        + _record("https://wire.example/file", PAGES[2], rtype="resource", ctype="text/html;\x9b charset=utf-8"))
    _, entries = _warc_discover(warc)
    assert entries["https://wire.example/twice"].content_type == "text/html; charset=utf-8"
    assert entries["https://wire.example/csi"].content_type == "text/html; charset=\ufffd2J"
    assert entries["https://wire.example/file"].content_type == "text/html;\ufffd charset=utf-8"


@pytest.mark.parametrize("block, ctype", [
    (PAGE, "text/html; charset=utf-8"),  # a tool that writes the page itself as a response record's block
    (PAGE, "application/http; msgtype=response"),  # said to be HTTP, but only the page
    (_block(b"HTTP/1.1 abc OK\nContent-Type: text/html\n", PAGE), "application/http; msgtype=response"),
    (_block(b"ICY 200 OK\nContent-Type: text/html\n", PAGE), "application/http; msgtype=response"),
], ids=["page-as-block", "page-said-http", "status-not-a-number", "not-http"])
def test_a_response_record_whose_block_is_no_http_response_is_refused_as_such(tmp_path: Path, block: bytes,
                                                                               ctype: str) -> None:  # fmt: skip
    # warcio reads the block of every response record with an http(s) target as an HTTP response, leniently: a
    # status line that is no number was a page of no status, stored; a block that is the page itself lost its
    # first line as a "status line" and was refused as "no content type with text content" (of a page).
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(_record("https://wire.example/odd", block, ctype=ctype)
                     + _record("https://wire.example/fine", _block(OK_HEAD, PAGES[1])))
    attempts, entries = _warc_discover(warc)
    error, detail, _ = attempts["https://wire.example/odd"]
    assert error == "malformed_warc" and "no HTTP response" in (detail or ""), detail
    assert list(entries) == ["https://wire.example/fine"]


@pytest.mark.parametrize("head, extra", [
    (OK_HEAD, "WARC-Truncated: length\r\n"),  # Heritrix's size limit
    (OK_HEAD, "WARC-Truncated: time\r\n"),
    (OK_HEAD + b"Content-Length: %d\n" % (len(PAGE) * 3), ""),  # the connection lost mid-body, archived anyway
], ids=["warc-truncated-length", "warc-truncated-time", "short-of-content-length"])
def test_a_record_the_crawler_cut_is_not_stored_as_a_whole_page(tmp_path: Path, head: bytes, extra: str) -> None:
    # Half a page stored as the article: dedup then saw a short "copy" of the story, and a re-check of the URL
    # would revise it as if the site had rewritten it. The network path refuses a body short of its length.
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(_record("https://wire.example/cut", _block(head, PAGE[: len(PAGE) // 2]), extra=extra)
                     + _record("https://wire.example/fine", _block(OK_HEAD, PAGES[1])))
    attempts, entries = _warc_discover(warc)
    assert attempts["https://wire.example/cut"][0] == "truncated_record", attempts
    assert list(entries) == ["https://wire.example/fine"]


def test_held_whole_records_with_a_length_chunks_or_gzip_are_read(tmp_path: Path) -> None:
    # The checks leave alone what is whole: a length equal to the payload, a chunked payload (no length), a gzip
    # payload whose length counts the compressed bytes, an HTTP/2 capture's status line ("HTTP/2 200").
    packed = gzip.compress(PAGES[2])
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(
        _record("https://wire.example/0", _block(OK_HEAD + b"Content-Length: %d\n" % len(PAGES[0]), PAGES[0]))
        + _record("https://wire.example/1", _block(OK_HEAD + b"Transfer-Encoding: chunked\n",
                                                   b"%x\r\n%s\r\n0\r\n\r\n" % (len(PAGES[1]), PAGES[1])))
        + _record("https://wire.example/2", _block(OK_HEAD + b"Content-Encoding: gzip\nContent-Length: %d\n"
                                                   % len(packed), packed))
        + _record("https://wire.example/3", _block(b"HTTP/2 200\ncontent-type: text/html\n", PAGES[3])))  # fmt: skip
    attempts, entries = _warc_discover(warc)
    assert {u: e.body for u, e in entries.items()} == {f"https://wire.example/{i}": PAGES[i] for i in range(4)}


def test_held_other_record_types_and_scripted_targets_are_passed_over(tmp_path: Path) -> None:
    # revisit (an unchanged payload: the page is the earlier record), request and metadata records are no pages
    # and are passed over, a 304 is no page (not a cut one); a `javascript:` or `data:` target is an invalid_url attempt, never an article.
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(
        _record("https://wire.example/0", _block(OK_HEAD, b""), rtype="revisit",
                extra="WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest\r\n")
        + _record("https://wire.example/0", b"GET /0 HTTP/1.1\r\nHost: wire.example\r\n\r\n", rtype="request",
                  ctype="application/http; msgtype=request")
        + _record("https://wire.example/0", b"outlink: https://wire.example/1\r\n", rtype="metadata",
                  ctype="application/warc-fields")
        + _record("javascript:alert(document.cookie)//", _block(OK_HEAD, PAGES[0]))
        + _record("data:text/html,<p>x</p>", _block(OK_HEAD, PAGES[0]))
        + _record("https://wire.example/304", _block(b"HTTP/1.1 304 Not Modified\nContent-Length: 5000\n", b""))
        + _record("https://wire.example/1", _block(OK_HEAD, PAGES[1])))
    attempts, entries = _warc_discover(warc)
    assert list(entries) == ["https://wire.example/1"]
    assert attempts["https://wire.example/304"][0] == "http_304"  # its length names the page it did not send
    assert attempts["javascript:alert(document.cookie)//"][0] == "invalid_url"
    assert attempts["data:text/html,<p>x</p>"][0] == "invalid_url"


def test_held_a_records_charset_that_lies_about_its_bytes_loses_no_text(tmp_path: Path) -> None:
    # `charset=utf-16` (or Latin-1) over UTF-8 bytes: the bytes that are valid UTF-8 keep their veto, and a
    # UTF-8 BOM wins over the header, as for a fetched page.
    from newsdedup.charset import decode

    text = "Café owners meet the mayor about the harbour"
    page = story_page(text, STORY_TEXTS[0])
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(
        _record("https://wire.example/u16", _block(b"HTTP/1.1 200 OK\nContent-Type: text/html; charset=utf-16\n", page))
        + _record("https://wire.example/l1", _block(b"HTTP/1.1 200 OK\nContent-Type: text/html; charset=latin-1\n",
                                                    codecs.BOM_UTF8 + page)))  # fmt: skip
    _, entries = _warc_discover(warc)
    for e in entries.values():
        assert text in decode(e.body, e.content_type)[0], e.url


def test_a_warcs_bad_records_reach_the_warehouse_as_failed_attempts_only(tmp_path: Path) -> None:
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(
        _record("https://wire.example/cut", _block(OK_HEAD, PAGES[0][:300]), extra="WARC-Truncated: length\r\n")
        + _record("https://wire.example/odd", PAGES[1], ctype="text/html")
        + _record("https://wire.example/dl", _block(OK_HEAD + b'Content-Disposition: attachment; filename="s.html"\n',
                                                    PAGES[2]))
        + _record("https://wire.example/csi", _block(b"HTTP/1.1 200 OK\nContent-Type: text/html;\x9b\n", PAGES[3])))
    pipeline_run(tmp_path, [{"name": "w", "url": str(warc), "kind": "warc"}], "r1")
    db = tmp_path / "w.duckdb"
    assert wh.query_rows(db, "SELECT url, content_type FROM raw_pages")[1] == [
        ("https://wire.example/csi", "text/html;\ufffd")]
    errors = dict(wh.query_rows(db, "SELECT url, error FROM fetch_log WHERE error IS NOT NULL")[1])
    assert errors == {"https://wire.example/cut": "truncated_record", "https://wire.example/odd": "malformed_warc",
                      "https://wire.example/dl": "attachment"}


# --- 3. dir sources: what a drop folder holds besides pages ------------------------------------------------------


def _dir_discover(root: Path) -> tuple[dict[str, tuple[str | None, str | None]], dict[str, bytes]]:
    with Fetcher(SETTINGS) as f:
        d = discover(SourceSpec("d", str(root), "dir", options={"settle_seconds": 0}), SETTINGS, f, None)
    assert d.error is None, d.detail
    return ({a.url.rsplit("/", 1)[1]: (a.error, a.detail) for a in d.attempts},
            {e.url.rsplit("/", 1)[1]: e.body for e in d.entries})


def test_a_fifo_named_like_a_page_is_skipped_and_said(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # `mkfifo story.html` in a drop folder others write to: never opened (its reader would wait for a writer),
    # as before, but it was skipped in silence, where links out of the folder and files gone are logged.
    root = tmp_path / "drop"
    root.mkdir()
    os.mkfifo(root / "story.html")
    (root / "page.html").write_bytes(PAGE)
    with caplog.at_level(logging.WARNING, logger="newsdedup.sources"):
        attempts, entries = _dir_discover(root)
    assert list(entries) == ["page.html"] and list(attempts) == ["page.html"]
    assert "1 names skipped: not regular files" in caplog.text and "story.html" in caplog.text


def test_bytes_of_no_text_without_a_nul_are_no_page(tmp_path: Path, server: TestServer) -> None:
    # Compressed or encrypted bytes (a `.html` that is an xz, zstd or age file; random bytes) have no NUL in
    # their first 512 bytes about one time in seven: `sniff` called them text, a `dir` file (typed text/html)
    # or a page served as text/html was accepted, and its mojibake stored. WHATWG's binary data bytes decide.
    junk = b"\x28\xb5\x2f\xfd" + bytes(range(1, 256)) * 16  # a zstd frame's magic and bytes of no text
    root = tmp_path / "drop"
    root.mkdir()
    (root / "archive.html").write_bytes(junk)
    (root / "text.html").write_bytes(b"Plain words\tand a form feed\x0c and an ESC \x1b[0m, no markup\n")
    attempts, entries = _dir_discover(root)
    assert attempts["archive.html"][0] == "unsupported_content_type", attempts
    assert "binary content" in (attempts["archive.html"][1] or "")
    assert list(entries) == ["text.html"]  # text without markup is still a page's text when typed text/html
    url = server.static("/story", junk)
    with Fetcher(SETTINGS) as f:
        res = f.fetch(url)
    assert res.error == "unsupported_content_type" and res.body is None, (res.error, res.detail)


def test_held_binary_empty_utf16_and_oversized_files_in_a_folder(tmp_path: Path) -> None:
    from newsdedup.charset import decode

    root = tmp_path / "drop"
    root.mkdir()
    text = "Café owners meet the mayor about the harbour"
    page = story_page(text, STORY_TEXTS[0]).decode()
    (root / "random.html").write_bytes(b"\x00" + os.urandom(4096))
    (root / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(64))
    (root / "u16le.html").write_bytes(codecs.BOM_UTF16_LE + page.encode("utf-16-le"))
    (root / "u16be.html").write_bytes(codecs.BOM_UTF16_BE + page.encode("utf-16-be"))
    (root / "empty.html").write_bytes(b"")
    (root / "huge.html").write_bytes(b"<html><body>" + b"<p>word</p>" * (SETTINGS.max_bytes // 11 + 1))
    attempts, entries = _dir_discover(root)
    assert attempts["random.html"][0] == attempts["image.html"][0] == "unsupported_content_type"
    assert attempts["huge.html"][0] == "too_large"
    for name in ("u16le.html", "u16be.html"):
        assert text in decode(entries[name], "text/html")[0]
    # An empty file is a page of no text: the clean step fails it by name (a file still being created waits
    # in the settle time; one filled later is read again by its new mtime).
    assert entries["empty.html"] == b""


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
     + PAGE, "invalid_content_length"),  # named since session 43 (tests/test_seventeenth_probe.py)
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



# --- 6. header lines browsers pass over: the page is read, not the whole response refused -----------------------


@pytest.mark.parametrize("line", [
    b"get-ban-to-cache-result/forum.php: userdata not support",  # a WAF's line in front of a large forum
    b"Garbage line without a colon",
    b"X\tTab: in its name",
    b"(Bad) name: and a value\r\n folded onto a second line",
    b": a value with no name",
], ids=["slash-in-name", "no-colon", "tab-in-name", "folded-bad-line", "no-name"])
def test_a_header_line_browsers_pass_over_loses_no_page(line: bytes) -> None:
    # h11 refused the whole response ("illegal header line"): retried, then a connection_error, where Chromium and
    # Firefox skip the line and show the page.
    answer = b"HTTP/1.1 200 OK\r\n" + line + b"\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n"
    with canned_server(answer % len(PAGE) + PAGE) as srv, Fetcher(SETTINGS) as f:
        res = f.fetch(srv.url("/story"))
    assert (res.error, res.body, res.content_type) == (None, PAGE, "text/html; charset=utf-8"), res.detail


def test_white_space_before_a_colon_is_trimmed_and_frames_the_body_on_a_kept_alive_connection() -> None:
    # `Content-Length : N` is the length, as Chromium reads it (the name trimmed): both of our parsers see the
    # trimmed line, so the next response on the connection is read where it starts.
    def spaced(body: bytes) -> bytes:
        return b"HTTP/1.1 200 OK\r\nContent-Type : text/html\r\nContent-Length\t: %d\r\n\r\n" % len(body) + body

    srv = KeepAlive({"/a": spaced(PAGES[0]), "/b": spaced(PAGES[1])})
    with srv, Fetcher(SETTINGS) as f:
        a, b = f.fetch(srv.url("/a")), f.fetch(srv.url("/b"))
    assert (a.error, a.body, a.content_type, b.error, b.body) == (None, PAGES[0], "text/html", None, PAGES[1])
    assert [n for n, _ in srv.served] == [0, 0]


def test_held_a_nul_in_a_response_head_is_still_refused() -> None:
    # Chromium refuses a head holding a NUL; the lines are left whole for h11 to refuse.
    answer = b"HTTP/1.1 200 OK\r\nX-A\x00: b\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(PAGE)
    with canned_server(answer + PAGE) as srv, Fetcher(SETTINGS) as f:
        res = f.fetch(srv.url("/story"))
    assert res.error == "connection_error" and res.body is None, (res.error, res.detail)


# --- 7. a WARC target's user:password never reaches the warehouse ------------------------------------------------


def test_a_warc_targets_credentials_are_not_stored(tmp_path: Path) -> None:
    # A crawl of a site behind Basic auth archives `https://user:pw@host/...` (wget --http-user, a crawler given
    # the credentials in its seed URL). The article's URL was canonical (no userinfo), but fetch_log kept each
    # target as written, in url, final_url and an invalid_url's detail, for every analyst to read.
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(
        _record("https://editor:s3cret-0@wire.example/p", _block(OK_HEAD, PAGES[0]))
        + _record("https://editor:s3cret-1@wire.example/cut", _block(OK_HEAD, PAGES[1][:200]),
                  extra="WARC-Truncated: length\r\n")
        + _record("javascript://editor:s3cret-2@x/%0aalert(1)", _block(OK_HEAD, PAGES[2])))
    pipeline_run(tmp_path, [{"name": "w", "url": str(warc), "kind": "warc"}], "r1")
    db = tmp_path / "w.duckdb"
    for table in ("fetch_log", "raw_pages", "articles", "article_revisions"):
        assert "s3cret" not in str(wh.query_rows(db, f"SELECT * FROM {table}")[1]), table
    assert sorted(wh.query_rows(db, "SELECT url, error FROM fetch_log")[1]) == [
        ("https://wire.example/cut", "truncated_record"), ("https://wire.example/p", None),
        ("javascript://x/%0aalert(1)", "invalid_url")]


def test_held_a_feeds_xml_base_is_read_as_feed_readers_read_it(server: TestServer) -> None:
    # xml:base naming another host resolves relative links there (as feed readers resolve them: the feed's
    # owner could list those absolute links anyway); one naming `javascript:` is passed over for the
    # enclosing base, one naming `file:` leaves a link no fetch takes (skipped and counted).
    feed = ("<feed xmlns='http://www.w3.org/2005/Atom' xml:base='https://other.example/x/'><title>F</title>"
            "<entry><title>a</title><link href='s1.html'/><id>1</id></entry>"
            "<entry xml:base='javascript:alert(1)//'><title>b</title><link href='s2'/><id>2</id></entry>"
            "<entry xml:base='file:///etc/'><title>c</title><link href='passwd'/><id>3</id></entry></feed>")
    url = server.static("/atom.xml", feed, "application/atom+xml")
    with Fetcher(SETTINGS) as f:
        d = discover(SourceSpec("f", url, "atom"), SETTINGS, f, None)
    assert [e.url for e in d.entries] == ["https://other.example/x/s1.html", "https://other.example/x/s2"]


# --- 8. a WARC record's payload decoded as a fetched body is ------------------------------------------------------


@pytest.mark.parametrize("head, payload", [
    (b"Content-Encoding: x-gzip\n", gzip.compress(PAGE)),  # gzip's old name, which our fetch and browsers read
    (b"Content-Encoding: gzip, gzip\n", gzip.compress(gzip.compress(PAGE))),
    (b"Content-Encoding: deflate\n", zlib.compress(PAGE)),
    (b"Transfer-Encoding: Chunked\n", b"%x\r\n%s\r\n0\r\n\r\n" % (len(PAGE), PAGE)),
    (b"Transfer-Encoding: chunked, chunked\n", b"%x\r\n%s\r\n0\r\n\r\n" % (len(PAGE), PAGE)),
    (b"Transfer-Encoding: chunked\nContent-Encoding: x-gzip\n",
     b"%x\r\n%s\r\n0\r\n\r\n" % (len(gzip.compress(PAGE)), gzip.compress(PAGE))),
], ids=["x-gzip", "gzip-twice", "deflate", "Chunked", "chunked-twice", "chunked-x-gzip"])
def test_a_records_payload_is_decoded_as_a_fetched_body(tmp_path: Path, head: bytes, payload: bytes) -> None:
    # warcio's content_stream dechunks only a Transfer-Encoding of exactly `chunked` and decodes one coding it
    # knows: `Chunked` left the chunk sizes inside the stored page, `x-gzip` and `gzip, gzip` were refused as
    # gzip content.
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(_record("https://wire.example/p", _block(OK_HEAD + head, payload)))
    attempts, entries = _warc_discover(warc)
    assert attempts["https://wire.example/p"][0] is None, attempts
    assert entries["https://wire.example/p"].body == PAGE


def test_a_records_payload_that_cannot_be_decoded_is_said_so(tmp_path: Path) -> None:
    # A coding no fetch reads (br, zstd) gave the compressed bytes as the page: refused as "binary content" or,
    # a NUL short, stored as mojibake. A cut gzip payload and a bomb are named as on the network.
    bomb = gzip.compress(b"\0" * (SETTINGS.max_bytes * 2))
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(
        _record("https://wire.example/br", _block(OK_HEAD + b"Content-Encoding: br\n", bytes(range(1, 200)) * 3))
        + _record("https://wire.example/cut", _block(OK_HEAD + b"Content-Encoding: gzip\n", gzip.compress(PAGE)[:-40]))
        + _record("https://wire.example/bomb", _block(OK_HEAD + b"Content-Encoding: gzip\n", bomb))
        + _record("https://wire.example/plain", _block(OK_HEAD + b"Content-Encoding: gzip\n", PAGES[1])))
    attempts, entries = _warc_discover(warc)
    assert {u: a[0] for u, a in attempts.items()} == {
        "https://wire.example/br": "unsupported_content_encoding", "https://wire.example/cut": "truncated_record",
        "https://wire.example/bomb": "decompression_bomb", "https://wire.example/plain": None}
    # held: a payload a browser-driven crawler stored decoded under its coding's header is its page
    assert entries["https://wire.example/plain"].body == PAGES[1]


# --- 9. a host written with percent escapes is the host browsers read --------------------------------------------


def test_a_percent_escaped_host_is_read_decoded_as_browsers_read_it(server: TestServer) -> None:
    # WHATWG URL host parsing percent-decodes the host (`exa%6Dple.com` is example.com): a feed's link so written
    # was refused as "not a DNS name". Decoded, it is one host under one id, behind the same address guard.
    from newsdedup.urls import InvalidURL, canonicalize_url

    assert canonicalize_url("https://exa%6Dple.com/p") == "https://example.com/p"
    assert canonicalize_url("https://b%C3%BCcher.example/") == "https://xn--bcher-kva.example/"
    for bad in ("https://a%2Fb.com/", "https://a%00b.com/", "https://a%25b.com/", "https://%ff.com/"):
        with pytest.raises(InvalidURL):
            canonicalize_url(bad)
    server.static("/s1", PAGES[1])
    escaped = server.url("/s1").replace("127.0.0.1", "%31%32%37.0.0.%31")
    items = f"<item><title>S1</title><link>{escaped}</link></item>"
    feed = server.static("/feed.xml", f"<rss version='2.0'><channel><title>F</title>{items}</channel></rss>",
                         "application/rss+xml")
    with Fetcher(SETTINGS) as f:
        d = discover(SourceSpec("f", feed, "rss"), SETTINGS, f, None)
        assert [e.url for e in d.entries] == [server.url("/s1")], d.detail
        assert f.fetch(escaped).body == PAGES[1]
    with Fetcher(dataclasses.replace(SETTINGS, allow_private_networks=False)) as f:
        assert f.fetch(escaped).error == "private_address"  # the guard checks the host decoded


# --- 10. a Content-Encoding that names no coding -----------------------------------------------------------------


@pytest.mark.parametrize("value, body", [
    ("UTF-8", PAGE),  # a charset written as the coding (PHP and openresty apps)
    ("none", PAGE),
    ("text/html", PAGE),
    ("utf-8, gzip", gzip.compress(PAGE)),
], ids=["utf-8", "none", "a-type", "utf-8-then-gzip"])
def test_a_content_encoding_that_names_no_coding_loses_no_page(server: TestServer, value: str, body: bytes) -> None:
    # Browsers read the body of a coding they do not know as it came (Chromium's URLRequestHttpJob); the page was
    # `unsupported_content_encoding`.
    url = server.static("/story", body, headers={"Content-Encoding": value})
    with Fetcher(SETTINGS) as f:
        res = f.fetch(url)
    assert (res.error, res.body) == (None, PAGE), res.detail


@pytest.mark.parametrize("value", ["br", "zstd", "gzip, br", "compress"])
def test_held_a_coding_we_do_not_read_is_refused_by_name(server: TestServer, value: str) -> None:
    url = server.static("/story", bytes(range(1, 200)) * 3, headers={"Content-Encoding": value})
    with Fetcher(SETTINGS) as f:
        res = f.fetch(url)
    assert res.error == "unsupported_content_encoding" and res.body is None, (res.error, res.detail)
