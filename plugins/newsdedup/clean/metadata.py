"""Page metadata from JSON-LD, OpenGraph and meta tags, link rel=canonical and the visible headline."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, partial
from itertools import chain, islice
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from newsdedup.charset import valid_json_strings
from newsdedup.clean import settings
from newsdedup.urls import web_join

_WS = re.compile(r"\s+")
_TOKENS = re.compile(r"\w+")


@dataclass(slots=True)
class PageMeta:
    """Raw metadata candidates; the field modules choose among them."""

    ld_articles: list[dict[str, Any]] = field(default_factory=list)  # article-like JSON-LD objects
    ld_all: list[dict[str, Any]] = field(default_factory=list)
    # the ids (id()) of the article objects that are a list's entries (teasers, other stories), ranked last
    ld_entries: frozenset[int] = frozenset()
    meta: dict[str, list[str]] = field(default_factory=dict)  # lower-cased key -> values in page order
    title_tag: str | None = None
    h1: list[str] = field(default_factory=list)
    canonical: str | None = None
    base: str | None = None  # the first <base href> as written: what relative links are read against
    html_lang: str | None = None
    root: HtmlElement | None = None
    _headings: set[str] | None = None

    def visible_headings(self) -> set[str]:
        """Normalised texts (see `visible_key`) of the headings a reader sees outside navigation.

        Read on first use (only pages whose JSON-LD and OpenGraph headlines differ need them), from
        the tree as parsed: the title is chosen before the body pass prunes it.
        """
        if self._headings is None:
            self._headings = set()
            if self.root is not None:
                _read_headings(self._headings, self.root)
        return self._headings


def clean_ws(text: str | None) -> str:
    """The text's words one space apart: `_WS.sub(" ", text).strip()`, as str.split() reads white space (the
    same characters as \\s, checked over every code point) at a tenth of the regex's cost on a long text."""
    return " ".join((text or "").split())


_ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ZERO_WIDTH = re.compile(f"[{_ZERO_WIDTH_CHARS}]")
_HEADLINE_CLASS = re.compile(r"headline|title", re.I)
_HEADING_TAGS = frozenset({"h1", "h2", "h3"})
_CLASSED_TAGS = frozenset({"div", "span", "p", "a", "header"})
_NAV_TAGS = frozenset({"nav", "aside", "footer"})


def visible_key(text: str | None) -> str:
    """Text as compared between the page's headline sources: NFKC, zero-width characters and soft
    hyphens dropped, whitespace collapsed, casefolded."""
    text = unicodedata.normalize("NFKC", text or "")
    if any(mark in text for mark in _ZERO_WIDTH_CHARS):  # a few scans in C where the regex read every character
        text = _ZERO_WIDTH.sub("", text)
    return clean_ws(text).casefold()


def _read_headings(out: set[str], root: HtmlElement) -> None:
    """Headings a reader sees: h1-h3 and headline/title-classed blocks, none inside navigation,
    asides, footers or breadcrumbs (those name sections and other stories). A breadcrumb is any
    "crumb" class, not only "breadcrumb": kicker.de puts its SEO h1 in "article__header__crumb" and
    shows the headline in an h2 below it.

    One pass in document order, parents before children, so a node inside an excluded one is known
    by its parent; an XPath with an ancestor test cost ~4x as much.
    """
    body = root.find("body")
    if body is None:
        return
    excluded: set[HtmlElement] = set()
    for node in body.iter():
        tag, cls = node.tag, node.get("class") or ""
        if tag in _NAV_TAGS or "crumb" in cls or "Crumb" in cls or node.getparent() in excluded:
            excluded.add(node)
            continue
        if tag in _HEADING_TAGS or (tag in _CLASSED_TAGS and _HEADLINE_CLASS.search(
                f"{cls} {node.get('id') or ''} {node.get('itemprop') or ''}")):
            text = visible_key(node.text_content())
            if text and len(text) <= 400:
                out.add(text)


def _load_json(raw: str) -> Any:
    raw = raw.strip()
    if raw.startswith("<!--"):
        raw = raw[4:]
    if raw.endswith("-->"):
        raw = raw[:-3]
    raw = raw.strip().removeprefix("//<![CDATA[").removesuffix("//]]>").strip().rstrip(";")
    # RecursionError: json nests one Python call per level, and a block of 200,000 "[" failed the
    # whole page as too_deep; such a block is skipped like any other broken one.
    try:
        return valid_json_strings(json.loads(raw))
    except RecursionError:
        return None
    except ValueError:
        pass
    try:
        # Raw newlines and tabs inside strings are the most common JSON-LD breakage.
        return valid_json_strings(json.loads(settings.CONTROL_CHARS.sub(
            " ", raw.replace("\n", " ").replace("\r", " ").replace("\t", " "))))
    except (ValueError, RecursionError):
        return None


def _flatten(obj: Any, out: list[dict[str, Any]], depth: int = 0, listed: list[int] | None = None,
             in_list: bool = False) -> None:
    """Collect every JSON-LD object with a @type, following @graph, lists and mainEntity; `listed`
    gathers the ids of those reached through an ItemList's `itemListElement` (its entries)."""
    if depth > 6:
        return
    if isinstance(obj, list):
        for item in obj:
            _flatten(item, out, depth + 1, listed, in_list)
    elif isinstance(obj, dict):
        if "@type" in obj:
            out.append(obj)
            if in_list and listed is not None:
                listed.append(id(obj))
        for key in ("@graph", "mainEntity", "itemListElement", "hasPart"):
            if key in obj:
                _flatten(obj[key], out, depth + 1, listed, in_list or key == "itemListElement")


def ld_types(obj: dict[str, Any]) -> list[str]:
    types = obj.get("@type")
    if isinstance(types, str):
        return [types.lower().rsplit("/", 1)[-1]]
    if isinstance(types, list):
        return [t.lower().rsplit("/", 1)[-1] for t in types if isinstance(t, str)]
    return []


def _rank(obj: dict[str, Any]) -> int:
    return min((settings.TYPE_RANK.get(t, 9) for t in ld_types(obj)), default=9)


def read(root: HtmlElement, url: str | None = None) -> PageMeta:
    """Gather the metadata candidates of a parsed page (`url`: the page's address, to tell another story's
    JSON-LD article by its own `url`, `_away_stories`)."""
    pm = PageMeta()
    listed: list[int] = []
    for script in root.iter("script"):
        kind = (script.get("type") or "").lower()
        if "ld+json" not in kind or not script.text:
            continue
        data = _load_json(script.text)
        if data is not None:
            _flatten(data, pm.ld_all, listed=listed)
    articles = [o for o in pm.ld_all if any(t in settings.ARTICLE_TYPES for t in ld_types(o))]
    pm.ld_entries = frozenset(listed)
    for node in root.iter("meta"):
        key = node.get("property") or node.get("name") or node.get("itemprop")
        content = node.get("content")
        if key and content and content.strip():
            pm.meta.setdefault(key.strip().lower(), []).append(content.strip())
    head_title = root.find(".//title")
    if head_title is not None:
        pm.title_tag = clean_ws(head_title.text_content()) or None
    for h1 in root.iter("h1"):
        text = _heading_text(h1)
        if text:
            pm.h1.append(text)
        if len(pm.h1) >= 5:
            break
    pm.canonical = _canonical_link(root)
    for base in root.iter("base"):  # the first <base> with an href is the document's (HTML, "frozen base URL")
        if base.get("href") is not None:
            pm.base = base.get("href")
            break
    pm.html_lang = root.get("lang") or root.get("xml:lang")
    pm.root = root
    # Stable sort: the page's own objects before another story's (`_other_story`) and before a list's
    # entries (teasers of other stories, the site's latest articles), the best-ranked type first, page order
    # among equals.
    away = _away_stories(pm, articles, url)
    if away:
        articles = [o for o in articles if id(o) not in away]
    other = _other_stories(pm, articles)
    pm.ld_articles = sorted(articles, key=lambda o: (id(o) in other, id(o) in pm.ld_entries, _rank(o)))
    return pm


def _other_stories(pm: PageMeta, articles: list[dict[str, Any]]) -> set[int]:
    """The ids of the article objects whose headline is another story's: the page prints the headline of
    another (in its `<title>`, og:title or an `<h1>`: most of the headline's words) and not theirs. Articles,
    postings and reviews only (`settings.LD_STORY_RANK`): a WebPage's headline is often the SEO title.

    A page's JSON-LD can list a related story's article before its own (one array, two scripts, one
    @graph): its date, authors and headline were read as the page's. With no object's headline printed,
    nothing tells which is the page's own and the order stands.
    """
    if len(articles) < 2:
        return set()
    shown = _shown_headlines(pm)
    verdicts: dict[int, bool] = {}
    for obj in articles:
        headline = obj.get("headline")
        if _rank(obj) > settings.LD_STORY_RANK:  # a WebPage's or a clip's name: no story of its own
            continue
        if isinstance(headline, str) and (words := _words(headline[: settings.LD_HEADLINE_CHARS])):
            verdicts[id(obj)] = _printed(words, shown)
    if not any(verdicts.values()):
        return set()
    return {k for k, printed in verdicts.items() if not printed}


def _shown_headlines(pm: PageMeta) -> list[set[str]]:
    """The words of what the page shows as its headline: the `<title>`, og:title and each `<h1>`."""
    return [_words(t) for t in (pm.title_tag, *pm.meta.get("og:title", ())[:1], *pm.h1) if t]


def _printed(words: set[str], shown: list[set[str]]) -> bool:
    """Whether the page prints a headline of these words: most of them (`settings.LD_HEADLINE_SHOWN`) in one of
    `_shown_headlines`."""
    return any(len(words & s) >= settings.LD_HEADLINE_SHOWN * len(words) for s in shown)


def _page_slug(value: Any, base: str | None) -> str | None:
    """The last non-empty path segment of an address (relative ones read against `base`), lower-cased."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        path = urlsplit(web_join(base or "", value.strip())).path
    except ValueError:
        return None
    segments = [s for s in path.lower().split("/") if s and s not in _NOT_SLUGS]
    return segments[-1] if segments else None


_NOT_SLUGS = frozenset({"amp", "index.html", "index.htm", "index.php"})


def _object_address(obj: dict[str, Any]) -> Any:
    entity = obj.get("mainEntityOfPage")
    if isinstance(entity, dict):
        entity = entity.get("@id") or entity.get("url")
    return obj.get("url") or (entity if isinstance(entity, str) else None)


def _away_stories(pm: PageMeta, articles: list[dict[str, Any]], url: str | None) -> set[int]:
    """The ids of article objects that are another page's story: their own `url` (or `mainEntityOfPage`) names
    a page whose last path segment is neither the page's nor its canonical link's, and the page prints not their
    headline (most of its words in the `<title>`, og:title or an `<h1>`).

    A related story's `NewsArticle` beside the page's `WebPage` (or alone, the page's own article given only in
    its markup) was read as the page's: its date, its authors. `_other_stories` sorts such an object behind one
    whose headline is printed, but with none printed the order stood, and one object alone was the page's.
    Both signs are asked: an AMP or mobile address of the same story keeps its slug, a shortened headline its
    words.
    """
    own: set[str] | None = None
    shown: list[set[str]] | None = None
    out: set[int] = set()
    for obj in articles:
        address = _object_address(obj)
        headline = obj.get("headline") or obj.get("name")
        if not address or not isinstance(headline, str) or _rank(obj) > settings.LD_STORY_RANK:
            continue
        if isinstance(address, str) and address.strip().rstrip("/") in (
                (url or "").rstrip("/"), (pm.canonical or "").rstrip("/")):
            continue  # the page's own address as written: the common case, no parsing
        if own is None:  # read once, only for a page whose article objects name an address
            own = {s for s in (_page_slug(url, None), _page_slug(pm.canonical, url),
                               *(_page_slug(v, url) for v in pm.meta.get("og:url", ())[:1])) if s}
        slug = _page_slug(address, url)
        if not own or slug is None or slug in own:
            continue
        words = _words(headline[: settings.LD_HEADLINE_CHARS])
        if not words:
            continue
        if shown is None:
            shown = _shown_headlines(pm)
        if not _printed(words, shown):
            out.add(id(obj))
    return out


def _canonical_link(root: HtmlElement) -> str | None:
    """The href of the page's canonical link: the head's first, else one standing in the body itself.

    A canonical link inside the body's blocks (a related story's teaser or an embed pasted with its own
    page's markup) is another page's claim: read, it made the page that story, stored under its id, and the
    story itself "already known" when listed. Search engines read only the head's. Links a template writes
    after a stray `</head>` (a page of the aeb set puts its <title> and canonical link there) stand in the
    body itself, where the parser leaves head material it meets late, and are the page's. `rel` is a set of
    space-separated, case-blind tokens: "canonical nofollow" and "Canonical" name one.
    """
    head, body = root.find("head"), root.find("body")
    links = chain(() if head is None else head.iter("link"), () if body is None else body.iterchildren("link"))
    for link in links:
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return link.get("href").strip()
    return None


def meta_first(pm: PageMeta, keys: tuple[str, ...]) -> str | None:
    for key in keys:
        for value in pm.meta.get(key, ()):
            if value:
                return value
    return None


def ld_field(pm: PageMeta, *keys: str) -> Any:
    """First non-empty value of the given keys among the article-like JSON-LD objects."""
    for obj in pm.ld_articles:
        for key in keys:
            value = obj.get(key)
            if value:
                return value
    return None


_SITE_SUFFIX = re.compile(r"\s+[|\-–—:·•»*]\s+[^|\-–—:·•»*]{2,60}$|\s*[：|ㅣ]\s*[^：|ㅣ]{2,30}$")
_SEPARATOR_AFTER = re.compile(r"^\s*[|\-–—:·•»/*：ㅣ]\s*\S")


def _strip_site(title: str, site: str | None) -> str:
    """Drop a " | Site" tail (or "Site | " head) from an SEO title."""
    if site:
        for sep in ("|", "-", "–", "—", ":", "·", "•", "»"):
            for form in (f" {sep} {site}", f"{sep} {site}"):
                if title.endswith(form):
                    return title[: -len(form)].strip()
            head = f"{site} {sep} "
            if title.startswith(head):
                return title[len(head):].strip()
    stripped = _SITE_SUFFIX.sub("", title)
    # Keep the tail when cutting it would leave too little of a headline.
    return stripped if len(stripped) >= 0.5 * len(title) or len(stripped) > 25 else title


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def _similar(a: str, b: str) -> bool:
    ca, cb = a.casefold(), b.casefold()
    if ca in cb or cb in ca:
        return True
    wa, wb = _words(a), _words(b)
    return bool(wa and wb) and len(wa & wb) / min(len(wa), len(wb)) >= 0.8


def _strip_shared_prefix(title: str, others: list[str]) -> str:
    """"Headline | Site" becomes "Headline" when another source gives the bare headline."""
    for other in others:
        if other and title != other and title.startswith(other) and len(title) - len(other) < 60 \
                and _SEPARATOR_AFTER.match(title[len(other):]):
            return other
    return title


# The site's name before the headline: "Site: ", "Site | ", "Site - ".
_SITE_HEAD = re.compile(r"^(.{2,60}?)\s*[|\-–—:·•»*：ㅣ]\s*$")


def _strip_site_head(title: str, others: list[str], names: set[str], hosts: set[str]) -> str:
    """"Site: Headline" becomes "Headline" when another source gives the bare headline and what stands before
    it is the site's own name (og:site_name, the publisher, the host). A kicker before the headline ("Exclusive:
    ...") names no site and stays for the kicker rules."""
    for other in others:
        if other and title != other and title.endswith(other) and len(other) >= 10 \
                and (m := _SITE_HEAD.match(title[: -len(other)])) and site_like(m.group(1), names, hosts):
            return other
    return title


# Separators between a headline and a site name/section in SEO titles ("Headline | Site - Section").
_TITLE_SEP = re.compile(r"\s+(?:[|\-–—·•»*›]|::|//)\s+|\s*[|ㅣ｜：]\s*")
# A kicker (topline) written before the headline: "Neue Leipziger Schule: Headline", "«Quote»: Headline".
_KICKER_END = re.compile(r"\S(?::|\s[–—\-|»])\s*$")
# Host labels that name no site.
_HOST_NOISE = frozenset({"www", "m", "amp", "com", "co", "org", "net", "news", "de", "uk", "at", "ch", "fr"})


# Elements a browser shows on a line of their own inside a heading: "<h1>Library extends hours<br>after students
# ask</h1>", "<h1><div>Kicker</div><div>Headline</div></h1>"; their text glued to the next ("hoursafter").
_LINE_BREAKING = ("br", "div", "p", "li")
_SHOWN_WORDS_CHARS = 2_000  # a heading's text longer than this is no headline: read as `text_content()` gives it


def shown_words(node: HtmlElement) -> str:
    """A block's text as a browser shows it, for a heading: a line break or a block inside it parts the words
    beside it (`text_content()` glued them); whitespace collapsed."""
    flat = node.text_content()
    if len(flat) > _SHOWN_WORDS_CHARS or next(node.iterdescendants(*_LINE_BREAKING), None) is None:
        return clean_ws(flat)
    parts: list[str] = []
    for event, el in etree.iterwalk(node, events=("start", "end")):
        if not isinstance(el.tag, str):  # a comment: its tail only
            if event == "end" and el is not node and el.tail:
                parts.append(el.tail)
            continue
        breaking = el is not node and el.tag in _LINE_BREAKING
        if event == "start":
            if breaking:
                parts.append(" ")
            if el.text:
                parts.append(el.text)
        else:
            if breaking:
                parts.append(" ")
            if el is not node and el.tail:
                parts.append(el.tail)
    return clean_ws("".join(parts))


def _heading_text(h1: HtmlElement) -> str:
    """A heading's text without a link at its start or end beside the headline's own text.

    A heading that carries the site's or the section's link beside the headline ("<h1><span>Headline
    </span><a href="/">Site</a></h1>") read as one glued string ("...de la InfantaUltima Hora
    Mallorca"). A heading that is all link (a headline linked to itself, a logo) keeps its text.
    """
    text = shown_words(h1)
    children = [c for c in h1 if isinstance(c.tag, str)]
    if not children:
        return text
    edges = []
    if children[0].tag == "a" and not (h1.text or "").strip():  # nothing before the leading link
        edges.append(children[0])
    if children[-1].tag == "a" and not (children[-1].tail or "").strip():  # nothing after the trailing one
        edges.append(children[-1])
    if not edges:
        return text
    rest = clean_ws((h1.text or "") + "".join(
        ("" if any(c is e for e in edges) else c.text_content()) + (c.tail or "") for c in children))
    return rest if len(rest.split()) >= 3 else text


_NOT_ALNUM = re.compile(r"[\W_]+")


def word_key(text: str | None) -> str:
    """A text's words, case-folded, one space apart: what comparing headlines, titles and paragraphs by
    their words reads (markup, punctuation and spacing aside)."""
    return " ".join(_TOKENS.findall((text or "").casefold()))


def key(text: str) -> str:
    """Letters and digits only, accents dropped: "Börsen-Zeitung" and "boersen-zeitung" stay apart but
    "DW.COM" / "dw.com" / "DW" compare by containment."""
    # [\W_] is exactly "not str.isalnum()" over all of Unicode (checked codepoint by codepoint), at C speed
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKD", text.casefold()))


def site_keys(pm: PageMeta, url: str | None) -> tuple[set[str], set[str]]:
    """Keys of the site's names (og:site_name, publisher...) and of its host labels."""
    names = [v.lstrip("@") for tag in settings.META_SITE for v in pm.meta.get(tag, ())]
    for obj in pm.ld_articles[:3]:
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            names.append(publisher["name"])
    host = (urlsplit(url).hostname or "") if url else ""
    return ({k for k in map(key, names) if len(k) >= 2},
            {k for k in map(key, host.split(".")) if len(k) >= 2 and k not in _HOST_NOISE})


def site_like(segment: str, names: set[str], hosts: set[str]) -> bool:
    k = key(segment)
    if not k:
        return False
    if any(k == s or (len(s) >= 3 and s in k) or (len(k) >= 3 and k in s) for s in names):
        return True
    return any((len(h) >= 3 and h in k) or (k in h and len(k) >= 0.5 * len(h)) for h in hosts)


def _strip_named_site(title: str, names: set[str], hosts: set[str]) -> str:
    """Cut "Headline | Site | by Author" at the first separator followed by the site's own name.

    Only a tail that names the site goes: a generic "cut after the last dash" rule took real
    headline parts ("... aus! - und doch wieder nicht", "... – das erwarten wir") on the fundus pages.
    """
    for m in _TITLE_SEP.finditer(title):
        head, tail = title[: m.start()].strip(), title[m.end():]
        first = _TITLE_SEP.split(tail, maxsplit=1)[0]
        if len(head) >= 10 and site_like(first, names, hosts):
            return head
    m = _TITLE_SEP.search(title)  # "Site | Headline"
    if m and len(title) - m.end() >= 10 and site_like(title[: m.start()], names, hosts):
        return title[m.end():].strip()
    return title


_MONTH = "|".join(sorted((re.escape(n) for names in settings.MONTH_NAMES for n in names), key=len, reverse=True))
_DAY = (rf"(?:\d{{1,2}}[./-]\d{{1,2}}[./-](?:19|20)\d\d|(?:19|20)\d\d-\d\d-\d\d|"
        rf"(?:{_MONTH})\.? \d{{1,2}}(?:st|nd|rd|th)?,? (?:19|20)\d\d|\d{{1,2}}(?:st|nd|rd|th)?\.? (?:{_MONTH})\.?,? (?:19|20)\d\d)")
# A publication day stamped on the end of a title: "Headline | January 15, 2008", "Headline (14/01/2008)".
_DATE_TAIL = re.compile(rf"(?:\s+[|\-–—·•]\s+|\s*\()(?:\w+,? )?{_DAY}\)?\s*$", re.I)


def strip_date_tail(title: str) -> str:
    """The title without a day stamped on its end, when a headline of 3+ words is left."""
    m = _DATE_TAIL.search(title)
    return title[: m.start()].rstrip() if m and len(title[: m.start()].split()) >= 3 else title


def headline(pm: PageMeta) -> str | None:
    """The JSON-LD headline as displayed (entities decoded, whitespace collapsed)."""
    ld = ld_field(pm, "headline")
    return clean_ws(html.unescape(ld)) or None if isinstance(ld, str) else None


def _shown(pm: PageMeta, text: str) -> bool:
    """Whether a reader sees `text` as a heading: the whole heading, or its end after a kicker shown in
    the same heading ("Umbau des Weissen Hauses – <headline>", kicker and headline in two spans)."""
    k = visible_key(text)
    headings = pm.visible_headings()
    if k in headings:
        return True
    # The headline is most of the heading and starts at a word boundary; a heading that merely ends
    # with a short phrase is not it.
    return bool(k) and any(len(h) > len(k) and h.endswith(k) and 2 * len(k) >= len(h)
                           and not h[-len(k) - 1].isalnum() for h in headings)


def _visible_arbiter(pm: PageMeta, found: dict[str, str], chosen: str) -> str:
    """The og:title instead of the JSON-LD headline when the page shows the former and not the latter.

    Publishers give search engines their own headline in JSON-LD ("100 years at the Los Angeles
    Coliseum: More than a sports venue") while the article shows another ("One hundred years at the
    Coliseum: Much more than a sports venue"). When the JSON-LD headline is in no heading outside
    navigation/breadcrumbs and og:title is one (h1-h3 or a headline-classed element), the reader's
    headline is og:title. Only when the two differ in words: a quote-style difference is the same
    headline.
    """
    ld, og = found.get("ld"), found.get("og")
    if not ld or not og or chosen != ld:
        return chosen
    # the same words first: it is the cheap test, and the page's headings are read only past it
    if _TOKENS.findall(ld.casefold()) == _TOKENS.findall(og.casefold()):
        return chosen
    if not _shown(pm, og) or _shown(pm, ld):
        return chosen
    return og


_QUOTE_STYLE = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
                              "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"'})


def _quote_consensus(chosen: str, forms: list[str]) -> str:
    """The quote style (straight or typographic) most of the page's headline fields carry.

    Publishers' fields disagree on quotes only ("Taylor Swift's" in og:title, <title> and the
    JSON-LD name, "Taylor Swift’s" in the JSON-LD headline and h1); the form most of them carry was
    the gold on all 6 fundus dev pages where the fields disagree so and one form is the gold
    (straight 3:2, 3:2, 3:1, 4:1, typographic 2:1, 3:1). A tie keeps the chosen form.
    """
    style = chosen.translate(_QUOTE_STYLE)
    counts: dict[str, int] = {}
    for form in forms:
        if form != chosen and form.translate(_QUOTE_STYLE) == style:
            counts[form] = counts.get(form, 0) + 1
    if not counts:
        return chosen
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] > forms.count(chosen) else chosen


def _first_h1(pm: PageMeta) -> str | None:
    """The page's h1 that the publisher's other title fields name, else its first h1.

    A page may open with its logo or section name in an h1 ("<h1 id="website-logo">ประชาไท</h1>")
    before the headline's h1; the headline is the one twitter:title, the JSON-LD name or the <title>
    repeats.
    """
    if len(pm.h1) < 2:
        return pm.h1[0] if pm.h1 else None
    fields = [meta_first(pm, ("twitter:title",)), pm.title_tag, ld_field(pm, "name")]
    keys = [key(html.unescape(f)) for f in fields if isinstance(f, str) and f]
    for h1 in pm.h1:
        k = key(h1)
        # most of the field: the site name at the end of the <title> is no match for the logo
        if len(k) >= 8 and any(k in other and 2 * len(k) >= len(other) for other in keys):
            return h1
    return pm.h1[0]


def _sized(title: str | None) -> str | None:
    """The candidate, unless it is too long to be a headline (settings.TITLE_MAX_CHARS) or has no letter or
    digit (emoji, combining marks or invisible characters only)."""
    return title if title and len(title) <= settings.TITLE_MAX_CHARS and has_word(title) else None


# Bidi embeddings, overrides and isolates, and tag characters outside an emoji flag's tag sequence: they
# show nothing themselves and change how the rest is shown (U+202E prints "Council teg approves" as
# "Council get approves", or a file name's extension backwards), in a title or byline as stored.
_HIDDEN = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f|[\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f]")


def has_word(text: str) -> bool:
    """Whether the text holds a letter or a digit."""
    return _WORD.search(text) is not None


_WORD = re.compile(r"[^\W_]")


# C0 and C1 control characters and DEL: no HTML text holds one (the parser drops or replaces them), but
# JSON-LD and a feed's escapes can ("\u0000", "\u001b[2J"); stored in a title or byline they cut strings
# short in C tools and drive the terminal of whoever prints them (the duckdb CLI, a BI tool's export).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def shown_text(text: str | None) -> str | None:
    """A title or name as stored: without control characters, the invisible characters of _HIDDEN and
    zero-width characters that join nothing, None without a letter or digit."""
    if not text:
        return None
    if _CONTROL.search(text):  # white space ones (tab, line ends) are a space, the others nothing
        text = clean_ws(_CONTROL.sub("", clean_ws(text)))
    if max(text) >= "\u200b":  # only such a text can hold one: the regexes run on few titles
        text = clean_ws(_HIDDEN.sub(lambda m: m.group() if len(m.group()) > 1 else "", text))
        text = clean_ws(_JOINERS_APART.sub("", _ZERO_WIDTH_SPACES.sub("", text)))
    return text if has_word(text) else None


# Zero-width characters that join nothing: U+200B (zero-width space), U+2060 (word joiner) and U+FEFF (a BOM
# pasted mid-text) anywhere, and a joiner or non-joiner (U+200D, U+200C) with no character to join on one
# side. A CMS's "Harbour\u200b terminal" looks like "Harbour terminal" but no query, GROUP BY of bylines or
# search for it finds it. A joiner between two characters stays: it makes one emoji of several ("\U0001f469
# \u200d\U0001f4bb") and picks a letter's form in Indic scripts and Persian ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645").
_ZERO_WIDTH_SPACES = re.compile("[\u200b\u2060\ufeff]+")
_JOINERS_APART = re.compile(r"(?:^|(?<=\s))[\u200c\u200d]+|[\u200c\u200d]+(?=\s|$)")


def _shown_part(pm: PageMeta, title: str) -> str:
    """"Headline | Site" (or "Site | Headline") as the part the page shows as a heading, when the whole is no
    heading: a site whose name neither og:site_name, the publisher nor the host spells ("... | Lakeside
    Ledger" on lsl-online.example) is still no part of the headline a reader sees."""
    if not _TITLE_SEP.search(title) or _shown(pm, title):
        return title
    for m in _TITLE_SEP.finditer(title):
        for part in (title[: m.start()].strip(), title[m.end():].strip()):
            # most of the title: a kicker's or a subtitle's clause shown in a heading of its own ("... - und
            # wie das Wetter wird" in a span of the <h1>) is not the headline
            if len(part) >= 10 and 2 * len(part) >= len(title) and _shown(pm, part):
                return part
    return title


def _over_section_h1(pm: PageMeta, found: dict[str, str], chosen: str) -> str:
    """The <title>'s headline instead of the chosen <h1> when the <h1> is a name of three words or fewer (a
    section's, "Education" over an <h2> headline), another and shorter text, and the page shows the <title>'s
    headline as a heading. A longer <h1> is a headline, whatever heading the <title> repeats."""
    tt = found.get("tt")
    if chosen == found.get("h1") and len(chosen.split()) <= 3 and tt and not _similar(chosen, tt) \
            and len(tt) > len(chosen) and _shown(pm, tt):
        return tt
    return chosen


_CJK_LABEL = re.compile(r"[\u4e00-\u9fff]{2,4}")
_CJK_HEADLINE_CHARS = 6  # a heading taken over a section's label holds at least this many characters


def _over_cjk_label(pm: PageMeta, found: dict[str, str], chosen: str) -> str:
    """A headline instead of a Chinese section's label of two to four Han characters ("要闻", "国际", "财经"):
    Chinese and Japanese sites print the section's name as the <h1>, og:title or even the JSON-LD headline and
    the story's headline in another field or an <h2>. Another field the page shows as a heading (h1 to h3 or a
    headline-classed block, outside navigation and breadcrumbs) is taken, else the first such <h1> to <h3> in
    the page's order that holds Han characters and is longer. `_over_section_h1` counts words, and a Chinese
    label is one "word" as long as the headline. Read only for a title of that form: no other page pays."""
    if _CJK_LABEL.fullmatch(chosen) is None:
        return chosen
    headings = pm.visible_headings()
    for k in ("ld", "og", "h1", "tw", "tt"):
        value = found.get(k)
        if value and len(value) >= _CJK_HEADLINE_CHARS and chosen not in value and _HAN_CHAR.search(value) \
                and visible_key(value) in headings:
            return value
    body = pm.root.find("body") if pm.root is not None else None
    if body is None:
        return chosen
    for node in body.iter("h1", "h2", "h3"):
        text = clean_ws(node.text_content())
        if len(text) >= _CJK_HEADLINE_CHARS and chosen not in text and _HAN_CHAR.search(text) \
                and node.find(".//a") is None and visible_key(text) in headings and _sized(text):
            return text
    return chosen


_HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")


def _site_only_fields(found: dict[str, str], names: set[str], hosts: frozenset[str] | set[str] = frozenset()
                      ) -> set[str]:
    """The headline fields (all but the <h1>) that hold only the site's name: a theme's default fills og:title
    or the JSON-LD headline so on every page; while another field gives something else, they are no headline.
    The name is og:site_name's or the publisher's, or one of the host's labels ("Valley Herald" on
    valleyherald.example: a page that names its site nowhere else)."""
    return {k for k, v in found.items() if k != "h1" and ((kv := key(v)) in names or kv in hosts)}


def choose_title(pm: PageMeta, url: str | None = None) -> str | None:
    """The article's headline: JSON-LD headline, else OpenGraph, else the visible h1, else <title>.

    On the fundus dev pages the structured headline matched the gold most often (122 of 172 pages,
    h1 123 but with kickers and teaser h1s mixed in); the order below was the best fixed order
    (og:title first 137, h1 first 124, a majority vote 141). Site names are cut only where the tail
    names the site. When the chosen headline is "Kicker: X" and the publisher's own og/twitter title
    is X, X is the headline (fundus: "does not include subheaders, aims to be as short as possible").
    """
    site = meta_first(pm, ("og:site_name",))
    names, hosts = site_keys(pm, url)
    keys = ("ld", "og", "h1", "tw", "tt")
    raw = dict(zip(keys, (_sized(value) for value in (
        headline(pm),
        clean_ws(html.unescape(meta_first(pm, ("og:title",)) or "")) or None,
        _first_h1(pm),
        clean_ws(html.unescape(meta_first(pm, ("twitter:title",)) or "")) or None,
        pm.title_tag,
    )), strict=True))
    # <meta name="headline"> is no candidate (cnn.com fills it with the SEO title and its " - CNN"),
    # but where it is the bare headline it shows which tail of og:title is a section/site name
    # ("Headline-정치ㅣ한국일보").
    meta_headlines = [v for v in (_sized(clean_ws(html.unescape(v))) for v in pm.meta.get("headline", ())) if v]
    found: dict[str, str] = {}
    for k, value in raw.items():
        if not value:
            continue
        others = [v for j, v in raw.items() if j != k and v] + meta_headlines
        stripped = _strip_shared_prefix(value, others)
        if stripped == value and k in ("og", "tw", "tt"):
            stripped = _strip_named_site(value, names, hosts)
        if stripped == value and k in ("ld", "og", "tw", "tt"):
            stripped = _strip_site_head(value, others, names, hosts)
        if stripped == value and k in ("og", "tw", "tt"):
            stripped = _shown_part(pm, value)
        if stripped == value and k == "tt":
            stripped = _strip_site(value, site)  # <title> alone may carry an unnamed suffix
        found[k] = stripped
    site_only = _site_only_fields(found, names, hosts)
    if site_only and len(site_only) < len(found):
        found = {k: v for k, v in found.items() if k not in site_only}
    chosen = next((found[k] for k in keys if k in found), None)
    if chosen is None:
        return None
    chosen = _over_section_h1(pm, found, chosen)
    chosen = _over_cjk_label(pm, found, chosen)
    chosen = _visible_arbiter(pm, found, chosen)
    ld_name = ld_field(pm, "name")
    forms = list(found.values())
    if isinstance(ld_name, str) and (name := _sized(clean_ws(html.unescape(ld_name)))):
        forms.append(_strip_named_site(name, names, hosts))
    chosen = _quote_consensus(chosen, forms)
    for short in {found.get("og"), found.get("tw")}:
        if short and short != chosen and len(short) >= 0.4 * len(chosen) and chosen.endswith(short) \
                and _KICKER_END.search(chosen[: -len(short)]):
            chosen = short
    # The same headline without its last clause ("... here's how to check" for "... here's how to check if
    # you have the rare buck") in og:title and twitter:title alike: the headline as short as it goes. One
    # field alone may be cut at a length limit (twitter:title "... 'meth, we're on it' anti-drug").
    short = found.get("og")
    if short and found.get("tw") == short and short != chosen and chosen.startswith(short + " ") \
            and len(short.split()) >= 4 and 2 * len(short) >= len(chosen):
        chosen = short
    return strip_date_tail(chosen)


def has_structured_title(pm: PageMeta) -> bool:
    """Whether the publisher names the headline in JSON-LD, OpenGraph or Twitter tags."""
    return bool(headline(pm) or meta_first(pm, ("og:title", "twitter:title")))


# Where pages without structured data put their headline: headings, and blocks classed as one
# ("div.headline", "td.contentheading", "span.vitstoryheadline", "font.storyHeadline").
_HEADLINE_MARK = re.compile(r"headline|title|heading|hdln", re.I)
# Inline tags that carry a headline on table-layout pages (<b>, <font>) when the <title> repeats them.
_PLAIN_TAGS = frozenset({"b", "strong", "font", "span", "a", "h4"})
# Blocks that carry a headline with no name saying so (a <div> or <td> of the headline's text and inline
# markup, on a site whose class names are its own or hashed): taken only when no heading or inline block
# is in the <title>, and only when their text is a good part of it (settings.HEADLINE_BLOCK_TITLE_SHARE),
# so a section name the <title> repeats ("Sport : Rugby") is not taken for the headline.
_TEXT_BLOCK_TAGS = frozenset({"div", "td", "p", "center", "h5", "h6", "em", "i"})
_INLINE_TAGS = _PLAIN_TAGS | {"em", "i", "u", "br", "img", "small", "big", "sup", "sub"}
# Lists, forms and page furniture hold section names, not the article's headline.
_NOT_HEADLINE_TAGS = frozenset({"nav", "aside", "footer", "ul", "ol", "select", "option", "label", "button",
                                "form", "script", "style"})


def _holds(text: str | None, first: str, probe: str) -> bool:
    """Whether a text holds the probe's words (the cheap test on the first word first)."""
    if not text:
        return False
    folded = text.casefold()
    return first in folded and probe in " ".join(_TOKENS.findall(folded))


_DATE_WORDS = frozenset(name for names in settings.MONTH_NAMES for name in names) | settings.WEEKDAY_NAMES


def is_date_line(text: str) -> bool:
    """Whether a line says only a day ("Tuesday January 15", "15 Jan 2008"): day and month names and numbers."""
    words = _TOKENS.findall(text.casefold())
    return any(w in _DATE_WORDS for w in words) and all(w in _DATE_WORDS or w.isdigit() for w in words)


def _wraps_page(form: HtmlElement, first_words: list[str], probe: str) -> bool:
    """Whether a <form> holds the page's text, not a search or login box: ASP.NET wraps the whole page
    in one (`<form id="aspnetForm">`), its story and headline included (cbs4denver.com). A paragraph in
    it or the story's first words (`probe`) say so: a 2008 layout may set its story in <div>s only."""
    if form.find(".//p") is not None:
        return True
    return bool(probe) and _holds(form.text_content(), first_words[0], probe)


def visible_headline(root: HtmlElement, title_tag: str | None, first_paragraph: str | None,
                     url: str | None = None, site: tuple[set[str], set[str]] = (set(), set())) -> str | None:
    """The headline of a page that gives none in structured data, from its visible blocks.

    Section names ("Sports Wire", "Latest News", "Top Classifieds") sit in h1s and in the <title>
    of such pages as often as the headline does. Two signals that navigation does not have: the
    <title> repeats the headline (as "Headline - Site" or "Site: Section: Headline"), and the
    headline is the last heading above the story's first paragraph. The longest block of 3+
    words that the <title> contains wins (a heading or headline-classed block before inline markup,
    inline markup before a plain block of text), unless it only names the site (`site`: the keys of
    `site_keys`) and another is in the <title>; else the emphasized line nearest above the story
    (`_line_above_story`); else the last heading above the story; else None (the caller keeps its
    choice).
    """
    body = root.find("body")
    if body is None:
        return None
    title_key = key(title_tag or "")
    first_words = _TOKENS.findall(first_paragraph.casefold())[:6] if first_paragraph else []
    probe = " ".join(first_words)
    excluded: set[HtmlElement] = set()
    in_title: list[tuple[int, str]] = []
    blocks: list[HtmlElement] = []
    above: list[tuple[HtmlElement, str]] = []
    story_seen = not probe
    story: HtmlElement | None = None
    # What a class and id say, read once per distinct pair (a page repeats its class names): (crumb, headline mark).
    marks: dict[tuple[str | None, str | None], tuple[bool, bool]] = {(None, None): (False, False)}
    for node in body.iter():
        tag = node.tag
        if not isinstance(tag, str):
            continue
        # where the story starts: a text holding its first words (the cheap test on the first word first)
        if not story_seen and (_holds(node.text, first_words[0], probe) or _holds(node.tail, first_words[0], probe)):
            story_seen, story = True, node
        names = node.get("class"), node.get("id")
        mark = marks.get(names)
        if mark is None:
            cls = f"{names[0] or ''} {names[1] or ''}" if names[0] or names[1] else ""
            mark = marks[names] = (bool(cls and "crumb" in cls.lower()), bool(cls and _HEADLINE_MARK.search(cls)))
        if (tag in _NOT_HEADLINE_TAGS and not (tag == "form" and _wraps_page(node, first_words, probe))) \
                or mark[0] or (excluded and node.getparent() in excluded):
            excluded.add(node)
            continue
        # 2: a heading or headline-classed block; 1: inline markup; 0: a block (of only text and inline markup)
        rank = 2 if tag in _HEADING_TAGS or mark[1] else \
            1 if tag in _PLAIN_TAGS else \
            0 if tag in _TEXT_BLOCK_TAGS else -1
        marked = rank == 2
        if not marked and (rank < 0 or not title_key):
            continue
        if rank == 0:
            blocks.append(node)  # read only when no heading or inline candidate is in the <title>
            continue
        text = _shown_length_text(node)
        if text is None:
            continue
        words = len(text.split())
        # The date-line test (`_shown_text`'s last) only for a text either list would take: most inline
        # blocks of a page are in neither (0.95 to 0.88 ms a call over the four dev sets' 254 calls).
        shown_in_title = bool(title_key and words >= 3 and (text_key := key(text)) and text_key in title_key)
        shown_above = marked and not story_seen and words >= 2 and tag != "a" and node.find(".//a") is None \
            and next(node.iterancestors("a"), None) is None
        if not (shown_in_title or shown_above) or is_date_line(text):
            continue
        if shown_in_title:
            in_title.append((rank, text))
        if shown_above:
            above.append((node, _without_dateline(node, text)))
    site_only = None
    if in_title:
        # "'Bucket List' Tops Box Office - Starpulse Entertainment News Blog", both shown in headings
        own = [c for c in in_title if not names_site(c[1], *site)]
        best = max(rank for rank, _ in own or in_title)
        chosen = max((t for rank, t in own or in_title if rank == best), key=len)
        if own:
            return chosen
        # Only the site's name is both shown and in the <title> (a logo's <h1>, a <title> of the site's name):
        # the headline is the line above the story, when there is one.
        site_only = chosen
    if (block := _headline_block(blocks, title_key)) is not None and not names_site(block, *site):
        return block
    if not story_seen:
        # The story's first words run over inline markup ("According to a report on <em>USA Today's</em>
        # Website"): no one text holds them, and the story starts where an element's text begins with them.
        story = _story_start(body, first_words)
        if story is None:
            return site_only
        before = set()
        for node in body.iter():
            if node is story:
                break
            before.add(node)
        above = [(node, text) for node, text in above if node in before]
    nearest, plain = _line_above_story(body, story, url) if story is not None else (None, None)
    if plain is not None and _title_tells_story(title_tag, first_paragraph):
        plain = None  # the <title> may be the headline, worded otherwise than any line
    return nearest or (above[-1][1] if above else plain) or site_only


def _title_tells_story(title_tag: str | None, first_paragraph: str | None) -> bool:
    """Whether a word of the <title> (four letters or more) is a word of the story's first paragraph: a
    <title> that is only the site's or section's name ("SuperSoccer", "News Talk Radio") shares none."""
    story = set(_TOKENS.findall((first_paragraph or "").casefold()))
    return any(len(w) >= 4 and w in story for w in _TOKENS.findall((title_tag or "").casefold()))


# Text pieces of an element read to see whether it begins with the story's first words.
_LEAD_PIECES = 12


def _story_start(body: HtmlElement, first_words: list[str]) -> HtmlElement | None:
    """The first element whose text begins with the story's first words when they run over inline markup:
    an element whose own text holds only their beginning, or its parent or grandparent when it is their
    first content ("<p><b>NEWCASTLE</b>, England -- ...")."""
    for node in body.iter():
        if not isinstance(node.tag, str) or node.tag in _NOT_HEADLINE_TAGS or not node.text:
            continue
        own = _TOKENS.findall(node.text.casefold())
        if not own or len(own) >= len(first_words) or own != first_words[: len(own)]:
            continue
        for el in (node, *islice(node.iterancestors(), 2)):
            if el is body:
                break
            lead = _TOKENS.findall("".join(islice(el.itertext(), _LEAD_PIECES)).casefold())
            if lead[: len(first_words)] == first_words:
                return el
    return None


_CARD_HEADINGS = etree.XPath(".//h1|.//h2|.//h3|.//h4")
_LINKED = etree.XPath("boolean(.//a[@href] or ancestor::a[@href])")


def in_teaser_card(node: HtmlElement, title_key: str, cards: dict[HtmlElement, bool | None] | None = None,
                   also: Callable[[HtmlElement, list[HtmlElement]], bool] | None = None) -> bool:
    """Whether `node` belongs to a teaser card of another story: the nearest of its ancestors (up to
    settings.TEASER_DATE_LEVELS up) that holds headings holds only linked ones, none of them the article's
    title ("<div class=card><h3><a href=...>Other story</a></h3><time>"), and passes `also(ancestor,
    headings)` when given (the byline pass's further conditions).

    `cards` keeps each ancestor's verdict (None: it holds no heading) for the page's other elements: they
    share their ancestors, and reading the article's headings again for each of 20,000 `<time>`s in it took 63 s.
    """
    for level, ancestor in enumerate(node.iterancestors()):
        if level >= settings.TEASER_DATE_LEVELS:
            return False
        if cards is not None and ancestor in cards:
            verdict = cards[ancestor]
        else:
            headings = _CARD_HEADINGS(ancestor)
            verdict = (all(_LINKED(h) and word_key(h.text_content()) != title_key for h in headings)
                       and (also is None or also(ancestor, headings))) if headings else None
            if cards is not None:
                cards[ancestor] = verdict
        if verdict is not None:
            return verdict
    return False


def names_site(text: str, names: set[str], hosts: set[str]) -> bool:
    """Whether a heading only names the site ("Broadcasting & Cable" on broadcastingcable.com,
    "Starpulse Entertainment News Blog" on starpulse.com): its key is one of the site's names or host
    labels, within one, or a host label followed by at most three words."""
    k = key(text)
    if len(k) < 3:
        return False
    if any(k == s or k in s for s in (*names, *hosts)):
        return True
    words = text.split()
    if len(words) >= 2 and words[0].casefold() in _SITE_ARTICLES:  # "The Lakeside Ledger" on lakesideledger.com
        bare = key(" ".join(words[1:]))
        if len(bare) >= 3 and any(bare == h for h in hosts):
            return True
    return len(words) <= 4 and any(len(h) >= 4 and k.startswith(h) for h in hosts)


# Articles a site's name may start with that its host leaves out ("The Lakeside Ledger", lakesideledger.com).
_SITE_ARTICLES = frozenset({"the", "la", "le", "el", "il", "lo", "der", "die", "das", "de", "het", "o", "os", "a", "as"})


def _without_dateline(node: HtmlElement, text: str) -> str:
    """A heading's own words without the date or byline its child element adds
    ("Bulls, Jones pursue talks<br><span>28/12/2007 11:27 - (SA)</span>")."""
    own = clean_ws(node.text)
    if len(own.split()) < 3 or len(own) >= len(text):
        return text
    rest = text[len(own):].strip() if text.startswith(own) else ""
    return own if rest and (is_dateline(rest) or _BYLINE_START.match(rest)) else text


_BYLINE_START = re.compile(r"(?i)by\s")
_TIME = re.compile(r"\b\d{1,2}[:.]\d\d\b|\b(?:19|20)\d\d\b")
_STAMP_WORDS = _DATE_WORDS | {"am", "pm", "gmt", "utc", "et", "est", "edt", "bst", "cet", "ist"}


def is_dateline(text: str) -> bool:
    """Whether a line is a date or time stamp: only day and month names and numbers, or a clock time or
    year with such words making most of it ("Published: Wednesday, 2 January, 2008, 02:42 AM Doha Time",
    "January 08, 2008 12:00am", "2007-11-24 16:23:08"; not "Blast at 10:30 kills 12 in Baghdad")."""
    if is_date_line(text):
        return True
    if _TIME.search(text) is None:
        return False
    words = _TOKENS.findall(text.casefold())
    stamp = sum(1 for w in words if w.isdigit() or w in _STAMP_WORDS or w.rstrip("apm").isdigit())
    return 10 * stamp >= 6 * len(words)


# What makes a line a headline on a page that marks it no other way: a heading, bold text, a large
# font, a headline-like class, or a style that sets it large or bold (2008 table layouts:
# "<b><span class=headerText>", "<font size=4><b>", "<span style='font-size:14px'>").
_EMPHASIS_CLASS = re.compile(r"headline|title|heading|hdln|header", re.I)
_EMPHASIS_STYLE = re.compile(r"font-size\s*:\s*(?:1[4-9]|[2-9]\d)px|font-weight\s*:\s*(?:bold|[6-9]00)", re.I)
_EMPHASIS_TAGS = frozenset({"h1", "h2", "h3", "h4"})


def _emphasized(node: HtmlElement) -> bool:
    """Whether the line is set as a headline: by the element itself or one of its two parents."""
    if node.tag in ("b", "strong"):
        return True
    for el in (node, *islice(node.iterancestors(), 2)):
        if el.tag in _EMPHASIS_TAGS:
            return True
        if el.tag == "font":
            size = (el.get("size") or "").strip()
            if size.startswith("+") or (size.isdigit() and int(size) >= 3):
                return True
        names = f"{el.get('class') or ''} {el.get('id') or ''}"
        if _EMPHASIS_CLASS.search(names) and "sub" not in names.lower():  # not "subheadline" (a byline)
            return True
        if _EMPHASIS_STYLE.search(el.get("style") or ""):
            return True
    return False


def _links_away(node: HtmlElement, url: str | None) -> bool:
    """Whether the line is or holds a link to another page (a headline may link to its own page)."""
    links = [node] if node.tag == "a" else []
    links += [*node.iterancestors("a"), *node.iterfind(".//a")]
    if not links:
        return False
    if not url:
        return True
    here = urlsplit(url)
    for a in links:
        try:
            there = urlsplit(web_join(url, a.get("href") or ""))
        except ValueError:  # "http://[::1": no page of this site
            return True
        if (there.path, there.query) != (here.path, here.query):
            return True
    return False


def _line_above_story(body: HtmlElement, story: HtmlElement, url: str | None) -> tuple[str | None, str | None]:
    """The emphasized line nearest above the story's first words (`story`: the element whose text or
    tail holds them), among the last few lines there (a date, byline or agency line may sit between):
    "Gunners star to comeback" in "<b><span class=headerText>" under a <title> that is the site's
    section name ("clubcall - Latest football news, transfers, reports"), nearer the story than a
    section's <h1>.

    A line is a block of text and inline markup only; a line of 3+ words that is no date and no
    byline, and no link to another page. Lists, forms and page furniture (_NOT_HEADLINE_TAGS) hold none.
    """
    lines: list[tuple[str, bool, bool]] = []  # nearest first
    for node in _preceding(_outside_furniture(story, body), body):
        if any(isinstance(child.tag, str) and child.tag not in _INLINE_TAGS for child in node):
            continue
        text = _shown_text(node)
        if text is None or len(text.split()) < 2:
            continue
        text = _without_dateline(node, text)
        away = _links_away(node, url)
        emphasized = _emphasized(node) and not away
        if lines and lines[-1][0] == text:  # the same line again, one element further out
            lines[-1] = (text, emphasized or lines[-1][1], away or lines[-1][2])
        elif len(lines) == settings.HEADLINE_LINES_ABOVE_STORY:
            break
        else:
            lines.append((text, emphasized, away))
    plain = None
    for text, emphasized, away in lines:
        if len(text.split()) < 3 or is_dateline(text) or _BYLINE_START.match(text):
            continue
        if emphasized:
            return text, None
        if plain is None and not away and _PLAIN_HEADLINE.fullmatch(text):
            plain = text
    return None, plain


# A headline set in no markup we know (its class hashed, or a name no rule has): a line of 3 to 20 words
# that is no sentence (a deck and a caption end with a full stop), no label ("Adjust font size:"), no
# breadcrumb or menu ("Home > Sport"), no credit ("© 2008 AFP") and no dateline in capitals ("NEW YORK (AFP)").
_PLAIN_HEADLINE = re.compile(r"(?=(?:\S+\s+){2,19}\S+$)(?=.*[a-zß-ÿ])[^>|»©]*[^.:>|»©\s]")


def _outside_furniture(node: HtmlElement, body: HtmlElement) -> HtmlElement:
    """The outermost list or piece of page furniture (_NOT_HEADLINE_TAGS) holding `node` inside `body`,
    else `node`: what is in it is no one's line, the story's neighbours there included. A <form> that
    holds the story is no furniture but the page's wrapper (ASP.NET's `<form id="aspnetForm">`): taken
    for a search box, it hid every line above the story."""
    start = node
    for ancestor in node.iterancestors():
        if ancestor is body:
            break
        if ancestor.tag in _NOT_HEADLINE_TAGS and ancestor.tag != "form":
            start = ancestor
    return start


def _preceding(node: HtmlElement, body: HtmlElement) -> Iterator[HtmlElement]:
    """The elements before `node` in document order up to `body`, nearest first (its ancestors among
    them), not entering _NOT_HEADLINE_TAGS: only the page just above the story is read, not all of it."""
    while node is not body:
        for sibling in node.itersiblings(preceding=True):
            stack = [(sibling, False)]
            while stack:
                el, done = stack.pop()
                if done:
                    yield el
                elif isinstance(el.tag, str) and el.tag not in _NOT_HEADLINE_TAGS:
                    stack.append((el, True))
                    stack.extend((child, False) for child in el)
        parent = node.getparent()
        if parent is None:
            return
        node = parent
        if node.tag not in _NOT_HEADLINE_TAGS:
            yield node


# More words than a headline of 250 characters can hold (each word and the space after it take two or more).
_SHOWN_MAX_WORDS = 125


def _shown_text(node: HtmlElement) -> str | None:
    """A block's text when it can be a headline: 8 to 250 characters that say more than a day.

    Its words are split off only up to `_SHOWN_MAX_WORDS` (`clean_ws` collapsed the whole text): each of 240
    nested <span>s around a megabyte of text was collapsed whole (10 s), to be found too long.
    """
    text = _shown_length_text(node)
    return text if text is not None and not is_date_line(text) else None


def _shown_length_text(node: HtmlElement) -> str | None:
    """`_shown_text` without its date-line test: the block's text when it has 8 to 250 characters."""
    words = (shown_words(node) if node.tag in _HEADING_TAGS else node.text_content()).split(None, _SHOWN_MAX_WORDS)
    if len(words) > _SHOWN_MAX_WORDS:
        return None
    text = " ".join(words)  # clean_ws's text: str.split() splits at what \s matches
    return text if 8 <= len(text) <= 250 else None


def _headline_block(blocks: list[HtmlElement], title_key: str) -> str | None:
    """The longest of the blocks of only text and inline markup whose words the <title> holds and make a good
    part of it (None: none)."""
    best = None
    for node in blocks:
        if not all(child.tag in _INLINE_TAGS for child in node if isinstance(child.tag, str)):
            continue
        text = _shown_text(node)
        if text is None or len(text.split()) < 3:
            continue
        text_key = key(text)
        if text_key and text_key in title_key and len(text_key) >= settings.HEADLINE_BLOCK_TITLE_SHARE * len(title_key) \
                and (best is None or len(text) > len(best)):
            best = text
    return best


# Share and bookmark links hand the article's headline to the service they post to
# ("digg.com/submit?url=<page>&title=<headline>", "twitter.com/share?url=<page>&text=<headline>",
# "mailto:?subject=<headline>&body=<page>"). Only links that point at this page count: a promo's or
# a related story's share link carries that one's title.
_SHARE_TITLE_PARAMS = ("title", "t", "text", "subject", "headline")
_SHARE_TARGET_PARAMS = ("url", "u", "link", "body")
_ID_RUN = re.compile(r"\d{4,}")
_NOT_SHOWN_TAGS = frozenset({"a", "script", "style", "noscript", "option", "textarea", "title", "select"})


def _page_mark(page_url: str) -> str | None:
    """What a share link's target must hold to be this page: the page URL's article number (its longest
    run of 4+ digits) or, for URLs without one, its last path segment (None: too short to tell).
    Share targets are written loosely (no scheme, doubled slashes, another of the site's URL forms
    for the same article), so the whole URLs are not compared."""
    parts = urlsplit(page_url)
    ids = _ID_RUN.findall(f"{parts.path}?{parts.query}")
    if ids:
        return max(ids, key=len)
    segments = [s for s in parts.path.split("/") if s]
    slug = segments[-1].rsplit(".", 1)[0].casefold() if segments else ""
    return slug if len(slug) >= 4 else None


# A link's query can name a share target only when the parameter's name is written in it, or encoded.
_TARGET_NAMED = re.compile("|".join(f"{p}=" for p in _SHARE_TARGET_PARAMS) + "|%")


def shared_headline(root: HtmlElement, page_url: str | None) -> str | None:
    """The headline the page's own share links carry, as the page shows it (None without one).

    For pages without structured data: run on the whole tree, before the body pass drops the share
    bars. The title must also stand as the text of a block outside links, so a share label ("You
    should read this article") or a text the page never shows is no headline.
    """
    body = root.find("body")
    if body is None or not page_url:
        return None
    mark = _page_mark(page_url)
    if mark is None:
        return None
    counts: dict[str, int] = {}
    for link in body.iter("a"):
        href = (link.get("href") or "").strip()
        if "?" not in href or _TARGET_NAMED.search(href) is None:
            continue
        try:
            query = parse_qs(urlsplit(href).query)
        except ValueError:
            continue
        targets = [t for p in _SHARE_TARGET_PARAMS for t in query.get(p, ())]
        if not any(mark in unquote(t).casefold() for t in targets):
            continue
        for param in _SHARE_TITLE_PARAMS:
            for value in query.get(param, ()):
                value = clean_ws(value)
                k = key(value)
                if 8 <= len(value) <= 250 and len(value.split()) >= 2 and k:
                    counts[k] = counts.get(k, 0) + 1
    if not counts:
        return None
    for node in body.iter():
        if not isinstance(node.tag, str) or node.tag in _NOT_SHOWN_TAGS or not node.text:
            continue
        text = clean_ws(node.text)
        k = key(text) if 8 <= len(text) <= 250 else ""
        if k in counts and next(node.iterancestors("a"), None) is None:
            return text
    return None


_TITLE_WORDS = re.compile(r"\w+")
# The body's text nodes (texts and tails) that hold the word $w, in document order. One descendant step:
# "//body//text()[...]" collected each node's child texts and filtered them apart (the same nodes, 10-20 %
# slower over aeb, fundus, l3s, dates and three blind copies).
TEXTS_WITH = etree.XPath("//body/descendant::text()[contains(., $w)]")


def title_element(root: HtmlElement, title: str | None) -> HtmlElement | None:
    """The first element of the page's body whose whole text is the title (three words or more)."""
    key = word_key(title)
    if key.count(" ") < 2:
        return None
    word = max(_TITLE_WORDS.findall(title or ""), key=len)
    words = key.count(" ") + 1
    # Text nodes holding the title's longest word (an element's string value would read a deep page's
    # text once per level), the first few only: the headline is the node's element or a near ancestor.
    found_nodes = TEXTS_WITH(root, w=word)[:settings.TITLE_ELEMENT_SCANS]
    for found in found_nodes:
        if len(_TITLE_WORDS.findall(found)) > words:
            continue  # more words than the title: neither it nor an ancestor is the headline
        node = found.getparent()
        for _ in range(settings.TITLE_ELEMENT_LEVELS):
            if node is None or not isinstance(node.tag, str) or node.tag in ("script", "style", "option", "body"):
                break
            text = word_key(node.text_content())
            if text == key:
                return node
            if len(text) > len(key):
                break
            node = node.getparent()
    return None


_IN_PAGE_CHROME = etree.XPath("ancestor::nav|ancestor::aside|ancestor::footer|ancestor::header[ancestor::body]"
                              "[not(ancestor::article)]")


def headline_element(root: HtmlElement, title: str | None) -> HtmlElement | None:
    """The element that shows the article's headline, where its date and byline follow.

    The <h1> that shows the title first: a section's <h1> before it ("Money Story", inthenews.co.uk;
    "News & Gossip", independent.ie) is followed by the site's "today". Without one (2008 layouts print
    the headline in <b>, <font>, a table cell), the element whose text is the title; the page's first
    <h1> last. Whole words: the keys are compared with a space on each side.
    """
    headlines = list(islice((h1 for h1 in root.iter("h1")
                             if not _IN_PAGE_CHROME(h1) and len(h1.text_content().strip()) >= 10),
                            settings.HEADER_H1_SCANS))
    title_key = f" {word_key(title)} "
    for h1 in headlines:
        h1_key = f" {word_key(h1.text_content())} "
        if title_key.strip() and h1_key.strip() and (h1_key in title_key or title_key in h1_key):
            return h1
    shown = title_element(root, title)
    if shown is not None:
        return shown
    return headlines[0] if headlines else None


def headline_finder(root: HtmlElement, title: str | None) -> Callable[[], HtmlElement | None]:
    """`headline_element(root, title)`, looked up on the first call only: authors and dates both ask."""
    return cache(partial(headline_element, root, title))
