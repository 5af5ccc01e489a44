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
    assert sum(len(rows) for rows in r._bcache.values()) <= 5


def test_row_cache_keeps_its_previous_generation_bounded(normaliser, monkeypatch):
    """A full row cache becomes the old generation (it is not cleared): a row found there is reused, not
    rebuilt; at most 2 × TRANSITION_CACHE rows are held; the output does not change."""
    import nlp.diacritics as dia

    r = normaliser.restorer
    texts = ["nguoi dan phan anh tinh trang o nhiem moi truong keo dai", "mua lon gay ngap o phuong vang danh",
             "cong an dang dieu tra vu lua dao chiem doat tai san"]
    r.clear_cache()
    want = [r.restore(t) for t in texts]
    monkeypatch.setattr(dia, "TRANSITION_CACHE", 7)
    r.clear_cache()
    first = r._row("dân", "phan")
    for low in ("anh", "tinh", "trang", "o", "nhiem", "moi", "truong"):  # 7 more rows: the first one ages
        r._row("dân", low)
    assert r._bold.get("phan", {}).get("dân") is first
    assert r._row("dân", "phan") is first  # taken from the old generation, not rebuilt
    for _ in range(3):
        assert [r.restore(t) for t in texts] == want
        held = sum(len(v) for v in r._bcache.values()) + sum(len(v) for v in r._bold.values())
        assert 7 < held <= 2 * 7


def _reference_decoder(r, seg, ctx2, types2):
    """The beam search as it was written before it was made fast (commit 6617790), kept as the definition
    the fast decoder must match exactly: the shipped classifiers were trained on its output."""
    import heapq
    import math

    import nlp.diacritics as dia

    states = {(dia._BOS, dia._BOS): (0.0, ())}
    for word in seg:
        low = dia._NUM if dia._DIGIT.search(word) else word.lower()
        nxt = {}
        plain = {}
        live = []
        for (p2, p1), (sc, path) in states.items():
            if ctx2.get((p2, p1), 0):
                live.append((p2, p1, sc, path))
            elif p1 not in plain or sc > plain[p1][1]:
                plain[p1] = (p2, sc, path)
        live += [(p2, p1, sc, path) for p1, (p2, sc, path) in plain.items()]
        for p2, p1, sc, path in live:
            cv = ctx2.get((p2, p1), 0)
            lam = dia.DISCOUNT * types2[(p2, p1)] if cv else 0.0
            for w in r._candidates(low):
                pb = r.prob2(p1, w)
                lp = math.log(pb)
                if cv:
                    c = r.trigram.get((p2, p1, w), 0)
                    lp = math.log(((c - dia.DISCOUNT if c > dia.DISCOUNT else 0.0) + lam * pb) / cv)
                v = sc + lp
                old = nxt.get((p1, w))
                if old is None or v > old[0]:
                    nxt[(p1, w)] = (v, path + (w,))
        if len(nxt) > 1:
            nxt = dict(heapq.nlargest(r.beam, nxt.items(), key=lambda kv: kv[1][0]))
        states = nxt
    best = max(states.items(), key=lambda kv: kv[1][0] + r.logp3(kv[0][0], kv[0][1], dia._EOS))
    return [orig if new == dia._NUM else dia._case_like(orig, new) for orig, new in zip(seg, best[1][1])]


def test_fast_decoder_matches_the_reference_exactly(normaliser):
    """Speed work on the restorer must not change one syllable (or the model must be retrained)."""
    import json
    from collections import Counter
    from pathlib import Path

    import nlp.diacritics as dia

    r = normaliser.restorer
    ctx2, types2 = Counter(), Counter()
    for (a, b, _w), c in r.trigram.items():
        ctx2[(a, b)] += c
        types2[(a, b)] += 1
    root = Path(__file__).resolve().parents[2] / "data" / "training"
    texts = []
    for name in ("labelled_A.jsonl", "labelled_S1.jsonl"):
        with open(root / name, encoding="utf-8") as fh:
            for ln in list(fh)[:25]:
                row = json.loads(ln)
                texts += [fold(row["title"] or ""), strip_marks(row["text"])]
    r.clear_cache()
    segs = [seg for t in texts for seg in dia.segments(t)]
    assert len(segs) > 100
    for seg in segs:
        assert r.restore_segment(seg) == _reference_decoder(r, seg, ctx2, types2), seg


def test_a_short_segment_is_decoded_once_and_keeps_each_ones_case(normaliser):
    r = normaliser.restorer
    r.clear_cache()
    assert r.restore("Uong Bi, uong bi, UONG BI") == "Uông Bí, uông bí, UÔNG BÍ"
    assert list(r._segs) == [("uong", "bi")]  # the lowercase syllables, restored once


def test_rows_built_at_load_are_the_rows_built_on_demand(normaliser):
    """`[nlp] preload_rows` (on by default) must not change one syllable."""
    r = normaliser.restorer
    assert len(r._pre) > 1000
    pairs = [(p1, low) for low, rows in list(r._pre.items())[::500] for p1 in list(rows)[:3]]
    assert pairs and all(r._pre[low][p1] == r._build_row(p1, low) for p1, low in pairs)
    text = strip_marks(" ".join(SENTENCES)).lower()
    pre = r._pre
    try:
        r.clear_cache()
        with_rows = r.restore(text)
        r._pre = {}
        r.clear_cache()
        assert r.restore(text) == with_rows
    finally:
        r._pre = pre


def test_the_collector_is_paused_during_a_restore_and_left_as_found(normaliser, monkeypatch):
    import gc

    r = normaliser.restorer
    seen = []
    real = type(r).restore_segment
    monkeypatch.setattr(r, "restore_segment", lambda seg: seen.append(gc.isenabled()) or real(r, seg))
    assert gc.isenabled()
    r.restore("nguoi dan phan anh, uong bi")
    assert seen == [False, False] and gc.isenabled()
    gc.disable()
    try:
        r.restore("nguoi dan phan anh")
        assert not gc.isenabled()  # a caller's own pause is kept
    finally:
        gc.enable()


# Local words that national news rarely writes (coal mining, wards, the words of local posts): learnt from
# nlp/data/corpus/local_phrases.txt. Needs the model retrained with that file (the restorer trained before it
# gave "bãi thải thân", "thân tổ ong", "công ty than Nam Máu", "nhà em sát rồi", "tắc đường qua",
# "xa Thường Yên Công").
LOCAL = [
    "bãi thải than", "than tổ ong", "công ty than Nam Mẫu", "nhà em sạt rồi", "tắc đường quá",
    "xã Thượng Yên Công",
]


def test_restores_local_phrases(normaliser):
    got = [normaliser.restorer.restore(strip_marks(s)) for s in LOCAL]
    assert [g.lower() for g in got] == [s.lower() for s in LOCAL]
