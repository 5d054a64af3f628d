"""Dedup throughput, memory and incremental cost on the synthetic scale corpus.

Usage: .venv/bin/python benchmarks/dedup_bench.py [-n 100000] [--corpus scale.jsonl] [--sample 2000]
                                                  [--incremental 1000]

Prints, for one run on this machine:
- end to end `newsdedup dedup` (read, parse, MinHash, LSH, verification, clustering, sentences, write)
  in a child process: wall docs/s, CPU seconds, peak RSS of the largest process;
- a plain datasketch loop (lowercased word 5-shingles, per-shingle `MinHash.update`, 128 perms) on a
  sample, against our parse+signature step on the same sample: docs/s side by side and the ratio;
- incremental: time to seed a Deduplicator with the first N - k docs' stored state and to add the
  last k, against the full build.
The corpus comes from ../shared/eval/dedup/make_scale_corpus.py (generated into a temp dir if absent).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = ROOT.parent / "shared" / "eval" / "dedup" / "make_scale_corpus.py"


def _corpus(path: str | None, n: int) -> Path:
    if path and Path(path).exists():
        return Path(path)
    out = Path(path) if path else Path(tempfile.gettempdir()) / f"newsdedup-scale-{n}.jsonl"
    if not out.exists():
        print(f"generating {n} docs into {out} ...", file=sys.stderr)
        subprocess.run([sys.executable, str(GENERATOR), "-n", str(n), "--seed", "1", "--out", str(out)], check=True)
    return out


def end_to_end(corpus: Path, n: int) -> dict[str, float]:
    """Run the CLI in a child process; wall time, CPU time and peak RSS (largest process)."""
    exe = ROOT / ".venv" / "bin" / "newsdedup"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "newsdedup.cli"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run([*cmd, "dedup", str(corpus), "-o", os.devnull], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise SystemExit(f"newsdedup dedup failed: {p.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "docs_per_s": n / wall, "cpu_s": cpu, "docs_per_cpu_s": n / cpu,
            "peak_rss_mib": after.ru_maxrss / 1024, "summary": p.stderr.strip().splitlines()[-1]}


def baseline_vs_ours(docs: list[dict], sample: int) -> dict[str, float]:
    """Plain datasketch per-shingle update loop vs our parse + signature on the same docs."""
    import re

    from datasketch import MinHash

    from newsdedup.dedup.config import DedupConfig
    from newsdedup.dedup.parallel import parse_chunk

    texts = [d["text"] for d in docs[:sample]]
    word = re.compile(r"\w+")
    t0 = time.perf_counter()
    for t in texts:
        toks = word.findall(t.lower())
        m = MinHash(num_perm=128)
        for i in range(max(1, len(toks) - 4)):
            m.update(" ".join(toks[i : i + 5]).encode())
    base = time.perf_counter() - t0
    t0 = time.perf_counter()
    parse_chunk(texts, DedupConfig())
    ours = time.perf_counter() - t0
    return {"datasketch_update_docs_per_s": len(texts) / base, "ours_parse_sign_docs_per_s": len(texts) / ours,
            "ratio": base / ours}


def incremental(docs: list[dict], k: int) -> dict[str, float]:
    """Seed with the first N - k docs' stored state, add the last k; compare with the full build."""
    from newsdedup.dedup import Deduplicator
    from newsdedup.dedup.core import DedupDoc
    from newsdedup.dedup.corpus import _parse_published

    dd_docs = [DedupDoc(d["id"], d.get("source") or "", _parse_published(d.get("published")), d.get("title") or "",
                        d.get("text") or "") for d in docs]
    head, tail = dd_docs[:-k], dd_docs[-k:]
    t0 = time.perf_counter()
    full = Deduplicator(workers=2)
    results = full.add(head)
    build = time.perf_counter() - t0
    seeds = [r.to_seed(d.source, d.published) for d, r in zip(head, results, strict=True)]
    del full, results
    t0 = time.perf_counter()
    inc = Deduplicator()
    inc.seed(seeds)
    seed_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    inc.add(tail)
    add_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    Deduplicator().add(tail)
    empty_s = time.perf_counter() - t0
    return {"full_build_s": build, "full_build_docs": len(head), "seed_s": seed_s, "add_k_s": add_s,
            "add_k_to_empty_s": empty_s, "k": k}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=100_000)
    ap.add_argument("--corpus")
    ap.add_argument("--sample", type=int, default=2000, help="docs for the datasketch baseline comparison")
    ap.add_argument("--incremental", type=int, default=1000)
    ap.add_argument("--skip-incremental", action="store_true")
    a = ap.parse_args()
    corpus = _corpus(a.corpus, a.n)
    with corpus.open(encoding="utf-8") as fh:
        n = sum(1 for _ in fh)
    print(f"corpus {corpus}: {n} docs; cores {os.cpu_count()}; load average {os.getloadavg()[0]:.1f}")
    e2e = end_to_end(corpus, n)
    print(f"end to end: {e2e['docs_per_s']:,.0f} docs/s wall ({e2e['wall_s']:.1f} s), "
          f"{e2e['docs_per_cpu_s']:,.0f} docs per CPU-second ({e2e['cpu_s']:.1f} CPU-s), "
          f"peak RSS {e2e['peak_rss_mib']:,.0f} MiB  [{e2e['summary']}]")
    with corpus.open(encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh]
    b = baseline_vs_ours(docs, a.sample)
    print(f"MinHash on {a.sample} docs, one core: datasketch per-shingle update {b['datasketch_update_docs_per_s']:,.0f}"
          f" docs/s; ours (split, tokens, shingles, signature) {b['ours_parse_sign_docs_per_s']:,.0f} docs/s;"
          f" ratio {b['ratio']:.1f}x; end-to-end vs datasketch loop {e2e['docs_per_s'] / b['datasketch_update_docs_per_s']:.1f}x")
    if not a.skip_incremental:
        inc = incremental(docs, a.incremental)
        print(f"incremental: full build of {inc['full_build_docs']:,} docs {inc['full_build_s']:.1f} s; "
              f"seed from stored state {inc['seed_s']:.1f} s; add {inc['k']:,} docs to it {inc['add_k_s']:.2f} s "
              f"(to an empty state {inc['add_k_to_empty_s']:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
