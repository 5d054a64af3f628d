"""Without Airflow: the stages run again for a run id that is already loaded leave every table as it
was (what a cleared task or DAG run does under the scheduler; test_idempotency.py checks that too)."""

from __future__ import annotations

from pathlib import Path

from stackenv import checksums

from newsdedup.pipeline import run_pipeline
from newsdedup.samplesite import serve, write_sources_file


def test_rerunning_a_loaded_run_changes_no_table(tmp_path: Path) -> None:
    wh_path = tmp_path / "w.duckdb"
    with serve(port=0) as site:
        sources = write_sources_file(site.base_url, tmp_path / "sources.yaml")
        first = run_pipeline(str(sources), str(wh_path), str(tmp_path / "staging"), run_id="scheduled__2026-11-25")
        before = checksums(wh_path)
        again = run_pipeline(str(sources), str(wh_path), str(tmp_path / "staging"), run_id="scheduled__2026-11-25")
    assert first.added["articles"] > 0
    assert again.added == dict.fromkeys(first.added, 0)
    assert again.sources == first.sources  # the recorded per-source summaries, not a new fetch
    assert checksums(wh_path) == before
