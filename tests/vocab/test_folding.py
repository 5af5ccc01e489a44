"""`fold_joined` (word by word through the fold cache) gives what folding the whole text and squashing its
whitespace gives: the pipeline's `folded` field, and the tags' digest, must not move (bench/tag_digest.py)."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from vocab.folding import fold, fold_joined

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
