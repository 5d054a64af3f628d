"""Whether the start of a text gives py3langid's label of the whole language sample, on extraction manifests.

`language.detect` classifies the first `settings.LANG_QUICK_CHARS` characters first and stops there when
py3langid gives them `settings.LANG_QUICK_CONFIDENCE` or more; this script extracts every page's text and
counts, for a few start lengths and confidences, the texts that stop early and those whose label would then
differ from the label of the whole sample (`settings.LANG_SAMPLE_CHARS`), with the CPU time of the two ways:

    .venv/bin/python benchmarks/class_blind.py /tmp/blind ../shared/eval/extraction/{aeb,fundus,l3s,dates}/cases.jsonl
    .venv/bin/python benchmarks/language_sample.py ../shared/eval/extraction/{aeb,fundus,l3s,dates}/cases.jsonl \
        /tmp/blind/{aeb,fundus,l3s,dates}/cases.jsonl
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cpu_bench import _pages  # noqa: E402 - the same manifest reader


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("manifests", nargs="+", type=Path)
    ap.add_argument("--starts", default="200,300,400", help="start lengths tried (characters, comma-separated)")
    ap.add_argument("--confidences", default="0.9,0.99,0.999", help="confidences tried (comma-separated)")
    args = ap.parse_args(argv)
    from newsdedup.clean import extract, settings
    from newsdedup.clean.language import _langid

    identifier = _langid()
    texts = []
    for manifest in args.manifests:
        for html, url in _pages(manifest):
            sample = extract(html, url).text[: settings.LANG_SAMPLE_CHARS]
            if len(sample) >= 40:
                texts.append(sample)
    whole = [identifier.classify(sample) for sample in texts]
    print(f"{len(texts)} texts of 40+ characters, whole sample {settings.LANG_SAMPLE_CHARS} characters")
    for start in (int(n) for n in args.starts.split(",")):
        for confidence in (float(c) for c in args.confidences.split(",")):
            early = changed = 0
            for sample, (lang, prob) in zip(texts, whole, strict=True):
                if len(sample) <= start:
                    continue
                quick, quick_prob = identifier.classify(sample[:start])
                if quick_prob >= confidence:
                    early += 1
                    changed += quick != lang or prob < 0.5  # detect() keeps a declared language below 0.5
            print(f"  start {start}, confidence {confidence}: {early} stop early, {changed} labels differ")
    for name, fn in (("whole sample", lambda s: identifier.classify(s)),
                     ("start first", lambda s: _quick_then_whole(identifier, s, settings))):
        begin = time.process_time()
        for sample in texts:
            fn(sample)
        print(f"  {name}: {(time.process_time() - begin) / len(texts) * 1000:.3f} ms a text (CPU)")
    return 0


def _quick_then_whole(identifier, sample: str, settings) -> tuple[str, float]:  # type: ignore[no-untyped-def]
    if len(sample) > settings.LANG_QUICK_CHARS:
        lang, prob = identifier.classify(sample[: settings.LANG_QUICK_CHARS])
        if prob >= settings.LANG_QUICK_CONFIDENCE:
            return lang, prob
    return identifier.classify(sample)


if __name__ == "__main__":
    raise SystemExit(main())
