"""WARC files as they come from crawlers and people (session 28 probe): a WARC gzipped whole after
the crawl, an uncompressed WARC read over several runs, a record missing its WARC-Target-URI, a
cursor the file no longer fits. Each used to lose records or fail the source on every run; all run
against real files, and through the pipeline.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import yaml
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsdedup import warehouse as wh
from newsdedup.config import Settings, SourceSpec
from newsdedup.fetch import Fetcher
from newsdedup.pipeline import run_pipeline
from newsdedup.sources import SourceState, discover


def _records(n: int, *, gz: bool, no_uri: tuple[int, ...] = (), prefix: str = "https://wire.example/story") -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for i in range(n):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        body = (f"<html><head><title>Story {i}</title></head><body><article><h1>Story {i}</h1>"
                + f"<p>Story {i} tells how the harbour board agreed the winter ferry timetable after a long "
                  "debate about fares, the old pier and the night crossing to the island. </p>" * 4
                + "</article></body></html>").encode()
        record = writer.create_warc_record(f"{prefix}{i}.html", "response", payload=io.BytesIO(body),
                                           http_headers=http)
        if i in no_uri:
            record.rec_headers.remove_header("WARC-Target-URI")  # the spec requires it; a broken writer forgot
        writer.write_record(record)
    return buf.getvalue()


def _discover(path: Path, settings: Settings, state: SourceState | None):
    with Fetcher(settings) as f:
        d = discover(SourceSpec("w", str(path), "warc"), settings, f, state)
    # the state goes through the warehouse as JSON between runs
    return d, SourceState.from_dict(json.loads(json.dumps(d.state.to_dict())))


def _read_all(path: Path, per_run: int, runs: int = 8) -> tuple[list[str], list[tuple[str | None, str | None]]]:
    settings, state = Settings(max_entries_per_source=per_run), None
    urls: list[str] = []
    errors: list[tuple[str | None, str | None]] = []
    for _ in range(runs):
        d, state = _discover(path, settings, state)
        assert d.error is None, (d.error, d.detail)
        urls += [e.url for e in d.entries]
        errors += [(a.error, a.detail) for a in d.attempts if a.error]
    return urls, errors


def test_a_warc_gzipped_whole_after_the_crawl_is_read_record_by_record(tmp_path: Path) -> None:
    # `gzip crawl.warc` makes one gzip member of the whole file: warcio reads the first record and
    # refuses to go on (it seeks by member). Only that record was stored, the file was then "done" at a
    # negative offset, and every later run failed the source (seek to -3819).
    warc = tmp_path / "crawl.warc.gz"
    warc.write_bytes(gzip.compress(_records(10, gz=False)))
    urls, errors = _read_all(warc, per_run=3)
    assert urls == [f"https://wire.example/story{i}.html" for i in range(10)]  # each once, in order
    assert errors == []


def test_an_uncompressed_warc_is_read_on_where_the_last_run_stopped(tmp_path: Path) -> None:
    # warcio's record length leaves out the blank lines after an uncompressed record: the next run
    # sought to them, read "a record" of no type, and took the file as done. Every record after the
    # first run's max_entries was lost without a word.
    warc = tmp_path / "crawl.warc"
    warc.write_bytes(_records(6, gz=False))
    urls, errors = _read_all(warc, per_run=2)
    assert urls == [f"https://wire.example/story{i}.html" for i in range(6)] and errors == []


def test_a_record_without_its_target_uri_is_skipped_and_the_rest_are_read(tmp_path: Path) -> None:
    # warcio raised AttributeError on it: an internal_error of the whole source, on every run.
    for gz in (True, False):
        warc = tmp_path / f"broken{int(gz)}.warc{'.gz' if gz else ''}"
        warc.write_bytes(_records(6, gz=gz, no_uri=(2,)))
        urls, errors = _read_all(warc, per_run=2)
        assert urls == [f"https://wire.example/story{i}.html" for i in (0, 1, 3, 4, 5)], gz
        assert [e for e, _ in errors] == ["malformed_warc"], errors
        assert "skipped" in errors[0][1], errors


def test_a_cursor_the_file_no_longer_fits_reads_the_file_again_from_its_start(tmp_path: Path) -> None:
    # A state from an older release (or a file replaced by a smaller one) with an offset past the end
    # or below zero: the seek failed the whole source on every run.
    warc = tmp_path / "c.warc.gz"
    warc.write_bytes(_records(3, gz=True))
    name = warc.as_posix()
    for cursor in ({"file": name, "offset": -3819}, {"file": name, "offset": 10**12},
                   {"file": "", "offset": 0, "done": [name], "done_at": {name: -3819}}):
        d, _ = _discover(warc, Settings(), SourceState(cursor=cursor))
        assert d.error is None and [e.url for e in d.entries] == [
            f"https://wire.example/story{i}.html" for i in range(3)], cursor


def test_a_folder_of_good_whole_gzipped_and_broken_warcs_loads_every_readable_record(tmp_path: Path) -> None:
    folder = tmp_path / "crawls"
    folder.mkdir()
    (folder / "a.warc.gz").write_bytes(_records(3, gz=True, prefix="https://a.example/s"))
    (folder / "b.warc.gz").write_bytes(gzip.compress(_records(3, gz=False, prefix="https://b.example/s")))
    (folder / "c.warc").write_bytes(_records(3, gz=False, no_uri=(0,), prefix="https://c.example/s"))
    sources = tmp_path / "sources.yaml"
    sources.write_text(yaml.safe_dump({"settings": {"recheck_hours": [], "max_entries_per_source": 4},
                                       "sources": [{"name": "crawls", "url": str(folder), "kind": "warc"}]}))
    warehouse = tmp_path / "w.duckdb"
    for _ in range(3):
        summary = run_pipeline(str(sources), str(warehouse), str(tmp_path / "st"))
        assert summary.sources[0]["status"] == "ok", summary.sources[0]
    urls = sorted(u for (u,) in wh.query_rows(warehouse, "SELECT url FROM articles")[1])
    assert urls == sorted([f"https://a.example/s{i}.html" for i in range(3)]
                          + [f"https://b.example/s{i}.html" for i in range(3)]
                          + [f"https://c.example/s{i}.html" for i in (1, 2)])


def _arc(n: int, *, gz: bool) -> bytes:
    """An ARC file (the Internet Archive's format before WARC), a gzip member per record when `gz`."""
    desc = b"1 0 Crawl\nURL IP-address Archive-date Content-type Archive-length\n"
    parts = [b"filedesc://crawl.arc 0.0.0.0 20200101000000 text/plain %d\n%s\n" % (len(desc), desc)]
    for i in range(n):
        body = (b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><article><h1>Archived %d</h1><p>" % i
                + b"The archived story tells how the harbour board agreed the winter timetable. " * 5
                + b"</p></article></body></html>")
        parts.append(b"http://arc.example/%d.html 192.0.2.1 20200101000000 text/html %d\n%s\n" % (i, len(body), body))
    return b"".join(gzip.compress(p) for p in parts) if gz else b"".join(parts)


def test_an_arc_file_gives_its_records_urls(tmp_path: Path) -> None:
    # `.arc` and `.arc.gz` were taken as WARC sources, but an ARC record has no WARC-Target-URI: every
    # record was an invalid_url ("empty URL") and nothing was stored.
    for gz in (False, True):
        arc = tmp_path / f"crawl{int(gz)}.arc{'.gz' if gz else ''}"
        arc.write_bytes(_arc(5, gz=gz))
        urls, errors = _read_all(arc, per_run=2)
        assert urls == [f"http://arc.example/{i}.html" for i in range(5)] and errors == [], gz


def test_an_arc_file_gzipped_whole_is_read_as_one_stream(tmp_path: Path) -> None:
    # `gzip crawl.arc`: one member, ARC records (no "WARC/1." line to count) were not recognised as a
    # stream: the first record only, then every run a malformed_warc.
    arc = tmp_path / "crawl.arc.gz"
    arc.write_bytes(gzip.compress(_arc(5, gz=False)))
    urls, errors = _read_all(arc, per_run=2)
    assert urls == [f"http://arc.example/{i}.html" for i in range(5)] and errors == []
