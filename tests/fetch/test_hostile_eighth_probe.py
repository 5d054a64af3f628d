"""The eighth attacker probe: what comes from outside at fetch time that the earlier probes
(`test_hostile*.py`, `test_protocol_probe.py`, `test_probe_leftovers.py`) did not try. Each test
failed on the code before its fix; every network test runs against a real server on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import time
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from local_server import RawServer, TestServer

from newsdedup.clean.dates import parse_date as page_date
from newsdedup.config import ConfigError, Settings, SourceSpec, loads_sources
from newsdedup.fetch import Fetcher
from newsdedup.sources import discover

NOW = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)
PAGE = b"<html><head><title>T</title></head><body><p>hello world</p></body></html>"


def _discover(spec: SourceSpec, settings: Settings):
    with Fetcher(settings) as f:
        return discover(spec, settings, f, now=NOW)


# --- a year written in full that a date reader took for a two-digit one ------------------------

# .NET writes DateTime.MinValue, a date never set, as "Mon, 01 Jan 0001 00:00:00 GMT"; RFC 2822's
# reader (and dateutil) take a year under 100 for a two-digit one whatever its digits.
FULL_SHORT_YEARS = {
    "Mon, 01 Jan 0001 00:00:00 GMT": "2001",
    "Sat, 01 Jan 0024 10:00:00 +0000": "2024",
    "Thu, 09 May 0099 10:00:00 GMT": "1999",
}


def test_a_feed_date_of_year_1_is_no_date_not_one_in_2001(server: TestServer, settings: Settings) -> None:
    # An RSS feed's pubDate was already ignored ("before 1995"); the same date in a JSON Feed became
    # 1 January 2001 (0024 became 2024, 0099 1999) and the article kept it without a note.
    dates = [*FULL_SHORT_YEARS, "Thu, 09 May 24 10:00:00 GMT"]
    items = [
        {"id": str(i), "url": f"https://news.test/{i}", "date_published": d} for i, d in enumerate(dates)
    ]
    url = server.static("/feed.json", json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "x",
                                                  "items": items}), "application/feed+json")  # fmt: skip
    d = _discover(SourceSpec("minvalue", url), settings)
    got = {e.url.rsplit("/", 1)[1]: e for e in d.entries}
    assert d.error is None and len(got) == len(dates)
    assert got[str(len(FULL_SHORT_YEARS))].published == datetime(
        2024, 5, 9, 10, 0, tzinfo=UTC
    )  # two digits: 2024
    for i, raw in enumerate(FULL_SHORT_YEARS):
        e = got[str(i)]
        assert e.published is None, (raw, e.published)
        assert e.date_note is not None and raw in e.date_note and "ignored" in e.date_note


@pytest.mark.parametrize("raw", sorted(FULL_SHORT_YEARS))
def test_a_page_date_of_year_1_is_no_date(raw: str) -> None:
    # The same value in a page's <meta property="article:published_time"> (dateutil's reading).
    assert page_date(raw) is None


# --- the sources file ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "settings:\n  retries: 0x" + "f" * 5000 + "\nsources: []\n",
        "sources:\n - name: a\n   url: http://a.com/\n   max_entries: 0b" + "1" * 20000 + "\n",
        "sources:\n - name: a\n   url: http://a.com/\n" + ("   ? 0x" + "f" * 5000 + "\n   : 1\n") * 2,
    ],
    ids=["hex-setting", "binary-option", "hex-key-twice"],
)
def test_a_number_of_thousands_of_digits_in_the_sources_file_is_a_config_error(text: str) -> None:
    # YAML reads 0x/0o/0b numbers of any length (Python's 4,300-digit limit is for decimal text);
    # the message naming the bad value printed it in decimal, a ValueError traceback, not the file's error.
    with pytest.raises(ConfigError) as err:
        loads_sources(text)
    assert "digits" in str(err.value)


# --- HTTP framing -------------------------------------------------------------------------------


def _answer(response: bytes):
    def handle(conn: socket.socket) -> None:
        conn.recv(65536)
        conn.sendall(response)
        conn.shutdown(socket.SHUT_WR)
        conn.recv(1)  # until the client closes

    return handle


@pytest.mark.parametrize("lead", [b"\r\n", b"\n", b"\r\n\r\n"], ids=["crlf", "lf", "two-crlf"])
def test_line_breaks_before_the_status_line_lose_no_page(settings: Settings, lead: bytes) -> None:
    # RFC 9112 §2.2 lets a reader skip empty lines before a message (an old CGI's print() before its
    # headers; browsers and curl read the page). h11 refuses them: connection_error, retried, lost.
    response = (
        lead + b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(PAGE) + PAGE
    )
    with (
        RawServer(_answer(response)) as srv,
        Fetcher(replace(settings, respect_robots=False, retries=0)) as f,
    ):
        r = f.fetch(srv.url("/p"))
    assert r.error is None, (r.error, r.detail)
    assert r.body == PAGE


def test_line_breaks_before_the_next_response_on_a_kept_alive_connection_lose_no_page(
    settings: Settings,
) -> None:
    from test_protocol_probe import KeepAlive, ok

    srv = KeepAlive({"/a": ok(PAGE) + b"\r\n", "/b": b"\r\n\r\n" + ok(PAGE.replace(b"hello", b"second"))})
    with srv, Fetcher(replace(settings, respect_robots=False, retries=0)) as f:
        a, b = f.fetch(srv.url("/a")), f.fetch(srv.url("/b"))
    assert (a.error, b.error) == (None, None), (a.detail, b.detail)
    assert b"second" in (b.body or b"")
    assert [n for n, _ in srv.served] == [0, 0]  # one connection, used again


def test_a_server_that_sends_only_line_breaks_times_out(settings: Settings) -> None:
    def drip(conn: socket.socket) -> None:
        conn.recv(65536)
        while True:  # until the client gives up (a broken pipe ends the handler)
            conn.sendall(b"\r\n")
            time.sleep(0.05)

    with (
        RawServer(drip) as srv,
        Fetcher(replace(settings, respect_robots=False, retries=0, total_timeout=1.0)) as f,
    ):
        r = f.fetch(srv.url("/p"))
    assert r.error == "timeout", (r.error, r.detail)
    assert len(r.attempts) == 1
