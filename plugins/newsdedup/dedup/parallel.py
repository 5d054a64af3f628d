"""State-independent per-document work (split, tokens, shingles, full signature), in worker processes."""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from newsdedup.dedup.config import DedupConfig
from newsdedup.dedup.minhash import Signer
from newsdedup.dedup.text import ParsedDoc, parse_text

MAX_TEXT_CHARS = 2_000_000  # 5 MB articles are cut here (≈ 300k words): a page, not an article
PARALLEL_MIN_DOCS = 4000  # below this, starting workers costs more than it saves
_CHUNK = 400

log = logging.getLogger(__name__)
_signers: dict[str, Signer] = {}


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


def _parse_chunk_args(args: tuple[list[str], DedupConfig]) -> list[ParsedDoc]:
    return parse_chunk(*args)


def parse_many(
    texts: Sequence[str], config: DedupConfig, workers: int = 1, min_docs: int = PARALLEL_MIN_DOCS
) -> list[ParsedDoc]:
    """Parse many texts, in `workers` processes for batches of at least `min_docs` (order kept)."""
    if workers <= 1 or len(texts) < min_docs:
        return parse_chunk(texts, config)
    size = max(1, min(_CHUNK, len(texts) // (2 * workers)))
    chunks = [(list(texts[i : i + size]), config) for i in range(0, len(texts), size)]
    # spawn, not fork: the caller may be a threaded Airflow worker
    ctx = multiprocessing.get_context("spawn")
    out: list[ParsedDoc] = []
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            for part in pool.map(_parse_chunk_args, chunks):
                out.extend(part)
    except (BrokenProcessPool, OSError) as exc:
        # e.g. a calling script without an `if __name__ == "__main__"` guard: parse here instead
        log.warning("dedup: worker processes failed (%s); parsing in this process", exc)
        return parse_chunk(texts, config)
    return out
