"""Synthetic pages of published-date markup classes the dev pages rarely show, each with a trap, through ours and trafilatura.

The dates dev set is one sample of 2020 news sites; held-back pages of other sites decide. These pages show
classes of date markup collected from public date extractors' rules and test suites (htmldate's meta names,
hAtom microformats, microdata, `<time pubdate>`, byline class names, URL days, dates in many languages and
numeric orders, update labels, copyright years), each beside a trap a real page carries: a modified date,
readers' comments' dates, related stories' dates, a copyright year, a date told in the story, a future event's
date, today's date in the site header, a URL day that contradicts the page. Wording is invented. Gold is the
day of first publication as the page shows it (None: the page gives no publication date, the right answer is
none).

    PYTHONPATH=plugins .venv/bin/python benchmarks/date_classes.py [--blind] [--show NAME]

Prints, per page, whether ours and trafilatura (`bare_extraction(html, url=url, with_metadata=True)`, whose
date is htmldate's `find_date` with its extensive search) give the gold day (`score_extraction.py`'s
`same_day`; for a page without a date, no date), ours' `published_guessed` flag, and the totals. `--blind`
scores the same pages with every class and id hashed and the sectioning tags printed as `<div>`
(`class_blind.py`'s `classes` and `sections`). `--show NAME` prints the answers for pages whose name holds NAME.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from class_blind import blind, unsectioned  # noqa: E402
from extract_bench import DEFAULT_SCORER, RUNNERS, load_scorer  # noqa: E402

Page = tuple[str, str, str | None]  # html, url, gold day (None: no publication date on the page)

SITE = "https://www.valleyherald.example"
TITLE = "Council approves the riverside housing plan after a long debate"
STORY = [
    "Council members voted seven to two on Thursday evening to approve the plan, ending a debate that had dragged "
    "on for more than a year and filled the public gallery at every meeting.",
    "Supporters said the decision would bring hundreds of jobs to the district and finally put the empty land by "
    "the river to use, while opponents warned of traffic and the loss of one of the last green spaces.",
    "The developer must now submit detailed drawings within six months, and construction could begin next spring "
    "if no legal challenge is filed against the permit.",
    "Residents who spoke at the meeting said they would keep watching the project closely and asked the council "
    "to publish every report it receives from the developer.",
]
NAV = ("<header class='site-header'><a class='logo' href='/'>Valley Herald</a><nav><ul class='menu'>"
       + "".join(f"<li><a href='/{w.lower()}'>{w}</a></li>" for w in ("News", "Politics", "Business", "Sport"))
       + "</ul></nav></header>")
FOOTER = ("<footer class='site-footer'><ul><li><a href='/about'>About us</a></li><li><a href='/privacy'>Privacy</a>"
          "</li></ul><p>© 2019 Valley Herald Media. All rights reserved.</p></footer>")


def _p(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _ld(obj: Any) -> str:
    return f"<script type='application/ld+json'>{json.dumps(obj, ensure_ascii=False)}</script>"


def _page(*, head: str = "", above: str = "", header: str = "", story: list[str] | None = None, below: str = "",
          outside: str = "", lang: str = "en", slug: str = "news/riverside-housing-plan-approved",
          title: str = TITLE) -> tuple[str, str]:
    """A news page: site header, the article (what `above` the headline, the headline, the `header` lines
    under it, the story, what is `below` it in the article), `outside` the article, the site's footer."""
    html = (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{title} | Valley Herald</title>"
            f"<meta property='og:title' content=\"{title}\">{head}</head><body>{NAV}<main><article>{above}"
            f"<h1 class='headline'>{title}</h1>{header}<div class='article-body'>{_p(story or STORY)}</div>{below}"
            f"</article>{outside}</main>{FOOTER}</body></html>")
    return html, f"{SITE}/{slug}"


UPDATED_HEADER = "<div class='meta'><span class='updated'>Updated March 6, 2019</span></div>"
RELATED = ("<section class='related'><h2>Related</h2><ul>"
           "<li><h3><a href='/news/a'>Bridge repairs start next week</a></h3><time datetime='2019-03-11'>March 11, 2019</time></li>"
           "<li><h3><a href='/news/b'>School board names new head</a></h3><time datetime='2019-03-09'>March 9, 2019</time></li>"
           "</ul></section>")


def _comments(dates: tuple[str, ...] = ("2019-03-07T08:12:00+00:00", "2019-03-07T09:40:00+00:00",
                                        "2019-03-08T17:02:00+00:00")) -> str:
    items = "".join(f"<li class='comment'><div class='comment-author'>reader{i}</div><time datetime='{d}'>"
                    f"{d[:10]}</time><p>I agree with the council, this should have happened years ago.</p></li>"
                    for i, d in enumerate(dates))
    return f"<section class='comments'><h2>3 comments</h2><ol class='comment-list'>{items}</ol></section>"


# ------------------------------------------------------------------------------------------ meta names
def og_published_time() -> Page:
    """`og:published_time` (htmldate reads it; not Open Graph's `article:` name) and an "Updated" line shown."""
    html, url = _page(head="<meta property='og:published_time' content='2019-03-04T10:15:00+00:00'>",
                      header=UPDATED_HEADER)
    return html, url, "2019-03-04"


def dcterms_issued() -> Page:
    """Dublin Core `dcterms.issued` and `DC.date.modified` of a later day, an "Updated" line shown."""
    html, url = _page(head="<meta name='dcterms.issued' content='2019-03-04'>"
                           "<meta name='DC.date.modified' content='2019-03-06'>", header=UPDATED_HEADER)
    return html, url, "2019-03-04"


def published_date_name() -> Page:
    """A CMS's own meta name (`published-date`), an "Updated" line shown."""
    html, url = _page(head="<meta name='published-date' content='2019-03-04T10:15:00Z'>", header=UPDATED_HEADER)
    return html, url, "2019-03-04"


def parsely_page_json() -> Page:
    """Parse.ly's `parsely-page` meta holding JSON with `pub_date`; the header shows only "Updated"."""
    value = json.dumps({"title": TITLE, "link": f"{SITE}/news/x", "type": "post", "pub_date": "2019-03-04T10:15:00Z",
                        "section": "News", "author": "Jane Doe"}).replace('"', "&quot;")
    html, url = _page(head=f"<meta name='parsely-page' content=\"{value}\">", header=UPDATED_HEADER)
    return html, url, "2019-03-04"


def dotted_meta_date() -> Page:
    """A German CMS writes `<meta name="date" content="04.03.2019">`: day first, as every dotted date."""
    html, url = _page(head="<meta name='date' content='04.03.2019'>", lang="de")
    return html, url, "2019-03-04"


def dotted_ld_date() -> Page:
    """JSON-LD `datePublished` "04.03.2019 10:15" (day first), dateModified later."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE,
          "datePublished": "04.03.2019 10:15", "dateModified": "06.03.2019 08:00"}
    html, url = _page(head=_ld(ld), lang="de")
    return html, url, "2019-03-04"


def related_microdata_first() -> Page:
    """Related stories as schema.org microdata cards (`<meta itemprop=datePublished>`) before the article's own."""
    card = ("<div class='teaser' itemscope itemtype='https://schema.org/NewsArticle'><h3 itemprop='headline'>"
            "<a href='/news/older'>Flood barrier funding approved</a></h3>"
            "<meta itemprop='datePublished' content='2019-02-20T09:00:00Z'></div>")
    html, url = _page(above=f"<div class='rail'>{card}</div>",
                      header="<div class='byline'>By Jane Doe <meta itemprop='datePublished' content='2019-03-04T10:15:00Z'>"
                             "<span>4 March 2019</span></div>")
    return html, url, "2019-03-04"


# ------------------------------------------------------------------------------------------ elements
def abbr_published() -> Page:
    """hAtom: `<abbr class="updated" title=...>` before `<abbr class="published" title=...>`, no year in text."""
    html, url = _page(header="<div class='entry-meta'>Last edit <abbr class='updated' title='2019-03-06T08:00:00+00:00'>"
                             "Mar 6</abbr> · posted <abbr class='published' title='2019-03-04T10:15:00+00:00'>Mar 4</abbr>"
                             "</div>")
    return html, url, "2019-03-04"


def wordpress_published_updated() -> Page:
    """WordPress: `<time class="entry-date published updated">` (never edited), below a long deck."""
    deck = ("<p class='deck'>After more than a year of meetings, petitions and one walk-out, the council has made its "
            "decision on the riverside plan, and the developer now has six months to come back with drawings.</p>")
    html, url = _page(header=deck + "<div class='entry-meta'><time class='entry-date published updated' "
                                    "datetime='2019-03-04T10:15:00+00:00'>March 4, 2019</time></div>",
                      below=_comments())
    return html, url, "2019-03-04"


def comment_times_text_byline() -> Page:
    """The byline prints its date as text; readers' comments below carry `<time datetime>`s."""
    html, url = _page(header="<div class='byline'>By Jane Doe | March 4, 2019</div>", below=_comments())
    return html, url, "2019-03-04"


def event_time_in_story() -> Page:
    """A `<time datetime>` in the story marks a future event; the byline's date is text."""
    story = STORY[:2] + ["The first public hearing on the drawings is set for <time datetime='2019-04-23'>April 23"
                         "</time> at the town hall, and residents may send written comments before then."] + STORY[2:]
    html, url = _page(header="<div class='byline'>By Jane Doe, 4 March 2019</div>", story=story)
    return html, url, "2019-03-04"


def time_without_datetime() -> Page:
    """`<time class="published">March 4, 2019</time>` with no attribute, after a long deck; related dates below."""
    deck = ("<p class='deck'>After more than a year of meetings, petitions and one walk-out, the council has made its "
            "decision on the riverside plan, and the developer now has six months to come back with drawings.</p>")
    html, url = _page(header=deck + "<div class='meta'><time class='published'>March 4, 2019</time></div>",
                      outside=RELATED)
    return html, url, "2019-03-04"


def itemprop_text_date() -> Page:
    """Microdata `itemprop="datePublished"` on a span whose text is the date, no content attribute."""
    html, url = _page(header="<div class='meta'><span itemprop='datePublished'>4 March 2019</span> · "
                             "<span itemprop='dateModified'>6 March 2019</span></div>")
    return html, url, "2019-03-04"


# ------------------------------------------------------------------------------------------ where the date is
def date_after_long_deck() -> Page:
    """The byline and date come after a deck longer than a byline line; related stories' dates below."""
    deck = ("<p class='deck'>After more than a year of meetings, petitions and one walk-out, the council has made its "
            "decision on the riverside plan, and the developer now has six months to come back with drawings.</p>")
    html, url = _page(header=deck + "<p class='byline'>By Jane Doe · March 4, 2019</p>", outside=RELATED)
    return html, url, "2019-03-04"


def date_above_headline() -> Page:
    """A kicker line above the headline holds the date ("Politics | 4 March 2019"); related dates below."""
    html, url = _page(above="<div class='kicker'><a href='/politics'>Politics</a> | 4 March 2019</div>",
                      outside=RELATED)
    return html, url, "2019-03-04"


def date_at_post_end() -> Page:
    """A classic blog theme: "Posted on March 4, 2019 by admin" after the post, readers' comments after it."""
    html, url = _page(below="<div class='postmetadata'>Posted on March 4, 2019 by admin in News</div>"
                            + _comments(), slug="riverside-housing-plan-approved/")
    return html, url, "2019-03-04"


def today_in_site_header() -> Page:
    """The site header prints today's date; the article's date is under the headline."""
    html, url = _page(above="<div class='today'>Friday, March 8, 2019</div>",
                      header="<div class='byline'>By Jane Doe, March 4, 2019</div>")
    return html, url, "2019-03-04"


def url_day_against_meta() -> Page:
    """The URL's day (the draft's) contradicts `article:published_time`; the meta is the publication."""
    html, url = _page(head="<meta property='article:published_time' content='2019-03-04T10:15:00+00:00'>",
                      slug="2019/03/01/riverside-housing-plan-approved/")
    return html, url, "2019-03-04"


def url_day_only_with_story_date() -> Page:
    """Only the URL gives the day; the story tells an earlier date."""
    story = ["The plan was first put to the council on 12 February 2018, when it was sent back for changes."] + STORY
    html, url = _page(story=story, slug="2019/03/04/riverside-housing-plan-approved/")
    return html, url, "2019-03-04"


# ------------------------------------------------------------------------------------------ numeric orders
def us_slashes() -> Page:
    """en-US "03/04/2019" under the headline: month first; the story mentions "12/20/2018"."""
    story = STORY[:1] + ["The first draft was rejected on 12/20/2018 after a four-hour meeting."] + STORY[1:]
    html, url = _page(header="<div class='byline'>By Jane Doe | 03/04/2019 10:15 AM</div>", story=story,
                      lang="en-US")
    return html, url, "2019-03-04"


def uk_slashes() -> Page:
    """en-GB "04/03/2019" under the headline: day first."""
    html, url = _page(header="<div class='byline'>By Jane Doe | 04/03/2019 10:15</div>", lang="en-GB")
    return html, url, "2019-03-04"


def vietnamese_slashes() -> Page:
    """vi "Thứ hai, 4/3/2019, 10:15 (GMT+7)": day first, no zero padding."""
    html, url = _page(header="<div class='date'>Thứ hai, 4/3/2019, 10:15 (GMT+7)</div>", lang="vi")
    return html, url, "2019-03-04"


def two_digit_year() -> Page:
    """de "04.03.19, 10:15 Uhr": a two-digit year; the story tells "am 12.04.2019"."""
    story = STORY[:1] + ["Die erste Anhörung ist am 12.04.2019 im Rathaus geplant."] + STORY[1:]
    html, url = _page(header="<div class='meta'>04.03.19, 10:15 Uhr</div>", story=story, lang="de")
    return html, url, "2019-03-04"


# ------------------------------------------------------------------------------------------ languages
def _lang_page(line: str, lang: str) -> Page:
    html, url = _page(header=f"<div class='meta'>{line}</div>", lang=lang, outside=RELATED)
    return html, url, "2019-03-04"


LANGUAGE_LINES = {
    "de '4. März 2019'": ("Veröffentlicht am 4. März 2019, 10:15 Uhr", "de"),
    "fr 'le 4 mars 2019'": ("Publié le 4 mars 2019 à 10h15", "fr"),
    "es '4 de marzo de 2019'": ("Publicado el 4 de marzo de 2019", "es"),
    "ca '4 de març de 2019'": ("Publicat el 4 de març de 2019", "ca"),
    "it '4 marzo 2019'": ("Pubblicato il 4 marzo 2019 alle 10:15", "it"),
    "nl '4 maart 2019'": ("Gepubliceerd op 4 maart 2019", "nl"),
    "pl '4 marca 2019'": ("Opublikowano 4 marca 2019, 10:15", "pl"),
    "ru '4 марта 2019'": ("Опубликовано 4 марта 2019, 10:15", "ru"),
    "el '4 Μαρτίου 2019'": ("Δημοσίευση: 4 Μαρτίου 2019", "el"),
    "ro '4 martie 2019'": ("Publicat: 4 martie 2019", "ro"),
    "sv '4 mars 2019'": ("Publicerad 4 mars 2019 kl 10.15", "sv"),
    "id 'Senin, 4 Maret 2019'": ("Senin, 4 Maret 2019 10:15 WIB", "id"),
    "tr '4 Mart 2019 Pazartesi'": ("4 Mart 2019 Pazartesi 10:15", "tr"),
    "ja '2019年3月4日'": ("2019年3月4日 10時15分", "ja"),
    "zh '2019年03月04日'": ("发布时间：2019年03月04日 10:15", "zh"),
    "ko '2019.03.04'": ("입력 2019.03.04 10:15", "ko"),
    "vi 'ngày 4 tháng 3 năm 2019'": ("Thứ Hai, ngày 4 tháng 3 năm 2019", "vi"),
    "pt 'Mar 4, 2019' abbrev": ("Atualizado 6 mar 2019 · Publicado 4 mar 2019", "pt"),
    "hi '4 मार्च 2019'": ("प्रकाशित: 4 मार्च 2019", "hi"),
    "th '4 มีนาคม 2562'": ("เผยแพร่ 4 มีนาคม 2562", "th"),
    "he '4 במרץ 2019'": ("פורסם 4 במרץ 2019", "he"),
    "uk '4 березня 2019'": ("Опубліковано 4 березня 2019", "uk"),
}


# Digits of the page's own script, calendars of eras and other countries' month names (session 39). Each line
# stands under a headline in the page's script, related stories' dates below; some carry a trap of their own: a
# Hijri date first, a time's hour after a two-digit year, the Gregorian year in the story.
TITLES = {
    "ar": "المجلس يوافق على خطة الإسكان على ضفة النهر بعد نقاش طويل",
    "fa": "شورا طرح مسکن کنار رودخانه را پس از بحثی طولانی تصویب کرد",
    "ur": "طویل بحث کے بعد کونسل نے دریا کے کنارے رہائشی منصوبے کی منظوری دے دی",
    "hi": "लंबी बहस के बाद परिषद ने नदी किनारे आवास योजना को मंज़ूरी दी",
    "bn": "দীর্ঘ বিতর্কের পর কাউন্সিল নদীর তীরে আবাসন পরিকল্পনা অনুমোদন করেছে",
    "ja": "市議会、長い議論の末に河川沿いの住宅計画を承認",
    "zh-TW": "市議會經過長時間辯論後通過河濱住宅計畫",
    "th": "สภาอนุมัติแผนที่อยู่อาศัยริมแม่น้ำหลังการอภิปรายยาวนาน",
}
WORLD_LINES = {
    "ar Levantine month, Hijri date first": ("الإثنين 27 جمادى الآخرة 1440 هـ - 4 آذار 2019", "ar", "2019-03-04"),
    "ar Arabic-Indic digits": ("نُشر في ٤ مارس ٢٠١٩ - ١٠:١٥ ص", "ar", "2019-03-04"),
    "ar two month names 'مارس/آذار'": ("آخر تحديث: 6 مارس/آذار 2019 · نشر في 4 مارس/آذار 2019", "ar", "2019-03-04"),
    "ar Maghreb 'جوان'": ("نشر يوم 7 جوان 2019", "ar", "2019-06-07"),
    "ar numeric Arabic-Indic digits": ("٠٤/٠٣/٢٠١٩ ١٠:١٥", "ar", "2019-03-04"),
    "fa Gregorian month, Persian digits": ("تاریخ انتشار: ۷ ژوئن ۲۰۱۹", "fa", "2019-06-07"),
    "ur 'جون'": ("شائع 07 جون 2019", "ur", "2019-06-07"),
    "hi Devanagari digits": ("प्रकाशित: ४ मार्च २०१९, १०:१५ IST", "hi", "2019-03-04"),
    "bn Bengali digits and month": ("প্রকাশ: ০৭ জুন ২০১৯, ১০:১৫", "bn", "2019-06-07"),
    "ja era 'Heisei 31'": ("平成31年3月4日 10時15分", "ja", "2019-03-04"),
    "zh-TW ROC year 'Minguo 108'": ("中華民國108年3月4日", "zh-TW", "2019-03-04"),
    "th two-digit Buddhist year": ("4 มี.ค. 62 10:15 น.", "th", "2019-03-04"),
    "th Thai digits": ("๔ มีนาคม ๒๕๖๒", "th", "2019-03-04"),
    "th numeric Buddhist year": ("04/03/2562 10:15", "th", "2019-03-04"),
    "lv '2019. gada 4. martā'": ("Publicēts: 2019. gada 4. martā 10:15", "lv", "2019-03-04"),
    "sr Cyrillic '7. јун 2019.'": ("Објављено: 7. јун 2019. 10:15", "sr", "2019-06-07"),
    "sl '4. marec 2019'": ("Objavljeno: 4. marec 2019 ob 10:15", "sl", "2019-03-04"),
    "be '4 сакавіка 2019'": ("Апублікавана 4 сакавіка 2019", "be", "2019-03-04"),
    "el abbreviation '7 Ιουν 2019'": ("Παρασκευή, 7 Ιουν 2019 10:15", "el", "2019-06-07"),
    "is '7. júní 2019'": ("Birt 7. júní 2019 kl. 10:15", "is", "2019-06-07"),
    "tl 'Hunyo 7, 2019'": ("Inilathala: Hunyo 7, 2019", "tl", "2019-06-07"),
    "az / uz '7 iyun 2019'": ("7 iyun 2019, 10:15", "az", "2019-06-07"),
    "kk '4 наурыз 2019'": ("Жарияланды: 4 наурыз 2019", "kk", "2019-03-04"),
    "ka '7 ივნისი 2019'": ("7 ივნისი 2019", "ka", "2019-06-07"),
    "hy '7 հունիսի 2019'": ("Հրապարակվել է 7 հունիսի 2019", "hy", "2019-06-07"),
    "ta 'ஜூன் 7, 2019'": ("வெளியிடப்பட்டது: ஜூன் 7, 2019", "ta", "2019-06-07"),
}


def _world_page(line: str, lang: str, gold: str) -> Page:
    html, url = _page(header=f"<div class='meta'>{line}</div>", lang=lang, outside=RELATED,
                      title=TITLES.get(lang, TITLE))
    return html, url, gold


# A time given only in UTC (JSON-LD "...Z") on a page that prints it in its own zone under the headline: the day the
# page shows is the local one. Traps: related stories' dates, and a game's time in another zone in the story.
def _zone_page(utc: str, line: str, lang: str, gold: str) -> Page:
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE, "datePublished": utc}
    story = STORY[:1] + ["The final vote was shown live at 8:00 p.m. ET on the council's channel and streamed online."]
    html, url = _page(head=_ld(ld), header=f"<div class='meta'>{line}</div>", lang=lang, outside=RELATED,
                      story=story + STORY[1:])
    return html, url, gold


ZONE_LINES = {
    "UTC JSON-LD, byline '01:30 AM IST'": ("2019-03-03T20:00:00Z", "Published: Mar 04, 2019, 01:30 AM IST", "en-IN",
                                          "2019-03-04"),
    "UTC JSON-LD, byline '01:30 WIB'": ("2019-03-03T18:30:00.000Z", "Senin, 04 Mar 2019 01:30 WIB", "id", "2019-03-04"),
    "UTC JSON-LD, byline '1:00am AEDT'": ("2019-03-03T14:00:00+00:00", "March 4, 2019 — 1:00am AEDT", "en-AU",
                                         "2019-03-04"),
    "UTC JSON-LD, byline '10:30 p.m. ET'": ("2019-03-05T03:30:00Z", "Posted March 4, 2019 at 10:30 p.m. ET", "en-US",
                                           "2019-03-04"),
    "UTC JSON-LD, byline '(GMT+7)'": ("2019-03-03T17:15:00Z", "Thứ hai, 4/3/2019, 00:15 (GMT+7)", "vi", "2019-03-04"),
}


# ------------------------------------------------------------------------------------------ no date
def undated_copyright_and_story_dates() -> Page:
    """No publication date anywhere: the footer's copyright year and a date in the story."""
    story = ["The plan was first put to the council on 12 February 2018, when it was sent back for changes."] + STORY
    html, url = _page(story=story, slug="about/riverside-plan")
    return html, url, None


def undated_future_event() -> Page:
    """No publication date: an events page that names a coming day."""
    story = STORY[:2] + ["The open day takes place on Saturday, 20 April 2019, from ten in the morning."]
    html, url = _page(story=story, slug="events/riverside-open-day")
    return html, url, None


# Session 41: dates a page shows in forms no day can be read from without more (relative dates: the fetch time,
# which this bench does not pass; a lunar Hijri date alone: the moon's sighting), so the right answer is none,
# not a related story's day; Taiwan's years without "民國"; an events listing whose only dates are its events'.
UNREADABLE_LINES = {
    "relative '3 hours ago'": ("By Nadia Brooks · 3 hours ago", "en", TITLE),
    "relative 'vor 2 Stunden'": ("Von Anna Muster · vor 2 Stunden", "de", TITLE),
    "relative 'il y a 3 jours'": ("Publié il y a 3 jours", "fr", TITLE),
    "relative 'Yesterday, 14:05'": ("Yesterday, 14:05", "en", TITLE),
    "relative '昨天 14:05'": ("昨天 14:05", "zh", TITLES["zh-TW"]),
    "ar lunar Hijri date alone": ("الإثنين 27 جمادى الآخرة 1440 هـ", "ar", TITLES["ar"]),
}


def _unreadable_page(line: str, lang: str, title: str) -> Page:
    html, url = _page(header=f"<div class='meta'>{line}</div>", lang=lang, outside=RELATED, title=title)
    return html, url, None


ROC_LINES = {
    "zh-TW ROC year, no 民國 '108年3月4日'": "108年3月4日 10:15",
    "zh-TW ROC numeric '108/03/04'": "發布時間：108/03/04 10:15",
}


def events_listing() -> Page:
    """An events page: its headline heads linked event titles, each with its day; no publication date."""
    items = "".join(f"<div class='event'><h2><a href='/events/{i}'>Riverside open day number {i}</a></h2>"
                    f"<time datetime='2019-03-1{i}'>1{i} March 2019</time><p>Guided walks along the river and a "
                    "market for families, from ten in the morning.</p></div>" for i in range(1, 5))
    html = (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Events | Valley Herald</title></head>"
            f"<body>{NAV}<main><h1>Upcoming events</h1>{items}</main>{FOOTER}</body></html>")
    return html, f"{SITE}/events", None


# Session 42: classes from the brief of held-back pages, each with its trap. JSON-LD listing a related story's
# article before the page's own (one array, two scripts, a @graph), a related story's <time> in a "trending"
# line above the headline, AMP's <amp-timeago> printing "3 hours ago" (fixed then); and those already right:
# update-then-publish labels in four languages, a @graph of WebPage / Organization / BreadcrumbList beside the
# article, `dateCreated` before `datePublished`, a naive time near midnight, a UTC time past midnight shown in
# EST, microdata metas only, Solar Hijri numeric, Thai 2567, Reiwa 6.
def _article_ld(headline: str, published: str, **more: Any) -> dict[str, Any]:
    return {"@context": "https://schema.org", "@type": "NewsArticle", "headline": headline, "datePublished": published,
            **more}


OTHER_STORY_LD = _article_ld("Flood barrier funding approved by the regional board", "2019-02-20T09:00:00Z")
OWN_LD = _article_ld(TITLE, "2019-03-04T10:15:00Z")
S42_PAGES: dict[str, dict[str, Any]] = {
    "LD: related article first, array": {"head": _ld([OTHER_STORY_LD, OWN_LD]), "outside": RELATED},
    "LD: related article first, 2 scripts": {"head": _ld(OTHER_STORY_LD) + _ld(OWN_LD), "outside": RELATED},
    "LD: @graph, related article first": {"head": _ld({"@context": "https://schema.org",
                                                       "@graph": [OTHER_STORY_LD, OWN_LD]})},
    "related <time> above the headline": {
        "above": "<div class='trending'><a href='/news/bridge'>Bridge repairs start next week on the river road</a> "
                 "<time datetime='2019-03-11'>March 11, 2019</time></div>",
        "header": "<div class='meta'>By Jane Doe · <time datetime='2019-03-04T10:15:00Z'>March 4, 2019</time></div>"},
    "<amp-timeago> '3 hours ago'": {
        "header": "<div class='meta'><amp-timeago layout='fixed' width='160' height='20' "
                  "datetime='2019-03-04T10:15:00Z'>3 hours ago</amp-timeago></div>", "outside": RELATED},
    "'Updated ... | Published ...'": {"header": "<div class='meta'>Updated: March 6, 2019 10:00 | Published: March 4, "
                                                "2019 09:00</div>", "outside": RELATED},
    "de 'Aktualisiert ... · Veröffentlicht ...'": {
        "header": "<div class='meta'>Aktualisiert am 06.03.2019, 08:00 Uhr · Veröffentlicht am 04.03.2019, 10:15 "
                  "Uhr</div>", "lang": "de", "outside": RELATED},
    "fr 'Mis à jour ... · Publié ...'": {
        "header": "<div class='meta'>Mis à jour le 6 mars 2019 à 08h00 · Publié le 4 mars 2019 à 10h15</div>",
        "lang": "fr", "outside": RELATED},
    "<dl> Updated / Published": {"header": "<dl class='dates'><dt>Updated</dt><dd>6 March 2019</dd><dt>Published</dt>"
                                           "<dd>4 March 2019</dd></dl>", "outside": RELATED},
    "LD @graph WebPage/Org/Breadcrumbs": {"head": _ld({"@context": "https://schema.org", "@graph": [
        {"@type": "Organization", "name": "Valley Herald", "foundingDate": "1901-01-01"},
        {"@type": "WebPage", "datePublished": "2019-03-01T00:00:00+00:00", "dateModified": "2019-03-06T00:00:00+00:00"},
        {"@type": "BreadcrumbList", "itemListElement": []},
        _article_ld(TITLE, "2019-03-04T10:15:00+00:00", dateModified="2019-03-06T08:00:00+00:00")]})},
    "LD dateCreated before datePublished": {"head": _ld(
        {"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE,
         "dateCreated": "2019-02-25T10:00:00+00:00", "datePublished": "2019-03-04T10:15:00+00:00"})},
    "LD naive time near midnight": {"head": _ld(_article_ld(TITLE, "2019-03-04T23:40:00")),
                                    "header": "<div class='meta'>March 4, 2019 11:40 PM</div>"},
    "LD UTC past midnight, shown EST": {"head": _ld(_article_ld(TITLE, "2019-03-05T04:40:00Z")),
                                        "header": "<div class='meta'>March 4, 2019 11:40 PM EST</div>", "lang": "en-US"},
    "microdata <meta itemprop> only": {
        "header": "<div itemscope itemtype='https://schema.org/NewsArticle'><meta itemprop='dateModified' "
                  "content='2019-03-06T08:00:00Z'><meta itemprop='datePublished' content='2019-03-04T10:15:00Z'></div>",
        "outside": RELATED},
}
S42_WORLD = {
    "fa Solar Hijri '۱۴۰۳/۰۲/۱۴'": ("۱۴۰۳/۰۲/۱۴ - ۱۰:۱۵", "fa", "2024-05-03"),
    "th Buddhist year 2567": ("3 พฤษภาคม 2567", "th", "2024-05-03"),
    "ja '令和6年5月3日'": ("令和6年5月3日", "ja", "2024-05-03"),
}


def _s42_page(parts: dict[str, Any]) -> Page:
    html, url = _page(**parts)
    return html, url, "2019-03-04"


# Session 43: datelines printed without their year (a wire story's "WASHINGTON, March 4 (Reuters) -", a byline's
# "March 4"), the year from the URL, the page's update date or its other dates, across a year's end too; an undated
# page about a coming festival. Traps: related stories' days, the update's day.
MODIFIED = "<meta property='article:modified_time' content='2019-03-06T08:00:00Z'>"
REUTERS = "WASHINGTON, March 4 (Reuters) - "
S43_PAGES: dict[str, tuple[dict[str, Any], str | None]] = {
    "dateline 'March 4 (Reuters) -' + modified": ({"head": MODIFIED, "story": [REUTERS + STORY[0], *STORY[1:]],
                                                   "outside": RELATED}, "2019-03-04"),
    "dateline 'March 4 (Reuters)', related only": ({"story": [REUTERS + STORY[0], *STORY[1:]], "outside": RELATED},
                                                   "2019-03-04"),
    "de dateline '4. März (dpa)', URL year": ({"story": ["BERLIN, 4. März (dpa) - " + STORY[0], *STORY[1:]],
                                              "lang": "de", "slug": "2019/03/riverside-plan", "outside": RELATED},
                                             "2019-03-04"),
    "fr dateline 'le 4 mars (AFP)', URL year": ({"story": ["PARIS, le 4 mars (AFP) - " + STORY[0], *STORY[1:]],
                                                "lang": "fr", "slug": "2019/riverside-plan", "outside": RELATED},
                                               "2019-03-04"),
    "byline 'By X · March 4' + modified": ({"head": MODIFIED, "header": "<div class='meta'>By Jane Doe · March 4</div>",
                                            "outside": RELATED}, "2019-03-04"),
    "dateline 'Dec. 31', modified Jan 1": ({"head": "<meta property='article:modified_time' "
                                                    "content='2019-01-01T08:00:00Z'>",
                                            "story": ["NEW YORK, Dec. 31 (Reuters) - " + STORY[0], *STORY[1:]]},
                                           "2018-12-31"),
    "dateline 'Dec. 31', URL 2019/01": ({"story": ["NEW YORK, Dec. 31 (Reuters) - " + STORY[0], *STORY[1:]],
                                         "slug": "2019/01/riverside-plan"}, "2018-12-31"),
    "undated: festival 'opens June 5, 2019'": ({"story": [*STORY[:2], "The riverside festival opens on Friday, June 5, 2019, and "
                                                "runs for three days on the meadow by the old mill."],
                                      "slug": "events/riverside-festival"}, None),
}


def _s43_page(parts: dict[str, Any], gold: str | None) -> Page:
    html, url = _page(**parts)
    return html, url, gold


# Session 44: a byline's stamp a script prints as relative text, its time kept in an attribute (jQuery timeago's title
# on a <span>, data-timestamp seconds, data-time milliseconds with no text yet, data-datetime); Malay and Swahili month
# names. Traps: related stories' days (htmldate's guess took one).
S44_PAGES: dict[str, tuple[dict[str, Any], str | None]] = {
    "<span title=ISO> '3 hours ago'": ({"header": "<div class='meta'>By Jane Doe · <span class='timeago' "
                                                  "title='2019-03-04T10:15:00Z'>3 hours ago</span></div>",
                                        "outside": RELATED}, "2019-03-04"),
    "<span data-timestamp> '3 hours ago'": ({"header": "<div class='meta'>By Jane Doe · <span class='date' "
                                                       "data-timestamp='1551694500'>3 hours ago</span></div>",
                                             "outside": RELATED}, "2019-03-04"),
    "<span data-time> ms, empty": ({"header": "<div class='meta'>By Jane Doe · <span data-time='1551694500000'>"
                                              "</span></div>", "outside": RELATED}, "2019-03-04"),
    "<span data-datetime> 'vor 3 Stunden'": ({"header": "<div class='meta'>Von Jane Doe · <span data-datetime="
                                                        "'2019-03-04T10:15:00Z'>vor 3 Stunden</span></div>",
                                              "lang": "de", "outside": RELATED}, "2019-03-04"),
    "ms '4 Mac 2019'": ({"header": "<div class='meta'>Diterbitkan 4 Mac 2019, 10:15 pagi</div>", "lang": "ms",
                         "outside": RELATED}, "2019-03-04"),
    "sw 'Machi 4, 2019'": ({"header": "<div class='meta'>Imechapishwa: Machi 4, 2019</div>", "lang": "sw",
                            "outside": RELATED}, "2019-03-04"),
}


# Session 46: a meta name that does not say whose date it holds (`date`, `dc.date`, `dcterms.date`) given the update's
# time while the byline labels the publication's day ("Published March 4 · Updated March 6"); a related story's
# NewsArticle (its own url and headline) beside the page's WebPage, alone, or as a WebPage's `hasPart`; Mongolian
# "2024 оны 6 сарын 12", Khmer and Burmese month names in their own digits; a Bikram Sambat date (Nepal's calendar,
# no rule converts it) alone under the headline (gold: none, not a related story's day) or beside a meta's time; a
# Blox/TownNews byline whose <time> elements carry their labels inside ("Updated ..." first).
OTHER_STORY_AWAY = dict(OTHER_STORY_LD, url=f"{SITE}/news/flood-barrier-funding",
                        author={"@type": "Person", "name": "Tomas Reyes"})
OWN_WEBPAGE = {"@context": "https://schema.org", "@type": "WebPage", "name": TITLE,
               "url": f"{SITE}/news/riverside-housing-plan-approved", "datePublished": "2019-03-04T10:15:00Z"}
BYLINE_DATE = "<div class='meta'>By Jane Doe · March 4, 2019</div>"
S46_PAGES: dict[str, tuple[dict[str, Any], str | None]] = {
    "meta date = update, 'Published' byline": (
        {"head": "<meta name='date' content='2019-03-06T08:00:00Z'>",
         "header": "<div class='meta'>Published March 4, 2019 · Updated March 6, 2019</div>", "outside": RELATED},
        "2019-03-04"),
    "dc.date = update, 'Published:' after name": (
        {"head": "<meta name='dc.date' content='2019-03-06'>",
         "header": "<div class='meta'>By Jane Doe | Published: 4 March 2019 | Updated: 6 March 2019</div>",
         "outside": RELATED}, "2019-03-04"),
    "dcterms.date = update, 'First published on'": (
        {"head": "<meta name='dcterms.date' content='2019-03-06T08:00:00+00:00'>",
         "header": "<div class='meta'>First published on March 4, 2019</div>", "outside": RELATED}, "2019-03-04"),
    "de meta date = update, 'Veröffentlicht am'": (
        {"head": "<meta name='date' content='2019-03-06T08:00:00+01:00'>",
         "header": "<div class='meta'>Veröffentlicht am 04.03.2019 · Aktualisiert am 06.03.2019</div>", "lang": "de"},
        "2019-03-04"),
    "LD: related NewsArticle + own WebPage": ({"head": _ld(OWN_WEBPAGE) + _ld(OTHER_STORY_AWAY)}, "2019-03-04"),
    "LD: related NewsArticle alone, byline": ({"head": _ld(OTHER_STORY_AWAY), "header": BYLINE_DATE}, "2019-03-04"),
    "LD: related article in WebPage hasPart": (
        {"head": _ld({**{k: v for k, v in OWN_WEBPAGE.items() if k != "datePublished"},
                      "hasPart": [OTHER_STORY_AWAY]}), "header": BYLINE_DATE}, "2019-03-04"),
    "mn '2024 оны 6 сарын 12'": ({"header": "<div class='meta'>2024 оны 6 сарын 12</div>", "lang": "mn",
                                  "outside": RELATED}, "2024-06-12"),
    "mn '2024 оны 6-р сарын 12, 10:15'": ({"header": "<div class='meta'>Нийтэлсэн: 2024 оны 6-р сарын 12, 10:15</div>",
                                            "lang": "mn", "outside": RELATED}, "2024-06-12"),
    "km 'ថ្ងៃទី ១២ ខែមិថុនា ឆ្នាំ ២០២៤'": ({"header": "<div class='meta'>ថ្ងៃពុធ ទី១២ ខែមិថុនា ឆ្នាំ២០២៤ ម៉ោង ១០:១៥</div>",
                                         "lang": "km", "outside": RELATED}, "2024-06-12"),
    "km '12 មិថុនា 2024'": ({"header": "<div class='meta'>12 មិថុនា 2024</div>", "lang": "km", "outside": RELATED},
                           "2024-06-12"),
    "my '၁၂ ဇွန် ၂၀၂၄'": ({"header": "<div class='meta'>၁၂ ဇွန် ၂၀၂၄</div>", "lang": "my", "outside": RELATED},
                         "2024-06-12"),
    "my 'ဇွန် ၁၂၊ ၂၀၂၄'": ({"header": "<div class='meta'>ဇွန် ၁၂၊ ၂၀၂၄</div>", "lang": "my", "outside": RELATED},
                          "2024-06-12"),
    "ne Bikram Sambat alone": ({"header": "<div class='meta'>२०८१ असार १५</div>", "lang": "ne", "outside": RELATED},
                               None),
    "ne Bikram Sambat, 'गते' form, alone": ({"header": "<div class='meta'>प्रकाशित: १५ गते असार २०८१</div>", "lang": "ne",
                                            "outside": RELATED}, None),
    "<time>Updated ...</time> before <time>Posted ...</time>": (
        {"header": "<ul class='list-inline'><li><time datetime='2019-03-06T08:00:00Z'>Updated Mar 6, 2019</time></li>"
                   "<li><time datetime='2019-03-04T10:15:00Z'>Posted Mar 4, 2019</time></li></ul>", "outside": RELATED},
        "2019-03-04"),
    "ne Bikram Sambat + published meta": (
        {"head": "<meta property='article:published_time' content='2024-06-29T10:00:00+05:45'>",
         "header": "<div class='meta'>२०८१ असार १५</div>", "lang": "ne", "outside": RELATED}, "2024-06-29"),
}


PAGES: dict[str, Callable[[], Page]] = {
    "og:published_time + Updated": og_published_time,
    "dcterms.issued + Updated": dcterms_issued,
    "meta 'published-date' + Updated": published_date_name,
    "parsely-page JSON pub_date": parsely_page_json,
    "meta date '04.03.2019'": dotted_meta_date,
    "JSON-LD '04.03.2019 10:15'": dotted_ld_date,
    "related microdata cards first": related_microdata_first,
    "hAtom abbr updated, published": abbr_published,
    "WP 'published updated' + comments": wordpress_published_updated,
    "text byline + comment <time>s": comment_times_text_byline,
    "event <time> in the story": event_time_in_story,
    "<time> no datetime, after deck": time_without_datetime,
    "itemprop datePublished text": itemprop_text_date,
    "byline after a long deck": date_after_long_deck,
    "date above the headline": date_above_headline,
    "'Posted on' after post + comments": date_at_post_end,
    "today's date in site header": today_in_site_header,
    "URL day against meta": url_day_against_meta,
    "URL day only + story date": url_day_only_with_story_date,
    "en-US '03/04/2019'": us_slashes,
    "en-GB '04/03/2019'": uk_slashes,
    "vi '4/3/2019'": vietnamese_slashes,
    "de '04.03.19' two-digit year": two_digit_year,
    **{name: (lambda line=line, lang=lang: _lang_page(line, lang)) for name, (line, lang) in LANGUAGE_LINES.items()},
    **{name: (lambda line=line, lang=lang, gold=gold: _world_page(line, lang, gold))
       for name, (line, lang, gold) in WORLD_LINES.items()},
    **{name: (lambda utc=utc, line=line, lang=lang, gold=gold: _zone_page(utc, line, lang, gold))
       for name, (utc, line, lang, gold) in ZONE_LINES.items()},
    "undated: copyright + story date": undated_copyright_and_story_dates,
    "undated: future event": undated_future_event,
    **{name: (lambda line=line, lang=lang, title=title: _unreadable_page(line, lang, title))
       for name, (line, lang, title) in UNREADABLE_LINES.items()},
    **{name: (lambda line=line: _world_page(line, "zh-TW", "2019-03-04")) for name, line in ROC_LINES.items()},
    "undated: events listing": events_listing,
    **{name: (lambda parts=parts: _s42_page(parts)) for name, parts in S42_PAGES.items()},
    **{name: (lambda line=line, lang=lang, gold=gold: _world_page(line, lang, gold))
       for name, (line, lang, gold) in S42_WORLD.items()},
    **{name: (lambda parts=parts, gold=gold: _s43_page(parts, gold)) for name, (parts, gold) in S43_PAGES.items()},
    **{name: (lambda parts=parts, gold=gold: _s43_page(parts, gold)) for name, (parts, gold) in S44_PAGES.items()},
    **{name: (lambda parts=parts, gold=gold: _s43_page(parts, gold)) for name, (parts, gold) in S46_PAGES.items()},
}


def _right(sc: Any, gold: str | None, pred: str | None) -> bool:
    return not pred if gold is None else bool(sc.same_day(gold, pred))


def main() -> None:
    import logging

    from newsdedup.clean import extract

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    ap.add_argument("--show", help="print the answers of the pages whose name holds this")
    ap.add_argument("--blind", action="store_true", help="class and id names hashed, sectioning tags as <div>")
    ap.add_argument("--json", type=Path, help="also write the page results to this file")
    args = ap.parse_args()
    sc = load_scorer(args.scorer)
    logging.disable(logging.WARNING)
    totals = {"ours": 0, "trafilatura": 0, "guessed": 0}
    rows: dict[str, dict[str, Any]] = {}
    print(f"{'date class':36s} {'gold':>10s} {'ours':>4s} {'guess':>5s} {'trafilatura':>11s}")
    for name, build in PAGES.items():
        html, url, gold = build()
        if args.blind:
            html = unsectioned(blind(html.encode())).decode()
        row: dict[str, Any] = {}
        for who in ("ours", "trafilatura"):
            pred = RUNNERS[who](html.encode(), url)
            row[who] = pred.get("published")
            row[who + "_ok"] = _right(sc, gold, pred.get("published"))
            totals[who] += row[who + "_ok"]
        row["guessed"] = extract(html.encode(), url).published_guessed
        totals["guessed"] += bool(row["guessed"])
        rows[name] = row
        flag = " <" if not row["ours_ok"] else ""
        print(f"{name:36s} {gold or '-':>10s} {'+' if row['ours_ok'] else 'x':>4s} {'g' if row['guessed'] else '':>5s}"
              f" {'+' if row['trafilatura_ok'] else 'x':>11s}{flag}")
        if args.show is not None and args.show.lower() in name.lower():
            print(f"    ours={row['ours']!r} trafilatura={row['trafilatura']!r}")
    n = len(PAGES)
    print(f"{'right of ' + str(n):36s} {'':>10s} {totals['ours']:>4d} {totals['guessed']:>5d} {totals['trafilatura']:>11d}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
