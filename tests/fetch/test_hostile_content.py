"""The second attacker probe: what a hostile or broken server puts in bodies, feeds, sitemaps and
robots.txt, and where the address guard looked too late. Each test failed before its fix; every one
runs against a real server on 127.0.0.1 (see `tests/fetch/test_hostile.py` for the first probe)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from local_server import TestServer

from newsdedup.config import Settings, SourceSpec
from newsdedup.fetch import Fetcher
from newsdedup.sources import discover

NOW = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)
MAX_SITEMAP_URLS = 50_000  # the sitemap protocol's limit per file
PAGE = ("<!DOCTYPE html><html><head><title>t</title></head><body>"
        + "<p>A paragraph of the story that goes on for a while.</p>" * 200 + "</body></html>").encode()  # fmt: skip


def _rss(links: list[str]) -> bytes:
    items = "".join(f"<item><title>Story {i}</title><link>{u}</link></item>" for i, u in enumerate(links))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>'.encode()


def _discover(spec: SourceSpec, settings: Settings):
    with Fetcher(settings) as f:
        return discover(spec, settings, f, now=NOW)


def test_a_feed_body_that_names_a_local_file_is_parsed_as_text_not_opened(
        server: TestServer, settings: Settings, tmp_path: Path) -> None:  # fmt: skip
    # feedparser.parse(bytes) first tries open(bytes) as a file name: a feed whose whole body is
    # "/dev/zero" read until memory ran out, and a body naming a local feed file gave its entries.
    local = tmp_path / "local-feed.xml"
    local.write_bytes(_rss(["https://internal.test/secret-entry"]))
    url = server.static("/feed.xml", str(local).encode(), "application/rss+xml")
    d = _discover(SourceSpec("f", url, "rss"), settings)
    assert d.entries == [] and d.error == "malformed_feed", (d.error, [e.url for e in d.entries])
    assert len(d.attempts) == 1
