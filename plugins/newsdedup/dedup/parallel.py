"""State-independent per-document work (split, tokens, shingles, full signature), in worker processes."""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import numpy as np

from newsdedup.dedup.config import DedupConfig
from newsdedup.dedup.minhash import Signer
from newsdedup.dedup.text import ParsedDoc, parse_text

MAX_TEXT_CHARS = 2_000_000  # 5 MB articles are cut here (≈ 300k words): a page, not an article
PARALLEL_MIN_DOCS = 4000  # below this, starting workers costs more than it saves
CHUNK_DOCS = 400

log = logging.getLogger(__name__)
_signers: dict[str, Signer] = {}


@dataclass(slots=True)
class PackedChunk:
    """Parsed docs of one chunk as a few concatenated arrays: one pickle of ~10 arrays per chunk
    instead of ~8 per doc (unpickling in the deciding process is on the critical path)."""

    sentence_text: list[str]
    content_hash: list[int]
    n_tokens: list[int]
    n_sent: np.ndarray
    sent_tokens: np.ndarray
    sent_hashes: np.ndarray
    within_counts: np.ndarray
    shingle_counts: np.ndarray
    n_shingles: np.ndarray
    shingles: np.ndarray
    has_sig: np.ndarray
    sigs: np.ndarray

    @classmethod
    def pack(cls, docs: list[ParsedDoc], num_perm: int) -> PackedChunk:
        def cat(arrays: list[np.ndarray], dtype: type) -> np.ndarray:
            return np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.zeros(0, dtype=dtype)

        has = np.array([p.signature is not None for p in docs], dtype=bool)
        sigs = [p.signature for p in docs if p.signature is not None]
        return cls(
            sentence_text=[p.sentence_text for p in docs], content_hash=[p.content_hash for p in docs],
            n_tokens=[p.n_tokens for p in docs],
            n_sent=np.array([len(p.sent_hashes) for p in docs], dtype=np.int64),
            sent_tokens=cat([p.sent_tokens for p in docs], np.int32),
            sent_hashes=cat([p.sent_hashes for p in docs], np.uint64),
            within_counts=cat([p.within_counts for p in docs], np.int32),
            shingle_counts=cat([p.shingle_counts for p in docs], np.int32),
            n_shingles=np.array([len(p.shingles) for p in docs], dtype=np.int64),
            shingles=cat([p.shingles for p in docs], np.uint32),
            has_sig=has, sigs=np.stack(sigs) if sigs else np.zeros((0, num_perm), dtype=np.uint32),
        )

    def unpack(self) -> list[ParsedDoc]:
        """ParsedDocs whose arrays are views into this chunk's arrays (no copies)."""
        so = np.zeros(len(self.n_sent) + 1, dtype=np.int64)
        np.cumsum(self.n_sent, out=so[1:])
        ho = np.zeros(len(self.n_shingles) + 1, dtype=np.int64)
        np.cumsum(self.n_shingles, out=ho[1:])
        out: list[ParsedDoc] = []
        k = 0
        for i in range(len(self.sentence_text)):
            a, b, c, d = int(so[i]), int(so[i + 1]), int(ho[i]), int(ho[i + 1])
            sig = None
            if self.has_sig[i]:
                sig = self.sigs[k]
                k += 1
            out.append(ParsedDoc(
                sentence_text=self.sentence_text[i], sent_tokens=self.sent_tokens[a:b],
                sent_hashes=self.sent_hashes[a:b], content_hash=self.content_hash[i], n_tokens=self.n_tokens[i],
                shingles=self.shingles[c:d], shingle_counts=self.shingle_counts[a:b],
                within_counts=self.within_counts[a:b], signature=sig,
            ))
        return out


def parse_chunk(texts: Sequence[str], config: DedupConfig) -> list[ParsedDoc]:
    """Parse texts and sign each one's full shingle set (used as is when it has no boilerplate)."""
    signer = _signers.get(config.fingerprint())
    if signer is None:
        signer = _signers[config.fingerprint()] = Signer(config)
    out = [parse_text(t, config.shingle_size, config.within_min_tokens, MAX_TEXT_CHARS) for t in texts]
    sigs = signer.sign_many([p.shingles for p in out])
    for p, s in zip(out, sigs, strict=True):
        p.signature = s
    return out


def _parse_packed(args: tuple[list[str], DedupConfig]) -> PackedChunk:
    texts, config = args
    return PackedChunk.pack(parse_chunk(texts, config), config.num_perm)


def parse_stream(
    chunks: Iterable[list[str]], config: DedupConfig, workers: int = 1, in_flight: int = 0
) -> Iterator[list[ParsedDoc]]:
    """Parse chunks of texts in `workers` processes as they come (order kept, bounded memory).

    The caller's iterator (e.g. reading a corpus) runs between submissions, so reading overlaps
    parsing, and at most `in_flight` chunks of raw text are held at once.
    """
    if workers <= 1:
        for texts in chunks:
            yield parse_chunk(texts, config)
        return
    in_flight = in_flight or 4 * workers
    # spawn, not fork: the caller may be a threaded Airflow worker
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        pending: deque[Future[PackedChunk]] = deque()
        for texts in chunks:
            pending.append(pool.submit(_parse_packed, (list(texts), config)))
            while len(pending) >= in_flight:
                yield pending.popleft().result().unpack()
        while pending:
            yield pending.popleft().result().unpack()


def parse_many(
    texts: Sequence[str], config: DedupConfig, workers: int = 1, min_docs: int = PARALLEL_MIN_DOCS
) -> list[ParsedDoc]:
    """Parse many texts, in `workers` processes for batches of at least `min_docs` (order kept)."""
    if workers <= 1 or len(texts) < min_docs:
        return parse_chunk(texts, config)
    size = max(1, min(CHUNK_DOCS, len(texts) // (2 * workers)))
    out: list[ParsedDoc] = []
    try:
        for part in parse_stream((list(texts[i : i + size]) for i in range(0, len(texts), size)), config, workers):
            out.extend(part)
    except (BrokenProcessPool, OSError) as exc:
        # e.g. a calling script without an `if __name__ == "__main__"` guard: parse here instead
        log.warning("dedup: worker processes failed (%s); parsing in this process", exc)
        return parse_chunk(texts, config)
    return out
