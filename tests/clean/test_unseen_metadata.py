"""Metadata classes of pages no dev set shows (session 41): relative dates, calendars we cannot convert to the
day, Taiwan's years without "民國", titles split by markup or by "::", synthetic pages each with a trap."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from newsdedup.clean import extract

from .pages import LOREM

RELATED = ("<section class='related'><h2>Related</h2><ul>"
           "<li><h3><a href='/news/a'>Bridge repairs start next week</a></h3><time datetime='2019-03-11'>March 11, 2019</time></li>"
           "<li><h3><a href='/news/b'>School board names new head</a></h3><time datetime='2019-03-09'>March 9, 2019</time></li>"
           "</ul></section>")
TITLE = "Council approves the riverside housing plan after a long debate"


def _dated(line: str, lang: str = "en", title: str = TITLE, slug: str = "news/riverside-plan") -> tuple[bytes, str]:
    """A page whose only date is `line` under the headline; related stories' dates (the trap htmldate took) below."""
    html = (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{title} | Valley Herald</title>"
            f"</head><body><main><article><h1>{title}</h1><div class='meta'>{line}</div>"
            + "".join(f"<p>{LOREM}</p>" for _ in range(3)) + f"</article>{RELATED}</main></body></html>")
    return html.encode(), f"https://www.valleyherald.example/{slug}"


@pytest.mark.parametrize("line,lang", [
    ("3 hours ago", "en"), ("Yesterday, 14:05", "en"), ("vor 2 Stunden", "de"), ("gestern, 14:05 Uhr", "de"),
    ("il y a 3 jours", "fr"), ("hace 5 minutos", "es"), ("昨天 14:05", "zh"), ("3시간 전", "ko"), ("2 時間前", "ja"),
    ("By Nadia Brooks · 3 days ago", "en"), ("منذ 3 ساعات", "ar"),
])
def test_a_relative_date_without_the_fetch_time_gives_no_date(line: str, lang: str) -> None:
    # Before: htmldate's whole-page guess, a related story's day (2019-03-09), flagged as a guess.
    ex = extract(*_dated(line, lang))
    assert ex.published is None


def test_a_relative_date_in_minutes_or_hours_is_read_from_the_fetch_time() -> None:
    fetched = datetime(2024, 5, 3, 12, 30, tzinfo=UTC)
    ex = extract(*_dated("By Nadia Brooks · 3 hours ago"), fetched_at=fetched)
    assert ex.published == fetched - timedelta(hours=3)
    assert ex.published_guessed  # a feed entry's date is more exact: it wins in the pipeline
    ex = extract(*_dated("vor 20 Minuten", "de"), fetched_at=fetched)
    assert ex.published == fetched - timedelta(minutes=20)
    # a naive fetch time is UTC's
    ex = extract(*_dated("il y a 2 heures", "fr"), fetched_at=fetched.replace(tzinfo=None))
    assert ex.published == fetched - timedelta(hours=2)


@pytest.mark.parametrize("line", ["Yesterday, 14:05", "3 days ago", "il y a 3 jours", "昨天 14:05"])
def test_a_relative_day_is_no_date_even_with_the_fetch_time(line: str) -> None:
    # "Yesterday, 14:05" is yesterday in the site's zone, which the page does not give: the day could be wrong.
    ex = extract(*_dated(line), fetched_at=datetime(2024, 5, 3, 0, 30, tzinfo=UTC))
    assert ex.published is None


def test_an_absolute_date_beside_a_relative_one_is_read() -> None:
    ex = extract(*_dated("Published March 4, 2019 · Updated 2 hours ago"))
    assert ex.published is not None and ex.published.date().isoformat() == "2019-03-04"
    # the URL's day stands over a relative line
    ex = extract(*_dated("3 hours ago", slug="news/2019/03/04/riverside-plan"))
    assert ex.published is not None and ex.published.date().isoformat() == "2019-03-04"


ZH_TW = "市議會經過長時間辯論後通過河濱住宅計畫"


@pytest.mark.parametrize("line", ["113年5月3日 10:15", "2024-05-03 10:15", "113/05/03 10:15", "發布時間：113.05.03"])
def test_taiwan_years_without_minguo_are_read(line: str) -> None:
    ex = extract(*_dated(line, "zh-TW", ZH_TW))
    assert ex.published is not None and ex.published.date().isoformat() == "2024-05-03"


def test_a_three_digit_slash_date_under_a_latin_headline_is_no_taiwan_date() -> None:
    ex = extract(*_dated("Ref. 113/05/03"))
    assert ex.published is None or ex.published.year != 2024


AR = "المجلس يوافق على خطة الإسكان على ضفة النهر بعد نقاش طويل"


def test_a_hijri_date_alone_gives_no_date() -> None:
    # The Hijri day's Gregorian one depends on the moon's sighting (a day either way): no date, not a related
    # story's day.
    ex = extract(*_dated("الجمعة 24 شوال 1445 هـ", "ar", AR))
    assert ex.published is None
    # with the Gregorian day beside it, that day
    ex = extract(*_dated("الجمعة 24 شوال 1445 هـ - 3 مايو 2024", "ar", AR))
    assert ex.published is not None and ex.published.date().isoformat() == "2024-05-03"


def test_the_pipeline_dates_a_relative_byline_by_the_http_responses_time_only() -> None:
    from newsdedup.pipeline import make_article_row
    from newsdedup.record import PageInput

    raw, url = _dated("By Nadia Brooks · 3 hours ago")
    fetched = datetime(2024, 5, 3, 12, 30, tzinfo=UTC)
    fetched_page = PageInput(source="s", url=url, final_url=url, raw=raw, content_type="text/html; charset=utf-8",
                             http_status=200, fetched_at=fetched)
    row = make_article_row(fetched_page, run_id="r", raw_path=None)
    assert row["published_at"] == fetched - timedelta(hours=3)
    # a `dir` source's file: the time it was read says nothing of when "3 hours ago" was
    file_page = PageInput(source="s", url=url, final_url=url, raw=raw, content_type="text/html; charset=utf-8",
                          http_status=None, fetched_at=fetched)
    assert make_article_row(file_page, run_id="r", raw_path=None)["published_at"] is None


HEADLINE = "Library extends opening hours after students ask for more study space"
STORY = "".join(f"<p>{p}</p>" for p in (
    "Council members voted seven to two on Thursday evening to approve the plan, ending a debate that had dragged on "
    "for more than a year and filled the public gallery at every meeting.",
    "Supporters said the decision would bring hundreds of jobs to the district and finally put the empty land by the "
    "river to use, while opponents warned of traffic and the loss of one of the last green spaces in the area.",
    "The developer must now submit detailed drawings within six months, and construction could begin next spring if "
    "no legal challenge is filed against the permit."))


MOST_READ = ("<aside class='most-read'><h3>Most read</h3><ol><li><a href='/a/1'>Harbour authority delays the dredging "
             "contract again</a></li><li><a href='/a/2'>Five things to know before the budget vote</a></li></ol></aside>")
NAV = "<nav><ul><li><a href='/news'>News</a></li><li><a href='/sport'>Sport</a></li></ul></nav>"


def _titled(head: str, heading: str, header: str = NAV) -> bytes:
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>{head}</head><body>{header}<main>"
            f"<article class='story'>{heading}<p class='byline'>By Nadia Brooks</p>{STORY}</article>{MOST_READ}</main>"
            "</body></html>").encode()


@pytest.mark.parametrize("title", [f"{HEADLINE} :: The Lakeside Ledger", f"The Lakeside Ledger :: {HEADLINE}"])
def test_a_site_name_beside_the_headline_after_a_double_colon_is_cut(title: str) -> None:
    # No og:site_name, the headline an <h2>: the host names the site. Before, "... :: The Lakeside Ledger" stayed.
    html = _titled(f"<title>{title}</title><meta property='og:title' content='{title}'>", f"<h2>{HEADLINE}</h2>")
    ex = extract(html, "https://www.lakesideledger.example/news/library-hours")
    assert ex.title == HEADLINE
    assert ex.authors == ["Nadia Brooks"]


def test_a_line_break_in_the_headline_parts_its_words() -> None:
    # "<h1>... hours<br>after ...</h1>": text_content() gave "hoursafter".
    first, rest = HEADLINE.split(" after ")
    html = _titled("<title>The Lakeside Ledger</title>", f"<h1>{first}<br>after {rest}</h1>")
    assert extract(html, "https://www.lakesideledger.example/news/library-hours").title == HEADLINE
    html = _titled(f"<meta property='og:site_name' content='Ledger'><title>{HEADLINE} | Ledger</title>",
                   f"<h1><div class='kicker'>Campus</div><div>{HEADLINE}</div></h1>")
    assert extract(html, "https://www.lakesideledger.example/news/library-hours").title == HEADLINE


def test_a_logo_heading_that_the_title_repeats_is_not_the_headline() -> None:
    # The <title> is the site's name, the only <h1> the logo ("The Lakeside Ledger" on lakesideledger.example),
    # the headline an <h2> above the story: before, the site's name was the title.
    logo = "<header><h1 class='logo'><a href='/'>The Lakeside Ledger</a></h1><nav><a href='/news'>News</a></nav></header>"
    html = _titled("<title>The Lakeside Ledger</title>", f"<h2>{HEADLINE}</h2>", logo)
    assert extract(html, "https://www.lakesideledger.example/news/library-hours").title == HEADLINE
    # a page whose only heading is the site's name keeps it (no other line above the story)
    html = _titled("<title>The Lakeside Ledger</title>", "", logo)
    assert extract(html, "https://www.lakesideledger.example/news/library-hours").title == "The Lakeside Ledger"


def _events(item_heading: str = "<h2><a href='/e/{i}'>Concert in the park number {i}</a></h2>") -> bytes:
    items = "".join(
        f"<div class='event'>{item_heading.format(i=i)}<time datetime='2019-03-1{i}'>1{i} March 2019</time>"
        "<p>A concert by the river with local bands and food stalls for families and friends.</p></div>"
        for i in range(1, 6))
    return (f"<html lang='en'><head><title>Events | Valley Herald</title></head><body>{NAV}<main>"
            f"<h1>Upcoming events</h1>{items}</main></body></html>").encode()


def test_an_events_listing_gives_no_publication_date() -> None:
    # Before: the first event's day (2019-03-11), read as the date under the headline, not even flagged.
    ex = extract(_events(), "https://www.valleyherald.example/events")
    assert ex.published is None


def test_a_story_whose_deck_is_a_heading_keeps_its_byline_date() -> None:
    # An unlinked <h2> deck between headline and byline, related stories' linked headings after the story.
    html = (f"<html lang='en'><head><title>{TITLE}</title></head><body><main><article><h1>{TITLE}</h1>"
            "<h2>The vote ends a year of debate</h2><div class='meta'>By Nadia Brooks, 4 March 2019</div>"
            + "".join(f"<p>{LOREM}</p>" for _ in range(3)) + f"</article>{RELATED}</main></body></html>")
    ex = extract(html.encode(), "https://www.valleyherald.example/news/plan")
    assert ex.published is not None and ex.published.date().isoformat() == "2019-03-04"
    # a section's linked name under the headline is the article's label: the byline under it is read
    html = html.replace("<h2>The vote ends a year of debate</h2>", "<h3><a href='/politics'>Politics</a></h3>")
    ex = extract(html.encode(), "https://www.valleyherald.example/news/plan")
    assert ex.published is not None and ex.published.date().isoformat() == "2019-03-04" and not ex.published_guessed


def _bylined(under: str, nav: str = NAV) -> bytes:
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{HEADLINE} | Ledger</title>"
            f"<meta property='og:title' content='{HEADLINE}'></head><body>{nav}<main><article class='c1'>"
            f"<h1>{HEADLINE}</h1>{under}{STORY}</article>{MOST_READ}</main></body></html>").encode()


@pytest.mark.parametrize("under", [
    "<div class='c2'>Nadia Brooks</div><div class='c3'>March 4, 2019</div>",
    "<div class='c2'><span>Nadia Brooks</span></div><div class='c3'><time datetime='2019-03-04'>4 Mar 2019</time></div>",
    "<div class='c2'>Nadia Brooks</div>March 4, 2019 10:15",
])
def test_a_name_alone_over_the_date_under_the_headline_is_the_byline(under: str) -> None:
    # No "By", no role, no class naming it: before, no one was credited.
    assert extract(_bylined(under), "https://www.ledger.example/news/library").authors == ["Nadia Brooks"]


@pytest.mark.parametrize("under", [
    "<div class='c2'>Local Politics</div><div class='c3'>March 4, 2019</div><div>Nadia</div>",
    "<div class='c2'>New York</div>",
    "<div class='c2'>Key Points</div><ul><li>The library opens until midnight</li></ul>",
    "<div class='c2'>Nadia Brooks</div><p>Nadia Brooks is the head librarian, who asked for the longer hours.</p>",
])
def test_a_section_place_or_name_without_a_date_under_the_headline_is_no_byline(under: str) -> None:
    # a section's name over the date is in the site's menu
    nav = NAV.replace("</ul>", "<li><a href='/local-politics'>Local Politics</a></li></ul>")
    assert extract(_bylined(under, nav), "https://www.ledger.example/news/library").authors == []


def _ld_credited(author: object) -> bytes:
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": HEADLINE, "author": author})
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{HEADLINE}</title>"
            f"<script type='application/ld+json'>{ld}</script></head><body><main><article><h1>{HEADLINE}</h1>"
            f"{STORY}</article></main></body></html>").encode()


@pytest.mark.parametrize("author,names", [
    ({"@type": "Person", "name": "Brooks, Nadia"}, ["Nadia Brooks"]),
    ({"@type": "Person", "name": "Brooks, Nadia J."}, ["Nadia J. Brooks"]),
    ("Brooks, Nadia", ["Nadia Brooks"]),
    ({"@type": "Person", "name": "Nadia Brooks, Omar Haddad and Lucy Chen"}, ["Nadia Brooks", "Omar Haddad", "Lucy Chen"]),
    ({"@type": "Person", "name": "Nadia Brooks, Reporter"}, ["Nadia Brooks"]),
])
def test_a_json_ld_author_last_name_first_is_one_person(author: object, names: list[str]) -> None:
    # Before: "Brooks, Nadia" gave two people, "Brooks" and "Nadia".
    assert extract(_ld_credited(author), "https://www.ledger.example/news/library").authors == names


def test_a_relative_time_told_in_a_deck_sentence_is_no_byline_date() -> None:
    # The deck under the headline tells "three years ago" in a sentence: the page's date is left to the later
    # readings (here htmldate's flagged guess), not refused as a relative byline.
    html, url = _dated("By Nadia Brooks</div><p class='deck'>The plan, first put to the council 3 years ago, "
                       "passed on its fourth reading after a long debate.</p><div>Share this story")
    ex = extract(html, url)
    assert ex.published is not None and ex.published_guessed
