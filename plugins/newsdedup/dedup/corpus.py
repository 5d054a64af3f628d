"""The offline `newsdedup dedup CORPUS.jsonl` command: one decision line per input document."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from newsdedup.charset import valid_json_strings
from newsdedup.dedup.config import DedupConfig
from newsdedup.dedup.core import DedupDoc, Deduplicator, DocResult, order_key
from newsdedup.dedup.parallel import CHUNK_DOCS, MAX_TEXT_CHARS, PARALLEL_MIN_DOCS, parse_stream
from newsdedup.dedup.text import ParsedDoc, is_cut

log = logging.getLogger(__name__)


def _parse_published(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        # ordering puts dates on UTC: year 1 at +14:00 or year 9999 at -12:00 is off the calendar
        # there (OverflowError failed the whole corpus), so it counts as no date
        if when.tzinfo is not None:
            when.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return when


# The longest corpus line read: a text is cut at MAX_TEXT_CHARS anyway, and even written as JSON's
# `\uXXXX` escapes it fits many times over. `dedup /dev/zero` (or any input without a line end) grew one
# line until the host's memory ran out, without a word.
MAX_LINE_CHARS = 64 * 2**20


class CorpusError(ValueError):
    """The corpus cannot be read as JSON lines at all; the message says where and why."""


def iter_corpus(path: Path | None, stats: dict[str, int]) -> Iterator[tuple[DedupDoc, str]]:
    """Read JSONL docs as (doc without its text, text) from `path`, or standard input when None; bad lines are
    skipped with a logged reason and counted in `stats`; a line past MAX_LINE_CHARS raises CorpusError."""
    ids: set[str] = set()
    # None: standard input (`newsdedup extract … | newsdedup dedup -`), named so in messages
    name = "standard input" if path is None else path

    def bad(lineno: int, reason: str) -> None:
        stats[f"bad_{reason}"] = stats.get(f"bad_{reason}", 0) + 1
        log.warning("%s:%d: skipped (%s)", name, lineno, reason)

    with (open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False) if path is None  # noqa: SIM115
          else path.open(encoding="utf-8", errors="replace")) as fh:
        lineno = 0
        while line := fh.readline(MAX_LINE_CHARS + 1):
            lineno += 1
            if len(line) > MAX_LINE_CHARS:
                raise CorpusError(f"{name}:{lineno}: a line of more than {MAX_LINE_CHARS:,} characters (no line end: "
                                  "binary data, or not JSON lines); a document's line may hold at most that")
            if not line.strip():
                continue
            try:
                rec = valid_json_strings(json.loads(line))  # a lone \ud83d escape: U+FFFD
            except (ValueError, RecursionError):  # RecursionError: a line nested thousands deep
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
            yield DedupDoc(
                id=doc_id, source=str(rec.get("source") or ""), published=_parse_published(rec.get("published")),
                title=str(rec.get("title") or ""), text="",
            ), text


def _parse_corpus(path: Path | None, config: DedupConfig, workers: int, stats: dict[str, int]
                  ) -> tuple[list[DedupDoc], list[ParsedDoc]]:
    """Read and parse a corpus, streaming chunks of texts to the parse workers while reading, so the
    raw texts are never all in memory and JSON decoding overlaps parsing."""
    docs: list[DedupDoc] = []
    it = iter_corpus(path, stats)
    head: list[str] = []
    for d, t in it:  # small corpora are parsed here: starting workers costs more than it saves
        docs.append(d)
        head.append(t)
        if len(head) >= PARALLEL_MIN_DOCS:
            break
    cut = sum(is_cut(t, MAX_TEXT_CHARS) for t in head)

    def chunks() -> Iterator[list[str]]:
        nonlocal cut
        for i in range(0, len(head), CHUNK_DOCS):
            yield head[i : i + CHUNK_DOCS]
        head.clear()
        buf: list[str] = []
        for d, t in it:
            docs.append(d)
            cut += is_cut(t, MAX_TEXT_CHARS)
            buf.append(t)
            if len(buf) >= CHUNK_DOCS:
                yield buf
                buf = []
        if buf:
            yield buf

    parallel = workers > 1 and len(head) >= PARALLEL_MIN_DOCS
    parsed: list[ParsedDoc] = []
    for part in parse_stream(chunks(), config, workers if parallel else 1):
        parsed.extend(part)
    stats["cut_long_text"] = cut
    return docs, parsed


def dedup_corpus(corpus_path: Path | None, out: TextIO, config: DedupConfig | None = None,
                 workers: int | None = None) -> dict[str, int]:
    """Dedup a JSONL corpus (standard input when `corpus_path` is None) in one batch and write the contract's
    output lines (input order)."""
    stats: dict[str, int] = {}
    cfg = config or DedupConfig()
    t0 = time.perf_counter()
    tty = sys.stderr.isatty()
    if tty:
        print("dedup: reading and parsing...", file=sys.stderr, end="\r")
    workers = min(2, os.cpu_count() or 1) if workers is None else workers
    docs, parsed = _parse_corpus(None if corpus_path is None else Path(corpus_path), cfg, workers, stats)
    t_parse = time.perf_counter()
    if tty:
        print(f"dedup: {len(docs)} docs parsed, deciding...", file=sys.stderr, end="\r")
    dd = Deduplicator(cfg)
    results = dd.add(docs, parsed)
    del parsed
    t_add = time.perf_counter()
    dd_stats = dd.stats
    del dd  # the index is not needed for writing: free it before the output pass
    members: dict[str, tuple[tuple[int, float, str], str]] = {}
    for d, r in zip(docs, results, strict=True):
        key = order_key(d.published, d.id)
        cur = members.get(r.cluster_id)
        if cur is None or key < cur[0]:
            members[r.cluster_id] = (key, d.id)
    for i, r in enumerate(results):
        out.write(json.dumps(output_line(r, members[r.cluster_id][1], cfg), ensure_ascii=False) + "\n")
        results[i] = None  # type: ignore[call-overload]  # written: let it go (peak memory)
    out.flush()
    log.debug("dedup_corpus: read+parse %.2fs, decide %.2fs, write %.2fs", t_parse - t0, t_add - t_parse,
              time.perf_counter() - t_add)
    stats.update({"docs": len(docs), "clusters": len(members)})
    for k in ("canonical", "exact", "near"):
        stats[k] = dd_stats.get(k, 0)
    stats.update({k: v for k, v in dd_stats.items() if k.startswith("skipped_")})
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
