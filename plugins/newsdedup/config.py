"""Project paths and the sources file (YAML): settings plus a list of sources.

The sources file is read at run time, never at DAG parse time.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# DuckDB has one writer: every task that writes the warehouse runs in this pool (the DAG files name
# it literally; the demo, `make airflow`, the tests and the compose init create it).
WRITER_POOL = "duckdb_writer"
WRITER_POOL_SLOTS = 1
WRITER_POOL_DESCRIPTION = "DuckDB has one writer: loads and maintenance run one at a time"
SOURCE_KINDS = ("rss", "atom", "sitemap", "page", "site", "warc", "dir")
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


class ConfigError(ValueError):
    """The sources file or a setting is invalid; the message says what to fix."""


def _located(explicit: str | os.PathLike[str] | None, env: str, default: Path) -> Path:
    """The first of: the explicit argument, the environment variable, the project default."""
    return Path(explicit or os.environ.get(env) or default)


def warehouse_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Where the DuckDB warehouse lives: argument, then $NEWSDEDUP_WAREHOUSE, then var/."""
    return _located(explicit, "NEWSDEDUP_WAREHOUSE", PROJECT_ROOT / "var" / "warehouse.duckdb")


def staging_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Where batches pass between tasks as Parquet: argument, $NEWSDEDUP_STAGING, var/staging."""
    return _located(explicit, "NEWSDEDUP_STAGING", PROJECT_ROOT / "var" / "staging")


def default_sources_file() -> Path:
    """The sources file: $NEWSDEDUP_SOURCES, else config/sources.yaml."""
    return _located(None, "NEWSDEDUP_SOURCES", PROJECT_ROOT / "config" / "sources.yaml")


@dataclass(frozen=True)
class Settings:
    """Fetch and run settings (the `settings:` block of the sources file; all optional)."""

    user_agent: str = "newsdedup/0.1 (+https://github.com/newsdedup/newsdedup)"
    allow_private_networks: bool = False
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 30.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    per_host_concurrency: int = 2
    per_host_delay: float = 0.0
    concurrency: int = 8
    respect_robots: bool = True
    max_entries_per_source: int = 500
    sitemap_lookback_days: float = 3.0
    dedup_window_days: float = 30.0

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Settings:
        data = dict(data or {})
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ConfigError(f"unknown setting(s) {unknown}; known settings are {sorted(known)}")
        out: dict[str, Any] = {}
        for key, value in data.items():
            default = getattr(cls, key)
            want = type(default)
            if want is bool:
                if not isinstance(value, bool):
                    raise ConfigError(f"setting {key!r} must be true or false, not {value!r}")
            elif want in (int, float):
                if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                    raise ConfigError(f"setting {key!r} must be a non-negative number, not {value!r}")
                value = want(value)
            elif not isinstance(value, str) or not value.strip():
                raise ConfigError(f"setting {key!r} must be a non-empty string, not {value!r}")
            out[key] = value
        return cls(**out)


@dataclass(frozen=True)
class SourceSpec:
    """One configured source. `kind` is None when it should be detected."""

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


def parse_sources(data: Any, origin: str = "<sources>") -> SourcesConfig:
    """Validate a parsed sources document; raise ConfigError naming the bad entry."""
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: expected a mapping with 'settings' and 'sources', got {type(data).__name__}")
    unknown = sorted(set(data) - {"settings", "sources"})
    if unknown:
        raise ConfigError(f"{origin}: unknown top-level key(s) {unknown}; use 'settings' and 'sources'")
    settings_data = data.get("settings") or {}
    if not isinstance(settings_data, dict):
        raise ConfigError(f"{origin}: 'settings' must be a mapping")
    try:
        settings = Settings.from_dict(settings_data)
    except ConfigError as exc:
        raise ConfigError(f"{origin}: {exc}") from None
    raw_sources = data.get("sources")
    if not isinstance(raw_sources, list) or not raw_sources:
        raise ConfigError(f"{origin}: 'sources' must be a non-empty list of {{name, url, kind?}}")
    seen: set[str] = set()
    specs: list[SourceSpec] = []
    for i, item in enumerate(raw_sources):
        where = f"{origin}: sources[{i}]"
        if not isinstance(item, dict):
            raise ConfigError(f"{where}: expected a mapping with name and url")
        name, url, kind = item.get("name"), item.get("url"), item.get("kind")
        if not isinstance(name, str) or not _NAME_RE.match(name):
            raise ConfigError(f"{where}: 'name' must be 1-100 letters, digits, '.', '_' or '-', got {name!r}")
        if name in seen:
            raise ConfigError(f"{where}: duplicate source name {name!r}; names must be unique")
        seen.add(name)
        if not isinstance(url, str) or not url.strip():
            raise ConfigError(f"{where} ({name}): 'url' must be a non-empty string")
        if kind is not None and kind not in SOURCE_KINDS:
            raise ConfigError(f"{where} ({name}): kind {kind!r} is not one of {', '.join(SOURCE_KINDS)}")
        options = {k: v for k, v in item.items() if k not in ("name", "url", "kind")}
        specs.append(SourceSpec(name=name, url=url.strip(), kind=kind, options=options))
    return SourcesConfig(settings=settings, sources=tuple(specs), path=origin)


def load_sources(path: str | os.PathLike[str] | None = None) -> SourcesConfig:
    """Read and validate the sources file (default: $NEWSDEDUP_SOURCES or config/sources.yaml)."""
    p = Path(path) if path else default_sources_file()
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"sources file {p} does not exist") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{p}: not valid YAML: {exc}") from None
    return parse_sources(data, origin=str(p))
