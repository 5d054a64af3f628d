"""Property-based tests (hypothesis) for the parsers that see untrusted input: dates from feeds,
sitemaps, WARC headers and JSON-LD, sitemap and feed documents, and the page decoder. Whatever they
are given, no exception escapes, and the outcome is the documented one: a plausible UTC date or none
(with the reason when a date was given but no article can carry it), entries with http(s) URLs."""

from __future__ import annotations

import re
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsdedup.charset import decode
from newsdedup.clean import dates as page_dates
from newsdedup.clean import settings as clean_settings
from newsdedup.config import Settings, SourceSpec
from newsdedup.fetch import Fetcher
from newsdedup.sources import checked_date, discover, parse_date

NOW = datetime.now(UTC)
LATEST = NOW + timedelta(hours=clean_settings.FUTURE_SLACK_HOURS, minutes=5)
PROPS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW_PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any instant datetime can hold, in any whole-minute UTC offset datetime allows: year 1 and 9999,
# offsets that push a value past datetime.min/max when converted to UTC.
offsets = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(
    lambda m: timezone(timedelta(minutes=m)))
any_datetime = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59),
                            timezones=st.none() | offsets)
# Text that looks like a date often enough to reach the parsers' deeper branches.
date_like = st.one_of(
    st.text(max_size=60),
    any_datetime.map(lambda d: d.isoformat()),
    any_datetime.map(lambda d: d.strftime("%a, %d %b %Y %H:%M:%S ") + (d.strftime("%z") or "GMT")),
    st.from_regex(r"\A[0-9]{1,5}-[0-9]{1,2}-[0-9]{1,2}(T[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:?[0-9]{2})?)?\Z"),
    st.integers(min_value=-10**12, max_value=10**13).map(str),
)


def _assert_usable(when: datetime | None) -> None:
    if when is not None:
        assert when.tzinfo is not None and when.utcoffset() == timedelta(0)
        assert when.year >= clean_settings.MIN_YEAR and when <= LATEST


@PROPS
@given(date_like)
@example("0001-01-01T00:00:00Z")
@example("9999-12-31T23:59:59-05:00")
@example("0001-01-01T00:00:00+14:00")
@example("Fri, 31 Dec 9999 23:59:59 -1400")
def test_feed_and_sitemap_dates_are_a_usable_date_or_none_with_a_reason(text: str) -> None:
    when, note = checked_date(text, "sitemap")
    _assert_usable(when)
    assert parse_date(text) == when
    if when is not None:
        assert note is None
    if note is not None:
        assert note.startswith("sitemap date ") and " ignored: " in note


@PROPS
@given(any_datetime)
def test_every_instant_is_kept_exactly_or_ignored_with_a_reason(when: datetime) -> None:
    got, note = page_dates.check_date(when, "feed", when.isoformat())
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    # An instant past datetime's range in UTC is "in the future" or "out of range": never an exception.
    if got is None:
        assert note and note.startswith("feed date ") and note.split(" ignored: ")[1] in (
            f"before {clean_settings.MIN_YEAR}", "in the future", "out of range")
    else:
        assert note is None and got == aware and got.utcoffset() == timedelta(0)
        _assert_usable(got)
    iso, _ = checked_date(when.isoformat(), "feed")
    assert (iso is None) == (got is None) and (iso is None or iso == got)


@PROPS
@given(st.one_of(date_like, st.integers(), st.floats(), st.booleans(), st.none(),
                 st.lists(date_like, max_size=3), st.dictionaries(st.just("@value"), date_like)))
def test_page_metadata_dates_are_plausible_or_none(value: object) -> None:
    """clean.dates.parse_date reads JSON-LD and meta values (strings, numbers, lists, @value objects)."""
    when = page_dates.parse_date(value)
    if when is not None:
        aware = when if when.tzinfo else when.replace(tzinfo=UTC)
        assert when.year >= clean_settings.MIN_YEAR and aware <= LATEST


def _jsonld_page(value: str) -> str:
    return ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", "datePublished": '
            f'"{value}"}}</script></head><body><article><h1>A headline long enough</h1><p>'
            + "The council approved the budget after a long debate about roads and buses. " * 3
            + "</p></article></body></html>")


@SLOW_PROPS
@given(date_like.filter(lambda t: '"' not in t and "\\" not in t and "<" not in t))
@example("9999-12-31T23:59:59-05:00")
@example("0001-01-01")
@example("1;1;0T00-3000")  # dateutil: a UTC offset of -30 hours, which utcoffset() refuses
def test_jsonld_dates_on_a_page(value: str) -> None:
    from newsdedup.clean import extract

    ex = extract(_jsonld_page(value), "https://news.test/a")
    assert ex.error is None
    if ex.published is not None:
        aware = ex.published if ex.published.tzinfo else ex.published.replace(tzinfo=UTC)
        assert ex.published.year >= clean_settings.MIN_YEAR and aware <= LATEST
    if ex.date_note is not None:
        assert ex.date_note.startswith("page date ") and " ignored: " in ex.date_note


def _discover_file(name: str, body: bytes) -> object:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(body)
        s = Settings(sitemap_lookback_days=0)  # no lookback: every dated URL is listed
        with Fetcher(s) as f:
            return discover(SourceSpec("prop", str(path)), s, f)


def _check_entries(d: object) -> None:
    assert d.error is None or isinstance(d.detail, str | None)
    for e in d.entries:
        # a feed or sitemap lists web pages; markup that is neither is a local page, listed as itself
        assert e.url.startswith(("http://", "https://")) or (d.kind == "page" and e.url.startswith("file://"))
        _assert_usable(e.published)
        assert e.title is None or isinstance(e.title, str)


text_field = st.text(max_size=40)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(value: str, quote: bool = False) -> str:
    """Any text as XML character data: characters XML forbids (NUL, U+FFFE) dropped, the rest escaped.
    (Bytes that are not XML at all are `test_arbitrary_bytes_as_a_feed_file`'s.)"""
    return escape(_NOT_XML.sub("", value), {'"': "&quot;"} if quote else {})


@SLOW_PROPS
@given(st.lists(st.tuples(text_field, date_like, date_like, text_field), max_size=8))
@example([("https://news.test/a", "0001-01-01", "9999-12-31T23:59:59-05:00", "Old")])
def test_sitemap_documents(items: list[tuple[str, str, str, str]]) -> None:
    urls = "".join(
        f"<url><loc>{_x(loc)}</loc><lastmod>{_x(lastmod)}</lastmod><news:news><news:publication_date>"
        f"{_x(pub)}</news:publication_date><news:title>{_x(title)}</news:title></news:news></url>"
        for loc, lastmod, pub, title in items)
    body = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>').encode()
    d = _discover_file("sitemap.xml", body)
    assert d.error is None and d.kind == "sitemap"
    _check_entries(d)
    for e in d.entries:
        assert e.date_note is None or " ignored: " in e.date_note


@SLOW_PROPS
@given(st.lists(st.tuples(text_field, text_field, date_like, text_field), max_size=8),
       st.sampled_from(["rss", "atom"]))
@example([("Year one", "https://news.test/y1", "0001-01-01T00:00:00Z", "")], "rss")
@example([("Far", "https://news.test/far", "Fri, 31 Dec 9999 23:59:59 -1400", "")], "atom")
def test_feed_documents(items: list[tuple[str, str, str, str]], flavour: str) -> None:
    """Arbitrary titles, links, dates and bodies in RSS or Atom: entries or a clear error, never a crash."""
    if flavour == "rss":
        body = "".join(f"<item><title>{_x(t)}</title><link>{_x(link)}</link><pubDate>{_x(d)}</pubDate>"
                       f"<description>{_x(c)}</description></item>" for t, link, d, c in items)
        doc = f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{body}</channel></rss>'
    else:
        body = "".join(f'<entry><title>{_x(t)}</title><link href="{_x(link, quote=True)}"/>'
                       f"<id>urn:{i}</id><updated>{_x(d)}</updated><content>{_x(c)}</content></entry>"
                       for i, (t, link, d, c) in enumerate(items))
        doc = f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>{body}</feed>'
    d = _discover_file("feed.xml", doc.encode())
    _check_entries(d)
    for e in d.entries:
        assert e.date_note is None or (e.date_note.startswith("feed date ") and e.published is None)


@SLOW_PROPS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_as_a_feed_file(body: bytes) -> None:
    d = _discover_file("feed.xml", body)
    _check_entries(d)


# Labels Python's codec registry knows but no browser reads a page with.
_NOT_WEB_CODECS = ("idna", "punycode", "unicode_escape", "raw_unicode_escape", "utf-7", "cp500", "rot13",
                   "base64", "zlib", "hex", "undefined", "charmap", "palmos")


@pytest.mark.parametrize("label", _NOT_WEB_CODECS)
def test_a_label_that_is_no_web_charset_counts_as_none(label: str) -> None:
    page = b"<html><head><meta charset='" + label.encode() + b"'></head><body><p>Caf\xc3\xa9 story</p></body></html>"
    for content_type in (None, f"text/html; charset={label}"):
        text, codec = decode(page.replace(b"\xc3\xa9", b"e"), content_type)  # ASCII: the label would decide
        assert "<p>Cafe story</p>" in text and codec in ("utf-8", "cp1252")
        assert decode(page, content_type) == (page.decode("utf-8"), "utf-8")


@PROPS
@given(st.binary(max_size=3000), st.none() | st.text(max_size=60)
       | st.sampled_from(["text/html; charset=utf-16", "text/html; charset=klingon", "text/html; charset=iso-8859-2",
                          *(f"text/html; charset={c}" for c in _NOT_WEB_CODECS)]))
def test_decoder_never_raises(body: bytes, content_type: str | None) -> None:
    text, codec = decode(body, content_type)
    assert isinstance(text, str) and isinstance(codec, str) and not text.startswith("\ufeff")


@PROPS
# (A text whose every other character is a NUL is UTF-16's shape, not a page's: see the next test.)
@given(st.text(max_size=300).filter(lambda t: not t.startswith("\ufeff") and 8 * t.count("\x00") < len(t)),
       st.sampled_from([None, "text/html", "text/html; charset=iso-8859-1", "text/html; charset=windows-1251",
                        "text/html; charset=iso-8859-2", "text/html; charset=utf-8"]))
def test_utf8_bytes_read_as_utf8_whatever_the_label(text: str, content_type: str | None) -> None:
    """Valid UTF-8 is read as UTF-8 even under a label that contradicts it (a lying header)."""
    assert decode(text.encode("utf-8"), content_type)[0] == text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("label", [None, "text/html; charset=utf-16", "text/html; charset=utf-16le",
                                   "text/html; charset=utf-8"])
def test_utf16_without_a_byte_order_mark_is_read_as_utf16(codec: str, label: str | None) -> None:
    # An English page in UTF-16 without a BOM was read as UTF-8 with a NUL after every letter, even
    # under "charset=utf-16le": a UTF-16 label on a body without a BOM was dropped as a lie.
    page = "<html><head><title>Council votes</title></head><body><p>The council voted on Tuesday.</p></body></html>"
    assert decode(page.encode(codec), label) == (page, codec)
    cyrillic = "<html><body><p>Правительство обсудило бюджет на заседании во вторник.</p></body></html>"
    assert decode(cyrillic.encode(codec), label)[0] == cyrillic


@PROPS
@given(st.text(max_size=300), st.sampled_from(["utf-8", "cp1252", "iso-8859-2", "cp1251"]))
def test_no_page_of_an_ascii_based_charset_reads_as_utf16(text: str, codec: str) -> None:
    body = text.encode(codec, "replace").replace(b"\x00", b"")
    assert decode(body, None)[1] not in ("utf-16-le", "utf-16-be")


# A short page in its label's encoding: too little text for detection, so the label must decide.
_WHATWG_LABEL_PAGES = [
    ("windows-874", "นายกรัฐมนตรีกล่าวว่า “ข่าวดี”", "cp874"),
    ("dos-874", "นายกรัฐมนตรีกล่าวว่า", "cp874"),
    ("tis-620", "นายกรัฐมนตรีกล่าวว่า “ข่าวดี”", "cp874"),
    ("iso-8859-8-i", "הממשלה דנה היום בתקציב", "iso8859-8"),
    ("x-mac-cyrillic", "Правительство обсудило бюджет.", "mac-cyrillic"),
    ("x-cp1251", "Правительство обсудило бюджет.", "cp1251"),
    ("iso-8859-9", "“Türkiye” bugün – açıkladı", "cp1254"),
    ("x-sjis", "東京都は本日、新しい計画を発表した。", "shift_jis"),
    ("windows-31j", "東京都は本日①", "cp932"),
    ("shift_jis", "東京都は本日①", "cp932"),
    ("gb2312", "朱镕基总理今天会见了代表团。", "gbk"),
    ("x-euc-jp", "東京都は本日、新しい計画を発表した。", "euc_jp"),
    ("euc-kr", "똠방각하 정부는 예산을 논의했다.", "cp949"),
    ("iso88592", "Zażółć gęślą jaźń", "iso8859-2"),
]


@pytest.mark.parametrize(("label", "text", "codec"), _WHATWG_LABEL_PAGES)
def test_web_labels_python_does_not_know_read_as_browsers_read_them(label: str, text: str, codec: str) -> None:
    # WHATWG Encoding: "windows-874" is the Thai label, "iso-8859-8-i" Hebrew, "iso-8859-9" means
    # windows-1254, "gb2312" GBK, "shift_jis" windows-31j... Python's registry knows none of the
    # first two (a short Thai page came out as Japanese half-width katakana) and reads the others as
    # the narrower code page (C1 controls instead of curly quotes, or detection instead of the label)
    body = f"<html><body><p>{text}</p></body></html>".encode(codec)
    for content_type, page in ((f"text/html; charset={label}", body),
                               (None, f"<meta charset='{label}'>".encode() + body)):
        assert f"<p>{text}</p>" in decode(page, content_type)[0], (label, content_type)
