"""Cyrillic and Greek look-alikes inside Latin words (round 32, collectors.textutil.visible; docs/SECURITY.md)."""

from __future__ import annotations

from datetime import datetime

import pytest

from collectors import rss
from collectors.textutil import visible
from vocab.config import SourceConfig


@pytest.mark.parametrize("spoofed, read", [
    ("TP U\u043e\u0302ng B\u00ed", "TP Uông Bí"),          # Cyrillic о + combining circumflex
    ("phường V\u0430\u0300ng Danh", "phường Vàng Danh"),   # Cyrillic а + combining grave
    ("H\u1ea1 L\u03bfng", "Hạ Long"),                      # Greek omicron
    ("\u0412\u00e3i Ch\u00e1y", "Bãi Cháy"),               # Cyrillic capital ve is drawn as B
])
def test_a_lookalike_inside_a_latin_word_is_read_as_the_latin_letter(spoofed, read):
    assert visible(spoofed) == read


@pytest.mark.parametrize("text", ["Привет, мир", "Ελλάδα", "α + β = γ", "Москва và Hà Nội", "ΟΚ"])
def test_words_wholly_in_another_script_are_untouched(text):
    assert visible(text) == text


def test_a_feed_item_with_a_spoofed_place_name_is_stored_as_it_reads():
    src = SourceConfig(name="x", kind="rss", url="https://example.vn/rss", outlet="X", source_type="press")
    entry = {"title": "Ngập ở V\u0430\u0300ng Danh", "link": "https://example.vn/a", "summary": "U\u043e\u0302ng Bí"}
    item = rss.map_entry(entry, src, datetime(2026, 12, 1, 3, 0))
    assert (item.title, item.summary) == ("Ngập ở Vàng Danh", "Uông Bí")
