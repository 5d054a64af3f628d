"""Dedup throughput, memory and incremental cost on the synthetic scale corpus.

Usage: .venv/bin/python benchmarks/dedup_bench.py [-n 100000] [--corpus scale.jsonl] [--sample 2000]
                                                  [--incremental 1000]

Prints, for one run on this machine:
- end to end `newsdedup dedup` (read, parse, MinHash, LSH, verification, clustering, sentences, write)
  in a child process: wall docs/s, CPU seconds, peak RSS of the largest process;
- a plain datasketch loop (lowercased word 5-shingles, per-shingle `MinHash.update`, 128 perms) on a
  sample, against our parse+signature step on the same sample: docs/s side by side and the ratio;
- incremental through the warehouse (the pipeline's dedup_stage + load_stage into DuckDB): a warehouse
  holding the first N - k docs, then a run adding the last k, beside the same k into an empty warehouse;
- incremental in memory: time to seed a Deduplicator with the first N - k docs' stored state and to
  add the last k, against the full build.
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
from typing import Any

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


def _stage_run(root: Path, warehouse: Path, run_id: str, docs: list[dict]) -> Path:
    """A run folder as the source tasks leave it (articles staged as Parquet), for the real stages."""
    from dataclasses import asdict
    from datetime import UTC, datetime

    from newsdedup import staging
    from newsdedup.config import Settings
    from newsdedup.dedup.corpus import _parse_published

    run_dir = root / "staging" / run_id
    run_dir.mkdir(parents=True)
    (run_dir / "plan.json").write_text(json.dumps({
        "run_id": run_id, "run_dir": str(run_dir), "warehouse": str(warehouse), "sources_file": None,
        "settings": asdict(Settings()), "sources": [], "started_at": datetime.now(UTC).isoformat()}))
    now = datetime.now(UTC)
    rows = []
    for d in docs:
        url = d.get("url") or f"https://x.example/{d['id']}"
        rows.append({
            "article_id": d["id"], "url": url, "canonical_url": url, "source": d.get("source") or "",
            "title": d.get("title"), "authors": [], "published_at": _parse_published(d.get("published")),
            "published_text": d.get("published"), "updated_at": None, "language": "en", "text": d.get("text") or "",
            "word_count": len((d.get("text") or "").split()), "content_hash": None, "clean_error": None,
            "fetched_at": now, "run_id": run_id, "url_id": d["id"], "final_url": None, "content_type": "text/html",
            "http_status": 200, "bytes": 0, "sha1": "", "raw_path": None})
    staging.write_rows(rows, staging.ARTICLE_SCHEMA, run_dir / "articles" / "bench.parquet")
    return run_dir


def _timed_run(root: Path, warehouse: Path, run_id: str, docs: list[dict]) -> dict[str, float]:
    """dedup_stage + load_stage of one run (the DAG's code path); seconds of each, and CPU seconds."""
    from newsdedup import pipeline
    from newsdedup import warehouse as wh

    run_dir = _stage_run(root, warehouse, run_id, docs)
    c0, t0 = time.process_time(), time.perf_counter()
    summary = pipeline.dedup_stage(str(run_dir))
    t1 = time.perf_counter()
    pipeline.load_stage(str(run_dir), [])
    t2 = time.perf_counter()
    cpu = time.process_time() - c0
    t3 = time.perf_counter()
    wh.publish_snapshot(warehouse)  # what load_stage does last: a copy of the whole file
    snap = time.perf_counter() - t3
    return {"dedup_s": t1 - t0, "load_s": t2 - t1, "cpu_s": cpu, "seeded": summary.get("seeded", 0),
            "seed_s": summary.get("seed_seconds", 0.0), "snapshot_s": snap,
            "warehouse_mib": warehouse.stat().st_size / 2**20}


def incremental_warehouse(docs: list[dict], k: int) -> dict[str, Any]:
    """A warehouse loaded with the first N - k docs, then a run adding the last k, against the same k
    into an empty warehouse: the real pipeline stages and DuckDB."""
    with tempfile.TemporaryDirectory(prefix="dedup-bench-") as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        full = _timed_run(root, root / "full.duckdb", "base", docs[:-k])
        build_s = time.perf_counter() - t0
        add = _timed_run(root, root / "full.duckdb", "add", docs[-k:])
        empty = _timed_run(root, root / "empty.duckdb", "alone", docs[-k:])
    return {"build_s": build_s, "build": full, "add": add, "empty": empty, "stored": len(docs) - k, "k": k}


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
        w = incremental_warehouse(docs, a.incremental)
        ad, em = w["add"], w["empty"]
        print(f"incremental (warehouse, dedup_stage + load_stage): building the {w['stored']:,}-doc warehouse "
              f"{w['build_s']:.1f} s ({w['build']['warehouse_mib']:,.0f} MiB); then {w['k']:,} new docs "
              f"{ad['dedup_s'] + ad['load_s']:.2f} s (dedup {ad['dedup_s']:.2f} s of which seeding "
              f"{ad['seed_s']:.2f} s for {ad['seeded']:,} stored docs, load {ad['load_s']:.2f} s, "
              f"{ad['cpu_s']:.1f} CPU-s); the same {w['k']:,} into an empty warehouse "
              f"{em['dedup_s'] + em['load_s']:.2f} s (dedup {em['dedup_s']:.2f} s, load {em['load_s']:.2f} s, "
              f"{em['cpu_s']:.1f} CPU-s); load ends with a snapshot copy of the whole warehouse file, which "
              f"alone took {ad['snapshot_s']:.2f} s vs {em['snapshot_s']:.2f} s")
        inc = incremental(docs, a.incremental)
        print(f"incremental: full build of {inc['full_build_docs']:,} docs {inc['full_build_s']:.1f} s; "
              f"seed from stored state {inc['seed_s']:.1f} s; add {inc['k']:,} docs to it {inc['add_k_s']:.2f} s "
              f"(to an empty state {inc['add_k_to_empty_s']:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
