"""Run newsdedup's extractor and trafilatura 2.3.1 side by side on an extraction manifest.

Prints both score tables (from the shared scorer) and median / p90 milliseconds per page.

    .venv/bin/python benchmarks/extract_bench.py ../shared/eval/extraction/aeb/cases.jsonl [...]
        [--only ours|trafilatura] [--save DIR] [--scorer PATH]

trafilatura is called as its users call it for the same fields: `bare_extraction(html, url=url,
with_metadata=True, include_comments=False)` (body, title, author, date). Both extractors get the
same decompressed bytes; the time is wall-clock per call, one page at a time, after one warm-up page.
The extractors take turns page by page (which goes first alternates), so load from other processes
on a shared machine falls on both alike instead of on whichever ran during a busy minute.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

DEFAULT_SCORER = Path(__file__).resolve().parents[2] / "shared" / "eval" / "score_extraction.py"


def load_cases(manifest: Path) -> list[dict[str, Any]]:
    cases = []
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            raw = (manifest.parent / case["path"]).read_bytes()
            case["html"] = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
            cases.append(case)
    return cases


def run_ours(html: bytes, url: str | None) -> dict[str, Any]:
    from newsdedup.clean import extract

    ex = extract(html, url)
    return {"text": ex.text, "title": ex.title, "authors": ex.authors,
            "published": ex.published.isoformat() if ex.published else None}


def run_trafilatura(html: bytes, url: str | None) -> dict[str, Any]:
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if doc is None:
        return {"text": "", "title": None, "authors": [], "published": None}
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    return {"text": doc.text or "", "title": doc.title, "authors": authors, "published": doc.date}


RUNNERS = {"ours": run_ours, "trafilatura": run_trafilatura}


def bench(names: list[str], cases: list[dict[str, Any]]) -> dict[str, tuple[list[dict[str, Any]], list[float]]]:
    """Predictions and per-page milliseconds of each extractor, run interleaved page by page."""
    for name in names:
        RUNNERS[name](cases[0]["html"], cases[0].get("url"))  # warm-up: imports and lazy tables
    out: dict[str, tuple[list[dict[str, Any]], list[float]]] = {name: ([], []) for name in names}
    for i, case in enumerate(cases):
        for name in names if i % 2 == 0 else names[::-1]:
            start = time.perf_counter()
            pred = RUNNERS[name](case["html"], case.get("url"))
            out[name][1].append((time.perf_counter() - start) * 1000)
            pred["id"] = case["id"]
            out[name][0].append(pred)
    return out


def score(scorer: Path, manifest: Path, preds_path: Path) -> str:
    res = subprocess.run([sys.executable, str(scorer), str(manifest), str(preds_path)],
                         capture_output=True, text=True, check=True)
    return res.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("manifests", nargs="+", type=Path)
    ap.add_argument("--only", choices=sorted(RUNNERS), action="append")
    ap.add_argument("--save", type=Path, help="keep the predictions as DIR/<set>.<extractor>.jsonl")
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    args = ap.parse_args()
    save = args.save or Path("var/extract_bench")
    save.mkdir(parents=True, exist_ok=True)
    names = args.only or ["ours", "trafilatura"]
    for manifest in args.manifests:
        cases = load_cases(manifest)
        set_name = manifest.parent.name
        print(f"=== {set_name}: {len(cases)} pages ({manifest})")
        results = bench(names, cases)
        for name in names:
            preds, times = results[name]
            out = save / f"{set_name}.{name}.jsonl"
            out.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in preds), encoding="utf-8")
            q = statistics.quantiles(times, n=10)
            print(f"--- {name}: median {statistics.median(times):.1f} ms, p90 {q[-1]:.1f} ms, "
                  f"total {sum(times) / 1000:.1f} s")
            print(score(args.scorer, manifest, out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
