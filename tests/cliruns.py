"""Running the installed `newsdedup` command as an operator does: a subprocess with PYTHONPATH at this
checkout's `plugins/`, and folders of the bundled sample pages to give it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import yaml
from samplesources import PAGES

ROOT = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).with_name("newsdedup"))
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 300, cwd: Path | None = None,
            preexec_fn: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
    """`newsdedup ARGS` run to its end; undecodable output shown as backslash escapes."""
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=timeout, env=env or ENV, cwd=cwd,
                          preexec_fn=preexec_fn, errors="backslashreplace")


def copy_pages(folder: Path, n: int = 3) -> Path:
    """`folder` holding the first `n` bundled sample pages (a `dir` source's folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in sorted(PAGES.rglob("*.html"))[:n]:
        (folder / f.name).write_bytes(f.read_bytes())
    return folder


def dir_sources(tmp: Path, pages: Path) -> Path:
    """A sources file in `tmp` naming one `dir` source, `local`, that reads `pages` at once."""
    cfg = tmp / "sources.yaml"
    cfg.write_text(yaml.safe_dump({"sources": [{"name": "local", "kind": "dir", "url": str(pages),
                                                "settle_seconds": 0}]}))
    return cfg


def loaded_warehouse(tmp: Path) -> Path:
    """A warehouse in `tmp` that one `newsdedup run` over three sample pages filled."""
    cfg = dir_sources(tmp, copy_pages(tmp / "pages"))
    got = run_cli("run", "--sources", str(cfg), "--warehouse", str(tmp / "w.duckdb"), "--staging", str(tmp / "st"))
    assert got.returncode == 0, got.stderr[-3000:]
    return tmp / "w.duckdb"
