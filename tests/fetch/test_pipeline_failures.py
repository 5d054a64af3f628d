"""Whatever a server does, the run goes on: every failure leaves a fetch_log row with a clear error,
no half-written article, and the good pages are stored (through the pipeline, into the warehouse)."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import yaml
from local_server import ARTICLE, Request, TestServer

from newsdedup import warehouse as wh
from newsdedup.pipeline import run_pipeline


def _drip(req: Request) -> None:
    req.start()
    req.write(b"<html><body><p>slow")
    time.sleep(3)  # longer than the read timeout


def _reset(req: Request) -> None:
    req.start()
    req.write(b"<html><body><p>half a page")
    req.reset()


def _endless(req: Request) -> None:
    req.start()
    try:
        for _ in range(10_000):
            req.write(b"<p>" + b"x" * 8192 + b"</p>")
    except OSError:
        pass


def _bomb(req: Request) -> None:
    req.send(200, gzip.compress(b"<html><body>" + b"a" * 50_000_000), headers={"Content-Encoding": "gzip"})


def _flaky(counter: dict[str, int]):
    def handler(req: Request) -> None:
        counter["n"] += 1
        if counter["n"] == 1:
            req.send(500, b"oops", content_type="text/plain")
        else:
            req.send(200, ARTICLE.format(t="Recovered").encode())
    return handler


def test_run_survives_every_failure(tmp_path: Path) -> None:
    with TestServer() as srv:
        pages = {
            "/ok": lambda r: r.send(200, ARTICLE.format(t="Budget").encode()),
            "/missing": lambda r: r.send(404, b"nope", content_type="text/plain"),
            "/flaky": _flaky({"n": 0}),
            "/pdf": lambda r: r.send(200, b"%PDF-1.7\n" + b"\x00\x01binary" * 100),
            "/reset": _reset,
            "/drip": _drip,
            "/loop": lambda r: r.send(302, b"", headers={"Location": "/loop2"}),
            "/loop2": lambda r: r.send(302, b"", headers={"Location": "/loop"}),
            "/endless": _endless,
            "/bomb": _bomb,
        }
        for path, fn in pages.items():
            srv.route(path, fn)
        items = "".join(f"<item><title>{p}</title><link>{srv.url(p)}</link></item>" for p in pages)
        srv.static("/feed.xml", f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}'
                                "</channel></rss>", content_type="application/rss+xml")
        srv.static("/broken.xml", "<rss><channel><<<< garbage & not a feed", content_type="application/rss+xml")
        cfg = tmp_path / "sources.yaml"
        cfg.write_text(yaml.safe_dump({
            "settings": {"allow_private_networks": True, "read_timeout": 1.0, "total_timeout": 5.0,
                         "max_bytes": 2_000_000, "retries": 1, "backoff_base": 0.05, "backoff_max": 1.0},
            "sources": [{"name": "hostile", "url": srv.url("/feed.xml"), "kind": "rss"},
                        {"name": "broken", "url": srv.url("/broken.xml"), "kind": "rss"}],
        }))
        warehouse = tmp_path / "w.duckdb"
        summary = run_pipeline(sources_file=str(cfg), warehouse=str(warehouse), staging=str(tmp_path / "st"))

    def q(sql: str):
        return wh.query_rows(warehouse, sql)[1]

    titles = sorted(r[0] for r in q("SELECT title FROM articles"))
    assert titles == ["Budget", "Recovered"]
    assert q("SELECT count(*) FROM articles WHERE text = '' OR text LIKE '%Latest News%'") == [(0,)]
    errors = {url.rsplit("/", 1)[-1]: err for url, err in q(
        "SELECT url, error FROM fetch_log WHERE purpose = 'page' "
        "QUALIFY row_number() OVER (PARTITION BY url ORDER BY attempt DESC) = 1")}
    assert errors["ok"] is None and errors["flaky"] is None
    assert errors["missing"] == "http_404"
    assert errors["pdf"] == "unsupported_content_type"
    assert errors["reset"] in ("connection_error", "incomplete_body", "read_error")
    assert errors["drip"] == "timeout"
    assert errors["loop"] in ("redirect_loop", "too_many_redirects")
    assert errors["endless"] == "too_large"
    assert errors["bomb"] in ("decompression_bomb", "too_large")
    # the 500 was retried and both attempts are logged
    assert q("SELECT status, attempt FROM fetch_log WHERE url LIKE '%/flaky' ORDER BY attempt") == [(500, 1), (200, 2)]
    # the malformed feed failed as a source, the run went on and says so
    by_source = {s["source"]: s for s in summary.sources}
    assert by_source["hostile"]["status"] == "ok"
    assert by_source["hostile"]["fetch_failed"] == 8
    assert by_source["broken"]["status"] == "failed" and by_source["broken"]["error"] == "malformed_feed"
    assert q("SELECT last_status, last_error FROM sources WHERE name = 'broken'") == [("failed", "malformed_feed")]
    assert q("SELECT status, sources_failed FROM ingest_runs") == [("partial", 1)]


def test_private_address_refused_unless_allowed(tmp_path: Path) -> None:
    with TestServer() as srv:
        srv.static("/a", ARTICLE.format(t="Private"))
        cfg = tmp_path / "sources.yaml"
        cfg.write_text(yaml.safe_dump({"sources": [{"name": "local", "url": srv.url("/a"), "kind": "page"}]}))
        warehouse = tmp_path / "w.duckdb"
        summary = run_pipeline(sources_file=str(cfg), warehouse=str(warehouse), staging=str(tmp_path / "st"))
    assert summary.sources[0]["fetch_errors"] == {"private_address": 1}
    rows = wh.query_rows(warehouse, "SELECT error FROM fetch_log")[1]
    assert rows and all(r[0] == "private_address" for r in rows)
    assert wh.query_rows(warehouse, "SELECT count(*) FROM articles")[1] == [(0,)]


def _dated(title: str, ld_date: str | None = None) -> bytes:
    ld = (f'<script type="application/ld+json">{{"@type": "NewsArticle", "datePublished": "{ld_date}"}}</script>'
          if ld_date else "")
    return ARTICLE.format(t=title).replace("</head>", ld + "</head>").encode()


def test_implausible_dates_become_no_date_with_a_reason(tmp_path: Path) -> None:
    """A feed item dated year 1 (issue 10, item 1) sank every source of the run with OverflowError.
    Year 1, 1900, 9999 and far-future dates from feeds, sitemaps and the page itself are dropped,
    the reason is counted in the source's summary and noted on the article, and the run goes on."""
    with TestServer() as srv:
        feed_dates = {"/year1": "0001-01-01T00:00:00Z", "/y1900": "Mon, 01 Jan 1900 00:00:00 GMT",
                      "/y9999": "9999-12-31T23:59:59Z", "/future": "2199-06-01T00:00:00Z",
                      "/good": "Fri, 10 May 2024 09:30:00 GMT"}
        for path in feed_dates:
            srv.static(path, _dated(f"Story {path[1:]}"))
        srv.static("/ld9999", _dated("Story ld9999", "9999-12-31T23:59:59-05:00"))
        srv.static("/map1", _dated("Story map1"))
        srv.static("/map2", _dated("Story map2"))
        items = "".join(f"<item><title>Story {p[1:]}</title><link>{srv.url(p)}</link><pubDate>{d}</pubDate></item>"
                        for p, d in feed_dates.items())
        items += f"<item><title>Story ld9999</title><link>{srv.url('/ld9999')}</link></item>"
        srv.static("/feed.xml", f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}'
                                "</channel></rss>", content_type="application/rss+xml")
        srv.static("/sitemap.xml", f"""<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{srv.url('/map1')}</loc><lastmod>0001-01-01</lastmod></url>
<url><loc>{srv.url('/map2')}</loc><news:news><news:publication_date>9999-12-31T23:59:59-05:00</news:publication_date>
<news:title>Story map2</news:title></news:news></url></urlset>""", content_type="application/xml")
        cfg = tmp_path / "sources.yaml"
        cfg.write_text(yaml.safe_dump({
            "settings": {"allow_private_networks": True, "retries": 0},
            "sources": [{"name": "dated", "url": srv.url("/feed.xml"), "kind": "rss"},
                        {"name": "mapped", "url": srv.url("/sitemap.xml"), "kind": "sitemap"}],
        }))
        warehouse = tmp_path / "w.duckdb"
        summary = run_pipeline(sources_file=str(cfg), warehouse=str(warehouse), staging=str(tmp_path / "st"))

    by_source = {s["source"]: s for s in summary.sources}
    assert by_source["dated"]["status"] == "ok" and by_source["mapped"]["status"] == "ok"
    assert by_source["dated"]["dates_ignored"] == {"feed": 4, "page": 1}
    assert by_source["mapped"]["dates_ignored"] == {"sitemap": 2}
    assert "5 implausible dates ignored" in summary.text()
    rows = {t: (p, n) for t, p, n in wh.query_rows(
        warehouse, "SELECT title, published_at, date_note FROM articles")[1]}
    assert len(rows) == 8
    assert rows["Story good"][0].year == 2024 and rows["Story good"][1] is None
    for name in ("year1", "y1900", "y9999", "future", "ld9999", "map1", "map2"):
        published, note = rows[f"Story {name}"]
        assert published is None, name
        assert note and "ignored" in note, name
    assert "0001-01-01" in rows["Story year1"][1] and "before 1995" in rows["Story year1"][1]
    assert "in the future" in rows["Story y9999"][1]
    assert "page date" in rows["Story ld9999"][1]
    assert wh.query_rows(warehouse, "SELECT count(*) FROM articles WHERE year(published_at) > 2100 "
                                    "OR year(updated_at) > 2100")[1] == [(0,)]


def test_a_bot_walled_page_is_counted_by_its_wall(tmp_path: Path) -> None:
    """A site behind a bot wall answers 200 with a challenge page: the run stores a failed clean named
    after the wall and the source line says so, so the operator knows the source is walled off."""
    walled = (b"<html><head><META NAME='robots' CONTENT='noindex,nofollow'><script src='/_Incapsula_Resource?"
              b"SWJIYLWA=5074a744e2e3d891814e9a2dace20bd4'></script><body></body></html>")
    with TestServer() as srv:
        srv.static("/ok", ARTICLE.format(t="Budget"))
        srv.route("/walled", lambda r: r.send(200, walled))
        items = "".join(f"<item><title>{p}</title><link>{srv.url(p)}</link></item>" for p in ("/ok", "/walled"))
        srv.static("/feed.xml", f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}'
                                "</channel></rss>", content_type="application/rss+xml")
        cfg = tmp_path / "sources.yaml"
        cfg.write_text(yaml.safe_dump({"settings": {"allow_private_networks": True},
                                       "sources": [{"name": "walled", "url": srv.url("/feed.xml"), "kind": "rss"}]}))
        warehouse = tmp_path / "w.duckdb"
        summary = run_pipeline(sources_file=str(cfg), warehouse=str(warehouse), staging=str(tmp_path / "st"))
    assert "1 clean failed (blocked_by_incapsula 1)" in summary.text()
    rows = wh.query_rows(warehouse, "SELECT url, clean_error, text FROM articles ORDER BY url")[1]
    assert [(u.rsplit("/", 1)[-1], e, bool(t)) for u, e, t in rows] == [
        ("ok", None, True), ("walled", "blocked_by_incapsula", False)]


def test_a_feed_link_to_a_meta_refresh_stub_stores_the_story(tmp_path: Path) -> None:
    """A feed whose links go through `<meta http-equiv="refresh">` pages stored each stub as the
    article: a record without text (`no_main_text`). The story the stub sends readers to is stored,
    under its own URL, and the fetch_log row of the listed link says how it was reached."""
    with TestServer() as srv:
        srv.static("/story", ARTICLE.format(t="Budget"))
        srv.static("/go/1", "<html><head><meta http-equiv='refresh' content=\"0;URL='/story'\"></head>"
                            "<body>Redirecting…</body></html>")
        srv.static("/feed.xml", f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
                                f"<title>Budget</title><link>{srv.url('/go/1')}</link></item></channel></rss>",
                   content_type="application/rss+xml")
        cfg = tmp_path / "sources.yaml"
        cfg.write_text(yaml.safe_dump({"settings": {"allow_private_networks": True},
                                       "sources": [{"name": "stubs", "url": srv.url("/feed.xml"), "kind": "rss"}]}))
        warehouse = tmp_path / "w.duckdb"
        summary = run_pipeline(sources_file=str(cfg), warehouse=str(warehouse), staging=str(tmp_path / "st"))
    assert summary.sources[0]["clean_failed"] == 0
    (url, text), = wh.query_rows(warehouse, "SELECT url, text FROM articles")[1]
    assert "regional council approved a budget" in text
    (final, detail), = wh.query_rows(warehouse, "SELECT final_url, detail FROM fetch_log WHERE url LIKE '%/go/1'")[1]
    assert final == srv.url("/story") and "meta http-equiv=refresh" in detail
