"""Fixtures for fetch/source tests: fast settings and a fetcher (the `server` fixture, a real HTTP server on
127.0.0.1, is in tests/conftest.py, shared with the root probe files)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from newsdedup.config import Settings  # noqa: E402
from newsdedup.fetch import Fetcher  # noqa: E402


@pytest.fixture
def settings() -> Settings:
    # Small waits keep retry/backoff tests fast; private networks allowed because servers are local.
    return Settings(
        allow_private_networks=True,
        connect_timeout=1.0,
        read_timeout=1.0,
        total_timeout=5.0,
        max_bytes=1_000_000,
        retries=2,
        backoff_base=0.02,
        backoff_max=2.0,
        respect_robots=True,
    )


@pytest.fixture
def fetcher(settings: Settings) -> Iterator[Fetcher]:
    with Fetcher(settings) as f:
        yield f


def make_fetcher(settings: Settings, **changes: object) -> Fetcher:
    return Fetcher(replace(settings, **changes))
