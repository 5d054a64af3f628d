"""Hostile corpora at scale: the decisions and the bounded work, never the time (that is
`benchmarks/hostile_dedup.py`, which prints figures at two sizes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from newsdedup.dedup import DedupDoc, Deduplicator, MemoryIndex
from newsdedup.dedup.minhash import MAX_HITS_PER_BAND, pairs_within
from newsdedup.dedup.parallel import parse_many

T0 = datetime(2026, 1, 1, tzinfo=UTC)
PARA = ("The board of the regional water authority said on Monday that customers should boil tap water "
        "until further notice because of a fault at the treatment plant near the river.")


def story(n: int) -> str:
    words = [f"w{(n * 7919 + i * 104729) % 100003}" for i in range(120)]
    return " ".join(" ".join(words[i:i + 15]).capitalize() + "." for i in range(0, 120, 15))


def _state_from_scratch(dd: Deduplicator) -> tuple[dict, dict, dict, dict, dict]:
    """Postings, sentence clusters, source counts, boilerplate sets and cluster members as the docs
    the Deduplicator still holds define them."""
    postings: dict[int, list[str]] = {}
    counts: dict[str, dict[int, int]] = {}
    for d in dd._docs.values():
        for h in dict.fromkeys(d.sent_hashes.tolist()):
            postings.setdefault(h, []).append(d.id)
            c = counts.setdefault(d.source, {})
            c[h] = c.get(h, 0) + 1
    sc = {h: (dd._docs[p[0]].cluster if len({dd._docs[i].cluster for i in p}) == 1 else None)
          for h, p in postings.items() if len(p) > 1}
    need = dd.config.boilerplate_min_docs
    bp = {src: {h for h, n in c.items() if n >= need} for src, c in counts.items()}
    members: dict[str, list[str]] = {}
    for d in dd._docs.values():
        members.setdefault(d.cluster, []).append(d.id)
    return postings, sc, {s: c for s, c in counts.items() if c}, bp, members


def test_evicting_half_of_a_state_with_a_sentence_on_every_doc_leaves_what_the_kept_docs_define() -> None:
    # 100 stories, each copied 12 times by 12 sources; one paragraph on every doc (every source's boilerplate)
    docs = [DedupDoc(f"d{i:04d}", f"s{i % 12}", T0 + timedelta(minutes=i), f"t{i}", f"{story(i % 100)} {PARA} n{i}")
            for i in range(1200)]
    dd = Deduplicator()
    for s in range(0, 1200, 300):
        dd.add(docs[s:s + 300])
    before = {d.id: d.cluster for d in dd._docs.values()}
    assert dd.evict(T0 + timedelta(minutes=600)) == 600
    assert sorted(dd._docs) == [f"d{i:04d}" for i in range(600, 1200)]
    assert all(dd._docs[i].cluster == c for i, c in before.items() if i in dd._docs)
    postings, sc, counts, bp, members = _state_from_scratch(dd)
    assert {h: [p] if isinstance(p, str) else p for h, p in dd._postings.items()} == postings
    assert dd._sent_cluster == sc
    assert {s: c for s, c in dd._src_counts.items() if c} == counts
    assert {s: b for s, b in dd._bp_sets.items() if b} == {s: b for s, b in bp.items() if b}
    assert {c: cl.members for c, cl in dd._clusters.items()} == members
    assert len(dd.index) == 600
    # a copy of a story still decides into that story's cluster, found through the index
    r = dd.add([DedupDoc("late", "s99", T0 + timedelta(days=1), "t", f"{story(7)} {PARA} late")])[0]
    assert r.kind == "near" and r.cluster_id == before["d0007"]


def test_evicting_every_copy_of_a_story_drops_its_cluster_and_its_exact_hash() -> None:
    docs = [DedupDoc(f"d{i:04d}", f"s{i % 50}", T0 + timedelta(seconds=i), "t", story(0)) for i in range(2000)]
    dd = Deduplicator()
    for s in range(0, 2000, 500):
        dd.add(docs[s:s + 500])
    assert [cl.members[:1] for cl in dd._clusters.values()] == [["d0000"]]
    assert dd.evict(T0 + timedelta(seconds=1000)) == 1000
    assert list(dd._clusters) == ["d0000"] and dd._clusters["d0000"].members == [f"d{i:04d}" for i in range(1000, 2000)]
    assert dd.evict(T0 + timedelta(days=1)) == 1000
    assert not dd._clusters and not dd._postings and not dd._by_hash and not dd._sent_cluster and len(dd.index) == 0
    r = dd.add([DedupDoc("again", "s", T0 + timedelta(days=2), "t", story(0))])[0]
    assert r.kind == "canonical" and r.cluster_id == "again"


def test_docs_sharing_every_band_give_each_earlier_doc_once_per_later_doc() -> None:
    """A batch whose every doc files the same band keys: at most `MAX_HITS_PER_BAND` distinct candidates a doc,
    each listed once (it was once per band: b x 256 rows a doc, 8 million for a batch of 1,000)."""
    n, b = 600, 32
    keys = np.tile(np.arange(1, b + 1, dtype=np.uint64), (n, 1))
    later, earlier = pairs_within(keys, np.arange(n, dtype=np.int64))
    assert len(later) == sum(min(i, MAX_HITS_PER_BAND) for i in range(n))
    assert len(set(zip(later.tolist(), earlier.tolist(), strict=True))) == len(later)
    assert all(e < lt and lt - e <= MAX_HITS_PER_BAND for lt, e in zip(later.tolist(), earlier.tolist(), strict=True))
    index = MemoryIndex(Deduplicator().config)
    index.insert([f"d{i}" for i in range(n)], np.zeros((n, 128), dtype=np.uint32), keys)
    found = index.query(np.zeros((3, 128), dtype=np.uint32), keys[:3])
    assert [sorted(f) for f in found] == [sorted(f"d{i}" for i in range(n - MAX_HITS_PER_BAND, n))] * 3


def test_a_batch_of_docs_sharing_every_band_decides_each_against_a_bounded_number_of_candidates() -> None:
    n = 1200
    docs = [DedupDoc(f"d{i:04d}", "s", T0 + timedelta(seconds=i), "t", story(i)) for i in range(n)]
    dd = Deduplicator()
    parsed = parse_many([d.text for d in docs], dd.config, 1)
    for p in parsed:
        p.signature = parsed[0].signature.copy()  # every band of every doc in one bucket
    res = dd.add(docs, parsed)
    assert [r.kind for r in res] == ["canonical"] * n  # different stories: verification keeps them apart
    hits = dd._batch_lsh_hits(*_prepared(dd, n))
    assert max(len(v) for v in hits.values()) <= MAX_HITS_PER_BAND
    assert all(len(v) == len(set(v)) for v in hits.values())


def _prepared(dd: Deduplicator, n: int) -> tuple:
    docs = [DedupDoc(f"e{i:04d}", "s", T0 + timedelta(days=1, seconds=i), "t", story(10_000 + i)) for i in range(n)]
    parsed = parse_many([d.text for d in docs], dd.config, 1)
    for p in parsed:
        p.signature = parsed[0].signature.copy()
    order, pending, _, with_sig, keys = dd._prepare(docs, parsed)
    return pending, order, with_sig, keys


def test_one_doc_of_a_million_repeated_sentences_is_decided_and_cut() -> None:
    text = " ".join(f"This is the same sentence again number {i % 3}." for i in range(1_000_000))
    dd = Deduplicator()
    r = dd.add([DedupDoc("long", "s", T0, "t", text)])[0]
    assert r.kind == "canonical" and dd.stats.get("cut_long_text") == 1
    assert len(r.sentence_hashes) < 100_000
    r2 = dd.add([DedupDoc("long2", "s2", T0 + timedelta(1), "t", text)])[0]
    assert r2.kind == "exact" and r2.matched_id == "long"


def _summary_by_walking(dd: Deduplicator, hashes: list[int]) -> dict[int, tuple[int, int, str | None]]:
    """What `_prior_sentence_summary` answers, by walking every carrier of every sentence (the old way)."""
    out: dict[int, tuple[int, int, str | None]] = {}
    for h in hashes:
        n, nc, c = dd._ext.docs.get(h, (0, 0, None))
        post = dd._postings.get(h)
        for j in [] if post is None else [post] if isinstance(post, str) else post:
            cj = dd._docs[j].cluster
            n += 1
            if nc == 0:
                nc, c = 1, cj
            elif nc == 1 and cj != c:
                nc = 2
        if n:
            out[h] = (n, nc, c)
    return out


def test_the_sentence_summary_before_a_batch_counts_every_carrier_without_walking_them() -> None:
    """Sentences carried by one doc, by many docs of one story, by docs of several stories (a shared
    paragraph), and after an eviction: the same counts, clusters and cluster as walking the carriers."""
    docs = [DedupDoc(f"d{i:03d}", f"s{i % 7}", T0 + timedelta(minutes=i), "t",
                     f"{story(i % 9)} {PARA if i % 3 else ''} Own{i} has words of its own here.")
            for i in range(180)]
    dd = Deduplicator()
    for s in range(0, 120, 40):
        dd.add(docs[s:s + 40])
    dd.evict(T0 + timedelta(minutes=30))
    later = [d.text for d in docs[120:]] + [f"Own119 has words of its own here. {story(50)}"]  # one carrier of a line
    parsed = parse_many(later, dd.config, 1)
    hashes = sorted({h for p in parsed for h in p.sent_hashes.tolist()})
    got = dd._prior_sentence_summary(parsed)
    assert got == _summary_by_walking(dd, hashes)
    assert any(v[1] == 2 for v in got.values()) and any(v[1] == 1 and v[0] > 1 for v in got.values())
    assert any(v[0] == 1 for v in got.values())
