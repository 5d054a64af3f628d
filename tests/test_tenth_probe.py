"""The tenth attacker probe (session 36): outside inputs the nine probes before it did not try. Each
test failed on the code before its fix; network tests run against real servers on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXE = str(Path(sys.executable).with_name("newsdedup"))


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=300)


# --- `newsdedup extract --manifest`: the id of a line ------------------------------------------


@pytest.mark.parametrize("case", [{}, {"id": None}, {"id": ""}, {"id": [1, 2]}, {"id": {"a": 1}}, {"id": True}])
def test_a_manifest_line_without_a_usable_id_is_named(tmp_path: Path, case: dict[str, object]) -> None:
    # A line without "id" was a KeyError traceback; null, a list or an object was printed as the id
    # "None", "[1, 2]" (every such line the same id, its score matched to no gold case).
    (tmp_path / "a.html").write_text("<html><body><p>hello</p></body></html>")
    manifest = tmp_path / "cases.jsonl"
    good = json.dumps({"id": "c1", "path": "a.html", "url": None})
    manifest.write_text(good + "\n" + json.dumps({**case, "path": "a.html", "url": None}) + "\n")
    proc = _run("extract", "--manifest", str(manifest))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith(f"{manifest}:2: bad manifest line ("), proc.stderr
    assert "'id'" in proc.stderr and proc.stdout == ""


def test_a_manifest_id_may_be_a_string_or_an_integer(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<html><body><p>hello</p></body></html>")
    manifest = tmp_path / "cases.jsonl"
    manifest.write_text("\n".join(json.dumps({"id": i, "path": "a.html"}) for i in ("x", 7, 0)) + "\n")
    proc = _run("extract", "--manifest", str(manifest))
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(line)["id"] for line in proc.stdout.splitlines()] == ["x", "7", "0"]
