"""The LSH index interface the Deduplicator takes in its constructor: both backends (in-process
arrays, datasketch's MinHashLSH) answer the same and give the same decisions."""

from __future__ import annotations

import numpy as np
import pytest

from newsdedup.dedup import DatasketchIndex, DedupConfig, Deduplicator, LSHIndex, MemoryIndex, make_lsh
from newsdedup.dedup.minhash import Signer, band_keys64, signature_from_bytes

from .test_minhash import _near_sets
from .textgen import doc, light_edit, story, truncate

CFG = DedupConfig()


def _backends() -> list[LSHIndex]:
    return [MemoryIndex(CFG), DatasketchIndex(make_lsh(CFG), CFG)]


def _sigs(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    sigs = np.stack(Signer(CFG).sign_many(_near_sets(np.random.default_rng(seed), n)))
    return sigs, band_keys64(sigs, CFG)


@pytest.mark.parametrize("index", _backends(), ids=["memory", "datasketch"])
def test_insert_query_remove_contains(index: LSHIndex) -> None:
    assert isinstance(index, LSHIndex)
    sigs, keys = _sigs(80, 5)
    ids = [f"d{i}" for i in range(80)]
    index.insert(ids[:50], sigs[:50], keys[:50])
    assert "d3" in index and "d60" not in index
    hits = index.query(sigs[50:], keys[50:])
    assert len(hits) == 30 and sum(map(len, hits)) > 10
    for row, found in enumerate(hits):
        assert len(found) == len(set(found))  # a doc sharing several bands is answered once
        expected = {ids[j] for j in range(50) if np.any(keys[j] == keys[50 + row])}
        assert set(found) == expected
    index.remove("d3")
    index.remove("never-there")
    assert "d3" not in index and all("d3" not in f for f in index.query(sigs, keys))
    # inserting an id again replaces its bands: its old bands no longer find it
    index.insert(["d4"], sigs[70:71], keys[70:71])
    found = index.query(sigs[4:5], keys[4:5])[0]
    assert ("d4" in found) == bool(np.any(keys[4] == keys[70]))
    assert "d4" in index.query(sigs[70:71], keys[70:71])[0]


def _corpus() -> list:
    docs = []
    for k in range(10):
        base = story(700 + k)
        docs.append(doc(f"o{k}", base, "a", minutes=k * 60))
        if k % 2 == 0:
            docs.append(doc(f"e{k}", light_edit(base, 0.03, k), "b", minutes=k * 60 + 30))
        if k % 3 == 0:
            docs.append(doc(f"t{k}", truncate(base, 0.6), "c", minutes=k * 60 + 50))
        if k % 4 == 0:
            docs.append(doc(f"x{k}", base, "d", minutes=k * 60 + 70))
    return docs


def test_the_deduplicator_decides_the_same_with_either_backend() -> None:
    docs = _corpus()
    out = []
    for index in _backends():
        dd = Deduplicator(CFG, index=index)
        assert dd.index is index
        res = dd.add(docs[:9]) + dd.add(docs[9:])  # two batches: the second queries the index
        out.append([(r.id, r.cluster_id, r.kind, r.matched_id, r.similarity) for r in res])
    assert out[0] == out[1]
    assert {"near", "exact", "canonical"} <= {r[2] for r in out[0]}


def _filed(index: DatasketchIndex) -> dict[object, list[bytes]]:
    """Each key of a datasketch index with the band hashes it is filed under."""
    storage = index.lsh.keys
    names = storage.keys()
    return {k: list(storage.get(k)) for k in names}


def test_seeded_docs_already_in_the_index_are_filed_again_only_under_new_bands() -> None:
    """A shared index keeps what the run that decided a doc filed; seeding it again writes nothing. A
    doc it holds under other bands (an article revised since: the warehouse holds its new signature)
    is filed again under the seed's."""
    results = Deduplicator(CFG).add(_corpus()[:6])
    seeds = [r.to_seed("a", None) for r in results]
    sigs, keys = _sigs(3, 9)
    shared = DatasketchIndex(make_lsh(CFG), CFG)
    shared.insert(["o0"], sigs[:1], keys[:1])  # filed earlier, under the bands of an older text
    Deduplicator(CFG, index=shared).seed(seeds)
    assert "o0" not in shared.query(sigs[:1], keys[:1])[0]  # the older text's bands are gone
    assert all(shared.holds(s.id, signature_from_bytes(s.signature, CFG)) for s in seeds if s.signature)
    assert len(shared) == len(results)
    filed = _filed(shared)
    Deduplicator(CFG, index=shared).seed(seeds)  # a later run seeding the same docs
    assert _filed(shared) == filed
    own = MemoryIndex(CFG)
    Deduplicator(CFG, index=own).seed(seeds)
    assert len(own) == len(results)


def test_evict_removes_docs_from_the_index() -> None:
    docs = _corpus()
    dd = Deduplicator(CFG)
    dd.add(docs)
    assert "o0" in dd.index
    n = dd.evict(docs[4].published)
    assert n > 0 and "o0" not in dd.index and len(dd.index) == len(docs) - n
