"""The twelfth probe of what operators and analysts type (session 38): path options and settings the
file system or DuckDB cannot take (names too long, other digits, a CR from an environment file, glob
characters in a staging folder, Redis URL timeouts), inputs without end given to `dedup` and
`extract --manifest`, `extract --url`, YAML's own reading of unquoted names, and the `newsdedup sql`
sandbox's messages and streams. Each test of a
fix failed on the code before it; the `test_held_*` ones record attacks that already held.

Real files, real devices (/dev/zero), a real DuckDB warehouse and the `newsdedup` command called as a
user calls it (in process through `cli.main`, or as the installed script with PYTHONPATH at this
checkout's `plugins/`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from samplesources import dir_sources
from terminal import as_at_a_terminal

from newsdedup import cli
from newsdedup import warehouse as wh
from newsdedup.config import ConfigError, loads_sources
from newsdedup.pipeline import run_pipeline

ROOT = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).with_name("newsdedup"))
# One name past the 255 bytes a file or folder name may have; a path past the 4,095 bytes of a path.
LONG_NAME = "n" * 300
LONG_PATH = "/tmp/" + "d/" * 2100 + "w.duckdb"


def _run(*args: str, env: dict[str, str] | None = None, timeout: float = 120, **kw: object
         ) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PYTHONPATH": str(ROOT / "plugins"), **(env or {})}
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=timeout, env=full, **kw)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("twelfth")
    run_pipeline(str(dir_sources(tmp, "local", pages=3)), str(tmp / "w.duckdb"), str(tmp / "st"), run_id="twelfth-1")
    return tmp / "w.duckdb"


def _main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:  # argparse, and the commands that exit with their message
        code = exc.code if isinstance(exc.code, int) else (print(exc.code, file=sys.stderr) or 1)
    got = capsys.readouterr()
    return code, got.out, got.err


# ------------------------------------------------------------------ 1. a path no file system can hold
@pytest.mark.parametrize("path", [f"/tmp/{LONG_NAME}/w.duckdb", LONG_PATH], ids=["long_name", "long_path"])
def test_a_warehouse_path_too_long_for_any_file_is_refused_by_every_command(
        path: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A name past 255 bytes (or a path past 4,095) is ENAMETOOLONG from the first stat: `sql`, `snapshot`,
    `diff`, `reclean` and `run` were an OSError traceback (`run` after reading its sources file; in the
    plan task a plain failure, retried twice), and the dashboard, whose Variable named it, a 500."""
    from newsdedup.dashboard import data as dashboard_data

    sources = dir_sources(tmp_path, "local", pages=1)
    for argv in (["sql", "select 1"], ["snapshot"], ["diff", "x"], ["reclean"],
                 ["run", "--sources", str(sources), "--staging", str(tmp_path / "st")]):
        code, _, err = _main(capsys, *argv, "--warehouse", path)
        assert code in (1, 2), (argv, code, err)
        assert "cannot name a file" in err and "Traceback" not in err, (argv, err)
        assert len(err) < 1000, err  # the path is shortened in the message, not printed whole
    assert not (tmp_path / "st").exists()
    shown = dashboard_data.load(Path(path))
    assert shown.state == "unavailable" and "cannot name a file" in (shown.problem or "")


def test_the_plan_task_fails_without_retries_on_a_path_too_long(tmp_path: Path) -> None:
    from airflow.sdk.exceptions import AirflowFailException

    from newsdedup import tasks

    sources = dir_sources(tmp_path, "local", pages=1)
    for params, word in (({"warehouse": f"/tmp/{LONG_NAME}/w.duckdb", "staging": str(tmp_path / "st")}, "warehouse"),
                         ({"warehouse": str(tmp_path / "w.duckdb"), "staging": f"{tmp_path}/{LONG_NAME}"}, "staging")):
        context = {"run_id": "manual__twelfth", "params": {"sources_file": str(sources), **params}}
        with pytest.raises(AirflowFailException, match=f"the {word} (path|folder) .* cannot"):
            tasks.plan(context)


def test_a_staging_folder_too_long_for_any_file_is_refused_before_anything_is_fetched(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sources = dir_sources(tmp_path, "local", pages=1)
    for staging in (f"{tmp_path}/{LONG_NAME}", str(tmp_path) + "/s" * 2100):
        code, _, err = _main(capsys, "run", "--sources", str(sources), "--warehouse", str(tmp_path / "w.duckdb"),
                             "--staging", staging)
        assert code == 1 and "the staging folder" in err and "nothing was fetched" in err, err
        assert "Traceback" not in err and len(err) < 1000
    assert not (tmp_path / "w.raw").exists()


def test_dedup_paths_too_long_for_any_file_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "one two three"}\n')
    for argv in ([f"{tmp_path}/{LONG_NAME}"], [str(corpus), "-o", f"{tmp_path}/{LONG_NAME}"]):
        code, out, err = _main(capsys, "dedup", *argv)
        assert code == 2 and "cannot name a file" in err and "Traceback" not in err, err
        assert out == ""


# ------------------------------------------------------------------ 2. inputs without end
def test_dedup_of_an_input_without_line_ends_stops_with_a_message(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`newsdedup dedup /dev/zero` (or any input without a line end) read one line until the host's
    memory ran out, without a word. A line past 64 Mi characters stops the command saying so; nothing
    is written (with -o, OUT is left as it was)."""
    out_file = tmp_path / "out.jsonl"
    out_file.write_text("earlier\n")
    for argv in (["/dev/zero"], ["/dev/zero", "-o", str(out_file)]):
        code, out, err = _main(capsys, "dedup", *argv)
        assert code == 1 and "/dev/zero:1: a line of more than" in err and "nothing was written" in err, err
        assert out == ""
    assert out_file.read_text() == "earlier\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]  # no temporary file left


def test_extract_of_a_manifest_without_end_stops_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    """`extract --manifest /dev/zero` was read whole, until memory ran out."""
    code, out, err = _main(capsys, "extract", "--manifest", "/dev/zero")
    assert code == 1 and "manifest /dev/zero is larger than 64 MB" in err, err
    assert out == ""


# ------------------------------------------------------------------ 3. settings in other digits
@pytest.mark.parametrize("value", ["١٢GB", "４GB", "4\nGB"])
def test_a_reader_memory_limit_in_other_digits_names_the_setting_not_damage(
        value: str, loaded: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`\\d` took Arabic-Indic and full-width digits; DuckDB refused the size ("Memory must have a
    number"), and the check read that as a damaged warehouse: "Restore it from a backup, or ... `cp` the
    snapshot over" a healthy file."""
    before = loaded.read_bytes()
    monkeypatch.setenv(wh.READER_MEMORY_ENV, value)
    code, _, err = _main(capsys, "sql", "select count(*) from articles", "--warehouse", str(loaded))
    assert code == 2 and wh.READER_MEMORY_ENV in err and repr(value) in err, err
    assert "damaged" not in err and "cp " not in err
    assert loaded.read_bytes() == before


# ------------------------------------------------------------------ 4. YAML's reading of unquoted names
@pytest.mark.parametrize(("written", "read_as"), [
    ("on", "true"), ("No", "false"), ("012", "the number 10"), ("12:30", "the number 750"),
    ("2026-03-08", "the date 2026-03-08"), ("~", "null"),
])
def test_a_name_yaml_reads_as_another_type_says_so_and_how_to_quote_it(written: str, read_as: str) -> None:
    """`name: on` was "must be a string, not True", `name: 12:30` "not 750": values the file never
    shows, for names an operator wrote as they are (a source called `on`, a bureau called `0800`)."""
    text = f"sources:\n  - name: {written}\n    url: https://example.org/rss.xml\n"
    with pytest.raises(ConfigError) as exc:
        loads_sources(text)
    assert f"sources[0].name: must be a string, and YAML read the value written here without quotes as {read_as}" \
        in str(exc.value)
    assert 'put it in quotes (name: "...")' in str(exc.value)
    if written not in ("12:30", "~"):  # names of letters, digits, '.', '_' and '-': quoted, they are read
        quoted = loads_sources(f"sources:\n  - name: '{written}'\n    url: https://example.org/rss.xml\n")
        assert quoted.sources[0].name == written


# ------------------------------------------------------------------ 5. the sql sandbox's messages
def test_duckdbs_advice_to_set_a_limit_says_readers_cannot(loaded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A statement nested 1,000 deep: DuckDB says 'Use "SET max_expression_depth TO x"', a statement
    the sandbox refuses; the message now says to change the statement instead."""
    query = "select " + "(" * 1200 + "1" + ")" * 1200
    code, _, err = _main(capsys, "sql", query, "--warehouse", str(loaded))
    assert code == 1 and "max_expression_depth" in err
    assert "Readers cannot change settings" in err and "nest less" in err, err


# ------------------------------------------------------------------ 6. --json into a pipe nobody reads
@pytest.mark.parametrize("stop_by", ["time_limit", "ctrl_c"])
def test_json_rows_into_a_stalled_pipe_still_stop_at_the_time_limit_or_ctrl_c(
        stop_by: str, loaded: Path, tmp_path: Path) -> None:
    """`sql --json` into a consumer that stopped reading (a stalled pipe) blocked in write() on the
    query's thread, which neither DuckDB's interrupt nor the time limit reaches: the command hung for
    ever, holding its reader of the snapshot. The output now waits for room in short steps and gives up
    once the statement is interrupted."""
    import signal

    err_file = tmp_path / "err.txt"
    with open(err_file, "w") as err:
        proc = subprocess.Popen(
            [EXE, "sql", "select range, 'some text to fill the pipe' as t from range(100000000)", "--json",
             "--time-limit", "2" if stop_by == "time_limit" else "0", "--warehouse", str(loaded)],
            stdout=subprocess.PIPE, stderr=err, env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")},
            preexec_fn=as_at_a_terminal)
    try:
        assert proc.stdout is not None
        assert proc.stdout.read(1) == b"{"  # the rows have started, then nobody reads: the pipe fills
        if stop_by == "ctrl_c":
            proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=90)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()  # type: ignore[union-attr]
    said = err_file.read_text()
    if stop_by == "time_limit":
        assert code == 1 and "stopped at its time limit of 2 s" in said, said
    else:
        assert code == 130 and "interrupted" in said, said
    assert "Traceback" not in said


# ------------------------------------------------------------------ held: what already resisted
@pytest.mark.parametrize("statement", [
    "select * from '/etc/passwd'",                           # a replacement scan of a file
    "select * from query('select * from read_text(''/etc/passwd'')')",  # a file read inside query()
    "select * from duckdb_secrets()",
    "select * from glob('/etc/*')",
    "create macro m(x) as x + 1",                            # a macro would be stored in the snapshot
    "create schema s",
    "attach ':memory:' as m; copy (select 1) to '/tmp/twelfth-probe.csv'",
    "reset memory_limit",
    "/* select */ install httpfs",
])
def test_held_sandbox_escapes_of_the_twelfth_probe_are_refused_or_find_nothing(
        statement: str, loaded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = loaded.read_bytes(), wh.snapshot_path(loaded).read_bytes()
    code, out, err = _main(capsys, "sql", statement, "--warehouse", str(loaded))
    assert code == 1 and "Traceback" not in err, (code, out, err)
    assert "root:" not in out + err
    assert (loaded.read_bytes(), wh.snapshot_path(loaded).read_bytes()) == before
    assert not Path("/tmp/twelfth-probe.csv").exists()


def test_held_temporary_tables_and_query_of_the_snapshots_own_tables_work(
        loaded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _main(capsys, "sql", "create temp table t as select source from articles; "
                           "select count(*) as n from query('select * from t')", "--json", "--warehouse", str(loaded))
    assert code == 0 and out == '{"n": 3}\n', err


@pytest.mark.parametrize("content", [b"", b"not a database\n"], ids=["zero_bytes", "text"])
def test_held_a_warehouse_file_of_zero_bytes_or_text_is_named_as_damaged_and_left_alone(
        content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    w = tmp_path / "w.duckdb"
    w.write_bytes(content)
    for argv in (["sql", "select 1"], ["snapshot"]):
        code, _, err = _main(capsys, *argv, "--warehouse", str(w))
        assert code == 2 and str(w) in err and "damaged" in err and "move it aside" in err, err
    assert w.read_bytes() == content and sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb"]


def test_held_revision_numbers_past_any_integer_are_unknown_revisions(
        loaded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _main(capsys, "sql", "select article_id from articles limit 1", "--json", "--warehouse", str(loaded))
    article = out.split('"')[3]
    for flag in ("--from", "--to"):
        code, _, err = _main(capsys, "diff", article, flag, "99999999999999999999", "--warehouse", str(loaded))
        assert code == 2 and "has revisions 1" in err and "Traceback" not in err, err


def test_held_a_sources_file_path_too_long_is_a_config_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _main(capsys, "run", "--sources", f"{tmp_path}/{LONG_NAME}.yaml", "--warehouse",
                         str(tmp_path / "w.duckdb"), "--staging", str(tmp_path / "st"))
    assert code == 2 and "cannot be read: File name too long" in err, err


# ------------------------------------------------------------------ 7. Redis URL timeouts
@pytest.mark.parametrize("query", ["socket_timeout=nan", "socket_timeout=-1", "socket_timeout=1e400",
                                   "socket_timeout=inf", "socket_timeout=0", "socket_connect_timeout=nan"])
def test_a_redis_url_timeout_that_is_no_time_names_the_setting(query: str, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """`?socket_timeout=nan`, `-1` or `1e400` passed the settings check and was a ValueError or
    OverflowError traceback out of the socket at the first connection (the dedup task retried it);
    `inf` and 0 let a Redis that never answers hang the task. Refused when the settings are read, before
    any connection (no server needed to see it), naming the setting; `newsdedup run` exits 1 saying so."""
    from newsdedup.lshstore import ENV_URL, LSHSettingsError, RedisLSHSettings

    url = f"redis://127.0.0.1:1/0?{query}"
    with pytest.raises(LSHSettingsError, match=rf"{ENV_URL}=.*{query.split('=')[0]}=.*above 0 and at most 3600"):
        RedisLSHSettings.from_env({ENV_URL: url})
    assert RedisLSHSettings.from_env({ENV_URL: "redis://127.0.0.1:1/0?socket_timeout=2.5"}) is not None


def test_the_run_with_a_redis_url_timeout_that_is_no_time_stops_with_the_message(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Against a real redis-server: the connection is made, then the socket refused the timeout (a
    ValueError traceback out of `run`)."""
    from scale.services import redis_server

    sources = dir_sources(tmp_path, "local", pages=1)
    try:
        server = redis_server(tmp_path / "redis")
        redis = server.__enter__()
    except Exception as exc:  # noqa: BLE001 - no redis-server here
        pytest.skip(f"redis-server is not available here: {exc}")
    try:
        monkeypatch.setenv("NEWSDEDUP_LSH_REDIS_URL", f"{redis.url}?socket_timeout=nan")
        code, _, err = _main(capsys, "run", "--sources", str(sources), "--warehouse", str(tmp_path / "w.duckdb"),
                             "--staging", str(tmp_path / "st"))
    finally:
        server.__exit__(None, None, None)
    assert code == 1 and "socket_timeout=nan" in err and "Traceback" not in err, err


# ------------------------------------------------------------------ 8. extract --url
@pytest.mark.parametrize("url", ["javascript:alert(1)", "http://exa mple.com/", "http://[::1", "example.org/story", ""])
def test_an_extract_url_no_page_can_have_is_refused_with_exit_2(url: str, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """`--url 'javascript:alert(1)'` came out as the record's canonical_url (and `http://exa mple.com/`
    as `http://exa mple.com/x`): URLs no reader of the records can use, from a slip on the command line."""
    page = tmp_path / "p.html"
    page.write_text('<html><head><title>T</title><link rel="canonical" href="/x"></head><body><p>Text.</p></body></html>')
    code, out, err = _main(capsys, "extract", str(page), "--url", url)
    assert code == 2 and "argument --url: must be the pages' http(s) or file URL" in err, err
    assert out == ""
    code, out, _ = _main(capsys, "extract", str(page), "--url", "https://wire.example/story")
    assert code in (0, 1) and '"canonical_url": "https://wire.example/x"' in out


# ------------------------------------------------------------------ 9. path settings with a CR or spaces
def test_path_settings_from_an_environment_file_with_windows_line_ends_name_the_same_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """An environment file saved with Windows line ends (compose `env_file:`, a systemd EnvironmentFile)
    gives `NEWSDEDUP_WAREHOUSE=/srv/w.duckdb\\r`: a new, empty warehouse named with the CR that the runs
    loaded into, and nobody read (the run's Params and Variables were already stripped, the environment
    was not)."""
    from newsdedup.config import default_sources_file, staging_dir, warehouse_path

    sources = dir_sources(tmp_path, "local", pages=2)
    monkeypatch.setenv("NEWSDEDUP_WAREHOUSE", f"{tmp_path}/w.duckdb\r")
    monkeypatch.setenv("NEWSDEDUP_STAGING", f" {tmp_path}/st\r\n")
    monkeypatch.setenv("NEWSDEDUP_SOURCES", f"{sources}\r")
    assert (warehouse_path(), staging_dir(), default_sources_file()) == (tmp_path / "w.duckdb", tmp_path / "st", sources)
    code, _, err = _main(capsys, "run")
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pages", "sources.yaml", "st", "w.duckdb", "w.raw",
                                                          "w.snapshot.duckdb"]
    code, out, err = _main(capsys, "sql", "select count(*) as n from articles", "--json")
    assert code == 0 and out == '{"n": 2}\n', err


# ------------------------------------------------------------------ 10. a staging folder named like a glob
@pytest.mark.parametrize("staging", ["st*", "st?", "st[X]"])
def test_a_staging_folder_named_with_glob_characters_loads_its_own_batches_only(staging: str, tmp_path: Path) -> None:
    """DuckDB's read_parquet reads a path as a glob: the load of a run staged under `st*` (or `st?`, `st[X]`)
    also read the batches of the same run id under `stX`, another deployment's staging beside it, and
    loaded that deployment's articles into this warehouse."""
    import duckdb

    other, own = tmp_path / "other", tmp_path / "own"
    other.mkdir()
    own.mkdir()
    run_pipeline(str(dir_sources(other, "local", pages=3)), str(other / "w.duckdb"), str(tmp_path / "stX"),
                 run_id="nightly")
    run_pipeline(str(dir_sources(own, "local", pages=1)), str(own / "w.duckdb"), str(tmp_path / staging),
                 run_id="nightly")
    con = duckdb.connect(str(own / "w.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*) from articles").fetchone()[0] == 1
        assert con.execute("select count(*) from fetch_log").fetchone()[0] == 1
    finally:
        con.close()
