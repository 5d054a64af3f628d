"""Seconds and peak RSS of the clean and dedup steps on hostile inputs, one child process each.

    nice .venv/bin/python benchmarks/hostile_pages.py [--only NAME ...] [--plugins DIR] [--sweep]

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


def _above(before: str) -> str:
    """A page whose `before` stands above the headline, the story below it."""
    story = "".join(f"<p>Paragraph {i} of the story. {_LOREM}</p>" for i in range(3))
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'></head><body>{before}<main><article>"
            f"<h1>Budget approved</h1>{story}</article></main></body></html>")


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
    # session 43 (tests/clean/test_hostile_rules.py): the rules of sessions 38-42, each case built at a scale
    # (`--sweep` runs 1x, 2x and 4x to show how the cost grows)
    "lede_items": ("clean", "N x 20,000 <li>s of a linked headline and a <span> lede above the story (_drop_lede_runs)",
                   lambda k=1: _page("<ul>" + "".join(
                       f"<li><a href='/s/{i}'>Headline number {i} of another story</a><span>A lede sentence of the "
                       f"other story that runs on, number {i}.</span></li>" for i in range(20_000 * k)) + "</ul>")),
    "lede_deep": ("clean", "200 nested <li>s of a linked headline and a <div> lede around N MB of words (_drop_lede_runs)",
                  lambda k=1: _page("<ul><li><a href='/s/x'>Headline of another story here</a><div>A lede sentence."
                                    * 80 + "word " * (200_000 * k) + "</div></li></ul>" * 80)),
    "card_divs": ("clean", "N x 20,000 <div>s of a linked <h3> and a lede above the story (_drop_card_runs)",
                  lambda k=1: _page("<div>" + "".join(
                      f"<div><h3><a href='/s/{i}'>Headline {i} of another story</a></h3><p>A lede, number {i}.</p></div>"
                      for i in range(20_000 * k)) + "</div>")),
    "card_deep": ("clean", "200 nested <div>s each with a linked <h3>, around N MB of words (_drop_card_runs)",
                  lambda k=1: _page("<div><h3><a href='/s/x'>Headline of another story</a></h3>" * 200
                                    + "word " * (200_000 * k) + "</div>" * 200)),
    "pair_items": ("clean", "N x 15,000 <li> cards of two <p>s each one link to one address (_drop_linked_pairs)",
                   lambda k=1: _page("<ul>" + "".join(
                       f"<li><div><p><a href='/s/{i}'>Headline {i} of another story</a></p><p><a href='/s/{i}'>A lede "
                       f"of the other story, number {i}.</a></p></div></li>" for i in range(15_000 * k)) + "</ul>")),
    "pair_deep": ("clean", "200 nested <div>s each with a linked pair, around N MB of words (_drop_linked_pairs)",
                  lambda k=1: _page("<div><p><a href='/s/x'>Headline of another story</a></p><p><a href='/s/x'>Its "
                                    "lede</a></p>" * 200 + "word " * (200_000 * k) + "</div>" * 200)),
    "time_beside": ("clean", "N x 10,000 <div>s of another story's link and a <time> above the headline "
                    "(dates._beside_other_story)", lambda k=1: _above("".join(
                        f"<div><a href='/s/{i}'>Another story headline number {i}</a> <time datetime='2023-01-"
                        f"{1 + i % 28:02d}T10:00:00Z'>Jan {1 + i % 28}</time></div>" for i in range(10_000 * k)))),
    "time_deep": ("clean", "200 nested <div>s each with a <time>, around a link of N MB of words, above the headline "
                  "(dates._beside_other_story)", lambda k=1: _above(
                      "<div><time datetime='2023-01-02T10:00:00Z'>Jan 2</time>" * 200 + "<a href='/s/x'>"
                      + "word " * (200_000 * k) + "</a>" + "</div>" * 200)),
    "ld_others": ("clean", "N x 2,000 JSON-LD NewsArticles of other headlines (metadata._other_stories)",
                  lambda k=1: _page("", _ld({"@graph": [
                      {"@type": "NewsArticle", "headline": f"Another story number {i} about the river",
                       "datePublished": "2024-03-01T10:00:00Z"} for i in range(2_000 * k)]}))),
    "field_labels": ("clean", "N x 20,000 field-list <li>s of a <strong> label (authors._field_labels)",
                     lambda k=1: _page("<ul>" + "".join(
                         f"<li><strong>Author</strong> Writer Person{i}</li><li><strong>Date</strong> 5 March</li>"
                         for i in range(10_000 * k)) + "</ul>")),
    "label_deep": ("clean", "200 nested <strong>s around N MB of words (authors._field_labels)",
                   lambda k=1: _page("<p>" + "<strong>" * 200 + "word " * (200_000 * k) + "</strong>" * 200 + "</p>")),
    "caption_lines": ("clean", "N x 3,000 <p>s of 590 characters ending '(photo photo ... photo.)' (body._is_caption)",
                      lambda k=1: _page("".join(
                          f"<p>Line {i:05d} (" + "photo " * 96 + "x.)</p>" for i in range(3_000 * k)))),
    "embed_lines": ("clean", "N x 3,000 <p>s of 590 characters of 'get flash ' (settings.EMBED_PLACEHOLDER)",
                    lambda k=1: _page("".join(f"<p>{i:05d} " + "get flash " * 58 + "</p>" for i in range(3_000 * k)))),
    "link_lines": ("clean", "N x 10,000 <p>s of a 6-word link and 3 words (body._unlinked_chars, the vote)",
                   lambda k=1: _page("".join(
                       f"<p><a href='/s/{i}'>Read the other story number {i}</a> and more here</p>"
                       for i in range(10_000 * k)))),
    "one_line": ("clean", "one <p> of a single N x 2.5 MB line of words (no sentence end)",
                 lambda k=1: _page("<p>" + "word " * (500_000 * k) + "</p>")),
    "dedup_thai": ("dedup", "2,000,000 Thai characters (80-character runs between spaces)",
                   lambda: _unspaced(0x0E01, 57, 80, " ")),
    "dedup_chinese": ("dedup", "2,000,000 Chinese characters (60-character sentences)",
                      lambda: _unspaced(0x4E00, 3000, 60, "。")),
}


def _scalable(name: str) -> bool:
    """Whether a case's builder takes a scale (the cases added in session 43)."""
    import inspect

    return bool(inspect.signature(CASES[name][2]).parameters)


def child(name: str, scale: int = 1) -> dict[str, object]:
    """Run one case at `scale` in this process and return its figures."""
    import resource
    import time
    from datetime import UTC, datetime

    step, _, build = CASES[name]
    data = build(scale) if _scalable(name) else build()
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
    ap.add_argument("--sweep", action="store_true",
                    help="run the cases that take a scale at 1x, 2x and 4x (the others once) to show growth")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--scale", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.scale)))
        return 0
    env = dict(os.environ)
    if args.plugins:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(args.plugins.resolve()), env.get("PYTHONPATH")]))
    print(f"{'case':<17} {'seconds':>8} {'CPU s':>6} {'peak RSS':>10} {'ready':>8}  output / input")
    for name in args.only or CASES:
        for scale in (1, 2, 4) if args.sweep and _scalable(name) else (1,):
            label = f"{name} {scale}x" if _scalable(name) else name
            p = subprocess.run([sys.executable, __file__, "--child", name, "--scale", str(scale)], env=env,
                               capture_output=True, text=True)
            if p.returncode != 0:
                print(f"{label:<17} failed: {p.stderr.strip().splitlines()[-1:]}")
                continue
            r = json.loads(p.stdout.strip().splitlines()[-1])
            print(f"{label:<17} {r['seconds']:>8.1f} {r.get('cpu', 0):>6.2f} {r['peak_mib']:>6.0f} MiB "
                  f"{r['ready_mib']:>4.0f} MiB  {r['out']} / {CASES[name][1]}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
