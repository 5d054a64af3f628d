#!/usr/bin/env python3
"""Build the bundled offline sample news site (samples/site/) and its ground truth (samples/truth.json).

Deterministic and stdlib-only: the same content always gives byte-identical output, so both the
generator and what it writes are committed. Run `python samples/build_site.py` after editing
`samples/content/*.txt`, or `--check` to verify the committed site is up to date.

Four fictional outlets share one server, each under its own path prefix and with its own markup,
so the cleaner meets four page layouts and the fetcher meets RSS, Atom and a Google News sitemap.
Every absolute link to the site is written as `{{BASE_URL}}`; the sample server
(`newsdedup.samplesite`) replaces it with `http://127.0.0.1:PORT` at serve time.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONTENT_DIR = HERE / "content"
SITE_DIR = HERE / "site"
TRUTH_PATH = HERE / "truth.json"
# An updated copy of one story, served over the site by the demo's later runs (`samplesite` overlay):
REVISED_DIR = HERE / "revised"
BASE = "{{BASE_URL}}"
EPOCH = datetime(2026, 11, 1, tzinfo=UTC)  # feed dates of an outlet with nothing published yet

# Phrases that only ever occur in page furniture (cookie banners, share bars, sidebars, footers),
# never in an article body; the build fails if a body contains one, and cleaned text must not.
BOILERPLATE_PHRASES = [
    "Latest News",
    "We use cookies",
    "Accept all",
    "Share on",
    "Share via Email",
    "Sign up",
    "Subscribe",
    "newsletter",
    "All rights reserved",
    "Advertisement",
    "Related coverage",
    "Skip to content",
    "Most read",
    "Privacy policy",
]


@dataclass(frozen=True)
class Outlet:
    key: str
    name: str
    description: str
    template: str  # which page layout and which metadata style it uses
    feed_kind: str  # rss | atom | sitemap
    feed_path: str
    sections: tuple[str, ...]


OUTLETS: dict[str, Outlet] = {
    o.key: o
    for o in (
        Outlet(
            "wire", "Meridian Press Agency", "Fast, factual news from the Meridian Press wire.",
            "json-ld", "rss", "/wire/rss.xml",
            ("World", "Politics", "Business", "Science", "Sport", "Culture", "Weather"),
        ),
        Outlet(
            "national", "The National Ledger", "Politics, business and ideas from the country's paper of record.",
            "opengraph-meta-author", "atom", "/national/atom.xml",
            ("Politics", "Business", "Science", "Education", "Culture", "Sport", "Weather", "Opinion"),
        ),
        Outlet(
            "regional", "Harbour Valley Gazette", "News for Harbour Valley, the estuary and the islands.",
            "time-datetime-byline-span", "rss", "/regional/rss.xml",
            ("Local", "Sport", "Business", "Culture", "Environment", "Health", "Weather"),
        ),
        Outlet(
            "techbiz", "Circuit & Capital", "Technology and the business of technology.",
            "microdata-p-author", "sitemap", "/techbiz/sitemap.xml",
            ("Semiconductors", "Software", "Energy", "Mobility", "Startups", "Telecoms", "Fintech"),
        ),
    )
}


@dataclass
class Article:
    outlet: str
    slug: str
    title: str
    published: datetime
    authors: list[str]
    section: str
    story: str
    paragraphs: list[str]
    role: str = "original"  # original | syndicated_copy | exact_copy
    derived_from: str | None = None
    tracking: bool = False  # feed link carries utm_* parameters
    path: str = ""
    notes: dict[str, object] = field(default_factory=dict)
    modified: datetime | None = None  # when a revised copy was updated (its JSON-LD dateModified)

    @property
    def summary(self) -> str:
        first = self.paragraphs[0]
        m = re.match(r"(.+?[.!?])\s", first + " ")
        return (m.group(1) if m else first).strip()

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)

    @property
    def url(self) -> str:
        return BASE + self.path


# --------------------------------------------------------------------------- content


def parse_content(path: Path, outlet: str) -> list[Article]:
    """Read one outlet's content file: `@@ slug`, `key: value` headers, blank line, paragraphs."""
    text = path.read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.startswith("#")]
    blocks = re.split(r"^@@ ", "\n".join(lines), flags=re.M)[1:]
    out = []
    for block in blocks:
        slug, _, rest = block.partition("\n")
        head, _, body = rest.partition("\n\n")
        meta = dict(line.split(": ", 1) for line in head.strip().splitlines())
        paragraphs = [" ".join(p.split()) for p in body.strip().split("\n\n") if p.strip()]
        out.append(
            Article(
                outlet=outlet,
                slug=slug.strip(),
                title=meta["title"],
                published=datetime.fromisoformat(meta["published"]),
                authors=[a.strip() for a in meta["authors"].split(",")],
                section=meta["section"],
                story=meta["story"],
                paragraphs=paragraphs,
            )
        )
    return out


def tz_of(outlet: str, articles: list[Article]) -> object:
    """Each outlet publishes in one UTC offset; copies reuse it."""
    return next(a.published.tzinfo for a in articles if a.outlet == outlet)


def derive(originals: list[Article]) -> list[Article]:
    """Make the syndicated copies of the wire story and the exact republication."""
    by_slug = {(a.outlet, a.slug): a for a in originals}
    out: list[Article] = []
    wire = by_slug[("wire", "coastal-provinces-flood-barrier-fund")]
    # (outlet, slug, new headline, delay, first-paragraph prefix, paragraphs dropped, authors, section)
    copies = [
        ("national", "provinces-strike-flood-defence-deal",
         "Provinces strike 4.2bn deal to share the cost of coastal flood defences",
         timedelta(hours=1, minutes=35), "SALTMERE, Nov 12 (Meridian Press) - ", 1, wire.authors, "Politics"),
        ("regional", "coastal-flood-fund-ends-row",
         "Coastal flood fund deal ends two-year row over who pays for sea walls",
         timedelta(hours=3, minutes=20), "SALTMERE (Meridian Press) \u2014 ", 2, ["Meridian Press"], "Local"),
        ("techbiz", "provinces-create-flood-barrier-fund",
         "Five provinces create 4.2bn fund for sea walls and tidal gates",
         timedelta(hours=5, minutes=10), "Saltmere, 12 November (Meridian Press): ", 3, wire.authors, "Energy"),
    ]
    for outlet, slug, title, delay, prefix, drop, authors, section in copies:
        tz = tz_of(outlet, originals)
        paras = [prefix + wire.paragraphs[0], *wire.paragraphs[1:-drop]]
        out.append(
            replace(
                wire, outlet=outlet, slug=slug, title=title, published=(wire.published + delay).astimezone(tz),
                authors=list(authors), section=section, paragraphs=paras, role="syndicated_copy",
                derived_from="wire/" + wire.slug,
                notes={"delay_minutes": int(delay.total_seconds() // 60), "paragraphs_dropped": drop,
                       "first_paragraph_prefix": prefix},
            )
        )
    src = by_slug[("national", "old-trees-flowering-twice")]
    tz = tz_of("regional", originals)
    out.append(
        replace(
            src, outlet="regional", section="Environment", role="exact_copy",
            published=datetime(2026, 11, 10, 6, 0, tzinfo=tz), paragraphs=list(src.paragraphs),
            derived_from="national/" + src.slug,
        )
    )
    return out


def assign_paths(articles: list[Article]) -> None:
    """Each outlet has its own URL scheme, as real sites do."""
    for a in articles:
        d = a.published
        sec = a.section.lower().replace(" ", "-")
        if a.outlet == "wire":
            a.path = f"/wire/{d:%Y/%m/%d}/{a.slug}.html"
        elif a.outlet == "national":
            a.path = f"/national/{sec}/{d:%Y/%m/%d}/{a.slug}.html"
        elif a.outlet == "regional":
            a.path = f"/regional/{sec}/{a.slug}.html"
        else:
            a.path = f"/techbiz/articles/{a.slug}.html"


# --------------------------------------------------------------------------- helpers

e = html.escape


def human_date(d: datetime, style: str) -> str:
    hour12 = d.hour % 12 or 12
    ampm = "a.m." if d.hour < 12 else "p.m."
    if style == "wire":
        return f"{d.day} {d:%B %Y}, {d:%H:%M} GMT"
    if style == "national":
        return f"{d:%B} {d.day}, {d.year}"
    if style == "regional":
        return f"{d:%A, %B} {d.day}, {d.year} at {hour12}:{d:%M} {ampm}"
    return f"{d.day} {d:%b %Y} \u00b7 {d:%H:%M} CET"


def iso(d: datetime) -> str:
    return d.isoformat()


def latest_for(a: Article, pool: list[Article], n: int = 5) -> list[Article]:
    """The outlet's most recent other articles, as a "Latest News" list would show them."""
    same = [b for b in pool if b.outlet == a.outlet and b.path != a.path]
    return sorted(same, key=lambda b: (b.published, b.path), reverse=True)[:n]


def nav(outlet: Outlet, cls: str) -> str:
    items = "".join(
        f'<li><a href="/{outlet.key}/#{s.lower().replace(" ", "-")}">{e(s)}</a></li>' for s in outlet.sections
    )
    return f'<nav class="{cls}" aria-label="Sections"><ul><li><a href="/{outlet.key}/">Home</a></li>{items}</ul></nav>'


def share_bar(cls: str) -> str:
    # Buttons, not links to the networks: the site must never make a crawler leave 127.0.0.1.
    return (
        f'<div class="{cls}">'
        '<button type="button" data-network="facebook">Share on Facebook</button>'
        '<button type="button" data-network="x">Share on X</button>'
        '<button type="button" data-network="email">Share via Email</button>'
        "</div>"
    )


def head_common(a: Article, o: Outlet) -> str:
    feed_type = {"rss": "application/rss+xml", "atom": "application/atom+xml"}.get(o.feed_kind)
    alt = (
        f'<link rel="alternate" type="{feed_type}" title="{e(o.name)}" href="{BASE}{o.feed_path}">\n'
        if feed_type
        else ""
    )
    return (
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(a.title)} | {e(o.name)}</title>\n"
        f'<link rel="canonical" href="{a.url}">\n'
        f'<meta name="description" content="{e(a.summary)}">\n'
        f"{alt}"
        f'<link rel="stylesheet" href="/{o.key}/static/site.css">\n'
    )


def paragraphs_html(a: Article, inserts: dict[int, str] | None = None, attrs: str = "") -> str:
    """Body paragraphs; `inserts` puts furniture (ads, related links) after paragraph i."""
    inserts = inserts or {}
    parts = []
    for i, p in enumerate(a.paragraphs):
        parts.append(f"<p{attrs}>{e(p, quote=False)}</p>")
        if i in inserts and i < len(a.paragraphs) - 1:
            parts.append(inserts[i])
    return "\n".join(parts)


def cookie_banner(cls: str, text: str) -> str:
    return (
        f'<div class="{cls}" role="dialog" aria-label="Cookie consent"><p>{text}</p>'
        '<button type="button">Accept all</button> <button type="button">Reject non-essential</button></div>'
    )


def footer(o: Outlet, cls: str) -> str:
    return (
        f'<footer class="{cls}"><ul class="footer-links"><li><a href="/{o.key}/">About us</a></li>'
        f'<li><a href="/{o.key}/">Contact</a></li><li><a href="/{o.key}/">Privacy policy</a></li>'
        f'<li><a href="/{o.key}/">Terms of use</a></li></ul>'
        f"<p>&copy; 2026 {e(o.name)}. All rights reserved.</p></footer>"
    )


# --------------------------------------------------------------------------- page templates


def page_wire(a: Article, o: Outlet, pool: list[Article]) -> str:
    """Agency layout: metadata in JSON-LD NewsArticle, sidebar Latest News."""
    author_objs = [
        {"@type": "Organization" if name == "Meridian Press" else "Person", "name": name} for name in a.authors
    ]
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "description": a.summary,
        "datePublished": iso(a.published),
        "dateModified": iso(a.modified or a.published),
        "author": author_objs if len(author_objs) > 1 else author_objs[0],
        "articleSection": a.section,
        "inLanguage": "en",
        "mainEntityOfPage": {"@type": "WebPage", "@id": a.url},
        "url": a.url,
        "publisher": {"@type": "Organization", "name": o.name, "logo": {"@type": "ImageObject",
                                                                         "url": f"{BASE}/wire/static/logo.png"}},
    }
    ld_json = json.dumps(ld, ensure_ascii=False, indent=1).replace("</", "<\\/")
    latest = "".join(
        f'<li><a href="{b.url}">{e(b.title)}</a><span class="ts">{b.published:%H:%M} GMT</span></li>'
        for b in latest_for(a, pool)
    )
    byline = " and ".join(e(x) for x in a.authors)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
{head_common(a, o)}<meta property="og:type" content="article">
<meta property="og:site_name" content="{e(o.name)}">
<meta property="og:title" content="{e(a.title)}">
<meta property="og:url" content="{a.url}">
<script type="application/ld+json">
{ld_json}
</script>
</head>
<body class="wire article-page">
<a class="skip-link" href="#content">Skip to content</a>
{cookie_banner("consent-banner", "We use cookies to measure traffic and to improve our service. You can change your choice at any time.")}
<header class="masthead">
<a class="logo" href="/wire/">Meridian Press Agency</a>
{nav(o, "primary-nav")}
</header>
<div class="layout">
<main id="content">
<article class="story">
<div class="story-header">
<span class="kicker">{e(a.section)}</span>
<h1 class="story-title">{e(a.title)}</h1>
<div class="story-meta"><span class="by">{byline}</span> <span class="sep">|</span> <span class="when">{human_date(a.published, "wire")}</span></div>
{share_bar("share-bar")}
</div>
<div class="story-body">
{paragraphs_html(a)}
</div>
</article>
</main>
<aside class="sidebar">
<section class="latest"><h2>Latest News</h2><ol>{latest}</ol></section>
<section class="newsletter-box"><h3>The Morning Wire</h3><p>Sign up for our newsletter and get the day's top stories before 7 a.m.</p>
<form action="/wire/" method="get"><input type="email" name="email" placeholder="Email address"><button type="submit">Subscribe</button></form></section>
</aside>
</div>
{footer(o, "site-footer")}
</body>
</html>
"""


def page_national(a: Article, o: Outlet, pool: list[Article]) -> str:
    """Paper layout: OpenGraph + <meta name="author">, inline ad and related box, news list after."""
    related = [b for b in latest_for(a, pool, 8) if b.section == a.section][:2] or latest_for(a, pool, 2)
    related_html = "".join(f'<li><a href="{b.path}">{e(b.title)}</a></li>' for b in related)
    inserts = {
        1: '<div class="ad-slot" aria-hidden="true"><span class="ad-label">Advertisement</span></div>',
        3: f'<aside class="related-inline"><h4>Related coverage</h4><ul>{related_html}</ul></aside>',
    }
    more = "".join(
        f'<li class="more-item"><a href="{b.url}">{e(b.title)}</a></li>' for b in latest_for(a, pool, 6)
    )
    authors_meta = ", ".join(a.authors)
    byline = " and ".join(f'<a class="author-link" href="/national/">{e(x)}</a>' for x in a.authors)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
{head_common(a, o)}<meta name="author" content="{e(authors_meta)}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{e(o.name)}">
<meta property="og:title" content="{e(a.title)}">
<meta property="og:description" content="{e(a.summary)}">
<meta property="og:url" content="{a.url}">
<meta property="og:locale" content="en_GB">
<meta property="article:published_time" content="{iso(a.published)}">
<meta property="article:modified_time" content="{iso(a.published)}">
<meta property="article:section" content="{e(a.section)}">
<meta name="twitter:card" content="summary_large_image">
</head>
<body class="ledger">
<div class="topbar"><a href="/national/">Subscribe from 1 crown a week</a> <a href="/national/">Log in</a></div>
<header class="ledger-header">
<div class="brand"><a href="/national/">The National Ledger</a><span class="edition">National edition</span></div>
{nav(o, "section-nav")}
</header>
<ol class="breadcrumbs"><li><a href="/national/">Home</a></li><li><a href="/national/#{a.section.lower()}">{e(a.section)}</a></li></ol>
<main class="ledger-main">
<article class="ledger-article">
<header class="article-header">
<p class="section-label">{e(a.section)}</p>
<h1 class="headline">{e(a.title)}</h1>
<div class="byline-block">By {byline} <span class="dateline">{human_date(a.published, "national")}</span></div>
</header>
<div class="article-body">
{paragraphs_html(a, inserts)}
</div>
<footer class="article-tools">{share_bar("share-tools")}</footer>
</article>
<section class="more-news"><h2>Latest News</h2><ul>{more}</ul></section>
<section class="newsletter-signup"><h2>The Ledger Briefing</h2><p>Sign up for our free evening newsletter: the day's essential stories, explained.</p><form action="/national/" method="get"><input type="email" name="email"><button type="submit">Sign up</button></form></section>
</main>
{footer(o, "ledger-footer")}
{cookie_banner("cookie-notice", "We use cookies and similar technologies to personalise content and analyse our traffic.")}
</body>
</html>
"""


def page_regional(a: Article, o: Outlet, pool: list[Article]) -> str:
    """WordPress-like layout: <time datetime> + <span class="byline">, widget sidebar with utm links."""
    latest = "".join(
        f'<li><a href="{b.url}?utm_source=sidebar&amp;utm_medium=latest">{e(b.title)}</a></li>'
        for b in latest_for(a, pool)
    )
    byline = ", ".join(e(x) for x in a.authors)
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
{head_common(a, o)}<meta property="og:title" content="{e(a.title)}">
<meta property="og:url" content="{a.url}">
<meta property="og:type" content="article">
<meta name="generator" content="PressKit 6.4">
</head>
<body class="post-template-default single single-post">
{cookie_banner("cookie-bar", "We use cookies to give you the best experience on our website. By continuing you agree to our use of cookies.")}
<div id="page" class="site">
<header id="masthead" class="site-header">
<p class="site-title"><a href="/regional/" rel="home">Harbour Valley Gazette</a></p>
<p class="site-description">{e(o.description)}</p>
{nav(o, "main-navigation")}
</header>
<div id="content" class="site-content">
<div id="primary" class="content-area">
<main id="main" class="site-main">
<article class="post type-post status-publish">
<header class="entry-header">
<span class="cat-links"><a href="/regional/#{a.section.lower()}" rel="category tag">{e(a.section)}</a></span>
<h1 class="entry-title">{e(a.title)}</h1>
<div class="entry-meta"><span class="byline">By {byline}</span> <span class="posted-on"><time class="entry-date published" datetime="{iso(a.published)}">{human_date(a.published, "regional")}</time></span></div>
</header>
<div class="entry-content">
{paragraphs_html(a)}
</div>
<footer class="entry-footer">{share_bar("share-links")}</footer>
</article>
</main>
</div>
<aside id="secondary" class="widget-area">
<section class="widget widget_recent_entries"><h2 class="widget-title">Latest News</h2><ul>{latest}</ul></section>
<section class="widget widget_newsletter"><h2 class="widget-title">Gazette in your inbox</h2><p>Sign up for the Gazette newsletter every Friday.</p></section>
<section class="widget widget_popular"><h2 class="widget-title">Most read</h2><ul><li><a href="/regional/">Tide tables for the week</a></li><li><a href="/regional/">Letters to the editor</a></li></ul></section>
</aside>
</div>
{footer(o, "site-footer")}
</div>
</body>
</html>
"""


def page_techbiz(a: Article, o: Outlet, pool: list[Article]) -> str:
    """Tech site layout: schema.org microdata, <p class="author">By ...</p>, promo box in the text."""
    author_spans = ", ".join(
        f'<span itemprop="author" itemscope itemtype="https://schema.org/Person"><span itemprop="name">{e(x)}</span></span>'
        for x in a.authors
    )
    promo = (
        '<div class="promo-box"><strong>Circuit Breaker</strong> Sign up for our weekly newsletter on the '
        'business of technology. <a href="/techbiz/">Subscribe</a></div>'
    )
    latest = "".join(
        f'<li><a href="{b.url}"><span class="hl">{e(b.title)}</span></a></li>' for b in latest_for(a, pool)
    )
    middle = max(1, len(a.paragraphs) // 2 - 1)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
{head_common(a, o)}<meta property="og:title" content="{e(a.title)}">
<meta property="og:url" content="{a.url}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{e(o.name)}">
</head>
<body>
<div class="cc-wrap">
<header class="cc-header">
<a class="cc-logo" href="/techbiz/">Circuit &amp; Capital</a>
{nav(o, "cc-nav")}
</header>
<main class="cc-main">
<article class="cc-article" itemscope itemtype="https://schema.org/NewsArticle">
<meta itemprop="datePublished" content="{iso(a.published)}">
<meta itemprop="dateModified" content="{iso(a.published)}">
<link itemprop="mainEntityOfPage" href="{a.url}">
<div class="cc-topic">{e(a.section)}</div>
<h1 itemprop="headline">{e(a.title)}</h1>
<p class="author">By {author_spans}</p>
<p class="pubdate">{human_date(a.published, "techbiz")}</p>
{share_bar("cc-share")}
<div class="article-text" itemprop="articleBody">
{paragraphs_html(a, {middle: promo})}
</div>
</article>
<section class="latest-news"><h3>Latest News</h3><ul>{latest}</ul></section>
</main>
{footer(o, "cc-footer")}
</div>
{cookie_banner("cc-cookies", "We use cookies for analytics and to remember your settings. See our privacy policy for details.")}
</body>
</html>
"""


TEMPLATES: dict[str, Callable[[Article, Outlet, list[Article]], str]] = {
    "wire": page_wire,
    "national": page_national,
    "regional": page_regional,
    "techbiz": page_techbiz,
}


# --------------------------------------------------------------------------- feeds


def x(s: str) -> str:
    return html.escape(s, quote=False)


def feed_link(a: Article) -> str:
    """The URL a feed lists: regional tags every link, the wire only some (as real feeds do)."""
    if a.outlet == "regional":
        return f"{a.url}?utm_source=rss&amp;utm_medium=rss&amp;utm_campaign={a.slug}"
    if a.tracking:
        return f"{a.url}?utm_source=rss&amp;utm_medium=feed"
    return a.url


def rss_feed(o: Outlet, items: list[Article]) -> str:
    newest = max((a.published for a in items), default=EPOCH)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">',
        "<channel>",
        f"<title>{x(o.name)}</title>",
        f"<link>{BASE}/{o.key}/</link>",
        f"<description>{x(o.description)}</description>",
        "<language>en</language>",
        f"<lastBuildDate>{format_datetime(newest)}</lastBuildDate>",
        f'<atom:link href="{BASE}{o.feed_path}" rel="self" type="application/rss+xml"/>',
    ]
    for a in items:
        # A WordPress-style post id, stable per article so guids never move when posts are added.
        post_id = 10000 + int(hashlib.sha1(a.slug.encode()).hexdigest()[:6], 16) % 90000
        guid = (
            f'<guid isPermaLink="false">{BASE}/regional/?p={post_id}</guid>'
            if o.key == "regional"
            else f'<guid isPermaLink="true">{a.url}</guid>'
        )
        creators = "".join(f"<dc:creator><![CDATA[{n}]]></dc:creator>" for n in a.authors)
        parts += [
            "<item>",
            f"<title>{x(a.title)}</title>",
            f"<link>{feed_link(a)}</link>",
            guid,
            f"<pubDate>{format_datetime(a.published)}</pubDate>",
            creators,
            f"<category>{x(a.section)}</category>",
            f"<description>{x(a.summary)}</description>",
            "</item>",
        ]
    parts += ["</channel>", "</rss>", ""]
    return "\n".join(parts)


def atom_feed(o: Outlet, items: list[Article]) -> str:
    newest = max((a.published for a in items), default=EPOCH)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
        f"<title>{x(o.name)}</title>",
        f"<subtitle>{x(o.description)}</subtitle>",
        f"<id>{BASE}/{o.key}/</id>",
        f'<link rel="self" type="application/atom+xml" href="{BASE}{o.feed_path}"/>',
        f'<link rel="alternate" type="text/html" href="{BASE}/{o.key}/"/>',
        f"<updated>{iso(newest)}</updated>",
    ]
    for a in items:
        authors = "".join(f"<author><name>{x(n)}</name></author>" for n in a.authors)
        parts += [
            "<entry>",
            f"<title>{x(a.title)}</title>",
            f'<link rel="alternate" type="text/html" href="{a.url}"/>',
            f"<id>tag:nationalledger.example,{a.published:%Y-%m-%d}:{a.path}</id>",
            f"<published>{iso(a.published)}</published>",
            f"<updated>{iso(a.published)}</updated>",
            authors,
            f'<category term="{e(a.section)}"/>',
            f"<summary>{x(a.summary)}</summary>",
            "</entry>",
        ]
    parts += ["</feed>", ""]
    return "\n".join(parts)


def news_sitemap(o: Outlet, items: list[Article]) -> str:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
    ]
    for a in items:
        parts += [
            "<url>",
            f"<loc>{a.url}</loc>",
            f"<lastmod>{iso(a.published)}</lastmod>",
            "<news:news>",
            f"<news:publication><news:name>{x(o.name)}</news:name><news:language>en</news:language></news:publication>",
            f"<news:publication_date>{iso(a.published)}</news:publication_date>",
            f"<news:title>{x(a.title)}</news:title>",
            "</news:news>",
            "</url>",
        ]
    parts += ["</urlset>", ""]
    return "\n".join(parts)


FEEDS = {"rss": rss_feed, "atom": atom_feed, "sitemap": news_sitemap}


# --------------------------------------------------------------------------- other pages


def outlet_index(o: Outlet, items: list[Article]) -> str:
    rows = "".join(
        f'<li><a href="{a.path}">{e(a.title)}</a> <small>{iso(a.published)}</small></li>' for a in items
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{e(o.name)}</title><link rel="canonical" href="{BASE}/{o.key}/">
<link rel="stylesheet" href="/{o.key}/static/site.css"></head>
<body><h1>{e(o.name)}</h1><p>{e(o.description)}</p>
<p>Feed: <a href="{BASE}{o.feed_path}">{o.feed_path}</a></p>
<ul class="index">{rows}</ul>
</body>
</html>
"""


def root_index() -> str:
    rows = "".join(
        f'<li><a href="/{o.key}/">{e(o.name)}</a>: {e(o.description)} '
        f'(<a href="{BASE}{o.feed_path}">{o.feed_kind}</a>)</li>'
        for o in OUTLETS.values()
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>newsdedup sample news site</title></head>
<body><h1>newsdedup sample news site</h1>
<p>Four fictional outlets written for newsdedup's demo and tests. All text is original.</p>
<ul>{rows}</ul>
</body>
</html>
"""


CSS = """body{font-family:Georgia,serif;margin:0 auto;max-width:60rem;padding:0 1rem;line-height:1.5}
nav ul,footer ul{list-style:none;padding:0;display:flex;gap:1rem;flex-wrap:wrap}
[role=dialog]{position:fixed;bottom:0;left:0;right:0;background:#222;color:#fff;padding:.5rem 1rem}
"""


# --------------------------------------------------------------------------- truth and checks


def phrase(text: str, start: int, n: int = 8) -> str:
    words = text.split()
    start = max(0, min(start, len(words) - n))
    return " ".join(words[start : start + n])


def must_contain(a: Article) -> list[str]:
    """Phrases from the lead, the middle and the end of the body that a cleaner must keep."""
    first = a.paragraphs[0]
    prefix = str(a.notes.get("first_paragraph_prefix", ""))
    lead = phrase(first[len(prefix) :], 0) if prefix else phrase(first, 0)
    mid = a.paragraphs[len(a.paragraphs) // 2]
    last = a.paragraphs[-1]
    return [lead, phrase(mid, len(mid.split()) // 2 - 4), phrase(last, len(last.split()) - 8)]


REPEATED_QUOTE = (
    "Bike makers are far less protective about sharing drive systems because it is much harder to stand out "
    "with a motor that nobody ever sees."
)
SHARED_QUOTE = (
    '"The ministry will not comment on individual cases while the review is under way, but every submission '
    'we receive will be read in full," said Abel Marsh, a spokesperson for the Ministry of Transport.'
)


def body_text(a: Article) -> str:
    return "\n\n".join(a.paragraphs)


# The revised copy: the headline rewritten, a figure corrected and a correction appended, the way a
# news site revises a story hours after publishing it. The demo serves it from its second run on, so
# the re-check finds one revision with one headline change.
REVISION = {
    "article": "wire/shipping-rates-ease-red-channel",
    "title": "Freight rates fall for a fourth week as the Red Channel backlog clears",
    "fix": ("more than 70 vessels were anchored", "74 vessels were anchored"),
    "correction": "Correction: An earlier version of this story said that more than 70 vessels were anchored "
                  "outside the channel ports at the peak of the dispute. The port authorities' figure is 74.",
    "modified": datetime(2026, 11, 22, 16, 40, tzinfo=UTC),
}


def revised_copy(articles: list[Article]) -> Article | None:
    """The updated version of `REVISION["article"]`, or None when a snapshot does not hold it yet."""
    a = next((x for x in articles if f"{x.outlet}/{x.slug}" == REVISION["article"]), None)
    if a is None:
        return None
    old, new = REVISION["fix"]  # type: ignore[misc]
    paragraphs = [p.replace(old, new) for p in a.paragraphs]
    if paragraphs == a.paragraphs:
        raise SystemExit(f"revision: {old!r} is not in {a.path}")
    return replace(a, title=str(REVISION["title"]), paragraphs=[*paragraphs, str(REVISION["correction"])],
                   modified=REVISION["modified"])  # type: ignore[arg-type]


def check(articles: list[Article]) -> list[str]:
    """Invariants the tests and the demo rely on; returns problems (empty = fine)."""
    problems = []
    paths = [a.path for a in articles]
    if len(set(paths)) != len(paths):
        problems.append("duplicate article paths")
    lo, hi = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 24, tzinfo=UTC)
    for a in articles:
        if not lo <= a.published < hi:
            problems.append(f"{a.path}: published {a.published} outside 2026-11-01..2026-11-23")
        low = body_text(a).lower()
        problems += [f"{a.path}: body contains boilerplate {p!r}" for p in BOILERPLATE_PHRASES if p.lower() in low]
        if "{{" in body_text(a) or "}}" in body_text(a):
            problems.append(f"{a.path}: braces in body")
    short = [a.path for a in articles if a.words < 300]
    if len(short) > 8:
        problems.append(f"too many short articles: {short}")
    long_ = [a.path for a in articles if a.words > 700]
    if long_:
        problems.append(f"articles over 700 words: {long_}")
    with_rq = [a for a in articles if REPEATED_QUOTE in body_text(a)]
    if len(with_rq) != 1 or body_text(with_rq[0]).count(REPEATED_QUOTE) != 2:
        problems.append("repeated quote must occur twice in exactly one article")
    with_sq = [a for a in articles if SHARED_QUOTE in body_text(a)]
    if len(with_sq) != 2 or len({a.story for a in with_sq}) != 2:
        problems.append(f"shared quote must occur in exactly two unrelated articles, found {len(with_sq)}")
    for a in articles:
        if a.role == "syndicated_copy":
            delay = int(a.notes["delay_minutes"])  # type: ignore[call-overload]
            if not 60 <= delay <= 360:
                problems.append(f"{a.path}: syndication delay {delay} min outside 1-6 h")
    return problems


def build(until: datetime | None = None) -> dict[str, str]:
    """Return {relative path: file text} for the site, plus truth.json under the key '__truth__'.

    With `until`, the site as it looked at that moment: only articles published by then, in
    pages, feeds and truth (for incremental tests that serve an early snapshot, then the rest).
    """
    originals: list[Article] = []
    for key in OUTLETS:
        originals += parse_content(CONTENT_DIR / f"{key}.txt", key)
    # Two wire stories carry utm parameters in the feed link; the page's canonical URL does not.
    for a in originals:
        if a.outlet == "wire" and a.slug in ("central-bank-holds-rate", "lost-folk-manuscript-church-attic"):
            a.tracking = True
    articles = originals + derive(originals)
    assign_paths(articles)
    articles.sort(key=lambda a: (a.outlet, a.published, a.path))
    problems = check(articles)
    if problems:
        raise SystemExit("content problems:\n  " + "\n  ".join(problems))
    everything = list(articles)
    if until is not None:
        if until.tzinfo is None:
            raise SystemExit("--until needs a UTC offset, e.g. 2026-11-12T07:00:00+00:00")
        articles = [a for a in articles if a.published <= until]

    files: dict[str, str] = {}
    for o in OUTLETS.values():
        items = sorted((a for a in articles if a.outlet == o.key), key=lambda a: (a.published, a.path), reverse=True)
        for a in items:
            files[a.path.lstrip("/")] = TEMPLATES[o.key](a, o, articles)
        files[o.feed_path.lstrip("/")] = FEEDS[o.feed_kind](o, items)
        files[f"{o.key}/index.html"] = outlet_index(o, items)
        files[f"{o.key}/static/site.css"] = CSS
    files["index.html"] = root_index()
    sitemaps = "".join(f"Sitemap: {BASE}{o.feed_path}\n" for o in OUTLETS.values() if o.feed_kind == "sitemap")
    files["robots.txt"] = f"User-agent: *\nAllow: /\n{sitemaps}"
    rev = revised_copy(articles)
    if rev is not None:
        files[f"__revised__/{rev.path.lstrip('/')}"] = TEMPLATES[rev.outlet](rev, OUTLETS[rev.outlet], articles)
    files["__truth__"] = json.dumps(truth(articles, everything, until), ensure_ascii=False, indent=1) + "\n"
    return files


def truth(articles: list[Article], everything: list[Article], until: datetime | None) -> dict[str, object]:
    """Ground truth for `articles`; the special cases are defined on the full site and then
    restricted to what a snapshot holds (None / [] when a case is not visible yet)."""
    by_key = {f"{a.outlet}/{a.slug}": a for a in everything}
    present = {a.path for a in articles}
    synd = sorted((a for a in everything if a.role == "syndicated_copy"), key=lambda a: a.published)
    synd_original = by_key[synd[0].derived_from].path  # type: ignore[index]
    exact = next(a for a in everything if a.role == "exact_copy")
    exact_original = by_key[exact.derived_from].path  # type: ignore[index]
    rq = next(a for a in everything if REPEATED_QUOTE in body_text(a))
    sq = sorted(a.path for a in articles if SHARED_QUOTE in body_text(a))
    kestrel = sorted((a for a in articles if a.story.startswith("kestrel-pass")), key=lambda a: a.published)
    return {
        "about": "Ground truth for samples/site, written by samples/build_site.py. Paths are URL paths on the "
        "sample server; feed links may add utm_* parameters, canonical URLs never do.",
        "base_url_placeholder": BASE,
        "snapshot_until": iso(until) if until else None,
        "outlets": [
            {"key": o.key, "name": o.name, "path_prefix": f"/{o.key}/", "template": o.template,
             "feed": o.feed_path, "utc_offset": tz_of(o.key, articles).tzname(None)}  # type: ignore[attr-defined]
            for o in OUTLETS.values()
        ],
        "feeds": [{"outlet": o.key, "path": o.feed_path, "kind": o.feed_kind} for o in OUTLETS.values()],
        "articles": [
            {
                "path": a.path,
                "outlet": a.outlet,
                "feed": OUTLETS[a.outlet].feed_path,
                "title": a.title,
                "published": iso(a.published),
                "authors": a.authors,
                "section": a.section,
                "story": a.story,
                "role": a.role,
                "derived_from": by_key[a.derived_from].path if a.derived_from else None,
                "words": a.words,
                "content_sha256": hashlib.sha256(body_text(a).encode()).hexdigest(),
                "must_contain": must_contain(a),
                "paragraphs": a.paragraphs,
            }
            for a in articles
        ],
        "syndicated": {
            "story": synd[0].story,
            "original": synd_original if synd_original in present else None,
            "copies": [a.path for a in synd if a.path in present],
            "details": [{"path": a.path, "title": a.title, **a.notes} for a in synd if a.path in present],
        },
        "exact_copy": (
            {"original": exact_original, "copy": exact.path}
            if {exact_original, exact.path} <= present
            else None
        ),
        "repeated_quote": (
            {"path": rq.path, "quote": REPEATED_QUOTE, "count": 2} if rq.path in present else None
        ),
        "shared_quote": {"quote": SHARED_QUOTE, "paths": sq},
        "same_topic_distinct": [a.path for a in kestrel],
        "boilerplate_phrases": BOILERPLATE_PHRASES,
        "revision": _revision_truth(articles),
    }


def _revision_truth(articles: list[Article]) -> dict[str, object] | None:
    rev = revised_copy(articles)
    if rev is None:
        return None
    before = next(a for a in articles if a.path == rev.path)
    return {"about": "The demo's later runs serve revised/<path> over the site: one revision, one headline change.",
            "overlay": "revised", "path": rev.path, "title_before": before.title, "title_after": rev.title,
            "fixed": list(REVISION["fix"]), "correction": REVISION["correction"],  # type: ignore[call-overload]
            "modified": iso(rev.modified)}  # type: ignore[arg-type]


def _target(rel: str, site_dir: Path) -> Path:
    """Where a generated file goes: the site, or (`__revised__/...`) the revised overlay beside it."""
    if rel.startswith("__revised__/"):
        return site_dir.parent / REVISED_DIR.name / rel.removeprefix("__revised__/")
    return site_dir / rel


def write(files: dict[str, str], site_dir: Path, truth_path: Path) -> None:
    for d in (site_dir, site_dir.parent / REVISED_DIR.name):
        if d.exists():
            shutil.rmtree(d)
    for rel, text in sorted(files.items()):
        if rel == "__truth__":
            continue
        p = _target(rel, site_dir)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8", newline="\n")
    truth_path.write_text(files["__truth__"], encoding="utf-8", newline="\n")


def stale(files: dict[str, str], site_dir: Path, truth_path: Path) -> list[str]:
    """Files whose committed content differs from what the generator writes now."""
    want = {_target(k, site_dir): v for k, v in files.items() if k != "__truth__"}
    want[truth_path] = files["__truth__"]
    revised_dir = site_dir.parent / REVISED_DIR.name
    have = {p for d in (site_dir, revised_dir) for p in d.rglob("*") if p.is_file()}
    have |= {truth_path} if truth_path.exists() else set()
    bad = [str(p) for p in sorted(have - set(want))]
    for p, text in sorted(want.items()):
        if not p.exists() or p.read_text(encoding="utf-8") != text:
            bad.append(str(p))
    return bad


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if samples/site or truth.json is out of date")
    ap.add_argument("--until", type=datetime.fromisoformat, help="snapshot: only articles published by then")
    ap.add_argument("--out", type=Path, help="write OUT/site/ and OUT/truth.json (default: samples/)")
    args = ap.parse_args(argv)
    files = build(args.until)
    if args.check:
        if args.until or args.out:
            ap.error("--check verifies the committed site; it takes no --until or --out")
        bad = stale(files, SITE_DIR, TRUTH_PATH)
        if bad:
            print("out of date (run python samples/build_site.py):\n  " + "\n  ".join(bad), file=sys.stderr)
            return 1
        print(f"up to date: {len(files) - 1} site and overlay files and truth.json")
        return 0
    if args.until and not args.out:
        ap.error("a snapshot (--until) must go elsewhere: add --out DIR")
    site_dir, truth_path = (args.out / "site", args.out / "truth.json") if args.out else (SITE_DIR, TRUTH_PATH)
    write(files, site_dir, truth_path)
    n = len(json.loads(files["__truth__"])["articles"])
    print(f"wrote {len(files) - 1} files ({n} articles) to {site_dir} and {truth_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
