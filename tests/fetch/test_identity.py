"""Whose article is it: a page's rel=canonical / og:url is a claim, not a fact.

A page on site A that names site B's article as its canonical (or its og:url) must not take B's
article id: it would hide B's own page ("already seen", never fetched), or be dropped itself as a
copy of B without anyone comparing the texts. A claim is trusted only for the page's own site (same
registrable domain, or the same IP address); a site root named by a story page (a common CMS bug)
and an unparsable claim are ignored. Real servers on 127.0.0.1 (site A) and 127.0.0.2 (site B).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from local_server import TestServer
from local_server import pipeline_run as _run
from local_server import stored_articles as _articles

from newsdedup import warehouse as wh
from newsdedup.urls import url_id

VICTIM_TEXT = ("The harbour authority said on Monday that the new container terminal would open in the spring, "
               "two years later than first planned, after a dispute with the construction company over the "
               "cost of dredging the approach channel. Shipping lines had been told to expect the delay.")
FAKE_TEXT = ("A regional bakery chain announced on Thursday that it would close eleven of its shops before the "
             "end of the year, blaming the rising price of flour and energy. The company said staff would be "
             "offered jobs at its remaining branches, and that no bread recipes would change.")


def _page(title: str, text: str, head: str = "") -> bytes:
    paras = "".join(f"<p>{s.strip()}.</p>" for s in text.split(".") if s.strip())
    return (f"<html lang='en'><head><title>{title}</title>{head}</head><body><article><h1>{title}</h1>"
            f"{paras}<p>{text}</p></article></body></html>").encode()


def _feed(srv: TestServer, paths: list[str]) -> str:
    items = "".join(f"<item><title>{p}</title><link>{srv.url(p)}</link></item>" for p in paths)
    return srv.static(f"/feed{len(paths)}{paths[0].replace('/', '_')}.xml",
                      f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>',
                      content_type="application/rss+xml")






@pytest.fixture
def sites():
    with TestServer(host="127.0.0.1") as a, TestServer(host="127.0.0.2") as b:
        yield a, b


@pytest.mark.parametrize("claim", ["canonical", "og_url"])
@pytest.mark.parametrize("order", ["attacker_first", "victim_first", "same_run"])
def test_a_page_cannot_claim_another_sites_article(sites, tmp_path: Path, claim: str, order: str) -> None:
    a, b = sites
    victim = b.static("/2026/12/03/terminal-delayed.html", _page("Terminal delayed", VICTIM_TEXT))
    head = (f'<link rel="canonical" href="{victim}">' if claim == "canonical"
            else f'<meta property="og:url" content="{victim}">')
    a.static("/news/bakery.html", _page("Bakery closes shops", FAKE_TEXT, head))
    attacker = {"name": "attacker", "url": _feed(a, ["/news/bakery.html"]), "kind": "rss"}
    honest = {"name": "victim", "url": _feed(b, ["/2026/12/03/terminal-delayed.html"]), "kind": "rss"}
    runs = {"attacker_first": [[attacker], [honest]], "victim_first": [[honest], [attacker]],
            "same_run": [[attacker, honest]]}[order]
    for i, sources in enumerate(runs):
        _run(tmp_path, sources, f"r{i}")

    stored = _articles(tmp_path)
    # the victim's page was fetched and is stored under its own URL, with its own text
    assert b.hits["/2026/12/03/terminal-delayed.html"] == 1
    vid, vcanon, vsource, vtext = stored[victim]
    assert (vid, vcanon, vsource) == (url_id(victim), victim, "victim") and "container terminal" in vtext
    # the attacker's page is an article of its own site, not hidden and not hiding
    aurl = a.url("/news/bakery.html")
    aid, acanon, asource, atext = stored[aurl]
    assert (aid, acanon, asource) == (url_id(aurl), aurl, "attacker") and "bakery chain" in atext
    assert len(stored) == 2


def test_a_site_can_name_its_own_canonical_spelling(sites, tmp_path: Path) -> None:
    """The claim is what it is for: one article listed under two URLs of its own site is stored once."""
    a, _ = sites
    canonical = a.url("/2026/12/03/terminal-delayed.html")
    page = _page("Terminal delayed", VICTIM_TEXT, f'<link rel="canonical" href="{canonical}">')
    a.static("/2026/12/03/terminal-delayed.html", page)
    a.static("/amp/terminal-delayed.html", page)
    _run(tmp_path, [{"name": "a", "url": _feed(a, ["/2026/12/03/terminal-delayed.html"]), "kind": "rss"}], "r0")
    _run(tmp_path, [{"name": "a", "url": _feed(a, ["/amp/terminal-delayed.html"]), "kind": "rss"}], "r1")
    stored = _articles(tmp_path)
    assert list(stored) == [canonical] and stored[canonical][:2] == (url_id(canonical), canonical)


def test_story_pages_naming_the_site_root_as_canonical_stay_apart(sites, tmp_path: Path) -> None:
    """A CMS that prints the home page as every story's canonical must not fold all stories into one."""
    a, _ = sites
    head = f'<link rel="canonical" href="{a.url("/")}"><meta property="og:url" content="{a.url("/")}">'
    a.static("/news/terminal.html", _page("Terminal delayed", VICTIM_TEXT, head))
    a.static("/news/bakery.html", _page("Bakery closes shops", FAKE_TEXT, head))
    _run(tmp_path, [{"name": "a", "url": _feed(a, ["/news/terminal.html", "/news/bakery.html"]), "kind": "rss"}],
         "r0")
    stored = _articles(tmp_path)
    assert sorted(stored) == [a.url("/news/bakery.html"), a.url("/news/terminal.html")]
    assert all(canon == url for url, (_, canon, _, _) in stored.items())


@pytest.mark.parametrize("href", ["http://exa mple.com/story", "http://x:99999/story", "https://%zz/story",
                                  "http://x.example:0x50/story", "http://a\\b/"])
def test_an_unusable_canonical_claim_is_ignored_not_fatal(sites, tmp_path: Path, href: str) -> None:
    """One page's junk canonical link must not fail its source (the other pages are stored)."""
    a, _ = sites
    a.static("/news/terminal.html", _page("Terminal delayed", VICTIM_TEXT, f'<link rel="canonical" href="{href}">'))
    a.static("/news/bakery.html", _page("Bakery closes shops", FAKE_TEXT))
    summary = _run(tmp_path, [{"name": "a", "url": _feed(a, ["/news/terminal.html", "/news/bakery.html"]),
                               "kind": "rss"}], "r0")
    assert summary.sources[0]["status"] == "ok", summary.sources[0]
    stored = _articles(tmp_path)
    assert sorted(stored) == [a.url("/news/bakery.html"), a.url("/news/terminal.html")]
    assert stored[a.url("/news/terminal.html")][1] == a.url("/news/terminal.html")


def test_two_pages_claiming_one_article_in_a_run_keep_one_consistent_record(sites, tmp_path: Path) -> None:
    """Two sources of one site list two URLs whose pages name one canonical and are one article read
    a little differently (a sentence cut, two added: an AMP copy, an edit between the fetches): the
    run stores one article, and its content hash, sentences and signature are those of the text it
    stores (the dedup stage and the load keep the same page: the first fetched). Pages that are
    different stories are two records (session 32, tests/fetch/test_listing_identity.py)."""
    from newsdedup.dedup.text import text_hash

    a, _ = sites
    canonical = a.url("/2026/12/03/story.html")
    head = f'<link rel="canonical" href="{canonical}">'
    edited = VICTIM_TEXT.replace(" Shipping lines had been told to expect the delay.", "") + \
        " Read more about the port on our website. The authority apologised to shipping lines on Tuesday."
    a.static("/world/story.html", _page("Terminal delayed", VICTIM_TEXT, head))
    a.static("/europe/story.html", _page("Terminal opening delayed to spring", edited, head))
    # "zz" is fetched first (sources run in the listed order), "aa" sorts first by name
    _run(tmp_path, [{"name": "zz", "url": _feed(a, ["/world/story.html"]), "kind": "rss"},
                    {"name": "aa", "url": _feed(a, ["/europe/story.html"]), "kind": "rss"}], "r0")
    w = tmp_path / "w.duckdb"
    [(aid, source, text, chash)] = wh.query_rows(w, "SELECT article_id, source, text, content_hash FROM articles")[1]
    assert (aid, source) == (url_id(canonical), "zz") and "expect the delay" in text and "apologised" not in text
    assert chash == text_hash(text)
    assert wh.query_rows(w, "SELECT content_hash FROM minhash_signatures")[1] == [(chash,)]
    sentences = [r[0] for r in wh.query_rows(w, "SELECT text FROM article_sentences ORDER BY position")[1]]
    assert sentences and all(s in text for s in sentences)
