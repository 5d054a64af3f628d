"""Ablation audit of the published-date and author rules: each rule or source of evidence switched off in turn.

For every rule of `clean/dates.py` and `clean/authors.py` (and the metadata they read), the rule is
switched off by monkeypatching the module (this script only; the package is untouched) and the metadata
pass is run again over the sets with gold: fundus (authors exact set, published day), dates (published
day), the 30 synthetic pages of `metadata_classes.py` (authors, day) and the dated pages of `date_classes.py` (day, "dclasses"). Printed per rule: the rule's
contribution (figure with it minus figure without it) on the whole set and on fold A / fold B
(publisher-grouped, as `extract_bench.py` splits them), and how many publishers it helps and hurts
(a publisher is helped when more of its pages are right with the rule than without). Flags:
`1-2 pubs` the rule's gain comes from one or two publishers; `hurts A` / `hurts B` its contribution on
that fold is negative; `dead` it changes no page of any set.

    PYTHONPATH=plugins .venv/bin/python benchmarks/metadata_ablation.py \
        ../shared/eval/extraction/{fundus,dates}/cases.jsonl [--only NAME] [--show NAME]

Only the metadata part of `newsdedup.clean.extract` runs (parse, title, authors, dates: they are read
before the body pass and do not depend on it), so an ablation costs a few seconds a set. With no rule
off, its answers are checked against `extract()`'s on every page.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_bench import DEFAULT_SCORER, fold_of, group_of, load_cases, load_scorer  # noqa: E402

from newsdedup.clean import authors, dates, metadata, settings  # noqa: E402
from newsdedup.clean.html import parse  # noqa: E402

NEVER = re.compile(r"(?!)")


def metadata_only(html: bytes, url: str | None) -> dict[str, Any]:
    """The authors and published date `extract()` gives, without the body pass."""
    root = parse(html)
    pm = metadata.read(root)
    title = metadata.choose_title(pm, url)
    headline = metadata.headline_finder(root, title)
    names = authors.choose_authors(root, pm, url, title, headline)
    published, _, _ = dates.choose_dates(root, pm, url, title, headline)
    return {"authors": [n for n in map(metadata.shown_text, names) if n],
            "published": published.isoformat() if published else None}


def with_title(html: bytes, url: str | None) -> dict[str, Any]:
    """`metadata_only`'s answers and the title `extract()` gives (the body pass may replace the structured one:
    the headline of a page without structured data is read from above the story)."""
    from newsdedup.clean import extract

    return {**metadata_only(html, url), "title": extract(html, url).title}


# ------------------------------------------------------------------------------------------ ablations
def _caller_is(*names: str) -> bool:
    return sys._getframe(2).f_code.co_name in names


def _clean_org_unless(*callers: str) -> Callable[[str], str | None]:
    original = authors.clean_org

    def patched(raw: str) -> str | None:
        return None if _caller_is(*callers) else original(raw)
    return patched


def _structured(use_ld: bool = True, use_meta: bool = True, other_ld: bool = True) -> Callable[[Any], Any]:
    """`dates._structured_published` with one of its sources left out."""
    def patched(pm: Any, skip: frozenset[str] = frozenset()) -> datetime | None:
        article_ld = [o.get(k) for o in pm.ld_articles if dates._rank_ok(o) for k in ("datePublished", "dateCreated")
                      if o.get(k)][:2] if use_ld else []
        meta = ([v for key in settings.META_PUBLISHED for v in pm.meta.get(key, ()) if v not in skip]
                + dates._other_meta_published(pm)) if use_meta else []
        first = next((d for d in map(dates.parse_date, article_ld + meta) if d is not None), None)
        if first is None:
            return dates.parse_date(metadata.ld_field(pm, "datePublished", "dateCreated", "uploadDate")) \
                if other_ld and use_ld else None
        for value in article_ld + meta:
            other = dates.parse_date(value) if dates._has_time(value) else None
            if other is not None and other.tzinfo is not None and first.tzinfo is not None \
                    and other < first and first - other <= timedelta(hours=settings.SAME_DAY_SPREAD_HOURS):
                first = other
        return first
    return patched


def _time_elements_no_marker(root: Any, title: str | None = None,
                             headline: Any = None, deferred: Any = None) -> tuple[datetime | None, datetime | None]:
    """`dates._time_elements` without telling modified elements from published ones: the first is published."""
    with mock.patch.object(dates, "_UPDATE_LABEL", NEVER):
        published = None
        title_key = metadata.word_key(title)
        cards: dict[Any, bool | None] = {}
        for node in dates._DATE_ELEMENTS(root):
            if dates._OTHER_STORY(node) or dates.in_teaser_card(node, title_key, cards):
                continue
            value = node.get("datetime") or node.get("content") or node.text_content()
            when = dates.parse_date(value) or dates._first_visible_date(node.text_content()[: settings.TIME_TEXT_CHARS])
            if when is not None:
                return when, None
        return published, None


_HEADER_DATES = dates._header_dates


def _header_update_unflagged(headline: Callable[[], Any], *a: Any) -> tuple[datetime | None, datetime | None]:
    """`dates._header_dates` with an update-only date given as the header's date: used, never flagged a guess."""
    shown, update = _HEADER_DATES(headline, *a)
    return shown or update, None


def _without_new_dateline_forms() -> tuple[re.Pattern[str], ...]:
    """`dates._VISIBLE_DATES` without session 37's Vietnamese and Thai forms and month names (Catalan, Hindi,
    Hebrew, Thai): the month alternation rebuilt from the names before it."""
    new_names = {"gener", "febrer", "març", "maig", "juny", "juliol", "agost", "setembre", "desembre"}
    new_names |= {n for names in settings.DATELINE_MONTH_NAMES for n in names if not n.isascii() and
                  any("\u0900" <= ch <= "\u097f" or "\u05d0" <= ch <= "\u05ea" for ch in n)}
    new_names |= {n for names in settings.THAI_MONTH_NAMES for n in names}
    month_re = "|".join(sorted((re.escape(m) for m in dates._MONTHS if m not in new_names), key=len, reverse=True))
    kept = []
    for pattern in dates._VISIBLE_DATES:
        if "tháng" in pattern.pattern or "(?P<be>" in pattern.pattern:
            continue
        kept.append(re.compile(pattern.pattern.replace(dates._MONTH_RE, month_re), pattern.flags))
    return tuple(kept)


_NO_CONJUNCTION_SPLIT = re.compile(r"\s*(?:,|;|\||/|&|\+|(?<=\s)[•·](?=\s))\s*")
_OLD_SPLIT = re.compile(r"\s*(?:,|;|\||/|&|\+|(?<=\s)[•·](?=\s)|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bog\b|\boch\b"
                        r"|\ben\b|\bi\b)\s*", re.I)

_OLD_TITLE_SUFFIX = re.compile(r"\s*(?:기자|특파원|記者|记者|특파원)$")
_OLD_BY_START = re.compile(settings.BY_START.pattern.replace(r"przez)\b", "przez)"), re.I)
_OLD_ORG_WORDS = re.compile(authors._ORG_WORDS.pattern.replace("agencies|", ""), re.I)


# name -> (kind, patches); each patch is (object, attribute, replacement)
ABLATIONS: dict[str, tuple[str, list[tuple[Any, str, Any]]]] = {
    # dates: sources of evidence
    "D tweet status-URL time": ("date", [(dates, "tweet_time", lambda url: None)]),
    "D structured (JSON-LD + meta) published": ("date", [(dates, "_structured_published", lambda pm, skip=None: None)]),
    "D JSON-LD published": ("date", [(dates, "_structured_published", _structured(use_ld=False))]),
    "D meta-tag published": ("date", [(dates, "_structured_published", _structured(use_meta=False))]),
    "D non-article JSON-LD fallback": ("date", [(dates, "_structured_published", _structured(other_ld=False))]),
    "D earliest within a day": ("date", [(settings, "SAME_DAY_SPREAD_HOURS", 0)]),
    "D <time>/itemprop elements": ("date", [(dates, "_time_elements", lambda root, title=None, **k: (None, None))]),
    "D <time>: nav/aside/footer filter": ("date", [(dates, "_OTHER_STORY", lambda node: [])]),
    "D <time>: teaser-card filter": ("date", [(dates, "in_teaser_card", lambda *a, **k: False)]),
    "D <time>: modified/updated marker": ("date", [(dates, "_time_elements", _time_elements_no_marker)]),
    "D <time>: 'Updated' label before": ("date", [(dates, "_UPDATE_LABEL", NEVER)]),
    "D date under the headline": ("date", [(dates, "_header_dates", lambda *a: (None, None))]),
    "D day in the URL": ("date", [(dates, "_url_day", lambda url: None)]),
    "D URL day overrides a far header day": ("date", [(dates, "_shown_day", lambda h, u: h if h is not None else u)]),
    "D either-order numeric dates": ("date", [(dates, "_EITHER_ORDER", NEVER)]),
    "D htmldate fallback": ("date", [(dates, "_htmldate", lambda root, url: None)]),
    "D local form from another tag": ("date", [(dates, "_local_form", lambda when, pm: when)]),
    "D offset from the page's scripts": ("date", [(dates, "_page_offset", lambda root, when: None)]),
    # authors: sources of evidence
    "A JSON-LD author": ("author", [(authors, "_ld_entries", lambda value: [])]),
    "A JSON-LD @id references": ("author", [(authors, "_referenced", lambda value, agents: value)]),
    "A JSON-LD agency beside persons": ("author", [(authors, "clean_org", _clean_org_unless("_ld_credits"))]),
    "A site's own name is no credit": ("author", [(authors, "site_like", lambda *a: False)]),
    "A author meta tags": ("author", [(settings, "META_AUTHOR", ())]),
    "A meta person unless the LD org": ("author", [(authors, "key", lambda text: "")]),
    "A byline under the headline": ("author", [(authors, "_bylines_after", lambda *a: [])]),
    "A byline elements anywhere": ("author", [(authors, "_byline_texts", lambda *a: [])]),
    "A byline: aside/li/figure filter": ("author", [(authors, "_IN_ASIDE", lambda node: [])]),
    "A organisation credit (LD / meta)": ("author", [(authors, "clean_org", _clean_org_unless("choose_authors", "<listcomp>"))]),
    "A organisation printed as byline": ("author", [(authors, "_visible_orgs", lambda texts: [])]),
    # authors: name cleaning
    "A split at and/und/et/y/...": ("author", [(authors, "_SPLIT", _NO_CONJUNCTION_SPLIT)]),
    "A agency after a name cut": ("author", [(authors, "_without_agency", lambda name: name)]),
    "A 'in/for/with/-' tail cut": ("author", [(authors, "_BYLINE_TAIL", NEVER)]),
    "A organisation words no person": ("author", [(authors, "_ORG_WORDS", NEVER)]),
    "A AUTHOR_JUNK (roles, junk)": ("author", [(settings, "AUTHOR_JUNK", NEVER)]),
    "A AUTHOR_STOPWORDS / agencies": ("author", [(settings, "AUTHOR_STOPWORDS", frozenset())]),
    "A parentheses dropped": ("author", [(authors, "_drop_parentheses", lambda text: text)]),
    "A case fixed": ("author", [(authors, "_fix_case", lambda name: name)]),
    "A footnote mark dropped": ("author", [(authors, "_NOTE_MARK", NEVER)]),
    "A CJK job-title suffix": ("author", [(authors, "_TITLE_SUFFIX", NEVER)]),
    # session 35's rules (absent from older code: shown as n/a there)
    "A meta credit starting with the site": ("author", [(authors, "_starts_with_site", lambda value, site: False)]),
    "A related-story card bylines": ("author", [(authors, "_in_other_card", lambda *a: False)]),
    "A one-letter 'and' lower case only": ("author", [(authors, "_SPLIT", _OLD_SPLIT)]),
    "A social handle dropped": ("author", [(authors, "_HANDLE", NEVER)]),
    # session 36's rules
    "A labelled field list below the story": ("author", [(authors, "_field_list_names", lambda root, site: [])]),
    "A bold name as first/last paragraph": ("author", [(authors, "_credit_paragraph_names", lambda root, site: [])]),
    "A byline's co-authors beside JSON-LD": ("author", [(authors, "_with_coauthors", lambda credits, *a: credits)]),
    "D update-only header day as a guess": ("date", [(dates, "_header_dates", _header_update_unflagged)]),
    # session 37's rules (title_author_classes.py); `--only s37` runs them alone
    "A bold line heading a list: no signature (s37)": ("author", [(authors, "_heads_a_list", lambda para: False)]),
    "A bold line of lower-case words: no name (s37)": ("author", [(authors, "_common_words", lambda names, story: False)]),
    "A Korean count of co-authors cut (s37)": ("author", [(authors, "_TITLE_SUFFIX", _OLD_TITLE_SUFFIX)]),
    "A name in capitals, papers after (s37)": ("author", [(authors, "_shouted_names", lambda pieces: None)]),
    "A 'by' word whole in BY_START (s37)": ("author", [(settings, "BY_START", _OLD_BY_START)]),
    "A 'agencies' an organisation word (s37)": ("author", [(authors, "_ORG_WORDS", _OLD_ORG_WORDS)]),
    "T 'Site: Headline' head cut (s37)": ("title", [(metadata, "_strip_site_head", lambda title, *a: title)]),
    "T field holding only the site's name (s37)": ("title", [(metadata, "_site_only_fields", lambda found, names, hosts=(): set())]),
    "T the SEO title's shown part (s37)": ("title", [(metadata, "_shown_part", lambda pm, title: title)]),
    "T <title> over a section <h1> (s37)": ("title", [(metadata, "_over_section_h1", lambda pm, found, chosen: chosen)]),
    "D meta names by pattern, parsely JSON": ("date", [(dates, "_other_meta_published", lambda pm: [])]),
    "D dotted numeric meta dates day first": ("date", [(dates, "_DOTTED_DAY_FIRST", NEVER)]),
    "D microdata dates of teaser cards": ("date", [(dates, "_card_meta_dates", lambda *a: frozenset())]),
    "D Catalan/Hindi/Hebrew/Thai/Vietnamese": ("date", [(dates, "_VISIBLE_DATES", _without_new_dateline_forms())]),
    "D numeric order from the page language": ("date", [(dates, "_numeric_order", lambda lang: None)]),
    "D lead sentence ends the byline area": ("date", [(dates, "_is_sentence", lambda chunk: False)]),
    "D hAtom <abbr title> date elements": ("date", [(dates, "_DATE_ELEMENTS", etree.XPath(
        '(//@itemprop[. = "datePublished" or . = "dateModified"] | //@pubdate)/.. | //time[@datetime]'))]),
    "D kicker date above the headline": ("date", [(dates, "_date_above", lambda headline: None)]),
    "D <time>: run of dated entries skipped": ("date", [(dates, "_dated_entries", lambda nodes: set())]),
    "D <time>: a word of the story's prose": ("date", [(dates, "_in_prose", lambda *a: False)]),
    "D <time>: own 'published' over 'updated'": ("date", [(dates, "_OWN_PUBLISHED", "\x00")]),
    # session 38's rules (class-blind copies; `--only s38` runs them alone)
    "T plain line above the story (s38)": ("title", [(metadata, "_PLAIN_HEADLINE", NEVER)]),
    "A Yoast 'Written by' card pair (s38)": ("author", [(authors, "_written_by_names", lambda pm, site: [])]),
    "A name and role line, no markup (s38)": ("author", [(authors, "_name_and_role", lambda node: False)]),
    "D byline line after a long deck (s38)": ("date", [(dates, "_byline_after_deck", lambda texts: [])]),
    "D numeric order the page's dates show (s38)": ("date", [(dates, "_shown_order", lambda root: None)]),
    "D the page's one 'Posted on' line (s38)": ("date", [(dates, "_posted_line", lambda root: None)]),
    # session 41's rules (`--only s41`); "dundated" scores date_classes' undated pages (right: no date)
    "D relative byline / lunar Hijri alone (s41)": ("date", [(dates, "_relative_after", lambda headline: None)]),
    "D events listing: no date (s41)": ("date", [(dates, "_listing_after", lambda headline: False)]),
    "D Taiwan years without 民國 (s41)": ("date", [
        (dates, "_VISIBLE_DATES", tuple(p for p in dates._VISIBLE_DATES if "roc" not in p.groupindex)),
        (dates, "_ROC_NUMERIC", NEVER)]),
    "T 'H :: Site', ' › ', ' // ' (s41)": ("title", [
        (metadata, "_TITLE_SEP", re.compile(r"\s+[|\-–—·•»*]\s+|\s*[|ㅣ｜：]\s*"))]),
    "T line break in a heading (s41)": ("title", [
        (metadata, "shown_words", lambda node: metadata.clean_ws(node.text_content()))]),
    "T 'The' + host names the site (s41)": ("title", [(metadata, "_SITE_ARTICLES", frozenset())]),
    "A name alone over the date (s41)": ("author", [(authors, "_name_over_date", lambda headline: None)]),
    "A JSON-LD 'Last, First' (s41)": ("author", [(authors, "_last_first", lambda value: None)]),
    # session 42's rules (`--only s42`)
    "D another story's JSON-LD article first (s42)": ("date", [(metadata, "_other_stories", lambda pm, articles: set())]),
    "A another story's JSON-LD article first (s42)": ("author", [(metadata, "_other_stories", lambda pm, articles: set())]),
    "T another story's JSON-LD article first (s42)": ("title", [(metadata, "_other_stories", lambda pm, articles: set())]),
    "D <time> above the headline by a story link (s42)": ("date", [(dates, "_beside_other_story", lambda *a: False)]),
    "D <amp-timeago datetime> (s42)": ("date", [(dates, "_DATE_ELEMENTS", etree.XPath(
        '(//@itemprop[. = "datePublished" or . = "dateModified"] | //@pubdate)/.. | //abbr[@title] | //time[@datetime]'))]),
    "A date label ends the byline's name (s42)": ("author", [(settings, "BYLINE_DATE_LABEL", NEVER)]),
    "A no name holds 'by' (s42)": ("author", [(authors, "_INNER_BY", NEVER)]),
    "T a field holding only the host's name (s42)": ("title", [(metadata, "_site_only_fields", (
        lambda found, names, hosts=(), _fields=metadata._site_only_fields: _fields(found, names)))]),
}


@contextmanager
def ablated(name: str | None) -> Iterator[None]:
    with ExitStack() as stack:
        for obj, attr, value in (ABLATIONS[name][1] if name else []):
            stack.enter_context(mock.patch.object(obj, attr, value))
        yield


# ------------------------------------------------------------------------------------------ scoring
Cells = dict[tuple[str, str], bool]  # (set, page id) -> right


def synthetic_pages() -> list[dict[str, Any]]:
    import metadata_classes

    out = []
    for name, build in metadata_classes.PAGES.items():
        html, url, gold = build()
        out.append({"id": name, "html": html.encode(), "url": url, "title": gold.title, "authors": list(gold.authors),
                    "published": gold.published, "publisher": name})
    return out


def title_author_pages() -> list[dict[str, Any]]:
    """`title_author_classes.py`'s pages; their gold of no author (a trap page crediting no one) is scored too."""
    import title_author_classes

    out = []
    for name, build in title_author_classes.PAGES.items():
        html, url, title, names = build()
        out.append({"id": name, "html": html.encode(), "url": url, "title": title, "authors": list(names),
                    "no_author_gold": not names, "publisher": name})
    return out


def date_class_pages() -> list[dict[str, Any]]:
    import date_classes

    return [{"id": name, "html": html.encode(), "url": url, "published": gold, "publisher": name,
             "undated": gold is None}
            for name, build in date_classes.PAGES.items() for html, url, gold in [build()]]


def run(sets: dict[str, list[dict[str, Any]]], sc: Any, name: str | None, titles: bool = False
        ) -> tuple[Cells, Cells, Cells, dict[Any, Any]]:
    """Per page: authors exact-set right, published day right, title exact (with `titles`: the whole
    extraction runs), and the answers."""
    auth: Cells = {}
    day: Cells = {}
    title: Cells = {}
    answers: dict[Any, Any] = {}
    with ablated(name):
        for set_name, cases in sets.items():
            for case in cases:
                pred = (with_title if titles else metadata_only)(case["html"], case.get("url"))
                answers[(set_name, case["id"])] = pred
                if titles and case.get("title"):
                    title[(set_name, case["id"])] = sc.ws(case["title"]) == sc.ws(pred["title"] or "")
                if case.get("authors") or case.get("no_author_gold"):
                    auth[(set_name, case["id"])] = sc.author_set(case["authors"]) == sc.author_set(pred["authors"])
                if case.get("published"):
                    day[(set_name, case["id"])] = bool(sc.same_day(case["published"], pred["published"]))
                elif case.get("undated"):  # a page with no publication date: right when none is given
                    day[(set_name, case["id"])] = pred["published"] is None
    return auth, day, title, answers


def figures(cells: Cells, cases: dict[tuple[str, str], dict[str, Any]], set_name: str) -> tuple[int, int, int, int, int]:
    """Right pages: whole set, fold A, fold B; and page counts of fold A, fold B."""
    keys = [k for k in cells if k[0] == set_name]
    a = [k for k in keys if fold_of(cases[k]) == "A"]
    b = [k for k in keys if fold_of(cases[k]) == "B"]
    return sum(cells[k] for k in keys), sum(cells[k] for k in a), sum(cells[k] for k in b), len(a), len(b)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("manifests", nargs="+", type=Path)
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    ap.add_argument("--only", help="run only the ablations whose name holds this (alternatives split by |)")
    ap.add_argument("--show", help="list the pages an ablation whose name holds this changes")
    ap.add_argument("--no-check", action="store_true", help="skip checking the baseline against extract()")
    args = ap.parse_args()
    logging.disable(logging.WARNING)
    sc = load_scorer(args.scorer)
    sets = {m.parent.name: load_cases(m) for m in args.manifests}
    sets["classes"] = synthetic_pages()
    sets["ta-classes"] = title_author_pages()
    dclasses = date_class_pages()
    sets["dclasses"] = [c for c in dclasses if not c["undated"]]
    sets["dundated"] = [c for c in dclasses if c["undated"]]
    cases = {(s, c["id"]): c for s, cs in sets.items() for c in cs}
    base_auth, base_day, _, base_answers = run(sets, sc, None)
    _, _, base_title, base_title_answers = run(sets, sc, None, titles=True)
    base_cells_of = {"authors": base_auth, "day": base_day, "title": base_title}
    if not args.no_check:
        from newsdedup.clean import extract

        for (s, cid), pred in base_answers.items():
            ex = extract(cases[(s, cid)]["html"], cases[(s, cid)].get("url"))
            full = {"authors": ex.authors, "published": ex.published.isoformat() if ex.published else None}
            if full != pred:
                print(f"warning: metadata-only answer differs from extract() on {s}/{cid}: {pred} vs {full}")
    columns = [(s, f) for s in sets for f, cells in base_cells_of.items() if any(k[0] == s for k in cells)]
    print("Baseline (right pages, whole / fold A / fold B):")
    for s, f in columns:
        whole, a, b, na, nb = figures(base_cells_of[f], cases, s)
        n = na + nb
        print(f"  {s:8s} {f:8s} {whole}/{n} = {whole / n:.3f}   A {a}/{na} = {a / na if na else 0:.3f}"
              f"   B {b}/{nb} = {b / nb if nb else 0:.3f}")
    print()
    print("Contribution of each rule = right pages with it - without it (whole A/B); +pubs/-pubs = publishers"
          " it helps/hurts")
    for name, (kind, _) in ABLATIONS.items():
        if args.only and not any(part in name.lower() for part in args.only.lower().split("|")):
            continue
        if not all(hasattr(obj, attr) for obj, attr, _ in ABLATIONS[name][1]):
            print(f"{name:40s} n/a (not in this code)")
            continue
        auth, day, title, answers = run(sets, sc, name, titles=kind == "title")
        base_answers_now = base_title_answers if kind == "title" else base_answers
        field = {"author": "authors", "date": "day", "title": "title"}[kind]
        base_cells, cells = base_cells_of[field], {"authors": auth, "day": day, "title": title}[field]
        flags: set[str] = set()
        parts = []
        changed = sum(answers[k] != base_answers_now[k] for k in answers)
        for s, f in columns:
            if f != field:
                continue
            w0, a0, b0, _, _ = figures(base_cells, cases, s)
            w1, a1, b1, _, _ = figures(cells, cases, s)
            per_pub: dict[str, int] = defaultdict(int)
            for k in base_cells:
                if k[0] == s:
                    per_pub[group_of(cases[k])] += base_cells[k] - cells[k]
            helped = sum(v > 0 for v in per_pub.values())
            hurt = sum(v < 0 for v in per_pub.values())
            parts.append(f"{s}:{f} {w0 - w1:+d} ({a0 - a1:+d}/{b0 - b1:+d}) +{helped}/-{hurt}")
            if s not in ("classes", "ta-classes", "dclasses", "dundated"):
                if w0 - w1 > 0 and helped <= 2:
                    flags.add(f"{s}:1-2 pubs")
                if a0 - a1 < 0:
                    flags.add(f"{s}:hurts A")
                if b0 - b1 < 0:
                    flags.add(f"{s}:hurts B")
        if not changed:
            flags.add("dead")
        print(f"{name:40s} {' | '.join(parts)}  changed {changed}  {' '.join(sorted(flags))}")
        if args.show and args.show.lower() in name.lower():
            for k in answers:
                if answers[k] != base_answers_now[k]:
                    good = base_cells.get(k)
                    print(f"    {k[0]}/{k[1]} [{group_of(cases[k])}] with rule {'right' if good else 'wrong' if good is False else '-'}:"
                          f" {base_answers_now[k]} -> without: {answers[k]}")


if __name__ == "__main__":
    main()
