"""The sixteenth attacker probe (session 42): what the web and files send that the fifteen probes before it did
not try or left open: status lines browsers read and h11 did not, WARC records whose HTTP head never ends, huge
response heads, chunk framing, redirect loops spelt otherwise, feeds and canonical links pointing elsewhere.
Each test of a fix failed on the code before it; the `test_held_*` ones record what held. Network tests run
against real servers on 127.0.0.1, file tests on real files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fetch"))
sys.path.insert(0, str(Path(__file__).parent))

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


def _fetch(answer: bytes):  # noqa: ANN202 - a FetchResult
    with canned_server(answer) as srv, Fetcher(SETTINGS) as f:
        return f.fetch(srv.url("/story"))


# --- 1. status lines: junk before `HTTP/`, lower case, a version without a minor number ----------------------


@pytest.mark.parametrize("answer", [
    b"xx" + ok(PAGE),
    b" " + ok(PAGE),
    b"\0\0\0\0" + ok(PAGE),
    b"x\r\n" + ok(PAGE),
    ok(PAGE).replace(b"HTTP/1.1", b"http/1.1", 1),
    ok(PAGE).replace(b"HTTP/1.1", b"Http/1.1", 1),
    ok(PAGE).replace(b"HTTP/1.1", b"HTTP/1", 1),
    ok(PAGE).replace(b"HTTP/1.1", b"HTTP/2", 1),
], ids=["two-bytes", "a-space", "four-nuls", "a-short-line", "lower-case", "mixed-case", "HTTP/1", "HTTP/2"])
def test_a_status_line_browsers_read_loses_no_page(answer: bytes) -> None:
    # Chromium skips up to 4 bytes before `http` in any case (HttpUtil::LocateStartOfStatusLine), Firefox up to
    # 128 KiB before `HTTP/1.` in any case, and both read `HTTP/1 200` / `HTTP/2 200` as HTTP/1.0. h11 refused
    # all of them ("illegal status line"): a `connection_error`, retried and lost.
    res = _fetch(answer)
    assert (res.error, res.status, res.body) == (None, 200, PAGE), res.detail


def test_a_lower_case_status_line_keeps_the_connection_and_frames_the_next_response() -> None:
    # Read in one place (`_Stream._heads`), so both h11 parsers see the same head: the page's Content-Length
    # frames it, and the next request on the kept-alive connection gets its own page.
    lower = ok(PAGES[0]).replace(b"HTTP/1.1", b"http/1.1", 1)
    srv = KeepAlive({"/a": lower, "/b": b"  " + ok(PAGES[1]).replace(b"HTTP/1.1", b"hTTp/1.1", 1)})
    with srv, Fetcher(SETTINGS) as f:
        a, b = f.fetch(srv.url("/a")), f.fetch(srv.url("/b"))
    assert (a.error, a.body, b.error, b.body) == (None, PAGES[0], None, PAGES[1]), (a.detail, b.detail)
    assert [n for n, _ in srv.served] == [0, 0]  # one connection, kept


def test_a_lower_case_interim_answer_is_passed_over() -> None:
    res = _fetch(b"http/1.1 100 Continue\r\n\r\n" + ok(PAGE).replace(b"HTTP/1.1", b"http/1.1", 1))
    assert (res.error, res.body) == (None, PAGE), res.detail


@pytest.mark.parametrize("answer", [
    b"garbage\r\n" + ok(PAGE),  # more junk than Chromium skips (it reads it as HTTP/0.9, refused off port 80)
    ok(PAGE).replace(b"HTTP/1.1", b"ICY", 1),  # SHOUTcast: Firefox reads it, Chromium does not
    ok(PAGE).replace(b"HTTP/1.1", b"HTTP", 1),  # no version: Chromium reads it, Firefox does not
], ids=["a-junk-line", "ICY", "no-version"])
def test_held_a_status_line_one_browser_refuses_is_still_refused(answer: bytes) -> None:
    res = _fetch(answer)
    assert (res.error, res.body) == ("connection_error", None), res.detail
    assert "status line" in (res.detail or "")
