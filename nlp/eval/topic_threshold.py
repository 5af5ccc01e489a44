"""How flat is the press topic rule's cross-validated curve, and would a steadier choice move the threshold?
(round 28; our own rows only: the out-of-fold scores of the labelled training rows, no eval-only data.)

    PYTHONPATH=. .venv/bin/python -m nlp.eval.topic_threshold [--labelled DIR] [--add-files F …] [--dump F.pkl]
    PYTHONPATH=. .venv/bin/python -m nlp.eval.topic_threshold --load F.pkl [--load G.pkl …]

Builds what `langnghe train` builds before the rule search — the restorer of `nlp.train.restorer_corpus` (with
`--add-files`, those labelled files listed in RESTORER_FILES too), the normalised training documents, the topic fit —
and keeps the out-of-fold scores `_tune_topic_rule` chooses on (3 repeats of 4-fold CV, after the NB shares and the
Platt scale: log-odds). Then prints: the search's grid (p 0.05…0.85) near the top, each threshold's best macro-F1
over the fallbacks (mean and per repeat); a fine curve (p 0.30…0.55 by 0.005, the chosen fallback); what four
choices give — `argmax` (the search's first best, shipped until round 28), `plateau` (the middle of the grid
thresholds within 0.001 of the best), `smooth` (the best mean of each threshold and its two neighbours), `anchored`
(model 1.0's p 0.45 unless another beats it by more than 0.001: `nlp.train.anchor_rule`, what training does since
round 28, nlp32) —; how often each picks each threshold over 200 bootstrap resamples of
the rows; and each choice's macro-F1 chosen on one half of the rows and scored on the other (10 halvings, both ways).
A fit takes about as long as the topic part of a training (5–13 min on the shared 2 cores); `--dump` keeps it.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import numpy as np

from nlp import train as T

CHOICES = ("argmax", "plateau", "smooth", "anchored")
EPS = T.TOPIC_RULE_ANCHOR_MARGIN  # 0.001: the anchored choice's margin, the training's (and the plateau's width)


logit = T.rule_logit  # log-odds rounded as the training's grid


def prob(t: float) -> float:
    return float(1 / (1 + np.exp(-t)))


GRID, FALLBACKS = T.rule_grid()  # the search's thresholds and fallbacks
ANCHOR = logit(T.TOPIC_RULE_ANCHOR_P or 0.40)  # the training's anchor: the shipped model's p (round 31's: −0.405)


def oof_scores(labelled: str = "", add_files: tuple[str, ...] = ()) -> dict:
    """The press rule search's out-of-fold scores, as `nlp.train.train` computes them before choosing."""
    from nlp.diacritics import Restorer
    from nlp.normalise import Normaliser, load_nsw

    rows = T.load_labelled(Path(labelled)) if labelled else T.load_labelled()
    sup, _ = T.split(rows)
    files = tuple(T.RESTORER_FILES) + tuple(add_files)
    restorer = Restorer.train(T.restorer_corpus(sup, files=files))
    norm = Normaliser(restorer, load_nsw(restorer))
    aug, vntc, docs, weights = T.training_docs(sup)
    X_text = T._prepare(norm, docs)
    oof: dict = {}
    rule = T.fit_topics(None, X_text, docs, weights, sup, aug, vntc, T.TOPIC_ALPHA, oof=oof)[3]
    return {"scores": oof["scores"], "Y": oof["Y"], "rule": {k: rule[k] for k in ("threshold", "fallback",
                                                                                   "cv_macro_f1")},
            "fallbacks": FALLBACKS, "restorer_files": files,
            "labelled": labelled or str(T.LABELLED_DIR)}


class Curve:
    """Per (threshold, fallback, repeat): the decisions of the shipped rule (top 2, no margin) on the scores, so
    that macro-F1 under any row weights (a bootstrap, a half) is a few matrix products."""

    def __init__(self, scores: list[np.ndarray], Y: np.ndarray, fallbacks: list[float],  # noqa: N803
                 thresholds: list[float] = GRID):
        from nlp.classify import decide_topics

        self.present = [j for j in range(Y.shape[1]) if Y[:, j].sum() > 0]
        self.Y = (Y[:, self.present] > 0).astype(float)
        self.fallbacks, self.thresholds = list(fallbacks), list(thresholds)
        self.P = {(t, f): [decide_topics(S, t, fallback=f, margin=9.0, top_k=2)[:, self.present].astype(float)
                           for S in scores] for t in self.thresholds for f in self.fallbacks}

    def f1(self, t: float, f: float, w: np.ndarray | None = None) -> list[float]:
        """Macro-F1 of rule (t, f) per repeat, rows weighted by `w` (None: 1 each), as nlp.train.macro_f1."""
        w = np.ones(self.Y.shape[0]) if w is None else w
        g = w @ self.Y
        out = []
        for P in self.P[(t, f)]:
            tp, pp = w @ (P * self.Y), w @ P
            den = g + pp
            out.append(float(np.mean(np.divide(2 * tp, den, out=np.zeros_like(den), where=den > 0))))
        return out

    def best(self, w: np.ndarray | None = None) -> dict[float, tuple[float, float]]:
        """threshold → (best mean macro-F1 over the fallbacks, that fallback): the first best, as the search."""
        out = {}
        for t in self.thresholds:
            b: tuple[float, float] | None = None
            for f in self.fallbacks:
                v = float(np.mean(self.f1(t, f, w)))
                if b is None or v > b[0] + 1e-9:
                    b = (v, f)
            assert b is not None
            out[t] = b
        return out


def choose(curve: dict[float, tuple[float, float]], how: str, eps: float = EPS, anchor: float = ANCHOR) -> float:
    """The threshold one choice takes on a curve (threshold → (macro-F1, fallback)), thresholds ascending."""
    ths = sorted(curve)
    vals = np.array([curve[t][0] for t in ths])
    first_best = ths[int(np.argmax(vals > vals.max() - 1e-9))]
    if how == "argmax":  # the search's first best (shipped until round 28)
        return first_best
    if how == "plateau":  # the middle (log-odds) of the thresholds within eps of the best, snapped to the grid
        on = [t for t, v in zip(ths, vals) if v >= vals.max() - eps]
        mid = (min(on) + max(on)) / 2
        return min(on, key=lambda t: (abs(t - mid), t))
    if how == "smooth":  # the best mean of each threshold and its two grid neighbours
        sm = np.array([vals[max(i - 1, 0):i + 2].mean() for i in range(len(vals))])
        return ths[int(np.argmax(sm > sm.max() - 1e-9))]
    if how == "anchored":  # keep `anchor` unless the best beats it by more than eps: the training's own rule
        by = {t: (curve[t][0], {"threshold": t}) for t in ths}
        return T.anchor_rule(by, by[first_best], anchor, eps)["threshold"]
    raise ValueError(how)


def report(d: dict, name: str, boot: int = 200, halvings: int = 10) -> None:
    from nlp.classify import decide_topics
    from nlp.train import macro_f1

    c = Curve(d["scores"], d["Y"], d["fallbacks"])
    cv = c.best()
    top = max(v for v, _ in cv.values())
    print(f"== {name}: {c.Y.shape[0]} rows scored; the search chose threshold {d['rule']['threshold']} "
          f"(p {prob(d['rule']['threshold']):.2f}), fallback {d['rule']['fallback']}, cv {d['rule']['cv_macro_f1']}")
    for t in c.thresholds:
        v, f = cv[t]
        if v >= top - 0.01:
            per = " / ".join(f"{x:.4f}" for x in c.f1(t, f))
            print(f"  p {prob(t):.2f} ({t:+.3f}), fallback {f:+.3f}: {v:.5f} (repeats {per})")
    for how in CHOICES:
        t = choose(cv, how)
        print(f"  {how}: p {prob(t):.2f} ({t:+.3f}), cv {cv[t][0]:.5f}")
    fb = d["rule"]["fallback"]
    fine = [(p, float(np.mean([macro_f1(d["Y"][:, c.present] > 0, decide_topics(
        S, float(np.log(p / (1 - p))), fallback=fb, margin=9.0, top_k=2)[:, c.present]) for S in d["scores"]])))
        for p in np.round(np.arange(0.30, 0.5501, 0.005), 3)]
    print("  fine curve (fallback as chosen), p: macro-F1  " + ", ".join(f"{p:.3f}: {v:.4f}" for p, v in fine))
    seg = [v for p, v in fine if 0.40 <= p <= 0.45]
    print(f"  p 0.40…0.45 ({len(seg)} points): {min(seg):.5f}…{max(seg):.5f}, spread {max(seg) - min(seg):.5f}")
    rng = np.random.default_rng(0)
    n = c.Y.shape[0]
    picks: dict[str, dict[float, int]] = {h: {} for h in CHOICES}
    for _ in range(boot):
        b = c.best(np.bincount(rng.integers(0, n, n), minlength=n).astype(float))
        for h in CHOICES:
            t = choose(b, h)
            picks[h][t] = picks[h].get(t, 0) + 1
    for h in CHOICES:
        print(f"  bootstrap ({boot} resamples of the rows), {h}: "
              + ", ".join(f"p {prob(t):.2f} {k}" for t, k in sorted(picks[h].items())))
    nested: dict[str, list[float]] = {h: [] for h in CHOICES}
    for _ in range(halvings):
        half = rng.random(n) < 0.5
        for a in (half, ~half):
            b = c.best(a.astype(float))
            for h in CHOICES:
                t = choose(b, h)
                nested[h].append(float(np.mean(c.f1(t, b[t][1], (~a).astype(float)))))
    base = np.array(nested["argmax"])
    print(f"  chosen on a half, scored on the other ({halvings} halvings × 2): " + ", ".join(
        f"{h} {np.mean(v):.5f}" + ("" if h == "argmax" else f" ({np.mean(np.array(v) - base):+.5f}, "
                                                        f"{np.min(np.array(v) - base):+.4f}…"
                                                        f"{np.max(np.array(v) - base):+.4f})")
        for h, v in nested.items()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--labelled", default="", help="another data/training directory")
    ap.add_argument("--add-files", nargs="*", default=[], help="labelled files read by the restorer too")
    ap.add_argument("--dump", default="", help="keep the out-of-fold scores here (pickle)")
    ap.add_argument("--load", nargs="*", default=[], help="read kept scores instead of fitting")
    ap.add_argument("--bootstrap", type=int, default=200)
    args = ap.parse_args(argv)
    runs = []
    for path in args.load:
        with open(path, "rb") as fh:
            runs.append((path, pickle.load(fh)))
    if not args.load:
        d = oof_scores(args.labelled, tuple(args.add_files))
        if args.dump:
            with open(args.dump, "wb") as fh:
                pickle.dump(d, fh, protocol=pickle.HIGHEST_PROTOCOL)
        runs.append((args.labelled or "data/training", d))
    for name, d in runs:
        report(d, name, boot=args.bootstrap)
    return 0


if __name__ == "__main__":
    sys.exit(main())
