"""Follow stored articles over time: re-check them on a decaying schedule and keep every revision.

An article fetched over HTTP is re-checked at the ages `Settings.recheck_hours` lists (hours after
it was first seen), with a conditional GET (the ETag / Last-Modified of its last fetch), through
the run's own `Fetcher` (same politeness, robots rules and address guard as a first fetch). A
re-fetched page goes through `pipeline.make_article_row` like any page, and it is a revision only
when its cleaned title or cleaned text changed: rotating sidebars, ads and timestamps around an
unchanged story are not. Text is compared by the dedup stage's content hash (normalised tokens), so
a change of case, punctuation or spacing alone is not a revision either.

Which articles are due is decided from the warehouse snapshot with the run's plan time, the same
way in every ingest task, so the per-run and per-host bounds hold across the parallel tasks of a
run without any coordination between them. The load (`after_load`, inside the run's transaction)
numbers the revisions, computes what changed against the stored latest version, and updates the
article, its re-check state, its dedup records and its raw page.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import logging
import re
import textwrap
import unicodedata
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    from newsdedup.warehouse import Snapshot

log = logging.getLogger(__name__)

OUTCOMES = ("revised", "unchanged", "not_modified", "gone", "failed", "clean_failed")
GONE_STATUSES = (404, 410)
# Word diffs beyond this many words (both versions together) count a multiset difference instead of
# running difflib's quadratic matcher (a 300,000-word "article" is a page, not a story).
DIFF_MAX_WORDS = 40_000
# difflib's matcher visits every pair of equal words (one in each version): a page of few distinct
# words (a table of digits, a hostile page) reached 200 million pairs under DIFF_MAX_WORDS, ~40 s of
# CPU inside the load's transaction. Past this many pairs the multiset difference is counted instead
# (natural text at DIFF_MAX_WORDS has about 6 million).
DIFF_MAX_PAIRS = 10_000_000
# A re-fetched page whose cleaned text is this short, and this much shorter than the stored version,
# is not taken as a version of the article: an emptied template (navigation and a byline with an
# "updated N minutes ago") would otherwise come back as a new "revision" on every fetch.
STUB_MAX_WORDS = 50
STUB_MAX_SHARE = 0.25
# A re-fetched text at most this share of the stored one's length (in words) whose word 3-grams are
# under REPLACED_MAX_KEPT found in the stored text is another page served at the address (a login
# wall, a "story removed" notice, another story), not a version: a story cut down keeps its passages.
REPLACED_MAX_LENGTH = 0.5
REPLACED_MAX_KEPT = 0.1


# ------------------------------------------------------------------------------------ the schedule
def due_at(first_seen: datetime, last_checked: datetime | None, ages: Sequence[float]) -> datetime | None:
    """When an article is next due for a re-check; None when its schedule is done (or off).

    Each age is done once: an article is due when an age has passed since its last check (its first
    fetch counts as one), so a check that comes late covers every age it passed. `[0]` means every
    run: due since its last check. Ages are real hours: the times are taken in UTC (an hour added to a
    datetime in a zone with DST is wall-clock time, 23 or 25 real hours a day across a change); a naive
    time is UTC.
    """
    if not ages:
        return None
    first_seen = _as_utc(first_seen)
    last = _as_utc(last_checked) if last_checked is not None else first_seen
    if tuple(ages) == (0.0,):
        return last
    for hours in sorted(ages):
        at = first_seen + timedelta(hours=hours)
        if at > last:
            return at
    return None


def _as_utc(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Due:
    """One article due for a re-check, with what the re-check compares and sends."""

    article_id: str
    source: str
    url: str
    url_id: str | None
    due_at: datetime
    etag: str | None = None
    last_modified: str | None = None
    title: str | None = None
    content_hash: str | None = None
    revision: int = 1
    word_count: int | None = None
    entry_title: str | None = None
    entry_published: datetime | None = None
    entry_date_note: str | None = None
    text: str | None = None  # the stored latest text


@dataclass
class Selection:
    chosen: list[Due]
    deferred: Counter[str]  # per source: due, but over the per-run or per-host bound


def select_due(con: duckdb.DuckDBPyConnection | None, sources: Sequence[str], now: datetime,
               ages: Sequence[float], max_per_run: int, max_per_host: int,
               renamed: dict[str, str] | None = None) -> Selection:
    """The re-checks of this run over all `sources`, most overdue first, within the bounds.

    Deterministic for a snapshot and `now` (ties by article id), so each ingest task computes the
    same run-wide selection and takes its own source's part. `renamed` ({old name: new name}, the
    plan's renamed sources): articles stored under an old name are the new name's.
    """
    renamed = renamed or {}
    sources = [*sources, *renamed]
    from newsdedup.urls import host_key

    out = Selection(chosen=[], deferred=Counter())
    ages = tuple(sorted(ages))
    if con is None or not ages or not sources:
        return out
    every = ages == (0.0,)
    try:
        rows = con.execute("""
            SELECT article_id, source, url, url_id, first_seen_at, last_checked_at, etag, last_modified
            FROM article_checks
            WHERE source IN (SELECT unnest($sources::VARCHAR[]))
              AND first_seen_at <= $now::TIMESTAMPTZ - to_seconds($min_age * 3600.0)
              AND ($every OR coalesce(last_checked_at, first_seen_at)
                             < first_seen_at + to_seconds($max_age * 3600.0))""",
            {"sources": list(sources), "now": now, "min_age": ages[0], "max_age": ages[-1],
             "every": every}).fetchall()
    except duckdb.CatalogException:  # a snapshot from before migration 006: nothing to re-check yet
        return out
    due: list[Due] = []
    for article_id, source, url, url_id, first_seen, last_checked, etag, lastmod in rows:
        at = due_at(first_seen, last_checked, ages)
        if at is not None and at <= now:
            due.append(Due(article_id, renamed.get(source, source), url, url_id, at, etag, lastmod))
    due.sort(key=lambda d: (d.due_at, d.article_id))
    per_host: Counter[str] = Counter()
    for d in due:
        try:
            host = host_key(d.url)
        except ValueError:
            host = "invalid:"
        if len(out.chosen) >= max_per_run or per_host[host] >= max_per_host:
            out.deferred[d.source] += 1
            continue
        per_host[host] += 1
        out.chosen.append(d)
    return out


def with_details(con: duckdb.DuckDBPyConnection, due: Sequence[Due]) -> list[Due]:
    """Add what a re-check compares (the stored latest title, content hash, revision) and what the
    record is completed with (the entry's title and date kept beside the raw page)."""
    if not due:
        return []
    rows = con.execute("""
        SELECT a.article_id, a.title, a.content_hash, coalesce(a.revision, 1), a.word_count,
               p.entry_title, p.entry_published_at, p.entry_date_note, a.text
        FROM articles a
        LEFT JOIN (SELECT article_id, arg_max(entry_title, revision) AS entry_title,
                          arg_max(entry_published_at, revision) AS entry_published_at,
                          arg_max(entry_date_note, revision) AS entry_date_note
                   FROM raw_pages WHERE article_id IN (SELECT unnest($ids::VARCHAR[])) GROUP BY 1) p
               USING (article_id)
        WHERE a.article_id IN (SELECT unnest($ids::VARCHAR[]))""", {"ids": [d.article_id for d in due]}).fetchall()
    info = {r[0]: r[1:] for r in rows}
    out = []
    for d in due:
        if d.article_id not in info:
            continue
        title, chash, rev, words, etitle, epub, enote, text = info[d.article_id]
        out.append(Due(d.article_id, d.source, d.url, d.url_id, d.due_at, d.etag, d.last_modified, title, chash,
                       int(rev), words, etitle, epub, enote, text))
    return out


# ------------------------------------------------------------------------------------- comparison
def same_title(a: str | None, b: str | None) -> bool:
    """Titles compared as read: whitespace runs are one space, NFC, invisible characters dropped.

    The extractor keeps a title's code points, so a re-render with decomposed accents (NFD "Café")
    or a soft hyphen / zero-width space / bidi mark in it counted as a headline change no reader sees.
    """
    from newsdedup.dedup.text import IGNORABLE_RE

    def seen(t: str | None) -> str:
        return " ".join(unicodedata.normalize("NFC", IGNORABLE_RE.sub("", t or "")).split())

    return seen(a) == seen(b)


def other_text(stored_hash: str | None, stored_text: str | None, new_hash: str | None) -> bool:
    """Whether a new text (its `text_hash`) differs from the stored one.

    The stored hash was made by the release that stored it: after one that normalises texts
    otherwise (a new `DedupConfig.hash_scheme`), an unchanged accented story hashes differently, and
    every such article would have come back as a revision. The stored text, hashed as today, decides.
    """
    if stored_hash == new_hash:
        return False
    if stored_text is None or new_hash is None:
        return True
    from newsdedup.dedup.text import text_hash

    return text_hash(stored_text) != new_hash


def same_but_template(stored: str | None, new_hash: str, template: Collection[str]) -> bool:
    """Whether the stored text, with the source's template as it is now taken out, is the new text.

    The template grows as the warehouse learns a source's repeated lines: a page cleaned at its
    first fetch kept lines a re-check now drops. That is no revision of the story.
    """
    if not stored or not template:
        return False
    from newsdedup.dedup.text import text_hash

    return text_hash(_without_template(stored, template)) == new_hash


def _without_template(stored: str, template: Collection[str]) -> str:
    """The stored text without the source's template lines as it is now."""
    if not template:
        return stored
    from newsdedup.clean.template import drop_template

    return "\n\n".join(drop_template(stored.split("\n\n"), template))


# A clock reading in a short line of the story ("Last updated 9:14:21 a.m. GMT", "3 minutes ago",
# "vor 5 Minuten"): a live page refreshes it on every fetch, and with `recheck_hours: [0]` every
# re-check added a revision. A time of day counts only beside a word saying the page was updated
# ("The vote is at 5 pm." changed to 6 pm is news); a time inside a sentence of the story is kept.
_RELATIVE_TIME_RE = re.compile(
    r"\b\d+\s?(?:seconds?|secs?|minutes?|mins?|hours?|hrs?)\s+ago\b|\bjust now\b"
    r"|\bvor\s+\d+\s+(?:Sekunden|Minuten|Stunden)\b|\bil y a\s+\d+\s+(?:secondes?|minutes?|heures?)\b"
    r"|\bhace\s+\d+\s+(?:segundos?|minutos?|horas?)\b", re.IGNORECASE)
_TIME_OF_DAY_RE = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b|\b\d{1,2}(?:[.:]\d{2})?\s?[ap]\.?\s?m\b|\b\d{1,2}h\d{2}\b",
                             re.IGNORECASE)
_UPDATED_RE = re.compile(r"\b(?:updated?|published|posted|refreshed|modified|as of|last|aktualisiert|stand"
                         r"|mis à jour|publié|actualizado|publicado|aggiornato)\b", re.IGNORECASE)
CLOCK_LINE_MAX_WORDS = 12


def _without_clock_lines(text: str) -> str:
    def clock(p: str) -> bool:
        return len(p.split()) <= CLOCK_LINE_MAX_WORDS and bool(
            _RELATIVE_TIME_RE.search(p) or (_TIME_OF_DAY_RE.search(p) and _UPDATED_RE.search(p)))

    return "\n\n".join(p for p in text.split("\n\n") if not clock(p))


def same_but_clock(stored: str | None, new: str, template: Collection[str]) -> bool:
    """Whether the stored text and the new one are the same story once short lines holding a clock
    reading ("Last updated 9:14 a.m.", "5 minutes ago") are taken out of both (and the source's
    template out of the stored one, as `same_but_template` does)."""
    if not stored:
        return False
    from newsdedup.dedup.text import text_hash

    stored = _without_template(stored, template)
    old, now = _without_clock_lines(stored), _without_clock_lines(new)
    return (old != stored or now != new) and text_hash(old) == text_hash(now)


def word_changes(old: str, new: str) -> tuple[int, int]:
    """(words added, words removed) from `old` to `new` by a word diff (a moved paragraph counts as
    removed and added)."""
    a, b = old.split(), new.split()
    ca, cb = Counter(a), Counter(b)
    if len(a) + len(b) > DIFF_MAX_WORDS or sum(n * cb[w] for w, n in ca.items()) > DIFF_MAX_PAIRS:
        return sum((cb - ca).values()), sum((ca - cb).values())
    added = removed = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("replace", "delete"):
            removed += i2 - i1
        if tag in ("replace", "insert"):
            added += j2 - j1
    return added, removed


def _text_lines(text: str, width: int) -> list[str]:
    """A text as diff lines: each paragraph wrapped, a blank line between paragraphs."""
    out: list[str] = []
    for i, para in enumerate(p for p in text.split("\n\n") if p.strip()):
        if i:
            out.append("")
        out += textwrap.wrap(" ".join(para.split()), width=width, break_long_words=False,
                             break_on_hyphens=False) or [""]
    return out


def unified_diff(old: dict[str, Any], new: dict[str, Any], width: int = 100) -> list[str]:
    """A readable unified diff of the title and the text between two revisions (dicts with
    revision, fetched_at, title, text)."""
    def label(r: dict[str, Any], what: str) -> str:
        return f"{what} (revision {r['revision']}, fetched {utc_text(r.get('fetched_at'))})"

    lines: list[str] = []
    if not same_title(old.get("title"), new.get("title")):
        lines += [ln.rstrip("\n") for ln in difflib.unified_diff(
            [old.get("title") or ""], [new.get("title") or ""], label(old, "title"), label(new, "title"),
            n=0, lineterm="")]
    else:
        lines.append(f"title unchanged: {new.get('title') or ''}")
    a, b = _text_lines(old.get("text") or "", width), _text_lines(new.get("text") or "", width)
    ca, cb = Counter(a), Counter(b)
    if sum(n * cb[x] for x, n in ca.items()) > DIFF_MAX_PAIRS:
        # difflib visits every pair of equal lines: a page of 6,666 short paragraphs drawn from 50,
        # revised into another order, took 8.6 s per revision, 10 of them on every dashboard load.
        text_diff = _whole_middle_diff(a, b, label(old, "text"), label(new, "text"), n=2)
    else:
        text_diff = list(difflib.unified_diff(a, b, label(old, "text"), label(new, "text"), n=2, lineterm=""))
    lines += text_diff if text_diff else ["text unchanged"]
    return lines


def _whole_middle_diff(a: list[str], b: list[str], from_label: str, to_label: str, n: int) -> list[str]:
    """A unified diff in linear time: the common head and tail kept, the middle between them shown
    removed and added whole (exact for an appended or prepended change, not minimal otherwise)."""
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    if head == len(a) == len(b):
        return []
    start = max(head - n, 0)
    a_end, b_end = len(a) - max(tail - n, 0), len(b) - max(tail - n, 0)

    def span(first: int, end: int) -> str:  # difflib's `@@` ranges: 1-based start, length
        length = end - first
        return f"{first + (length > 0)},{length}" if length != 1 else f"{first + 1}"

    return [f"--- {from_label}", f"+++ {to_label}", f"@@ -{span(start, a_end)} +{span(start, b_end)} @@",
            *(" " + x for x in a[start:head]), *("-" + x for x in a[head:len(a) - tail]),
            *("+" + x for x in b[head:len(b) - tail]), *(" " + x for x in a[len(a) - tail:a_end])]


def utc_text(at: datetime | None) -> str:
    """A time as '2026-11-24 08:15:00 UTC'."""

    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if at is not None else "?"


def is_stub(text: str, stored_words: int | None) -> str | None:
    """Why a re-fetched text is no version of a stored article of `stored_words` words (None: it is)."""
    n = len(text.split())
    if text and stored_words and n < STUB_MAX_WORDS and n < STUB_MAX_SHARE * stored_words:
        return f"no_article_text: {n} words where the stored version has {stored_words}"
    return None


_WORD_RE = re.compile(r"\w+")


def replaced_page(stored: str | None, new: str) -> str | None:
    """Why a re-fetched text is no version of the stored one but another page (None: it may be one):
    it is at most half as long and keeps (almost) none of the stored text's passages. Such a page
    served for several stories is caught by `shared_pages`; this catches one served for one story."""
    if not stored:
        return None
    old_words, new_words = _WORD_RE.findall(stored.casefold()), _WORD_RE.findall(new.casefold())
    if len(new_words) < 3 or len(new_words) > REPLACED_MAX_LENGTH * len(old_words):
        return None
    old_grams = set(zip(old_words, old_words[1:], old_words[2:], strict=False))
    new_grams = set(zip(new_words, new_words[1:], new_words[2:], strict=False))
    kept = len(new_grams & old_grams) / len(new_grams)
    if kept >= REPLACED_MAX_KEPT:
        return None
    passages = "no passage" if not kept else f"{kept:.0%} of its passages"
    return f"replaced_page: {len(new.split())} words sharing {passages} with the stored {len(stored.split())}"


# ---------------------------------------------------------------------------------- the re-checks
@dataclass
class RecheckResult:
    """What one source's re-checks produced, for the ingest stage to stage and report."""

    revisions: list[dict[str, Any]]
    checks: list[dict[str, Any]]
    attempts: list[Any]
    counts: dict[str, Any]


def empty_counts() -> dict[str, Any]:
    return {"due": 0, "checked": 0, "not_modified": 0, "unchanged": 0, "revised": 0, "headline_changed": 0,
            "gone": 0, "failed": 0, "clean_failed": 0, "deferred": 0, "errors": Counter()}


def moved_elsewhere(d: Due, page: Any, row: dict[str, Any]) -> bool:
    """Whether a re-check was redirected to another page: it ended on another address than the stored
    page's, and that page names another canonical URL than the stored article's."""
    from newsdedup.pipeline import page_url_id
    from newsdedup.urls import url_id

    if d.url_id is None or page_url_id(page) == d.url_id:
        return False  # not redirected (or no stored address to compare with)
    return url_id(row["canonical_url"]) != d.article_id


def recheck_source(fetcher: Any, meta: dict[str, Any], source: str, warehouse: Path,
                   snapshot: Snapshot | None = None) -> RecheckResult:
    """Re-check the source's articles that are due: conditional GET, clean, compare, keep changes.

    Reads the warehouse through `snapshot` (the source's ingest's) when given, else opens its own."""
    from newsdedup import warehouse as wh

    with contextlib.nullcontext(snapshot) if snapshot is not None else wh.Snapshot(warehouse) as snap:
        return _recheck_source(fetcher, meta, source, warehouse, snap)


def _recheck_source(fetcher: Any, meta: dict[str, Any], source: str, warehouse: Path,
                    snap: Snapshot) -> RecheckResult:
    from newsdedup import warehouse as wh
    from newsdedup.clean.template import source_template
    from newsdedup.config import Settings
    from newsdedup.dedup.text import text_hash
    from newsdedup.pipeline import make_article_row, page_url_id
    from newsdedup.record import PageInput

    settings: Settings = fetcher.settings
    run_id = meta["run_id"]
    counts = empty_counts()
    result = RecheckResult([], [], [], counts)
    ages = tuple(settings.recheck_hours)
    if not ages:
        return result
    # the plan's time, not the clock: every task of the run decides with the same "now"
    now = datetime.fromisoformat(meta["started_at"])
    # a source renamed in the sources file: its articles are still stored under its old name this run
    renamed = {r["was"]: new for new, r in (meta.get("renamed") or {}).items()}
    stored_as = next((old for old, new in renamed.items() if new == source), source)
    with snap.reading() as con:
        sel = select_due(con, [s["name"] for s in meta["sources"]], now, ages,
                         settings.recheck_max_per_run, settings.recheck_max_per_host, renamed)
        mine = [d for d in sel.chosen if d.source == source]
        mine = with_details(con, mine) if con is not None else []
        template = source_template(con, stored_as) if mine else frozenset()
    counts["deferred"] = sel.deferred.get(source, 0)
    counts["due"] = len(mine) + counts["deferred"]
    if not mine:
        return result
    by_url: dict[str, Due] = {}
    revised: list[tuple[dict[str, Any], bytes, dict[str, Any]]] = []  # (row, raw body, check)
    for d in mine:
        by_url.setdefault(d.url, d)
    from newsdedup.progress import Progress

    with Progress(f"{source}: re-check", total=len(by_url)) as bar:
        for res in fetcher.fetch_many(list(by_url), accept="html",
                                      validators={u: (d.etag, d.last_modified) for u, d in by_url.items()}):
            bar.advance()
            d = by_url[res.url]
            result.attempts += res.attempts
            checked_at = res.attempts[-1].fetched_at if res.attempts else now
            check = {"article_id": d.article_id, "source": source, "url": d.url, "checked_at": checked_at,
                     "outcome": None, "status": res.status, "error": res.error, "etag": res.etag,
                     "last_modified": res.last_modified, "run_id": run_id}
            result.checks.append(check)
            counts["checked"] += 1
            if res.not_modified:
                check["outcome"] = "not_modified"
            elif res.error or res.body is None:
                gone = res.status in GONE_STATUSES and res.error == f"http_{res.status}"
                check["outcome"] = "gone" if gone else "failed"
                if not gone:
                    err = res.error or "no_body"
                    counts["errors"][err] += 1
            else:
                page = PageInput(source=source, url=d.url, final_url=res.final_url, raw=res.body,
                                 content_type=res.content_type, http_status=res.status, fetched_at=checked_at,
                                 entry_title=d.entry_title, entry_published=d.entry_published,
                                 entry_date_note=d.entry_date_note, article_id=d.article_id,
                                 link_canonical=res.link_canonical)
                # cleaned like a first fetch of the source today: with its template
                row = make_article_row(page, run_id=run_id, raw_path=None, template=template)
                stub = is_stub(row["text"], d.word_count)
                if row["clean_error"] or not row["text"] or stub:
                    # a page that no longer cleans (an error page served with 200, a paywall, an
                    # emptied template) does not replace a good record
                    check["outcome"] = "clean_failed"
                    check["error"] = row["clean_error"] or stub or "no_text"
                else:
                    chash = text_hash(row["text"])
                    title_changed = not same_title(row["title"], d.title)
                    text_changed = (other_text(d.content_hash, d.text, chash) and not same_but_template(d.text, chash, template)
                                    and not same_but_clock(d.text, row["text"], template))
                    if not (title_changed or text_changed):
                        check["outcome"] = "unchanged"
                    elif moved_elsewhere(d, page, row):
                        # a redirect to another story (a CMS sending a removed page elsewhere) is not a
                        # new version of this one; a story at a new address with its old text is unchanged
                        check["outcome"], check["error"] = "failed", "redirected_elsewhere"
                        counts["errors"]["redirected_elsewhere"] += 1
                    else:
                        check["outcome"] = "revised"
                        row.update(
                            url_id=d.url_id or page_url_id(page), content_hash=chash, etag=res.etag,
                            last_modified=res.last_modified, recheckable=True, text_changed=text_changed,
                            title_changed=title_changed, prev_revision=d.revision, prev_title=d.title,
                            prev_content_hash=d.content_hash,
                            replaced=text_changed and replaced_page(d.text, row["text"]))
                        revised.append((row, res.body, check))
                        continue  # counted below, once it is known to be this article's own text
            counts[check["outcome"]] += 1
    shared = shared_pages([(r, c) for r, _, c in revised], snap, stored_as)
    for row, body, check in revised:
        # a page served for several stories says so; one served for this story alone (a login wall, a
        # removal notice) is told by its text
        replaced = row.pop("replaced")
        if row["article_id"] in shared or replaced:
            check["outcome"], check["error"] = "clean_failed", shared.get(row["article_id"]) or replaced
        else:
            # content-addressed: a staged run that never loads cannot clash with a later one
            variant = hashlib.sha1(body).hexdigest()[:16]
            try:
                row["raw_path"] = wh.store_raw_page(warehouse, row["url_id"], body, variant=variant)
            except OSError as exc:
                # a full disk or an unwritable folder: this re-check failed, not the whole source (which
                # lost the record of every fetch it had made); a later re-check finds the revision
                log.warning("%s: the raw copy of the revised %s cannot be written in %s (%s); not kept this run",
                            source, row["url"], wh.raw_dir(warehouse), exc)
                check["outcome"], check["error"] = "failed", "raw_page_unwritable"
                counts["errors"]["raw_page_unwritable"] += 1
            else:
                counts["headline_changed"] += row["title_changed"]
                result.revisions.append(row)
        counts[check["outcome"]] += 1
    return result


def shared_pages(revised: Sequence[tuple[dict[str, Any], dict[str, Any]]], snap: Snapshot,
                 source: str) -> dict[str, str]:
    """The re-checked articles whose new text is no text of theirs but a page the site serves in place
    of several stories (a login wall, a consent page, a "story removed" notice): the same text came
    back for other articles of the source in this run, or it is what another stored article of the
    source shows. One story at several addresses is one text for a reason: articles that had the
    same text before (or ever, for a stored one) are not told apart. Returns article id -> why."""
    by_hash: dict[str, list[dict[str, Any]]] = {}
    for row, _check in revised:
        if row["text_changed"]:
            by_hash.setdefault(row["content_hash"], []).append(row)
    out: dict[str, str] = {}
    rest: dict[str, tuple[list[str], str]] = {}  # new text -> (its articles, the text they had)
    for chash, rows in by_hash.items():
        ids = [r["article_id"] for r in rows]
        before = {r["prev_content_hash"] for r in rows}
        if len(before) > 1:
            out.update(dict.fromkeys(ids, f"shared_page: the same text came back for {len(ids)} articles of "
                                          "the source"))
        else:
            rest[chash] = (ids, before.pop())
    if rest:
        stored: list[tuple[str, str]] = []
        with snap.reading() as con:
            if con is not None:
                stored = con.execute("""
                    WITH asked AS (SELECT unnest(?::VARCHAR[]) AS new_hash, unnest(?::VARCHAR[]) AS old_hash)
                    SELECT asked.new_hash, min(a.article_id) FROM asked JOIN articles a ON a.content_hash = asked.new_hash
                    WHERE a.source = ? AND a.article_id NOT IN (SELECT unnest(?::VARCHAR[]))
                      AND NOT EXISTS (SELECT 1 FROM article_revisions r
                                      WHERE r.article_id = a.article_id AND r.content_hash = asked.old_hash)
                    GROUP BY 1""", [list(rest), [old for _ids, old in rest.values()], source,
                                    [i for ids, _old in rest.values() for i in ids]]).fetchall()  # fmt: skip
        for chash, other in stored:
            for aid in rest[chash][0]:
                out[aid] = f"shared_page: the same text as stored article {other} of the source"
    return out


# ---------------------------------------------------------------------------------------- dedup
def dedup_id(row: dict[str, Any]) -> str:
    """The id a revision has inside the dedup stage: its article id would join the stored article's
    cluster by name (a cluster is named after its first canonical), so a revision that no longer
    matches its cluster could not leave it."""
    return f"{row['article_id']}.r{int(row.get('prev_revision') or 1) + 1}"


def cluster_notes(con: duckdb.DuckDBPyConnection | None, clusters: list[dict[str, Any]],
                  revised: dict[str, dict[str, Any]]) -> int:
    """Fill in the decision records of revisions (`revised`: dedup id -> staged row) against their
    stored clusters: rename the revision's cluster back to its stored one when the article was alone
    in it, and say so when a revision left a cluster or joined another. Returns how many moved."""
    ids = sorted({r["article_id"] for r in revised.values()})
    prev: dict[str, tuple[str, int]] = {}
    if con is not None and ids:
        prev = {a: (c, n) for a, c, n in con.execute("""
            SELECT c.article_id, c.cluster_id,
                   (SELECT count(*) FROM article_clusters o WHERE o.cluster_id = c.cluster_id
                                                              AND o.article_id <> c.article_id)
            FROM article_clusters c WHERE c.article_id IN (SELECT unnest(?::VARCHAR[]))""", [ids]).fetchall()}
    rename: dict[str, str] = {}
    for did, row in revised.items():
        before = prev.get(row["article_id"])
        if before is None or before[1] == 0:
            # alone before (or never decided): a revision still alone keeps the cluster it had
            rename[did] = before[0] if before else row["article_id"]
    moved = 0
    by_id = {c["article_id"]: c for c in clusters}
    for c in clusters:
        c["cluster_id"] = rename.get(c["cluster_id"], c["cluster_id"])
        if c["matched_article_id"] in revised:
            c["matched_article_id"] = revised[c["matched_article_id"]]["article_id"]
    for did, row in revised.items():
        c = by_id.get(did)
        if c is None:
            continue
        article_id, rev = row["article_id"], int(row.get("prev_revision") or 1) + 1
        c["article_id"], c["revision"] = article_id, rev
        before = prev.get(article_id)
        if before is None or c["cluster_id"] == before[0]:
            continue
        old, others = before
        c["previous_cluster_id"] = old
        moved += 1
        now = ("now its own story" if c["decision"] == "canonical" and c["matched_article_id"] is None
               else f"now {c['decision']} duplicate of {c['matched_article_id']} in cluster {c['cluster_id']}"
               if c["decision"] in ("near", "exact") else f"now in cluster {c['cluster_id']}")
        if others:
            c["note"] = (f"revision {rev} no longer matches its story cluster {old} "
                         f"({others} other article{'s' if others != 1 else ''}): the story was rewritten; {now}")
        else:
            c["note"] = f"revision {rev} now matches another story: {now}"
    return moved


# ------------------------------------------------------------------------------------------ load
def _parquet(files: Sequence[Path]) -> str:
    from newsdedup.warehouse import duckdb_file_literal  # each file itself, not a glob of its name

    return "read_parquet([" + ", ".join(duckdb_file_literal(f) for f in files) + "])"


def _columns(con: duckdb.DuckDBPyConnection, src: str) -> set[str]:
    return {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()}


def before_load(con: duckdb.DuckDBPyConnection, run_dir: Path, replace: bool) -> None:
    """Inside the load transaction, before anything is written: a reclean replaces the articles' rows,
    so keep what it does not rebuild (first seen, the revision shown, gone)."""
    art = sorted((run_dir / "articles").glob("*.parquet"))
    if replace and art:
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE kept_follow_up AS
            SELECT article_id, fetched_at, run_id, revision, revised_at, gone_at, gone_status FROM articles
            WHERE article_id IN (SELECT article_id FROM {_parquet(art)})""")


def after_load(con: duckdb.DuckDBPyConnection, run_dir: Path, run_id: str, replace: bool) -> dict[str, Any]:
    """Inside the load transaction, after the run's new articles and decisions: the follow-up state
    of new articles, the run's revisions and re-checks, and (reclean) what `before_load` kept."""
    from newsdedup.warehouse import _recompute_clusters

    def files(sub: str) -> list[Path]:
        return sorted((run_dir / sub).glob("*.parquet"))

    out: dict[str, Any] = {"revised": 0, "headline_changed": 0, "left_cluster": 0}
    if art := files("articles"):
        src = _parquet(art)
        cols = _columns(con, src)
        if replace:
            con.execute("""
                UPDATE articles a SET fetched_at = k.fetched_at, revision = k.revision, revised_at = k.revised_at,
                       gone_at = k.gone_at, gone_status = k.gone_status
                FROM kept_follow_up k WHERE a.article_id = k.article_id""")
            con.execute("""
                UPDATE article_clusters c SET revision = a.revision FROM articles a
                WHERE a.article_id = c.article_id AND a.revision > 1
                  AND a.article_id IN (SELECT article_id FROM kept_follow_up)""")
            con.execute("DROP TABLE kept_follow_up")
        else:
            # Revision 1 of each new article, as stored (the content hash is the dedup stage's).
            con.execute(f"""
                INSERT INTO article_revisions BY NAME
                SELECT article_id, 1 AS revision, fetched_at, run_id, title, content_hash, text, word_count
                FROM articles WHERE article_id IN (SELECT article_id FROM {src}) AND fetched_at IS NOT NULL
                ON CONFLICT DO NOTHING""")
            if {"etag", "last_modified"} <= cols:
                # migration 007's Link header canonical too (a run staged before it has none)
                linked = ", link_canonical = s.link_canonical" if "link_canonical" in cols else ""
                con.execute(f"""
                    UPDATE raw_pages r SET article_id = s.article_id, etag = s.etag, last_modified = s.last_modified{linked}
                    FROM (SELECT * FROM {src} WHERE raw_path IS NOT NULL
                          QUALIFY row_number() OVER (PARTITION BY url_id ORDER BY fetched_at) = 1) s
                    WHERE r.url_id = s.url_id AND r.revision = 1 AND r.article_id IS NULL""")
            else:  # a run staged before migration 006
                con.execute(f"""
                    UPDATE raw_pages r SET article_id = a.article_id FROM articles a
                    WHERE a.url = r.url AND r.article_id IS NULL
                      AND a.article_id IN (SELECT article_id FROM {src})""")
            if "recheckable" in cols:
                con.execute(f"""
                    INSERT INTO article_checks BY NAME
                    SELECT s.article_id, s.source, s.url, s.url_id, s.fetched_at AS first_seen_at, 0 AS checks,
                           s.etag, s.last_modified
                    FROM {src} s JOIN articles a USING (article_id)
                    WHERE s.recheckable AND s.fetched_at IS NOT NULL
                    QUALIFY row_number() OVER (PARTITION BY s.article_id ORDER BY s.fetched_at, s.url) = 1
                    ON CONFLICT DO NOTHING""")
    if rb := files("revisions_rebuilt"):  # a reclean's rebuilt versions of every stored revision
        _rebuild_revisions(con, _parquet(rb))
    if rv := files("revisions"):
        out.update(_load_revisions(con, run_dir, _parquet(rv), run_id))
    if ck := files("checks"):
        _load_checks(con, _parquet(ck), out.get("rejected", ()))
    out.pop("rejected", None)
    touched = sorted(set(out.pop("touched_clusters", ())))
    if touched:
        con.execute("CREATE OR REPLACE TEMP TABLE revision_clusters AS SELECT unnest(?::VARCHAR[]) AS cluster_id",
                    [touched])
        _recompute_clusters(con, "SELECT cluster_id FROM revision_clusters")
        con.execute("DROP TABLE revision_clusters")
    return out


def _load_revisions(con: duckdb.DuckDBPyConnection, run_dir: Path, src: str, run_id: str) -> dict[str, Any]:
    """Number and store the staged revisions that still differ from the stored latest version."""
    staged = con.execute(f"""
        SELECT s.*, a.title AS cur_title, a.content_hash AS cur_hash, a.text AS cur_text,
               coalesce((SELECT max(revision) FROM article_revisions r WHERE r.article_id = s.article_id),
                        a.revision, 1) AS cur_revision,
               coalesce((SELECT max(fetched_at) FROM article_revisions r WHERE r.article_id = s.article_id),
                        a.revised_at, a.fetched_at) AS cur_fetched_at
        FROM {src} s JOIN articles a USING (article_id)
        QUALIFY row_number() OVER (PARTITION BY s.article_id ORDER BY s.fetched_at DESC) = 1
        ORDER BY s.article_id""")
    cols = [d[0] for d in staged.description]
    rows = [dict(zip(cols, r, strict=True)) for r in staged.fetchall()]
    accepted: list[dict[str, Any]] = []
    for r in rows:
        if r["fetched_at"] is not None and r["cur_fetched_at"] is not None and r["fetched_at"] < r["cur_fetched_at"]:
            # Another run fetched the page later and loaded first (two runs overlapping): this copy is older
            # than the stored latest version. Numbered after it, it was shown as the article, as if the
            # page had gone back to what it said before.
            log.info("revision of %s (%s) not stored: fetched %s, before the stored latest version (%s)",
                     r["article_id"], r["source"], r["fetched_at"], r["cur_fetched_at"])
            continue
        title_changed = not same_title(r["title"], r["cur_title"])
        text_changed = other_text(r["cur_hash"], r["cur_text"], r["content_hash"])
        if not (title_changed or text_changed):
            # another run stored this version since the page was re-checked: nothing new
            continue
        added, removed = word_changes(r["cur_text"] or "", r["text"] or "") if text_changed else (0, 0)
        accepted.append({**r, "revision": int(r["cur_revision"]) + 1, "title_changed": title_changed,
                         "text_changed": text_changed, "words_added": added, "words_removed": removed})
    kept = {r["article_id"] for r in accepted}
    out: dict[str, Any] = {"revised": len(accepted), "headline_changed": sum(r["title_changed"] for r in accepted),
                           "left_cluster": 0, "touched_clusters": [],
                           "rejected": sorted({r["article_id"] for r in rows} - kept)}
    if not accepted:
        return out
    import pyarrow as pa

    con.register("accepted_revisions", pa.Table.from_pylist([{
        "article_id": r["article_id"], "revision": r["revision"], "words_added": r["words_added"],
        "words_removed": r["words_removed"], "title_changed": r["title_changed"], "text_changed": r["text_changed"],
    } for r in accepted]))
    # migration 007's column; a revision staged before it has none
    linked = "s.link_canonical" if "link_canonical" in _columns(con, src) else "NULL AS link_canonical"
    try:
        j = f"{src} s JOIN accepted_revisions v USING (article_id)"
        con.execute(f"""
            INSERT INTO article_revisions BY NAME
            SELECT s.article_id, v.revision, s.fetched_at, s.run_id, s.title, s.content_hash, s.text, s.word_count,
                   v.words_added, v.words_removed, v.title_changed, v.text_changed
            FROM {j} ON CONFLICT DO NOTHING""")
        con.execute(f"""
            INSERT INTO raw_pages BY NAME
            SELECT s.url_id, v.revision, s.article_id, s.url, s.final_url, s.content_type, s.http_status, s.bytes,
                   s.sha1, s.raw_path AS path, s.fetched_at, s.run_id, s.entry_title, s.entry_published_at,
                   s.entry_date_note, s.etag, s.last_modified, {linked}
            FROM {j} WHERE s.raw_path IS NOT NULL ON CONFLICT DO NOTHING""")
        con.execute(f"""
            UPDATE articles a SET title = s.title, authors = s.authors, published_at = s.published_at,
                   published_text = s.published_text, updated_at = s.updated_at, language = s.language,
                   text = s.text, word_count = s.word_count, content_hash = s.content_hash, clean_error = NULL,
                   date_note = s.date_note, revision = v.revision, revised_at = s.fetched_at
            FROM {j} WHERE a.article_id = s.article_id""")
        text_ids = [r["article_id"] for r in accepted if r["text_changed"]]
        if text_ids:
            out.update(_replace_dedup_records(con, run_dir, text_ids, accepted))
    finally:
        con.unregister("accepted_revisions")
    for r in accepted:
        log.info("revision %d of %s (%s): %s%s", r["revision"], r["article_id"], r["source"],
                 f"headline {r['cur_title']!r} -> {r['title']!r}; " if r["title_changed"] else "",
                 f"+{r['words_added']} / -{r['words_removed']} words" if r["text_changed"] else "text unchanged")
    return out


def _replace_dedup_records(con: duckdb.DuckDBPyConnection, run_dir: Path, ids: list[str],
                           accepted: list[dict[str, Any]]) -> dict[str, Any]:
    """The dedup stage's records of the revised texts replace the stored ones (sentence index,
    signature, LSH bands, decision), as a reclean replaces them."""
    sub = run_dir / "revised"

    def staged(name: str) -> str | None:
        fs = sorted((sub / name).glob("*.parquet"))
        return _parquet(fs) if fs else None

    revs = {r["article_id"]: r["revision"] for r in accepted}
    old = dict(con.execute("SELECT article_id, cluster_id FROM article_clusters WHERE article_id IN "
                           "(SELECT unnest(?::VARCHAR[]))", [ids]).fetchall())
    con.execute("CREATE OR REPLACE TEMP TABLE revised_ids AS SELECT unnest(?::VARCHAR[]) AS article_id", [ids])
    keep = "article_id IN (SELECT article_id FROM revised_ids)"
    for table in ("article_sentences", "lsh_bands", "minhash_signatures", "article_clusters"):
        con.execute(f"DELETE FROM {table} WHERE {keep}")
    touched = set(old.values())
    left = 0
    if cl := staged("clusters"):
        new = con.execute(f"SELECT article_id, cluster_id, note FROM {cl} WHERE {keep}").fetchall()
        touched |= {c for _, c, _ in new}
        left = sum(1 for a, c, note in new if a in old and old[a] != c)
        con.execute(f"""
            INSERT INTO article_clusters BY NAME
            SELECT article_id, cluster_id, decision, matched_article_id, similarity, estimated_similarity, skipped,
                   config_fingerprint, run_id, revision, previous_cluster_id, note
            FROM {cl} WHERE {keep}""")
        con.execute("UPDATE article_clusters c SET revision = v.r FROM (SELECT unnest(?::VARCHAR[]) AS a, "
                    "unnest(?::INTEGER[]) AS r) v WHERE c.article_id = v.a",
                    [list(revs), list(revs.values())])
    if bd := staged("bands"):
        con.execute(f"INSERT INTO lsh_bands BY NAME SELECT band, key, article_id FROM {bd} WHERE {keep}")
    if sg := staged("signatures"):
        con.execute(f"""
            INSERT INTO minhash_signatures BY NAME
            SELECT article_id, source, published_at, content_hash, signature, config_fingerprint, shingles,
                   shingle_counts, sentence_hashes
            FROM {sg} WHERE {keep}""")
    if se := staged("sentences"):
        con.execute(f"""
            INSERT INTO sentences BY NAME
            SELECT sentence_hash, any_value(text ORDER BY article_id, position) AS text,
                   min(article_id) AS first_article_id, any_value(run_id) AS first_seen_run
            FROM {se} WHERE {keep} GROUP BY sentence_hash ON CONFLICT DO NOTHING""")
        con.execute(f"""
            INSERT INTO article_sentences BY NAME
            SELECT article_id, position, sentence_hash, text, repeated_within, repeated_across, boilerplate
            FROM {se} WHERE {keep}""")
    con.execute("DROP TABLE revised_ids")
    return {"left_cluster": left, "touched_clusters": sorted(touched)}


def _load_checks(con: duckdb.DuckDBPyConnection, src: str, rejected: Sequence[str]) -> None:
    """Each re-check moves its article's schedule on and keeps the validators it got. A re-check
    whose revision the load did not keep (another run stored that version first) was unchanged."""
    outcome = ("CASE WHEN s.outcome = 'revised' AND s.article_id IN (SELECT unnest($rejected::VARCHAR[])) "
               "THEN 'unchanged' ELSE s.outcome END")
    # Only checks not older than the stored last one: of two runs overlapping, the one that re-checked
    # first may load last, and its older check put a gone page back online, and its time and validators
    # over the newer ones.
    older = con.execute(f"""
        SELECT count(*) FROM {src} s JOIN article_checks c USING (article_id)
        WHERE s.checked_at < c.last_checked_at""").fetchone()[0]
    if older:
        log.info("re-checks: %d older than the stored last check of their article (another run re-checked it "
                 "later and loaded first): not applied", older)
        src = (f"(SELECT s.* FROM {src} s LEFT JOIN article_checks c USING (article_id) "
               "WHERE NOT coalesce(s.checked_at < c.last_checked_at, false))")
    con.execute(f"""
        UPDATE article_checks c SET last_checked_at = s.checked_at, checks = c.checks + 1,
               -- a 200 brings the validators of the version now served; a 304 may refresh them
               etag = CASE WHEN s.outcome = 'not_modified' THEN coalesce(s.etag, c.etag)
                           WHEN s.outcome IN ('revised', 'unchanged') THEN s.etag ELSE c.etag END,
               last_modified = CASE WHEN s.outcome = 'not_modified' THEN coalesce(s.last_modified, c.last_modified)
                                    WHEN s.outcome IN ('revised', 'unchanged') THEN s.last_modified
                                    ELSE c.last_modified END,
               last_outcome = {outcome}, last_status = s.status, last_error = s.error, last_run_id = s.run_id
        FROM {src} s WHERE c.article_id = s.article_id""", {"rejected": list(rejected)})
    con.execute(f"""
        UPDATE articles a SET gone_at = coalesce(a.gone_at, s.checked_at), gone_status = s.status
        FROM {src} s WHERE a.article_id = s.article_id AND s.outcome = 'gone'""")
    # a page that answers again is back online
    con.execute(f"""
        UPDATE articles a SET gone_at = NULL, gone_status = NULL
        FROM {src} s WHERE a.article_id = s.article_id AND a.gone_at IS NOT NULL
          AND s.outcome IN ('revised', 'unchanged', 'not_modified', 'clean_failed')""")


def _rebuild_revisions(con: duckdb.DuckDBPyConnection, src: str) -> None:
    """A reclean's rebuilt versions replace each stored revision's title, text and hash, and what
    changed between consecutive revisions is computed again (numbers and fetch times stay)."""
    con.execute(f"""
        UPDATE article_revisions r SET title = s.title, content_hash = s.content_hash, text = s.text,
               word_count = s.word_count
        FROM {src} s WHERE r.article_id = s.article_id AND r.revision = s.revision AND s.clean_error IS NULL""")
    rows = con.execute(f"""
        SELECT article_id, revision, title, content_hash, text FROM article_revisions
        WHERE article_id IN (SELECT article_id FROM {src}) AND article_id IN
              (SELECT article_id FROM article_revisions WHERE revision > 1)
        ORDER BY article_id, revision""").fetchall()
    fix: list[tuple[Any, ...]] = []
    prev: tuple[Any, ...] | None = None
    for r in rows:
        if prev is not None and prev[0] == r[0]:
            text_changed = r[3] != prev[3]
            added, removed = word_changes(prev[4] or "", r[4] or "") if text_changed else (0, 0)
            fix.append((added, removed, not same_title(prev[2], r[2]), text_changed, r[0], r[1]))
        prev = r
    if fix:
        con.executemany("""UPDATE article_revisions SET words_added = ?, words_removed = ?, title_changed = ?,
                                  text_changed = ? WHERE article_id = ? AND revision = ?""", fix)


# ---------------------------------------------------------------------------------------- reading
def revisions_of(con: duckdb.DuckDBPyConnection, article_id: str) -> list[dict[str, Any]]:
    """Every stored revision of an article, oldest first (empty when the article is unknown)."""
    cur = con.execute("""
        SELECT r.revision, r.fetched_at, r.title, r.text, r.words_added, r.words_removed, r.title_changed,
               a.source, a.url
        FROM article_revisions r JOIN articles a USING (article_id)
        WHERE r.article_id = ? ORDER BY r.revision""", [article_id])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
