"""Static syllable vectors from shippable unlabelled text, and document vectors built from them (issue 13).

    nlp/data/corpus/ (VNTC train sample + binhvq sample; never the eval-only sets)
        │  lowercased syllables (letter runs of the cleaned text), capped (VOCAB, MIN_COUNT), and the BIGRAMS most
        │  frequent syllable pairs as targets of their own ("học_sinh")
        ├─ co-occurrence counts of target × context syllable within ±WINDOW (within one line / article), 1/distance
        ├─ PPMI with context-distribution smoothing (Levy, Goldberg & Dagan 2015: cds 0.75)
        └─ truncated SVD (randomised, fixed seed) → U·Σ^½, rows L2-normalised, float16
        ▼
    WordVectors (vocabulary + matrix), built in-process by nlp.train (≈ 20 s), pickled inside the classifier
    DocVectors: SIF-weighted mean of an item's syllable and pair vectors (Arora et al. 2017: a / (a + p(w))),
                L2-normalised, times a scale — a dense block appended to a FeatureUnion (the topic vocabulary, or the
                comment-only one)

Why: a word the labelled rows never showed still lands near the words it shares contexts with in 5,000 news
articles, so a linear model can read it (docs/NLP.md, "Round 7: word vectors").
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

_TOK = re.compile(r"[^\W\d_]+", re.UNICODE)  # syllables (letters only: numbers carry no shared meaning here)

VOCAB = 30_000      # most frequent syllables kept (the rest have no vector)
BIGRAMS = 20_000    # most frequent syllable pairs given a vector of their own
MIN_COUNT = 5
WINDOW = 3          # ± syllables
DIMS = 150
CDS = 0.75          # context-distribution smoothing of PPMI
SIF_A = 1e-3        # SIF weight a / (a + p(w))


def tokens(text: str) -> list[str]:
    """Lowercased syllables of a text (what both the vectors and the document vectors read)."""
    return _TOK.findall(text.lower())


@dataclass
class WordVectors:
    """Syllable vectors: `vocab[i]` has row i of `matrix` (float16, rows L2-normalised), `prob[i]` its corpus
    frequency (for SIF weights)."""

    vocab: list[str]
    matrix: np.ndarray
    prob: np.ndarray
    info: dict

    def index(self) -> dict[str, int]:
        return {w: i for i, w in enumerate(self.vocab)}


def build(texts: Iterable[str], *, dims: int = DIMS, window: int = WINDOW, vocab_size: int = VOCAB,
          bigrams: int = BIGRAMS, min_count: int = MIN_COUNT, cds: float = CDS, seed: int = 0) -> WordVectors:
    """PPMI of targets (syllables and the `bigrams` most frequent syllable pairs, "học sinh" → "học_sinh": a
    syllable alone is ambiguous, "tệ" of "tiền tệ") × context syllables within ±`window`, then a rank-`dims`
    truncated SVD, U·Σ^½. Memory stays bounded: the token stream is held as int32 ids (≈ 2.4 M syllables for the
    shipped corpus) and the co-occurrence matrix is sparse, (syllables + bigrams) × syllables."""
    from sklearn.utils.extmath import randomized_svd

    t0 = time.time()
    docs = [tokens(t) for t in texts]
    counts = Counter(w for d in docs for w in d)
    vocab = [w for w, c in counts.most_common(vocab_size) if c >= min_count]
    idx = {w: i for i, w in enumerate(vocab)}
    n = len(vocab)
    # one stream of ids, documents separated by `window` + 1 gaps (-1) so no pair crosses a document
    gap = window + 1
    s = np.full(sum(len(d) + gap for d in docs), -1, dtype=np.int64)
    pos = 0
    for d in docs:
        s[pos:pos + len(d)] = [idx.get(w, -1) for w in d]
        pos += len(d) + gap
    del docs
    # bigram targets: the most frequent pairs of known syllables
    pair = np.where((s[:-1] >= 0) & (s[1:] >= 0), s[:-1] * n + s[1:], -1)
    keys, kc = np.unique(pair[pair >= 0], return_counts=True)
    top = np.argsort(-kc, kind="stable")[:bigrams]
    top = top[kc[top] >= min_count]
    bkeys = np.sort(keys[top])
    b = np.full(len(pair), -1, dtype=np.int64)  # bigram target id at position i (syllables i, i+1)
    if len(bkeys):
        at = np.minimum(np.searchsorted(bkeys, pair), len(bkeys) - 1)
        b = np.where((pair >= 0) & (bkeys[at] == pair), n + at, -1)
    nb = len(bkeys)
    rows, cols, vals = [], [], []
    for off in range(1, window + 1):
        w = 1.0 / off  # nearer contexts count more (harmonic, as GloVe)
        for t, c in ((s[:-off], s[off:]), (s[off:], s[:-off]),          # syllable ↔ syllable
                     (b[off:], s[:-off][:len(b) - off]),               # bigram ← syllable before it
                     (b[:len(b) - off], s[1 + off:][:len(b) - off])):  # bigram → syllable after it
            ok = (t >= 0) & (c >= 0)
            rows.append(t[ok].astype(np.int32))
            cols.append(c[ok].astype(np.int32))
            vals.append(np.full(int(ok.sum()), w, dtype=np.float32))
    C = sp.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                      shape=(n + nb, n)).tocsr()
    del rows, cols, vals
    total = float(C.sum())
    row_p = np.asarray(C.sum(axis=1)).ravel() / total
    col = np.asarray(C.sum(axis=0)).ravel() ** cds
    col_p = col / col.sum()
    coo = C.tocoo()
    pmi = np.log((coo.data / total) / (row_p[coo.row] * col_p[coo.col]))
    keep = pmi > 0
    P = sp.csr_matrix((pmi[keep].astype(np.float32), (coo.row[keep], coo.col[keep])), shape=(n + nb, n))
    U, S, _ = randomized_svd(P, n_components=dims, n_iter=5, random_state=seed)
    V = U * np.sqrt(S)[None, :]
    V /= np.maximum(np.linalg.norm(V, axis=1, keepdims=True), 1e-9)
    bcount = kc[np.searchsorted(keys, bkeys)]
    freq = np.concatenate([np.array([counts[w] for w in vocab], dtype=np.float64), bcount.astype(np.float64)])
    names = vocab + [f"{vocab[k // n]}_{vocab[k % n]}" for k in bkeys.tolist()]
    info = {"syllables": int(sum(counts.values())), "vocab": n, "bigrams": nb, "dims": dims, "window": window,
            "ppmi_nonzeros": int(P.nnz), "build_s": round(time.time() - t0, 1)}
    return WordVectors(names, V.astype(np.float16), (freq / sum(counts.values())).astype(np.float32), info)


def corpus_vectors(extra_texts: tuple[str, ...] = (), **kw) -> WordVectors:
    """The vectors of the shipped unlabelled corpus (nlp/data/corpus: VNTC train sample, binhvq sample), plus
    `extra_texts` if any (training rows' text, nlp.train.COMMENT_VECTORS_OWN_TEXT), built the same way every time
    (fixed seed): what `langnghe train` uses. Memoised per settings and texts in the process."""
    import hashlib
    from itertools import chain

    key = (tuple(sorted(kw.items())), hashlib.sha1("\x01".join(extra_texts).encode()).hexdigest())
    if key not in _MEMO:
        from nlp.train import corpus_texts

        _MEMO[key] = build(chain(corpus_texts(), extra_texts), **kw)
    return _MEMO[key]


_MEMO: dict[tuple, WordVectors] = {}


class DocVectors(BaseEstimator, TransformerMixin):
    """Dense document block: SIF-weighted mean of the syllable vectors of a text, L2-normalised, times `scale`
    (a text with no known syllable gives zeros). Stateless to fit (the vectors are built beforehand), so it can sit
    in a FeatureUnion next to the TF-IDF blocks and is pickled with it."""

    def __init__(self, vectors: WordVectors | None = None, scale: float = 1.0, sif_a: float = SIF_A):
        self.vectors = vectors
        self.scale = scale
        self.sif_a = sif_a

    def fit(self, X=None, y=None):  # noqa: N803
        v = self.vectors
        self.index_ = v.index()
        self.weight_ = (self.sif_a / (self.sif_a + v.prob.astype(np.float64))).astype(np.float32)
        self.matrix_ = v.matrix.astype(np.float32)
        return self

    def transform(self, X: Sequence[str]):  # noqa: N803
        get = self.index_.get
        rows, cols, wts = [], [], []
        for r, text in enumerate(X):
            toks = tokens(text)
            ids = [i for i in (get(t) for t in toks) if i is not None]
            ids += [i for i in (get(f"{a}_{b}") for a, b in zip(toks, toks[1:])) if i is not None]
            if ids:
                c = Counter(ids)
                rows += [r] * len(c)
                cols += list(c)
                wts += [n * self.weight_[i] for i, n in c.items()]
        B = sp.csr_matrix((np.asarray(wts, dtype=np.float32), (rows, cols)), shape=(len(X), len(self.index_)))
        D = np.asarray(B @ self.matrix_)
        D /= np.maximum(np.linalg.norm(D, axis=1, keepdims=True), 1e-9)
        return sp.csr_matrix(D * np.float32(self.scale))

    def get_feature_names_out(self, input_features=None):
        return np.array([f"vec_{i}" for i in range(self.vectors.matrix.shape[1])])

    def __getstate__(self):  # the derived arrays are rebuilt on load (smaller file)
        return {k: v for k, v in self.__dict__.items() if k not in ("index_", "weight_", "matrix_")}

    def __setstate__(self, state):
        self.__dict__.update(state)
        if self.vectors is not None and "index_" not in state:
            self.fit()
