"""Round 7: syllable vectors from unlabelled text (nlp.wordvec) and their document block (docs/NLP.md)."""

import pickle

import numpy as np
import pytest

from nlp.wordvec import DocVectors, build

# two kinds of lines: school words and money words; "sinh viên" and "học sinh" share school contexts
_SCHOOL = ["học sinh đến trường thi tốt nghiệp cùng giáo viên", "sinh viên đến trường thi đại học cùng giảng viên",
           "giáo viên chấm thi cho học sinh ở trường", "giảng viên chấm thi cho sinh viên ở trường"]
_MONEY = ["giá vàng tăng mạnh trên thị trường chứng khoán", "ngân hàng hạ lãi suất cho doanh nghiệp vay vốn",
          "doanh nghiệp vay vốn ngân hàng khi giá vàng tăng", "thị trường chứng khoán giảm khi lãi suất tăng"]


@pytest.fixture(scope="module")
def vectors():
    return build((_SCHOOL + _MONEY) * 20, dims=4, window=2, min_count=2, bigrams=50)


def test_vectors_are_small_normalised_and_have_bigrams(vectors):
    assert vectors.matrix.dtype == np.float16 and vectors.matrix.shape[1] == 4
    assert np.allclose(np.linalg.norm(vectors.matrix.astype(np.float32), axis=1), 1, atol=1e-2)
    idx = vectors.index()
    assert "học_sinh" in idx and "sinh_viên" in idx and "vàng" in idx
    M = vectors.matrix.astype(np.float32)
    sim = lambda a, b: float(M[idx[a]] @ M[idx[b]])  # noqa: E731
    assert sim("học_sinh", "sinh_viên") > sim("học_sinh", "ngân_hàng")


def test_document_vectors_read_unseen_wording_and_pickle(vectors):
    dv = DocVectors(vectors, scale=2.0).fit()
    X = dv.transform(["sinh viên thi đại học", "học sinh thi tốt nghiệp", "lãi suất ngân hàng", "", "xyz 123"])
    D = X.toarray()
    assert D.shape == (5, 4)
    assert np.allclose(np.linalg.norm(D[:3], axis=1), 2.0, atol=1e-3)  # L2-normalised, times the scale
    assert not D[3:].any()  # nothing known: zeros
    assert D[0] @ D[1] > D[0] @ D[2]  # two school lines with no word in common are nearer than school and money
    back = pickle.loads(pickle.dumps(dv))
    assert "matrix_" not in back.__getstate__()
    assert np.array_equal(back.transform(["học sinh thi"]).toarray(), dv.transform(["học sinh thi"]).toarray())


def test_topic_vocabulary_with_vectors_is_read_by_the_shared_analysis(vectors, monkeypatch):
    import nlp.train as T
    import nlp.wordvec as W
    from nlp.classify import SharedAnalysis, make_features

    monkeypatch.setattr(W, "corpus_vectors", lambda **kw: vectors)
    texts = ["Học phí tăng\nhọc sinh đến trường", "\ngiá vàng tăng mạnh", "Ngân hàng\nlãi suất giảm",
             "\ngiáo viên chấm thi"] * 3
    assert T.with_vectors(make_features(), 0.0).transformer_list[-1][0] == "char"  # scale 0: unchanged
    a = make_features().fit(texts[1::2])
    b = T.with_vectors(make_features(), 1.5).fit(texts)
    A, B = SharedAnalysis(a, b).transform(texts)
    want = b.transform(texts)
    assert B.shape == want.shape and abs(B - want).max() < 1e-6
    assert np.allclose(np.linalg.norm(B[:, -4:].toarray(), axis=1), 1.5, atol=1e-3)


def test_vector_ridge_reads_only_the_vector_block(monkeypatch):
    import scipy.sparse as sp

    import nlp.train as T

    monkeypatch.setattr(T, "TOPIC_VEC_SHARE", 0.5)
    rng = np.random.default_rng(3)
    y = (rng.random(120) < 0.4).astype(int)
    words = sp.csr_matrix(np.abs(rng.normal(0, 1, (120, 6))) + y[:, None] * np.array([1, 0, 0, 0, 0, 0]))
    vec = sp.csr_matrix(rng.normal(0, 1, (120, 3)) + y[:, None] * np.array([0, 2, 0]))
    X = sp.hstack([words, vec], format="csr")
    m = T.topic_model(1.0, 6, 3).fit(X, y)
    (rc, _), (nc, _) = m.parts_
    assert not nc[6:].any()  # NB: the word block only
    assert abs(rc[7]) > 3 * max(abs(rc[6]), abs(rc[8]))  # the vector ridge found the informative vector column
    assert T.topic_model(1.0, 6, 0).fit(X, y).vec_columns == 0


def test_vector_share_is_chosen_per_topic(monkeypatch):
    import scipy.sparse as sp

    import nlp.train as T

    monkeypatch.setattr(T, "TOPIC_MODEL", "ridge+nb-word")
    monkeypatch.setattr(T, "TOPIC_VEC_SHARES", (0.0, 0.5))
    monkeypatch.setattr(T, "TOPIC_NB_SHARES", (0.25, 0.75))
    monkeypatch.setattr(T, "TOPIC_RULE_CV_SEEDS", (13,))
    rng = np.random.default_rng(5)
    Y = (rng.random((200, 2)) < 0.4).astype(int)
    words = np.abs(rng.normal(0, 1, (200, 6)))
    words[:, 0] += 2 * Y[:, 0]  # topic 0 is in the words
    vec = rng.normal(0, 1, (200, 3))
    vec[:, 1] += 2 * Y[:, 1]  # topic 1 only in the document vector
    X = sp.csr_matrix(np.hstack([words, vec]))
    rule = T._tune_topic_rule(X, Y, np.ones(200), np.arange(200), 200, 1.0, None, 6, 3)
    assert rule["vec_shares"] == [0.0, 0.5]
    m = T.topic_model(1.0, 6, 3).fit(X, Y[:, 1])
    r, v = m.vec_part_scores(X)
    _, n = m.part_scores(X)
    got = m.set_vec_share(0.5).combine(0.25).decision_function(X)
    assert np.allclose(got, 0.75 * (0.5 * r + 0.5 * v) + 0.25 * n)
