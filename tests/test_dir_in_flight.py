"""A `dir` source's file caught while it is still being written (a copy over the network, a slow
`scp`, an editor saving in pieces) is left for the next run, not stored half.

Before: the half file was stored, the cursor moved past it, and the completed copy was then a
known URL: the article's second half was never stored. Every test runs the real pipeline on real
files.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from newsdedup import warehouse as wh
from newsdedup.config import ConfigError, load_sources
from newsdedup.pipeline import run_pipeline
from newsdedup.summary import source_line

PARAGRAPH = ("The harbour board met on Tuesday to agree the ferry timetable for the winter after months of talks "
             "between the island's councils, and the vote passed late in the evening after a long debate about "
             "fares, the old pier and the night crossing that {n}. ")


def _page(word: str, paragraphs: int) -> str:
    return (f"<html lang='en'><head><title>{word} story</title></head><body><article><h1>{word} story</h1>"
            + "".join(f"<p>{PARAGRAPH.format(n=f'{word} part {j}')}</p>" for j in range(paragraphs))
            + "</article></body></html>")


def _age(path: Path, seconds: float) -> None:
    """Set the file's mtime `seconds` back: the writer finished that long ago (ctime stays now)."""
    t = time.time() - seconds
    os.utime(path, (t, t))


def _sources(tmp_path: Path, folder: Path, **options: Any) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"settings": {"recheck_hours": []}, "sources": [
        {"name": "drop", "url": str(folder), "kind": "dir", "base_url": "https://drop.example.org/", **options}]}))
    return path


def _texts(warehouse: Path) -> dict[str, str]:
    return dict(wh.query_rows(warehouse, "SELECT url, text FROM articles")[1])


def test_a_file_still_being_written_is_left_for_the_next_run_and_then_stored_whole(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    done = folder / "done.html"
    done.write_text(_page("Finished", 3), encoding="utf-8")
    _age(done, 3600)
    whole = _page("Copying", 6)
    copying = folder / "copying.html"
    copying.write_text(whole[: len(whole) // 2], encoding="utf-8")  # the copy is half-way: written just now
    # "Just now" by a margin no loaded machine's start-up eats (the default is 2 s).
    src, warehouse, staging = _sources(tmp_path, folder, settle_seconds=600), tmp_path / "w.duckdb", str(tmp_path / "st")

    first = run_pipeline(str(src), str(warehouse), staging)
    assert set(_texts(warehouse)) == {"https://drop.example.org/done.html"}
    assert first.sources[0]["in_flight"] == 1, first.sources[0]
    assert "1 file still being written, left for the next run" in source_line(first.sources[0])
    fetched = wh.query_rows(warehouse, "SELECT url FROM fetch_log")[1]
    assert all("copying" not in u for (u,) in fetched), fetched  # not read, so no attempt to record

    copying.write_text(whole, encoding="utf-8")  # the copy finishes ...
    _age(copying, 1200)  # ... and has settled by the next run
    run_pipeline(str(src), str(warehouse), staging)
    text = _texts(warehouse)["https://drop.example.org/copying.html"]
    assert "Copying part 5" in text and "Copying part 0" in text  # the whole article, not its first half


def test_a_young_file_holds_back_the_files_after_it_so_none_is_skipped(tmp_path: Path) -> None:
    # Files are read in the order they changed; one left for later must not let the cursor pass it,
    # or it would never be read once its writer stops (its change time is then behind the cursor).
    folder = tmp_path / "drop"
    folder.mkdir()
    young = folder / "a-young.html"
    young.write_text(_page("Young", 3), encoding="utf-8")
    src, warehouse, staging = _sources(tmp_path, folder, settle_seconds=600), tmp_path / "w.duckdb", str(tmp_path / "st")
    run_pipeline(str(src), str(warehouse), staging)
    assert _texts(warehouse) == {}
    _age(young, 1200)
    later = folder / "b-later.html"  # arrived (tar x, cp -p) with an old mtime after the young one
    later.write_text(_page("Later", 3), encoding="utf-8")
    _age(later, 3600)
    run_pipeline(str(src), str(warehouse), staging)
    assert set(_texts(warehouse)) == {"https://drop.example.org/a-young.html", "https://drop.example.org/b-later.html"}


def test_settle_seconds_zero_reads_a_file_at_once(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "now.html").write_text(_page("Instant", 3), encoding="utf-8")
    src, warehouse = _sources(tmp_path, folder, settle_seconds=0), tmp_path / "w.duckdb"
    run_pipeline(str(src), str(warehouse), str(tmp_path / "st"))
    assert set(_texts(warehouse)) == {"https://drop.example.org/now.html"}


@pytest.mark.parametrize("value", [-1, float("inf"), "5", 3601])
def test_a_settle_time_no_clock_can_wait_is_refused(tmp_path: Path, value: Any) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    with pytest.raises(ConfigError, match=r"sources\[0\]\.settle_seconds"):
        load_sources(_sources(tmp_path, folder, settle_seconds=value))
