"""An analyst's read-only session stays open (in a second process) while the scheduler runs a load:
the load succeeds at its first try, nothing is lost, and the analyst sees one consistent state at
most one run old."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import hostile_site
import pytest
from stackenv import INGEST, Env

from newsdedup import warehouse as wh

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

# The analyst: opens the published snapshot read-only (what `newsdedup sql` and a BI tool open),
# prints what it sees, then again every time it reads a line on stdin, on the same connection.
ANALYST = textwrap.dedent("""
    import json, sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    def state():
        return {"articles": con.execute("SELECT count(*) FROM articles").fetchone()[0],
                "runs": con.execute("SELECT count(*) FROM ingest_runs").fetchone()[0],
                "titles": sorted(r[0] for r in con.execute("SELECT coalesce(title, '') FROM articles").fetchall())}
    print(json.dumps(state()), flush=True)
    for _ in sys.stdin:
        print(json.dumps(state()), flush=True)
""")


def _state(path) -> dict:
    with wh.reader(path) as con:
        return {"articles": con.execute("SELECT count(*) FROM articles").fetchone()[0],
                "runs": con.execute("SELECT count(*) FROM ingest_runs").fetchone()[0],
                "titles": sorted(r[0] for r in con.execute("SELECT coalesce(title, '') FROM articles").fetchall())}


def test_open_reader_does_not_block_the_load(loaded: Env) -> None:
    snapshot = wh.snapshot_path(loaded.warehouse)
    analyst = subprocess.Popen([sys.executable, "-c", ANALYST, str(snapshot)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        seen_before = json.loads(analyst.stdout.readline())
        assert seen_before["articles"] > 0
        hostile_site.add_story(loaded.hostile_root)  # the second run has one new article to load
        run_id = loaded.stack.trigger(INGEST)
        assert loaded.stack.wait_for_run(INGEST, run_id, timeout=600) == "success"
        (load,) = [ti for ti in loaded.stack.task_instances(INGEST, run_id) if ti["task_id"] == "load"]
        assert load["state"] == "success" and load["try_number"] == 1  # no lock error, no retry
        # The analyst's session was open throughout; it still sees the state it started with, whole.
        analyst.stdin.write("again\n")
        analyst.stdin.flush()
        assert json.loads(analyst.stdout.readline()) == seen_before
        assert analyst.poll() is None
    finally:
        analyst.stdin.close()
        analyst.wait(timeout=60)
    assert analyst.returncode == 0, analyst.stderr.read()
    # A new session sees the new run: nothing lost, one article more, one run more.
    after = _state(loaded.warehouse)
    assert after["articles"] == seen_before["articles"] + 1
    assert after["runs"] == seen_before["runs"] + 1
    assert set(seen_before["titles"]) < set(after["titles"])
    assert hostile_site.THIRD[1] in after["titles"]


def test_a_hostile_shell_neither_changes_nor_blocks_the_load(loaded: Env) -> None:
    """`newsdedup sql`'s shell: attaching the live warehouse read-write is refused (issue 10, item 9),
    so the session can neither delete from it nor hold its lock while the scheduler loads."""
    shell = subprocess.Popen([sys.executable, "-m", "newsdedup.cli", "sql", "--warehouse", str(loaded.warehouse)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        shell.stdin.write(f"ATTACH '{loaded.warehouse}' AS live (READ_WRITE);\nDELETE FROM live.articles;\n"
                          "SELECT count(*) AS n FROM articles;\n")
        shell.stdin.flush()
        lines = []
        for line in shell.stdout:
            lines.append(line)
            if "(1 row)" in line:
                break
        before = _state(loaded.warehouse)
        run_id = loaded.stack.trigger(INGEST)
        assert loaded.stack.wait_for_run(INGEST, run_id, timeout=600) == "success"
        (load,) = [ti for ti in loaded.stack.task_instances(INGEST, run_id) if ti["task_id"] == "load"]
        assert load["state"] == "success" and load["try_number"] == 1  # the shell held no lock
        assert shell.poll() is None  # still open
    finally:
        shell.stdin.close()
        shell.wait(timeout=60)
    text = "".join(lines)
    assert "refused" in text and 'schema "live" does not exist' in text, text  # no ATTACH, so nothing to delete
    after = _state(loaded.warehouse)
    assert after["articles"] == before["articles"] > 0 and after["runs"] == before["runs"] + 1
