"""URL canonicalisation: one spelling per article."""

from __future__ import annotations

import pytest

from newsdedup.urls import InvalidURL, canonicalize_url, host_key, url_id


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("HTTP://News.Example.COM:80/World/Story?b=2&a=1#comments", "http://news.example.com/World/Story?a=1&b=2"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("https://example.com./a/./b/../c/", "https://example.com/a/c/"),
        ("https://example.com/a?utm_source=tw&utm_medium=social&id=5&fbclid=XYZ&gclid=1&mc_cid=2", "https://example.com/a?id=5"),
        ("https://example.com/a?UTM_Campaign=x&_ga=1&pk_kwd=2", "https://example.com/a"),
        ("https://example.com/%7euser/%2f%e2%82%ac", "https://example.com/~user/%2F%E2%82%AC"),
        ("https://example.com/caf\u00e9 au lait", "https://example.com/caf%C3%A9%20au%20lait"),
        ("https://user:pw@example.com/x", "https://example.com/x"),
        ("https://bücher.example/x", "https://xn--bcher-kva.example/x"),
        ("https://example.com/s?q=a+b&q=c%2Bd&flag", "https://example.com/s?flag&q=a+b&q=c%2Bd"),
        ("  https://example.com/x\n", "https://example.com/x"),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
    ],
)
def test_canonicalize(raw: str, canonical: str) -> None:
    assert canonicalize_url(raw) == canonical
    assert canonicalize_url(canonical) == canonical  # idempotent


def test_relative_urls_resolve_against_base() -> None:
    assert canonicalize_url("../b?utm_term=x", "https://Example.com/news/a/") == "https://example.com/news/b"
    assert canonicalize_url("//cdn.example.com/x", "https://example.com/") == "https://cdn.example.com/x"


@pytest.mark.parametrize("bad", ["", "mailto:a@b.c", "javascript:void(0)", "ftp://x/y", "http://", "http://x:99999/"])
def test_invalid(bad: str) -> None:
    with pytest.raises(InvalidURL):
        canonicalize_url(bad)


def test_url_id_is_stable_over_spellings() -> None:
    a = url_id("https://example.com/a?utm_source=x#f")
    assert a == url_id("HTTPS://EXAMPLE.com:443/a") and len(a) == 16 and int(a, 16) >= 0
    assert a != url_id("https://example.com/b")


def test_host_key() -> None:
    assert host_key("https://Example.com/a") == "https://example.com:443"
    assert host_key("http://127.0.0.2:8000/x") == "http://127.0.0.2:8000"
