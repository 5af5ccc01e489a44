"""Diacritic restoration on a few sentences (syllable accuracy floor) and its invariants."""

from __future__ import annotations

from vocab.folding import fold, strip_marks, words

SENTENCES = [
    "Người dân phản ánh tình trạng ô nhiễm môi trường kéo dài",
    "Ủy ban nhân dân thành phố tổ chức đối thoại với các hộ dân",
    "Bệnh viện đã tiếp nhận nhiều bệnh nhân trong đêm qua",
    "Học sinh được nghỉ học do mưa lớn và ngập lụt",
    "Công an đang điều tra vụ lừa đảo chiếm đoạt tài sản",
]


def test_restores_sentences(normaliser):
    hits = total = 0
    for s in SENTENCES:
        out = normaliser.restorer.restore(strip_marks(s))
        assert fold(out) == fold(s)  # restoration never changes the letters, only the marks
        for a, b in zip(words(out), words(s)):
            hits += a.lower() == b.lower()
            total += 1
    assert hits / total >= 0.9, hits / total


def test_keeps_case_punctuation_and_marked_syllables(normaliser):
    r = normaliser.restorer
    assert r.restore("Nguoi dan, 12 ho, BUC XUC!") == "Người dân, 12 hộ, BỨC XÚC!"
    # a syllable that already carries marks is kept as written
    assert r.restore("người dan") .startswith("người ")
    assert r.restore("") == ""


def test_score_cache_is_bounded_and_changes_nothing(normaliser, monkeypatch):
    import nlp.diacritics as dia

    r = normaliser.restorer
    text = "nguoi dan phan anh tinh trang o nhiem moi truong keo dai o phuong vang danh"
    cold = r.restore(text)
    monkeypatch.setattr(dia, "TRANSITION_CACHE", 5)
    r._bcache.clear()
    assert r.restore(text) == cold == r.restore(text)  # a warm cache gives the same result
    assert len(r._bcache) <= 5
