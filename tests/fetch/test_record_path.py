"""One decoder and one article-record path (issue 10, items 2-5): ingest and `reclean` build the record
the same way from the same stored inputs (raw bytes, Content-Type, status, final URL, fetch time, the
entry's title and date), whatever carried the page: HTTP, a WARC record, a `dir` source's file."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from local_server import TestServer
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsdedup import warehouse as wh
from newsdedup.config import ConfigError
from newsdedup.pipeline import reclean, run_pipeline
from newsdedup.samplesite import serve, write_sources_file

ROOT = Path(__file__).resolve().parents[2]
TRUTH = json.loads((ROOT / "samples" / "truth.json").read_text())

# Polish in ISO-8859-2, with its charset only in the Content-Type header: "ą" is byte 0xB1, which
# windows-1250 (what detection guesses without the header) reads as "±".
POLISH = ("Rząd przyjął w środę projekt ustawy budżetowej na przyszły rok. Minister finansów zapowiedział, "
          "że deficyt będzie niższy, niż oczekiwali ekonomiści, a wydatki na zdrowie i edukację wzrosną. "
          "Opozycja skrytykowała plan, twierdząc, że rząd zbyt optymistycznie ocenia wzrost gospodarczy.")
POLISH_PAGE = (f"<html><head><title>Rząd przyjął budżet</title></head><body><article><h1>Rząd przyjął budżet</h1>"
               f"<p>{POLISH}</p><p>{POLISH.replace('Rząd', 'Gabinet')}</p></article></body></html>")
# No <title>, no heading, no date: what the page lacks, the feed entry gave.
UNTITLED_PAGE = ("<html><head></head><body><div class='story'><p>The harbour authority said on Monday that the "
                 "new container terminal would open in the spring, two years later than first planned, after "
                 "a dispute with the construction company over the cost of dredging the approach channel.</p>"
                 "<p>Shipping lines had been told to expect the delay, the authority said, and none had "
                 "cancelled their bookings for the coming season.</p></div></body></html>")


def _cfg(tmp_path: Path, sources: list[dict]) -> Path:
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(yaml.safe_dump({"settings": {"allow_private_networks": True, "retries": 0,
                                                "sitemap_lookback_days": 3650}, "sources": sources}))
    return cfg


def _run(tmp_path: Path, sources: list[dict]):
    warehouse = tmp_path / "w.duckdb"
    summary = run_pipeline(sources_file=str(_cfg(tmp_path, sources)), warehouse=str(warehouse),
                           staging=str(tmp_path / "staging"))
    return warehouse, summary


def _q(path: Path, sql: str, params=None):
    return wh.query_rows(path, sql, params)[1]


def _records(path: Path) -> dict[str, tuple]:
    return {r[0]: r[1:] for r in _q(path, "SELECT url, title, published_at, text, content_hash, language, "
                                          "authors, canonical_url, clean_error FROM articles")}


def test_header_charset_survives_reclean_and_feed_metadata_is_kept(tmp_path: Path) -> None:
    """A page whose charset is only in the HTTP header decodes right at ingest and after reclean
    (same text, same content hash); a page with no title or date keeps the feed's after reclean."""
    with TestServer() as srv:
        srv.static("/pl", POLISH_PAGE.encode("iso-8859-2"), content_type="text/html; charset=iso-8859-2")
        srv.static("/untitled", UNTITLED_PAGE)
        srv.static("/feed.xml", f"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>Rząd przyjął budżet</title><link>{srv.url('/pl')}</link></item>
<item><title>Terminal opening delayed to spring</title><link>{srv.url('/untitled')}</link>
<pubDate>Tue, 10 Nov 2026 08:00:00 GMT</pubDate></item></channel></rss>""", content_type="application/rss+xml")
        warehouse, _ = _run(tmp_path, [{"name": "pl", "url": srv.url("/feed.xml"), "kind": "rss"}])
    before = _records(warehouse)
    pl = before[srv.url("/pl")]
    assert "Rząd przyjął w środę" in pl[2] and "ą" in pl[0]
    untitled = before[srv.url("/untitled")]
    assert untitled[0] == "Terminal opening delayed to spring"
    assert untitled[1].isoformat().startswith("2026-11-10T08:00:00")
    assert _q(warehouse, "SELECT content_type, entry_title FROM raw_pages WHERE url = ?", [srv.url("/pl")]) == [
        ("text/html; charset=iso-8859-2", "Rząd przyjął budżet")]

    summary = reclean(warehouse=str(warehouse), staging=str(tmp_path / "staging"))
    assert summary.added["articles"] == 0 and sum(s["new"] for s in summary.sources) == 2
    assert _records(warehouse) == before  # the same record from the same stored inputs


def test_the_feeds_date_beats_a_page_date_read_only_from_the_whole_page(tmp_path: Path) -> None:
    """A page that prints no date of its own (no structured data, no byline date) but an archive box
    of old days: htmldate's whole-page reading took the archive's day; the feed's pubDate is the entry's.
    A date printed under the headline still beats the feed's."""
    story = ("<p>The harbour authority said on Monday that the new container terminal would open in the spring, "
             "two years later than first planned, after a dispute over the cost of dredging the channel.</p>"
             "<p>Shipping lines had been told to expect the delay, the authority said, and none had cancelled "
             "their bookings for the coming season.</p>")
    archive = ("<div><h3>Archive</h3><ul><li><a href='/a1'>Harbour opens</a> March 3, 2019</li>"
               "<li><a href='/a2'>Terminal plans</a> March 3, 2019</li></ul></div>")
    undated = (f"<html><head><title>Terminal opening delayed</title></head><body><h1>Terminal opening delayed</h1>"
               f"<div>By Ann Reporter</div>{story}{archive}</body></html>")
    dated = undated.replace("<div>By Ann Reporter</div>", "<div>By Ann Reporter, 9 November 2026</div>")
    with TestServer() as srv:
        srv.static("/undated", undated)
        srv.static("/dated", dated)
        srv.static("/feed.xml", f"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>Terminal opening delayed</title><link>{srv.url('/undated')}</link>
<pubDate>Tue, 10 Nov 2026 08:00:00 GMT</pubDate></item>
<item><title>Terminal opening delayed again</title><link>{srv.url('/dated')}</link>
<pubDate>Tue, 10 Nov 2026 08:00:00 GMT</pubDate></item></channel></rss>""", content_type="application/rss+xml")
        warehouse, _ = _run(tmp_path, [{"name": "harbour", "url": srv.url("/feed.xml"), "kind": "rss"}])
    records = _records(warehouse)
    assert records[srv.url("/undated")][1].isoformat().startswith("2026-11-10T08:00:00")
    assert records[srv.url("/dated")][1].date().isoformat() == "2026-11-09"


def _warc(path: Path, records: list[tuple[str, str, bytes, str | None]]) -> None:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, ctype, body, date in records:
            http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http,
                                                          warc_headers_dict={"WARC-Date": date} if date else None))


def test_warc_record_charset_and_date_are_used(tmp_path: Path) -> None:
    """A WARC record's own Content-Type charset decodes its page (it never reached the decoder), its
    WARC-Date is the page's fetch time, and a WARC-Date of 9999 is ignored with a reason."""
    warc = tmp_path / "cc.warc.gz"
    _warc(warc, [
        ("https://pl.example/rzad", "text/html; charset=iso-8859-2", POLISH_PAGE.encode("iso-8859-2"),
         "2026-11-20T10:00:00Z"),
        ("https://pl.example/later", "text/html; charset=utf-8",
         POLISH_PAGE.replace("Rząd przyjął budżet", "Sejm obraduje").encode(), "9999-12-31T23:59:59Z"),
    ])
    warehouse, summary = _run(tmp_path, [{"name": "cc", "url": str(warc)}])
    rows = {u: (t, f, n) for u, t, f, n in _q(warehouse, "SELECT url, text, fetched_at, date_note FROM articles")}
    text, fetched, note = rows["https://pl.example/rzad"]
    assert "Rząd przyjął w środę" in text and note is None
    assert fetched.isoformat().startswith("2026-11-20T10:00:00")
    _, fetched, note = rows["https://pl.example/later"]
    assert fetched.year == 2026 and note == "warc date '9999-12-31T23:59:59Z' ignored: in the future"
    assert summary.sources[0]["dates_ignored"] == {"warc": 1}
    assert _q(warehouse, "SELECT http_status, content_type FROM raw_pages WHERE url = 'https://pl.example/rzad'") == [
        (200, "text/html; charset=iso-8859-2")]


def test_dir_source_declared_charset(tmp_path: Path) -> None:
    """Files have no header: a `dir` source declares their charset, and reclean reads it back."""
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "rzad.html").write_bytes(POLISH_PAGE.encode("iso-8859-2"))
    (folder / "utf8.html").write_bytes(POLISH_PAGE.replace("Rząd przyjął budżet", "Sejm obraduje").encode())
    src = {"name": "archive", "url": str(folder), "kind": "dir", "settle_seconds": 0, "charset": "iso-8859-2",
           "base_url": "https://pl.example/"}
    warehouse, _ = _run(tmp_path, [src])
    texts = dict(_q(warehouse, "SELECT url, text FROM articles"))
    assert "Rząd przyjął w środę" in texts["https://pl.example/rzad.html"]
    # a file that is valid UTF-8 is read as UTF-8 whatever the declaration says (a lying label)
    assert "Rząd przyjął w środę" in texts["https://pl.example/utf8.html"]
    before = _records(warehouse)
    reclean(warehouse=str(warehouse), staging=str(tmp_path / "staging"))
    assert _records(warehouse) == before
    # nothing new in the folder: said as it is, not as an HTTP 304
    _, again = _run(tmp_path, [src])
    line = again.text().splitlines()[1]
    assert "no new or changed files in the folder" in line and "304" not in line


def test_bad_dir_charset_is_a_config_error(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.html").write_bytes(POLISH_PAGE.encode())
    # the sources-file schema refuses it before anything is read or fetched
    with pytest.raises(ConfigError, match=r"sources\[0\]\.charset: 'klingon-8' is not a text encoding"):
        _run(tmp_path, [{"name": "d", "url": str(folder), "kind": "dir", "charset": "klingon-8"}])


def test_extract_command_reads_the_meta_charset_of_a_file(tmp_path: Path) -> None:
    """`newsdedup extract` decodes files with the same decoder: no header, so <meta>, then detection."""
    page = tmp_path / "rzad.html.gz"
    html = POLISH_PAGE.replace("<head>", "<head><meta http-equiv='Content-Type' content='text/html; "
                                         "charset=iso-8859-2'>")
    page.write_bytes(gzip.compress(html.encode("iso-8859-2")))
    out = subprocess.run([str(Path(sys.executable).with_name("newsdedup")), "extract", str(page)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "Rząd przyjął w środę" in json.loads(out.stdout)["text"]


@pytest.fixture(scope="module")
def site():
    with serve(port=0) as s:
        yield s


@pytest.mark.parametrize("gone", ["row_and_file", "file"])
def test_reclean_keeps_a_cluster_whose_canonical_raw_page_is_gone(site, tmp_path: Path, gone: str) -> None:
    """Retention deletes raw pages (row and file; a file may also vanish on its own); reclean then
    decides the recleaned copies against the stored canonical (like a run does), so the syndicated
    story stays one cluster, and its summary counts the near-duplicates per source."""
    sources = write_sources_file(site.base_url, tmp_path / "sources.yaml")
    warehouse = tmp_path / "w.duckdb"
    run_pipeline(sources_file=str(sources), warehouse=str(warehouse), staging=str(tmp_path / "staging"))
    synd = TRUTH["syndicated"]
    original = site.base_url + synd["original"]

    def clusters() -> tuple[set[str], list[tuple]]:
        ids = {r[0] for r in _q(warehouse, "SELECT cluster_id FROM article_clusters JOIN articles USING (article_id) "
                                           "WHERE url IN (SELECT unnest(?::VARCHAR[]))",
                                [[original] + [site.base_url + c for c in synd["copies"]]])}
        return ids, _q(warehouse, "SELECT canonical_article_id, size FROM story_clusters WHERE size > 1 ORDER BY 2")

    whole, stories = clusters()
    assert len(whole) == 1
    decisions = _q(warehouse, "SELECT article_id, cluster_id, decision, matched_article_id FROM article_clusters "
                              "ORDER BY 1")
    (rel,) = _q(warehouse, "SELECT path FROM raw_pages WHERE url = ?", [original])[0]
    (wh.raw_dir(warehouse) / rel).unlink()
    if gone == "row_and_file":  # what maintenance.apply_retention does to old raw pages
        with wh.writer(warehouse) as con:
            con.execute("DELETE FROM raw_pages WHERE url = ?", [original])

    summary = reclean(warehouse=str(warehouse), staging=str(tmp_path / "staging"))
    assert clusters() == (whole, stories)
    # decided as the run decided them: a recleaned article is never compared with its own stored version
    assert _q(warehouse, "SELECT article_id, cluster_id, decision, matched_article_id FROM article_clusters "
                         "ORDER BY 1") == decisions
    assert _q(warehouse, "SELECT count(*) FROM articles")[0][0] == len(TRUTH["articles"])
    text = summary.text()
    wire = next(line for line in text.splitlines() if line.strip().startswith("meridian-wire:"))
    assert ("1 fetch failed (raw_page_unreadable 1)" in wire) == (gone == "file")
    near = {s["source"]: s for s in summary.sources}
    copies_by_source = {"national-ledger": 1, "harbour-valley-gazette": 1, "circuit-and-capital": 1}
    for name, n in copies_by_source.items():
        line = next(x for x in text.splitlines() if x.strip().startswith(name + ":"))
        assert f"{n} near-duplicate of earlier stories" in line, line
        assert near[name]["new"] >= 1
    assert f"near duplicates {len(synd['copies'])}" in text
