"""Synthetic pages of the ways a site's title and author fields disagree or mislead, through two extractors.

`metadata_classes.py` checks how CMSs mark up title, authors and dates; these pages put a trap beside the
true value of each title and author class the held-back pages of unseen sites show: the site's name before
or after the headline in every field, a social title shortened by hand, a JSON-LD headline an SEO plugin cut
at 110 characters, a section's name as the only <h1>, og:title holding the site's name only, a <title> that
is the site's name; a bold phrase at a story's edge on a page with no credit, "By X and Y" / "X, Y and Z" /
"Von X und Y" / "Par X et Y", role suffixes ("X | Reporter", "X, Staff Writer"), names with particles, names
in Korean, Japanese and Arabic, a JSON-LD Organization author beside a visible person, an author given as a
URL, meta author holding the site's name, rel=author links, related stories' bylines. Wording is invented;
the gold follows fundus' attribute guidelines as the dev golds apply them (the visible headline, as short as
it goes; the people of the article's own byline without "By" or roles; an organisation only when it is the
sole credit, the site's own name included).

    PYTHONPATH=plugins .venv/bin/python benchmarks/title_author_classes.py [--blind] [--show NAME]

`--blind` scores the same pages with every class and id hashed and the sectioning tags printed as `<div>`
(`class_blind.py`'s `blind` and `unsectioned`): a site whose names no extractor knows. Ours is `extract()`,
trafilatura `bare_extraction(html, url=url, with_metadata=True)` (author split at ";"), scored with
`score_extraction.py`'s normalisation (`ws` for the title, `author_set` for the authors).
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
from metadata_classes import FOOTER, MOST_READ, NAV, STORY, _doc, _ld, _p  # noqa: E402

Page = tuple[str, str, str, tuple[str, ...]]  # html, url, gold title, gold authors

SITE = "The Lakeside Ledger"
BASE = "https://www.lakesideledger.example"


def _article(title_html: str, byline: str = "", story: list[str] | None = None, after: str = "") -> str:
    return (f"{NAV}<main><article class='story'>{title_html}{byline}{_p(story or STORY)}{after}</article>"
            f"{MOST_READ}</main>{FOOTER}")


def _head(title_tag: str, og: str | None = None, tw: str | None = None, site: str | None = SITE,
          extra: str = "") -> str:
    out = f"<title>{title_tag}</title>"
    if og is not None:
        out += f"<meta property='og:title' content=\"{og}\">"
    if tw is not None:
        out += f"<meta name='twitter:title' content=\"{tw}\">"
    if site:
        out += f"<meta property='og:site_name' content='{site}'>"
    return out + extra


H = "Library extends opening hours after students ask for more study space"


# ------------------------------------------------------------------------------------------ titles
def title_site_prefix_colon() -> Page:
    """<title> and og:title "Site: Headline"; the <h1> the headline."""
    head = _head(f"Lakeside Ledger: {H}", og=f"Lakeside Ledger: {H}")
    body = _article(f"<h1>{H}</h1>", "<p class='byline'>By Nadia Brooks</p>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def title_section_site_suffix() -> Page:
    """og:title and <title> "Headline - Section - Site"; no JSON-LD; the <h1> the headline."""
    t = f"{H} - Education - Lakeside Ledger"
    head = _head(t, og=t, site=None)
    body = _article(f"<h1>{H}</h1>", "<p class='byline'>By Nadia Brooks</p>")
    return _doc(head, body), f"{BASE}/education/library-hours", H, ("Nadia Brooks",)


def title_og_only_suffix_no_h1() -> Page:
    """og:title "Headline | Site" and no <h1> (the headline an <h2>), no og:site_name; the host names the site."""
    head = _head(f"{H} | Lakeside Ledger", og=f"{H} | Lakeside Ledger", site=None)
    body = _article(f"<h2 class='story-title'>{H}</h2>", "<p class='byline'>By Nadia Brooks</p>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def title_social_shortened() -> Page:
    """og:title and twitter:title reworded shorter for social media; JSON-LD headline and <h1> the headline."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": H,
          "author": {"@type": "Person", "name": "Nadia Brooks"}}
    head = _head(f"{H} | {SITE}", og="Students win longer library hours", tw="Students win longer library hours",
                 extra=_ld(ld))
    body = _article(f"<h1>{H}</h1>", "<p class='byline'>By Nadia Brooks</p>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


LONG = ("Regional transport authority confirms that the northern rail corridor will close for eleven weeks next "
        "summer while engineers replace the bridge")


def title_ld_truncated() -> Page:
    """An SEO plugin cut the JSON-LD headline at 110 characters ("..."); og:title and the <h1> are whole."""
    cut = LONG[:107].rsplit(" ", 1)[0] + "..."
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": cut,
          "author": {"@type": "Person", "name": "Nadia Brooks"}}
    head = _head(f"{LONG} | {SITE}", og=LONG, extra=_ld(ld))
    body = _article(f"<h1>{LONG}</h1>", "<p class='byline'>By Nadia Brooks</p>")
    return _doc(head, body), f"{BASE}/news/rail-corridor-closure", LONG, ("Nadia Brooks",)


def title_ld_truncated_bare() -> Page:
    """The JSON-LD headline cut at 110 characters mid-word without a mark; the <h1> and og:title whole."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": LONG[:110],
          "author": {"@type": "Person", "name": "Nadia Brooks"}}
    head = _head(f"{LONG} | {SITE}", og=LONG, extra=_ld(ld))
    body = _article(f"<h1>{LONG}</h1>", "<p class='byline'>By Nadia Brooks</p>")
    return _doc(head, body), f"{BASE}/news/rail-corridor-closure", LONG, ("Nadia Brooks",)


def title_section_h1() -> Page:
    """The section's name is the page's only <h1>; the headline an <h2>; <title> "Headline | Site"; no Open
    Graph or JSON-LD."""
    head = _head(f"{H} | {SITE}", site=None)
    body = (f"{NAV}<main><h1 class='section-title'>Education</h1><article><h2>{H}</h2>"
            f"<p class='byline'>By Nadia Brooks</p>{_p(STORY)}</article>{MOST_READ}</main>{FOOTER}")
    return _doc(head, body), f"{BASE}/education/library-hours", H, ("Nadia Brooks",)


def title_og_is_site() -> Page:
    """og:title holds the site's name on every page (a theme's default); no JSON-LD; the <h1> the headline."""
    head = _head(f"{H} | {SITE}", og=SITE)
    body = _article(f"<h1>{H}</h1>", "<p class='byline'>By Nadia Brooks</p>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def title_tag_site_only() -> Page:
    """<title> is the site's name only; no structured title; the headline in an <h1>."""
    head = _head(SITE, site=None)
    body = _article(f"<h1>{H}</h1>", "<p class='byline'>By Nadia Brooks</p>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def title_ld_is_site() -> Page:
    """A JSON-LD NewsArticle whose headline is the site's name (a template's default); og:title and <h1> right."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": SITE,
          "author": {"@type": "Person", "name": "Nadia Brooks"}}
    head = _head(f"{H} | {SITE}", og=H, extra=_ld(ld))
    body = _article(f"<h1>{H}</h1>", "<p class='byline'>By Nadia Brooks</p>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def title_logo_h1_first() -> Page:
    """Two <h1>s: the site's logo first, then the headline; og:title "Headline | Site"."""
    head = _head(f"{H} | {SITE}", og=f"{H} | {SITE}")
    body = (f"<header><h1 class='logo'><a href='/'>{SITE}</a></h1>{NAV}</header><main><article><h1>{H}</h1>"
            f"<p class='byline'>By Nadia Brooks</p>{_p(STORY)}</article></main>{FOOTER}")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


# ------------------------------------------------------------------------------------------ authors
def author_bold_phrase_no_credit() -> Page:
    """No credit anywhere; after the story's last paragraph a bold two-word phrase ("Weekend Closures") heads
    a list: a subheading, not a signature."""
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", after="<p><strong>Weekend Closures</strong></p><ul><li>Saturday: the west "
                    "wing stays shut for cleaning</li><li>Sunday: open from noon</li></ul>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ()


def author_bold_phrase_first() -> Page:
    """No credit anywhere; a bold two-word phrase opens the story ("Study Space"), its words written in lower
    case in the story: common nouns, not a name."""
    head = _head(f"{H} | {SITE}", og=H)
    story = [STORY[0] + " Students said the study space on campus was full every evening."] + STORY[1:]
    body = _article(f"<h1>{H}</h1>", "<p><strong>Study Space</strong></p>", story)
    return _doc(head, body), f"{BASE}/news/library-hours", H, ()


def author_by_x_and_y() -> Page:
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", "<p class='byline'>By Nadia Brooks and Omar Haddad</p>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks", "Omar Haddad")


def author_by_xyz() -> Page:
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", "<div class='article-meta'>By Nadia Brooks, Omar Haddad and Lucy Chen</div>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks", "Omar Haddad", "Lucy Chen")


def author_von_und() -> Page:
    t = "Stadtbibliothek verlängert die Öffnungszeiten für Studierende"
    story = ["Die Stadtbibliothek öffnet ab dem kommenden Monat an allen Wochentagen bis Mitternacht, wie die "
             "Leitung am Dienstag mitteilte.",
             "Studierende hatten seit dem Winter mehr Plätze zum Lernen gefordert und dafür mehr als zweitausend "
             "Unterschriften gesammelt.",
             "Die zusätzlichen Stunden kosten nach Angaben der Stadt rund neunzigtausend Euro im Jahr."]
    head = _head(f"{t} | Seeblatt", og=t, site="Seeblatt")
    body = _article(f"<h1>{t}</h1>", "<p class='autor'>Von Katrin Vogel und Jonas Brandt</p>", story)
    return _doc(head, body, "de"), "https://www.seeblatt.example/stadt/bibliothek", t, ("Katrin Vogel", "Jonas Brandt")


def author_par_et() -> Page:
    t = "La bibliothèque municipale prolonge ses horaires d'ouverture"
    story = ["La bibliothèque municipale restera ouverte jusqu'à minuit tous les jours de la semaine à partir du "
             "mois prochain, a annoncé mardi sa direction.",
             "Les étudiants réclamaient depuis l'hiver davantage de places pour travailler et avaient réuni plus de "
             "deux mille signatures.",
             "Les heures supplémentaires coûteront environ quatre-vingt-dix mille euros par an selon la ville."]
    head = _head(f"{t} - Le Courrier du Lac", og=t, site="Le Courrier du Lac")
    body = _article(f"<h1>{t}</h1>", "<p class='signature'>Par Claire Dubois et Marc Lefèvre</p>", story)
    return _doc(head, body, "fr"), "https://www.courrierdulac.example/ville/bibliotheque", t, \
        ("Claire Dubois", "Marc Lefèvre")


def author_pipe_role() -> Page:
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", "<div class='byline'>Nadia Brooks | Reporter</div>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def author_staff_writer() -> Page:
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", "<div class='byline'>By Nadia Brooks, Staff Writer</div>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def author_particles() -> Page:
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", "<p class='byline'>By Pieter van der Berg and María de la Fuente</p>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Pieter van der Berg", "María de la Fuente")


def author_arabic_particle() -> Page:
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", "<p class='byline'>By Khalid bin Rashid and Layla al-Mansouri</p>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Khalid bin Rashid", "Layla al-Mansouri")


def author_korean_plus_one() -> Page:
    """A Korean byline "김민수 기자 외 1명" ("reporter Kim Min-su and one other"): the named reporter."""
    t = "시립도서관, 학생 요청에 개관 시간 연장"
    story = ["시립도서관은 다음 달부터 평일 자정까지 문을 연다고 화요일 밝혔다. 학생들은 겨울부터 공부할 공간을 더 "
             "달라고 요구해 왔다.",
             "도서관 측은 추가 운영에 연간 약 일억 원이 들 것으로 예상했다. 시의회는 다음 주 예산안을 심의한다.",
             "학생회는 이번 결정을 환영하며 주말 운영도 검토해 달라고 요청했다."]
    head = _head(f"{t} | 호수일보", og=t, site="호수일보")
    body = _article(f"<h1>{t}</h1>", "<div class='byline'>김민수 기자 외 1명</div>", story)
    return _doc(head, body, "ko"), "https://www.hosuilbo.example/news/12345", t, ("김민수",)


def author_japanese() -> Page:
    t = "市立図書館、学生の要望受け開館時間を延長"
    story = ["市立図書館は来月から平日の開館時間を午前零時まで延長すると火曜日に発表した。学生らは冬から自習席の増加を求めていた。",
             "図書館によると、延長にかかる費用は年間約千万円の見込みで、市議会が来週審議する。",
             "学生会は決定を歓迎し、週末の延長も検討するよう求めた。"]
    head = _head(f"{t}｜湖畔新聞", og=t, site="湖畔新聞")
    body = _article(f"<h1>{t}</h1>", "<div class='author'>山田太郎</div>", story)
    return _doc(head, body, "ja"), "https://www.kohan.example/articles/98765", t, ("山田太郎",)


def author_arabic_script() -> Page:
    t = "المكتبة العامة تمدد ساعات العمل بعد طلب الطلاب"
    story = ["أعلنت المكتبة العامة يوم الثلاثاء أنها ستفتح أبوابها حتى منتصف الليل طوال أيام الأسبوع بدءا من الشهر المقبل.",
             "وكان الطلاب قد طالبوا منذ الشتاء بمزيد من أماكن الدراسة وجمعوا أكثر من ألفي توقيع.",
             "وقالت البلدية إن الساعات الإضافية ستكلف نحو تسعين ألف دولار سنويا."]
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": t,
          "author": {"@type": "Person", "name": "أحمد المنصوري"}}
    head = _head(f"{t} | صحيفة البحيرة", og=t, site="صحيفة البحيرة", extra=_ld(ld))
    body = _article(f"<h1>{t}</h1>", "<div class='byline'>أحمد المنصوري</div>", story)
    return _doc(head, body, "ar"), "https://www.buhaira.example/news/555", t, ("أحمد المنصوري",)


def author_ld_org_visible_person() -> Page:
    """JSON-LD credits the publisher as an Organization; the byline under the headline names the reporter."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": H,
          "author": {"@type": "Organization", "name": SITE}, "publisher": {"@type": "Organization", "name": SITE}}
    head = _head(f"{H} | {SITE}", og=H, extra=_ld(ld))
    body = _article(f"<h1>{H}</h1>", "<p class='byline'>By Nadia Brooks</p>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def author_ld_url() -> Page:
    """JSON-LD author given as the author page's URL; the byline names the person."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": H,
          "author": f"{BASE}/author/nadia-brooks/"}
    head = _head(f"{H} | {SITE}", og=H, extra=_ld(ld))
    body = _article(f"<h1>{H}</h1>", "<p class='byline'>By Nadia Brooks</p>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def author_ld_url_only() -> Page:
    """JSON-LD author given only as the author page's URL (a person object whose name is the URL); no byline."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": H,
          "author": {"@type": "Person", "name": f"{BASE}/author/nadia-brooks/"}}
    head = _head(f"{H} | {SITE}", og=H, extra=_ld(ld))
    body = _article(f"<h1>{H}</h1>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def author_meta_site() -> Page:
    """meta name=author holds the site's name; the byline under the headline names the reporter."""
    head = _head(f"{H} | {SITE}", og=H, extra=f"<meta name='author' content='{SITE}'>")
    body = _article(f"<h1>{H}</h1>", "<p class='byline'>By Nadia Brooks</p>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def author_rel_author() -> Page:
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", "<div class='meta'><a rel='author' href='/people/nadia-brooks'>Nadia Brooks"
                                      "</a> · <span>4 min read</span></div>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def author_related_bylines_only() -> Page:
    """The article has no byline; below it, "Related" teasers each with a byline."""
    cards = "".join(f"<div class='teaser'><h3><a href='/s/{i}'>{h}</a></h3><p class='byline'>By {a}</p></div>"
                    for i, (h, a) in enumerate((("Students plan a march for longer library hours", "Greta Holm"),
                                                ("Campus cafe stays open later in exam weeks", "Ian Moss"))))
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", after=f"<div class='related'><h2>Related</h2>{cards}</div>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ()


def author_agency_only() -> Page:
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", "<p class='byline'>By Associated Press</p>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Associated Press",)


def author_initials() -> Page:
    """A credit of initials in parentheses at the story's end ("(nb)") only: fundus golds keep initials
    (Postillon "ssi", "dan"), but a reader cannot tell them from an abbreviation; the gold is no one."""
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", after="<p>(nb)</p>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ()


def title_site_unlike_host() -> Page:
    """og:title and <title> "Headline | Site" with no og:site_name, a host that does not spell the site's name,
    and the headline in an <h2>: no field gives the bare headline and nothing names the site."""
    head = _head(f"{H} | Lakeside Ledger", og=f"{H} | Lakeside Ledger", site=None)
    body = _article(f"<h2 class='story-title'>{H}</h2>", "<p class='byline'>By Nadia Brooks</p>")
    return _doc(head, body), "https://www.lsl-online.example/news/library-hours", H, ("Nadia Brooks",)


def author_and_staff_writers() -> Page:
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", "<p class='byline'>By Nadia Brooks and Omar Haddad, Staff Writers</p>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks", "Omar Haddad")


def author_wire_writer() -> Page:
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", "<p class='byline'>By NADIA BROOKS, Associated Press Writer</p>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def author_ld_name_with_role() -> Page:
    """A JSON-LD Person whose name carries the role ("Nadia Brooks, Education Reporter")."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": H,
          "author": {"@type": "Person", "name": "Nadia Brooks, Education Reporter"}}
    head = _head(f"{H} | {SITE}", og=H, extra=_ld(ld))
    body = _article(f"<h1>{H}</h1>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def author_posted_by_admin() -> Page:
    """A blog theme's "Posted by admin" and meta author "admin": no person is credited."""
    head = _head(f"{H} | {SITE}", og=H, extra="<meta name='author' content='admin'>")
    body = _article(f"<h1>{H}</h1>", "<p class='entry-meta'>Posted by <a href='/author/admin/' rel='author'>admin</a>"
                    "</p>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ()


def author_initial_apostrophe() -> Page:
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", "<p class='byline'>By Seán O'Brien, J. R. Okafor and Anne-Marie Dupont</p>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Seán O'Brien", "J. R. Okafor", "Anne-Marie Dupont")


def author_bio_box_other_name() -> Page:
    """The byline under the headline names the reporter; an "About the author" box at the end names a
    contributor with a linked name."""
    box = ("<div class='author-box'><h3><a href='/author/omar-haddad'>Omar Haddad</a></h3><p>Omar Haddad writes "
           "about universities and research for the paper's education desk.</p></div>")
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", "<p class='byline'>By Nadia Brooks</p>", after=box)
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def author_meta_name_and_site() -> Page:
    """meta name=author "Nadia Brooks | The Lakeside Ledger": the person, not the site."""
    head = _head(f"{H} | {SITE}", og=H, extra=f"<meta name='author' content='Nadia Brooks | {SITE}'>")
    body = _article(f"<h1>{H}</h1>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def author_slash_role() -> Page:
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", "<div class='byline'>Nadia Brooks / Senior Correspondent</div>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def author_shouted_name_paper() -> Page:
    """A wire-style byline: the name in capitals, the papers after it in title case ("By NADIA BROOKS Lakeside
    Ledger/Sunday Courier")."""
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", "<p class='byline'>By NADIA BROOKS Lakeside Ledger/Sunday Courier</p>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def author_line_like_by() -> Page:
    """No byline markup: "By Nadia Brooks" as a plain line under the headline, then a short line of the story
    starting with a word that begins like a byline's "by" ("After all, ..."; Danish "af", French "par")."""
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", "<div>By Nadia Brooks</div><div>After all, the hall was full every night.</div>"
                    "<div>Parents Say, in short, that they were not asked.</div>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def title_plain_line_section_title() -> Page:
    """A 2008 table layout: the headline a plain line in a cell (a class no rule knows), the <title> only the
    section's and site's names; traps: the section's line above the headline, and between headline and story
    a date, a deck sentence and a photo credit."""
    t = "Council approves the riverside plan after a year of debate"
    head = _head(f"Local News - {SITE}", site=None)
    body = (f"{NAV}<table><tr><td class='k1'>Local News</td></tr><tr><td><span class='x9f'>{t}</span><br>"
            "<span class='d3'>Monday, March 4, 2019</span></td></tr></table><div class='dk'>Residents filled the "
            "gallery at every meeting of the year.</div><div class='cr'>© 2019 Lakeside Ledger photo</div>"
            f"<div class='s7'>{_p(STORY)}</div>{MOST_READ}{FOOTER}")
    return _doc(head, body), f"{BASE}/news/riverside-plan", t, ()


def title_tag_headline_plain_line() -> Page:
    """The headline only in the <title> (no heading, no og:title), a plain line above the story that is no
    headline (a photo credit without a full stop): the <title> shares the story's words and stays."""
    t = "Council approves riverside plan"
    head = _head(f"{t} | {SITE}")
    body = (f"{NAV}<div class='w2'><div class='q1'>Photos courtesy of the Lakeside Camera Club</div>"
            f"{_p(STORY)}</div>{MOST_READ}{FOOTER}")
    return _doc(head, body), f"{BASE}/news/riverside-plan", t, ()


def author_yoast_written_by() -> Page:
    """WordPress with Yoast SEO: no JSON-LD person, the author meta tag an e-mail, the byline in a <div> of a
    class no rule knows; Yoast's Twitter card pair "Written by" / the author names her. Traps: the reading-time
    pair beside it, a related story's byline below."""
    extra = ("<meta name='author' content='n.brooks@lakesideledger.example'>"
             "<meta name='twitter:label1' content='Written by'><meta name='twitter:data1' content='Nadia Brooks'>"
             "<meta name='twitter:label2' content='Est. reading time'><meta name='twitter:data2' content='3 minutes'>")
    head = _head(f"{H} | {SITE}", og=H, extra=extra)
    body = _article(f"<h1>{H}</h1>", "<div class='c8e1f0'>Nadia Brooks</div>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


# Bylines of other languages (session 39): a label or "by" word before the name, in a byline <div> (hashed with
# `--blind`), related stories' bylines below. Traps: "Oleh" is the Indonesian "by" and a Ukrainian first name;
# Hindi and Thai names carry vowel signs `re` counts as no word characters.
OTHER_BYLINES = {
    "A ar 'بقلم'": ("بقلم: أحمد المنصوري", "ar", ("أحمد المنصوري",)),
    "A ar 'كتب -' (wrote)": ("كتب - أحمد المنصوري", "ar", ("أحمد المنصوري",)),
    "A fa 'نویسنده:'": ("نویسنده: علی رضایی", "fa", ("علی رضایی",)),
    "A ru 'Автор:'": ("Автор: Иван Петров", "ru", ("Иван Петров",)),
    "A tr 'Yazar:'": ("Yazar: Ayşe Demir", "tr", ("Ayşe Demir",)),
    "A id 'Oleh:'": ("Oleh: Budi Santoso", "id", ("Budi Santoso",)),
    "A uk first name 'Oleh'": ("Oleh Petrenko", "uk", ("Oleh Petrenko",)),
    "A vi 'Tác giả:'": ("Tác giả: Nguyễn Văn An", "vi", ("Nguyễn Văn An",)),
    "A hi 'लेखक:'": ("लेखक: राहुल शर्मा", "hi", ("राहुल शर्मा",)),
    "A th 'โดย'": ("โดย สมชาย ใจดี", "th", ("สมชาย ใจดี",)),
    "A zh '作者：'": ("作者：张伟", "zh", ("张伟",)),
    "A ja '記者：'": ("記者：山田太郎", "ja", ("山田太郎",)),
    "A hu 'Szerző:'": ("Szerző: Nagy Péter", "hu", ("Nagy Péter",)),
}


def _other_byline(line: str, lang: str, gold: tuple[str, ...]) -> Page:
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", f"<div class='byline'>{line}</div>")
    return _doc(head, body, lang), f"{BASE}/news/library-hours", H, gold


# Session 41: title classes of sites nobody tuned for.
def title_double_colon_site() -> Page:
    """og:title and <title> "Headline :: Site", no og:site_name (the host names the site), the headline an <h2>."""
    t = f"{H} :: {SITE}"
    head = _head(t, og=t, site=None)
    body = _article(f"<h2>{H}</h2>", "<p class='byline'>By Nadia Brooks</p>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def title_h1_line_break() -> Page:
    """The headline set on two lines with a <br> in its <h1>; <title> the site's name."""
    first, rest = H.split(" after ")
    head = _head(SITE)
    body = _article(f"<h1>{first}<br>after {rest}</h1>", "<p class='byline'>By Nadia Brooks</p>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def title_logo_h1_title_is_site() -> Page:
    """The only <h1> is the site's logo, the <title> the site's name, the headline an <h2> above the byline."""
    head = _head(SITE, site=None)
    body = (f"<header><h1 class='logo'><a href='/'>{SITE}</a></h1>{NAV}</header><main><article><h2>{H}</h2>"
            f"<p class='byline'>By Nadia Brooks</p>{_p(STORY)}</article></main>{FOOTER}")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def author_linked_names_and() -> Page:
    """"By <a>X</a> and <a>Y</a>": each name a link to the author's page."""
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", "<div class='meta'>By <a href='/author/nadia-brooks'>Nadia Brooks</a> and "
                                     "<a href='/author/omar-haddad'>Omar Haddad</a></div>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks", "Omar Haddad")


def author_ld_comma_string() -> Page:
    """JSON-LD's author one string of names joined by commas and "and"; no visible byline."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": H,
          "author": {"@type": "Person", "name": "Nadia Brooks, Omar Haddad and Lucy Chen"}}
    head = _head(f"{H} | {SITE}", og=H, extra=_ld(ld))
    body = _article(f"<h1>{H}</h1>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks", "Omar Haddad", "Lucy Chen")


def author_agency_by_line() -> Page:
    """"By REUTERS" as the byline, a related story's reporter below."""
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", "<div class='meta'>By REUTERS</div>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Reuters",)


def author_name_alone_in_div() -> Page:
    """A name alone in a <div> under the headline: no "By", no role, no markup that names it (session 43)."""
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", "<div class='c7'>Nadia Brooks</div>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def author_name_over_date() -> Page:
    """A name alone in a <div> under the headline and the date in the next: no "By", no role, no markup naming it;
    a section's name in the menu."""
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", "<div class='c7'>Nadia Brooks</div><div class='c8'>March 4, 2025</div>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def author_ld_last_first() -> Page:
    """JSON-LD's author "Brooks, Nadia" (a CMS's last-name-first form): one person, not two (open)."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": H,
          "author": {"@type": "Person", "name": "Brooks, Nadia"}}
    head = _head(f"{H} | {SITE}", og=H, extra=_ld(ld))
    body = _article(f"<h1>{H}</h1>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


# Session 42: a JSON-LD array (or @graph, or a second script) listing a related story's article before the page's
# own; a byline whose date label follows the name with no separator.
OTHER_LD = {"@context": "https://schema.org", "@type": "NewsArticle",
            "headline": "Harbour ferry timetable changes for the summer season",
            "author": {"@type": "Person", "name": "Tomas Reyes"}, "datePublished": "2025-02-20T09:00:00Z"}
OWN_LD = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": H,
          "author": {"@type": "Person", "name": "Nadia Brooks"}, "datePublished": "2025-03-04T10:15:00Z"}


def author_ld_other_story_first() -> Page:
    """JSON-LD lists a related story's article (its author Tomas Reyes) before the page's own (trap: the first
    object's author)."""
    head = _head(f"{H} | {SITE}", og=H, extra=_ld([OTHER_LD, OWN_LD]))
    body = _article(f"<h1>{H}</h1>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def title_ld_other_story_first() -> Page:
    """The same in a @graph, with a <title> of the site's name only and no og:title (trap: the first object's
    headline)."""
    head = _head(SITE, extra=_ld({"@context": "https://schema.org", "@graph": [OTHER_LD, OWN_LD]}))
    body = _article(f"<h1>{H}</h1>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


def title_host_name_only() -> Page:
    """og:title and <title> both "Lakeside Ledger", no og:site_name or publisher: the site's name is the host's
    (trap: that name as the title); the <h1> the headline."""
    head = _head("Lakeside Ledger", og="Lakeside Ledger", site=None)
    body = _article(f"<h1>{H}</h1>", "<p class='byline'>By Nadia Brooks</p>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


DATE_LABEL_BYLINES = {
    "A 'By X Published <date>'": "By Nadia Brooks Published March 4, 2025",
    "A 'By X Posted on <date>'": "By Nadia Brooks Posted on 4 March 2025",
    "A 'By X Updated <time>, <date>'": "By Nadia Brooks Updated 10:15 AM EST, Tue March 4, 2025",
    "A 'Story by X | Photography by Y'": "Story by Nadia Brooks | Photography by Tomas Reyes",
}


def _date_label_byline(line: str) -> Page:
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", f"<div class='byline'>{line}</div>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


# Session 43: a contact or follow button's label printed after the byline's name (as text or as links), a name
# in capitals, a role after a bar.
CONTACT_BYLINES = {
    "A 'By X email'": "By Nadia Brooks email",
    "A 'By X Twitter'": "By Nadia Brooks Twitter",
    "A 'By X Follow'": "By Nadia Brooks Follow",
    "A 'By <a>X</a> <a>Email</a> <a>Twitter</a>'": ("By <a href='/author/nadia-brooks'>Nadia Brooks</a> "
                                                    "<a href='mailto:nb@x.example'>Email</a> "
                                                    "<a href='https://twitter.com/nbrooks'>Twitter</a>"),
    "A 'Von X E-Mail' (de)": "Von Nadia Brooks E-Mail",
    "A 'By X | Staff Writer'": "By Nadia Brooks | Staff Writer",
    "A 'By NADIA BROOKS'": "By NADIA BROOKS",
}


# Session 43: a name alone right under the headline, the story right after it (no date between: "A name alone in a
# <div>" above), in Cyrillic too; traps: a linked topic, a photographer's credit in a caption, no author at all.
UNDER_HEADLINE = {
    "A name alone in a <div>, Cyrillic": ("<div class='c7'>Олена Коваленко</div>", ("Олена Коваленко",)),
    "A linked topic under the headline": ("<div class='c7'><a href='/topics/riverside-homes'>Riverside Homes</a></div>",
                                          ()),
    "A photo credit under the headline": ("<figure><img src='/img/library.jpg' alt=''><figcaption>Tomas Reyes"
                                          "</figcaption></figure>", ()),
}


def _under_headline(line: str, gold: tuple[str, ...]) -> Page:
    head = _head(f"{H} | {SITE}", og=H)
    body = _article(f"<h1>{H}</h1>", line)
    return _doc(head, body), f"{BASE}/news/library-hours", H, gold


# Session 44: a region's name (a US state, a province, an Indian state) where a byline goes, as its only credit: a
# dateline's place, no person (gold: no author); a person named like one or beside one (kept). A Chinese, Japanese or
# Korean name alone under the headline in a <div> whose class names nothing (the form "A Japanese name" takes
# `--blind`), beside a desk's or section's name alone there (gold: no author).
REGION_LINES = {
    "A 'By Texas' (a state alone)": ("<p class='byline'>By Texas</p>", ()),
    "A 'By New Jersey' (a state alone)": ("<div class='author'>By New Jersey</div>", ()),
    "A <div>British Columbia</div> alone": ("<div class='c7'>British Columbia</div>", ()),
    "A <div>Uttar Pradesh</div> alone": ("<div class='c7'>Uttar Pradesh</div>", ()),
    "A 'By X, Texas'": ("<p class='byline'>By Nadia Brooks, Texas</p>", ("Nadia Brooks",)),
    "A 'By Virginia Brooks'": ("<p class='byline'>By Virginia Brooks</p>", ("Virginia Brooks",)),
}
ZH_T = "市图书馆应学生要求延长开放时间"
ZH_STORY = ["市图书馆周二宣布，从下个月起工作日开放时间将延长至午夜。学生们自冬季以来一直要求增加自习座位。",
            "据图书馆介绍，延长开放每年将花费约一百万元，市议会将于下周审议这笔预算。",
            "学生会对这一决定表示欢迎，并要求图书馆考虑在周末也延长开放时间。"]
JA_T = "市立図書館、学生の要望受け開館時間を延長"
JA_STORY = ["市立図書館は来月から平日の開館時間を午前零時まで延長すると火曜日に発表した。学生らは冬から自習席の増加を求めていた。",
            "図書館によると、延長にかかる費用は年間約千万円の見込みで、市議会が来週審議する。",
            "学生会は決定を歓迎し、週末の延長も検討するよう求めた。"]
KO_T = "시립도서관, 학생 요청에 개관 시간 연장"
KO_STORY = ["시립도서관은 다음 달부터 평일 자정까지 문을 연다고 화요일 밝혔다. 학생들은 겨울부터 공부할 공간을 더 "
            "달라고 요구해 왔다.",
            "도서관 측은 추가 운영에 연간 약 일억 원이 들 것으로 예상했다. 시의회는 다음 주 예산안을 심의한다.",
            "학생회는 이번 결정을 환영하며 주말 운영도 검토해 달라고 요청했다."]
CJK_PAGES = {"ja": (JA_T, JA_STORY, "湖畔新聞", "https://www.kohan.example/articles/98765"),
             "zh": (ZH_T, ZH_STORY, "湖畔日报", "https://www.hupan.example/news/2025/0304/12345.html"),
             "ko": (KO_T, KO_STORY, "호수일보", "https://www.hosuilbo.example/news/12345")}
CJK_ALONE = {
    "A ja name alone, hashed <div>": ("ja", "<div class='c7'>山田太郎</div>", ("山田太郎",)),
    "A ja name 'surname given' alone": ("ja", "<div class='c7'>佐藤 花子</div>", ("佐藤 花子",)),
    "A zh name alone, hashed <div>": ("zh", "<div class='c7'>王小明</div>", ("王小明",)),
    "A ko name alone, hashed <div>": ("ko", "<div class='c7'>김민수</div>", ("김민수",)),
    "A ja desk '社会部' alone": ("ja", "<div class='c7'>社会部</div>", ()),
    "A zh section '国际新闻' alone": ("zh", "<div class='c7'>国际新闻</div>", ()),
    "A ko desk '사회부' alone": ("ko", "<div class='c7'>사회부</div>", ()),
}


def _cjk_alone(lang: str, line: str, gold: tuple[str, ...]) -> Page:
    t, story, site, url = CJK_PAGES[lang]
    head = _head(f"{t}｜{site}", og=t, site=site)
    return _doc(head, _article(f"<h1>{t}</h1>", line, story), lang), url, t, gold


# Session 46: a Chinese section's label of two to four Han characters ("要闻", "国际", "财经") in the <h1>, og:title, the
# <title> or the JSON-LD headline, the headline in another field or an <h2>/<h3> (gold: the headline; the label in a
# <div> with the headline in another <div>, no heading, is left open); a related story's NewsArticle (its own url and
# headline, its author Tomas Reyes) beside the page's WebPage or alone (gold: the byline's author, or none).
ZH_URL = CJK_PAGES["zh"][3]
ZH_SITE = CJK_PAGES["zh"][2]
ZH_LABEL_PAGES = {
    "T zh label <h1>, headline <h2>": (_head(f"{ZH_T}_{ZH_SITE}", site=ZH_SITE), f"<h1>要闻</h1><h2>{ZH_T}</h2>"),
    "T zh label <h1> = <title>, <h2>": (_head(f"要闻_{ZH_SITE}", site=ZH_SITE), f"<h1>要闻</h1><h2>{ZH_T}</h2>"),
    "T zh label og:title, headline <h1>": (_head(ZH_T, og="国际", site=ZH_SITE), f"<h1>{ZH_T}</h1>"),
    "T zh label og + <title>, <h3>": (_head(f"国际|{ZH_SITE}", og="国际", site=ZH_SITE), f"<h3>{ZH_T}</h3>"),
    "T zh label og, crumb, <h1>": (_head(f"{ZH_T}_国际_{ZH_SITE}", og="国际", site=ZH_SITE),
                                   f"<div class='crumb'><a href='/'>首页</a> &gt; <a href='/gj'>国际</a></div><h1>{ZH_T}</h1>"),
    "T zh label LD headline, <h1>": (_head(f"{ZH_T}_{ZH_SITE}", site=ZH_SITE, extra=_ld(
        {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "要闻"})), f"<h1>{ZH_T}</h1>"),
    "T zh label <div>, headline <div> (open)": (_head(f"财经 - {ZH_SITE}", site=ZH_SITE),
                                                f"<div class='c1'>财经</div><div class='c2'>{ZH_T}</div>"),
}


def _zh_label(head: str, top: str) -> Page:
    return _doc(head, _article(top, "", ZH_STORY), "zh"), ZH_URL, ZH_T, ()


AWAY_LD = dict(OTHER_LD, url=f"{BASE}/news/harbour-ferry-timetable")
OWN_PAGE_LD = {"@context": "https://schema.org", "@type": "WebPage", "name": H, "url": f"{BASE}/news/library-hours"}


def author_ld_away_story_beside_webpage() -> Page:
    """A related story's NewsArticle (its own url and headline, its author Tomas Reyes) beside the page's WebPage;
    no byline (trap: the related story's author)."""
    head = _head(f"{H} | {SITE}", og=H, extra=_ld(OWN_PAGE_LD) + _ld(AWAY_LD))
    return _doc(head, _article(f"<h1>{H}</h1>")), f"{BASE}/news/library-hours", H, ()


def author_ld_away_story_alone() -> Page:
    """The same NewsArticle alone, the page's byline "By Nadia Brooks" in its markup (trap: Tomas Reyes)."""
    head = _head(f"{H} | {SITE}", og=H, extra=_ld(AWAY_LD))
    body = _article(f"<h1>{H}</h1>", "<p class='byline'>By Nadia Brooks</p>")
    return _doc(head, body), f"{BASE}/news/library-hours", H, ("Nadia Brooks",)


PAGES: dict[str, Callable[[], Page]] = {
    "T 'Site: Headline' title+og": title_site_prefix_colon,
    "T 'H - Section - Site'": title_section_site_suffix,
    "T og 'H | Site', host names site": title_og_only_suffix_no_h1,
    "T social title reworded": title_social_shortened,
    "T JSON-LD cut at 110 + '...'": title_ld_truncated,
    "T JSON-LD cut at 110, no mark": title_ld_truncated_bare,
    "T section name only <h1>": title_section_h1,
    "T og:title = site name": title_og_is_site,
    "T <title> = site name": title_tag_site_only,
    "T JSON-LD headline = site": title_ld_is_site,
    "T logo <h1> then headline <h1>": title_logo_h1_first,
    "A bold phrase last, no credit": author_bold_phrase_no_credit,
    "A bold phrase first, no credit": author_bold_phrase_first,
    "A 'By X and Y'": author_by_x_and_y,
    "A 'By X, Y and Z'": author_by_xyz,
    "A 'Von X und Y'": author_von_und,
    "A 'Par X et Y'": author_par_et,
    "A 'X | Reporter'": author_pipe_role,
    "A 'X, Staff Writer'": author_staff_writer,
    "A particles van der / de la": author_particles,
    "A particles bin / al-": author_arabic_particle,
    "A Korean '외 1명'": author_korean_plus_one,
    "A Japanese name": author_japanese,
    "A Arabic script": author_arabic_script,
    "A LD Organization + byline": author_ld_org_visible_person,
    "A LD author URL + byline": author_ld_url,
    "A LD author name is a URL": author_ld_url_only,
    "A meta author = site": author_meta_site,
    "A rel=author link": author_rel_author,
    "A related bylines only": author_related_bylines_only,
    "A agency only": author_agency_only,
    "A initials only": author_initials,
    "T 'H | Site', host unlike site": title_site_unlike_host,
    "A 'X and Y, Staff Writers'": author_and_staff_writers,
    "A 'NAME, Associated Press Writer'": author_wire_writer,
    "A LD name with role": author_ld_name_with_role,
    "A 'Posted by admin'": author_posted_by_admin,
    "A O'Brien, J. R., Anne-Marie": author_initial_apostrophe,
    "A author box of another name": author_bio_box_other_name,
    "A meta 'Name | Site'": author_meta_name_and_site,
    "A 'X / Senior Correspondent'": author_slash_role,
    "A 'NAME Paper/Paper' wire style": author_shouted_name_paper,
    "A line starting 'After', 'Parents'": author_line_like_by,
    "T plain line, <title> = section": title_plain_line_section_title,
    "T <title> headline, plain line": title_tag_headline_plain_line,
    "A Yoast 'Written by' card meta": author_yoast_written_by,
    "T 'H :: Site', headline <h2>": title_double_colon_site,
    "T <h1> with a <br>": title_h1_line_break,
    "T logo <h1>, <title> = site": title_logo_h1_title_is_site,
    "A 'By <a>X</a> and <a>Y</a>'": author_linked_names_and,
    "A LD 'X, Y and Z' one string": author_ld_comma_string,
    "A 'By REUTERS'": author_agency_by_line,
    "A name alone in a <div>": author_name_alone_in_div,
    "A name alone over the date": author_name_over_date,
    "A LD 'Last, First'": author_ld_last_first,
    **{name: (lambda line=line, lang=lang, gold=gold: _other_byline(line, lang, gold))
       for name, (line, lang, gold) in OTHER_BYLINES.items()},
    "A LD: another story's article first": author_ld_other_story_first,
    "T LD: another story's headline first": title_ld_other_story_first,
    "T og:title = <title> = host's name": title_host_name_only,
    **{name: (lambda line=line: _date_label_byline(line)) for name, line in DATE_LABEL_BYLINES.items()},
    **{name: (lambda line=line: _date_label_byline(line)) for name, line in CONTACT_BYLINES.items()},
    **{name: (lambda line=line, gold=gold: _under_headline(line, gold)) for name, (line, gold) in UNDER_HEADLINE.items()},
    **{name: (lambda line=line, gold=gold: _under_headline(line, gold)) for name, (line, gold) in REGION_LINES.items()},
    **{name: (lambda lang=lang, line=line, gold=gold: _cjk_alone(lang, line, gold))
       for name, (lang, line, gold) in CJK_ALONE.items()},
    **{name: (lambda head=head, top=top: _zh_label(head, top)) for name, (head, top) in ZH_LABEL_PAGES.items()},
    "A LD: related story's article + WebPage": author_ld_away_story_beside_webpage,
    "A LD: related story's article alone": author_ld_away_story_alone,
}


def main() -> None:
    import logging

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    ap.add_argument("--show", help="print the answers of the pages whose name holds this")
    ap.add_argument("--blind", action="store_true", help="class and id names hashed, sectioning tags as <div>")
    ap.add_argument("--json", type=Path, help="also write the page results to this file")
    args = ap.parse_args()
    sc = load_scorer(args.scorer)
    logging.disable(logging.WARNING)
    names = ("ours", "trafilatura")
    totals = {(w, f): 0 for w in names for f in ("title", "authors")}
    rows: dict[str, dict[str, dict[str, bool]]] = {}
    print(f"{'page class':36s} {'ours T A':>9s} {'trafil. T A':>12s}")
    for name, build in PAGES.items():
        html, url, title, authors = build()
        if args.blind:
            html = unsectioned(blind(html.encode())).decode()
        rows[name] = {}
        cells = []
        for who in names:
            pred: dict[str, Any] = RUNNERS[who](html.encode(), url)
            got = pred.get("title") if isinstance(pred.get("title"), str) else ""
            ok = {"title": sc.ws(title) == sc.ws(got),
                  "authors": sc.author_set(list(authors)) == sc.author_set(pred.get("authors") or [])}
            rows[name][who] = ok
            for f in ok:
                totals[(who, f)] += ok[f]
            cells.append(" ".join("+" if ok[f] else "x" for f in ("title", "authors")))
            if args.show and args.show.lower() in name.lower():
                print(f"--- {name} / {who}: title={pred.get('title')!r} authors={pred.get('authors')!r}")
        if args.show and args.show.lower() in name.lower():
            print(f"--- {name} / gold: title={title!r} authors={authors!r}")
        flag = " <" if any(not rows[name]["ours"][f] and rows[name]["trafilatura"][f] for f in ("title", "authors")) else ""
        print(f"{name:36s} {cells[0]:>9s} {cells[1]:>12s}{flag}")
    n = len(PAGES)
    print(f"{'correct of ' + str(n) + ' (title authors)':36s} {totals[('ours', 'title')]:>4d} "
          f"{totals[('ours', 'authors')]:>2d}    {totals[('trafilatura', 'title')]:>4d} {totals[('trafilatura', 'authors')]:>2d}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
