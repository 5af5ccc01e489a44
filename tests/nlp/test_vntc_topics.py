"""Round 16 (issue 13, topics right on real news): the real VNTC articles labelled for topics (labelled_V*.jsonl,
`topics_labelled` true) train the TOPIC models only, at VNTC_TOPIC_WEIGHT (never the sentiment models, the comment
model, the shared vocabulary or the restorer; the topic vocabulary only with VNTC_TOPIC_VOCABULARY); no V article —
held-out ones above all — trains topics or the topic vocabulary through the corpus rows (`vntc_rows`);
`heldout_vntc_topics` measures them.
Small rows only; nothing read from /work/shared."""

from __future__ import annotations

import gzip
import json

import numpy as np
import pytest

from nlp import train as T
from tests.nlp.test_vntc_sentiment import _rows, _train


def _v_topic_rows(n: int = 30) -> list[dict]:
    """V rows as load_labelled reads them once their topics are merged (words no other row has)."""
    return [{"id": f"V-VH_TN_-{i}", "title": f"Nghệ sĩ {i} ra mắt album mới", "text": f"khán giả đón nhận {i} liveshow",
             "topics": ["culture_tourism"] if i % 3 else [], "sentiment": ("negative", "neutral", "positive")[i % 3],
             "vntc_section": "Van hoa", "vntc_id": f"VH_TN_ ({i})", "_file": "labelled_V1.jsonl"} for i in range(n)]


def test_loader_reads_topics_of_v_rows_only_where_labelled(tmp_path):
    base = {"title": "Nghệ sĩ ra mắt album", "text": "Khán giả đón nhận", "sentiment": "positive", "style": "press",
            "vntc_section": "Van hoa"}
    lines = [{**base, "id": "V-1", "topics": ["culture_tourism"], "topics_labelled": True},
             {**base, "id": "V-2", "topics": [], "topics_labelled": True},
             {**base, "id": "V-3", "topics": [], "topics_labelled": False},
             {**base, "id": "V-4", "topics": []}]
    (tmp_path / "labelled_V1.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines),
                                                encoding="utf-8")
    rows = {r["id"]: r for r in T.load_labelled(tmp_path)}
    assert [T.is_vntc_topic_row(rows[i]) for i in ("V-1", "V-2", "V-3", "V-4")] == [True, True, False, False]
    assert rows["V-1"]["topics"] == ["culture_tourism"] and not T.is_own_set(rows["V-1"])


def test_v_rows_train_the_topic_models_only_when_switched_on(monkeypatch):
    v = _v_topic_rows(2)[1]
    monkeypatch.setattr(T, "VNTC_TOPIC_WEIGHT", 0.0)
    assert not T.vntc_topic_trains(v) and not T.topic_rows([v], np.zeros((1, 13)))[0].any()
    monkeypatch.setattr(T, "VNTC_TOPIC_WEIGHT", 0.6)
    for r in (v, *T._stripped([v])):
        assert T.vntc_topic_trains(r) and T.topic_rows([r], np.zeros((1, 13)))[0].all()
        assert not T.trains_restorer(r) and not T.in_shared_vocabulary(r) and not T.trains_comment_topics(r)
        assert T.sentiment_models(r) == (("press",) if T.VNTC_SENTIMENT_WEIGHT > 0 else ())
    monkeypatch.setattr(T, "VNTC_TOPIC_VOCABULARY", False)
    assert not T.in_topic_vocabulary(v)
    monkeypatch.setattr(T, "VNTC_TOPIC_VOCABULARY", True)
    assert T.in_topic_vocabulary(v)
    unlabelled = {**v, "topics": [], "_no_topics": True}  # round 15's rows: never a topic row, whatever the switch
    assert not T.in_topic_vocabulary(unlabelled) and not T.topic_rows([unlabelled], np.zeros((1, 13)))[0].any()


def test_shipped_settings_train_the_topics_on_the_v_rows_with_economy_weighted_up():
    """Round 19's choice (docs/NLP_ROUNDS.md, "Round 19: topics on real news, per code"): the V rows train the topic
    models at 0.3 with the topic vocabulary, their training articles' corpus copies out, economy's V positives ×4 in
    economy's model (×3 until round 21; they had cost economy's recall on real news); the rule search does not
    score them; round 15's sentiment weight kept, the shared vocabulary without them."""
    assert T.VNTC_TOPIC_WEIGHT == 0.3 and T.VNTC_TOPIC_VOCABULARY and not T.VNTC_CORPUS_TRAINING_COPIES
    assert T.VNTC_TOPIC_CODE_WEIGHT == {"economy": (4.0, 1.0)} and not T.VNTC_TOPIC_RULE
    assert T.VNTC_SENTIMENT_WEIGHT == 0.5
    v = _v_topic_rows(2)[1]
    assert T.vntc_topic_trains(v) and T.in_topic_vocabulary(v) and not T.in_shared_vocabulary(v)


def test_training_moves_the_topic_models_and_nothing_else(monkeypatch):
    base, v = _rows(), _v_topic_rows()
    monkeypatch.setattr(T, "VNTC_TOPIC_VOCABULARY", False)
    monkeypatch.setattr(T, "VNTC_TOPIC_WEIGHT", 0.0)
    ref, fit_ref = _train(monkeypatch, base + v)
    monkeypatch.setattr(T, "VNTC_TOPIC_WEIGHT", 1.0)
    on, fit_on = _train(monkeypatch, base + v)
    monkeypatch.setattr(T, "VNTC_TOPIC_VOCABULARY", True)
    voc, fit_voc = _train(monkeypatch, base + v)
    r = ref.classifier
    assert "culture_tourism" not in r.topic_models  # switched off: no row labelled with it trains
    for res, fit in ((on, fit_on), (voc, fit_voc)):
        c = res.classifier
        assert fit == fit_ref  # both sentiment models fitted on the same rows and weights
        np.testing.assert_allclose(c.sentiment_model.coef_, r.sentiment_model.coef_)
        np.testing.assert_allclose(c.press_sentiment_model.coef_, r.press_sentiment_model.coef_)
        assert c.features.transformer_list[0][1].vocabulary_ == r.features.transformer_list[0][1].vocabulary_
        assert "culture_tourism" in c.topic_models
    topic_vocab = lambda res: res.classifier.topic_features.transformer_list[0][1].vocabulary_  # noqa: E731
    assert topic_vocab(on) == topic_vocab(ref) and "liveshow" not in topic_vocab(on)
    assert "liveshow" in topic_vocab(voc)


def test_held_out_v_rows_never_train_the_topic_models(monkeypatch):
    """The training split only: a held-out V row (sha1 rule) is not among the topic models' documents."""
    v = _v_topic_rows()
    held = {r["id"] for r in v if T.is_heldout(r["id"])}
    assert held and len(held) < len(v)
    seen: list[set[str]] = []
    real = T.fit_topics

    def spy(X, X_text, docs, *a, **k):  # noqa: N803
        seen.append({d["id"] for d in docs})
        return real(X, X_text, docs, *a, **k)

    monkeypatch.setattr(T, "VNTC_TOPIC_WEIGHT", 1.0)
    monkeypatch.setattr(T, "fit_topics", spy)
    _train(monkeypatch, _rows() + v)
    assert seen and not held & seen[0] and {r["id"] for r in v} - held <= seen[0]


def _corpus(tmp_path, ids: list[str]) -> None:
    with gzip.open(tmp_path / "vntc_train.jsonl.gz", "wt", encoding="utf-8") as fh:
        for i in ids:
            fh.write(json.dumps({"id": i, "label": "Van hoa", "text": f"Tiêu đề {i}\nNội dung"}, ensure_ascii=False) + "\n")


def test_vntc_rows_leave_out_every_labelled_v_article(tmp_path, monkeypatch):
    corpus, labelled = tmp_path / "corpus", tmp_path / "training"
    corpus.mkdir()
    labelled.mkdir()
    v = _v_topic_rows(6)
    _corpus(corpus, [r["vntc_id"] for r in v] + ["VH_TN_ (999)"])
    (labelled / "labelled_V1.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in v),
                                                encoding="utf-8")
    assert any(T.is_heldout(r["id"]) for r in v) and not all(T.is_heldout(r["id"]) for r in v)
    monkeypatch.setattr(T, "CORPUS_DIR", corpus)
    monkeypatch.setattr(T, "LABELLED_DIR", labelled)
    monkeypatch.setattr(T, "VNTC_CORPUS_TRAINING_COPIES", False)
    rows = T.vntc_rows()
    # training and held-out V articles alike: no label, no topic model, not the topic vocabulary
    assert [r["id"] for r in rows if not r.get("_no_topics")] == ["vntc:VH_TN_ (999)"]
    left = [r for r in rows if r.get("_no_topics")]
    assert len(left) == 6 and all(r["topics"] == [] and r["_vocabulary_only"] for r in left)
    assert not any(T.in_topic_vocabulary(r) for r in left) and not T.topic_rows(left, np.zeros((6, 13))).any()
    # the shared vocabulary still reads them (unlabelled, as before round 16): sentiment's columns do not move
    assert all(T.in_shared_vocabulary(r) and T.sentiment_models(r) == () for r in left)
    assert not any(r.get("_no_topics") for r in T.vntc_rows(exclude=set()))
    # the switch that keeps the training articles' copies: the held-out ones are still out
    monkeypatch.setattr(T, "VNTC_CORPUS_TRAINING_COPIES", True)
    held = {"vntc:" + r["vntc_id"] for r in v if T.is_heldout(r["id"])}
    assert {r["id"] for r in T.vntc_rows() if r.get("_no_topics")} == held


def test_the_shipped_held_out_v_articles_are_out_of_the_shipped_corpus_rows():
    """On the repository's own files, as shipped (VNTC_CORPUS_TRAINING_COPIES off since round 19): no V article
    (labelled_V*.jsonl), held-out ones above all, is a corpus row of the topic models (the labelled row replaces it)."""
    assert not T.VNTC_CORPUS_TRAINING_COPIES
    rows = [json.loads(ln) for p in sorted(T.LABELLED_DIR.glob("labelled_V*.jsonl"))
            for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip()]
    assert len(rows) >= 1000  # every V article, whichever slices are shipped (V1–V4, then V5–V8)
    assert T.labelled_vntc_ids() == {r["vntc_id"] for r in rows}
    kept = {r["id"] for r in T.vntc_rows() if not r.get("_no_topics")}
    every = {r["id"] for r in T.vntc_rows(exclude=set())}
    v_in_corpus = every & {"vntc:" + r["vntc_id"] for r in rows}  # the V articles of the mapped sections
    assert len(v_in_corpus) >= 400 and every - kept == v_in_corpus


def test_vntc_topic_scores_macro_f1_support_and_hit_rate():
    gold = [["health"], ["economy", "public_order"], [], ["public_order"]]
    pred = [["health"], ["public_order"], ["economy"], []]
    res = T.vntc_topic_scores(gold, pred)
    assert res["n"] == 4 and res["support"] == {"health": 1, "public_order": 2, "economy": 1}
    assert res["topic_f1"] == {"health": 1.0, "public_order": pytest.approx(2 / 3, abs=1e-4), "economy": 0.0}
    assert res["topic_macro_f1"] == pytest.approx((1 + 2 / 3) / 3, abs=1e-4)
    assert res["hit_rate"] == pytest.approx(2 / 3, abs=1e-4)  # rows with a gold topic: 3, two of them hit
    assert res["hit_rate_per_topic"] == {"health": 1.0, "public_order": 0.5, "economy": 0.0}
    assert res["no_topic_predicted"] == 0.25 and res["no_topic_gold"] == 0.25


class _Fixed:
    def tag(self, items):
        return [{"id": it["id"], "topics": ["culture_tourism"], "sentiment": "neutral"} for it in items]


def test_evaluate_vntc_topics_reads_only_v_rows_with_labelled_topics():
    rows = [{**r, "_no_topics": i == 0} for i, r in enumerate(_v_topic_rows(4))]
    rows.append({"id": "A-1", "title": "x", "text": "", "topics": ["health"], "_file": "labelled_A.jsonl"})
    res = T.evaluate_vntc_topics(_Fixed(), rows)
    assert res["n"] == 3 and res["support"] == {"culture_tourism": 2} and res["hit_rate"] == 1.0
    assert T.evaluate_vntc_topics(_Fixed(), rows[:1] + rows[4:]) == {"n": 0}


def _econ_v_rows() -> tuple[list[dict], np.ndarray]:
    """Two V rows (one economy, one culture_tourism) and one own row, with their label matrix."""
    v = _v_topic_rows(2)
    rows = [{**v[0], "topics": ["economy"]}, {**v[1], "topics": ["culture_tourism"]},
            {"id": "A-1", "title": "Chợ mới", "text": "giá rau tăng", "topics": ["economy"], "_file": "labelled_A.jsonl"}]
    Y = np.array([[int(c in r["topics"]) for c in T.TOPICS] for r in rows])
    return rows, Y


def test_code_weight_leaves_a_codes_v_rows_out_of_its_model(monkeypatch):
    """Round 19: VNTC_TOPIC_CODE_WEIGHT {"economy": (pos, neg)} — a factor 0 takes the V rows (positives or
    negatives of economy) out of economy's model only; the other codes and the own rows are untouched."""
    rows, Y = _econ_v_rows()
    e, c = T.TOPICS.index("economy"), T.TOPICS.index("culture_tourism")
    monkeypatch.setattr(T, "VNTC_TOPIC_WEIGHT", 0.3)
    monkeypatch.setattr(T, "VNTC_TOPIC_CODE_WEIGHT", {})
    assert T.topic_rows(rows, Y).all()  # no factor: every V row trains every code
    monkeypatch.setattr(T, "VNTC_TOPIC_CODE_WEIGHT", {"economy": (0.0, 0.0)})
    tr = T.topic_rows(rows, Y)
    assert not tr[:2, e].any() and tr[2, e] and tr[:, c].all()
    monkeypatch.setattr(T, "VNTC_TOPIC_CODE_WEIGHT", {"economy": (1.0, 0.0)})  # V rows only as economy's positives
    tr = T.topic_rows(rows, Y)
    assert tr[0, e] and not tr[1, e] and tr[2, e] and tr[:, c].all()


def test_code_weight_scales_a_codes_v_rows_in_its_model_only(monkeypatch):
    rows, Y = _econ_v_rows()
    e, c = T.TOPICS.index("economy"), T.TOPICS.index("culture_tourism")
    w = np.array([0.3, 0.3, 1.0])
    monkeypatch.setattr(T, "VNTC_TOPIC_WEIGHT", 0.3)
    monkeypatch.setattr(T, "VNTC_TOPIC_CODE_WEIGHT", {})
    assert T.vntc_code_weights(rows, Y, w) is w  # no factor: one weight per document, as before round 19
    monkeypatch.setattr(T, "VNTC_TOPIC_CODE_WEIGHT", {"economy": (3.0, 0.5)})
    W = T.vntc_code_weights(rows, Y, w)
    assert W.shape == (3, len(T.TOPICS))
    np.testing.assert_allclose(W[:, e], [0.9, 0.15, 1.0])
    np.testing.assert_allclose(W[:, c], w)
    np.testing.assert_allclose(T._topic_weight(W, np.array([0, 2]), e), [0.9, 1.0])
    np.testing.assert_allclose(T._topic_weight(w, np.array([0, 2]), e), [0.3, 1.0])


def test_rule_search_scores_the_v_rows_only_when_switched_on(monkeypatch):
    """Round 19: VNTC_TOPIC_RULE — the V training rows (and their stripped copies) get a fold group of their own
    in the rule search (scored out of fold); off, they train every fold (-1) and are never scored."""
    seen: list[np.ndarray] = []
    real = T._tune_topic_rule

    def spy(X, Y, w, groups, n_labelled, *a, **k):  # noqa: N803
        seen.append(groups.copy())
        return real(X, Y, w, groups, n_labelled, *a, **k)

    monkeypatch.setattr(T, "_tune_topic_rule", spy)
    monkeypatch.setattr(T, "COMMENT_TOPICS", False)
    monkeypatch.setattr(T, "VNTC_TOPIC_WEIGHT", 0.3)
    rows = _rows() + _v_topic_rows()
    v_train = {r["id"] for r in _v_topic_rows() if not T.is_heldout(r["id"])}
    for on in (False, True):
        monkeypatch.setattr(T, "VNTC_TOPIC_RULE", on)
        seen.clear()
        sup = T.split(rows)[0]
        _train(monkeypatch, rows)
        g = seen[0][:len(sup)]
        is_v = np.array([r["id"] in v_train for r in sup])
        assert is_v.any() and (g[~is_v] >= -2).all()
        assert ((g[is_v] >= 0).all() if on else (g[is_v] == -1).all())


def test_threshold_codes_move_only_the_named_topics(monkeypatch):
    """Round 19: TOPIC_THRESHOLD_CODES — with per-topic thresholds, only the named codes leave the rule's."""
    rng = np.random.default_rng(0)
    k = len(T.TOPICS)
    Y = rng.random((400, k)) < 0.3
    e = T.TOPICS.index("economy")
    shift = np.linspace(0.4, -0.4, k)
    shift[e] = -0.3  # economy's best threshold is lower than the rule's
    S = (np.where(Y, 0.3, -0.6) + rng.normal(0, 0.35, Y.shape) + shift).astype(np.float32)

    def macro(P):  # sklearn's per-topic F1 mean, to the last bit (tests/nlp/test_macro_f1.py), without its checks
        return T.macro_f1(Y, P)

    rule = {"threshold": -0.1, "fallback": 9.0, "margin": 9.0, "top_k": k}
    every = T._per_topic_thresholds(S, rule, macro)
    only = T._per_topic_thresholds(S, rule, macro, ("economy",))
    assert sum(t != -0.1 for t in every) > 1
    assert [j for j, t in enumerate(only) if t != -0.1] == [e] and only[e] < -0.1
