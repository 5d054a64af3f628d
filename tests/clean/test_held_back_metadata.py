"""Metadata classes of pages no dev set shows (session 42): JSON-LD that lists another story's article before
the page's own, a related story's `<time>` above the headline, AMP's `<amp-timeago>`, a byline whose date
label follows the name with no separator; synthetic pages, each with a trap beside the true value."""

from __future__ import annotations

import json
from typing import Any

import pytest

from newsdedup.clean import extract

from .pages import LOREM

TITLE = "Council approves the riverside housing plan after a long debate"
OTHER = "Flood barrier funding approved by the regional board"
RELATED = ("<section class='related'><h2>Related</h2><ul>"
           "<li><h3><a href='/news/a'>Bridge repairs start next week</a></h3><time datetime='2019-03-11'>March 11, 2019</time></li>"
           "<li><h3><a href='/news/b'>School board names new head</a></h3><time datetime='2019-03-09'>March 9, 2019</time></li>"
           "</ul></section>")
URL = "https://www.valleyherald.example/news/riverside-plan"


def _ld(obj: Any) -> str:
    return f"<script type='application/ld+json'>{json.dumps(obj)}</script>"


def _page(*, head: str = "", above: str = "", header: str = "", title_tag: str = f"{TITLE} | Valley Herald",
          og: bool = True) -> bytes:
    og_title = f"<meta property='og:title' content='{TITLE}'>" if og else ""
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title_tag}</title>{og_title}{head}"
            f"</head><body><main><article>{above}<h1>{TITLE}</h1>{header}"
            + "".join(f"<p>{LOREM}</p>" for _ in range(3)) + f"</article>{RELATED}</main></body></html>").encode()


def _article(headline: str, published: str, author: str) -> dict[str, Any]:
    return {"@context": "https://schema.org", "@type": "NewsArticle", "headline": headline,
            "datePublished": published, "author": {"@type": "Person", "name": author}}


OWN = _article(TITLE, "2019-03-04T10:15:00Z", "Jane Doe")
RELATED_LD = _article(OTHER, "2019-02-20T09:00:00Z", "John Smith")


@pytest.mark.parametrize("scripts", [
    pytest.param(_ld([RELATED_LD, OWN]), id="one array"),
    pytest.param(_ld(RELATED_LD) + _ld(OWN), id="two scripts"),
    pytest.param(_ld({"@context": "https://schema.org", "@graph": [RELATED_LD, OWN]}), id="graph"),
])
def test_a_json_ld_article_about_another_story_before_the_pages_own_is_not_read_first(scripts: str) -> None:
    # Before: the related story's day (2019-02-20) and its author (John Smith), unflagged.
    ex = extract(_page(head=scripts), URL)
    assert ex.published is not None and ex.published.date().isoformat() == "2019-03-04"
    assert ex.authors == ["Jane Doe"]
    assert ex.title == TITLE


def test_a_json_ld_headline_of_another_story_is_not_the_title_when_the_page_shows_its_own() -> None:
    # The <title> names only the site: the h1 and the page's own object agree on the headline.
    ex = extract(_page(head=_ld([RELATED_LD, OWN]), title_tag="Valley Herald", og=False), URL)
    assert ex.title == TITLE


def test_json_ld_objects_none_of_which_names_the_page_keep_their_order() -> None:
    # No object's headline is the page's: nothing tells which is the page's own, the first stays first.
    first = _article("A headline the page does not print", "2019-03-04T10:15:00Z", "Jane Doe")
    ex = extract(_page(head=_ld([first, RELATED_LD])), URL)
    assert ex.published is not None and ex.published.date().isoformat() == "2019-03-04"


def test_a_related_storys_time_above_the_headline_is_not_the_pages() -> None:
    # A "trending" line above the headline: a linked headline of another story and its <time>, no heading.
    trending = ("<div class='trending'><a href='/news/bridge'>Bridge repairs start next week</a> "
                "<time datetime='2019-03-11'>March 11, 2019</time></div>")
    header = "<div class='meta'>By Jane Doe · <time datetime='2019-03-04T10:15:00Z'>March 4, 2019</time></div>"
    ex = extract(_page(above=trending, header=header), URL)  # before: 2019-03-11
    assert ex.published is not None and ex.published.date().isoformat() == "2019-03-04"


def test_a_related_storys_time_above_the_headline_loses_to_a_byline_date_printed_as_text() -> None:
    trending = ("<div class='trending'><a href='/news/bridge'>Bridge repairs start next week</a> "
                "<time datetime='2019-03-11'>March 11, 2019</time></div>")
    ex = extract(_page(above=trending, header="<div class='meta'>By Jane Doe | March 4, 2019</div>"), URL)
    assert ex.published is not None and ex.published.date().isoformat() == "2019-03-04"


def test_a_time_beside_a_long_link_above_the_headline_is_read_when_the_page_has_no_other_date() -> None:
    # The page's own line above the headline can link a long text (a print edition's "Issue 28366 of ...").
    line = ("<p class='meta'><span><time datetime='2019-03-04T10:15:00+03:00'>today at 10:15</time></span> "
            "<span><a href='/editions/28366'>Issue No. 28366 of the morning edition</a></span></p>")
    ex = extract(_page(above=line), URL)
    assert ex.published is not None and ex.published.isoformat() == "2019-03-04T10:15:00+03:00"
    # and when the line under the headline prints that day without a time, the element's time is kept
    ex = extract(_page(above=line, header="<div class='meta'>4 March 2019</div>"), URL)
    assert ex.published is not None and ex.published.isoformat() == "2019-03-04T10:15:00+03:00"
    ex = extract(_page(above=line), "https://www.valleyherald.example/2019/03/04/riverside-plan.html")  # the URL's day
    assert ex.published is not None and ex.published.isoformat() == "2019-03-04T10:15:00+03:00"


def test_a_kicker_with_a_section_link_and_a_time_above_the_headline_is_still_read() -> None:
    kicker = "<div class='kicker'><a href='/politics'>Politics</a> <time datetime='2019-03-04T10:15:00Z'>4 March 2019</time></div>"
    ex = extract(_page(above=kicker), URL)
    assert ex.published is not None and ex.published.date().isoformat() == "2019-03-04"
    byline = ("<div class='meta'>By <a href='/author/jane-marie-doe'>Jane Marie Doe</a> "
              "<time datetime='2019-03-04T10:15:00Z'>4 March 2019</time></div>")
    ex = extract(_page(above=byline), URL)
    assert ex.published is not None and ex.published.date().isoformat() == "2019-03-04"


@pytest.mark.parametrize("shown", ["March 4, 2019", "3 hours ago"])
def test_amp_timeago_is_a_date_element(shown: str) -> None:
    # AMP prints the byline's time as <amp-timeago datetime=...>, its text often relative.
    # Before: "3 hours ago" gave no date; "March 4, 2019" was read from the text only.
    header = ("<div class='meta'><amp-timeago layout='fixed' width='160' height='20' "
              f"datetime='2019-03-04T10:15:00Z'>{shown}</amp-timeago></div>")
    ex = extract(_page(header=header), URL)
    assert ex.published is not None and ex.published.isoformat() == "2019-03-04T10:15:00+00:00"


@pytest.mark.parametrize("line", [
    "By Jane Doe Published March 4, 2019",
    "By Jane Doe Updated 10:15 AM EST, Mon March 4, 2019",
    "By Jane Doe Posted on 4 March 2019",
    "By Jane Doe, CNN Updated 10:15 AM EST, Mon March 4, 2019",
])
def test_a_date_label_right_after_the_bylines_name_ends_it(line: str) -> None:
    # Before: no author (the name ran into "Published March 4, 2019" and its digits refused it).
    ex = extract(_page(header=f"<div class='byline'>{line}</div>"), URL)
    assert ex.authors == ["Jane Doe"]
    assert ex.published is not None and ex.published.date().isoformat() == "2019-03-04"


def test_og_title_and_title_tag_naming_only_the_host_lose_to_the_h1() -> None:
    # No og:site_name, no publisher: the site's name is known from the host only ("Valley Herald" on
    # valleyherald.example). Before: "Valley Herald" was the title.
    html = _page(title_tag="Valley Herald", og=False).replace(
        b"<title>", b"<meta property='og:title' content='Valley Herald'><title>")
    ex = extract(html, URL)
    assert ex.title == TITLE


@pytest.mark.parametrize("line", [
    "Story by Jane Doe | Photography by John Smith",
    "Words by Jane Doe · Illustrations by John Smith",
    "By Jane Doe | Edited by John Smith",
])
def test_a_credit_of_another_trade_beside_the_byline_is_no_name(line: str) -> None:
    # Before: "Photography by John Smith" (or "Illustrations by ...", "Edited by ...") was credited as a name.
    ex = extract(_page(header=f"<div class='byline'>{line}</div>"), URL)
    assert ex.authors == ["Jane Doe"]
