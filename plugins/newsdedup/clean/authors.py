"""Authors as people: JSON-LD persons, meta tags, then visible bylines; organisations dropped."""

from __future__ import annotations

import re
from typing import Any

from lxml.html import HtmlElement

from newsdedup.clean import settings
from newsdedup.clean.metadata import PageMeta, clean_ws, ld_types, meta_first

_SPLIT = re.compile(r"\s*(?:,|;|\||/|&|\+|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bog\b|\boch\b|\ben\b|\bi\b)\s*",
                    re.I)
_NAME_CHARS = re.compile(r"^[\w.'’\- ]+$")
_ORG_WORDS = re.compile(
    r"\b(?:news|press|media|times|post|daily|zeitung|journal|agency|agentur|redaktion|gmbh|inc|ltd|"
    r"llc|group|network|radio|tv|television|online|magazin(?:e)?|verlag|team|desk|staff|service|"
    r"newsroom|editorial|tribune|herald|gazette|reporters?|correspondents?|nachrichten|digital|"
    r"foundation|institute|university|ministry|office|department|council|association)\b",
    re.I,
)


def _person_names(value: Any, out: list[str]) -> None:
    """Names of the Person objects (or bare strings) in a JSON-LD author value."""
    if isinstance(value, list):
        for item in value:
            _person_names(item, out)
    elif isinstance(value, dict):
        types = ld_types(value)
        if types and "person" not in types:
            return
        name = value.get("name")
        if isinstance(name, list):
            name = " ".join(n for n in name if isinstance(n, str))
        if not name and (value.get("givenName") or value.get("familyName")):
            name = f"{value.get('givenName') or ''} {value.get('familyName') or ''}"
        if isinstance(name, str):
            out.append(name)
    elif isinstance(value, str):
        out.append(value)


def _fix_case(name: str) -> str:
    """Give shouted or lower-case names their real case ("ABBY GOODNOUGH" -> "Abby Goodnough")."""
    letters = [c for c in name if c.isalpha()]
    if not letters:
        return name
    if all(c.isupper() for c in letters) or all(c.islower() for c in letters):
        parts = []
        for word in name.split(" "):
            low = word.lower()
            fixed = "-".join(p[:1].upper() + p[1:] for p in low.split("-"))
            # Mc/Mac/O' prefixes keep their inner capital.
            fixed = re.sub(r"^(Mc|O['’])(\w)", lambda m: m.group(1) + m.group(2).upper(), fixed)
            parts.append(fixed if len(word) > 1 or not word.isalpha() else word.upper())
        return " ".join(parts)
    return name


def clean_name(raw: str, site: str | None = None) -> str | None:
    """One person name out of a byline fragment, or None when it is not a person."""
    name = clean_ws(raw)
    name = re.sub(r"\s*\(.*?\)\s*", " ", name).strip()  # "(dpa)", "(Reuters)"
    for _ in range(2):
        name = settings.AUTHOR_PREFIX.sub("", name).strip(" ,;:-–|·")
    if not name or len(name) > 60 or len(name) < 3:
        return None
    if settings.AUTHOR_JUNK.search(name) or not _NAME_CHARS.match(name):
        return None
    folded = name.casefold()
    if folded in settings.AUTHOR_STOPWORDS or (site and folded == site.casefold()):
        return None
    if _ORG_WORDS.search(name):
        return None
    words = name.split()
    if len(words) > 5:
        return None
    return _fix_case(name)


def _split(raw: str) -> list[str]:
    raw = clean_ws(raw)
    # "Von Anna Muster und Bernd Beispiel, dpa" -> pieces; a lone comma in "Last, First" is rare in news.
    return [p for p in _SPLIT.split(raw) if p]


def _dedupe(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


def _from_values(values: list[str], site: str | None) -> list[str]:
    names: list[str] = []
    for value in values:
        for piece in _split(value) if not _NAME_CHARS.match(value.strip()) or " and " in value or " und " in value \
                else [value]:
            name = clean_name(piece, site)
            if name:
                names.append(name)
    return _dedupe(names)


def choose_authors(root: HtmlElement, pm: PageMeta) -> list[str]:
    """Authors of the page's own article (never of teasers to other articles)."""
    site = meta_first(pm, ("og:site_name",))
    for obj in pm.ld_articles:
        raw: list[str] = []
        _person_names(obj.get("author") or obj.get("creator"), raw)
        names = _from_values(raw, site)
        if names:
            return names
        if obj.get("author"):
            # The article names an author but it is an organisation: look no further than the byline.
            break
    meta_values = [v for key in settings.META_AUTHOR for v in pm.meta.get(key, ())
                   if not v.startswith(("http://", "https://"))]
    names = _from_values(meta_values[:3], site)
    if names:
        return names
    byline: list[str] = []
    for node in root.xpath(settings.BYLINE_XPATH)[:6]:
        # Bylines inside teaser lists belong to other articles.
        if node.xpath("ancestor::aside|ancestor::footer|ancestor::nav|ancestor::li"):
            continue
        text = node.get("content") or node.text_content()
        if text and len(text) < 200:
            byline.append(text)
    return _from_values(byline, site)
