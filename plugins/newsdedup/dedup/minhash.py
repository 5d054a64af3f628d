"""MinHash signatures (datasketch "affine32"-compatible, vectorised over many docs) and the LSH index."""

from __future__ import annotations

import io
import pickle
from typing import Any

import numpy as np
from datasketch import LeanMinHash, MinHashLSH

from newsdedup.dedup.config import DedupConfig

# A band shared by more docs than this (templated or near-empty texts) yields its latest ones only.
MAX_HITS_PER_BAND = 256
_FMIX = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
_EMPTY = np.uint32(0xFFFFFFFF)


def permutations(config: DedupConfig) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) of datasketch's affine32 scheme for this seed and num_perm (bit-identical)."""
    gen = np.random.RandomState(config.seed)
    a = gen.randint(0, 1 << 31, config.num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, config.num_perm, dtype=np.uint32)
    return a, b


def _fmix32(h: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = _FMIX
    h = h ^ (h >> s1)
    h = h * m1
    h = h ^ (h >> s2)
    h = h * m2
    return h ^ (h >> s3)


class Signer:
    """Computes MinHash signatures for many shingle sets at once.

    Same values as `datasketch.MinHash(num_perm, seed, hashfunc=lambda x: x)` updated with each
    32-bit shingle hash (tested), but one numpy pass per chunk of documents instead of one per doc.
    """

    def __init__(self, config: DedupConfig, chunk_rows: int = 4096) -> None:
        self.config = config
        self.a, self.b = permutations(config)
        self.chunk_rows = chunk_rows

    def sign_many(self, shingle_sets: list[np.ndarray]) -> list[np.ndarray | None]:
        """One uint32 signature per non-empty shingle array (None for empty ones)."""
        out: list[np.ndarray | None] = [None] * len(shingle_sets)
        batch: list[int] = []
        rows = 0
        for i, s in enumerate(shingle_sets):
            if len(s) == 0:
                continue
            if len(s) > self.chunk_rows:
                out[i] = self._sign_long(s)
                continue
            batch.append(i)
            rows += len(s)
            if rows >= self.chunk_rows:
                self._sign_chunk(shingle_sets, batch, out)
                batch, rows = [], 0
        if batch:
            self._sign_chunk(shingle_sets, batch, out)
        return out

    def _sign_long(self, shingles: np.ndarray) -> np.ndarray:
        """The signature of one long shingle array, folded in `chunk_rows` at a time (the minimum of the
        parts' minimums is the minimum): in one piece, a 2-million-character Thai or Chinese text (a
        shingle per character) made a (num_perm, 2 M) matrix of 1 GB."""
        sig = np.full(len(self.a), _EMPTY, dtype=np.uint32)
        phv = np.empty((len(self.a), self.chunk_rows), dtype=np.uint32)
        for start in range(0, len(shingles), self.chunk_rows):
            h = _fmix32(shingles[start:start + self.chunk_rows].astype(np.uint32, copy=False))
            np.minimum(sig, self._permuted(h, phv[:, :len(h)]).min(axis=1), out=sig)
        return sig

    def _permuted(self, h: np.ndarray, out: np.ndarray) -> np.ndarray:
        """`a * h + b` (mod 2**32) of every permutation (rows) and shingle hash (columns), into `out`."""
        with np.errstate(over="ignore"):
            np.multiply(self.a[:, None], h[None, :], out=out)
            np.add(out, self.b[:, None], out=out)
        return out

    def _sign_chunk(self, sets: list[np.ndarray], idx: list[int], out: list[np.ndarray | None]) -> None:
        arrays = [sets[i] for i in idx]
        h = _fmix32(np.concatenate(arrays).astype(np.uint32, copy=False))
        offsets = np.zeros(len(arrays), dtype=np.int64)
        np.cumsum([len(a) for a in arrays[:-1]], out=offsets[1:])
        # (num_perm, rows) and a reduction along the contiguous axis: ~8x faster than reducing
        # (rows, num_perm) along axis 0, and a chunk of a few thousand rows stays in cache.
        phv = self._permuted(h, np.empty((len(self.a), len(h)), dtype=np.uint32))
        mins = np.minimum.reduceat(phv, offsets, axis=1).T
        for j, i in enumerate(idx):
            out[i] = np.ascontiguousarray(mins[j])


_BAND_MUL = np.uint64(0x9E3779B97F4A7C15)
_BAND_MIX = np.uint64(0xBF58476D1CE4E5B9)


def band_keys64(sigs: np.ndarray, config: DedupConfig) -> np.ndarray:
    """(docs, b) uint64 LSH band keys of a (docs, num_perm) signature matrix, band number mixed in.

    Two docs share a key exactly when they share that band's r hash values (up to a 64-bit hash
    collision, ~1e-9 over a year of news, and verification would reject it anyway). One integer per
    band is what the in-memory index sorts and what the warehouse's `lsh_bands` table joins on.
    The warehouse keeps these keys: changing this function needs a new `DedupConfig.hash_scheme`
    (so a new fingerprint), or stored bands would silently stop matching.
    """
    b, r = config.lsh_params
    x = np.ascontiguousarray(sigs[:, : b * r], dtype=np.uint32).reshape(len(sigs), b, r).astype(np.uint64)
    with np.errstate(over="ignore"):
        h = np.broadcast_to((np.arange(1, b + 1, dtype=np.uint64) * _BAND_MUL)[None, :], (len(sigs), b)).copy()
        for j in range(r):
            h ^= x[:, :, j]
            h *= _BAND_MIX
            h ^= h >> np.uint64(31)
    return h


def signature_bytes(sig: np.ndarray) -> bytes:
    """Serialise hash values (little-endian uint32); the config fingerprint says how they were made."""
    return sig.astype("<u4").tobytes()


def signature_from_bytes(data: bytes, config: DedupConfig) -> np.ndarray:
    sig = np.frombuffer(data, dtype="<u4").astype(np.uint32)
    if len(sig) != config.num_perm:
        raise ValueError(f"signature has {len(sig)} values, config expects num_perm={config.num_perm}")
    return sig


class _Sketch:
    """The two attributes MinHashLSH reads from a MinHash (avoids building a LeanMinHash per insert)."""

    __slots__ = ("hashvalues", "scheme")

    def __init__(self, hashvalues: np.ndarray, scheme: str) -> None:
        self.hashvalues = hashvalues
        self.scheme = scheme

    def __len__(self) -> int:
        return len(self.hashvalues)


def sketch(sig: np.ndarray, config: DedupConfig) -> _Sketch:
    return _Sketch(sig, config.scheme)


def lean_minhash(sig: np.ndarray, config: DedupConfig) -> LeanMinHash:
    """A real datasketch LeanMinHash for a signature (for callers that want datasketch objects)."""
    return LeanMinHash(seed=config.seed, hashvalues=sig, scheme=config.scheme)


def make_lsh(config: DedupConfig, storage_config: dict[str, Any] | None = None) -> MinHashLSH:
    """Build the MinHash-LSH index with the pinned (b, r); every index goes through here.

    With Redis storage (`{"type": "redis", "basename": b"...", ...}`) the basename must be bytes and
    should embed the config fingerprint: Redis keeps no index settings, so an index opened with other
    params would silently find nothing.
    """
    if storage_config is not None and storage_config.get("type") == "redis":
        basename = storage_config.get("basename")
        if not isinstance(basename, bytes):
            raise ValueError("storage_config['basename'] must be bytes (datasketch's Redis storage)")
        if config.fingerprint().encode() not in basename:
            raise ValueError(
                f"storage_config basename {basename!r} must contain the config fingerprint "
                f"{config.fingerprint()!r}, so an index built with other LSH params is never reused"
            )
    return MinHashLSH(
        threshold=config.lsh_threshold,
        num_perm=config.num_perm,
        params=config.lsh_params,
        storage_config=storage_config,
    )


def _fast_path(lsh: MinHashLSH) -> bool:
    # The band keys below are the bytes MinHashLSH._byteswap makes; with prepickled keys or a
    # band hash function the index's own methods are used instead.
    return not lsh.prepickle and lsh.hashfunc is None


def band_keys(lsh: MinHashLSH, sig: np.ndarray) -> list[bytes]:
    """The LSH band keys of a signature, exactly as MinHashLSH computes them (big-endian bytes)."""
    raw = sig.astype(">u4").tobytes()
    w = 4 * lsh.r
    return [raw[i * w : (i + 1) * w] for i in range(lsh.b)]


def lsh_insert(lsh: MinHashLSH, key: str, sig: np.ndarray, config: DedupConfig) -> None:
    """Insert one signature (same storage layout as `MinHashLSH.insert`, one bytes slice per band)."""
    if not _fast_path(lsh):
        lsh.insert(key, sketch(sig, config), check_duplication=False)
        return
    # (MinHashLSH.insert also records the MinHash's scheme in a private attribute, for its own query's
    # check; this index is only ever queried by `lsh_query`, whose signatures carry config.scheme.)
    hs = band_keys(lsh, sig)
    lsh.keys.insert(key, *hs)
    for h, table in zip(hs, lsh.hashtables, strict=True):
        table.insert(h, key)


class _NoObjects(pickle.Unpickler):
    """Unpickles plain data only: no class or function is ever looked up, so nothing can be called."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refusing to load {module}.{name}: a stored LSH key is a str")


def unpickle_key(raw: bytes) -> str | None:
    """A key datasketch pickled (`prepickle`, its Redis storage's default), or None when `raw` is not a
    pickled str. Never `pickle.loads`: whoever can write to the Redis would run code in every worker."""
    # `pickle.dumps(str)` of an id under 256 bytes (protocol 4): PROTO 4, FRAME, SHORT_BINUNICODE,
    # MEMOIZE, STOP; read directly (a third faster than an Unpickler per key), the rest unpickled
    if len(raw) > 15 and raw[:3] == b"\x80\x04\x95" and raw[11] == 0x8C and len(raw) == raw[12] + 15 \
            and raw[-2:] == b"\x94.":
        try:
            return raw[13:-2].decode()
        except UnicodeDecodeError:
            return None
    try:
        key = _NoObjects(io.BytesIO(raw)).load()
    except Exception:  # noqa: BLE001 - any malformed pickle is the same: not one of our keys
        return None
    return key if isinstance(key, str) else None


def lsh_query(lsh: MinHashLSH, sig: np.ndarray, config: DedupConfig) -> set[str]:
    """Keys sharing at least one band with the signature (`MinHashLSH.query`); with pickled keys only
    the pickled strs (anything else in a bucket is ignored, see `unpickle_key`)."""
    if lsh.prepickle and lsh.hashfunc is None:
        # a key in several of the signature's buckets (a copy shares most bands) is unpickled once: a story
        # with 1,000 copies in the index had each new copy unpickle 32,000 keys for 1,000 ids
        raws: set[bytes] = set()
        for h, table in zip(band_keys(lsh, sig), lsh.hashtables, strict=True):
            raws.update(table.get(h))
        return {key for key in map(unpickle_key, raws) if key is not None}
    if not _fast_path(lsh):
        return set(lsh.query(sketch(sig, config)))
    found: set[str] = set()
    for h, table in zip(band_keys(lsh, sig), lsh.hashtables, strict=True):
        found.update(table.get(h))
    return found


class BandIndex:
    """In-memory MinHash-LSH index: 64-bit band keys in one sorted array, queried a batch at a time.

    Same candidates as `MinHashLSH` (docs sharing at least one band), but a 100k-doc index is two
    flat arrays (~40 MB) instead of ~3 million Python sets and bytes objects, and a whole batch is
    answered by one `searchsorted`. Docs are small integers given by the caller.
    """

    def __init__(self, config: DedupConfig, max_hits_per_band: int = MAX_HITS_PER_BAND) -> None:
        self.config = config
        # A band shared by hundreds of earlier docs (templated or near-empty texts) contributes its
        # most recent `max_hits_per_band` only: candidates are capped at `max_candidates` anyway,
        # and this keeps a degenerate corpus from producing a quadratic number of pairs.
        self.max_hits = max_hits_per_band
        self.keys = np.zeros(0, dtype=np.uint64)
        self.nums = np.zeros(0, dtype=np.int64)
        self.dead: set[int] = set()

    def __len__(self) -> int:
        return len(self.nums) // self.config.lsh_params[0] - len(self.dead)

    def insert_many(self, nums: np.ndarray, keys: np.ndarray) -> None:
        """Add docs `nums` with their (len(nums), b) band keys."""
        if not len(nums):
            return
        b = keys.shape[1]
        nums = np.asarray(nums, dtype=np.int64)
        by_num = np.argsort(nums, kind="stable")
        new_keys = keys[by_num].ravel()
        new_nums = np.repeat(nums[by_num], b)
        # by key, then doc number (most recent last): a stable sort of rows already in number order
        order = np.argsort(new_keys, kind="stable")
        new_keys, new_nums = new_keys[order], new_nums[order]
        if not len(self.keys):
            self.keys, self.nums = new_keys, new_nums
        elif new_nums.min() > self.nums.max():
            # doc numbers only grow: merge after equal keys, one pass instead of re-sorting everything
            at = np.searchsorted(self.keys, new_keys, "right")
            self.keys, self.nums = np.insert(self.keys, at, new_keys), np.insert(self.nums, at, new_nums)
        else:
            all_keys = np.concatenate([self.keys, new_keys])
            all_nums = np.concatenate([self.nums, new_nums])
            order = np.lexsort((all_nums, all_keys))
            self.keys, self.nums = all_keys[order], all_nums[order]
        if self.dead and len(self.dead) * b * 4 > len(self.nums):  # compact once a quarter is dead
            live = ~np.isin(self.nums, np.fromiter(self.dead, dtype=np.int64))
            self.keys, self.nums = self.keys[live], self.nums[live]
            self.dead.clear()

    def remove(self, num: int) -> None:
        self.dead.add(num)

    def query_many(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(query row, doc num) pairs, one per band hit (a doc hit in several bands repeats)."""
        m, b = keys.shape
        if not len(self.keys) or not m:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        flat = keys.ravel()
        lo = np.searchsorted(self.keys, flat, "left")
        hi = np.searchsorted(self.keys, flat, "right")
        lo = np.maximum(lo, hi - self.max_hits)
        cnt = hi - lo
        total = int(cnt.sum())
        if not total:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        rep = np.repeat(np.arange(len(flat)), cnt)
        within = np.arange(total) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        rows, hits = rep // b, self.nums[lo[rep] + within]
        if self.dead:
            live = ~np.isin(hits, np.fromiter(self.dead, dtype=np.int64))
            rows, hits = rows[live], hits[live]
        return rows, hits

    def pairs_within(self, keys: np.ndarray, rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(later row, earlier row) pairs of a batch sharing a band, by `rank` (decision order)."""
        return pairs_within(keys, rank, self.max_hits)


def pairs_within(keys: np.ndarray, rank: np.ndarray, max_hits: int = MAX_HITS_PER_BAND
                 ) -> tuple[np.ndarray, np.ndarray]:
    """(later row, earlier row) pairs of a batch sharing a band, by `rank` (decision order): what
    query-then-insert in that order would find, each band contributing its `max_hits` latest. Each pair
    once, ordered by (later, earlier): docs sharing all b bands gave every pair b times (a batch of
    1,000 copies of one text, 8 million rows and ~400 MB for 256,000 pairs)."""
    m, b = keys.shape
    if m < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    by_rank = np.argsort(rank, kind="stable")
    # band by band (band numbers are mixed into the keys, so no key is shared across bands): at most
    # m * max_hits rows at a time, merged into the distinct pairs so far
    codes = np.zeros(0, dtype=np.int64)
    for j in range(b):
        later, earlier = _band_pairs(keys[by_rank, j], by_rank, max_hits)
        if len(later):
            codes = merge_unique(codes, later * m + earlier)
    return codes // m, codes % m


def merge_unique(codes: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Sorted distinct `codes` (sorted, distinct) with `new` added: sorts `new` only, then merges the two
    sorted runs (a stable sort of two sorted runs is one merge pass). np.union1d re-sorted everything with
    numpy's hash-based unique, 0.9 s a band for 4,000 copies of one text (a million pairs)."""
    new = np.sort(new)
    if len(new) > 1:
        keep = np.empty(len(new), dtype=bool)
        keep[0] = True
        np.not_equal(new[1:], new[:-1], out=keep[1:])
        new = new[keep]
    if not len(codes):
        return new
    at = np.minimum(np.searchsorted(codes, new), len(codes) - 1)
    new = new[codes[at] != new]
    if not len(new):
        return codes
    return np.sort(np.concatenate([codes, new]), kind="stable")


def _band_pairs(flat: np.ndarray, row: np.ndarray, max_hits: int) -> tuple[np.ndarray, np.ndarray]:
    """`pairs_within` for one band's keys, rows laid out in rank order (each pair as often as it occurs)."""
    order = np.argsort(flat, kind="stable")  # by key, then rank (rows were laid out in rank order)
    fs, rs = flat[order], row[order]
    pos = np.arange(len(fs))
    start = np.ones(len(fs), dtype=bool)
    start[1:] = fs[1:] != fs[:-1]
    gs = np.maximum.accumulate(np.where(start, pos, 0))
    lo = np.maximum(gs, pos - max_hits)
    cnt = pos - lo
    total = int(cnt.sum())
    if not total:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    later = np.repeat(rs, cnt)
    within = np.arange(total) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    earlier = rs[np.repeat(lo, cnt) + within]
    return later, earlier
