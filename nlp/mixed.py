"""Place names typed without marks inside a text that has them: "Sạt lở ở uong bi hôm nay".

    text with marks ──resolve_marked: Gazetteer.resolve(accented=True, unmarked=[…])──▶ names that match only folded, every
        │                                 written syllable unmarked, two syllables or more (no extra pass)
        ├─ evidence: a unit word before it ("phường vang danh"), a preposition of place with its mark ("ở vang
        │            danh", "tại cam pha"), the span capitalised ("Ha Long"), or one of
        │            its syllables rarely written unmarked
        │            in the restorer's corpus ("uong" 0 times against "uông" 239; "vang" is a word: no)
        ├─ confirmed: the restorer, reading the text around it (marked words stay as written), gives the name
        ▼
    the text with those spans written as the name ("Uông Bí"), which Gazetteer.resolve(accented=True) reads

A text without any marks goes the no-diacritics way (nlp/steps.Places); a text with marks was read
accent-exact only, so such a post named no place. Unmarked syllables that are words in their own right
("vang danh" = famed, "ha long", "cam pha") need a capital, a unit word or a preposition of place ("ở", "tại")
before them to count, because a writer who marks the other words and leaves those unmarked more likely meant the
words — but not after "ở": "Ngôi chùa vang danh khắp nơi" stays no place, "Tối qua ở vang danh lại mất điện" is
phường Vàng Danh (round 17).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nlp.gazetteer import tokens

if TYPE_CHECKING:
    from nlp.diacritics import Restorer
    from nlp.gazetteer import Gazetteer, Hit, PlaceResult

# an unmarked syllable is "rarely written so" when it occurs at most this share of its marked form's count
RARE_UNMARKED_SHARE = 0.03
CONTEXT = 120  # characters either side of a candidate the restorer reads
_UNIT_HINTS = ("ward", "district", "province")  # gazetteer.PREFIX_HINTS of unit words; not streets or people
PLACE_PREPOSITIONS = frozenset({"ở", "tại"})  # round 17: a name typed without marks right after one is a name


def resolve_marked(text: str, gazetteer: "Gazetteer", restorer: "Restorer", max_chars: int = 20_000) -> "PlaceResult":
    """The places of a text with marks, as the Places step reads it: accent-exact; when that reading met names
    written wholly without marks, again with the confirmed ones written as the name."""
    loose: list[Hit] = []
    r = gazetteer.resolve(text, accented=True, max_chars=max_chars, unmarked=loose)
    if not loose:
        return r
    fixed = accent_unmarked_names(text, loose, restorer, max_chars)
    return r if fixed == text else gazetteer.resolve(fixed, accented=True, max_chars=max_chars)


def accent_unmarked_names(text: str, hits: "list[Hit]", restorer: "Restorer", max_chars: int = 20_000) -> str:
    """`text` with each confirmed name of `hits` written as the name; the text itself when there is none.
    `hits`: what an accented `Gazetteer.resolve(…, unmarked=hits)` of this text collected (names that match only
    folded, two syllables or more, every written syllable unmarked)."""
    head = text[:max_chars]
    toks = tokens(head)
    hits = [h for h in hits if _candidate(h) and (_after_preposition(h, toks) or _evidence(h, restorer))]
    if not hits:
        return text
    out, pos = [], 0
    for h, (a, b) in sorted(((h, (toks[h.start][1], toks[h.end - 1][2])) for h in hits), key=lambda x: x[1]):
        if a < pos or _restored(head, a, b, restorer).lower().split() != list(h.entry.acc):
            continue
        out += [head[pos:a], " ".join(w[:1].upper() + w[1:] for w in h.entry.acc)]
        pos = b
    if not out:
        return text
    return "".join(out) + head[pos:] + text[max_chars:]


def _restored(head: str, a: int, b: int, restorer: "Restorer") -> str:
    """head[a:b] as the restorer writes it reading CONTEXT characters either side (not the whole text: a long
    article costs no more than a post); marked words stay as written, so offsets hold (NFC letters)."""
    lo = head.rfind(" ", 0, max(a - CONTEXT, 0)) + 1 if a > CONTEXT else 0
    hi = head.find(" ", b + CONTEXT)
    hi = len(head) if hi < 0 else hi
    window = restorer.restore(head[lo:hi])
    return window[a - lo:b - lo] if len(window) == hi - lo else ""


def _candidate(h: "Hit") -> bool:
    """Written as words only, one per syllable of the name (not "Ha-Long", not a number in it); that they are
    unmarked, two or more, of a name with marks, `Gazetteer.find` already holds."""
    words = h.matched_text.split()
    return len(words) == len(h.entry.acc) and all(w.isalpha() for w in words)


def _after_preposition(h: "Hit", toks: list[tuple[str, int, int]]) -> bool:
    """Written right after a preposition of place typed with its mark ("Tối qua ở vang danh", "tại cam pha"):
    "vang danh" = famed, "cam pha", "ha long" are words, but no such word follows "ở" or "tại" (famed is said
    after its subject: "vang danh khắp nơi", "làm vang danh"). Unmarked "o", "tai" (ear) say nothing; "về"
    (also "about") is left out. The restorer still has to confirm the name in context."""
    return h.start > 0 and toks[h.start - 1][0].lower() in PLACE_PREPOSITIONS


def _evidence(h: "Hit", restorer: "Restorer") -> bool:
    words = h.matched_text.split()
    if h.prefix in _UNIT_HINTS or all(w[:1].isupper() for w in words):  # "phường trung vuong", "Ha Long"
        return True
    for w, acc in zip((w.lower() for w in words), h.entry.acc):
        marked = restorer.unigram.get(acc, 0)
        if acc != w and marked and restorer.unigram.get(w, 0) <= RARE_UNMARKED_SHARE * marked:
            return True
    return False
