"""The `newsdedup` command's JSON contracts, run as a user runs them (the installed console script)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).with_name("newsdedup"))
SEED = ROOT / "tests" / "dedup" / "fixtures" / "seed_article.txt"
PAGE = ROOT / "samples" / "site" / "wire" / "2026" / "11" / "05" / "fenwick-united-dismiss-manager.html"
EXTRACT_KEYS = {"id", "path", "url", "canonical_url", "title", "authors", "published", "language", "text",
                "paragraphs"}


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=300)


def test_dedup_reports_the_seed_articles_repeated_quote(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    corpus = tmp_path / "seed.jsonl"
    corpus.write_text(json.dumps({"id": "seed", "source": "autos", "url": "https://autos.example/bmw-jlr",
                                  "published": "2019-06-05T09:00:00Z", "title": text.splitlines()[0],
                                  "text": text}) + "\n")
    out = tmp_path / "out.jsonl"
    proc = _run("dedup", str(corpus), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    (line,) = [json.loads(x) for x in out.read_text().splitlines()]
    assert line["id"] == "seed" and line["duplicate_kind"] == "canonical" and line["canonical_id"] == "seed"
    within = [r for r in line["repeated_sentences"] if r["scope"] == "within"]
    assert any("much less precious about sharing electric auto technology" in r["text"] and r["count"] >= 2
               for r in within), within


def test_extract_files_and_manifest(tmp_path: Path) -> None:
    gz = tmp_path / "page.html.gz"
    gz.write_bytes(gzip.compress(PAGE.read_bytes()))
    proc = _run("extract", str(PAGE), str(gz), "--url", "https://wire.example/fenwick")
    assert proc.returncode == 0, proc.stderr
    plain, packed = (json.loads(x) for x in proc.stdout.splitlines())
    assert set(plain) >= EXTRACT_KEYS
    assert plain["title"] == packed["title"] == "Fenwick United dismiss manager Rolf Aske after seven straight defeats"
    assert plain["text"] == "\n\n".join(plain["paragraphs"]) and "Latest News" not in plain["text"]
    manifest = tmp_path / "cases.jsonl"
    manifest.write_text(json.dumps({"id": "c1", "path": "page.html.gz", "url": "https://wire.example/x"}) + "\n"
                        + json.dumps({"id": "c2", "path": "missing.html", "url": None}) + "\n")
    proc = _run("extract", "--manifest", str(manifest))
    assert proc.returncode == 0, proc.stderr
    c1, c2 = (json.loads(x) for x in proc.stdout.splitlines())
    assert c1["id"] == "c1" and c1["title"] == plain["title"]
    assert c2["id"] == "c2" and c2["text"] == "" and c2["error"].startswith("unreadable")


def test_sql_without_warehouse_says_what_to_do(tmp_path: Path) -> None:
    proc = _run("sql", "select 1", "--warehouse", str(tmp_path / "none.duckdb"))
    assert proc.returncode == 2
    assert "make demo" in proc.stderr


def test_extract_and_dedup_say_what_is_wrong_with_their_files(tmp_path: Path) -> None:
    # Each was a traceback: a manifest line that is not an object or has no usable path, a manifest
    # that is missing or not UTF-8, a corrupt .gz page (which also lost every page after it), a corpus
    # that is a folder, an output that cannot be written.
    manifest = tmp_path / "cases.jsonl"
    for line in ("[1, 2]", '"page.html"', '{"id": "c1", "path": null}', '{"id": "c1", "path": 5}'):
        manifest.write_text(line + "\n")
        proc = _run("extract", "--manifest", str(manifest))
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
        assert proc.stderr.startswith(f"{manifest}:1: bad manifest line"), proc.stderr
    manifest.write_bytes(b'{"id": "caf\xe9", "path": "x.html"}\n')
    proc = _run("extract", "--manifest", str(manifest))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "UTF-8" in proc.stderr, proc.stderr
    proc = _run("extract", "--manifest", str(tmp_path / "none.jsonl"))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "none.jsonl" in proc.stderr, proc.stderr

    bad = tmp_path / "bad.html.gz"
    bad.write_bytes(gzip.compress(PAGE.read_bytes())[:200])
    proc = _run("extract", str(bad), str(PAGE))
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    broken, good = (json.loads(x) for x in proc.stdout.splitlines())
    assert broken["error"].startswith("unreadable") and broken["text"] == ""
    assert good["title"].startswith("Fenwick United")

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": "one two three"}) + "\n")
    for args in (["dedup", str(tmp_path)], ["dedup", str(corpus), "-o", str(tmp_path / "no" / "out.jsonl")],
                 ["dedup", str(corpus), "-o", str(tmp_path)]):
        proc = _run(*args)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, (args, proc.stderr)
        assert proc.stderr.startswith("newsdedup dedup: "), proc.stderr


def test_diff_width_must_be_a_positive_number(tmp_path: Path) -> None:
    # --width 0 or -3 reached textwrap: "ValueError: invalid width 0" as a traceback, once the article
    # had two revisions to compare.
    for width in ("0", "-3"):
        proc = _run("diff", "abc", "--width", width, "--warehouse", str(tmp_path / "none.duckdb"))
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert f"--width: must be a whole number of at least 1, not {width!r}" in proc.stderr, proc.stderr


def test_run_with_a_staging_folder_it_cannot_create_says_so(tmp_path: Path) -> None:
    # `--staging` naming a file, or a place that cannot hold a folder: a NotADirectoryError or
    # FileNotFoundError traceback from the plan.
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.html").write_bytes(PAGE.read_bytes())
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - name: folder\n    url: {pages}\n    kind: dir\n")
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    for staging in (a_file, a_file / "below"):
        proc = _run("run", "--sources", str(sources), "--warehouse", str(tmp_path / "w.duckdb"),
                    "--staging", str(staging))
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
        assert proc.stderr.startswith(f"newsdedup run: the staging folder {staging} cannot be used"), proc.stderr


def test_extract_caps_what_it_reads_and_waits_for_no_writer(tmp_path: Path) -> None:
    # A 2 GB gzip bomb given to `extract` was inflated whole in memory, a FIFO given by mistake made
    # it wait for a writer for ever, and an over-long page was read whole: each is now one record
    # with its reason, and the pages after it are still extracted.
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip.compress(b"<p>" + b"a" * (64 << 20)))  # 64 MiB inside, 64 KiB outside
    big = tmp_path / "big.html"
    big.write_bytes(b"<p>" + b"b" * (6 << 20))
    fifo = tmp_path / "page.fifo"
    os.mkfifo(fifo)
    proc = _run("extract", str(bomb), str(big), str(fifo), str(PAGE), "--max-bytes", "5000000")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    bombed, large, piped, good = (json.loads(x) for x in proc.stdout.splitlines())
    assert bombed["error"] == "unreadable: decompression_bomb" and bombed["text"] == ""
    assert large["error"] == "unreadable: too_large" and large["text"] == ""
    assert piped["error"] == "unreadable: not_a_regular_file" and piped["text"] == ""
    assert good["title"].startswith("Fenwick United") and good["error"] is None
    for name in ("bomb.html.gz", "big.html", "page.fifo"):
        assert name in proc.stderr
    proc = _run("extract", str(PAGE), "--max-bytes", "0")
    assert proc.returncode == 2 and "--max-bytes" in proc.stderr, proc.stderr


def test_extract_with_a_cap_larger_than_memory_reads_each_page(tmp_path: Path) -> None:
    # `--max-bytes` is a limit, not a size to set aside: read_capped asked read() for cap + 1 bytes
    # at once, so a cap of 1 TB was a MemoryError traceback and one past 2**63 an OverflowError.
    gz = tmp_path / "page.html.gz"
    gz.write_bytes(gzip.compress(PAGE.read_bytes()))
    for cap in (str(10**12), "9" * 30):
        proc = _run("extract", str(PAGE), str(gz), "--max-bytes", cap)
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
        records = [json.loads(x) for x in proc.stdout.splitlines()]
        assert [r["error"] for r in records] == [None, None]
        assert all(r["title"].startswith("Fenwick United") for r in records)


def test_a_manifest_line_may_hold_any_line_separator_json_allows(tmp_path: Path) -> None:
    # JSON strings may hold U+2028, U+2029, U+0085 and \x1c-\x1e raw, and str.splitlines() breaks at
    # each: a manifest whose gold text held one (the l3s set's) was "bad manifest line (Unterminated
    # string)" and no page of it was extracted. JSON lines end at "\n" (or "\r\n") only.
    (tmp_path / "page.html").write_bytes(PAGE.read_bytes())
    lines = [json.dumps({"id": f"c{i}", "path": "page.html", "url": None, "body": f"gold{sep}text"},
                        ensure_ascii=False) for i, sep in enumerate(["\u2028", "\u2029", "\x85", "\x1c", "\x0c"])]
    manifest = tmp_path / "cases.jsonl"
    manifest.write_text("\r\n".join(lines) + "\n", encoding="utf-8", newline="")
    proc = _run("extract", "--manifest", str(manifest))
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(x)["id"] for x in proc.stdout.split("\n") if x] == [f"c{i}" for i in range(5)]
