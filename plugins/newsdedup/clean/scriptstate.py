"""The story of a page that renders it only from its scripts' state (Next.js, React Query, Nuxt, ...).

Some news sites send a page whose HTML holds the header, the menus and the teasers, while the story's
own HTML travels as a string inside the JavaScript state the browser renders it from
(`self.__next_f.push([1, "...\\u003cp class=\\"editor-p\\"\\u003e..."])`, `window.__INITIAL_STATE__ =
{...}`). No HTML extractor reads it: the page came out as `no_main_text`. This is the fallback for
those pages only: it runs when the HTML gave no prose, reads the JSON string literals of the page's
scripts (decoding twice: Next.js streams its payload as a JSON string of JSON), and takes the longest
HTML fragment of paragraphs that shares words with the page's own headline and description. A fragment
about another story (a teaser in the state) does not share them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

import lxml.html
from lxml import etree

from newsdedup.charset import without_lone_surrogates
from newsdedup.clean import settings
from newsdedup.clean.body import drop_scripts, element_paragraphs, prune

# The characters and escapes after a string literal's opening quote, read possessively (never given back).
_STRING_BODY = re.compile(r'(?:[^"\\]|\\.)*+')
_ESCAPE = re.compile(r"\\.")
_PARAGRAPH_TAG = re.compile(r"<p[\s>]", re.I)
_TOKENS = re.compile(r"\w+")


def script_texts(root: lxml.html.HtmlElement) -> list[str]:
    """The texts of the page's scripts long enough to carry a story, before the scripts are dropped."""
    return [node.text for node in root.iter("script")
            if node.text and len(node.text) >= settings.SCRIPT_STATE_MIN_CHARS]


def _literals(text: str) -> Iterator[str]:
    """The texts (escapes kept) of the string literals of `text` with SCRIPT_STATE_MIN_CHARS characters
    or escapes: each '"' is tried as an opening quote, as a regex search would, in one pass.

    The search `"((?:[^"\\]|\\.){500,})"` it replaces read, from every quote of an unclosed string of
    escaped quotes (`\\"\\"\\"...`), to the end of the string: 40 kB of script took 7 s, the 3 MB read
    hours. A quote inside the body read from an earlier quote is an escaped one, whose body ends at the
    same place with fewer characters: when the earlier one fails, so does every such quote, and the
    next try is at the end of that body (a short string's closing quote, tried as an opening one).
    """
    least = settings.SCRIPT_STATE_MIN_CHARS
    start = text.find('"')
    while start >= 0:
        end = _STRING_BODY.match(text, start + 1).end()  # type: ignore[union-attr]  # '*' always matches
        size = end - start - 1
        closed = end < len(text) and text[end] == '"'
        if closed and size >= least and (size >= 2 * least or size - len(_ESCAPE.findall(text, start + 1, end)) >= least):
            yield text[start + 1:end]
            start = text.find('"', end + 1)
        else:  # too short, or unclosed (at the end, or at a backslash before a line break)
            start = text.find('"', end)


def _strings(text: str, depth: int) -> Iterable[str]:
    """Decoded JSON string literals of `text`, and those inside them down to `depth` levels."""
    for literal in _literals(text):
        try:
            value = without_lone_surrogates(json.loads(f'"{literal}"'))
        except ValueError:
            continue
        # a JSON text inside the string (Next.js): its own strings are the fragments, not the JSON around them
        inner = list(_strings(value, depth - 1)) if depth > 1 and '\\"' in literal else []
        if inner:
            yield from inner
        elif _PARAGRAPH_TAG.search(value):
            yield value


def _paragraphs(fragment: str) -> list[str]:
    try:
        root = lxml.html.document_fromstring(f"<html><body><div>{fragment}</div></body></html>")
    except (etree.ParserError, ValueError):
        return []
    drop_scripts(root)
    etree.strip_elements(root, "figure", with_tail=False)  # photos and their captions; prune takes figcaption
    prune(root)
    body = root.find("body")
    return element_paragraphs(body) if body is not None else []


def _headline_keys(headlines: list[str]) -> list[set[str]]:
    """The word sets of the headline forms long enough (three words or more) to tell a story by."""
    return [k for k in (set(_TOKENS.findall(h.casefold())) for h in headlines if h) if len(k) >= 3]


def _shares(keys: list[set[str]], paragraphs: list[str]) -> bool:
    """Whether `paragraphs` hold SCRIPT_STATE_MIN_SHARED of the words of one of `keys`."""
    words = set(_TOKENS.findall(" ".join(paragraphs).casefold()))
    return any(len(k & words) >= settings.SCRIPT_STATE_MIN_SHARED * len(k) for k in keys)


def story_from_state(scripts: list[str], headlines: list[str]) -> list[str]:
    """The paragraphs of the story held in the scripts' state, or [] when none shares the page's words.

    `headlines` are the page's own headline forms and description: a candidate must contain at least
    SCRIPT_STATE_MIN_SHARED of the words of one of them.
    """
    keys = _headline_keys(headlines)
    if not keys:
        return []
    best: list[str] = []
    seen: set[str] = set()
    budget = settings.SCRIPT_STATE_MAX_CHARS
    for script in scripts:
        text, budget = script[:budget], budget - len(script)
        if not text:
            break
        for fragment in _strings(text, 2):
            if fragment in seen or len(fragment) <= sum(map(len, best)):
                continue
            if len(seen) >= settings.SCRIPT_STATE_MAX_FRAGMENTS:
                return best  # a state of thousands of teasers: each parse costs, the story came early
            seen.add(fragment)
            paragraphs = _paragraphs(fragment)
            if sum(map(len, paragraphs)) > sum(map(len, best)) and _shares(keys, paragraphs):
                best = paragraphs
    return best


def shares_headline(paragraphs: list[str], headlines: list[str]) -> bool | None:
    """Whether `paragraphs` hold SCRIPT_STATE_MIN_SHARED of the words of one of `headlines` (the
    page's headline forms and description), as a story a fallback reads must; None when no headline
    has the three words or more to tell by."""
    keys = _headline_keys(headlines)
    return _shares(keys, paragraphs) if keys else None


_MARKUP = re.compile(r"<(?:p|br|div|h[1-6]|li)\b", re.I)
# any other tag, a comment or CDATA in a plain-text body: read as HTML too (a <script> was a paragraph)
_TAG = re.compile(r"<(?:/?[a-z][a-z0-9]*[\s/>]|!--|!\[CDATA\[)", re.I)
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.I)
_LINES = re.compile(r"\s*\n\s*")


def story_from_structured_data(ld_articles: list[dict], headlines: list[str],
                               entries: frozenset[int] = frozenset()) -> list[str]:
    """The paragraphs of the `articleBody` its JSON-LD gives for the page's article, or [].

    A page rendered in the browser from a bundle sends an empty root element and the story only in its
    structured data (schema.org `NewsArticle.articleBody`, which search engines read): no HTML extractor
    reads it, and the page came out as `no_main_text`. The body must share SCRIPT_STATE_MIN_SHARED of
    the words of one of `headlines` (the page's own headline forms and description), as a script
    state's story must: an object about another story (a list of teasers) is not this page's. Plain
    text is split at its line breaks (entities a publisher escaped twice decoded); a body in markup is
    read as a fragment of HTML, and so is plain text holding tags, comments or CDATA, one paragraph a
    line (a <script> or <style> in it was a paragraph), or markup its entities escaped ("&lt;p&gt;");
    control characters are dropped (a JSON escape "\\u0000" kept NUL and ESC in the text).
    The objects of `entries` (by id(): a list's items, `PageMeta.ld_entries`) are other stories, never
    read: a related story's body shares the headline's words too.
    """
    import html

    keys = _headline_keys(headlines)
    if not keys:
        return []
    for obj in ld_articles:
        if id(obj) in entries:
            continue
        text = obj.get("articleBody") or obj.get("text")
        if not isinstance(text, str) or len(text) < settings.PROSE_MIN_CHARS:
            continue
        # control characters as the page's HTML is read without them (a JSON "\u0000" escape is one)
        text = settings.CONTROL_CHARS.sub(lambda m: " " if m.group(0) in "\x0b\x0c" else "",
                                          without_lone_surrogates(text[:settings.SCRIPT_STATE_MAX_CHARS]))
        markup, tag = _MARKUP.search(text), _TAG.search(text)
        if not markup and not tag and _ENTITY.search(text):
            text = html.unescape(text)
            markup, tag = _MARKUP.search(text), _TAG.search(text)
        if markup:
            paragraphs = _paragraphs(text)
        elif tag:
            paragraphs = _paragraphs("".join(f"<p>{line}</p>" for line in _LINES.split(text.strip())))
        else:
            paragraphs = [p for p in _LINES.split(text.strip()) if p]
        if _shares(keys, paragraphs):
            return paragraphs
    return []
