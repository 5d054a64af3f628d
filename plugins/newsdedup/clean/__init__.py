"""The clean step: one HTML page to one `Extraction` (title, authors, dates, canonical URL, language, text).

`extract` never raises: bad input gives empty paragraphs and a reason in `error`.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime
from urllib.parse import urlsplit

from newsdedup.clean import settings
from newsdedup.record import Extraction
from newsdedup.urls import web_join

log = logging.getLogger(__name__)

__all__ = ["extract"]


def _canonical(pm_canonical: str | None, og_url: str | None, url: str | None,
               base_href: str | None = None) -> str | None:
    # A relative link is read against the page's <base href> when it has one, as browsers and search
    # engines read it: against the page's URL, "news/2024/story-1.html" on a site whose CMS writes every
    # link relative to its root (<base href="/">) named /news/2024/news/2024/story-1.html, a page the site
    # never had, which became the article's id. A base no web link can follow (javascript:, data:) lets
    # only absolute links through; one that cannot be parsed is no base (HTML: the document's URL).
    base = url
    if url and base_href and base_href.strip():
        try:
            base = web_join(url, base_href.strip())
        except ValueError:
            base = url
        if not base.startswith(("http://", "https://")):
            base = None
    for candidate in (pm_canonical, og_url):
        # A megabyte canonical link of the page's own site was stored as its article's URL; a source
        # lists no URL this long either (sources.MAX_LISTED_URL_CHARS).
        if candidate and len(candidate) <= settings.MAX_URL_CHARS and not candidate.startswith(("javascript:", "#")):
            try:
                absolute = web_join(base, candidate) if base else candidate
            except ValueError:  # "http://[/": an invalid IPv6 host failed the whole page
                continue
            if absolute.startswith(("http://", "https://")):
                return absolute
    return url


def extract(html: bytes | str, url: str | None = None, *, content_type: str | None = None,
            template: Collection[str] = (), fetched_at: datetime | None = None) -> Extraction:
    """Extract the article record of one page.

    Args:
        html: the page as fetched (bytes, any charset) or already decoded.
        url: the page's URL; resolves a relative canonical link and feeds date heuristics.
        content_type: the Content-Type the bytes came with (HTTP or WARC header, a `dir` source's
            declared charset); its charset decides over the page's own <meta> (see newsdedup.charset).
        template: fingerprints of the source's template sentences (`template.source_template`):
            body paragraphs made only of them are dropped.
        fetched_at: when the page was fetched (naive: UTC); a byline dated only "3 hours ago" or "vor 20
            Minuten" is read against it. Without it, or for a relative day ("3 days ago", "Yesterday,
            14:05"), such a page gives no published date.

    Returns:
        An `Extraction`; on bad input `paragraphs` is empty and `error` says why.
    """
    try:
        return _extract(html, _usable_url(url), content_type, template, fetched_at)
    except RecursionError:
        return Extraction(error="too_deep")
    except MemoryError:
        return Extraction(error="too_large")
    except Exception as exc:  # the contract: one bad page must never stop a batch
        log.warning("clean: extraction failed for %s: %r", url, exc)
        return Extraction(error=f"extract_failed: {exc.__class__.__name__}")


def _usable_url(url: str | None) -> str | None:
    """The page's URL when urllib can split it, host and port included, else None: it only resolves
    relative links and helps date guesses, and "http://[::1" or a port of 99999 lost the whole page
    (`extract_failed: ValueError`)."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
        parts.hostname  # noqa: B018
    except (ValueError, TypeError):
        log.warning("clean: the page's URL %r cannot be parsed: read without it", url[:300])
        return None
    return url


def _extract(html: bytes | str, url: str | None, content_type: str | None = None,
             template: Collection[str] = (), fetched_at: datetime | None = None) -> Extraction:
    from newsdedup.clean import authors, body, dates, language, metadata, scriptstate, settings
    from newsdedup.clean.html import BadInput, challenge_page, parse

    try:
        root = parse(html, content_type)
    except BadInput as exc:
        return Extraction(error=exc.reason)
    pm = metadata.read(root, url)
    title = metadata.choose_title(pm, url)
    headline = metadata.headline_finder(root, title)  # looked up once, only when a pass needs it
    record = Extraction(
        title=title,
        authors=authors.choose_authors(root, pm, url, title, headline),
        canonical_url=_canonical(pm.canonical, metadata.meta_first(pm, ("og:url",)), url, pm.base),
    )
    # Dates first: they read the page's scripts and its whole markup, which the body pass drops.
    record.published, record.updated, record.published_guessed = dates.choose_dates(
        root, pm, url, record.title, headline, fetched_at)
    record.date_note = dates.ignored_published(pm)  # a year-1 or year-9999 date is no date, said so
    wall = challenge_page(root)  # before the scripts go
    structured = metadata.has_structured_title(pm)
    shared = None if structured else metadata.shared_headline(root, url)  # before the share bars go
    scripts = scriptstate.script_texts(root)  # the story of a script-rendered page is only there
    noscript = body.noscript_copy(root)  # or in the copy it prints for readers without JavaScript
    body.drop_scripts(root)
    headlines = [t for t in (record.title, shared, *pm.h1[:1], metadata.headline(pm)) if t]
    live = any("liveblogposting" in metadata.ld_types(obj) for obj in pm.ld_articles)
    record.paragraphs = body.extract_paragraphs(root, url, headlines, live)
    description = metadata.meta_first(pm, ("description", "og:description", "twitter:description"))
    if (story := body.described_story(root, record.paragraphs, description)) is not None:
        record.paragraphs = body.filter_paragraphs(story, headlines)
    if not structured:
        # The story starts at its first sentence: date, byline and the headline itself may come first.
        first = next((p for p in record.paragraphs if body.is_prose(p)), None) or \
            (record.paragraphs[0] if record.paragraphs else None)
        visible = shared or metadata.visible_headline(root, pm.title_tag, first, url, metadata.site_keys(pm, url))
        if visible and visible != record.title:
            record.title = metadata.strip_date_tail(visible)
            record.paragraphs = body.drop_headline(record.paragraphs, visible)
    if not wall and not body.has_prose(record.paragraphs) and noscript is not None:
        body.drop_scripts(noscript)
        story = body.extract_paragraphs(noscript, url, headlines, live)
        # the block may be another story's (a "more stories" widget's copy): the page's words or nothing
        if body.has_prose(story) and scriptstate.shares_headline(
                story, [t for t in (*headlines, description) if t]) is not False:
            record.paragraphs = story
    if not wall and not body.has_prose(record.paragraphs) and scripts:
        story = body.filter_paragraphs(
            scriptstate.story_from_state(scripts, [t for t in (*headlines, description) if t]), headlines)
        if body.has_prose(story):
            record.paragraphs = story
    if not wall and not body.has_prose(record.paragraphs) and pm.ld_articles:
        story = body.filter_paragraphs(
            scriptstate.story_from_structured_data(pm.ld_articles, [t for t in (*headlines, description) if t],
                                                   pm.ld_entries), headlines)
        if body.has_prose(story):
            record.paragraphs = story
    if not wall and not body.has_prose(record.paragraphs):
        record.paragraphs = body.filter_paragraphs(body.loose_story(root), headlines) or record.paragraphs
    record.paragraphs = body.drop_promo_tail(body.drop_credit_lines(body.drop_signed_comments(body.drop_trailing_notices(
        body.drop_author_notes(body.drop_second_copy(record.paragraphs), record.authors)))))
    if template:
        from newsdedup.clean.template import drop_template

        record.paragraphs = drop_template(record.paragraphs, template)
    # Invisible bidi and tag characters go from what is stored; a name or title without a letter or digit
    # (only emoji or combining marks: JSON-LD credits any string it cannot read as a person) is none.
    record.title = metadata.shown_text(record.title)
    record.authors = [name for name in map(metadata.shown_text, record.authors) if name]
    declared = pm.html_lang or metadata.meta_first(pm, ("content-language", "og:locale", "language"))
    record.language = language.detect(record.text, declared)
    if wall and sum(len(p) for p in record.paragraphs) <= settings.CHALLENGE_MAX_CHARS:
        record.paragraphs = []
        record.error = f"blocked_by_{wall}"
    elif not body.has_prose(record.paragraphs):
        record.paragraphs = []
        record.error = "no_main_text"
    return record
