"""Memory and time of `lshstore.sweep` over a large shared LSH index (the sweep's own process).

Builds an index of `--ids` ids in a throwaway redis-server: `--expired` of them fully inserted (their
band buckets, which the sweep removes) and the rest as entries of the index's key directory only (all
the sweep reads of an id the warehouse keeps), and a warehouse holding a signature for every kept id and
an article without signature for every expired one (retention deleted it). Then runs the sweep in a
fresh process with the code under `--plugins` (default: this checkout's), twice: once for its time, its
RSS before the sweep and the process's peak RSS after it, once under tracemalloc for the peak of Python
allocations (its time is tracemalloc's).

    .venv/bin/python benchmarks/lsh_sweep_memory.py --ids 200000
    .venv/bin/python benchmarks/lsh_sweep_memory.py --ids 200000 --plugins /tmp/old/plugins  # another version

Needs Debian's `redis-server` (`apt-get install -y redis-server`).
"""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT))

from newsdedup import lshstore  # noqa: E402
from newsdedup import warehouse as wh  # noqa: E402
from newsdedup.dedup import DedupConfig, make_lsh  # noqa: E402
from newsdedup.dedup.minhash import lsh_insert  # noqa: E402
from tests.scale.services import redis_server  # noqa: E402

MEASURE = r"""
import json, resource, sys, time, tracemalloc
from pathlib import Path
from newsdedup import lshstore
from newsdedup import warehouse as wh  # imported before the baseline, as the sweep would import it

url, prefix, warehouse, traced = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
settings = lshstore.RedisLSHSettings(url, prefix=prefix)
settings.client().ping()
# the RSS now (VmRSS; ru_maxrss may still hold a peak of the imports) and the peak once the sweep is done
rss0 = next(int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines()
            if line.startswith("VmRSS:"))
if traced:
    tracemalloc.start()
t0 = time.monotonic()
result = lshstore.sweep(settings, warehouse, batch=int(sys.argv[5]))
seconds = time.monotonic() - t0
out = {"result": str(result), "removed": result.removed, "kept": result.kept, "seconds": round(seconds, 2),
       "rss_before_mb": round(rss0 / 1024, 1),
       "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
if traced:
    out["python_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
print(json.dumps(out))
"""


def build(url: str, prefix: str, warehouse: Path, n: int, expired: int) -> None:
    config = DedupConfig()
    settings = lshstore.RedisLSHSettings(url, prefix=prefix)
    lshstore.reset(settings)
    lshstore.check(settings, config)
    lsh = make_lsh(config, settings.storage_config(config))
    directory = lsh.keys.redis_key(b"")
    r = settings.client()
    ids = [f"article-{i:09d}" for i in range(n)]
    gone, kept = ids[:expired], ids[expired:]
    for start in range(0, len(kept), 10_000):
        pipe = r.pipeline(transaction=False)
        for i in kept[start:start + 10_000]:
            raw = pickle.dumps(i)
            pipe.hset(directory, raw, lsh.keys.redis_key(raw))
        pipe.execute()
    rng = np.random.default_rng(7)
    for i in gone:
        lsh_insert(lsh, i, rng.integers(0, 2**32, config.num_perm, dtype=np.uint64), config)
    if warehouse.exists():
        warehouse.unlink()
    with wh.writer(warehouse) as con:
        con.execute("INSERT INTO minhash_signatures (article_id, source, config_fingerprint) SELECT unnest(?), 's', ?",
                    [kept, config.fingerprint()])
        con.execute("INSERT INTO articles (article_id, url, canonical_url, source, text) "
                    "SELECT unnest(?), 'u', 'u', 's', ''", [ids])


def measure(url: str, prefix: str, warehouse: Path, plugins: Path, traced: bool, batch: int) -> dict[str, object]:
    proc = subprocess.run([sys.executable, "-c", MEASURE, url, prefix, str(warehouse), "1" if traced else "0",
                           str(batch)], capture_output=True, text=True, env={"PYTHONPATH": str(plugins),
                                                                          "PATH": "/usr/bin:/bin"}, check=False)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-2000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ids", type=int, default=200_000)
    ap.add_argument("--expired", type=int, default=2_000)
    ap.add_argument("--batch", type=int, default=lshstore.SWEEP_BATCH,
                    help="the sweep's batch (a version without batched reads ignores it for reading)")
    ap.add_argument("--plugins", type=Path, default=ROOT / "plugins", help="the code to measure")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, redis_server(Path(tmp) / "redis") as redis:
        warehouse = Path(tmp) / "w.duckdb"
        out: dict[str, object] = {"ids": args.ids, "expired": args.expired, "plugins": str(args.plugins)}
        for traced in (False, True):
            build(redis.url, "sweepbench", warehouse, args.ids, args.expired)
            out["traced" if traced else "timed"] = measure(redis.url, "sweepbench", warehouse, args.plugins, traced,
                                                           args.batch)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
