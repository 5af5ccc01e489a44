"""Place names typed without marks inside a text that has them: "Sạt lở ở uong bi hôm nay".

    text with marks ──Gazetteer.resolve(accented=True, unmarked=[…])──▶ names that match only folded, every
        │                                 written syllable unmarked, two syllables or more (no extra pass)
        ├─ evidence: a unit word before it ("phường vang danh"), the span capitalised ("Ha Long"), or one of
        │            its syllables rarely written unmarked
        │            in the restorer's corpus ("uong" 0 times against "uông" 239; "vang" is a word: no)
        ├─ confirmed: the restorer, reading the text around it (marked words stay as written), gives the name
        ▼
    the text with those spans written as the name ("Uông Bí"), which Gazetteer.resolve(accented=True) reads

A text without any marks goes the no-diacritics way (nlp/steps.Places); a text with marks was read
accent-exact only, so such a post named no place. Unmarked syllables that are words in their own right
("vang danh" = famed, "ha long", "cam pha") need a capital or a unit word to count, because a writer who marks the other words
and leaves those unmarked more likely meant the words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nlp.diacritics import _has_marks

if TYPE_CHECKING:
    from nlp.diacritics import Restorer
    from nlp.gazetteer import Gazetteer, Hit

# an unmarked syllable is "rarely written so" when it occurs at most this share of its marked form's count
RARE_UNMARKED_SHARE = 0.03
CONTEXT = 120  # characters either side of a candidate the restorer reads
_UNIT_HINTS = ("ward", "district", "province")  # gazetteer.PREFIX_HINTS of unit words; not streets or people


def accent_unmarked_names(text: str, gazetteer: "Gazetteer", restorer: "Restorer", max_chars: int = 20_000,
                          hits: "list[Hit] | None" = None) -> str:
    """`text` with each confirmed unmarked place name written as the name; the text itself when there is none.
    `hits`: the candidates an accented `Gazetteer.resolve(…, unmarked=hits)` of this text collected (the
    Places step: no extra pass; the restorer runs only when there is one); without, a folded `find`."""
    from nlp.gazetteer import tokens

    head = text[:max_chars]
    if hits is None:
        hits = gazetteer.find(head, accented=False, max_chars=max_chars)
    hits = [h for h in hits if _candidate(h)]
    if not hits:
        return text
    toks = tokens(head)
    spans = [(h, (toks[h.start][1], toks[h.end - 1][2])) for h in hits]
    spans = [(h, s) for h, s in spans if _evidence(head[s[0]:s[1]], h, restorer)]
    if not spans:
        return text
    out, pos = [], 0
    for h, (a, b) in sorted(spans, key=lambda x: x[1]):
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
    """Two syllables or more, each written without marks, of a name that has marks."""
    words = h.matched_text.split()
    return (len(h.entry.acc) >= 2 and len(words) == len(h.entry.acc) and not any(_has_marks(w) for w in words)
            and any(_has_marks(a) for a in h.entry.acc) and all(w.isalpha() for w in words))


def _evidence(written: str, h: "Hit", restorer: "Restorer") -> bool:
    words = written.split()
    if h.prefix in _UNIT_HINTS or all(w[:1].isupper() for w in words):  # "phường trung vuong", "Ha Long"
        return True
    for w, acc in zip((w.lower() for w in words), h.entry.acc):
        marked = restorer.unigram.get(acc, 0)
        if acc != w and marked and restorer.unigram.get(w, 0) <= RARE_UNMARKED_SHARE * marked:
            return True
    return False
