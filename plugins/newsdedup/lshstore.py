"""The MinHash-LSH index shared by every worker through Redis (datasketch's own Redis storage).

Set `NEWSDEDUP_LSH_REDIS_URL` (e.g. `redis://lsh-redis:6379/0`) and the dedup stage keeps its LSH
index in Redis instead of rebuilding it in memory on every run: the index survives between runs and
is the same whichever Celery worker runs the dedup task. Unset, nothing changes (embedded default).
The Deduplicator takes it as its `LSHIndex` (`newsdedup.dedup.index.DatasketchIndex`) and ignores
the ids in it that it has not decided or seeded: docs a failed run indexed but never loaded, or docs
older than the window, are never matched.

Redis stores no index settings: an index reopened with other (b, r) or another MinHash scheme
silently finds nothing. So the bands are pinned by `DedupConfig`, the key prefix (datasketch's
`basename`, bytes) embeds the config fingerprint, and the fingerprint in use is pinned in Redis
under `<prefix>:config`. `check()` runs when a worker starts and whenever the dedup stage opens the
index: a worker whose dedup config differs (another release, edited tunables) refuses to run and
says why, instead of writing decisions that disagree with the other workers'.

    python -m newsdedup.lshstore check    # pin the fingerprint, or fail when it differs
    python -m newsdedup.lshstore status   # what Redis holds
    python -m newsdedup.lshstore reset    # drop the index and the pin (after a deliberate change)
    python -m newsdedup.lshstore sweep --warehouse PATH   # drop ids the warehouse holds no signature for

Exit status 2: a setting is unusable; 3: refusing (another config pinned, an evicting Redis, keys of
another program under the prefix); 4: Redis unreachable, refusing the password or database, or full.

Every failure is an `LSHStoreError` (a RuntimeError) naming both settings, the URL's password shown
as `***`. `check()` also refuses a Redis whose maxmemory-policy is `allkeys-*`: it would drop LSH
buckets silently and duplicates would be missed (the index's keys have no TTL, so `noeviction` and
`volatile-*` are fine); when INFO and CONFIG GET are both refused (managed Redis) it warns and goes on.
A run that fails mid-way leaves its docs indexed but never loaded: later runs ignore them, and its
retry replaces their bands. `sweep` (the maintenance DAG's `sweep_lsh_index` task, after retention) removes them a day
later, and at once the docs whose signature retention deleted, so the index stays as big as the window
(it also counts keys that are not pickled ids, which the dedup stage ignores).
"""

from __future__ import annotations

import argparse
import inspect
import json
import logging
import math
import os
import re
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from newsdedup.dedup import DatasketchIndex, DedupConfig, Deduplicator, make_lsh, minhash
from newsdedup.terminal import quoted

log = logging.getLogger(__name__)

ENV_URL = "NEWSDEDUP_LSH_REDIS_URL"
ENV_PREFIX = "NEWSDEDUP_LSH_PREFIX"
DEFAULT_PREFIX = "newsdedup"
# A Redis that never answers (a firewall dropping packets) must fail the task, not hang it; a URL's
# own `?socket_timeout=` / `?socket_connect_timeout=` win.
CONNECT_TIMEOUT = 10.0
COMMAND_TIMEOUT = 60.0
# Timeouts a URL may set (`?socket_timeout=5`): seconds above 0 and at most this.
MAX_TIMEOUT = 3600.0
_TIMEOUT_OPTIONS = {"socket_timeout": COMMAND_TIMEOUT, "socket_connect_timeout": CONNECT_TIMEOUT}
# ASCII letters, digits, '-' and '.': no glob character (`reset` SCANs with the prefix in its pattern),
# no '_' or ':' (datasketch's `<basename>_bucket_...` keys and the `<prefix>:config` pin).
_PREFIX = re.compile(r"[A-Za-z0-9.-]+")
# What `reset` deletes: this prefix's indexes (any config fingerprint), nothing of a longer prefix.
_FINGERPRINT_GLOB = "[0-9a-f]" * 16
_SECRET_QUERY = re.compile(r"(?i)([?&](?:password|pass|pwd)=)[^&#]*")


class LSHStoreError(RuntimeError):
    """The shared LSH index cannot be used; the message says why and which setting (password redacted)."""


class LSHSettingsError(LSHStoreError, ValueError):
    """`NEWSDEDUP_LSH_REDIS_URL` or `NEWSDEDUP_LSH_PREFIX` is not usable as written."""


class LSHConfigMismatch(LSHStoreError):
    """The Redis LSH index was built with another dedup config than this process has."""


class LSHStoreUnsafe(LSHStoreError):
    """The Redis evicts keys under memory pressure: LSH buckets would go silently, duplicates be missed."""


class LSHStoreConflict(LSHStoreError):
    """A key under the prefix is not what the index writes there (another program uses the prefix)."""


class LSHStoreUnavailable(LSHStoreError):
    """Redis cannot be reached, refused the credentials or the database, or refused a write (full)."""


def no_retry_mends(exc: BaseException) -> bool:
    """Whether retrying cannot help (the settings, another pinned config, an evicting Redis, foreign
    keys, no warehouse to sweep against), so an Airflow task fails at once; Redis down or full
    (`LSHStoreUnavailable`) may pass and is retried."""
    return isinstance(exc, LSHStoreError) and not isinstance(exc, LSHStoreUnavailable)


@contextmanager
def airflow_retry_policy() -> Iterator[None]:
    """Around an Airflow task's use of the shared index (the ingest's dedup, the maintenance sweep):
    an error retrying cannot mend fails the task at once (AirflowFailException; the message redacts
    the password), Redis down or full is raised as it is and retried as usual."""
    try:
        yield
    except LSHStoreError as exc:
        if not no_retry_mends(exc):
            raise
        from airflow.sdk.exceptions import AirflowFailException

        raise AirflowFailException(str(exc)) from exc


def redact(url: str) -> str:
    """The URL with its password (userinfo, or `?password=`) replaced by `***`, parseable or not."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return "***" if "@" in url else url
    head = re.split(r"[?#]", rest, maxsplit=1)[0]
    at = head.rfind("@")
    if at >= 0:
        user, colon, _ = rest[:at].partition(":")
        rest = (f"{user}:***@" if colon and "/" not in user else "***@") + rest[at + 1:]
    return scheme + "://" + _SECRET_QUERY.sub(r"\1***", rest)


def _printable(value: str | None) -> str:
    return "none" if value is None else value if value.isprintable() and value.isascii() else ascii(value)


def _redis_params() -> set[str]:
    import redis

    return set(inspect.signature(redis.Redis.__init__).parameters) - {"self"}


@dataclass(frozen=True)
class RedisLSHSettings:
    """Where the shared index lives: a Redis URL and a key prefix (several deployments, one Redis).

    Invalid settings raise `LSHSettingsError` here, naming the variable; `repr` and every message
    show the URL with its password redacted (`redacted_url`).
    """

    url: str
    prefix: str = DEFAULT_PREFIX

    def __post_init__(self) -> None:
        if not self.url.startswith(("redis://", "rediss://", "unix://")):
            raise LSHSettingsError(
                f"{ENV_URL}={self.redacted_url!r}: expected redis://host:port/db (or rediss://, unix://)")
        if not isinstance(self.prefix, str) or not _PREFIX.fullmatch(self.prefix):
            raise LSHSettingsError(
                f"{ENV_PREFIX}={self.prefix!r}: use ASCII letters, digits, '-' or '.' (no '_', ':' or glob "
                "characters: the prefix is part of the index's key names and of `reset`'s SCAN pattern)")
        self.redis_kwargs()  # an unparseable URL fails here, not at the first Redis call

    def __repr__(self) -> str:
        return f"RedisLSHSettings(url={self.redacted_url!r}, prefix={self.prefix!r})"

    @property
    def redacted_url(self) -> str:
        return redact(self.url)

    @property
    def where(self) -> str:
        """How messages name this index: both settings, the password redacted."""
        return f"the shared LSH index ({ENV_URL}={self.redacted_url}, {ENV_PREFIX}={self.prefix})"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> RedisLSHSettings | None:
        """The settings from the environment, or None when the shared index is not configured."""
        env = os.environ if environ is None else environ
        url = (env.get(ENV_URL) or "").strip()
        if not url:
            return None
        return cls(url=url, prefix=(env.get(ENV_PREFIX) or DEFAULT_PREFIX).strip())

    def redis_kwargs(self) -> dict[str, Any]:
        """`redis.Redis(**kwargs)` for the URL: datasketch's storage takes kwargs, not a URL."""
        from redis.connection import parse_url

        bad = f"{ENV_URL}={self.redacted_url!r}: not a usable Redis URL"
        try:
            kwargs = dict(parse_url(self.url))
            path = urlsplit(self.url).path
        except ValueError as exc:  # urllib's words (a port that is no number, '[' not closed): no secret
            raise LSHSettingsError(f"{bad} ({exc})") from None
        if not self.url.startswith("unix://") and "db" not in kwargs and path.strip("/"):
            # redis-py silently uses database 0 for `/prod`
            raise LSHSettingsError(f"{bad} (the path names the database by number: /0, /1, ...)")
        unknown = sorted(set(kwargs) - _redis_params())
        if unknown:
            raise LSHSettingsError(f"{bad} (unknown option{'s' if len(unknown) > 1 else ''} {', '.join(unknown)})")
        for key in _TIMEOUT_OPTIONS:
            # `?socket_timeout=nan`, `-1` or `1e400` (a template's empty or wrong variable) was a ValueError or
            # OverflowError traceback out of the socket at the first connection, the dedup task retried;
            # `inf` or 0 waits for ever (0 makes the socket non-blocking in redis-py's eyes: no timeout).
            value = kwargs.get(key)
            if value is not None and not (isinstance(value, int | float) and 0 < value <= MAX_TIMEOUT):
                raise LSHSettingsError(f"{bad} ({key}={value!r}: give a number of seconds above 0 and at most "
                                       f"{MAX_TIMEOUT:g}, or leave it out for {_TIMEOUT_OPTIONS[key]:g})")
        kwargs.setdefault("socket_connect_timeout", CONNECT_TIMEOUT)
        kwargs.setdefault("socket_timeout", COMMAND_TIMEOUT)
        return kwargs

    def client(self) -> Any:
        import redis

        return redis.Redis(**self.redis_kwargs())

    def pin_key(self) -> str:
        return f"{self.prefix}:config"

    def index_pattern(self) -> str:
        """SCAN pattern of every index key of this prefix (any config fingerprint), no other prefix's."""
        return f"{self.prefix}-lsh-{_FINGERPRINT_GLOB}_*"

    def basename(self, config: DedupConfig) -> bytes:
        # The fingerprint in the basename (make_lsh insists on it) keeps indexes of two configs apart.
        return f"{self.prefix}-lsh-{config.fingerprint()}".encode()

    def storage_config(self, config: DedupConfig) -> dict[str, Any]:
        """datasketch's `storage_config` for this config's index."""
        return {"type": "redis", "basename": self.basename(config), "redis": self.redis_kwargs()}


def _explain(settings: RedisLSHSettings, exc: Exception, doing: str) -> LSHStoreError:
    """A redis-py error as one sentence naming the settings and what to do (never the password)."""
    from redis import exceptions as rx

    text = f"{type(exc).__name__}: {exc}".replace(settings.url, settings.redacted_url)
    where = settings.where
    if isinstance(exc, rx.AuthenticationError) or any(w in str(exc) for w in ("NOAUTH", "WRONGPASS")):
        return LSHStoreUnavailable(f"{where}: Redis refused the password ({text}) while {doing}: check the "
                                   f"credentials in {ENV_URL}")
    if "DB index is out of range" in str(exc):
        return LSHStoreUnavailable(f"{where}: Redis has no such database number ({text}) while {doing}: "
                                   f"check the /db of {ENV_URL}")
    if isinstance(exc, rx.OutOfMemoryError):
        return LSHStoreUnavailable(
            f"{where}: Redis is full, maxmemory reached ({text}) while {doing}: raise maxmemory or reset "
            "old indexes; this run's decisions are not loaded, its retry decides them again")
    if str(exc).startswith("WRONGTYPE"):
        return LSHStoreConflict(
            f"{where}: a key under prefix {settings.prefix!r} holds another type than the index writes "
            f"({text}) while {doing}: another program writes under this prefix; choose another "
            f"{ENV_PREFIX}, or `python -m newsdedup.lshstore reset`")
    if isinstance(exc, rx.ConnectionError | rx.TimeoutError):
        return LSHStoreUnavailable(f"{where}: cannot connect to Redis or it stopped answering ({text}) "
                                   f"while {doing}")
    return LSHStoreUnavailable(f"{where}: Redis failed ({text}) while {doing}")


@contextmanager
def redis_errors(settings: RedisLSHSettings, doing: str) -> Iterator[None]:
    """Turn redis-py's errors into `LSHStoreError`s that say which setting and what to do."""
    from redis.exceptions import RedisError

    try:
        yield
    except RedisError as exc:
        raise _explain(settings, exc, doing) from exc


def maxmemory_policy(settings: RedisLSHSettings, r: Any) -> str | None:
    """Redis's maxmemory-policy, or None (logged) when INFO and CONFIG GET are both refused (managed
    Redis often renames or denies CONFIG)."""
    from redis.exceptions import ResponseError

    r.ping()  # a refused password or database number is not "INFO refused"
    reasons = []
    try:
        policy = r.info("memory").get("maxmemory_policy")
        if policy:
            return str(policy)
    except ResponseError as exc:  # renamed / disabled command, or an ACL without +info (NoPermissionError)
        reasons.append(f"INFO: {exc}")
    try:
        got = r.config_get("maxmemory-policy").get("maxmemory-policy")
        if got:
            return str(got)
    except ResponseError as exc:
        reasons.append(f"CONFIG GET: {exc}")
    log.warning("%s: cannot read maxmemory-policy (%s): make sure this Redis never evicts keys "
                "(noeviction or volatile-*), or LSH buckets go silently and duplicates are missed",
                settings.where, "; ".join(reasons) or "not reported")
    return None


def _refuse_eviction(settings: RedisLSHSettings, r: Any) -> None:
    policy = maxmemory_policy(settings, r)
    if policy is not None and policy.startswith("allkeys-"):
        # The index's keys have no TTL: volatile-* policies never evict them (a full Redis refuses writes).
        raise LSHStoreUnsafe(
            f"{settings.where}: Redis evicts keys under memory pressure (maxmemory-policy {policy}): LSH "
            "buckets would be dropped silently and duplicates missed. Set maxmemory-policy noeviction "
            "(or volatile-*) on this Redis, or use another one")


def _pin(config: DedupConfig) -> dict[str, str]:
    return {
        "fingerprint": config.fingerprint(),
        "lsh_params": json.dumps(list(config.lsh_params)),
        "num_perm": str(config.num_perm),
        "scheme": config.scheme,
        "config": json.dumps(asdict(config), sort_keys=True, default=list),
    }


def check(settings: RedisLSHSettings, config: DedupConfig | None = None) -> dict[str, str]:
    """Pin this config's fingerprint in Redis, or raise LSHConfigMismatch when another is pinned.

    The first process to check pins it (HSETNX, so two workers starting together agree). Refuses
    (LSHStoreUnsafe) a Redis that evicts keys; a pin key that is not a hash is LSHStoreConflict.
    """
    config = config or DedupConfig()
    pin = _pin(config)
    key = settings.pin_key()
    with redis_errors(settings, "checking the pinned dedup config"):
        r = settings.client()
        _refuse_eviction(settings, r)
        r.hsetnx(key, "fingerprint", pin["fingerprint"])  # WRONGTYPE on a pin that is not a hash
        raw = r.hget(key, "fingerprint")
        stored = None if raw is None else raw.decode("utf-8", "replace")
        if stored != pin["fingerprint"]:
            have = {k.decode("utf-8", "replace"): v.decode("utf-8", "replace") for k, v in r.hgetall(key).items()}
            raise LSHConfigMismatch(
                f"{settings.where} was built with dedup config {_printable(stored)} (lsh_params "
                f"{_printable(have.get('lsh_params'))}, num_perm {_printable(have.get('num_perm'))}), but this "
                f"worker has {pin['fingerprint']} (lsh_params {pin['lsh_params']}, num_perm {pin['num_perm']}). "
                "Run every worker from the same image; after a deliberate change of DedupConfig run "
                "`python -m newsdedup.lshstore reset` and re-run dedup (`newsdedup reclean`).")
        r.hset(key, mapping=pin)  # fill in the details the first HSETNX left out
    return pin


class RedisIndex(DatasketchIndex):
    """`DatasketchIndex` on datasketch's Redis storage whose Redis errors say which setting is wrong
    (LSHStoreError, a RuntimeError) instead of surfacing as redis-py exceptions mid-run."""

    def __init__(self, settings: RedisLSHSettings, config: DedupConfig) -> None:
        self.settings = settings
        self._client: Any = None
        with redis_errors(settings, "opening the index"):
            super().__init__(make_lsh(config, settings.storage_config(config)), config)

    def insert(self, ids: Sequence[str], sigs: np.ndarray, keys: np.ndarray) -> None:
        with redis_errors(self.settings, f"indexing {len(ids)} docs"):
            super().insert(ids, sigs, keys)

    def query(self, sigs: np.ndarray, keys: np.ndarray) -> list[list[str]]:
        with redis_errors(self.settings, f"querying {len(sigs)} docs"):
            if not (self.lsh.prepickle and self.lsh.hashfunc is None):
                return super().query(sigs, keys)
            if self._client is None:
                self._client = self.settings.client()
            return bucket_query(self.lsh, self._client, sigs)

    def remove(self, doc_id: str) -> None:
        with redis_errors(self.settings, "removing a doc"):
            super().remove(doc_id)

    def holds(self, doc_id: str, sig: np.ndarray | None) -> bool:
        with redis_errors(self.settings, "looking up a doc's bands"):
            return super().holds(doc_id, sig)

    def __contains__(self, doc_id: object) -> bool:
        with redis_errors(self.settings, "looking up a doc"):
            return super().__contains__(doc_id)

    def __len__(self) -> int:
        with redis_errors(self.settings, "counting the indexed docs"):
            return super().__len__()


def bucket_query(lsh: Any, client: Any, sigs: np.ndarray, cap: int = minhash.MAX_HITS_PER_BAND) -> list[list[str]]:
    """`MinHashLSH.query` of a batch of signatures on datasketch's Redis set storage (pickled keys), in
    two pipelined round trips for the whole batch, reading at most `cap` members of a bucket.

    Each bucket's size first (SCARD), then SMEMBERS of the buckets of `cap` members or fewer (all of
    them: the same ids as before) and one SSCAN from cursor 0 asking for `cap` of the larger ones, of
    which the `cap` smallest keys are kept: a bucket of 100,000 copies of one text was read whole, 32
    times a doc (3.2 million members a query, quadratic over a flood), where the in-process index
    reads its `cap` latest. Which members a large bucket gives is arbitrary but fixed while it is not
    written; candidates are capped at `max_candidates` anyway, and an exact copy is found by its
    content hash. Keys are unpickled once a batch, never into objects (`minhash.unpickle_key`).
    """
    names: dict[bytes, int] = {}  # the batch's bucket keys, each asked once
    rows: list[list[int]] = []
    for sig in sigs:
        row = []
        for h, table in zip(minhash.band_keys(lsh, sig), lsh.hashtables, strict=True):
            row.append(names.setdefault(table.redis_key(h), len(names)))
        rows.append(row)
    if not names:
        return [[] for _ in rows]
    pipe = client.pipeline(transaction=False)
    for name in names:
        pipe.scard(name)
    sizes = pipe.execute()
    pipe = client.pipeline(transaction=False)
    asked = [(name, n) for name, n in zip(names, sizes, strict=True) if n]
    for name, n in asked:
        if n <= cap:
            pipe.smembers(name)
        else:
            pipe.sscan(name, 0, count=cap)
    members: list[list[bytes]] = [[] for _ in names]
    for (name, n), got in zip(asked, pipe.execute() if asked else [], strict=True):
        members[names[name]] = list(got) if n <= cap else sorted(got[1])[:cap]
    ids: dict[bytes, str | None] = {}
    out: list[list[str]] = []
    for row in rows:
        raws: set[bytes] = set()
        for b in row:
            raws.update(members[b])
        found = []
        for raw in raws:
            key = ids[raw] if raw in ids else ids.setdefault(raw, minhash.unpickle_key(raw))
            if key is not None:
                found.append(key)
        out.append(found)
    return out


def shared_index(config: DedupConfig, settings: RedisLSHSettings) -> DatasketchIndex:
    """This config's index in Redis, after `check` pinned (or matched) the config fingerprint."""
    check(settings, config)
    return RedisIndex(settings, config)


def deduplicator(config: DedupConfig | None = None, environ: Mapping[str, str] | None = None) -> Deduplicator:
    """The dedup stage's Deduplicator: its LSH index shared through Redis when configured, else in-process.

    Raises LSHStoreError (a RuntimeError) when the shared index is configured but unusable.
    """
    config = config or DedupConfig()
    settings = RedisLSHSettings.from_env(environ)
    if settings is None:
        return Deduplicator(config)
    return Deduplicator(config, index=shared_index(config, settings))


def status(settings: RedisLSHSettings) -> dict[str, Any]:
    """What Redis holds for this prefix (the URL redacted), and whether it would evict the index."""
    with redis_errors(settings, "reading the status"):
        r = settings.client()
        if r.type(settings.pin_key()) not in (b"hash", b"none"):
            raise LSHStoreConflict(f"{settings.where}: the pin {settings.pin_key()!r} is not a hash: another "
                                   f"program writes under this prefix; choose another {ENV_PREFIX}")
        pin = {k.decode("utf-8", "replace"): v.decode("utf-8", "replace")
               for k, v in r.hgetall(settings.pin_key()).items()}
        fingerprint = pin.get("fingerprint")
        out: dict[str, Any] = {"url": settings.redacted_url, "prefix": settings.prefix,
                               "pinned": _printable(fingerprint) if fingerprint else None,
                               "this_config": DedupConfig().fingerprint(), "indexed_docs": None}
        if fingerprint and re.fullmatch(r"[0-9a-f]{16}", fingerprint):
            keys = f"{settings.prefix}-lsh-{fingerprint}_keys"
            out["indexed_docs"] = r.hlen(keys) if r.type(keys) in (b"hash", b"none") else "not a hash"
        out["maxmemory_policy"] = maxmemory_policy(settings, r)
        try:
            out["redis_used_memory"] = r.info("memory").get("used_memory_human")
        except Exception:  # noqa: BLE001 - INFO refused (logged by maxmemory_policy)
            out["redis_used_memory"] = None
    return out


def reset(settings: RedisLSHSettings) -> int:
    """Delete the pin and every index key of this prefix (no other prefix's); return how many went.

    SCAN streams (no list of every key in memory), deleting 1,000 at a time.
    """
    with redis_errors(settings, "deleting the index"):
        r = settings.client()
        n = r.delete(settings.pin_key())
        batch: list[bytes] = []
        for key in r.scan_iter(match=settings.index_pattern(), count=1000):
            batch.append(key)
            if len(batch) == 1000:
                n += r.delete(*batch)
                batch.clear()
        if batch:
            n += r.delete(*batch)
    return n


# ------------------------------------------------------------------------------------------- sweep
# An id the warehouse never loaded may belong to a run still in flight (indexed, not loaded yet):
# it is swept only once a sweep at least this long ago already found it unloaded.
SWEEP_GRACE = timedelta(days=1)
SWEEP_BATCH = 1000
# Ids the sweep asks the warehouse about in one query (each query scans the signature ids once: with
# 1,000 a query, 200,000 indexed ids took 1.6 s more than in one query; 10,000 ids hold ~7 MB of Python)
SWEEP_LOOKUP = 10_000


class LSHSweepError(LSHStoreError):
    """The sweep cannot tell what the warehouse holds (no warehouse at the given path)."""


@dataclass(frozen=True)
class SweepResult:
    """What a sweep did to the shared index; `str()` says it in words."""

    indexed: int  # ids in the index when the sweep started
    removed_expired: int  # loaded once, signature since deleted by retention
    removed_unloaded: int  # never loaded (a failed run's, a revision's), unloaded for longer than the grace
    kept: int  # the warehouse holds their signature
    waiting: int  # never loaded yet, first seen unloaded less than the grace ago (a run in flight?)
    foreign: int  # keys that are not pickled ids (written by something else): left alone
    seconds: float
    grace_hours: float

    @property
    def removed(self) -> int:
        return self.removed_expired + self.removed_unloaded

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "removed": self.removed}

    def __str__(self) -> str:
        return (f"removed {self.removed:,} ids from the shared LSH index ({self.removed_expired:,} whose signature "
                f"retention deleted, {self.removed_unloaded:,} never loaded for over {self.grace_hours:g} h); kept "
                f"{self.kept:,} the warehouse holds a signature for and {self.waiting:,} not loaded yet (younger "
                f"than {self.grace_hours:g} h); {self.foreign:,} foreign keys left alone; {self.seconds:.1f} s")


def marks_key(settings: RedisLSHSettings, config: DedupConfig) -> bytes:
    """Hash of the ids a sweep found unloaded -> when it first did (Redis time, seconds); `reset`'s
    pattern covers it, and no datasketch key of the index is named like it."""
    return settings.basename(config) + b"_sweep"


def _warehouse(warehouse: str | os.PathLike[str] | None) -> Path:
    """The warehouse a sweep compares the index with; refused when there is none."""
    from newsdedup.config import warehouse_path

    path = warehouse_path(warehouse)
    if not path.exists():  # a wrong path would make every indexed id look "never loaded"
        raise LSHSweepError(f"no warehouse at {path}: the sweep removes what the warehouse does not hold, so it "
                            "needs the warehouse the dedup stage loads into (--warehouse or NEWSDEDUP_WAREHOUSE)")
    return path


def _warehouse_ids(con: Any, ids: Sequence[str]) -> tuple[set[str], set[str]]:
    """Of `ids`: (those the warehouse holds a signature for, those it holds as articles: loaded once)."""
    if not ids:
        return set(), set()
    # IN (unnest): a hash join on the batch; list_contains would compare every row with every listed id
    signed = {i for (i,) in con.execute("SELECT article_id FROM minhash_signatures WHERE article_id IN "
                                        "(SELECT unnest(?::VARCHAR[]))", [list(ids)]).fetchall()}
    unsigned = [i for i in ids if i not in signed]
    loaded = {i for (i,) in con.execute("SELECT article_id FROM articles WHERE article_id IN "
                                        "(SELECT unnest(?::VARCHAR[]))", [unsigned]).fetchall()} if unsigned else set()
    return signed, loaded


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def remove_ids(lsh: Any, client: Any, raws: Sequence[bytes]) -> None:
    """Remove stored keys (datasketch's pickled bytes) from a Redis-backed MinHashLSH, a batch in four
    round trips; what `MinHashLSH.remove` does per key in ~200 (measured: 196 commands a doc).

    Order makes it safe to stop anywhere: bucket memberships go first, the key's own entry last, so
    a key half removed is still listed and the next sweep finishes it (every step is idempotent).
    An emptied bucket's directory entry goes with HDEL only: Redis dropped the empty set itself, and
    never DELeting a set means an insert racing with the sweep can lose no member (`MinHashLSH.remove`
    DELs it after a separate check). `deletion_session()` is not used: it checks whether a bucket is
    empty before its buffered SREMs ran, so it never removes directory entries (~0.7 KB a doc left).
    """
    if not raws:
        return
    bands = lsh.keys.getmany(*raws)  # each key's band hashes (one MULTI)
    pipe = client.pipeline(transaction=False)
    touched: dict[tuple[int, bytes], Any] = {}
    for raw, hs in zip(raws, bands, strict=True):
        for i, (h, table) in enumerate(zip(hs, lsh.hashtables, strict=False)):
            pipe.srem(table.redis_key(h), raw)
            touched[(i, h)] = table
    pipe.execute()
    pipe = client.pipeline(transaction=False)
    for (_, h), table in touched.items():
        pipe.exists(table.redis_key(h))
    gone = [(t, h) for ((_, h), t), n in zip(touched.items(), pipe.execute(), strict=True) if not n]
    if gone:
        pipe = client.pipeline(transaction=False)
        for table, h in gone:
            pipe.hdel(table.redis_key(b""), h)  # redis_key(b"") is the storage's own (directory) name
        pipe.execute()
    lsh.keys.remove(*raws, buffer=True)  # HDEL from the key list and DEL the band lists, in one MULTI
    lsh.keys.empty_buffer()


def sweep(settings: RedisLSHSettings, warehouse: str | os.PathLike[str] | None, config: DedupConfig | None = None,
          *, grace: timedelta = SWEEP_GRACE, now: float | None = None, batch: int = SWEEP_BATCH,
          lookup: int = SWEEP_LOOKUP) -> SweepResult:
    """Remove from the shared index every id the warehouse holds no signature for.

    - loaded once and since deleted by retention (the article is stored, its signature is not): now;
    - never loaded (a run that failed before its load, a revision's own id): once a sweep at least
      `grace` ago already found it unloaded (`marks_key`), so a run in flight keeps its docs.
    Ids a later run needs are seeded again from the warehouse (`Deduplicator.seed` re-indexes what
    the index lacks), so a sweep never changes a decision. A sweep stopped half-way leaves a usable
    index; the next one finishes. `now` (seconds since the epoch) defaults to Redis's clock.

    The index's ids (and the marks) are walked with HSCAN, `batch` at a time (and removed, marked and
    unmarked `batch` at a time), and the warehouse is asked about `lookup` of them at once: memory
    follows those bounds, not the index (one HKEYS of millions of ids was one reply of hundreds of
    megabytes, with every signed id of the warehouse in a set beside it). An id HSCAN returns twice (Redis resizing the hash while a run inserts) is counted twice;
    removing it again changes nothing.
    """
    if batch < 1 or lookup < 1:
        raise ValueError(f"batch and lookup must be at least 1, not {batch} and {lookup}")
    config = config or DedupConfig()
    t0 = time.monotonic()
    grace_h = grace.total_seconds() / 3600
    indexed = expired_n = due_n = kept = waiting = foreign = 0
    from newsdedup import warehouse as wh

    # closed when done: its connection (and what Redis holds for it) is not left to the garbage collector
    with settings.client() as r:
        with redis_errors(settings, "sweeping the index"):
            if r.hget(settings.pin_key(), "fingerprint") is None:  # no index yet: do not pin one
                return SweepResult(0, 0, 0, 0, 0, 0, 0, time.monotonic() - t0, grace_h)
            check(settings, config)
        path = _warehouse(warehouse)
        with redis_errors(settings, "sweeping the index"), wh.reader(path) as con:
            if con is None:
                raise LSHSweepError(f"no warehouse at {path}")
            lsh = make_lsh(config, settings.storage_config(config))
            directory = lsh.keys.redis_key(b"")  # the hash of every indexed key (datasketch's storage name)
            marks = marks_key(settings, config)
            if now is None:
                sec, usec = r.time()
                now = sec + usec / 1e6
            for raws in _batches((raw for raw, _value in r.hscan_iter(directory, count=batch)), max(lookup, batch)):
                indexed += len(raws)
                known = [(raw, i) for raw in raws if (i := minhash.unpickle_key(raw)) is not None]
                foreign += len(raws) - len(known)
                signed, loaded = _warehouse_ids(con, [i for _, i in known])
                for chunk in _batches(iter(known), batch):
                    seen = r.hmget(marks, [raw for raw, _ in chunk])
                    expired: list[bytes] = []
                    due: list[bytes] = []
                    new: dict[bytes, float] = {}
                    stale: list[bytes] = []  # marks of ids since loaded
                    for (raw, i), mark in zip(chunk, seen, strict=True):
                        if i in signed:
                            kept += 1
                            if mark is not None:
                                stale.append(raw)
                        elif i in loaded:
                            expired.append(raw)
                        elif grace <= timedelta(0) or (mark is not None and now - float(mark) >= grace.total_seconds()):
                            due.append(raw)
                        else:
                            waiting += 1
                            if mark is None:
                                new[raw] = now
                    if new:
                        r.hset(marks, mapping=new)  # type: ignore[arg-type]
                    if stale:
                        r.hdel(marks, *stale)
                    if doomed := expired + due:
                        remove_ids(lsh, r, doomed)
                        r.hdel(marks, *doomed)
                    expired_n += len(expired)
                    due_n += len(due)
            # marks of ids no longer indexed (removed by other means) go too
            for chunk in _batches(r.hscan_iter(marks, count=batch), batch):
                raws = [raw for raw, _value in chunk]
                pipe = r.pipeline(transaction=False)
                for raw in raws:
                    pipe.hexists(directory, raw)
                if gone := [raw for raw, there in zip(raws, pipe.execute(), strict=True) if not there]:
                    r.hdel(marks, *gone)
    result = SweepResult(indexed=indexed, removed_expired=expired_n, removed_unloaded=due_n, kept=kept,
                         waiting=waiting, foreign=foreign, seconds=round(time.monotonic() - t0, 3), grace_hours=grace_h)
    log.info("LSH sweep of %s: %s", settings.where, result)
    return result


SWEEP_GRACE_MAX_HOURS = 87_600  # ten years: past it a grace is a slip (inf, 1e308 overflowed timedelta)


def _grace_hours(text: str) -> float:
    """An argparse type: hours from 0 to SWEEP_GRACE_MAX_HOURS (`inf` was an OverflowError traceback)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value <= SWEEP_GRACE_MAX_HOURS:  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be a number of hours from 0 to {SWEEP_GRACE_MAX_HOURS:,}, "
                                         f"not {quoted(text)}")
    return value


def main(argv: list[str] | None = None) -> int:
    from newsdedup.cli import path_arg

    ap = argparse.ArgumentParser(prog="python -m newsdedup.lshstore", description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=["check", "status", "reset", "sweep"])
    ap.add_argument("--warehouse", type=path_arg, help="sweep: the warehouse the dedup stage loads into (default: "
                    "$NEWSDEDUP_WAREHOUSE, else var/warehouse.duckdb)")
    ap.add_argument("--grace-hours", type=_grace_hours, default=SWEEP_GRACE.total_seconds() / 3600,
                    help="sweep: remove a never-loaded id only once it was found unloaded this long ago")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="newsdedup.lshstore: %(message)s")
    try:
        settings = RedisLSHSettings.from_env()
    except LSHSettingsError as exc:
        print(f"newsdedup.lshstore: {exc}", file=sys.stderr)
        return 2
    if settings is None:
        print(f"newsdedup.lshstore: {ENV_URL} is not set: the dedup stage uses an in-process index")
        return 0
    try:
        if args.command == "check":
            pin = check(settings)
            print(f"newsdedup.lshstore: dedup config {pin['fingerprint']} matches {settings.where}")
        elif args.command == "status":
            print(json.dumps(status(settings), indent=1))
        elif args.command == "sweep":
            print(f"newsdedup.lshstore: {sweep(settings, args.warehouse, grace=timedelta(hours=args.grace_hours))}")
        else:
            print(f"newsdedup.lshstore: deleted {reset(settings)} keys under {settings.prefix!r}")
    except (LSHConfigMismatch, LSHStoreUnsafe, LSHStoreConflict) as exc:
        print(f"newsdedup.lshstore: refusing to run: {exc}", file=sys.stderr)
        return 3
    except LSHSweepError as exc:
        print(f"newsdedup.lshstore: {exc}", file=sys.stderr)
        return 2
    except LSHStoreError as exc:
        print(f"newsdedup.lshstore: {exc}", file=sys.stderr)
        return 4
    return 0


if __name__ == "__main__":
    sys.exit(main())
