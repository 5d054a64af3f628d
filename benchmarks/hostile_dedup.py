"""Hostile corpora for the dedup step: time and memory growth at two sizes, to show what is linear.

Each case runs at `--n` docs and at a quarter of that in a fresh child process (so peak RSS is the case's
own); the ratio of the times says whether the work grows linearly (about 4x) or quadratically (about 16x).

    .venv/bin/python benchmarks/hostile_dedup.py --n 100000            # every in-process case
    .venv/bin/python benchmarks/hostile_dedup.py --n 20000 --case evict --case identical
    .venv/bin/python benchmarks/hostile_dedup.py --n 100000 --case redis_bucket   # starts a redis-server\n    .venv/bin/python benchmarks/hostile_dedup.py --n 8000 --case warehouse      # the pipeline's stages

Cases:
  identical     n docs with one text (one content hash, every band one bucket), in batches of 1,000
  paragraph     n docs of distinct stories sharing one 60-word paragraph (distinct sources, so no boilerplate)
  one_source    the same, all from one source (the paragraph is its boilerplate)
  same_bands    n distinct texts whose signatures are forced equal (every band in one bucket, no exact twin)
  long_doc      one doc of n x 10 repeated sentences (cut at MAX_TEXT_CHARS)
  evict         n docs (100 stories copied exactly, one paragraph on all, 1,000 sources), then evict the older half
  redis_bucket  n copies of one signature in a Redis index (every band one bucket), then 500 queries in\n                batches of 100: 100 of the flooded text, 400 other stories
  warehouse     n copies of one story stored in DuckDB (half exact), then an incremental run of 100 more
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
T0 = datetime(2026, 1, 1, tzinfo=UTC)
PARA = ("The board of the regional water authority said on Monday that customers should boil tap water "
        "until further notice because of a fault at the treatment plant near the river, and that bottled "
        "water would be handed out at the town hall from nine in the morning until six in the evening.")


def story(n: int) -> str:
    words = [f"w{(n * 7919 + i * 104729) % 100003}" for i in range(120)]
    return " ".join(" ".join(words[i:i + 15]).capitalize() + "." for i in range(0, 120, 15))


def docs_of(case: str, n: int) -> list[Any]:
    from newsdedup.dedup import DedupDoc

    def at(i: int) -> datetime:
        return T0 + timedelta(seconds=i)

    if case == "identical":
        return [DedupDoc(f"d{i}", f"s{i % 50}", at(i), f"t{i}", story(0)) for i in range(n)]
    if case == "paragraph":
        return [DedupDoc(f"d{i}", f"s{i}", at(i), f"t{i}", f"{story(i)} {PARA}") for i in range(n)]
    if case == "one_source":
        return [DedupDoc(f"d{i}", "s", at(i), f"t{i}", f"{story(i)} {PARA}") for i in range(n)]
    if case == "evict":
        return [DedupDoc(f"d{i}", f"s{i % 1000}", at(i), f"t{i}", f"{story(i % 100)} {PARA}") for i in range(n)]
    raise ValueError(case)


def run_batches(dd: Any, docs: list[Any], batch: int = 1000) -> list[Any]:
    out: list[Any] = []
    for s in range(0, len(docs), batch):
        out.extend(dd.add(docs[s:s + batch]))
    return out


def case_in_process(case: str, n: int) -> dict[str, Any]:
    import numpy as np

    from newsdedup.dedup import DedupDoc, Deduplicator
    from newsdedup.dedup.parallel import parse_many

    dd = Deduplicator()
    if case == "long_doc":
        text = " ".join(f"This is the same sentence again number {i % 3}." for i in range(n * 10))
        t = time.perf_counter()
        r = dd.add([DedupDoc("long", "s", T0, "t", text)])
        return {"seconds": time.perf_counter() - t, "kinds": {r[0].kind: 1}}
    if case == "same_bands":
        docs = [DedupDoc(f"d{i}", "s", T0 + timedelta(seconds=i), "t", story(i)) for i in range(n)]
        parsed = parse_many([d.text for d in docs], dd.config, 1)
        sig = parsed[0].signature
        for p in parsed:  # every doc files and queries the same 32 band keys
            p.signature = np.array(sig, copy=True)
        t = time.perf_counter()
        res = []
        for s in range(0, n, 1000):
            res.extend(dd.add(docs[s:s + 1000], parsed[s:s + 1000]))
        el = time.perf_counter() - t
    else:
        docs = docs_of(case, n)
        t = time.perf_counter()
        res = run_batches(dd, docs)
        el = time.perf_counter() - t
    kinds: dict[str, int] = {}
    for r in res:
        kinds[r.kind] = kinds.get(r.kind, 0) + 1
    out: dict[str, Any] = {"seconds": el, "kinds": kinds, "clusters": len({r.cluster_id for r in res})}
    if case == "evict":
        t = time.perf_counter()
        gone = dd.evict(T0 + timedelta(seconds=n // 2))
        out.update(evict_seconds=time.perf_counter() - t, evicted=gone)
    return out


def case_redis(n: int) -> dict[str, Any]:
    import numpy as np
    from scale.services import redis_server

    from newsdedup import lshstore
    from newsdedup.dedup import DedupConfig, Deduplicator
    from newsdedup.dedup.minhash import band_keys64, lean_minhash

    cfg = DedupConfig()
    sigs = np.stack([r.sig for r in Deduplicator(cfg).add(docs_of("paragraph", 1000))])
    flood = sigs[0]
    with tempfile.TemporaryDirectory() as tmp, redis_server(Path(tmp)) as redis:
        settings = lshstore.RedisLSHSettings(redis.url, prefix="hostile")
        index = lshstore.shared_index(cfg, settings)
        with index.lsh.insertion_session(buffer_size=10_000) as session:  # n copies: every band one bucket
            for i in range(n):
                session.insert(f"c{i}", lean_minhash(flood, cfg), check_duplication=False)
        queries = np.concatenate([np.repeat(flood[None, :], 100, axis=0), sigs[:400]])
        keys = band_keys64(queries, cfg)
        t = time.perf_counter()
        found = [f for s in range(0, len(queries), 100) for f in index.query(queries[s:s + 100], keys[s:s + 100])]
        return {"seconds": time.perf_counter() - t, "queries": len(queries),
                "max_ids_a_query": max(len(f) for f in found)}


def case_warehouse(n: int) -> dict[str, Any]:
    from dedup.test_incremental_warehouse import _pipeline_run
    from dedup.textgen import story as tstory

    base = tstory(7)
    stored = [{"id": f"c{i:06d}", "source": f"o{i}", "minutes": i, "text": base if i % 2 else f"{base} extra{i}"}
              for i in range(n)]
    new = [{"id": f"new{i}", "source": f"n{i}", "minutes": n + i, "text": base if i % 2 else f"{base} late{i}"}
           for i in range(100)]
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        _pipeline_run(Path(tmp), Path(tmp) / "w.duckdb", "run1", stored)
        fill = time.perf_counter() - t
        t = time.perf_counter()
        s2 = _pipeline_run(Path(tmp), Path(tmp) / "w.duckdb", "run2", new)
        return {"seconds": time.perf_counter() - t, "fill_seconds": fill, "seeded": s2["seeded"],
                "exact": s2.get("exact"), "near": s2.get("near")}


def child(case: str, n: int) -> None:
    if case == "redis_bucket":
        out = case_redis(n)
    elif case == "warehouse":
        out = case_warehouse(n)
    else:
        out = case_in_process(case, n)
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


CASES = ["identical", "paragraph", "one_source", "same_bands", "long_doc", "evict", "redis_bucket", "warehouse"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--case", action="append", choices=CASES)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child, a.n)
        return
    for case in a.case or [c for c in CASES if c not in ("redis_bucket", "warehouse")]:
        rows = []
        for n in (a.n // 4, a.n):
            proc = subprocess.run([sys.executable, __file__, "--child", case, "--n", str(n)], capture_output=True,
                                  text=True)
            if proc.returncode:
                print(f"{case} n={n}: failed\n{proc.stderr[-2000:]}")
                break
            rows.append((n, json.loads(proc.stdout.strip().splitlines()[-1])))
        for n, r in rows:
            extra = {k: v for k, v in r.items() if k not in ("seconds", "peak_rss_mib")}
            print(f"{case:12s} n={n:>7,}  {r['seconds']:8.2f} s  peak RSS {r['peak_rss_mib']:7.0f} MiB  {extra}")
        if len(rows) == 2 and rows[0][1]["seconds"] > 0:
            keys = ["seconds"] + [k for k in ("evict_seconds",) if k in rows[0][1]]
            growth = ", ".join(f"{k} x{rows[1][1][k] / max(rows[0][1][k], 1e-6):.1f}" for k in keys)
            print(f"{'':12s} growth for 4x the docs: {growth}", flush=True)


if __name__ == "__main__":
    main()
