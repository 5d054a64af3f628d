"""Incremental dedup: exact pass, MinHash-LSH + sentence-index candidates, verification, clustering.

Decisions depend only on what the warehouse can store (see `SeedDoc`), so a run seeded from the
warehouse decides like one that saw every article in a single batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from newsdedup.dedup.config import DedupConfig
from newsdedup.dedup.minhash import (
    Signer,
    lsh_insert,
    lsh_query,
    make_lsh,
    signature_bytes,
    signature_from_bytes,
)
from newsdedup.dedup.parallel import MAX_TEXT_CHARS, parse_many
from newsdedup.dedup.text import ParsedDoc, hex64


@dataclass(frozen=True, slots=True)
class DedupDoc:
    """One article to decide."""

    id: str
    source: str
    published: datetime | None
    title: str
    text: str  # paragraphs joined by a blank line


@dataclass(slots=True)
class SeedDoc:
    """What the warehouse keeps about an already-decided article so later runs can compare against it.

    `shingles` / `shingle_counts` (the doc's 32-bit shingle hashes in sentence order, and how many
    belong to each sentence) let verification use exact Jaccard/containment and drop sentences that
    became a source's boilerplate later; without them verification falls back to the signature.
    """

    id: str
    source: str
    published: datetime | None
    content_hash: str
    cluster_id: str
    signature: bytes | None
    sentence_hashes: list[str]
    shingles: bytes | None = None
    shingle_counts: list[int] | None = None
    skipped: str | None = None


@dataclass(slots=True)
class SentenceResult:
    position: int
    text: str
    sentence_hash: str
    within_count: int
    across_count: int
    boilerplate: bool
    n_tokens: int = 0


@dataclass(slots=True)
class DocResult:
    id: str
    cluster_id: str
    kind: str  # "canonical" | "exact" | "near"
    matched_id: str | None
    similarity: float | None
    estimated_similarity: float | None
    content_hash: str
    signature: bytes | None
    skipped: str | None
    sentences: list[SentenceResult] = field(default_factory=list)
    config_fingerprint: str = ""
    jaccard: float | None = None
    containment: float | None = None
    # the doc's shingle hashes in sentence order (uint32) and per-sentence counts; `to_seed` gives bytes
    shingles: np.ndarray | None = None
    shingle_counts: list[int] | None = None

    def shingles_bytes(self) -> bytes | None:
        """The shingles as stored in the warehouse (little-endian uint32)."""
        return self.shingles.astype("<u4").tobytes() if self.shingles is not None else None

    def repeated_sentences(self, within_min_tokens: int = 5, across_min_tokens: int = 1) -> list[dict[str, Any]]:
        """The contract's `[{"text", "scope", "count"}]`, one item per distinct repeated sentence."""
        out: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()
        for s in self.sentences:
            if s.within_count >= 2 and s.n_tokens >= within_min_tokens and (s.sentence_hash, "w") not in seen:
                seen.add((s.sentence_hash, "w"))
                out.append({"text": s.text, "scope": "within", "count": s.within_count})
        for s in self.sentences:
            if s.across_count > 0 and s.n_tokens >= across_min_tokens and (s.sentence_hash, "a") not in seen:
                seen.add((s.sentence_hash, "a"))
                out.append({"text": s.text, "scope": "across", "count": s.across_count})
        return out

    def to_seed(self, source: str, published: datetime | None) -> SeedDoc:
        """The SeedDoc a later run needs for this doc (what the warehouse stores)."""
        return SeedDoc(
            id=self.id, source=source, published=published, content_hash=self.content_hash,
            cluster_id=self.cluster_id, signature=self.signature,
            sentence_hashes=[s.sentence_hash for s in self.sentences], shingles=self.shingles_bytes(),
            shingle_counts=self.shingle_counts, skipped=self.skipped,
        )


def _utc(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def order_key(published: datetime | None, doc_id: str) -> tuple[int, float, str]:
    """(published, id) order; undated docs sort last (they cannot claim to be the original)."""
    p = _utc(published)
    return (0, p.timestamp(), doc_id) if p is not None else (1, 0.0, doc_id)


class _Doc:
    __slots__ = ("id", "source", "key", "cluster", "content_hash", "sig", "shingles", "shingle_counts",
                 "sent_hashes", "skipped")

    def __init__(self, id: str, source: str, key: tuple[int, float, str], content_hash: int,
                 sig: np.ndarray | None, shingles: np.ndarray | None, shingle_counts: np.ndarray | None,
                 sent_hashes: list[int], skipped: str | None, cluster: str | None = None) -> None:
        self.id = id
        self.source = source
        self.key = key
        self.cluster = cluster
        self.content_hash = content_hash
        self.sig = sig
        self.shingles = shingles
        self.shingle_counts = shingle_counts
        self.sent_hashes = sent_hashes
        self.skipped = skipped


class _Cluster:
    __slots__ = ("id", "canonical_key", "members")

    def __init__(self, cid: str, key: tuple[int, float, str]) -> None:
        self.id = cid
        self.canonical_key = key
        self.members: list[str] = []


class Deduplicator:
    """Decides new docs against seeded state and earlier docs; state grows with every `add`."""

    def __init__(
        self, config: DedupConfig | None = None, storage_config: dict[str, Any] | None = None, workers: int = 1
    ) -> None:
        self.config = config or DedupConfig()
        self.workers = workers  # processes for the per-doc parsing of large batches
        self.fingerprint = self.config.fingerprint()
        self._signer = Signer(self.config)
        self._lsh = make_lsh(self.config, storage_config)
        self._docs: dict[str, _Doc] = {}
        self._clusters: dict[str, _Cluster] = {}
        self._by_hash: dict[int, str] = {}
        # sentence hash -> ids of decided docs carrying it (a bare id while there is only one)
        self._postings: dict[int, str | list[str]] = {}
        # boilerplate knowledge: first source of a sentence, then per-source doc counts once repeated
        self._first_src: dict[int, str] = {}
        self._src_counts: dict[int, dict[str, int]] = {}
        self.stats: dict[str, int] = {}

    # ----- state -------------------------------------------------------------------------------
    def _count(self, key: str, n: int = 1) -> None:
        self.stats[key] = self.stats.get(key, 0) + n

    def _register_source(self, source: str, sent_hashes: Iterable[int]) -> None:
        first, counts = self._first_src, self._src_counts
        for h in set(sent_hashes):
            c = counts.get(h)
            if c is not None:
                c[source] = c.get(source, 0) + 1
                continue
            f = first.get(h)
            if f is None:
                first[h] = source
            else:
                del first[h]
                counts[h] = {f: 1} if f != source else {}
                counts[h][source] = counts[h].get(source, 0) + 1

    def is_boilerplate(self, sent_hash: int, source: str) -> bool:
        """A source's boilerplate: the sentence is on `boilerplate_min_docs` docs of that source."""
        c = self._src_counts.get(sent_hash)
        return c is not None and c.get(source, 0) >= self.config.boilerplate_min_docs

    def _post(self, doc: _Doc) -> None:
        postings = self._postings
        for h in set(doc.sent_hashes):
            p = postings.get(h)
            if p is None:
                postings[h] = doc.id
            elif isinstance(p, str):
                postings[h] = [p, doc.id]
            else:
                p.append(doc.id)

    def _join(self, doc: _Doc, cid: str) -> None:
        cl = self._clusters.get(cid)
        if cl is None:
            cl = self._clusters[cid] = _Cluster(cid, doc.key)
        cl.members.append(doc.id)
        if doc.key < cl.canonical_key:
            cl.canonical_key = doc.key
        doc.cluster = cid

    def _store(self, doc: _Doc) -> None:
        self._docs[doc.id] = doc
        if doc.skipped is None:
            self._by_hash.setdefault(doc.content_hash, doc.id)
        self._post(doc)
        if doc.sig is not None:
            lsh_insert(self._lsh, doc.id, doc.sig, self.config)

    def seed(self, docs: Iterable[SeedDoc]) -> None:
        """Load prior decisions (no re-shingling: the LSH index is rebuilt from stored signatures)."""
        cfg = self.config
        n = 0
        for s in docs:
            if s.id in self._docs:
                continue
            sent = [int(h, 16) for h in s.sentence_hashes]
            sig = signature_from_bytes(s.signature, cfg) if s.signature is not None else None
            sh = np.frombuffer(s.shingles, dtype="<u4").astype(np.uint32) if s.shingles is not None else None
            counts = np.array(s.shingle_counts, dtype=np.int64) if s.shingle_counts is not None else None
            if sh is not None and (counts is None or len(counts) != len(sent) or int(counts.sum()) != len(sh)):
                sh, counts = None, None  # inconsistent columns: fall back to the signature
            doc = _Doc(s.id, s.source, order_key(s.published, s.id), int(s.content_hash, 16), sig, sh, counts,
                       sent, s.skipped)
            self._register_source(s.source, sent)
            self._join(doc, s.cluster_id)
            self._store(doc)
            n += 1
        self._count("seeded", n)

    def evict(self, older_than: datetime) -> int:
        """Drop docs published before `older_than` from the index (the warehouse window)."""
        cutoff = order_key(older_than, "")
        old = [d for d in self._docs.values() if d.key < cutoff]
        for d in old:
            if d.sig is not None:
                self._lsh.remove(d.id)
            if self._by_hash.get(d.content_hash) == d.id:
                del self._by_hash[d.content_hash]
            for h in set(d.sent_hashes):
                p = self._postings.get(h)
                if p == d.id:
                    del self._postings[h]
                elif isinstance(p, list):
                    p.remove(d.id)
                    if len(p) == 1:
                        self._postings[h] = p[0]
                c = self._src_counts.get(h)
                if c is not None and c.get(d.source):
                    c[d.source] -= 1
                elif self._first_src.get(h) == d.source:
                    del self._first_src[h]
            cl = self._clusters.get(d.cluster or "")
            if cl is not None:
                cl.members.remove(d.id)
                if not cl.members:
                    del self._clusters[cl.id]
            del self._docs[d.id]
        return len(old)

    # ----- deciding ----------------------------------------------------------------------------
    def _content(self, doc: _Doc, story: str | None = None) -> np.ndarray | None:
        """The doc's unique shingles without its source's boilerplate sentences (as known now).

        With `story` (a cluster id), sentences also carried by docs outside that cluster are
        dropped too: a syndicated quote, a stock or agency line is no evidence that two docs tell
        the same story.
        """
        if doc.shingles is None or doc.shingle_counts is None:
            return None
        keep = [not self.is_boilerplate(h, doc.source) for h in doc.sent_hashes]
        if story is not None:
            for i, h in enumerate(doc.sent_hashes):
                if keep[i] and self._outside(h, story, doc.id):
                    keep[i] = False
        if all(keep):
            return np.unique(doc.shingles)
        return np.unique(doc.shingles[np.repeat(np.array(keep, dtype=bool), doc.shingle_counts)])

    def _content_whole(self, doc: _Doc) -> tuple[np.ndarray | None, bool]:
        """`_content(doc)` and whether it kept every sentence."""
        if doc.shingles is None:
            return None, True
        whole = not any(self.is_boilerplate(h, doc.source) for h in doc.sent_hashes)
        return (np.unique(doc.shingles) if whole else self._content(doc)), whole

    def _outside(self, sent_hash: int, story: str, self_id: str) -> bool:
        """True when a decided doc outside cluster `story` (other than `self_id`) carries the sentence."""
        p = self._postings.get(sent_hash)
        if p is None:
            return False
        if isinstance(p, str):
            return p != self_id and self._docs[p].cluster != story
        return any(i != self_id and self._docs[i].cluster != story for i in p)

    def _candidates(self, doc: _Doc, parsed: ParsedDoc) -> list[str]:
        cfg = self.config
        found: dict[str, int] = {}
        if doc.sig is not None:
            for cid in lsh_query(self._lsh, doc.sig, cfg):
                found[cid] = found.get(cid, 0) + 1000  # LSH hits first
        for h, ntok in zip(parsed.sent_hashes, parsed.sent_tokens, strict=True):
            if ntok < cfg.sentence_candidate_min_tokens or self.is_boilerplate(h, doc.source):
                continue
            p = self._postings.get(h)
            if p is None:
                continue
            if isinstance(p, str):
                found[p] = found.get(p, 0) + 1
            elif len(p) <= cfg.sentence_candidate_max_postings:
                for i in p:
                    found[i] = found.get(i, 0) + 1
        found.pop(doc.id, None)
        ranked = sorted(found, key=lambda i: (-found[i], i))
        return ranked[: cfg.max_candidates]

    def _verify(self, doc: _Doc, other: _Doc) -> tuple[float, float, float | None] | None:
        """(score, jaccard, containment) when `other` is verified as the same story, else None."""
        cfg = self.config
        content = self._content(doc, other.cluster)
        if content is None:
            return None
        est = None
        if doc.sig is not None and other.sig is not None:
            est = float(np.count_nonzero(doc.sig == other.sig)) / cfg.num_perm
        oc = self._content(other, other.cluster)
        if oc is None:  # seeded without shingles: the signature estimate is all we have
            if est is not None and est >= cfg.verify_jaccard:
                return est, est, None
            return None
        if len(oc) == 0 or len(content) == 0:
            return None
        inter = len(np.intersect1d(content, oc, assume_unique=True))
        if inter == 0:
            return None
        jac = inter / (len(content) + len(oc) - inter)
        small = min(len(content), len(oc))
        cont = inter / small
        if jac >= cfg.verify_jaccard:
            return max(jac, cont if small >= cfg.containment_min_shingles else 0.0), jac, cont
        if cont >= cfg.verify_containment and small >= cfg.containment_min_shingles:
            return cont, jac, cont
        return None

    def _parse(self, docs: Sequence[DedupDoc]) -> list[ParsedDoc]:
        texts = [d.text or "" for d in docs]
        self._count("cut_long_text", sum(len(t) > MAX_TEXT_CHARS for t in texts))
        return parse_many(texts, self.config, self.workers)

    def add(self, docs: Sequence[DedupDoc], parsed: Sequence[ParsedDoc] | None = None) -> list[DocResult]:
        """Decide new docs in (published, id) order against the state and earlier docs of the batch."""
        cfg = self.config
        if parsed is None:
            parsed = self._parse(docs)
        seen_ids: set[str] = set()
        for d in docs:
            if d.id in self._docs or d.id in seen_ids:
                raise ValueError(f"doc id {d.id!r} is already known to this Deduplicator")
            seen_ids.add(d.id)
        # Boilerplate is learnt from the whole batch first, so the first docs of a new source are
        # judged with the same knowledge as its later ones.
        for d, p in zip(docs, parsed, strict=True):
            self._register_source(d.source, p.sent_hashes)
        order = sorted(range(len(docs)), key=lambda i: order_key(docs[i].published, docs[i].id))
        pending: list[_Doc] = []
        skipped: list[str | None] = []
        for i in range(len(docs)):
            d, p = docs[i], parsed[i]
            skip = "empty" if p.n_tokens == 0 else ("too_short" if p.n_tokens < cfg.min_tokens else None)
            pending.append(_Doc(d.id, d.source, order_key(d.published, d.id), p.content_hash, None,
                                p.shingles if skip is None else None, p.shingle_counts if skip is None else None,
                                p.sent_hashes, skip))
            skipped.append(skip)
        contents: list[np.ndarray | None] = []
        resign: list[int] = []
        for i, doc in enumerate(pending):
            c, whole = self._content_whole(doc) if doc.skipped is None else (None, True)
            contents.append(c)
            if doc.skipped is None and c is not None and len(c) == 0:
                doc.skipped = "boilerplate_only"
            elif c is not None:
                if whole and parsed[i].signature is not None:
                    doc.sig = parsed[i].signature  # no boilerplate: the worker's signature is the one
                else:
                    resign.append(i)
        # the signature covers the content without the source's boilerplate
        for i, s in zip(resign, self._signer.sign_many([contents[i] for i in resign]), strict=True):
            pending[i].sig = s
        results: list[DocResult | None] = [None] * len(docs)
        for i in order:
            results[i] = self._decide(pending[i], parsed[i], contents[i])
        return [r for r in results if r is not None]

    def _decide(self, doc: _Doc, parsed: ParsedDoc, content: np.ndarray | None) -> DocResult:
        cfg = self.config
        kind, matched, sim, est, jac, cont = "canonical", None, None, None, None, None
        target: str | None = None
        if doc.skipped is not None:
            self._count(f"skipped_{doc.skipped}")
        else:
            ex = self._by_hash.get(doc.content_hash)
            if ex is not None:
                other = self._docs[ex]
                target, matched, kind, sim, jac, cont = other.cluster, ex, "exact", 1.0, 1.0, 1.0
                if doc.sig is not None and other.sig is not None:
                    est = float(np.count_nonzero(doc.sig == other.sig)) / cfg.num_perm
            elif content is not None:
                best: tuple[float, str] | None = None
                best_detail: tuple[float, float | None] = (0.0, None)
                for cid in self._candidates(doc, parsed):
                    other = self._docs[cid]
                    v = self._verify(doc, other)
                    if v is not None and (best is None or (v[0], other.key) > (best[0], self._docs[best[1]].key)):
                        best, best_detail = (v[0], cid), (v[1], v[2])
                if best is not None:
                    matched = best[1]
                    other = self._docs[matched]
                    target, kind, sim = other.cluster, "near", best[0]
                    jac, cont = best_detail
                    if doc.sig is not None and other.sig is not None:
                        est = float(np.count_nonzero(doc.sig == other.sig)) / cfg.num_perm
        cid = target if target is not None else doc.id
        self._join(doc, cid)
        if target is not None and self._clusters[cid].canonical_key == doc.key:
            kind = "canonical"  # an earlier-published copy arrived late: it is the canonical now
        self._count(kind)
        self._store(doc)
        return DocResult(
            id=doc.id, cluster_id=cid, kind=kind, matched_id=matched, similarity=sim, estimated_similarity=est,
            content_hash=hex64(doc.content_hash),
            signature=signature_bytes(doc.sig) if doc.sig is not None else None,
            skipped=doc.skipped, sentences=self._sentences(doc, parsed), config_fingerprint=self.fingerprint,
            jaccard=jac, containment=cont,
            shingles=doc.shingles,
            shingle_counts=[int(c) for c in parsed.shingle_counts] if doc.shingles is not None else None,
        )

    def _sentences(self, doc: _Doc, parsed: ParsedDoc) -> list[SentenceResult]:
        out = []
        cl = self._clusters[doc.cluster or doc.id]
        for pos, (text, h, ntok, within) in enumerate(
            zip(parsed.sentences, parsed.sent_hashes, parsed.sent_tokens, parsed.within_counts, strict=True)
        ):
            out.append(SentenceResult(
                position=pos, text=text, sentence_hash=hex64(h), within_count=within,
                across_count=self.across_count(h, cl) if ntok else 0,
                boilerplate=self.is_boilerplate(h, doc.source), n_tokens=ntok,
            ))
        return out

    def across_count(self, sent_hash: int, cluster: _Cluster) -> int:
        """Docs of other clusters that carry the sentence (decided docs, seeded state included)."""
        p = self._postings.get(sent_hash)
        if p is None:
            return 0
        if isinstance(p, str):
            return 0 if self._docs[p].cluster == cluster.id else 1
        if len(p) <= 2 * len(cluster.members) + 8:
            return sum(1 for i in p if self._docs[i].cluster != cluster.id)
        # long postings (boilerplate lines): subtract the few members of this cluster that carry it
        mine = sum(1 for m in cluster.members if sent_hash in self._docs[m].sent_hashes)
        return len(p) - mine

    def cluster_of(self, doc_id: str) -> str | None:
        d = self._docs.get(doc_id)
        return d.cluster if d is not None else None

    def canonical_of(self, cluster_id: str) -> str | None:
        cl = self._clusters.get(cluster_id)
        return cl.canonical_key[2] if cl is not None else None

    def sentence_clusters(self, sent_hash: int) -> set[str]:
        """Clusters of the decided docs that carry a sentence."""
        p = self._postings.get(sent_hash)
        if p is None:
            return set()
        if isinstance(p, str):
            return {self._docs[p].cluster or p}
        return {self._docs[i].cluster or i for i in p}
