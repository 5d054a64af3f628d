"""MinHash signatures (datasketch "affine32"-compatible, vectorised over many docs) and the LSH index."""

from __future__ import annotations

from typing import Any

import numpy as np
from datasketch import LeanMinHash, MinHashLSH

from newsdedup.dedup.config import DedupConfig

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

    def __init__(self, config: DedupConfig, chunk_rows: int = 16384) -> None:
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
            batch.append(i)
            rows += len(s)
            if rows >= self.chunk_rows:
                self._sign_chunk(shingle_sets, batch, out)
                batch, rows = [], 0
        if batch:
            self._sign_chunk(shingle_sets, batch, out)
        return out

    def _sign_chunk(self, sets: list[np.ndarray], idx: list[int], out: list[np.ndarray | None]) -> None:
        arrays = [sets[i] for i in idx]
        h = _fmix32(np.concatenate(arrays).astype(np.uint32, copy=False))
        offsets = np.zeros(len(arrays), dtype=np.int64)
        np.cumsum([len(a) for a in arrays[:-1]], out=offsets[1:])
        with np.errstate(over="ignore"):
            phv = h[:, None] * self.a[None, :] + self.b[None, :]
        mins = np.minimum.reduceat(phv, offsets, axis=0)
        for j, i in enumerate(idx):
            out[i] = mins[j]


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
    lsh._minhash_scheme = config.scheme  # what MinHashLSH.insert records for its scheme check
    hs = band_keys(lsh, sig)
    lsh.keys.insert(key, *hs)
    for h, table in zip(hs, lsh.hashtables, strict=True):
        table.insert(h, key)


def lsh_query(lsh: MinHashLSH, sig: np.ndarray, config: DedupConfig) -> set[str]:
    """Keys sharing at least one band with the signature (`MinHashLSH.query`)."""
    if not _fast_path(lsh):
        return set(lsh.query(sketch(sig, config)))
    found: set[str] = set()
    for h, table in zip(band_keys(lsh, sig), lsh.hashtables, strict=True):
        found.update(table.get(h))
    return found
