"""A real HTTP server on 127.0.0.1 for fetch tests and benchmarks (no mocks of the HTTP client).

Routes map a path to a handler `fn(req: Request) -> None` that writes whatever it likes to the
socket, so tests can misbehave exactly like bad servers do (drip, reset, lie about types).
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# A news page for the tests that need one: a title, a menu before the story and a "Latest News" box
# after it (`ARTICLE.format(t=title)`).
ARTICLE = """<html lang="en"><head><title>{t} | Test Outlet</title></head><body>
<nav>Home World Sport</nav><article><h1>{t}</h1>
<p>The regional council approved a budget on Tuesday that shifts money from road building to public
transport, after a debate that lasted well into the night and drew hundreds of residents.</p>
<p>Supporters said the plan would cut commuting times within five years, while opponents warned that
rural districts would lose bus routes they depend on for school and hospital trips.</p>
<p>The council's finance chief said the {t} plan was the most ambitious the region had ever adopted.</p>
</article><aside><h2>Latest News</h2><ul><li>Something else</li></ul></aside></body></html>"""


@dataclass
class Request:
    handler: BaseHTTPRequestHandler
    path: str
    headers: Any
    host: str

    def send(self, status: int = 200, body: bytes = b"", headers: dict[str, str] | None = None,
             content_type: str | None = "text/html; charset=utf-8") -> None:  # fmt: skip
        """A complete response with Content-Length."""
        h = self.handler
        h.send_response(status)
        if content_type:
            h.send_header("Content-Type", content_type)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        # The request stops counting as active before its last bytes leave: a client that has read
        # the whole response and starts its next request must never be counted twice.
        getattr(h, "response_done", lambda: None)()
        h.wfile.write(body)

    def start(self, status: int = 200, headers: dict[str, str] | None = None,
              content_type: str | None = "text/html; charset=utf-8") -> None:  # fmt: skip
        """Status and headers only, no Content-Length: the body follows until the socket closes."""
        h = self.handler
        h.close_connection = True
        h.send_response(status)
        if content_type:
            h.send_header("Content-Type", content_type)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Connection", "close")
        h.end_headers()
        h.wfile.flush()

    def write(self, data: bytes) -> None:
        self.handler.wfile.write(data)
        self.handler.wfile.flush()

    def reset(self) -> None:
        """Abort the connection with a TCP RST (SO_LINGER 0), like a crashed server."""
        sock = self.handler.connection
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.handler.close_connection = True
        sock.close()


Route = Callable[[Request], None]


@dataclass
class TestServer:
    """Threaded HTTP/1.1 server; `routes` may be changed while it runs."""

    __test__ = False  # not a pytest test class despite the name

    host: str = "127.0.0.1"
    port: int = 0
    routes: dict[str, Route] = field(default_factory=dict)
    latency: float = 0.0
    hits: Counter[str] = field(default_factory=Counter)
    active: int = 0
    max_active: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes; with Nagle on, delayed ACKs add ~40 ms per
            # keep-alive response (real servers such as nginx set TCP_NODELAY too).
            disable_nagle_algorithm = True

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def response_done(self) -> None:
                with server._lock:
                    if self._counted:
                        self._counted = False
                        server.active -= 1

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                with server._lock:
                    server.hits[self.path] += 1
                    server.active += 1
                    server.max_active = max(server.max_active, server.active)
                    self._counted = True
                try:
                    if server.latency:
                        time.sleep(server.latency)
                    route = server.routes.get(self.path) or server.routes.get(self.path.split("?", 1)[0])
                    req = Request(self, self.path, self.headers, server.host)
                    if route is None:
                        req.send(404, b"not found", content_type="text/plain")
                    else:
                        route(req)
                except (BrokenPipeError, ConnectionResetError, OSError):
                    self.close_connection = True
                finally:
                    self.response_done()

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True
            request_queue_size = 128

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # resets and aborted reads are what these tests provoke on purpose

        self._httpd = Server((self.host, self.port), Handler)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def route(self, path: str, fn: Route) -> str:
        self.routes[path] = fn
        return self.url(path)

    def static(self, path: str, body: bytes | str, content_type: str | None = "text/html; charset=utf-8",
               status: int = 200, headers: dict[str, str] | None = None) -> str:  # fmt: skip
        data = body.encode("utf-8") if isinstance(body, str) else body
        return self.route(path, lambda r: r.send(status, data, headers, content_type))

    def start(self) -> TestServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> TestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class RawServer:
    """A TCP server on 127.0.0.1 that hands each accepted socket to `handler` in its own thread:
    for servers that do not speak HTTP at all (a TLS handshake that drips, garbage)."""

    __test__ = False

    def __init__(self, handler: Callable[[socket.socket], None]) -> None:
        self.handler = handler
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.05)
        self.port = self._sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:  # the accept timeout: look at the stop flag again
                continue
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        # OSError: the client gave up, which is what these tests provoke on purpose.
        with conn, suppress(OSError):
            self.handler(conn)

    def url(self, path: str = "/", scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sock.close()


def canned_server(answer: bytes | Callable[[], bytes], requests: list[bytes] | None = None) -> RawServer:
    """A raw server answering robots.txt with a 404 and every other request with the bytes `answer` (or what
    `answer()` gives at the time: a server mended between two runs), then closing its side: for responses no
    HTTP server library would send. Each request line is appended to `requests` when given."""

    def handle(sock: socket.socket) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            got = sock.recv(65536)
            if not got:
                return
            data += got
        if requests is not None:
            requests.append(data.split(b"\r\n", 1)[0])
        if data.startswith(b"GET /robots.txt "):
            sock.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        else:
            sock.sendall(answer() if callable(answer) else answer)
        sock.shutdown(socket.SHUT_WR)

    return RawServer(handle)


def pipeline_run(tmp_path: Any, sources: list[dict], run: str) -> Any:
    """`run_pipeline` over `sources` (local servers allowed, no retries, no re-checks) into tmp_path's
    warehouse and staging folder."""
    import yaml

    from newsdedup.pipeline import run_pipeline

    cfg = tmp_path / f"sources-{run}.yaml"
    cfg.write_text(yaml.safe_dump({"settings": {"allow_private_networks": True, "retries": 0,
                                                "recheck_hours": []}, "sources": sources}))
    return run_pipeline(sources_file=str(cfg), warehouse=str(tmp_path / "w.duckdb"),
                        staging=str(tmp_path / "staging"), run_id=run)


def stored_articles(tmp_path: Any) -> dict[str, tuple]:
    """url -> (article_id, canonical_url, source, text) of the articles in tmp_path's warehouse."""
    from newsdedup import warehouse as wh

    rows = wh.query_rows(tmp_path / "w.duckdb", "SELECT url, article_id, canonical_url, source, text FROM articles")[1]
    return {r[0]: r[1:] for r in rows}


# Four short stories of invented wording that share no sentence, for tests that need pages telling
# different stories (listing identity, the eighth probe).
STORY_TEXTS = [
    "The harbour authority said on Monday that the new container terminal would open in the spring, two years "
    "later than first planned, after a dispute with the construction company over the cost of dredging the "
    "approach channel. Shipping lines had been told to expect the delay.",
    "A regional bakery chain announced on Thursday that it would close eleven of its shops before the end of the "
    "year, blaming the rising price of flour and energy. The company said staff would be offered jobs at its "
    "remaining branches, and that no bread recipes would change.",
    "The city's orchestra will tour South America next autumn for the first time in its history, playing twelve "
    "concerts in five countries. Its conductor said the programme would pair Brahms with new works by composers "
    "from each country the orchestra visits on the way.",
    "Engineers have begun replacing the cables of the old suspension bridge over the river, a job that will close "
    "one lane in each direction until March. Drivers are advised to use the ring road, where the speed limit has "
    "been raised to ease the extra traffic.",
]


def story_page(title: str, text: str, head: str = "", lang: str = "en") -> bytes:
    """An article page: the headline in <title> and <h1>, each sentence of `text` a paragraph."""
    paras = "".join(f"<p>{s.strip()}.</p>" for s in text.split(".") if s.strip())
    return (f"<html lang='{lang}'><head><title>{title}</title>{head}</head><body><article><h1>{title}</h1>"
            f"{paras}</article></body></html>").encode()
