"""Property-based test of Retry-After parsing (issue 10): whatever a server sends, a number of
seconds to wait (finite, not negative) or None, never an exception."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdedup.fetch import parse_retry_after

header_text = st.one_of(
    st.text(max_size=40),
    # Header values arrive decoded as Latin-1 when they are not ASCII: any byte may be any of these.
    st.binary(max_size=40).map(lambda b: b.decode("latin-1")),
    st.integers(min_value=-10, max_value=10**400).map(str),
    st.sampled_from(["\u00b2", "\u0663", "1\u00b2", "9" * 5000, "1e9", "inf", "nan", " 120 ", "-0"]),
    st.datetimes().map(lambda d: d.strftime("%a, %d %b %Y %H:%M:%S GMT")),
    st.builds("{}, {:02d} {} {} {}:{}:{} {}".format, st.sampled_from(["Mon", "Fri", "Xyz", ""]),
              st.integers(-5, 99), st.sampled_from(["Jan", "Feb", "Dec", "Foo"]), st.integers(-10, 10**6),
              st.integers(-1, 99), st.integers(-1, 99), st.integers(-1, 99),
              st.sampled_from(["GMT", "+0000", "-9999", "UTC", "EST", ""])),  # fmt: skip
)


@settings(max_examples=300, deadline=None)
@given(header_text)
def test_retry_after_is_seconds_or_none(value: str) -> None:
    seconds = parse_retry_after(value, now=1_700_000_000.0)
    assert seconds is None or (isinstance(seconds, float) and math.isfinite(seconds) and seconds >= 0)
