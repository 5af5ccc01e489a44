"""fold_word's cache stays bounded on an endless stream of new words (round 19, `hostile4`): it was a dict filled to
200,000 words of any length and never emptied, so a stream of long or new words was either kept for good or, once
full, never cached again. Now an LRU of [limits] fold_cache_words words of at most CACHED_WORD_CHARS characters,
sized by the process's top from its Config (round 20: it was a module constant)."""

from __future__ import annotations

import pytest

from langnghe import cli
from vocab import folding
from vocab.config import DEFAULT_LIMITS
from vocab.folding import CACHED_WORD_CHARS, fold, fold_word

FOLD_CACHE_WORDS = DEFAULT_LIMITS.fold_cache_words


@pytest.fixture
def shipped_size():
    """Each test starts and ends with the cache at the shipped size (it is process-wide)."""
    folding.configure_cache(FOLD_CACHE_WORDS)
    yield
    folding.configure_cache(FOLD_CACHE_WORDS)


def test_the_cache_keeps_the_newest_words_and_never_more_than_its_size(shipped_size):
    for i in range(FOLD_CACHE_WORDS + 1_000):
        fold_word(f"Đường{i}")
    info = folding._fold_cached.cache_info()
    assert info.currsize == FOLD_CACHE_WORDS == info.maxsize
    before = folding._fold_cached.cache_info().hits
    assert fold_word("Vàng") == "vang" and fold_word("Vàng") == "vang"  # a word of the new stream is cached
    assert folding._fold_cached.cache_info().hits == before + 1


def test_a_long_word_is_folded_but_not_kept(shipped_size):
    word = "Ư" * (CACHED_WORD_CHARS + 1)
    size = folding._fold_cached.cache_info().currsize
    misses = folding._fold_cached.cache_info().misses
    assert fold_word(word) == fold(word) == "u" * (CACHED_WORD_CHARS + 1)
    assert folding._fold_cached.cache_info().misses == misses and folding._fold_cached.cache_info().currsize == size


def test_the_configured_size_bounds_the_cache(shipped_size, tmp_path, monkeypatch):
    """[limits] fold_cache_words, in a deployment's file, is the cache's size once the CLI has loaded it."""
    over = tmp_path / "o.toml"
    over.write_text("sources = []\n[limits]\nfold_cache_words = 50\n", encoding="utf-8")
    monkeypatch.setenv("LANGNGHE_DB", str(tmp_path / "t.duckdb"))
    assert cli.main(["--config", str(over), "sources", "--kinds"]) == 0
    for i in range(500):
        fold_word(f"Đường{i}")
    info = folding._fold_cached.cache_info()
    assert info.maxsize == 50 and info.currsize == 50
    assert fold_word("Ưu") == "uu"
