"""Seconds and peak RSS of the clean and dedup steps on hostile inputs, one child process each.

    nice .venv/bin/python benchmarks/hostile_pages.py [--only NAME ...] [--plugins DIR]

Pages go through `newsdedup.clean.extract(html, url)`, texts through `Deduplicator().add` (one doc).
Each case runs in a fresh child process, which reports its wall and CPU seconds for the call (after one small
page, for the clean step's imports), its peak RSS (`ru_maxrss`) and its RSS once imports are done and
the input is built ("ready"), and what came out
(the extraction's error and paragraph count, or the doc's cluster kind). `--plugins` puts another
checkout's `plugins` folder first on the child's path (figures before a change: `git archive <commit>
plugins | tar -x -C /tmp/old`, then `--plugins /tmp/old/plugins`).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_URL = "https://example.com/news/2024/03/05/budget"
_LOREM = ("The council approved the new budget on Tuesday after a long debate about road repairs, "
          "school funding and the future of the public library in the old town centre.")


def _page(before: str, head: str = "") -> str:
    story = "".join(f"<p>Paragraph {i} of the story. {_LOREM}</p>" for i in range(3))
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>{head}</head><body><main><article>"
            f"<h1>Budget approved</h1>{before}{story}</article></main></body></html>")


def _untitled(before: str) -> str:
    """A page with no structured title: its headline is a bold line the <title> repeats, below `before`."""
    story = "".join(f"<p>Paragraph {i} of the story. {_LOREM}</p>" for i in range(3))
    return (f"<!DOCTYPE html><html lang='en'><head><title>Budget approved by the council - Town News</title>"
            f"</head><body>{before}<div><b>Budget approved by the council</b>{story}</div></body></html>")


def _ld(data: object) -> str:
    return f"<script type='application/ld+json'>{json.dumps(data)}</script>"


def _links(n: int) -> str:
    return "<p>" + "".join(f"<a href='/t/{i}'>link</a> " for i in range(n)) + "</p>"


def _unspaced(first: int, size: int, sentence: int, end: str, chars: int = 2_000_000) -> str:
    import random

    rng = random.Random(1)
    alphabet = [chr(c) for c in range(first, first + size)]
    parts = ["".join(rng.choice(alphabet) for _ in range(sentence)) + end for _ in range(chars // (sentence + 1))]
    return "".join(parts)[:chars]


# name -> (step, what it is, input builder)
CASES = {
    "links_alone": ("clean", "one paragraph of 300,000 links, nothing else",
                    lambda: "<!DOCTYPE html><html><body>" + _links(300_000) + "</body></html>"),
    "links_story": ("clean", "one paragraph of 300,000 links above a 3-paragraph story",
                    lambda: _page(_links(300_000))),
    "br_story": ("clean", "1,000,000 <br> above the story", lambda: _page("<br>\n" * 1_000_000)),
    "br_paragraph": ("clean", "1,000,000 <br> in a paragraph above the story",
                     lambda: _page("<p>" + "<br>\n" * 1_000_000 + "</p>")),
    "text_lines": ("clean", "1,000,000 lines of 'x<br>' above the story", lambda: _page("x<br>" * 1_000_000)),
    "under_cap": ("clean", "390,000 '<i>x</i>' above the story (under the element cap)",
                  lambda: _page("<i>x</i>" * 390_000)),
    "tags_16mb": ("clean", "a 16 MB page: 2,000,000 '<i>x</i>' above the story (over the element cap)",
                  lambda: _page("<i>x</i>" * 2_000_000)),
    "br_16mb": ("clean", "a 16 MB page: 4,000,000 '<br>' above the story", lambda: _page("<br>" * 4_000_000)),
    # session 34 (tests/clean/test_hostile_ninth_probe.py): shapes the earlier probes did not try
    "time_tags": ("clean", "20,000 <time datetime> in the article",
                  lambda: _page("".join(f"<time datetime='2023-01-{1 + i % 28:02d}T10:00:00Z'>Jan {1 + i % 28}, 2023"
                                        "</time> " for i in range(20_000)))),
    "bold_lines": ("clean", "50,000 bold lines above the headline of a page without a structured title",
                   lambda: _untitled("".join(f"<b>Bold line number {i} here</b><br>" for i in range(50_000)))),
    "ld_authors": ("clean", "200,000 JSON-LD authors",
                   lambda: _page("", _ld({"@type": "NewsArticle", "headline": "Budget approved", "author": [
                       {"@type": "Person", "name": f"Writer Person{i}"} for i in range(200_000)]}))),
    "deep_text": ("clean", "240 nested <span>s around 1 MB of words, above the headline of a page without a structured title",
                  lambda: _untitled("<span>" * 240 + "word " * 200_000 + "</span>" * 240)),
    "nested_ads": ("clean", "240 nested <div class=ad-slot>s around 20,000 short <p>s",
                   lambda: _page("<div class='ad-slot'>" * 240 + "".join(f"<p>short {i}</p>" for i in range(20_000))
                                 + "</div>" * 240)),
    "deep_divs": ("clean", "1,500 chains of 240 nested <div>s (under the depth cap), a word in each",
                  lambda: _page(("<div>x " * 240 + "</div>" * 240) * 1_500)),
    "deep_spans": ("clean", "100,000 <span>s 240 <div>s deep", lambda: _page(
        "<div>" * 240 + "".join(f"<span>text {i} </span>" for i in range(100_000)) + "</div>" * 240)),
    "nested_inline": ("clean", "1,500 runs of 200 nested <span>s", lambda: _page(
        ("<span>" * 200 + "word " + "</span>" * 200) * 1_500)),
    "table_rows": ("clean", "a table of 60,000 rows above the story", lambda: _page(
        "<table>" + "".join(f"<tr><td>Row {i}</td><td>{i * 3}</td><td>cell text</td></tr>" for i in range(60_000))
        + "</table>")),
    "li_comments": ("clean", "50,000 comments in a list below a 'Comments' heading", lambda: _page(
        "<h3>Comments</h3><ul>" + "".join(f"<li><div>Posted by Reader{i}</div><p>I think this is a good comment "
                                         f"about the budget and the town, number {i}.</p><a>Reply</a></li>"
                                         for i in range(50_000)) + "</ul>")),
    "comment_thread": ("clean", "5,000 readers' comments below the story, under a '24 Comments' heading", lambda: (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'></head><body><main><article>"
        "<h1>Budget approved by the council</h1>" + "".join(
            f"<p>Paragraph {i} of the story. {_LOREM}</p>" for i in range(3)) + "</article>"
        "<div class='thread'><h3>24 Comments</h3>" + "".join(
            f"<div><span>Reader{i} says:</span><p>I really think comment number {i} about the budget is a fine "
            f"point to make here.</p><a href='#'>Reply</a></div>" for i in range(5_000)) + "</div></main></body></html>")),
    "br_words": ("clean", "100,000 lines of 'word N<br>' above the story",
                 lambda: _page("".join(f"word {i}<br>" for i in range(100_000)))),
    "h2_flood": ("clean", "10,000 <h2>s above the story",
                 lambda: _page("".join(f"<h2>Heading number {i} of the page</h2>" for i in range(10_000)))),
    "p_5mb": ("clean", "one 5 MB paragraph of sentences", lambda: _page("<p>" + (_LOREM + " ") * 30_000 + "</p>")),
    "meta_flood": ("clean", "20,000 published-time and author <meta>s", lambda: _page("", "".join(
        f"<meta property='article:published_time' content='2023-01-{1 + i % 28:02d}T10:00:00Z'>"
        f"<meta name='author' content='Writer Number{i}'>" for i in range(20_000)))),
    "ld_blocks": ("clean", "5,000 JSON-LD NewsArticle blocks", lambda: _page("", _ld({
        "@type": "NewsArticle", "headline": "Budget approved", "author": {"@type": "Person", "name": "Jane Doe"},
        "datePublished": "2024-03-05T10:00:00Z"}) * 5_000)),
    "title_1mb": ("clean", "a 1 MB <title>", lambda: _page("", "<title>" + "word " * 200_000 + "</title>")),
    "long_classes": ("clean", "1,000 <div>s with 10,000-character class names",
                     lambda: _page("".join(f"<div class='{'c' * 10_000} {i}'>x</div>" for i in range(1_000)))),
    "dedup_thai": ("dedup", "2,000,000 Thai characters (80-character runs between spaces)",
                   lambda: _unspaced(0x0E01, 57, 80, " ")),
    "dedup_chinese": ("dedup", "2,000,000 Chinese characters (60-character sentences)",
                      lambda: _unspaced(0x4E00, 3000, 60, "。")),
}


def child(name: str) -> dict[str, object]:
    """Run one case in this process and return its figures."""
    import resource
    import time
    from datetime import UTC, datetime

    step, _, build = CASES[name]
    data = build()
    if step == "clean":
        from newsdedup.clean import extract

        extract(_page(""), _URL)  # the clean step imports its libraries on its first page
    else:
        from newsdedup.dedup import DedupDoc, Deduplicator
    ready = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0, c0 = time.perf_counter(), time.process_time()
    if step == "clean":
        ex = extract(data, _URL)
        out = f"error={ex.error} paragraphs={len(ex.paragraphs)}"
    else:
        result = Deduplicator().add([DedupDoc("a", "x", datetime(2024, 3, 1, tzinfo=UTC), "", data)])
        out = f"kind={result[0].kind} skipped={result[0].skipped}"
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "cpu": cpu, "peak_mib": peak / 1024, "ready_mib": ready / 1024, "out": out}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", choices=sorted(CASES), help="cases to run (default: all)")
    ap.add_argument("--plugins", type=Path, help="a plugins folder to import newsdedup from instead")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return 0
    env = dict(os.environ)
    if args.plugins:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(args.plugins.resolve()), env.get("PYTHONPATH")]))
    print(f"{'case':<14} {'seconds':>8} {'CPU s':>6} {'peak RSS':>10} {'ready':>8}  output / input")
    for name in args.only or CASES:
        p = subprocess.run([sys.executable, __file__, "--child", name], env=env, capture_output=True, text=True)
        if p.returncode != 0:
            print(f"{name:<14} failed: {p.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(p.stdout.strip().splitlines()[-1])
        print(f"{name:<14} {r['seconds']:>8.1f} {r.get('cpu', 0):>6.1f} {r['peak_mib']:>6.0f} MiB {r['ready_mib']:>4.0f} MiB  "
              f"{r['out']} / {CASES[name][1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
