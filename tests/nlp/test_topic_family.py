"""The topic models' family (docs/NLP_ROUNDS.md, "Round 5: topic model family"): the mean of a ridge score and a word-block
complement-NB score, Platt-scaled per topic so that the rule's threshold is one probability for every topic, folded
into one linear model per topic that a saved Classifier keeps."""

from __future__ import annotations

import numpy as np
import pytest

import nlp.train as T
from nlp.classify import Classifier, LinearTopicModel
from tests.nlp.rows import topic_docs


@pytest.fixture(scope="module")
def fitted():
    mp = pytest.MonkeyPatch()
    mp.setattr(T, "TOPIC_RULE_CV_SEEDS", (13,))
    docs = topic_docs()
    docs += [{"id": f"A-{i:04d}", "title": f"Tin {i}", "text": f"thông báo lịch họp số {i % 5}", "topics": [],
              "_file": "labelled_A.jsonl"} for i in range(60, 72)]
    texts = [f"{d['title']}\n{d['text']}" for d in docs]
    out = T.fit_topics(None, texts, docs, np.ones(len(docs)), docs, [], [], 1.0)
    mp.undo()
    return out, texts, docs


def test_shipped_topic_models_are_calibrated_ridge_and_word_nb():
    assert T.TOPIC_MODEL == "ridge+nb-word" and T.TOPIC_CALIBRATION


def test_topic_models_are_linear_and_scores_are_log_odds(fitted):
    (feats, X, models, rule), texts, docs = fitted
    assert set(models) == {"education", "economy", "health"}
    assert all(isinstance(m, LinearTopicModel) for m in models.values())
    assert len(rule["calibration"]) == len(T.TOPICS)
    # the grid is one of probabilities: threshold and fallback are log-odds of 0.05–0.85 / 0.01–0.12
    assert np.log(0.05 / 0.95) - 1e-3 <= rule["threshold"] <= np.log(0.85 / 0.15) + 1e-3
    th = {c: rule["threshold"] for c in T.TOPICS}
    clf = Classifier(feats, models, th, None, "t", {"topic_rule": {k: rule[k] for k in ("fallback", "margin", "top_k")}})
    P = clf.predict_topics(clf.transform(texts))
    assert sum(d["topics"] == p for d, p in zip(docs, P)) >= 0.9 * len(docs)
    # a calibrated score is a log-odds: an item of the topic scores above 0 (p > 0.5), one of another below
    S = clf.topic_scores(clf.transform(["học phí sinh viên", "bác sĩ khám bệnh"]))
    assert S[0, clf.codes.index("education")] > 0 > S[1, clf.codes.index("education")]


def test_nb_part_reads_the_word_block_only(fitted):
    (feats, X, _, _), _, docs = fitted
    n_word = len(feats.transformer_list[0][1].vocabulary_)
    y = np.array(["education" in d["topics"] for d in docs], dtype=int)
    nb = T._NBTopic(1.0, 1.0, word_only=True, ridge=False, word_columns=n_word).fit(X, y)
    coef = nb.coef_.ravel()
    assert coef[:n_word].any() and not coef[n_word:].any()
    # the width is the caller's, not module state left by an earlier fit (fit_topics passes its vocabulary's)
    assert not hasattr(T, "_WORD_COLUMNS")
    assert T.topic_model(1.0, n_word).word_columns == n_word


def test_fit_topics_word_nb_reads_its_own_word_block(fitted, monkeypatch):
    (feats, _, _, _), texts, docs = fitted
    monkeypatch.setattr(T, "TOPIC_RULE_CV_SEEDS", (13,))
    monkeypatch.setattr(T, "TOPIC_MODEL", "nb-word")
    feats2, X2, models, _ = T.fit_topics(None, texts[:48], docs[:48], np.ones(48), docs[:48], [], [], 1.0)
    n_word = len(feats2.transformer_list[0][1].vocabulary_)
    assert n_word != len(feats.transformer_list[0][1].vocabulary_)  # another vocabulary than the fixture's
    for m in models.values():
        assert m.coef_[0, :n_word].any() and not m.coef_[0, n_word:].any()


def test_calibrated_classifier_saves_and_loads(fitted, tmp_path):
    (feats, _, models, rule), texts, _ = fitted
    clf = Classifier(feats, models, {c: rule["threshold"] for c in T.TOPICS}, None, "t",
                     {"topic_rule": {k: rule[k] for k in ("fallback", "margin", "top_k")}})
    clf.save(tmp_path / "c.joblib")
    back = Classifier.load(tmp_path / "c.joblib")
    assert np.allclose(back.topic_scores(back.transform(texts)), clf.topic_scores(clf.transform(texts)))


def test_linear_topic_models_keep_float32_weights(fitted):
    """Classifier scores with float32 weights (W): float64 ones doubled the saved file for the same decisions."""
    (feats, _, models, rule), texts, _ = fitted
    assert all(m.coef_.dtype == np.float32 for m in models.values())
    w64 = np.random.default_rng(0).normal(size=models["education"].coef_.shape[1])
    m = LinearTopicModel(w64, 0.25)
    assert m.coef_.dtype == np.float32 and np.array_equal(m.coef_.ravel(), w64.astype(np.float32))
    as64 = {c: LinearTopicModel(np.zeros(1), 0.0) for c in models}
    for c, mm in models.items():  # what a float64 copy of the same weights scores
        as64[c].coef_, as64[c].intercept_ = mm.coef_.astype(np.float64), mm.intercept_
    th = {c: rule["threshold"] for c in T.TOPICS}
    a = Classifier(feats, models, th, None, "t", {})
    b = Classifier(feats, as64, th, None, "t", {})
    assert np.array_equal(a.topic_scores(a.transform(texts)), b.topic_scores(b.transform(texts)))


# Round 6 (docs/NLP_ROUNDS.md, "Round 6: NB share per topic, VNTC Kinh doanh")

def test_shipped_setting_chooses_nb_share_per_topic_and_weighs_vntc_business_twice():
    assert len(T.TOPIC_NB_SHARES) >= 3 and T.VNTC_SECTION_WEIGHT == {"Kinh doanh": 2.0}


def test_nb_share_is_chosen_per_topic_by_the_rule_search(fitted):
    (_, _, models, rule), _, _ = fitted
    shares = rule["nb_shares"]
    assert len(shares) == len(T.TOPICS) and set(shares) <= set(T.TOPIC_NB_SHARES)
    assert all(isinstance(m, LinearTopicModel) for m in models.values())


def test_nb_share_mixes_the_two_halves_linearly(fitted):
    (_, X, _, _), _, docs = fitted
    y = np.array(["health" in d["topics"] for d in docs], dtype=int)
    m = T._NBTopic(1.0, 0.1, word_only=False, ridge=True).fit(X, y)
    r, n = m.part_scores(X)
    for v in (0.25, 0.75):
        assert np.allclose(m.combine(v).decision_function(X), (1 - v) * r + v * n)


def test_vntc_business_rows_weigh_twice_the_other_sections():
    w = {}
    for r in T.vntc_rows(limit_chars=50):
        if not r.get("_no_topics"):  # round 16: the held-out V articles' copies train the shared vocabulary only
            w.setdefault(r["topics"][0], set()).add(r["_weight"])
    assert w["economy"] == {2 * T.VNTC_WEIGHT} and w["health"] == {T.VNTC_WEIGHT}
