"""The `newsdedup` command line: run, extract, dedup, sql, diff, snapshot, reclean.

Outputs are stable JSON / JSONL (see DESIGN.md "Interfaces besides Airflow"); human summaries go to
stderr so stdout stays machine-readable.
"""

from __future__ import annotations

import argparse
import csv
import errno
import io
import json
import logging
import math
import os
import re
import select
import stat
import sys
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from time import monotonic
from typing import Any, TextIO

from newsdedup.terminal import UNSAFE_CODES, clip, display_width, printable, quoted, show_paths_as_bytes

log = logging.getLogger("newsdedup")


class OutputError(Exception):
    """Writing a command's output failed (a full disk, `> /dev/full`, a vanished mount)."""

    def __init__(self, name: str, exc: OSError, opening: bool = False, kept: bool = False) -> None:
        what = ("nothing was written" if opening else f"{name} was left as it was" if kept
                else "what was written is incomplete")
        super().__init__(f"cannot write its output to {name} ({exc.strerror or exc}); {what}")
        self.cause = exc


class CheckedOutput:
    """A text stream whose write errors are an OutputError naming it: an OSError out of `out.write`
    was a traceback, and one caught for the input file's (`dedup -o`) blamed the corpus."""

    def __init__(self, stream: TextIO | None, name: str) -> None:
        self._stream, self.name = stream, name

    def write(self, text: str) -> int:
        if self._stream is None:  # started with it closed (`>&-`): was an AttributeError traceback
            raise OutputError(self.name, OSError(errno.EBADF, "it was closed when the command started"),
                              opening=True)
        return self._checked(self._stream.write, text)

    def flush(self) -> None:
        if self._stream is not None:
            self._checked(self._stream.flush)

    def _checked(self, call: Any, *args: Any) -> Any:
        try:
            return call(*args)
        except BrokenPipeError:  # `| head`: the reader has all it wants, not an error
            raise
        except OSError as exc:
            raise OutputError(self.name, exc) from None

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._stream, attr)


def holds_unicode(stream: Any) -> bool:
    """Whether `stream` can write every character: its encoding is a UTF (or it has none, a StringIO)."""
    import codecs

    encoding = getattr(stream, "encoding", None)
    if not isinstance(encoding, str):
        return True
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


class JsonLines:
    """JSON lines for an output that cannot hold every character (a cp1252 console, a latin-1 locale,
    PYTHONIOENCODING=ascii): every character past ASCII written as JSON's own `\\u` escape, which a JSON
    reader turns back into the text (past ASCII, a character can only stand inside a JSON string)."""

    def __init__(self, out: TextIO) -> None:
        self._out = out

    def write(self, text: str) -> int:
        return self._out.write(_NON_ASCII.sub(lambda m: json.dumps(m.group(0))[1:-1], text))

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._out, attr)


class PacedOutput:
    """A text stream over standard output, when that is a pipe, a socket or a terminal, that never
    blocks for long: it writes what the reader can take at once (PIPE_BUF bytes when select says there is
    room) and, while it waits for room, gives up with OutputStopped once `stop` is set. `sql --json`
    into a pipe nobody reads (a stalled consumer) blocked in write() for ever, where neither the time
    limit nor Ctrl-C reached it. Other outputs (a regular file, a test's capture) are written as they are."""

    def __init__(self, out: TextIO, stop: threading.Event) -> None:
        self._out, self._stop = out, stop
        # Seconds a write may wait without the reader taking a byte before it gives up (`output_deadline`).
        self.idle_limit: float | None = None
        self._fd: int | None = None
        self._name = getattr(out, "name", "standard output")
        with suppress(AttributeError, OSError, ValueError, io.UnsupportedOperation):
            fd = out.fileno()
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                out.flush()  # nothing is left in Python's buffer to come after these bytes
                self._fd = fd
        self.encoding: str = getattr(out, "encoding", None) or "utf-8"
        self.errors: str = getattr(out, "errors", None) or "strict"

    def write(self, text: str) -> int:
        if self._fd is None:
            return self._out.write(text)
        view = memoryview(text.encode(self.encoding, self.errors))
        taken = monotonic()  # when the reader last took bytes (or this write began)
        while view:
            if not select.select([], [self._fd], [], 0.25)[1]:
                if self._stop.is_set() or (self.idle_limit and monotonic() - taken >= self.idle_limit):
                    raise wh_output_stopped()
                continue
            try:
                n = os.write(self._fd, view[: select.PIPE_BUF])
            except BrokenPipeError:  # `| head`: the reader has all it wants
                raise
            except BlockingIOError:
                continue
            except OSError as exc:
                raise OutputError(self._name, exc) from None
            view, taken = view[n:], monotonic()
        return len(text)

    def flush(self) -> None:
        if self._fd is None:
            self._out.flush()


def wh_output_stopped() -> BaseException:
    from newsdedup.warehouse import OutputStopped

    return OutputStopped("the output was not being read")


@contextmanager
def output_deadline(paced: PacedOutput, limit: float | None) -> Iterator[None]:
    """Give up printing a statement's table once its reader has taken nothing for the statement's time limit.

    A table is printed after the statement ended, on the main thread, and into a pipe nobody reads it blocked
    in write() for ever. The limit counts from the reader's last read, not from the statement's start: an
    analyst paging a table of up to TABLE_MAX_ROWS rows through `less` for longer than the limit keeps reading
    (a first version stopped the table at the statement's time limit, five minutes after it began).
    """
    paced.idle_limit = limit or None
    try:
        yield
    finally:
        paced.idle_limit = None


def _output_stopped_message(limit: float | None) -> str:
    return (f"the statement's output was not being read: stopped at its time limit of {limit or 0:g} s, the "
            f"rows printed incomplete; read the output as it comes, raise the limit with --time-limit SECONDS "
            f"or {SQL_TIME_LIMIT_ENV} (0: no limit), or narrow the query")


def json_output(out: TextIO) -> TextIO:
    """`out` for JSON lines: as it is when it holds every character, else escaped (`JsonLines`)."""
    return out if holds_unicode(out) else JsonLines(out)  # type: ignore[return-value]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def extraction_json(case_id: str | None, path: str, url: str | None, html: bytes) -> dict[str, Any]:
    """One `extract` output line for one page (the design's contract)."""
    from newsdedup.clean import extract

    ex = extract(html, url)
    return {
        "id": case_id,
        "path": path,
        "url": url,
        "canonical_url": ex.canonical_url,
        "title": ex.title,
        "authors": list(ex.authors),
        "published": _iso(ex.published),
        "updated": _iso(ex.updated),
        "language": ex.language,
        "text": ex.text,
        "paragraphs": list(ex.paragraphs),
        "error": ex.error,
    }


# A manifest of 400,000 pages is ~60 MB; `--manifest /dev/zero` (or a page given as the manifest by
# mistake, a FIFO fed without end) was read whole, until the host's memory ran out, without a word.
MAX_MANIFEST_BYTES = 64 * 2**20


def _manifest_cases(manifest: Path) -> Iterator[tuple[str, Path, str | None]]:
    base = manifest.parent
    try:
        with open(manifest, "rb") as fh:
            raw = fh.read(MAX_MANIFEST_BYTES + 1)
        if len(raw) > MAX_MANIFEST_BYTES:
            raise SystemExit(f"newsdedup extract: the manifest {manifest} is larger than {MAX_MANIFEST_BYTES // 2**20} MB "
                             "(is it a manifest of JSON lines?); split it and run extract on each part")
        text = raw.decode("utf-8")
    except OSError as exc:
        raise SystemExit(f"newsdedup extract: cannot read the manifest {manifest}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise SystemExit(f"{manifest}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start}); "
                         "a manifest is JSON lines") from None
    # "\n" ends a line ("\r" before it is JSON whitespace); splitlines() also broke at the U+2028,
    # U+0085 or \x1c a JSON string may hold raw (the l3s set's gold texts do).
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        # A line that is JSON but not an object, or whose path is not a string, was a TypeError
        # traceback ("list indices must be integers", "PosixPath / NoneType").
        try:
            case = json.loads(line)
            if not isinstance(case, dict):
                raise ValueError(f"a JSON {type(case).__name__}, not an object")
            path, url, case_id = case["path"], case.get("url"), case.get("id")
            if not isinstance(path, str) or not path or not (url is None or isinstance(url, str)):
                raise ValueError("'path' must be a file name and 'url' a string or null")
            # The id names the output line: a line without one was a KeyError traceback, and null or a
            # list became the id "None" or "[1, 2]" (every null-id line one id).
            if not isinstance(case_id, str | int) or isinstance(case_id, bool) or str(case_id) == "":
                raise ValueError("'id' must be a non-empty string or an integer")
        except (ValueError, KeyError) as exc:
            raise SystemExit(f"{manifest}:{lineno}: bad manifest line ({exc}); expected {{id, path, url}}") from None
        yield str(case_id), base / path, url


def cmd_extract(args: argparse.Namespace, out: TextIO) -> int:
    stdin_at = -1
    if args.manifest:
        cases = list(_manifest_cases(Path(args.manifest)))
    elif args.files:
        if args.files.count("-") > 1:  # the second would read nothing
            print("newsdedup extract: - (standard input) is named more than once; it holds one page",
                  file=sys.stderr)
            return 2
        cases = [(None, Path(f), args.url) for f in args.files]
        stdin_at = args.files.index("-") if "-" in args.files else -1  # `-`, not `./-` (the same Path)
    else:
        raise SystemExit("newsdedup extract: give FILE ... or --manifest CASES.jsonl")
    from newsdedup.config import Settings
    from newsdedup.fetch import read_capped, read_capped_stream
    from newsdedup.progress import Progress

    cap = args.max_bytes or Settings().max_bytes
    out = json_output(out)
    failures = 0
    with Progress("extract", total=len(cases)) as bar:
        for at, (case_id, path, url) in enumerate(cases):
            bar.advance()
            try:
                # `-` (not a manifest's): the page on standard input, `curl … | newsdedup extract -` (it was
                # a file named `-`, and /dev/stdin from a pipe "not_a_regular_file")
                if at == stdin_at:
                    if sys.stdin is None:
                        raise ValueError("standard_input_closed")
                    html = read_capped_stream(sys.stdin.buffer, cap)
                else:
                    html = read_capped(path, cap)
            except (ValueError, OSError, EOFError, zlib.error) as exc:  # a cut .gz too: one record, not the batch
                failures += 1
                # ValueError names its reason: too_large, decompression_bomb, not_a_regular_file (a FIFO)
                reason = str(exc) if isinstance(exc, ValueError) else exc.__class__.__name__
                log.error("extract: cannot read %s: %s", path, exc)
                record = {"id": case_id, "path": str(path), "url": url, "canonical_url": None, "title": None,
                          "authors": [], "published": None, "updated": None, "language": None, "text": "",
                          "paragraphs": [], "error": f"unreadable: {reason}"}
            else:
                record = extraction_json(case_id, str(path), url, html)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
    return 1 if failures == len(cases) else 0


def cmd_dedup(args: argparse.Namespace, out: TextIO) -> int:
    from newsdedup.config import path_too_long, shortened
    from newsdedup.dedup import dedup_corpus
    from newsdedup.dedup.corpus import CorpusError
    from newsdedup.staging import remove_orphan_copies

    corpus = Path(args.corpus)
    for what, name in (("corpus", args.corpus), ("output", args.output)):
        if name and (why := path_too_long(name)) is not None:  # ENAMETOOLONG: was a traceback
            print(f"newsdedup dedup: the {what} path {printable(shortened(name))} cannot name a file: {why}",
                  file=sys.stderr)
            return 2
    if args.corpus == "-" and sys.stdin is None:
        raise SystemExit("newsdedup dedup: the corpus is - (standard input), which is closed")
    source = None if args.corpus == "-" else corpus  # `-` (not `./-`): standard input
    if source is not None and not corpus.exists():
        raise SystemExit(f"newsdedup dedup: corpus {corpus} does not exist")
    try:
        if args.output:
            # Written under a temporary name and renamed over OUT once whole: written into OUT, a full
            # disk or Ctrl-C half-way left a truncated file of whole lines (a smaller result, to all
            # appearances) in place of the earlier one. A device or FIFO (`-o /dev/stdout`) is written as is.
            target = Path(args.output)
            direct = target.exists() and not target.is_file()
            if not direct:  # the files of earlier runs killed mid-write (Ctrl-C and errors remove their own)
                remove_orphan_copies(target, "the output of a `newsdedup dedup -o`")
            tmp = target if direct else target.with_name(f"{target.name}.tmp{os.getpid()}")
            try:
                fh = open(tmp, "w", encoding="utf-8")  # noqa: SIM115 (closed below, errors named)
            except OSError as exc:
                raise OutputError(args.output, exc, opening=True) from None
            done = False
            try:
                try:
                    stats = dedup_corpus(source, CheckedOutput(fh, args.output))
                finally:
                    try:
                        fh.close()
                    except OSError as exc:  # the last buffered lines could not be written
                        raise OutputError(args.output, exc) from None
                if not direct:
                    try:
                        os.replace(tmp, target)
                    except OSError as exc:
                        raise OutputError(args.output, exc) from None
                done = True
            except OutputError as exc:
                if direct:
                    raise
                raise OutputError(args.output, exc.cause, kept=True) from None
            finally:
                if not done and not direct:
                    with suppress(OSError):
                        tmp.unlink()
        else:
            stats = dedup_corpus(source, json_output(out))
    except BrokenPipeError:
        raise
    except CorpusError as exc:
        print(f"newsdedup dedup: {printable(str(exc))}; nothing was written", file=sys.stderr)
        return 1
    except OSError as exc:  # a corpus that is a folder, an output folder that does not exist: was a traceback
        raise SystemExit(f"newsdedup dedup: {exc.filename or corpus}: {exc.strerror or exc}") from None
    print("dedup: " + ", ".join(f"{k} {v}" for k, v in stats.items()), file=sys.stderr)
    return 0


def cmd_run(args: argparse.Namespace, out: TextIO) -> int:
    from newsdedup.config import ConfigError
    from newsdedup.lshstore import LSHStoreError
    from newsdedup.pipeline import run_pipeline
    from newsdedup.staging import StagingError
    from newsdedup.warehouse import WarehouseError

    try:
        summary = run_pipeline(sources_file=args.sources, warehouse=args.warehouse, staging=args.staging)
    except ConfigError as exc:
        print(f"newsdedup run: {exc}", file=sys.stderr)
        return 2
    # said in words; the run cannot go on (the shared LSH index: before the load, nothing was loaded)
    except (WarehouseError, StagingError, LSHStoreError) as exc:
        print(f"newsdedup run: {exc}", file=sys.stderr)
        return 1
    out.write(printable(summary.text(), newlines=True) + "\n")
    if args.json:
        out.write(json.dumps(summary.to_dict()) + "\n")
    return 0


SANDBOX = ("`newsdedup sql` reads the published snapshot only: SELECT from its tables and views (temporary "
           "tables are fine). It cannot write, ATTACH databases, read or write files (COPY, EXPORT, "
           "read_csv, read_text, ...), install or load extensions, or change settings. To save results, "
           "use --json and redirect the output.")


def refusal(exc: BaseException) -> str | None:
    """The reason when the reader sandbox refused a statement (None: an ordinary SQL error)."""
    import duckdb

    text = str(exc)
    if isinstance(exc, duckdb.PermissionException) or any(
            m in text for m in ("read-only mode", "configuration has been locked", "disabled by configuration",
                                "disabled through configuration")):
        lines = [x.strip() for x in text.strip().splitlines() if x.strip()] or [exc.__class__.__name__]
        # "An error occurred while trying to automatically install the required extension 'x:" and
        # the reason on the next line: both, on one line
        return " ".join(lines[:2]) if lines[0].endswith(":") else lines[0]
    return None


def _sql_error(exc: BaseException) -> str:
    """What to print for a failed statement; DuckDB's message may quote a stored value, so it is
    made printable."""
    import duckdb

    from newsdedup.warehouse import READER_MEMORY_ENV, reader_memory_limit

    reason = refusal(exc)
    if reason is not None:
        return f"refused: {printable(reason)}\n  {SANDBOX}"
    if isinstance(exc, duckdb.InterruptException):
        return "interrupted"
    if isinstance(exc, duckdb.OutOfMemoryException | MemoryError):
        # MemoryError: Python's, the result's values outgrowing the command's cap (`bounded_reader_memory`)
        first = (str(exc).strip().splitlines() or ["Out of Memory Error"])[0] if not isinstance(exc, MemoryError) \
            else "Out of Memory Error: the result's values do not fit in the memory this command may use"
        return (f"{printable(first)}\n  The query needs more than the readers' memory limit "
                f"({reader_memory_limit()}; as much again, at least 1 GiB, for its values in Python); readers do "
                f"not spill to disk. Narrow the query (fewer columns, a WHERE, a LIMIT, a slice of a long list), "
                f"or set {READER_MEMORY_ENV} (e.g. 8GB) for this command.")
    text = " ".join(str(exc).split()) if len(str(exc)) < 300 else str(exc).strip()
    if m := _SET_ADVICE.search(text):
        # DuckDB's own advice ('Use "SET max_expression_depth TO x"' for a statement nested 1,000 deep) is
        # a statement the sandbox refuses: the analyst tried it and got a refusal instead of a way out.
        # The way out depends on the setting: "nest less" was the advice for a PIVOT over too many values.
        how = _INSTEAD_OF_SET.get(m.group(1).lower(), "")
        text += f"\n  Readers cannot change settings (SET is refused): change the statement instead{how}."
    return printable(text, newlines=True)


_SET_ADVICE = re.compile(r"\bUse \"?SET (\w+)", re.I)
_INSTEAD_OF_SET = {
    "max_expression_depth": " (nest less: a CASE, an IN list or a WITH in place of deeply nested expressions)",
    "pivot_limit": (" (pivot on fewer values: a WHERE, or a PIVOT ... IN (...) list of the values wanted; or "
                    "GROUP BY the column for one row a value)"),
}


# A statement (one argument, or one of the prompt's) is interrupted after this many seconds: a cross
# join of two generate_series ran until Ctrl-C, in a cron job for ever, holding a core and the
# readers' memory. --time-limit or $NEWSDEDUP_SQL_TIME_LIMIT set another; 0 sets none.
SQL_TIME_LIMIT = 300.0
SQL_TIME_LIMIT_ENV = "NEWSDEDUP_SQL_TIME_LIMIT"
# The longest statement the prompt reads (from a terminal or a script): `newsdedup sql < /dev/zero` (or
# any input without a line end or a `;`) grew one line until the memory cap, then told the user that
# "the result's values" did not fit.
MAX_STATEMENT_CHARS = 10_000_000


def sql_time_limit(flag: float | None) -> float | None:
    """The statement time limit in seconds (None: none), from --time-limit, else the environment, else
    SQL_TIME_LIMIT; ValueError with the message to print for a value that is no number of seconds."""
    if flag is None:
        text = os.environ.get(SQL_TIME_LIMIT_ENV, "").strip()
        if not text:
            return SQL_TIME_LIMIT
        try:
            flag = _seconds(text)
        except argparse.ArgumentTypeError:
            raise ValueError(f"{SQL_TIME_LIMIT_ENV} must be a number of seconds (0: no limit), got {quoted(text)}") from None
    return flag or None


def _time_limit_message(exc: BaseException) -> str:
    return (f"the statement was {exc}; raise it with --time-limit SECONDS or {SQL_TIME_LIMIT_ENV} "
            "(0: no limit), or narrow the query")


# An analyst's command should not hang for a minute behind a load: it rebuilds a snapshot only when
# it can have the lock within seconds ($NEWSDEDUP_LOCK_PATIENCE overrides).
SQL_LOCK_PATIENCE = 10.0


def _with_snapshot(path: str | None) -> None:
    """Rebuild a missing, damaged or stale snapshot under the writer lock before reading it."""
    from newsdedup import warehouse as wh

    main = wh.main_path(path)
    problem = wh.snapshot_problem(main)
    if not main.exists() or problem is None:
        return
    patience = wh.lock_patience() if os.environ.get("NEWSDEDUP_LOCK_PATIENCE", "").strip() else SQL_LOCK_PATIENCE
    try:
        done = wh.ensure_snapshot(main, patience=patience)
    except wh.WarehouseLocked as exc:
        raise wh.WarehouseError(
            f"the snapshot {wh.snapshot_path(main)} {problem}, and it could not be rebuilt now: {exc} Then run "
            f"`newsdedup snapshot --warehouse {main}` (or this query) again.") from exc
    except wh.WarehouseFull as exc:
        # A full disk: the rebuild cannot write, and the last published snapshot is still whole (an analyst
        # was refused every query, told to make the folder writable)
        if wh.snapshot_problem(main, stale=False) is not None:
            raise
        print(f"newsdedup sql: the snapshot {wh.snapshot_path(main)} {problem}, and it cannot be rebuilt now: {exc} "
              "Reading the snapshot the last load published.", file=sys.stderr)
        return
    if done == "rebuilt":
        print(f"newsdedup sql: rebuilt the snapshot {wh.snapshot_path(main)} from {main}", file=sys.stderr)
    elif done == "in_use":
        print(f"newsdedup sql: {main} is open for writing in another process (a load, or a session holding it; "
              "the log names it); reading the snapshot the last load published", file=sys.stderr)


def cmd_sql(args: argparse.Namespace, out: TextIO) -> int:
    import duckdb

    from newsdedup.warehouse import (
        OutputStopped,
        QueryTimeLimit,
        WarehouseError,
        WarehouseMissing,
        bounded_reader_memory,
        query_rows,
    )

    def write_json(columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        json_out.write(_json_lines(columns, rows))

    stop = threading.Event()  # set when the statement is interrupted: PacedOutput stops waiting
    json_out = json_output(PacedOutput(out, stop)) if args.json else json_output(out)
    try:
        limit = sql_time_limit(args.time_limit)
    except ValueError as exc:
        print(f"newsdedup sql: {exc}", file=sys.stderr)
        return 2
    if args.query == "-":  # `sql -`: the statements on standard input, as `psql -f -` (was DuckDB's syntax error)
        args.query = None
    try:
        _with_snapshot(args.warehouse)
        if args.query is None:
            if sys.stdin is None:  # started with its standard input closed (`<&-`, some daemons): was a traceback
                print("newsdedup sql: no QUERY, and no standard input to read statements from (it is closed)",
                      file=sys.stderr)
                return 2
            with bounded_reader_memory():  # after the rebuild, which is a writer's work
                return _interactive_shell(args.warehouse, out, limit, as_json=args.json)
        if not args.query.strip():  # `sql ""` (an unset shell variable) opened the prompt and waited
            print("newsdedup sql: the query is empty (no QUERY opens the interactive prompt)", file=sys.stderr)
            return 2
        if (bad := _not_utf8(args.query)) is not None:
            print(f"newsdedup sql: the query {bad}", file=sys.stderr)
            return 1
        if args.query.lstrip(_LEADING_BLANKS).startswith(".") or _g_before_last(args.query):
            # `sql ".tables"`, `sql ".schema articles"`: a dot command (DuckDB's "syntax error at or near .")
            # and what follows it, read as the prompt reads a script; so is `sql "SELECT 1\G SELECT 2"` (its
            # `\G` went to DuckDB's statement splitter: a syntax error), each statement printed
            with bounded_reader_memory():
                return _interactive_shell(args.warehouse, out, limit, as_json=args.json,
                                          source=io.StringIO(args.query))
        query, vertical = _without_last_g(args.query)
        with bounded_reader_memory():
            if args.json:  # streamed: any number of rows in constant memory
                query_rows(args.warehouse, query, sink=write_json, time_limit=limit, stop=stop, as_text=True)
                return 0
            columns, rows = query_rows(args.warehouse, query, max_rows=TABLE_MAX_ROWS, time_limit=limit, as_text=True)
            paced = PacedOutput(out, stop)
            with output_deadline(paced, limit):
                (_print_vertical if vertical else _print_table)(columns, rows, paced)
            return 0
    except OutputStopped:  # the table's reader took nothing for the time limit (`output_deadline`)
        print(f"newsdedup sql: {_output_stopped_message(limit)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # the query was interrupted (warehouse.run_query)
        print("newsdedup sql: interrupted", file=sys.stderr)
        return 130
    except QueryTimeLimit as exc:
        print(f"newsdedup sql: {_time_limit_message(exc)}", file=sys.stderr)
        return 1
    except (WarehouseMissing, WarehouseError) as exc:
        print(f"newsdedup sql: {exc}", file=sys.stderr)
        return 2
    except (duckdb.Error, MemoryError) as exc:  # the message, not a traceback
        print(f"newsdedup sql: {_sql_error(exc)}", file=sys.stderr)
        return 1


def cmd_snapshot(args: argparse.Namespace, out: TextIO) -> int:
    from newsdedup import warehouse as wh

    path = wh.warehouse_path(args.warehouse)
    try:
        done = wh.ensure_snapshot(path, wait_for_writer=True)  # asked for: wait for the lock to publish
    except wh.WarehouseError as exc:
        print(f"newsdedup snapshot: {exc}", file=sys.stderr)
        return 2
    if done == "none":
        print(f"newsdedup snapshot: no warehouse at {path} yet: nothing to publish", file=sys.stderr)
        return 2
    out.write(f"{'rebuilt' if done == 'rebuilt' else 'checked (up to date)'}: {wh.snapshot_path(path)}\n")
    return 0


def _json_lines(columns: list[str], rows: list[tuple[Any, ...]]) -> str:
    """`rows` as JSON lines, one string (one write a batch of rows: PacedOutput makes two system calls a write)."""
    keys = _unique_names(columns)
    return "".join(json.dumps(_strict_json(dict(zip(keys, row, strict=True))), default=_json_text,
                              ensure_ascii=False, allow_nan=False) + "\n" for row in rows)


def _unique_names(columns: list[str]) -> list[str]:
    """JSON keys for a row: a repeated column name gets `_1`, `_2`, ... as DuckDB's CREATE TABLE AS
    does (a join's `SELECT *` repeats url, run_id, fetched_at: a dict kept only the last, silently)."""
    used: set[str] = set()
    keys = []
    for name in columns:
        key, n = name, 1
        if key in used:
            while f"{name}_{n}" in used:
                n += 1
            key = f"{name}_{n}"
        used.add(key)
        keys.append(key)
    return keys


def _strict_json(v: Any) -> Any:
    """A row for `--json`: NaN and infinities (DOUBLE allows them, JSON does not) become null."""
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, dict):
        return {_json_key(k, _json_text): _strict_json(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_strict_json(x) for x in v]
    return v


def _json_key(key: Any, text: Callable[[Any], str]) -> Any:
    """A MAP's key as a JSON object's key: a date, decimal, UUID, interval or blob as `text` gives it
    (as the same value prints elsewhere), NaN and the infinities named as JSON's extension names them.

    A MAP's keys can be of any type (`histogram(published_at::DATE)` is keyed by dates): json.dumps
    takes only str, int, float, bool and None, and a NaN key not even with allow_nan=False: was a
    traceback as a table and with --json."""
    if isinstance(key, float) and not math.isfinite(key):
        return json.dumps(key)
    return key if key is None or isinstance(key, str | int | float | bool) else text(key)


def _text_keys(v: Any) -> Any:
    """`v` with every MAP key inside it a JSON key (`_json_key`) for a table cell."""
    if isinstance(v, dict):
        return {_json_key(k, _display_scalar): _text_keys(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_text_keys(x) for x in v]
    return v


def _display(v: Any) -> str:
    """A value as an analyst wants to read it on a terminal: lists and structs as JSON, times in ISO
    form, control characters escaped (`terminal.printable`)."""
    if v is None:
        return ""
    if isinstance(v, list | dict | tuple):
        return printable(json.dumps(_text_keys(v), default=_display_scalar, ensure_ascii=False))
    return _display_scalar(v)


def _display_scalar(v: Any) -> str:
    """A date, time or timestamp in ISO form (a space between a timestamp's day and time); anything else
    as `str` gives it. Only a datetime takes `sep`: `SELECT published_at::TIME` was a traceback."""
    return printable(_scalar_text(v))


def _scalar_text(v: Any) -> str:
    """A scalar as text, raw (`_display_scalar` without the escaping): dates and times in ISO form."""
    if isinstance(v, datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, date | time):
        return v.isoformat()
    return _json_text(v)


def _csv_value(v: Any) -> str:
    """A value as a CSV field: NULL empty (as the DuckDB and sqlite3 shells write it), lists and structs as
    JSON, newlines and tabs kept (the field is quoted), other control characters escaped."""
    if v is None:
        return ""
    if isinstance(v, str):
        return printable(v, newlines=True)
    if isinstance(v, list | dict | tuple):
        return printable(json.dumps(_text_keys(v), default=_display_scalar, ensure_ascii=False))
    return _display_scalar(v)


def _json_text(v: Any) -> str:
    """`str(v)`, but a negative interval with its sign in front: Python writes -1 hour as "-1 day,
    23:00:00" (`published_at - fetched_at` of an article dated an hour before it was fetched)."""
    if isinstance(v, timedelta) and v < timedelta(0):
        return "-" + str(-v)
    return str(v)


# A table is for reading: it shows this many rows at most (a table needs all its rows in memory to
# size its columns; `SELECT * FROM range(100000000)` took ~20 GB). --json streams every row.
TABLE_MAX_ROWS = 100_000
TABLE_WRITE_ROWS = 1000
EXPLAIN_COLUMNS = ["explain_key", "explain_value"]  # what EXPLAIN [ANALYZE] returns


def _print_table(columns: list[str], rows: list[tuple[Any, ...]], out: TextIO, width: int = 60) -> None:
    """Print `rows` as a table; a result of more than TABLE_MAX_ROWS (run_query's `max_rows`) says so."""
    if columns == EXPLAIN_COLUMNS:
        # The plan is a drawing of many lines in one value: as a cell, its lines ran together into one
        for _key, plan in rows:
            out.write(printable(str(plan), newlines=True).rstrip("\n") + "\n")
        return
    more = len(rows) > TABLE_MAX_ROWS
    rows = rows[:TABLE_MAX_ROWS]

    # Widths in terminal columns, not code points: a CJK title (two columns a character) pushed its
    # row's `|` right and a combining accent pulled it left.
    def cell(v: Any) -> str:
        s = _display(v)
        fits = clip(s, width)  # reads no further than the width: a cell may hold a whole article
        return s if len(fits) == len(s) else clip(fits, width - 1) + "…"

    # The last column is printed whole: nothing stands to its right, and it is where lists such as
    # a cluster's members end up.
    columns = [printable(str(c)) for c in columns]
    cells = [[cell(v) for v in row[:-1]] + [_display(row[-1])] for row in rows]
    widths = [max([display_width(c)] + [display_width(r[i]) for r in cells]) for i, c in enumerate(columns[:-1])]

    def line(values: list[str]) -> str:
        return " | ".join([v + " " * (w - display_width(v)) for v, w in zip(values[:-1], widths, strict=True)]
                          + values[-1:])

    if not columns:
        return
    out.write(line(list(columns)) + "\n")
    out.write("-+-".join(["-" * w for w in widths] + ["-" * max(display_width(columns[-1]), 8)]) + "\n")
    for at in range(0, len(cells), TABLE_WRITE_ROWS):  # a write a batch: PacedOutput makes two system calls a write
        out.write("".join(line(r) + "\n" for r in cells[at:at + TABLE_WRITE_ROWS]))
    _print_count(rows, more, out)


def _print_count(rows: list[tuple[Any, ...]], more: bool, out: TextIO) -> None:
    if more:
        out.write(f"(the first {len(rows):,} rows: the result has more. Add a LIMIT or a WHERE, or use --json, which "
                  "prints every row)\n")
    else:
        out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")


def _print_markdown(columns: list[str], rows: list[tuple[Any, ...]], out: TextIO) -> None:
    """Print `rows` as the sqlite3 shell's (and DuckDB's) `.mode markdown`: a Markdown table, the names centred
    over left-aligned values, every value whole on one line; a `|` in a name or a value is escaped (`\\|`) so
    that the table stays one (sqlite3 leaves it). No row count (the text is for pasting), but a result of more
    than TABLE_MAX_ROWS says so after the table, as `_print_table`'s does."""
    more = len(rows) > TABLE_MAX_ROWS
    rows = rows[:TABLE_MAX_ROWS]
    names = [printable(str(c)).replace("|", "\\|") for c in columns]
    cells = [[_display(v).replace("|", "\\|") for v in row] for row in rows]
    widths = [max([display_width(c)] + [display_width(r[i]) for r in cells]) for i, c in enumerate(names)]

    def pad(v: str, w: int, centre: bool = False) -> str:
        gap = w - display_width(v)
        left = gap // 2 if centre else 0
        return " " * left + v + " " * (gap - left)

    out.write("| " + " | ".join(pad(c, w, True) for c, w in zip(names, widths, strict=True)) + " |\n")
    out.write("|" + "|".join("-" * (w + 2) for w in widths) + "|\n")
    for at in range(0, len(cells), TABLE_WRITE_ROWS):
        out.write("".join("| " + " | ".join(pad(v, w) for v, w in zip(r, widths, strict=True)) + " |\n"
                          for r in cells[at:at + TABLE_WRITE_ROWS]))
    if more:
        _print_count(rows, more, out)


# The modes printed a batch of rows at a time as they are fetched (`_mode_rows`), as csv and json are
_STREAMED_MODES = frozenset({"list", "html", "insert", "quote", "ascii", "tcl"})
_HTML_ESCAPES = {ord("<"): "&lt;", ord(">"): "&gt;", ord("&"): "&amp;", ord('"'): "&quot;", ord("'"): "&#39;"}
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SQL_CONTROL = re.compile("[" + "".join(f"\\U{c:08x}" for c in UNSAFE_CODES) + "]")


def _mode_rows(settings: ShellSettings, columns: list[str], batch: list[tuple[Any, ...]], *, header: bool) -> str:
    """A batch of rows as the sqlite3 shell prints them in its `.mode list` (and tabs, ascii), `html`, `insert`,
    `quote` or `tcl`, a header first when `header` and its `.headers` are on (as DuckDB's shell starts):
    `a|b` lines (the `.separator`s); `<TR>` rows of `<TH>` (the header) or `<TD>` cells, one a line, `<>&"'`
    escaped; `INSERT INTO "table"(a,b) VALUES(1,'x');` (without the names when the headers are off); quote's SQL
    literals ('a','b' the header); tcl's C strings ("a" "b"). NULL is empty (list, html, tcl) or NULL; newlines
    and tabs are kept and other control characters escaped (list, html), in SQL written as chr(N) so that the
    statement loads the value exactly and nothing raw reaches a terminal, in tcl as its escapes."""
    mode, header = settings.mode, header and settings.headers
    col, row_end = settings.col_sep, settings.row_sep
    if mode == "insert":
        names = "(" + ",".join(_sql_name(c, settings.keywords) for c in columns) + ") " if settings.headers else " "
        head = f"INSERT INTO {settings.insert_table}{names}VALUES("
        return "".join(head + ",".join(_sql_literal(v) for v in row) + ");\n" for row in batch)
    if mode == "html":
        def tr(cells: list[str], tag: str) -> str:
            return "<TR>" + "".join(f"<{tag}>{c.translate(_HTML_ESCAPES)}</{tag}>\n" for c in cells) + "</TR>\n"
        return (tr([printable(str(c), newlines=True) for c in columns], "TH") if header else "") + "".join(
            tr([_csv_value(v) for v in row], "TD") for row in batch)
    if mode == "quote":
        return (col.join(_sql_string(str(c)) for c in columns) + row_end if header else "") + "".join(
            col.join(_sql_literal(v) for v in row) + row_end for row in batch)
    if mode == "tcl":
        return (col.join(_tcl_string(str(c)) for c in columns) + row_end if header else "") + "".join(
            col.join(_tcl_string(_text(v)) for v in row) + row_end for row in batch)
    return (col.join(printable(str(c), newlines=True) for c in columns) + row_end if header else "") + "".join(
        col.join(_csv_value(v) for v in row) + row_end for row in batch)


# What a Tcl string in double quotes must escape: sqlite3's C-string escapes (`\\`, `\"`, `\t`, `\n`, `\r`, other
# control characters in octal) and, unlike sqlite3, what Tcl substitutes there (`$name`, `[command]`)
_TCL_SPECIAL = re.compile('[\\\\"$\\[\\]\x00-\x1f\x7f' + "".join(f"\\U{c:08x}" for c in UNSAFE_CODES if c > 0x7f) + "]")
_TCL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r", "$": "\\$", "[": "\\[", "]": "\\]"}


def _tcl_escape(m: re.Match[str]) -> str:
    c = m.group()
    if c in _TCL_ESCAPES:
        return _TCL_ESCAPES[c]
    code = ord(c)
    return f"\\{code:03o}" if code < 0x80 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _tcl_string(text: str) -> str:
    """`text` as a Tcl string in double quotes, as the sqlite3 shell's `.mode tcl` writes it (its escapes and
    octal for control characters), but `$`, `[` and `]` escaped (a hostile `[exec …]` is text to Tcl, not a
    command) and text beyond ASCII as it is (sqlite3 writes each byte in octal, Latin-1 letters to Tcl),
    bidirectional controls as Tcl's `\\u202e`."""
    return '"' + _TCL_SPECIAL.sub(_tcl_escape, text) + '"'


def _text(v: Any) -> str:
    """`v` as text, raw: what the modes that escape text themselves (tcl) write; NULL empty."""
    if v is None:
        return ""
    if isinstance(v, list | dict | tuple):
        return json.dumps(_text_keys(v), default=_display_scalar, ensure_ascii=False)
    return _scalar_text(v)


def _sql_keywords(con: Any) -> frozenset[str]:
    """DuckDB's keywords a column or table name must be quoted as (all but its unreserved ones)."""
    return frozenset(k for (k,) in con.execute(
        "SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category <> 'unreserved'").fetchall())


def _sql_name(name: str, keywords: frozenset[str]) -> str:
    """`name` as SQL: as it is when it is a plain name and no keyword, else in double quotes (as sqlite3 quotes)."""
    if _PLAIN_NAME.fullmatch(name) and name.lower() not in keywords:
        return name
    return _sql_string(name, '"')


def _sql_literal(v: Any) -> str:
    """`v` as a SQL literal for `.mode insert`: NULL, true/false, numbers bare (NaN and the infinities as the
    strings DuckDB casts), lists and structs as DuckDB's literals of them (`[1, NULL]`, `{'k': 'v'}`), anything
    else as a string of its text (dates ISO; INTERVALs and BLOBs come as DuckDB's text of them), which DuckDB
    casts to the column's type (a MAP, which comes as a dict too, does not load)."""
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | Decimal):
        return str(v)
    if isinstance(v, float):
        return repr(v) if math.isfinite(v) else f"'{v}'"
    if isinstance(v, str):
        return _sql_string(v)
    # A LIST or STRUCT as DuckDB's literal of it, each element a literal: as JSON text in a string, DuckDB's
    # cast back read `\n` and `\u001b` as the letters `n`, `u001b` (`['a' || chr(10)]` came back `['an']`)
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_sql_literal(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_sql_string(_text(k))}: {_sql_literal(x)}" for k, x in v.items()) + "}"
    return _sql_string(v.isoformat(sep=" ") if isinstance(v, datetime) else v.isoformat()
                       if isinstance(v, date | time) else _json_text(v))


def _sql_string(text: str, quote: str = "'") -> str:
    """`text` quoted (the quote doubled inside); as a string, a control character (a newline, ESC, U+202E)
    is joined in as chr(N), so the literal holds none raw."""
    def part(s: str) -> str:
        return quote + s.replace(quote, quote * 2) + quote

    if quote != "'" or not _SQL_CONTROL.search(text):
        return part(text)
    pieces = []
    last = 0
    for m in _SQL_CONTROL.finditer(text):
        if m.start() > last:
            pieces.append(part(text[last:m.start()]))
        pieces.append(f"chr({ord(m.group())})")
        last = m.end()
    if last < len(text):
        pieces.append(part(text[last:]))
    return " || ".join(pieces)


def _print_vertical(columns: list[str], rows: list[tuple[Any, ...]], out: TextIO, *, line_mode: bool = False) -> None:
    """Print `rows` as MySQL prints a statement ended with `\\G`: a row's columns one a line, `name: value`,
    the names aligned right, every value whole. `line_mode`: as the DuckDB and sqlite3 shells' `.mode line`,
    `name = value` and a blank line between rows."""
    more = len(rows) > TABLE_MAX_ROWS
    rows = rows[:TABLE_MAX_ROWS]
    names = [printable(str(c)) for c in columns]
    width = max((display_width(c) for c in names), default=0)
    names = [" " * (width - display_width(c)) + c for c in names]
    sep = " =" if line_mode else ":"

    def head(n: int) -> str:
        if line_mode:
            return "\n" if n > 1 else ""
        return f"{'*' * 27} {n}. row {'*' * 27}\n"

    for at in range(0, len(rows), TABLE_WRITE_ROWS):  # a write a batch of rows, as _print_table's
        out.write("".join(head(n) + "".join(f"{c}{sep} {_display(v)}\n" for c, v in zip(names, row, strict=True))
                          for n, row in enumerate(rows[at:at + TABLE_WRITE_ROWS], at + 1)))
    _print_count(rows, more, out)


def _interactive_shell(path: str | None, out: TextIO, time_limit: float | None = None, *, as_json: bool = False,
                       source: TextIO | None = None) -> int:
    """A small read-only SQL prompt on the snapshot (the duckdb CLI is not a Python dependency), reading
    standard input, or `source` (a QUERY that starts with a dot command) as a script.

    Results and errors go to `out` (main's CheckedOutput), each statement's as soon as it ran: printed
    with `print`, a script's output to a full disk (`< checks.sql > /dev/full`) was an OSError traceback.
    Rows print as tables, or as JSON lines with `as_json` (`sql --json < checks.sql` printed tables) until
    a `.mode` command says otherwise (`DOT_COMMANDS`)."""

    from newsdedup import warehouse as wh

    with wh.reader(path) as con:
        if con is None:
            raise wh.WarehouseMissing(f"no warehouse at {wh.warehouse_path(path)} yet: run `make demo` first")
        # Fed a script (`newsdedup sql < checks.sql`), the exit status says whether every statement ran,
        # as sqlite3's does: a failed or refused one exited 0 and a CI check passed on it.
        src = sys.stdin if source is None else source
        scripted = source is not None or not sys.stdin.isatty()
        if source is None and isinstance(sys.stdin, io.TextIOWrapper):
            # A byte that is not UTF-8 (a Latin-1 script) was a UnicodeDecodeError traceback where the
            # locale decodes strictly: it is kept, and the statement holding it fails saying so.
            sys.stdin.reconfigure(errors="surrogateescape")
        # A person at a terminal gets the banner and the prompts on stderr (where input() put its own),
        # so stdout holds the results alone; a script gets neither, as sqlite3's, psql's and duckdb's
        # shells do: its output is a report, and "sql> " was glued to the first line of every table.
        talk = None if scripted else sys.stderr

        def say(text: str) -> None:
            if talk is not None:
                talk.write(text)
                talk.flush()

        say("newsdedup sql (read-only snapshot). Views: story_cluster_view, cluster_members, "
            "syndication_by_source, repeated_sentences, boilerplate_by_domain, daily_duplicate_rate, "
            "recent_runs, headline_changes, revision_history, daily_revision_rate. End with Ctrl-D; .help for the "
            "commands.\n")
        settings = ShellSettings(mode="json" if as_json else "table", query=source is not None)
        failed = at_end = False
        first = True
        buf, statement = "", StatementEnd()
        while True:
            if not at_end:
                say("sql> " if not buf else "...> ")
            try:
                # Not input(): it needs a sys.stdout, and `>&-` has none. A line without its newline was
                # ended by the input's end (Ctrl-D after some text, a file's last line): the next read
                # would wait for another Ctrl-D, the end of a terminal's input not being kept.
                line = "" if at_end else src.readline(MAX_STATEMENT_CHARS + 1 - len(buf))
                if len(buf) + len(line) > MAX_STATEMENT_CHARS:
                    what = "NUL bytes: binary data, not SQL text" if "\x00" in line else "no `;` ending it"
                    out.flush()
                    print(f"newsdedup sql: a statement of the input runs past {MAX_STATEMENT_CHARS:,} characters "
                          f"({what}); it was not run, and nothing more was read", file=sys.stderr)
                    return 1
                if not line:
                    raise EOFError
                at_end = not line.endswith("\n")
                line = line.removesuffix("\n")
            except EOFError:
                say("\n")
                for text, vertical in statement.statements(buf) if buf.strip() else ():
                    # the last statement needs no ";" (it was dropped without a word)
                    failed |= not _shell_statement(con, text, out, time_limit, settings, vertical=vertical)
                return 1 if scripted and failed else 0
            except KeyboardInterrupt:  # at the prompt: drop what was typed, like other SQL shells
                say("\n")
                buf, statement = "", StatementEnd()
                continue
            if first:  # a script saved with a BOM (Windows editors): DuckDB skips it, a dot command must too
                line, first = line.removeprefix("\ufeff"), False
            if _dot_line(line, statement):
                # A dot command: it ends at its line end (`.mode json` without `;` swallowed the statement
                # after it). A statement under way without its `;` runs first, as the input's last one does;
                # comments before it run nothing.
                pending = [] if statement.idle else statement.statements(buf)
                buf, statement = "", StatementEnd()
                for text, vertical in pending:
                    failed |= not _shell_statement(con, text, out, time_limit, settings, vertical=vertical)
                try:
                    failed |= not _dot_command(con, line, out, time_limit, settings)
                except ShellExit as exc:
                    return exc.code if exc.code is not None else 1 if scripted and failed else 0
                continue
            buf += line + "\n"
            if not statement.feed(line + "\n"):
                continue
            for text, vertical in statement.statements(buf):
                failed |= not _shell_statement(con, text, out, time_limit, settings, vertical=vertical)
            buf, statement = "", StatementEnd()


def _without_last_g(query: str) -> tuple[str, bool]:
    """A QUERY whose last statement ends with MySQL's `\\G` or `\\g` (outside strings and comments): the
    text without it, and whether its rows print vertically (`\\G`). DuckDB read it as a syntax error."""
    statement = StatementEnd()
    statement.feed(query)
    if not statement.ends or query[statement.ends[-1]:].strip() or query[statement.ends[-1] - 1] == ";":
        return query, False
    end = statement.ends[-1]
    return query[:end - 2] + query[end:], end in statement.vertical


def _g_before_last(query: str) -> bool:
    """Whether a statement of `query` other than its last ends with MySQL's `\\G` or `\\g` (outside strings
    and comments): `_without_last_g` cuts the last one's only."""
    statement = StatementEnd()
    statement.feed(query)
    ends = statement.ends
    return any(query[end - 1] != ";" for end in ends[:-1]) or bool(
        ends and query[ends[-1] - 1] != ";" and query[ends[-1]:].strip())


# Where a QUERY's first statement or command starts (a BOM: a script's text pasted whole)
_LEADING_BLANKS = " \t\r\n\f\v\ufeff"


@dataclass
class ShellSettings:
    """What the prompt's dot commands set: how rows print, whether each statement's time is reported."""

    mode: str = "table"  # one of SHELL_MODES
    timer: bool = False
    insert_table: str = '"table"'  # `.mode insert TABLE`: the name as SQL
    keywords: frozenset[str] = frozenset()  # DuckDB's keywords a name must be quoted as (`.mode insert`)
    headers: bool = True  # `.headers on|off`: a header line (list, csv, html, quote, tcl; insert's names)
    col_sep: str = "|"  # `.separator COL [ROW]`, and each `.mode` sets them as sqlite3's does (_MODE_SEPARATORS)
    row_sep: str = "\n"
    # A QUERY's errors go to stderr as `newsdedup sql: ...` (as for any QUERY); a prompt's, to the output
    # beside the results, as "error: ...".
    query: bool = False

    @property
    def as_json(self) -> bool:
        return self.mode == "json"

    def error(self, out: TextIO, error: str) -> bool:
        """Print a statement's or a command's error where it goes; False (it failed)."""
        if self.query:
            out.flush()
            print(f"newsdedup sql: {error}", file=sys.stderr)
        else:
            out.write(f"error: {error}\n")
            out.flush()
        return False


class ShellExit(Exception):  # noqa: N818 - the end asked for, not an error
    """`.quit` or `.exit [CODE]`: the prompt ends (code None: as at the end of its input)."""

    def __init__(self, code: int | None) -> None:
        super().__init__(code)
        self.code = code


# The DuckDB (and sqlite3) shell's dot commands analysts type out of habit that `sql` answers: each
# answer is a statement on the same sandboxed reader connection, and none reads or writes a file.
DOT_COMMANDS = (
    (".help", "these lines"),
    (".tables [PATTERN]", "the names of the tables and views (PATTERN: ILIKE's, e.g. story%)"),
    (".schema [PATTERN]", "their CREATE statements"),
    (".mode table|json|line|csv", "print rows as tables, JSON lines (--json starts in json), column = value "
                                  "lines or CSV"),
    (".mode markdown|list|html", "as the sqlite3 shell prints them: a Markdown table, values joined by |, HTML "
                                 "<TR> rows"),
    (".mode insert [TABLE]", "an INSERT INTO TABLE (default \"table\") statement a row"),
    (".mode quote|tabs|ascii|tcl", "as the sqlite3 shell prints them: SQL literals, tab-separated values, values "
                                   "between the ASCII unit and record separators, Tcl strings"),
    (".headers on|off", "a header line of the column names (on at the start)"),
    (".separator COL [ROW]", "what joins the values and ends the rows of list, csv, quote, tcl and ascii (\\t, "
                             "\\n, \\r\\n read as in sqlite3)"),
    (".timer on|off", "each statement's run time, on standard error"),
    (".quit, .exit [CODE]", "end here (CODE: the exit status; `exit` or `quit` alone, or \\q, end it too)"),
)
_DOT_WORDS = frozenset({".help", ".tables", ".schema", ".mode", ".headers", ".separator", ".timer", ".quit",
                        ".exit"})
_DOT_NAMES = (".help, .tables [PATTERN], .schema [PATTERN], .mode table|json|line|csv|markdown|list|html|insert|quote|"
              "tabs|ascii|tcl, .headers on|off, .separator COL [ROW], .timer on|off, .quit, "
              ".exit [CODE]")
# `.mode`'s names, and those of the DuckDB shell's modes that print as one of them (its json prints an array:
# jsonlines is what `sql` prints)
SHELL_MODES = {"table": "table", "json": "json", "line": "line", "csv": "csv", "markdown": "markdown", "list": "list",
               "html": "html", "insert": "insert", "duckbox": "table", "box": "table", "column": "table",
               "jsonlines": "json", "ndjson": "json", "quote": "quote", "tabs": "list", "ascii": "ascii", "tcl": "tcl"}
# The separators (column, row) a `.mode` sets, as the sqlite3 shell's (3.40) set them; None: left as they are
_MODE_SEPARATORS: dict[str, tuple[str | None, str | None]] = {
    "list": ("|", "\n"), "tabs": ("\t", None), "csv": (",", "\r\n"), "quote": (",", "\n"), "tcl": (" ", "\n"),
    "ascii": ("\x1f", "\x1e"), "line": (None, "\n")}
# `.headers` takes what the sqlite3 shell's booleanValue() does
_ON_OFF = {"on": True, "yes": True, "true": True, "off": False, "no": False, "false": False}
_SQLITE_ESCAPES = {"a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r"}
_SQLITE_BACKSLASH = re.compile(r"\\([0-7]{1,3}|.)", re.S)


def _sqlite_unescaped(text: str) -> str:
    """`text` with the sqlite3 shell's backslash escapes resolved (`\\t`, `\\r\\n`, octal `\\037`; `\\x` is x)."""
    def one(m: re.Match[str]) -> str:
        c = m.group(1)
        return chr(int(c, 8) & 0xFF) if c[0] in "01234567" else _SQLITE_ESCAPES.get(c, c)

    return _SQLITE_BACKSLASH.sub(one, text)


def _sqlite_args(text: str) -> list[str]:
    """A dot command's arguments split as the sqlite3 shell splits them: at blanks, "…" and '…' quoting one
    (a `\\"` inside "…"), backslash escapes resolved in "…" and bare ones, not in '…'."""
    args, i, n = [], 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        if text[i] in "'\"":
            delim, i = text[i], i + 1
            start = i
            while i < n and text[i] != delim:
                i += 2 if text[i] == "\\" and delim == '"' and i + 1 < n else 1
            args.append(_sqlite_unescaped(text[start:i]) if delim == '"' else text[start:i])
            i += 1
        else:
            start = i
            while i < n and not text[i].isspace():
                i += 1
            args.append(_sqlite_unescaped(text[start:i]))
    return args
# Every dot command of the sqlite3 and DuckDB shells: a shortened one (`.tab`, `.sch`) is read as the one
# it starts, as they read it, when it starts no other.
_SHELL_COMMAND_NAMES = (
    "archive auth backup bail binary cd changes check clone columns connection constant constantcode "
    "databases dbconfig dbinfo decimal_sep dump echo edit eqp excel exit expert explain filectrl fullschema "
    "headers help highlight highlight_colors highlight_errors highlight_results import imposter indexes "
    "indices intck iotrace keyword keywordcode large_number_rendering last limit lint load log maxrows "
    "maxwidth mode nonce nullvalue once open output parameter print progress progress_bar prompt quit read "
    "recover render_completion render_errors restore rows safe_mode save scanstats schema selftest "
    "separator session sha3sum shell show singlerow stats system tables testcase testctrl thousand_sep "
    "timeout timer trace unmodule version vfsinfo vfslist vfsname width")
_SHELL_COMMANDS = frozenset("." + c for c in _SHELL_COMMAND_NAMES.split())
# Others of DuckDB's shell read or write files or run programs: what to do instead.
_DOT_INSTEAD = {
    ".output": "redirect the output (`newsdedup sql < script.sql > out.txt`, or --json)",
    ".once": "redirect the output (`newsdedup sql < script.sql > out.txt`, or --json)",
    ".read": "feed the file on standard input (`newsdedup sql < FILE`)",
    ".open": "name the warehouse with --warehouse PATH",
    ".shell": "run it in your shell",
    ".system": "run it in your shell",
}
_SCHEMA_OBJECTS = ("(SELECT table_name AS name, sql FROM duckdb_tables() WHERE NOT internal UNION ALL "
                   "SELECT view_name, sql FROM duckdb_views() WHERE NOT internal)")


def _dot_line(line: str, statement: StatementEnd) -> bool:
    """Whether the prompt reads `line` as a dot command (or psql's backslash ones, or `exit` / `quit` alone, which
    psql and mysql read): its first character not blank is `.`, where a
    statement starts (as DuckDB's and sqlite3's shells read one), or, after a statement's text without its
    `;` (no string or comment open), when its first word is one of `_DOT_WORDS` or `_DOT_INSTEAD`: a line
    `.5` there is SQL (a number)."""
    text = line.lstrip()
    if statement.idle and text.startswith("\\"):  # psql's `\q`, `\dt`, `\d articles`: no SQL starts so
        return True
    if statement.idle and text.rstrip().rstrip(";").rstrip().lower() in ("exit", "quit"):  # psql's and mysql's
        return True
    if not text.startswith("."):
        return False
    if statement.idle:
        return True
    word = _command_named(text.split(None, 1)[0].rstrip(";").lower())
    return statement.outside and (word in _DOT_WORDS or word in _DOT_INSTEAD)


def _command_named(word: str) -> str | None:
    """The command of the sqlite3 and DuckDB shells `word` names, whole or shortened (`.tab`: .tables), as those
    shells read it; None when it starts none or more than one (`.he`: .headers, .help; `.5`)."""
    if word in _SHELL_COMMANDS:
        return word
    starts = [c for c in _SHELL_COMMANDS if c.startswith(word)]
    return starts[0] if len(starts) == 1 else None


def _dot_command(con: Any, line: str, out: TextIO, time_limit: float | None, settings: ShellSettings) -> bool:
    """Run the prompt's dot command `line` (its first character not blank is `.`); False when it failed.
    `.quit` and `.exit` raise ShellExit. A `;` after it (typed out of habit) is ignored."""
    import shlex

    text = line.strip().rstrip(";").rstrip()
    if (bad := _not_utf8(text)) is not None:
        return settings.error(out, f"the command {bad}")
    if text.lower() in ("exit", "quit"):
        raise ShellExit(None)
    if text.startswith("\\"):  # shlex would read the backslash as an escape
        if text == "\\q":
            raise ShellExit(None)
        return settings.error(out, f"{quoted(text.split()[0])} is psql's; the commands of `newsdedup sql` are "
                                   f"{_DOT_NAMES} (\\q quits too); anything else is SQL")
    first = text.split(None, 1)[0].lower()
    if _command_named(first) == ".separator":  # its arguments as sqlite3 reads them: `.separator ;` is a `;`
        rest = line.strip().split(None, 1)
        words = [first, *_sqlite_args(rest[1] if len(rest) > 1 else "")]
    else:
        try:
            words = shlex.split(text)
        except ValueError as exc:  # `.tables "story` : "No closing quotation"
            return settings.error(out, f"{quoted(text)}: {str(exc).lower()}")
    name, args = words[0].lower(), words[1:]
    if name not in _SHELL_COMMANDS and len(name) > 1:
        starts = sorted(c for c in _SHELL_COMMANDS if c.startswith(name))
        if len(starts) > 1:
            return settings.error(out, f"{quoted(name)} is short for more than one command of the DuckDB and "
                                       f"sqlite3 shells ({', '.join(starts)}): type more of it. The commands of "
                                       f"`newsdedup sql`: {_DOT_NAMES}; anything else is SQL")
        name = starts[0] if starts else name
    if name in (".quit", ".exit"):
        if name == ".exit" and len(args) == 1 and args[0].isascii() and args[0].isdigit() and int(args[0]) < 256:
            raise ShellExit(int(args[0]))
        if args:
            return settings.error(out, f"{name} takes {'an exit status from 0 to 255' if name == '.exit' else 'nothing'}"
                                     f", got {quoted(' '.join(args))}")
        raise ShellExit(None)
    if name == ".help":
        width = max(len(c) for c, _ in DOT_COMMANDS)
        out.write("".join(f"{c.ljust(width)}  {what}\n" for c, what in DOT_COMMANDS)
                  + "Anything else is SQL, ended with `;`.\n")
        out.flush()
        return True
    if name == ".mode":
        if not args:
            out.write(settings.mode + "\n")
            out.flush()
            return True
        mode = SHELL_MODES.get(args[0].lower())
        if mode is not None and (len(args) == 1 or (mode == "insert" and len(args) == 2)):
            if mode == "insert":  # as the sqlite3 shell names its table: "table" (a keyword) unless told
                settings.keywords = _sql_keywords(con)
                settings.insert_table = _sql_name(args[1] if len(args) == 2 else "table", settings.keywords)
            settings.mode = mode
            col, row = _MODE_SEPARATORS.get(args[0].lower(), (None, None))
            settings.col_sep = settings.col_sep if col is None else col
            settings.row_sep = settings.row_sep if row is None else row
            return True
        return settings.error(out, f".mode takes table, json, line, csv, markdown, list, tabs, html, insert [TABLE], "
                                 f"quote, ascii or tcl (DuckDB's duckbox, box and column print as table, jsonlines "
                                 f"and ndjson as json), got {quoted(' '.join(args))}")
    if name == ".headers":
        value = args[0].lower() if len(args) == 1 else ""
        if value in _ON_OFF or (value.isascii() and value.isdigit()):
            settings.headers = _ON_OFF[value] if value in _ON_OFF else int(value) != 0
            return True
        return settings.error(out, f".headers takes on or off, got {quoted(' '.join(args))}")
    if name == ".separator":
        if 1 <= len(args) <= 2 and all(args):
            settings.col_sep = args[0]
            settings.row_sep = args[1] if len(args) == 2 else settings.row_sep
            return True
        return settings.error(out, f".separator takes COL [ROW] (the text between values and at each row's end, "
                                 f"e.g. .separator \\t or .separator ; \\r\\n), got {quoted(' '.join(args))}")
    if name == ".timer":
        if len(args) == 1 and args[0].lower() in ("on", "off"):
            settings.timer = args[0].lower() == "on"
            return True
        return settings.error(out, f".timer takes on or off, got {quoted(' '.join(args))}")
    if name in (".tables", ".schema") and len(args) <= 1:
        pattern = args[0] if args else "%"
        if name == ".tables":
            return _shell_statement(con, f"SELECT DISTINCT name FROM {_SCHEMA_OBJECTS} WHERE name ILIKE ? ORDER BY name",
                                    out, time_limit, settings, params=[pattern])
        return _shell_statement(con, f"SELECT name, sql FROM {_SCHEMA_OBJECTS} WHERE name ILIKE ? "
                                     "ORDER BY name", out, time_limit, settings, params=[pattern], plain=True,
                                empty=f"no table or view matches {quoted(pattern)} (.tables lists them)")
    instead = _DOT_INSTEAD.get(name)
    why = f"; {instead}" if instead else ""
    what = f"{quoted(name)} takes at most one PATTERN" if name in (".tables", ".schema") \
        else f"{quoted(name)} is not a command of `newsdedup sql`, which reads the snapshot only{why}"
    return settings.error(out, f"{what}. Its commands: {_DOT_NAMES}; anything else is SQL")


_DOLLAR_TAG = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")


class StatementEnd:
    """Whether the prompt's text, fed line by line, ends a statement: its last token, comments aside,
    is a `;` that no string, quoted name, dollar quote or comment holds.

    The shell ran its text when a line ended with `;`: a string or a block comment with `;` at a
    line's end was cut in two (two errors), and `SELECT 1; -- done` waited for more input. Each line
    is read once (where the text stands is kept): a statement of many lines costs its length.
    """

    @property
    def idle(self) -> bool:
        """Whether a statement starts here: nothing fed since the last `;` but blanks and comments."""
        return self._inside is None and not self._open

    @property
    def outside(self) -> bool:
        """Whether the text fed so far ends outside strings, quoted names and comments."""
        return self._inside is None

    def __init__(self) -> None:
        self._inside: str | None = None  # "'", "e'" (backslash escapes), '"', "/*", "--" or a "$tag$"
        self._depth = 0  # of nested block comments
        self._ended = False
        self._fed = 0  # characters fed before this line
        self._open = False  # a token since the last `;`
        # Where each statement of the text ends (just past its `;`): `SELECT 1; SELECT 2;` on one line is two
        # statements, each printed (run as one text, DuckDB handed back the last one's rows only).
        self.ends: list[int] = []
        self.vertical: set[int] = set()  # the ends that are a `\G`

    def feed(self, text: str) -> bool:
        i, n = 0, len(text)
        while i < n:
            inside, c = self._inside, text[i]
            if inside is None:
                i += 1
                if c.isspace():
                    continue
                if c == "-" and text.startswith("-", i):
                    self._inside, i = "--", i + 1
                elif c == "/" and text.startswith("*", i):
                    self._inside, self._depth, i = "/*", 1, i + 1
                elif c in "'\"":
                    escapes = c == "'" and i > 1 and text[i - 2] in "Ee" and (i < 3 or not _word_char(text[i - 3]))
                    self._inside, self._ended, self._open = ("e'" if escapes else c), False, True
                elif c == "$" and (m := _DOLLAR_TAG.match(text, i - 1)) and (i == 1 or not _word_char(text[i - 2])):
                    self._inside, self._ended, self._open, i = m.group(0), False, True, m.end()
                elif c == "\\" and self._open and text.startswith(("G", "g"), i):
                    # MySQL's `\G` (each row printed as lines of column: value) and `\g` end a statement as
                    # `;` does; a backslash is no SQL token outside strings ("syntax error at or near \")
                    i += 1
                    self.ends.append(self._fed + i)
                    if text[i - 1] == "G":
                        self.vertical.add(self._fed + i)
                    self._ended, self._open = True, False
                else:
                    self._ended = c == ";"
                    if self._ended and self._open:  # `;;` ends no second statement
                        self.ends.append(self._fed + i)
                    self._open = not self._ended
            elif inside == "--":  # to the line's end
                end = text.find("\n", i)
                self._inside, i = (inside, n) if end < 0 else (None, end + 1)
            elif inside == "/*":  # DuckDB's block comments nest
                if text.startswith("/*", i):
                    self._depth, i = self._depth + 1, i + 2
                elif text.startswith("*/", i):
                    self._depth, i = self._depth - 1, i + 2
                    self._inside = inside if self._depth else None
                else:
                    i += 1
            elif inside in ("'", "e'", '"'):
                quote = inside[-1]
                if (inside == "e'" and c == "\\") or (c == quote and text.startswith(quote, i + 1)):
                    i += 2  # an escaped or a doubled quote
                else:
                    self._inside, i = (None if c == quote else inside), i + 1
            else:  # a dollar-quoted string, to its tag
                end = text.find(inside, i)
                self._inside, i = (inside, n) if end < 0 else (None, end + len(inside))
        self._fed += n
        return self._inside is None and self._ended

    def statements(self, text: str) -> list[tuple[str, bool]]:
        """`text` (all that was fed) cut at the ends of its statements, each with whether its rows print
        vertically (it ended with `\\G`, which is cut off as `\\g` is); what follows the last is kept when it
        holds more than blanks (a comment: DuckDB runs nothing for it)."""
        starts = [0, *self.ends]
        parts = [(text[a:b - 2], True) if b in self.vertical else (text[a:b - 2], False) if text[b - 2:b] == "\\g"
                 else (text[a:b], False) for a, b in zip(starts, self.ends, strict=False)]
        if text[starts[-1]:].strip():
            parts.append((text[starts[-1]:], False))
        return parts


def _word_char(c: str) -> bool:
    return c.isalnum() or c in "_$"


def _not_utf8(text: str) -> str | None:
    """What to say when `text` (a script line or an argument, read with surrogateescape) holds a byte
    that is not UTF-8; None when it is text. DuckDB's word for it was "cannot encode str as UTF-8,
    surrogate '\\udce9' ... is not allowed"."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(text[exc.start])
        what = f"byte {code - 0xDC00:#04x}" if 0xDC80 <= code <= 0xDCFF else f"character U+{code:04X}"
        line = text.count("\n", 0, exc.start) + 1
        return f"is not UTF-8 text ({what} on its line {line}); it was not run"
    return None


def _shell_statement(con: Any, text: str, out: TextIO, time_limit: float | None = None,
                     settings: ShellSettings | None = None, *, params: list[Any] | None = None, plain: bool = False,
                     empty: str | None = None, vertical: bool = False) -> bool:
    """Run one statement of the prompt and print its rows or its error; False when it failed.

    `plain`: a table's rows print as their last column's text alone (`.schema`); `vertical`: as lines of
    column: value (`\\G`, `_print_vertical`); `empty`: the error when
    there are no rows. With `settings.timer`, the run time goes to stderr after it, as DuckDB's shell words it."""
    settings = settings or ShellSettings()
    if not settings.timer:
        return _run_shell_statement(con, text, out, time_limit, settings, params, plain, empty, vertical)
    began, times = monotonic(), os.times()
    try:
        return _run_shell_statement(con, text, out, time_limit, settings, params, plain, empty, vertical)
    finally:
        now = os.times()
        print(f"Run Time (s): real {monotonic() - began:.3f} user {now.user - times.user:.6f} "
              f"sys {now.system - times.system:.6f}", file=sys.stderr)


def _run_shell_statement(con: Any, text: str, out: TextIO, time_limit: float | None, settings: ShellSettings,
                         params: list[Any] | None, plain: bool, empty: str | None, vertical: bool) -> bool:
    import duckdb

    from newsdedup import warehouse as wh

    if (bad := _not_utf8(text)) is not None:
        return settings.error(out, f"the statement {bad}")
    # Rows and errors go out paced (PacedOutput): into a pipe nobody reads, a statement's table (printed
    # after it ran) blocked in write() for ever, past the statement's time limit. The error after a stop
    # waits for no reader either.
    stop = threading.Event()
    paced = PacedOutput(out, stop)
    try:
        if settings.as_json:  # streamed, as `sql --json QUERY`: any number of rows in constant memory
            json_out, count = json_output(paced), 0

            def sink(columns: list[str], batch: list[tuple[Any, ...]]) -> None:
                nonlocal count
                count += len(batch)
                json_out.write(_json_lines(columns, batch))

            wh.run_query(con, text, params, sink=sink, time_limit=time_limit, stop=stop, as_text=True)
            paced.flush()
            return count > 0 or empty is None or settings.error(out, empty)
        if settings.mode in _STREAMED_MODES and not plain:  # list, html, insert: streamed too, as csv
            printed = False

            def mode_sink(columns: list[str], batch: list[tuple[Any, ...]]) -> None:
                nonlocal printed
                paced.write(_mode_rows(settings, columns, batch, header=not printed))
                printed = True

            wh.run_query(con, text, params, sink=mode_sink, time_limit=time_limit, stop=stop, as_text=True)
            paced.flush()
            return printed or empty is None or settings.error(out, empty)
        if settings.mode == "csv" and not plain:  # streamed too, a header first, as the DuckDB shell's csv
            if len(settings.col_sep) != 1:
                return settings.error(out, f"csv takes a separator of one character, not "
                                           f"{quoted(settings.col_sep)} (.separator ,)")
            writer = csv.writer(paced, delimiter=settings.col_sep, lineterminator=settings.row_sep)
            header = False

            def csv_sink(columns: list[str], batch: list[tuple[Any, ...]]) -> None:
                nonlocal header
                if not header and settings.headers:
                    writer.writerow([printable(str(c)) for c in columns])
                header = True
                writer.writerows([_csv_value(v) for v in row] for row in batch)

            wh.run_query(con, text, params, sink=csv_sink, time_limit=time_limit, stop=stop, as_text=True)
            paced.flush()
            return header or empty is None or settings.error(out, empty)
        cols, rows = wh.run_query(con, text, params, max_rows=TABLE_MAX_ROWS, time_limit=time_limit, stop=stop,
                                   as_text=True)
        if not rows and empty is not None:
            return settings.error(out, empty)
        if cols:  # none: the text held no statement (";", a comment)
            with output_deadline(paced, time_limit):
                if plain:
                    paced.write("".join(printable(str(row[-1]), newlines=True) + "\n" for row in rows))
                elif vertical or settings.mode == "line":
                    _print_vertical(cols, rows, paced, line_mode=settings.mode == "line" and not vertical)
                elif settings.mode == "markdown" and cols != EXPLAIN_COLUMNS:  # a plan prints as drawn
                    _print_markdown(cols, rows, paced)
                else:
                    _print_table(cols, rows, paced)
            paced.flush()
        return True
    except KeyboardInterrupt:
        error = "interrupted"
    except wh.OutputStopped:
        error = _output_stopped_message(time_limit)
    except wh.QueryTimeLimit as exc:
        error = _time_limit_message(exc)
    except (duckdb.Error, MemoryError) as exc:
        error = _sql_error(exc)
    stop.set()  # the error waits for no reader: when the output takes nothing, it goes to stderr
    if settings.query:
        return settings.error(out, error)
    try:
        paced.write(f"error: {error}\n")
        paced.flush()
    except wh.OutputStopped:
        print(f"newsdedup sql: {error}", file=sys.stderr)
    return False


def cmd_diff(args: argparse.Namespace, out: TextIO) -> int:
    """A readable unified diff of an article's title and text between revisions (read-only)."""
    import duckdb

    from newsdedup import warehouse as wh
    from newsdedup.revisions import revisions_of, unified_diff, utc_text

    if (bad := _not_utf8(args.article_id)) is not None:
        # Typed in a Latin-1 terminal, it reached DuckDB as a lone surrogate: a traceback. No stored id
        # (16 hex digits) is such text.
        why = re.sub(r" on its line \d+", "", bad.split(";")[0])
        print(f"newsdedup diff: no article {printable(repr(args.article_id))}: the id {why}", file=sys.stderr)
        return 2
    try:
        _with_snapshot(args.warehouse)
        with wh.reader(args.warehouse) as con:
            if con is None:
                print(f"newsdedup diff: no warehouse at {wh.warehouse_path(args.warehouse)} yet: run `make demo` or "
                      "`newsdedup run` first", file=sys.stderr)
                return 2
            try:
                revs = revisions_of(con, args.article_id)
            except duckdb.CatalogException:
                print(f"newsdedup diff: the warehouse {wh.warehouse_path(args.warehouse)} was written before "
                      "revisions were kept (its snapshot has no article_revisions table, migration 006); the next "
                      "`newsdedup run` (or DAG run) migrates it", file=sys.stderr)
                return 2
    except wh.WarehouseError as exc:
        print(f"newsdedup diff: {exc}", file=sys.stderr)
        return 2
    if not revs:
        print(f"newsdedup diff: no article {args.article_id!r} in the warehouse; revised ones are listed by "
              "newsdedup sql \"select article_id, revisions, title from revision_history where revisions > 1\"",
              file=sys.stderr)
        return 2
    by_number = {r["revision"]: r for r in revs}
    numbers = sorted(by_number)
    for flag, n in (("--from", args.from_), ("--to", args.to)):
        if n is not None and n not in by_number:
            print(f"newsdedup diff: {flag} {n}: article {args.article_id} has revisions "
                  f"{', '.join(map(str, numbers))}", file=sys.stderr)
            return 2
    first, last = revs[0], revs[-1]
    out.write(printable(f"article {args.article_id} ({last['source']}) {last['url']}") + "\n")
    out.write(f"{len(revs)} revision{'s' if len(revs) != 1 else ''}: first fetched {utc_text(first['fetched_at'])}, "
              f"latest {utc_text(last['fetched_at'])}\n")
    if args.from_ is not None or args.to is not None:
        to = args.to if args.to is not None else numbers[-1]
        frm = args.from_ if args.from_ is not None else numbers[max(numbers.index(to) - 1, 0)]
        pairs = [(frm, to)]
    else:
        pairs = list(zip(numbers, numbers[1:], strict=False))
        if not pairs:
            out.write("only one revision: the page has not changed since it was first fetched\n")
            return 0
    for a, b in pairs:
        old, new = by_number[a], by_number[b]
        minutes = (new["fetched_at"] - first["fetched_at"]).total_seconds() / 60
        what = []
        if b == a + 1 and new["title_changed"] is not None:  # stored against its predecessor
            what = [("title changed" if new["title_changed"] else "same title"),
                    f"+{new['words_added']} / -{new['words_removed']} words"]
        out.write(f"\n=== revision {a} -> {b} (fetched {utc_text(new['fetched_at'])}, {minutes:.0f} min after first "
                  f"seen){': ' + ', '.join(what) if what else ''}\n")
        for line in unified_diff(old, new, width=args.width):
            out.write(printable(line) + "\n")
    return 0


def cmd_reclean(args: argparse.Namespace, out: TextIO) -> int:
    from newsdedup import warehouse as wh
    from newsdedup.lshstore import LSHStoreError
    from newsdedup.pipeline import reclean

    try:
        summary = reclean(warehouse=args.warehouse)
    except wh.WarehouseMissing as exc:
        print(f"newsdedup reclean: {exc}", file=sys.stderr)
        return 2
    except (wh.WarehouseError, LSHStoreError) as exc:
        print(f"newsdedup reclean: {exc}", file=sys.stderr)
        return 1
    out.write(printable(summary.text(), newlines=True) + "\n")
    return 0


def _seconds(text: str) -> float:
    """An argparse type: a number of seconds, 0 or more (0: no limit)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"must be a number of seconds, 0 (no limit) or more, not {quoted(text)}")
    return value


def _positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (`--width 0` was a textwrap traceback)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {quoted(text)}")
    return value


def page_url(text: str) -> str:
    """An argparse type for `extract --url`: a URL the pipeline could have fetched the page from (http,
    https or file). `--url 'javascript:alert(1)'` came out as the record's canonical_url, and
    `http://exa mple.com/` as `http://exa mple.com/x`: URLs no reader of the records can use."""
    from newsdedup.urls import InvalidURL, canonicalize_url

    try:
        canonicalize_url(text)
    except InvalidURL as exc:
        raise argparse.ArgumentTypeError(f"must be the pages' http(s) or file URL (e.g. https://example.org/story), "
                                         f"not {printable(text[:200])!r}: {printable(str(exc)[:300])}") from None
    return text


def path_arg(text: str) -> str:
    """An argparse type for a path option: not empty. `--warehouse "$W"` with W unset was taken for no
    option at all, the default: a test run loaded into the production warehouse (`--sources ""` read
    the production sources file)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("the path is empty (an unset shell variable?); leave the option out "
                                         "for the default")
    return text


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="newsdedup", description=__doc__.splitlines()[0])
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = p.add_subparsers(dest="command", required=True)

    def warehouse_arg(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--warehouse", type=path_arg, help="DuckDB file (default: $NEWSDEDUP_WAREHOUSE or var/warehouse.duckdb)")

    sp = sub.add_parser("run", help="one pipeline run without Airflow")
    sp.add_argument("--sources", type=path_arg, help="sources YAML (default: $NEWSDEDUP_SOURCES or config/sources.yaml)")
    sp.add_argument("--staging", type=path_arg,
                    help="staging folder for Parquet batches (default: $NEWSDEDUP_STAGING or var/staging)")
    sp.add_argument("--json", action="store_true", help="also print the summary as one JSON line")
    warehouse_arg(sp)
    sp.set_defaults(func=cmd_run)

    sp = sub.add_parser("extract", help="HTML pages to article records (JSONL on stdout)")
    sp.add_argument("files", nargs="*", help="HTML files (.html or .html.gz); - reads one on standard input")
    sp.add_argument("--url", type=page_url, help="the pages' URL (for relative links and metadata)")
    sp.add_argument("--manifest", help="JSONL of {id, path, url}; paths relative to the manifest")
    sp.add_argument("--max-bytes", type=_positive_int,
                    help="skip a page larger than this, gunzipped or not (default: the fetcher's max_bytes, 5 MiB)")
    sp.set_defaults(func=cmd_extract)

    sp = sub.add_parser("dedup", help="offline dedup of a JSONL corpus")
    sp.add_argument("corpus", help="JSONL lines {id, source, url, published, title, text}; - reads them on "
                                   "standard input")
    sp.add_argument("-o", "--output", help="write JSONL here instead of stdout")
    sp.set_defaults(func=cmd_dedup)

    sp = sub.add_parser(
        "sql", help="query the warehouse read-only (shell when no query)",
        epilog="Without QUERY, a prompt (or a script on standard input) of statements ended with `;`, or with "
               "\\G to print each row as column: value lines. Its commands, one a line: "
               + "; ".join(f"{c}: {what}" for c, what in DOT_COMMANDS if c != ".help")
               + "; .help lists them. A QUERY that starts with one is read as such a script.")
    sp.add_argument("query", nargs="?", help="SQL to run, or a dot command (.tables, .schema articles); - reads "
                                             "the statements on standard input")
    sp.add_argument("--json", action="store_true", help="one JSON object per row (the prompt's rows too)")
    sp.add_argument("--time-limit", type=_seconds, metavar="SECONDS",
                    help=f"interrupt a statement after this long (default ${SQL_TIME_LIMIT_ENV}, else "
                         f"{SQL_TIME_LIMIT:g}; 0: no limit)")
    warehouse_arg(sp)
    sp.set_defaults(func=cmd_sql)

    sp = sub.add_parser("diff", help="what changed between an article's revisions (unified diff)")
    sp.add_argument("article_id", metavar="ARTICLE_ID", help="articles.article_id")
    sp.add_argument("--from", dest="from_", type=int, metavar="N", help="the older revision (default: the one before --to)")
    sp.add_argument("--to", type=int, metavar="M", help="the newer revision (default: the latest)")
    sp.add_argument("--width", type=_positive_int, default=100, help="wrap text lines at this width (default 100)")
    warehouse_arg(sp)
    sp.set_defaults(func=cmd_diff)

    sp = sub.add_parser("snapshot", help="check the warehouse and republish its read-only snapshot if needed")
    warehouse_arg(sp)
    sp.set_defaults(func=cmd_snapshot)

    sp = sub.add_parser("reclean", help="re-run clean and dedup from stored raw pages")
    warehouse_arg(sp)
    sp.set_defaults(func=cmd_reclean)
    return p


def address_space_problem() -> str | None:
    """Why this process's address-space limit is too small for newsdedup (below what DuckDB on one thread
    needs, `addressspace.address_space_need`), else None. Above it, DuckDB is given the threads that fit."""
    import resource

    from newsdedup.addressspace import address_space_need, usable_cpus

    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return None
    cpus = usable_cpus()
    need = address_space_need(1, cpus)
    if soft >= need:
        return None
    full = address_space_need(cpus, cpus)
    return (f"the address-space limit (`ulimit -v`, RLIMIT_AS) is {soft / 2**20:,.0f} MiB, below the "
            f"{need / 2**20:,.0f} MiB newsdedup reserves with DuckDB on one thread ({full / 2**20:,.0f} MiB with a "
            f"thread for each of the {cpus} CPU{'s' if cpus > 1 else ''} this process may use: DuckDB, glibc and OpenBLAS reserve "
            "address space for each thread, far beyond the memory they use); nothing was done. "
            f"Raise it (`ulimit -v unlimited`, or to {need // 1024:,} KiB at least), and bound memory with a "
            "cgroup (`systemd-run --scope -p MemoryMax=2G`, Docker's --memory) or $NEWSDEDUP_READER_MEMORY_LIMIT "
            "instead")


def main(argv: list[str] | None = None) -> int:
    # A path Python holds as lone surrogates (an ASCII locale, UTF-8 mode off) went out in every message and
    # log line as `d\udcc3\udca9`: its bytes now, `\xe9` for bytes that are not UTF-8 (`show_paths_as_bytes`).
    # And a cp1252 console or a latin-1 locale: a stored title past its characters was a UnicodeEncodeError
    # traceback mid-table; shown as `\u65e5` instead (JSON lines: `json_output`).
    show_paths_as_bytes(sys.stderr)
    show_paths_as_bytes(sys.stdout)
    args = build_parser().parse_args(argv)
    if (problem := address_space_problem()) is not None:
        print(f"newsdedup {args.command}: {problem}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not args.verbose:  # one line per HTTP request drowns what the run says; fetch_log has them all
        logging.getLogger("httpx").setLevel(logging.WARNING)
    out = CheckedOutput(sys.stdout, "standard output")
    try:
        status = int(args.func(args, out) or 0)
        out.flush()  # inside the try: a buffered write fails here, not at exit as a traceback
        return status
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except OutputError as exc:
        print(f"newsdedup {args.command}: {exc}", file=sys.stderr)
        # What is still buffered would fail again when Python flushes stdout at exit
        with suppress(OSError):
            if sys.stdout is not None:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:
        # Out of memory above the limit `address_space_problem` checks (a cgroup's, the machine's, an address
        # space DuckDB's work outgrew): a traceback, DuckDB's "Failed to allocate block" one too. The warehouse
        # commits whole or not at all; a run's fetched work stays staged for the next.
        duck = sys.modules.get("duckdb")
        if not isinstance(exc, MemoryError) and (duck is None or not isinstance(exc, duck.OutOfMemoryException)):
            raise
        print(f"newsdedup {args.command}: out of memory; nothing half-written: the warehouse keeps its last "
              "whole commit, and what a run fetched stays staged for the next run to load. Give it more memory, "
              "or run fewer sources at once", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
