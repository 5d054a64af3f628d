"""Retention stopped between its commit and its file deletions (a SIGTERM, Ctrl-C, a killed
worker): the raw pages' rows were gone and their files stayed on disk for ever, since nothing
refers to them any more. The next retention now removes them (its list is written before the
commit), and never a file a row refers to again."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdedup import maintenance
from newsdedup import warehouse as wh
from newsdedup.pipeline import run_pipeline
from newsdedup.samplesite import serve, write_sources_file

REFERENCE = datetime(2026, 12, 10, tzinfo=UTC)  # the sample articles are dated 1-23 November 2026


def _q(path: Path, sql: str, params=None):  # type: ignore[no-untyped-def]
    return wh.query_rows(path, sql, params)[1]


def test_files_left_by_a_stopped_retention_are_removed_by_the_next(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    with serve(port=0) as site:
        sources = write_sources_file(site.base_url, tmp_path / "sources.yaml")
        run_pipeline(str(sources), str(tmp_path / "w.duckdb"), str(tmp_path / "staging"), run_id="r1")
    warehouse = tmp_path / "w.duckdb"
    raw = wh.raw_dir(warehouse)
    on_disk = {p.relative_to(raw).as_posix() for p in raw.rglob("*.html.gz")}
    assert len(on_disk) == _q(warehouse, "SELECT count(*) FROM raw_pages")[0][0]

    real_unlink = Path.unlink
    calls = 0

    def stop_after_one(self: Path, missing_ok: bool = False) -> None:
        nonlocal calls
        if self.suffix == ".gz" and raw in self.parents:
            calls += 1
            if calls == 2:
                raise KeyboardInterrupt  # the signal arrives while files are being removed
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", stop_after_one)
    with pytest.raises(KeyboardInterrupt):
        maintenance.apply_retention(warehouse, REFERENCE, 30)
    monkeypatch.undo()
    assert list(tmp_path.glob("*retention-pending*"))
    kept = {p for (p,) in _q(warehouse, "SELECT path FROM raw_pages")}
    left = {p.relative_to(raw).as_posix() for p in raw.rglob("*.html.gz")} - kept
    assert len(left) >= 2  # rows deleted and committed, files still there

    again = maintenance.apply_retention(warehouse, REFERENCE, 30)
    assert again["raw_pages_deleted"] == 0 and again["raw_files_removed"] == len(left)
    now = {p.relative_to(raw).as_posix() for p in raw.rglob("*.html.gz")}
    assert now == kept and all((raw / p).exists() for p in kept)
    assert not list(tmp_path.glob("*retention-pending*"))  # the list went with the files
    assert maintenance.apply_retention(warehouse, REFERENCE, 30)["raw_files_removed"] == 0
