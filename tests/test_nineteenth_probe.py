"""The nineteenth attacker probe (session 46): the eighteenth's leftovers (`///x` read as a path where browsers
read a host; a sources-file `//name/path` whose first part has no dot) and what the web and files send that the
probes before it did not try. Each test of a fix failed on the code before it; the `test_held_*` ones record what
held. Network tests run against real servers on 127.0.0.1, file tests on real files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fetch"))
sys.path.insert(0, str(Path(__file__).parent))

from local_server import TestServer, canned_server  # noqa: E402
from test_fifteenth_probe import PAGE, PAGES, SETTINGS  # noqa: E402

from newsdedup.clean import extract  # noqa: E402
from newsdedup.config import SourceSpec  # noqa: E402
from newsdedup.fetch import Fetcher  # noqa: E402
from newsdedup.sources import discover  # noqa: E402
from newsdedup.urls import InvalidURL, canonicalize_url  # noqa: E402


@pytest.fixture
def server() -> TestServer:
    with TestServer() as srv:
        yield srv


@pytest.fixture
def other() -> TestServer:
    with TestServer() as srv:
        yield srv


# --- 1. `///host/path`: three or more slashes (or backslashes) before a host ------------------------------------


# How the WHATWG URL parser reads each against an http(s) base: after a special scheme's `//`, every further `/`
# or `\` is skipped ("special authority ignore slashes state"), so the first name after them is the host. Python's
# urljoin (RFC 3986) read an empty authority and the rest as the base host's path.
SLASHED = {
    "three": ("///{h}/story", "http://{h}/story"),
    "four": ("////{h}/story", "http://{h}/story"),
    "backslashes": ("\\\\\\{h}\\story", "http://{h}/story"),
    "mixed": ("/\\/{h}/story?x=1", "http://{h}/story?x=1"),
    "slashes-then-backslash": ("//\\{h}/story", "http://{h}/story"),
}


@pytest.mark.parametrize("name", SLASHED)
def test_a_reference_of_three_slashes_names_a_host_as_browsers_read_it(name: str) -> None:
    ref, want = SLASHED[name]
    got = canonicalize_url(ref.format(h="news.example"), "https://base.example/section/page")
    assert got == want.format(h="news.example").replace("http:", "https:"), got


@pytest.mark.parametrize("ref", ["///", "////", "\\\\\\", "///?q=1", "///#top"])
def test_three_slashes_and_no_host_is_an_invalid_url(ref: str) -> None:
    # `//` alone has been "no host" since the eighteenth probe; `///` was the base's root page.
    with pytest.raises(InvalidURL, match="no host"):
        canonicalize_url(ref, "https://base.example/section/page")


def test_held_three_slashes_against_a_file_base_is_a_path() -> None:
    # A file: URL's `///x` is the path /x (WHATWG's file state), as a dir source's pages are read.
    assert canonicalize_url("///srv/x.html", "file:///srv/pages/a.html") == "file:///srv/x.html"


def _story_at_the_wrong_path(server: TestServer, other: TestServer) -> str:
    """`other` serves the story; `server` serves another page at the path urljoin made of it."""
    host = f"127.0.0.1:{other.port}"
    other.static("/story", PAGE)
    server.static(f"/{host}/story", PAGES[1])
    return host


@pytest.mark.parametrize("name", SLASHED)
def test_a_redirect_to_three_slashes_goes_to_the_host_it_names(server: TestServer, other: TestServer,
                                                               name: str) -> None:
    # Browsers follow `Location: ///host/story` to http://host/story. It was a request for the path
    # `/host/story` of the server that redirected: another page (stored as the story), or a 404.
    host = _story_at_the_wrong_path(server, other)
    ref = SLASHED[name][0].format(h=host)
    server.static("/go", b"", status=302, headers={"Location": ref})
    with Fetcher(SETTINGS) as f:
        res = f.fetch(server.url("/go"))
    assert (res.error, res.body) == (None, PAGE), (res.error, res.detail)
    assert res.final_url == f"http://{host}/story" + ("?x=1" if "?" in ref else "")


def test_a_meta_refresh_to_three_slashes_goes_to_the_host_it_names(server: TestServer, other: TestServer) -> None:
    host = _story_at_the_wrong_path(server, other)
    server.static("/go", f'<html><head><meta http-equiv="refresh" content="0; url=///{host}/story"></head></html>')
    with Fetcher(SETTINGS) as f:
        res = f.fetch(server.url("/go"))
    assert (res.error, res.body) == (None, PAGE), (res.error, res.detail)


def test_a_redirect_to_three_slashes_and_no_host_is_an_invalid_url() -> None:
    answer = b"HTTP/1.1 302 Found\r\nLocation: ///\r\nContent-Length: 0\r\n\r\n"
    with canned_server(answer) as srv, Fetcher(SETTINGS) as f:
        res = f.fetch(srv.url("/story"))
    assert res.error == "invalid_url" and "no host" in (res.detail or ""), (res.error, res.detail)


def test_a_feed_link_of_three_slashes_names_the_host(server: TestServer, other: TestServer) -> None:
    host = _story_at_the_wrong_path(server, other)
    # One path a link: one entry a URL. feedparser resolved them itself, with urljoin.
    items = "".join(f"<item><title>{n}</title><link>{ref.format(h=host).replace('story', n)}</link></item>"
                    for n, (ref, _) in SLASHED.items())
    url = server.static("/feed.xml", f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}'
                                     "</channel></rss>", "application/rss+xml")
    with Fetcher(SETTINGS) as f:
        d = discover(SourceSpec("s", url, "rss"), SETTINGS, f, None)
    assert d.error is None, d.detail
    want = {n: want.format(h=host).replace("story", n) for n, (_, want) in SLASHED.items()}
    assert {e.title: e.url for e in d.entries} == want


def test_a_canonical_link_of_three_slashes_names_the_host() -> None:
    # The canonical link was read by urljoin apart from the fetch: `///news.example/a` on base.example claimed
    # base.example's own /news.example/a.
    page = b'<html><head><link rel="canonical" href="///news.example/a"><title>t</title></head><body></body></html>'
    got = extract(page, "https://base.example/story")
    assert got.canonical_url == "https://news.example/a", got.canonical_url
