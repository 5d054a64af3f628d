"""What a hostile page or feed can put in the warehouse, and what an analyst's SQL can do to a reader
(the second attacker probe, after issue 10).

- A lone UTF-16 surrogate (a `\\ud83d` escape in JSON-LD or script state, a `&#xD83D;` reference in a
  feed) once failed the whole source: pyarrow and feedparser cannot encode it. It is stored as U+FFFD.
- Terminal controls (ESC sequences, CR, BEL, C1, bidi overrides) in titles and text are stored as they
  came, and escaped wherever a command prints them for a terminal (`sql`, `diff`).
- `sql --json` writes strict JSON (no NaN/Infinity); Ctrl-C stops a running query; readers have no
  spill directory (a writable folder beside the snapshot) and a memory limit.

A real local HTTP server, the real pipeline and the installed console script.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
import yaml
from sqlshell import read_until_rows
from terminal import as_at_a_terminal

from newsdedup import warehouse as wh
from newsdedup.pipeline import run_pipeline

sys.path.insert(0, str(Path(__file__).parent / "fetch"))
from local_server import TestServer  # noqa: E402

EXE = str(Path(sys.executable).with_name("newsdedup"))
ESC = "\x1b"
# What a terminal would obey: clear the screen, set the window title, ring, return to the line start,
# a C1 CSI, a right-to-left override.
CONTROLS = (ESC, "\x07", "\r", "\x9b", "\u202e")
HOSTILE_TITLE = f"Budget {ESC}[2J{ESC}]0;pwned\x07 vote\rFAKE \u202eevil\u202c \x9b31m passes"
PARA = ("The regional council approved a budget on Tuesday that shifts money from road building to public "
        "transport, after a debate that lasted well into the night and drew hundreds of residents. ")


def _page(title: str, head: str = "", extra: str = "") -> bytes:
    return (f'<html lang="en"><head><meta charset="utf-8"><title>{title}</title>{head}</head><body><article>'
            f"<h1>{title}</h1><p>{PARA}Supporters said the plan {ESC}[1;31mwould cut commuting times.{extra}</p>"
            f"<p>{PARA * 2}</p><p>{PARA}The finance chief said it was the most ambitious plan yet.</p>"
            "</article></body></html>").encode()


LD_SURROGATE = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Lone \\ud83d surrogate '
                'headline", "author": {"@type": "Person", "name": "Ann \\udc00 Lee"}}</script>')


def _sources(tmp: Path, feed_url: str, recheck: list[int] | None = None) -> Path:
    cfg = tmp / "sources.yaml"
    settings: dict[str, object] = {"allow_private_networks": True, "retries": 0}
    if recheck is not None:
        settings["recheck_hours"] = recheck
    cfg.write_text(yaml.safe_dump({"settings": settings,
                                   "sources": [{"name": "hostile", "url": feed_url, "kind": "rss"}]}))
    return cfg


def _feed(srv: TestServer, items: list[tuple[str, str]]) -> None:
    body = "".join(f"<item><title>{t}</title><link>{srv.url(p)}</link></item>" for p, t in items)
    srv.static("/feed.xml", f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{body}'
                            "</channel></rss>", content_type="application/rss+xml")


@pytest.fixture(scope="module")
def hostile_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two runs over a site whose pages carry terminal controls; the second revises one page."""
    tmp = tmp_path_factory.mktemp("hostile")
    with TestServer() as srv:
        srv.static("/a", _page("Budget vote passes"))
        srv.static("/b", _page("Second story", extra=" \u202eevil"))
        _feed(srv, [("/a", "Budget vote"), ("/b", f"Feed {ESC}[31mtitle")])
        cfg = _sources(tmp, srv.url("/feed.xml"), recheck=[0])
        run_pipeline(str(cfg), str(tmp / "w.duckdb"), str(tmp / "st"), run_id="hostile-1")
        # a structured headline is stored without its controls (`metadata.shown_text`; until session 38 it
        # kept them), and HTML text without its own (a C0 one lxml refuses, a C1 CSI, a bidi override)
        ld = json.dumps({"@type": "NewsArticle", "headline": HOSTILE_TITLE})
        srv.static("/a", _page("Budget vote passes", head=f'<script type="application/ld+json">{ld}</script>',
                               extra=" A correction was appended \x9b31m FAKE \u202eevil\u202c."))
        run_pipeline(str(cfg), str(tmp / "w.duckdb"), str(tmp / "st"), run_id="hostile-2")
    return tmp / "w.duckdb"


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=timeout)


# ------------------------------------------------------------------------------ lone surrogates
def test_a_lone_surrogate_in_a_page_or_feed_does_not_fail_the_source(tmp_path: Path) -> None:
    with TestServer() as srv:
        srv.static("/ld", _page("Ordinary title", head=LD_SURROGATE))
        srv.static("/feed-title", _page(""))
        srv.static("/plain", _page("A plain story about the harbour"))
        _feed(srv, [("/ld", "Ld"), ("/feed-title", "Feed &#xD83D; title &#56320; here"), ("/plain", "Plain")])
        summary = run_pipeline(str(_sources(tmp_path, srv.url("/feed.xml"))), str(tmp_path / "w.duckdb"),
                               str(tmp_path / "st"))
    (source,) = summary.sources
    assert source["status"] == "ok", source
    assert source["entries"] == 3 and source["new"] == 3
    titles = dict(wh.query_rows(tmp_path / "w.duckdb", "SELECT url, title FROM articles")[1])
    assert titles[srv.url("/ld")] == "Lone \ufffd surrogate headline"
    assert titles[srv.url("/feed-title")] == "Feed \ufffd title \ufffd here"
    authors = wh.query_rows(tmp_path / "w.duckdb", "SELECT authors FROM articles WHERE url = ?", [srv.url("/ld")])
    assert authors[1] == [(["Ann \ufffd Lee"],)]


def test_extract_writes_valid_json_for_a_lone_surrogate(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(_page("Ordinary title", head=LD_SURROGATE))
    proc = _run("extract", str(page), "--url", "http://127.0.0.1/ld")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    record = json.loads(proc.stdout)
    assert record["title"] == "Lone \ufffd surrogate headline" and record["authors"] == ["Ann \ufffd Lee"]



def test_dedup_writes_valid_json_for_a_lone_surrogate(tmp_path: Path) -> None:
    """A corpus line escaping half a character crashed `newsdedup dedup` after all its work."""
    text = (PARA + "The mayor said \ud83d it would pass next year at the latest. ") * 3
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"id": i, "source": s, "published": "2026-11-01T00:00:00Z",
                                          "title": "Budget \ud83d", "text": text}) + "\n"
                              for i, s in (("a", "one"), ("b", "two"))))
    proc = _run("dedup", str(corpus))
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [x["duplicate_kind"] for x in lines] == ["canonical", "exact"]
    assert any("\ufffd" in s["text"] for s in lines[0]["repeated_sentences"])


# ------------------------------------------------------------------------- control characters
@pytest.mark.parametrize("control", [c for c in map(chr, range(32)) if c not in "\t\n\r"])
def test_a_control_character_in_a_paragraph_does_not_lose_the_article(control: str) -> None:
    """One form feed, vertical tab or escape in a paragraph made the whole page `no_main_text`."""
    from newsdedup.clean import extract

    ex = extract(_page("Council budget", extra=f" Tabled{control}today."), "http://127.0.0.1/a")
    assert ex.error is None and len(ex.paragraphs) == 3, (ex.error, ex.paragraphs)
    assert "Tabled" in ex.text and "today." in ex.text
    assert not any(c in ex.text for c in map(chr, range(32)) if c not in "\t\n\r")


# ----------------------------------------------------------------------- terminal output
def _no_controls(text: str) -> None:
    for c in CONTROLS:
        assert c not in text, (c, text[:2000])


# A value with every control of CONTROLS, made by the query (titles and bylines are stored without them, the
# text without its C0 ones; a warehouse written before session 38 holds such titles)
RAW = "'Budget ' || chr(27) || '[2J' || chr(27) || ']0;pwned' || chr(7) || ' vote' || chr(13) || 'FAKE ' || chr(155) || '31m ' || chr(8238)"


def test_sql_escapes_terminal_controls_and_json_keeps_the_data(hostile_warehouse: Path) -> None:
    w = str(hostile_warehouse)
    proc = _run("sql", f"SELECT text, title, {RAW} AS raw FROM articles ORDER BY title", "--warehouse", w)
    assert proc.returncode == 0, proc.stderr
    _no_controls(proc.stdout)
    assert "\\x1b[2J" in proc.stdout and "\\x9b31m" in proc.stdout and "\\u202e" in proc.stdout
    # --json gives a value back exactly; a title is stored without its controls and bidi override
    # (`metadata.shown_text`; the lock holder's below still shows escaping)
    proc = _run("sql", f"SELECT title, text, {RAW} AS raw FROM articles ORDER BY title", "--warehouse", w, "--json")
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert all(r["raw"].startswith(f"Budget {ESC}[2J{ESC}]0;pwned\x07 vote\rFAKE \x9b31m") for r in rows), rows
    assert "Budget [2J]0;pwned vote FAKE evil 31m passes" in [r["title"] for r in rows], rows
    # an error message quoting a value is escaped too
    proc = _run("sql", f"SELECT ({RAW})::INTEGER FROM articles", "--warehouse", w)
    assert proc.returncode == 1 and proc.stderr.startswith("newsdedup sql: ")
    _no_controls(proc.stderr)


def test_diff_escapes_terminal_controls(hostile_warehouse: Path) -> None:
    (aid,), = wh.query_rows(hostile_warehouse, "SELECT article_id FROM articles WHERE url LIKE '%/a'")[1]
    proc = _run("diff", aid, "--warehouse", str(hostile_warehouse))
    assert proc.returncode == 0, proc.stderr
    assert "=== revision 1 -> 2" in proc.stdout
    _no_controls(proc.stdout)
    # nothing of a page's is stored with controls any more (the `sql` tests show the escaping): the title's
    # change is shown as stored
    assert "Budget [2J]0;pwned vote FAKE evil 31m passes" in proc.stdout and "FAKE evil." in proc.stdout


def test_shell_escapes_terminal_controls(hostile_warehouse: Path) -> None:
    proc = subprocess.run([EXE, "sql", "--warehouse", str(hostile_warehouse)], capture_output=True, text=True,
                          timeout=120, input=f"SELECT title, {RAW} AS raw FROM articles ORDER BY title;\n"
                                             f"SELECT ({RAW})::INTEGER FROM articles;\n")
    assert proc.returncode == 1, proc.stderr  # a script whose second statement failed
    _no_controls(proc.stdout + proc.stderr)
    assert "\\x1b[2J" in proc.stdout and "Conversion Error" in proc.stdout


# ------------------------------------------------------------------------------ JSON output
def test_sql_json_is_strict_json(hostile_warehouse: Path) -> None:
    proc = _run("sql", "SELECT 'nan'::DOUBLE AS a, 'inf'::DOUBLE AS b, '-inf'::FLOAT AS c, 1.5::DOUBLE AS d, "
                       "['nan'::DOUBLE, 2.0] AS e, {'x': 'inf'::DOUBLE} AS f", "--warehouse", str(hostile_warehouse),
                "--json")
    assert proc.returncode == 0, proc.stderr

    def strict(constant: str) -> None:
        raise ValueError(f"not JSON: {constant}")

    assert json.loads(proc.stdout, parse_constant=strict) == {"a": None, "b": None, "c": None, "d": 1.5,
                                                             "e": [None, 2.0], "f": {"x": None}}


# ------------------------------------------------------------------ runaway queries, limits
RUNAWAY = "SELECT count(*) FROM range(100000000000000) a"


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100


def _wait_busy(proc: subprocess.Popen[str], seconds: float = 3.0) -> None:
    """Until the process has spent `seconds` of CPU: it is inside the query, not starting up."""
    deadline = time.monotonic() + 60
    while _cpu_seconds(proc.pid) < seconds:
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.2)


def test_ctrl_c_stops_a_running_query(hostile_warehouse: Path) -> None:
    proc = subprocess.Popen([EXE, "sql", RUNAWAY, "--warehouse", str(hostile_warehouse)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=as_at_a_terminal)
    try:
        _wait_busy(proc)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, (proc.returncode, err)
    assert "interrupted" in err and "Traceback" not in err


def test_ctrl_c_in_the_shell_stops_the_query_and_keeps_the_prompt(hostile_warehouse: Path) -> None:
    shell = subprocess.Popen([EXE, "sql", "--warehouse", str(hostile_warehouse)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=as_at_a_terminal)
    lines: list[str] = []
    try:
        shell.stdin.write(RUNAWAY + ";\n")
        shell.stdin.flush()
        _wait_busy(shell)
        shell.send_signal(signal.SIGINT)
        shell.stdin.write("SELECT 6 * 7 AS answer;\n")
        shell.stdin.flush()
        read_until_rows(shell, lines)
        shell.stdin.close()
        shell.wait(timeout=60)
    finally:
        if shell.poll() is None:
            shell.kill()
            shell.wait()
    text = "".join(lines)
    assert "interrupted" in text and "42" in text, text
    assert shell.returncode == 1  # fed by a pipe, the interrupted statement counts as one that did not run


def test_readers_have_no_writable_spill_folder_and_a_memory_limit(hostile_warehouse: Path) -> None:
    spill = Path(str(wh.snapshot_path(hostile_warehouse)) + ".tmp")
    spill.mkdir(exist_ok=True)  # what a spilling query (or a crash during one) leaves beside the snapshot
    try:
        proc = _run("sql", f"COPY (SELECT 1 AS x) TO '{spill}/planted.csv'", "--warehouse", str(hostile_warehouse))
        assert proc.returncode == 1 and "refused" in proc.stderr, proc.stderr
        assert list(spill.iterdir()) == []
    finally:
        spill.rmdir()
    with wh.reader(hostile_warehouse) as con:
        temp, allowed = con.execute("SELECT current_setting('temp_directory'), "
                                    "current_setting('allowed_directories')").fetchone()
        assert temp == "" and allowed == []
        limit = con.execute("SELECT memory_limit FROM pragma_database_size()").fetchone()[0]
    assert limit != duckdb.connect().execute("SELECT memory_limit FROM pragma_database_size()").fetchone()[0]
    # a query (or a temporary table) that needs more than the limit gets a message that says what
    # to do, not a traceback
    env_limit = {"NEWSDEDUP_READER_MEMORY_LIMIT": "100MB"}
    proc = subprocess.run([EXE, "sql", "CREATE TEMP TABLE big AS SELECT i, repeat('x', 100) AS s FROM range(10000000) t(i)",
                           "--warehouse", str(hostile_warehouse)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **env_limit})
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "Out of Memory" in proc.stderr and "NEWSDEDUP_READER_MEMORY_LIMIT" in proc.stderr, proc.stderr



# ----------------------------------------------------------------------------------- dashboard
def test_dashboard_links_only_http_and_escapes_every_stored_value() -> None:
    """The dashboard page (rendered as the plugin serves it) with hostile values everywhere: no markup
    gets through, and only http(s) URLs become links."""
    import re
    from datetime import UTC, datetime

    from newsdedup.dashboard import render
    from newsdedup.dashboard.data import Cluster, Dashboard, Member, Revision

    tag = "<script>alert(1)</script>"
    urls = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "\tjavascript:alert(1)",
            "data:text/html,<script>alert(1)</script>", "vbscript:x", "//evil.example/x",
            'http://x.example/" onmouseover="alert(1)', "https://x.example/'><b>x</b>"]
    members = [Member(source=f"s'>{tag}", title=f"<img src=x onerror=alert(1)> {u}", url=u, published_at=None,
                      fetched_at=None, role=f"near'>{tag}", similarity=0.9) for u in urls]
    d = Dashboard(
        warehouse=Path(f"/tmp/{tag}"), state="ok", sources=[f"a'>{tag}"], source_filter=f"a'>{tag}",
        clusters=[Cluster(cluster_id=f"c'\">{tag}", size=2, sources=1, canonical_title=f"</title>{tag}",
                          canonical_source=tag, first_published_at=None, members=members)],
        runs=[{"run_id": tag, "status": f"failed'>{tag}", "finished_at": None, "sources": 1, "sources_failed": 0,
               "entries": 0, "articles_new": 0, "exact_duplicates": 0, "near_duplicates": 0}],
        failures={tag: [(tag, tag, 1)]}, source_status=[(tag, "failed", tag, tag)],
        revisions=[Revision(f"a'{tag}", tag, 2, datetime.now(UTC), 1.0, tag, tag, True, 1, 1,
                            [f"-{tag}", "+<a href='javascript:x'>x</a>"])],
        daily=[(tag, 1, 1, 0.5)], per_source=[(tag, 1, 1, 1, 0, 0.5)], sentences=[(tag, 1, 1, 1, 1, tag)],
        boilerplate=[(tag, tag, 1, 1, 1.0)])
    page = render.page(d, base="/newsdedup")
    assert "<script" not in page.lower() and "<img" not in page and "<b>" not in page
    hrefs = re.findall(r"href=[\"']([^\"']*)", page)
    assert hrefs == ["http://x.example/&quot; onmouseover=&quot;alert(1)",
                     "https://x.example/&#x27;&gt;&lt;b&gt;x&lt;/b&gt;"], hrefs
    # every tag in the page is one the renderer writes itself
    assert set(re.findall(r"<([a-z0-9]+)", page)) <= {
        "html", "head", "meta", "title", "style", "body", "h1", "h2", "div", "form", "label", "select", "option",
        "button", "section", "svg", "line", "text", "rect", "details", "summary", "b", "span", "table", "tr", "th",
        "td", "a", "pre", "p", "code"}


def test_an_extension_that_would_be_installed_is_refused_with_the_reason(hostile_warehouse: Path) -> None:
    """DuckDB tries to install a known extension a function needs; the sandbox stops it at the
    extension folder. The refusal once showed only DuckDB's first line, which ends in a stray quote."""
    proc = _run("sql", "SELECT * FROM iceberg_scan('/tmp')", "--warehouse", str(hostile_warehouse))
    assert proc.returncode == 1 and proc.stderr.startswith("newsdedup sql: refused: ")
    first = proc.stderr.splitlines()[0]
    assert "iceberg" in first and "file system operations are disabled" in first, first


def test_the_lock_holders_command_line_is_printed_escaped(tmp_path: Path) -> None:
    """The writer-lock message quotes the holder's command line (any local process's); it must not
    reach a terminal or a log with its control characters."""
    sys.path.insert(0, str(Path(__file__).parent))
    from lockholder import holding_the_lock

    warehouse = tmp_path / "w.duckdb"
    with wh.writer(warehouse, patience=0):
        pass
    with (holding_the_lock(warehouse, label=f"session{ESC}[2J{ESC}]0;owned\x07\rFORGED\u202e"),
          pytest.raises(wh.WarehouseLocked) as err, wh.writer(warehouse, patience=0)):
        pass
    message = str(err.value)
    assert "session\\x1b[2J\\x1b]0;owned\\x07 FORGED\\u202e" in message, message
    _no_controls(message)
