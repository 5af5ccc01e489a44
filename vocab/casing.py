"""Capitals in displayed titles: a social post's title is its first words, often all in lower case («mưa to quá,
đường lên vàng danh …»); staff read it with a capital first letter and place names capitalised. One function for
the tagger (nlp/titles.py, stored in `item_tags.title_restored`) and the reports (titles not tagged yet)."""

from __future__ import annotations

import unicodedata

__all__ = ["capitalized", "capitalised_syllable"]


def capitalized(title: str) -> str:
    """`title` with its first letter a capital; the rest stays as written (NFC)."""
    title = unicodedata.normalize("NFC", title)
    return title[:1].upper() + title[1:] if title[:1].islower() else title


def capitalised_syllable(word: str) -> str:
    """One syllable of a name: its first letter a capital, the others as written ("vàng" → "Vàng", "đông" →
    "Đông"; NFC, so a precomposed letter keeps its marks)."""
    word = unicodedata.normalize("NFC", word)
    return word[:1].upper() + word[1:]
