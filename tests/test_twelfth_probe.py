"""The twelfth attacker probe (session 38): what the web sends (pages, headers, feeds, sitemaps, redirects,
encodings) that the eleven probes before it did not try. Each test of a fix failed on the code before it;
the `test_held_*` ones record what held. Network tests run against real servers on 127.0.0.1."""

from __future__ import annotations

import gzip
import json
import logging
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fetch"))

from local_server import ARTICLE, STORY_TEXTS, TestServer, pipeline_run  # noqa: E402
from probekit import NOW, SETTINGS  # noqa: E402
from probekit import discover_at as _discover  # noqa: E402

from newsdedup import warehouse as wh  # noqa: E402
from newsdedup.clean import extract  # noqa: E402
from newsdedup.config import SourceSpec  # noqa: E402
from newsdedup.fetch import Fetcher  # noqa: E402
from newsdedup.sources import discover  # noqa: E402

BODY = "".join(f"<p>{t}</p>" for t in STORY_TEXTS[:2])
SM_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _page(head: str, h1: str = "Harbour terminal delayed") -> str:
    return f"<html><head>{head}</head><body><article><h1>{h1}</h1>{BODY}</article></body></html>"


def _urlset(*locs: str, doctype: str = "") -> str:
    urls = "".join(f"<url><loc>{loc}</loc></url>" for loc in locs)
    return f'<?xml version="1.0"?>{doctype}<urlset xmlns="{SM_NS}">{urls}</urlset>'


# --- 1. a relative canonical link is read against the page's <base href> ------------------------------


@pytest.mark.parametrize(("base", "href", "canonical"), [
    # the CMS writes every link relative to the site's root and says so in <base>
    ("https://news.test/", "news/2024/story-1.html", "https://news.test/news/2024/story-1.html"),
    ("/", "news/2024/story-1.html", "https://news.test/news/2024/story-1.html"),
    # a base on another host makes the claim one of another site's (then ignored as other_site)
    ("https://cdn.test/", "story", "https://cdn.test/story"),
    # an absolute claim is what it says, whatever the base
    ("https://cdn.test/", "https://news.test/news/2024/story-1.html", "https://news.test/news/2024/story-1.html"),
])
def test_a_relative_canonical_link_is_read_against_the_pages_base(base: str, href: str, canonical: str) -> None:
    # Before: read against the page's URL, "news/2024/story-1.html" on /news/2024/story-1.html named
    # /news/2024/news/2024/story-1.html, a page the site never had, and that became the article's id.
    html = _page(f'<base href="{base}"><link rel="canonical" href="{href}">')
    assert extract(html, "https://news.test/news/2024/story-1.html").canonical_url == canonical


@pytest.mark.parametrize("base", ["javascript:alert(1)//", "data:text/html,x"])
def test_a_relative_canonical_link_under_a_base_no_web_link_can_follow_names_nothing(base: str) -> None:
    # A browser cannot resolve "story" against a javascript: base: no canonical. Before: /amp/story, a
    # URL neither the page nor its base named.
    html = _page(f'<base href="{base}"><link rel="canonical" href="story">')
    assert extract(html, "https://news.test/amp/story-1").canonical_url == "https://news.test/amp/story-1"


# --- 2. control characters in a JSON-LD headline or byline are not stored ------------------------------


def test_control_characters_from_json_ld_are_not_stored_in_title_or_authors() -> None:
    # JSON escapes what no HTML text holds: "\u0000", "\u001b[2J" (clear the screen of whoever prints the
    # title with the duckdb CLI or a BI tool's export). Before: stored as they came.
    ld = json.dumps({"@type": "NewsArticle", "headline": "Harbour\u0000 terminal \u0007delayed\u001b again\u009b",
                     "author": [{"name": "Ann\u0000 Lee"}, {"name": "Bo\tKim\u007f"}]})
    ex = extract(_page(f'<script type="application/ld+json">{ld}</script>'), "https://news.test/s/1")
    assert ex.title == "Harbour terminal delayed again"
    assert ex.authors == ["Ann Lee", "Bo Kim"]


# --- 3. a feed's or sitemap's title for an entry is stored as a page's title is --------------------------


def test_a_listed_title_carries_no_bidi_override_or_control_into_the_stored_title(
        tmp_path: Path, server: TestServer) -> None:
    # A page without a headline of its own takes its feed entry's title; that title skipped the checks the
    # page's own title gets (eighth probe): U+202E shows "Council teg approves" reversed, ESC redraws.
    page = f"<html><body><article>{BODY}</article></body></html>"
    url = server.static("/story-1", page)
    title = "<![CDATA[Council \u202eteg\u202c approves\x1b[2J]]>"  # a raw ESC: feedparser's loose parser keeps it
    feed = (f'<rss version="2.0"><channel><title>x</title><item><title>{title}</title><link>{url}</link></item>'
            "</channel></rss>")
    server.static("/f.xml", feed, "application/rss+xml")
    pipeline_run(tmp_path, [{"name": "s", "url": server.url("/f.xml")}], "r1")
    rows = wh.query_rows(tmp_path / "w.duckdb", "SELECT title, entry_title FROM articles JOIN raw_pages USING (article_id)")[1]
    assert rows == [("Council teg approves[2J", "Council teg approves[2J")]


def test_a_news_sitemap_title_carries_no_bidi_override(server: TestServer) -> None:
    news = "http://www.google.com/schemas/sitemap-news/0.9"
    sm = (f'<?xml version="1.0"?><urlset xmlns="{SM_NS}" xmlns:news="{news}"><url><loc>{server.url("/a")}</loc>'
          "<news:news><news:title>Council &#x202e;teg approves</news:title></news:news></url></urlset>")
    d = _discover(server.static("/sm.xml", sm, "application/xml"), "sitemap")
    assert d.error is None, d.detail
    assert [e.title for e in d.entries] == ["Council teg approves"]


# --- 4. a bare "&" in a sitemap's <loc> stays in the URL ---------------------------------------------------


def test_a_bare_ampersand_in_a_sitemap_url_stays_in_it(server: TestServer) -> None:
    # Many generators write "?id=5&page=2" unescaped. lxml's recovery dropped "&page" and read
    # "?id=5=2": a URL the site never listed, fetched and stored. A feed's link kept it (feedparser).
    sm = _urlset(server.url("/story?id=5&page=2"), server.url("/story?a=1&amp;b=2"), server.url("/y?a=&#38;b"))
    d = _discover(server.static("/sm.xml", sm, "application/xml"), "sitemap")
    assert d.error is None, d.detail
    assert [e.url for e in d.entries] == [server.url("/story?id=5&page=2"), server.url("/story?a=1&b=2"),
                                          server.url("/y?a=&b")]


def test_html_entities_in_a_sitemap_are_the_characters_they_name(server: TestServer) -> None:
    # A generator escaping with PHP's htmlentities writes "&eacute;" and "&rsquo;", which XML does not know:
    # lxml dropped the first and everything after it in the element, so "/caf&eacute;" listed "/caf" (another
    # page) and "Mayor&rsquo;s caf&eacute; plan" titled the entry "Mayor". An unknown name goes alone.
    news = "http://www.google.com/schemas/sitemap-news/0.9"
    sm = (f'<?xml version="1.0"?><urlset xmlns="{SM_NS}" xmlns:news="{news}"><url><loc>{server.url("/caf&eacute;")}'
          "</loc><news:news><news:title>Mayor&rsquo;s caf&eacute; plan &amp; &nosuch; more</news:title></news:news>"
          "</url></urlset>")
    d = _discover(server.static("/sm.xml", sm, "application/xml"), "sitemap")
    assert d.error is None, d.detail
    assert [(e.url, e.title) for e in d.entries] == [(server.url("/caf%C3%A9"), "Mayor\u2019s caf\u00e9 plan & more")]


def test_an_ampersand_inside_a_sitemaps_cdata_is_the_character_as_written(server: TestServer) -> None:
    # Review of the entity fix: a CDATA section's "&" is the character as written, no reference. Rewritten
    # to "&amp;" there, `<loc><![CDATA[/a?x=1&y=2]]></loc>` listed "/a?x=1&amp;y=2", a URL the site never had.
    sm = (f'<?xml version="1.0"?><urlset xmlns="{SM_NS}"><url><loc><![CDATA[{server.url("/a")}?x=1&y=2]]></loc>'
          f"</url><url><loc>{server.url('/b')}?x=1&amp;y=2</loc></url></urlset>")
    d = _discover(server.static("/sm.xml", sm, "application/xml"), "sitemap")
    assert d.error is None, d.detail
    assert [e.url for e in d.entries] == [server.url("/a") + "?x=1&y=2", server.url("/b") + "?x=1&y=2"]

# --- 5. a sitemap's DTD cannot stop its reading --------------------------------------------------------


LAUGHS = '<!ENTITY a "aaaaaaaaaa">' + "".join(
    f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9))


@pytest.mark.parametrize(("subset", "ref"), [(LAUGHS, "&j;"), ('<!ENTITY a "&b;"><!ENTITY b "&a;">', "&a;")])
def test_a_sitemap_whose_dtd_declares_an_entity_bomb_still_lists_every_url(server: TestServer, subset: str,
                                                                           ref: str) -> None:
    # Entities were not expanded, but lxml stopped at the first reference past its amplification limit (or
    # in a loop), and the URLs after it were lost without a word. The internal subset goes, as a feed's does.
    sm = _urlset(server.url("/1"), server.url("/2") + "?x=" + ref, server.url("/3"), doctype=f"<!DOCTYPE urlset [{subset}]>")
    d = _discover(server.static("/sm.xml", sm, "application/xml"), "sitemap")
    assert d.error is None, d.detail
    assert [e.url for e in d.entries] == [server.url("/1"), server.url("/2") + "?x=", server.url("/3")]


# --- 6. a sitemap broken part-way says it was read only in part -----------------------------------------


@pytest.mark.parametrize("broken", ["</urlset><urlset>", "<url <<<>"])
def test_a_sitemap_broken_part_way_is_read_up_to_the_break_and_says_so(
        server: TestServer, broken: str, caplog: pytest.LogCaptureFixture) -> None:
    # Before: the URLs after the break were lost and the read counted as a whole one, with no log line.
    sm = _urlset(server.url("/1"), server.url("/2")).replace("</urlset>", f"{broken}<url><loc>{server.url('/3')}</loc></url></urlset>")
    with caplog.at_level(logging.WARNING, logger="newsdedup.sources"):
        d = _discover(server.static("/sm.xml", sm, "application/xml"), "sitemap")
    assert d.error is None, d.detail
    assert [e.url for e in d.entries][:2] == [server.url("/1"), server.url("/2")]
    said = [r.getMessage() for r in caplog.records if "read only in part" in r.getMessage()]
    assert said and "line 1" in said[0], [r.getMessage() for r in caplog.records]


# --- 7. a sitemap index nested past the depth followed says so -------------------------------------------


def _index(*locs: str, lastmods: tuple[str, ...] = ()) -> str:
    dates = list(lastmods) + [""] * (len(locs) - len(lastmods))
    kids = "".join(f"<sitemap><loc>{loc}</loc>{f'<lastmod>{d}</lastmod>' if d else ''}</sitemap>"
                   for loc, d in zip(locs, dates, strict=True))
    return f'<?xml version="1.0"?><sitemapindex xmlns="{SM_NS}">{kids}</sitemapindex>'


def test_a_sitemap_index_nested_past_the_depth_followed_is_a_logged_skip(
        server: TestServer, caplog: pytest.LogCaptureFixture) -> None:
    # An index of indexes of indexes: the third level was read, found to be an index, and dropped without a
    # word; its state was kept as if read (its validators sent next time, a 304 hiding it for good).
    server.static("/i0.xml", _index(server.url("/i1.xml")), "application/xml")
    server.static("/i1.xml", _index(server.url("/i2.xml")), "application/xml")
    server.static("/i2.xml", _index(server.url("/leaf.xml")), "application/xml")
    server.static("/leaf.xml", _urlset(server.url("/story")), "application/xml")
    with caplog.at_level(logging.WARNING, logger="newsdedup.sources"):
        d = _discover(server.url("/i0.xml"), "sitemap")
    assert d.error is None and d.entries == []
    said = [r.getMessage() for r in caplog.records if server.url("/i2.xml") in r.getMessage()]
    assert said and "nested" in said[0] and "1 child sitemap" in said[0], [r.getMessage() for r in caplog.records]
    assert server.url("/i2.xml") not in d.state.children


# --- 8. the children of a big sitemap index are read in turn -----------------------------------------------


def test_children_past_the_per_run_budget_are_read_by_later_runs(server: TestServer) -> None:
    # 30 monthly children without <lastmod>, oldest first: each run read the same first 20 (the log said "the
    # rest wait"), and the newest ten months were never read.
    kids = [server.url(f"/m{i}.xml") for i in range(30)]
    for i in range(30):
        server.static(f"/m{i}.xml", _urlset(server.url(f"/s{i}")), "application/xml")
    index = server.static("/index.xml", _index(*kids), "application/xml")
    read: set[str] = set()
    state = None
    for _ in range(2):
        with Fetcher(SETTINGS) as f:
            d = discover(SourceSpec("probe", index, "sitemap"), SETTINGS, f, state=state, now=NOW)
        assert d.error is None, d.detail
        read |= {e.url for e in d.entries}
        state = d.state
    assert read == {server.url(f"/s{i}") for i in range(30)}
    assert all(server.hits[f"/m{i}.xml"] >= 1 for i in range(30))


def test_dated_children_past_the_per_run_budget_are_read_by_the_next_run(server: TestServer) -> None:
    # 25 children dated yesterday: every run read the same 20 newest and never the other 5. Those read since
    # their <lastmod> now come after the ones not read yet.
    kids = [server.url(f"/d{i}.xml") for i in range(25)]
    for i in range(25):
        server.static(f"/d{i}.xml", _urlset(server.url(f"/t{i}")), "application/xml")
    dates = tuple(f"2024-05-09T{i % 24:02d}:{i // 24:02d}:00Z" for i in range(25))
    index = server.static("/index.xml", _index(*kids, lastmods=dates), "application/xml")
    state = None
    for _ in range(2):
        with Fetcher(SETTINGS) as f:
            d = discover(SourceSpec("probe", index, "sitemap"), SETTINGS, f, state=state, now=NOW)
        assert d.error is None, d.detail
        state = d.state
    assert all(server.hits[f"/d{i}.xml"] >= 1 for i in range(25))
    assert len(state.children) == 25


# --- 9. a feed item linking to the site's home page is no article of it ------------------------------------


def test_feed_items_linking_to_the_home_page_are_read_at_their_permalink_or_skipped(
        server: TestServer, caplog: pytest.LogCaptureFixture) -> None:
    # A feed template that links every item to "/" and names the story in <guid isPermaLink="true">: the
    # items were one entry, the home page (stored as an article, then "already known" for every later
    # item), and not one story was read.
    items = "".join(f'<item><title>S{i}</title><link>{server.url("/")}</link>'
                    f'<guid isPermaLink="true">{server.url(f"/story-{i}")}</guid></item>' for i in range(3))
    items += f'<item><title>T</title><link>{server.url("/index.html")}</link><guid>tag:x,1</guid></item>'
    url = server.static("/feed/rss.xml", f'<rss version="2.0"><channel><title>x</title>{items}</channel></rss>',
                        "application/rss+xml")
    with caplog.at_level(logging.WARNING, logger="newsdedup.sources"):
        d = _discover(url)
    assert d.error is None, d.detail
    assert [e.url for e in d.entries] == [server.url(f"/story-{i}") for i in range(3)]
    assert any("1 feed entries skipped" in r.getMessage() and "home page" in r.getMessage() for r in caplog.records)


# --- 10. a text sitemap with old Mac line ends ------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sitemap", None])
def test_a_text_sitemap_whose_lines_end_in_a_carriage_return_alone_is_read(server: TestServer, kind: str | None) -> None:
    # A URL list saved by a spreadsheet's "CSV (Macintosh)" ends its lines in CR alone. It was one line, and the
    # source failed with "1 of its 1 non-blank lines are not an absolute http(s) URL" (without a kind: "cannot
    # tell what it is").
    body = "".join(f"{server.url(f'/story-{i}')}\r" for i in range(3))
    d = _discover(server.static("/urls.txt", body, "text/plain"), kind)
    assert d.error is None, d.detail
    assert [e.url for e in d.entries] == [server.url(f"/story-{i}") for i in range(3)]


# --- 11. a meta refresh stub's relative URL is read against its <base href> -------------------------------


def test_a_meta_refresh_stubs_relative_url_is_read_against_its_base(server: TestServer) -> None:
    # A stub at /go?id=1 with <base href="/en/"> sends browsers to /en/story-1; we requested /story-1 (a 404
    # here: the story lost as http_404).
    server.static("/en/story-1", ARTICLE.format(t="Council votes"))
    stub = server.static("/go", '<html><head><base href="/en/"><meta http-equiv="refresh" content="0; url=story-1">'
                                "</head><body></body></html>")
    with Fetcher(SETTINGS) as f:
        res = f.fetch(stub + "?id=1")
    assert res.error is None, (res.error, res.detail)
    assert res.final_url == server.url("/en/story-1")


# --- held ---------------------------------------------------------------------------------------------


def test_held_a_sitemap_naming_a_local_file_or_a_network_dtd_reads_neither(server: TestServer) -> None:
    dtd = server.static("/x.dtd", '<!ENTITY x "http://127.0.0.1/evil">', "application/xml-dtd")
    for doctype in ('<!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">]>', f'<!DOCTYPE urlset SYSTEM "{dtd}">',
                    f'<!DOCTYPE urlset [<!ENTITY % p SYSTEM "{dtd}"> %p;]>'):
        sm = _urlset(server.url("/1") + "?&x;", server.url("/2"), doctype=doctype)
        d = _discover(server.static("/sm.xml", sm, "application/xml"), "sitemap")
        assert [e.url for e in d.entries] == [server.url("/1"), server.url("/2")], doctype
        assert "root:" not in json.dumps([e.url for e in d.entries])
    assert server.hits["/x.dtd"] == 0


def test_held_a_redirect_or_refresh_carrying_credentials_sends_and_records_none(server: TestServer) -> None:
    sent: list[str | None] = []

    def story(r) -> None:  # noqa: ANN001 - local_server.Request
        sent.append(r.headers.get("Authorization"))
        r.send(200, ARTICLE.format(t="Council votes").encode())

    server.route("/story", story)
    target = f"http://admin:secret@127.0.0.1:{server.port}/story"
    server.static("/r", b"", status=302, headers={"Location": target})
    server.static("/m", f'<html><head><meta http-equiv="refresh" content="0; url={target}"></head></html>')
    with Fetcher(SETTINGS) as f:
        results = [f.fetch(server.url(p)) for p in ("/r", "/m")]
    assert sent == [None, None]
    for res in results:
        assert res.error is None and res.final_url == server.url("/story")
        assert "secret" not in repr(res.attempts)


@pytest.mark.parametrize(("coding", "error"), [("br", "unsupported_content_encoding"), ("zstd", "unsupported_content_encoding"),
                                               ("x-unknown", "unsupported_content_encoding"), ("identity, gzip", None)])
def test_held_content_codings_we_never_asked_for_are_named(server: TestServer, coding: str, error: str | None) -> None:
    page = ARTICLE.format(t="Council votes").encode()
    url = server.static("/p", gzip.compress(page), headers={"Content-Encoding": coding})
    with Fetcher(SETTINGS) as f:
        res = f.fetch(url)
    assert res.error == error
    assert len(res.attempts) == 1 and res.attempts[0].error == error
    if error is None:
        assert res.body == page
    else:
        assert coding.split(",")[0] in (res.detail or "")
