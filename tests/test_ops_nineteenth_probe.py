"""The nineteenth probe of what operators and analysts type and run (session 46): what the eighteenth left
(sqlite3's other `.mode`s, `.headers on|off`, `.separator COL [ROW]`), then `-` for standard input, which
the `sql`, `extract` and `dedup` commands read as a file or SQL named `-`.
Each test of a fix failed on the code before it; the `test_held_*` ones record what already held.

Real files, a real DuckDB warehouse (one for the module), the real sqlite3 shell of the host where it is
installed (its output compared byte for byte), `cli.main` called in this process where the process does not
matter, and the `newsdedup` command as a subprocess where standard input does.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cliruns import ENV, EXE, loaded_warehouse
from samplesources import PAGES
from test_ops_seventeenth_probe import _digest

from newsdedup import cli

pytestmark = pytest.mark.slow

HAVE_SQLITE3 = shutil.which("sqlite3") is not None


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return loaded_warehouse(tmp_path_factory.mktemp("nineteenth"))


def _sql(loaded: Path, *args: str, stdin: bytes | None = None,
         monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:
    """`newsdedup sql --warehouse W ARGS` in this process: (exit status, stdout, stderr). `stdin`: the bytes
    standard input holds (not a terminal)."""
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["sql", "--warehouse", str(loaded), *args])
    return code, out.getvalue(), err.getvalue()


def _sqlite3(script: str) -> str:
    got = subprocess.run(["sqlite3", ":memory:"], input=script.encode(), capture_output=True, timeout=60, check=True)
    assert not got.stderr, got.stderr
    return got.stdout.decode()


# ------------------------------------------------------------------ 1. sqlite3's other modes
ROWS = "SELECT 1 AS a, 'x y' AS long_name, NULL AS n UNION ALL SELECT 22, 'it''s \"q\" \\ {}', 3.5 ORDER BY a;\n"


@pytest.mark.skipif(not HAVE_SQLITE3, reason="the sqlite3 shell is not installed here")
@pytest.mark.parametrize("mode", ["quote", "tabs", "ascii", "tcl"])
def test_modes_quote_tabs_ascii_and_tcl_print_what_the_real_sqlite3_shell_prints(loaded: Path, mode: str) -> None:
    """`.mode quote|tabs|ascii|tcl`, modes of the sqlite3 shell (3.40.1 here), were "takes table, json, ...":
    they print byte for byte what that shell prints with its headers on (as DuckDB's starts): quote's SQL
    literals joined by `,` (the names as strings), tabs' values joined by a tab, ascii's by the unit and
    record separators (0x1F, 0x1E), tcl's C strings joined by a space."""
    code, out, err = _sql(loaded, "--", f".mode {mode}\n{ROWS}")
    assert code == 0, err
    assert out == _sqlite3(f".headers on\n.mode {mode}\n{ROWS}"), out


@pytest.mark.skipif(not HAVE_SQLITE3, reason="the sqlite3 shell is not installed here")
def test_headers_off_and_separator_as_the_sqlite3_shell_reads_them(loaded: Path) -> None:
    """`.headers on|off` and `.separator COL [ROW]` were "not a command of `newsdedup sql`". They print as
    sqlite3's do: no header line (list, tabs, csv, html, quote, tcl) and an INSERT without its names with the
    headers off; the separators, with sqlite3's backslash escapes ("\\r\\n" in double quotes or bare, none in
    single quotes), join list's, csv's and quote's values and end their rows, and each mode sets them as
    sqlite3's does (list `|`, tabs a tab, csv `,` and CRLF, quote `,`, tcl a space)."""
    plain = "SELECT 1 AS a, 'xy' AS b, NULL AS n UNION ALL SELECT 22, 'z', 3.5 ORDER BY a;\n"
    script = (f".headers off\n.mode list\n{plain}.separator \";\" \"\\r\\n\"\n{plain}.mode tabs\n{plain}"
              f".mode csv\n{plain}.separator ';'\n{plain}.mode insert\n{plain}.mode html\n{plain}"
              f".headers on\n.mode insert\n{plain}.mode quote\n.separator ' | ' '#\\n'\n{plain}.mode tcl\n{plain}"
              f".separator \\t\n.mode list\n{plain}")
    code, out, err = _sql(loaded, "--", script)
    assert code == 0, err
    assert out == _sqlite3(script), out


def test_tcl_and_quote_modes_let_no_value_run_as_code_or_reach_the_terminal_raw(loaded: Path) -> None:
    """On purpose unlike sqlite3, which writes them as they are: a tcl string's `$`, `[` and `]`, which Tcl
    substitutes inside double quotes (a hostile title `[exec rm -rf ~]` run by whoever `source`s the output),
    are escaped, and ESC as `\\033` (sqlite3 does that too); a quote-mode string's control characters are
    joined in as chr(N), as `.mode insert`'s, where sqlite3 writes ESC raw. Text beyond ASCII stays text (sqlite3
    writes é as `\\303\\251`, two Latin-1 characters to Tcl)."""
    hostile = "SELECT '[exec rm -rf ~] $HOME é' || chr(27) || '[31m' || chr(10) AS t;\n"
    code, out, err = _sql(loaded, "--", f".mode tcl\n{hostile}.mode quote\n{hostile}")
    assert code == 0, err
    assert out.split("\n") == ['"t"', '"\\[exec rm -rf ~\\] \\$HOME é\\033\\[31m\\n"',
                               "'t'", "'[exec rm -rf ~] $HOME é' || chr(27) || '[31m' || chr(10)", ""], out
    assert "\x1b" not in out


def test_quote_mode_prints_literals_duckdb_reads_back(loaded: Path) -> None:
    """`.mode quote`'s values are SQL literals: a `SELECT` of them gives the same values back."""
    select = ("SELECT 1 AS a, 'it''s' AS s, NULL AS n, 2.5::DOUBLE AS f, DATE '2024-02-29' AS d, true AS ok, "
              "123.45::DECIMAL(9,2) AS dec")
    code, out, err = _sql(loaded, "--", f".headers off\n.mode quote\n{select};\n")
    assert code == 0, err
    import duckdb
    con = duckdb.connect()
    back = con.execute(f"SELECT {out.strip()}").fetchall()[0]
    want = con.execute(select).fetchall()[0]
    assert [str(v) for v in back] == [str(v) for v in want], (out, back, want)


def test_headers_and_separator_take_what_sqlite3_takes_and_say_what_is_wrong(loaded: Path) -> None:
    """`.headers yes|no|1|0|true|false` as sqlite3 reads them; `.headers maybe`, `.headers` and `.separator`
    alone are one-line errors naming what they take; a `.headers off` after a statement's text without its
    `;` runs that statement first, as the other commands do; `.mode` names the modes there are now."""
    code, out, err = _sql(loaded, "--", ".headers no\n.mode list\nSELECT 1 AS a;\n.headers 1\nSELECT 2 AS b\n"
                                        ".headers off\nSELECT 3 AS c;\n")
    assert (code, out) == (0, "1\nb\n2\n3\n"), (out, err)
    for bad, words in ((".headers maybe", ("on", "off")), (".headers", ("on", "off")),
                       (".separator", ("COL", "ROW")), (".separator a b c", ("COL", "ROW")),
                       (".mode latex", ("quote", "tabs", "ascii", "tcl", "insert"))):
        code, out, err = _sql(loaded, "--", f"{bad}\nSELECT 1 AS after;\n")
        assert code == 1 and err.count("\n") == 1 and err.startswith("newsdedup sql: "), (bad, err)
        assert all(w in err for w in words) and "Traceback" not in err, (bad, err)
        assert out == "after\n--------\n1\n(1 row)\n", (bad, out)


def test_mode_with_no_name_names_tabs_as_list_as_sqlite3_does(loaded: Path) -> None:
    code, out, err = _sql(loaded, "--", ".mode tabs\n.mode\n.mode ascii\n.mode\n")
    assert (code, out) == (0, "list\nascii\n"), (out, err)


def test_mode_insert_of_lists_and_structs_loads_the_same_values(loaded: Path, tmp_path: Path) -> None:
    """`.mode insert` wrote a LIST or STRUCT as its JSON text in a string, which DuckDB casts back only when no
    element holds a `"` (`'["say \\"hi\\""]'`: "can't be cast to the destination type VARCHAR[]"). It writes
    DuckDB's list and struct literals now (`['a', NULL]`, `{'k': 1}`), each element a literal as any value."""
    select = ("SELECT ['say \"hi\"', NULL, 'a, b', '[x]', 'back\\slash', 'it''s'] AS l, "
              "{'k': 'a \"q\"', 'n': [1, 2], 'in': {'deep': NULL}} AS s, [[1.5], []] AS nested, "
              "[DATE '2024-02-29'] AS dates, ['a' || chr(10) || chr(27)] AS ctl")
    code, out, err = _sql(loaded, "--", f".mode insert t\n{select};\n")
    assert code == 0, err
    assert "\x1b" not in out and out.count("\n") == 1, out
    import duckdb
    con = duckdb.connect(str(tmp_path / "copy.duckdb"))
    con.execute(f"CREATE TABLE t AS {select} LIMIT 0")
    con.execute(out)
    assert con.execute("SELECT * FROM t").fetchall() == con.execute(select).fetchall()


# ------------------------------------------------------------------ 2. `-` for standard input
def test_sql_dash_reads_the_statements_on_standard_input(loaded: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`newsdedup sql -` (as `psql -f -`, `duckdb < -`: `-` for standard input) was DuckDB's "syntax error at
    or near -": it reads the statements on standard input, as `sql` without a QUERY does."""
    code, out, err = _sql(loaded, "-", stdin=b"SELECT 42 AS x;\nSELECT count(*) AS n FROM articles\n",
                          monkeypatch=monkeypatch)
    assert (code, out) == (0, "x\n--------\n42\n(1 row)\nn\n--------\n3\n(1 row)\n"), (out, err)
    code, out, err = _sql(loaded, "--json", "-", stdin=b"SELECT 42 AS x;\n", monkeypatch=monkeypatch)
    assert (code, out) == (0, '{"x": 42}\n'), (out, err)


def _page() -> Path:
    return sorted(PAGES.rglob("*.html"))[0]


def test_extract_dash_reads_the_page_on_standard_input(tmp_path: Path) -> None:
    """`curl … | newsdedup extract --url U -` was a record "unreadable: FileNotFoundError" (a file named `-`),
    and `extract /dev/stdin` from a pipe "unreadable: not_a_regular_file": `-` reads the page on standard input
    (gzip or not, the same --max-bytes cap), its record as the file's but with "path": "-"."""
    page = _page()
    from_file = subprocess.run([EXE, "extract", "--url", "https://example.com/a", str(page)], capture_output=True,
                               env=ENV, timeout=120, check=True)
    got = subprocess.run([EXE, "extract", "--url", "https://example.com/a", "-"], input=page.read_bytes(),
                         capture_output=True, env=ENV, timeout=120)
    assert got.returncode == 0, got.stderr
    want = json.loads(from_file.stdout)
    record = json.loads(got.stdout)
    assert record.pop("path") == "-" and record.pop("error", None) is None, record
    want.pop("path")
    want.pop("error", None)
    assert record == want and record["title"], record
    got = subprocess.run([EXE, "extract", "--max-bytes", "100", "-"], input=page.read_bytes(), capture_output=True,
                         env=ENV, timeout=120)
    assert got.returncode == 1 and json.loads(got.stdout)["error"] == "unreadable: too_large", got
    got = subprocess.run([EXE, "extract", "-", "-"], input=b"", capture_output=True, env=ENV, timeout=120)
    assert got.returncode == 2 and got.stdout == b"" and b"Traceback" not in got.stderr, got
    assert got.stderr.count(b"\n") == 1 and b"standard input" in got.stderr, got.stderr


def test_dedup_dash_reads_the_corpus_on_standard_input(tmp_path: Path) -> None:
    """`extract … | newsdedup dedup -` was "corpus - does not exist": `-` reads the corpus on standard input,
    the same lines out as from the file; a bad line is named on `standard input:N`."""
    lines = [json.dumps({"id": i, "source": "s", "title": "t", "text": text}) for i, text in
             enumerate(["the same words in a story about the river and the town " * 5] * 2 + ["other"])]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join([*lines, "[1"]) + "\n")
    from_file = subprocess.run([EXE, "dedup", str(corpus)], capture_output=True, env=ENV, timeout=120, check=True)
    got = subprocess.run([EXE, "dedup", "-"], input=corpus.read_bytes(), capture_output=True, env=ENV, timeout=120)
    assert got.returncode == 0, got.stderr
    assert got.stdout == from_file.stdout and len(got.stdout.splitlines()) == 3, got.stdout
    assert b"standard input:4: skipped (json)" in got.stderr, got.stderr
    (tmp_path / "-").write_bytes(corpus.read_bytes())  # a file named `-` is still `./-`
    got = subprocess.run([EXE, "dedup", "./-"], capture_output=True, env=ENV, timeout=120, cwd=tmp_path, input=b"")
    assert got.returncode == 0 and got.stdout == from_file.stdout, got


def test_held_a_file_named_dash_is_read_as_dot_slash_dash(loaded: Path, tmp_path: Path) -> None:
    """A file that is named `-` is still reached as `./-` (as every tool that reads `-` as standard input)."""
    (tmp_path / "-").write_bytes(_page().read_bytes())
    got = subprocess.run([EXE, "extract", "./-"], capture_output=True, env=ENV, timeout=120, cwd=tmp_path)
    assert got.returncode == 0 and json.loads(got.stdout)["title"], got


def test_the_new_modes_leave_the_warehouse_and_snapshot_unchanged(loaded: Path) -> None:
    before = _digest(loaded)
    code, _out, err = _sql(loaded, "--", ".mode quote\n.separator ; X\n.headers off\nSELECT * FROM articles;\n"
                                         ".mode tcl\nSELECT * FROM articles;\n.mode ascii\nSELECT * FROM articles;\n")
    assert code == 0, err
    assert _digest(loaded) == before
