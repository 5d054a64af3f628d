"""What a fresh process pays before the clean step runs at its warm speed (an Airflow task is one).

    nice .venv/bin/python benchmarks/cold_start.py ../shared/eval/extraction/l3s/cases.jsonl [--pages 60]

Three child processes, each extracting the manifest's first N pages twice over: "cold" starts from
nothing; "imports warmed" first extracts one small page (the lazy imports: trafilatura, jusText, the
language model); "dateparser warmed" also makes htmldate's dateparser fail once on a date-like string
(which compiles its ~200 locales' patterns). Printed: ms per page of the first and the second pass, and
the seconds of each warm-up.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SMALL_PAGE = (b"<html><head><title>A title for it</title></head><body><article><h1>A title for it</h1><p>"
              + b"Some words of a story that is long enough to be a story. " * 10 + b"</p></article></body></html>")


def child(manifest: Path, pages: int, warm: str) -> dict[str, float]:
    import time

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from extract_bench import load_cases

    cases = load_cases(manifest)[:pages]
    out: dict[str, float] = {}
    t = time.perf_counter()
    from newsdedup.clean import extract

    if warm in ("imports", "dateparser"):
        extract(SMALL_PAGE, "https://example.com/a")
        out["imports_s"] = time.perf_counter() - t
    if warm == "dateparser":
        t = time.perf_counter()
        from htmldate.extractors import get_external_parser  # what htmldate's extensive search calls

        get_external_parser().get_date_data("Posted on Jan 15th, 2008")
        out["dateparser_s"] = time.perf_counter() - t
    for n in (1, 2):
        t = time.perf_counter()
        for c in cases:
            extract(c["html"], c.get("url"))
        out[f"pass{n}_ms"] = (time.perf_counter() - t) * 1000 / len(cases)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("manifest", type=Path)
    ap.add_argument("--pages", type=int, default=60)
    ap.add_argument("--child", choices=("cold", "imports", "dateparser"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.manifest, args.pages, args.child)))
        return 0
    print(f"{'start':18} {'pass 1 ms/page':>15} {'pass 2 ms/page':>15}  warm-up")
    for warm in ("cold", "imports", "dateparser"):
        r = json.loads(subprocess.run([sys.executable, __file__, str(args.manifest), "--pages", str(args.pages),
                                       "--child", warm], check=True, capture_output=True, text=True).stdout)
        extra = ", ".join(f"{k[:-2]} {v:.2f} s" for k, v in r.items() if k.endswith("_s"))
        label = {"cold": "cold", "imports": "imports warmed", "dateparser": "dateparser warmed"}[warm]
        print(f"{label:18} {r['pass1_ms']:15.1f} {r['pass2_ms']:15.1f}  {extra}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "plugins"))
    raise SystemExit(main())
