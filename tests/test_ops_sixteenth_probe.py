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
from cliruns import ENV, EXE, ROOT, loaded_warehouse
from cliruns import copy_pages as _pages
from cliruns import dir_sources as _sources
from cliruns import run_cli as _cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return loaded_warehouse(tmp_path_factory.mktemp("sixteenth"))


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


# ------------------------------------------------------------------ 2. paths held as surrogates, shown
ASCII = {"PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "LC_ALL": "C"}


def _raw_cli(*args: str | bytes, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([EXE, *args], capture_output=True, env=env, cwd=cwd, timeout=300, check=False)


def test_paths_python_holds_as_surrogates_are_shown_as_their_bytes(tmp_path: Path) -> None:
    """In an ASCII locale with UTF-8 mode off, Python holds the UTF-8 `dé/wé.duckdb` as `d\\udcc3\\udca9/...`,
    and every log line and message naming it (a run's "1 sources from", its load line, the summary's
    "warehouse:", `sql`'s "no warehouse at") printed that: nothing an operator can read or paste back. They are
    the file system's bytes now (a UTF-8 terminal shows `dé`); bytes that are not UTF-8 are `\\xe9`."""
    env = {**ENV, **ASCII}
    env.pop("LANG", None)
    base = tmp_path / "dé"
    _pages(base / "pages")
    (base / "s.yaml").write_text(yaml.safe_dump({"sources": [
        {"name": "local", "kind": "dir", "url": "pages", "settle_seconds": 0}]}), encoding="utf-8")
    got = _raw_cli("run", "--sources", "dé/s.yaml", "--warehouse", "dé/wé.duckdb", "--staging", "dé/st", env=env,
                   cwd=tmp_path)
    assert got.returncode == 0, got.stderr[-3000:]
    err, out = got.stderr, got.stdout
    assert b"\\udc" not in err and b"\\udc" not in out, (err[-2000:], out)
    assert b"1 sources from d\xc3\xa9/s.yaml" in err, err[-3000:]
    assert b"d\xc3\xa9/w\xc3\xa9.duckdb in " in err and b"warehouse: " + os.fsencode(base) + b"/w\xc3\xa9" in out
    got = _raw_cli("sql", "--warehouse", "dé/nowé.duckdb", "select 1", env=env, cwd=tmp_path)
    assert got.returncode == 2 and b"no warehouse at d\xc3\xa9/now\xc3\xa9.duckdb yet" in got.stderr, got.stderr
    # a name that is not UTF-8 (Latin-1 `w\xe9`), in both modes: named with the escape, not as `\udce9`
    for mode in (env, ENV):
        got = _raw_cli("sql", "--warehouse", b"w\xe9.duckdb", "select 1", env=mode, cwd=tmp_path)
        assert got.returncode != 0 and b"w\\xe9.duckdb is not UTF-8" in got.stderr, got.stderr
        assert b"\\udc" not in got.stderr and b"Traceback" not in got.stderr, got.stderr


def test_other_characters_an_ascii_stream_cannot_hold_are_still_escaped() -> None:
    """A character that is no surrogate (a stored title's `\\u65e5`) still goes out as Python's backslash
    escape on a stream whose encoding cannot hold it, as before; a surrogate no byte stands for too."""
    import io

    sys.path.insert(0, str(ROOT / "plugins"))
    from newsdedup.terminal import FS_BYTES_ERRORS

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii", errors=FS_BYTES_ERRORS)
    stream.write("d\udcc3\udca9 \u65e5 w\udce9 \ud800 x\udcc3\udca9\u65e5\n")
    stream.flush()
    assert raw.getvalue() == b"d\xc3\xa9 \\u65e5 w\\xe9 \\ud800 x\xc3\xa9\\u65e5\n"


# ------------------------------------------------------------------ 3. the address-space floor per DuckDB thread
def _address_space(mib: int) -> Callable[[], None]:
    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (mib * 2**20, resource.RLIM_INFINITY))
    return limit


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one CPU: DuckDB's default is already one thread")
def test_under_a_limit_that_fits_fewer_threads_duckdb_gets_fewer_instead_of_a_refusal(tmp_path: Path) -> None:
    """The floor was 1.5 GiB + 256 MiB a CPU, an estimate from 2 CPUs: each command refused to start below
    it (2,048 MiB here). Measured (benchmarks/address_space_floor.py) each of DuckDB's threads takes ~66 MiB
    of address space, and the commands work on one: under a limit with room for one DuckDB thread and not
    for a thread a CPU, DuckDB gets one and a first run, a second and `sql` work; below that, refused."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from newsdedup.addressspace import address_space_need

    cpus = os.cpu_count() or 1
    one = address_space_need(1, cpus) // 2**20
    assert one < address_space_need(cpus, cpus) // 2**20
    cfg = _sources(tmp_path, _pages(tmp_path / "p"))
    w, st = str(tmp_path / "w.duckdb"), str(tmp_path / "st")
    for n in (3, 5):
        _pages(tmp_path / "p", n)
        got = _cli("run", "--sources", str(cfg), "--warehouse", w, "--staging", st, preexec_fn=_address_space(one))
        assert got.returncode == 0, got.stderr[-3000:]
    got = _cli("sql", "--json", "--warehouse", w, "select count(*) AS n, current_setting('threads') AS threads "
               "from articles", preexec_fn=_address_space(one))
    assert got.returncode == 0, got.stderr[-3000:]
    assert json.loads(got.stdout) == {"n": 5, "threads": 1}
    got = _cli("sql", "--json", "--warehouse", w, "select current_setting('threads') AS threads")
    assert json.loads(got.stdout) == {"threads": cpus}  # no limit: DuckDB's default, a thread a CPU
    got = _cli("snapshot", "--warehouse", w, preexec_fn=_address_space(one - 32))
    assert got.returncode == 2 and f"below the {one:,} MiB newsdedup reserves with DuckDB on one thread" in got.stderr, \
        got.stderr[-2000:]


# ------------------------------------------------------------------ 4. settings in the environment set to junk
@pytest.mark.parametrize("variable, command", [("NEWSDEDUP_READER_MEMORY_LIMIT", "sql"),
                                               ("NEWSDEDUP_SQL_TIME_LIMIT", "sql"),
                                               ("NEWSDEDUP_LOCK_PATIENCE", "run")])
def test_a_setting_of_junk_is_named_short_and_as_its_bytes(loaded: Path, variable: str, command: str) -> None:
    """A setting of 100,000 characters was echoed whole in its one-line error (a 100 KB line in the log);
    one holding a byte that is not UTF-8 (a Latin-1 `é`) was shown as Python's `'x\\udce9y'`. The value is cut
    in the middle now, saying its length, and the byte is `\\xe9`; empty and blank still mean the default.
    A junk $NEWSDEDUP_LOCK_PATIENCE failed a run at its load, after it had fetched everything: at its plan now."""
    args = [command, "--warehouse", str(loaded)] + (["select 1"] if command == "sql" else [
        "--sources", str(loaded.parent / "sources.yaml"), "--staging", str(loaded.parent / "st")])
    for value in (b"9" * 100_000, b"x\xe9y"):
        env = {**{k: v for k, v in ENV.items() if not k.startswith("NEWSDEDUP_")}}
        got = subprocess.run([EXE, *args], capture_output=True, timeout=120, check=False,
                             env={**{os.fsencode(k): os.fsencode(v) for k, v in env.items()}, variable.encode(): value})
        assert got.returncode == (1 if command == "run" else 2), got.stderr[-2000:]
        assert b"Traceback" not in got.stderr, got.stderr[-2000:]
        line = got.stderr.strip().splitlines()[-1]
        assert f"newsdedup {command}: ".encode() in line and f"{variable} must be".encode() in line, line[:300]
        assert len(line) < 1000, line[:300]
        if command == "run":  # read at the plan: was at the load, after every source was fetched
            assert b"stopped at its plan, nothing was fetched" in line and b"entries" not in got.stderr, line[:300]
        assert b"\\udc" not in line and (b"(100,000 characters)" in line or b"'x\\xe9y'" in line), line[:300]
    for value in ("", " "):
        got = _cli(*args, env={**ENV, variable: value})
        assert got.returncode == 0, got.stderr[-2000:]


# ------------------------------------------------------------------ 5. the sources file given as `-`, `run --help`
def test_a_sources_file_given_as_a_dash_says_standard_input_is_not_read(tmp_path: Path) -> None:
    """`run --sources -` (as many commands read standard input) said "sources file - does not exist"; it says
    that the file is read by name now, nothing fetched. A file really named `-` in the current folder is read."""
    got = subprocess.run([EXE, "run", "--sources", "-", "--warehouse", str(tmp_path / "w.duckdb"), "--staging",
                          str(tmp_path / "st")], input=yaml.safe_dump({"sources": []}), capture_output=True,
                         text=True, env=ENV, timeout=120, cwd=tmp_path)
    assert got.returncode == 2 and "not from standard input" in got.stderr, got.stderr
    assert not (tmp_path / "w.duckdb").exists()
    _sources(tmp_path, _pages(tmp_path / "p")).rename(tmp_path / "-")
    got = _cli("run", "--sources", "-", "--warehouse", str(tmp_path / "w.duckdb"), "--staging", str(tmp_path / "st"),
               cwd=tmp_path)
    assert got.returncode == 0 and "3 new" in got.stderr, got.stderr[-2000:]


def test_run_help_names_every_default_the_code_uses() -> None:
    """`run --help` named the defaults of --sources and --warehouse and not that of --staging
    ($NEWSDEDUP_STAGING, else var/staging: `config.staging_dir`)."""
    got = _cli("run", "--help")
    text = " ".join(got.stdout.split())
    for option, default in (("--sources", "$NEWSDEDUP_SOURCES or config/sources.yaml"),
                            ("--staging", "$NEWSDEDUP_STAGING or var/staging"),
                            ("--warehouse", "$NEWSDEDUP_WAREHOUSE or var/warehouse.duckdb")):
        assert f"{option} {option.upper()[2:]} " in text and default in text, (option, got.stdout)
