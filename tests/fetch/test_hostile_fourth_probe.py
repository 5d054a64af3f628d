"""The fourth attacker probe: what a hostile or broken server or file sends that the earlier probes
(`test_hostile*.py`) did not try. Each test failed before its fix; servers run on 127.0.0.1."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest
from local_server import TestServer

from newsdedup.config import Settings, SourceSpec
from newsdedup.fetch import Fetcher
from newsdedup.sources import discover

NOW = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)
SITEMAP = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
           b"<url><loc>https://news.test/a</loc></url></urlset>")  # fmt: skip


def _discover(spec: SourceSpec, settings: Settings):
    with Fetcher(settings) as f:
        return discover(spec, settings, f, now=NOW)


@pytest.mark.timeout(120)  # a hang guard: it took about twenty minutes before
def test_a_gzip_body_of_many_tiny_members_is_read_in_time_linear_in_its_size(server: TestServer,
                                                                             settings: Settings) -> None:  # fmt: skip
    # A sitemap.xml.gz of two million empty gzip members (20 bytes each, 40 MB, under the protocol's
    # 50 MB) before the real one: every member's end copied all the bytes after it, so reading it
    # took time in the square of its size, after the fetch and outside its deadline.
    body = gzip.compress(b"", mtime=0) * 2_000_000 + gzip.compress(SITEMAP)
    url = server.static("/sitemap.xml.gz", body, "application/x-gzip")
    d = _discover(SourceSpec("members", url), settings)
    assert d.error is None and [e.url for e in d.entries] == ["https://news.test/a"], (d.error, d.detail)
