"""Sites: follow a news site from its home page (`kind: site`, or a source URL that answers with a
home page rather than an article).

A look at the site finds its endpoints: feeds from the home page's
`<link rel="alternate" type="application/rss+xml|application/atom+xml">`, sitemaps from the
`Sitemap:` lines of its robots.txt or, when it lists none, at the usual paths (WELL_KNOWN_SITEMAPS),
and the news children of a sitemap index. Every endpoint found is read at once with the feed and
sitemap readers of `newsdedup.sources` (the read is the check), so a site yields the entries its
feeds would. A Google News sitemap is preferred over general ones (they list every page, old ones
too); every working feed is followed. All requests go through the run's `Fetcher` (robots rules,
per-host gate, address guard) and are fetch_log rows with purpose "discover".

What was found is kept in `SourceState.site` and followed on later runs, each endpoint with its own
conditional GET (ETag / Last-Modified). The site is looked at again when a followed endpoint that
worked starts failing for good (404/410, not a feed any more, ...), when the last look is a day old,
and on every run until a look has reached the home page.

Home page or article (`read_home_page`, used when a source's kind is omitted): a page is a home page
when it carries no article metadata (og:type article, article:published_time, a JSON-LD article at
the top level or in @graph), its URL does not name one story (a slug, a date or a long id in the
path: a plain WordPress post has no metadata but a slug, and links the site's feed too), and it
either advertises a feed with <link rel=alternate> or links to at least HOME_MIN_ARTICLE_LINKS
article-like pages of its own site.
"""

from __future__ import annotations

import json
import logging
import re
import zlib
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import lxml.html
from lxml import etree

from newsdedup.clean.html import BadInput, to_text
from newsdedup.config import Settings, SourceSpec
from newsdedup.fetch import LATER_ERRORS, Fetcher, FetchResult, gunzip_capped
from newsdedup.record import Entry, FetchAttempt

# The feed and sitemap readers themselves: a site's endpoints are read exactly as configured ones.
from newsdedup.sources import (
    FEED_MAX_BYTES,
    SITEMAP_MAX_BYTES,
    Discovery,
    SourceState,
    _iter_sitemap,
    _kind_from_body,
    _limit,
    _parse_source_body,
)
from newsdedup.urls import canonicalize_url

log = logging.getLogger(__name__)

# <link rel=alternate type=...> values that name a feed we read. Not "application/json": WordPress
# names its REST API so on every page; JSON Feed 1.1 asks for application/feed+json.
FEED_LINK_TYPES = {
    "application/rss+xml": "rss", "application/atom+xml": "atom", "application/rdf+xml": "rss",
    "application/x-rss+xml": "rss", "application/x-atom+xml": "atom", "application/feed+json": "jsonfeed",
}  # fmt: skip
FEED_KINDS = ("rss", "atom", "jsonfeed")
# Tried in this order when robots.txt names no sitemap (news first: they are preferred).
WELL_KNOWN_SITEMAPS = ("/news-sitemap.xml", "/sitemap-news.xml", "/sitemap_index.xml", "/sitemap.xml")
MAX_FEEDS = 5  # feed links read per site, in page order; a home page may list thousands
MAX_SITEMAP_CANDIDATES = 6  # robots.txt Sitemap lines read per look
MAX_INDEX_NEWS_CHILDREN = 2  # news sitemaps taken from a sitemap index's children per look
MAX_FOLLOWED_SITEMAPS = 2  # sitemaps read on every run (news ones when there are any)
MAX_KEPT = 40  # endpoints remembered per site: the followed ones plus the most recently found
MAX_ANCHORS = 5000  # <a> elements looked at when counting article links
HOME_MIN_ARTICLE_LINKS = 10
REDISCOVER_AFTER = timedelta(days=1)
CLOCK_SLACK = timedelta(minutes=5)  # a last look dated further ahead than this: the clock was set back
ENDPOINT_KINDS = (*FEED_KINDS, "sitemap", "news_sitemap")
_NEWS_NS = b"google.com/schemas/sitemap-news/"
# A failure that may pass by itself (the endpoint keeps its place); any other failure is for good.
TRANSIENT_ERRORS = frozenset({"timeout", "connection_error", "dns_temporary", "internal_error", "http_408",
                              "http_429", *LATER_ERRORS})  # fmt: skip
_SLUG = re.compile(r"[^/]*[-_][^/]*[-_][^/]*$")  # a last path segment with two or more word breaks
_DATE_PATH = re.compile(r"/(19|20)\d\d/[01]?\d/")
_LONG_NUMBER = re.compile(r"\d{5,}")
_COMMENTS = re.compile(r"\bcomments?\b", re.I)  # a comments feed ("Commentary" is a section)


# --- the home page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedLink:
    url: str
    kind: str  # rss | atom
    title: str | None = None


@dataclass
class HomePage:
    """What a fetched page says about its site (see `read_home_page`)."""

    url: str
    feeds: list[FeedLink] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # feed links not taken, by reason
    article_evidence: str | None = None  # why the page is an article, when it is one
    story_url: bool = False  # the page's own URL names one story (a slug, a date or a long id)
    article_links: int = 0  # distinct article-like links to other pages of the same site (up to the rule's 10)
    error: str | None = None  # the page could not be parsed (not_html, empty_document, ...)

    @property
    def is_home(self) -> bool:
        """The rule that tells a site's home page from an article (module docstring)."""
        if self.error or self.article_evidence or self.story_url:
            return False
        return bool(self.feeds) or self.article_links >= HOME_MIN_ARTICLE_LINKS


def same_site(url: str, home: str) -> bool:
    """Whether `url` (canonical, http(s)) belongs to the site whose page is `home`: the same host or
    a subdomain of it ("www." aside) on the same port. Other hosts are never fetched for a site."""
    try:
        u, h = urlsplit(url), urlsplit(home)
        uport, hport = u.port, h.port
    except ValueError:
        return False
    if u.scheme not in ("http", "https") or uport != hport:
        return False
    uhost, hhost = (u.hostname or "").lower(), (h.hostname or "").lower()
    if not uhost or not hhost:
        return False
    base = hhost.removeprefix("www.")
    return uhost == hhost or uhost.removeprefix("www.") == base or uhost.endswith("." + base)


def _article_like(path: str) -> bool:
    """A link path that names one story: a slug, a date in the path, or a long id."""
    path = path.rstrip("/")
    return bool(_SLUG.search(path) or _DATE_PATH.search(path + "/") or _LONG_NUMBER.search(path))


def _ld_top_types(text: str) -> list[str]:
    """The @types of a JSON-LD block's top-level objects and @graph members (not of list items:
    a home page's ItemList of NewsArticles does not make it an article)."""
    try:
        data = json.loads(text.strip().removeprefix("<!--").removesuffix("-->"))
    except (ValueError, RecursionError):
        return []
    objs = data if isinstance(data, list) else [data]
    out = []
    for obj in objs[:50]:
        if not isinstance(obj, dict):
            continue
        graph = obj.get("@graph")
        members = [obj, *(g for g in graph if isinstance(g, dict))] if isinstance(graph, list) else [obj]
        for m in members[:50]:
            t = m.get("@type")
            for name in ([t] if isinstance(t, str) else t if isinstance(t, list) else []):
                if isinstance(name, str):
                    out.append(name.lower().rsplit("/", 1)[-1])
    return out


_ARTICLE_LD = frozenset({
    "newsarticle", "article", "blogposting", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "reviewnewsarticle", "backgroundnewsarticle", "liveblogposting", "askpublicnewsarticle", "satiricalarticle",
})  # fmt: skip


# libxml2's HTML parser recovers from anything; its own nesting cap stays on.
_PARSER = lxml.html.HTMLParser(collect_ids=False, remove_comments=True, remove_pis=True, encoding="utf-8")


def read_home_page(body: bytes, url: str, content_type: str | None = None) -> HomePage:
    """Read a fetched HTML page as a possible home page: its same-site feed links (at most MAX_FEEDS,
    page order, each other link counted in `skipped` by reason), its article metadata and its
    article-like links. Never raises for what the page contains."""
    try:
        page_url = canonicalize_url(url)
    except ValueError:
        return HomePage(url=url, error="invalid_url")
    page = HomePage(url=page_url, story_url=_article_like(urlsplit(page_url).path))
    try:
        # The clean step's checks and decoder; no <body> is needed here (a page of links still names its feeds).
        root = lxml.html.document_fromstring(to_text(body, content_type).encode("utf-8", "surrogatepass"),
                                             parser=_PARSER)
    except BadInput as exc:
        page.error = exc.reason
        return page
    except (etree.ParserError, ValueError, UnicodeError):
        page.error = "not_html"
        return page
    base = page_url
    for node in root.iter("base"):
        href = node.get("href")
        if href:
            try:
                candidate = canonicalize_url(href, page_url)
            except ValueError:
                candidate = ""
            if candidate.startswith(("http://", "https://")):
                base = candidate
        break
    skipped: Counter[str] = Counter()
    seen: set[str] = set()
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = FEED_LINK_TYPES.get((link.get("type") or "").split(";", 1)[0].strip().lower())
        if "alternate" not in rel or kind is None:
            continue
        if len(page.feeds) >= MAX_FEEDS:
            skipped["over_limit"] += 1  # not even resolved: a page may list thousands
            continue
        href = (link.get("href") or "").strip()
        title = (link.get("title") or "").strip()[:200] or None
        reason = None
        feed_url = ""
        if not href:
            reason = "no_href"
        else:
            try:
                feed_url = canonicalize_url(href, base)
            except ValueError:
                reason = "invalid_url"
        if reason is None:
            if not feed_url.startswith(("http://", "https://")):
                reason = "not_http"
            elif not same_site(feed_url, page_url):
                reason = "off_site"
            elif feed_url == page_url:
                reason = "self"  # a "feed" that is the page itself would loop
            elif _COMMENTS.search(urlsplit(feed_url).path) or _COMMENTS.search(title or ""):
                # Comment feeds list comments, not stories (trafilatura's feed finder skips them too).
                reason = "comments"
            elif feed_url in seen:
                reason = "duplicate"
        if reason:
            skipped[reason] += 1
            continue
        seen.add(feed_url)
        page.feeds.append(FeedLink(feed_url, kind, title))
    page.skipped = dict(sorted(skipped.items()))
    page.article_evidence = _article_evidence(root)
    links: set[str] = set()
    for n, a in enumerate(root.iter("a")):
        if n >= MAX_ANCHORS:
            break
        href = a.get("href")
        if not href:
            continue
        try:
            target = canonicalize_url(href, base)
        except ValueError:
            continue
        if target != page_url and same_site(target, page_url) and _article_like(urlsplit(target).path):
            links.add(target)
            if len(links) >= HOME_MIN_ARTICLE_LINKS:
                break  # enough to tell a home page
    page.article_links = len(links)
    return page


def _article_evidence(root: Any) -> str | None:
    for node in root.iter("meta"):
        key = (node.get("property") or node.get("name") or "").strip().lower()
        content = (node.get("content") or "").strip().lower()
        if key == "og:type" and content.startswith("article"):
            return "og:type article"
        if key == "article:published_time" and content:
            return "article:published_time"
    for script in root.iter("script"):
        if "ld+json" in (script.get("type") or "").lower() and script.text:
            types = [t for t in _ld_top_types(script.text[:1_000_000]) if t in _ARTICLE_LD]
            if types:
                return f"JSON-LD {types[0]}"
    return None


# --- what a site remembers ------------------------------------------------------------------------


@dataclass
class Endpoint:
    """One feed or sitemap of a site, as remembered between runs (a `source_endpoints` row)."""

    url: str
    kind: str  # rss | atom | sitemap | news_sitemap
    found_by: str  # link_alternate | robots_sitemap | well_known_path | sitemap_index
    first_found: str  # ISO times
    last_found: str
    last_checked: str | None = None
    last_status: str | None = None  # ok | not_modified | an error class (http_404, malformed_feed, ...)
    alive: bool = False  # its last read worked (a passing failure such as a timeout does not change it)
    followed: bool = False  # read on every run
    etag: str | None = None
    last_modified: str | None = None
    children: dict[str, Any] = field(default_factory=dict)  # a sitemap index's per-child validators
    last_entries: int = 0

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Endpoint:
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


@dataclass
class SiteState:
    """`SourceState.site`: the site's home page, when it was last looked at, and what was found."""

    home: str | None = None
    discovered_at: str | None = None  # the last look that reached the home page
    endpoints: dict[str, Endpoint] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"home": self.home, "discovered_at": self.discovered_at,
                "endpoints": {u: asdict(e) for u, e in self.endpoints.items()}}  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> SiteState:
        data = data or {}
        eps = data.get("endpoints") or {}
        return cls(home=data.get("home"), discovered_at=data.get("discovered_at"),
                   endpoints={u: Endpoint.from_dict(e) for u, e in eps.items() if isinstance(e, dict)})  # fmt: skip


def _noun(kind: str, n: int) -> str:
    word = {"rss": "feed", "atom": "feed", "jsonfeed": "feed", "news_sitemap": "news sitemap"}.get(kind, kind)
    return f"{n} {word}{'s' if n != 1 else ''}"


def _group(kind: str) -> str:
    return "feed" if kind in FEED_KINDS else kind


def counts_phrase(counts: dict[str, int]) -> str:
    """'2 feeds, 1 news sitemap' for endpoint counts by kind group (feed, news_sitemap, sitemap)."""
    parts = [_noun(k, counts[k]) for k in ("feed", "news_sitemap", "sitemap") if counts.get(k)]
    return ", ".join(parts) or "no feeds or sitemaps"


def permanent(status: str | None) -> bool:
    """Whether an endpoint's failure is for good (404, 410, not a feed, ...), not a passing one."""
    if status in (None, "ok", "not_modified") or status in TRANSIENT_ERRORS:
        return False
    return not (status.startswith("http_5") and status[5:].isdigit())


# --- one run over a site --------------------------------------------------------------------------


@dataclass
class _Read:
    """One endpoint read this run: the fetch and what the feed or sitemap reader made of it."""

    status: str  # ok | not_modified | an error class | "fetched" (body kept, not parsed yet)
    kind: str | None = None
    entries: list[Entry] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    children: dict[str, Any] = field(default_factory=dict)
    news_children: list[str] = field(default_factory=list)
    detail: str | None = None
    res: FetchResult | None = None  # the response until it is parsed
    parsed: bool = False  # entries and validators come from a parse (not only a 304 or a probe)

    @property
    def ok(self) -> bool:
        return self.status in ("ok", "not_modified", "fetched")


def endpoint_kind(body: bytes) -> str | None:
    """rss, atom, sitemap or news_sitemap from a body's first bytes (gzip is looked into)."""
    head = body[:65536]
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(47).decompress(body[:65536], 65536)
        except zlib.error:
            return None
    kind = _kind_from_body(head)
    if kind == "sitemap" and _NEWS_NS in head:
        return "news_sitemap"
    return kind if kind in ENDPOINT_KINDS else None


def _site_root(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


class _SiteRun:
    """One run over a site: every endpoint is fetched at most once, every attempt kept."""

    def __init__(self, spec: SourceSpec, settings: Settings, fetcher: Fetcher, limit: int, now: datetime) -> None:
        self.spec, self.settings, self.fetcher, self.limit, self.now = spec, settings, fetcher, limit, now
        self.at = now.isoformat()
        self.attempts: list[FetchAttempt] = []
        self.reads: dict[str, _Read] = {}
        self.report: dict[str, Any] = {"looked": False, "why": None, "look_error": None, "found": {},
                                       "not_working": 0, "not_followed": {}, "skipped": {}, "failing": []}

    def _tag(self, attempts: list[FetchAttempt], purpose: str) -> None:
        for a in attempts:
            a.purpose = purpose
        self.attempts += attempts

    def fetch(self, url: str, hint: str, ep: Endpoint | None, purpose: str) -> _Read:
        """Fetch one endpoint (once per run) with its conditional GET and tell its kind from the body."""
        if url in self.reads:
            return self.reads[url]
        res = self.fetcher.fetch(url, accept="feed", etag=ep.etag if ep else None,
                                 last_modified=ep.last_modified if ep else None,
                                 max_bytes=max(self.settings.max_bytes, FEED_MAX_BYTES))  # fmt: skip
        self._tag(res.attempts, purpose)
        if res.not_modified and ep is not None:
            # 304: nothing to parse; keep the validators sent (some servers omit them on 304)
            r = _Read(status="not_modified", kind=ep.kind, etag=res.etag or ep.etag,
                      last_modified=res.last_modified or ep.last_modified, children=dict(ep.children),
                      parsed=True)  # fmt: skip
        elif res.error or res.body is None:
            r = _Read(status=res.error or "no_body", detail=res.detail)
            log.info("site %s: %s %s failed: %s %s", self.spec.name, hint, url, r.status, r.detail or "")
        else:
            r = _Read(status="fetched", kind=endpoint_kind(res.body) or hint, res=res)
            if r.kind == "sitemap" and purpose == "discover":
                root, items, _, _ = _iter_sitemap(_gunzipped(res.body), res.content_type)
                if root == "sitemapindex":  # its news children are candidates of their own
                    r.news_children = [it["loc"] for it in items if "news" in it["loc"].lower()]
        self.reads[url] = r
        return r

    def parse(self, url: str, r: _Read, ep: Endpoint | None, purpose: str) -> _Read:
        """Read a fetched feed or sitemap with the reader a configured one gets (index children too)."""
        if r.status != "fetched" or r.res is None:
            return r
        reader_kind = "sitemap" if r.kind == "news_sitemap" else r.kind
        sub = SourceSpec(self.spec.name, url, reader_kind, dict(self.spec.options))
        old = SourceState(etag=ep.etag if ep else None, children=dict(ep.children) if ep else {})
        d = _parse_source_body(sub, self.settings, self.fetcher, reader_kind, r.res, old, self.limit, self.now,
                               Discovery(kind=reader_kind or "unknown", state=old))  # fmt: skip
        self._tag(d.attempts, purpose)  # a sitemap index's children
        r.res, r.parsed = None, True
        if d.error:
            r.status, r.detail = d.error, d.detail
            log.info("site %s: %s %s unreadable: %s %s", self.spec.name, r.kind, url, r.status, r.detail or "")
        else:
            r.status, r.entries = "ok", d.entries
            r.etag, r.last_modified, r.children = d.state.etag, d.state.last_modified, d.state.children
        return r

    def read(self, url: str, hint: str, ep: Endpoint | None, purpose: str) -> _Read:
        return self.parse(url, self.fetch(url, hint, ep, purpose), ep, purpose)

    def apply(self, ep: Endpoint, r: _Read) -> None:
        """Record a read on the endpoint: status, validators, and whether it works."""
        ep.last_checked, ep.last_status = self.at, "ok" if r.status == "fetched" else r.status
        if r.ok:
            ep.alive = True
            ep.kind = r.kind or ep.kind
            if r.parsed:
                ep.etag, ep.last_modified, ep.children = r.etag, r.last_modified, r.children
                if r.status == "ok":
                    ep.last_entries = len(r.entries)
            else:
                # found but not read (not followed): its first read must be a full GET
                ep.etag = ep.last_modified = None
                ep.children = {}
                r.res = None
        elif permanent(r.status):
            ep.alive = False

    def look(self, site: SiteState, home: FetchResult | None, why: str) -> None:
        """Find the site's endpoints, check each once, choose the ones to follow and read them."""
        self.report.update(looked=True, why=why)
        if home is None:
            home = self.fetcher.fetch(self.spec.url, accept="html")
        self._tag(home.attempts, "discover")  # a detected home page: the detection fetch was the look's
        if home.error or home.body is None:
            self.report["look_error"] = f"home page {home.error or 'empty'}"
            log.warning("site %s: home page %s failed: %s %s", self.spec.name, _shown(home.url), home.error,
                        home.detail or "")
            return
        page = read_home_page(home.body, home.final_url or home.url, home.content_type)
        home_url = page.url
        skipped: Counter[str] = Counter({f"feed link {k}": v for k, v in page.skipped.items()})
        candidates: list[tuple[str, str, str]] = [(f.url, f.kind, "link_alternate") for f in page.feeds]
        sitemaps: list[str] = []
        for line in self.fetcher.robots_sitemaps(home_url):
            try:
                url = canonicalize_url(line, home_url)
            except ValueError:
                skipped["robots sitemap invalid_url"] += 1
                continue
            reason = ("not_http" if not url.startswith(("http://", "https://")) else
                      "off_site" if not same_site(url, home_url) else
                      "duplicate" if url in sitemaps else
                      "over_limit" if len(sitemaps) >= MAX_SITEMAP_CANDIDATES else None)  # fmt: skip
            if reason:
                skipped[f"robots sitemap {reason}"] += 1
            else:
                sitemaps.append(url)
        if sitemaps:
            candidates += [(u, "sitemap", "robots_sitemap") for u in sitemaps]
        else:
            root = _site_root(home_url)
            candidates += [(canonicalize_url(p, root), "sitemap", "well_known_path") for p in WELL_KNOWN_SITEMAPS]
        found: dict[str, Endpoint] = {}
        kept: Counter[str] = Counter()
        index_children = 0
        while candidates:
            url, hint, by = candidates.pop(0)
            if url in found:
                continue
            if url == home_url:
                skipped[f"{'feed link' if by == 'link_alternate' else by.replace('_', ' ')} self"] += 1
                continue
            known = site.endpoints.get(url)
            r = self.fetch(url, hint, known, "discover")
            if r.kind in FEED_KINDS or r.kind is None:
                r = self.parse(url, r, known, "discover")  # every working feed is followed: read it now
            elif r.status == "fetched":
                # Sitemaps are parsed once chosen; bodies beyond what can be followed are not kept.
                kept[r.kind] += 1
                if kept[r.kind] > MAX_FOLLOWED_SITEMAPS:
                    r.res = None
            if by == "well_known_path" and not r.ok:
                continue  # a guess that missed: nothing was found there
            ep = known or Endpoint(url=url, kind=r.kind or hint, found_by=by, first_found=self.at, last_found=self.at)
            ep.last_found = self.at
            found[url] = ep
            for child in r.news_children:
                try:
                    child_url = canonicalize_url(child, url)
                except ValueError:
                    skipped["sitemap index child invalid_url"] += 1
                    continue
                if not same_site(child_url, home_url):
                    skipped["sitemap index child off_site"] += 1
                elif index_children >= MAX_INDEX_NEWS_CHILDREN:
                    skipped["sitemap index child over_limit"] += 1
                elif child_url not in found:
                    index_children += 1
                    candidates.append((child_url, "sitemap", "sitemap_index"))
        for _ in range(3):  # a chosen sitemap that turns out unreadable makes room for the next one
            _choose(found, self.reads)
            chosen = [(u, e) for u, e in found.items() if e.followed and self.reads[u].status == "fetched"]
            if not any(permanent(self.parse(u, self.reads[u], e, "discover").status) for u, e in chosen):
                break
        for url, ep in found.items():
            self.apply(ep, self.reads[url])
        for url, ep in site.endpoints.items():
            if url not in found:
                ep.followed = False  # no longer advertised: kept as history
        site.endpoints.update(found)
        site.home, site.discovered_at = home_url, self.at
        _prune(site)
        usable = [e for e in found.values() if not permanent(e.last_status)]
        self.report["found"] = dict(Counter(_group(e.kind) for e in usable))
        self.report["not_working"] = len(found) - len(usable)
        self.report["not_followed"] = dict(Counter(_group(e.kind) for e in usable if not e.followed))
        self.report["skipped"] = dict(sorted(skipped.items()))

    def read_followed(self, site: SiteState) -> list[Endpoint]:
        """Read every followed endpoint (once per run); return those that worked and now fail for good."""
        failing = []
        for ep in [e for e in site.endpoints.values() if e.followed]:
            was_alive = ep.alive
            if ep.url in self.reads:
                continue  # read by this run's look
            r = self.read(ep.url, ep.kind, ep, "feed")
            self.apply(ep, r)
            if permanent(r.status):
                ep.followed = False
                if was_alive:
                    failing.append(ep)
                    self.report["failing"].append({"url": ep.url, "kind": ep.kind, "status": r.status})
        return failing


def _choose(found: dict[str, Endpoint], reads: dict[str, _Read]) -> None:
    """Follow every usable feed (page order) and the preferred sitemaps: news ones when there are any.
    Usable: it worked, or failed in a way that may pass (tried again next run). A sitemap whose body
    this look did not keep (beyond what can be followed) waits for a later look."""
    usable = []
    for url, e in found.items():
        e.followed = False
        r = reads[url]
        if (r.ok and not (r.status == "fetched" and r.res is None)) or (not r.ok and not permanent(r.status)):
            usable.append((e, r.kind or e.kind))
    for e, _ in [x for x in usable if x[1] in FEED_KINDS][:MAX_FEEDS]:
        e.followed = True
    news = [e for e, k in usable if k == "news_sitemap"]
    for e in (news or [e for e, k in usable if k == "sitemap"])[:MAX_FOLLOWED_SITEMAPS]:
        e.followed = True


def _gunzipped(body: bytes) -> bytes:
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        return gunzip_capped(body, SITEMAP_MAX_BYTES)
    except (ValueError, zlib.error, EOFError):
        return b""


def _prune(site: SiteState) -> None:
    """Keep the followed endpoints and the most recently found others, MAX_KEPT in all."""
    if len(site.endpoints) <= MAX_KEPT:
        return
    ranked = sorted(site.endpoints.values(), key=lambda e: (e.followed, e.last_found, e.first_found), reverse=True)
    site.endpoints = {e.url: e for e in ranked[:MAX_KEPT]}


def _why_look(site: SiteState, now: datetime, detected: bool) -> str | None:
    """Why the site must be looked at this run, or None to follow what was found."""
    if detected or site.discovered_at is None:
        return "first look"  # also after a look that did not reach the home page
    try:
        last = datetime.fromisoformat(site.discovered_at)
    except ValueError:
        return "first look"
    if now - last >= REDISCOVER_AFTER:
        return "daily look"
    if last - now > CLOCK_SLACK:
        # the last look is in the future: the clock ran ahead then, or was set back since. Waiting for
        # `now` to pass it left the site's feeds and sitemaps unlooked-for for as long.
        return "daily look"
    return None


def discover_site(spec: SourceSpec, settings: Settings, fetcher: Fetcher, state: SourceState, limit: int,
                  now: datetime, home: FetchResult | None = None) -> Discovery:  # fmt: skip
    """The entries a site's feeds and sitemaps list now (a `sources.Discovery` of kind "site").

    `home` is the home page when the source's kind was just detected from it (not fetched again).
    """
    site = SiteState.from_dict(state.site)
    run = _SiteRun(spec, settings, fetcher, limit, now)
    why = _why_look(site, now, home is not None)
    if why:
        run.look(site, home, why)
    failing = run.read_followed(site)
    if failing and not run.report["looked"]:
        run.look(site, None, "failing")
        run.read_followed(site)  # what the new look chose (endpoints read during the look are not read again)
    new_state = SourceState(kind="site" if spec.kind is None else None, cursor=dict(state.cursor), site=site.to_dict())
    out = Discovery(kind="site", attempts=run.attempts, state=new_state)
    followed = [e for e in site.endpoints.values() if e.followed]
    reads = [run.reads[e.url] for e in followed if e.url in run.reads]
    out.entries = _limit([x for r in reads if r.status == "ok" for x in r.entries], limit)
    rep = run.report
    rep.update(home=site.home or _shown(spec.url), found_at=site.discovered_at,
               following=dict(Counter(_group(e.kind) for e in followed)),
               failed_now=[{"url": e.url, "status": run.reads[e.url].status} for e in followed
                           if e.url in run.reads and not run.reads[e.url].ok])
    out.site = rep
    if not followed:
        if rep["look_error"] and not site.endpoints:
            first = next((a for a in reversed(run.attempts) if a.error), None)
            out.error = first.error if first else "discovery_failed"
            out.detail = f"{rep['look_error']}: {first.detail if first else ''}".strip(": ")
        else:
            out.error = "no_endpoints"
            out.detail = (f"no working feed or sitemap found on {_shown(spec.url)} (last look {site.discovered_at or 'never'}"
                          f"{', next after a day' if site.discovered_at else ''})")
    elif reads and all(not r.ok for r in reads):
        out.error = "endpoints_failed"
        out.detail = "every followed endpoint failed: " + ", ".join(
            f"{e.url} {run.reads[e.url].status}" for e in followed if e.url in run.reads)
    elif not rep["looked"] and reads and all(r.status == "not_modified" for r in reads):
        out.not_modified = True
        out.detail = f"site's {counts_phrase(rep['following'])} not modified (HTTP 304)"
    return out


def site_line(name: str, rep: dict[str, Any]) -> str:
    """The task log's account of a site source: 'site example-news: 2 feeds, 1 news sitemap found' on
    a look, 'site example-news: following 2 feeds, 1 news sitemap (found 2026-12-03)' on later runs."""
    found_at = (rep.get("found_at") or "")[:10]
    following = f"following {counts_phrase(rep.get('following') or {})}" + (f" (found {found_at})" if found_at else "")
    parts = []
    if rep.get("failing"):
        parts.append("failing: " + ", ".join(f"{f['url']} ({f['status']})" for f in rep["failing"]))
    if not rep.get("looked"):
        parts.append(following)
    elif rep.get("look_error"):
        parts += [f"{'rediscovery' if found_at else 'discovery'} failed ({rep['look_error']})", following]
    else:
        label = {"first look": "", "daily look": "rediscovered (daily): "}.get(rep.get("why") or "", "rediscovered: ")
        text = f"{label}{counts_phrase(rep.get('found') or {})} found"
        if rep.get("not_followed"):
            text += f" ({counts_phrase(rep['not_followed'])} not followed: a news sitemap is preferred)"
        parts.append(text)
        if rep.get("not_working"):
            parts.append(f"{rep['not_working']} advertised but not working")
    if rep.get("failed_now"):
        parts.append(f"{len(rep['failed_now'])} failed this run (" + ", ".join(
            f"{f['url']} {f['status']}" for f in rep["failed_now"]) + ")")
    if rep.get("skipped"):
        n = sum(rep["skipped"].values())
        parts.append(f"{n:,} link{'s' if n != 1 else ''} skipped (" + ", ".join(
            f"{k} {v:,}" for k, v in rep["skipped"].items()) + ")")
    return f"site {name}: " + "; ".join(parts)


def endpoint_rows(source: str, state: dict[str, Any] | None, run_id: str) -> list[dict[str, Any]]:
    """The `source_endpoints` rows of a site source's state (staged by the ingest, loaded by the load)."""
    site = SiteState.from_dict((state or {}).get("site"))
    return [{"source": source, "url": e.url, "kind": e.kind, "found_by": e.found_by,
             "first_found_at": _ts(e.first_found), "last_found_at": _ts(e.last_found),
             "last_checked_at": _ts(e.last_checked), "last_status": e.last_status, "alive": e.alive,
             "followed": e.followed, "last_entries": e.last_entries, "run_id": run_id}
            for e in sorted(site.endpoints.values(), key=lambda e: e.url)]  # fmt: skip


def _shown(url: str) -> str:
    """A URL as logs and summaries show it: canonical, so without user:password."""
    try:
        return canonicalize_url(url)
    except ValueError:
        return "(invalid URL)"


def _ts(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


__all__ = ["Endpoint", "FeedLink", "HomePage", "SiteState", "counts_phrase", "discover_site", "endpoint_rows",
           "read_home_page", "same_site", "site_line"]
