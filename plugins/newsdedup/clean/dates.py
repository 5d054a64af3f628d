"""Published and updated times: structured data first, visible <time> next, htmldate last."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from lxml.html import HtmlElement

from newsdedup.clean import settings
from newsdedup.clean.metadata import PageMeta, ld_field, meta_first

_ISO_LIKE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*"
    r"(Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?(Z|[+-]\d{2}:?\d{2})?$")
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")


def _tz(text: str | None) -> Any:
    from datetime import timezone

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
    """Parse a date or datetime as pages write it in metadata; None when implausible."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value")
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return None
    text = str(value).strip()
    if not text:
        return None
    parsed: datetime | None = None
    try:
        if _EPOCH.match(text):
            stamp = int(text[:10])
            parsed = datetime.fromtimestamp(stamp, tz=UTC)
        elif (m := _COMPACT.match(text)) or (m := _ISO_LIKE.search(text[:40])):
            y, mo, d, h, mi, s, tz = m.groups()
            parsed = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), tzinfo=_tz(tz))
        else:
            parsed = _parse_loose(text)
    except (ValueError, OverflowError, OSError):
        return None
    return parsed if parsed is not None and plausible(parsed) else None


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
            return du.parse(text, default=datetime(2000, 1, 1))
    except (ValueError, OverflowError, TypeError):
        return None


def plausible(when: datetime) -> bool:
    """Not before the web's news era, not in the future."""
    now = datetime.now(UTC)
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    return when.year >= settings.MIN_YEAR and aware <= now + timedelta(hours=settings.FUTURE_SLACK_HOURS)


def _time_elements(root: HtmlElement) -> tuple[datetime | None, datetime | None]:
    """<time>/itemprop elements marked as published or modified."""
    published = updated = None
    for node in root.xpath('//*[@itemprop="datePublished" or @itemprop="dateModified" or @pubdate]'
                           '|//time[@datetime]'):
        value = node.get("datetime") or node.get("content") or node.text_content()
        when = parse_date(value)
        if when is None:
            continue
        marker = " ".join(filter(None, (node.get("itemprop"), node.get("class"),
                                        node.getparent().get("class") if node.getparent() is not None
                                        else None))).lower()
        if "modif" in marker or "updat" in marker:
            updated = updated or when
        elif published is None:
            published = when
    return published, updated


def choose_dates(root: HtmlElement, pm: PageMeta, url: str | None) -> tuple[datetime | None, datetime | None]:
    """Return (published, updated); updated is None unless it is later than published."""
    published = parse_date(ld_field(pm, "datePublished", "dateCreated", "uploadDate"))
    updated = parse_date(ld_field(pm, "dateModified"))
    if published is None:
        published = parse_date(meta_first(pm, settings.META_PUBLISHED))
    if updated is None:
        updated = parse_date(meta_first(pm, settings.META_UPDATED))
    if published is None or updated is None:
        t_pub, t_upd = _time_elements(root)
        published = published or t_pub
        updated = updated or t_upd
    if published is None:
        published = _htmldate(root, url)
    elif published.tzinfo is not None and published.utcoffset() == timedelta(0):
        published = _local_form(published, pm)
    if published is not None and updated is not None and _key(updated) <= _key(published):
        updated = None
    return published, updated


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


def _key(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _htmldate(root: HtmlElement, url: str | None) -> datetime | None:
    """htmldate's heuristics (URL, visible text patterns) for pages without structured dates."""
    from htmldate import find_date

    found = None
    # The quick pass first: the extensive one loads dateparser's locales (~0.3 s a page).
    for extensive in (False, True):
        try:
            found = find_date(root, url=url, original_date=True, extensive_search=extensive,
                              max_date=date.today().isoformat())
        except Exception:  # htmldate raises on odd trees; a missing date is the honest answer
            found = None
        if found:
            break
    return parse_date(found) if found else None
