"""One dedup window: `DedupConfig.window_days`, applied where the dedup stage seeds from the warehouse
and part of the config fingerprint stored with every signature and decision."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsdedup import warehouse as wh
from newsdedup.config import Settings
from newsdedup.dedup import DedupConfig

from .test_incremental_warehouse import T0, _pipeline_run
from .textgen import story


def test_the_window_is_a_fingerprinted_dedup_tunable() -> None:
    cfg = DedupConfig()
    assert cfg.window_days == 30.0
    assert DedupConfig(window_days=7).fingerprint() != cfg.fingerprint()
    assert not hasattr(Settings(), "dedup_window_days")  # no second window in the sources file
    for bad in (0, -1, float("nan"), float("inf"), 1e300, True):
        with pytest.raises(ValueError, match="window_days"):
            DedupConfig(window_days=bad)


def test_the_window_start_never_overflows() -> None:
    cfg = DedupConfig()
    assert cfg.window_start(T0) == T0 - timedelta(days=30)
    assert cfg.window_start(datetime(1, 1, 5, tzinfo=UTC)) is None  # before the calendar: no bound at all


def test_the_dedup_stage_compares_within_dedup_configs_window(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    window = DedupConfig().window_days
    a, b = story(101), story(202)
    _pipeline_run(tmp_path, warehouse, "run1", [{"id": "a0", "source": "wire", "minutes": 0, "text": a},
                                                {"id": "b0", "source": "wire", "minutes": 0, "text": b}])
    # a copy published after the window has passed is a new story; one inside it is a duplicate
    late = int((window + 10) * 1440)
    inside = int((window - 10) * 1440)
    _pipeline_run(tmp_path, warehouse, "run2", [{"id": "a1", "source": "paper", "minutes": late, "text": a}])
    _pipeline_run(tmp_path, warehouse, "run3", [{"id": "b1", "source": "paper", "minutes": inside, "text": b}])
    _, rows = wh.query_rows(warehouse, "SELECT article_id, decision, matched_article_id, config_fingerprint "
                                       "FROM article_clusters ORDER BY article_id")
    decided = {r[0]: r[1:3] for r in rows}
    assert decided["a1"] == ("canonical", None)
    assert decided["b1"] == ("exact", "b0")
    # every decision and signature carries the fingerprint of the config (window included) it was made under
    fp = DedupConfig().fingerprint()
    assert {r[3] for r in rows} == {fp}
    _, sig_fps = wh.query_rows(warehouse, "SELECT DISTINCT config_fingerprint FROM minhash_signatures")
    assert sig_fps == [(fp,)]
    assert fp != dataclasses.replace(DedupConfig(), window_days=window + 1).fingerprint()
