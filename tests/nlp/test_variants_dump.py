"""The sentiment variant tool's --dump (nlp/eval/sentiment_variants.py, round 25): each social training row's
out-of-fold reading, once per fold seed, with its gold label, so the CV's errors on our own rows can be grouped by
hand. The model fits are stubbed (a row's prediction is a function of its feature row); no data set is read."""

import json

import numpy as np
import pytest

import nlp.classify
import nlp.train as T
from nlp.eval.sentiment_variants import LABELS, OofRow, cv_social, main, write_oof

N_SOCIAL, N_PRESS = 40, 10


def _docs() -> list[dict]:
    soc = [{"id": f"S9-{k:04d}", "sentiment": LABELS[k % 3], "_file": "labelled_S9.jsonl"} for k in range(N_SOCIAL)]
    press = [{"id": f"A-{k:04d}", "sentiment": "neutral", "_file": "labelled_A.jsonl"} for k in range(N_PRESS)]
    return soc + press


class _Model:
    """Reads row k as LABELS[(k + 1) % 3] when k is a multiple of 4, else as its gold LABELS[k % 3]."""

    def predict(self, m):
        return [LABELS[(int(k) + 1) % 3] if int(k) % 4 == 0 else LABELS[int(k) % 3] for k in m[:, 0]]


@pytest.fixture
def stubbed(monkeypatch):
    monkeypatch.setattr(T, "fit_sentiment", lambda X, texts, docs, w, features=None: (None, None, _Model(), None))
    monkeypatch.setattr(nlp.classify, "sentiment_matrix", lambda X, texts, cues, cf, flag=True: X)


def _run(seed: int, dump: list[OofRow] | None):
    docs = _docs()
    shared = {"X": np.arange(len(docs)).reshape(-1, 1), "feats": None}
    return cv_social(shared, docs, [""] * len(docs), np.ones(len(docs)), seed=seed, dump=dump, variant="v")


def test_dump_holds_every_social_row_once_with_its_gold_and_its_out_of_fold_reading(stubbed):
    dump: list[OofRow] = []
    _run(13, dump)
    assert sorted(r.id for r in dump) == [f"S9-{k:04d}" for k in range(N_SOCIAL)]  # the press rows are not folded
    for r in dump:
        k = int(r.id.split("-")[1])
        assert (r.variant, r.seed, r.gold) == ("v", 13, LABELS[k % 3])
        assert r.pred == (LABELS[(k + 1) % 3] if k % 4 == 0 else LABELS[k % 3])


def test_dump_changes_nothing_the_tool_reports(stubbed):
    assert _run(7, []) == _run(7, None)


def test_write_oof_appends_json_lines(tmp_path):
    out = tmp_path / "oof.jsonl"
    write_oof(out, [OofRow("base", 13, "S9-0001", "negative", "neutral")])
    write_oof(out, [OofRow("base", 7, "S9-0001", "negative", "negative")])
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows == [{"variant": "base", "seed": 13, "id": "S9-0001", "gold": "negative", "pred": "neutral"},
                    {"variant": "base", "seed": 7, "id": "S9-0001", "gold": "negative", "pred": "negative"}]


def test_dump_without_cv_is_refused_in_vietnamese(capsys):
    with pytest.raises(SystemExit):
        main(["--dump", "/tmp/never-written.jsonl"])
    assert "--dump cần --cv" in capsys.readouterr().err
