"""What a hostile page or feed can put in the warehouse, and what an analyst's SQL can do to a reader
(the second attacker probe, after issue 10).

- A lone UTF-16 surrogate (a `\\ud83d` escape in JSON-LD or script state, a `&#xD83D;` reference in a
  feed) once failed the whole source: pyarrow and feedparser cannot encode it. It is stored as U+FFFD.
- Terminal controls (ESC sequences, CR, BEL, C1, bidi overrides) in titles and text are stored as they
  came, and escaped wherever a command prints them for a terminal (`sql`, `diff`).
- `sql --json` writes strict JSON (no NaN/Infinity); Ctrl-C stops a running query; readers have no
  spill directory (a writable folder beside the snapshot) and a memory limit.

A real local HTTP server, the real pipeline and the installed console script.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from newsdedup import warehouse as wh
from newsdedup.pipeline import run_pipeline

sys.path.insert(0, str(Path(__file__).parent / "fetch"))
from local_server import TestServer  # noqa: E402

EXE = str(Path(sys.executable).with_name("newsdedup"))
ESC = "\x1b"
# What a terminal would obey: clear the screen, set the window title, ring, return to the line start,
# a C1 CSI, a right-to-left override.
CONTROLS = (ESC, "\x07", "\r", "\x9b", "\u202e")
HOSTILE_TITLE = f"Budget {ESC}[2J{ESC}]0;pwned\x07 vote\rFAKE \u202eevil\u202c \x9b31m passes"
PARA = ("The regional council approved a budget on Tuesday that shifts money from road building to public "
        "transport, after a debate that lasted well into the night and drew hundreds of residents. ")


def _page(title: str, head: str = "", extra: str = "") -> bytes:
    return (f'<html lang="en"><head><meta charset="utf-8"><title>{title}</title>{head}</head><body><article>'
            f"<h1>{title}</h1><p>{PARA}Supporters said the plan {ESC}[1;31mwould cut commuting times.{extra}</p>"
            f"<p>{PARA * 2}</p><p>{PARA}The finance chief said it was the most ambitious plan yet.</p>"
            "</article></body></html>").encode()


LD_SURROGATE = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Lone \\ud83d surrogate '
                'headline", "author": {"@type": "Person", "name": "Ann \\udc00 Lee"}}</script>')


def _sources(tmp: Path, feed_url: str, recheck: list[int] | None = None) -> Path:
    cfg = tmp / "sources.yaml"
    settings: dict[str, object] = {"allow_private_networks": True, "retries": 0}
    if recheck is not None:
        settings["recheck_hours"] = recheck
    cfg.write_text(yaml.safe_dump({"settings": settings,
                                   "sources": [{"name": "hostile", "url": feed_url, "kind": "rss"}]}))
    return cfg


def _feed(srv: TestServer, items: list[tuple[str, str]]) -> None:
    body = "".join(f"<item><title>{t}</title><link>{srv.url(p)}</link></item>" for p, t in items)
    srv.static("/feed.xml", f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{body}'
                            "</channel></rss>", content_type="application/rss+xml")


@pytest.fixture(scope="module")
def hostile_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two runs over a site whose pages carry terminal controls; the second revises one page."""
    tmp = tmp_path_factory.mktemp("hostile")
    with TestServer() as srv:
        srv.static("/a", _page("Budget vote passes"))
        srv.static("/b", _page("Second story", extra=" \u202eevil"))
        _feed(srv, [("/a", "Budget vote"), ("/b", f"Feed {ESC}[31mtitle")])
        cfg = _sources(tmp, srv.url("/feed.xml"), recheck=[0])
        run_pipeline(str(cfg), str(tmp / "w.duckdb"), str(tmp / "st"), run_id="hostile-1")
        srv.static("/a", _page(HOSTILE_TITLE, extra=f" A correction{ESC}[8m hidden\rFORGED."))
        run_pipeline(str(cfg), str(tmp / "w.duckdb"), str(tmp / "st"), run_id="hostile-2")
    return tmp / "w.duckdb"


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=timeout)


# ------------------------------------------------------------------------------ lone surrogates
def test_a_lone_surrogate_in_a_page_or_feed_does_not_fail_the_source(tmp_path: Path) -> None:
    with TestServer() as srv:
        srv.static("/ld", _page("Ordinary title", head=LD_SURROGATE))
        srv.static("/feed-title", _page(""))
        srv.static("/plain", _page("A plain story about the harbour"))
        _feed(srv, [("/ld", "Ld"), ("/feed-title", "Feed &#xD83D; title &#56320; here"), ("/plain", "Plain")])
        summary = run_pipeline(str(_sources(tmp_path, srv.url("/feed.xml"))), str(tmp_path / "w.duckdb"),
                               str(tmp_path / "st"))
    (source,) = summary.sources
    assert source["status"] == "ok", source
    assert source["entries"] == 3 and source["new"] == 3
    titles = dict(wh.query_rows(tmp_path / "w.duckdb", "SELECT url, title FROM articles")[1])
    assert titles[srv.url("/ld")] == "Lone \ufffd surrogate headline"
    assert titles[srv.url("/feed-title")] == "Feed \ufffd title \ufffd here"
    authors = wh.query_rows(tmp_path / "w.duckdb", "SELECT authors FROM articles WHERE url = ?", [srv.url("/ld")])
    assert authors[1] == [(["Ann \ufffd Lee"],)]


def test_extract_writes_valid_json_for_a_lone_surrogate(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(_page("Ordinary title", head=LD_SURROGATE))
    proc = _run("extract", str(page), "--url", "http://127.0.0.1/ld")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    record = json.loads(proc.stdout)
    assert record["title"] == "Lone \ufffd surrogate headline" and record["authors"] == ["Ann \ufffd Lee"]
