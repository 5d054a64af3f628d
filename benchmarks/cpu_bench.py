"""Median CPU milliseconds a page of newsdedup's extractor beside trafilatura's, on extraction manifests.

`extract_bench.py` times wall clock; on a shared machine (a test run beside it) that measures the
load as much as the code. This script times each page with `time.process_time` (this process's CPU
only), runs both extractors on every page `--repeat` times in turns (the order alternating), keeps
the fastest time of each, and prints the medians. `--checkout DIR` times the newsdedup package of
another checkout (a worktree of an older commit), so two versions can be compared in separate
processes:

    .venv/bin/python benchmarks/cpu_bench.py ../shared/eval/extraction/{aeb,fundus,l3s,dates}/cases.jsonl
    .venv/bin/python benchmarks/cpu_bench.py --checkout /tmp/base --only ours ../shared/eval/extraction/l3s/cases.jsonl
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _pages(manifest: Path) -> list[tuple[bytes, str | None]]:
    out = []
    for line in manifest.read_text(encoding="utf-8").split("\n"):  # not splitlines(): a JSON string may hold U+2028 (l3s does)
        if not line.strip():
            continue
        case = json.loads(line)
        path = manifest.parent / case["path"]
        raw = path.read_bytes()
        out.append((gzip.decompress(raw) if path.suffix == ".gz" else raw, case.get("url")))
    return out


def _runners(only: list[str] | None) -> dict[str, Callable[[bytes, str | None], Any]]:
    from newsdedup.clean import extract

    def trafilatura_run(html: bytes, url: str | None) -> Any:
        import trafilatura

        return trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)

    runners: dict[str, Callable[[bytes, str | None], Any]] = {"ours": extract, "trafilatura": trafilatura_run}
    return {name: fn for name, fn in runners.items() if not only or name in only}


def cpu_medians(pages: list[tuple[bytes, str | None]], runners: dict[str, Callable[[bytes, str | None], Any]],
                repeat: int) -> dict[str, float]:
    """Each runner's median over pages of its fastest CPU time (ms) in `repeat` turns."""
    for fn in runners.values():
        fn(*pages[0])  # warm-up: imports and lazy tables
    best = {name: [float("inf")] * len(pages) for name in runners}
    order = list(runners.items())
    for turn in range(repeat):
        for i, (html, url) in enumerate(pages):
            for name, fn in order if (i + turn) % 2 else order[::-1]:
                start = time.process_time()
                fn(html, url)
                best[name][i] = min(best[name][i], time.process_time() - start)
    return {name: statistics.median(times) * 1000 for name, times in best.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("manifests", nargs="+", type=Path)
    ap.add_argument("--repeat", type=int, default=3, help="turns per page; the fastest is kept (default 3)")
    ap.add_argument("--only", choices=("ours", "trafilatura"), action="append", help="time only these")
    ap.add_argument("--checkout", type=Path, default=ROOT, help="the checkout whose newsdedup is timed")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(args.checkout.resolve() / "plugins"))
    import newsdedup

    print(f"newsdedup from {Path(newsdedup.__file__).parent}")
    runners = _runners(args.only)
    for manifest in args.manifests:
        medians = cpu_medians(_pages(manifest), runners, args.repeat)
        shown = ", ".join(f"{name} {ms:.1f}" for name, ms in medians.items())
        print(f"{manifest.parent.name}: median CPU ms a page: {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
