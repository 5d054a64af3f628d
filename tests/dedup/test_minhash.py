"""Signatures are datasketch's own values; the LSH goes through one constructor."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

from newsdedup.dedup import DedupConfig, make_lsh
from newsdedup.dedup.minhash import Signer, lean_minhash, signature_bytes, signature_from_bytes


def test_signer_matches_datasketch_minhash_bit_for_bit():
    cfg = DedupConfig()
    rng = np.random.default_rng(7)
    sets = [rng.integers(0, 2**32, n, dtype=np.uint64).astype(np.uint32) for n in (1, 5, 300, 0, 2000)]
    sigs = Signer(cfg, chunk_rows=500).sign_many(sets)
    assert sigs[3] is None
    for shingles, sig in zip(sets, sigs, strict=True):
        if sig is None:
            continue
        m = MinHash(num_perm=cfg.num_perm, seed=cfg.seed, hashfunc=lambda x: x)
        m.update_batch([int(v) for v in shingles])
        assert np.array_equal(m.hashvalues, sig)


def test_signature_bytes_round_trip_and_length_check():
    cfg = DedupConfig()
    sig = Signer(cfg).sign_many([np.arange(50, dtype=np.uint32)])[0]
    assert sig is not None
    data = signature_bytes(sig)
    assert len(data) == 4 * cfg.num_perm
    assert np.array_equal(signature_from_bytes(data, cfg), sig)
    assert lean_minhash(sig, cfg).jaccard(lean_minhash(sig, cfg)) == 1.0
    with pytest.raises(ValueError, match="num_perm"):
        signature_from_bytes(data[:-4], cfg)


def test_make_lsh_pins_params_and_checks_redis_basename():
    cfg = DedupConfig()
    lsh = make_lsh(cfg)
    assert isinstance(lsh, MinHashLSH) and (lsh.b, lsh.r) == cfg.lsh_params
    with pytest.raises(ValueError, match="bytes"):
        make_lsh(cfg, {"type": "redis", "basename": "x", "redis": {}})
    with pytest.raises(ValueError, match="fingerprint"):
        make_lsh(cfg, {"type": "redis", "basename": b"other", "redis": {}})


def test_config_validates_and_fingerprint_is_stable():
    assert DedupConfig().fingerprint() == DedupConfig().fingerprint()
    assert DedupConfig(shingle_size=4).fingerprint() != DedupConfig().fingerprint()
    with pytest.raises(ValueError, match="lsh_params"):
        DedupConfig(lsh_params=(64, 4))
    with pytest.raises(ValueError, match="verify_jaccard"):
        DedupConfig(verify_jaccard=0.0)
    assert 0.3 < DedupConfig().lsh_threshold < 0.5


def test_fast_lsh_insert_and_query_match_datasketch():
    from newsdedup.dedup.minhash import lean_minhash, lsh_insert, lsh_query

    cfg = DedupConfig()
    rng = np.random.default_rng(3)
    base = rng.integers(0, 2**32, 200, dtype=np.uint64).astype(np.uint32)
    sets = [base, np.concatenate([base[:150], rng.integers(0, 2**32, 50, dtype=np.uint64).astype(np.uint32)]),
            rng.integers(0, 2**32, 200, dtype=np.uint64).astype(np.uint32)]
    sigs = Signer(cfg).sign_many(sets)
    ours, theirs = make_lsh(cfg), make_lsh(cfg)
    for i, sig in enumerate(sigs[:2]):
        lsh_insert(ours, f"d{i}", sig, cfg)
        theirs.insert(f"d{i}", lean_minhash(sig, cfg))
    for sig in sigs:
        assert lsh_query(ours, sig, cfg) == set(theirs.query(lean_minhash(sig, cfg)))
        assert set(ours.query(lean_minhash(sig, cfg))) == set(theirs.query(lean_minhash(sig, cfg)))
    assert lsh_query(ours, sigs[0], cfg) == {"d0", "d1"}
    ours.remove("d0")
    assert lsh_query(ours, sigs[0], cfg) == {"d1"}


def _near_sets(rng: np.random.Generator, n: int) -> list[np.ndarray]:
    """Shingle sets in families of near copies (so many pairs share LSH bands, many do not)."""
    out = []
    for _ in range(n):
        if out and rng.random() < 0.6:
            src = out[rng.integers(len(out))]
            keep = src[rng.random(len(src)) < rng.uniform(0.5, 1.0)]
            out.append(np.concatenate([keep, rng.integers(0, 2**32, 20, dtype=np.uint64).astype(np.uint32)]))
        else:
            out.append(rng.integers(0, 2**32, int(rng.integers(20, 300)), dtype=np.uint64).astype(np.uint32))
    return out


def test_band_index_finds_what_datasketch_lsh_finds():
    from newsdedup.dedup.minhash import BandIndex, band_keys64

    cfg = DedupConfig()
    rng = np.random.default_rng(11)
    sigs = np.stack(Signer(cfg).sign_many(_near_sets(rng, 120)))
    keys = band_keys64(sigs, cfg)
    stored, batch = 70, np.arange(70, 120)
    lsh = make_lsh(cfg)
    for i in range(stored):
        lsh.insert(i, lean_minhash(sigs[i], cfg))
    index = BandIndex(cfg)
    index.insert_many(np.arange(30), keys[:30])
    index.insert_many(np.arange(30, stored), keys[30:stored])  # a second insert merges
    index.remove(5)
    lsh.remove(5)
    rows, hits = index.query_many(keys[batch])
    rank = rng.permutation(len(batch))  # decision order inside the batch
    later, earlier = index.pairs_within(keys[batch], rank)
    found: dict[int, set[int]] = {}
    for r, h in zip(rows.tolist(), hits.tolist(), strict=True):
        found.setdefault(int(batch[r]), set()).add(h)
    for a, b in zip(later.tolist(), earlier.tolist(), strict=True):
        found.setdefault(int(batch[a]), set()).add(int(batch[b]))
    # what query-then-insert in decision order finds with datasketch's index
    expected: dict[int, set[int]] = {}
    for j in np.argsort(rank):
        i = int(batch[j])
        got = set(lsh.query(lean_minhash(sigs[i], cfg)))
        if got:
            expected[i] = got
        lsh.insert(i, lean_minhash(sigs[i], cfg))
    assert found == expected and sum(map(len, found.values())) > 20

