"""Fixtures for the revision tests: a local site that edits its pages between runs, and runs of the
real pipeline (`run_pipeline`) into a temporary warehouse."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from editable_site import EditableSite  # noqa: E402
from revision_runs import Runner  # noqa: E402


@pytest.fixture
def site() -> Iterator[EditableSite]:
    with EditableSite() as s:
        yield s


@pytest.fixture
def runner(site: EditableSite, tmp_path: Path) -> Runner:
    return Runner(site, tmp_path)
