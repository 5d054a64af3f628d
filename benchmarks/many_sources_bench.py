"""A run over many `dir` sources with nothing new: what each source costs when there is nothing to do.

Makes N drop folders of one page each, loads them with a first `newsdedup run`, then times a second
`newsdedup run` (the CLI's `main`, in this process) end to end. Prints the total and per-source
seconds and how many times the run opened the readers' snapshot and the main file (counted by
wrapping `duckdb.connect` here, not in the package). With --tasks the second run calls the stages
the way the DAG's tasks do (`ingest_source` per source, each with a reader of its own; all in this
process, so no task start-up is counted).

    nice .venv/bin/python benchmarks/many_sources_bench.py [--sources 300] [--tasks]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

import duckdb  # noqa: E402
import yaml  # noqa: E402

from newsdedup import cli, pipeline  # noqa: E402
from newsdedup import warehouse as wh  # noqa: E402

PARAGRAPH = ("The {n} council met on Tuesday to agree a budget for the coming year after months of talks between "
             "the parties, and the vote passed by a narrow margin late in the evening after a long debate about "
             "road repairs, school buildings and the future of the harbour ferry service that links the island. ")


def make_sources(root: Path, n: int) -> Path:
    sources = []
    for i in range(n):
        folder = root / "drops" / f"s{i:05d}"
        folder.mkdir(parents=True)
        (folder / "story.html").write_text(
            f"<html lang='en'><head><title>Story {i}</title></head><body><article><h1>Story {i}</h1>"
            + "".join(f"<p>{PARAGRAPH.format(n=f'town {i} item {j}')}</p>" for j in range(3))
            + "</article></body></html>", encoding="utf-8")
        sources.append({"name": f"s{i:05d}", "url": str(folder), "kind": "dir",
                        "base_url": f"https://s{i:05d}.example.org/"})
    path = root / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": sources}), encoding="utf-8")
    return path


def run(args: list[str]) -> float:
    out = io.StringIO()
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(out):
        code = cli.main(args)
    elapsed = time.perf_counter() - t0
    if code:
        raise SystemExit(f"newsdedup {' '.join(args)} exited {code}:\n{out.getvalue()}")
    return elapsed


def run_as_tasks(sources: Path, warehouse: Path, staging: Path) -> float:
    t0 = time.perf_counter()
    ref = pipeline.plan("bench_tasks", sources_file=str(sources), staging=str(staging), warehouse=str(warehouse))
    for src in ref["sources"]:
        pipeline.ingest_source(ref["run_dir"], src["name"])
    pipeline.dedup_stage(ref["run_dir"])
    loaded = pipeline.load_stage(ref["run_dir"])
    pipeline.report(ref["run_dir"], pipeline.run_summaries(ref["run_dir"]), loaded)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=int, default=300)
    ap.add_argument("--tasks", action="store_true", help="the second run as the DAG's tasks call the stages")
    args = ap.parse_args()
    opens: Counter[str] = Counter()
    connect = duckdb.connect

    def counting(database: Any = ":memory:", *a: Any, **kw: Any) -> duckdb.DuckDBPyConnection:
        name = str(database)
        opens["snapshot" if name.endswith(".snapshot.duckdb") else "main" if name.endswith(".duckdb") else
              "other"] += 1
        return connect(database, *a, **kw)

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        src = make_sources(root, args.sources)
        common = ["--sources", str(src), "--warehouse", str(root / "w.duckdb"), "--staging", str(root / "st")]
        # the run's log (a line per source) to a file, as a task log; the CLI's basicConfig then adds nothing
        logging.basicConfig(filename=str(root / "run.log"), level=logging.INFO, force=True)
        first = run(["run", *common])
        duckdb.connect = counting
        try:
            second = (run_as_tasks(src, root / "w.duckdb", root / "st") if args.tasks else
                      run(["run", *common]))
        finally:
            duckdb.connect = connect
        found = wh.query_rows(root / "w.duckdb", "SELECT count(*), count(DISTINCT source) FROM articles")[1][0]
    assert found == (args.sources, args.sources), found
    print(f"{args.sources} dir sources, one stored page each; first run {first:.1f} s")
    print(f"second run (nothing new{', as tasks' if args.tasks else ''}): {second:.2f} s, {second / args.sources * 1000:.1f} ms per source")
    print(f"snapshot opens {opens['snapshot']} ({opens['snapshot'] / args.sources:.2f} per source), "
          f"main-file opens {opens['main']}, other {opens['other']}")


if __name__ == "__main__":
    main()
