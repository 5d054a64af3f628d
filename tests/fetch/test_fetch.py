"""Fetcher failure behaviours (issue 5), each against a real server on 127.0.0.1.

Every test asserts that nothing raises, the result carries a clear error class and every attempt
is recorded (the pipeline turns each into a `fetch_log` row).
"""

from __future__ import annotations

import gzip
import threading
import time
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st
from local_server import Request, TestServer

from newsdedup.config import Settings
from newsdedup.fetch import Fetcher, decode_body, is_public_ip, parse_retry_after, refresh_target

PAGE = b"<!DOCTYPE html><html><head><title>t</title></head><body><p>Hello</p></body></html>"


def _fetch(settings: Settings, url: str, **kw: object):
    with Fetcher(settings) as f:
        return f.fetch(url, **kw)


def test_ok_page(server: TestServer, settings: Settings) -> None:
    url = server.static("/ok", PAGE, headers={"ETag": '"abc"', "Last-Modified": "Mon, 06 May 2024 10:00:00 GMT"})
    r = _fetch(settings, url)
    assert r.error is None and r.status == 200 and r.body == PAGE
    assert r.etag == '"abc"' and r.last_modified == "Mon, 06 May 2024 10:00:00 GMT"
    assert [a.attempt for a in r.attempts] == [1] and r.attempts[0].error is None
    assert r.attempts[0].bytes == len(PAGE) and r.final_url == url


def test_404_is_not_retried(server: TestServer, settings: Settings) -> None:
    r = _fetch(settings, server.url("/missing"))
    assert r.error == "http_404" and r.status == 404 and r.body is None
    assert len(r.attempts) == 1 and r.attempts[0].error == "http_404"
    assert server.hits["/missing"] == 1


def test_500_then_200_is_retried(server: TestServer, settings: Settings) -> None:
    calls = []

    def flaky(req: Request) -> None:
        calls.append(1)
        if len(calls) == 1:
            req.send(500, b"oops", content_type="text/plain")
        else:
            req.send(200, PAGE)

    url = server.route("/flaky", flaky)
    r = _fetch(settings, url)
    assert r.error is None and r.body == PAGE
    assert [(a.attempt, a.status, a.error) for a in r.attempts] == [(1, 500, "http_500"), (2, 200, None)]


def test_500_forever_gives_up_after_retries(server: TestServer, settings: Settings) -> None:
    url = server.static("/down", b"down", "text/plain", status=503)
    r = _fetch(settings, url)
    assert r.error == "http_503" and r.body is None
    assert len(r.attempts) == settings.retries + 1 == server.hits["/down"]


def test_429_honours_retry_after(server: TestServer, settings: Settings) -> None:
    seen: list[float] = []

    def limited(req: Request) -> None:
        seen.append(time.monotonic())
        if len(seen) == 1:
            req.send(429, b"slow down", {"Retry-After": "1"}, "text/plain")
        else:
            req.send(200, PAGE)

    url = server.route("/limited", limited)
    r = _fetch(settings, url)
    assert r.error is None and [a.status for a in r.attempts] == [429, 200]
    # The retry must not come before the server said so (a lower bound, not a speed check).
    assert seen[1] - seen[0] >= 0.95


def test_429_with_retry_after_beyond_backoff_max_is_not_retried(server: TestServer, settings: Settings) -> None:
    url = server.static("/later", b"", "text/plain", status=429, headers={"Retry-After": "3600"})
    r = _fetch(settings, url)
    assert r.error == "http_429" and len(r.attempts) == 1
    assert "Retry-After" in (r.detail or "")


def test_slow_drip_hits_read_timeout(server: TestServer, settings: Settings) -> None:
    stop = threading.Event()

    def drip(req: Request) -> None:
        req.start()
        req.write(b"<html><body>")
        stop.wait(5)  # then nothing for longer than the read timeout

    url = server.route("/drip", drip)
    r = _fetch(replace(settings, read_timeout=0.3, retries=0), url)
    stop.set()
    assert r.error == "timeout" and r.body is None and len(r.attempts) == 1


def test_steady_drip_hits_total_timeout(server: TestServer, settings: Settings) -> None:
    stop = threading.Event()

    def drip(req: Request) -> None:
        req.start()
        while not stop.is_set():  # one byte every 50 ms: never trips the read timeout
            req.write(b"x")
            time.sleep(0.05)

    url = server.route("/steady", drip)
    r = _fetch(replace(settings, total_timeout=0.6, retries=0), url)
    stop.set()
    assert r.error == "timeout" and "total" in (r.detail or "")


def test_endless_body_hits_size_cap(server: TestServer, settings: Settings) -> None:
    def endless(req: Request) -> None:
        req.start()
        chunk = b"<p>" + b"a" * 65536 + b"</p>"
        for _ in range(10_000):  # ~650 MB if nobody stops reading
            req.write(chunk)

    url = server.route("/endless", endless)
    r = _fetch(replace(settings, max_bytes=200_000), url)
    assert r.error == "too_large" and r.body is None and len(r.attempts) == 1


def test_declared_length_over_cap_is_refused_before_download(server: TestServer, settings: Settings) -> None:
    url = server.static("/big", b"<html>" + b"a" * 300_000)
    r = _fetch(replace(settings, max_bytes=100_000), url)
    assert r.error == "too_large" and "Content-Length" in (r.detail or "")


def test_gzip_bomb_stops_at_cap(server: TestServer, settings: Settings) -> None:
    bomb = gzip.compress(b"<html><body>" + b"\0" * 50_000_000, compresslevel=9)
    assert len(bomb) < 100_000  # small on the wire, 50 MB when inflated
    url = server.static("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    r = _fetch(replace(settings, max_bytes=1_000_000), url)
    assert r.error == "decompression_bomb" and r.body is None


def test_gzip_page_is_decoded(server: TestServer, settings: Settings) -> None:
    url = server.static("/gz", gzip.compress(PAGE), headers={"Content-Encoding": "gzip"})
    r = _fetch(settings, url)
    assert r.error is None and r.body == PAGE


def test_redirect_loop(server: TestServer, settings: Settings) -> None:
    server.static("/a", b"", status=302, headers={"Location": "/b"})
    server.static("/b", b"", status=301, headers={"Location": "/a?utm_source=loop"})
    r = _fetch(settings, server.url("/a"))
    assert r.error == "redirect_loop" and len(r.attempts) == 1


def test_too_many_redirects(server: TestServer, settings: Settings) -> None:
    for i in range(10):
        server.static(f"/r{i}", b"", status=307, headers={"Location": f"/r{i + 1}"})
    server.static("/r10", PAGE)
    r = _fetch(replace(settings, max_redirects=3), server.url("/r0"))
    assert r.error == "too_many_redirects"
    ok = _fetch(replace(settings, max_redirects=10), server.url("/r0"))
    assert ok.error is None and ok.final_url == server.url("/r10")


def _stub(content: str, quote: str = '"', order: str = "equiv-first") -> bytes:
    attrs = [f"http-equiv={quote}refresh{quote}", f"content={quote}{content}{quote}"]
    if order != "equiv-first":
        attrs.reverse()
    return (f"<!DOCTYPE html><html><head><meta {' '.join(attrs)}><title>Redirecting</title></head>"
            "<body><p>Redirecting to the story…</p></body></html>").encode()


@pytest.mark.parametrize(("content", "quote", "order"), [
    ("0; url=/story", '"', "equiv-first"),
    ("0;URL='/story'", '"', "equiv-first"),
    ("1, url=/story", "'", "content-first"),
    ('0; URL="/story"', "'", "equiv-first"),
    ("2;/story", '"', "content-first"),
])
def test_a_meta_refresh_stub_is_followed_like_a_redirect(server: TestServer, settings: Settings, content: str,
                                                          quote: str, order: str) -> None:
    """A page that is only a `<meta http-equiv="refresh" content="0; url=...">` (an old CMS's moved
    story, a link shortener, a site's home page sending readers to /en/) was stored as the story:
    a record with no text. Browsers follow it at once; so does the fetcher, as a redirect (the same
    hop count, loop check and address guard), in every spelling the HTML standard reads."""
    server.static("/stub", _stub(content, quote, order))
    server.static("/story", PAGE)
    r = _fetch(settings, server.url("/stub"))
    assert r.error is None and r.final_url == server.url("/story") and r.body == PAGE
    assert len(r.attempts) == 1 and "refresh" in (r.attempts[0].detail or "")


def test_a_meta_refresh_that_is_no_redirect_keeps_the_page(server: TestServer, settings: Settings) -> None:
    """A live page reloading itself every 5 minutes, a story that sends readers to the home page
    after 10 minutes, a refresh to itself, a big page with a quick refresh (an article that reloads):
    the page is the answer. A refresh loop between two stubs is a redirect loop."""
    server.static("/live", _stub("300"))
    server.static("/later", _stub("600; url=/"))
    server.static("/self", _stub("0; url=/self"))
    big = _stub("0; url=/").replace(b"<p>", b"<p>" + b"A long story paragraph. " * 2000, 1)
    server.static("/big", big)
    for path in ("/live", "/later", "/self", "/big"):
        r = _fetch(settings, server.url(path))
        assert r.error is None and r.final_url == server.url(path), path
    server.static("/x", _stub("0; url=/y"))
    server.static("/y", _stub("0; url=/x"))
    assert _fetch(settings, server.url("/x")).error == "redirect_loop"
    server.static("/away", _stub("0; url=javascript:alert(1)"))
    assert _fetch(settings, server.url("/away")).final_url == server.url("/away")


@examples(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.sampled_from(['"', "'", ""]))
def test_any_refresh_content_gives_an_http_url_or_none(content: str, quote: str) -> None:
    body = f"<meta http-equiv=refresh content={quote}{content}{quote}>".encode("utf-8", "surrogatepass")
    target = refresh_target(body, "http://example.com/a")
    assert target is None or target.startswith(("http://", "https://"))


def test_header_latin1_but_body_utf8(server: TestServer, settings: Settings) -> None:
    text = "<html><body><p>Café au lait, naïve façade — “quoted”</p></body></html>"
    url = server.static("/u8", text.encode("utf-8"), "text/html; charset=ISO-8859-1")
    r = _fetch(settings, url)
    assert r.error is None and "Café au lait, naïve façade — “quoted”" in r.text()
    assert r.encoding == "utf-8"


def test_header_utf8_but_body_latin1(server: TestServer, settings: Settings) -> None:
    text = ("<html><body><p>Le café de la gare était fermé à cause de la grève générale; "
            "les élèves étaient déçus et très fâchés.</p></body></html>")  # fmt: skip
    url = server.static("/l1", text.encode("latin-1"), "text/html; charset=utf-8")
    r = _fetch(settings, url)
    assert r.error is None and "était fermé à cause de la grève générale" in r.text()


def test_meta_charset_beats_missing_header() -> None:
    body = '<html><head><meta charset="windows-1251"></head><body>Привет, мир</body></html>'.encode("cp1251")
    text, enc = decode_body(body, "text/html")
    assert "Привет, мир" in text and enc == "cp1251"


def test_pdf_served_as_html_is_refused(server: TestServer, settings: Settings) -> None:
    url = server.static("/doc", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n", "text/html")
    r = _fetch(settings, url)
    assert r.error == "unsupported_content_type" and "pdf" in (r.detail or "") and r.body is None


def test_image_type_refused_without_download(server: TestServer, settings: Settings) -> None:
    url = server.static("/img", b"\x89PNG\r\n\x1a\n" + b"\0" * 1000, "image/png")
    r = _fetch(settings, url)
    assert r.error == "unsupported_content_type"


def test_connection_reset_mid_body(server: TestServer, settings: Settings) -> None:
    def reset(req: Request) -> None:
        req.handler.send_response(200)
        req.handler.send_header("Content-Type", "text/html")
        req.handler.send_header("Content-Length", "100000")
        req.handler.end_headers()
        req.write(b"<html><body>" + b"a" * 1000)
        req.reset()

    url = server.route("/reset", reset)
    r = _fetch(settings, url)
    assert r.error == "connection_error" and r.body is None
    assert len(r.attempts) == settings.retries + 1  # connection errors are worth retrying


def test_connection_refused(settings: Settings) -> None:
    with TestServer() as srv:
        url = srv.url("/gone")
    r = _fetch(replace(settings, retries=1), url)
    assert r.error == "connection_error" and len(r.attempts) == 2


def test_private_address_refused(server: TestServer, settings: Settings) -> None:
    url = server.static("/secret", PAGE)
    for target in (url, f"http://localhost:{server.port}/secret", f"http://2130706433:{server.port}/secret"):
        r = _fetch(replace(settings, allow_private_networks=False), target)
        assert r.error == "private_address", target
    assert server.hits["/secret"] == 0 and server.hits["/robots.txt"] == 0


def test_address_classes() -> None:
    for addr in ("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
                 "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "224.0.0.1"):  # fmt: skip
        assert not is_public_ip(addr), addr
    assert is_public_ip("93.184.216.34") and is_public_ip("2606:2800:220:1:248:1893:25c8:1946")


def test_invalid_url(settings: Settings) -> None:
    for bad in ("ftp://example.org/x", "not a url", "http://", "javascript:alert(1)"):
        r = _fetch(settings, bad)
        assert r.error == "invalid_url" and len(r.attempts) == 1, bad


def test_robots_disallow(server: TestServer, settings: Settings) -> None:
    server.static("/robots.txt", "User-agent: newsdedup\nDisallow: /private/\n\nUser-agent: *\nDisallow:\n",
                  "text/plain")  # fmt: skip
    server.static("/private/a", PAGE)
    server.static("/public/a", PAGE)
    with Fetcher(settings) as f:
        r = f.fetch(server.url("/private/a"))
        ok = f.fetch(server.url("/public/a"))
    assert r.error == "robots_disallowed" and server.hits["/private/a"] == 0
    assert ok.error is None
    assert server.hits["/robots.txt"] == 1  # cached per host


def test_robots_server_error_means_disallow(server: TestServer, settings: Settings) -> None:
    server.static("/robots.txt", b"", "text/plain", status=503)
    server.static("/page", PAGE)
    r = _fetch(settings, server.url("/page"))
    assert r.error == "robots_disallowed" and "unavailable" in (r.detail or "")


def test_robots_missing_means_allow(server: TestServer, settings: Settings) -> None:
    server.static("/page", PAGE)  # /robots.txt is a 404
    assert _fetch(settings, server.url("/page")).error is None


def test_conditional_get(server: TestServer, settings: Settings) -> None:
    def conditional(req: Request) -> None:
        if req.headers.get("If-None-Match") == '"v1"':
            req.send(304, b"", {"ETag": '"v1"'}, None)
        else:
            req.send(200, PAGE, {"ETag": '"v1"'})

    url = server.route("/cond", conditional)
    with Fetcher(settings) as f:
        first = f.fetch(url)
        second = f.fetch(url, etag=first.etag)
    assert first.etag == '"v1"' and not first.not_modified
    assert second.not_modified and second.status == 304 and second.error is None and second.body is None


def test_retry_after_parsing() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480.0 - 60) == 60.0
    assert parse_retry_after("soon") is None


def test_fetch_many_holds_per_host_limit(settings: Settings) -> None:
    servers = [TestServer(latency=0.05).start() for _ in range(3)]
    try:
        for srv in servers:
            for i in range(12):
                srv.static(f"/p{i}", PAGE)
        urls = [srv.url(f"/p{i}") for i in range(12) for srv in servers]
        urls += ["not a url", servers[0].url("/nope")]
        s = replace(settings, per_host_concurrency=2, concurrency=8)
        with Fetcher(s) as f:
            results = list(f.fetch_many(urls))
            stats = f.host_stats()
        assert len(results) == len(urls)
        assert sorted(r.url for r in results) == sorted(urls)
        errors = {r.url: r.error for r in results if r.error}
        assert errors == {"not a url": "invalid_url", servers[0].url("/nope"): "http_404"}
        for srv in servers:
            # seen by the server, not just by our own counter; an attempt we gave up on (a timeout on a
            # loaded machine: the CI run under 3.13 met one) may still be running there when the retry
            # goes out, and the server then counts it too
            given_up = sum(a.error == "timeout" for r in results if r.url.startswith(srv.url("/"))
                           for a in r.attempts)
            assert 1 <= srv.max_active <= 2 + given_up
        assert all(v["max_active"] <= 2 for v in stats.values())
    finally:
        for srv in servers:
            srv.stop()


def test_per_host_delay_spaces_request_starts(server: TestServer, settings: Settings) -> None:
    starts: list[float] = []

    def page(req: Request) -> None:
        starts.append(time.monotonic())
        req.send(200, PAGE)

    for i in range(4):
        server.route(f"/d{i}", page)
    s = replace(settings, per_host_delay=0.2, per_host_concurrency=4, respect_robots=False)
    with Fetcher(s) as f:
        results = list(f.fetch_many([server.url(f"/d{i}") for i in range(4)]))
    assert all(r.error is None for r in results)
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 0.18  # lower bound on spacing: politeness, not speed
