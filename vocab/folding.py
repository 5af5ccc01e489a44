"""Accent folding: the diacritic-insensitive key used for matching and for dashboard search.

    fold("Phường Vàng Danh (TP Uông Bí cũ)")  ->  "phuong vang danh (tp uong bi cu)"

NFD, drop combining marks, đ→d, lowercase. `strip_marks` does the same but keeps the case; `has_marks` says
whether it changes a text at all.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from vocab.config import DEFAULT_LIMITS

_D = str.maketrans({"đ": "d", "Đ": "D"})
# fold_word's cache: the words seen most recently, least recently used dropped first. It was a dict filled up to
# 200,000 words and never emptied: words of any length were kept (a 1 MB "word" of an item without spaces as
# well), and once full, the words of a new topic or season were never cached again. Words of at most
# CACHED_WORD_CHARS characters (a syllable, a joined word with its punctuation) are cached: at most
# [limits] fold_cache_words (200,000) × (a word, its fold and the cache's own link) ≈ 40 MB. The process's top
# (langnghe.cli) sizes it from its Config through `configure_cache`. CACHED_WORD_CHARS stays a constant: it is
# what keeps one entry small, whatever the count (a 1 MB "word" cached 200,000 times over would be 200 GB).
CACHED_WORD_CHARS = 32

# Letters that only occur in Vietnamese written with diacritics (used by the no-diacritics detector).
VI_MARKED = set(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
)


def strip_marks(text: str) -> str:
    """Remove diacritics (tone and vowel marks, đ→d), keep case."""
    if not text:
        return ""
    if text.isascii():
        return text
    nfd = unicodedata.normalize("NFD", text)
    out = "".join(ch for ch in nfd if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", out.translate(_D))


def has_marks(text: str) -> bool:
    """Written with marks: a diacritic or «đ» anywhere, in either case ("ĐÀ NẴNG"). The one test of "typed with
    marks" for titles and quotes (a title with marks is shown as written, one without by its restored reading),
    the same as store/sqlparts.shown_title_sql asks in SQL: `t <> strip_accents(t)` or a «đ» (a Kelvin or an Ohm
    sign counts there too, as here: canonically another letter)."""
    return strip_marks(text or "") != (text or "")


def fold(text: str) -> str:
    """NFD, drop combining marks, đ→d, lowercase."""
    return strip_marks(text or "").lower()


_fold_cached = lru_cache(maxsize=DEFAULT_LIMITS.fold_cache_words)(fold)


def configure_cache(words: int) -> None:
    """Hold `fold_word`'s cache to `words` words ([limits] fold_cache_words), as the process's top does once its
    Config is loaded (as `secrets.configure`); a new size starts an empty cache, the same size keeps the words."""
    global _fold_cached
    if _fold_cached.cache_info().maxsize != words:
        _fold_cached = lru_cache(maxsize=words)(fold)


def fold_word(word: str) -> str:
    """`fold` with a bounded cache, for single syllables in hot loops."""
    return _fold_cached(word) if len(word) <= CACHED_WORD_CHARS else fold(word)


def fold_joined(text: str) -> str:
    """`" ".join(fold(text).split())`, word by word through `fold_word`'s cache (words repeat across items:
    0.06 → 0.02 ms a 450-character item). The same string: folding never makes or removes whitespace, and no
    character folds with its neighbour across it (checked over every code point); a word of combining marks
    alone folds to nothing and is left out, as `split` leaves out what it became. ASCII words are only
    lowercased, so they do not fill the cache."""
    if text.isascii():
        return " ".join(text.lower().split())
    return " ".join(f for w in text.split() if (f := w.lower() if w.isascii() else fold_word(w)))


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def words(text: str) -> list[str]:
    """Alphabetic tokens (syllables) of a text."""
    return _WORD.findall(text or "")
