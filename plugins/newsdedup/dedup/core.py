"""Incremental dedup: exact pass, MinHash-LSH + sentence-index candidates, verification, clustering.

Decisions depend only on what the warehouse can store (see `SeedDoc`), so a run seeded from the
warehouse decides like one that saw every article in a single batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import numpy as np

from newsdedup.dedup.config import DedupConfig
from newsdedup.dedup.index import LSHIndex, MemoryIndex
from newsdedup.dedup.minhash import (
    MAX_HITS_PER_BAND,
    Signer,
    band_keys64,
    pairs_within,
    signature_bytes,
    signature_from_bytes,
)
from newsdedup.dedup.parallel import MAX_TEXT_CHARS, parse_many
from newsdedup.dedup.text import ParsedDoc, hex64, is_cut, lede_of, other_event


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
    `sentence_hashes` are hex strings (as in `article_sentences`) or 64-bit integers.
    """

    id: str
    source: str
    published: datetime | None
    content_hash: str
    cluster_id: str
    signature: bytes | None
    sentence_hashes: Sequence[str] | Sequence[int] | np.ndarray
    shingles: bytes | None = None
    shingle_counts: Sequence[int] | None = None
    skipped: str | None = None
    # the text of its first sentences (`lede_of`, from `article_sentences`): without it, two stored items of
    # one template filled for two events are not told apart (`other_event`)
    lede: str | None = None


@dataclass(slots=True)
class SeedCluster:
    """A stored cluster's earliest member, so a new doc only claims canonical when it is earlier."""

    cluster_id: str
    published: datetime | None
    canonical_id: str


@dataclass(slots=True)
class SentenceStats:
    """What the warehouse knows about sentences of docs that were NOT seeded (aggregates only).

    Seeding is limited to the docs a new batch can match (LSH band and sentence candidates); the
    other stored docs still count for boilerplate, for discounting quotes shared with other
    stories and for across-article repeats, through these counts.
    """

    # sentence hash -> (docs carrying it, distinct clusters among them, one of those cluster ids)
    docs: dict[int, tuple[int, int, str | None]] = field(default_factory=dict)
    # sentence hash -> source -> docs of that source carrying it
    source_docs: dict[int, dict[str, int]] = field(default_factory=dict)


@dataclass(slots=True)
class SentenceResult:
    position: int
    text: str
    sentence_hash: str
    within_count: int
    across_count: int
    boilerplate: bool
    n_tokens: int = 0


_NO_U64 = np.zeros(0, dtype=np.uint64)
_NO_I32 = np.zeros(0, dtype=np.int32)
_NO_BOOL = np.zeros(0, dtype=bool)
_NO_U32 = np.zeros(0, dtype=np.uint32)
# a doc's content measured against a story: kept shingles, shingles of sentences other stories carry
# (not among the kept), those sentences' shingles one array per sentence, and their hashes
_Parts = tuple[np.ndarray, np.ndarray, list[np.ndarray], list[int]]
# the one skip reason under which a doc still has an exact (content-hash) twin found (the warehouse seeds one
# stored doc per content hash under it)
EXACT_ONLY = "boilerplate_only"
# At most this many docs of one source may carry a sentence for it to be taken for versions of one
# text rather than the source's boilerplate (see `_one_text`): an outlet republishes a story a few times
# (updates under new URLs, a section page's copy); a line on more of its docs is boilerplate as before.
VERSIONS_MAX_DOCS = 10
# A match is refused when the side holding the other quotes at least 1 / QUOTED_SHARE_DEN as much text of
# other, earlier stories as the two share (`Deduplicator._verify`): a roundup, not a copy.
QUOTED_SHARE_DEN = 2
# Two ledes telling of two events (`other_event`) refuse a match only when the texts share less than this
# Jaccard of their shingles: nearly all shared is one story, its paragraphs moved or its lede rewritten.
OTHER_EVENT_MAX_JACCARD = 0.9


@dataclass(slots=True)
class DocResult:
    """One decision. Per-sentence facts are arrays (`sentences` builds objects on demand)."""

    id: str
    cluster_id: str
    kind: str  # "canonical" | "exact" | "near"
    matched_id: str | None
    similarity: float | None
    estimated_similarity: float | None
    content_hash: str
    sig: np.ndarray | None
    skipped: str | None
    config_fingerprint: str = ""
    jaccard: float | None = None
    containment: float | None = None
    # the doc's shingle hashes in sentence order (uint32) and per-sentence counts; `to_seed` gives bytes
    shingles: np.ndarray | None = None
    shingle_counts: np.ndarray | None = None
    sentence_text: str = ""  # sentences joined by "\n"
    sentence_hashes: np.ndarray = field(default_factory=lambda: _NO_U64)
    sentence_tokens: np.ndarray = field(default_factory=lambda: _NO_I32)
    within_counts: np.ndarray = field(default_factory=lambda: _NO_I32)
    # docs of the window carrying the sentence, minus one, when they span two stories or more
    across_counts: np.ndarray = field(default_factory=lambda: _NO_I32)
    boilerplate: np.ndarray = field(default_factory=lambda: _NO_BOOL)
    band_keys: np.ndarray | None = None  # uint64 LSH band keys of `sig` (what `lsh_bands` stores)

    @property
    def signature(self) -> bytes | None:
        return signature_bytes(self.sig) if self.sig is not None else None

    def shingles_bytes(self) -> bytes | None:
        """The shingles as stored in the warehouse (little-endian uint32)."""
        return self.shingles.astype("<u4").tobytes() if self.shingles is not None else None

    def sentence_texts(self) -> list[str]:
        return self.sentence_text.split("\n") if self.sentence_text else []

    @property
    def sentences(self) -> list[SentenceResult]:
        texts = self.sentence_texts()
        return [
            SentenceResult(position=i, text=texts[i], sentence_hash=hex64(int(h)),
                           within_count=int(self.within_counts[i]), across_count=int(self.across_counts[i]),
                           boilerplate=bool(self.boilerplate[i]), n_tokens=int(self.sentence_tokens[i]))
            for i, h in enumerate(self.sentence_hashes.tolist())
        ]

    def repeated_sentences(self, within_min_tokens: int = 5, across_min_tokens: int = 1) -> list[dict[str, Any]]:
        """The contract's `[{"text", "scope", "count"}]`, one item per distinct repeated sentence."""
        ntok = self.sentence_tokens
        w = np.flatnonzero((self.within_counts >= 2) & (ntok >= within_min_tokens))
        a = np.flatnonzero((self.across_counts > 0) & (ntok >= across_min_tokens))
        if not len(w) and not len(a):
            return []
        texts = self.sentence_texts()
        hashes = self.sentence_hashes
        out: list[dict[str, Any]] = []
        seen: set[tuple[int, str]] = set()
        for idx, scope, counts in ((w, "within", self.within_counts), (a, "across", self.across_counts)):
            for i in idx.tolist():
                k = (int(hashes[i]), scope)
                if k not in seen:
                    seen.add(k)
                    out.append({"text": texts[i], "scope": scope, "count": int(counts[i])})
        return out

    def to_seed(self, source: str, published: datetime | None) -> SeedDoc:
        """The SeedDoc a later run needs for this doc (what the warehouse stores)."""
        return SeedDoc(
            id=self.id, source=source, published=published, content_hash=self.content_hash,
            cluster_id=self.cluster_id, signature=self.signature,
            sentence_hashes=[hex64(h) for h in self.sentence_hashes.tolist()], shingles=self.shingles_bytes(),
            shingle_counts=[int(c) for c in self.shingle_counts] if self.shingle_counts is not None else None,
            skipped=self.skipped, lede=lede_of(self.sentence_text),
        )


def _utc(dt: datetime | None) -> datetime | None:
    """`dt` in UTC; None (no date) for none, or one within a day of the calendar's ends that UTC
    cannot hold (year 1 at +14:00: converting it raised OverflowError out of `add`)."""
    if dt is None:
        return None
    try:
        return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
    except OverflowError:
        return None


def order_key(published: datetime | None, doc_id: str) -> tuple[int, float, str]:
    """(published, id) order; undated docs sort last (they cannot claim to be the original)."""
    p = _utc(published)
    return (0, p.timestamp(), doc_id) if p is not None else (1, 0.0, doc_id)


class SeedStore(Protocol):
    """Where `Deduplicator.seed_for` reads stored state (the warehouse: `warehouse.DedupState`)."""

    def sentence_stats(self, hashes: np.ndarray, exclude: Sequence[str]) -> SentenceStats:
        """Aggregates over stored docs of the window carrying any of `hashes`, except `exclude`."""
        ...

    def seed_docs(self, band_keys: np.ndarray, sentence_hashes: np.ndarray, content_hashes: Sequence[str]
                  ) -> list[SeedDoc]:
        """Stored docs of the window sharing a band key or a content hash, or carrying one of
        `sentence_hashes` when at most `sentence_candidate_max_postings` docs do; in (published, id)
        order."""
        ...

    def cluster_heads(self, cluster_ids: Sequence[str]) -> list[SeedCluster]:
        """The earliest member of each cluster within the window."""
        ...


class _Doc:
    __slots__ = ("id", "source", "key", "cluster", "content_hash", "sig", "shingles", "shingle_counts",
                 "sent_hashes", "skipped", "bp", "bp_version", "lede")

    def __init__(self, id: str, source: str, key: tuple[int, float, str], content_hash: int,
                 sig: np.ndarray | None, shingles: np.ndarray | None, shingle_counts: np.ndarray | None,
                 sent_hashes: np.ndarray, skipped: str | None, cluster: str | None = None,
                 lede: str | None = None) -> None:
        self.id = id
        self.source = source
        self.key = key
        self.cluster = cluster
        self.content_hash = content_hash
        self.sig = sig
        self.shingles = shingles
        self.shingle_counts = shingle_counts
        self.sent_hashes = sent_hashes  # uint64 array
        self.skipped = skipped
        self.bp: np.ndarray | None = None  # boilerplate mask, valid while bp_version is current
        self.bp_version = -1
        self.lede = lede  # its first sentences' text (`lede_of`), None when not known


def _unshared_lede(doc: _Doc, other: _Doc) -> str:
    """`doc`'s lede without the sentences `other` holds whole (by sentence hash; the lede's lines are the doc's
    first sentences, in the order of its hashes)."""
    lines = (doc.lede or "").split("\n")
    if len(doc.sent_hashes) < len(lines):
        return doc.lede or ""
    held = set(other.sent_hashes.tolist())
    return "\n".join(line for line, h in zip(lines, doc.sent_hashes[: len(lines)].tolist(), strict=True)
                     if h not in held)


class _Cluster:
    __slots__ = ("id", "canonical_key", "members")

    def __init__(self, cid: str, key: tuple[int, float, str]) -> None:
        self.id = cid
        self.canonical_key = key
        self.members: list[str] = []


def _uniq(x: np.ndarray) -> np.ndarray:
    """Sorted unique values (np.unique's hash-based path is ~6x slower on these small arrays)."""
    a = np.sort(x)
    if len(a) < 2:
        return a
    m = np.empty(len(a), dtype=bool)
    m[0] = True
    np.not_equal(a[1:], a[:-1], out=m[1:])
    return a[m]


def _absent(sentences: list[np.ndarray], kept: np.ndarray, other: np.ndarray) -> int:
    """Shingles of the `sentences` that have no shingle in `other`, not among `kept`."""
    gone = [s for s in sentences if not np.isin(s, other, assume_unique=False).any()]
    if not gone:
        return 0
    return len(np.setdiff1d(_uniq(np.concatenate(gone)), kept, assume_unique=True))


def _hashes(values: Sequence[str] | Sequence[int] | np.ndarray) -> np.ndarray:
    if isinstance(values, np.ndarray):
        return values.astype(np.uint64, copy=False)
    if len(values) and isinstance(values[0], str):
        return np.array([int(h, 16) for h in values], dtype=np.uint64)
    return np.array(values, dtype=np.uint64)


class Deduplicator:
    """Decides new docs against seeded state and earlier docs; state grows with every `add`."""

    def __init__(self, config: DedupConfig | None = None, index: LSHIndex | None = None, workers: int = 1) -> None:
        self.config = config or DedupConfig()
        self.workers = workers  # processes for the per-doc parsing of large batches
        self.fingerprint = self.config.fingerprint()
        self._signer = Signer(self.config)
        # Where signatures are filed: in this process by default; newsdedup.lshstore passes the index
        # shared through Redis. Built with this config's (b, r): the caller keeps them the same.
        self.index: LSHIndex = index if index is not None else MemoryIndex(self.config)
        self._docs: dict[str, _Doc] = {}
        self._clusters: dict[str, _Cluster] = {}
        self._by_hash: dict[int, str] = {}
        # sentence hash -> ids of decided docs carrying it (a bare id while there is only one)
        self._postings: dict[int, str | list[str]] = {}
        # for sentences with two carriers or more: their one cluster, or None when they span several
        self._sent_cluster: dict[int, str | None] = {}
        # boilerplate knowledge: source -> sentence hash -> docs of that source carrying it, and each
        # source's boilerplate sentences (kept current as counts change)
        self._src_counts: dict[str, dict[int, int]] = {}
        self._bp_sets: dict[str, set[int]] = {}
        # of those, the sentences whose carriers are versions of one text (not boilerplate, `_one_text`),
        # and the sentences whose count reached boilerplate_min_docs since they were last reviewed
        self._exempt: dict[str, set[int]] = {}
        self._touched: dict[str, set[int]] = {}
        # the warehouse's aggregates for stored docs that were not seeded (see SentenceStats)
        self._ext = SentenceStats()
        self._kv = 0  # bumped whenever boilerplate knowledge changes (invalidates cached masks)
        self.stats: dict[str, int] = {}

    # ----- state -------------------------------------------------------------------------------
    def _count(self, key: str, n: int = 1) -> None:
        self.stats[key] = self.stats.get(key, 0) + n

    def _register_source(self, source: str, sent_hashes: Iterable[int]) -> None:
        c = self._src_counts.setdefault(source, {})
        need = self.config.boilerplate_min_docs
        ext = self._ext.source_docs
        if not ext:
            for h in set(sent_hashes):
                n = c[h] = c.get(h, 0) + 1
                if n >= need:
                    if n == need:
                        self._bp_sets.setdefault(source, set()).add(h)
                    if n <= VERSIONS_MAX_DOCS + 1:
                        self._touched.setdefault(source, set()).add(h)
            return
        for h in set(sent_hashes):
            n = c[h] = c.get(h, 0) + 1
            e = ext.get(h)
            if n + (e.get(source, 0) if e else 0) >= need:
                self._bp_sets.setdefault(source, set()).add(h)
                self._touched.setdefault(source, set()).add(h)

    def is_boilerplate(self, sent_hash: int, source: str) -> bool:
        """A source's boilerplate: the sentence is on `boilerplate_min_docs` docs of that source, unless
        those docs are versions of one text (`_one_text`)."""
        bp = self._bp_sets.get(source)
        return bp is not None and sent_hash in bp and sent_hash not in self._exempt.get(source, ())

    def _boilerplate_mask(self, doc: _Doc) -> np.ndarray:
        if doc.bp_version != self._kv or doc.bp is None:
            bp = self._bp_sets.get(doc.source)
            if bp:
                ex = self._exempt.get(doc.source)
                if ex:
                    doc.bp = np.array([h in bp and h not in ex for h in doc.sent_hashes.tolist()], dtype=bool)
                else:
                    doc.bp = np.array([h in bp for h in doc.sent_hashes.tolist()], dtype=bool)
            else:
                doc.bp = np.zeros(len(doc.sent_hashes), dtype=bool)
            doc.bp_version = self._kv
        return doc.bp

    def _review_versions(self, batch: Sequence[_Doc] = ()) -> None:
        """Decide again, for the sentences whose boilerplate count changed, whether their carriers are
        versions of one text (`_one_text`). `batch`: docs being added (not stored yet) that count."""
        touched, self._touched = self._touched, {}
        if not touched:
            return
        need = self.config.boilerplate_min_docs
        ext, postings, docs = self._ext.source_docs, self._postings, self._docs
        in_batch: dict[str, list[_Doc]] = {}
        for d in batch:
            if d.source in touched:
                in_batch.setdefault(d.source, []).append(d)
        changed = False
        for src, seen in touched.items():
            bp = self._bp_sets.get(src, set())
            counts = self._src_counts.get(src, {})
            exempt = self._exempt.setdefault(src, set())
            # a line on more docs than versions of one story come in stays boilerplate (checked no further)
            hs = {h for h in seen if h in bp and need <= counts.get(h, 0) <= VERSIONS_MAX_DOCS}
            for h in seen:
                if h in exempt and h not in hs:
                    exempt.discard(h)
                    changed = True
            if not hs:
                if not exempt:
                    del self._exempt[src]
                continue
            carriers: dict[int, list[_Doc]] = {}
            for h in hs:
                p = postings.get(h)
                if p is not None:
                    mine = [docs[i] for i in ([p] if isinstance(p, str) else p) if docs[i].source == src]
                    if mine:
                        carriers[h] = mine
            for d in in_batch.get(src, ()):
                for h in {h for h in d.sent_hashes.tolist() if h in hs}:
                    carriers.setdefault(h, []).append(d)
            verdicts: dict[tuple[str, ...], bool] = {}
            for h in hs:
                cs = carriers.get(h, [])
                e = ext.get(h)
                ok = False
                # every carrier known in full (none counted through the warehouse's aggregates only)
                if (need <= len(cs) <= VERSIONS_MAX_DOCS and counts.get(h, 0) == len(cs)
                        and not (e and e.get(src))):
                    key = tuple(sorted(d.id for d in cs))
                    if key not in verdicts:
                        verdicts[key] = self._one_text(cs)
                    ok = verdicts[key]
                if ok != (h in exempt):
                    (exempt.add if ok else exempt.discard)(h)
                    changed = True
            if not exempt:
                del self._exempt[src]
        if changed:
            self._kv += 1

    def _few_carrier_boilerplate(self, docs: Sequence[_Doc]) -> np.ndarray:
        """The docs' sentences that are their source's boilerplate by count, carried by at most
        VERSIONS_MAX_DOCS docs of it (counted with the warehouse's aggregates)."""
        ext = self._ext.source_docs
        out: list[int] = []
        for d in docs:
            bp = self._bp_sets.get(d.source)
            if not bp:
                continue
            counts = self._src_counts.get(d.source, {})
            for h in d.sent_hashes.tolist():
                if h in bp:
                    e = ext.get(h)
                    if counts.get(h, 0) + (e.get(d.source, 0) if e else 0) <= VERSIONS_MAX_DOCS:
                        out.append(h)
        return np.array(out, dtype=np.uint64)

    def _one_text(self, carriers: Sequence[_Doc]) -> bool:
        """True when one source's docs carrying a sentence read as versions of one text, not as
        different texts around the source's lines.

        Taken out what all of them carry, each doc's rest (its shingles) is what it adds around the
        shared lines: nothing (an original its updates contain), or an update's new paragraph and
        edits, which the next version carries on. Versions of one text form one chain of rests: each,
        smallest first, linked to the next larger one when most of the smaller is in the larger
        (`verify_containment`, a copy's measure). Items sharing a footer each add their own text: two
        rests of which neither holds the other, and the lines stay boilerplate. A chain by size, not any
        path of links: an outlet's digest quoting its briefs holds each brief's text, and as links
        through the digest the briefs, which share only the footer, were "one text" (the footer then
        counted, and the briefs merged); by size, two briefs are next to each other and not linked.
        And every two rests share text: a one-line brief, a long one and a digest of both (the line and
        most of the long one) are a chain by size, yet the briefs share nothing but the footer.
        """
        sets = [set(d.sent_hashes.tolist()) for d in carriers]
        common = set.intersection(*sets)
        rests: list[np.ndarray] = []
        adding: list[tuple[_Doc, np.ndarray]] = []  # a doc with text of its own, and which sentences are it
        whole: _Doc | None = None  # a doc that is only the shared text
        for d in carriers:
            if d.shingles is None or d.shingle_counts is None:
                return False  # not compared (too short) or seeded without shingles: cannot tell
            keep = np.array([h not in common for h in d.sent_hashes.tolist()], dtype=bool)
            rest = _uniq(d.shingles[np.repeat(keep, d.shingle_counts)]) if keep.any() else _NO_U32
            if len(rest):
                rests.append(rest)
                adding.append((d, keep))
            else:
                whole = d
        # An original and its updates, each adding its own editor's note on top and a correction under the
        # story: two different additions, as items around a footer have, but each smaller than the shared
        # text and around it, never only before or after it as a footer or a header is (and a newsletter
        # box in the middle of items is smaller than each item's own text).
        if whole is not None and adding:
            size = len(_uniq(whole.shingles)) if whole.shingles is not None else 0
            if all(len(r) < size for r in rests) and all(self._surrounded(d, keep) for d, keep in adding):
                return True
        need = self.config.verify_containment
        rests.sort(key=len)
        for small, large in zip(rests, rests[1:], strict=False):
            inter = len(np.intersect1d(small, large, assume_unique=True))
            if not inter or inter < need * len(small):
                return False
        return all(len(np.intersect1d(rests[i], rests[j], assume_unique=True))
                   for i in range(len(rests)) for j in range(i + 2, len(rests)))

    @staticmethod
    def _surrounded(doc: _Doc, keep: np.ndarray) -> bool:
        """True when the doc has text of its own (sentences with shingles) both before and after the
        shared sentences (`keep`: which of its sentences are its own, as `_one_text` found them)."""
        at = np.flatnonzero(~keep)
        if not len(at) or doc.shingle_counts is None:
            return False
        own = np.where(keep, doc.shingle_counts, 0)
        return bool(own[: at[0]].any() and own[at[-1] + 1 :].any())

    def _post(self, doc: _Doc) -> None:
        postings, sc, c = self._postings, self._sent_cluster, doc.cluster
        for h in set(doc.sent_hashes.tolist()):
            p = postings.get(h)
            if p is None:
                postings[h] = doc.id
            elif isinstance(p, str):
                postings[h] = [p, doc.id]
                pc = self._docs[p].cluster
                sc[h] = pc if pc == c else None
            else:
                p.append(doc.id)
                if sc[h] != c:
                    sc[h] = None

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
        if doc.skipped is None or doc.skipped == EXACT_ONLY:
            self._by_hash.setdefault(doc.content_hash, doc.id)
        self._post(doc)

    def _index_docs(self, docs: Sequence[_Doc], keys: np.ndarray | None = None) -> None:
        """File the docs that have signatures in the LSH index in one call (`keys`: their band keys
        when already computed, one row per doc with a signature)."""
        with_sig = [d for d in docs if d.sig is not None]
        if with_sig:
            sigs = np.stack([d.sig for d in with_sig])
            if keys is None or len(keys) != len(with_sig):
                keys = band_keys64(sigs, self.config)
            self.index.insert([d.id for d in with_sig], sigs, keys)

    def seed(self, docs: Iterable[SeedDoc]) -> None:
        """Load prior decisions (no re-shingling: the LSH index is rebuilt from stored signatures)."""
        cfg = self.config
        new: list[_Doc] = []
        for s in docs:
            if s.id in self._docs:
                continue
            sent = _hashes(s.sentence_hashes)
            sig = signature_from_bytes(s.signature, cfg) if s.signature is not None else None
            sh = np.frombuffer(s.shingles, dtype="<u4").astype(np.uint32) if s.shingles is not None else None
            counts = np.array(s.shingle_counts, dtype=np.int32) if s.shingle_counts is not None else None
            if sh is not None and (counts is None or len(counts) != len(sent) or int(counts.sum()) != len(sh)):
                sh, counts = None, None  # inconsistent columns: fall back to the signature
            doc = _Doc(s.id, s.source, order_key(s.published, s.id), int(s.content_hash, 16), sig, sh, counts, sent,
                       s.skipped, lede=lede_of(s.lede) if s.lede else None)
            self._register_source(s.source, sent.tolist())
            self._join(doc, s.cluster_id)
            self._store(doc)
            new.append(doc)
        # a shared index may hold them already (indexed by the run that decided them), but under an
        # older text's bands when the article was revised since: those are filed again
        self._index_docs([d for d in new if not self.index.holds(d.id, d.sig)])
        self._kv += 1
        self._review_versions()
        self._count("seeded", len(new))

    def seed_stats(self, stats: SentenceStats, clusters: Iterable[SeedCluster] = ()) -> None:
        """Aggregates of stored docs that are not seeded, and the earliest member of stored clusters.

        The counts must exclude seeded docs (they count through `seed`); later calls add up.
        """
        for h, (n, nc, c) in stats.docs.items():
            old = self._ext.docs.get(h)
            if old is None:
                self._ext.docs[h] = (n, nc, c)
            else:  # merging two summaries: distinct clusters are at least the larger count
                two = nc + old[1] >= 2 and (nc >= 2 or old[1] >= 2 or c != old[2])
                self._ext.docs[h] = (old[0] + n, 2 if two else max(nc, old[1]), old[2] or c)
        need = self.config.boilerplate_min_docs
        for h, per in stats.source_docs.items():
            tgt = self._ext.source_docs.setdefault(h, {})
            for src, n in per.items():
                tgt[src] = tgt.get(src, 0) + n
                if tgt[src] + self._src_counts.get(src, {}).get(h, 0) >= need:
                    self._bp_sets.setdefault(src, set()).add(h)
                    self._touched.setdefault(src, set()).add(h)
        for c in clusters:
            key = order_key(c.published, c.canonical_id)
            cl = self._clusters.get(c.cluster_id)
            if cl is None:
                self._clusters[c.cluster_id] = _Cluster(c.cluster_id, key)
            elif key < cl.canonical_key:
                cl.canonical_key = key
        self._kv += 1
        self._review_versions()

    def evict(self, older_than: datetime) -> int:
        """Drop docs published before `older_than` from the index (the warehouse window).

        In one pass over the evicted docs, then one over each sentence and cluster they touched: a
        sentence carried by 50,000 docs, or a cluster of 50,000 copies, had each evicted carrier
        removed from its list one at a time (and the sentence's clusters recounted), quadratic."""
        cutoff = order_key(older_than, "")
        old = [d for d in self._docs.values() if d.key < cutoff]
        if not old:
            return 0
        gone = {d.id for d in old}
        sents: dict[int, None] = {}  # the sentences the evicted docs carry (first-seen order)
        dec: dict[tuple[str, int], int] = {}  # (source, sentence) -> evicted carriers
        clusters: dict[str, None] = {}
        for d in old:
            if d.sig is not None:
                self.index.remove(d.id)
            if self._by_hash.get(d.content_hash) == d.id:
                del self._by_hash[d.content_hash]
            for h in set(d.sent_hashes.tolist()):
                sents[h] = None
                dec[(d.source, h)] = dec.get((d.source, h), 0) + 1
            if d.cluster:
                clusters[d.cluster] = None
        postings, sc, docs = self._postings, self._sent_cluster, self._docs
        for h in sents:
            p = postings.get(h)
            if p is None:
                continue
            if isinstance(p, str):
                if p in gone:
                    del postings[h]
                continue
            rest = [i for i in p if i not in gone]
            if len(rest) == len(p):
                continue
            if not rest:
                del postings[h]
                sc.pop(h, None)
            elif len(rest) == 1:
                postings[h] = rest[0]
                sc.pop(h, None)
            else:
                postings[h] = rest
                c0 = docs[rest[0]].cluster
                sc[h] = c0 if all(docs[i].cluster == c0 for i in rest) else None
        need, ext = self.config.boilerplate_min_docs, self._ext.source_docs
        for (src, h), k in dec.items():
            c = self._src_counts.get(src, {})
            n = c.get(h)
            if not n:
                continue
            n = c[h] = max(n - k, 0)
            self._touched.setdefault(src, set()).add(h)
            e = ext.get(h)
            if n + (e.get(src, 0) if e else 0) < need:
                self._bp_sets.get(src, set()).discard(h)
            if not n:
                del c[h]
        for cid in clusters:
            cl = self._clusters.get(cid)
            if cl is not None:
                cl.members = [m for m in cl.members if m not in gone]
                if not cl.members:
                    del self._clusters[cid]
        for d in old:
            del docs[d.id]
        self._kv += 1
        self._review_versions()
        return len(old)

    # ----- deciding ----------------------------------------------------------------------------
    def _content(self, doc: _Doc, story: str | None = None) -> np.ndarray | None:
        """The doc's unique shingles without its source's boilerplate sentences (as known now).

        With `story` (a cluster id), sentences also carried by docs outside that cluster are
        dropped too: a syndicated quote, a stock or agency line is no evidence that two docs tell
        the same story.
        """
        parts = self._content_parts(doc, story)
        return parts[0] if parts is not None else None

    def _content_parts(self, doc: _Doc, story: str | None = None) -> _Parts | None:
        """`_content`, the unique shingles of the sentences it dropped as carried outside `story` (those
        not also among the kept ones), and those sentences' shingles, one array per sentence, and hashes."""
        if doc.shingles is None or doc.shingle_counts is None:
            return None
        bp = self._boilerplate_mask(doc)
        keep = ~bp
        if story is not None:
            # only sentences some other stored doc carries can be outside the story
            ext, postings, me = self._ext.docs, self._postings, doc.id
            for i, h in enumerate(doc.sent_hashes.tolist()):
                if not keep[i]:
                    continue
                p = postings.get(h)
                if p is None or p is me or p == me:  # carried by this doc alone (or nobody yet)
                    if h in ext and self._outside(h, story, me):
                        keep[i] = False
                elif self._outside(h, story, me):
                    keep[i] = False
        if keep.all():
            return _uniq(doc.shingles), _NO_U32, [], []
        kept = _uniq(doc.shingles[np.repeat(keep, doc.shingle_counts)])
        outside = ~(keep | bp)
        if not outside.any():
            return kept, _NO_U32, [], []
        ends = np.cumsum(doc.shingle_counts)
        sents = [doc.shingles[e - n : e] for n, e in zip(doc.shingle_counts[outside].tolist(), ends[outside].tolist(),
                                                           strict=True)]
        foreign = _uniq(np.concatenate(sents))
        return kept, np.setdiff1d(foreign, kept, assume_unique=True), sents, doc.sent_hashes[outside].tolist()

    def _outside(self, sent_hash: int, story: str, self_id: str) -> bool:
        """True when a stored doc outside cluster `story` (other than `self_id`) carries the sentence."""
        e = self._ext.docs.get(sent_hash)
        if e is not None and (e[1] >= 2 or (e[1] == 1 and e[2] != story)):
            return True
        p = self._postings.get(sent_hash)
        if p is None:
            return False
        if isinstance(p, str):
            return p != self_id and self._docs[p].cluster != story
        # `self_id` is either not posted yet (a doc being decided) or in `story` (the candidate)
        c = self._sent_cluster[sent_hash]
        return c is None or c != story

    def _quoted(self, sent_hash: int, story: str | None, doc: _Doc) -> bool:
        """True when the earliest doc of another story (its cluster's canonical), published before `doc`,
        carries the sentence: that story's own text, quoted. Lines only other stories' copies carry (their
        "Read more" links) are not; nor are sentences known only through the warehouse's aggregates (no
        dates), as before this rule."""
        p = self._postings.get(sent_hash)
        if p is None:
            return False
        docs, clusters = self._docs, self._clusters
        for i in [p] if isinstance(p, str) else p:
            d = docs[i]
            if i != doc.id and d.cluster != story and d.key < doc.key:
                cl = clusters.get(d.cluster or "")
                if cl is not None and cl.canonical_key == d.key:
                    return True
        return False

    def _candidates(self, doc: _Doc, parsed: ParsedDoc, lsh_hits: Iterable[str]) -> list[str]:
        cfg = self.config
        found: dict[str, int] = dict.fromkeys(lsh_hits, 1000)  # LSH hits first
        bp = self._boilerplate_mask(doc)
        ext = self._ext.docs
        for i, (h, ntok) in enumerate(zip(parsed.sent_hashes.tolist(), parsed.sent_tokens.tolist(), strict=True)):
            if ntok < cfg.sentence_candidate_min_tokens or bp[i]:
                continue
            p = self._postings.get(h)
            if p is None:
                continue
            e = ext.get(h)
            n_ext = e[0] if e is not None else 0
            if isinstance(p, str):
                if 1 + n_ext <= cfg.sentence_candidate_max_postings:
                    found[p] = found.get(p, 0) + 1
            elif len(p) + n_ext <= cfg.sentence_candidate_max_postings:
                for j in p:
                    found[j] = found.get(j, 0) + 1
        found.pop(doc.id, None)
        ranked = sorted(found, key=lambda i: (-found[i], i))
        return ranked[: cfg.max_candidates]

    def _verify(self, doc: _Doc, other: _Doc, mine: dict[str | None, _Parts | None] | None = None
                ) -> tuple[float, float, float | None] | None:
        """(score, jaccard, containment) when `other` is verified as the same story, else None.

        `mine` caches the doc's content per story across its candidates (copies of one story are
        usually several candidates of the same cluster)."""
        cfg = self.config
        if mine is None:
            parts = self._content_parts(doc, other.cluster)
        elif other.cluster in mine:
            parts = mine[other.cluster]
        else:
            parts = mine[other.cluster] = self._content_parts(doc, other.cluster)
        if parts is None:
            return None
        content, foreign, fsents, fhashes = parts
        est = None
        if doc.sig is not None and other.sig is not None:
            est = float(np.count_nonzero(doc.sig == other.sig)) / cfg.num_perm
        oparts = self._content_parts(other, other.cluster)
        if oparts is None:  # seeded without shingles: the signature estimate is all we have
            if est is not None and est >= cfg.verify_jaccard:
                return est, est, None
            return None
        oc, oforeign, ofsents, ofhashes = oparts
        if len(oc) == 0 or len(content) == 0:
            return None
        inter = len(np.intersect1d(content, oc, assume_unique=True))
        if inter == 0:
            return None
        # Sentences of other stories are no evidence of sameness, but they are the doc's text: one that
        # the other doc has nothing of counts in the size of the doc that carries it. (Out of the size
        # too, a roundup quoting three stories' ledes was "contained" in each story, and a copy of a
        # stored story met another story's copy as its ad and "Read more" lines alone.) Text one side
        # keeps and the other drops as another story's is in neither size: shared, and no evidence. So is
        # text the other side drops as its source's boilerplate: it has it. (Counted absent, an outlet's
        # copy of one item of another outlet's automated feed, whose template sentences are that feed's
        # boilerplate and, in the copy, sentences of the feed's other items, never joined its item.)
        n_c, n_o = len(content), len(oc)
        # every shingle of each side, its source's boilerplate included (both have shingles: parts were made)
        d_all = doc.shingles if doc.shingles is not None else content
        o_all = other.shingles if other.shingles is not None else oc
        if len(oforeign):
            n_c -= len(np.intersect1d(content, oforeign, assume_unique=True))
        if len(foreign):
            n_o -= len(np.intersect1d(oc, foreign, assume_unique=True))
        if fsents:
            n_c += _absent(fsents, content, o_all)
        if ofsents:
            n_o += _absent(ofsents, oc, d_all)
        jac = inter / (n_c + n_o - inter)
        small = min(n_c, n_o)
        cont = inter / small
        by_jaccard = jac >= cfg.verify_jaccard
        if not by_jaccard and not (cont >= cfg.verify_containment and small >= cfg.containment_min_shingles):
            return None
        # A roundup quoting three stories' ledes holds the whole of one story's teaser (containment 0.7-1.0)
        # and joined that story's cluster. The side that holds the other is no copy of it when it quotes at
        # least half as much text of other stories (sentences the earlier original of another story carries,
        # which the other side has nothing of) as it shares with it: a roundup or digest of known stories,
        # also when one story's lede is longer than the others' together (a teaser of it then matched the
        # roundup by Jaccard 0.51-0.57, or by containment with 0.64-0.94 as much quoted as shared; copies of
        # one story carry at most 0.41 as much, a "Related" teaser beside a whole story far less). Text
        # another story took from it later (a follow-up's background) is its own, and so are "Read more"
        # lines naming other stories; a bulletin holding one story beside items no stored doc carries (Lee's
        # bulletin pair, labelled a copy) still joins it.
        big_is_doc = n_c >= n_o
        big, bsents, bhashes = (doc, fsents, fhashes) if big_is_doc else (other, ofsents, ofhashes)
        # (the quoted text is at most the other stories' sentences: when even they are too few, nothing to look up)
        if bsents and sum(len(x) for x in bsents) * QUOTED_SHARE_DEN >= inter:
            quoted = [x for x, h in zip(bsents, bhashes, strict=True) if self._quoted(h, other.cluster, big)]
            if quoted:
                # (what the small side drops as its source's boilerplate it has: not quoted from elsewhere)
                kept, rest = (content, o_all) if big_is_doc else (oc, d_all)
                if _absent(quoted, kept, rest) * QUOTED_SHARE_DEN >= inter:
                    return None
        # One wire template filled for two events (two outlets' quake reports, two papers' obituaries): a
        # lede sentence names another place or person where the other names its own, and its figures changed
        # (`other_event`). An update changes figures only, a copy edit a name only: both still match.
        # A lede sentence the other text holds whole (a paragraph moved, not rewritten) is no sign of another event.
        if jac < OTHER_EVENT_MAX_JACCARD and doc.lede and other.lede \
                and other_event(_unshared_lede(doc, other), _unshared_lede(other, doc)):
            self._count("other_event")
            return None
        if by_jaccard:
            return max(jac, cont if small >= cfg.containment_min_shingles else 0.0), jac, cont
        return cont, jac, cont

    def _parse(self, docs: Sequence[DedupDoc]) -> list[ParsedDoc]:
        texts = [d.text or "" for d in docs]
        self._count("cut_long_text", sum(is_cut(t, MAX_TEXT_CHARS) for t in texts))
        return parse_many(texts, self.config, self.workers)

    def seed_for(self, store: SeedStore, docs: Sequence[DedupDoc], parsed: Sequence[ParsedDoc]) -> int:
        """Seed from `store` only what `docs` can be compared against; returns the docs seeded.

        Decisions come out as if every stored doc of the window had been seeded: the stored docs
        sharing an LSH band with a new doc's signature, a content hash, or a sentence carried by at
        most `sentence_candidate_max_postings` stored docs (all the candidates `add` can find) are
        seeded in full; every other stored doc counts only through sentence aggregates (boilerplate,
        quotes shared with other stories, across-article repeats). The new docs' signatures depend on
        boilerplate knowledge, so they are computed first on a scratch copy with the aggregates of all
        stored docs, then the seeds' own contribution is taken out of the aggregates.
        """
        cfg = self.config
        if not docs:
            return 0
        new_hashes = np.unique(np.concatenate([p.sent_hashes for p in parsed]))
        scratch = Deduplicator(cfg)
        scratch.seed_stats(store.sentence_stats(new_hashes, ()))
        _, pending, _, with_sig, keys = scratch._prepare(docs, parsed)
        # the sentences `_candidates` may look up: long enough and not the doc's source's boilerplate
        long_enough = np.concatenate([
            p.sent_hashes[(p.sent_tokens >= cfg.sentence_candidate_min_tokens) & ~scratch._boilerplate_mask(d)]
            for p, d in zip(parsed, pending, strict=True)])
        # and the boilerplate (by count) that few of the source's docs carry: when those docs are versions
        # of one text it is not boilerplate (`_review_versions`), which only docs seeded in full can show
        few = scratch._few_carrier_boilerplate(pending)
        seeds = [s for s in store.seed_docs(np.unique(keys.ravel()), np.unique(np.concatenate([long_enough, few])),
                                            sorted({hex64(d.content_hash) for d in pending}))
                 if s.id not in self._docs]
        seed_hashes = [_hashes(s.sentence_hashes) for s in seeds]
        all_hashes = np.unique(np.concatenate([new_hashes, *seed_hashes]))
        stats = store.sentence_stats(all_hashes, [s.id for s in seeds])
        self.seed(seeds)
        self.seed_stats(stats, store.cluster_heads(sorted({s.cluster_id for s in seeds})))
        return len(seeds)

    def add(self, docs: Sequence[DedupDoc], parsed: Sequence[ParsedDoc] | None = None) -> list[DocResult]:
        """Decide new docs in (published, id) order against the state and earlier docs of the batch."""
        if parsed is None:
            parsed = self._parse(docs)
        seen_ids: set[str] = set()
        for d in docs:
            if d.id in self._docs or d.id in seen_ids:
                raise ValueError(f"doc id {d.id!r} is already known to this Deduplicator")
            seen_ids.add(d.id)
        prior_state = bool(self._docs) or bool(self._ext.docs)
        order, pending, contents, with_sig, keys = self._prepare(docs, parsed)
        hits = self._batch_lsh_hits(pending, order, with_sig, keys)
        across_prior = self._prior_sentence_summary(parsed) if prior_state else None
        decisions: list[tuple[Any, ...] | None] = [None] * len(docs)
        for i in order:
            decisions[i] = self._decide(pending[i], parsed[i], contents[i], hits.get(i))
            contents[i] = None  # free as we go (peak memory)
        self._index_docs([pending[i] for i in with_sig], keys)
        across = self._across(pending, parsed, across_prior)
        band_of = dict(zip(with_sig, keys, strict=True))
        results: list[DocResult] = []
        for i, (doc, p) in enumerate(zip(pending, parsed, strict=True)):
            kind, matched, sim, est, jac, cont = decisions[i]  # type: ignore[misc]
            results.append(DocResult(
                id=doc.id, cluster_id=doc.cluster or doc.id, kind=kind, matched_id=matched, similarity=sim,
                estimated_similarity=est, content_hash=hex64(doc.content_hash), sig=doc.sig, skipped=doc.skipped,
                config_fingerprint=self.fingerprint, jaccard=jac, containment=cont, shingles=doc.shingles,
                shingle_counts=p.shingle_counts if doc.shingles is not None else None,
                sentence_text=p.sentence_text, sentence_hashes=p.sent_hashes, sentence_tokens=p.sent_tokens,
                within_counts=p.within_counts, across_counts=across[i], boilerplate=self._boilerplate_mask(doc),
                band_keys=band_of.get(i),
            ))
        return results

    def _prepare(self, docs: Sequence[DedupDoc], parsed: Sequence[ParsedDoc]
                 ) -> tuple[list[int], list[_Doc], list[np.ndarray | None], list[int], np.ndarray]:
        """Register the batch's sources, then each doc's kept shingles and signature (boilerplate
        removed) and LSH band keys: (decision order, docs, kept shingles or None when the doc is
        not compared, rows with a signature, their band keys)."""
        cfg = self.config
        # Boilerplate is learnt from the whole batch first, so the first docs of a new source are
        # judged with the same knowledge as its later ones.
        for d, p in zip(docs, parsed, strict=True):
            self._register_source(d.source, p.sent_hashes.tolist())
        self._kv += 1
        order = sorted(range(len(docs)), key=lambda i: order_key(docs[i].published, docs[i].id))
        pending: list[_Doc] = []
        for d, p in zip(docs, parsed, strict=True):
            skip = "empty" if p.n_tokens == 0 else ("too_short" if p.n_tokens < cfg.min_tokens else None)
            pending.append(_Doc(d.id, d.source, order_key(d.published, d.id), p.content_hash, None,
                                p.shingles if skip is None else None, p.shingle_counts if skip is None else None,
                                p.sent_hashes, skip, lede=lede_of(p.sentence_text)))
        self._review_versions(pending)
        contents: list[np.ndarray | None] = []
        resign: list[int] = []
        for i, doc in enumerate(pending):
            bp = self._boilerplate_mask(doc)
            if doc.skipped is not None or doc.shingles is None:
                contents.append(None)
                continue
            # the kept shingles (duplicates are harmless to MinHash; verification makes its own sets)
            full = parsed[i].signature
            if not bp.any():
                c = doc.shingles
                dropped = False
            else:
                keep = np.repeat(~bp, doc.shingle_counts)
                c = doc.shingles[keep]
                dropped = True
            contents.append(c)
            if len(c) == 0:
                doc.skipped = "boilerplate_only"
            elif full is not None and not dropped:
                doc.sig = full  # no boilerplate: the worker's signature is the one
            else:  # the signature covers the content without the source's boilerplate
                resign.append(i)
        # one batched pass over every doc that lost boilerplate sentences (~11 µs a doc)
        for i, s in zip(resign, self._signer.sign_many([contents[i] for i in resign]), strict=True):
            pending[i].sig = s
        with_sig = [i for i, d in enumerate(pending) if d.sig is not None]
        keys = (band_keys64(np.stack([pending[i].sig for i in with_sig]), cfg) if with_sig
                else np.zeros((0, cfg.lsh_params[0]), dtype=np.uint64))
        return order, pending, contents, with_sig, keys

    def _batch_lsh_hits(self, pending: list[_Doc], order: list[int], with_sig: list[int], keys: np.ndarray
                        ) -> dict[int, list[str]]:
        """LSH candidates of every batch doc at once: known docs in the index sharing a band, and batch
        docs decided before it sharing one (what per-doc query-then-insert would find)."""
        if not with_sig:
            return {}
        rank = np.empty(len(pending), dtype=np.int64)
        rank[np.array(order, dtype=np.int64)] = np.arange(len(pending))
        rows = np.array(with_sig, dtype=np.int64)
        stored = self.index.query(np.stack([pending[i].sig for i in with_sig]), keys)
        later, earlier = pairs_within(keys, rank[rows], MAX_HITS_PER_BAND)
        out: dict[int, list[str]] = {}
        docs = self._docs
        for row, ids in zip(with_sig, stored, strict=True):
            known = [i for i in ids if i in docs]  # a shared index also holds docs this run never saw
            if known:
                out[row] = known
        for a, b in zip(rows[later].tolist(), rows[earlier].tolist(), strict=True):
            out.setdefault(a, []).append(pending[b].id)
        return out

    def _decide(self, doc: _Doc, parsed: ParsedDoc, content: np.ndarray | None, lsh_hits: list[str] | None
                ) -> tuple[str, str | None, float | None, float | None, float | None, float | None]:
        cfg = self.config
        kind, matched, sim, est, jac, cont = "canonical", None, None, None, None, None
        target: str | None = None
        if doc.skipped is not None:
            self._count(f"skipped_{doc.skipped}")
        # A doc whose every sentence is its source's boilerplate is not compared, but its exact twin
        # is found: an outlet that published one story three times (an update under a new URL, a
        # section page's copy) made each of its sentences "boilerplate" of that outlet, and the three
        # identical texts (and other outlets' exact copies) were never clustered.
        if doc.skipped is None or doc.skipped == EXACT_ONLY:
            ex = self._by_hash.get(doc.content_hash)
            if ex is not None:
                other = self._docs[ex]
                target, matched, kind, sim, jac, cont = other.cluster, ex, "exact", 1.0, 1.0, 1.0
                if doc.sig is not None and other.sig is not None:
                    est = float(np.count_nonzero(doc.sig == other.sig)) / cfg.num_perm
            elif content is not None and doc.skipped is None:
                best: tuple[float, str] | None = None
                mine: dict[str | None, _Parts | None] = {}
                best_detail: tuple[float, float | None] = (0.0, None)
                for cid in self._candidates(doc, parsed, lsh_hits or ()):
                    other = self._docs[cid]
                    v = self._verify(doc, other, mine)
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
        return kind, matched, sim, est, jac, cont

    # ----- repeated sentences across stories ------------------------------------------------------
    def _prior_sentence_summary(self, parsed: Sequence[ParsedDoc]) -> dict[int, tuple[int, int, str | None]]:
        """For the batch's sentences: (docs, distinct clusters (0, 1 or 2 = several), a cluster) over
        what was known before the batch (seeded and earlier docs, the warehouse's aggregates)."""
        out: dict[int, tuple[int, int, str | None]] = {}
        ext, postings, docs, sc = self._ext.docs, self._postings, self._docs, self._sent_cluster
        for p in parsed:
            for h in p.sent_hashes.tolist():
                if h in out:
                    continue
                n, nc, c = ext.get(h, (0, 0, None))
                post = postings.get(h)
                if post is not None:
                    # the carriers' one cluster (None: several) as `_post` keeps it, not a walk over them: a
                    # sentence on 100,000 decided docs was walked by every batch that carried it again
                    first = post if isinstance(post, str) else post[0]
                    if isinstance(post, str):
                        n, one = n + 1, docs[post].cluster
                    else:
                        n, one = n + len(post), sc[h]
                    if nc == 0:
                        nc, c = (1, one) if one is not None else (2, docs[first].cluster)
                    elif nc == 1 and (one is None or one != c):
                        nc = 2
                if n:
                    out[h] = (n, nc, c)
        return out

    def _across(self, pending: list[_Doc], parsed: Sequence[ParsedDoc],
                prior: dict[int, tuple[int, int, str | None]] | None) -> list[np.ndarray]:
        """Per doc and sentence: docs carrying it minus one, when they span two stories or more
        (after the batch, so the first carriers of a syndicated line are flagged too). Sentences
        with fewer than `across_min_tokens` tokens get 0. Vectorised over the whole batch."""
        min_tok = self.config.across_min_tokens
        lens = np.array([len(p.sent_hashes) for p in parsed], dtype=np.int64)
        if not lens.sum():
            return [np.zeros(n, dtype=np.int32) for n in lens.tolist()]
        codes: dict[str, int] = {}
        doc_code = np.array([codes.setdefault(d.cluster or d.id, len(codes)) for d in pending], dtype=np.int64)
        h_all = np.concatenate([p.sent_hashes for p in parsed])
        ok = np.concatenate([p.sent_tokens for p in parsed]) >= min_tok
        d_all = np.repeat(np.arange(len(pending)), lens)
        hs, ds = h_all[ok], d_all[ok]
        srt = np.argsort(hs, kind="stable")  # rows are in doc order: sorted by (sentence, doc)
        hs, ds = hs[srt], ds[srt]
        first = np.ones(len(hs), dtype=bool)  # one row per (sentence, doc)
        first[1:] = (hs[1:] != hs[:-1]) | (ds[1:] != ds[:-1])
        # each row's sentence group: groups counted along the sorted rows, mapped back
        new_group = np.ones(len(hs), dtype=bool)
        new_group[1:] = hs[1:] != hs[:-1]
        gid_sorted = np.cumsum(new_group) - 1
        row_gid = np.empty(len(hs), dtype=np.int64)
        row_gid[srt] = gid_sorted
        hs, ds = hs[first], ds[first]
        cs = doc_code[ds]
        starts = np.flatnonzero(np.r_[True, hs[1:] != hs[:-1]]) if len(hs) else np.zeros(0, dtype=np.int64)
        uh = hs[starts]
        n = np.diff(np.r_[starts, len(hs)])
        cmin = np.minimum.reduceat(cs, starts) if len(hs) else cs
        cmax = np.maximum.reduceat(cs, starts) if len(hs) else cs
        multi = cmin != cmax
        if prior:
            for g, h in enumerate(uh.tolist()):
                pr = prior.get(h)
                if pr is None:
                    continue
                pn, pnc, pc = pr
                n[g] += pn
                pcode = codes.get(pc, -1) if pc is not None else -1
                multi[g] |= pnc >= 2 or (pnc == 1 and not (cmin[g] == cmax[g] == pcode))
        per_hash = np.where(multi, n - 1, 0).astype(np.int32)
        row = np.zeros(len(h_all), dtype=np.int32)
        if len(uh):
            row[ok] = per_hash[row_gid]
        return np.split(row, np.cumsum(lens)[:-1])

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
