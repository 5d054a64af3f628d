"""The offline `newsdedup dedup CORPUS.jsonl` command: one decision line per input document."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from newsdedup.dedup.config import DedupConfig
from newsdedup.dedup.core import DedupDoc, Deduplicator, DocResult, order_key

log = logging.getLogger(__name__)


def _parse_published(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def read_corpus(path: Path, stats: dict[str, int]) -> list[DedupDoc]:
    """Read JSONL docs; bad lines are skipped with a logged reason and counted in `stats`."""
    docs: list[DedupDoc] = []
    ids: set[str] = set()

    def bad(lineno: int, reason: str) -> None:
        stats[f"bad_{reason}"] = stats.get(f"bad_{reason}", 0) + 1
        log.warning("%s:%d: skipped (%s)", path, lineno, reason)

    with path.open(encoding="utf-8", errors="replace") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError:
                bad(lineno, "json")
                continue
            if not isinstance(rec, dict):
                bad(lineno, "not_an_object")
                continue
            doc_id = rec.get("id")
            if not isinstance(doc_id, str | int) or isinstance(doc_id, bool) or str(doc_id) == "":
                bad(lineno, "no_id")
                continue
            doc_id = str(doc_id)
            if doc_id in ids:
                bad(lineno, "duplicate_id")
                continue
            text = rec.get("text")
            if text is None:
                text = ""
            if not isinstance(text, str):
                bad(lineno, "text_not_string")
                continue
            if rec.get("published") and _parse_published(rec.get("published")) is None:
                stats["unparsed_published"] = stats.get("unparsed_published", 0) + 1
            ids.add(doc_id)
            docs.append(DedupDoc(
                id=doc_id, source=str(rec.get("source") or ""), published=_parse_published(rec.get("published")),
                title=str(rec.get("title") or ""), text=text,
            ))
    return docs


def dedup_corpus(corpus_path: Path, out: TextIO, config: DedupConfig | None = None) -> dict[str, int]:
    """Dedup a JSONL corpus in one batch and write the contract's output lines (input order)."""
    stats: dict[str, int] = {}
    t0 = time.perf_counter()
    docs = read_corpus(Path(corpus_path), stats)
    t_read = time.perf_counter()
    tty = sys.stderr.isatty()
    if tty:
        print(f"dedup: {len(docs)} docs read, deciding...", file=sys.stderr, end="\r")
    dd = Deduplicator(config, workers=min(2, os.cpu_count() or 1))
    parsed = dd._parse(docs)
    # the texts are no longer needed once parsed: keep only what the decisions use (peak memory)
    docs = [replace(d, text="") for d in docs]
    results = dd.add(docs, parsed)
    del parsed
    t_add = time.perf_counter()
    cfg, dd_stats = dd.config, dd.stats
    del dd  # the index is not needed for writing: free it before the output pass
    # Across-article repeats over the final clusters: the first docs carrying a syndicated
    # sentence are flagged too, not only the ones that came after it.
    sent_docs: dict[int, int] = {}
    sent_clusters: dict[int, str | None] = {}  # None = seen in two clusters or more
    for r in results:
        for h in {s.sentence_hash for s in r.sentences if s.n_tokens >= cfg.across_min_tokens}:
            k = int(h, 16)
            sent_docs[k] = sent_docs.get(k, 0) + 1
            c = sent_clusters.get(k, r.cluster_id)
            sent_clusters[k] = c if c == r.cluster_id else None
    members: dict[str, tuple[tuple[int, float, str], str]] = {}
    for d, r in zip(docs, results, strict=True):
        key = order_key(d.published, d.id)
        cur = members.get(r.cluster_id)
        if cur is None or key < cur[0]:
            members[r.cluster_id] = (key, d.id)
    for r in results:
        for s in r.sentences:
            k = int(s.sentence_hash, 16)
            s.across_count = sent_docs.get(k, 1) - 1 if sent_clusters.get(k, "") is None else 0
        out.write(json.dumps(output_line(r, members[r.cluster_id][1], cfg), ensure_ascii=False) + "\n")
    out.flush()
    log.debug("dedup_corpus: read %.2fs, decide %.2fs, write %.2fs", t_read - t0, t_add - t_read,
              time.perf_counter() - t_add)
    stats.update({"docs": len(docs), "clusters": len(members)})
    for k in ("canonical", "exact", "near"):
        stats[k] = dd_stats.get(k, 0)
    stats.update({k: v for k, v in dd_stats.items() if k.startswith(("skipped_", "cut_"))})
    if tty:
        print(" " * 40, file=sys.stderr, end="\r")
    return stats


def output_line(r: DocResult, canonical_id: str, cfg: DedupConfig) -> dict[str, Any]:
    return {
        "id": r.id, "cluster_id": r.cluster_id, "canonical_id": canonical_id,
        "duplicate_kind": "canonical" if r.id == canonical_id else ("exact" if r.kind == "exact" else "near"),
        "similarity": round(r.similarity, 4) if r.similarity is not None else None,
        "matched_id": r.matched_id,
        "repeated_sentences": r.repeated_sentences(cfg.within_min_tokens, cfg.across_min_tokens),
    }
