"""The restorer's local sentences (nlp/data/corpus/local_phrases.txt): read into its training text, clean, ours."""

from __future__ import annotations

import json
import unicodedata
from itertools import islice
from pathlib import Path

from nlp import train as T
from vocab.folding import VI_MARKED, fold, words

ROOT = Path(__file__).resolve().parents[2]


def test_corpus_texts_read_the_local_sentences_weighted():
    local = T.local_phrases()
    assert len(local) >= 250
    assert "Bãi thải than trên đồi lại sạt, ai ở gần thì tránh xa nhé." in local
    head = list(islice(T.corpus_texts(), T.LOCAL_PHRASES_WEIGHT * len(local)))
    assert head == local * T.LOCAL_PHRASES_WEIGHT
    assert list(islice(T.corpus_texts(local_weight=0), 1)) != local[:1]  # weight 0: national news only


def test_local_sentences_are_accented_nfc_and_not_the_demo_texts():
    """Every sentence is NFC with marks (the restorer only learns from accented text), and none repeats a
    run of 6 words of the demo's social posts: the file teaches local words, it must not hide a demo defect
    (press items share names and set phrases with it, "Bệnh viện Việt Nam Thụy Điển Uông Bí")."""
    local = T.local_phrases()
    demo = [json.loads(ln) for ln in open(ROOT / "demo/corpus/quangninh.jsonl", encoding="utf-8") if ln.strip()]
    seen = set()
    for r in demo:
        if r["source_type"] != "social":
            continue
        for f in ("title", "summary"):
            w = [fold(x).lower() for x in words(r[f] or "")]
            seen |= {tuple(w[i:i + 6]) for i in range(len(w) - 5)}
    for s in local:
        assert s == unicodedata.normalize("NFC", s)
        assert any(ch in VI_MARKED for ch in s.lower()), s
        w = [fold(x).lower() for x in words(s)]
        assert not {tuple(w[i:i + 6]) for i in range(len(w) - 5)} & seen, s
