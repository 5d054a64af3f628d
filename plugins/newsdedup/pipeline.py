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
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newsdedup import warehouse as wh
from newsdedup.config import Settings, SourceSpec, load_sources, staging_dir, warehouse_path
from newsdedup.record import Entry, FetchAttempt
from newsdedup.staging import (
    ARTICLE_SCHEMA,
    BANDS_SCHEMA,
    CLUSTER_SCHEMA,
    FETCH_LOG_SCHEMA,
    SENTENCE_SCHEMA,
    SIGNATURE_SCHEMA,
    read_json,
    read_plan,
    read_rows,
    run_key,
    write_json,
    write_rows,
    write_table,
)
from newsdedup.summary import RunSummary, duplicates_phrase, failed_source, source_line

log = logging.getLogger(__name__)


def _utc(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


# --------------------------------------------------------------------------------------------- plan
def plan(run_id: str, sources_file: str | None = None, staging: str | None = None,
         warehouse: str | None = None, data_interval: tuple[datetime | None, datetime | None] = (None, None)
         ) -> dict[str, Any]:
    """Read and validate the sources file; create the run's staging folder; return the run reference."""
    cfg = load_sources(sources_file)
    run_dir = staging_dir(staging) / run_key(run_id)
    # A cleared and re-run DAG run starts from a clean folder: nothing of the earlier attempt leaks in.
    if run_dir.exists():
        shutil.rmtree(run_dir)
    run_dir.mkdir(parents=True)
    meta = {
        "run_id": run_id,
        "run_dir": str(run_dir),
        "warehouse": str(warehouse_path(warehouse)),
        "sources_file": cfg.path,
        "settings": asdict(cfg.settings),
        "sources": [s.to_dict() for s in cfg.sources],
        "started_at": datetime.now(UTC).isoformat(),
        "data_interval_start": data_interval[0].isoformat() if data_interval[0] else None,
        "data_interval_end": data_interval[1].isoformat() if data_interval[1] else None,
    }
    write_json(meta, run_dir / "plan.json")
    log.info("run %s: %d sources from %s", run_id, len(cfg.sources), cfg.path)
    return {"run_id": run_id, "run_dir": str(run_dir), "sources": meta["sources"]}


# ----------------------------------------------------------------------------------- ingest source
def _attempt_row(run_id: str, source: str, purpose: str, a: FetchAttempt) -> dict[str, Any]:
    return {
        "run_id": run_id, "source": source, "purpose": purpose, "url": a.url, "final_url": a.final_url,
        "status": a.status, "error": a.error, "detail": a.detail, "bytes": a.bytes,
        "elapsed_ms": a.elapsed_ms, "attempt": a.attempt, "fetched_at": _utc(a.fetched_at),
    }


def make_article_row(*, source: str, url: str, final_url: str | None, html: str | bytes, raw: bytes,
                     fetched_at: datetime, run_id: str, warehouse: Path, content_type: str | None,
                     http_status: int | None, entry: Entry | None = None,
                     template: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Clean one page and build its `articles` row (a failed clean keeps its reason).

    The feed entry's title and date fill in what the page itself does not say.
    """
    from newsdedup.clean import extract
    from newsdedup.urls import canonicalize_url, url_id

    page_url = final_url or url
    try:
        ex = extract(html, page_url, template=template)
    except Exception as exc:  # extract promises not to raise; if it ever does, keep the page as failed
        log.exception("clean: extractor raised on %s", page_url)
        from newsdedup.record import Extraction

        ex = Extraction(error=f"extractor_crash: {exc.__class__.__name__}")
    canonical = page_url
    if ex.canonical_url and ex.canonical_url.startswith(("http://", "https://")):
        canonical = ex.canonical_url
    canonical = canonicalize_url(canonical)
    text = ex.text if not ex.error else ""
    uid = url_id(canonicalize_url(page_url))
    published = ex.published or (entry.published if entry else None)
    title = ex.title or (entry.title if entry else None)
    return {
        "article_id": url_id(canonical), "url": canonicalize_url(url), "canonical_url": canonical,
        "source": source, "title": title, "authors": list(ex.authors),
        "published_at": _utc(published), "published_text": published.isoformat() if published else None,
        "updated_at": _utc(ex.updated), "language": ex.language, "text": text,
        "word_count": len(text.split()), "content_hash": None,  # set at load from the dedup stage's normalised-text hash
        "clean_error": ex.error, "fetched_at": _utc(fetched_at), "run_id": run_id, "url_id": uid,
        "final_url": final_url, "content_type": content_type, "http_status": http_status, "bytes": len(raw),
        "sha1": hashlib.sha1(raw).hexdigest(), "raw_path": wh.store_raw_page(warehouse, uid, raw),
    }


def ingest_source(run_dir: str, source: dict[str, Any]) -> dict[str, Any]:
    """Discover a source's entries, fetch the new ones, clean them; stage the batch as Parquet."""
    from newsdedup.clean.template import source_template
    from newsdedup.fetch import Fetcher
    from newsdedup.sources import SourceState, discover
    from newsdedup.urls import canonicalize_url

    meta = read_plan(run_dir)
    run_id, warehouse = meta["run_id"], Path(meta["warehouse"])
    settings = Settings(**meta["settings"])
    spec = SourceSpec.from_dict(source)
    t0 = time.monotonic()
    with wh.reader(warehouse) as con:
        recorded = wh.recorded_run(con, run_id)
        prior = wh.source_states(con).get(spec.name)
        template = source_template(con, spec.name)  # the source's repeated lines, dropped from new bodies
    done = next((x for x in (recorded or {}).get("sources", []) if x.get("source") == spec.name), None)
    if done is not None:
        # A cleared task of a run that is already loaded: fetching again would only produce
        # different fetch timestamps that the load must not write, so report what was recorded.
        log.info("%s: run %s is already loaded; re-using its recorded result, fetching nothing", spec.name,
                 run_id)
        log.info("%s", source_line(done))
        return {**done, "run_dir": str(run_dir)}
    state = SourceState.from_dict(prior) if prior else None

    fetch_rows: list[dict[str, Any]] = []
    articles: list[dict[str, Any]] = []
    summary: dict[str, Any] = {"run_dir": str(run_dir), "source": spec.name, "kind": spec.kind, "status": "ok", "error": None,
                               "entries": 0, "new": 0, "already_known": 0, "fetched": 0, "fetch_failed": 0,
                               "fetch_errors": {}, "clean_failed": 0, "not_modified": False}
    with Fetcher(settings) as fetcher:
        disc = discover(spec, settings, fetcher, state)
        summary["kind"] = disc.kind
        purpose = "file" if disc.kind in ("dir", "warc") else "feed"
        fetch_rows += [_attempt_row(run_id, spec.name, purpose, a) for a in disc.attempts]
        summary["not_modified"] = disc.not_modified
        if disc.error:
            summary.update(status="failed", error=disc.error)
            log.warning("%s: source failed: %s", spec.name, disc.error)
        entries = {}
        for e in disc.entries:
            entries.setdefault(canonicalize_url(e.url), e)
        summary["entries"] = len(entries)
        with wh.reader(warehouse) as con:
            known = wh.known_urls(con, list(entries))
        new = {u: e for u, e in entries.items() if u not in known}
        summary["already_known"] = len(entries) - len(new)
        summary["new"] = len(new)

        now = datetime.now(UTC)
        with_body = {u: e for u, e in new.items() if e.body is not None}
        for u, e in with_body.items():
            articles.append(make_article_row(
                source=spec.name, url=u, final_url=u, html=e.body, raw=e.body, fetched_at=now, run_id=run_id,
                warehouse=warehouse, content_type=e.content_type, http_status=None, entry=e, template=template))
        to_fetch = [u for u in new if u not in with_body]
        from newsdedup.progress import Progress

        with Progress(f"{spec.name}: fetch", total=len(to_fetch)) as bar:
            for res in fetcher.fetch_many(to_fetch, accept="html"):
                bar.advance()
                fetch_rows += [_attempt_row(run_id, spec.name, "page", a) for a in res.attempts]
                if res.error or res.body is None:
                    summary["fetch_failed"] += 1
                    err = res.error or "no_body"
                    summary["fetch_errors"][err] = summary["fetch_errors"].get(err, 0) + 1
                    continue
                summary["fetched"] += 1
                fetched_at = res.attempts[-1].fetched_at if res.attempts else now
                articles.append(make_article_row(
                    source=spec.name, url=res.url, final_url=res.final_url, html=res.text(), raw=res.body,
                    fetched_at=fetched_at, run_id=run_id, warehouse=warehouse,
                    content_type=res.content_type, http_status=res.status, entry=new.get(res.url), template=template))

        fetch_rows += [_attempt_row(run_id, spec.name, "robots", a) for a in fetcher.drain_side_attempts()]

    # The page's rel=canonical may name an article stored earlier under another URL: not twice.
    with wh.reader(warehouse) as con:
        stored = wh.known_article_ids(con, [a["article_id"] for a in articles])
    summary["already_known"] += sum(1 for a in articles if a["article_id"] in stored)
    articles = [a for a in articles if a["article_id"] not in stored]
    summary["clean_failed"] = sum(1 for a in articles if a["clean_error"])
    summary["articles"] = len(articles)
    name = run_key(spec.name)
    write_rows(fetch_rows, FETCH_LOG_SCHEMA, Path(run_dir) / "fetch_log" / f"{name}.parquet")
    write_rows(articles, ARTICLE_SCHEMA, Path(run_dir) / "articles" / f"{name}.parquet")
    write_json({"name": spec.name, "url": spec.url, "kind": disc.kind, "state": disc.state.to_dict(),
                 "status": summary["status"], "error": summary["error"], "summary": summary},
                Path(run_dir) / "sources" / f"{name}.json")
    summary["seconds"] = round(time.monotonic() - t0, 2)
    log.info("%s", source_line(summary))
    return summary


# ------------------------------------------------------------------------------------------- dedup
def dedup_stage(run_dir: str, rebuild: bool = False) -> dict[str, Any]:
    """Decide exact/near duplicates and repeated sentences of the run's new articles against the
    warehouse (within the window) and against each other; stage the decisions as Parquet.

    With `rebuild` the staged articles replace what is stored: nothing is seeded or skipped.
    """
    import numpy as np

    from newsdedup import lshstore
    from newsdedup.dedup import DedupConfig, DedupDoc

    meta = read_plan(run_dir)
    run_id, warehouse = meta["run_id"], Path(meta["warehouse"])
    settings = Settings(**meta["settings"])
    rows = [r for r in read_rows(Path(run_dir) / "articles") if not r["clean_error"] and r["text"]]
    seen: set[str] = set()
    docs = []
    for r in sorted(rows, key=lambda r: r["article_id"]):
        if r["article_id"] in seen:
            continue
        seen.add(r["article_id"])
        docs.append(DedupDoc(id=r["article_id"], source=r["source"], published=r["published_at"],
                             title=r["title"] or "", text=r["text"]))
    config = DedupConfig()
    fp = config.fingerprint()
    if not rebuild:
        with wh.reader(warehouse) as con:
            recorded = wh.recorded_run(con, run_id)
        if recorded is not None:
            summary = dict(recorded.get("dedup") or {})
            write_json(summary, Path(run_dir) / "dedup.json")
            log.info("dedup: run %s is already loaded; re-using its recorded decisions", run_id)
            return summary
    t0 = time.monotonic()
    dd = lshstore.deduplicator(config)  # the LSH index in Redis when NEWSDEDUP_LSH_REDIS_URL is set
    dd.workers = min(2, os.cpu_count() or 1)  # parse processes, used for batches of thousands only
    seeded = 0
    t_seed = 0.0
    parsed = None
    if docs and not rebuild:
        dated = [d.published for d in docs if d.published]
        since = (min(dated) - timedelta(days=settings.dedup_window_days)) if dated else None
        with wh.reader(warehouse) as con:
            stored = wh.known_article_ids(con, [d.id for d in docs])
            docs = [d for d in docs if d.id not in stored]
            parsed = dd._parse(docs)
            if con is not None and docs:
                # only the stored articles these can match, and sentence aggregates over the rest:
                # the cost follows the new articles, not the warehouse
                ts = time.monotonic()
                state = wh.DedupState(con, since, fp, config.sentence_candidate_max_postings)
                seeded = dd.seed_for(state, docs, parsed)
                t_seed = time.monotonic() - ts
    results = dd.add(docs, parsed) if docs else []
    by_id = {d.id: d for d in docs}
    clusters, sigs, bands = [], [], []
    sent_cols: dict[str, list[Any]] = {k: [] for k in ("article_id", "position", "sentence_hash", "text",
                                                       "repeated_within", "repeated_across", "boilerplate")}
    n_bands = config.lsh_params[0]
    for res in results:
        d = by_id[res.id]
        clusters.append({"article_id": res.id, "cluster_id": res.cluster_id, "decision": res.kind,
                         "matched_article_id": res.matched_id, "similarity": res.similarity,
                         "estimated_similarity": res.estimated_similarity, "skipped": res.skipped,
                         "config_fingerprint": fp, "run_id": run_id})
        sigs.append({"article_id": res.id, "source": d.source, "published_at": _utc(d.published),
                     "content_hash": res.content_hash, "signature": res.signature, "config_fingerprint": fp,
                     "shingles": res.shingles_bytes(),
                     "shingle_counts": res.shingle_counts.tolist() if res.shingle_counts is not None else None,
                     "sentence_hashes": res.sentence_hashes.tolist()})
        if res.band_keys is not None:
            bands.append((res.id, res.band_keys))
        n = len(res.sentence_hashes)
        sent_cols["article_id"] += [res.id] * n
        sent_cols["position"] += range(n)
        sent_cols["sentence_hash"] += [f"{h:016x}" for h in res.sentence_hashes.tolist()]
        sent_cols["text"] += res.sentence_texts()
        sent_cols["repeated_within"] += res.within_counts.tolist()
        sent_cols["repeated_across"] += res.across_counts.tolist()
        sent_cols["boilerplate"] += res.boilerplate.tolist()
    sent_cols["run_id"] = [run_id] * len(sent_cols["article_id"])
    write_table(pa.table(sent_cols, schema=SENTENCE_SCHEMA), Path(run_dir) / "sentences" / "dedup.parquet")
    write_table(pa.table({
        "band": np.tile(np.arange(n_bands, dtype=np.int32), len(bands)),
        "key": np.concatenate([k for _, k in bands]) if bands else np.zeros(0, dtype=np.uint64),
        "article_id": [i for i, _ in bands for _ in range(n_bands)],
    }, schema=BANDS_SCHEMA), Path(run_dir) / "bands" / "dedup.parquet")
    write_rows(clusters, CLUSTER_SCHEMA, Path(run_dir) / "clusters" / "dedup.parquet")
    write_rows(sigs, SIGNATURE_SCHEMA, Path(run_dir) / "signatures" / "dedup.parquet")
    per_source: dict[str, dict[str, int]] = {}
    for res in results:
        if res.kind in ("exact", "near"):
            counts = per_source.setdefault(by_id[res.id].source, {"exact": 0, "near": 0})
            counts[res.kind] += 1
    summary = {
        "articles": len(results), "seeded": seeded, "config_fingerprint": fp, "per_source": per_source,
        "exact": sum(1 for r in results if r.kind == "exact"),
        "near": sum(1 for r in results if r.kind == "near"),
        "repeated_within": sum(int((r.within_counts > 1).sum()) for r in results),
        "repeated_across": sum(int((r.across_counts > 0).sum()) for r in results),
        "seconds": round(time.monotonic() - t0, 2), "seed_seconds": round(t_seed, 3),
    }
    write_json(summary, Path(run_dir) / "dedup.json")
    log.info("dedup: %d new articles against %d stored: %d exact and %d near duplicates, "
             "%d sentences repeated within an article, %d repeated across stories",
             summary["articles"], seeded, summary["exact"], summary["near"], summary["repeated_within"],
             summary["repeated_across"])
    for name, counts in sorted(per_source.items()):
        log.info("dedup: %s: %s", name, duplicates_phrase(counts))
    return summary


# -------------------------------------------------------------------------------------------- load
def run_summaries(run_dir: str) -> list[dict[str, Any]]:
    """Every planned source's summary: what it staged, its recorded result if the run is already
    loaded, or a failure when its task crashed and staged nothing."""
    meta = read_plan(run_dir)
    with wh.reader(meta["warehouse"]) as con:
        recorded = wh.recorded_run(con, meta["run_id"])
    if recorded is not None:
        return [{**s, "run_dir": str(run_dir)} for s in recorded.get("sources", [])]
    out = []
    for src in meta["sources"]:
        f = Path(run_dir) / "sources" / f"{run_key(src['name'])}.json"
        if f.exists():
            out.append(read_json(f)["summary"])
        else:
            out.append(failed_source(run_dir, src, "ingest task failed: nothing staged (see its task log)"))
    return out


def load_stage(run_dir: str, source_summaries: list[dict[str, Any]] | None = None, replace: bool = False
               ) -> dict[str, Any]:
    """Load the staged run into DuckDB in one transaction and record the run's metrics."""
    meta = read_plan(run_dir)
    run_id, warehouse = meta["run_id"], Path(meta["warehouse"])
    run_path = Path(run_dir)
    if source_summaries is None:
        source_summaries = run_summaries(run_dir)
    dedup = read_json(run_path / "dedup.json") if (run_path / "dedup.json").exists() else {}
    run_row = {
        "run_id": run_id,
        "started_at": datetime.fromisoformat(meta["started_at"]),
        "finished_at": datetime.now(UTC),
        "data_interval_start": meta.get("data_interval_start"),
        "data_interval_end": meta.get("data_interval_end"),
        "sources": len(source_summaries),
        "sources_failed": sum(1 for s in source_summaries if s["status"] != "ok"),
        "entries": sum(s["entries"] for s in source_summaries),
        "new_urls": sum(s["new"] for s in source_summaries),
        "fetch_attempts": None,
        "fetch_failed": sum(s["fetch_failed"] for s in source_summaries),
        "articles_new": None,
        "clean_failed": sum(s["clean_failed"] for s in source_summaries),
        "exact_duplicates": dedup.get("exact", 0),
        "near_duplicates": dedup.get("near", 0),
        "repeated_within": dedup.get("repeated_within", 0),
        "repeated_across": dedup.get("repeated_across", 0),
        "config_fingerprint": dedup.get("config_fingerprint"),
        "status": "partial" if any(s["status"] != "ok" for s in source_summaries) else "success",
        "metrics": json.dumps({"sources": source_summaries, "dedup": dedup}, default=str),
    }
    fl = sorted((run_path / "fetch_log").glob("*.parquet"))
    run_row["fetch_attempts"] = sum(pq.read_metadata(f).num_rows for f in fl)
    t0 = time.monotonic()
    already = False
    with wh.writer(warehouse) as con:
        # Checked under the write lock: the run row commits with the run's data, so its presence
        # means everything is there. Loading again would rewrite fetch_log and timestamps; a
        # cleared run must leave the warehouse exactly as it was.
        if not replace and wh.recorded_run(con, run_id) is not None:
            already = True
            added = dict.fromkeys(wh.LOADED_TABLES, 0)
        else:
            # articles_new is what this load adds, so a re-load of the same run reports 0, not a lie.
            added = wh.load_run(con, run_path, run_row, replace=replace)
            con.execute("UPDATE ingest_runs SET articles_new = ? WHERE run_id = ?", [added["articles"], run_id])
    if already:
        log.info("load: run %s is already in %s; nothing written (the warehouse is unchanged)", run_id, warehouse)
        return {"run_id": run_id, "added": added, "warehouse": str(warehouse), "already_loaded": True}
    log.info("load: %s into %s in %.2fs", ", ".join(f"{k} +{v}" for k, v in added.items()), warehouse,
             time.monotonic() - t0)
    return {"run_id": run_id, "added": added, "warehouse": str(warehouse)}


def report(run_dir: str, source_summaries: list[dict[str, Any]], load_result: dict[str, Any]) -> str:
    """The run's summary, as text for the task log and the CLI."""
    meta = read_plan(run_dir)
    dedup = read_json(Path(run_dir) / "dedup.json")
    summary = RunSummary(run_id=meta["run_id"], sources=source_summaries, dedup=dedup,
                         added=load_result["added"], warehouse=load_result["warehouse"])
    if load_result.get("already_loaded"):
        return (f"newsdedup run {meta['run_id']} was already loaded: re-used its recorded result, "
                f"the warehouse is unchanged\n" + summary.text())
    return summary.text()


def run_pipeline(sources_file: str | None = None, warehouse: str | None = None, staging: str | None = None,
                 run_id: str | None = None) -> RunSummary:
    """One run without Airflow: the same stages the DAG runs, in sequence."""
    run_id = run_id or "cli__" + datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    ref = plan(run_id, sources_file=sources_file, staging=staging, warehouse=warehouse)
    summaries = []
    for src in ref["sources"]:
        try:
            summaries.append(ingest_source(ref["run_dir"], src))
        except Exception as exc:  # one source's bug must not stop the others
            log.exception("%s: ingest failed", src["name"])
            summaries.append(failed_source(ref["run_dir"], src, f"{exc.__class__.__name__}: {exc}"))
    dedup = dedup_stage(ref["run_dir"])
    loaded = load_stage(ref["run_dir"], summaries)
    return RunSummary(run_id=run_id, sources=summaries, dedup=dedup, added=loaded["added"],
                      warehouse=loaded["warehouse"])


def reclean(warehouse: str | None = None, staging: str | None = None) -> RunSummary:
    """Re-run clean and dedup over every stored raw page, replacing the stored records."""
    from newsdedup.progress import Progress

    run_id = "reclean__" + datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    wpath = warehouse_path(warehouse)
    run_dir = staging_dir(staging) / run_key(run_id)
    run_dir.mkdir(parents=True)
    write_json({"run_id": run_id, "run_dir": str(run_dir), "warehouse": str(wpath), "sources_file": None,
                 "settings": asdict(Settings()), "sources": [], "started_at": datetime.now(UTC).isoformat()},
                run_dir / "plan.json")
    with wh.reader(wpath) as con:
        if con is None:
            raise wh.WarehouseMissing(f"no warehouse at {wpath}: nothing to reclean")
        pages = con.execute(
            "SELECT a.source, a.url, r.final_url, r.path, r.fetched_at, r.content_type, r.http_status "
            "FROM raw_pages r JOIN articles a ON a.url = r.url ORDER BY a.article_id").fetchall()
    rows, missing = [], 0
    with Progress("reclean", total=len(pages)) as bar:
        for source, url, final_url, rel, fetched_at, ctype, status in pages:
            bar.advance()
            try:
                body = wh.read_raw_page(wpath, rel)
            except (OSError, EOFError) as exc:
                missing += 1
                log.warning("reclean: raw page %s for %s unreadable (%s); keeping the stored record", rel, url,
                            exc.__class__.__name__)
                continue
            rows.append(make_article_row(source=source, url=url, final_url=final_url, html=body, raw=body,
                                         fetched_at=fetched_at, run_id=run_id, warehouse=wpath,
                                         content_type=ctype, http_status=status))
    write_rows(rows, ARTICLE_SCHEMA, run_dir / "articles" / "reclean.parquet")
    summary = {"run_dir": str(run_dir), "source": "reclean", "kind": "raw_pages", "status": "ok", "error": None,
               "entries": len(pages), "new": len(rows), "already_known": 0, "fetched": 0,
               "fetch_failed": missing, "fetch_errors": {"raw_page_unreadable": missing} if missing else {},
               "clean_failed": sum(1 for r in rows if r["clean_error"])}
    dedup = dedup_stage(str(run_dir), rebuild=True)
    loaded = load_stage(str(run_dir), [summary], replace=True)
    return RunSummary(run_id=run_id, sources=[summary], dedup=dedup, added=loaded["added"], warehouse=str(wpath))
