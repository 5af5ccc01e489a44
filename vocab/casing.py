"""Capitals in displayed titles: a social post's title is its first words, often all in lower case («mưa to quá,
đường lên vàng danh …»); staff read it with a capital first letter and place names capitalised. One function for
the tagger (nlp/titles.py, stored in `item_tags.title_restored`) and the reports (titles not tagged yet). Also where
a shown text is cut: at a word, to the length a rapid report quotes (`QUOTE_CHARS`)."""

from __future__ import annotations

import unicodedata

from vocab.folding import strip_marks

__all__ = ["QUOTE_CHARS", "capitalized", "cut_at_word", "shown_title"]

# the characters of a post a rapid report quotes, and of its restored reading the tagger keeps (item_tags.text_restored)
QUOTE_CHARS = 600


def capitalized(title: str) -> str:
    """`title` with its first letter a capital; the rest stays as written (NFC)."""
    title = unicodedata.normalize("NFC", title)
    return title[:1].upper() + title[1:] if title[:1].islower() else title


def shown_title(title: str, restored: str | None) -> str:
    """The title shown for an item, as store/sqlparts.shown_title_sql reads it in SQL: the tagger's `restored`
    (`title_restored`) for a title written without any mark, or one that differs from it only in capitals (a
    social title with its place names capitalised); else the title as published, never other letters."""
    if not isinstance(restored, str) or not restored:
        return title
    return restored if strip_marks(title) == title or restored.lower() == title.lower() else title


def cut_at_word(text: str, limit: int) -> str:
    """The first `limit` characters of `text`, ending at a word: the word the limit falls inside is left out
    (unless the text has no space before it)."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut if text[limit] == " " or " " not in cut else cut[: cut.rfind(" ")]
