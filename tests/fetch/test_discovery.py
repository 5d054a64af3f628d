"""A source can be a site's home page (`kind: site`, or detected): its feeds are found through
<link rel=alternate>, its sitemaps through robots.txt (a Google News sitemap preferred), all through
the polite Fetcher; later runs follow what was found with conditional GET and look again only when a
followed endpoint starts failing or a day has passed. Against a real local site (127.0.0.1), through
`newsdedup.pipeline.run_pipeline` into a temp warehouse where the warehouse matters."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from local_server import Request, TestServer

from newsdedup import warehouse as wh
from newsdedup.config import Settings, SourceSpec
from newsdedup.discovery import MAX_FEEDS, read_home_page, same_site
from newsdedup.fetch import Fetcher
from newsdedup.pipeline import run_pipeline
from newsdedup.sources import SourceState, discover
from newsdedup.staging import run_key

NOW = datetime.now(UTC).replace(microsecond=0)
ARTICLE = """<!DOCTYPE html><html lang="en"><head><title>{t} | Example News</title>
<meta property="og:type" content="article">
<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>
<nav><a href="/">Home</a> <a href="/world/">World</a></nav><article><h1>{t}</h1>
<p>{t}: the regional council approved a budget on Tuesday that shifts money from road building to
public transport, after a debate that lasted well into the night and drew hundreds of residents.</p>
<p>Supporters of the {t} plan said it would cut commuting times within five years, while opponents
warned that rural districts would lose bus routes they depend on for school and hospital trips.</p>
<p>The council's finance chief, asked about {t}, said it was the most ambitious plan yet adopted.</p>
</article></body></html>"""


def _conditional(body: bytes, content_type: str):
    """A route that answers with an ETag and 304 on a matching If-None-Match, like a real server."""
    etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'

    def handler(req: Request) -> None:
        if req.headers.get("If-None-Match") == etag:
            req.send(304, b"", headers={"ETag": etag}, content_type=None)
        else:
            req.send(200, body, headers={"ETag": etag}, content_type=content_type)
    return handler


class NewsSite:
    """A small news site: a home page with feed links, robots.txt with sitemaps, feeds, sitemaps, articles."""

    def __init__(self, srv: TestServer) -> None:
        self.srv = srv
        self.base = srv.url("")

    def article(self, slug: str) -> str:
        title = slug.replace("-", " ").title()
        return self.srv.route(f"/news/{slug}.html", _conditional(ARTICLE.format(t=title).encode(),
                                                                 "text/html; charset=utf-8"))

    def rss(self, path: str, slugs: list[str]) -> str:
        items = "".join(f"<item><title>{s}</title><link>{self.article(s)}</link>"
                        f"<pubDate>{format_datetime(NOW)}</pubDate></item>" for s in slugs)
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
        return self.srv.route(path, _conditional(body.encode(), "application/rss+xml"))

    def atom(self, path: str, slugs: list[str]) -> str:
        entries = "".join(f'<entry><title>{s}</title><link href="{self.article(s)}"/><id>{s}</id>'
                          f"<updated>{NOW.isoformat()}</updated></entry>" for s in slugs)
        body = f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>{entries}</feed>'
        return self.srv.route(path, _conditional(body.encode(), "application/atom+xml"))

    def news_sitemap(self, path: str, slugs: list[str]) -> str:
        urls = "".join(f"<url><loc>{self.article(s)}</loc><news:news><news:publication_date>{NOW.isoformat()}"
                       f"</news:publication_date><news:title>{s}</news:title></news:news></url>" for s in slugs)
        body = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>')
        return self.srv.route(path, _conditional(body.encode(), "application/xml"))

    def sitemap(self, path: str, slugs: list[str]) -> str:
        urls = "".join(f"<url><loc>{self.article(s)}</loc><lastmod>{NOW.isoformat()}</lastmod></url>" for s in slugs)
        body = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        return self.srv.route(path, _conditional(body.encode(), "application/xml"))

    def sitemap_index(self, path: str, children: list[str]) -> str:
        items = "".join(f"<sitemap><loc>{self.srv.url(c)}</loc></sitemap>" for c in children)
        body = f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>'
        return self.srv.route(path, _conditional(body.encode(), "application/xml"))

    def home(self, links: str, n_articles: int = 3) -> str:
        teasers = "".join(f'<li><a href="/news/teaser-story-number-{i}.html">Story {i}</a></li>' for i in range(n_articles))
        body = (f"<!DOCTYPE html><html><head><title>Example News</title>{links}</head><body><h1>Example News</h1>"
                f"<ul>{teasers}</ul></body></html>")
        return self.srv.route("/", _conditional(body.encode(), "text/html; charset=utf-8"))

    def robots(self, *sitemaps: str) -> None:
        text = "User-agent: *\nAllow: /\n" + "".join(f"Sitemap: {s}\n" for s in sitemaps)
        self.srv.static("/robots.txt", text, content_type="text/plain")


def _standard(site: NewsSite) -> None:
    """Two feeds and a comments feed on the home page; robots.txt names a general sitemap index, a
    news sitemap and a file: URL."""
    site.home('<link rel="alternate" type="application/rss+xml" title="Top stories" href="/feed.xml">'
              '<link rel="alternate" type="application/atom+xml" href="/atom.xml">'
              '<link rel="alternate" type="application/rss+xml" title="Comments" href="/comments/feed.xml">')
    site.rss("/feed.xml", ["budget-vote-passes", "harbour-bridge-reopens"])
    site.atom("/atom.xml", ["storm-warning-issued"])
    site.rss("/comments/feed.xml", ["comment-one-here"])
    site.news_sitemap("/news-sitemap.xml", ["election-date-set", "budget-vote-passes"])
    site.sitemap_index("/sitemap_index.xml", ["/sitemap-posts.xml"])
    site.sitemap("/sitemap-posts.xml", ["old-archive-story-one", "old-archive-story-two"])
    site.robots(site.srv.url("/sitemap_index.xml"), site.srv.url("/news-sitemap.xml"), "file:///etc/passwd")


@pytest.fixture
def fast() -> Settings:
    return Settings(allow_private_networks=True, connect_timeout=1.0, read_timeout=1.0, total_timeout=5.0,
                    retries=0, backoff_base=0.02, backoff_max=0.5)


def _discover(spec: SourceSpec, settings: Settings, state: SourceState | None = None,
              now: datetime | None = None):  # fmt: skip
    with Fetcher(settings) as f:
        return discover(spec, settings, f, state, now=now)


def _paths(urls: Any) -> set[str]:
    return {u.split("/", 3)[-1] for u in urls}


def _pipeline(tmp_path: Path, sources: list[dict[str, Any]], run: str, **settings: Any):
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(yaml.safe_dump({"settings": {"allow_private_networks": True, "read_timeout": 1.0,
                                                "total_timeout": 5.0, "retries": 0, **settings},
                                   "sources": sources}))  # fmt: skip
    return run_pipeline(sources_file=str(cfg), warehouse=str(tmp_path / "w.duckdb"),
                        staging=str(tmp_path / "staging"), run_id=run)


def _q(tmp_path: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    return wh.query_rows(tmp_path / "w.duckdb", sql, params)[1]


# --- finding ----------------------------------------------------------------------------------------


def test_site_finds_feeds_by_link_and_sitemaps_by_robots_and_prefers_the_news_sitemap(fast: Settings) -> None:
    with TestServer() as srv:
        site = NewsSite(srv)
        _standard(site)
        d = _discover(SourceSpec("example-news", srv.url("/"), "site"), fast)
    assert d.error is None and d.kind == "site"
    # the feeds' and the news sitemap's stories; the general sitemap (old archive) is not followed
    assert _paths(e.url for e in d.entries) == {
        "news/budget-vote-passes.html", "news/harbour-bridge-reopens.html", "news/storm-warning-issued.html",
        "news/election-date-set.html"}
    eps = {u.split("/", 3)[-1]: e for u, e in d.state.site["endpoints"].items()}
    assert {p: (e["kind"], e["found_by"], e["followed"], e["alive"]) for p, e in eps.items()} == {
        "feed.xml": ("rss", "link_alternate", True, True),
        "atom.xml": ("atom", "link_alternate", True, True),
        "news-sitemap.xml": ("news_sitemap", "robots_sitemap", True, True),
        "sitemap_index.xml": ("sitemap", "robots_sitemap", False, True),
    }
    assert srv.hits["/comments/feed.xml"] == 0  # comment feeds list comments, not stories
    assert srv.hits["/sitemap-posts.xml"] == 0  # the general index was looked at, not followed
    assert d.site["skipped"] == {"feed link comments": 1, "robots sitemap not_http": 1}
    assert {a.purpose for a in d.attempts} == {"discover"}
    assert _paths(a.url for a in d.attempts) == {"", "feed.xml", "atom.xml", "news-sitemap.xml", "sitemap_index.xml"}
    # the validators of every followed endpoint are kept for the next run's conditional GET
    assert all(eps[p]["etag"] for p in ("feed.xml", "atom.xml", "news-sitemap.xml"))
    assert eps["sitemap_index.xml"]["etag"] is None  # never read: its first read will be a full GET


def test_without_robots_sitemaps_the_usual_paths_are_tried(fast: Settings) -> None:
    with TestServer() as srv:
        site = NewsSite(srv)
        site.home("")
        site.robots()
        site.sitemap("/sitemap.xml", ["plain-sitemap-story"])
        site.news_sitemap("/sitemap-news.xml", ["news-sitemap-story"])
        d = _discover(SourceSpec("s", srv.url("/"), "site"), fast)
        assert all(srv.hits[p] == 1 for p in ("/news-sitemap.xml", "/sitemap-news.xml", "/sitemap_index.xml",
                                              "/sitemap.xml"))
    assert d.error is None
    assert _paths(e.url for e in d.entries) == {"news/news-sitemap-story.html"}
    eps = {u.split("/", 3)[-1]: (e["kind"], e["found_by"], e["followed"]) for u, e in d.state.site["endpoints"].items()}
    # the misses (404) were guesses, not findings: not recorded
    assert eps == {"sitemap-news.xml": ("news_sitemap", "well_known_path", True),
                   "sitemap.xml": ("sitemap", "well_known_path", False)}


def test_a_news_child_of_a_sitemap_index_is_preferred(fast: Settings) -> None:
    with TestServer() as srv:
        site = NewsSite(srv)
        site.home("")
        site.sitemap_index("/sitemap_index.xml", ["/post-sitemap.xml", "/news/sitemap-news.xml"])
        site.sitemap("/post-sitemap.xml", ["evergreen-guide-story"])
        site.news_sitemap("/news/sitemap-news.xml", ["breaking-news-story"])
        site.robots(srv.url("/sitemap_index.xml"))
        d = _discover(SourceSpec("s", srv.url("/"), "site"), fast)
        assert srv.hits["/post-sitemap.xml"] == 0
    assert _paths(e.url for e in d.entries) == {"news/breaking-news-story.html"}
    eps = {u.split("/", 3)[-1]: (e["kind"], e["found_by"], e["followed"]) for u, e in d.state.site["endpoints"].items()}
    assert eps == {"sitemap_index.xml": ("sitemap", "robots_sitemap", False),
                   "news/sitemap-news.xml": ("news_sitemap", "sitemap_index", True)}


def test_a_site_with_nothing_to_follow_fails_with_a_reason_and_waits_a_day(fast: Settings) -> None:
    with TestServer() as srv:
        site = NewsSite(srv)
        site.home("")
        site.robots()
        spec = SourceSpec("bare", srv.url("/"), "site")
        d = _discover(spec, fast, now=NOW)
        assert d.error == "no_endpoints" and "no working feed or sitemap" in d.detail
        again = _discover(spec, fast, d.state, now=NOW + timedelta(hours=2))
        assert again.error == "no_endpoints" and srv.hits["/"] == 1  # not looked at again within the day
        _discover(spec, fast, again.state, now=NOW + timedelta(hours=25))
        assert srv.hits["/"] == 2


def test_a_site_on_a_private_address_is_refused_and_the_refusal_logged(tmp_path: Path) -> None:
    with TestServer() as srv:
        _standard(NewsSite(srv))
        summary = _pipeline(tmp_path, [{"name": "local", "url": srv.url("/"), "kind": "site"}], "r1",
                            allow_private_networks=False)
        assert sum(srv.hits.values()) == 0
    assert summary.sources[0]["status"] == "failed" and summary.sources[0]["error"] == "private_address"
    assert _q(tmp_path, "SELECT purpose, error FROM fetch_log") == [("discover", "private_address")]
    assert _q(tmp_path, "SELECT count(*) FROM source_endpoints") == [(0,)]


# --- detection: home page or article ----------------------------------------------------------------


def test_a_home_page_is_detected_as_a_site_and_an_article_stays_a_page(fast: Settings) -> None:
    with TestServer() as srv:
        site = NewsSite(srv)
        _standard(site)
        article = site.article("budget-vote-passes")  # has a feed link too, and og:type article
        d = _discover(SourceSpec("detected", srv.url("/")), fast)
        assert d.kind == "site" and d.state.kind == "site" and d.error is None and len(d.entries) == 4
        assert srv.hits["/"] == 1  # the detection fetch was the look's home page fetch
        page = _discover(SourceSpec("one", article), fast)
        assert page.kind == "page" and len(page.entries) == 1 and page.entries[0].body
        later = _discover(SourceSpec("detected", srv.url("/")), fast, d.state)
        assert later.kind == "site" and srv.hits["/"] == 1  # remembered as a site: not fetched, followed


def test_home_page_rule() -> None:
    url = "https://www.example.com/"
    links = "".join(f'<a href="/world/2026/11/0{i % 9 + 1}/story-about-thing-{i}">s</a>' for i in range(12))
    nav = "".join(f'<a href="/{s}/">{s}</a>' for s in ("world", "sport", "business", "culture") * 5)
    feed = '<link rel="alternate" type="application/rss+xml" href="https://feeds.example.com/rss">'
    assert read_home_page(f"<html><head>{feed}</head><body>x</body></html>".encode(), url).is_home
    assert read_home_page(f"<html><body>{links}</body></html>".encode(), url).is_home
    assert not read_home_page(f"<html><body>{nav}</body></html>".encode(), url).is_home  # sections only
    for meta in ('<meta property="og:type" content="article">',
                 '<meta property="article:published_time" content="2026-11-02T10:30:00Z">',
                 '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle"}]}</script>'):
        page = read_home_page(f"<html><head>{meta}{feed}</head><body>{links}</body></html>".encode(), url)
        assert page.article_evidence and not page.is_home, meta
    # a plain WordPress post: no metadata, the site's feed linked, related stories; its URL is a story's
    post = "https://www.example.com/2026/11/02/council-approves-budget/"
    assert not read_home_page(f"<html><head>{feed}</head><body>{links}</body></html>".encode(), post).is_home
    assert read_home_page(f"<html><head>{feed}</head><body>x</body></html>".encode(), url + "world/").is_home
    # a home page's ItemList of articles does not make it an article
    item_list = ('<script type="application/ld+json">{"@type": "ItemList", "itemListElement": '
                 '[{"@type": "NewsArticle", "url": "/a"}]}</script>')
    assert read_home_page(f"<html><head>{item_list}{feed}</head><body>x</body></html>".encode(), url).is_home
    # links of other sites do not count, <base href> is honoured
    other = links.replace('href="/', 'href="https://other.example/')
    assert not read_home_page(f"<html><body>{other}</body></html>".encode(), url).is_home
    based = read_home_page(b'<html><head><base href="https://www.example.com/en/"><link rel="alternate" '
                           b'type="application/atom+xml" href="atom.xml"></head><body></body></html>', url)
    assert [f.url for f in based.feeds] == ["https://www.example.com/en/atom.xml"]
    feeds = read_home_page(b'<html><head><link rel="alternate" type="application/rss+xml" title="Commentary" '
                           b'href="/opinion.xml"><link rel="alternate" type="application/rss+xml" '
                           b'title="Site &raquo; Comments Feed" href="/feed/x"></head></html>', url)
    assert [f.title for f in feeds.feeds] == ["Commentary"] and feeds.skipped == {"comments": 1}
    assert read_home_page(b"%PDF-1.7 binary", url).error and not read_home_page(b"", url).is_home


def test_same_site() -> None:
    home = "https://www.example.com/"
    assert same_site("https://example.com/feed", home) and same_site("http://feeds.example.com/rss", home)
    assert not same_site("https://evil-example.com/feed", home) and not same_site("https://example.com.evil/", home)
    assert not same_site("https://www.example.com:8443/feed", home)
    assert not same_site("http://127.0.0.1:81/feed", "http://127.0.0.1:80/")
    assert not same_site("file:///etc/passwd", home) and not same_site("http://10.0.0.1/rss", home)


# --- following, through the pipeline ----------------------------------------------------------------


def test_site_through_the_pipeline_then_followed_with_conditional_get(tmp_path: Path) -> None:
    with TestServer() as srv:
        _standard(NewsSite(srv))
        sources = [{"name": "example-news", "url": srv.url("/"), "kind": "site"}]
        first = _pipeline(tmp_path, sources, "r1")
        home_hits = srv.hits["/"]
        second = _pipeline(tmp_path, sources, "r2")
        assert srv.hits["/"] == home_hits == 1  # nothing rediscovered
        assert srv.hits["/sitemap_index.xml"] == 1
    text = first.text()
    assert ("site example-news: 2 feeds, 1 news sitemap, 1 sitemap found (1 sitemap not followed: a news "
            "sitemap is preferred); 2 links skipped (feed link comments 1, robots sitemap not_http 1)") in text
    assert first.sources[0]["new"] == 4 and first.added["articles"] == 4
    assert _q(tmp_path, "SELECT kind FROM sources") == [("site",)]
    rows = _q(tmp_path, "SELECT url, kind, found_by, alive, followed, last_status, last_entries, run_id "
                        "FROM source_endpoints ORDER BY url")
    assert [(r[0].split("/", 3)[-1], *r[1:]) for r in rows] == [
        ("atom.xml", "atom", "link_alternate", True, True, "not_modified", 1, "r2"),
        ("feed.xml", "rss", "link_alternate", True, True, "not_modified", 2, "r2"),
        ("news-sitemap.xml", "news_sitemap", "robots_sitemap", True, True, "not_modified", 2, "r2"),
        ("sitemap_index.xml", "sitemap", "robots_sitemap", True, False, "ok", 0, "r2"),
    ]
    found = _q(tmp_path, "SELECT DISTINCT first_found_at FROM source_endpoints")
    assert len(found) == 1
    assert _q(tmp_path, "SELECT purpose, count(*) FROM fetch_log WHERE run_id = 'r1' GROUP BY 1 ORDER BY 1") == [
        ("discover", 5), ("page", 4), ("robots", 1)]
    # the second run read the three followed endpoints with conditional GET and got 304 for each
    assert _q(tmp_path, "SELECT purpose, status, count(*) FROM fetch_log WHERE run_id = 'r2' GROUP BY 1, 2 "
                        "ORDER BY 1") == [("feed", 304, 3), ("robots", 200, 1)]
    day = found[0][0].astimezone(UTC).date().isoformat()
    assert f"site example-news: following 2 feeds, 1 news sitemap (found {day})" in second.text()
    assert second.sources[0]["not_modified"] and second.added["articles"] == 0
    assert "not modified (HTTP 304)" in second.text()


def test_an_endpoint_that_starts_returning_404_triggers_a_new_look(tmp_path: Path) -> None:
    with TestServer() as srv:
        site = NewsSite(srv)
        _standard(site)
        sources = [{"name": "example-news", "url": srv.url("/"), "kind": "site"}]
        _pipeline(tmp_path, sources, "r1")
        # the site moves its RSS feed: the old URL answers 404, the home page links the new one
        srv.static("/feed.xml", "gone", status=404, content_type="text/plain")
        site.home('<link rel="alternate" type="application/rss+xml" href="/rss/all.xml">'
                  '<link rel="alternate" type="application/atom+xml" href="/atom.xml">')
        site.rss("/rss/all.xml", ["council-leader-resigns"])
        second = _pipeline(tmp_path, sources, "r2")
        assert srv.hits["/"] == 2 and srv.hits["/feed.xml"] == 2  # the 404 is not asked for again
        third = _pipeline(tmp_path, sources, "r3")
        assert srv.hits["/"] == 2 and srv.hits["/feed.xml"] == 2  # nothing failing: no look
    feed = srv.url("/feed.xml")
    assert (f"site example-news: failing: {feed} (http_404); rediscovered: 2 feeds, 1 news sitemap, 1 sitemap "
            "found") in second.text()
    assert second.sources[0]["status"] == "ok" and second.added["articles"] == 1
    assert _q(tmp_path, "SELECT title FROM articles WHERE run_id = 'r2'") == [("Council Leader Resigns",)]
    rows = dict((r[0].split("/", 3)[-1], r[1:]) for r in _q(
        tmp_path, "SELECT url, alive, followed, last_status, first_found_at = last_found_at FROM source_endpoints"))
    assert rows["feed.xml"] == (False, False, "http_404", True)  # found by the first look only
    assert rows["rss/all.xml"] == (True, True, "not_modified", True)  # found by the second
    assert rows["atom.xml"] == (True, True, "not_modified", False)  # found by both
    assert "following 2 feeds, 1 news sitemap" in third.text() and "rediscovered" not in third.text()


def test_daily_look_and_transient_failures_keep_the_endpoints(fast: Settings) -> None:
    with TestServer() as srv:
        site = NewsSite(srv)
        _standard(site)
        spec = SourceSpec("example-news", srv.url("/"), "site")
        d = _discover(spec, fast, now=NOW)
        srv.static("/atom.xml", "busy", status=503, content_type="text/plain")
        later = _discover(spec, fast, d.state, now=NOW + timedelta(hours=23))
        assert srv.hits["/"] == 1 and later.error is None
        atom = later.state.site["endpoints"][srv.url("/atom.xml")]
        assert atom["followed"] and atom["alive"] and atom["last_status"] == "http_503"  # a passing failure
        assert later.site["failed_now"] == [{"url": srv.url("/atom.xml"), "status": "http_503"}]
        _standard(site)
        daily = _discover(spec, fast, later.state, now=NOW + timedelta(hours=25))
        assert srv.hits["/"] == 2 and daily.site["why"] == "daily look"
        assert daily.state.site["endpoints"][srv.url("/atom.xml")]["last_status"] == "not_modified"


# --- hostile sites -------------------------------------------------------------------------------


def test_hostile_home_page(tmp_path: Path) -> None:
    with TestServer() as srv, TestServer() as other:
        site = NewsSite(srv)
        other.static("/feed", "<rss/>", content_type="application/rss+xml")
        links = [f'<link rel="alternate" type="application/rss+xml" href="{h}">' for h in (
            "/",  # the home page itself
            "/loop",  # redirects to the home page
            other.url("/feed"), f"http://localhost:{srv.port}/feed", "http://10.1.2.3/rss",
            "https://evil.example/rss", "javascript:alert(1)", "file:///etc/passwd",
        )]
        links += [f'<link rel="alternate" type="application/rss+xml" href="/f{i}.xml">' for i in range(10_000)]
        site.home("".join(links))
        srv.route("/loop", lambda r: r.send(301, b"", headers={"Location": "/"}))
        for i in range(10):
            site.rss(f"/f{i}.xml", [f"feed-number-{i}-story"])
        site.robots("file:///etc/passwd", "ftp://example.com/sitemap.xml", other.url("/sitemap.xml"))
        sources = [{"name": "hostile", "url": srv.url("/"), "kind": "site"}]
        first = _pipeline(tmp_path, sources, "r1")
        second = _pipeline(tmp_path, sources, "r2")
        assert sum(other.hits.values()) == 0  # no other host was asked for anything
        assert srv.hits["/"] == 2  # the loop home (its "feed" answer) and the first look; no look in r2
        assert sum(n for p, n in srv.hits.items() if p.startswith("/f")) == 2 * (MAX_FEEDS - 1)
    s = first.sources[0]
    assert s["status"] == "ok" and s["new"] == MAX_FEEDS - 1
    skipped = s["site"]["skipped"]
    assert skipped == {"feed link invalid_url": 1, "feed link not_http": 1, "feed link off_site": 4,
                       "feed link over_limit": 10_000 - 4, "feed link self": 1, "robots sitemap invalid_url": 1,
                       "robots sitemap not_http": 1, "robots sitemap off_site": 1}
    assert "advertised but not working" in first.text()
    loop = _q(tmp_path, "SELECT alive, followed, last_status FROM source_endpoints WHERE url LIKE '%/loop'")
    assert loop == [(False, False, "unsupported_content_type")]
    assert _q(tmp_path, "SELECT count(*) FROM fetch_log WHERE url NOT LIKE ?", [srv.url("/") + "%"]) == [(0,)]
    assert second.sources[0]["status"] == "ok" and "following 4 feeds" in second.text()


def test_a_site_behind_basic_auth_is_followed_and_its_credentials_stored_nowhere(tmp_path: Path) -> None:
    import base64
    from urllib.parse import quote

    password = "s3cr3t/p@ss"
    token = base64.b64encode(f"alice:{password}".encode()).decode()
    with TestServer() as srv:
        _standard(NewsSite(srv))
        open_routes = dict(srv.routes)
        for path, route in open_routes.items():
            def guarded(req: Request, route=route) -> None:
                if req.headers.get("Authorization") != f"Basic {token}":
                    req.send(401, b"members only", {"WWW-Authenticate": 'Basic realm="m"'}, "text/plain")
                else:
                    route(req)
            srv.route(path, guarded)
        url = srv.url("/").replace("http://", f"http://alice:{quote(password, safe='')}@")
        summary = _pipeline(tmp_path, [{"name": "members", "url": url, "kind": "site"}], "r1")
    assert summary.sources[0]["status"] == "ok" and summary.added["articles"] == 4
    dump = summary.text() + repr(_q(tmp_path, "SELECT * FROM source_endpoints")) + repr(
        _q(tmp_path, "SELECT * FROM sources")) + repr(_q(tmp_path, "SELECT * FROM fetch_log")) + repr(
        _q(tmp_path, "SELECT metrics FROM ingest_runs"))
    assert "alice" not in dump and password not in dump and quote(password, safe="") not in dump and token not in dump


def test_endpoints_load_is_idempotent(tmp_path: Path) -> None:
    with TestServer() as srv:
        _standard(NewsSite(srv))
        _pipeline(tmp_path, [{"name": "example-news", "url": srv.url("/"), "kind": "site"}], "r1")
    warehouse = tmp_path / "w.duckdb"
    before = _q(tmp_path, "SELECT * FROM source_endpoints ORDER BY url")
    with wh.writer(warehouse) as con:
        cur = con.execute("SELECT * FROM ingest_runs WHERE run_id = 'r1'")
        run_row = dict(zip([c[0] for c in cur.description], cur.fetchone(), strict=True))
        added = wh.load_run(con, tmp_path / "staging" / run_key("r1"), run_row)
    assert added["source_endpoints"] == 0 and added["articles"] == 0
    assert _q(tmp_path, "SELECT * FROM source_endpoints ORDER BY url") == before


def test_kind_site_needs_an_http_url(tmp_path: Path, fast: Settings) -> None:
    from newsdedup.config import ConfigError, parse_sources

    with pytest.raises(ConfigError, match=r"sources\[0\]\.url: must be an http:// or https:// URL \(a site is read"):
        parse_sources({"sources": [{"name": "s", "url": str(tmp_path), "kind": "site"}]})
    assert parse_sources({"sources": [{"name": "s", "url": "https://www.example.org/", "kind": "site"}]}).sources
    with pytest.raises(ConfigError, match="site"):  # the reader refuses it too, whoever built the spec
        _discover(SourceSpec("x", str(tmp_path), "site"), fast)
