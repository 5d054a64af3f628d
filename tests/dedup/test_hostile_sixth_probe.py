"""A sixth probe of dedup: what a long text of a script without spaces (a token per character) held."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

import numpy as np
from datasketch import MinHash

import newsdedup.dedup.text as text_module
from newsdedup.dedup import DedupConfig, DedupDoc, Deduplicator
from newsdedup.dedup.minhash import Signer
from newsdedup.dedup.text import TOKEN_RE, ParsedDoc, fold, normalise_tokens, parse_text

_THAI = [chr(c) for c in range(0x0E01, 0x0E3A)]
_HAN = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]


def _text(alphabet: list[str], chars: int, sentence: int, end: str, seed: int = 1) -> str:
    rng = random.Random(seed)
    parts = ["".join(rng.choice(alphabet) for _ in range(sentence)) + end for _ in range(chars // (sentence + 1))]
    return "".join(parts)[:chars]


def test_a_long_shingle_set_is_signed_in_parts_with_the_same_values() -> None:
    # One doc's shingles were signed as one (num_perm, shingles) matrix: 1 GB for a 2-million-character
    # Thai text. Signed `chunk_rows` at a time (the memory is that of one part: measured by
    # benchmarks/hostile_pages.py, not here), the values are the whole matrix's and datasketch's.
    cfg = DedupConfig()
    shingles = np.random.default_rng(3).integers(0, 2**32, 200_000, dtype=np.uint64).astype(np.uint32)
    sig = Signer(cfg, chunk_rows=4096).sign_many([shingles])[0]
    whole = Signer(cfg, chunk_rows=10**9).sign_many([shingles])[0]
    assert sig is not None and whole is not None and np.array_equal(sig, whole)
    m = MinHash(num_perm=cfg.num_perm, seed=cfg.seed, hashfunc=lambda x: x)
    m.update_batch([int(v) for v in shingles[:3000]])
    assert np.array_equal(m.hashvalues, Signer(cfg, chunk_rows=1000).sign_many([shingles[:3000]])[0])


def test_a_long_text_holds_one_string_per_distinct_token() -> None:
    # Every character of a Thai text is a token, and each was a string object of its own (160 MB for
    # 2 million characters); the tokens are the same strings either way.
    text = _text(_THAI, 300_000, 80, " ")
    tokens = normalise_tokens(text)
    assert tokens == TOKEN_RE.findall(fold(text))
    assert len({id(t) for t in tokens}) == len(set(tokens))
    seen: dict[str, str] = {}
    han = [normalise_tokens(s, seen) for s in ("中文新闻", "新闻报道")]
    assert han == [list("中文新闻"), list("新闻报道")] and han[0][2] is han[1][0]


def test_long_texts_parse_as_before(monkeypatch: Any) -> None:
    # The shared strings change no hash, shingle or count: every field is what the unshared tokens give.
    for text in (_text(_THAI, 250_000, 80, " "), _text(_HAN, 250_000, 60, "。"), "Budget. " * 30_000):
        shared = parse_text(text, 5)
        monkeypatch.setattr(text_module, "_SHARED_TOKENS_MIN_CHARS", 10**9)
        plain = parse_text(text, 5)
        monkeypatch.undo()
        for name in ParsedDoc.__slots__:
            a, b = getattr(shared, name), getattr(plain, name)
            assert np.array_equal(a, b) if isinstance(a, np.ndarray) else a == b, name


def test_a_two_million_character_text_is_one_cluster_with_its_copy() -> None:
    text = _text(_HAN, 2_000_000, 60, "。")
    t0 = datetime(2024, 3, 1, tzinfo=UTC)
    results = Deduplicator().add([DedupDoc("a", "x", t0, "", text), DedupDoc("b", "y", t0, "", text[:1_900_000])])
    assert results[0].cluster_id == results[1].cluster_id
