"""The labelled files themselves (data/training/labelled_*.jsonl): every line parses and every id is unique
across all files. `load_labelled` silently keeps the first of two rows with the same id, so a slice written
with a clashing id would lose rows without any other test noticing."""

from __future__ import annotations

import json
from pathlib import Path

from vocab.labels import TOPICS

LABELLED_DIR = Path(__file__).resolve().parents[2] / "data" / "training"  # = nlp.train.LABELLED_DIR


def test_ids_are_unique_across_all_files_and_match_their_file():
    seen: dict[str, str] = {}
    for p in sorted(LABELLED_DIR.glob("labelled_*.jsonl")):
        prefix = p.stem.removeprefix("labelled_")
        for n, ln in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if not ln.strip():
                continue
            r = json.loads(ln)
            rid = r["id"]
            assert rid not in seen, f"{p.name}:{n}: id {rid} already in {seen[rid]}"
            seen[rid] = p.name
            if prefix.startswith(("N", "S")) and prefix != "N0":
                assert rid.startswith(prefix + "-"), f"{p.name}:{n}: id {rid}"
            if prefix.startswith("V"):  # round 15: "V-" + the VNTC id (devtools/vntc_sentiment_sample.py)
                assert rid.startswith("V-") and r["vntc_section"], f"{p.name}:{n}: id {rid}"
                # round 16: topics merged by devtools/vntc_topics.py (our codes, `topics_sure`), or none yet
                if r.get("topics_labelled") is True:
                    assert set(r["topics"]) <= set(TOPICS) and isinstance(r["topics_sure"], bool), f"{p.name}:{n}"
                else:
                    assert r["topics"] == [], f"{p.name}:{n}: id {rid}"
