"""The fourteenth attacker probe (session 40): what the web sends (framing, charsets, canonical links, header
values, feeds, redirects) that the thirteen probes before it did not try or left open. Each test of a fix
failed on the code before it; the `test_held_*` ones record what held. Network tests run against real servers
on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fetch"))

from local_server import STORY_TEXTS, RawServer, TestServer, canned_server, pipeline_run  # noqa: E402
from probekit import NOW, SETTINGS  # noqa: E402

from newsdedup import warehouse as wh  # noqa: E402
from newsdedup.fetch import Fetcher  # noqa: E402

BODY = "".join(f"<p>{t}</p>" for t in STORY_TEXTS[:2])
PAGE = f"<html><head><title>Harbour terminal delayed</title></head><body><article><h1>Harbour terminal delayed</h1>{BODY}</article></body></html>".encode()



def _chunked(body: bytes) -> bytes:
    half = len(body) // 2
    return b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (half, body[:half], len(body) - half, body[half:])


# --- 1. Transfer-Encoding naming chunked twice, or identity beside it, is read as browsers read it -------------


@pytest.mark.parametrize("lines", [
    b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",  # a proxy adding its own line
    b"Transfer-Encoding: chunked, chunked\r\n",
    b"Transfer-Encoding: identity, chunked\r\n",
    b"Transfer-Encoding: Chunked\r\nTransfer-Encoding: identity\r\n",
    b"Transfer-Encoding: identity\r\nTransfer-Encoding: chunked\r\n",
])
def test_chunked_named_twice_or_beside_identity_is_read_as_chunked(lines: bytes) -> None:
    # h11 takes one Transfer-Encoding line whose value is exactly "chunked": these were
    # `unsupported_transfer_encoding`, the page lost, where browsers read the body as chunked whenever a
    # value names chunked (Chromium's IsChunkEncoded, Firefox's HasHeaderValue) and curl skips a second one.
    answer = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n" + lines + b"\r\n" + _chunked(PAGE)
    with canned_server(answer) as srv, Fetcher(SETTINGS) as f:
        res = f.fetch(srv.url("/story-1"))
    assert res.error is None, res.detail
    assert res.body == PAGE


@pytest.mark.parametrize("framing", [b"Content-Length: %d\r\n" % len(PAGE), b""])
def test_transfer_encoding_identity_alone_leaves_the_framing_to_the_length_or_the_close(framing: bytes) -> None:
    # "identity" (RFC 2616's, still sent by old servers) changes no byte: browsers and curl frame the body
    # by its Content-Length or the close. It was `unsupported_transfer_encoding`.
    answer = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: identity\r\n" + framing
              + b"Connection: close\r\n\r\n" + PAGE)
    with canned_server(answer) as srv, Fetcher(SETTINGS) as f:
        res = f.fetch(srv.url("/story-1"))
    assert res.error is None, res.detail
    assert res.body == PAGE


def test_chunked_named_twice_after_interim_answers_and_dripped_byte_by_byte_is_read() -> None:
    # The head is held until it is whole: a 103 Early Hints and a 100 Continue before it, and every byte
    # of the head in its own segment, change nothing.
    head = (b"HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n"
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n")

    def handle(sock: socket.socket) -> None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(65536)
        if data.startswith(b"GET /robots.txt "):
            sock.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        for i in range(0, len(head), 7):
            sock.sendall(head[i:i + 7])
        sock.sendall(_chunked(PAGE))

    with RawServer(handle) as srv, Fetcher(SETTINGS) as f:
        res = f.fetch(srv.url("/story-1"))
    assert res.error is None, res.detail
    assert res.body == PAGE


def test_held_a_real_transfer_coding_beside_chunked_twice_is_still_named() -> None:
    answer = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n" + _chunked(PAGE))
    with canned_server(answer) as srv, Fetcher(dataclasses.replace(SETTINGS, retries=2)) as f:
        res = f.fetch(srv.url("/story-1"))
    assert res.error == "unsupported_transfer_encoding"
    assert "gzip" in (res.detail or "")


def test_a_page_framed_by_chunked_twice_reaches_the_warehouse(tmp_path: Path, server: TestServer) -> None:
    answer = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n" + _chunked(PAGE))
    with canned_server(answer) as pages:
        feed = (f'<rss version="2.0"><channel><title>x</title><item><title>Harbour</title>'
                f'<link>{pages.url("/news/story-1")}</link></item></channel></rss>')
        server.static("/feed.xml", feed, "application/rss+xml")
        summary = pipeline_run(tmp_path, [{"name": "s", "url": server.url("/feed.xml"), "kind": "rss"}], "r1")
    assert summary.sources[0]["fetch_errors"] == {}
    rows = wh.query_rows(tmp_path / "w.duckdb", "SELECT url, title FROM articles")[1]
    assert rows == [(pages.url("/news/story-1"), "Harbour terminal delayed")]
    errors = wh.query_rows(tmp_path / "w.duckdb", "SELECT error FROM fetch_log WHERE url LIKE '%story-1'")[1]
    assert errors == [(None,)]


# --- 2. the labels of the replacement encoding read as one U+FFFD, as browsers read them -----------------------

# "中文新闻" in HZ: ASCII bytes between ~{ and ~}; Korean in ISO-2022-KR: an ESC $ ) C announcement and SO/SI
# shifts around ASCII bytes. Both hide text from a reader of the ASCII, which is why browsers refuse them.
HZ_BODY = ("<html><head><title>~{VPND~}</title></head><body><article><h1>~{VPND~}</h1>"
           + BODY + "</article></body></html>").encode("ascii")
KR_BODY = ("<html><head><title>x</title></head><body><article><h1>\x1b$)C\x0e:R\x0f</h1>"
           + BODY + "</article></body></html>").encode("ascii")


@pytest.mark.parametrize(("label", "body"), [("hz-gb-2312", HZ_BODY), ("HZ-GB-2312", HZ_BODY), ("iso-2022-kr", KR_BODY),
                                             ("csISO2022KR", KR_BODY), ("iso-2022-cn", HZ_BODY), ("replacement", PAGE)])
def test_a_label_of_the_replacement_encoding_reads_as_one_replacement_character(label: str, body: bytes) -> None:
    # WHATWG Encoding: these labels name the "replacement" encoding, which decodes a non-empty body to one
    # U+FFFD. Python's codecs read hz-gb-2312 and iso-2022-kr, and we stored text no browser shows.
    from newsdedup.charset import decode

    for ctype, data in ((f"text/html; charset={label}", body),
                        ("text/html", body.replace(b"<head>", f'<head><meta charset="{label}">'.encode()))):
        assert decode(data, ctype) == ("\ufffd", "replacement")
    assert decode(b"", f"text/html; charset={label}")[0] == ""


@pytest.mark.parametrize("label", ["hz", "hzgb", "iso2022kr", "iso_2022_kr", "hz_gb_2312"])
def test_a_python_alias_of_those_codecs_is_no_label_of_the_web(label: str) -> None:
    # Labels only Python's codec registry knows count as no label (as "idna" and "cp500" did before).
    from newsdedup.charset import decode, norm_charset

    assert norm_charset(label) is None
    assert decode(PAGE, f"text/html; charset={label}") == (PAGE.decode(), "utf-8")


def test_held_a_utf8_page_mislabelled_with_a_replacement_label_keeps_its_text() -> None:
    # The bytes' veto (valid multi-byte UTF-8 is read as UTF-8 whatever the label) is unchanged.
    from newsdedup.charset import decode

    page = PAGE.replace(b"Harbour terminal", "Hafenterminal verzögert".encode())
    assert decode(page, "text/html; charset=iso-2022-kr") == (page.decode(), "utf-8")


def test_a_page_in_a_replacement_encoding_is_stored_as_a_failed_clean(tmp_path: Path, server: TestServer) -> None:
    # Through the pipeline: the attempt is recorded, the page kept as raw, its clean failed (nothing to read),
    # not stored as the text Python's codec made of it.
    server.static("/news/story-1", HZ_BODY, "text/html; charset=hz-gb-2312")
    feed = (f'<rss version="2.0"><channel><title>x</title><item><title>Harbour</title>'
            f'<link>{server.url("/news/story-1")}</link></item></channel></rss>')
    server.static("/feed.xml", feed, "application/rss+xml")
    pipeline_run(tmp_path, [{"name": "s", "url": server.url("/feed.xml"), "kind": "rss"}], "r1")
    rows = wh.query_rows(tmp_path / "w.duckdb", "SELECT url, text, clean_error IS NOT NULL FROM articles")[1]
    assert rows == [(server.url("/news/story-1"), "", True)]
    assert "中文" not in str(wh.query_rows(tmp_path / "w.duckdb", "SELECT * FROM articles")[1])



@pytest.mark.parametrize("ctype", ["text/html; x-charset=iso-8859-2; charset=utf-8", "text/html; origcharset=koi8-r"])
def test_a_parameter_whose_name_only_ends_in_charset_names_no_charset(ctype: str) -> None:
    # WHATWG MIME reads parameters by name: `x-charset=iso-8859-2` was read as the page's charset, before the
    # real `charset=utf-8` after it (a Cyrillic page read as Latin-2).
    from newsdedup.charset import decode, header_charset

    assert header_charset(ctype) == ("utf-8" if "; charset" in ctype else None)
    text = "Новости дня"
    assert decode(text.encode("koi8-r"), "text/html; origcharset=iso-8859-2; charset=koi8-r")[0] == text

# --- 4. C1 control characters in header values are not stored ------------------------------------------------


@pytest.mark.parametrize("raw", [b"\x9b", b"\xc2\x9b"])  # a Latin-1 byte (obs-text); U+009B in UTF-8
def test_c1_controls_in_header_values_are_not_stored(tmp_path: Path, raw: bytes) -> None:
    # U+009B is a terminal's CSI: an ETag, Last-Modified or Content-Type carrying one was stored as sent
    # (`raw_pages.etag`, `last_modified`, `content_type`), and an analyst printing the row in
    # the duckdb CLI had the rest of it read as a terminal command. Each control character is stored as
    # U+FFFD (a Content-Type's charset is still read; such a validator was never sent back and still is not).
    answer = (b'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8; x=' + raw + b'2J\r\nETag: "v' + raw
              + b'2J"\r\nLast-Modified: Thu, 09 May 2024 10:00:00 GMT' + raw + b"\r\nContent-Length: %d\r\n"
              b"Connection: close\r\n\r\n" % len(PAGE) + PAGE)
    with canned_server(answer) as pages, TestServer() as feeds:
        feed = (f'<rss version="2.0"><channel><title>x</title><item><title>Harbour</title>'
                f'<link>{pages.url("/news/story-1")}</link></item></channel></rss>')
        feeds.static("/feed.xml", feed, "application/rss+xml")
        pipeline_run(tmp_path, [{"name": "s", "url": feeds.url("/feed.xml"), "kind": "rss"}], "r1")
    db = tmp_path / "w.duckdb"
    assert wh.query_rows(db, "SELECT title FROM articles")[1] == [("Harbour terminal delayed",)]
    rows = wh.query_rows(db, "SELECT etag, last_modified, content_type FROM raw_pages")[1]
    assert rows == [('"v\ufffd2J"', "Thu, 09 May 2024 10:00:00 GMT\ufffd", "text/html; charset=utf-8; x=\ufffd2J")]
    dump = str(wh.query_rows(db, "SELECT * FROM articles")[1] + wh.query_rows(db, "SELECT * FROM raw_pages")[1])
    assert "\x9b" not in dump


@pytest.mark.parametrize("ctype", [b"text/html\x85", b"text/html\xa0", b"\xa0text/html\x85; charset=utf-8"])
def test_a_content_type_made_invalid_by_a_latin1_byte_is_no_type_and_the_body_is_sniffed(ctype: bytes) -> None:
    # Python's str.strip took U+0085 and U+00A0 for white space, so "text/html\x85" was text/html by chance;
    # with the control stored as U+FFFD it must still be read as browsers read it: an invalid type is none,
    # and the body sniffed (an HTML page is read, a PDF is not).
    from newsdedup.fetch import acceptable

    answer = b"HTTP/1.1 200 OK\r\nContent-Type: " + ctype + b"\r\nContent-Length: %d\r\n\r\n" % len(PAGE) + PAGE
    with canned_server(answer) as srv, Fetcher(SETTINGS) as f:
        res = f.fetch(srv.url("/story-1"))
    assert res.error is None, res.detail
    assert "\x85" not in (res.content_type or "")
    assert acceptable("html", res.content_type, b"%PDF-1.7\n") is not None


def test_held_a_validator_that_can_go_back_is_kept_and_sent_back(server: TestServer) -> None:
    # Weak ETags and quotes inside them (`W/"a\"b"` is legal ASCII) are kept and sent back as they came.
    seen: list[str | None] = []
    etag = 'W/"v1-\\"q\\""'

    def page(r) -> None:  # noqa: ANN001 - local_server.Request
        seen.append(r.headers.get("If-None-Match"))
        if r.headers.get("If-None-Match") == etag:
            r.send(304, b"", {"ETag": etag}, None)
        else:
            r.send(200, PAGE, {"ETag": etag})

    url = server.route("/news/story-1", page)
    with Fetcher(SETTINGS) as f:
        first = f.fetch(url)
        second = f.fetch(url, etag=first.etag)
    assert first.etag == etag and second.not_modified
    assert seen == [None, etag]


# --- 5. a redirect to the same URL spelt otherwise (percent escapes' case, query order) is followed -----------


@pytest.mark.parametrize(("listed", "written"), [("/caf%C3%A9", "/caf%c3%a9"), ("/story?a=1&b=2", "/story?b=2&a=1"),
                                                 ("/story", "/story;jsessionid=0A1B2C"),  # a servlet's URL rewriting
                                                 ("/story", "/story?utm_source=rss")])
def test_a_redirect_to_the_urls_own_spelling_is_followed_as_written(tmp_path: Path, server: TestServer,
                                                                     listed: str, written: str) -> None:
    # WordPress writes a slug's escapes in lower case and redirects other spellings to it; a CMS may insist on
    # its query's order. We requested our canonical spelling (`%C3%A9`, sorted parameters), got the redirect,
    # canonicalised its Location back to the URL just requested and failed with `redirect_loop` (a story lost);
    # a browser requests the Location as written and reads the page.
    def page(r) -> None:  # noqa: ANN001 - local_server.Request
        if r.path == written:
            r.send(200, PAGE)
        else:
            r.send(301, b"", {"Location": written})

    server.route(listed.split("?")[0], page)
    server.route(written.split("?")[0], page)
    with Fetcher(SETTINGS) as f:
        res = f.fetch(server.url(listed))
    assert res.error is None, res.detail
    assert res.final_url == server.url(written)
    feed = (f'<rss version="2.0"><channel><title>x</title><item><title>Harbour</title>'
            f'<link>{server.url(listed)}</link></item></channel></rss>')
    server.static("/feed.xml", feed, "application/rss+xml")
    pipeline_run(tmp_path, [{"name": "s", "url": server.url("/feed.xml"), "kind": "rss"}], "r1")
    db = tmp_path / "w.duckdb"
    assert wh.query_rows(db, "SELECT url, title FROM articles")[1] == [(server.url(listed), "Harbour terminal delayed")]
    assert wh.query_rows(db, "SELECT final_url FROM raw_pages")[1] == [(server.url(written),)]


def test_a_server_bouncing_between_two_spellings_is_still_a_redirect_loop(server: TestServer) -> None:
    server.route("/caf%C3%A9", lambda r: r.send(301, b"", {"Location": "/caf%c3%a9"}))
    server.route("/caf%c3%a9", lambda r: r.send(301, b"", {"Location": "/caf%C3%A9"}))
    with Fetcher(SETTINGS) as f:
        res = f.fetch(server.url("/caf%C3%A9"))
    assert res.error == "redirect_loop"
    assert server.hits["/caf%C3%A9"] + server.hits["/caf%c3%a9"] == 2


def test_held_a_redirect_spelling_carrying_credentials_sends_none(server: TestServer) -> None:
    # The Location's own spelling is taken as written only without userinfo (credentials in a redirect are
    # never sent nor recorded): such a redirect back to the URL stays a loop, as before.
    auth: list[str | None] = []

    def page(r) -> None:  # noqa: ANN001 - local_server.Request
        auth.append(r.headers.get("Authorization"))
        if r.path == "/caf%c3%a9":
            r.send(200, PAGE)
        else:
            r.send(301, b"", {"Location": f"http://user:pw@127.0.0.1:{server.port}/caf%c3%a9"})

    server.route("/caf%C3%A9", page)
    server.route("/caf%c3%a9", page)
    with Fetcher(SETTINGS) as f:
        res = f.fetch(server.url("/caf%C3%A9"))
    assert res.error == "redirect_loop"
    assert auth == [None]
    assert "pw" not in str(res)


# --- 3. a canonical URL given only in an HTTP Link header ----------------------------------------------------


@pytest.mark.parametrize("link", ['<{u}/news/story-1>; rel="canonical"', '</news/story-1>; rel=canonical',
                                  '</s.css>; rel=preload; as=style, </news/story-1>; rel="Canonical nofollow"'])
def test_a_canonical_url_in_a_link_header_names_the_article(server: TestServer, link: str) -> None:
    # RFC 6596 §3: a canonical link may come as an HTTP header (publishers send it with PDFs and AMP copies,
    # which have no head to hold one). It was ignored: the AMP copy was stored as an article of its own.
    from newsdedup.fetch import link_canonical

    url = server.static("/amp/story-1", PAGE, headers={"Link": link.format(u=server.url(""))})
    with Fetcher(SETTINGS) as f:
        res = f.fetch(url)
    assert res.link_canonical == server.url("/news/story-1")
    assert link_canonical(['</a>; rel="preload canonicalx"'], url) is None


def _feed_of(server: TestServer, *paths: str) -> str:
    items = "".join(f"<item><title>t</title><link>{server.url(p)}</link></item>" for p in paths)
    return server.static("/feed.xml", f'<rss version="2.0"><channel><title>x</title>{items}</channel></rss>',
                         "application/rss+xml")


def test_a_link_header_canonical_joins_the_copy_to_its_article_and_survives_a_reclean(
        tmp_path: Path, server: TestServer) -> None:
    from newsdedup.pipeline import reclean

    server.static("/news/story-1", PAGE)
    server.static("/amp/story-1", PAGE, headers={"Link": '</news/story-1>; rel="canonical"'})
    _feed_of(server, "/amp/story-1")
    pipeline_run(tmp_path, [{"name": "s", "url": server.url("/feed.xml"), "kind": "rss"}], "r1")
    db = tmp_path / "w.duckdb"
    query = "SELECT url, canonical_url FROM articles"
    assert wh.query_rows(db, query)[1] == [(server.url("/amp/story-1"), server.url("/news/story-1"))]
    assert wh.query_rows(db, "SELECT link_canonical FROM raw_pages")[1] == [(server.url("/news/story-1"),)]
    # the story's own URL listed later is the article already stored (not a second copy)
    _feed_of(server, "/amp/story-1", "/news/story-1")
    pipeline_run(tmp_path, [{"name": "s", "url": server.url("/feed.xml"), "kind": "rss"}], "r2")
    assert wh.query_rows(db, "SELECT count(*) FROM articles")[1] == [(1,)]
    reclean(warehouse=str(db), staging=str(tmp_path / "staging"))
    assert wh.query_rows(db, query)[1] == [(server.url("/amp/story-1"), server.url("/news/story-1"))]


@pytest.mark.parametrize(("target", "reason"), [("https://other.example/news/story-1", "other_site"), ("/", "home_page")])
def test_a_link_header_canonical_is_trusted_under_the_heads_rules(tmp_path: Path, server: TestServer,
                                                                  target: str, reason: str) -> None:
    server.static("/amp/story-1", PAGE, headers={"Link": f'<{target}>; rel="canonical"'})
    _feed_of(server, "/amp/story-1")
    summary = pipeline_run(tmp_path, [{"name": "s", "url": server.url("/feed.xml"), "kind": "rss"}], "r1")
    assert wh.query_rows(tmp_path / "w.duckdb", "SELECT url, canonical_url FROM articles")[1] == [
        (server.url("/amp/story-1"), server.url("/amp/story-1"))]
    assert summary.sources[0]["canonical_ignored"] == {reason: 1}


def test_the_markups_canonical_wins_over_the_link_headers(server: TestServer, tmp_path: Path) -> None:
    page = PAGE.replace(b"<head>", b'<head><link rel="canonical" href="/news/story-2">')
    server.static("/amp/story-1", page, headers={"Link": '</news/story-1>; rel="canonical"'})
    _feed_of(server, "/amp/story-1")
    pipeline_run(tmp_path, [{"name": "s", "url": server.url("/feed.xml"), "kind": "rss"}], "r1")
    assert wh.query_rows(tmp_path / "w.duckdb", "SELECT canonical_url FROM articles")[1] == [
        (server.url("/news/story-2"),)]


# --- held ---------------------------------------------------------------------------------------------------


def test_held_a_bom_wins_over_the_header_and_a_quoted_or_repeated_charset_reads_the_first() -> None:
    # WHATWG Encoding: the BOM decides before any label; of charset parameters the first counts, quoted or not.
    from newsdedup.charset import decode

    text = "Café crème"
    assert decode(b"\xef\xbb\xbf" + text.encode(), "text/html; charset=windows-1252") == (text, "utf-8")
    assert decode(text.encode("cp1252"), 'text/html; charset="windows-1252"; charset=utf-8') == (text, "cp1252")


@pytest.mark.parametrize("target", ["javascript:location='/news/story-1'", "data:text/html,<h1>x</h1>", "mailto:a@b.example"])
def test_held_a_refresh_or_a_feed_link_to_no_web_url_is_not_followed(server: TestServer, target: str) -> None:
    from newsdedup.config import SourceSpec
    from newsdedup.sources import discover

    stub = server.static("/go", f'<html><head><meta http-equiv="refresh" content="0;url={target}"></head><body>x</body></html>')
    header = server.static("/go-header", PAGE, headers={"Refresh": f"0; url={target}"})
    with Fetcher(SETTINGS) as f:
        for url in (stub, header):
            res = f.fetch(url)
            assert res.error is None and res.final_url == url  # the page is its own answer, as browsers leave it
    items = "".join(f"<item><title>t</title><link>{t}</link></item>" for t in (target, f" {target.upper()}", server.url("/n/1")))
    server.static("/f.xml", f'<rss version="2.0"><channel><title>x</title>{items}</channel></rss>', "application/octet-stream")
    with Fetcher(SETTINGS) as f:
        d = discover(SourceSpec("p", server.url("/f.xml")), SETTINGS, f, now=NOW)
    assert d.error is None and [e.url for e in d.entries] == [server.url("/n/1")]  # a feed sent as octet-stream


def test_held_sitemap_lastmod_of_year_0_9999_and_a_leap_second(server: TestServer) -> None:
    from newsdedup.config import SourceSpec
    from newsdedup.sources import discover

    dates = {"/s0": "0000-01-01", "/s1": "9999-12-31T23:59:59Z", "/s2": "2024-05-09T23:59:60Z"}
    urls = "".join(f"<url><loc>{server.url(p)}</loc><lastmod>{d}</lastmod></url>" for p, d in dates.items())
    server.static("/sm.xml", f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>',
                  "application/xml")
    with Fetcher(SETTINGS) as f:
        d = discover(SourceSpec("p", server.url("/sm.xml"), "sitemap"), SETTINGS, f, now=NOW)
    got = {e.url.rsplit("/", 1)[1]: (e.published, bool(e.date_note)) for e in d.entries}
    assert got == {"s0": (None, False), "s1": (None, True), "s2": (datetime(2024, 5, 10, tzinfo=UTC), False)}
