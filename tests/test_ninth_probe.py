"""A ninth probe: what operators and analysts touch — the command line's path options, the
environment settings, the sources file as an odd file, and the terminal the output goes to.

Real files, a real FIFO, real DuckDB files and real subprocesses of the `newsdedup` script (run on
this checkout's package: PYTHONPATH puts `plugins/` first).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from samplesources import dir_sources

from newsdedup import warehouse as wh
from newsdedup.config import ConfigError, load_sources, loads_sources
from newsdedup.pipeline import run_pipeline

ROOT = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).with_name("newsdedup"))


def _run(*args: str, env: dict[str, str] | None = None, timeout: float = 180,
         encoding: str = "utf-8") -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PYTHONPATH": str(ROOT / "plugins"), **(env or {})}
    return subprocess.run([EXE, *args], capture_output=True, encoding=encoding, timeout=timeout, env=full)


def _dir_sources(tmp: Path, name: str = "local") -> Path:
    return dir_sources(tmp, name, pages=3)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("ninth")
    run_pipeline(str(_dir_sources(tmp)), str(tmp / "w.duckdb"), str(tmp / "st"), run_id="ninth-1")
    return tmp / "w.duckdb"


# ------------------------------------------------------------------ command line: an empty path option
@pytest.mark.parametrize("option", ["--warehouse", "--sources", "--staging"])
def test_an_empty_path_option_is_refused_not_taken_for_the_default(option: str, tmp_path: Path) -> None:
    """`newsdedup run --sources test.yaml --warehouse "$W"` with W unset loaded the test sources into
    the default (production) warehouse; `--sources "$S"` ran the default sources file into the test
    warehouse. As `sql ""` is, an empty path is an error naming the option, and nothing is done."""
    cfg = _dir_sources(tmp_path)
    args = {"--sources": str(cfg), "--warehouse": str(tmp_path / "w.duckdb"), "--staging": str(tmp_path / "st")}
    args[option] = ""
    default = tmp_path / "default.duckdb"
    r = _run("run", *[x for kv in args.items() for x in kv], env={"NEWSDEDUP_WAREHOUSE": str(default),
                                                                 "NEWSDEDUP_SOURCES": str(cfg)})
    assert r.returncode == 2, r.stderr[-2000:]
    assert option in r.stderr and "empty" in r.stderr, r.stderr[-2000:]
    assert "Traceback" not in r.stderr
    assert not default.exists() and not (tmp_path / "w.duckdb").exists()


@pytest.mark.parametrize("command", [["sql", "select 1"], ["diff", "x"], ["snapshot"], ["reclean"]])
def test_an_empty_warehouse_option_is_refused_by_every_command(command: list[str], loaded: Path) -> None:
    r = _run(*command, "--warehouse", "", env={"NEWSDEDUP_WAREHOUSE": str(loaded)})
    assert r.returncode == 2, (r.stdout, r.stderr[-2000:])
    assert "--warehouse" in r.stderr and "empty" in r.stderr and "Traceback" not in r.stderr


# ------------------------------------------------------------------ environment: the readers' memory limit
@pytest.mark.parametrize("value", ["99999999TB", "9000000TB"])
def test_a_reader_memory_limit_beyond_any_machine_names_the_setting(value: str, loaded: Path) -> None:
    """99999999TB was "the warehouse is damaged ... Restore it from a backup ... or move it aside to
    start a new, empty warehouse" (DuckDB: "Memory value out of range"), about a healthy warehouse;
    9000000TB an OverflowError traceback out of setrlimit."""
    before = loaded.read_bytes()
    r = _run("sql", "select count(*) from articles", "--warehouse", str(loaded),
             env={wh.READER_MEMORY_ENV: value})
    assert r.returncode == 2, (r.stdout, r.stderr[-2000:])
    assert wh.READER_MEMORY_ENV in r.stderr and value in r.stderr, r.stderr[-2000:]
    assert "damaged" not in r.stderr and "Traceback" not in r.stderr
    assert loaded.read_bytes() == before


def test_a_reader_memory_limit_of_a_machine_size_still_works(loaded: Path) -> None:
    r = _run("sql", "select count(*) as n from articles", "--json", "--warehouse", str(loaded),
             env={wh.READER_MEMORY_ENV: "64GB"})
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == '{"n": 3}'


# ------------------------------------------------------------------ the sources file as an odd file
def test_a_sources_file_that_is_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    """A FIFO (a named pipe nobody writes to, left where the sources file was) blocked `open()` for
    ever: `newsdedup run` and the DAG's plan task hung without a word."""
    fifo = tmp_path / "sources.yaml"
    os.mkfifo(fifo)
    r = _run("run", "--sources", str(fifo), "--warehouse", str(tmp_path / "w.duckdb"),
             "--staging", str(tmp_path / "st"), timeout=60)
    assert r.returncode == 2, r.stderr[-2000:]
    assert "not a regular file" in r.stderr and str(fifo) in r.stderr
    assert not (tmp_path / "w.duckdb").exists()


def test_a_sources_file_that_is_a_device_is_refused_unread() -> None:
    with pytest.raises(ConfigError, match="not a regular file"):
        load_sources("/dev/zero")


def test_a_sources_file_reached_through_a_symlink_is_read(tmp_path: Path) -> None:
    real = _dir_sources(tmp_path)
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    assert [s.name for s in load_sources(link).sources] == ["local"]


@pytest.mark.parametrize("name", ["feed\n", "feed\r\n"])
def test_a_source_name_with_a_line_end_is_refused(name: str) -> None:
    """`^...$` let one trailing line end through (`$` matches before it): a name the file's rules
    refuse became a mapped task's label, log lines broken in two and a source "feed\\n" beside "feed"."""
    text = yaml.safe_dump({"sources": [{"name": name, "kind": "dir", "url": "/srv/x"}]})
    with pytest.raises(ConfigError, match=r"sources\[0\]\.name"):
        loads_sources(text)


# ------------------------------------------------------------------ environment: the SQL folder
@pytest.mark.parametrize("value", ["/nonexistent/sql", "relative-nothing"])
def test_a_sql_folder_without_migrations_names_the_setting(value: str, tmp_path: Path) -> None:
    """NEWSDEDUP_SQL_DIR naming no folder of migrations was a FileNotFoundError traceback out of `run`
    (and a plan task retried twice for it)."""
    cfg = _dir_sources(tmp_path)
    r = _run("run", "--sources", str(cfg), "--warehouse", str(tmp_path / "w.duckdb"),
             "--staging", str(tmp_path / "st"), env={"NEWSDEDUP_SQL_DIR": value})
    assert r.returncode == 1, r.stderr[-2000:]
    assert "NEWSDEDUP_SQL_DIR" in r.stderr and "Traceback" not in r.stderr, r.stderr[-2000:]


def test_an_empty_sql_folder_setting_is_the_default(tmp_path: Path) -> None:
    """Empty, as for every other NEWSDEDUP_* path: the default, not the current folder."""
    cfg = _dir_sources(tmp_path)
    r = _run("run", "--sources", str(cfg), "--warehouse", str(tmp_path / "w.duckdb"),
             "--staging", str(tmp_path / "st"), env={"NEWSDEDUP_SQL_DIR": ""})
    assert r.returncode == 0, r.stderr[-2000:]
    assert "new articles 3" in r.stdout


def test_the_plan_task_fails_without_retries_on_a_sql_folder_without_migrations(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from airflow.sdk.exceptions import AirflowFailException

    from newsdedup import tasks

    cfg = _dir_sources(tmp_path)
    monkeypatch.setenv("NEWSDEDUP_SQL_DIR", str(tmp_path / "nothing"))
    context = {"run_id": "manual__ninth", "params": {"sources_file": str(cfg), "warehouse": str(tmp_path / "w.duckdb"),
                                                     "staging": str(tmp_path / "st")}}
    with pytest.raises(AirflowFailException, match="NEWSDEDUP_SQL_DIR"):
        tasks.plan(context)


# ------------------------------------------------------------------ output to a terminal that is not UTF-8
@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp1252"])
def test_text_the_output_encoding_cannot_hold_is_escaped_not_a_traceback(encoding: str, loaded: Path) -> None:
    """A Windows console (cp1252) or a latin-1 locale: a stored CJK title was a UnicodeEncodeError
    traceback in the middle of the table, and the same from `--json` (its lines now use JSON's own
    \\u escapes, which any JSON reader turns back into the text)."""
    import json

    env = {"PYTHONIOENCODING": encoding}
    query = "select '日本語 ✓ 😀' as t, 'café' as u"
    r = _run("sql", query, "--warehouse", str(loaded), env=env, encoding=encoding)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr[-2000:]
    assert "\\u65e5\\u672c\\u8a9e" in r.stdout and "(1 row)" in r.stdout
    r = _run("sql", query, "--json", "--warehouse", str(loaded), env=env, encoding=encoding)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr[-2000:]
    assert json.loads(r.stdout) == {"t": "日本語 ✓ 😀", "u": "café"}


# ------------------------------------------------------------------ environment: the local stack's ports
@pytest.mark.parametrize("module, variable", [("newsdedup.demo", "NEWSDEDUP_DEMO_PORT"),
                                              ("newsdedup.localstack", "NEWSDEDUP_DEMO_PORT"),
                                              ("newsdedup.localstack", "NEWSDEDUP_AIRFLOW_PORT")])
@pytest.mark.parametrize("value", ["abc", "99999", "-1", "80.5"])
def test_a_port_setting_that_is_no_port_names_the_setting_before_anything_starts(
        module: str, variable: str, value: str, tmp_path: Path) -> None:
    """`make demo` / `make airflow` with NEWSDEDUP_DEMO_PORT=abc (or empty) was a ValueError traceback
    ("invalid literal for int()"); 99999 or -1 an OverflowError traceback out of bind(), after Airflow
    had been prepared."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins"), variable: value,
           "AIRFLOW_HOME": str(tmp_path / "airflow"), "NEWSDEDUP_WAREHOUSE": str(tmp_path / "w.duckdb")}
    r = subprocess.run([sys.executable, "-m", module], capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode != 0
    assert variable in r.stderr and "Traceback" not in r.stderr, r.stderr[-2000:]
    assert not (tmp_path / "airflow").exists()


def test_a_port_setting_empty_or_unset_is_the_default() -> None:
    from newsdedup.config import port_setting

    assert port_setting("NEWSDEDUP_X_PORT", 8765, environ={"NEWSDEDUP_X_PORT": " 9000 "}) == 9000
    assert port_setting("NEWSDEDUP_X_PORT", 8765, environ={}) == 8765
    assert port_setting("NEWSDEDUP_X_PORT", 8765, environ={"NEWSDEDUP_X_PORT": ""}) == 8765
    assert port_setting("NEWSDEDUP_X_PORT", 8765, environ={"NEWSDEDUP_X_PORT": "0"}, allow_zero=True) == 0
    with pytest.raises(ValueError, match="NEWSDEDUP_X_PORT"):
        port_setting("NEWSDEDUP_X_PORT", 8765, environ={"NEWSDEDUP_X_PORT": "0"})


# ------------------------------------------------------------------ environment: the ingest schedule
@pytest.mark.parametrize("value", ["+-5", "--5", "²", "5²"])
def test_a_schedule_of_odd_signs_or_digits_names_the_setting(value: str) -> None:
    """`str.isdigit` takes "²" and `lstrip("+-")` any run of signs: int() then failed with "invalid literal
    for int()", the DAG's import error naming no setting."""
    from newsdedup.dagdefaults import ingest_schedule

    with pytest.raises(ValueError, match="NEWSDEDUP_SCHEDULE=.*a whole number of minutes"):
        ingest_schedule(value)


# ------------------------------------------------------------------ python -m newsdedup.lshstore sweep
@pytest.mark.parametrize("hours", ["inf", "1e308", "nan", "-1", "abc"])
def test_a_sweep_grace_no_timedelta_can_hold_is_refused_with_a_message(
        hours: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`--grace-hours inf` or `1e308` was an OverflowError traceback out of timedelta (nan and -1 were
    refused, the unbounded end not)."""
    from newsdedup import lshstore

    monkeypatch.setenv("NEWSDEDUP_LSH_REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens: never reached
    with pytest.raises(SystemExit) as exited:
        lshstore.main(["sweep", "--grace-hours", hours])
    assert exited.value.code == 2
    assert "--grace-hours" in capsys.readouterr().err


def test_a_sweep_of_an_empty_warehouse_option_is_refused(monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from newsdedup import lshstore

    monkeypatch.setenv("NEWSDEDUP_LSH_REDIS_URL", "redis://127.0.0.1:1/0")
    with pytest.raises(SystemExit) as exited:
        lshstore.main(["sweep", "--warehouse", ""])
    assert exited.value.code == 2
    assert "--warehouse" in capsys.readouterr().err


# ------------------------------------------------------------------ newsdedup dedup -o: a write that fails
_LIMITED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed, as a full disk gives ENOSPC
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from newsdedup.cli import main
sys.exit(main(sys.argv[2:]))
"""


def test_dedup_output_that_cannot_be_written_whole_leaves_the_earlier_file(tmp_path: Path) -> None:
    """`dedup -o OUT.jsonl` wrote into OUT itself: a full disk (or Ctrl-C) half-way left a truncated
    OUT whose whole lines read as a smaller, valid result, and the earlier results were gone. The
    lines go to a temporary file renamed over OUT once all are written."""
    import json

    corpus = tmp_path / "c.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for i in range(300):
            fh.write(json.dumps({"id": f"doc{i}", "source": f"s{i % 7}", "url": f"http://x.example/{i}",
                                 "published": None, "title": f"story {i}",
                                 "text": f"Story number {i} says something of its own about item {i * 7}. " * 5}) + "\n")
    out = tmp_path / "out.jsonl"
    out.write_text("the earlier results\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    r = subprocess.run([sys.executable, "-c", _LIMITED, "16384", "dedup", str(corpus), "-o", str(out)],
                       capture_output=True, text=True, timeout=300, env=env)
    assert r.returncode == 1, r.stderr[-2000:]
    assert f"{out} was left as it was" in r.stderr and "Traceback" not in r.stderr, r.stderr[-2000:]
    assert out.read_text() == "the earlier results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.jsonl", "out.jsonl"]

    r = subprocess.run([sys.executable, "-c", _LIMITED, str(2**40), "dedup", str(corpus), "-o", str(out)],
                       capture_output=True, text=True, timeout=300, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    assert len(out.read_text().splitlines()) == 300
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.jsonl", "out.jsonl"]


# ------------------------------------------------------------------ a path written with ~ where no shell expands it
def test_a_path_written_with_a_tilde_means_the_home_folder(tmp_path: Path) -> None:
    """A Param, an Airflow Variable, a docker-compose or systemd environment file hands `~/w.duckdb` over
    as it is (no shell expands it): the run made a folder named `~` in the worker's current folder and
    put the warehouse there, where nobody looked for it."""
    home, cwd = tmp_path / "home", tmp_path / "cwd"
    home.mkdir()
    cwd.mkdir()
    cfg = _dir_sources(home)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins"), "HOME": str(home),
           "NEWSDEDUP_WAREHOUSE": "~/w.duckdb", "NEWSDEDUP_STAGING": "~/st"}
    r = subprocess.run([EXE, "run", "--sources", "~/sources.yaml"], capture_output=True, text=True, timeout=300,
                       env=env, cwd=cwd)
    assert r.returncode == 0, r.stderr[-2000:]
    assert not (cwd / "~").exists()
    assert (home / "w.duckdb").is_file() and (home / "st").is_dir() and cfg.is_file()
    r = subprocess.run([EXE, "sql", "select count(*) as n from articles", "--json"], capture_output=True, text=True,
                       timeout=120, env=env, cwd=cwd)
    assert r.stdout.strip() == '{"n": 3}', r.stderr[-2000:]


# ------------------------------------------------------------------ a local source given as a relative path
@pytest.mark.parametrize("url", ["pages", "../pages", "./pages", "~/pages", "file:pages"])
def test_a_local_source_at_a_relative_path_is_refused(url: str) -> None:
    """A `dir` source at `../pages` was read relative to the folder the run started in: `newsdedup run`
    from one folder read one folder, an Airflow worker (another current folder) another or none, and
    the source's state (the folder's progress, kept while the URL stays the same) carried over between
    them."""
    text = yaml.safe_dump({"sources": [{"name": "local", "kind": "dir", "url": url}]})
    with pytest.raises(ConfigError, match=r"sources\[0\]\.url: .*absolute"):
        loads_sources(text)


def test_a_local_source_at_an_absolute_path_or_file_url_is_read(tmp_path: Path) -> None:
    for url in (str(tmp_path), tmp_path.as_uri(), f"file://localhost{tmp_path}"):
        assert loads_sources(yaml.safe_dump({"sources": [{"name": "local", "kind": "dir", "url": url}]})).sources


# ------------------------------------------------------------------ the dashboard during an outage of many sources
def _outage(path: Path, sources: int, runs: int) -> None:
    """A warehouse whose every source failed (connection refused) in each of its last runs."""
    with wh.writer(path) as con:
        con.execute("""
            INSERT INTO sources SELECT 'site' || lpad(i::VARCHAR, 5, '0'), 'https://s' || i || '.example.org/rss.xml',
                   'rss', NULL, now(), 'r0', 'failed', 'ConnectError: [Errno 111] Connection refused', now()
            FROM range(?) t(i)""", [sources])
        for r in range(runs):
            con.execute("""INSERT INTO ingest_runs (run_id, started_at, finished_at, sources, sources_failed, status)
                           VALUES (?, now() - INTERVAL (?) HOUR, now(), ?, ?, 'success')""",
                        [f"r{r}", r + 1, sources, sources])
            con.execute("""
                INSERT INTO fetch_log SELECT ?, 'site' || lpad(i::VARCHAR, 5, '0'), 'feed',
                       'https://s' || i || '.example.org/rss.xml', NULL, NULL, 'connect_error', NULL, 0, 1.0, 1, now()
                FROM range(?) t(i)""", [f"r{r}", sources])
    wh.ensure_snapshot(path)


def test_the_dashboard_during_an_outage_of_many_sources_shows_a_bounded_part(tmp_path: Path) -> None:
    """Every failing source was listed twice over: in each of the last 10 runs' "fetch failures" cell
    and in "Sources failing in their last run". 5,000 sources down (a proxy, a DNS outage: when the
    page is looked at) made a page of 2.4 MB, 87,000 sources one of ~40 MB."""
    import html

    from newsdedup.dashboard import data, render

    path = tmp_path / "w.duckdb"
    _outage(path, 2000, 10)
    d = data.load(path)
    page = html.unescape(render.page(d, base="/newsdedup"))
    assert len(page.encode()) < 100_000, len(page.encode())
    assert page.count("<tr><td>site") <= data.FAILING_SOURCES_SHOWN
    assert "2,000 sources failing in their last run" in page and "site00000" in page
    # each run says how many sources failed, and how, in a few entries
    assert page.count("connect_error ×") <= 10 * data.FAILURES_PER_RUN_SHOWN
    assert page.count("… 1,995 more (2,000 failed fetches)") == 10, page[:3000]


def test_the_source_filter_of_a_deployment_of_many_sources_is_a_text_field(tmp_path: Path) -> None:
    """The filter was a drop-down of every source that has an article: 4,000 sources made 168 kB of
    <option>s on every load of the page (87,000: ~3.7 MB), a list nobody can pick from. Past
    SOURCE_OPTIONS_SHOWN it is a text field suggesting the sources the page shows; any name works."""
    import html
    import sys as _sys

    _sys.path.insert(0, str(ROOT / "tests"))
    from test_dashboard_app import _many_sources

    from newsdedup.dashboard import data, render

    path = tmp_path / "w.duckdb"
    n = data.SOURCE_OPTIONS_SHOWN + 100
    with wh.writer(path) as con:
        wh.load_run(con, tmp_path / "run", _many_sources(tmp_path / "run", n))
    wh.ensure_snapshot(path)
    page = html.unescape(render.page(data.load(path), base="/newsdedup"))
    form = page[page.index("<form"):page.index("</form>")]
    assert "<select" not in form and "<input" in form and "name='source'" in form
    assert form.count("<option") <= data.SOURCES_SHOWN
    last = f"site{n - 1:04d}"
    page = html.unescape(render.page(data.load(path, source=last), base="/newsdedup"))
    form = page[page.index("<form"):page.index("</form>")]
    assert f"value='{last}'" in form and f"{last}" in page[page.index("</form>"):]


# ------------------------------------------------------------------ a warehouse path no file can be at
@pytest.mark.parametrize("case", ["symlink loop", "under a file"])
@pytest.mark.parametrize("command", [["run"], ["sql", "select 1"], ["snapshot"]])
def test_a_warehouse_path_no_file_can_be_at_is_refused_with_a_message(case: str, command: list[str],
                                                                       tmp_path: Path) -> None:
    """A link that points at itself (through another) was a RuntimeError traceback out of `run`
    ("Symlink loop") after the sources were read; a path under a file (`/etc/passwd/w.duckdb`, a
    Variable whose folder part names a file) a FileExistsError traceback; `sql` and `snapshot` said
    "no warehouse at ... yet: run `make demo` first"."""
    if case == "symlink loop":
        (tmp_path / "a.duckdb").symlink_to(tmp_path / "b.duckdb")
        (tmp_path / "b.duckdb").symlink_to(tmp_path / "a.duckdb")
        target, said = tmp_path / "a.duckdb", "symbolic link"
    else:
        (tmp_path / "file").write_text("x")
        target, said = tmp_path / "file" / "w.duckdb", f"{tmp_path / 'file'} is a file"
    args = [*command, "--warehouse", str(target)]
    if command == ["run"]:
        args += ["--sources", str(_dir_sources(tmp_path)), "--staging", str(tmp_path / "st")]
    r = _run(*args)
    assert r.returncode in (1, 2), r.stderr[-2000:]
    assert said in r.stderr and "Traceback" not in r.stderr, r.stderr[-2000:]


@pytest.mark.parametrize("port", ["99999", "-1"])
def test_the_sample_site_given_no_port_says_so(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`python -m newsdedup.samplesite --port 99999` was an OverflowError traceback out of bind()."""
    from newsdedup import samplesite

    with pytest.raises(SystemExit) as exited:
        samplesite.main(["--port", port])
    assert exited.value.code == 2 and "--port" in capsys.readouterr().err


# ------------------------------------------------------------------ a run setting pasted with a line end
def test_a_run_setting_pasted_with_spaces_or_a_line_end_names_the_same_files(tmp_path: Path) -> None:
    """The trigger form's fields and Airflow Variables keep what was pasted: `/srv/w.duckdb\\n` made a
    new, empty warehouse named with the line end, the run loaded into it, and nobody read it (the
    dashboard and `newsdedup sql` read `/srv/w.duckdb`); a sources file " config.yaml" did not exist."""
    from newsdedup import tasks

    cfg = _dir_sources(tmp_path)
    context = {"run_id": "manual__ninth_paste", "params": {"sources_file": f" {cfg}\n", "warehouse": f"{tmp_path}/w.duckdb\n",
                                                           "staging": f"{tmp_path}/st \t"}}
    jobs = tasks.plan(context)
    assert jobs and (tmp_path / "w.duckdb").is_file() and (tmp_path / "st").is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pages", "sources.yaml", "st", "w.duckdb", "w.snapshot.duckdb"]


def test_the_dashboard_reads_the_warehouse_a_pasted_variable_names(airflow_db: Path, tmp_path: Path) -> None:
    """The run strips the `newsdedup_warehouse` Variable; the dashboard must read the same file, not
    `w.duckdb\\n` ("no warehouse yet")."""
    from airflow.models.variable import Variable

    from newsdedup.dashboard import data

    Variable.set("newsdedup_warehouse", f"  {tmp_path}/w.duckdb\n")
    try:
        assert data.dashboard_warehouse() == tmp_path / "w.duckdb"
    finally:
        Variable.delete("newsdedup_warehouse")


@pytest.mark.parametrize("value", ["61 * * * *", "@hourlyy", "* * * * * * * *x", "0 3 * * 9"])
def test_a_cron_schedule_airflow_cannot_use_names_the_setting(value: str) -> None:
    """Only the number of columns was checked: `61 * * * *` or a misspelt preset (`@hourlyy`) removed
    the ingest DAG with Airflow's own words ("is not acceptable, out of range", "Exactly 5, 6 or 7
    columns"), naming no setting."""
    from newsdedup.dagdefaults import ingest_schedule

    with pytest.raises(ValueError, match=r"NEWSDEDUP_SCHEDULE="):
        ingest_schedule(value)


@pytest.mark.parametrize("value", ["*/10 * * * *", "@hourly", "@daily", "@once", "0 3 * * 1-5"])
def test_a_cron_schedule_airflow_can_use_is_kept(value: str) -> None:
    from newsdedup.dagdefaults import ingest_schedule

    assert ingest_schedule(value) == value


# ------------------------------------------------------------------ maintenance: a link in the staging folder
def test_a_link_to_a_run_folder_in_staging_is_left_and_not_counted(tmp_path: Path) -> None:
    """A link in the staging folder to a run folder kept elsewhere (moved aside to look at it) was
    "removed" and counted: rmtree refuses a link and its error was ignored, so the log said one folder
    went while nothing did. A link is not a run folder of this staging folder: left alone, not counted."""
    from datetime import UTC, datetime, timedelta

    from newsdedup import maintenance, pipeline

    cfg = _dir_sources(tmp_path)
    w, root, aside = tmp_path / "w.duckdb", tmp_path / "staging", tmp_path / "aside"
    ref = pipeline.plan("linked", sources_file=str(cfg), staging=str(aside), warehouse=str(w))
    root.mkdir()
    (root / "linked").symlink_to(ref["run_dir"], target_is_directory=True)
    later = datetime.now(UTC) + maintenance.PENDING_KEEP + timedelta(days=1)
    assert maintenance.clean_staging(w, root, later) == 0
    assert (root / "linked").is_symlink() and Path(ref["run_dir"]).is_dir()
