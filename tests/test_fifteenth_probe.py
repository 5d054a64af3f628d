"""The fifteenth attacker probe (session 41): what the web and files send that the fourteen probes before it did
not try or left open: the headers of WARC records and the files of `dir` sources, line breaks before a status
line (read in one place), Content-Disposition, and truncated or partial responses. Each test of a fix failed on
the code before it; the `test_held_*` ones record what held. Network tests run against real servers on
127.0.0.1, file tests on real files."""

from __future__ import annotations

import itertools
import socket
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fetch"))

from local_server import STORY_TEXTS, TestServer, canned_server, story_page  # noqa: E402
from test_protocol_probe import KeepAlive, ok  # noqa: E402

from newsdedup.config import Settings  # noqa: E402
from newsdedup.fetch import Fetcher  # noqa: E402

SETTINGS = Settings(allow_private_networks=True, connect_timeout=1.0, read_timeout=1.0, total_timeout=5.0,
                    max_bytes=1_000_000, retries=0, backoff_base=0.02, backoff_max=1.0, respect_robots=False)
PAGES = [story_page(f"Story {i}", text) for i, text in enumerate(STORY_TEXTS)]
PAGE = PAGES[0]


@pytest.fixture
def server() -> TestServer:
    with TestServer() as srv:
        yield srv


# --- 1. line breaks before a status line: skipped in one place, before every head ------------------------------


@pytest.mark.parametrize("answer", [
    b"HTTP/1.1 100 Continue\r\n\r\n\r\n" + ok(PAGE),
    b"HTTP/1.1 100 Continue\r\n\r\n\n\n" + ok(PAGE),
    b"\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n\r\n\r\n" + ok(PAGE),
], ids=["crlf-after-100", "lf-after-100", "around-103"])
def test_line_breaks_after_an_interim_answer_lose_no_page(answer: bytes) -> None:
    # RFC 9112 §2.2 lets a reader skip empty lines before a message, and the final response after a 100 or 103
    # is one. The skip was written twice (`_Stream._heads` passed them on, `_Framing.received` dropped them
    # before the first status line only): after an interim answer they reached h11, and the page was a
    # `connection_error` ("no response line received").
    with canned_server(answer) as srv, Fetcher(SETTINGS) as f:
        res = f.fetch(srv.url("/story"))
    assert (res.error, res.status, res.body) == (None, 200, PAGE), res.detail


def test_line_breaks_dripped_a_read_each_before_the_status_line_and_after_a_100_lose_no_page() -> None:
    from local_server import RawServer

    def drip(conn: socket.socket) -> None:
        conn.recv(65536)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for piece in [b"\r\n", b"\n", b"HTTP/1.1 100 Continue\r\n\r\n", b"\r\n", b"\r", b"\n", ok(PAGE)]:
            conn.sendall(piece)
            time.sleep(0.05)  # each piece its own read on the client's side
        conn.shutdown(socket.SHUT_WR)

    with RawServer(drip) as srv, Fetcher(SETTINGS) as f:
        res = f.fetch(srv.url("/story"))
    assert (res.error, res.body) == (None, PAGE), res.detail


def test_held_a_kept_alive_connection_closed_after_line_breaks_only_is_no_answer() -> None:
    # A server closing a kept-alive connection as the next request arrives, having sent only a stray line end:
    # no answer began, so the GET goes again on a new connection (`_Framing.answered`), as before the skip moved.
    tries = itertools.count()

    def b(conn: socket.socket) -> None:
        if next(tries) == 0:
            conn.sendall(b"\r\n")
            conn.shutdown(socket.SHUT_WR)
        else:
            conn.sendall(ok(PAGES[1]))

    srv = KeepAlive({"/a": ok(PAGE), "/b": b})
    with srv, Fetcher(SETTINGS) as f:
        first, second = f.fetch(srv.url("/a")), f.fetch(srv.url("/b"))
    assert (first.error, second.error) == (None, None), second.detail
    assert second.body == PAGES[1] and len(second.attempts) == 1
    assert [n for n, _ in srv.served] == [0, 0, 1]
