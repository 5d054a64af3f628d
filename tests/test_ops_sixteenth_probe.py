"""The sixteenth probe of what operators and analysts type and run (session 42): what the fifteenth left
(`sql QUERY` of several statements, paths Python holds as surrogates in messages, the address-space floor
per DuckDB thread), then warehouses an operator finds in odd states and what `sql` is handed.
Each test of a fix failed on the code before it; the `test_held_*` ones record what already held.

Real files, a real DuckDB warehouse, and the `newsdedup` command as the installed script with PYTHONPATH at
this checkout's `plugins/`, as a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from samplesources import PAGES

ROOT = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).with_name("newsdedup"))
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}


def _cli(*args: str, env: dict[str, str] | None = None, timeout: float = 300, cwd: Path | None = None,
         preexec_fn: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=timeout, env=env or ENV, cwd=cwd,
                          preexec_fn=preexec_fn, errors="backslashreplace")


def _pages(folder: Path, n: int = 3) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for f in sorted(PAGES.rglob("*.html"))[:n]:
        (folder / f.name).write_bytes(f.read_bytes())
    return folder


def _sources(tmp: Path, pages: Path) -> Path:
    cfg = tmp / "sources.yaml"
    cfg.write_text(yaml.safe_dump({"sources": [{"name": "local", "kind": "dir", "url": str(pages),
                                                "settle_seconds": 0}]}))
    return cfg


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("sixteenth")
    cfg = _sources(tmp, _pages(tmp / "pages"))
    got = _cli("run", "--sources", str(cfg), "--warehouse", str(tmp / "w.duckdb"), "--staging", str(tmp / "st"))
    assert got.returncode == 0, got.stderr[-3000:]
    return tmp / "w.duckdb"


# ------------------------------------------------------------------ 1. `sql QUERY` of several statements
LAST = ("SELECT INTERVAL '1 year 2 months 3 days' AS iv, INTERVAL 1 MONTH AS month, '\\xAA\\x00'::BLOB AS blob, "
        "[INTERVAL 2 DAYS] AS ivs, count(*) AS n FROM articles")


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "table"])
def test_sql_of_several_statements_prints_the_last_ones_intervals_and_blobs_as_duckdb_writes_them(
        loaded: Path, as_json: bool) -> None:
    """`sql "SELECT 1; SELECT INTERVAL 1 MONTH ..."` printed the last statement's INTERVALs as Python's
    timedelta (`30 days, 0:00:00`, `1 month` equal to `30 days`) and its BLOBs as `b'\\xaa\\x00'`; the prompt
    (which splits statements) and a one-statement QUERY printed DuckDB's text. Now every way is the same."""
    for query in (f"SELECT 1; {LAST}", f"SELECT 1 AS x; -- a note\n{LAST};", f"SET VARIABLE v = 1; {LAST} -- c"):
        got = _cli("sql", *(["--json"] if as_json else []), "--warehouse", str(loaded), query)
        assert got.returncode == 0, got.stderr
        if as_json:
            assert json.loads(got.stdout) == {"iv": "1 year 2 months 3 days", "month": "1 month",
                                              "blob": "\\xAA\\x00", "ivs": ["2 days"], "n": 3}, got.stdout
        else:
            line = got.stdout.splitlines()[2]
            assert "1 year 2 months 3 days" in line and "| 1 month " in line and "\\xAA\\x00" in line, line
            assert "b'" not in line and "days," not in line and "timedelta" not in line, line


@pytest.mark.parametrize("query", [
    "SELECT 1; ATTACH ':memory:' AS m",
    "SELECT 1; COPY (SELECT 1) TO '/tmp/s42-sixteenth-copy.csv'",
    "SELECT 1; SET lock_configuration = false",
    "SELECT 1; SET enable_external_access = true; SELECT * FROM read_text('/etc/hostname')",
    "SELECT 1; INSERT INTO articles (article_id) VALUES ('x')",
    "SELECT INTERVAL 1 DAY); DROP TABLE articles; SELECT (1",
    "SELECT 1; SELECT * FROM (SELECT 1) LIMIT 0); CREATE TABLE x AS (SELECT 1",
    "SELECT 1; SELECT 'a' /* ) ; DROP TABLE articles; -- */, INTERVAL 1 DAY",
    "SELECT 1; SELECT $$ ) ; DROP TABLE articles ; ($$ AS s, INTERVAL 1 DAY",
])
def test_several_statements_stay_in_the_sandbox(loaded: Path, query: str) -> None:
    """The statements before the last run one by one now (each as DuckDB cut it), the last wrapped when it is
    a SELECT: a text that would close the wrap's parenthesis is no single SELECT, and nothing escapes the
    read-only, locked reader. Every hostile text fails as DuckDB says, or (the quoted ones) prints; the
    warehouse is whole after."""
    got = _cli("sql", "--json", "--warehouse", str(loaded), query)
    assert "Traceback" not in got.stderr, got.stderr
    if "DROP TABLE articles; --" in query or "$$" in query:
        assert got.returncode == 0, got.stderr
        row = json.loads(got.stdout)
        assert list(row.values())[-1] == "1 day", row
    else:
        assert got.returncode == 1, (query, got.stdout, got.stderr)
    assert not Path("/tmp/s42-sixteenth-copy.csv").exists()
    after = _cli("sql", "--json", "--warehouse", str(loaded), "SELECT count(*) AS n FROM articles; SHOW TABLES")
    assert after.returncode == 0, after.stderr
    assert "articles" in after.stdout
    assert _cli("sql", "--json", "--warehouse", str(loaded), "SELECT count(*) AS n FROM articles").stdout.strip() \
        == '{"n": 3}'
