"""Bytes to an lxml tree: bad-input checks, charset decoding, bounded parsing."""

from __future__ import annotations

import codecs
import re
from itertools import islice

import lxml.html
from lxml import etree

from newsdedup.charset import decode as decode_page
from newsdedup.charset import decode_whole, utf16_shape
from newsdedup.clean import settings

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# One attribute of a start tag, quoted values read whole ("<" and ">" may stand in them). Every
# quantifier is possessive: a failed match never backtracks, so a scan stays linear in the page.
_ATTRIBUTE = r"""(?:[\s/]++[^\s"'>/=]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>]*+))?+)"""
_CROWDED_TAG = re.compile(rf"<[A-Za-z][^\s/>]*+{_ATTRIBUTE}{{{settings.MAX_ATTRIBUTES}}}")
_MORE_ATTRIBUTES = re.compile(rf"{_ATTRIBUTE}*+")
_HTML_HINT = re.compile(r"<\s*(?:!doctype|html|head|body|div|p|meta|title|article|span|table|a)\b", re.I)
# Control bytes that never appear in text (NUL aside, which some broken pages carry).
_BINARY_BYTES = bytes(range(0, 9)) + b"\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1c\x1d\x1e\x1f"
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"BZh",
                 b"\x7fELF", b"RIFF", b"OggS", b"ID3", b"\x00\x00\x01\x00", b"wOFF", b"wOF2")

# A parser that drops comments and processing instructions; libxml2's own depth cap stays on.
_PARSER = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, remove_comments=True,
                               remove_pis=True, encoding="utf-8")
# Every element is an HtmlElement, chosen in C. lxml.html's own lookup is a Python call per element
# proxy, to give <form>, <input> and <select> their form API, which nothing here uses: it was about
# a tenth of the clean step's time (2.8 M calls over the 599 pages of aeb, fundus and l3s).
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))


class BadInput(Exception):
    """The page cannot give an article; `reason` is the Extraction.error value."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _looks_binary(head: bytes) -> bool:
    if head.startswith(_BINARY_MAGIC):
        return True
    if not head:
        return False
    # UTF-16 text has NULs everywhere; it is told apart before this check. The control bytes deleted in one
    # pass in C, not counted by 27 scans of the head.
    controls = len(head) - len(head.translate(None, _BINARY_BYTES))
    return controls / len(head) > 0.05


def decode(data: bytes, content_type: str | None = None) -> str:
    """Decode page bytes with the one decoder (`newsdedup.charset`): BOM, the Content-Type's charset,
    <meta charset>, then detection; valid UTF-8 wins over a label it contradicts."""
    return decode_page(data, content_type)[0]


def to_text(html: bytes | str, content_type: str | None = None) -> str:
    """Check the raw input and return it as text (bytes decoded with the Content-Type they came
    with, when known), or raise BadInput."""
    return _checked_text(html, content_type)[0]


def _checked_text(html: bytes | str, content_type: str | None = None) -> tuple[str, bytes | None]:
    """`to_text`'s text, and its UTF-8 bytes (surrogates passed) when the control-character check made them
    and the text is what they encode (None otherwise): `parse` hands libxml2 those, not a second encoding."""
    if html is None:
        raise BadInput("empty_document")
    if isinstance(html, str):
        if len(html) > settings.MAX_BYTES:
            raise BadInput("too_large")
        text, whole = html, False
    elif isinstance(html, bytes | bytearray | memoryview):
        data = bytes(html)
        if len(data) > settings.MAX_BYTES:
            raise BadInput("too_large")
        if not data or data.isspace():  # `not data.strip()` without copying the page
            raise BadInput("empty_document")
        head = data[: settings.SNIFF_BYTES]
        # UTF-16 (a BOM, or without one a NUL in every other byte, as newsdedup.charset tells it) is
        # text: without a BOM such a page was "binary", though the decoder below reads it.
        utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or utf16_shape(head, content_type) is not None
        if not utf16 and _looks_binary(head):
            raise BadInput("binary")
        text, _, whole = decode_whole(data, content_type)
    else:
        raise BadInput("not_html")
    if not text or text.isspace():  # `not text.strip()` without copying the page
        raise BadInput("empty_document")
    # A page read whole as UTF-8 is its own UTF-8 (encoding it again cost 0.1 ms a page).
    raw: bytes | None = data if whole else text.encode("utf-8", "surrogatepass")
    if _has_control_bytes(raw):
        # NUL and the other C0 controls but tab, LF and CR: lxml refuses them as element text, and
        # one of them in a paragraph (a form feed or vertical tab from a word processor, an escape
        # sequence) made the whole body unextractable. The two that separate text become spaces.
        text = settings.CONTROL_CHARS.sub(lambda m: " " if m.group(0) in "\x0b\x0c" else "", text)
        raw = None
    if not _HTML_HINT.search(text[: settings.SNIFF_BYTES * 16]):
        raise BadInput("not_html")
    return text, raw


def _depth_capped(root: etree._Element) -> bool:
    """Whether some branch reached libxml2's nesting cap (the parser dropped what lay deeper)."""
    # One XPath in C: a third of what a Python walk over every element cost on the fundus pages.
    return bool(_DEPTH_CAPPED(root))


# An element MAX_DEPTH levels below the root, one child step a level: each step reads the children of
# the last one's elements, once each (`//*[count(ancestor::*) >= N]` counted every element's ancestors:
# 0.37 ms a page against 0.14 on aeb, fundus and l3s, 0.41 against 0.02 on a page 300 levels deep).
_DEPTH_CAPPED = etree.XPath("boolean(/*" + "/*" * settings.MAX_DEPTH + ")")


_HEAD_TAGS = frozenset({"title", "meta", "link", "base"})


def _reparse(text: str) -> lxml.html.HtmlElement | None:
    """The page through Python's own HTML parser (BeautifulSoup's html.parser, via lxml.html.soupparser).

    libxml2 keeps nothing after some broken start tags: `<html xmogo.jpg" alt="..." />` (a page cut
    and spliced by its CMS) gave an empty document for a 1,100-word story. html.parser recovers the
    rest. Used only when libxml2 found no body content in a page of some size, and only for pages of up
    to REPARSE_MAX_TAGS tags: BeautifulSoup's tree costs about a kilobyte a tag.
    """
    from lxml.html import soupparser

    try:
        found = soupparser.fromstring(text, makeelement=lxml.html.html_parser.makeelement)
    except (ValueError, TypeError, AssertionError):
        return None
    if not isinstance(found, lxml.html.HtmlElement):
        return None
    if found.tag == "html" and found.find("body") is not None and len(found.find("body")):
        return found
    root = lxml.html.document_fromstring("<html><head></head><body></body></html>")
    head, body = root.find("head"), root.find("body")
    children = list(found) if found.tag == "html" else [found]
    for child in children:
        if child.tag == "head":
            head.extend(list(child))
        elif child.tag == "body":
            body.extend(list(child))
        elif isinstance(child.tag, str):
            (head if child.tag in _HEAD_TAGS else body).append(child)
    return root if len(body) else None


def _cut_attribute_floods(text: str) -> str:
    """The page with the attributes past settings.MAX_ATTRIBUTES of any start tag cut.

    libxml2 checks each attribute against all earlier ones of its tag: a hostile tag of tens of
    thousands of attributes (named, bare or duplicated) would hold the parse for minutes. The scan
    costs a fraction of a millisecond on a news page, where no tag comes near the limit.
    """
    parts: list[str] = []
    start = 0
    for m in _CROWDED_TAG.finditer(text):
        if m.start() < start:
            continue  # inside the flood just cut
        rest = _MORE_ATTRIBUTES.match(text, m.end())
        parts += [text[start:m.end()]]
        start = rest.end() if rest else m.end()
    return "".join(parts) + text[start:] if parts else text


# settings.CONTROL_CHARS as bytes (all of them below 0x20: one byte each in UTF-8)
_CONTROL_BYTES = bytes(c for c in range(0x20) if settings.CONTROL_CHARS.match(chr(c)))


def _has_control_bytes(raw: bytes) -> bool:
    """Whether the text these UTF-8 bytes (surrogates passed) encode holds a character of
    settings.CONTROL_CHARS, at C speed: the regex search read a 250 kB page in 0.5 ms, the bytes with
    those bytes deleted are compared in 0.25 ms (they are single bytes in UTF-8, and no other
    character's encoding holds one)."""
    return len(raw.translate(None, _CONTROL_BYTES)) != len(raw)


def parse(html: bytes | str, content_type: str | None = None) -> lxml.html.HtmlElement:
    """Parse a page into an lxml HTML tree, or raise BadInput with the reason."""
    checked, raw = _checked_text(html, content_type)
    text = _cut_attribute_floods(_XML_DECL.sub("", checked, count=1))
    # The page's '<'s, counted once (a scan of the page each: 0.1 to 0.2 ms on a fundus page).
    tags = text.count("<") if len(text) >= 4 * settings.BREAK_RUN_TEXT_MIN else None
    if tags is not None and tags >= settings.BREAK_RUN_TEXT_MIN:
        # (the counts only on pages that can hold that many tags: a median page skips them)
        cut = _cut_break_run_text(text)
        tags, text = (tags if cut is text else cut.count("<")), cut
        # Counted before libxml2 builds a tree of them (a 16 MB page of 2,000,000 elements took 750 MB to
        # be refused): every '<' that does not start an end tag, an upper bound on the elements (comments
        # and scripts' comparisons count too, hence the margin).
        if tags - text.count("</") > settings.MAX_ELEMENTS * 2:
            raise BadInput("too_many_elements")
    try:
        # the checked text's bytes when nothing above changed it (a sub or cut that changes nothing gives
        # its input back): one encoding of the page, not two
        encoded = raw if raw is not None and text is checked else text.encode("utf-8", "surrogatepass")
        root = lxml.html.document_fromstring(encoded, parser=_PARSER)
    except (etree.ParserError, ValueError, UnicodeError):
        raise BadInput("not_html") from None
    if root is None or not isinstance(root, lxml.html.HtmlElement):
        raise BadInput("not_html")
    body = root.find("body")
    if tags is None:
        tags = text.count("<")
    if (body is None or (not len(body) and not (body.text or "").strip())) \
            and len(text) >= settings.REPARSE_MIN_CHARS and tags <= settings.REPARSE_MAX_TAGS:
        repaired = _reparse(text)
        root = repaired if repaired is not None else root
    # A page of only markup nested thousands deep: libxml2 kept the first 255 levels.
    if tags > 2000 and _depth_capped(root):
        raise BadInput("too_deep")
    _merge_sibling_documents(root)
    if root.find("body") is None:
        raise BadInput("no_body")
    _cut_break_runs(root)
    # Counted only when the page's '<'s allow that many: an element of the tree is a start tag of the page,
    # or one the parser or `_merge_sibling_documents` adds (<html>, <head>, <body>, a <p> around a run of
    # text, a <div> for a body's text), at most one for each tag or run of text between two tags. Below
    # that bound the count, a walk of the whole tree (0.13 ms a page over the dev sets), cannot exceed it.
    if 4 * tags + 16 > settings.MAX_ELEMENTS and _ELEMENTS(root) > settings.MAX_ELEMENTS:
        raise BadInput("too_many_elements")
    return root


_ELEMENTS = etree.XPath("count(//*)")
# A run of 3 or more <br>s with only white space between them, as text. Looked for only when a page holds
# many (settings.BREAK_RUN_TEXT_MIN): a page of 4,000,000 took 700 MB to parse before the runs were cut.
# Possessive: a backtracking repeat kept a frame per <br> (880 MB for 4,000,000).
_BREAK_RUN_TEXT = re.compile(r"(?:<br\s*/?>\s*){3,}+", re.IGNORECASE)


def _cut_break_run_text(text: str) -> str:
    """The page's longest runs of <br>s cut to two before parsing, as `_cut_break_runs` cuts them after."""
    if sum(map(text.count, ("<br", "<BR", "<Br", "<bR"))) < settings.BREAK_RUN_TEXT_MIN:
        return text
    return _BREAK_RUN_TEXT.sub("<br><br>\n", text)



def _cut_break_runs(root: lxml.html.HtmlElement) -> None:
    """Keep the first settings.BREAK_RUN_MAX <br>s of each run of them with only white space between.

    A run says a line or a paragraph break, however long; every pass (ours, trafilatura's, readability's,
    jusText's) walked each of its elements: a million took 24 s and 1.1 GB. A <br> whose tail holds text
    ends its run and stays.
    """
    run = 0
    cut: lxml.html.HtmlElement | None = None  # removed one step late: the walk moves on from it first
    for br in root.iter("br"):
        if cut is not None:
            cut.getparent().remove(cut)  # its tail, white space only, goes with it
            cut = None
        before = br.getprevious()
        run = run + 1 if before is not None and before.tag == "br" and not (before.tail or "").strip() else 1
        if run > settings.BREAK_RUN_MAX and not (br.tail or "").strip():
            cut = br
    if cut is not None:
        cut.getparent().remove(cut)


def _merge_sibling_documents(root: lxml.html.HtmlElement) -> None:
    """Fold the <html> elements libxml2 puts beside the root into it.

    A page that holds a second <html> (a server template that wraps a complete page in another one:
    wvva.com printed its story inside the second) parses into sibling root elements, and everything
    that reads the tree from the root (metadata, dates, body) saw only the first. Their heads go into
    the root's head and the rest into its body, in order; the emptied siblings stay (lxml cannot
    remove a root's sibling), holding nothing. Siblings without text (a flood of <br>s after a broken
    tag) are left alone.
    """
    siblings = [node for node in root.itersiblings()
                if isinstance(node.tag, str) and any(t.strip() for t in node.itertext())]
    if not siblings:
        return
    head, body = root.find("head"), root.find("body")
    if head is None:
        head = root.makeelement("head", {})
        root.insert(0, head)
    if body is None:
        body = root.makeelement("body", {})
        root.append(body)
    for sibling in siblings:
        for part in list(sibling):
            if part.tag == "head":
                head.extend(list(part))
            elif part.tag == "body":
                if (part.text or "").strip():
                    # libxml2 parses control characters that lxml refuses to assign as text
                    etree.SubElement(body, "div").text = settings.CONTROL_CHARS.sub("", part.text or "")
                part.text = None
                body.extend(list(part))
            else:
                body.append(part)
        sibling.text = None


def challenge_page(root: lxml.html.HtmlElement) -> str | None:
    """The bot wall a page comes from (Incapsula, Cloudflare, ...), or None.

    A site that refuses crawlers often answers 200 with a challenge page instead of the story: a
    script or iframe from the wall's path, a "Just a moment..." title. Such a page is no article, and
    the operator needs to know the source is walled off, not that its pages "have no text". Only a
    page without prose is called one: Cloudflare also puts its scripts on ordinary pages.
    """
    body = root.find("body")
    # Challenge pages are small: a page with a body of many elements is looked at no further (the
    # check then costs microseconds, not the millisecond of reading every script of a news page).
    if body is not None and next(islice(body.iter(), settings.CHALLENGE_MAX_ELEMENTS, None), None) is not None:
        return None
    for node in root.iter("script", "iframe", "form", "div"):
        ref = f"{node.get('src') or ''} {node.get('id') or ''} {node.get('action') or ''}"
        if ref.strip() and (name := settings.CHALLENGE_REFS.search(ref)):
            return settings.CHALLENGE_NAMES[name.group(1).casefold()]
        if node.tag == "script" and node.text and (name := settings.CHALLENGE_SCRIPTS.search(node.text)):
            return settings.CHALLENGE_NAMES[name.group(1).casefold()]
    title = root.findtext(".//title") or ""
    if (name := settings.CHALLENGE_TITLES.search(title)) is not None:
        return settings.CHALLENGE_NAMES[name.group(1).casefold()]
    return None
