"""The shared LSH index in Redis stays as big as the window: `lshstore.sweep` (run by retention) removes
the ids the warehouse holds no signature for. Real redis-server and DuckDB warehouse; no mocks."""

from __future__ import annotations

import gc
import logging
import pickle
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newsdedup import lshstore, maintenance
from newsdedup import warehouse as wh
from newsdedup.dedup import DedupConfig, DedupDoc, Deduplicator, make_lsh
from newsdedup.dedup.minhash import lsh_insert, lsh_query, signature_from_bytes
from newsdedup.pipeline import run_pipeline
from newsdedup.samplesite import serve, write_sources_file

from .services import Redis, redis_or_skip
from .test_lshstore import T0, doc, shared, story

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = datetime(2026, 12, 10, tzinfo=UTC)  # the sample articles are dated 1-23 November 2026
DAY = 86400.0


@pytest.fixture(scope="module")
def redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Redis]:
    yield from redis_or_skip(tmp_path_factory.mktemp("redis"), "--maxmemory-policy", "noeviction")


@pytest.fixture
def settings(redis: Redis, request: pytest.FixtureRequest) -> lshstore.RedisLSHSettings:
    s = lshstore.RedisLSHSettings(redis.url, prefix=request.node.name.replace("_", "-")[:40])
    lshstore.reset(s)
    return s


@pytest.fixture(scope="module")
def loaded(redis: Redis, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The sample site loaded through the pipeline into a warehouse (the LSH index in Redis, prefix
    `loaded`); each test copies the warehouse and the index (`fresh`)."""
    tmp = tmp_path_factory.mktemp("loaded")
    mp = pytest.MonkeyPatch()
    mp.setenv(lshstore.ENV_URL, redis.url)
    mp.setenv(lshstore.ENV_PREFIX, "loaded")
    try:
        lshstore.reset(lshstore.RedisLSHSettings(redis.url, "loaded"))
        with serve(port=0) as site:
            sources = write_sources_file(site.base_url, tmp / "sources.yaml")
            run_pipeline(str(sources), str(tmp / "w.duckdb"), str(tmp / "staging"), run_id="r1")
    finally:
        mp.undo()
    yield tmp / "w.duckdb"


def copy_index(settings: lshstore.RedisLSHSettings, src_prefix: str) -> None:
    """Copy every key of another prefix's index under this one (COPY keeps no basename in values, so
    the datasketch directory hashes, whose values name keys, are rewritten)."""
    r = settings.client()
    cfg = DedupConfig()
    old, new = lshstore.RedisLSHSettings(settings.url, src_prefix).basename(cfg), settings.basename(cfg)
    for key in r.scan_iter(match=f"{src_prefix}-lsh-*", count=1000):
        dest = new + key[len(old):]
        if r.type(key) == b"hash":
            r.hset(dest, mapping={f: v.replace(old, new, 1) for f, v in r.hgetall(key).items()})
        else:
            r.copy(key, dest)
    r.hset(settings.pin_key(), mapping=r.hgetall(f"{src_prefix}:config"))


@pytest.fixture
def fresh(loaded: Path, settings: lshstore.RedisLSHSettings, tmp_path: Path) -> Path:
    """A copy of the loaded warehouse, and of its Redis index under this test's prefix."""
    dest = tmp_path / "w.duckdb"
    with wh.writer(loaded):  # publishes the snapshot; the copy below is of a closed file
        pass
    dest.write_bytes(loaded.read_bytes())
    with wh.writer(dest):  # publishes the copy's own snapshot
        pass
    copy_index(settings, "loaded")
    return dest


def index_dump(settings: lshstore.RedisLSHSettings) -> dict[bytes, Any]:
    """Every key of the index (basename cut off) and its content, the basename cut off values too."""
    r = settings.client()
    base = settings.basename(DedupConfig())
    out: dict[bytes, Any] = {}
    for key in r.scan_iter(match=f"{settings.prefix}-lsh-*", count=1000):
        name, kind = key[len(base):], r.type(key)
        if kind == b"hash":
            out[name] = {f: v.replace(base, b"") for f, v in r.hgetall(key).items()}
        elif kind == b"set":
            out[name] = r.smembers(key)
        else:
            out[name] = r.lrange(key, 0, -1)
    return out


def signed_ids(warehouse: Path) -> set[str]:
    return {i for (i,) in wh.query_rows(warehouse, "SELECT article_id FROM minhash_signatures")[1]}


def indexed_ids(settings: lshstore.RedisLSHSettings) -> set[str]:
    lsh = make_lsh(DedupConfig(), settings.storage_config(DedupConfig()))
    stored = lsh.keys.keys()  # one HKEYS
    return {i for i in map(lshstore.minhash.unpickle_key, stored) if i is not None}


def decide(warehouse: Path, dd: Deduplicator, docs: list[DedupDoc]) -> list[tuple[Any, ...]]:
    """What the dedup stage decides for `docs` against the warehouse (its window, its seeding)."""
    config = dd.config
    parsed = dd._parse(docs)
    with wh.reader(warehouse) as con:
        assert con is not None
        since = config.window_start(min(d.published for d in docs if d.published))
        dd.seed_for(wh.DedupState(con, since, config.fingerprint(), config.sentence_candidate_max_postings),
                    docs, parsed)
    return [(r.id, r.kind, r.matched_id) for r in dd.add(docs, parsed)]


def copies(warehouse: Path, article_ids: list[str]) -> list[DedupDoc]:
    """New docs (new ids, another source, 24 November) whose text is a stored article's plus a few words."""
    rows = wh.query_rows(warehouse, "SELECT article_id, text FROM articles WHERE list_contains(?, article_id) "
                                    "ORDER BY article_id", [article_ids])[1]
    return [DedupDoc(f"copy-of-{aid}", "copier", datetime(2026, 11, 24, 12, tzinfo=UTC), "t",
                     text + " Reported by our own correspondent today.") for aid, text in rows]


def test_retention_then_sweep_shrinks_the_index_and_decides_like_the_in_process_one(
        fresh: Path, settings: lshstore.RedisLSHSettings) -> None:
    r = settings.client()
    before_ids = indexed_ids(settings)
    assert before_ids == signed_ids(fresh) and len(before_ids) >= 10
    # used_memory counts the buffers of open connections too: the test's own helpers' (indexed_ids
    # lists every id, on a connection freed with its datasketch storage) go first, by the collector
    gc.collect()
    keys_before, mem_before = r.dbsize(), r.info("memory")["used_memory"]

    out = maintenance.apply_retention(fresh, REFERENCE, 30)
    assert out["signatures_deleted"] > 0
    result = lshstore.sweep(settings, fresh)
    kept = signed_ids(fresh)
    swept = before_ids - kept
    assert result.removed == result.removed_expired == len(swept) > 0
    assert (result.kept, result.waiting, result.removed_unloaded, result.foreign) == (len(kept), 0, 0, 0)
    assert "removed" in str(result) and "kept" in str(result)
    assert indexed_ids(settings) == kept
    gc.collect()
    assert r.dbsize() < keys_before and r.info("memory")["used_memory"] < mem_before

    # Redis now holds exactly what an index of the kept docs alone holds: no bucket, no directory
    # entry, no band list of a swept doc is left behind.
    rebuilt = lshstore.RedisLSHSettings(settings.url, settings.prefix + "-rebuilt")
    lshstore.reset(rebuilt)
    lsh = make_lsh(DedupConfig(), rebuilt.storage_config(DedupConfig()))
    for aid, sig in wh.query_rows(fresh, "SELECT article_id, signature FROM minhash_signatures "
                                         "WHERE signature IS NOT NULL")[1]:
        lsh_insert(lsh, aid, signature_from_bytes(sig, DedupConfig()), DedupConfig())
    assert index_dump(settings) == index_dump(rebuilt)

    # A fresh copy of a swept story is not matched; a copy of a kept one is; as in-process.
    # (stories alone in their cluster: a swept story syndicated by a kept article matches the kept one)
    alone = {i for (i,) in wh.query_rows(fresh, "SELECT article_id FROM article_clusters WHERE cluster_id IN ("
                                                "SELECT cluster_id FROM article_clusters GROUP BY 1 HAVING count(*) = 1)")[1]}
    gone = sorted(swept & alone)[:3]
    stay = sorted(kept & alone)[:3]
    assert len(gone) == len(stay) == 3
    news = copies(fresh, gone + stay)
    in_redis = decide(fresh, shared(DedupConfig(), settings), news)
    in_process = decide(fresh, Deduplicator(DedupConfig()), news)
    assert in_redis == in_process
    by_id = {i: (kind, matched) for i, kind, matched in in_redis}
    assert all(by_id[f"copy-of-{i}"][0] == "canonical" for i in gone), by_id
    assert all(by_id[f"copy-of-{i}"][0] == "near" and by_id[f"copy-of-{i}"][1] is not None for i in stay), by_id
    # and the index itself finds no swept doc for its copy any more
    lsh = make_lsh(DedupConfig(), settings.storage_config(DedupConfig()))
    probe = Deduplicator(DedupConfig())
    for d in news:
        [res] = probe.add([d])
        assert res.sig is not None
        assert not (lsh_query(lsh, res.sig, DedupConfig()) & swept)


def rebuilt_dump(settings: lshstore.RedisLSHSettings, warehouse: Path) -> dict[bytes, Any]:
    """What an index of the warehouse's signatures alone holds in Redis (built under another prefix)."""
    rebuilt = lshstore.RedisLSHSettings(settings.url, settings.prefix[:30] + "-rebuilt")
    lshstore.reset(rebuilt)
    lsh = make_lsh(DedupConfig(), rebuilt.storage_config(DedupConfig()))
    for aid, sig in wh.query_rows(warehouse, "SELECT article_id, signature FROM minhash_signatures "
                                             "WHERE signature IS NOT NULL")[1]:
        lsh_insert(lsh, aid, signature_from_bytes(sig, DedupConfig()), DedupConfig())
    return index_dump(rebuilt)


def test_docs_of_a_run_that_never_loaded_go_only_after_the_grace(fresh: Path,
                                                                 settings: lshstore.RedisLSHSettings) -> None:
    """A run in flight has indexed its docs and not loaded them yet: a sweep must not take them from
    under it. Never-loaded ids are marked by the first sweep that sees them and removed by a sweep a
    day later, unless they were loaded meanwhile."""
    cfg = DedupConfig()
    in_flight = shared(cfg, settings)
    in_flight.add([DedupDoc(f"run2-{i}", "s", datetime(2026, 11, 24, i, tzinfo=UTC), "t", story(i))
                   for i in range(4)])
    loaded_ids = signed_ids(fresh)
    assert indexed_ids(settings) == loaded_ids | {f"run2-{i}" for i in range(4)}
    t0 = 1_800_000_000.0

    first = lshstore.sweep(settings, fresh, now=t0)
    assert (first.removed, first.waiting, first.kept) == (0, 4, len(loaded_ids))
    # the run goes on: its later batches still find its earlier docs in the index
    [late] = in_flight.add([DedupDoc("run2-9", "t", datetime(2026, 11, 24, 9, tzinfo=UTC), "t",
                                     story(1, "and a few more words"))])
    assert (late.kind, late.matched_id) == ("near", "run2-1")
    assert lshstore.sweep(settings, fresh, now=t0 + DAY / 2).removed == 0

    # run2-0 loads after all (its signature reaches the warehouse); the others never do
    with wh.writer(fresh) as con:
        con.execute("INSERT INTO minhash_signatures (article_id, source, published_at, config_fingerprint) "
                    "VALUES ('run2-0', 's', TIMESTAMPTZ '2026-11-24 00:00:00+00', ?)", [cfg.fingerprint()])
    later = lshstore.sweep(settings, fresh, now=t0 + DAY + 1)
    # run2-9 was first seen by this sweep: it waits its own day
    assert (later.removed_unloaded, later.removed_expired, later.waiting) == (3, 0, 1)
    assert indexed_ids(settings) == loaded_ids | {"run2-0", "run2-9"}
    marks = settings.client().hgetall(lshstore.marks_key(settings, cfg))
    assert [lshstore.minhash.unpickle_key(k) for k in marks] == ["run2-9"]
    assert lshstore.sweep(settings, fresh, now=t0 + 3 * DAY).removed_unloaded == 1
    assert not settings.client().exists(lshstore.marks_key(settings, cfg))
    assert indexed_ids(settings) == loaded_ids | {"run2-0"}
    # `reset` drops the marks with the index
    in_flight.add([DedupDoc("run3-0", "s", datetime(2026, 11, 25, tzinfo=UTC), "t", story(50))])
    assert lshstore.sweep(settings, fresh, now=t0 + 4 * DAY).waiting == 1
    assert settings.client().exists(lshstore.marks_key(settings, cfg))
    lshstore.reset(settings)
    assert not settings.client().exists(lshstore.marks_key(settings, cfg))


def test_a_sweep_that_fails_half_way_leaves_a_usable_index_and_a_rerun_finishes(
        fresh: Path, settings: lshstore.RedisLSHSettings) -> None:
    """The sweep's Redis user may not HDEL: it fails after removing the first batch's bucket members
    (a real Redis error, NOPERM). The index still decides like the in-process one, and a rerun with a
    user that may leaves exactly what an index of the kept docs holds."""
    r = settings.client()
    r.acl_setuser("sweeper", enabled=True, passwords=["+sweep-pw"], keys=["*"], commands=["+@all", "-hdel"])
    try:
        maintenance.apply_retention(fresh, REFERENCE, 30)
        kept = signed_ids(fresh)
        crippled = lshstore.RedisLSHSettings(settings.url.replace("redis://", "redis://sweeper:sweep-pw@"),
                                             settings.prefix)
        with pytest.raises(lshstore.LSHStoreError, match="sweeping the index") as exc:
            lshstore.sweep(crippled, fresh, batch=5)
        assert "sweep-pw" not in str(exc.value)
    finally:
        r.acl_deluser("sweeper")
    assert indexed_ids(settings) > kept  # nothing was removed from the key list yet
    assert index_dump(settings) != rebuilt_dump(settings, fresh)

    # usable: a dedup run now decides as the in-process index does
    alone = {i for (i,) in wh.query_rows(fresh, "SELECT article_id FROM article_clusters WHERE cluster_id IN ("
                                                "SELECT cluster_id FROM article_clusters GROUP BY 1 HAVING count(*) = 1)")[1]}
    news = copies(fresh, sorted(alone)[:8])
    assert decide(fresh, shared(DedupConfig(), settings), news) == decide(fresh, Deduplicator(DedupConfig()), news)

    again = lshstore.sweep(settings, fresh, batch=5)
    # the copies just decided are indexed and not loaded: they wait for their grace
    assert again.removed > 0 and indexed_ids(settings) == kept | {d.id for d in news}
    assert lshstore.sweep(settings, fresh, grace=timedelta(0)).removed_unloaded == len(news)
    assert index_dump(settings) == rebuilt_dump(settings, fresh)
    assert lshstore.sweep(settings, fresh).removed == 0  # idempotent


def cli(settings: lshstore.RedisLSHSettings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "plugins"), lshstore.ENV_URL: settings.url,
           lshstore.ENV_PREFIX: settings.prefix}
    return subprocess.run([sys.executable, "-m", "newsdedup.lshstore", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_command_line_sweep_says_what_it_did(fresh: Path, settings: lshstore.RedisLSHSettings,
                                                  tmp_path: Path) -> None:
    maintenance.apply_retention(fresh, REFERENCE, 30)
    out = cli(settings, "sweep", "--warehouse", str(fresh))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("newsdedup.lshstore: removed ") and " kept " in out.stdout and " s\n" in out.stdout
    assert indexed_ids(settings) == signed_ids(fresh)
    # a warehouse path that names nothing would make every id look never loaded: refused
    missing = cli(settings, "sweep", "--warehouse", str(tmp_path / "nope.duckdb"))
    assert missing.returncode == 2 and "no warehouse at" in missing.stderr and "Traceback" not in missing.stderr
    assert cli(settings, "sweep", "--warehouse", str(fresh), "--grace-hours", "nan").returncode == 2


def test_the_maintenance_dag_sweeps_after_retention(fresh: Path, settings: lshstore.RedisLSHSettings,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The sweep is its own task after retention (no `duckdb_writer` slot held while Redis is swept, and a
    Redis outage holds back neither retention nor the export): it reads the snapshot retention published."""
    context = {"params": {"warehouse": str(fresh), "retention_days": 30}, "data_interval_end": REFERENCE}
    before = indexed_ids(settings)
    monkeypatch.delenv(lshstore.ENV_URL, raising=False)
    assert maintenance.retention_task(context)["signatures_deleted"] > 0
    assert "is not set" in maintenance.sweep_task(context)["skipped"]
    assert indexed_ids(settings) == before  # no Redis configured: nothing touched
    monkeypatch.setenv(lshstore.ENV_URL, settings.url)
    monkeypatch.setenv(lshstore.ENV_PREFIX, settings.prefix)
    seen: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: seen.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("newsdedup.maintenance")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        out = maintenance.sweep_task(context)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert out["removed"] == len(before - signed_ids(fresh)) > 0
    assert out["summary"].startswith("removed ")
    assert any(m.startswith("lsh sweep: removed ") and " kept " in m for m in seen), seen
    assert indexed_ids(settings) == signed_ids(fresh)
    # a sweep against no warehouse would take every id for never loaded: refused, without retries
    from airflow.sdk.exceptions import AirflowFailException

    missing = {"params": {"warehouse": str(fresh.parent / "nowhere.duckdb")}, "data_interval_end": REFERENCE}
    with pytest.raises(AirflowFailException, match="no warehouse at"):
        maintenance.sweep_task(missing)


def hkeys_calls(settings: lshstore.RedisLSHSettings) -> int:
    return int(settings.client().info("commandstats").get("cmdstat_hkeys", {}).get("calls", 0))


def test_opening_the_index_lists_no_ids_and_sees_what_a_sweep_removed_since(
        settings: lshstore.RedisLSHSettings) -> None:
    """A dedup task's index is asked per doc whether it holds it (HEXISTS), never listed (HKEYS): a
    doc a sweep removed after the task opened the index is indexed again when seeded, and the copy
    of it is found, as the in-process index finds it."""
    cfg = DedupConfig()
    r1, _ = shared(cfg, settings).add([doc(1, story(1)), doc(2, story(2))])
    listed = hkeys_calls(settings)
    run = shared(cfg, settings)
    assert len(run.index) == 2 and "doc1" in run.index  # type: ignore[arg-type]
    # a sweep (another process) removes doc1 while the run is open
    lsh = make_lsh(cfg, settings.storage_config(cfg))
    lshstore.remove_ids(lsh, settings.client(), [pickle.dumps("doc1")])
    assert "doc1" not in run.index
    seed = r1.to_seed("s", T0 + timedelta(hours=1))
    copy = doc(3, story(1, "and two more words"), source="t")
    decided = []
    for dd in (run, Deduplicator(cfg)):
        dd.seed([seed])
        [res] = dd.add([copy])
        decided.append((res.kind, res.matched_id))
    assert decided == [("near", "doc1")] * 2
    assert "doc1" in run.index and hkeys_calls(settings) == listed


def calls(settings: lshstore.RedisLSHSettings, *commands: str) -> dict[str, int]:
    stats = settings.client().info("commandstats")
    return {c: int(stats.get(f"cmdstat_{c}", {}).get("calls", 0)) for c in commands}


def test_the_sweep_reads_the_index_and_its_marks_in_bounded_batches(fresh: Path,
                                                                     settings: lshstore.RedisLSHSettings) -> None:
    """With millions of ids one HKEYS (and one HGETALL of the marks) was one huge reply held in memory,
    with every signed id of the warehouse beside it. The sweep now walks the index with HSCAN, a batch
    at a time, and asks the warehouse about `lookup` ids at a time: with more ids than several batches it
    removes exactly what it should, and no command lists a whole hash. (150 ids in flight: past 128
    fields Redis keeps a hash as a table, and HSCAN answers about COUNT fields a call; a smaller hash
    comes whole in one reply whatever the COUNT.)"""
    cfg = DedupConfig()
    in_flight = shared(cfg, settings)
    in_flight.add([DedupDoc(f"run2-{i}", "s", datetime(2026, 11, 24, i % 24, tzinfo=UTC), "t", story(100 + i))
                   for i in range(150)])
    maintenance.apply_retention(fresh, REFERENCE, 30)
    kept = signed_ids(fresh)
    waiting = {f"run2-{i}" for i in range(150)}
    indexed = indexed_ids(settings)
    expired = indexed - kept - waiting
    assert len(indexed) > 150 and expired and kept
    listing = ("hkeys", "hgetall", "hvals", "keys")
    before = calls(settings, *listing, "hscan")
    t0 = 1_800_000_000.0

    first = lshstore.sweep(settings, fresh, now=t0, batch=7, lookup=20)  # warehouse asked 20 ids at a time
    after = calls(settings, *listing, "hscan")  # (before the test's own listings below)
    assert {c: after[c] - before[c] for c in listing} == dict.fromkeys(listing, 0)
    assert after["hscan"] - before["hscan"] >= len(indexed) // 20  # about 7 fields a reply
    assert (first.indexed, first.removed_expired, first.removed_unloaded, first.kept, first.waiting,
            first.foreign) == (len(indexed), len(expired), 0, len(kept), 150, 0)
    assert indexed_ids(settings) == kept | waiting
    marks = lshstore.marks_key(settings, cfg)
    assert {lshstore.minhash.unpickle_key(k) for k in settings.client().hkeys(marks)} == waiting

    # five of them load after all; a day later the other 145 go, in batches, and their marks with them
    with wh.writer(fresh) as con:
        for i in range(5):
            con.execute("INSERT INTO minhash_signatures (article_id, source, published_at, config_fingerprint) "
                        "VALUES (?, 's', TIMESTAMPTZ '2026-11-24 00:00:00+00', ?)", [f"run2-{i}", cfg.fingerprint()])
    before = calls(settings, *listing)
    later = lshstore.sweep(settings, fresh, now=t0 + DAY + 1, batch=4, lookup=9)
    assert (later.removed_unloaded, later.removed_expired, later.kept, later.waiting) == (145, 0, len(kept) + 5, 0)
    assert calls(settings, *listing) == before
    assert indexed_ids(settings) == kept | {f"run2-{i}" for i in range(5)}
    assert not settings.client().exists(marks)
    assert lshstore.sweep(settings, fresh, batch=3).removed == 0  # idempotent


def test_marks_of_ids_no_longer_indexed_go_in_batches(fresh: Path, settings: lshstore.RedisLSHSettings) -> None:
    """An id marked as never loaded that something else took out of the index (a `remove_ids` of a
    revision's id, another sweep) leaves no mark behind, however many there are."""
    cfg = DedupConfig()
    shared(cfg, settings).add([DedupDoc(f"gone-{i}", "s", datetime(2026, 11, 24, tzinfo=UTC), "t", story(200 + i))
                               for i in range(11)])
    assert lshstore.sweep(settings, fresh, now=1_800_000_000.0, batch=3).waiting == 11
    lsh = make_lsh(cfg, settings.storage_config(cfg))
    lshstore.remove_ids(lsh, settings.client(), [pickle.dumps(f"gone-{i}") for i in range(9)])
    again = lshstore.sweep(settings, fresh, now=1_800_000_000.0 + 60, batch=3)
    assert (again.waiting, again.removed) == (2, 0)
    marks = settings.client().hkeys(lshstore.marks_key(settings, cfg))
    assert sorted(lshstore.minhash.unpickle_key(k) for k in marks) == ["gone-10", "gone-9"]
