"""How many staff corrections move sentiment on a new kind of text (figures for docs/NLP.md; not a test).

Simulation with the team's own data: one social-register slice plays the "new kind of text" (default S2,
shop and service reviews). The model is trained without that slice; then N of its lines (fixed order) are
added as staff corrections (sentiment only, as `langnghe train` folds them in) and the model is retrained;
the figure is the sentiment macro-F1 on the slice's other lines (never added).

    PYTHONPATH=. python -m bench.corrections_curve [--slice S2] [--n 0 25 50 100 200]
"""

from __future__ import annotations

import argparse
import random
import time

from nlp import train as T
from nlp.gazetteer import Gazetteer
from nlp.normalise import Normaliser, load_nsw
from nlp.pipeline import Pipeline
from nlp.steps import Resources
from vocab.config import load


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--slice", default="S2")
    ap.add_argument("--n", type=int, nargs="+", default=[0, 25, 50, 100, 200])
    args = ap.parse_args(argv)
    rows = T.load_labelled()
    new_kind = [r for r in rows if r["_file"] == f"labelled_{args.slice}.jsonl"]
    base = [r for r in rows if r["_file"] != f"labelled_{args.slice}.jsonl"]
    random.Random(7).shuffle(new_kind)
    pool, test = new_kind[:max(args.n)], new_kind[max(args.n):]
    cfg = load()
    print(f"new kind: {args.slice}, {len(test)} lines measured, up to {len(pool)} added as corrections")
    for n in args.n:
        t0 = time.time()
        extra = [{"id": f"human:{r['id']}", "title": "", "text": r["text"], "topics": [],
                  "_no_topics": True, "sentiment": r["sentiment"]} for r in pool[:n]]
        res = T.train(labelled=base, extra_rows=extra)
        pipe = Pipeline(Resources(normaliser=Normaliser(res.restorer, load_nsw(res.restorer)),
                                  gazetteer=Gazetteer(cfg.area.province), classifier=res.classifier),
                        ("normalise", "language", "places", "topics", "sentiment"), "curve")
        m = T.evaluate_sentiment(pipe, test)
        print(f"N={n}: sentiment macro-F1 {m['sentiment_macro_f1']:.4f} {m['sentiment_f1']} ({time.time() - t0:.0f}s)",
              flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
