"""devtools/label_audit.py scores every sentiment training row out of fold and never a held-out row: a row is
scored by models trained without it and without its stripped copy (models stubbed: the folds are tested)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

import nlp.classify
import nlp.train as T
from devtools import label_audit

LABELS = ["negative", "neutral", "positive"]


class _Model:
    classes_ = np.array(LABELS)

    def decision_function(self, M):
        return np.tile([0.5, -1.0, -0.2], (M.shape[0], 1))  # always "negative", by a margin of 0.7 over positive


def _docs() -> list[dict]:
    ids = [f"T-{i:04d}" for i in range(400)]
    train = [i for i in ids if not T.is_heldout(i)][:40]
    held = [i for i in ids if T.is_heldout(i)][:5]
    rows = [{"id": i, "text": f"dòng {i}", "sentiment": LABELS[n % 3], "_file": "labelled_S99.jsonl"}
            for n, i in enumerate(train + held)]
    return rows + [{**r, "text": r["text"].lower()} for r in rows]  # stripped copies come after the rows


def test_every_training_row_scored_out_of_fold_never_a_heldout_one(monkeypatch):
    docs = _docs()
    seen: list[set[str]] = []

    def fake_fit(X, X_text, fit_docs, w, **kw):
        seen.append({d["id"] for d in fit_docs})
        return None, None, _Model(), None

    monkeypatch.setattr(T, "fit_sentiment", fake_fit)
    monkeypatch.setattr(nlp.classify, "sentiment_matrix", lambda X, texts, cues, cf, flag=False: X)
    X = sp.csr_matrix(np.ones((len(docs), 2)))
    out = label_audit.out_of_fold(docs, X, ["\n" + d["text"] for d in docs], np.ones(len(docs)), folds=5)

    train_ids = {d["id"] for d in docs if not T.is_heldout(d["id"])}
    assert set(out) == train_ids  # every training row once, no held-out row
    for i in out:
        # exactly one fold left the row out, and that fold's models saw neither the row nor its stripped copy
        assert sum(i not in s for s in seen) == 1
    rows = [d for d in docs[: len(docs) // 2] if d["id"] in out]
    ranked = label_audit.ranked(rows, out)
    assert {x["label"] for x in ranked} == {"neutral", "positive"}  # the agreeing "negative" rows are not listed
    assert [x["margin"] for x in ranked] == sorted((x["margin"] for x in ranked), reverse=True)
    assert ranked[0]["margin"] == 1.5 and ranked[-1]["margin"] == 0.7
