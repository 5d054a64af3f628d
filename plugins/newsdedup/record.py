"""Record types shared by the stages: a feed entry, a fetch attempt, an extraction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class Entry:
    """One item a source lists (feed entry, sitemap URL, page, file or WARC record)."""

    source: str
    url: str
    title: str | None = None
    published: datetime | None = None
    # Set when the source already carries the page body (local dir, WARC, full-content feeds).
    body: bytes | None = None
    content_type: str | None = None


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


@dataclass(slots=True)
class Extraction:
    """What the clean step makes of one HTML page.

    `error` is None on success; otherwise a short reason ("empty_document", "not_html",
    "no_main_text", ...) and `paragraphs` is empty.
    """

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    updated: datetime | None = None
    canonical_url: str | None = None
    language: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)
