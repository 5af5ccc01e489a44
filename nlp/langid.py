"""Vietnamese or not, without any downloaded model.

Vietnamese text is recognised by (a) letters that only Vietnamese uses (ă â đ ê ô ơ ư and the tone
marks) and (b) words that are Vietnamese syllables (the restorer's syllable inventory), which also
covers text typed without diacritics. English function words that are not Vietnamese syllables
(and, of, is, with…) count against. Loanwords and abbreviations that Vietnamese posts use every day (ad,
ok, tks, shop, app, ib…) count as Vietnamese words: "tks ad nhiều" is a Vietnamese thank-you.

A text with no word at all ("❤️❤️", "👍", ":((", "12345 !!!") is in no language: "none". Staff still want the
polarity of a reply made only of emoji (the Sentiment step reads it when it holds a polar emoji or emoticon);
it gets no topic.
"""

from __future__ import annotations

import re

from vocab.folding import VI_MARKED, fold_word

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Vietnamese-only letters (not in French, Spanish, Portuguese…): ă ơ ư đ and the dot-below/hook tones.
_VI_ONLY = set("ăắằẳẵặơờớởỡợưừứửữựđảẻỉỏủỷạẹịọụỵẫẩậễểệỗổộẽĩũỹ")
_FOREIGN_FUNCTION = {
    "and", "of", "is", "are", "was", "were", "with", "that", "this", "from", "have", "has", "been", "will",
    "would", "which", "their", "they", "what", "when", "where", "who", "your", "you", "our", "not", "for",
    "der", "die", "und", "das", "est", "les", "des", "une", "que", "el", "los", "las", "para", "por", "el",
    "il", "della", "und", "ist", "the", "it", "its", "be", "by", "or",
}

# Everyday loanwords and abbreviations of Vietnamese social posts that are not Vietnamese syllables (issue 13:
# short thank-yous to a bank's page, "tks ad", "okela", were read as another language and so as neutral).
SOCIAL_LOANS = {
    "ad", "admin", "ok", "oke", "okela", "okie", "oki", "okla", "tks", "thks", "thanks", "thank", "thanksss", "thx",
    "shop", "sop", "app", "ib", "inbox", "cmt", "rep", "like", "share", "ship", "shipper", "sale", "fb", "zalo",
    "web", "online", "wifi", "mail", "email", "otp", "atm", "sms", "hotline", "good", "nice", "wow", "vip", "sorry",
    "sr", "plz", "pls", "bank", "banking", "card", "visa", "top", "hot", "best", "love", "cute", "live",
    "team", "fan", "idol", "clip", "video", "link", "check", "test", "okk", "kk", "vcb", "mb", "tcb", "bidv",
}


def detect(text: str, syllables: set[str] | dict | None = None, max_words: int = 400) -> str:
    """'vi', 'other', or 'none' (no word at all). `syllables`: folded Vietnamese syllables (e.g.
    Restorer.cands)."""
    ws = _WORD.findall(text[:20_000])[:max_words]
    if not ws:
        return "none"
    n = len(ws)
    vi_only = marked = foreign = known = 0
    for w in ws:
        low = w.lower()
        if low in _FOREIGN_FUNCTION:
            foreign += 1
        if not low.isascii():
            if any(ch in VI_MARKED for ch in low):
                marked += 1
                if any(ch in _VI_ONLY for ch in low):
                    vi_only += 1
        if syllables is None or low in SOCIAL_LOANS or fold_word(low) in syllables:
            known += 1
    if foreign / n >= 0.12:
        return "other"
    if vi_only / n >= 0.08 and known / n >= 0.6:
        return "vi"
    if marked / n >= 0.25 and known / n >= 0.7:
        return "vi"
    # no diacritics at all: only syllable shape decides; short texts need nearly every word to fit
    need = 0.9 if n < 6 else 0.8
    if known / n >= need and foreign == 0:
        return "vi"
    return "other"
