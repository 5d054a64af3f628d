"""Metadata classes of held-back pages no dev set shows (session 46): a meta name that does not say whose date it holds
(`date`, `dc.date`, `dcterms.date`) carrying the update's time beside a byline's "Published <day>"; a related story's
JSON-LD NewsArticle (its own url and headline) beside or instead of the page's own; Mongolian, Khmer and Burmese
dates; a Bikram Sambat date (Nepal's calendar) alone; a Chinese section's label taken for the headline. Synthetic
pages, each with a trap beside the true value."""

from __future__ import annotations

import json
from datetime import date

import pytest

from newsdedup.clean import extract

from .pages import LOREM

TITLE = "Council approves the riverside housing plan after a long debate"
SITE = "https://www.valleyherald.example"
URL = f"{SITE}/news/riverside-plan"
RELATED = ("<aside><h2>Related</h2><ul><li><a href='/news/a'>Bridge repairs start next week</a> "
           "<time datetime='2019-03-11'>March 11, 2019</time></li></ul></aside>")


def _page(*, head: str = "", header: str = "", lang: str = "en", title: str = TITLE, og: str | None = None,
          top: str | None = None, story: tuple[str, ...] = (LOREM, LOREM, LOREM), outside: str = "") -> bytes:
    og = title if og is None else og
    top = f"<h1>{title}</h1>" if top is None else top
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{title} | Valley Herald</title>"
            f"<meta property='og:title' content='{og}'>{head}</head><body><nav><ul><li><a href='/news'>News</a></li>"
            f"<li><a href='/politics'>Politics</a></li></ul></nav><main><article>{top}{header}"
            + "".join(f"<p>{p}</p>" for p in story) + f"</article>{outside}</main></body></html>").encode()


def _ld(obj: object) -> str:
    return f"<script type='application/ld+json'>{json.dumps(obj, ensure_ascii=False)}</script>"


def _day(ex: object) -> date | None:
    published = getattr(ex, "published", None)
    return published.date() if published is not None else None


@pytest.mark.parametrize(("meta", "line"), [
    ("<meta name='date' content='2019-03-06T08:00:00Z'>", "Published March 4, 2019 · Updated March 6, 2019"),
    ("<meta name='dc.date' content='2019-03-06'>", "By Jane Doe | Published: 4 March 2019 | Updated: 6 March 2019"),
    ("<meta name='dcterms.date' content='2019-03-06T08:00:00+00:00'>", "First published on March 4, 2019"),
    ("<meta name='date' content='2019-03-06T08:00:00+01:00'>", "Veröffentlicht am 04.03.2019 · Aktualisiert am 06.03.2019"),
])
def test_an_undated_meta_name_holding_the_update_yields_to_the_bylines_published_day(meta: str, line: str) -> None:
    # Before: the meta's day (March 6, the update's) was the publication's.
    ex = extract(_page(head=meta, header=f"<div class='meta'>{line}</div>", outside=RELATED), URL)
    assert _day(ex) == date(2019, 3, 4)
    assert ex.updated is not None and ex.updated.date() == date(2019, 3, 6)


@pytest.mark.parametrize(("meta", "line", "day"), [
    # a label that says "published" keeps the meta: its name says whose date it is
    ("<meta property='article:published_time' content='2019-03-06T08:00:00Z'>", "Published March 4, 2019", 6),
    # no publication label under the headline: the meta stands
    ("<meta name='date' content='2019-03-06T08:00:00Z'>", "By Jane Doe · Updated March 4, 2019", 6),
    # the byline's published day is later than the meta's: the meta stands
    ("<meta name='date' content='2019-03-04T08:00:00Z'>", "Published March 6, 2019", 4),
])
def test_the_meta_date_stands_where_no_earlier_published_label_contradicts_it(meta: str, line: str, day: int) -> None:
    ex = extract(_page(head=meta, header=f"<div class='meta'>{line}</div>"), URL)
    assert _day(ex) == date(2019, 3, day)


OTHER = {"@context": "https://schema.org", "@type": "NewsArticle",
         "headline": "Flood barrier funding approved by the regional board", "url": f"{SITE}/news/flood-barrier",
         "author": {"@type": "Person", "name": "Tomas Reyes"}, "datePublished": "2019-02-20T09:00:00Z"}
OWN_PAGE = {"@context": "https://schema.org", "@type": "WebPage", "name": TITLE, "url": URL,
            "datePublished": "2019-03-04T10:15:00Z"}


def test_a_related_storys_article_beside_the_pages_webpage_is_not_the_pages() -> None:
    # Before: published 2019-02-20 and author "Tomas Reyes", the related story's.
    ex = extract(_page(head=_ld(OWN_PAGE) + _ld(OTHER)), URL)
    assert _day(ex) == date(2019, 3, 4)
    assert ex.authors == []


@pytest.mark.parametrize("ld", [OTHER, {**{k: v for k, v in OWN_PAGE.items() if k != "datePublished"},
                                        "hasPart": [OTHER]}])
def test_a_related_storys_article_alone_gives_way_to_the_byline(ld: dict[str, object]) -> None:
    ex = extract(_page(head=_ld(ld), header="<p class='byline'>By Jane Doe · March 4, 2019</p>"), URL)
    assert _day(ex) == date(2019, 3, 4)
    assert ex.authors == ["Jane Doe"]


@pytest.mark.parametrize("url", [URL, f"{SITE}/amp/news/riverside-plan/", f"{SITE}/news/riverside-plan?utm=x"])
def test_the_pages_own_article_with_an_unprinted_headline_is_kept_when_its_url_is_the_pages(url: str) -> None:
    # An SEO headline the page does not print, but the object's url names this page (an AMP copy, a query): its own.
    own = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Riverside homes: what the vote means",
           "url": f"{SITE}/news/riverside-plan", "author": {"@type": "Person", "name": "Jane Doe"},
           "datePublished": "2019-03-04T10:15:00Z"}
    ex = extract(_page(head=_ld(own)), url)
    assert _day(ex) == date(2019, 3, 4)
    assert ex.authors == ["Jane Doe"]


def test_an_article_whose_headline_the_page_prints_is_kept_whatever_its_url() -> None:
    own = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE, "url": f"{SITE}/story/123",
           "author": {"@type": "Person", "name": "Jane Doe"}, "datePublished": "2019-03-04T10:15:00Z"}
    ex = extract(_page(head=_ld(own)), URL)
    assert _day(ex) == date(2019, 3, 4)
    assert ex.authors == ["Jane Doe"]


@pytest.mark.parametrize(("line", "lang"), [
    ("2024 оны 6 сарын 12", "mn"),
    ("Нийтэлсэн: 2024 оны 6-р сарын 12, 10:15", "mn"),
    ("ថ្ងៃពុធ ទី១២ ខែមិថុនា ឆ្នាំ២០២៤ ម៉ោង ១០:១៥", "km"),
    ("12 មិថុនា 2024", "km"),
    ("၁၂ ဇွန် ၂၀၂၄", "my"),
    ("ဇွန် ၁၂၊ ၂၀၂၄", "my"),
])
def test_mongolian_khmer_and_burmese_dates_under_the_headline(line: str, lang: str) -> None:
    # Before: a related story's day (2019-03-11) or htmldate's guess.
    ex = extract(_page(header=f"<div class='meta'>{line}</div>", lang=lang, outside=RELATED), URL)
    assert _day(ex) == date(2024, 6, 12)


@pytest.mark.parametrize("line", ["२०८१ असार १५", "प्रकाशित: १५ गते असार २०८१", "असार १५, २०८१"])
def test_a_bikram_sambat_date_alone_gives_no_date_not_a_related_storys(line: str) -> None:
    # Before: the related story's 2019-03-11. Bikram Sambat months follow a yearly table: no rule converts them.
    ex = extract(_page(header=f"<div class='meta'>{line}</div>", lang="ne", outside=RELATED), URL)
    assert ex.published is None


def test_a_bikram_sambat_date_beside_a_published_meta_keeps_the_meta() -> None:
    meta = "<meta property='article:published_time' content='2024-06-29T10:00:00+05:45'>"
    ex = extract(_page(head=meta, header="<div class='meta'>२०८१ असार १५</div>", lang="ne", outside=RELATED), URL)
    assert _day(ex) == date(2024, 6, 29)


ZH_T = "市图书馆应学生要求延长开放时间"
ZH_STORY = ("市图书馆周二宣布，从下个月起工作日开放时间将延长至午夜。学生们自冬季以来一直要求增加自习座位。" * 2,
            "据图书馆介绍，延长开放每年将花费约一百万元，市议会将于下周审议这笔预算。" * 2)


@pytest.mark.parametrize(("og", "top"), [
    (ZH_T, f"<h1>要闻</h1><h2>{ZH_T}</h2>"),
    ("国际", f"<h1>{ZH_T}</h1>"),
    ("财经", f"<h3>{ZH_T}</h3>"),
    ("国际", f"<div class='crumb'><a href='/'>首页</a> &gt; <a href='/gj'>国际</a></div><h1>{ZH_T}</h1>"),
])
def test_a_chinese_section_label_is_not_the_headline(og: str, top: str) -> None:
    # Before: the label ("要闻", "国际", "财经") was the title.
    ex = extract(_page(title=ZH_T, og=og, top=top, lang="zh", story=ZH_STORY), "https://www.hupan.example/news/1.html")
    assert ex.title == ZH_T


def test_a_short_chinese_headline_with_no_longer_heading_stands() -> None:
    ex = extract(_page(title="油价上涨", top="<h1>油价上涨</h1><h2><a href='/x'>相关新闻：市图书馆延长开放时间</a></h2>",
                       lang="zh", story=ZH_STORY), "https://www.hupan.example/news/2.html")
    assert ex.title == "油价上涨"


def test_a_time_element_labelled_updated_inside_is_the_update() -> None:
    # Blox/TownNews: "<time>Updated Mar 6</time>" before "<time>Posted Mar 4</time>". Before: published March 6.
    header = ("<ul><li><time datetime='2019-03-06T08:00:00Z'>Updated Mar 6, 2019</time></li>"
              "<li><time datetime='2019-03-04T10:15:00Z'>Posted Mar 4, 2019</time></li></ul>")
    ex = extract(_page(header=header, outside=RELATED), URL)
    assert _day(ex) == date(2019, 3, 4)
    assert ex.updated is not None and ex.updated.date() == date(2019, 3, 6)


def test_a_time_element_with_a_date_only_is_still_the_publication() -> None:
    ex = extract(_page(header="<p><time datetime='2019-03-04T10:15:00Z'>March 4, 2019</time></p>", outside=RELATED), URL)
    assert _day(ex) == date(2019, 3, 4)
