"""Published and updated kept apart, timezone kept, no future or impossible dates."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from newsdedup.clean import extract
from newsdedup.clean.dates import parse_date, tweet_time

from .pages import LOREM, article, page


def ld(obj: object) -> str:
    return f"<script type='application/ld+json'>{json.dumps(obj)}</script>"


def test_published_and_updated_apart_with_offset() -> None:
    head = ld({"@type": "NewsArticle", "headline": "H", "datePublished": "2024-05-03T15:47:42+02:00",
               "dateModified": "2024-05-04T09:00:00+02:00"})
    ex = extract(page(head, article([LOREM * 3])))
    assert ex.published == datetime(2024, 5, 3, 15, 47, 42, tzinfo=ex.published.tzinfo)
    assert ex.published.utcoffset() == timedelta(hours=2)
    assert ex.updated is not None and ex.updated > ex.published


def test_meta_tags_when_no_json_ld() -> None:
    head = ("<meta property='article:published_time' content='2023-11-19T08:57:40Z'>"
            "<meta property='article:modified_time' content='2023-11-19T07:00:00Z'>")
    ex = extract(page(head, article([LOREM * 3])))
    assert ex.published == datetime(2023, 11, 19, 8, 57, 40, tzinfo=UTC)
    assert ex.updated is None  # "modified" before "published" is not an update


def test_future_date_is_rejected() -> None:
    future = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    head = f"<meta property='article:published_time' content='{future}'>"
    ex = extract(page(head, article([LOREM * 3])))
    if ex.published is not None:
        aware = ex.published if ex.published.tzinfo else ex.published.replace(tzinfo=UTC)
        assert aware <= datetime.now(UTC) + timedelta(days=2)


def test_impossible_dates() -> None:
    assert parse_date("2024-02-30T10:00:00Z") is None
    assert parse_date("0001-01-01") is None
    assert parse_date("1970-01-01T00:00:00Z") is None
    assert parse_date("not a date") is None


def test_time_element_pubdate() -> None:
    body = article([LOREM * 3], extra_before="<time datetime='2022-03-05T14:23:11-05:00' pubdate>March 5</time>")
    ex = extract(page("", body))
    assert ex.published is not None and ex.published.date().isoformat() == "2022-03-05"
    assert ex.published.utcoffset() == timedelta(hours=-5)


def test_formats() -> None:
    assert parse_date("20200413T16:38:07Z") == datetime(2020, 4, 13, 16, 38, 7, tzinfo=UTC)
    assert parse_date("Tue, 05 Mar 2024 14:23:11 GMT").date().isoformat() == "2024-03-05"
    assert parse_date(1709648591) is not None


def test_embedded_video_upload_time_is_not_the_article_date() -> None:
    head = (ld({"@type": "VideoObject", "name": "Clip", "uploadDate": "2020-09-29T22:40:00-07:00"})
            + "<meta itemprop='datePublished' content='2020-09-30T02:00:07-07:00'>")
    ex = extract(page(head, article([LOREM * 3])))
    assert ex.published == datetime(2020, 9, 30, 2, 0, 7, tzinfo=ex.published.tzinfo)


def test_local_wall_time_labelled_utc_loses_to_the_earlier_true_instant() -> None:
    # JSON-LD writes the Sydney wall time with "Z"; the meta tag has the real UTC instant.
    head = (ld({"@type": "NewsArticle", "headline": "H", "datePublished": "2020-04-25T07:25:06Z"})
            + "<meta property='article:published_time' content='2020-04-24T21:25:06+00:00'>")
    ex = extract(page(head, article([LOREM * 3])))
    assert ex.published == datetime(2020, 4, 24, 21, 25, 6, tzinfo=UTC)


def test_utc_time_shown_in_the_offset_of_the_page_scripts() -> None:
    head = "<meta property='article:published_time' content='2020-05-02T02:54:29.000Z'>"
    script = "<script>var schedule = {\"date\": \"Fri, 01 May 2020 23:00:00 -0400\"};</script>"
    ex = extract(page(head, article([LOREM * 3], extra_after=script)))
    assert ex.published is not None and ex.published.utcoffset() == timedelta(hours=-4)
    assert ex.published.date().isoformat() == "2020-05-01"
    assert ex.published == datetime(2020, 5, 2, 2, 54, 29, tzinfo=UTC)  # same instant


def test_naive_wall_time_of_the_same_instant_gives_the_offset() -> None:
    head = ld({"@type": "Article", "headline": "H", "datePublished": "2020-12-05T23:15:0Z"})
    script = "<script>pageInfo.publication_date = '2020-12-06 00:15';</script>"
    ex = extract(page(head, article([LOREM * 3], extra_after=script)))
    assert ex.published is not None and ex.published.isoformat() == "2020-12-06T00:15:00+01:00"


def test_copyright_year_is_no_publication_date() -> None:
    body = article([LOREM * 3], extra_after="<p>Copyright 2016 Example Media</p>")
    assert extract(page("", body)).published is None


def test_byline_date_under_the_headline_beats_the_site_header_date() -> None:
    # No structured date: the site header prints today's date, a photo caption another day, the
    # byline under the headline the publication day.
    body = ("<div class='topbar'>Tuesday, (08 Dec 2020)</div><main><article><h1>Bridge reopens after repairs</h1>"
            "<figure><img src='/b.jpg'><figcaption>The bridge on 24. April 2020</figcaption></figure>"
            "<ul class='meta'><li><a href='/time/x'>13 Oct 2020 18:29</a></li></ul>"
            + "".join(f"<p>{LOREM} It was closed on 1 March 2019.</p>" for _ in range(3)) + "</article></main>")
    ex = extract(page("", body))
    assert ex.published is not None and ex.published.date().isoformat() == "2020-10-13"


def test_no_date_in_the_byline_area_reads_none_from_the_story() -> None:
    # A date told in the story's prose is not the publication date.
    body = article([LOREM + " The bridge was first opened on 3 May 1998 by the mayor of the town."] * 3)
    assert extract(page("", body)).published is None


def test_tweet_status_url_gives_the_posting_time() -> None:
    # The page lists the replies with their own times; the status ID encodes the tweet's.
    replies = "".join(f"<li><span class='_timestamp'>{d} Aug 2020</span><p>{LOREM}</p></li>" for d in (3, 4))
    body = f"<div class='tweet'><p>{LOREM}</p></div><ol class='replies'>{replies}</ol>"
    url = "https://twitter.com/Reuters/status/1281836879789404160/photo/1"
    ex = extract(page("", body), url)
    assert ex.published == datetime(2020, 7, 11, 6, 25, 2, tzinfo=UTC)
    assert tweet_time("https://x.com/i/web/status/1281836879789404160") == ex.published
    # a sequential pre-2010 ID carries no time; other hosts' "status" paths are not tweets
    assert tweet_time("https://twitter.com/jack/status/20") is None
    assert tweet_time("https://example.com/user/status/1281836879789404160") is None


def test_a_solar_hijri_date_under_the_headline_is_read() -> None:
    from newsdedup.clean import extract

    story = "<p>" + "بازار سرمایه در سه ماه گذشته شاهد ورود نقدینگی بی سابقه ای بوده است. " * 4 + "</p>"
    # Arabic yeh in the month name, Persian digits: 2 Tir 1399 is 22 June 2020
    html = (f"<html lang='fa'><body><h1>ورود 50 هزار میلیارد تومان نقدینگی به بورس</h1>"
            f"<div class='date'>۲ تير ۱۳۹۹ - 12:09:08</div>{story}</body></html>")
    assert extract(html).published == datetime(2020, 6, 22)
    numeric = html.replace("۲ تير ۱۳۹۹", "1402/07/12")
    assert extract(numeric).published == datetime(2023, 10, 4)
    # an impossible day (1402 is no leap year) is no date; a number shaped like one on a Latin page neither
    assert extract(html.replace("۲ تير ۱۳۹۹", "1402/12/30")).published is None
    latin = (f"<html><body><h1>Budget approved after a long debate</h1><div>Ref. 1400/2/3</div>"
             f"<p>{'The council approved the budget on Tuesday after a long debate. ' * 4}</p></body></html>")
    assert extract(latin).published is None


def test_a_wall_time_of_another_second_is_not_the_publishers_offset() -> None:
    # techcrunch.com: JSON-LD gives "04:58:46Z"; the page's script lists other posts ("08:58:31": the
    # same minute, another second) before the story's own wall time "20:58:46" (-08:00).
    head = ld({"@type": "NewsArticle", "headline": "H", "datePublished": "2019-11-19T04:58:46Z"})
    script = ("<script>var posts = [{\"id\": 1, \"modified\": \"2019-11-19T08:58:31\"},"
              " {\"id\": 2, \"date\": \"2019-11-18T20:58:46\", \"date_gmt\": \"2019-11-19T04:58:46\"}];</script>")
    ex = extract(page(head, article([LOREM * 3], extra_after=script)))
    assert ex.published is not None and ex.published.isoformat() == "2019-11-18T20:58:46-08:00"


def test_the_date_under_a_headline_that_is_no_h1_is_read() -> None:
    # 2008 layouts print the headline in <b> or a styled <span>, the date under it; htmldate scored the
    # whole page and took a months-old date from the site's archive box.
    archive = "<div class='archive'>Archive: <a href='/2007/04/30'>Monday, April 30, 2007</a></div>"
    body = (f"<table><tr><td>{archive}</td><td><span class='headline'>Rice defends aid to the region</span><br>"
            "Staff and agencies 22 January, 2008<br>By Ann Reporter<br>"
            + "".join(f"<p>{LOREM}</p>" for _ in range(3)) + "</td></tr></table>")
    ex = extract(page("<title>Rice defends aid to the region</title>", body))
    assert ex.published is not None and ex.published.date().isoformat() == "2008-01-22"


def test_the_date_under_the_h1_that_shows_the_title_beats_a_section_h1s() -> None:
    # inthenews.co.uk, independent.ie (2008): a section's <h1> ("Money Story") with the site's "today"
    # comes before the headline's <h1> and its own date.
    body = ("<div class='section'><h1>Money Story Section</h1>16 January 2008 01:58 BST</div>"
            "<div class='story'><h1>Bank charge case in court</h1>Monday, 14 Jan 2008 11:04"
            + "".join(f"<p>{LOREM}</p>" for _ in range(3)) + "</div>")
    ex = extract(page("<title>Bank charge case in court</title>", body))
    assert ex.published is not None and ex.published.date().isoformat() == "2008-01-14"
    # One <h1> that is not the title and no element showing it: the date under that <h1>, as before.
    body = "<h1>Bridge reopens after repairs</h1><div>13 Oct 2020</div>" + "".join(f"<p>{LOREM}</p>" for _ in range(3))
    ex = extract(page("<title>Example Gazette</title>", body))
    assert ex.published is not None and ex.published.date().isoformat() == "2020-10-13"


def _byline_page(byline: str, h1: str = "Council approves the new budget", lang: str = "en") -> str:
    story = "".join(f"<p>{LOREM}</p>" for _ in range(3))
    return page(f"<title>{h1}</title>", f"<h1>{h1}</h1><div class='meta'>{byline}</div>{story}", lang)


def test_bylines_in_other_forms_and_languages_are_read() -> None:
    # No structured date: the day is only printed under the headline, in the publisher's own form.
    cases = {
        "입력 2025.05.15 20:00 수정 2025.05.15 20:57": "2025-05-15",  # hankookilbo.com
        "2025. 5. 15. 오후 8:00": "2025-05-15",
        "2024/12/04 00:05": "2024-12-04",  # yomiuri.co.jp
        "2025年1月14日 01時28分": "2025-01-14",  # chunichi.co.jp
        "２０２５年１月１４日": "2025-01-14",  # full-width digits
        "24/09/2020 | Commenti": "2020-09-24",  # edilportale.com: the day first, it is over 12
        "Posted 09-24-2020": "2020-09-24",  # the month first
        "КИЕВ. 3 декабря 2020 г. УНН": "2020-12-03",
        "Текст: Лида Буслаева · 11 октября 2018": "2018-10-11",
        "3. prosince 2020, 10:12": "2020-12-03",
        "3 grudnia 2020": "2020-12-03",
        "3 грудня 2020": "2020-12-03",
        "12 Aralık 2020 Cumartesi": "2020-12-12",
        "3 декември 2020": "2020-12-03",
    }
    for byline, day in cases.items():
        published = extract(_byline_page(byline)).published
        assert published is not None and published.date().isoformat() == day, byline


def test_a_day_month_order_the_numbers_do_not_tell_is_not_guessed() -> None:
    # "04/05/2020" is 4 May in Europe and April 5 in the US; the first day of a range (blog.goo.ne.jp:
    # the weekend's races) is not the day of the post either. The next date is read.
    for byline in ("Ref. 04/05/2020 · 13 Oct 2020", "(2020/10/11-12 races) 2020年10月13日"):
        published = extract(_byline_page(byline)).published
        assert published is not None and published.date().isoformat() == "2020-10-13", byline


def test_a_time_element_without_a_datetime_is_read_from_its_text() -> None:
    # nzz.ch: the article's <time datetime=""> prints "15.06.2020, 12.11 Uhr"; related stories' <time>s
    # below carry proper attributes of other days.
    related = "".join(f"<li><time datetime='2020-05-0{d}T04:00:00.000Z'>0{d}.05.2020</time> Other story</li>"
                      for d in (4, 5))
    body = article([LOREM * 3], extra_before="<time datetime=''>15.06.2020, 12.11 Uhr</time>",
                   extra_after=f"<ul>{related}</ul>")
    ex = extract(page("", body, lang="de"))
    assert ex.published is not None and ex.published.date().isoformat() == "2020-06-15"


def test_a_day_the_url_spells_out_beats_another_day_read_under_the_headline() -> None:
    # malaymail.com: a photo caption's day (not in a <figure>) comes before the byline's; the URL gives
    # the story's day.
    byline = ("A file photograph shows the minister speaking in Shah Alam on November 19, 2024. "
              "<br>By Yiswaree Palansamy<br>Friday, 22 Nov 2024 4:55 PM MYT")
    html = _byline_page(byline)
    url = "https://www.example.my/news/malaysia/2024/11/22/all-paid-their-own-way/157698"
    published = extract(html, url).published
    assert published is not None and published.date().isoformat() == "2024-11-22"
    # A day apart is the publisher's time zone: the page's own day stands.
    published = extract(html, url.replace("/11/22/", "/11/18/")).published
    assert published is not None and published.date().isoformat() == "2024-11-19"
    # Without a day under the headline the URL's day is used (htmldate would take it too).
    published = extract(_byline_page("By Yiswaree Palansamy"), url).published
    assert published is not None and published.date().isoformat() == "2024-11-22"


def test_a_date_labelled_as_an_update_is_not_the_publication_day() -> None:
    # A broadcaster prints the update first: "Updated: March 5, 2024 | Published: March 1, 2024".
    for byline in ("Updated: March 5, 2024 <br> Published: March 1, 2024",
                   "Updated March 5, 2024, 10:00 am · Published March 1, 2024, 9:00 am",
                   "Aktualisiert am 05.03.2024 | Erstellt am 01.03.2024",
                   "Mis à jour le 5 mars 2024 - Publié le 1 mars 2024"):
        published = extract(_byline_page(byline)).published
        assert published is not None and published.date().isoformat() == "2024-03-01", byline
    # An update date alone is still the only date the page prints.
    published = extract(_byline_page("Last updated: March 5, 2024")).published
    assert published is not None and published.date().isoformat() == "2024-03-05"


def test_a_time_element_printed_after_an_update_label_is_the_update() -> None:
    # No class name says which <time> is which: the words printed before each do.
    for byline in ("<span>Updated</span> <time datetime='2024-03-05T10:00:00Z'>March 5</time> "
                   "<span>Published</span> <time datetime='2024-03-01T09:00:00Z'>March 1</time>",
                   "Updated <time datetime='2024-03-05T10:00:00Z'>March 5</time>, first published "
                   "<time datetime='2024-03-01T09:00:00Z'>March 1</time>"):
        ex = extract(_byline_page(byline))
        assert ex.published is not None and ex.published.date().isoformat() == "2024-03-01", byline
        assert ex.updated is not None and ex.updated.date().isoformat() == "2024-03-05", byline


def test_dates_of_sidebars_and_teaser_cards_are_not_the_articles() -> None:
    """Without structured dates, the first <time> of the page was taken: a "most read" sidebar's or a
    teaser card's ahead of the article (the day in the URL, or the one under the headline, is the
    article's)."""
    sidebar = ("<aside class='most-read'><h3>Most read</h3><ol><li><a href='/a/1'>Harbour delays dredging</a> "
               "<time datetime='2024-05-02'>2 May 2024</time></li></ol></aside>")
    html = page("<title>Library extends opening hours</title>",
                f"<main><article><h1>Library extends opening hours</h1><p>{LOREM * 3}</p></article>{sidebar}</main>")
    ex = extract(html, "https://example.com/2024/05/09/library-hours/")
    assert ex.published is not None and ex.published.date().isoformat() == "2024-05-09"
    cards = ("<div class='rail'><div class='card'><h3><a href='/s/1'>Canal boats return</a></h3>"
             "<span class='byline'>By Peter Lang</span><time datetime='2024-04-30'>2024-04-30</time></div></div>")
    html = page("<title>New cycle bridge to open in June</title>",
                f"{cards}<div class='main'><h1>New cycle bridge to open in June</h1><div class='byline'>By Rosa "
                f"Delgado</div><time datetime='2024-05-03T10:00:00'>May 3, 2024</time><p>{LOREM * 3}</p></div>")
    ex = extract(html, "https://example.com/local/cycle-bridge")
    assert ex.published is not None and ex.published.date().isoformat() == "2024-05-03"
    # the article's own header with its headline linked to itself is no teaser
    own = (f"<article><header><h1><a href='/local/cycle-bridge'>New cycle bridge to open in June</a></h1>"
           f"<time datetime='2024-05-03T10:00:00'>May 3, 2024</time></header><p>{LOREM * 3}</p></article>")
    ex = extract(page("<title>New cycle bridge to open in June</title>", own), "https://example.com/local/cycle-bridge")
    assert ex.published is not None and ex.published.date().isoformat() == "2024-05-03"
    # nor is an aside inside the article that holds its byline and date (a sidebar outside it is)
    meta = (f"<article><h1>New cycle bridge to open in June</h1><aside class='article-meta'>By Rosa Delgado "
            f"<time datetime='2024-05-03T10:00:00'>Friday morning</time></aside><p>{LOREM * 3}</p></article>")
    ex = extract(page("<title>New cycle bridge to open in June</title>", meta), "https://example.com/local/cycle-bridge")
    assert ex.published is not None and ex.published.date().isoformat() == "2024-05-03"


def test_a_day_written_with_de_between_its_parts_is_read() -> None:
    """Spanish and Portuguese write "9 de mayo de 2024", "9 de maio de 2024 às 18h05": with no structured
    date, the day under the headline was not read and no date came out."""
    for line in ("Publicado el 9 de mayo de 2024, 10:42", "9 de maio de 2024 às 18h05"):
        html = page("<title>Nuevas líneas de autobús para el norte</title>",
                    f"<main><article><h1>Nuevas líneas de autobús para el norte</h1><p class='fecha'>{line}</p>"
                    f"<p>{LOREM * 3}</p></article></main>", lang="es")
        ex = extract(html, "https://example.com/ciudad/lineas-autobus")
        assert ex.published is not None and ex.published.date().isoformat() == "2024-05-09", line


def test_datelines_in_abbreviated_and_further_languages_are_read_not_guessed() -> None:
    # The dateline under the headline is read in the forms bylines print (`dates._visible_dates`); month
    # abbreviations ("févr.", "Mär.", "dic"), Finnish, Hungarian (year first), Croatian, Lithuanian and Arabic
    # month names were not, so the page's date was htmldate's guess over the whole page: a "most read" list's
    # day on a French page.
    most_read = "<aside><h3>Most read</h3><ol><li><a href='/x/1'>Another story</a> 3 March 2024</li></ol></aside>"
    for line, day in (("Publié le 5 févr. 2024 à 10h12", "2024-02-05"), ("12 déc. 2023, 08:00", "2023-12-12"),
                      ("5. Mär. 2024, 08:00 Uhr", "2024-03-05"), ("5 mrt 2024", "2024-03-05"),
                      ("12 dic 2023", "2023-12-12"), ("7 out 2023", "2023-10-07"), ("5 ene. 2024", "2024-01-05"),
                      ("5. helmikuuta 2024", "2024-02-05"), ("2024. február 5.", "2024-02-05"),
                      ("5. veljače 2024.", "2024-02-05"), ("2024 m. vasario 5 d.", "2024-02-05"),
                      ("5 فبراير 2024", "2024-02-05"), ("2024 Feb 5", "2024-02-05"), ("2024 May 5", "2024-05-05")):
        html = page("", article([LOREM * 3], extra_before=f"<div class='meta'>{line}</div>", extra_after=most_read))
        ex = extract(html, "https://www.example.org/news/harbour-plan")
        assert ex.published is not None and ex.published.date().isoformat() == day, line
        assert not ex.published_guessed, line


def test_month_abbreviations_do_not_read_words_as_dates() -> None:
    # Short abbreviations ("set", "out", "ago") are read only between a day and a year.
    # Nor after a year: "Tokyo 2020 set 5 world records" was 5 September 2020; "2024 May 5" still reads.
    for line in ("Sold out 2 years ago", "set 12 records in 2023", "a decade ago 5 of them",
                 "Tokyo 2020 set 5 world records", "In 2019 out 3 of 4 voted yes", "Since 2021 ago 4",
                 "Games of 2020 may 5 times"):
        html = page("", article([LOREM * 3], extra_before=f"<div class='meta'>{line}</div>"))
        assert extract(html, "https://www.example.org/news/harbour-plan").published is None, line


def test_an_update_labelled_in_other_words_or_on_the_wrapper_is_not_the_publication() -> None:
    # Datelines that print the update first ("Modifié le 6 mai · Publié le 5 mai") in wordings the update
    # label did not know, and <time> elements whose wrapper, not the element, says it is the update: the
    # modified day was taken as the published one.
    for meta in ("<div class='meta'>Dernière mise à jour : 6 mai 2024<br>Publié le 5 mai 2024</div>",
                 "<div class='meta'>Modifié le 6 mai 2024 · Publié le 5 mai 2024</div>",
                 "<div class='meta'>Stand: 06.05.2024, 10:00 Uhr · Erstellt: 05.05.2024</div>",
                 "<div class='meta'>Aktualizacja: 6 maja 2024 · 5 maja 2024</div>",
                 "<div class='meta'>Laatst gewijzigd: 6 mei 2024 · Gepubliceerd: 5 mei 2024</div>",
                 "<div class='meta'>Ενημερώθηκε: 6 Μαΐου 2024 · 5 Μαΐου 2024</div>",
                 "<div class='article__updated'><span>Aktualisiert:</span> <span><time datetime='2024-05-06T10:00:00+02:00'>"
                 "06.05.2024</time></span></div><div class='article__published'><span>"
                 "<time datetime='2024-05-05T10:00:00+02:00'>05.05.2024</time></span></div>",
                 "<p class='dates'><span class='label'>Updated</span> <span class='v'><time datetime='2024-05-06T10:00:00Z'>"
                 "May 6</time></span> <span class='label'>Published</span> <span class='v'>"
                 "<time datetime='2024-05-05T10:00:00Z'>May 5</time></span></p>"):
        ex = extract(page("", article([LOREM * 3], extra_before=meta)), "https://www.example.org/news/harbour-plan")
        assert ex.published is not None and ex.published.date().isoformat() == "2024-05-05", meta


def test_a_word_holding_an_update_label_is_no_label() -> None:
    # German "Stand:" labels an update; "Eastern Standard Time" before a <time> is no such label (the
    # element was taken for the update and the published time lost its hour and zone).
    meta = ("<p class='meta'>Posted 10:00 AM Eastern Standard Time <time datetime='2024-01-05T10:00:00-05:00'>"
            "Jan 5, 2024</time></p>")
    ex = extract(page("", article([LOREM * 3], extra_before=meta)), "https://www.example.org/news/harbour-plan")
    assert ex.published == datetime(2024, 1, 5, 15, tzinfo=UTC) and ex.updated is None


def test_a_page_whose_only_date_is_labelled_as_an_update_gives_that_day_as_a_guess() -> None:
    # No published date anywhere: the page prints only its update ("Updated <time>" carrying the declared
    # modified time, "Stand: ..."). That day is the publication's at the latest and often the same (a German
    # "Stand" is the only date many pages print: returning none lost them), so it stays, but flagged as a
    # guess: the pipeline takes a feed entry's date over it. A date printed without the label is no guess.
    modified = "<meta property='article:modified_time' content='2024-05-09T18:24:40Z'>"
    for head, shown in ((modified, "Updated <time datetime='2024-05-09T18:24:40Z'>May 9, 2024, 6:24 pm</time>"),
                        ("", "Stand: 09.05.2024, 18:24 Uhr")):
        ex = extract(page(head, article([LOREM * 3], extra_before=f"<p>{shown}</p>")),
                     "https://www.example.org/news/harbour-plan")
        assert ex.published is not None and ex.published.date().isoformat() == "2024-05-09", shown
        assert ex.published_guessed, shown
    ex = extract(page("", article([LOREM * 3], extra_before="<p>May 9, 2024</p>")), "https://www.example.org/news/harbour-plan")
    assert ex.published is not None and not ex.published_guessed


def _comments(days: tuple[str, ...]) -> str:
    items = "".join(f"<li><div>reader{i}</div><time datetime='{d}T08:00:00Z'>{d}</time>"
                    "<p>I agree with this, it should have happened years ago.</p></li>" for i, d in enumerate(days))
    return f"<section><h2>{len(days)} comments</h2><ol>{items}</ol></section>"


def test_readers_comments_times_are_not_the_articles_date() -> None:
    # A run of dated entries (comments, a live blog's posts) below a byline printing its date as text: the
    # first comment's <time> was taken as the publication (two days late); a "Published / Updated" pair of
    # <time>s holds labels, not text, and is no run.
    for days in (("2019-03-07", "2019-03-08"), ("2019-03-07", "2019-03-07", "2019-03-09")):
        html = page("", article([LOREM * 3], extra_before="<div class='byline'>By Jane Doe | March 4, 2019</div>",
                                extra_after=_comments(days)))
        ex = extract(html, "https://www.example.org/news/harbour-plan")
        assert ex.published is not None and ex.published.date().isoformat() == "2019-03-04", days
    pair = ("<ul class='meta'><li>Published <time datetime='2019-03-04T10:00:00Z'>March 4</time></li>"
            "<li>Updated <time datetime='2019-03-06T10:00:00Z'>March 6</time></li></ul>")
    ex = extract(page("", article([LOREM * 3], extra_before=pair)), "https://www.example.org/news/harbour-plan")
    assert ex.published == datetime(2019, 3, 4, 10, tzinfo=UTC) and ex.updated is not None


def test_a_wordpress_time_classed_published_and_updated_is_the_publication() -> None:
    # WordPress prints a post never edited as <time class="entry-date published updated">: read as the
    # update, the published time was a reader's comment's.
    meta = ("<p class='deck'>" + LOREM * 2 + "</p><div class='entry-meta'><time class='entry-date published updated' "
            "datetime='2019-03-04T10:15:00+00:00'>March 4, 2019</time></div>")
    html = page("", article([LOREM * 3], extra_before=meta, extra_after=_comments(("2019-03-07",))))
    ex = extract(html, "https://www.example.org/news/harbour-plan")
    assert ex.published == datetime(2019, 3, 4, 10, 15, tzinfo=UTC)


def test_a_time_in_the_storys_prose_is_an_event_not_the_publication() -> None:
    # "The hearing is set for <time>April 23</time> ...": the event's day was taken over the byline's.
    story = [LOREM, "The first public hearing is set for <time datetime='2019-04-23'>April 23</time> at the town "
             "hall, and residents may send comments before then.", LOREM]
    html = page("", article(story, extra_before="<div class='byline'>By Jane Doe, 4 March 2019</div>"))
    ex = extract(html, "https://www.example.org/news/harbour-plan")
    assert ex.published is not None and ex.published.date().isoformat() == "2019-03-04"
    # A byline paragraph with its <time> is still the article's.
    byline = "<p>By Jane Doe, Valley Herald staff, <time datetime='2019-03-04T10:00:00Z'>March 4, 2019</time></p>"
    ex = extract(page("", article([LOREM * 3], extra_before=byline)), "https://www.example.org/news/harbour-plan")
    assert ex.published == datetime(2019, 3, 4, 10, tzinfo=UTC)


def test_published_meta_tags_of_other_names_beat_an_update_line() -> None:
    # "og:published_time", "published-date", "dcterms.issued" (names htmldate reads) and Parse.ly's JSON
    # `parsely-page`: unread, the "Updated" line under the headline gave the update's day. A "publisher" or a
    # modified tag is no published date.
    page_json = json.dumps({"title": "H", "pub_date": "2019-03-04T10:15:00Z"}).replace('"', "&quot;")
    for head in ("<meta property='og:published_time' content='2019-03-04T10:15:00Z'>",
                 "<meta name='published-date' content='2019-03-04T10:15:00Z'>",
                 "<meta name='dcterms.issued' content='2019-03-04'><meta name='dc.date.modified' content='2019-03-06'>",
                 f"<meta name='parsely-page' content=\"{page_json}\">"):
        html = page("<meta property='article:publisher' content='https://example.org/2019'>" + head,
                    article([LOREM * 3], extra_before="<div class='meta'>Updated March 6, 2019</div>"))
        ex = extract(html, "https://www.example.org/news/harbour-plan")
        assert ex.published is not None and ex.published.date().isoformat() == "2019-03-04", head
        assert not ex.published_guessed, head


def test_a_dotted_numeric_date_in_metadata_is_day_first() -> None:
    # "04.03.2019" (German, Russian, Turkish CMSs) was read month first by dateutil: 3 April.
    assert parse_date("04.03.2019") == datetime(2019, 3, 4)
    assert parse_date("04.03.2019 10:15") == datetime(2019, 3, 4, 10, 15)
    head = ld({"@type": "NewsArticle", "headline": "H", "datePublished": "04.03.2019 10:15"})
    ex = extract(page(head, article([LOREM * 3]), lang="de"), "https://www.example.org/news/harbour-plan")
    assert ex.published == datetime(2019, 3, 4, 10, 15)


def test_datelines_in_catalan_hindi_hebrew_thai_and_vietnamese() -> None:
    # Month names no dateline form knew, a Thai year of the Buddhist era and Vietnamese's numbered months: the
    # day was left to htmldate's whole-page guess, which took a related story's date below.
    related = ("<ul><li><h3><a href='/a'>Other story</a></h3><time datetime='2019-03-11'>11.03.2019</time></li>"
               "<li><h3><a href='/b'>Another</a></h3><time datetime='2019-03-09'>09.03.2019</time></li></ul>")
    for line, lang in (("Publicat el 4 de març de 2019", "ca"), ("प्रकाशित: 4 मार्च 2019", "hi"),
                       ("पोस्ट: 4 फ़रवरी 2019", "hi"), ("פורסם 4 במרץ 2019", "he"), ("4 מרץ 2019", "he"),
                       ("เผยแพร่ 4 มีนาคม 2562", "th"), ("4 มี.ค. 2562 10:15 น.", "th"),
                       ("Thứ Hai, ngày 4 tháng 3 năm 2019", "vi"), ("04 tháng 03, 2019 10:15", "vi")):
        html = page("", article([LOREM * 3], extra_before=f"<div class='meta'>{line}</div>") + related, lang=lang)
        ex = extract(html, "https://www.example.org/news/harbour-plan")
        day = "2019-02-04" if "फ़" in line else "2019-03-04"
        assert ex.published is not None and ex.published.date().isoformat() == day, line
        assert not ex.published_guessed, line


def test_a_date_in_the_kicker_line_above_the_headline_is_read_as_a_guess() -> None:
    # "Politics | 4 March 2019" above the <h1>, nothing under it: htmldate's whole-page reading took a related
    # story's date below. The line above may also be a site's "today" line, so the day is a guess.
    related = ("<ul><li><h3><a href='/a'>Other story</a></h3><time datetime='2019-03-11'>March 11, 2019</time></li>"
               "<li><h3><a href='/b'>Another</a></h3><time datetime='2019-03-09'>March 9, 2019</time></li></ul>")
    body = ("<main><div><div class='kicker'><a href='/politics'>Politics</a> | 4 March 2019</div><h1>Budget approved</h1>"
            + "".join(f"<p>{LOREM * 2}</p>" for _ in range(3)) + f"</div>{related}</main>")
    ex = extract(page("", body), "https://www.example.org/news/harbour-plan")
    assert ex.published is not None and ex.published.date().isoformat() == "2019-03-04"
    assert ex.published_guessed
    # A date under the headline is still the one read, and not a guess.
    body = body.replace("<h1>Budget approved</h1>", "<h1>Budget approved</h1><p>By Jane Doe, 5 March 2019</p>")
    ex = extract(page("", body), "https://www.example.org/news/harbour-plan")
    assert ex.published is not None and ex.published.date().isoformat() == "2019-03-05" and not ex.published_guessed


def test_a_date_in_the_storys_short_lead_is_no_byline_date() -> None:
    # No byline date: the story's first paragraph, a sentence under 150 characters, was read as the byline
    # area and its date ("on 12 February 2018") given as the publication, not even as a guess.
    lead = "The plan was first put to the council on 12 February 2018, when it was sent back for changes."
    ex = extract(page("", article([lead, LOREM * 3])), "https://www.example.org/about/harbour-plan")
    assert ex.published is None or ex.published.date().isoformat() != "2018-02-12"
    # A byline written as a sentence still gives its date.
    for line in ("This article was published on 4 March 2019 and has not been updated since.",
                 "By Jane Doe, 4 March 2019"):
        ex = extract(page("", article([line, lead, LOREM * 3])), "https://www.example.org/about/harbour-plan")
        assert ex.published is not None and ex.published.date().isoformat() == "2019-03-04", line


def test_related_stories_microdata_dates_are_not_the_articles() -> None:
    # Related stories marked up as schema.org microdata cards before the article, each with its own
    # <meta itemprop="datePublished">: the first card's date was read as the page's structured date.
    card = ("<div itemscope itemtype='https://schema.org/NewsArticle'><h3 itemprop='headline'><a href='/older'>"
            "Flood barrier funding approved</a></h3><meta itemprop='datePublished' content='2019-02-20T09:00:00Z'></div>")
    own = "<div>By Jane Doe <meta itemprop='datePublished' content='2019-03-04T10:15:00Z'><span>4 March 2019</span></div>"
    html = page("", f"<div>{card}</div>" + article([LOREM * 3], extra_before=own))
    ex = extract(html, "https://www.example.org/news/harbour-plan")
    assert ex.published == datetime(2019, 3, 4, 10, 15, tzinfo=UTC)


def test_an_ambiguous_numeric_date_is_read_in_the_pages_language() -> None:
    # "04/03/2019" under the headline of a British, French or Vietnamese page is 4 March: left to htmldate,
    # the day was a guess (and a related story's date on a page that had one). An en-US page (WordPress prints
    # it on sites of every country) and an "en" page stay undecided; an unambiguous date reads either way.
    for line, lang in (("04/03/2019 10:15", "en-GB"), ("Thứ hai, 4/3/2019, 10:15 (GMT+7)", "vi"),
                       ("04-03-2019", "fr-FR"), ("03/24/2019", "en-GB")):
        html = page("", article([LOREM * 3], extra_before=f"<div class='meta'>{line}</div>"), lang=lang)
        ex = extract(html, "https://www.example.org/news/harbour-plan")
        day = "2019-03-24" if "24" in line else "2019-03-04"
        assert ex.published is not None and ex.published.date().isoformat() == day, line
        assert not ex.published_guessed, line
    for lang in ("en-US", "en"):
        html = page("", article([LOREM * 3], extra_before="<div class='meta'>04/03/2019</div>"), lang=lang)
        ex = extract(html, "https://www.example.org/news/harbour-plan")
        assert ex.published is None or ex.published_guessed, lang


def test_hatom_abbr_titles_are_date_elements() -> None:
    # hAtom (WordPress "hentry" themes): <abbr class="published" title="ISO">Mar 4</abbr> beside the update's
    # abbr; unread, the day was htmldate's guess. An abbreviation's title is no date.
    meta = ("<div class='entry-meta'><abbr title='North Atlantic Treaty Organization'>NATO</abbr> · Last edit "
            "<abbr class='updated' title='2019-03-06T08:00:00+00:00'>Mar 6</abbr> · posted "
            "<abbr class='published' title='2019-03-04T10:15:00+00:00'>Mar 4</abbr></div>")
    ex = extract(page("", article([LOREM * 3], extra_before=meta)), "https://www.example.org/news/harbour-plan")
    assert ex.published == datetime(2019, 3, 4, 10, 15, tzinfo=UTC) and not ex.published_guessed
    assert ex.updated == datetime(2019, 3, 6, 8, tzinfo=UTC)



def test_a_paragraph_of_many_times_is_read_once() -> None:
    # The story-prose test read the paragraph around each <time>: 20,000 <time>s in one sentence took 57 s.
    import re
    from unittest import mock

    from newsdedup.clean import dates

    calls = 0
    pattern = dates._SENTENCE_END

    class Counting:
        def search(self, text: str) -> re.Match[str] | None:
            nonlocal calls
            calls += 1
            return pattern.search(text)

    times = "".join(f"<time datetime='2020-01-{i % 28 + 1:02d}'>day</time> and " for i in range(20_000))
    html = page("", article([f"It was set for {times} the end.", LOREM * 3], extra_before="<p>By Jane Doe, 4 March 2019</p>"))
    with mock.patch.object(dates, "_SENTENCE_END", Counting()):
        ex = extract(html, "https://www.example.org/news/harbour-plan")
    assert ex.published is not None and ex.published.date().isoformat() == "2019-03-04"
    assert calls < 200


def test_a_parsely_page_value_nested_too_deep_is_no_date_and_no_failure() -> None:
    # json.loads raises RecursionError, not ValueError, on "[[[[...": the page failed as too deep.
    html = page("<meta name='parsely-page' content='" + "[" * 15_000 + "'>", article([LOREM * 3]))
    ex = extract(html, "https://www.example.org/news/harbour-plan")
    assert ex.error is None and ex.text


_DECK = ("After more than a year of meetings, petitions and one walk-out, the council has made its decision on the "
         "riverside plan, and the developer now has six months to come back with drawings.")
_RELATED = ("<div><h3><a href='/news/a'>Bridge repairs start next week</a></h3><span>March 11, 2019</span></div>"
            "<div><h3><a href='/news/b'>School board names new head</a></h3><span>March 9, 2019</span></div>")


def test_a_byline_line_after_a_long_deck_gives_the_date() -> None:
    # No structured date and no markup naming the byline (a site no rule knows): a deck longer than a byline
    # line ends the header's reading, and htmldate took a related story's date; the byline line right after
    # the deck starts "By" and holds the day.
    for byline in ("By Jane Doe · March 4, 2019", "By <a href='/staff/jd'>Jane Doe</a> | <span>4 March 2019</span>",
                   "Von Anna Muster, 4. März 2019"):
        html = page("", article([_DECK, LOREM * 3]).replace(
            f"<p>{_DECK}</p>", f"<p>{_DECK}</p><div>{byline}</div>") + _RELATED)
        ex = extract(html, "https://www.example.org/news/riverside-plan")
        assert ex.published is not None and ex.published.date().isoformat() == "2019-03-04", byline
        assert not ex.published_guessed, byline


def test_a_story_line_starting_with_by_after_the_first_paragraph_gives_no_byline_date() -> None:
    # "By May 1, 2019, ..." is the story's, not a byline's: a name follows a byline's "By"; nor is a sentence.
    # (htmldate's whole-page guess may still take its day, flagged as a guess, as before.)
    for line in ("By May 1, 2019, tenants move in", "By 2020 the plan had changed twice (12 May 2019)",
                 "By then the council had met again, as it did on 12 May 2019 for the second vote."):
        html = page("", article([_DECK, line, LOREM * 3]))
        ex = extract(html, "https://www.example.org/news/riverside-plan")
        assert ex.published is None or ex.published_guessed, line


def test_an_ambiguous_numeric_date_takes_the_order_the_pages_other_dates_show() -> None:
    # en-US (WordPress prints it on sites of every country) leaves "03/04/2019" open; the page's other
    # numeric dates whose day is over 12 show its convention.
    for other, want in (("12/20/2018", "2019-03-04"), ("20/12/2018", "2019-04-03")):
        story = [f"The first draft was rejected on {other} after a four-hour meeting. " + LOREM, LOREM * 2]
        html = page("", article(story, extra_before="<div class='c1'>By Jane Doe | 03/04/2019 10:15 AM</div>"),
                    lang="en-US")
        ex = extract(html, "https://www.example.org/news/riverside-plan")
        assert ex.published is not None and ex.published.date().isoformat() == want, other
        assert not ex.published_guessed, other


def test_an_ambiguous_numeric_date_stays_open_when_the_page_shows_both_orders_or_none() -> None:
    for others in ((), ("12/20/2018", "20/12/2018")):
        story = ["".join(f"A draft was rejected on {o}. " for o in others) + LOREM, LOREM * 2]
        html = page("", article(story, extra_before="<div class='c1'>By Jane Doe | 03/04/2019 10:15 AM</div>"),
                    lang="en-US")
        ex = extract(html, "https://www.example.org/news/riverside-plan")
        assert ex.published is None or ex.published_guessed, others


def _post_page(after: str) -> str:
    comments = "".join(f"<li><div>reader{i} says:</div><time datetime='2019-03-0{7 + i}T08:12:00+00:00'>March {7 + i}, "
                       f"2019</time><p>I agree with the council, this should have happened years ago.</p></li>"
                       for i in range(3))
    return page("", article([LOREM * 3], extra_after=f"{after}<ol>{comments}</ol>"))


def test_a_posted_on_line_after_the_post_gives_the_date() -> None:
    # A classic blog theme prints "Posted on <date> by admin" after the post, readers' comments after it; with
    # its class unknown htmldate took a comment's day.
    ex = extract(_post_page("<div class='c4e1'>Posted on March 4, 2019 by admin in News</div>"),
                 "https://blog.example.org/riverside-housing-plan-approved/")
    assert ex.published is not None and ex.published.date().isoformat() == "2019-03-04"
    assert ex.published_guessed  # a line of the page's furniture, as the kicker's date


def test_posted_on_lines_of_a_list_or_of_several_days_give_no_date() -> None:
    from newsdedup.clean.dates import _posted_line
    from newsdedup.clean.html import parse

    for after in ("<ul><li>Posted on March 1, 2019 by admin</li><li>Posted on March 2, 2019 by admin</li></ul>",
                  "<div>Posted on March 1, 2019 by admin</div><div>Posted on March 2, 2019 by admin</div>",
                  "<div><a href='/2019/03/01/'>Posted on March 1, 2019</a></div>", "<div>Posted on a Tuesday</div>"):
        assert _posted_line(parse(_post_page(after).encode())) is None, after


_RELATED = ("<ul><li><h3><a href='/a'>Other story</a></h3><time datetime='2019-03-11'>11.03.2019</time></li>"
            "<li><h3><a href='/b'>Another</a></h3><time datetime='2019-03-09'>09.03.2019</time></li></ul>")


def _dateline_day(line: str, lang: str, h1: str = "Budget approved") -> tuple[str | None, bool]:
    html = page("", article([LOREM * 3], extra_before=f"<div class='meta'>{line}</div>", h1=h1) + _RELATED, lang=lang)
    ex = extract(html, "https://www.example.org/news/harbour-plan")
    return (ex.published.date().isoformat() if ex.published else None), ex.published_guessed


def test_datelines_in_the_digits_of_the_pages_script_are_read() -> None:
    # Arabic-Indic, Persian, Devanagari, Bengali and Thai digits: no dateline form matched them (only full-width
    # digits were read as ASCII), and htmldate's whole-page guess took a related story's date below.
    for line, lang, h1 in (("نُشر في ٤ مارس ٢٠١٩ - ١٠:١٥ ص", "ar", "المجلس يوافق على الخطة"),
                           ("٠٤/٠٣/٢٠١٩ ١٠:١٥", "ar", "المجلس يوافق على الخطة"),
                           ("تاریخ انتشار: ۴ مارس ۲۰۱۹", "fa", "شورا طرح را تصویب کرد"),
                           ("प्रकाशित: ४ मार्च २०१९, १०:१५", "hi", "परिषद ने योजना को मंज़ूरी दी"),
                           ("প্রকাশ: ০৪ মার্চ ২০১৯", "bn", "কাউন্সিল পরিকল্পনা অনুমোদন করেছে"),
                           ("๔ มีนาคม ๒๕๖๒", "th", "สภาอนุมัติแผน")):
        assert _dateline_day(line, lang, h1) == ("2019-03-04", False), line


def test_datelines_with_month_names_of_further_countries_are_read() -> None:
    # Levantine Arabic (with a Hijri date first), Maghreb Arabic, Al Jazeera's two names of the month, Persian,
    # Urdu, Bengali, Marathi, Tamil, Slovenian, Serbian Cyrillic, Belarusian, Kazakh, Azerbaijani, Georgian,
    # Armenian, Icelandic, Tagalog, Greek abbreviations, Latvian "gada": left to htmldate, a related story's day.
    for line, lang, day in (("الإثنين 27 جمادى الآخرة 1440 هـ - 4 آذار 2019", "ar", "2019-03-04"),
                            ("7 تشرين الأول 2019", "ar", "2019-10-07"),
                            ("نشر يوم 7 جوان 2019", "ar", "2019-06-07"),
                            ("4 مارس/آذار 2019", "ar", "2019-03-04"),
                            ("۷ ژوئن ۲۰۱۹", "fa", "2019-06-07"), ("07 جون 2019", "ur", "2019-06-07"),
                            ("০৭ জুন ২০১৯", "bn", "2019-06-07"), ("४ ऑगस्ट २०१९", "mr", "2019-08-04"),
                            ("ஜூன் 7, 2019", "ta", "2019-06-07"), ("4. marec 2019", "sl", "2019-03-04"),
                            ("7. јун 2019.", "sr", "2019-06-07"), ("4 сакавіка 2019", "be", "2019-03-04"),
                            ("4 наурыз 2019", "kk", "2019-03-04"), ("7 iyun 2019", "az", "2019-06-07"),
                            ("7 ივნისი 2019", "ka", "2019-06-07"), ("7 հունիսի 2019", "hy", "2019-06-07"),
                            ("7. júní 2019", "is", "2019-06-07"), ("Hunyo 7, 2019", "tl", "2019-06-07"),
                            ("Παρασκευή, 7 Ιουν 2019", "el", "2019-06-07"),
                            ("2019. gada 4. martā", "lv", "2019-03-04")):
        assert _dateline_day(line, lang) == (day, False), line


def test_datelines_in_era_years_and_short_buddhist_years_are_read() -> None:
    # Japanese era years ("平成31年" is 2019, "令和元年" Reiwa's first year), the Republic of China's in Taiwan
    # ("民國108年"), a Thai Buddhist year of two digits before a time ("62 10:15": not 10 o'clock's year) and a
    # numeric Thai date with a Buddhist year.
    for line, lang, day in (("平成31年3月4日 10時15分", "ja", "2019-03-04"), ("令和元年6月7日", "ja", "2019-06-07"),
                            ("令和２年６月７日", "ja", "2020-06-07"), ("中華民國108年3月4日", "zh-TW", "2019-03-04"),
                            ("4 มี.ค. 62 10:15 น.", "th", "2019-03-04"), ("04/03/2562 10:15", "th", "2019-03-04")):
        assert _dateline_day(line, lang) == (day, False), line


def test_a_time_after_a_thai_month_is_no_year() -> None:
    # "4 มี.ค. 10:15": the hour is no two-digit Buddhist year, and an hour of 50 or more does not exist.
    from newsdedup.clean.dates import _visible_dates

    assert _visible_dates("4 มี.ค. 10:15") == []
    assert _visible_dates("4 มี.ค. 59:15") == []


def test_an_update_labelled_in_arabic_hindi_or_vietnamese_is_not_the_publication() -> None:
    for line, lang in (("آخر تحديث: 6 مارس 2019 · نشر في 4 مارس 2019", "ar"),
                       ("अपडेट: 6 मार्च 2019 · प्रकाशित: 4 मार्च 2019", "hi"),
                       ("Cập nhật: 06/03/2019 · Đăng ngày 04/03/2019", "vi")):
        assert _dateline_day(line, lang) == ("2019-03-04", False), line


def test_digits_of_other_scripts_keep_their_positions_and_the_text_its_length() -> None:
    from newsdedup.clean.dates import _ascii_digits

    for text in ("٤ مارس ٢٠١٩", "४ मार्च २०१९", "০৪ মার্চ", "๒๕๖๒", "２０１９年", "x²³ ½ Ⅻ"):
        out = _ascii_digits(text)
        assert len(out) == len(text)
        assert all(a == b or (a.isdecimal() and b == str(int(a))) for a, b in zip(text, out, strict=True)), text
    assert _ascii_digits("x²³ ½ Ⅻ") == "x²³ ½ Ⅻ"  # superscripts, fractions and numerals are no decimal digits


def test_many_date_like_strings_in_other_scripts_are_read_in_bounded_work(monkeypatch: pytest.MonkeyPatch) -> None:
    # A byline area of 5,000 dates in Devanagari digits, Levantine months and era years: the reading stops at the
    # header's size, so the digits of only a few texts are translated.
    from newsdedup.clean import dates

    calls = 0
    real = dates._ascii_digits

    def counting(text: str) -> str:
        nonlocal calls
        calls += 1
        return real(text)

    spam = "".join(f"<span>४ मार्च २०१९ · 7 حزيران 2019 · 平成31年3月{i % 28 + 1}日</span>" for i in range(5_000))
    html = page("", article([LOREM * 3], extra_before=f"<div class='meta'>{spam}</div>"), lang="hi")
    monkeypatch.setattr(dates, "_ascii_digits", counting)
    ex = extract(html, "https://www.example.org/news/harbour-plan")
    assert ex.published is not None and ex.published.date().isoformat() == "2019-03-04"
    assert calls < 50


def _utc_page_with_byline(utc: str, line: str, lang: str = "en") -> datetime | None:
    head = ld({"@type": "NewsArticle", "headline": "Budget approved", "datePublished": utc})
    html = page(head, article([LOREM * 3], extra_before=f"<div class='meta'>{line}</div>") + _RELATED, lang=lang)
    return extract(html, "https://www.example.org/news/harbour-plan").published


def test_a_utc_time_is_shown_in_the_zone_the_byline_prints_it_in() -> None:
    # JSON-LD in UTC put a story of 01:30 IST on the day before its page's (and one of 10:30 p.m. ET on the day after).
    for utc, line, lang, local in (
            ("2019-03-03T20:00:00Z", "Published: Mar 04, 2019, 01:30 AM IST", "en-IN", "2019-03-04T01:30:00+05:30"),
            ("2019-03-03T18:30:00Z", "Senin, 04 Mar 2019 01:30 WIB", "id", "2019-03-04T01:30:00+07:00"),
            ("2019-03-05T03:30:00Z", "Posted March 4, 2019 at 10:30 p.m. ET", "en-US", "2019-03-04T22:30:00-05:00"),
            ("2019-07-05T02:30:00Z", "July 4, 2019 10:30 PM ET", "en-US", "2019-07-04T22:30:00-04:00"),
            ("2019-03-03T16:15:00Z", "２０１９年３月４日 １時１５分 JST", "ja", "2019-03-04T01:15:00+09:00"),
            ("2019-03-03T17:15:00Z", "Thứ hai, 4/3/2019, 00:15 (GMT+7)", "vi", "2019-03-04T00:15:00+07:00")):
        published = _utc_page_with_byline(utc, line, lang)
        assert published is not None and published.isoformat() == local, line


def test_a_time_printed_in_a_zone_at_another_instant_or_a_lowercase_word_moves_nothing() -> None:
    # The zone is taken only when it gives the printed wall time to the minute: an event's time, another story's,
    # the German "ist" or French "et" after a time are no zone of the article's time.
    for line, lang in (("March 4, 2019 · Kick-off 8:00 p.m. ET", "en-US"), ("4. März 2019, 01:30 ist Redaktionsschluss", "de"),
                       ("4 mars 2019, 01:30 et 02:00", "fr"), ("Mar 04, 2019, 01:31 AM IST", "en-IN")):
        published = _utc_page_with_byline("2019-03-03T20:00:00Z", line, lang)
        assert published is not None and published.isoformat() == "2019-03-03T20:00:00+00:00", line
