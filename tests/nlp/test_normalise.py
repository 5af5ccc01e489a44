"""Normaliser: NFC, entities, whitespace, tone placement, teencode, folding, no-diacritics flag."""

from __future__ import annotations

import unicodedata

from vocab.folding import fold, strip_marks
from nlp.normalise import clean, fix_tone_placement


def test_nfc_and_entities_and_whitespace():
    decomposed = unicodedata.normalize("NFD", "Quảng Ninh")
    assert decomposed != "Quảng Ninh"
    out = clean(f"  {decomposed}&nbsp;&amp;  Hải&#32;Phòng\u200b <b>mới</b>\r\n\r\n  tin  ")
    assert out == "Quảng Ninh & Hải Phòng mới\ntin"
    assert unicodedata.is_normalized("NFC", out)


def test_double_escaped_entities():
    assert clean("Sở GD&amp;amp;ĐT") == "Sở GD&ĐT"


def test_old_style_tone_placement():
    assert fix_tone_placement("Hoà bình, thuỷ lợi, Uỷ ban, khoẻ") == "Hòa bình, thủy lợi, Ủy ban, khỏe"
    # modern spelling and long words are left alone
    assert fix_tone_placement("hòa thuận, nghiêng") == "hòa thuận, nghiêng"


def test_teencode_expansion(normaliser):
    assert normaliser.expand_nsw("ko biết j") == "không biết gì"
    assert normaliser.expand_nsw("Ko dc đâu") == "Không được đâu"
    # real words are never "expanded"
    assert normaliser.expand_nsw("bằng anh em") == "bằng anh em"


def test_units_after_numbers_are_not_teencode(normaliser):
    """"kg" is "không" in teencode, but "2 kg thịt" is a weight: expanding it made a negation of a price."""
    assert normaliser.expand_nsw("Mua 2 kg thịt, giá 60.000 đồng/kg") == "Mua 2 kg thịt, giá 60.000 đồng/kg"
    assert normaliser.expand_nsw("Mỗi kg cá tra, hàng chục kg vàng, 2 l nước") == (
        "Mỗi kg cá tra, hàng chục kg vàng, 2 l nước")
    assert normaliser.expand_nsw("giá 50 k.") == "giá 50 k."
    # teencode stays teencode, after a number too when a word follows "k"
    assert normaliser.expand_nsw("kg biết nữa") == "không biết nữa"
    assert normaliser.expand_nsw("năm 2024 k ai biết") == "năm 2024 không ai biết"
    # "k" after an amount is a thousand đồng even when a word follows (it read "150 không một cân")
    assert normaliser.expand_nsw("rau 150 k một cân, hết 200 k rồi") == "rau 150 k một cân, hết 200 k rồi"
    assert normaliser.expand_nsw("ko có 100 k đâu") == "không có 100 k đâu"
    # … but not after a numbered name: a ward group, a class
    assert normaliser.expand_nsw("tổ 5 k có điện, lớp 12 k ai biết") == "tổ 5 không có điện, lớp 12 không ai biết"
    assert normaliser.expand_nsw("tiền điện tháng 300 k mà") == "tiền điện tháng 300 k mà"
    prices = "phòng 300 k một đêm, loai to 50 k mot con"  # words that price by the unit; "to" is big
    assert normaliser.expand_nsw(prices) == prices


def test_fold():
    assert fold("Phường Vàng Danh, TP Uông Bí") == "phuong vang danh, tp uong bi"
    assert fold("ĐƯỜNG Đỗ") == "duong do"
    assert strip_marks("Đà Nẵng") == "Da Nang"
    assert fold("") == ""


def test_no_diacritics_flag(normaliser):
    t, flag = normaliser.normalise("nguoi dan phuong vang danh phan anh bui than qua nhieu")
    assert flag is True
    assert "người dân" in t
    t, flag = normaliser.normalise("Người dân phường Vàng Danh phản ánh bụi than")
    assert flag is False
    assert t == "Người dân phường Vàng Danh phản ánh bụi than"
    assert normaliser.normalise("") == ("", False)


def test_text_in_ascii_letters_takes_the_exact_shortcuts():
    """Text typed without diacritics skips tone fixing and squashing when they cannot change it (the same
    string comes back), and still gets them when they can."""
    from nlp.normalise import squash_stretched

    bare = "mua lon o uong bi, nuoc ngap sau — nhieu nha dan bi anh huong 😡"
    assert fix_tone_placement(bare) is bare
    assert squash_stretched(bare) is bare
    assert fix_tone_placement("di Qui Nhon") == "di Quy Nhon"
    assert squash_stretched("dep quaaaa") == "dep qua!"
    assert squash_stretched("OKKK") == "OKKK"  # shouting is left alone, as before


def test_an_item_without_diacritics_is_folded_as_restored(pipeline):
    """Round 17 (issue 13): `folded` of an item typed without diacritics is taken from the typed text (prepared:
    teencode expanded, "qui" → "quy") when it is in ASCII, instead of folding the restored text; it must be
    what folding the restored text gives, capitals, numbers, teencode and punctuation included."""
    from nlp.steps import STEPS

    items = [{"id": "a", "title": "TP Uong Bi: ko co nuoc 3 ngay", "text": "Nguoi dan phuong Vang Danh phan anh, "
              "mat nuoc tu 12/3. Ko ai tra loi!!! Di Qui Nhon thi sao"},
             {"id": "b", "title": "", "text": "thong bao cat dien o UONG BI, khong biet bao gio co dien lai"},
             {"id": "c", "title": "Mua lon “ngap” sau", "text": "nuoc ngap sau — nhieu nha dan bi anh huong"}]
    step = STEPS["normalise"](pipeline.res)
    step.run(items)
    for it in items:
        assert it["no_diacritics"], it["id"]
        assert it["folded"] == " ".join(fold(f"{it['_title']} {it['_text']}").split()), it["id"]
    assert "khong" in items[0]["folded"] and "quy nhon" in items[0]["folded"]


def test_diacritic_stats_of_ascii_words_are_the_general_counts(normaliser):
    """Round 17: words all in ASCII letters are counted in one pass (no marks; folded = lowercase); the figures
    must be those of the general per-word loop, capitals, unknown words and punctuation included."""
    from vocab.folding import VI_MARKED, fold_word

    def general(text: str) -> tuple[int, float, float]:
        import re

        ws = re.findall(r"[^\W\d_]+", text)
        if not ws:
            return 0, 0.0, 0.0
        cands, uni = normaliser.restorer.cands, normaliser.restorer.unigram
        marked = sum(any(c in VI_MARKED for c in w.lower()) for w in ws)
        known = sum((w.lower() in uni) if any(c in VI_MARKED for c in w.lower()) else fold_word(w.lower()) in cands
                    for w in ws)
        return len(ws), marked / len(ws), known / len(ws)

    for text in ("TP UONG BI mua lon, nuoc ngap sau", "Nguoi dan “phan anh” — xyzzq qwrtp 12/3 ko dc",
                 "Người dân phường Vàng Danh", "naïve café", "", "2024"):
        assert normaliser.diacritic_stats(text) == general(text), text
