"""`newsdedup sql`, its shell and every other reader connection can read the snapshot's tables and
nothing else (issue 10, item 9): no ATTACH of the live warehouse, no COPY TO, no reading files, no
settings, no writes to the snapshot. Refused statements get a clear message and a non-zero exit.

A real warehouse (the sample site ingested once) and the installed console script, as a user runs it.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlshell import read_until_rows

from newsdedup import cli
from newsdedup import warehouse as wh
from newsdedup.dashboard import data as dashboard_data

pytestmark = pytest.mark.slow

EXE = str(Path(sys.executable).with_name("newsdedup"))
SECRET = "top-secret-3b1f9c"


@pytest.fixture(scope="module")
def warehouse(sample_warehouse: Path) -> Path:
    """This module's copy of one run over the sample site (tests/conftest.py), a secret file and an `out`
    folder beside it."""
    work = sample_warehouse.parent
    (work / "secret.csv").write_text(SECRET + "\n")
    (work / "out").mkdir()
    return sample_warehouse


def _digest(path: Path, deep: bool = True) -> dict[str, object]:
    """The main file, its WAL and the snapshot, by content (`deep`) or by size and modification time
    (any write changes them; cheap enough for hundreds of property-test examples)."""
    files = [path, Path(str(path) + ".wal"), wh.snapshot_path(path), Path(str(wh.snapshot_path(path)) + ".wal")]

    def mark(f: Path) -> object:
        if not f.exists():
            return None
        if deep:
            return hashlib.sha256(f.read_bytes()).hexdigest()
        st = f.stat()
        return st.st_size, st.st_mtime_ns

    return {f.name: mark(f) for f in files}


def _sql(warehouse: Path, query: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, "sql", query, "--warehouse", str(warehouse), *extra], capture_output=True,
                          text=True, timeout=120)


def _articles_in_main(warehouse: Path) -> int:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        con.close()


def _assert_refused(proc: subprocess.CompletedProcess[str]) -> None:
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stderr.startswith("newsdedup sql: refused: "), proc.stderr
    assert "reads the published snapshot only" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_attaching_the_live_warehouse_read_write_is_refused(warehouse: Path) -> None:
    before, articles = _digest(warehouse), _articles_in_main(warehouse)
    assert articles > 0
    proc = _sql(warehouse, f"ATTACH '{warehouse}' AS live (READ_WRITE); DELETE FROM live.articles")
    _assert_refused(proc)
    assert _digest(warehouse) == before and _articles_in_main(warehouse) == articles


@pytest.mark.parametrize("query", [
    "COPY articles TO '{out}/articles.csv'",
    "COPY (SELECT title FROM articles) TO '{out}/titles.parquet' (FORMAT parquet)",
    "EXPORT DATABASE '{out}/dump'",
])
def test_nothing_can_be_written_to_files(warehouse: Path, query: str) -> None:
    out = warehouse.parent / "out"
    proc = _sql(warehouse, query.format(out=out))
    _assert_refused(proc)
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("query", [
    "SELECT * FROM read_text('{secret}')",
    "SELECT * FROM read_csv('{secret}', header=false)",
    "SELECT * FROM '{secret}'",
    "SELECT * FROM glob('{dir}/*')",
    "SELECT count(*) FROM read_parquet('{dir}/staging/*/articles/*.parquet')",
    "ATTACH '{dir}/other.duckdb' AS other",
])
def test_no_other_file_can_be_read(warehouse: Path, query: str) -> None:
    proc = _sql(warehouse, query.format(secret=warehouse.parent / "secret.csv", dir=warehouse.parent))
    _assert_refused(proc)
    assert SECRET not in proc.stdout


@pytest.mark.parametrize("query", [
    "SET enable_external_access = true",
    "RESET enable_external_access",
    "SET lock_configuration = false",
    "SET threads = 1",
    "PRAGMA enable_profiling",
    "INSTALL httpfs",
    "LOAD httpfs",
])
def test_settings_and_extensions_cannot_be_changed(warehouse: Path, query: str) -> None:
    _assert_refused(_sql(warehouse, f"{query}; SELECT * FROM read_text('{warehouse.parent / 'secret.csv'}')"))


@pytest.mark.parametrize("query", [
    "CREATE TABLE notes (x INTEGER)",
    "INSERT INTO articles (article_id) VALUES ('x')",
    "DELETE FROM articles",
    "UPDATE ingest_runs SET status = 'forged'",
    "DROP VIEW story_cluster_view",
    "CREATE OR REPLACE VIEW recent_runs AS SELECT 1 AS x",
    "ALTER TABLE articles ADD COLUMN x INTEGER",
    "CHECKPOINT; DELETE FROM fetch_log",
])
def test_the_snapshot_itself_cannot_be_changed(warehouse: Path, query: str) -> None:
    before = _digest(warehouse)
    _assert_refused(_sql(warehouse, query))
    assert _digest(warehouse) == before


def test_reading_still_works(warehouse: Path) -> None:
    proc = _sql(warehouse, "SELECT count(*) AS n FROM articles", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["n"] == _articles_in_main(warehouse)
    # views, PRAGMAs that only read, several statements (the last one's rows are printed), and a
    # temporary table (in memory: it changes no file)
    proc = _sql(warehouse, "PRAGMA table_info('articles'); CREATE TEMP TABLE t AS SELECT source FROM articles; "
                           "SELECT count(DISTINCT source) AS sources FROM t", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"sources": 4}
    assert _sql(warehouse, "SELECT * FROM story_cluster_view").returncode == 0


@pytest.mark.parametrize("text", [";", "-- only a comment", "/* nothing */ ;"])
def test_text_without_a_statement_prints_nothing_and_succeeds(warehouse: Path, text: str) -> None:
    proc = _sql(warehouse, text)  # DuckDB gives no cursor for these; it once raised AttributeError
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr


def test_an_error_that_is_not_a_refusal_says_so(warehouse: Path) -> None:
    proc = _sql(warehouse, "SELEC 1")
    assert proc.returncode == 1 and "refused" not in proc.stderr
    assert proc.stderr.startswith("newsdedup sql: ") and "syntax error" in proc.stderr.lower()


def test_the_shell_refuses_and_never_blocks_the_loader(warehouse: Path) -> None:
    shell = subprocess.Popen([EXE, "sql", "--warehouse", str(warehouse)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    try:
        shell.stdin.write(f"ATTACH '{warehouse}' AS live (READ_WRITE);\nSELECT count(*) AS n FROM articles;\n")
        shell.stdin.flush()
        read_until_rows(shell, lines)
        assert any("(1 row)" in x for x in lines), lines
        # the session is still open: the loader takes the writer lock at once
        with wh.writer(warehouse, patience=2) as con:
            con.execute("SELECT 1")
    finally:
        shell.stdin.close()
        shell.wait(timeout=60)
    text = "".join(lines)
    assert "refused" in text and "reads the published snapshot only" in text
    assert shell.returncode == 1  # fed by a pipe, as a script: a refused statement fails it


def test_a_script_fed_to_the_shell_runs_its_last_statement_and_says_whether_all_ran(warehouse: Path) -> None:
    def shell(script: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([EXE, "sql", "--warehouse", str(warehouse)], input=script, capture_output=True,
                              text=True, timeout=120)  # fmt: skip

    # `newsdedup sql < checks.sql`: a last statement without ";" was dropped without a word, and a failed
    # or refused one still exited 0, so a CI check passed on it.
    ok = shell("SELECT 41 AS first_answer;\nSELECT 42 AS last_answer")
    assert ok.returncode == 0 and "first_answer" in ok.stdout and "last_answer" in ok.stdout, ok.stdout
    for bad in ("SELECT 1;\nSELEC 2;\nSELECT 3;\n", f"COPY articles TO '{warehouse.parent / 'out.csv'}';\n"):
        proc = shell(bad)
        assert proc.returncode == 1 and "error:" in proc.stdout, (bad, proc.stdout)
    assert not (warehouse.parent / "out.csv").exists()
    # An empty QUERY (an unset shell variable) is an error, not a prompt waiting for input.
    empty = subprocess.run([EXE, "sql", "", "--warehouse", str(warehouse)], input="SELECT 1;\n",
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert empty.returncode == 2 and "empty" in empty.stderr


def test_every_reader_connection_is_sandboxed(warehouse: Path) -> None:
    with wh.reader(warehouse) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] > 0
        for sql in (f"ATTACH '{warehouse}' AS live (READ_WRITE)",
                    f"SELECT * FROM read_text('{warehouse.parent / 'secret.csv'}')",
                    "SET enable_external_access = true"):
            with pytest.raises(duckdb.Error):
                con.execute(sql)
    # the dashboard reads through the same reader and still shows the data
    assert dashboard_data.load(warehouse).state == "ok"


# ------------------------------------------------------------------- property test: hostile input
HOSTILE = [
    "ATTACH '{main}' AS live (READ_WRITE)",
    "ATTACH '{main}' AS live",
    "ATTACH ':memory:' AS scratch",
    "COPY articles TO '{out}/a.csv'",
    "COPY articles FROM '{secret}'",
    "SELECT * FROM read_text('{secret}')",
    "SELECT * FROM read_blob('{secret}')",
    "SELECT * FROM read_json_auto('{secret}')",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "SET GLOBAL lock_configuration = false",
    "SET memory_limit = '1TB'",
    "PRAGMA threads = 64",
    "CREATE TABLE x AS SELECT 1",
    "INSERT INTO sources (name) VALUES ('evil')",
    "DELETE FROM articles",
    "DROP TABLE articles",
    "EXPORT DATABASE '{out}/dump'",
]
BENIGN = [
    "SELECT 1",
    "SELECT count(*) FROM articles",
    "SELECT * FROM recent_runs",
    "PRAGMA version",
    "PRAGMA database_list",
    "SELECT title FROM articles ORDER BY article_id LIMIT 3",
    "CREATE TEMP TABLE IF NOT EXISTS scratch AS SELECT 1 AS x",
    "SHOW TABLES",
]
FAILING = ["SELECT * FROM no_such_table", "SELECT 'x'::INTEGER", "SELEC 1", "SELECT 1 +", "SELECT (1"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["hostile", "benign", "failing"]), st.integers(0, 100)),
                min_size=1, max_size=4),
       st.sampled_from(["; ", ";\n", " ; -- note\n"]), st.booleans())
def test_hostile_statements_are_refused_and_change_nothing(warehouse: Path, picks: list[tuple[str, int]], sep: str,
                                                           upper: bool) -> None:
    out, secret = warehouse.parent / "out", warehouse.parent / "secret.csv"
    pools = {"hostile": HOSTILE, "benign": BENIGN, "failing": FAILING}
    statements = [pools[kind][i % len(pools[kind])].format(main=warehouse, out=out, secret=secret)
                  for kind, i in picks]
    if upper:
        statements = [s.upper() if "'" not in s else s for s in statements]
    query = sep.join(statements)
    before = _digest(warehouse, deep=False)
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = cli.main(["sql", "--warehouse", str(warehouse), "--", query])
    assert _digest(warehouse, deep=False) == before
    assert list(out.iterdir()) == []
    assert SECRET not in stdout.getvalue()
    first_bad = next((kind for kind, _ in picks if kind != "benign"), None)
    if first_bad is None:
        assert code == 0, stderr.getvalue()
    else:
        # statements run in order and stop at the first error: a refusal is named as one
        assert code == 1 and stderr.getvalue().startswith("newsdedup sql: ")
        assert ("refused" in stderr.getvalue()) == (first_bad == "hostile"), (query, stderr.getvalue())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=80).filter(str.strip))
def test_any_text_gives_a_result_or_a_message(warehouse: Path, query: str) -> None:
    before = _digest(warehouse, deep=False)
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = cli.main(["sql", "--warehouse", str(warehouse), "--", query])
    assert code in (0, 1)
    assert code == 0 or stderr.getvalue().startswith("newsdedup sql: ")
    assert _digest(warehouse, deep=False) == before


def test_a_huge_result_streams_as_json_and_a_table_stops_at_its_cap(warehouse: Path) -> None:
    # The memory limit bounds DuckDB, not the Python rows of a result: fetchall() of 2 M rows took
    # ~450 MB (`SELECT * FROM range(100000000)` would take ~20 GB on a host without swap).
    query = "SELECT range AS n, 'row ' || range AS s FROM range(2000000)"
    measure = ("import resource, subprocess, sys; "
               "p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE); "
               "lines = p.stdout.splitlines(); "
               "print(repr((p.returncode, len(lines), lines[-1].decode(), "
               "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)))")
    proc = subprocess.run([sys.executable, "-c", measure, EXE, "sql", query, "--warehouse", str(warehouse), "--json"],
                          capture_output=True, text=True, timeout=300)
    code, lines, last, peak_kib = ast.literal_eval(proc.stdout)
    assert (code, lines, json.loads(last)) == (0, 2_000_000, {"n": 1_999_999, "s": "row 1999999"}), proc.stdout
    assert peak_kib < 250 * 1024, f"{peak_kib // 1024} MB for a streamed result"
    # a table is for reading: at most TABLE_MAX_ROWS rows, and it says there are more
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = cli.main(["sql", "--warehouse", str(warehouse), "--", query])
    out = stdout.getvalue().splitlines()
    assert code == 0 and len(out) == 2 + cli.TABLE_MAX_ROWS + 1, (len(out), stderr.getvalue())
    assert out[-2].startswith(f"{cli.TABLE_MAX_ROWS - 1} ") and "the result has more" in out[-1] and "--json" in out[-1]


def test_json_keeps_every_column_when_names_repeat(warehouse: Path) -> None:
    # `SELECT * FROM articles a JOIN raw_pages r USING (article_id)` has url, run_id, fetched_at and
    # revision twice: --json built a dict of the row and kept only the last of each, silently.
    proc = _sql(warehouse, "SELECT 1 AS a, 2 AS a, 3 AS a_1, 4 AS b", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"a": 1, "a_1": 2, "a_1_1": 3, "b": 4}
    proc = _sql(warehouse, "SELECT * FROM articles a JOIN raw_pages r USING (article_id) LIMIT 1", "--json")
    row = json.loads(proc.stdout)
    assert row["url"] and row["url_1"] and "fetched_at_1" in row and "run_id_1" in row


@pytest.mark.parametrize("as_json", [False, True], ids=["table", "json"])
def test_every_type_duckdb_returns_prints(warehouse: Path, as_json: bool) -> None:
    """An analyst's `SELECT published_at::TIME` was a traceback (a time has no date to put a space
    after): every column of DuckDB's `test_all_types()` (its smallest, largest and NULL values), and
    times inside lists and structs, print as a table and as strict JSON."""
    query = ("SELECT *, TIME '23:30:05' AS at_time, [TIME '01:02:03'] AS times, {'at': TIME '04:05:06'} AS "
             "struct_time, TIMETZ '12:00:00+05:30' AS at_tz, TIMESTAMP '2026-03-08 23:30:00' AS at_ts "
             "FROM test_all_types()")
    proc = _sql(warehouse, query, *(["--json"] if as_json else []))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    if as_json:
        rows = [json.loads(line, parse_constant=lambda c: pytest.fail(f"{c} is not JSON"))
                for line in proc.stdout.splitlines()]
        assert len(rows) == 3
        assert rows[0]["at_time"] == "23:30:05" and rows[0]["times"] == ["01:02:03"]
    else:
        assert proc.stdout.rstrip().endswith("(3 rows)")
        first = proc.stdout.splitlines()[2]
        assert "23:30:05" in first and '["01:02:03"]' in first and '{"at": "04:05:06"}' in first
        assert "2026-03-08 23:30:00" in first
