"""The eighteenth attacker probe (session 44): the seventeenth's leftovers (a scheme-relative URL in the sources
file, robots.txt served as HTML or as gzip bytes, WARC heads holding a NUL or a transfer coding, feed dates in
ambiguous zone names) and what the web and files send that the probes before it did not try. Each test of a fix
failed on the code before it; the `test_held_*` ones record what held. Network tests run against real servers
on 127.0.0.1, file tests on real files."""

from __future__ import annotations

import dataclasses
import gzip
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fetch"))
sys.path.insert(0, str(Path(__file__).parent))

from local_server import TestServer, canned_server, pipeline_run  # noqa: E402
from test_fifteenth_probe import PAGE, PAGES, SETTINGS, _record  # noqa: E402
from test_seventeenth_probe import _robots_obeyed, _warc_attempts  # noqa: E402

from newsdedup import warehouse as wh  # noqa: E402
from newsdedup.config import ConfigError, SourceSpec, load_sources  # noqa: E402
from newsdedup.fetch import Fetcher  # noqa: E402
from newsdedup.sources import discover  # noqa: E402

# --- 1. a scheme-relative URL in the sources file ---------------------------------------------------------------


def _sources(tmp_path: Path, url: str, kind: str | None) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n  - name: first\n    url: https://ok.example/rss.xml\n"
                    f"  - name: second\n    url: '{url}'\n" + (f"    kind: {kind}\n" if kind else ""))
    return path


@pytest.mark.parametrize(("url", "kind", "fixed"), [
    ("//news.example.com/feed.xml", "rss", "https://news.example.com/feed.xml"),
    ("//news.example.com/feed.xml", None, "https://news.example.com/feed.xml"),
    ("//localhost:8080/rss", "atom", "https://localhost:8080/rss"),
    ("//127.0.0.1/sitemap.xml", "sitemap", "https://127.0.0.1/sitemap.xml"),
    ("//news.example.com/", "site", "https://news.example.com/"),
    ("//archive.example.org/crawl.warc.gz", "warc", "https://archive.example.org/crawl.warc.gz"),
], ids=["rss", "no-kind", "localhost-port", "ip", "site", "warc"])
def test_a_scheme_relative_url_in_the_sources_file_is_named_at_load_time(tmp_path: Path, url: str,
                                                                         kind: str | None, fixed: str) -> None:
    # `//host/path` is a URL without its scheme (as HTML writes links), and a local path to POSIX (`//x` is `/x`).
    # It was kept as a local path and refused at every run as a missing file (`/news.example.com/feed.xml`),
    # after the plan; a site source said only "must be an http:// or https:// URL". Now the file is refused when
    # it is read, naming the entry, its line and both readings.
    with pytest.raises(ConfigError) as exc:
        load_sources(_sources(tmp_path, url, kind))
    msg = str(exc.value)
    assert "sources[1].url" in msg and "(line 4)" in msg, msg
    assert "scheme-relative" in msg and fixed in msg, msg


def test_held_a_local_path_written_with_two_slashes_is_still_a_local_path(tmp_path: Path) -> None:
    # An existing folder (`//srv/archive` is `/srv/archive` to POSIX) or a first part that names no host.
    folder = tmp_path / "pages"
    folder.mkdir()
    for url in ("/" + str(folder), "//srv/archive"):
        cfg = load_sources(_sources(tmp_path, url, "dir"))
        assert cfg.sources[1].url == url


# --- 2. robots.txt served as an HTML page, or as gzip bytes without Content-Encoding --------------------------------


RULES = "User-agent: *\nDisallow: /private/\n"
HTML_ROBOTS = {
    # A CMS's template around the file: the first rule on the <pre>'s line (Protego read a field named
    # `<html><body><pre>User-agent` and passed the group over).
    "pre-on-the-rules-line": "<html><head><title>robots</title></head><body><pre>" + RULES + "</pre></body></html>",
    # Lines ended by <br> on one source line.
    "br-lines": "<!DOCTYPE html><html><body><p>User-agent: *<br>Disallow: /private/<br></p></body></html>",
    "entities": "<html><body><pre>User-agent: *\nDisallow: /private/&#10;</pre></body></html>",
}


@pytest.mark.parametrize("body", HTML_ROBOTS.values(), ids=HTML_ROBOTS.keys())
def test_a_robots_txt_served_as_html_has_its_rules_read(server: TestServer, body: str) -> None:
    # Google reads the rules out of an HTML robots.txt and ignores the rest (Search Central, "How Google interprets
    # the robots.txt specification"; RFC 9309 §2.2: a crawler uses the parseable lines). The rules were lost: all
    # pages fetched, the private one stored.
    server.static("/robots.txt", body, "text/html; charset=utf-8")
    _robots_obeyed(server)


@pytest.mark.parametrize("ctype", ["text/plain", "application/octet-stream", "application/x-gzip", None])
def test_a_robots_txt_sent_as_gzip_bytes_without_content_encoding_has_its_rules_read(server: TestServer,
                                                                                    ctype: str | None) -> None:
    # A `robots.txt` saved gzipped (a static-file server precompressing, a CDN's double compression) without a
    # Content-Encoding: it was "robots.txt looks like gzip", read as no robots.txt (allow all) for a day. The
    # bytes are the site's rules; RFC 9309 §2.2 asks a crawler to use what rules it can parse.
    server.static("/robots.txt", gzip.compress(RULES.encode()), ctype)
    server.static("/private/story", PAGE)
    with Fetcher(dataclasses.replace(SETTINGS, respect_robots=True)) as f:
        private = f.fetch(server.url("/private/story"))
        side = f.drain_side_attempts()
    assert (private.error, private.body) == ("robots_disallowed", None), (private.error, private.detail)
    assert [(a.error, "gzip" in (a.detail or "")) for a in side] == [(None, True)], side


@pytest.mark.parametrize(("body", "ctype"), [
    ("<html><body><h1>Welcome</h1><p>Our news site: read the latest stories.</p></body></html>", "text/html"),
    (b"\x1f\x8b\x08\x00junk that is no gzip stream", "text/plain"),
    ("User-agent: *\nDisallow: /a<b>/\n", "text/plain"),  # plain rules with a `<` stay as written
], ids=["soft-404-home-page", "broken-gzip", "plain-with-angle-brackets"])
def test_held_a_robots_txt_with_no_rules_in_it_allows_all(server: TestServer, body: str | bytes, ctype: str) -> None:
    server.static("/robots.txt", body, ctype)
    server.static("/story", PAGE)
    server.static("/a<b>/story", PAGES[1])
    with Fetcher(dataclasses.replace(SETTINGS, respect_robots=True)) as f:
        page = f.fetch(server.url("/story"))
    assert (page.error, page.body) == (None, PAGE), (page.error, page.detail)


# --- 3. WARC records whose HTTP head holds a NUL or names a transfer coding but chunked -----------------------------


HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"


def _chunked(body: bytes) -> bytes:
    return b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"


NUL_HEADS = {
    "in-a-value": HEAD + b"X-Thing: a\0b\r\n\r\n" + PAGE,
    "in-a-name": HEAD + b"X-\0Thing: ab\r\n\r\n" + PAGE,
    "in-the-reason": b"HTTP/1.1 200 O\0K\r\nContent-Type: text/html\r\n\r\n" + PAGE,
    "a-line-of-it": HEAD + b"\0\r\n\r\n" + PAGE,
}
CODED_HEADS = {
    "gzip-chunked": HEAD + b"Transfer-Encoding: gzip, chunked\r\n\r\n" + _chunked(gzip.compress(PAGE)),
    "gzip-chunked-stored-plain": HEAD + b"Transfer-Encoding: gzip, chunked\r\n\r\n" + _chunked(PAGE),
    "gzip": HEAD + b"Transfer-Encoding: gzip\r\n\r\n" + gzip.compress(PAGE),
    "chunked-then-gzip": HEAD + b"Transfer-Encoding: chunked, gzip\r\n\r\n" + _chunked(PAGE),
    "two-lines": HEAD + b"Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n" + _chunked(gzip.compress(PAGE)),
}


@pytest.mark.parametrize("gz", ["member-per-record", "plain"])
def test_a_records_head_is_refused_where_the_fetch_refuses_it(tmp_path: Path, gz: str) -> None:
    # The fetch refuses a head holding a NUL (as Chromium does) and a transfer coding other than chunked
    # (`unsupported_transfer_encoding`: no browser decodes one). The same bytes archived were read: a NUL in a
    # header stored the page, and `gzip, chunked` was "text/html with gzip content" or, stored plain, the page.
    uris = {name: f"http://news.example/{name}" for name in [*NUL_HEADS, *CODED_HEADS]}
    members = [_record(uris[name], block) for name, block in {**NUL_HEADS, **CODED_HEADS}.items()]
    members.append(_record("http://news.example/good", HEAD + b"Transfer-Encoding: identity, chunked\r\n\r\n"
                           + _chunked(PAGES[1])))
    path = tmp_path / ("c.warc.gz" if gz == "member-per-record" else "c.warc")
    path.write_bytes(b"".join(members) if gz == "member-per-record" else b"".join(gzip.decompress(m) for m in members))
    attempts, bodies = _warc_attempts(path)
    for name in NUL_HEADS:
        error, detail = attempts[uris[name]]
        assert error == "malformed_warc" and "NUL" in (detail or ""), (name, error, detail)
    for name in CODED_HEADS:
        error, detail = attempts[uris[name]]
        assert error == "unsupported_transfer_encoding" and "gzip" in (detail or ""), (name, error, detail)
    assert not set(uris.values()) & set(bodies)
    assert attempts["http://news.example/good"] == (None, None) and bodies["http://news.example/good"] == PAGES[1]


@pytest.mark.parametrize(("head", "error"), [
    (HEAD + b"X-Thing: a\0b\r\nContent-Length: %d\r\n\r\n" % len(PAGE), "connection_error"),
    (HEAD + b"Transfer-Encoding: gzip, chunked\r\n\r\n", "unsupported_transfer_encoding"),
], ids=["nul", "gzip-chunked"])
def test_held_the_network_refuses_the_same_heads(head: bytes, error: str) -> None:
    body = PAGE if b"Content-Length" in head else _chunked(gzip.compress(PAGE))
    with canned_server(head + body) as srv, Fetcher(SETTINGS) as f:
        res = f.fetch(srv.url("/story"))
    assert res.error == error, (res.error, res.detail)


# --- 4. feed dates in a zone name of several meanings, read by the feed's own language -----------------------------


def _feed(language: str | None, dates: dict[str, str]) -> str:
    lang = f"<language>{language}</language>" if language else ""
    items = "".join(f"<item><title>{k}</title><link>https://news.example/{k}</link><pubDate>{d}</pubDate></item>"
                    for k, d in dates.items())
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{lang}{items}</channel></rss>'


ZONE_BY_LANGUAGE = [
    ("en-in", "Mon, 01 Jan 2024 10:00:00 IST", "2024-01-01T04:30:00+00:00"),  # India Standard Time
    ("en-IE", "Mon, 01 Jul 2024 10:00:00 IST", "2024-07-01T09:00:00+00:00"),  # Irish Standard Time (summer)
    ("he", "Mon, 01 Jan 2024 10:00:00 IST", "2024-01-01T08:00:00+00:00"),  # Israel Standard Time
    ("en-GB", "Mon, 01 Jul 2024 10:00:00 BST", "2024-07-01T09:00:00+00:00"),  # British Summer Time
    ("bn-BD", "Mon, 01 Jan 2024 10:00:00 BST", "2024-01-01T04:00:00+00:00"),  # Bangladesh Standard Time
    # PHP's date("T") under Asia/Shanghai and Asia/Manila: feedparser read US Central and US Pacific.
    ("zh-CN", "Mon, 01 Jan 2024 10:00:00 CST", "2024-01-01T02:00:00+00:00"),
    ("zh-cn", "Mon, 01 Jan 2024 06:00:00 CST", "2023-12-31T22:00:00+00:00"),  # the day before, in UTC
    ("en-PH", "Mon, 01 Jan 2024 10:00:00 PST", "2024-01-01T02:00:00+00:00"),
    ("ar-SA", "Mon, 01 Jan 2024 10:00:00 AST", "2024-01-01T07:00:00+00:00"),  # Arabia Standard Time
]
HELD_BY_LANGUAGE = [
    ("en-us", "Mon, 01 Jan 2024 10:00:00 IST", "2024-01-01T10:00:00+00:00"),  # no IST in the US: UTC, as before
    (None, "Mon, 01 Jan 2024 10:00:00 IST", "2024-01-01T10:00:00+00:00"),
    ("en", "Mon, 01 Jan 2024 10:00:00 BST", "2024-01-01T10:00:00+00:00"),
    ("en-US", "Mon, 01 Jan 2024 10:00:00 CST", "2024-01-01T16:00:00+00:00"),  # feedparser's US Central
    ("en-in", "Mon, 01 Jan 2024 10:00:00 +0100", "2024-01-01T09:00:00+00:00"),  # an offset is an offset
    ("en-in", "Mon, 01 Jan 2024 10:00:00 CEST", "2024-01-01T08:00:00+00:00"),  # a name of one meaning
    ("zh-CN", "Mon, 01 Jan 2024 10:00:00 EST", "2024-01-01T15:00:00+00:00"),
]


@pytest.mark.parametrize(("language", "raw", "want"), ZONE_BY_LANGUAGE + HELD_BY_LANGUAGE,
                         ids=[f"{lang}-{raw.split()[-1]}" for lang, raw, _ in ZONE_BY_LANGUAGE + HELD_BY_LANGUAGE])
def test_a_feed_date_in_an_ambiguous_zone_name_is_read_by_the_feeds_language(server: TestServer, language: str | None,
                                                                              raw: str, want: str) -> None:
    # IST is India's, Israel's or Ireland's, BST Britain's or Bangladesh's, CST US Central or China's: RFC 5322
    # §4.3 reads a name whose meaning is not known as UTC, and feedparser reads CST, PST and AST as American. A
    # feed names its language with a country (RSS 2.0 `<language>`, a BCP 47 tag: `en-in`), which names the
    # zone: an Indian feed's 10:00 IST was stored at 10:00 UTC, five and a half hours late, a Chinese one's
    # 10:00 CST at 16:00 UTC, fourteen hours late.
    url = server.static("/feed.xml", _feed(language, {"a": raw}), "application/rss+xml")
    with Fetcher(SETTINGS) as f:
        d = discover(SourceSpec("s", url, "rss"), SETTINGS, f, None)
    assert d.error is None, d.detail
    assert [e.published.isoformat() if e.published else e.date_note for e in d.entries] == [want]


def test_a_json_feeds_language_reads_its_dates_zone(server: TestServer) -> None:
    doc = ('{"version": "https://jsonfeed.org/version/1.1", "title": "t", "language": "en-IN", "items": ['
           '{"id": "1", "url": "https://news.example/a", "title": "A", "date_published": "Mon, 01 Jan 2024 10:00:00 IST"}]}')
    url = server.static("/feed.json", doc, "application/feed+json")
    with Fetcher(SETTINGS) as f:
        d = discover(SourceSpec("s", url, "jsonfeed"), SETTINGS, f, None)
    assert d.error is None, d.detail
    assert [e.published.isoformat() for e in d.entries if e.published] == ["2024-01-01T04:30:00+00:00"]


def test_an_ambiguous_zone_read_by_language_reaches_the_warehouse(tmp_path: Path) -> None:
    with TestServer() as srv:
        srv.static("/story", PAGE)
        feed = _feed("en-in", {"story": "Mon, 01 Jan 2024 10:00:00 IST"}).replace(
            "https://news.example/story", srv.url("/story"))
        url = srv.static("/feed.xml", feed, "application/rss+xml")
        pipeline_run(tmp_path, [{"name": "site", "url": url, "kind": "rss"}], "r1")
    rows = wh.query_rows(tmp_path / "w.duckdb", "SELECT CAST(timezone('UTC', published_at) AS VARCHAR) FROM articles")[1]
    assert rows == [("2024-01-01 04:30:00",)], rows


# --- 5. redirects whose Location names no host ------------------------------------------------------------------


@pytest.mark.parametrize("location", [b"//", b"http://", b"HTTPS://", b"http://?q=1", b"//#top", b"http:\\\\"],
                         ids=["slashes", "scheme-slashes", "https-upper", "query", "fragment", "backslashes"])
def test_a_redirect_to_a_url_of_no_host_is_an_invalid_url(location: bytes) -> None:
    # The WHATWG URL parser fails `//` and `http://` (no host: "host-missing"), and browsers refuse the redirect
    # (Chromium's ERR_INVALID_REDIRECT). urljoin read an empty authority as none, resolving either to the URL
    # redirected from: a `redirect_loop`, "redirects back to" the page itself, which it never named.
    answer = b"HTTP/1.1 302 Found\r\nLocation: " + location + b"\r\nContent-Length: 0\r\n\r\n"
    with canned_server(answer) as srv, Fetcher(SETTINGS) as f:
        res = f.fetch(srv.url("/story"))
    assert res.error == "invalid_url" and "no host" in (res.detail or ""), (res.error, res.detail)


@pytest.mark.parametrize(("location", "path"), [(b"http:", "/story"), (b"/story?", "/story")],
                         ids=["scheme-alone-is-the-url-itself", "empty-query"])
def test_held_a_redirect_to_the_url_itself_is_still_a_loop(location: bytes, path: str) -> None:
    # `http:` against an http URL is the URL itself to WHATWG too (a relative reference of the same scheme).
    answer = b"HTTP/1.1 302 Found\r\nLocation: " + location + b"\r\nContent-Length: 0\r\n\r\n"
    with canned_server(answer) as srv, Fetcher(SETTINGS) as f:
        res = f.fetch(srv.url(path))
    assert res.error == "redirect_loop", (res.error, res.detail)


# --- 6. Atom links: which one is the article ------------------------------------------------------------------------


ATOM_ENTRIES = {
    "alternate-after-related": ('<link rel="related" href="https://other.example/r"/>'
                                '<link rel="alternate" type="text/html" href="https://news.example/a"/>', "/a"),
    "pdf-alternate-first": ('<link rel="alternate" type="application/pdf" href="https://news.example/b.pdf"/>'
                            '<link rel="alternate" type="text/html" href="https://news.example/b"/>', "/b"),
    "self-then-plain": '<link rel="self" href="https://news.example/api/c.xml"/><link href="https://news.example/c"/>',
    "replies-first": ('<link rel="replies" type="text/html" href="https://news.example/f#comments"/>'
                      '<link rel="alternate" type="text/html" href="https://news.example/f"/>', "/f"),
    "enclosure-first": ('<link rel="enclosure" type="audio/mpeg" href="https://news.example/j.mp3"/>'
                        '<link rel="alternate" href="https://news.example/j"/>', "/j"),
    "entry-xml-base": ('<link href="g.html"/>', "/section/g.html"),
    "userinfo": ('<link href="https://user:pw@news.example/h"/>', "/h"),
}


def test_held_an_atom_entrys_article_link_is_its_html_alternate(server: TestServer) -> None:
    entries = []
    for name, spec in ATOM_ENTRIES.items():
        links = spec[0] if isinstance(spec, tuple) else spec
        base = ' xml:base="https://news.example/section/"' if name == "entry-xml-base" else ""
        entries.append(f"<entry{base}><title>{name}</title><id>tag:{name}</id>{links}</entry>")
    entries.append('<entry><title>edit-only</title><id>tag:e</id><link rel="edit" href="https://news.example/e"/></entry>')
    feed = ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://news.example/base/">'
            f'<title>t</title>{"".join(entries)}</feed>')
    url = server.static("/feed.atom", feed, "application/atom+xml")
    with Fetcher(SETTINGS) as f:
        d = discover(SourceSpec("s", url, "atom"), SETTINGS, f, None)
    assert d.error is None, d.detail
    got = {e.title: e.url for e in d.entries}
    want = {name: "https://news.example" + (spec[1] if isinstance(spec, tuple) else "/c")
            for name, spec in ATOM_ENTRIES.items()}
    assert got == want  # the edit-only entry names no article: skipped, counted in the log
