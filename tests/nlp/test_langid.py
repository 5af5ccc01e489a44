from __future__ import annotations

import pytest

from nlp import langid


@pytest.mark.parametrize("text,lang", [
    ("Người dân phường Vàng Danh phản ánh bụi than", "vi"),
    ("nguoi dan phan anh bui than qua nhieu, chinh quyen can xu ly", "vi"),
    ("The city council approved the new budget for road repairs and schools", "other"),
    ("Le conseil municipal a approuvé le nouveau budget pour les écoles", "other"),
    ("这是一个中文句子，不是越南语。", "other"),
    ("", "other"),
    ("12345 !!! ...", "other"),
])
def test_detect(normaliser, text, lang):
    assert langid.detect(text, normaliser.restorer.cands) == lang
