"""How a run reports itself: one line per source for the task log, and the run's summary text."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def duplicates_phrase(counts: dict[str, int]) -> str:
    """'3 near-duplicates of earlier stories, 1 exact copy' for one source's dedup counts."""
    near, exact = counts.get("near", 0), counts.get("exact", 0)
    parts = [f"{near} near-duplicate{'s' if near != 1 else ''} of earlier stories"]
    if exact:
        parts.append(f"{exact} exact cop{'ies' if exact != 1 else 'y'}")
    return ", ".join(parts)


def breakdown(counts: dict[str, int]) -> str:
    """'http_404 2, timeout 1': counts by reason, in name order."""
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))


def source_line(s: dict[str, Any], duplicates: dict[str, int] | None = None) -> str:
    """The task log's one-line account of a source (with its dedup counts once they are known)."""
    if s["status"] != "ok":
        return f"{s['source']}: FAILED ({s['error']}), {s['entries']} entries"
    parts = [f"{s['source']}: {s['entries']} entries", f"{s['new']} new"]
    if duplicates is not None and s["new"]:
        parts.append(duplicates_phrase(duplicates))
    if s.get("not_modified"):
        # a summary recorded before "unchanged" existed came from an HTTP feed
        parts.append(s.get("unchanged") or "feed not modified (HTTP 304)")
    if n := s.get("in_flight"):
        parts.append(f"{_n(n, 'file')} still being written, left for the next run")
    if s["fetch_failed"]:
        parts.append(f"{s['fetch_failed']} fetch failed ({breakdown(s['fetch_errors'])})")
    if s["clean_failed"]:
        reasons = breakdown(s.get("clean_errors") or {})
        parts.append(f"{s['clean_failed']} clean failed" + (f" ({reasons})" if reasons else ""))
    if ignored := s.get("dates_ignored"):
        parts.append(f"{dates_phrase(ignored)} ({breakdown(ignored)})")
    if (rc := s.get("rechecks")) and (rc.get("checked") or rc.get("deferred")):
        parts.append(rechecks_phrase(rc))
    if r := s.get("renamed"):  # the run that found the source renamed in the sources file
        parts.append(f"was known as {r['was']} (same URL: its {_n(r['articles'], 'stored article')} carry on "
                     "under this name)")
    return ", ".join(parts)


def _n(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def revisions_phrase(rc: dict[str, Any]) -> str:
    """'1 article revised, 1 headline changed'."""
    return f"{_n(rc.get('revised', 0), 'article')} revised, {_n(rc.get('headline_changed', 0), 'headline')} changed"


def rechecks_phrase(rc: dict[str, Any]) -> str:
    """What a source's (or a run's) re-checks found, e.g. 're-checked 11: 10 not modified, 1 revised
    (1 headline changed)'."""
    found = [f"{rc[k]} {label}" for k, label in (("not_modified", "not modified"), ("unchanged", "unchanged"),
                                                  ("revised", "revised"), ("gone", "gone"),
                                                  ("clean_failed", "no longer cleanable"), ("failed", "failed"))
             if rc.get(k)]
    if rc.get("revised"):
        found[[f.endswith(" revised") for f in found].index(True)] += (
            f" ({_n(rc.get('headline_changed', 0), 'headline')} changed)")
    if rc.get("errors"):
        found[-1] += f" ({breakdown(rc['errors'])})"
    text = f"re-checked {rc.get('checked', 0)}" + (": " + ", ".join(found) if found else "")
    if rc.get("deferred"):
        text += f"; {rc['deferred']} more due, left for a later run (recheck_max_per_run / _per_host)"
    return text


def total_rechecks(sources: list[dict[str, Any]]) -> dict[str, Any]:
    """The run's re-check counts, summed over its sources."""
    out: dict[str, Any] = {"errors": {}}
    for x in sources:
        for k, v in (x.get("rechecks") or {}).items():
            if k == "errors":
                for e, n in v.items():
                    out["errors"][e] = out["errors"].get(e, 0) + n
            else:
                out[k] = out.get(k, 0) + v
    return out


def dates_phrase(ignored: dict[str, int]) -> str:
    """'2 implausible dates ignored' for the per-origin counts of dates no article can carry."""
    n = sum(ignored.values())
    return f"{n} implausible date{'s' if n != 1 else ''} ignored"


def source_summary(run_dir: str | Path, source: str, kind: str | None, **more: Any) -> dict[str, Any]:
    """A source's summary before its work: every count at zero (an ingest's, a reclean's), plus `more`."""
    return {"run_dir": str(run_dir), "source": source, "kind": kind, "status": "ok", "error": None,
            "entries": 0, "new": 0, "already_known": 0, "fetched": 0, "fetch_failed": 0,
            "fetch_errors": Counter(), "clean_failed": 0, "clean_errors": Counter(), **more}


def failed_source(run_dir: str, source: dict[str, Any], error: str) -> dict[str, Any]:
    """The summary of a source whose ingest crashed: recorded as failed, the run goes on."""
    return {"run_dir": str(run_dir), "source": source["name"], "kind": source.get("kind"), "status": "failed",
            "error": error, "entries": 0, "new": 0, "already_known": 0, "fetched": 0, "fetch_failed": 0,
            "fetch_errors": {}, "clean_failed": 0}


@dataclass
class RunSummary:
    run_id: str
    sources: list[dict[str, Any]] = field(default_factory=list)
    dedup: dict[str, Any] = field(default_factory=dict)
    added: dict[str, int] = field(default_factory=dict)
    warehouse: str = ""
    # earlier runs whose load failed and whose staged batches this run took over and loaded
    adopted: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "sources": self.sources, "dedup": self.dedup, "added": self.added,
                "warehouse": self.warehouse, "adopted": self.adopted}

    def text(self) -> str:
        s = self.sources
        failed = [x for x in s if x["status"] != "ok"]
        lines = [f"newsdedup run {self.run_id}"]
        per_source = self.dedup.get("per_source") or {}
        for x in s:
            lines.append("  " + source_line(x, per_source.get(x["source"], {})))
            if x.get("site"):
                from newsdedup.discovery import site_line

                lines.append("    " + site_line(x["source"], x["site"]))
        new_articles = self.added.get("articles", 0)
        lines.append(
            f"sources {len(s)} ({len(failed)} failed), entries {sum(x['entries'] for x in s)}, "
            f"new articles {new_articles}, exact duplicates {self.dedup.get('exact', 0)}, "
            f"near duplicates {self.dedup.get('near', 0)}, repeated sentences "
            f"{self.dedup.get('repeated_within', 0)} within articles / "
            f"{self.dedup.get('repeated_across', 0)} across stories"
        )
        ignored: dict[str, int] = {}
        for x in s:
            for k, v in (x.get("dates_ignored") or {}).items():
                ignored[k] = ignored.get(k, 0) + v
        if ignored:
            lines.append(f"{dates_phrase(ignored)}: taken as no date; each article says why in date_note")
        rc = total_rechecks(s)
        if rc.get("checked") or rc.get("deferred"):
            left = self.dedup.get("revisions_left_cluster", 0)
            lines.append(f"revisions: {revisions_phrase(rc)}; {rechecks_phrase(rc)}"
                         + (f"; {left} revised article{'s' if left != 1 else ''} left {'their' if left != 1 else 'its'}"
                            " story cluster (see article_clusters.note)" if left else ""))
        if other := self.dedup.get("other_config"):
            lines.append(f"{other} stored articles of the dedup window were deduplicated under another dedup config "
                         "(an earlier release's) and were not compared with the new ones: run `newsdedup reclean` "
                         "to decide them again under this one")
        for a in self.adopted:
            lines.append(f"also loaded {a.get('articles', 0)} articles and {a.get('fetch_attempts', 0)} fetch "
                         f"attempts staged by run {a['run_id']}, whose load failed; none fetched again")
        if self.run_id.startswith("reclean__"):
            lines.append(f"recleaned {sum(x['new'] for x in s)} stored pages; their records and decisions replaced")
        elif new_articles == 0:
            known = sum(x.get("already_known", 0) for x in s)
            unchanged = sum(1 for x in s if x.get("not_modified"))
            lines.append(f"nothing new: {known} entries already in the warehouse, {unchanged} of {len(s)} "
                         "sources not modified since the last run; no article rows added")
        lines.append(f"warehouse: {self.warehouse}")
        lines.append('look at the results: newsdedup sql "select * from story_cluster_view"')
        return "\n".join(lines)
