"""Syllable accuracy of the diacritics restorer on the eval-only derived_* files (run by hand).

    .venv/bin/python -m nlp.eval.diacritics_eval [--data /work/shared/data/eval-only/diacritics_normalization]

Accuracy = share of gold syllables whose restored form equals the gold form (case-insensitive),
over positions aligned by the folded (accent-free) syllable. The real social file is first run
through the normaliser's teencode expansion, as the pipeline does.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import sys
import unicodedata
from pathlib import Path

from vocab.folding import fold, words

DEFAULT = "/work/shared/data/eval-only/diacritics_normalization"


def syllable_hits(pred: str, gold: str) -> tuple[int, int]:
    p = [w.lower() for w in words(unicodedata.normalize("NFC", pred))]
    g = [w.lower() for w in words(unicodedata.normalize("NFC", gold))]
    sm = difflib.SequenceMatcher(a=[fold(x) for x in p], b=[fold(x) for x in g], autojunk=False)
    hits = 0
    for a, b, n in sm.get_matching_blocks():
        hits += sum(1 for k in range(n) if p[a + k] == g[b + k])
    return hits, len(g)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DEFAULT)
    ap.add_argument("--show", type=int, default=0, help="print this many examples per file")
    ap.add_argument("--model", default=None, help="restorer file (default: the newest in nlp/models)")
    args = ap.parse_args(argv)
    from nlp.normalise import Normaliser

    norm = Normaliser.load(args.model)
    print(f"restorer {norm.restorer.version}: {len(norm.restorer.bigram)} bigrams, {len(norm.restorer.trigram)} trigrams")
    total_h = total_n = 0
    for name, col_in, col_gold, expand in (
        ("derived_synthetic_stripped_pairs.csv", "stripped", "gold", False),
        ("derived_real_unaccented_social_eval.csv", "unaccented_original", "gold_normalized", True),
    ):
        h = n = 0
        base_h = 0
        with open(Path(args.data) / name, encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        for i, r in enumerate(rows):
            src = unicodedata.normalize("NFC", r[col_in])
            text = norm.expand_nsw(src) if expand else src
            pred = norm.restorer.restore(text)
            hh, nn = syllable_hits(pred, r[col_gold])
            bh, _ = syllable_hits(src, r[col_gold])
            h += hh
            n += nn
            base_h += bh
            if i < args.show:
                print(f"  in:   {src}\n  out:  {pred}\n  gold: {r[col_gold]}\n")
        print(f"{name}: {len(rows)} rows, {n} syllables, restored accuracy {h / n:.4f} (input as-is {base_h / n:.4f})")
        total_h += h
        total_n += n
    print(f"all: {total_n} syllables, accuracy {total_h / total_n:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
