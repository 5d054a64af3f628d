"""The third attacker probe: what a hostile or broken server sends that the first two probes
(`test_hostile.py`, `test_hostile_content.py`) did not try. Each test failed before its fix; every
one runs against a real server on 127.0.0.1."""

from __future__ import annotations

import gzip
import logging
import zlib
from datetime import UTC, datetime

import pytest
from local_server import TestServer

from newsdedup.config import Settings, SourceSpec
from newsdedup.fetch import Fetcher
from newsdedup.sources import discover

NOW = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)


def _discover(spec: SourceSpec, settings: Settings):
    with Fetcher(settings) as f:
        return discover(spec, settings, f, now=NOW)


_UTF16_LABELLED = {
    # .NET's XmlWriter over a StringWriter writes encoding="utf-16", and the text then goes out as UTF-8.
    "rss": ('<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel><title>x</title>'
            "<item><title>Caf\u00e9 story</title><link>https://news.test/cafe</link></item></channel></rss>"),
    "atom": ('<?xml version="1.0" encoding="UTF-16"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>'
             '<id>urn:x</id><entry><title>Caf\u00e9 story</title><id>urn:1</id>'
             '<link rel="alternate" href="https://news.test/cafe"/></entry></feed>'),
    "sitemap": ("<?xml version='1.0' encoding='utf-16'?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
                "<url><loc>https://news.test/cafe</loc></url></urlset>"),
    "ebcdic": ('<?xml version="1.0" encoding="ibm037"?><rss version="2.0"><channel><title>x</title>'
               "<item><title>Caf\u00e9 story</title><link>https://news.test/cafe</link></item></channel></rss>"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(_UTF16_LABELLED))
def test_a_utf16_label_on_bytes_that_read_as_ascii_loses_no_feed(server: TestServer, settings: Settings,
                                                                 name: str) -> None:  # fmt: skip
    # The bytes `<?xml` are no UTF-16 (nor EBCDIC) document's first bytes (XML 1.0 appendix F); the
    # label was wrong, and browsers read such a document as UTF-8. Believed, the feed or sitemap was
    # lost whole ("not well-formed", "root element <?>").
    url = server.static(f"/{name}", _UTF16_LABELLED[name].encode("utf-8"), "application/xml")
    d = _discover(SourceSpec(name, url), settings)
    assert d.error is None, (d.error, d.detail)
    assert [e.url for e in d.entries] == ["https://news.test/cafe"]
    assert name == "sitemap" or d.entries[0].title == "Caf\u00e9 story"


PAGE = b"<!DOCTYPE html><html><head><title>Multiple Choices</title></head><body><ul><li>a</li></ul></body></html>"


@pytest.mark.parametrize("status", [300, 305, 306, 399, 206])
def test_a_status_that_is_not_the_page_keeps_no_page(server: TestServer, settings: Settings, status: int) -> None:
    # Apache's MultiViews answers 300 with its list of variants; 305/306 and unknown 3xx name no page
    # either; a 206 to a request that asked for no range is a piece of one. Each body was kept as
    # the article (status 300, "Multiple Choices" its title).
    url = server.static(f"/s{status}", PAGE, status=status)
    with Fetcher(settings) as f:
        r = f.fetch(url)
    assert r.error == f"http_{status}" and r.body is None and r.status == status, (r.error, r.detail)
    assert [a.error for a in r.attempts] == [f"http_{status}"]  # recorded once, not retried


IMPOSSIBLE = ["2024-04-31T12:00:00+02:00", "2024-02-30T10:00:00Z", "2024-05-00T10:00:00Z", "2024-13-01T00:00:00Z",
              "2024-05-09T25:00:00Z", "2024-05-09T10:61:00Z", "2024-05-09T10:00:00+99:00", "2024-04-31T10:00:00+0200",
              "0000-00-00T00:00:00Z"]  # fmt: skip


def test_a_feed_date_no_calendar_has_is_no_date_not_a_neighbouring_one(server: TestServer, settings: Settings) -> None:
    # feedparser rolls what does not exist over into what does: 31 April became 1 May, month 13
    # January of the next year, hour 25 the next day, an offset of 99 hours four days earlier, all
    # kept as the article's date without a word. The page's own date decides instead, and the
    # ignored one is noted like a date of year 1.
    entries = "".join(f'<entry><title>s{i}</title><id>urn:{i}</id><link href="https://news.test/{i}"/>'
                      f"<published>{d}</published></entry>" for i, d in enumerate([*IMPOSSIBLE, "2024-05-09T10:00:00+02:00"]))  # fmt: skip
    url = server.static("/atom", f'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>{entries}</feed>',
                        "application/atom+xml")  # fmt: skip
    d = _discover(SourceSpec("dates", url), settings)
    got = {e.url.rsplit("/", 1)[1]: e for e in d.entries}
    assert d.error is None and len(got) == len(IMPOSSIBLE) + 1
    assert got[str(len(IMPOSSIBLE))].published == datetime(2024, 5, 9, 8, 0, tzinfo=UTC)  # a real one stays
    for i, raw in enumerate(IMPOSSIBLE):
        e = got[str(i)]
        assert e.published is None, (raw, e.published)
        assert e.date_note is not None and raw in e.date_note and "ignored" in e.date_note


RFC822_IMPOSSIBLE = ["Thu, 09 May 2024 10:00:00 +9900", "Thu, 09 May 2024 10:00:00 -1260",
                     "Thu, 09 May 2024 10:00:00 +1500"]  # fmt: skip


def test_an_rss_date_with_an_offset_no_clock_has_is_no_date(server: TestServer, settings: Settings) -> None:
    # RFC 822 dates too: feedparser moved "+9900" four days back and "-1260" (sixty minutes) an hour
    # on. Offsets run from -12:00 to +14:00 and minutes stop at 59.
    items = "".join(f"<item><title>s{i}</title><link>https://news.test/{i}</link><pubDate>{d}</pubDate></item>"
                    for i, d in enumerate([*RFC822_IMPOSSIBLE, "Thu, 09 May 2024 10:00:00 +1400"]))
    url = server.static("/rss", f'<rss version="2.0"><channel><title>x</title>{items}</channel></rss>',
                        "application/rss+xml")  # fmt: skip
    d = _discover(SourceSpec("rfc822", url), settings)
    got = {e.url.rsplit("/", 1)[1]: e for e in d.entries}
    assert d.error is None and len(got) == len(RFC822_IMPOSSIBLE) + 1
    assert got[str(len(RFC822_IMPOSSIBLE))].published == datetime(2024, 5, 8, 20, 0, tzinfo=UTC)
    for i, raw in enumerate(RFC822_IMPOSSIBLE):
        e = got[str(i)]
        assert e.published is None, (raw, e.published)
        assert e.date_note is not None and raw in e.date_note and "ignored" in e.date_note


def test_a_child_sitemap_that_cannot_be_read_is_logged_with_its_reason(server: TestServer, settings: Settings,
                                                                       caplog: pytest.LogCaptureFixture) -> None:  # fmt: skip
    # A cut .xml.gz child and a child that is no sitemap were dropped without a word: the fetch log
    # says 200, the index is "ok", and the operator never learnt why their URLs never came.
    good = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            b"<url><loc>https://news.test/a</loc></url></urlset>")  # fmt: skip
    server.static("/good.xml", good, "application/xml")
    server.static("/cut.xml.gz", gzip.compress(good)[:-10], "application/gzip")
    server.static("/other.xml", b'<?xml version="1.0"?><catalog><book/></catalog>', "application/xml")
    children = "".join(f"<sitemap><loc>{server.url(p)}</loc></sitemap>" for p in ("/good.xml", "/cut.xml.gz", "/other.xml"))
    url = server.static("/index.xml", '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                        f'sitemap/0.9">{children}</sitemapindex>', "application/xml")  # fmt: skip
    with caplog.at_level(logging.INFO, logger="newsdedup.sources"):
        d = _discover(SourceSpec("idx", url, "sitemap"), settings)
    assert d.error is None and [e.url for e in d.entries] == ["https://news.test/a"]
    logged = [r.getMessage() for r in caplog.records if "child sitemap" in r.getMessage()]
    assert any("cut.xml.gz" in m and "ends early" in m for m in logged), logged
    assert any("other.xml" in m and "catalog" in m for m in logged), logged


@pytest.mark.parametrize("kind", ["rss", "sitemap"])
def test_a_url_longer_than_any_server_takes_is_skipped_not_fetched(server: TestServer, settings: Settings,
                                                                   kind: str, caplog: pytest.LogCaptureFixture) -> None:
    # A feed's 3 MB <link> was fetched, logged and stored whole. It is no URL a server answers; the
    # entries beside it stay.
    huge = "https://news.test/" + "a" * 3_000_000
    if kind == "rss":
        body = (f"<rss version='2.0'><channel><title>x</title><item><title>huge</title><link>{huge}</link></item>"
                "<item><title>fine</title><link>https://news.test/fine</link></item></channel></rss>")
        url = server.static("/feed", body, "application/rss+xml")
    else:
        body = ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>{huge}</loc></url><url><loc>https://news.test/fine</loc></url></urlset>")
        url = server.static("/sitemap.xml", body, "application/xml")
    with caplog.at_level(logging.WARNING, logger="newsdedup.sources"):
        d = _discover(SourceSpec("long", url), settings)
    assert d.error is None
    assert [e.url for e in d.entries] == ["https://news.test/fine"]
    said = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
    assert len(said) == 1 and "1 " in said[0] and len(said[0]) < 300, said  # counted, never printed whole


@pytest.mark.parametrize("tail", [b"\n", b"\x00" * 512, b"<!-- cache: hit -->\n"])
def test_bytes_after_the_end_of_a_compressed_body_lose_no_page(server: TestServer, settings: Settings,
                                                               tail: bytes) -> None:  # fmt: skip
    # A proxy that pads or appends a newline after the gzip (or deflate) stream: browsers stop at the
    # end of the stream and show the page; it was "bad_encoding" and the page was lost. A second
    # gzip member is still read, as RFC 1952 allows.
    with Fetcher(settings) as f:
        packed = f.fetch(server.static("/gz", gzip.compress(PAGE) + tail, headers={"Content-Encoding": "gzip"}))
        deflated = f.fetch(server.static("/zz", zlib.compress(PAGE) + tail, headers={"Content-Encoding": "deflate"}))
        members = f.fetch(server.static("/two", gzip.compress(PAGE[:40]) + gzip.compress(PAGE[40:]) + tail,
                                        headers={"Content-Encoding": "gzip"}))  # fmt: skip
    for r in (packed, deflated, members):
        assert r.error is None and r.body == PAGE, (r.url, r.error, r.detail)


@pytest.mark.timeout(120)
def test_a_feed_of_too_many_items_is_read_up_to_the_sitemap_limit(server: TestServer, settings: Settings,
                                                                         caplog: pytest.LogCaptureFixture) -> None:  # fmt: skip
    # 50 MB of <item><link/></item> is 1.4 million entries: feedparser took about ten minutes and
    # over a gigabyte on it (400,000 took 42 s and 312 MB). A feed is read as a sitemap is: its
    # first 50,000 items, the rest left with a warning. An item past the limit is not read even
    # when it is the newest.
    from newsdedup.sources import MAX_FEED_ITEMS

    items = b"<item><link>https://news.test/old</link></item>" * (MAX_FEED_ITEMS + 10_000)
    newest = b"<item><link>https://news.test/newest</link><pubDate>Thu, 09 May 2024 10:00:00 GMT</pubDate></item>"
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>' + items + newest + b"</channel></rss>"
    url = server.static("/huge.xml", body, "application/rss+xml")
    with caplog.at_level(logging.WARNING, logger="newsdedup.sources"):
        d = _discover(SourceSpec("huge", url, "rss", {"max_entries": 5}), settings)
    assert d.error is None and [e.url for e in d.entries] == ["https://news.test/old"]
    assert any(f"first {MAX_FEED_ITEMS:,}" in r.getMessage() for r in caplog.records), caplog.text
