"""An httpx transport whose every socket operation is bounded by the calling fetch's deadline.

httpx's timeouts apply to one socket operation each: a server that sends one byte of its status line
every 0.2 s never trips a 1 s read timeout and can hold a request for hours. `Fetcher` bounds a whole
fetch call (connect, TLS, headers, body, redirects, retries) by `total_timeout`, so this transport
gives each socket operation (a connect, a TLS handshake, a read, a write) at most the time the fetch
has left.

Built from public APIs only: `httpx.BaseTransport` over an `httpcore.ConnectionPool` with its own
`httpcore.NetworkBackend`. The deadline travels in a thread-local set by `deadline_scope`, because the
network layer never sees the request; this synchronous transport runs each request, body included,
in the thread that made it.

The same network streams keep a kept-alive connection honest. Bytes a server sends past the end of a
response (more than its Content-Length, a body after a 304, a response sent twice) would be read as
the response to the next request on that connection (RFC 9112 §6.3: a client MUST NOT). Each stream
follows the framing of the responses it carries with its own `h11` parser (the one httpcore uses),
hands httpcore only the bytes of the current response, and reports itself readable when it dropped
any, so the pool closes it instead of using it again.

Name look-ups are bounded too. `socket.getaddrinfo` takes no timeout: a resolver that does not answer
holds the thread for resolv.conf's timeout times its attempts times its nameservers (30 s with glibc's
defaults, more with longer settings), past any deadline. `Resolver` runs each look-up in a thread of
its own and waits for it only as long as the fetch has left; the connection then goes to the addresses
that look-up gave (the private-address guard checks the same answer), so no look-up runs unbounded.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from typing import Any

import h11
import httpcore
import httpx

log = logging.getLogger(__name__)


class Deadline:
    """A point in time a fetch must end by; the clock can be stopped while we wait on ourselves."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        return self.at - time.monotonic()

    def expired(self) -> bool:
        return self.left() <= 0

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Time spent inside does not count (our own politeness waits, not the server's doing)."""
        t0 = time.monotonic()
        try:
            yield
        finally:
            self.at += time.monotonic() - t0


_local = threading.local()


@contextmanager
def deadline_scope(deadline: Deadline) -> Iterator[None]:
    """Bound the socket operations this thread makes inside the block by `deadline`."""
    prev = getattr(_local, "deadline", None)
    _local.deadline = deadline
    try:
        yield
    finally:
        _local.deadline = prev


def _bounded(timeout: float | None, exc: type[Exception]) -> float | None:
    deadline: Deadline | None = getattr(_local, "deadline", None)
    if deadline is None:
        return timeout
    left = deadline.left()
    if left <= 0:
        raise exc(f"total deadline of {deadline.seconds}s passed")
    return left if timeout is None else min(timeout, left)


DNS_TTL = 60.0  # seconds an answer is used again (per fetcher: one source's run)
# Look-ups waiting for an answer at once, at most (one a name; a caller that gave up leaves its look-up
# waiting for the system resolver's own timeout, 30 s with glibc's defaults). They ran in a pool of 8
# threads: 8 names whose servers never answer held it, and every other name's look-up queued behind
# them and failed at its fetch's deadline however well its server answered. Now each runs in a thread
# of its own; one past this many fails at once (`dns_temporary`, tried again by the next run).
DNS_MAX_PENDING = 256

Lookup = Callable[..., list[tuple[Any, ...]]]  # socket.getaddrinfo's signature


class LookupTimeout(Exception):
    """No answer for a name within the time the caller had left."""


class Resolver:
    """Name to addresses, each look-up bounded by the caller's timeout (getaddrinfo has none).

    A look-up runs in a thread of its own; the caller waits for it at most `timeout` seconds. One left
    waiting goes on in its thread and its answer is kept for the next caller. Callers asking for a
    name being looked up wait for that look-up instead of starting another, so a name whose
    resolver hangs holds one thread, not one per page, and never holds up the look-ups of other
    names; at most DNS_MAX_PENDING wait at once. Answers are kept for `DNS_TTL`; failures are not.
    Addresses come in the order the system resolver gave them (RFC 6724 on glibc).
    """

    def __init__(self, lookup: Lookup | None = None) -> None:
        self._lookup = lookup  # None: socket.getaddrinfo, the system's resolver
        self._lock = threading.Lock()
        self._answers: dict[tuple[str, int], tuple[float, list[str]]] = {}
        self._pending: dict[tuple[str, int], Future[list[str]]] = {}

    def addresses(self, host: str, port: int, timeout: float) -> list[str]:
        """The addresses of `host`; raises socket.gaierror as getaddrinfo does, LookupTimeout when no
        answer came within `timeout` seconds (or too many look-ups are waiting already)."""
        key = (host, port)
        with self._lock:
            hit = self._answers.get(key)
            if hit is not None and hit[0] > time.monotonic():
                return hit[1]
            future = self._pending.get(key)
            if future is None:
                if len(self._pending) >= DNS_MAX_PENDING:
                    raise LookupTimeout(f"no DNS look-up of {host}: {len(self._pending)} look-ups of other names "
                                        "are waiting for an answer already")  # fmt: skip
                future = self._pending[key] = Future()
                threading.Thread(target=self._run, args=(host, port, future), name=f"dns-{host}"[:60],
                                 daemon=True).start()  # fmt: skip
        try:
            return future.result(timeout=max(0.0, timeout))
        except FutureTimeout:
            raise LookupTimeout(f"no DNS answer for {host} within {max(0.0, timeout):.1f}s") from None

    def _run(self, host: str, port: int, future: Future[list[str]]) -> None:
        key = (host, port)
        try:
            infos = (self._lookup or socket.getaddrinfo)(host, port, type=socket.SOCK_STREAM)
            addrs = list(dict.fromkeys(str(info[4][0]) for info in infos))
        except BaseException as exc:  # noqa: BLE001 - handed to the callers, as getaddrinfo raised it
            with self._lock:
                self._pending.pop(key, None)
            future.set_exception(exc)
            return
        with self._lock:
            self._answers[key] = (time.monotonic() + DNS_TTL, addrs)
            self._pending.pop(key, None)
        future.set_result(addrs)


def _ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class _Framing:
    """The framing of the responses on one connection, followed by an h11 parser of its own: where a
    response ends, and what the server sent past that end. One parser per request (a cycle)."""

    # Larger than httpcore's own limit, so that this parser never fails a response httpcore reads.
    MAX_HEADERS = 1 << 20

    def __init__(self) -> None:
        self._h11: h11.Connection | None = None  # None: no request awaits a response
        self.excess = 0  # bytes past the end of the last response, dropped
        self.requests = 0  # requests started on this connection
        self.answered = False  # its response began: a byte other than a line break came back for the latest one

    def sent(self, data: bytes) -> None:
        if self._h11 is not None or not data:
            return  # the rest of a request already started (we send no bodies, but be exact)
        self.requests += 1
        self.answered = False
        _local.framing = self
        conn = h11.Connection(h11.CLIENT, max_incomplete_event_size=self.MAX_HEADERS)
        try:
            # Only the method changes how a response is framed (HEAD, CONNECT).
            conn.send(h11.Request(method=data.split(b" ", 1)[0], target=b"/", headers=[(b"Host", b"x")]))
            conn.send(h11.EndOfMessage())
        except h11.ProtocolError:
            return
        self._h11 = conn
        self.excess = 0

    def received(self, data: bytes) -> bytes:
        """The part of `data` that belongs to the response awaited (all of it, but for what follows
        its end)."""
        conn = self._h11
        if conn is None or not data:
            return data
        # The line breaks before a status line never come here: `_Stream._heads` drops them.
        self.answered = True
        try:
            conn.receive_data(data)
            while True:
                event = conn.next_event()
                if event is h11.NEED_DATA:
                    return data
                if isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
                    break
        except h11.ProtocolError as exc:
            self._h11 = None  # httpcore's parser sees the same bytes and fails the response itself
            if exc.error_status_hint == 501:
                # A transfer coding other than chunked ("gzip, chunked", RFC 9112 §7): h11 (and so httpcore)
                # reads none, and its message made a retried connection_error of a server that answers
                # alike every time. Named, and not tried again.
                raise _UnsupportedCoding(_transfer_coding(data)) from None
            return data
        self._h11 = None
        rest = min(len(conn.trailing_data[0]), len(data))
        if rest and data[-rest:].strip(b"\r\n"):
            # Not a stray line end (RFC 9112 §2.2 lets a reader skip those): a reply to no request.
            self.excess = rest
        return data[: len(data) - rest]


_TRANSFER_ENCODING_RE = re.compile(rb"\r?\ntransfer-encoding[ \t]*:[ \t]*([^\r\n]{0,200})", re.I)


class _UnsupportedCoding(httpcore.RemoteProtocolError):
    pass


class UnsupportedTransferCoding(httpx.RemoteProtocolError):
    """The response is framed by a transfer coding other than chunked (none of them is read)."""


class _HeadTooLarge(httpcore.RemoteProtocolError):
    pass


class ResponseHeadTooLarge(httpx.RemoteProtocolError):
    """The response's status line and header lines run past `_Framing.MAX_HEADERS` bytes without an end."""


class _BadLength(httpcore.RemoteProtocolError):
    pass


class InvalidContentLength(httpx.RemoteProtocolError):
    """The Content-Length that frames the response's body is no length (`+5`, `0x10`, `5.0`, `-5`, empty,
    past 20 digits) or names two (RFC 9112 §6.3: an unrecoverable framing error)."""


def _transfer_coding(head: bytes) -> str:
    """What the head's Transfer-Encoding lines say, for the error that names them."""
    found = [m.group(1).strip().decode("latin-1") for m in _TRANSFER_ENCODING_RE.finditer(head[:65536])]
    said = "; ".join(found) if found else "a coding other than chunked"
    return f"Transfer-Encoding {said!r}: only chunked is read"


_HEAD_END_RE = re.compile(rb"\n\r?\n")
_STATUS_RE = re.compile(rb"HTTP/\d\.\d[ \t]+(\d{3})")
# Transfer codings that change nothing about the bytes: "identity" (RFC 2616's, dropped by RFC 7230 but
# still sent by old servers and proxies).
_NO_CODING = frozenset({b"identity", b""})


def _plain_framing(head: bytes) -> bytes:
    """`head` (a response's status line and header lines, up to the empty line) with Transfer-Encoding
    as browsers read it, where it names nothing but chunked and identity.

    h11 (httpcore's parser) takes one Transfer-Encoding line whose value is exactly `chunked`, and
    refused `chunked` sent twice (as two lines or as `chunked, chunked`: a proxy adding its own) and
    `identity, chunked`. Browsers read a body as chunked when any value names chunked (Chromium's
    `HttpResponseHeaders::IsChunkEncoded`, Firefox's `HasHeaderValue`), and curl skips a second
    `chunked` and passes `identity` through: the page they show was an `unsupported_transfer_encoding`
    failure. Such lines become one `Transfer-Encoding: chunked`; lines naming only identity (or
    nothing) are dropped, so Content-Length or the close frames the body. Any other coding ("gzip,
    chunked") is left for h11 to refuse (see `_transfer_coding`)."""
    lines = head.split(b"\n")
    at = [i for i, line in enumerate(lines) if line.split(b":", 1)[0].strip().lower() == b"transfer-encoding"]
    if not at or any(i + 1 < len(lines) and lines[i + 1][:1] in (b" ", b"\t") for i in at):
        return head  # none, or folded over lines (obsolete): h11 decides
    codings = [c.strip().lower() for i in at for c in lines[i].split(b":", 1)[-1].split(b",")]
    named = [c for c in codings if c not in _NO_CODING]
    if any(c != b"chunked" for c in named) or (len(at) == 1 and codings == [b"chunked"]):
        return head
    end = b"\r" if lines[at[0]].endswith(b"\r") else b""
    if named:
        lines[at[0]] = b"Transfer-Encoding: chunked" + end
        at = at[1:]
    drop = set(at)
    return b"\n".join(line for i, line in enumerate(lines) if i not in drop)


# A status line's start as browsers find it: `http` in any case within the first 4 bytes of a response
# (Chromium's `HttpUtil::LocateStartOfStatusLine`), then a version; what comes before is junk.
_STATUS_START_RE = re.compile(rb"(?s)(.{0,4}?)(http/\d)(\.\d)?[ \t]+(\d{3})(?!\d)", re.I)


def _status_line(head: bytes) -> bytes:
    """`head` (a response's status line and header lines) with its status line as browsers read it.

    Chromium skips up to 4 bytes of junk before a status line and reads `http` in any case (Firefox skips
    up to 128 KiB before an `HTTP/1.` in any case), and both read a version without a minor number
    (`HTTP/1 200`, `HTTP/2 200`) as HTTP/1.0, the status after any run of white space (`HTTP/1.1  200`,
    a tab) and a reason glued to it (`200OK`). h11 (httpcore's parser and `_Framing`'s) refused each
    ("illegal status line"): a `connection_error`, retried and lost, of a page browsers show. The line is
    written again as `HTTP/x.y code reason`. More junk than Chromium skips, no version, or no 3-digit
    status is left for h11 to refuse (Chromium then reads the bytes as HTTP/0.9, which it refuses on any
    port but the scheme's own)."""
    m = _STATUS_START_RE.match(head)
    if m is None:
        return head  # no status line browsers read alike: h11 decides
    eol = head.find(b"\n", m.end())
    eol = len(head) if eol < 0 else eol
    line = head[:eol]
    reason = line[m.end():].strip(b" \t\r")
    version = m.group(2).upper() + m.group(3) if m.group(3) else b"HTTP/1.0"
    fixed = version + b" " + m.group(4) + (b" " + reason if reason else b"") + (b"\r" if line.endswith(b"\r") else b"")
    return head if fixed == line else fixed + head[eol:]


# What h11 takes as a length: digits, at most 20 of them (its CONTENT_LENGTH_MAX_DIGITS).
_LENGTH = re.compile(rb"[0-9]{1,20}")


def valid_content_length(values: list[bytes]) -> bool:
    """Whether the values of a response's Content-Length lines name one length, as h11 reads them: a list of
    one value repeated (`5, 5`, or two lines of `5`: proxies join or repeat it) of 1 to 20 digits."""
    found = {v.strip() for value in values for v in value.split(b",")}
    return len(found) == 1 and _LENGTH.fullmatch(next(iter(found))) is not None


def status_line(head: bytes) -> bytes:
    """`head` with its status line read as a browser reads it off the network (`_status_line`): for heads
    read from files (WARC records), so an archived response reads as the fetched one did."""
    return _status_line(head)


def _content_length(head: bytes) -> bytes:
    """`head` (a response's status line and header lines, after `_plain_framing`) with its Content-Length
    read as RFC 9112 §6.3 reads it; raises `_BadLength` when an invalid one frames the body.

    A Content-Length that is no length (`+393`, `0x10`, `393.0`, `-5`, empty, 23 digits) or that names two
    (`10, 20`, two lines) makes the framing invalid, an unrecoverable error the client MUST not read past
    (§6.3 item 5): h11 refused it with "bad Content-Length", a `connection_error` retried by every attempt
    and every run of a server that answers alike each time. Browsers disagree (Chromium reads such a body
    to the close, Firefox reads `+393` as 393 and `0x10` as 0), so no reading of it is the page's: it is
    named, and not tried again within the fetch. Where the length frames nothing (a 1xx, 204 or 304 answer,
    or a Transfer-Encoding, which overrides it: §6.3 item 3) an invalid one is dropped, as browsers pass it
    over: h11 refused those responses too."""
    lines = head.split(b"\n")
    at = [i for i, line in enumerate(lines) if i and line.split(b":", 1)[0].lower() == b"content-length"]
    if not at:
        return head
    if valid_content_length([lines[i].split(b":", 1)[-1] for i in at]):
        return head
    status = _STATUS_RE.match(head)
    code = status.group(1) if status else b""
    coded = any(line.split(b":", 1)[0].lower() == b"transfer-encoding" for line in lines[1:])
    if code[:1] == b"1" or code in (b"204", b"304") or coded:
        drop = set(at)
        return b"\n".join(line for i, line in enumerate(lines) if i not in drop)
    said = b", ".join(lines[i].split(b":", 1)[-1].strip() for i in at).decode("latin-1")
    raise _BadLength(f"Content-Length {said[:80]!r} is no length of the body (RFC 9112 §6.3)")


_FIELD_NAME = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def _valid_lines(head: bytes) -> bytes:
    """`head` (a response's status line and header lines, up to the empty line) without the header lines
    browsers pass over: a line with no colon (`Garbage line`), or whose name is no token
    (`get-ban-to-cache-result/forum.php: ...`, sent by a WAF in front of a large forum), with its folded
    continuation lines; white space between a name and its colon is trimmed (`Content-Type : text/html`).

    h11 (httpcore's parser and `_Framing`'s) refused the whole response ("illegal header line"), retried
    and lost as a `connection_error`, where Chromium (`HttpUtil::HeadersIterator` skips a line without a
    colon and trims the name) and Firefox (an invalid header line is ignored) show the page; httparse's
    `ignore_invalid_headers_in_responses` mimics them. A head holding a NUL is left whole for h11 to
    refuse, as Chromium refuses it. Both parsers see the same lines, so they agree on the framing."""
    if b"\0" in head:
        return head
    lines = head.split(b"\n")
    out, changed, dropping = lines[:1], False, False
    for line in lines[1:]:
        if line[:1] in (b" ", b"\t") and line.strip():  # a folded continuation of the line before
            if not dropping:
                out.append(line)
            continue
        name, colon, value = line.partition(b":")
        bare = name.rstrip(b" \t")
        dropping = bool(line.rstrip(b"\r")) and not (colon and _FIELD_NAME.fullmatch(bare))
        if dropping:
            changed = True
            continue
        if colon and bare != name:
            line, changed = bare + b":" + value, True
        out.append(line)
    return b"\n".join(out) if changed else head


_CHUNKED_HEAD_RE = re.compile(rb"\ntransfer-encoding[ \t]*:[ \t]*chunked[ \t]*\r?\n", re.I)
_CHUNK_SIZE_RE = re.compile(rb"[0-9A-Fa-f]{1,16}")


class ChunkLines:
    """A chunked body's lines (sizes, the line end after each chunk's data, trailer lines) ended by CR LF.

    Chromium (`HttpChunkedDecoder::ScanForChunkRemaining`) and Firefox (`nsHttpChunkedDecoder`) read each
    of those lines up to a LF and drop a CR before it; curl too. h11 (httpcore's parser and `_Framing`'s)
    takes CR LF only, and a body whose chunk lines end in LF alone (a hand-written server, an embedded
    device's, a CGI printing "\n") was a `connection_error` ("peer unexpectedly closed connection"),
    retried and lost. The chunk data passes as it came; a line that is no chunk size (it passes as it
    came), or one over MAX_LINE, ends the reading and the rest passes as it came, for h11 to refuse.
    Without `trailers` the trailer section's field lines are dropped (for warcio's reader, which takes
    none: `sources._record_payload`)."""

    MAX_LINE = 64 * 1024

    def __init__(self, *, trailers: bool = True) -> None:
        self._line = bytearray()  # a line read in part
        self._left = 0  # bytes of the current chunk's data still to come
        self._state = "size"  # size, data, data-end, trailer, done
        self._trailers = trailers

    def feed(self, data: bytes) -> bytes:
        """What to hand on of `data` (b"": the close). Bytes pass on as they come (`data` itself when no line
        end changes), but for the LF of a line ended by LF alone, which becomes CR LF, and dropped trailers."""
        if self._state == "done" or not data:
            self._state = "done"
            self._line.clear()
            return data
        pieces: list[bytes] = []
        i = start = 0  # start: the first byte of `data` not yet in `pieces`
        n = len(data)
        while i < n and self._state != "done":
            if self._state == "data":
                step = min(self._left, n - i)
                i, self._left = i + step, self._left - step
                if not self._left:
                    self._state = "data-end"
                continue
            drop = self._state == "trailer" and not self._trailers
            j = data.find(b"\n", i)
            self._line += data[i : n if j < 0 else j]  # the line's text, for reading it (a copy of a short line)
            if len(self._line) > self.MAX_LINE:
                self._state = "done"  # no line of a chunked body: the rest passes as it came
                break
            if j < 0:
                if drop:
                    pieces.append(data[start:i])
                    start = n
                i = n
                break
            line = bytes(self._line)
            self._line.clear()
            cr = line.endswith(b"\r")
            text = line[:-1] if cr else line
            if self._state == "size":
                size = text.split(b";", 1)[0].strip(b" \t")
                if not _CHUNK_SIZE_RE.fullmatch(size):
                    self._state = "done"  # no chunk size: passes as it came, for h11 to refuse
                    break
                self._left = int(size, 16)
                self._state = "data" if self._left else "trailer"
            elif self._state == "data-end":
                if text:
                    self._state = "done"  # data past its chunk's size: as it came
                    break
                self._state = "size"
            elif not text:  # the trailer section's end
                self._state = "done"
                if drop:  # its line end as CR LF, whatever of it came in an earlier piece
                    pieces += (data[start:i], b"\r\n")
                    start = j + 1
                    drop = cr = True
            if drop:  # a trailer field line (or the section's end, written above), not handed on
                if self._state != "done":
                    pieces.append(data[start:i])
                    start = j + 1
            elif not cr:
                pieces.append(data[start:j])
                pieces.append(b"\r\n")
                start = j + 1
            i = j + 1
        if not pieces:
            return data if start == 0 else data[start:]
        pieces.append(data[start:])
        return b"".join(pieces)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner
        self.framing = _Framing()
        # The bytes of a response head read so far, held until its end arrives (`_heads`); None when no
        # head is awaited (the body of a response, or no request sent).
        self._head: bytearray | None = None
        self._chunks: ChunkLines | None = None  # the chunked body being read, if any

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        if self.framing.excess:
            # Never reached through the pool (the stream says it is readable); a last safeguard.
            raise httpcore.RemoteProtocolError("read on a connection whose last response had bytes past its end")
        while True:
            data = raw = self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))
            if self._head is not None:
                data = self._heads(raw)
            elif self._chunks is not None:
                data = self._chunks.feed(raw)
            if raw and not data:
                continue  # a head or a chunk line still incomplete (each read bounded by the deadline)
            got = self.framing.received(data)
            if got or not data:
                return got

    def _heads(self, data: bytes) -> bytes:
        """What to hand on of the bytes read while a response head is awaited: nothing until the head is
        whole, then the head with its status line, header lines and Transfer-Encoding read as browsers read
        them (`_status_line`, `_valid_lines`, `_plain_framing`, `_content_length`) and what followed it (a
        chunked body's first bytes through `ChunkLines`). Heads of 1xx answers are each passed on, and the next head awaited.

        Line breaks before a status line are dropped here, the one place that reads them: RFC 9112
        §2.2 lets a reader skip empty lines before a message (an old CGI's print() before its headers, a
        stray line end after the last response on a kept-alive connection, one after a 100 Continue),
        and browsers and curl do; h11 (httpcore's parser and `_Framing`'s) refused the response. A
        connection that sends only line breaks and closes has given no answer (`_Framing.answered`)."""
        buf = self._head
        assert buf is not None
        searched = max(0, len(buf) - 2)
        buf += data
        out = bytearray()
        while True:
            blank = 0  # line breaks before a status line: dropped
            while blank < len(buf) and buf[blank] in b"\r\n":
                blank += 1
            del buf[:blank]
            m = _HEAD_END_RE.search(buf, max(0, searched - blank))
            if m is None:
                if data and len(buf) <= _Framing.MAX_HEADERS:
                    return bytes(out)  # the head goes on in a later read
                self._head = None
                if data:
                    self.framing.answered = True  # an answer began: a kept-alive connection's GET is not sent again
                    # More than any parser takes (Chromium's ERR_RESPONSE_HEADERS_TOO_BIG at 256 KiB): h11's
                    # "Receive buffer too long" was a connection_error, retried, of a server that sends the
                    # same head every time. Named; the connection is not used again (httpcore closes it).
                    raise _HeadTooLarge(f"response head over {_Framing.MAX_HEADERS:,} bytes with no end")
                return bytes(out + buf)  # the close: as it came
            try:
                head = _content_length(_plain_framing(_valid_lines(_status_line(bytes(buf[: m.end()])))))
            except _BadLength:
                self._head = None
                self.framing.answered = True  # an answer: a kept-alive connection's GET is not sent again
                raise
            out += head
            del buf[: m.end()]
            status = _STATUS_RE.match(head)
            if not (status and status.group(1).startswith(b"1") and status.group(1) != b"101"):
                self._head = None
                if status and status.group(1) not in (b"204", b"304") and _CHUNKED_HEAD_RE.search(head):
                    self._chunks = ChunkLines()
                    return bytes(out) + self._chunks.feed(bytes(buf)) if buf else bytes(out)
                return bytes(out + buf)
            searched = 0

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if self.framing.excess:
            raise httpcore.RemoteProtocolError("request on a connection whose last response had bytes past its end")
        requests = self.framing.requests
        self.framing.sent(buffer)
        if self.framing.requests != requests:
            self._head = bytearray()  # a new request: its response's head is awaited
            self._chunks = None
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:  # fmt: skip
        # The ssl module bounds a whole handshake by the socket timeout (Python >= 3.5), so a
        # certificate dripped a byte at a time stops at the deadline too.
        timeout = _bounded(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable" and self.framing.excess:
            # What the pool asks of an idle connection before it uses it again: the bytes dropped
            # were there to read, and a connection with anything to read is not used again.
            return True
        return self._inner.get_extra_info(info)


# The response extension saying how many times its request went again on another connection because
# a kept-alive one was closed before any answer (one fetch attempt; its detail says so).
RESENT = "newsdedup_resent"


def resent_on_new_connection(response: httpx.Response) -> int:
    """How many kept-alive connections closed under this response's request before it was answered."""
    return int(response.extensions.get(RESENT, 0))


def bytes_past_end(response: httpx.Response) -> int:
    """How many bytes the server sent past the end of `response` (read to its end): dropped, and its
    connection closed rather than used again. 0 for a response that did not come from this module."""
    stream = response.extensions.get("network_stream")
    return stream.framing.excess if isinstance(stream, _Stream) else 0


class _RefusedPeer(httpcore.ConnectError):
    pass


class PeerRefused(httpx.ConnectError):
    """The connection reached an address `peer_allowed` refuses; nothing was sent on it."""


class _Backend(httpcore.NetworkBackend):
    def __init__(self, peer_allowed: Callable[[str], bool] | None = None, resolver: Resolver | None = None) -> None:
        self._inner = httpcore.SyncBackend()
        self._peer_allowed = peer_allowed
        self._resolver = resolver or Resolver()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:  # fmt: skip
        stream = self._connect(host, port, timeout, local_address, socket_options)
        if self._peer_allowed is not None:
            # The address actually connected to, before a byte is written: the caller's own check of
            # the name came from an earlier DNS answer, which a rebinding server changes in between.
            peer = stream.get_extra_info("server_addr")
            addr = str(peer[0]) if peer else ""
            if not self._peer_allowed(addr):
                stream.close()
                raise _RefusedPeer(f"{host} connected to non-public address {addr or '(unknown)'}")
        return _Stream(stream)

    def _connect(self, host: str, port: int, timeout: float | None, local_address: str | None,
                 socket_options: Iterable[Any] | None) -> httpcore.NetworkStream:  # fmt: skip
        """A connection to the first of `host`'s addresses that takes one (what socket.create_connection
        does), the look-up and each connect bounded by the deadline."""
        if _ip_literal(host):
            return self._inner.connect_tcp(host, port, _bounded(timeout, httpcore.ConnectTimeout), local_address,
                                           socket_options)  # fmt: skip
        try:
            wait = _bounded(timeout, httpcore.ConnectTimeout)
            addrs = self._resolver.addresses(host, port, 3600.0 if wait is None else wait)
        except LookupTimeout as exc:
            raise httpcore.ConnectTimeout(str(exc)) from None
        except OSError as exc:  # socket.gaierror: what httpcore's own connect reports
            raise httpcore.ConnectError(f"{host}: {exc}") from None
        error: Exception = httpcore.ConnectError(f"{host}: no address")
        for addr in addrs:
            try:
                return self._inner.connect_tcp(addr, port, _bounded(timeout, httpcore.ConnectTimeout), local_address,
                                               socket_options)  # fmt: skip
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:  # fmt: skip
        raise httpcore.UnsupportedProtocol("unix sockets are not used")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


# httpcore's errors as httpx's, most specific first (what httpx.HTTPTransport does for its own pool).
_ERRORS: tuple[tuple[type[Exception], type[httpx.HTTPError]], ...] = (
    (_RefusedPeer, PeerRefused), (_UnsupportedCoding, UnsupportedTransferCoding), (_HeadTooLarge, ResponseHeadTooLarge),
    (_BadLength, InvalidContentLength),
    (httpcore.ConnectTimeout, httpx.ConnectTimeout), (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout), (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException), (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError), (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError), (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError), (httpcore.ProtocolError, httpx.ProtocolError),
)  # fmt: skip


@contextmanager
def _httpx_errors() -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        for theirs, ours in _ERRORS:
            if isinstance(exc, theirs):
                raise ours(str(exc)) from exc
        raise


class _Body(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _httpx_errors():
            yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            with _httpx_errors():
                close()


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    # One per process: building it reads the CA bundle (16 ms), which was most of the cost of each
    # source of a run (a thousand `dir` sources spent 16 s on it). An SSLContext may serve many
    # connections and threads; nothing here changes it after it is made.
    return httpx.create_ssl_context(trust_env=False)


class DeadlineTransport(httpx.BaseTransport):
    """HTTP/1.1 over a connection pool whose sockets honour the thread's `deadline_scope`; with
    `peer_allowed`, a connection to an address it refuses is closed before anything is sent."""

    def __init__(self, limits: httpx.Limits, peer_allowed: Callable[[str], bool] | None = None,
                 resolver: Resolver | None = None) -> None:  # fmt: skip
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_Backend(peer_allowed, resolver),
        )
        self._retries_on_reuse = (limits.max_keepalive_connections or 0) + 1

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        req = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path),
            headers=request.headers.raw,
            content=request.stream,  # type: ignore[arg-type]
            extensions=request.extensions,
        )
        # A kept-alive connection the server closed as the request went out (its keep-alive timeout
        # racing ours, a request limit it did not announce) gives no answer at all: the GET goes again
        # on another connection, as browsers do (RFC 9112 §9.3.1). Each failure closes the connection
        # it came on, so this ends; the cap is only a backstop.
        resent = 0
        for _ in range(self._retries_on_reuse):
            _local.framing = None  # set by the connection the request goes out on
            try:
                with _httpx_errors():
                    resp = self._pool.handle_request(req)
                break
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
                framing: _Framing | None = getattr(_local, "framing", None)
                if request.method not in ("GET", "HEAD") or framing is None or framing.requests < 2 or framing.answered:
                    raise
                resent += 1
                log.debug("%s: kept-alive connection closed before any answer; trying another", url)
        else:
            with _httpx_errors():
                resp = self._pool.handle_request(req)
        extensions = {**resp.extensions, RESENT: resent} if resent else resp.extensions
        return httpx.Response(status_code=resp.status, headers=resp.headers, stream=_Body(resp.stream),  # type: ignore[arg-type]
                              extensions=extensions)  # fmt: skip

    def close(self) -> None:
        self._pool.close()
