"""A sources file of one `dir` source holding a few of the sample site's pages: runs that need no server."""

from __future__ import annotations

from pathlib import Path

import yaml

PAGES = Path(__file__).resolve().parents[1] / "samples" / "site" / "wire" / "2026" / "11"


def dir_sources(tmp: Path, name: str = "local", pages: int = 4) -> Path:
    """`tmp/sources.yaml` naming one `dir` source (`name`) of the first `pages` sample pages, copied into
    `tmp/pages` (read at once: no settle time)."""
    folder = tmp / "pages"
    folder.mkdir(exist_ok=True)
    for f in sorted(PAGES.rglob("*.html"))[:pages]:
        (folder / f.name).write_bytes(f.read_bytes())
    cfg = tmp / "sources.yaml"
    cfg.write_text(yaml.safe_dump({"sources": [{"name": name, "kind": "dir", "url": str(folder), "settle_seconds": 0}]}))
    return cfg
