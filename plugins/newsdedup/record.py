"""Record types shared by the stages: a feed entry, a fetch attempt, a page input, an extraction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class Entry:
    """One item a source lists (feed entry, sitemap URL, page, file or WARC record)."""

    source: str
    url: str
    title: str | None = None
    published: datetime | None = None  # UTC; None when absent, unparsable or implausible
    date_note: str | None = None  # why a date the source gave was ignored (year 1, 9999, the future)
    # Set when the source already carries the page body (local dir, WARC, full-content feeds), with
    # what came with it: the Content-Type (its charset is what the page is decoded with), the HTTP
    # status of an archived response and when the body was fetched (a WARC record's WARC-Date).
    body: bytes | None = None
    content_type: str | None = None
    http_status: int | None = None
    fetched_at: datetime | None = None


@dataclass(slots=True)
class FetchAttempt:
    """One HTTP (or file) attempt; every attempt becomes a `fetch_log` row."""

    url: str
    final_url: str | None
    status: int | None
    error: str | None  # error class ("timeout", "too_large", "http_404", ...) or None on success
    bytes: int
    elapsed_ms: float
    attempt: int
    fetched_at: datetime
    detail: str | None = None  # human-readable message for the error
    purpose: str | None = None  # fetch_log.purpose when the caller knows better than the pipeline ("discover")


@dataclass(frozen=True, slots=True)
class PageInput:
    """Everything an article record is built from: the one input of `pipeline.make_article_row`.

    Ingest builds it from what it has in hand (an HTTP response, a WARC record, a file of a `dir`
    source, a full-content feed item) and the warehouse keeps exactly these fields (`raw_pages` row
    plus the gzip file), so a reclean, or a re-fetched revision of the page, builds the same record
    the same way. The raw bytes stay undecoded: `content_type` carries the charset they are decoded
    with (the HTTP header, a WARC record's header, or a `dir` source's declared charset).
    """

    source: str
    url: str  # as the source listed it, canonicalised
    final_url: str | None  # after redirects (the URL the page was read from)
    raw: bytes
    content_type: str | None
    http_status: int | None
    fetched_at: datetime
    # what the feed/sitemap entry said, filling in what the page does not say
    entry_title: str | None = None
    entry_published: datetime | None = None
    entry_date_note: str | None = None
    # Set when the page is a version of a stored article (a reclean, a re-fetched revision):
    # the article keeps its id whatever canonical link the page now gives.
    article_id: str | None = None
    # the HTTP validators of the response, sent back when the article is re-checked
    etag: str | None = None
    last_modified: str | None = None
    # the canonical URL an HTTP `Link: <...>; rel="canonical"` header named (absolute): the page's claim
    # when its markup makes none (a PDF, a page without a head)
    link_canonical: str | None = None

    @classmethod
    def from_entry(cls, entry: Entry | None, *, source: str, url: str, final_url: str | None, raw: bytes,
                   content_type: str | None, http_status: int | None, fetched_at: datetime,
                   etag: str | None = None, last_modified: str | None = None,
                   link_canonical: str | None = None) -> PageInput:
        """The page as fetched, with the metadata of the entry that listed it (if any)."""
        return cls(source=source, url=url, final_url=final_url, raw=raw, content_type=content_type,
                   http_status=http_status, fetched_at=fetched_at, etag=etag, last_modified=last_modified,
                   link_canonical=link_canonical,
                   entry_title=entry.title if entry else None,
                   entry_published=entry.published if entry else None,
                   entry_date_note=entry.date_note if entry else None)


@dataclass(slots=True)
class Extraction:
    """What the clean step makes of one HTML page.

    `error` is None on success; otherwise a short reason ("empty_document", "not_html",
    "no_main_text", "blocked_by_cloudflare" for a bot wall's challenge page, ...) and `paragraphs` is
    empty. `date_note` says why a published date the page gives in its metadata was ignored (year 1,
    9999, the future). `published_guessed` is True when `published` is only htmldate's reading of the
    whole page (no structured date, `<time>`, byline date or date in the URL): a feed's own date for the
    entry is the better one.
    """

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    updated: datetime | None = None
    canonical_url: str | None = None
    language: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    error: str | None = None
    date_note: str | None = None
    published_guessed: bool = False

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)
