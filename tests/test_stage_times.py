"""benchmarks/stage_times.py: a stage's calls are counted in their outermost frame, its page run writes one line a stage."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import stage_times  # noqa: E402


def test_a_recursive_stage_counts_its_outermost_calls_only() -> None:
    clock = stage_times.StageClock()

    def depth(n: int) -> int:
        return 0 if n == 0 else 1 + timed(n - 1)

    timed = clock.wrap("depth", depth)
    assert timed(5) == 5 and timed(3) == 3
    assert clock.calls["depth"] == 2
    clock.reset()
    assert not clock.calls and not clock.seconds


def test_the_run_prints_the_stages_of_a_manifest(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    story = "".join(f"<p>Paragraph {i} of the story about the council's budget and the library.</p>" for i in range(8))
    (tmp_path / "a.html").write_text(f"<html><head><title>Budget</title></head><body><article><h1>Budget</h1>"
                                     f"{story}</article></body></html>", encoding="utf-8")
    manifest = tmp_path / "cases.jsonl"
    manifest.write_text(json.dumps({"path": "a.html", "url": "https://example.com/a"}) + "\n", encoding="utf-8")
    assert stage_times.main([str(manifest), "--checkout", str(ROOT), "--top", "5"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("1 pages: extract")
    assert len(out) == 7 and all("ms a page" in line for line in out[2:])
    from newsdedup.clean import body

    assert body.extract_paragraphs.__module__ == "newsdedup.clean.body"  # the wrappers are gone again
    assert body.extract_paragraphs.__name__ == "extract_paragraphs"


def test_libraries_times_the_library_calls_inside_the_stages(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    # A short story on a page of more text: trafilatura's precise pass measures the page (`html2txt`, its
    # recall escalation's page share) and readability votes; both show as stages, and the wrappers go again.
    story = "".join(f"<p>Paragraph {i} of the story about the council's budget and the library.</p>" for i in range(3))
    menu = "".join(f"<li><a href='/s{i}'>Section number {i} of the site</a></li>" for i in range(60))
    (tmp_path / "a.html").write_text(f"<html><head><title>Budget</title></head><body><ul>{menu}</ul><article>"
                                     f"<h1>Budget</h1>{story}</article></body></html>", encoding="utf-8")
    manifest = tmp_path / "cases.jsonl"
    manifest.write_text(json.dumps({"path": "a.html", "url": "https://example.com/a"}) + "\n", encoding="utf-8")
    assert stage_times.main([str(manifest), "--checkout", str(ROOT), "--top", "60", "--libraries"]) == 0
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()[2:]]
    assert "trafilatura.html2txt" in names and "trafilatura.bare_extraction" in names
    assert "body._trafilatura_text" in names  # the package's own stages are still timed beside them
    import trafilatura.core

    assert trafilatura.core.html2txt.__module__ == "trafilatura.baseline"  # the wrappers are gone again
