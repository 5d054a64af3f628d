"""Title and canonical URL from JSON-LD (@graph), OpenGraph, h1 and <title>."""

from __future__ import annotations

import json

from newsdedup.clean import extract

from .pages import LOREM, article, page


def ld(obj: object) -> str:
    return f"<script type='application/ld+json'>{json.dumps(obj)}</script>"


def test_headline_from_json_ld_graph_not_seo_title() -> None:
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "Example Times"},
        {"@type": "NewsArticle", "headline": "Council approves budget after long debate"},
    ]}
    head = "<title>Council approves budget after long debate | Example Times</title>" + ld(graph)
    ex = extract(page(head, article([LOREM * 3], h1="Council approves budget after long debate")))
    assert ex.title == "Council approves budget after long debate"


def test_og_title_site_suffix_is_stripped() -> None:
    head = ("<meta property='og:site_name' content='Example Times'>"
            "<meta property='og:title' content='Bridge reopens after repairs | Example Times'>")
    ex = extract(page(head, article([LOREM * 3], h1="Bridge reopens after repairs")))
    assert ex.title == "Bridge reopens after repairs"


def test_title_tag_suffix_without_site_name() -> None:
    head = "<title>Bridge reopens after repairs - Example Times</title>"
    ex = extract(page(head, "<div>" + "".join(f"<p>{LOREM}</p>" for _ in range(3)) + "</div>"))
    assert ex.title == "Bridge reopens after repairs"


def test_broken_json_ld_is_tolerated() -> None:
    head = ("<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"headline\": \"Line\nbreak\"}"
            "</script><script type='application/ld+json'>{not json</script>")
    ex = extract(page(head, article([LOREM * 3], h1="Something else")))
    assert ex.title == "Line break" and ex.error is None


def test_canonical_url_resolved_against_page_url() -> None:
    head = "<link rel='canonical' href='/news/budget-approved'>"
    ex = extract(page(head, article([LOREM * 3])), url="https://example.org/news/budget-approved?utm=rss")
    assert ex.canonical_url == "https://example.org/news/budget-approved"


def test_canonical_falls_back_to_og_url_then_page_url() -> None:
    head = "<meta property='og:url' content='https://example.org/a'>"
    assert extract(page(head, article([LOREM * 3])), url="https://x.org/b").canonical_url == "https://example.org/a"
    assert extract(page("", article([LOREM * 3])), url="https://x.org/b").canonical_url == "https://x.org/b"


def test_og_title_without_kicker_wins_over_kicker_headline() -> None:
    # The page shows "Topline: Headline"; the publisher's own og:title is the bare headline.
    head = (ld({"@type": "NewsArticle", "headline": "Old Town: Library reopens after three years"})
            + "<meta property='og:title' content='Library reopens after three years'>")
    body = article([LOREM * 3], h1="Old Town: Library reopens after three years")
    ex = extract(page(head, body))
    assert ex.title == "Library reopens after three years"
    # The visible h1 repeated as the first line of the body is still dropped.
    assert not ex.text.startswith("Old Town")


def test_only_a_tail_naming_the_site_is_cut() -> None:
    # " - und doch wieder nicht" is part of the headline; " | Example Zeitung" names the site.
    head = ("<meta property='og:site_name' content='Example Zeitung'>"
            "<meta property='og:title' content='Bahn fährt wieder - und doch nicht ganz | Example Zeitung'>")
    ex = extract(page(head, "<div>" + "".join(f"<p>{LOREM}</p>" for _ in range(3)) + "</div>"))
    assert ex.title == "Bahn fährt wieder - und doch nicht ganz"


def test_site_tail_recognised_from_the_host_and_byline_tail() -> None:
    head = "<meta property='og:title' content='Bridge reopens after repairs | Example Post | by Carla Example'>"
    ex = extract(page(head, "<div>" + "".join(f"<p>{LOREM}</p>" for _ in range(3)) + "</div>"),
                 url="https://www.examplepost.org/2024/bridge")
    assert ex.title == "Bridge reopens after repairs"


def test_visible_h1_decides_between_seo_and_social_headline() -> None:
    # JSON-LD carries an SEO headline the page never shows; og:title is the article's h1.
    head = (ld({"@type": "NewsArticle", "headline": "100 years at the city stadium: more than a venue"})
            + "<meta property='og:title' content='One hundred years at the stadium: much more than sport'>")
    crumbs = "<nav class='breadcrumb'><h1>Sports</h1></nav>"
    ex = extract(page(head, crumbs + article([LOREM * 3], h1="One hundred years at the stadium: much\u200b more than sport")))
    assert ex.title == "One hundred years at the stadium: much more than sport"


def test_shown_json_ld_headline_stays() -> None:
    # The JSON-LD headline is on the page (h1); a different og:title is a social-media variant.
    head = (ld({"@type": "NewsArticle", "headline": "Bridge reopens after two years of repairs"})
            + "<meta property='og:title' content='You will not believe what happened to the bridge'>")
    ex = extract(page(head, article([LOREM * 3], h1="Bridge reopens after two years of repairs")))
    assert ex.title == "Bridge reopens after two years of repairs"
    # Same words, other quote style: the JSON-LD form stays even when the h1 shows the og form.
    head = (ld({"@type": "NewsArticle", "headline": "Mayor calls budget ‘a fair deal’"})
            + "<meta property='og:title' content=\"Mayor calls budget 'a fair deal'\">")
    ex = extract(page(head, article([LOREM * 3], h1="Mayor calls budget 'a fair deal'")))
    assert ex.title == "Mayor calls budget ‘a fair deal’"


def test_headline_shown_only_in_breadcrumbs_is_not_the_visible_one() -> None:
    # The JSON-LD headline appears only as the last breadcrumb; the story's headline block shows og:title.
    head = (ld({"@type": "NewsArticle", "headline": "Olympics: basketball star impresses as France struggles"})
            + "<meta property='og:title' content='Star impresses, France falters'>")
    body = ("<div class='breadcrumbs'><span>Sport</span><h1>Olympics: basketball star impresses as France "
            "struggles</h1></div><main><article><span class='article__headline'>Star impresses, France falters"
            "</span>" + "".join(f"<p>{LOREM}</p>" for _ in range(3)) + "</article></main>")
    assert extract(page(head, body)).title == "Star impresses, France falters"
