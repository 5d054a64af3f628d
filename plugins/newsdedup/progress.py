"""Progress for long work: a one-line bar with counts and ETA on a terminal, silent in pipes and CI."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO


def interactive(stream: TextIO | None = None) -> bool:
    stream = stream or sys.stderr
    return stream.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


class Progress:
    """`with Progress("fetch", total=n) as p: p.advance()` — redraws at most 10 times a second."""

    def __init__(self, label: str, total: int | None = None, stream: TextIO | None = None) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.enabled = interactive(self.stream)
        self._start = time.monotonic()
        self._last = 0.0

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self._draw(force=True)
            self.stream.write("\n")
            self.stream.flush()

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.enabled:
            self._draw()

    def _draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < 0.1:
            return
        self._last = now
        elapsed = now - self._start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        if self.total:
            frac = min(self.done / self.total, 1.0)
            bar = "#" * int(frac * 24)
            eta = (self.total - self.done) / rate if rate > 0 else 0.0
            line = (f"\r{self.label} [{bar:<24}] {self.done}/{self.total} "
                    f"{rate:,.0f}/s ETA {eta:,.0f}s ")
        else:
            line = f"\r{self.label} {self.done} {rate:,.0f}/s "
        self.stream.write(line)
        self.stream.flush()
