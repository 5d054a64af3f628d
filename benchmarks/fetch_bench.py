"""Fetch throughput under politeness limits: local servers with injected latency, several hosts.

Each host is its own server on 127.0.0.N (Linux routes all of 127/8 to loopback), so the
fetcher sees distinct hosts exactly as with real sites. Prints pages/s, the ceiling the
politeness settings allow, and the most concurrent requests each server saw.

    .venv/bin/python benchmarks/fetch_bench.py [--pages 2000] [--hosts 4] [--latency 0.1]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "plugins"), str(ROOT / "tests" / "fetch")]

from local_server import TestServer  # noqa: E402

from newsdedup.config import Settings  # noqa: E402
from newsdedup.fetch import Fetcher  # noqa: E402


def page(i: int) -> bytes:
    para = f"<p>Paragraph of story {i}. " + "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 12 + "</p>"
    return f"<!DOCTYPE html><html><head><title>Story {i}</title></head><body>{para * 25}</body></html>".encode()


def allowed_rate(s: Settings, hosts: int, latency: float) -> float:
    """Pages/s the settings permit: per host min(N/latency, 1/delay), capped by global workers."""
    per_host = s.per_host_concurrency / latency
    if s.per_host_delay > 0:
        per_host = min(per_host, 1.0 / s.per_host_delay)
    return min(hosts * per_host, s.concurrency / latency)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--hosts", type=int, default=4)
    ap.add_argument("--latency", type=float, default=0.1, help="seconds each response is delayed")
    ap.add_argument("--per-host", type=int, default=2, help="per_host_concurrency")
    ap.add_argument("--delay", type=float, default=0.0, help="per_host_delay (seconds between starts)")
    ap.add_argument("--concurrency", type=int, default=8)
    args = ap.parse_args()

    body = page(0)
    servers = [TestServer(host=f"127.0.0.{i + 1}", latency=args.latency).start() for i in range(args.hosts)]
    try:
        for srv in servers:
            srv.route("/robots.txt", lambda r: r.send(200, b"User-agent: *\nAllow: /\n", content_type="text/plain"))
            for i in range(args.pages // args.hosts + 1):
                srv.route(f"/story/{i}", lambda r: r.send(200, body))
        urls = [servers[i % args.hosts].url(f"/story/{i // args.hosts}") for i in range(args.pages)]
        s = Settings(allow_private_networks=True, per_host_concurrency=args.per_host, per_host_delay=args.delay,
                     concurrency=args.concurrency, retries=0)  # fmt: skip
        t0 = time.perf_counter()
        ok = errors = nbytes = 0
        with Fetcher(s) as f:
            for r in f.fetch_many(urls):
                if r.error is None:
                    ok += 1
                    nbytes += len(r.body or b"")
                else:
                    errors += 1
            stats = f.host_stats()
        elapsed = time.perf_counter() - t0
    finally:
        for srv in servers:
            srv.stop()

    rate = ok / elapsed
    ceiling = allowed_rate(s, args.hosts, args.latency)
    print(f"pages: {args.pages} over {args.hosts} hosts, latency {args.latency * 1000:.0f} ms, "
          f"per_host_concurrency {s.per_host_concurrency}, per_host_delay {s.per_host_delay}s, "
          f"concurrency {s.concurrency}")  # fmt: skip
    print(f"fetched ok: {ok}, errors: {errors}, bytes: {nbytes:,}, elapsed: {elapsed:.2f} s")
    print(f"throughput: {rate:.1f} pages/s; politeness ceiling: {ceiling:.1f} pages/s "
          f"({100 * rate / ceiling:.1f}% of ceiling; target >= 80%)")  # fmt: skip
    for srv in servers:
        g = stats.get(f"http://{srv.host}:{srv.port}", {})
        print(f"  host {srv.host}:{srv.port}: requests seen {sum(srv.hits.values())}, "
              f"max concurrent seen by server {srv.max_active}, by fetcher gate {g.get('max_active')} "
              f"(limit {s.per_host_concurrency})")  # fmt: skip
    held = all(srv.max_active <= s.per_host_concurrency for srv in servers)
    print(f"per-host limit held: {held}")


if __name__ == "__main__":
    main()
