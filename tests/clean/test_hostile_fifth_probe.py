"""A fifth attacker probe of the clean step: what a hostile page can make `extract` store or spend."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from newsdedup.clean import extract
from newsdedup.clean import settings as clean_settings

from .pages import LOREM, article, page

_STORY = [f"Paragraph {i} of the story. {LOREM}" for i in range(3)]
_URL = "https://example.com/news/2024/03/05/budget"
_P_TEXTS = etree.XPath("count(//text()[ancestor::p])")


@pytest.mark.parametrize("flood", [
    "<p>" + "<b>bold</b> <a href='/x'>link</a> " * 25 + "</p>",  # 1,000 formatted paragraphs: 100,000 nodes
    "<p>" + "<a href='/x'>link</a> " * 30_000 + "</p>",  # one paragraph of 30,000 links
    "<p>w</p>",  # 30,000 one-word paragraphs
])
def test_trafilatura_is_never_handed_a_flood_of_paragraph_text_nodes(flood: str, monkeypatch: Any) -> None:
    # trafilatura's main pass asks libxml2 for "//p//text()", which checks each paragraph's text nodes
    # against all found before it: 1,000 paragraphs of 50 formatted words took 24 s, one paragraph of
    # 30,000 links 106 s, 100,000 one-word paragraphs 17 s (a 600 kB page each).
    import trafilatura

    handed: list[float] = []

    def spy(tree: Any, **kwargs: Any) -> None:
        handed.append(_P_TEXTS(tree))
        return None

    monkeypatch.setattr(trafilatura, "bare_extraction", spy)
    count = 1 if flood.count("<a ") > 1000 else (1_000 if "<b>" in flood else 30_000)
    ex = extract(page("", article(_STORY, extra_before=flood * count)), _URL)
    assert ex.error is None and ex.paragraphs
    assert all(n <= clean_settings.TRAFILATURA_MAX_P_TEXTS for n in handed)


def test_formatted_paragraphs_keep_their_text_when_their_markup_is_merged() -> None:
    # 1,200 paragraphs of 40 bold and linked words each: trafilatura reads them with their markup
    # merged, and the story's words all come out.
    flood = "<p>" + "<b>bold</b> <i>word</i> " * 20 + "</p>"
    ex = extract(page("", article(_STORY, extra_before=flood * 1_200)), _URL)
    assert ex.error is None
    assert all(p.strip() in ex.paragraphs for p in _STORY)
    assert "bold word bold word" in ex.text


def test_merged_markup_gives_trafilatura_the_same_text() -> None:
    # What the merge changes is only how many text nodes a paragraph holds, never its text.
    from lxml.html import document_fromstring

    from newsdedup.clean.body import _merged_paragraph_markup, _trafilatura_text

    html = page("", article(_STORY, extra_before="<p>A <b>bold</b> and <a href='/x'>linked</a> word,<br>"
                                                 "a <span>span</span> and <em>more</em>.</p>" * 40))
    root = document_fromstring(html)
    merged = _merged_paragraph_markup(root)
    assert _P_TEXTS(merged) < _P_TEXTS(root)
    assert _trafilatura_text(merged, _URL, True) == _trafilatura_text(root, _URL, True)


def _dated(value: str, where: str) -> str:
    if where == "ld":
        head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Budget approved",'
                f' "datePublished": "{value}"}}</script>')
        return page(head, article(_STORY))
    if where == "meta":
        return page(f"<meta property='article:published_time' content='{value}'>", article(_STORY))
    return page("", article(_STORY, extra_before=f"<time datetime='{value}' pubdate></time>"))


@pytest.mark.parametrize("where", ["ld", "meta", "time"])
@pytest.mark.parametrize("value", ["12020-05-01", "-2020-05-01", "12020-05-01T10:00:00Z", "2020-05-011"])
def test_an_iso_date_inside_a_longer_number_is_no_date(value: str, where: str) -> None:
    # The ISO pattern was searched anywhere in the value: year 12020 (and year -2020) became 2020-05-01,
    # over the day the URL gives. (Without one, htmldate's whole-page guess still reads 2020-05-01 in
    # the markup, marked `published_guessed`.)
    from datetime import datetime

    ex = extract(_dated(value, where), _URL)
    assert ex.error is None and ex.published == datetime(2024, 3, 5) and not ex.published_guessed


@pytest.mark.timeout(120)  # a hang guard: 40 kB took 7 s, 400 kB about 10 minutes
def test_an_unclosed_script_string_of_escaped_quotes_is_read_once() -> None:
    # A page without prose reads its scripts' string literals; the search for them started again at
    # every quote of an unclosed string of escaped quotes and read it to its end each time.
    script = '<script>var state = "' + '\\"' * 200_000 + ";</script>"
    ex = extract(page("<meta property='og:title' content='Council approves the budget for next year'>",
                      "<h1>Council approves the budget for next year</h1><div>Menu</div>" + script), _URL)
    assert ex.error == "no_main_text"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=list('"\\ab\n<'), max_size=60), st.integers(1, 6))
def test_script_literals_are_those_the_regex_search_found(text: str, least: int) -> None:
    import re

    from newsdedup.clean import scriptstate

    reference = [m.group(1) for m in re.finditer(rf'"((?:[^"\\]|\\.){{{least},}})"', text)]
    old = clean_settings.SCRIPT_STATE_MIN_CHARS
    clean_settings.SCRIPT_STATE_MIN_CHARS = least
    try:
        assert list(scriptstate._literals(text)) == reference
    finally:
        clean_settings.SCRIPT_STATE_MIN_CHARS = old


def _ld_article(headline: str, author: str) -> str:
    import json

    return ('<script type="application/ld+json">' + json.dumps(
        {"@type": "NewsArticle", "headline": headline, "author": {"@type": "Person", "name": author}}) + "</script>")


@pytest.mark.parametrize("hidden", ["\u202e", "\u202b", "\u2067", "\U000e0041", "\U000e0001"])
def test_bidi_overrides_and_tag_characters_are_not_stored_in_title_or_authors(hidden: str) -> None:
    # "Council \u202eteg\u202c approves" is shown as "Council get approves": what a reader sees is not what
    # was stored, and a listing of titles or bylines printed the rest of its line backwards.
    head = _ld_article(f"Council {hidden}teg\u202c approves the budget", f"Anna {hidden}Smith")
    ex = extract(page(head, article(_STORY)), _URL)
    assert ex.title == "Council teg approves the budget"
    assert ex.authors == ["Anna Smith"]


def test_an_emoji_flag_keeps_its_tag_sequence() -> None:
    flag = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"  # England
    ex = extract(page(_ld_article(f"England {flag} wins the cup final", "Anna Smith"), article(_STORY)), _URL)
    assert ex.title == f"England {flag} wins the cup final"


@pytest.mark.parametrize("junk", ["\U0001f600\U0001f600\U0001f600", "\u0301" * 40, "\u202e\u202c", "\u0301\u0301 \u0301"])
def test_a_title_or_credit_without_a_letter_is_none(junk: str) -> None:
    # JSON-LD credits a string it cannot read as a person as an organisation: emoji and combining marks
    # were stored as the byline; an og:title of them won over the page's <h1>.
    head = _ld_article("Budget approved by the council", junk) + f"<meta property='og:title' content='{junk}'>"
    ex = extract(page(head, article(_STORY)), _URL)
    assert ex.authors == []
    ex = extract(page(f"<meta property='og:title' content='{junk}'>", article(_STORY)), _URL)
    assert ex.title == "Budget approved"


@pytest.mark.parametrize("tag", ["<link rel='canonical' href='{}'>", "<meta property='og:url' content='{}'>"])
def test_a_megabyte_canonical_link_is_not_the_articles_url(tag: str) -> None:
    # The page's own site, so the pipeline trusts the claim: a 1 MB URL became the article's canonical URL.
    huge = "https://example.com/news/" + "a" * 1_000_000
    ex = extract(page(tag.format(huge), article(_STORY)), _URL)
    assert ex.error is None and ex.canonical_url == _URL
    both = tag.format(huge) + "<meta property='og:url' content='https://example.com/news/budget'>"
    assert extract(page(both, article(_STORY)), _URL).canonical_url in (_URL, "https://example.com/news/budget")


@pytest.mark.parametrize("where", ["ld", "meta", "time"])
@pytest.mark.parametrize("value", ["2020", "2020-05", "May 2020", "2020/01"])
def test_a_date_without_a_day_gives_no_day(value: str, where: str) -> None:
    # dateutil filled the missing month and day from its default: "2020" was published 2020-01-01 and
    # "2020-05" 2020-05-01, over the day the URL spells out.
    from datetime import datetime

    ex = extract(_dated(value, where), _URL)
    assert ex.error is None and ex.published == datetime(2024, 3, 5)


@pytest.mark.parametrize("where", ["ld", "meta", "time"])
@pytest.mark.parametrize("value", ["2020-05-01T10:00:00+99:00", "2020-05-01T10:00:00-15:00", "2020-05-01T10:00:00+02:75"])
def test_a_date_in_a_zone_no_clock_has_is_no_date(value: str, where: str) -> None:
    # The offset was dropped and the wall time kept as a naive (zone unknown) 2020-05-01 10:00; a feed's
    # date with such a zone is ignored.
    from datetime import datetime

    ex = extract(_dated(value, where), _URL)
    assert ex.error is None and ex.published == datetime(2024, 3, 5)
