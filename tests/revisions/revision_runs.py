"""The revision tests' stories and their runs of the real pipeline (`run_pipeline`) into a temporary
warehouse. A module of its own, not conftest: `from conftest import` finds whichever conftest was
imported first when pytest collects several test folders."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from editable_site import EditableSite

from newsdedup import warehouse as wh
from newsdedup.pipeline import run_pipeline
from newsdedup.summary import RunSummary

FERRY = [
    "The harbour ferry between Calder Point and the island of Westholm returned to service on Tuesday morning, "
    "three weeks after a winter storm tore a loading ramp from its moorings and left the island's eight hundred "
    "residents relying on a single water taxi.",
    "Engineers worked through the weekend to fit a replacement ramp shipped from the mainland yard, and the first "
    "crossing left on time at seven o'clock with a full deck of delivery vans and school buses.",
    "The operator said the timetable would run at reduced frequency until the end of the month while crews "
    "finish strengthening the pier supports, with the last evening sailing moved forty minutes earlier.",
    "Island councillor Marta Lindgren said residents had coped with patience and good humour, but that the "
    "outage showed how exposed the community was to a single point of failure in bad weather.",
    "The regional transport authority has promised a review of the ferry's backup arrangements, including a "
    "second ramp kept in reserve and a standing agreement with a charter vessel for future emergencies.",
]
ORCHARD = [
    "A community orchard planted on the old quarry terraces above Westholm village produced its first harvest "
    "this autumn, ten years after volunteers began clearing the ground by hand.",
    "More than two hundred apple and pear trees, many of them grafted from old island varieties, now grow on the "
    "sheltered south-facing terraces, and the orchard group pressed its first batch of juice last week.",
    "The group's chair said the project had drawn families who had never met each other into a shared weekend "
    "routine of pruning, mowing and picking, and that the juice would be sold at the harbour market.",
    "Botanists from the mainland university have catalogued several varieties that were thought lost, and plan "
    "to send cuttings to a national fruit collection so that they survive beyond the island.",
]
LIBRARY = [
    "The county library service will open its three largest branches on Sunday afternoons from January, reversing "
    "cuts made a decade ago, after a trial at the central library drew more visitors than any weekday.",
    "Councillors approved the change on Thursday with money freed by merging two mobile library routes, and said "
    "the extra hours would be staffed by new part-time posts rather than volunteers.",
    "Families made up more than half of the Sunday visitors during the trial, and the children's sections lent "
    "twice as many books as on an average Saturday, according to figures presented to the council.",
    "The library union welcomed the decision but asked for a guarantee that weekday opening hours at the smaller "
    "branches would not be reduced to pay for the weekend service in future budgets.",
]
CORRECTION = ("Correction: an earlier version of this story said the replacement ramp was built on the island; "
              "it was shipped from the mainland yard.")


def checksums(warehouse: Path) -> dict[str, tuple[int, str]]:
    """(rows, md5 of the sorted rows as text) per table, from the published snapshot."""
    out = {}
    with wh.reader(warehouse) as con:
        assert con is not None
        for (t,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall():
            out[t] = con.execute(
                f"SELECT count(*), coalesce(md5(string_agg(x::VARCHAR, '|' ORDER BY x::VARCHAR)), '') FROM {t} x"
            ).fetchone()
    return out


@dataclass
class Runner:
    """Runs the real pipeline against the editable site into one temporary warehouse."""

    site: EditableSite
    tmp: Path
    settings: dict[str, Any] = field(default_factory=lambda: {"recheck_hours": [0]})
    extra_sources: list[dict[str, Any]] = field(default_factory=list)
    runs: int = 0
    name: str = "courier"  # the site's source name in the sources file (an operator may rename it)

    @property
    def warehouse(self) -> Path:
        return self.tmp / "w.duckdb"

    def sources_file(self) -> Path:
        doc = {"settings": {"allow_private_networks": True, "retries": 0, "backoff_base": 0.01, **self.settings},
               "sources": [{"name": self.name, "url": self.site.url("/feed.xml"), "kind": "rss"},
                           *self.extra_sources]}
        path = self.tmp / "sources.yaml"
        path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
        return path

    def run(self, run_id: str | None = None) -> RunSummary:
        self.runs += 1
        return run_pipeline(str(self.sources_file()), str(self.warehouse), str(self.tmp / "staging"),
                            run_id=run_id or f"test__run{self.runs}")

    def q(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        return wh.query_rows(self.warehouse, sql, params)[1]

    def article_id(self, path: str) -> str:
        return self.q("SELECT article_id FROM articles WHERE url = ?", [self.site.url(path)])[0][0]
