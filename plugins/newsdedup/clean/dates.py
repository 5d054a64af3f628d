"""Published and updated times: structured data first, visible <time> next, htmldate last."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from functools import cache, partial
from itertools import islice
from typing import TYPE_CHECKING, Any

from lxml import etree
from lxml.html import HtmlElement

from newsdedup.clean import settings
from newsdedup.clean.metadata import (
    PageMeta,
    clean_ws,
    headline_finder,
    in_teaser_card,
    is_date_line,
    ld_field,
    ld_types,
    meta_first,
    word_key,
)

if TYPE_CHECKING:
    from lxml.etree import _Element

# The year stands alone (no digit or minus sign before it) and the day ends at a non-digit: searched
# anywhere in a value, "12020-05-01" was read as 2020-05-01 and "-2020-05-01" (a year BC) too.
_ISO_LIKE = re.compile(
    r"(?<![\d-])(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)(?:[T ](\d{1,2}):(\d{2})(?::(\d{1,2})(?:[.,]\d+)?)?\s*"
    r"(Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
_ISO_GLUED = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")  # the same shape where _ISO_LIKE refused it
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?(Z|[+-]\d{2}:?\d{2})?$")
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
# The day-month order of "03/04/2019": "dmy", "mdy" or None (undecided), or a function telling it, asked
# only when such a date is met (`_either_day`).
Order = str | Callable[[], str | None] | None
# A datetime with an explicit non-UTC offset in page scripts: ISO ("2020-05-01T22:54:00-04:00") or
# RFC 2822 ("Fri, 01 May 2020 23:00:00 -0400"); the date before the time keeps "10:00-12:00" out.
# Both scans start at the literal ":" of a time and look back for its date: a pattern that starts with a
# literal is searched for at C speed, one that starts with a digit class is tried at every character
# (3.7 ms against 0.2 ms per page over a fundus page's 90 kB of script).
_OFFSET_IN_TEXT = re.compile(
    r":(?:(?<=\d{4}-\d{2}-\d{2}[T ]\d{2}:)|(?<=\b\d{4} \d{2}:))"
    r"\d{2}(?::\d{2})?(?:\.\d+)?\s?(?:GMT|UTC)?([+-])(\d{2}):?(\d{2})\b")
# A naive wall time "2020-12-06 00:15" (no offset follows), of given years and minute (filled per page:
# literals scan a megabyte of script faster than any date would).
_NAIVE_IN_TEXT = (r":(?<=\b({years})-(\d{{2}})-(\d{{2}})[T ](\d{{2}}):)({minute})(?::(\d{{2}}))?"
                  r"(?!\d|:\d|(?:\.\d+)?\s?(?:Z|[+-]\d|GMT|UTC))")


# Each name also as Unicode's composed form writes it: pages print Bengali "য়" and Devanagari "ज़" either way.
_MONTHS = {spelled: i for table in (settings.MONTH_NAMES, settings.DATELINE_MONTH_NAMES, settings.WORLD_MONTH_NAMES,
                                    settings.THAI_MONTH_NAMES, settings.KHMER_MONTH_NAMES,
                                    settings.MYANMAR_MONTH_NAMES)
           for i, names in enumerate(table, 1) for name in names
           for spelled in (name, unicodedata.normalize("NFC", name), name.replace("ی", "ي").replace("ک", "ك"))}
_MONTH_RE = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
_THAI_MONTH_RE = "|".join(re.escape(name) for names in settings.THAI_MONTH_NAMES for name in names)
# Year first, a month name read between two numbers only when it is no English word: "Tokyo 2020 set 5
# world records", "In 2019 out 3 of 4" (Portuguese and Italian abbreviations) are no dates; "May" only
# as a capitalised name ("2024 May 5", not "in 2020 may 5 ...").
_YEAR_FIRST_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS if m not in settings.ENGLISH_WORD_MONTHS),
                                       key=len, reverse=True)) + "|(?-i:May)"
# Visible dates as bylines print them: ISO and other year-first forms ("2025.05.15", "2024/12/04",
# "2025年1月14日", "2025년 5월 15일"; not the first day of a range, "2020/7/11-12"), "28.04.2023",
# "13 Oct 2020", "9 de mayo de 2024" (Spanish and Portuguese write "de" between the parts), "March 11, 2020".
_VISIBLE_DATES = (
    re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d\d)(?P<sep>[-/])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
               r"(?!\d|\s?[-–~～]\s?\d)"),
    re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d\d)\.\s?(?P<m>\d{1,2})\.\s?(?P<d>\d{1,2})(?![\d.]\d|\s?[-–~～]\s?\d)"),
    re.compile(r"(?P<y>(?:19|20)\d\d)\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일]"),
    re.compile(r"\b(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>(?:19|20)\d\d)\b"),
    # Al Jazeera and other Arabic sites print two names of the month: "7 يونيو/حزيران 2020".
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th|er)?\.?\s+(?:de\s+)?(?P<mon>{_MONTH_RE})(?:\s?/\s?(?:{_MONTH_RE}))?"
               r"\.?,?\s+(?:de\s+)?(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(rf"\b(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    # Vietnamese "ngày 4 tháng 3 năm 2019", "04 tháng 03, 2019" (tháng: month, năm: year).
    re.compile(r"(?<!\d)(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?:\s+năm|\s*,)\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    # Thai "4 มีนาคม 2562", "4 มี.ค. 2562", "4 มี.ค. 62": the year of the Buddhist era, 543 after the Gregorian
    # one, in full or its last two digits (not a time's hour: "4 มี.ค. 10:15").
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})\s*(?P<mon>{_THAI_MONTH_RE})\s*(?:พ\.ศ\.\s*)?(?P<be>25[3-9]\d(?!\d)|"
               r"(?<=\s)[5-9]\d(?![\d:]|\.\d))"),
    # An era's year: Japanese "令和2年6月7日" (Reiwa 2 is 2020; "元年" its first year), "平成31年", and the Republic
    # of China's in Taiwan, "民國109年6月7日" (109 is 2020).
    re.compile(r"(?P<era>令和|平成|民國|民国)\s*(?P<ey>\d{1,3}|元)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    # Taiwan's year without "民國" ("113年5月3日" is 2024-05-03): a year of three digits is written by no other
    # calendar that prints 年 (Japan's eras carry their name).
    re.compile(r"(?<![\d年民國国成和])(?P<roc>1[01]\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    # Year first with a month name: Hungarian "2024. február 5.", Lithuanian "2024 m. vasario 5 d.", "2024 Feb 5".
    re.compile(rf"(?<![\d.])(?P<y>(?:19|20)\d\d)\.?\s+(?:m\.\s+)?(?P<mon>{_YEAR_FIRST_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})\b(?![.:]\d)",
               re.I),
    # Mongolian: the year, "оны" (of the year), the month's number, "сарын" (of the month), the day: "2024 оны 6 сарын
    # 12", "2024 оны 6-р сарын 12" (the sixth month).
    re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d\d)\s+оны\s+(?P<m>\d{1,2})(?:\s?-\s?р)?\s+сарын\s+(?P<d>\d{1,2})(?!\d)",
               re.I),
    # Khmer: "ថ្ងៃទី ១២ ខែមិថុនា ឆ្នាំ ២០២៤" (day 12, ខែ month June, ឆ្នាំ year 2024); Burmese: "ဇွន် ၁၂၊ ၂၀၂၄" (the
    # Burmese comma "၊").
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})\s*ខែ\s*(?P<mon>{'|'.join(n for ns in settings.KHMER_MONTH_NAMES for n in ns)})"
               r"\s*(?:ឆ្នាំ\s*)?(?P<y>(?:19|20)\d\d)(?!\d)"),
    re.compile(rf"(?P<mon>{'|'.join(sorted((n for ns in settings.MYANMAR_MONTH_NAMES for n in ns), key=len, reverse=True))})"
               r"\s*(?P<d>\d{1,2})\s*[၊,]\s*(?P<y>(?:19|20)\d\d)(?!\d)"),
    # Latvian: the year, "gada" (of the year), then the day and the month: "2020. gada 7. jūnijs" / "jūnijā".
    re.compile(rf"(?<![\d.])(?P<y>(?:19|20)\d\d)\.\s+gada\s+(?P<d>\d{{1,2}})\.\s+(?P<mon>{_MONTH_RE})(?!\w)", re.I),
)
# "24/09/2020" or "09-24-2020": day first or month first, read only when one of the two is over 12 (or
# both are the same); "04/05/2020" is left alone.
# A Thai page's year there is the Buddhist era's ("07/06/2563": 2020), 543 after the Gregorian one.
_EITHER_ORDER = re.compile(r"(?<![\d/.-])(?P<a>\d{1,2})(?P<sep>[/-])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d\d|25[3-9]\d)(?!\d)")
# A day in a URL's path: year, month and day apart ("/2020/06/23/"), as htmldate reads them.
_URL_DAY = re.compile(r"(?<=\D)(?P<y>(?:19|20)\d\d)[/_-](?P<m>\d{1,2})[/_-](?P<d>\d{1,2})(?=\D|$)")
# A label right before a date that says it is the day of an update, not of publication.
_UPDATE_LABEL = re.compile(
    r"(?:updated?|modified|last edit(?:ed)?|revised|aktualisiert|geändert|\bstand\b|mise? à jour|modifié|actualisé|"
    r"actualizad[oa]|actualización|atualizad[oa]|atualização|aggiornat[oa]|aggiornamento|bijgewerkt|"
    r"gewijzigd|geüpdatet|обновлено|обновлен[оа]?|оновлено|zaktualizowano|aktualizacja|aktualizováno|"
    r"aktualizované|ažurirano|posodobljeno|frissítve|ενημερώθηκε|ενημέρωση|güncellendi|güncelleme|"
    r"oppdatert|opdateret|uppdaterad|päivitetty|更新|수정|"
    # Arabic "آخر تحديث", Persian "به‌روزرسانی", Hindi, Bengali, Thai, Vietnamese, Indonesian and Malay.
    r"تحديث|به‌?\s?روز\s?رسانی|بروزرسانی|अपडेट|अद्यतन|আপডেট|อัปเดต|cập nhật|diperbarui|dikemaskini)"
    r"\W{0,3}(?:\w+\W{1,3}){0,3}$", re.I)
_ERA_YEAR_ZERO = {"令和": 2018, "平成": 1988, "民國": 1911, "民国": 1911}
# Taiwan's numeric dates in the Republic's years ("113/05/03", "113.05.03"), read only under a headline in Han
# characters: "Ref. 113/05/03" elsewhere is no date.
_ROC_NUMERIC = re.compile(r"(?<![\d./-])(?P<roc>1[01]\d)(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d])")
_HAN = re.compile(r"[\u4e00-\u9fff]")


# A decimal digit of another script: full-width ("２０２５年１月１４日"), Arabic-Indic ("٧ يونيو ٢٠٢٠"), Persian,
# Devanagari ("७ जून २०२०"), Bengali, Thai ("๒๕๖๓"): every code point Unicode calls a decimal digit (`\d` in `re`).
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


def _ascii_digit(m: re.Match[str]) -> str:
    return str(unicodedata.decimal(m[0]))


def _ascii_digits(text: str) -> str:
    """`text` with its digits of other scripts as ASCII ones, character for character (the same length: match
    positions stay). No table kept between calls: a table filled as characters were met grew with every distinct
    character of every page read."""
    return text if text.isascii() else _OTHER_DIGIT.sub(_ascii_digit, text)


# Solar Hijri dates ("2 تیر 1399", "1399/04/02"): years 1300-1499 are 1921-2121. Persian and Arabic-Indic
# digits are read as ASCII first.
_JALALI_MONTH = {name: i for i, name in enumerate(settings.PERSIAN_MONTH_NAMES, 1)}
_JALALI_MONTH_RE = "|".join(sorted(settings.PERSIAN_MONTH_NAMES, key=len, reverse=True))
_JALALI_DATES = (
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})\s+(?P<mon>{_JALALI_MONTH_RE})\s+(?P<y>1[34]\d\d)(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>1[34]\d\d)/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?!\d)"),
)
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")
_PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک",
                                  **{chr(0x06F0 + i): str(i) for i in range(10)},
                                  **{chr(0x0660 + i): str(i) for i in range(10)}})
# Text after the headline that is no byline: scripts, and photo captions ("..., 24. April 2023").
_NOT_HEADER_TAGS = frozenset({"script", "style", "noscript", "figure", "figcaption", "button"})
_HEADER_TEXTS = 80  # the text nodes after the headline read at most
# Asked of the attributes, then their elements (document order, as `//*[@itemprop=... or @pubdate]`
# gave them, which tested every element's predicate: 0.55 ms a page against 0.25 on aeb, fundus, l3s).
_DATE_ELEMENTS = etree.XPath('(//@itemprop[. = "datePublished" or . = "dateModified"] | //@pubdate)/..'
                             ' | //abbr[@title]'
                             ' | //time[@datetime]'
                             # AMP's byline time, its text often relative ("3 hours ago"): the attribute is the time.
                             ' | //amp-timeago[@datetime]'
                             # The same done by a script: jQuery timeago's title on any element, Facebook's
                             # data-utime, the data attributes of moment.js / timeago.js widgets (`_stamp_value`).
                             # Through the attribute axis too: `//*[@data-timestamp or ...][not(self::time)]`
                             # tested five attributes of every element (the same elements, the whole union
                             # 1.5 -> 0.7 ms a page over aeb, fundus, l3s, dates and three blind copies).
                             ' | (//@data-timestamp | //@data-time | //@data-utime | //@data-datetime'
                             ' | //@data-published)/parent::*[not(self::time)]'
                             ' | //span[@title]')
# A date element's attributes that hold a stamp a script prints as text ("3 hours ago"), in the order read.
_STAMP_ATTRIBUTES = ("data-timestamp", "data-time", "data-utime", "data-datetime", "data-published", "title")
_STAMP_NODES = 8  # elements a stamp holds at most, itself included (`_stamp_value`)


def _tz(text: str | None) -> Any:
    if not text:
        return None
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 14 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def parse_date(value: Any) -> datetime | None:
    """Parse a date or datetime as pages write it in metadata; None when unparsable or implausible."""
    parsed = _parse_any(value)
    return parsed if parsed is not None and plausible(parsed) else None


def _parse_any(value: Any) -> datetime | None:
    """Parse a metadata date without judging it (year 1 and 9999 come back as they are)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value")
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        if _EPOCH.match(text):
            return datetime.fromtimestamp(int(text[:10]), tz=UTC)
        if (m := _COMPACT.match(text)) or (m := _ISO_LIKE.search(text[:40])):
            y, mo, d, h, mi, s, tz = m.groups()
            zone = _tz(tz)
            if tz and zone is None:
                return None  # "+99:00": no clock has it (a feed's date so is ignored too), not a naive time
            hour, minute, second = int(h or 0), int(mi or 0), int(s or 0)
            # ISO 8601's leap second ("23:59:60") is the next second, "24:00" the next day's midnight
            # (feeds' dates read so too); datetime refuses both and the date was lost without a note.
            shift = timedelta(seconds=1) if second == 60 else timedelta(days=1) if (hour, minute, second) == (24, 0, 0) \
                else timedelta(0)
            if shift:
                hour, second = (0, second) if hour == 24 else (hour, 59)
            return datetime(int(y), int(mo), int(d), hour, minute, second, tzinfo=zone) + shift
        if _ISO_GLUED.search(text[:40]):
            return None  # an ISO date of a longer year or a negative one: dateutil drops the extra digit or sign
        return _parse_loose(text)
    except (ValueError, OverflowError, OSError):
        return None


# A year under 100 written in four digits ("0001", "0099"): RFC 2822's reader and dateutil take any
# year under 100 for a two-digit one, whatever its digits. .NET writes DateTime.MinValue, a date never
# set, as "Mon, 01 Jan 0001 00:00:00 GMT": it became 1 January 2001, a date the source never gave.
_ZERO_LED_YEAR = re.compile(r"(?<![\d:.+-])00\d{2}(?![\d:])")


def as_written_year(text: str, when: datetime) -> datetime | None:
    """`when`, read from `text`, with the year `text` writes in full when the reader took it for a
    two-digit one ("0001" read as 2001 is year 1); None for year 0 or a day that year has not."""
    m = _ZERO_LED_YEAR.search(text)
    year = int(m.group()) if m else when.year
    if year == when.year or year % 100 != when.year % 100:
        return when
    try:
        return when.replace(year=year) if year >= 1 else None
    except ValueError:  # 29 February of a year that has none
        return None


_DOTTED_DAY_FIRST = re.compile(r"\s*\d{1,2}\.\d{1,2}\.\d{4}(?!\d)")


def _parse_loose(text: str) -> datetime | None:
    """Dates in words ("Tue, 05 Mar 2024 14:23:11 GMT", "March 5, 2024")."""
    if len(text) > 60 or not re.search(r"\d{4}", text):
        return None
    import warnings

    from dateutil import parser as du

    try:
        with warnings.catch_warnings():
            # "tzname EST identified but not understood": the wall time is still right.
            warnings.simplefilter("ignore")
            # "04.03.2019": a date written with dots puts the day first in every locale that writes it so
            # (German, Russian, Turkish CMSs); dateutil reads month first and gave 3 April.
            dayfirst = _DOTTED_DAY_FIRST.match(text) is not None
            parsed = du.parse(text, default=datetime(2000, 1, 1), dayfirst=dayfirst)
            # A value without a day ("2020", "2020-05", "May 2020") took January / the 1st from the
            # default: a day the page never gave, over the day its URL or byline gives. No date instead.
            if parsed.day == 1 or parsed.month == 1:
                other = du.parse(text, default=datetime(2000, 2, 2), dayfirst=dayfirst)
                if (other.month, other.day) != (parsed.month, parsed.day):
                    return None
        # dateutil takes "-3000" for a UTC offset of -30 hours, which no datetime method accepts later
        offset = parsed.utcoffset()
    except (ValueError, OverflowError, TypeError):
        return None
    return None if offset is not None and abs(offset) > timedelta(hours=14) else as_written_year(text, parsed)


def plausible(when: datetime) -> bool:
    """Not before the web's news era, not in the future."""
    return implausible(when) is None


def implausible(when: datetime) -> str | None:
    """Why no news article can carry this date ("before 1995", "in the future"), or None when it can.

    Never raises: aware values are compared without converting them (year 9999 at -05:00 is past
    datetime.max in UTC, and converting it overflows).
    """
    if when.year < settings.MIN_YEAR:
        return f"before {settings.MIN_YEAR}"
    now = datetime.now(UTC)
    if when.tzinfo is None or when.utcoffset() is None:
        late = when > now.replace(tzinfo=None) + timedelta(hours=settings.FUTURE_SLACK_HOURS)
    else:
        # An aware comparison never overflows; a year this far ahead is in the future whatever its zone.
        late = when.year > now.year + 1 or when > now + timedelta(hours=settings.FUTURE_SLACK_HOURS)
    return "in the future" if late else None


def check_date(when: datetime | None, origin: str, raw: Any = None) -> tuple[datetime | None, str | None]:
    """A date that came with an article, judged: (date in UTC, None), or (None, why it was ignored).

    `origin` says where it came from ("feed", "sitemap", "page", "warc"); the note names it and the
    value as given, so an analyst can see what the source sent.
    """
    if when is None:
        return None, None
    why = implausible(when)
    if why is None:
        try:
            return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC), None
        except (OverflowError, ValueError):  # within a day of datetime.min/max: not a news date anyway
            why = "out of range"
    shown = str(raw if raw is not None else when.isoformat())[:80]
    return None, f"{origin} date {shown!r} ignored: {why}"


def ignored_published(pm: PageMeta) -> str | None:
    """The note for a published date the page gives in JSON-LD or meta tags that no article can have."""
    values = [o.get(k) for o in pm.ld_articles for k in ("datePublished", "dateCreated") if o.get(k)]
    values += [v for key in settings.META_PUBLISHED for v in pm.meta.get(key, ())]
    for value in values:
        when = _parse_any(value)
        if when is not None:
            _, note = check_date(when, "page", value)
            if note:
                return note
    return None


def _stamp_value(node: HtmlElement) -> str | None:
    """The stamp an element holds in an attribute for a script to print ("<span class='timeago'
    title='2019-03-04T10:15:00Z'>3 hours ago</span>", "<span data-timestamp='1551694500'>"), when the element is a
    stamp: its text empty, a relative label or a date line, at most `settings.TIME_TEXT_CHARS` long (a calendar's
    block with a data-date is none), and the attribute an ISO date or seconds (milliseconds) since 1970; a title that
    is no date ("NATO", a link's headline) is none. A stamp holds a few elements at most (`_STAMP_NODES`): a block
    holding the page (20,000 nested <div data-time>) is read in bounded time."""
    if next(islice(node.iter(), _STAMP_NODES, None), None) is not None:
        return None
    text = clean_ws(node.text_content()[: settings.TIME_TEXT_CHARS + 1])
    if len(text) > settings.TIME_TEXT_CHARS or (text and settings.RELATIVE_DATE.search(text) is None
                                                and not is_date_line(text)):
        return None
    for name in _STAMP_ATTRIBUTES:
        value = (node.get(name) or "").strip()
        if value and (_EPOCH.match(value) or _ISO_LIKE.match(value)):
            return value
    return None


def _time_elements(root: HtmlElement, title: str | None = None,
                   headline: Callable[[], HtmlElement | None] | None = None,
                   deferred: list[datetime] | None = None) -> tuple[datetime | None, datetime | None]:
    """<time>/itemprop elements marked as published or modified, not those of other stories' teasers.

    `headline` finds the article's headline (`metadata.headline_finder`): a date element above it beside a
    link to another story (`_beside_other_story`) is not read as published; its date goes to `deferred` when
    given (`choose_dates` reads it after the date printed under the headline), else it is returned when no
    other date element is."""
    published = updated = None
    title_key = word_key(title)
    cards: dict[HtmlElement, bool | None] = {}  # each ancestor's headings read once (`in_teaser_card`)
    nodes = _DATE_ELEMENTS(root)
    in_run = _dated_entries(nodes)
    prose: dict[HtmlElement, bool] = {}  # each paragraph read once (`_in_prose`): 20,000 <time>s in one <p>
    above = _Above(root, nodes, headline)
    beside_date: datetime | None = None  # the first date beside another story's link above the headline
    for node in nodes:
        if _OTHER_STORY(node) or in_teaser_card(node, title_key, cards) or node in in_run or _in_prose(node, prose):
            continue
        beside = _beside_other_story(node, title_key, above)
        if beside and beside_date is not None:
            continue
        if node.tag == "abbr" and node.get("title") is not None:
            # hAtom ("<abbr class='published' title='2019-03-04T10:15:00+00:00'>Mar 4</abbr>"): the title holds
            # the machine date; an abbreviation's title ("NATO") is no date element.
            if not _ISO_LIKE.search(node.get("title") or ""):
                continue
            value = node.get("title")
        elif node.tag not in ("time", "amp-timeago") and not node.get("itemprop") and node.get("pubdate") is None:
            if (stamp := _stamp_value(node)) is None:
                continue
            value = stamp
        else:
            value = node.get("datetime") or node.get("content") or node.text_content()
        when = parse_date(value)
        if when is None:
            # An empty or odd attribute over a date printed as text (nzz.ch: `<time datetime="">`
            # around "15.06.2020, 12.11 Uhr"): the text in the forms bylines print.
            when = _first_visible_date(node.text_content()[: settings.TIME_TEXT_CHARS])
        if when is None:
            continue
        # The element's own markup, its wrapper's and the wrapper's wrapper ("<div class=article__updated>
        # <span><time>"): a modified time was taken for the published one when only the outer block said so.
        wrappers = list(islice(node.iterancestors(), settings.DATE_LABEL_LEVELS))
        own = " ".join(filter(None, (node.get("itemprop"), node.get("class")))).lower()
        marker = " ".join(filter(None, (own, *(w.get("class") for w in wrappers)))).lower()
        # WordPress prints a post never edited as `<time class="entry-date published updated">` (an edited one
        # gets a second `<time class="updated">`): the element's own "published" says what it is.
        if beside:
            beside_date = when
        elif _OWN_PUBLISHED not in own and ("modif" in marker or "updat" in marker
                                       or _UPDATE_LABEL.search(_label_before(node))
                                       or _UPDATE_LABEL.search(_own_label(node))):
            updated = updated or when
        elif published is None:
            published = when
    # Only when no other date is read: the page's own byline line can hold a long link too (mk.ru's link to its
    # print edition beside its <time>, on the class-blind copy).
    if deferred is not None:
        if beside_date is not None:
            deferred.append(beside_date)
        return published, updated
    return published or beside_date, updated


_OWN_PUBLISHED = "publish"  # a date element whose own class or itemprop holds this is the publication's


class _Above:
    """Which date elements stand before the headline, and the headline's ancestors; read on first use (one
    walk of the page up to the headline) and only for a date element that has a linked story beside it."""

    def __init__(self, root: HtmlElement, nodes: list[HtmlElement],
                 headline: Callable[[], HtmlElement | None] | None) -> None:
        self._root, self._nodes, self._headline = root, nodes, headline
        self._before: set[HtmlElement] | None = None
        self.holders: set[HtmlElement] = set()  # the headline's ancestors
        self.links: dict[HtmlElement, bool | None] = {}  # each ancestor's verdict (`_beside_other_story`)

    def before(self, node: HtmlElement) -> bool:
        if self._before is None:
            self._before = set()
            shown = self._headline() if self._headline is not None else None
            if shown is not None:
                self.holders = set(shown.iterancestors())
                pending = set(self._nodes)
                for element in self._root.iter():
                    if element is shown or not pending:
                        break
                    if element in pending:
                        pending.discard(element)
                        self._before.add(element)
        return node in self._before


def _beside_other_story(node: HtmlElement, title_key: str, above: _Above) -> bool:
    """Whether a date element above the headline stands beside a link to another story: a "trending" or
    "latest" line ("<div><a href=...>Bridge repairs start next week</a> <time>") with no heading, which the
    teaser-card test does not see; its story's day was read as the page's. The nearest of its ancestors
    (up to `settings.TEASER_DATE_LEVELS`, none holding the headline) that holds a link decides: one whose
    text is a headline's (`settings.STORY_LINK_WORDS` words or more, not the article's title). A section
    ("Politics") or an author's name ("Jane Marie Doe") is shorter; a date after the headline is read as before.
    """
    for ancestor in islice(node.iterancestors(), settings.TEASER_DATE_LEVELS):
        if ancestor in above.links:
            verdict = above.links[ancestor]
        else:
            links = [a for a in islice(ancestor.iter("a"), settings.STORY_LINK_SCAN) if a.get("href")]
            verdict = any(len(words := word_key(a.text_content()[:300]).split()) >= settings.STORY_LINK_WORDS
                          and " ".join(words) != title_key for a in links) if links else None
            above.links[ancestor] = verdict  # None: no link; 20,000 <time>s in one <p> read it once
        if verdict is None:
            continue
        if not verdict:
            return False
        return above.before(node) and ancestor not in above.holders
    return False


def _dated_entries(nodes: list[HtmlElement]) -> set[HtmlElement]:
    """The date elements of a run of dated entries: readers' comments, a live blog's posts, a list of stories.

    An entry is an element (the date's parent or up to `DATED_RUN_LEVELS` above) holding one date element and
    `DATED_ENTRY_CHARS` of other text, most of it no link (a comment's name and words, a post); two or more
    entries of one tag under one parent make a run. The article's own date is none of them: its byline or
    "Published ... Updated" lines hold labels, not text. A list of linked headlines (a "Latest" ticker) is left
    to the teaser-card and sidebar filters: on a fresh page its first day is the article's more often than
    htmldate's guess is (news.am, on the structure-blind dates copy). Linear: each ancestor's text is measured
    once, and only for one date.
    """
    counts: Counter[HtmlElement] = Counter()
    for node in nodes:
        counts.update(islice(node.iterancestors(), settings.DATED_RUN_LEVELS))
    entries: dict[HtmlElement, HtmlElement] = {}  # a date element -> its entries, nearest first
    groups: Counter[tuple[HtmlElement, str]] = Counter()
    sized: dict[HtmlElement, bool] = {}
    for node in nodes:
        own = len(node.text_content())
        for ancestor in islice(node.iterancestors(), settings.DATED_RUN_LEVELS):
            parent = ancestor.getparent()
            if counts[ancestor] != 1 or parent is None:
                continue
            if ancestor not in sized:
                text = len(ancestor.text_content()) - own
                linked = sum(len(a.text_content()) for a in ancestor.iter("a"))
                sized[ancestor] = text >= settings.DATED_ENTRY_CHARS and linked * 2 < text
            if sized[ancestor]:
                groups[(parent, ancestor.tag)] += 1
                entries.setdefault(node, ancestor)
                break
    return {node for node, entry in entries.items()
            if groups[(entry.getparent(), entry.tag)] >= settings.DATED_RUN_ENTRIES}


def _in_prose(node: HtmlElement, seen: dict[HtmlElement, bool] | None = None) -> bool:
    """Whether a `<time>` is a word of the story's prose ("the hearing is set for <time>April 23</time> at the
    town hall."): an event's day, not the article's. A byline paragraph is shorter and ends without a full stop;
    pubdate and itemprop mark the article's."""
    if node.tag != "time" or node.get("pubdate") is not None or node.get("itemprop"):
        return False
    for ancestor in islice(node.iterancestors(), 2):
        if ancestor.tag == "p":
            if seen is not None and ancestor in seen:
                return seen[ancestor]
            text = ancestor.text_content().strip()
            verdict = len(text) >= settings.PROSE_TIME_CHARS and _SENTENCE_END.search(text) is not None
            if seen is not None:
                seen[ancestor] = verdict
            return verdict
    return False


_SENTENCE_END = re.compile(r"[.!?][\"'”’»)]?$")
# A sentence under the headline saying when the article was published or updated is the byline's.
_UPDATE_LABEL_WORD = re.compile(r"publi|updat|posted|veröffentlicht|aktualisiert|erschienen", re.I)


# Date elements of other stories: "most read" lists and sidebars, menus, the site's footer. An aside or
# footer inside the article may hold its own byline and date (a teaser card there is `in_teaser_card`'s).
_OTHER_STORY = etree.XPath("ancestor::nav|ancestor::aside[not(ancestor::article)]|ancestor::footer[not(ancestor::article)]")
def _label_before(node: HtmlElement) -> str:
    """The text printed right before an element ("Updated ", "<span>Published</span> "), at most 60 characters.

    An element that opens its wrapper with no text before it is labelled by what comes before the wrapper
    ("<span>Updated</span> <span class=v><time>"), one wrapper out.
    """
    text = ""
    for _ in range(2):  # the element, then its wrapper
        before = node.getprevious()
        parent = node.getparent()
        if before is not None:
            text = (before.text_content() if len(before) == 0 else "") + (before.tail or "")
        else:
            text = (parent.text or "") if parent is not None else ""
        if text.strip() or before is not None or parent is None:
            break
        node = parent
    return text[-60:]


_FIRST_DIGIT = re.compile(r"\d")


def _own_label(node: HtmlElement) -> str:
    """The element's own text before its first digit: Blox/TownNews and other CMSs print the label inside the
    date element ("<time datetime=...>Updated Mar 6, 2019</time>" before "<time>Posted Mar 4, 2019</time>")."""
    text = (node.text or "").lstrip()[: settings.TIME_TEXT_CHARS] or node.text_content()[: settings.TIME_TEXT_CHARS]
    m = _FIRST_DIGIT.search(text)
    return text[: m.start()] if m else ""


def _has_time(value: Any) -> bool:
    return isinstance(value, str) and (_HAS_TIME.search(value) is not None or _COMPACT.match(value) is not None)


def _structured_published(pm: PageMeta, skip: frozenset[str] = frozenset()) -> datetime | None:
    """The published time from JSON-LD and meta tags, but for the meta values in `skip` (other stories').

    Article-typed JSON-LD first, then meta tags, then other JSON-LD types: a page's VideoObject
    carries the embedded clip's upload time (tucson.com: the video 3 h before the story). Among the
    article's own values that fall within a day of the first, the earliest wins: pages label a local
    wall time as "Z" in one tag and give the true instant in another (registerguard.com,
    couriermail.com.au), and fundus defines the published date as the earliest the publisher gives.
    """
    article_ld = [o.get(k) for o in pm.ld_articles if _rank_ok(o) for k in ("datePublished", "dateCreated")
                  if o.get(k)][:2]
    meta = [v for key in settings.META_PUBLISHED for v in pm.meta.get(key, ()) if v not in skip]
    meta += _other_meta_published(pm)
    first = next((d for d in map(parse_date, article_ld + meta) if d is not None), None)
    if first is None:
        return parse_date(ld_field(pm, "datePublished", "dateCreated", "uploadDate"))
    for value in article_ld + meta:
        other = parse_date(value) if _has_time(value) else None
        # Both aware: a naive value is a wall time in an unknown zone, not comparable.
        if other is not None and other.tzinfo is not None and first.tzinfo is not None \
                and other < first \
                and first - other <= timedelta(hours=settings.SAME_DAY_SPREAD_HOURS):
            first = other
    return first


# Meta names that give a date without saying whose: a CMS writes the publication's there, or the last edit's.
_UNDATED_NAMES = ("date", "dc.date", "dcterms.date")


def _undated_names_only(pm: PageMeta) -> bool:
    """Whether the page's structured published date can come only from a meta name of `_UNDATED_NAMES`: no
    article JSON-LD date, no meta name that says "published"."""
    if any(o.get(k) for o in pm.ld_articles for k in ("datePublished", "dateCreated")):
        return False
    if not any(pm.meta.get(key) for key in _UNDATED_NAMES):
        return False
    return not any(pm.meta.get(key) for key in settings.META_PUBLISHED if key not in _UNDATED_NAMES) \
        and not _other_meta_published(pm)


# A label saying the date after it is the publication's: "Published", "First published on", "Posted",
# "Veröffentlicht am", "Publié le", "Publicado el", "Pubblicato il", "Gepubliceerd op", "Opublikowano".
_PUBLISHED_LABEL = re.compile(
    r"(?:\bpublished|\bposted|veröffentlicht|erschienen|publié|publicad[oa]|pubblicat[oa]|gepubliceerd|"
    r"opublikowano|опубликовано|publicerad|julkaistu)\W{0,3}(?:(?:on|am|le|el|il|op|at)\W{1,3})?$", re.I)


def _published_shown(headline: Callable[[], HtmlElement | None], pm: PageMeta) -> datetime | None:
    """The first date under the headline that a publication label ("Published", "Veröffentlicht am") right
    before it names as the publication's; None when none does."""
    shown = headline()
    if shown is None:
        return None
    chunks, _ = _header_chunks(islice(_texts_after(shown), _HEADER_TEXTS))
    text = "".join(" " + chunk for chunk in chunks)
    end = 0
    for start, stop, when in _visible_dates(text, every=True, order=_numeric_order(pm.html_lang)):
        if _PUBLISHED_LABEL.search(text[end:start]):
            return when
        end = stop
    return None


def _card_meta_dates(root: HtmlElement, title: str | None,
                     headline: Callable[[], HtmlElement | None]) -> frozenset[str]:
    """The values of `<meta itemprop="datePublished">` before the headline in other stories' teaser cards or
    in a list, menu or sidebar: related stories marked up as schema.org microdata above the article carry their
    own dates, and the first card's was read as the page's structured date (the date elements' filters,
    `_time_elements`, did not apply). After the headline the article's own comes first anyway, and the card test
    took an article's own microdata for a card on two dev pages (its headings all links)."""
    metas = _BODY_DATE_METAS(root)
    if not metas:
        return frozenset()
    shown = headline()
    if shown is None:
        return frozenset()
    title_key = word_key(title)
    cards: dict[HtmlElement, bool | None] = {}
    pending = set(metas)
    before: list[HtmlElement] = []
    for node in root.iter():
        if node is shown or not pending:
            break
        if node in pending:
            pending.discard(node)
            before.append(node)
    return frozenset(node.get("content") or "" for node in before
                     if _OTHER_STORY(node) or in_teaser_card(node, title_key, cards))


_BODY_DATE_METAS = etree.XPath('//body//meta[@itemprop = "datePublished" or @itemprop = "dateCreated"][@content]')


def _other_meta_published(pm: PageMeta) -> list[str]:
    """Published dates in meta tags of names `META_PUBLISHED` does not list, after those it does.

    CMSs and plugins name the tag their own way ("og:published_time", "published-date", "dcterms.issued",
    "article:published_date"; htmldate reads dozens): a page that gave its date only there lost it to the
    "Updated" line under its headline. Parse.ly's `parsely-page` holds JSON with a `pub_date`.
    """
    values = [v for key, vs in pm.meta.items() if key not in settings.META_PUBLISHED and _META_PUBLISHED_LIKE.search(key)
              and not _META_NOT_PUBLISHED.search(key) for v in vs]
    for key, field in settings.META_JSON_PUBLISHED.items():
        for raw in pm.meta.get(key, ())[:1]:
            try:
                data = json.loads(raw[: settings.META_JSON_CHARS])
            except (ValueError, RecursionError):  # "[[[[...": a hostile value nested past the parser's depth
                continue
            if isinstance(data, dict) and isinstance(data.get(field), str):
                values.append(data[field])
    return values


_META_PUBLISHED_LIKE = re.compile(r"publish(?!er)|publication|pub_?date|issued")
_META_NOT_PUBLISHED = re.compile(r"modif|updat|edit|expir|revis|review|print")


def _rank_ok(obj: dict[str, Any]) -> bool:
    return min((settings.TYPE_RANK.get(t, 9) for t in ld_types(obj)), default=9) <= 2


_TWEET_URL = re.compile(r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(?:\w+|i/web)/status(?:es)?/(\d{12,20})(?:[/?#]|$)",
                        re.I)


def tweet_time(url: str | None) -> datetime | None:
    """When a tweet was posted, read from its status URL: the ID is a snowflake whose upper bits are
    milliseconds since Twitter's epoch (2010-11-04T01:42:54.657Z).

    A tweet page carries no article metadata, and its markup shows the replies' times beside the
    tweet's own (twitter.com/Reuters/status/...: htmldate took a reply's day three weeks later).
    IDs from before snowflake (sequential, below ~3e10) carry no time: under an hour past the
    epoch they are refused.
    """
    m = _TWEET_URL.match(url or "")
    if m is None:
        return None
    millis = int(m.group(1)) >> 22
    if millis < settings.TWEET_MIN_MILLIS:
        return None
    when = datetime.fromtimestamp((millis + settings.TWEET_EPOCH_MILLIS) / 1000, tz=UTC)
    return when.replace(microsecond=0) if plausible(when) else None


def choose_dates(root: HtmlElement, pm: PageMeta, url: str | None,
                 title: str | None = None,
                 headline: Callable[[], HtmlElement | None] | None = None,
                 fetched_at: datetime | None = None,
                 ) -> tuple[datetime | None, datetime | None, bool]:
    """Return (published, updated, guessed); updated is None unless it is later than published, and
    `guessed` says published is only htmldate's reading of the whole page.

    `fetched_at` is when the page was fetched: a byline's "3 hours ago" is read against it (`_relative_after`).

    `title` is the article's title: on a page with no <h1> headline, the date printed after the
    element that shows the title is the article's. `headline` finds that element
    (`metadata.headline_finder`, shared with the authors pass); by default it is looked up from `title`.
    """
    posted = tweet_time(url)
    if posted is not None:
        return posted, None, False
    guessed = False
    find = headline or headline_finder(root, title)
    published = _structured_published(pm, _card_meta_dates(root, title, find))
    updated = parse_date(ld_field(pm, "dateModified"))
    if updated is None:
        updated = parse_date(meta_first(pm, settings.META_UPDATED))
    beside: list[datetime] = []  # a date element's above the headline beside another story's link
    if published is None or updated is None:
        t_pub, t_upd = _time_elements(root, title, headline=find, deferred=beside)
        published = published or t_pub
        updated = updated or t_upd
    if published is None:
        # The page's own dates are read for their order only when a date there leaves it open (lazily:
        # scanning the page's texts cost most en-US and undeclared pages half a millisecond for nothing).
        # An events or stories listing under the headline: its items' days are no publication date.
        listing = _listing_after(find)
        shown, update = (None, None) if listing else \
            _header_dates(find, _numeric_order(pm.html_lang) or cache(partial(_shown_order, root)))
        header = shown or update
        published = _shown_day(header, _url_day(url))
        if published is None and not listing and update is None:
            # A dateline without its year ("WASHINGTON, March 4 (Reuters) -", "By Jane Doe · March 4"): its year
            # from the page's update date, the URL's year, the fetch time or the page's other dates, a guess.
            published = _yearless_dateline(find, root, url, updated, fetched_at)
            guessed = published is not None
        # A header that prints only an update's date ("Last updated: ...", "Stand: 28.04.2023"): that day is
        # the publication's at the latest and often the same (a German "Stand" is the only date many pages
        # print), so it is kept, but as a guess: the pipeline takes a feed entry's date over it.
        guessed = guessed or (published is not None and published is header and shown is None)
        if beside and (published is None or (_day_only(published) and published.date() == beside[0].date())):
            # A date element above the headline beside a link to another story ("trending" lines): after the
            # date printed under the headline or the URL's day, before the weaker readings below; on their day,
            # its time is the page's (mk.ru's <time> beside its print edition's link, on the class-blind copy).
            published = beside[0]
        relative = False if listing else _relative_after(find) if published is None else None
        if relative is not None:
            # A byline dated "3 hours ago" or "24 شوال 1445 هـ" only: the page's date is there, in a form only a
            # fetch time (minutes and hours) dates to the day; else no date, not htmldate's guess of the whole
            # page, which took a related story's day. A guess: a feed entry's exact time wins in the pipeline.
            published = _fetch_minus(fetched_at, relative)
            guessed = published is not None
        elif published is None:
            # A kicker line above the headline ("Politics | 4 March 2019"): the page's date more often than
            # the dates htmldate weighs over the whole page (related stories', comments'), but a site's
            # "today" line can stand there too, so it is a guess.
            published = _date_above(find)
            guessed = published is not None
        if published is None and relative is None:
            # A blog theme's "Posted on March 4, 2019 by admin" after the post (its class unknown): the page's
            # date when it is the page's only such line; htmldate weighed readers' comments' days over it.
            published = _posted_line(root)
            guessed = published is not None
        if published is None and relative is None:
            published = _htmldate(root, url)
            guessed = published is not None
    elif _undated_names_only(pm) and (shown := _published_shown(find, pm)) is not None \
            and shown.date() < published.date():
        # `<meta name="date">` (or "dc.date", "dcterms.date"), which does not say whose date it is, holds the
        # update's time on many CMSs while the byline says "Published March 4 · Updated March 6": the day the
        # byline labels as the publication's, when earlier, is the page's; the meta's the update's.
        updated = updated or published
        published = shown
    elif published.tzinfo is not None and published.utcoffset() == timedelta(0):
        published = _local_form(published, pm)
        if published.utcoffset() == timedelta(0):
            offset = _shown_zone(find, published) or _page_offset(root, published)
            if offset is not None:
                published = published.astimezone(offset)
    if published is not None and updated is not None and _key(updated) <= _key(published):
        updated = None
    return published, updated, guessed


def _day_only(when: datetime) -> bool:
    """Whether a date read from text gives the day alone (midnight, no zone)."""
    return when.tzinfo is None and not (when.hour or when.minute or when.second or when.microsecond)


def _numeric_order(lang: str | None) -> str | None:
    """"dmy" when the page's language writes numeric dates day first, else None (unknown).

    Every language but US English puts the day first in "04/03/2019"; a page in English without a region,
    or in en-US, en-CA or en-PH, is left undecided: WordPress prints `lang="en-US"` on sites of every
    English-speaking country, and Canada and the Philippines write both orders.
    """
    primary, _, region = (lang or "").strip().lower().replace("_", "-").partition("-")
    region = region.split("-")[-1] if region else ""
    if not primary or region == "us" or (primary == "en" and region in ("", "ca", "ph")):
        return None
    return "dmy"


_POSTED = re.compile(r"\s*(?:posted|published)(?:\s+on)?\s*:?\s*\S", re.I)
_NOT_POST_META = frozenset({"nav", "aside", "footer", "a", "li", "script", "style", "noscript"})


def _posted_line(root: HtmlElement) -> datetime | None:
    """The day of the page's one "Posted on <date>" / "Published: <date>" line, outside menus, lists and links;
    None when there is none, or lines of different days (readers' comments, a list of posts)."""
    days: set[datetime] = set()
    seen = 0
    for node in root.iter():
        if not isinstance(node.tag, str) or not node.text or not _POSTED.match(node.text):
            continue
        seen += 1
        if seen > settings.POSTED_LINES or any(a.tag in _NOT_POST_META for a in (node, *node.iterancestors())):
            if seen > settings.POSTED_LINES:
                return None
            continue
        line = node.text_content()[: settings.BYLINE_TEXT_CHARS]
        found = _visible_dates(line)
        if found:
            days.add(found[0][2].replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None))
    return next(iter(days)) if len(days) == 1 else None


def _shown_order(root: HtmlElement) -> str | None:
    """"mdy" or "dmy" when the page's other numeric dates all show one order ("12/20/2018": month first), else
    None: a page whose language leaves "03/04/2019" ambiguous (en-US, which WordPress prints on sites of every
    country) tells its own convention by the dates it prints whose day is over 12."""
    body = root.find("body")
    if body is None:
        return None
    orders: set[str] = set()
    for text in islice((t for t in body.itertext() if "/" in t or "-" in t), settings.ORDER_SCAN_TEXTS):
        for m in _EITHER_ORDER.finditer(text):
            a, b = int(m["a"]), int(m["b"])
            if a > 12 >= b:
                orders.add("dmy")
            elif b > 12 >= a:
                orders.add("mdy")
    return next(iter(orders)) if len(orders) == 1 else None


def _page_offset(root: HtmlElement, when: datetime) -> timezone | None:
    """The publisher's UTC offset, read from the page's own scripts, for a time given only in UTC.

    A naive wall time of the same instant (lagazzettadelmezzogiorno.it: JSON-LD "23:15Z", page
    script "2020-12-06 00:15") gives it exactly; otherwise the offset most datetimes in the page's
    scripts carry (abc7ny.com: "Fri, 01 May 2020 23:00:00 -0400"). The instant never changes, only
    the day a reader of the page sees.
    """
    texts: list[str] = []
    budget = settings.OFFSET_SCAN_CHARS
    for node in root.iter("script"):
        if node.text and budget > 0:
            texts.append(node.text[:budget])
            budget -= len(texts[-1])
    text = "\n".join(texts)
    utc_wall = when.astimezone(UTC).replace(tzinfo=None)
    # A wall time of the same instant is at most 14 hours off, in the same minute: its year is that
    # of the day before, the day or the day after.
    years = "|".join(sorted({f"{(utc_wall + timedelta(days=d)):%Y}" for d in (-1, 0, 1)}))
    naive = re.compile(_NAIVE_IN_TEXT.format(years=years, minute=f"{utc_wall.minute:02d}"))
    for m in naive.finditer(text):
        *fields, second = m.groups()
        # Both to the second: the seconds must agree (techcrunch.com: another post's "08:58:31" in the
        # page's script is no wall time of "04:58:46Z").
        if second is not None and utc_wall.second and int(second) != utc_wall.second:
            continue
        try:
            wall = datetime(*(int(g) for g in fields))
        except ValueError:
            continue
        diff = wall - utc_wall.replace(second=0, microsecond=0)
        if wall.minute == utc_wall.minute and timedelta(0) < abs(diff) <= timedelta(hours=14) \
                and diff.total_seconds() % 900 == 0:
            return timezone(diff)
    offsets: Counter[timedelta] = Counter()
    for m in _OFFSET_IN_TEXT.finditer(text):
        sign, hours, minutes = m.group(1), int(m.group(2)), int(m.group(3))
        if hours <= 14 and minutes in (0, 30, 45) and (hours or minutes):
            offsets[(-1 if sign == "-" else 1) * timedelta(hours=hours, minutes=minutes)] += 1
    if offsets:
        return timezone(offsets.most_common(1)[0][0])
    return None


# A time and the zone it is printed in, under the headline: "01:30 AM IST", "14:30 WIB", "10:30 p.m. ET",
# "1時15分 JST", "10:15 (GMT+7)"; the minutes may go only before "am"/"pm" ("10 p.m. ET").
_ZONE_NAMES = "|".join(sorted(settings.ZONE_ABBREVIATIONS, key=len, reverse=True))
_SHOWN_ZONE = re.compile(
    r"(?<![\d:.])(?P<h>\d{1,2})(?:\s?[:.h時]\s?(?P<mi>\d{2})(?!\d)\s?分?|(?=\s?[aApP]\.?\s?[mM]\b))"
    r"(?:\s?(?P<ap>[aApP])\.?\s?[mM]\b\.?)?\s?\(?"
    rf"(?:(?P<zone>{_ZONE_NAMES})(?![\w+-])|(?:GMT|UTC)\s?(?P<sign>[+-])(?P<oh>\d{{1,2}})(?::?(?P<om>\d{{2}}))?(?!\d))")


def _shown_zone(headline: Callable[[], HtmlElement | None], when: datetime) -> timezone | None:
    """The zone of the time printed under the headline, for a time given only in UTC: the offset of its abbreviation
    ("IST", "WIB", "ET", or "GMT+7") that makes `when` read as the printed wall time, to the minute.

    JSON-LD in UTC put an Indian story of 01:30 IST on the day before the one its page shows (and a US story of
    10:30 p.m. ET on the day after); the instant never changes, only the day a reader of the page sees.
    """
    if when.tzinfo is None or (shown := headline()) is None:
        return None
    chunks, _ = _header_chunks(islice(_texts_after(shown), _HEADER_TEXTS))
    for m in _SHOWN_ZONE.finditer(_ascii_digits(" ".join(chunks))):
        hour, minute = int(m["h"]), int(m["mi"] or 0)
        if hour > 23 or minute > 59 or (m["ap"] and not 1 <= hour <= 12):
            continue
        if m["zone"]:
            offsets = [timedelta(hours=h) for h in settings.ZONE_ABBREVIATIONS[m["zone"]]]
        else:
            sign = -1 if m["sign"] == "-" else 1
            offsets = [sign * timedelta(hours=int(m["oh"]), minutes=int(m["om"] or 0))]
        for offset in offsets:
            if offset == timedelta(0) or abs(offset) > timedelta(hours=14):
                continue
            wall = when.astimezone(timezone(offset))
            shown_hour = wall.hour % 12 or 12 if m["ap"] else wall.hour
            if m["ap"] and (wall.hour >= 12) != (m["ap"] in "pP"):
                continue
            if (shown_hour, wall.minute) == (hour, minute):
                return timezone(offset)
    return None


def _local_form(when: datetime, pm: PageMeta) -> datetime:
    """The same instant in the publisher's own offset when another tag of the page gives it.

    JSON-LD often says "...Z" while article:published_time carries "-04:00"; the local form keeps the
    day the publisher printed.
    """
    values = [v for key in settings.META_PUBLISHED for v in pm.meta.get(key, ())]
    values += [o.get("datePublished") for o in pm.ld_articles if o.get("datePublished")]
    for value in values:
        other = parse_date(value)
        if other is not None and other.tzinfo is not None and other.utcoffset() != timedelta(0) \
                and abs((other - when).total_seconds()) <= 120:
            return other
    return when


def _url_day(url: str | None) -> datetime | None:
    """The day a URL's path spells out in full ("/2020/06/23/", "/2024-11-22-"), when the page gives none."""
    if not url:
        return None
    m = _URL_DAY.search(url)
    if m is None:
        return None
    try:
        when = datetime(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
    return when if plausible(when) else None


def _shown_day(header: datetime | None, in_url: datetime | None) -> datetime | None:
    """The date under the headline, unless the URL spells out a day more than one day from it.

    A day apart is the publisher's time zone or a story filed before midnight (washingtonpost.com: URL
    07-08, page 07-09); further apart, the date read was another's: a photo caption's (malaymail.com:
    "November 19" above the byline's "22 Nov"), a related video's (uol.com.br).
    """
    if in_url is None or (header is not None and abs(header - in_url) <= timedelta(days=1)):
        return header
    return in_url


def _key(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _header_dates(headline: Callable[[], HtmlElement | None],
                  order: Order = None) -> tuple[datetime | None, datetime | None]:
    """The first date printed in the byline area right after the article's headline, as `_dates_after`
    gives it: (that date, None), or (None, the first date) when every date there is labelled as an update.

    Pages without structured dates still print one under the headline ("13 Oct 2020 18:29",
    "Veröffentlicht am 13. Mai 2026", "editor — March 11, 2020"); htmldate scores the whole page and
    took a header's "today" date (news.az: the site header's "Tuesday, (08 Dec 2020)") or a photo
    caption's. Reading stops where body prose starts, so dates told in the story do not count.
    """
    shown = headline()
    return _dates_after(shown, order) if shown is not None else (None, None)


def _dates_after(headline: HtmlElement, order: Order = None) -> tuple[datetime | None, datetime | None]:
    """The first date in the short lines that follow the headline, up to the story's first prose, not
    labelled as an update; else None and the first date (labelled as an update), if any."""
    texts = islice(_texts_after(headline), _HEADER_TEXTS)
    chunks, prose = _header_chunks(texts)
    byline: list[str] = []
    if prose:
        # The story's prose starts: sentences right before it are its short lead ("The plan was first put to
        # the council on 12 February 2018."), whose dates are the story's, not the byline's.
        while chunks and _is_sentence(chunks[-1]):
            chunks.pop()
        byline = _byline_after_deck(texts)
    text = "".join(" " + chunk for chunk in chunks)
    # Solar Hijri dates only under a headline in Arabic script: "1400/2/3" is no date elsewhere
    shown = headline.text_content()
    found = _visible_dates(text, jalali=_ARABIC_SCRIPT.search(shown) is not None, every=True,
                           order=order, roc=_HAN.search(shown) is not None)
    # "Updated: March 5, 2024 | Published: March 1, 2024": a date labelled as an update is not the
    # publication day when another date follows.
    end = 0
    for start, stop, when in found:
        if not _UPDATE_LABEL.search(text[end:start]):
            return when, None
        end = stop
    if not found and byline:
        # A deck longer than a byline line comes first and the byline under it ("By Jane Doe · March 4, 2019")
        # is where the date is: read from that line only, one that starts as a byline does.
        line = " ".join(byline)
        for start, _, when in _visible_dates(line, every=True, order=order):
            if not _UPDATE_LABEL.search(line[:start]):
                return when, None
    return None, (found[0][2] if found else None)


def _header_chunks(texts: Iterator[str]) -> tuple[list[str], bool]:
    """The stripped short texts under the headline, read from `texts` up to the story's first prose text (not
    taken) or `HEADER_DATE_CHARS` characters; and whether prose ended them (`texts` then goes on after it)."""
    chunks: list[str] = []
    size = 0
    for node in texts:
        chunk = node.strip()
        if len(chunk) >= settings.HEADER_PROSE_CHARS:
            return chunks, True
        chunks.append(chunk)
        size += len(chunk) + 1
        if size >= settings.HEADER_DATE_CHARS:
            break
    return chunks, False


def _byline_after_deck(texts: Iterator[str]) -> list[str]:
    """The short texts of the line right after the first prose text under the headline (a long deck) when that
    line starts as a byline does ("By Jane Doe · March 4, 2019", "Von Anna Muster, 4. März 2019"), up to the
    next prose; else none (a line of a byline's length that is no sentence)."""
    line: list[str] = []
    for node in texts:
        chunk = node.strip()
        if not chunk:
            continue
        if len(chunk) >= settings.HEADER_PROSE_CHARS or (not line and not settings.BY_START.match(chunk)):
            break
        line.append(chunk)
        if len(line) >= settings.BYLINE_AFTER_DECK_TEXTS:
            break
    # A story's sentence that starts so ("By March 4, 2019, the first tenants move in") is no byline: a name
    # follows the "By", not a date or a number.
    text = " ".join(line)
    first = settings.AUTHOR_PREFIX.sub("", text, count=1).split(maxsplit=1)[:1]
    named = bool(first) and first[0][:1].isupper() and not is_date_line(first[0].strip(",."))
    return line if named and len(text) < settings.BYLINE_TEXT_CHARS and not _is_sentence(text) else []


# A day and month without a year, as a dateline prints them: "March 4", "Dec. 31", "4 March", "4. März", "4 mars",
# "4 de marzo" (not one followed by a year, nor a range's first day, "June 5-7").
_NO_YEAR_AFTER = r"(?![\w:]|\.\w|\s?[-–]\s?\d|[.,]?\s*(?:de\s+)?(?:19|20)\d\d(?![\d:]))"
_YEARLESS = (
    re.compile(rf"(?<![\w.])(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?{_NO_YEAR_AFTER}", re.I),
    re.compile(rf"(?<![\w.])(?P<d>\d{{1,2}})(?:\.|er|st|nd|rd|th)?\s+(?:de\s+)?(?P<mon>{_MONTH_RE})\.?"
               rf"{_NO_YEAR_AFTER}", re.I),
)
# The story's first paragraph opening with a dateline: a place, a comma, the day ("le", "den", "el" before
# it), an agency in brackets or slashes, a dash or colon: "WASHINGTON, March 4 (Reuters) -", "BERLIN, 4. März
# (dpa) -", "PARIS, le 4 mars (AFP) -".
_DATELINE_PLACE = re.compile(r"\W{0,3}[^\W\d_][^,()\n]{1,40}?,\s*(?:(?:le|den|am|el|il)\s+)?")
_DATELINE_END = re.compile(r"\s*(?:\([^()]{1,40}\)|/[^/]{1,40}/)?\s*[-–—:]")
# Around a yearless date in a short line under the headline: nothing or a separator before it ("By Jane Doe ·
# March 4", "Monday, March 4"), nothing, a separator or a time after it ("March 4, 10:15 AM").
_BYLINE_SEP_BEFORE = re.compile(r"(?:^|[·|•,–—])\s*$")
_BYLINE_AFTER = re.compile(r"\s*(?:$|[·|•,–—(]|(?:at|um|à|a las)?\s*\d{1,2}[:h.]\d{2})", re.I)
# A year as a whole segment of the URL's path, with its month after it ("/2019/03/", "/2019/").
_URL_YEAR = re.compile(r"/(?P<y>(?:19|20)\d\d)/(?:(?P<m>\d{1,2})/)?")


def _yearless_day(text: str, start: bool = False) -> tuple[int, int] | None:
    """(month, day) of a date printed without its year in a dateline: at the start of a story's first paragraph
    after a place (`start`), else alone or after a separator in a short line under the headline."""
    if start:
        m = _DATELINE_PLACE.match(text)
        if m is None or not next((c for c in m.group() if c.isalpha()), "").isupper():
            return None
        for pattern in _YEARLESS:
            d = pattern.match(text, m.end())
            if d is not None and _DATELINE_END.match(text, d.end()):
                return _MONTHS.get(d["mon"].lower(), 0), int(d["d"])
        return None
    for pattern in _YEARLESS:
        for d in pattern.finditer(text):
            if _BYLINE_SEP_BEFORE.search(text[:d.start()]) and _BYLINE_AFTER.match(text, d.end()) \
                    and not _UPDATE_LABEL.search(text[:d.start()]):
                return _MONTHS.get(d["mon"].lower(), 0), int(d["d"])
    return None


def _yearless_dateline(headline: Callable[[], HtmlElement | None], root: HtmlElement, url: str | None,
                       updated: datetime | None, fetched_at: datetime | None) -> datetime | None:
    """The day of a dateline printed without its year under the headline or opening the story ("WASHINGTON, March
    4 (Reuters) -", "By Jane Doe · March 4", "BERLIN, 4. März (dpa) -"), its year the one nearest the URL's year (and
    month), else the one that puts it last on or before the page's update date or the fetch time, else nearest
    htmldate's reading of the page's dates; None without any of them (a year guessed from nothing is wrong one year in two)."""
    shown = headline()
    if shown is None:
        return None
    chunks: list[str] = []
    lead = ""
    size = 0
    for node in islice(_texts_after(shown), _HEADER_TEXTS):
        chunk = node.strip()
        if len(chunk) >= settings.HEADER_PROSE_CHARS:
            lead = chunk
            break
        chunks.append(chunk)
        size += len(chunk) + 1
        if size >= settings.HEADER_DATE_CHARS:
            break
    # The short lines joined, as the dates under the headline are read (a year may be a text node of its own).
    while chunks and _is_sentence(chunks[-1]):
        chunks.pop()
    found = _yearless_day(" ".join(c for c in chunks if c)) or (_yearless_day(lead, start=True) if lead else None)
    if found is None or not found[0]:
        return None
    month, day = found
    anchors: list[tuple[datetime, bool]] = []
    if url and (m := _URL_YEAR.search(url)) is not None:
        anchors.append((datetime(int(m["y"]), int(m["m"]), 15) if m["m"] and 1 <= int(m["m"]) <= 12
                        else datetime(int(m["y"]), 7, 2), False))
    anchors += [(when, True) for when in (updated, fetched_at) if when is not None]
    for when, before in anchors:
        if (got := _with_year(month, day, when, before)) is not None:
            return got
    other = _htmldate(root, url)
    return _with_year(month, day, other, False) if other is not None else None


def _with_year(month: int, day: int, anchor: datetime, before: bool) -> datetime | None:
    """The day of `month` and `day` in the year that puts it last on or before `anchor`'s day (a day after, for
    the time zones) when `before`, else nearest `anchor`; None when that is over half a year away (a year off)."""
    ref = datetime(anchor.year, anchor.month, anchor.day)
    days: list[datetime] = []
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            days.append(datetime(year, month, day))
        except ValueError:  # February 29 of a common year
            continue
    if before:
        days = [d for d in days if d <= ref + timedelta(days=1)]
        best = max(days, default=None)
        limit = timedelta(days=366)
    else:
        best = min(days, key=lambda d: abs(d - ref), default=None)
        limit = timedelta(days=183)
    return best if best is not None and abs(ref - best) <= limit and plausible(best) else None


def _relative_after(headline: Callable[[], HtmlElement | None]) -> timedelta | bool | None:
    """What a byline area under the headline that printed no date we read says instead: how long before the fetch
    the story went out ("3 hours ago", "vor 20 Minuten": a `timedelta`), False for a date a fetch time does not
    date to the day ("3 days ago", "Yesterday, 14:05", a lunar Hijri or a Bikram Sambat date alone), None for
    neither."""
    shown = headline()
    if shown is None:
        return None
    chunks, prose = _header_chunks(islice(_texts_after(shown), _HEADER_TEXTS))
    if prose:
        while chunks and _is_sentence(chunks[-1]):
            chunks.pop()
    found: timedelta | bool | None = None
    for chunk in chunks:
        if not chunk or _is_sentence(chunk):
            continue  # a deck's "first proposed 3 years ago." tells the story, not when it was published
        if settings.RELATIVE_NOW.match(chunk):
            return timedelta(0)
        if (m := settings.RELATIVE_DATE.search(chunk)) is not None:
            amount, unit = next((m[f"n{i}"], m[f"u{i}"]) for i in ("", *range(2, 15)) if m[f"u{i}"])
            seconds = next((size for unit_re, size in settings.RELATIVE_CLOCK_UNITS if unit_re.match(unit)), None)
            if seconds is None:
                return False
            # "3", "a" / "ein" / "une" (one), none in Arabic ("منذ ساعة": an hour), its dual ("منذ ساعتين": two)
            n = int(amount) if amount and amount.isdigit() else 2 if unit.endswith("تين") else 1
            return timedelta(seconds=n * seconds)
        if found is None and (settings.RELATIVE_DAY.search(chunk) or settings.HIJRI_DATE.search(_ascii_digits(chunk))
                               or settings.BIKRAM_SAMBAT_DATE.search(_ascii_digits(chunk))):
            found = False
    return found


def _listing_after(headline: Callable[[], HtmlElement | None]) -> bool:
    """Whether the headline heads a listing, not a story: the blocks after it (its own next siblings, else its
    wrapper's) each start with a linked heading (an event's, a story's), two or more, and none holds prose (a
    story's "Also read" list under its headline is followed by the story)."""
    shown = headline()
    if shown is None:
        return False
    start = shown if shown.getnext() is not None else shown.getparent()
    if start is None:
        return False
    linked = 0
    for block in islice(start.itersiblings(), settings.LISTING_BLOCKS):
        headed = False
        for node in islice(block.iter(), settings.LISTING_BLOCK_NODES):
            if not isinstance(node.tag, str):
                continue
            if node.tag in _ITEM_HEADINGS and not headed:
                if not _item_heading(node):
                    return False
                linked += 1
                headed = True
            elif len((node.text or "").strip()) >= settings.HEADER_PROSE_CHARS:
                return False  # a story's prose
    return linked >= 2


def _fetch_minus(fetched_at: datetime | None, ago: timedelta | bool) -> datetime | None:
    """The fetch time less a relative date's amount (a naive fetch time is UTC's); None without a fetch time or
    for a relative day."""
    if fetched_at is None or ago is False or ago is True:
        return None
    when = fetched_at if fetched_at.tzinfo is not None else fetched_at.replace(tzinfo=UTC)
    return when - ago


def _date_above(headline: Callable[[], HtmlElement | None]) -> datetime | None:
    """The date printed nearest above the headline, in the short lines right before it (a kicker, a
    section line), up to the first text of prose or `ABOVE_HEADLINE_TEXTS` texts."""
    shown = headline()
    if shown is None:
        return None
    chunks: list[str] = []
    for chunk in islice(_texts_before(shown), settings.ABOVE_HEADLINE_TEXTS):
        chunk = chunk.strip()
        if len(chunk) >= settings.HEADER_PROSE_CHARS:
            break
        chunks.append(chunk)
    text = " ".join(reversed(chunks))
    found = [f for f in _visible_dates(text, every=True) if not _UPDATE_LABEL.search(text[: f[0]])]
    return found[-1][2] if found else None


def _texts_before(node: HtmlElement) -> Iterator[str]:
    """The non-blank text nodes before `node` in reverse document order, not inside `_NOT_HEADER_TAGS`,
    read lazily (an explicit stack: a hostile page nests 100,000 levels)."""
    for start in (node, *node.iterancestors()):
        if start.tag in _NOT_HEADER_TAGS:
            return
        for sibling in start.itersiblings(preceding=True):
            if sibling.tail and sibling.tail.strip():
                yield sibling.tail
            if not isinstance(sibling.tag, str) or sibling.tag in _NOT_HEADER_TAGS:
                continue
            stack: list[_Element | str] = [sibling]
            while stack:  # children last to first, each child's tail before the child's own texts
                item = stack.pop()
                if isinstance(item, str):
                    if item.strip():
                        yield item
                    continue
                pending: list[_Element | str] = []
                if item.text:
                    pending.append(item.text)
                for child in item:
                    if isinstance(child.tag, str) and child.tag not in _NOT_HEADER_TAGS:
                        pending.append(child)
                    if child.tail:
                        pending.append(child.tail)
                stack.extend(pending)
        parent = start.getparent()
        if parent is not None and parent.text and parent.text.strip():
            yield parent.text


def _is_sentence(chunk: str) -> bool:
    """Whether a text under the headline reads as a sentence, not a byline line (one saying when the article
    was published or updated is the byline's)."""
    return (len(chunk) >= settings.LEAD_SENTENCE_CHARS and len(chunk.split()) >= settings.LEAD_SENTENCE_WORDS
            and _SENTENCE_END.search(chunk) is not None and _UPDATE_LABEL_WORD.search(chunk) is None)


# A heading under the headline that links to an item of its own (a listing's event or story) (`_listing_after`).
_ITEM_HEADINGS = frozenset({"h2", "h3", "h4"})
_LINKED = etree.XPath("boolean(descendant::a[@href])")


def _item_heading(node: HtmlElement) -> bool:
    """A heading that links to an item of its own: a title of three words or more (a section's link, "Politics",
    is the article's label)."""
    return bool(_LINKED(node)) and len(node.text_content().split(None, 3)) >= 3


def _texts_after(node: HtmlElement) -> Iterator[str]:
    """The text nodes after `node` in document order, not its own nor those inside `_NOT_HEADER_TAGS`, read
    lazily: `following::text()[not(ancestor::script or ...)][position() <= 80]`, which libxml2 answered by
    testing the ancestors of every text node to the page's end (9 s on a page of 360,000 nested <div>s)."""
    chain = [node, *node.iterancestors()]
    # hidden[i]: whether an element above chain[i] is one of _NOT_HEADER_TAGS (chain[i]'s tail and later
    # siblings are inside it)
    hidden, above = [False] * len(chain), False
    for i in range(len(chain) - 1, -1, -1):
        hidden[i] = above
        above = above or chain[i].tag in _NOT_HEADER_TAGS
    for level, start in enumerate(chain):
        if hidden[level]:
            continue
        if start.tail is not None:
            yield start.tail
        for sibling in start.itersiblings():
            stack: list[_Element | str] = [sibling]
            while stack:
                item = stack.pop()
                if isinstance(item, str):
                    yield item
                    continue
                if isinstance(item.tag, str) and item.tag not in _NOT_HEADER_TAGS:
                    if item.text is not None:
                        yield item.text
                    for child in reversed(item):
                        if child.tail is not None:
                            stack.append(child.tail)
                        stack.append(child)
            if sibling.tail is not None:
                yield sibling.tail


def _first_visible_date(text: str, jalali: bool = False) -> datetime | None:
    """The earliest date printed in `text`; Solar Hijri ones too when `jalali` (a headline in Arabic script)."""
    found = _visible_dates(text, jalali)
    return found[0][2] if found else None


def _visible_dates(text: str, jalali: bool = False, every: bool = False,
                   order: Order = None, roc: bool = False) -> list[tuple[int, int, datetime]]:
    """(start, end, day) of the first plausible date of each form in `text` (of every one with `every`),
    earliest first; Taiwan's numeric dates too when `roc` (a headline in Han characters)."""
    text = _ascii_digits(text)
    forms = [(pattern, text, _gregorian_day) for pattern in _VISIBLE_DATES]
    forms.append((_EITHER_ORDER, text, partial(_either_day, order=order)))
    if roc:
        forms.append((_ROC_NUMERIC, text, _gregorian_day))
    if jalali:  # the translation maps character to character: match positions stay comparable
        persian = text.translate(_PERSIAN_LETTERS)
        forms += [(pattern, persian, _jalali_day) for pattern in _JALALI_DATES]
    found: list[tuple[int, int, datetime]] = []
    for pattern, source, day_of in forms:
        for m in pattern.finditer(source):
            when = day_of(m)
            if when is None:
                continue  # an impossible day ("31.02.2020", "1402/12/30") or an ambiguous one
            if plausible(when):
                found.append((m.start(), m.end(), when))
            if not every:
                break  # the first match of each form is enough: the earliest form wins
    return sorted(found, key=lambda f: f[0])


def _gregorian_day(m: re.Match[str]) -> datetime | None:
    g = m.groupdict()
    month = int(g["m"]) if g.get("m") else _MONTHS.get(g["mon"].lower())
    if month is None:  # a case the name's lower case does not give back ("İ", a Greek capital without its accent)
        return None
    if g.get("y"):
        year = int(g["y"])
    elif g.get("era"):
        year = _ERA_YEAR_ZERO[g["era"]] + (1 if g["ey"] == "元" else int(g["ey"]))
    elif g.get("roc"):
        year = _ERA_YEAR_ZERO["民國"] + int(g["roc"])
    else:
        be = int(g["be"])
        year = (be if be > 99 else 2500 + be) - 543
    try:
        return datetime(year, month, int(g["d"]))
    except ValueError:
        return None


def _either_day(m: re.Match[str], order: Order = None) -> datetime | None:
    """Day and month in either order, when the numbers tell which is which, or the page's language does
    (`order` "dmy": "04/03/2019" on a British, French or Vietnamese page is 4 March), or the page's other
    dates do ("mdy": `_shown_order`, asked only here, when `order` is a function)."""
    a, b, year = int(m["a"]), int(m["b"]), int(m["y"])
    year -= 543 if year >= 2500 else 0
    if a > 12 >= b or a == b:
        day, month = a, b
    elif b > 12 >= a:
        day, month = b, a
    elif a > 12 or b > 12:
        return None
    elif (said := order() if callable(order) else order) == "dmy":
        day, month = a, b
    elif said == "mdy":
        day, month = b, a
    else:
        return None
    try:
        return datetime(year, month, day)
    except ValueError:
        return None


def _jalali_day(m: re.Match[str]) -> datetime | None:
    """The Gregorian day of a Solar Hijri date."""
    import jdatetime

    g = m.groupdict()
    month = int(g["m"]) if g.get("m") else _JALALI_MONTH[g["mon"]]
    try:
        day = jdatetime.date(int(g["y"]), month, int(g["d"])).togregorian()
    except ValueError:
        return None
    return datetime(day.year, day.month, day.day)


_DATELINE_CHARS = 40  # a date this near a paragraph's start, a dash after it, is its dateline's


def _told_in_prose(root: HtmlElement, day: str) -> bool:
    """Whether `day` ("2019-06-05") is printed on the page only inside the sentences of its paragraphs of prose,
    past their dateline: a day the story tells of (a coming festival's, "opens on Friday, June 5, 2019"), not when it was
    published. A mention anywhere else (a byline, a list, an attribute htmldate read) keeps it."""
    body = root.find("body")
    if body is None:
        return False

    month_day = str(int(day[8:10]))  # every form prints it in digits, "5" or "05" (of any script)

    def count(text: str, prose: bool = False) -> int:
        if month_day not in _ascii_digits(text):
            return 0
        # in prose, not a dateline's: near the start and a dash or an agency after it ("March 4, 2019 — The ...")
        return sum(1 for start, end, when in _visible_dates(text[:settings.PROSE_DAY_CHARS], every=True)
                   if when.date().isoformat() == day
                   and not (prose and start <= _DATELINE_CHARS and _DATELINE_END.match(text, end)))

    told = 0
    for para in islice(body.iter("p"), settings.PROSE_DAY_PARAGRAPHS):
        # each text of the paragraph on its own: a short stamp in a <span> beside a headline in the same <p>
        # ("at 12:19 on January 7, 2008, EST.") is no sentence of the story's
        for piece in para.itertext():
            text = piece.strip()
            if len(text) >= settings.HEADER_PROSE_CHARS or _is_sentence(text):
                told += count(text, prose=True)
    return told > 0 and count(body.text_content()) == told


def _htmldate(root: HtmlElement, url: str | None) -> datetime | None:
    """htmldate's heuristics (URL, visible text patterns) for pages without structured dates.

    The quick pass looks for the original date; the extensive pass (dateparser on the visible text)
    runs with htmldate's default `original_date=False`: with True it preferred the oldest date in
    the text (blog.goo.ne.jp: a horse's 2015 sale instead of the 2020 race report). A January 1st
    from the extensive pass is a year-only guess (copyright lines: "1998-01-01", "2016-01-01") and
    is dropped: no date is the honest answer there.
    """
    from htmldate import find_date

    # Today in UTC, not the machine's: `date.today()` made the latest date htmldate may return the local
    # day, and on a worker at UTC-12 a page printed with today's UTC date got December 1 instead.
    today = datetime.now(UTC).date().isoformat()
    for extensive in (False, True):
        try:
            found = find_date(root, url=url, original_date=not extensive, extensive_search=extensive,
                              max_date=today)
        except Exception:  # htmldate raises on odd trees; a missing date is the honest answer
            found = None
        if found and extensive and found[4:10] == "-01-01":
            found = None
        if found and extensive and _told_in_prose(root, found[:10]):
            found = None
        if found:
            return parse_date(found)
    return None
