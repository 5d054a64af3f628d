"""What the Airflow tests share: names, the stack's environment record, table checksums."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import hostile_site

from newsdedup import warehouse as wh
from newsdedup.localstack import LocalStack

INGEST = "newsdedup_ingest"
MAINTENANCE = "newsdedup_maintenance"
SAMPLE_SOURCES = ["meridian-wire", "national-ledger", "harbour-valley-gazette", "circuit-and-capital"]


@dataclass
class Env:
    stack: LocalStack
    warehouse: Path
    staging: Path
    hostile_root: Path
    first_run: str = ""

    @property
    def sources(self) -> list[str]:
        return [*SAMPLE_SOURCES, hostile_site.SOURCE]


def checksums(warehouse: Path) -> dict[str, tuple[int, str]]:
    """(rows, md5 of the sorted rows as text) per table, read from the published snapshot."""
    out = {}
    with wh.reader(warehouse) as con:
        assert con is not None, f"no snapshot of {warehouse}"
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        for t in tables:
            out[t] = con.execute(
                f"SELECT count(*), coalesce(md5(string_agg(x::VARCHAR, '|' ORDER BY x::VARCHAR)), '') FROM {t} x"
            ).fetchone()
    return out
