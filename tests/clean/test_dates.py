"""Published and updated kept apart, timezone kept, no future or impossible dates."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from newsdedup.clean import extract
from newsdedup.clean.dates import parse_date

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
