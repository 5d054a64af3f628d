"""The eleventh attacker probe (session 37): outside inputs the ten probes before it did not try, and
the failures the tenth left open. Each test of a fix failed on the code before it; the others record
what held. Network tests run against real servers on 127.0.0.1."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fetch"))

from local_server import TestServer  # noqa: E402
from probekit import SETTINGS  # noqa: E402
from probekit import discover_at as _discover  # noqa: E402

from newsdedup.config import Settings  # noqa: E402
from newsdedup.fetch import Fetcher  # noqa: E402
from newsdedup.urls import InvalidURL, canonicalize_url, host_key, split_credentials  # noqa: E402

EXE = str(Path(sys.executable).with_name("newsdedup"))

STORY = ("<html><head><title>Council votes</title></head><body><article><h1>Council votes</h1>"
         + "<p>The regional council approved a budget on Tuesday after a long debate.</p>" * 5
         + "</article></body></html>").encode()


def _rss(*links: str) -> str:
    items = "".join(f"<item><title>Story {i}</title><link>{link}</link></item>" for i, link in enumerate(links))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>'


# --- 1. a backslash in an http(s) link is a slash, as browsers read it ----------------------------


@pytest.mark.parametrize(("raw", "base", "canonical"), [
    ("http://news.test\\@evil.test/", None, "http://news.test/@evil.test/"),
    ("http://news.test\\story\\1", None, "http://news.test/story/1"),
    ("HTTPS:\\\\news.test\\a\\b", None, "https://news.test/a/b"),
    ("http:///news.test/a", None, "http://news.test/a"),
    ("\\story\\1", "https://news.test/x/", "https://news.test/story/1"),
    ("a\\b", "https://news.test/x/", "https://news.test/x/a/b"),
    ("\\\\cdn.test\\a", "https://news.test/x/", "https://cdn.test/a"),  # "//cdn.test/a" to a browser
    # the query and the fragment keep theirs; a file: path is a local name, not a web link
    ("http://news.test/a?q=b\\c", None, "http://news.test/a?q=b%5Cc"),
    ("file:///srv/a\\b.html", None, "file:///srv/a%5Cb.html"),
])
def test_a_backslash_before_the_query_is_the_slash_browsers_read(raw: str, base: str | None, canonical: str) -> None:
    # The WHATWG URL standard reads "\" as "/" in http(s) URLs; RFC 3986 (urlsplit) reads it as part of
    # the netloc: "http://news.test\@evil.test/" was fetched from evil.test with the user "news.test\".
    assert canonicalize_url(raw, base) == canonical
    assert split_credentials(raw) == (split_credentials(raw)[0], None)


def test_a_backslash_link_is_fetched_from_the_host_a_browser_names(server: TestServer) -> None:
    # Before: "http://127.0.0.1:P\@127.0.0.1:25/story" was read as user "127.0.0.1:P\" at port 25 (refused
    # there as a mail port; with another port, requested from that host).
    server.static("/@127.0.0.1:25/story", STORY)
    with Fetcher(SETTINGS) as f:
        res = f.fetch(server.url("/").rstrip("/") + "\\@127.0.0.1:25/story")
    assert res.error is None, (res.error, res.detail)
    assert res.final_url == server.url("/@127.0.0.1:25/story") and res.body == STORY


def test_a_feed_link_with_backslashes_names_the_story_a_browser_opens(server: TestServer) -> None:
    url = server.static("/f.xml", _rss("https://news.test\\world\\story-1", "\\world\\story-2"), "application/rss+xml")
    d = _discover(url)
    assert d.error is None, d.detail
    assert [e.url for e in d.entries] == ["https://news.test/world/story-1", server.url("/world/story-2")]


# --- 2. a "#!" link ---------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["https://news.test/#!/story/1", "https://news.test/app#!story=2",
                                 "https://news.test/#!/"[:-1] + "!/x"])
def test_a_hashbang_link_is_no_url_of_a_page(raw: str) -> None:
    # Read as the page without its fragment, every "#!" story of a site was its home page: one article,
    # the first story stored as it, the rest dropped as its repeats.
    with pytest.raises(InvalidURL, match="'#!' link"):
        canonicalize_url(raw)


@pytest.mark.parametrize("raw", ["https://news.test/story/1#!", "https://news.test/story/1#!/", "https://news.test/s#x!",
                                 "https://news.test/story/1#!comments"])
def test_an_empty_hashbang_or_an_articles_own_anchor_is_only_a_fragment(raw: str) -> None:
    # "#!comments" on an article's own path is an anchor of that page (a comment widget's): refusing it
    # lost the story.
    assert canonicalize_url(raw) in ("https://news.test/story/1", "https://news.test/s")


def test_a_feed_of_hashbang_links_skips_and_counts_them(server: TestServer, caplog: pytest.LogCaptureFixture) -> None:
    url = server.static("/f.xml", _rss("https://news.test/#!/story/1", "https://news.test/#!/story/2",
                                       "https://news.test/story/3"), "application/rss+xml")
    with caplog.at_level(logging.WARNING, logger="newsdedup.sources"):
        d = _discover(url)
    assert d.error is None, d.detail
    assert [e.url for e in d.entries] == ["https://news.test/story/3"]
    assert any("2 feed entries skipped" in r.getMessage() and "#!" in r.getMessage() for r in caplog.records)


def test_a_redirect_to_a_hashbang_url_is_an_invalid_url(server: TestServer) -> None:
    server.static("/old", b"", status=301, headers={"Location": "/#!/story/1"})
    with Fetcher(SETTINGS) as f:
        res = f.fetch(server.url("/old"))
    assert res.error == "invalid_url" and "'#!' link" in (res.detail or ""), (res.error, res.detail)


# --- 3. a UTF-16 refresh stub -------------------------------------------------------------------


@pytest.mark.parametrize(("codec", "bom"), [("utf-16-le", b""), ("utf-16-be", b""), ("utf-16-le", b"\xff\xfe")])
def test_a_utf16_meta_refresh_stub_is_followed(server: TestServer, codec: str, bom: bytes) -> None:
    # The <meta http-equiv=refresh> was looked for byte by byte: in UTF-16 (a BOM or not) each letter is
    # two bytes and it was never found; the stub was stored as the story.
    stub = '<html><head><meta http-equiv="refresh" content="0; url=/story"></head><body>Moved</body></html>'
    server.static("/stub", bom + stub.encode(codec), "text/html; charset=utf-16")
    server.static("/story", STORY)
    with Fetcher(SETTINGS) as f:
        res = f.fetch(server.url("/stub"))
    assert res.error is None and res.final_url == server.url("/story") and res.body == STORY, (res.error, res.final_url)


# --- 4, 5. `newsdedup sql`: a statement time limit, and input that is no SQL ---------------------

CROSS_JOIN = "SELECT sum(a.range * b.range) FROM range(100000000) a, range(100000000) b"


@pytest.fixture(scope="module")
def empty_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from newsdedup import warehouse as wh

    path = tmp_path_factory.mktemp("w11") / "w.duckdb"
    with wh.writer(str(path)):  # an empty warehouse, migrated, its snapshot published
        pass
    return path


def _sql(warehouse: Path, *args: str, env: dict[str, str] | None = None, stdin: object = None,
         text_in: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, "sql", *args, "--warehouse", str(warehouse)], capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})}, input=text_in,
                          **({"stdin": stdin} if stdin is not None else {}))


def test_a_statement_past_its_time_limit_is_stopped_and_says_how_to_raise_it(empty_warehouse: Path) -> None:
    # A cross join of two ranges ran until someone pressed Ctrl-C (in a cron job, for ever).
    proc = _sql(empty_warehouse, "--time-limit", "0.5", CROSS_JOIN)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith("newsdedup sql: the statement was stopped at its time limit of 0.5 s"), proc.stderr
    assert "--time-limit" in proc.stderr and "NEWSDEDUP_SQL_TIME_LIMIT" in proc.stderr


def test_the_time_limit_holds_each_statement_of_a_script(empty_warehouse: Path) -> None:
    proc = _sql(empty_warehouse, env={"NEWSDEDUP_SQL_TIME_LIMIT": "0.5"},
                text_in=f"SELECT 41 + 1 AS a;\n{CROSS_JOIN};\nSELECT 'after' AS b;\n")
    assert proc.returncode == 1, proc.stderr  # a script whose statement failed
    assert "42" in proc.stdout and "after" in proc.stdout
    assert "error: the statement was stopped at its time limit of 0.5 s" in proc.stdout


@pytest.mark.parametrize(("args", "env"), [(("--time-limit", "-1"), {}), (("--time-limit", "nan"), {}),
                                           ((), {"NEWSDEDUP_SQL_TIME_LIMIT": "soon"}),
                                           ((), {"NEWSDEDUP_SQL_TIME_LIMIT": "inf"})])
def test_a_time_limit_that_is_no_number_of_seconds_is_named(empty_warehouse: Path, args: tuple[str, ...],
                                                            env: dict[str, str]) -> None:
    proc = _sql(empty_warehouse, *args, "SELECT 1", env=env)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert "number of seconds" in proc.stderr


def test_no_time_limit_lets_a_quick_statement_run(empty_warehouse: Path) -> None:
    proc = _sql(empty_warehouse, "--time-limit", "0", "SELECT 6 * 7 AS answer")
    assert proc.returncode == 0 and "42" in proc.stdout, proc.stderr


def test_sql_fed_dev_zero_names_its_input_not_a_result(empty_warehouse: Path) -> None:
    # NUL bytes without a line end grew one line until the process's memory cap, and the message blamed
    # "the result's values" and told the user to narrow the query.
    with open("/dev/zero", "rb") as zero:
        proc = _sql(empty_warehouse, env={"NEWSDEDUP_READER_MEMORY_LIMIT": "256MB"}, stdin=zero)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "result" not in proc.stderr and "NUL bytes" in proc.stderr, proc.stderr
    assert proc.stderr.startswith("newsdedup sql: a statement of the input runs past 10,000,000 characters")


def test_a_statement_without_an_end_is_not_read_for_ever(empty_warehouse: Path) -> None:
    proc = _sql(empty_warehouse, text_in="SELECT 1 " * 1_200_000)
    assert proc.returncode == 1 and "no `;` ending it" in proc.stderr, proc.stderr


# --- 6. a Crawl-delay past the operator's cap -----------------------------------------------------


def test_a_crawl_delay_past_the_cap_is_capped_and_said(server: TestServer, caplog: pytest.LogCaptureFixture) -> None:
    # Crawl-delay was obeyed up to 30 s whatever the operator wanted: 500 entries of a site, four hours.
    server.static("/robots.txt", "User-agent: *\nCrawl-delay: 3600\n", "text/plain")
    url = server.static("/story", STORY)
    with caplog.at_level(logging.WARNING, logger="newsdedup.fetch"), Fetcher(SETTINGS) as f:
        assert f.fetch(url).error is None
        (robots,) = f.drain_side_attempts()
        assert f.gate(host_key(url)).interval == SETTINGS.max_crawl_delay == 10.0
    assert "Crawl-delay 3600 s asked, 10 s kept (setting max_crawl_delay" in (robots.detail or ""), robots.detail
    assert any("Crawl-delay 3600 s asked" in r.getMessage() for r in caplog.records)


def test_a_crawl_delay_under_the_cap_is_obeyed_without_a_word(server: TestServer) -> None:
    server.static("/robots.txt", "User-agent: *\nCrawl-delay: 2\n", "text/plain")
    url = server.static("/story", STORY)
    with Fetcher(replace(SETTINGS, max_crawl_delay=5.0)) as f:
        assert f.fetch(url).error is None
        (robots,) = f.drain_side_attempts()
        assert f.gate(host_key(url)).interval == 2.0 and "Crawl-delay" not in (robots.detail or "")


def test_max_crawl_delay_is_a_setting_with_bounds() -> None:
    from newsdedup.config import ConfigError

    assert Settings.from_dict({"max_crawl_delay": 30}).max_crawl_delay == 30
    for bad in (-1, 301, float("inf"), "5"):
        with pytest.raises(ConfigError, match="max_crawl_delay"):
            Settings.from_dict({"max_crawl_delay": bad})


# --- 7. a sitemap with junk before its root ----------------------------------------------------------

SITEMAP = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
           "<url><loc>https://news.test/s</loc></url></urlset>")
PHP_WARNING = ("<br />\n<b>Warning</b>:  Undefined variable $post in <b>/var/www/html/wp-content/plugins/"
               "sitemap/sitemap.php</b> on line <b>42</b><br />\n")


@pytest.mark.parametrize("junk", [PHP_WARNING, "<p>Notice: this plugin is deprecated</p>\n",
                                  "Deprecated: Function create_function() is deprecated in x.php on line 3\n",
                                  "\ufeff\n  "])
@pytest.mark.parametrize("kind", ["sitemap", None])
def test_a_sitemap_behind_a_short_server_warning_is_read(server: TestServer, junk: str, kind: str | None,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    # A PHP warning printed before the XML: refused ("root element <br> is not urlset or sitemapindex"),
    # and, without a kind, taken for a page: the sitemap's own URL stored as an article.
    url = server.static("/sitemap.xml", (junk + SITEMAP).encode(), "application/xml")
    with caplog.at_level(logging.WARNING, logger="newsdedup.sources"):
        d = _discover(url, kind)
    assert (d.error, d.kind) == (None, "sitemap"), d.detail
    assert [e.url for e in d.entries] == ["https://news.test/s"]
    if junk.strip("\ufeff \n"):
        assert any("before its root element passed over" in r.getMessage() for r in caplog.records)


def test_a_sitemap_behind_long_junk_is_refused_saying_why(server: TestServer) -> None:
    url = server.static("/sitemap.xml", (PHP_WARNING * 20 + SITEMAP).encode(), "application/xml")
    d = _discover(url, "sitemap")
    assert d.error == "malformed_sitemap" and "root element <br> is not urlset or sitemapindex" in (d.detail or "")
    assert "first 1,024 bytes" in (d.detail or "")


def test_a_page_that_mentions_a_sitemap_is_still_a_page(server: TestServer) -> None:
    page = ("<html><head><title>How sitemaps work</title></head><body><pre><urlset></pre>"
            + "<p>A sitemap lists the pages of a site for search engines to read.</p>" * 5 + "</body></html>")
    d = _discover(server.static("/how.html", page), None)
    assert d.kind == "page" and d.error is None, d.detail


# --- 8. a text file that does not start with a URL ---------------------------------------------------


@pytest.mark.parametrize("kind", ["sitemap", None])
def test_a_text_file_whose_first_line_is_no_url_is_named(server: TestServer, kind: str | None) -> None:
    # Was "text/plain with text content, not a feed or sitemap": nothing said the first line was the trouble.
    url = server.static("/urls.txt", "# Sitemap of news.test\nhttps://news.test/a\nhttps://news.test/b\n", "text/plain")
    d = _discover(url, kind)
    assert d.error == "unsupported_content_type", d.detail
    assert "first line is not an absolute http(s) URL ('# Sitemap of news.test')" in (d.detail or ""), d.detail


# --- further probes: fixed ------------------------------------------------------------------------


@pytest.mark.parametrize("date", ["10000-01-01T00:00:00Z", "20240-05-01T00:00:00Z", "+10000-01-01T00:00:00Z"])
@pytest.mark.parametrize("feed", ["rss", "atom"])
def test_a_feed_date_past_year_9999_is_no_date(server: TestServer, date: str, feed: str) -> None:
    # feedparser read "10000-01-01" as 1 December 2010 and "20240-05-01" as 27 August 2020: the article
    # was stored with a date its feed never gave, without a note.
    if feed == "rss":
        body = _rss("https://news.test/a").replace("</title><link>", f"</title><pubDate>{date}</pubDate><link>")
        url = server.static("/f.xml", body, "application/rss+xml")
    else:
        body = ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><entry><title>A'
                f'</title><link href="https://news.test/a"/><updated>{date}</updated></entry></feed>')
        url = server.static("/a.xml", body, "application/atom+xml")
    d = _discover(url)
    assert d.error is None, d.detail
    (entry,) = d.entries
    assert entry.published is None
    assert "out of range" in (entry.date_note or ""), entry.date_note


def test_two_different_location_headers_are_refused_not_joined(server: TestServer) -> None:
    # httpx joins them with ", ": "/story, /other" was requested, a URL neither header named (a 404, or
    # whatever the server makes of it). Browsers refuse such a redirect.
    from local_server import Request

    def two(req: Request, second: str = "/other") -> None:
        h = req.handler
        h.send_response(302)
        h.send_header("Location", "/story")
        h.send_header("Location", second)
        h.send_header("Content-Length", "0")
        h.end_headers()

    server.route("/two", two)
    server.route("/same", lambda req: two(req, "/story"))
    server.static("/story", STORY)
    with Fetcher(SETTINGS) as f:
        res = f.fetch(server.url("/two"))
        assert res.error == "invalid_url" and "2 different Location headers" in (res.detail or ""), res.detail
        assert server.hits["/story"] == 0 and len(res.attempts) == 1
        same = f.fetch(server.url("/same"))  # the same Location twice (a proxy repeating it) is that one
        assert same.error is None and same.final_url == server.url("/story")


@pytest.mark.parametrize("host", ["2130706433", "0x7f.1", "127.1", "0177.0.0.1", "0x7f000001", "127.0.0.1"])
def test_a_host_written_as_a_number_is_the_ipv4_address_browsers_connect_to(host: str) -> None:
    # Kept as written, each spelling of one address was its own host: its own article id for one page, its
    # own robots.txt and politeness gate (a listing could multiply the per-host concurrency).
    assert canonicalize_url(f"http://{host}:8080/a") == "http://127.0.0.1:8080/a"
    assert host_key(canonicalize_url(f"http://{host}/a")) == "http://127.0.0.1:80"


@pytest.mark.parametrize("host", ["256.1.1.1", "1.2.3.4.5", "4294967296", "1.2.3.09", "news.test.123"])
def test_a_host_that_ends_in_a_number_but_is_no_ipv4_address_is_invalid(host: str) -> None:
    with pytest.raises(InvalidURL, match="ends in a number"):
        canonicalize_url(f"http://{host}/a")


def test_numeric_spellings_of_one_server_share_its_politeness_gate(server: TestServer) -> None:
    server.static("/a", STORY)
    port = server.port
    with Fetcher(SETTINGS) as f:
        for host in ("127.0.0.1", "2130706433", "0x7f.1", "127.1"):
            res = f.fetch(f"http://{host}:{port}/a")
            assert res.error is None and res.final_url == f"http://127.0.0.1:{port}/a", (host, res.error)
    assert server.hits["/robots.txt"] == 1  # one host: robots.txt read once


# --- further probes: held -------------------------------------------------------------------------


def test_held_feed_links_that_are_no_web_page_or_carry_credentials(server: TestServer) -> None:
    # A feed naming a local file is skipped (never read from disk); a link's user:password never reaches
    # the warehouse or the request.
    url = server.static("/f.xml", _rss("file:///etc/passwd", "https://bob:secret@news.test/a",
                                       "javascript:alert(1)", "data:text/html,<p>x</p>"), "application/rss+xml")
    d = _discover(url)
    assert [e.url for e in d.entries] == ["https://news.test/a"]


def test_held_an_item_with_ten_thousand_enclosures(server: TestServer) -> None:
    enclosures = "".join(f'<enclosure url="https://news.test/e{i}.mp3" length="1" type="audio/mpeg"/>'
                         for i in range(10_000))
    body = _rss("https://news.test/a").replace("</link>", "</link>" + enclosures)
    d = _discover(server.static("/f.xml", body, "application/rss+xml"))
    assert d.error is None and [e.url for e in d.entries] == ["https://news.test/a"]


@pytest.mark.parametrize("date", ["0000-01-01T00:00:00Z", "Mon, 01 Jan 0000 00:00:00 GMT", "-0001-01-01",
                                  "Sat, 01 Jan 10000 00:00:00 GMT", "9999-12-31T23:59:59+14:00"])
def test_held_feed_dates_at_year_0_and_10000_are_no_date(server: TestServer, date: str) -> None:
    body = _rss("https://news.test/a").replace("</title><link>", f"</title><pubDate>{date}</pubDate><link>")
    d = _discover(server.static("/f.xml", body, "application/rss+xml"))
    assert d.error is None and [e.published for e in d.entries] == [None]


@pytest.mark.parametrize("raw", [
    '{"version":"https://jsonfeed.org/version/1.1","title":NaN,"items":[{"id":Infinity,"url":"https://news.test/n",'
    '"title":-Infinity,"date_published":NaN,"authors":[{"name":NaN}],"tags":[NaN]}]}',
    '{"version":"https://jsonfeed.org/version/1.1","title":"x","items":[{"id":1e999,"url":"https://news.test/n",'
    '"title":"t"}]}'])
def test_held_nan_and_infinity_in_a_json_feed(server: TestServer, raw: str) -> None:
    d = _discover(server.static("/n.json", raw, "application/feed+json"))
    assert d.error is None and [e.url for e in d.entries] == ["https://news.test/n"]
    assert all(e.published is None for e in d.entries)


def test_held_a_json_feed_nested_past_the_parser_is_a_malformed_feed(server: TestServer) -> None:
    raw = ('{"version":"https://jsonfeed.org/version/1.1","title":"x","items":[{"id":"1","url":"https://news.test/n",'
           '"x":' + "[" * 100_000 + "]" * 100_000 + "}]}")
    d = _discover(server.static("/deep.json", raw, "application/feed+json"))
    assert d.error == "malformed_feed" and "RecursionError" in (d.detail or "")


@pytest.mark.parametrize("head", [b"Content-Length: -5\r\n", b"Content-Length: 10\r\nContent-Length: 20\r\n",
                                  b"Transfer-Encoding: chunked\r\n"])
def test_held_a_broken_message_length_is_a_recorded_connection_error(head: bytes) -> None:
    from local_server import RawServer

    def handler(conn: object) -> None:
        conn.recv(65536)  # type: ignore[attr-defined]
        body = b"ffffffffffffffffffff\r\nabc" if b"chunked" in head else STORY
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + head + b"\r\n" + body)  # type: ignore[attr-defined]

    with RawServer(handler) as raw, Fetcher(replace(SETTINGS, respect_robots=False)) as f:
        res = f.fetch(raw.url("/x"))
    # A length that is no length is named since session 43 (`invalid_content_length`, tests/test_seventeenth_probe.py).
    expected = "connection_error" if b"chunked" in head else "invalid_content_length"
    assert res.error == expected and ("RemoteProtocolError" in (res.detail or "") or "Content-Length" in (res.detail or "")), (
        res.error, res.detail)
    assert len(res.attempts) == 1


def test_held_five_thousand_set_cookie_headers_are_one_attempt_and_no_flood_of_cookies(server: TestServer) -> None:
    # 145 KB of headers: httpcore's parser refuses a header block past 100 KB when it reads it in parts
    # (a recorded connection_error), and takes it whole when one read holds it all (which the
    # kernel's buffering decides): either way one recorded attempt, and the jar keeps at most
    # MAX_COOKIES_PER_DOMAIN of them, so a later request to the site is no 145 KB of cookies.
    from local_server import Request

    from newsdedup.fetch import MAX_COOKIES_PER_DOMAIN

    sent: list[str] = []

    def many(req: Request) -> None:
        h = req.handler
        h.send_response(200)
        for i in range(5000):
            h.send_header("Set-Cookie", f"c{i}=v; Path=/")
        h.send_header("Content-Length", str(len(STORY)))
        h.end_headers()
        h.wfile.write(STORY)

    def echo(req: Request) -> None:
        sent.append(req.headers.get("Cookie") or "")
        req.send(200, STORY)

    server.route("/cookies", many)
    server.route("/next", echo)
    with Fetcher(SETTINGS) as f:
        res = f.fetch(server.url("/cookies"))
        assert len(res.attempts) == 1
        assert res.error == "connection_error" or (res.error is None and res.body == STORY), (res.error, res.detail)
        assert f.fetch(server.url("/next")).error is None
    assert len(sent) == 1 and len([c for c in sent[0].split(";") if c.strip()]) <= MAX_COOKIES_PER_DOMAIN


@pytest.mark.parametrize(("raw", "expected"), [
    ("http://news.test/a/%2e%2e/%2E%2e/etc/passwd", "http://news.test/etc/passwd"),  # dot segments, as browsers
    ("http://news.test/a/..%2fetc", "http://news.test/a/..%2Fetc"),  # an escaped slash is no separator
    ("http://\u0430pple.com/", "http://xn--pple-43d.com/"),  # a homograph host is its own punycode host
    ("https://news.test/feed\r\nX-Evil: 1", "https://news.test/feedX-Evil:%201"),  # no header injection
    ("http://news.test:080/a", "http://news.test/a"),
])
def test_held_url_spellings(raw: str, expected: str) -> None:
    assert canonicalize_url(raw) == expected


@pytest.mark.parametrize("raw", ["http://[fe80::1%25eth0]/", "http://news.test:99999/", "http://news.test:+80/",
                                 "http://news.test:\uff18\uff10/", "http://news.test:0x50/"])
def test_held_zone_ids_and_absurd_ports_are_invalid(raw: str) -> None:
    with pytest.raises(InvalidURL):
        canonicalize_url(raw)


def test_held_a_user_agent_with_a_line_end_is_refused() -> None:
    from newsdedup.config import ConfigError

    with pytest.raises(ConfigError, match="user_agent"):
        Settings.from_dict({"user_agent": "newsdedup\r\nX-Evil: 1"})


@pytest.mark.parametrize("query", [
    "SELECT * FROM glob('/etc/*')", "SELECT * FROM read_blob('/etc/hostname')", "SELECT * FROM sniff_csv('/etc/passwd')",
    "SELECT * FROM read_text('/proc/self/environ')", "CALL enable_logging(storage='file', storage_path='/tmp/x')",
    "CREATE SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')", "EXPORT DATABASE '/tmp/newsdedup-export'",
    "ATTACH ':memory:' AS m", "LOAD '/tmp/x.duckdb_extension'", "SET temp_directory = '/tmp'",
    "SELECT * FROM parquet_metadata('/etc/passwd')"])
def test_held_sql_that_reaches_outside_the_snapshot_is_refused(empty_warehouse: Path, query: str) -> None:
    proc = _sql(empty_warehouse, query)
    assert proc.returncode == 1 and proc.stderr.startswith("newsdedup sql: refused: "), proc.stderr


def test_held_checkpoint_and_vacuum_change_no_file(empty_warehouse: Path) -> None:
    import hashlib

    from newsdedup import warehouse as wh

    files = [empty_warehouse, wh.snapshot_path(empty_warehouse)]
    before = [hashlib.sha256(p.read_bytes()).hexdigest() for p in files]
    proc = _sql(empty_warehouse, "CHECKPOINT; VACUUM; FORCE CHECKPOINT")
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr
    assert [hashlib.sha256(p.read_bytes()).hexdigest() for p in files] == before


# --- gzip files in listings ----------------------------------------------------------------------

SITEMAP_GZ_HEAD = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>'
                   b"https://news.test/s</loc></url>")


def test_held_a_sitemap_gzip_bomb_is_refused_and_now_says_its_sizes(server: TestServer,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    # Held (never inflated past the cap); its detail was only the error's name, "decompression_bomb".
    import gzip

    from newsdedup.sources import SITEMAP_MAX_BYTES

    bomb = gzip.compress(SITEMAP_GZ_HEAD + b" " * (SITEMAP_MAX_BYTES + 1_000_000) + b"</urlset>", 9)
    url = server.static("/bomb.xml.gz", bomb, "application/x-gzip")
    d = _discover(url, "sitemap")
    assert d.error == "decompression_bomb"
    assert d.detail == f"a gzip file of {len(bomb):,} bytes inflates past {SITEMAP_MAX_BYTES:,} bytes"
    index = ('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>' + url
             + "</loc></sitemap></sitemapindex>")
    with caplog.at_level(logging.WARNING, logger="newsdedup.sources"):
        d = _discover(server.static("/index.xml", index, "application/xml"), "sitemap")
    assert d.error is None and d.entries == []
    assert any("skipped: decompression_bomb: a gzip file of" in r.getMessage() for r in caplog.records)


def test_a_sitemap_gzipped_twice_is_named_so(server: TestServer) -> None:
    # Was "root element <?> is not urlset or sitemapindex".
    import gzip

    url = server.static("/twice.xml.gz", gzip.compress(gzip.compress(SITEMAP_GZ_HEAD + b"</urlset>")),
                        "application/x-gzip")
    d = _discover(url, "sitemap")
    assert d.error == "bad_encoding" and "gzip file inside a gzip file" in (d.detail or ""), d.detail


# --- robots.txt answered with 429 -----------------------------------------------------------------


def test_a_robots_txt_answered_with_429_is_no_licence_to_crawl(server: TestServer) -> None:
    # 429 was read as any 4xx is (RFC 9309 §2.3.1.3: "unavailable", crawl anything) and cached for a day: a
    # server asking us to slow down had its rules ignored and every page requested. It is read as a 5xx is
    # (Google does the same): assume disallow for a while, then ask again.
    server.static("/robots.txt", b"slow down", "text/plain", status=429, headers={"Retry-After": "60"})
    server.static("/page", STORY)
    with Fetcher(SETTINGS) as f:
        res = f.fetch(server.url("/page"))
    assert res.error == "robots_disallowed" and "http_429" in (res.detail or ""), (res.error, res.detail)
    assert server.hits["/page"] == 0


def test_a_robots_txt_answered_with_another_4xx_still_allows_all(server: TestServer) -> None:
    server.static("/robots.txt", b"", "text/plain", status=403)
    server.static("/page", STORY)
    with Fetcher(SETTINGS) as f:
        assert f.fetch(server.url("/page")).error is None


# --- a cookie for a public suffix -----------------------------------------------------------------


@pytest.mark.parametrize(("host", "domain"), [("evil.github.io", "github.io"), ("evil.co.uk", ".co.uk"),
                                              ("evil.example.com", "com")])
def test_a_cookie_for_a_public_suffix_is_not_kept(host: str, domain: str) -> None:
    # http.cookiejar's rules kept `Domain=.github.io` from evil.github.io and sent it to every other user's
    # github.io site the run fetched (cookie tossing); browsers refuse a cookie for a public suffix.
    import httpx

    from newsdedup.fetch import _CookieJar, _CookiePolicy

    jar = httpx.Cookies(_CookieJar(policy=_CookiePolicy()))
    request = httpx.Request("GET", f"https://{host}/story")
    jar.extract_cookies(httpx.Response(200, headers=[("Set-Cookie", f"sid=tossed; Domain={domain}; Path=/"),
                                                     ("Set-Cookie", "own=1; Path=/")], request=request))
    assert sorted(c.name for c in jar.jar) == ["own"]
    victim = httpx.Request("GET", f"https://victim.{domain.lstrip('.')}/")
    jar.set_cookie_header(victim)
    assert "sid" not in victim.headers.get("cookie", "")


def test_a_cookie_for_the_site_itself_is_kept() -> None:
    import httpx

    from newsdedup.fetch import _CookieJar, _CookiePolicy

    jar = httpx.Cookies(_CookieJar(policy=_CookiePolicy()))
    request = httpx.Request("GET", "https://www.example.co.uk/story")
    jar.extract_cookies(httpx.Response(200, headers=[("Set-Cookie", "consent=yes; Domain=.example.co.uk; Path=/")],
                                       request=request))
    other = httpx.Request("GET", "https://news.example.co.uk/")
    jar.set_cookie_header(other)
    assert other.headers.get("cookie") == "consent=yes"
