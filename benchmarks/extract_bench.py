"""Run newsdedup's extractor, trafilatura 2.3.1 and readability-lxml side by side on extraction manifests.

For each set: every extractor's median / p90 milliseconds per page and the shared scorer's figures,
then publisher-grouped fold figures (pages split into two halves by publisher, so one site's pages are
never on both sides), the pages where we fail while an anchor succeeds, and at the end the macro body
F1 over the body sets.

    .venv/bin/python benchmarks/extract_bench.py ../shared/eval/extraction/{aeb,fundus,l3s,dates}/cases.jsonl
        [--only ours|trafilatura|readability] [--save DIR] [--reuse] [--worst N] [--fold A|B]
        [--repeat N] [--scorer PATH]

Anchors, called as their users call them: trafilatura `bare_extraction(html, url=url,
with_metadata=True, include_comments=False)` (body, title, author, date); readability-lxml
`Document(html)` -> `summary(html_partial=True)` as text blocks and `short_title()` (no author or date).
Every extractor gets the same decompressed bytes; the time is wall-clock per call, one page at a
time, after one warm-up page. The extractors take turns page by page (which goes first rotates), so
load from other processes on a shared machine falls on all alike.

Folds: a page's group is its fundus publisher, else its registrable domain; a group goes to fold A
or B by a hash of its name. Rules are designed on fold A's pages (`--worst N --fold A` lists only
those) and kept only when they help fold B too: fold B is the held-out figure.
`--reuse` scores the anchors' predictions saved by an earlier run (`--save` folder) instead of
running them again (no anchor timings then).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# The shared evaluation folder sits beside the checkout (../shared) or beside the worktrees' parent.
DEFAULT_SCORER = next((p / "shared" / "eval" / "score_extraction.py" for p in Path(__file__).resolve().parents[1:]
                       if (p / "shared" / "eval" / "score_extraction.py").exists()),
                      Path("../shared/eval/score_extraction.py"))
NAMES = ("ours", "trafilatura", "readability")
ANCHORS = ("trafilatura", "readability")
BODY_SETS = ("aeb", "fundus", "l3s")
# Page F1 below FAIL is a failed page; an anchor at SUCCEED or above got it right.
FAIL, SUCCEED = 0.5, 0.8
_SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "go"}


def load_cases(manifest: Path) -> list[dict[str, Any]]:
    cases = []
    # split on "\n" only: gold texts hold U+2028 and other characters splitlines() breaks at
    for line in manifest.read_text(encoding="utf-8").split("\n"):
        if line.strip():
            case = json.loads(line)
            raw = (manifest.parent / case["path"]).read_bytes()
            case["html"] = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
            cases.append(case)
    return cases


def group_of(case: dict[str, Any]) -> str:
    """The publisher: fundus names it; elsewhere the registrable domain of the URL."""
    if case.get("publisher"):
        return str(case["publisher"])
    labels = (urlsplit(case.get("url") or "").hostname or "").removeprefix("www.").split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def fold_of(case: dict[str, Any]) -> str:
    return "AB"[hashlib.sha1(group_of(case).encode()).digest()[0] % 2]


# ------------------------------------------------------------------------------------------ runners
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


_BLOCK_TAGS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote", "td",
                         "th", "tr", "dd", "dt", "section", "article", "ul", "ol", "table", "br", "figure",
                         "header", "footer", "form", "main", "aside", "nav", "hr"})


def html_blocks(fragment: str) -> str:
    """An HTML fragment as text: one paragraph per block element, joined by blank lines."""
    import lxml.html

    if not fragment.strip():
        return ""
    root = lxml.html.fromstring(fragment)
    out: list[str] = []
    cur: list[str] = []

    def flush() -> None:
        text = " ".join("".join(cur).split())
        if text:
            out.append(text)
        cur.clear()

    def walk(node: Any) -> None:
        if not isinstance(node.tag, str) or node.tag in ("script", "style"):
            cur.append(node.tail or "")
            return
        block = node.tag in _BLOCK_TAGS
        if block:
            flush()
        cur.append(node.text or "")
        for child in node:
            walk(child)
        if block:
            flush()
        cur.append(node.tail or "")

    walk(root)
    flush()
    return "\n\n".join(out)


def run_readability(html: bytes, url: str | None) -> dict[str, Any]:
    from readability import Document

    try:
        doc = Document(html, url=url)
        return {"text": html_blocks(doc.summary(html_partial=True)), "title": doc.short_title(),
                "authors": [], "published": None}
    except Exception:  # readability-lxml raises on NUL bytes and some charsets: an empty answer
        return {"text": "", "title": None, "authors": [], "published": None}


RUNNERS = {"ours": run_ours, "trafilatura": run_trafilatura, "readability": run_readability}


def bench(names: list[str], cases: list[dict[str, Any]], repeat: int = 1
          ) -> dict[str, tuple[list[dict[str, Any]], list[float]]]:
    """Predictions and per-page milliseconds of each extractor, run interleaved page by page.

    With `repeat` > 1 every extractor runs each page that many times (the order rotating each
    round) and the page's time is the fastest of them: load from other processes only ever adds
    time, so the minimum is the figure least disturbed by it.
    """
    for name in names:
        RUNNERS[name](cases[0]["html"], cases[0].get("url"))  # warm-up: imports and lazy tables
    out: dict[str, tuple[list[dict[str, Any]], list[float]]] = {name: ([], []) for name in names}
    for i, case in enumerate(cases):
        best = dict.fromkeys(names, float("inf"))
        for r in range(repeat):
            k = (i + r) % len(names)
            for name in names[k:] + names[:k]:
                start = time.perf_counter()
                pred = RUNNERS[name](case["html"], case.get("url"))
                best[name] = min(best[name], (time.perf_counter() - start) * 1000)
                if r == 0:
                    pred["id"] = case["id"]
                    out[name][0].append(pred)
        for name in names:
            out[name][1].append(best[name])
    return out


# ------------------------------------------------------------------------------------------ scoring
def load_scorer(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location("score_extraction", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the scorer {path}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def page_f1(scorer: Any, gold: str, pred: str) -> tuple[float, float, float]:
    """Page precision, recall and F1 of the AEB metric."""
    tp, fp, fn = scorer.page_counts(gold, pred)
    p, r = scorer.page_precision(tp, fp, fn), scorer.page_recall(tp, fp, fn)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


EXTRACTORS = ("ours", "trafilatura", "readability")


def score_pages(scorer: Any, pages: dict[str, Any], show: str | None = None
                ) -> dict[str, dict[str, tuple[float, float, float]]]:
    """The synthetic pages' (name -> builder of (html, gold paragraphs, url)) page P, R and F1 for each
    extractor of EXTRACTORS; with `show`, the texts of the pages whose name holds it are printed."""
    rows: dict[str, dict[str, tuple[float, float, float]]] = {}
    for name, build in pages.items():
        html, gold, url = build()
        rows[name] = {}
        for who in EXTRACTORS:
            text = RUNNERS[who](html.encode(), url)["text"] or ""
            rows[name][who] = page_f1(scorer, "\n\n".join(gold), text)
            if show and show.lower() in name.lower():
                print(f"--- {name} / {who}\n{text}\n")
    return rows


def figures(scorer: Any, cases: list[dict[str, Any]], preds: dict[str, dict[str, Any]]) -> dict[str, Any]:
    res = scorer.score(cases, preds, n_bootstrap=0)
    out: dict[str, Any] = {}
    if "body" in res:
        out["body"] = res["body"]["f1"]
        out["P"], out["R"] = res["body"]["precision"], res["body"]["recall"]
    if "title" in res:
        out["title"] = res["title"]["exact"]
        out["title_relaxed"] = res["title"]["relaxed"]
    if "authors" in res:
        out["authors"] = res["authors"]["exact_set"]
    if "published" in res and res["published"]["day_accuracy"] is not None:
        out["day"] = res["published"]["day_accuracy"]
    return out


def fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def report_set(scorer: Any, set_name: str, cases: list[dict[str, Any]],
               preds: dict[str, dict[str, dict[str, Any]]], worst: int, worst_fold: str | None) -> dict[str, Any]:
    """Print the whole-set and fold figures of every extractor; return them for the macro table."""
    folds = {f: [c for c in cases if fold_of(c) == f] for f in "AB"}
    table: dict[str, dict[str, Any]] = {}
    print(f"  {'':12} {'fold':5} {'pages':>5} {'body F1':>8} {'P':>6} {'R':>6} {'title':>6} "
          f"{'authors':>7} {'day':>6}")
    for name, by_id in preds.items():
        table[name] = {}
        for part, subset in (("all", cases), ("A", folds["A"]), ("B", folds["B"])):
            f = figures(scorer, subset, by_id)
            table[name][part] = f
            print(f"  {name:12} {part:5} {len(subset):5} {fmt(f.get('body')):>8} {fmt(f.get('P')):>6} "
                  f"{fmt(f.get('R')):>6} {fmt(f.get('title')):>6} {fmt(f.get('authors')):>7} {fmt(f.get('day')):>6}")
    body_cases = [c for c in cases if isinstance(c.get("body"), str)]
    if body_cases and "ours" in preds:
        f1s = {name: {c["id"]: page_f1(scorer, c["body"], (by_id.get(c["id"]) or {}).get("text") or "")
                      for c in body_cases} for name, by_id in preds.items()}
        lost = [c for c in body_cases if f1s["ours"][c["id"]][2] < FAIL
                and any(f1s[a][c["id"]][2] >= SUCCEED for a in f1s if a != "ours")]
        print(f"  we fail (page F1 < {FAIL}) where an anchor succeeds (>= {SUCCEED}): {len(lost)} of "
              f"{len(body_cases)} pages ({len(lost) / len(body_cases):.1%})"
              + "".join(f"; {a} fails {sum(1 for c in body_cases if f1s[a][c['id']][2] < FAIL)}"
                        for a in f1s))
        table["ours"]["lost"] = len(lost) / len(body_cases)
        if worst:
            pool = [c for c in body_cases if worst_fold is None or fold_of(c) == worst_fold]
            pool.sort(key=lambda c: f1s["ours"][c["id"]][2])
            print(f"  worst {worst} pages by our page F1" + (f" (fold {worst_fold})" if worst_fold else "")
                  + ": F1 (P/R) ours | " + " | ".join(a for a in f1s if a != "ours"))
            for c in pool[:worst]:
                p, r, f = f1s["ours"][c["id"]]
                others = " | ".join(f"{f1s[a][c['id']][2]:.2f}" for a in f1s if a != "ours")
                words = len(((preds["ours"].get(c["id"]) or {}).get("text") or "").split())
                print(f"    {f:.2f} ({p:.2f}/{r:.2f}) {words:5}w/{len(c['body'].split()):5}w gold | {others} "
                      f"{fold_of(c)} {c['id'][:24]} {(c.get('url') or '')[:70]}")
    return table


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("manifests", nargs="+", type=Path)
    ap.add_argument("--only", choices=NAMES, action="append", help="run only these extractors")
    ap.add_argument("--save", type=Path, default=Path("var/extract_bench"),
                    help="predictions go to DIR/<set>.<extractor>.jsonl (default var/extract_bench)")
    ap.add_argument("--reuse", action="store_true",
                    help="score the saved predictions of the extractors not run (--only) beside the others")
    ap.add_argument("--worst", type=int, default=0, help="list the N pages with our lowest page F1")
    ap.add_argument("--fold", choices=("A", "B"), help="list worst pages of this fold only")
    ap.add_argument("--repeat", type=int, default=1,
                    help="time each page this many times per extractor and keep the fastest (default 1)")
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    args = ap.parse_args()
    scorer = load_scorer(args.scorer)
    import logging

    logging.getLogger("readability").setLevel(logging.CRITICAL)  # it logs a traceback per failed page
    args.save.mkdir(parents=True, exist_ok=True)
    names = args.only or list(NAMES)
    macro: dict[str, dict[str, dict[str, float]]] = {}
    for manifest in args.manifests:
        cases = load_cases(manifest)
        set_name = manifest.parent.name
        print(f"=== {set_name}: {len(cases)} pages, {len({group_of(c) for c in cases})} publishers "
              f"(fold A {sum(fold_of(c) == 'A' for c in cases)}, B {sum(fold_of(c) == 'B' for c in cases)}) "
              f"({manifest})")
        results = bench(names, cases, args.repeat)
        preds: dict[str, dict[str, dict[str, Any]]] = {}
        medians = {}
        for name in NAMES:
            out = args.save / f"{set_name}.{name}.jsonl"
            if name in results:
                rows, times = results[name]
                out.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in rows), encoding="utf-8")
                q = statistics.quantiles(times, n=10)
                medians[name] = statistics.median(times)
                print(f"--- {name}: median {medians[name]:.1f} ms, p90 {q[-1]:.1f} ms, "
                      f"total {sum(times) / 1000:.1f} s")
            elif args.reuse and out.exists():
                rows = [json.loads(line) for line in out.read_text(encoding="utf-8").split("\n") if line]
                print(f"--- {name}: predictions reused from {out}")
            else:
                continue
            preds[name] = {p["id"]: p for p in rows}
        if "ours" in medians and "trafilatura" in medians:
            print(f"  median ms ours / trafilatura: {medians['ours']:.1f} / {medians['trafilatura']:.1f} "
                  f"({'no slower' if medians['ours'] <= medians['trafilatura'] else 'SLOWER'})")
        table = report_set(scorer, set_name, cases, preds, args.worst, args.fold)
        if set_name in BODY_SETS:
            macro[set_name] = {n: {part: t[part]["body"] for part in ("all", "A", "B")} for n, t in table.items()}
    if len(macro) > 1:
        sets = sorted(macro)
        print(f"=== macro body F1 over {', '.join(sets)}")
        for name in next(iter(macro.values())):
            if all(name in macro[s] for s in sets):
                print(f"  {name:12} " + "  ".join(
                    f"{part} {statistics.mean(macro[s][name][part] for s in sets):.3f}" for part in ("all", "A", "B")))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))
    raise SystemExit(main())
