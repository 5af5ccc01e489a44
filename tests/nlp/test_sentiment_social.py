"""Sentiment on social text: emoticons kept by normalisation, stretched letters, the cue block (emoji polarity,
negation, comparison praise, questions), the social-register data files, and comments from issue 13."""

from __future__ import annotations

import json
import unicodedata

import numpy as np
import pytest

from nlp.classify import CUE_NAMES, SentimentCues
from nlp.normalise import clean, squash_stretched
from nlp.train import LABELLED_DIR, evaluate_sentiment, is_social_set, load_labelled, split
from vocab.labels import SENTIMENTS, TOPICS


@pytest.fixture(scope="module")
def cues():
    c = SentimentCues().fit()
    return lambda text: dict(zip(CUE_NAMES, c.cues(text)))


def test_emoticons_survive_clean_and_tags_do_not():
    t = clean("anh này nói rất chuẩn <3 :> hay >.< <b>đậm</b> <br/> <3 <3")
    assert "<3" in t and ":>" in t and ">.<" in t
    assert "<b>" not in t and "<br/>" not in t and "đậm" in t
    assert t.count("<3") == 3


def test_normaliser_keeps_emoticons(normaliser):
    text, restored = normaliser.normalise("toi o phu yen va anh nay noi rat chuan <3 =)) :(")
    assert restored
    assert "<3" in text and "=))" in text and ":(" in text


@pytest.mark.parametrize("raw,want", [
    ("hay quáaaa", "hay quá!"), ("thíchhhh", "thích!"), ("cưng xỉuuu", "cưng xỉu!"), ("đẹpp", "đẹp!"),
    ("lưuuu", "lưu!"), ("xoong nồi", "xoong nồi"), ("hmm zzz", "hmm zzz"), ("yêu nghề", "yêu nghề"),
    ("cứu", "cứu"), ("cuu tro", "cuu tro"), ("app", "app"), ("Điều III", "Điều III"),
])
def test_stretched_letters(raw, want):
    assert squash_stretched(raw) == want


def test_emoji_and_emoticon_polarity(cues):
    assert cues("<3")["emo_pos"] > 0 and cues("👍 :)")["emo_pos"] == 2
    assert cues("😡")["emo_neg"] > 0 and cues(":((")["emo_neg"] > 0
    assert cues("=)) 🤣")["emo_laugh"] == 2
    assert cues("<3")["balance"] > 0 > cues("😡")["balance"]


def test_negation(cues):
    c = cues("không tốt")
    assert c["neg_pos"] == 1 and c["lex_pos"] == 0 and c["balance"] < 0
    assert cues("chẳng ra gì")["lex_neg"] == 1
    c = cues("không có gì để chê")
    assert c["neg_neg"] == 1 and c["balance"] > 0
    assert cues("không ai giải quyết")["balance"] < 0


def test_comparison_praise_is_not_negation(cues):
    c = cues("mình chưa từng thấy phim nào ý nghĩa như phim này")
    assert c["praise_compare"] == 1 and c["neg_pos"] == 0 and c["balance"] > 0
    c = cues("chưa thấy ai tệ như vậy")
    assert c["praise_compare"] == 0 and c["balance"] < 0


def test_intensifiers_and_questions(cues):
    assert cues("hay quá!")["int_pos"] == 1 and cues("hay quá!")["exclaim"] == 1
    assert cues("cho hỏi mấy giờ UBND làm việc ạ")["question"] > 0
    assert cues("phim hay nhưng cái kết dở tệ")["after_but_neg"] == 1


ISSUE_13_POSITIVE = [
    "yêu nghề thực sự",
    "mình chưa từng thấy phim nào ý nghĩa như phim này",
    "tôi ở phú yên và anh này nói rất chuẩn <3",
]


@pytest.mark.parametrize("text", ISSUE_13_POSITIVE)
def test_issue_13_comments_are_positive(pipeline, text):
    out = pipeline.tag([{"id": "c", "title": "", "text": text}])
    assert out[0]["sentiment"] == "positive", out[0]


def test_emoji_carries_weight(pipeline):
    out = pipeline.tag([{"id": "a", "title": "", "text": "phim này 😍😍 <3"},
                        {"id": "b", "title": "", "text": "phim này 😡😡 👎"}])
    assert out[0]["sentiment"] == "positive" and out[1]["sentiment"] == "negative"


REQUIRED = {"id", "title", "text", "topics", "topics_labelled", "sentiment", "in_area", "places", "style", "diacritics"}


def test_social_files_parse_and_follow_the_schema():
    files = sorted(LABELLED_DIR.glob("labelled_S*.jsonl"))
    assert len(files) >= 17
    ids, texts, generated, total = set(), set(), 0, 0
    for p in files:
        n = 0
        with open(p, encoding="utf-8") as fh:
            for ln in fh:
                r = json.loads(ln)
                assert REQUIRED <= set(r), (p.name, r)
                assert r["id"].startswith(p.stem.removeprefix("labelled_") + "-") and r["id"] not in ids
                ids.add(r["id"])
                assert r["sentiment"] in SENTIMENTS
                if r["topics_labelled"] is False:  # sentiment only
                    assert r["topics"] == []
                else:  # round 11: topics labelled by GUIDELINE_topics_comments.md, at most two
                    assert r["topics_labelled"] is True and set(r["topics"]) <= set(TOPICS), r
                    assert len(set(r["topics"])) == len(r["topics"]) <= 2, r
                assert r["text"] and unicodedata.normalize("NFC", r["text"]) == r["text"]
                assert r["style"] == "social" and isinstance(r["diacritics"], bool)
                if not r.get("generated"):  # the written slices hold no line twice
                    assert r["text"].lower() not in texts, r["text"]
                    texts.add(r["text"].lower())
                generated += bool(r.get("generated"))
                n += 1
        assert n >= 80, p.name  # S1–S9 hold 234–532 lines each, the one-register slices S10–S19 87–237
        total += n
    assert total >= 4000
    assert generated / total < 0.2  # most lines are written one by one


def test_social_rows_load_with_topics_only_where_labelled():
    rows = [r for r in load_labelled() if is_social_set(r)]
    assert len(rows) >= 4000
    labelled = [r for r in rows if r.get("topics_labelled")]
    assert all(r.get("_no_topics") for r in rows if not r.get("topics_labelled"))
    assert all(not r.get("_no_topics") for r in labelled)
    assert len(labelled) >= 8000  # S1–S57 (round 11)
    # most comments name one matter of ours or none; a fair share names none
    assert 0.2 < sum(not r["topics"] for r in labelled) / len(labelled) < 0.6


def test_social_heldout_floor(pipeline):
    _train, held = split(load_labelled())
    social = [r for r in held if is_social_set(r)]
    assert len(social) >= 400
    assert evaluate_sentiment(pipeline, social)["sentiment_macro_f1"] >= 0.75


# --- issue 13, second round: service/education/product feedback, yes/no questions, per-register models

def test_feedback_lexicon(cues):
    assert cues("thầy giảng khó hiểu")["lex_neg"] == 1
    assert cues("slide sơ sài, giảng lan man")["lex_neg"] == 2
    c = cues("chưa hài lòng với cách giải quyết")
    assert c["neg_pos"] >= 1 and c["lex_pos"] == 0 and c["balance"] < 0
    assert cues("cần cải thiện thái độ phục vụ")["balance"] < 0
    assert cues("sẽ quay lại ủng hộ quán")["balance"] > 0
    assert cues("cô giảng dễ hiểu, nhiệt huyết")["lex_pos"] == 2


def test_yes_no_questions(cues):
    c = cues("máy này chơi game có bị nóng không mn")
    assert c["yn_question"] == 1 and c["question_x_opinion"] == 1
    c = cues("cô dạy có tốt không các bạn")
    assert c["yn_question"] == 1 and c["question_x_opinion"] == 1
    assert cues("đã sửa chưa")["yn_question"] == 1
    for said in ("không tốt", "pin không trâu", "tôi không hài lòng", "có tốt đâu"):
        c = cues(said)
        assert c["yn_question"] == 0 and c["question_x_opinion"] == 0, said


def test_cue_block_fitted_before_new_cues_keeps_its_width():
    c = SentimentCues().fit()
    assert c.transform(["có tốt không"]).shape[1] == c.n_cues_ == len(CUE_NAMES) - 2  # without the wish cues
    del c.n_cues_  # as unpickled from a model saved before the last cues were added
    assert c.transform(["có tốt không"]).shape[1] == 17


@pytest.mark.parametrize("text,want", [
    ("thầy nên cho thêm bài tập", 1), ("giảng viên nên nói to hơn", 1), ("mong shop kiểm tra lại giúp em", 1),
    ("đề nghị phường xem xét", 1),
    ("thầy dạy hay nên em thích", 0), ("vì bận nên em nghỉ học", 0), ("cần bán xe gấp", 0), ("ai cần thì ib", 0),
])
def test_suggestion_cue(cues, text, want):
    assert cues(text)["suggest"] == want, text


def test_suggestion_with_praise_is_counted_apart(cues):
    c = cues("mong thầy luôn vui khỏe")
    assert c["suggest"] == 1 and c["suggest_x_pos"] == 1
    assert cues("thầy nên cho thêm bài tập")["suggest_x_pos"] == 0


@pytest.mark.parametrize("text,degree,mild", [
    ("khá nhanh", 1, 0), ("quá nhiều bài tập", 1, 0), ("nói nhỏ quá", 1, 0), ("hơi nhanh", 1, 1),
    ("hơi khó hiểu", 0, 1),  # an opinion word: counted as intensified, not as unknown
    ("rất tốt", 0, 0), ("đẹp quá", 0, 0), ("xe hơi mới", 0, 0), ("hơi bị hay", 0, 0), ("hoi bao gio co diem", 0, 0),
])
def test_degree_adverb_next_to_an_unknown_word(cues, text, degree, mild):
    c = cues(text)
    assert (c["degree_unknown"], c["mild"]) == (degree, mild), text


def test_clause_after_but_resets_suggestion_and_degree_cues(cues):
    assert cues("giá hơi cao nhưng chất lượng xứng đáng")["mild"] == 0
    assert cues("chất lượng tốt nhưng giá hơi cao")["mild"] == 1
    assert cues("nên đến thử nhưng đừng đi cuối tuần")["suggest"] == 0


@pytest.mark.parametrize("text,cue", [
    ("bài giảng không thuyết phục", "neg_pos"), ("em không theo kịp", "neg_pos"), ("phòng học chật chội", "lex_neg"),
    ("tiết học rất sôi động", "int_pos"), ("nội dung chung chung", "lex_neg"),
])
def test_lexicon_rows_mined_from_shippable_text(cues, text, cue):
    assert cues(text)[cue] >= 1, text


@pytest.mark.parametrize("text,want", [
    ("không có tài liệu", 1), ("chưa ai trả lời", 1), ("thầy không cho nghỉ, phòng nóng", 1),
    ("không tốt", 0), ("máy có nóng không", 0), ("đã sửa chưa", 0), ("không biết bao giờ có điện?", 0),
    ("chưa thấy ai tệ như vậy", 0), ("không có tài liệu nhưng thầy giảng dễ hiểu", 0),
])
def test_plain_negation_cue(cues, text, want):
    assert cues(text)["neg_plain"] == want, text


def test_praise_idioms_and_recommendations(cues):
    c = cues("đẹp không tả nổi")  # an intensifier, not a negation
    assert c["lex_pos"] == 1 and c["neg_pos"] == 0 and c["neg_plain"] == 0
    assert cues("mọi người nên đi thử")["suggest"] == 0  # a recommendation to others, not a request


def test_cue_block_of_19_cues_keeps_its_width():
    c = SentimentCues().fit()
    c.n_cues_ = 19  # the shipped model of the second round
    assert c.transform(["thầy nên giảng chậm, hơi nhanh"]).shape[1] == 19
    assert c.get_feature_names_out().shape == (19,)


class _Fixed:
    """A stand-in model that says one label for every row and records the width it was given."""

    classes_ = np.array(["negative", "neutral", "positive"])

    def __init__(self, label: str, width: int = 0):
        self.label, self.coef_ = label, np.zeros((3, width))

    def decision_function(self, X):  # noqa: N803
        self.width = X.shape[1]
        return np.tile((self.classes_ == self.label).astype(float), (X.shape[0], 1))


def test_titled_items_use_the_press_model_and_comments_the_comment_model():
    from nlp.classify import Classifier, make_features

    words = ["đường", "thầy", "cô", "dạy", "hay", "nát", "mưa", "giáo", "tận", "tâm", "mới", "làm"]
    texts = [f"{'Tin ' + words[i] if i % 2 else ''}\n{words[i]} {words[(i + 1) % 12]} {words[(i + 3) % 12]}"
             for i in range(12)] * 2
    feats = make_features().fit(texts)
    comment = make_features().fit([t for t in texts if t.startswith("\n")])
    n_shared = feats.transform(texts[:1]).shape[1]
    press = _Fixed("negative", n_shared)
    clf = Classifier(feats, {}, {}, _Fixed("positive"), "t", {}, cues=SentimentCues().fit(),
                     comment_features=comment, press_sentiment_model=press)
    X = clf.transform(["Đường sá\nđường mới làm", "\ncô giáo tận tâm", "\nthầy dạy hay quá"])
    assert X[0, n_shared:-1].nnz == 0 and X[1, n_shared:-1].nnz > 0  # comment-only columns: comments only
    assert clf.predict_sentiment(X) == ["negative", "positive", "positive"]
    assert press.width == n_shared  # the press model reads the shared columns only
    press.classes_ = np.array(["negative", "positive", "neutral"])  # its columns would mean other classes
    with pytest.raises(ValueError, match="classes differ"):
        clf.predict_sentiment(X)
    clf.press_sentiment_model = None  # a model saved before the split: one model, no flag column
    assert clf.predict_sentiment(clf.transform(["Tin\nmưa"])) == ["positive"]


@pytest.fixture(scope="module")
def wish_cues():
    c = SentimentCues(wish="move").fit()
    return lambda text: dict(zip(CUE_NAMES, c.cues(text)))


@pytest.mark.parametrize("text,wish_pos,more", [
    ("nên giảng dễ hiểu hơn", 1, 1), ("cần nhiều ví dụ hơn", 0, 1), ("mong cán bộ trả lời nhanh hơn", 0, 1),
    ("cô nên cho thêm thời gian làm bài", 0, 1), ("mong thầy giảng dễ hiểu hơn", 1, 1),
])
def test_a_wish_for_more_names_a_lack(wish_cues, text, wish_pos, more):
    c = wish_cues(text)
    assert (c["wish_pos"], c["wish_more"]) == (wish_pos, more), text
    assert c["lex_pos"] == 0 and c["balance"] <= 0, text  # the wished praise word is not said


@pytest.mark.parametrize("text", [
    "nên nhân rộng hơn nữa", "mong thầy luôn vui khỏe", "mong có thêm nhiều chương trình ý nghĩa như này",
    "chúc thầy cô mạnh khỏe", "thầy dạy rất hay",
])
def test_praise_and_wishes_to_a_person_keep_their_praise(wish_cues, text):
    c = wish_cues(text)
    assert c["wish_pos"] == 0 and c["wish_more"] == 0, text
    assert c["lex_pos"] >= 1 and c["balance"] > 0, text


def test_wish_cues_off_keep_the_round_7_block():
    off = SentimentCues().fit()
    assert off.n_cues_ == 24 and off.transform(["nên giảng dễ hiểu hơn"]).shape[1] == 24
    c = dict(zip(CUE_NAMES, off.cues("nên giảng dễ hiểu hơn")))
    assert c["lex_pos"] == 1  # as read before round 8
    on = SentimentCues(wish="add").fit()
    assert on.transform(["x"]).shape[1] == 26  # without the comparison cues of the second wave
    del on.wish  # as unpickled from a model saved before round 8
    assert on.cues("nên giảng dễ hiểu hơn")[CUE_NAMES.index("wish_pos")] == 0


def test_cue_block_pickled_before_round_8_reads_back_with_its_params():
    import pickle

    old = SentimentCues(scale=0.5).fit()
    del old.wish, old.contrast  # as saved before round 8 (and before round 22's contrast rows)
    back = pickle.loads(pickle.dumps(old))
    assert back.get_params() == {"scale": 0.5, "wish": "", "contrast": ""} and "SentimentCues" in repr(back)
    assert back.transform(["nên giảng dễ hiểu hơn"]).shape[1] == 24


def test_cue_block_of_the_removed_comparison_variants_is_refused_clearly():
    """Round 8's comparison variants (29 columns, removed in round 9) cannot be read by this code: say so at load."""
    import pickle

    c = SentimentCues(wish="add").fit()
    c.n_cues_, c.compare = 29, "add"  # as pickled by a round-8 `cmp-add` variant
    with pytest.raises(ValueError, match="huấn luyện lại"):
        pickle.loads(pickle.dumps(c))
    c.n_cues_ = 26  # with the comparison switch off (every shipped model): reads as before
    assert pickle.loads(pickle.dumps(c)).transform(["trước tốt hơn giờ"]).shape[1] == 26



def test_round22_contrast_rows_reset_the_courtesy_and_are_off_by_default():
    """CONTRAST_LEXICON "r22": "khổ nỗi / mỗi tội …" open the point like "nhưng"; the default block reads as before."""
    old, new = SentimentCues().fit(), SentimentCues(contrast="r22").fit()
    read = lambda c, t: dict(zip(CUE_NAMES, c.cues(t)))  # noqa: E731
    text = "giá hơi cao khổ nỗi chất lượng tốt"
    assert (read(old, text)["mild"], read(old, text)["after_but_pos"]) == (1, 0)
    assert (read(new, text)["mild"], read(new, text)["after_but_pos"]) == (0, 2)
    courtesy = "thầy nhiệt tình, mỗi tội nói hơi nhỏ"  # "tội" no longer read as a complaint word of its own
    assert read(old, courtesy)["lex_neg"] == 1 and read(new, courtesy)["lex_neg"] == 0
    for text in ("anh ấy mới tới, nói hơi nhỏ", "cô mới tới lớp, giảng hay"):  # folds as "mỗi tội" would
        assert list(old.cues(text)) == list(new.cues(text)), text


def test_round22_contrast_setting_pickles_and_old_blocks_read_as_before():
    import pickle

    block = SentimentCues(contrast="r22").fit()
    assert pickle.loads(pickle.dumps(block)).get_params()["contrast"] == "r22"
    old = SentimentCues().fit()
    del old.__dict__["contrast"]  # a block pickled before round 22
    back = pickle.loads(pickle.dumps(old))
    assert back.get_params()["contrast"] == ""
    assert list(back.cues("giá hơi cao khổ nỗi chất lượng tốt")) == list(SentimentCues().fit().cues(
        "giá hơi cao khổ nỗi chất lượng tốt"))
