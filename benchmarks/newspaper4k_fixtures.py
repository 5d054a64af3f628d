"""Build an extraction manifest from newspaper4k's own test fixtures: a check on pages nobody tuned for.

newspaper4k (MIT) ships, in its source distribution, 20 news pages (CNN, Time, Wired, Arabic,
Chinese, Japanese, Thai, Spanish, Korean, ...) with the text and title its extractor is expected to
give. That expected output is newspaper4k's, reviewed by its maintainers, not a human annotation:
the figure measures agreement with a third extractor, on sites that are in none of the dev sets, and
it is good at showing catastrophes (navigation as the article, the site's name as the title).

    .venv/bin/python benchmarks/newspaper4k_fixtures.py var/np4k          # downloads the sdist from PyPI
    .venv/bin/python benchmarks/extract_bench.py var/np4k/cases.jsonl --worst 10

Writes `<out>/cases.jsonl` (id, path, url, body, title) and `<out>/html/<id>.html.gz`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "0.9.6"


def build(sdist: Path, out: Path) -> int:
    (out / "html").mkdir(parents=True, exist_ok=True)
    count = 0
    with tarfile.open(sdist) as tar, (out / "cases.jsonl").open("w", encoding="utf-8") as manifest:
        members = {m.name.split("/tests/data/", 1)[1]: m for m in tar.getmembers()
                   if "/tests/data/" in m.name and m.isfile()}

        def read(name: str) -> bytes | None:
            member = members.get(name)
            handle = tar.extractfile(member) if member is not None else None
            return handle.read() if handle is not None else None

        for name in sorted(n for n in members if n.startswith("metadata/") and n.endswith(".json")):
            page_id = name.removeprefix("metadata/").removesuffix(".json")
            html, text = read(f"html/{page_id}.html"), read(f"txt/{page_id}.txt")
            if html is None or text is None:
                continue
            meta = json.loads(read(name) or b"{}")
            (out / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(html))
            manifest.write(json.dumps({"id": page_id, "path": f"html/{page_id}.html.gz", "url": meta.get("url"),
                                       "body": text.decode("utf-8"), "title": meta.get("title")},
                                      ensure_ascii=False) + "\n")
            count += 1
    return count


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--sdist", type=Path, help=f"a newspaper4k-{VERSION}.tar.gz already downloaded")
    args = ap.parse_args()
    sdist = args.sdist
    with tempfile.TemporaryDirectory() as tmp:
        if sdist is None:
            subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                            "--dest", tmp, f"newspaper4k=={VERSION}"], check=True)
            sdist = next(Path(tmp).glob("newspaper4k-*.tar.gz"))
        count = build(sdist, args.out)
    print(f"{count} pages -> {args.out / 'cases.jsonl'}")
    return 0 if count else 1


if __name__ == "__main__":
    raise SystemExit(main())
