"""Build class-blind copies of extraction manifests: every class and id token replaced by a hash.

The held-back pages come from sites whose class vocabulary nobody tuned for. Sites built with CSS
modules or styled-components print exactly that ("css-1dbjc4n", "sc-bdVaJa"): the markup keeps its
structure (tags, nesting, which blocks share a class) but no class or id says "article", "comment" or
"nav". A copy of a dev set made that way asks how much of the extraction rests on names rather than
structure, and it shows the catastrophes that appear when the names are gone (the footer or a reader's
comment taken as the article) without reading any held-back page.

    .venv/bin/python benchmarks/class_blind.py var/blind ../shared/eval/extraction/{aeb,fundus,l3s}/cases.jsonl
    .venv/bin/python benchmarks/extract_bench.py var/blind/{aeb,fundus,l3s}/cases.jsonl --worst 10

Each token maps to the same hash on every page (`c` + 7 hex digits of its SHA-1), so blocks that share a
class still share one. Only the `class` and `id` attributes of start tags are rewritten (by a byte-level pattern
that reads a quoted attribute value whole, as parsers do: Tailwind's `[&_>a]:underline` holds a `>`), and only
in the markup: what `<script>`, `<style>` and comments hold (markup a script prints, its quotes escaped) is left
as it is, as every mode leaves it (session 40: the first `>` ended a tag, and a Tailwind page's class names
became text of the copy). A `<script>`'s own id stays (`__NEXT_DATA__` is a framework's name, not the site's),
and structured data, meta tags and text are untouched. Writes
`<out>/<set>/cases.jsonl` and `<out>/<set>/html/<n>.html.gz`; the set's name is its manifest's folder.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

# One attribute of a start tag, its quoted value read whole: a `class=` inside another attribute's value (a
# component's escaped markup: `x-component-data="{&quot;ad&quot;:&quot;&lt;div class=\\&quot;box\\&quot;>`)
# is no attribute, and rewritten it ended that value (session 40).
_ATTR = re.compile(rb"""(\s+)([^\s=>"'/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>"']+))?""")


def _attributes(attrs: bytes, rewrite: Callable[[bytes, bytes], bytes | None]) -> bytes:
    """A start tag's attributes with those `rewrite(name, value)` answers for replaced by its answer (b"":
    left out), each after the white space before it; the others as they were."""
    def one(m: re.Match[bytes]) -> bytes:
        value = m.group(3) or b""
        if value[:1] in (b'"', b"'"):
            value = value[1:-1]
        new = rewrite(m.group(2).lower(), value)
        return m.group(0) if new is None else (m.group(1) + new if new else b"")
    return _ATTR.sub(one, attrs)


def _hashed(name: bytes, value: bytes) -> bytes | None:
    if name not in (b"class", b"id"):
        return None
    tokens = b" ".join(b"c" + hashlib.sha1(token).hexdigest()[:7].encode() for token in value.split())
    return name + b'="' + tokens + b'"'


_START_TAG = re.compile(rb"""<([a-zA-Z][\w:-]*)(\s(?:[^>"']|"[^"]*"|'[^']*')*)>""")
# What holds no markup of the page: scripts, styles and comments (their text is left as it is).
_RAW = re.compile(rb"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)


def _in_markup(html: bytes, pattern: re.Pattern[bytes], repl: Callable[[re.Match[bytes]], bytes] | bytes) -> bytes:
    """`pattern.sub(repl, ...)` on the page's markup only, not inside scripts, styles and comments."""
    out, at = [], 0
    for m in _RAW.finditer(html):
        out += (pattern.sub(repl, html[at:m.start()]), m.group(0))
        at = m.end()
    out.append(pattern.sub(repl, html[at:]))
    return b"".join(out)
# A script's id is a framework's convention, not the site's vocabulary: Next.js reads `__NEXT_DATA__`.
_KEEP_IDS = frozenset({b"script", b"template"})


def _tag(match: re.Match[bytes]) -> bytes:
    if match.group(1).lower() in _KEEP_IDS:
        return match.group(0)
    return b"<" + match.group(1) + _attributes(match.group(2), _hashed) + b">"


def blind(html: bytes) -> bytes:
    """The page with every class and id token of its elements (scripts' ids kept) replaced by its hash."""
    return _in_markup(html, _START_TAG, _tag)


# HTML5 sectioning and landmark tags, as a 2008 layout or a <div>-only framework prints them: <div>.
_SECTIONING = re.compile(rb"<(/?)(article|main|section|header|footer|nav|aside)\b", re.IGNORECASE)


def unsectioned(html: bytes) -> bytes:
    """The page with <article>, <main>, <section>, <header>, <footer>, <nav>, <aside> as <div> and no `role`."""
    html = _in_markup(html, _SECTIONING, lambda m: b"<" + m.group(1) + b"div")
    return _in_markup(html, _START_TAG, lambda m: b"<" + m.group(1) + _attributes(
        m.group(2), lambda name, _: b"" if name == b"role" else None) + b">")


_LD_JSON = re.compile(rb"<script[^>]*application/ld\+json[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)
_META = re.compile(rb"<meta\s[^>]*>", re.IGNORECASE)
_KEEP_META = re.compile(rb"charset|http-equiv|viewport", re.IGNORECASE)
_MICRODATA = frozenset({b"itemprop", b"itemtype", b"itemscope", b"pubdate"})


def unstructured(html: bytes) -> bytes:
    """The page without JSON-LD, meta tags (charset and viewport kept) and microdata attributes.

    What a 2008 layout or a small publisher's page gives: the headline, byline and date only as text.
    """
    html = _LD_JSON.sub(b"", html)
    html = _META.sub(lambda m: m.group(0) if _KEEP_META.search(m.group(0)) else b"", html)
    return _in_markup(html, _START_TAG, lambda m: b"<" + m.group(1) + _attributes(
        m.group(2), lambda name, _: b"" if name in _MICRODATA else None) + b">")


_P_OPEN = re.compile(rb"<p(?=[\s>/])[^>]*>", re.IGNORECASE)
_P_CLOSE = re.compile(rb"</p\s*>", re.IGNORECASE)


def div_paragraphs(html: bytes) -> bytes:
    """The page with every <p> printed as <div> (its attributes kept): a "div soup" CMS."""
    html = _in_markup(html, _P_OPEN, lambda m: b"<div" + m.group(0)[2:])
    return _in_markup(html, _P_CLOSE, b"</div>")


def br_paragraphs(html: bytes) -> bytes:
    """The page with no <p>: paragraphs are text runs separated by <br><br>, as 1990s-2008 layouts print them."""
    html = _in_markup(html, _P_OPEN, b"")
    return _in_markup(html, _P_CLOSE, b"<br><br>")


MODES = {"classes": blind, "sections": unsectioned, "structured": unstructured,
         "divs": div_paragraphs, "breaks": br_paragraphs}


def build(manifest: Path, out: Path, modes: tuple[str, ...] = ("classes",)) -> int:
    (out / "html").mkdir(parents=True, exist_ok=True)
    count = 0
    with manifest.open(encoding="utf-8") as cases, (out / "cases.jsonl").open("w", encoding="utf-8") as written:
        for line in cases:
            case = json.loads(line)
            raw = (manifest.parent / case["path"]).read_bytes()
            if case["path"].endswith(".gz"):
                raw = gzip.decompress(raw)
            name = f"html/{count:04d}.html.gz"
            for mode in modes:
                raw = MODES[mode](raw)
            (out / name).write_bytes(gzip.compress(raw, mtime=0))
            written.write(json.dumps({**case, "path": name}, ensure_ascii=False) + "\n")
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("manifests", type=Path, nargs="+")
    parser.add_argument("--blind", action="append", choices=sorted(MODES),
                        help="what to take away (repeatable; default: classes): class and id names, "
                             "HTML5 sectioning tags and roles, structured metadata, or <p> "
                             "(printed as <div>, or as text runs between <br><br>)")
    args = parser.parse_args()
    modes = tuple(args.blind or ("classes",))
    for manifest in args.manifests:
        target = args.out / manifest.parent.name
        print(f"{manifest.parent.name}: {build(manifest, target, modes)} pages ({', '.join(modes)}) -> "
              f"{target / 'cases.jsonl'}")


if __name__ == "__main__":
    main()
