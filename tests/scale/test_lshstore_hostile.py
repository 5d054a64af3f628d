"""The Redis LSH index under a flood (a real redis-server): a bucket of thousands of copies is read up to
MAX_HITS_PER_BAND members, not whole, and the decisions stay those of the in-process index."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from newsdedup import lshstore
from newsdedup.dedup import DedupConfig, DedupDoc, Deduplicator
from newsdedup.dedup.minhash import MAX_HITS_PER_BAND, band_keys64, lean_minhash

from .services import Redis, redis_or_skip

T0 = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Redis]:
    yield from redis_or_skip(tmp_path_factory.mktemp("redis"))


@pytest.fixture
def settings(redis: Redis, request: pytest.FixtureRequest) -> Iterator[lshstore.RedisLSHSettings]:
    s = lshstore.RedisLSHSettings(redis.url, prefix=request.node.name.replace("_", "-")[:40])
    lshstore.reset(s)
    yield s
    lshstore.reset(s)


def story(n: int) -> str:
    words = [f"w{(n * 7919 + i * 104729) % 100003}" for i in range(200)]
    return " ".join(" ".join(words[i:i + 20]).capitalize() + "." for i in range(0, 200, 20))


def test_a_bucket_of_thousands_of_copies_is_read_up_to_the_cap(settings: lshstore.RedisLSHSettings) -> None:
    cfg = DedupConfig()
    index = lshstore.shared_index(cfg, settings)
    n = 3000
    sig = Deduplicator(cfg).add([DedupDoc("x", "s", T0, "t", story(1))])[0].sig
    assert sig is not None
    with index.lsh.insertion_session(buffer_size=5000) as session:  # one text filed n times: every band one bucket
        for i in range(n):
            session.insert(f"c{i}", lean_minhash(sig, cfg), check_duplication=False)
    sizes = [t.size() for t in index.lsh.hashtables]
    assert sizes == [1] * 32 and int(index.lsh.hashtables[0].itemcounts()[next(iter(index.lsh.hashtables[0].keys()))]) == n
    found = index.query(np.stack([sig, sig]), band_keys64(np.stack([sig, sig]), cfg))
    assert len(found) == 2 and found[0] == found[1]
    assert 0 < len(found[0]) <= MAX_HITS_PER_BAND and len(set(found[0])) == len(found[0])
    assert set(found[0]) <= {f"c{i}" for i in range(n)}
    # the same members again while the bucket is not written
    assert index.query(sig[None, :], band_keys64(sig[None, :], cfg)) == [found[0]]


def test_a_flood_of_copies_decides_like_the_in_process_index(settings: lshstore.RedisLSHSettings) -> None:
    """600 copies of one story, each with a word of its own (no exact twin) and its own outlet: every one joins the story,
    through the Redis index in batches as through the in-process one; a new story stays apart."""
    cfg = DedupConfig()
    docs = [DedupDoc(f"d{i:04d}", f"s{i}", T0 + timedelta(minutes=i), "t", f"{story(1)} extra{i}")
            for i in range(600)]
    docs.append(DedupDoc("other", "s1", T0 + timedelta(days=1), "t", story(2)))
    env = {lshstore.ENV_URL: settings.url, lshstore.ENV_PREFIX: settings.prefix}
    out = []
    for dd in (Deduplicator(cfg), lshstore.deduplicator(cfg, environ=env)):
        res = []
        for s in range(0, len(docs), 100):
            res += dd.add(docs[s:s + 100])
        out.append([(r.id, r.cluster_id, r.kind) for r in res])
    assert out[0] == out[1]
    assert {c for _, c, _ in out[1][:600]} == {"d0000"} and out[1][-1] == ("other", "other", "canonical")
