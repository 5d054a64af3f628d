"""Authors as people: JSON-LD persons, meta tags, then visible bylines; organisations dropped."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache
from itertools import islice
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from newsdedup.clean import settings
from newsdedup.clean.metadata import (
    PageMeta,
    clean_ws,
    headline_finder,
    in_teaser_card,
    is_date_line,
    key,
    ld_types,
    meta_first,
    site_keys,
    site_like,
    word_key,
)

log = logging.getLogger(__name__)

# "and" in the bylines' languages. The one-letter ones (Spanish y, Portuguese/Italian e, Catalan i) only as
# written in lower case, or between shouted names, and never before a dot: as written in capitals they are
# middle initials ("Robert E. Lee", "David E Sanger", "Mary I. Jones" came out as "Robert" and ". Lee").
_SPLIT = re.compile(r"\s*(?:,|;|\||/|&|\+|(?<=\s)[•·](?=\s)|\b(?i:and|und|et|og|och|en)\b|\b[yei]\b(?!\.)"
                    r"|(?<=[A-ZÀ-Þ]{2}\s)[YEI](?=\s[A-ZÀ-Þ]{2}))\s*")
_HANDLE = re.compile(r"(?<!\S)@\w+")
# Job titles written after the name (Korean 기자 "reporter", Japanese/Chinese 記者), and the Korean count of
# co-authors the byline does not name ("김민수 기자 외 1명", "and 1 other"): the digit kept the name out.
_TITLE_SUFFIX = re.compile(r"\s*(?:(?:기자|특파원|記者|记者)(?:\s*외\s*\d+\s*명)?|외\s*\d+\s*명)$")
_SUFFIX_WORD = re.compile(r"기자|특파원|記者|记者|외")  # what every piece _TITLE_SUFFIX finds holds
_CJK_NAME = re.compile(r"^[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]{2}$")
_DOMAIN = re.compile(r"^[\w\-]+(?:\.[\w\-]+)*\.[a-zA-Z]{2,6}$")
_NAME_CHARS = re.compile(r"^[\w.'’\- ]+$")


def _name_chars(name: str) -> bool:
    """Whether `name` is written in letters, dots, apostrophes, hyphens and spaces only, the combining marks of its
    script aside: Devanagari, Bengali, Tamil and Thai vowel signs are no word characters to `re` ("राहुल शर्मा",
    "สมชาย ใจดี" were refused), nor the joiners of Persian and Indic names."""
    if _NAME_CHARS.match(name):
        return True
    bare = "".join(c for c in name if unicodedata.category(c)[0] != "M" and c not in "\u200c\u200d")
    return bool(bare) and _NAME_CHARS.match(bare) is not None


_INNER_BY = re.compile(r"\b[Bb][Yy]\b")
_BYLINE_TAIL = re.compile(r"\s+(?:in|on|at|[Ff]or|[Ww]ith|mit|avec|con|[-–—]+)\s+")
_NOTE_MARK = re.compile(r"(?<=[^\W\d])[\d¹²³⁰-⁹]+$")
_ORG_WORDS = re.compile(
    r"\b(?:news|press|media|times|post|daily|zeitung|journal|agency|agencies|agentur|redaktion|gmbh|inc|ltd|"
    r"llc|group|network|radio|tv|television|online|magazin(?:e)?|verlag|team|desk|staff|service|"
    r"newsroom|editorial|tribune|herald|gazette|reporters?|correspondents?|nachrichten|digital|"
    r"foundation|institute|university|ministry|office|department|council|association)\b",
    re.I,
)


def _ld_entries(value: Any) -> list[tuple[str, bool]]:
    """A JSON-LD author value as (name, typed-as-person) entries in the page's order."""
    out: list[tuple[str, bool]] = []
    if isinstance(value, list):
        for item in value:
            out.extend(_ld_entries(item))
    elif isinstance(value, dict):
        types = ld_types(value)
        name = value.get("name")
        if isinstance(name, list):
            name = " ".join(n for n in name if isinstance(n, str))
        if not name and (value.get("givenName") or value.get("familyName")):
            name = f"{value.get('givenName') or ''} {value.get('familyName') or ''}"
        if isinstance(name, str):
            out.append((name, not types or "person" in types))
    elif isinstance(value, str):
        out.append((value, True))
    return out


def _agents(pm: PageMeta) -> dict[str, dict[str, Any]]:
    """The page's JSON-LD people and organisations by @id (the first of each id), for `_referenced`."""
    out: dict[str, dict[str, Any]] = {}
    for o in pm.ld_all:
        ref = o.get("@id")
        if isinstance(ref, str) and ref not in out and any(
                t == "person" or t.endswith("organization") or t in _AGENT_TYPES for t in ld_types(o)):
            out[ref] = o
    return out


# Organisations whose schema.org type does not end in "Organization".
_AGENT_TYPES = frozenset({"corporation", "ngo", "localbusiness", "project", "airline", "consortium"})


def _referenced(value: Any, agents: dict[str, dict[str, Any]]) -> Any:
    """A JSON-LD author value with each bare reference ({"@id": ...}, no name) replaced by the page's
    person or organisation of that @id (`_agents`): Yoast, Rank Math and other SEO plugins write the
    article's author as a reference to a Person node elsewhere in the @graph. A reference to another
    kind of node (the article itself, its WebPage or WebSite: their names are headlines and site names)
    is left as it is, and names no one; the ids are looked up in one table (thousands of references
    to thousands of nodes made a scan of the page's objects for each)."""
    if isinstance(value, list):
        return [_referenced(item, agents) for item in value]
    if isinstance(value, dict) and isinstance(ref := value.get("@id"), str) and not value.get("name") \
            and not (value.get("givenName") or value.get("familyName")):
        found = agents.get(ref)
        return found if found is not None and found is not value else value
    return value


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


def _drop_parentheses(text: str) -> str:
    """`text` with each balanced "(...)" group, nested ones included, replaced by a space.

    One pass, linear in the text: the lazy regex it replaces ("(", any characters, ")") scanned to
    the end of the text from every "(" without a ")": a hostile page's author tag of 100,000 "("
    took a minute.
    """
    out: list[str] = []
    opens: list[int] = []  # where in `out` each unclosed "(" stands
    for ch in text:
        if ch == ")" and opens:
            del out[opens.pop():]
            out.append(" ")
        else:
            if ch == "(":
                opens.append(len(out))
            out.append(ch)
    return "".join(out)


def clean_name(raw: str, site: str | None = None, visible: bool = False) -> str | None:
    """One person name out of a byline fragment, or None when it is not a person.

    A `visible` fragment was read from the page's text, where a byline element also shows roles, dates
    and buttons: a name there has two words or more (one in scripts without case), starts with a
    capital and holds no digit (a footnote mark after it, "Rachel Brazil0", is dropped).
    """
    # A social-media handle printed after the name ("By Jane Doe @janedoe") is no part of it.
    name = clean_ws(_HANDLE.sub(" ", raw))
    if name.endswith(":"):  # a label ("Redakteur:", "Редактор:"), the name follows it
        return None
    if visible:
        # "Daniel Dombey in Washington", "Minh Do on Monday", "David A. Utter - Fri": the name is first. A label
        # before it goes first: "كتب - أحمد المنصوري" ("wrote - ..."), "By - Jane Doe" kept the label and lost the name.
        name = settings.AUTHOR_PREFIX.sub("", name, count=1)
        # "By Jane Doe Published March 4, 2019", "By Jane Doe Posted on ...": the byline's date label ends the name
        # (before: its digits refused the name, or "Posted" stayed in it: "Jane Doe Posted").
        name = settings.BYLINE_DATE_LABEL.split(name, maxsplit=1)[0]
        # "By Jane Doe email", "By Jane Doe Twitter Follow": a contact button's label after the name is no part of it.
        name = settings.BYLINE_CONTACT_LABEL.sub("", name)
        name = _NOTE_MARK.sub("", _BYLINE_TAIL.split(name, maxsplit=1)[0])
    if re.fullmatch(r"[a-z]+(?:-[a-z]+)+", name):
        name = name.replace("-", " ")  # a URL slug ("chuck-ross")
    name = clean_ws(_drop_parentheses(name))  # "(dpa)", "(Reuters)"
    name = _TITLE_SUFFIX.sub("", name)
    for _ in range(2):
        name = settings.AUTHOR_PREFIX.sub("", name).strip(" ,;:-–|·")
    # A credit of another trade left whole ("Photography by John Smith", "Illustrations by ...", "Edited by ..."
    # beside "Story by Jane Doe"): no name holds the word "by".
    if visible and _INNER_BY.search(name):
        return None
    # Two characters make a whole name in CJK scripts ("新間", "李强"); elsewhere they are initials.
    if not name or len(name) > 60 or (len(name) < 3 and not _CJK_NAME.match(name)):
        return None
    if _DOMAIN.match(name):  # "ORF.at" in "ORF.at/Agenturen": the site, not a person
        return None
    # No name holds a digit ("00A", "Dec 6", "Redacción La Razón 2").
    if settings.AUTHOR_JUNK.search(name) or not _name_chars(name) or any(c.isdigit() for c in name):
        return None
    name = _without_agency(name)
    folded = name.casefold()
    if folded in settings.AUTHOR_STOPWORDS or (site and folded == site.casefold()):
        return None
    if _ORG_WORDS.search(name):
        return None
    words = name.split()
    if words[0].casefold() in ("the", "der", "die", "das"):  # "The Boston Globe": a paper, never a person
        return None
    if is_date_line(name):  # "Tuesday", "March"
        return None
    if len(words) > 5:
        return None
    if visible and (name[:1].islower() or (len(words) == 1 and any(c.islower() or c.isupper() for c in name))):
        return None
    # A name printed all lower-case or all upper-case gets its case; one that still starts lower-case
    # is a handle or a fragment ("pHaT-aNt_", a commenter's), not a byline.
    name = _fix_case(name)
    return None if name[:1].islower() else name


_AGENCY_TAIL = re.compile(r"\s+(?:the\s+)?(" + "|".join(sorted(map(re.escape, settings.AGENCIES), key=len, reverse=True))
                          + r")$", re.I)


def _without_agency(name: str) -> str:
    """A name without the news agency printed after it with no separator, as wire bylines run ("JANE DOE
    Associated Press", "Jane Doe AP"): the agency as agencies print themselves (a short one not title-cased),
    and two words or more of name left ("Michael Bloomberg" stays). A one-word agency is cut only when
    printed otherwise than the name ("Jane Doe AP", "JANE DOE Reuters", "Jane Doe dpa"): agencies'
    names are surnames and given names too, and "Michael R. Bloomberg", "Wang Li Xinhua" or "JUAN
    CARLOS EFE" lost their last name."""
    m = _AGENCY_TAIL.search(name)
    if m is None or len(before := name[: m.start()].split()) < 2:
        return name
    agency = m.group(1)
    printed = (agency.upper(), agency.lower()) + (() if len(agency) <= 3 else (agency.title(),))
    if agency not in printed:
        return name
    if " " not in agency and _printed_as(agency) == _printed_as(" ".join(before)):
        return name
    return name[: m.start()]


def _printed_as(words: str) -> str:
    letters = "".join(c for c in words if c.isalpha())
    return "upper" if letters.isupper() else "lower" if letters.islower() else "title"


def _split(raw: str) -> list[str]:
    raw = clean_ws(raw)
    # "Von Anna Muster und Bernd Beispiel, dpa" -> pieces; a lone comma in "Last, First" is rare in news.
    return [p for p in _SPLIT.split(raw) if p]


def _dedupe(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        folded = name.casefold()
        if folded not in seen:
            seen.add(folded)
            out.append(name)
    return out


# A name printed in capitals with its paper after it in title case, as wire-style bylines run ("By FRANK
# DOE Daily Record/Sunday News"): the capitals are the name (two words of two letters or more: initials
# before a name, "J. R. Okafor", are no such name).
_SHOUTED_NAME = re.compile(r"^([A-ZÀ-Þ][A-ZÀ-Þ.'’\-]+(?:\s+[A-ZÀ-Þ][A-ZÀ-Þ.'’\-]*)+)\s+(?=[A-ZÀ-Þ][a-zß-ÿ])")


def _shouted_names(pieces: list[str]) -> list[str] | None:
    """The names of a byline that prints its people in capitals and its organisations in title case, when
    a piece shows that style (a name in capitals followed by title-case words): the capitals alone, the
    paper's names after them ("Sunday News" after the slash) dropped. None when no piece shows it."""
    bares = [settings.AUTHOR_PREFIX.sub("", p) for p in pieces]
    heads = [m if (m := _SHOUTED_NAME.match(bare)) is not None
             and sum(len(w.strip(".")) >= 2 for w in m.group(1).split()) >= 2 else None for bare in bares]
    if not any(heads):
        return None
    out = []
    for bare, head in zip(bares, heads, strict=True):
        if head is not None:
            words = head.group(1).split()
            # "JESSICA MINTZ AP Technology Writer": the agency opens the role printed after the name
            out.append(" ".join(words[:-1] if len(words) >= 3 and words[-1].casefold() in settings.AGENCIES else words))
        elif bare.upper() == bare:
            out.append(bare)
    return out


# "Brooks, Nadia" / "Brooks, Nadia J.": a library's or CMS's last-name-first form of one person, in structured data
# only (a visible "Smith, Washington" is a name and a place).
_LAST_FIRST = re.compile(r"^([A-ZÀ-Þ][a-zß-ÿ'’\-]+),\s+([A-ZÀ-Þ][a-zß-ÿ'’\-]+(?:\s+[A-ZÀ-Þ]\.)?)$")


def _last_first(value: str) -> str | None:
    """"Nadia Brooks" for "Brooks, Nadia"; None for any other value (two people, a role, an agency)."""
    m = _LAST_FIRST.match(clean_ws(value))
    if m is None or any(settings.BYLINE_ROLE.fullmatch(g) or g.casefold() in settings.AGENCIES for g in m.groups()):
        return None
    return f"{m[2]} {m[1]}"


def _from_values(values: list[str], site: str | None, visible: bool = False) -> list[str]:
    names: list[str] = []
    for value in values:
        pieces = _split(value)
        if visible and (shouted := _shouted_names(pieces)) is not None:
            pieces = shouted
        elif not visible and (turned := _last_first(value)) is not None:
            pieces = [turned]
        for piece in pieces:
            name = clean_name(piece, site, visible)
            if name:
                names.append(name)
    return _dedupe(names)


def clean_org(raw: str) -> str | None:
    """A credited organisation ("Associated Press", "dpa"), kept only when no person is named."""
    name = clean_ws(_drop_parentheses(raw))
    name = settings.AUTHOR_PREFIX.sub("", name).strip(" ,;:-–|·")
    if not name or len(name) > 60 or "@" in name or name.startswith(("http://", "https://", "www.")):
        return None
    if name.casefold() in ("author", "authors", "admin", "administrator", "unknown", "none", "null"):
        return None
    return name


def _ld_credits(entries: list[tuple[str, bool]], own: Callable[[str], bool], site: str | None) -> list[str]:
    """The JSON-LD author list when it names a person: persons, plus the agencies credited beside them.

    An agency listed as a co-author ("Adam Vidler", "AP"; "Paula Steiger", "SDA") is a credit the
    publisher gives, kept as written (fundus keeps it, and a reader of the byline sees it); it is
    never turned into a person-like name. The publisher's own name beside a person ("ZDFheute") is
    the newspaper, not an author, and goes.
    """
    out: list[str] = []
    has_person = False
    for raw, typed_person in entries:
        persons = _from_values([raw], site) if typed_person else []
        if persons:
            has_person = True
            out.extend(persons)
            continue
        org = clean_org(raw)
        if org and not settings.AUTHOR_JUNK.search(org) and not own(org):
            out.append(org)
    return _dedupe(out) if has_person else []


def choose_authors(root: HtmlElement, pm: PageMeta, url: str | None = None,
                   title: str | None = None,
                   headline: Callable[[], HtmlElement | None] | None = None) -> list[str]:
    """People credited with the page's own article; the credited organisation when no one is named.

    Persons come from the first source that names any: JSON-LD author, author meta tags, the visible
    byline right under the headline (`title`), a byline element elsewhere (teasers to other articles
    excluded). `headline` finds the headline element (`metadata.headline_finder`, shared with the dates
    pass); by default it is looked up from `title`. Agencies and newspapers never count as persons; an
    agency credited beside a person in JSON-LD stays as that credit; when the page credits only an
    organisation (an agency copy, "Redaktion ..."), that name is returned alone, as news archives
    credit it: from structured data first, else from the byline under the headline ("By Associated
    Press").
    """
    site = meta_first(pm, ("og:site_name",))
    entries: list[tuple[str, bool]] = []
    agents: dict[str, dict[str, Any]] | None = None
    for obj in pm.ld_articles:
        value = obj.get("author") or obj.get("creator")
        if value and agents is None:
            agents = _agents(pm)
        entries = _ld_entries(_referenced(value, agents or {}))
        if entries:
            break
    if len(entries) > settings.LD_AUTHOR_MAX_ENTRIES:
        # A byline names a few people (the dev pages at most 5); a hostile page's 200,000 credits were
        # each cleaned and compared with the site's names (61 s) and all stored.
        log.warning("clean: %d JSON-LD author entries, the first %d read", len(entries),
                    settings.LD_AUTHOR_MAX_ENTRIES)
        entries = entries[:settings.LD_AUTHOR_MAX_ENTRIES]
    site_names, site_hosts = site_keys(pm, url)  # read once: each credit is compared with them

    def own(name: str) -> bool:
        """Whether a credited organisation is the site itself."""
        return site_like(name, site_names, site_hosts)

    credits = _ld_credits(entries, own, site)
    if credits:
        return _with_coauthors(credits, root, title, headline, site)
    ld_orgs = [name for name, _ in entries]
    meta_values = [v for tag in settings.META_AUTHOR for v in pm.meta.get(tag, ())
                   if not v.startswith(("http://", "https://"))]
    # When JSON-LD credits an organisation, author meta tags often repeat it (with places attached);
    # a meta person who is not that organisation (Mainichi: JSON-LD "毎日新聞", cxense author the
    # reporter) is still the better answer.
    org_keys = {key(o) for o in ld_orgs}
    # A value that starts with the site's own name is the site's credit line, not people: the brand alone
    # ("LTO" read as a person "Lto") or with its address ("hessenschau.de, Frankfurt, Germany": the city
    # and country came out as two authors).
    people = [v for v in meta_values[:3] if not _starts_with_site(v, site_names | site_hosts)]
    names = [n for n in _from_values(people, site)
             if not any(k and (k in key(n) or key(n) in k) for k in org_keys)]
    if names:
        return names
    written = [n for n in _written_by_names(pm, site)
               if not _starts_with_site(n, site_names | site_hosts) and not any(k and (k in key(n) or key(n) in k) for k in org_keys)]
    if written:
        return written
    # The byline printed right under the headline first: the same markup further down credits related
    # stories (restofworld.org, thenation.com when their JSON-LD is gone).
    shown = (headline or headline_finder(root, title))()
    title_key = word_key(title)
    near_texts = _bylines_after(shown, title_key) if shown is not None else []
    near = _from_values(near_texts, site, visible=True)
    if near and not _only_a_place(near):
        return near
    byline_names = _from_values(_byline_texts(root, title_key, shown), site)
    if byline_names and not _only_a_place(byline_names):
        return byline_names
    # Names printed outside any byline: a labelled field list below the story, a name alone in bold as
    # the story's first or last paragraph. Before the organisation credits: a site crediting itself in
    # its structured data may still print its reporter so.
    printed = _field_list_names(root, site) or _credit_paragraph_names(root, site)
    if printed:
        return printed
    # Only organisations credited: all of them as listed ("Deutsche Presse-Agentur", "MM-Redaktion"),
    # the site's own name only when it is the sole credit ("ORF.at").
    orgs = _dedupe([o for o in map(clean_org, ld_orgs) if o])
    others = [o for o in orgs if not own(o)]
    if others or orgs:
        return others or orgs[:1]
    for raw in meta_values[:1]:
        org = clean_org(raw)
        if org:
            return [org]
    # Last, an organisation printed as the byline under the headline ("By Associated Press", "Von dpa").
    return _visible_orgs(near_texts)


def _written_by_names(pm: PageMeta, site: str | None) -> list[str]:
    """The people of a "Written by" pair of Twitter card metas, as Yoast SEO prints them on WordPress sites
    (`twitter:label1` "Written by" / "Verfasst von", `twitter:data1` the post's author): read as a visible
    byline is (two words or more: "Gastautor", a site's one-word account, is no one), since the value is a
    site account's display name."""
    for i in range(1, 5):
        labels = pm.meta.get(f"twitter:label{i}", ())
        values = pm.meta.get(f"twitter:data{i}", ())
        if labels and values and settings.WRITTEN_BY_LABEL.fullmatch(labels[0].strip()):
            return _from_values(values[:1], site, visible=True)
    return []


def _with_coauthors(credits: list[str], root: HtmlElement, title: str | None,
                    headline: Callable[[], HtmlElement | None] | None, site: str | None) -> list[str]:
    """JSON-LD's credits with the co-authors the byline under the headline names beside them.

    Some CMSs write only the first (or the last) of a story's reporters into JSON-LD while the byline
    shows all ("By Anna Muster and Bernd Beispiel" beside one Person). The byline's names count only when
    they hold every person JSON-LD names: widening JSON-LD with any byline's names was tried and added
    related stories' reporters more often than co-authors.
    """
    shown = (headline or headline_finder(root, title))()
    if shown is None:
        return credits
    elements = [(node, _from_values([text], site, visible=True))
                for node, text in _byline_elements_after(shown, word_key(title))]
    persons = {key(c) for c in credits if c.casefold() not in settings.AUTHOR_STOPWORDS}
    # The elements naming a JSON-LD person, and those of the same markup beside them (one element a
    # reporter: "<a rel=author>Anna Muster</a> <a rel=author>Bernd Beispiel</a>"); not a share button or
    # a photo credit in the byline's block.
    marks = {(node.tag, node.get("class")) for node, names in elements if persons & {key(n) for n in names}}
    near = [n for node, names in elements if (node.tag, node.get("class")) in marks for n in names]
    if len(near) < 2 or not persons <= {key(n) for n in near}:
        return credits
    return _dedupe(near + credits)


def _starts_with_site(value: str, site: set[str]) -> bool:
    """Whether a credit's first piece is the site's name or host (`site_keys`), or starts with it ("LTO",
    "hessenschau.de", "www.example.com | ..."); a person credited with the site after the name ("Jane Doe.
    Example International") is not."""
    first = key(next(iter(_split(value)), "")).removeprefix("www")
    return bool(first) and any(first.startswith(s) or (len(first) >= 3 and s.startswith(first)) for s in site)


def _visible_orgs(texts: list[str]) -> list[str]:
    """The organisations a byline under the headline credits: news agencies, or capitalised names with
    an organisation's word ("Associated Press", "Jerusalem Post Staff"), no digit; not a role ("Staff Writer")."""
    out: list[str] = []
    for text in texts:
        for piece in _split(settings.AUTHOR_PREFIX.sub("", clean_ws(text))):
            org = clean_org(piece)
            if not org or settings.AUTHOR_JUNK.search(org) or any(c.isdigit() for c in org) \
                    or len(org.split()) > 4:
                continue
            folded = org.casefold()
            # An agency as agencies print themselves ("dpa", "AFP", "Reuters"), not "aNI".
            agency = folded in settings.AGENCIES and org in (org.lower(), org.upper(), org.title())
            if agency or (org[:1].isupper() and _ORG_WORDS.search(org) and folded not in settings.AUTHOR_STOPWORDS):
                out.append(org)
    return _dedupe(out)


# A field list's or credit paragraph's place: not in menus, the site's footer, an aside or a caption.
_NOT_STORY = etree.XPath("ancestor::nav|ancestor::footer|ancestor::aside|ancestor::figure|ancestor::figcaption")
_FIELD_LABEL_TAGS = ("strong", "b", "dt", "th", "label", "span")


def _field_labels(root: HtmlElement) -> Iterator[HtmlElement]:
    """The document's <strong>, <b>, <dt>, <th>, <label> and <span> elements in document order, as the XPath
    `//strong|//b|//dt|//th|//label|//span` gives them, at half its cost: libxml2 sorts a union's node-set into
    document order, a walk visits it in that order (the lookup 0.26 to 0.12 ms a page over the four dev sets'
    732 pages; `_field_list_names` 0.42 to 0.33 ms a call over its 380 calls there, in turns in one process)."""
    top = root.getroottree().getroot()
    for node in (*reversed(list(top.itersiblings(preceding=True))), top, *top.itersiblings()):
        yield from node.iter(*_FIELD_LABEL_TAGS)
_COLON_FIELD = re.compile(rf"^\s*([^\W\d][^:\n]{{0,{settings.FIELD_LABEL_CHARS}}}?)\s*:\s*(\S.*)$", re.S)


def _field_list_names(root: HtmlElement, site: str | None) -> list[str]:
    """The names of an author field in a labelled field list ("<li><strong>Autorin/Autor</strong> Jane Doe</li>"
    beside "<li><strong>Datum</strong> ...</li>", "<dt>Author</dt><dd>...</dd>", "Author: Jane Doe" beside
    "Date: ..."), as publishers print the article's facts below the story: a label alone is read only beside
    another labelled field, so that a story's sentence or a comment's "Author:" is not taken."""
    tried = 0
    for label in _field_labels(root):
        text = label.text_content()
        if len(text) > settings.FIELD_LABEL_CHARS or not settings.AUTHOR_FIELD_LABEL.match(text):
            continue
        tried += 1
        if tried > settings.BYLINE_MAX_ELEMENTS:  # a hostile page's thousands of "Author" labels
            break
        if label.tag in ("dt", "th"):
            value_node = label.getnext()
            value = _spaced_text(value_node) if value_node is not None else ""
            field = label
        else:
            field = label.getparent()
            if field is None or (field.text or "").strip():
                continue
            value = label.tail or ""
            for sibling in label.itersiblings():  # up to a value's length: one parent may hold thousands
                if len(value) > 200:
                    break
                value += " " + _spaced_text(sibling) + " " + (sibling.tail or "")
        if not value.strip() or len(value) > 200 or _NOT_STORY(label) or not _beside_a_field(field):
            continue
        if names := _from_values([value], site, visible=True):
            return names
    for node in root.iter("p", "li", "dd", "div"):
        text = node.text or ""
        m = _COLON_FIELD.match(text) if len(node) == 0 and len(text) <= 200 else None
        if m is None or not settings.AUTHOR_FIELD_LABEL.match(m.group(1)):
            continue
        tried += 1
        if tried > 2 * settings.BYLINE_MAX_ELEMENTS:
            break
        if _NOT_STORY(node) or not _beside_a_field(node):
            continue
        if names := _from_values([m.group(2)], site, visible=True):
            return names
    return []


def _beside_a_field(field: HtmlElement) -> bool:
    """Whether an element next to `field` is a labelled field too: a short label element opening it
    ("<strong>Datum</strong> 28.04.2023", "<dt>Date</dt>") or "Label: value" text."""
    for sibling in (field.getprevious(), field.getnext(), *(() if field.tag != "dt" else field.itersiblings("dt"))):
        if sibling is None or not isinstance(sibling.tag, str):
            continue
        if sibling.tag == "dt" or (field.tag == "th" and sibling.tag == "th"):
            return True
        first = sibling[0] if len(sibling) else None
        if first is not None and not (sibling.text or "").strip() and first.tag in ("strong", "b", "span", "label") \
                and 0 < len(first.text_content().strip()) <= settings.FIELD_LABEL_CHARS \
                and ((first.tail or "").strip() or len(sibling) > 1):
            return True
        if len(sibling) == 0 and _COLON_FIELD.match(sibling.text or ""):
            return True
    return False


# Lower-case words a name may hold ("Ludwig van Beethoven", "José de la Cruz").
_NAME_PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "das", "do", "dos", "di", "del", "della",
                             "la", "le", "du", "ter", "ten", "bin", "al", "el", "zu", "y"})


def _credit_paragraph_names(root: HtmlElement, site: str | None) -> list[str]:
    """The names of a credit paragraph: a paragraph of nothing but a name or two in bold ("<p><strong>Jane
    Doe</strong></p>", "<b>Jane Doe/John Roe</b>"), printed as the story's first paragraph (a deck's short
    lines may stand before it) or as its last, as a signature. The paragraphs beside it must be the story's
    prose (`settings.CREDIT_PROSE_SIBLINGS` of `CREDIT_PROSE_CHARS` or more), so a bold line in a sidebar or
    a list of names is not read; every word of each name is capitalised, but for a name's particles."""
    seen: set[HtmlElement] = set()
    for para in root.iter("p"):
        parent = para.getparent()
        if parent is None or parent in seen:
            continue
        text = clean_ws(para.text_content())
        if not 3 <= len(text) <= 80 or not _all_bold(para):
            continue
        seen.add(parent)
        paras = [p for p in parent.iterchildren("p") if p.text_content().strip()]
        prose = [i for i, p in enumerate(paras) if len(p.text_content()) >= settings.CREDIT_PROSE_CHARS]
        if len(prose) < settings.CREDIT_PROSE_SIBLINGS or _NOT_STORY(para):
            continue
        for i, p in enumerate(paras):
            edge = (i < prose[0] and i < settings.CREDIT_EDGE_PARAGRAPHS) or \
                (i > prose[-1] and len(paras) - i <= settings.CREDIT_EDGE_PARAGRAPHS)
            if not edge or not _all_bold(p) or (i > prose[-1] and _heads_a_list(p)):
                continue
            if (names := _names_only(clean_ws(p.text_content()), site)) and not _common_words(names, parent):
                return names
    return []


_LIST_TAGS = frozenset({"ul", "ol", "dl", "table"})


def _heads_a_list(para: HtmlElement) -> bool:
    """Whether a list or table with text follows the bold line in its block: the line is its heading ("Weekend
    Closures" over the days' hours), not a signature, which nothing it introduces follows."""
    return any(isinstance(s.tag, str) and s.tag in _LIST_TAGS and s.text_content().strip()
               for s in para.itersiblings())


def _common_words(names: list[str], story: HtmlElement) -> bool:
    """Whether every word of the names is written in lower case in the story's text: common nouns ("Study
    Space" over a story about "the study space on campus"), where a name's words are proper nouns. Scripts
    without case, and languages that capitalise their nouns, never have it."""
    words = [w for name in names for w in name.lower().split() if w not in _NAME_PARTICLES and w != w.upper()]
    text = story.text_content()
    return bool(words) and all(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text) is not None for w in words)


def _all_bold(para: HtmlElement) -> bool:
    """Whether every letter of the paragraph is inside a <strong> or <b>."""
    bold = "".join(b.text_content() for b in para.iter("strong", "b")
                   if not any(a.tag in ("strong", "b") for a in b.iterancestors("strong", "b")))
    whole = para.text_content()
    return bool(bold.strip()) and "".join(whole.split()) == "".join(bold.split())


def _names_only(text: str, site: str | None) -> list[str]:
    """The names a line is made of, or none when any piece of it is no person's name."""
    pieces = _split(text)
    if not 1 <= len(pieces) <= 4:
        return []
    names: list[str] = []
    for piece in pieces:
        name = clean_name(piece, site, visible=True)
        words = (name or "").split()
        if name is None or len(words) < 2 or any(not w[:1].isupper() and w not in _NAME_PARTICLES for w in words) \
                or any(w.casefold() in settings.CREDIT_NOT_NAME_WORDS for w in words):
            return []
        names.append(name)
    return _dedupe(names)


_BYLINE_PREFILTER = etree.XPath(settings.BYLINE_PREFILTER)
_BYLINE = etree.XPath(f"boolean(self::*[{settings.BYLINE_CONDITION}])")


# XPath expressions are compiled once: `element.xpath(text)` compiles its text on every call.
_IN_ASIDE = etree.XPath("ancestor-or-self::aside|ancestor-or-self::footer|ancestor-or-self::nav"
                        "|ancestor-or-self::li|ancestor-or-self::figcaption|ancestor-or-self::figure")


def _byline_texts(root: HtmlElement, title_key: str, headline: HtmlElement | None) -> list[str]:
    byline: list[str] = []
    cards: dict[HtmlElement, bool | None] = {}
    above = set(headline.iterancestors()) if headline is not None else set()
    for node in [n for n in _BYLINE_PREFILTER(root) if _BYLINE(n)][:6]:
        # Bylines inside teaser lists, captions and other stories' teaser cards belong to other articles
        # and photos.
        if _IN_ASIDE(node) or _in_other_card(node, title_key, above, cards):
            continue
        if text := _byline_text(node):
            byline.append(text)
    return byline


def _byline_text(node: HtmlElement) -> str | None:
    """A byline element's text (its `content` attribute first), None when it is too long to be one."""
    text = node.get("content") or _spaced_text(node)
    return text if text and len(text) < 200 else None


def _following(headline: HtmlElement) -> Iterator[HtmlElement]:
    """The elements after `headline` in document order, its own subtree excluded."""
    node: HtmlElement | None = headline
    while node is not None:
        for sibling in node.itersiblings():
            yield from sibling.iter()
        node = node.getparent()


def _names_a_byline(node: HtmlElement) -> bool:
    """Whether the element's markup says it holds a byline: a class or id naming an author, byline or
    writer, rel/itemprop "author", or an <address>."""
    if node.tag == "address" or node.get("rel") == "author" or node.get("itemprop") == "author":
        return True
    if node.tag == "a" and settings.AUTHOR_HREF.search(node.get("href") or ""):
        return True
    names = f"{node.get('class') or ''} {node.get('id') or ''}"
    return any(word in names for word in settings.BYLINE_CLASS_WORDS)


def _bylines_after(headline: HtmlElement, title_key: str) -> list[str]:
    """The texts of the byline elements printed right after the headline (`_byline_elements_after`)."""
    return [text for _, text in _byline_elements_after(headline, title_key)]


def _byline_elements_after(headline: HtmlElement, title_key: str) -> list[tuple[HtmlElement, str]]:
    """The byline elements printed right after the headline, with their texts.

    A byline element is one whose markup names it (`_names_a_byline`) or a short one whose own text
    starts "By", "Von", "Par"... (no markup at all: 2008 layouts, class-less sites); the innermost of
    nested ones, outside teaser lists and captions. Only those within `settings.BYLINE_WINDOW_CHARS` of
    text after the headline count: further down the page the same markup credits related stories,
    photos and comments. The walk stops at the end of that window.
    """
    found: list[HtmlElement] = []
    seen = len((headline.tail or "").strip())
    prose = 0  # texts of prose after the first byline element
    for node in _following(headline):
        if seen > settings.BYLINE_WINDOW_CHARS or prose >= settings.BYLINE_PROSE_STOP:
            break
        if not isinstance(node.tag, str):
            seen += len((node.tail or "").strip())
            continue
        if _names_a_byline(node) or (settings.BY_START.match(node.text or "") and _shorter(node, settings.BYLINE_TEXT_CHARS)) \
                or _name_and_role(node):
            found.append(node)
            if len(found) >= settings.BYLINE_MAX_ELEMENTS:  # a hostile page's thousands of nested "author"s
                break
        for text in ((node.text if node.tag not in ("script", "style") else None), node.tail):
            size = len((text or "").strip())
            seen += size
            prose += bool(found) and size >= settings.HEADER_PROSE_CHARS
    cards: dict[HtmlElement, bool | None] = {}
    above = set(headline.iterancestors())
    found = [n for n in found if not _IN_ASIDE(n) and not _in_other_card(n, title_key, above, cards)]
    # After that filter: a "most read" list's byline within the window (a short story in a script without spaces
    # fits in it whole) hid the name alone under the headline.
    if not found and (lone := _name_over_date(headline)) is not None:
        found = [lone]
    outer = {a for n in found for a in n.iterancestors()}
    return [(node, text) for node in found if node not in outer and (text := _byline_text(node))]


_INLINE = frozenset({"a", "span", "b", "strong", "em", "i"})


def _a_menu_link(node: HtmlElement, text: str) -> bool:
    """Whether the page links `text` elsewhere, not to an author's page: a section's name ("Local Politics") is in
    the site's menus, a reporter's name is not (or links to the author's page)."""
    want = key(text)
    return any(a is not node and key(a.text_content()) == want and not settings.AUTHOR_HREF.search(a.get("href") or "")
               for a in islice(node.getroottree().getroot().iter("a"), settings.NAME_OVER_DATE_LINKS))


def _name_over_date(headline: HtmlElement) -> HtmlElement | None:
    """The element of a name printed alone right under the headline with the date right after it ("<div>Nadia
    Brooks</div><div>March 4, 2019</div>"): a byline with no "By", no role and no markup naming it. The first
    text after the headline must be the element's whole text and only names (`_names_only`: capitalised words,
    no furniture word), the next text a date line or a <time>'s; a section ("Local Politics") or a place
    ("New York") under the headline has no date right after it as a byline has."""
    owner: HtmlElement | None = None
    for node in islice(_following(headline), settings.NAME_OVER_DATE_NODES):
        if not isinstance(node.tag, str) or node.tag in ("script", "style"):
            continue
        text = (node.text or "").strip()
        if owner is None:
            if not text:
                continue
            if any(isinstance(c.tag, str) and c.tag not in _INLINE for c in node) \
                    or not _shorter(node, settings.NAME_OVER_DATE_CHARS) \
                    or not (_names_only(flat := clean_ws(node.text_content()), None) or _cjk_name_alone(flat)) \
                    or _a_menu_link(node, flat):
                return None
            owner = node
            if (node.tail or "").strip():
                return owner if is_date_line(node.tail) else None
            continue
        if any(a is owner for a in node.iterancestors()):
            continue  # the name's own inline markup
        if node.tag == "time" or (text and is_date_line(text)):
            return owner
        if text:
            return owner if _prose_size(text) >= settings.HEADER_PROSE_CHARS and _alone_over_story(owner, headline) else None
    return None


_WIDE = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]")


def _prose_size(text: str) -> int:
    """A text's length as prose, a Chinese, Japanese or Korean character (or full-width mark) counted as four: about
    a word's worth, so a story's first paragraph of 40 such characters is prose as 150 Latin ones are."""
    return len(text) + 3 * len(_WIDE.findall(text))


_NOT_BYLINE_PLACE = etree.XPath("boolean(ancestor-or-self::*[self::figure or self::figcaption or self::a or self::nav "
                                "or self::footer or self::aside or self::li])")


def _alone_over_story(owner: HtmlElement, headline: HtmlElement) -> bool:
    """Whether a name printed alone right under the headline, the story's prose right after it, is the byline
    ("<h1>...</h1><div>Nadia Brooks</div><p>The council ..."): no date follows it as `_name_over_date` wants, so
    it holds no link (a topic's or section's label links to its page; an author's page link is markup naming a
    byline already), sits in no caption, list, menu or footer, its words are not the story's common nouns
    ("Study Space" over "the study space"), it is not printed in capitals (a place line, "NEW YORK") and no piece
    of it is a place `_place_names` knows ("New York", "Sao Paulo, Brazil"); nor is it the story's subject."""
    if _NOT_BYLINE_PLACE(owner) or any(isinstance(c.tag, str) and c.tag == "a" for c in owner.iter()):
        return False
    flat = clean_ws(owner.text_content())
    names = _names_only(flat, None) or _cjk_name_alone(flat)
    story = headline.getparent()
    if not names or story is None or _common_words(names, story) or flat == flat.upper() != flat.lower() \
            or any(_only_a_place([part]) for part in flat.split(",")):
        return False
    # a person the story is about, named again in it ("Nadia Brooks is the head librarian ..."), is no byline
    return clean_ws(story.text_content()).casefold().count(flat.casefold()) < 2


def _only_a_place(names: list[str]) -> bool:
    """Whether every credit is a place's name: a city the time-zone database names, a country or region (babel), a
    state or province (`settings.REGION_NAMES`): "By Texas", "<div>New Jersey</div>" under the headline are a
    dateline's place printed where a byline goes, no person. A place beside a person stays (fundus' gold credits
    "Nairobi" beside two reporters on a Junge Welt page)."""
    folded = [clean_ws(name).strip(" .").casefold() for name in names]
    return bool(folded) and all(f in settings.REGION_NAMES or f in _place_names() for f in folded)


_CJK_LINE = re.compile(r"^([\u4e00-\u9fff\u3400-\u4dbf々]{1,3})\s?([\u3040-\u30ff\u4e00-\u9fff\u3400-\u4dbf々]{1,3})$")
_HANGUL_NAME = re.compile(r"^[\uac00-\ud7af]{3}$")


def _cjk_name_alone(text: str) -> list[str]:
    """The name a line alone under the headline is, when it is a Chinese, Japanese or Korean person's: no case and
    no "By" tell it from a desk's or section's name ("社会部", "経済", "스포츠"), so it must start with a common surname
    (`settings.CJK_SURNAMES_*`: one Han character and one or two more; a Japanese surname of the list and one to three
    characters of a given name, kana too; a Hangul surname syllable and two more) and not end as a desk's, section's
    or place's name does (`settings.CJK_LABEL_ENDINGS`). The caller's guards (no link, not named in the menu or again
    in the story, no place) hold as for other names."""
    line = clean_ws(text)
    if _HANGUL_NAME.match(line):
        ok = line[0] in settings.CJK_SURNAMES_KO
    elif m := _CJK_LINE.match(line):
        joined = m.group(1) + m.group(2)
        ja = any(joined.startswith(s) and 1 <= len(joined) - len(s) <= 3 and len(joined) >= 3
                 for s in settings.CJK_SURNAMES_JA)
        zh = joined[0] in settings.CJK_SURNAMES_HAN and 2 <= len(joined) <= 3 \
            and not any("\u3040" <= c <= "\u30ff" for c in joined)
        ok = ja or zh
    else:
        return []
    return [line] if ok and line[-1] not in settings.CJK_LABEL_ENDINGS else []


@cache
def _place_names() -> frozenset[str]:
    """Cities the time-zone database names ("New York", "Los Angeles", "Hong Kong") and the world's countries and
    regions in English, German, French and Spanish (babel), case-folded: a place line under the headline ("New
    York", "Sao Paulo, Brazil") looks like a name alone (`_alone_over_story`). Built once, of fixed size."""
    import zoneinfo

    from babel import Locale

    places = {zone.rsplit("/", 1)[-1].replace("_", " ").casefold() for zone in zoneinfo.available_timezones()}
    for lang in ("en", "de", "fr", "es"):
        places.update(name.casefold() for name in Locale(lang).territories.values())
    return frozenset(places)


def _name_and_role(node: HtmlElement) -> bool:
    """Whether the element is a line of nothing but a person's name and role ("Nadia Brooks | Reporter", "Nadia
    Brooks / Senior Correspondent", "김민수 기자"): a byline printed with no markup naming it and no "By" (its
    class a name no rule knows). Every other piece of the line must be a visible name."""
    if any(isinstance(c.tag, str) and c.tag not in _INLINE for c in node) or not _shorter(node, settings.BYLINE_TEXT_CHARS):
        return False
    flat = clean_ws(node.text_content())
    # A role word or a title suffix somewhere in the line first (a piece that is one is in it): most short
    # lines under a headline (a date, a section, a share label) are no such line and go without being split.
    if not (settings.BYLINE_ROLE.search(flat) or _SUFFIX_WORD.search(flat)):
        return False
    pieces = [p for p in _SPLIT.split(flat) if p]  # `_split`, on the text already flattened
    if not pieces or len(pieces) > 4:
        return False
    roles = [p for p in pieces if settings.BYLINE_ROLE.fullmatch(p)]
    named = [p for p in pieces if p not in roles]
    suffixed = [p for p in named if _TITLE_SUFFIX.search(p)]
    if not (roles or suffixed) or not named:
        return False
    return all(clean_name(p, visible=True) is not None for p in named)


_HREFS = etree.XPath(".//a/@href | ancestor::a/@href")


def _in_other_card(node: HtmlElement, title_key: str, above: set[HtmlElement],
                   cards: dict[HtmlElement, bool | None]) -> bool:
    """Whether a byline element sits in a teaser card of another story (`in_teaser_card`: the nearest
    ancestor holding headings holds only linked ones, none of them the article's title) that is short
    (settings.TEASER_CARD_CHARS), does not hold the article's headline (`above`: its ancestors) and is no
    author box: named so (`_names_a_byline`: "<div class=author><h3><a>Name</a></h3>") or headed by a link
    to an author's page (settings.AUTHOR_HREF; a box whose class names are hashed).

    Related stories' cards carry their own bylines, outside any aside or list: where the article prints no
    byline of its own, or a short story has the cards right under it, their reporters were credited as the
    article's authors.
    """
    def byline_card(ancestor: HtmlElement, headings: list[HtmlElement]) -> bool:
        return (ancestor not in above and not _names_a_byline(ancestor)
                and not any(settings.AUTHOR_HREF.search(href) for h in headings for href in _HREFS(h))
                and _shorter(ancestor, settings.TEASER_CARD_CHARS))

    return in_teaser_card(node, title_key, cards, byline_card)


def _shorter(node: HtmlElement, limit: int) -> bool:
    """Whether the element's text is shorter than `limit`, read no further than that (a hostile page nests
    "By" elements around a megabyte of text)."""
    total = 0
    for text in node.itertext():
        total += len(text)
        if total >= limit:
            return False
    return True


def _spaced_text(node: HtmlElement) -> str:
    """The element's text with a space between its elements' texts: a byline's name and the role printed
    in the next element ("Nicole Opitz" + "Redakteurin") are two pieces, not one word. A line break
    parts two fields ("By JESSICA MINTZ<br>AP Technology Writer"): it is read as a "|"."""
    pieces: list[str] = []
    # Depth first with an explicit stack: (element, False) reads its text and children, (element, True)
    # its tail, after them.
    stack: list[tuple[HtmlElement, bool]] = [(node, False)]
    while stack:
        element, done = stack.pop()
        if done:
            if element.tail:
                pieces.append(element.tail)
            continue
        if element is not node:
            stack.append((element, True))
        if element.tag == "br":
            pieces.append("|")
        elif isinstance(element.tag, str) and element.tag not in ("script", "style"):
            if element.text:
                pieces.append(element.text)
            stack.extend((child, False) for child in reversed(element))
    return " ".join(t.strip() for t in pieces if t.strip())
