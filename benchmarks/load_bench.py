"""DuckDB load rate (and, on the way, the dedup stage's rate) on synthetic staged runs.

Each batch is a staged run of --batch-size synthetic 600-word articles (10 % near-copies of earlier
ones), decided by the real `pipeline.dedup_stage` (seeded from the warehouse, as in production) and
loaded by the real `pipeline.load_stage` into one growing warehouse: the single DuckDB writer's
rate as the warehouse fills up, which is where the scale-out stack stops scaling.

    .venv/bin/python benchmarks/load_bench.py --batches 4 --batch-size 1000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

from newsdedup import pipeline  # noqa: E402
from newsdedup import staging as stage  # noqa: E402


def vocabulary(rng: random.Random, n: int = 6000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(n)]


def article_text(rng: random.Random, vocab: list[str], words: int = 600) -> str:
    """Paragraphs of sentences drawn Zipf-like from the vocabulary (news-like word frequencies)."""
    weights = [1 / (i + 1) for i in range(len(vocab))]
    tokens = rng.choices(vocab, weights=weights, k=words)
    sentences, i = [], 0
    while i < len(tokens):
        n = rng.randint(12, 28)
        sentences.append(" ".join(tokens[i:i + n]).capitalize() + ".")
        i += n
    paras = [" ".join(sentences[j:j + 4]) for j in range(0, len(sentences), 4)]
    return "\n\n".join(paras)


def near_copy(rng: random.Random, text: str, vocab: list[str]) -> str:
    words = text.split(" ")
    for _ in range(max(1, len(words) // 50)):  # 2 % of the words edited
        words[rng.randrange(len(words))] = rng.choice(vocab)
    return " ".join(words)


def article_row(i: int, text: str, published: datetime, run_id: str) -> dict[str, Any]:
    url = f"https://bench.example/a/{i}"
    aid = hashlib.sha1(url.encode()).hexdigest()[:16]
    return {
        "article_id": aid, "url": url, "canonical_url": url, "source": f"source{i % 50}", "title": f"Story {i}",
        "authors": ["A. Writer"], "published_at": published, "published_text": published.isoformat(),
        "updated_at": None, "language": "en", "text": text, "word_count": len(text.split()), "content_hash": None,
        "clean_error": None, "fetched_at": published, "run_id": run_id, "url_id": aid, "final_url": url,
        "content_type": "text/html", "http_status": 200, "bytes": len(text) * 2, "sha1": aid, "raw_path": None,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batches", type=int, default=4)
    ap.add_argument("--batch-size", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    vocab = vocabulary(rng)
    work = Path(tempfile.mkdtemp(prefix="newsdedup-loadbench-"))
    sources = work / "sources.yaml"
    sources.write_text("sources:\n  - name: bench\n    url: http://127.0.0.1:9/feed.xml\n    kind: rss\n")
    warehouse, staging = work / "warehouse.duckdb", work / "staging"
    texts: list[str] = []
    start = datetime(2026, 11, 1, tzinfo=UTC)
    results = []
    n = 0
    for b in range(args.batches):
        run_id = f"bench__{b:03d}"
        ref = pipeline.plan(run_id, sources_file=str(sources), staging=str(staging), warehouse=str(warehouse))
        rows = []
        for _ in range(args.batch_size):
            if texts and rng.random() < 0.10:
                text = near_copy(rng, rng.choice(texts), vocab)
            else:
                text = article_text(rng, vocab)
                texts.append(text)
            rows.append(article_row(n, text, start + timedelta(minutes=n), run_id))
            n += 1
        stage.write_rows(rows, stage.ARTICLE_SCHEMA, Path(ref["run_dir"]) / "articles" / "bench.parquet")
        t = time.perf_counter()
        dedup = pipeline.dedup_stage(ref["run_dir"])
        dedup_s = time.perf_counter() - t
        summary = {"run_dir": ref["run_dir"], "source": "bench", "kind": "rss", "status": "ok", "error": None,
                   "entries": len(rows), "new": len(rows), "already_known": 0, "fetched": len(rows),
                   "fetch_failed": 0, "fetch_errors": {}, "clean_failed": 0}
        t = time.perf_counter()
        loaded = pipeline.load_stage(ref["run_dir"], [summary])
        load_s = time.perf_counter() - t
        results.append({
            "batch": b, "warehouse_articles_before": n - len(rows), "articles": len(rows),
            "near": dedup.get("near"), "exact": dedup.get("exact"), "seeded": dedup.get("seeded"),
            "dedup_s": round(dedup_s, 2), "dedup_per_s": round(len(rows) / dedup_s, 1),
            "load_s": round(load_s, 2), "load_per_s": round(len(rows) / load_s, 1),
            "added": loaded["added"].get("articles"),
        })
        print(json.dumps(results[-1]), flush=True)
    print(json.dumps({"warehouse_mb": round(warehouse.stat().st_size / 1e6, 1), "work": str(work)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
