"""The round-15 sample of real VNTC articles for sentiment labelling (docs/NLP_ROUNDS.md, "Round 15: sentiment on
real news"): 100 articles of each VNTC section of the shipped corpus (nlp/data/corpus/vntc_train.jsonl.gz, MIT),
drawn with seed 20261205, shuffled, cut to title + lead as bench/real_stream.py cuts them (one cut: devtools/vntc.py),
and written as four labelling inputs of 250 lines (V1…V4). Reproducible: the same call writes the same files.

    PYTHONPATH=. python -m devtools.vntc_sentiment_sample --out /work/wt/labels/vsent

Then `python -m devtools.vntc_sentiment merge` turns the inputs and the labels into data/training/labelled_V*.jsonl.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import random
import re
from pathlib import Path

from devtools.vntc import title_lead_body

CORPUS = Path(__file__).resolve().parents[1] / "nlp" / "data" / "corpus" / "vntc_train.jsonl.gz"
SEED = 20261205
PER_SECTION = 100
SLICES = 4


def sample(corpus: Path = CORPUS, seed: int = SEED, per_section: int = PER_SECTION) -> list[dict]:
    """The labelling rows ({id, vntc_id, section, title, text}) in the order they are handed out."""
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        rows = [json.loads(ln) for ln in fh]
    by: dict[str, list[dict]] = collections.defaultdict(list)
    for r in rows:
        by[r["label"]].append(r)
    rng = random.Random(seed)
    pick: list[dict] = []
    for lab in sorted(by):
        pick += rng.sample(by[lab], per_section)
    rng.shuffle(pick)
    out = []
    for r in pick:
        title, lead, body = title_lead_body(r)
        if len(lead) < 200 and body and lead != body[0]:
            lead = (lead + " " + body[0]).strip()
        out.append({"id": "V-" + re.sub(r"\W+", "-", r["id"]).strip("-"), "vntc_id": r["id"], "section": r["label"],
                    "title": title, "text": lead[:450]})
    assert len({o["id"] for o in out}) == len(out)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="folder for V1_input.jsonl … V4_input.jsonl")
    args = ap.parse_args()
    out = sample()
    size = len(out) // SLICES
    Path(args.out).mkdir(parents=True, exist_ok=True)
    for k in range(SLICES):
        with open(Path(args.out) / f"V{k + 1}_input.jsonl", "w", encoding="utf-8") as f:
            for o in out[k * size:(k + 1) * size]:
                f.write(json.dumps(o, ensure_ascii=False) + "\n")
    print(collections.Counter(o["section"] for o in out[:size]))


if __name__ == "__main__":
    main()
