"""The DuckDB warehouse: migrations, the one-transaction load, the reader snapshot, queries.

DuckDB allows one writing process and a read-only connection blocks the writer, so the main file is
only ever opened by the loader, for the length of its transaction. After each load the loader
publishes a consistent copy (``<name>.snapshot.duckdb``) that every reader opens instead: analysts,
the dashboard and the pipeline's own look-ups. Readers therefore see a state at most one run old and
never block a load.

Readers are sandboxed (`reader_config`): they read the snapshot's tables and nothing else, and they
never open the main file. Only the stages that may take the writer lock (a run's plan, the load,
maintenance, `newsdedup snapshot`/`sql`) repair a missing, damaged or stale snapshot
(`ensure_snapshot`).
"""

from __future__ import annotations

import errno
import gzip
import json
import logging
import os
import re
import shutil
import stat
import threading
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from newsdedup.addressspace import duckdb_threads
from newsdedup.config import (
    PROJECT_ROOT,
    access_problem,
    engine_path,
    not_utf8,
    path_too_long,
    shortened,
    warehouse_path,
)
from newsdedup.staging import remove_orphan_copies
from newsdedup.terminal import printable, quoted

log = logging.getLogger(__name__)

SQL_DIR_ENV = "NEWSDEDUP_SQL_DIR"


def sql_dir() -> Path:
    """The folder of migrations and views: $NEWSDEDUP_SQL_DIR (read when used; empty is unset), else sql/."""
    value = os.environ.get(SQL_DIR_ENV, "").strip()
    return Path(value) if value else PROJECT_ROOT / "sql"


SQL_DIR = sql_dir()  # as the environment said at import (tests read migrations from it)
LOCK_RETRY_SECONDS = 60.0
LOCK_PATIENCE_MAX = 86400.0  # $NEWSDEDUP_LOCK_PATIENCE above a day is a mistake (or inf)
# Every reader connection: with external access off and the configuration locked, a query can read
# the opened file's tables and nothing else: no ATTACH (of the live warehouse, read-write), no COPY
# TO, no read_text/read_csv/read_parquet of other files, no extension installs, and no SET to undo it.
READER_CONFIG = {"enable_external_access": False, "lock_configuration": True}
# And no spill folder: DuckDB allows every query to read and write files in its temp directory
# (`<snapshot>.tmp/` beside the warehouse by default), even with external access off, so an analyst
# could plant or fill files there. A query that outgrows the memory limit fails with a message
# instead. The limit keeps a careless query from taking the host's memory (DuckDB's default is 80%
# of it, beside the Airflow components): a quarter of it unless $NEWSDEDUP_READER_MEMORY_LIMIT says.
READER_MEMORY_ENV = "NEWSDEDUP_READER_MEMORY_LIMIT"
READER_MEMORY_SHARE = 0.25
READER_MEMORY_MAX = 10**15  # 1PB


def reader_memory_limit() -> str:
    """The memory limit of reader connections, as DuckDB reads it ("4GB", "512MB")."""
    value = os.environ.get(READER_MEMORY_ENV, "").strip()
    if value:
        # ASCII digits only: `\d` also took "١٢GB" (Arabic-Indic digits), which DuckDB refused, and the
        # warehouse check read its refusal as damage ("restore it from a backup", `cp` the snapshot over it).
        if not re.fullmatch(r"[0-9]+(\.[0-9]+)?[ \t]*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", value, re.I | re.ASCII):
            raise WarehouseError(f"{READER_MEMORY_ENV} must be a size such as 4GB or 512MB, got {quoted(value)}")
        if size_bytes(value) > READER_MEMORY_MAX:
            # DuckDB refuses a limit past 2**64 bytes ("Memory value out of range"), which the warehouse
            # check took for damage ("restore it from a backup"); past 2**62 the process cap overflowed
            # setrlimit (an OverflowError traceback). No machine has a petabyte: the value is a slip.
            raise WarehouseError(f"{READER_MEMORY_ENV} must be at most 1PB (a size such as 4GB or 512MB), got "
                                 f"{quoted(value)}")
        return value
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not POSIX: a fixed, modest limit
        return "2GB"
    # In a container the cgroup's limit is what the process has, not the host's memory.
    for limit_file in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        with suppress(OSError, ValueError):
            total = min(total, int(Path(limit_file).read_text().strip()))  # "max" (no limit): ValueError
    return f"{max(256, int(total * READER_MEMORY_SHARE) // 2**20)}MB"


_SIZE_UNITS = {"b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12,
               "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}
# What a reader process may use beside DuckDB's own memory: the Python values of a result. Rows come
# in batches, but one value is made a Python object whole, at 20-40 times DuckDB's bytes (an int object
# and a list slot per 8-byte number, a dict entry per map entry): `SELECT range(50000000)` or a map of
# as many entries fits DuckDB's limit and took tens of gigabytes of the host's memory in Python.
READER_PYTHON_MIN = 2**30
READER_THREAD_ALLOWANCE = 16 * 2**20


def size_bytes(value: str) -> int:
    """A size as `reader_memory_limit` gives it ("4GB", "512MiB", "1.5 GB") in bytes (KB = 1000, KiB = 1024)."""
    m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)[ \t]*([a-z]+)", value.strip().lower(), re.ASCII)
    if m is None or m.group(2) not in _SIZE_UNITS:
        raise WarehouseError(f"not a size: {quoted(value)}")
    return int(float(m.group(1)) * _SIZE_UNITS[m.group(2)])


@contextmanager
def bounded_reader_memory() -> Iterator[int | None]:
    """While it lasts, cap this process's data memory (RLIMIT_DATA) at the readers' memory limit plus as
    much again (at least `READER_PYTHON_MIN`) for the Python values of results: a query whose values
    would take more fails with an out-of-memory error (DuckDB's, or Python's MemoryError) instead of
    taking the host's memory. For commands that only read (`newsdedup sql`); a lower limit already set
    is kept, and the one before is put back after. Yields the limit in force, or None."""
    try:
        import resource
    except ImportError:  # not POSIX
        yield None
        return
    duck = size_bytes(reader_memory_limit())
    # the limit counts address space, not pages used: DuckDB's threads' stacks (one a core, 8 MiB each) too
    want = duck + max(duck, READER_PYTHON_MIN) + READER_THREAD_ALLOWANCE * (duckdb_threads() or os.cpu_count() or 1)
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    if soft != resource.RLIM_INFINITY and soft <= want:
        yield soft
        return
    try:
        resource.setrlimit(resource.RLIMIT_DATA, (want, hard))
    except (ValueError, OSError):
        yield None
        return
    try:
        yield want
    finally:
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))  # back up to the soft limit: at most the hard


def reader_config() -> dict[str, Any]:
    return {**READER_CONFIG, "temp_directory": "", "memory_limit": reader_memory_limit()}


# Every connection's session zone. DuckDB's follows the machine's (TZ): `published_at::DATE`,
# `date_trunc('day', ...)`, `strftime` and the times printed or handed to Python moved with the laptop or
# worker (23:30 UTC on March 8 was March 9 in Kolkata), and Python's `first_seen + 24 h` on a value
# handed back in New York's zone was 23 real hours across the spring change. UTC everywhere instead.
SESSION_TIME_ZONE = "UTC"


def _utc_session(con: duckdb.DuckDBPyConnection) -> None:
    # Not a connect-time option: DuckDB refuses TimeZone there before its built-in ICU is loaded.
    con.execute(f"SET TimeZone = '{SESSION_TIME_ZONE}'")


# Folders of this machine a reader has no use for, which `duckdb_settings()`, `current_setting()` and the
# refusals of `duckdb_secrets()` / `duckdb_extensions()` showed an analyst: the home folder of the user
# running `sql` (the worker's: `/home/airflow/.duckdb/stored_secrets`), where secrets and extensions
# would be. Neither can be read with external access off; cleared, they name no folder. The snapshot's own
# path (`pragma_database_list`, `duckdb_databases()`, the `allowed_paths` setting) stays: it is the file
# the analyst opened, which `sql`'s own messages name. Set before the configuration is locked.
READER_HIDDEN_PATHS = {"secret_directory": "", "extension_directory": "."}


def _with_threads(config: dict[str, Any]) -> dict[str, Any]:
    threads = duckdb_threads()
    return config if threads is None else {**config, "threads": threads}


def connect_reader(path: str | os.PathLike[str]) -> duckdb.DuckDBPyConnection:
    """A sandboxed read-only connection (`reader_config`) whose session zone is UTC, then locked."""
    config = reader_config()
    lock = config.pop("lock_configuration", False)
    con = duckdb.connect(engine_path(path), read_only=True, config=_with_threads(config))
    try:
        _utc_session(con)
        for name, value in READER_HIDDEN_PATHS.items():
            con.execute(f"SET {name} = '{value}'")
        if lock:
            con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


class WarehouseMissing(FileNotFoundError):
    """The warehouse file does not exist yet (no run has loaded anything)."""


class WarehouseError(RuntimeError):
    """The warehouse cannot be used as asked; the message says why and what to do."""


class WarehouseSettingError(WarehouseError):
    """A warehouse setting in the environment ($NEWSDEDUP_LOCK_PATIENCE) is not one."""


class WarehousePathError(WarehouseError):
    """The warehouse path names nothing DuckDB can use (a folder, a FIFO, a name that is not UTF-8, the
    readers' snapshot): no retry mends it."""


class WarehouseAccessError(WarehouseError):
    """This user may not read the warehouse or its snapshot, or (for a run) write the warehouse or its
    folder: not damage, and nothing a retry mends."""


class WarehouseFull(WarehouseError):
    """The file system holding the warehouse is full (or the user's quota used up): nothing committed."""


class WarehouseLocked(WarehouseError):
    """Another process held the writer lock for longer than the patience allowed."""


class WarehouseChanged(WarehouseError):
    """Another process loaded into the warehouse after this work read it (a reclean): nothing written."""


class WarehouseCorrupt(WarehouseError):
    """The main warehouse file cannot be opened or read: damaged, truncated or not DuckDB."""


class SnapshotUnavailable(WarehouseError):
    """The readers' snapshot is missing or unreadable while the main file exists."""


class QueryTimeLimit(Exception):  # noqa: N818 - a limit reached, as KeyboardInterrupt is no "Error"
    """A statement ran past its time limit and was interrupted (`run_query(time_limit=...)`)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"stopped at its time limit of {seconds:g} s")
        self.seconds = seconds


def snapshot_path(path: Path) -> Path:
    return path.with_name(path.stem + ".snapshot" + path.suffix)


def main_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The warehouse file (`config.warehouse_path`); WarehousePathError when it names the readers' snapshot,
    a folder, a FIFO or a name that is not UTF-8.

    Analysts are told to open `<name>.snapshot.duckdb`; given as --warehouse, a run loaded into the
    snapshot, published a snapshot of it, and the next load's snapshot replaced what it had put there."""
    p = warehouse_path(path)
    if not_utf8(p):
        # DuckDB cannot open it (`RuntimeError: std::bad_cast`): a run fetched everything and then
        # failed its load with a traceback.
        raise WarehousePathError(
            f"the warehouse path {printable(str(p))} is not UTF-8 (a name from another system's encoding): DuckDB "
            f"cannot open it. Rename it (e.g. `convmv -f latin1 -t utf8`) or point --warehouse or "
            f"$NEWSDEDUP_WAREHOUSE at a UTF-8 path; nothing was done.")
    if (why := path_too_long(p)) is not None:
        raise WarehousePathError(
            f"the warehouse path {printable(shortened(str(p)))} cannot name a file: {why}; nothing was done. "
            f"Point --warehouse, the run's `warehouse` Param or $NEWSDEDUP_WAREHOUSE at a shorter path.")
    try:
        os.stat(p)
    except OSError as exc:
        # A symlink loop was a RuntimeError traceback out of a run after its sources were read (Path.resolve
        # on 3.11-3.12; 3.13 resolves it silently, and `sql` said "no warehouse yet"): asked of the
        # system, ELOOP on every version. A missing file is for the callers.
        if exc.errno == errno.ELOOP:
            raise WarehousePathError(
                f"the warehouse path {printable(str(p))} cannot be followed: it is a symbolic link that leads back "
                f"to itself ({exc.strerror}); nothing was done. Point the link at the warehouse file, or point "
                f"--warehouse or $NEWSDEDUP_WAREHOUSE at the file itself.") from None
    for folder in p.absolute().parents:
        if folder.exists():
            if not folder.is_dir():
                # `/etc/passwd/w.duckdb`: a FileExistsError traceback out of a run's mkdir; `sql` said
                # "no warehouse yet: run `make demo`"
                raise WarehousePathError(
                    f"the warehouse path {printable(str(p))} cannot hold a file: {printable(str(folder))} is a file, "
                    f"not a folder; nothing was done. Point --warehouse, the run's `warehouse` Param or "
                    f"$NEWSDEDUP_WAREHOUSE at a file in a folder.")
            break
    if p.exists() and not p.is_file():
        # DuckDB read a folder as a damaged warehouse ("restore it from a backup, or move it aside")
        # and waited for ever on a FIFO (`sql`, `snapshot` and a run's plan hung).
        what = "a folder" if p.is_dir() else "not a regular file (a FIFO, a device or a socket)"
        raise WarehousePathError(
            f"the warehouse path {printable(str(p))} is {what}, not a DuckDB file; nothing was done. Point "
            f"--warehouse, the run's `warehouse` Param or $NEWSDEDUP_WAREHOUSE at a file"
            + (f" (e.g. {printable(str(p / 'warehouse.duckdb'))})" if p.is_dir() else "") + ".")
    if p.stem.endswith(".snapshot"):
        main = p.with_name(p.stem.removesuffix(".snapshot") + p.suffix)
        if snapshot_path(main) == p and main.exists():
            raise WarehousePathError(
                f"{p} is the readers' snapshot of the warehouse {main}: nothing writes to it but the publish "
                f"after a load. Point --warehouse or $NEWSDEDUP_WAREHOUSE at {main} (`newsdedup sql` reads its "
                f"snapshot); open {p} itself read-only in DuckDB or a BI tool.")
    return p


def _wal(path: Path) -> Path:
    # DuckDB keeps the WAL beside the file a symlinked path names, not beside the link: looked for
    # there, commits a killed load left in it went unseen and its snapshot was taken for up to date.
    return Path(str(path.resolve()) + ".wal")


def _unreadable_mark(path: Path) -> Path:
    """Left beside the snapshot by a reader that could not read it, for the next plan to see."""
    snap = snapshot_path(path)
    return snap.with_name(snap.name + ".unreadable")


def raw_dir(path: Path) -> Path:
    """Folder beside the warehouse holding gzip-compressed raw pages."""
    return path.with_name(path.stem + ".raw")


def store_raw_page(warehouse: Path, url_id: str, body: bytes, variant: str | None = None) -> str:
    """Keep a fetched page gzip-compressed beside the warehouse; return its path relative to raw_dir.

    `variant` names a later version of the page (a revision) beside the first one.
    """
    import hashlib
    import zlib

    from newsdedup.staging import atomic_write

    name = f"{url_id}.{variant}" if variant else url_id
    rel = Path(url_id[:2]) / f"{name}.html.gz"
    dest = raw_dir(warehouse) / rel
    if dest.exists():
        # Kept only when it holds these bytes. Another fetch of the page left it: a retried or cleared
        # ingest task, a failed load never loaded, two sources listing the URL in one run. The page
        # may have changed since, and its record was cleaned from these bytes: a reclean rebuilt it from
        # the first attempt's (the text went back). Other bytes get a name of their own, and no file a
        # row may refer to is replaced.
        with suppress(OSError, EOFError, zlib.error):
            if read_raw_page(warehouse, str(rel)) == body:
                return str(rel)
        rel = rel.with_name(f"{name}.{hashlib.sha256(body).hexdigest()[:16]}.html.gz")
        dest = raw_dir(warehouse) / rel
        if dest.exists():  # named by its content: these bytes
            return str(rel)
    data = gzip.compress(body, compresslevel=6)
    atomic_write(dest, lambda tmp: tmp.write_bytes(data))
    return str(rel)


def read_raw_page(warehouse: Path, rel: str) -> bytes:
    """The bytes of a stored raw page (OSError or EOFError when it is gone or damaged)."""
    return gzip.decompress((raw_dir(warehouse) / rel).read_bytes())


class SqlDirError(WarehousePathError):
    """$NEWSDEDUP_SQL_DIR names no folder of migrations: no retry mends it."""


def migration_files() -> list[Path]:
    folder = sql_dir() / "migrations"
    files = sorted(folder.glob("*.sql"))
    if not files:
        # Was a FileNotFoundError traceback out of `newsdedup run` (a plan task retried twice for it)
        raise SqlDirError(
            f"no migrations found under {folder.absolute()}: {SQL_DIR_ENV} must name the sql/ folder of this "
            f"release (with migrations/ and views/ in it), or be unset for {PROJECT_ROOT / 'sql'}; nothing was done")
    return files


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply pending migrations in order, then (re)create the analysis views. Returns applied names."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version VARCHAR PRIMARY KEY, applied_at TIMESTAMPTZ)"
    )
    con.execute("COMMENT ON TABLE schema_migrations IS 'One row per applied migration file from sql/migrations.'")
    done = {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for f in migration_files():
        if f.stem in done:
            continue
        con.execute(f.read_text(encoding="utf-8"))
        con.execute("INSERT INTO schema_migrations VALUES (?, now())", [f.stem])
        applied.append(f.stem)
    for f in sorted((sql_dir() / "views").glob("*.sql")):
        con.execute(f.read_text(encoding="utf-8"))
    if applied:
        log.info("warehouse: applied migrations %s", ", ".join(applied))
    return applied


# ------------------------------------------------------------------------------------ diagnosis
def lock_patience(patience: float | None = None) -> float:
    """Seconds a writer waits for the lock: the argument, else $NEWSDEDUP_LOCK_PATIENCE, else 60."""
    if patience is not None:
        return patience
    raw = os.environ.get("NEWSDEDUP_LOCK_PATIENCE", "")
    try:
        value = float(raw) if raw.strip() else LOCK_RETRY_SECONDS
    except ValueError:
        raise WarehouseSettingError(f"NEWSDEDUP_LOCK_PATIENCE must be a number of seconds, got {quoted(raw)}") from None
    if not value >= 0:  # also refuses NaN
        raise WarehouseSettingError(f"NEWSDEDUP_LOCK_PATIENCE must be zero or more seconds, got {quoted(raw)}")
    if value > LOCK_PATIENCE_MAX:  # inf, 1e400: a writer that never gives up holds its run for ever
        raise WarehouseSettingError(f"NEWSDEDUP_LOCK_PATIENCE must be at most {LOCK_PATIENCE_MAX:.0f} seconds "
                             f"(a day), got {quoted(raw)}")
    return value


def _is_lock_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, duckdb.IOException) and ("could not set lock" in text or "conflicting lock" in text)


# What DuckDB 2.0 says about a file that is truncated, overwritten or not a database at all.
_DAMAGE = ("not a valid duckdb database file", "could not read enough bytes", "corrupt database file",
           "checksum", "failed to read database header", "invalid database header")


# The first bytes of files a --warehouse names by mistake (an application's SQLite database, an export, a
# backup archive). DuckDB's words for them ("Loading external extensions is disabled": it would load its
# sqlite extension; "Cannot launch in-memory database in read-only mode!" for Parquet) were taken for
# damage: "restore it from a backup ... or move it aside to start a new, empty warehouse".
_OTHER_FORMATS = ((b"SQLite format 3\x00", "SQLite 3 database"), (b"PAR1", "Parquet file"),
                  (b"ARROW1", "Arrow IPC file"), (b"\x1f\x8b", "gzip file"), (b"PK\x03\x04", "zip archive"),
                  (b"(\xb5/\xfd", "zstd file"), (b"\xfd7zXZ\x00", "xz file"), (b"BZh", "bzip2 file"),
                  (b"\x89HDF\r\n\x1a\n", "HDF5 file"))
DUCKDB_MAGIC_AT = 8  # a DuckDB file's "DUCK" follows its header's 8-byte checksum


def other_format(path: Path) -> str | None:
    """The format of `path` when its first bytes say it is a file of another known kind, not DuckDB's."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return None
    if head[DUCKDB_MAGIC_AT:DUCKDB_MAGIC_AT + 4] == b"DUCK":
        return None
    return next((name for magic, name in _OTHER_FORMATS if head.startswith(magic)), None)


def _not_duckdb(path: Path, what: str) -> WarehousePathError:
    return WarehousePathError(
        f"{path} is a {what}, not a DuckDB database, so not a newsdedup warehouse; nothing was written to it. "
        f"Point --warehouse or $NEWSDEDUP_WAREHOUSE at the warehouse file (default var/warehouse.duckdb), or at "
        f"a new file.")


def _is_damage(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, duckdb.Error) and any(d in text for d in _DAMAGE)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [exc.__class__.__name__])[0]


def lock_holder(exc: BaseException) -> str:
    """Who holds the lock, from DuckDB's error (it names the PID), with the command line when readable."""
    text = str(exc)
    m = re.search(r"\(PID (\d+)\)", text)
    if not m:
        return f"another process ({_first_line(exc)})"
    pid = m.group(1)
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # another host (shared storage), another OS, or gone by now
        prog = re.search(r"lock is held in (.+?) \(PID", text)
        return f"PID {pid}" + (f" ({printable(prog.group(1))})" if prog else "")
    cmd = " ".join(" ".join(a.decode("utf-8", "replace") for a in raw.split(b"\0") if a).split())
    # any local process's arguments, bound for a terminal and the task log: controls escaped
    return f"PID {pid}: {printable(cmd[:300]) + ('…' if len(cmd) > 300 else '')}"


def _unreadable_by_us(path: Path) -> str | None:
    """What stops this user reading `path` (its mode and owner), or None when it can read it.

    A file this user may not read is not damaged: DuckDB's "Permission denied" on the main file was
    taken for damage ("restore it from a backup ... or move it aside to start a new, empty warehouse"),
    and on the snapshot for a rebuild to run, which keeps the snapshot's mode and so fixes nothing."""
    return access_problem(path, os.R_OK)


def _not_ours_to_read(path: Path, problem: str, *, snapshot: bool) -> WarehouseError:
    keeps = (" (a load's publish keeps the snapshot's mode and group: `chgrp` / `chmod g+r` it once)" if snapshot
             else " and write access to it and its folder (the loader's)")
    what = "the warehouse snapshot" if snapshot else "the warehouse"
    return (SnapshotUnavailable if snapshot else WarehouseAccessError)(
        f"{what} {path} {problem}; it was left as it is, and is not known to be damaged. Give this user read "
        f"access{keeps}, or run as a user that has it.")


def check_writable(path: Path) -> None:
    """Raise WarehouseAccessError when this user cannot write the warehouse file (when it exists) or
    create files in its folder (DuckDB's write-ahead log, the snapshot): a run found out at its load,
    after fetching every source, with nothing loaded."""
    folder = path.parent
    for target, what in ((path, "the warehouse"), (folder, "the warehouse's folder")):
        if target == path and not path.exists():
            continue
        if (problem := access_problem(target, os.W_OK | (os.X_OK if target == folder else 0))) is None:
            continue
        raise WarehouseAccessError(
            f"{what} {target} {problem}; a run writes the warehouse and creates {_wal(path).name} and "
            f"{snapshot_path(path).name} beside it. Give this user write access to both, or point --warehouse or "
            f"$NEWSDEDUP_WAREHOUSE at another file.")


def _corrupt(path: Path, exc: BaseException | str) -> WarehouseCorrupt:
    snap = snapshot_path(path)
    reason = exc if isinstance(exc, str) else _first_line(exc)
    hint = (f"if the snapshot {snap} is intact, `cp {snap} {path}` restores the state of the last published "
            f"load (remove {_wal(path)} too if present)") if snap.exists() else "there is no snapshot to restore"
    return WarehouseCorrupt(
        f"the warehouse {path} is damaged and cannot be used ({reason}); nothing was loaded. Restore it from a "
        f"backup, or {hint}; or move it aside to start a new, empty warehouse.")


def _connect_writer(path: Path, patience: float) -> duckdb.DuckDBPyConnection:
    con = _open_writer(path, patience)
    try:
        _utc_session(con)
    except BaseException:
        con.close()
        raise
    return con


def _open_writer(path: Path, patience: float) -> duckdb.DuckDBPyConnection:
    # Another writer (a concurrent load, a maintenance task) holds the lock for one short
    # transaction: wait for it instead of failing the task.
    deadline = time.monotonic() + patience
    delay = 0.2
    while True:
        try:
            return duckdb.connect(engine_path(path), config=_with_threads({}))
        except duckdb.Error as exc:
            if _is_lock_error(exc):
                if time.monotonic() < deadline:
                    time.sleep(min(delay, max(deadline - time.monotonic(), 0.05)))
                    delay = min(delay * 2, 5.0)
                    continue
                raise WarehouseLocked(
                    f"the warehouse {path} stayed locked by {lock_holder(exc)} for {patience:g} s. Only the "
                    f"loader and maintenance open it; analysts and BI tools must open {snapshot_path(path)} "
                    f"instead (`newsdedup sql`). Close that session and try again.") from exc
            if (other := other_format(path)) is not None:
                raise _not_duckdb(path, other) from exc
            if _is_damage(exc):
                raise _corrupt(path, exc) from exc
            if isinstance(exc, duckdb.IOException):
                # Not damage: the file cannot be opened read-write at all (left read-only after a
                # restore, another user's file, a read-only mount, a folder by that name). DuckDB's
                # "Permission denied" was a traceback, at a run's load after all its fetching.
                raise WarehouseError(
                    f"the warehouse {path} cannot be opened for writing ({_first_line(exc)}); nothing was "
                    f"loaded. Make it and its folder writable for this user (DuckDB writes {_wal(path).name} "
                    f"beside it), or point --warehouse or $NEWSDEDUP_WAREHOUSE at another file.") from exc
            raise


# -------------------------------------------------------------------------------------- writer
@contextmanager
def writer(path: str | os.PathLike[str] | None = None, patience: float | None = None
           ) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse read-write (creating and migrating it); publish a snapshot on success.

    Waits `patience` seconds (default: `lock_patience()`) for another writer's lock, then raises
    WarehouseLocked naming the holder. A CHECKPOINT that fails after the caller committed (a full
    disk) does not fail the block: the data is safe in the write-ahead log, which the next writer
    replays; the snapshot is then left as it was, and the next plan republishes it.
    """
    p = main_path(path)
    migration_files()  # a setting that names no migrations: before a file is created
    p.parent.mkdir(parents=True, exist_ok=True)
    con = _connect_writer(p, lock_patience(patience))
    checkpointed = False
    try:
        try:
            if (short := _truncation(con, p)) is not None:
                raise _corrupt(p, short)  # before anything is written to it
            _check_ours(con, p)
            migrate(con)
            yield con
        except duckdb.Error as exc:
            if _is_damage(exc):
                raise _corrupt(p, exc) from exc
            if _wal(p).name in str(exc) and (full := _full_disk(exc)) is not None:
                # A full disk (or quota) at the commit was told to make the folder writable, which it was
                raise WarehouseFull(
                    f"the warehouse {p} cannot be written: DuckDB cannot write its write-ahead log {_wal(p)} "
                    f"({_first_line(exc)}); nothing was written: the warehouse keeps its last commit. {full}") from exc
            if _wal(p).name in str(exc):
                # The file opened, but its folder takes no new file (read-only, another user's):
                # the first commit cannot create the write-ahead log. Was a traceback.
                raise WarehouseError(
                    f"the warehouse {p} cannot be written: DuckDB cannot create its write-ahead log {_wal(p)} "
                    f"({_first_line(exc)}); nothing was loaded. Make the folder {p.parent} writable for this "
                    f"user, or point --warehouse or $NEWSDEDUP_WAREHOUSE at another file.") from exc
            raise
        try:
            con.execute("CHECKPOINT")
            checkpointed = True
        except duckdb.Error as exc:
            log.warning("warehouse: CHECKPOINT failed after the data committed (%s). The data is safe in %s; "
                        "the next writer replays it and maintenance checkpoints it. The snapshot stays at the "
                        "previous state until the next run's plan republishes it.", _first_line(exc), _wal(p))
    finally:
        try:
            con.close()
        except duckdb.Error as exc:  # the database was invalidated by the failed checkpoint
            log.warning("warehouse: closing %s after a failed checkpoint: %s", p, _first_line(exc))
    if checkpointed:
        try:
            publish_snapshot(p)
        except OSError as exc:
            log.error("warehouse: the data committed, but the snapshot could not be published (%s); readers "
                      "see the previous load until the next run's plan republishes it", exc)


def _full_disk(exc: BaseException) -> str | None:
    """What to do when DuckDB's error is a full file system or an exceeded quota, else None."""
    text = str(exc)
    if "No space left on device" in text:
        return ("The file system holding it is full (`df -h` it): free space there, or move the warehouse to a "
                "larger one; a run's fetched work stays staged, and the next run loads it.")
    if "Disk quota exceeded" in text:
        return ("This user's disk quota is used up (`quota -s`): free space or raise the quota; a run's fetched "
                "work stays staged, and the next run loads it.")
    return None


def _keep_access(new: Path, like: Path) -> None:
    """Give the new snapshot the permissions and group of the one it replaces (the main file's for the
    first): the operator shares it with the analysts (`chgrp analysts`, `chmod 640`), and a copy made
    under the loader's umask (a service's 077) and primary group took their access away on every
    publish. Best effort: a group this user is not in cannot be given."""
    try:
        st = like.stat()
    except OSError:
        return
    with suppress(OSError):
        os.chmod(new, stat.S_IMODE(st.st_mode) & 0o777)
    if new.stat().st_gid != st.st_gid:
        with suppress(OSError):
            os.chown(new, -1, st.st_gid)


def publish_snapshot(path: Path) -> Path:
    """Copy the (checkpointed, closed) warehouse to the snapshot path atomically."""
    snap = snapshot_path(path)
    remove_orphan_copies(snap, "the copy of a snapshot publish")
    tmp = snap.with_name(snap.name + f".tmp{os.getpid()}")
    try:
        shutil.copyfile(path, tmp)
        _keep_access(tmp, snap if snap.exists() else path)
        # os.replace swaps the name: a reader that has the old snapshot open keeps reading it.
        os.replace(tmp, snap)
    finally:
        tmp.unlink(missing_ok=True)
    _unreadable_mark(path).unlink(missing_ok=True)
    return snap


# -------------------------------------------------------------------------------------- readers
def _snapshot_unavailable(path: Path, problem: str) -> SnapshotUnavailable:
    return SnapshotUnavailable(
        f"the warehouse snapshot {snapshot_path(path)} {problem}, while the warehouse {path} exists. Readers "
        f"(ingest tasks, the dashboard) only read the snapshot and never take the writer lock to rebuild it. "
        f"To fix it: run `newsdedup snapshot --warehouse {path}` (it republishes the snapshot from the "
        f"warehouse under the writer lock), or start a new run or clear this one: its plan task does the same.")


def _mark_unreadable(path: Path, exc: BaseException) -> None:
    with suppress(OSError):  # best effort: the next plan also finds out by opening it
        _unreadable_mark(path).write_text(json.dumps({"error": _first_line(exc), "at": time.time()}),
                                          encoding="utf-8")


class Snapshot:
    """A reader connection to the snapshot kept for many look-ups: a source's ingest, or a run's ingest
    of all its sources in one process. Use as a context manager, from one thread.

    Opening the snapshot costs ~30 ms (DuckDB starts a database for it), and an ingest opened it four
    times per source: a run over 1,000 `dir` sources with nothing new spent most of its minutes
    opening it. Here it is opened on first use and kept while the file stays the same; every
    `reading()` first looks at the file (one stat), and when a publish has replaced it
    (`publish_snapshot` renames a new file over it) the old connection is closed and the new file
    opened, so each look-up sees the latest published snapshot, as a `reader()` of its own would.
    Closed first because DuckDB gives a new connection to a path the database it still has open
    there: the replaced file's. Errors are the `reader()`'s: SnapshotUnavailable when the snapshot is
    missing, cannot be opened or is found damaged (the connection is then dropped).
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = main_path(path)
        self.opens = 0  # connections opened so far (a debug figure: one per published snapshot used)
        self._snap = snapshot_path(self.path)
        self._con: duckdb.DuckDBPyConnection | None = None
        self._file: tuple[int, ...] | None = None
        self._thread = threading.get_ident()

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        con, self._con, self._file = self._con, None, None
        if con is not None:
            with suppress(duckdb.Error):
                con.close()

    def _connection(self) -> duckdb.DuckDBPyConnection | None:
        if threading.get_ident() != self._thread:
            # DuckDB serves one query at a time per connection; a thread of its own needs a Snapshot of its own
            raise RuntimeError("a warehouse.Snapshot is used by the thread that made it only")
        try:
            st = self._snap.stat()
        except (FileNotFoundError, NotADirectoryError):
            self.close()
            if self.path.exists():
                raise _snapshot_unavailable(self.path, "does not exist") from None
            return None
        if not stat.S_ISREG(st.st_mode):  # a FIFO: DuckDB would wait on it for ever
            self.close()
            raise _snapshot_unavailable(self.path, "is not a regular file")
        # a publish renames a new file over it (new inode); a file restored or truncated in place changes size or time
        file = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        if self._con is not None and file == self._file:
            return self._con
        self.close()
        try:
            self._con = connect_reader(self._snap)
        except duckdb.Error as exc:
            if (denied := _unreadable_by_us(self._snap)) is not None:  # not damage: no mark, no rebuild to ask for
                raise _not_ours_to_read(self._snap, denied, snapshot=True) from exc
            _mark_unreadable(self.path, exc)
            raise _snapshot_unavailable(self.path, f"cannot be opened ({_first_line(exc)})") from exc
        self._file = file
        self.opens += 1
        return self._con

    @contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection | None]:
        """The connection to the latest snapshot (None only when there is no warehouse); left open."""
        con = self._connection()
        try:
            yield con
        except duckdb.Error as exc:
            if _is_damage(exc):
                self.close()
                _mark_unreadable(self.path, exc)
                raise _snapshot_unavailable(self.path, f"is damaged ({_first_line(exc)})") from exc
            raise


@contextmanager
def reader(path: str | os.PathLike[str] | None = None) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """Sandboxed read-only connection to the latest snapshot; None only when there is no warehouse.

    Never opens (or locks) the main file: a missing or unreadable snapshot while the main file exists
    raises SnapshotUnavailable, which says how to repair it. For many look-ups in a row, `Snapshot`.
    """
    with Snapshot(path) as snap, snap.reading() as con:
        yield con


def _check_ours(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Raise WarehouseError when the file is some other DuckDB database (tables, none of ours), or
    a warehouse migrated by a newer release (a migration this one does not have).

    `--warehouse` naming a BI tool's or a colleague's file was migrated: `newsdedup sql` created
    the schema's tables and views in it, or left it half-migrated when a table of its own was named
    like one of ours. An empty database (no tables) is a new warehouse.
    """
    tables = sorted(r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()").fetchall())
    if "schema_migrations" in tables:
        known = {f.stem for f in migration_files()}
        newer = sorted(r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()
                       if r[0] not in known)
        if newer:
            # A rolling upgrade: this older release would load with its own idea of the tables.
            raise WarehouseError(
                f"the warehouse {path} was migrated by a newer release of newsdedup (migrations {', '.join(newer)} "
                f"are not in this one's {sql_dir() / 'migrations'}); nothing was written to it. Upgrade newsdedup "
                f"here to the release that wrote it.")
    elif tables:
        shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
        raise WarehouseError(
            f"{path} is a DuckDB database but not a newsdedup warehouse (it has no schema_migrations table; its "
            f"tables: {shown}); nothing was written to it. Point --warehouse or $NEWSDEDUP_WAREHOUSE at the "
            f"warehouse file (default var/warehouse.duckdb), or at a new file.")


def _truncation(con: duckdb.DuckDBPyConnection, path: Path) -> str | None:
    """What is missing from the file, when it is shorter than the blocks in use its header counts.

    A truncated file often still opens (its catalog sits in the first blocks) and fails only on
    the first query that reaches a missing block. Free blocks do not count: DuckDB's checkpoint cuts
    free blocks off the end of the file while its header still counts them (a load that freed the
    tail left a healthy warehouse that this called truncated, and every later run refused it).
    """
    block_size, blocks, free = con.execute(
        "SELECT block_size, total_blocks, free_blocks FROM pragma_database_size()").fetchone()
    size = path.stat().st_size
    if size < block_size * (blocks - free):
        return (f"truncated: {size:,} bytes, while its header counts {blocks - free} blocks in use of "
                f"{block_size:,} bytes")
    return None


def _probe(path: Path) -> str | None:
    """Open a DuckDB file read-only (sandboxed), read its catalog and run table and check its size.
    Returns what is wrong with it, or raises what DuckDB says."""
    con = connect_reader(path)
    try:
        short = _truncation(con, path)
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if "ingest_runs" in tables:
            con.execute("SELECT count(*), max(finished_at) FROM ingest_runs").fetchall()
    finally:
        con.close()
    return short


def snapshot_problem(path: Path, *, stale: bool = True) -> str | None:
    """Why readers cannot use the snapshot of `path` as it is (None: they can); with `stale=False`
    only whether it can be read at all (not whether a load committed after it)."""
    snap = snapshot_path(path)
    if not snap.exists():
        return "does not exist"
    if not snap.is_file():  # a folder or a FIFO in its place: the rebuild's rename replaces a FIFO
        return "is not a regular file"
    mark = _unreadable_mark(path)
    if mark.exists():
        return f"was found unreadable by a reader ({mark.read_text(encoding='utf-8', errors='replace')[:300]})"
    if stale and path.exists():
        wal = _wal(path)
        if wal.exists() and wal.stat().st_size > 0:
            return "is older than the warehouse (its write-ahead log holds commits not checkpointed yet)"
        # A publish copies the closed main file, so the copy is the newer one; a main file written
        # after it means a load committed and could not publish (killed, or a full disk).
        if path.stat().st_mtime_ns > snap.stat().st_mtime_ns:
            return "is older than the warehouse (a load committed after it was published)"
    try:
        short = _probe(snap)
    except duckdb.Error as exc:
        return f"cannot be read ({_first_line(exc)})"
    return None if short is None else f"is {short}"


def check_main(path: Path) -> str | None:
    """Raise WarehouseCorrupt when the main file cannot be opened and read. Returns who holds it when
    another process has it open for writing (it is then not checked: it opened for that writer)."""
    try:
        problem = _probe(path)
    except duckdb.Error as exc:
        if _is_lock_error(exc):
            # A writer has it open, so it opened; the load checks it again under the lock.
            holder = lock_holder(exc)
            log.info("warehouse: %s is in use by %s; it is checked when the load opens it", path, holder)
            return holder
        if isinstance(exc, duckdb.OutOfMemoryException):
            # Not damage: the check reads with the readers' memory limit, and $NEWSDEDUP_READER_MEMORY_LIMIT
            # of 1KiB or 0GB cannot open any file; a healthy warehouse was called damaged ("restore it").
            raise WarehouseError(
                f"the readers' memory limit {reader_memory_limit()} is too small to open the warehouse {path} "
                f"({_first_line(exc)}); set {READER_MEMORY_ENV} to a size such as 1GB, or unset it") from exc
        if (denied := _unreadable_by_us(path)) is not None:
            raise _not_ours_to_read(path, denied, snapshot=False) from exc
        if (other := other_format(path)) is not None:
            raise _not_duckdb(path, other) from exc
        raise _corrupt(path, exc) from exc
    if problem is not None:
        raise _corrupt(path, problem)
    return None


def ensure_snapshot(path: str | os.PathLike[str] | None = None, patience: float | None = None, *,
                    wait_for_writer: bool = False) -> str:
    """Make sure readers find a readable, up-to-date snapshot; check the main file on the way.

    For the stages that may take the writer lock (a run's plan, `newsdedup snapshot` and `sql`),
    never for ingest tasks. Rebuilds a missing, damaged or stale snapshot from the main file under
    the writer lock. Returns "ok", "rebuilt", "in_use" (a writer has the main file open and the
    snapshot reads: it is kept) or "none" (no warehouse yet). Raises WarehouseCorrupt when the main
    file is damaged, WarehouseLocked when the lock cannot be had for a rebuild.
    """
    p = main_path(path)
    if not p.exists():
        return "none"
    holder = check_main(p)  # a damaged main file is noticed before anything is fetched, not at load
    problem = snapshot_problem(p)
    if problem is None:
        return "ok"
    if holder is not None and not wait_for_writer and snapshot_problem(p, stale=False) is None:
        # A load in flight writes to the main file (and its WAL) before it commits, and publishes when
        # it is done: the snapshot is then one load old, which is what readers are promised. Taken
        # for stale, `sql` failed and a second run's plan waited out the lock patience and failed,
        # during every long load.
        log.info("warehouse: %s is being written by %s; readers use the last published snapshot %s until that "
                 "writer publishes the next", p, holder, snapshot_path(p))
        return "in_use"
    if (denied := _unreadable_by_us(snapshot_path(p))) is not None:
        raise _not_ours_to_read(snapshot_path(p), denied, snapshot=True)
    log.warning("warehouse: the snapshot %s %s; rebuilding it from %s under the writer lock",
                snapshot_path(p), problem, p)
    with writer(p, patience):
        pass
    problem = snapshot_problem(p)
    if problem is not None:  # e.g. the checkpoint or the copy failed on a full disk
        raise _snapshot_unavailable(p, f"could not be rebuilt: it {problem}")
    log.info("warehouse: rebuilt the snapshot %s", snapshot_path(p))
    return "rebuilt"


def query_rows(path: str | os.PathLike[str] | None, sql: str, params: Sequence[Any] | None = None, *,
               max_rows: int | None = None, sink: RowSink | None = None,
               time_limit: float | None = None, stop: threading.Event | None = None, as_text: bool = False
               ) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one query on the snapshot; raise WarehouseMissing when there is no warehouse yet."""
    with reader(path) as con:
        if con is None:
            raise WarehouseMissing(
                f"no warehouse at {warehouse_path(path)} yet: run `make demo` or `newsdedup run` first"
            )
        return run_query(con, sql, params, max_rows=max_rows, sink=sink, time_limit=time_limit, stop=stop,
                         as_text=as_text)


# Rows are fetched in batches: the memory limit bounds DuckDB, not the Python rows of a result, and
# `fetchall()` of `SELECT * FROM range(100000000)` (or a join without its condition) took ~20 GB of
# Python objects (5 M rows: 1 GB) on a host without swap, beside the Airflow components.
FETCH_BATCH_ROWS = 2048  # DuckDB's vector size
RowSink = Callable[[list[str], list[tuple[Any, ...]]], None]


class OutputStopped(Exception):  # noqa: N818 - a stop asked for, as KeyboardInterrupt is no "Error"
    """Raised by a sink that gave up waiting for its output because `run_query` set its `stop`."""


# What `sql` shows as DuckDB writes it (`run_query(as_text=True)`): Python's value of an INTERVAL is a
# timedelta, which counts a month as 30 days (`1 year 2 months 3 days` came out as `423 days, 4:05:06`,
# and `1 month` and `30 days` alike); a BLOB's is bytes, which printed as Python's `b'\xaa'`. Cast to
# VARCHAR, inside lists, arrays, structs, maps and unions too, they are DuckDB's own text of them.
_TEXT_TYPES = frozenset({"interval", "blob"})
_NESTED_TYPES = frozenset({"list", "array", "struct", "map", "union"})


def _text_type(t: Any) -> str | None:
    """The SQL type that is `t` with every INTERVAL and BLOB in it a VARCHAR; None when it holds none."""
    tid = t.id
    if tid in _TEXT_TYPES:
        return "VARCHAR"
    if tid not in _NESTED_TYPES:
        return None
    kids = t.children
    if tid in ("list", "array"):
        inner = _text_type(kids[0][1])
        return None if inner is None else f"{inner}[]" if tid == "list" else f"{inner}[{kids[1][1]}]"
    if tid == "map":
        key, value = _text_type(kids[0][1]), _text_type(kids[1][1])
        if key is None and value is None:
            return None
        return f"MAP({key or kids[0][1]}, {value or kids[1][1]})"
    fields = kids[1:] if tid == "union" else kids  # a union's first child is its tag
    new = [_text_type(ft) for _, ft in fields]
    if all(n is None for n in new):
        return None
    quoted = ['"' + str(name).replace('"', '""') + '"' for name, _ in fields]
    return f"{tid.upper()}(" + ", ".join(f"{q} {n or ft}" for q, n, (_, ft) in zip(quoted, new, fields, strict=True)) + ")"


def _without_end(query: str) -> str:
    """One statement's text without its closing `;` and the comments after it (DuckDB's tokens say where
    they are), so that it can stand in a subquery."""
    tokens = duckdb.tokenize(query)
    while tokens and tokens[-1][1] == duckdb.token_type.comment:
        tokens.pop()
    # DuckDB's token offsets count UTF-8 bytes: taken as characters, a statement holding `é` was cut in the
    # wrong place, its wrap failed and its BLOBs and INTERVALs printed as Python's `b'\\xaa'` / timedelta.
    raw = query.encode("utf-8", "surrogatepass")
    if tokens and tokens[-1][1] == duckdb.token_type.operator and raw[tokens[-1][0]:].lstrip().startswith(b";"):
        return raw[:tokens[-1][0]].decode("utf-8", "surrogatepass")
    return query


def _before_last(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[duckdb.Statement], str]:
    """The statements of `sql` before its last (as DuckDB cuts them), and the last one's text. `sql`
    itself, after none, when it is one statement or DuckDB cannot cut it (its error comes when it runs).
    Run one by one, then the last with `_as_text_query`'s casts: run as one text, DuckDB hands back the
    last statement's result, whose INTERVALs came as Python's timedelta and BLOBs as b'..'."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error:
        return [], sql
    if len(statements) < 2:
        return [], sql
    return statements[:-1], statements[-1].query


def _as_text_query(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None) -> str | None:
    """`sql` with its INTERVAL and BLOB columns (nested ones too) cast to VARCHAR, or None when it has
    none or is not one plain query (EXPLAIN, PRAGMA, several statements: run as written). Its columns are
    found by running it under `LIMIT 0` (nothing read); a text DuckDB cannot wrap (SHOW) is run as written."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error:
        return None  # run as written: DuckDB's own error for it
    if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
        return None
    body = _without_end(statements[0].query)
    try:
        described = con.execute(f"SELECT * FROM (\n{body}\n) LIMIT 0", params or []).description or []
    except duckdb.InterruptException:
        raise
    except duckdb.Error:
        return None  # not wrappable (SHOW, DESCRIBE): as written
    casts = [_text_type(d[1]) for d in described]
    if all(c is None for c in casts):
        return None
    cols = [f'#{i}' if c is None else f'CAST(#{i} AS {c})' for i, c in enumerate(casts, 1)]
    names = ['"' + d[0].replace('"', '""') + '"' for d in described]
    return "SELECT " + ", ".join(f"{c} AS {n}" for c, n in zip(cols, names, strict=True)) + f" FROM (\n{body}\n)"


def run_query(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None = None, *,
              max_rows: int | None = None, sink: RowSink | None = None,
              time_limit: float | None = None, stop: threading.Event | None = None, as_text: bool = False
              ) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Execute and fetch `sql` so that Ctrl-C stops it: the query runs on a worker thread while
    this one waits, and a KeyboardInterrupt here interrupts the query (then is raised again).

    DuckDB works with the GIL released and never looks at Python's signal flag: a query run on the
    main thread went on after Ctrl-C until it finished, however long that took.

    With `sink`, each batch of rows goes to `sink(columns, rows)` (on the query's thread) as it is
    fetched and none are returned; with `max_rows`, fetching stops after `max_rows + 1` rows (one
    more than asked says that there are more).

    With `time_limit` (seconds; None or 0: none), a statement still running, or still being fetched,
    that long after it started is interrupted the same way and QueryTimeLimit raised: a cross join of
    two generate_series ran until someone pressed Ctrl-C, in a cron job for ever.

    `stop` is set whenever the statement is interrupted (time limit, Ctrl-C): a sink blocked on its
    output (`sql --json` into a pipe nobody reads) never sees DuckDB's interrupt, and is to raise
    OutputStopped when it sees `stop`. Without it, the time limit waited on that sink for ever.

    With `as_text`, INTERVAL and BLOB values come as DuckDB's text of them (`_as_text_query`), of the
    last statement of several too (`_before_last`).
    """
    result: dict[str, Any] = {}
    done = threading.Event()

    def work() -> None:
        try:
            before, last = _before_last(con, sql) if as_text else ([], sql)
            for statement in before:  # what DuckDB does with them when it runs the text: their results go
                con.execute(statement)
            text_sql = _as_text_query(con, last, params) if as_text else None
            cur = con.execute(text_sql or last, params or [])
            if cur is None:  # DuckDB returns no cursor for text without a statement (";", a comment)
                result["value"] = [], []
                return
            columns = [d[0] for d in cur.description] if cur.description else []
            rows: list[tuple[Any, ...]] = []
            while batch := cur.fetchmany(FETCH_BATCH_ROWS):
                if sink is not None:
                    sink(columns, batch)
                    continue
                rows.extend(batch)
                if max_rows is not None and len(rows) > max_rows:
                    del rows[max_rows + 1:]
                    break
            result["value"] = columns, rows
        except BaseException as exc:  # handed to the caller's thread
            result["error"] = exc
        finally:
            done.set()

    # An Event, not Thread.join: a KeyboardInterrupt inside join() can leave the thread marked as
    # finished while it still runs (CPython), and the connection would be closed under it.
    threading.Thread(target=work, name="newsdedup-query", daemon=True).start()
    until = time.monotonic() + time_limit if time_limit else None
    try:
        while not done.wait(0.25 if until is None else min(0.25, max(0.0, until - time.monotonic()))):
            if until is not None and time.monotonic() >= until:
                _interrupt(con, stop)
                while not done.wait(0.25):  # as for Ctrl-C: again until the thread is done
                    con.interrupt()
                if isinstance(result.get("error"), duckdb.InterruptException | OutputStopped):
                    raise QueryTimeLimit(time_limit)  # type: ignore[arg-type]  # set: `until` is
                break
    except KeyboardInterrupt:
        # Again until the thread is done: an interrupt that comes before DuckDB has started the query
        # (still parsing or planning it, on a busy machine) is lost, and the query then ran to its end.
        _interrupt(con, stop)
        while not done.wait(0.25):
            con.interrupt()
        raise
    if "error" in result:
        raise result["error"]
    return result["value"]


def _interrupt(con: duckdb.DuckDBPyConnection, stop: threading.Event | None) -> None:
    if stop is not None:
        stop.set()
    con.interrupt()


def known_urls(con: duckdb.DuckDBPyConnection | None, urls: Sequence[str]) -> set[str]:
    """The subset of `urls` already stored as an article's url or canonical URL."""
    if con is None or not urls:
        return set()
    rows = con.execute(
        "SELECT u FROM unnest(?::VARCHAR[]) t(u) WHERE u IN (SELECT url FROM articles) "
        "OR u IN (SELECT canonical_url FROM articles)",
        [list(urls)],
    ).fetchall()
    return {r[0] for r in rows}


def known_article_ids(con: duckdb.DuckDBPyConnection | None, ids: Sequence[str]) -> set[str]:
    if con is None or not ids:
        return set()
    rows = con.execute(
        "SELECT article_id FROM articles WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [list(ids)]
    ).fetchall()
    return {r[0] for r in rows}


def article_texts(con: duckdb.DuckDBPyConnection | None, ids: Sequence[str]) -> dict[str, str]:
    """The stored text of each of `ids` that is stored ('' for a page that failed to clean)."""
    if con is None or not ids:
        return {}
    rows = con.execute(
        "SELECT article_id, text FROM articles WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [list(ids)]
    ).fetchall()
    return {r[0]: r[1] or "" for r in rows}


def source_state(con: duckdb.DuckDBPyConnection | None, name: str, url: str) -> dict[str, Any] | None:
    """What the source `name` remembers from its last run (`sources.state`), or None.

    Only while it still reads the URL it was stored for (`url`, without credentials): the state is
    that URL's (its ETag and Last-Modified, its detected kind, a site's feeds, a folder's progress).
    Kept across a URL change, the old feed's Last-Modified went to the new URL as If-Modified-Since
    (a 304, so the new feed was never read) and the old URL's detected kind failed the new one.
    """
    if con is None:
        return None
    row = con.execute("SELECT url, state FROM sources WHERE name = ?", [name]).fetchone()
    if row is None or row[0] != url:
        if row is not None:
            log.info("source %s: its URL changed since its last run; starting without the old URL's state", name)
        return None
    return json.loads(row[1]) if row[1] else {}


# The tables that say which source a stored row is of (the per-source state a renamed source carries on),
# and the column that says it. `fetch_log` and `ingest_runs` are history: they keep the name a run used.
SOURCE_COLUMNS = {"articles": "source", "minhash_signatures": "source", "article_checks": "source",
                  "source_endpoints": "source"}


def _stored_under(con: duckdb.DuckDBPyConnection, name: str) -> tuple[int, int]:
    """(stored articles, of those followed by re-checks) of the source `name`."""
    ((articles,),) = con.execute("SELECT count(*) FROM articles WHERE source = ?", [name]).fetchall()
    ((followed,),) = con.execute("SELECT count(*) FROM article_checks WHERE source = ?", [name]).fetchall()
    return int(articles), int(followed)


def renamed_sources(con: duckdb.DuckDBPyConnection | None, sources: Sequence[tuple[str, str]]
                    ) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The sources of a run that earlier runs knew under another name: `sources` are the run's
    (name, URL without credentials). A name no run has stored whose URL is stored under exactly one
    name the sources file no longer has is that source renamed: {new name: {"was": old name,
    "articles": its stored articles, "followed": those re-checked}}. The second value: a warning for
    each new name whose URL is stored under several such names (which one it is cannot be told)."""
    if con is None or not sources:
        return {}, []
    names = [n for n, _u in sources]
    try:
        rows = con.execute("""
            SELECT t.name, list(s.name ORDER BY s.name)
            FROM (SELECT unnest($names::VARCHAR[]) AS name, unnest($urls::VARCHAR[]) AS url) t
            JOIN sources s ON s.url = t.url AND s.name NOT IN (SELECT unnest($names::VARCHAR[]))
            WHERE t.name NOT IN (SELECT name FROM sources)
            GROUP BY t.name ORDER BY t.name""", {"names": names, "urls": [u for _n, u in sources]}).fetchall()
    except duckdb.CatalogException:  # before the first migration
        return {}, []
    renamed: dict[str, dict[str, Any]] = {}
    warnings: list[str] = []
    by_old: dict[str, list[str]] = {}
    for new, olds in rows:
        if len(olds) == 1:
            by_old.setdefault(olds[0], []).append(new)
            continue
        counts = dict(con.execute("SELECT source, count(*) FROM articles WHERE source IN (SELECT unnest(?::VARCHAR[])) "
                                  "GROUP BY 1", [olds]).fetchall())
        warnings.append(f"source {new} has the URL that {len(olds)} sources no longer in the sources file had "
                        f"({', '.join(olds)}; {', '.join(f'{counts.get(o, 0)}' for o in olds)} stored articles): "
                        f"which one it is cannot be told, so it starts on its own and their articles are not "
                        f"re-checked. To carry one on, give {new} that source's name")
    for old, news in sorted(by_old.items()):
        if len(news) > 1:  # two new names of one URL: the same question the other way round
            warnings.append(f"sources {', '.join(news)} have the URL that source {old}, no longer in the sources "
                            f"file, had: which one it is cannot be told, so each starts on its own and {old}'s "
                            f"articles are not re-checked. To carry it on, give one of them the name {old}")
            continue
        articles, followed = _stored_under(con, old)
        renamed[news[0]] = {"was": old, "articles": articles, "followed": followed}
    return renamed, warnings


def renamed_line(new: str, r: dict[str, Any]) -> str:
    """The log's words for a source that carries on another name's state."""
    return (f"source {new} was known as {r['was']} (same URL): its {r['articles']} stored articles "
            f"({r['followed']} followed by re-checks) carry on under {new}: their re-checks, the source's "
            "conditional-GET state and its template")


def dropped_sources(con: duckdb.DuckDBPyConnection | None, names: Sequence[str],
                    renamed_from: Collection[str]) -> list[str]:
    """The log's words for each source the latest loaded run read that the sources file no longer names
    (nor renames: `renamed_from`, the old names of the run's renamed sources), or skipped as a repeat of
    another source's URL while the file named it: its stored articles stay,
    but nothing fetches or re-checks them any more, which no line said. Said once, by the first run
    without it (a reclean's row, which lists every stored source, is not a run's)."""
    if con is None:
        return []
    try:
        row = con.execute("SELECT metrics FROM ingest_runs WHERE NOT starts_with(run_id, 'reclean__') "
                          "ORDER BY finished_at DESC LIMIT 1").fetchone()
    except duckdb.CatalogException:  # before the first migration
        return []
    if row is None or not row[0]:
        return []
    keep = {*names, *renamed_from}
    metrics = json.loads(row[0])
    # and those it skipped as repeats of another source's URL: in its file, not read (not named as gone then)
    last = sorted(({s.get("source") for s in metrics.get("sources", [])} | set(metrics.get("skipped") or []))
                  - keep - {None})
    lines = []
    for name in last:
        articles, followed = _stored_under(con, name)
        how = "read by" if name not in (metrics.get("skipped") or []) else "skipped as a repeat by"
        lines.append(f"source {name}, {how} the last run, is not in the sources file: its {articles} stored "
                     f"articles stay, but none is fetched or re-checked any more ({followed} were followed by "
                     f"re-checks); to follow them again, list it again under the name {name}")
    return lines


def renamed_since(con: duckdb.DuckDBPyConnection, sources: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Under the writer lock, at a load: the run's sources (name, URL without credentials) that a run loaded
    after this one's plan renamed, {name the warehouse now has: the run's name}. A name of the run with no
    `sources` row whose URL is stored under exactly one name the run does not have: at the plan that URL
    was under this name or none (else the plan had taken it as renamed), so a later load moved it. Such a
    run loaded under the old name again: its rows and a `sources` row beside the new name's, one URL
    under two names for every run after."""
    if not sources:
        return {}
    names = [n for n, _u in sources]
    rows = con.execute("""
        SELECT t.name, list(s.name ORDER BY s.name)
        FROM (SELECT unnest($names::VARCHAR[]) AS name, unnest($urls::VARCHAR[]) AS url) t
        JOIN sources s ON s.url = t.url AND s.name NOT IN (SELECT unnest($names::VARCHAR[]))
        WHERE t.name NOT IN (SELECT name FROM sources)
        GROUP BY t.name""", {"names": names, "urls": [u for _n, u in sources]}).fetchall()
    return {olds[0]: name for name, olds in rows if len(olds) == 1}


def carry_on_renamed(con: duckdb.DuckDBPyConnection, renamed: dict[str, str]) -> None:
    """Inside a load's transaction: what is stored under each old name of `renamed` ({new: old}) moves
    to the new name, in every table that says which source a row is of (the history in `fetch_log` and
    `ingest_runs` keeps the name it was recorded under). The old name's `sources` row becomes the new
    one's when the run staged none for it (its ingest crashed), else it goes. Idempotent: a re-load
    finds nothing left under the old name."""
    for new, old in sorted(renamed.items()):
        # a feed or sitemap both names list (the old one's from an adopted batch): the new name's row stays
        con.execute("""DELETE FROM source_endpoints WHERE source = ? AND url IN
                       (SELECT url FROM source_endpoints WHERE source = ?)""", [old, new])
        for table, col in SOURCE_COLUMNS.items():
            con.execute(f"UPDATE {table} SET {col} = ? WHERE {col} = ?", [new, old])
        con.execute("DELETE FROM sources WHERE name = ? AND EXISTS (SELECT 1 FROM sources WHERE name = ?)",
                    [old, new])
        con.execute("UPDATE sources SET name = ? WHERE name = ?", [new, old])


def load_mark(con: duckdb.DuckDBPyConnection | None) -> list[Any]:
    """Which loads a reader sees: how many runs are recorded and when the latest finished (a reclean
    rewrites its row), and how many signatures and raw pages are stored (a retention deletes some, and
    records no run). Dedup decides against one mark; a load under another missed the runs between; a
    reclean under another would write back what it read (`pipeline.reclean`)."""
    if con is None:
        return [0, None, 0, 0]
    try:
        ((n, last, signatures, pages),) = con.execute(
            "SELECT count(*), max(finished_at), (SELECT count(*) FROM minhash_signatures), "
            "(SELECT count(*) FROM raw_pages) FROM ingest_runs").fetchall()
    except duckdb.CatalogException:  # before the first migration
        return [0, None, 0, 0]
    # in UTC whatever the connection's zone, so a reader's mark and the writer's compare equal
    return [n, last.astimezone(UTC).isoformat() if isinstance(last, datetime) and last.tzinfo else
            last.isoformat() if last is not None else None, signatures, pages]


# A stored article is in the dedup window: published since `$since` (no bound when NULL), or undated.
_IN_WINDOW = "($since::TIMESTAMPTZ IS NULL OR published_at IS NULL OR published_at >= $since::TIMESTAMPTZ)"


def other_configs(con: duckdb.DuckDBPyConnection | None, since: datetime | None, fingerprint: str) -> dict[str, int]:
    """Stored articles of the dedup window signed under another dedup config than `fingerprint`, by
    fingerprint: an earlier release's. Dedup compares new articles only with those of its own config
    (their signatures, shingles and band keys are another config's), so these are not compared."""
    if con is None:
        return {}
    try:
        rows = con.execute(f"""SELECT config_fingerprint, count(*) FROM minhash_signatures
                               WHERE config_fingerprint <> $fp AND {_IN_WINDOW}
                               GROUP BY 1 ORDER BY 2 DESC, 1""", {"fp": fingerprint, "since": since}).fetchall()
    except duckdb.CatalogException:  # before the first migration
        return {}
    return {str(f): int(n) for f, n in rows}


def recorded_run(con: duckdb.DuckDBPyConnection | None, run_id: str) -> dict[str, Any] | None:
    """The metrics a run recorded when it was loaded ({"sources": [...], "dedup": {...}}), else None.

    A run row is written in the same transaction as the run's data, so its presence means the
    whole run is in the warehouse: a cleared and re-run task re-uses it instead of loading again.
    """
    if con is None:
        return None
    try:
        row = con.execute("SELECT metrics FROM ingest_runs WHERE run_id = ?", [run_id]).fetchone()
    except duckdb.CatalogException:  # a snapshot from before the first migration: nothing recorded
        return None
    if row is None:
        return None
    return json.loads(row[0]) if row[0] else {"sources": [], "dedup": {}}


class DedupState:
    """The stored dedup state a run needs, read per new batch (`newsdedup.dedup.SeedStore`).

    Instead of seeding every article of the window (its cost grows with the warehouse), the dedup
    stage asks for the articles its new ones can match — a join of their LSH band keys with
    `lsh_bands`, their content hashes, their rarer sentences — and for sentence aggregates over
    the rest. Only articles deduplicated under `fingerprint`, published since `since` (undated
    ones always), count: the window.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, since: datetime | None, fingerprint: str,
                 max_postings: int, exclude: Sequence[str] = (), renamed: dict[str, str] | None = None) -> None:
        self.con, self.since, self.fingerprint, self.max_postings = con, since, fingerprint, max_postings
        self.exclude = list(exclude)
        # {old name: new name}: a renamed source's stored articles count as the new name's (its boilerplate)
        self.renamed = dict(renamed or {})
        if self.exclude:  # the stored articles a reclean replaces are compared as their new versions only
            self._WINDOW = self._WINDOW[:-1] + " AND article_id NOT IN (SELECT unnest($exclude::VARCHAR[])))"

    _WINDOW = f"""(SELECT article_id FROM minhash_signatures WHERE config_fingerprint = $fp AND {_IN_WINDOW})"""

    def _params(self) -> dict[str, Any]:
        return {"fp": self.fingerprint, "since": self.since, **({"exclude": self.exclude} if self.exclude else {})}

    @contextmanager
    def _table(self, name: str, **columns: Any) -> Iterator[None]:
        """Expose arrays to SQL as a (temporary, read-only-safe) Arrow view."""
        import pyarrow as pa

        self.con.register(name, pa.table(columns))
        try:
            yield
        finally:
            self.con.unregister(name)

    def sentence_stats(self, hashes: Any, exclude: Sequence[str]) -> Any:
        import numpy as np
        import pyarrow as pa

        from newsdedup.dedup import SentenceStats

        out = SentenceStats()
        if not len(hashes):
            return out
        hexes = pa.array([f"{int(h):016x}" for h in np.asarray(hashes, dtype=np.uint64).tolist()], pa.string())
        with self._table("q_hashes", sentence_hash=hexes), \
                self._table("q_exclude", article_id=pa.array(list(exclude), pa.string())):
            carriers = f"""
                SELECT DISTINCT s.sentence_hash, s.article_id
                FROM article_sentences s JOIN q_hashes USING (sentence_hash)
                WHERE s.article_id IN {self._WINDOW}
                  AND s.article_id NOT IN (SELECT article_id FROM q_exclude)"""
            rows = self.con.execute(f"""
                WITH c AS ({carriers})
                SELECT c.sentence_hash, count(*), count(DISTINCT k.cluster_id), min(k.cluster_id)
                FROM c JOIN article_clusters k USING (article_id) GROUP BY 1""", self._params()).fetchall()
            for h, n, nc, cid in rows:
                out.docs[int(h, 16)] = (n, nc, cid)
            rows = self.con.execute(f"""
                WITH c AS ({carriers})
                SELECT c.sentence_hash, m.source, count(*)
                FROM c JOIN minhash_signatures m USING (article_id) GROUP BY 1, 2""", self._params()).fetchall()
            for h, src, n in rows:
                per = out.source_docs.setdefault(int(h, 16), {})
                name = self.renamed.get(src, src)
                per[name] = per.get(name, 0) + n
        return out

    def seed_docs(self, band_keys: Any, sentence_hashes: Any, content_hashes: Sequence[str]) -> list[Any]:
        import numpy as np
        import pyarrow as pa

        from newsdedup.dedup import SeedDoc
        from newsdedup.dedup.core import EXACT_ONLY
        from newsdedup.dedup.minhash import MAX_HITS_PER_BAND
        from newsdedup.dedup.text import LEDE_SENTENCES

        hexes = pa.array([f"{int(h):016x}" for h in np.asarray(sentence_hashes, dtype=np.uint64).tolist()],
                         pa.string())
        with self._table("q_keys", key=pa.array(np.asarray(band_keys, dtype=np.uint64), pa.uint64())), \
                self._table("q_sent", sentence_hash=hexes), \
                self._table("q_chash", content_hash=pa.array(list(content_hashes), pa.string())):
            # Rows loaded before migration 002 have no band keys or shingles: seeded in full (the old way).
            rows = self.con.execute(f"""
                WITH win AS {self._WINDOW},
                rare AS (
                    SELECT s.sentence_hash FROM article_sentences s JOIN q_sent USING (sentence_hash)
                    WHERE s.article_id IN (SELECT article_id FROM win)
                    GROUP BY 1 HAVING count(DISTINCT s.article_id) <= $maxp),
                -- per band key the `maxh` latest in seeding order (the in-process index answers those only,
                -- whatever else is seeded); per content hash the first that is matched exactly (`_by_hash`):
                -- 100,000 stored copies of one text were all seeded, in full, by every run that had one more
                banded AS (
                    SELECT b.article_id, row_number() OVER (
                        PARTITION BY b.key ORDER BY m.published_at DESC NULLS FIRST, b.article_id DESC) AS rn
                    FROM lsh_bands b JOIN q_keys USING (key) JOIN minhash_signatures m USING (article_id)
                    WHERE b.article_id IN (SELECT article_id FROM win)),
                hashed AS (
                    SELECT m.article_id, row_number() OVER (
                        PARTITION BY m.content_hash ORDER BY m.published_at NULLS LAST, m.article_id) AS rn
                    FROM minhash_signatures m JOIN article_clusters k USING (article_id)
                    WHERE m.content_hash IN (SELECT content_hash FROM q_chash)
                      AND m.article_id IN (SELECT article_id FROM win)
                      AND (k.skipped IS NULL OR k.skipped = $exact_only)),
                cand AS (
                    SELECT article_id FROM banded WHERE rn <= $maxh
                    UNION SELECT article_id FROM hashed WHERE rn = 1
                    UNION SELECT s.article_id FROM article_sentences s JOIN rare USING (sentence_hash)
                    UNION SELECT article_id FROM minhash_signatures WHERE sentence_hashes IS NULL),
                -- the text of each seed's first sentences (`SeedDoc.lede`)
                lede AS (
                    SELECT s.article_id, string_agg(s.text, chr(10) ORDER BY s.position) AS lede
                    FROM article_sentences s
                    WHERE s.position < $lede_n AND s.article_id IN (SELECT article_id FROM cand)
                    GROUP BY 1)
                SELECT m.article_id, m.source, m.published_at, m.content_hash, c.cluster_id, m.signature,
                       m.sentence_hashes, m.shingles, m.shingle_counts, c.skipped, l.lede
                FROM minhash_signatures m JOIN article_clusters c USING (article_id) LEFT JOIN lede l USING (article_id)
                WHERE m.article_id IN (SELECT article_id FROM cand) AND m.article_id IN (SELECT article_id FROM win)
                ORDER BY m.published_at NULLS LAST, m.article_id""",
                {**self._params(), "maxp": self.max_postings, "maxh": MAX_HITS_PER_BAND,
                 "exact_only": EXACT_ONLY, "lede_n": LEDE_SENTENCES}).fetchall()
        legacy = [r[0] for r in rows if r[6] is None]
        old_hashes: dict[str, list[str]] = {}
        if legacy:
            old_hashes = dict(self.con.execute(
                """SELECT article_id, list(sentence_hash ORDER BY position) FROM article_sentences
                   WHERE article_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY 1""", [legacy]).fetchall())
        return [SeedDoc(id=r[0], source=self.renamed.get(r[1], r[1]), published=r[2], content_hash=r[3], cluster_id=r[4], signature=r[5],
                        sentence_hashes=r[6] if r[6] is not None else old_hashes.get(r[0], []),
                        shingles=r[7], shingle_counts=r[8], skipped=r[9], lede=r[10]) for r in rows]

    def cluster_heads(self, cluster_ids: Sequence[str]) -> list[Any]:
        from newsdedup.dedup import SeedCluster

        if not cluster_ids:
            return []
        rows = self.con.execute(f"""
            SELECT c.cluster_id,
                   arg_min(m.article_id, (m.published_at IS NULL, m.published_at, m.article_id)),
                   arg_min(m.published_at, (m.published_at IS NULL, m.published_at, m.article_id))
            FROM article_clusters c JOIN minhash_signatures m USING (article_id)
            WHERE c.cluster_id IN (SELECT unnest($ids::VARCHAR[])) AND m.article_id IN {self._WINDOW}
            GROUP BY 1""", {**self._params(), "ids": list(cluster_ids)}).fetchall()
        return [SeedCluster(cluster_id=c, published=p, canonical_id=a) for c, a, p in rows]


# DuckDB reads every file name given to read_parquet as a glob: a staging folder named `st*`, `st?` or
# `st[X]` made a load read the same run's batches under `stX` (another deployment's staging beside it)
# as well as, or instead of, its own. Each glob character is written as a one-character class.
_GLOB_CHAR = re.compile(r"[\[*?]")


def duckdb_file_literal(path: str | os.PathLike[str]) -> str:
    """`path` as a DuckDB string literal naming that one file, not a glob pattern."""
    text = _GLOB_CHAR.sub(lambda m: f"[{m.group(0)}]", engine_path(path))
    return "'" + text.replace("'", "''") + "'"


def _parquet_list(files: Sequence[Path]) -> str:
    return "[" + ", ".join(duckdb_file_literal(f) for f in files) + "]"


# The tables a run's load adds rows to (their growth is what `load_run` reports).
LOADED_TABLES = ["articles", "article_clusters", "article_sentences", "article_duplicates", "story_clusters",
                 "fetch_log", "raw_pages", "minhash_signatures", "sentences", "lsh_bands", "source_endpoints",
                 "article_revisions", "article_checks"]


def load_run(con: duckdb.DuckDBPyConnection, run_dir: Path, run_row: dict[str, Any], replace: bool = False,
             other_runs: Sequence[dict[str, Any]] = (), renamed: dict[str, str] | None = None) -> dict[str, int]:
    """Load one staged run in one transaction. Idempotent: keys are canonical-URL and content based.

    With `replace` (a reclean) the staged articles' stored records and decisions are replaced.
    `other_runs` are the rows of earlier runs whose staged batches this run adopted (they commit
    with it; a row already there is kept). The run's row, with the counts of what it added
    (`articles_new`), commits in the same transaction as its data. Returns the number of rows each
    table gained. A staged batch that cannot be read raises StagingError naming the file and run.
    `renamed` ({new name: old name}): sources the run's plan found renamed, whose stored state moves to
    the new name in the same transaction (`carry_on_renamed`).
    """
    try:
        return _load_run(con, run_dir, run_row, replace, other_runs, renamed or {})
    except duckdb.Error as exc:
        from newsdedup.staging import unreadable_batch_error

        named = unreadable_batch_error(run_dir)
        if named is not None:
            raise named from exc
        raise


def _load_run(con: duckdb.DuckDBPyConnection, run_dir: Path, run_row: dict[str, Any], replace: bool,
              other_runs: Sequence[dict[str, Any]], renamed: dict[str, str]) -> dict[str, int]:
    tables = LOADED_TABLES
    before = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

    def files(sub: str) -> list[Path]:
        return sorted((run_dir / sub).glob("*.parquet"))

    from newsdedup import revisions

    con.execute("BEGIN TRANSACTION")
    try:
        run_id = run_row["run_id"]
        # before the run's rows, so its clusters are counted with the sources' new names
        carry_on_renamed(con, renamed)
        revisions.before_load(con, run_dir, replace)
        fl = files("fetch_log")
        # Re-loading replaces the rows of every run whose attempts are staged here (adopted runs too).
        staged_runs = f"SELECT DISTINCT run_id FROM read_parquet({_parquet_list(fl)})" if fl else "SELECT NULL"
        con.execute(f"DELETE FROM fetch_log WHERE run_id = ? OR run_id IN ({staged_runs})", [run_id])
        if fl:
            con.execute(f"""
                INSERT INTO fetch_log BY NAME
                SELECT run_id, source, purpose, url, final_url, status, error, detail, bytes, elapsed_ms,
                       attempt, fetched_at FROM read_parquet({_parquet_list(fl)})""")
        sg = files("signatures")
        if art := files("articles"):
            src = f"read_parquet({_parquet_list(art)})"
            if replace:
                for table in ("article_sentences", "lsh_bands", "minhash_signatures", "article_clusters",
                              "articles"):
                    con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM {src})")
            if sg:  # the content hash is the dedup stage's normalised-text hash: one definition
                src = (f"(SELECT a.* REPLACE (coalesce(s.content_hash, a.content_hash) AS content_hash) "
                       f"FROM {src} a LEFT JOIN read_parquet({_parquet_list(sg)}) s USING (article_id))")
            con.execute(f"""
                INSERT INTO raw_pages BY NAME
                SELECT url_id, 1 AS revision, url, final_url, content_type, http_status, bytes, sha1,
                       raw_path AS path, fetched_at, run_id, entry_title, entry_published_at, entry_date_note
                FROM {src} WHERE raw_path IS NOT NULL
                QUALIFY row_number() OVER (PARTITION BY url_id ORDER BY fetched_at) = 1
                ON CONFLICT DO NOTHING""")
            con.execute(f"""
                INSERT INTO articles BY NAME
                SELECT article_id, url, canonical_url, source, title, authors, published_at, published_text,
                       updated_at, language, text, word_count, content_hash, clean_error, fetched_at, run_id,
                       date_note
                FROM {src}
                -- of pages of one article id, the first fetched with a text (the page the dedup stage
                -- decided): one whose clean failed lost the story of the page claiming the same URL
                QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY clean_error IS NOT NULL
                                           OR coalesce(text, '') = '', fetched_at, url) = 1
                ON CONFLICT DO NOTHING""")
        if cl := files("clusters"):
            con.execute(f"""
                INSERT INTO article_clusters BY NAME
                SELECT article_id, cluster_id, decision, matched_article_id, similarity, estimated_similarity,
                       skipped, config_fingerprint, run_id FROM read_parquet({_parquet_list(cl)})
                ON CONFLICT DO NOTHING""")
        if sg:
            if bd := files("bands"):
                # before the signatures: an article whose signature is stored already has its bands
                # (no key on 32 rows per article; the anti-join keeps a re-load idempotent)
                con.execute(f"""
                    INSERT INTO lsh_bands BY NAME
                    SELECT band, key, article_id FROM read_parquet({_parquet_list(bd)})
                    WHERE article_id NOT IN (SELECT article_id FROM minhash_signatures)""")
            staged = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet({_parquet_list(sg)})").fetchall()}
            # the dedup state columns of migration 002, when the staged run has them
            extra = [c for c in ("shingles", "shingle_counts", "sentence_hashes") if c in staged]
            con.execute(f"""
                INSERT INTO minhash_signatures BY NAME
                SELECT article_id, source, published_at, content_hash, signature, config_fingerprint
                       {"".join(", " + c for c in extra)}
                FROM read_parquet({_parquet_list(sg)}) ON CONFLICT DO NOTHING""")
        if se := files("sentences"):
            src = f"read_parquet({_parquet_list(se)})"
            con.execute(f"""
                INSERT INTO sentences BY NAME
                SELECT sentence_hash, any_value(text ORDER BY article_id, position) AS text,
                       min(article_id) AS first_article_id, any_value(run_id) AS first_seen_run
                FROM {src} GROUP BY sentence_hash ON CONFLICT DO NOTHING""")
            con.execute(f"""
                INSERT INTO article_sentences BY NAME
                SELECT article_id, position, sentence_hash, text, repeated_within, repeated_across, boilerplate
                FROM {src} ON CONFLICT DO NOTHING""")
        if sj := sorted((run_dir / "sources").glob("*.json")):
            for f in sj:
                s = json.loads(f.read_text(encoding="utf-8"))
                con.execute(
                    """INSERT INTO sources (name, url, kind, state, first_seen_at, last_run_id, last_status,
                                            last_error, updated_at)
                       VALUES (?, ?, ?, ?, now(), ?, ?, ?, now())
                       ON CONFLICT (name) DO UPDATE SET url = excluded.url, kind = excluded.kind,
                           state = excluded.state, last_run_id = excluded.last_run_id,
                           last_status = excluded.last_status, last_error = excluded.last_error,
                           updated_at = excluded.updated_at""",
                    [s["name"], s["url"], s.get("kind"), json.dumps(s.get("state") or {}), run_id,
                     s.get("status"), s.get("error")],
                )
        if ep := files("endpoints"):
            # What site sources found: upserted from the staged values (never now()), so a re-load
            # writes the same row; first_found_at keeps the earliest time any run recorded.
            con.execute(f"""
                INSERT INTO source_endpoints BY NAME
                SELECT source, url, kind, found_by, first_found_at, last_found_at, last_checked_at, last_status,
                       alive, followed, last_entries, run_id FROM read_parquet({_parquet_list(ep)})
                ON CONFLICT (source, url) DO UPDATE SET
                    kind = excluded.kind, found_by = excluded.found_by,
                    first_found_at = least(source_endpoints.first_found_at, excluded.first_found_at),
                    last_found_at = excluded.last_found_at, last_checked_at = excluded.last_checked_at,
                    last_status = excluded.last_status, alive = excluded.alive, followed = excluded.followed,
                    last_entries = excluded.last_entries, run_id = excluded.run_id""")
        # Only the clusters this run touched change; a reclean may move any, so it redoes all.
        if replace:
            _recompute_clusters(con, None)
        elif cl:
            _recompute_clusters(con, f"SELECT cluster_id FROM read_parquet({_parquet_list(cl)})")
        # revision 1 and the re-check state of new articles; the run's revisions and re-checks
        followed = revisions.after_load(con, run_dir, run_id, replace)
        # and after them: a batch adopted from a run before the rename staged rows under the old name
        carry_on_renamed(con, renamed)
        for new, old in sorted(renamed.items()):
            log.info("load: what was stored under source %s is now %s's (renamed in the sources file)", old, new)
        added = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] - before[t] for t in tables}
        # articles_new is what this load adds (a re-load of the same run reports 0, not a lie); it
        # commits with the data, so no kill can leave the run's row without its counts.
        row = {**run_row, "articles_new": added["articles"]}
        cols = list(row)
        con.execute(
            f"INSERT OR REPLACE INTO ingest_runs ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [row[c] for c in cols],
        )
        for other in other_runs:
            cols = list(other)
            con.execute(
                f"INSERT INTO ingest_runs ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
                "ON CONFLICT DO NOTHING", [other[c] for c in cols])
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error as exc:  # the failure invalidated the connection: nothing was committed
            log.warning("load: ROLLBACK after a failed load: %s", _first_line(exc))
        raise
    if followed["revised"]:
        log.info("load: %d article%s revised (%d headline%s changed, %d left %s story cluster)", followed["revised"],
                 "s" if followed["revised"] != 1 else "", followed["headline_changed"],
                 "s" if followed["headline_changed"] != 1 else "", followed["left_cluster"],
                 "their" if followed["revised"] != 1 else "its")
    return added


def _recompute_clusters(con: duckdb.DuckDBPyConnection, touched: str | None) -> None:
    """Derive story_clusters and article_duplicates from cluster membership, for the clusters that
    `touched` (a query yielding cluster ids) names, or for all when it is None.

    The canonical is the earliest-published member (undated last, ties by article id), so a late
    arrival that was published earlier becomes canonical and the others point to it. Limiting the
    work to the touched clusters keeps a load's cost proportional to the run, not the warehouse.
    """
    if touched is None:
        where = "true"
    else:
        con.execute(f"CREATE OR REPLACE TEMP TABLE touched_clusters AS SELECT DISTINCT cluster_id FROM ({touched})")
        where = "c.cluster_id IN (SELECT cluster_id FROM touched_clusters)"
    con.execute(f"""DELETE FROM article_duplicates WHERE article_id IN
                    (SELECT article_id FROM article_clusters c WHERE {where})""")
    con.execute(f"DELETE FROM story_clusters c WHERE {where}")
    con.execute(f"""
        INSERT INTO story_clusters
        SELECT c.cluster_id,
               arg_min(a.article_id, (a.published_at IS NULL, a.published_at, a.article_id)),
               count(*), count(DISTINCT a.source), min(a.published_at), max(a.published_at)
        FROM article_clusters c JOIN articles a USING (article_id)
        WHERE {where}
        GROUP BY c.cluster_id""")
    con.execute(f"""
        INSERT INTO article_duplicates
        SELECT c.article_id, s.canonical_article_id,
               CASE WHEN a.content_hash = ca.content_hash THEN 'exact' ELSE 'near' END,
               CASE WHEN a.content_hash = ca.content_hash THEN 1.0 ELSE c.similarity END,
               c.matched_article_id, c.config_fingerprint
        FROM article_clusters c
        JOIN story_clusters s USING (cluster_id)
        JOIN articles a ON a.article_id = c.article_id
        JOIN articles ca ON ca.article_id = s.canonical_article_id
        WHERE c.article_id <> s.canonical_article_id AND {where}""")
    if touched is not None:
        con.execute("DROP TABLE touched_clusters")
