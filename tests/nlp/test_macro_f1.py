"""`nlp.train.macro_f1`, the topic rule search's score, is sklearn's column-by-column F1 mean to the last bit: the
search compares thousands of grid points, and a different float could choose another rule (round 23)."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import f1_score

from nlp.train import macro_f1


def _sklearn(Y: np.ndarray, P: np.ndarray) -> float:
    return float(np.mean([f1_score(Y[:, j], P[:, j], zero_division=0) for j in range(Y.shape[1])]))


def test_macro_f1_is_sklearns_mean_of_binary_f1_exactly():
    rng = np.random.default_rng(23)
    for rows, cols, p in ((7, 3, 0.5), (40, 13, 0.2), (200, 13, 0.05), (1, 4, 0.5)):
        Y = (rng.random((rows, cols)) < p).astype(np.float32)
        P = rng.random((rows, cols)) < p
        Y[:, 0], P[:, 0] = 0, False  # a column with neither: 0 (zero_division=0), as sklearn says
        P[:, -1] = Y[:, -1] > 0  # a column decided perfectly: 1
        assert macro_f1(Y, P) == _sklearn(Y, P)


def test_macro_f1_counts_false_positives_and_misses():
    Y = np.array([[1, 0], [1, 1], [0, 1], [0, 0]])
    P = np.array([[1, 1], [0, 1], [0, 0], [1, 0]], dtype=bool)
    # column 0: tp 1, 1 missed, 1 false → 2/4; column 1: tp 1, 1 missed, 1 false → 2/4
    assert macro_f1(Y, P) == 0.5 == _sklearn(Y, P)
