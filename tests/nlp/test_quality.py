"""Quality floor on the fixed held-out split of the team's labelled set (never trained on).

Targets (issue 3): topic macro-F1 ≥ 0.80, sentiment macro-F1 ≥ 0.75, in_area accuracy ≥ 0.97,
overall and on the no-diacritics subset.
"""

from __future__ import annotations

import pytest

from nlp.train import evaluate, is_heldout, is_own_set, load_labelled, split


@pytest.fixture(scope="module")
def scores(pipeline):
    rows = load_labelled()
    assert len(rows) >= 2000
    _train, held = split(rows)
    assert held and all(is_heldout(r["id"]) for r in held)
    # the social-register slices carry sentiment only; they have their own floor (test_sentiment_social.py);
    # the news slices (topics only) are reported apart (`heldout_news`), the VNTC rows (sentiment only) too
    # (`heldout_vntc_sentiment`), so these figures stay comparable
    return evaluate(pipeline, [r for r in held if is_own_set(r)])


@pytest.mark.parametrize("subset", ["all", "no_diacritics"])
def test_targets(scores, subset):
    s = scores[subset]
    assert s["n"] >= 100
    assert s["topic_macro_f1"] >= 0.80, s
    assert s["sentiment_macro_f1"] >= 0.75, s
    assert s["in_area_accuracy"] >= 0.97, s


def test_split_is_fixed_and_about_a_fifth():
    rows = load_labelled()
    _train, held = split(rows)
    assert 0.15 <= len(held) / len(rows) <= 0.25
    # the split depends on the id only
    assert is_heldout("A-0001") == is_heldout("A-0001")
    assert sum(is_heldout(f"x{i}") for i in range(10_000)) in range(1800, 2200)
