"""Candidate opinion words for `nlp/data/opinion_lexicon.tsv`, from the shipped unlabelled text only.

    PYTHONPATH=. .venv/bin/python -m devtools.opinion_candidates [--top 600] > candidates.txt

Reads the VNTC train sample and the binhvq sample in `nlp/data/corpus/` (both shippable, see their
PROVENANCE files) and counts, per clause, the one- and two-syllable words right after a degree adverb
("rất", "khá", "hơi", "quá", "cực kỳ", "vô cùng", "hết sức"…; degree adverbs mark an evaluation even when the
word is unknown), the two-syllable phrases after "không/chưa/chẳng" and "thiếu/kém/bị", and the words before a
clause-final "quá/lắm". Prints "count<TAB>phrase" for those not yet in the lexicon, most frequent first.
The team labels them by hand against data/training/GUIDELINE_sentiment.md (pos, neg, eval for words whose
polarity depends on the thing judged, or left out); docs/NLP_ROUNDS.md "Third round" says which rows came from here.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "nlp" / "data" / "corpus"
LEXICON = Path(__file__).resolve().parents[1] / "nlp" / "data" / "opinion_lexicon.tsv"
DEGREE = {"rất", "khá", "hơi", "quá", "cực", "vô cùng", "khá là", "hết sức", "cực kỳ", "thật"}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CLAUSE = re.compile(r'[.,;:!?\n()"“”]')


def texts() -> list[str]:
    out = []
    with gzip.open(CORPUS / "vntc_train.jsonl.gz", "rt", encoding="utf-8") as fh:
        out += [json.loads(ln)["text"] for ln in fh]
    out += (CORPUS / "demo-title.txt").read_text(encoding="utf-8").splitlines()
    with gzip.open(CORPUS / "demo-full.txt.gz", "rt", encoding="utf-8") as fh:
        out += fh.read().splitlines()
    return out


def count(lines: list[str]) -> Counter:
    c: Counter = Counter()
    for t in lines:
        for clause in _CLAUSE.split(unicodedata.normalize("NFC", t).lower()):
            w = _WORD.findall(clause)
            for i, x in enumerate(w):
                for L in (1, 2):
                    if " ".join(w[i:i + L]) in DEGREE and i + L < len(w):
                        c[w[i + L]] += 1
                        if i + L + 1 < len(w):
                            c[" ".join(w[i + L:i + L + 2])] += 1
                if x in ("không", "chưa", "chẳng") and i + 2 < len(w):
                    c[" ".join(w[i + 1:i + 3])] += 1
                if x in ("thiếu", "kém", "bị") and i + 2 < len(w):
                    c[" ".join(w[i:i + 3])] += 1
                if x in ("quá", "lắm") and i == len(w) - 1 and i >= 1:
                    c[w[i - 1]] += 1
    return c


def known() -> set[str]:
    with open(LEXICON, encoding="utf-8") as fh:
        return {ln.split("\t")[0].strip().lower() for ln in fh if ln.strip() and not ln.startswith("#")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--top", type=int, default=600)
    args = ap.parse_args(argv)
    lex = known()
    rows = [(n, p) for p, n in count(texts()).most_common() if p not in lex and p not in DEGREE and n >= 3]
    for n, p in rows[:args.top]:
        print(f"{n}\t{p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
