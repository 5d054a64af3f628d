"""Maintenance removes the staging folders nothing needs any more (issue 10, weak spot: "staging
folders of runs that never loaded are never removed"), and keeps the ones a later run can still
load: a run whose load failed (a held lock, a full disk) until the next run adopts it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from lockholder import holding_the_lock

from newsdedup import maintenance, pipeline
from newsdedup import warehouse as wh
from newsdedup.samplesite import write_sources_file
from newsdedup.staging import run_key


def test_staging_folders_go_when_nothing_needs_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDEDUP_LOCK_PATIENCE", "1")
    sources = write_sources_file("http://127.0.0.1:9", tmp_path / "sources.yaml")  # never fetched here
    w, root = tmp_path / "w.duckdb", tmp_path / "staging"
    args = {"sources_file": str(sources), "staging": str(root), "warehouse": str(w)}
    pipeline.load_stage(pipeline.plan("loaded", **args)["run_dir"])
    pipeline.plan("never-loaded", **args)  # a run killed before its load
    pending = pipeline.plan("load-failed", **args)
    with holding_the_lock(w), pytest.raises(wh.WarehouseLocked):
        pipeline.load_stage(pending["run_dir"])
    mine = root / "not-a-run"  # whatever else sits in the folder is not ours to remove
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")

    def left() -> set[str]:
        return {p.name for p in root.iterdir()}

    now = datetime.now(UTC)
    everything = {run_key("loaded"), run_key("never-loaded"), run_key("load-failed"), "not-a-run"}
    assert maintenance.clean_staging(w, root, now) == 0 and left() == everything  # a run may be in flight
    assert maintenance.clean_staging(w, root, now + maintenance.STAGING_KEEP + timedelta(hours=1)) == 2
    assert left() == {run_key("load-failed"), "not-a-run"}  # the next run can still load it
    assert maintenance.clean_staging(w, root, now + maintenance.PENDING_KEEP + timedelta(hours=1)) == 1
    assert left() == {"not-a-run"}
