"""Staff corrections reach training (issue 13): corrections of comments (no title) count, and are routed to the
comment sentiment model only, like the social slices; corrections of titled items train both models."""

from __future__ import annotations

from datetime import datetime

import pytest

from nlp import train as T
from store import tags as tag_store
from tests.nlp.rows import tiny_labelled
from tests.conftest import database


def _insert(db, rows):
    now = datetime(2026, 12, 1, 8, 0)
    with db.write() as cur:
        for item_id, title, summary in rows:
            cur.execute(
                """INSERT INTO items (id, canonical_url, url, content_hash, source, collector, source_type, outlet,
                   title, summary, published_at, published_estimated, fetched_at, flags)
                   VALUES (?, ?, ?, ?, 's', 'rss', 'social', 'O', ?, ?, ?, false, ?, [])""",
                [item_id, f"https://x/{item_id}", f"https://x/{item_id}", f"h{item_id}", title, summary, now, now],
            )


@pytest.fixture
def corrected_db(tmp_path):
    from tests.conftest import make_config

    cfg = make_config(tmp_path)
    d = database(cfg.storage.db_path)
    _insert(d, [("p1", "Dân bức xúc vì bụi than", "Xe chở than gây bụi"),
                ("c1", "", "shop giao hàng chậm quá, gọi không ai nghe"),
                ("c2", "", "cô dạy dễ hiểu lắm ạ"),
                ("c3", "", "")])
    with d.write() as cur:
        tag_store.add_human_label(cur, "p1", "sentiment", "negative", "hoa")
        tag_store.add_human_label(cur, "p1", "topics", ["environment"], "hoa")
        tag_store.add_human_label(cur, "c1", "sentiment", "neutral", "lan")
        tag_store.add_human_label(cur, "c1", "sentiment", "negative", "hoa")  # the latest one counts
        tag_store.add_human_label(cur, "c2", "topics", ["education"], "hoa")  # topics only
        tag_store.add_human_label(cur, "c3", "sentiment", "positive", "hoa")  # empty item: nothing to learn
    d.close()
    return cfg


def test_human_rows_include_comments(corrected_db):
    from langnghe.commands.train import human_rows

    rows = {r["id"]: r for r in human_rows(corrected_db)}
    assert set(rows) == {"human:p1", "human:c1", "human:c2"}
    assert rows["human:c1"] == {"id": "human:c1", "title": "", "text": "shop giao hàng chậm quá, gọi không ai nghe",
                                "source_type": "social", "flags": [], "topics": None, "sentiment": "negative"}
    assert rows["human:c2"]["topics"] == ["education"] and rows["human:c2"]["sentiment"] is None


def test_corrections_routed_like_labelled_rows(corrected_db):
    from langnghe.commands.train import human_rows

    rows = {r["id"]: r for r in T.correction_rows(human_rows(corrected_db))}
    p1, c1, c2 = rows["human:p1"], rows["human:c1"], rows["human:c2"]
    # a titled item: both sentiment models, topics, the restorer (like a press row of the labelled set)
    assert T.sentiment_models(p1) == ("press", "comment") and not p1.get("_no_topics") and T.trains_restorer(p1)
    # a comment: the comment model only, like a social-slice row; topics not corrected are not trained on
    assert T.sentiment_models(c1) == ("comment",) and c1["_no_topics"] and not T.trains_restorer(c1)
    social = {"id": "S1-0001", "title": "", "text": "x", "sentiment": "negative", "_file": "labelled_S1.jsonl"}
    assert T.sentiment_models(social) == T.sentiment_models(c1)
    # a comment with only its topics corrected: topics, no sentiment model
    assert T.sentiment_models(c2) == () and c2["topics"] == ["education"] and not c2.get("_no_topics")
    # the stripped copy added in training keeps the route
    assert [T.sentiment_models(s) for s in T._stripped([p1, c1])] == [("press", "comment"), ("comment",)]


def _tiny_labelled() -> list[dict]:
    return tiny_labelled()


@pytest.mark.parametrize("nb", ["", "all"])  # the shipped plain LinearSVC, and NB-SVM (one fit per class)
def test_train_feeds_comment_corrections_to_the_comment_model_only(monkeypatch, nb):
    """End to end at a small scale: the rows each sentiment model is fitted on, with and without corrections."""
    monkeypatch.setattr(T, "SENT_NB", nb)
    fitted: list[int] = []

    class Spy(T.LinearSVC):  # nlp.train fits the comment model first, then the press model
        def fit(self, X, y, sample_weight=None):  # noqa: N803
            fitted.append(len(y))
            return super().fit(X, y, sample_weight=sample_weight)

    monkeypatch.setattr(T, "LinearSVC", Spy)
    monkeypatch.setattr(T, "corpus_texts", lambda: iter(["bụi than ô nhiễm", "thông báo lịch họp phường"]))
    labelled = _tiny_labelled()
    corr = T.correction_rows([
        {"id": "human:c1", "title": "", "text": "giao hàng chậm quá", "topics": None, "sentiment": "negative"},
        {"id": "human:c2", "title": "", "text": "dạy dễ hiểu lắm", "topics": None, "sentiment": "positive"},
        {"id": "human:p1", "title": "Dân phản ánh bụi than", "text": "xe chở than", "topics": ["environment"],
         "sentiment": "negative"},
    ])
    runs = {}
    for name, extra in (("none", []), ("comments", corr[:2]), ("all", corr)):
        fitted.clear()
        res = T.train(labelled=labelled, extra_rows=extra, use_vntc=False, C_sent=0.5 if name == "all" else None)
        # the metrics record the C the comment model was fitted with (an argument overrides SENT_C)
        assert res.metrics["info"]["comment_model"]["C"] == (0.5 if name == "all" else T.SENT_C)
        if nb:  # NB-SVM fits the comment model once per class (one-vs-rest), on the same rows
            assert fitted[0] == fitted[1] == fitted[2]
            fitted[:3] = fitted[:1]
        runs[name] = dict(zip(("comment", "press"), fitted, strict=True))
    # each correction comes with its stripped copy (2 rows)
    assert runs["comments"]["comment"] == runs["none"]["comment"] + 4
    assert runs["comments"]["press"] == runs["none"]["press"]  # comments never reach the press model
    assert runs["all"]["press"] == runs["none"]["press"] + 2
    assert runs["all"]["comment"] == runs["none"]["comment"] + 6


def test_correction_of_a_collected_post_trains_as_the_pipeline_reads_it():
    """A Facebook post as collected (title = its first line, collectors._social.title_from_text) is read by the
    pipeline without that copy, as a comment (nlp.steps.classify_text): its staff correction must train the same
    way — the comment model only, on the text without the copied title."""
    text = "Đường vào xóm ngập nước mấy hôm nay\nxe máy không đi được"
    post = T.correction_rows([{"id": "human:f1", "title": "Đường vào xóm ngập nước mấy hôm nay", "text": text,
                               "topics": None, "sentiment": "negative", "source_type": "social"}])[0]
    article = T.correction_rows([{"id": "human:a1", "title": "Đường vào xóm ngập nước mấy hôm nay", "text": text,
                                  "topics": None, "sentiment": "negative"}])[0]  # no source type: a titled item
    assert T.sentiment_models(post) == ("comment",)
    assert T.sentiment_models(article) == ("press", "comment")

    class Plain:  # the normaliser's interface that the normalise step uses, leaving text as is (diacritics present)
        def prepare(self, s):
            return s

        def restore(self, s):
            return s

        def is_unaccented(self, s):
            return False

    prepared = T._prepare(Plain(), [post, article])  # type: ignore[arg-type]
    assert prepared[0] == "\n" + text and prepared[1] == f"{post['title']}\n{text}"
