"""The bundled sample news site: generator up to date, feeds valid, truth.json consistent, server correct."""

from __future__ import annotations

import html
import importlib.util
import json
import re
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import formatdate
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import httpx
import pytest
from bs4 import BeautifulSoup

from newsdedup.config import load_sources
from newsdedup.samplesite import DEFAULT_ROOT, SampleSite, serve, sources_yaml, write_sources_file

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
TRUTH = json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))
ARTICLES = {a["path"]: a for a in TRUTH["articles"]}
NS_SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def site() -> Iterator[SampleSite]:
    with serve() as s:
        yield s


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as c:
        yield c


def _feed_urls(site: SampleSite, client: httpx.Client) -> dict[str, list[str]]:
    """Feed path -> the article URLs it lists (as listed, tracking parameters included)."""
    out: dict[str, list[str]] = {}
    for feed in TRUTH["feeds"]:
        body = client.get(site.url(feed["path"])).content
        if feed["kind"] == "sitemap":
            root = ET.fromstring(body)
            out[feed["path"]] = [loc.text or "" for loc in root.iter(f"{NS_SITEMAP}loc")]
        else:
            parsed = feedparser.parse(body)
            assert not parsed.bozo, (feed["path"], parsed.get("bozo_exception"))
            out[feed["path"]] = [entry.link for entry in parsed.entries]
    return out


def _load_generator():  # noqa: ANN202 - a module loaded from a file path
    spec = importlib.util.spec_from_file_location("samples_build_site", SAMPLES / "build_site.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_committed_site_matches_generator() -> None:
    gen = _load_generator()
    files = gen.build()
    assert gen.stale(files, gen.SITE_DIR, gen.TRUTH_PATH) == [], "run: python samples/build_site.py"
    assert gen.build() == files, "the generator must be deterministic"


def test_default_root_is_the_repository_site() -> None:
    assert DEFAULT_ROOT == SAMPLES / "site"
    assert (DEFAULT_ROOT / "robots.txt").is_file()


def test_truth_describes_the_required_cases() -> None:
    outlets = {o["key"] for o in TRUTH["outlets"]}
    assert len(outlets) >= 4
    assert len(ARTICLES) >= 40
    kinds = [f["kind"] for f in TRUTH["feeds"]]
    assert kinds.count("rss") >= 2 and "atom" in kinds and "sitemap" in kinds
    lo, hi = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 24, tzinfo=UTC)
    for a in ARTICLES.values():
        published = datetime.fromisoformat(a["published"])
        assert published.tzinfo is not None and lo <= published < hi, a["path"]
        assert a["path"].startswith(f"/{a['outlet']}/")
        assert a["must_contain"] and all(p in "\n\n".join(a["paragraphs"]) for p in a["must_contain"])
        text = "\n\n".join(a["paragraphs"]).lower()
        assert not [p for p in TRUTH["boilerplate_phrases"] if p.lower() in text], a["path"]
    long_enough = [a for a in ARTICLES.values() if 300 <= a["words"] <= 700]
    assert len(long_enough) >= 0.8 * len(ARTICLES)

    synd = TRUTH["syndicated"]
    original = ARTICLES[synd["original"]]
    assert original["outlet"] == "wire" and len(synd["copies"]) == 3
    assert len({ARTICLES[p]["outlet"] for p in synd["copies"]}) == 3
    t0 = datetime.fromisoformat(original["published"])
    for path in synd["copies"]:
        copy = ARTICLES[path]
        delay = datetime.fromisoformat(copy["published"]) - t0
        assert timedelta(hours=1) <= delay <= timedelta(hours=6), path
        assert copy["title"] != original["title"] and copy["story"] == original["story"]
        dropped = len(original["paragraphs"]) - len(copy["paragraphs"])
        assert 1 <= dropped <= 3
        assert copy["paragraphs"][0] != original["paragraphs"][0]
        assert copy["paragraphs"][0].endswith(original["paragraphs"][0])
        assert copy["paragraphs"][1:] == original["paragraphs"][1 : len(copy["paragraphs"])]
    assert len({ARTICLES[p]["title"] for p in synd["copies"]}) == 3

    exact = TRUTH["exact_copy"]
    first, second = ARTICLES[exact["original"]], ARTICLES[exact["copy"]]
    assert first["outlet"] != second["outlet"]
    assert (first["title"], first["paragraphs"]) == (second["title"], second["paragraphs"])
    assert datetime.fromisoformat(first["published"]) < datetime.fromisoformat(second["published"])

    rq = TRUTH["repeated_quote"]
    assert "\n\n".join(ARTICLES[rq["path"]]["paragraphs"]).count(rq["quote"]) == 2

    sq = TRUTH["shared_quote"]
    holders = [p for p, a in ARTICLES.items() if sq["quote"] in "\n\n".join(a["paragraphs"])]
    assert sorted(holders) == sorted(sq["paths"]) and len(holders) == 2
    assert len({ARTICLES[p]["story"] for p in holders}) == 2
    assert len({ARTICLES[p]["outlet"] for p in holders}) == 2

    a, b = (ARTICLES[p] for p in TRUTH["same_topic_distinct"])
    assert a["story"] != b["story"] and a["outlet"] != b["outlet"]


def test_every_article_is_listed_by_exactly_one_feed(site: SampleSite, client: httpx.Client) -> None:
    listed = _feed_urls(site, client)
    seen: dict[str, str] = {}
    for feed_path, urls in listed.items():
        for url in urls:
            parts = urlsplit(url)
            assert f"{parts.scheme}://{parts.netloc}" == site.base_url, url
            assert parts.path not in seen, f"{parts.path} listed by {seen.get(parts.path)} and {feed_path}"
            seen[parts.path] = feed_path
    assert set(seen) == set(ARTICLES)
    assert all(seen[p] == a["feed"] for p, a in ARTICLES.items())
    # Realistic tracking parameters on some feed links, never on canonical URLs.
    assert any("utm_source=rss" in u for urls in listed.values() for u in urls)


def test_feed_metadata_matches_pages(site: SampleSite, client: httpx.Client) -> None:
    for feed in TRUTH["feeds"]:
        if feed["kind"] == "sitemap":
            continue
        for entry in feedparser.parse(client.get(site.url(feed["path"])).content).entries:
            truth = ARTICLES[urlsplit(entry.link).path]
            assert entry.title == truth["title"]
            want = datetime.fromisoformat(truth["published"]).astimezone(UTC).timetuple()[:6]
            assert tuple(entry.published_parsed[:6]) == want
            assert [a.get("name") for a in entry.get("authors", [])] == truth["authors"], entry.link
    root = ET.fromstring(client.get(site.url("/techbiz/sitemap.xml")).content)
    news = "{http://www.google.com/schemas/sitemap-news/0.9}"
    for url in root.iter(f"{NS_SITEMAP}url"):
        truth = ARTICLES[urlsplit(url.findtext(f"{NS_SITEMAP}loc") or "").path]
        assert url.findtext(f"{news}news/{news}title") == truth["title"]
        assert url.findtext(f"{news}news/{news}publication_date") == truth["published"]


def _page_metadata(outlet: str, soup: BeautifulSoup) -> tuple[str, list[str], str]:
    """Headline, authors and date read the way each outlet's template exposes them."""
    if outlet == "wire":
        ld = json.loads(soup.find("script", type="application/ld+json").string)
        authors = ld["author"] if isinstance(ld["author"], list) else [ld["author"]]
        return ld["headline"], [a["name"] for a in authors], ld["datePublished"]
    if outlet == "national":
        author = soup.find("meta", attrs={"name": "author"})["content"]
        date = soup.find("meta", property="article:published_time")["content"]
        return soup.find("meta", property="og:title")["content"], author.split(", "), date
    if outlet == "regional":
        byline = soup.select_one("span.byline").get_text().removeprefix("By ")
        return soup.select_one("h1.entry-title").get_text(), byline.split(", "), soup.find("time")["datetime"]
    names = [n.get_text() for n in soup.select('p.author [itemprop="author"] [itemprop="name"]')]
    date = soup.find("meta", itemprop="datePublished")["content"]
    return soup.find(itemprop="headline").get_text(), names, date


def test_every_article_page_is_served_with_consistent_metadata(site: SampleSite, client: httpx.Client) -> None:
    for path, truth in ARTICLES.items():
        r = client.get(site.url(path) + "?utm_source=rss&utm_medium=feed")
        assert r.status_code == 200, path
        assert r.headers["content-type"] == "text/html; charset=utf-8"
        assert "{{BASE_URL}}" not in r.text and site.base_url in r.text
        soup = BeautifulSoup(r.text, "lxml")
        assert soup.html["lang"].startswith("en")
        outlet = next(o["name"] for o in TRUTH["outlets"] if o["key"] == truth["outlet"])
        assert soup.title.get_text() == f"{truth['title']} | {outlet}"
        assert soup.find("link", rel="canonical")["href"] == site.base_url + path
        assert soup.find("meta", property="og:url")["content"] == site.base_url + path
        assert _page_metadata(truth["outlet"], soup) == (truth["title"], truth["authors"], truth["published"])
        page_text = " ".join(soup.get_text(" ").split())
        for phrase in truth["must_contain"]:
            assert phrase in page_text, (path, phrase)
        # The furniture the cleaner must strip is really on the page.
        for phrase in ("Latest News", "We use cookies", "Share on", "All rights reserved"):
            assert phrase in page_text, (path, phrase)


def test_outlets_use_distinct_markup(site: SampleSite, client: httpx.Client) -> None:
    markers = {
        "wire": 'type="application/ld+json"',
        "national": '<meta name="author"',
        "regional": '<span class="byline">',
        "techbiz": 'itemtype="https://schema.org/NewsArticle"',
    }
    for outlet, marker in markers.items():
        pages = [client.get(site.url(p)).text for p, a in ARTICLES.items() if a["outlet"] == outlet]
        assert pages and all(marker in page for page in pages), outlet
        others = [m for o, m in markers.items() if o != outlet]
        assert not any(m in pages[0] for m in others), outlet


def test_content_types_and_special_paths(site: SampleSite, client: httpx.Client) -> None:
    types = {"rss": "application/rss+xml", "atom": "application/atom+xml", "sitemap": "application/xml"}
    for feed in TRUTH["feeds"]:
        r = client.get(site.url(feed["path"]))
        assert r.status_code == 200
        assert r.headers["content-type"].split(";")[0] == types[feed["kind"]]
        assert "{{BASE_URL}}" not in r.text
    robots = client.get(site.url("/robots.txt"))
    assert robots.status_code == 200 and "Disallow: /" not in robots.text and "Allow: /" in robots.text
    assert client.get(site.url("/no/such/page.html")).status_code == 404
    assert client.get(site.url("/../../etc/passwd")).status_code == 404
    redirect = client.get(site.url("/wire"))
    assert redirect.status_code == 301 and redirect.headers["location"] == "/wire/"
    assert "Meridian Press Agency" in client.get(site.url("/wire/")).text
    head = client.head(site.url("/national/atom.xml"))
    assert head.status_code == 200 and head.content == b"" and int(head.headers["content-length"]) > 0


def test_conditional_get_returns_304(site: SampleSite, client: httpx.Client) -> None:
    url = site.url("/regional/rss.xml")
    first = client.get(url)
    etag, last_modified = first.headers["etag"], first.headers["last-modified"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
    not_modified = client.get(url, headers={"If-None-Match": etag, "If-Modified-Since": last_modified})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified.headers["etag"] == etag
    # A stale validator gets the full feed again; If-None-Match wins over If-Modified-Since.
    assert client.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200
    assert client.get(url, headers={"If-None-Match": '"stale"', "If-Modified-Since": last_modified}).status_code == 200
    assert client.get(url, headers={"If-Modified-Since": formatdate(0, usegmt=True)}).status_code == 200
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    assert plain.text == first.text and plain.headers["etag"] != etag
    assert ("GET", "/regional/rss.xml", 304) in site.requests


def test_placeholder_uses_the_served_port_and_edits_are_picked_up(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    page = tmp_path / "a" / "page.html"
    page.write_text('<a href="{{BASE_URL}}/a/page.html">self</a>', encoding="utf-8")
    with serve(tmp_path) as s, httpx.Client() as c:
        r = c.get(s.url("/a/page.html"))
        assert r.text == f'<a href="{s.base_url}/a/page.html">self</a>'
        assert f":{s.port}" in s.base_url and s.port > 0
        page.write_text("changed {{BASE_URL}} and more text to change the size", encoding="utf-8")
        r2 = c.get(s.url("/a/page.html"), headers={"If-None-Match": r.headers["etag"]})
        assert r2.status_code == 200 and r2.text.startswith(f"changed {s.base_url}")
    with pytest.raises(FileNotFoundError):
        serve(tmp_path / "missing")


def test_snapshot_then_full_site_on_the_same_port(tmp_path: Path, client: httpx.Client) -> None:
    gen = _load_generator()
    until = datetime.fromisoformat(ARTICLES[TRUTH["syndicated"]["original"]]["published"]) + timedelta(minutes=30)
    assert gen.main(["--until", until.isoformat(), "--out", str(tmp_path)]) == 0
    early = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    early_paths = {a["path"] for a in early["articles"]}
    assert early_paths < set(ARTICLES) and TRUTH["syndicated"]["original"] in early_paths
    assert early["syndicated"]["copies"] == [] and not early_paths & set(TRUTH["syndicated"]["copies"])
    assert all(datetime.fromisoformat(a["published"]) <= until for a in early["articles"])
    with serve(tmp_path / "site") as s:
        listed = {urlsplit(u).path for urls in _feed_urls(s, client).values() for u in urls}
        assert listed == early_paths
        feed = client.get(s.url("/national/atom.xml"))
        copy = TRUTH["syndicated"]["copies"][0]
        assert client.get(s.url(copy)).status_code == 404
        s.set_root(DEFAULT_ROOT)
        assert client.get(s.url(copy)).status_code == 200
        again = client.get(s.url("/national/atom.xml"), headers={"If-None-Match": feed.headers["etag"]})
        assert again.status_code == 200 and s.base_url + copy in again.text


def test_sources_files(tmp_path: Path) -> None:
    written = write_sources_file("http://127.0.0.1:45678", tmp_path / "cfg" / "sources.yaml")
    config = load_sources(written)
    assert config.settings.allow_private_networks is True and config.settings.user_agent
    urls = {s.url for s in config.sources}
    assert urls == {f"http://127.0.0.1:45678{f['path']}" for f in TRUTH["feeds"]}
    assert any(s.kind is None for s in config.sources)
    demo = REPO / "config" / "sources.yaml"
    assert demo.read_text(encoding="utf-8") == sources_yaml("http://127.0.0.1:8765")
    assert all(s.url.startswith("http://127.0.0.1:8765/") for s in load_sources(demo).sources)


@pytest.mark.parametrize("sigint", ["default", "ignored"])
def test_module_runs_in_the_foreground_until_interrupted(sigint: str) -> None:
    # "ignored": started from a script in the background (`cmd &`), SIGINT arrives ignored; before,
    # the site then ran on after `kill -INT` and Ctrl-C (and this test hung in a backgrounded CI shell).
    trap = "trap '' INT; " if sigint == "ignored" else ""
    proc = subprocess.Popen(
        ["sh", "-c", f'{trap}exec "$0" -m newsdedup.samplesite --port 0', sys.executable],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        match = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
        assert match, line + (proc.stderr.read() if proc.poll() is not None and proc.stderr else "")
        feed = httpx.get(match.group(1) + "/wire/rss.xml", timeout=10)
        assert feed.status_code == 200 and match.group(1) in feed.text
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_boilerplate_phrases_are_html_safe() -> None:
    # The phrases are compared with cleaned text, so they must not need HTML escaping.
    assert all(html.escape(p) == p for p in TRUTH["boilerplate_phrases"])
