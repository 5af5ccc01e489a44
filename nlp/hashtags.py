"""Hashtags read as words, for the Places step (round 32, issue 13).

Fanpages end a post with the place it is about, as hashtags: «… ngập sâu. #UongBi #QuangNinh», «#uôngbí»,
«#vang_danh». The gazetteer matches names syllable by syllable, so a name joined into one hashtag was never read and
the post fell out of the area. `hashtag_text` spells each hashtag out as syllables:

    #UongBi      → Uong Bi        (capitals start syllables)
    #vang_danh   → vang danh      (underscores, digits split)
    #uôngbí      → uông bí        (one way only to cut it into Vietnamese syllables, fewest first)
    #nhatrang    → (nothing)      («nha trang» and «nhat rang» both spell it: no guess)

Only the Places step reads the result (after the title, before the text, so a long text's cut never drops it); the
classifiers read the text as written. Bounded: at most `MAX_HASHTAGS` hashtags of at most `MAX_CHARS` characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache

from nlp.normalise import is_vi_syllable
from vocab.folding import fold

MAX_HASHTAGS = 30
MAX_CHARS = 40
_MAX_SYLLABLE = 7  # «nghiêng» is the longest Vietnamese syllable
_HASHTAG = re.compile(r"(?<![\w#/])#(\w+)", re.UNICODE)  # not a URL's fragment («…/#vangdanh»)
Known = Callable[[str], str]  # a lower-case run folded → a name it spells joined («baichay» → "Bai Chay"), or ""
_PART = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=4096)
def syllables_of(word: str) -> tuple[str, ...]:
    """`word` cut into Vietnamese syllables when exactly one cut has the fewest syllables, else ()."""
    low = word.lower()
    key = fold(low)
    n = len(key)
    if n == 0 or n > MAX_CHARS or len(key) != len(low):
        return ()
    # best[i]: (fewest syllables for key[:i], how many cuts reach that count (capped at 2), the last cut's start)
    best: list[tuple[int, int, int]] = [(0, 1, -1)] + [(n + 1, 0, -1)] * n
    for i in range(1, n + 1):
        for j in range(max(0, i - _MAX_SYLLABLE), i):
            if best[j][1] == 0 or not is_vi_syllable(key[j:i]):
                continue
            count = best[j][0] + 1
            if count < best[i][0]:
                best[i] = (count, best[j][1], j)
            elif count == best[i][0]:
                best[i] = (count, min(2, best[i][1] + best[j][1]), best[i][2])
    if best[n][1] != 1:
        return ()
    cuts: list[str] = []
    i = n
    while i > 0:
        j = best[i][2]
        cuts.append(word[j:i])
        i = j
    return tuple(reversed(cuts))


def _camel(part: str) -> list[str]:
    """`part` cut before each capital that follows a letter and begins a lower-case run («UongBi» → Uong, Bi;
    «UBNDUongBi» → UBND, Uong, Bi)."""
    pieces, start = [], 0
    for i in range(1, len(part)):
        if part[i].isupper() and part[i - 1].isalpha() and i + 1 < len(part) and part[i + 1].islower():
            pieces.append(part[start:i])
            start = i
    pieces.append(part[start:])
    return pieces


def spell(tag: str, known: Known | None = None) -> str:
    """One hashtag's body as syllables separated by spaces, or "" when it cannot be cut safely. A run the gazetteer
    knows joined (`known`) is its name, even where the cut alone is ambiguous («baichay») or wrong («cuaong»); an
    acronym («UBND» in «UBNDUongBi») is passed over."""
    out: list[str] = []
    for part in _PART.findall(tag):
        for piece in _camel(part):
            if len(piece) > 1 and piece.isupper() and not syllables_of(piece):
                continue
            name = known(fold(piece)) if known is not None else ""
            sy = tuple(name.split()) if name else syllables_of(piece)
            if not sy:
                return ""
            out.extend(sy)
    return " ".join(out)


def known_names(index: Mapping[tuple[str, ...], object], strong: Callable[[tuple[str, ...]], bool]) -> Known:
    """`Known` over a gazetteer's folded names of two syllables or more: a strong one («bai chay») comes back
    capitalised, so that it reads as a name in a text with marks too; a weak one («hoa binh», also «peace») in lower
    case, for the gazetteer's own rules to weigh."""
    joined = {"".join(k): (" ".join(w.capitalize() for w in k) if strong(k) else " ".join(k))
              for k in index if len(k) > 1}
    return lambda run: joined.get(run, "")


def hashtag_text(text: str, known: Known | None = None) -> str:
    """The text's hashtags spelled out, one per paragraph (a name never runs from one hashtag into the next); the
    first `MAX_HASHTAGS` that can be spelled."""
    spelled: dict[str, str] = {}  # folded → as written, first seen («#UongBi» and «#uongbi» once)
    for m in _HASHTAG.finditer(text):
        body = m.group(1)
        if len(body) <= MAX_CHARS and " " in (s := spell(body, known)):
            spelled.setdefault(fold(s), s)
            if len(spelled) >= MAX_HASHTAGS:
                break
    return "\n\n".join(spelled.values())
