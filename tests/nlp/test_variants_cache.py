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


def test_a_change_of_the_language_step_empties_the_cache(tmp_path, monkeypatch):
    """The cache keeps each text's language: round 10's "none" and loanwords changed it under a kept cache."""
    from pathlib import Path

    from nlp import langid

    before = _fingerprint()
    changed = tmp_path / "langid.py"
    changed.write_text(Path(langid.__file__).read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    monkeypatch.setattr(langid, "__file__", str(changed))
    assert _fingerprint() != before
