"""A small news site on 127.0.0.1 whose pages are edited between pipeline runs (issue 12).

Pages live in memory and can be rewritten, removed (404 or 410) or made to rotate their template
(sidebar, "most read" box, ad slot, timestamp) on every request. Responses carry an ETag and a
Last-Modified like a real CMS, and a conditional GET that still matches gets a 304. Every request is
recorded with its headers, so a test can check what a re-check sent.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape as xml_escape

MOST_READ = [
    "Council approves new cycle lanes on the harbour road",
    "Storm warning issued for the northern islands",
    "Local bakery wins national bread award",
    "Rail strike called off after late-night talks",
    "Museum reopens its maritime gallery after repairs",
    "School meals to include more local produce",
    "Ferry timetable changes from next month",
]


def article_html(title: str, paragraphs: list[str], *, published: str, sidebar_seed: int = 0,
                 stamp: str = "2026-11-24 08:00") -> str:
    """An article page in a typical news template: navigation, the story, a "most read" box beside it
    and a "read next" promo inside it, an ad slot, a relative "updated" time in the byline and a
    footer with the time the page was generated. `sidebar_seed` rotates all of them."""
    most_read = [MOST_READ[(sidebar_seed + i) % len(MOST_READ)] for i in range(5)]
    ad = ["Save 20% on winter tyres this week", "Book your spring holiday now", "New electric bikes in store"][
        sidebar_seed % 3]
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    t = escape(title)
    boxes = "".join(f'<li><a href="/most-read/{i}">{escape(x)}</a></li>' for i, x in enumerate(most_read))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{t} | Calder Courier</title>
<meta property="og:title" content="{t}">
<meta property="article:published_time" content="{published}">
</head><body>
<header><nav><a href="/">Home</a> <a href="/news/">News</a> <a href="/sport/">Sport</a></nav></header>
<main><article><h1>{t}</h1><p class="byline">By Ines Varga · Updated {2 + sidebar_seed % 50} minutes ago</p>
{body}
<div class="read-next"><h3>Read next</h3><ul><li><a href="/most-read/{sidebar_seed % 7}">{escape(most_read[2])}</a></li>
<li><a href="/most-read/{(sidebar_seed + 3) % 7}">{escape(most_read[4])}</a></li></ul></div>
</article>
<aside class="most-read"><h2>Most read</h2><ol>{boxes}</ol></aside>
<div class="ad-slot"><p>Advertisement</p><p>{escape(ad)}</p></div>
</main>
<footer><p>Calder Courier. Page generated {escape(stamp)}.</p></footer>
</body></html>
"""


@dataclass
class Page:
    title: str
    paragraphs: list[str]
    published: str = "2026-11-24T08:00:00+00:00"
    status: int = 200              # 404 or 410 once removed
    validators: bool = True        # send ETag and Last-Modified
    rotating: bool = False         # a new sidebar, ad and timestamp on every request
    listed: bool = True            # in the feed
    modified: datetime = field(default_factory=lambda: datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    location: str | None = None    # with a 3xx status: where the page now redirects
    clock: bool = False            # a live page: a "last updated" line with the time, in the story itself


class EditableSite:
    """The site on a background thread; use as a context manager."""

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.requests: list[tuple[str, dict[str, str], int]] = []
        self.feed_etag = False  # the feed answers with an ETag, and a 304 to a request that still matches
        self._lock = threading.Lock()
        self._counter = itertools.count(1)
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                status, body, headers = site._respond(self.path, dict(self.headers.items()))
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client closing its keep-alive connection is not an error here

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    # editing
    def add(self, path: str, title: str, paragraphs: list[str], **kw: Any) -> str:
        self.pages[path] = Page(title, list(paragraphs), **kw)
        return self.url(path)

    def edit(self, path: str, *, title: str | None = None, paragraphs: list[str] | None = None) -> None:
        """Publish a new version of a page (a new ETag and a later Last-Modified)."""
        p = self.pages[path]
        if title is not None:
            p.title = title
        if paragraphs is not None:
            p.paragraphs = list(paragraphs)
        p.modified += timedelta(hours=1)

    def remove(self, path: str, status: int = 404) -> None:
        self.pages[path].status = status

    def url(self, path: str) -> str:
        return self.base_url + path

    def requests_for(self, path: str) -> list[tuple[dict[str, str], int]]:
        with self._lock:
            return [(h, s) for p, h, s in self.requests if p == path]

    # serving
    def _respond(self, path: str, headers: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
        status, body, out = self._render(path, {k.lower(): v for k, v in headers.items()})
        with self._lock:
            self.requests.append((path, headers, status))
        return status, body, out

    def _render(self, path: str, headers: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
        html_type = {"Content-Type": "text/html; charset=utf-8"}
        if path == "/feed.xml":
            items = "".join(
                f"<item><title>{xml_escape(p.title)}</title><link>{self.base_url}{k}</link>"
                f"<guid>{self.base_url}{k}</guid><pubDate>{format_datetime(datetime.fromisoformat(p.published))}"
                "</pubDate></item>" for k, p in self.pages.items() if p.listed)
            feed = (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Calder Courier'
                    f'</title><link>{self.base_url}/</link><description>News</description>{items}</channel></rss>')
            out = {"Content-Type": "application/rss+xml; charset=utf-8"}
            if self.feed_etag:
                out["ETag"] = '"' + hashlib.sha256(feed.encode()).hexdigest()[:20] + '"'
                if out["ETag"] in {t.strip() for t in headers.get("if-none-match", "").split(",")}:
                    return 304, b"", {"ETag": out["ETag"]}
            return 200, feed.encode(), out
        page = self.pages.get(path)
        if page is not None and page.location is not None:
            return page.status, b"", {"Location": page.location}
        if page is None or page.status != 200:
            status = page.status if page is not None else 404
            return status, b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>", html_type
        n = next(self._counter) if page.rotating or page.clock else 0
        paragraphs = page.paragraphs
        if page.clock:
            paragraphs = [f"Last updated {8 + n // 60 % 12}:{n % 60:02d}:{n * 7 % 60:02d} a.m. GMT", *paragraphs,
                          f"This page refreshes automatically. {n % 50 + 1} minutes ago: no new posts."]
        text = article_html(page.title, paragraphs, published=page.published, sidebar_seed=n if page.rotating else 0,
                            stamp=f"2026-11-24 08:{n % 60:02d}")
        body = text.encode()
        out = dict(html_type)
        if page.validators:
            etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
            out.update({"ETag": etag, "Last-Modified": format_datetime(page.modified, usegmt=True)})
            if "if-none-match" in headers:
                if etag in {t.strip() for t in headers["if-none-match"].split(",")}:
                    return 304, b"", {k: v for k, v in out.items() if k != "Content-Type"}
            elif "if-modified-since" in headers:
                try:
                    since = parsedate_to_datetime(headers["if-modified-since"])
                except (TypeError, ValueError):
                    since = None
                if since is not None and page.modified <= since:
                    return 304, b"", {k: v for k, v in out.items() if k != "Content-Type"}
        return 200, body, out

    def __enter__(self) -> EditableSite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
