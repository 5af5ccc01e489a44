"""`fold_joined` (word by word through the fold cache) gives what folding the whole text and squashing its
whitespace gives: the pipeline's `folded` field, and the tags' digest, must not move (bench/tag_digest.py)."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from store.sqlparts import shown_title_sql
from vocab.casing import shown_title
from vocab.folding import fold, fold_joined, has_marks

# Vietnamese letters, whitespace of several kinds, combining marks (NFD-typed text), the final sigma, đ/Đ.
_ALPHABET = st.sampled_from(list("aăâeêioôơuưyAĂÂĐđ ̣́̀̉̃ \t\n\u00a0\u2000\u3000ΣσİK.,“”")) | st.characters()


def _whole(text: str) -> str:
    return " ".join(fold(text).split())


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(alphabet=_ALPHABET, max_size=40))
@example("Phường  Vàng Danh (TP Uông Bí cũ)\n")
@example("a \u0301 b")  # a word of a combining mark alone folds to nothing: no double space
@example("ΟΔΟΣ Σ aΣ")  # the final sigma's context ends at whitespace
@example("Hoa\u0300 Bi\u0301nh")  # typed decomposed
def test_fold_joined_is_the_whole_text_folded_and_squashed(text: str) -> None:
    assert fold_joined(text) == _whole(text)


# Titles as typed: marked in either case, «đ» alone, decomposed (NFD), and not; the Kelvin and Ohm signs, which one of
# the checks `has_marks` replaced (the tagger's social titles) read as unmarked by comparing lower cases.
_MARKED = ["Sạt lở ở Vàng Danh", "SẠT LỞ Ở VÀNG DANH", "Đi đường", "đ", "Đ", "Hoa\u0300 Bi\u0301nh", "\u212a", "\u2126",
           "Å", "İ"]
_UNMARKED = ["Sat lo o Vang Danh", "DUONG DI", "UONG BI 2025", "", "#UongBi", "ﬁ", "²"]


@pytest.mark.parametrize("title", _MARKED + _UNMARKED)
def test_has_marks_is_what_the_shown_title_sql_asks(title: str) -> None:
    """One test of "written with marks" (vocab.casing.shown_title, the tagger's social titles, the watchlist's
    title pick, the rapid report's quotes), the one store/sqlparts.shown_title_sql asks in SQL: a title with marks
    is shown as written, one without by its restored reading."""
    restored = "bản khôi phục"
    sql = f"SELECT {shown_title_sql('t', 'r')} FROM (SELECT ?::VARCHAR AS t, ?::VARCHAR AS r)"
    [(shown,)] = duckdb.connect().execute(sql, [title, restored]).fetchall()
    assert has_marks(title) == (title in _MARKED) == (shown == title) == (shown_title(title, restored) == title)
