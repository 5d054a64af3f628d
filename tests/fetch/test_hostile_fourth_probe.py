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


RFC822_ROLLED = ["Thu, 09 May 2024 10:00:00 +9900 (PST)", "Thu, 09 May 2024 10:00:00 +99:00",
                 "Thu, 09 May 2024 10:00:00 GMT+9900", "Thu May 09 10:00:00 +9900 2024"]  # fmt: skip
RFC822_REAL = {"Thu, 09 May 2024 10:00:00 +0530 (IST)": datetime(2024, 5, 9, 4, 30, tzinfo=UTC),
               "Thu, 09 May 2024 10:00:00 +01:30": datetime(2024, 5, 9, 8, 30, tzinfo=UTC)}  # fmt: skip


def test_an_rss_date_whose_offset_no_clock_has_is_no_date_however_it_is_written(server: TestServer,
                                                                                settings: Settings) -> None:  # fmt: skip
    # The third probe refused "+9900" only at the very end of the date: with a comment after it
    # ("(PST)"), a colon ("+99:00"), "GMT" before it or the year after it, feedparser still moved the
    # date four days back and the article kept a day its feed never gave.
    dates = [*RFC822_ROLLED, *RFC822_REAL]
    items = "".join(f"<item><title>s{i}</title><link>https://news.test/{i}</link><pubDate>{d}</pubDate></item>"
                    for i, d in enumerate(dates))
    url = server.static("/rss", f'<rss version="2.0"><channel><title>x</title>{items}</channel></rss>',
                        "application/rss+xml")  # fmt: skip
    d = _discover(SourceSpec("rfc822", url), settings)
    got = {int(e.url.rsplit("/", 1)[1]): e for e in d.entries}
    assert d.error is None and len(got) == len(dates)
    for i, raw in enumerate(dates):
        e = got[i]
        if raw in RFC822_REAL:
            assert e.published == RFC822_REAL[raw] and e.date_note is None, (raw, e.published, e.date_note)
        else:
            assert e.published is None, (raw, e.published)
            assert e.date_note is not None and raw in e.date_note and "ignored" in e.date_note
