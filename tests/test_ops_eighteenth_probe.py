"""The eighteenth probe of what operators and analysts type and run (session 44): what the seventeenth left
(`.mode markdown|list|html|insert`, a shortened dot command after a statement without its `;`), then
warehouse files in odd states, signals, and what `--help` says.
Each test of a fix failed on the code before it; the `test_held_*` ones record what already held.

Real files, a real DuckDB warehouse, the real sqlite3 shell where it is installed (to compare its output
formats with), and the `newsdedup` command as the installed script with PYTHONPATH at this checkout's
`plugins/`, as a subprocess.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
from pathlib import Path

import duckdb
import pytest
from cliruns import ENV, EXE, loaded_warehouse
from cliruns import copy_pages as _pages
from cliruns import dir_sources as _sources
from cliruns import run_cli as _cli
from test_ops_seventeenth_probe import _digest, _shell

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return loaded_warehouse(tmp_path_factory.mktemp("eighteenth"))


# ------------------------------------------------------------------ 1. `.mode markdown|list|html|insert`
ROWS_SQL = "SELECT 1 AS a, 'x|y' AS long_name, NULL AS n UNION ALL SELECT 22, 'é<&>\"', 3.5 ORDER BY a;\n"


def test_mode_markdown_list_and_html_print_as_the_sqlite3_shell_does(loaded: Path) -> None:
    """`.mode markdown|list|html` were "takes table, json, line or csv": they print as the sqlite3 shell
    (whose modes DuckDB's took) prints them with its headers on, as DuckDB's are: markdown's headers
    centred over left-aligned values (a `|` in a value escaped, so the table stays one), list's values
    joined by `|` under a header line, html's `<TR>` rows of `<TH>` / `<TD>` cells with `<&>"'` escaped."""
    got = _shell(loaded, f".mode markdown\n{ROWS_SQL}.mode list\n{ROWS_SQL}.mode html\n{ROWS_SQL}.mode\n")
    assert got.returncode == 0, (got.stdout, got.stderr)
    assert got.stdout.split("\n") == [
        "| a  | long_name |  n  |",
        "|----|-----------|-----|",
        "| 1  | x\\|y      |     |",
        '| 22 | é<&>"     | 3.5 |',
        "a|long_name|n",
        "1|x|y|",
        '22|é<&>"|3.5',
        "<TR><TH>a</TH>", "<TH>long_name</TH>", "<TH>n</TH>", "</TR>",
        "<TR><TD>1</TD>", "<TD>x|y</TD>", "<TD></TD>", "</TR>",
        "<TR><TD>22</TD>", "<TD>é&lt;&amp;&gt;&quot;</TD>", "<TD>3.5</TD>", "</TR>",
        "html", ""], got.stdout


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="the sqlite3 shell is not installed here")
@pytest.mark.parametrize("mode", ["markdown", "list", "html"])
def test_the_modes_print_what_the_real_sqlite3_shell_prints(loaded: Path, mode: str) -> None:
    """The same statement through the sqlite3 shell installed here (`.headers on`, as DuckDB's shell starts):
    byte for byte what `newsdedup sql` prints (markdown's escaped `|` aside, a value without one)."""
    sql = "SELECT 1 AS a, 'xy' AS long_name, NULL AS n UNION ALL SELECT 22, 'é<&>\"''', 3.5 ORDER BY a;\n"
    sqlite = subprocess.run(["sqlite3", ":memory:"], input=f".headers on\n.mode {mode}\n{sql}".encode(),
                            capture_output=True, timeout=60, check=True)
    ours = _shell(loaded, f".mode {mode}\n{sql}")
    assert ours.returncode == 0, (ours.stdout, ours.stderr)
    assert ours.stdout == sqlite.stdout.decode(), (ours.stdout, sqlite.stdout.decode())


def test_mode_insert_prints_statements_that_load_the_same_rows(loaded: Path, tmp_path: Path) -> None:
    """`.mode insert [TABLE]` was refused: it prints an INSERT a row as the sqlite3 shell does with its headers
    on (`INSERT INTO "table"(a,b) VALUES(1,'x');`, TABLE named or "table"), and those statements, run in a
    DuckDB table of the same columns, load the same values: quotes doubled, NULLs, numbers bare, a newline or
    another control character as chr(N) (nothing raw reaches the terminal)."""
    select = ("SELECT 1 AS a, 'it''s' AS \"my col\", NULL::VARCHAR AS n, 2.5::DOUBLE AS f, "
              "'a' || chr(10) || 'b' || chr(27) || '[31m' AS ctl, DATE '2024-02-29' AS d, true AS ok, "
              "'\\xAA'::BLOB AS blob, 'é日' AS u, 123.45::DECIMAL(9,2) AS dec")
    got = _shell(loaded, f".mode insert\n{select};\n.mode insert my_copy\nSELECT 7 AS a;\n")
    assert got.returncode == 0, (got.stdout, got.stderr)
    lines = got.stdout.splitlines()
    assert len(lines) == 2 and "\x1b" not in got.stdout, got.stdout
    assert lines[0].startswith('INSERT INTO "table"(a,"my col",n,f,ctl,d,ok,blob,u,"dec") VALUES(1,\'it\'\'s\',NULL,2.5,'), lines
    assert lines[1] == "INSERT INTO my_copy(a) VALUES(7);", lines
    con = duckdb.connect(str(tmp_path / "copy.duckdb"))
    con.execute(f'CREATE TABLE "table" AS {select} LIMIT 0')
    con.execute(lines[0])
    assert con.execute('SELECT * FROM "table"').fetchall() == con.execute(select).fetchall()


@pytest.mark.parametrize("mode", ["latex", "trash", "qbox"])  # tcl prints now (nineteenth probe)
def test_modes_still_not_printed_fail_in_one_line_naming_those_there_are(loaded: Path, mode: str) -> None:
    got = _shell(loaded, f".mode {mode}\nSELECT 1 AS after;\n")
    assert got.returncode == 1, (got.stdout, got.stderr)
    errors = [x for x in got.stdout.splitlines() if x.startswith("error: ")]
    assert len(errors) == 1 and f"'{mode}'" in errors[0], got.stdout
    for name in ("table", "json", "line", "csv", "markdown", "list", "html", "insert"):
        assert name in errors[0], errors
    assert got.stdout.splitlines()[-4:] == ["after", "--------", "1", "(1 row)"], got.stdout


@pytest.mark.parametrize("text", ["é", "日本", "\U0001f986"])
def test_a_statement_holding_text_beyond_ascii_prints_blobs_and_intervals_as_duckdb_text(loaded: Path, text: str) -> None:
    """Found by the insert test: `SELECT 'é' AS u, '\\xAA'::BLOB AS b` printed `b'\\xaa'` and an INTERVAL
    Python's `30 days, 0:00:00` (every mode, and `--json`): DuckDB's tokenizer counts bytes, the statement's text
    was cut at a character count, and the cast that gives DuckDB's text of them was not made."""
    select = f"SELECT '{text}' AS u, '\\xAA'::BLOB AS b, INTERVAL 1 MONTH AS m;"
    got = _shell(loaded, f".mode csv\n{select}\n")
    assert got.returncode == 0, (got.stdout, got.stderr)
    assert got.stdout.splitlines() == ["u,b,m", f"{text},\\xAA,1 month"], got.stdout
    got = subprocess.run([EXE, "sql", "--json", "--warehouse", str(loaded), select], capture_output=True, env=ENV,
                         timeout=300, text=True)
    assert got.returncode == 0, got.stderr
    assert got.stdout == '{"u": "' + text + '", "b": "\\\\xAA", "m": "1 month"}\n', got.stdout


# ------------------------------------------------------------------ 2. a shortened command after a statement
def test_a_shortened_command_after_a_statement_without_its_semicolon_runs_it_first(loaded: Path) -> None:
    """`SELECT 1 AS a` then `.tab revision%` was one statement (DuckDB's syntax error), where `.tables
    revision%` ran the statement first and then the command: a shortening of one of the prompt's commands
    (`.tab`, `.mo json`, `.q`) is read as the command it starts, there as at a statement's start. A `.5`
    there, or a shortening of several commands (`.t`), stays SQL."""
    got = _shell(loaded, "SELECT 1 AS a\n.tab revision%\nSELECT 2 AS b\n.mo json\nSELECT 1 +\n.5 AS c;\n"
                         "SELECT 3 AS d\n.q\nSELECT 'never' AS e;\n")
    assert got.returncode == 0, (got.stdout, got.stderr)
    assert got.stdout.splitlines() == ["a", "--------", "1", "(1 row)", "name", "--------", "revision_history",
                                       "(1 row)", "b", "--------", "2", "(1 row)", '{"c": "1.5"}', '{"d": 3}'], got.stdout


# ------------------------------------------------------------------ 3. warehouse files in odd states
def test_a_warehouse_reached_by_a_symlink_keeps_one_raw_folder_and_snapshot(tmp_path: Path) -> None:
    """`--warehouse current.duckdb`, a symbolic link to `w.duckdb` (an operator's switch between warehouses):
    DuckDB opened the file, but the raw pages of a run went to `current.raw` and its snapshot to
    `current.snapshot.duckdb`, a second copy of the warehouse, beside those of `w.duckdb`: a `reclean` through
    the file's own name found the page a run through the link stored "raw_page_unreadable". A link is followed
    to the file it names now: one raw folder, one snapshot, whichever name a command is given."""
    pages = _pages(tmp_path / "pages", 2)
    cfg = _sources(tmp_path, pages)
    st = str(tmp_path / "st")
    got = _cli("run", "--sources", str(cfg), "--warehouse", str(tmp_path / "w.duckdb"), "--staging", st)
    assert got.returncode == 0, got.stderr[-3000:]
    (tmp_path / "current.duckdb").symlink_to("w.duckdb")
    _pages(tmp_path / "more", 3)
    for f in (tmp_path / "more").iterdir():
        if not (pages / f.name).exists():
            (pages / f.name).write_bytes(f.read_bytes())
    got = _cli("run", "--sources", str(cfg), "--warehouse", str(tmp_path / "current.duckdb"), "--staging", st)
    assert got.returncode == 0, got.stderr[-3000:]
    assert not (tmp_path / "current.raw").exists() and not (tmp_path / "current.snapshot.duckdb").exists()
    assert len(list((tmp_path / "w.raw").rglob("*.gz"))) == 3
    got = _cli("reclean", "--warehouse", str(tmp_path / "w.duckdb"))
    assert got.returncode == 0 and "unreadable" not in got.stdout + got.stderr, (got.stdout, got.stderr)
    for name in ("w.duckdb", "current.duckdb"):
        got = _cli("sql", "--json", "--warehouse", str(tmp_path / name), "SELECT count(*) AS n FROM articles")
        assert got.returncode == 0 and got.stdout == '{"n": 3}\n', (got.stdout, got.stderr)
    assert sorted(p.name for p in tmp_path.iterdir() if "duckdb" in p.name) == [
        "current.duckdb", "w.duckdb", "w.snapshot.duckdb"]


# ------------------------------------------------------------------ 4. held: signals, the sandbox
def test_held_a_run_stopped_by_sigterm_before_its_load_leaves_nothing_half_written(tmp_path: Path) -> None:
    """SIGTERM (a process manager, `docker stop`, a task's timeout) to a `run` once its dedup is logged, where
    its load starts: the process ends (143), the warehouse holds no article of it, `sql` reads it, and the next
    run stores each page once."""
    cfg = _sources(tmp_path, _pages(tmp_path / "pages", 3))
    args = [EXE, "run", "--sources", str(cfg), "--warehouse", str(tmp_path / "w.duckdb"), "--staging",
            str(tmp_path / "st")]
    run = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ENV)
    assert run.stderr is not None
    seen = []
    for line in run.stderr:
        seen.append(line)
        if "newsdedup.pipeline: dedup:" in line:
            run.send_signal(signal.SIGTERM)
            break
    run.stderr.read()
    assert run.wait(timeout=120) == -signal.SIGTERM, "".join(seen)[-3000:]
    query = "SELECT count(*) AS n, count(DISTINCT url) AS urls FROM articles"
    got = _cli("sql", "--json", "--warehouse", str(tmp_path / "w.duckdb"), query)
    assert got.returncode == 0 and json.loads(got.stdout)["n"] in (0, 3), (got.stdout, got.stderr)
    got = _cli(*args[1:])
    assert got.returncode == 0, got.stderr[-3000:]
    got = _cli("sql", "--json", "--warehouse", str(tmp_path / "w.duckdb"), query)
    assert json.loads(got.stdout) == {"n": 3, "urls": 3}, got.stdout


@pytest.mark.parametrize("statement", [
    "SELECT * FROM '{secret}'", "IMPORT DATABASE '{folder}'", "LOAD '{folder}/x.duckdb_extension'",
    "CREATE SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')", "SELECT * FROM duckdb_secrets()",
    "SET log_query_path = '{folder}/q.log'", "PRAGMA profiling_output = '{folder}/p.json'", "CALL enable_profiling()",
    "SELECT * FROM read_csv('/dev/stdin')", "SET VARIABLE f = '{secret}'; SELECT * FROM read_csv(getvariable('f'))",
    "SELECT * FROM sqlite_scan('{secret}', 't')", "SELECT * FROM 's3://bucket/x.csv'", "CHECKPOINT; VACUUM; SELECT 1",
])
def test_held_the_sandbox_against_more_of_duckdb_2s_ways_to_files(loaded: Path, statement: str) -> None:
    """DuckDB 2.0 statements the seventeenth probe did not try: a path as a table (replacement scan), IMPORT
    DATABASE, LOAD of a file, secrets, a query log or profile written to a file, /dev/stdin, a path in a
    variable, an extension autoloaded by its function, CHECKPOINT / VACUUM. Each is refused or fails, or reads
    nothing; no file is read or written, and the warehouse and snapshot are byte for byte as before."""
    folder = loaded.parent
    secret = folder / "secret-18.csv"
    secret.write_text("secret\n42\n")
    before = _digest(loaded)
    names = {p.name for p in folder.iterdir()}
    got = _cli("sql", "--warehouse", str(loaded), statement.format(secret=secret, folder=folder))
    assert "42" not in got.stdout and "Traceback" not in got.stderr, (got.stdout, got.stderr)
    if not statement.startswith("CHECKPOINT"):
        assert got.returncode == 1 and got.stderr.startswith("newsdedup sql: "), (got.stdout, got.stderr)
    assert {p.name for p in folder.iterdir()} == names and _digest(loaded) == before
