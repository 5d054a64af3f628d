"""Serve the bundled offline sample news site (samples/site) on 127.0.0.1 for the demo and tests.

Static files, with the `{{BASE_URL}}` placeholder in text files replaced by the server's own
`http://host:port` at serve time so any port works. Behaves like a well-configured news site:
proper content types, ETag + Last-Modified with 304 on conditional GET, gzip when asked,
keep-alive, a permissive robots.txt. Foreground use: `python -m newsdedup.samplesite --port 8765`.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import logging
import os
import posixpath
import signal
import sys
import threading
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType, TracebackType
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "samples" / "site"
# An updated copy of one story (samples/build_site.py REVISION): the demo serves it over the site from
# its second run on, so re-checking finds a revision.
REVISED_OVERLAY = DEFAULT_ROOT.parent / "revised"
DEMO_PORT = 8765
PLACEHOLDER = b"{{BASE_URL}}"
DEFAULT_ROBOTS = b"User-agent: *\nAllow: /\n"

# Feeds are told apart by file name, the way real sites name them, not only by suffix.
_XML_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}
_SUFFIX_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".gz": "application/gzip",
}
_TEXT_PREFIXES = ("text/", "application/rss+xml", "application/atom+xml", "application/xml", "application/json")
_GZIP_MIN_BYTES = 256  # as real servers do, leave tiny responses (robots.txt) uncompressed


def content_type(path: Path) -> str:
    """The Content-Type the site sends for a file."""
    if path.suffix == ".xml":
        stem = path.stem.lower()
        kind = next((k for k in _XML_TYPES if k in stem), None)
        return f"{_XML_TYPES[kind]}; charset=utf-8" if kind else "application/xml; charset=utf-8"
    return _SUFFIX_TYPES.get(path.suffix.lower(), "application/octet-stream")


@dataclass(frozen=True)
class _Resource:
    body: bytes
    gz: bytes | None
    etag: str
    mtime: int  # whole seconds, the resolution of Last-Modified
    ctype: str


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr: tuple[str, int], root: Path, overlay: Path | None = None) -> None:
        super().__init__(addr, _Handler)
        self.root = root.resolve()
        self.overlay = overlay.resolve() if overlay is not None else None
        host, port = self.server_address[:2]
        self.base_url = f"http://{host}:{port}"
        self._cache: dict[tuple[Path, int, int], _Resource] = {}
        self._lock = threading.Lock()
        self.requests: list[tuple[str, str, int]] = []

    def resource(self, path: Path) -> _Resource:
        """File bytes with the placeholder replaced, cached by (path, mtime, size)."""
        st = path.stat()
        key = (path, st.st_mtime_ns, st.st_size)
        with self._lock:
            hit = self._cache.get(key)
        if hit:
            return hit
        ctype = content_type(path)
        body = path.read_bytes()
        if ctype.startswith(_TEXT_PREFIXES):
            body = body.replace(PLACEHOLDER, self.base_url.encode())
        # mtime=0 keeps gzip output (and so its ETag) identical across restarts.
        gz = gzip.compress(body, mtime=0) if len(body) >= _GZIP_MIN_BYTES else None
        res = _Resource(body, gz, '"' + hashlib.sha256(body).hexdigest()[:24] + '"', int(st.st_mtime), ctype)
        with self._lock:
            self._cache[key] = res
        return res

    def record(self, method: str, target: str, status: int) -> None:
        with self._lock:
            if len(self.requests) < 100_000:
                self.requests.append((method, target, status))


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, like real news sites; every response sets a length
    server_version = "newsdedup-samplesite/1.0"
    timeout = 30  # drop idle keep-alive connections
    # Headers and body go out in two writes; without TCP_NODELAY, Nagle plus delayed ACK adds
    # ~40 ms to every keep-alive response.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def _respond(self, head: bool) -> None:
        raw_path = urlsplit(self.path).path
        path = posixpath.normpath(unquote(raw_path))
        root = self.server.root  # read once: set_root() may swap it between requests
        if path == "/robots.txt" and not (root / "robots.txt").is_file():
            return self._send_bytes(HTTPStatus.OK, DEFAULT_ROBOTS, "text/plain; charset=utf-8", head)
        overlay = self.server.overlay
        file = None
        if overlay is not None and (overlay / path.lstrip("/")).is_file():
            file = self._locate(overlay, raw_path, path)  # a file the overlay replaces
        if file is None:
            file = self._locate(root, raw_path, path)
        if file is None:
            return
        res = self.server.resource(file)
        use_gz = res.gz is not None and _accepts_gzip(self.headers.get("Accept-Encoding", ""))
        etag = res.etag[:-1] + '-gz"' if use_gz else res.etag
        headers = {
            "ETag": etag,
            "Last-Modified": formatdate(res.mtime, usegmt=True),
            "Cache-Control": "no-cache",
            "Vary": "Accept-Encoding",
        }
        if _not_modified(self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"), etag, res.mtime):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.server.record(self.command, self.path, 304)
            return
        body = res.gz if use_gz and res.gz is not None else res.body
        if use_gz:
            headers["Content-Encoding"] = "gzip"
        self._send_bytes(HTTPStatus.OK, body, res.ctype, head, headers)

    def _locate(self, root: Path, raw_path: str, path: str) -> Path | None:
        """Map the URL path to a file under the root, or send 301/404 and return None."""
        if path.startswith("//") or ".." in path.split("/"):
            self._send_error(HTTPStatus.NOT_FOUND)
            return None
        candidate = (root / path.lstrip("/")).resolve()
        if not candidate.is_relative_to(root):
            self._send_error(HTTPStatus.NOT_FOUND)
            return None
        if candidate.is_dir():
            if not raw_path.endswith("/"):
                # Directory without slash: redirect, as Apache and nginx do.
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", raw_path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                self.server.record(self.command, self.path, 301)
                return None
            candidate = candidate / "index.html"
        if not candidate.is_file():
            self._send_error(HTTPStatus.NOT_FOUND)
            return None
        return candidate

    def _send_error(self, status: HTTPStatus) -> None:
        body = f"<!DOCTYPE html><html lang=en><title>{status.value} {status.phrase}</title><h1>{status.phrase}</h1>"
        self._send_bytes(status, body.encode(), "text/html; charset=utf-8", self.command == "HEAD")

    def _send_bytes(
        self, status: HTTPStatus, body: bytes, ctype: str, head: bool, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if not head:
            self.wfile.write(body)
        self.server.record(self.command, self.path, int(status))


def _accepts_gzip(header: str) -> bool:
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() == "gzip":
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _not_modified(if_none_match: str | None, if_modified_since: str | None, etag: str, mtime: int) -> bool:
    """RFC 9110 13.1: If-None-Match (weak comparison) wins; If-Modified-Since only without it."""
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError, IndexError):
            return False
        if since.tzinfo is None:  # obsolete date formats parse as naive; HTTP dates are GMT
            return False
        return mtime <= int(since.timestamp())
    return False


class SampleSite:
    """The sample site running on a background daemon thread; use as a context manager."""

    def __init__(self, root: Path = DEFAULT_ROOT, host: str = "127.0.0.1", port: int = 0,
                 overlay: Path | None = None) -> None:
        root = Path(root)
        if not root.is_dir():
            raise FileNotFoundError(f"sample site root {root} is not a directory; run samples/build_site.py")
        if overlay is not None and not Path(overlay).is_dir():
            raise FileNotFoundError(f"overlay {overlay} is not a directory; run samples/build_site.py")
        self._server = _Server((host, port), root, Path(overlay) if overlay is not None else None)
        self.root = self._server.root
        self.host = host
        self.port: int = self._server.server_address[1]
        self.base_url: str = self._server.base_url
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"samplesite:{self.port}",
            daemon=True,
        )
        self._thread.start()
        self._closed = False

    def set_root(self, root: Path) -> None:
        """Serve another directory from now on, on the same port (e.g. a later snapshot of the site).

        Article URLs stay the same, so an incremental test can run the pipeline against an early
        snapshot (`samples/build_site.py --until ... --out DIR`), switch, and run it again.
        """
        root = Path(root)
        if not root.is_dir():
            raise FileNotFoundError(f"sample site root {root} is not a directory")
        with self._server._lock:
            self._server.root = root.resolve()
            self._server._cache.clear()
        self.root = self._server.root

    def set_overlay(self, overlay: Path | None) -> None:
        """Serve the files under `overlay` instead of the root's same paths (None: the root alone),
        e.g. `REVISED_OVERLAY`, the updated copy of one story."""
        if overlay is not None and not Path(overlay).is_dir():
            raise FileNotFoundError(f"overlay {overlay} is not a directory")
        with self._server._lock:
            self._server.overlay = Path(overlay).resolve() if overlay is not None else None
            self._server._cache.clear()

    @property
    def requests(self) -> list[tuple[str, str, int]]:
        """(method, request target, status) of every request served so far, oldest first."""
        with self._server._lock:
            return list(self._server.requests)

    def url(self, path: str) -> str:
        """Absolute URL for a site path such as "/wire/rss.xml"."""
        return self.base_url + "/" + path.lstrip("/")

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> SampleSite:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def serve(root: Path = DEFAULT_ROOT, host: str = "127.0.0.1", port: int = 0, overlay: Path | None = None
          ) -> SampleSite:
    """Start serving `root` on host:port (0 = any free port) in a daemon thread and return it; files
    under `overlay` replace the root's at the same paths."""
    return SampleSite(root, host, port, overlay)


# The sample outlets' feeds; one source omits `kind` so that detection is exercised.
SAMPLE_SOURCES: tuple[tuple[str, str, str | None], ...] = (
    ("meridian-wire", "/wire/rss.xml", "rss"),
    ("national-ledger", "/national/atom.xml", "atom"),
    ("harbour-valley-gazette", "/regional/rss.xml", None),
    ("circuit-and-capital", "/techbiz/sitemap.xml", "sitemap"),
)


def sources_yaml(base_url: str, recheck_hours: list[float] | None = None) -> str:
    """The sources file (YAML text) that points the pipeline at the sample site at base_url.

    `recheck_hours` sets the re-check schedule (the demo uses [0]: every run re-checks every article).
    """
    base = base_url.rstrip("/")
    lines = [
        "# Sources for the bundled offline sample site (samples/site).",
        "# Serve it with: python -m newsdedup.samplesite --port 8765",
        "# Written by newsdedup.samplesite.write_sources_file; regenerate rather than edit by hand.",
        "settings:",
        f'  user_agent: "newsdedup-demo/0.1 (+{base}/)"',
        "  allow_private_networks: true  # the sample site runs on 127.0.0.1",
        "  # The sample articles are dated 1-23 November 2026; keep them all in scope for sitemaps.",
        "  sitemap_lookback_days: 3650",
    ]
    if recheck_hours is not None:
        lines += ["  # Re-check stored articles (hours after first seen); [0] = on every run, [] = never.",
                  f"  recheck_hours: [{', '.join(f'{h:g}' for h in recheck_hours)}]"]
    lines.append("sources:")
    for name, path, kind in SAMPLE_SOURCES:
        lines += [f"  - name: {name}", f"    url: {base}{path}"]
        lines.append(f"    kind: {kind}" if kind else "    # kind omitted: detected from the response")
    return "\n".join(lines) + "\n"


def write_sources_file(base_url: str, path: str | os.PathLike[str], recheck_hours: list[float] | None = None
                       ) -> Path:
    """Write a sources YAML for the sample site served at base_url; return its path."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(sources_yaml(base_url, recheck_hours), encoding="utf-8")
    return p


def _port(text: str) -> int:
    """An argparse type: a TCP port, 0-65535 (99999 was an OverflowError traceback out of bind())."""
    from newsdedup.config import port_number

    port = port_number(text, low=0)
    if port is None:
        raise argparse.ArgumentTypeError(f"must be a port from 0 to 65535 (0: any free port), not {text!r}")
    return port


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m newsdedup.samplesite", description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=_port, default=DEMO_PORT, help=f"0 picks a free port (default {DEMO_PORT})")
    ap.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="site directory (default: samples/site)")
    ap.add_argument("--revised", action="store_true",
                    help=f"serve the updated copy of one story from {REVISED_OVERLAY.name}/ over the site")
    ap.add_argument("--write-sources", metavar="PATH", help="also write a sources file for the served URL")
    ap.add_argument("-v", "--verbose", action="store_true", help="log every request")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format="%(message)s")
    try:
        site = serve(args.root, args.host, args.port, overlay=REVISED_OVERLAY if args.revised else None)
    except (OSError, FileNotFoundError) as exc:
        print(f"cannot serve the sample site on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    # Started from a script in the background (`cmd &`, nohup), SIGINT arrives ignored and Python would
    # not turn it into KeyboardInterrupt: Ctrl-C and `kill -INT` must stop the site all the same. The
    # handlers are in place before the address is printed, which is what callers wait for.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        if args.write_sources:
            write_sources_file(site.base_url, args.write_sources)
            print(f"wrote sources file {args.write_sources}", flush=True)
        print(f"serving {site.root} at {site.base_url}/ (Ctrl-C to stop)", flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        site.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
