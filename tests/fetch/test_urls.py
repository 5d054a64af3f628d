"""URL canonicalisation: one spelling per article."""

from __future__ import annotations

import pytest

from newsdedup.urls import (
    InvalidURL,
    canonicalize_url,
    host_key,
    split_credentials,
    trusted_canonical,
    url_id,
)


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
        ("http://[0:0::1]/x", "http://[::1]/x"),
        ("http://[::]/", "http://[::]/"),
        ("https://a_b.example/", "https://a_b.example/"),
        ("http://a.com\u3002b.org/", "http://a.com.b.org/"),
    ],
)
def test_canonicalize(raw: str, canonical: str) -> None:
    assert canonicalize_url(raw) == canonical
    assert canonicalize_url(canonical) == canonical  # idempotent


def test_relative_urls_resolve_against_base() -> None:
    assert canonicalize_url("../b?utm_term=x", "https://Example.com/news/a/") == "https://example.com/news/b"
    assert canonicalize_url("//cdn.example.com/x", "https://example.com/") == "https://cdn.example.com/x"


@pytest.mark.parametrize("bad", ["", "mailto:a@b.c", "javascript:void(0)", "ftp://x/y", "http://", "http://x:99999/",
                                 # found by the property tests: hosts httpx reads differently, lone
                                 # surrogates (from JSON), broken IPv6 literals
                                 "http://2 2/", "http://a\x00b/", "http://a%2Fb/", "http://x/\ud800",
                                 "http://[/", "http://[]/", "http://[fe80::1%25eth0]/", "http://@/"])
def test_invalid(bad: str) -> None:
    with pytest.raises(InvalidURL):
        canonicalize_url(bad)


def test_an_error_about_a_host_never_quotes_its_password() -> None:
    # Found by the hypothesis property test: U+FE55 SMALL COLON becomes ":" under NFKC, and urlsplit's
    # message about it quoted the netloc with the password.
    for url in ("http://reader:Pw-9fT2x@\ufe55", "https://reader:Pw-9fT2x@a\uff03b/x"):
        for call in (canonicalize_url, url_id, host_key):
            with pytest.raises(InvalidURL) as caught:
                call(url)
            assert "Pw-9fT2x" not in str(caught.value), (call.__name__, str(caught.value))


def test_invalid_base_is_invalid_url() -> None:
    with pytest.raises(InvalidURL):
        canonicalize_url("/a", "http://[")


@pytest.mark.parametrize(
    ("raw", "stripped", "creds"),
    [
        ("https://user:pa%40ss@host/feed.xml", "https://host/feed.xml", ("user", "pa@ss")),
        ("https://user@host/x", "https://host/x", ("user", "")),
        ("http://a:b@c@d/x?q=@", "http://d/x?q=@", ("a", "b@c")),
        ("http:/u:p@h/", "http:/h/", ("u", "p")),  # browsers read this as http://u:p@h/
        ("http://h/a@b", "http://h/a@b", None),
        ("http://@h/", "http://@h/", None),
        # urlsplit reads the netloc from "//" on, where a browser takes a backslash for a slash (found by
        # the hypothesis property test): no userinfo may stay for either reading
        # (and a backslash before the query is written as the slash browsers read: tests/test_eleventh_probe.py)
        ("http://\\@/", "http:///@/", None),
        (" http://\\u:p@h/x", " http:///h/x", ("u", "p")),
        ("file:///u@x/f", "file:///u@x/f", None),
        ("not a url", "not a url", None),
    ],
)
def test_split_credentials(raw: str, stripped: str, creds: tuple[str, str] | None) -> None:
    assert split_credentials(raw) == (stripped, creds)


def test_url_id_is_stable_over_spellings() -> None:
    a = url_id("https://example.com/a?utm_source=x#f")
    assert a == url_id("HTTPS://EXAMPLE.com:443/a") and len(a) == 16 and int(a, 16) >= 0
    assert a != url_id("https://example.com/b")


def test_host_key() -> None:
    assert host_key("https://Example.com/a") == "https://example.com:443"
    assert host_key("http://127.0.0.2:8000/x") == "http://127.0.0.2:8000"
    assert host_key("http://[::1]/x") == "http://[::1]:80"
    with pytest.raises(InvalidURL):
        host_key("http://[/")


@pytest.mark.parametrize(
    ("claim", "page", "expected"),
    [
        # the page's own site: another host of the same registrable domain, scheme or port
        ("https://www.example.co.uk/story", "https://amp.example.co.uk/story", ("https://www.example.co.uk/story", None)),
        ("https://example.com/a", "http://m.example.com/a?x=1", ("https://example.com/a", None)),
        ("https://Bücher.de/a", "https://www.xn--bcher-kva.de/b", ("https://xn--bcher-kva.de/a", None)),
        ("http://10.0.0.5:81/a", "http://10.0.0.5/b", ("http://10.0.0.5:81/a", None)),
        # another site: the public suffix list's private part keeps users of one host apart
        ("https://victim.example.com/a", "https://example.org/b", ("https://example.org/b", "other_site")),
        ("https://bob.github.io/a", "https://eve.github.io/a", ("https://eve.github.io/a", "other_site")),
        ("https://other.co.uk/a", "https://example.co.uk/a", ("https://example.co.uk/a", "other_site")),
        ("http://10.0.0.6/a", "http://10.0.0.5/a", ("http://10.0.0.5/a", "other_site")),
        ("http://[::1]/a", "http://10.0.0.5/a", ("http://10.0.0.5/a", "other_site")),
        ("https://b.test/a", "https://a.b.test/a", ("https://a.b.test/a", "other_site")),  # unknown suffix: host
        # a story page naming its site's home page
        ("https://www.example.com/", "https://www.example.com/news/a", ("https://www.example.com/news/a", "home_page")),
        ("https://example.com/?utm_source=x", "https://example.com/?p=12", ("https://example.com/?p=12", "home_page")),
        ("https://example.com/", "https://example.com/", ("https://example.com/", None)),
        # no claim, junk, not the web; a local file keeps its claim
        (None, "https://example.com/a", ("https://example.com/a", None)),
        ("http://exa mple.com/", "https://example.com/a", ("https://example.com/a", "unusable")),
        ("file:///etc/passwd", "https://example.com/a", ("https://example.com/a", "not_web")),
        ("https://example.com/a", "file:///srv/archive/a.html", ("https://example.com/a", None)),
    ],
)
def test_trusted_canonical(claim: str | None, page: str, expected: tuple[str, str | None]) -> None:
    assert trusted_canonical(claim, canonicalize_url(page)) == expected


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        # IDNA 2008 / UTS 46 (what httpx and browsers use): these are other domains than the IDNA 2003
        # spellings strasse.de, fass.de, xn--nxasmq6b.com, xn--mgba3gch31f.com
        ("https://straße.de/a", "https://xn--strae-oqa.de/a"),
        ("https://faß.de/a", "https://xn--fa-hia.de/a"),
        ("https://βόλος.com/a", "https://xn--nxasmm1c.com/a"),
        ("https://نامه\u200cای.com/a", "https://xn--mgba3gch31f060k.com/a"),
        # mappings both standards share
        ("https://STRASSE.de/a", "https://strasse.de/a"),
        ("https://ΒΌΛΟΣ.com/a", "https://xn--nxasmq6b.com/a"),
        ("https://ｅｘａｍｐｌｅ.com/a", "https://example.com/a"),
        ("https://Bücher.de/a", "https://xn--bcher-kva.de/a"),
    ],
)
def test_international_hosts_follow_uts46(raw: str, canonical: str) -> None:
    assert canonicalize_url(raw) == canonical
    assert url_id(raw) != url_id(raw.replace("ß", "ss").replace("ς", "σ").replace("\u200c", "")) or "ß" not in raw


def test_long_and_control_character_urls_canonicalise_to_a_fixed_point() -> None:
    long = "https://Example.com/" + "a%62/./" * 15_000 + "?" + "&".join(f"utm_x{i}=1&p{i}=%7E" for i in range(2_000))
    out = canonicalize_url(long)
    assert len(long) > 100_000 and canonicalize_url(out) == out and "utm_" not in out and "%7E" not in out
    assert out.startswith("https://example.com/ab/ab/") and len(url_id(long)) == 16
    # a NUL stays escaped in the path (never a second spelling); tab/CR/LF are dropped as browsers do
    assert canonicalize_url("https://example.com/a\x00b") == canonicalize_url("https://example.com/a%00b")
    assert canonicalize_url("https://example.com/a\r\n\tb") == "https://example.com/ab"
    with pytest.raises(InvalidURL):
        canonicalize_url("https://exa\x00mple.com/a")


def test_a_chain_of_userinfos_behind_an_empty_host_is_cut_to_the_scheme() -> None:
    # Each userinfo a browser reads is stripped ("http://0:@\\2@/" kept "2@" once backslashes became
    # slashes); a second one is there only when the first left no host, and 10,000 of them are no page:
    # the scheme alone is kept, not 10,000 passes over 30 KB.
    assert split_credentials("http://0:@\\2@/") == ("http:////", ("0", ""))
    url = "http://a@/" + "a@/" * 10_000
    stripped, creds = split_credentials(url)
    assert creds == ("a", "") and stripped == "http://" and "@" not in stripped
