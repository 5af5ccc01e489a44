"""Syllable accuracy of the diacritics restorer on OUR held-out rows (the measure that chooses restorer settings).

    PYTHONPATH=. .venv/bin/python -m nlp.eval.restore_own [--model FILE | --model-dir D | --social-weights 0 1 2]
        [--labelled DIR] [--add-files labelled_S67.jsonl …]

The accented held-out lines (`nlp.train.is_heldout`) are stripped of their marks (case kept) and restored;
accuracy is `nlp.eval.diacritics_eval.syllable_hits` (restored syllable = written syllable, case-insensitive).
The figures: the social slices' held-out lines ("social"; "social unlike training": those that share less
than half their words with every training line, as the slices hold variants of one stem), every held-out row of
the labelled set ("own", round 8's measure: press, official, forum, news and social rows, titles and texts), the
own rows without a title ("own comment-like") and those with one ("own titled": press, official, news).
`--model` measures a saved restorer; `--social-weights` builds restorers as `langnghe train` would
(nlp.train.corpus_texts + restorer_texts) with the social training lines counted that many times: the counts of
the rest are computed once (and kept in `--cache`, ≈ 1 min to rebuild), since counts add.
`--add-files` (round 28) measures what listing labelled files in `nlp.train.RESTORER_FILES` would do before anyone
lists them: restorers of the list as it is and of the list with those files, side by side, at each weight (default
SOCIAL_RESTORER_WEIGHT), on the same held-out lines (those of `--labelled`, e.g. a copy of data/training where a
candidate is renamed labelled_S67.jsonl).
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import sys
import time
from collections import Counter
from pathlib import Path

from nlp.diacritics import Restorer, count_ngrams
from nlp.eval.diacritics_eval import syllable_hits
from nlp.normalise import clean
from vocab.folding import fold, strip_marks, words


def heldout_sets(labelled: list[dict] | None = None) -> dict[str, list[str]]:
    """The accented held-out texts: social lines, every own row, own rows without a title (of `labelled`, default
    `nlp.train.load_labelled()`)."""
    import nlp.train as T

    labelled = T.load_labelled() if labelled is None else labelled
    rows = [r for r in labelled if T.is_heldout(r["id"]) and r.get("diacritics", True)]
    own = [clean(f"{r.get('title', '')}\n{r.get('text', '')}") for r in rows]
    social = [clean(r.get("text", "")) for r in rows if T.is_social_set(r)]
    # every accented social training line, listed in RESTORER_FILES or not: the same set for every restorer compared
    seen = [clean(r.get("text", "")) for r in labelled if T.trains_social_restorer(r, files=[r.get("_file")])]
    return {"social": social,
            "social unlike training": unlike(social, seen),
            "own": own,
            "own comment-like": [t for r, t in zip(rows, own) if not str(r.get("title") or "").strip()],
            "own titled": [t for r, t in zip(rows, own) if str(r.get("title") or "").strip()]}


def unlike(texts: list[str], seen: list[str], jaccard: float = 0.5) -> list[str]:
    """The texts that share less than `jaccard` of their folded words (Jaccard) with every `seen` text: the
    held-out lines that are not a near-copy of a training line (slices hold variants and mirrors of one stem)."""
    bags = [frozenset(fold(w) for w in words(t)) for t in seen]
    index: dict[str, list[int]] = {}
    for i, b in enumerate(bags):
        for w in b:
            index.setdefault(w, []).append(i)
    out = []
    for t in texts:
        b = frozenset(fold(w) for w in words(t))
        shared = Counter(i for w in b for i in index.get(w, ()))
        if all(n / len(b | bags[i]) < jaccard for i, n in shared.items()):
            out.append(t)
    return out


def accuracy(restorer: Restorer, texts: list[str]) -> float:
    """Syllable accuracy of `restorer` on `texts` stripped of their marks, summed over all texts (not averaged per
    text, so that long rows weigh by their syllables)."""
    h = n = 0
    for t in texts:
        hh, nn = syllable_hits(restorer.restore(strip_marks(t)), t)
        h, n = h + hh, n + nn
    return h / max(n, 1)


def base_counts(cache: Path | None, labelled: list[dict] | None = None, files: tuple[str, ...] | None = None
                ) -> tuple[tuple[Counter, Counter, Counter], list[str]]:
    """(counts of the restorer's text without the social lines, the social training lines), of `labelled` (default
    `nlp.train.load_labelled()`) and the files `files` (default RESTORER_FILES). The cache is keyed by a sha1 of
    that text, so a cache of other data (a new slice, other local sentences, another list) is counted again."""
    import nlp.train as T

    train_rows, _ = T.split(T.load_labelled() if labelled is None else labelled)
    texts = T.restorer_corpus(train_rows, social_weight=0, files=files)
    _, social = T.restorer_texts(train_rows, social_weight=1, files=files)
    key = hashlib.sha1("\x00".join(texts).encode("utf-8")).hexdigest()
    if cache and cache.exists():
        with open(cache, "rb") as fh:
            got = pickle.load(fh)
        if isinstance(got, dict) and got.get("key") == key:
            return got["counts"], social
        print(f"{cache}: counted from other text, counting again", file=sys.stderr)
    counts = count_ngrams(texts)
    if cache:
        with open(cache, "wb") as fh:
            pickle.dump({"key": key, "counts": counts}, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return counts, social


def with_social(counts: tuple[Counter, Counter, Counter], social: tuple[Counter, Counter, Counter],
                weight: int) -> Restorer:
    """The restorer of `counts` + `weight` × `social`: counts add, so this equals training on the social lines
    listed `weight` times (nlp.train.restorer_corpus)."""
    out = []
    for c, s in zip(counts, social):
        c = Counter(c)
        for k, v in s.items():
            c[k] += weight * v
        out.append(c)
    return Restorer.from_counts(*out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=None, help="a saved restorer (diacritics-*.pkl.gz)")
    ap.add_argument("--model-dir", default=None, help="models to measure: the restorer, and the sentiment of the "
                    "social held-out lines, all and those typed without diacritics (as `langnghe train` reports)")
    ap.add_argument("--social-weights", type=int, nargs="*", default=None,
                    help="build restorers with the social training lines counted this many times")
    ap.add_argument("--cache", default="/tmp/restore_own_counts.pkl", help="counts of the rest ('' = no cache)")
    ap.add_argument("--labelled", default="", help="another data/training directory (its labelled_*.jsonl)")
    ap.add_argument("--add-files", nargs="*", default=None, metavar="FILE",
                    help="labelled files not in nlp.train.RESTORER_FILES: restorers without and with them")
    args = ap.parse_args(argv)
    import nlp.train as T

    labelled = T.load_labelled(Path(args.labelled)) if args.labelled else T.load_labelled()
    if args.add_files and args.social_weights is None:
        args.social_weights = [T.SOCIAL_RESTORER_WEIGHT]
    sets = heldout_sets(labelled)
    print("held-out accented: " + ", ".join(f"{k} {len(v)}" for k, v in sets.items()))
    if args.social_weights is None:
        from nlp.normalise import default_restorer_path

        path = args.model or (sorted(Path(args.model_dir).glob("diacritics-*.pkl.gz"))[-1] if args.model_dir
                              else default_restorer_path())
        variants = [(f"model {path}", Restorer.load(path))]
    else:
        variants = []
        lists = [("", tuple(T.RESTORER_FILES))]
        if args.add_files:
            unknown = sorted(set(args.add_files) - {r["_file"] for r in labelled})
            if unknown:
                ap.error(f"not a labelled file of the data: {', '.join(unknown)}")
            lists.append((" + " + " ".join(args.add_files), tuple(T.RESTORER_FILES) + tuple(args.add_files)))
        for name, files in lists:
            counts, social = base_counts(Path(args.cache) if args.cache else None, labelled, files)
            sc = count_ngrams(social)
            variants += [(f"social weight {w}{name}", with_social(counts, sc, w)) for w in args.social_weights]
    for name, rest in variants:
        t0 = time.time()
        figs = ", ".join(f"{k} {accuracy(rest, v):.4f}" for k, v in sets.items())
        print(f"{name}: {figs} ({len(rest.trigram)} trigrams, {time.time() - t0:.0f}s)", flush=True)
    if args.model_dir is not None:
        from nlp.eval import load_pipeline

        social = [r for r in labelled if T.is_heldout(r["id"]) and T.is_social_set(r)]
        res = T.evaluate_sentiment(load_pipeline(args.model_dir), social)
        nd = res.get("no_diacritics", {})
        print(f"social held-out sentiment macro-F1: all {res['sentiment_macro_f1']:.4f} ({res['n']}), "
              f"no diacritics {nd.get('sentiment_macro_f1', 0):.4f} ({nd.get('n', 0)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
