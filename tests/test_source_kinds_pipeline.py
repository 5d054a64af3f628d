"""Every source kind ingests into the warehouse through the pipeline (`newsdedup run`'s code path):
a local folder of HTML files, a WARC file, a single page URL and a sitemap, beside the feeds that the
end-to-end test covers. robots.txt fetches are logged like every other attempt."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsdedup import warehouse as wh
from newsdedup.pipeline import run_pipeline
from newsdedup.samplesite import serve

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "samples" / "site"
TRUTH = json.loads((ROOT / "samples" / "truth.json").read_text())
WIRE = [a for a in TRUTH["articles"] if a["outlet"] == "wire"]
NATIONAL = [a for a in TRUTH["articles"] if a["outlet"] == "national"]


def _page(path: str, base: str) -> bytes:
    return (SITE / path.lstrip("/")).read_text(encoding="utf-8").replace("{{BASE_URL}}", base).encode()


@pytest.fixture(scope="module")
def site():
    with serve(port=0) as s:
        yield s


def _run(tmp_path: Path, sources: list[dict]) -> Path:
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(yaml.safe_dump({"settings": {"allow_private_networks": True, "sitemap_lookback_days": 3650},
                                   "sources": sources}))
    warehouse = tmp_path / "w.duckdb"
    run_pipeline(sources_file=str(cfg), warehouse=str(warehouse), staging=str(tmp_path / "staging"))
    return warehouse


def _q(path: Path, sql: str):
    return wh.query_rows(path, sql)[1]


def test_dir_source(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    for a in WIRE[:4]:
        dest = folder / Path(a["path"]).name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(_page(a["path"], "https://wire.example"))
    warehouse = _run(tmp_path, [{"name": "folder", "url": str(folder), "kind": "dir", "settle_seconds": 0}])
    rows = _q(warehouse, "SELECT count(*), count(*) FILTER (WHERE clean_error IS NULL) FROM articles")
    assert rows == [(4, 4)]
    assert _q(warehouse, "SELECT count(*) FROM fetch_log WHERE purpose = 'file' AND error IS NULL") == [(4,)]
    titles = {r[0] for r in _q(warehouse, "SELECT title FROM articles")}
    assert {a["title"] for a in WIRE[:4]} == titles


def test_warc_source(tmp_path: Path) -> None:
    warc = tmp_path / "news.warc.gz"
    with warc.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for a in NATIONAL[:3]:
            url = "https://ledger.example" + a["path"]
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(
                _page(a["path"], "https://ledger.example")), http_headers=http))
    warehouse = _run(tmp_path, [{"name": "cc-news", "url": str(warc)}])  # kind detected from the name
    assert _q(warehouse, "SELECT kind FROM sources") == [("warc",)]
    rows = _q(warehouse, "SELECT url, title FROM articles ORDER BY url")
    assert len(rows) == 3 and all(u.startswith("https://ledger.example/") for u, _ in rows)
    assert {t for _, t in rows} == {a["title"] for a in NATIONAL[:3]}


def test_page_and_sitemap_sources_and_robots_logged(site, tmp_path: Path) -> None:
    one = WIRE[0]
    techbiz = [a for a in TRUTH["articles"] if a["outlet"] == "techbiz"]
    warehouse = _run(tmp_path, [
        {"name": "one-page", "url": site.base_url + one["path"], "kind": "page"},
        {"name": "techbiz", "url": site.base_url + "/techbiz/sitemap.xml"},
    ])
    kinds = dict(_q(warehouse, "SELECT name, kind FROM sources"))
    assert kinds == {"one-page": "page", "techbiz": "sitemap"}
    per_source = dict(_q(warehouse, "SELECT source, count(*) FROM articles GROUP BY source"))
    assert per_source == {"one-page": 1, "techbiz": len(techbiz)}
    # One robots.txt fetch per source: each source is its own task (its own process under Airflow).
    assert _q(warehouse, "SELECT source, status FROM fetch_log WHERE purpose = 'robots' ORDER BY 1") == [
        ("one-page", 200), ("techbiz", 200)]



def test_a_json_feed_source(site, tmp_path: Path) -> None:
    # A JSON Feed (jsonfeed.org) file listing three of the site's stories: its kind is detected from
    # the bytes and its pages are fetched and loaded like an RSS feed's.
    items = [{"id": a["path"], "url": site.base_url + a["path"], "title": a["title"]} for a in NATIONAL[:3]]
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "National", "items": items}))
    warehouse = _run(tmp_path, [{"name": "national-json", "url": str(feed)}])
    assert _q(warehouse, "SELECT name, kind FROM sources") == [("national-json", "jsonfeed")]
    assert _q(warehouse, "SELECT count(*) FILTER (WHERE clean_error IS NULL) FROM articles") == [(3,)]
    assert {r[0] for r in _q(warehouse, "SELECT url FROM articles")} == {i["url"] for i in items}

def test_every_file_of_a_dir_source_gets_its_own_url_whatever_its_name(tmp_path: Path) -> None:
    # File names are not URLs: '#' and '?' would cut them, '%41' would read as 'A', 'x:y' as a
    # scheme, and a name that is not UTF-8 (Latin-1 archives) cannot be spelt at all. Each of them
    # once lost a page to another file's URL, or failed the whole folder on every run.
    folder = tmp_path / "pages"
    folder.mkdir()
    names = [b"a#1.html", b"a#2.html", b"q?x=1.html", b"%41.html", b"A.html", b"x:y.html", b"caf\xe9.html"]
    for raw_name, a in zip(names, WIRE, strict=False):
        (folder / Path(raw_name.decode("utf-8", "surrogateescape"))).write_bytes(_page(a["path"], "https://wire.example"))
    warehouse = _run(tmp_path, [{"name": "folder", "url": str(folder), "kind": "dir", "settle_seconds": 0,
                                 "base_url": "https://wire.example/archive/"}])
    assert _q(warehouse, "SELECT last_status FROM sources") == [("ok",)]
    urls = {r[0] for r in _q(warehouse, "SELECT url FROM articles")}
    assert urls == {"https://wire.example/archive/a%231.html", "https://wire.example/archive/a%232.html",
                    "https://wire.example/archive/q%3Fx=1.html", "https://wire.example/archive/%2541.html",
                    "https://wire.example/archive/A.html", "https://wire.example/archive/x:y.html",
                    "https://wire.example/archive/caf%E9.html"}


def test_a_warc_file_whose_name_is_not_utf8_is_read_and_the_run_loads(tmp_path: Path) -> None:
    # The source's state names the files read; a Latin-1 name in it (a lone surrogate in JSON) once
    # made the whole run's load fail, and every later run that adopted the batch.
    folder = tmp_path / "warcs"
    folder.mkdir()
    warc = folder / Path(b"r\xe9colte.warc.gz".decode("utf-8", "surrogateescape"))
    with warc.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        a = NATIONAL[0]
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://ledger.example" + a["path"], "response", payload=BytesIO(
            _page(a["path"], "https://ledger.example")), http_headers=http))
    warehouse = _run(tmp_path, [{"name": "archive", "url": str(folder), "kind": "warc"}])
    assert _q(warehouse, "SELECT title FROM articles") == [(a["title"],)]
    state = json.loads(_q(warehouse, "SELECT state FROM sources")[0][0])
    assert state["cursor"]["done"] == [str(folder).replace("\\", "/") + "/r\\xe9colte.warc.gz"]


def test_a_json_feed_with_lone_surrogates_loads_its_items(site, tmp_path: Path) -> None:
    # JSON may escape half a UTF-16 pair ("\ud800"), which no UTF-8 text can hold: a title with one
    # failed the source's staging write (UnicodeEncodeError) and a full-content item with one in its
    # content or byline failed its discovery (internal_error): the whole source was lost each run.
    items = [{"id": a["path"], "url": site.base_url + a["path"], "title": "Lone \ud800 half"} for a in NATIONAL[:2]]
    items.append({"id": "full", "url": "https://national.example/full", "title": "Full \udcff",
                  "content_html": "<p>" + "The whole story is in the feed, \ud83d here. " * 60 + "</p>",
                  "authors": [{"name": "Jane \udc80 Roe"}]})  # fmt: skip
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}))
    warehouse = _run(tmp_path, [{"name": "national-json", "url": str(feed)}])
    assert _q(warehouse, "SELECT last_status FROM sources") == [("ok",)]
    rows = _q(warehouse, "SELECT a.url, r.entry_title, a.text FROM articles a JOIN raw_pages r USING (url) ORDER BY 1")
    assert {r[0] for r in rows} == {i["url"] for i in items}
    full = next(r for r in rows if r[0] == "https://national.example/full")
    assert full[1] == "Full \ufffd" and "in the feed, \ufffd here" in full[2]
    assert all(r[1] == "Lone \ufffd half" for r in rows if r is not full)


def test_a_json_feed_title_with_control_characters_is_stored_as_an_rss_one_would_be(tmp_path: Path) -> None:
    # JSON escapes any control character ("\u0000", "\u001b[2J"); XML cannot hold one, so an RSS
    # title never brought them. A JSON Feed title did, into articles.title and raw_pages.entry_title
    # (a NUL, a terminal's clear-screen sequence), where an RSS title's reference becomes U+FFFD.
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [
        {"id": "1", "url": "https://news.example/full", "title": "Nul\u0000 and \u001b[2Jclear\ttab",
         "content_html": "<p>" + "The whole story is in the feed itself. " * 60 + "</p>"}]}))  # fmt: skip
    warehouse = _run(tmp_path, [{"name": "j", "url": str(feed)}])
    assert _q(warehouse, "SELECT r.entry_title FROM raw_pages r") == [("Nul\ufffd and \ufffd[2Jclear tab",)]
