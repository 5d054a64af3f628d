"""Text sitemaps (sitemaps.org, "Text file"): one absolute URL a line, read as a sitemap's <loc>s."""

from __future__ import annotations

import gzip
import logging
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from local_server import TestServer

from newsdedup.config import Settings, SourceSpec
from newsdedup.fetch import Fetcher
from newsdedup.sources import MAX_SITEMAP_URLS, discover

NOW = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)


def _run(spec: SourceSpec, settings: Settings):
    with Fetcher(settings) as f:
        return discover(spec, settings, f, now=NOW)


def test_text_sitemap_source(server: TestServer, settings: Settings) -> None:
    body = b"\xef\xbb\xbfhttps://news.test/a/1\r\n\n  https://news.test/a/2#top  \nHTTPS://News.Test/a/1\n"
    url = server.static("/sitemap.txt", body, "text/plain; charset=utf-8")
    d = _run(SourceSpec("t", url, "sitemap"), settings)
    assert d.error is None and d.kind == "sitemap"
    assert [e.url for e in d.entries] == ["https://news.test/a/1", "https://news.test/a/2"]
    assert all(e.published is None for e in d.entries)


def test_text_sitemap_without_kind_only_when_every_line_is_a_url(server: TestServer, settings: Settings) -> None:
    url = server.static("/sitemap.txt", b"https://news.test/a/1\nhttps://news.test/a/2\n", "text/plain")
    d = _run(SourceSpec("t", url), settings)
    assert d.error is None and d.kind == "sitemap" and len(d.entries) == 2
    mixed = server.static("/mixed.txt", b"https://news.test/a/1\n" + b"https://news.test/a/x\n" * 20 + b"a note\n",
                          "text/plain")  # fmt: skip
    d = _run(SourceSpec("t", mixed), settings)
    assert d.error == "unknown_source_kind" and "not an absolute http(s) URL" in d.detail and not d.entries
    d = _run(SourceSpec("t", mixed, "sitemap"), settings)  # a kind "sitemap" source skips the note
    assert d.error is None and len(d.entries) == 2


def test_gzipped_text_sitemap(server: TestServer, settings: Settings) -> None:
    url = server.static("/sitemap.txt.gz", gzip.compress(b"https://news.test/a/1\nhttps://news.test/a/2\n"),
                        "application/x-gzip")  # fmt: skip
    d = _run(SourceSpec("t", url, "sitemap"), settings)
    assert d.error is None and [e.url for e in d.entries] == ["https://news.test/a/1", "https://news.test/a/2"]


def test_index_with_a_text_child(server: TestServer, settings: Settings) -> None:
    index = f"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{server.url('/child.txt')}</loc></sitemap></sitemapindex>""".encode()
    server.static("/index.xml", index, "application/xml")
    server.static("/child.txt", b"https://news.test/c/1\nhttps://news.test/c/2\n", "text/plain")
    d = _run(SourceSpec("idx", server.url("/index.xml"), "sitemap"), settings)
    assert d.error is None and {e.url for e in d.entries} == {"https://news.test/c/1", "https://news.test/c/2"}


def test_60000_lines_cut_at_the_cap(server: TestServer, settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    body = "".join(f"https://news.test/a/{i}\n" for i in range(60_000)).encode()
    url = server.static("/sitemap.txt", body, "text/plain")
    with caplog.at_level(logging.WARNING):
        d = _run(SourceSpec("t", url, "sitemap"), replace(settings, max_entries_per_source=100_000))
    assert d.error is None and len(d.entries) == MAX_SITEMAP_URLS
    assert "read only in part" in caplog.text


def test_hostile_lines_skipped_and_counted(server: TestServer, settings: Settings,
                                           caplog: pytest.LogCaptureFixture) -> None:  # fmt: skip
    good = b"".join(b"https://news.test/a/%d\n" % i for i in range(100))
    bad = b"https://news.test/" + b"x" * 1_000_000 + b"\nhttps://news.test/a b\njavascript:alert(1)\n/relative/path\n"
    url = server.static("/sitemap.txt", good + bad + b"https://news.test/\x00nul\n", "text/plain")
    with caplog.at_level(logging.WARNING):
        d = _run(SourceSpec("t", url, "sitemap"), settings)
    assert d.error is None and len(d.entries) == 100
    assert "5 sitemap URLs skipped" in caplog.text


@pytest.mark.parametrize("body", [
    b"<!doctype html><html><body><p>Hello</p></body></html>",
    b"https://news.test/a/1\nThis is a note.\nSo is this.\nAnd this one too.\n",
    b"Just some words\nhttps://news.test/a/1\n",
    b"\n\n  \n",
    b"https://news.test/a/1\n\x00\x00\x00binary",
])  # fmt: skip
def test_not_a_text_sitemap_is_refused(server: TestServer, settings: Settings, body: bytes) -> None:
    url = server.static("/sitemap.txt", body, "text/plain")
    d = _run(SourceSpec("t", url, "sitemap"), settings)
    assert d.error is not None and d.detail and not d.entries


def test_site_reads_a_text_sitemap_named_in_robots_txt(server: TestServer, settings: Settings) -> None:
    home = ('<!DOCTYPE html><html><head><title>Example News</title></head><body><h1>Example News</h1>'
            + "".join(f'<li><a href="/news/s{i}.html">Story {i}</a></li>' for i in range(3)) + "</body></html>")
    server.static("/", home)
    server.static("/robots.txt", f"User-agent: *\nAllow: /\nSitemap: {server.url('/sitemap.txt')}\n", "text/plain")
    server.static("/sitemap.txt", f"{server.url('/news/s1.html')}\n{server.url('/news/s2.html')}\n", "text/plain")
    d = _run(SourceSpec("site", server.url("/"), "site"), settings)
    assert d.error is None
    assert {e.url for e in d.entries} == {server.url("/news/s1.html"), server.url("/news/s2.html")}


def test_latin1_text_sitemap_read_by_its_charset(server: TestServer, settings: Settings) -> None:
    body = "https://news.test/café\nhttps://news.test/cafè\n".encode("latin-1")
    url = server.static("/sitemap.txt", body, "text/plain; charset=iso-8859-1")
    d = _run(SourceSpec("t", url, "sitemap"), settings)
    assert d.error is None
    assert [e.url for e in d.entries] == ["https://news.test/caf%C3%A9", "https://news.test/caf%C3%A8"]
