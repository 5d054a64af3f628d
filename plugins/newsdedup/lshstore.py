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
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from newsdedup.dedup import DatasketchIndex, DedupConfig, Deduplicator, make_lsh

ENV_URL = "NEWSDEDUP_LSH_REDIS_URL"
ENV_PREFIX = "NEWSDEDUP_LSH_PREFIX"
DEFAULT_PREFIX = "newsdedup"


class LSHConfigMismatch(RuntimeError):
    """The Redis LSH index was built with another dedup config than this process has."""


@dataclass(frozen=True)
class RedisLSHSettings:
    """Where the shared index lives: a Redis URL and a key prefix (several deployments, one Redis)."""

    url: str
    prefix: str = DEFAULT_PREFIX

    def __post_init__(self) -> None:
        if not self.url.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError(f"{ENV_URL}={self.url!r}: expected redis://host:port/db (or rediss://, unix://)")
        if not self.prefix or any(c in self.prefix for c in " _:"):
            # '_' and ':' would let datasketch's `<basename>_bucket_...` keys of two prefixes overlap.
            raise ValueError(f"{ENV_PREFIX}={self.prefix!r}: use letters, digits, '-' or '.'")

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

        return dict(parse_url(self.url))

    def client(self) -> Any:
        import redis

        return redis.Redis(**self.redis_kwargs())

    def pin_key(self) -> str:
        return f"{self.prefix}:config"

    def basename(self, config: DedupConfig) -> bytes:
        # The fingerprint in the basename (make_lsh insists on it) keeps indexes of two configs apart.
        return f"{self.prefix}-lsh-{config.fingerprint()}".encode()

    def storage_config(self, config: DedupConfig) -> dict[str, Any]:
        """datasketch's `storage_config` for this config's index."""
        return {"type": "redis", "basename": self.basename(config), "redis": self.redis_kwargs()}


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

    The first process to check pins it (HSETNX, so two workers starting together agree).
    """
    config = config or DedupConfig()
    pin = _pin(config)
    r = settings.client()
    key = settings.pin_key()
    r.hsetnx(key, "fingerprint", pin["fingerprint"])
    stored = r.hget(key, "fingerprint").decode()
    if stored != pin["fingerprint"]:
        have = {k.decode(): v.decode() for k, v in r.hgetall(key).items()}
        raise LSHConfigMismatch(
            f"the shared LSH index at {settings.url} (prefix {settings.prefix!r}) was built with dedup "
            f"config {stored} (lsh_params {have.get('lsh_params')}, num_perm {have.get('num_perm')}), "
            f"but this worker has {pin['fingerprint']} (lsh_params {pin['lsh_params']}, num_perm "
            f"{pin['num_perm']}). Run every worker from the same image; after a deliberate change of "
            f"DedupConfig run `python -m newsdedup.lshstore reset` and re-run dedup (`newsdedup reclean`)."
        )
    r.hset(key, mapping=pin)  # fill in the details the first HSETNX left out
    return pin


def shared_index(config: DedupConfig, settings: RedisLSHSettings) -> DatasketchIndex:
    """This config's index in Redis, after `check` pinned (or matched) the config fingerprint."""
    check(settings, config)
    return DatasketchIndex(make_lsh(config, settings.storage_config(config)), config)


def deduplicator(config: DedupConfig | None = None, environ: Mapping[str, str] | None = None) -> Deduplicator:
    """The dedup stage's Deduplicator: its LSH index shared through Redis when configured, else in-process."""
    config = config or DedupConfig()
    settings = RedisLSHSettings.from_env(environ)
    if settings is None:
        return Deduplicator(config)
    return Deduplicator(config, index=shared_index(config, settings))


def status(settings: RedisLSHSettings) -> dict[str, Any]:
    r = settings.client()
    pin = {k.decode(): v.decode() for k, v in r.hgetall(settings.pin_key()).items()}
    out: dict[str, Any] = {"url": settings.url, "prefix": settings.prefix, "pinned": pin.get("fingerprint"),
                           "this_config": DedupConfig().fingerprint(), "indexed_docs": None}
    if pin.get("fingerprint"):
        keys = f"{settings.prefix}-lsh-{pin['fingerprint']}".encode() + b"_keys"
        out["indexed_docs"] = r.hlen(keys)
    out["redis_used_memory"] = r.info("memory").get("used_memory_human")
    return out


def reset(settings: RedisLSHSettings) -> int:
    """Delete the pin and every index key under the prefix; return how many keys went."""
    r = settings.client()
    n = 0
    for pattern in (settings.pin_key(), f"{settings.prefix}-lsh-*"):
        batch = list(r.scan_iter(match=pattern, count=1000))
        for i in range(0, len(batch), 1000):
            n += r.delete(*batch[i:i + 1000])
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m newsdedup.lshstore", description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=["check", "status", "reset"])
    args = ap.parse_args(argv)
    try:
        settings = RedisLSHSettings.from_env()
    except ValueError as exc:
        print(f"newsdedup.lshstore: {exc}", file=sys.stderr)
        return 2
    if settings is None:
        print(f"newsdedup.lshstore: {ENV_URL} is not set: the dedup stage uses an in-process index")
        return 0
    from redis.exceptions import RedisError

    try:
        if args.command == "check":
            pin = check(settings)
            print(f"newsdedup.lshstore: dedup config {pin['fingerprint']} matches the index at {settings.url}")
        elif args.command == "status":
            print(json.dumps(status(settings), indent=1))
        else:
            print(f"newsdedup.lshstore: deleted {reset(settings)} keys under {settings.prefix!r}")
    except LSHConfigMismatch as exc:
        print(f"newsdedup.lshstore: refusing to run: {exc}", file=sys.stderr)
        return 3
    except RedisError as exc:
        print(f"newsdedup.lshstore: cannot reach Redis at {settings.url}: {exc}", file=sys.stderr)
        return 4
    return 0


if __name__ == "__main__":
    sys.exit(main())
