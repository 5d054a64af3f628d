"""Metadata classes of pages no dev set shows (session 41): relative dates, calendars we cannot convert to the
day, Taiwan's years without "民國", titles split by markup or by "::", synthetic pages each with a trap."""

from __future__ import annotations

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
