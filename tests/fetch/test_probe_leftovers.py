"""What the third and fourth probes left open (README "Still left"), fixed in session 27. Each test
failed on the code before its fix; servers run on 127.0.0.1."""

from __future__ import annotations

import codecs
import gzip
import json
from datetime import UTC, datetime

import pytest
from local_server import TestServer

from newsdedup.config import Settings, SourceSpec
from newsdedup.fetch import Fetcher, gunzip_capped, sniff
from newsdedup.sources import discover

NOW = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)
PAGE = (b"<!DOCTYPE html><html><head><title>Budget vote</title></head><body><article><h1>Budget vote</h1>"
        b"<p>The council approved the budget on Tuesday after a long debate.</p></article></body></html>")  # fmt: skip
JSON_FEED = {"version": "https://jsonfeed.org/version/1.1", "title": "x",
             "items": [{"id": "1", "url": "https://news.test/a", "title": "A story",
                        "date_published": "2024-05-09T10:00:00Z"}]}  # fmt: skip


def _discover(spec: SourceSpec, settings: Settings):
    with Fetcher(settings) as f:
        return discover(spec, settings, f, now=NOW)


# A stray 0x1f (the first byte of gzip's magic) after the stream, or a second "member" that is only
# a header or garbage: the page was taken as cut short (or bad_encoding) and lost, though its whole
# first member had been read. Browsers show it.
_TAILS = [b"\x1f", b"\x1f\x8b", b"\x1f\x8b\x08\x00", b"\x1f\x8bnot a gzip member at all", b"\x1f\x8b\x08" + b"\xff" * 40]


@pytest.mark.parametrize("tail", _TAILS)
def test_a_broken_second_gzip_member_loses_no_page(server: TestServer, settings: Settings, tail: bytes) -> None:
    with Fetcher(settings) as f:
        r = f.fetch(server.static("/gz", gzip.compress(PAGE) + tail, headers={"Content-Encoding": "gzip"}))
    assert r.error is None and r.body == PAGE, (tail, r.error, r.detail)
    assert gunzip_capped(gzip.compress(PAGE) + tail, 1 << 20) == PAGE


def test_a_second_member_cut_after_giving_text_is_still_a_cut_file() -> None:
    # The rule above must not hide a real cut: a second member that already gave text and then stops
    # is a truncated file, as a cut first member is.
    cut = gzip.compress(PAGE) + gzip.compress(PAGE * 50)[:-30]
    with pytest.raises(EOFError):
        gunzip_capped(cut, 1 << 20)


@pytest.mark.parametrize("lead", [b" " * 3000, b"\r\n" * 5000, b"\t \n" * 20_000])
def test_json_after_a_lot_of_whitespace_is_still_json(server: TestServer, settings: Settings, lead: bytes) -> None:
    # RFC 8259 allows any whitespace before the value; only the first 2 KiB were looked at, so a
    # pretty-printer's padding made a JSON Feed "unknown_source_kind".
    assert sniff(lead + b'{"version": 1}') == "json"
    assert sniff(lead + b"<rss><channel></channel></rss>") == "feed"
    url = server.static("/feed.json", lead + json.dumps(JSON_FEED).encode(), "application/feed+json")
    d = _discover(SourceSpec("padded", url), settings)
    assert d.error is None and [e.url for e in d.entries] == ["https://news.test/a"], (d.error, d.detail)


@pytest.mark.parametrize("codec", ["utf-16", "utf-32-le", "utf-32-be"])
def test_a_json_feed_with_a_byte_order_mark_is_read(server: TestServer, settings: Settings, codec: str) -> None:
    # RFC 8259 asks for UTF-8, but json.loads reads UTF-16 and UTF-32 by their BOM, and so does every
    # JSON reader that a feed's author tested with. UTF-32's BOM starts with UTF-16 LE's: the body
    # was taken for UTF-16 with a NUL after every letter, "binary", and the source "unknown".
    bom = {"utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}.get(codec, b"")
    body = bom + json.dumps(JSON_FEED).encode(codec)
    assert sniff(body) == "json"
    url = server.static("/feed.json", body, "application/feed+json")
    d = _discover(SourceSpec(f"bom-{codec}", url), settings)
    assert d.error is None and [e.title for e in d.entries] == ["A story"], (d.error, d.detail)


def test_a_site_that_advertises_only_a_json_feed_is_followed_through_it(server: TestServer,
                                                                       settings: Settings) -> None:  # fmt: skip
    # `kind: site` knew only RSS and Atom links: a site whose home page names a JSON Feed
    # (`application/feed+json`, the spec's type) and no sitemap failed with "nothing to follow".
    article = server.static("/news/budget-vote.html", PAGE)
    feed = dict(JSON_FEED, items=[dict(JSON_FEED["items"][0], url=article)])
    server.static("/feed.json", json.dumps(feed), "application/feed+json")
    server.static("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
    teasers = "".join(f'<li><a href="/news/story-{i}.html">Story {i}</a></li>' for i in range(12))
    home = server.static("/", '<!DOCTYPE html><html><head><title>Example News</title>'
                              '<link rel="alternate" type="application/feed+json" title="Stories" href="/feed.json">'
                              '<link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/12">'
                              f"</head><body><h1>Example News</h1><ul>{teasers}</ul></body></html>")  # fmt: skip
    d = _discover(SourceSpec("json-site", home, "site"), settings)
    assert d.error is None, (d.error, d.detail)
    assert [e.url for e in d.entries] == [article]
    eps = {u.rsplit("/", 1)[-1]: e for u, e in d.state.site["endpoints"].items()}
    assert {p: (e["kind"], e["followed"]) for p, e in eps.items()} == {"feed.json": ("jsonfeed", True)}
    # WordPress names its REST API with rel=alternate type=application/json on every page: not a feed
    assert server.hits["/wp-json/wp/v2/pages/12"] == 0
