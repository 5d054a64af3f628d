"""A ninth probe of the clean step (session 34): page shapes whose cost grew faster than the page.

Each test counts the work a pass does on a real page (a compiled XPath or a helper wrapped to count its
calls, which still run) or checks what comes out; the seconds are `benchmarks/hostile_pages.py`'s.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from newsdedup.clean import body, dates, extract, metadata
from newsdedup.clean import settings as clean_settings
from newsdedup.clean.html import parse

from .pages import LOREM, article, page

pytestmark = pytest.mark.slow

_STORY = [f"Paragraph {i} of the story. {LOREM}".strip() for i in range(3)]
_URL = "https://example.com/news/2024/03/05/budget"


def _counted(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[int]:
    """Count the calls of `owner.name` (each call still runs)."""
    calls = [0]
    real: Callable[..., Any] = getattr(owner, name)

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls


def test_the_headings_around_many_date_elements_are_read_once_each(monkeypatch: pytest.MonkeyPatch) -> None:
    # 20,000 <time>s in the article: the article's headings were read again for each (63 s), since the
    # nearest ancestor holding a heading is the article for all of them.
    reads = _counted(monkeypatch, metadata, "_CARD_HEADINGS")
    times = "".join(f"<time datetime='2023-01-{1 + i % 28:02d}T10:00:00Z'>Jan {1 + i % 28}, 2023</time> "
                    for i in range(2_000))
    ex = extract(page("", article(_STORY, extra_before=times)), _URL)
    assert ex.paragraphs == _STORY
    assert ex.published == datetime(2023, 1, 1, 10, tzinfo=UTC)
    assert reads[0] <= 10


def test_a_teaser_cards_date_is_still_not_the_articles() -> None:
    # The same verdict for every date of a card: its linked heading says it is another story's.
    cards = "".join(f"<div class='card'><h3><a href='/news/{i}'>Other story number {i} here</a></h3>"
                    f"<time datetime='2022-05-{1 + i:02d}T08:00:00Z'>May {1 + i}</time></div>" for i in range(5))
    own = "<time datetime='2024-03-05T09:30:00Z'>March 5, 2024</time>"
    ex = extract(page("", article(_STORY, extra_before=cards + own)), _URL)
    assert ex.published == datetime(2024, 3, 5, 9, 30, tzinfo=UTC)


# The XPath the header-date pass used: every text node after the headline, its ancestors tested to the
# page's end (9 s on a page of 360,000 nested <div>s); `dates._texts_after` reads the same nodes lazily.
_HEADER_TEXT = etree.XPath("following::text()[not(ancestor::script or ancestor::style or ancestor::noscript"
                           " or ancestor::figure or ancestor::figcaption or ancestor::button)]")
_TAGS = ["div", "p", "span", "b", "a", "h1", "br", "script", "style", "noscript", "figure", "figcaption", "button",
         "ul", "li", "table", "td"]
_WORDS = st.sampled_from(["", " ", "\n ", "May 5, 2024", "By Ann Lee", "x", "Updated: 3 June 2023 "])


@st.composite
def _markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 4 else 0))):
        tag = draw(st.sampled_from(_TAGS))
        inner = "" if tag == "br" else draw(_markup(depth + 1))
        parts.append(f"<{tag}>" if tag == "br" else f"<{tag}>{draw(_WORDS)}{inner}</{tag}>")
        parts.append(draw(_WORDS))
    return "".join(parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_markup())
def test_the_texts_after_a_headline_are_the_xpaths(body: str) -> None:
    root = parse(page("", f"<main>{body}<p>end</p></main>"))
    for node in root.iter():
        if isinstance(node.tag, str):
            assert list(dates._texts_after(node)) == [str(t) for t in _HEADER_TEXT(node)]


def test_a_byline_date_after_the_headline_is_found_beside_deep_markup() -> None:
    # The date under the headline is read from the first text nodes after it, however deep the page goes below.
    deep = ("<div>x " * 240 + "</div>" * 240) * 20
    html = page("<title>Budget approved by the council</title>",
                f"<div><h1>Budget approved by the council</h1><span>May 5, 2023</span>{deep}"
                + "".join(f"<p>{p}</p>" for p in _STORY) + "</div>")
    assert extract(html, "https://example.com/news/budget").published == datetime(2023, 5, 5)


def _printed_above_as_before(paragraphs: list[str], before: str, after: str) -> int:
    """The rule as it was written: each paragraph's probe looked for in the whole text above, then below."""
    lead = 0
    while lead < len(paragraphs) and body._probe(paragraphs[lead]) in before:
        lead += 1
    if lead == 0 or lead == len(paragraphs):
        return 0
    while lead > 0 and body._probe(paragraphs[lead - 1]) in after:
        lead -= 1
    return lead


_LINE = st.lists(st.sampled_from(["bold", "line", "1", "2", "here", "x", "Budget", "the"]), min_size=0, max_size=12)


@settings(max_examples=500, deadline=None)
@given(st.lists(_LINE.map(" ".join), max_size=8), st.lists(st.integers(0, 7), max_size=12),
       st.lists(st.integers(0, 7), max_size=8), st.sampled_from(["", " ", "x"]))
def test_the_lines_above_the_headline_are_those_the_whole_text_search_found(
        lines: list[str], above: list[int], below: list[int], glue: str) -> None:
    # The texts above and below the headline hold some of the lines, in any order, glued or not.
    before = body._norm(glue.join(lines[i] for i in above if i < len(lines)))
    after = body._norm(glue.join(lines[i] for i in below if i < len(lines)))
    assert body._printed_above(lines, before, lambda: after) == _printed_above_as_before(lines, before, after)


def test_fifty_thousand_bold_lines_above_the_headline_go() -> None:
    # A page with no structured title and 50,000 bold lines above its headline: 17 s in the rule that drops
    # what is printed only above the headline (the text above searched whole for each line); all go still.
    lines = "".join(f"<b>Bold line number {i} here</b><br>" for i in range(50_000))
    html = page("<title>Budget approved by the council - Town News</title>",
                f"{lines}<div><b>Budget approved by the council</b>" + "".join(f"<p>{p}</p>" for p in _STORY) + "</div>")
    ex = extract(html, _URL)
    assert ex.title == "Budget approved by the council" and ex.paragraphs == _STORY


@pytest.mark.parametrize("kind", ["Person", "Organization"])
def test_thousands_of_json_ld_authors_are_read_up_to_the_cap(kind: str, caplog: pytest.LogCaptureFixture) -> None:
    # 200,000 credits in the article's JSON-LD took 61 s (each cleaned and compared with the site's names)
    # and all were stored as its authors.
    credits = [{"@type": kind, "name": f"Writer Number{i}" if kind == "Organization" else f"Anna Writer{i}"}
               for i in range(5_000)]
    ld = json.dumps({"@type": "NewsArticle", "headline": "Budget approved", "author": credits})
    with caplog.at_level(logging.WARNING, logger="newsdedup.clean.authors"):
        ex = extract(page(f"<script type='application/ld+json'>{ld}</script>", article(_STORY)), _URL)
    assert ex.paragraphs == _STORY
    assert 0 < len(ex.authors) <= clean_settings.LD_AUTHOR_MAX_ENTRIES
    assert "5000 JSON-LD author entries" in caplog.text


def test_a_few_json_ld_authors_are_all_read() -> None:
    ld = json.dumps({"@type": "NewsArticle", "headline": "Budget approved",
                     "author": [{"@type": "Person", "name": n} for n in ("Anna Lee", "Tom Berg", "Eva Roth")]})
    ex = extract(page(f"<script type='application/ld+json'>{ld}</script>", article(_STORY)), _URL)
    assert ex.authors == ["Anna Lee", "Tom Berg", "Eva Roth"]


_NAMES = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo"]
_PARAGRAPH = st.lists(st.sampled_from(_NAMES), unique=True, max_size=11).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PARAGRAPH, max_size=6), st.lists(_PARAGRAPH, max_size=6), st.lists(_PARAGRAPH, max_size=8))
def test_a_long_candidate_loses_the_comment_sections_paragraphs_a_short_one_does(
        story: list[str], thread: list[str], candidate: list[str]) -> None:
    # Past COMMENT_PROBE_SCANS paragraphs, the probes are counted together as runs of words: the same
    # paragraphs go as when each is counted in the texts on its own (words of a paragraph differ: no probe
    # overlaps itself, where the scan counts occurrences apart and the runs every one).
    root = parse(page("", "<div>" + "".join(f"<p>{p}</p>" for p in story) + "</div><div id='c'>"
                      + "".join(f"<p>{p}</p>" for p in thread) + "</div>"))
    section = root.find(".//div[@id='c']")
    one_by_one = body.CommentSection(root.find("body"), body._spaced(section)).outside(candidate)
    scans = clean_settings.COMMENT_PROBE_SCANS
    clean_settings.COMMENT_PROBE_SCANS = 0
    try:
        together = body.CommentSection(root.find("body"), body._spaced(section)).outside(candidate)
    finally:
        clean_settings.COMMENT_PROBE_SCANS = scans
    assert together == one_by_one


def test_five_thousand_comments_below_the_story_are_not_its_text() -> None:
    # Each of a long thread's paragraphs was counted in the whole page and the section, twice each: 5,000
    # comments took 13 s, 20,000 minutes.
    thread = ("<div class='thread'><h3>24 Comments</h3>" + "".join(
        f"<div><span>Reader{i} says:</span><p>I really think comment number {i} about the budget is a fine point "
        f"to make here.</p><a href='#'>Reply</a></div>" for i in range(5_000)) + "</div>")
    html = page("", "<main><article><h1>Budget approved by the council</h1>" + "".join(f"<p>{p}</p>" for p in _STORY)
                + f"</article>{thread}</main>")
    assert extract(html, _URL).paragraphs == _STORY


def test_nested_inline_markup_around_a_megabyte_is_not_collapsed_once_a_level(monkeypatch: pytest.MonkeyPatch) -> None:
    # 240 nested <span>s around a megabyte of words on a page without a structured title: each span's whole
    # text was collapsed (clean_ws) to be found too long for a headline (10 s).
    handed: list[int] = []
    real = metadata.clean_ws

    def recording(text: str | None) -> str:
        handed.append(len(text or ""))
        return real(text)

    monkeypatch.setattr(metadata, "clean_ws", recording)
    html = page("<title>Budget approved by the council - Town News</title>",
                "<span>" * 240 + "word " * 200_000 + "</span>" * 240
                + "<div><b>Budget approved by the council</b>" + "".join(f"<p>{p}</p>" for p in _STORY) + "</div>")
    ex = extract(html, _URL)
    assert ex.title == "Budget approved by the council"
    assert max(handed) < 100_000


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["word", "x", "May", "5", "2024", " ", "\n", "\t", "\u00a0", "\u2009", "\u3000",
                                 "  ", "Budget approved"]), max_size=300).map("".join))
def test_a_blocks_shown_text_is_its_collapsed_text(text: str) -> None:
    node = lxml.html.fromstring("<div></div>")
    node.text = text
    old = metadata.clean_ws(text)
    assert metadata._shown_text(node) == (old if 8 <= len(old) <= 250 and not metadata.is_date_line(old) else None)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", "B", "1", " ", "\n", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85",
                                         "\u00a0", "\u1680", "\u2000", "\u2009", "\u200b", "\u2028", "\u202f", "\u3000",
                                         "\u00ad", "\ufeff", "\u00a8", "\ufb01"]), max_size=60))
def test_collapsed_white_space_is_the_regexs(text: str) -> None:
    # clean_ws splits with str.split() where it substituted \s+ (a tenth of the cost on a long text).
    regex = re.compile(r"\s+")
    assert metadata.clean_ws(text) == regex.sub(" ", text).strip()
    assert metadata.visible_key(text) == regex.sub(" ", re.sub("[\u200b\u200c\u200d\u2060\ufeff\u00ad]", "",
                                                              unicodedata.normalize("NFKC", text))).strip().casefold()


def test_headings_nested_around_a_megabyte_are_read_once_each_cheaply() -> None:
    # 240 headline-classed <div>s around a megabyte of words, on a page whose JSON-LD and OpenGraph headlines
    # differ (the page's headings are read then): 13 s of collapsing white space; the headline stays.
    ld = json.dumps({"@type": "NewsArticle", "headline": "Council passes the budget after debate"})
    html = page("<meta property='og:title' content='Budget approved by the council'>"
                f"<script type='application/ld+json'>{ld}</script>",
                article(_STORY, extra_before="<div class='headline'>" * 240 + "word " * 200_000 + "</div>" * 240,
                        h1="Budget approved by the council"))
    assert extract(html, _URL).title == "Budget approved by the council"


def test_nested_boilerplate_wrappers_count_their_paragraphs_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # 240 nested "ad" <div>s around 20,000 short <p>s: the pruning counted the long <p>s of each (every <p>'s
    # text read once a level, 4.8 million reads, 6.5 s).
    reads = _counted(monkeypatch, lxml.html.HtmlMixin, "text_content")
    ads = "<div class='ad-slot'>" * 240 + "".join(f"<p>short {i}</p>" for i in range(2_000)) + "</div>" * 240
    ex = extract(page("", article(_STORY, extra_before=ads)), _URL)
    assert ex.paragraphs == _STORY
    assert reads[0] < 100_000


_PARAS = st.sampled_from(["<p>short</p>", f"<p>{LOREM * 2}</p>", f"<p>a <b>{LOREM}</b> b</p>"])


@st.composite
def _blocks(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 4 else 0))):
        if draw(st.booleans()):
            parts.append(draw(_PARAS))
        else:
            tag = draw(st.sampled_from(["div", "section", "span", "p"]))
            parts.append(f"<{tag} class='ad'>{draw(_blocks(depth + 1))}</{tag}>")
    return "".join(parts)


@settings(max_examples=200, deadline=None)
@given(_blocks())
def test_long_paragraph_counts_are_each_elements_own(markup: str) -> None:
    root = parse(page("", f"<main>{markup}</main>"))
    counts = body._long_paragraph_counts(root.find("body"))
    for node in root.find("body").iter():
        own = sum(1 for p in node.iter("p") if len(p.text_content()) >= clean_settings.PRUNE_LONG_PARAGRAPH_CHARS)
        assert counts.get(node, 0) == min(own, clean_settings.PRUNE_KEEP_LONG_PARAGRAPHS)
