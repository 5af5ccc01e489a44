"""Scope marking for the comment model's own vocabulary (negation, contrast) and NB-SVM (docs/NLP_ROUNDS.md, "Fourth
round (model side)"): pure functions on small examples, questions and comparisons included."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from nlp.classify import ScopeMarker, make_features, mark_contrast, mark_negation, mark_wish


@pytest.mark.parametrize("text,want", [
    ("không tốt lắm", "không neg_tốt neg_lắm"),
    ("ko hay mà đắt", "ko neg_hay mà đắt"),                      # "mà" ends the clause
    ("không tốt, nhưng rẻ", "không neg_tốt , nhưng rẻ"),          # so do punctuation and "nhưng"
    ("chẳng ra gì 😡 hay", "chẳng neg_ra neg_gì 😡 hay"),          # and an emoji
    ("dạy chưa hiểu. chán", "dạy chưa neg_hiểu . chán"),
    ("không hiểu không ai giúp", "không neg_hiểu không neg_ai neg_giúp"),  # a second negator opens its own scope
])
def test_negation_scope_is_marked_to_the_clause_end(text, want):
    assert mark_negation(text) == want


@pytest.mark.parametrize("text", [
    "máy có bị nóng không mn",           # yes/no question: "không" is the question particle
    "cô dạy có tốt không ạ ?",
    "pin có trâu không shop",
    "shop còn hàng không",               # a clause-final negator marks nothing
    "chưa thấy ai tệ như vậy",           # comparison: the cue block reads it
    "mình chưa từng thấy phim nào ý nghĩa như phim này",
    "không khí trong lành",              # not a negator
    "không những đẹp mà còn rẻ",
    "giá 50 k thôi",                     # "k" after a number is a thousand
    "mỗi kg thịt ngon lắm",              # "kg" left by the normaliser is a unit (its teencode became "không")
    "y chang như quảng cáo đẹp lắm",     # "y chang": just like
    "nghe y chang bài cũ",
])
def test_questions_comparisons_and_lookalikes_are_left_alone(text):
    assert mark_negation(text) == text


def test_negation_window():
    assert mark_negation("không tốt chút nào cả", window=2) == "không neg_tốt neg_chút nào cả"


@pytest.mark.parametrize("text,want", [
    ("giá hơi cao nhưng chất lượng tốt. mua lại", "giá hơi cao nhưng but_chất but_lượng but_tốt . mua lại"),
    ("hàng đẹp, mà giao chậm", "hàng đẹp , mà but_giao but_chậm"),
    ("đẹp mà rẻ", "đẹp mà rẻ"),                                  # "mà" inside a clause is "and"
    ("tuy nhiên hơi ồn", "tuy nhiên but_hơi but_ồn"),
])
def test_contrast_scope(text, want):
    assert mark_contrast(text) == want


def test_contrast_scope_repeated_at_the_end():
    assert mark_contrast("hơi đắt nhưng đáng tiền", "dup") == "hơi đắt nhưng đáng tiền | but_đáng but_tiền"


def test_comment_vocabulary_reads_negated_words_and_pickles():
    texts = ["\nkhông tốt lắm", "\nrất tốt", "\nkhông tốt chút nào", "\ntốt lắm"] * 2
    marked = make_features(word_preprocessor=ScopeMarker()).fit(texts)
    vocab = marked.transformer_list[0][1].vocabulary_
    assert "neg_tốt" in vocab and "tốt" in vocab
    assert "neg_tốt" not in make_features().fit(texts).transformer_list[0][1].vocabulary_
    again = pickle.loads(pickle.dumps(marked))
    assert (again.transform(texts) != marked.transform(texts)).nnz == 0


def test_nb_svm_is_one_linear_model():
    import scipy.sparse as sp

    from nlp.train import nb_svm

    rng = np.random.default_rng(0)
    y = np.array(["negative", "neutral", "positive"] * 30)
    X = rng.random((90, 12)) * (rng.random((90, 12)) < 0.3)
    X[:, :3] = 0
    for j, c in enumerate(["negative", "neutral", "positive"]):
        X[np.flatnonzero(y == c), j] = 1.0  # one word per class
    scaled = np.ones(12, dtype=bool)
    scaled[-1] = False
    m = nb_svm(sp.csr_matrix(X), list(y), np.ones(90), scaled, C=1.0, alpha=1.0)
    assert m.coef_.shape == (3, 12) and list(m.classes_) == ["negative", "neutral", "positive"]
    assert list(m.predict(sp.csr_matrix(np.eye(3, 12)))) == ["negative", "neutral", "positive"]


@pytest.mark.parametrize("text,want", [
    ("thầy nên giảng chậm hơn, nhiều bạn không theo kịp", "thầy nên wish_giảng wish_chậm wish_hơn , nhiều bạn không theo kịp"),
    ("mong cán bộ trả lời nhanh hơn", "mong wish_cán wish_bộ wish_trả wish_lời wish_nhanh wish_hơn"),
    ("đề nghị phường sửa đường", "đề nghị wish_phường wish_sửa wish_đường"),
    ("cần nhiều ví dụ hơn", "cần wish_nhiều wish_ví wish_dụ wish_hơn"),
])
def test_wish_scope_is_marked_to_the_clause_end(text, want):
    assert mark_wish(text) == want


@pytest.mark.parametrize("text", [
    "nên nhân rộng hơn nữa",             # to keep or spread what is there: praise
    "mong thầy luôn vui khỏe",           # a wish to a person
    "mong có thêm nhiều chương trình ý nghĩa như này",
    "chúc thầy cô mạnh khỏe",            # no suggestion opener
    "thầy dạy hay nên em thích",         # "nên" after an opinion word is "so"
    "vì bận nên em nghỉ",
    "cần bán xe gấp",                    # an ad
    "mọi người nên đi thử",              # a recommendation to others
])
def test_wish_scope_leaves_praise_and_lookalikes_alone(text):
    assert mark_wish(text) == text


def test_wish_and_negation_marks_combine_and_old_markers_read_as_before():
    assert ScopeMarker(wish=True)("mong shop đừng để hàng không tốt") == \
        "mong wish_shop wish_đừng wish_để wish_hàng wish_không wish_neg_tốt"
    old = ScopeMarker()
    del old.wish  # as unpickled from a model saved before round 8
    assert old("nên giảng dễ hiểu hơn") == "nên giảng dễ hiểu hơn"


@pytest.mark.parametrize("text,want", [
    ("nhân viên dễ thương, mỗi tội chờ lâu", "nhân viên dễ thương , mỗi tội but_chờ but_lâu"),
    ("cô nhiệt tình, khổ một nỗi hay nghỉ", "cô nhiệt tình , khổ một nỗi but_hay but_nghỉ"),
    ("quán ngon, chỉ tiếc hơi xa", "quán ngon , chỉ tiếc but_hơi but_xa"),
    ("phong nhe, moi toi hoi on", "phong nhe , moi toi but_hoi but_on"),
    ("được cái nhiệt tình, mỗi tội chậm", "được cái nhiệt tình , mỗi tội but_chậm"),  # "được cái": the courtesy
])
def test_round21_contrast_openers(text, want):
    """Round 21's openers (CONTRAST_OPENERS "r21"); the round-6 set reads none of them."""
    assert mark_contrast(text, openers="r21") == want
    assert "but_" not in mark_contrast(text)


def test_round21_openers_leave_the_concession_itself_alone():
    assert mark_contrast("tuy đắt nhưng ngon", openers="r21") == "tuy đắt nhưng but_ngon"  # a bare "tuy"
    assert mark_contrast("giá hơi cao nhưng chất lượng tốt", openers="r21") == mark_contrast(
        "giá hơi cao nhưng chất lượng tốt")


def test_round21_openers_go_with_the_pickled_marker_and_old_markers_read_as_before():
    text = "cô nhiệt tình, mỗi tội giao nhiều bài"
    assert ScopeMarker(negation=False, contrast="dup", openers="r21")(text).endswith("| but_giao but_nhiều but_bài")
    again = pickle.loads(pickle.dumps(ScopeMarker(negation=False, contrast="dup", openers="r21")))
    assert again(text) == ScopeMarker(negation=False, contrast="dup", openers="r21")(text)
    old = ScopeMarker(negation=False, contrast="dup")
    del old.openers  # as unpickled from a model saved before round 21
    assert old(text) == text.replace(",", " ,")
