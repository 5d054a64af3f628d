"""Metadata classes of held-back pages no dev set shows (session 44): a region's name (a US state, a province) as the
only credit of a byline ("By Texas", "<div>New Jersey</div>" under the headline), a Japanese, Chinese or Korean name
alone under the headline with no "By" and no markup naming it; synthetic pages, each with a trap beside the true
value."""

from __future__ import annotations

import pytest

from newsdedup.clean import extract

from .pages import LOREM

TITLE = "Council approves the riverside housing plan after a long debate"
SITE = "https://www.valleyherald.example"
URL = f"{SITE}/news/riverside-plan"


def _page(*, head: str = "", header: str = "", lang: str = "en", title: str = TITLE,
          story: tuple[str, ...] = (LOREM, LOREM, LOREM)) -> bytes:
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{title} | Valley Herald</title>"
            f"<meta property='og:title' content='{title}'>{head}</head><body><nav><ul><li><a href='/news'>News</a></li>"
            f"<li><a href='/politics'>Politics</a></li></ul></nav><main><article><h1>{title}</h1>{header}"
            + "".join(f"<p>{p}</p>" for p in story) + "</article></main></body></html>").encode()


@pytest.mark.parametrize("line", [
    "<p class='byline'>By Texas</p>",
    "<div class='author'>By New Jersey</div>",
    "<p class='byline'>By North Carolina</p>",
    "<span class='byline'>Ontario</span>",
    "<div class='byline'>By Queensland</div>",
])
def test_a_regions_name_as_the_bylines_only_credit_is_no_author(line: str) -> None:
    # Before: the region credited as the author ("Texas", "New Jersey"): a dateline's place read as a name.
    ex = extract(_page(header=line), URL)
    assert ex.authors == []


@pytest.mark.parametrize("line", ["<div>New Jersey</div>", "<div class='c7f2a9e'>Texas</div>",
                                  "<div>British Columbia</div>", "<div>Uttar Pradesh</div>"])
def test_a_regions_name_alone_under_the_headline_is_no_byline(line: str) -> None:
    # Before: "New Jersey", "British Columbia", "Uttar Pradesh" credited (session 43's name alone over the story).
    ex = extract(_page(header=line), URL)
    assert ex.authors == []


@pytest.mark.parametrize(("line", "names"), [
    ("<p class='byline'>By Jane Doe, Texas</p>", ["Jane Doe"]),
    ("<p class='byline'>By Jane Doe in New Jersey</p>", ["Jane Doe"]),
    ("<p class='byline'>By Virginia Woolf</p>", ["Virginia Woolf"]),  # a region's name in a person's name
    ("<div>Georgia Brooks</div>", ["Georgia Brooks"]),
])
def test_a_person_beside_or_named_like_a_region_is_still_credited(line: str, names: list[str]) -> None:
    ex = extract(_page(header=line), URL)
    assert ex.authors == names


JA_TITLE = "市立図書館、学生の要望受け開館時間を延長"
JA_STORY = ("市立図書館は来月から平日の開館時間を午前零時まで延長すると火曜日に発表した。学生らは冬から自習席の増加を求めていた。",
            "図書館によると、延長にかかる費用は年間約千万円の見込みで、市議会が来週審議する。",
            "学生会は決定を歓迎し、週末の延長も検討するよう求めた。")
ZH_TITLE = "市图书馆应学生要求延长开放时间"
ZH_STORY = ("市图书馆周二宣布，从下个月起工作日开放时间将延长至午夜。学生们自冬季以来一直要求增加自习座位。",
            "据图书馆介绍，延长开放每年将花费约一百万元，市议会将于下周审议这笔预算。",
            "学生会对这一决定表示欢迎，并要求图书馆考虑在周末也延长开放时间。")
KO_TITLE = "시립도서관, 학생 요청에 개관 시간 연장"
KO_STORY = ("시립도서관은 다음 달부터 평일 자정까지 문을 연다고 화요일 밝혔다. 학생들은 겨울부터 공부할 공간을 더 달라고 요구해 왔다.",
            "도서관 측은 추가 운영에 연간 약 일억 원이 들 것으로 예상했다. 시의회는 다음 주 예산안을 심의한다.",
            "학생회는 이번 결정을 환영하며 주말 운영도 검토해 달라고 요청했다.")
CJK = {"ja": (JA_TITLE, JA_STORY), "zh": (ZH_TITLE, ZH_STORY), "ko": (KO_TITLE, KO_STORY)}


@pytest.mark.parametrize(("lang", "line", "name"), [
    ("ja", "<div class='c7f2a9e'>山田太郎</div>", "山田太郎"),
    ("ja", "<div>佐藤 花子</div>", "佐藤 花子"),
    ("ja", "<div class='x1'><span>高橋健一</span></div>", "高橋健一"),
    ("zh", "<div class='c7f2a9e'>王小明</div>", "王小明"),
    ("zh", "<div>李娜</div>", "李娜"),
    ("ko", "<div class='c7f2a9e'>김민수</div>", "김민수"),
])
def test_a_cjk_name_alone_under_the_headline_over_the_story_is_the_byline(lang: str, line: str, name: str) -> None:
    # No "By", no role, no markup naming it (a byline <div> whose class a site hashes). Before: no author.
    title, story = CJK[lang]
    ex = extract(_page(header=line, lang=lang, title=title, story=story), URL)
    assert ex.authors == [name]


@pytest.mark.parametrize(("lang", "line"), [
    ("ja", "<div>社会部</div>"),  # a desk's name
    ("ja", "<div>経済</div>"),  # a section's name
    ("ja", "<div><a href='/politics'>政治</a></div>"),  # a linked section
    ("ja", "<div>東京</div>"),  # a place
    ("zh", "<div>国际新闻</div>"),
    ("zh", "<div>王府井</div>"),  # a place whose first character is a surname, named again in the story below
    ("ko", "<div>사회부</div>"),
    ("ko", "<div>스포츠</div>"),
])
def test_a_cjk_label_alone_under_the_headline_is_no_byline(lang: str, line: str) -> None:
    title, story = CJK[lang]
    if "王府井" in line:
        story = ("王府井" + story[0], *story[1:])
    ex = extract(_page(header=line, lang=lang, title=title, story=story), URL)
    assert ex.authors == []


RELATED = ("<section class='related'><h2>Related</h2><ul>"
           "<li><h3><a href='/news/a'>Bridge repairs start next week</a></h3><time datetime='2019-03-11'>March 11, 2019</time></li>"
           "<li><h3><a href='/news/b'>School board names new head</a></h3><time datetime='2019-03-09'>March 9, 2019</time></li>"
           "</ul></section>")


def _day(ex: object) -> str | None:
    published = getattr(ex, "published", None)
    return published.date().isoformat() if published is not None else None


@pytest.mark.parametrize("stamp", [
    "<span class='timeago' title='2019-03-04T10:15:00Z'>3 hours ago</span>",  # jQuery timeago on a <span>
    "<span class='c9f1' title='2019-03-04T10:15:00+00:00'>3 hours ago</span>",
    "<span class='date' data-timestamp='1551694500'>3 hours ago</span>",  # seconds since 1970, relative text
    "<span data-time='1551694500000'></span>",  # milliseconds, text filled by a script
    "<abbr data-utime='1551694500'>Monday</abbr>",
    "<span data-datetime='2019-03-04T10:15:00Z'>3 hours ago</span>",
    "<div data-published='2019-03-04T10:15:00Z'>vor 3 Stunden</div>",
])
def test_a_relative_label_holding_its_time_in_an_attribute_is_dated(stamp: str) -> None:
    # Before: no date ("3 hours ago" read as relative, no fetch time) or a related story's day (2019-03-09).
    html = _page(header=f"<div class='meta'>By Jane Doe · {stamp}</div>").replace(
        b"</article>", b"</article>" + RELATED.encode())
    ex = extract(html, URL)
    assert _day(ex) == "2019-03-04"


@pytest.mark.parametrize("header", [
    "<div data-date='2019-03-09'><p>A calendar's block of events that runs for a long time, one line after another,"
    " with nothing about the page's own publication in it at all.</p></div>",  # a block, not a stamp
    "<span title='Bridge repairs start next week'>3 hours ago</span>",  # a title that is no date
])
def test_an_attribute_that_is_no_stamp_of_the_page_is_not_read_as_one(header: str) -> None:
    # At most htmldate's whole-page guess, flagged (it reads a block's data-date), never an unflagged date.
    ex = extract(_page(header=header), URL)
    assert _day(ex) is None or ex.published_guessed


@pytest.mark.parametrize(("line", "lang"), [
    ("Diterbitkan 4 Mac 2019", "ms"),  # Malay
    ("4 Mac 2019, 10:15 pagi", "ms"),
    ("Machi 4, 2019", "sw"),  # Swahili
    ("Imechapishwa: 4 Machi 2019", "sw"),
])
def test_malay_and_swahili_month_names_are_read(line: str, lang: str) -> None:
    # Before: a related story's day (2019-03-09), htmldate's guess.
    html = _page(header=f"<div class='meta'>{line}</div>", lang=lang).replace(
        b"</article>", b"</article>" + RELATED.encode())
    assert _day(extract(html, URL)) == "2019-03-04"
