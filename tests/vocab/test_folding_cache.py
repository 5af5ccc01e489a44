"""fold_word's cache stays bounded on an endless stream of new words (round 19, `hostile4`): it was a dict filled to
200,000 words of any length and never emptied, so a stream of long or new words was either kept for good or, once
full, never cached again. Now an LRU of FOLD_CACHE_WORDS words of at most CACHED_WORD_CHARS characters."""

from __future__ import annotations

from vocab import folding
from vocab.folding import CACHED_WORD_CHARS, FOLD_CACHE_WORDS, fold, fold_word


def test_the_cache_keeps_the_newest_words_and_never_more_than_its_size():
    for i in range(FOLD_CACHE_WORDS + 1_000):
        fold_word(f"Đường{i}")
    info = folding._fold_cached.cache_info()
    assert info.currsize == FOLD_CACHE_WORDS == info.maxsize
    before = folding._fold_cached.cache_info().hits
    assert fold_word("Vàng") == "vang" and fold_word("Vàng") == "vang"  # a word of the new stream is cached
    assert folding._fold_cached.cache_info().hits == before + 1


def test_a_long_word_is_folded_but_not_kept():
    word = "Ư" * (CACHED_WORD_CHARS + 1)
    size = folding._fold_cached.cache_info().currsize
    misses = folding._fold_cached.cache_info().misses
    assert fold_word(word) == fold(word) == "u" * (CACHED_WORD_CHARS + 1)
    assert folding._fold_cached.cache_info().misses == misses and folding._fold_cached.cache_info().currsize == size
