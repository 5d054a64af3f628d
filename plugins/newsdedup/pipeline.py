"""The pipeline's stages as plain functions: plan, ingest_source, dedup_stage, load_stage, report.

The Airflow DAG calls each as one task and `newsdedup run` calls them in sequence: one code path.
Stages hand batches to each other as Parquet files in a per-run staging folder and return only small
summaries (counts, paths), which is what travels through XCom.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from newsdedup import revisions
from newsdedup import warehouse as wh
from newsdedup.config import (
    ConfigError,
    Settings,
    SourceSpec,
    access_problem,
    load_sources,
    not_utf8,
    path_too_long,
    shortened,
    staging_dir,
    texts_for_writers,
    warehouse_path,
)
from newsdedup.record import Extraction, FetchAttempt, PageInput
from newsdedup.staging import (
    ADOPTED,
    ADOPTED_PREFIX,
    ARTICLE_SCHEMA,
    BANDS_SCHEMA,
    CHECK_SCHEMA,
    CLUSTER_SCHEMA,
    ENDPOINT_SCHEMA,
    FETCH_LOG_SCHEMA,
    LOAD_FAILED,
    REBUILT_SCHEMA,
    REVISION_SCHEMA,
    SENTENCE_SCHEMA,
    SIGNATURE_SCHEMA,
    StagingError,
    StagingPathError,
    count_rows,
    read_batch,
    read_json,
    read_plan,
    read_rows,
    run_key,
    write_json,
    write_rows,
    write_table,
)
from newsdedup.summary import (
    RunSummary,
    breakdown,
    duplicates_phrase,
    failed_source,
    source_line,
    source_summary,
)
from newsdedup.terminal import printable

log = logging.getLogger(__name__)


def _utc(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


# --------------------------------------------------------------------------------------------- plan
LSH_REDIS_URL_ENV = "NEWSDEDUP_LSH_REDIS_URL"  # lshstore.ENV_URL (not imported here: it imports datasketch)


def plan(run_id: str, sources_file: str | None = None, staging: str | None = None,
         warehouse: str | None = None, data_interval: tuple[datetime | None, datetime | None] = (None, None)
         ) -> dict[str, Any]:
    """Read and validate the sources file; check the warehouse; create the run's staging folder,
    adopting the staged batches of earlier runs whose load failed; return the run reference."""
    cfg = load_sources(sources_file)
    wpath = warehouse_path(warehouse)
    # Once per run, before anything is fetched: a damaged main warehouse stops the run here (not at
    # load, after all the fetching), and a missing, damaged or stale snapshot is rebuilt under the
    # writer lock, which the ingest tasks never take.
    try:
        # $NEWSDEDUP_LOCK_PATIENCE set to junk was read at the load only, after all the fetching, every run;
        # so was a $NEWSDEDUP_SQL_DIR without migrations (an existing warehouse is migrated at the load)
        wh.lock_patience()
        wh.migration_files()
        wh.ensure_snapshot(wpath)
        wh.check_writable(wh.main_path(wpath))
    except (wh.WarehouseCorrupt, wh.WarehouseAccessError, wh.WarehouseSettingError, wh.SqlDirError) as exc:
        raise type(exc)(f"run {run_id} stopped at its plan, nothing was fetched: {exc}") from exc
    if (os.environ.get(LSH_REDIS_URL_ENV) or "").strip():
        # The shared LSH index's settings written wrong were found by the dedup, after all the fetching:
        # how they are written is checked here (no connection: a Redis down now may be up by the dedup).
        # Only when it is configured: its module imports the dedup stage (datasketch, scipy).
        from newsdedup import lshstore

        try:
            lshstore.RedisLSHSettings.from_env()
        except lshstore.LSHSettingsError as exc:
            raise lshstore.LSHSettingsError(f"run {run_id} stopped at its plan, nothing was fetched: {exc}") from exc
    run_dir = staging_dir(staging) / run_key(run_id)
    if not_utf8(run_dir):  # pyarrow cannot write under it: every source failed, then the run
        raise StagingPathError(f"the staging folder {printable(str(run_dir.parent))} is not UTF-8 (a name from "
                           "another system's encoding): its Parquet batches cannot be written. Name a UTF-8 folder "
                           "(--staging, $NEWSDEDUP_STAGING); nothing was fetched.")
    if (why := path_too_long(run_dir)) is not None:  # ENAMETOOLONG: a traceback from the first look at it
        raise StagingPathError(f"the staging folder {printable(shortened(str(run_dir.parent)))} cannot hold the run's "
                               f"folder {run_dir.name}: {why}. Name a shorter folder (--staging, $NEWSDEDUP_STAGING, "
                               "the run's `staging` Param); nothing was fetched.")
    # A cleared and re-run DAG run starts from a clean folder: nothing of the earlier attempt leaks in.
    # What that attempt had adopted goes back to its runs first, and is adopted again below.
    _give_back_adopted(run_dir.parent, run_id)
    if run_dir.exists():
        shutil.rmtree(run_dir)
    try:
        run_dir.mkdir(parents=True)
    except OSError as exc:  # `--staging` naming a file, or a place that takes no folder: was a traceback
        raise StagingError(f"the staging folder {run_dir.parent} cannot be used ({exc.strerror or exc}: "
                           f"{exc.filename}); nothing was fetched. Name a folder this user can write "
                           "(--staging, $NEWSDEDUP_STAGING)") from None
    if not wpath.exists():
        # The first run creates the warehouse and its (empty) snapshot here, not at its load: a run
        # planned meanwhile found the file that load was creating without a snapshot, and failed.
        with wh.writer(wpath):
            pass
    adopted, adopted_urls = _adopt_unloaded_runs(run_dir, run_id, wpath)
    # A source renamed in the sources file (its URL stored under a name the file no longer has) carries
    # on that name's state: decided once here, for every stage of the run (its ingest reads the old
    # name's state, dedup counts its boilerplate, the load moves what is stored to the new name).
    from newsdedup.urls import strip_credentials

    with wh.reader(wpath) as con:
        renamed, ambiguous = wh.renamed_sources(con, [(s.name, strip_credentials(s.url)) for s in cfg.sources])
        for new_name, r in renamed.items():
            log.warning("%s", wh.renamed_line(new_name, r))
        # a source skipped as a repeat of another's URL is still in the file (its own warning says so): it
        # was named "not in the sources file" by the first run that skipped it
        dropped = wh.dropped_sources(con, [*(s.name for s in cfg.sources), *cfg.skipped],
                                     [r["was"] for r in renamed.values()])
    for w in [*ambiguous, *dropped]:
        log.warning("%s", w)
    meta = {
        "run_id": run_id,
        "run_dir": str(run_dir),
        # absolute: every stage, a later run adopting this one and maintenance read it from their own
        # working directory; a relative path named another project's warehouse there (which then
        # adopted and loaded this run's articles)
        "warehouse": str(wpath.absolute()),
        "sources_file": cfg.path,
        "settings": asdict(cfg.settings),
        "sources": [s.to_dict() for s in cfg.sources],
        "started_at": datetime.now(UTC).isoformat(),
        "data_interval_start": data_interval[0].isoformat() if data_interval[0] else None,
        "data_interval_end": data_interval[1].isoformat() if data_interval[1] else None,
        "adopted": adopted,
        "adopted_urls": adopted_urls,
        "renamed": renamed,
        "skipped": list(cfg.skipped),
    }
    write_json(meta, run_dir / "plan.json")
    log.info("run %s: %d sources from %s", run_id, len(cfg.sources), cfg.path)
    return {"run_id": run_id, "run_dir": str(run_dir), "sources": meta["sources"]}


def _not_adoptable(folder: Path) -> str | None:
    """Why this user cannot move the batches out of a failed run's staging `folder` (None: it can)."""
    for d in (folder, folder / "articles", folder / "fetch_log"):
        if (problem := access_problem(d, os.W_OK | os.X_OK)) is not None:
            return f"{d} {problem}"
    return None


def _give_back_adopted(root: Path, run_id: str) -> None:
    """Move the batches `run_id` adopted back to the runs they came from (before its folder goes)."""
    if not root.is_dir():
        return
    for marker in root.glob(f"*/{ADOPTED}"):
        try:
            taken = read_json(marker)
        except (OSError, ValueError):
            continue
        if taken.get("adopted_by") != run_id:
            continue
        for src, dest in taken.get("files", []):
            if Path(dest).exists():
                Path(src).parent.mkdir(parents=True, exist_ok=True)
                os.replace(dest, src)
        marker.unlink()


def _adopt_unloaded_runs(run_dir: Path, run_id: str, warehouse: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """Take over the staged articles and fetch attempts of earlier runs whose load failed (a held
    lock, a full disk) and that no retry loaded since.

    Their articles are then deduplicated with this run's own, against the warehouse as it is now,
    so no decision taken against an older state is loaded; their URLs are not fetched again.
    Returns the adopted runs (for their `ingest_runs` rows) and the adopted article URLs.
    """
    root = run_dir.parent
    candidates = []
    for marker in sorted(root.glob(f"*/{LOAD_FAILED}")):
        folder = marker.parent
        if folder == run_dir or (folder / ADOPTED).exists():
            continue
        try:
            other = read_plan(folder)
            failure = read_json(marker)
        except (OSError, ValueError, StagingError):
            continue
        if Path(other.get("warehouse", "")).resolve() != warehouse.resolve() or other.get("run_id") == run_id:
            continue
        candidates.append((other.get("started_at") or "", folder, other, failure))
    if not candidates:
        return [], []
    with wh.reader(warehouse) as con:
        if wh.recorded_run(con, run_id) is not None:
            return [], []  # this run is loaded already (a cleared run): it loads nothing
        loaded = {c[2]["run_id"] for c in candidates if wh.recorded_run(con, c[2]["run_id"]) is not None}
    adopted: list[dict[str, Any]] = []
    urls: set[str] = set()
    for _, folder, other, failure in sorted(candidates, key=lambda c: c[0]):
        if other["run_id"] in loaded:
            continue  # a retry loaded it after all
        if (why := _not_adoptable(folder)) is not None:
            # Another user's run (a manual `sudo newsdedup run` whose load failed): taking its batches was a
            # PermissionError traceback out of this plan, and of every later run's, for ever.
            log.warning("run %s: cannot adopt the staged batches of run %s, whose load failed: %s; they stay there "
                        "(their pages are fetched again) until a user who can write it runs, or it is removed",
                        run_id, other["run_id"], why)
            continue
        moves, articles, attempts = [], 0, 0
        for sub in ("articles", "fetch_log"):
            for f in sorted((folder / sub).glob("*.parquet")):
                try:
                    table = read_batch(f)
                except StagingError as exc:
                    log.warning("run %s: not adopting a damaged batch: %s", run_id, exc)
                    continue
                if sub == "articles":
                    articles += table.num_rows
                    urls.update(u for c in ("url", "canonical_url") for u in table.column(c).to_pylist() if u)
                else:
                    attempts += table.num_rows
                moves.append([str(f), str(run_dir / sub / f"{ADOPTED_PREFIX}{run_key(other['run_id'])}~{f.name}")])
        # The marker first, listing every move: a cleared run can then give back all it took.
        write_json({"adopted_by": run_id, "at": datetime.now(UTC).isoformat(), "files": moves}, folder / ADOPTED)
        for src, dest in moves:
            Path(dest).parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dest)
        adopted.append({"run_id": other["run_id"], "run_dir": str(folder), "started_at": other.get("started_at"),
                        "data_interval_start": other.get("data_interval_start"),
                        "data_interval_end": other.get("data_interval_end"), "load_error": failure.get("error"),
                        "articles": articles, "fetch_attempts": attempts, "via": None})
        # what that run had adopted itself comes along (its batches are among the ones just moved)
        adopted += [{**a, "via": other["run_id"]} for a in other.get("adopted") or []]
        log.warning("run %s: adopting %d staged articles and %d fetch attempts of run %s, whose load failed (%s); "
                    "they are deduplicated with this run's articles and not fetched again", run_id, articles,
                    attempts, other["run_id"], failure.get("error", "?")[:200])
    return adopted, sorted(urls)


# ----------------------------------------------------------------------------------- ingest source
def _attempt_row(run_id: str, source: str, purpose: str, a: FetchAttempt) -> dict[str, Any]:
    return {
        "run_id": run_id, "source": source, "purpose": a.purpose or purpose, "url": a.url, "final_url": a.final_url,
        "status": a.status, "error": a.error, "detail": a.detail, "bytes": a.bytes,
        "elapsed_ms": a.elapsed_ms, "attempt": a.attempt, "fetched_at": _utc(a.fetched_at),
    }


def make_article_row(page: PageInput, *, run_id: str, raw_path: str | None,
                     template: Collection[str] = ()) -> dict[str, Any]:
    """Clean one page and build its `articles` row (a failed clean keeps its reason).

    The one record path: ingest (HTTP, WARC, `dir`, full-content feeds) and reclean both come here with
    a `PageInput` made of the same stored inputs, so both build the same record. The raw bytes are
    decoded with the page's Content-Type; the entry's title and date fill in what the page does not say.
    """
    from newsdedup.clean import extract
    from newsdedup.clean.metadata import shown_text
    from newsdedup.urls import canonicalize_url, trusted_canonical, url_id

    page_url = page.final_url or page.url
    # A byline's "3 hours ago" is dated by the time of the HTTP response that carried the page (a live fetch, a
    # WARC record's): a `dir` source's file or a feed's item has only the time it was read, hours or years later.
    fetched_at = page.fetched_at if page.http_status is not None else None
    try:
        ex = extract(page.raw, page_url, content_type=page.content_type, template=template, fetched_at=fetched_at)
    except Exception as exc:  # extract promises not to raise; if it ever does, keep the page as failed
        log.exception("clean: extractor raised on %s", page_url)
        ex = Extraction(error=f"extractor_crash: {exc.__class__.__name__}")
    # The page's canonical link decides its article id: trusted for its own site only (urls.py says why).
    # The markup's claim (rel=canonical, og:url) first; an HTTP Link header's when the markup makes none
    # (a PDF, an AMP copy served with the header: the extractor then gives the page's own URL), under
    # the same rules.
    claim = ex.canonical_url
    if page.link_canonical and claim in (None, page_url):
        claim = page.link_canonical
    canonical, ignored = trusted_canonical(claim, canonicalize_url(page_url))
    if ignored:
        log.info("clean: %s claims canonical %r (%s): ignored, the page is its own article",
                 page_url, (claim or "")[:300], ignored.replace("_", " "))
    text = ex.text if not ex.error else ""
    # The page's own date first; the feed's date for the entry when the page gives none, or when its
    # date is only htmldate's reading of the whole page (a sidebar's or an archive box's day).
    published = page.entry_published if ex.published_guessed and page.entry_published else \
        (ex.published or page.entry_published)
    return {
        # a stored article keeps its id when a reclean (or a revision) finds another canonical link
        "article_id": page.article_id or url_id(canonical), "url": canonicalize_url(page.url),
        "canonical_url": canonical, "source": page.source, "title": ex.title or shown_text(page.entry_title),
        "authors": list(ex.authors), "published_at": _utc(published),
        "published_text": published.isoformat() if published else None,
        "updated_at": _utc(ex.updated), "language": ex.language, "text": text,
        "word_count": len(text.split()), "content_hash": None,  # set at load from the dedup stage's normalised-text hash
        "clean_error": ex.error, "fetched_at": _utc(page.fetched_at), "run_id": run_id,
        "url_id": page_url_id(page), "final_url": page.final_url, "content_type": page.content_type,
        "http_status": page.http_status, "bytes": len(page.raw), "sha1": hashlib.sha1(page.raw).hexdigest(),
        "raw_path": raw_path, "entry_title": page.entry_title, "entry_published_at": _utc(page.entry_published),
        "entry_date_note": page.entry_date_note,
        "date_note": "; ".join(n for n in (page.entry_date_note, ex.date_note) if n) or None,
        "etag": page.etag, "last_modified": page.last_modified, "canonical_ignored": ignored,
        "link_canonical": page.link_canonical,
    }


def page_url_id(page: PageInput) -> str:
    """The key of a page's raw copy (`raw_pages.url_id`): its final URL, canonicalised."""
    from newsdedup.urls import canonicalize_url, url_id

    return url_id(canonicalize_url(page.final_url or page.url))


RAW_PAGE_UNWRITABLE = "raw_page_unwritable"
REDIRECTED_HOME = "redirected_home"


def _redirected_home(listed: str, final: str | None) -> str | None:
    """Why a listed page that landed on its site's home page ("/", "/index.html") after redirects is no
    article, or None when it did not (or was listed as the home page itself). A removed story's URL
    that redirects home made the home page an article: every such story was that one record, and the
    next removed story "already known"."""
    from newsdedup.urls import InvalidURL, canonicalize_url, is_home_page

    if not final:
        return None
    try:
        landed, was = canonicalize_url(final), canonicalize_url(listed)
    except InvalidURL:
        return None
    if landed == was or not is_home_page(landed) or is_home_page(was):
        return None
    return f"redirected to the home page {landed[:300]}: the story is gone (a soft 404), no article stored"


def _ingest_page(page: PageInput, run_id: str, warehouse: Path, template: Collection[str]) -> dict[str, Any] | None:
    """Keep the page's raw bytes beside the warehouse and build its record from them.

    None when the raw copy cannot be written (a full disk, a folder this user may not write): the
    page then counts as a failed fetch (RAW_PAGE_UNWRITABLE) and the next run fetches it again. The
    OSError used to fail the whole source, and with it the record of every fetch it had made.
    """
    try:
        raw_path = wh.store_raw_page(warehouse, page_url_id(page), page.raw)
    except OSError as exc:
        log.warning("%s: the raw copy of %s cannot be written in %s (%s); the page is not stored and is fetched "
                    "again by a later run", page.source, page.url, wh.raw_dir(warehouse), exc)
        return None
    return make_article_row(page, run_id=run_id, raw_path=raw_path, template=template)


def _own_url(row: dict[str, Any]) -> str:
    """The URL an article row's page was read from (its final URL), canonical."""
    from newsdedup.urls import canonicalize_url

    return canonicalize_url(row["final_url"] or row["url"])


def same_article_text(a: str, b: str) -> bool:
    """Whether two cleaned texts are one article's (perhaps edited, cut or extracted differently): equal
    content hashes, or shingle sets the dedup stage would verify as copies (`DedupConfig`'s containment
    or Jaccard threshold). A story and its translation, or two stories of one outlet, are not."""
    import numpy as np

    from newsdedup.dedup import DedupConfig
    from newsdedup.dedup.text import parse_text

    cfg = DedupConfig()
    pa, pb = parse_text(a, cfg.shingle_size), parse_text(b, cfg.shingle_size)
    if pa.content_hash == pb.content_hash:
        return True
    sa, sb = np.unique(pa.shingles), np.unique(pb.shingles)
    if not len(sa) or not len(sb):
        return False
    shared = len(np.intersect1d(sa, sb, assume_unique=True))
    small = min(len(sa), len(sb))
    if small >= cfg.containment_min_shingles and shared / small >= cfg.verify_containment:
        return True
    return shared / (len(sa) + len(sb) - shared) >= cfg.verify_jaccard


def _check_claims(articles: list[dict[str, Any]], stored: dict[str, str]) -> None:
    """Give a page its own URL's id when the article its canonical link claims reads otherwise.

    A page whose rel=canonical names another URL of its own site takes that URL's article id (an AMP
    or mobile copy, a spelling with a slash more): right when it is that article. A CMS that prints
    one story's URL, or a section page, as the canonical of many, or a French page naming the English
    one, made different articles one record: the load kept the first and the rest were dropped as
    its duplicates (in a later run "already known", unread). The claim is kept when the claimed
    article's text (stored, else that of the batch's page at the claimed URL, else of the page the
    load would keep: the first fetched with a text) is the page's own text by `same_article_text`, or
    when the page has no text, or no page of the batch has one (a failed clean: nothing to compare; the
    load keeps a page with a text over one without). A stored article without a text is no page's.
    Otherwise the page is its own article (`canonical_ignored` "other_article").
    Rows are changed in place.

    Called on each source's batch at ingest (against the warehouse's stored texts, before the
    "already known" filter) and again on all of a run's staged articles when they first meet
    (`check_run_claims`, at the start of the dedup stage): pages of two sources, or of two mapped
    Airflow tasks, claiming one URL were each checked without the other.
    """
    from newsdedup.urls import url_id

    first = datetime.min.replace(tzinfo=UTC)
    groups: dict[str, list[dict[str, Any]]] = {}
    for a in sorted(articles, key=lambda a: (a["fetched_at"] is None, a["fetched_at"] or first, a["url"] or "")):
        groups.setdefault(a["article_id"], []).append(a)
    for aid, rows in groups.items():
        claiming = [a for a in rows if a["canonical_url"] != _own_url(a)]
        if not claiming:
            continue
        if aid in stored:
            ref = stored[aid]
        else:
            # the page at the claimed URL, else the first fetched, that has a text: a page whose clean
            # failed (a video page, a section page of links; at the claimed URL or not) made every claim
            # of the same URL unverifiable, and the stories claiming it were one record
            with_text = [a for a in rows if a["text"] and not a["clean_error"]]
            owner = next((a for a in with_text if a["canonical_url"] == _own_url(a)), with_text[0] if with_text else rows[0])
            claiming = [a for a in claiming if a is not owner]
            ref = owner["text"]
        for a in claiming:
            # a stored record without a text (its clean failed) is no article a page with a text can be:
            # kept, the claim made the page "already known" and its story was never stored
            if not a["text"] or (ref and same_article_text(ref, a["text"])) or (not ref and aid not in stored):
                continue
            own = _own_url(a)
            log.info("clean: %s claims canonical %s, whose article reads otherwise: the page is its own article",
                     own, a["canonical_url"][:300])
            a.update(article_id=url_id(own), canonical_url=own, canonical_ignored="other_article")


CLAIMS = "claims.json"  # the pages a run's run-wide claims check gave their own URL's id (`check_run_claims`)


def check_run_claims(run_dir: str | Path) -> dict[str, Any]:
    """Check the canonical claims of all of a run's staged articles together, as `_check_claims`
    checks one source's batch: the place where the articles of the run's sources first meet (each
    source is ingested on its own, in Airflow by mapped tasks holding a share of the sources each;
    adopted batches of an earlier run come in here too). Two sources whose pages claim one URL with
    different stories were one record: the load keeps the first fetched of an article id, and the
    other story was lost.

    A page that reads otherwise than the claimed article gets its own URL's id in its staged batch
    (rewritten in place); the pages so changed are listed in the run's `claims.json` (written before
    the batches, and only ever added to: a dedup stage that runs again, or is retried after a crash
    between the two, counts each page once). Returns the list's counts: `pages` per source of this
    run (what `with_run_claims` adds to their summaries) and `adopted`, pages of adopted batches.
    """
    run_path = Path(run_dir)
    meta = read_plan(run_path)
    run_id = meta["run_id"]
    batches = [(f, read_batch(f).to_pylist()) for f in sorted((run_path / "articles").glob("*.parquet"))]
    rows = [r for _, batch in batches for r in batch]
    claimed = sorted({r["article_id"] for r in rows if r["canonical_url"] != _own_url(r)})
    if claimed:
        with wh.reader(meta["warehouse"]) as con:
            stored = wh.article_texts(con, claimed)
        _check_claims(rows, stored)
    changed = [(f, batch) for f, batch in batches if any(r.get("canonical_ignored") for r in batch)]
    listed = _claims_listed(run_path)
    known = {(p["run_id"], p["source"], p["url_id"]) for p in listed}
    for r in (r for _, batch in changed for r in batch if r.get("canonical_ignored")):
        if (r["run_id"], r["source"], r["url_id"]) not in known:
            known.add((r["run_id"], r["source"], r["url_id"]))
            listed.append({k: r[k] for k in ("run_id", "source", "url_id", "url", "article_id")})
    if changed:
        write_json({"pages": listed}, run_path / CLAIMS)
        for f, batch in changed:
            write_rows(batch, ARTICLE_SCHEMA, f)
    pages = run_claims(run_path)
    adopted = sum(1 for p in listed if p["run_id"] != run_id)
    for name, n in pages.items():
        log.info("claims: %s: %d page%s claiming the canonical URL of another source's page of this run, whose "
                 "article reads otherwise: each is its own article", name, n, "s" if n != 1 else "")
    if adopted:
        log.info("claims: %d page%s of adopted batches claiming the canonical URL of another page of this run, "
                 "whose article reads otherwise: each is its own article", adopted, "s" if adopted != 1 else "")
    return {"pages": pages, "adopted": adopted}


def _claims_listed(run_path: Path) -> list[dict[str, Any]]:
    """The pages the run-wide claims check of the run gave their own URL's id (its `claims.json`)."""
    return read_json(run_path / CLAIMS)["pages"] if (run_path / CLAIMS).exists() else []


def run_claims(run_dir: str | Path) -> dict[str, int]:
    """How many pages of each of the run's own sources the run-wide claims check (`check_run_claims`)
    gave their own URL's id."""
    run_id = read_plan(run_dir)["run_id"]
    return dict(sorted(Counter(p["source"] for p in _claims_listed(Path(run_dir)) if p["run_id"] == run_id).items()))


def with_run_claims(summary: dict[str, Any], pages: dict[str, int]) -> dict[str, Any]:
    """A source's summary with its pages given their own URL's id by the run-wide claims check (`pages`,
    from `run_claims`) counted in `canonical_ignored` "other_article", and apart in `other_article_in_run`
    (so a summary counted again, after a later check, is not counted twice)."""
    n, before = pages.get(summary["source"], 0), summary.get("other_article_in_run", 0)
    if n == before:
        return summary
    ignored = Counter(summary.get("canonical_ignored") or {})
    ignored["other_article"] += n - before
    return {**summary, "canonical_ignored": dict(sorted((k, v) for k, v in ignored.items() if v)),
            "other_article_in_run": n}


def _may_work_later(res: Any) -> bool:
    """Whether a page's failed fetch (a `fetch.FetchResult`) may succeed on a later run: a timeout,
    a lost connection, 408/429/5xx, or a robots.txt that could not be read (taken as "disallow")."""
    from newsdedup.fetch import LATER_ERRORS, RETRY_ERRORS, RETRY_STATUSES

    if res.error in RETRY_ERRORS | LATER_ERRORS or res.status in RETRY_STATUSES:
        return True
    return res.error == "robots_disallowed" and (res.detail or "").startswith("robots.txt unavailable")


def _date_origins(note: str | None) -> list[str]:
    """Where each ignored date of a record's `date_note` came from ("feed", "sitemap", "page", "warc")."""
    return [part.split(" ", 1)[0] for part in note.split("; ")] if note else []


def ingest_source(run_dir: str, source: dict[str, Any] | str, snapshot: wh.Snapshot | None = None
                  ) -> dict[str, Any]:
    """Discover a source's entries, fetch the new ones, clean them; stage the batch as Parquet.

    `source` is the spec or its name in the run's plan (what the DAG passes: no URL in XComs).
    `snapshot` is a warehouse reader kept open across the sources of a run in one process (its
    snapshot opened once, not once per source); without it the source opens its own.
    """
    meta = read_plan(run_dir)
    if snapshot is None:
        with wh.Snapshot(meta["warehouse"]) as snap:
            return _ingest_source(run_dir, meta, source, snap)
    if snapshot.path.resolve() != wh.main_path(meta["warehouse"]).resolve():
        raise ValueError(f"the snapshot given reads {snapshot.path}, the run {run_dir} loads into {meta['warehouse']}")
    return _ingest_source(run_dir, meta, source, snapshot)


def _ingest_source(run_dir: str, meta: dict[str, Any], source: dict[str, Any] | str, snap: wh.Snapshot
                   ) -> dict[str, Any]:
    from newsdedup.clean.template import source_template
    from newsdedup.fetch import Fetcher
    from newsdedup.sources import SourceState, discover
    from newsdedup.urls import canonicalize_url, strip_credentials

    if isinstance(source, str):
        planned = {s["name"]: s for s in meta["sources"]}
        if source not in planned:
            raise ConfigError(f"source {source!r} is not in the run's plan ({run_dir})")
        source = planned[source]
    run_id, warehouse = meta["run_id"], Path(meta["warehouse"])
    settings = Settings(**meta["settings"])
    spec = SourceSpec.from_dict(source)
    t0 = time.monotonic()
    # a source renamed in the sources file reads what its old name stored (the load moves it over)
    renamed = (meta.get("renamed") or {}).get(spec.name)
    stored_as = renamed["was"] if renamed else spec.name
    with snap.reading() as con:
        recorded = wh.recorded_run(con, run_id)
        prior = wh.source_state(con, stored_as, strip_credentials(spec.url))
        template = source_template(con, stored_as)  # the source's repeated lines, dropped from new bodies
    done = next((x for x in (recorded or {}).get("sources", []) if x.get("source") == spec.name), None)
    if done is not None:
        # A cleared task of a run that is already loaded: fetching again would only produce
        # different fetch timestamps that the load must not write, so report what was recorded.
        log.info("%s: run %s is already loaded; re-using its recorded result, fetching nothing", spec.name,
                 run_id)
        log.info("%s", source_line(done))
        return {**done, "run_dir": str(run_dir)}
    state = SourceState.from_dict(prior) if prior else None
    # as stored (discovery may change the state it is given): what a run whose pages failed keeps
    prior_state = SourceState.from_dict(json.loads(json.dumps(prior))) if prior else None
    retry_later = 0  # new entries whose page failed for now: the next run must list them again

    fetch_rows: list[dict[str, Any]] = []
    articles: list[dict[str, Any]] = []
    summary = source_summary(run_dir, spec.name, spec.kind, not_modified=False)
    if renamed:
        summary["renamed"] = renamed
    with Fetcher(settings) as fetcher:
        disc = discover(spec, settings, fetcher, state)
        summary["kind"] = disc.kind
        purpose = "file" if disc.kind in ("dir", "warc") else "feed"
        fetch_rows += [_attempt_row(run_id, spec.name, purpose, a) for a in disc.attempts]
        summary["not_modified"] = disc.not_modified
        if disc.not_modified:
            summary["unchanged"] = disc.detail  # what "nothing new" means for this kind of source
        if disc.in_flight:
            summary["in_flight"] = disc.in_flight  # dir files maybe still being written: read next run
        if disc.site is not None:
            from newsdedup.discovery import site_line

            summary["site"] = disc.site  # what the site's discovery found or follows, for the summary
            log.info("%s", site_line(spec.name, disc.site))
        if disc.error:
            summary.update(status="failed", error=disc.error)
            log.warning("%s: source failed: %s", spec.name, disc.error)
        entries = {}
        for e in disc.entries:
            entries.setdefault(canonicalize_url(e.url), e)
        summary["entries"] = len(entries)
        with snap.reading() as con:
            known = wh.known_urls(con, list(entries))
        known |= set(meta.get("adopted_urls") or ()) & entries.keys()  # fetched by an earlier run this one loads
        new = {u: e for u, e in entries.items() if u not in known}
        summary["already_known"] = len(entries) - len(new)
        summary["new"] = len(new)

        def unstored() -> None:
            nonlocal retry_later
            retry_later += 1
            summary["fetch_failed"] += 1
            summary["fetch_errors"][RAW_PAGE_UNWRITABLE] += 1

        now = datetime.now(UTC)
        with_body = {u: e for u, e in new.items() if e.body is not None}
        for u, e in with_body.items():
            # the source carried the page (dir, WARC, full-content feed) with its own type and time
            row = _ingest_page(PageInput.from_entry(
                e, source=spec.name, url=u, final_url=u, raw=e.body, content_type=e.content_type,
                http_status=e.http_status, fetched_at=e.fetched_at or now), run_id, warehouse, template)
            if row is None:
                unstored()
            else:
                articles.append(row)
        to_fetch = [u for u in new if u not in with_body]
        from newsdedup.progress import Progress

        with Progress(f"{spec.name}: fetch", total=len(to_fetch)) as bar:
            for res in fetcher.fetch_many(to_fetch, accept="html"):
                bar.advance()
                fetch_rows += [_attempt_row(run_id, spec.name, "page", a) for a in res.attempts]
                if res.error or res.body is None:
                    summary["fetch_failed"] += 1
                    retry_later += _may_work_later(res)
                    err = res.error or "no_body"
                    summary["fetch_errors"][err] += 1
                    continue
                if res.attempts and (gone := _redirected_home(res.url, res.final_url)):
                    # a story sent to the home page is gone (a soft 404): the home page is no article of it
                    fetch_rows[-1].update(error=REDIRECTED_HOME, detail=gone)
                    summary["fetch_failed"] += 1
                    # gone, or a site in maintenance mode sending every URL home for an hour: the next run
                    # lists it again (no conditional GET), as after a 503; a feed still listing a removed
                    # story is read in full until it drops it
                    retry_later += 1
                    summary["fetch_errors"][REDIRECTED_HOME] += 1
                    continue
                row = _ingest_page(PageInput.from_entry(
                    new.get(res.url), source=spec.name, url=res.url, final_url=res.final_url, raw=res.body,
                    content_type=res.content_type, http_status=res.status,
                    fetched_at=res.attempts[-1].fetched_at if res.attempts else now,
                    etag=res.etag, last_modified=res.last_modified, link_canonical=res.link_canonical), run_id,
                    warehouse, template)
                if row is None:
                    unstored()
                    continue
                summary["fetched"] += 1
                articles.append({**row, "recheckable": True})  # fetched over HTTP: it can be fetched again to follow it

        # Stored articles due for a re-check (issue 12): the same fetcher, so the same politeness.
        rechecked = revisions.recheck_source(fetcher, meta, spec.name, warehouse, snap)
        fetch_rows += [_attempt_row(run_id, spec.name, "recheck", a) for a in rechecked.attempts]
        summary["rechecks"] = rechecked.counts

        fetch_rows += [_attempt_row(run_id, spec.name, "robots", a) for a in fetcher.drain_side_attempts()]

    # A canonical claim naming another page's article must read as that article (stored, or a page of this batch).
    claimed = sorted({a["article_id"] for a in articles if a["canonical_url"] != _own_url(a)})
    if claimed:
        with snap.reading() as con:
            stored_texts = wh.article_texts(con, claimed)
        _check_claims(articles, stored_texts)
    # Canonical links not taken as the article's identity (another site, the home page, junk).
    summary["canonical_ignored"] = dict(sorted(Counter(a["canonical_ignored"] for a in articles
                                                       if a.get("canonical_ignored")).items()))
    if summary["canonical_ignored"]:
        log.info("%s: %d canonical links ignored (%s): those pages are articles of their own URL", spec.name,
                 sum(summary["canonical_ignored"].values()), breakdown(summary["canonical_ignored"]))
    # The page's rel=canonical may name an article stored earlier under another URL: not twice.
    with snap.reading() as con:
        stored = wh.known_article_ids(con, [a["article_id"] for a in articles])
    summary["already_known"] += sum(1 for a in articles if a["article_id"] in stored)
    articles = [a for a in articles if a["article_id"] not in stored]
    summary["clean_failed"] = sum(1 for a in articles if a["clean_error"])
    summary["clean_errors"] = dict(sorted(Counter(a["clean_error"] for a in articles if a["clean_error"]).items()))
    # Dates no article can carry (year 1, 9999, the future) that came with this run's entries and pages.
    ignored = Counter(o for e in disc.entries for o in _date_origins(e.date_note))
    ignored.update(o for a in articles for o in _date_origins(a["date_note"]) if o == "page")
    summary["dates_ignored"] = dict(sorted(ignored.items()))
    summary["articles"] = len(articles)
    name = run_key(spec.name)
    write_rows(fetch_rows, FETCH_LOG_SCHEMA, Path(run_dir) / "fetch_log" / f"{name}.parquet")
    write_rows(articles, ARTICLE_SCHEMA, Path(run_dir) / "articles" / f"{name}.parquet")
    write_rows(rechecked.revisions, REVISION_SCHEMA, Path(run_dir) / "revisions" / f"{name}.parquet")
    write_rows(rechecked.checks, CHECK_SCHEMA, Path(run_dir) / "checks" / f"{name}.parquet")
    if disc.kind == "site":
        from newsdedup.discovery import endpoint_rows

        write_rows(endpoint_rows(spec.name, disc.state.to_dict(), run_id), ENDPOINT_SCHEMA,
                   Path(run_dir) / "endpoints" / f"{name}.parquet")
    saved = disc.state
    if retry_later and disc.error is None:
        saved = disc.state.relisting(prior_state)
        log.info("%s: %d new pages failed for now (a server error, a timeout, a redirect to the home page, a raw copy not written): the next run "
                 "reads the source's listing again in full (no conditional GET) and fetches them", spec.name,
                 retry_later)
    write_json({"name": spec.name, "url": strip_credentials(spec.url), "kind": disc.kind, "state": saved.to_dict(),
                 "status": summary["status"], "error": summary["error"], "summary": summary},
                Path(run_dir) / "sources" / f"{name}.json")
    summary["seconds"] = round(time.monotonic() - t0, 2)
    log.info("%s", source_line(summary))
    return summary


# ------------------------------------------------------------------------------------------- dedup
def dedup_stage(run_dir: str, replacing: Sequence[str] | None = None) -> dict[str, Any]:
    """Decide exact/near duplicates and repeated sentences of the run's new articles against the
    warehouse (within the window) and against each other; stage the decisions as Parquet.

    `replacing` (a reclean) names the stored articles the staged ones replace: the staged articles
    are decided although stored, against everything else the window holds, as a normal run would.
    """
    import numpy as np

    from newsdedup import lshstore
    from newsdedup.dedup import DedupConfig, DedupDoc, MemoryIndex

    meta = read_plan(run_dir)
    run_id, warehouse = meta["run_id"], Path(meta["warehouse"])
    if replacing is None:
        with wh.reader(warehouse) as con:
            recorded = wh.recorded_run(con, run_id)
        if recorded is not None:
            summary = dict(recorded.get("dedup") or {})
            write_json(summary, Path(run_dir) / "dedup.json")
            log.info("dedup: run %s is already loaded; re-using its recorded decisions", run_id)
            return summary
        # where the run's sources' articles first meet: their canonical claims checked together
        # (a reclean's pages keep the ids they are stored under)
        claims = check_run_claims(run_dir)
    rows = [r for r in read_rows(Path(run_dir) / "articles") if not r["clean_error"] and r["text"]]
    # Re-fetched stored articles whose text changed are decided again, against everything stored but
    # themselves (a revision is never a near-duplicate of its own earlier version), under a dedup id of
    # their own (`revisions.dedup_id`); a title-only change keeps the article's records as they are.
    revised = {revisions.dedup_id(r): r for r in read_rows(Path(run_dir) / "revisions")
               if r["text_changed"] and not r["clean_error"] and r["text"]}
    seen: set[str] = set()
    docs = []
    # Pages of one article id (two URLs naming one canonical): decide the page the load keeps, the
    # first fetched with a text (`warehouse._load_run` orders by that, fetched_at, url; `rows` hold
    # only those), or the stored text would carry another page's content hash, sentences and signature.
    first = datetime.min.replace(tzinfo=UTC)
    for r in sorted(rows, key=lambda r: (r["article_id"], r["fetched_at"] is None, r["fetched_at"] or first,
                                         r["url"] or "")):
        if r["article_id"] in seen:
            continue
        seen.add(r["article_id"])
        docs.append(DedupDoc(id=r["article_id"], source=r["source"], published=r["published_at"],
                             title=r["title"] or "", text=r["text"]))
    for did, r in sorted(revised.items()):
        docs.append(DedupDoc(id=did, source=r["source"], published=r["published_at"], title=r["title"] or "",
                             text=r["text"]))
    revised_articles = sorted({r["article_id"] for r in revised.values()})
    config = DedupConfig()
    fp = config.fingerprint()
    t0 = time.monotonic()
    dd = lshstore.deduplicator(config)  # the LSH index in Redis when NEWSDEDUP_LSH_REDIS_URL is set
    dd.workers = min(2, os.cpu_count() or 1)  # parse processes, used for batches of thousands only
    seeded = 0
    t_seed = 0.0
    parsed = None
    mark = None
    other: dict[str, int] = {}
    if docs:
        dated = [d.published for d in docs if d.published]
        since = config.window_start(min(dated)) if dated else None  # the window is DedupConfig's
        with wh.reader(warehouse) as con:
            # the loads these decisions see: a load under another mark decides again (`load_stage`);
            # a shared index (Redis) sees every run's articles before they are loaded
            mark = wh.load_mark(con) if isinstance(dd.index, MemoryIndex) else None
            other = wh.other_configs(con, since, fp) if replacing is None else {}
            if replacing is None:
                stored = wh.known_article_ids(con, [d.id for d in docs])
                docs = [d for d in docs if d.id not in stored]
            parsed = dd._parse(docs)
            if con is not None and docs:
                # only the stored articles these can match, and sentence aggregates over the rest:
                # the cost follows the new articles, not the warehouse
                ts = time.monotonic()
                state = wh.DedupState(con, since, fp, config.sentence_candidate_max_postings,
                                      exclude=sorted({*(replacing or ()), *(d.id for d in docs)})
                                      if replacing is not None else revised_articles,
                                      renamed={r["was"]: new for new, r in (meta.get("renamed") or {}).items()})
                seeded = dd.seed_for(state, docs, parsed)
                t_seed = time.monotonic() - ts
    results = dd.add(docs, parsed) if docs else []
    by_id = {d.id: d for d in docs}
    clusters = [{"article_id": res.id, "cluster_id": res.cluster_id, "decision": res.kind,
                 "matched_article_id": res.matched_id, "similarity": res.similarity,
                 "estimated_similarity": res.estimated_similarity, "skipped": res.skipped,
                 "config_fingerprint": fp, "run_id": run_id} for res in results]
    left_cluster = 0
    if revised:
        with wh.reader(warehouse) as con:
            left_cluster = revisions.cluster_notes(con, clusters, revised)
    sigs, bands = [], []
    sent_cols: dict[str, list[Any]] = {k: [] for k in ("article_id", "position", "sentence_hash", "text",
                                                       "repeated_within", "repeated_across", "boilerplate")}
    n_bands = config.lsh_params[0]
    rev_cols: dict[str, list[Any]] = {k: [] for k in sent_cols}
    rev_sigs, rev_bands = [], []
    for res in results:
        d = by_id[res.id]
        # a revision's records go apart (`revised/`): the load keeps them only if it keeps the revision
        is_rev = res.id in revised
        aid = revised[res.id]["article_id"] if is_rev else res.id
        cols, sig_rows, band_rows = (rev_cols, rev_sigs, rev_bands) if is_rev else (sent_cols, sigs, bands)
        sig_rows.append({"article_id": aid, "source": d.source, "published_at": _utc(d.published),
                     "content_hash": res.content_hash, "signature": res.signature, "config_fingerprint": fp,
                     "shingles": res.shingles_bytes(),
                     "shingle_counts": res.shingle_counts.tolist() if res.shingle_counts is not None else None,
                     "sentence_hashes": res.sentence_hashes.tolist()})
        if res.band_keys is not None:
            band_rows.append((aid, res.band_keys))
        n = len(res.sentence_hashes)
        cols["article_id"] += [aid] * n
        cols["position"] += range(n)
        cols["sentence_hash"] += [f"{h:016x}" for h in res.sentence_hashes.tolist()]
        cols["text"] += res.sentence_texts()
        cols["repeated_within"] += res.within_counts.tolist()
        cols["repeated_across"] += res.across_counts.tolist()
        cols["boilerplate"] += res.boilerplate.tolist()

    def stage(sub: Path, cols: dict[str, list[Any]], sig_rows: list[dict[str, Any]], band_rows: list[Any],
              cluster_rows: list[dict[str, Any]]) -> None:
        cols["run_id"] = [run_id] * len(cols["article_id"])
        write_table(pa.table(cols, schema=SENTENCE_SCHEMA), sub / "sentences" / "dedup.parquet")
        write_table(pa.table({
            "band": np.tile(np.arange(n_bands, dtype=np.int32), len(band_rows)),
            "key": np.concatenate([k for _, k in band_rows]) if band_rows else np.zeros(0, dtype=np.uint64),
            "article_id": [i for i, _ in band_rows for _ in range(n_bands)],
        }, schema=BANDS_SCHEMA), sub / "bands" / "dedup.parquet")
        write_rows(cluster_rows, CLUSTER_SCHEMA, sub / "clusters" / "dedup.parquet")
        write_rows(sig_rows, SIGNATURE_SCHEMA, sub / "signatures" / "dedup.parquet")

    rev_ids = {r["article_id"] for r in revised.values()}
    stage(Path(run_dir), sent_cols, sigs, bands, [c for c in clusters if c.get("revision") is None])
    if revised:
        stage(Path(run_dir) / "revised", rev_cols, rev_sigs, rev_bands,
              [c for c in clusters if c.get("revision") is not None])
    new_results = [r for r in results if r.id not in revised]
    per_source: dict[str, dict[str, int]] = {}
    for res in new_results:
        if res.kind in ("exact", "near"):
            counts = per_source.setdefault(by_id[res.id].source, {"exact": 0, "near": 0})
            counts[res.kind] += 1
    summary = {
        "articles": len(new_results), "seeded": seeded, "config_fingerprint": fp, "per_source": per_source,
        "exact": sum(1 for r in new_results if r.kind == "exact"),
        "near": sum(1 for r in new_results if r.kind == "near"),
        "repeated_within": sum(int((r.within_counts > 1).sum()) for r in new_results),
        "repeated_across": sum(int((r.across_counts > 0).sum()) for r in new_results),
        "revisions": len(rev_ids), "revisions_left_cluster": left_cluster,
        "seconds": round(time.monotonic() - t0, 2), "seed_seconds": round(t_seed, 3),
    }
    if mark is not None:
        summary["decided_against"] = mark
    summary["decided_batches"] = staged_inputs(run_dir)
    if replacing is None and (claims["pages"] or claims["adopted"]):
        summary["claims_other_article"] = claims  # pages given their own URL's id when the run's sources met
    if other:
        # A release that changed the dedup config (DedupConfig's fingerprint) left the window's stored
        # articles under the old one: new copies of them were stored as new stories, without a word.
        summary["other_config"] = sum(other.values())
        log.warning("dedup: %d stored articles of the dedup window were deduplicated under another dedup config "
                    "(%s; this release's is %s) and are not compared with new ones: copies of them are taken for "
                    "new stories until `newsdedup reclean` decides them again under this config",
                    summary["other_config"], ", ".join(f"{f}: {n}" for f, n in other.items()), fp)
    write_json(summary, Path(run_dir) / "dedup.json")
    log.info("dedup: %d new articles against %d stored: %d exact and %d near duplicates, "
             "%d sentences repeated within an article, %d repeated across stories",
             summary["articles"], seeded, summary["exact"], summary["near"], summary["repeated_within"],
             summary["repeated_across"])
    if revised:
        log.info("dedup: %d revised article%s decided again against everything stored but themselves; "
                 "%d no longer in the story cluster %s had (said in article_clusters.note)", len(rev_ids),
                 "s" if len(rev_ids) != 1 else "", left_cluster, "they" if len(rev_ids) != 1 else "it")
    for name, counts in sorted(per_source.items()):
        log.info("dedup: %s: %s", name, duplicates_phrase(counts))
    return summary


def staged_inputs(run_dir: str | Path) -> dict[str, str]:
    """The run's staged article and revision batches the dedup stage decides, by content (a digest of
    each file): a batch staged again after the decisions (an ingest task cleared on its own) differs."""
    run_path = Path(run_dir)
    return {f"{sub}/{f.name}": hashlib.sha256(f.read_bytes()).hexdigest()
            for sub in ("articles", "revisions") for f in sorted((run_path / sub).glob("*.parquet"))}


# -------------------------------------------------------------------------------------------- load
def run_summaries(run_dir: str) -> list[dict[str, Any]]:
    """Every planned source's summary: what it staged, its recorded result if the run is already
    loaded, or a failure when its task crashed and staged nothing."""
    meta = read_plan(run_dir)
    with wh.reader(meta["warehouse"]) as con:
        recorded = wh.recorded_run(con, meta["run_id"])
    if recorded is not None:
        return [{**s, "run_dir": str(run_dir)} for s in recorded.get("sources", [])]
    pages = run_claims(run_dir)
    return [with_run_claims(staged_summary(run_dir, src["name"])
                            or failed_source(run_dir, src, "ingest task failed: nothing staged (see its task log)"),
                            pages)
            for src in meta["sources"]]


def staged_summary(run_dir: str, name: str) -> dict[str, Any] | None:
    """The summary of a source this run has staged whole (its state file is written last), else None."""
    f = Path(run_dir) / "sources" / f"{run_key(name)}.json"
    return read_json(f)["summary"] if f.exists() else None


def _run_row(meta: dict[str, Any], source_summaries: list[dict[str, Any]], dedup: dict[str, Any],
             fetch_attempts: int, extra_metrics: dict[str, Any] | None = None) -> dict[str, Any]:
    """A run's `ingest_runs` row (articles_new is filled in by the load, in its transaction)."""
    return {
        "run_id": meta["run_id"],
        "started_at": datetime.fromisoformat(meta["started_at"]) if meta.get("started_at") else None,
        "finished_at": datetime.now(UTC),
        "data_interval_start": meta.get("data_interval_start"),
        "data_interval_end": meta.get("data_interval_end"),
        "sources": len(source_summaries),
        "sources_failed": sum(1 for s in source_summaries if s["status"] != "ok"),
        "entries": sum(s["entries"] for s in source_summaries),
        "new_urls": sum(s["new"] for s in source_summaries),
        "fetch_attempts": fetch_attempts,
        "fetch_failed": sum(s["fetch_failed"] for s in source_summaries),
        "clean_failed": sum(s["clean_failed"] for s in source_summaries),
        "exact_duplicates": dedup.get("exact", 0),
        "near_duplicates": dedup.get("near", 0),
        "repeated_within": dedup.get("repeated_within", 0),
        "repeated_across": dedup.get("repeated_across", 0),
        "config_fingerprint": dedup.get("config_fingerprint"),
        "status": "partial" if any(s["status"] != "ok" for s in source_summaries) else "success",
        # the run's folder under an ASCII locale (UTF-8 mode off) is lone surrogates, which DuckDB's JSON refused
        "metrics": json.dumps(texts_for_writers({"sources": source_summaries, "dedup": dedup, **(extra_metrics or {})}),
                              default=str),
    }


def _adopted_row(entry: dict[str, Any], by: str) -> dict[str, Any]:
    """The `ingest_runs` row of an earlier run whose batches run `by` adopted and loads."""
    folder = Path(entry["run_dir"])
    summaries = run_summaries(str(folder)) if (folder / "plan.json").is_file() else []
    row = _run_row(entry, summaries, {}, entry.get("fetch_attempts", 0),
                   {"adopted_by": by, "via": entry.get("via"), "load_error": entry.get("load_error"),
                    "articles_staged": entry.get("articles", 0)})
    # Its articles count in the adopting run's articles_new: that load added them.
    return {**row, "status": "adopted", "articles_new": 0}


def _restaged_since_decided(run_path: Path) -> bool:
    """Whether the run's staged batches differ from those its dedup stage decided (`staged_inputs`);
    decisions staged by a release that did not record them are taken as they are."""
    decided = read_json(run_path / "dedup.json").get("decided_batches")
    return decided is not None and decided != staged_inputs(run_path)


def _mark_load_failed(run_path: Path, run_id: str, exc: BaseException) -> None:
    """Tell the next run that this run's batches are still to be loaded (best effort: disk may be full)."""
    try:
        write_json({"run_id": run_id, "error": f"{exc.__class__.__name__}: {exc}"[:2000],
                    "at": datetime.now(UTC).isoformat()}, run_path / LOAD_FAILED)
    except OSError as err:
        log.warning("load: could not mark run %s as not loaded (%s): the next run will fetch its pages again",
                    run_id, err)


# How many times a load decides its run's duplicates again when other processes keep loading runs
# between its decisions and its write lock; after that it loads what it decided last.
REDECIDE_MAX = 3


def load_stage(run_dir: str, source_summaries: list[dict[str, Any]] | None = None, replace: bool = False
               ) -> dict[str, Any]:
    """Load the staged run into DuckDB in one transaction and record the run's metrics.

    When the load fails (another process holds the writer lock past the patience, a full disk) the
    staged batches stay: the load task's retry loads them, or else the next run adopts them.
    """
    meta = read_plan(run_dir)
    run_id, warehouse = meta["run_id"], Path(meta["warehouse"])
    run_path = Path(run_dir)
    if (run_path / ADOPTED).exists():
        by = read_json(run_path / ADOPTED).get("adopted_by")
        with wh.reader(warehouse) as con:
            loaded = wh.recorded_run(con, run_id) is not None
        if loaded:
            log.info("load: run %s was loaded by run %s, which adopted its batches; nothing to do", run_id, by)
            return {"run_id": run_id, "added": dict.fromkeys(wh.LOADED_TABLES, 0), "warehouse": str(warehouse),
                    "already_loaded": True}
        raise StagingError(f"run {run_id}: its staged batches were taken over by run {by}, which loads them; "
                           f"nothing is left to load in {run_dir}")
    adopted = meta.get("adopted") or []
    t0 = time.monotonic()
    already = False
    try:
        if source_summaries is None:
            source_summaries = run_summaries(run_dir)
        own_attempts = [f for f in sorted((run_path / "fetch_log").glob("*.parquet"))
                        if not f.name.startswith(ADOPTED_PREFIX)]
        adopted_rows = [_adopted_row(a, run_id) for a in adopted]
        if not replace and not (run_path / "dedup.json").exists():
            # The dedup task never finished (marked success by hand in Airflow): its articles were
            # loaded with no story cluster, signature or sentences, never to be compared again.
            log.warning("load: run %s has no duplicate decisions staged (its dedup did not run); deciding them now",
                        run_id)
            dedup_stage(run_dir)
        elif not replace and _restaged_since_decided(run_path):
            # An ingest task cleared on its own after the dedup task ran (in Airflow, clearing one task
            # does not clear those downstream of it) staged its source's batch again: its pages were
            # loaded under decisions made on the batch it replaced, never checked with the run's other
            # sources (a story claiming another source's canonical URL took its id and was lost), and
            # a page of the new batch had no cluster, signature or sentences.
            log.warning("load: run %s has batches staged again after its duplicates were decided (an ingest task "
                        "cleared on its own?); deciding them again", run_id)
            dedup_stage(run_dir)
        for decided in range(REDECIDE_MAX + 1):
            dedup = read_json(run_path / "dedup.json") if (run_path / "dedup.json").exists() else {}
            # with what the dedup stage's run-wide claims check found (it may have run only just now)
            pages = run_claims(run_dir)
            extra = {"adopted": [{"run_id": a["run_id"], "articles": a["articles"]} for a in adopted]} if adopted else {}
            if meta.get("skipped"):  # listed, left out as repeats: a later run without them says so
                extra["skipped"] = meta["skipped"]
            run_row = _run_row(meta, [with_run_claims(s, pages) for s in source_summaries], dedup,
                               count_rows(own_attempts), extra or None)
            stale = None
            with wh.writer(warehouse) as con:
                # Checked under the write lock: the run row commits with the run's data, so its presence
                # means everything is there. Loading again would rewrite fetch_log and timestamps; a
                # cleared run must leave the warehouse exactly as it was.
                if not replace and wh.recorded_run(con, run_id) is not None:
                    already = True
                    added = dict.fromkeys(wh.LOADED_TABLES, 0)
                elif replace and meta.get("read_mark") is not None and wh.load_mark(con) != meta["read_mark"]:
                    # a reclean: a run loaded after it read the records it replaces (`reclean`)
                    then, now = meta["read_mark"], wh.load_mark(con)
                    raise wh.WarehouseChanged(
                        f"the warehouse changed after {run_id} read it (a run's load or a retention: runs "
                        f"recorded, signatures and raw pages {then[0]}, {then[2:]} then, {now[0]}, {now[2:]} now)")
                elif (not replace and decided < REDECIDE_MAX and dedup.get("decided_against") is not None
                      and (now := wh.load_mark(con)) != dedup["decided_against"]):
                    stale = now  # nothing written: the writer publishes the snapshot the new decisions read
                else:
                    renamed = {new: r["was"] for new, r in (meta.get("renamed") or {}).items()}
                    if not replace:
                        from newsdedup.urls import strip_credentials

                        later = wh.renamed_since(con, [(s["name"], strip_credentials(s["url"]))
                                                       for s in meta.get("sources") or [] if s["name"] not in renamed])
                        for new, old in sorted(later.items()):
                            log.warning("load: source %s was renamed %s by a run loaded after this one was planned "
                                        "(same URL): this run's rows are stored under %s", old, new, new)
                        renamed.update(later)
                    added = wh.load_run(con, run_path, run_row, replace=replace, other_runs=adopted_rows,
                                        renamed=renamed)
            if stale is None:
                break
            # Another process loaded runs after this one was deduplicated (`newsdedup run` beside the
            # DAG, a second deployment on the file): the decisions missed their articles, and copies
            # of one story fetched by both runs were each stored as its canonical.
            log.info("load: the warehouse took other loads after run %s was deduplicated (runs recorded: %d "
                     "then, %d now); deciding its duplicates again against them", run_id,
                     dedup["decided_against"][0], stale[0])
            dedup_stage(run_dir)
    except BaseException as exc:
        # KeyboardInterrupt and SystemExit too (Ctrl-C, a SIGTERM made an exception): without the
        # marker the next run fetched every page of this one again. A stop that comes after the
        # commit is harmless: the next run sees the run recorded and adopts nothing.
        if not replace:
            _mark_load_failed(run_path, run_id, exc)
        if isinstance(exc, wh.WarehouseLocked):
            raise wh.WarehouseLocked(
                f"load of run {run_id}: {exc} Nothing was loaded: the run's staged batches stay in {run_dir}; "
                "the load task's retry, or the next run, loads them without fetching again.") from exc
        raise
    (run_path / LOAD_FAILED).unlink(missing_ok=True)
    if already:
        log.info("load: run %s is already in %s; nothing written (the warehouse is unchanged)", run_id, warehouse)
        return {"run_id": run_id, "added": added, "warehouse": str(warehouse), "already_loaded": True}
    if adopted:
        log.info("load: loaded the staged batches of %d earlier run(s) with this one: %s", len(adopted),
                 ", ".join(f"{a['run_id']} ({a['articles']} articles)" for a in adopted))
    log.info("load: %s into %s in %.2fs", ", ".join(f"{k} +{v}" for k, v in added.items()), warehouse,
             time.monotonic() - t0)
    return {"run_id": run_id, "added": added, "warehouse": str(warehouse)}


def report(run_dir: str, source_summaries: list[dict[str, Any]], load_result: dict[str, Any]) -> str:
    """The run's summary, as text for the task log and the CLI."""
    meta = read_plan(run_dir)
    dedup = read_json(Path(run_dir) / "dedup.json")
    summary = RunSummary(run_id=meta["run_id"], sources=source_summaries, dedup=dedup,
                         added=load_result["added"], warehouse=load_result["warehouse"],
                         adopted=meta.get("adopted") or [])
    if load_result.get("already_loaded"):
        return (f"newsdedup run {meta['run_id']} was already loaded: re-used its recorded result, "
                f"the warehouse is unchanged\n" + summary.text())
    return summary.text()


def ingest_sources(run_dir: str, sources: list[dict[str, Any]] | list[str], *, reuse_staged: bool = False
                   ) -> list[dict[str, Any] | Exception]:
    """Read several sources of a run one after the other, as `newsdedup run` and a mapped task given a
    share of the sources do: each source's summary, or the exception it failed with (logged), in order.

    One snapshot reader serves them all (reopened only when a load publishes meanwhile) and is closed
    before returning: the load then reads what it publishes, not the file this process had open. A
    source that fails does not stop the others; a StagingError does (the run's folder is gone: no source
    can stage anything). With `reuse_staged` (a retried task), a source this run has staged whole is
    not read again.
    """
    out: list[dict[str, Any] | Exception] = []
    with wh.Snapshot(read_plan(run_dir)["warehouse"]) as snap:
        for src in sources:
            name = src if isinstance(src, str) else src["name"]
            if reuse_staged and (staged := staged_summary(run_dir, name)) is not None:
                log.info("%s: staged by an earlier try of this task; not read again", name)
                out.append(staged)
                continue
            try:
                out.append(ingest_source(run_dir, src, snap))
            except StagingError:
                raise
            except Exception as exc:  # one source's bug must not stop the others
                log.exception("%s: ingest failed", name)
                out.append(exc)
        log.debug("run folder %s: %d sources read the warehouse snapshot through %d connection%s", run_dir,
                  len(sources), snap.opens, "s" if snap.opens != 1 else "")
    return out


def run_pipeline(sources_file: str | None = None, warehouse: str | None = None, staging: str | None = None,
                 run_id: str | None = None) -> RunSummary:
    """One run without Airflow: the same stages the DAG runs, in sequence."""
    run_id = run_id or "cli__" + datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    ref = plan(run_id, sources_file=sources_file, staging=staging, warehouse=warehouse)
    summaries = [outcome if isinstance(outcome, dict)
                 else failed_source(ref["run_dir"], src, f"{outcome.__class__.__name__}: {outcome}")
                 for src, outcome in zip(ref["sources"], ingest_sources(ref["run_dir"], ref["sources"]), strict=True)]
    dedup = dedup_stage(ref["run_dir"])
    loaded = load_stage(ref["run_dir"], summaries)
    pages = run_claims(ref["run_dir"])  # pages the run-wide claims check gave their own URL's id
    summaries = [with_run_claims(s, pages) for s in summaries]
    return RunSummary(run_id=run_id, sources=summaries, dedup=dedup, added=loaded["added"],
                      warehouse=loaded["warehouse"], adopted=read_plan(ref["run_dir"]).get("adopted") or [])


def _rebuilt_revision(row: dict[str, Any], revision: int) -> dict[str, Any]:
    """A stored revision as a reclean rebuilt it (its `article_revisions` fields)."""
    from newsdedup.dedup.text import text_hash

    return {"article_id": row["article_id"], "revision": revision, "title": row["title"], "text": row["text"],
            "content_hash": text_hash(row["text"]) if row["text"] else None, "word_count": row["word_count"],
            "clean_error": row["clean_error"]}


def reclean(warehouse: str | None = None, staging: str | None = None) -> RunSummary:
    """Re-run clean and dedup over every stored raw page, replacing the stored records.

    Each page goes through `make_article_row` with the inputs ingest used (raw bytes, Content-Type,
    status, final URL, fetch time, the entry's title and date), and dedup decides the recleaned
    articles against everything else the warehouse holds in the window, the way a run would: an
    article whose raw page is gone (retention deletes them) keeps its record and still counts.

    Pages are recleaned without their source's template (`clean.template`): the template is learnt
    from the stored texts this replaces, so applying it here would take it out of what the next
    reclean learns from, and recleans would undo each other. Later batches apply it again.
    """
    wpath = wh.main_path(warehouse)  # a path that names no file: the message, before anything is looked at
    if not wpath.exists():
        raise wh.WarehouseMissing(f"no warehouse at {wpath}: nothing to reclean")
    with wh.writer(wpath):
        pass  # migrated (the columns of 003 this reads) and its snapshot published
    for attempt in range(1, RECLEAN_ATTEMPTS + 1):
        run_id = "reclean__" + datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        run_dir = staging_dir(staging) / run_key(run_id)
        try:
            return _reclean(wpath, run_id, run_dir)
        except wh.WarehouseChanged as exc:
            shutil.rmtree(run_dir, ignore_errors=True)  # nothing of it was loaded
            if attempt == RECLEAN_ATTEMPTS:
                raise wh.WarehouseError(
                    f"reclean: {exc}, on each of {RECLEAN_ATTEMPTS} attempts; nothing was replaced. Run it again "
                    "when no run loads (pause the ingest DAG while it runs)") from exc
            log.warning("reclean: %s; nothing was replaced: reading the warehouse again (attempt %d of %d)", exc,
                        attempt + 1, RECLEAN_ATTEMPTS)
    raise AssertionError("unreachable")


# A reclean reads the warehouse, works for minutes on a large one without holding the lock, then replaces
# the records it read: a run loaded in between (a revision's new headline and text, a new article) was
# written over with what the reclean had read. It starts again instead (`load_stage` checks the mark).
RECLEAN_ATTEMPTS = 3


def _reclean(wpath: Path, run_id: str, run_dir: Path) -> RunSummary:
    from newsdedup.progress import Progress

    run_dir.mkdir(parents=True)
    started = datetime.now(UTC).isoformat()
    with wh.reader(wpath) as con:
        read_mark = wh.load_mark(con)  # the loads the pages read here come from (checked by `load_stage`)
        # every stored version's raw page: the one the article shows is rebuilt as its record, and
        # every one as its `article_revisions` row (what changed between them is computed again)
        pages = con.execute(
            "SELECT a.article_id, a.source, r.url, r.final_url, r.path, r.fetched_at, r.content_type, "
            "r.http_status, r.entry_title, r.entry_published_at, r.entry_date_note, r.revision, "
            "r.revision = coalesce(a.revision, 1), r.link_canonical "
            "FROM raw_pages r JOIN articles a ON a.article_id = r.article_id ORDER BY a.article_id, r.revision"
        ).fetchall()
    write_json({"run_id": run_id, "run_dir": str(run_dir), "warehouse": str(wpath.absolute()), "sources_file": None,
                "settings": asdict(Settings()), "sources": [], "started_at": started, "read_mark": read_mark},
               run_dir / "plan.json")
    rows: list[dict[str, Any]] = []
    rebuilt: list[dict[str, Any]] = []
    summaries: dict[str, dict[str, Any]] = {}
    with Progress("reclean", total=len(pages)) as bar:
        for (article_id, source, url, final_url, rel, fetched_at, ctype, status, entry_title, entry_published,
             entry_note, revision, shown, linked) in pages:
            bar.advance()
            if not shown:
                try:
                    raw = wh.read_raw_page(wpath, rel)
                except (OSError, EOFError):
                    continue  # the stored revision row stays as it is
                old = make_article_row(PageInput(
                    source=source, url=url, final_url=final_url, raw=raw, content_type=ctype, http_status=status,
                    fetched_at=fetched_at, entry_title=entry_title, entry_published=entry_published,
                    entry_date_note=entry_note, article_id=article_id, link_canonical=linked), run_id=run_id,
                    raw_path=rel)
                rebuilt.append(_rebuilt_revision(old, revision))
                continue
            # one summary per real source, so the dedup counts (keyed by source) line up with them
            if source not in summaries:
                summaries[source] = source_summary(run_dir, source, "raw_pages", dates_ignored=Counter())
            summary = summaries[source]
            summary["entries"] += 1
            try:
                raw = wh.read_raw_page(wpath, rel)
            except (OSError, EOFError) as exc:
                summary["fetch_failed"] += 1
                summary["fetch_errors"]["raw_page_unreadable"] += 1
                log.info("reclean: raw page %s for %s unreadable (%s); keeping the stored record", rel, url,
                         exc.__class__.__name__)
                continue
            row = make_article_row(PageInput(
                source=source, url=url, final_url=final_url, raw=raw, content_type=ctype, http_status=status,
                fetched_at=fetched_at, entry_title=entry_title, entry_published=entry_published,
                entry_date_note=entry_note, article_id=article_id, link_canonical=linked), run_id=run_id,
                raw_path=rel)
            rows.append(row)
            rebuilt.append(_rebuilt_revision(row, revision))
            summary["new"] += 1
            if row["clean_error"]:
                summary["clean_failed"] += 1
                summary["clean_errors"][row["clean_error"]] += 1
            for origin in _date_origins(row["date_note"]):
                summary["dates_ignored"][origin] += 1
    write_rows(rows, ARTICLE_SCHEMA, run_dir / "articles" / "reclean.parquet")
    write_rows(rebuilt, REBUILT_SCHEMA, run_dir / "revisions_rebuilt" / "reclean.parquet")
    kept = sum(s["fetch_failed"] for s in summaries.values())
    if kept:
        log.warning("reclean: %d stored articles have no readable raw page; their records are kept and "
                    "the recleaned articles are compared with them", kept)
    dedup = dedup_stage(str(run_dir), replacing=[r["article_id"] for r in rows])
    listed = [summaries[k] for k in sorted(summaries)]
    loaded = load_stage(str(run_dir), listed, replace=True)
    return RunSummary(run_id=run_id, sources=listed, dedup=dedup, added=loaded["added"], warehouse=str(wpath))
