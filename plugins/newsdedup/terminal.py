"""Stored text made safe to print on a terminal.

Titles, authors and text come from pages and feeds anyone can write. The warehouse keeps them as
they came; whatever prints them for a person (`newsdedup sql`, `diff`, run summaries, error
messages quoting a value) shows control characters as visible escapes instead of sending them to
the terminal, where an escape sequence can clear the screen, retitle the window, hide text or
redraw a line, a carriage return can overwrite what was printed, and a bidi override can reorder
what follows.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata

# C0 and C1 controls and DEL, and the invisible bidi controls (embeddings, overrides, isolates,
# marks) and line/paragraph separators.
_UNSAFE = [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F, *range(0x2028, 0x202F),
           *range(0x2066, 0x206A)]
UNSAFE_CODES = tuple(_UNSAFE)  # what `printable` escapes, but for newlines and tabs (`cli._sql_string` too)
_ESCAPES = {c: (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}") for c in _UNSAFE}
_KEEP_NEWLINES = {**_ESCAPES, ord("\n"): "\n", ord("\t"): "\t"}
_INLINE = {**_ESCAPES, ord("\n"): " ", ord("\t"): " "}


def printable(text: str, *, newlines: bool = False) -> str:
    """`text` with every control character shown as `\\x1b` / `\\u202e`. Newlines and tabs are kept
    with `newlines`, else become spaces (a table cell, one line)."""
    return text.translate(_KEEP_NEWLINES if newlines else _INLINE)


def _char_width(c: str) -> int:
    if unicodedata.combining(c) or (unicodedata.category(c) in ("Mn", "Me", "Cf") and c != "\u00ad"):
        return 0  # a combining mark, a zero-width space or joiner (a soft hyphen is drawn as a hyphen)
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def display_width(text: str) -> int:
    """The columns `text` (printable: no control characters) takes on a terminal: two for a wide
    (CJK, fullwidth) character, none for a combining mark."""
    return len(text) if text.isascii() else sum(map(_char_width, text))


def clip(text: str, width: int) -> str:
    """The longest start of `text` that takes at most `width` columns (its combining marks kept)."""
    if text.isascii():
        return text[:width]
    used = 0
    for i, c in enumerate(text):
        used += _char_width(c)
        if used > width:
            return text[:i]
    return text


# Paths Python holds with lone surrogates (U+DC80..U+DCFF: bytes its file system encoding did not take, as
# `os.fsdecode` makes them) printed as `d\udcc3\udca9/w\udcc3\udca9.duckdb` in every log line and message of
# a run in an ASCII locale (`LC_ALL=C PYTHONUTF8=0`): text no one can read, nor paste into a shell.
FS_BYTES_ERRORS = "newsdedup.fsbytes"


def _fs_bytes(exc: UnicodeError) -> tuple[str | bytes, int]:
    """The encode error handler FS_BYTES_ERRORS: a run of lone surrogates goes out as the bytes they stand
    for when those are UTF-8 (the name as the file system has it: a UTF-8 terminal shows `dé`, and what is
    pasted back is the same bytes), else each as `\\xe9` (bytes that are not UTF-8); any other character the
    stream's encoding cannot hold as `\\u65e5` (as Python's `backslashreplace`)."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = bytearray()
    raw = bytearray()

    def flush_raw() -> None:
        try:
            bytes(raw).decode("utf-8")
            out.extend(raw)
        except UnicodeDecodeError:
            out.extend("".join(f"\\x{b:02x}" for b in raw).encode("ascii"))
        raw.clear()
    for c in exc.object[exc.start:exc.end]:
        if 0xDC80 <= ord(c) <= 0xDCFF:
            raw.append(ord(c) - 0xDC00)
            continue
        flush_raw()
        out.extend(c.encode("ascii", "backslashreplace"))
    flush_raw()
    return bytes(out), exc.end


codecs.register_error(FS_BYTES_ERRORS, _fs_bytes)


def show_paths_as_bytes(stream: object) -> None:
    """Make `stream` (sys.stdout, sys.stderr) write lone surrogates with FS_BYTES_ERRORS: one change for every
    message and log line that names a path, wherever it is formatted. A stream that is no TextIOWrapper
    (a test's StringIO, None when closed) is left as it is."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors=FS_BYTES_ERRORS)


_SURROGATE_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\udc([89a-f][0-9a-f])")


def quoted(text: str, keep: int = 120) -> str:
    """A value an operator gave (an environment variable, an argument) quoted for a message, as `repr` does,
    but cut in the middle past `keep` characters (a 100,000-character setting was echoed whole) and with a
    byte that is not text in this locale (Python holds it as a lone surrogate) as `\\xe9` instead of
    `\\udce9`."""
    if len(text) > keep:
        text = f"{text[:keep // 2]}…({len(text):,} characters)…{text[-keep // 2:]}"
    return _SURROGATE_ESCAPE.sub(r"\1\\x\2", repr(text))
