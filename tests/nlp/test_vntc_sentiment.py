"""Round 15 (issue 13, "right on real text"): the real VNTC articles labelled for sentiment (labelled_V*.jsonl) and
the news slices' sentiment labels train the PRESS sentiment model only, when switched on (VNTC_SENTIMENT_WEIGHT,
NEWS_PRESS_SENTIMENT_WEIGHT): never the topic models, their vocabulary, the shared vocabulary, the restorer or the
comment model; and `heldout_vntc_sentiment` measures them. Small rows only; nothing read from /work/shared."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nlp import train as T
from tests.nlp.rows import WORDS, tiny_labelled

def _rows() -> list[dict]:
    return tiny_labelled(news=True)


def _vntc_rows(n: int = 30) -> list[dict]:
    """Rows as load_labelled reads labelled_V*.jsonl (topics not labelled), with words no other row has."""
    return [{"id": f"V-VH_TN_-{i}", "title": f"Nghệ sĩ {i} ra mắt album mới", "text": f"khán giả đón nhận {i} liveshow",
             "topics": [], "_no_topics": True, "sentiment": list(WORDS)[i % 3], "vntc_section": "Van hoa",
             "_file": "labelled_V1.jsonl"} for i in range(n)]


def test_loader_reads_vntc_rows_as_sentiment_only(tmp_path):
    row = {"id": "V-VH_TN_-1", "title": "Nghệ sĩ ra mắt album", "text": "Khán giả đón nhận", "topics": [],
           "sentiment": "positive", "in_area": False, "places": [], "style": "press", "diacritics": True,
           "vntc_section": "Van hoa"}
    (tmp_path / "labelled_V1.jsonl").write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    (r,) = T.load_labelled(tmp_path)
    assert T.is_vntc_set(r) and r["_no_topics"] and not T.is_own_set(r)
    assert not T.is_news_set(r) and not T.is_social_set(r)


def test_vntc_and_news_rows_train_the_press_model_only_when_switched_on(monkeypatch):
    v, n = _vntc_rows(1)[0], _rows()[2]
    assert T.is_news_set(n)
    monkeypatch.setattr(T, "VNTC_SENTIMENT_WEIGHT", 0.0)
    monkeypatch.setattr(T, "NEWS_PRESS_SENTIMENT_WEIGHT", 0.0)
    for r in (v, n):  # switched off: neither trains a sentiment model (as before round 15)
        assert T.sentiment_models(r) == ()
    monkeypatch.setattr(T, "VNTC_SENTIMENT_WEIGHT", 0.5)
    monkeypatch.setattr(T, "NEWS_PRESS_SENTIMENT_WEIGHT", 1.0)
    for r in (v, n, *T._stripped([v, n])):
        assert T.sentiment_models(r) == ("press",)
    assert T.press_sentiment_weight(v) == 0.5 and T.press_sentiment_weight(n) == 1.0
    assert T.press_sentiment_weight({"id": "A-1", "_file": "labelled_A.jsonl"}) == 1.0
    # nothing else reads them: not the restorer, not a vocabulary, not the topic models
    assert not T.trains_restorer(v) and not T.in_shared_vocabulary(v) and not T.in_topic_vocabulary(v)
    assert not T.trains_comment_topics(v)
    assert not T.topic_rows([v], np.zeros((1, 13)))[0].any()


def test_shipped_settings_train_the_press_model_on_the_vntc_rows_not_on_the_news_slices():
    """Round 15's choice (docs/NLP_ROUNDS.md): the V rows at half weight; the news slices' sentiment not at all."""
    assert T.VNTC_SENTIMENT_WEIGHT == 0.5 and T.NEWS_PRESS_SENTIMENT_WEIGHT == 0.0 and not T.NEWS_SENTIMENT
    assert T.sentiment_models(_vntc_rows(1)[0]) == ("press",)
    assert T.sentiment_models(_rows()[2]) == ()


def _train(monkeypatch, labelled: list[dict]) -> tuple[T.TrainResult, dict[str, tuple[int, float]]]:
    """Train at a small scale; the rows and total sample weight each sentiment model is fitted on."""
    fitted: list[tuple[int, float]] = []

    class Spy(T.LinearSVC):  # nlp.train fits the comment model first, then the press model
        def fit(self, X, y, sample_weight=None):  # noqa: N803
            fitted.append((len(y), float(np.sum(sample_weight))))
            return super().fit(X, y, sample_weight=sample_weight)

    monkeypatch.setattr(T, "LinearSVC", Spy)
    monkeypatch.setattr(T, "corpus_texts", lambda: iter(["bụi than ô nhiễm", "thông báo lịch họp phường"]))
    res = T.train(labelled=labelled, use_vntc=False)
    return res, dict(zip(("comment", "press"), fitted, strict=True))


def test_training_routes_vntc_and_news_rows_to_the_press_model(monkeypatch):
    base = _rows()
    v = _vntc_rows()
    n_v = sum(not T.is_heldout(r["id"]) for r in v)
    n_news = sum(not T.is_heldout(r["id"]) for r in base if T.is_news_set(r))
    assert 0 < n_v < len(v)  # some held out, by the usual sha1 rule
    monkeypatch.setattr(T, "VNTC_SENTIMENT_WEIGHT", 0.0)
    monkeypatch.setattr(T, "NEWS_PRESS_SENTIMENT_WEIGHT", 0.0)
    ref, fit_ref = _train(monkeypatch, base)
    off, fit_off = _train(monkeypatch, base + v)
    assert fit_off == fit_ref  # switched off: the V rows train nothing
    monkeypatch.setattr(T, "VNTC_SENTIMENT_WEIGHT", 0.5)
    monkeypatch.setattr(T, "NEWS_PRESS_SENTIMENT_WEIGHT", 1.0)
    on, fit_on = _train(monkeypatch, base + v)
    # each training row with its stripped copy; the V rows at weight 0.5, the news rows at 1
    assert fit_on["press"][0] == fit_ref["press"][0] + 2 * (n_v + n_news)
    assert fit_on["press"][1] == pytest.approx(fit_ref["press"][1] + 2 * (0.5 * n_v + n_news))
    assert fit_on["comment"] == fit_ref["comment"]  # the comment model never sees them
    for res in (off, on):  # topics and every vocabulary are those trained without the V rows
        c, r = res.classifier, ref.classifier
        assert c.features.transformer_list[0][1].vocabulary_ == r.features.transformer_list[0][1].vocabulary_
        assert c.topic_features.transformer_list[0][1].vocabulary_ == r.topic_features.transformer_list[0][1].vocabulary_
        assert set(c.topic_models) == set(r.topic_models)
        for code, m in r.topic_models.items():
            np.testing.assert_allclose(c.topic_models[code].coef_, m.coef_)
        np.testing.assert_allclose(c.sentiment_model.coef_, r.sentiment_model.coef_)
    assert not np.allclose(on.classifier.press_sentiment_model.coef_, ref.classifier.press_sentiment_model.coef_)


class _Fixed:
    """A pipeline stand-in that reads every item as the given sentiment by its title's first word."""

    def tag(self, items):
        return [{"id": it["id"], "sentiment": "negative" if it["title"].startswith("Cháy") else "neutral",
                 "topics": []} for it in items]


def test_heldout_vntc_sentiment_reports_f1_and_negative_share_per_section():
    rows = [
        {"id": "V-1", "title": "Cháy chợ", "text": "", "sentiment": "negative", "vntc_section": "The gioi"},
        {"id": "V-2", "title": "Cháy rừng được dập tắt", "text": "", "sentiment": "positive", "vntc_section": "The gioi"},
        {"id": "V-3", "title": "Triển lãm tranh", "text": "", "sentiment": "neutral", "vntc_section": "Van hoa"},
        {"id": "V-4", "title": "Album mới", "text": "", "sentiment": "positive", "vntc_section": "Van hoa"},
        {"id": "A-1", "title": "Cháy nhà", "text": "", "sentiment": "negative"},  # not a V row: left out
    ]
    for r in rows:
        r["_file"] = "labelled_V1.jsonl" if r["id"].startswith("V") else "labelled_A.jsonl"
    res = T.evaluate_vntc_sentiment(_Fixed(), rows)
    assert res["n"] == 4
    assert res["sentiment_f1"] == {"negative": pytest.approx(2 / 3, abs=1e-4), "neutral": pytest.approx(2 / 3, abs=1e-4),
                                   "positive": 0.0}
    assert res["sentiment_macro_f1"] == pytest.approx(4 / 9, abs=1e-4)
    assert res["sections"] == {"The gioi": {"n": 2, "negative_predicted": 1.0, "negative_gold": 0.5},
                               "Van hoa": {"n": 2, "negative_predicted": 0.0, "negative_gold": 0.0}}
    assert res["negative_predicted"] == 0.5 and res["negative_gold"] == 0.25
    assert T.evaluate_vntc_sentiment(_Fixed(), rows[4:]) == {"n": 0}
