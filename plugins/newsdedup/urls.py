"""URL canonicalisation: one spelling per article, so the "seen" check and dedup agree.

What is normalised and why:
- scheme and host are case-insensitive (RFC 3986 §6.2.2.1), the host is IDNA-encoded (UTS 46,
  non-transitional: the domain httpx and browsers connect to) and loses a trailing dot; default ports (80/443) are dropped (§6.2.3);
- dot segments are removed and percent-escapes normalised (unreserved characters decoded, hex in
  upper case; §6.2.2.2), so `/a/./b/%7Euser` and `/a/b/~user` are one page;
- fragments never reach the server, so they never name a different page;
- tracking parameters (utm_*, fbclid, gclid, ...) are appended by newsletters and social sites and
  would make one article look like many; the rest of the query is kept (news sites do route on
  `?id=`), sorted so parameter order does not matter; so are a server's session ids (`;jsessionid=`
  in the path, `jsessionid` / `PHPSESSID` in the query): one page per visitor otherwise;
- user:password is dropped: it must not end up in the warehouse. `split_credentials` takes it out of
  a configured source URL so the fetcher can send it as an Authorization header instead.

`trusted_canonical` decides whether the canonical URL a page claims (rel=canonical, og:url) may be its
identity: only for the page's own site, since any page can name any URL.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import posixpath
import re
from urllib.parse import quote, unquote, unquote_to_bytes, urljoin, urlsplit, urlunsplit

import httpx
import idna
from tld import get_fld, get_tld

# Exact parameter names (compared lower-case) that only track the click, never select content.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
        "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "hsctatracking",
        "mkt_tok", "li_fat_id", "oly_anon_id", "oly_enc_id", "vero_id", "vero_conv", "wickedid",
        "s_cid", "cmpid", "ncid", "ocid", "sr_share", "at_medium", "at_campaign", "at_custom1",
        "ref_src", "ref_url", "spm", "scid", "cvid", "soc_src", "soc_trk", "ito", "xtor",
        "jsessionid", "phpsessid",  # a visitor's session on the server (Java, PHP): never the page's
    }
)  # fmt: skip
# A Java servlet's session id written into the path (";jsessionid=0A1B..."): the page is the same
# page without it, and a session id is no thing to store.
_PATH_SESSION_RE = re.compile(r";jsessionid=[^/;?#]*", re.I)
# Parameter-name prefixes with the same meaning (Google Analytics, Piwik/Matomo, Adobe, Pardot).
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "piwik_", "matomo_", "pi_", "hmb_", "__s")

# The longest URL requested, listed or stored: longer than any server takes in a request line (Apache
# 8,190 bytes, nginx 8 kB buffers). Feeds and sitemaps skip longer links; a redirect to one is refused.
MAX_URL_CHARS = 16_384
DEFAULT_PORTS = {"http": 80, "https": 443}
SUPPORTED_SCHEMES = ("http", "https", "file")

# RFC 3986 unreserved characters: escaping them changes nothing, so decode them.
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PCT_RE = re.compile(r"%([0-9A-Fa-f]{2})")
# Characters left as they are in a path / query (reserved sub-delims and already-escaped '%').
_PATH_SAFE = "/:@!$&'()*+,;=%-._~"
_QUERY_SAFE = "/:@!$'()*+,;?%-._~"


_HOST_RE = re.compile(r"^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$")


class InvalidURL(ValueError):
    """The string is not an http(s) or file URL we can canonicalise."""


# What urlsplit calls the netloc: after "scheme://" or "//", up to the first / ? or #. Browsers also
# read "http:/user:pw@host" and "http:\\\\user:pw@host" so: their userinfo is taken off too.
_AUTHORITY_RE = re.compile(r"^(?P<head>https?:[/\\]+|[a-z][a-z0-9+.-]*://|//)(?P<netloc>[^/?#]*)", re.I)


_WEB_HEAD_RE = re.compile(r"^[\x00-\x20]*https?:", re.I)
_SCHEME_RE = re.compile(r"^[\x00-\x20]*[a-z][a-z0-9+.-]*:", re.I)
# "http:" and two or more slashes: browsers skip them all to the host ("special authority ignore slashes")
_WEB_SLASHES_RE = re.compile(r"^(https?:)/{2,}", re.I)
# An http(s) URL or a scheme-relative reference whose authority is empty (`//`, `http://`, `http://?q`).
_NO_HOST_RE = re.compile(r"^(?:https?:)?//(?:[?#]|$)", re.I)
# Three or more slashes starting a reference (backslashes already read as slashes by `web_slashes`).
_MANY_SLASHES_RE = re.compile(r"^([\x00-\x20]*)/{3,}")


def web_reference(ref: str, base: str | None) -> str:
    """A reference to resolve against `base` written as browsers read it when `base` is http(s): each
    backslash before the query a slash (`web_slashes`), tabs and line breaks dropped, and three or more
    slashes at its start two. The WHATWG URL parser skips every `/` and `\\` after a special scheme's
    `//` ("special authority ignore slashes state"), so `///news.example/a` is http(s)://news.example/a
    to a browser, a redirect to it goes there, and `///` names no host; urljoin (RFC 3986) read an empty
    authority and the rest as a path of the base's own host, `/news.example/a` (another page, or a 404).
    Against a file: base (or none) the reference comes back as it was: `///x` is the path /x there."""
    ref = web_slashes(ref, base)
    if base is None or not _WEB_HEAD_RE.match(base) or _SCHEME_RE.match(ref):
        return ref
    return _MANY_SLASHES_RE.sub(r"\1//", re.sub(r"[\t\r\n]", "", ref))


def web_join(base: str, ref: str) -> str:
    """urljoin(base, ref) with `ref` read as a browser reads it against an http(s) base (see
    `web_reference`): every place that resolves a link, redirect or canonical claim resolves it alike."""
    return urljoin(base, web_reference(ref, base))


def web_slashes(url: str, base: str | None = None) -> str:
    """An http(s) URL (or a reference without a scheme resolved against an http(s) `base`) with each
    backslash before its query or fragment written as the slash browsers read it: in the WHATWG URL
    standard a `\\` is a `/` in http(s) URLs. Read as RFC 3986 reads it, "http://news.test\\@evil.test/"
    was fetched from evil.test (user "news.test\\"), where a browser asks news.test for /@evil.test/;
    "\\story\\1" was "/%5Cstory%5C1". Anything else comes back as it was."""
    if "\\" not in url:
        return url
    if not _WEB_HEAD_RE.match(url) and not (
            base is not None and _WEB_HEAD_RE.match(base) and not _SCHEME_RE.match(url)):
        return url
    end = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    return url[:end].replace("\\", "/") + url[end:]


def split_credentials(url: str) -> tuple[str, tuple[str, str] | None]:
    """Split `user:password@` off a URL: (the URL without it, (user, password) or None).

    Percent-escapes in the user and password are decoded (`p%40ss` is `p@ss`). The rest of the URL
    is left as it was, but for `web_slashes` (a backslash before an http(s) URL's query is the slash
    browsers read); a URL without userinfo comes back so. Never raises.
    """
    if not isinstance(url, str):
        return url, None
    stripped, creds = _split_once(web_slashes(url))
    # What is left may read as a userinfo again: "http://0:@\\2@/" is "http://0:@/2@/" to a browser,
    # and without "0:@" it is "http:///2@/", whose slashes a browser skips to the userinfo "2@" (found
    # by the hypothesis property test). Each pass drops at least one "@"; a second one is there only when
    # the first left no host, so a URL still holding one after _MAX_USERINFO_PASSES ("http://a@/a@/a@/..."
    # of 100 KB would take a pass an "@") names no page: its scheme alone is kept.
    for _ in range(_MAX_USERINFO_PASSES if creds is not None else 0):
        again, more = _split_once(stripped)
        if more is None or again == stripped:
            break
        stripped = again
    else:
        if creds is not None:
            stripped = stripped[: stripped.find(":") + 1] + "//" if _WEB_HEAD_RE.match(stripped) else ""
    return stripped, creds


_MAX_USERINFO_PASSES = 8


def _split_once(url: str) -> tuple[str, tuple[str, str] | None]:
    """`split_credentials` of the first userinfo a browser or urlsplit reads in `url`."""
    if "@" not in url:
        return url, None
    # urlsplit drops these anywhere in a URL; so must we, or "us\ter@host" would keep its userinfo.
    cleaned = re.sub(r"[\t\r\n]", "", url)
    m = _AUTHORITY_RE.match(cleaned.lstrip())
    if m is None or "@" not in m.group("netloc"):
        return url, None
    userinfo, _, hostport = m.group("netloc").rpartition("@")
    if not userinfo:
        # "http://@host": nothing to hide, and no "@" to drop that would change the URL (unless urlsplit
        # reads a userinfo the browser's view did not: "http://\\@/").
        stripped = _without_split_userinfo(cleaned)
        return (stripped, ("", "")) if stripped != cleaned else (url, None)
    user, sep, password = userinfo.partition(":")
    start = len(cleaned) - len(cleaned.lstrip())
    stripped = cleaned[:start] + m.group("head") + hostport + cleaned[start + m.end() :]
    return _without_split_userinfo(stripped), (unquote(user), unquote(password))


# The netloc as urlsplit reads it: only after "//", up to the first / ? or #.
_SPLIT_NETLOC_RE = re.compile(r"(?P<head>(?:[a-z][a-z0-9+.-]*:)?//)(?P<netloc>[^/?#]*)", re.I)


def _without_split_userinfo(url: str) -> str:
    """The URL without the userinfo urlsplit still reads in it. A browser takes a backslash after
    "http:" for a slash, urlsplit for part of the netloc: "http://\\@/" kept user "\\" for urlsplit
    (found by the hypothesis property test)."""
    start = len(url) - len(url.lstrip("".join(map(chr, range(0x21)))))  # urlsplit skips C0 controls and spaces
    m = _SPLIT_NETLOC_RE.match(url, start)
    if m is None or "@" not in m.group("netloc"):
        return url
    userinfo, _, hostport = m.group("netloc").rpartition("@")
    return url if not userinfo else url[:start] + m.group("head") + hostport + url[m.end():]


def strip_credentials(url: str) -> str:
    """The URL without `user:password@`: what may be logged or stored."""
    return split_credentials(url)[0]


def is_tracking_param(name: str) -> bool:
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def _normalise_escapes(part: str, safe: str) -> str:
    """Decode escaped unreserved characters, upper-case the rest, escape what must be escaped."""

    def fix(m: re.Match[str]) -> str:
        ch = chr(int(m.group(1), 16))
        return ch if ch in _UNRESERVED else "%" + m.group(1).upper()

    # quote() leaves existing '%XX' alone (because '%' is in safe) and escapes spaces, non-ASCII.
    return quote(_PCT_RE.sub(fix, part), safe=safe)


def _remove_dot_segments(path: str) -> str:
    if not path:
        return "/"
    trailing = path.endswith(("/", "/.", "/.."))
    norm = posixpath.normpath(path)
    # normpath keeps a leading '//' (POSIX says it may be special); URLs have no such rule.
    norm = "/" + norm.lstrip("/")
    if norm == "/.":
        norm = "/"
    if trailing and not norm.endswith("/"):
        norm += "/"
    return norm


def _canonical_host(host: str) -> str:
    """The host as DNS and every HTTP client spell it, or InvalidURL.

    Only letters, digits, '-', '_' and dots between labels pass (or an IPv6 literal): a host that
    parsers read differently (spaces, NULs, '%', '\\') would let the address guard check one name
    while the HTTP client connects to another.
    """
    host = host.strip()
    if "%" in host and ":" not in host:
        # A host with percent escapes is read decoded, as browsers read it (WHATWG URL, host parsing: the
        # percent-decoding of the input, UTF-8): `exa%6Dple.com` is example.com, and a feed's link so written
        # was refused. What decodes to no DNS name (`%2F`, `%00`, `%25`) is still refused below.
        try:
            host = unquote_to_bytes(host).decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidURL(f"host {host!r} is no UTF-8 text once its percent escapes are decoded") from None
    host = host.rstrip(".").lower()
    if not host:
        raise InvalidURL("URL has no host")
    if ":" in host:  # urlsplit hands IPv6 literals over without their brackets
        if "%" in host:
            raise InvalidURL(f"host {host!r}: an IPv6 zone names a local interface, not a web server")
        try:
            return f"[{ipaddress.IPv6Address(host).compressed}]"
        except ValueError:
            raise InvalidURL(f"host {host!r} is not an IPv6 address") from None
    if host.isascii():
        # underscores: not IDNA, but a host all the same; kept lowercase
        with contextlib.suppress(UnicodeError):
            host = host.encode("idna").decode("ascii")
    else:
        # UTS 46 non-transitional processing (IDNA 2008), as httpx and browsers do: IDNA 2003 (Python's
        # "idna" codec) spells straße.de as strasse.de, another registered domain, so the story would
        # be fetched from someone else's site under someone else's id (ß, final ς, ZWNJ differ so).
        try:
            host = idna.encode(host, uts46=True).decode("ascii").rstrip(".")
        except (idna.IDNAError, UnicodeError):
            raise InvalidURL(f"host {host!r} cannot be IDNA-encoded") from None
    if not _HOST_RE.match(host):
        raise InvalidURL(f"host {host!r} is not a DNS name or IP address")
    if _ENDS_IN_NUMBER_RE.search(host):
        host = _whatwg_ipv4(host)
    # What DNS can carry (RFC 1035: labels of 63, names of 253) and what httpx will read: a longer
    # label made the resolver raise UnicodeError, an "xn--" label that is no IDNA made httpx raise
    # idna's InvalidCodepoint, both past every error class a fetch knows.
    if len(host) > 253 or any(len(label) > 63 for label in host.split(".")):
        raise InvalidURL(f"host {host[:80]!r}... is longer than DNS allows (63 per label, 253 in all)")
    if "xn--" in host:
        try:
            httpx.URL(f"http://{host}/").host  # noqa: B018 - decoding the host is the check
        except Exception as exc:  # noqa: BLE001 - idna raises its own classes, none of them public in httpx
            raise InvalidURL(f"host {host!r} is not valid IDNA ({type(exc).__name__}: {exc})") from None
    return host


# A host whose last label is a number (decimal, or hex after "0x") is an IPv4 address to browsers
# (WHATWG URL, "ends in a number"), written as the resolver reads it: "2130706433", "0x7f.1", "127.1" and
# "0177.0.0.1" are all 127.0.0.1. Kept as written, each spelling was its own host: its own article id for
# one page, its own robots.txt, and its own per-host politeness gate, so a listing could send one
# server several times the per-host concurrency.
_ENDS_IN_NUMBER_RE = re.compile(r"(?:^|\.)(?:[0-9]+|0x[0-9a-f]*)$")


def _whatwg_ipv4(host: str) -> str:
    """The dotted-quad of a host that ends in a number (WHATWG URL's IPv4 parser), or InvalidURL."""
    parts = host.split(".")
    if len(parts) > 4:
        raise InvalidURL(f"host {host!r} ends in a number but is no IPv4 address (more than 4 parts)")
    numbers = []
    for part in parts:
        try:
            if part[:2] == "0x":
                numbers.append(int(part[2:] or "0", 16))
            elif len(part) > 1 and part[0] == "0":
                numbers.append(int(part, 8))
            else:
                numbers.append(int(part, 10))
        except ValueError:
            raise InvalidURL(f"host {host!r} ends in a number but {part!r} is no number of an IPv4 address") from None
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise InvalidURL(f"host {host!r} ends in a number but is out of the IPv4 range")
    value = numbers[-1] + sum(n << (8 * (3 - i)) for i, n in enumerate(numbers[:-1]))
    return str(ipaddress.IPv4Address(value))


def _split_query(query: str) -> list[tuple[str, str]]:
    """Split a query into (name, value) pairs without decoding them (so '+' and '%2B' survive)."""
    pairs = []
    for piece in query.split("&"):
        if not piece:
            continue
        name, sep, value = piece.partition("=")
        pairs.append((name, value if sep else None))
    return pairs  # type: ignore[return-value]


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def canonicalize_url(url: str, base: str | None = None) -> str:
    """Return the canonical spelling of `url` (resolved against `base` when relative).

    Raises InvalidURL (a ValueError) for anything that is not an http(s) or file URL.
    """
    if not isinstance(url, str):
        raise InvalidURL(f"URL must be a string, not {type(url).__name__}")
    for text in (url, base or ""):
        if not _encodable(text):  # lone surrogates (a JSON "\ud800"): no URL can carry them
            shown = strip_credentials(text).encode("utf-8", "backslashreplace").decode()
            raise InvalidURL(f"{shown!r} is not valid Unicode text")
    url = web_reference(url, base)
    # Error messages name the URL: never with its password.
    url = strip_credentials(url).strip()
    # Whitespace and control characters inside URLs come from sloppy feeds; browsers drop them.
    url = _WEB_SLASHES_RE.sub(r"\1//", re.sub(r"[\t\r\n]", "", url))
    if not url:
        raise InvalidURL("empty URL")
    if _NO_HOST_RE.match(url):
        # `//` and `http://` name no host: the WHATWG URL parser fails them ("host-missing") and browsers refuse
        # such a redirect. urljoin read the empty authority as none, and either was the base URL itself: a
        # redirect there was a `redirect_loop` "back to" a page it never named.
        raise InvalidURL(f"{url!r}: no host")
    if base:
        base = _WEB_SLASHES_RE.sub(r"\1//", web_slashes(base.strip()))
        try:
            url = urljoin(strip_credentials(base).strip(), url)
        except ValueError as exc:  # a base such as "http://[" cannot be split
            raise InvalidURL(f"{url!r} against base {strip_credentials(base)!r}: {exc}") from None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidURL(f"{url!r}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in SUPPORTED_SCHEMES:
        raise InvalidURL(f"{url!r}: scheme {scheme or '(none)'!r} is not http, https or file")
    if scheme != "file" and _hashbang_route(parts.path, parts.fragment):
        # A "#!" link (an old AJAX site, Twitter's "/#!/user/status/1") names a view a script draws from
        # the fragment, which never reaches the server: read as the page without it, every such story was
        # the site's home page (the first one fetched and stored as the story, the rest dropped as its
        # repeats). Google's _escaped_fragment_ convention that served them is gone (2015); no request
        # gets the story. An article's own anchor written so ("/story/1#!comments") is its page.
        raise InvalidURL(f"{url!r}: a '#!' link names a view a script draws from its fragment, which never "
                         f"reaches the server (every such link is the page {urlunsplit(parts[:3] + ('', ''))!r})")
    path = _remove_dot_segments(_normalise_escapes(parts.path, _PATH_SAFE))
    if scheme == "file":
        return urlunsplit(("file", "", path, "", ""))
    path = _PATH_SESSION_RE.sub("", path)
    host = _canonical_host(parts.hostname or "")
    netloc = host if port is None or port == DEFAULT_PORTS[scheme] else f"{host}:{port}"
    pairs = [
        (_normalise_escapes(k, _QUERY_SAFE), None if v is None else _normalise_escapes(v, _QUERY_SAFE))
        for k, v in _split_query(parts.query)
        if not is_tracking_param(unquote(k))
    ]
    # Stable sort by name: repeated names keep their order (it can matter to the server).
    pairs.sort(key=lambda kv: kv[0])
    query = "&".join(k if v is None else f"{k}={v}" for k, v in pairs)
    return urlunsplit((scheme, netloc, path, query, ""))


def url_id(url: str) -> str:
    """A stable 16-hex-digit id of the canonical form of `url`."""
    return hashlib.sha1(canonicalize_url(url).encode("utf-8")).hexdigest()[:16]


def host_key(url: str) -> str:
    """scheme://host:port of a URL: the origin robots.txt, politeness limits and credentials
    apply to. Raises InvalidURL when the URL cannot be split into those."""
    try:
        parts = urlsplit(url)
    except ValueError:
        # urlsplit's message quotes the whole netloc, password included ("netloc 'reader:pw@\ufe55'
        # contains invalid characters under NFKC normalization"): the reason is told of the URL without it.
        shown = strip_credentials(url)
        try:
            urlsplit(shown)
            why = "cannot be split into scheme, host and port"
        except ValueError as exc:
            why = str(exc)
        raise InvalidURL(f"{shown!r}: {why}") from None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal, written as in a URL
    try:
        port = parts.port
    except ValueError:
        port = None
    port = port or DEFAULT_PORTS.get(scheme)
    return f"{scheme}://{host}:{port}"


def site_of(url: str) -> str:
    """The site a canonical URL belongs to: its registrable domain (public suffix list, private
    suffixes such as github.io or blogspot.com included, so two users' sites differ), else its host
    (an IP address, or a name under a suffix the list does not know); '' for `file:` URLs."""
    host = urlsplit(url).hostname or ""
    if not host or ":" in host or host.replace(".", "").isdigit():
        return host  # IPv6 and IPv4 literals: the address is the site
    return get_fld(host, fix_protocol=True, fail_silently=True) or host


def _hashbang_route(path: str, fragment: str) -> bool:
    """Whether a fragment is a script's route ("#!/story/1", "#!story=2", or any "#!..." on the site's
    root), not an anchor of the page its path names ("/story/1#!comments")."""
    if not fragment.startswith("!") or not fragment[1:].strip("/"):
        return False
    return fragment[1:].startswith("/") or "=" in fragment or path in ("", "/")


def is_public_suffix(domain: str) -> bool:
    """Whether a domain is itself a public suffix (`com`, `co.uk`, and private ones such as `github.io`
    or `blogspot.com`, under which unrelated people have their sites): no cookie may be set for it."""
    domain = domain.strip(".").lower()
    if not domain or ":" in domain or domain.replace(".", "").isdigit():
        return False
    found = get_tld(domain, fix_protocol=True, fail_silently=True, as_object=True)
    return found is not None and getattr(found, "tld", None) == domain


def trusted_canonical(claim: str | None, page_url: str) -> tuple[str, str | None]:
    """The canonical URL of a page read from `page_url` (canonical form) that claims `claim`.

    Returns (canonical URL, None) or, when the claim is ignored, (`page_url`, the reason:
    "other_site", "home_page", "not_web" or "unusable"). The claim is only a claim: a page on site A
    that names site B's article would take that article's id, so B's own page would count as seen and
    never be fetched, or A's page would be dropped unread as B's copy. It is trusted for the page's
    own site only (an AMP or mobile host naming its www page is what it is for), and not when a story
    page names the site's home page (a CMS default that would make every story one article). A
    `file:` page (a folder the operator chose) has no site to compare with and keeps its claim.
    Never raises.
    """
    if not claim or claim == page_url:
        return page_url, None
    try:
        canonical = canonicalize_url(claim)
    except InvalidURL:
        return page_url, "unusable"
    if not canonical.startswith(("http://", "https://")):
        return page_url, "not_web"
    if canonical == page_url:
        return page_url, None
    page = urlsplit(page_url)
    if page.scheme != "file":
        if site_of(canonical) != site_of(page_url):
            return page_url, "other_site"
        if is_home_page(canonical) and not is_home_page(page_url):
            return page_url, "home_page"
    return canonical, None


# What a site's root is served as besides "/": a server's directory index (Apache, IIS, PHP, JSP).
_HOME_PATH_RE = re.compile(r"/(?:(?:index|default|home)\.(?:html?|shtml|php\d?|aspx?|jsp|cfm))?", re.I)


def is_home_page(url: str) -> bool:
    """Whether a canonical http(s) URL is its site's home page: the root ("/") or its directory index
    ("/index.html", "/index.php", "/default.aspx", ...), without a query (WordPress serves stories as
    "/?p=123")."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and not parts.query and bool(_HOME_PATH_RE.fullmatch(parts.path))
