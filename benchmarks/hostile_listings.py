"""Seconds and peak RSS of reading hostile feeds and sitemaps (the discovery step), one child process each.

    nice .venv/bin/python benchmarks/hostile_listings.py [--only NAME ...] [--plugins DIR]

Each case builds its body in a fresh child process and reads it as the discovery step does once it is
fetched (`newsdedup.sources._parse_source_body`, no network); the child reports the wall seconds of that
call, its peak RSS (`ru_maxrss`) and RSS once imports are done and the body is built ("ready"), and what
came out (entries, or the error). `--plugins` puts another checkout's `plugins` folder first on the
child's path (figures before a change: `git archive <commit> plugins | tar -x -C /tmp/old`, then
`--plugins /tmp/old/plugins`).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _sitemap(flood: bytes) -> bytes:
    urls = b"".join(b"<url><loc>https://news.test/%d</loc></url>" % i for i in range(3))
    return b'<urlset xmlns="' + _NS.encode() + b'">' + urls + flood + b"</urlset>"


def _rss(flood: bytes) -> bytes:
    items = b"".join(
        b"<item><title>s%d</title><link>https://news.test/%d</link></item>" % (i, i) for i in range(3)
    )
    return (b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>' + items
            + b"<item><title>f</title><link>https://news.test/f</link>" + flood + b"</item></channel></rss>")  # fmt: skip


# name -> (kind, what it is, body builder)
CASES = {
    "sitemap_10m": ("sitemap", "a 40 MB sitemap: 3 URLs, then 10,000,000 empty elements",
                    lambda: _sitemap(b"<x/>" * 10_000_000)),
    "sitemap_1m": ("sitemap", "a 4 MB sitemap: 3 URLs, then 1,000,000 empty elements (at the limit)",
                   lambda: _sitemap(b"<x/>" * 999_000)),
    "feed_1m": ("rss", "a 4 MB RSS feed: 3 items, then one of 1,000,000 empty elements",
                lambda: _rss(b"<x/>" * 1_000_000)),
    "feed_escaped": ("rss", "a 10 MB RSS feed: 3 items, then one of 500,000 escaped <b>x</b> in its description",
                     lambda: _rss(b"<description>" + b"&lt;b&gt;x&lt;/b&gt;" * 500_000 + b"</description>")),
    "sitemap_refs": ("sitemap", "a 50 MB sitemap: 3 URLs, then one of 10,000,000 '&#65;'",
                     lambda: _sitemap(b"<url><loc>https://news.test/" + b"&#65;" * 10_000_000 + b"</loc></url>")),
    "feed_bad_refs": ("rss", "a 40 MB RSS feed: 3 items, then one of 10,000,000 '&#0;' in its description",
                      lambda: _rss(b"<description>" + b"&#0;" * 10_000_000 + b"</description>")),
    "feed_amp": ("rss", "a 25 MB RSS feed: 3 items, then one of 5,000,000 '&amp;' in its description",
                 lambda: _rss(b"<description>" + b"&amp;" * 5_000_000 + b"</description>")),
    "feed_attrs": ("rss", "a 0.4 MB RSS feed: 3 items, then one whose <x> has 40,000 attributes",
                   lambda: _rss(b"<x %s/>" % b" ".join(b'a%d="v"' % i for i in range(40_000)))),
}  # fmt: skip

_CHILD = r"""
import json, resource, sys, time
from datetime import UTC, datetime
sys.path.insert(0, sys.argv[1])
sys.path.insert(0, sys.argv[2])
import hostile_listings as b
from newsdedup.config import Settings, SourceSpec
from newsdedup.fetch import FetchResult
from newsdedup.sources import Discovery, SourceState, _parse_source_body
kind, _, build = b.CASES[sys.argv[3]]
body = build()
ready = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
spec = SourceSpec("bench", "https://news.test/listing", kind=kind)
res = FetchResult(url=spec.url, final_url=spec.url, status=200, body=body, content_type="application/xml")
t0 = time.perf_counter()
out = _parse_source_body(spec, Settings(), None, kind, res, SourceState(), 100_000, datetime.now(UTC),
                         Discovery(kind=kind))
secs = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": secs, "peak": peak, "ready": ready, "mb": len(body) / 1e6,
                  "out": out.error or f"{len(out.entries)} entries"}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", action="append", choices=sorted(CASES))
    ap.add_argument("--plugins", type=Path, default=ROOT / "plugins")
    args = ap.parse_args()
    print(f"{'case':14} {'MB':>6} {'seconds':>8} {'peak MiB':>9} {'ready MiB':>10}  out")
    for name in args.only or CASES:
        proc = subprocess.run([sys.executable, "-c", _CHILD, str(args.plugins.resolve()), str(Path(__file__).parent),
                               name], capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})  # fmt: skip
        if proc.returncode:
            print(f"{name:14} failed: {proc.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"{name:14} {r['mb']:6.1f} {r['seconds']:8.1f} {r['peak']:9.0f} {r['ready']:10.0f}  {r['out']}")
    print("\n".join(f"  {n}: {c[1]}" for n, c in CASES.items()))


if __name__ == "__main__":
    main()
