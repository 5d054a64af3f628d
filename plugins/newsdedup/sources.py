"""Source discovery: turn one configured source into the entries (article URLs) it lists now.

Kinds: "rss"/"atom" (feedparser), "sitemap" (urlset, sitemap index, Google News `news:` tags,
a text sitemap of one URL a line, gzip), "page" (one article URL or file), "site" (a home page whose feeds and sitemaps are found
and followed: `newsdedup.discovery`), "dir" (a local directory of HTML files) and "warc" (a local
WARC file or a directory of them, e.g. CC-NEWS). When `spec.kind` is None the kind is detected from
the path/extension or by sniffing the fetched body (an HTML page is a "site" when
`discovery.read_home_page` says it is a home page, else a "page").

`discover` never raises for what a server or file contains: failures come back as
`Discovery.error` with every attempt listed; only a bad spec raises `ConfigError`.
State (ETag/Last-Modified, per-child sitemap validators, dir/WARC cursors, a site's endpoints) round-trips through
`SourceState.to_dict()` so the warehouse can keep it as JSON.
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import io
import itertools
import json
import logging
import os
import re
import stat
import sys
import time
import zlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from html import escape, unescape
from html.entities import html5 as html5_entities
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote_to_bytes, urlsplit

from newsdedup.charset import BOMS, norm_charset
from newsdedup.charset import decode as decode_text
from newsdedup.clean.dates import as_written_year, check_date
from newsdedup.clean.metadata import shown_text
from newsdedup.clean.settings import TITLE_MAX_CHARS, ZONE_ABBREVIATIONS
from newsdedup.config import SOURCE_KINDS, ConfigError, Settings, SourceSpec, native_path
from newsdedup.fetch import (
    READ_CODINGS,
    SITEMAP_JUNK_MAX,
    URL_LINE,
    Fetcher,
    FetchResult,
    acceptable,
    attachment,
    content_codings,
    content_type_of,
    decode_capped,
    gunzip_capped,
    head_of,
    read_capped,
    root_head,
    sitemap_after_junk,
    sniff,
    url_list,
    without_controls,
)
from newsdedup.record import Entry, FetchAttempt
from newsdedup.transport import ChunkLines, status_line, valid_content_length
from newsdedup.urls import MAX_URL_CHARS, InvalidURL, canonicalize_url, is_home_page, strip_credentials

log = logging.getLogger(__name__)

# The sitemap protocol allows 50 MB (uncompressed) and 50,000 URLs per file; feeds get the same.
SITEMAP_MAX_BYTES = FEED_MAX_BYTES = 50 * 1024 * 1024
MAX_CHILD_SITEMAPS = 20  # per run, newest first, at every depth together; older children wait for a later run
# The protocol's limit per sitemap file. 50 MB of short <url> elements is 1.3 million of them (42 s
# and 745 MB to read); the URLs past it are not read.
MAX_SITEMAP_URLS = 50_000
# Elements read of one sitemap file, at most: twenty a URL (a Google News entry has ten). 10 million
# empty elements (40 MB; 40 KB gzipped) took 17 s and 1.3 GB, outside every deadline.
MAX_SITEMAP_ELEMENTS = 20 * MAX_SITEMAP_URLS
# Feeds too: feedparser's time grows faster than the item count (100,000 tiny items 3.9 s, 400,000
# 42 s and 312 MB; a 50 MB feed holds 1.4 million). Items are counted by their start tags in the bytes.
MAX_FEED_ITEMS = MAX_SITEMAP_URLS
_ITEM_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s/>]")
# Tags a feed may hold, raw or escaped in its HTML content (feedparser sanitizes that at parse time),
# counted as `<` and `&lt;` in the bytes: feedparser takes ~15 us a tag, and a 4 MB feed of a
# million empty elements (4 KB gzipped) took 15 s, a 50 MB one minutes, outside every deadline.
# Items from the one the budget runs out in are not read. Real feeds hold a few thousand.
MAX_FEED_TAGS = 1_000_000
_TAG_MARK = re.compile(rb"<|&lt;")
# Character and entity references likewise, counted as `&` (1-3 us and up to 120 bytes each in
# feedparser): 10 million `&#0;` in a 40 MB feed took 37 s and 1.2 GB, 5 million `&amp;` 15 s. A feed
# written all in references (every character of a Chinese text) holds 250,000 in 2 MB.
MAX_FEED_REFS = 1_000_000
_REF_MARK = re.compile(rb"&")
# Attributes likewise, raw or escaped (`a="`, `a=&quot;`): 3-14 us each in feedparser.
MAX_FEED_ATTRIBUTES = 500_000
_ATTRIBUTE_MARK = re.compile(rb"=(?:[\"']|&quot;)")
# (what is counted, the marks in the bytes, their pattern, at most)
_FEED_BUDGETS = (("tags", (b"<", b"&lt;"), _TAG_MARK, MAX_FEED_TAGS),
                 ("character or entity references", (b"&",), _REF_MARK, MAX_FEED_REFS),
                 ("attributes", (b'="', b"='", b"=&quot;"), _ATTRIBUTE_MARK, MAX_FEED_ATTRIBUTES))  # fmt: skip
# One element's attributes, at most: feedparser's time grows with the square of them (20,000 on one
# <item> took 3.3 s, 40,000 15 s, 200,000 in a 2 MB feed more than five minutes).
MAX_FEED_ELEMENT_ATTRIBUTES = 100
_CROWDED_TAG = re.compile(rb"<[A-Za-z_][^\s/>]*(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*')){%d}"
                          % (MAX_FEED_ELEMENT_ATTRIBUTES + 1))  # fmt: skip
MAX_SITEMAP_DEPTH = 2  # an index of indexes is off-protocol but exists in the wild
# A URL a feed or sitemap lists, at most (urls.MAX_URL_CHARS): a feed's 3 MB <link> was fetched,
# logged and stored whole.
MAX_LISTED_URL_CHARS = MAX_URL_CHARS
# A feed item whose content has at least this much text is used as the article (no fetch).
FULL_CONTENT_MIN_CHARS = 1500
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".html.gz", ".htm.gz")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
FEED_SUFFIXES = (".rss", ".atom", ".xml", ".rdf", ".xml.gz")
# WARC records scanned per run at most, relative to max_entries (non-HTML records are skipped).
WARC_SCAN_FACTOR = 20
# Broken records a run skips in one WARC file before it leaves the rest for the next run.
WARC_MAX_SKIPS = 1000


@dataclass
class SourceState:
    """What a source remembers between runs (stored as JSON in the warehouse's `sources` table)."""

    etag: str | None = None
    last_modified: str | None = None
    kind: str | None = None  # the detected kind, so detection is not repeated
    children: dict[str, dict[str, Any]] = field(default_factory=dict)  # sitemap index children
    cursor: dict[str, Any] = field(default_factory=dict)  # dir/WARC progress
    last_checked: str | None = None
    last_entries: int = 0
    site: dict[str, Any] = field(default_factory=dict)  # a site's endpoints (newsdedup.discovery.SiteState)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> SourceState:
        data = dict(data or {})
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)

    def relisting(self, prior: SourceState | None) -> SourceState:
        """This state with what makes the next run list the same entries again put back as `prior`
        had it: the validators of the feed or sitemap (a site's endpoints, an index's children) and
        a folder's or WARC's cursor. For a run whose pages failed for now (a 503, a timeout, a raw
        copy that could not be written): with the new validators the next run got a 304 and never
        listed them again, so never fetched them, until the feed changed (a folder's cursor had
        moved past them for good). The rest (detected kind, a site's endpoints) is kept."""
        old = SourceState.from_dict(json.loads(json.dumps(prior.to_dict()))) if prior else SourceState()
        out = SourceState.from_dict(json.loads(json.dumps(self.to_dict())))
        out.etag, out.last_modified, out.children, out.cursor = old.etag, old.last_modified, old.children, old.cursor
        was = (old.site or {}).get("endpoints") or {}
        for url, ep in ((out.site or {}).get("endpoints") or {}).items():
            before = was.get(url) or {}
            ep["etag"], ep["last_modified"] = before.get("etag"), before.get("last_modified")
            ep["children"] = before.get("children") or {}
        return out


@dataclass
class Discovery:
    """What one source lists now; `error` set when the whole source failed."""

    kind: str
    entries: list[Entry] = field(default_factory=list)
    attempts: list[FetchAttempt] = field(default_factory=list)
    state: SourceState = field(default_factory=SourceState)
    not_modified: bool = False
    error: str | None = None
    detail: str | None = None  # what went wrong, or what "not modified" means for this kind of source
    in_flight: int = 0  # dir: files changed too recently (maybe still being written), left for the next run
    site: dict[str, Any] | None = None  # a site source's discovery report (newsdedup.discovery.site_line)


# --- helpers ------------------------------------------------------------------------------------


def _listed_url(link: Any, base: str | None) -> str:
    """The canonical URL of a link a feed or sitemap lists; InvalidURL for one no server would take."""
    if isinstance(link, str) and len(link) > MAX_LISTED_URL_CHARS:
        raise InvalidURL(f"URL of {len(link):,} characters (at most {MAX_LISTED_URL_CHARS:,})")
    return canonicalize_url(link, base)


def _log_unlisted(spec: SourceSpec, skipped: int, what: str) -> None:
    if skipped:
        log.warning("source %s: %d %s skipped: not an http(s) URL, unreadable, over %d characters, a \"#!\" "
                    "link (a view a script draws: no server serves it), a site's home page or (a feed's \"#fragment\" "
                    "link) the feed itself",
                    spec.name, skipped, what, MAX_LISTED_URL_CHARS)


def _local_path(url: str) -> Path | None:
    """The filesystem path of a file:// URL or a plain path; None for http(s)."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        # its bytes, as Python's file calls take them in this locale (`%E9` is a Latin-1 name's byte)
        return Path(os.fsdecode(unquote_to_bytes(parts.path)))
    if parts.scheme in ("http", "https"):
        return None
    if len(parts.scheme) == 1:  # a Windows drive letter, not a scheme
        return Path(native_path(url))
    if parts.scheme:
        raise ConfigError(f"source url {strip_credentials(url)!r}: scheme {parts.scheme!r} is not http, https or file")
    # A sources file is UTF-8 text: with UTF-8 mode off (an ASCII or Latin-1 locale) its `dé/pages` was
    # looked for under another name and the source was `not_found` every run.
    return Path(native_path(url))


def _web_reading(url: str) -> str:
    """What a missing local path written `//name/path` says of its other reading: a URL without its scheme
    (the sources file takes it as a local path when its first part names no host: `config._scheme_relative`)
    and its first part is no folder. "//intranet/feed.xml does not exist" named the path only, where a web
    address was as likely meant."""
    if not url.startswith("//") or url.startswith("///") or not (netloc := urlsplit(url).netloc):
        return ""
    if os.path.isdir("/" + netloc):  # `//tmp/feeds/x.xml`: its first part is a folder here, a path meant
        return ""
    return f" (a local path, as written; for the web address write https:{strip_credentials(url)})"


def _file_uri(path: Path) -> str:
    return path.resolve().as_uri()


def parse_date(value: Any) -> datetime | None:
    """W3C/ISO-8601 date or datetime (sitemaps) to an aware UTC datetime; None when unparsable or
    implausible (year 1, 9999, the future: see `checked_date`)."""
    return checked_date(value, "sitemap")[0]


def checked_date(value: Any, origin: str) -> tuple[datetime | None, str | None]:
    """A W3C/ISO-8601 or RFC 2822 date as (UTC datetime, None), (None, why it was ignored) when no
    article can carry it, or (None, None) when there is none or it does not parse. A date without a
    UTC offset is UTC (never the machine's zone). Never raises."""
    if not value or not isinstance(value, str | bytes | int | float):
        return None, None
    text = (value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)).strip()[:200]
    dt: datetime | None = None
    try:
        dt = iso_datetime(text)
    except OverflowError:  # 9999-12-31T24:00
        return None, f"{origin} date {text[:80]!r} ignored: out of range"
    except ValueError:
        try:
            from email.utils import parsedate_to_datetime

            dt = as_written_year(text, parsedate_to_datetime(_RFC822_OFFSET.sub(r"\1 \2\3\4", text, count=1)))
        except (TypeError, ValueError, IndexError, OverflowError):
            return None, None
        if dt is None:
            return None, f"{origin} date {text[:80]!r} ignored: no such day"
    return check_date(dt, origin, text)


# An RFC 822 date's numeric zone as feedparser and browsers also read it, after the time: "+05:30" (a colon),
# "GMT+0200" (JavaScript's Date.toString()), "UTC+0530". email.utils reads "+0530" only and took the others
# for no zone (UTC): a JSON Feed's or sitemap's 10:00 +05:30 was stored 5.5 hours late. Written "+0530" for it.
_RFC822_OFFSET = re.compile(r"(\d:\d{2}(?::\d{2})?)\s*(?:(?:GMT|UTC|UT)\s*)?([+-])(\d{2}):?(\d{2})(?!\d)", re.I)
# feedparser's reading of "UTC+0530" is UTC (it knows "GMT+0530"): such a date is read by `checked_date`.
_UTC_PLUS_OFFSET = re.compile(r"\d:\d{2}(?::\d{2})?\s*UTC?\s*[+-]\d{2}:?\d{2}(?!\d)", re.I)


# ISO 8601's leap second ("23:59:60", any offset) and end of day ("24:00", "24:00:00"), which
# `datetime.fromisoformat` refuses: sitemaps and JSON Feeds lost such a date without a note.
_SECOND_60 = re.compile(r"(?<=[T ]\d{2}:\d{2}:)60(?=[.,]\d+|[Zz+-]|\s|$)")
_HOUR_24 = re.compile(r"(?<=[T ])24:00(?::00(?:[.,]0+)?)?(?=[Zz+-]|\s|$)")
_SPACE_BEFORE_OFFSET = re.compile(r"\s+(?=[+-]\d{2}:?\d{2}$)")
_UTC_NAME = re.compile(r"(?<=\d)\s*(?:GMT|UTC|UT)$", re.I)


def iso_datetime(text: str) -> datetime:
    """An ISO 8601 date or datetime as written, machine-independent (naive when it has no offset);
    ValueError when it is none, OverflowError past year 9999. A leap second is the next second,
    24:00 the next day's midnight; also "20260308T0230Z", "2026-W10-7", "2024-05-09 10:00:00 +0000",
    "2024-05-09 10:00:00 GMT"."""
    text = text.strip()
    shift = timedelta(0)
    if m := _SECOND_60.search(text):
        text, shift = text[:m.start()] + "59" + text[m.end():], timedelta(seconds=1)
    elif m := _HOUR_24.search(text):
        text, shift = text[:m.start()] + "00:00" + text[m.end():], timedelta(days=1)
    text = _UTC_NAME.sub("+00:00", _SPACE_BEFORE_OFFSET.sub("", text))
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    return datetime.fromisoformat(text) + shift


# The numbers of an ISO 8601 / W3C date as written: year, month, day, hour, minute, UTC offset.
_ISO_FIELDS = re.compile(r"\s*(-?\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[T ](\d{1,2}):(\d{2})(?::\d{2}(?:[.,]\d+)?)?"
                         r"\s*(?:Z|[+-](\d{2}):?(\d{2})?)?)?\s*$")  # fmt: skip
# An RFC 822 / 2822 date's numeric zone after its time: "Thu, 09 May 2024 10:00:00 +0200", and as
# feedparser also reads it: "+02:00", "GMT+0200", a comment after it ("+0200 (CEST)"), the year after
# it ("Thu May 09 10:00:00 +0200 2024"). Only at the very end, "+9900 (PST)" was still moved 99 hours.
_RFC822_ZONE = re.compile(r"\d:\d{2}(?::\d{2})?\s*(?:[A-Za-z]{1,5})?\s*[+-](\d{2}):?(\d{2})(?!\d)")


def _no_such_time(raw: Any) -> str | None:
    """Why a feed date names no moment ("2024-04-31", hour 25, offset +99:00 or +9900), else None.

    feedparser rolls such values over into real ones (31 April became 1 May, month 13 January of
    the next year, +99:00 four days earlier) and the article kept a date its feed never gave."""
    if not isinstance(raw, str):
        return None
    m = _ISO_FIELDS.match(raw)
    if m is None:  # feedparser itself refuses RFC 822's impossible days and hours, not its zones
        zone = _RFC822_ZONE.search(raw)
        return "no such time" if zone and (int(zone.group(1)) > 14 or int(zone.group(2)) > 59) else None
    y, mo, d, h, mi, oh, om = (int(x) if x else 0 for x in m.groups())
    try:
        datetime(y, mo, d if m.group(3) else 1)  # "2024-05" names a month; "2024-05-00" no day
    except ValueError:
        return "no such day"
    if h > 24 or mi > 59 or (h == 24 and mi) or oh > 14 or om > 59:  # 24:00 is the end of a day
        return "no such time"
    return None


# A date as ISO 8601 writes it: year, then month, week ("W10") or day of the year ("067"). A year of
# five digits or more ("10000-01-01", ISO 8601's expanded "+10000-01-01") too: feedparser read
# "10000-01-01" as 1 December 2010 and "20240-05-01" as 27 August 2020, and the article kept the date.
_ISO_SHAPED = re.compile(r"\s*[+-]?\d{4,}-?(?:\d{2}|W\d)")
_PAST_9999 = re.compile(r"\s*(?:\+\d{4,}|\d{5,})-")


def _struct_to_dt(value: Any, origin: str, raw: Any, region: str | None = None) -> tuple[datetime | None, str | None]:
    """A feed entry's date, checked (see `checked_date`): `raw` as the feed gives it, `value`
    feedparser's UTC struct_time of it.

    ISO 8601 dates are read from `raw`, not from the struct: feedparser's ISO 8601 reader normalises
    through `time.mktime` in the machine's zone ("2026-03-08T02:30:00,5Z" was 03:30 UTC on a New York
    worker: no such local time that night), drops the time of compact forms ("20260308T0230Z" was
    midnight) and misreads week and ordinal dates ("2026-W10-7" was December 1). A date without a
    zone is UTC on every path, as `check_date` and the page's own dates take it. `region`: the country the
    feed's language names (`feed_region`), which reads a zone name of several meanings (`_named_zone`)."""
    if isinstance(raw, str) and _ISO_SHAPED.match(raw):
        return _iso_feed_date(raw, origin)
    if why := _no_such_time(raw):
        return None, f"{origin} date {str(raw)[:80]!r} ignored: {why}"
    if not value or (isinstance(raw, str) and _UTC_PLUS_OFFSET.search(raw)):
        # feedparser read nothing: an RFC 822 date without a zone ("Sun, 08 Mar 2026 23:30:00") is UTC
        if not isinstance(raw, str):
            return None, None
        dt, note = checked_date(raw, origin)
        if dt is None:
            return dt, note
        return check_date(_named_zone(raw, dt, region), origin, raw)
    try:
        dt = _named_zone(raw, datetime(*value[:6], tzinfo=UTC), region)
    except (TypeError, ValueError, OverflowError):
        return None, None
    return check_date(dt, origin, raw)


# Zone names of several meanings (`settings.ZONE_ABBREVIATIONS`) by the country a feed's language names: PHP's
# `date("T")` writes "IST" in India, Israel and Ireland, "CST" in China, Cuba and the US, "PST" in the Philippines.
ZONE_BY_REGION: dict[str, dict[str, float]] = {
    "IST": {"IN": 5.5, "IL": 2, "IE": 1},
    "BST": {"GB": 1, "BD": 6},
    "CST": {"CN": 8, "TW": 8, "MO": 8, "CU": -5, "US": -6, "CA": -6, "MX": -6},
    "PST": {"PH": 8, "US": -8, "CA": -8, "MX": -8},
    "AST": {"SA": 3, "IQ": 3, "KW": 3, "QA": 3, "BH": 3, "YE": 3, "CA": -4, "PR": -4, "DO": -4},
}
# Languages spoken in one of those countries only, written without a region (`<language>he</language>`).
_LANGUAGE_REGION = {"he": "IL", "iw": "IL", "hi": "IN", "zh": "CN", "ga": "IE", "fil": "PH", "tl": "PH"}


def feed_region(language: Any) -> str | None:
    """The country a feed's language tag names (RSS 2.0 `<language>`, `dc:language`, Atom `xml:lang`, JSON Feed
    `language`: BCP 47, `en-in`, `zh_Hans_CN`), upper case: its region subtag, else the one country of a few
    languages (`he`: IL); None when it names none."""
    if not isinstance(language, str):
        return None
    tags = [t for t in re.split(r"[-_]", language.strip()[:35]) if t]
    if not tags:
        return None
    region = next((t for t in tags[1:] if len(t) == 2 and t.isascii() and t.isalpha()), None)
    return region.upper() if region else _LANGUAGE_REGION.get(tags[0].lower())


# An RFC 822 date whose zone is a name after its time ("Mon, 01 Jan 2024 10:00:00 CEST").
_RFC822_NAMED_ZONE = re.compile(r"(\d{1,2}):(\d{2})(?::\d{2})?\s+([A-Za-z]{2,5})\s*$")


def _named_zone(raw: Any, dt: datetime, region: str | None = None) -> datetime:
    """`dt` (feedparser's reading of the RFC 822 date `raw`, in UTC) moved by the offset of a zone name it did
    not know. feedparser knows RFC 822's US names and a few more, and reads any other as UTC: a PHP feed's
    `date("D, d M Y H:i:s T")` ("10:00:00 CEST", "AEST", "JST", "MSK") was stored 2, 10, 9 or 3 hours late.
    A name with one offset (`settings.ZONE_ABBREVIATIONS`, the bylines' table) is read; one of several
    ("IST", "BST") stays UTC, as RFC 5322 §4.3 reads a zone whose meaning is not known. feedparser's own
    reading is kept where it moved the wall time (a name it knows), unless `region`, the country the feed's
    language names, gives the name one meaning (`ZONE_BY_REGION`: "IST" in an `en-in` feed is India's, "CST"
    in a `zh-cn` one China's, where feedparser reads US Central)."""
    m = _RFC822_NAMED_ZONE.search(raw) if isinstance(raw, str) else None
    if m is None:
        return dt
    name, wall = m.group(3).upper(), int(m.group(1)) * 60 + int(m.group(2))
    local = ZONE_BY_REGION.get(name, {}).get(region or "")
    if local is not None:
        # The wall time the feed wrote (feedparser's reading moved back by what it applied, within a day).
        moved = (wall - (dt.hour * 60 + dt.minute)) % 1440
        moved -= 1440 if moved > 720 else 0
        return dt + timedelta(minutes=moved) - timedelta(hours=local)
    if (dt.hour * 60 + dt.minute) != wall:
        return dt
    offsets = ZONE_ABBREVIATIONS.get(name, ())
    return dt - timedelta(hours=offsets[0]) if len(offsets) == 1 else dt


def _iso_feed_date(raw: str, origin: str) -> tuple[datetime | None, str | None]:
    """An ISO 8601 / W3C feed date, read without the machine's zone; a note when it cannot be read
    (a reduced form without a day, "2024-05", is no day of publication; nor is a zone name)."""
    if why := _no_such_time(raw):
        return None, f"{origin} date {raw[:80]!r} ignored: {why}"
    if _PAST_9999.match(raw):
        return None, f"{origin} date {raw[:80]!r} ignored: out of range (a year past 9999)"
    dt, note = checked_date(raw, origin)
    if dt is not None or note is not None:
        return dt, note
    return None, f"{origin} date {raw[:80]!r} ignored: an ISO 8601 form that cannot be read"


_TAG_RE = re.compile(r"<[^>]{0,2000}>")
_WS_RE = re.compile(r"\s+")


def plain_text(value: str | None) -> str | None:
    """Strip tags and entities from a feed title (titles may be HTML, doubly escaped)."""
    if not value:
        return None
    text = unescape(_TAG_RE.sub(" ", value))
    if "&" in text and ";" in text:
        text = unescape(text)
    text = _WS_RE.sub(" ", text).strip()
    return text or None


def listed_title(value: str | None) -> str | None:
    """A feed's or sitemap's title for an entry as plain text; None past TITLE_MAX_CHARS, which no
    headline reaches (the page's own candidates are held to it): a feed's 2 MB item title became the
    stored article's title when its page had none. It is stored as a page's title is (`shown_text`):
    a reference to U+202E or a control character in it ("&#x202e;", a CDATA's raw ESC) was stored as
    the title of a page without a headline of its own."""
    text = plain_text(value)
    return shown_text(text) if text is None or len(text) <= TITLE_MAX_CHARS else None


def _attempt(url: str, *, status: int | None = None, error: str | None = None, nbytes: int = 0,
             t0: float, at: datetime, detail: str | None = None) -> FetchAttempt:  # fmt: skip
    return FetchAttempt(url=url, final_url=url, status=status, error=error, bytes=nbytes,
                        elapsed_ms=round((time.monotonic() - t0) * 1000, 1), attempt=1, fetched_at=at,
                        detail=detail)  # fmt: skip


def _limit(entries: list[Entry], n: int) -> list[Entry]:
    """Drop repeated URLs and keep the newest `n` (undated entries keep their listed order)."""
    seen: set[str] = set()
    unique = []
    for e in entries:
        if e.url not in seen:
            seen.add(e.url)
            unique.append(e)
    far_past = datetime.min.replace(tzinfo=UTC)
    unique.sort(key=lambda e: e.published or far_past, reverse=True)
    return unique[: max(0, n)]


def _max_entries(spec: SourceSpec, settings: Settings) -> int:
    value = spec.options.get("max_entries", settings.max_entries_per_source)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"source {spec.name!r}: max_entries must be a non-negative integer, not {value!r}")
    return value


# --- detection ----------------------------------------------------------------------------------


def _noun(kind: str | None) -> str:
    """How the summary names a source of this kind ("feed", "sitemap", "page")."""
    return {"rss": "feed", "atom": "feed", "jsonfeed": "feed", "sitemap": "sitemap", "page": "page",
            "site": "site"}.get(kind or "", "source")


def _kind_from_path(path: Path) -> str | None:
    name = path.name.lower()
    if path.is_dir():
        files = [p.name.lower() for p in path.iterdir() if p.is_file()]
        if any(f.endswith(WARC_SUFFIXES) for f in files) and not any(f.endswith(HTML_SUFFIXES) for f in files):
            return "warc"
        return "dir"
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    if name.endswith(HTML_SUFFIXES):
        return "page"
    return None  # feeds and sitemaps are told apart by content


def _kind_from_body(body: bytes) -> str | None:
    kind = sniff(body)
    if kind == "sitemap":
        return "sitemap"
    if kind == "feed":
        root = root_head(body)
        if root.startswith((b"<feed", b"<rss")):  # past a prolog longer than the head
            return "atom" if root.startswith(b"<feed") else "rss"
        head = head_of(body).lower()
        return "atom" if b"<feed" in head and b"<rss" not in head else "rss"
    if kind in ("html", "markup"):
        return "page"
    if kind == "json":  # JSON is read only as a JSON Feed; `_parse_json_feed` says when it is none
        return "jsonfeed"
    if kind == "text" and url_list(body) and _only_url_lines(body):
        return "sitemap"  # a text sitemap
    return None


def _only_url_lines(body: bytes) -> bool:
    """Whether every non-blank line is an absolute http(s) URL: what makes a text body a text sitemap
    when no kind says so (a kind "sitemap" source is held to TEXT_SITEMAP_MIN_URL_SHARE instead). A
    last line without its newline is not judged when there are others: `body` may be only a head. Nor
    are lines past the first MAX_SITEMAP_URLS URLs: they are never read."""
    urls = 0
    if b"\r" in body:  # lines that end in CR alone (or CR LF) read as lines, as the sitemap reader reads them
        body = body.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    for i, raw in enumerate(io.BytesIO(body.removeprefix(b"\xef\xbb\xbf"))):  # one line at a time
        if (i and not raw.endswith(b"\n")) or urls >= MAX_SITEMAP_URLS:
            break
        line = raw.strip()
        if line:
            if URL_LINE.fullmatch(line.decode("utf-8", "replace")) is None:
                return False
            urls += 1
    return True


# --- the entry point ----------------------------------------------------------------------------


def discover(spec: SourceSpec, settings: Settings, fetcher: Fetcher, state: SourceState | None = None,
             now: datetime | None = None) -> Discovery:  # fmt: skip
    """List the entries a source offers now. Raises ConfigError only for a bad spec."""
    if not isinstance(spec, SourceSpec) or not isinstance(spec.url, str) or not spec.url.strip():
        raise ConfigError(f"source spec must have a non-empty url, got {spec!r}")
    if spec.kind is not None and spec.kind not in SOURCE_KINDS:
        raise ConfigError(f"source {spec.name!r}: kind {spec.kind!r} is not one of {', '.join(SOURCE_KINDS)}")
    state = state or SourceState()
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    local = _local_path(spec.url.strip())
    # A detected kind is kept so that detection is not repeated, but a detected "page" is detected again: a
    # feed or sitemap URL that answered its first read with HTML (a bot wall's challenge, a maintenance page,
    # a captive portal) was a page for good, listed unread as "already known" by every later run, and the
    # feed was never read again. A detected page is looked at again each run (a conditional GET); the kind
    # kept still names the source while its page is unchanged (a 304) or failing.
    kind = spec.kind or (state.kind if state.kind != "page" else None)
    if local is not None and kind == "site":
        raise ConfigError(f"source {spec.name!r}: kind 'site' needs an http(s) URL of the site's home page")
    if local is None and kind in ("dir", "warc"):
        raise ConfigError(f"source {spec.name!r}: kind {kind!r} needs a local path or file:// URL, not {strip_credentials(spec.url)!r}")
    limit = _max_entries(spec, settings)
    try:
        if local is not None:
            if not local.exists():
                return Discovery(kind=kind or "unknown", state=state, error="not_found",
                                 detail=f"{local} does not exist{_web_reading(spec.url)}")
            if not local.is_dir() and not local.is_file():
                # Opening a FIFO (or /dev/stdin) waits for a writer: the run hung for ever on one;
                # /dev/zero was read up to the cap for nothing.
                return Discovery(kind=kind or "unknown", state=state, error="not_a_file",
                                 detail=f"{local} is not a regular file or a folder (a FIFO, socket or device)")
            kind = kind or _kind_from_path(local)
            if kind == "dir":
                out = _discover_dir(spec, settings, local, state, limit)
            elif kind == "warc":
                out = _discover_warc(spec, settings, local, state, limit)
            else:
                out = _discover_local_file(spec, settings, local, kind, state, limit, now)
        elif kind == "page":
            out = Discovery(kind="page", entries=[Entry(source=spec.name, url=canonicalize_url(spec.url))], state=state)
        elif kind == "site":
            from newsdedup.discovery import discover_site

            out = discover_site(spec, settings, fetcher, state, limit, now)
        else:
            out = _discover_remote(spec, settings, fetcher, kind, state, limit, now)
            if out.kind == "unknown" and state.kind is not None:
                out.kind = state.kind
    except ConfigError:
        raise
    except Exception as exc:  # noqa: BLE001 - one broken source must not stop the run
        log.exception("source %s: discovery failed", spec.name)
        return Discovery(kind=kind or "unknown", state=state, error="internal_error",
                         detail=f"{type(exc).__name__}: {exc}"[:500])  # fmt: skip
    out.state.last_checked = now.isoformat()
    if out.error is None and not out.not_modified:
        out.state.last_entries = len(out.entries)
    return out


def _discover_remote(spec: SourceSpec, settings: Settings, fetcher: Fetcher, kind: str | None,
                     state: SourceState, limit: int, now: datetime) -> Discovery:  # fmt: skip
    accept = "feed" if kind in ("rss", "atom", "jsonfeed", "sitemap") else "any"
    # Feeds and sitemaps get the sitemap protocol's 50 MB whatever the kind says (a 50,000-item RSS
    # feed is as big as a sitemap); a page listed as a source is held to max_bytes after the fetch.
    cap = max(settings.max_bytes, FEED_MAX_BYTES)
    res = fetcher.fetch(spec.url, accept=accept, etag=state.etag, last_modified=state.last_modified, max_bytes=cap)
    out = Discovery(kind=kind or "unknown", attempts=list(res.attempts), state=state)
    if res.error:
        out.error, out.detail = res.error, res.detail
        return out
    if res.not_modified:
        # 304: nothing to parse; keep the validators we sent (some servers omit them on 304).
        out.not_modified, out.detail = True, f"{_noun(kind)} not modified (HTTP 304)"
        return out
    return _parse_source_body(spec, settings, fetcher, kind, res, state, limit, now, out)


def _gunzip_listing(body: bytes, cap: int) -> tuple[bytes, tuple[str, str] | None]:
    """A gzip file's (a sitemap.xml.gz's) bytes, or (b"", (error, detail)) saying why they cannot be read.
    The detail was the error's own name ("decompression_bomb: decompression_bomb"), and a file gzipped
    twice was "root element <?> is not urlset or sitemapindex"."""
    try:
        out = gunzip_capped(body, cap)
    except ValueError as exc:
        if "bomb" not in str(exc):
            return b"", ("bad_encoding", str(exc))
        return b"", ("decompression_bomb", f"a gzip file of {len(body):,} bytes inflates past {cap:,} bytes")
    except (zlib.error, EOFError) as exc:
        return b"", ("bad_encoding", f"a broken gzip file ({type(exc).__name__}: {exc})")
    if out[:2] == b"\x1f\x8b":
        return b"", ("bad_encoding", "a gzip file inside a gzip file (compressed twice): not read")
    return out, None


def _parse_source_body(spec: SourceSpec, settings: Settings, fetcher: Fetcher | None, kind: str | None,
                       res: FetchResult, state: SourceState, limit: int, now: datetime,
                       out: Discovery) -> Discovery:  # fmt: skip
    body = res.body or b""
    if body[:2] == b"\x1f\x8b":
        body, problem = _gunzip_listing(body, max(settings.max_bytes, SITEMAP_MAX_BYTES))
        if problem is not None:
            out.error, out.detail = problem
            return out
    detected = _kind_from_body(body)
    if kind is None and detected == "page" and fetcher is not None:
        from newsdedup.discovery import discover_site, read_home_page

        # An HTML page that is a site's home page, not an article: follow the site's feeds instead.
        if read_home_page(body, res.final_url or spec.url, res.content_type).is_home:
            return discover_site(spec, settings, fetcher, state, limit, now, home=res)
    if kind is None:
        if detected is None:
            out.error, out.detail = "unknown_source_kind", f"cannot tell what {res.final_url or spec.url} is"
            if sniff(body) == "text" and url_list(body):
                # Read as a text sitemap without a kind only when every line is a URL (`_only_url_lines`).
                out.detail += (": a text file of URLs with lines that are not an absolute http(s) URL "
                               '(kind "sitemap" reads it as a text sitemap)')
            return out
        kind = detected
    out.kind = kind
    base = res.final_url or spec.url
    new_state = SourceState(etag=res.etag, last_modified=res.last_modified,
                            kind=kind if spec.kind is None else None, cursor=dict(state.cursor))  # fmt: skip
    if kind == "page":
        if detected != "page":
            out.error, out.detail = "unsupported_content_type", "page source did not return HTML"
            return out
        if len(body) > settings.max_bytes:
            out.error, out.detail = "too_large", f"page over max_bytes {settings.max_bytes}"
            return out
        out.entries = [Entry(source=spec.name, url=canonicalize_url(base), body=res.body,
                             content_type=res.content_type, http_status=res.status,
                             fetched_at=res.attempts[-1].fetched_at if res.attempts else None)]  # fmt: skip
        out.state = new_state
        return out
    # The body decides the parser: a "rss" source that serves Atom, or a sitemap, still works.
    if detected == "jsonfeed":
        # JSON is read whole into objects (50 MB of "{}," is 16 million of them): a JSON Feed is
        # held to max_bytes, as a page is, not to the XML feeds' 50 MB.
        if len(body) > settings.max_bytes:
            out.error, out.detail = "too_large", f"a JSON Feed of {len(body):,} bytes, over max_bytes {settings.max_bytes:,}"
            return out
        err = _parse_json_feed(spec, body, base, out, res.content_type)
        if err:
            out.error, out.detail = err
            return out
    elif detected == "sitemap" or (kind == "sitemap" and detected not in ("feed",)):
        new_state.children = {}
        err = _parse_sitemap(spec, settings, fetcher, body, base, state, new_state, out, now, depth=0, limit=limit,
                             content_type=res.content_type)
        if err:
            out.error, out.detail = err
            return out
    else:
        err = _parse_feed(spec, body, res, base, out)
        if err:
            out.error, out.detail = err
            return out
    out.entries = _limit(out.entries, limit)
    out.state = new_state
    return out


# --- feeds --------------------------------------------------------------------------------------


def _feed_entry_body(item: Any, title: str | None, url: str, published: datetime | None) -> bytes | None:
    """A minimal HTML page from a full-content feed item (None when the item is only a summary)."""
    contents = [c for c in item.get("content", []) if c.get("value")]
    if not contents:
        return None
    html = max((c["value"] for c in contents), key=len)
    return _full_content_page(html, item.get("author"), title, url, published)


def _full_content_page(html: str, author: str | None, title: str | None, url: str,
                       published: datetime | None) -> bytes | None:  # fmt: skip
    """The page of a feed item that carries the whole article (None when `html` is a summary)."""
    if len(plain_text(html) or "") < FULL_CONTENT_MIN_CHARS:
        return None
    meta = f'<meta property="article:published_time" content="{published.isoformat()}">' if published else ""
    byline = f'<meta name="author" content="{escape(author)}">' if author else ""
    page = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title or "")}</title>'
        f'<link rel="canonical" href="{escape(url)}">{meta}{byline}</head>'
        f"<body><article><h1>{escape(title or '')}</h1>{html}</article></body></html>"
    )
    return page.encode("utf-8")


def _declared_entities(body: bytes) -> int:
    """How many entities the document's internal DTD declares (read up to the root element only)."""
    from lxml import etree

    parser = etree.XMLPullParser(events=("start",), resolve_entities=False, no_network=True, load_dtd=False,
                                 huge_tree=False, recover=True)  # fmt: skip
    step = 65536
    for i in range(0, len(body), step):
        try:
            parser.feed(body[i : i + step])
            first = next(iter(parser.read_events()), None)
        except etree.XMLSyntaxError:
            return 0  # not XML at all: feedparser's loose parser decides, and it expands no DTD
        if first is not None:
            dtd = first[1].getroottree().docinfo.internalDTD
            return sum(1 for _ in dtd.iterentities()) if dtd is not None else 0
    return 0


_ELEMENT_START = re.compile(rb"<[A-Za-z_:]")
_DOCTYPE_STOP = re.compile(rb"[\"'\[>]")  # before the subset: a quote, its start, or the end of the DOCTYPE
_SUBSET_STOP = re.compile(rb"[\"'\]]|<!--")  # inside it: a quoted value, a comment, or its end


def _without_internal_subset(body: bytes) -> bytes | None:
    """The document with its DTD's internal subset (`<!DOCTYPE rss [ ... ]>`) taken out, so the
    entities it declares are never defined; None when there is none to find in ASCII-compatible bytes."""
    at = body.find(b"<!DOCTYPE")
    if at < 0 or _ELEMENT_START.search(body, 0, at):  # a DOCTYPE after the root element is content
        return None
    i = at + len(b"<!DOCTYPE")
    open_at = None
    while open_at is None:  # up to the "[" (an external id may quote one)
        m = _DOCTYPE_STOP.search(body, i)
        if m is None or m.group() == b">":
            return None
        if m.group() == b"[":
            open_at = m.start()
        else:
            end = body.find(m.group(), m.end())
            if end < 0:
                return None
            i = end + 1
    i = open_at + 1
    while True:  # to the matching "]": declarations quote their values; comments hold anything
        m = _SUBSET_STOP.search(body, i)
        if m is None:
            return None
        if m.group() == b"]":
            return body[:open_at] + body[m.end() :]
        end = body.find(b"-->" if m.group() == b"<!--" else m.group(), m.end())
        if end < 0:
            return None
        i = end + (3 if m.group() == b"<!--" else 1)


_XML_DECL_ENCODING = re.compile(rb"""\A(?:\xef\xbb\xbf)?<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:+-]{1,40})["']""")


def _ascii_compatible_label(body: bytes) -> bytes:
    """The document with an `<?xml encoding?>` its own first bytes contradict replaced by utf-8.

    `<?xml` in ASCII is no UTF-16, UTF-32 or EBCDIC document's first bytes (XML 1.0 appendix F), yet
    .NET's XmlWriter over a StringWriter labels the UTF-8 it sends "utf-16": believed, feedparser
    found the feed not well-formed and lxml a sitemap without a root, and the source was lost whole.
    Browsers read such a label as UTF-8 (WHATWG HTML: "if charset is UTF-16BE/LE, set it to UTF-8").
    """
    m = _XML_DECL_ENCODING.match(body)
    if m is None:
        return body
    try:
        if "<?xml".encode(m.group(1).decode("ascii")) == b"<?xml":
            return body
    except (LookupError, UnicodeError):  # no text codec ("rot13"): the parsers already ignore it
        return body
    return body[: m.start(1)] + b"utf-8" + body[m.end(1) :]


def _valid_utf8(body: bytes) -> bool:
    """Whether `body` is UTF-8, checked a megabyte at a time (a 50 MB sitemap is not made one string)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(body), 1 << 20):
            decoder.decode(body[start : start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _sitemap_as_utf8(body: bytes, content_type: str | None) -> bytes:
    """A sitemap whose bytes are not UTF-8 as UTF-8, read as a page is (newsdedup.charset: the
    header's charset, then `<?xml encoding?>`, UTF-8 with a stray byte kept as UTF-8, then detection),
    its declaration saying utf-8; any other body as it is.

    lxml read the bytes by their declaration alone, else as UTF-8: a Latin-1 sitemap labelled
    "charset=iso-8859-1" (RFC 7303: the header decides) had /caf\xe9 and /caf\xe8 both read as
    /caf%EF%BF%BD, one URL no server has, and the second dropped as its repeat."""
    if body.isascii() or body.startswith(tuple(bom for bom, _ in BOMS)) or _valid_utf8(body):
        return body
    text, enc = decode_text(body, content_type)
    if enc == "utf-8":  # mostly UTF-8: its stray bytes are U+FFFD either way
        return body
    out = text.encode("utf-8", "surrogatepass")
    m = _XML_DECL_ENCODING.match(out)
    return out[: m.start(1)] + b"utf-8" + out[m.end(1) :] if m else out


_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9A-Fa-f]{1,64})|([0-9]{1,64}));")
# The references `_CHAR_REF` finds that surely name what XML has not (a control character, a
# surrogate, U+FFFE, U+FFFF), replaced by the C scanner alone, and those it must look at: past U+FFFFF
# (hex) or 999,999, or zero-padded that far. The common ones (&#8217;, &#x2019;, &#65;) match
# neither: 10 million references in a 50 MB sitemap (50 KB gzipped) took 7 s in a callback for each.
_BAD_CHAR_REF = re.compile(rb"&#(?:[xX](?=[0-9A-Fa-f]{1,64};)0*(?:[0-8BbCcEeFf]|1[0-9A-Fa-f]|[Dd][89A-Fa-f][0-9A-Fa-f]{2}"
                           rb"|[Ff]{3}[EeFf])|(?=[0-9]{1,64};)0*(?:[0-8]|1[124-9]|2[0-9]|3[01]|55(?:29[6-9]|[3-9][0-9]{2})"
                           rb"|56[0-9]{3}|57(?:[0-2][0-9]{2}|3(?:[0-3][0-9]|4[0-3]))|6553[45]));")  # fmt: skip
_LONG_CHAR_REF = re.compile(rb"&#(?:[xX][0-9A-Fa-f]{6,}|[0-9]{7,});")
# The bytes given to the regex at once: a body's pieces are rewritten one at a time (re.sub builds a
# list of every piece it keeps: a 50 MB body of 10 million references held 1.4 GB).
_REF_PIECE = 1 << 20
_MAX_REF_BYTES = 3 + 64 + 1  # "&#x", the digits, ";"


def _xml_char(code: int) -> bool:
    """Whether XML 1.0 allows the character (a reference to any other is not well-formed)."""
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF


def _fix_ref(m: re.Match[bytes]) -> bytes:
    ref = _CHAR_REF.fullmatch(m.group())
    if ref is None:  # over 64 digits: not a reference `_CHAR_REF` reads either
        return m.group()
    code = int(ref.group(1), 16) if ref.group(1) else int(ref.group(2))
    return m.group() if _xml_char(code) else b"&#xFFFD;"


def _fix_char_refs(body: bytes) -> bytes:
    """Numeric character references to what no text can hold (a surrogate, past U+10FFFF, a NUL) as
    U+FFFD: feedparser's loose parser raised on them (UnicodeEncodeError, ValueError, OverflowError),
    so one `&#xD800;` in one title lost the whole feed (and lxml raised UnicodeDecodeError on one in a sitemap)."""
    if b"&#" not in body:
        return body
    out, start = [], 0
    while start < len(body):
        end = min(len(body), start + _REF_PIECE)
        if end < len(body):
            # A reference holds no "&": one that runs past the cut starts at its last "&".
            amp = body.rfind(b"&", max(start, end - _MAX_REF_BYTES), end)
            end = amp if amp > start else end
        piece = _BAD_CHAR_REF.sub(b"&#xFFFD;", body[start:end])
        out.append(_LONG_CHAR_REF.sub(_fix_ref, piece))
        start = end
    return b"".join(out)


def _within_budgets(spec: SourceSpec, body: bytes) -> tuple[bytes, str | None]:
    """The feed cut before the item where it runs past one of its budgets (its MAX_FEED_TAGS + 1st
    tag, MAX_FEED_REFS + 1st character or entity reference, MAX_FEED_ATTRIBUTES + 1st attribute, or
    an element of more than MAX_FEED_ELEMENT_ATTRIBUTES attributes), with a warning: feedparser
    keeps the items before an unclosed end. The body itself when it stays within them; (b"", why)
    when one runs out before the feed's first item ends."""
    for what, marks, pattern, most in _FEED_BUDGETS:
        if sum(body.count(m) for m in marks) <= most:
            continue
        over = next(itertools.islice(pattern.finditer(body), most, None), None)
        if over is not None:  # None: marks counted twice (`&lt;` is a tag and a reference)
            body, why = _cut_before_item(spec, body, over.start(), f"more than {most:,} {what}")
            if why:
                return b"", why
    if body.count(b"=") > MAX_FEED_ELEMENT_ATTRIBUTES and (crowded := _CROWDED_TAG.search(body)):
        return _cut_before_item(spec, body, crowded.start(),
                                f"an element of more than {MAX_FEED_ELEMENT_ATTRIBUTES} attributes")  # fmt: skip
    return body, None


def _cut_before_item(spec: SourceSpec, body: bytes, at: int, what: str) -> tuple[bytes, str | None]:
    starts = [m.start() for m in _ITEM_START.finditer(body, 0, at)]
    if len(starts) < 2:  # no item ends before `at`
        return b"", f"the feed holds {what} before its first item ends"
    log.warning("source %s: the feed holds %s; its first %s items are read, the rest left", spec.name, what,
                f"{len(starts) - 1:,}")  # fmt: skip
    return body[: starts[-1]], None


def _first_items(spec: SourceSpec, body: bytes) -> bytes:
    """The feed cut before its item number MAX_FEED_ITEMS + 1 (feedparser keeps the items before an
    unclosed end), with a warning; the body itself when it lists no more."""
    starts = _ITEM_START.finditer(body)
    for n, m in enumerate(starts, 1):
        if n > MAX_FEED_ITEMS:
            rest = 1 + sum(1 for _ in starts)
            log.warning("source %s: the feed lists more than %s items; the first %s are read and %s left "
                        "(the sitemap protocol's limit)", spec.name, f"{MAX_FEED_ITEMS:,}", f"{MAX_FEED_ITEMS:,}",
                        f"{rest:,}")  # fmt: skip
            return body[: m.start()]
    return body


def _feed_urls(*urls: str) -> frozenset[str]:
    """The canonical URLs of the feed itself (as fetched, and as configured before a redirect)."""
    out = set()
    for u in urls:
        with contextlib.suppress(InvalidURL):
            out.add(canonicalize_url(u))
    return frozenset(out)


def _article_url(link: Any, base: str, feed_urls: frozenset[str]) -> str | None:
    """The canonical http(s) URL an item's link names, or None: unusable, not http(s), the feed
    itself (a link of only "#story-3" or "?utm_source=rss" resolves to the feed's own URL once its
    fragment and tracking parameters are gone: it names no article), or a site's home page (a feed
    template that links every item to "/" and names the story in its permalink `<guid>`: the items
    were one entry, the home page, stored as an article, and their stories never read)."""
    if not isinstance(link, str) or not link.strip():
        return None
    try:
        url = _listed_url(link, base)
    except InvalidURL:
        return None
    if not url.startswith(("http://", "https://")) or url in feed_urls or is_home_page(url):
        return None
    return url


def _item_url(item: Any, base: str, feed_urls: frozenset[str]) -> tuple[str | None, bool]:
    """The article URL of a feed item and whether the item named any URL at all.

    In this order: FeedBurner's `feedburner:origLink` (the item's `<link>` is then FeedBurner's
    click tracker, another host that redirects to the article, or no longer answers at all), the
    `<link>` (a `<guid isPermaLink="true">` is one when there is none: feedparser's reading), an
    alternate `<link href>`, then an http(s) `<guid>`/`<id>`. A candidate that is unusable or the
    feed itself gives way to the next one: an item linking to "#story-3" with its permalink in
    `<guid>` was read as the feed's own URL, and every such item as that one entry.
    """
    candidates = [dict.get(item, "feedburner_origlink"), item.get("link")]
    candidates += [x.get("href") for x in item.get("links", []) if x.get("rel", "alternate") == "alternate"]
    ident = item.get("id")
    if isinstance(ident, str) and ident.strip().lower().startswith(("http://", "https://")):
        candidates.append(ident)
    named = False
    for link in candidates:
        if not isinstance(link, str) or not link.strip():
            continue
        named = True
        url = _article_url(link, base, feed_urls)
        if url is not None:
            return url, True
    return None, named


def _parse_feed(spec: SourceSpec, body: bytes, res: FetchResult, base: str, out: Discovery) -> tuple[str, str] | None:
    import feedparser

    # expat (feedparser's strict parser) stops a billion laughs but lets a document grow 100-fold
    # through its entities: 50 MB of feed (50 KB gzipped) would become 5 GB of titles. Feeds need
    # no declared entities (HTML ones such as &eacute; are known to feedparser without a DTD).
    # The internal subset goes whenever there is one (whatever another parser makes of it); lxml then
    # checks that nothing is declared (it also reads UTF-16, which the bytes search cannot).
    body = _ascii_compatible_label(body)
    stripped = _without_internal_subset(body)
    if stripped is not None:
        log.info("source %s: the feed's internal DTD subset was removed: its entities are not expanded", spec.name)
        body = stripped
    declared = _declared_entities(body)
    if declared:
        return ("malformed_feed", f"the feed has {declared} XML entity declaration{'s' if declared != 1 else ''}; "
                                  "entities are not expanded and the feed cannot be read without them")

    body, too_much = _within_budgets(spec, _first_items(spec, body))
    if too_much:
        return ("malformed_feed", too_much)
    headers = {"content-location": base}
    if res.content_type:
        headers["content-type"] = res.content_type
    # A stream, never the bytes: feedparser.parse(bytes) first tries open(bytes) as a file name, so
    # a body of "/dev/zero" read until memory ran out and one naming a local feed gave its entries.
    try:
        parsed = feedparser.parse(io.BytesIO(_fix_char_refs(body)), response_headers=headers, sanitize_html=True,
                                  resolve_relative_uris=True)  # fmt: skip
    except (ValueError, OverflowError, UnicodeError, RecursionError) as exc:
        # What _fix_char_refs cannot see (a UTF-16 feed's references) must not lose the fetch's record.
        return ("malformed_feed", f"unreadable feed ({type(exc).__name__}: {exc})"[:300])
    if not parsed.entries:
        if parsed.bozo:
            return ("malformed_feed", f"{type(parsed.bozo_exception).__name__}: {parsed.bozo_exception}"[:300])
        if not parsed.get("version"):  # an empty body's result has no 'version' key: .version raised
            return ("malformed_feed", "not an RSS or Atom document")
    if parsed.bozo:
        # Lenient parsing recovered entries; keep them but say so in the log.
        log.info("source %s: feed is not well-formed (%s); %d entries recovered", spec.name,
                 parsed.bozo_exception, len(parsed.entries))  # fmt: skip
    full = spec.options.get("full_content", "auto")
    if full not in ("auto", True, False):
        raise ConfigError(f"source {spec.name!r}: full_content must be auto, true or false, not {full!r}")
    unlisted = 0
    feed_urls = _feed_urls(base, spec.url)
    region = feed_region(parsed.feed.get("language"))
    for item in parsed.entries:
        url, named = _item_url(item, base, feed_urls)
        if url is None:
            unlisted += named
            continue
        title = listed_title(item.get("title"))
        published, note = None, None
        for key in ("published", "updated", "created"):
            # dict.get: feedparser's own get maps a missing "updated" to "published" (deprecated, warns)
            published, why = _struct_to_dt(dict.get(item, f"{key}_parsed"), "feed", dict.get(item, key), region)
            note = note or why
            if published is not None:
                break
        entry = Entry(source=spec.name, url=url, title=title, published=published, date_note=note)
        if full is not False:
            page = _feed_entry_body(item, title, url, published)
            if page is not None:
                entry.body, entry.content_type = page, "text/html; charset=utf-8"
        out.entries.append(entry)
    _log_unlisted(spec, unlisted, "feed entries")
    return None



JSON_FEED_VERSION = "https://jsonfeed.org/version/"


# What JSON can escape and XML 1.0 cannot hold (`_xml_char`): half a UTF-16 pair ("\ud800", which
# json.loads keeps though no UTF-8 text holds it: a title with one failed the source's staging write,
# a content_html or byline its discovery) and control characters ("\u0000", "\u001b[2J"), which no
# RSS title can bring.
_NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _json_text(value: Any) -> str | None:
    """A non-blank JSON string, what no XML text could hold in it read as U+FFFD (as a reference
    to it in an RSS feed is); None for anything else."""
    if not isinstance(value, str) or not value.strip():
        return None
    return _NOT_XML_CHAR.sub("\ufffd", value)


def _json_feed_authors(item: dict[str, Any]) -> str | None:
    """Version 1.1's `authors` list, else version 1's `author` object, as one byline."""
    people = item.get("authors")
    if not isinstance(people, list):
        people = [item.get("author")]
    names = [n for p in people[:20] if isinstance(p, dict) and (n := _json_text(p.get("name")))]
    return ", ".join(names) or None


def _parse_json_feed(spec: SourceSpec, body: bytes, base: str, out: Discovery,
                     content_type: str | None = None) -> tuple[str, str] | None:
    """A JSON Feed's items as entries, read as RSS items are: `url` (else an http(s) `id`), the
    title, `date_published` (else `date_modified`), and a page when `content_html` or
    `content_text` holds the whole article. feedparser 6.0 reads no JSON."""
    try:
        try:
            doc = json.loads(body)
        except UnicodeDecodeError:
            # JSON is UTF-8 (RFC 8259), but a site writes its JSON Feed as it writes its pages, and says
            # so in the header ("charset=windows-1252"): read as UTF-8 with replacement, every letter
            # past ASCII was U+FFFD. Bytes that are not UTF-8 are read as a page's are (newsdedup.charset:
            # UTF-8 with a stray byte stays UTF-8, a charset they decode under, else detection).
            doc = json.loads(decode_text(body, content_type)[0])
    except (ValueError, RecursionError) as exc:  # digits past Python's int limit are a ValueError too
        return ("malformed_feed", f"not valid JSON ({type(exc).__name__}: {exc})"[:300])
    version = doc.get("version") if isinstance(doc, dict) else None
    if not (isinstance(version, str) and version.startswith(JSON_FEED_VERSION)):
        return ("malformed_feed", f"not a JSON Feed: a JSON {type(doc).__name__} without \"version\": "
                                  f"\"{JSON_FEED_VERSION}1.1\"")
    items = doc.get("items")
    if not isinstance(items, list):
        return ("malformed_feed", f"'items' is not a list but {type(items).__name__}")
    if len(items) > MAX_FEED_ITEMS:
        log.warning("source %s: the feed lists %s items; the first %s are read (the sitemap protocol's limit)",
                    spec.name, f"{len(items):,}", f"{MAX_FEED_ITEMS:,}")
        items = items[:MAX_FEED_ITEMS]
    full = spec.options.get("full_content", "auto")
    unlisted = 0
    feed_urls = _feed_urls(base, spec.url)
    for item in items:
        if not isinstance(item, dict):
            unlisted += 1
            continue
        # `url`, else an http(s) `id` (also when `url` is only "#fragment" of the feed itself)
        ident = _json_text(item.get("id"))
        links = [_json_text(item.get("url"))]
        if ident is not None and ident.lower().startswith(("http://", "https://")):
            links.append(ident)
        url = next((u for link in links if (u := _article_url(link, base, feed_urls)) is not None), None)
        if url is None:
            unlisted += 1
            continue
        title = listed_title(_json_text(item.get("title")))
        published, note = None, None
        for key in ("date_published", "date_modified"):
            raw = item.get(key)
            if not isinstance(raw, str):
                continue
            published, why = _struct_to_dt(None, "feed", raw, feed_region(doc.get("language")))
            note = note or why
            if published is not None:
                break
        entry = Entry(source=spec.name, url=url, title=title, published=published, date_note=note)
        if full is not False:
            html = _json_text(item.get("content_html"))
            if html is None and (text := _json_text(item.get("content_text"))):
                html = "".join(f"<p>{escape(p.strip())}</p>" for p in re.split(r"\n\s*\n", text) if p.strip())
            if html is not None:
                page = _full_content_page(html, _json_feed_authors(item), title, url, published)
                if page is not None:
                    entry.body, entry.content_type = page, "text/html; charset=utf-8"
        out.entries.append(entry)
    _log_unlisted(spec, unlisted, "feed entries")
    return None

# --- sitemaps -----------------------------------------------------------------------------------

# A text sitemap (sitemaps.org, "Text file": one URL a line, nothing else) is refused unless at
# least this share of its non-blank lines are absolute http(s) URLs; the other lines are skipped and
# counted. A hand-made list with a stray note or a relative path keeps its URLs; a page, a README or
# any prose served as text, where URLs are a few lines among many, is refused whole (not one of its
# lines is read as a link). 90%: one line in ten may be off, which no text but a URL list passes.
TEXT_SITEMAP_MIN_URL_SHARE = 0.9


def _local(tag: Any) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _iter_sitemap(body: bytes, content_type: str | None = None) -> tuple[str, list[dict[str, Any]], str | None,
                                                                        str | None]:
    """Parse a sitemap or sitemap index with a streaming parser; return (root, items, error, cut):
    `cut` says why the file was read only in part (more than MAX_SITEMAP_URLS entries or
    MAX_SITEMAP_ELEMENTS elements: the entries before that point are read), else None. `content_type`:
    the header it came with (its charset; see `_sitemap_as_utf8`)."""
    from lxml import etree

    items: list[dict[str, Any]] = []
    root = ""
    body = _fix_char_refs(_ascii_compatible_label(_sitemap_as_utf8(body, content_type)))
    if (junk := _junk_before_root(body)) is not None:
        body = body[junk:]  # a PHP warning before the XML (`sitemap_after_junk`): read from the root on
    # The internal DTD subset goes, as a feed's does (`_parse_feed`): its entities are never expanded, but
    # lxml stopped reading at the first reference to one past its amplification limit (a billion laughs)
    # and the URLs after it were lost without a word.
    if (stripped := _without_internal_subset(body)) is not None:
        body = stripped
    # A bare "&" (a generator's "?id=5&page=2") is the character, as a feed's links keep it (feedparser)
    # and HTML reads it: lxml's recovery dropped "&page" and read "?id=5=2", a URL the site never listed.
    # An HTML entity XML does not know (PHP's htmlentities: "&eacute;", "&rsquo;") is the character it names:
    # lxml dropped it and the rest of its element ("/caf&eacute;" listed "/caf", another page). Any other
    # name is left out alone, as an entity not expanded, not with all that follows it.
    # Not inside a CDATA section, whose "&" is the character as written (`<loc><![CDATA[/a?x=1&y=2]]></loc>`).
    body = b"".join(part if part.startswith(b"<![CDATA[") else _AMPERSAND.sub(_xml_reference, part)
                    for part in _CDATA.split(body))
    locs = body.count(b"<loc>") + body.count(b"<loc ")
    # No entity expansion and no network: sitemap XML is untrusted (billion laughs, XXE).
    ctx = etree.iterparse(io.BytesIO(body), events=("start", "end"), resolve_entities=False,
                          no_network=True, huge_tree=False, recover=True)  # fmt: skip
    depth = 0
    current: dict[str, Any] | None = None
    cut: str | None = None
    elements = 0
    try:
        for event, el in ctx:
            name = _local(el.tag)
            if event == "start":
                elements += 1
                if elements > MAX_SITEMAP_ELEMENTS:
                    cut = f"it holds more than {MAX_SITEMAP_ELEMENTS:,} elements"
                    break
                depth += 1
                if depth == 1:
                    root = name
                elif depth == 2 and name in ("url", "sitemap"):
                    current = {}
                continue
            depth -= 1
            if current is not None and depth >= 2:
                text = (el.text or "").strip()
                if name == "loc" and depth == 2:
                    current["loc"] = text
                elif name == "lastmod" and depth == 2:
                    current["lastmod"] = text
                elif name == "publication_date":
                    current["news_date"] = text
                elif name == "title" and depth >= 3:
                    current["title"] = text
            if depth == 1 and name in ("url", "sitemap"):
                if current and current.get("loc"):
                    if len(items) >= MAX_SITEMAP_URLS:
                        cut = f"it lists more than {MAX_SITEMAP_URLS:,} URLs (the protocol's limit)"
                        break
                    items.append(current)
                current = None
            if depth == 1:
                # Every child of the root is freed once read (a <url> with all it holds), with the
                # siblings before it: freeing only <url>s kept whatever else a sitemap holds.
                el.clear(keep_tail=False)
                parent = el.getparent()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]
    except (etree.XMLSyntaxError, UnicodeError, ValueError) as exc:
        # UnicodeError, ValueError: what _fix_char_refs cannot see (UTF-16) is still only a bad document.
        if not items:
            return root, items, f"{type(exc).__name__}: {exc}"[:300], None
    if cut is None and len(items) < locs and len(ctx.error_log):
        # The parser's recovery stops at some breaks (a second root, a broken tag): the URLs after one
        # were lost and the read counted as whole, with no word in the log.
        first = ctx.error_log[0]
        cut = (f"the XML breaks at line {first.line}, column {first.column} ({first.message.strip()[:120]}); "
               f"{locs - len(items):,} of its {locs:,} <loc> elements unread")
    return root, items, None, cut


# "&" and the reference it starts, if any: a number (of any length: `_fix_char_refs` has put the ones no
# text can hold right) or a name.
_AMPERSAND = re.compile(rb"&(?:(#[0-9]+;|#[xX][0-9A-Fa-f]+;)|([A-Za-z_:][\w.:-]{0,63});)?")
_CDATA = re.compile(rb"(<!\[CDATA\[.*?(?:\]\]>|$))", re.S)  # kept by split(); one left open runs to the end
_XML_NAMES = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})


def _xml_reference(m: re.Match[bytes]) -> bytes:
    """What a sitemap's "&..." is in XML that no DTD declares anything for (see `_iter_sitemap`)."""
    if m.group(1):
        return m.group()
    name = m.group(2)
    if name is None:
        return b"&amp;"
    if name in _XML_NAMES:
        return m.group()
    chars = html5_entities.get(name.decode("ascii", "replace") + ";")
    if chars is None:
        return b""  # an entity not expanded (its declaration, if any, went with the internal subset)
    return "".join(f"&#{ord(c)};" for c in chars).encode("ascii")


def _junk_before_root(body: bytes) -> int | None:
    """Where a sitemap's root starts when a little junk that is no XML prolog comes before it (see
    `newsdedup.fetch.sitemap_after_junk`), else None."""
    if root_head(body.removeprefix(b"\xef\xbb\xbf"), 16).startswith((b"<urlset", b"<sitemapindex")):
        return None
    return sitemap_after_junk(body)


def _iter_text_sitemap(body: bytes, content_type: str | None = None) -> tuple[list[dict[str, Any]], int,
                                                                             str | None, str | None]:
    """Read a text sitemap: (items, lines that are no URL, error, cut), the items and `cut` as
    `_iter_sitemap`'s (a "loc" each, no date). The bytes are read as a page's are (newsdedup.charset)."""
    text = decode_text(body, content_type)[0].removeprefix("\ufeff")
    items: list[dict[str, Any]] = []
    lines = other = 0
    cut: str | None = None
    # One line at a time: text.split() of 50 MB of blank lines was a list of 25 million strings. A line ends
    # in LF, CR LF or CR alone (newline=None): a list saved with old Mac line ends was one line, refused.
    for raw in io.StringIO(text, newline=None):
        line = raw.strip()
        if not line:
            continue
        if URL_LINE.fullmatch(line) is None:
            other += 1
        elif len(items) >= MAX_SITEMAP_URLS:
            cut = f"it lists more than {MAX_SITEMAP_URLS:,} URLs (the protocol's limit)"
            break
        else:
            items.append({"loc": line})
        lines += 1
    if not lines:
        return [], 0, "a text file without a line, not a text sitemap", None
    if lines - other < TEXT_SITEMAP_MIN_URL_SHARE * lines:
        return [], other, (f"not a text sitemap: {other:,} of its {lines:,} non-blank lines are not an absolute "
                           f"http(s) URL"), None  # fmt: skip
    return items, other, None, cut


def _parse_sitemap(spec: SourceSpec, settings: Settings, fetcher: Fetcher | None, body: bytes, base: str,
                   old: SourceState, new: SourceState, out: Discovery, now: datetime,
                   depth: int, limit: int, seen: set[str] | None = None,
                   content_type: str | None = None) -> tuple[str, str] | None:  # fmt: skip
    unlisted = 0
    if sniff(body) == "text":  # a text sitemap: its URLs are read as <loc>s without a <lastmod>
        root = "urlset"
        items, unlisted, err, cut = _iter_text_sitemap(body, content_type)
    else:
        if (junk := _junk_before_root(body)) is not None:
            log.warning("source %s: sitemap %s: %d bytes before its root element passed over (%r): a server's "
                        "warning printed before the XML", spec.name, base, junk, body[:junk][:120])
        root, items, err, cut = _iter_sitemap(body, content_type)
    if cut:
        log.warning("source %s: sitemap %s is read only in part: %s; the %s URLs before that point were read",
                    spec.name, base, cut, f"{len(items):,}")  # fmt: skip
    if err or root not in ("urlset", "sitemapindex"):
        return ("malformed_sitemap", err or f"root element <{root or '?'}> is not urlset or sitemapindex"
                + (f" (nor is one within the first {SITEMAP_JUNK_MAX:,} bytes, past which nothing is read as a "
                   "sitemap's root)" if root else ""))
    lookback = spec.options.get("lookback_days", settings.sitemap_lookback_days)
    if isinstance(lookback, bool) or not isinstance(lookback, int | float) or lookback < 0:
        raise ConfigError(f"source {spec.name!r}: lookback_days must be a non-negative number, not {lookback!r}")
    cutoff = now - timedelta(days=float(lookback)) if lookback else None
    if root == "urlset":
        for it in items:
            published, note = checked_date(it.get("news_date"), "sitemap")
            if published is None:
                published, why = checked_date(it.get("lastmod"), "sitemap")
                note = "; ".join(filter(None, (note, why))) or None
            # The lookback window: old URLs are history, already ingested or never wanted.
            if cutoff is not None and published is not None and published < cutoff:
                continue
            try:
                url = _listed_url(it["loc"], base)
            except InvalidURL:
                unlisted += 1
                continue
            if url.startswith(("http://", "https://")):
                out.entries.append(Entry(source=spec.name, url=url, title=listed_title(it.get("title")),
                                         published=published, date_note=note))  # fmt: skip
            else:
                unlisted += 1
        _log_unlisted(spec, unlisted, "sitemap URLs")
        return None
    # A sitemap index: fetch recent children, each with its own conditional GET.
    if fetcher is None and not depth:
        return ("malformed_sitemap", "nested sitemap index cannot be followed here")
    if fetcher is None or depth >= MAX_SITEMAP_DEPTH:
        # Read, found to be an index and dropped without a word, its state kept as if read.
        return ("malformed_sitemap", f"a sitemap index nested {depth} levels deep (at most {MAX_SITEMAP_DEPTH} "
                f"are followed): its {len(items):,} child sitemap{'s' if len(items) != 1 else ''} not read")
    children = []
    for it in items:
        lastmod = parse_date(it.get("lastmod"))
        if cutoff is not None and lastmod is not None and lastmod < cutoff:
            continue
        try:
            children.append((_listed_url(it["loc"], base), lastmod))
        except InvalidURL:
            unlisted += 1
            continue
    _log_unlisted(spec, unlisted, "child sitemap URLs")
    # Children that changed since they were read (or were never read, or give no date) go first, then the
    # newest, then the one read longest ago. In page order alone, an index of 30 undated monthly children,
    # oldest first, had the same 20 read on every run and the newest ten never ("the rest wait", said the
    # log); 25 dated ones, the same 20 newest. A child read after its <lastmod> is still fetched (with its
    # validators) when the budget allows: a date-only <lastmod> says nothing of the hours after midnight.
    far_past = datetime.min.replace(tzinfo=UTC)
    children.sort(key=lambda c: str((old.children.get(c[0]) or {}).get("read_at") or ""))
    children.sort(key=lambda c: c[1] or far_past, reverse=True)
    children.sort(key=lambda c: _read_since(old.children.get(c[0]), c[1]))
    max_children = spec.options.get("max_sitemaps", MAX_CHILD_SITEMAPS)
    cap = max(settings.max_bytes, SITEMAP_MAX_BYTES)
    # Every sitemap this source reads in a run, the top index included: an index that lists itself,
    # or indexes that list each other, would read the same files again and again (20 children of 20
    # children: 421 fetches a run). The child budget is for the whole tree, not for each index.
    if seen is None:
        seen = {base}
    for n, (child_url, _lastmod) in enumerate(children):
        if child_url in seen:
            continue
        if len(seen) > max_children:
            waiting = [c for c, _ in children[n:] if c not in seen]
            for c in waiting:  # their state stays, read times included: they go first next run
                if c in old.children:
                    new.children[c] = old.children[c]
            log.info("source %s: sitemap index %s: %d sitemaps read this run, %d children wait for a later run "
                     "(those read longest ago first)", spec.name, base, max_children, len(waiting))  # fmt: skip
            break
        seen.add(child_url)
        prev = old.children.get(child_url, {})
        res = fetcher.fetch(child_url, accept="feed", etag=prev.get("etag"),
                            last_modified=prev.get("last_modified"), max_bytes=cap)  # fmt: skip
        out.attempts.extend(res.attempts)
        if res.not_modified:
            new.children[child_url] = {**prev, "read_at": now.isoformat()}  # unchanged as of now
            continue
        if res.error or res.body is None:
            log.info("source %s: child sitemap %s failed: %s", spec.name, child_url, res.error)
            continue  # one bad child does not fail the index; it is retried next run
        child_body = res.body
        if child_body[:2] == b"\x1f\x8b":
            child_body, problem = _gunzip_listing(child_body, cap)
            if problem is not None:
                # The fetch log says 200 for it: only this line says why its URLs never come.
                log.warning("source %s: child sitemap %s skipped: %s: %s", spec.name, child_url, *problem)
                continue
        before = len(out.entries)
        child_err = _parse_sitemap(spec, settings, fetcher, child_body, res.final_url or child_url, old, new,
                                   out, now, depth + 1, limit, seen, res.content_type)  # fmt: skip
        if child_err is not None:
            log.warning("source %s: child sitemap %s skipped: %s: %s", spec.name, child_url, *child_err)
        # Only the newest `limit` entries are kept in the end: keep no more while reading the rest.
        out.entries = _limit(out.entries, limit)
        if child_err is None:
            new.children[child_url] = {"etag": res.etag, "last_modified": res.last_modified,
                                       "entries": len(out.entries) - before, "read_at": now.isoformat()}  # fmt: skip
    return None


def _read_since(prev: dict[str, Any] | None, lastmod: datetime | None) -> bool:
    """Whether a child sitemap was read (its state's `read_at`) after the <lastmod> its index gives it."""
    if not prev or lastmod is None or not isinstance(prev.get("read_at"), str):
        return False
    try:
        read_at = datetime.fromisoformat(prev["read_at"])
    except ValueError:
        return False
    return read_at.tzinfo is not None and read_at >= lastmod


# --- local files --------------------------------------------------------------------------------


def _discover_local_file(spec: SourceSpec, settings: Settings, path: Path, kind: str | None, state: SourceState,
                         limit: int, now: datetime) -> Discovery:  # fmt: skip
    """A local feed, sitemap or single page (handy for demos and tests)."""
    t0, at = time.monotonic(), datetime.now(UTC)
    uri = _file_uri(path)
    cap = max(settings.max_bytes, FEED_MAX_BYTES)  # the same cap as a fetched feed; pages checked below
    out = Discovery(kind=kind or "unknown", state=state)
    st = path.stat()
    stamp = f"{st.st_mtime_ns}:{st.st_size}"
    if state.last_modified == stamp and kind is not None:
        out.not_modified, out.detail = True, f"{_noun(kind)} file unchanged since the last run"
        return out
    try:
        body = read_capped(path, cap)
    except ValueError as exc:
        reason = str(exc)  # too_large or decompression_bomb (a non-regular file was refused above)
        out.attempts.append(_attempt(uri, error=reason, t0=t0, at=at, detail=f"{path} exceeds {cap} bytes"))
        out.error = reason
        return out
    except (OSError, zlib.error, EOFError) as exc:
        out.attempts.append(_attempt(uri, error="read_error", t0=t0, at=at, detail=str(exc)))
        out.error, out.detail = "read_error", str(exc)
        return out
    out.attempts.append(_attempt(uri, nbytes=len(body), t0=t0, at=at))
    res = FetchResult(url=uri, final_url=uri, body=body, content_type=None)
    result = _parse_source_body(spec, settings, None, kind, res, state, limit, now, out)
    if result.error is None:
        result.state.last_modified, result.state.etag = stamp, None
    return result


# A file name is not a URL: '#' and '?' cut it ('a#1.html' and 'a#2.html' were one article, the
# second lost), '%41' reads as 'A' (the page of 'A.html'), 'x:y.html' as a URL of scheme 'x', and a
# name that is not UTF-8 (a Latin-1 archive's 'caf\xe9.html') cannot be spelt: the last two failed the
# whole folder on every run. Its bytes are escaped; names that were fine keep the URL they had.
_REL_SAFE = "/:@!$&'()*+,;=-._~"


def _cursor_text(name: str) -> str:
    """A file name as the source's state (JSON in the warehouse) can hold it: a name that is not UTF-8
    keeps its odd bytes as `\\xe9` (a lone surrogate made the whole run's load fail, every run)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def _rel_url(rel: str) -> str:
    """A relative URL naming exactly the file at `rel` (a path below the folder)."""
    return "./" + quote(os.fsencode(rel), safe=_REL_SAFE)


# A `dir` file changed more recently than this may still be being written (option settle_seconds).
DIR_SETTLE_SECONDS = 2.0


def _discover_dir(spec: SourceSpec, settings: Settings, root: Path, state: SourceState, limit: int) -> Discovery:
    """HTML files under a directory, oldest change first, resuming after the last file read."""
    out = Discovery(kind="dir", state=SourceState.from_dict(state.to_dict()))
    if not root.is_dir():
        out.error, out.detail = "not_a_directory", f"{root} is not a directory"
        return out
    base_url = spec.options.get("base_url")
    if base_url is not None and not isinstance(base_url, str):
        raise ConfigError(f"source {spec.name!r}: base_url must be a string URL")
    # Files have no HTTP header: the declared charset plays its part (a BOM and bytes that are valid
    # UTF-8 still win, <meta charset> comes after it; see newsdedup.charset).
    charset = spec.options.get("charset")
    if charset is not None and (not isinstance(charset, str) or norm_charset(charset) is None):
        raise ConfigError(f"source {spec.name!r}: charset {charset!r} is not a known character encoding")
    content_type = f"text/html; charset={charset.strip()}" if charset else "text/html"
    cur = state.cursor
    after = (int(cur.get("mtime_ns", -1)), str(cur.get("path", "")))
    files = []
    # A link that leads out of the folder is not followed: in a drop folder others can write to, a
    # "p.html" linking to /etc/passwd (or a linked folder of another's files) put that file's bytes
    # into the warehouse for every analyst to read.
    real_root = root.resolve()
    outside: list[str] = []
    special: list[str] = []
    listed_ns = time.time_ns()
    # A file or folder removed or replaced between the listing and its stat (a cleanup job, rsync
    # --delete-after) was a FileNotFoundError out of the source: nothing of the folder read. Skipped
    # and counted in a warning; the file is gone or is read as what replaced it by the next run.
    gone: list[str] = []
    for p in _dir_files(root, gone):
        try:
            st = p.stat()  # one stat a file, following a link: what is read is what was looked at
        except OSError:
            gone.append(p.relative_to(root).as_posix())
            continue
        if not stat.S_ISREG(st.st_mode):
            # A FIFO, socket or device named like a page (`mkfifo story.html` in a drop folder others write
            # to): never opened (a FIFO's reader waits for a writer), but said, as it was skipped in silence.
            special.append(p.relative_to(root).as_posix())
            continue
        if not p.resolve().is_relative_to(real_root):
            outside.append(p.relative_to(root).as_posix())
            continue
        # When the file last changed or arrived: tar x, rsync -a, cp -p and unzip keep an older
        # mtime, and such a file sorted before the cursor was never read; they all set ctime to
        # now (so does a rename into the folder). The cursor keeps its old key name.
        key = (_changed_ns(st, listed_ns), _cursor_text(p.relative_to(root).as_posix()))
        if key > after:
            files.append((key, p))
    if outside:
        log.warning("source %s: %d files skipped: a link leads outside %s (%s)", spec.name, len(outside), root,
                    ", ".join(sorted(outside)[:5]) + (", ..." if len(outside) > 5 else ""))  # fmt: skip
    if special:
        log.warning("source %s: %d names skipped: not regular files (a FIFO, socket or device) in %s (%s)", spec.name,
                    len(special), root, ", ".join(sorted(special)[:5]) + (", ..." if len(special) > 5 else ""))  # fmt: skip
    if gone:
        log.warning("source %s: %d files or folders skipped: gone or unreadable between the listing of %s and their "
                    "reading (%s)", spec.name, len(gone), root,
                    ", ".join(sorted(gone)[:5]) + (", ..." if len(gone) > 5 else ""))  # fmt: skip
    files.sort()
    if not files:
        out.not_modified, out.detail = True, "no new or changed files in the folder"
        return out
    settle = spec.options.get("settle_seconds")
    settle = DIR_SETTLE_SECONDS if settle is None else float(settle)
    for i, (key, p) in enumerate(files[:limit]):
        # A file changed in the last `settle` seconds may still be being written (a copy over the
        # network, scp, an editor saving in pieces): stored then, its first half became the article and
        # its completed copy a known URL. It and every file after it wait for the next run: the cursor
        # must not pass it, or it would never be read once its writer stops.
        if _changing(p, settle):
            out.in_flight, held = _count_changing(files[i:], settle), p
            break
        t0, at = time.monotonic(), datetime.now(UTC)
        uri = _file_uri(p)
        body, error, detail = None, None, None
        try:
            body = read_capped(p, settings.max_bytes)
        except ValueError as exc:  # too_large, decompression_bomb, or replaced since its listing
            error = str(exc)
            detail = (f"{p} is not a regular file any more (replaced since the folder was listed)"
                      if error == "not_a_regular_file" else f"over {settings.max_bytes} bytes")
        except (OSError, zlib.error, EOFError) as exc:
            error, detail = "read_error", str(exc)[:300]
        if _changing(p, settle):  # written to while it was read (a gzip file cut short, say)
            out.in_flight, held = _count_changing(files[i:], settle), p
            break
        out.state.cursor = {"mtime_ns": key[0], "path": key[1]}
        if body is None:
            out.attempts.append(_attempt(uri, error=error, t0=t0, at=at, detail=detail))
            continue
        problem = acceptable("html", "text/html", body)
        if problem:
            out.attempts.append(_attempt(uri, error="unsupported_content_type", nbytes=len(body), t0=t0, at=at,
                                         detail=problem))  # fmt: skip
            continue
        rel = p.relative_to(root).as_posix()
        rel = rel[:-3] if rel.endswith(".gz") else rel
        url = canonicalize_url(_rel_url(rel), base_url.rstrip("/") + "/") if base_url else canonicalize_url(uri)
        out.attempts.append(_attempt(uri, status=None, nbytes=len(body), t0=t0, at=at))
        out.entries.append(Entry(source=spec.name, url=url, body=body, content_type=content_type, fetched_at=at))
    if out.in_flight:
        files_ = "1 file" if out.in_flight == 1 else f"{out.in_flight:,} files"
        # A file rewritten more often than that holds the folder back: the log names it.
        out.detail = (f"{files_} changed in the last {settle:g} s (may still be being written; the first is "
                      f"{_cursor_text(held.relative_to(root).as_posix())[:200]!r}): left for the next run, as is every file "
                      "that changed after")
        log.info("source %s: %s", spec.name, out.detail)
    return out


def _dir_files(root: Path, gone: list[str]) -> list[Path]:
    """The files (and links, and whatever else) under `root` whose names a page may have, listed by
    one walk that follows no link to a folder; a subfolder that vanished or cannot be listed meanwhile
    is added to `gone` (pathlib's rglob raised for one removed in the walk)."""

    def lost(exc: OSError) -> None:
        where = Path(exc.filename or root)
        gone.append(where.relative_to(root).as_posix() + "/" if where.is_relative_to(root) else str(where))

    out: list[Path] = []
    for folder, _dirs, names in os.walk(root, onerror=lost):
        base = Path(folder)
        out += [base / n for n in names if n.lower().endswith(HTML_SUFFIXES)]
    return out


def _changed_ns(st: os.stat_result, now_ns: int) -> int:
    """When a file last changed or arrived, for the folder's cursor: the later of its mtime and ctime,
    but its ctime alone when its mtime is in the future.

    An mtime years ahead (`touch -d`, a camera's or an archive's wrong clock; ctime is the kernel's own)
    moved the cursor to that time, and every file written after it sorted before the cursor and was
    skipped until the clock got there. Its ctime still says when it arrived; when the clock passes its
    mtime it is read once more (a known URL by then)."""
    return st.st_ctime_ns if st.st_mtime_ns > now_ns else max(st.st_mtime_ns, st.st_ctime_ns)


def _count_changing(files: list[tuple[Any, Path]], settle: float) -> int:
    return max(1, sum(_changing(p, settle) for _, p in files))


def _changing(path: Path, settle: float) -> bool:
    """Whether the file was written to in the last `settle` seconds (its mtime; a clock more than
    `settle` ahead cannot tell, and the file is read). A file gone since it was listed is not."""
    try:
        age = time.time() - path.stat().st_mtime
    except OSError:
        return False
    return -settle < age < settle


def _discover_warc(spec: SourceSpec, settings: Settings, path: Path, state: SourceState, limit: int) -> Discovery:
    """HTML response records from a WARC file or a directory of them, resuming at a byte offset."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    out = Discovery(kind="warc", state=SourceState.from_dict(state.to_dict()))
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(WARC_SUFFIXES))
    else:
        files = [path]
    cur = state.cursor
    cur_file, cur_offset = str(cur.get("file", "")), int(cur.get("offset", 0))
    done_files = set(cur.get("done", []))
    # Where the reading of each done file ended (after its last whole record). A crawler still writing
    # the file (wget --warc-file) appends records, or is caught mid-record: a file once read to its
    # end was done for good, and what was written after that run never read. A done file that has
    # grown past its end is read on from there. (A state from before this has no ends: done stays done.)
    done_at: dict[str, int] = {k: int(v) for k, v in (cur.get("done_at") or {}).items()}
    # Files gzipped whole after the crawl (`gzip crawl.warc`: one gzip member, where warcio seeks by
    # the member of each record, read the first record and refused the rest): read as one stream,
    # their offsets counted in uncompressed bytes. Such a file is not appended to: done stays done.
    streamed = set(cur.get("streamed", []))
    cap = settings.max_bytes
    scanned = 0
    budget = max(limit, 1) * WARC_SCAN_FACTOR

    def cursor(file: str, offset: int) -> dict[str, Any]:
        c = {"file": file, "offset": offset, "done": sorted(done_files), "done_at": dict(sorted(done_at.items()))}
        return {**c, "streamed": sorted(streamed)} if streamed else c

    def full() -> bool:
        return len(out.entries) >= limit or scanned >= budget

    for f in files:
        name = _cursor_text(f.as_posix())
        grown = False
        if name in done_files:
            try:
                grown = name not in streamed and name in done_at and f.stat().st_size > done_at[name]
            except OSError:
                grown = False
            if not grown:
                continue
        if full():
            break
        start = done_at[name] if grown else cur_offset if name == cur_file else 0
        pos = good_end = start  # where the next record starts; the end of the last whole record read
        finished = read_any = unopened = False
        resyncs = 0
        while True:
            if name not in streamed:
                with contextlib.suppress(OSError):
                    if not 0 <= pos <= f.stat().st_size:
                        pos = good_end = 0  # a cursor this file no longer fits: replaced, or a bad state
                if pos == 0 and _whole_gzip(f):
                    streamed.add(name)  # read as one stream from its start
            stream = name in streamed
            try:
                fh = gzip.open(f, "rb") if stream else f.open("rb")  # noqa: SIM115 - closed by the `with` below
            except OSError as exc:
                out.attempts.append(_attempt(_file_uri(f), error="read_error", t0=time.monotonic(),
                                             at=datetime.now(UTC), detail=str(exc)))  # fmt: skip
                unopened = True
                break
            failure: BaseException | None = None
            with fh:
                try:
                    fh.seek(pos)  # a gzip stream seeks forward by reading; past its end it stays at the end
                    # An uncompressed record's length leaves out the blank lines after it: the next
                    # record starts past them (warcio read them as a record of no type).
                    while fh.peek(1)[:1] in (b"\r", b"\n"):
                        fh.read(1)
                    # ARC records get WARC headers (their URL); HTTP heads are read by `_read_http_head`.
                    it = ArchiveIterator(fh, arc2warc=True, no_record_parse=True)
                    for rec in it:
                        read_any = True
                        if rec.rec_type in ("response", "resource"):
                            scanned += 1
                            _warc_record(spec, rec, cap, out, *_read_http_head(rec))
                        # warcio's offsets are positions in what it reads (it starts from fh.tell()), so
                        # the next run can seek straight to the next record: each is its own gzip member.
                        it.read_to_end()
                        end = it.get_record_offset() + it.get_record_length()
                        if end <= good_end:
                            raise ValueError(f"a record ends at {end:,}, before where it starts")
                        pos = good_end = end
                        if full():
                            break
                    else:
                        finished = True
                        if not read_any and start == 0 and f.stat().st_size > 0:
                            raise ArchiveLoadFailed("no WARC records found")
                except Exception as exc:  # noqa: BLE001 - warcio raises AttributeError and more on broken records
                    failure = exc
                    finished = False
            if failure is None:
                break
            # Skip the record that failed: read on from the next record's start, if any. A file cut in
            # its last record (a crawler still writing it) has none: it is done up to there, and read on
            # from there once it grows.
            nxt = None if stream and _gzip_error(failure) else _next_record(f, stream, good_end)
            what = f"{type(failure).__name__}: {failure}"[:240]
            if nxt is None or resyncs >= WARC_MAX_SKIPS:
                out.attempts.append(_attempt(_file_uri(f), error="malformed_warc", t0=time.monotonic(),
                                             at=datetime.now(UTC), detail=what))  # fmt: skip
                finished = nxt is None
                break
            out.attempts.append(_attempt(_file_uri(f), error="malformed_warc", t0=time.monotonic(),
                                         at=datetime.now(UTC), detail=f"{what}; bytes {good_end:,}-{nxt:,} skipped"))  # fmt: skip
            resyncs += 1
            pos = good_end = nxt
        if unopened:
            continue  # the cursor stays as it was: the file is tried again by the next run
        if finished:
            done_files.add(name)
            done_at[name] = good_end
            out.state.cursor = cursor("", 0)
        else:  # stopped at the run's limit, or at the skips' bound
            done_files.discard(name)  # a grown file is read on like an unfinished one
            done_at.pop(name, None)
            out.state.cursor = cursor(name, good_end)
    if not out.entries and not any(a.error is None for a in out.attempts) and not out.attempts:
        out.not_modified, out.detail = True, "no new WARC records"
    return out


# HTTP/2 and /3 captures (browser-driven crawlers) write their version as one digit: "HTTP/2 200".
_HTTP_PROTOCOL = re.compile(r"HTTP/\d(?:\.\d)?", re.I)
_HTTP_STATUS = re.compile(r"\d{3}")


def _header_values(heads: Any, name: str) -> list[str]:
    """Every value of header `name` (lower case) in a warcio header block, in order (its `get_header` gives the first)."""
    return [v for k, v in heads.headers if k.lower() == name]


def _record_problem(rec: Any, head_ended: bool, head_nul: bool = False) -> tuple[str, str] | None:
    """Why an archived response is no whole page a browser would show (an error and its detail), read from
    its WARC and HTTP headers alone; None when it may be one.

    warcio reads the block of every response record with an http(s) target as an HTTP response, leniently:
    a block that is the page itself (a tool writing `Content-Type: text/html` response records) or a head
    whose status line is no HTTP one gave a page of no status, stored, or an "unsupported content type" of
    what was a page. A record the crawler cut (`WARC-Truncated`, Heritrix's size and time limits; or a
    payload shorter than its own Content-Length: the connection lost mid-body) is half a page: it was
    stored as a whole one, where the network path refuses a body shorter than its length. A block whose HTTP
    head never ends (no empty line: the page's lines read as header lines; `head_ended`, from
    `_read_http_head`) was stored as an empty page, refused by the clean step as `empty_document`;
    on the network it is no response (h11 waits for the head's end). A head holding a NUL (`head_nul`) or
    naming a transfer coding but chunked (`gzip, chunked`) is refused as the fetch refuses it off the network
    (Chromium refuses both): warcio drops a line of a NUL and keeps one inside a value, and the page was stored;
    `gzip, chunked` was "gzip content", or the page where the crawler stored it decoded."""
    heads = rec.http_headers
    cut = rec.rec_headers.get_header("WARC-Truncated")
    if cut is not None:
        return "truncated_record", f"WARC-Truncated: {without_controls(cut)[:60]!r}: the crawler kept part of the response"
    if heads is None:
        return None
    code = heads.get_statuscode() or ""
    if not (_HTTP_PROTOCOL.fullmatch(heads.protocol or "") and _HTTP_STATUS.fullmatch(code)):
        first = without_controls(f"{heads.protocol} {heads.statusline}".strip()) or ""
        return "malformed_warc", (f"the response record's block is no HTTP response (its first line {first[:80]!r}; "
                                  f"WARC Content-Type {without_controls(rec.content_type or '')!r})")  # fmt: skip
    te = _header_values(heads, "transfer-encoding")
    if any(c.strip(" \t").lower() not in ("chunked", "identity", "") for v in te for c in v.split(",")):
        shown = without_controls(", ".join(v.strip() for v in te)) or ""
        return "unsupported_transfer_encoding", (f"Transfer-Encoding {shown[:80]!r}: no browser reads a transfer "
                                                 "coding but chunked, and the fetch refuses it (RFC 9112 §7)")  # fmt: skip
    if code == "200" and not head_ended:
        return "malformed_warc", (f"the response's HTTP head never ends (no empty line in its {heads.total_len:,}-byte "
                                  "block): no body archived")  # fmt: skip
    if head_nul:
        return "malformed_warc", ("the response's HTTP head holds a NUL byte, which no browser reads (the fetch "
                                  "refuses it off the network)")  # fmt: skip
    said = _header_values(heads, "content-length")
    lengths = {v.strip(" \t") for v in said}
    chunked = bool(_header_values(heads, "transfer-encoding"))
    if said and not chunked and code[0] != "1" and code not in ("204", "304") and not valid_content_length(
            [v.encode("latin-1", "replace") for v in said]):  # fmt: skip
        # As our fetch reads the same response off the network (`transport._content_length`): a length that
        # is no length frames no body (RFC 9112 §6.3), and whatever the crawler kept is no page we can vouch for.
        shown = without_controls(", ".join(v.strip() for v in said)) or ""
        return "invalid_content_length", f"Content-Length {shown[:80]!r} is no length of the body (RFC 9112 §6.3)"
    # Only a page is judged so: a 304 or a HEAD's answer names a length it never sends (and is no page anyway).
    if (code == "200" and len(lengths) == 1 and (length := lengths.pop()).isdigit() and not chunked
            and 0 <= rec.payload_length < int(length)):  # fmt: skip
        return "truncated_record", f"{rec.payload_length:,} bytes of its Content-Length {int(length):,} archived"
    return None


def _record_payload(rec: Any, cap: int) -> tuple[bytes, str | None, str | None]:
    """A record's payload as a browser reads the archived response (the body, an error and its detail).

    warcio's `content_stream` dechunks only a Transfer-Encoding that is exactly `chunked` (`Chunked` left
    the chunk sizes inside the stored page) and decodes one coding it knows: `x-gzip` (gzip's old name, which
    our fetch reads) and `gzip, gzip` were refused as gzip content, and a coding it cannot read (`br`,
    `zstd`) was the compressed bytes, refused as binary or, a NUL short, stored as a page of mojibake. The
    codings are undone as a fetched body's (`fetch.decode_capped`, bounded by `cap`); a coding no fetch reads
    is `unsupported_content_encoding`, as on the network. A payload the crawler stored decoded under its
    coding's header (browser-driven crawlers do) is its page, as warcio read it."""
    from warcio.bufferedreaders import ChunkedDataReader

    heads = rec.http_headers
    values = [] if heads is None else [(k.lower(), v.lower()) for k, v in heads.headers]
    codings = content_codings([v for k, v in values if k == "content-encoding"])[0]
    unknown = [c for c in codings if c not in READ_CODINGS]
    if unknown:
        return b"", "unsupported_content_encoding", f"Content-Encoding {unknown[0][:40]}"
    chunked = any("chunked" in (c.strip() for c in v.split(",")) for k, v in values if k == "transfer-encoding")
    # Falls back to the raw bytes; its chunk lines ended as warcio takes them (`_ChunkLinesStream`).
    stream = ChunkedDataReader(_ChunkLinesStream(rec.raw_stream)) if chunked else rec.raw_stream
    raw = stream.read(cap + 1)
    if len(raw) > cap:
        return b"", "too_large", f"record over {cap} bytes"
    if not codings:
        return raw, None, None
    try:
        return decode_capped(raw, codings, cap), None, None
    except ValueError:
        return b"", "decompression_bomb", f"decoded record over {cap} bytes"
    except EOFError as exc:
        return b"", "truncated_record", f"{exc}: the archived body is cut"
    except zlib.error as exc:
        if sniff(raw) in ("html", "markup"):
            return raw, None, None  # stored decoded, its header kept
        return b"", "bad_encoding", f"corrupt {'+'.join(codings)} body: {exc}"


class _ChunkLinesStream:
    """A chunked payload with its chunk lines ended by CR LF and its trailer lines dropped
    (`transport.ChunkLines`), for warcio's `ChunkedDataReader`.

    warcio takes a chunk size line ended by CR LF only and no trailer field after the last chunk; short of
    that it reads the rest as not chunked, and a payload whose chunk lines end in LF alone (read by browsers
    and by our fetch) or that has trailers (`X-Checksum: ...`) was stored with its chunk sizes, its
    last-chunk and its trailers inside the page. A payload that is no chunked body passes as it came."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self._lines = ChunkLines(trailers=False)
        self._buf = bytearray()
        self._end = False

    def _fill(self, want: int, line: bool = False) -> None:
        while not self._end and len(self._buf) < want and not (line and b"\n" in self._buf):
            data = self._raw.read(65536)
            self._end = not data
            self._buf += self._lines.feed(data)

    def read(self, size: int = -1) -> bytes:
        self._fill(sys.maxsize if size is None or size < 0 else size)
        n = len(self._buf) if size is None or size < 0 else size
        out = bytes(self._buf[:n])
        del self._buf[:n]
        return out

    def readline(self, size: int = -1) -> bytes:
        limit = sys.maxsize if size is None or size < 0 else size
        self._fill(limit, line=True)
        end = self._buf.find(b"\n")
        n = min(limit, len(self._buf) if end < 0 else end + 1)
        out = bytes(self._buf[:n])
        del self._buf[:n]
        return out


def _warc_record(spec: SourceSpec, rec: Any, cap: int, out: Discovery, head_ended: bool, head_nul: bool) -> None:
    """One response or resource record: an attempt, and an entry when it is an HTML page (`head_ended`:
    see `_read_http_head`)."""
    t0, at = time.monotonic(), datetime.now(UTC)
    # A target's user:password never reaches the warehouse, as a fetched URL's does not (`split_credentials`):
    # a crawl of a site behind Basic auth archives `https://user:pw@host/...`, and fetch_log kept it as written.
    target = strip_credentials(rec.rec_headers.get_header("WARC-Target-URI") or "")
    status, error, detail = None, None, None
    heads = rec.http_headers if rec.http_headers is not None else rec.rec_headers
    # Read as a fetched response's is (`fetch.content_type_of`, `without_controls`): a record's type sent
    # twice took the first (a browser, and our fetch, take the last), and a C1 control in it (a terminal's
    # CSI) was stored in raw_pages as archived.
    ctype = without_controls(content_type_of(_header_values(heads, "content-type")))
    if rec.http_headers is not None and _HTTP_STATUS.fullmatch(code := rec.http_headers.get_statuscode() or ""):
        status = int(code)
    problem = _record_problem(rec, head_ended, head_nul)
    if problem is not None:
        error, detail = problem
    elif status == 200:  # an error status is named first, as a fetch names it
        detail = attachment(_header_values(heads, "content-disposition"))
        error = "attachment" if detail else None
    body = b""
    if error is not None:
        pass
    elif status is not None and status != 200:
        error = f"http_{status}"
    else:
        body, error, detail = _record_payload(rec, cap)
        if error is None:
            detail = acceptable("html", ctype, body)
            error = "unsupported_content_type" if detail else None
    try:
        url = _listed_url(target, None)  # held to the limit a feed's links are: re-checks fetch it
    except InvalidURL as exc:
        error, detail, url = "invalid_url", str(exc), target
    out.attempts.append(FetchAttempt(url=target, final_url=target, status=status, error=error, bytes=len(body),
                                     elapsed_ms=round((time.monotonic() - t0) * 1000, 1), attempt=1, fetched_at=at,
                                     detail=detail))  # fmt: skip
    if error is None:
        # the archived response as it was: its header (charset), status and fetch time
        fetched, note = checked_date(rec.rec_headers.get_header("WARC-Date"), "warc")
        out.entries.append(Entry(source=spec.name, url=url, body=body, content_type=ctype, http_status=status,
                                 fetched_at=fetched, date_note=note))


class _HeadLines:
    """A record's block as warcio's head parser reads it (a line at a time), counting the bytes read and
    keeping the last line; its status line read as our fetch reads one off the network.

    A crawler archives the bytes a server sent. Our fetch skips line breaks before a status line and reads
    it as browsers do (`transport.status_line`: up to 4 bytes of junk before `http`, any case, `200OK`), and
    warcio's parser read none of them: the same response was a page fetched and `malformed_warc` archived."""

    # The longest first line that may be junk before a status line on the next (4 bytes and a CR LF).
    _JUNK_LINE = 6

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.read = 0
        self.last = b""
        self.nul = False  # a line read held a NUL byte
        self._queued: list[bytes] = []
        self._first = True

    def restart(self) -> None:
        """Read the next line as a status line (the response after an interim answer)."""
        self._first = True

    def _line(self, *args: Any) -> bytes:
        line = self._stream.readline(*args)
        self.read += len(line)
        return line

    def readline(self, *args: Any) -> bytes:
        if self._queued:
            line = self._queued.pop(0)
        elif self._first:
            self._first = False
            line = self._line()
            while line and not line.strip(b"\r\n"):
                line = self._line()  # line breaks before a status line (RFC 9112 §2.2)
            lines = [line]
            if 0 < len(line) <= self._JUNK_LINE and line.endswith(b"\n"):
                lines.append(self._line())
            joined = b"".join(lines)
            fixed = status_line(joined)
            if fixed != joined:
                line = fixed
            else:
                line, self._queued = lines[0], lines[1:]
        else:
            line = self._line(*args)
        self.last = line
        # After the status line's junk, which the fetch skips (`transport.status_line`) NULs and all.
        self.nul = self.nul or b"\0" in line
        return line


def _interim(code: str | None) -> bool:
    """Whether a status is an interim answer a client passes over (1xx but 101, which changes protocol)."""
    return bool(code) and len(code) == 3 and code.isdigit() and code[0] == "1" and code != "101"


def _read_http_head(rec: Any) -> tuple[bool, bool]:
    """Read a response record's HTTP head as warcio reads it (its `StatusAndHeadersParser`, which
    `ArchiveIterator` runs unless told `no_record_parse`), setting `http_headers` and `payload_length`
    as it does; whether the head ended on an empty line (False when it ran to the block's end), and whether
    a line of it held a NUL byte (which warcio drops with its line, or keeps in a value).

    warcio reads a head that never ends to the end of its block and says nothing of it, alike for a head
    that ended on the block's last line (a 200 of no body): the parser stops at an empty line or at the
    end, and which one it met is the last line it was handed. Read here once, in the same pass."""
    from warcio.statusandheaders import StatusAndHeadersParser

    target = rec.rec_headers.get_header("WARC-Target-URI")
    if rec.rec_type == "response" and target is None:
        # warcio's parser failed on it (AttributeError): the record is skipped as malformed, as it was.
        raise ValueError("a response record without WARC-Target-URI")
    # A scheme in any case (RFC 3986 §3.1: `HTTP://HOST/`, as a crawler may write a link's URL as it found it):
    # warcio's own test is case-sensitive, and such a record's HTTP head was read as its page, refused as
    # "application/http with html content".
    if rec.rec_type != "response" or rec.length == 0 or not (target or "").lower().startswith(("http:", "https:")):
        return True, False  # no HTTP head: warcio parses none either (a length it cannot read is 0 to it)
    lines = _HeadLines(rec.raw_stream)
    parser = StatusAndHeadersParser(["HTTP/1.0", "HTTP/1.1"], verify=False)
    rec.http_headers = parser.parse(lines)
    # Interim answers (`100 Continue`, `103 Early Hints`, which CDNs send before the page) archived before the
    # response, as a crawler recording the connection's bytes keeps them: passed over, as our fetch passes them
    # over (`transport._Stream._heads`). The record was `http_103`, its page lost.
    while _interim(rec.http_headers.get_statuscode()) and lines.last and not lines.last.strip(b"\r\n"):
        lines.restart()
        try:
            rec.http_headers = parser.parse(lines)
        except EOFError:  # nothing after it: the interim answer is all the record holds
            break
    rec.payload_length = rec.length - lines.read if rec.length else -1
    return lines.last != b"", lines.nul


def _whole_gzip(path: Path) -> bool:
    """Whether a WARC is gzipped whole (`gzip crawl.warc`): one gzip member from its start to its end
    that holds more than one record, not a member per record. Reads the first member through,
    keeping none of its output. (A file of one record, which a crawler may still append to, is not.)"""
    d = zlib.decompressobj(31)
    second, tail = False, b""  # a record that starts after a line break: not the file's first
    try:
        with path.open("rb") as fh:
            while not d.eof and (chunk := fh.read(1 << 20)):
                while chunk and not d.eof:
                    data = tail + d.decompress(chunk, 1 << 20)
                    second = second or _LATER_RECORD.search(data) is not None
                    tail, chunk = data[-_LATER_RECORD_SPAN:], d.unconsumed_tail
            return d.eof and second and not d.unused_data and not fh.read(1)
    except (OSError, zlib.error):
        return False


# A record's first line after a line break: a WARC version line, or an ARC header line ("URL IP-address
# 14-digit-date ..."; ARC files gzipped whole were read as one record). The span is what a chunk keeps
# of the one before, so a line cut between two chunks is still found (URLs of ARC lines up to ~4 kB).
_LATER_RECORD = re.compile(rb"\n(?:WARC/1\.|[A-Za-z][A-Za-z0-9+.-]{0,15}://\S{1,4000} \S{1,64} \d{14} )")
_LATER_RECORD_SPAN = 4200


def _gzip_error(exc: BaseException) -> bool:
    """A failure of the decompression itself: a gzip stream cannot be read on past it."""
    return isinstance(exc, (zlib.error, EOFError, gzip.BadGzipFile))


# The start of a record in a WARC read as it is stored: a gzip member (a record each) or, uncompressed,
# a "WARC/1.x" version line at the start of a line.
_GZIP_MEMBER, _WARC_LINE = b"\x1f\x8b\x08", b"\nWARC/1."


def _next_record(path: Path, stream: bool, after: int) -> int | None:
    """Where the first record that starts after `after` begins (None: no other), found by its first
    bytes. A match inside a record's data fails again and is skipped in turn."""
    opener = gzip.open if stream else open
    gz = not stream and path.name.lower().endswith(".gz")
    marker = _GZIP_MEMBER if gz else _WARC_LINE
    lead = 0 if gz else 1  # the record starts after the line break
    try:
        with opener(path, "rb") as fh:
            fh.seek(after)
            while fh.peek(1)[:1] in (b"\r", b"\n"):  # the blank lines before the failed record
                fh.read(1)
            fh.read(1)  # its first byte
            offset, tail = fh.tell(), b""
            while chunk := fh.read(1 << 20):
                data = tail + chunk
                if (i := data.find(marker)) >= 0:
                    return offset - len(tail) + i + lead
                tail = data[-(len(marker) - 1):]
                offset += len(chunk)
    except (OSError, EOFError, zlib.error):
        return None
    return None


__all__ = ["Discovery", "SourceState", "discover", "parse_date", "plain_text"]
