"""Capitals in displayed titles: a social post's title is its first words, often all in lower case («mưa to quá,
đường lên vàng danh …»); staff read it with a capital first letter and place names capitalised. One function for
the tagger (nlp/titles.py, stored in `item_tags.title_restored`) and the reports (titles not tagged yet). Also where
a shown text is cut: at a word, to the length a rapid report quotes (`QUOTE_CHARS`). And the other way: a unit's
type in lower case inside a sentence (`unit_in_text`)."""

from __future__ import annotations

import unicodedata

from vocab.folding import has_marks

__all__ = ["QUOTE_CHARS", "capitalized", "cut_at_word", "shown_title", "unit_in_text"]

# the characters of a post a rapid report quotes, and of its restored reading the tagger keeps (item_tags.text_restored)
QUOTE_CHARS = 600


def capitalized(title: str) -> str:
    """`title` with its first letter a capital; the rest stays as written (NFC)."""
    title = unicodedata.normalize("NFC", title)
    return title[:1].upper() + title[1:] if title[:1].islower() else title


# the administrative unit types a name may start with, as the gazetteer's names write them (a capital at the head)
_UNIT_TYPES = ("Phường ", "Xã ", "Đặc khu ", "Thị trấn ", "Thị xã ", "Thành phố ", "Huyện ", "Quận ", "Tỉnh ")


def unit_in_text(name: str) -> str:
    """A unit's name inside a sentence, its type in lower case as Nghị định 30 writes it ('tỉnh Quảng Ninh', 'phường
    Uông Bí'): the gazetteer's 2025 names start with a capital ('Phường Uông Bí'), right at the head of a table cell
    and wrong mid-sentence ('Địa bàn được nhắc đến nhiều nhất: Phường Uông Bí'). One function for the reports and
    the gazetteer's shown place texts ('phường Uông Bí (TP Uông Bí cũ)')."""
    for t in _UNIT_TYPES:
        if name.startswith(t):
            return t.lower() + name[len(t):]
    return name


def shown_title(title: str, restored: str | None) -> str:
    """The title shown for an item, as store/sqlparts.shown_title_sql reads it in SQL: the tagger's `restored`
    (`title_restored`) for a title written without any mark, or one that differs from it only in capitals (a
    social title with its place names capitalised); else the title as published, never other letters."""
    if not isinstance(restored, str) or not restored:
        return title
    return restored if not has_marks(title) or restored.lower() == title.lower() else title


def cut_at_word(text: str, limit: int) -> str:
    """The first `limit` characters of `text`, ending at a word: the word the limit falls inside is left out
    (unless the text has no space before it)."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut if text[limit] == " " or " " not in cut else cut[: cut.rfind(" ")]
