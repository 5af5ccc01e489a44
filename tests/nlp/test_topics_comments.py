"""Topics on comments (round 11): the figures staff feel, and the decision rule of items without a title."""

from __future__ import annotations

import numpy as np

from nlp.classify import Classifier, LinearTopicModel, decide_topics
from nlp.train import _split_rule, comment_topic_scores, evaluate_comment_topics
from vocab.labels import TOPICS


def test_comment_topic_scores_count_chips_and_empty_comments():
    gold = [["education"], [], [], ["environment", "traffic"]]
    pred = [["education"], ["land"], [], ["traffic"]]
    s = comment_topic_scores(gold, pred)
    assert s["n"] == 4 and s["chips"] == 3
    assert s["with_topic_predicted"] == 0.75 and s["with_topic_gold"] == 0.5
    assert s["chip_precision"] == round(2 / 3, 4)  # the "land" chip on an empty comment is wrong
    assert s["topic_micro_f1"] == round(2 * 2 / (3 + 3), 4)
    # macro over the topics present in gold only: education 1, environment 0, traffic 1
    assert set(s["topic_f1"]) == {"education", "environment", "traffic"}
    assert s["topic_macro_f1"] == round(2 / 3, 4)


class _Pipe:
    def __init__(self, topics: dict[str, list[str]]):
        self.topics = topics

    def tag(self, items):
        return [{"id": it["id"], "topics": self.topics[it["id"]]} for it in items]


def test_evaluate_comment_topics_reads_only_social_lines_with_topics():
    rows = [{"id": "S1-0001", "_file": "labelled_S1.jsonl", "topics": ["health"], "diacritics": True},
            {"id": "S1-0002", "_file": "labelled_S1.jsonl", "topics": [], "diacritics": False},
            {"id": "S9-0001", "_file": "labelled_S9.jsonl", "topics": [], "_no_topics": True},  # not labelled
            {"id": "A-0001", "_file": "labelled_A.jsonl", "topics": ["land"]}]  # not a comment line
    pipe = _Pipe({"S1-0001": ["health"], "S1-0002": ["economy"], "S9-0001": ["land"], "A-0001": []})
    res = evaluate_comment_topics(pipe, rows)
    assert res["n"] == 2 and res["chip_precision"] == 0.5 and res["with_topic_gold"] == 0.5
    assert res["no_diacritics"]["n"] == 1 and res["no_diacritics"]["chip_precision"] == 0.0


def _classifier(info: dict) -> Classifier:
    """Two topics whose score is the first / second column of X (log-odds), no vocabulary needed."""
    models = {TOPICS[0]: LinearTopicModel(np.array([1.0, 0.0]), 0.0),
              TOPICS[1]: LinearTopicModel(np.array([0.0, 1.0]), 0.0)}
    return Classifier(None, models, {c: -0.405 for c in models}, None, "t", info)  # type: ignore[arg-type]


def test_untitled_rows_take_their_own_rule():
    import scipy.sparse as sp

    X = sp.csr_matrix(np.array([[-1.5, -3.0], [-1.5, -3.0]], dtype=np.float32))  # best p ≈ 0.18
    one = {"topic_rule": {"fallback": -1.992, "margin": 9.0, "top_k": 2}}  # fallback p 0.12: the best is given
    clf = _classifier(one)
    assert clf.predict_topics(X, untitled=[False, True]) == [[TOPICS[0]], [TOPICS[0]]]
    own = {**one, "topic_rule_untitled": {"threshold": -0.405, "fallback": 9.0, "margin": 9.0, "top_k": 2}}
    clf = _classifier(own)
    assert clf.predict_topics(X, untitled=[False, True]) == [[TOPICS[0]], []]
    # without the flag column (no press sentiment model) and no `untitled`: one rule for every row, as before
    assert clf.predict_topics(X) == [[TOPICS[0]], [TOPICS[0]]]


def test_split_rule_finds_a_stricter_rule_for_comments():
    rng = np.random.default_rng(1)
    n, k = 600, 4
    Y = np.zeros((n, k), dtype=int)
    untitled = np.arange(n) >= n // 2
    titled_topic = rng.integers(0, k, size=n)
    Y[~untitled, titled_topic[~untitled]] = 1  # every titled row has a topic
    has = rng.random(n) < 0.3
    Y[untitled & has, titled_topic[untitled & has]] = 1  # most comments have none
    S = rng.normal(-3.0, 0.7, size=(n, k)).astype(np.float32)
    S[Y > 0] = rng.normal(-1.2, 0.7, size=int(Y.sum()))  # the right topic scores higher, often under p 0.4
    ths = [float(np.log(p / (1 - p))) for p in (0.2, 0.3, 0.4, 0.5)]
    fbs = [9.0] + [float(np.log(p / (1 - p))) for p in (0.01, 0.05, 0.12)]
    present = list(range(k))
    v, titled_rule, untitled_rule = _split_rule([S], Y, untitled, ths, fbs, present)
    assert untitled_rule["fallback"] == 9.0 and titled_rule["fallback"] < 9.0  # titled rows: always their best
    one = max(np.mean([f1 for f1 in _macro(Y, decide_topics(S, t, fallback=f, top_k=2))])
              for t in ths for f in fbs)
    assert v > one


def _macro(Y: np.ndarray, P: np.ndarray) -> list[float]:
    from sklearn.metrics import f1_score

    return [f1_score(Y[:, j], P[:, j], zero_division=0) for j in range(Y.shape[1])]


def test_social_lines_train_topics_only_with_the_switch(monkeypatch):
    import nlp.train as T

    docs = [{"id": "S1-0001", "_file": "labelled_S1.jsonl", "topics": ["education"]},
            {"id": "S1-0002", "_file": "labelled_S1.jsonl", "topics": []},
            {"id": "A-0001", "_file": "labelled_A.jsonl", "topics": ["land"]},
            {"id": "S9-0001", "_file": "labelled_S9.jsonl", "topics": [], "_no_topics": True}]
    Y = np.array([[c in d["topics"] for c in TOPICS] for d in docs], dtype=int)
    monkeypatch.setattr(T, "TOPIC_SOCIAL_TRAIN", False)
    assert T.topic_rows(docs, Y)[:, 0].tolist() == [False, False, True, False]
    monkeypatch.setattr(T, "TOPIC_SOCIAL_TRAIN", True)
    assert T.topic_rows(docs, Y)[:, 0].tolist() == [True, True, True, False]
    monkeypatch.setattr(T, "TOPIC_SOCIAL_EMPTY", False)  # lines with no topic: scored, not trained on
    assert T.topic_rows(docs, Y)[:, 0].tolist() == [True, False, True, False]


def test_untitled_rule_reads_only_short_items_when_it_has_max_words():
    import scipy.sparse as sp

    X = sp.csr_matrix(np.array([[-1.5, -3.0], [-1.5, -3.0]], dtype=np.float32))  # best p ≈ 0.18
    clf = _classifier({"topic_rule": {"fallback": -1.992, "margin": 9.0, "top_k": 2},
                       "topic_rule_untitled": {"threshold": -0.405, "fallback": 9.0, "max_words": 20}})
    # a 6-word comment takes the untitled rule (no fallback); an article of 45 words given as one text does not
    assert clf.predict_topics(X, untitled=[True, True], n_words=[6, 45]) == [[], [TOPICS[0]]]


def test_macro_f1_with_none_counts_chips_on_lines_that_name_no_matter():
    """Round 23: the lines naming no matter are a class of the comment rule's figure; a chip on one costs it."""
    from nlp.train import chip_figures, comment_rule_figure, macro_f1_with_none, micro_f1_with_none

    Y = np.array([[1, 0], [0, 0], [0, 0]], dtype=bool)
    present = np.array([True, False])
    honest = np.array([[1, 0], [0, 0], [0, 0]], dtype=bool)
    noisy = np.array([[1, 0], [1, 0], [0, 1]], dtype=bool)  # chips on both lines that name none
    assert macro_f1_with_none(honest, Y, present) == 1.0
    assert round(macro_f1_with_none(noisy, Y, present), 4) == round(1 / 3, 4)  # (topic 2/3 + no-chip class 0) / 2
    assert round(macro_f1_with_none(noisy, Y, present, no_matter=False), 4) == round(2 / 3, 4)  # rounds 12–22
    # every line's decisions: 1 right chip, no right "no chip"; 3 chips given, 1 in gold, 0 and 2 "no chip"
    assert micro_f1_with_none(honest, Y) == 1.0 and micro_f1_with_none(noisy, Y) == 2 * 1 / (3 + 1 + 0 + 2)
    assert comment_rule_figure(noisy, Y, present) == (macro_f1_with_none(noisy, Y, present) + 1 / 3) / 2
    assert comment_rule_figure(noisy, Y, present, no_matter=False) == macro_f1_with_none(noisy, Y, present, False)
    f = chip_figures(noisy, Y)
    assert f["chipped"] == 1.0 and round(f["chipped_gold"], 4) == round(1 / 3, 4)
    assert round(f["chip_precision"], 4) == round(1 / 3, 4) and f["false_chip"] == 1.0


def _route_choice(monkeypatch, no_matter: bool) -> dict:
    """The comment route's choice on made-up out-of-fold scores: 10 lines of a frequent topic F (sure), 1 of a
    rare topic R whose best score is low (p ≈ 0.15), 5 lines naming no matter whose best score is F at p ≈ 0.18.
    No threshold tells R's line from the five: giving R its chip gives the five theirs."""
    import scipy.sparse as sp

    import nlp.train as T

    monkeypatch.setattr(T, "COMMENT_TOPICS_NO_MATTER", no_matter)
    monkeypatch.setattr(T, "COMMENT_TOPICS_PRESS_SHARES", (0.0,))
    monkeypatch.setattr(T, "COMMENT_TOPICS_MAX_WORDS", (None,))
    F, R = TOPICS.index("economy"), TOPICS.index("welfare")
    n = 16
    S = np.full((n, len(TOPICS)), -10.0, dtype=np.float32)
    Y = np.zeros((n, len(TOPICS)), dtype=int)
    S[:10, F], Y[:10, F] = 3.0, 1
    S[10, R], Y[10, R] = -1.7, 1
    S[11:, F] = -1.5
    docs = [{"id": f"S1-{i:04d}", "_file": "labelled_S1.jsonl"} for i in range(n)]
    press = {"economy": LinearTopicModel(np.array([0.0]), -10.0)}
    rule = {"fallback": 9.0, "margin": 9.0, "top_k": 2}
    oof = {"rows": np.array([], dtype=int), "scores": [np.zeros((0, len(TOPICS)), dtype=np.float32)]}
    choice, _ = T._comment_route_rule(sp.csr_matrix((n, 1), dtype=np.float32), docs, list(range(n)),
                                      ["a b"] * n, Y, {"scores": [S]}, press, 0.0, rule, oof)
    return choice


def test_comment_rule_with_no_matter_class_keeps_chips_off_lines_naming_none(monkeypatch):
    old = _route_choice(monkeypatch, no_matter=False)  # the topics' macro-F1 alone: R's recall wins
    assert old["criterion"] == "macro" and old["cv_false_chip"] == 1.0 and old["cv_chipped"] == 1.0
    new = _route_choice(monkeypatch, no_matter=True)
    assert new["criterion"] == "macro+none, micro+none" and new["cv_false_chip"] == 0.0
    assert new["cv_chipped"] == round(10 / 16, 4) and new["cv_chip_precision"] == 1.0


def test_comment_route_reads_each_repeats_press_scores_once(monkeypatch):
    """The search, its staff figures and the press-only figure read the same press scores of each CV repeat: they
    are made once (round 24; each of the three made them again)."""
    import nlp.train as T

    made: list[int] = []
    real = T._press_scores
    monkeypatch.setattr(T, "_press_scores", lambda *a: made.append(1) or real(*a))
    choice = _route_choice(monkeypatch, no_matter=True)
    assert len(made) == 1  # one repeat
    # the press model alone chips no line: topics F and R score 0, the «no chip» class 2·5 / (16 + 5); micro 2·5 / 32
    assert choice["cv_figure_press_only"] == round(((0 + 0 + 10 / 21) / 3 + 10 / 32) / 2, 4)
