"""Topics routed by structure (round 18; round 12 routed by source type): comments and replies, by their flags, are
read by the comment topic model, everything else — posts, social or not — (and every item of a model without one) by
the press topic models, as before."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import scipy.sparse as sp

from nlp import train as T
from nlp.classify import Classifier, CommentTopicModel, LinearTopicModel
from nlp.steps import (COMMENT_FLAGS, Resources, Topics, is_comment, item_topics_by_comment_model, reads_as_comment,
                       title_is_copy, topics_by_comment_model)
from vocab.labels import TOPICS
from tests.conftest import database
from nlp import evidence
from tests.nlp.rows import CORPUS, comment_route_rows


@pytest.fixture(autouse=True)
def _no_evidence_rule(monkeypatch):
    """These tests route one-letter texts ("a", "b"); the evidence rule (round 29) would drop their topics (it is
    tested in test_evidence.py)."""
    monkeypatch.setattr(evidence, "MIN_CONTENT", 0)

A, B = TOPICS[0], TOPICS[1]


def _classifier(comment: bool) -> Classifier:
    """Press models: topic A is the first column of X, B the second (log-odds); the comment model reads the same
    columns the other way round (A from the second), so that who read a row shows in its topics."""
    press = {A: LinearTopicModel(np.array([1.0, 0.0]), 0.0), B: LinearTopicModel(np.array([0.0, 1.0]), 0.0)}
    ct = None
    if comment:
        ct = CommentTopicModel({A: LinearTopicModel(np.array([0.0, 1.0]), 0.0),
                                B: LinearTopicModel(np.array([1.0, 0.0]), 0.0)},
                               0.0, {"fallback": 9.0, "margin": 9.0, "top_k": 2})
    info = {"topic_rule": {"fallback": 9.0, "margin": 9.0, "top_k": 2}}
    return Classifier(None, press, {c: 0.0 for c in press}, None, "t", info, comment_topics=ct)  # type: ignore[arg-type]


X = sp.csr_matrix(np.array([[2.0, -2.0], [2.0, -2.0]], dtype=np.float32))  # press: A; comment model: B


def test_comment_model_reads_only_social_rows():
    clf = _classifier(comment=True)
    assert clf.predict_topics(X, social=[False, True]) == [[A], [B]]
    assert clf.predict_topics(X) == [[A], [A]]  # no route given: the press models, as a harness feeds items


def test_old_model_without_comment_model_reads_social_rows_with_the_press_model():
    clf = _classifier(comment=True)
    state = clf.__getstate__()
    del state["comment_topics"]  # a model file saved before round 12
    old = Classifier.__new__(Classifier)
    old.__setstate__(pickle.loads(pickle.dumps(state)))
    assert old.comment_topics is None
    assert old.predict_topics(X, social=[False, True]) == [[A], [A]]


def test_routing_rule():
    assert reads_as_comment({"source_type": "social", "title": "", "text": "đường ngập quá"})
    # social collectors title a post with its first line (collectors._social.title_from_text): not a title
    assert reads_as_comment({"source_type": "social", "title": "Đường Quang Trung ngập…",
                             "text": "Đường  Quang Trung ngập sâu sau mưa, xe chết máy"})
    assert not reads_as_comment({"source_type": "social", "title": "Hỏi về học phí năm nay",
                                 "text": "Các bác cho hỏi học phí"})  # a forum thread's own title
    assert not reads_as_comment({"source_type": "press", "title": "", "text": "đường ngập quá"})
    assert not reads_as_comment({"source_type": "ctv", "title": "", "text": "đường ngập quá"})
    assert not reads_as_comment({"title": "", "text": "đường ngập quá"})  # no source type: press
    assert title_is_copy("a b…", "a b c") and not title_is_copy("", "a")
    # the review: a Mastodon post stores its content warning first; a prefix that ends inside a word is no copy
    assert title_is_copy("Đường ngập sâu…", "Cảnh báo: ngập. Đường ngập sâu sau mưa")
    assert not title_is_copy("Xe", "Xem clip này") and title_is_copy("Xem", "Xem clip này")


def test_topics_route_by_structure():
    """Round 18: the comment model reads comments and replies by their flags, whatever their source type or length;
    a post never, however short and social (our own held-out social posts read worse by it: round 12)."""
    short, long_ = "đồng ý", "bãi thải than sau nhà em sạt rồi, bùn tràn vào tận bếp, " * 5
    for flags in (["own_channel", "fb_comment", "reply_to:1", "fb_post:9"], ["own_channel", "fb_reply"],
                  ["survey_answer"], ["reply", "replies:0", "lang:vi"]):  # names: a Mastodon or Bluesky reply
        assert topics_by_comment_model("", short, flags)
        assert topics_by_comment_model("", long_, flags)  # length is the model's own limit (max_words)
        # a comment under a page configured as press
        assert item_topics_by_comment_model({"source_type": "press", "title": "", "text": short, "flags": flags})
        assert topics_by_comment_model("đồng ý…", "đồng ý ạ", flags)  # the collector's copied title
        assert not topics_by_comment_model("Tiêu đề riêng", short, flags)  # a title of its own
    for flags in ([], None, ["own_channel", "fb_post", "page_author"], ["own_channel", "fb_message", "psid:1"],
                  ["own_channel", "zalo_message"], ["imported"], ["replies:3", "lang:vi"]):
        assert not topics_by_comment_model("", short, flags)  # posts and messages: the press models
    assert is_comment(("reply",)) and not is_comment(("reply_to:1",)) and not is_comment(("replies:2",))
    assert is_comment(("fb_reply",)) and not is_comment(("fb_replyx", 3)) and not is_comment(None)  # type: ignore
    # a `langnghe tag` line's own JSON: one flag as a string is read, another shape is no comment, never a crash
    assert is_comment("fb_comment") and not is_comment(5) and not is_comment({"fb_comment": 1})  # type: ignore


def test_facebook_comments_carry_a_comment_flag():
    """The route reads the flags the Facebook collector writes: a comment and a reply are comments, the page's own
    post is not."""
    from datetime import datetime

    from collectors.facebook_page import map_comment, map_post
    from vocab.config import SourceConfig

    src = SourceConfig(name="fp", kind="facebook_page", url="https://graph.facebook.com/v19.0/1/feed", outlet="P",
                       source_type="social")
    now = datetime(2026, 12, 1, 8, 0)  # naive UTC, as collectors are given it
    c = {"id": "1_2", "message": "đồng ý", "created_time": "2026-12-01T01:00:00+0000", "from": {"id": "7"}}
    assert is_comment(map_comment(c, src, now, post_id="1_1").flags)
    assert is_comment(map_comment(c, src, now, post_id="1_1", parent_id="1_3").flags)
    post = map_post({"id": "1_1", "message": "Thông báo lịch cắt nước", "created_time": "2026-12-01T00:00:00+0000"},
                    src, now)
    assert not is_comment(post.flags)
    assert set(COMMENT_FLAGS) == {"fb_comment", "fb_reply", "survey_answer", "reply"}


def test_labelled_rows_are_fed_as_the_product_routes_them():
    """The social slices' lines are comments (the comment model); our own social rows are posts (the press models:
    issue 13's own floors are measured on them)."""
    s = T.pipeline_row({"id": "S1-0001", "_file": "labelled_S1.jsonl", "title": "", "text": "đồng ý"})
    own = T.pipeline_row({"id": "A-0001", "_file": "labelled_A.jsonl", "title": "", "text": "đồng ý",
                          "style": "social"})
    press = T.pipeline_row({"id": "A-0002", "_file": "labelled_A.jsonl", "title": "Tin", "text": "x"})
    assert [item_topics_by_comment_model(r) for r in (s, own, press)] == [True, False, False]
    assert own["source_type"] == "social" and "source_type" not in press  # the copied-title reading is unchanged


def test_corrections_keep_their_flags():
    rows = T.correction_rows([{"id": "c", "title": "", "text": "x", "topics": ["traffic"], "source_type": "social",
                               "flags": ["own_channel", "fb_comment"]},
                              {"id": "p", "title": "", "text": "x", "topics": ["traffic"], "source_type": "social"}])
    assert [T.is_social_correction(r) for r in rows] == [True, False]


class _Clf:
    """A classifier whose matrix is fixed (two topic columns per row), recording the texts it transforms."""

    def __init__(self, comment: bool):
        self.inner = _classifier(comment)
        self.info = self.inner.info
        self.comment_topics = self.inner.comment_topics
        self.texts: list[str] = []

    def transform(self, texts):
        self.texts.extend(texts)
        return sp.csr_matrix(np.tile([2.0, -2.0], (len(texts), 1)).astype(np.float32))

    def topic_columns(self, X):  # noqa: N803
        return self.inner.topic_columns(X)

    def predict_topics(self, X, **kw):  # noqa: N803
        return self.inner.predict_topics(X, **kw)


def _items():
    def it(st, title, text, flags=None):
        row = {"title": title, "text": text, "_title": title, "_text": text, "lang": "vi"}
        row = {**row, "source_type": st} if st else row
        return {**row, "flags": flags} if flags is not None else row
    com = ["own_channel", "fb_comment"]
    return [it("press", "", "a"), it("social", "", "b", com), it("social", "Bài c", "Bài c dài hơn", ["fb_reply"]),
            it("social", "Tiêu đề riêng", "d", com), it(None, "", "e"), it("social", "", "f"),
            it("social", "Bài g", "Bài g dài hơn", ["fb_post"]), it("press", "Bài h", "Bài h dài hơn", com)]


@pytest.mark.parametrize("comment", [True, False])
def test_topics_step_routes_by_structure(comment):
    clf = _Clf(comment)
    items = _items()
    Topics(Resources(normaliser=None, gazetteer=None, classifier=clf)).run(items)  # type: ignore[arg-type]
    c = [B] if comment else [A]
    # comments and replies (b, c, h) by the comment model; posts — social ones (f, g) too — by the press models
    assert [i["topics"] for i in items] == [[A], c, c, [A], [A], [A], [A], c]
    # an item titled with its own first line is read without the copy (classify_text), as the comment model
    # was trained; a social post with a title of its own keeps it; a comment under a page configured as press too
    assert clf.texts == ["\na", "\nb", "\nBài c dài hơn", "Tiêu đề riêng\nd", "\ne", "\nf", "\nBài g dài hơn",
                         "\nBài h dài hơn"]


def test_topics_step_compares_a_title_with_its_text_once_per_item(monkeypatch):
    """`title_is_copy` ran up to three times per social item on the tagging path (classify_text twice, the Topics
    route once): now once per item with a title, and never for an item neither social nor a comment."""
    import nlp.steps as S

    calls: list[str] = []
    real = S.title_is_copy
    monkeypatch.setattr(S, "title_is_copy", lambda title, text: calls.append(title) or real(title, text))
    items = _items()
    Topics(Resources(normaliser=None, gazetteer=None, classifier=_Clf(True))).run(items)  # type: ignore[arg-type]
    assert sorted(calls) == ["Bài c", "Bài g", "Bài h", "Tiêu đề riêng"]


def test_pipeline_passes_source_type(pipeline):
    """The shipped model (no comment model) reads a social row as a press one: same topics either way."""
    rows = [{"id": "1", "title": "", "text": "Đường Quang Trung ngập sâu, xe chết máy hàng loạt"}]
    assert pipeline.tag(rows)[0]["topics"] == pipeline.tag([{**rows[0], "source_type": "social"}])[0]["topics"]


def test_comment_model_rows(monkeypatch):
    rows = [{"id": "S1-0001", "_file": "labelled_S1.jsonl", "topics": ["education"], "title": ""},
            {"id": "A-0001", "_file": "labelled_A.jsonl", "topics": ["land"], "style": "social", "title": ""},
            {"id": "A-0002", "_file": "labelled_A.jsonl", "topics": ["land"], "style": "social", "title": "Tin"},
            {"id": "A-0003", "_file": "labelled_A.jsonl", "topics": ["land"], "style": "press", "title": ""},
            {"id": "N1-0001", "_file": "labelled_N1.jsonl", "topics": ["land"], "title": ""},
            {"id": "human:c1", "title": "", "text": "x", "topics": ["traffic"], "source_type": "social",
             "flags": ["fb_comment"]},
            {"id": "human:p1", "title": "", "text": "x", "topics": ["traffic"], "source_type": "social"}]
    monkeypatch.setattr(T, "COMMENT_TOPICS", True)
    monkeypatch.setattr(T, "COMMENT_TOPICS_OWN", True)
    monkeypatch.setattr(T, "is_heldout", lambda i, percent=20: False)
    assert [T.trains_comment_topics(r) for r in rows] == [True, True, False, False, False, True, False]
    monkeypatch.setattr(T, "COMMENT_TOPICS_OWN", False)
    assert [T.trains_comment_topics(r) for r in rows] == [True, False, False, False, False, True, False]
    monkeypatch.setattr(T, "is_heldout", lambda i, percent=20: True)  # held-out rows never train it
    assert [T.trains_comment_topics(r) for r in rows][:2] == [False, False]
    # a correction of a comment trains the comment model, not the press one; of a social post, the press one
    Y = np.array([[c in r["topics"] for c in TOPICS] for r in rows], dtype=int)
    assert T.topic_rows(rows, Y)[:, 0].tolist()[5:] == [False, True]
    monkeypatch.setattr(T, "COMMENT_TOPICS", False)
    assert T.topic_rows(rows, Y)[:, 0].tolist()[5:] == [True, True]


def test_store_returns_source_type_for_tagging(tmp_path):
    from datetime import datetime

    from store import tags as tag_store

    db = database(tmp_path / "t.duckdb")
    now = datetime(2026, 12, 1, 8, 0)
    with db.write() as cur:
        for item_id, st in (("p", "press"), ("s", "social")):
            cur.execute(
                """INSERT INTO items (id, canonical_url, url, content_hash, source, collector, source_type, outlet,
                   title, summary, published_at, published_estimated, fetched_at, flags)
                   VALUES (?, ?, ?, ?, 's', 'rss', ?, 'O', 'T', 'x', ?, false, ?, ?)""",
                [item_id, f"https://x/{item_id}", f"https://x/{item_id}", f"h{item_id}", st, now, now,
                 ["fb_comment"] if st == "social" else []])
        tag_store.add_human_label(cur, "s", "topics", ["traffic"], "hoa")
    with db.read() as cur:
        assert {r["id"]: r["source_type"] for r in tag_store.items_to_tag(cur, "v", 10)} == {"p": "press",
                                                                                          "s": "social"}
        assert [r["source_type"] for r in tag_store.items_for_tagging(cur, ["s", "p"])] == ["social", "press"]
        assert [h["source_type"] for h in tag_store.human_labels(cur)] == ["social"]
        # the flags route a comment's topics (round 18)
        assert {r["id"]: r["flags"] for r in tag_store.items_to_tag(cur, "v", 10)} == {"p": [], "s": ["fb_comment"]}
        assert [r["flags"] for r in tag_store.items_for_tagging(cur, ["s", "p"])] == [["fb_comment"], []]
        assert [h["flags"] for h in tag_store.human_labels(cur)] == [["fb_comment"]]
        assert tag_store.known_good_item(cur, "v") is None
    db.close()


def test_comment_model_mixes_the_press_score_by_its_share():
    clf = _classifier(comment=True)
    Xm = sp.csr_matrix(np.array([[3.0, -1.0]], dtype=np.float32))  # press: A 3, B −1; comment: A −1, B 3
    clf.comment_topics.press_share = 0.75  # A: 0.25·−1 + 0.75·3 = 2 > 0; B: 0.25·3 + 0.75·−1 = 0
    assert clf.predict_topics(Xm, social=[True]) == [[A]]
    clf.comment_topics.press_share = 0.25  # A: 0; B: 2
    assert clf.predict_topics(Xm, social=[True]) == [[B]]


def test_long_comments_keep_the_press_model():
    clf = _Clf(comment=True)
    clf.comment_topics.max_words = 3
    items = [{"title": "", "text": t, "_title": "", "_text": t, "lang": "vi", "source_type": "social",
              "flags": ["fb_comment"]} for t in ("ngập quá", "nước ngập sâu cả mét sau mưa")]
    Topics(Resources(normaliser=None, gazetteer=None, classifier=clf)).run(items)  # type: ignore[arg-type]
    assert [i["topics"] for i in items] == [[B], [A]]


@pytest.mark.parametrize("on", [True, False])
def test_train_fits_a_comment_model_only_with_the_switch(monkeypatch, on):
    """End to end at a small scale: the comment lines' topics give a comment model, chosen with its route."""
    monkeypatch.setattr(T, "COMMENT_TOPICS", on)
    monkeypatch.setattr(T, "corpus_texts", lambda: iter(CORPUS))
    rows = comment_route_rows()
    clf = T.train(labelled=rows, use_vntc=False).classifier
    if not on:
        assert clf.comment_topics is None and "comment_topics" not in clf.info
        return
    ct = clf.comment_topics
    assert ct.codes == ["environment"]  # the only topic a comment line names
    assert ct.info["rows"] == sum(r["_file"] == "labelled_S1.jsonl" and not T.is_heldout(r["id"]) for r in rows)
    assert "max_words" in ct.info["route"] and ct.press_share in T.COMMENT_TOPICS_PRESS_SHARES


POSTS = [  # social posts as collectors store them: the title repeats the first line (title_from_text)
    "cảm ơn các anh công an phường đã giúp bà cụ nhà em về tận nhà, quá tuyệt vời ❤️",
    "bãi thải than sau nhà em sạt rồi mn ơi, bùn tràn vào tận bếp, sợ quá",
    "đường Quang Trung đang thi công, đi qua bụi lắm nha mọi người",
    "khu mình mất nước từ sáng đến giờ chưa có lại, gọi tổng đài không ai nghe",
]


def test_a_social_posts_copied_title_is_not_read_as_a_title():
    """The classifiers read a social post whose title only repeats its first line as the comment it is. With the
    copy the post read as a titled item, by the press sentiment model: on the social held-out lines fed as the
    collectors store them, sentiment macro-F1 was 0.60 instead of 0.88 (docs/NLP.md)."""
    from nlp.steps import classify_text

    it = {"source_type": "social", "title": "bãi thải sạt rồi…", "text": "bãi thải sạt rồi mn ơi",
          "_title": "bãi thải sạt rồi…", "_text": "bãi thải sạt rồi mn ơi"}
    assert classify_text(it, 100) == "\nbãi thải sạt rồi mn ơi"
    assert classify_text({**it, "source_type": "press"}, 100).startswith("bãi thải sạt rồi…\n")


def test_social_posts_with_a_copied_title_read_as_without_it(pipeline):
    from collectors._social import title_from_text

    bare = pipeline.tag([{"id": str(i), "title": "", "text": t, "source_type": "social"} for i, t in enumerate(POSTS)])
    stored = pipeline.tag([{"id": str(i), "title": title_from_text(t), "text": t, "source_type": "social"}
                           for i, t in enumerate(POSTS)])
    assert [(o["sentiment"], o["topics"]) for o in stored] == [(o["sentiment"], o["topics"]) for o in bare]
