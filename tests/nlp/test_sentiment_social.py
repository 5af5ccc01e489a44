"""Sentiment on social text: emoticons kept by normalisation, stretched letters, the cue block (emoji polarity,
negation, comparison praise, questions), the social-register data files, and comments from issue 13."""

from __future__ import annotations

import json
import unicodedata

import pytest

from nlp.classify import CUE_NAMES, SentimentCues
from nlp.normalise import clean, squash_stretched
from nlp.train import LABELLED_DIR, evaluate_sentiment, is_social_set, load_labelled, split
from vocab.labels import SENTIMENTS


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
    assert len(files) >= 6
    ids, texts, generated, total = set(), set(), 0, 0
    for p in files:
        n = 0
        with open(p, encoding="utf-8") as fh:
            for ln in fh:
                r = json.loads(ln)
                assert REQUIRED <= set(r), (p.name, r)
                assert r["id"].startswith(p.stem.removeprefix("labelled_") + "-") and r["id"] not in ids
                ids.add(r["id"])
                assert r["sentiment"] in SENTIMENTS and r["topics"] == [] and r["topics_labelled"] is False
                assert r["text"] and unicodedata.normalize("NFC", r["text"]) == r["text"]
                assert r["style"] == "social" and isinstance(r["diacritics"], bool)
                if not r.get("generated"):  # the written slices hold no line twice
                    assert r["text"].lower() not in texts, r["text"]
                    texts.add(r["text"].lower())
                generated += bool(r.get("generated"))
                n += 1
        assert n >= 200, p.name
        total += n
    assert total >= 3000
    assert generated / total < 0.2  # most lines are written one by one


def test_social_rows_load_without_topics():
    rows = [r for r in load_labelled() if is_social_set(r)]
    assert len(rows) >= 3000 and all(r["_no_topics"] for r in rows)


def test_social_heldout_floor(pipeline):
    _train, held = split(load_labelled())
    social = [r for r in held if is_social_set(r)]
    assert len(social) >= 400
    assert evaluate_sentiment(pipeline, social)["sentiment_macro_f1"] >= 0.75
