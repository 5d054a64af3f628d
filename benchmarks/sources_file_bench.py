"""Sources-file load time: a generated file of N MB (rss sources with options), read as `newsdedup run`
reads it. Prints wall and CPU seconds for the YAML step and the schema step, and the loader used.

    nice .venv/bin/python benchmarks/sources_file_bench.py [--mb 10]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from newsdedup import config  # noqa: E402


def write_file(path: Path, mb: float) -> int:
    rows, size, i = [], 0, 0
    while size < mb * 1024 * 1024:
        row = (f"  - name: source-{i:06d}\n    url: https://news{i % 997}.example.org/s/{i}/feed.xml?a=1&b=2\n"
               f"    kind: rss\n    max_entries: {i % 300}\n")
        rows.append(row)
        size += len(row)
        i += 1
    path.write_text("settings:\n  retries: 1\nsources:\n" + "".join(rows), encoding="utf-8")
    return i


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sources.yaml"
        n = write_file(path, args.mb)
        size = path.stat().st_size
        text = path.read_text(encoding="utf-8")
        w, c = time.perf_counter(), time.process_time()
        data = config._read_yaml(text, str(path))
        yaml_wall, yaml_cpu = time.perf_counter() - w, time.process_time() - c
        w, c = time.perf_counter(), time.process_time()
        cfg = config.parse_sources(data, str(path))
        schema_wall, schema_cpu = time.perf_counter() - w, time.process_time() - c
        assert len(cfg.sources) == n
    print(f"{size:,} bytes, {n:,} sources, "
          f"loader {config._Loader.__mro__[1].__name__}")
    print(f"YAML   {yaml_wall:6.2f} s wall {yaml_cpu:6.2f} s CPU")
    print(f"schema {schema_wall:6.2f} s wall {schema_cpu:6.2f} s CPU")
    print(f"total  {yaml_wall + schema_wall:6.2f} s wall {yaml_cpu + schema_cpu:6.2f} s CPU")


if __name__ == "__main__":
    main()
