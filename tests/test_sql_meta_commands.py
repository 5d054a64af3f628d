"""What analysts used to the DuckDB (or sqlite3) shell type into `newsdedup sql`: its dot meta-commands
(`.tables`, `.schema articles`, `.mode json`, `.timer on`, `.help`, `.quit`, `.exit`), at the prompt, in a
piped script and as the QUERY, and a script's CRLF line ends and UTF-8 BOM (session 42, helper h7; the
sixteenth operators' probe left them). They were DuckDB's "syntax error at or near .", and at the prompt a
`.mode json` line without `;` swallowed the statement after it. `sql --json` fed a script printed tables.

A dot command is read where a statement starts (as DuckDB's and sqlite3's shells read one) and ends at its
line end; the ones that answer run their SQL on the same read-only, locked reader connection as any
statement, and none reads or writes a file. Each test failed on the code before (bc74c2d) unless named
`test_held_*`.

Real files, a real DuckDB warehouse, and the `newsdedup` command as the installed script with PYTHONPATH at
this checkout's `plugins/`, as a subprocess fed its standard input.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from samplesources import PAGES

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).with_name("newsdedup"))
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}


def _cli(*args: str, script: str | bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    data = script.encode() if isinstance(script, str) else script
    got = subprocess.run([EXE, *args], input=data, capture_output=True, timeout=300, env=ENV, cwd=cwd)
    return subprocess.CompletedProcess(got.args, got.returncode, got.stdout.decode(errors="backslashreplace"),
                                       got.stderr.decode(errors="backslashreplace"))


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("metacommands")
    pages = tmp / "pages"
    pages.mkdir()
    for f in sorted(PAGES.rglob("*.html"))[:3]:
        (pages / f.name).write_bytes(f.read_bytes())
    cfg = tmp / "sources.yaml"
    cfg.write_text(yaml.safe_dump({"sources": [{"name": "local", "kind": "dir", "url": str(pages),
                                                "settle_seconds": 0}]}))
    got = _cli("run", "--sources", str(cfg), "--warehouse", str(tmp / "w.duckdb"), "--staging", str(tmp / "st"))
    assert got.returncode == 0, got.stderr[-3000:]
    return tmp / "w.duckdb"


def _shell(loaded: Path, script: str | bytes, *extra: str) -> subprocess.CompletedProcess[str]:
    return _cli("sql", "--warehouse", str(loaded), *extra, script=script, cwd=loaded.parent)


def _digest(loaded: Path) -> dict[str, str]:
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(loaded.parent.glob("w.duckdb*"))
            if f.is_file()}


def test_dot_commands_in_a_script_answer_from_the_snapshot_and_quit_ends_it(loaded: Path) -> None:
    got = _shell(loaded, ".tables\n.schema articles\n.mode json\nSELECT count(*) AS n FROM articles\n.mode table\n"
                         "SELECT 1 AS one;\n.quit\nSELECT 'after quit' AS never;\n")
    assert got.returncode == 0, (got.stdout, got.stderr)
    assert "Traceback" not in got.stderr and "syntax error" not in got.stdout + got.stderr, got.stdout
    lines = got.stdout.splitlines()
    names = lines[lines.index("name") + 2:lines.index("(27 rows)")]
    assert "articles" in names and "story_cluster_view" in names and "revision_history" in names, names
    assert names == sorted(names), names
    assert any(x.startswith("CREATE TABLE articles(article_id VARCHAR") and x.endswith(";") for x in lines), lines
    assert '{"n": 3}' in lines, lines
    assert lines[-3:] == ["one", "--------", "1"] or lines[-4:-1] == ["one", "--------", "1"], lines
    assert "after quit" not in got.stdout


def test_a_dot_command_without_a_semicolon_never_swallows_the_next_statement(loaded: Path) -> None:
    """`.mode json` then two statements: the first was run as `.mode json SELECT 1 AS a;` (a syntax error)."""
    got = _shell(loaded, ".mode json\nSELECT 1 AS a;\nSELECT 2 AS b;\n")
    assert got.returncode == 0, (got.stdout, got.stderr)
    assert got.stdout.splitlines() == ['{"a": 1}', '{"b": 2}'], got.stdout
    # comments before it run nothing; `;` typed after it out of habit and blanks before it are forgiven
    got = _shell(loaded, "-- the tables\n/* all */\n  .mode json;\n  .tables revision%  \nSELECT 2 AS b\n")
    assert got.returncode == 0, (got.stdout, got.stderr)
    assert got.stdout.splitlines() == ['{"name": "revision_history"}', '{"b": 2}'], got.stdout


def test_held_a_dot_line_inside_a_statement_is_still_sql(loaded: Path) -> None:
    """Where a statement is under way, a line starting with `.` is part of it (as in DuckDB's shell): a
    number, here."""
    got = _shell(loaded, "SELECT 1 +\n.5 AS x;\n")
    assert (got.returncode, got.stdout) == (0, "x\n--------\n1.5\n(1 row)\n"), (got.stdout, got.stderr)


def test_sql_json_fed_a_script_prints_json(loaded: Path) -> None:
    """`newsdedup sql --json < checks.sql` printed tables: --json was read for a QUERY only."""
    got = _shell(loaded, "SELECT 1 AS a;\nSELECT 'x' AS b, INTERVAL 1 MONTH AS m;\n", "--json")
    assert got.returncode == 0, got.stderr
    assert got.stdout.splitlines() == ['{"a": 1}', '{"b": "x", "m": "1 month"}'], got.stdout
    got = _shell(loaded, ".mode table\nSELECT 1 AS a;\n", "--json")
    assert got.stdout.splitlines() == ["a", "--------", "1", "(1 row)"], got.stdout


@pytest.mark.parametrize("line", [".output {out}", ".once {out}", ".read {secret}", ".open {secret}",
                                  ".shell touch {out}", ".system touch {out}", ".import {secret} t",
                                  ".save {out}", ".cd /", ".log {out}", ".frobnicate", ".mode latex",
                                  ".timer maybe", ".schema no_such_table", '.tables "unclosed'])
def test_other_dot_commands_fail_in_one_line_and_touch_no_file(loaded: Path, line: str) -> None:
    out, secret = loaded.parent / "out.txt", loaded.parent / "secret.sql"
    secret.write_text("SELECT 'secret' AS s;\n")
    before = _digest(loaded)
    got = _shell(loaded, line.format(out=out, secret=secret) + "\nSELECT 1 AS after;\n")
    assert got.returncode == 1, (got.stdout, got.stderr)  # a script: a command that failed fails it
    errors = [x for x in got.stdout.splitlines() if x.startswith("error: ")]
    assert len(errors) == 1 and "Traceback" not in got.stderr, (got.stdout, got.stderr)
    if "no_such" in line:
        assert "no table or view matches 'no_such_table'" in errors[0], errors
    elif '"' in line:
        assert "quotation" in errors[0], errors
    elif ".mode" in line:
        assert "table, json, line, csv, markdown, list, tabs, html, insert [TABLE], quote, ascii or tcl" in errors[0], errors
    elif ".timer" in line:
        assert "on or off" in errors[0], errors
    else:
        assert ".help" in errors[0] and ".tables" in errors[0] and ".quit" in errors[0], errors
    assert got.stdout.splitlines()[-4:] == ["after", "--------", "1", "(1 row)"], got.stdout
    assert "secret" not in got.stdout.replace(str(secret), "")
    assert not out.exists() and not (Path("/") / "out.txt").exists()
    assert _digest(loaded) == before


def test_dot_commands_as_the_query(loaded: Path) -> None:
    """`newsdedup sql ".tables"` (the QUERY argument) as the prompt reads it; --json prints rows as JSON."""
    got = _cli("sql", "--warehouse", str(loaded), ".tables story%")
    assert got.returncode == 0, got.stderr
    assert got.stdout.splitlines() == ["name", "--------", "story_cluster_view", "story_clusters", "(2 rows)"]
    got = _cli("sql", "--json", "--warehouse", str(loaded), ".schema recent_runs")
    assert got.returncode == 0, got.stderr
    (row,) = [json.loads(x) for x in got.stdout.splitlines()]
    assert row["name"] == "recent_runs" and row["sql"].startswith("CREATE VIEW recent_runs AS"), row
    got = _cli("sql", "--warehouse", str(loaded), ".help")
    assert got.returncode == 0, got.stderr
    for word in (".tables", ".schema", ".mode", ".timer", ".quit", ".exit", ".help"):
        assert word in got.stdout, got.stdout
    got = _cli("sql", "--warehouse", str(loaded), ".mode json\nSELECT 7 AS n")
    assert (got.returncode, got.stdout) == (0, '{"n": 7}\n'), (got.stdout, got.stderr)
    # its errors, as any QUERY's: on stderr, named
    for query in (".dump", ".", ".mode json\nSELECT nope"):
        got = _cli("sql", "--warehouse", str(loaded), query)
        assert (got.returncode, got.stdout) == (1, ""), (query, got)
        assert got.stderr.startswith("newsdedup sql: ") and "Traceback" not in got.stderr, (query, got.stderr)


def test_exit_with_a_code_and_quit_after_a_failure(loaded: Path) -> None:
    assert _shell(loaded, "SELECT 1;\n.exit 3\nSELECT 2;\n").returncode == 3
    got = _shell(loaded, "SELECT nope;\n.quit\n")
    assert got.returncode == 1, got  # as at the end of the input: a statement failed
    assert _shell(loaded, ".exit\n").returncode == 0


def test_timer_on_reports_each_statements_time_on_stderr(loaded: Path) -> None:
    got = _shell(loaded, ".timer on\nSELECT 1 AS a;\n.tables x%\n.timer off\nSELECT 2 AS b;\n")
    assert got.returncode == 0, got.stderr
    assert [x.split(":")[0] for x in got.stderr.splitlines()] == ["Run Time (s)", "Run Time (s)"], got.stderr
    assert "Run Time" not in got.stdout


def test_a_script_with_a_bom_and_crlf_line_ends(loaded: Path) -> None:
    """A script saved by a Windows editor: a BOM before its first line (here a dot command), CRLF line ends."""
    got = _shell(loaded, b"\xef\xbb\xbf.mode json\r\nSELECT 1 AS a;\r\n.tables recent%\r\nSELECT 'x\r\ny' AS s\r\n")
    assert got.returncode == 0, (got.stdout, got.stderr)
    assert [json.loads(x) for x in got.stdout.splitlines()] == [{"a": 1}, {"name": "recent_runs"},
                                                                {"s": "x\r\ny"}], got.stdout


def test_held_a_comment_on_the_last_line_without_a_semicolon(loaded: Path) -> None:
    for script in ("SELECT 1 AS a;\n-- done", "SELECT 1 AS a -- done", "SELECT 1 AS a\n-- done\n"):
        got = _shell(loaded, script)
        assert (got.returncode, got.stdout) == (0, "a\n--------\n1\n(1 row)\n"), (script, got.stdout, got.stderr)


def test_a_statement_ended_with_backslash_g_prints_its_rows_as_mysql_does(loaded: Path) -> None:
    """MySQL's `\\G` ends a statement and prints each row as its column: value lines; `\\g` ends one as `;`
    does. It was DuckDB's "syntax error at or near \\", at a terminal after the prompt waited for a `;`."""
    got = _shell(loaded, "SELECT 1 AS a, 'x' AS long_name\\G\nSELECT 2 AS b, '\\G' AS s\\g\nSELECT 3 AS c\\G\n"
                         "SELECT * FROM range(2) t(n) \\G SELECT 4 AS d;\n")
    assert got.returncode == 0, (got.stdout, got.stderr)
    assert got.stdout.splitlines() == [
        "*************************** 1. row ***************************", "        a: 1", "long_name: x", "(1 row)",
        "b | s", "--+---------", "2 | \\G", "(1 row)",
        "*************************** 1. row ***************************", "c: 3", "(1 row)",
        "*************************** 1. row ***************************", "n: 0",
        "*************************** 2. row ***************************", "n: 1", "(2 rows)",
        "d", "--------", "4", "(1 row)"], got.stdout
    # in json mode every row is one object already
    got = _shell(loaded, "SELECT 1 AS a\\G\n", "--json")
    assert (got.returncode, got.stdout) == (0, '{"a": 1}\n'), (got.stdout, got.stderr)


def test_psql_backslash_commands_quit_or_fail_in_one_line(loaded: Path) -> None:
    """psql's `\\q` ends the prompt; its other backslash commands (`\\dt`, `\\d articles`) name the dot ones."""
    got = _shell(loaded, "\\dt\nSELECT 1 AS a;\n\\q\nSELECT 'after' AS never;\n")
    assert got.returncode == 1, (got.stdout, got.stderr)
    errors = [x for x in got.stdout.splitlines() if x.startswith("error: ")]
    assert len(errors) == 1 and ".tables" in errors[0] and ".schema" in errors[0], got.stdout
    assert "after" not in got.stdout and got.stdout.splitlines()[-4:] == ["a", "--------", "1", "(1 row)"]


def test_sql_help_names_the_commands() -> None:
    got = _cli("sql", "--help")
    assert got.returncode == 0, got.stderr
    text = " ".join(got.stdout.split())
    for word in (".tables [PATTERN]", ".schema [PATTERN]", ".mode table|json|line|csv", ".timer on|off", ".quit, .exit [CODE]",
                 "\\G"):
        assert word in text, (word, got.stdout)


def test_a_query_ended_with_backslash_g(loaded: Path) -> None:
    """`newsdedup sql "SELECT ... \\G"` was DuckDB's syntax error at or near the backslash."""
    got = _cli("sql", "--warehouse", str(loaded), "SELECT 1; SELECT 2 AS a, 'x\\G' AS long_name \\G  ")
    assert got.returncode == 0, got.stderr
    assert got.stdout.splitlines() == ["*************************** 1. row ***************************", "        a: 2",
                                       "long_name: x\\G", "(1 row)"], got.stdout
    got = _cli("sql", "--json", "--warehouse", str(loaded), "SELECT 1 AS a\\g")
    assert (got.returncode, got.stdout) == (0, '{"a": 1}\n'), got.stderr


@pytest.mark.parametrize("word", ["exit", "quit", "QUIT;", "  exit  "])
def test_exit_or_quit_alone_on_a_line_ends_the_prompt(loaded: Path, word: str) -> None:
    """psql's and mysql's `exit` / `quit` were DuckDB's "syntax error at or near exit"; inside a statement it is
    still SQL (a column here)."""
    got = _shell(loaded, f"SELECT 1 AS a;\n{word}\nSELECT 'after' AS never;\n")
    assert (got.returncode, got.stdout) == (0, "a\n--------\n1\n(1 row)\n"), (got.stdout, got.stderr)
    got = _shell(loaded, "SELECT 1 AS\nexit;\n")
    assert (got.returncode, got.stdout) == (0, "exit\n--------\n1\n(1 row)\n"), (got.stdout, got.stderr)
