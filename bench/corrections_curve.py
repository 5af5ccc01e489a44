"""How many staff corrections move sentiment on a new kind of text (figures for docs/NLP.md; not a test).

Simulation with the team's own data. N lines of "new" comments are added exactly as `langnghe train` adds staff
corrections of comments (`nlp.train.correction_rows` of rows shaped like `human_rows`: no title, sentiment only,
so they train the comment model only) and the model is retrained in memory; the figure is the sentiment macro-F1
on a fixed set of lines never added.

Variants (`--variant`):
  nosocial  the model is trained without any social slice (S1–S19); the corrections are drawn from the
            training part of S1–S19; measured on the held-out part of S1–S19 (941 lines, never added)
  slice     one social slice (`--slice`, default S2) plays the new kind of text; the model is trained with the
            other slices; the corrections are drawn from the slice; measured on the slice's other lines

The order of the drawn lines depends on `--seed` (several seeds: one table each, then the mean). N = 0 does not
depend on the seed and is trained once. By default the diacritics restorer is trained once per run (corrections
of comments do not train it, so it is the same for every N) and the topic rule is not cross-validated (the
sentiment models do not read topics); `--full` trains everything each time.

    PYTHONPATH=. python -m bench.corrections_curve --variant nosocial --n 0 50 100 200 400 800 --seed 7 8
    PYTHONPATH=. python -m bench.corrections_curve --variant slice --slice S2 --n 0 25 50 100 200 --seed 7
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from nlp import train as T
from nlp.gazetteer import Gazetteer
from nlp.normalise import Normaliser, load_nsw
from nlp.pipeline import Pipeline
from nlp.steps import Resources
from vocab.config import load


def _fast_training() -> None:
    """Train the restorer once and skip the topic-rule search: neither changes the sentiment models here."""
    real = T.Restorer.train
    cache: dict = {}

    def train_once(texts, version):
        key = (len(texts), hash(tuple(texts[-3000:])))
        if key not in cache:
            cache[key] = real(texts, version=version)
        return cache[key]

    class CachedRestorer:
        train = staticmethod(train_once)

    T.Restorer = CachedRestorer  # type: ignore[misc]
    T._tune_topic_rule = lambda *a, **k: {"threshold": -0.2, "fallback": 9.0, "margin": 9.0, "top_k": 2,  # type: ignore[assignment]
                                          "cv_macro_f1": 0.0}


def split_rows(rows: list[dict], variant: str, slice_name: str) -> tuple[list[dict], list[dict], list[dict]]:
    """(base rows the model trains on, pool the corrections are drawn from, test lines never added)."""
    if variant == "nosocial":
        base = [r for r in rows if not T.is_social_set(r)]
        social = [r for r in rows if T.is_social_set(r)]
        return base, [r for r in social if not T.is_heldout(r["id"])], [r for r in social if T.is_heldout(r["id"])]
    name = f"labelled_{slice_name}.jsonl"
    return [r for r in rows if r["_file"] != name], [r for r in rows if r["_file"] == name], []


def as_corrections(rows: list[dict]) -> list[dict]:
    """Lines as `langnghe train` reads staff corrections of comments (`human_rows`), then as training rows."""
    return T.correction_rows([{"id": f"human:{r['id']}", "title": "", "text": r["text"], "topics": None,
                               "sentiment": r["sentiment"]} for r in rows])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variant", choices=("nosocial", "slice"), default="nosocial")
    ap.add_argument("--slice", default="S2", help="the slice that plays the new kind of text (variant slice)")
    ap.add_argument("--n", type=int, nargs="+", default=[0, 50, 100, 200, 400])
    ap.add_argument("--seed", type=int, nargs="+", default=[7])
    ap.add_argument("--full", action="store_true", help="train the restorer and the topic rule every time")
    args = ap.parse_args(argv)
    if not args.full:
        _fast_training()
    rows = T.load_labelled()
    base, pool, test = split_rows(rows, args.variant, args.slice)
    cfg = load()
    own = [r for r in T.split(base)[1] if T.is_own_set(r)]
    results: dict[int, dict[int, float]] = {}
    for seed in args.seed:
        order = list(pool)
        random.Random(seed).shuffle(order)
        if args.variant == "slice":
            order, test_s = order[:max(args.n)], order[max(args.n):]
        else:
            test_s = test
        print(f"variant {args.variant}{' ' + args.slice if args.variant == 'slice' else ''}, seed {seed}: "
              f"{len(test_s)} lines measured, up to {min(len(order), max(args.n))} added as corrections", flush=True)
        for n in args.n:
            if n == 0 and 0 in results and args.variant == "nosocial":
                results[0][seed] = next(iter(results[0].values()))
                continue
            t0 = time.time()
            res = T.train(labelled=base, extra_rows=as_corrections(order[:n]))
            pipe = Pipeline(Resources(normaliser=Normaliser(res.restorer, load_nsw(res.restorer)),
                                      gazetteer=Gazetteer(cfg.area.province), classifier=res.classifier),
                            ("normalise", "language", "places", "topics", "sentiment"), "curve")
            m = T.evaluate_sentiment(pipe, test_s)
            o = T.evaluate_sentiment(pipe, own)
            results.setdefault(n, {})[seed] = m["sentiment_macro_f1"]
            print(f"seed={seed} N={n}: new-kind sentiment macro-F1 {m['sentiment_macro_f1']:.4f} {m['sentiment_f1']}"
                  f" | own held-out {o['sentiment_macro_f1']:.4f} ({time.time() - t0:.0f}s)", flush=True)
    print("\n| N corrections | " + " | ".join(str(n) for n in args.n) + " |")
    print("|---" * (len(args.n) + 1) + "|")
    for seed in args.seed:
        print(f"| seed {seed} | " + " | ".join(f"{results[n][seed]:.3f}" for n in args.n) + " |")
    if len(args.seed) > 1:
        print("| mean | " + " | ".join(f"{statistics.mean(results[n].values()):.3f}" for n in args.n) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
