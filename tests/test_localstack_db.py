"""The local Airflow stack's metadata DB waits for a lock a loaded scheduler holds (session 46).

A fresh-clone run failed `tests/airflow/test_lock.py` with HTTP 500 "Database error" from `POST /dagRuns`: the API
server's audit-log INSERT gave up after SQLite's default busy timeout of 5 s while the scheduler wrote a DAG run's
records on a loaded machine. The stack's environment names `localstack.SQLITE_CONNECT_ARGS` for Airflow's engine.
Here a real SQLite lock is held past those 5 s while Airflow's own engine, built from that environment, writes."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsdedup.localstack import LocalStack

pytestmark = pytest.mark.slow

_WRITER = """
import sys
from sqlalchemy import text
from airflow import settings
with settings.engine.connect() as c:
    print(c.execute(text("PRAGMA busy_timeout")).scalar(), flush=True)
    sys.stdin.readline()  # the test holds the write lock now
    c.execute(text("INSERT INTO t VALUES (1)"))
    c.commit()
print("written", flush=True)
"""


def test_a_write_waits_for_a_lock_held_past_sqlites_default_five_seconds(tmp_path: Path) -> None:
    stack = LocalStack(tmp_path / "airflow-home")
    env = stack.env()
    db = Path(env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].removeprefix("sqlite:///"))
    db.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(db) as setup:
        setup.execute("CREATE TABLE t (x)")
    writer = subprocess.Popen([sys.executable, "-c", _WRITER], env=env, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdin is not None
        busy_ms = writer.stdout.readline().strip()
        assert busy_ms == str(int(stack_timeout() * 1000)), (busy_ms, writer.stderr.read() if busy_ms == "" else "")
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # the write lock, as a scheduler's transaction holds it
        writer.stdin.write("go\n")
        writer.stdin.flush()
        time.sleep(7)  # longer than SQLite's default 5 s: the setup of the condition, nothing timed is asserted
        holder.execute("COMMIT")
        holder.close()
        out, err = writer.communicate(timeout=120)
    finally:
        if writer.poll() is None:
            writer.kill()
    assert writer.returncode == 0 and "written" in out, err[-2000:]
    with sqlite3.connect(db) as check:
        assert check.execute("SELECT count(*) FROM t").fetchone() == (1,)


def stack_timeout() -> float:
    from newsdedup.localstack import SQLITE_CONNECT_ARGS

    return float(SQLITE_CONNECT_ARGS["timeout"])
