"""Mean CPU milliseconds a page in each stage of newsdedup's extractor, on extraction manifests.

`cpu_bench.py` gives the whole call's median; this script says where the time goes. Each named function
of the clean modules is wrapped with `time.process_time` around its calls (a recursive call counts once,
in its outermost frame), every page is extracted once to warm up (imports, dateparser's locales) and
`--repeat` times measured, and each stage's time is printed as a mean over the pages with its calls a page.
Stages nest (`_main_paragraphs` holds `_trafilatura_text`): the figures are inclusive, not a partition.
`--checkout DIR` times another checkout's package (a worktree of an older commit). `--libraries` also times
the libraries' public functions where the package and trafilatura's own pass look them up (`LIBRARY_CALLS`:
trafilatura's cleaning, extraction and page-share measure `html2txt`, readability, htmldate): where the
time inside `body._trafilatura_text` or `dates._htmldate` goes.

    .venv/bin/python benchmarks/stage_times.py ../shared/eval/extraction/{aeb,fundus,l3s}/cases.jsonl
    .venv/bin/python benchmarks/stage_times.py --checkout /tmp/base --top 15 ../shared/eval/extraction/l3s/cases.jsonl
    .venv/bin/python benchmarks/stage_times.py --libraries ../shared/eval/extraction/{aeb,l3s}/cases.jsonl
"""

from __future__ import annotations

import argparse
import sys
import time
import types
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cpu_bench import _pages  # noqa: E402 - the same manifest reader

ROOT = Path(__file__).resolve().parent.parent
MODULES = ("body", "dates", "html", "language", "authors", "metadata", "scriptstate")
# (module, names): library functions timed with `--libraries`, in the module whose globals the callers read.
# The package imports `bare_extraction`, `try_readability`, `find_date` and jusText's functions inside its
# functions, at call time, from these modules; trafilatura's `trafilatura_sequence` calls the others through
# `trafilatura.core`'s globals (a call from another trafilatura module is not timed).
LIBRARY_CALLS = (
    ("trafilatura", ("bare_extraction",)),
    ("trafilatura.core", ("prune_unwanted_nodes", "tree_cleaning", "convert_tags", "extract_content",
                          "compare_extraction", "baseline", "html2txt", "justext_rescue")),
    ("trafilatura.external", ("try_readability",)),
    ("htmldate", ("find_date",)),
    ("justext.core", ("classify_paragraphs",)),
)


class StageClock:
    """CPU seconds and calls of each wrapped function, its outermost calls only."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._active: set[str] = set()

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            if name in self._active:
                return fn(*args, **kwargs)
            self._active.add(name)
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[name] += time.process_time() - start
                self.calls[name] += 1
                self._active.discard(name)

        return timed

    def reset(self) -> None:
        self.seconds.clear()
        self.calls.clear()


def instrument(clock: StageClock) -> Callable[[], None]:
    """Replace each module-level function of the clean modules by its timed wrapper (module globals are
    what the package's own calls look up, so they go through it too); returns what puts them back."""
    import importlib

    replaced: list[tuple[types.ModuleType, str, Callable[..., Any]]] = []
    for short in MODULES:
        module = importlib.import_module(f"newsdedup.clean.{short}")
        for name, fn in list(vars(module).items()):
            if isinstance(fn, types.FunctionType) and fn.__module__ == module.__name__:
                replaced.append((module, name, fn))
                setattr(module, name, clock.wrap(f"{short}.{name}", fn))

    return _undo(replaced)


def instrument_libraries(clock: StageClock) -> Callable[[], None]:
    """Replace the `LIBRARY_CALLS` functions by timed wrappers, each named by its package and function
    ("trafilatura.html2txt"); a name a library version lacks is left out. Returns what puts them back."""
    import importlib

    replaced: list[tuple[types.ModuleType, str, Callable[..., Any]]] = []
    for module_name, names in LIBRARY_CALLS:
        module = importlib.import_module(module_name)
        for name in names:
            fn = getattr(module, name, None)
            if callable(fn):
                replaced.append((module, name, fn))
                setattr(module, name, clock.wrap(f"{module_name.split('.')[0]}.{name}", fn))
    return _undo(replaced)


def _undo(replaced: list[tuple[types.ModuleType, str, Callable[..., Any]]]) -> Callable[[], None]:
    def undo() -> None:
        for module, name, fn in reversed(replaced):
            setattr(module, name, fn)

    return undo


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("manifests", nargs="+", type=Path)
    ap.add_argument("--repeat", type=int, default=1, help="measured passes over the pages (default 1)")
    ap.add_argument("--top", type=int, default=30, help="stages shown, the costliest first (default 30)")
    ap.add_argument("--checkout", type=Path, default=ROOT, help="the checkout whose newsdedup is timed")
    ap.add_argument("--libraries", action="store_true",
                    help="also time trafilatura's, readability's, htmldate's and jusText's calls (LIBRARY_CALLS)")
    args = ap.parse_args(argv)
    if args.repeat < 1 or args.top < 1:
        ap.error("--repeat and --top must be 1 or more")
    sys.path.insert(0, str(args.checkout.resolve() / "plugins"))
    import newsdedup
    from newsdedup.clean import extract

    print(f"newsdedup from {Path(newsdedup.__file__).parent}")
    clock = StageClock()
    pages = [page for manifest in args.manifests for page in _pages(manifest)]
    undo = instrument(clock)
    undo_libraries = instrument_libraries(clock) if args.libraries else (lambda: None)
    try:
        for html, url in pages:
            extract(html, url)
        clock.reset()
        total = 0.0
        for _ in range(args.repeat):
            for html, url in pages:
                start = time.process_time()
                extract(html, url)
                total += time.process_time() - start
    finally:
        undo_libraries()
        undo()
    n = len(pages) * args.repeat
    print(f"{len(pages)} pages: extract {total / n * 1000:.2f} ms a page (mean CPU)")
    for name, seconds in sorted(clock.seconds.items(), key=lambda item: -item[1])[:args.top]:
        print(f"  {name:36s} {seconds / n * 1000:7.3f} ms a page  {clock.calls[name] / n:6.2f} calls a page")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
