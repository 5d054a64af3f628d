"""Project paths and the sources file (YAML): settings plus a list of sources.

The sources file is read at run time, never at DAG parse time. It is validated against one schema
(`Settings` for the `settings:` block, `SourceEntry` for each source: pydantic 2, which Airflow
already ships) and every mistake is reported at once, each with its path (`sources[3].max_entries`).
The YAML itself is read defensively: UTF-8 (or UTF-16 with a BOM) only, at most `MAX_FILE_BYTES`,
no duplicated keys (YAML would silently keep the last value), and aliases may not expand the
document past `MAX_ALIAS_EXPANSION` nodes (a "billion laughs" file is refused, not expanded).
"""

from __future__ import annotations

import codecs
import difflib
import errno
import functools
import gc
import logging
import os
import re
import reprlib
import stat
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import SplitResult, unquote, urlsplit

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError
from tld import get_tld

from newsdedup.terminal import quoted

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# DuckDB has one writer: every task that writes the warehouse runs in this pool (the DAG files name
# it literally; the demo, `make airflow`, the tests and the compose init create it).
WRITER_POOL = "duckdb_writer"
WRITER_POOL_SLOTS = 1
WRITER_POOL_DESCRIPTION = "DuckDB has one writer: loads and maintenance run one at a time"
SOURCE_KINDS = ("rss", "atom", "jsonfeed", "sitemap", "page", "site", "warc", "dir")
LOCAL_KINDS = ("warc", "dir")  # read from a local path or file: URL only (see sources._local_path)
REMOTE_KINDS = ("site",)  # read from an http(s) URL only (a site's home page)
_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
# A sources file of 10 MB (~100,000 sources) is read in a few seconds; far larger is a mistake.
MAX_FILE_BYTES = 32 * 1024 * 1024
# Aliases (and `<<` merges) may add this many nodes to the document beyond twice its own size.
MAX_ALIAS_EXPANSION = 100_000
MAX_ERRORS_SHOWN = 50
# Digits of a whole number shown in full; past them, how many there are.
_MAX_INT_DIGITS = 60


def _int_text(value: int) -> str:
    """A whole number as it may be shown: YAML reads 0x, 0o and 0b numbers of any length, which
    Python refuses to turn into decimal past 4,300 digits (a ValueError from the report itself)."""
    if value.bit_length() <= 3 * _MAX_INT_DIGITS:
        return str(value)
    return f"<a number of about {int(value.bit_length() * 0.30103) + 1:,} digits>"


class _ShortRepr(reprlib.Repr):
    def repr_int(self, x: int, level: int) -> str:
        return _int_text(x)


# Bad values are quoted short and safely (a 1000-deep list must not break the report).
_short = _ShortRepr()
_short.maxstring, _short.maxother, _short.maxlevel, _short.maxlist, _short.maxdict = 60, 60, 2, 4, 4
# Settings that moved out of the sources file, with where they went.
_REMOVED_SETTINGS = {
    "dedup_window_days": "the dedup window is DedupConfig.window_days (newsdedup.dedup.config): it is part of "
                         "the dedup config fingerprint stored with every decision, so it changes with a "
                         "release (and a `newsdedup reclean`), not per run",
}  # fmt: skip


class ConfigError(ValueError):
    """The sources file or a setting is invalid; the message says what to fix."""


def _located(explicit: str | os.PathLike[str] | None, env: str, default: Path) -> Path:
    """The first of: the explicit argument, the environment variable, the project default.

    The variable is read without the spaces and line ends around it, as the run's Params and Variables
    are: an environment file saved with Windows line ends (`env_file:`, a systemd EnvironmentFile) gave
    `/srv/w.duckdb\r`, a new, empty warehouse the runs loaded into and nobody read."""
    return user_path(explicit or os.environ.get(env, "").strip() or default)


def user_path(path: str | os.PathLike[str]) -> Path:
    """`path` with a leading `~` read as the home folder: a Param, a Variable or an environment file
    hands `~/w.duckdb` over as written (no shell expands it), and a run made a folder named `~` in
    the worker's current folder to put the warehouse in."""
    p = Path(path)
    if not str(path).startswith("~"):
        return p
    try:
        return p.expanduser()
    except RuntimeError:  # no home folder known (`~nobody-here`): left as written, the error names it
        return p


def not_utf8(path: str | os.PathLike[str]) -> bool:
    """Whether a path's bytes (as the system holds them) are not UTF-8, which DuckDB and pyarrow cannot
    take. Asked of the bytes, not of Python's text: with UTF-8 mode off in an ASCII locale (`LC_ALL=C
    PYTHONUTF8=0 PYTHONCOERCECLOCALE=0`) Python keeps a UTF-8 `é` as two lone surrogates, and a path
    that is UTF-8 on disk was called "not UTF-8"."""
    try:
        engine_path(path)
    except UnicodeDecodeError:
        return True
    return False


def engine_path(path: str | os.PathLike[str]) -> str:
    """`path` as DuckDB and pyarrow take it: its bytes on disk read as UTF-8 (UnicodeDecodeError when they
    are not; `not_utf8` asks first). The same text as Python's in a UTF-8 locale; in an ASCII or Latin-1
    one (UTF-8 mode off) Python's text of `wé.duckdb` is `w\\udcc3\\udca9.duckdb` or `wÃ©.duckdb`, which
    DuckDB refused or encoded again as another name. Python's own calls (open, stat) keep Python's text."""
    return os.fsencode(path).decode("utf-8")


def path_text(text: str) -> str:
    """A path Python holds (lone surrogates for bytes its file system encoding did not take) as text a UTF-8
    writer (DuckDB, pyarrow, JSON for them) can hold: its UTF-8 bytes as their characters, bytes that are not
    UTF-8 as `\\xe9`. Text that already encodes is returned as it is."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:  # a surrogate no byte stands for (`\ud800`)
            return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def texts_for_writers(obj: Any) -> Any:
    """`path_text` of every string in a JSON-like value (a run's summaries naming its folders)."""
    if isinstance(obj, str):
        return path_text(obj)
    if isinstance(obj, dict):
        return {texts_for_writers(k): texts_for_writers(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [texts_for_writers(v) for v in obj]
    return obj


def native_path(text: str) -> str:
    """A path written as UTF-8 text (a sources file's `url`, a run's Param) as Python's file calls take it
    in this locale: the same text under UTF-8, its bytes under an ASCII or Latin-1 file system encoding
    (`os.fsdecode` of the UTF-8 bytes), so that `dé/pages` names the folder `ls` shows."""
    try:
        return os.fsdecode(text.encode("utf-8"))
    except UnicodeEncodeError:  # lone surrogates already: Python's own text of the bytes
        return text


# Linux's limits (NAME_MAX, PATH_MAX) and those of nearly every file system: a longer name is ENAMETOOLONG
# from every call that touches it, which was a traceback (from a stat, an exists(), a mkdir) out of
# `run`, `sql`, `snapshot`, `dedup` and the plan task (retried twice), wherever it first met it.
NAME_MAX_BYTES = 255
PATH_MAX_BYTES = 4096


def path_too_long(path: str | os.PathLike[str]) -> str | None:
    """Why no file can have this path (a name past 255 bytes, the path past 4,095), else None."""
    raw = os.fsencode(path)
    if len(raw) >= PATH_MAX_BYTES:
        return f"it is {len(raw):,} bytes long, and a path may be at most {PATH_MAX_BYTES - 1:,}"
    longest = max((len(part) for part in raw.split(b"/")), default=0)
    if longest > NAME_MAX_BYTES:
        return f"one of its names is {longest:,} bytes long, and a file or folder name may be at most {NAME_MAX_BYTES}"
    return None


def access_problem(path: str | os.PathLike[str], access: int) -> str | None:
    """What stops this user reading (os.R_OK) or writing (os.W_OK, with os.X_OK for a folder) `path`:
    its mode and owner, in the words every such message uses; None when it may, or when `path` cannot be
    looked at (gone, or its folder cannot be searched: the open's own error says so).

    One wording for the warehouse, its snapshot and folder, and a failed run's staging folder: three
    builders had said it three ways ("mode 0755, owner uid 0" beside "its mode is 0755, owner uid 0,
    group gid 0"), one of them without the group that a `chgrp` would fix."""
    try:
        if os.access(path, access):
            return None
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    mode = stat.S_IMODE(st.st_mode)
    writing = bool(access & os.W_OK)
    if writing and _read_only_mount(path):
        # said for sure (statvfs), not as one of two guesses after a mode that allows it: a disk remounted
        # read-only after errors is the operator's first thing to look at, and no chmod mends it
        return (f"cannot be written: it is on a file system mounted read-only (`findmnt -T {path}`; a disk the "
                "kernel remounted read-only after errors, a read-only volume or snapshot)")
    # A write by root, or by the owner with the owner's write bit: the mode is not what stops it (`chattr
    # +i`, a file system mounted read-only), and "its mode is 0644, owner uid 0" alone read as nonsense to root
    allowed = writing and (os.getuid() == 0 or (st.st_uid == os.getuid() and mode & stat.S_IWUSR))
    why = (" (its mode allows it: the file may be immutable, see `lsattr`, or on a file system mounted read-only)"
           if allowed else "")
    return (f"cannot be {'written' if writing else 'read'} by this user (uid {os.getuid()}): its mode is {mode:04o}, "
            f"owner uid {st.st_uid}, group gid {st.st_gid}{why}")


def _read_only_mount(path: str | os.PathLike[str]) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, ValueError):
        return False


def shortened(text: str, keep: int = 120) -> str:
    """`text` cut in the middle past `keep` characters, saying how long it is (for messages)."""
    if len(text) <= keep:
        return text
    return f"{text[:keep // 2]}…({len(text):,} characters)…{text[-keep // 2:]}"


def port_setting(name: str, default: int, *, allow_zero: bool = False,
                 environ: Mapping[str, str] | None = None) -> int:
    """A TCP port from the environment variable `name` (unset or empty: `default`); ValueError naming
    the variable for anything else than a whole number 1-65535 (0 too with `allow_zero`: any free port).
    `int()` of it was a traceback naming no setting, and 99999 an OverflowError out of bind()."""
    text = (os.environ if environ is None else environ).get(name, "").strip()
    if not text:
        return default
    low = 0 if allow_zero else 1
    port = port_number(text, low)
    if port is None:
        raise ValueError(f"{name}={quoted(text)} is not a port: give a whole number from {low} to 65535"
                         f"{' (0: any free port)' if allow_zero else ''}, or unset it for {default}")
    return port


def port_number(text: str, low: int = 1) -> int | None:
    """`text` as a TCP port from `low` to 65535 (ASCII digits only), else None."""
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= 65535:
        return None
    return int(text)


def warehouse_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Where the DuckDB warehouse lives: argument, then $NEWSDEDUP_WAREHOUSE, then var/; a symbolic link
    followed to the file it names (`_followed`)."""
    return _followed(_located(explicit, "NEWSDEDUP_WAREHOUSE", PROJECT_ROOT / "var" / "warehouse.duckdb"))


def _followed(path: Path) -> Path:
    """`path`, or the file it leads to when it is a symbolic link (one that leads nowhere yet: where it points).

    The raw folder, the snapshot and the lock are named after the warehouse path: through a link
    (`current.duckdb -> w.duckdb`) a run stored its raw pages in `current.raw` and published
    `current.snapshot.duckdb`, a second copy, and a `reclean` through the file's own name found those pages
    unreadable. A loop is left as it is, for `warehouse.main_path` to name."""
    try:
        if not path.is_symlink():
            return path
        return Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:  # a dangling link: DuckDB creates the file it names
        return Path(os.path.realpath(path))
    except OSError:  # a loop (ELOOP), a name too long: named by main_path
        return path


def staging_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Where batches pass between tasks as Parquet: argument, $NEWSDEDUP_STAGING, var/staging."""
    return _located(explicit, "NEWSDEDUP_STAGING", PROJECT_ROOT / "var" / "staging")


def default_sources_file() -> Path:
    """The sources file: $NEWSDEDUP_SOURCES, else config/sources.yaml."""
    return _located(None, "NEWSDEDUP_SOURCES", PROJECT_ROOT / "config" / "sources.yaml")


# --- the schema ---------------------------------------------------------------------------------
# Numbers are strict (YAML `'5'` is a string, not 5; `true` is not 1) and finite (`.inf` and `.nan`
# would switch limits off); every bound is one a deployment could mean.


def _fail(error_type: str, message: str) -> PydanticCustomError:
    # The message goes in as context, so braces in a quoted value are never read as placeholders.
    return PydanticCustomError(error_type, "{message}", {"message": message})


def _header_text(value: str) -> str:
    if not value.strip() or any(not " " <= c <= "~" for c in value):
        raise _fail("header_text", "must be printable ASCII text (it is sent as an HTTP header)")
    return value


def _http_url(value: str) -> str:
    _check_url(value.strip(), remote_only=True)
    return value.strip()


def _charset(value: str) -> str:
    from newsdedup.charset import norm_charset

    label = value.strip()
    # The readers decode with newsdedup.charset, which knows the encodings of the web only: a label
    # Python alone knows ('punycode', 'unicode_escape', 'utf-7', 'utf_8_sig') passed here and then
    # failed the source on every run.
    if norm_charset(label) is None:
        raise _fail("charset", f"{_short.repr(label)} is not a text encoding of the web (e.g. utf-8, "
                               "windows-1250, iso-8859-2, shift_jis)") from None  # fmt: skip
    return label


def _full_content(value: Any) -> Any:
    if value is None or value == "auto" or value is True or value is False:
        return value
    raise _fail("full_content", "must be auto, true or false")


_Seconds = Annotated[float, Field(strict=True, gt=0, le=3600, allow_inf_nan=False)]
_Delay = Annotated[float, Field(strict=True, ge=0, le=3600, allow_inf_nan=False)]
_Days = Annotated[float, Field(strict=True, ge=0, le=36500, allow_inf_nan=False)]
_Flag = Annotated[bool, Field(strict=True)]
_Count = Annotated[int, Field(strict=True, ge=0, le=1_000_000)]
MAX_RECHECK_HOURS = 24 * 366.0
_Hours = Annotated[float, Field(strict=True, ge=0, le=MAX_RECHECK_HOURS, allow_inf_nan=False)]


def _recheck_hours(value: tuple[float, ...]) -> tuple[float, ...]:
    if len(set(value)) != len(value):
        raise _fail("recheck_hours", "lists an age twice; each age is one re-check")
    if 0 in value and len(value) > 1:
        raise _fail("recheck_hours", "0 means 're-check on every run' and cannot be combined with other ages")
    return tuple(sorted(value))


@dataclass(frozen=True)
class Settings:
    """Fetch and run settings (the `settings:` block of the sources file; all optional)."""

    __pydantic_config__ = ConfigDict(extra="forbid")

    user_agent: Annotated[str, Field(strict=True, max_length=500), AfterValidator(_header_text)] = (
        "newsdedup/0.1 (+https://github.com/newsdedup/newsdedup)")
    allow_private_networks: _Flag = False
    connect_timeout: _Seconds = 5.0
    read_timeout: _Seconds = 10.0
    total_timeout: _Seconds = 30.0
    max_bytes: Annotated[int, Field(strict=True, ge=1024, le=1 << 30)] = 5 * 1024 * 1024
    max_redirects: Annotated[int, Field(strict=True, ge=0, le=50)] = 5
    retries: Annotated[int, Field(strict=True, ge=0, le=20)] = 2
    backoff_base: _Delay = 0.5
    backoff_max: _Delay = 30.0
    per_host_concurrency: Annotated[int, Field(strict=True, ge=1, le=64)] = 2
    per_host_delay: _Delay = 0.0
    # A robots.txt Crawl-delay is obeyed up to this many seconds (a warning, and the robots.txt fetch_log
    # row, say when a site asks for more): 30 s a page made a 500-entry site a four-hour run.
    max_crawl_delay: Annotated[float, Field(strict=True, ge=0, le=300, allow_inf_nan=False)] = 10.0
    concurrency: Annotated[int, Field(strict=True, ge=1, le=256)] = 8
    respect_robots: _Flag = True
    max_entries_per_source: _Count = 500
    sitemap_lookback_days: _Days = 3.0
    # Re-check each article at these ages (hours after it was first seen) with a conditional GET and keep
    # a revision when its cleaned title or text changed; [0] re-checks on every run, [] never (issue 12).
    recheck_hours: Annotated[tuple[_Hours, ...], Field(max_length=100), AfterValidator(_recheck_hours)] = (
        1.0, 6.0, 24.0, 72.0)
    recheck_max_per_run: _Count = 200  # re-checks per run, the most overdue first; the rest wait a run
    recheck_max_per_host: _Count = 50  # re-checks per host and run, on top of the per-host politeness

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Settings:
        """Validate a `settings:` block (ConfigError listing every mistake)."""
        try:
            return _SETTINGS.validate_python(dict(data or {}))
        except ValidationError as exc:
            raise ConfigError(_report("<settings>", exc.errors(), ("settings",))) from None


class SourceOptions(BaseModel):
    """Per-source options: written next to `name`, `url` and `kind` in a source entry; all optional."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_entries: _Count | None = None  # newest entries taken per run (default: settings.max_entries_per_source)
    full_content: Annotated[Any, AfterValidator(_full_content)] = None  # feeds: use the item's own content
    lookback_days: _Days | None = None  # sitemaps: older URLs are skipped (default: sitemap_lookback_days)
    max_sitemaps: Annotated[int, Field(strict=True, ge=1, le=1000)] | None = None  # index children per run
    base_url: Annotated[str, Field(strict=True), AfterValidator(_http_url)] | None = None  # dir: URL of the root
    charset: Annotated[str, Field(strict=True), AfterValidator(_charset)] | None = None  # overrides any declared
    settle_seconds: _Delay | None = None  # dir: a file changed more recently waits for the next run (default 2)


OPTION_NAMES = tuple(SourceOptions.model_fields)


def _name(value: str) -> str:
    if not _NAME_RE.fullmatch(value):  # not `$`, which lets a trailing "\n" through
        # "letters" alone: an outlet named `le-café` was refused as not letters, and é is one
        raise _fail("name", "'name' must be 1-100 ASCII letters (a-z, A-Z), digits, '.', '_' or '-' (starting with "
                            f"a letter or a digit), not {_short.repr(value)}")  # fmt: skip
    return value


class SourceEntry(SourceOptions):
    """One item of `sources:` in the file."""

    name: Annotated[str, Field(strict=True), AfterValidator(_name)]
    kind: Literal["rss", "atom", "jsonfeed", "sitemap", "page", "site", "warc", "dir"] | None = None  # before url: its check reads it
    url: Annotated[str, Field(strict=True)]

    @field_validator("url")
    @classmethod
    def _usable(cls, value: str, info: ValidationInfo) -> str:
        folder = (info.context or {}).get("folder")
        if folder is not None and _relative_local(value.strip()):
            # A relative path in a sources file is read from the file's own folder (the real file's, a
            # link to it being deployment), wherever a run starts: kept as that absolute path.
            path = Path(folder, native_path(value.strip()))  # the folder as Python holds it in this locale
            host = value.strip().split("/", 1)[0]
            if not path.exists() and get_tld(f"http://{host}", fail_silently=True):
                # `www.example.com/rss.xml`: a web address without its scheme, not a missing folder
                # beside the sources file (which the run would report as not found, every run).
                raise _fail("url", f"{_short.repr(value.strip())} has no scheme: write https://{value.strip()} "
                                   f"for a web address (as a local path, {path} does not exist)")
            try:
                return engine_path(path)  # kept as UTF-8 text, as the file wrote it (`_local_path` reads it)
            except UnicodeDecodeError:
                return str(path)
        _check_url(value.strip(), remote_only=False, kind=info.data.get("kind"))
        return value


def _relative_local(url: str) -> bool:
    """A plain relative path (`pages`, `./pages`, `../archive/pl`): no scheme, no `~`, no control
    characters, not absolute."""
    if not url or url.startswith("~") or _CONTROL_RE.search(url) or os.path.isabs(url):
        return False
    try:
        scheme = urlsplit(url).scheme
    except ValueError:
        return False
    return not scheme


class _SourcesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    settings: Settings | None = None
    sources: Annotated[list[SourceEntry], Field(min_length=1)]


_SETTINGS = TypeAdapter(Settings)
_SETTING_NAMES = tuple(f.name for f in fields(Settings))
_ENTRY_NAMES = ("name", "url", "kind", *OPTION_NAMES)


_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_SPACE_RE = re.compile(r"\s")


def _check_url(url: str, *, remote_only: bool, kind: str | None = None) -> None:
    """Raise a PydanticCustomError unless a source kind can read `url` (the rules of
    `sources._local_path`: http(s) for remote kinds; a path or file: URL for any kind but site)."""
    if not url:
        raise _fail("url", "'url' must be a non-empty string")
    if _CONTROL_RE.search(url):
        raise _fail("url", "'url' contains control characters")
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise _fail("url", f"{_short.repr(url)} is not a usable URL: {exc}") from None
    scheme = parts.scheme.lower()
    if not scheme and (why := _scheme_relative(url, parts, remote=remote_only or kind in REMOTE_KINDS)):
        raise _fail("url", why)
    if scheme in ("http", "https"):
        if kind in LOCAL_KINDS:
            raise _fail("url", f"kind {kind!r} reads a local path or file:// URL, not {_short.repr(url)}")
        if not parts.hostname or _SPACE_RE.search(url):
            raise _fail("url", f"{_short.repr(url)} is not a usable http(s) URL (no host, or spaces)")
        problem = _netloc_problem(scheme, parts.netloc)
        if problem:
            raise _fail("url", f"{_short.repr(url)} is not a usable URL: {problem}")
        return
    if remote_only or kind in REMOTE_KINDS:
        why = " (a site is read from its home page)" if kind in REMOTE_KINDS else ""
        raise _fail("url", f"must be an http:// or https:// URL{why}, not {_short.repr(url)}")
    if scheme == "file":
        if parts.netloc not in ("", "localhost") or not parts.path:
            raise _fail("url", f"a file: URL names a local path (file:///path/to/x), not {_short.repr(url)}")
    elif scheme and len(scheme) > 1:  # one letter is a Windows drive, not a scheme
        raise _fail("url", f"scheme {scheme!r} cannot be read: use http(s) for rss, atom, jsonfeed, sitemap, page and site "
                           "sources, or a local path / file:// URL (any kind but site; dir and warc need one)")
    # A relative path was read from the folder the run started in: `newsdedup run` here, an Airflow
    # worker (another folder) elsewhere or nowhere, the source's state carried from one to the other.
    if not (parts.path.startswith("/") if scheme == "file" else os.path.isabs(url) or len(scheme) == 1):
        raise _fail("url", f"a local path must be absolute (/srv/archive or file:///srv/archive), not {_short.repr(url)}: "
                           "a relative one is read from the sources file's folder, and sources given as text "
                           "have none (~ would be the home folder of whichever user runs the worker)")


_WEB_HOST_RE = re.compile(r"(?i)localhost|\[[0-9a-f:.]+\]|[^/\\:]*\.[^/\\:]*[a-z0-9]")
_PORT_RE = re.compile(r"(?:^[^\[]*|\]):[0-9]{1,5}$")  # `name:8080`, `[::1]:8080`


def _scheme_relative(url: str, parts: SplitResult, *, remote: bool = False) -> str | None:
    """Why `//host/path` is refused (None when it is no such URL): a URL without its scheme, as HTML writes
    links, and a local path to POSIX (`//x` is `/x`). Kept as a local path, it was refused at every run as a
    missing file (`/news.example.com/feed.xml`), after the plan. A first part naming no host (`//srv/archive`)
    or a path that exists is a local path, as before; one with a port (`//intranet:8080/rss`: no folder is
    named so) is a host, and so is any first part where only a web address will do (`remote`: a site), which
    was "must be an http:// or https:// URL", the scheme-relative reading unnamed."""
    if not url.startswith("//") or url.startswith("///") or not parts.netloc:
        return None
    host = parts.netloc.rpartition("@")[2]
    port = _PORT_RE.search(host)
    host = host.split("]", 1)[0] + "]" if host.startswith("[") else host.split(":", 1)[0]
    if remote and host:
        return (f"{_short.repr(url)} is a scheme-relative URL (a web address without its scheme): write "
                f"https:{url}")
    if not (_WEB_HOST_RE.fullmatch(host) or (port and host)) or os.path.exists(url):
        return None
    return (f"{_short.repr(url)} is a scheme-relative URL (a web address without its scheme): write "
            f"https:{url} for a web address (as a local path, /{url.lstrip('/')} does not exist)")


@functools.lru_cache(maxsize=4096)
def _netloc_problem(scheme: str, netloc: str) -> str | None:
    """Why the fetcher could not use this host and port (None when it can); cached: a big sources
    file names few hosts many times."""
    from newsdedup.urls import InvalidURL, canonicalize_url

    try:
        canonicalize_url(f"{scheme}://{netloc}/")
    except InvalidURL as exc:
        return str(exc)
    return None


# --- error reports ------------------------------------------------------------------------------

def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{_int_text(part)}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "the document"


def _known_keys(where: tuple[Any, ...]) -> tuple[str, tuple[str, ...]]:
    if where == ():
        return "the file", ("settings", "sources")
    if where == ("settings",):
        return "settings", _SETTING_NAMES
    return "a source entry", _ENTRY_NAMES


def _yaml_read_as(value: Any) -> str | None:
    """What YAML made of an unquoted scalar that is no string (None: a string, a list or a mapping)."""
    import datetime as dt

    if isinstance(value, bool):
        return f"{str(value).lower()} (yes, no, on, off, y, n, true and false are read so)"
    if isinstance(value, int | float):
        return (f"the number {_short.repr(value)} (a leading 0 is read as octal, 0x as hex, 12:30 as base 60, "
                "_ is dropped)")
    if isinstance(value, dt.date):
        return f"the {'time' if isinstance(value, dt.datetime) else 'date'} {value.isoformat()}"
    if value is None:
        return "null (nothing, ~ or null)"
    return None


def _message(err: dict[str, Any]) -> str:
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    got = f", not {_short.repr(value)}"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        key = str(err["loc"][-1])
        if err["loc"][:-1] == ("settings",) and key in _REMOVED_SETTINGS:
            return f"this setting was removed: {_REMOVED_SETTINGS[key]}"
        what, known = _known_keys(tuple(err["loc"][:-1]))
        near = difflib.get_close_matches(key, known, n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        return f"unknown key{hint}; {what} takes {', '.join(known)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "must be a whole number" + got
    if kind in ("float_type", "float_parsing"):
        return "must be a number" + got
    if kind == "finite_number":
        return "must be a finite number" + got
    if kind in ("bool_type", "bool_parsing"):
        return "must be true or false" + got
    if kind == "string_type":
        if (read_as := _yaml_read_as(value)) is not None:
            # `name: on` was "must be a string, not True" and `name: 12:30` "not 750": values the file
            # never showed. YAML 1.1 reads these plain words and numbers as other types.
            key = err["loc"][-1] if err["loc"] and isinstance(err["loc"][-1], str) else "key"
            return (f"must be a string, and YAML read the value written here without quotes as {read_as}: "
                    f"put it in quotes ({key}: \"...\")")
        return "must be a string" + got
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        op = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}[kind]
        bound = next(iter(ctx.values()))
        return f"must be {op} {bound}" + got
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters long"
    if kind == "literal_error":
        return f"must be one of {', '.join(SOURCE_KINDS)}" + got
    if kind == "missing":
        return "is required"
    if kind == "too_short" and err["loc"] == ("sources",):
        return "must be a non-empty list of sources ({name, url, kind?, options...})"
    if kind == "tuple_type" and err["loc"][-1:] == ("recheck_hours",):
        return "must be a list of ages in hours (e.g. [1, 6, 24, 72]; [0] = every run, [] = off)" + got
    if kind == "too_long" and err["loc"][-1:] == ("recheck_hours",):
        return f"must list at most {ctx.get('max_length')} ages"
    if kind == "list_type":
        return "must be a list of sources ({name, url, kind?, options...})" + got
    if kind in ("dataclass_type", "model_type", "dict_type", "model_attributes_type", "dataclass_args_type"):
        return "must be a mapping" + got
    if err["loc"] and err["loc"][-1] == "full_content":
        return str(err["msg"]) + got
    return str(err["msg"])


def _report(origin: str, errors: list[str] | list[dict[str, Any]], prefix: tuple[Any, ...] = ()) -> str:
    lines = [e if isinstance(e, str) else f"{_path(prefix + tuple(e['loc']))}: {_message(e)}" for e in errors]
    if len(lines) == 1:
        return f"{origin}: {lines[0]}"
    shown = lines[:MAX_ERRORS_SHOWN]
    more = f"\n  ... and {len(lines) - len(shown)} more" if len(lines) > len(shown) else ""
    return f"{origin}: {len(lines)} errors:\n  " + "\n  ".join(shown) + more


# --- the parsed file ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceSpec:
    """One configured source. `kind` is None when it should be detected; `options` holds the
    `SourceOptions` the file set (absent ones take their defaults where they are read)."""

    name: str
    url: str
    kind: str | None = None
    options: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "url": self.url, "kind": self.kind, "options": dict(self.options)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SourceSpec:
        return cls(data["name"], data["url"], data.get("kind"), dict(data.get("options") or {}))


@dataclass(frozen=True)
class SourcesConfig:
    settings: Settings
    sources: tuple[SourceSpec, ...]
    path: str | None = None
    warnings: tuple[str, ...] = ()  # sources left out (a URL an earlier source has), logged as read
    skipped: tuple[str, ...] = ()  # the names of those sources: listed in the file, not run

    def to_document(self) -> dict[str, Any]:
        """The sources-file document (what `parse_sources` reads back to an equal config)."""
        return {"settings": asdict(self.settings),
                "sources": [{"name": s.name, "url": s.url, **({"kind": s.kind} if s.kind else {}), **s.options}
                            for s in self.sources]}  # fmt: skip


def _duplicate_names(data: dict[str, Any]) -> Iterator[tuple[tuple[Any, ...], str]]:
    # Names are compared without case: each source's staged files are named after it, and on a
    # case-insensitive file system (a Mac's, a Docker volume on one) "Reuters" and "reuters" wrote the
    # same files, so one source's batch replaced the other's.
    first: dict[str, tuple[int, str]] = {}
    items = data.get("sources")
    for i, item in enumerate(items if isinstance(items, list) else []):
        name = item.get("name") if isinstance(item, dict) else None
        if isinstance(name, str):
            if (seen := first.get(name.casefold())) is not None:
                also = f"also sources[{seen[0]}]" if seen[1] == name else f"sources[{seen[0]}] is {seen[1]!r}"
                yield ("sources", i, "name"), (f"duplicate source name {name!r} ({also}); names must be unique, "
                                               "and not only in case")  # fmt: skip
            else:
                first[name.casefold()] = (i, name)


_KEY_ORDER = {k: i for i, k in enumerate(("settings", "sources", *_SETTING_NAMES, *_ENTRY_NAMES))}


def _in_file_order(loc: tuple[Any, ...]) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, p, "") if isinstance(p, int) else (1, _KEY_ORDER.get(p, len(_KEY_ORDER)), str(p)) for p in loc)


def _url_key(url: str) -> str:
    """What two spellings of one source URL share: scheme and host without case, no default port, no
    fragment, no trailing `/` on the path; for a local path, the path. (Not the whole `canonicalize_url`,
    which took half as long again as reading a file of 100,000 sources.)"""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        try:
            port = parts.port
        except ValueError:
            return url
        host = (parts.hostname or "").rstrip(".")
        host = f"[{host}]" if ":" in host else host
        netloc = host if port in (None, 80 if scheme == "http" else 443) else f"{host}:{port}"
        return f"{scheme}://{netloc}{parts.path.rstrip('/') or '/'}" + (f"?{parts.query}" if parts.query else "")
    path = unquote(parts.path) if scheme == "file" else url
    return "file:" + os.path.normpath(path)


def _repeated_urls(specs: tuple[SourceSpec, ...], origin: str, lines: Sequence[int] | None
                   ) -> tuple[tuple[SourceSpec, ...], tuple[str, ...], tuple[str, ...]]:
    """The sources without those whose URL an earlier one has (spelt alike or not), a warning for each, and
    their names: two sources of one feed were both fetched every run, the second storing nothing (its pages
    are the first's articles), and no line said so. The second is skipped, not refused: the file was
    valid before, and a run that stopped over it would fetch nothing."""
    def where(i: int) -> str:
        return f"sources[{i}] {specs[i].name}" + (f" (line {lines[i]})" if lines and i < len(lines) else "")

    first: dict[str, int] = {}
    kept: list[SourceSpec] = []
    warnings: list[str] = []
    skipped: list[str] = []
    for i, spec in enumerate(specs):
        key = _url_key(spec.url)
        if (j := first.setdefault(key, i)) == i:
            kept.append(spec)
            continue
        skipped.append(spec.name)
        from newsdedup.urls import strip_credentials

        same = "" if specs[j].url == spec.url else f" (written {_short.repr(strip_credentials(specs[j].url))} there)"
        warnings.append(f"{origin}: {where(i)} has the URL of {where(j)}: {_short.repr(strip_credentials(spec.url))}"
                        f"{same}; {spec.name} is skipped (a second fetch of one URL stores nothing: its pages are "
                        f"{specs[j].name}'s articles). Remove one of them, or give {spec.name} the URL it was meant "
                        "to have")  # fmt: skip
    for w in warnings:
        log.warning("%s", w)
    return tuple(kept), tuple(warnings), tuple(skipped)


def _line_of(loc: tuple[Any, ...], lines: Sequence[int] | None) -> str:
    """" (line N)" for a problem of an item of `sources:` when the file's lines are known, else ""."""
    if lines and len(loc) >= 2 and loc[0] == "sources" and isinstance(loc[1], int) and 0 <= loc[1] < len(lines):
        return f" (line {lines[loc[1]]})"
    return ""


def parse_sources(data: Any, origin: str = "<sources>", folder: Path | None = None,
                  lines: Sequence[int] | None = None) -> SourcesConfig:
    """Validate a parsed sources document; raise ConfigError listing every mistake with its path.
    `folder`: where the file is, for local paths relative to it (none: they are refused); `lines`: the
    line of each item of `sources:` (for warnings). A source whose URL an earlier one has is left out,
    with a warning (`SourcesConfig.warnings`)."""
    if not isinstance(data, dict):
        what = "an empty file" if data is None else type(data).__name__
        raise ConfigError(f"{origin}: expected a mapping with 'settings' and 'sources', got {what}")
    problems: list[tuple[tuple[Any, ...], str]] = []
    model = None
    try:
        model = _SourcesFile.model_validate(data, context={"folder": folder})
    except ValidationError as exc:
        problems = [(tuple(e["loc"]), _message(e)) for e in exc.errors()]
    except RecursionError:
        problems = [((), "nested too deeply")]
    problems += _duplicate_names(data)
    if problems or model is None:
        problems.sort(key=lambda p: _in_file_order(p[0]))
        raise ConfigError(_report(origin, [f"{_path(loc)}: {msg}{_line_of(loc, lines)}" for loc, msg in problems]))
    specs = tuple(
        SourceSpec(name=s.name, url=s.url.strip(), kind=s.kind,
                   options={k: v for k in OPTION_NAMES if (v := getattr(s, k)) is not None})
        for s in model.sources)  # fmt: skip
    kept, warnings, skipped = _repeated_urls(specs, origin, lines)
    return SourcesConfig(settings=model.settings or Settings(), sources=kept, path=origin, warnings=warnings,
                         skipped=skipped)


# --- reading the YAML ---------------------------------------------------------------------------

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~20x faster on big files
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader that records duplicated mapping keys instead of keeping the last value."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[str] = []
        self._checked: set[int] = set()

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        # Every mapping passes here once before `<<` merges are spliced into it: the keys written in
        # the mapping itself are checked then (a merged key overridden by a written one is fine).
        if id(node) not in self._checked:
            self._checked.add(id(node))
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == _MERGE_TAG or not isinstance(key_node, yaml.ScalarNode):
                    continue
                # plain string keys (nearly all) are their text; others are compared as YAML reads them
                key = key_node.value if key_node.tag == _STR_TAG else self.construct_object(key_node)
                line = key_node.start_mark.line + 1
                if key in seen:
                    self.duplicates.append(f"line {line}: duplicate key {_short.repr(key)} (first on line "
                                           f"{seen[key]}); YAML would silently keep the last value")  # fmt: skip
                else:
                    seen[key] = line
        super().flatten_mapping(node)


def _expanded_size(root: yaml.Node) -> tuple[int, int]:
    """(distinct nodes, nodes once every alias is expanded); ValueError for a recursive alias."""
    size: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            active.discard(key)
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            continue
        if key in size:
            continue
        if key in active:
            raise ValueError(f"recursive alias at line {node.start_mark.line + 1}")
        active.add(key)
        stack.append((node, True))
        stack.extend((k, False) for k in _children(node) if id(k) not in size)
    return len(size), size[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _item_lines(node: yaml.Node | None) -> list[int]:
    """The line (1-based) of each item of the document's `sources:` list, as written."""
    if not isinstance(node, yaml.MappingNode):
        return []
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "sources" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _read_yaml(text: str, origin: str, lines: list[int] | None = None) -> Any:
    """The document of `text`; the lines of its `sources:` items are appended to `lines` when given."""
    loader = _Loader(text)
    # A 10 MB file is ~1 M nodes: with the cyclic GC running, composing them takes 8x longer (the
    # collector re-walks the growing node graph); nothing made here is garbage until we are done.
    collecting = gc.isenabled()
    gc.disable()
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if lines is not None:
            lines.extend(_item_lines(node))
        if "*" in text:  # aliases are written `*name`: without one there is nothing to expand
            try:
                distinct, expanded = _expanded_size(node)
            except ValueError as exc:
                raise ConfigError(f"{origin}: {exc}; aliases may not refer to the mapping or list they are in") from None
            if expanded > 2 * distinct + MAX_ALIAS_EXPANSION:
                raise ConfigError(
                    f"{origin}: aliases expand the document from {distinct:,} to {expanded:,} nodes (an alias bomb?); "
                    f"at most {2 * distinct + MAX_ALIAS_EXPANSION:,} are allowed")  # fmt: skip
        data = loader.construct_document(node)
    except ConfigError:
        raise
    except yaml.YAMLError as exc:
        raise ConfigError(f"{origin}: not valid YAML: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - e.g. `!!int abc` raises ValueError inside PyYAML
        raise ConfigError(f"{origin}: not valid YAML: {type(exc).__name__}: {_short.repr(str(exc))}") from None
    finally:
        loader.dispose()
        if collecting:
            gc.enable()
    if loader.duplicates:
        raise ConfigError(_report(origin, loader.duplicates))
    return data


def _decode(raw: bytes, origin: str) -> str:
    """UTF-8 (a BOM allowed), or UTF-16/32 with a BOM or without one, found as the YAML spec finds it (its
    "Character Encodings": the zero bytes of the first character, which is ASCII). Without a BOM a UTF-16
    file (Windows' "Unicode" without a signature) was "unacceptable character #x0000"."""
    boms = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
            (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip
    codec = next((c for bom, c in boms if raw.startswith(bom)), None) or _encoding_without_bom(raw[:4])
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1 if codec == "utf-8-sig" else None
        where = f" (line {line})" if line else ""
        raise ConfigError(f"{origin}: not {codec.removesuffix('-sig').upper()} text: byte {raw[exc.start]:#04x} at "
                          f"offset {exc.start}{where}; save the file as UTF-8") from None  # fmt: skip


def _encoding_without_bom(head: bytes) -> str:
    """The YAML spec's table for a stream without a BOM: 00 00 00 x is UTF-32BE, x 00 00 00 UTF-32LE,
    00 x UTF-16BE, x 00 UTF-16LE (x not zero); anything else UTF-8."""
    if len(head) == 4 and head[:3] == b"\0\0\0" and head[3]:
        return "utf-32-be"
    if len(head) == 4 and head[0] and head[1:] == b"\0\0\0":
        return "utf-32-le"
    if len(head) >= 2 and not head[0] and head[1]:
        return "utf-16-be"
    if len(head) >= 2 and head[0] and not head[1] and head[2:4] != b"\0\0":
        return "utf-16-le"
    return "utf-8-sig"


def loads_sources(text: str | bytes, origin: str = "<sources>", folder: Path | None = None) -> SourcesConfig:
    """Parse and validate the text of a sources file (`folder`: the file's, for relative local paths)."""
    if isinstance(text, bytes):
        text = _decode(text, origin)
    lines: list[int] = []
    data = _read_yaml(text, origin, lines)
    return parse_sources(data, origin=origin, folder=folder, lines=lines)


def _only_regular(fd: int, path: Path) -> None:
    """Return when `fd` is a regular file; else close it and raise (IsADirectoryError for a folder)."""
    mode = os.fstat(fd).st_mode
    if stat.S_ISREG(mode):
        return
    os.close(fd)
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
    raise ConfigError(f"sources file {path} is not a regular file (a FIFO, a device or a socket); name a YAML file")


def load_sources(path: str | os.PathLike[str] | None = None) -> SourcesConfig:
    """Read and validate the sources file (default: $NEWSDEDUP_SOURCES or config/sources.yaml)."""
    p = user_path(path) if path else default_sources_file()
    try:
        # Non-blocking: opening a FIFO nobody writes to (left where the file was) waited for ever, and
        # `newsdedup run` or the plan task hung without a word. Only a regular file is read.
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        _only_regular(fd, p)
        with os.fdopen(fd, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        if str(path) == "-":  # `--sources -` said "sources file - does not exist", as if `-` were a name
            raise ConfigError("the sources file is read by its name, not from standard input (`-`): its relative "
                              "`dir` paths are found beside it; save it to a file and name that") from None
        raise ConfigError(f"sources file {p} does not exist") from None
    except IsADirectoryError:
        raise ConfigError(f"sources file {p} is a directory; name the YAML file in it") from None
    except OSError as exc:
        raise ConfigError(f"sources file {p} cannot be read: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ConfigError(f"sources file {p} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    return loads_sources(raw, origin=str(p), folder=Path(os.path.realpath(p)).parent)
