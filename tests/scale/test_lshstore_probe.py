"""newsdedup.lshstore probed as a broken production environment or an attacker would: leaked passwords,
Redis down or refusing, unparseable URLs, Redis dying mid-run, evicting or full Redis, garbage under the
prefix, prefixes that collide or widen `reset`'s SCAN pattern. Real redis-servers on 127.0.0.1 only."""

from __future__ import annotations

import logging
import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdedup import lshstore
from newsdedup.dedup import DedupConfig, Deduplicator
from newsdedup.dedup import index as index_mod

from .services import Redis, Unavailable, free_port, redis_or_skip, redis_server
from .test_lshstore import doc, story

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "s3cret-Pw"


def _server(tmp: Path, *extra: str, port: int | None = None):  # noqa: ANN202 - a context manager
    try:
        return redis_server(tmp, *extra, port=port)
    except Unavailable as exc:  # pragma: no cover - redis-server missing and not installable
        pytest.skip(f"redis-server is not available here: {exc}")


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Redis]:
    yield from redis_or_skip(tmp_path_factory.mktemp("redis"))


@pytest.fixture(scope="module")
def locked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Redis]:
    """A redis-server that wants a password."""
    yield from redis_or_skip(tmp_path_factory.mktemp("redis-pw"), "--requirepass", PASSWORD)


def env_for(url: str, prefix: str = "probe") -> dict[str, str]:
    return {lshstore.ENV_URL: url, lshstore.ENV_PREFIX: prefix}


def cli(command: str, url: str, prefix: str = "probe") -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "plugins"), **env_for(url, prefix)}
    return subprocess.run([sys.executable, "-m", "newsdedup.lshstore", command], env=env, capture_output=True,
                          text=True, timeout=120)


def one_line_error(out: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in out.stderr, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    return lines[0]


# ---------------------------------------------------------------------------------------- credentials
def test_the_password_never_shows_in_messages_status_or_repr(locked: Redis, caplog: pytest.LogCaptureFixture
                                                             ) -> None:
    url = f"redis://:{PASSWORD}@127.0.0.1:{locked.port}/0"
    s = lshstore.RedisLSHSettings(url, prefix="pw")
    assert PASSWORD not in repr(s) and PASSWORD not in str(s)
    assert s.redacted_url == f"redis://:***@127.0.0.1:{locked.port}/0"
    assert lshstore.RedisLSHSettings(f"redis://user:{PASSWORD}@h:1/0").redacted_url == "redis://user:***@h:1/0"
    assert PASSWORD not in lshstore.RedisLSHSettings(f"redis://h:1/0?password={PASSWORD}").redacted_url
    with caplog.at_level(logging.DEBUG):
        lshstore.reset(s)
        assert cli("check", url, "pw").returncode == 0
        ok = cli("check", url, "pw")
        status = cli("status", url, "pw")
        # a worker with other dedup settings: the refusal names the index, not the password
        with pytest.raises(lshstore.LSHConfigMismatch) as mismatch:
            lshstore.check(s, DedupConfig(lsh_params=(16, 8)))
    assert ok.returncode == 0 and status.returncode == 0, (ok.stderr, status.stderr)
    for text in (ok.stdout, ok.stderr, status.stdout, status.stderr, str(mismatch.value), caplog.text):
        assert PASSWORD not in text
    assert "redis://:***@127.0.0.1" in status.stdout and "redis://:***@127.0.0.1" in str(mismatch.value)
    # wrong password, and nothing listening (the URL still carries a password)
    for bad in (f"redis://:wrong-{PASSWORD}@127.0.0.1:{locked.port}/0", f"redis://u:{PASSWORD}@127.0.0.1:{free_port()}/0"):
        for command in ("check", "status", "reset"):
            out = cli(command, bad, "pw")
            assert out.returncode == 4 and PASSWORD not in out.stderr + out.stdout
            assert lshstore.ENV_URL in one_line_error(out)
        with pytest.raises(lshstore.LSHStoreError) as exc:
            lshstore.deduplicator(DedupConfig(), env_for(bad, "pw"))
        assert PASSWORD not in str(exc.value) and isinstance(exc.value, RuntimeError)


# --------------------------------------------------------------------- down, refusing, unparseable
@pytest.mark.parametrize("url", ["redis://host:notaport", "redis://[::1", "redis://h:99999/0", "redis://h:1/notadb",
                                 "redis://h:1/0?nonsense=1", f"redis://:{PASSWORD}@[::1"])
def test_an_unparseable_url_is_one_line_naming_the_setting(url: str) -> None:
    for command in ("check", "status", "reset"):
        out = cli(command, url)
        assert out.returncode == 2
        line = one_line_error(out)
        assert line.startswith(f"newsdedup.lshstore: {lshstore.ENV_URL}=") and PASSWORD not in line
    # the dedup stage: a RuntimeError subclass that says which setting, not urllib's ValueError alone
    with pytest.raises(lshstore.LSHSettingsError, match=lshstore.ENV_URL) as exc:
        lshstore.deduplicator(DedupConfig(), env_for(url))
    assert isinstance(exc.value, RuntimeError) and PASSWORD not in str(exc.value)


def test_wrong_password_no_password_and_a_missing_database_say_what_is_wrong(locked: Redis, plain: Redis) -> None:
    cases = {f"redis://:nope@127.0.0.1:{locked.port}/0": "password",
             f"redis://127.0.0.1:{locked.port}/0": "password",
             f"redis://127.0.0.1:{plain.port}/99": "database",
             f"redis://127.0.0.1:{free_port()}/0": "connect"}
    for url, word in cases.items():
        out = cli("check", url)
        assert out.returncode == 4
        assert word in one_line_error(out)
        with pytest.raises(lshstore.LSHStoreUnavailable, match=word):
            lshstore.deduplicator(DedupConfig(), env_for(url))


def test_a_silent_server_times_out_instead_of_hanging(tmp_path: Path) -> None:
    """A firewall that drops packets / a wedged proxy: the socket accepts and never answers."""
    import socket

    with socket.socket() as srv:
        srv.bind(("127.0.0.1", 0))
        srv.listen(8)
        url = f"redis://127.0.0.1:{srv.getsockname()[1]}/0?socket_timeout=0.5"
        with pytest.raises(lshstore.LSHStoreUnavailable, match="Timeout|timed out"):
            lshstore.check(lshstore.RedisLSHSettings(url))
    # without a timeout in the URL, one is set (a dedup task must not hang until Airflow kills it)
    kw = lshstore.RedisLSHSettings("redis://h:1/0").redis_kwargs()
    assert kw["socket_timeout"] and kw["socket_connect_timeout"]


def test_the_pipeline_with_redis_down_fails_clearly_and_loads_nothing(tmp_path: Path) -> None:
    from newsdedup.samplesite import serve, write_sources_file

    url = f"redis://:{PASSWORD}@127.0.0.1:{free_port()}/0"
    exe = str(Path(sys.executable).with_name("newsdedup"))
    wh_path = tmp_path / "w.duckdb"
    with serve(port=0) as site:
        sources = tmp_path / "sources.yaml"
        write_sources_file(site.base_url, sources)
        env = {**os.environ, **env_for(url)}
        out = subprocess.run([exe, "run", "--sources", str(sources), "--warehouse", str(wh_path),
                              "--staging", str(tmp_path / "staging")], env=env, capture_output=True, text=True,
                             timeout=300)
    assert out.returncode == 1, out.stderr[-2000:]
    assert "Traceback" not in out.stderr and PASSWORD not in out.stderr + out.stdout
    assert f"{lshstore.ENV_URL}" in out.stderr.strip().splitlines()[-1]
    if wh_path.exists():
        from newsdedup import warehouse as wh

        assert wh.query_rows(wh_path, "SELECT count(*) FROM articles")[1] == [(0,)]


# ------------------------------------------------------------------------------- Redis dies mid-run
def test_redis_dying_mid_run_is_a_clear_error_and_its_leftovers_are_never_matched(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    persist = ("--appendonly", "yes", "--appendfsync", "always")  # what was written survives SIGKILL
    cfg = DedupConfig()
    originals = [doc(i, story(i)) for i in range(40)]
    with _server(tmp_path / "r", *persist, port=port) as r:
        env = env_for(f"redis://127.0.0.1:{port}/0", "midrun")
        run_a = lshstore.deduplicator(cfg, env)
        run_a.add(originals[:20])  # batch one is indexed
        real, calls = index_mod.lsh_insert, []

        def insert_then_die(*args: object, **kwargs: object) -> None:
            real(*args, **kwargs)  # type: ignore[arg-type]
            calls.append(1)
            if len(calls) == 5:
                os.killpg(r.proc.pid, signal.SIGKILL)  # the server goes away between two inserts

        monkeypatch.setattr(index_mod, "lsh_insert", insert_then_die)
        with pytest.raises(lshstore.LSHStoreUnavailable, match=lshstore.ENV_URL) as exc:
            run_a.add(originals[20:])
        assert isinstance(exc.value, RuntimeError)
        r.proc.wait(timeout=30)
        monkeypatch.setattr(index_mod, "lsh_insert", real)
    # Redis is back with run A's 25 docs; run A was never loaded, so the next run seeds none of them
    with _server(tmp_path / "r", *persist, port=port):
        run_b = lshstore.deduplicator(cfg, env)
        assert len(run_b.index) == 25  # type: ignore[arg-type]
        copies = [doc(100 + i, story(i, "one more paragraph of words"), source="t") for i in range(40)]
        results = run_b.add(copies)
        assert [(x.kind, x.matched_id) for x in results] == [("canonical", None)] * 40
        # and the retried run A decides its docs again, exactly as the in-process index does
        retried = lshstore.deduplicator(cfg, env).add(originals)
        assert [(x.kind, x.matched_id) for x in retried] == [(x.kind, x.matched_id)
                                                             for x in Deduplicator(cfg).add(originals)]


# ------------------------------------------------------------------------------ eviction, full Redis
def test_an_evicting_redis_is_refused(tmp_path: Path) -> None:
    with _server(tmp_path, "--maxmemory", "4mb", "--maxmemory-policy", "allkeys-lru") as r:
        url = f"redis://127.0.0.1:{r.port}/0"
        with pytest.raises(lshstore.LSHStoreUnsafe, match="allkeys-lru.*noeviction"):
            lshstore.deduplicator(DedupConfig(), env_for(url))
        out = cli("check", url)
        assert out.returncode == 3 and "allkeys-lru" in one_line_error(out)
        # volatile-*: keys without a TTL (all of the index's) are never evicted
        s = lshstore.RedisLSHSettings(url)
        s.client().config_set("maxmemory-policy", "volatile-lru")
        assert lshstore.check(s)["fingerprint"] == DedupConfig().fingerprint()


def test_a_full_noeviction_redis_is_a_clear_error(tmp_path: Path) -> None:
    with _server(tmp_path, "--maxmemory", "4mb", "--maxmemory-policy", "noeviction") as r:
        env = env_for(f"redis://127.0.0.1:{r.port}/0")
        dd = lshstore.deduplicator(DedupConfig(), env)
        with pytest.raises(lshstore.LSHStoreUnavailable, match="maxmemory") as exc:
            for i in range(0, 600, 50):
                dd.add([doc(j, story(j)) for j in range(i, i + 50)])
        assert isinstance(exc.value, RuntimeError)
        out = cli("status", f"redis://127.0.0.1:{r.port}/0")
        assert out.returncode == 0 and '"maxmemory_policy": "noeviction"' in out.stdout


def test_a_redis_that_hides_config_and_info_is_used_with_a_warning(tmp_path: Path,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    with _server(tmp_path, "--rename-command", "INFO", "", "--rename-command", "CONFIG", "") as r:
        s = lshstore.RedisLSHSettings(f"redis://127.0.0.1:{r.port}/0")
        with caplog.at_level(logging.WARNING, logger="newsdedup.lshstore"):
            assert lshstore.check(s)["fingerprint"] == DedupConfig().fingerprint()
        assert "cannot read maxmemory-policy" in caplog.text
        out = cli("status", s.url)
        assert out.returncode == 0 and '"maxmemory_policy": null' in out.stdout


# --------------------------------------------------------------------------- garbage under the prefix
@pytest.mark.parametrize("garbage", ["string", "bad-utf8", "fields-missing", "index-key-wrong-type"])
def test_garbage_under_the_prefix_is_a_clear_error(plain: Redis, garbage: str) -> None:
    s = lshstore.RedisLSHSettings(plain.url, prefix=f"junk-{garbage}")
    lshstore.reset(s)
    r = s.client()
    basename = s.basename(DedupConfig())
    if garbage == "string":
        r.set(s.pin_key(), "hello")
    elif garbage == "bad-utf8":
        r.hset(s.pin_key(), mapping={"fingerprint": b"\xff\xfe\x00", "lsh_params": b"\xc3"})
    elif garbage == "fields-missing":
        r.hset(s.pin_key(), mapping={"something": "else"})
    else:
        r.set(basename + b"_keys", "not a hash")
    if garbage == "fields-missing":  # a pin without its fields is completed, not refused
        assert lshstore.check(s)["fingerprint"] == DedupConfig().fingerprint()
        assert r.hget(s.pin_key(), "fingerprint") == DedupConfig().fingerprint().encode()
        return
    with pytest.raises(lshstore.LSHStoreError, match=s.prefix) as exc:
        lshstore.deduplicator(DedupConfig(), env_for(plain.url, s.prefix))
    assert isinstance(exc.value, RuntimeError)
    for command in ("check", "status"):
        out = cli(command, plain.url, s.prefix)
        assert out.returncode in (0, 3, 4)
        if out.returncode:
            assert s.prefix in one_line_error(out)
    lshstore.reset(s)


def test_stored_ids_are_never_unpickled_into_objects(plain: Redis, tmp_path: Path) -> None:
    """Anyone who can write to Redis must not get code run in the workers through a pickled 'id'."""
    s = lshstore.RedisLSHSettings(plain.url, prefix="pickle")
    lshstore.reset(s)
    cfg = DedupConfig()
    dd = lshstore.deduplicator(cfg, env_for(plain.url, "pickle"))
    [res] = dd.add([doc(1, story(1))])
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    r = s.client()
    basename = s.basename(cfg)
    evil = pickle.dumps(Evil())
    r.hset(basename + b"_keys", evil, basename + b"_keys" + evil)
    # and the same payload in every bucket of doc1's bands
    for table in dd.index.lsh.hashtables:  # type: ignore[attr-defined]
        for h in r.hkeys(table._name):
            r.sadd(h, evil)
    again = lshstore.deduplicator(cfg, env_for(plain.url, "pickle"))
    assert res.sig is not None and res.band_keys is not None
    found = again.index.query(res.sig[None, :], res.band_keys[None, :])
    assert not marker.exists()
    assert found == [["doc1"]]
    lshstore.reset(s)


# ------------------------------------------------------------------------------------------ prefixes
@pytest.mark.parametrize("prefix", ["*", "a*", "?", "a[b]", "[", "a\\", "é", "a/b", "a\nb"])
def test_a_prefix_with_pattern_characters_is_refused(prefix: str) -> None:
    with pytest.raises(lshstore.LSHSettingsError, match=lshstore.ENV_PREFIX):
        lshstore.RedisLSHSettings("redis://h:1/0", prefix=prefix)
    out = cli("reset", "redis://127.0.0.1:1/0", prefix)
    assert out.returncode == 2 and lshstore.ENV_PREFIX in one_line_error(out)


def test_reset_deletes_its_own_keys_only(plain: Redis) -> None:
    cfg = DedupConfig()
    a = lshstore.RedisLSHSettings(plain.url, prefix="a")
    other = lshstore.RedisLSHSettings(plain.url, prefix="a-lsh-x")  # a prefix that starts like a's keys
    lshstore.reset(a), lshstore.reset(other)
    lshstore.deduplicator(cfg, env_for(plain.url, "a")).add([doc(1, story(1))])
    lshstore.deduplicator(cfg, env_for(plain.url, "a-lsh-x")).add([doc(2, story(2))])
    r = a.client()
    strangers = {b"a:other": b"1", b"a-lsh-": b"2", b"a-lsh-notes": b"3", b"unrelated": b"4"}
    r.mset(strangers)
    theirs = sorted(r.scan_iter(match="a-lsh-x*"))
    assert theirs
    assert lshstore.reset(a) > 0
    assert sorted(r.scan_iter(match="a-lsh-x*")) == theirs
    assert all(r.get(k) == v for k, v in strangers.items())
    assert lshstore.status(other)["indexed_docs"] == 1 and lshstore.status(a)["indexed_docs"] is None
    lshstore.reset(other)
    r.delete(*strangers)


# ---------------------------------------------------------------------------------------------- Airflow
def test_the_dedup_task_fails_without_retries_on_settings_that_cannot_mend(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad URL or prefix, another config pinned, an evicting Redis do not mend by retrying: the task
    fails at once (AirflowFailException), with the password redacted; Redis down is retried as usual."""
    from airflow.sdk.exceptions import AirflowFailException

    from newsdedup import pipeline, tasks

    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - name: x\n    url: http://127.0.0.1:1/feed\n    kind: rss\n")
    ref = pipeline.plan("manual__lsh", sources_file=str(sources), staging=str(tmp_path / "staging"),
                        warehouse=str(tmp_path / "w.duckdb"))
    jobs = [{"run_dir": ref["run_dir"], "source": "x"}]
    monkeypatch.setenv(lshstore.ENV_URL, f"redis://:{PASSWORD}@127.0.0.1:notaport/0")
    with pytest.raises(AirflowFailException, match=lshstore.ENV_URL) as exc:
        tasks.dedup(jobs)
    assert PASSWORD not in str(exc.value)
    monkeypatch.setenv(lshstore.ENV_URL, f"redis://:{PASSWORD}@127.0.0.1:{free_port()}/0")
    with pytest.raises(lshstore.LSHStoreUnavailable) as down:
        tasks.dedup(jobs)
    assert not isinstance(down.value, AirflowFailException) and PASSWORD not in str(down.value)
