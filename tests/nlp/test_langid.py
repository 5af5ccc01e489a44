from __future__ import annotations

import pytest

from nlp import langid


@pytest.mark.parametrize("text,lang", [
    ("Người dân phường Vàng Danh phản ánh bụi than", "vi"),
    ("nguoi dan phan anh bui than qua nhieu, chinh quyen can xu ly", "vi"),
    ("The city council approved the new budget for road repairs and schools", "other"),
    ("Le conseil municipal a approuvé le nouveau budget pour les écoles", "other"),
    ("这是一个中文句子，不是越南语。", "other"),
    ("", "none"),
    ("12345 !!! ...", "none"),
    ("❤️❤️", "none"),
    ("tks ad nhiều", "vi"),  # everyday loanwords of Vietnamese posts (SOCIAL_LOANS)
    ("okela", "vi"),
    ("Thank you Vietcombank", "other"),  # English function word: still another language
])
def test_detect(normaliser, text, lang):
    assert langid.detect(text, normaliser.restorer.cands) == lang


def test_a_reply_of_emoji_only_keeps_its_polarity_and_gets_no_topic(pipeline):
    """Issue 13: "❤️❤️" or "😡😡" under a post were in no language, so read neutral whatever their emoji said.
    A laugh alone ("=))": friendly or mocking) and a bare number stay neutral."""
    texts = ["❤️❤️", "👍", "😡😡", ":((", "=))", "12345 !!!"]
    out = pipeline.tag([{"id": str(i), "title": "", "text": t} for i, t in enumerate(texts)])
    assert [o["lang"] for o in out] == ["none"] * len(texts)
    assert [o["sentiment"] for o in out] == ["positive", "positive", "negative", "negative", "neutral", "neutral"]
    assert all(o["topics"] == [] for o in out)
