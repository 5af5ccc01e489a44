"""devtools/sentiment_miss_features.py prints aggregates only: no cell under the minimum of comments, and for a
large enough confusion cell the n-grams that pull its comments to the wrong class (never a text). A stand-in
comment model on a tiny vocabulary: no trained model is loaded."""

from __future__ import annotations

import io
from types import SimpleNamespace

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from devtools.sentiment_miss_features import report

# 25 suggestions that name a fault (gold negative) read as positive by the stand-in, 25 complaints read right
WISH = [f"thầy nên giảng dễ hiểu hơn phần {i}" for i in range(25)]
COMPLAINT = [f"phòng học số {i} nóng quá" for i in range(25)]


def _clf(texts):
    feats = FeatureUnion([("word", TfidfVectorizer(ngram_range=(1, 2)))]).fit(texts)
    names = [n.split("__", 1)[1] for n in feats.get_feature_names_out()]
    coef = np.zeros((3, len(names)))  # classes: negative, neutral, positive
    for j, n in enumerate(names):
        coef[0, j] = 2.0 if n in ("nóng", "nóng quá") else 0.0
        coef[2, j] = 1.5 if n in ("dễ hiểu", "hiểu") else 0.0
    classes = np.array(["negative", "neutral", "positive"])

    def predict(X):
        return classes[np.argmax(np.asarray(X @ coef.T), axis=1)]

    model = SimpleNamespace(classes_=classes, coef_=coef, predict=predict)
    clf = SimpleNamespace(features=feats, cues=None, comment_features=None, press_sentiment_model=None,
                          sentiment_model=model)
    return clf, feats.transform(texts)


def _run(n_wish: int) -> str:
    texts = WISH[:n_wish] + COMPLAINT
    clf, X = _clf(texts)
    out = io.StringIO()
    report(clf, X, ["negative"] * len(texts), top=10, min_items=20, out=out)
    return out.getvalue()


def test_small_cells_print_no_ngram():
    text = _run(5)
    assert "negative→positive 5" in text and "read as" not in text


def test_a_large_cell_prints_what_pulls_it_and_no_text():
    text = _run(25)
    assert "negative→positive 25" in text and "negative read as positive: 25 comments" in text
    pulled = text.split("pulled by", 1)[1].splitlines()[1]
    assert "dễ hiểu" in pulled and "nóng" not in pulled
    assert "missing cues" in text and "nên" in text.split("missing cues", 1)[1]
    assert not any(t in text for t in WISH + COMPLAINT)


def test_ubs_set_counts_one_polarity_posts_as_the_step_reads_them(tmp_path, monkeypatch, capsys):
    """--set ubs reads the posts eval_only scores (one polarity over all aspect labels; mixed and neutral posts
    left out) and counts the Sentiment step's reading (a text the language step calls foreign reads neutral)."""
    import devtools.sentiment_miss_features as smf

    asking = [f"cho mình hỏi thẻ số {i} sao chưa nhận được" for i in range(25)]  # complaints read neutral
    faults = [f"thẻ số {i} lỗi quá" for i in range(25)]
    praise = [f"nhân viên chi nhánh {i} tốt" for i in range(5)]
    lines = [f"__label__SERVICE#negative {t}" for t in asking + faults]
    lines += [f"__label__STAFF#positive __label__SERVICE#positive {t}" for t in praise]
    lines += ["__label__STAFF#positive thank you so much",
              "__label__CARD#negative __label__STAFF#positive thẻ lỗi nhưng nhân viên tốt",
              "__label__CARD#neutral mở thẻ ở đâu"]
    (tmp_path / "sentiment_ubs_bank").mkdir()
    (tmp_path / "sentiment_ubs_bank" / "test.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")

    feats = FeatureUnion([("word", TfidfVectorizer(ngram_range=(1, 2)))]).fit(asking + faults + praise)
    names = [n.split("__", 1)[1] for n in feats.get_feature_names_out()]
    coef = np.zeros((3, len(names)))
    for j, n in enumerate(names):
        coef[0, j] = 2.0 if n in ("lỗi", "lỗi quá") else 0.0
        coef[1, j] = 1.0 if n in ("hỏi", "mình hỏi") else 0.0
        coef[2, j] = 1.5 if n == "tốt" else 0.0
    classes = np.array(["negative", "neutral", "positive"])
    model = SimpleNamespace(classes_=classes, coef_=coef,
                            predict=lambda X: classes[np.argmax(np.asarray(X @ coef.T), axis=1)])
    clf = SimpleNamespace(features=feats, cues=None, comment_features=None, press_sentiment_model=None,
                          sentiment_model=model, transform=feats.transform,
                          predict_sentiment=lambda X: list(model.predict(X)))
    monkeypatch.setattr(smf, "load_model", lambda d: clf)
    monkeypatch.setattr(smf, "normalised_matrix", lambda c, cache, texts: (
        feats.transform(texts), [(t, "en" if t.startswith("thank") else "vi") for t in texts]))
    assert smf.main(["--set", "ubs", "--data", str(tmp_path), "--cache", str(tmp_path / "c")]) == 0
    text = capsys.readouterr().out
    assert "negative→neutral 25" in text and "negative→negative 25" in text
    assert "positive→positive 5" in text and "positive→neutral 1" in text and "neutral→neutral 0" in text
    assert "1 readings set by the language step" in text and "1 texts the language step calls not Vietnamese" in text
    pulled = text.split("negative read as neutral: 25 comments", 1)[1].split("pulled by", 1)[1].splitlines()[1]
    assert "hỏi" in pulled and "lỗi" not in pulled
    assert "positive read as" not in text  # a cell of one post prints no n-gram
    assert not any(t in text for t in asking + faults + praise + ["thank you so much"])
