"""Text side of dedup: sentence splitting, normalised tokens, sentence and shingle hashes."""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import xxhash

# Scripts written without spaces between words: each character is a token (character shingles).
_NOSPACE = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f"


def _word_marks() -> str:
    """Character-class ranges of the combining marks (Mn, Mc, Me) outside the scripts without spaces, in
    the Basic Multilingual Plane (a class with ranges beyond it is tried range by range, on every
    character: the historic scripts' marks there are not worth that)."""
    nospace = re.compile(f"[{_NOSPACE}]")
    marks = [cp for cp in range(0x10000) if unicodedata.category(chr(cp)) in ("Mn", "Mc", "Me")
             and not nospace.match(chr(cp))]
    ranges: list[str] = []
    start = prev = marks[0]
    for cp in [*marks[1:], -1]:
        if cp != prev + 1:
            ranges.append(f"\\u{start:04x}-\\u{prev:04x}")
            start = cp
        prev = cp
    return "".join(ranges)


# A token is a word: word characters and the marks inside it. Devanagari, Bengali, Tamil... spell their
# vowels with signs that are marks, no word characters: each cut the word and was lost ("दुनिया" was the
# tokens द, न, य; "दिन" and "दुन" the same two).
# (Unrolled, word characters then marks and word characters again: an alternation tried per character
# made parsing the dev texts 1.6x slower.)
_WORD_MARKS = _word_marks()
TOKEN_RE = re.compile(rf"[{_NOSPACE}]|[^\W{_NOSPACE}]+(?:[{_WORD_MARKS}]+[^\W{_NOSPACE}]*)*")
_ASCII_TOKEN_RE = re.compile(r"\w+")  # TOKEN_RE on ASCII text (no no-space script there), ~1.5x faster
_HAS_WORD = re.compile(r"\w")

# Candidate sentence ends: terminal punctuation, closing quotes/brackets, then whitespace.
# CJK full stops end a sentence without a following space.
# The lookahead gives the regex engine one set of first characters to scan for (2.4x faster).
# A run of terminators is read once, from its first character, and never given back: tried at every
# character of a run without a space after it, 40,000 dots (a 40 kB text) took 30 s, 2 MB hours.
_END_RE = re.compile(r"(?=[.!?…。！？])(?:(?<![.!?…])([.!?…]++[\"'”’»)\]]*+)(\s+)|([。！？]+[」』”）]*))")
_OPENERS = "\"'“‘„«([¿¡—–-"
# Words that end with a full stop without ending the sentence (lowercased, without the dot).
_ABBREVIATION_WORDS = """mr mrs ms dr prof st sen rep gov gen col lt sgt capt cmdr adm maj jr sr inc ltd co corp bros vs etc
    no nr nos fig approx dept univ assn est ave blvd rd mt ft hon rev messrs mme mlle jan feb mar apr jun jul
    aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m z.b bzw ca vgl usw dt evtl ggf inkl jh str tel mio
    mrd bzgl sog s.a d.h u.a o.ä v.a sr sra srta ud uds av mme art abs"""
ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
_ORDINAL_CONTEXT = frozenset(["am", "vom", "zum", "bis", "dem", "der", "den", "des", "die", "das", "im", "seit", "ab", "zum", "zur", "den", "le", "la"])
_MONTHS = frozenset(
    ["januar", "jänner", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember", "januari", "februari", "maart", "mei", "augustus", "oktober", "desember", "januar", "februar", "mars", "juni", "juli", "ledna", "února", "března", "dubna", "května", "června", "července", "srpna", "září", "října", "listopadu", "prosince"]
)
_NUMBER_ABBREVIATIONS = frozenset({"no", "nr", "nos", "art", "abs", "fig"})


# Unicode's Default_Ignorable_Code_Point characters (soft hyphen, zero-width space and joiners, word
# joiner, BOM, bidi marks and overrides, variation selectors, tags): a reader never sees them, and
# NFKC_Casefold removes them too. Each one inside a word used to split it into two tokens, so a copy
# salted with zero-width spaces or a page hyphenated with &shy; shared no shingle with its original.
# So are the C0 and C1 control characters that are no white space or line break (NUL, backspace, ESC,
# DEL, CSI...) and the interlinear annotation anchors (U+FFF9-FFFB): a page shows nothing for them.
IGNORABLE_RE = re.compile(
    "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f"
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
# The generic combining marks (Combining Diacritical Marks and their Extended and Supplement blocks,
# marks for symbols, half marks), left after NFKC composed what it could: an accent on a letter that
# has no precomposed form, or a "fancy text" generator's strike-through (U+0336) or underline (U+0332)
# after every character. They are no word characters, so each cut a word into pieces. Scripts whose
# marks spell their words (Devanagari, Thai, Hebrew, Arabic...) have them in blocks of their own.
# A character reference left in a text (a feed escaped twice shows "&#8217;", "&amp;", "&nbsp;" as
# text; one that escaped letters, "c&#111;uncil", or hyphenated with "&shy;" shows it only to a program):
# read as the character it names, as the original page showed it. Each was tokens of its own ("8217",
# "nbsp") inside the words. Only a whole reference, with its semicolon: "R&D", "&notice" stay text.
_ENTITY_RE = re.compile("&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});")
# ASCII that `fold` changes beyond casefolding: control characters and character references
_ASCII_FOLDED_RE = re.compile(f"[\x00-\x08\x0e-\x1b\x7f]|{_ENTITY_RE.pattern}")
# Dropped with them: Arabic's harakat, Quranic annotation marks and kashida (tatweel, which only stretches a
# word) and Hebrew's points and cantillation, which a text is written with or without: "كَتَبَ" was the
# three tokens ك ت ب and "كتب" one, so a copy that added or dropped them shared no shingle with its story.
_MARK_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
                      "\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
                      "\u08d3-\u08e1\u08e3-\u08ff\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7]")


# Cyrillic, Greek, Armenian and Cherokee letters a reader cannot tell from Latin ones, and back
# (Russian's only: a Latin letter in a Cyrillic text stands for one of them). One character for one, so
# positions hold. Cherokee's lower case (U+AB70-ABBF, U+13F8-13FD) looks like small capitals: read too.
_CYRILLIC_LOOKALIKES = ("АВЕКМНОРСТХУЅІЈӀԚԜҮҺаеорсухѕіјԁԛԝһүӏк", "ABEKMHOPCTXYSIJIQWYHaeopcyxsijdqwhylk")
_GREEK_LOOKALIKES = ("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧαορι\u03baνυχ", "ABEZHIKMNOPTYXaopikvux")
_ARMENIAN_LOOKALIKES = ("օսհոցզՕՏ", "ouhngqOS")
_CHEROKEE_LOOKALIKES = ("ᎪᏴᏟᎬᏀᎻᎫᏦᏞᎷᏢᏒᏚᎢᏙᎳᏃ", "ABCEGHJKLMPRSTVWZ")
_TO_LATIN = str.maketrans(
    _CYRILLIC_LOOKALIKES[0] + _GREEK_LOOKALIKES[0] + _ARMENIAN_LOOKALIKES[0] + _CHEROKEE_LOOKALIKES[0]
    + _CHEROKEE_LOOKALIKES[0].lower(),
    _CYRILLIC_LOOKALIKES[1] + _GREEK_LOOKALIKES[1] + _ARMENIAN_LOOKALIKES[1] + _CHEROKEE_LOOKALIKES[1]
    + _CHEROKEE_LOOKALIKES[1].lower())
_TO_CYRILLIC = str.maketrans("ABEKMHOPCTXYaeopcyx", "АВЕКМНОРСТХУаеорсух")
_LATIN_RE = re.compile("[A-Za-z]")
_CYRILLIC_RE = re.compile("[\u0400-\u052f]")
_OTHER_SCRIPT_RE = re.compile("[\u0370-\u03ff\u0400-\u052f\u0531-\u058f\u13a0-\u13ff\uab70-\uabbf]")


def _one_script(text: str) -> str:
    """A text that mixes Latin with Cyrillic, Greek, Armenian or Cherokee letters, its lookalikes spelt
    in the script most of its letters are in: Latin, else Cyrillic (another majority is left as it is).

    A copy written with Cyrillic а, е, о, р, с for Latin letters reads the same and shared no shingle
    with its original; a Russian text with Latin o is the same trick the other way. Texts are
    sentences, so the same sentence always comes out the same, and a foreign word in it is spelt the
    same way in every copy."""
    if _OTHER_SCRIPT_RE.search(text) is None or _LATIN_RE.search(text) is None:
        return text
    latin, other = len(_LATIN_RE.findall(text)), len(_OTHER_SCRIPT_RE.findall(text))
    if latin > other:
        return text.translate(_TO_LATIN)
    cyrillic = len(_CYRILLIC_RE.findall(text))
    return text.translate(_TO_CYRILLIC) if cyrillic > other - cyrillic else text


def fold(text: str) -> str:
    """A text as tokens are read from it (any non-ASCII one, or ASCII `_ASCII_FOLDED_RE` finds
    something in): character references read, invisible characters dropped, NFKC, lookalike letters
    spelt in the text's main script, casefolded, generic combining marks dropped (every token position
    in this module is counted on this form).

    The marks go after casefolding, which spells Turkish İ as i and a combining dot above (U+0307), and
    Greek ΐ and ΰ with two marks: "İstanbul" was two tokens, "i" and "stanbul", and an ASCII-only
    copy's "Istanbul" one, so a Turkish story and its copy without accents shared too few shingles to
    be joined."""
    if "&" in text:
        text = _ENTITY_RE.sub(_character, text)
    folded = _one_script(unicodedata.normalize("NFKC", IGNORABLE_RE.sub("", text))).casefold()
    return _MARK_RE.sub("", folded)


def _character(m: re.Match[str]) -> str:
    return html.unescape(m.group())


def _latin_skeleton_table() -> dict[int, str]:
    """Latin letters with diacritics (and Russian ё) as the plain letter an ASCII keyboard writes."""
    plain = {"æ": "a", "Æ": "a", "ø": "o", "Ø": "o", "œ": "o", "Œ": "o", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d",
             "ħ": "h", "Ħ": "h", "ı": "i", "ł": "l", "Ł": "l", "ŀ": "l", "Ŀ": "l"}
    table = {ord(k): v for k, v in plain.items()}
    # Latin small capitals ("fancy text": ᴄᴏᴜɴᴄɪʟ) and IPA letters read as plain ones (ɑ, ɡ, ɩ, ǀ):
    # NFKC keeps them, and a copy spelt with them shared no word with its story.
    table.update((ord(k), v) for k, v in zip("ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘꞯʀꜱᴛᴜᴠᴡʏᴢɑɡɩǀ", "abcdefghijklmnopqrstuvwyzagil", strict=True))
    for cp in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        parts = unicodedata.normalize("NFKD", chr(cp))
        base = plain.get(parts[0], parts[0])
        if len(parts) > 1 and base.isascii() and base.isalpha() and all(map(unicodedata.combining, parts[1:])):
            table[cp] = base.lower()
    table[ord("ё")] = "е"
    return table


_SKELETON = _latin_skeleton_table()
_SKELETON_RE = re.compile("[" + "".join(map(chr, sorted(_SKELETON))) + "]")


def _skeleton(text: str) -> str:
    """A casefolded text's letters as an ASCII keyboard spells them: diacritics dropped (façade,
    Zürich -> facade, zurich) and the digraphs German and Scandinavian ASCII writes for ä, ö, ü, æ, ø
    read as the plain vowel (Zuerich -> zurich). One letter for one, or two for one inside a word, so
    the tokens are the same tokens at the same positions.

    An ASCII-only feed (a wire's, a scraper's) prints a story without its accents, or with ae, oe,
    ue, and such a copy of a German or French text shared a third of its shingles with the original.
    Words this makes alike ("due" and "du") are rarely five in a row, and every copy of a text is
    spelt the same way."""
    if _SKELETON_RE.search(text) is not None:
        text = text.translate(_SKELETON)
    return _digraphs(text)


def _digraphs(text: str) -> str:
    return text.replace("ae", "a").replace("oe", "o").replace("ue", "u") if "e" in text else text


def normalise_tokens(text: str, seen: dict[str, str] | None = None) -> list[str]:
    """Tokens compared everywhere: NFKC, casefolded, Latin letters without their diacritics, words
    (or single no-space-script characters).

    Case, quotes, dashes, non-breaking spaces, punctuation, invisible characters and accents never
    matter, so typography-only copies and ASCII-only copies hash alike (`_skeleton`). With `seen`
    (and for any text over `_SHARED_TOKENS_MIN_CHARS`), equal tokens are one string object, shared by
    every call given the same dict.
    """
    if text.isascii() and _ASCII_FOLDED_RE.search(text) is None:  # NFKC is the identity on ASCII
        tokens = _ASCII_TOKEN_RE.findall(_digraphs(text.lower()))
        return tokens if seen is None else [seen.setdefault(token, token) for token in tokens]
    folded = _skeleton(fold(text))
    if seen is None:
        if len(folded) <= _SHARED_TOKENS_MIN_CHARS:
            return TOKEN_RE.findall(folded)
        seen = {}
    # A text of a script without spaces is a token per character, and findall made a string object of
    # each (80 bytes: 160 MB for a 2-million-character Thai text), all at once.
    return [seen.setdefault(token, token) for token in map(re.Match.group, TOKEN_RE.finditer(folded))]


# A text over this many characters holds its tokens as one string object per distinct token.
_SHARED_TOKENS_MIN_CHARS = 100_000


def _is_abbreviation(chunk: str, after: str = "") -> bool:
    """True when the text before a full stop ends in an abbreviation or an initial."""
    tail = chunk[-80:].split()  # the last words only: a search over the whole chunk is quadratic
    if not tail:
        return False
    word = tail[-1].lstrip(_OPENERS).rstrip(".").lower()
    if not word:
        return False
    if len(word) == 1 and word.isalpha():  # initials: "J. Smith", "U. S."
        return True
    if word.isdigit() and len(word) <= 2:  # ordinals: "am 9. Oktober", "der 2. Weltkrieg"
        before = tail[-2:-1]
        nxt = after[:40].split()[:1]
        return bool(before and before[0].lower() in _ORDINAL_CONTEXT) or bool(
            nxt and nxt[0].lower().strip(",") in _MONTHS
        )
    if word in _NUMBER_ABBREVIATIONS:  # "No. 1" but not 'said "No." Then'
        return after.lstrip()[:1].isdigit()
    return word in ABBREVIATIONS or (word.count(".") >= 1 and all(len(p) <= 2 for p in word.split(".")))


_SKIP_OPENERS_RE = re.compile("[" + re.escape(_OPENERS + " ") + "]*")
_NOSPACE_RE = re.compile(f"[{_NOSPACE}]")


def _starts_at(line: str, pos: int) -> bool:
    """Whether a new sentence starts at `line[pos:]`: an upper-case letter or digit (or a letter of a
    script without case), possibly after opening quotes; read in place, without copying the rest."""
    i = _SKIP_OPENERS_RE.match(line, pos).end()  # type: ignore[union-attr]  # '*' always matches
    if i >= len(line):
        return False
    c = line[i]
    return c.isupper() or c.isdigit() or not c.isalpha() and c.isalnum() or _is_nospace_char(c)


def _is_nospace_char(c: str) -> bool:
    return _NOSPACE_RE.match(c) is not None


# A left-to-right or right-to-left override (U+202D, U+202E) up to its pop (U+202C) or the line's end.
_OVERRIDE_RE = re.compile("([\u202d\u202e])([^\u202c\u202d\u202e]*)(\u202c?)")


def _reading_order(line: str) -> str:
    """A line with its overridden runs in the order a reader reads them.

    A browser lays out Latin letters after U+202E (RIGHT-TO-LEFT OVERRIDE) right to left: a copy whose
    paragraphs are stored backwards behind it ("licnuoc eht") shows as the story and shared no shingle
    with it. A run whose letters mostly go the other way than its override is reversed (Hebrew or
    Arabic stored backwards behind U+202D too); a run of the override's own direction is shown as stored.
    Only whole runs: closed by their pop, or the line's one override. Overrides strewn into words, never
    closed, nest to no order a reader follows: they are invisible characters there (`IGNORABLE_RE`).
    """
    lone = line.count("\u202d") + line.count("\u202e") == 1

    def run(m: re.Match[str]) -> str:
        body = m.group(2)
        if not (m.group(3) or lone):
            return m.group()
        rtl = m.group(1) == "\u202e"
        ltr_letters = sum(unicodedata.bidirectional(c) == "L" for c in body if c.isalpha())
        rtl_letters = sum(unicodedata.bidirectional(c) in ("R", "AL") for c in body if c.isalpha())
        return body[::-1] if (ltr_letters > rtl_letters) == rtl and ltr_letters != rtl_letters else body

    return _OVERRIDE_RE.sub(run, line)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences: lines are hard boundaries, then rule-based splitting inside a line
    (read in reading order, `_reading_order`).

    A full stop/question/exclamation mark (with closing quotes) followed by whitespace and an
    upper-case start is a boundary unless the word before it is an abbreviation, an initial or a
    one/two-digit ordinal. A quote that repeats earlier text therefore splits where the earlier
    sentence ended, which is what within-article repeat detection needs.
    """
    out: list[str] = []
    for line in text.splitlines():
        if "\u202d" in line or "\u202e" in line:
            line = _reading_order(line)
        line = line.strip()
        if not line:
            continue
        start = 0
        for m in _END_RE.finditer(line):
            if m.group(3):  # CJK terminator
                end = m.end()
            else:
                end = m.end(1)
                if not _starts_at(line, m.end()):
                    continue
                # the abbreviation test reads the last words before and a few after the stop
                s1 = m.start(1)
                if m.group(1).startswith(".") and len(m.group(1).rstrip("\"'”’»)]")) == 1 and _is_abbreviation(
                    line[max(start, s1 - 80) : s1], line[m.end() : m.end() + 40]
                ):
                    continue
            piece = line[start:end].strip()
            if piece:
                out.append(piece)
            start = m.end()
        piece = line[start:].strip()
        if piece:
            out.append(piece)
    return out


def hash_tokens(tokens: list[str]) -> int:
    """64-bit hash of a normalised token sequence (sentences, whole texts)."""
    return xxhash.xxh3_64_intdigest("\x1f".join(tokens))


def hex64(h: int) -> str:
    return f"{h:016x}"


_TOKEN_CACHE: dict[str, int] = {}
_MULT = np.uint64(0x9E3779B97F4A7C15)


def token_hashes(tokens: list[str]) -> np.ndarray:
    """64-bit hashes of tokens (cached: news vocabulary is Zipfian, most lookups hit)."""
    cache = _TOKEN_CACHE
    if len(cache) > 2_000_000:  # bound memory on endless vocabularies
        cache.clear()
    out = list(map(cache.get, tokens))
    if None in out:
        for i, h in enumerate(out):
            if h is None:
                t = tokens[i]
                # a token missed again (a text of few distinct tokens) takes the int made at its first miss:
                # one new int per occurrence was 64 MB for a 2-million-character Thai text
                h = cache.get(t)
                if h is None:
                    # stored signed: numpy builds int64 arrays from small ints much faster
                    h = cache[t] = xxhash.xxh3_64_intdigest(t) - (1 << 63)
                out[i] = h
    return np.fromiter(out, dtype=np.int64, count=len(out)).view(np.uint64)


def shingle_hashes(tok_h: np.ndarray, sent_lens: list[int], k: int) -> tuple[np.ndarray, np.ndarray]:
    """32-bit hashes of word k-shingles inside each sentence, in order, and shingles per sentence.

    Shingles do not cross sentence boundaries, so a sentence's shingles can be dropped when it turns
    out to be boilerplate. A sentence shorter than k words gives one shingle of all its words.
    Returns (hashes uint32, counts int64 per sentence).
    """
    n = len(tok_h)
    counts = np.array([(ln - k + 1) if ln >= k else (1 if ln > 0 else 0) for ln in sent_lens], dtype=np.int64)
    if n == 0:
        return np.zeros(0, dtype=np.uint32), counts
    # Polynomial combination of token hashes over a window of k (wrapping uint64 arithmetic).
    with np.errstate(over="ignore"):
        acc = tok_h.copy()
        if n >= k:
            win = tok_h[: n - k + 1].copy()
            for j in range(1, k):
                win = win * _MULT + tok_h[j : n - k + 1 + j]
        else:
            win = np.zeros(0, dtype=np.uint64)
        parts = []
        pos = 0
        for ln in sent_lens:
            if ln >= k:
                parts.append(win[pos : pos + ln - k + 1])
            elif ln > 0:
                h = acc[pos]
                for j in range(1, ln):
                    h = h * _MULT + acc[pos + j]
                parts.append(np.array([h ^ np.uint64(ln)], dtype=np.uint64))
            pos += ln
        allh = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)
        folded = (allh ^ (allh >> np.uint64(32))).astype(np.uint32)
    return folded, counts


@dataclass(slots=True)
class ParsedDoc:
    """State-independent analysis of one text (safe to compute in a worker process).

    Per-sentence facts are numpy arrays and the sentence texts one string: a 100k-doc batch holds
    2 million sentences, and a Python object per sentence is what used to dominate memory.
    """

    sentence_text: str  # the sentences joined by "\n" (a sentence never holds a line break)
    sent_tokens: np.ndarray  # int32, tokens per sentence
    sent_hashes: np.ndarray  # uint64, normalised-token hash per sentence
    content_hash: int
    n_tokens: int
    shingles: np.ndarray  # uint32, sentence order
    shingle_counts: np.ndarray  # int32, shingles per sentence
    within_counts: np.ndarray  # int32, occurrences of each sentence in this text (prefix repeats included)
    signature: np.ndarray | None = None  # MinHash of all shingles (set by the parse workers)

    @property
    def sentences(self) -> list[str]:
        return self.sentence_text.split("\n") if self.sentence_text else []


_END_BOUNDARY_RE = re.compile(r"[.!?…,;:]")
_START_BOUNDARY_RE = re.compile(r"\s[\-–—]\s")  # a dateline: "LONDON (AP) – X."


def _bounded_at(sentence: str, start: int, n_tokens: int) -> bool:
    """True when tokens [start, start+n) of `sentence` are set off by punctuation on both sides.

    '"X." a spokesperson said.' and 'LONDON (AP) – X.' repeat the sentence "X."; 'X and Y, police
    said.' does not, and a headline reused as the start of the lede is not a repeated sentence.
    """
    norm = fold(sentence)
    spans = [m.span() for m in TOKEN_RE.finditer(norm)]
    end = start + n_tokens
    if end > len(spans):
        return False
    if start > 0 and not _START_BOUNDARY_RE.search(norm[spans[start - 1][1] : spans[start][0]]):
        return False
    return end == len(spans) or bool(_END_BOUNDARY_RE.search(norm[spans[end - 1][1] : spans[end][0]]))


# Dateline dashes looked at per sentence: a real sentence has one or two; a hostile one has thousands.
MAX_REPEAT_STARTS = 8
_MOD = (1 << 61) - 1  # prefix hashes of token sequences (Mersenne prime modulus)
_BASE = 1_000_003


def _repeat_starts(sentence: str, min_tokens: int) -> list[int]:
    """Token positions where an earlier sentence may be repeated: the start, and after a dateline
    dash (the first `MAX_REPEAT_STARTS`)."""
    starts = [0]
    if "-" in sentence or "–" in sentence or "—" in sentence:
        norm = fold(sentence)
        spans = [m.span() for m in TOKEN_RE.finditer(norm)]
        for k in range(1, len(spans) - min_tokens + 1):
            if _START_BOUNDARY_RE.search(norm[spans[k - 1][1] : spans[k][0]]):
                starts.append(k)
                if len(starts) > MAX_REPEAT_STARTS:
                    break
    return starts


def within_counts(
    sentences: list[str], toks_per: list[list[str]], hashes: list[int], min_tokens: int
) -> list[int]:
    """How often each sentence occurs in the text, whole or inside a longer sentence.

    Quotes come back inside a longer sentence ('..." a spokesperson said.', a dateline before it):
    a complete sentence (ending in punctuation) of at least `min_tokens` words found at the start
    of a later sentence, or after a dateline dash in any other, set off by punctuation there,
    counts as one more occurrence.

    Linear in the text whatever it repeats (a page of one sentence 60,000 times, or of thousands of
    sentences with one opening, was quadratic): copies of a sentence are looked at once, and a
    longer sentence finds the complete sentences it starts with through prefix hashes, one look-up
    per sentence length that occurs, never by trying every sentence with the same opening words.
    """
    counts: dict[int, int] = {}
    for h in hashes:
        counts[h] = counts.get(h, 0) + 1
    out = [counts[h] for h in hashes]
    ids: dict[str, int] = {}  # token -> small int, for the prefix hashes
    codes = [[ids.setdefault(t, len(ids) + 1) for t in ts] for ts in toks_per]
    # complete sentences that may come back: (length, prefix hash) -> their positions
    table: dict[tuple[int, int], list[int]] = {}
    lengths: dict[tuple[int, ...], set[int]] = {}  # the first min_tokens words -> lengths starting so
    for i, ts in enumerate(codes):
        if len(ts) >= min_tokens and _END_BOUNDARY_RE.search(sentences[i][-3:]):
            h = 0
            for c in ts:
                h = (h * _BASE + c) % _MOD
            table.setdefault((len(ts), h), []).append(i)
            lengths.setdefault(tuple(ts[:min_tokens]), set()).add(len(ts))
    if not table:
        return out
    # the positions of each longer sentence that a shorter one begins at its start (later ones count)
    later: dict[int, list[int]] = {}  # first position of a repeated sentence -> positions of carriers
    extra: dict[int, int] = {}  # first position of a repeated sentence -> carriers after a dateline
    groups: dict[str, list[int]] = {}
    for j, tj in enumerate(codes):
        if len(tj) > min_tokens:
            groups.setdefault(sentences[j], []).append(j)
    for sentence, js in groups.items():
        tj = codes[js[0]]
        for start in _repeat_starts(sentence, min_tokens):
            lens = lengths.get(tuple(tj[start : start + min_tokens]))
            if not lens:
                continue
            top = min(max(lens), len(tj) - start, len(tj) - 1)
            h = 0
            for n, c in enumerate(tj[start : start + top], 1):
                h = (h * _BASE + c) % _MOD
                if n < min_tokens or n not in lens:
                    continue
                cand = table.get((n, h))
                if not cand or codes[cand[0]] != tj[start : start + n] or not _bounded_at(sentence, start, n):
                    continue
                if start > 0:
                    extra[cand[0]] = extra.get(cand[0], 0) + len(js)
                else:
                    later.setdefault(cand[0], []).extend(js)
    for first, carriers in later.items():
        carriers.sort()
        for i in table_positions(table, codes, first):
            out[i] += len(carriers) - bisect.bisect_right(carriers, i)
    for first, n in extra.items():
        for i in table_positions(table, codes, first):
            out[i] += n
    return out


def table_positions(table: dict[tuple[int, int], list[int]], codes: list[list[int]], first: int) -> list[int]:
    """Every position of the sentence whose first position is `first` (its `table` entry)."""
    ts = codes[first]
    h = 0
    for c in ts:
        h = (h * _BASE + c) % _MOD
    return table[(len(ts), h)]


# The most one character grows under NFKC: U+FDFA is 18 characters (and U+3316 six one-token katakana).
_NFKC_MAX_GROWTH = 18


def cut_text(text: str, max_chars: int) -> str:
    """`text` within `max_chars` characters as tokens are read from it (NFKC), not only as stored.

    A cut counted in stored characters let a text of characters NFKC spells long (U+3316 is six
    katakana, six tokens; U+FDFA 18 characters) hold six times the tokens and shingles the limit
    meant: 12 million for 2 million characters. Such a text is cut in its NFKC form (which reads the
    same: every later step normalises it so). A text that cannot outgrow the limit is not looked at.
    Returns `text` itself when nothing was cut (`is_cut`)."""
    if len(text) > max_chars:
        text = text[:max_chars]
    if len(text) * _NFKC_MAX_GROWTH > max_chars and not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        normal = unicodedata.normalize("NFKC", text)
        if len(normal) > max_chars:
            return normal[:max_chars]
    return text


def is_cut(text: str, max_chars: int) -> bool:
    """Whether `cut_text` cuts the text (what the dedup stage counts as `cut_long_text`)."""
    return cut_text(text, max_chars) is not text


def text_hash(text: str, max_chars: int = 2_000_000) -> str:
    """The content hash the dedup stage gives a text (`articles.content_hash`), without the rest of
    `parse_text`: equal for texts that differ only in case, punctuation or spacing."""
    text = cut_text(text, max_chars)
    return hex64(hash_tokens([t for s in split_sentences(text) for t in normalise_tokens(s)]))


def parse_text(text: str, k: int, within_min_tokens: int = 5, max_chars: int = 2_000_000) -> ParsedDoc:
    """Split, normalise and shingle one text. Very long texts are cut at `max_chars` (`cut_text`,
    counted upstream)."""
    text = cut_text(text, max_chars)
    sentences = split_sentences(text)
    seen: dict[str, str] | None = {} if len(text) > _SHARED_TOKENS_MIN_CHARS else None
    toks_per: list[list[str]] = [normalise_tokens(s, seen) for s in sentences]
    flat = [t for ts in toks_per for t in ts]
    lens = [len(ts) for ts in toks_per]
    sh, counts = shingle_hashes(token_hashes(flat), lens, k)
    hashes = [hash_tokens(ts) for ts in toks_per]
    return ParsedDoc(
        sentence_text="\n".join(sentences),
        sent_tokens=np.array(lens, dtype=np.int32),
        sent_hashes=np.array(hashes, dtype=np.uint64),
        content_hash=hash_tokens(flat),
        n_tokens=len(flat),
        shingles=sh,
        shingle_counts=counts.astype(np.int32),
        within_counts=np.array(within_counts(sentences, toks_per, hashes, within_min_tokens), dtype=np.int32),
    )


# ----- the lede's names and figures: one template filled for another event -------------------------------------
# Items of one wire template filled by a different outlet per event (an earthquake bot's reports run by local
# sites, obituaries) share 80-90 % of their words and no source carries the template twice, so no sentence is
# boilerplate: two of them read as a copy with 5 % of its words edited. What differs is who or where the story is
# about (a place, a person's name) and its figures. A developing story's update changes figures (and the day it
# reports: "said Tuesday") but keeps its names; a copy edit or a correction may change a name but keeps the
# figures. Both at once, in the same place of the same lede sentence, is another event.
LEDE_SENTENCES = 3
LEDE_MAX_CHARS = 1200
_LEDE_MAX_TOKENS = 80  # per sentence (difflib is quadratic in the worst case)
_LEDE_WORD_RE = re.compile(r"\w+")
# A dateline before the lede ("LOS ANGELES (AP) - ", "(Reuters) -- "): the copier's names, not the story's.
_DATELINE_RE = re.compile(r"^\W*[A-Z][A-Z.'\u2019]+\b[^\n]{0,50}?\s[-\u2013\u2014]{1,2}\s+")
# Day and month names: what a developing story's update changes ("officials said Monday" -> "said Tuesday").
_TIME_WORDS = """monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec today tonight
    yesterday tomorrow"""
_TIME_NAMES = frozenset(_TIME_WORDS.split())


def lede_of(sentence_text: str) -> str:
    """The first LEDE_SENTENCES sentences of a doc's sentence text ("\\n"-joined), at most LEDE_MAX_CHARS."""
    return "\n".join(sentence_text[: LEDE_MAX_CHARS * 2].split("\n", LEDE_SENTENCES)[:LEDE_SENTENCES])[:LEDE_MAX_CHARS]


def _lede_tokens(lede: str) -> list[list[tuple[str, str]]]:
    """Per lede sentence, (word as written, its normalised token): a copy's look-alike letters, full-width
    digits or zero-width characters change how a word is written, not which word it is."""
    out: list[list[tuple[str, str]]] = []
    for s in lede.split("\n"):
        words = _LEDE_WORD_RE.findall(IGNORABLE_RE.sub("", _DATELINE_RE.sub("", s, count=1)))[:_LEDE_MAX_TOKENS]
        toks = [(w, "".join(normalise_tokens(w))) for w in words]
        if toks:
            out.append(toks)
    return out


def _is_name(token: str, position: int) -> bool:
    """A capitalised word inside a sentence (not its first word), not a day or month name."""
    return (position > 0 and len(token) > 1 and token[0].isupper() and token.isalpha()
            and any(c.islower() for c in token[1:]) and token.casefold() not in _TIME_NAMES)


def _masked(tokens: list[str]) -> set[str]:
    return {"#" if t.isdigit() else t for t in tokens}


def other_event(lede_a: str, lede_b: str) -> bool:
    """True when two ledes are one template filled for two events: a sentence of one, aligned with its most
    alike sentence of the other (half its words alike, figures masked), has a name where the other has another
    name (neither name anywhere in the other lede), and somewhere in the aligned sentences figures replaced by
    other figures."""
    from difflib import SequenceMatcher

    ta, tb = _lede_tokens(lede_a), _lede_tokens(lede_b)
    if not ta or not tb:
        return False
    wa = {k for s in ta for _, k in s}
    wb = {k for s in tb for _, k in s}
    lb = [([k for _, k in s], [w for w, _ in s]) for s in tb]
    named = figured = False
    for ta_s in ta:
        ka = [k for _, k in ta_s]
        sa = [w for w, _ in ta_s]
        ma = _masked(ka)
        best: tuple[list[str], list[str]] | None = None
        best_j = 0.5
        for kb, sb in lb:
            if kb == ka:  # the sentence is in the other lede as it is
                best = None
                break
            mb = _masked(kb)
            j = len(ma & mb) / len(ma | mb) if ma or mb else 0.0
            if j >= best_j:
                best, best_j = (kb, sb), j
        if best is None:
            continue
        kb, sb = best
        for op, i1, i2, j1, j2 in SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes():
            if op != "replace":
                continue
            na = {ka[i] for i in range(i1, i2) if _is_name(sa[i], i)}
            nb = {kb[j] for j in range(j1, j2) if _is_name(sb[j], j)}
            if na and nb and not (na & wb) and not (nb & wa):
                named = True
            fa = [ka[i] for i in range(i1, i2) if ka[i].isdigit()]
            fb = [kb[j] for j in range(j1, j2) if kb[j].isdigit()]
            if fa and fb and fa != fb:
                figured = True
        if named and figured:
            return True
    return False
