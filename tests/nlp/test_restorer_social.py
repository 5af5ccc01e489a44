"""The restorer reads the social register (round 9): the social slices' accented training lines are in its
counts (SOCIAL_RESTORER_WEIGHT times), and their held-out lines never are."""

from __future__ import annotations

import pytest

from nlp import train as T
from nlp.diacritics import Restorer


@pytest.fixture(autouse=True)
def _s99_listed(monkeypatch):
    """The made-up slice S99 of these tests is listed for the restorer (round 28: only RESTORER_FILES are read)."""
    monkeypatch.setattr(T, "RESTORER_FILES", T.RESTORER_FILES + ("labelled_S99.jsonl",))

# national-news-like text: "gối" (pillow) and "nhẹ" (light) are common, "gọi … nhé" is not written
PRESS = ["Cửa hàng bán gối và chăn mới", "Chiếc gối ôm giá rẻ", "Mưa nhẹ ở vùng núi",
         "Gió nhẹ, trời nắng nhẹ", "Người dân mua gối cho trẻ em", "Hàng gối nhập khẩu"] * 3


def _ids(prefix: str, n: int, heldout: bool) -> list[str]:
    out, k = [], 0
    while len(out) < n:
        i = f"{prefix}-{k:04d}"
        if T.is_heldout(i) == heldout:
            out.append(i)
        k += 1
    return out


def _social(texts: list[str], heldout: bool = False) -> list[dict]:
    return [{"id": i, "title": "", "text": t, "sentiment": "neutral", "diacritics": True, "_file": "labelled_S99.jsonl"}
            for i, t in zip(_ids("S99", len(texts), heldout), texts)]


def test_social_line_is_restored_with_the_social_counts():
    rows = _social(["tối mình gọi lại nhé", "mai mình gọi lại nhé mn", "để mình gọi lại cho nhé"])
    with_social = Restorer.train(T.restorer_corpus(rows, corpus=PRESS))
    assert with_social.restore("mai minh goi lai nhe") == "mai mình gọi lại nhé"
    # without the social lines the news counts win: "gối", "nhẹ"
    without = Restorer.train(T.restorer_corpus(rows, corpus=PRESS, social_weight=0))
    assert without.restore("mai minh goi lai nhe") != "mai mình gọi lại nhé"


def test_heldout_and_unaccented_social_lines_never_reach_the_restorer():
    train = _social(["mình gọi lại nhé"])
    held = _social(["quán này ngon xuất sắc luôn"], heldout=True)
    bare = [dict(r, id=i, text="quan nay ngon", diacritics=False) for r, i in zip(train, _ids("S98", 1, False))]
    # even if a caller passes every row, the held-out line is not read
    texts = T.restorer_corpus(train + held + bare, corpus=[], social_weight=2)
    assert texts == ["mình gọi lại nhé"] * 2
    assert not any(T.trains_social_restorer(r) for r in held + bare)
    # the training split of the real slices: only training ids are read
    rows = [r for r in T.load_labelled() if T.is_social_set(r)]
    held_texts = {T.clean(r["text"]) for r in rows if T.is_heldout(r["id"])}
    train_texts = {T.clean(r["text"]) for r in rows if not T.is_heldout(r["id"])}
    got = set(T.restorer_corpus(rows, corpus=[], social_weight=1))
    assert not (got & (held_texts - train_texts))


def test_counts_add_exactly_and_weight_0_is_the_old_restorer():
    """nlp.eval.restore_own builds its restorers from counts summed apart: the same as training on the text."""
    from nlp.diacritics import count_ngrams
    from nlp.eval.restore_own import with_social

    rows = _social(["tối mình gọi lại nhé", "mai mình gọi lại nhé mn"])
    base, social = T.restorer_texts(rows, social_weight=1)
    assert social and not base
    for w in (0, 1, 2):
        a = Restorer.train(T.restorer_corpus(rows, corpus=PRESS, social_weight=w))
        b = with_social(count_ngrams(PRESS + base), count_ngrams(social), w)
        assert (a.unigram, a.bigram, a.trigram) == (b.unigram, b.bigram, b.trigram), w
    old = Restorer.train(PRESS)  # rounds 1–8: the corpus and the non-social rows only
    zero = Restorer.train(T.restorer_corpus(rows, corpus=PRESS, social_weight=0))
    assert (old.unigram, old.bigram, old.trigram) == (zero.unigram, zero.bigram, zero.trigram)
