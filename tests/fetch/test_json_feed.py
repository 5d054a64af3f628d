"""JSON Feed (https://jsonfeed.org/version/1.1) sources: read like RSS and Atom, against a real
server on 127.0.0.1. feedparser 6.0 reads no JSON, so these feeds were `unknown_source_kind`."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from local_server import TestServer

from newsdedup.config import Settings, SourceSpec, parse_sources
from newsdedup.fetch import Fetcher
from newsdedup.sources import discover

NOW = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)
FULL = "<p>" + "This is the full text of the article. " * 60 + "</p>"


def _discover(spec: SourceSpec, settings: Settings):
    with Fetcher(settings) as f:
        return discover(spec, settings, f, now=NOW)


def _feed(items: list, version: str = "https://jsonfeed.org/version/1.1") -> bytes:
    return json.dumps({"version": version, "title": "News", "home_page_url": "https://news.test/",
                       "items": items}).encode()  # fmt: skip


ITEMS = [
    {"id": "1", "url": "https://news.test/full?utm_source=feed", "title": "Fish &amp; <b>Chips</b>",
     "content_html": FULL, "date_published": "2024-05-09T10:00:00+02:00", "authors": [{"name": "Jane Roe"}]},
    {"id": "2", "url": "/relative/two", "title": "Two", "content_text": "A teaser.",
     "date_modified": "2024-05-08T10:00:00Z", "author": {"name": "Old Style"}},
    {"id": "https://news.test/three", "title": "Three, its id is its URL"},
    {"id": "4", "url": "https://news.test/four", "date_published": "2024-04-31T10:00:00Z"},
    {"id": "5", "url": "javascript:alert(1)", "title": "not a page"},
    {"id": "6", "title": "no URL at all"},
    "not an object", 7, None,
    {"id": "8", "url": ["https://news.test/list"], "title": {"a": 1}, "date_published": 20240509},
]  # fmt: skip


@pytest.mark.parametrize("content_type", ["application/feed+json", "application/json", "text/plain"])
def test_a_json_feed_lists_its_items_like_rss(server: TestServer, settings: Settings, content_type: str,
                                              caplog: pytest.LogCaptureFixture) -> None:  # fmt: skip
    url = server.static("/feed.json", _feed(ITEMS), content_type)
    with caplog.at_level(logging.WARNING, logger="newsdedup.sources"):
        d = _discover(SourceSpec("jf", url), settings)
    assert d.error is None and d.kind == "jsonfeed", (d.error, d.detail)
    got = {e.url: e for e in d.entries}
    assert sorted(got) == sorted(["https://news.test/four", "https://news.test/full", server.url("/relative/two"),
                                  "https://news.test/three"])  # fmt: skip
    full = got["https://news.test/full"]
    assert full.title == "Fish & Chips" and full.published == datetime(2024, 5, 9, 8, 0, tzinfo=UTC)
    assert full.body is not None and b"This is the full text" in full.body and b'content="Jane Roe"' in full.body
    assert b'rel="canonical" href="https://news.test/full"' in full.body
    two = got[server.url("/relative/two")]
    assert two.body is None and two.published == datetime(2024, 5, 8, 10, 0, tzinfo=UTC)
    four = got["https://news.test/four"]
    assert four.published is None and four.date_note and "ignored" in four.date_note
    assert got["https://news.test/three"].title == "Three, its id is its URL"
    # a javascript: URL, no URL, three items that are no objects, a URL that is a list
    assert any("6 feed entries skipped" in r.getMessage() for r in caplog.records), caplog.text


def test_a_full_content_item_in_plain_text_keeps_its_paragraphs(server: TestServer, settings: Settings) -> None:
    text = "\n\n".join(f"Paragraph {i} of the story, <b>not markup</b>, told at length. " * 8 for i in range(6))
    url = server.static("/t.json", _feed([{"id": "1", "url": "https://news.test/t", "title": "T",
                                           "content_text": text}]), "application/feed+json")  # fmt: skip
    (e,) = _discover(SourceSpec("jf", url, "jsonfeed"), settings).entries
    assert e.body is not None and e.body.count(b"<p>") == 6 and b"&lt;b&gt;not markup&lt;/b&gt;" in e.body


@pytest.mark.parametrize(("body", "why"), [
    (b'{"version": "1", "items": []}', "not a JSON Feed"),
    (b'{"items": [{"url": "https://news.test/a"}]}', "not a JSON Feed"),
    (b'[{"url": "https://news.test/a"}]', "not a JSON Feed"),
    (b'{"version": "https://jsonfeed.org/version/1", "items": {"url": "x"}}', "'items' is not a list"),
    (b'{"version": "https://jsonfeed.org/version/1", "items": [', "not valid JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    (b'{"version": "https://jsonfeed.org/version/1", "items": [{"url": "https://news.test/a", "n": 1' + b"0" * 5000
     + b"}]}", "not valid JSON"),
])  # fmt: skip
def test_json_that_is_no_json_feed_is_a_malformed_feed(server: TestServer, settings: Settings, body: bytes,
                                                       why: str) -> None:  # fmt: skip
    url = server.static("/bad.json", body, "application/json")
    d = _discover(SourceSpec("jf", url), settings)
    assert d.error == "malformed_feed" and why in (d.detail or ""), (d.error, d.detail)
    assert d.entries == [] and len(d.attempts) == 1


def test_a_json_feed_source_may_say_its_kind(tmp_path) -> None:
    cfg = parse_sources({"sources": [{"name": "jf", "url": "https://news.test/feed.json", "kind": "jsonfeed"}]})
    assert cfg.sources[0].kind == "jsonfeed"
    (tmp_path / "feed.json").write_bytes(_feed([{"id": "1", "url": "https://news.test/a", "title": "A"}]))
    d = _discover(SourceSpec("local", str(tmp_path / "feed.json")), Settings())
    assert d.error is None and d.kind == "jsonfeed" and [e.url for e in d.entries] == ["https://news.test/a"]


def test_a_json_feed_is_held_to_the_page_limit_and_the_feed_item_limit(server: TestServer, settings: Settings,
                                                                       caplog: pytest.LogCaptureFixture) -> None:  # fmt: skip
    # JSON is read whole: 50 MB (the XML feed limit) of "{}," is 16 million objects and gigabytes.
    # A JSON Feed gets max_bytes, as a page does, and its first 50,000 items, as an RSS feed does.
    from newsdedup.sources import MAX_FEED_ITEMS

    big = _feed([{"id": str(i), "url": "https://news.test/a"} for i in range(10)])
    big = big[:-2] + b"," + b"{}," * (settings.max_bytes // 3) + b"{}]}"
    url = server.static("/big.json", big, "application/feed+json")
    d = _discover(SourceSpec("jf", url), settings)
    assert d.error == "too_large" and "JSON Feed" in (d.detail or ""), (d.error, d.detail)
    items = [{"url": "https://news.test/old"}] * (MAX_FEED_ITEMS + 10) + [
        {"url": "https://news.test/newest", "date_published": "2024-05-09T10:00:00Z"}]
    url = server.static("/many.json", _feed(items), "application/feed+json")
    with caplog.at_level(logging.WARNING, logger="newsdedup.sources"):
        d = _discover(SourceSpec("jf", url, "jsonfeed", {"max_entries": 5}), replace(settings, max_bytes=8 << 20))
    assert d.error is None and [e.url for e in d.entries] == ["https://news.test/old"]
    assert any(f"first {MAX_FEED_ITEMS:,}" in r.getMessage() for r in caplog.records), caplog.text
