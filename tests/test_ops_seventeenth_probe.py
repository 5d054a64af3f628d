"""The seventeenth probe of what operators and analysts type and run (session 43): what the sixteenth left
(`\\G` before a QUERY's last statement, DuckDB's other `.mode`s and shortened dot commands, the address-space
floor on a process allowed fewer CPUs than the machine has), then sources files saved by other editors and
the `sql` sandbox against DuckDB 2.0's functions and settings that reach files.
Each test of a fix failed on the code before it; the `test_held_*` ones record what already held.

Real files, a real DuckDB warehouse, the process's real CPU affinity and `ulimit -v` set in the child, and
the `newsdedup` command as the installed script with PYTHONPATH at this checkout's `plugins/`, as a subprocess.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from cliruns import ENV, EXE, ROOT, loaded_warehouse
from cliruns import copy_pages as _pages
from cliruns import dir_sources as _sources
from cliruns import run_cli as _cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return loaded_warehouse(tmp_path_factory.mktemp("seventeenth"))


def _shell(loaded: Path, script: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """`newsdedup sql` fed `script` on its standard input, as `newsdedup sql < checks.sql` (its output's line
    ends as written)."""
    got = subprocess.run([EXE, "sql", "--warehouse", str(loaded), *extra], input=script.encode(),
                         capture_output=True, timeout=300, env=ENV, cwd=loaded.parent)
    return subprocess.CompletedProcess(got.args, got.returncode, got.stdout.decode(errors="backslashreplace"),
                                       got.stderr.decode(errors="backslashreplace"))


def _digest(loaded: Path) -> dict[str, str]:
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(loaded.parent.glob("w*.duckdb*"))
            if f.is_file()}


STARS = "*" * 27


# ------------------------------------------------------------------ 1. `\G` before a QUERY's last statement
def test_a_query_with_backslash_g_before_its_last_statement_prints_each(loaded: Path) -> None:
    """`sql "SELECT 1 AS a\\G SELECT 2 AS b"` was DuckDB's "syntax error at or near \\" (the QUERY went to
    DuckDB's own statement splitter; only a `\\G` at its end was cut off). The prompt printed both. A QUERY
    with a `\\G` or `\\g` before its last statement is read as the prompt reads a script now: each
    statement prints, `\\G` ones as column: value lines."""
    got = _cli("sql", "--warehouse", str(loaded), "SELECT 1 AS a, 'x' AS long_name\\G SELECT count(*) AS n FROM articles")
    assert got.returncode == 0, got.stderr
    assert got.stdout.splitlines() == [f"{STARS} 1. row {STARS}", "        a: 1", "long_name: x", "(1 row)",
                                       "n", "--------", "3", "(1 row)"], got.stdout
    got = _cli("sql", "--warehouse", str(loaded), "SELECT 1 AS a\\g SELECT 2 AS b\\G")
    assert got.returncode == 0, got.stderr
    assert got.stdout.splitlines() == ["a", "--------", "1", "(1 row)", f"{STARS} 1. row {STARS}", "b: 2",
                                       "(1 row)"], got.stdout
    got = _cli("sql", "--json", "--warehouse", str(loaded), "SELECT 1 AS a\\G SELECT '\\G' AS b")
    assert (got.returncode, got.stdout) == (0, '{"a": 1}\n{"b": "\\\\G"}\n'), got.stderr
    # a failing statement: named on stderr as any QUERY's error, the others still run, exit 1
    got = _cli("sql", "--warehouse", str(loaded), "SELECT nope\\G SELECT 2 AS b")
    assert got.returncode == 1 and got.stderr.startswith("newsdedup sql: ") and "nope" in got.stderr, got
    assert "Traceback" not in got.stderr and got.stdout.splitlines() == ["b", "--------", "2", "(1 row)"], got


def test_held_a_backslash_g_in_a_string_or_comment_of_a_query_is_text(loaded: Path) -> None:
    got = _cli("sql", "--json", "--warehouse", str(loaded), "SELECT 'a\\G b' AS s /* \\G */; SELECT 2 AS n")
    assert (got.returncode, got.stdout) == (0, '{"n": 2}\n'), got.stderr


# ------------------------------------------------------------------ 2. DuckDB's other `.mode`s, short commands
def test_mode_line_csv_and_the_names_of_table_and_json_modes_in_duckdbs_shell(loaded: Path) -> None:
    """`.mode line`, `.mode csv`, `.mode jsonlines`, `.mode duckbox` were "takes table or json". `line` prints
    each row as column = value lines and a blank line between rows (as those shells do), `csv` as RFC 4180 CSV with a header (NULL empty, as the
    DuckDB and sqlite3 shells print it), `jsonlines` / `ndjson` are the json mode (which prints JSON lines),
    `duckbox` / `box` / `column` the table."""
    got = _shell(loaded, ".mode line\nSELECT 1 AS a, 'x' AS long_name UNION ALL SELECT 2, 'y';\n"
                         ".mode csv\nSELECT 'x,y' AS s, NULL AS n, 'say \"hi\"' AS q, INTERVAL 1 MONTH AS m "
                         "UNION ALL SELECT 'a\nb', 2, '', NULL;\n"
                         ".mode jsonlines\nSELECT 1 AS j;\n.mode ndjson\nSELECT 2 AS j;\n"
                         ".mode duckbox\nSELECT 3 AS t;\n.mode csv\nSELECT count(*) AS n FROM articles\n.mode\n")
    assert got.returncode == 0, (got.stdout, got.stderr)
    out = got.stdout
    head, rest = out.split("s,n,q,m\r\n", 1)
    assert head.splitlines() == ["        a = 1", "long_name = x", "", "        a = 2", "long_name = y", "(2 rows)"], out
    rows = list(csv.reader(io.StringIO("s,n,q,m\r\n" + rest, newline="")))
    assert rows[:3] == [["s", "n", "q", "m"], ["x,y", "", 'say "hi"', "1 month"], ["a\nb", "2", "", ""]], rows
    assert rows[3:] == [['{"j": 1}'], ['{"j": 2}'], ["t"], ["--------"], ["3"], ["(1 row)"], ["n"], ["3"], ["csv"]], rows


@pytest.mark.parametrize("mode", ["latex", "trash"])  # markdown, html, insert print now (eighteenth probe)
def test_other_modes_fail_in_one_line_naming_those_there_are(loaded: Path, mode: str) -> None:
    got = _shell(loaded, f".mode {mode}\nSELECT 1 AS after;\n")
    assert got.returncode == 1, (got.stdout, got.stderr)
    errors = [x for x in got.stdout.splitlines() if x.startswith("error: ")]
    assert len(errors) == 1 and f"'{mode}'" in errors[0], got.stdout
    for name in ("table", "json", "line", "csv"):
        assert name in errors[0], errors
    assert got.stdout.splitlines()[-4:] == ["after", "--------", "1", "(1 row)"], got.stdout


def test_dot_commands_shortened_as_the_sqlite3_shell_takes_them(loaded: Path) -> None:
    """`.tab`, `.sch articles`, `.mo json`, `.q` were "not a command of `newsdedup sql`": the sqlite3 shell
    (whose dot commands DuckDB's took) reads a command's first letters. A shortening is read when it starts
    one command only of those shells; one that starts several (`.he`: .headers, .help) names them, and the
    shortening of one that reads or writes files says what to do instead, as its full name does."""
    got = _shell(loaded, ".tab revision%\n.sch recent_runs\n.mo json\nSELECT 1 AS a;\n.q\nSELECT 'after' AS never;\n")
    assert got.returncode == 0, (got.stdout, got.stderr)
    lines = got.stdout.splitlines()
    assert lines[:4] == ["name", "--------", "revision_history", "(1 row)"], lines
    assert lines[4].startswith("CREATE VIEW recent_runs AS") and lines[-1] == '{"a": 1}', lines
    assert "never" not in got.stdout
    out = loaded.parent / "short-out.txt"
    before = _digest(loaded)
    got = _shell(loaded, f".he\n.outp {out}\n.ex\nSELECT 1 AS after;\n")
    assert got.returncode == 1, (got.stdout, got.stderr)
    errors = [x for x in got.stdout.splitlines() if x.startswith("error: ")]
    assert len(errors) == 3, got.stdout
    assert ".headers" in errors[0] and ".help" in errors[0], errors
    assert ".output" in errors[1] and "redirect the output" in errors[1], errors
    assert ".exit" in errors[2] and ".explain" in errors[2], errors
    assert got.stdout.splitlines()[-4:] == ["after", "--------", "1", "(1 row)"], got.stdout
    assert not out.exists() and _digest(loaded) == before


# ------------------------------------------------------------------ 3. CPUs the process may use
def _limits(cpus: set[int], mib: int | None = None) -> Callable[[], None]:
    def limit() -> None:
        import resource

        os.sched_setaffinity(0, cpus)
        if mib is not None:
            resource.setrlimit(resource.RLIMIT_AS, (mib * 2**20, resource.RLIM_INFINITY))
    return limit


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
                    reason="needs a process allowed two CPUs or more")
def test_a_process_allowed_one_cpu_counts_one(tmp_path: Path) -> None:
    """Pinned to one CPU (`taskset -c 0`, Docker's --cpuset-cpus, an Airflow worker's affinity), the floor
    and DuckDB's threads counted the machine's CPUs (`os.cpu_count()`): OpenBLAS starts a thread per CPU
    the process may use (measured: 1 thread pinned to one CPU, 3 on two), but DuckDB one per CPU of the
    machine (it ignores the affinity), so a pinned run refused a limit it works under (1,760 MiB here:
    "below the 1,792 MiB", the need of two CPUs) and ran two DuckDB threads on one CPU. Both count the CPUs
    the process may use now (`addressspace.usable_cpus`)."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from newsdedup.addressspace import address_space_need

    one_cpu = {min(os.sched_getaffinity(0))}
    mib = (address_space_need(1, 1) + address_space_need(1, 2)) // 2 // 2**20
    assert address_space_need(1, 1) <= mib * 2**20 < address_space_need(1, 2)
    cfg = _sources(tmp_path, _pages(tmp_path / "p"))
    w, st = str(tmp_path / "w.duckdb"), str(tmp_path / "st")
    got = _cli("run", "--sources", str(cfg), "--warehouse", w, "--staging", st, preexec_fn=_limits(one_cpu, mib))
    assert got.returncode == 0, got.stderr[-3000:]
    query = "SELECT count(*) AS n, current_setting('threads') AS threads FROM articles"
    for limit in (mib, None):
        got = _cli("sql", "--json", "--warehouse", w, query, preexec_fn=_limits(one_cpu, limit))
        assert got.returncode == 0, got.stderr[-3000:]
        assert json.loads(got.stdout) == {"n": 3, "threads": 1}, (limit, got.stdout)
    # the machine's CPUs allowed: DuckDB's default, a thread a CPU, as before
    got = _cli("sql", "--json", "--warehouse", w, query)
    assert json.loads(got.stdout) == {"n": 3, "threads": len(os.sched_getaffinity(0))}, got.stdout
    # below what one CPU and one thread need, still refused, naming it
    low = address_space_need(1, 1) // 2**20 - 32
    got = _cli("sql", "--warehouse", w, query, preexec_fn=_limits(one_cpu, low))
    need = address_space_need(1, 1) // 2**20
    assert got.returncode == 2 and f"below the {need:,} MiB" in got.stderr and "the 1 CPU " in got.stderr, got.stderr


# ------------------------------------------------------------------ 4. sources files saved by other editors
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_a_sources_file_in_utf16_or_utf32_without_a_bom_is_read(tmp_path: Path, codec: str) -> None:
    """The YAML spec reads UTF-16 and UTF-32 without a BOM from where the first character's zero bytes
    are; `newsdedup run` said "not valid YAML: unacceptable character #x0000: control characters are not
    allowed" (with a BOM it read them). Detected as the spec says now; a file of other NUL bytes is still
    named."""
    pages = _pages(tmp_path / "pages")
    text = f"# the sources\r\nsources:\r\n- name: local\r\n  kind: dir\r\n  url: {pages}\r\n  settle_seconds: 0\r\n"
    cfg = tmp_path / "sources.yaml"
    cfg.write_bytes(text.encode(codec))
    got = _cli("run", "--sources", str(cfg), "--warehouse", str(tmp_path / "w.duckdb"), "--staging",
               str(tmp_path / "st"))
    assert got.returncode == 0, got.stderr[-3000:]
    assert "new articles 3" in got.stderr + got.stdout, got.stderr[-2000:]
    cfg.write_bytes(b"sources:\x00\x00\x00\x00 nope")
    got = _cli("run", "--sources", str(cfg), "--warehouse", str(tmp_path / "w.duckdb"), "--staging",
               str(tmp_path / "st"))
    assert got.returncode == 2 and "Traceback" not in got.stderr and str(cfg) in got.stderr, got.stderr[-2000:]


def test_held_a_sources_file_with_a_bom_and_crlf_and_one_with_a_name_twice(tmp_path: Path) -> None:
    pages = _pages(tmp_path / "pages")
    cfg = tmp_path / "sources.yaml"
    cfg.write_bytes(f"\ufeffsources:\r\n- name: local\r\n  kind: dir\r\n  url: {pages}\r\n  settle_seconds: 0\r\n"
                    .encode())
    args = ("--warehouse", str(tmp_path / "w.duckdb"), "--staging", str(tmp_path / "st"))
    got = _cli("run", "--sources", str(cfg), *args)
    assert got.returncode == 0 and "new articles 3" in got.stderr + got.stdout, got.stderr[-2000:]
    cfg.write_text(yaml.safe_dump({"sources": [{"name": "local", "kind": "dir", "url": str(pages)},
                                               {"name": "LOCAL", "kind": "dir", "url": str(tmp_path)}]}))
    got = _cli("run", "--sources", str(cfg), *args)
    assert got.returncode == 2 and "duplicate source name 'LOCAL'" in got.stderr, got.stderr[-2000:]


# ------------------------------------------------------------------ 5. the sandbox and DuckDB 2.0's file reach
@pytest.mark.parametrize("statement", [
    "SELECT * FROM read_text('{secret}')",
    "SELECT * FROM read_blob('{secret}')",
    "SELECT * FROM glob('{folder}/*')",
    "SELECT * FROM sniff_csv('{secret}')",
    "SELECT * FROM query('SELECT * FROM read_text(''{secret}'')')",
    "SELECT * FROM parquet_metadata('{secret}')",
    "COPY (WITH x AS (SELECT * FROM articles) SELECT * FROM x) TO '{out}'",
    "WITH x AS (SELECT 1 AS a) SELECT * FROM x; COPY articles TO '{out}' (FORMAT parquet)",
    "EXPORT DATABASE '{folder}/export'",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET s3_region = 'x'",
    "SET home_directory = '{folder}'",
    "SET temp_directory = '{folder}/spill'",
    "SET allowed_directories = ['/']",
    "CALL enable_logging()",
    "ATTACH '{folder}/other.duckdb' AS o",
    "CHECKPOINT; CREATE TABLE main.t AS SELECT 1",
])
def test_held_the_sql_sandbox_against_what_reaches_files(loaded: Path, statement: str) -> None:
    """Held on the code before: each is refused (or runs nothing on a file), no file is read or written,
    the warehouse and its snapshot are byte-identical after."""
    folder = loaded.parent
    secret, out = folder / "secret.csv", folder / "leak.csv"
    secret.write_text("secret_column\nsecret_value\n")
    before = _digest(loaded)
    got = _shell(loaded, statement.format(secret=secret, folder=folder, out=out) + ";\n")
    assert got.returncode == 1 and "Traceback" not in got.stderr, (got.stdout, got.stderr)
    assert "error: " in got.stdout and "secret_value" not in got.stdout and "secret_column" not in got.stdout
    assert not out.exists() and not (folder / "export").exists() and not (folder / "other.duckdb").exists()
    assert not (folder / "spill").exists()
    assert _digest(loaded) == before


# ------------------------------------------------------------------ 6. settings of later stages, checked at the plan
@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A sources file and a warehouse one clean run made (the plan of a first run creates the warehouse)."""
    tmp = tmp_path_factory.mktemp("plan-settings")
    cfg = _sources(tmp, _pages(tmp / "pages"))
    got = _cli("run", "--sources", str(cfg), "--warehouse", str(tmp / "w.duckdb"), "--staging", str(tmp / "st"))
    assert got.returncode == 0, got.stderr[-3000:]
    _pages(tmp / "pages", 5)  # two pages the next run would fetch
    return cfg, tmp / "w.duckdb", tmp / "st"


JUNK_SETTINGS = [
    {"NEWSDEDUP_LSH_REDIS_URL": "nonsense"},
    {"NEWSDEDUP_LSH_REDIS_URL": "redis://127.0.0.1:1/prod"},
    {"NEWSDEDUP_LSH_REDIS_URL": "redis://127.0.0.1:1/0?socket_timeout=nan"},
    {"NEWSDEDUP_LSH_REDIS_URL": "redis://127.0.0.1:1/0", "NEWSDEDUP_LSH_PREFIX": "news:dedup*"},
    {"NEWSDEDUP_SQL_DIR": "/nonexistent/sql"},
]


@pytest.mark.parametrize("settings", JUNK_SETTINGS, ids=lambda s: "+".join(f"{k}={v}" for k, v in s.items()))
def test_a_junk_setting_of_the_dedup_or_the_load_stops_a_run_at_its_plan(
        planned: tuple[Path, Path, Path], settings: dict[str, str]) -> None:
    """`$NEWSDEDUP_LSH_REDIS_URL` / `$NEWSDEDUP_LSH_PREFIX` not usable as written and a `$NEWSDEDUP_SQL_DIR`
    without migrations were found by the dedup and the load: after every source was fetched, every run (the
    sixteenth probe fixed the same for `$NEWSDEDUP_LOCK_PATIENCE`). The plan checks how they are written now
    (it does not connect to Redis: one down may be up by the dedup), nothing fetched."""
    cfg, w, st = planned
    before = sorted(p.name for p in st.rglob("*"))
    got = _cli("run", "--sources", str(cfg), "--warehouse", str(w), "--staging", str(st), env={**ENV, **settings})
    assert got.returncode in (1, 2) and "Traceback" not in got.stderr, got.stderr[-3000:]
    assert "stopped at its plan, nothing was fetched" in got.stderr, got.stderr[-3000:]
    assert list(settings)[-1] in got.stderr and " entries, " not in got.stderr, got.stderr[-3000:]
    assert sorted(p.name for p in st.rglob("*")) == before
    got = _cli("sql", "--json", "--warehouse", str(w), "SELECT count(*) AS n FROM articles")
    assert json.loads(got.stdout) == {"n": 3}, got


@pytest.mark.parametrize("settings", [*JUNK_SETTINGS, {"NEWSDEDUP_LOCK_PATIENCE": "soon"}],
                         ids=lambda s: "+".join(f"{k}={v}" for k, v in s.items()))
def test_the_airflow_plan_task_fails_a_junk_setting_without_retries(
        planned: tuple[Path, Path, Path], settings: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The DAG's plan task (its function, with the context Airflow hands it) raised the junk
    `$NEWSDEDUP_LOCK_PATIENCE`'s WarehouseSettingError as is: Airflow retried the task twice, 30 s and
    more apart, for a setting no retry mends. It and the checks above fail the task at once now
    (AirflowFailException), as a bad sources file does."""
    from airflow.sdk.exceptions import AirflowFailException

    sys.path.insert(0, str(ROOT / "plugins"))
    from newsdedup import tasks

    cfg, w, st = planned
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(AirflowFailException, match="stopped at its plan"):
        tasks.plan({"run_id": "manual__junk", "params": {"sources_file": str(cfg), "warehouse": str(w),
                                                         "staging": str(st)}})


# ------------------------------------------------------------------ 7. a warehouse path naming a file of another format
def _other_files(folder: Path) -> dict[str, Path]:
    import gzip
    import sqlite3
    import zipfile

    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    made = {"SQLite": folder / "app.db", "Parquet": folder / "rows.parquet", "gzip": folder / "w.duckdb.gz",
            "zip": folder / "w.zip"}
    con = sqlite3.connect(made["SQLite"])
    con.execute("CREATE TABLE accounts (id INTEGER)")
    con.commit()
    con.close()
    duckdb.connect().execute(f"COPY (SELECT 1 AS a) TO '{made['Parquet']}' (FORMAT parquet)")
    made["gzip"].write_bytes(gzip.compress(b"not a database"))
    with zipfile.ZipFile(made["zip"], "w") as z:
        z.writestr("w.duckdb", b"x")
    return made


@pytest.mark.parametrize("command", ["run", "sql", "snapshot"])
def test_a_warehouse_path_naming_a_file_of_another_format_says_so_and_leaves_it(tmp_path: Path, command: str) -> None:
    """`--warehouse app.db` (a SQLite database), a Parquet file, a gzip or zip archive (a backup named by
    mistake) was "the warehouse ... is damaged ... Restore it from a backup ...; or move it aside to start a
    new, empty warehouse" with DuckDB's words for it ("Loading external extensions is disabled", "Cannot
    launch in-memory database in read-only mode!"): advice to move aside a file that is no warehouse at
    all. Its format is named now, as another DuckDB database's is ("not a newsdedup warehouse"), and the
    file is left byte for byte."""
    cfg = _sources(tmp_path, _pages(tmp_path / "pages"))
    for what, path in _other_files(tmp_path / "others").items():
        before = path.read_bytes()
        args = {"run": ("run", "--sources", str(cfg), "--staging", str(tmp_path / "st"), "--warehouse", str(path)),
                "sql": ("sql", "--warehouse", str(path), "SELECT 1"),
                "snapshot": ("snapshot", "--warehouse", str(path))}[command]
        got = _cli(*args)
        assert got.returncode in (1, 2) and "Traceback" not in got.stderr, (what, got.stderr[-3000:])
        assert f"is a {what}" in got.stderr and "not a DuckDB database" in got.stderr, (what, got.stderr[-3000:])
        assert "damaged" not in got.stderr and "move it aside" not in got.stderr, (what, got.stderr[-3000:])
        assert path.read_bytes() == before
        assert sorted(p.name for p in path.parent.iterdir()) == sorted(p.name for p in _other_files_names(path))


def _other_files_names(path: Path) -> list[Path]:
    return [path.parent / n for n in ("app.db", "rows.parquet", "w.duckdb.gz", "w.zip")]
