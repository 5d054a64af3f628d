"""All dedup tunables in one frozen config; its fingerprint is stored with every signature and decision."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_WINDOW_DAYS = 36500  # a century: anything longer is a typo (and overflows date arithmetic)


@dataclass(frozen=True, slots=True)
class DedupConfig:
    """Tunables of the dedup step (exact pass, MinHash-LSH, verification, sentences).

    Threshold maths, in one place: LSH with b bands of r rows makes a pair with Jaccard J a candidate
    with probability 1 - (1 - J**r)**b. (32, 4) gives 0.52 at J=0.3, 0.93 at J=0.45 and > 0.99 from
    J=0.55, so copies whose Jaccard is still above the verification threshold are almost never
    missed. Truncated copies have a low Jaccard but share whole sentences with their original: the
    sentence index adds those as candidates, and containment (shared / smaller set) verifies them.
    """

    # MinHash: datasketch-compatible "affine32" permutations over 32-bit shingle hashes.
    num_perm: int = 128
    seed: int = 1
    scheme: str = "affine32"
    hash_scheme: str = "xxh3_64-token/poly64-shingle/xxh3_64-sentence/latin-skeleton/turkish-i/marks-controls/char-refs/lookalikes-armenian-cherokee-smallcaps/bidi-override/word-marks-arabic-hebrew-points"
    shingle_size: int = 5  # words (characters for scripts written without spaces: CJK, Thai)
    lsh_params: tuple[int, int] = (32, 4)
    # Verification on exact shingle sets, after a source's boilerplate sentences (and sentences
    # syndicated to other stories) are removed. A copy with a share e of its words edited keeps
    # about (1 - e)**k of its k-shingles: tolerating e = 8 % with k = 5 gives containment
    # 0.92**5 = 0.66, and Jaccard 0.66 / (2 - 0.66) = 0.49 for two docs of equal length.
    verify_jaccard: float = 0.49
    verify_containment: float = 0.66
    containment_min_shingles: int = 15  # the smaller side must have this many shingles for containment
    max_candidates: int = 60
    # Too short to compare: fewer word tokens than this (the doc becomes its own canonical).
    min_tokens: int = 8
    # A sentence is a source's boilerplate when this many docs of that source carry it.
    boilerplate_min_docs: int = 3
    # Sentence index as a second candidate source (catches truncations that LSH misses).
    sentence_candidate_min_tokens: int = 6
    sentence_candidate_max_postings: int = 40
    # Repeated sentences reported: within needs 5+ words (shorter repeats are normal prose),
    # across reports any sentence with a word.
    within_min_tokens: int = 5
    across_min_tokens: int = 1
    # The dedup window: a new doc is compared with stored docs published at most this many days
    # before the oldest new one (`window_start`; older ones are not seeded, evict() drops them from an
    # index). The one window: the dedup stage reads it here, and it is part of the fingerprint.
    window_days: float = 30.0

    def __post_init__(self) -> None:
        b, r = self.lsh_params
        if b < 2 or r < 1 or b * r > self.num_perm:
            raise ValueError(f"lsh_params {self.lsh_params}: need b >= 2, r >= 1, b*r <= num_perm {self.num_perm}")
        if self.scheme != "affine32":
            raise ValueError(f"scheme {self.scheme!r}: only 'affine32' (datasketch 2.0 default) is implemented")
        if self.shingle_size < 1:
            raise ValueError("shingle_size must be >= 1")
        for name in ("verify_jaccard", "verify_containment"):
            v = getattr(self, name)
            if not 0.0 < v <= 1.0:
                raise ValueError(f"{name} must be in (0, 1], got {v}")
        if self.boilerplate_min_docs < 2:
            raise ValueError("boilerplate_min_docs must be >= 2 (one doc cannot show a repeat)")
        if isinstance(self.window_days, bool) or not 0 < self.window_days <= MAX_WINDOW_DAYS:
            raise ValueError(f"window_days must be in (0, {MAX_WINDOW_DAYS}], got {self.window_days!r}")

    @property
    def lsh_threshold(self) -> float:
        """Jaccard at which the pinned (b, r) banding gives a 50 % candidate chance."""
        b, r = self.lsh_params
        return (1 - 0.5 ** (1 / b)) ** (1 / r)

    def window_start(self, oldest: datetime) -> datetime | None:
        """The earliest publication time a stored doc may have to be compared with docs published
        from `oldest` on; None (no bound) when that is before the calendar starts."""
        try:
            return oldest - timedelta(days=self.window_days)
        except OverflowError:
            return None

    def fingerprint(self) -> str:
        """Stable short hash of every tunable (stored next to signatures and decisions)."""
        payload = json.dumps(dataclasses.asdict(self), sort_keys=True, default=list)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]
