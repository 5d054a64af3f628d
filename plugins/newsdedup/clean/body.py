"""Main text as paragraphs: our DOM pruning, trafilatura's body scorer, then our paragraph filter.

trafilatura (2.3.x) is used through its public API only (`bare_extraction`): its precise single
pass (`fast=True`, no readability/jusText fallback) scored aeb body F1 0.967 against 0.960 for its
default, because the fallbacks swap a right short body for a whole-page dump; the fallbacks still
rescue bodies the single pass cut short, so we run them only then.

readability's article votes on the edges of that text (`trim_to_vote`); jusText's classification,
a third method, is asked only about prose the two disagree on outside the article.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache, cached_property, lru_cache, partial
from itertools import chain, islice
from typing import TYPE_CHECKING

from lxml import etree
from lxml.html import HtmlElement

from newsdedup.clean import settings
from newsdedup.clean.authors import clean_name
from newsdedup.clean.metadata import TEXTS_WITH, title_element, word_key

if TYPE_CHECKING:
    from lxml.etree import _Element
    from trafilatura.settings import Extractor

_WS = re.compile(r"[ \t\u00a0\u2009\u202f\u200b]+")
_TOKENS = re.compile(r"\w+")
# What the vote counts and compares: words, and each character of a script written without spaces
# (kanji, kana). A Japanese story of 800 characters is some 40 \w+ runs (split only at 、 and 「),
# as many as 40 menu items of two characters each, so the vote read the story as one block of a
# long text and let the site's 381 menu lines through (mainichi.jp with its class names hashed).
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_VOTE_TOKENS = re.compile(rf"[{_UNSPACED}]|[^\W{_UNSPACED}]+")
_TRUNCATED = re.compile(r"(?:…|\.\.\.|\[…\]|\[\.\.\.\])\s*$")
_PRUNE_TAGS = ("figcaption", *settings.PRUNE_TAGS)
# XPath expressions are compiled once: `element.xpath(text)` compiles its text on every call.
_TEASER_PATHS = tuple(etree.XPath(f".//{tag}[{settings.TEASER_TEST}]") for tag in settings.TEASER_TAGS)
# The test `_TEASERS` answers in one walk (below): the XPaths above are asked only for another test.
_SHIPPED_TEASER_TEST = ".//h2[.//a] or .//h3[.//a] or .//h4[.//a] or .//a[.//h2] or .//a[.//h3] or .//a[.//h4]"
_TEASER_HEADINGS = ("h2", "h3", "h4")
_TEASER_WALK = settings.TEASER_TEST == _SHIPPED_TEASER_TEST  # else the XPaths, as the paths are, from import time


def _TEASERS(body: HtmlElement) -> list[HtmlElement]:  # noqa: N802 (benchmarks/body_ablation.py swaps it)
    """The teaser <li>s and <article>s of `body` (`settings.TEASER_TAGS`, `settings.TEASER_TEST`), in document
    order: those holding an <h2>-<h4> that holds a link, or a link that holds one.

    Found from the headings up: each heading's ancestors (below `body`) above it, once it holds a link, or above
    the first link that holds it. A walk stops at a node an earlier walk passed in the same state (linked or not),
    so the walks read each element at most twice. The six XPaths of the test (one per tag: libxml2 merges the
    node-sets of a union `|` by comparing each node with every one found before, 80,000 teaser <li>s each holding
    an <article> took 35 s, session 43) asked every <li> and <article> for its headings and links: 0.3 ms of a
    median page, now some 0.05 ms (session 44)."""
    if not _TEASER_WALK:  # another test (set before this module was imported): asked as written
        found = [path(body) for path in _TEASER_PATHS]
        hits = [nodes for nodes in found if nodes]
        if len(hits) < 2:
            return hits[0] if hits else []
        wanted = set(chain.from_iterable(hits))
        return [node for node in body.iter(*settings.TEASER_TAGS) if node in wanted]
    tags = settings.TEASER_TAGS
    wanted = set()
    passed: set[tuple[HtmlElement, bool]] = set()
    for heading in body.iter(*_TEASER_HEADINGS):
        linked = next(heading.iter("a"), None) is not None
        for node in heading.iterancestors():
            if node is body or (node, linked) in passed:
                break
            passed.add((node, linked))
            if linked:
                if node.tag in tags:
                    wanted.add(node)
            elif node.tag == "a":
                linked = True
    if not wanted:
        return []
    return [node for node in body.iter(*tags) if node in wanted]

# Headings that are links, or hold one (teaser cards' headlines); and a block's leading link of a
# headline's length with a block after it (`<div><a><b>Headline</b></a><p>Summary</p></div>`).
# The leading links are an XPath; the headings are found by `_linked_headings` in one walk.
_LEADING_LINKS = etree.XPath(
    ".//div/*[1][self::a][string-length(normalize-space(.)) >= 20]"
    "[not(preceding-sibling::text()[normalize-space()])][following-sibling::*[1][self::p or self::div]]")


def _linked_headings(body: HtmlElement) -> list[HtmlElement]:
    """What `.//h2[.//a]|.//h3[.//a]|.//h4[.//a]|.//a[.//h2 or .//h3 or .//h4]|` `_LEADING_LINKS` finds under
    `body`, in document order: the <h2>-<h4>s holding a link, the links holding one (each heading's ancestors,
    a walk stopping at an element an earlier walk passed) and the leading links. As one XPath it cost 0.3 ms
    of a median page more (libxml2 asked every link for headings and merged the five node-sets, session 44)."""
    found = set(_LEADING_LINKS(body))
    passed: set[HtmlElement] = set()
    for heading in body.iter(*_TEASER_HEADINGS):
        if next(heading.iter("a"), None) is not None:
            found.add(heading)
        for node in heading.iterancestors():
            if node is body or node in passed:
                break
            passed.add(node)
            if node.tag == "a":
                found.add(node)
    if not found:
        return []
    return [node for node in body.iter(*_TEASER_HEADINGS, "a") if node in found]
_PARAGRAPHS_WITH = etree.XPath("//p[contains(., $w)]")
_LINKS = etree.XPath("count(.//a)")
_BREAKS = etree.XPath("count(.//br)")
# The texts under links: ".//a//text()" took 5 minutes on one paragraph of 300,000 links (libxml2 merges
# each link's texts with all found before); a predicate on one descendant step is read linearly.
_LINK_TEXTS = etree.XPath(".//text()[ancestor::a]", smart_strings=False)
_LONG_CELL = etree.XPath("boolean(.//td[string-length(.) >= $n])")


def prune(root: HtmlElement) -> None:
    """Remove captions, credits, teaser lists and consent boxes that trafilatura keeps.

    A Python pass over the candidate tags with one compiled regex: the same selection as an EXSLT
    `re:test` XPath over every element at less than half its cost. A page repeats its class names (a
    grid's "col-md-6" on hundreds of elements): each distinct pair is matched once.
    """
    body = root.find("body")
    if body is None:
        return
    matched = []
    verdicts: dict[tuple[str | None, str | None], bool] = {}
    pattern = settings.PRUNE_CLASS
    folded = _case_sensitive(pattern)
    for node in body.iter(*_PRUNE_TAGS):  # document order: a wrapper comes before its children
        if node.tag == "figcaption":
            matched.append(node)
            continue
        names = (node.get("class"), node.get("id"))
        if names == (None, None):
            continue
        verdict = verdicts.get(names)
        if verdict is None:
            verdict = verdicts[names] = _prune_class(f" {names[0] or ''} {names[1] or ''} ", pattern, folded)
        if verdict:
            matched.append(node)
    # Hidden text and tooltips go with the pruned blocks, under the same story guard (a story a script
    # reveals stays); read at call time, so a pattern set at run time is the one used. The windows over the
    # page (settings.DIALOG_XPATH) are found in the same pass over the attributes (two cost 60 % more).
    shown = body.xpath(f"{settings.HIDDEN_XPATH} | {settings.DIALOG_XPATH}")
    # The page's top heading (its <h1>, or its first <h2> when it has none: 2008 layouts) and the
    # elements that wrap it: the page's or the article's wrappers, never a box beside them.
    top = next(body.iter("h1"), None)
    if top is None:
        top = next(body.iter("h2"), None)
    wrappers = set(top.iterancestors()) if top is not None else set()
    story_kept: bool | None = None  # whether the outermost matched wrapper of the heading stayed
    long = _long_paragraph_counts(body)
    # A window over the page that holds long paragraphs goes unless it wraps the top heading or holds an <h1> of
    # its own (an article opened in a modal over the listing it was clicked from, whose <h1> comes first): the
    # story guard below would keep it. A short one is left to the line rules and the vote (unless it is hidden
    # too).
    windows = set()
    headed: set[HtmlElement] | None = None  # the elements holding an <h1>, found once when a window needs it
    for node in shown:
        if node.tag == "dialog" or node.get("role") in ("dialog", "alertdialog") or node.get("aria-modal") == "true":
            if long.get(node, 0) >= settings.PRUNE_KEEP_LONG_PARAGRAPHS and node not in wrappers:
                if headed is None:
                    headed = _holders(body, "h1")
                if node not in headed:
                    windows.add(node)
            if node.get("hidden", "until-found") == "until-found":
                continue
        matched.append(node)
    matched.extend(windows)
    for node in matched:
        if node.getparent() is None:
            continue
        # A boilerplate-sounding class on the article wrapper must not take the article with it.
        if long.get(node, 0) >= settings.PRUNE_KEEP_LONG_PARAGRAPHS and node not in windows:
            continue
        if node in wrappers:
            # Its runs of text are read once, for the outermost such wrapper: the wrappers inside it
            # share its fate (a hostile page nests hundreds around the headline).
            if story_kept is None:
                story_kept = _long_runs(node) >= settings.PRUNE_KEEP_LONG_PARAGRAPHS
            if story_kept:
                continue
        node.drop_tree()  # keeps the node's tail text, which belongs to the surrounding flow
    # A teaser is measured by its text, not the template's indentation (a book list's pretty-printed <li>s).
    for node in _TEASERS(body):
        if node.getparent() is not None and _visible_upto(node, settings.TEASER_MAX_CHARS) < settings.TEASER_MAX_CHARS:
            node.drop_tree()
    _drop_card_runs(body)
    _drop_lede_runs(body)
    _drop_linked_pairs(body)
    _drop_link_lists(body)


@cache
def _case_sensitive(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """`pattern` without re.I, for ASCII class names lower-cased first: the same verdicts at a third of the
    cost (0.6 to 0.2 ms a fundus page: a case-insensitive alternation compares every character both ways).
    None when the pattern is not all lower case or not case-insensitive (lower-casing the names would then
    change what it finds). Read per page from the setting, so a pattern set at run time is the one used."""
    if not pattern.flags & re.IGNORECASE or pattern.pattern != pattern.pattern.lower():
        return None
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


def _prune_class(names: str, pattern: re.Pattern[str], folded: re.Pattern[str] | None) -> bool:
    """Whether `pattern` (settings.PRUNE_CLASS) finds a token in an element's " class id " string; names
    with other characters than ASCII keep re.I, which also folds a few non-ASCII letters (U+212A KELVIN
    SIGN) to ASCII."""
    if folded is not None and names.isascii():
        return folded.search(names.lower()) is not None
    return pattern.search(names) is not None


def _drop_link_lists(body: HtmlElement) -> None:
    """Remove <p>s that are lines of links: `settings.LINK_LIST_MIN_LINKS` links a line or more and
    `settings.LINK_LIST_SHARE` of their text (spaces aside) link text.

    Such a paragraph is navigation whatever its length: one line of 300,000 links separated by spaces
    has no item separator or sentence end for the line rules, and passed as prose. Read before any
    method runs, it costs them nothing (they spent 20 s on it). Links inside sentences are a small share
    of them; a list of a link or two a line (`<br>`s between them) is left to the line rules, which see
    its lines (the eval pages' menus printed so keep the lines they kept).
    """
    for para in list(body.iter("p")):
        if _LINKS(para) < settings.LINK_LIST_MIN_LINKS * (1 + _BREAKS(para)):
            continue
        linked = _visible_chars("".join(_LINK_TEXTS(para)))
        if linked >= settings.LINK_LIST_SHARE * _visible_chars(para.text_content()) and para.getparent() is not None:
            para.drop_tree()


def _holders(root: HtmlElement, tag: str) -> set[HtmlElement]:
    """The elements of `root` that hold a `tag` element: each element is met once, however many such elements
    it holds (an ancestor already met has its own ancestors met too)."""
    holders: set[HtmlElement] = set()
    for found in root.iter(tag):
        for node in found.iterancestors():
            if node in holders:
                break
            holders.add(node)
    return holders


def _visible_chars(text: str) -> int:
    """How many characters of `text` are not white space."""
    return len(text) - sum(map(text.count, (" ", "\n", "\t", "\r", "\u00a0")))


def _visible_upto(node: HtmlElement, limit: int) -> int:
    """`_visible_chars(node.text_content())`, or a number of `limit` or more once the count reaches it.

    The teaser rules ask whether a block is under a size, for every card a linked heading or a linked pair has
    up to `settings.CARD_LEVELS` above it: whole, 200 nested cards around a megabyte of words read it 200 times
    (4 s a megabyte, session 43). Read piece by piece up to the limit, each card reads some 400 characters."""
    total = 0
    # Pieces are counted a batch at a time, a batch ending where its raw length could reach the limit: white
    # space is never more than the raw length, so the count stops at the same piece as counted one by one and
    # gives the same number (a piece of a few characters cost more in calls than in counting).
    batch: list[str] = []
    raw = 0
    for piece in node.itertext():
        batch.append(piece)
        raw += len(piece)
        if total + raw >= limit:
            total += _visible_chars("".join(batch))
            if total >= limit:
                return total
            batch.clear()
            raw = 0
    return total + _visible_chars("".join(batch)) if batch else total


def _drop_card_runs(body: HtmlElement) -> None:
    """Teaser cards printed as <div>s: two or more sibling blocks, each a short text with a linked heading.

    One such block may be the story's own (a linked subheading); a run of them is a list of other stories.
    Each linked heading's <div> ancestors (up to `settings.CARD_LEVELS` up, while under
    `settings.TEASER_MAX_CHARS`) are its cards; their sizes are measured once each, in characters that are not
    white space: a template that indents every tag by its depth made a card of a headline and a sentence 466
    characters long (NDR's "Mehr zum Thema" on the class-blind copies, session 42).
    """
    sizes: dict[HtmlElement, int] = {}
    runs: dict[HtmlElement, set[HtmlElement]] = {}
    for heading in _linked_headings(body):
        for level, node in enumerate(heading.iterancestors()):
            if level >= settings.CARD_LEVELS or node is body:
                break
            if node.tag != "div":
                continue
            if node not in sizes:
                sizes[node] = _visible_upto(node, settings.TEASER_MAX_CHARS)
            if sizes[node] >= settings.TEASER_MAX_CHARS:
                break
            parent = node.getparent()
            if parent is not None:
                runs.setdefault(parent, set()).add(node)
    for run in runs.values():
        if len(run) >= 2:
            for node in run:
                if node.getparent() is not None:
                    node.drop_tree()


_LEDE_BLOCKS = ("p", "li")
_LEDE_BREAKS = ("br", "span", "div", "p", "small", "em", "i")


def _drop_lede_runs(body: HtmlElement) -> None:
    """Teasers printed as blocks of a linked headline and its lede: `settings.LEDE_RUN_MIN` or more `<p>`s or
    `<li>`s of one parent, each opening with a link of `settings.LEDE_HEADLINE_WORDS` words or more and
    going on, after a `<br>` or in an element of its own, with text under `settings.TEASER_MAX_CHARS` (all
    sizes here in characters that are not white space: see `_drop_card_runs`).

    A 2008 tabloid's "Must read" (`<p><a>headline</a><br>lede</p>`) and a theme's "Breaking News" (`<li><a>
    headline</a><span>lede...</span></li>`) were pruned by their class names; with names no rule knows every
    method kept them beside the story, each lede a sentence of prose (session 42, the class-blind copies).
    A story's paragraph that opens with a linked name goes on in the same sentence (text right after the
    link), and a reading list's item after a colon: neither is such a block. One pass over the `<p>`s and `<li>`s.
    """
    runs: dict[HtmlElement, list[HtmlElement]] = {}
    for block in body.iter(*_LEDE_BLOCKS):  # fewer than the links: 40 % faster than from each link
        if len(block) == 0 or (block.text or "").strip():
            continue
        link = block[0]
        if link.tag != "a" or (link.tail or "").strip():
            continue
        after = link.getnext()
        if after is None or after.tag not in _LEDE_BREAKS:
            continue
        headline = link.text_content()
        if len(headline.split()) < settings.LEDE_HEADLINE_WORDS:
            continue
        size = _visible_upto(block, settings.TEASER_MAX_CHARS)
        if size >= settings.TEASER_MAX_CHARS or size - _visible_chars(headline) < settings.LEDE_MIN_CHARS:
            continue
        parent = block.getparent()
        if parent is not None:
            runs.setdefault(parent, []).append(block)
    for blocks in runs.values():
        if len(blocks) >= settings.LEDE_RUN_MIN:
            for block in blocks:
                if block.getparent() is not None:
                    block.drop_tree()


def _sole_link(block: HtmlElement) -> HtmlElement | None:
    """The one `<a>` that is all of `block`'s content (no text or element beside it), else None."""
    if len(block) != 1 or (block.text or "").strip():
        return None
    link = block[0]
    if link.tag != "a" or (link.tail or "").strip() or not link.get("href"):
        return None
    return link


def _drop_linked_pairs(body: HtmlElement) -> None:
    """Teaser cards of two `<p>`s that are each one link to the same address: the headline and its lede
    (`<li><div><p><a href=X>headline</a></p><p><a href=X>lede...</a></p><p>date</p></div></li>`).

    Each such pair's parent is its card, and so are the parent's ancestors (up to `settings.CARD_LEVELS` up,
    while under `settings.TEASER_MAX_CHARS` characters that are not white space): two or more cards of one parent
    that are alike, of one tag and one class, are a list of other stories (`_drop_card_runs` reads the cards of a
    linked heading so, `<div>`s only; these are `<li>`s too); a pair of links to one file beside a single card is
    no list. Without class names and sectioning tags ("classes + sections" blind copy, session 42) a list of
    them under a paywalled two-paragraph story drew trafilatura and readability both: the story was lost and the
    list returned (fundus ChunichiShimbun). A story's own paragraph does not repeat, as all its text, the link
    that is all the paragraph before it.
    """
    sizes: dict[HtmlElement, int] = {}
    runs: dict[tuple[HtmlElement, str, str | None], set[HtmlElement]] = {}
    for block in body.iter("p"):
        link = _sole_link(block)
        after = block.getnext()
        if link is None or after is None or after.tag != "p":
            continue
        lede = _sole_link(after)
        if lede is None or lede.get("href") != link.get("href"):
            continue
        for level, node in enumerate(block.iterancestors()):
            if level >= settings.CARD_LEVELS or node is body:
                break
            if node not in sizes:
                sizes[node] = _visible_upto(node, settings.TEASER_MAX_CHARS)
            if sizes[node] >= settings.TEASER_MAX_CHARS:
                break
            parent = node.getparent()
            if parent is not None:  # cards of a list are alike: one tag, one class
                runs.setdefault((parent, node.tag, node.get("class")), set()).add(node)
    for run in runs.values():
        if len(run) >= 2:
            for node in run:
                if node.getparent() is not None:
                    node.drop_tree()


def _long_paragraph_counts(body: HtmlElement) -> dict[HtmlElement, int]:
    """How many long <p>s (`settings.PRUNE_LONG_PARAGRAPH_CHARS` or more) each element of `body` holds, itself
    included, counted up to `settings.PRUNE_KEEP_LONG_PARAGRAPHS` (absent: none), in one pass.

    Each long <p> counts for its ancestors up to the first that has enough already (those above it have as
    many): every element is counted up at most that many times. Counting each matched element's <p>s again
    took 6.5 s for 240 nested "ad" <div>s around 20,000 short <p>s. The pruning drops elements in document
    order, so a <p> an element holds when it is looked at has the length it had before any drop.
    """
    enough, length = settings.PRUNE_KEEP_LONG_PARAGRAPHS, settings.PRUNE_LONG_PARAGRAPH_CHARS
    counts: dict[HtmlElement, int] = {}
    for para in body.iter("p"):
        if len(para.text_content()) < length:
            continue
        for node in chain((para,), para.iterancestors()):
            seen = counts.get(node, 0)
            if seen >= enough:
                break
            counts[node] = seen + 1
    return counts


def _long_runs(node: HtmlElement) -> int:
    """How many long runs of text `node` holds, between blocks and <br>s.

    "Div soup" pages print every paragraph as a <div>, older ones as runs between <br><br>: a page
    wrapper named like an ad slot (dealbreaker.com) or a 2008 "latest-news" wrapper, counted by its
    <p>s alone, was pruned with the story in it. Only wrappers of the page's top heading are counted
    so: a consent notice of long runs beside the story still goes.
    """
    return sum(1 for para in element_paragraphs(node) if len(para) >= settings.PRUNE_LONG_PARAGRAPH_CHARS)


_TABLE_PARTS = ("table", "tbody", "thead", "tfoot", "tr", "td", "th")


def unwrap_layout_tables(root: HtmlElement) -> None:
    """Turn tables used for page layout into divs, so that their cells read as blocks.

    trafilatura renders a table row as one line of cells ("| Home | News | <whole story> |"): on
    table-layout pages the story, its menus and its teasers came out glued into one paragraph that
    no vote can split. A table holding another table is layout, as is one marked
    role="presentation" and one with a cell of a story's length (settings.LAYOUT_CELL_CHARS: one
    table row held the menu and the whole story, komotv.com, cars.about.com); data tables (scores,
    figures) keep their rows.
    """
    body = root.find("body")
    if body is None:
        return
    layout = [t for t in body.iter("table")
              if (t.get("role") or "").lower() == "presentation" or t.find(".//table") is not None
              or _LONG_CELL(t, n=settings.LAYOUT_CELL_CHARS)]
    for table in layout:
        for node in table.iter(*_TABLE_PARTS):
            # the nested tables are handled on their own (layout or data)
            if node is table or node.tag != "table":
                node.tag = "div"


def prose_divs(root: HtmlElement) -> None:
    """Mark a <div> that holds only a sentence or more of text and inline markup, beside <p>s, as a <p>.

    trafilatura 2.3 drops such a div: a deck or lead printed as `<div class="deck">Chelsea are hoping
    to ...</div>` before the story's <p>s was lost (inside a table cell it had been read, glued to the
    rest of the row). Only when a <p> comes right after it, and when most of its text is no link text.
    """
    body = root.find("body")
    if body is None:
        return
    for div in body.iter("div"):
        after = div.getnext()
        while after is not None and not isinstance(after.tag, str):
            after = after.getnext()
        if after is None or after.tag != "p":  # the story's first <p> comes right after it
            continue
        # Stops at the first block: a <div> holding blocks has one near its start, and the inline-only
        # subtrees read to their end belong to different <div>s, so a page is read about once.
        if any(isinstance(d.tag, str) and d.tag in _RUN_BLOCKS for d in div.iterdescendants()):
            continue
        text = " ".join(div.text_content().split())
        if not is_prose(text):
            continue
        linked = sum(len(" ".join(a.text_content().split())) for a in div.iter("a"))
        if linked * 2 < len(text):
            div.tag = "p"


# Form controls hold values, not prose; trafilatura's main pass drops them too, but its whole-page
# fallbacks and the readability vote did not (ndtvprofit.com: a <select> of 1,908 company names).
_NO_TEXT_TAGS = ("script", "style", "noscript", "template", "svg", "select", "datalist", "textarea", "iframe")


def drop_scripts(root: HtmlElement) -> None:
    """Remove scripts, styles, inline graphics and form controls once metadata and dates are read.

    No body method keeps them, and every one of trafilatura's and readability's passes walks them.
    A long option list also made a short story look like a small share of its page, and
    trafilatura's recall retry then took the whole page.
    """
    etree.strip_elements(root, *_NO_TEXT_TAGS, with_tail=False)


def noscript_copy(root: HtmlElement) -> HtmlElement | None:
    """A copy of the page's <noscript> block with the most text, as a document of its own, before the
    scripts go; None when none holds `settings.LOOSE_STORY_MIN_CHARS` characters.

    A page whose script fills an empty element (a lazy-hydrating app) prints its story for readers
    without JavaScript in a <noscript> block; our text was `no_main_text`, where trafilatura read it.
    Only the first `settings.NOSCRIPT_SCANS` blocks are measured (a tracking pixel's is empty).
    """
    from copy import deepcopy

    from lxml.html import document_fromstring

    best, size = None, settings.LOOSE_STORY_MIN_CHARS - 1
    for node in islice(root.iter("noscript"), settings.NOSCRIPT_SCANS):
        if (length := len(node.text_content())) > size:
            best, size = node, length
    if best is None:
        return None
    doc = document_fromstring("<html><body></body></html>")
    block = deepcopy(best)
    block.tag, block.tail = "div", None
    doc.body.append(block)
    return doc


def _paragraphs(text: str) -> list[str]:

    out = []
    for line in text.split("\n"):
        line = _WS.sub(" ", line).strip()
        if line:
            out.append(line)
    return out


_norm = word_key  # a text's words, case-folded, one space apart


def _is_boilerplate(line: str) -> bool:
    """Whether a line is boilerplate (`settings.BOILERPLATE_LINE`, `BOILERPLATE_ANYWHERE`, `NON_TEXT_LINE`, an
    item list). A short line's verdict is cached: `filter_paragraphs` reads a page's lines several times (our
    candidate, the other one, the story around a stub share most of them: 4 in 10 calls repeat a line), and
    the cache holds at most `_JUDGED_LINES` lines of `_JUDGED_LINE_CHARS` characters, not a hostile page's
    megabyte paragraphs. The verdicts outlive a page: code that sets those rules at run time
    (`benchmarks/body_ablation.py`) calls `_judged_line.cache_clear()`."""
    return _judged_line(line) if len(line) < _JUDGED_LINE_CHARS else _judge_line(line)


_JUDGED_LINE_CHARS = 300  # the line rules' own bound (BOILERPLATE_ANYWHERE); a longer line costs two matches
_JUDGED_LINES = 4096


def _judge_line(line: str) -> bool:
    if len(line) < 200 and settings.BOILERPLATE_LINE.match(line) is not None:
        return True
    if len(line) < settings.EMBED_PLACEHOLDER_MAX_CHARS:
        low = line.lower()
        if len(line) < 300 and settings.BOILERPLATE_ANYWHERE.search(low) is not None:
            return True
        # The placeholder pattern is asked only about lines holding one of its words (a third of the cost).
        if any(word in low for word in _PLACEHOLDER_WORDS) and settings.EMBED_PLACEHOLDER.search(low) is not None:
            return True
    return settings.NON_TEXT_LINE.match(line) is not None or _is_item_list(line) or _is_caption(line) \
        or _is_dated_headline(line)


# A word each branch of settings.EMBED_PLACEHOLDER holds (a pattern set at run time must keep to them).
_PLACEHOLDER_WORDS = ("flash", "click here", "einverstanden", "i agree", "i consent", "drittplattform", "klick",
                      "placeholder")


def _is_caption(line: str) -> bool:
    """A photo caption printed as a plain block: a line of text that ends with the picture's credit in
    parentheses (`settings.CAPTION_CREDIT`). Where the page names its caption (`<figcaption>`, a "caption"
    class) it went before any method ran; a site whose names no rule knows printed it between the story's
    paragraphs, and the precise pass and the vote kept it (the class-blind copies, session 41)."""
    if len(line) >= settings.CAPTION_MAX_CHARS or not line.endswith(")"):
        return False
    found = settings.CAPTION_CREDIT.search(line)
    return found is not None and found.start() >= settings.CAPTION_MIN_CHARS


def _is_dated_headline(line: str) -> bool:
    """Another story's headline with its date in parentheses, a line of a related-stories box
    (`settings.DATED_HEADLINE`): a few words, no sentence end among them, then the date."""
    if not line.endswith(")") or len(line.split()) > settings.DATED_HEADLINE_MAX_WORDS + 1:
        return False
    found = settings.DATED_HEADLINE.search(line)
    return found is not None and _SENTENCE_END.search(line[:found.start()]) is None


_judged_line = lru_cache(maxsize=_JUDGED_LINES)(_judge_line)


# What separates the items of a run of names: commas, bars, bullets, slashes, spaced dashes.
_ITEM_SEP = re.compile(r"\s*[,|•·/]\s*|\s+[-–—]\s+")


def _is_item_list(line: str) -> bool:
    """A run of many short names that is no sentence: a site's list of towns, leagues or tags.

    A held-back page put 290 town names before a regional story, and every method kept them: they
    share one block with the story's container. No gold paragraph of the 599 dev pages has this
    shape (settings.ITEM_LIST_MIN items, three in four of at most three words, no sentence end
    anywhere: a paragraph that lists foods in the middle of its sentences is prose).
    """
    if line.count(",") + line.count("|") + line.count("/") + line.count("•") + line.count("·") + line.count(" - ") \
            < settings.ITEM_LIST_MIN - 1 or _SENTENCE_END.search(line):
        return False
    pieces = [piece for piece in _ITEM_SEP.split(line) if piece.strip()]
    if len(pieces) < settings.ITEM_LIST_MIN:
        return False
    short = sum(len(piece.split()) <= 3 for piece in pieces)
    return short * 4 >= len(pieces) * 3


_WIDE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]")
# A sentence end: Latin, CJK full-width, Devanagari, Arabic, Urdu, Myanmar and Khmer marks.
_SENTENCE_END = re.compile(r"[.!?…।؟۔](?=\s|[\"”’»)\]」』]|$)|[。！？။។]")
# Thai and Lao end sentences with a space, not a mark.
_UNMARKED = re.compile(r"[\u0e00-\u0eff]")


def _size(para: str) -> int:
    """A paragraph's length, CJK characters counted twice (one carries about a Latin word's text)."""
    return len(para) + len(_WIDE.findall(para))


def has_prose(paragraphs: list[str]) -> bool:
    """Whether the text holds running prose, not only menus, a headline and byline lines.

    A story removed from a site is often served with status 200 in the site's template: what is left
    for the extractors is navigation, the headline and "Updated 12 minutes ago"; that is no article.
    """
    for para in paragraphs:
        size = _size(para)
        if size >= settings.PROSE_LONG_CHARS or (size >= settings.PROSE_MIN_CHARS and (
                _SENTENCE_END.search(para) or _UNMARKED.search(para))):
            return True
    return False


def drop_headline(paragraphs: list[str], title: str | list[str] | None) -> list[str]:
    """The paragraphs without the headline (any of its forms) repeated among the first four."""
    keys = {_norm(t) for t in _titles(title)}
    if not keys:
        return paragraphs
    return [p for i, p in enumerate(paragraphs) if i >= 4 or _norm(p.lstrip("#- ")) not in keys]


def _titles(title: str | list[str] | None) -> list[str]:
    """The headline forms a caller passes: one title or several (chosen title, visible h1, ...)."""
    return [t for t in ([title] if isinstance(title, str) else (title or [])) if t]


def filter_paragraphs(paragraphs: list[str], title: str | list[str] | None) -> list[str]:
    """Drop the headline repeated at the top, metadata lines and boilerplate lines.

    `title` may list every form of the headline the page gives (chosen title, visible h1): the chosen
    title can be the short og:title while the body repeats the longer visible h1.
    """
    title_keys = {_norm(t) for t in _titles(title)}
    out = []
    for i, para in enumerate(paragraphs):
        if title_keys and i < 4 and _norm(para.lstrip("#- ")) in title_keys:
            continue
        if _is_boilerplate(para.lstrip("- ").strip()):
            continue
        out.append(para)
    return out


def drop_second_copy(paragraphs: list[str]) -> list[str]:
    """The text without a second copy of itself: a page that prints its story twice (a print version, a
    mobile version) gave both.

    The first long paragraph that comes back starts the check: the run of paragraphs that repeats from
    there goes when it holds `settings.SECOND_COPY_SHARE` of the text's words or more. A list article's
    repeated steps (the same advice under each day of a meal plan) are a smaller share and stay.
    """
    first: dict[str, int] = {}
    for j, para in enumerate(paragraphs):
        if len(para) < settings.SECOND_COPY_MIN_CHARS:
            continue
        i = first.setdefault(para, j)
        if i == j:
            continue
        run = 0
        while j + run < len(paragraphs) and i + run < j and paragraphs[i + run] == paragraphs[j + run]:
            run += 1
        repeated = sum(len(p.split()) for p in paragraphs[j:j + run])
        total = sum(len(p.split()) for p in paragraphs)
        if run >= settings.SECOND_COPY_MIN_PARAGRAPHS and repeated >= settings.SECOND_COPY_SHARE * total:
            return paragraphs[:j] + paragraphs[j + run:]
        return paragraphs  # only the first paragraph that comes back is looked at
    return paragraphs


# A promo line after the story: it opens with what the site asks the reader to do ("Follow Newsbeat on Instagram
# ...", "Join our community where you can ...", "Like this story? ...", "Get access to ...") and addresses the reader
# or names the site as "our"/"us" (`_PROMO_ADDRESS`).
_PROMO_OPENING = re.compile(r"(?:[-•]\s*)?(?:follow|join|subscribe|sign up|register|share|like this|listen|"
                            r"get access|get (?:the|our))\b", re.I)
_PROMO_ADDRESS = re.compile(r"\b(?:you|your|our|us)\b", re.I)


def drop_promo_tail(paragraphs: list[str]) -> list[str]:
    """The text without the site's promo lines after the story's end: the last paragraphs, up to the first that is
    no promo, each of at most `settings.PROMO_LINE_CHARS` characters, opening with a promo's verb
    (`_PROMO_OPENING`) and addressing the reader (`_PROMO_ADDRESS`); only when prose is left. A line inside the
    story is never looked at, and a story's last line that only opens so ("Join the march, organisers said.") stays
    unless it speaks to the reader."""
    end = len(paragraphs)
    while (end > 0 and len(paragraphs[end - 1]) <= settings.PROMO_LINE_CHARS
           and _PROMO_OPENING.match(paragraphs[end - 1]) and _PROMO_ADDRESS.search(paragraphs[end - 1])):
        end -= 1
    if end == len(paragraphs) or not has_prose(paragraphs[:end]):
        return paragraphs
    return paragraphs[:end]


def drop_credit_lines(paragraphs: list[str]) -> list[str]:
    """The text without its credit lines (`settings.CREDIT_LINE`: "Quelle: AFP", "Redaktion: ..."), unless that
    leaves nothing."""
    kept = [para for para in paragraphs if len(para) > 100 or settings.CREDIT_LINE.fullmatch(para) is None]
    return kept if kept else paragraphs


# A comment's signature: "Name, Town[, State][, Country]" (2 to 4 pieces of at most 4 words, letters first, no digit,
# no sentence's or quote's marks); a firm's "Coast Media, Inc." is a press release's note, no reader.
_SIGNATURE_PIECE = re.compile(r"[^\W\d_][^\d,!?;:()\"“”«»]{0,40}")
_FIRM = frozenset({"inc", "inc.", "ltd", "ltd.", "llc", "corp", "corp.", "co", "co.", "plc", "gmbh", "ag", "sa", "s.a."})


def _is_signature(line: str) -> bool:
    if len(line) > settings.SIGNATURE_MAX_CHARS or any(ch.isdigit() for ch in line):
        return False
    pieces = [piece.strip() for piece in line.strip().rstrip(",").split(",")]
    return 2 <= len(pieces) <= 4 and pieces[-1].lower() not in _FIRM and all(
        _SIGNATURE_PIECE.fullmatch(piece) is not None and len(piece.split()) <= 4 for piece in pieces)


def drop_signed_comments(paragraphs: list[str]) -> list[str]:
    """The text without the readers' comments it ends with, each comment followed by its writer's name and
    place ("Frances McErlane, Mallorca, Spain"), as the Times and the Telegraph printed them (2008).

    With the comment section's class names unknown no heading or control says "comments", the comments are
    prose, and the vote and the prose guard kept them. A run of `settings.SIGNED_COMMENTS_MIN` signatures or
    more (two when the last ends the text), each after a line of 3+ words that is no signature, each at most
    `settings.SIGNED_COMMENT_MAX_GAP` paragraphs after the one before, ends the text at the first signature's
    comment (one paragraph before it), when what it keeps is at least `settings.SIGNED_COMMENTS_KEEP_SHARE` of the
    text's words (comments as long as the story stood under the Times' pages; a story's vox pop near its start
    does not cut it). Lines of names and places
    that follow one another (a list of firms and their seats) have no comment before each. The text before
    the cut must hold prose, so the rule never takes a story.
    """
    run: list[int] = []
    best: list[int] = []
    for i in range(1, len(paragraphs)):
        if not _is_signature(paragraphs[i]) or _is_signature(paragraphs[i - 1]) or \
                len(paragraphs[i - 1].split()) < 3:
            continue
        if run and i - run[-1] > settings.SIGNED_COMMENT_MAX_GAP:
            run = []
        run.append(i)
        if len(run) > len(best):
            best = list(run)
    if len(best) < settings.SIGNED_COMMENTS_MIN and not (len(best) == 2 and best[-1] == len(paragraphs) - 1):
        return paragraphs
    cut = best[0] - 1
    words = [len(para.split()) for para in paragraphs]
    if sum(words[:cut]) < settings.SIGNED_COMMENTS_KEEP_SHARE * sum(words) or not has_prose(paragraphs[:cut]):
        return paragraphs
    return paragraphs[:cut]


def drop_author_notes(paragraphs: list[str], authors: list[str]) -> list[str]:
    """The text up to the first paragraph of its second half that starts with an author's full name.

    That paragraph is about the author, not the story: a bio ("Manuela Conrad ist ZDF-Reporterin für
    ..."), a contact line ("Jayda Evans: 206-464-2067"), a book plug ("Mike Wall's book about ..."); and
    what follows it is the author box's or the page's: the rest of a bio longer than a short story
    (readability leaves the box out, but prose outside the agreed stretch stays), a co-author's credit,
    "First published in The Conversation". On the dev sets every paragraph after such a note is outside the
    gold (4 of 4). A name that starts several paragraphs is an interviewer's in a transcript: those stay;
    so does one in the first half (a bio that starts by the story's second paragraph: looking from there
    took gold text on two dev pages).
    """
    # A hostile page credits thousands of authors: a real byline names a few.
    credited = [name for name in authors[: settings.AUTHOR_NOTE_NAMES] if len(name.split()) >= 2]
    # A credit line of people before the story's first prose ("Jane Doe/John Roe" printed as the story's
    # first paragraph, after a deck's short lines) is the byline, not the story. An organisation's ("Associated Press", "Staff Reports") stays:
    # the aeb and l3s golds keep such a line as the story's.
    people = [name for name in credited if clean_name(name) is not None]
    lead = next((i for i, p in enumerate(paragraphs) if is_prose(p)), len(paragraphs))
    paragraphs = [p for i, p in enumerate(paragraphs)
                  if i >= min(lead, settings.CREDIT_EDGE_PARAGRAPHS) or not _credit_line(p, people)]
    names = [name for name in credited
             if sum(map(partial(_starts_with_name, name=name), paragraphs)) < settings.AUTHOR_NOTE_MAX]
    if not names:
        return paragraphs
    half = len(paragraphs) // 2
    note = next((i for i in range(half, len(paragraphs)) if any(_starts_with_name(paragraphs[i], n) for n in names)),
                None)
    if note is not None:
        return paragraphs[:note]
    # In the first half only a bio that says so goes: "<name> is / ist / est ..." as a sentence, with the
    # paragraphs right after it that go on about the same person ("He grew up ...", "Before that she ..."); the text
    # after those is the story's again (a bio box between a lead and the rest, latimes.com).
    for i in range(half):
        if any(_BIO_VERB.match(paragraphs[i][len(n):]) for n in names if _starts_with_name(paragraphs[i], n)) \
                and is_prose(paragraphs[i]):
            end = i + 1
            while end < len(paragraphs) and _PRONOUN_START.match(paragraphs[end]):
                end += 1
            return paragraphs[:i] + paragraphs[end:]
    return paragraphs


# What may stand between names in a credit line.
_CREDIT_REST = re.compile(r"[\s,;/|&+•·]*(?:(?:and|und|et|y|e|og|och|en)\b[\s,;/|&+•·]*)*", re.I)


def _credit_line(paragraph: str, names: list[str]) -> bool:
    """Whether a paragraph is nothing but credited names and the separators between them."""
    if not names or len(paragraph) > 200:
        return False
    rest = paragraph.casefold()
    found = False
    for name in names:
        if (folded := name.casefold()) in rest:
            rest, found = rest.replace(folded, " "), True
    return found and _CREDIT_REST.fullmatch(rest) is not None


# What follows an author's name in a bio's first sentence (an apposition may come between: ", 42,").
_BIO_VERB = re.compile(r"(?:,[^,.]{1,60},)?\s+(?:is|was|has been|has|joined|writes|covers|reports|ist|war|schreibt|"
                       r"est|était|écrit|es|fue|escribe|è|era|scrive|is een|schrijft)\s", re.I)
# A paragraph that goes on about the person a bio is about: a pronoun among its first four words.
_PRONOUN_START = re.compile(r"(?:\S+\s+){0,3}(?:he|she|they|his|her|their|er|sie|sein|seine|ihr|ihre|il|elle|ses|son|sa|él|ella|"
                            r"su|sus|lui|lei|suo|sua|hij|zij|zijn|haar)\b", re.I)


def drop_trailing_notices(paragraphs: list[str]) -> list[str]:
    """The text without the publisher's notices it ends with (`settings.NOTICE`: "© 2026 X. This material may
    not be published ...", "This article was originally published ...", a newsletter box, a company note).

    Both candidates take such a block when it sits beside the story's (no class name marks it), so no vote
    drops it. The run is read from the end: notices (a short line only by its rights, `settings.RIGHTS`) and
    the short lines among them (a box's heading) go; the first prose paragraph that is no notice is the
    story's, and the run stops there, as it does at a paragraph longer than `settings.NOTICE_MAX_CHARS` (the
    dev sets' notices are under 500 characters; a story's long last paragraph costs no search). A text that
    is all notices is left as it is. On the dev sets this took
    16 lines off 14 pages, none of them gold.
    """
    end = len(paragraphs)
    cut = end
    while end > 0:
        para = paragraphs[end - 1]
        prose = is_prose(para)
        if len(para) <= settings.NOTICE_MAX_CHARS and _is_notice(para, prose):
            cut = end - 1
        elif prose:
            break
        end -= 1
    return paragraphs if cut == 0 else paragraphs[:cut]


def _is_notice(para: str, prose: bool) -> bool:
    """Whether a paragraph is a publisher's notice (`settings.NOTICE`; a short line only by `settings.RIGHTS`)."""
    low = para.lower()
    if not any(key in low for key in settings.NOTICE_KEYS):
        return False
    return (settings.NOTICE if prose else settings.RIGHTS).search(para) is not None


def _starts_with_name(para: str, name: str) -> bool:
    """Whether a paragraph starts with the name as a whole word: "Mark Li" starts no paragraph about
    "Mark Lilly" (a story's quote that ended the text as an author note, and the story with it)."""
    return para.startswith(name) and not para[len(name):len(name) + 1].isalnum()


def _trafilatura_text(root: HtmlElement, url: str | None, fast: bool) -> str:
    """trafilatura's main text of the (pruned) tree through its public `bare_extraction`.

    `fast=True` is its precise single pass; `fast=False` adds its readability/jusText comparison.
    `bare_extraction` copies an element it is given, so `root` stays as it is for the other
    candidates and for htmldate.
    """
    from trafilatura import bare_extraction

    if _TEXT_NODES(root) > settings.TRAFILATURA_MAX_P_TEXTS \
            and _P_TEXT_NODES(root) > settings.TRAFILATURA_MAX_P_TEXTS:
        # trafilatura's main pass evaluates "//p//text()", which libxml2 answers in time in the square
        # of the text nodes in paragraphs (each paragraph's are checked against all found before):
        # 1,000 paragraphs of 50 bold words took 24 s, 100,000 one-word paragraphs 16 s per pass.
        # Its text drops inline markup anyway: merged first, it is one text node a paragraph. A page
        # with more paragraphs than that is no article page; the other methods read it.
        root = _merged_paragraph_markup(root)
        if _P_TEXT_NODES(root) > settings.TRAFILATURA_MAX_P_TEXTS:
            return ""
    with without_head(root):
        doc = bare_extraction(root, url=url, options=_trafilatura_options(url, fast))
    return (doc.text or "") if doc is not None else ""


@contextmanager
def without_head(root: HtmlElement) -> Iterator[None]:
    """`root` with an empty `<head>` in place of its own for the block's time, then its own again.

    trafilatura deletes the `<head>` in its cleaning (`tree_cleaning`), after copying the tree and running
    its raw-tree XPaths over every element, and reads the body alone for its page-share measure
    (`html2txt`); readability reads the body alone too. Once the scripts are gone (`drop_scripts`: no JSON-LD
    for trafilatura's forum check or its baseline) the head's links and metas only cost them time: about
    2 % of trafilatura's call (median 7.74 -> 7.56 ms over aeb, fundus and l3s, the same text on all 599).
    The stub keeps the head's place and tail, so trafilatura deletes it as it deleted the head.
    """
    head = root.find("head")
    if head is None:
        yield
        return
    stub = root.makeelement("head")
    stub.tail = head.tail
    root.replace(head, stub)
    try:
        yield
    finally:
        root.replace(stub, head)


@cache
def _trafilatura_base(fast: bool) -> Extractor:
    """The options of our `bare_extraction` calls without the page's URL, made once a process: building
    them reads trafilatura's config file values and formats today's date (0.1 ms a call, a call or two a page)."""
    from trafilatura.settings import Extractor

    return Extractor(output_format="python", fast=fast, comments=False, tables=True, with_metadata=False)


def _trafilatura_options(url: str | None, fast: bool) -> Extractor:
    """A fresh copy of the options for one call, with this page's URL set as `Extractor(url=url)` sets it:
    trafilatura may change what it is given, and no page's URL may reach the next one."""
    from copy import copy

    options = copy(_trafilatura_base(fast))
    options.url = url
    options.source = url.encode("utf-8", "replace").decode("utf-8") if url else None
    return options


_TEXT_NODES = etree.XPath("count(//text())")  # the cheap bound, in C on every page
_P_TEXT_NODES = etree.XPath("count(//text()[ancestor::p])")  # a child step: libxml2 merges it linearly
# Inline markup trafilatura strips from a paragraph's text (links too: its text leaves them out).
_MERGED_INLINE = ("a", "span", "b", "i", "em", "strong", "u", "font", "small", "big", "abbr", "cite", "mark",
                  "ins", "sub", "sup", "tt", "var", "kbd", "samp", "bdi", "bdo", "nobr", "time", "data", "dfn",
                  "q", "s", "strike")


def _merged_paragraph_markup(root: HtmlElement) -> HtmlElement:
    """A copy of `root` whose paragraphs hold their inline markup's text as one text node each.

    `etree.strip_tags` alone leaves the stripped elements' texts as adjacent text nodes, as many as
    before; assigning a node's text or tail back to it joins its run of them into one.
    """
    from copy import copy

    root = copy(root)
    for para in root.iter("p"):
        etree.strip_tags(para, *_MERGED_INLINE)
        for node in para.iter():
            node.text = node.text
            if node is not para:
                node.tail = node.tail
    return root


def drop_new_excerpts(fallback: list[str], precise: list[str]) -> list[str]:
    """The fallback's paragraphs without cut-off excerpts that the precise pass did not keep.

    The fallbacks read the whole page: excerpt cards of other posts ("... Com otimismo conseguimos
    nos adaptar a uma situação ruim traçando um plano paralelo para …", mensagensreflexao.com.br)
    come with it. A cut-off excerpt is a teaser, not the article.
    """
    kept = set(precise)
    return [para for para in fallback if para in kept or not _TRUNCATED.search(para)]


def _probe(para: str) -> str:
    """A run of the paragraph's words to look for in the page (the first word may be glued to markup)."""
    words = _norm(para).split(" ")
    return " ".join(words[1:9] if len(words) > 9 else words)


def keep_inside_article(root: HtmlElement, fallback: list[str], precise: list[str]) -> list[str]:
    """The fallback's paragraphs that lie in the `<article>` holding the precise pass's text.

    The fallbacks read the whole page: on a blog or news page that wraps each post in its own
    `<article>` (the story, then the next posts, mensagensreflexao.com.br), the other posts came
    with them. Only when the precise text sits inside one `<article>`; otherwise unchanged. An
    `<article>` that is a list item is a reader's comment or a teaser, not the story: WordPress prints
    its comments as `<ol><li><article>`, and a precise pass that took one (markup whose class names
    it does not know) kept that comment and dropped the story around it.
    """
    anchor = max(precise, key=len, default="")
    if len(anchor) < settings.ARTICLE_ANCHOR_CHARS:
        return fallback
    probe = _probe(anchor)
    holder = None
    for node in root.iter("article"):
        text = _norm(" ".join(node.itertext()))
        # The innermost article holding the anchor: iteration is in document order, parents first.
        if probe in text and next(node.iterancestors("li"), None) is None:
            holder = text
    if holder is None:
        return fallback
    kept = set(precise)
    inside = [para for para in fallback if para in kept or _probe(para) in holder]
    # The fallback swapped the story for other posts (an obituary column beside the article): the
    # precise pass had the story.
    return inside if sum(map(len, inside)) >= sum(map(len, precise)) else precise


_BLOCK_TAGS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote", "td", "th",
                         "tr", "dd", "dt", "section", "article", "ul", "ol", "table", "br", "figure", "header",
                         "footer", "form", "main", "aside", "nav", "hr"})


def element_paragraphs(root: _Element) -> list[str]:
    """An element's text as paragraphs: one per block element, inline markup joined."""
    out: list[str] = []
    cur: list[str] = []

    def flush() -> None:
        text = _WS.sub(" ", " ".join("".join(cur).split())).strip()
        if text:
            out.append(text)
        cur.clear()

    # Iterative walk: deep trees must not hit Python's recursion limit.
    stack: list[tuple[_Element, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        block = isinstance(node.tag, str) and node.tag in _BLOCK_TAGS
        if closing:
            if block:
                flush()
            cur.append(node.tail or "")
            continue
        if not isinstance(node.tag, str) or node.tag in ("script", "style"):
            cur.append(node.tail or "")
            continue
        if block:
            flush()
        cur.append(node.text or "")
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    flush()
    return out


def readability_paragraphs(root: HtmlElement) -> list[str]:
    """The readability algorithm's article (trafilatura's public `external.try_readability`).

    A second opinion from an independent method: it scores containers by their paragraphs' text
    and commas and takes the best one with its siblings, where trafilatura keeps every block that
    passes its tag and class rules. It works on a copy of our pruned tree: no second parse, about a
    quarter of what readability-lxml costs on its own parse and cleaner.
    """
    from copy import copy

    from trafilatura.external import try_readability

    with without_head(root):  # readability reads the body alone; the copy need not carry the head
        page = copy(root)
    return element_paragraphs(try_readability(page))


@cache
def _justext_stopwords() -> frozenset[str]:
    """The stopwords of every language jusText ships, as one set (a page's language is not known yet)."""
    import justext

    return frozenset(word for lang in justext.get_stoplists() for word in justext.get_stoplist(lang))


def justext_paragraphs(root: HtmlElement) -> list[str]:
    """jusText's good paragraphs: a third method, independent of the other two.

    It judges each block by its stopword density, link density and length, and a short block by its
    neighbours: a sentence among menus is boilerplate, the same sentence among story paragraphs is
    not. trafilatura's thresholds for it, except that a block is too linked only at the share our
    own teaser rule uses (an inline link or two in a story sentence is common). It reads the tree
    without changing it.
    """
    from justext.core import ParagraphMaker, classify_paragraphs, revise_paragraph_classification

    paragraphs = ParagraphMaker.make_paragraphs(root)
    classify_paragraphs(paragraphs, _justext_stopwords(), length_low=settings.JUSTEXT_LENGTH_LOW,
                        length_high=settings.JUSTEXT_LENGTH_HIGH, stopwords_low=settings.JUSTEXT_STOPWORDS_LOW,
                        stopwords_high=settings.JUSTEXT_STOPWORDS_HIGH, max_link_density=settings.VOTE_LINKED_SHARE,
                        no_headings=True)
    revise_paragraph_classification(paragraphs, max_heading_distance=settings.JUSTEXT_LENGTH_HIGH)
    return [p.text for p in paragraphs if not p.is_boilerplate]


# A sentence's end, its closing quote included: “ closes a German, Czech or Icelandic quote („…“), « a
# Danish or German one (»…«); without them a paragraph ending a quotation was no prose, and the vote
# dropped it outside the agreed stretch (BoersenZeitung and Jyllands-Posten on the blind copies).
_PROSE_END = re.compile(r"[.!?…:;\"”’»“«)\]]\s*$")


def is_prose(para: str) -> bool:
    """A sentence or more of running text: enough words and a sentence end."""
    return len(para.split()) >= settings.VOTE_PROSE_MIN_WORDS and _PROSE_END.search(para) is not None


class _Support:
    """Which of our paragraphs another candidate also has (token 4-grams, as the AEB metric).

    Each paragraph's answer is kept for the instance's life (one page's vote): the catastrophe guard
    (`menus_beside_story`) and the vote ask about the same paragraphs, and on aeb + fundus + l3s 13,048 of
    the 24,235 questions were repeats.
    """

    def __init__(self, other: list[str]) -> None:
        self._answers: dict[str, bool] = {}
        self._tokens = _VOTE_TOKENS.findall(" ".join(other))
        self.size = len(self._tokens)
        self._joined = f" {' '.join(self._tokens)} "
        self._scans = 0
        self._by_length: dict[int, set[tuple[str, ...]]] = {}
        self._grams = self._runs(4)

    def _runs(self, n: int) -> set[tuple[str, ...]]:
        """Every run of n consecutive tokens of the other candidate (made once per n)."""
        if n not in self._by_length:
            tokens = self._tokens
            self._by_length[n] = set(zip(*(tokens[k:] for k in range(n)), strict=False))
        return self._by_length[n]

    def __call__(self, para: str) -> bool:
        answer = self._answers.get(para)
        if answer is None:
            answer = self._answers[para] = self._supports(para)
        return answer

    def _supports(self, para: str) -> bool:
        tokens = _VOTE_TOKENS.findall(para)
        if not tokens:
            return False  # a rule or a bullet ("·", "-----") agrees with anything: no evidence
        if len(tokens) < 8:  # too few 4-grams to measure a share: the exact run of words
            # A scan of the other text costs nothing on a news page; past SUPPORT_SCANS short
            # paragraphs (a hostile page of 40,000: 6 s) the runs of that length are looked up.
            self._scans += 1
            if self._scans <= settings.SUPPORT_SCANS:
                return f" {' '.join(tokens)} " in self._joined
            return tuple(tokens) in self._runs(len(tokens))
        grams = list(zip(tokens, tokens[1:], tokens[2:], tokens[3:], strict=False))
        return sum(map(self._grams.__contains__, grams)) >= settings.VOTE_SUPPORT * len(grams)


def _doubtful(paragraphs: list[str]) -> bool:
    """Whether a long text goes to the vote: it starts or ends with non-prose, or holds a table row or a
    comment line. A long text that starts and ends with prose skips it, a gate kept for its cost: the vote
    would also drop prose printed apart from the story there (a site's footer prose, a sidebar's excerpts on
    pages whose classes name no block), but readability's parse of every long page made our median CPU time
    7-12 % over trafilatura's (session 39: docs/extraction.md, "The vote on long texts"). Such a text that holds many
    non-prose lines goes to the vote all the same (`_mixed`, session 40)."""
    if not paragraphs:
        return True
    return not (is_prose(paragraphs[0]) and is_prose(paragraphs[-1])) \
        or any(p.startswith("|") or settings.COMMENT_MARKER.search(p) for p in paragraphs)


def _mixed(paragraphs: list[str]) -> bool:
    """Whether a long text that starts and ends with prose goes to the vote all the same: it holds
    `settings.VOTE_LONG_NONPROSE_LINES` or more lines that are no prose (headings, name lines, "Recent
    posts:", a contact line). Such a text is often the story with a block of the site's printed after it
    (an author box and readers' comments, a sidebar of blogs, a rights footer), which the vote drops; a
    story of prose alone rarely is, and skipping the vote there keeps readability's parse off most long
    pages (about one long text in ten is sent on the dev sets). The count costs a regular expression a
    paragraph."""
    return sum(1 for p in paragraphs if not is_prose(p)) >= settings.VOTE_LONG_NONPROSE_LINES


def _agreed_share(paragraphs: list[str], other: list[str], support: _Support | None = None) -> float:
    """The share of our characters that the other candidate has too (`support`: its `_Support`, when made)."""
    if support is None:
        support = _Support(other)
    total = sum(map(len, paragraphs))
    return sum(len(p) for p in paragraphs if support(p)) / total if total else 0.0


class LinkTexts:
    """The normalised texts of a page's links, found in a text's words in one pass (Aho-Corasick over words).

    Looking for every link in every paragraph was quadratic: a page of 40,000 link lines asked about
    40,000 paragraphs would take minutes. A trie of the links' words with failure links finds every link
    whose words occur as a run of the text's words, at each word; a link printed several times on the
    page counts as often.
    """

    def __init__(self, texts: Iterable[str], whole: Iterable[str] = ()) -> None:
        self.whole = frozenset(whole)  # every link's text, one word too: a line that is just a link
        self._next: list[dict[str, int]] = [{}]
        self._weight = [0]  # the characters a link ending in this state adds (its length x its count)
        for text, count in Counter(texts).items():
            state = 0
            for word in text.split(" "):
                child = self._next[state].get(word)
                if child is None:
                    child = len(self._next)
                    self._next[state][word] = child
                    self._next.append({})
                    self._weight.append(0)
                state = child
            self._weight[state] = len(text) * count
        self._fail = [0] * len(self._next)
        self._ends = [0] * len(self._next)  # the nearest state down the failure chain that ends a link (0: none)
        queue = deque(self._next[0].values())
        while queue:
            state = queue.popleft()
            for word, child in self._next[state].items():
                fail = self._fail[state]
                while fail and word not in self._next[fail]:
                    fail = self._fail[fail]
                self._fail[child] = fail = self._next[fail].get(word, 0)
                self._ends[child] = fail if self._weight[fail] else self._ends[fail]
                queue.append(child)

    def linked_chars(self, words: list[str]) -> int:
        """The summed length of the links whose words occur as a run of `words` (each link once)."""
        found: set[int] = set()
        total = state = 0
        for word in words:
            while state and word not in self._next[state]:
                state = self._fail[state]
            state = self._next[state].get(word, 0)
            end = state if self._weight[state] else self._ends[state]
            while end and end not in found:  # a state found before had its whole chain counted then
                found.add(end)
                total += self._weight[end]
                end = self._ends[end]
        return total


def link_texts(root: HtmlElement) -> LinkTexts:
    """The page's link texts (of 2+ words: a one-word link is everywhere in prose), and every link's
    text whole: a line that is one link's text ("News", "Sport") is link text, whatever its length."""
    texts = [_norm(node.text_content()) for node in root.iter("a")]
    return LinkTexts((text for text in texts if " " in text), (text for text in texts if text))


def _link_share(para: str, links: LinkTexts) -> float:
    """The share of a paragraph's text that is the text of the page's links."""
    norm = _norm(para)
    if norm in links.whole:
        return 1.0
    return min(1.0, links.linked_chars(norm.split()) / max(1, len(norm)))


class _PageReads:
    """What the vote reads off the page, each read at most once and only when asked: its link texts
    and jusText's text (the stretch's gaps, the comment cut and the prose outside the stretch all ask)."""

    def __init__(self, root: HtmlElement) -> None:
        self._root = root
        self._links: LinkTexts | None = None
        self._third: _Support | None = None

    def links(self) -> LinkTexts:
        if self._links is None:
            self._links = link_texts(self._root)
        return self._links

    def third(self) -> _Support:
        if self._third is None:
            self._third = _Support(justext_paragraphs(self._root))
        return self._third


def trim_to_vote(paragraphs: list[str], other: list[str], root: HtmlElement | None = None,
                 support: _Support | None = None, page: _PageReads | None = None) -> list[str]:
    """Our paragraphs without the navigation the other candidate puts outside the article.

    The article is one stretch of the page; menus, link lists, bylines, "related" boxes and
    footers sit before and after it. The first and last of our paragraphs that the other
    candidate also has mark that stretch; what lies outside goes, unless it is prose (a sentence
    or more): candidates disagree about where a story ends more often than about what a sentence
    is, and a missing sentence costs more than a kept menu line. With the page (`root`), prose
    outside goes too when it is mostly link text (a teaser of another page) or when jusText, a
    third method, does not keep it either (a site's promo between its menus). `support` is the other
    candidate's `_Support`, and `page` what is read off `root`, when the caller has made them already.
    """
    if support is None:
        support = _Support(other)
    if support.size < settings.VOTE_MIN_TOKENS:
        return paragraphs  # the other method found no article: nothing to vote with
    if page is None and root is not None:
        page = _PageReads(root)
    if support.size < settings.VOTE_MIN_SHARE * len(_VOTE_TOKENS.findall(" ".join(paragraphs))):
        # The other method took one block of a long text (readability: one paragraph of a 3,900-word
        # live blog): no stretch to trim to, but the readers' comments still end the article.
        return paragraphs[:_comments_start(paragraphs, 0, page)]
    agreed = [support(p) for p in paragraphs]
    if not any(agreed):
        return paragraphs  # two different blocks: no common stretch to trim to
    # The stretch runs between agreed paragraphs of some size, then over the agreed lines right next
    # to it ("With Post wires", a ticket box): a menu word that also occurs in the story ("Reliance",
    # "nano"), far below it, stretched it over the site's menus.
    edges = [ok and _size(p) >= settings.VOTE_EDGE_MIN_CHARS for p, ok in zip(paragraphs, agreed, strict=True)]
    if not any(edges):
        edges = agreed
    first, last, gaps = _main_stretch(paragraphs, agreed, edges, page)
    while first > 0 and agreed[first - 1]:
        first -= 1
    while last < len(agreed) - 1 and agreed[last + 1]:
        last += 1
    inside = [first <= i <= last and i not in gaps for i in range(len(paragraphs))]
    end = _comments_start(paragraphs, first, page)
    if end < len(paragraphs) and _button_above_story(paragraphs, agreed, first, end):
        end = len(paragraphs)
    outside = [i for i in range(end) if not inside[i] and is_prose(paragraphs[i])]
    dropped: set[int] = set()
    if outside and page is not None:  # the page is read again only when prose lies outside
        links = page.links()
        dropped = {i for i in outside if _link_share(paragraphs[i], links) >= settings.VOTE_LINKED_SHARE}
        # The third method decides on short prose: what neither it nor the other candidate has is a promo
        # among the menus ("Type any number of key words. We email you the related headlines."). jusText
        # keeps a long block by its stopwords alone, which prose always has with every language's list
        # (no dev page changes when long blocks are asked too), so it runs only for short ones: 6 of 19
        # fundus pages still call it, and its ~6 ms are spent where they can change something.
        rest = [i for i in outside if i not in dropped and len(paragraphs[i]) <= settings.JUSTEXT_LENGTH_HIGH]
        if rest:
            third = page.third()
            if third.size >= settings.VOTE_MIN_TOKENS:
                dropped.update(i for i in rest if not third(paragraphs[i]))
    keep = [i for i, p, ok in zip(range(end), paragraphs, agreed, strict=False)
            if (inside[i] and (ok or is_prose(p) or not p.startswith("|")))
            or (is_prose(p) and i not in dropped)]
    if root is not None:
        keep = _without_tail_apart(paragraphs, keep, last, root)
    keep = _without_detached_tail(paragraphs, keep, last)
    kept = [paragraphs[i] for i in keep]
    # A vote that would leave little of our text is the other method's mistake more often (the
    # comment cut is not the other method's: it stays), unless what it drops is link text: then our
    # text was a site's navigation with the story in it (400 league links above a 60-word report).
    if sum(map(len, kept)) < settings.VOTE_KEEP_SHARE * sum(map(len, paragraphs[:end])):
        if page is None:
            return paragraphs[:end]
        gone = [paragraphs[i] for i in set(range(end)) - set(keep)]
        if not _mostly_links(gone, page.links()):
            return paragraphs[:end]
    return kept


_BLOCKS_STARTING = etree.XPath(
    "//*[self::p or self::div or self::li or self::td or self::dd or self::blockquote or self::section"
    " or self::article or self::h2 or self::h3 or self::h4][starts-with(normalize-space(.), $probe)]")


def _block_of(root: HtmlElement, para: str) -> HtmlElement | None:
    """The innermost block whose text starts with the paragraph's (None when the page prints it twice)."""
    probe = _WS.sub(" ", para.removeprefix("- ").strip())[:settings.TAIL_PROBE_CHARS]
    if len(probe) < settings.TAIL_PROBE_CHARS or "\x00" in probe:
        return None
    try:
        found = _BLOCKS_STARTING(root, probe=probe)
    except (etree.XPathEvalError, ValueError):  # a character lxml refuses in an XPath string
        return None
    if not found:
        return None
    inner = found[-1]
    above = set(inner.iterancestors())
    return inner if all(node in above for node in found[:-1]) else None


def _without_tail_apart(paragraphs: list[str], keep: list[int], last: int, root: HtmlElement) -> list[int]:
    """The kept paragraphs without the prose after the story's end that the page prints apart from it.

    Prose after the agreed stretch stays by the prose guard, and right after the story it is as often
    the story's as not; with no line dropped between, nothing told a sidebar's "About" sentence, a
    site's alert promo or its terms from the story's last section. The page does: a story's paragraphs,
    the ones the other method missed too, are printed alike, each as far below the block that holds
    both as the other (siblings, or cousins in like wrappers), while a widget beside the story sits at
    its own depth (the story in post > body > content, the widget in sidebar > widget). On the dev pages
    every such tail paragraph at another depth than the story's last (9, on l3s pages of both folds) is
    outside the gold, and every gold one (134) at the same depth. Like a detached tail, what goes must
    be smaller than the text kept up to the stretch's end (`settings.VOTE_TAIL_SHARE`), and a tail below
    the headline after a stretch above it stays (navigation_shapes.py's consent wall).
    """
    tail = [i for i in keep if i > last and is_prose(paragraphs[i])]
    if not tail:
        return keep
    story = _block_of(root, paragraphs[last])
    if story is None:
        return keep
    story_up = [story, *story.iterancestors()]
    apart: dict[int, HtmlElement] = {}  # a tail paragraph -> its block
    for i in tail:
        block = _block_of(root, paragraphs[i])
        if block is None or block in story_up:
            continue
        up = [block, *block.iterancestors()]
        common = set(up)
        depth = next(k for k, node in enumerate(story_up) if node in common)
        if up.index(story_up[depth]) != depth:
            apart[i] = block
    if not apart or sum(len(paragraphs[i]) for i in apart) >= settings.VOTE_TAIL_SHARE * sum(
            len(paragraphs[i]) for i in keep if i <= last):
        return keep
    # A tail below the page's headline after a "story" above it is the story, and the stretch something
    # else the other method took (a consent platform's prose over the headline, which
    # `drop_before_headline` judges later).
    headline = next(root.iter("h1"), None)
    if headline is not None:
        order = {node: k for k, node in enumerate(root.iter())}
        if order[story] < order[headline]:
            apart = {i: block for i, block in apart.items() if order[block] < order[headline]}
    return [i for i in keep if i not in apart]


def _without_detached_tail(paragraphs: list[str], keep: list[int], last: int) -> list[int]:
    """The kept paragraphs without the prose kept after the story's end past a line that went, when
    it is smaller than the story (`settings.VOTE_TAIL_SHARE` of the text kept up to `last`) and written
    in short paragraphs (under `settings.VOTE_TAIL_PARAGRAPH_CHARS`).

    Prose after the agreed stretch stays by the prose guard, and right after the story it is as often
    the story's as not. Past a line that went (a rights line, a "More news" heading, a sign-up box)
    it is a site's promo ("X.com announces the start of its news alerts service", a station's
    programme notes, a "Discuss the news" box) unless it is a continuation the other method missed:
    on the dev sets those were longer than what it found (a German live explainer's and a magazine's
    later sections under their subheads), the promos under 0.55 of the story. A promo is a sentence or
    two a paragraph; a story's last section under a subhead that the other method missed can be smaller
    than the story (a markets report's "Yen gibt nach" and its two paragraphs of 480 characters, on the
    class-blind copy), but its paragraphs are a story's.
    """
    kept = set(keep)
    cut = next((i for i in range(last + 1, max(keep, default=0)) if i not in kept), None)
    if cut is None:
        return keep
    tail = [i for i in keep if i > cut]
    story = sum(len(paragraphs[i]) for i in keep if i <= last)
    if sum(len(paragraphs[i]) for i in tail) >= settings.VOTE_TAIL_SHARE * story \
            or any(_size(paragraphs[i]) >= settings.VOTE_TAIL_PARAGRAPH_CHARS for i in tail):
        return keep
    return [i for i in keep if i < cut]


def _main_stretch(paragraphs: list[str], agreed: list[bool], edges: list[bool],
                  page: _PageReads | None = None) -> tuple[int, int, set[int]]:
    """The first and last edge of the agreed stretch, and the paragraphs of the gaps inside it.

    The edges part where `settings.VOTE_GAP_MIN` paragraphs or more the other candidate lacks stand
    between two of them and those are mostly not prose: a share bar and a paywall notice between a
    lead and the story, a site's menus and footer before a promo the story shares. Such a gap is
    outside the story; a part of agreed text under `settings.VOTE_PART_SHARE` of the largest at
    either end is too (a magazine's "Get Motor Cycle Monthly delivered" box below its menus). A gap
    of prose the other method missed (a story's middle) never parts the stretch, nor does one that
    jusText, a third method, mostly keeps (with the page, `page`): a story paragraph that div soup
    printed as short runs between its links (netribution.co.uk without its `<p>`s).
    """
    at = [i for i, edge in enumerate(edges) if edge]
    parts: list[list[int]] = [[at[0]]]
    gaps: list[list[int]] = []  # gaps[k] lies between parts[k] and parts[k + 1]
    for a, b in zip(at, at[1:], strict=False):
        gap = [i for i in range(a + 1, b) if not agreed[i]]
        lines = [paragraphs[i] for i in gap]
        if len(gap) >= settings.VOTE_GAP_MIN and not _mostly(lines, is_prose):
            # jusText's text is read only for a gap that may part the stretch.
            third = page.third() if page is not None else None
            if third is None or third.size < settings.VOTE_MIN_TOKENS or not _mostly(lines, third):
                gaps.append(gap)
                parts.append([])
        parts[-1].append(b)
    sizes = [sum(_size(paragraphs[i]) for i in range(part[0], part[-1] + 1) if agreed[i]) for part in parts]
    big = [k for k, size in enumerate(sizes) if size >= settings.VOTE_PART_SHARE * max(sizes)]
    lo, hi = big[0], big[-1]
    return parts[lo][0], parts[hi][-1], {i for gap in gaps[lo:hi] for i in gap}


def _mostly(paragraphs: list[str], test: Callable[[str], bool]) -> bool:
    """Whether most of the paragraphs' text (`settings.VOTE_LINKED_SHARE` of it) is in ones that pass `test`."""
    passed = sum(len(p) for p in paragraphs if test(p))
    return passed >= settings.VOTE_LINKED_SHARE * sum(map(len, paragraphs))


def _mostly_links(paragraphs: list[str], links: LinkTexts) -> bool:
    """Whether most of the paragraphs' text is the text of the page's links (`link_texts`)."""
    return _mostly(paragraphs, lambda p: _link_share(p, links) >= settings.VOTE_LINKED_SHARE)


def _button_above_story(paragraphs: list[str], agreed: list[bool], first: int, marker: int) -> bool:
    """Whether the comment marker at `marker` is a button over the story, not the comments' start.

    A share bar under a live blog's standfirst ("Ajouter à mes articles | Commenter | Partager",
    lesechos.fr without its class names) ended the article before its entries. A comment section has
    furniture on every comment ("Posted by", "Reply", "Report"); a lone marker with more of the text
    both methods agree on after it than before it (from the stretch's start) stands over the story.
    """
    if any(settings.COMMENT_MARKER.search(para) for para in paragraphs[marker + 1:]):
        return False
    before = sum(_size(p) for p, ok in zip(paragraphs[first:marker], agreed[first:marker], strict=True) if ok)
    after = sum(_size(p) for p, ok in zip(paragraphs[marker + 1:], agreed[marker + 1:], strict=True) if ok)
    return after > before


def _comments_start(paragraphs: list[str], first: int, page: _PageReads | None = None) -> int:
    """Where the readers' comments after the article start (`len(paragraphs)` when none do).

    Comments are prose, so the prose guard keeps them, and one that quotes the story makes the
    other method "agree" with it. A comment section shows itself by its furniture, comment bylines
    and controls ("Posted by X on <date>", "Report this comment", "Have your say"): from the first
    such line after the article's first agreed paragraph on, nothing is the article's. With the page
    (`page`), a marker that is a link and comes before the story's first prose paragraph is a link to
    the comments, not their start: "Have your say | Read comments" under a headline (telegraph.co.uk
    2008), a site menu's "Have Your Say" (bbc.co.uk 2008).
    """
    story: int | None = None  # the story's first prose paragraph, found at the first marker
    for i in range(first + 1, len(paragraphs)):
        if not settings.COMMENT_MARKER.search(paragraphs[i]):
            continue
        if page is not None:
            if story is None:
                story = next((j for j in range(first, len(paragraphs)) if is_prose(paragraphs[j])
                              and not settings.COMMENT_MARKER.search(paragraphs[j])), len(paragraphs))
            # The page's link texts are read only for a marker before the story.
            if i < story and _link_share(paragraphs[i], page.links()) >= settings.VOTE_LINKED_SHARE:
                continue
        return i
    return len(paragraphs)


# Words of a comment section's heading or its controls (COMMENT_MARKER's). The text below the
# headline is looked through for them in lower case; the short text nodes after the headline holding one
# that is there are found in C, without its first letter in lower and in upper case ("omment": "Comments",
# "comment", "COMMENTS"; translate() to lower case in the XPath cost 150 ms a page, all the words'
# spellings in one expression 8 ms).
# A byline alone ("Posted by X at 10:32") is no such line: a live blog's and a blog's entries are bylined
# so, and a live blog's entries below its standfirst were taken for a thread (all of them went).
_COMMENT_WORDS = ("comment", "comentario", "comentário", "kommentar", "komentarz", "reacties", "have your say",
                  "report abuse", "комментари", "yorumlar", "評論", "评论", "コメント", "댓글")
# A comment's reply control: a thread printed with no heading nor count shows itself by it. It is looked for
# only where it stands `settings.COMMENT_FURNITURE_MIN` times or more (once a comment; a blog's one "Leave a
# Reply" box is no thread, and its search cost 0.06 ms a page).
_REPLY_WORDS = ("reply", "antworten", "répondre", "responder", "rispondi", "beantwoorden", "odpowiedz")
_ANY_COMMENT_WORD = re.compile("|".join(map(re.escape, (*_COMMENT_WORDS, *_REPLY_WORDS))))
# A comment's own control line: a reply button, with the comment's likes or a report link after it.
_REPLY_LINE = re.compile(rf"(?:{'|'.join(map(re.escape, _REPLY_WORDS))})\b.{{0,40}}$", re.I)
# A marker that is one word (and a count): "Comments", "Kommentare (3)", "Commenter", a button's label.
_ONE_WORD = re.compile(r"(?:\d+ )?\w+(?: \(\d+\))?:?$")
_BYLINE = re.compile(r"(?:posted|written|submitted) by\b", re.I)
_NO_COMMENTS = re.compile(r"(?:0|no|keine|aucun|ningún|nessun)\b", re.I)
_COMMENT_TEXTS = etree.XPath("following::text()[contains(., $low) or contains(., $up)]"
                             f"[string-length(.) <= {settings.COMMENT_LINE_MAX_CHARS}]")
_COMMENT_TEXTS_ABOVE = etree.XPath("preceding::text()[contains(., $low) or contains(., $up)]"
                                   f"[string-length(.) <= {settings.COMMENT_LINE_MAX_CHARS}]")
_DIGITS = re.compile(r"\d+")


class CommentSection:
    """The page's readers' comment section below the story: which paragraphs of a candidate text it holds."""

    def __init__(self, body: HtmlElement, inside: str) -> None:
        self._body = body
        self._inside = inside  # the section's text, `_spaced`
        self._page: str | None = None

    def outside(self, paragraphs: list[str]) -> list[str]:
        """The paragraphs not printed in the section (a story sentence a comment quotes is printed above it too).

        Up to `settings.COMMENT_PROBE_SCANS` paragraphs, each one's probe is counted in the section's and the
        page's text; past that (5,000 comments took 13 s, each counted in the whole page twice, 20,000 minutes)
        all the probes are counted together as runs of the texts' words, in one pass over each.
        """
        probes = [_probe(para) for para in paragraphs]
        if len(probes) > settings.COMMENT_PROBE_SCANS:
            inside, page = self._run_counts(self._inside, probes), self._run_counts(self._page_text(), probes)
            return [para for para, probe in zip(paragraphs, probes, strict=True)
                    if not (probe and inside[probe] and page[probe] <= inside[probe])]
        out = []
        for para, probe in zip(paragraphs, probes, strict=True):
            if probe and probe in self._inside and self._page_text().count(probe) <= self._inside.count(probe):
                continue
            out.append(para)
        return out

    def _page_text(self) -> str:
        if self._page is None:
            self._page = _spaced(self._body)
        return self._page

    @staticmethod
    def _run_counts(text: str, probes: list[str]) -> Counter[str]:
        """How often each probe stands in `text` (both `_norm`) as a run of its words."""
        wanted: dict[int, set[str]] = {}
        for probe in probes:
            if probe:
                wanted.setdefault(probe.count(" ") + 1, set()).add(probe)
        words = text.split(" ")
        found: Counter[str] = Counter()
        for size, grams in wanted.items():
            firsts = {gram.split(" ", 1)[0] for gram in grams}
            found.update(run for run in (" ".join(words[i:i + size]) for i in range(len(words) - size + 1)
                                         if words[i] in firsts) if run in grams)
        return found


def _spaced(node: HtmlElement) -> str:
    """An element's words (`_norm`), its text nodes apart: a candidate may join a comment's byline and text
    ("Leser00 vor 1 Stunden Endlich ..."), which text_content() glues ("stundenendlich")."""
    return _norm(" ".join(node.itertext()))


class _Headline:
    """The article's headline element (`_article_headline`) and the body's text, each read once when first
    asked, on the pruned tree: the comment section and the text above the headline both ask."""

    def __init__(self, root: HtmlElement, title: str | list[str] | None) -> None:
        self._root, self._title = root, title

    @cached_property
    def element(self) -> HtmlElement | None:
        return _article_headline(self._root, self._title)

    @cached_property
    def text(self) -> str:
        """The body's text, one C-level read."""
        body = self._root.find("body")
        return body.text_content() if body is not None else ""

    def reread(self) -> None:
        """Forget the body's text and the headline's place in it: the tree has changed."""
        for name in ("text", "low", "at"):
            self.__dict__.pop(name, None)

    @cached_property
    def low(self) -> str:
        """The body's text in lower case (comment words are looked for in it, above and below the headline)."""
        return self.text.lower()

    @cached_property
    def at(self) -> int:
        """Where the headline's text first stands in the body's text (-1: nowhere; asked only with an element)."""
        return self.text.find(self.element.text_content()) if self.element is not None else -1


def comment_section(root: HtmlElement, title: str | list[str] | None, story: list[str],
                    headline: _Headline | None = None) -> CommentSection | None:
    """The readers' comment section printed after the story, found by its heading and its furniture.

    A comment thread ten times as long as a short story, in blocks whose class names no method knows
    (hashed, or plain <div>s), was taken as the article: readability's candidate was the thread and the
    recall fallback swapped it in for the precise pass's story (page F1 0.002); or the precise pass took the
    comments' text with the story but not their bylines, so no comment marker was left to cut at. The
    section is the outermost block around a marker line ("24 comments", "Leave a comment", "Kommentare
    (20)", "Report abuse"; not a byline alone, "Posted by X at 10:32", which a live blog's entries
    carry too) that does not hold the headline and comes after it, does not hold the
    first prose paragraph of `story` (the precise pass's text), and repeats a short line (a byline, "Reply",
    "3 hours ago": digits aside) `settings.COMMENT_FURNITURE_MIN` times or more and about once per comment:
    a share bar's "Comments (3)" above a story's body does not, nor does a story's "Advertisement".
    `headline` is the page's `_Headline` when the caller has made it already.
    """
    body = root.find("body")
    if body is None:
        return None
    if headline is None:
        headline = _Headline(root, title)
    heading = headline.element
    if heading is None:
        return None
    # The section comes after the headline: its words are looked for in the text below it (a menu's
    # "Comments" above it costs no search).
    low, at = headline.low, max(0, headline.at)
    words = [*(word for word in _COMMENT_WORDS if low.find(word, at) >= 0),
             *(word for word in _REPLY_WORDS if low.count(word, at) >= settings.COMMENT_FURNITURE_MIN)]
    hits = [node for word in words for node in _COMMENT_TEXTS(heading, low=_stem(word), up=_stem(word).upper())]
    if not hits:
        return None
    lead = next((_probe(p) for p in story if is_prose(p)), None)
    for section, parent, line in _marker_sections(islice(hits, settings.COMMENT_SCANS), heading):
        branch = heading
        while branch.getparent() is not parent:
            branch = branch.getparent()
        if parent.index(section) < parent.index(branch):
            continue  # above the headline: a "most commented" box, a menu's "Comments"
        if lead is not None and lead in _norm(section.text_content()):
            continue  # the story's container (a share bar's "Comments (3)" over it)
        if _is_thread(section, line):
            return CommentSection(body, _spaced(section))
    return None


def _stem(word: str) -> str:
    """A comment word as looked up in both cases: without its first letter, which a heading may capitalise;
    whole when it has no case (kana, hangul)."""
    return word[1:] if word[0] != word[0].upper() else word


def _marker_sections(nodes: Iterable[_Element], heading: HtmlElement
                     ) -> Iterator[tuple[HtmlElement, HtmlElement, str]]:
    """For text nodes holding a comment word: each marker line's (`_marker_line`) outermost block that does
    not hold the headline, with that block's parent (an ancestor of the headline) and the line; each block
    once."""
    wrappers = set(heading.iterancestors())
    seen: set[HtmlElement] = set()
    for node in nodes:
        found = _marker_line(node)
        if found is None or found[0] in wrappers or found[0] is heading:
            continue
        section = found[0]
        while (parent := section.getparent()) is not None and parent not in wrappers:
            section = parent
        if parent is None or section in seen:
            continue
        seen.add(section)
        yield section, parent, found[1]


def _marker_line(node: _Element) -> tuple[HtmlElement, str] | None:
    """The element of a text node holding a comment word, and its line, when that line is a comment marker
    ("24 comments", "Report abuse") or a comment's reply control ("Reply · 3 likes"), not a byline alone."""
    element = node.getparent()
    if node.is_tail and element is not None:
        element = element.getparent()
    if element is None:
        return None
    line = " ".join(element.text_content().split())
    if (len(line) > settings.COMMENT_LINE_MAX_CHARS
            or not (settings.COMMENT_MARKER.match(line) or _REPLY_LINE.match(line)) or _BYLINE.match(line)):
        return None
    return element, line


def _is_thread(section: HtmlElement, marker: str) -> bool:
    """Whether a block with the marker line `marker` is a readers' thread: two prose paragraphs or more and a
    short line (a byline, "Reply", "3 hours ago": digits aside) repeated `settings.COMMENT_FURNITURE_MIN`
    times or more and about once per comment; a one-word marker that starts a line of every entry is a
    button on each ("Comment | Share" under a live blog's entries), which invites comments on the entry:
    a thread has one heading."""
    if _NO_COMMENTS.match(marker):
        return False  # "0 Comments", "No comments yet": a thread's heading over no thread
    lines = element_paragraphs(section)
    prose = sum(map(is_prose, lines))
    furniture = Counter(_DIGITS.sub("#", line) for line in lines
                        if not is_prose(line) and len(line) <= settings.COMMENT_FURNITURE_CHARS)
    repeats = max(furniture.values(), default=0)
    if prose < 2 or repeats < settings.COMMENT_FURNITURE_MIN or repeats * settings.COMMENT_PROSE_PER_ENTRY < prose - 1:
        return False
    button = _DIGITS.sub("#", marker)
    return not (_ONE_WORD.match(marker) and not _REPLY_LINE.match(marker)
                and sum(_DIGITS.sub("#", line).startswith(button) for line in lines) >= 2)


def drop_comments_above(headline: _Headline) -> bool:
    """Remove a readers' thread printed before the headline (a two-column page whose source order puts the
    thread's column first); whether one was.

    The precise pass, readability and trafilatura's fallbacks all took such a thread for the article and the
    story under the headline was lost (page F1 0.003). Looked for only when comment words stand in the text
    above the headline `settings.COMMENT_FURNITURE_MIN` times or more; the block must be a thread by its furniture (`_is_thread`), which a "most commented"
    box of headlines or a menu's "Comments" is not.
    """
    heading = headline.element
    if heading is None or headline.at <= 0:
        return False
    low, at = headline.low, headline.at
    if _ANY_COMMENT_WORD.search(low, 0, at) is None:  # one pass over the text above (most pages)
        return False
    words = [word for word in (*_COMMENT_WORDS, *_REPLY_WORDS) if low.find(word, 0, at) >= 0]
    # A thread repeats its words (a reply control on every comment); a menu's "Comments" is one.
    if sum(low.count(word, 0, at) for word in words) < settings.COMMENT_FURNITURE_MIN:
        return False
    nodes = chain.from_iterable(islice(_COMMENT_TEXTS_ABOVE(heading, low=_stem(word), up=_stem(word).upper()),
                                       settings.COMMENT_SCANS) for word in words)
    for section, _parent, line in _marker_sections(nodes, heading):
        if _is_thread(section, line):
            section.drop_tree()
            headline.reread()
            return True
    return False


def extract_paragraphs(root: HtmlElement, url: str | None,
                       title: str | list[str] | None = None, live: bool = False) -> list[str]:
    """Paragraphs of the main text (teaser and subheadings kept, boilerplate lines dropped); `live`: the
    page's structured data calls it a live blog."""
    headline = _Headline(root, title)  # read after the pruning, by the comment section and the text above it
    paragraphs = drop_before_headline(root, drop_item_runs(_main_paragraphs(root, url, title, headline, live)),
                                      title, headline)
    paragraphs = drop_next_story(root, paragraphs, headline)
    paragraphs = with_continuation(root, with_loose_between(root, with_loose_lead(root, paragraphs, title), title),
                                   title)
    # The headline is dropped among the first four paragraphs when the text is filtered; a page whose
    # menus stood above it had it further down then, and the menus are gone now (8 of 305 l3s pages).
    return drop_label_promos(root, drop_headline(paragraphs, title))


def drop_label_promos(root: HtmlElement, paragraphs: list[str]) -> list[str]:
    """Our paragraphs without the promos a story prints between its paragraphs as a label in capitals and a
    link to another story ("MORE: <headline>", "WATCH | <headline>", "FUNDA OLUNYE UDABA LAPHA | ...").

    `settings.BOILERPLATE_LINE` knows the labels of a few languages by their words; a site's own label
    ("TRENDING:", "MUST READ:", "PHOTOS:"), or one in another language, stayed in the text, in a long text
    (no vote) and a short one alike (the vote keeps what both methods have). The shape is the sign: a label
    of one to four words in capitals, a separator (`settings.PROMO_LABEL`), then a headline of three words
    or more, without a sentence's full stop, that is the text of one of the page's links
    (`settings.PROMO_LINKED_SHARE`). A dateline ("NEW DELHI: The ...") is followed by prose, not a link.
    """
    found = []
    for i, para in enumerate(paragraphs):
        if len(para) > settings.PROMO_MAX_CHARS or (match := settings.PROMO_LABEL.match(para)) is None:
            continue
        label, rest = match.group(1), match.group(2).strip()
        if label.upper() != label or label.lower() == label or len(rest.split()) < 3 or rest.endswith("."):
            continue
        found.append((i, rest))
    if not found:
        return paragraphs
    links = link_texts(root)
    gone = {i for i, rest in found if _link_share(rest, links) >= settings.PROMO_LINKED_SHARE}
    return [p for i, p in enumerate(paragraphs) if i not in gone] if gone else paragraphs


def drop_before_headline(root: HtmlElement, paragraphs: list[str], title: str | list[str] | None = None,
                         headline: _Headline | None = None) -> list[str]:
    """The paragraphs without the leading ones the page prints only before its headline.

    The headline (the first <h1> of three words or more that is the article's title, or holds it or
    is held by it; without one, the element whose text is the title) opens the article: what stands
    only above it is the site's (a sidebar of weather lines, a login box, a block of menus that
    shares the story's container). A held-back page gave 1,154 words of menus, login box and weather
    for a 167-word story. A line printed above the headline and again below it (a lead repeated in a
    top box) stays, and so does everything when nothing follows the headline or nothing shows the
    title (an <h1> used for a subheading is not the headline).
    """
    if not paragraphs:
        return paragraphs
    if headline is None:
        headline = _Headline(root, title)
    h1 = headline.element
    if h1 is None:
        return paragraphs
    # The body's text split where the headline's text first stands: one C-level read, where walking
    # the tree (or the XPath preceding axis: 75 ms on one large page) cost more than the rule saves.
    text, at = headline.text, headline.at
    printed = _printed_title(root, h1)
    if printed is not None and 0 <= (printed_at := text.find(printed.text_content())) < at:
        at = printed_at
    if at <= 0:
        return paragraphs
    # Most stories start below their headline: when the first paragraph's longest word is nowhere
    # above it, its words cannot be there either (a token of the normalised text is a substring of
    # the case-folded one), and the normalising is skipped.
    key = max(_probe(paragraphs[0]).split(), key=len, default="")
    if key not in text[:at].casefold():
        return paragraphs
    return paragraphs[_printed_above(paragraphs, _norm(text[:at]), lambda: _norm(text[at:])):]


def drop_next_story(root: HtmlElement, paragraphs: list[str], headline: _Headline) -> list[str]:
    """The paragraphs without the next story that an endless-scroll page prints below the article.

    Such a page appends the next story under its own <h1>, with its summary box and paragraphs; where the
    page's <article>s were read as plain blocks (the class- and section-blind copies) both stories shared
    one block, every method took both, and the vote agreed (a Norwegian page: 1,180 words for a 407-word
    story). The first <h1> of `settings.LEDE_HEADLINE_WORDS` words or more after the headline, in page order,
    opens the next story when our trailing paragraphs stand only below it in the body's text, at least
    `settings.PRUNE_KEEP_LONG_PARAGRAPHS` of them prose, and the two headlines open sibling blocks, our last
    paragraph above it in the first one's: an <h1> printed as a subheading or a photo caption among the
    story's own paragraphs (2008 layouts, taipeitimes.com's captions) keeps what follows it. Mirror of
    `drop_before_headline`, by the same text positions.
    """
    h = headline.element
    if h is None or h.tag != "h1" or len(paragraphs) < 2:
        return paragraphs
    at = headline.at
    if at < 0:
        return paragraphs
    text = headline.text
    start = at + len(h.text_content())
    inside = set(h.iter())
    after = False
    nxt, nxt_at = None, -1
    for k, node in enumerate(root.iter("h1")):
        if k >= settings.HEADER_H1_SCANS:
            break
        if node is h:
            after = True
            continue
        if not after or node in inside or len(_norm(node.text_content()).split()) < settings.LEDE_HEADLINE_WORDS:
            continue
        nxt_at = text.find(node.text_content(), start)
        if nxt_at >= 0:
            nxt = node
        break
    if nxt is None:
        return paragraphs
    below, between = _norm(text[nxt_at:]), _norm(text[start:nxt_at])
    cut, end = len(paragraphs), len(below)
    while cut > max(0, len(paragraphs) - settings.NEXT_STORY_MAX_PARAGRAPHS):
        probe = _probe(paragraphs[cut - 1])
        if probe in between or (end := _rfind_from(below, probe, end)) < 0:
            break
        cut -= 1
    if cut in (0, len(paragraphs), len(paragraphs) - settings.NEXT_STORY_MAX_PARAGRAPHS) \
            or not has_prose(paragraphs[:cut]) \
            or sum(map(is_prose, paragraphs[cut:])) < settings.PRUNE_KEEP_LONG_PARAGRAPHS:
        return paragraphs
    # The two stories are sibling blocks: below the smallest block holding both headlines, our last paragraph
    # above the cut stands in the first headline's branch (a caption or a subheading printed as an <h1> among
    # the story's paragraphs stands in the paragraphs' branch, beside the headline's).
    above_h = set(h.iterancestors())
    branch = next((node for node in chain((nxt,), nxt.iterancestors())
                   if (parent := node.getparent()) is not None and parent in above_h), None)
    block = _block_of(root, paragraphs[cut - 1])
    if branch is None or block is None:
        return paragraphs
    shared = branch.getparent()
    story_branch = next((node for node in chain((h,), h.iterancestors()) if node.getparent() is shared), None)
    if story_branch is None or story_branch is not block and story_branch not in set(block.iterancestors()):
        return paragraphs
    return paragraphs[:cut]


def _printed_above(paragraphs: list[str], before: str, after: Callable[[], str]) -> int:
    """How many leading paragraphs stand only in the text above the headline (`before`; `after()`, the text
    below it, is read only when some do): the leading run whose probes `before` holds, less the run's last
    ones that `after` holds too (0 when the run is all of them).

    Each probe is looked for from where the one before it stood (paragraphs come in page order): searching
    the whole text above again for each of 50,000 lines above the headline took 17 s.
    """
    lead = pos = 0
    while lead < len(paragraphs) and (pos := _find_from(before, _probe(paragraphs[lead]), pos)) >= 0:
        lead += 1
    if lead == len(paragraphs):
        return 0
    below = after() if lead else ""
    end = len(below)
    while lead > 0 and (end := _rfind_from(below, _probe(paragraphs[lead - 1]), end)) >= 0:
        lead -= 1  # printed below the headline too: it may be the article's (back to the first such line)
    return lead


def _find_from(text: str, probe: str, start: int) -> int:
    """Where `probe` first stands in `text` from `start` on, else anywhere before it; -1 when nowhere.

    Whether it stands in `text` at all, at the cost of the distance from `start` when it does there: probes
    asked in the order they stand cost one pass over the text together.
    """
    found = text.find(probe, start)
    return found if found >= 0 else text.find(probe, 0, start + len(probe) - 1)


def _rfind_from(text: str, probe: str, end: int) -> int:
    """Where `probe` last starts in `text` at `end` or before, else anywhere after it; -1 when nowhere
    (`_find_from` for probes asked from the last to the first)."""
    found = text.rfind(probe, 0, end + len(probe))
    return found if found >= 0 else text.rfind(probe)


def _article_headline(root: HtmlElement, title: str | list[str] | None) -> HtmlElement | None:
    """The element that prints the article's headline: the first <h1> of three words or more that is one
    of the title forms, holds it or is held by it; without one, the element whose text is a title form
    (a headline printed in <b>, a styled <span> or an <h2>: 2008 layouts)."""
    keys = {k for k in map(_norm, _titles(title)) if len(k.split()) >= 3}
    if not keys:
        return None
    h1 = next((h for h in root.iter("h1") if len((heading := _norm(h.text_content())).split()) >= 3
               and any(k in heading or heading in k for k in keys)), None)
    if h1 is None:
        h1 = next((e for e in map(partial(title_element, root), dict.fromkeys(_titles(title))) if e is not None),
                  None)
    return h1


def _printed_title(root: HtmlElement, heading: HtmlElement) -> HtmlElement | None:
    """The element that prints the page's <title>, when the heading shares no word with it.

    Without structured data the page's first <h1> is a title form, whatever it shows: efluxmedia.com
    2008 heads its related list below the story "Other News in Science" and prints its <title>, the
    headline, in a <span> above the story, which went as "above the headline". The caller takes the
    earlier of the two: a <title> that names the site and is printed in the footer (tios.co.za: "The
    Independent on Saturday") is no headline either.
    """
    page_title = root.findtext("head/title")
    if not page_title or not set(word_key(page_title).split()).isdisjoint(word_key(heading.text_content()).split()):
        return None
    return title_element(root, page_title)


def drop_item_runs(paragraphs: list[str]) -> list[str]:
    """The paragraphs without a long run of one-to-three-word lines before or after the story's prose.

    A site's list of towns or leagues printed one link to a line came back line by line in front of
    a regional story (every method kept it: it shares the story's block). No gold text of the 599 dev
    pages has a run of settings.ITEM_RUN_MIN such lines; a table of results inside a story stays.
    """
    prose = [i for i, para in enumerate(paragraphs) if is_prose(para)]
    if not prose:
        return paragraphs
    drop: set[int] = set()
    run: list[int] = []
    for i, para in enumerate([*paragraphs, "."]):  # the sentinel ends the last run
        if len(para.split()) <= 3 and _size(para) <= settings.ITEM_RUN_MAX_CHARS and not is_prose(para):
            run.append(i)
            continue
        if len(run) >= settings.ITEM_RUN_MIN and (run[-1] < prose[0] or run[0] > prose[-1]):
            drop.update(run)
        run = []
    return [para for i, para in enumerate(paragraphs) if i not in drop] if drop else paragraphs


_LEAD_END = re.compile(r"[.!?…][\"”’»]?\s*$")


def with_loose_lead(root: HtmlElement, paragraphs: list[str], title: str | list[str] | None = None) -> list[str]:
    """The paragraphs with the story's first sentences put back when they stood loose before its first <p>.

    2008 layouts print the lead as bare text in the story's container ("<div class=Story> A woman who
    fled ... <p>..."); once a layout table's cells are blocks, trafilatura drops such text. The lines
    of the run of text and inline markup right before the <p> that holds our first paragraph (or the
    <br> or empty block our first paragraph follows as bare text), back to a block or the container's
    start, that end the run and are sentences are the lead; a headline, byline or caption line before
    them is not. A block with no text of its own (an empty <p>, an ad slot, an "Article continues"
    link) between the lead and the story is no end of the run.
    """
    if not paragraphs:
        return paragraphs
    probe = _probe(paragraphs[0])
    if len(probe) >= 20:
        end = next((p for p in root.iter("p") if probe in _norm(p.text_content())), None)
        end = end if end is not None else _break_before(root, paragraphs[0], probe)
    else:  # a short first paragraph ("Well, not so much."): only a <p> of exactly its words
        key = _norm(paragraphs[0])
        end = next((p for p in root.iter("p") if _norm(p.text_content()) == key), None) if key else None
    if end is None or end.getparent() is None:
        return paragraphs
    # The run starts after the nearest block sibling with text before the end (or at the container's
    # start), and only inline markup and blocks without text lie between them.
    _, lead = _sentences_before(end)
    # A lead the text already has (a page that prints its first sentence again below the story) stays where it is.
    known = _norm(" ".join(paragraphs))
    lead = [line for line in filter_paragraphs(lead, title) if _norm(line) not in known]
    return [*lead, *paragraphs]


def _sentences_before(end: HtmlElement) -> tuple[HtmlElement | None, list[str]]:
    """The run of bare text right before `end` (a child of its container): the nearest block sibling with text
    before it (None: the run starts at the container's start), and the run's closing lines that are sentences
    (a headline, byline or caption line before them is not)."""
    start = end.getprevious()
    while start is not None and (not _is_run_block(start) or _is_gap(start)):
        start = start.getprevious()
    lines: list[str] = []
    for line in reversed(_text_run(end.getparent(), start, end)):
        if not (is_prose(line) and _LEAD_END.search(line)):
            break
        lines.insert(0, line)
    return start, lines


def with_loose_between(root: HtmlElement, paragraphs: list[str], title: str | list[str] | None = None) -> list[str]:
    """The paragraphs with the sentences a story prints as bare text between two of its paragraphs put back.

    A story's paragraph printed loose after a block inside the story (an ad slot's "story continues
    below" box, a photo table with its caption) is an element's tail in no `<p>`, and trafilatura drops
    it as it drops a loose lead (`with_loose_lead`). The run of text right before the block of one of
    our paragraphs, back to the nearest block with text, is put back when the paragraph before ours is
    printed in the same container just above the run (within `settings.LOOSE_BETWEEN_SIBLINGS` siblings
    with text), and only its closing lines that are sentences: a caption or label line before them stays out.
    """
    if len(paragraphs) < 2:
        return paragraphs
    # Most pages print no text that we lack as bare text of some length after a block or a <br>: those
    # tails are read once (their start looked for in our text as printed), and nothing else is.
    printed = " ".join(paragraphs)
    if not any(text.is_tail and text.getparent().tag in _LOOSE_AFTER
               and " ".join(text.split())[:settings.TAIL_PROBE_CHARS] not in printed
               for text in _LONG_TEXTS(root, chars=settings.TAIL_PROBE_CHARS)):
        return paragraphs
    known = _norm(printed)
    blocks: list[tuple[HtmlElement, str]] | None = None  # the page's <p>s and their text, read once
    found: dict[int, list[str]] = {}
    at = 0  # where the previous paragraph's <p> was found: the next one is printed after it
    budget = settings.LOOSE_BETWEEN_SCANS  # <p>s and page searches a hostile page of thousands may cost
    for k in range(1, len(paragraphs)):
        probe = _probe(paragraphs[k])
        if len(probe) < 20:
            continue
        if blocks is None:
            blocks = [(p, _norm(p.text_content())) for p in root.iter("p")]
        end = None
        for i in chain(range(at, len(blocks)), range(at)):
            budget -= 1
            if probe in blocks[i][1]:
                end, at = blocks[i][0], i
                break
            if budget <= 0:
                break
        if end is None and budget > 0:
            budget -= len(blocks) + 1  # a search of the page's texts costs about as much
            end = _break_before(root, paragraphs[k], probe)
        if budget <= 0 and end is None:
            break
        if end is None or end.getparent() is None:
            continue
        start, run = _sentences_before(end)
        if start is None:
            continue  # the run opens the container: a lead, not a paragraph between two
        run = [line for line in run if _norm(line) not in known]
        if not run or not _printed_before(start, _probe(paragraphs[k - 1])):
            continue
        found[k] = filter_paragraphs(run, title)
        if len(found) >= settings.LOOSE_BETWEEN_RUNS:  # each run was looked for in the whole text
            break
    if not found:
        return paragraphs
    return [line for k, para in enumerate(paragraphs) for line in (*found.get(k, ()), para)]


def _printed_before(node: HtmlElement, probe: str) -> bool:
    """Whether `node` or one of the siblings with text just before it (`settings.LOOSE_BETWEEN_SIBLINGS`)
    prints the probe's words, in its text or in the bare text after it."""
    if len(probe) < 20:
        return False
    seen = 0
    while node is not None and seen < settings.LOOSE_BETWEEN_SIBLINGS:
        text = (node.text_content() if isinstance(node.tag, str) else "") + (node.tail or "")
        if text.strip():
            seen += 1
            if probe in _norm(text):
                return True
        node = node.getprevious()
    return False


_OWN_TEXTS = etree.XPath(".//text()[not(ancestor::a)]")


def _break_before(root: HtmlElement, paragraph: str, probe: str) -> HtmlElement | None:
    """The <br> or the block without text whose tail starts `paragraph` (bare text, in no <p>), or None."""
    # A run of word characters: an XPath string may hold no control character ("00\x1b" raised).
    word = max(_TOKENS.findall(" ".join(paragraph.split()[:10])) or [""], key=len)
    if not word:
        return None
    # libxml2's contains() measures its needle again for every text node: a "word" of 390,000 x's (as
    # many <i>x</i> above a story) against as many text nodes took a minute. Its start finds the same
    # nodes and more, and the probe below decides.
    for found in TEXTS_WITH(root, w=word[:settings.SEARCH_WORD_CHARS])[:settings.TITLE_ELEMENT_SCANS]:
        if found.is_tail and probe in _norm(found):
            node = found.getparent()
            return node if node.tag == "br" or (_is_run_block(node) and _is_gap(node)) else None
    return None


def _is_gap(node: HtmlElement) -> bool:
    """A block with no text but a short link or two ("Article continues", "Comments"): no end of a run."""
    if any(t.strip() for t in _OWN_TEXTS(node)):
        return False
    return len(node.text_content().strip()) <= settings.LEAD_GAP_LINK_CHARS


def _is_run_block(node: _Element) -> bool:
    """A block element, or inline markup that holds one (<font><p>...</p></font>): the end of a run."""
    return isinstance(node.tag, str) and (node.tag in _RUN_BLOCKS or any(
        isinstance(d.tag, str) and d.tag in _RUN_BLOCKS for d in node.iterdescendants()))


def _main_paragraphs(root: HtmlElement, url: str | None, title: str | list[str] | None,
                     headline: _Headline | None = None, live: bool = False) -> list[str]:
    prune(root)
    unwrap_layout_tables(root)
    prose_divs(root)
    if headline is None:
        headline = _Headline(root, title)
    drop_comments_above(headline)
    text = _trafilatura_text(root, url, fast=True)
    paragraphs = _paragraphs(text)
    comments = comment_section(root, title, paragraphs, headline)
    if comments is not None:  # no candidate's text is taken from the readers' comments
        paragraphs = comments.outside(paragraphs)
        text = "\n".join(paragraphs)
    filtered: list[str] | None = None  # our text filtered, when it is long: the vote's input too
    if len(text) >= settings.FALLBACK_BELOW_CHARS:
        filtered = filter_paragraphs(paragraphs, title)
        # A live blog skips it whatever it holds: readability takes one of its entries, and the vote
        # dropped the others (fundus Express_2024_07_18, 0.983 -> 0.679).
        if not _doubtful(filtered) and (live or not _mixed(filtered)):
            return with_subheads(filtered, root)
    other = readability_paragraphs(root)
    if comments is not None:
        other = comments.outside(other)
    default: list[str] | None = None  # trafilatura's default pass, run at most once
    support = _Support(other)  # the other candidate's words, read once for the questions below
    page = _PageReads(root)  # the page's link texts and jusText's text, each read once when asked
    if len(text) < settings.FALLBACK_BELOW_CHARS:
        full: list[str] = []
        if sum(map(len, other)) >= settings.FALLBACK_BELOW_CHARS:
            full = other
        elif _agreed_share(paragraphs, other, support) < settings.FALLBACK_AGREED_SHARE:
            full = default = _paragraphs(_trafilatura_text(root, url, fast=False))
            if comments is not None:
                full = default = comments.outside(full)
        if full and sum(map(len, full)) > _unlinked_chars(paragraphs, page.links()):
            paragraphs = keep_inside_article(root, drop_new_excerpts(full, paragraphs), paragraphs)
    # A long text is unchanged since it was filtered above (the branch before changes only a short one).
    paragraphs = filtered if filtered is not None else filter_paragraphs(paragraphs, title)
    if support.size < settings.VOTE_MIN_TOKENS and _doubtful(paragraphs):
        # Readability found no article, so nothing would check a text that starts or ends with
        # non-prose: the precise pass may have taken the whole page (computerandvideogames.com:
        # 120 lines of other games' headlines around the story). trafilatura's default pass, which
        # compares its own result with readability's and jusText's, votes instead.
        if default is None:
            default = _paragraphs(_trafilatura_text(root, url, fast=False))
            if comments is not None:
                default = comments.outside(default)
        other = default
        support = _Support(other)
    if menus_beside_story(paragraphs, other, root, support, page):
        paragraphs = filter_paragraphs(other, title)
    kept = trim_to_vote(paragraphs, other, root, support, page)
    kept = with_subheads(with_items_between(kept, other, root, page), root)
    if (story := story_around_stub(kept, other, root, page)) is not None:
        return filter_paragraphs(story, title)
    return kept


def _unlinked_chars(paragraphs: list[str], links: LinkTexts) -> int:
    """The length of `paragraphs` without the lines that are mostly the page's link text (at least
    `settings.VOTE_LINKED_SHARE` of them): what a short text holds of its own when a longer candidate is weighed.

    A paywalled story of two paragraphs printed as bare `<div>`s under a list of other stories' headlines and
    tag links: without class names and sectioning tags trafilatura's precise pass took the list (1,004
    characters) and readability the story (502); measured by length the list won, and the vote kept the
    photo caption alone (fundus ChunichiShimbun on the "classes + sections" blind copy, session 42).
    """
    return sum(len(p) for p in paragraphs if _link_share(p, links) < settings.VOTE_LINKED_SHARE)


_ITEM_TAGS = ("h2", "h3", "h4", "h5", "h6", "li", "dt", "dd")


def _line_key(line: str) -> str:
    """A block's text as both candidates print it: whitespace collapsed, without trafilatura's list dash
    (cheaper than `_norm`, which reads every word: the lookups run over every line of both candidates)."""
    return " ".join(line.removeprefix("- ").split())


_LISTS = ("ul", "ol", "dl")


def with_items_between(kept: list[str], other: list[str], root: HtmlElement, page: _PageReads) -> list[str]:
    """Our paragraphs with the headings and list items the other candidate prints between two of them.

    trafilatura's precise pass, finding no container whose tag or class it knows, reads only the
    page's `<p>`s, quotes, code blocks and tables (its `recover_wild_text`): a post whose body is mostly lists (release notes, a how-to's
    steps, a glossary's `<dl>`) or split by `<h2>`s came back as its intro and its last line, where
    readability kept the whole `<div>`. Lines the other candidate has between two of our paragraphs,
    that we lack, come back when the page prints them as a heading (`<h2>`-`<h6>`), a list item or a
    definition (`<dt>`, `<dd>`) whose heading or list is a sibling of both paragraphs' `<p>`s (or
    headings, or lists: a heading between a how-to's lists of tools and of steps): a
    subscription box's list or a teaser card's heading sits in a box of its own between them (the
    precise pass left those out on purpose), and an author box's heading sits with the bio, not with
    the story. Link text (a contents box) and boilerplate stay out.

    Each line of the other candidate is read for one gap at most: the gaps are taken in our order while each
    starts at or after the last one's end. Two of our paragraphs that the other prints in another order (a
    line it prints first, repeated between each pair of ours: a field list's "Date" 10,000 times) made gaps
    that overlapped, each read again: 20,000 lines took 10 s (session 43).
    """
    if len(kept) < 2 or not other:
        return kept
    at = {_line_key(line): i for i, line in reversed(list(enumerate(other)))}
    spots = [at.get(_line_key(para)) for para in kept]
    gaps = []
    end = 0
    for k, (a, b) in enumerate(zip(spots, spots[1:], strict=False)):
        if a is not None and b is not None and b > a + 1 and a >= end:
            gaps.append((k, a, b))
            end = b
    if not gaps:
        return kept
    ours = _Support(kept)
    items: dict[str, set[_Element]] = {}  # a heading's or list item's text -> the parents of it or its list
    blocks: dict[str, set[_Element]] = {}  # the same for <p>s too: where our paragraphs sit
    found: dict[int, list[str]] = {}  # lines to put after kept[k]
    for k, a, b in gaps:
        lines = [line for line in other[a + 1:b] if not ours(line) and _TOKENS.search(line)]
        if not lines:
            continue
        if not blocks:
            for node in root.iter("p", *_ITEM_TAGS):
                top = node if node.tag[0] in "ph" else next(node.iterancestors(*_LISTS), None)
                if top is not None and (parent := top.getparent()) is not None:
                    text = _line_key("".join(node.itertext()))
                    blocks.setdefault(text, set()).add(parent)
                    if node.tag != "p":
                        items.setdefault(text, set()).add(parent)
        parents = blocks.get(_line_key(kept[k]), set()) & blocks.get(_line_key(kept[k + 1]), set())
        if not parents:
            continue
        links = page.links()
        found[k] = [line for line in lines if items.get(_line_key(line), set()) & parents
                    and not _is_boilerplate(line) and _link_share(line, links) < settings.VOTE_LINKED_SHARE]
    if not found:
        return kept
    return [line for k, para in enumerate(kept) for line in (para, *found.get(k, ()))]


_SUBHEADS = ("h2", "h3", "h4", "h5", "h6")


def _text_sibling(node: HtmlElement, step: int) -> HtmlElement | None:
    """The nearest sibling before (-1) or after (1) that holds text: an emptied ad slot between a subhead
    and its paragraph (its script gone) is not there for a reader."""
    sibling = node.getprevious() if step < 0 else node.getnext()
    while sibling is not None and (not isinstance(sibling.tag, str) or not "".join(sibling.itertext()).strip()):
        sibling = sibling.getprevious() if step < 0 else sibling.getnext()
    return sibling


_INLINE_TAGS = frozenset({"b", "strong", "i", "em", "u", "span", "font", "big", "small", "a", "abbr", "sup", "sub"})
_EMPHASIS = frozenset({"b", "strong"})


def _heading_shaped(node: HtmlElement) -> bool:
    """A block printed as a heading without a heading's tag: only inline markup, and its letters all
    capitals or all of its text bold ("<div>EDITORIAL IN THE MORNING PAPER</div>", "<div><b>Money</b></div>")."""
    if any(isinstance(d.tag, str) and d.tag not in _INLINE_TAGS for d in node.iterdescendants()):
        return False
    if _capitals(node.text_content()):
        return True
    for piece in _TEXT_PIECES(node):
        owner = piece.getparent()
        if piece.is_tail:
            owner = owner.getparent()
        while owner is not node and owner.tag not in _EMPHASIS:
            owner = owner.getparent()
        if owner is node:
            return False
    return True


_TEXT_PIECES = etree.XPath(".//text()[normalize-space()]")


def _beside_p(node: HtmlElement) -> bool:
    """Whether the element next to it on either side (comments aside) is a <p>: a cheap first test of a block
    between two paragraphs, before its text is read."""
    for step in (node.getprevious, node.getnext):
        sibling = step()
        while sibling is not None and not isinstance(sibling.tag, str):
            sibling = sibling.getprevious() if step == node.getprevious else sibling.getnext()
        if sibling is not None and sibling.tag == "p":
            return True
    return False


def _capitals(text: str) -> bool:
    """Whether the text has two letters or more, all of them capitals."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def with_subheads(kept: list[str], root: HtmlElement) -> list[str]:
    """Our paragraphs with the subheads the page prints between two of them.

    A long text that starts and ends with prose skips the vote, so `with_items_between` never puts
    back what trafilatura's precise pass left out there, and that pass drops headings inside a story
    (a short "Nysgerrighed" between two `<p>`s, every `<h3>` of a container whose class it does not
    know); after the vote, readability may have dropped it too. A heading (`<h2>`-`<h6>`) whose nearest
    siblings with text are `<p>`s holding two consecutive paragraphs of ours is the story's subhead: of
    the dev pages' headings between two `<p>`s of their gold, 264 of 273 are in it (aeb 88 of 90, fundus
    174 of 181, l3s 2 of 2). A heading that is mostly link text (a teaser's), longer than
    `settings.SUBHEAD_MAX_CHARS`, boilerplate, or one we have already, stays as it was.
    """
    if len(kept) < 2:
        return kept
    at = {_line_key(para): i for i, para in enumerate(kept)}
    found: dict[int, list[str]] = {}
    for heading in root.iter(*_SUBHEADS, "div"):
        if heading.tag == "div" and not (_beside_p(heading) and _heading_shaped(heading)):
            continue
        before, after = _text_sibling(heading, -1), _text_sibling(heading, 1)
        if before is None or after is None or before.tag != "p" or after.tag != "p":
            continue
        k = at.get(_line_key(before.text_content()))
        if k is None or at.get(_line_key(after.text_content())) != k + 1:
            continue
        text = _line_key(heading.text_content())
        if not text or len(text) > settings.SUBHEAD_MAX_CHARS or text in at or _is_boilerplate(text):
            continue
        linked = sum(len(t) for a in heading.iter("a") for t in a.itertext())
        if linked >= settings.VOTE_LINKED_SHARE * len(text):
            continue
        found.setdefault(k, []).append(text)
    if not found:
        return kept
    return [line for k, para in enumerate(kept) for line in (para, *found.get(k, ()))]


def story_around_stub(kept: list[str], other: list[str], root: HtmlElement,
                      page: _PageReads | None = None) -> list[str] | None:
    """The other candidate's story, when what the vote left of ours is a stub of it (None otherwise).

    A precise pass that took the lead and the readers' comments below it (markup whose class names
    it does not know) keeps one sentence once the comments are cut. When the stub is under
    `STUB_MAX_CHARS`, the other candidate starts with every paragraph of it (within `STUB_LEAD_SLACK`
    paragraphs) and holds a story (up to its own comments: `STUB_STORY_PROSE` prose paragraphs,
    `STUB_SHARE` times the stub, not link text), the stub was the start of that story. `page` is what
    is read off `root` when the caller has made it already.
    """
    size = sum(map(len, kept))
    if not kept or size >= settings.STUB_MAX_CHARS:
        return None
    story = other[:_comments_start(other, 0)]
    if sum(map(len, story)) < settings.STUB_SHARE * size \
            or sum(map(is_prose, story)) < settings.STUB_STORY_PROSE:
        return None
    # The stub is the story's start (a dateline or kicker may come first): a brief among other briefs
    # that readability took together is no stub of them.
    # A stub of table rows (a layout table's publisher notes the precise pass took for the page) is
    # no brief among briefs: the story only has to hold it, anywhere.
    support = _Support(story if _mostly(kept, _is_row) else story[:len(kept) + settings.STUB_LEAD_SLACK])
    worded = _worded(kept)
    if not worded or not all(map(support, worded)) \
            or _mostly_links(story, (page if page is not None else _PageReads(root)).links()):
        return None
    return story


def _worded(paragraphs: list[str]) -> list[str]:
    """The paragraphs of four words or more: a shorter line ("Sport", "E-mail", "Article tools") is
    a menu item as often as a story's, and a word the story also uses is no evidence of a shared text."""
    return [para for para in paragraphs if len(_TOKENS.findall(para)) >= settings.EVIDENCE_MIN_TOKENS]


def menus_beside_story(paragraphs: list[str], other: list[str], root: HtmlElement,
                       support: _Support | None = None, page: _PageReads | None = None) -> bool:
    """Whether our text is the page's menus and the other candidate's, which shares (next to) none of it, the story.

    A catastrophe guard that reads no class name: a page whose markup names nothing the precise pass
    knows (a 2008 network footer of 40 sister papers, a Russian portal's 89 menu lines above a
    630-character story) gave its navigation as the article while readability had the story. Only when
    the two share no paragraph, most of our text is the page's link text and the other's is prose
    that is not. `support` is the other candidate's `_Support`, and `page` what is read off `root`, when
    the caller has made them already.
    """
    if support is None:
        support = _Support(other)
    if support.size < settings.VOTE_MIN_TOKENS:
        return False
    size = sum(map(len, paragraphs))
    shared = sum(len(para) for para in _worded(paragraphs) if support(para))
    if _mostly(paragraphs, _is_row) and not _mostly(other, _is_row) and _mostly(other, is_prose) \
            and sum(map(len, other)) > size and shared < settings.VOTE_LINKED_SHARE * size:
        # A teaser or photo table the layout-table pass left (no nested table, no story-long cell) is
        # no article either: a caption row and "Top National News" rows over a 1,000-word story, the
        # story's own teaser among them (myfoxtoledo.com). A story glued into one row stays when the
        # other's prose is shorter (an e-mail form's notice), or when that row is most of our text.
        return True
    if shared:
        return False
    links = (page if page is not None else _PageReads(root)).links()
    return _mostly_links(paragraphs, links) and not _mostly_links(other, links)


def _is_row(para: str) -> bool:
    """Whether the paragraph is a table row ("| a | b |", as trafilatura prints a row)."""
    return para.startswith("|")


# Blocks that end a run of text: the story's own run is text and inline markup between <br>s.
_RUN_BLOCKS = (_BLOCK_TAGS - {"br"}) | {"tbody", "dl", "iframe"}
# The page's pieces of text of some length, found in one XPath pass: a Python walk over every element's
# tail cost a millisecond a page, and an XPath for the text right after each block several.
_LONG_TEXTS = etree.XPath("//text()[string-length(normalize-space(.)) >= $chars]")
_LOOSE_AFTER = _RUN_BLOCKS | {"br"}  # a loose paragraph follows a block or a line break


def _flat(text: str | None) -> str:
    """A piece of the page's text on one line: a newline in the page's source is a space (a 2008 page
    hard-wraps its story every 80 characters); only a <br> breaks a line."""
    return (text or "").replace("\n", " ")


def _text_run(container: HtmlElement, start: HtmlElement | None, end: HtmlElement | None = None) -> list[str]:
    """The paragraphs of a run of `container`'s own text: its text, inline children and tails, split at
    <br>s, up to the next block child. The run starts at the tail of the child `start` (None: at the
    container's own leading text). With `end`, it stops at that child, and a block without text of its
    own before it (`_is_gap`) is a line break, not the run's end."""
    # From `start` on, not from the container's first child: a story of 4,000 paragraphs each with a
    # loose line after it (`with_loose_between`) walked the children before each start again.
    pieces: list[str] = [_flat(start.tail)] if start is not None else [_flat(container.text)]
    for child in start.itersiblings() if start is not None else container:
        if child is end:
            break
        if not isinstance(child.tag, str):
            pieces.append(_flat(child.tail))
        elif child.tag in _RUN_BLOCKS:
            if end is None or not _is_gap(child):
                break
            pieces.append("\n" + _flat(child.tail))
        elif child.tag == "br":
            pieces.append("\n" + _flat(child.tail))
        else:
            pieces.append(_flat(child.text_content()) + _flat(child.tail))
    return [p for p in (" ".join(line.split()) for line in "".join(pieces).split("\n")) if p]


def described_story(root: HtmlElement, paragraphs: list[str], description: str | None) -> list[str] | None:
    """The story as the run of text that starts with the page's own description, where our text missed it.

    A catastrophe guard for layouts every method misreads (a 2008 sports page: the story was bare text
    between <br>s in a table cell, and the text taken was the site's footer). The publisher's meta
    description is usually the story's first sentences. When our text shares under half of its words,
    and the page shows it as the start of a run of text longer than itself and of at least two
    paragraphs, that run is the story. A teaser or standfirst block (one paragraph, about the
    description's length) is no such run.
    """
    desc = " ".join((description or "").split())
    words = set(_TOKENS.findall(desc.casefold()))
    if len(desc) < settings.DESCRIBED_MIN_CHARS or len(words) < 10:
        return None
    ours = set(_TOKENS.findall(" ".join(paragraphs).casefold()))
    if len(words & ours) >= settings.DESCRIBED_MAX_OVERLAP * len(words):
        return None
    probe = " ".join(desc.split()[:8])
    body = root.find("body")
    if body is None:
        return None
    # A text that holds the probe holds its longest word as it is: only such texts are split and joined.
    word = max(probe.split(" "), key=len)
    for node in body.iter():
        if not isinstance(node.tag, str) or node.tag in ("script", "style", "a", "option", "textarea"):
            continue
        if node.text and word in node.text and probe in " ".join(node.text.split()):
            run = _text_run(node, None)
        elif node.tail and word in node.tail and probe in " ".join(node.tail.split()) \
                and node.getparent() is not None:
            run = _text_run(node.getparent(), node)
        else:
            continue
        if len(run) >= 2 and sum(map(len, run)) >= 1.5 * len(desc) and has_prose(run):
            return run
        return None
    return None


def loose_story(root: HtmlElement) -> list[str]:
    """The page's longest run of bare text between <br>s, when it is a story; else [].

    A last resort for pages where no method found an article: a 2008 layout printing the whole story
    as text and <br>s in a table cell or a <span> (wvva.com, palgn.com.au), which trafilatura,
    readability and jusText all pass over. Only a run of several paragraphs with prose and of a
    story's length counts: a removed story's template (a footer line, an "about us" blurb) has none.
    """
    body = root.find("body")
    if body is None:
        return []
    # Blocks and the elements that hold one, found in one pass (each ancestor is marked once): only they
    # start and end runs; an inline element's text, <br>s included, belongs to its holder's run. Every
    # element is read once, so a page of deeply nested inline markup costs no more than a flat one.
    holders: set[_Element] = {body}
    for node in body.iter(*_RUN_BLOCKS):
        while node is not None and node not in holders:
            holders.add(node)
            node = node.getparent()
    best: list[str] = []
    for node in body.iter():  # document order: of two runs of the same length, the first wins
        if node not in holders or node.tag in ("a", "option", "textarea") or len(node) == 0:
            continue
        run: list[str] = [_flat(node.text)]
        for child in node:
            if not isinstance(child.tag, str):
                run.append(_flat(child.tail))
            elif child.tag == "br":
                run.append("\n" + _flat(child.tail))
            elif child in holders:
                best = _longer(best, run)
                run = [_flat(child.tail)]
            else:
                run.append(_inline_text(child) + _flat(child.tail))
        best = _longer(best, run)
    if len(best) >= 2 and sum(map(len, best)) >= settings.LOOSE_STORY_MIN_CHARS and has_prose(best):
        return best
    return []


def _inline_text(node: _Element) -> str:
    """The text of an inline element and its descendants, a <br> read as a line break."""
    parts: list[str] = []
    for event, element in etree.iterwalk(node, events=("start", "end")):
        if event == "start":
            parts.append("\n" if element.tag == "br" else _flat(element.text) if isinstance(element.tag, str) else "")
        elif element is not node:
            parts.append(_flat(element.tail))
    return "".join(parts)


def _longer(best: list[str], run: list[str]) -> list[str]:
    lines = [p for p in (" ".join(line.split()) for line in "".join(run).split("\n")) if p]
    return lines if sum(map(len, lines)) > sum(map(len, best)) else best


def with_continuation(root: HtmlElement, paragraphs: list[str],
                      title: str | list[str] | None = None) -> list[str]:
    """The paragraphs with the story's continuation from the sibling chunks of its container.

    Some templates print a long story in chunks, one container per chunk with ads between them
    (newyorker.com: three `GridWrapper` blocks, each with the same paragraph container; nytimes.com's
    `StoryBodyCompanionColumn`). trafilatura then takes the first chunk: a 4,700-word story came
    back with 2,200. From the container of our last long paragraph up to the block that holds the
    page's <h1> or is its <article> (beyond that a same-class sibling is another story), the first
    ancestor with siblings of its tag and class is the chunk; a sibling's paragraphs come in, in
    page order, only from its containers like ours, only when it has no <h1>, and only when they
    are new prose with at least settings.PRUNE_KEEP_LONG_PARAGRAPHS long paragraphs: a chunk of a
    story, not a comment, a caption or a "related" box printed in the same template.
    """
    anchor = next((p for p in reversed(paragraphs) if len(p) >= settings.ARTICLE_ANCHOR_CHARS), None)
    if anchor is None:
        return paragraphs
    word = max(_TOKENS.findall(anchor), key=len, default="")
    if not word:
        return paragraphs  # a rule of dashes or dots: nothing to look for
    probe = f" {_probe(anchor)} "
    # XPath's contains() narrows the <p>s in C; the last one holding the anchor's words is its <p>.
    # (the word cut as in _break_before: libxml2 measures the needle again for every <p>)
    holder = next((p for p in reversed(_PARAGRAPHS_WITH(root, w=word[:settings.SEARCH_WORD_CHARS]))
                   if probe in f" {_norm(p.text_content())} "), None)
    container = holder.getparent() if holder is not None else None
    if container is None or not container.get("class"):
        return paragraphs
    kind = (container.tag, container.get("class"))
    node = container
    for _ in range(settings.CONTINUATION_MAX_LEVELS):
        parent = node.getparent()
        # The story's own block: its siblings are other stories (a next story printed below it).
        if parent is None or node.tag in ("article", "main", "body") or node.find(".//h1") is not None:
            break
        cls = node.get("class")
        if cls:
            before = [s for s in node.itersiblings(preceding=True) if s.tag == node.tag and s.get("class") == cls]
            after = [s for s in node.itersiblings() if s.tag == node.tag and s.get("class") == cls]
            if before or after:
                known = {_norm(p) for p in paragraphs}
                head = _chunk_text(before[::-1], kind, known, title)
                tail = _chunk_text(after, kind, known, title)
                return [*head, *paragraphs, *tail]
        node = parent
    return paragraphs


def _chunk_text(chunks: list[_Element], kind: tuple[str, str], known: set[str],
                title: str | list[str] | None) -> list[str]:
    """The new prose of the chunks' containers of `kind` (tag, class) that hold a chunk of a story."""
    out = []
    for chunk in chunks:
        if chunk.find(".//h1") is not None:
            continue  # a block with its own headline is another story
        inner = [chunk] if (chunk.tag, chunk.get("class")) == kind else \
            [e for e in chunk.iter(kind[0]) if e.get("class") == kind[1]]
        text = [p for e in inner for p in element_paragraphs(e) if is_prose(p) and _norm(p) not in known]
        text = filter_paragraphs(text, title)
        if sum(len(p) >= settings.PRUNE_LONG_PARAGRAPH_CHARS for p in text) >= settings.PRUNE_KEEP_LONG_PARAGRAPHS:
            out.extend(text)
    return out
