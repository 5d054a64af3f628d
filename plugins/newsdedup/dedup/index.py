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

import pickle
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
from datasketch import MinHashLSH

from newsdedup.dedup.config import DedupConfig
from newsdedup.dedup.minhash import (
    MAX_HITS_PER_BAND,
    BandIndex,
    band_keys,
    lsh_insert,
    lsh_query,
    merge_unique,
)


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

    def holds(self, doc_id: str, sig: np.ndarray | None) -> bool:
        """Whether the index holds `doc_id` filed under `sig`'s bands (None: under any). A shared
        index may hold a stored article under an older text's bands (it was revised since)."""
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
        # band by band, merged into one code per (row, doc): a doc hit in several bands once, and at most
        # rows x MAX_HITS_PER_BAND hits at a time (all b bands at once: b times that, 8 million rows for
        # 1,000 copies of one text)
        pairs = np.zeros(0, dtype=np.int64)
        for j in range(keys.shape[1]):
            rows, hits = self.bands.query_many(keys[:, j:j + 1])
            if len(rows):
                pairs = merge_unique(pairs, rows * (1 << 32) + hits)
        if not len(pairs):
            return out
        ids = self._ids
        for r, n in zip((pairs >> 32).tolist(), (pairs & 0xFFFFFFFF).tolist(), strict=True):
            doc_id = ids[n]
            if doc_id is not None:
                out[r].append(doc_id)
        return out

    def holds(self, doc_id: str, sig: np.ndarray | None) -> bool:
        # filled by this process only, from the signatures it was given: what it holds is current
        return doc_id in self._num

    def remove(self, doc_id: str) -> None:
        num = self._num.pop(doc_id, None)
        if num is not None:
            self.bands.remove(num)
            self._ids[num] = None


class DatasketchIndex:
    """`LSHIndex` over a datasketch `MinHashLSH` with any storage (`make_lsh(config, storage_config)`).

    The ids it holds are never listed: whether it holds one is asked of the storage when it matters
    (`MinHashLSH.__contains__`, one HEXISTS on Redis: when a doc is seeded, inserted or removed). So
    opening a shared index costs the same at any size, and an id another worker filed, or a sweep
    (`newsdedup.lshstore.sweep`) removed, since this index was opened is seen as it is now.
    """

    def __init__(self, lsh: MinHashLSH, config: DedupConfig) -> None:
        self.lsh, self.config = lsh, config
        lsh.keys.size()  # one HLEN on Redis: a key list of another type fails here, not mid-run

    def __len__(self) -> int:
        return int(self.lsh.keys.size())

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and doc_id in self.lsh

    def insert(self, ids: Sequence[str], sigs: np.ndarray, keys: np.ndarray) -> None:
        for doc_id, sig in zip(ids, sigs, strict=True):
            if doc_id in self.lsh:  # a retried run: replace the bands, do not add a second set
                self.lsh.remove(doc_id)
            lsh_insert(self.lsh, doc_id, sig, self.config)

    def query(self, sigs: np.ndarray, keys: np.ndarray) -> list[list[str]]:
        return [list(lsh_query(self.lsh, sig, self.config)) for sig in sigs]

    def remove(self, doc_id: str) -> None:
        if doc_id in self.lsh:
            self.lsh.remove(doc_id)

    def holds(self, doc_id: str, sig: np.ndarray | None) -> bool:
        # the band hashes MinHashLSH.insert filed the key under (its key list; empty when it holds no
        # such key: one look-up on Redis, not a HEXISTS before it), against this signature's
        stored = self.lsh.keys.get(pickle.dumps(doc_id) if self.lsh.prepickle else doc_id)
        if not stored or sig is None:
            return bool(stored)
        wanted = band_keys(self.lsh, sig)
        if self.lsh.hashfunc is not None:
            wanted = [self.lsh.hashfunc(h) for h in wanted]
        return [bytes(h) if isinstance(h, bytes | bytearray | memoryview) else h for h in stored] == wanted
