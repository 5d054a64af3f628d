"""The second attacker probe: what a hostile or broken server puts in bodies, feeds, sitemaps and
robots.txt, and where the address guard looked too late. Each test failed before its fix; every one
runs against a real server on 127.0.0.1 (see `tests/fetch/test_hostile.py` for the first probe)."""

from __future__ import annotations

import gzip
import logging
import os
import socket
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from local_server import Request, TestServer

from newsdedup import transport
from newsdedup.config import Settings, SourceSpec
from newsdedup.fetch import Fetcher, is_public_ip
from newsdedup.sources import MAX_CHILD_SITEMAPS, discover

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


def test_a_truncated_compressed_body_is_an_error_not_a_short_page(server: TestServer, settings: Settings) -> None:
    # A close-delimited gzip body cut in the middle: the gzip stream itself says it is incomplete
    # (no end-of-stream, no CRC), so the half page must not be stored (or kept as a revision).
    packed = gzip.compress(PAGE)

    def cut(req: Request) -> None:
        req.start(200, {"Content-Encoding": "gzip"})
        req.write(packed[: len(packed) // 2])

    url = server.route("/cut", cut)
    with Fetcher(replace(settings, retries=1)) as f:
        r = f.fetch(url)
    assert r.body is None and r.error == "connection_error" and "gzip" in (r.detail or ""), (r.error, r.detail)
    assert [a.error for a in r.attempts] == ["connection_error"] * 2  # a cut may heal: retried, each logged
    with Fetcher(settings) as f:
        whole = f.fetch(server.static("/whole", gzip.compress(PAGE), headers={"Content-Encoding": "gzip"}))
        empty = f.fetch(server.static("/empty", b"", headers={"Content-Encoding": "gzip"}))
    assert whole.body == PAGE and empty.error is None and empty.body == b""


def test_a_truncated_gzip_file_in_a_folder_is_a_read_error(tmp_path: Path, settings: Settings) -> None:
    # The same cut in a local .html.gz (a copy that stopped half way) was stored as the whole page.
    packed = gzip.compress(PAGE)
    (tmp_path / "cut.html.gz").write_bytes(packed[: len(packed) // 2])
    (tmp_path / "whole.html.gz").write_bytes(gzip.compress(PAGE))
    for f in tmp_path.iterdir():  # the copy stopped a minute ago (one still being written waits a run)
        os.utime(f, (time.time() - 60, time.time() - 60))
    d = _discover(SourceSpec("folder", str(tmp_path), "dir"), settings)
    assert [Path(e.url).name for e in d.entries] == ["whole.html.gz"]
    errors = {Path(a.url).name: a.error for a in d.attempts}
    assert errors == {"cut.html.gz": "read_error", "whole.html.gz": None}


def _urlset(n: int) -> bytes:
    urls = b"".join(b"<url><loc>https://news.test/a/%d</loc></url>" % i for i in range(n))
    return b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + urls + b"</urlset>"


def test_a_sitemap_over_the_protocol_limit_is_read_up_to_it(server: TestServer, settings: Settings,
                                                           caplog: pytest.LogCaptureFixture) -> None:  # fmt: skip
    # 1.3 million URLs fit in the 50 MB cap: they took 42 s and 745 MB to read, and an index of 20
    # such children held 26 million entries. A sitemap lists at most 50,000 URLs (the protocol).
    url = server.static("/big.xml", _urlset(MAX_SITEMAP_URLS + 700), "application/xml")
    s = replace(settings, max_entries_per_source=10**6, sitemap_lookback_days=0)
    with caplog.at_level(logging.WARNING, logger="newsdedup.sources"):
        d = _discover(SourceSpec("big", url, "sitemap"), s)
    assert d.error is None and len(d.entries) == MAX_SITEMAP_URLS
    assert f"https://news.test/a/{MAX_SITEMAP_URLS - 1}" in {e.url for e in d.entries}
    assert any("50,000" in r.getMessage() and "big.xml" in r.getMessage() for r in caplog.records)


def test_a_sitemap_index_cycle_fetches_each_child_once_and_at_most_the_child_limit(
        server: TestServer, settings: Settings) -> None:  # fmt: skip
    # An index that lists itself and 30 variants of itself, each of them an index again: 421
    # fetches per run before (20 children, each with 20 children), and the same URL read 3 times.
    children = [server.url("/index.xml")] + [server.url(f"/index.xml?n={i}") for i in range(30)]
    index = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             + "".join(f"<sitemap><loc>{c}</loc></sitemap>" for c in children) + "</sitemapindex>")  # fmt: skip
    server.static("/index.xml", index, "application/xml")
    d = _discover(SourceSpec("loop", server.url("/index.xml"), "sitemap"), settings)
    assert d.error is None and d.entries == []
    fetched = [p for p in server.hits if p.startswith("/index.xml")]
    assert max(server.hits[p] for p in fetched) == 1, server.hits
    assert sum(server.hits[p] for p in fetched) <= 1 + MAX_CHILD_SITEMAPS
    assert len(d.attempts) == sum(server.hits[p] for p in fetched)  # every fetch is recorded


def test_a_feed_that_declares_entities_gets_no_expansion(server: TestServer, settings: Settings) -> None:
    # expat stops a billion laughs, but lets a document grow 100 times over (a 50 MB feed, 5 GB of
    # titles; gzip makes the 50 MB 50 KB on the wire). Feeds need no entity declarations: they are
    # never expanded, like in sitemaps, and the feed's entries are still read.
    n, refs = 300, 10
    items = "".join(f"<item><title>T{i} {'&e;' * refs}{'y' * 700}</title><link>https://news.test/{i}</link></item>"
                    for i in range(n))  # fmt: skip
    body = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e "{"x" * 5000}">]><rss version="2.0"><channel>'
            f"<title>x</title>{items}</channel></rss>").encode()  # fmt: skip
    url = server.static("/ent.xml", body, "application/rss+xml")
    d = _discover(SourceSpec("ent", url, "rss"), replace(settings, max_entries_per_source=1000))
    assert len(d.entries) == n, (d.error, d.detail)
    assert sum(len(e.title or "") for e in d.entries) < len(body)
    assert not any("x" * 5000 in (e.title or "") for e in d.entries)
    # In UTF-16 the declarations cannot be taken out of the bytes: such a feed is refused, not expanded.
    wide = body.decode().replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="utf-16"?>').encode("utf-16")
    d16 = _discover(SourceSpec("ent16", server.static("/ent16.xml", wide, "application/rss+xml"), "rss"), settings)
    assert d16.error == "malformed_feed" and "1 XML entity declaration;" in (d16.detail or "") and not d16.entries


def test_a_robots_txt_over_the_size_limit_is_obeyed_up_to_the_limit(server: TestServer, settings: Settings) -> None:
    # RFC 9309 2.5: parse at least the first 500 KiB. A site whose robots.txt grew past 512 KiB had
    # every rule ignored (fetched as "allow all"), so its Disallow lines were crawled.
    robots = b"User-agent: *\nDisallow: /private/\n" + b"# padding line of a generated file\n" * 40_000
    server.static("/robots.txt", robots, "text/plain")
    server.static("/private/a", PAGE)
    server.static("/public/a", PAGE)
    packed = gzip.compress(robots)
    with Fetcher(settings) as f:
        private = f.fetch(server.url("/private/a"))
        public = f.fetch(server.url("/public/a"))
        side = f.drain_side_attempts()
    assert private.error == "robots_disallowed" and server.hits["/private/a"] == 0
    assert public.error is None
    assert [a.error for a in side] == [None]  # the robots.txt fetch is logged, as read
    with TestServer() as other:  # the same robots.txt gzip-encoded: decoded bytes past the cap are dropped too
        other.static("/robots.txt", packed, "text/plain", headers={"Content-Encoding": "gzip"})
        other.static("/private/a", PAGE)
        with Fetcher(settings) as f:
            assert f.fetch(other.url("/private/a")).error == "robots_disallowed"
        assert other.hits["/private/a"] == 0


def test_a_304_to_an_unconditional_request_is_not_taken_as_unchanged(server: TestServer, settings: Settings) -> None:
    # No validator was sent, so "not modified" cannot be true: a first read of a feed that answers
    # 304 said "feed not modified (HTTP 304)" and a re-check without validators kept the old page.
    url = server.static("/feed.xml", b"", None, status=304)
    with Fetcher(settings) as f:
        r = f.fetch(url, accept="feed")
        cond = f.fetch(url, accept="feed", etag='"v1"')
    assert r.error == "http_304" and not r.not_modified and r.attempts[0].error == "http_304"
    assert cond.error is None and cond.not_modified  # with a validator sent, 304 means what it says
    d = _discover(SourceSpec("f", url, "rss"), settings)
    assert d.error == "http_304" and not d.not_modified


def test_a_connection_that_lands_on_a_private_address_sends_nothing(
        server: TestServer, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    # DNS rebinding: the guard's lookup says a public address, the connect's own lookup a moment
    # later says 127.0.0.1. The peer was checked only after the response, so the GET (and its
    # cookies and credentials) had already reached the private service. A rebinding DNS server
    # cannot run here, so the system resolver is made to answer like one (public, then private).
    # The connect now goes to the guard's (kept) answer; with answers kept for no time at all it
    # looks the name up again, which is where the check of the connected address must hold.
    monkeypatch.setattr(transport, "DNS_TTL", 0.0)
    server.static("/admin/delete-everything", PAGE)
    real = socket.getaddrinfo
    answers = iter(["93.184.216.34"])

    def rebinding(host, port, *args, **kwargs):  # noqa: ANN001, ANN202 - socket.getaddrinfo's signature
        if host != "rebind.test":
            return real(host, port, *args, **kwargs)
        addr = next(answers, "127.0.0.1")
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (addr, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    s = replace(settings, allow_private_networks=False, respect_robots=False, retries=0)
    with Fetcher(s) as f:
        r = f.fetch(f"http://rebind.test:{server.port}/admin/delete-everything")
    assert r.error == "private_address" and "127.0.0.1" in (r.detail or "")
    assert server.hits["/admin/delete-everything"] == 0
    assert [a.error for a in r.attempts] == ["private_address"]


def test_ipv6_addresses_that_carry_a_private_ipv4_address_are_not_public() -> None:
    # NAT64 (64:ff9b::/96, 64:ff9b:1::/48), 6to4 (2002::/16), IPv4-compatible (::/96) and SIIT
    # (::ffff:0:0:0/96) addresses reach the IPv4 address inside them on networks that route them
    # (NAT64 is common on IPv6-only clouds); site-local fec0::/10 is a private range too.
    for addr in ("64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1", "64:ff9b:1::a00:1", "2002:a00:1::1",
                 "2002:7f00:1::", "::7f00:1", "::a00:1", "::ffff:0:a00:1", "fec0::1"):  # fmt: skip
        assert not is_public_ip(addr), addr
    for addr in ("64:ff9b::5db8:d822", "2002:5db8:d822::1", "2606:2800:220:1:248:1893:25c8:1946"):
        assert is_public_ip(addr), addr


def test_a_character_reference_no_text_can_hold_costs_one_character_not_the_feed(
        server: TestServer, settings: Settings) -> None:  # fmt: skip
    # feedparser's loose parser raised on &#xD800; (UnicodeEncodeError), &#x110000; (ValueError) and a
    # 20-digit reference (OverflowError): the source failed as internal_error and the feed's fetch was
    # in no fetch_log row. Such a reference is one replacement character; the feed is read.
    refs = ["&#xD800;", "&#x110000;", "&#99999999999999999999;", "&#0;", "&#233;"]
    items = "".join(f"<item><title>A{r}B</title><link>https://news.test/{i}</link></item>" for i, r in enumerate(refs))
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>'.encode()
    d = _discover(SourceSpec("refs", server.static("/refs.xml", body, "application/rss+xml"), "rss"), settings)
    assert d.error is None, (d.error, d.detail)
    assert sorted(e.title for e in d.entries) == ["AéB"] + ["A\ufffdB"] * 4
    assert len(d.attempts) == 1
    # In UTF-16 the references cannot be found in the bytes: the feed fails as malformed, its fetch logged.
    wide = body.decode().replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="utf-16"?>').encode("utf-16")
    d16 = _discover(SourceSpec("refs16", server.static("/refs16.xml", wide, "application/rss+xml"), "rss"), settings)
    assert d16.error == "malformed_feed" and len(d16.attempts) == 1, (d16.error, d16.detail)


def test_a_sitemap_character_reference_no_text_can_hold_costs_one_url_not_the_sitemap(
        server: TestServer, settings: Settings) -> None:  # fmt: skip
    # lxml raised UnicodeDecodeError on <loc>...&#xD800;</loc>: the sitemap failed as internal_error,
    # its fetch logged nowhere. Now the reference is a replacement character and the rest is read.
    urls = "".join(f"<url><loc>https://news.test/{p}</loc></url>" for p in ("a", "b&#xD800;", "c"))
    body = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    url = server.static("/sitemap.xml", body, "application/xml")
    d = _discover(SourceSpec("sm", url, "sitemap"), replace(settings, sitemap_lookback_days=0))
    assert d.error is None, (d.error, d.detail)
    assert sorted(e.url for e in d.entries) == ["https://news.test/a", "https://news.test/b%EF%BF%BD",
                                                "https://news.test/c"]  # fmt: skip
    assert len(d.attempts) == 1


@pytest.mark.parametrize("allow_private", [False, True])
@pytest.mark.parametrize("host", ["a" * 64 + ".test", ("abcdefghi." * 26) + "test", "xn--a.test", "xn--ls8h.xn--a.test"])
def test_a_host_dns_cannot_carry_is_an_invalid_url(settings: Settings, host: str, allow_private: bool) -> None:
    # A 64-character label (DNS allows 63), a 264-character name (253) or an "xn--" label that is no
    # IDNA: the resolver or httpx raised UnicodeError / idna's InvalidCodepoint, which ended as
    # internal_error with a traceback in the log for a link in a feed.
    s = replace(settings, allow_private_networks=allow_private, respect_robots=False, retries=0)
    with Fetcher(s) as f:
        r = f.fetch(f"http://{host}/story")
    assert r.error == "invalid_url" and len(r.attempts) == 1, (r.error, r.detail)
