"""The social held-out lines read as the product reads collected posts.

    labelled_S*.jsonl held-out lines (nlp.train.is_heldout)
        ├─ fed as the evaluations feed comments: no title                       ─▶ sentiment, topic chips
        └─ fed as collectors store them: title = the post's first line          ─▶ sentiment, topic chips
           (collectors._social.title_from_text), source_type "social"

Why: every evaluation feeds comments without a title, but the Facebook, Zalo, Mastodon, Bluesky and Telegram
collectors and the collaborators' form store a post with its first line as the title. Until round 12 that copy
made the post a titled item, read by the press sentiment model (0.60 here instead of 0.88); the two readings
must now agree (nlp.steps.classify_text leaves the copy out).

    PYTHONPATH=. python -m devtools.social_as_stored [--model-dir D]
"""

from __future__ import annotations

import argparse

from sklearn.metrics import f1_score

LABELS = ["negative", "neutral", "positive"]


def _report(name: str, rows: list[dict], out: list[dict]) -> None:
    gold = [r["sentiment"] for r in rows]
    pred = [o["sentiment"] for o in out]
    bare = [i for i, r in enumerate(rows) if not r.get("diacritics", True)]
    pairs = [(set(r["topics"]), set(o["topics"])) for r, o in zip(rows, out) if not r.get("_no_topics")]
    chips = sum(len(p) for _, p in pairs)
    right = sum(len(g & p) for g, p in pairs)
    per = [round(float(x), 3) for x in f1_score(gold, pred, labels=LABELS, average=None)]
    nd = f1_score([gold[i] for i in bare], [pred[i] for i in bare], labels=LABELS, average="macro")
    print(f"{name}: n={len(rows)}, sentiment macro-F1 {f1_score(gold, pred, labels=LABELS, average='macro'):.4f} "
          f"(negative / neutral / positive {per}); without diacritics ({len(bare)}) {nd:.4f}; "
          f"topic chip precision {right / max(1, chips):.3f}, given a topic {sum(bool(p) for _, p in pairs) / max(1, len(pairs)):.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-dir", default="", help="models to measure (default: [nlp] model_dir)")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args(argv)
    from collectors._social import title_from_text
    from nlp.eval import load_pipeline
    from nlp.train import is_heldout, is_social_set, load_labelled

    pipe = load_pipeline(args.model_dir)
    rows = [r for r in load_labelled() if is_social_set(r) and is_heldout(r["id"])]
    bare = pipe.tag_parallel([{"id": r["id"], "title": "", "text": r["text"]} for r in rows], workers=args.workers)
    _report("no title (as the evaluations feed comments)", rows, bare)
    stored = pipe.tag_parallel([{"id": r["id"], "title": title_from_text(r["text"]), "text": r["text"],
                                 "source_type": "social"} for r in rows], workers=args.workers)
    _report("as collectors store them (first line as title, social)", rows, stored)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
