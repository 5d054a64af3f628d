"""The smallest address-space limit (`ulimit -v`, RLIMIT_AS) under which DuckDB does a load's work with
`threads` set to 1, 2, 4, 8 (the command itself refuses below its floor, so it is DuckDB's work that is bisected):
what `cli.address_space_problem`'s floor stands on. Bisects the limit in a subprocess per try; prints MiB.

    .venv/bin/python benchmarks/address_space_floor.py [--threads 1 2 4 8] [--cli]

The DuckDB child imports what a run imports (newsdedup.pipeline: duckdb, pyarrow, datasketch with scipy and
OpenBLAS), opens a file warehouse with `threads` set, writes 2 M rows from a parallel query, aggregates them
with a hash GROUP BY, and checkpoints: each of DuckDB's threads reserves its stack and a malloc arena.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import sys
import duckdb
import newsdedup.pipeline  # noqa: F401  (what a run imports: datasketch, scipy, pyarrow)
con = duckdb.connect(sys.argv[1], config={"threads": int(sys.argv[2])})
assert con.execute("SELECT current_setting('threads')").fetchone()[0] == int(sys.argv[2])
con.execute("CREATE OR REPLACE TABLE t AS SELECT i, md5(i::VARCHAR) AS h FROM range(2000000) r(i)")
con.execute("SELECT h[1:2], count(*), sum(i) FROM t GROUP BY 1 ORDER BY 1").fetchall()
con.execute("CHECKPOINT")
con.close()
"""


def _works(cmd: list[str], mib: int, env: dict[str, str]) -> bool:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (mib * 2**20, resource.RLIM_INFINITY))
    try:
        got = subprocess.run(cmd, capture_output=True, env=env, preexec_fn=limit, timeout=300, check=False)
    except subprocess.TimeoutExpired:  # OpenBLAS spinning in its thread start
        return False
    return got.returncode == 0


def floor(cmd_for: object, lo: int = 128, hi: int = 4096, step: int = 16) -> int:
    """The smallest limit (to `step` MiB) at which cmd_for(mib) works, assuming it works at `hi`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    assert callable(cmd_for)
    if not _works(cmd_for(), hi, env):
        return -1
    while hi - lo > step:
        mid = (lo + hi) // 2
        if _works(cmd_for(), mid, env):
            hi = mid
        else:
            lo = mid
    return hi


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, nargs="*", default=[1, 2, 4, 8])
    ap.add_argument("--cli", action="store_true",
                    help="also bisect a first `newsdedup run`, a second into the loaded warehouse, and `sql`, "
                         "with the command's own floor check off (DuckDB on the threads that fit under each "
                         "limit: addressspace.duckdb_threads)")
    args = ap.parse_args()
    print(f"cpus: {os.cpu_count()}, python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.threads:
            db = Path(tmp) / f"t{n}.duckdb"

            def cmd(db: Path = db, n: int = n) -> list[str]:
                db.unlink(missing_ok=True)
                Path(str(db) + ".wal").unlink(missing_ok=True)
                return [sys.executable, "-c", CHILD, str(db), str(n)]
            print(f"duckdb threads={n}: works from {floor(cmd)} MiB", flush=True)
        if args.cli:
            _cli_floors(Path(tmp))


# the command with `address_space_problem` answering None: the floor it checks is what is measured here
UNCHECKED = ("import sys; from newsdedup import cli; cli.address_space_problem = lambda: None; "
             "sys.exit(cli.main(sys.argv[1:]))")


def _cli_floors(tmp: Path) -> None:
    pages = tmp / "pages"
    pages.mkdir()
    for f in sorted((ROOT / "samples" / "site" / "wire").rglob("*.html"))[:5]:
        (pages / f.name).write_bytes(f.read_bytes())
    cfg = tmp / "sources.yaml"
    cfg.write_text(f"sources:\n  - name: local\n    kind: dir\n    url: {pages}\n    settle_seconds: 0\n")
    w, st = tmp / "w.duckdb", tmp / "st"
    run = [sys.executable, "-c", UNCHECKED, "run", "--sources", str(cfg), "--warehouse", str(w), "--staging", str(st)]

    def first() -> list[str]:
        for f in tmp.glob("w.*"):
            shutil.rmtree(f) if f.is_dir() else f.unlink()
        shutil.rmtree(st, ignore_errors=True)
        return run
    print(f"newsdedup run (first, {len(list(pages.iterdir()))} pages): works from {floor(first)} MiB", flush=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    subprocess.run(first(), env=env, capture_output=True, check=True)
    print(f"newsdedup run (into the loaded warehouse): works from {floor(lambda: run)} MiB", flush=True)
    sql = [sys.executable, "-c", UNCHECKED, "sql", "--warehouse", str(w), "select count(*) from articles"]
    print(f"newsdedup sql: works from {floor(lambda: sql)} MiB", flush=True)


if __name__ == "__main__":
    main()
