"""Ablation audit of the body-text rules: each rule switched off in turn, scored by publisher and fold.

The dev figures of the clean step are the sum of many rules, each written against some failing pages.
A rule whose gain comes from one or two publishers, or that helps one fold and hurts the other, was
fitted to those sites rather than to a class of pages, and it may not carry to the held-back sites.
This script switches one rule off at a time (a monkeypatch of the function, table or setting that
makes the rule's decision: the script is a benchmark, the code has no switch for it), runs our
extractor over the body sets, and prints what each rule contributes:

    .venv/bin/python benchmarks/body_ablation.py ../shared/eval/extraction/{aeb,fundus,l3s}/cases.jsonl
        [--rules NAME,...] [--jobs N] [--json OUT] [--show RULE]

For each rule and set: body F1 with the rule on minus with it off (`+`: the rule helps), whole set and
fold A / fold B (`extract_bench.fold_of`: publisher-grouped halves); the publishers (`extract_bench.group_of`:
fundus' publisher, else the URL's registrable domain) whose mean page F1 the rule raises / lowers; the
pages whose text it changes; and the whole-set gain left when the two publishers it helps most are
left out (`w/o top2`): a rule whose gain vanishes there rests on those sites. `cls` marks a rule keyed on
class or id words; run the script on `class_blind.py` copies as well to see what the rules do when no
class or id names anything. The dates set has no body gold and is skipped.

Sign convention: every figure is "rule on" minus "rule off", over the code as it stands (the other
rules on). `--show RULE` prints, for that rule, each changed page's publisher, fold and page F1 on / off.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import extract_bench as eb  # noqa: E402  - the shared loaders, folds and scorer

_NEVER = re.compile(r"(?!)")  # a pattern that matches nothing: the rule's words are gone


@dataclass(frozen=True)
class Rule:
    name: str
    what: str
    patches: Callable[[], list[tuple[Any, str, Any]]]  # (object, attribute, value while the rule is off)
    class_keyed: bool = False


def _identity_second(*args: Any, **kwargs: Any) -> Any:
    return args[1]  # f(root, paragraphs, ...) -> paragraphs


def _identity_first(*args: Any, **kwargs: Any) -> Any:
    return args[0]  # f(paragraphs, ...) -> paragraphs


def _none(*args: Any, **kwargs: Any) -> None:
    return None


def _rules() -> list[Rule]:
    from newsdedup.clean import body, settings

    class _NoThird(body._PageReads):
        def third(self) -> Any:
            return body._Support([])  # jusText has no text: it never votes

    return [
        # --- the tree, before any method runs
        Rule("prune.class_words", "prune blocks whose class/id says caption, related, share, consent, ad ...",
             lambda: [(settings, "PRUNE_CLASS", _NEVER)], class_keyed=True),
        Rule("prune.story_guard", "a pruned block with 3+ long paragraphs (or the headline's wrapper) stays",
             lambda: [(settings, "PRUNE_KEEP_LONG_PARAGRAPHS", 10**9)], class_keyed=True),
        Rule("prune.hidden", "elements with the hidden attribute and ARIA tooltips go",
             lambda: [(settings, "HIDDEN_XPATH", ".//*[false()]")]),
        Rule("prune.figcaption", "<figcaption> goes",
             lambda: [(body, "_PRUNE_TAGS", settings.PRUNE_TAGS)]),
        Rule("prune.teasers", "short <li>/<article> with a linked heading goes",
             lambda: [(body, "_TEASERS", lambda node: [])]),
        Rule("prune.card_runs", "runs of 2+ sibling <div> cards with linked headings go",
             lambda: [(body, "_drop_card_runs", _none)]),
        Rule("prune.link_lists", "<p> of 10+ links a line, 80 % link text, goes",
             lambda: [(body, "_drop_link_lists", _none)]),
        Rule("layout_tables", "tables used for layout become blocks",
             lambda: [(body, "unwrap_layout_tables", _none)]),
        Rule("prose_divs", "a prose <div> right before a <p> is read as a <p>",
             lambda: [(body, "prose_divs", _none)]),
        Rule("form_controls", "select/datalist/textarea/iframe go with the scripts",
             lambda: [(body, "_NO_TEXT_TAGS", ("script", "style", "noscript", "template", "svg"))]),
        Rule("comments_above", "a comment thread above the headline goes",
             lambda: [(body, "drop_comments_above", lambda headline: False)]),
        Rule("comment_section", "the readers' comment section found on the page is no candidate's text",
             lambda: [(body, "comment_section", _none)]),
        # --- line filters
        Rule("line.boilerplate", "short lines like 'Read more', 'Share', 'Tags: ...', '© ...' go",
             lambda: [(settings, "BOILERPLATE_LINE", _NEVER)]),
        Rule("line.lone_label", "a promo's label alone on its line ('READ MORE:', 'More:') goes",
             lambda: [(settings, "BOILERPLATE_LINE", re.compile(
                 settings.BOILERPLATE_LINE.pattern.replace(r"|more)\s*[:：]?\s*$", r")\s*$"),
                 re.I))]),
        Rule("line.boilerplate_anywhere", "lines holding 'we use cookies', 'all rights reserved' ... go",
             lambda: [(settings, "BOILERPLATE_ANYWHERE", _NEVER)]),
        Rule("line.non_text", "a bare date, image URL or template placeholder line goes",
             lambda: [(settings, "NON_TEXT_LINE", _NEVER)]),
        Rule("line.item_list", "a line of 20+ short names between separators goes",
             lambda: [(body, "_is_item_list", lambda line: False)]),
        Rule("line.caption", "a line ending in a photo credit in parentheses ('(AP Photo/...)') goes",
             lambda: [(body, "_is_caption", lambda line: False)]),
        Rule("line.embed_placeholder", "text printed in place of a player, embed or picture (Flash prompt, consent) goes",
             lambda: [(settings, "EMBED_PLACEHOLDER", _NEVER)]),
        Rule("comment_section.per_entry", "a thread's furniture stands once a comment of up to 3 paragraphs",
             lambda: [(settings, "COMMENT_PROSE_PER_ENTRY", 1)]),
        Rule("item_runs", "a run of 30+ one-to-three-word lines before/after the prose goes",
             lambda: [(body, "drop_item_runs", _identity_first)]),
        # --- the recall rescue of short texts
        Rule("rescue", "a short text is swapped for the fuller candidate (readability / default pass)",
             lambda: [(body, "keep_inside_article", lambda root, fallback, precise: precise)]),
        Rule("rescue.inside_article", "the rescue keeps only what lies in the story's <article>",
             lambda: [(body, "keep_inside_article", lambda root, fallback, precise: fallback)]),
        Rule("rescue.excerpts", "the rescue drops cut-off excerpts ('...') the precise pass lacks",
             lambda: [(body, "drop_new_excerpts", _identity_first)]),
        # --- the vote
        Rule("vote", "the whole readability vote (trim to the agreed stretch)",
             lambda: [(body, "trim_to_vote", _identity_first)]),
        Rule("vote.only_doubtful", "the vote is skipped for long texts that start and end with prose",
             lambda: [(body, "_doubtful", lambda paragraphs: True)]),
        Rule("vote.long_mixed", "a long prose-edged text with 6+ non-prose lines goes to the vote all the same",
             lambda: [(settings, "VOTE_LONG_NONPROSE_LINES", 10**9)]),
        Rule("prose.closing_quotes", "a paragraph ending in a closing “ or « (German, Danish quotes) is prose",
             lambda: [(body, "_PROSE_END", re.compile(r"[.!?…:;\"”’»)\]]\s*$"))]),
        Rule("vote.keep_share_guard", "a vote keeping under 20 % of the text is ignored (unless links)",
             lambda: [(settings, "VOTE_KEEP_SHARE", 0.0)]),
        Rule("vote.comments_end", "a comment marker line ends the article",
             lambda: [(body, "_comments_start", lambda paragraphs, first, page=None: len(paragraphs))]),
        Rule("vote.justext", "jusText votes on short prose outside the stretch and on gaps",
             lambda: [(body, "_PageReads", _NoThird)]),
        Rule("vote.detached_tail", "short-paragraph prose past a dropped line after the story, smaller than it, goes",
             lambda: [(body, "_without_detached_tail", lambda paragraphs, keep, last: keep)]),
        Rule("vote.tail_apart", "prose after the story printed at another depth than its last paragraph goes",
             lambda: [(body, "_without_tail_apart", lambda paragraphs, keep, last, root: keep)]),
        Rule("menus_beside_story", "our text is the menus: the other candidate's story instead",
             lambda: [(body, "menus_beside_story", lambda *a, **k: False)]),
        Rule("story_around_stub", "a stub left by the vote is replaced by the other candidate's story",
             lambda: [(body, "story_around_stub", _none)]),
        Rule("items_between", "headings and list items readability has between two of our paragraphs come back",
             lambda: [(body, "with_items_between", lambda kept, *a, **k: kept)]),
        Rule("subheads", "a heading whose neighbours are <p>s of two consecutive paragraphs of ours comes back",
             lambda: [(body, "with_subheads", _identity_first)]),
        Rule("subheads.divs", "a <div> of capitals or bold text between two paragraphs' <p>s is a subhead too",
             lambda: [(body, "_heading_shaped", lambda node: False)]),
        # --- after the methods
        Rule("before_headline", "paragraphs printed only above the headline go",
             lambda: [(body, "drop_before_headline", _identity_second)]),
        Rule("loose_lead", "a lead printed as bare text before the first <p> is put back",
             lambda: [(body, "with_loose_lead", _identity_second)]),
        Rule("loose_between", "a paragraph printed as bare text between two of ours is put back",
             lambda: [(body, "with_loose_between", _identity_second)]),
        Rule("continuation", "the story's continuation in sibling chunks is put back",
             lambda: [(body, "with_continuation", _identity_second)]),
        Rule("label_promos", "a label in capitals and a link's headline ('TRENDING: <headline>') goes",
             lambda: [(body, "drop_label_promos", lambda root, paragraphs: paragraphs)]),
        Rule("drop_headline", "the headline repeated among the first paragraphs goes",
             lambda: [(body, "drop_headline", _identity_first)]),
        Rule("described_story", "the run of text starting with the meta description, where ours missed it",
             lambda: [(body, "described_story", _none)]),
        Rule("no_prose_fallbacks", "noscript copy and loose <br> story when no method found prose",
             lambda: [(body, "noscript_copy", _none), (body, "loose_story", lambda root: [])]),
        Rule("second_copy", "a second copy of the story goes",
             lambda: [(body, "drop_second_copy", _identity_first)]),
        Rule("author_notes", "an author note (second half) ends the text; a first-half bio goes",
             lambda: [(body, "drop_author_notes", _identity_first)]),
        Rule("author_notes.bio", "a first-half '<author> is ...' bio and its pronoun paragraphs go",
             lambda: [(body, "_BIO_VERB", _NEVER)]),
        Rule("trailing_notices", "the trailing run of rights / sign-up / 'originally published' notices goes",
             lambda: [(body, "drop_trailing_notices", _identity_first)]),
    ]


@contextmanager
def switched_off(rule: Rule | None) -> Iterator[None]:
    if rule is None:
        yield
        return
    from newsdedup.clean import body

    saved = []
    for obj, attr, value in rule.patches():
        saved.append((obj, attr, getattr(obj, attr)))
        setattr(obj, attr, value)
    body._judged_line.cache_clear()  # line verdicts are kept across pages: none made under other rules
    try:
        yield
    finally:
        for obj, attr, value in reversed(saved):
            setattr(obj, attr, value)
        body._judged_line.cache_clear()


def run_texts(cases_by_set: dict[str, list[dict[str, Any]]], rule: Rule | None) -> dict[str, dict[str, str]]:
    from newsdedup.clean import extract

    out: dict[str, dict[str, str]] = {}
    with switched_off(rule):
        for set_name, cases in cases_by_set.items():
            out[set_name] = {c["id"]: extract(c["html"], c.get("url")).text for c in cases}
    return out


_WORK: dict[str, Any] = {}


def _run_named(name: str) -> dict[str, dict[str, str]]:
    return run_texts(_WORK["cases"], _WORK["rules"][name])


def _set_f1(scorer: Any, cases: list[dict[str, Any]], texts: dict[str, str]) -> float:
    if not cases:
        return float("nan")
    return scorer.score(cases, {i: {"text": t} for i, t in texts.items()}, n_bootstrap=0)["body"]["f1"]


def audit(scorer: Any, cases_by_set: dict[str, list[dict[str, Any]]], on: dict[str, dict[str, str]],
          off: dict[str, dict[str, str]]) -> dict[str, dict[str, Any]]:
    """Per set: the rule's F1 contribution (whole, fold A, fold B), publishers helped / hurt, pages changed."""
    rows: dict[str, dict[str, Any]] = {}
    for set_name, cases in cases_by_set.items():
        row: dict[str, Any] = {}
        for part in ("all", "A", "B"):
            subset = [c for c in cases if part == "all" or eb.fold_of(c) == part]
            row[part] = _set_f1(scorer, subset, on[set_name]) - _set_f1(scorer, subset, off[set_name])
        changed = [c for c in cases if on[set_name][c["id"]] != off[set_name][c["id"]]]
        by_group: dict[str, list[float]] = defaultdict(list)
        pages = []
        for c in changed:
            f_on = eb.page_f1(scorer, c["body"], on[set_name][c["id"]])[2]
            f_off = eb.page_f1(scorer, c["body"], off[set_name][c["id"]])[2]
            by_group[eb.group_of(c)].append(f_on - f_off)
            pages.append((eb.group_of(c), eb.fold_of(c), c["id"], f_on, f_off))
        gains = {g: statistics.mean(d) for g, d in by_group.items()}
        row["helped"] = sorted((g for g, d in gains.items() if d > 1e-9), key=lambda g: -gains[g])
        row["hurt"] = sorted((g for g, d in gains.items() if d < -1e-9), key=lambda g: gains[g])
        row["changed"] = len(changed)
        row["pages"] = pages
        top = set(row["helped"][:2])
        rest = [c for c in cases if eb.group_of(c) not in top]
        row["without_top2"] = _set_f1(scorer, rest, on[set_name]) - _set_f1(scorer, rest, off[set_name]) \
            if top else row["all"]
        rows[set_name] = row
    return rows


def _sign(x: float) -> str:
    return f"{x * 1000:+5.1f}" if x == x else "   - "


def print_table(results: dict[str, dict[str, dict[str, Any]]], rules: dict[str, Rule], sets: list[str]) -> None:
    print("Figures: body F1 x 1000, rule on minus rule off (+ = the rule helps). "
          "pub +/-: publishers whose mean page F1 the rule raises / lowers; chg: pages whose text changes;")
    print("w/o2: the whole-set gain without the two publishers it helps most. "
          "Flags: FOLD = helps one fold, hurts the other (0.5 or more each way); "
          "TOP2 = its gain rests on two publishers; NET- = more publishers hurt than helped; cls = keyed on class/id words.")
    head = f"{'rule':26}" + "".join(f" | {s:^38}" for s in sets) + " | macro all / A / B   | flags"
    print(head)
    print(f"{'':26}" + "".join(f" | {'all':>5} {'A':>5} {'B':>5} {'pub+/-':>7} {'chg':>4} {'w/o2':>5}" for _ in sets)
          + " |")
    for name, per_set in results.items():
        line = f"{name:26}"
        flags: set[str] = set()
        helped = hurt = 0
        for s in sets:
            r = per_set[s]
            line += (f" | {_sign(r['all'])} {_sign(r['A'])} {_sign(r['B'])} {len(r['helped']):>3}/{len(r['hurt']):<3} "
                     f"{r['changed']:>4} {_sign(r['without_top2'])}")
            helped += len(r["helped"])
            hurt += len(r["hurt"])
            if (r["A"] >= 0.0005 and r["B"] <= -0.0005) or (r["B"] >= 0.0005 and r["A"] <= -0.0005):
                flags.add("FOLD")
            if r["all"] >= 0.0005 and r["without_top2"] < 0.0005:
                flags.add("TOP2")
        macro = [statistics.mean(per_set[s][p] for s in sets) for p in ("all", "A", "B")]
        if hurt > helped:
            flags.add("NET-")
        if rules[name].class_keyed:
            flags.add("cls")
        print(line + f" | {' '.join(_sign(m) for m in macro)} | {helped}+/{hurt}- {' '.join(sorted(flags))}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("manifests", nargs="+", type=Path)
    ap.add_argument("--rules", help="comma-separated rule names (default: all)")
    ap.add_argument("--jobs", type=int, default=1, help="rules run in this many worker processes (default 1)")
    ap.add_argument("--json", type=Path, help="write every figure and changed page here")
    ap.add_argument("--show", help="print the changed pages of rules whose name holds this")
    ap.add_argument("--list", action="store_true", help="list the rules and exit")
    ap.add_argument("--scorer", type=Path, default=eb.DEFAULT_SCORER)
    args = ap.parse_args()
    rules = {r.name: r for r in _rules()}
    if args.list:
        for r in rules.values():
            print(f"{r.name:26} {'cls ' if r.class_keyed else '    '}{r.what}")
        return 0
    chosen = [rules[n] for n in args.rules.split(",")] if args.rules else list(rules.values())
    scorer = eb.load_scorer(args.scorer)
    cases_by_set: dict[str, list[dict[str, Any]]] = {}
    for manifest in args.manifests:
        cases = [c for c in eb.load_cases(manifest) if isinstance(c.get("body"), str)]
        if not cases:
            print(f"({manifest.parent.name}: no body gold, skipped)")
            continue
        cases_by_set[manifest.parent.name] = cases
    sets = list(cases_by_set)
    for s in sets:
        c = cases_by_set[s]
        print(f"{s}: {len(c)} pages, {len({eb.group_of(x) for x in c})} publishers "
              f"(fold A {sum(eb.fold_of(x) == 'A' for x in c)}, B {sum(eb.fold_of(x) == 'B' for x in c)})")
    on = run_texts(cases_by_set, None)
    for s in sets:
        base = {p: _set_f1(scorer, [c for c in cases_by_set[s] if p == "all" or eb.fold_of(c) == p], on[s])
                for p in ("all", "A", "B")}
        print(f"  {s} with every rule: body F1 {base['all']:.3f} (A {base['A']:.3f} / B {base['B']:.3f})")
    if args.jobs > 1:
        from multiprocessing import get_context

        _WORK.update(cases=cases_by_set, rules=rules)  # inherited by the forked workers, never pickled
        with get_context("fork").Pool(args.jobs) as pool:
            offs = pool.map(_run_named, [r.name for r in chosen])
    else:
        offs = [run_texts(cases_by_set, r) for r in chosen]
    results = {r.name: audit(scorer, cases_by_set, on, off) for r, off in zip(chosen, offs, strict=True)}
    print_table(results, rules, sets)
    if args.show:
        for name, per_set in results.items():
            if args.show in name:
                for s in sets:
                    for group, fold, pid, f_on, f_off in sorted(per_set[s]["pages"], key=lambda p: p[3] - p[4]):
                        print(f"  {name} {s} {fold} {group:30} {f_on:.3f} on / {f_off:.3f} off  {pid}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))
    raise SystemExit(main())
