"""Property-based tests (hypothesis) for the home-page link parser (`discovery.read_home_page`), which
reads untrusted pages: whatever a page holds, no exception escapes, every feed it returns is an
http(s) URL of the page's own site (never the page itself), at most MAX_FEEDS of them, each once, and
every other feed link is counted under a reason."""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsdedup.discovery import FEED_KINDS, FEED_LINK_TYPES, MAX_FEEDS, read_home_page, same_site

PROPS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PAGE = "https://www.example.com/"

# Text without surrogates or control characters: the structured documents must parse as written.
text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
hrefs = st.one_of(
    text,
    st.sampled_from(["/", "/feed", "feed.xml", "//www.example.com/rss", "https://example.com/atom.xml",
                     "http://feeds.example.com/rss", "https://www.example.com:8443/rss", "https://evil.example/rss",
                     "http://10.0.0.1/rss", "http://127.0.0.1/rss", "javascript:alert(1)", "file:///etc/passwd",
                     "ftp://www.example.com/rss", "data:text/xml,<rss/>", "http://[::1", "http://[", "https://",
                     "/comments/feed", "https://www.example.com/#top", "?page=2", "", " ", "\u2028/feed"]),
    st.builds(lambda a, b: f"/{a}/{b}.xml", text, text),
)
rels = st.sampled_from(["alternate", "ALTERNATE", "alternate home", "stylesheet alternate", "canonical",
                        "alternative", "", "alternate\tfeed"])
types = st.sampled_from([*FEED_LINK_TYPES, "APPLICATION/RSS+XML", "application/atom+xml; charset=utf-8",
                         " application/rss+xml ", "application/feed+json", "text/html", "", "rss"])
links = st.tuples(rels, types, hrefs, st.none() | text)
anchors = st.lists(hrefs, max_size=30)
metas = st.lists(st.sampled_from([
    '<meta property="og:type" content="article">', '<meta property="og:type" content="website">',
    '<meta property="article:published_time" content="2026-11-02">',
    '<script type="application/ld+json">{"@type": "NewsArticle"}</script>',
    '<script type="application/ld+json">{"@type": ["WebSite"], "@graph": "x"}</script>',
    '<script type="application/ld+json">[{"@graph": [{"@type": 7}, null]}]</script>',
    '<script type="application/ld+json">{{{ not json</script>', '<base href="/en/">', '<base href="javascript:x">',
]), max_size=3)


def _document(link_list: list[tuple[str, str, str, str | None]], anchor_list: list[str], meta_list: list[str],
              body: str) -> bytes:  # fmt: skip
    head = "".join(meta_list)
    for rel, typ, href, title in link_list:
        t = f' title="{escape(title)}"' if title is not None else ""
        head += f'<link rel="{escape(rel)}" type="{escape(typ)}" href="{escape(href)}"{t}>'
    a = "".join(f'<a href="{escape(h)}">x</a>' for h in anchor_list)
    return f"<!DOCTYPE html><html><head><title>t</title>{head}</head><body><p>{escape(body)}</p>{a}</body></html>".encode()


def _check(page_url: str, page) -> None:  # type: ignore[no-untyped-def]
    urls = [f.url for f in page.feeds]
    assert len(urls) == len(set(urls)) <= MAX_FEEDS
    for f in page.feeds:
        assert urlsplit(f.url).scheme in ("http", "https") and same_site(f.url, page_url) and f.url != page.url
        assert f.kind in FEED_KINDS
    assert all(isinstance(v, int) and v > 0 for v in page.skipped.values())
    assert page.article_links >= 0
    assert not (page.is_home and page.article_evidence)


@PROPS
@given(st.lists(links, max_size=25), anchors, metas, text)
@example([("alternate", "application/rss+xml", "/feed", None)] * (MAX_FEEDS + 3), [], [], "")
@example([("alternate", "application/rss+xml", "/", "Comments")], ["/a-b-c"] * 20, [], "")
def test_feed_links_are_same_site_bounded_and_every_one_accounted_for(link_list, anchor_list, meta_list, body) -> None:
    page = read_home_page(_document(link_list, anchor_list, meta_list, body), PAGE)
    assert page.error is None
    _check(PAGE, page)
    feed_links = sum(1 for rel, typ, _h, _t in link_list
                     if "alternate" in rel.lower().split() and typ.split(";")[0].strip().lower() in FEED_LINK_TYPES)
    assert len(page.feeds) + sum(page.skipped.values()) == feed_links
    if '<meta property="og:type" content="article">' in meta_list:
        assert not page.is_home


@PROPS
@given(st.one_of(st.binary(max_size=3000),
                 st.lists(st.one_of(text, st.sampled_from(["<link rel=alternate type=application/rss+xml href=",
                                                            "<a href=", "<base href=", ">", '"', "'", "<!--", "\x00",
                                                            "<script type=application/ld+json>", "</", "&#0;"])),
                          max_size=60).map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass"))),
       st.sampled_from([PAGE, "http://127.0.0.1:8765/", "https://xn--bcher-kva.example/news/", "not a url"]),
       st.sampled_from([None, "text/html; charset=utf-8", "text/html; charset=bogus", "application/xml"]))
def test_any_bytes_give_a_page_or_a_reason(body: bytes, url: str, content_type: str | None) -> None:
    page = read_home_page(body, url, content_type)
    if page.error is None:
        _check(page.url, page)
    else:
        assert not page.is_home and not page.feeds
