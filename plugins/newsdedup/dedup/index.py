"""The MinHash-LSH index a Deduplicator files signatures in, kept apart from where it lives.

As datasketch keeps `MinHashLSH` apart from its storage backends, the Deduplicator sees only
`LSHIndex`: insert a batch, query a batch, remove one doc, ask whether it holds one. Two backends:

- `MemoryIndex` (the default): `BandIndex`'s sorted arrays in this process, a batch per searchsorted;
- `DatasketchIndex`: a datasketch `MinHashLSH` with any storage, e.g. Redis shared by every worker
  (`newsdedup.lshstore` builds it after pinning the config fingerprint).

Candidates within a batch (a doc and the batch docs decided before it) never touch the index: the
Deduplicator pairs them itself (`pairs_within`), then indexes the batch once it is decided.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
from datasketch import MinHashLSH

from newsdedup.dedup import minhash
from newsdedup.dedup.config import DedupConfig
from newsdedup.dedup.minhash import MAX_HITS_PER_BAND, BandIndex, lsh_insert, lsh_query

log = logging.getLogger(__name__)


@runtime_checkable
class LSHIndex(Protocol):
    """What a Deduplicator needs from its LSH index. Docs are named by id."""

    def insert(self, ids: Sequence[str], sigs: np.ndarray, keys: np.ndarray) -> None:
        """Index docs `ids` with their signatures (n, num_perm) and 64-bit band keys (n, b); an id the
        index already holds has its bands replaced."""
        ...

    def query(self, sigs: np.ndarray, keys: np.ndarray) -> list[list[str]]:
        """For each row, the ids sharing at least one band with it (any order). A shared index may
        answer ids this Deduplicator never saw (other runs' docs): the caller ignores those."""
        ...

    def remove(self, doc_id: str) -> None:
        """Forget a doc (nothing happens when it is not there)."""
        ...

    def __contains__(self, doc_id: object) -> bool: ...


class MemoryIndex:
    """`LSHIndex` in this process: band keys in `BandIndex`'s sorted arrays, docs numbered in the
    order they are inserted (the band cap keeps the most recently inserted docs)."""

    def __init__(self, config: DedupConfig, max_hits_per_band: int = MAX_HITS_PER_BAND) -> None:
        self.bands = BandIndex(config, max_hits_per_band)
        self._ids: list[str | None] = []  # doc number -> id (None once removed)
        self._num: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._num)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._num

    def insert(self, ids: Sequence[str], sigs: np.ndarray, keys: np.ndarray) -> None:
        if not len(ids):
            return
        for doc_id in ids:
            if doc_id in self._num:
                self.remove(doc_id)
        start = len(self._ids)
        self._ids.extend(ids)
        self._num.update(zip(ids, range(start, start + len(ids)), strict=True))
        self.bands.insert_many(np.arange(start, start + len(ids), dtype=np.int64), keys)

    def query(self, sigs: np.ndarray, keys: np.ndarray) -> list[list[str]]:
        out: list[list[str]] = [[] for _ in range(len(keys))]
        rows, hits = self.bands.query_many(keys)
        if not len(rows):
            return out
        pairs = np.unique(rows * (1 << 32) + hits)  # one per (row, doc): a doc hit in several bands once
        ids = self._ids
        for r, n in zip((pairs >> 32).tolist(), (pairs & 0xFFFFFFFF).tolist(), strict=True):
            doc_id = ids[n]
            if doc_id is not None:
                out[r].append(doc_id)
        return out

    def remove(self, doc_id: str) -> None:
        num = self._num.pop(doc_id, None)
        if num is not None:
            self.bands.remove(num)
            self._ids[num] = None


class DatasketchIndex:
    """`LSHIndex` over a datasketch `MinHashLSH` with any storage (`make_lsh(config, storage_config)`).

    With Redis storage the index outlives the process: the ids it holds are listed once at start (one
    HKEYS instead of a round trip per doc), so seeding docs another run indexed writes nothing.
    """

    def __init__(self, lsh: MinHashLSH, config: DedupConfig) -> None:
        self.lsh, self.config = lsh, config
        # datasketch pickles keys for Redis (prepickle); its keys storage (not a dict) lists them
        stored = lsh.keys.keys()
        if lsh.prepickle:  # never pickle.loads what a shared store hands back (minhash.unpickle_key)
            keys = [minhash.unpickle_key(k) for k in stored]
            self._present: set[str] = {k for k in keys if k is not None}
            if None in keys:
                log.warning("LSH index: %d stored keys are not pickled ids (written by something else): "
                            "ignored", sum(k is None for k in keys))
        else:
            self._present = set(stored)

    def __len__(self) -> int:
        return len(self._present)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._present

    def insert(self, ids: Sequence[str], sigs: np.ndarray, keys: np.ndarray) -> None:
        for doc_id, sig in zip(ids, sigs, strict=True):
            if doc_id in self._present:  # a retried run: replace the bands, do not add a second set
                self.lsh.remove(doc_id)
            lsh_insert(self.lsh, doc_id, sig, self.config)
            self._present.add(doc_id)

    def query(self, sigs: np.ndarray, keys: np.ndarray) -> list[list[str]]:
        return [list(lsh_query(self.lsh, sig, self.config)) for sig in sigs]

    def remove(self, doc_id: str) -> None:
        if doc_id in self._present:
            self.lsh.remove(doc_id)
            self._present.discard(doc_id)
