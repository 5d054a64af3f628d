"""Fetch pages and feeds like a good web citizen, and never crash on what a server sends.

One `Fetcher` per run. Every HTTP request goes through the same checks, in this order:
URL canonicalised and scheme checked (user:password taken off, sent as Basic auth to that origin
only) -> address guard (SSRF) -> robots.txt -> per-host gate (at most N requests in flight and a
minimum interval between request starts) -> streamed body with a raw-size cap and our own
decompression with an output cap -> content-type check plus sniffing. Redirects are followed by
hand so each hop gets the same checks. One deadline (`total_timeout`) bounds the whole call, every
socket operation included (`newsdedup.transport`).

Failures come back as `FetchResult.error`, a short class name ("timeout", "http_404", ...);
every try (retries included) is a `FetchAttempt` for the `fetch_log` table.
"""

from __future__ import annotations

import base64
import codecs
import email.utils
import html
import http.cookiejar
import ipaddress
import logging
import os
import random
import re
import socket
import ssl
import stat
import sys
import threading
import time
import zlib
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from html import unescape as html_unescape
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import httpx
from protego import Protego

from newsdedup.charset import BOMS as _BOMS
from newsdedup.charset import HEADER_CHARSET_RE, utf16_shape
from newsdedup.charset import decode as decode_body  # the one decoder, with the Content-Type
from newsdedup.config import Settings
from newsdedup.record import FetchAttempt
from newsdedup.transport import (
    Deadline,
    DeadlineTransport,
    InvalidContentLength,
    LookupTimeout,
    PeerRefused,
    Resolver,
    ResponseHeadTooLarge,
    UnsupportedTransferCoding,
    bytes_past_end,
    deadline_scope,
    resent_on_new_connection,
)
from newsdedup.urls import (
    MAX_URL_CHARS,
    InvalidURL,
    canonicalize_url,
    host_key,
    is_public_suffix,
    split_credentials,
    web_join,
)

log = logging.getLogger(__name__)

# --- content types ------------------------------------------------------------------------------

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset(
    {
        "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
        "text/xml", "application/x-rss+xml", "application/feed+json", "application/json",
        "application/x-gzip", "application/gzip",  # sitemap.xml.gz
    }
)  # fmt: skip
# Types some servers use for anything; the body decides (sniffing).
AMBIGUOUS_TYPES = frozenset({"", "text/plain", "application/octet-stream", "binary/octet-stream"})
ACCEPT_HEADERS = {
    "html": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
    "feed": "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1",
    "any": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5",
    "robots": "text/plain,*/*;q=0.5",
}
ACCEPTS = tuple(ACCEPT_HEADERS)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Retry only what may succeed later: timeouts, 408, 429 and server errors (issue 5).
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
RETRY_ERRORS = frozenset({"timeout", "connection_error", "dns_temporary"})
# Not tried again within a fetch (seconds later they fail alike), but a later run may not meet them: a
# certificate renewed, a proxy's framing mended. Pages failing so are listed again by the next run, and a
# site's feed failing so keeps its place (both were so as the connection_error these were before).
LATER_ERRORS = frozenset({"tls_certificate", "unsupported_transfer_encoding", "headers_too_large",
                          "invalid_content_length"})

# Magic numbers of formats that must never be treated as a page even when labelled text/html.
_MAGIC = (
    (b"%PDF-", "pdf"), (b"\x89PNG\r\n", "image"), (b"\xff\xd8\xff", "image"), (b"GIF8", "image"),
    (b"RIFF", "binary"), (b"PK\x03\x04", "zip"), (b"\x1f\x8b", "gzip"), (b"BZh", "binary"),
    (b"\x00\x00\x00", "binary"), (b"OggS", "binary"), (b"ID3", "binary"), (b"\x7fELF", "binary"),
    (b"\xd0\xcf\x11\xe0", "binary"), (b"7z\xbc\xaf", "binary"), (b"WARC/", "binary"),
)  # fmt: skip

ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 §2.5: parse at least 500 KiB
ROBOTS_TTL = 24 * 3600.0  # RFC 9309 §2.4: do not use a cached robots.txt for more than 24 hours
ROBOTS_ERROR_TTL = 300.0  # a 5xx/unreachable robots.txt means "disallow all" for a while
# Protego tries a URL against every wildcard rule, one substring search a piece between asterisks:
# 20,000 rules of 25 wildcards (`Disallow: /*a*b*c*...`, 512 KiB) cost 520,000 searches (0.25 s of CPU)
# for every page of the site. The rules are read up to this many pieces (a rule is one, and one more
# for each `*`), as a robots.txt over ROBOTS_MAX_BYTES is obeyed up to that size.
MAX_ROBOTS_PATTERN_PIECES = 10_000
_ROBOTS_RULE = re.compile(r"\s*(?:allow|disallow)\s*:\s*(\S*)", re.IGNORECASE)
# The Fetch standard's "bad ports" (and 0): ports of mail, IRC, SSH, DNS, printing ... servers that no
# browser sends an HTTP request to, for any page. A feed's link or a redirect to http://mail.example:25/
# made the fetcher do so, again on every retry: a listing could aim it at other people's servers.
BAD_PORTS = frozenset({
    0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104,
    109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526,
    530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045,
    4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
})  # fmt: skip
# The longest ETag or Last-Modified sent back: real ones are tens of characters; servers refuse header
# lines past about 8 KB (Apache 8,190 bytes, nginx 8 KB buffers).
MAX_VALIDATOR_CHARS = 1024
MAX_CRAWL_DELAY = 300.0  # the most setting max_crawl_delay may allow: past it a site would never finish
MAX_RETRY_AFTER = 10**9  # seconds (~32 years): beyond any backoff_max, and always a finite figure
# RFC 6265 §6.1's minimums, which browsers keep about (Chrome: 180 per domain, 4096 bytes each).
MAX_COOKIES_PER_DOMAIN = 50
MAX_COOKIES = 3000
MAX_COOKIE_BYTES = 4096  # name and value


_LEADING_SPACE = re.compile(rb"[ \t\r\n\f\v]*")
# UTF-32's byte order marks first: little-endian's starts with UTF-16 LE's. No web page is UTF-32
# (WHATWG), but json.loads reads a JSON Feed in it.
_SNIFF_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), *_BOMS)


def head_of(body: bytes, size: int = 4096) -> bytes:
    """The first `size` bytes of a body after the whitespace before it, however long that is:
    RFC 8259 allows any before JSON, and a pretty-printer's 3 KiB of it made a JSON Feed "text"."""
    start = _LEADING_SPACE.match(body).end()
    return bytes(memoryview(body)[start : start + size])


# What may come before a document's root element (XML 1.0 §2.8): the declaration, processing
# instructions (a stylesheet), comments (a generator's licence), a DOCTYPE and white space; looked
# through for at most PROLOG_SCAN bytes.
_PROLOG = re.compile(rb"(?:\s+|<\?.{0,4096}?\?>|<!--.{0,65536}?-->|<!doctype\b[^\[>]{0,4096}(?:\[.{0,65536}?\])?\s*>)*",
                     re.S | re.I)
PROLOG_SCAN = 256 * 1024


def root_head(body: bytes, size: int = 2048) -> bytes:
    """The first `size` bytes of a document from its root element on, lower-cased (past a prolog of
    up to PROLOG_SCAN bytes; b"" when the root is not within them)."""
    window = body[:PROLOG_SCAN]
    end = _PROLOG.match(window).end()  # type: ignore[union-attr]  # a starred group always matches
    return window[end : end + size].lower() if end < len(window) else b""


# A sitemap whose root comes after a little junk: a PHP warning or notice ("<br />\n<b>Warning</b>: ..."),
# an HTML note, a stray line a plugin printed before the XML. Search engines read it; it was refused
# ("root element <br> is not urlset or sitemapindex") or, for a source without a kind, taken for a
# page and its own URL stored as an article. Only this much junk is passed over, and none that holds a
# document's own root (a page, a feed): what comes after more is no sitemap.
SITEMAP_JUNK_MAX = 1024
_SITEMAP_ROOT_RE = re.compile(rb"<(?:urlset|sitemapindex)[\s>/]", re.I)
_OTHER_ROOT_RE = re.compile(rb"<(?:html|head|body|rss|feed|rdf:rdf)[\s>/]", re.I)


def sitemap_after_junk(body: bytes) -> int | None:
    """Where a sitemap's root element starts when at most SITEMAP_JUNK_MAX bytes that are no XML prolog
    come before it (past leading white space), else None."""
    start = _LEADING_SPACE.match(body).end()  # type: ignore[union-attr]  # a starred group always matches
    window = body[start : start + SITEMAP_JUNK_MAX + 16]
    m = _SITEMAP_ROOT_RE.search(window)
    if m is None or m.start() > SITEMAP_JUNK_MAX or _OTHER_ROOT_RE.search(window, 0, m.start()):
        return None
    return start + m.start()


def sniff(head: bytes, content_type: str | None = None) -> str:
    """Classify the start of a body (the whole body may be given): pdf, image, zip, gzip, binary,
    html, feed, sitemap, xml, markup, json or text; `content_type`: the header it came with (a UTF-16
    label, see `utf16_shape`)."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    for bom, enc in _SNIFF_BOMS:
        if head.startswith(bom):
            head = head[len(bom) : len(bom) + 16384].decode(enc, "ignore").encode("ascii", "ignore")
            break
    else:
        # UTF-16 without a BOM, told by a NUL in every other byte as newsdedup.charset tells it (and
        # reads it): such a page, labelled utf-16le or not, was "binary content, not HTML" at every
        # fetch, `dir` file and feed. What holds no markup once read so is still binary.
        if (shape := utf16_shape(head[:16384], content_type)) is not None:
            kind = sniff(head[:16384].decode(shape, "ignore").encode("ascii", "ignore"))
            return "binary" if kind == "text" else kind
    h = head_of(head, 2048).lower()
    if b"\x00" in h[:512]:
        return "binary"
    if h.startswith(b"<?xml") or h.startswith(b"<!--") or h.startswith(b"<!doctype"):
        if b"<rss" in h or b"<feed" in h or b"<rdf:rdf" in h:
            return "feed"
        if b"<urlset" in h or b"<sitemapindex" in h:
            return "sitemap"
        if b"<html" in h or b"<!doctype html" in h:
            return "html"
        # The root past a longer prolog: a sitemap behind a stylesheet and a generator's licence comment
        # (or blank lines) was "xml", a source of unknown kind, or with the comment first "markup", a page.
        root = root_head(head)
        if root.startswith((b"<rss", b"<feed", b"<rdf:rdf")):
            return "feed"
        if root.startswith((b"<urlset", b"<sitemapindex")):
            return "sitemap"
        if root.startswith(b"<html"):
            return "html"
        return "xml" if h.startswith(b"<?xml") else "markup"
    if h.startswith((b"<rss", b"<feed", b"<rdf:rdf")):
        return "feed"
    if h.startswith((b"<urlset", b"<sitemapindex")) or sitemap_after_junk(h) is not None:
        return "sitemap"
    if h.startswith(b"<html") or b"<html" in h or b"<head" in h or b"<body" in h:
        return "html"
    if h.startswith(b"<"):
        return "markup"
    if h.startswith((b"{", b"[")):
        return "json"
    return "text"


BINARY_KINDS = frozenset({"pdf", "image", "zip", "gzip", "binary"})

# One line of a text sitemap (sitemaps.org, "Text file"): an absolute http(s) URL and nothing else.
URL_LINE = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)
# A line ends in LF, CR LF or CR alone (a URL list saved by a spreadsheet's "CSV (Macintosh)").
LINE_END = re.compile(rb"\r\n?|\n")


def url_list(head: bytes) -> bool:
    """Whether a text body starts as a text sitemap does: its first non-blank line (past a BOM) an
    absolute http(s) URL. Only a start: the sitemap reader judges every line."""
    for line in LINE_END.split(head.removeprefix(b"\xef\xbb\xbf")[:4096]):
        if line.strip():
            return URL_LINE.fullmatch(line.strip().decode("ascii", "replace")) is not None
    return False


def first_line(head: bytes, chars: int = 80) -> str:
    """The first non-blank line of a text body (past a BOM), cut to `chars` characters; "" if none."""
    for line in LINE_END.split(head.removeprefix(b"\xef\xbb\xbf")[:4096]):
        if line.strip():
            text = line.strip().decode("utf-8", "replace")
            return text if len(text) <= chars else text[:chars] + "..."
    return ""


def _named_type(content_type: str | None) -> str:
    """The type/subtype a Content-Type value is written with, lower case; "" when it is no valid one (WHATWG
    MIME Sniffing: only HTTP whitespace is trimmed). Python's `str.strip` also took U+0085 and U+00A0
    (Latin-1 bytes 0x85, 0xA0 of a header) for white space."""
    mime = (content_type or "").split(";", 1)[0].strip(HTTP_WHITESPACE).lower()
    return mime if _MIME_ESSENCE.fullmatch(mime) else ""


# Types that name no type to browsers (WHATWG MIME Sniffing, "determining the computed MIME type of a
# resource"; Chromium's `ShouldSniffMimeType`): the body is sniffed. A page so served was refused as
# `unsupported_content_type` ("*/* with html content, not HTML"), where browsers show it.
_SNIFFED_TYPES = frozenset({"unknown/unknown", "application/unknown", "*/*"})


def mime_essence(content_type: str | None) -> str:
    """The type/subtype a Content-Type names, lower case; "" when it names none a browser reads: an invalid
    type, or one browsers sniff past (`_SNIFFED_TYPES`), so the body decides."""
    mime = _named_type(content_type)
    return "" if mime in _SNIFFED_TYPES else mime


# WHATWG MIME Sniffing's binary data bytes: no text holds them (tab, line ends, form feed and ESC are text).
_BINARY_BYTE = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")


def _binary_text(head: bytes, content_type: str | None = None) -> bool:
    """Whether a body `sniff` calls text (no markup, no NUL in its first 512 bytes) holds a binary data byte
    there, as WHATWG's text-or-binary rule reads it: compressed or encrypted bytes (a `.html` that is an xz,
    zstd or age file) have no NUL there about one time in seven, and were a page of mojibake. UTF-16 and a
    BOM's text are judged by `sniff` itself."""
    if head.startswith(tuple(bom for bom, _ in _SNIFF_BOMS)) or utf16_shape(head[:16384], content_type) is not None:
        return False
    return _BINARY_BYTE.search(head_of(head, 512)[:512]) is not None


def acceptable(accept: str, content_type: str | None, head: bytes) -> str | None:
    """Return None when a body fits what was asked for, else a short reason."""
    mime = mime_essence(content_type)
    kind = sniff(head, content_type)
    if accept == "robots":
        return None if kind not in BINARY_KINDS else f"robots.txt looks like {kind}"
    if accept in ("html", "any"):
        # The header is a claim; the bytes are the evidence (a PDF served as text/html).
        html_ok = (mime in HTML_TYPES or mime in AMBIGUOUS_TYPES) and kind in ("html", "markup", "text")
        if mime in AMBIGUOUS_TYPES and kind == "text":
            html_ok = False
        if html_ok and kind == "text" and _binary_text(head, content_type):
            html_ok, kind = False, "binary"
        if html_ok:
            return None
        if accept == "html":
            return f"{mime or 'no content type'} with {kind} content, not HTML"
    if accept in ("feed", "any"):
        if kind in ("feed", "sitemap", "xml", "json", "gzip"):
            return None
        if mime in FEED_TYPES and kind in ("markup", "text") and kind not in BINARY_KINDS:
            return None
        # A text sitemap (text/plain, or a type that says nothing); any other text is refused here.
        if kind == "text" and mime in AMBIGUOUS_TYPES:
            if url_list(head):
                return None
            # Said as what it is: "text/plain with text content, not a feed or sitemap" left the operator
            # to guess that a text sitemap's first line (a title, a comment) was the trouble.
            first = first_line(head)
            return (f"{mime or 'no content type'} whose first line is not an absolute http(s) URL "
                    f"({first!r}): not a feed, nor a text sitemap (one URL a line, nothing else)" if first else
                    f"{mime or 'no content type'} with no line of text: not a feed, nor a text sitemap")
        return f"{mime or 'no content type'} with {kind} content, not a feed or sitemap"
    return f"{mime or 'no content type'} with {kind} content"


_MIME_ESSENCE = re.compile(r"[!#$%&'*+.^_`|~0-9a-z-]+/[!#$%&'*+.^_`|~0-9a-z-]+")
HTTP_WHITESPACE = " \t\r\n"


def content_type_of(values: list[str]) -> str | None:
    """The one Content-Type of a response whose header came twice or as a list ("text/html,
    text/html; charset=x"), read as browsers do (WHATWG Fetch, "extract a MIME type"): the last type
    named wins, keeping the charset of an earlier value of the same type. Values that name no type
    are passed over; when none names one, the header as it came."""
    chosen: str | None = None
    essence = charset = None
    for value in values:
        for part in value.split(","):
            mime = _named_type(part)
            if not mime or mime == "*/*":
                continue
            m = HEADER_CHARSET_RE.search(part)
            if mime != essence:
                essence, charset, chosen = mime, m, part.strip(HTTP_WHITESPACE)
            elif m:
                charset, chosen = m, part.strip(HTTP_WHITESPACE)
    if chosen is None:
        return ", ".join(values) or None
    if charset is not None and not HEADER_CHARSET_RE.search(chosen):
        chosen = f"{chosen}; charset={charset.group(1)}"
    return chosen


_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9a-z-]+")


def attachment(values: list[str]) -> str | None:
    """Why browsers download the body as a file and show no page (the Content-Disposition value, cut, without
    controls, in words for fetch_log's detail), else None. Its type `attachment`, or one they do not know, is a download;
    `inline`, none, or a value that starts with no type (`filename=x.html`, which broken servers send) is
    shown: Chromium's `HttpContentDisposition` (a type that is no token is no type) and Firefox's
    `NS_GetContentDispositionFromHeader` (a value starting with "filename" is inline) read it so. A
    filename is never read: nothing here is saved under a name a server gives."""
    for value in values:
        kind = value.split(";", 1)[0].strip(HTTP_WHITESPACE).lower()
        if kind and kind != "inline" and not kind.startswith("filename") and _TOKEN.fullmatch(kind):
            shown = without_controls(value) or ""
            shown = shown if len(shown) <= 200 else shown[:200] + "..."
            return f"Content-Disposition {shown!r}: browsers download it as a file, showing no page"
    return None


def refused_early(accept: str, content_type: str | None) -> bool:
    """True when the declared type alone rules the body out (so we need not download it)."""
    mime = mime_essence(content_type)
    major = mime.split("/", 1)[0]
    if major in ("image", "audio", "video", "font", "model"):
        return True
    return accept == "html" and mime in ("application/pdf", "application/zip", "application/msword")


# --- decompression with an output cap -----------------------------------------------------------


class _Bomb(Exception):
    pass


# The compressed bytes given to zlib at once: first for a stream (or gzip member), then doubling.
_FIRST_PIECE = 256
_MAX_PIECE = 1024 * 1024
_READ_PIECE = 1024 * 1024  # a local file's bytes read at once


class _Decoder:
    """Content-Encoding decoder that never produces more than `limit` bytes in total.

    httpx decompresses whole network chunks at once (a 64 KiB gzip bomb chunk becomes ~64 MiB
    before any check could run), so we read raw bytes and bound every zlib call with max_length.
    """

    def __init__(self, encodings: list[str], limit: int, *, truncate: bool = False) -> None:
        self.encodings = encodings
        self.limit = limit
        self.truncate = truncate  # keep the first `limit` bytes instead of raising _Bomb
        self.full = False
        self.produced = 0
        self._objs: list[zlib._Decompress | None] = [None] * len(encodings)
        self._first = [True] * len(encodings)
        self._ended = [False] * len(encodings)  # the stream ended; what follows it is ignored
        # Members read to their end, and what the current one gave: a "member" after a whole one that
        # gives nothing before it breaks or stops is junk after the stream, not a cut body.
        self._members = [0] * len(encodings)
        self._member_out = [0] * len(encodings)

    def _new(self, i: int) -> zlib._Decompress:
        enc = self.encodings[i]
        # wbits 47 = auto-detect zlib or gzip header; deflate is tried as zlib first (below).
        return zlib.decompressobj(47 if enc in ("gzip", "x-gzip") else zlib.MAX_WBITS)

    def _one(self, i: int, data: bytes) -> bytes:
        out = bytearray()
        view = memoryview(data)
        pos, step = 0, _FIRST_PIECE
        while pos < len(view) and not self._ended[i]:
            obj = self._objs[i]
            if obj is not None and obj.eof:
                # The stream ended (in this call or an earlier one): a following gzip member is
                # legal (RFC 1952) and read; anything else is a newline or padding a proxy put
                # after the stream, ignored as browsers do (Chromium ignores extra bytes).
                if self.encodings[i] in ("gzip", "x-gzip") and b"\x1f\x8b".startswith(view[pos : pos + 2]):
                    obj, step = None, _FIRST_PIECE
                    self._members[i] += 1
                    self._member_out[i] = 0
                else:
                    self._ended[i] = True
                    break
            if obj is None:
                obj = self._objs[i] = self._new(i)
            # zlib copies what a stream leaves unread (unused_data): fed the whole rest each time,
            # a body of many small members (20-byte empty ones) took time in the square of its size
            # (50 MB: half an hour, outside every deadline). Pieces that grow with the member keep
            # each copy at most twice what was read.
            piece = view[pos : pos + step]
            room = self.limit - self.produced - len(out) + 1
            try:
                chunk = obj.decompress(piece, room)
            except zlib.error:
                if self._first[i] and self.encodings[i] == "deflate":
                    # Some servers send raw deflate without the zlib header (RFC 9110 says zlib).
                    self._objs[i] = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._first[i] = False
                    continue
                if self._members[i] and not self._member_out[i]:
                    # A stray 0x1f or a broken header after a whole member (a proxy's junk): the page
                    # was lost as bad_encoding though all of it had been read. Browsers show it.
                    self._ended[i] = True
                    self._objs[i] = None
                    break
                raise
            self._first[i] = False
            self._member_out[i] += len(chunk)
            out += chunk
            if self.produced + len(out) > self.limit:
                if not self.truncate:
                    raise _Bomb
                self.full = True
                del out[self.limit - self.produced :]
                break
            pos += len(piece) - len(obj.unconsumed_tail) - len(obj.unused_data)
            step = min(2 * step, _MAX_PIECE)
        return bytes(out)

    def complete(self) -> bool:
        """Whether every layer that got data reached the end of its stream: a gzip or deflate body
        cut short (a close-delimited response whose connection dropped) ends without one."""
        return all(obj is None or obj.eof or (self._members[i] and not self._member_out[i])
                   for i, obj in enumerate(self._objs))

    def feed(self, data: bytes) -> bytes:
        # Encodings are listed in the order applied, so undo them in reverse.
        for i in reversed(range(len(self.encodings))):
            data = self._one(i, data)
        self.produced += len(data)
        return data


def gunzip_capped(data: bytes, limit: int) -> bytes:
    """Gunzip `data` (e.g. a sitemap.xml.gz) without ever holding more than `limit` bytes.

    Raises ValueError("decompression_bomb") past the limit, zlib.error on corrupt input and EOFError
    on a cut one (a truncated file is not a shorter document).
    """
    return decode_capped(data, ["gzip"], limit)


# The content codings a body is read in (what a fetch asks for, and `x-gzip`, gzip's old name).
READ_CODINGS = frozenset({"gzip", "x-gzip", "deflate"})


# The names of the IANA HTTP Content Coding Registry (and "x-" forms of old): what a Content-Encoding value names.
CONTENT_CODINGS = frozenset({"aes128gcm", "br", "compress", "dcb", "dcz", "deflate", "exi", "gzip", "identity",
                             "pack200-gzip", "x-compress", "x-gzip", "zstd"})  # fmt: skip


def content_codings(values: list[str]) -> tuple[list[str], list[str]]:
    """The content codings Content-Encoding values name, in the order applied, lower case, without
    `identity`; and the names of no coding, passed over. A server that writes its charset there
    (`Content-Encoding: UTF-8`: PHP and openresty apps; `none`) sends the page as it is, and browsers show it
    (Chromium's URLRequestHttpJob reads the body of a coding it does not know raw): it was
    `unsupported_content_encoding`, the page lost. A coding we do not read (br, zstd: never asked for) is
    still refused by name, and so is a name of no coding when the body read raw is no page."""
    names = [c.strip(HTTP_WHITESPACE).lower() for value in values for c in value.split(",")]
    names = [c for c in names if c]
    return ([c for c in names if c in CONTENT_CODINGS and c != "identity"],
            [c for c in names if c not in CONTENT_CODINGS])  # fmt: skip


def decode_capped(data: bytes, encodings: list[str], limit: int) -> bytes:
    """`data` with its content codings (of READ_CODINGS, in the order applied) undone as a fetched body's are,
    never holding more than `limit` bytes. Raises as `gunzip_capped`."""
    decoder = _Decoder(encodings, limit)
    try:
        out = decoder.feed(data)
    except _Bomb:
        raise ValueError("decompression_bomb") from None
    if not decoder.complete():
        raise EOFError(f"{'+'.join(encodings)} stream ends early, after {len(data)} bytes")
    return out


# What an HTML robots.txt holds that is no text shown: scripts, styles and comments (to their end, or the file's).
_HTML_HIDDEN = re.compile(r"(?is)<(script|style)\b[^<>]*>.*?(?:</\1\s*>|\Z)|<!--.*?(?:-->|\Z)")
_HTML_TAG = re.compile(r"<[!/?]?([A-Za-z][A-Za-z0-9]*)[^<>]*>")
# Elements a page shows on lines of their own (and `<br>`): each such tag is a line end, any other (`<b>`, `<a>`,
# `<span>`) nothing, as the page shows `/a<b>c</b>` as "/ac".
_HTML_LINE_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "dd", "div", "dl", "dt", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "table",
    "tbody", "td", "textarea", "tfoot", "th", "thead", "title", "tr", "ul", "doctype", "meta", "link", "base"})


def _html_tag(m: re.Match[str]) -> str:
    return "\n" if m.group(1).lower() in _HTML_LINE_TAGS else ""


def robots_from_html(text: str) -> str:
    """The lines of a robots.txt served as an HTML page (a CMS's template around it: `<pre>User-agent: *`,
    rules ended by `<br>`), as its page shows them: a tag of an element shown on its own lines a line end,
    another tag nothing, scripts, styles and comments left out, character references read.

    Google reads the rules out of such a file and ignores the rest ("if the content is HTML, Google tries to
    parse it and extract rules": Search Central, How Google interprets the robots.txt specification; RFC 9309
    §2.2: a crawler uses the lines it can parse). Protego read `<html><body><pre>User-agent` as a field of no
    meaning and passed its group over: the site's rules were lost, its pages all allowed. A `<` that starts
    no tag (`Disallow: /a<b`) is kept. Linear in the text (no pattern scans past the next `<`)."""
    return html.unescape(_HTML_TAG.sub(_html_tag, _HTML_HIDDEN.sub("\n", text)))


def _gunzipped_robots(body: bytes, cap: int, cut: bool) -> tuple[bytes, bool, str | None]:
    """A robots.txt sent as gzip bytes without a Content-Encoding (a precompressed `robots.txt`, a CDN
    compressing twice) gunzipped up to `cap` (and whether it was cut there), with a note for the attempt.

    It was "robots.txt looks like gzip", read as no robots.txt: every page allowed for a day. The bytes are
    the site's rules, and RFC 9309 §2.2 asks a crawler to use the rules it can parse. A stream that is no
    gzip (a `\x1f\x8b` and junk) is left as it came (no rules: allow all, as before); one cut short (the
    body cut at `cap`, or sent so) is read up to its last whole line, as a robots.txt past the cap is."""
    decoder = _Decoder(["gzip"], cap, truncate=True)
    try:
        out = decoder.feed(body)
    except zlib.error:
        return body, cut, None
    if not out:
        return body, cut, None
    whole = decoder.complete() and not decoder.full
    return out, cut or not whole, f"gzip bytes without Content-Encoding: read gunzipped ({len(out):,} bytes)"


def bound_robots(text: str) -> tuple[str, int]:
    """`text` without its Allow/Disallow lines past MAX_ROBOTS_PATTERN_PIECES pieces (a rule is one,
    and one more for each `*`: the substring searches Protego makes to match a URL against it), and
    how many were left out. Other lines (User-agent, Sitemap, Crawl-delay) are kept."""
    pieces = dropped = 0
    kept: list[str] = []
    for line in text.splitlines(keepends=True):
        m = _ROBOTS_RULE.match(line)
        if m and m.group(1):
            cost = 1 + m.group(1).count("*")
            if pieces + cost > MAX_ROBOTS_PATTERN_PIECES:
                dropped += 1
                continue
            pieces += cost
        kept.append(line)
    return ("".join(kept) if dropped else text), dropped


# A group's `User-agent:` line whose value goes on past its product token (`newsdedup/2.0`, `Googlebot/2.1`).
_ROBOTS_AGENT = re.compile(r"(?im)^([ \t]*user-agent[ \t]*:[ \t]*)([A-Za-z_-]+)(?=[^A-Za-z_\-\r\n#*])[^\r\n#]*")


def robots_product_tokens(text: str) -> str:
    """`text` with each `User-agent:` value cut to its product token, the letters, `_` and `-` it starts with.

    RFC 9309 §2.2.1 matches a group by product token, and Google's parser (robotstxt's `ExtractUserAgent`)
    reads a value up to its first other character: `User-agent: newsdedup/2.0` is the group of newsdedup.
    Protego looks for the whole value in our name, so a site naming us with a version (as sites name
    `Googlebot/2.1` or `AhrefsBot/7.0`) had its group passed over and the rules for everyone obeyed: pages it
    disallowed to us were fetched."""
    return _ROBOTS_AGENT.sub(r"\1\2", text)


def read_capped(path: Path, cap: int) -> bytes:
    """A local regular file's bytes (gunzipped when they are gzip) without holding more than `cap`.

    Raises ValueError("not_a_regular_file" | "too_large" | "decompression_bomb"), and OSError,
    zlib.error or EOFError as `gunzip_capped`. The file is opened without blocking and checked
    after opening: a FIFO made the reader wait for a writer for ever, /dev/zero filled the cap."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise ValueError("not_a_regular_file")
        return read_capped_stream(fh, cap)


def read_capped_stream(fh: BinaryIO, cap: int) -> bytes:
    """`read_capped` of an open stream (standard input: `newsdedup extract -`), read to its end or past `cap`."""
    # The cap is a limit, not a size to set aside: read(cap + 1) allocated it up front (a cap of
    # 1 TB was a MemoryError, one past 2**63 an OverflowError, whatever the file's size).
    cap = min(cap, sys.maxsize // 2)
    parts: list[bytes] = []
    size = 0
    while size <= cap and (piece := fh.read(min(cap + 1 - size, _READ_PIECE))):
        parts.append(piece)
        size += len(piece)
    data = b"".join(parts)
    if len(data) > cap:
        raise ValueError("too_large")
    if data[:2] == b"\x1f\x8b":
        data = gunzip_capped(data, cap)
    return data


# --- address guard ------------------------------------------------------------------------------


# IPv6 ranges that carry an IPv4 address in their last 32 bits and reach it where they are routed:
# NAT64's well-known prefix (RFC 6052; common on IPv6-only clouds), IPv4-compatible (::/96,
# deprecated) and SIIT's IPv4-translated addresses (RFC 2765). 6to4 (2002::/16) carries it in bits
# 16-48 (`sixtofour`). Python calls all of them global whatever the IPv4 address inside.
_V4_IN_LOW_BITS = tuple(ipaddress.IPv6Network(n) for n in ("64:ff9b::/96", "::/96", "::ffff:0:0:0/96"))
# Local-use NAT64 (RFC 8215: where the IPv4 address sits depends on the operator) and the
# deprecated site-local range, a private network like fc00::/7.
_NOT_PUBLIC_V6 = tuple(ipaddress.IPv6Network(n) for n in ("64:ff9b:1::/48", "fec0::/10"))


def is_public_ip(addr: str) -> bool:
    """True for globally routable unicast addresses; loopback, private, link-local, CGNAT,
    multicast, reserved and unspecified addresses are not, nor IPv6 addresses that carry one of
    them (IPv4-mapped, NAT64, 6to4, IPv4-compatible, SIIT)."""
    try:
        ip = ipaddress.ip_address(addr.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if any(ip in net for net in _NOT_PUBLIC_V6):
            return False
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip.sixtofour is not None:
            ip = ip.sixtofour
        elif any(ip in net for net in _V4_IN_LOW_BITS):
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.is_global and not ip.is_multicast


# --- per-host gate ------------------------------------------------------------------------------


class HostGate:
    """At most `limit` requests in flight to one host and `interval` seconds between starts."""

    def __init__(self, limit: int, interval: float) -> None:
        self.limit = max(1, limit)
        self.interval = max(0.0, interval)
        self._cond = threading.Condition()
        self._active = 0
        self._next_start = 0.0
        self.max_active = 0
        self.requests = 0

    def acquire(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                if self._active < self.limit and now >= self._next_start:
                    self._active += 1
                    self.requests += 1
                    self.max_active = max(self.max_active, self._active)
                    self._next_start = now + self.interval
                    return
                timeout = self._next_start - now if self._active < self.limit else None
                self._cond.wait(timeout)

    def release(self) -> None:
        with self._cond:
            self._active -= 1
            self._cond.notify_all()

    def defer(self, seconds: float) -> None:
        """Start nothing on this host for `seconds` (a Retry-After applies to the whole host)."""
        with self._cond:
            self._next_start = max(self._next_start, time.monotonic() + seconds)

    def __enter__(self) -> HostGate:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


# --- results ------------------------------------------------------------------------------------


@dataclass
class FetchResult:
    """The outcome of one `Fetcher.fetch`: the body or a short error class, plus every attempt."""

    url: str
    final_url: str | None = None
    status: int | None = None
    body: bytes | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    # the target of a `Link: <...>; rel="canonical"` header (RFC 6596 §3), absolute; None when none
    link_canonical: str | None = None
    not_modified: bool = False
    error: str | None = None
    attempts: list[FetchAttempt] = field(default_factory=list)
    detail: str | None = None
    _text: tuple[str, str] | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.error is None and self.body is not None

    def text(self) -> str:
        """The body decoded with the charset the evidence supports (header, meta, detection)."""
        if self.body is None:
            return ""
        if self._text is None:
            self._text = decode_body(self.body, self.content_type)
        return self._text[0]

    @property
    def encoding(self) -> str | None:
        if self.body is None:
            return None
        self.text()
        return self._text[1] if self._text else None


class _Failure(Exception):
    """One attempt failed with `error` (an error class); `retry` says whether to try again."""

    def __init__(self, error: str, detail: str = "", *, retry: bool = False, status: int | None = None,
                 retry_after: float | None = None) -> None:  # fmt: skip
        super().__init__(f"{error}: {detail}")
        self.error = error
        self.detail = detail
        self.retry = retry
        self.status = status
        self.retry_after = retry_after


@dataclass
class _Response:
    final_url: str
    status: int
    body: bytes | None
    content_type: str | None
    etag: str | None
    last_modified: str | None
    not_modified: bool
    raw_bytes: int
    cut: bool = False  # only the first `cap` bytes were kept (robots.txt)
    note: str | None = None  # for the attempt's detail: something odd that did not fail the fetch
    link_canonical: str | None = None


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), at most
    MAX_RETRY_AFTER; None when the header says nothing usable. Never raises."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # not str.isdigit alone: "²" is a digit to Python
        # A thousand-digit number is still "later than we will wait"; int() would refuse it.
        return float(min(int(value), MAX_RETRY_AFTER)) if len(value) <= 12 else float(MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = when.timestamp() - (now if now is not None else time.time())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return min(max(0.0, seconds), float(MAX_RETRY_AFTER))


# --- the fetcher --------------------------------------------------------------------------------


def _sendable(value: str) -> bool:
    """True when `value` can go out as an HTTP header value unchanged (printable ASCII)."""
    return value.isascii() and value.isprintable()


class _CookiePolicy(http.cookiejar.DefaultCookiePolicy):
    """The standard rules, and only cookies that can be sent back unchanged: a Set-Cookie with a
    Latin-1 byte would otherwise make every later request to that host fail."""

    def set_ok(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        parts = (cookie.name, cookie.value or "", cookie.path or "", cookie.domain or "")
        if len(cookie.name) + len(cookie.value or "") > MAX_COOKIE_BYTES:
            return False
        if cookie.domain_specified and is_public_suffix(cookie.domain or ""):
            # `Domain=.github.io` from evil.github.io was kept (http.cookiejar knows only a few suffixes)
            # and sent to every other github.io site of the run; browsers refuse it (the public suffix list).
            return False
        return all(_sendable(p) or not p for p in parts) and super().set_ok(cookie, request)


class _CookieJar(http.cookiejar.CookieJar):
    """A jar with the limits browsers keep (RFC 6265 §6.1): at most MAX_COOKIES_PER_DOMAIN per
    domain and MAX_COOKIES in all; past them a new cookie is dropped, a known one still updated.

    Without them a server that set 1,000 new cookies on every response made the 60th request carry
    a 5 MB Cookie header (60,000 cookies, 14 s of CPU in building headers): memory and time grew with
    the square of the pages a source lists, outside any deadline."""

    def set_cookie(self, cookie: http.cookiejar.Cookie) -> None:
        # Read through the jar's public iteration (at most MAX_COOKIES cookies), not its private dicts.
        in_domain = [known for known in self if known.domain == cookie.domain]
        known = any(c.path == cookie.path and c.name == cookie.name for c in in_domain)
        if not known and (len(in_domain) >= MAX_COOKIES_PER_DOMAIN or len(self) >= MAX_COOKIES):
            return
        super().set_cookie(cookie)


class Fetcher:
    """Polite, bounded HTTP fetching for one run. Use as a context manager; thread-safe."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        s = self.settings
        self.user_agent = s.user_agent
        # Protego matches group names against the product token, not the whole UA string.
        self.robots_agent = re.split(r"[/\s]", s.user_agent.strip(), maxsplit=1)[0] or "newsdedup"
        # Requests go straight to the transport, not through httpx.Client: redirects are ours to
        # follow (the client would parse every Location first and fail a bad one as a protocol
        # error), no proxy comes from the environment (the address guard must see the peer), and
        # every socket operation stays within the fetch's deadline (see newsdedup.transport).
        if not _sendable(s.user_agent):
            raise ValueError(f"user_agent must be printable ASCII, not {s.user_agent!r}")
        limits = httpx.Limits(max_connections=max(16, 2 * s.concurrency), max_keepalive_connections=max(8, s.concurrency))
        # The guard looks up a name before the request; the transport connects to the addresses of the same
        # (kept) answer and checks the address it really connected to before sending a byte. Every
        # look-up is bounded by the fetch's deadline.
        self._resolver = Resolver()
        self._transport = DeadlineTransport(limits, peer_allowed=None if s.allow_private_networks else is_public_ip,
                                            resolver=self._resolver)  # fmt: skip
        # Cookies are kept per fetcher (one source's run), as a client would.
        self._cookies = httpx.Cookies(_CookieJar(policy=_CookiePolicy()))
        self._headers = {"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"}
        self._gates: dict[str, HostGate] = {}
        self._gates_lock = threading.Lock()
        self._robots: dict[str, tuple[float, Protego | None, bool, str]] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        # robots.txt fetches are attempts too: the pipeline drains them into fetch_log.
        self._side_attempts: list[FetchAttempt] = []
        # Basic credentials per origin, from source URLs fetched by this fetcher (one source's run).
        self._credentials: dict[str, tuple[str, str]] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._closed = False

    # context manager
    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._transport.close()  # a look-up still running ends in its thread (no caller waits for it)

    # observability
    def host_stats(self) -> dict[str, dict[str, int]]:
        """Per host: requests started and the most requests ever in flight at once."""
        with self._gates_lock:
            return {h: {"requests": g.requests, "max_active": g.max_active} for h, g in self._gates.items()}

    def gate(self, key: str) -> HostGate:
        with self._gates_lock:
            g = self._gates.get(key)
            if g is None:
                s = self.settings
                g = self._gates[key] = HostGate(s.per_host_concurrency, s.per_host_delay)
            return g

    # public API
    def fetch(self, url: str, *, accept: str = "html", etag: str | None = None,
              last_modified: str | None = None, max_bytes: int | None = None) -> FetchResult:  # fmt: skip
        """Fetch one URL with retries; never raises for anything the network or URL does.

        `accept` is "html" (pages), "feed" (RSS/Atom/sitemaps, gzip allowed) or "any" (either;
        used to detect a source's kind). `max_bytes` overrides `settings.max_bytes` (sitemaps
        may be 50 MB by protocol).

        A URL with `user:password@` gives Basic credentials for its origin (scheme, host, port):
        this fetcher sends them to that origin only (the URL, the source's pages, its robots.txt),
        never on a redirect or link elsewhere; results and attempts carry the URL without them.

        `settings.total_timeout` bounds the whole call: connect, TLS, headers, body, robots.txt,
        every redirect hop, every retry and the waits between them. Only time spent waiting for
        this fetcher's own per-host politeness (concurrency, delay, Crawl-delay) does not count.
        """
        if accept not in ACCEPTS:
            raise ValueError(f"accept must be one of {ACCEPTS}, not {accept!r}")
        s = self.settings
        deadline = Deadline(s.total_timeout)
        # user:password in the URL is sent as a header, never recorded: from here on `url` has none.
        url, credentials = split_credentials(url)
        result = FetchResult(url=url)
        try:
            target = canonicalize_url(url)
            if not target.startswith(("http://", "https://")):
                raise InvalidURL(f"{url!r} is not an http(s) URL")
            if credentials is not None:
                with self._gates_lock:
                    self._credentials[host_key(target)] = credentials
        except InvalidURL as exc:
            result.error, result.detail = "invalid_url", str(exc)
            result.attempts.append(self._attempt_record(url, None, None, "invalid_url", 0, 0.0, 1,
                                                        datetime.now(UTC), str(exc)))  # fmt: skip
            return result
        headers = {"Accept": ACCEPT_HEADERS[accept]}
        # Validators come from the server. One we cannot send back as it came (non-ASCII, control
        # characters, longer than MAX_VALIDATOR_CHARS) is left out: a plain GET is always right, sending
        # it would fail every fetch (a 70 KB ETag, kept in the source's state, was refused with 431 on
        # every run after the first, for ever).
        if etag and _sendable(etag) and len(etag) <= MAX_VALIDATOR_CHARS:
            headers["If-None-Match"] = etag
        if last_modified and _sendable(last_modified) and len(last_modified) <= MAX_VALIDATOR_CHARS:
            headers["If-Modified-Since"] = last_modified
        cap = max_bytes if max_bytes is not None else s.max_bytes
        total_tries = 1 + max(0, int(s.retries))
        for n in range(1, total_tries + 1):
            started_at = datetime.now(UTC)
            t0 = time.monotonic()
            try:
                resp = self._get(target, accept, headers, cap, deadline, check_robots=s.respect_robots)
            except _Failure as f:
                elapsed = (time.monotonic() - t0) * 1000
                result.attempts.append(self._attempt_record(url, None, f.status, f.error, 0, elapsed, n,
                                                            started_at, f.detail))  # fmt: skip
                result.error, result.detail, result.status = f.error, f.detail, f.status
                if not f.retry or n == total_tries:
                    break
                wait_s = self._backoff(n, f.retry_after)
                if wait_s is None:
                    result.detail = f"{f.detail}; Retry-After {f.retry_after:.0f}s exceeds backoff_max"
                    break
                if wait_s >= deadline.left():
                    result.detail = f"{f.detail}; no time left for a retry within total_timeout {s.total_timeout}s"
                    break
                time.sleep(wait_s)
                continue
            except Exception as exc:  # noqa: BLE001 - a bug or an unexpected library error must not stop the run
                log.exception("unexpected error fetching %s", url)
                elapsed = (time.monotonic() - t0) * 1000
                detail = f"{type(exc).__name__}: {exc}"
                result.attempts.append(self._attempt_record(url, None, None, "internal_error", 0, elapsed, n,
                                                            started_at, detail))  # fmt: skip
                result.error, result.detail = "internal_error", detail
                break
            elapsed = (time.monotonic() - t0) * 1000
            result.attempts.append(self._attempt_record(url, resp.final_url, resp.status, None,
                                                        resp.raw_bytes, elapsed, n, started_at, resp.note))  # fmt: skip
            result.final_url = resp.final_url
            result.status = resp.status
            result.body = resp.body
            result.content_type = resp.content_type
            result.etag = resp.etag
            result.last_modified = resp.last_modified
            result.link_canonical = resp.link_canonical
            result.not_modified = resp.not_modified
            result.error = result.detail = None
            break
        return result

    def fetch_many(self, urls: Iterable[str], accept: str = "html",
                   validators: Mapping[str, tuple[str | None, str | None]] | None = None) -> Iterator[FetchResult]:
        """Fetch many URLs concurrently, yielding results as they complete.

        Hosts run in parallel; each host gets at most `per_host_concurrency` jobs at a time (so a
        slow host cannot occupy every worker) and the gate adds `per_host_delay`. `validators` maps a
        URL to the (ETag, Last-Modified) of its last fetch: a conditional GET (re-checks).
        """
        validators = validators or {}
        s = self.settings
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=max(1, s.concurrency), thread_name_prefix="fetch")
        queues: dict[str, deque[str]] = {}
        for url in urls:
            try:
                key = host_key(canonicalize_url(url))
            except InvalidURL:
                key = "invalid:"
            queues.setdefault(key, deque()).append(url)
        order = deque(queues)
        inflight: dict[str, int] = dict.fromkeys(queues, 0)
        running: dict[Future[FetchResult], str] = {}
        per_host = max(1, s.per_host_concurrency)
        try:
            while running or order:
                # Round-robin over hosts with work and a free slot until all workers are busy.
                scanned = 0
                while order and len(running) < max(1, s.concurrency) and scanned < len(order):
                    key = order[0]
                    order.rotate(-1)
                    q = queues[key]
                    if inflight[key] >= per_host and key != "invalid:":
                        scanned += 1
                        continue
                    scanned = 0
                    url = q.popleft()
                    etag, last_modified = validators.get(url, (None, None))
                    fut = self._pool.submit(self.fetch, url, accept=accept, etag=etag, last_modified=last_modified)
                    running[fut] = key
                    inflight[key] += 1
                    if not q:
                        order.remove(key)
                if not running:
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in done:
                    key = running.pop(fut)
                    inflight[key] -= 1
                    yield fut.result()
        finally:
            for fut in running:
                fut.cancel()

    # internals
    def _backoff(self, attempt: int, retry_after: float | None) -> float | None:
        s = self.settings
        base = min(s.backoff_max, s.backoff_base * (2 ** (attempt - 1)))
        # "Equal jitter": at least half the backoff, so retries from many workers spread out.
        delay = base / 2 + random.uniform(0, base / 2)
        if retry_after is not None:
            if retry_after > s.backoff_max:
                return None  # honour the server: do not come back earlier than it asked
            delay = max(delay, retry_after)
        return delay

    def _record_side(self, url: str, final_url: str | None, status: int | None, error: str | None, nbytes: int,
                     t0: float, at: datetime, detail: str | None) -> None:  # fmt: skip
        rec = self._attempt_record(url, final_url, status, error, nbytes, (time.monotonic() - t0) * 1000, 1, at,
                                   detail)  # fmt: skip
        with self._gates_lock:
            self._side_attempts.append(rec)

    def drain_side_attempts(self) -> list[FetchAttempt]:
        """Attempts made on the fetcher's own behalf (robots.txt) since the last call."""
        with self._gates_lock:
            out, self._side_attempts = self._side_attempts, []
        return out

    @staticmethod
    def _attempt_record(url: str, final_url: str | None, status: int | None, error: str | None, nbytes: int,
                        elapsed_ms: float, n: int, at: datetime, detail: str | None) -> FetchAttempt:  # fmt: skip
        return FetchAttempt(url=url, final_url=final_url, status=status, error=error, bytes=nbytes,
                            elapsed_ms=round(elapsed_ms, 1), attempt=n, fetched_at=at, detail=detail)  # fmt: skip

    def _resolve(self, host: str, port: int, deadline: Deadline) -> list[str]:
        try:
            return self._resolver.addresses(host, port, deadline.left())
        except LookupTimeout as exc:
            # What the system resolver says after its own timeout, only sooner: try again later.
            raise _Failure("dns_temporary", f"{exc} (total timeout {self.settings.total_timeout}s)", retry=True) from None
        except socket.gaierror as exc:
            temporary = exc.errno == socket.EAI_AGAIN
            raise _Failure("dns_temporary" if temporary else "dns_error", f"{host}: {exc.strerror}",
                           retry=temporary) from None  # fmt: skip

    def _guard(self, url: str, deadline: Deadline) -> None:
        """Refuse URLs whose host resolves to a non-public address (SSRF guard)."""
        if self.settings.allow_private_networks:
            return
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addrs = self._resolve(host, port, deadline)
        bad = [a for a in addrs if not is_public_ip(a)]
        if bad:
            raise _Failure("private_address", f"{host} resolves to non-public address {bad[0]}")

    def robots_sitemaps(self, url: str) -> list[str]:
        """The `Sitemap:` lines of the robots.txt of `url`'s host, as written (the same cached copy
        the rules come from: fetched once per host, recorded like every robots.txt fetch); [] when
        there is none or it cannot be read. Never raises."""
        try:
            parser = self._robots_entry(canonicalize_url(url), Deadline(self.settings.total_timeout))[1]
        except (InvalidURL, _Failure):
            return []
        return list(parser.sitemaps) if parser is not None else []

    def _robots_entry(self, url: str, deadline: Deadline) -> tuple[float, Protego | None, bool, str]:
        key = host_key(url)
        with self._gates_lock:
            lock = self._robots_locks.setdefault(key, threading.Lock())
        # One robots.txt fetch per host, even with many workers waiting on it (within their deadline).
        if not lock.acquire(timeout=max(0.0, deadline.left())):
            raise _Failure("timeout", f"total timeout {deadline.seconds}s waiting for robots.txt", retry=True)
        try:
            entry = self._robots.get(key)
            if entry is None or entry[0] < time.monotonic():
                entry = self._load_robots(url, deadline)
                self._robots[key] = entry
        finally:
            lock.release()
        return entry

    def _robots_allows(self, url: str, deadline: Deadline) -> None:
        _, parser, allow_all, why = self._robots_entry(url, deadline)
        if parser is None:
            if allow_all:
                return
            raise _Failure("robots_disallowed", why)
        if not parser.can_fetch(url, self.robots_agent):
            raise _Failure("robots_disallowed", f"robots.txt disallows {urlsplit(url).path or '/'}")

    def _load_robots(self, url: str, deadline: Deadline) -> tuple[float, Protego | None, bool, str]:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        now = time.monotonic()
        started = datetime.now(UTC)
        try:
            resp = self._get(robots_url, "robots", {"Accept": ACCEPT_HEADERS["robots"]}, ROBOTS_MAX_BYTES,
                             deadline, check_robots=False)  # fmt: skip
        except _Failure as f:
            self._record_side(robots_url, None, f.status, f.error, 0, now, started, f.detail)
            # RFC 9309 §2.3.1: 4xx (and a 3xx that cannot be followed) means no rules; 5xx or
            # unreachable means assume full disallow. A 429 is the server asking us to slow down, not a
            # missing file: read as a 5xx (as Google reads it), where it made every page fair game for a day.
            if f.status is not None and 300 <= f.status < 500 and f.status != 429:
                return (now + ROBOTS_TTL, None, True, "")
            if f.error in ("too_large", "decompression_bomb", "unsupported_content_type"):
                return (now + ROBOTS_TTL, None, True, "")
            if f.status is None and f.error in RETRY_ERRORS | LATER_ERRORS | {"dns_error"}:
                # The host itself is unreachable: report that (not a robots refusal), cache nothing
                # so the page's own retry probes the host again.
                raise _Failure(f.error, f"robots.txt: {f.detail}", retry=f.retry) from None
            return (now + ROBOTS_ERROR_TTL, None, False, f"robots.txt unavailable ({f.error}); assuming disallow")
        text, _ = decode_body(resp.body or b"", resp.content_type)
        # Only a body that is a page from its start: plain rules with a `<body>` in a path stay as written.
        if (resp.body or b"").lstrip()[:1] == b"<" and sniff(resp.body or b"", resp.content_type) == "html":
            text = robots_from_html(text)
        text, dropped = bound_robots(robots_product_tokens(text))
        notes = [f"over {ROBOTS_MAX_BYTES} bytes: the rules in the first {len(resp.body or b'')} read"
                 if resp.cut else resp.note]  # fmt: skip
        if dropped:
            notes.append(f"{dropped:,} rules past the first {MAX_ROBOTS_PATTERN_PIECES:,} pattern pieces not read")
            log.warning("%s: %d rules past the first %d pattern pieces not read (the matching work every page "
                        "of the site costs)", robots_url, dropped, MAX_ROBOTS_PATTERN_PIECES)  # fmt: skip
        detail = "; ".join(n for n in notes if n) or None
        try:
            parser = Protego.parse(text)
        except Exception:  # noqa: BLE001 - an unparsable robots.txt has no usable rules
            self._record_side(robots_url, resp.final_url, resp.status, None, resp.raw_bytes, now, started, detail)
            return (now + ROBOTS_TTL, None, True, "")
        delay = parser.crawl_delay(self.robots_agent)
        if delay:
            g = self.gate(host_key(url))
            cap = min(self.settings.max_crawl_delay, MAX_CRAWL_DELAY)
            if float(delay) > cap:
                # A site asking 60 s (or a day) between requests made its 500 entries a run of hours; the
                # operator's cap wins, and says so.
                clipped = (f"Crawl-delay {float(delay):g} s asked, {cap:g} s kept (setting max_crawl_delay, at "
                           f"most {MAX_CRAWL_DELAY:g})")
                log.warning("%s: %s", robots_url, clipped)
                detail = f"{detail}; {clipped}" if detail else clipped
            g.interval = max(g.interval, min(float(delay), cap))
        self._record_side(robots_url, resp.final_url, resp.status, None, resp.raw_bytes, now, started, detail)
        return (now + ROBOTS_TTL, parser, True, "")

    def _get(self, url: str, accept: str, headers: dict[str, str], cap: int, deadline: Deadline, *,
             check_robots: bool) -> _Response:  # fmt: skip
        """One attempt: follow redirects by hand, every hop guarded; raise _Failure on failure."""
        s = self.settings
        # A URL comes back in a loop only with the same cookies: a site that sets a cookie and redirects
        # to the same URL (a consent or bot check; browsers and curl follow it) gets the page on the
        # next request, and was a redirect_loop. One that changes its cookies every time stops at
        # max_redirects.
        seen = {(url, self._cookie_header(url))}
        current = url
        hops = 0
        refreshed: list[str] = []  # pages that were only a <meta> refresh to the next URL
        while True:
            parts = urlsplit(current)
            port = parts.port or (443 if parts.scheme == "https" else 80)
            if port in BAD_PORTS:
                raise _Failure("invalid_url", f"{current}: port {port} is one no browser fetches (the Fetch "
                                              "standard's bad ports: mail, IRC, SSH, ... servers)")  # fmt: skip
            self._guard(current, deadline)
            if check_robots:
                self._robots_allows(current, deadline)
            gate = self.gate(host_key(current))
            with deadline.paused():
                gate.acquire()
            try:
                remaining = deadline.left()
                if remaining <= 0:
                    raise _Failure("timeout", f"total timeout {s.total_timeout}s", retry=True)
                timeout = httpx.Timeout(connect=min(s.connect_timeout, remaining), read=min(s.read_timeout, remaining),
                                        write=min(s.read_timeout, remaining), pool=remaining)  # fmt: skip
                try:
                    request = httpx.Request("GET", current, headers=self._request_headers(current, headers),
                                            extensions={"timeout": timeout.as_dict()})  # fmt: skip
                    self._cookies.set_cookie_header(request)
                    with deadline_scope(deadline):
                        resp = self._transport.handle_request(request)
                        resp.request = request
                        log.debug("GET %s: HTTP %d", current, resp.status_code)
                        try:
                            self._cookies.extract_cookies(resp)
                            if resp.status_code in REDIRECT_STATUSES and resp.headers.get("location"):
                                location = location_header(resp.headers)
                            else:
                                got = self._read(resp, current, accept, cap, deadline)
                                location = refresh_target(got.body, current, resp.headers.get("refresh")) \
                                    if accept == "html" else None
                                if location is None:
                                    return _with_note(got, refreshed)
                                refreshed.append(current)
                        finally:
                            resp.close()
                except PeerRefused as exc:
                    raise _Failure("private_address", str(exc)[:300]) from None
                except httpx.TransportError as exc:
                    if deadline.expired():
                        # Whatever broke last (a read timing out, a TLS handshake cut), the cause is the deadline.
                        raise _Failure("timeout", f"total timeout {s.total_timeout}s ({type(exc).__name__})",
                                       retry=True) from None  # fmt: skip
                    self._transport_failure(exc)
                except httpx.InvalidURL as exc:
                    raise _Failure("invalid_url", str(exc)[:300]) from None
            finally:
                gate.release()
            # A redirect: resolve, canonicalise, detect loops, then guard the next hop.
            hops += 1
            if len(location) > MAX_URL_CHARS:
                # No server takes it, and the page's URL would be stored and logged at that length.
                raise _Failure("invalid_url", f"redirect Location of {len(location):,} characters (at most "
                                              f"{MAX_URL_CHARS:,})")  # fmt: skip
            try:
                nxt = canonicalize_url(location, current)
            except InvalidURL as exc:
                raise _Failure("invalid_url", f"bad redirect Location {location!r}: {exc}") from None
            if not nxt.startswith(("http://", "https://")):
                raise _Failure("invalid_url", f"redirect to non-http URL {nxt}")
            key = (nxt, self._cookie_header(nxt))
            if key in seen:
                # The same URL canonically, but the server may insist on its own spelling: the case of its
                # percent escapes (WordPress writes `%c3%a9`, we request `%C3%A9`), its query's order. A
                # browser requests the Location as written and gets the page; we requested our spelling
                # again and called it a loop. Requested once as written; a spelling seen before is a loop.
                spelt = _as_written(location, current, nxt)
                if spelt is None or spelt == current or (spelt, key[1]) in seen:
                    raise _Failure("redirect_loop", f"{current} redirects back to {nxt}")
                key = (spelt, key[1])
                nxt = spelt
            if hops > s.max_redirects:
                raise _Failure("too_many_redirects", f"more than {s.max_redirects} redirects")
            seen.add(key)
            current = nxt

    def _cookie_header(self, url: str) -> str | None:
        """The Cookie header a request to `url` would carry now (None: none, or no such request)."""
        try:
            probe = httpx.Request("GET", url)
        except (httpx.InvalidURL, ValueError):
            return None
        self._cookies.set_cookie_header(probe)
        return probe.headers.get("cookie")

    def _request_headers(self, url: str, headers: dict[str, str]) -> dict[str, str]:
        """The fetcher's headers, the call's, and Basic credentials when a source URL gave some for
        exactly this origin (scheme, host and port): a redirect or link elsewhere never carries them."""
        out = {**self._headers, **headers}
        with self._gates_lock:
            creds = self._credentials.get(host_key(url))
        if creds is not None:
            token = base64.b64encode(f"{creds[0]}:{creds[1]}".encode()).decode("ascii")
            out["Authorization"] = f"Basic {token}"
        return out

    def _transport_failure(self, exc: httpx.TransportError) -> None:
        s = self.settings
        if isinstance(exc, httpx.TimeoutException):
            raise _Failure("timeout", f"{type(exc).__name__} (connect {s.connect_timeout}s, read "
                           f"{s.read_timeout}s, total {s.total_timeout}s)", retry=True) from None  # fmt: skip
        if isinstance(exc, httpx.UnsupportedProtocol | httpx.LocalProtocolError):
            raise _Failure("invalid_url", str(exc)[:300]) from None
        cert = _certificate_error(exc)
        if cert is not None:
            # An expired, self-signed or other host's certificate is no network hiccup: tried again within
            # seconds it fails alike (it was a connection_error, three handshakes and the waits between them
            # for every page of the site). The next run tries again.
            raise _Failure("tls_certificate", f"certificate of the server refused: {cert.verify_message}"[:300]) from None
        if isinstance(exc, UnsupportedTransferCoding):
            # The server frames every answer so: trying again reads no more of it.
            raise _Failure("unsupported_transfer_encoding", str(exc)[:300]) from None
        if isinstance(exc, ResponseHeadTooLarge):
            raise _Failure("headers_too_large", str(exc)[:300]) from None
        if isinstance(exc, InvalidContentLength):
            # The server frames this answer so every time: trying again within seconds reads no more of it.
            raise _Failure("invalid_content_length", str(exc)[:300]) from None
        # Reset, refused, closed early, malformed response: the server or network may do better later.
        raise _Failure("connection_error", f"{type(exc).__name__}: {exc}"[:300], retry=True) from None

    def _read(self, resp: httpx.Response, url: str, accept: str, cap: int, deadline: Deadline) -> _Response:
        status = resp.status_code
        ctype = without_controls(content_type_of(resp.headers.get_list("content-type")))
        # Kept as sent but for control characters; one we cannot send back is left out of the next request.
        etag, lastmod = without_controls(resp.headers.get("etag")), without_controls(resp.headers.get("last-modified"))
        if status == 304:
            sent = resp.request.headers  # set by _get for every response
            if "if-none-match" in sent or "if-modified-since" in sent:
                return _Response(url, status, None, ctype, etag, lastmod, True, 0, note=_connection_note(resp))
            # Nothing was named that could be "not modified": taken as unchanged, a first read of a
            # feed said "not modified" and a re-check without validators kept a page it never saw.
            raise _Failure("http_304", "HTTP 304 Not Modified to a request that sent no validator", status=status)
        # Only a 2xx carries the page. A 3xx that is not a redirect we follow names none (Apache's
        # MultiViews answers 300 with its list of variants, kept as the article); a 206 to a request
        # that asked for no range (we never ask) is a piece of one. A piece of robots.txt is still
        # rules to obey (RFC 9309 §2.5 reads only the first 500 KiB anyway).
        partial = status == 206 and accept != "robots" and "range" not in resp.request.headers
        if status >= 300 or status < 200 or partial:
            retry_after = parse_retry_after(resp.headers.get("retry-after"))
            if retry_after is not None and status in (429, 503):
                # Retry-After speaks for the whole host, not just this URL.
                self.gate(host_key(url)).defer(min(retry_after, self.settings.backoff_max))
            raise _Failure(f"http_{status}", f"HTTP {status} {resp.reason_phrase}".strip(),
                           retry=status in RETRY_STATUSES, status=status, retry_after=retry_after)  # fmt: skip
        if status in (204, 205):
            # No Content, Reset Content: the status says there is no page (a body sent anyway is not read).
            raise _Failure(f"http_{status}", f"HTTP {status} {resp.reason_phrase}: no content".replace("  ", " "),
                           status=status)  # fmt: skip
        if refused_early(accept, ctype):
            raise _Failure("unsupported_content_type", f"content type {ctype}", status=status)
        # A page a browser downloads as a file is no page its readers are shown (a "save this story" link,
        # a misconfigured server): it was stored as an article. Feeds and sitemaps are read whatever it
        # says, as feed readers and search engines read them.
        if accept == "html" and (download := attachment(resp.headers.get_list("content-disposition"))):
            raise _Failure("attachment", download, status=status)
        encodings, ignored = content_codings(resp.headers.get_list("content-encoding"))
        unknown = [e for e in encodings if e not in READ_CODINGS]
        if unknown:
            raise _Failure("unsupported_content_encoding", f"Content-Encoding {unknown[0]}", status=status)
        # RFC 9309 §2.5: a robots.txt past the cap is read up to it (its rules are obeyed), not refused.
        truncate = accept == "robots"
        length = resp.headers.get("content-length")
        if length and length.isdigit() and int(length) > cap and not truncate:
            raise _Failure("too_large", f"Content-Length {length} > max_bytes {cap}", status=status)
        decoder = _Decoder(encodings, cap, truncate=truncate) if encodings else None
        parts: list[bytes] = []
        size = raw = 0
        cut = False
        for chunk in resp.iter_raw():  # no chunk_size: it would buffer and delay the deadline check
            raw += len(chunk)
            if raw > cap and not truncate:
                raise _Failure("too_large", f"body exceeds max_bytes {cap}", status=status)
            if decoder is not None:
                try:
                    chunk = decoder.feed(chunk)
                except _Bomb:
                    raise _Failure("decompression_bomb",
                                   f"decompressed body exceeds max_bytes {cap} after {raw} compressed bytes",
                                   status=status) from None  # fmt: skip
                except zlib.error as exc:
                    raise _Failure("bad_encoding", f"corrupt {encodings} body: {exc}", status=status) from None
            if truncate and (size + len(chunk) > cap or raw > cap or (decoder is not None and decoder.full)):
                parts.append(chunk[: cap - size])
                cut = True
                break
            size += len(chunk)
            parts.append(chunk)
            if deadline.expired():
                raise _Failure("timeout", f"total timeout {self.settings.total_timeout}s while reading body",
                                retry=True, status=status)  # fmt: skip
        if decoder is not None and not cut and not decoder.complete():
            # Without a length or chunking the close is the only end mark, and a cut looks like it;
            # the compressed stream knows better. A cut may heal, like a reset: retried.
            raise _Failure("connection_error", f"body ended inside its {'+'.join(encodings)} stream after {raw} "
                           "bytes: incomplete", retry=True, status=status)  # fmt: skip
        body = b"".join(parts)
        note = None
        if accept == "robots" and not encodings and body[:2] == b"\x1f\x8b":
            body, cut, note = _gunzipped_robots(body, cap, cut)
        if cut:
            # Up to the last whole line: half a rule ("Disallow: /a" of "/about-us") is another rule.
            body = body[: body.rfind(b"\n") + 1] or body
        problem = acceptable(accept, ctype, body)
        if problem and ignored:  # most likely a coding of a name we do not know, after all
            raise _Failure("unsupported_content_encoding", f"Content-Encoding {ignored[0][:40]} ({problem})",
                           status=status)  # fmt: skip
        if problem:
            raise _Failure("unsupported_content_type", problem, status=status)
        note = "; ".join(n for n in (_connection_note(resp), note) if n) or None
        return _Response(url, status, body, ctype, etag, lastmod, False, raw, cut, note,
                         link_canonical(resp.headers.get_list("link"), url))


# C0 controls but tab, DEL and C1 controls. h11 refuses the C0 ones in a header value, but a byte 0x80-0x9F
# (obs-text, which RFC 9110 allows) comes out of httpx's Latin-1 reading of a head as a C1 control, as does
# UTF-8's C2 9B: U+009B is a terminal's CSI, and it was stored in `raw_pages.content_type`, `etag` and
# `last_modified` (and a source's state) as sent, driving the terminal of whoever printed them.
_CONTROL_RE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def without_controls(value: str | None) -> str | None:
    """A header value to store: its control characters (tab aside) each made U+FFFD, which no header
    grammar reads either (a Content-Type's charset is read as it was; a validator holding one was never
    sent back, not being printable ASCII, and still is not)."""
    return _CONTROL_RE.sub("\ufffd", value) if value and _CONTROL_RE.search(value) else value


def _certificate_error(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    """The certificate check that failed under a transport error (httpx and httpcore chain their causes)."""
    seen = 0
    cause: BaseException | None = exc
    while cause is not None and seen < 8:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return cause
        cause, seen = cause.__cause__ or cause.__context__, seen + 1
    return None


# One link of a Link header (RFC 8288 §3): `<target>` and its parameters, up to the next link.
_LINK_RE = re.compile(r"""<([^<>]{0,4096})>((?:[^,"<]|"[^"]{0,1024}")*)""")
_REL_RE = re.compile(r"""(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))""", re.I)
MAX_LINK_HEADER_CHARS = 64 * 1024  # of all Link lines: a page's preload list is a few hundred characters


def link_canonical(values: list[str], url: str) -> str | None:
    """The target of the first `rel="canonical"` link of a response's Link headers (RFC 6596 §3: how a
    PDF, an AMP copy or any page without a head names its canonical URL), resolved against the URL the
    response came from; None when none names one. `rel` is a set of tokens, case-blind. Only what a
    Link header can say is read here: whether to trust it is `urls.trusted_canonical`'s."""
    text = ", ".join(values)[:MAX_LINK_HEADER_CHARS]
    for m in _LINK_RE.finditer(text):
        rel = _REL_RE.search(m.group(2))
        if rel and "canonical" in (rel.group(1) or rel.group(2) or "").lower().split():
            target = without_controls(m.group(1).strip())
            try:
                return web_join(url, target) if target else None
            except ValueError:
                return None
    return None


def _as_written(location: str, current: str, canonical: str) -> str | None:
    """A redirect's Location resolved against `current` and spelt as the server wrote it (only what a URL
    cannot carry is escaped), when that spelling is `canonical`'s; None when it is not, or carries
    credentials (never sent)."""
    try:
        spelt = httpx.URL(web_join(current, location.strip())).copy_with(fragment=None)
    except (httpx.InvalidURL, ValueError):
        return None
    if spelt.userinfo or spelt.scheme not in ("http", "https"):
        return None
    try:
        return str(spelt) if canonicalize_url(str(spelt)) == canonical else None
    except InvalidURL:
        return None


def location_header(headers: httpx.Headers) -> str:
    """A redirect's Location as browsers read it. Bytes that are UTF-8 are that text (its characters
    are escaped as UTF-8 later, the same bytes); bytes that are not (a raw Latin-1 `é`, 0xE9, from an
    old server) are percent-encoded as they are, `/caf%E9.html`, where decoding them as Latin-1 and
    escaping that text as UTF-8 requested `/caf%C3%A9.html`, another resource. The same Location
    sent twice (a proxy repeating it) is that one; different ones are an invalid_url failure, as
    browsers refuse them (Chrome: ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION): joined with ", " as httpx
    joins them, "/story, /other" was requested, a URL neither header named."""
    values = list(dict.fromkeys(v.strip() for k, v in headers.raw if k.lower() == b"location"))
    if len(values) > 1:
        shown = ", ".join(repr(v.decode("utf-8", "replace")[:200]) for v in values[:3])
        raise _Failure("invalid_url", f"a redirect with {len(values)} different Location headers ({shown}"
                                      f"{', ...' if len(values) > 3 else ''}): no browser follows it")
    raw = values[0] if values else b""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return "".join(chr(b) if b < 0x80 else f"%{b:02X}" for b in raw)


# A page that is only a `<meta http-equiv="refresh" content="0; url=...">` is a redirect (an old
# CMS's moved story, a link shortener, a home page sending readers to /en/); browsers follow it. A
# refresh after more than this many seconds, or on a page this big, is a page that reloads (a live
# page every 5 minutes, a story sending idle readers home after 10): the page is the answer.
META_REFRESH_MAX_DELAY = 5.0
META_REFRESH_MAX_BYTES = 16 * 1024
_META_TAG_RE = re.compile(rb"<meta\b[^>]{0,2000}>", re.I)
_HTTP_EQUIV_REFRESH_RE = re.compile(rb"""\bhttp-equiv\s*=\s*["']?\s*refresh\b""", re.I)
_CONTENT_ATTR_RE = re.compile(rb"""\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
# The HTML standard's "shared declarative refresh steps": a time, then `;` or `,`, then an optional
# `url=`, then the URL, in quotes or not.
_REFRESH_RE = re.compile(r"""\s*(\d+)[\d.]*\s*(?:[;,]\s*)?(?:url\s*=\s*)?(.*)""", re.I | re.S)


def refresh_target(body: bytes | None, url: str, header: str | None = None) -> str | None:
    """Where a page that is only a quick refresh sends its reader (resolved against `url`), else None:
    no `Refresh` header (`header`, read first, as the HTML standard reads it) nor `<meta>` refresh, a
    delay over META_REFRESH_MAX_DELAY, a page over META_REFRESH_MAX_BYTES, no URL or the page
    itself, not http(s)."""
    if body is not None and len(body) <= 4 * META_REFRESH_MAX_BYTES:
        # A UTF-16 or UTF-32 stub (with a BOM or, UTF-16, without one, told by its NULs) holds its <meta> as
        # two or four bytes a letter, which the byte scan below never found: browsers follow it.
        wide = next((enc for bom, enc in _SNIFF_BOMS if body.startswith(bom)), None) or utf16_shape(body)
        if wide is not None:
            body = body.decode(wide, "replace").removeprefix("\ufeff").encode("utf-8")
    if body is not None and len(body) > META_REFRESH_MAX_BYTES:
        return None
    if header is not None:
        # PHP's header("Refresh: 0; url=..."), link shorteners: browsers follow it as they follow the
        # element; it was ignored, and the empty stub stored as the story.
        return _refresh_content_target(header, url, escaped=False)
    if not body or b"efresh" not in body:
        return None
    for found in _META_TAG_RE.finditer(body):
        tag = found.group()
        if not _HTTP_EQUIV_REFRESH_RE.search(tag) or not (m := _CONTENT_ATTR_RE.search(tag)):
            continue
        content = next(g for g in m.groups() if g is not None).decode("utf-8", "replace")
        return _refresh_content_target(content, url, base=_document_base(body[: found.start()], url))
    return None


_BASE_TAG_RE = re.compile(rb"<base\b[^>]{0,2000}>", re.I)
_HREF_ATTR_RE = re.compile(rb"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)


def _document_base(head: bytes, url: str) -> str:
    """What a relative URL in a page is read against at the end of `head`: its first `<base href>` (the
    HTML standard's "frozen base URL") resolved against `url`, else `url`; "" for a base no web link can
    follow (javascript:, data:), against which a relative URL names nothing. A stub at /go with <base
    href="/en/"> sends browsers to /en/story-1, not to /story-1."""
    for tag in _BASE_TAG_RE.findall(head):
        if not (m := _HREF_ATTR_RE.search(tag)):
            continue
        href = html_unescape(next(g for g in m.groups() if g is not None).decode("utf-8", "replace")).strip()
        if not href:
            return url
        try:
            base = canonicalize_url(href, url)
        except InvalidURL:
            return url
        return base if base.startswith(("http://", "https://")) else ""
    return url


def _refresh_content_target(content: str, url: str, *, escaped: bool = True, base: str | None = None) -> str | None:
    """The http(s) URL a refresh's content ("0; url=/story") sends to at once, else None; `escaped`:
    the content is an attribute's text (character references read); `base`: what a relative URL is read
    against when not `url` (the page's <base href>, see `_document_base`)."""
    if not (r := _REFRESH_RE.fullmatch(content)) or int(r.group(1)[:6]) > META_REFRESH_MAX_DELAY:
        return None
    target = r.group(2).strip()
    if target[:1] in ("'", '"'):
        target = target[1:].split(target[0], 1)[0]
    target = (html_unescape(target) if escaped else target).strip()
    if not target:
        return None
    try:
        resolved = canonicalize_url(target, url if base is None else base)
    except InvalidURL:
        return None
    same = canonicalize_url(url) if url else None
    return resolved if resolved.startswith(("http://", "https://")) and resolved != same else None


def _with_note(got: _Response, refreshed: list[str]) -> _Response:
    """The answer, its attempt's detail saying which `<meta>` refresh pages led to it."""
    if not refreshed:
        return got
    hop = f"reached through a refresh (<meta http-equiv=refresh> or a Refresh header) on {', '.join(refreshed)}"
    return replace(got, note=f"{got.note}; {hop}" if got.note else hop)


def _connection_note(resp: httpx.Response) -> str | None:
    """What the attempt's detail says of the connection: bytes a server sent past the end of a response
    read to its end (more than its Content-Length, a body after a 304, the response twice), dropped and
    never taken as the next request's response; a request sent again because the kept-alive
    connection it went out on was closed before any answer."""
    notes = []
    if resent := resent_on_new_connection(resp):
        notes.append(f"sent again on a new connection: {resent} kept-alive connection{'s' if resent > 1 else ''} "
                     "closed by the server before any answer")
    if n := bytes_past_end(resp):
        notes.append(f"{n} bytes past the end of the response (Content-Length "
                     f"{resp.headers.get('content-length', 'none')}) dropped; the connection was closed, not used again")
    if (resp.status_code >= 200 and resp.status_code not in (204, 304) and "content-length" not in resp.headers
            and "transfer-encoding" not in resp.headers):
        # RFC 9112 §6.3: such a body ends at the close, so one cut short by a clean close reads as whole
        # (a reset, a stall or a cut compressed stream fails the fetch): said, so such pages can be found.
        notes.append("no Content-Length or chunking: the body ended where the server closed the connection")
    return "; ".join(notes) or None

