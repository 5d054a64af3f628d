"""The tenth attacker probe (session 36): outside inputs the nine probes before it did not try. Each
test failed on the code before its fix; network tests run against real servers on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fetch"))

from local_server import TestServer  # noqa: E402
from probekit import NOW, SETTINGS  # noqa: E402
from probekit import discover_at as _discover  # noqa: E402

from newsdedup.config import SourceSpec  # noqa: E402
from newsdedup.fetch import Fetcher  # noqa: E402
from newsdedup.sources import discover  # noqa: E402

EXE = str(Path(sys.executable).with_name("newsdedup"))


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=300)


# --- `newsdedup extract --manifest`: the id of a line ------------------------------------------


@pytest.mark.parametrize("case", [{}, {"id": None}, {"id": ""}, {"id": [1, 2]}, {"id": {"a": 1}}, {"id": True}])
def test_a_manifest_line_without_a_usable_id_is_named(tmp_path: Path, case: dict[str, object]) -> None:
    # A line without "id" was a KeyError traceback; null, a list or an object was printed as the id
    # "None", "[1, 2]" (every such line the same id, its score matched to no gold case).
    (tmp_path / "a.html").write_text("<html><body><p>hello</p></body></html>")
    manifest = tmp_path / "cases.jsonl"
    good = json.dumps({"id": "c1", "path": "a.html", "url": None})
    manifest.write_text(good + "\n" + json.dumps({**case, "path": "a.html", "url": None}) + "\n")
    proc = _run("extract", "--manifest", str(manifest))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith(f"{manifest}:2: bad manifest line ("), proc.stderr
    assert "'id'" in proc.stderr and proc.stdout == ""


def test_a_manifest_id_may_be_a_string_or_an_integer(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<html><body><p>hello</p></body></html>")
    manifest = tmp_path / "cases.jsonl"
    manifest.write_text("\n".join(json.dumps({"id": i, "path": "a.html"}) for i in ("x", 7, 0)) + "\n")
    proc = _run("extract", "--manifest", str(manifest))
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(line)["id"] for line in proc.stdout.splitlines()] == ["x", "7", "0"]


# --- a JSON Feed written in the charset its Content-Type names ---------------------------------


def _json_feed(title: str, html: str) -> str:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Feed", "items": [
        {"id": "1", "url": "https://news.test/a", "title": title, "content_html": html}]}, ensure_ascii=False)


def test_a_json_feed_in_the_charset_its_header_names_keeps_its_letters(server: TestServer) -> None:
    # JSON is UTF-8 (RFC 8259), but a site's JSON Feed is written as its pages are: a PHP site serving
    # windows-1252 says so in the header. Every letter past ASCII was U+FFFD (the bytes read as UTF-8
    # with replacement), in titles and in the full-content pages made from content_html, without a word.
    title = "Caf\u00e9 \u2013 d\u00e9j\u00e0 vu \u00e0 l\u2019op\u00e9ra"
    body = "<p>" + "Le conseil r\u00e9gional a adopt\u00e9 le budget apr\u00e8s un long d\u00e9bat. " * 40 + "</p>"
    url = server.static("/feed.json", _json_feed(title, body).encode("cp1252"),
                        "application/feed+json; charset=windows-1252")
    d = _discover(url)
    assert d.error is None, d.detail
    (entry,) = d.entries
    assert entry.title == title
    assert entry.body is not None and "r\u00e9gional a adopt\u00e9".encode() in entry.body
    assert "\ufffd".encode() not in entry.body


def test_a_utf8_json_feed_with_one_stray_byte_stays_utf8_whatever_its_header_says(server: TestServer) -> None:
    # The header gives way to bytes that are UTF-8 but for a stray byte (a cut character), as for pages.
    title = "\u65e5\u672c\u8a9e\u306e\u30cb\u30e5\u30fc\u30b9 \u2013 Z\u00fcrich"
    raw = _json_feed(title, "<p>x</p>").encode("utf-8").replace(b'"Feed"', b'"Fe\xe9d"')
    url = server.static("/stray.json", raw, "application/feed+json; charset=iso-8859-1")
    d = _discover(url)
    assert d.error is None, d.detail
    assert [e.title for e in d.entries] == [title]


# --- a page or feed in UTF-16 without a byte order mark -----------------------------------------

PAGE_TITLE = "Z\u00fcrich council votes on the budget"
UTF16_PAGE = ("<!doctype html><html><head><title>" + PAGE_TITLE + "</title></head><body><article><h1>" + PAGE_TITLE
              + "</h1>" + "<p>The regional council approved a budget on Tuesday that shifts money from road building to "
              "public transport, after a debate that lasted well into the night.</p>" * 3 + "</article></body></html>")


@pytest.mark.parametrize(("codec", "label"), [("utf-16-le", "utf-16le"), ("utf-16-be", "utf-16be"),
                                              ("utf-16-le", "utf-16")])
def test_a_utf16_page_without_a_bom_is_fetched_and_read(server: TestServer, codec: str, label: str) -> None:
    # newsdedup.charset reads UTF-16 without a BOM by its NUL bytes (a label browsers obey), but the
    # fetch refused such a page first: "text/html with binary content, not HTML" (a NUL in its first
    # bytes). Only `newsdedup extract` ever read one.
    from newsdedup.clean import extract

    url = server.static("/u16.html", UTF16_PAGE.encode(codec), f"text/html; charset={label}")
    with Fetcher(SETTINGS) as f:
        res = f.fetch(url)
    assert res.error is None, res.detail
    assert extract(res.body, url, content_type=res.content_type).title == PAGE_TITLE


def test_a_utf16_feed_without_a_bom_is_read(server: TestServer) -> None:
    feed = ('<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel><title>x</title><item><title>'
            + PAGE_TITLE + "</title><link>https://news.test/a</link></item></channel></rss>")
    d = _discover(server.static("/u16.xml", feed.encode("utf-16-le"), "application/rss+xml"))
    assert d.error is None, d.detail
    assert [(e.url, e.title) for e in d.entries] == [("https://news.test/a", PAGE_TITLE)]


def test_a_utf16_page_without_a_bom_in_a_dir_source_is_read(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    page = tmp_path / "site" / "a.html"
    page.write_bytes(UTF16_PAGE.encode("utf-16-le"))
    old = page.stat().st_mtime - 60
    os.utime(page, (old, old))
    with Fetcher(SETTINGS) as f:
        d = discover(SourceSpec("folder", str(tmp_path / "site"), "dir", {"settle_seconds": 0}), SETTINGS, f, now=NOW)
    assert [a.error for a in d.attempts] == [None]
    assert len(d.entries) == 1


@pytest.mark.parametrize("body", [b"\x01\x00\x02\x00" * 200,
                                  b"".join(bytes([i % 250 + 1, 0]) for i in range(600))])
def test_bytes_shaped_like_utf16_that_hold_no_markup_are_still_binary(server: TestServer, body: bytes) -> None:
    url = server.static("/blob.html", body, "text/html")
    with Fetcher(SETTINGS) as f:
        res = f.fetch(url)
    assert res.error == "unsupported_content_type" and "binary" in (res.detail or ""), (res.error, res.detail)


# --- a sitemap in the charset its Content-Type names --------------------------------------------

LATIN_SITEMAP = ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
                 '<url><loc>https://news.test/caf\u00e9</loc><news:news><news:title>Caf\u00e9 d\u00e9j\u00e0 vu'
                 '</news:title></news:news></url>'
                 '<url><loc>https://news.test/caf\u00e8</loc></url></urlset>')


def test_a_sitemap_in_the_charset_its_header_names_keeps_its_urls(server: TestServer) -> None:
    # lxml read the bytes as UTF-8 whatever the header said (RFC 7303: the header's charset decides):
    # /caf\xe9 and /caf\xe8 both became /caf%EF%BF%BD (U+FFFD), a URL no server has, and being one URL
    # the second story was dropped as a repeat, without a word.
    url = server.static("/sitemap.xml", LATIN_SITEMAP.encode("latin-1"), "application/xml; charset=iso-8859-1")
    d = _discover(url, "sitemap")
    assert d.error is None, d.detail
    assert sorted((e.url, e.title) for e in d.entries) == [
        ("https://news.test/caf%C3%A8", None), ("https://news.test/caf%C3%A9", "Caf\u00e9 d\u00e9j\u00e0 vu")]


def test_a_child_sitemap_in_the_charset_its_header_names_keeps_its_urls(server: TestServer) -> None:
    server.static("/child.xml", LATIN_SITEMAP.encode("cp1252"), "text/xml; charset=windows-1252")
    index = ('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>'
             + server.url("/child.xml") + "</loc></sitemap></sitemapindex>")
    d = _discover(server.static("/index.xml", index, "application/xml"), "sitemap")
    assert d.error is None, d.detail
    assert sorted(e.url for e in d.entries) == ["https://news.test/caf%C3%A8", "https://news.test/caf%C3%A9"]


def test_a_latin1_sitemap_without_a_label_is_read_as_pages_are(server: TestServer) -> None:
    # No header charset, no declaration: the sitemap protocol says UTF-8, but its bytes are not; both
    # stories are kept (detection, as for a page) rather than made one URL of U+FFFD.
    url = server.static("/bare.xml", LATIN_SITEMAP.encode("latin-1"), "application/xml")
    d = _discover(url, "sitemap")
    assert d.error is None, d.detail
    assert len({e.url for e in d.entries}) == 2
    assert all("%EF%BF%BD" not in e.url for e in d.entries)


@pytest.mark.parametrize("label", ["application/xml; charset=iso-8859-1", "application/xml"])
def test_a_utf8_sitemap_stays_utf8_whatever_its_header_says(server: TestServer, label: str) -> None:
    url = server.static("/u8.xml", ('<?xml version="1.0" encoding="UTF-8"?>' + LATIN_SITEMAP).encode("utf-8"), label)
    d = _discover(url, "sitemap")
    assert sorted(e.url for e in d.entries) == ["https://news.test/caf%C3%A8", "https://news.test/caf%C3%A9"]


def test_a_sitemap_declaring_its_charset_is_read_in_it(server: TestServer) -> None:
    body = ('<?xml version="1.0" encoding="windows-1252"?>' + LATIN_SITEMAP).encode("cp1252")
    d = _discover(server.static("/decl.xml", body, "application/xml"), "sitemap")
    assert sorted(e.url for e in d.entries) == ["https://news.test/caf%C3%A8", "https://news.test/caf%C3%A9"]


# --- a Refresh header -----------------------------------------------------------------------------

STORY = ("<html><head><title>Council votes</title></head><body><article><h1>Council votes</h1>"
         + "<p>The regional council approved a budget on Tuesday after a long debate.</p>" * 5
         + "</article></body></html>").encode()


@pytest.mark.parametrize("body", [b"", b"<html><body><p>Redirecting...</p></body></html>"])
@pytest.mark.parametrize("value", ["0; url=/story", "0;URL='/story'", "1, /story"])
def test_a_refresh_header_stub_is_followed_like_a_meta_refresh(server: TestServer, body: bytes, value: str) -> None:
    # The HTML standard reads a `Refresh` header as it reads <meta http-equiv=refresh>, and browsers
    # follow it at once (PHP's header("Refresh: 0; url=..."), link shorteners). The meta element was
    # followed; the header was not: the empty stub was stored as the story (no_main_text).
    server.static("/stub", body, headers={"Refresh": value})
    server.static("/story", STORY)
    with Fetcher(SETTINGS) as f:
        res = f.fetch(server.url("/stub"))
    assert res.error is None and res.final_url == server.url("/story") and res.body == STORY
    assert len(res.attempts) == 1 and "refresh" in (res.attempts[0].detail or "").lower()


def test_a_refresh_header_that_is_no_redirect_keeps_the_page(server: TestServer) -> None:
    # A live page reloading itself, a refresh to itself, a whole story with a quick Refresh header, a
    # Refresh to a non-http URL: the page is the answer; two stubs refreshing to each other are a loop.
    server.static("/live", STORY, headers={"Refresh": "300"})
    server.static("/self", b"", headers={"Refresh": "0; url=/self"})
    server.static("/js", b"<p>x</p>", headers={"Refresh": "0; url=javascript:alert(1)"})
    server.static("/big", STORY * 40, headers={"Refresh": "0; url=/"})
    with Fetcher(SETTINGS) as f:
        for path in ("/live", "/self", "/js", "/big"):
            res = f.fetch(server.url(path))
            assert res.error is None and res.final_url == server.url(path), path
        server.static("/x", b"", headers={"Refresh": "0; url=/y"})
        server.static("/y", b"", headers={"Refresh": "0; url=/x"})
        assert f.fetch(server.url("/x")).error == "redirect_loop"


# --- `newsdedup diff` of an id that is not UTF-8 --------------------------------------------------


def test_diff_of_an_id_that_is_not_utf8_says_there_is_no_such_article(tmp_path: Path) -> None:
    # An article id typed or pasted in a Latin-1 terminal (`newsdedup diff $'caf\xe9'`) reached DuckDB as
    # a lone surrogate: an InvalidInputException traceback ("cannot encode str as UTF-8").
    from newsdedup import warehouse as wh

    path = tmp_path / "w.duckdb"
    with wh.writer(str(path)):  # an empty warehouse, migrated, its snapshot published
        pass
    proc = subprocess.run([EXE, "diff", os.fsdecode(b"caf\xe9"), "--warehouse", str(path)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith("newsdedup diff: no article ") and "UTF-8" in proc.stderr, proc.stderr


# --- a listing whose root element comes after a long prolog ---------------------------------------

LONG_COMMENT = "<!-- " + "Generated by a sitemap plugin; licensed under the terms printed here. " * 60 + "-->"
PROLOG_SITEMAP = ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://news.test/s</loc>'
                  "</url></urlset>")
PROLOG_RSS = ('<rss version="2.0"><channel><title>x</title><item><title>A</title><link>https://news.test/a</link>'
              "</item></channel></rss>")
DECL = '<?xml version="1.0" encoding="UTF-8"?>'
STYLESHEET = '<?xml-stylesheet type="text/xsl" href="/sitemap.xsl"?>'


@pytest.mark.parametrize(("body", "kind", "url"), [
    (DECL + STYLESHEET + LONG_COMMENT + PROLOG_SITEMAP, "sitemap", "https://news.test/s"),
    (DECL + "\n" * 5000 + PROLOG_SITEMAP, "sitemap", "https://news.test/s"),
    (LONG_COMMENT + PROLOG_SITEMAP, "sitemap", "https://news.test/s"),
    (DECL + STYLESHEET + LONG_COMMENT + PROLOG_RSS, "rss", "https://news.test/a"),
])
def test_a_listing_whose_root_follows_a_long_prolog_is_told_by_its_root(server: TestServer, body: str, kind: str,
                                                                         url: str) -> None:
    # A source without `kind` is told by its first 2 KB: a sitemap or feed behind a stylesheet and a
    # generator's licence comment (or blank lines) was `unknown_source_kind`, and one whose comment came
    # first was taken for a page, its own URL stored as the article.
    d = _discover(server.static("/listing.xml", body, "application/xml"))
    assert (d.error, d.kind) == (None, kind), d.detail
    assert [e.url for e in d.entries] == [url]


# --- ports no browser fetches ----------------------------------------------------------------------


@pytest.mark.parametrize("port", [25, 6667, 22, 1])
def test_a_link_to_a_port_browsers_refuse_is_not_requested(port: int) -> None:
    # A feed's link or a redirect to http://mail.example:25/ made the fetcher send an HTTP request to a
    # mail (or IRC, SSH ...) server, again on every retry: what the Fetch standard's port blocking keeps
    # browsers from doing for any page. It is refused unsent, one attempt naming the port.
    with Fetcher(replace(SETTINGS, retries=2)) as f:
        res = f.fetch(f"http://127.0.0.1:{port}/story")
    assert res.error == "invalid_url" and f"port {port}" in (res.detail or ""), (res.error, res.detail)
    assert len(res.attempts) == 1


def test_a_redirect_to_a_port_browsers_refuse_is_not_followed(server: TestServer) -> None:
    server.static("/moved", b"", status=302, headers={"Location": "http://127.0.0.1:25/story"})
    with Fetcher(SETTINGS) as f:
        res = f.fetch(server.url("/moved"))
    assert res.error == "invalid_url" and "port 25" in (res.detail or ""), (res.error, res.detail)


def test_an_xhtml_page_whose_html_follows_a_long_prolog_is_a_page(server: TestServer) -> None:
    # The same 2 KB look refused an XHTML page behind its declaration and a long comment as "text/html
    # with xml content, not HTML".
    body = DECL + LONG_COMMENT + STORY.decode()
    with Fetcher(SETTINGS) as f:
        res = f.fetch(server.static("/x.html", body))
    assert res.error is None, res.detail


# --- a validator too long to send back ----------------------------------------------------------


@pytest.mark.parametrize("header", ["ETag", "Last-Modified"])
def test_a_validator_too_long_to_send_back_does_not_fail_every_later_run(server: TestServer, header: str) -> None:
    # A 70 KB ETag was kept and sent back as If-None-Match: a server that refuses a header line that long
    # (Apache and nginx take about 8 KB; here 64 KB: 431) failed the feed on every run after the first,
    # for ever. A validator over MAX_VALIDATOR_CHARS is not sent: the GET is a plain one.
    rss = ('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>A</title>'
           "<link>https://news.test/a</link></item></channel></rss>")
    value = '"' + "a" * 70_000 + '"' if header == "ETag" else "Thu, 09 May 2024 10:00:00 GMT" + " " * 70_000 + "x"
    url = server.static("/f.xml", rss, "application/rss+xml", headers={header: value})
    state = None
    for _ in range(3):
        with Fetcher(SETTINGS) as f:
            d = discover(SourceSpec("long-validator", url), SETTINGS, f, state, now=NOW)
        assert d.error is None, d.detail
        assert [e.url for e in d.entries] == ["https://news.test/a"]
        state = d.state
