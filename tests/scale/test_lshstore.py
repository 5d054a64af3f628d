"""newsdedup.lshstore against a real redis-server: the pin, the shared index, stale entries."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsdedup import lshstore
from newsdedup.dedup import DatasketchIndex, DedupConfig, DedupDoc, Deduplicator, MemoryIndex

from .services import Redis, redis_or_skip

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Redis]:
    yield from redis_or_skip(tmp_path_factory.mktemp("redis"))


@pytest.fixture
def settings(redis: Redis, request: pytest.FixtureRequest) -> lshstore.RedisLSHSettings:
    s = lshstore.RedisLSHSettings(redis.url, prefix=request.node.name.replace("_", "-")[:40])
    lshstore.reset(s)
    return s


def story(n: int, variant: str = "") -> str:
    """A 200-word story whose text depends on n; `variant` appends a few words (a near copy)."""
    words = [f"w{(n * 7919 + i * 104729) % 100003}" for i in range(200)]
    sentences = [" ".join(words[i:i + 20]).capitalize() + "." for i in range(0, 200, 20)]
    return " ".join(sentences) + (f" {variant}" if variant else "")


def doc(i: int, text: str, source: str = "s") -> DedupDoc:
    return DedupDoc(f"doc{i}", source, T0 + timedelta(hours=i), f"t{i}", text)


def shared(config: DedupConfig, settings: lshstore.RedisLSHSettings) -> Deduplicator:
    """A Deduplicator on the Redis index, as the dedup stage makes it when the URL is set."""
    env = {lshstore.ENV_URL: settings.url, lshstore.ENV_PREFIX: settings.prefix}
    dd = lshstore.deduplicator(config, environ=env)
    assert isinstance(dd.index, DatasketchIndex)
    return dd


def test_settings_from_the_environment() -> None:
    assert lshstore.RedisLSHSettings.from_env({}) is None
    s = lshstore.RedisLSHSettings.from_env({lshstore.ENV_URL: "redis://h:6380/2", lshstore.ENV_PREFIX: "prod"})
    assert s is not None and s.redis_kwargs()["host"] == "h" and s.redis_kwargs()["db"] == 2
    assert s.basename(DedupConfig()) == f"prod-lsh-{DedupConfig().fingerprint()}".encode()
    with pytest.raises(ValueError, match="expected redis://"):
        lshstore.RedisLSHSettings("http://h")
    with pytest.raises(ValueError, match="NEWSDEDUP_LSH_PREFIX"):
        lshstore.RedisLSHSettings("redis://h", prefix="a_b")


def test_without_redis_the_dedup_stage_keeps_its_in_process_index() -> None:
    dd = lshstore.deduplicator(DedupConfig(), environ={})
    assert type(dd) is Deduplicator and isinstance(dd.index, MemoryIndex)


def test_a_worker_with_other_dedup_settings_refuses_to_run(settings: lshstore.RedisLSHSettings) -> None:
    lshstore.check(settings, DedupConfig())
    other = DedupConfig(lsh_params=(16, 8))
    with pytest.raises(lshstore.LSHConfigMismatch, match=r"lsh_params \[32, 4\].*this worker has .*\[16, 8\]"):
        lshstore.check(settings, other)
    with pytest.raises(lshstore.LSHConfigMismatch):
        shared(other, settings)
    # the same settings are fine, any number of times
    assert lshstore.check(settings, DedupConfig())["fingerprint"] == DedupConfig().fingerprint()


def test_the_command_line_check_exits_non_zero_on_a_mismatch(settings: lshstore.RedisLSHSettings) -> None:
    r = settings.client()
    r.hset(settings.pin_key(), mapping={"fingerprint": "0123456789abcdef", "lsh_params": "[16, 8]"})
    env = {"PATH": "/usr/bin:/bin", lshstore.ENV_URL: settings.url, lshstore.ENV_PREFIX: settings.prefix,
           "PYTHONPATH": str(ROOT / "plugins")}
    out = subprocess.run([sys.executable, "-m", "newsdedup.lshstore", "check"], env=env, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 3
    assert "refusing to run" in out.stderr and "0123456789abcdef" in out.stderr
    lshstore.reset(settings)
    ok = subprocess.run([sys.executable, "-m", "newsdedup.lshstore", "check"], env=env, capture_output=True,
                        text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr


def test_two_deduplicators_share_the_index(settings: lshstore.RedisLSHSettings) -> None:
    cfg = DedupConfig()
    first = shared(cfg, settings)
    [r1] = first.add([doc(1, story(1))])
    # A later dedup task (another worker) seeds what the warehouse holds; the index is already there.
    second = shared(cfg, settings)
    second.seed([r1.to_seed("s", T0 + timedelta(hours=1))])
    [r2] = second.add([doc(2, story(1, "and two more words"), source="t")])
    assert (r2.kind, r2.matched_id) == ("near", "doc1")
    assert lshstore.status(settings)["indexed_docs"] == 2


def test_seeding_again_writes_nothing_and_stale_entries_are_ignored(settings: lshstore.RedisLSHSettings) -> None:
    cfg = DedupConfig()
    first = shared(cfg, settings)
    r1, r2 = first.add([doc(1, story(1)), doc(2, story(2))])
    r = settings.client()
    before = sorted(r.scan_iter(match=f"{settings.prefix}-lsh-*"))
    sizes = {k: r.type(k) for k in before}
    # doc2 was indexed by a run that never loaded it: the next run seeds only doc1.
    again = shared(cfg, settings)
    again.seed([r1.to_seed("s", T0 + timedelta(hours=1))])
    assert sorted(r.scan_iter(match=f"{settings.prefix}-lsh-*")) == before and len(sizes) == len(before)
    [r3] = again.add([doc(3, story(2, "late copy"))])
    # doc2 is in Redis but unknown to this run: no KeyError, and no match against a doc not stored
    assert r3.kind == "canonical" and r3.matched_id is None
    # the retried run re-adds doc2 under the same id: its bands are replaced, not doubled
    [r2b] = again.add([doc(2, story(2))])
    assert r2b.kind in ("canonical", "near")
    keys_list = f"{settings.prefix}-lsh-{cfg.fingerprint()}".encode() + b"_keys"
    assert r.hlen(keys_list) == 3


def test_a_worker_with_another_dedup_window_refuses_to_run(settings: lshstore.RedisLSHSettings) -> None:
    """The window is part of the fingerprint: decisions made under another window disagree."""
    cfg = DedupConfig()
    shared(cfg, settings)
    other = DedupConfig(window_days=cfg.window_days / 2)
    with pytest.raises(lshstore.LSHConfigMismatch, match=other.fingerprint()):
        shared(other, settings)
    pin = settings.client().hgetall(settings.pin_key())
    assert f'"window_days": {cfg.window_days}'.encode() in pin[b"config"]


def test_the_redis_index_decides_exactly_like_the_in_process_one(settings: lshstore.RedisLSHSettings) -> None:
    """The same corpus through both LSHIndex backends: identical decisions, in two batches."""
    texts = [story(n) for n in range(12)]
    docs = [doc(i, t) for i, t in enumerate(texts)]
    docs += [doc(100 + i, texts[i] + " with a few more words", source="t") for i in range(0, 12, 2)]
    docs += [doc(200 + i, " ".join(texts[i].split()[:150]), source="u") for i in range(1, 12, 3)]
    docs += [doc(300 + i, texts[i], source="v") for i in range(0, 12, 4)]
    results = []
    for dd in (Deduplicator(DedupConfig()), shared(DedupConfig(), settings)):
        out = dd.add(docs[:15]) + dd.add(docs[15:])
        results.append([(r.id, r.cluster_id, r.kind, r.matched_id, r.similarity) for r in out])
    assert results[0] == results[1]
    kinds = {k for _, _, k, _, _ in results[0]}
    assert {"near", "exact", "canonical"} <= kinds


def reworded(text: str) -> str:
    """A near copy sharing no whole sentence with `text` (found through LSH bands only): a word of
    every sentence changed."""
    return " ".join(" ".join(w if i != 19 else "changed" for i, w in enumerate(sentence.split()))
                    for sentence in text.split(". "))


def test_an_article_stored_with_a_new_text_is_found_by_its_new_text(settings: lshstore.RedisLSHSettings) -> None:
    """A revision loads the article's new signature into the warehouse; Redis still held the id with its
    first text's bands, and seeding skipped an id it held: a copy of the revised story found nothing,
    where the in-process index (rebuilt from the warehouse) found the article."""
    cfg = DedupConfig()
    first = shared(cfg, settings)
    first.add([doc(1, story(1))])  # the article as first fetched, indexed in Redis
    scratch = Deduplicator(cfg)  # the revised text's stored record, as the warehouse holds it after the load
    [revised] = scratch.add([doc(1, story(50))])
    seed = revised.to_seed("s", T0 + timedelta(hours=1))
    decided = []
    for dd in (Deduplicator(cfg), shared(cfg, settings)):
        dd.seed([seed])
        [r] = dd.add([doc(2, reworded(story(50)), source="t")])
        decided.append((r.kind, r.matched_id))
    assert decided[0] == decided[1] == ("near", "doc1")
