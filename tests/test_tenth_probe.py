"""The tenth attacker probe (session 36): outside inputs the nine probes before it did not try. Each
test failed on the code before its fix; network tests run against real servers on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fetch"))

from local_server import TestServer  # noqa: E402

from newsdedup.config import Settings, SourceSpec  # noqa: E402
from newsdedup.fetch import Fetcher  # noqa: E402
from newsdedup.sources import discover  # noqa: E402

EXE = str(Path(sys.executable).with_name("newsdedup"))


NOW = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)
SETTINGS = Settings(allow_private_networks=True, connect_timeout=1.0, read_timeout=1.0, total_timeout=5.0,
                    max_bytes=1_000_000, retries=0, backoff_base=0.02, backoff_max=1.0)


@pytest.fixture
def server() -> TestServer:
    with TestServer() as srv:
        yield srv


def _discover(url: str, kind: str | None = None):
    with Fetcher(SETTINGS) as f:
        return discover(SourceSpec("probe", url, kind), SETTINGS, f, now=NOW)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=300)


# --- `newsdedup extract --manifest`: the id of a line ------------------------------------------


@pytest.mark.parametrize("case", [{}, {"id": None}, {"id": ""}, {"id": [1, 2]}, {"id": {"a": 1}}, {"id": True}])
def test_a_manifest_line_without_a_usable_id_is_named(tmp_path: Path, case: dict[str, object]) -> None:
    # A line without "id" was a KeyError traceback; null, a list or an object was printed as the id
    # "None", "[1, 2]" (every such line the same id, its score matched to no gold case).
    (tmp_path / "a.html").write_text("<html><body><p>hello</p></body></html>")
    manifest = tmp_path / "cases.jsonl"
    good = json.dumps({"id": "c1", "path": "a.html", "url": None})
    manifest.write_text(good + "\n" + json.dumps({**case, "path": "a.html", "url": None}) + "\n")
    proc = _run("extract", "--manifest", str(manifest))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith(f"{manifest}:2: bad manifest line ("), proc.stderr
    assert "'id'" in proc.stderr and proc.stdout == ""


def test_a_manifest_id_may_be_a_string_or_an_integer(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<html><body><p>hello</p></body></html>")
    manifest = tmp_path / "cases.jsonl"
    manifest.write_text("\n".join(json.dumps({"id": i, "path": "a.html"}) for i in ("x", 7, 0)) + "\n")
    proc = _run("extract", "--manifest", str(manifest))
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(line)["id"] for line in proc.stdout.splitlines()] == ["x", "7", "0"]


# --- a JSON Feed written in the charset its Content-Type names ---------------------------------


def _json_feed(title: str, html: str) -> str:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Feed", "items": [
        {"id": "1", "url": "https://news.test/a", "title": title, "content_html": html}]}, ensure_ascii=False)


def test_a_json_feed_in_the_charset_its_header_names_keeps_its_letters(server: TestServer) -> None:
    # JSON is UTF-8 (RFC 8259), but a site's JSON Feed is written as its pages are: a PHP site serving
    # windows-1252 says so in the header. Every letter past ASCII was U+FFFD (the bytes read as UTF-8
    # with replacement), in titles and in the full-content pages made from content_html, without a word.
    title = "Caf\u00e9 \u2013 d\u00e9j\u00e0 vu \u00e0 l\u2019op\u00e9ra"
    body = "<p>" + "Le conseil r\u00e9gional a adopt\u00e9 le budget apr\u00e8s un long d\u00e9bat. " * 40 + "</p>"
    url = server.static("/feed.json", _json_feed(title, body).encode("cp1252"),
                        "application/feed+json; charset=windows-1252")
    d = _discover(url)
    assert d.error is None, d.detail
    (entry,) = d.entries
    assert entry.title == title
    assert entry.body is not None and "r\u00e9gional a adopt\u00e9".encode() in entry.body
    assert "\ufffd".encode() not in entry.body


def test_a_utf8_json_feed_with_one_stray_byte_stays_utf8_whatever_its_header_says(server: TestServer) -> None:
    # The header gives way to bytes that are UTF-8 but for a stray byte (a cut character), as for pages.
    title = "\u65e5\u672c\u8a9e\u306e\u30cb\u30e5\u30fc\u30b9 \u2013 Z\u00fcrich"
    raw = _json_feed(title, "<p>x</p>").encode("utf-8").replace(b'"Feed"', b'"Fe\xe9d"')
    url = server.static("/stray.json", raw, "application/feed+json; charset=iso-8859-1")
    d = _discover(url)
    assert d.error is None, d.detail
    assert [e.title for e in d.entries] == [title]
