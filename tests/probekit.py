"""What the root probe files (tenth to fourteenth) share: the fetch settings they run under and discovery at a
fixed clock. Network tests use the `server` fixture in tests/conftest.py."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdedup.config import Settings, SourceSpec
from newsdedup.fetch import Fetcher
from newsdedup.sources import Discovery, discover

NOW = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)
# Local servers are private addresses; no retries and short waits, so a failure shows at once.
SETTINGS = Settings(allow_private_networks=True, connect_timeout=1.0, read_timeout=1.0, total_timeout=5.0,
                    max_bytes=1_000_000, retries=0, backoff_base=0.02, backoff_max=1.0)


def discover_at(url: str, kind: str | None = None) -> Discovery:
    """`discover` of one source `probe` at `url` under SETTINGS, at NOW."""
    with Fetcher(SETTINGS) as f:
        return discover(SourceSpec("probe", url, kind), SETTINGS, f, now=NOW)
