"""Sentiment variants measured in one process (run by hand; reads the eval-only sets for figures only).

    PYTHONPATH=. .venv/bin/python -m nlp.eval.sentiment_variants [--variant NAME ...] [--cache /tmp/sent-lab]

Trains only the sentiment models (`nlp.train.fit_sentiment`, as `langnghe train` does) on the training split,
with the shipped restorer (since round 9 it reads the social slices' training lines, never held-out ones) and
no topic models, then prints sentiment macro-F1 on the own held-out items (all / no diacritics), the social
held-out (S1–S19 and every S slice), VSFC, VLSP 2016, ViHSD (negative vs rest) and the UBS bank posts (polarity,
as `eval_only` reads them), with confusion counts for VSFC and VLSP. Normalised texts are cached in --cache
(keyed by title and text; a change of the shipped restorer, NSW table or normaliser code empties it), so a
variant costs the model fits only (≈ 1–2 min). Round 15: the held-out VNTC rows (labelled_V*.jsonl) are read too
("vntc": macro-F1, per class, negative share per VNTC section against gold), and --save-dir DIR writes each variant
as a model directory (the shipped classifier with the variant's sentiment models, the shipped restorer) for
`langnghe evaluate --model-dir`, `bench/real_stream.py --model-dir` and `nlp.eval.eval_only --model-dir`; valid only
for variants that keep the shared vocabulary (it is checked).
Variants are set through module attributes of nlp.train (see VARIANTS) or read fewer cues ("cues:N").
Round 20: --cv-old (with --cv and --labelled D, a copy of data/training with new slices) folds the social rows that
data/training already has exactly as a run without D does, the new rows apart, and reports cv_old — the
out-of-fold macro-F1 of those old rows only, paired with the run without the slices (the lead's rule for a slice).
Round 25: --dump PATH (with --cv) appends each social training row's out-of-fold reading (variant, seed, id, gold,
predicted; ids, no text) as JSON lines, so the CV's errors on our own rows can be grouped by hand.
Round 32: every held-out and eval-only reading goes through round 29's evidence rule (nlp/evidence.py), as the
product's Sentiment step applies it, so its figures are the ones `langnghe evaluate` and `nlp.eval.eval_only` read
(until round 31 they were the models' reading without the rule); the CV's out-of-fold readings (--cv, --dump) are
the models' own, without it. The tool runs no Places step, so the place names the product leaves out of the evidence
(`nlp.evidence.place_names`, PIPELINE_REVISION 18) count here as content: a line that is only a place name keeps its
polarity here where the product reads it neutral.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score

from nlp.eval.eval_only import (
    DEFAULT,
    polarity_f1,
    ubs_test,
    vihsd_test,
    vlsp_test,
    vsfc_test,
)

LABELS = ["negative", "neutral", "positive"]


@dataclass(frozen=True)
class OofRow:
    """One social training row read by the CV fold that held it out (round 25's --dump: our own errors, by hand)."""

    variant: str
    seed: int
    id: str
    gold: str
    pred: str


def write_oof(path: Path, rows: list[OofRow]) -> int:
    """Append `rows` to `path` as JSON lines (appended: one file gathers every variant and seed of a run)."""
    with path.open("a", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(asdict(r), ensure_ascii=False) + "\n")
    return len(rows)


def _key(title: str, text: str) -> str:
    return hashlib.sha1(f"{title}\x00{text}".encode("utf-8")).hexdigest()


_FINGERPRINT = "\x00fingerprint"  # the cache's entry that names what normalised it


def _fingerprint() -> tuple[str, str]:
    """sha1 of the shipped restorer, the NSW table, the normaliser's code and the code of the language step and of
    `classify_text` (the cache keeps the language too): a cache written with other ones is stale (after round 9's
    retrain a reused cache read every text with the round-8 restorer; round 10's "none" and loanwords changed the
    language of texts a cache already held)."""
    from nlp import langid, normalise, steps

    h = hashlib.sha1()
    for p in (normalise.default_restorer_path(), normalise.NSW_PATH, Path(normalise.__file__), Path(langid.__file__),
              Path(steps.__file__)):
        h.update(Path(p).read_bytes())
    return h.hexdigest(), ""


class NormCache:
    """Classifier text and language of (title, text) pairs through the shipped normalise + language steps."""

    def __init__(self, path: Path):
        self.path = path
        fp = _fingerprint()
        self.data: dict[str, tuple[str, str]] = {_FINGERPRINT: fp}
        if path.exists():
            with open(path, "rb") as fh:
                data = pickle.load(fh)
            if data.get(_FINGERPRINT) == fp:
                self.data = data
            else:
                print(f"{path}: written with another restorer or normaliser, read again", file=sys.stderr)
        self.pipe = None
        self.dirty = False

    def get(self, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        missing = [(t, x) for t, x in pairs if _key(t, x) not in self.data]
        if missing:
            if self.pipe is None:
                from nlp.eval import load_pipeline
                from nlp.pipeline import Pipeline

                full = load_pipeline("")
                self.pipe = Pipeline(full.res, ("normalise", "language"))
            from nlp.steps import classify_text

            uniq = list(dict.fromkeys(missing))
            t0 = time.time()
            for i in range(0, len(uniq), 500):
                items = [{"title": t, "text": x} for t, x in uniq[i:i + 500]]
                for st in self.pipe.steps:
                    st.run(items)
                for (t, x), it in zip(uniq[i:i + 500], items):
                    self.data[_key(t, x)] = (classify_text(it, self.pipe.res.classify_chars), it.get("lang", "vi"))
            print(f"normalised {len(uniq)} texts ({time.time() - t0:.0f}s)", file=sys.stderr)
            self.dirty = True
        return [self.data[_key(t, x)] for t, x in pairs]

    def save(self) -> None:
        if self.dirty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "wb") as fh:
                pickle.dump(self.data, fh)


def eval_sets(data: Path, rows: list[dict]) -> dict[str, tuple[list[tuple[str, str]], list[str]]]:
    """name → ((title, text) pairs, gold labels). ViHSD gold is negative / other."""
    import nlp.train as T

    _, held = T.split(rows)
    own = [r for r in held if T.is_own_set(r)]
    social = [r for r in held if T.is_social_set(r)]
    out = {
        "own": ([(r.get("title") or "", r.get("text") or "") for r in own], [r["sentiment"] for r in own]),
        "own_nd": ([(r.get("title") or "", r.get("text") or "") for r in own if r.get("diacritics") is False],
                   [r["sentiment"] for r in own if r.get("diacritics") is False]),
        "social": ([("", r.get("text") or "") if not r.get("title") else (r["title"], r.get("text") or "")
                    for r in social], [r["sentiment"] for r in social]),
    }
    out["_social_files"] = ([(r["_file"], "") for r in social], [])
    out["_social_ids"] = ([(r["id"], "") for r in social], [])
    vntc = [r for r in held if T.is_vntc_set(r)]
    out["_vntc_rows"] = ([(r.get("title") or "", r.get("text") or "") for r in vntc], vntc)  # type: ignore[assignment]

    texts, gold = vsfc_test(data)
    out["vsfc"] = ([("", t) for t in texts], gold)
    texts, gold = vlsp_test(data)
    out["vlsp"] = ([("", t) for t in texts], gold)
    texts, neg = vihsd_test(data)
    out["vihsd"] = ([("", t) for t in texts], ["negative" if n else "other" for n in neg])
    texts, gold = ubs_test(data)  # real posts to banks, negative or positive only (as eval_only reads them)
    out["ubs"] = ([("", t) for t in texts], gold)
    return out


def predict(clf, texts: list[tuple[str, str]], norm: list[tuple[str, str]], X=None) -> list[str]:  # noqa: N803
    """The Sentiment step's reading: classifier, then language and the insult rule, then round 29's evidence rule
    (nlp/evidence.py: a polarity without a content syllable, an opinion word, a negator or a polar emoji in the text
    the classifier read is neutral), as `nlp.steps.Sentiment` applies it, but without the Places step's names (not
    read here). `X`: the classifier's matrix of `norm` when the caller already has it."""
    from nlp import evidence as ev
    from nlp.steps import _insult_terms, read_sentiment

    if X is None:
        X = clf.transform([c for c, _ in norm])
    preds = clf.predict_sentiment(X)
    terms, L = _insult_terms()
    out = []
    for (t, x), (c, lang), p in zip(texts, norm, preds):
        s = read_sentiment(p, lang, t, x, terms, L)
        out.append(s if s == "neutral" else ev.keep_sentiment(s, ev.evidence(c)))
    return out


def _macro_f1(gold: list[str], pred: list[str], idx: list[int]) -> float:
    """Macro-F1 over the lines `idx` (a part of the social held-out, by slice)."""
    return round(f1_score([gold[i] for i in idx], [pred[i] for i in idx], average="macro", labels=LABELS), 4)


def run(variant: str, cache: NormCache, data: Path, shared: dict) -> dict:
    import nlp.train as T
    from nlp.classify import Classifier, make_features

    rows = T.load_labelled(Path(shared["labelled"])) if shared.get("labelled") else T.load_labelled()
    _, _, docs, w = T.training_docs(T.split(rows)[0])
    norm = cache.get([(d.get("title") or "", d.get("text") or "") for d in docs])
    X_text = [c for c, _ in norm]
    fit_on = [t for t, d in zip(X_text, docs) if T.in_shared_vocabulary(d)]
    fkey = hashlib.sha1("\x01".join(fit_on).encode()).hexdigest()
    if shared.get("fkey") != fkey:  # the shared vocabulary only moves when the press/official rows do
        feats = make_features().fit(fit_on)
        shared.update(fkey=fkey, feats=feats, X=feats.transform(X_text), n=len(X_text), xkey=None)
    feats = shared["feats"]
    xkey = hashlib.sha1("\x01".join(X_text).encode()).hexdigest()
    if shared.get("xkey") != xkey:
        shared.update(X=feats.transform(X_text), xkey=xkey)
    t0 = time.time()
    res: dict = {"variant": variant}
    if shared.get("cv"):
        seeds = shared.get("cv_seeds") or [13]
        old = shared.get("old_ids")
        both = [cv_social(shared, docs, X_text, w, seed=s, old=old, dump=shared.get("dump"), variant=variant)
                for s in seeds]
        runs = [a for a, _ in both]
        res["cv_social"] = round(float(np.mean(runs)), 4)
        if len(runs) > 1:
            res["cv_social_runs"] = runs
        if old is not None:  # round 20: the rows of the default data set only, on their own folds
            res["cv_old_runs"] = [b for _, b in both]
            res["cv_old"] = round(float(np.mean(res["cv_old_runs"])), 4)
    cues, cf, sent, press = T.fit_sentiment(shared["X"], X_text, docs, w, features=feats)
    clf = Classifier(feats, {}, {}, sent, "lab", {}, cues=cues, comment_features=cf, press_sentiment_model=press)
    sets = eval_sets(data, rows)
    files = [f for f, _ in sets.pop("_social_files")[0]]
    social_ids = [i for i, _ in sets.pop("_social_ids")[0]]
    vtexts, vrows = sets.pop("_vntc_rows")
    if vrows:  # round 15: real news, read by the press model
        res["vntc"] = T.vntc_sentiment_scores(vrows, predict(clf, vtexts, cache.get(vtexts)))
    if shared.get("save_dir"):
        res["saved"] = str(save_variant(Path(shared["save_dir"]) / variant, feats, cues, cf, sent, press))
    res["fit_s"] = round(time.time() - t0)
    for name, (texts, gold) in sets.items():
        pred = predict(clf, texts, cache.get(texts))
        if name == "vihsd":
            pb = [p == "negative" for p in pred]
            gb = [g == "negative" for g in gold]
            res[name] = round(f1_score(gb, pb, average="macro"), 4)
            continue
        if name == "ubs":  # polarity: macro-F1 over negative and positive; a neutral reading is a miss
            res[name] = round(float(polarity_f1(gold, pred).mean()), 4)
            continue
        res[name] = round(f1_score(gold, pred, average="macro", labels=LABELS, zero_division=0), 4)
        if name in ("vsfc", "vlsp", "social"):
            res[name + "_f1"] = [round(v, 3) for v in f1_score(gold, pred, average=None, labels=LABELS,
                                                                   zero_division=0)]
        if name in ("vsfc", "vlsp"):
            res[name + "_cm"] = confusion_matrix(gold, pred, labels=LABELS).tolist()
        if name == "social":
            slice_no = [int(f.split("_S")[1].split(".")[0]) for f in files]  # labelled_S<n>.jsonl of each line
            res["social_S1_9"] = _macro_f1(gold, pred, [i for i, n in enumerate(slice_no) if n <= 9])
            # round 8's slices (S42–S49; on main S45, S46): the held-out lines of S1–S41 stay comparable with
            # runs without them
            r8 = [i for i, n in enumerate(slice_no) if n >= 42]
            if r8:
                res["social_S1_41"] = _macro_f1(gold, pred, [i for i, n in enumerate(slice_no) if n < 42])
                res["social_S42+"] = _macro_f1(gold, pred, r8)
                res["social_S42+_n"] = len(r8)
            if shared.get("old_ids") is not None:  # round 20: the held-out lines data/training already has
                old_idx = [i for i, x in enumerate(social_ids) if x in shared["old_ids"]]
                res["social_old"] = _macro_f1(gold, pred, old_idx)
            new = [i for i, n in enumerate(slice_no) if n >= 20]
            if new:
                res["social_S20+"] = _macro_f1(gold, pred, new)
                res["social_S20+_n"] = len(new)
    cache.save()
    return res


def save_variant(out: Path, feats, cues, comment_feats, sent, press) -> Path:
    """The shipped classifier with this run's sentiment models (and cue block, comment vocabulary), saved with a copy
    of the shipped restorer as a model directory. Only when the shared vocabulary is the shipped one, so the
    shipped topic models and the new sentiment models read the same columns."""
    import shutil

    from nlp.classify import Classifier
    from nlp.pipeline import find_models, model_dir, nlp_settings
    from vocab.config import load

    cpath, rpath, version = find_models(model_dir(nlp_settings(load())), "")
    clf = Classifier.load(cpath)
    same = all(a[1].vocabulary_ == b[1].vocabulary_
               for a, b in zip(clf.features.transformer_list, feats.transformer_list, strict=True))
    if not same:
        raise SystemExit("--save-dir: the shared vocabulary differs from the shipped one; train the variant in full")
    clf.cues, clf.comment_features, clf.sentiment_model, clf.press_sentiment_model = cues, comment_feats, sent, press
    out.mkdir(parents=True, exist_ok=True)
    clf.save(out / cpath.name)
    shutil.copy(rpath, out / rpath.name)
    return out


def social_folds(ids: list[str], old: set[str] | None, folds: int = 5, seed: int = 13) -> list[set[str]]:
    """The held-out ids of each CV fold of the social training rows. With `old` (the ids a data set had before a new
    slice; round 20), the old ids are split exactly as they are without the slice and the new ids apart, fold k
    taking both k-th parts: the old rows' out-of-fold reading is then paired with the run without the slice (round
    19's one-off split the grown sorted list, so the old rows' folds moved). `old` None: one split of every id, as
    before."""
    from sklearn.model_selection import KFold

    def split(part: list[str]) -> list[set[str]]:
        if len(part) < folds:
            return [set(part) if k == 0 else set() for k in range(folds)]
        return [{part[i] for i in te} for _, te in KFold(folds, shuffle=True, random_state=seed).split(part)]

    soc = sorted(set(ids))
    if old is None:
        return split(soc)
    return [a | b for a, b in zip(split([i for i in soc if i in old]), split([i for i in soc if i not in old]))]


def cv_social(shared: dict, docs: list[dict], X_text: list[str], w: np.ndarray, folds: int = 5,
              seed: int = 13, old: set[str] | None = None, dump: list[OofRow] | None = None,
              variant: str = "") -> tuple[float, float | None]:
    """Macro-F1 of the comment model over `folds` folds of the social training rows (their stripped copies
    leave with them): the selection measure of the third round, steadier than the 941 held-out lines. Returns it
    and, with `old` (`social_folds`), the same out-of-fold predictions scored on the old rows only (round 20: a
    slice of hard lines lowers the first figure by its own lines; the lead's rule reads the second). With `dump`, each
    held-out row's reading is appended to it (`OofRow`)."""
    import nlp.train as T
    from nlp.classify import sentiment_matrix

    X = shared["X"]
    ids = np.array([d["id"] for d in docs])
    pred: list[str] = []
    gold: list[str] = []
    is_old: list[bool] = []
    for out in social_folds([d["id"] for d in docs if T.is_social_set(d)], old, folds, seed):
        if not out:
            continue
        keep = np.array([i not in out for i in ids])
        cues, cf, sent, _ = T.fit_sentiment(X[keep], [t for t, k in zip(X_text, keep) if k],
                                            [d for d, k in zip(docs, keep) if k], w[keep], features=shared["feats"])
        first: dict[str, int] = {}
        for i, d in enumerate(docs):
            if d["id"] in out:
                first.setdefault(d["id"], i)  # the row as written, not its stripped copy
        idx = list(first.values())
        fold_pred = [str(p) for p in sent.predict(sentiment_matrix(X[idx], [X_text[i] for i in idx], cues, cf,
                                                                         flag=True))]
        pred += fold_pred
        gold += [docs[i]["sentiment"] for i in idx]
        if dump is not None:
            dump.extend(OofRow(variant, seed, docs[i]["id"], docs[i]["sentiment"], p) for i, p in zip(idx, fold_pred))
        is_old += [old is None or docs[i]["id"] in old for i in idx]
    allf = round(float(f1_score(gold, pred, average="macro", labels=LABELS)), 4)
    if old is None:
        return allf, None
    keep_old = [k for k, o in enumerate(is_old) if o]
    return allf, _macro_f1(gold, pred, keep_old)


# name → settings of nlp.train applied before the run (attribute, value); "cues:N" reads only the first N cues
VARIANTS: dict[str, list[tuple[str, object]]] = {
    "base": [],
    "cue1.0": [("CUE_SCALE", 1.0)],
    "cue0.75": [("CUE_SCALE", 0.75)],
    # round 6 (model side), every one relative to "before6" (no scope marking, plain LinearSVC); "base" is the shipped
    # setting: NEG_SCOPE, plain LinearSVC (= "neg"); "neg+nb-all" was the engineer's pick before the merged data.
    # Without round 7's NB mix (SENT_MIX ""), so that they read as measured then
    **{name: [("NEG_SCOPE", neg), ("NEG_WINDOW", win), ("CONTRAST_SCOPE", but), ("SENT_NB", nb),
              ("SENT_C", c), ("SENT_MIX", "")]
       for name, neg, win, but, nb, c in [
           ("before6", False, 0, "", "", 0.3),
           ("neg", True, 0, "", "", 0.3),
           ("neg3", True, 3, "", "", 0.3),
           ("neg-c0.5", True, 0, "", "", 0.5),
           ("but", False, 0, "mark", "", 0.3),
           ("butdup", False, 0, "dup", "", 0.3),
           ("neg+butdup", True, 0, "dup", "", 0.3),
           ("nb-ctrl", False, 0, "", "none", 0.3),   # one-vs-rest by hand, no scaling: the control
           ("nb", False, 0, "", "comment", 0.3),
           ("nb-c0.1", False, 0, "", "comment", 0.1),
           ("nb-c1", False, 0, "", "comment", 1.0),
           ("nb-all", False, 0, "", "all", 0.3),
           ("neg+nb", True, 0, "", "comment", 0.3),
           ("neg+nb-c1", True, 0, "", "comment", 1.0),
           ("neg3+nb", True, 3, "", "comment", 0.3),
           ("neg+butdup+nb", True, 0, "dup", "comment", 0.3),
           ("neg+nb-all", True, 0, "", "all", 0.3),
           ("neg+nb-all-c0.1", True, 0, "", "all", 0.1),
           ("neg+nb-all-c1", True, 0, "", "all", 1.0),
           ("neg3+nb-all", True, 3, "", "all", 0.3),
           ("neg+butdup+nb-all", True, 0, "dup", "all", 0.3),
       ]},
    # round 7: the comment model's scores mixed with MultinomialNB's (SENT_MIX, nlp.train.mix_comment_model),
    # relative to "nomix" (the round-6 model); "mnb-a0.1-v0.25" = alpha 0.1 at share 0.25; "base" = mnb-a0.1-v0.5.
    # The variants that lost (cnb, lr, char, press, …-platt) are in commit b3e4cbc.
    "nomix": [("SENT_MIX", "")],
    **{f"mnb-a{a}-v{v}": [("SENT_MIX", "mnb"), ("SENT_MIX_SHARE", v), ("SENT_MIX_ALPHA", a)]
       for a in (0.03, 0.1, 0.3, 1.0) for v in (0.25, 0.33, 0.5, 0.67)},
    # round 8: a wish scope (WISH_CUES, WISH_MARK), relative to "base"
    "wish-add": [("WISH_CUES", "add")],
    "wish-move": [("WISH_CUES", "move")],
    "wish-mark": [("WISH_MARK", True)],
    "wish-move+mark": [("WISH_CUES", "move"), ("WISH_MARK", True)],
    "wish-add+mark": [("WISH_CUES", "add"), ("WISH_MARK", True)],
    # round 20: the contrast scope again, on the shipped model (round 6 measured it without the NB mix, the wish marks
    # and the slices since), with slice S60's courtesy-then-complaint lines
    "contrast-mark": [("CONTRAST_SCOPE", "mark")],
    "contrast-dup": [("CONTRAST_SCOPE", "dup")],
    # round 21, relative to "base" (S60 with CONTRAST_SCOPE "dup"): the contrast scope reads round 21's openers too
    # ("mỗi tội", "khổ nỗi", "chỉ tiếc" …: CONTRAST_OPENERS), and the two-stage comment model (SENT_TWO_STAGE)
    "contrast-open": [("CONTRAST_OPENERS", "r21")],
    "two-stage": [("SENT_TWO_STAGE", True)],
    "two-stage+open": [("SENT_TWO_STAGE", True), ("CONTRAST_OPENERS", "r21")],
    # round 22, relative to "base": the cue block reads "mỗi tội", "khổ nỗi", "chỉ tiếc" … as contrast words too
    # (CONTRAST_LEXICON), alone and with round 21's openers of the contrast scope
    "contrast-lex": [("CONTRAST_LEXICON", "r22")],
    "contrast-open+lex": [("CONTRAST_OPENERS", "r21"), ("CONTRAST_LEXICON", "r22")],
    # round 15: the press model trained also on the news slices' sentiment (N) and / or the real VNTC rows (V)
    **{f"{name}{w:g}": [(a, w) for a in attrs] for w in (0.5, 1.0) for name, attrs in (
        ("news", ("NEWS_PRESS_SENTIMENT_WEIGHT",)), ("vntc", ("VNTC_SENTIMENT_WEIGHT",)),
        ("both", ("NEWS_PRESS_SENTIMENT_WEIGHT", "VNTC_SENTIMENT_WEIGHT")))},
    **{f"vntc{w:g}": [("VNTC_SENTIMENT_WEIGHT", w)] for w in (0.25, 0.75)},
}


def main(argv: list[str] | None = None) -> int:
    import nlp.train as T

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DEFAULT)
    ap.add_argument("--cache", default="/tmp/sent-lab")
    ap.add_argument("--variant", nargs="*", default=["base"])
    ap.add_argument("--labelled", default="", help="another data/training directory (e.g. a copy with new slices)")
    ap.add_argument("--save-dir", default="", help="write each variant as a model directory DIR/<variant> (round 15)")
    ap.add_argument("--cv", action="store_true", help="also 5-fold CV on the social training rows (≈ 1 min more)")
    ap.add_argument("--cv-seeds", type=int, nargs="*", default=[13],
                    help="fold seeds of --cv; with several, cv_social is their mean (each ≈ 1 min)")
    ap.add_argument("--cv-old", action="store_true",
                    help="with --cv (round 20): fold the social rows of data/training as without --labelled's new "
                         "slices (the new rows apart) and also report cv_old, the CV on those old rows only")
    ap.add_argument("--dump", default="",
                    help="with --cv (round 25): append each social training row's out-of-fold reading to this file "
                         "(JSON lines: variant, seed, id, gold, pred)")
    args = ap.parse_args(argv)
    if args.dump and not args.cv:
        ap.error("--dump cần --cv (chỉ có dự đoán ngoài fold khi chạy CV)")
    cache = NormCache(Path(args.cache) / "norm.pkl")
    shared: dict = {"cv": args.cv, "cv_seeds": args.cv_seeds, "labelled": args.labelled, "save_dir": args.save_dir}
    if args.cv_old:
        shared["old_ids"] = {r["id"] for r in T.load_labelled() if T.is_social_set(r)}
    from nlp.classify import SentimentCues

    fit = SentimentCues.fit
    for v in args.variant:
        saved = []
        if v.startswith("cues:"):
            n = int(v.split(":")[1])

            def narrow(self, X=None, y=None, n=n):  # noqa: N803
                fit(self)
                self.n_cues_ = n
                return self
            SentimentCues.fit = narrow
        for attr, val in VARIANTS.get(v, []):
            saved.append((attr, getattr(T, attr)))
            setattr(T, attr, val)
        try:
            if args.dump:
                shared["dump"] = []
            print(json.dumps(run(v, cache, Path(args.data), shared), ensure_ascii=False), flush=True)
            if args.dump:
                write_oof(Path(args.dump), shared.pop("dump"))
        finally:
            for attr, val in saved:
                setattr(T, attr, val)
            SentimentCues.fit = fit
    return 0


if __name__ == "__main__":
    sys.exit(main())
