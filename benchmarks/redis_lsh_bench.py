"""Redis-shared LSH: insert and query rates against a real redis-server, next to the in-process index.

Signatures come from the dedup stage's own Signer over random 600-word documents; the index is
built by `newsdedup.dedup.make_lsh` with the pinned (b, r), exactly as the dedup stage builds it.
Rates are per client process (one core); Redis itself is single-threaded, so several workers
querying at once share its one core (the `redis_cpu` line says how busy it was).

    .venv/bin/python benchmarks/redis_lsh_bench.py --docs 2000
    .venv/bin/python benchmarks/redis_lsh_bench.py --redis-url redis://127.0.0.1:6379/15

Removal (what `lshstore sweep` does) is timed three ways on a third of the docs each: datasketch's
`MinHashLSH.remove`, its `deletion_session()`, and the sweep's batched `lshstore.remove_ids`; the last
lines count what the removed docs left in Redis (`deletion_session` leaves every bucket directory field).
`--sweep-docs 40000` also runs `lshstore.sweep` end to end (HSCAN of the ids, the warehouse read, the removal).

Without --redis-url a throwaway redis-server is started on a free 127.0.0.1 port (Debian's
`redis-server` must be installed: `apt-get install -y redis-server`).
"""

from __future__ import annotations

import argparse
import json
import pickle
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

from newsdedup.dedup import DedupConfig, make_lsh  # noqa: E402
from newsdedup.dedup.minhash import Signer, sketch  # noqa: E402
from newsdedup.lshstore import SWEEP_BATCH, RedisIndex, RedisLSHSettings, remove_ids, reset  # noqa: E402


@contextmanager
def throwaway_redis() -> Iterator[str]:
    exe = shutil.which("redis-server")
    if exe is None:
        raise SystemExit("redis-server not found: apt-get install -y redis-server, or pass --redis-url")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen([exe, "--bind", "127.0.0.1", "--port", str(port), "--dir", tmp, "--save", "",
                                 "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                with socket.socket() as s:
                    if s.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.05)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def signatures(n: int, config: DedupConfig, seed: int = 7) -> list[np.ndarray]:
    """Signatures of n random 600-word docs (600 five-word shingles each, like a news article)."""
    rng = np.random.default_rng(seed)
    sets = [np.unique(rng.integers(0, 2**32, 600, dtype=np.uint64).astype(np.uint32)) for _ in range(n)]
    return [s for s in Signer(config).sign_many(sets) if s is not None]


def redis_cpu(settings: RedisLSHSettings) -> float:
    info = settings.client().info("cpu")
    return float(info["used_cpu_sys"]) + float(info["used_cpu_user"])


def rate(n: int, seconds: float) -> float:
    return round(n / seconds, 1) if seconds > 0 else float("inf")


def bench(url: str, n: int) -> dict[str, object]:
    config = DedupConfig()
    sigs = signatures(n, config)
    sk = [sketch(s, config) for s in sigs]
    ids = [f"doc{i:08d}" for i in range(len(sk))]
    out: dict[str, object] = {"docs": len(sk), "lsh_params": list(config.lsh_params), "num_perm": config.num_perm}

    mem = make_lsh(config)
    t = time.perf_counter()
    for k, m in zip(ids, sk, strict=True):
        mem.insert(k, m, check_duplication=False)
    out["memory_insert_per_s"] = rate(len(sk), time.perf_counter() - t)
    t = time.perf_counter()
    for m in sk:
        mem.query(m)
    out["memory_query_per_s"] = rate(len(sk), time.perf_counter() - t)

    settings = RedisLSHSettings(url=url, prefix="lshbench")
    reset(settings)
    cpu0 = redis_cpu(settings)
    lsh = make_lsh(config, settings.storage_config(config))
    # What the dedup stage does per new doc: one unbuffered insert (1 HSET + RPUSH + b SADDs).
    t = time.perf_counter()
    for k, m in zip(ids, sk, strict=True):
        lsh.insert(k, m, check_duplication=False)
    out["redis_insert_per_s"] = rate(len(sk), time.perf_counter() - t)
    # What a query costs: b SMEMBERS round trips (datasketch's own query, pickle.loads on every key).
    t = time.perf_counter()
    for m in sk:
        lsh.query(m)
    out["redis_query_per_s"] = rate(len(sk), time.perf_counter() - t)
    # Opening the shared index at the start of a dedup task: one HKEYS over every stored key.
    t = time.perf_counter()
    index = RedisIndex(settings, config)
    out["redis_open_seconds"] = round(time.perf_counter() - t, 3)
    # The dedup stage's query: the same round trips, keys unpickled as plain strs only.
    t = time.perf_counter()
    for sig in sigs:
        index.query(sig[None, :], np.zeros((1, config.lsh_params[0]), dtype=np.uint64))
    out["redis_index_query_per_s"] = rate(len(sigs), time.perf_counter() - t)
    out["redis_cpu_seconds"] = round(redis_cpu(settings) - cpu0, 2)
    mem_info = settings.client().info("memory")
    out["redis_bytes_per_doc"] = round(int(mem_info["used_memory"]) / len(sk))
    out.update(removal(settings, lsh, ids))
    reset(settings)
    # Bulk loading (e.g. after `lshstore reset`): datasketch's pipelined insertion session.
    lsh = make_lsh(config, settings.storage_config(config))
    t = time.perf_counter()
    with lsh.insertion_session(buffer_size=10_000) as session:
        for k, m in zip(ids, sk, strict=True):
            session.insert(k, m, check_duplication=False)
    out["redis_session_insert_per_s"] = rate(len(sk), time.perf_counter() - t)
    reset(settings)
    return out


def commands(r: object) -> int:
    return int(r.info("stats")["total_commands_processed"])  # type: ignore[attr-defined]


def removal(settings: RedisLSHSettings, lsh: object, ids: list[str]) -> dict[str, object]:
    """What removing docs costs (the sweep's work), a third of the index each way: datasketch's
    `MinHashLSH.remove` per doc, its `deletion_session()`, and the sweep's batched `remove_ids`; then
    how many keys and bytes the removed docs left behind."""
    r = settings.client()
    out: dict[str, object] = {}
    third = len(ids) // 3
    parts = {"remove": ids[:third], "deletion_session": ids[third:2 * third], "sweep": ids[2 * third:]}
    for how, part in parts.items():
        c0, t = commands(r), time.perf_counter()
        if how == "remove":
            for k in part:
                lsh.remove(k)  # type: ignore[attr-defined]
        elif how == "deletion_session":
            with lsh.deletion_session(buffer_size=10_000) as session:  # type: ignore[attr-defined]
                for k in part:
                    session.remove(k)
        else:
            stored = [pickle.dumps(k) for k in part]  # the bytes datasketch stored (prepickle)
            for start in range(0, len(stored), SWEEP_BATCH):
                remove_ids(lsh, r, stored[start:start + SWEEP_BATCH])
        seconds = time.perf_counter() - t
        out[f"redis_{how}_per_s"] = rate(len(part), seconds)
        out[f"redis_{how}_commands_per_doc"] = round((commands(r) - c0) / max(len(part), 1))
    # every doc is gone: what is left is what removal leaked (bucket directory fields)
    left = list(r.scan_iter(match=settings.index_pattern(), count=1000))
    out["keys_left_after_removing_every_doc"] = len(left)
    out["directory_fields_left"] = sum(r.hlen(k) for k in left if r.type(k) == b"hash")
    return out


def sweep_end_to_end(url: str, n: int) -> dict[str, object]:
    """`lshstore.sweep` over an index of n docs and a warehouse holding all n articles but the
    signatures of only half (retention deleted the rest): what the sweep says, and Redis before/after."""
    from newsdedup import warehouse as wh
    from newsdedup.lshstore import check, sweep

    config = DedupConfig()
    sk = [sketch(s, config) for s in signatures(n, config)]
    ids = [f"a{i:09d}" for i in range(len(sk))]
    settings = RedisLSHSettings(url=url, prefix="lshbench")
    reset(settings)
    check(settings, config)
    lsh = make_lsh(config, settings.storage_config(config))
    with lsh.insertion_session(buffer_size=20_000) as session:
        for k, m in zip(ids, sk, strict=True):
            session.insert(k, m, check_duplication=False)
    r = settings.client()
    with tempfile.TemporaryDirectory() as tmp:
        warehouse = Path(tmp) / "w.duckdb"
        with wh.writer(warehouse) as con:
            con.execute("INSERT INTO articles (article_id, url, canonical_url, source, text) "
                        "SELECT unnest(?), 'u', 'u', 's', ''", [ids])
            con.execute("INSERT INTO minhash_signatures (article_id, config_fingerprint) SELECT unnest(?), ?",
                        [ids[: len(ids) // 2], config.fingerprint()])
        before = (int(r.info("memory")["used_memory"]), int(r.dbsize()))
        result = sweep(settings, warehouse)
    after = (int(r.info("memory")["used_memory"]), int(r.dbsize()))
    reset(settings)
    return {"sweep": str(result), "sweep_per_s": rate(result.removed, result.seconds),
            "sweep_redis_mb": [round(before[0] / 1e6), round(after[0] / 1e6)],
            "sweep_redis_keys": [before[1], after[1]]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--redis-url", help="an existing Redis (keys under the 'lshbench' prefix are deleted)")
    ap.add_argument("--sweep-docs", type=int, default=0,
                    help="also time `lshstore sweep` end to end over an index of this many docs, half expired")
    args = ap.parse_args(argv)

    def run(url: str) -> dict[str, object]:
        out = bench(url, args.docs)
        if args.sweep_docs:
            out.update(sweep_end_to_end(url, args.sweep_docs))
        return out

    if args.redis_url:
        result = run(args.redis_url)
    else:
        with throwaway_redis() as url:
            result = run(url)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
