"""Small pure helpers every mapping function uses: NFC text, HTML → text, canonical URLs, hashes."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from datetime import datetime, timedelta
from html.parser import HTMLParser
from typing import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_WS = re.compile(r"\s+")
_TRACKING = re.compile(r"^(utm_|fbclid$|gclid$|zarsrc$|zalo_|_ga$|ref$|source$|mc_)", re.I)
_BLOCK = {"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}


# Control characters and invisible format characters (zero-width spaces and joiners, soft hyphen, bidi
# overrides, BOM) come in with pasted and exported text: they hide words from search and place matching
# ("Vàng\u200bDanh", a trick to slip past keyword filters), can reorder what staff read, and break XML.
# A lone UTF-16 surrogate (half an emoji, "\ud83d" in the JSON of an API or export that cut the text by
# UTF-16 units) cannot be written as UTF-8: such a post or row was lost. The noncharacters U+FFFE/U+FFFF
# are not XML. Both go too.
# Round 32 (hostile35): the list was the usual suspects, not Unicode's Default_Ignorable_Code_Point set, and the rest
# of that set hid a place name as well («V\u061càng Danh»: the Arabic letter mark, a bidi control; the combining
# grapheme joiner U+034F, the Mongolian vowel separator U+180E, the deprecated format characters U+206A–U+206F,
# a variation selector inside a word, the tag characters U+E0000–U+E0FFF of «ASCII smuggling»; the Hangul fillers,
# below): Places found nothing, search and watchlists neither. Now the whole set goes (DerivedCoreProperties.txt,
# Unicode 15; and the interlinear annotation marks U+FFF9–U+FFFB, format characters never meant for interchange) but
# for what draws an emoji (below).
# The zero-width joiner also glues emoji into one picture ('👨‍👩‍👧', '🏳️‍🌈'): kept between two emoji.
_EMOJI = "\u2190-\u21ff\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff"
_LONE_ZWJ = re.compile(f"(?<![{_EMOJI}\ufe0f])\u200d|\u200d(?![{_EMOJI}])")
# A variation selector picks how the character before it is drawn ('❤️' is U+2764 U+FE0F; '#️⃣' U+0023 U+FE0F
# U+20E3): U+FE0E/U+FE0F are kept after an emoji or a keycap's character, dropped elsewhere («V\ufe0fàng Danh»).
# The tag characters spell a subdivision flag after a black flag ('🏴󠁧󠁢󠁳󠁣󠁴󠁿', England's: U+1F3F4, tags,
# U+E007F CANCEL TAG): that sequence is kept whole (_FLAG_OR_TAG, only for a text that has a tag character);
# every other tag character goes.
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x9f\u00ad\u034f\u061c\u17b4\u17b5\u180b-\u180f"
                        "\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufe00-\ufe0d\ufeff"
                        "\ufff0-\ufffb\ud800-\udfff\ufffe\uffff\U0001bca0-\U0001bca3\U0001d173-\U0001d17a]")
_STRAY_SELECTOR = re.compile(f"[\ufe0e\ufe0f](?<![{_EMOJI}#*0-9][\ufe0e\ufe0f])")  # in _INVISIBLE: every text 3× slower
_TAG = re.compile("[\U000e0000-\U000e0fff]")
_FLAG_OR_TAG = re.compile("(\U0001f3f4[\U000e0020-\U000e007e]{1,32}\U000e007f)|[\U000e0000-\U000e0fff]")


def _drop_invisible(s: str) -> str:
    s = _INVISIBLE.sub("", s)
    if "\ufe0f" in s or "\ufe0e" in s:
        s = _STRAY_SELECTOR.sub("", s)
    if _TAG.search(s):
        s = _FLAG_OR_TAG.sub(lambda m: m.group(1) or "", s) if "\U0001f3f4" in s else _TAG.sub("", s)
    return s


# The Hangul fillers (U+115F, U+1160, U+3164, U+FFA0) are ignorable to Unicode but drawn as a blank by most fonts, as
# the braille blank U+2800 is: «Vàng\u3164Danh» reads «Vàng Danh» on a screen, so they are spaces here (round 32).
_ODD_SPACE = re.compile("[\x0b\x0c\x1c-\x1f\x85\u115f\u1160\u2028\u2029\u2800\u3164\uffa0]")


# Block start tags that make an HTML5 parser walk its stack of open elements ("close a p element in button
# scope"): lexbor's time grows with the square of how deep they are left open (40,000 `<section>`, 200 KB: 6 s).
_BLOCK_TAG = re.compile(r"<(/?)(?:address|article|aside|blockquote|center|details|dialog|dir|div|dl|fieldset|"
                        r"figcaption|figure|footer|header|hgroup|main|menu|nav|ol|section|summary|ul|h[1-6]|pre|"
                        r"listing|form)\b", re.I)
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b", re.I)


def block_depth_over(html: str, limit: int) -> bool:
    """Whether block elements are left open more than `limit` deep anywhere in the page: one regex pass,
    opens minus closes (an end tag closes one; implied closes are not modelled, so sloppy pages read deeper)."""
    depth = 0
    for m in _BLOCK_TAG.finditer(html):
        if m.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > limit:
                return True
    return False


def without_scripts(html: str) -> str:
    """The page without its <script> and <style> elements, in one pass (an unclosed one drops the rest):
    a regex with a lazy body would rescan to the end for each unclosed tag."""
    out: list[str] = []
    low = html.lower()
    i = 0
    while (m := _SCRIPT_OR_STYLE.search(html, i)) is not None:
        out.append(html[i:m.start()])
        end = low.find(f"</{m.group(1).lower()}", m.end())
        if end < 0:
            return "".join(out)
        close = low.find(">", end)
        i = len(html) if close < 0 else close + 1
    out.append(html[i:])
    return "".join(out)


def nfc(s: str | None) -> str:
    return unicodedata.normalize("NFC", s or "")


def as_text(s: object) -> str:
    """A text field whatever came: a string, a number written out, anything else (None, a list, an object) "".
    The one copy: the HTML helpers below and the social collectors' JSON fields (collectors/_social.py)."""
    if isinstance(s, str):
        return s
    return str(s) if isinstance(s, (int, float)) and not isinstance(s, bool) else ""


# Cyrillic and Greek letters drawn like Latin ones (round 32): in a word that also has a Latin letter they are a
# spoof or an OCR slip («Uông Bí» with a Cyrillic «о» and a combining circumflex, which no place, search or watchlist
# found), read as the Latin letter. A word wholly in Cyrillic or Greek (real Russian, a formula's «α») is untouched.
_LOOKALIKE = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O",
    "Р": "P", "С": "C", "Т": "T", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "Ү": "Y",
    "α": "a", "ο": "o", "ν": "v", "ι": "i", "κ": "k", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P",
    "Τ": "T", "Υ": "Y", "Χ": "X",
})
_LOOKALIKE_ANY = re.compile("[" + "".join(chr(k) for k in _LOOKALIKE) + "]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_TOKEN = re.compile(r"\S+")


def _latin_lookalikes(s: str) -> str:
    """`s` with the Cyrillic and Greek look-alikes of `_LOOKALIKE` read as Latin inside tokens that hold a Latin
    letter too (before NFC, so «о» + U+0302 becomes «ô»)."""
    if not _LOOKALIKE_ANY.search(s):
        return s
    return _TOKEN.sub(lambda m: m.group().translate(_LOOKALIKE)
                      if _LATIN.search(m.group()) and _LOOKALIKE_ANY.search(m.group()) else m.group(), s)


def visible(s: str | None) -> str:
    """NFC text without control or invisible characters; vertical tabs, form feeds and line/paragraph
    separators become spaces (tab and newline stay); a joiner between two emoji stays; a Cyrillic or Greek
    look-alike inside a Latin word is read as the Latin letter (`_latin_lookalikes`)."""
    return nfc(_latin_lookalikes(_drop_invisible(_LONE_ZWJ.sub("", _ODD_SPACE.sub(" ", as_text(s))))))


def one_line(s: str | None) -> str:
    """Visible text on one line: whitespace runs (newlines too) one space, the ends trimmed. Unlike tidy, HTML
    entities stay as typed («&amp;» in a file name is its name). One copy for a stored file name
    (imports.stored_name) and a survey's title (orchestration.surveys): each wrote it again until round 22."""
    return " ".join(visible(s).split())


def tidy(s: str | None) -> str:
    """NFC, HTML entities unescaped, invisible characters dropped, whitespace collapsed."""
    return _WS.sub(" ", visible(html.unescape(as_text(s)))).strip()


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in _BLOCK:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def strip_html(s: str | None) -> str:
    """Visible text of an HTML fragment (scripts and styles dropped), tidied."""
    s = as_text(s)
    if not s:
        return ""
    if "<" not in s and "&" not in s:
        return tidy(s)
    p = _Text()
    try:
        p.feed(_stray_lt_escaped(s))
        p.close()
    except Exception:  # malformed markup: fall back to a crude tag strip
        return tidy(re.sub(r"<[^<>]*>", " ", s))  # [^<>]: one pass (with [^>], each «<» of «<<<…» read to the end)
    return tidy("".join(p.parts))


_COMMENT_CLOSE = re.compile(r"--\s*>")   # as html.parser closes a comment
_SECTION_CLOSE = re.compile(r"]\s*]\s*>")  # «]]>» ends a marked section (<![CDATA[ …)…
_MS_SECTION = re.compile(r"<!\[\s*(?:if|else|endif)\b", re.I)
_MS_SECTION_CLOSE = re.compile(r"]\s*>")   # …and «]>» MS Office's (<![if …]>), as html.parser reads them
_MARKUP_OPEN = re.compile(r"<(?:/|!|\?)")   # an end tag, a declaration or a processing instruction: to their «>»
# A start tag whose quotes all close before its «>» (html.parser reads a quoted value past «>» and «<»). Possessive
# quantifiers (Python 3.11): with plain ones, «<a b=» and 20,000 «=» or spaces backtracked for 16–50 s.
# An attribute may follow a closing quote with no space («<a href="x"target="_blank">», as sloppy CMS output writes
# it): html.parser accepts it (its `(?<=['"\s/])`), so this does too (review32: such tags reached staff as text).
_START_TAG = re.compile(r"""<[A-Za-z][^\s/>]*+(?:(?:[\s/]++|(?<=['"]))[^\s/>][^\s/=>]*+"""
                        r"""(?:\s*+=++\s*+(?:"[^"]*+"|'[^']*+'|(?!['"])[^\s>]*+))?+)*+[\s/]*+>""")


class _Next:
    """The next match of `find` at or after a position, for positions asked in increasing order: each search starts
    where the last one ended, so all the searches of one text read it once."""

    def __init__(self, find: Callable[[int], int]) -> None:
        self.find, self.at = find, -2

    def __call__(self, pos: int) -> int:
        if self.at == -1 or self.at >= pos:
            return self.at
        self.at = self.find(pos)
        return self.at


def _stray_lt_escaped(s: str) -> str:
    """`s` with every «<» that opens no complete piece of markup written «&lt;»: a start tag whose quotes close and
    whose «>» comes before the next «<», an end tag, declaration or processing instruction with a «>» before the next
    «<», a comment with its «-->», a marked section with its «]]>». html.parser reads the rest of the text again at
    each «<» it cannot close (Python 3.11; CVE-2025-6069, fixed in 3.12.11 and 3.13.5): 150 KB of «<a b='» took
    157 s, 100 KB of «<!--» 11 s, in any feed summary, imported cell or message strip_html reads (round 31,
    `hostile34`). Such a «<» was shown as text; it still is (the parser turns «&lt;» back), and complete markup is
    untouched."""
    if len(s) < 1000:  # too short to matter: html.parser reads it in microseconds whatever it holds
        return s
    out: list[str] = []
    next_lt = _Next(lambda pos: s.find("<", pos))
    next_gt = _Next(lambda pos: s.find(">", pos))
    comment_close = _Next(lambda pos: m.start() if (m := _COMMENT_CLOSE.search(s, pos)) else -1)
    section_close = _Next(lambda pos: m.start() if (m := _SECTION_CLOSE.search(s, pos)) else -1)
    ms_section_close = _Next(lambda pos: m.start() if (m := _MS_SECTION_CLOSE.search(s, pos)) else -1)
    i = 0
    while (j := s.find("<", i)) >= 0:
        out.append(s[i:j])
        if s.startswith("<!--", j):
            close = comment_close(j + 4)
            end = s.index(">", close) + 1 if close >= 0 else -1
        elif s.startswith("<![", j):
            close = (ms_section_close if _MS_SECTION.match(s, j) else section_close)(j + 3)
            end = s.index(">", close) + 1 if close >= 0 else -1
        elif _MARKUP_OPEN.match(s, j):
            gt, lt = next_gt(j + 1), next_lt(j + 1)
            end = gt + 1 if gt >= 0 and (lt < 0 or gt < lt) else -1
        else:  # a start tag, read up to the next «<» (a quoted value may hold «>»)
            lt = next_lt(j + 1)
            m = _START_TAG.match(s, j, lt if lt >= 0 else len(s))
            end = m.end() if m else -1
        if end < 0:
            out.append("&lt;")
            i = j + 1
        else:
            out.append(s[j:end])
            i = end
    out.append(s[i:])
    return "".join(out)


def canonical_url(url: str) -> str:
    """One key per article: https, lower-case host without www., no fragment, no tracking parameters."""
    url = (url or "").strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        scheme = "https"
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)))
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, query, ""))


def sha1(s: str) -> str:
    return hashlib.sha1(s.encode("utf-8")).hexdigest()


def content_hash(title: str, summary: str, fallback: str) -> str:
    """Hash of the visible text, case- and space-insensitive; `fallback` (the URL) when there is no text."""
    text = _WS.sub(" ", f"{title}\n{summary}".casefold()).strip()
    return sha1(text if len(text) >= 12 else f"url:{fallback}")


def is_http_url(url: str) -> bool:
    """http(s) and parseable: a broken address ('https://[bao.vn/x', port 99999) is no link, so a
    mapper skips the entry with a reason instead of failing on it later (canonical_url)."""
    try:
        parts = urlsplit(url or "")
        parts.port  # noqa: B018 (raises ValueError when out of range or not a number)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https")


def effective_published(
    published: datetime | None, fetched_at: datetime, future_tolerance_minutes: float
) -> tuple[datetime, bool, str | None]:
    """(time to store, estimated?, flag): a missing date, or one further ahead than the tolerance,
    becomes the fetch time and is flagged 'no_date' / 'future_date'."""
    if published is None:
        return fetched_at, True, "no_date"
    if published > fetched_at + timedelta(minutes=future_tolerance_minutes):
        return fetched_at, True, "future_date"
    return published, False, None
