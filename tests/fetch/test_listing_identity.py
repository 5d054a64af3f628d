"""One article = one record, whatever the listing says (session 31).

Listings name articles carelessly: FeedBurner's click trackers, items whose <link> is only a
"#fragment", one story under several spellings, pages whose rel=canonical names another story,
story URLs that redirect to the home page. Each case goes through a real local server and
`run_pipeline` into a DuckDB warehouse; its docstring says what a data engineer expects. Host
names (www.example.com, feedproxy.test, ...) are answered with 127.0.0.1 by the system resolver
patched for the test: every request still goes to the local server, whose routes ignore the host
unless a test looks at the Host header.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from local_server import STORY_TEXTS as TEXTS
from local_server import Request, TestServer
from local_server import pipeline_run as _run
from local_server import stored_articles as _articles
from local_server import story_page as _page

from newsdedup import warehouse as wh
from newsdedup.urls import url_id


def _canonical(url: str) -> str:
    return f'<link rel="canonical" href="{url}">'


def _rss(srv: TestServer, path: str, items: str, ns: str = "") -> str:
    return srv.static(path, f'<?xml version="1.0"?><rss version="2.0"{ns}><channel><title>t</title>{items}'
                            "</channel></rss>", content_type="application/rss+xml")


def _feed(srv: TestServer, path: str, urls: list[str]) -> str:
    return _rss(srv, path, "".join(f"<item><title>x</title><link>{u}</link></item>" for u in urls))




def _page_attempts(tmp_path: Path) -> list[tuple]:
    return wh.query_rows(tmp_path / "w.duckdb", "SELECT url, final_url, status, error FROM fetch_log "
                                                "WHERE purpose = 'page' ORDER BY fetched_at")[1]


@pytest.fixture
def srv(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestServer]:
    real = socket.getaddrinfo

    def local(host, port, *args, **kwargs):  # noqa: ANN001, ANN202 - socket.getaddrinfo's signature
        if isinstance(host, str) and host.endswith((".test", "example.com")):
            return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", ("127.0.0.1", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local)
    with TestServer() as s:
        yield s


def test_a_feedburner_item_is_read_at_its_original_link_not_the_click_tracker(srv: TestServer,
                                                                              tmp_path: Path) -> None:
    """A FeedBurner feed's <link> is its click tracker (feedproxy, another host) that redirects to the
    article; `feedburner:origLink` is the article. Expected: each item is fetched once at its
    origLink and stored under it; the tracker is never asked (it tracks, and FeedBurner's trackers
    no longer answer). Before: the tracker was fetched; a tracker that answered 404 lost its item (2
    items, 1 record, 1 `http_404` page attempt) and the stored `url` was the tracker's."""
    p = srv.port
    story = [f"http://news.example.com:{p}/2026/12/03/terminal.html", f"http://news.example.com:{p}/2026/12/03/bakery.html"]
    srv.static("/2026/12/03/terminal.html", _page("Terminal delayed", TEXTS[0]))
    srv.static("/2026/12/03/bakery.html", _page("Bakery closes shops", TEXTS[1]))
    srv.route("/~r/Ex/~3/abc/terminal.html", lambda r: r.send(301, b"", {"Location": story[0]}))
    srv.route("/~r/Ex/~3/def/bakery.html", lambda r: r.send(404, b"gone", content_type="text/plain"))
    items = "".join(
        f"<item><title>{t}</title><link>http://feedproxy.test:{p}/~r/Ex/~3/{k}/{t}.html</link>"
        f'<guid isPermaLink="false">http://news.example.com/?p={i}</guid><feedburner:origLink>{u}</feedburner:origLink></item>'
        for i, (k, t, u) in enumerate([("abc", "terminal", story[0]), ("def", "bakery", story[1])]))
    feed = _rss(srv, "/feed.xml", items, ' xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"')
    summary = _run(tmp_path, [{"name": "fb", "url": feed, "kind": "rss"}], "r0")
    assert summary.sources[0]["status"] == "ok" and summary.sources[0]["fetch_failed"] == 0
    stored = _articles(tmp_path)
    assert sorted(stored) == sorted(story)
    assert [stored[u][:2] for u in story] == [(url_id(u), u) for u in story]
    assert not any(path.startswith("/~r/") for path in srv.hits)
    assert sorted(a[0] for a in _page_attempts(tmp_path)) == sorted(story)


def test_feed_items_whose_link_is_only_a_fragment_or_tracking_query_are_read_at_their_guid(
        srv: TestServer, tmp_path: Path) -> None:  # fmt: skip
    """A careless feed gives some items a <link> of "#story-0" or "?utm_source=rss&...", relative to
    the feed: resolved and cleaned they are the feed's own URL. Expected: such an item is read at its
    permalink <guid> when it has one, and skipped (counted) when it has none; the feed is never
    fetched as a page. Before: 4 items gave 2 entries, one of them the feed itself (a page attempt
    `unsupported_content_type`), and 1 record: the two items with permalinks were lost."""
    b = f"http://news.example.com:{srv.port}"
    for i in range(3):
        srv.static(f"/s{i}.html", _page(f"Story {i}", TEXTS[i]))
    feed = _rss(srv, "/feed.xml", f"""<link>{b}/</link>
        <item><title>a</title><link>#story-0</link><guid isPermaLink="true">{b}/s0.html</guid></item>
        <item><title>b</title><link>?utm_source=rss&amp;utm_medium=feed</link><guid>{b}/s1.html</guid></item>
        <item><title>c</title><link>{b}/s2.html?utm_source=rss&amp;utm_medium=rss</link></item>
        <item><title>d</title><link>#story-3</link></item>""")
    summary = _run(tmp_path, [{"name": "f", "url": feed.replace("127.0.0.1", "news.example.com"), "kind": "rss"}],
                   "r0")
    assert summary.sources[0]["entries"] == 3 and summary.sources[0]["fetch_failed"] == 0
    assert sorted(_articles(tmp_path)) == [f"{b}/s{i}.html" for i in range(3)]
    assert srv.hits["/feed.xml"] == 1


def test_a_json_feed_item_whose_url_is_a_fragment_is_read_at_its_id(srv: TestServer, tmp_path: Path) -> None:
    """The same for a JSON Feed: `"url": "#x"` names the feed itself; the http(s) `id` is the article.
    Before: the item's entry was the feed's own URL."""
    srv.static("/s0.html", _page("Story", TEXTS[0]))
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": "t",
           "items": [{"id": srv.url("/s0.html"), "url": "#s0", "title": "Story"}]}
    feed = srv.static("/feed.json", json.dumps(doc), content_type="application/feed+json")
    _run(tmp_path, [{"name": "j", "url": feed, "kind": "jsonfeed"}], "r0")
    assert list(_articles(tmp_path)) == [srv.url("/s0.html")]
    assert srv.hits["/feed.json"] == 1


def _host(r: Request) -> str:
    return (r.headers.get("Host") or "").split(":")[0]


FRENCH = ("Le port a annoncé lundi que le nouveau terminal à conteneurs ouvrirait au printemps, deux ans plus tard "
          "que prévu, après un différend avec l'entreprise de construction sur le coût du dragage du chenal "
          "d'accès. Les compagnies maritimes avaient été prévenues du retard.")


def _two_stories_claiming_one_canonical(srv: TestServer, claim: str) -> tuple[str, str, str]:
    """/news/a and /news/b of www.example.com, two different stories (or an original and its
    translation) whose rel=canonical names one URL; (a, b, the claimed URL)."""
    w = f"http://www.example.com:{srv.port}"
    target = {"section_page": f"{w}/news/", "first_story": f"{w}/news/a", "hreflang_original": f"{w}/news/a"}[claim]
    alts = f'<link rel="alternate" hreflang="en" href="{w}/news/a"><link rel="alternate" hreflang="fr" href="{w}/news/b">'
    srv.static("/news/a", _page("Terminal delayed", TEXTS[0], _canonical(target) + alts))
    if claim == "hreflang_original":
        srv.static("/news/b", _page("Terminal retardé", FRENCH, _canonical(target) + alts, lang="fr"))
    else:
        srv.static("/news/b", _page("Bakery closes shops", TEXTS[1], _canonical(target)))
    return f"{w}/news/a", f"{w}/news/b", target


def _check_two_records(tmp_path: Path, a: str, b: str, target: str, first: str) -> str:
    """Both stories stored, each once: the page at the claimed URL (else the first fetched) under the
    claimed URL's id, the other under its own. Returns the URL of the page that gave up the claim."""
    keeper = a if target == a else first
    other = b if keeper == a else a
    stored = _articles(tmp_path)
    assert sorted(stored) == [a, b]
    assert stored[keeper][:2] == (url_id(target), target)
    assert stored[other][:2] == (url_id(other), other)
    assert ("container terminal" if keeper == a else "bakery chain") in stored[keeper][3]
    return other


@pytest.mark.parametrize("claim", ["section_page", "first_story", "hreflang_original"])
@pytest.mark.parametrize("runs", ["one_run", "two_runs"])
def test_different_articles_claiming_one_canonical_stay_two_records(srv: TestServer, tmp_path: Path, claim: str,
                                                                    runs: str) -> None:
    """A CMS prints one URL as the rel=canonical of several different articles of its site: a section
    page, the first story's URL, or (hreflang alternates) the English original named by its French
    translation. The claim points into the page's own site, so `trusted_canonical` takes it; but the
    pages do not read as one article. Expected: one record per article, each under its own URL
    (`canonical_ignored` "other_article"), the page at the claimed URL (or the first) keeping the id.
    Before: 2 pages fetched, 1 record; in a later run the second page was "already known", unread."""
    a, b, target = _two_stories_claiming_one_canonical(srv, claim)
    if runs == "one_run":
        summary = _run(tmp_path, [{"name": "f", "url": _feed(srv, "/f.xml", [a, b]), "kind": "rss"}], "r0")
    else:
        _run(tmp_path, [{"name": "f", "url": _feed(srv, "/f1.xml", [a]), "kind": "rss"}], "r0")
        summary = _run(tmp_path, [{"name": "f", "url": _feed(srv, "/f2.xml", [b]), "kind": "rss"}], "r1")
    assert _check_two_records(tmp_path, a, b, target, first=a) == b
    assert summary.sources[0]["canonical_ignored"] == {"other_article": 1}


@pytest.mark.parametrize("runs", ["one_run", "two_runs"])
def test_an_amp_copy_that_reads_a_little_differently_is_still_its_article(srv: TestServer, tmp_path: Path,
                                                                          runs: str) -> None:
    """Guard for the check above: an AMP page naming its desktop page as canonical is that article
    although its text differs (a sentence cut, a "Read more" line, a headline rewritten since).
    Expected: one record, under the desktop URL; the AMP page is "already known" in a later run."""
    w = f"http://www.example.com:{srv.port}"
    desktop, amp = f"{w}/2026/12/03/terminal-delayed", f"{w}/amp/2026/12/03/terminal-delayed"
    srv.static("/2026/12/03/terminal-delayed", _page("Terminal delayed", TEXTS[0], _canonical(desktop)))
    edited = TEXTS[0].replace(" Shipping lines had been told to expect the delay.", "") + \
        " Read more about the port on our website. The authority apologised to shipping lines on Tuesday."
    srv.static("/amp/2026/12/03/terminal-delayed", _page("Terminal opening delayed to spring", edited,
                                                           _canonical(desktop)))
    if runs == "one_run":
        _run(tmp_path, [{"name": "f", "url": _feed(srv, "/f.xml", [desktop, amp]), "kind": "rss"}], "r0")
    else:
        _run(tmp_path, [{"name": "f", "url": _feed(srv, "/f1.xml", [desktop]), "kind": "rss"}], "r0")
        summary = _run(tmp_path, [{"name": "f", "url": _feed(srv, "/f2.xml", [amp]), "kind": "rss"}], "r1")
        assert summary.sources[0]["already_known"] == 1 and summary.sources[0]["articles"] == 0
    stored = _articles(tmp_path)
    assert list(stored) == [desktop] and stored[desktop][:2] == (url_id(desktop), desktop)


@pytest.mark.parametrize("claim", ["section_page", "first_story", "hreflang_original"])
@pytest.mark.parametrize("order", ["a_first", "b_first"])
def test_different_articles_of_two_sources_of_one_run_claiming_one_canonical_stay_two_records(
        srv: TestServer, tmp_path: Path, claim: str, order: str) -> None:  # fmt: skip
    """The case above with the two pages listed by two sources of one run (a site's feed and its
    sitemap, two sections' feeds): each source is read and checked on its own, so neither saw the
    other's page. Expected: as for one source, one record per article; the page that is not the
    claimed article (or, for a section page, the one fetched second) under its own URL, counted as
    `canonical_ignored` "other_article" in its source's summary and the run's metrics. Before: 2 pages
    fetched, 1 record (the load kept the first fetched, the other story was lost)."""
    a, b, target = _two_stories_claiming_one_canonical(srv, claim)
    listed = [a, b] if order == "a_first" else [b, a]
    summary = _run(tmp_path, [{"name": "s1", "url": _feed(srv, "/f1.xml", listed[:1]), "kind": "rss"},
                              {"name": "s2", "url": _feed(srv, "/f2.xml", listed[1:]), "kind": "rss"}], "r0")
    other = _check_two_records(tmp_path, a, b, target, first=listed[0])
    by_source = {s["source"]: s.get("canonical_ignored") or {} for s in summary.sources}
    assert by_source == {"s1": {}, "s2": {}, **{f"s{listed.index(other) + 1}": {"other_article": 1}}}
    metrics = json.loads(wh.query_rows(tmp_path / "w.duckdb", "SELECT metrics FROM ingest_runs")[1][0][0])
    assert {s["source"]: s.get("canonical_ignored") or {} for s in metrics["sources"]} == by_source
    # a later run lists both again: each is known, nothing is fetched or stored twice
    again = _run(tmp_path, [{"name": "s1", "url": _feed(srv, "/f3.xml", [a, b]), "kind": "rss"}], "r1")
    assert again.sources[0]["already_known"] == 2 and again.sources[0]["fetched"] == 0
    assert srv.hits["/news/a"] == srv.hits["/news/b"] == 1


def test_an_amp_copy_listed_by_another_source_of_the_run_is_still_its_article(srv: TestServer,
                                                                              tmp_path: Path) -> None:
    """Guard for the run-wide check: the AMP copy of a story and its desktop page listed by two sources
    of one run (the AMP page fetched first) are one record, under the desktop URL, as within one
    source; no `canonical_ignored`."""
    w = f"http://www.example.com:{srv.port}"
    desktop, amp = f"{w}/2026/12/03/terminal-delayed", f"{w}/amp/2026/12/03/terminal-delayed"
    srv.static("/2026/12/03/terminal-delayed", _page("Terminal delayed", TEXTS[0], _canonical(desktop)))
    edited = TEXTS[0].replace(" Shipping lines had been told to expect the delay.", "") + \
        " Read more about the port on our website. The authority apologised to shipping lines on Tuesday."
    srv.static("/amp/2026/12/03/terminal-delayed", _page("Terminal opening delayed to spring", edited,
                                                           _canonical(desktop)))
    summary = _run(tmp_path, [{"name": "amp", "url": _feed(srv, "/f1.xml", [amp]), "kind": "rss"},
                              {"name": "web", "url": _feed(srv, "/f2.xml", [desktop]), "kind": "rss"}], "r0")
    assert [s.get("canonical_ignored") or {} for s in summary.sources] == [{}, {}]
    assert [v[:2] for v in _articles(tmp_path).values()] == [(url_id(desktop), desktop)]


@pytest.mark.parametrize("dedup_runs", [2, 0])
@pytest.mark.parametrize("map_length", ["1024", "2"])
def test_different_articles_of_two_mapped_ingest_tasks_claiming_one_canonical_stay_two_records(
        srv: TestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, map_length: str,
        dedup_runs: int) -> None:  # fmt: skip
    """The Airflow shape of the case above, without a scheduler: the ingest DAG's task bodies
    (`tasks.plan`, one `tasks.ingest_source` per mapped task, `tasks.dedup`, `tasks.load`,
    `tasks.report`), the two stories' sources in two mapped tasks: one source each, or (more sources
    than Airflow maps tasks for: `max_map_length` 2 for 3 sources) in two shares, [s1, s2] and [s3].
    The mapped tasks' articles first meet in the dedup task, which checks their claims together.
    Expected: both stories stored (3 records), the page counted once in the run's metrics, also when
    the dedup task runs twice (cleared, retried) or not at all (marked success by hand: the load
    decides the duplicates itself). Before: 2 records, /news/b lost."""
    import yaml

    from newsdedup import tasks

    monkeypatch.setenv("AIRFLOW__CORE__MAX_MAP_LENGTH", map_length)
    a, b, target = _two_stories_claiming_one_canonical(srv, "section_page")
    srv.static("/news/c", _page("Orchestra tour", TEXTS[2]))
    sources = [{"name": "s1", "url": _feed(srv, "/f1.xml", [a]), "kind": "rss"},
               {"name": "s2", "url": _feed(srv, "/f2.xml", [f"http://www.example.com:{srv.port}/news/c"]),
                "kind": "rss"},
               {"name": "s3", "url": _feed(srv, "/f3.xml", [b]), "kind": "rss"}]
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(yaml.safe_dump({"settings": {"allow_private_networks": True, "retries": 0, "recheck_hours": []},
                                   "sources": sources}))
    jobs = tasks.plan({"run_id": "manual__claims", "params": {
        "sources_file": str(cfg), "staging": str(tmp_path / "staging"), "warehouse": str(tmp_path / "w.duckdb")}})
    assert [j.get("sources", [j["source"]]) for j in jobs] == (
        [["s1"], ["s2"], ["s3"]] if map_length == "1024" else [["s1", "s2"], ["s3"]])
    for job in jobs:
        tasks.ingest_source({}, job)
    for _ in range(dedup_runs):
        tasks.dedup(jobs)
    loaded = tasks.load(jobs)
    assert loaded["added"]["articles"] == 3
    tasks.report(jobs, loaded)
    stored = _articles(tmp_path)
    assert len(stored) == 3 and stored[a][:2] == (url_id(target), target) and stored[b][:2] == (url_id(b), b)
    metrics = json.loads(wh.query_rows(tmp_path / "w.duckdb", "SELECT metrics FROM ingest_runs")[1][0][0])
    assert {s["source"]: s.get("canonical_ignored") or {} for s in metrics["sources"]} == {
        "s1": {}, "s2": {}, "s3": {"other_article": 1}}


@pytest.mark.parametrize("video", ["elsewhere", "at_the_claimed_url"])
@pytest.mark.parametrize("runs", ["one_source", "two_sources"])
def test_a_page_whose_clean_failed_claiming_a_canonical_costs_no_story_claiming_it_too(
        srv: TestServer, tmp_path: Path, runs: str, video: str) -> None:  # fmt: skip
    """A video page (nothing to clean: `no_main_text`) and two stories, fetched in that order, all
    naming one URL as canonical: the section page, or the video page itself. The video page's text is
    empty, so it was the page the others were compared with: every claim was kept unchecked, and the
    load kept one page of the id (the first fetched, the video page's empty record, or one story): the
    stories were lost. Expected: the claims are compared with the page at the claimed URL that has a
    text, else the first fetched with one; that page keeps the id and the load keeps it (the page the
    dedup stage decided), the other story is its own record; the video page, no story, is one of the
    claimed article's pages (its fetch in fetch_log)."""
    w = f"http://www.example.com:{srv.port}"
    target = f"{w}/news/" if video == "elsewhere" else f"{w}/news/video"
    srv.static("/news/video", (f"<html><head><title>Video: storm</title>{_canonical(target)}</head><body>"
                               "<video src='/v.mp4'></video></body></html>").encode())
    srv.static("/news/a", _page("Bakery closes shops", TEXTS[1], _canonical(target)))
    srv.static("/news/b", _page("Orchestra tour", TEXTS[2], _canonical(target)))
    urls = [f"{w}/news/video", f"{w}/news/a", f"{w}/news/b"]
    if runs == "one_source":
        sources = [{"name": "f", "url": _feed(srv, "/f.xml", urls), "kind": "rss"}]
    else:
        sources = [{"name": f"f{i}", "url": _feed(srv, f"/f{i}.xml", [u]), "kind": "rss"} for i, u in enumerate(urls)]
    _run(tmp_path, sources, "r0")
    stored = _articles(tmp_path)
    assert sorted(stored) == [f"{w}/news/a", f"{w}/news/b"]
    assert stored[f"{w}/news/a"][:2] == (url_id(target), target) and "bakery chain" in stored[f"{w}/news/a"][3]
    assert stored[f"{w}/news/b"][:2] == (url_id(f"{w}/news/b"), f"{w}/news/b") and "orchestra" in stored[f"{w}/news/b"][3]
    assert sorted(r[0] for r in _page_attempts(tmp_path)) == sorted(urls)
    assert wh.query_rows(tmp_path / "w.duckdb", "SELECT count(*) FROM minhash_signatures")[1] == [(2,)]


@pytest.mark.parametrize("home", ["/index.html", "/index.php", "/default.aspx", "bare_root"])
def test_story_pages_naming_a_spelling_of_the_home_page_as_canonical_stay_apart(srv: TestServer, tmp_path: Path,
                                                                                home: str) -> None:
    """The home-page rule of `trusted_canonical` for the root's other spellings: a CMS printing
    "/index.html", "/index.php", "/default.aspx" or the bare host's root as every story's canonical.
    Expected: each story its own record under its own URL, `canonical_ignored` "home_page". Before:
    only "/" was the home page; the first story took the id of "/index.html" (the rest were kept
    apart only by the text check above, and a lone story was stored as the home page)."""
    w = f"http://www.example.com:{srv.port}"
    target = f"http://example.com:{srv.port}/" if home == "bare_root" else f"{w}{home}"
    urls = [f"{w}/news/s{i}" for i in range(3)]
    for i in range(3):
        srv.static(f"/news/s{i}", _page(f"Story {i}", TEXTS[i], _canonical(target)))
    summary = _run(tmp_path, [{"name": "f", "url": _feed(srv, "/f.xml", urls), "kind": "rss"}], "r0")
    stored = _articles(tmp_path)
    assert sorted(stored) == urls and all(stored[u][:2] == (url_id(u), u) for u in urls)
    assert summary.sources[0]["canonical_ignored"] == {"home_page": 3}


def test_listed_stories_redirected_to_the_home_page_are_gone_not_one_article(srv: TestServer,
                                                                             tmp_path: Path) -> None:
    """Removed stories whose URLs redirect to the home page (301, 302, a meta refresh). Expected: no
    record for them (the home page is not their article), each one's fetch_log row says
    `redirected_home`, the summary counts them as failed fetches; the live story is stored.
    Before: 3 listed dead URLs became 1 record, the home page (no_main_text), and a dead story in
    the next run was "already known"."""
    w = f"http://www.example.com:{srv.port}"
    links = "".join(f"<li><a href='/news/x{i}'>Headline number {i} of the day's top stories</a></li>" for i in range(20))
    srv.static("/", f"<html><head><title>Example News</title></head><body><ul>{links}</ul></body></html>")
    srv.route("/news/gone1", lambda r: r.send(301, b"", {"Location": "/"}))
    srv.route("/news/gone2", lambda r: r.send(302, b"", {"Location": f"{w}/index.html"}))
    srv.static("/index.html", f"<html><head><title>Example News</title></head><body><ul>{links}</ul></body></html>")
    srv.static("/news/gone3", '<html><head><meta http-equiv="refresh" content="0; url=/"></head><body></body></html>')
    srv.static("/news/live", _page("Bridge cables", TEXTS[3]))
    listed = [f"{w}/news/gone1", f"{w}/news/gone2", f"{w}/news/gone3", f"{w}/news/live"]
    summary = _run(tmp_path, [{"name": "f", "url": _feed(srv, "/f.xml", listed), "kind": "rss"}], "r0")
    assert list(_articles(tmp_path)) == [f"{w}/news/live"]
    assert summary.sources[0]["fetch_errors"] == {"redirected_home": 3}
    errors = {u: e for u, _, _, e in _page_attempts(tmp_path)}
    assert errors == {**{u: "redirected_home" for u in listed[:3]}, listed[3]: None}


def test_a_story_sent_home_for_now_is_read_when_it_is_back_though_the_feed_answers_304(
        srv: TestServer, tmp_path: Path) -> None:
    """A site in maintenance mode sends every URL to its home page for an hour, and its feed, unchanged,
    answers 304 to the next run's conditional GET. Expected: the story is stored once it is back. Before:
    `redirected_home` was not "may work later", so the next run sent the feed's validators, got 304,
    listed nothing, and the story was never fetched again (lost)."""
    w = f"http://www.example.com:{srv.port}"
    story = f"{w}/news/back"
    srv.route("/news/back", lambda r: r.send(302, b"", {"Location": "/"}))
    srv.static("/", "<html><head><title>Example News</title></head><body><p>Back soon.</p></body></html>")
    body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>x</title>'
            f"<link>{story}</link></item></channel></rss>").encode()
    conditional: list[bool] = []

    def feed(r: Request) -> None:
        conditional.append(r.headers.get("If-None-Match") == '"v1"')
        if conditional[-1]:
            r.send(304, b"", {"ETag": '"v1"'})
        else:
            r.send(200, body, {"ETag": '"v1"'}, "application/rss+xml")

    source = [{"name": "f", "url": srv.route("/f.xml", feed), "kind": "rss"}]
    first = _run(tmp_path, source, "r0")
    assert first.sources[0]["fetch_errors"] == {"redirected_home": 1} and _articles(tmp_path) == {}
    srv.static("/news/back", _page("Bridge cables", TEXTS[3]))  # maintenance over
    _run(tmp_path, source, "r1")
    assert conditional == [False, False]  # the listing read again in full
    assert list(_articles(tmp_path)) == [story]
    _run(tmp_path, source, "r2")
    assert conditional[-1] is True  # and from then on conditionally, as before


def test_a_session_id_in_a_listed_url_is_not_another_article(srv: TestServer, tmp_path: Path) -> None:
    """A sitemap generated inside a Java session lists "/news/s0;jsessionid=0A1B2C", the feed
    "/news/s0"; the page names no canonical. Expected: one URL, one fetch, one record, stored without
    the session id (also a `PHPSESSID` query parameter). Before: 2 fetches and 2 records (an exact
    duplicate pair) with the session id stored in `articles.url`."""
    w = f"http://www.example.com:{srv.port}"
    srv.static("/news/s0", _page("Terminal delayed", TEXTS[0]))
    srv.static("/news/s1", _page("Bakery closes shops", TEXTS[1]))
    feed = _feed(srv, "/f.xml", [f"{w}/news/s0", f"{w}/news/s1"])
    locs = f"<url><loc>{w}/news/s0;jsessionid=0A1B2C3D4E</loc></url><url><loc>{w}/news/s1?PHPSESSID=9f8e7d</loc></url>"
    sitemap = srv.static("/sitemap.xml", '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                                         f'sitemap/0.9">{locs}</urlset>', content_type="application/xml")
    _run(tmp_path, [{"name": "f", "url": feed, "kind": "rss"}], "r0")
    summary = _run(tmp_path, [{"name": "sm", "url": sitemap, "kind": "sitemap"}], "r1")
    assert summary.sources[0]["already_known"] == 2 and summary.sources[0]["fetched"] == 0
    assert sorted(_articles(tmp_path)) == [f"{w}/news/s0", f"{w}/news/s1"]
    assert srv.hits["/news/s0"] == srv.hits["/news/s1"] == 1


def test_stories_claiming_a_stored_page_whose_clean_failed_are_stored(srv: TestServer, tmp_path: Path) -> None:
    """The claimed URL's page was stored by an earlier run with no text (its clean failed: a video page,
    a section page of links). Two different stories naming it as canonical were compared with its empty
    text, kept the claim, and were dropped as "already known" (its id is stored): neither was ever
    stored. Expected: a stored record without a text is no article to be: each story is its own record,
    under its own URL (`canonical_ignored` "other_article")."""
    w = f"http://www.example.com:{srv.port}"
    target = f"{w}/news/video"
    srv.static("/news/video", (f"<html><head><title>Video: storm</title>{_canonical(target)}</head><body>"
                               "<video src='/v.mp4'></video></body></html>").encode())
    srv.static("/news/a", _page("Bakery closes shops", TEXTS[1], _canonical(target)))
    srv.static("/news/b", _page("Orchestra tour", TEXTS[2], _canonical(target)))
    _run(tmp_path, [{"name": "f", "url": _feed(srv, "/f1.xml", [target]), "kind": "rss"}], "r0")
    summary = _run(tmp_path, [{"name": "f", "url": _feed(srv, "/f2.xml", [f"{w}/news/a", f"{w}/news/b"]),
                               "kind": "rss"}], "r1")
    stored = _articles(tmp_path)
    assert stored[f"{w}/news/a"][:2] == (url_id(f"{w}/news/a"), f"{w}/news/a") and "bakery" in stored[f"{w}/news/a"][3]
    assert stored[f"{w}/news/b"][:2] == (url_id(f"{w}/news/b"), f"{w}/news/b") and "orchestra" in stored[f"{w}/news/b"][3]
    assert summary.sources[0]["canonical_ignored"] == {"other_article": 2}
