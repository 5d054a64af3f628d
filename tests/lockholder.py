"""A second process that holds the DuckDB writer lock on a warehouse file (what a forgotten
read-write session or a BI tool pointed at the main file does) until the test lets it go."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HOLDER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
print("locked", flush=True)
sys.stdin.read()
con.close()
"""


@contextmanager
def holding_the_lock(path: Path, label: str = "analyst-session") -> Iterator[subprocess.Popen[str]]:
    """Hold the lock on `path` in another process (its command line ends with `label`)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), label], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=60)
