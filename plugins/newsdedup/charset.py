"""The one decoder: page bytes plus the Content-Type they came with, to text.

Every page goes through `decode`: HTTP fetches, WARC records (their own HTTP header), full-content
feed items, files of `dir` sources (their declared `charset`), `reclean` (the stored header) and
`newsdedup extract` (files: no header). The order is the browsers' (WHATWG Encoding, HTML "determining
the character encoding"): a byte order mark, then the charset of the Content-Type, then
`<meta charset>` / `<?xml encoding?>`, then detection from the bytes.

Declarations lie, so the bytes get a veto: bytes that are valid UTF-8 with non-ASCII characters are
read as UTF-8 whatever the label says (a UTF-8 page labelled ISO-8859-1; valid multi-byte UTF-8 is
almost never an accident), and a declared charset the bytes do not decode under gives way to the next
declaration or to detection (a Latin-1 page labelled UTF-8).
"""

from __future__ import annotations

import codecs
import logging
import re
from typing import Any

log = logging.getLogger(__name__)

BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# How much of a page is searched for <meta charset>: pages put long scripts before it.
META_SCAN_BYTES = 16 * 1024
DETECT_BYTES = 256 * 1024

_META_CHARSET_RE = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]{1,40})""", re.I)
_XML_ENC_RE = re.compile(rb"""^\s*<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_:.+-]{1,40})""", re.I)
_INVALID_RE = re.compile("[\udc80-\udcff]")  # bytes surrogateescape could not decode
_NON_ASCII_RE = re.compile("[^\x00-\x7f]")
# A parameter named charset, not one whose name ends so (`x-charset=`, `origcharset=`: WHATWG MIME reads
# parameters by name; those picked the wrong label over the real one after them).
HEADER_CHARSET_RE = re.compile(r"""(?:^|;)\s*charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]{1,40})""", re.I)
# WHATWG Encoding: these codecs are read with a superset in every browser, and pages rely on it:
# windows-1252's curly quotes and dashes in a page labelled iso-8859-1 (or iso-8859-9: windows-1254,
# tis-620: windows-874), GBK characters (朱镕基) in one labelled gb2312, windows-31j's ① in Shift_JIS,
# the UHC syllables (똠) in EUC-KR. The narrow codec turned the quotes into C1 control characters or
# failed, handing a short page to detection.
_WHATWG_ALIASES = {"latin_1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254",
                   "iso8859-11": "cp874", "tis-620": "cp874", "gb2312": "gb18030", "gbk": "gb18030",
                   "shift_jis": "cp932", "euc_kr": "cp949", "big5": "big5hkscs"}
# WHATWG labels Python's codec registry does not know, as the codec browsers read them with (the
# label list of the Encoding Standard). Unknown, they counted as no label: a short Thai page labelled
# windows-874 was detected as Japanese half-width katakana, a Hebrew iso-8859-8-i one as Cyrillic.
_WHATWG_LABELS = {
    **dict.fromkeys(("windows-874", "dos-874", "iso885911"), "cp874"),
    **dict.fromkeys(("iso-8859-8-i", "csiso88598i", "logical", "iso-8859-8-e", "csiso88598e", "visual", "iso88598"),
                    "iso8859-8"),
    **dict.fromkeys(("iso-8859-6-e", "iso-8859-6-i", "csiso88596e", "csiso88596i", "iso88596"), "iso8859-6"),
    **dict.fromkeys(("x-mac-cyrillic", "x-mac-ukrainian"), "mac-cyrillic"),
    **dict.fromkeys(("x-mac-roman", "mac", "csmacintosh"), "mac-roman"),
    **dict.fromkeys(("x-sjis", "windows-31j"), "cp932"),
    **dict.fromkeys(("x-euc-jp", "cseucpkdfmtjapanese"), "euc_jp"),
    **dict.fromkeys(("x-gbk", "csgb2312", "gb_2312", "gb_2312-80"), "gb18030"),
    **dict.fromkeys(("cn-big5", "x-x-big5"), "big5hkscs"),
    **dict.fromkeys(("cseuckr", "csksc56011987", "iso-ir-149", "ks_c_5601-1989", "ksc_5601", "windows-949"), "cp949"),
    **dict.fromkeys(("koi", "koi8"), "koi8-r"),
    "koi8-ru": "koi8-u",
    **dict.fromkeys(("unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8"), "utf-8"),
    **dict.fromkeys(("csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff"), "utf-16-le"),
    "unicodefffe": "utf-16-be", "sun_eu_greek": "iso8859-7", "csisolatin9": "iso8859-15",
    **{f"x-cp{n}": f"cp{n}" for n in range(1250, 1259)},
    **{f"iso8859{n}": f"iso8859-{n}" for n in (1, 2, 3, 4, 5, 7, 9, 10, 13, 14, 15)},
}
# The codecs a page may name: the character encodings of the web (WHATWG Encoding and the legacy
# labels that map to them). Python's codec registry also answers to labels no browser reads text with:
# "idna" raised out of the decoder, "punycode" turned an ASCII page into nothing, "cp500" (EBCDIC)
# into noise. A label outside this set counts as no label.
_WEB_CODECS = frozenset({
    "utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be",
    "ascii", "iso8859-1", "cp1252", "cp866", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "tis-620",
    *(f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16)),
    *(f"cp{n}" for n in (874, 1250, 1251, 1253, 1254, 1255, 1256, 1257, 1258)),
    "gbk", "gb2312", "gb18030", "big5", "big5hkscs", "euc_jp", "iso2022_jp", "shift_jis", "cp932",
    "euc_kr", "cp949",
})
# The labels WHATWG Encoding maps to the "replacement" encoding: a body so labelled is read by browsers
# as one U+FFFD (nothing of it shown), because ISO-2022-KR's and HZ's shift sequences let a page show
# one text to a browser and another to a reader of its ASCII. Python's codecs read `hz-gb-2312` and
# `iso-2022-kr` (we stored what no browser shows); the other labels Python maps to those codecs ("hz",
# "iso2022kr") are no label of the web at all.
REPLACEMENT = "replacement"
_REPLACEMENT_LABELS = frozenset({"csiso2022kr", "hz-gb-2312", "iso-2022-cn", "iso-2022-cn-ext", "iso-2022-kr",
                                 "replacement"})
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(text: str) -> str:
    """`text` with every unpaired UTF-16 surrogate replaced by U+FFFD (a pair becomes its character).

    A page's JSON (JSON-LD, script state) may escape half a character (`"\\ud83d"`); json.loads
    returns it as a lone surrogate, which no UTF-8 writer (pyarrow, DuckDB, stdout) accepts.
    """
    if not _SURROGATE_RE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def valid_json_strings(obj: Any) -> Any:
    """A parsed JSON value (from a page, a corpus line) with `without_lone_surrogates` applied to
    every string in it, keys included."""
    if isinstance(obj, str):
        return without_lone_surrogates(obj)
    if isinstance(obj, list):
        return [valid_json_strings(x) for x in obj]
    if isinstance(obj, dict):
        return {without_lone_surrogates(k) if isinstance(k, str) else k: valid_json_strings(v) for k, v in obj.items()}
    return obj


def norm_charset(label: str | None) -> str | None:
    """Python's codec name for a charset label (WHATWG aliases applied); `REPLACEMENT` for the labels of
    the replacement encoding; None when unknown or no character encoding of the web."""
    if not label:
        return None
    label = label.strip().strip("'\"")
    if label.lower() in _REPLACEMENT_LABELS:
        return REPLACEMENT
    try:
        name = codecs.lookup(_WHATWG_LABELS.get(label.lower(), label)).name
    except LookupError:
        return None
    return _WHATWG_ALIASES.get(name, name) if name in _WEB_CODECS else None


def header_charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, as a codec name."""
    m = HEADER_CHARSET_RE.search(content_type or "")
    return norm_charset(m.group(1)) if m else None


def meta_charset(body: bytes) -> str | None:
    """The charset a page declares in its markup (`<?xml encoding?>`, `<meta charset>`)."""
    head = body[:META_SCAN_BYTES]
    m = _XML_ENC_RE.search(head) or _META_CHARSET_RE.search(head)
    return norm_charset(m.group(1).decode("ascii")) if m else None


def _mostly_utf8(body: bytes) -> bool:
    """UTF-8 with a few broken bytes (a cut multi-byte character, a stray byte): valid multi-byte
    sequences far outnumber the invalid bytes. Text in a single-byte code page has almost none."""
    text = body[:DETECT_BYTES].decode("utf-8", "surrogateescape")
    bad = len(_INVALID_RE.findall(text))
    return len(_NON_ASCII_RE.findall(text)) - bad >= 4 * bad


def utf16_shape(body: bytes, content_type: str | None = None) -> str | None:
    """UTF-16 without a BOM, told by its NUL bytes: markup and Latin text in UTF-16 put a NUL in every
    other byte (odd ones little-endian, even ones big-endian), which no page in an ASCII-based charset has.
    Without this, "charset=utf-16le" on such a body (a label browsers obey) was dropped as a lie and the
    page read as UTF-8 with a NUL after every letter.

    A page mostly in CJK text puts a NUL only after its markup's letters (8 % of its bytes for a Chinese
    story): under a `charset=utf-16`, `utf-16le` or `utf-16be` header (`content_type`, which browsers obey
    without a BOM, `utf-16` as little-endian) NULs at that label's positions, four times those at the
    others at least, are its shape. Such a page was "binary content, not HTML", or read as cp1252 mojibake."""
    head = body[:DETECT_BYTES]
    half = len(head) // 2
    # A page, not a few bytes that happen to hold a NUL; and a head without a NUL is no UTF-16 (`in` is one
    # memchr: the two strided copies and counts below cost 0.1-0.3 ms on every page, twice a parse).
    if half < 16 or 0 not in head:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd >= 0.25 * half and even <= 0.05 * half:
        return "utf-16-le"
    if even >= 0.25 * half and odd <= 0.05 * half:
        return "utf-16-be"
    label = header_charset(content_type) if content_type else None
    # A few NULs at the other positions are CJK characters whose low byte is 0 (一 U+4E00, 言 U+8A00).
    if label in ("utf-16", "utf-16-le") and odd >= 0.02 * half and odd >= 4 * even:
        return "utf-16-le"
    if label == "utf-16-be" and even >= 0.02 * half and even >= 4 * odd:
        return "utf-16-be"
    return None


def detect_charset(body: bytes, content_type: str | None = None) -> str:
    """The codec to read `body` with: BOM, then the header, then meta, then detection (see module)."""
    return _detect_and_read(body, content_type)[0]


def _detect_and_read(body: bytes, content_type: str | None = None) -> tuple[str, str | None]:
    """`detect_charset`'s codec, and the body as text when telling it decoded the body whole (valid UTF-8
    that is not ASCII: `decode` reads the page once, not twice), else None."""
    for bom, enc in BOMS:
        if body.startswith(bom):
            return enc, None
    if (shape := utf16_shape(body, content_type)) is not None:
        return shape, None
    declared = [c for c in dict.fromkeys((header_charset(content_type), meta_charset(body))) if c]
    # UTF-16/32 labels without a BOM on a body whose markup was readable as ASCII are wrong.
    declared = [c for c in declared if not c.startswith(("utf-16", "utf-32"))]
    if body.isascii():
        return (declared[0] if declared else "utf-8"), None
    try:
        return "utf-8", body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(body):
        return "utf-8", None
    for enc in declared:
        if enc == "utf-8":
            continue
        if enc == REPLACEMENT:
            return enc, None
        try:
            body.decode(enc)
            return enc, None
        except (UnicodeDecodeError, LookupError):
            continue
    return _detect(body), None


def _detect(body: bytes) -> str:
    try:
        from charset_normalizer import from_bytes

        matches = from_bytes(body[:DETECT_BYTES])
        best = matches.best()
        if best is not None and best.encoding:
            # Several single-byte code pages often fit equally well (cp1250 vs cp1252 for French);
            # windows-1252 is by far the most common on the web, so it wins such ties.
            for m in matches:
                tie = m.chaos <= best.chaos + 0.01 and m.coherence >= best.coherence - 0.01
                if tie and "cp1252" in m.could_be_from_charset:
                    return "cp1252"
            found = norm_charset(best.encoding) or "cp1252"
            # UTF-16/32 is told by a BOM or by its NUL bytes (`utf16_shape`), never guessed: four bytes of
            # cp1252 ("110\xd7") came back as UTF-16BE, one CJK character.
            return "cp1252" if found.startswith(("utf-16", "utf-32")) else found
    except Exception:  # noqa: BLE001 - detection is best effort; decoding never fails
        log.debug("charset detection failed", exc_info=True)
    return "cp1252"


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode a page; return (text, codec used). Never raises; a BOM is not part of the text."""
    return decode_whole(body, content_type)[:2]


def decode_whole(body: bytes, content_type: str | None = None) -> tuple[str, str, bool]:
    """`decode`'s text and codec, and whether the text is `body` read whole as UTF-8 (no BOM, nothing
    replaced): then `body` is its UTF-8, and a caller that needs those bytes need not encode it again."""
    enc, text = _detect_and_read(body, content_type)
    if text is not None:  # valid UTF-8 without a BOM (a BOM returns before the read): the text is all of it
        return text, enc, True
    if enc == REPLACEMENT:
        return ("\ufffd" if body else ""), enc, False
    try:
        text = body.decode("utf-8-sig" if enc == "utf-8" else enc, "replace")
    except LookupError:
        text, enc = body.decode("cp1252", "replace"), "cp1252"
    return text.lstrip("\ufeff"), enc, False


__all__ = ["REPLACEMENT", "decode", "decode_whole", "detect_charset", "header_charset", "meta_charset", "norm_charset", "utf16_shape"]
