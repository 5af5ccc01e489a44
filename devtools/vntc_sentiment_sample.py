"""The round-15 sample of real VNTC articles for sentiment labelling (docs/NLP_ROUNDS.md, "Round 15: sentiment on
real news"): 100 articles of each VNTC section of the shipped corpus (nlp/data/corpus/vntc_train.jsonl.gz, MIT),
drawn with seed 20261205, shuffled, cut to title + lead as bench/real_stream.py cuts them (one cut: devtools/vntc.py),
and written as four labelling inputs of 250 lines (V1…V4). Reproducible: the same call writes the same files.

    PYTHONPATH=. python -m devtools.vntc_sentiment_sample --out /work/wt/labels/vsent
    PYTHONPATH=. python -m devtools.vntc_sentiment_sample --second --out /work/wt/labels/v2   # round 16: V5…V8

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
# Round 16's second sample (V5…V8, sentiment and topics): 1,000 more articles, none of round 15's, more of the
# sections where real education, governance and economy news sits (Chính trị Xã hội, Kinh doanh), fewer of those
# with little of ours (Khoa học, Thể thao, Vi tính).
SEED_2 = 20261206
PER_SECTION_2 = {"Chinh tri Xa hoi": 200, "Kinh doanh": 150, "Suc khoe": 100, "Phap luat": 100, "Van hoa": 100,
                 "Doi song": 100, "The gioi": 100, "Khoa hoc": 50, "The thao": 50, "Vi tinh": 50}


def sample(corpus: Path = CORPUS, seed: int = SEED, per_section: int | dict[str, int] = PER_SECTION,
           exclude: frozenset[str] = frozenset()) -> list[dict]:
    """The labelling rows ({id, vntc_id, section, title, text}) in the order they are handed out; `per_section`
    a count for every section or one per section, articles whose VNTC id is in `exclude` left out (round 16's
    second sample leaves out round 15's)."""
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        rows = [json.loads(ln) for ln in fh]
    by: dict[str, list[dict]] = collections.defaultdict(list)
    for r in rows:
        if r["id"] not in exclude:
            by[r["label"]].append(r)
    rng = random.Random(seed)
    pick: list[dict] = []
    for lab in sorted(by):
        pick += rng.sample(by[lab], per_section if isinstance(per_section, int) else per_section.get(lab, 0))
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
    ap.add_argument("--second", action="store_true",
                    help="round 16's second sample instead: V5_input.jsonl … V8_input.jsonl")
    args = ap.parse_args()
    first = 0
    out = sample()
    if args.second:
        first = SLICES
        out = sample(seed=SEED_2, per_section=PER_SECTION_2, exclude=frozenset(o["vntc_id"] for o in out))
    size = len(out) // SLICES
    Path(args.out).mkdir(parents=True, exist_ok=True)
    for k in range(SLICES):
        with open(Path(args.out) / f"V{first + k + 1}_input.jsonl", "w", encoding="utf-8") as f:
            for o in out[k * size:(k + 1) * size]:
                f.write(json.dumps(o, ensure_ascii=False) + "\n")
    print(collections.Counter(o["section"] for o in out[:size]))


if __name__ == "__main__":
    main()
