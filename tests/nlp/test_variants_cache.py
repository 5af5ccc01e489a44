"""The variant tools' normalisation cache (nlp/eval/sentiment_variants.py, also read by topic_variants) is emptied
when it was written with another restorer or normaliser: a reused /tmp cache read every text with the old one.
Only the cache file is read here, never an eval-only set."""

import pickle

from nlp.eval.sentiment_variants import _FINGERPRINT, NormCache, _fingerprint


def test_a_cache_of_another_restorer_is_not_read(tmp_path):
    path = tmp_path / "norm.pkl"
    path.write_bytes(pickle.dumps({_FINGERPRINT: ("0" * 40, ""), "k": ("văn bản cũ", "vi")}))
    assert "k" not in NormCache(path).data
    path.write_bytes(pickle.dumps({_FINGERPRINT: _fingerprint(), "k": ("văn bản", "vi")}))
    assert NormCache(path).data["k"] == ("văn bản", "vi")
