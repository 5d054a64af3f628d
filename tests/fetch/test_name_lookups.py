"""Name look-ups within the fetch's deadline, against a real server on 127.0.0.1.

`socket.getaddrinfo` takes no timeout: a resolver that does not answer held a fetch for resolv.conf's
timeout x attempts x nameservers (30 s with glibc's defaults), past `total_timeout`, and every page of
that host held a worker thread the same way. A DNS server that never answers cannot be made the
system's resolver here, so the system resolver is made to behave like one (as the rebinding test in
test_hostile_content.py does): it waits until the test lets it answer.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest
from local_server import TestServer

from newsdedup.config import Settings
from newsdedup.fetch import Fetcher, FetchResult

PAGE = b"<!DOCTYPE html><html><head><title>t</title></head><body><p>Hello</p></body></html>"


class HangingResolver:
    """The system resolver, except that names under `.hang.test` get no answer until `answer` is set;
    then they resolve to 127.0.0.1. Counts the look-ups of those names."""

    def __init__(self) -> None:
        self.real = socket.getaddrinfo
        self.answer = threading.Event()
        self.lookups = 0
        self._lock = threading.Lock()

    def __call__(self, host, port, *args, **kwargs):  # noqa: ANN001, ANN204 - socket.getaddrinfo's signature
        if not str(host).endswith(".hang.test"):
            return self.real(host, port, *args, **kwargs)
        with self._lock:
            self.lookups += 1
        self.answer.wait(60)
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", ("127.0.0.1", port))]


@pytest.fixture
def hanging(monkeypatch: pytest.MonkeyPatch) -> Iterator[HangingResolver]:
    resolver = HangingResolver()
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    try:
        yield resolver
    finally:
        resolver.answer.set()  # lets the look-up threads end


def _in_thread(fn, limit: float = 30.0):  # noqa: ANN001, ANN202
    """fn() in a thread; its result, or None when it still runs after `limit` seconds (a regression
    fails the test instead of hanging the suite)."""
    out: list[object] = []
    t = threading.Thread(target=lambda: out.append(fn()), daemon=True)
    t.start()
    t.join(limit)
    return out[0] if out else None


@pytest.mark.parametrize("allow_private", [False, True], ids=["address-guard", "no-guard"])
def test_a_name_without_answer_ends_the_fetch_within_its_deadline(
        server: TestServer, settings: Settings, hanging: HangingResolver, allow_private: bool) -> None:  # fmt: skip
    # With the address guard the name is looked up before the request; without it (private networks
    # allowed), by the connection itself. Either look-up must end with the deadline.
    server.static("/story", PAGE)
    s = replace(settings, allow_private_networks=allow_private, respect_robots=False, retries=1,
                total_timeout=1.0)  # fmt: skip

    def fetch() -> FetchResult:
        with Fetcher(s) as f:
            return f.fetch(f"http://news.hang.test:{server.port}/story")

    r = _in_thread(fetch)
    assert r is not None, "fetch still running after 30 s"
    assert not hanging.answer.is_set()  # it returned while the resolver was still silent
    expected = "timeout" if allow_private else "dns_temporary"
    assert r.error == expected and r.body is None
    assert "news.hang.test" in (r.detail or "") or allow_private
    assert r.attempts and r.attempts[-1].error == expected  # the attempt is recorded
    assert hanging.lookups == 1  # the retry waited for the same look-up, it did not start another
    assert server.hits["/story"] == 0


def test_a_silent_name_holds_one_look_up_and_other_hosts_go_on(
        server: TestServer, settings: Settings, hanging: HangingResolver) -> None:  # fmt: skip
    # Thirty pages of a host whose resolver hangs, and one page of a host that resolves: the other
    # host's page is fetched, the hanging host's pages fail within their deadlines, one look-up in all.
    server.static("/story", PAGE)
    s = replace(settings, respect_robots=False, retries=0, total_timeout=0.5, concurrency=4,
                per_host_concurrency=4)  # fmt: skip
    urls = [f"http://wire.hang.test:{server.port}/p{i}" for i in range(30)] + [f"http://localhost:{server.port}/story"]

    def fetch_all() -> list[FetchResult]:
        with Fetcher(s) as f:
            return list(f.fetch_many(urls))

    results = _in_thread(fetch_all, limit=60.0)
    assert results is not None, "fetch_many still running after 60 s"
    by_url = {r.url: r for r in results}
    assert by_url[urls[-1]].error is None and by_url[urls[-1]].body == PAGE
    assert {by_url[u].error for u in urls[:-1]} == {"timeout"}
    assert hanging.lookups == 1


def test_an_answer_that_comes_late_is_used_by_the_next_fetch(
        server: TestServer, settings: Settings, hanging: HangingResolver) -> None:  # fmt: skip
    # The look-up a fetch gave up waiting for goes on; when its answer comes, the next fetch of that
    # host uses it instead of asking again.
    server.static("/story", PAGE)
    s = replace(settings, allow_private_networks=True, respect_robots=False, retries=0, total_timeout=0.5)
    url = f"http://late.hang.test:{server.port}/story"
    with Fetcher(s) as f:
        first = f.fetch(url)
        hanging.answer.set()
        second = f.fetch(url)
    assert first.error == "timeout"
    assert second.error is None and second.body == PAGE
    assert hanging.lookups == 1
