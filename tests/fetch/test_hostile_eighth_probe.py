"""The eighth attacker probe: what comes from outside at fetch time that the earlier probes
(`test_hostile*.py`, `test_protocol_probe.py`, `test_probe_leftovers.py`) did not try. Each test
failed on the code before its fix; every network test runs against a real server on 127.0.0.1."""

from __future__ import annotations

import gzip
import io
import json
import logging
import re
import socket
import time
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from local_server import ARTICLE, RawServer, TestServer

from newsdedup.clean.dates import parse_date as page_date
from newsdedup.config import ConfigError, Settings, SourceSpec, loads_sources
from newsdedup.fetch import Fetcher
from newsdedup.sources import _fix_char_refs, discover

NOW = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)
PAGE = b"<html><head><title>T</title></head><body><p>hello world</p></body></html>"


def _discover(spec: SourceSpec, settings: Settings):
    with Fetcher(settings) as f:
        return discover(spec, settings, f, now=NOW)


# --- a year written in full that a date reader took for a two-digit one ------------------------

# .NET writes DateTime.MinValue, a date never set, as "Mon, 01 Jan 0001 00:00:00 GMT"; RFC 2822's
# reader (and dateutil) take a year under 100 for a two-digit one whatever its digits.
FULL_SHORT_YEARS = {
    "Mon, 01 Jan 0001 00:00:00 GMT": "2001",
    "Sat, 01 Jan 0024 10:00:00 +0000": "2024",
    "Thu, 09 May 0099 10:00:00 GMT": "1999",
}


def test_a_feed_date_of_year_1_is_no_date_not_one_in_2001(server: TestServer, settings: Settings) -> None:
    # An RSS feed's pubDate was already ignored ("before 1995"); the same date in a JSON Feed became
    # 1 January 2001 (0024 became 2024, 0099 1999) and the article kept it without a note.
    dates = [*FULL_SHORT_YEARS, "Thu, 09 May 24 10:00:00 GMT"]
    items = [
        {"id": str(i), "url": f"https://news.test/{i}", "date_published": d} for i, d in enumerate(dates)
    ]
    url = server.static("/feed.json", json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "x",
                                                  "items": items}), "application/feed+json")  # fmt: skip
    d = _discover(SourceSpec("minvalue", url), settings)
    got = {e.url.rsplit("/", 1)[1]: e for e in d.entries}
    assert d.error is None and len(got) == len(dates)
    assert got[str(len(FULL_SHORT_YEARS))].published == datetime(
        2024, 5, 9, 10, 0, tzinfo=UTC
    )  # two digits: 2024
    for i, raw in enumerate(FULL_SHORT_YEARS):
        e = got[str(i)]
        assert e.published is None, (raw, e.published)
        assert e.date_note is not None and raw in e.date_note and "ignored" in e.date_note


@pytest.mark.parametrize("raw", sorted(FULL_SHORT_YEARS))
def test_a_page_date_of_year_1_is_no_date(raw: str) -> None:
    # The same value in a page's <meta property="article:published_time"> (dateutil's reading).
    assert page_date(raw) is None


# --- the sources file ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "settings:\n  retries: 0x" + "f" * 5000 + "\nsources: []\n",
        "sources:\n - name: a\n   url: http://a.com/\n   max_entries: 0b" + "1" * 20000 + "\n",
        "sources:\n - name: a\n   url: http://a.com/\n" + ("   ? 0x" + "f" * 5000 + "\n   : 1\n") * 2,
    ],
    ids=["hex-setting", "binary-option", "hex-key-twice"],
)
def test_a_number_of_thousands_of_digits_in_the_sources_file_is_a_config_error(text: str) -> None:
    # YAML reads 0x/0o/0b numbers of any length (Python's 4,300-digit limit is for decimal text);
    # the message naming the bad value printed it in decimal, a ValueError traceback, not the file's error.
    with pytest.raises(ConfigError) as err:
        loads_sources(text)
    assert "digits" in str(err.value)


# --- HTTP framing -------------------------------------------------------------------------------


def _answer(response: bytes):
    def handle(conn: socket.socket) -> None:
        conn.recv(65536)
        conn.sendall(response)
        conn.shutdown(socket.SHUT_WR)
        conn.recv(1)  # until the client closes

    return handle


@pytest.mark.parametrize("lead", [b"\r\n", b"\n", b"\r\n\r\n"], ids=["crlf", "lf", "two-crlf"])
def test_line_breaks_before_the_status_line_lose_no_page(settings: Settings, lead: bytes) -> None:
    # RFC 9112 §2.2 lets a reader skip empty lines before a message (an old CGI's print() before its
    # headers; browsers and curl read the page). h11 refuses them: connection_error, retried, lost.
    response = (
        lead + b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(PAGE) + PAGE
    )
    with (
        RawServer(_answer(response)) as srv,
        Fetcher(replace(settings, respect_robots=False, retries=0)) as f,
    ):
        r = f.fetch(srv.url("/p"))
    assert r.error is None, (r.error, r.detail)
    assert r.body == PAGE


def test_line_breaks_before_the_next_response_on_a_kept_alive_connection_lose_no_page(
    settings: Settings,
) -> None:
    from test_protocol_probe import KeepAlive, ok

    srv = KeepAlive({"/a": ok(PAGE) + b"\r\n", "/b": b"\r\n\r\n" + ok(PAGE.replace(b"hello", b"second"))})
    with srv, Fetcher(replace(settings, respect_robots=False, retries=0)) as f:
        a, b = f.fetch(srv.url("/a")), f.fetch(srv.url("/b"))
    assert (a.error, b.error) == (None, None), (a.detail, b.detail)
    assert b"second" in (b.body or b"")
    assert [n for n, _ in srv.served] == [0, 0]  # one connection, used again


def test_a_server_that_sends_only_line_breaks_times_out(settings: Settings) -> None:
    def drip(conn: socket.socket) -> None:
        conn.recv(65536)
        while True:  # until the client gives up (a broken pipe ends the handler)
            conn.sendall(b"\r\n")
            time.sleep(0.05)

    with (
        RawServer(drip) as srv,
        Fetcher(replace(settings, respect_robots=False, retries=0, total_timeout=1.0)) as f,
    ):
        r = f.fetch(srv.url("/p"))
    assert r.error == "timeout", (r.error, r.detail)
    assert len(r.attempts) == 1


# --- floods of elements in listings -------------------------------------------------------------

FLOOD = 1_100_000  # empty elements: 4.4 MB, about 4 KB gzipped


def _gzipped(server: TestServer, path: str, body: bytes, content_type: str) -> str:
    return server.static(path, gzip.compress(body), content_type, headers={"Content-Encoding": "gzip"})


def test_a_sitemap_flooded_with_elements_is_read_up_to_the_element_limit(
    server: TestServer, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    # Ten million empty elements (40 MB, 40 KB gzipped) took 17 s and 1.3 GB to read, outside every
    # deadline: only <url>s were freed as read. The URLs before the limit are read, and the log says why
    # the rest are not; the source is not failed.
    urls = "".join(f"<url><loc>https://news.test/{i}</loc></url>" for i in range(3))
    body = (f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}'.encode() + b"<x/>" * FLOOD
            + b"<url><loc>https://news.test/late</loc></url></urlset>")  # fmt: skip
    url = _gzipped(server, "/sitemap.xml", body, "application/xml")
    with caplog.at_level(logging.WARNING, logger="newsdedup.sources"):
        d = _discover(SourceSpec("flood", url, kind="sitemap"), settings)
    assert d.error is None, (d.error, d.detail)
    assert sorted(e.url for e in d.entries) == [f"https://news.test/{i}" for i in range(3)]
    assert "elements" in caplog.text and "read only in part" in caplog.text


def test_elements_between_urls_under_the_limit_lose_no_url(server: TestServer, settings: Settings) -> None:
    # Freed as read, whatever their name: the URLs around them are all still read.
    parts = [f"<url><loc>https://news.test/{i}</loc><lastmod>2024-05-09</lastmod></url>" + "<x/>" * 1000
             for i in range(50)]  # fmt: skip
    body = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{"".join(parts)}</urlset>'
    url = server.static("/sitemap.xml", body, "application/xml")
    d = _discover(SourceSpec("between", url, kind="sitemap"), settings)
    assert d.error is None and len(d.entries) == 50
    assert all(e.published == datetime(2024, 5, 9, tzinfo=UTC) for e in d.entries)


def _rss(*items: bytes) -> bytes:
    return (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
        + b"".join(items)
        + b"</channel></rss>"
    )


def _item(i: int, inside: bytes = b"") -> bytes:
    return b"<item><title>s%d</title><link>https://news.test/%d</link>%s</item>" % (i, i, inside)


@pytest.mark.parametrize(
    "flood",
    [
        b"<x/>" * FLOOD,
        b"<description>" + b"&lt;b&gt;" * FLOOD + b"</description>",
        b"<description>" + b"&#0;" * FLOOD + b"</description>",
        b"<description>" + b"&amp;" * FLOOD + b"</description>",
        b"<x %s/>" % b" ".join(b'a%d="v"' % i for i in range(10)) * 55_000,
        b"<x %s/>" % b" ".join(b"a%d='v'" % i for i in range(20_000)),
    ],
    ids=[
        "elements",
        "escaped-html",
        "character-references",
        "entity-references",
        "attributes",
        "attributes-of-one-element",
    ],
)
def test_a_feed_flooded_with_markup_is_read_up_to_the_item_the_limit_falls_in(
    server: TestServer, settings: Settings, caplog: pytest.LogCaptureFixture, flood: bytes
) -> None:
    # feedparser takes ~15 us a tag (escaped HTML in a description is parsed to be sanitized): a 4 MB
    # feed of a million empty elements, 4 KB gzipped, took 15 s; a 50 MB one minutes. A character
    # reference costs 1-3 us and up to 120 bytes: 10 million `&#0;` took 37 s and 1.2 GB.
    url = _gzipped(server, "/rss", _rss(_item(0), _item(1), _item(2, flood), _item(3)), "application/rss+xml")
    with caplog.at_level(logging.WARNING, logger="newsdedup.sources"):
        d = _discover(SourceSpec("flood", url, kind="rss"), settings)
    assert d.error is None, (d.error, d.detail)
    assert sorted(e.url for e in d.entries) == ["https://news.test/0", "https://news.test/1"]
    assert "the rest left" in caplog.text


def test_a_feed_whose_first_item_floods_a_limit_is_a_malformed_feed(server: TestServer,
                                                                           settings: Settings) -> None:  # fmt: skip
    url = _gzipped(server, "/rss", _rss(_item(0, b"<x/>" * FLOOD), _item(1)), "application/rss+xml")
    d = _discover(SourceSpec("flood", url, kind="rss"), settings)
    assert d.error == "malformed_feed" and "tags before its first item ends" in (d.detail or "")
    assert len(d.attempts) == 1 and d.attempts[0].error is None  # the fetch itself is recorded as it went


# --- redirects ----------------------------------------------------------------------------------


def _cookie_check(req) -> None:
    # A consent or bot check: set a cookie and send the reader back to the same URL.
    if "consent=1" in (req.headers.get("Cookie") or ""):
        req.send(200, ARTICLE.format(t="Budget").encode())
    else:
        req.send(302, b"", {"Location": req.path, "Set-Cookie": "consent=1; Path=/"})


def test_a_redirect_to_the_same_url_with_a_new_cookie_is_followed(
    server: TestServer, settings: Settings
) -> None:
    # Browsers and curl follow it and get the page; seen before, the URL was a redirect_loop and lost.
    url = server.route("/story", _cookie_check)
    with Fetcher(replace(settings, respect_robots=False)) as f:
        r = f.fetch(url)
    assert r.error is None, (r.error, r.detail)
    assert b"Budget" in (r.body or b"") and r.final_url == url and len(r.attempts) == 1


def test_a_redirect_loop_is_still_one_whatever_cookies_it_sets(
    server: TestServer, settings: Settings
) -> None:
    server.static("/same", b"", status=302, headers={"Location": "/same", "Set-Cookie": "a=1; Path=/"})
    counter = iter(range(10**6))
    server.route(
        "/new", lambda r: r.send(302, b"", {"Location": "/new", "Set-Cookie": f"n={next(counter)}; Path=/"})
    )
    with Fetcher(replace(settings, respect_robots=False, max_redirects=5)) as f:
        same, new = f.fetch(server.url("/same")), f.fetch(server.url("/new"))
    assert same.error == "redirect_loop" and len(same.attempts) == 1
    assert new.error == "too_many_redirects" and len(new.attempts) == 1
    assert server.hits["/same"] == 2 and server.hits["/new"] == 6


# --- numeric character references ---------------------------------------------------------------

_REF = re.compile(rb"&#(?:[xX]([0-9A-Fa-f]{1,64})|([0-9]{1,64}));")


def _xml_allows(code: int) -> bool:
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _reference_fix(body: bytes) -> bytes:
    # What _fix_char_refs did with one callback for every reference (7 s and 1.4 GB for 10 million).
    def fix(m: re.Match[bytes]) -> bytes:
        code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        return m.group() if _xml_allows(code) else b"&#xFFFD;"

    return _REF.sub(fix, body)


_EDGES = [0, 8, 9, 10, 11, 12, 13, 14, 31, 32, 65, 0x7F, 0xD7FF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE000, 0xFFFD,
          0xFFFE, 0xFFFF, 0x10000, 0xFFFFF, 0x100000, 0x10FFFF, 0x110000, 10**30]  # fmt: skip


@st.composite
def _refs(draw: st.DrawFn) -> bytes:
    code = draw(st.one_of(st.sampled_from(_EDGES), st.integers(0, 0x110010), st.integers(0, 10**70)))
    digits = f"{code:x}" if (hexa := draw(st.booleans())) else str(code)
    digits = "0" * draw(st.integers(0, 70)) + digits
    if hexa and draw(st.booleans()):
        digits = digits.upper()
    return f"&#{draw(st.sampled_from('xX')) if hexa else ''}{digits}{draw(st.sampled_from([';', ';', '', ' ']))}".encode()


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(
        st.one_of(_refs(), st.sampled_from([b"a", b"&", b"&#", b"&#x", b";", b"<x>", b"&amp;"])), max_size=30
    )
)
def test_character_references_are_fixed_as_one_callback_each_fixed_them(parts: list[bytes]) -> None:
    body = b"".join(parts)
    assert _fix_char_refs(body) == _reference_fix(body)


@pytest.mark.parametrize(
    "ref", [b"&#xD800;", b"&#x0000D800;", b"&#0000000055296;", b"&#x0000041;", b"&#1114112;"]
)
def test_references_cut_by_the_pieces_a_body_is_read_in_are_fixed_whole(ref: bytes) -> None:
    # Bodies are rewritten a megabyte at a time: a reference across a cut is read whole, at every offset.
    body = b"".join(b"x" * k + ref for k in range(70)) * (3 * (1 << 20) // (70 * 35 + 70 * len(ref)) + 1)
    assert _fix_char_refs(body) == _reference_fix(body)


def _json_feed(items: list[dict]) -> bytes:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": items}).encode()


# --- feed titles ----------------------------------------------------------------------------------

NO_TITLE_PAGE = (
    ARTICLE.format(t="Budget")
    .replace("<title>Budget | Test Outlet</title>", "")
    .replace("<h1>Budget</h1>", "")
)


@pytest.mark.parametrize("kind", ["rss", "jsonfeed", "sitemap"])
def test_a_listed_title_no_headline_is_that_long_is_no_title(server: TestServer, settings: Settings,
                                                             kind: str) -> None:  # fmt: skip
    # A page's own title candidates over 1,000 characters are no headline (clean.settings.TITLE_MAX_CHARS);
    # a feed's were kept whole: a 2 MB item title became the stored article's title.
    huge = "Budget approved " * 130_000
    link = "https://news.test/story"
    if kind == "rss":
        body = _rss(b"<item><title>%s</title><link>%s</link></item>" % (huge.encode(), link.encode()))
    elif kind == "jsonfeed":
        body = _json_feed([{"id": "1", "url": link, "title": huge}])
    else:
        body = (f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/'
                f'schemas/sitemap-news/0.9"><url><loc>{link}</loc><news:news><news:title>{huge}</news:title>'
                "</news:news></url></urlset>").encode()  # fmt: skip
    url = _gzipped(server, f"/{kind}", body, "application/xml")
    d = _discover(SourceSpec("titles", url, kind=kind), replace(settings, max_bytes=5_000_000))
    assert d.error is None, (d.error, d.detail)
    assert [(e.url, e.title) for e in d.entries] == [(link, None)]


def test_a_feed_title_of_megabytes_is_not_the_stored_title(server: TestServer, tmp_path) -> None:
    from local_server import pipeline_run

    from newsdedup import warehouse as wh

    server.static("/story", NO_TITLE_PAGE)
    title = "Budget approved " * 130_000
    feed = _rss(
        b"<item><title>%s</title><link>%s</link></item>" % (title.encode(), server.url("/story").encode())
    )
    url = _gzipped(server, "/rss", feed, "application/rss+xml")
    pipeline_run(tmp_path, [{"name": "titles", "url": url, "kind": "rss"}], "r1")
    rows = wh.query_rows(tmp_path / "w.duckdb", "SELECT length(coalesce(title, '')) FROM articles")[1]
    assert len(rows) == 1 and rows[0][0] <= 1000


# --- local WARC files ---------------------------------------------------------------------------


def test_a_warc_record_of_a_url_no_server_takes_is_an_invalid_url_not_an_article(
    tmp_path, settings: Settings
) -> None:
    # Feeds and sitemaps skip a URL over 16,384 characters (sources.MAX_LISTED_URL_CHARS); a WARC
    # record's target URI of 100 KB was stored as the article's URL and fetched by every re-check.
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for uri in ("https://news.test/" + "a" * 100_000, "https://news.test/ok"):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        body = ARTICLE.format(t="Budget").encode()
        writer.write_record(
            writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http)
        )
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(buf.getvalue())
    with Fetcher(settings) as f:
        d = discover(SourceSpec("w", str(path), "warc"), settings, f, None)
    assert d.error is None and [e.url for e in d.entries] == ["https://news.test/ok"]
    long = [a for a in d.attempts if len(a.url) > 16_384]
    assert len(long) == 1 and long[0].error == "invalid_url" and "characters" in (long[0].detail or "")


def test_a_redirect_to_a_url_no_server_takes_is_refused(server: TestServer, settings: Settings) -> None:
    # A feed's link over 16,384 characters is skipped; a redirect to one was requested, and its URL
    # stored as the page's final URL and logged at that length.
    long = "/" + "a" * 20_000
    server.static(long, ARTICLE.format(t="Budget"))
    url = server.static("/short", b"", status=302, headers={"Location": long})
    with Fetcher(replace(settings, respect_robots=False)) as f:
        r = f.fetch(url)
    assert r.error == "invalid_url" and "20,001 characters" in (r.detail or ""), (r.error, r.detail)
    assert len(r.attempts) == 1 and server.hits[long] == 0
